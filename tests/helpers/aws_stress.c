/*
 * tests/helpers/aws_stress.c — many DescribeVpcs calls from many threads
 * through one aws_client, for the retry/limiter stress suite.
 *
 * usage: aws_stress ENDPOINT CALLS THREADS RATE [MAX_RETRIES [BASE_MS]]
 *   RATE < 0 disables the client-side limiter.
 * Credentials come from the environment (the suite sets the emulator's
 * test keys).  Prints "name=value" figures, one per line, and exits 0 when
 * every call succeeded.
 */
#include "providers/aws/aws.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct worker {
    aws_client *c;
    int calls;
    int ok, failed;
    int max_attempts;
    long attempts;
    char first_error[512];
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < w->calls; i++) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "MaxResults", "5");
        aws_request r = {.svc = AWS_EC2, .action = "DescribeVpcs", .retry = AWS_RETRY_SAFE,
                         .params = p};
        aws_response resp;
        aws_error e;
        int rc = aws_call(w->c, &r, &resp, &e);
        int att = rc == 0 ? resp.attempts : e.attempts;
        w->attempts += att;
        if (att > w->max_attempts)
            w->max_attempts = att;
        if (rc == 0 && resp.xml && aws_xml_find(aws_xml_root(resp.xml), "vpcSet")) {
            w->ok++;
        } else {
            w->failed++;
            if (!w->first_error[0])
                snprintf(w->first_error, sizeof w->first_error, "%s",
                         rc < 0 ? err_msg() : "response without vpcSet");
        }
        if (rc == 0)
            aws_response_free(&resp);
        aws_params_free(p);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_THREADS 64

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s ENDPOINT CALLS THREADS RATE [MAX_RETRIES [BASE_MS]]\n",
                argv[0]);
        return 2;
    }
    int calls = atoi(argv[2]), threads = atoi(argv[3]);
    if (threads < 1 || threads > MAX_THREADS || calls < threads)
        return 2;
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.endpoints[AWS_EC2] = xstrdup(argv[1]);
    cfg.rate_limit = atof(argv[4]);
    cfg.max_retries = argc > 5 ? atoi(argv[5]) : -1;
    cfg.retry_base_ms = argc > 6 ? atol(argv[6]) : 20;
    cfg.retry_max_backoff_ms = 1000;
    aws_client *c;
    if (aws_client_new(&c, &cfg) < 0) {
        fprintf(stderr, "client: %s\n", err_msg());
        return 2;
    }
    worker ws[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    memset(ws, 0, sizeof ws);
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        ws[i].c = c;
        ws[i].calls = calls / threads + (i < calls % threads);
        pthread_create(&th[i], NULL, run, &ws[i]);
    }
    int ok = 0, failed = 0, max_att = 0;
    long attempts = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        ok += ws[i].ok;
        failed += ws[i].failed;
        attempts += ws[i].attempts;
        if (ws[i].max_attempts > max_att)
            max_att = ws[i].max_attempts;
        if (ws[i].first_error[0])
            printf("# error: %s\n", ws[i].first_error);
    }
    double dt = now_s() - t0;
    aws_stats st;
    aws_client_stats(c, &st);
    int max_retries = cfg.max_retries < 0 ? AWS_DEFAULT_MAX_RETRIES : cfg.max_retries;
    printf("calls=%d\nsucceeded=%d\nfailed=%d\nattempts=%ld\nmax_attempts=%d\n", calls, ok,
           failed, attempts, max_att);
    printf("max_allowed_attempts=%d\n", max_retries + 1);
    printf("throttled=%ld\nserver_errors=%ld\ntransport_errors=%ld\n", st.throttled,
           st.server_errors, st.transport_errors);
    printf("seconds=%.2f\n", dt);
    printf("throttled_per_second=%.2f\n", dt > 0 ? (double)st.throttled / dt : 0);
    printf("attempts_per_second=%.2f\n", dt > 0 ? (double)st.attempts / dt : 0);
    printf("throttle_ratio=%.3f\n", st.attempts ? (double)st.throttled / st.attempts : 0);
    printf("limiter_wait_ms=%ld\n", st.limiter_wait_ms);
    printf("final_rate=%.1f\n", aws_client_rate(c, AWS_EC2));
    aws_client_free(c);
    aws_config_free(&cfg);
    return failed ? 1 : 0;
}
