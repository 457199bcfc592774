/*
 * providers/aws/aws_waiter.c — poll until an asynchronous resource reaches
 * a target status (NAT gateway available, EKS ACTIVE, RDS available ...).
 *
 * Delays grow exponentially from min_delay to max_delay with jitter
 * (uniform in [d/2, d]) and never overshoot the deadline; the timeout comes
 * from the resource's timeouts block and is mandatory (bounded waits).
 */
#include "providers/aws/aws_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AWS_WAIT_DEFAULT_MIN_MS 2000
#define AWS_WAIT_DEFAULT_MAX_MS 30000
/* Sleep in slices this long so that cancellation is noticed promptly. */
#define AWS_WAIT_SLICE_MS 100

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int in_set(const char *const *set, const char *status)
{
    for (size_t i = 0; set && set[i]; i++) {
        if (!status && !set[i][0])
            return 1;
        if (status && strcmp(set[i], status) == 0)
            return 1;
    }
    return 0;
}

int aws_wait(const aws_waiter *w, aws_poll_fn poll, void *payload, char **final)
{
    if (final)
        *final = NULL;
    if (w->timeout_ms <= 0)
        return err_set(CAIRN_EINVAL, "waiter for %s has no timeout", w->what ? w->what : "?");
    double lo = w->min_delay_ms > 0 ? (double)w->min_delay_ms : AWS_WAIT_DEFAULT_MIN_MS;
    double hi = w->max_delay_ms > 0 ? (double)w->max_delay_ms : AWS_WAIT_DEFAULT_MAX_MS;
    if (hi < lo)
        hi = lo;
    double start = mono_ms(), deadline = start + (double)w->timeout_ms, delay = lo;
    const char *what = w->what ? w->what : "resource";
    for (int n = 1;; n++) {
        char *status = NULL;
        int rc = poll(&status, payload);
        if (rc < 0) {
            free(status);
            return rc;
        }
        aws_log(AWS_LOG_DEBUG, "wait for %s: poll %d status %s", what, n,
                status ? status : "(gone)");
        if (in_set(w->target, status)) {
            if (final)
                *final = status;
            else
                free(status);
            return 0;
        }
        if (status && in_set(w->failure, status)) {
            rc = err_set(CAIRN_EREMOTE, "waiting for %s: reached status \"%s\"", what, status);
            if (final)
                *final = status;
            else
                free(status);
            return rc;
        }
        double now = mono_ms();
        if (now >= deadline) {
            rc = err_set(CAIRN_ETIMEOUT, "timeout after %ldms waiting for %s (last status "
                         "\"%s\")", w->timeout_ms, what, status ? status : "gone");
            if (final)
                *final = status;
            else
                free(status);
            return rc;
        }
        free(status);
        double sleep = delay / 2 + aws_random() * delay / 2;
        if (now + sleep > deadline)
            sleep = deadline - now;
        if (w->pause)
            w->pause(w->pause_arg, 1);
        int cancelled = 0;
        for (double slept = 0; slept < sleep && !cancelled; slept += AWS_WAIT_SLICE_MS) {
            cancelled = w->cancel && *w->cancel;
            double left = sleep - slept;
            if (!cancelled)
                aws_sleep_ms((long)(left < AWS_WAIT_SLICE_MS ? left : AWS_WAIT_SLICE_MS));
        }
        if (w->pause)
            w->pause(w->pause_arg, 0);
        if (cancelled)
            return err_set(CAIRN_ECANCEL, "interrupted while waiting for %s", what);
        delay = delay * 2 > hi ? hi : delay * 2;
    }
}
