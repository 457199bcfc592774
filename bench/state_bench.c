/*
 * bench/state_bench.c — state store benchmark (not a test; numbers go in
 * bench/README.md under "State store").
 *
 *   state_bench DIR COMMITS INSTANCES
 *
 * 1. COMMITS durable single-instance commits (begin, put one ~1 KB
 *    instance, commit with fsync): p50 / p99 / max latency.
 * 2. One transaction loading INSTANCES instances, then commit.
 * 3. Reading them all back: state_each decoding every record, and again
 *    converting every record's attributes to a cairn value.
 * Prints one line of key=value figures (milliseconds).
 */
#include "lang/diag.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static state_instance *subnet(size_t i)
{
    char attrs[1400];
    snprintf(attrs, sizeof attrs,
             "{\"arn\":\"arn:aws:ec2:us-east-1:123456789012:subnet/subnet-%017zx\","
             "\"assign_ipv6_address_on_creation\":false,\"availability_zone\":\"us-east-1a\","
             "\"availability_zone_id\":\"use1-az1\",\"cidr_block\":\"10.%zu.%zu.0/24\","
             "\"customer_owned_ipv4_pool\":\"\",\"enable_dns64\":false,"
             "\"enable_resource_name_dns_a_record_on_launch\":false,\"id\":\"subnet-%017zx\","
             "\"ipv6_cidr_block\":\"\",\"map_public_ip_on_launch\":false,"
             "\"owner_id\":\"123456789012\",\"private_dns_hostname_type_on_launch\":\"ip-name\","
             "\"tags\":{\"Name\":\"bench-%zu\",\"Tier\":\"private\",\"Team\":\"platform\"},"
             "\"tags_all\":{\"Name\":\"bench-%zu\",\"Tier\":\"private\",\"Team\":\"platform\"},"
             "\"timeouts\":null,\"vpc_id\":\"vpc-0123456789abcdef0\"}",
             i, (i / 256) % 256, i % 256, i, i, i);
    state_instance *s = state_instance_new();
    s->type = xstrdup("aws_subnet");
    s->provider = xstrdup("provider[\"registry.terraform.io/hashicorp/aws\"]");
    s->schema_version = 1;
    s->attrs_json = xstrdup(attrs);
    s->sensitive_json = xstrdup("[]");
    state_instance_add_dep(s, "aws_vpc.main");
    return s;
}

static int count_cb(const char *addr, const state_instance *inst, void *p)
{
    (void)addr;
    (void)inst;
    (*(size_t *)p)++;
    return 0;
}

static int val_cb(const char *addr, const state_instance *inst, void *p)
{
    (void)addr;
    val v;
    if (state_instance_attrs(inst, &v) != 0)
        return -1;
    val_free(v);
    (*(size_t *)p)++;
    return 0;
}

static int fail(const char *what)
{
    fprintf(stderr, "state_bench: %s: %s\n", what, err_msg());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: state_bench DIR COMMITS INSTANCES\n");
        return 2;
    }
    size_t commits = strtoul(argv[2], NULL, 10), n = strtoul(argv[3], NULL, 10);
    state_env *env = NULL;
    if (state_open(&env, argv[1], STATE_CREATE) != 0)
        return fail("open");
    double *lat = xcalloc(commits ? commits : 1, sizeof *lat);
    for (size_t i = 0; i < commits; i++) {
        char addr[64];
        snprintf(addr, sizeof addr, "aws_subnet.single[%zu]", i % 100);
        state_instance *s = subnet(i);
        double t0 = now_ms();
        state_txn *t = NULL;
        if (state_txn_begin(&t, env, 0, "bench") != 0 || state_put(t, addr, s) != 0 ||
            state_commit(t) != 0)
            return fail("single commit");
        lat[i] = now_ms() - t0;
        state_instance_free(s);
    }
    qsort(lat, commits, sizeof *lat, cmp_d);
    double p50 = commits ? lat[commits / 2] : 0;
    double p99 = commits ? lat[(size_t)(commits * 0.99)] : 0;
    double mx = commits ? lat[commits - 1] : 0;
    state_instance **insts = xcalloc(n ? n : 1, sizeof *insts);
    for (size_t i = 0; i < n; i++)
        insts[i] = subnet(i);
    double t0 = now_ms();
    state_txn *t = NULL;
    if (state_txn_begin(&t, env, 0, "bench load") != 0)
        return fail("begin");
    for (size_t i = 0; i < n; i++) {
        char addr[96];
        snprintf(addr, sizeof addr, "module.net[%zu].aws_subnet.private[\"az-%zu\"]", i / 100,
                 i % 100);
        if (state_put(t, addr, insts[i]) != 0)
            return fail("load put");
    }
    if (state_commit(t) != 0)
        return fail("load commit");
    double load = now_ms() - t0;
    size_t got = 0;
    t0 = now_ms();
    if (state_txn_begin(&t, env, STATE_TXN_RDONLY, NULL) != 0 ||
        state_each(t, "module.net", count_cb, &got) != 0)
        return fail("read");
    state_abort(t);
    double readall = now_ms() - t0;
    size_t gotv = 0;
    t0 = now_ms();
    if (state_txn_begin(&t, env, STATE_TXN_RDONLY, NULL) != 0 ||
        state_each(t, "module.net", val_cb, &gotv) != 0)
        return fail("read values");
    state_abort(t);
    double readvals = now_ms() - t0;
    if (got != n || gotv != n) {
        fprintf(stderr, "state_bench: read %zu / %zu of %zu instances\n", got, gotv, n);
        return 1;
    }
    printf("commits=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f instances=%zu load_ms=%.1f "
           "read_ms=%.1f read_values_ms=%.1f load_plus_read_ms=%.1f\n",
           commits, p50, p99, mx, n, load, readall, readvals, load + readall);
    for (size_t i = 0; i < n; i++)
        state_instance_free(insts[i]);
    free(insts);
    free(lat);
    state_close(env);
    return 0;
}
