/* Robustness checks for the function library: deterministic pseudo-random
 * inputs (fixed seed) to the parsers inside functions — regex patterns,
 * format strings, CSV, timestamps, durations, CIDR prefixes, base64.  Each
 * call must either return a valid value or fail with a non-empty message;
 * under `make check SANITIZE=1` any memory error fails the run. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

static unsigned long fnr_state = 12345;

static unsigned fnr_next(void)
{
    fnr_state = fnr_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(fnr_state >> 33);
}

/* Random string over an alphabet biased to the syntax being tested. */
static void fnr_string(char *buf, size_t max, const char *alpha)
{
    size_t n = fnr_next() % max, al = strlen(alpha);
    for (size_t i = 0; i < n; i++)
        buf[i] = alpha[fnr_next() % al];
    buf[n] = 0;
}

/* Call and check the contract: valid value, or an error with a message. */
static int fnr_ok(const char *name, int n, val a, val b)
{
    val args[2] = {a, b};
    fn_err e;
    val r = fn_call_name(name, NULL, args, (size_t)n, &e);
    if (val_is_valid(r)) {
        val_free(r);
        return 1;
    }
    return e.msg[0] != 0;
}

TEST(fn_robust_regex)
{
    char pat[24], str[24];
    int bad = 0;
    for (int i = 0; i < 4000; i++) {
        fnr_string(pat, sizeof pat, "ab()[]|*+?{}^$.\\-:dwsbBQEPpiL,0123<>=!");
        fnr_string(str, sizeof str, "aabb01 \n-");
        if (!fnr_ok("regexall", 2, S(pat), S(str)))
            bad++;
        if (!fnr_ok("regex", 2, S(pat), S(str)))
            bad++;
    }
    CHECK_INT(bad, 0);
}

TEST(fn_robust_format)
{
    char f[20];
    int bad = 0;
    for (int i = 0; i < 4000; i++) {
        fnr_string(f, sizeof f, "%%sdvqtxXobeEfgG#0-+ .123[]]a");
        if (!fnr_ok("format", 2, S(f), N((double)(fnr_next() % 1000) / 7.0)))
            bad++;
        if (!fnr_ok("format", 2, S(f), S("x")))
            bad++;
    }
    CHECK_INT(bad, 0);
}

TEST(fn_robust_decoders)
{
    char s[40];
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        fnr_string(s, sizeof s, "a,\"\n\r x");
        if (!fnr_ok("csvdecode", 1, S(s), val_invalid()))
            bad++;
        fnr_string(s, sizeof s, "0123456789-T:Z+.");
        if (!fnr_ok("formatdate", 2, S("YYYY-MM-DD hh:mm:ss ZZZZZ EEEE"), S(s)))
            bad++;
        fnr_string(s, sizeof s, "0123456789.hmsun-+");
        if (!fnr_ok("timeadd", 2, S("2020-01-01T00:00:00Z"), S(s)))
            bad++;
        fnr_string(s, sizeof s, "0123456789abcdef:./");
        if (!fnr_ok("cidrsubnets", 2, S(s), N(fnr_next() % 40)))
            bad++;
        if (!fnr_ok("cidrhost", 2, S(s), N((double)(fnr_next() % 600) - 300)))
            bad++;
        fnr_string(s, sizeof s, "QUJD=+/\n");
        if (!fnr_ok("base64decode", 1, S(s), val_invalid()))
            bad++;
        fnr_string(s, sizeof s, "YMDEhHAamsZ'x ");
        if (!fnr_ok("formatdate", 2, S(s), S("2020-01-01T00:00:00Z")))
            bad++;
    }
    CHECK_INT(bad, 0);
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
