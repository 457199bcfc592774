/* Unit tests for lang/fn_coll.c (collection and set functions).  Expected
 * values are the examples of Terraform's function documentation unless a
 * comment says they follow cty's behaviour. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

TEST(fn_alltrue_anytrue)
{
    CHECK_STR(call("alltrue", 1, T(2, S("true"), B(1))), "true");
    CHECK_STR(call("alltrue", 1, T(2, B(1), B(0))), "false");
    CHECK_STR(call("alltrue", 1, T(0)), "true");
    CHECK_STR(call("anytrue", 1, T(1, S("true"))), "true");
    CHECK_STR(call("anytrue", 1, T(1, B(1))), "true");
    CHECK_STR(call("anytrue", 1, T(2, B(1), B(0))), "true");
    CHECK_STR(call("anytrue", 1, T(0)), "false");
    CHECK_STR(call("anytrue", 1, T(2, val_unknown(ty_bool()), B(0))), "unknown(bool)");
    CHECK_STR(call("alltrue", 1, T(1, S("x"))),
              "ERR(0): Invalid value for \"list\" parameter: a bool is required.");
}

TEST(fn_chunklist)
{
    CHECK_STR(call("chunklist", 2, TS(5, "a", "b", "c", "d", "e"), N(2)),
              "list[list[\"a\", \"b\"], list[\"c\", \"d\"], list[\"e\"]]");
    CHECK_STR(call("chunklist", 2, TS(5, "a", "b", "c", "d", "e"), N(1)),
              "list[list[\"a\"], list[\"b\"], list[\"c\"], list[\"d\"], list[\"e\"]]");
    CHECK_STR(call("chunklist", 2, TS(2, "a", "b"), N(0)), "list[list[\"a\", \"b\"]]");
    CHECK_STR(call("chunklist", 2, LS(0), N(3)), "list[]");
    CHECK_STR(call("chunklist", 2, TS(1, "a"), N(-1)),
              "ERR(-1): Call to function \"chunklist\" failed: the size argument must be "
              "positive.");
}

TEST(fn_coalesce)
{
    CHECK_STR(call("coalesce", 2, S("a"), S("b")), "\"a\"");
    CHECK_STR(call("coalesce", 2, S(""), S("b")), "\"b\"");
    CHECK_STR(call("coalesce", 2, N(1), N(2)), "1");
    CHECK_STR(call("coalesce", 3, val_null(), S(""), N(3)), "\"3\"");   /* unified to string */
    CHECK_STR(call("coalesce", 2, val_null(), S("")),
              "ERR(-1): Call to function \"coalesce\" failed: no non-null, non-empty-string "
              "arguments.");
    CHECK_STR(call("coalescelist", 2, TS(2, "a", "b"), TS(2, "c", "d")), "tuple[\"a\", \"b\"]");
    CHECK_STR(call("coalescelist", 2, T(0), TS(2, "c", "d")), "tuple[\"c\", \"d\"]");
    CHECK_STR(call("coalescelist", 1, S("x")),
              "ERR(-1): Call to function \"coalescelist\" failed: coalescelist arguments must "
              "be lists or tuples.");
}

TEST(fn_compact_concat)
{
    CHECK_STR(call("compact", 1, T(5, S("a"), S(""), S("b"), val_null(), S("c"))),
              "list[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("concat", 2, TS(2, "a", ""), TS(2, "b", "c")),
              "tuple[\"a\", \"\", \"b\", \"c\"]");
    CHECK_STR(call("concat", 2, LS(1, "a"), LS(1, "b")), "list[\"a\", \"b\"]");
    CHECK_STR(call("concat", 2, LS(1, "a"), S("b")),
              "ERR(1): Invalid value for \"seqs\" parameter: all arguments must be lists or "
              "tuples; got string.");
    CHECK_STR(call("concat", 0), "ERR(-1): Call to function \"concat\" failed: at least one "
                                 "argument is required.");
}

TEST(fn_contains_distinct_index)
{
    CHECK_STR(call("contains", 2, TS(3, "a", "b", "c"), S("a")), "true");
    CHECK_STR(call("contains", 2, TS(3, "a", "b", "c"), S("d")), "false");
    CHECK_STR(call("contains", 2, TN(2, 1.0, 2.0), S("1")), "false");   /* no conversion */
    CHECK_STR(call("distinct", 1, TS(6, "a", "b", "a", "c", "d", "b")),
              "list[\"a\", \"b\", \"c\", \"d\"]");
    CHECK_STR(call("index", 2, TS(3, "a", "b", "c"), S("b")), "1");
    CHECK_STR(call("index", 2, TS(3, "a", "b", "c"), S("z")),
              "ERR(-1): Call to function \"index\" failed: item not found.");
}

TEST(fn_element)
{
    CHECK_STR(call("element", 2, TS(3, "a", "b", "c"), N(1)), "\"b\"");
    CHECK_STR(call("element", 2, TS(3, "a", "b", "c"), N(3)), "\"a\"");   /* wraps */
    CHECK_STR(call("element", 2, TS(3, "a", "b", "c"), N(2)), "\"c\"");
    CHECK_STR(call("element", 2, TS(3, "a", "b", "c"), N(-1)),
              "ERR(-1): Call to function \"element\" failed: cannot use element function with "
              "a negative index.");
    CHECK_STR(call("element", 2, T(0), N(0)),
              "ERR(-1): Call to function \"element\" failed: cannot use element function with "
              "an empty list.");
}

TEST(fn_flatten)
{
    CHECK_STR(call("flatten", 1, T(3, TS(2, "a", "b"), T(0), TS(1, "c"))),
              "tuple[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("flatten", 1, T(2, T(2, TS(2, "a", "b"), T(0)), TS(1, "c"))),
              "tuple[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("flatten", 1, S("x")),
              "ERR(-1): Call to function \"flatten\" failed: can only flatten lists, sets and "
              "tuples.");
}

TEST(fn_keys_values_lookup)
{
    CHECK_STR(call("keys", 1, O(3, "a", N(1), "c", N(2), "d", N(3))),
              "tuple[\"a\", \"c\", \"d\"]");
    CHECK_STR(call("values", 1, O(3, "a", N(3), "c", N(2), "d", N(1))), "tuple[3, 2, 1]");
    val m = AS(O(2, "a", S("ay"), "b", S("bee")), ty_map(ty_string()));
    CHECK_STR(call("keys", 1, val_copy(m)), "list[\"a\", \"b\"]");
    CHECK_STR(call("values", 1, val_copy(m)), "list[\"ay\", \"bee\"]");
    CHECK_STR(call("lookup", 3, val_copy(m), S("a"), S("what?")), "\"ay\"");
    CHECK_STR(call("lookup", 3, val_copy(m), S("c"), S("what?")), "\"what?\"");
    CHECK_STR(call("lookup", 2, val_copy(m), S("c")),
              "ERR(-1): Call to function \"lookup\" failed: lookup failed to find key \"c\".");
    CHECK_STR(call("lookup", 2, AS(O(1, "a", N(1)), ty_map(ty_number())),
                   val_mark(S("secret"), VAL_MARK_SENSITIVE)),
              "ERR(-1): Call to function \"lookup\" failed: lookup failed to find key "
              "(sensitive value).");
    CHECK_STR(call("lookup", 2, O(1, "a", N(1)), S("b")),
              "ERR(0): Invalid value for \"inputMap\" parameter: the given object has no "
              "attribute \"b\".");
    CHECK_STR(call("lookup", 3, O(1, "a", N(1)), S("b"), S("d")), "\"d\"");
    CHECK_STR(call("keys", 1, S("x")),
              "ERR(0): Invalid value for \"inputMap\" parameter: must have map or object type.");
    val_free(m);
}

TEST(fn_length)
{
    CHECK_STR(call("length", 1, T(0)), "0");
    CHECK_STR(call("length", 1, TS(2, "a", "b")), "2");
    CHECK_STR(call("length", 1, O(1, "a", S("b"))), "1");
    CHECK_STR(call("length", 1, S("hello")), "5");
    CHECK_STR(call("length", 1, S("👾🕹️")), "2");
    /* grapheme counts below as cty's strlen (textseg, Unicode 13) gives them */
    CHECK_STR(call("length", 1, S("🇺🇸🇫🇷")), "2");
    CHECK_STR(call("length", 1, S("नमस्ते")), "4");
    CHECK_STR(call("length", 1, S("👨‍👩‍👧")), "1");
    CHECK_STR(call("length", 1, S("a\u200db")), "2");
    CHECK_STR(call("length", 1, S("🏳️‍🌈")), "1");
    CHECK_STR(call("length", 1, S("👍🏽")), "1");
    CHECK_STR(call("length", 1, S("\u0e01\u0e33")), "1");
    CHECK_STR(call("length", 1, S("\u1100\u1161\u11a8")), "1");
    CHECK_STR(call("length", 1, S("\r\n")), "1");
    CHECK_STR(call("length", 1, val_unknown(ty_list(ty_string()))), "unknown(number)");
    CHECK_STR(call("length", 1, N(1)),
              "ERR(0): Invalid value for \"value\" parameter: argument must be a string, a "
              "collection type, or a structural type.");
}

TEST(fn_matchkeys_merge)
{
    CHECK_STR(call("matchkeys", 3, TS(3, "i-123", "i-abc", "i-def"),
                   TS(3, "us-west", "us-east", "us-east"), TS(1, "us-east")),
              "list[\"i-abc\", \"i-def\"]");
    CHECK_STR(call("merge", 2, O(2, "a", S("b"), "c", S("d")), O(2, "e", S("f"), "c", S("z"))),
              "object{a = \"b\", c = \"z\", e = \"f\"}");
    CHECK_STR(call("merge", 3, O(1, "a", S("b")), O(2, "a", TN(2, 1.0, 2.0), "c", S("z")),
                   O(1, "d", N(3))),
              "object{a = tuple[1, 2], c = \"z\", d = 3}");
    CHECK_STR(call("merge", 0), "object{}");
    CHECK_STR(call("merge", 1, S("x")),
              "ERR(-1): Call to function \"merge\" failed: arguments must be maps or objects, "
              "got \"string\".");
}

TEST(fn_one)
{
    CHECK_STR(call("one", 1, T(0)), "null(any)");
    CHECK_STR(call("one", 1, TS(1, "hello")), "\"hello\"");
    CHECK_STR(call("one", 1, LS(0)), "null(string)");
    CHECK_STR(call("one", 1, TS(2, "hello", "goodbye")),
              "ERR(0): Invalid value for \"list\" parameter: must be a list, set, or tuple value "
              "with either zero or one elements.");
}

TEST(fn_range)
{
    CHECK_STR(call("range", 1, N(3)), "list[0, 1, 2]");
    CHECK_STR(call("range", 2, N(1), N(4)), "list[1, 2, 3]");
    CHECK_STR(call("range", 3, N(1), N(8), N(2)), "list[1, 3, 5, 7]");
    CHECK_STR(call("range", 3, N(1), N(4), N(0.5)), "list[1, 1.5, 2, 2.5, 3, 3.5]");
    CHECK_STR(call("range", 2, N(4), N(1)), "list[4, 3, 2]");
    CHECK_STR(call("range", 3, N(10), N(5), N(-2)), "list[10, 8, 6]");
    CHECK_STR(call("range", 1, N(0)), "list[]");
    /* cty's zero-step check compares by identity and never fires (oracle) */
    CHECK_STR(call("range", 3, N(1), N(2), N(0)),
              "ERR(-1): Call to function \"range\" failed: more than 1024 values were "
              "generated; either decrease the difference between start and end or use a "
              "smaller step.");
    CHECK_STR(call("range", 3, N(2), N(2), N(0)), "list[]");
    CHECK_STR(call("range", 1, N(2000)),
              "ERR(-1): Call to function \"range\" failed: more than 1024 values were "
              "generated; either decrease the difference between start and end or use a "
              "smaller step.");
}

TEST(fn_reverse_slice_sort_sum)
{
    CHECK_STR(call("reverse", 1, TN(3, 1.0, 2.0, 3.0)), "tuple[3, 2, 1]");
    CHECK_STR(call("reverse", 1, LS(2, "a", "b")), "list[\"b\", \"a\"]");
    CHECK_STR(call("slice", 3, TS(4, "a", "b", "c", "d"), N(1), N(3)), "tuple[\"b\", \"c\"]");
    CHECK_STR(call("slice", 3, LS(2, "a", "b"), N(0), N(3)),
              "ERR(2): Invalid value for \"end_index\" parameter: end index must not be greater "
              "than the length of the list.");
    CHECK_STR(call("slice", 3, LS(2, "a", "b"), N(2), N(1)),
              "ERR(1): Invalid value for \"start_index\" parameter: start index must not be "
              "greater than end index.");
    CHECK_STR(call("sort", 1, TS(4, "e", "d", "a", "x")), "list[\"a\", \"d\", \"e\", \"x\"]");
    CHECK_STR(call("sort", 1, TN(3, 10.0, 9.0, 1.0)), "list[\"1\", \"10\", \"9\"]");
    CHECK_STR(call("sum", 1, TN(4, 10.0, 13.0, 6.0, 4.5)), "33.5");
    CHECK_STR(call("sum", 1, S("x")),
              "ERR(0): Invalid value for \"list\" parameter: cannot sum noniterable.");
    CHECK_STR(call("sum", 1, O(1, "a", N(1))),
              "ERR(0): Invalid value for \"list\" parameter: argument must be list, set, or "
              "tuple. Received object.");
    CHECK_STR(call("list", 1, N(1)),
              "ERR(-1): Call to function \"list\" failed: the \"list\" function was "
              "deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) "
              "syntax to write a literal list.");
    CHECK_STR(call("sum", 1, T(0)),
              "ERR(0): Invalid value for \"list\" parameter: cannot sum an empty list.");
}

TEST(fn_transpose_zipmap)
{
    val in = AS(O(2, "a", TS(2, "1", "2"), "b", TS(2, "2", "3")),
                ty_map(ty_list(ty_string())));
    CHECK_STR(call("transpose", 1, in),
              "map{1 = list[\"a\"], 2 = list[\"a\", \"b\"], 3 = list[\"b\"]}");
    CHECK_STR(call("zipmap", 2, TS(2, "a", "b"), TN(2, 1.0, 2.0)), "object{a = 1, b = 2}");
    CHECK_STR(call("zipmap", 2, TS(2, "a", "b"), AS(TN(2, 1.0, 2.0), ty_list(ty_number()))),
              "map{a = 1, b = 2}");
    CHECK_STR(call("zipmap", 2, TS(1, "a"), TN(2, 1.0, 2.0)),
              "ERR(-1): Call to function \"zipmap\" failed: number of keys (1) does not match "
              "number of values (2).");
}

TEST(fn_sets)
{
    CHECK_STR(call("setintersection", 3, TS(2, "a", "b"), TS(2, "b", "c"), TS(2, "b", "d")),
              "set[\"b\"]");
    CHECK_STR(call("setsubtract", 2, TS(3, "a", "b", "c"), TS(2, "a", "c")), "set[\"b\"]");
    CHECK_STR(call("setunion", 3, TS(2, "a", "b"), TS(2, "b", "c"), TS(1, "d")),
              "set[\"a\", \"b\", \"c\", \"d\"]");
    CHECK_STR(call("setproduct", 2, TS(3, "development", "staging", "production"),
                   TS(2, "app1", "app2")),
              "list[tuple[\"development\", \"app1\"], tuple[\"development\", \"app2\"], "
              "tuple[\"staging\", \"app1\"], tuple[\"staging\", \"app2\"], "
              "tuple[\"production\", \"app1\"], tuple[\"production\", \"app2\"]]");
    CHECK_STR(call("setproduct", 2, TS(1, "a"), T(0)), "list[]");
    CHECK_STR(call("setproduct", 1, TS(1, "a")),
              "ERR(-1): Call to function \"setproduct\" failed: at least two arguments are "
              "required.");
    CHECK_STR(call("setunion", 2, TS(1, "a"), TN(1, 1.0)), "set[\"1\", \"a\"]");
}

/* Unknown arguments give unknown results of the type cty would compute. */
TEST(fn_coll_unknown_types)
{
    CHECK_STR(call("element", 2, val_unknown(ty_list(ty_string())), N(0)), "unknown(string)");
    CHECK_STR(call("element", 2, LS(2, "a", "b"), val_unknown(ty_number())), "unknown(string)");
    CHECK_STR(call("element", 2, T(2, S("a"), val_unknown(ty_number())), N(1)),
              "unknown(number)");
    CHECK_STR(call("one", 1, val_unknown(ty_list(ty_bool()))), "unknown(bool)");
    val m = AS(O(1, "a", N(1)), ty_map(ty_number()));
    CHECK_STR(call("lookup", 3, m, val_unknown(ty_string()), N(0)), "unknown(number)");
    CHECK_STR(call("length", 1, T(2, val_unknown(ty_string()), N(1))), "2");
    CHECK_STR(call("join", 2, S(","), T(2, S("a"), val_unknown(ty_string()))),
              "unknown(string)");
    CHECK_STR(call("contains", 2, T(2, S("a"), val_unknown(ty_string())), S("a")), "true");
    CHECK_STR(call("contains", 2, T(2, S("a"), val_unknown(ty_string())), S("b")),
              "unknown(bool)");
    CHECK_STR(call("keys", 1, O(1, "k", val_unknown(ty_string()))), "tuple[\"k\"]");
    CHECK_STR(call("sort", 1, T(1, val_unknown(ty_string()))), "unknown(list(string))");
    CHECK_STR(call("distinct", 1, T(1, val_unknown(ty_string()))), "unknown(list(string))");
    CHECK_STR(call("coalesce", 2, val_unknown(ty_string()), S("a")), "unknown(string)");
    CHECK_STR(call("compact", 1, T(1, val_unknown(ty_string()))), "unknown(list(string))");
    CHECK_STR(call("setunion", 2, T(1, val_unknown(ty_string())), TS(1, "a")),
              "unknown(set(string))");
}

/* Sensitive arguments make the whole result sensitive. */
TEST(fn_coll_sensitive)
{
    CHECK_STR(call("element", 2, val_mark(TS(2, "a", "b"), VAL_MARK_SENSITIVE), N(1)),
              "sensitive(\"b\")");
    CHECK_STR(call("length", 1, val_mark(S("abc"), VAL_MARK_SENSITIVE)), "sensitive(3)");
    CHECK_STR(call("concat", 2, val_mark(TS(1, "x"), VAL_MARK_SENSITIVE), TS(1, "y")),
              "sensitive(tuple[\"x\", \"y\"])");
    CHECK_STR(call("keys", 1, val_mark(O(1, "a", N(1)), VAL_MARK_SENSITIVE)),
              "sensitive(tuple[\"a\"])");
}

/* length and keys take only the argument's own mark: a value with a sensitive
 * value inside is not itself sensitive, and its length and keys do not show
 * what is inside (Terraform's length, cty's keys; checked with go-cty). */
TEST(fn_length_keys_nested_sensitive)
{
    val secret = val_mark(S("x"), VAL_MARK_SENSITIVE);
    val obj = O(2, "name", S("n"), "secret", val_copy(secret));
    val map = AS(O(2, "a", S("1"), "b", val_copy(secret)), ty_map(ty_string()));
    CHECK_STR(call("length", 1, T(2, val_copy(obj), val_copy(obj))), "2");
    CHECK_STR(call("length", 1, AS(T(2, val_copy(obj), val_copy(obj)),
                                   ty_list(val_type(obj)))), "2");
    CHECK_STR(call("length", 1, val_copy(obj)), "2");
    CHECK_STR(call("length", 1, val_copy(map)), "2");
    CHECK_STR(call("keys", 1, val_copy(obj)), "tuple[\"name\", \"secret\"]");
    CHECK_STR(call("keys", 1, val_copy(map)), "list[\"a\", \"b\"]");
    /* The argument's own mark still reaches the result. */
    CHECK_STR(call("length", 1, val_mark(T(1, val_copy(obj)), VAL_MARK_SENSITIVE)),
              "sensitive(1)");
    CHECK_STR(call("keys", 1, val_mark(val_copy(map), VAL_MARK_SENSITIVE)),
              "sensitive(list[\"a\", \"b\"])");
    CHECK_STR(call("length", 1, val_mark(val_unknown(ty_list(ty_string())), VAL_MARK_SENSITIVE)),
              "sensitive(unknown(number))");
    /* Functions that read the values still mark the whole result. */
    CHECK_STR(call("contains", 2, T(2, S("1"), val_copy(secret)), S("1")), "sensitive(true)");
    CHECK_STR(call("sort", 1, LS(1, "b")), "list[\"b\"]");
    CHECK_STR(call("sort", 1, T(2, S("b"), val_copy(secret))),
              "sensitive(list[\"b\", \"x\"])");
    val_free(secret);
    val_free(obj);
    val_free(map);
}

/* A sensitive secret, and a list of strings with it inside. */
static val secret_str(void)
{
    return val_mark(S("x"), VAL_MARK_SENSITIVE);
}

static val list_with_secret(void)
{
    return AS(T(2, secret_str(), S("b")), ty_list(ty_string()));
}

/* element, values, reverse and slice copy parts: each part keeps its own
 * mark, only the argument's own mark covers the result, and a sensitive
 * index or bound marks it whole (cty's AllowMarked; checked with go-cty,
 * tests/eval/sensitive.txt). */
TEST(fn_parts_keep_marks)
{
    CHECK_STR(call("element", 2, T(2, secret_str(), S("b")), N(1)), "\"b\"");
    CHECK_STR(call("element", 2, list_with_secret(), N(0)), "sensitive(\"x\")");
    CHECK_STR(call("element", 2, list_with_secret(), N(3)), "\"b\"");
    CHECK_STR(call("element", 2, TS(2, "a", "b"), val_mark(N(1), VAL_MARK_SENSITIVE)),
              "sensitive(\"b\")");
    /* No element is left to carry the mark of an unknown result. */
    CHECK_STR(call("element", 2, list_with_secret(), val_unknown(ty_number())),
              "sensitive(unknown(string))");
    CHECK_STR(call("values", 1, O(2, "a", secret_str(), "b", S("b"))),
              "tuple[sensitive(\"x\"), \"b\"]");
    CHECK_STR(call("values", 1, AS(O(2, "a", secret_str(), "b", S("b")), ty_map(ty_string()))),
              "list[sensitive(\"x\"), \"b\"]");
    CHECK_STR(call("values", 1, val_mark(O(1, "a", S("a")), VAL_MARK_SENSITIVE)),
              "sensitive(tuple[\"a\"])");
    CHECK_STR(call("reverse", 1, list_with_secret()), "list[\"b\", sensitive(\"x\")]");
    CHECK_STR(call("reverse", 1, val_mark(TS(2, "a", "b"), VAL_MARK_SENSITIVE)),
              "sensitive(tuple[\"b\", \"a\"])");
    CHECK_STR(call("slice", 3, list_with_secret(), N(1), N(2)), "list[\"b\"]");
    CHECK_STR(call("slice", 3, T(2, secret_str(), S("b")), N(0), N(1)),
              "tuple[sensitive(\"x\")]");
    CHECK_STR(call("slice", 3, TS(2, "a", "b"), N(0), val_mark(N(1), VAL_MARK_SENSITIVE)),
              "sensitive(tuple[\"a\"])");
    CHECK_STR(call("slice", 3, val_mark(LS(2, "a", "b"), VAL_MARK_SENSITIVE), N(0), N(1)),
              "sensitive(list[\"a\"])");
}

/* merge, concat and zipmap build their result from the arguments' parts: a
 * sensitive part stays marked where it lands, a sensitive argument (or any
 * sensitive key of zipmap) marks the whole result (cty; checked with go-cty,
 * tests/eval/sensitive.txt). */
TEST(fn_combine_keep_marks)
{
    val creds = O(2, "name", S("n"), "pw", secret_str());
    CHECK_STR(call("merge", 2, val_copy(creds), O(0)),
              "object{name = \"n\", pw = sensitive(\"x\")}");
    CHECK_STR(call("merge", 2, val_copy(creds), O(1, "pw", S("new"))),
              "object{name = \"n\", pw = \"new\"}");
    CHECK_STR(call("merge", 2, AS(val_copy(creds), ty_map(ty_string())),
                   AS(O(1, "z", S("z")), ty_map(ty_string()))),
              "map{name = \"n\", pw = sensitive(\"x\"), z = \"z\"}");
    CHECK_STR(call("merge", 2, O(1, "a", S("a")), val_mark(O(1, "k", S("v")), VAL_MARK_SENSITIVE)),
              "sensitive(object{a = \"a\", k = \"v\"})");
    CHECK_STR(call("concat", 2, T(1, secret_str()), TS(1, "y")),
              "tuple[sensitive(\"x\"), \"y\"]");
    CHECK_STR(call("concat", 2, list_with_secret(), LS(1, "y")),
              "list[sensitive(\"x\"), \"b\", \"y\"]");
    CHECK_STR(call("concat", 2, TS(1, "y"), val_mark(LS(1, "z"), VAL_MARK_SENSITIVE)),
              "sensitive(tuple[\"y\", \"z\"])");
    /* An unknown result has nowhere else to keep the secret. */
    CHECK(strncmp(call("concat", 2, val_unknown(ty_list(ty_string())), list_with_secret()),
                  "sensitive(unknown(", 18) == 0);
    CHECK_STR(call("zipmap", 2, LS(2, "a", "b"), T(2, secret_str(), S("b"))),
              "object{a = sensitive(\"x\"), b = \"b\"}");
    CHECK_STR(call("zipmap", 2, LS(2, "a", "b"), list_with_secret()),
              "map{a = sensitive(\"x\"), b = \"b\"}");
    CHECK_STR(call("zipmap", 2, T(2, secret_str(), S("b")), TS(2, "1", "2")),
              "sensitive(object{b = \"2\", x = \"1\"})");
    CHECK_STR(call("zipmap", 2, LS(1, "a"), val_mark(TS(1, "1"), VAL_MARK_SENSITIVE)),
              "sensitive(object{a = \"1\"})");
    val_free(creds);
}

/* flatten, chunklist and setproduct move elements into new sequences: each
 * keeps its mark, but a nested sequence's own mark (flatten) or any mark
 * that would land in a set (setproduct) covers the whole result (cty;
 * checked with go-cty, tests/eval/sensitive.txt). */
TEST(fn_regroup_keep_marks)
{
    CHECK_STR(call("flatten", 1, T(1, T(2, secret_str(), S("b")))),
              "tuple[sensitive(\"x\"), \"b\"]");
    CHECK_STR(call("flatten", 1, T(2, TS(1, "a"), T(1, val_mark(TS(1, "s"), VAL_MARK_SENSITIVE)))),
              "sensitive(tuple[\"a\", \"s\"])");
    CHECK_STR(call("flatten", 1, T(2, val_mark(LS(1, "s"), VAL_MARK_SENSITIVE), S("z"))),
              "sensitive(tuple[\"s\", \"z\"])");
    CHECK_STR(call("flatten", 1, T(2, val_mark(val_unknown(ty_list(ty_string())),
                                               VAL_MARK_SENSITIVE), S("z"))),
              "sensitive(unknown(any))");
    CHECK_STR(call("chunklist", 2, list_with_secret(), N(1)),
              "list[list[sensitive(\"x\")], list[\"b\"]]");
    CHECK_STR(call("chunklist", 2, val_mark(LS(2, "a", "b"), VAL_MARK_SENSITIVE), N(0)),
              "sensitive(list[list[\"a\", \"b\"]])");
    CHECK_STR(call("chunklist", 2, LS(2, "a", "b"), val_mark(N(2), VAL_MARK_SENSITIVE)),
              "sensitive(list[list[\"a\", \"b\"]])");
    CHECK_STR(call("setproduct", 2, list_with_secret(), LS(1, "z")),
              "list[tuple[sensitive(\"x\"), \"z\"], tuple[\"b\", \"z\"]]");
    CHECK_STR(call("setproduct", 2, AS(TS(1, "a"), ty_set(ty_string())), T(1, secret_str())),
              "sensitive(set[tuple[\"a\", \"x\"]])");
}

/* Terraform's lookup (internal/lang/funcs): the element found keeps its own
 * marks plus the map's and the key's; the default's marks reach the result
 * only when the default is the result. */
TEST(fn_lookup_marks)
{
    val creds = O(2, "name", S("n"), "pw", secret_str());
    CHECK_STR(call("lookup", 2, val_copy(creds), S("name")), "\"n\"");
    CHECK_STR(call("lookup", 2, val_copy(creds), S("pw")), "sensitive(\"x\")");
    CHECK_STR(call("lookup", 3, val_copy(creds), S("name"), secret_str()), "\"n\"");
    CHECK_STR(call("lookup", 3, val_copy(creds), S("zz"), secret_str()), "sensitive(\"x\")");
    CHECK_STR(call("lookup", 3, AS(val_copy(creds), ty_map(ty_string())), S("zz"),
                   secret_str()), "sensitive(\"x\")");
    CHECK_STR(call("lookup", 2, val_mark(O(1, "k", S("v")), VAL_MARK_SENSITIVE), S("k")),
              "sensitive(\"v\")");
    CHECK_STR(call("lookup", 3, val_mark(O(1, "k", S("v")), VAL_MARK_SENSITIVE), S("zz"),
                   S("d")), "sensitive(\"d\")");
    CHECK_STR(call("lookup", 3, O(1, "k", S("v")), val_mark(S("zz"), VAL_MARK_SENSITIVE),
                   S("d")), "sensitive(\"d\")");
    CHECK_STR(call("lookup", 2, O(1, "k", S("v")), val_mark(S("k"), VAL_MARK_SENSITIVE)),
              "sensitive(\"v\")");
    val_free(creds);
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
