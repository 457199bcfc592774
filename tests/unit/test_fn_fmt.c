/* Unit tests for format() and formatlist() (lang/fn_fmt.c).  Expected
 * values from Terraform's docs for format/formatlist, and from Go's fmt /
 * cty behaviour where noted. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

TEST(fn_format_doc_examples)
{
    CHECK_STR(call("format", 2, S("Hello, %s!"), S("Ander")), "\"Hello, Ander!\"");
    CHECK_STR(call("format", 2, S("There are %d lights"), N(4)), "\"There are 4 lights\"");
    CHECK_STR(call("format", 3, S("%s, %s"), S("a"), S("b")), "\"a, b\"");
    CHECK_STR(call("format", 2, S("%#v"), S("hello")), "\"\\\"hello\\\"\"");
    CHECK_STR(call("format", 2, S("%v"), B(1)), "\"true\"");
    CHECK_STR(call("format", 2, S("%#v"), N(12)), "\"12\"");
    CHECK_STR(call("format", 2, S("%t"), B(0)), "\"false\"");
    CHECK_STR(call("format", 2, S("%.2f"), N(3.14159)), "\"3.14\"");
    CHECK_STR(call("format", 2, S("%b"), N(5)), "\"101\"");
    CHECK_STR(call("format", 2, S("%o"), N(8)), "\"10\"");
    CHECK_STR(call("format", 2, S("%x"), N(255)), "\"ff\"");
    CHECK_STR(call("format", 2, S("%X"), N(255)), "\"FF\"");
    CHECK_STR(call("format", 2, S("%e"), N(1234.5678)), "\"1.234568e+03\"");
    CHECK_STR(call("format", 2, S("%E"), N(1234.5678)), "\"1.234568E+03\"");
    CHECK_STR(call("format", 2, S("%g"), N(1234.5678)), "\"1234.5678\"");
    CHECK_STR(call("format", 2, S("%q"), S("hi\n")), "\"\\\"hi\\\\n\\\"\"");
    CHECK_STR(call("format", 1, S("100%%")), "\"100%\"");
}

TEST(fn_format_width_precision_flags)
{
    CHECK_STR(call("format", 2, S("%5s|"), S("ab")), "\"   ab|\"");
    CHECK_STR(call("format", 2, S("%-5s|"), S("ab")), "\"ab   |\"");
    CHECK_STR(call("format", 2, S("%.3s"), S("abcdef")), "\"abc\"");
    CHECK_STR(call("format", 2, S("%05d"), N(-42)), "\"-0042\"");
    CHECK_STR(call("format", 2, S("%+d"), N(5)), "\"+5\"");
    CHECK_STR(call("format", 2, S("%#x"), N(255)), "\"0xff\"");
    CHECK_STR(call("format", 2, S("%x"), N(-255)), "\"-ff\"");   /* big.Int */
    CHECK_STR(call("format", 2, S("%.5d"), N(42)), "\"00042\"");
    CHECK_STR(call("format", 2, S("%8.3f|"), N(3.14159)), "\"   3.142|\"");
    CHECK_STR(call("format", 2, S("%3s|"), S("☃")), "\"  ☃|\"");   /* width in characters */
    CHECK_STR(call("format", 3, S("%[2]s %[1]s"), S("a"), S("b")), "\"b a\"");
    CHECK_STR(call("format", 3, S("%[2]s %s"), S("a"), S("b")),
              "ERR(-1): Call to function \"format\" failed: not enough arguments for \"%s\" at "
              "6: need index 3 but have 2 total.");
}

TEST(fn_format_values)
{
    CHECK_STR(call("format", 2, S("%v"), N(1000000)), "\"1e+06\"");    /* big.Float %g */
    CHECK_STR(call("format", 2, S("%v"), N(123456)), "\"123456\"");
    CHECK_STR(call("format", 2, S("%v"), N(0.5)), "\"0.5\"");
    CHECK_STR(call("format", 2, S("%s"), N(1.5)), "\"1.5\"");
    CHECK_STR(call("format", 2, S("%d"), S("12")), "\"12\"");
    CHECK_STR(call("format", 2, S("%v"), TS(2, "a", "b")), "\"[\\\"a\\\",\\\"b\\\"]\"");
    CHECK_STR(call("format", 2, S("%v"), val_null()), "\"null\"");
    CHECK_STR(call("format", 2, S("%v"), O(1, "a", N(1))), "\"{\\\"a\\\":1}\"");
    CHECK_STR(call("format", 2, S("%s"), val_unknown(ty_string())), "unknown(string)");
}

TEST(fn_format_errors)
{
    CHECK_STR(call("format", 2, S("%d"), N(1.5)),
              "ERR(-1): Call to function \"format\" failed: unsupported value for \"%d\" at 0: "
              "an integer is required.");
    CHECK_STR(call("format", 2, S("%s"), val_null_of(ty_string())),
              "ERR(-1): Call to function \"format\" failed: unsupported value for \"%s\" at 0: "
              "null value cannot be formatted.");
    CHECK_STR(call("format", 2, S("%z"), N(1)),
              "ERR(-1): Call to function \"format\" failed: unsupported format verb 'z' in "
              "\"%z\" at offset 0.");
    CHECK_STR(call("format", 1, S("abc%")),
              "ERR(-1): Call to function \"format\" failed: invalid format string starting at "
              "offset 4.");
    CHECK_STR(call("format", 2, S("x"), N(1)),
              "ERR(1): Invalid value for \"args\" parameter: too many arguments; no verbs in "
              "format string.");
    CHECK_STR(call("format", 3, S("%s"), S("a"), S("b")),
              "ERR(2): Invalid value for \"args\" parameter: too many arguments; only 1 used by "
              "format string.");
    CHECK_STR(call("format", 1, S("%s")),
              "ERR(-1): Call to function \"format\" failed: not enough arguments for \"%s\" at "
              "0: need index 1 but have 0 total.");
}

TEST(fn_formatlist_doc_examples)
{
    CHECK_STR(call("formatlist", 3, S("Hello, %s!"), LS(3, "Valentina", "Ander", "Olivia"),
                   S("x")),
              "ERR(-1): Call to function \"formatlist\" failed: error on format iteration 0: "
              "too many arguments; only 1 used by format string.");  /* cty wraps it */
    CHECK_STR(call("formatlist", 2, S("Hello, %s!"), LS(3, "Valentina", "Ander", "Olivia")),
              "list[\"Hello, Valentina!\", \"Hello, Ander!\", \"Hello, Olivia!\"]");
    CHECK_STR(call("formatlist", 3, S("%s, %s!"), S("Salutations"),
                   LS(3, "Valentina", "Ander", "Olivia")),
              "list[\"Salutations, Valentina!\", \"Salutations, Ander!\", "
              "\"Salutations, Olivia!\"]");
    CHECK_STR(call("formatlist", 3, S("%s=%s"), LS(2, "a", "b"), LS(1, "c")),
              "ERR(2): Invalid value for \"args\" parameter: argument 2 has length 1, which is "
              "inconsistent with argument 1 of length 2.");
    CHECK_STR(call("formatlist", 2, S("%s"), LS(0)), "list[]");
    CHECK_STR(call("formatlist", 1, S("x")), "list[\"x\"]");
    CHECK_STR(call("formatlist", 2, S("%s"), val_unknown(ty_list(ty_string()))),
              "unknown(list(string))");
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
