/* Unit tests for lang/fn_str.c and the regex engine lang/fn_re.c.
 * Expected values come from Terraform's function documentation unless a
 * comment says they come from cty / Go behaviour. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

TEST(fn_chomp)
{
    CHECK_STR(call("chomp", 1, S("hello\n")), "\"hello\"");
    CHECK_STR(call("chomp", 1, S("hello\r\n")), "\"hello\"");
    CHECK_STR(call("chomp", 1, S("hello\n\n")), "\"hello\"");
    CHECK_STR(call("chomp", 1, S("hel\nlo")), "\"hel\\nlo\"");
    CHECK_STR(call("chomp", 1, S("")), "\"\"");
}

TEST(fn_startswith_endswith_strcontains)
{
    CHECK_STR(call("startswith", 2, S("hello world"), S("hello")), "true");
    CHECK_STR(call("startswith", 2, S("hello world"), S("world")), "false");
    CHECK_STR(call("endswith", 2, S("hello world"), S("world")), "true");
    CHECK_STR(call("endswith", 2, S("hello world"), S("hello")), "false");
    CHECK_STR(call("strcontains", 2, S("hello world"), S("wor")), "true");
    CHECK_STR(call("strcontains", 2, S("hello world"), S("wod")), "false");
    CHECK_STR(call("startswith", 2, S("a"), S("")), "true");
}

TEST(fn_indent)
{
    CHECK_STR(call("indent", 2, N(2), S("[\n  foo,\n  bar,\n]\n")),
              "\"[\\n    foo,\\n    bar,\\n  ]\\n  \"");
    CHECK_STR(call("indent", 2, N(0), S("a\nb")), "\"a\\nb\"");
}

TEST(fn_join)
{
    CHECK_STR(call("join", 2, S(", "), LS(3, "foo", "bar", "baz")), "\"foo, bar, baz\"");
    CHECK_STR(call("join", 2, S(", "), LS(1, "foo")), "\"foo\"");
    CHECK_STR(call("join", 3, S("-"), LS(2, "a", "b"), LS(1, "c")), "\"a-b-c\"");
    CHECK_STR(call("join", 2, S("-"), TS(0)), "\"\"");
    CHECK_STR(call("join", 1, S("-")),
              "ERR(-1): Call to function \"join\" failed: at least one list is required.");
    /* cty: tuple elements converted to string */
    CHECK_STR(call("join", 2, S(","), T(2, N(1), B(1))), "\"1,true\"");
}

TEST(fn_lower_upper_title)
{
    CHECK_STR(call("lower", 1, S("HELLO")), "\"hello\"");
    CHECK_STR(call("lower", 1, S("АЛЛО!")), "\"алло!\"");
    CHECK_STR(call("upper", 1, S("hello")), "\"HELLO\"");
    CHECK_STR(call("upper", 1, S("алло!")), "\"АЛЛО!\"");
    CHECK_STR(call("title", 1, S("hello world")), "\"Hello World\"");
    CHECK_STR(call("title", 1, S("hello-world foo_bar")), "\"Hello-World Foo_bar\"");
    CHECK_STR(call("upper", 1, S("straße")), "\"STRAßE\"");
}

TEST(fn_split)
{
    CHECK_STR(call("split", 2, S(","), S("foo,bar,baz")), "list[\"foo\", \"bar\", \"baz\"]");
    CHECK_STR(call("split", 2, S(","), S("foo")), "list[\"foo\"]");
    CHECK_STR(call("split", 2, S(","), S("")), "list[\"\"]");
    CHECK_STR(call("split", 2, S(""), S("abc")), "list[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("split", 2, S(", "), S("a, b, ")), "list[\"a\", \"b\", \"\"]");
}

TEST(fn_strrev)
{
    CHECK_STR(call("strrev", 1, S("hello")), "\"olleh\"");
    CHECK_STR(call("strrev", 1, S("a ☃")), "\"☃ a\"");
    CHECK_STR(call("strrev", 1, S("")), "\"\"");
    CHECK_STR(call("strrev", 1, S("e\xcc\x81x")), "\"xe\xcc\x81\"");  /* combining mark */
}

TEST(fn_substr)
{
    CHECK_STR(call("substr", 3, S("hello world"), N(1), N(4)), "\"ello\"");
    CHECK_STR(call("substr", 3, S("🤔🤷"), N(0), N(1)), "\"🤔\"");
    CHECK_STR(call("substr", 3, S("hello world"), N(-5), N(-1)), "\"world\"");
    CHECK_STR(call("substr", 3, S("hello world"), N(6), N(10)), "\"world\"");
    CHECK_STR(call("substr", 3, S("hello"), N(10), N(2)), "\"\"");
    CHECK_STR(call("substr", 3, S("hello"), N(0), N(0)), "\"\"");
    CHECK_STR(call("substr", 3, S("hello"), N(-1), N(0)), "\"o\"");  /* cty quirk */
    CHECK_STR(call("substr", 3, S("hello"), N(-10), N(2)), "\"he\"");
    CHECK_STR(call("substr", 3, S("hello"), N(5), N(2)), "\"\"");
}

TEST(fn_trim_family)
{
    CHECK_STR(call("trim", 2, S("?!hello?!"), S("!?")), "\"hello\"");
    CHECK_STR(call("trim", 2, S("foobar"), S("far")), "\"oob\"");
    CHECK_STR(call("trim", 2, S("   hello! world.!  "), S("! ")), "\"hello! world.\"");
    CHECK_STR(call("trimprefix", 2, S("helloworld"), S("hello")), "\"world\"");
    CHECK_STR(call("trimprefix", 2, S("helloworld"), S("cat")), "\"helloworld\"");
    CHECK_STR(call("trimsuffix", 2, S("helloworld"), S("world")), "\"hello\"");
    CHECK_STR(call("trimsuffix", 2, S("helloworld"), S("cat")), "\"helloworld\"");
    CHECK_STR(call("trimspace", 1, S("  hello\n\n")), "\"hello\"");
    CHECK_STR(call("trimspace", 1, S("\t\r\n ")), "\"\"");
    CHECK_STR(call("trimspace", 1, S("\xc2\xa0x\xe3\x80\x80")), "\"x\"");
}

TEST(fn_replace)
{
    CHECK_STR(call("replace", 3, S("1 + 2 + 3"), S("+"), S("-")), "\"1 - 2 - 3\"");
    CHECK_STR(call("replace", 3, S("hello world"), S("/w.*d/"), S("everybody")),
              "\"hello everybody\"");
    CHECK_STR(call("replace", 3, S("abc"), S(""), S("-")), "\"-a-b-c-\"");
    CHECK_STR(call("replace", 3, S("hello world"), S("/(o)/"), S("[$1]")),
              "\"hell[o] w[o]rld\"");
    CHECK_STR(call("replace", 3, S("abc"), S("/x*/"), S("-")), "\"-a-b-c-\"");
    CHECK_STR(call("replace", 3, S("a-b"), S("/(?P<l>\\w)-(?P<r>\\w)/"), S("${r}+$l$$")),
              "\"b+a$\"");
    CHECK_STR(call("replace", 3, S("aaa"), S("/a/"), S("$1x")), "\"\"");  /* Go: $1x is ${1x} */
    CHECK_STR(call("replace", 3, S("x"), S("/(/"), S("y")),
              "ERR(-1): Call to function \"replace\" failed: error parsing regexp: missing "
              "closing ): `(`.");
    CHECK_STR(call("replace", 3, S("/"), S("/"), S("x")), "\"x\"");
}

TEST(fn_regex_doc_examples)
{
    CHECK_STR(call("regex", 2, S("[a-z]+"), S("53453453.345345aaabbbccc23454")),
              "\"aaabbbccc\"");
    CHECK_STR(call("regex", 2, S("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), S("2019-02-01")),
              "tuple[\"2019\", \"02\", \"01\"]");
    CHECK_STR(call("regex", 2,
                   S("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                   S("https://terraform.io/docs/")),
              "object{authority = \"terraform.io\", scheme = \"https\"}");
    CHECK_STR(call("regex", 2, S("[a-z]+"), S("53453453.34534523454")),
              "ERR(-1): Call to function \"regex\" failed: pattern did not match any part of "
              "the given string.");
}

TEST(fn_regexall_doc_examples)
{
    CHECK_STR(call("regexall", 2, S("[a-z]+"), S("1234abcd5678efgh9")),
              "list[\"abcd\", \"efgh\"]");
    CHECK_STR(call("regexall", 2, S("[a-z]+"), S("123456789")), "list[]");
    CHECK_STR(call("regexall", 2, S("(a)(b)?"), S("a ab")),
              "list[tuple[\"a\", null(string)], tuple[\"a\", \"b\"]]");
    CHECK_STR(call("regexall", 2, S("x*"), S("abc")), "list[\"\", \"\", \"\", \"\"]");
    CHECK_STR(call("regexall", 2, S("a*"), S("baaac")), "list[\"\", \"aaa\", \"\"]");
}

TEST(fn_regex_errors)
{
    CHECK_STR(call("regex", 2, S("(a)(?P<n>b)"), S("ab")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: cannot "
              "mix both named and unnamed capture groups.");
    CHECK_STR(call("regex", 2, S("a**"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
              "nested repetition operator in **.");
    CHECK_STR(call("regex", 2, S("[z-a]"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
              "character class range in z-a.");
    CHECK_STR(call("regex", 2, S("*a"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: missing "
              "argument to repetition operator in *.");
    CHECK_STR(call("regex", 2, S("a)"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: "
              "unexpected ) in a).");
    CHECK_STR(call("regex", 2, S("[a"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: missing "
              "closing ] in [a.");
    CHECK_STR(call("regex", 2, S("\\q"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
              "escape sequence in \\q.");
    CHECK_STR(call("regex", 2, S("a{1001}"), S("a")),
              "ERR(0): Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
              "repeat count in {1001}.");
}

/* Engine semantics (Go's leftmost-first rules). */
TEST(fn_regex_engine)
{
    CHECK_STR(call("regex", 2, S("a|ab"), S("ab")), "\"a\"");
    CHECK_STR(call("regex", 2, S("a+?"), S("aaa")), "\"a\"");
    CHECK_STR(call("regex", 2, S("(?i)HeLLo"), S("say hello")), "\"hello\"");
    CHECK_STR(call("regex", 2, S("(?i:a)b"), S("AB Ab")), "\"Ab\"");
    CHECK_STR(call("regex", 2, S("^b"), S("a\nb")),
              "ERR(-1): Call to function \"regex\" failed: pattern did not match any part of "
              "the given string.");
    CHECK_STR(call("regex", 2, S("(?m)^b$"), S("a\nb\nc")), "\"b\"");
    CHECK_STR(call("regex", 2, S("a.c"), S("a\nc abc")), "\"abc\"");
    CHECK_STR(call("regex", 2, S("(?s)a.c"), S("a\nc")), "\"a\\nc\"");
    CHECK_STR(call("regex", 2, S("\\bfoo\\b"), S("afoo foo")), "\"foo\"");
    CHECK_STR(call("regex", 2, S("[[:digit:]]{2,3}"), S("a12345")), "\"123\"");
    CHECK_STR(call("regex", 2, S("x{2,}"), S("xxxxy")), "\"xxxx\"");
    CHECK_STR(call("regex", 2, S("x{0}y"), S("xy")), "\"y\"");
    CHECK_STR(call("regex", 2, S("a{,2}"), S("a{,2}")), "\"a{,2}\"");
    CHECK_STR(call("regex", 2, S("[^\\d\\s]+"), S("12 ab3")), "\"ab\"");
    CHECK_STR(call("regex", 2, S("\\Qa.b\\E+"), S("a.bbb axb")), "\"a.bbb\"");
    CHECK_STR(call("regex", 2, S("(a*)*"), S("b")), "tuple[\"\"]");
    CHECK_STR(call("regex", 2, S("\\Q*+\\E+"), S("a*++")), "\"*++\"");
    CHECK_STR(call("regex", 2, S("(a|b)*c"), S("abac")), "tuple[\"a\"]");
    CHECK_STR(call("regex", 2, S("\\x41\\x{42}"), S("AB")), "\"AB\"");
    CHECK_STR(call("regex", 2, S("é+"), S("café")), "\"é\"");
    CHECK_STR(call("regex", 2, S("[à-ÿ]"), S("xÿ")), "\"ÿ\"");
    CHECK_STR(call("regex", 2, S("(?U)a+"), S("aaa")), "\"a\"");
    CHECK_STR(call("regex", 2, S("(?<year>\\d+)"), S("in 2024")), "object{year = \"2024\"}");
    CHECK_STR(call("regex", 2, S("a$"), S("a\n")),
              "ERR(-1): Call to function \"regex\" failed: pattern did not match any part of "
              "the given string.");
}

TEST(fn_regex_pathological_is_fast)
{
    /* (a*)*b against many a's: exponential for naive backtracking */
    char buf[4001];
    memset(buf, 'a', 4000);
    buf[4000] = 0;
    CHECK_STR(call("regexall", 2, S("(a*)*b"), S(buf)), "list[]");
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
