/* Unit tests for lang/fn.c (registry, generic call rules) and fn_num.c.
 * Expected values come from Terraform's function documentation unless a
 * comment says they come from cty's behaviour. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

#include <math.h>

TEST(fn_registry_lookup)
{
    CHECK(fn_lookup("abs") != NULL);
    CHECK(fn_lookup("nope") == NULL);
    CHECK(fn_is_special(fn_lookup("can")));
    CHECK(fn_is_special(fn_lookup("try")));
    CHECK(!fn_is_special(fn_lookup("abs")));
    size_t n = fn_count();
    CHECK(n > 10);
    for (size_t i = 1; i < n; i++)
        CHECK(strcmp(fn_at(i - 1)->name, fn_at(i)->name) < 0);
    CHECK(fn_at(n) == NULL);
}

TEST(fn_call_unknown_function)
{
    CHECK_STR(call("nope", 0), "ERR(-1): There is no function named \"nope\".");
}

TEST(fn_call_counts)
{
    CHECK_STR(call("abs", 0),
              "ERR(-1): Function \"abs\" expects 1 argument(s). Missing value for \"num\".");
    CHECK_STR(call("abs", 2, N(1), N(2)), "ERR(1): Function \"abs\" expects only 1 argument(s).");
    CHECK_STR(call("join", 0), "ERR(-1): Function \"join\" expects at least 1 argument(s). "
                               "Missing value for \"separator\".");
}

TEST(fn_call_conversion_errors)
{
    CHECK_STR(call("abs", 1, S("x")),
              "ERR(0): Invalid value for \"num\" parameter: a number is required.");
    CHECK_STR(call("abs", 1, S("-3")), "3");   /* string -> number conversion */
    CHECK_STR(call("abs", 1, val_null_of(ty_number())),
              "ERR(0): Invalid value for \"num\" parameter: argument must not be null.");
    CHECK_STR(call("max", 3, N(1), S("b"), N(2)),
              "ERR(1): Invalid value for \"numbers\" parameter: a number is required.");
}

TEST(fn_call_unknown_and_sensitive)
{
    CHECK_STR(call("abs", 1, val_unknown(ty_number())), "unknown(number)");
    CHECK_STR(call("abs", 1, val_unknown(ty_any())), "unknown(number)");
    CHECK_STR(call("upper", 1, val_mark(S("a"), VAL_MARK_SENSITIVE)), "sensitive(\"A\")");
    CHECK_STR(call("max", 2, N(1), val_mark(N(5), VAL_MARK_SENSITIVE)), "sensitive(5)");
}

TEST(fn_special_forms_not_callable)
{
    fn_err e;
    val a[1] = {N(1)};
    val r = fn_call(fn_lookup("can"), NULL, a, 1, &e);
    CHECK(!val_is_valid(r));
}

TEST(fn_abs)
{
    CHECK_STR(call("abs", 1, N(23)), "23");
    CHECK_STR(call("abs", 1, N(0)), "0");
    CHECK_STR(call("abs", 1, N(-12.4)), "12.4");
}

TEST(fn_ceil_floor)
{
    CHECK_STR(call("ceil", 1, N(5)), "5");
    CHECK_STR(call("ceil", 1, N(5.1)), "6");
    CHECK_STR(call("ceil", 1, N(-5.1)), "-5");
    CHECK_STR(call("floor", 1, N(5)), "5");
    CHECK_STR(call("floor", 1, N(4.9)), "4");
    CHECK_STR(call("floor", 1, N(-4.1)), "-5");
    CHECK_STR(call("ceil", 1, N(-0.5)), "0");
}

TEST(fn_log_pow)
{
    CHECK_STR(call("log", 2, N(50), N(10)), "1.6989700043360185");
    CHECK_STR(call("log", 2, N(16), N(2)), "4");
    CHECK_STR(call("log", 2, N(1), N(10)), "0");
    CHECK_STR(call("pow", 2, N(3), N(2)), "9");
    CHECK_STR(call("pow", 2, N(4), N(0)), "1");
    CHECK_STR(call("pow", 2, N(2), N(-1)), "0.5");
}

TEST(fn_min_max)
{
    CHECK_STR(call("max", 3, N(12), N(54), N(3)), "54");
    CHECK_STR(call("min", 3, N(12), N(54), N(3)), "3");
    CHECK_STR(call("max", 1, N(-1)), "-1");
    CHECK_STR(call("max", 0), "ERR(-1): Call to function \"max\" failed: must pass at least "
                              "one number.");
    CHECK_STR(call("min", 2, S("7"), N(10)), "7");
}

TEST(fn_parseint)
{
    CHECK_STR(call("parseint", 2, S("100"), N(10)), "100");
    CHECK_STR(call("parseint", 2, S("FF"), N(16)), "255");
    CHECK_STR(call("parseint", 2, S("-10"), N(16)), "-16");
    CHECK_STR(call("parseint", 2, S("1011111011101111"), N(2)), "48879");
    CHECK_STR(call("parseint", 2, S("aA"), N(62)), "656");
    CHECK_STR(call("parseint", 2, S("12"), N(2)),
              "ERR(0): Invalid value for \"number\" parameter: cannot parse \"12\" as a base 2 "
              "integer.");
    CHECK_STR(call("parseint", 2, S("1"), N(1)),
              "ERR(1): Invalid value for \"base\" parameter: base must be a whole number "
              "between 2 and 62 inclusive.");
    CHECK_STR(call("parseint", 2, N(1), N(10)),
              "ERR(0): Invalid value for \"number\" parameter: first argument must be a "
              "string, not number.");
    CHECK_STR(call("parseint", 2, S(""), N(10)),
              "ERR(0): Invalid value for \"number\" parameter: cannot parse \"\" as a base 10 "
              "integer.");
    CHECK_STR(call("parseint", 2, S("+7"), N(8)), "7");
}

TEST(fn_signum)
{
    CHECK_STR(call("signum", 1, N(-13)), "-1");
    CHECK_STR(call("signum", 1, N(0)), "0");
    CHECK_STR(call("signum", 1, N(344)), "1");
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
