/*
 * providers/aws/aws_retry.c — which failures are retried, and how long to
 * wait between attempts (full-jitter exponential backoff).
 *
 * Retryable: throttling errors, HTTP 500/502/503/504, connection failures
 * and timeouts.  A call declared AWS_RETRY_UNSAFE (a create without an
 * idempotency token) is retried only when the failure proves the request
 * had no effect: the service throttled it, or the connection was never
 * made.
 */
#include "providers/aws/aws_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

static int status_retryable(long s)
{
    return s == 500 || s == 502 || s == 503 || s == 504;
}

int aws_retry_should(const aws_retry_policy *p, enum aws_retry mode, int attempt, int rc,
                     const aws_error *e)
{
    if (attempt > p->max_retries)
        return 0;
    if (rc == CAIRN_EREMOTE && e) {
        if (aws_error_is_throttle(e))
            return 1;
        /* RequestLimitExceeded comes as 503; it is a throttle, handled above */
        return mode != AWS_RETRY_UNSAFE && status_retryable(e->status);
    }
    if (rc == CAIRN_EIO || rc == CAIRN_ETIMEOUT) {
        if (mode != AWS_RETRY_UNSAFE)
            return 1;
        return e && aws_http_nothing_sent(e->transport);
    }
    return 0;
}

/* xorshift state per thread, seeded from the clock and the thread. */
static _Thread_local uint64_t rng_state;

double aws_random(void)
{
    if (!rng_state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        rng_state = (uint64_t)ts.tv_nsec * 6364136223846793005ull ^
                    (uint64_t)(uintptr_t)&rng_state ^ (uint64_t)ts.tv_sec;
        if (!rng_state)
            rng_state = 88172645463325252ull;
    }
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

long aws_retry_delay_ms(const aws_retry_policy *p, int n)
{
    double cap = (double)p->max_backoff_ms;
    double d = (double)p->base_ms;
    for (int i = 1; i < n && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    return (long)(aws_random() * d);
}

void aws_sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Slice length for cancellable sleeps. */
#define AWS_SLEEP_SLICE_MS 100

int aws_sleep_cancellable(long ms)
{
    while (ms > 0) {
        if (aws_cancelled())
            return err_set(CAIRN_ECANCEL, "interrupted");
        long s = ms < AWS_SLEEP_SLICE_MS ? ms : AWS_SLEEP_SLICE_MS;
        aws_sleep_ms(s);
        ms -= s;
    }
    return aws_cancelled() ? err_set(CAIRN_ECANCEL, "interrupted") : 0;
}
