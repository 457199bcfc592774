/*
 * providers/aws/aws_limiter.c — client-side rate limiting per service and
 * region: a token bucket whose refill rate adapts (AIMD).
 *
 * Process-wide state (named as such): the registry of limiters, one per
 * "service/region", shared by every worker thread and every client, so a
 * large refresh paces itself before AWS has to throttle it.
 *
 * Tokens refill at `rate` per second up to `burst`.  acquire() reserves a
 * token (the balance may go negative: later callers queue behind earlier
 * ones) and sleeps until its reservation is due.  A throttled response
 * halves the rate and drops the saved-up burst, at most once per cool-down
 * so that throttles of requests already in flight count once; successes
 * add back AWS_LIMITER_RECOVERY of the configured rate per second, up to
 * it.  The rate never drops below AWS_LIMITER_MIN_FRACTION of the
 * configured rate, and the burst is never more than a second's worth.
 */
#include "providers/aws/aws_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AWS_LIMITER_MAX 64               /* service/region pairs */
#define AWS_LIMITER_MIN_FRACTION (1.0 / 16)
#define AWS_LIMITER_DECREASE 0.5
#define AWS_LIMITER_RECOVERY 0.05        /* of the configured rate, per second */
#define AWS_LIMITER_COOLDOWN_S 0.2

#define AWS_LIMITER_KEY 256

struct aws_limiter {
    char key[AWS_LIMITER_KEY];
    pthread_mutex_t mu;
    double max_rate, rate, burst;
    double tokens;
    double last;           /* monotonic seconds of the last refill */
    double last_decrease;
    double last_increase;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static aws_limiter *registry[AWS_LIMITER_MAX];
static size_t registry_n;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

aws_limiter *aws_limiter_get(const char *service, const char *region, const char *endpoint,
                             double rate, double burst)
{
    char key[AWS_LIMITER_KEY];
    snprintf(key, sizeof key, "%s/%s %s", service, region ? region : "",
             endpoint ? endpoint : "");
    if (rate <= 0)
        rate = AWS_LIMITER_DEFAULT_RATE;
    if (burst < 1)
        burst = rate * 2 > 1 ? rate * 2 : 1;
    pthread_mutex_lock(&registry_mu);
    aws_limiter *l = NULL;
    for (size_t i = 0; i < registry_n && !l; i++)
        if (strcmp(registry[i]->key, key) == 0)
            l = registry[i];
    if (!l) {
        l = xcalloc(1, sizeof *l);
        snprintf(l->key, sizeof l->key, "%s", key);
        pthread_mutex_init(&l->mu, NULL);
        l->max_rate = l->rate = rate;
        l->burst = l->tokens = burst;
        l->last = now_s();
        if (registry_n < AWS_LIMITER_MAX) {
            registry[registry_n++] = l;
        } else {
            /* more pairs than expected: share the last slot's pacing */
            free(l);
            l = registry[AWS_LIMITER_MAX - 1];
        }
    } else if (rate != l->max_rate) {
        /* a later configuration changes the ceiling (tests, re-configure) */
        pthread_mutex_lock(&l->mu);
        l->max_rate = rate;
        l->burst = burst;
        if (l->rate > rate || l->rate < rate * AWS_LIMITER_MIN_FRACTION)
            l->rate = rate;
        if (l->tokens > burst)
            l->tokens = burst;
        pthread_mutex_unlock(&l->mu);
    }
    pthread_mutex_unlock(&registry_mu);
    return l;
}

static void refill_locked(aws_limiter *l, double t)
{
    /* the burst shrinks with the rate: at most a second's worth */
    double cap = l->burst < l->rate ? l->burst : l->rate;
    if (cap < 1)
        cap = 1;
    if (l->tokens < cap) {
        l->tokens += (t - l->last) * l->rate;
        if (l->tokens > cap)
            l->tokens = cap;
    }
    l->last = t;
}

long aws_limiter_acquire(aws_limiter *l)
{
    pthread_mutex_lock(&l->mu);
    double t = now_s();
    refill_locked(l, t);
    l->tokens -= 1;
    double wait = l->tokens < 0 ? -l->tokens / l->rate : 0;
    pthread_mutex_unlock(&l->mu);
    long ms = (long)(wait * 1000 + 0.5);
    aws_sleep_ms(ms);
    return ms;
}

void aws_limiter_throttled(aws_limiter *l)
{
    pthread_mutex_lock(&l->mu);
    double t = now_s();
    if (t - l->last_decrease >= AWS_LIMITER_COOLDOWN_S) {
        refill_locked(l, t);
        double floor = l->max_rate * AWS_LIMITER_MIN_FRACTION;
        l->rate *= AWS_LIMITER_DECREASE;
        if (l->rate < floor)
            l->rate = floor;
        /* stop spending the saved-up burst: the service said "too fast" */
        if (l->tokens > 0)
            l->tokens = 0;
        l->last_decrease = t;
        l->last_increase = t;
        double r = l->rate;
        pthread_mutex_unlock(&l->mu);
        aws_log(AWS_LOG_DEBUG, "limiter %s: throttled, rate now %.1f/s", l->key, r);
        return;
    }
    pthread_mutex_unlock(&l->mu);
}

void aws_limiter_succeeded(aws_limiter *l)
{
    pthread_mutex_lock(&l->mu);
    double t = now_s();
    if (l->rate < l->max_rate) {
        double dt = t - l->last_increase;
        if (dt > 1)
            dt = 1;
        refill_locked(l, t);
        l->rate += l->max_rate * AWS_LIMITER_RECOVERY * dt;
        if (l->rate > l->max_rate)
            l->rate = l->max_rate;
    }
    l->last_increase = t;
    pthread_mutex_unlock(&l->mu);
}

double aws_limiter_rate(aws_limiter *l)
{
    pthread_mutex_lock(&l->mu);
    double r = l->rate;
    pthread_mutex_unlock(&l->mu);
    return r;
}
