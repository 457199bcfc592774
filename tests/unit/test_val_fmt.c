/* Unit tests for lang/val_fmt.c: `terraform console` output. */
#include "lang/val_fmt.h"
#include "tests/unit/harness.h"

#include <math.h>
#include <stdlib.h>

static char *fmt(val v)
{
    char *s = val_fmt(&v);
    val_free(v);
    return s;
}

#define CHECK_FMT(v, want) do {                                           \
        char *s_ = fmt(v);                                                \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
    } while (0)

#define CHECK_TFMT(t, want) do {                                          \
        ty *t_ = (t);                                                     \
        char *s_ = val_fmt_type(t_);                                      \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
        ty_free(t_);                                                      \
    } while (0)

static val obj2(const char *k1, val v1, const char *k2, val v2)
{
    val o = val_object_set(val_object_empty(), k1, v1);
    return val_object_set(o, k2, v2);
}

TEST(fmt_nulls_with_type_hints)
{
    CHECK_FMT(val_null(), "null");
    CHECK_FMT(val_null_of(ty_string()), "tostring(null)");
    CHECK_FMT(val_null_of(ty_number()), "tonumber(null)");
    CHECK_FMT(val_null_of(ty_bool()), "tobool(null)");
    CHECK_FMT(val_null_of(ty_list(ty_string())), "tolist(null) /* of string */");
    CHECK_FMT(val_null_of(ty_set(ty_number())), "toset(null) /* of number */");
    CHECK_FMT(val_null_of(ty_map(ty_bool())), "tomap(null) /* of bool */");
    CHECK_FMT(val_null_of(ty_map(ty_list(ty_any()))), "tomap(null) /* of list of dynamic */");
    const char *n[] = {"a"};
    ty *t[] = {ty_bool()};
    CHECK_FMT(val_null_of(ty_object(n, t, 1, NULL, NULL)), "null /* object */");
    CHECK_FMT(val_null_of(ty_tuple(NULL, 0)), "null /* tuple */");
}

TEST(fmt_primitives)
{
    CHECK_FMT(val_string(""), "\"\"");
    CHECK_FMT(val_string("hello"), "\"hello\"");
    CHECK_FMT(val_number(0), "0");
    CHECK_FMT(val_number(5), "5");
    CHECK_FMT(val_number(1234567890), "1234567890");
    CHECK_FMT(val_number(5.2), "5.2");
    CHECK_FMT(val_number(123456789.01), "123456789.01");
    CHECK_FMT(val_number(INFINITY), "+Inf");
    CHECK_FMT(val_bool(1), "true");
    CHECK_FMT(val_bool(0), "false");
}

TEST(fmt_string_quoting_like_go)
{
    CHECK_FMT(val_string("a\"b\\c\td\r"), "\"a\\\"b\\\\c\\td\\r\"");
    CHECK_FMT(val_string("\x01\x7f\a\v"), "\"\\x01\\x7f\\a\\v\"");
    CHECK_FMT(val_string("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
    CHECK_FMT(val_string("bad\xff"), "\"bad\\xff\"");
    CHECK_FMT(val_string("nb\xc2\xa0sp"), "\"nb\\u00a0sp\"");
    CHECK_FMT(val_string("${x} %{y}"), "\"${x} %{y}\"");
    CHECK_FMT(val_string("<&>"), "\"<&>\"");
}

TEST(fmt_heredoc)
{
    CHECK_FMT(val_string("hello\nworld"), "<<EOT\nhello\nworld\nEOT");
    CHECK_FMT(val_string("hello\n"), "<<EOT\nhello\n\nEOT");
    CHECK_FMT(val_string("EOR\nEOS\nEOT\nEOU"), "<<EOT_\nEOR\nEOS\nEOT\nEOU\nEOT_");
    CHECK_FMT(val_string(" EOT \nEOT_"), "<<EOT__\n EOT \nEOT_\nEOT__");
    CHECK_FMT(val_object_set(val_object_empty(), "foo", val_string("boop\nbeep")),
              "{\n  \"foo\" = <<-EOT\n  boop\n  beep\n  EOT\n}");
}

TEST(fmt_unknown_and_sensitive)
{
    CHECK_FMT(val_unknown(ty_any()), "(known after apply)");
    CHECK_FMT(val_unknown(ty_list(ty_string())), "(known after apply)");
    CHECK_FMT(val_mark(val_unknown(ty_string()), VAL_MARK_SENSITIVE), "(known after apply)");
    CHECK_FMT(val_mark(val_string("a sensitive value"), VAL_MARK_SENSITIVE),
              "(sensitive value)");
    CHECK_FMT(val_mark(val_null(), VAL_MARK_SENSITIVE), "(sensitive value)");
    val l = val_tuple_append(val_tuple_empty(), val_string("a"));
    l = val_tuple_append(l, val_mark(val_string("b"), VAL_MARK_SENSITIVE));
    l = val_tuple_append(l, val_unknown(ty_number()));
    CHECK_FMT(l, "[\n  \"a\",\n  (sensitive value),\n  (known after apply),\n]");
}

TEST(fmt_objects_and_tuples)
{
    CHECK_FMT(val_object_empty(), "{}");
    CHECK_FMT(val_tuple_empty(), "[]");
    CHECK_FMT(val_object_set(val_object_empty(), "a", val_string("b")), "{\n  \"a\" = \"b\"\n}");
    CHECK_FMT(obj2("c", val_string("d"), "a", val_string("b")),
              "{\n  \"a\" = \"b\"\n  \"c\" = \"d\"\n}");
    val t = val_tuple_append(val_tuple_empty(), val_string("b"));
    t = val_tuple_append(t, val_string("d"));
    CHECK_FMT(t, "[\n  \"b\",\n  \"d\",\n]");
    /* nesting indents by two spaces per level */
    val inner = val_tuple_append(val_tuple_empty(), val_number(1));
    val o = obj2("list", inner, "long key", val_object_set(val_object_empty(), "x", val_bool(1)));
    CHECK_FMT(o, "{\n  \"list\" = [\n    1,\n  ]\n  \"long key\" = {\n    \"x\" = true\n  }\n}");
}

TEST(fmt_typed_collections)
{
    CHECK_FMT(val_map_empty(ty_string()), "tomap({})");
    CHECK_FMT(val_list_empty(ty_string()), "tolist([])");
    CHECK_FMT(val_set_empty(ty_string()), "toset([])");
    val l = val_list_empty(ty_string());
    l = val_list_append(l, val_string("foo"));
    l = val_list_append(l, val_string("bar"));
    CHECK_FMT(l, "tolist([\n  \"foo\",\n  \"bar\",\n])");
    val s = val_set_empty(ty_number());
    s = val_set_add(s, val_number(3));
    s = val_set_add(s, val_number(1));
    CHECK_FMT(s, "toset([\n  1,\n  3,\n])");
    val m = val_map_set(val_map_empty(ty_number()), "k", val_number(1));
    CHECK_FMT(m, "tomap({\n  \"k\" = 1\n})");
    val ml = val_list_empty(ty_map(ty_number()));
    ml = val_list_append(ml, val_map_set(val_map_empty(ty_number()), "a", val_number(2)));
    CHECK_FMT(ml, "tolist([\n  tomap({\n    \"a\" = 2\n  }),\n])");
}

TEST(fmt_multiline_key)
{
    val o = val_object_set(val_object_empty(), "a\nb", val_number(1));
    CHECK_FMT(o, "{\n  <<-EOT\n  a\n  b\n  EOT = 1\n}");
}

TEST(fmt_depth_bounded)
{
    val deep = val_tuple_empty();
    for (int i = 0; i < VAL_FMT_MAX_DEPTH + 10; i++)
        deep = val_tuple_append(val_tuple_empty(), deep);
    char *s = fmt(deep);
    CHECK(s != NULL && strstr(s, "...") != NULL);
    free(s);
}

TEST(fmt_types_console_style)
{
    CHECK_TFMT(ty_string(), "string");
    CHECK_TFMT(ty_any(), "dynamic");
    CHECK_TFMT(ty_list(ty_number()), "list(number)");
    CHECK_TFMT(ty_map(ty_set(ty_bool())), "map(set(bool))");
    CHECK_TFMT(ty_tuple(NULL, 0), "tuple([])");
    CHECK_TFMT(ty_object(NULL, NULL, 0, NULL, NULL), "object({})");
    const char *n1[] = {"bleep"};
    ty *t1[] = {ty_string()};
    ty *inner = ty_object(n1, t1, 1, NULL, NULL);
    const char *n2[] = {"map", "foo"};
    ty *t2[] = {inner, ty_string()};
    ty *o1 = ty_object(n2, t2, 2, NULL, NULL);
    const char *n3[] = {"beep"};
    ty *t3[] = {ty_string()};
    ty *o2 = ty_object(n3, t3, 1, NULL, NULL);
    ty *tu[] = {o1, o2};
    CHECK_TFMT(ty_tuple(tu, 2),
               "tuple([\n"
               "    object({\n"
               "        foo: string,\n"
               "        map: object({\n"
               "            bleep: string,\n"
               "        }),\n"
               "    }),\n"
               "    object({\n"
               "        beep: string,\n"
               "    }),\n"
               "])");
    const char *n4[] = {"a"};
    ty *t4[] = {ty_number()};
    CHECK_TFMT(ty_list(ty_object(n4, t4, 1, NULL, NULL)),
               "list(\n    object({\n        a: number,\n    }),\n)");
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
