/*
 * tests/unit/harness.h — the in-tree unit-test harness.
 *
 * One file per module, tests/unit/test_<module>.c:
 *
 *     #include "tests/unit/harness.h"
 *     TEST(lexer_numbers) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *     ...
 *     int main(int argc, char **argv) { return harness_main(argc, argv); }
 *
 * Every TEST registers itself (constructor attribute).  Each test prints one
 * line, "ok NAME" or "not ok NAME" (with the failed checks above it, as
 * "# file:line: ..."), which tests/run.sh counts.  A test may call SKIP(why).
 * Passing a substring as argv[1] runs only the tests whose name contains it.
 */
#ifndef CAIRN_TEST_HARNESS_H
#define CAIRN_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*harness_fn)(void);
struct harness_test { const char *name; harness_fn fn; };

#define HARNESS_MAX_TESTS 2048
static struct harness_test harness_tests[HARNESS_MAX_TESTS];
static int harness_ntests;
static int harness_failed_checks;   /* in the current test */
static const char *harness_skip_reason;

static void harness_register(const char *name, harness_fn fn)
{
    if (harness_ntests >= HARNESS_MAX_TESTS) {
        fprintf(stderr, "harness: more than %d tests\n", HARNESS_MAX_TESTS);
        exit(2);
    }
    harness_tests[harness_ntests].name = name;
    harness_tests[harness_ntests].fn = fn;
    harness_ntests++;
}

#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void register_##name(void)        \
    { harness_register(#name, test_##name); }                             \
    static void test_##name(void)

#define CHECK(cond) do {                                                  \
        if (!(cond)) {                                                    \
            printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            harness_failed_checks++;                                      \
        }                                                                 \
    } while (0)

#define CHECK_INT(a, b) do {                                              \
        long long ha_ = (long long)(a), hb_ = (long long)(b);             \
        if (ha_ != hb_) {                                                 \
            printf("# %s:%d: %s == %s: got %lld, want %lld\n",            \
                   __FILE__, __LINE__, #a, #b, ha_, hb_);                 \
            harness_failed_checks++;                                      \
        }                                                                 \
    } while (0)

#define CHECK_STR(a, b) do {                                              \
        const char *ha_ = (a), *hb_ = (b);                                \
        if (!ha_ || !hb_ || strcmp(ha_, hb_) != 0) {                      \
            printf("# %s:%d: %s == %s:\n#   got  \"%s\"\n#   want \"%s\"\n", \
                   __FILE__, __LINE__, #a, #b, ha_ ? ha_ : "(null)",      \
                   hb_ ? hb_ : "(null)");                                 \
            harness_failed_checks++;                                      \
        }                                                                 \
    } while (0)

/* Stop the current test as skipped. */
#define SKIP(why) do { harness_skip_reason = (why); return; } while (0)

static int harness_main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 0; i < harness_ntests; i++) {
        const struct harness_test *t = &harness_tests[i];
        if (argc > 1 && !strstr(t->name, argv[1]))
            continue;
        harness_failed_checks = 0;
        harness_skip_reason = NULL;
        t->fn();
        if (harness_failed_checks) {
            printf("not ok %s\n", t->name);
            failed++;
        } else if (harness_skip_reason) {
            printf("skip %s # %s\n", t->name, harness_skip_reason);
        } else {
            printf("ok %s\n", t->name);
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}

#endif
