/*
 * tests/fuzz/fuzz_lang.c — libFuzzer target over the language front end.
 *
 * One input is one configuration file.  It is formatted with and without
 * terraform's rewrites; formatting must never change the tokens (fmt checks
 * that itself and returns CAIRN_EINVAL), and when it succeeds the result
 * must format to itself (idempotence).  A violation aborts, which the
 * fuzzer reports as a crash.
 *
 * Built two ways: by scripts/fuzz.sh with clang -fsanitize=fuzzer (the
 * campaign, `make fuzz`), and through tests/helpers/fuzz_lang_replay.c with
 * the normal compiler, which replays tests/fuzz/corpus and
 * tests/fuzz/crashes in `make check` (tests/suites/fuzz_replay.sh).
 */
#include "lang/diag.h"
#include "lang/fmt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Inputs larger than this are ignored: they find nothing small ones do not. */
#define FUZZ_MAX_INPUT (256u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fmt(const char *text, size_t len, unsigned flags)
{
    diag_list d = {0};
    char *once = NULL, *twice = NULL;
    size_t n1 = 0, n2 = 0;
    src_file *f = src_from_string("fuzz.tf", text, len), *g = NULL;
    int rc = fmt_format(f, flags, &once, &n1, &d);
    if (rc == CAIRN_EINVAL) {
        fprintf(stderr, "fuzz_lang: %s (flags %u)\n", err_msg(), flags);
        abort();
    }
    if (rc == 0) {
        g = src_from_string("fuzz2.tf", once, n1);
        if (fmt_format(g, flags, &twice, &n2, &d) != 0 || n1 != n2 ||
            memcmp(once, twice, n1) != 0) {
            fprintf(stderr, "fuzz_lang: fmt is not idempotent (flags %u)\n", flags);
            abort();
        }
    }
    free(once);
    free(twice);
    diag_list_free(&d);
    src_free(f);
    src_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    fuzz_fmt((const char *)data, size, 0);
    fuzz_fmt((const char *)data, size, FMT_TERRAFORM);
    return 0;
}
