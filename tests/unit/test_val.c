/* Unit tests for lang/ty.c, lang/val.c and lang/val_convert.c. */
#include "lang/diag.h"
#include "lang/val.h"
#include "lang/val_internal.h"   /* val_set_hash_bytes */
#include "tests/unit/harness.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

/* Type string of a value (for checks). */
static char *tstr(val v)
{
    ty *t = val_type(v);
    char *s = ty_str(t);
    ty_free(t);
    return s;
}

#define CHECK_TYPE(v, want) do {                                          \
        char *ts_ = tstr(v);                                              \
        CHECK_STR(ts_, want);                                             \
        free(ts_);                                                        \
    } while (0)

#define CHECK_TY(t, want) do {                                            \
        char *ts_ = ty_str(t);                                            \
        CHECK_STR(ts_, want);                                             \
        free(ts_);                                                        \
    } while (0)

static val strs(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val t = val_tuple_empty();
    for (int i = 0; i < n; i++)
        t = val_tuple_append(t, val_string(va_arg(ap, const char *)));
    va_end(ap);
    return t;
}

static ty *obj1(const char *name, ty *t)
{
    const char *names[] = {name};
    ty *types[] = {t};
    return ty_object(names, types, 1, NULL, NULL);
}

/* ---------------------------------------------------------------- types */

TEST(ty_primitives_are_singletons)
{
    CHECK(ty_string() == ty_string());
    CHECK(ty_copy(ty_number()) == ty_number());
    ty_free(ty_bool());
    CHECK_INT(ty_kind(ty_bool()), TY_BOOL);
    CHECK_TY(ty_any(), "any");
}

TEST(ty_str_spelling)
{
    ty *l = ty_list(ty_map(ty_set(ty_number())));
    CHECK_TY(l, "list(map(set(number)))");
    ty_free(l);
    ty *tu[] = {ty_string(), ty_bool()};
    ty *t = ty_tuple(tu, 2);
    CHECK_TY(t, "tuple([string, bool])");
    ty_free(t);
    t = ty_tuple(NULL, 0);
    CHECK_TY(t, "tuple([])");
    ty_free(t);
    const char *names[] = {"b", "a"};
    ty *types[] = {ty_number(), ty_string()};
    int opt[] = {1, 0};
    ty *o = ty_object(names, types, 2, opt, NULL);
    CHECK_TY(o, "object({a=string, b=optional(number)})");
    CHECK_INT(ty_attr_find(o, "a"), 0);
    CHECK_INT(ty_attr_find(o, "b"), 1);
    CHECK_INT(ty_attr_find(o, "c"), -1);
    CHECK(ty_attr_optional(o, 1));
    CHECK(!ty_attr_optional(o, 0));
    ty_free(o);
}

TEST(ty_equal_structural)
{
    ty *a = ty_list(ty_string()), *b = ty_list(ty_string()), *c = ty_set(ty_string());
    CHECK(ty_equal(a, b));
    CHECK(!ty_equal(a, c));
    ty *o1 = obj1("x", ty_copy(a)), *o2 = obj1("x", ty_copy(b)), *o3 = obj1("y", ty_copy(a));
    CHECK(ty_equal(o1, o2));
    CHECK(!ty_equal(o1, o3));
    CHECK(!ty_has_any(o1));
    ty *d = ty_map(ty_any());
    CHECK(ty_has_any(d));
    ty_free(a); ty_free(b); ty_free(c); ty_free(o1); ty_free(o2); ty_free(o3); ty_free(d);
}

TEST(ty_object_defaults)
{
    const char *names[] = {"a"};
    ty *types[] = {ty_string()};
    int opt[] = {1};
    val defs[] = {val_string("x")};
    ty *o = ty_object(names, types, 1, opt, defs);
    val d = ty_attr_default(o, 0);
    CHECK_STR(val_get_string(d), "x");
    val_free(d);
    ty_free(o);
}

/* ---------------------------------------------------------------- values */

TEST(val_primitives)
{
    val b = val_bool(7);
    CHECK_INT(val_kind(b), VAL_BOOL);
    CHECK_INT(val_get_bool(b), 1);
    val n = val_number(2.5);
    CHECK(val_get_number(n) == 2.5);
    val s = val_string_n("a\0b", 3);
    CHECK_INT(val_string_len(s), 3);
    CHECK_TYPE(s, "string");
    CHECK_TYPE(n, "number");
    CHECK_TYPE(b, "bool");
    char *own = xstrdup("hello");
    val o = val_string_own(own, 5);
    CHECK_STR(val_get_string(o), "hello");
    val_free(o);
    val_free(s);
    val_free(b);
    val_free(n);
}

TEST(val_null_and_unknown_carry_type)
{
    val n = val_null();
    CHECK(val_is_null(n));
    CHECK_TYPE(n, "any");
    val ns = val_null_of(ty_list(ty_string()));
    CHECK(val_is_null(ns));
    CHECK_TYPE(ns, "list(string)");
    val u = val_unknown(ty_number());
    CHECK(val_is_unknown(u));
    CHECK(!val_is_null(u));
    CHECK_INT(val_kind(u), VAL_NUMBER);
    CHECK_TYPE(u, "number");
    val ul = val_unknown(ty_map(ty_bool()));
    CHECK_INT(val_kind(ul), VAL_MAP);
    CHECK_TYPE(ul, "map(bool)");
    CHECK_INT(val_len(ul), 0);
    CHECK(val_at(ul, 0) == NULL);
    val ua = val_unknown(ty_any());
    CHECK(val_is_unknown(ua));
    CHECK(!val_is_null(ua));
    CHECK_TYPE(ua, "any");
    val_free(n); val_free(ns); val_free(u); val_free(ul); val_free(ua);
}

TEST(val_list_builder_and_types)
{
    val l = val_list_empty(ty_string());
    for (int i = 0; i < 1000; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "s%d", i);
        l = val_list_append(l, val_string(buf));
    }
    CHECK_INT(val_len(l), 1000);
    CHECK_STR(val_get_string(*val_at(l, 999)), "s999");
    CHECK_TYPE(l, "list(string)");
    val bad = val_list_append(val_copy(l), val_number(1));
    CHECK(!val_is_valid(bad));
    CHECK(strstr(err_msg(), "does not match") != NULL);
    val_free(l);
}

TEST(val_list_any_adopts_first_type)
{
    val l = val_list_empty(ty_any());
    l = val_list_append(l, val_number(1));
    l = val_list_append(l, val_number(2));
    CHECK_TYPE(l, "list(number)");
    val bad = val_list_append(val_copy(l), val_string("x"));
    CHECK(!val_is_valid(bad));
    /* a null of type any takes the element type */
    l = val_list_append(l, val_null());
    CHECK(val_is_valid(l));
    CHECK_TYPE(*val_at(l, 2), "number");
    val_free(l);
}

TEST(val_copy_on_write)
{
    val a = val_list_empty(ty_number());
    a = val_list_append(a, val_number(1));
    val b = val_copy(a);
    b = val_list_append(b, val_number(2));
    CHECK_INT(val_len(a), 1);
    CHECK_INT(val_len(b), 2);
    /* with a single owner the payload is reused in place */
    const val *p = val_at(b, 0);
    b = val_list_append(b, val_number(3));
    CHECK(val_at(b, 0) == p || val_len(b) == 3);
    val_free(a);
    val_free(b);
}

TEST(val_object_keys_sorted_and_replaced)
{
    val o = val_object_empty();
    o = val_object_set(o, "b", val_number(2));
    o = val_object_set(o, "a", val_string("x"));
    o = val_object_set(o, "c", val_bool(1));
    o = val_object_set(o, "b", val_number(3));
    CHECK_INT(val_len(o), 3);
    CHECK_STR(val_key_at(o, 0), "a");
    CHECK_STR(val_key_at(o, 1), "b");
    CHECK_STR(val_key_at(o, 2), "c");
    CHECK(val_get_number(*val_lookup(o, "b")) == 3);
    CHECK(val_lookup(o, "zz") == NULL);
    CHECK_TYPE(o, "object({a=string, b=number, c=bool})");
    /* replacement while unsorted keeps the later value */
    val m = val_map_empty(ty_number());
    m = val_map_set(m, "z", val_number(1));
    m = val_map_set(m, "a", val_number(2));
    m = val_map_set(m, "z", val_number(3));
    CHECK_INT(val_len(m), 2);
    CHECK(val_get_number(*val_lookup(m, "z")) == 3);
    CHECK_TYPE(m, "map(number)");
    val_free(o);
    val_free(m);
}

TEST(val_map_many_keys_reverse_order)
{
    val m = val_map_empty(ty_number());
    for (int i = 20000; i > 0; i--) {
        char k[16];
        snprintf(k, sizeof k, "k%06d", i);
        m = val_map_set(m, k, val_number(i));
    }
    CHECK_INT(val_len(m), 20000);
    CHECK_STR(val_key_at(m, 0), "k000001");
    CHECK(val_get_number(*val_lookup(m, "k012345")) == 12345);
    val_free(m);
}

TEST(val_set_dedupe_and_order_independent)
{
    val a = val_set_empty(ty_string());
    a = val_set_add(a, val_string("b"));
    a = val_set_add(a, val_string("a"));
    a = val_set_add(a, val_string("b"));
    val b = val_set_empty(ty_string());
    b = val_set_add(b, val_string("a"));
    b = val_set_add(b, val_string("b"));
    CHECK_INT(val_len(a), 2);
    CHECK_STR(val_get_string(*val_at(a, 0)), "a");
    CHECK(val_eq(&a, &b));
    CHECK_INT(val_cmp(&a, &b), 0);
    val_free(a);
    val_free(b);
    val n = val_set_empty(ty_number());
    double xs[] = {10, 2, 33, 2, -1};
    for (int i = 0; i < 5; i++)
        n = val_set_add(n, val_number(xs[i]));
    CHECK_INT(val_len(n), 4);
    CHECK(val_get_number(*val_at(n, 0)) == -1);
    CHECK(val_get_number(*val_at(n, 3)) == 33);
    val_free(n);
}

TEST(val_set_unknowns_not_deduped_and_last)
{
    val s = val_set_empty(ty_string());
    s = val_set_add(s, val_unknown(ty_string()));
    s = val_set_add(s, val_string("z"));
    s = val_set_add(s, val_unknown(ty_string()));
    CHECK_INT(val_len(s), 3);
    CHECK_STR(val_get_string(*val_at(s, 0)), "z");
    CHECK(val_is_unknown(*val_at(s, 2)));
    CHECK(!val_is_wholly_known(s));
    val_free(s);
}

TEST(val_set_lifts_sensitive_marks)
{
    val s = val_set_empty(ty_string());
    s = val_set_add(s, val_mark(val_string("secret"), VAL_MARK_SENSITIVE));
    CHECK(val_is_sensitive(s));
    CHECK(!val_is_sensitive(*val_at(s, 0)));
    val_free(s);
}

TEST(val_set_of_objects_cty_order)
{
    /* cty orders non-primitive set elements by their hash bytes:
     * <"a";> sorts before <"b";> */
    ty *ot = obj1("k", ty_string());
    val s = val_set_empty(ty_copy(ot));
    val o1 = val_object_set(val_object_empty(), "k", val_string("b"));
    val o2 = val_object_set(val_object_empty(), "k", val_string("a"));
    s = val_set_add(s, o1);
    s = val_set_add(s, o2);
    s = val_set_add(s, val_object_set(val_object_empty(), "k", val_string("b")));
    CHECK_INT(val_len(s), 2);
    CHECK_STR(val_get_string(*val_lookup(*val_at(s, 0), "k")), "a");
    ty_free(ot);
    val_free(s);
}

TEST(val_marks_deep)
{
    val l = val_list_empty(ty_string());
    l = val_list_append(l, val_string("a"));
    l = val_list_append(l, val_mark(val_string("b"), VAL_MARK_SENSITIVE));
    CHECK(!val_is_sensitive(l));
    CHECK(val_contains_sensitive(l));
    val o = val_object_set(val_object_empty(), "l", l);
    CHECK(val_contains_sensitive(o));
    val o2 = val_copy(o);
    o = val_unmark_deep(o);
    CHECK(!val_contains_sensitive(o));
    CHECK(val_contains_sensitive(o2));   /* the copy is untouched */
    val_free(o);
    val_free(o2);
    val u = val_list_empty(ty_number());
    u = val_list_append(u, val_unknown(ty_number()));
    CHECK(!val_is_unknown(u));
    CHECK(!val_is_wholly_known(u));
    val_free(u);
}

TEST(val_mark_unknown_replaces_value)
{
    val v = val_mark(val_string("x"), VAL_MARK_UNKNOWN | VAL_MARK_SENSITIVE);
    CHECK(val_is_unknown(v));
    CHECK(val_is_sensitive(v));
    CHECK_TYPE(v, "string");
    v = val_unmark(v, VAL_MARK_SENSITIVE);
    CHECK(!val_is_sensitive(v));
    val_free(v);
}

TEST(val_replace_clears_deep_marks)
{
    val m = val_map_empty(ty_string());
    m = val_map_set(m, "a", val_unknown(ty_string()));
    CHECK(!val_is_wholly_known(m));
    m = val_map_set(m, "a", val_string("k"));
    CHECK(val_is_wholly_known(m));
    val_free(m);
}

TEST(val_equality_and_compare)
{
    val a = strs(2, "x", "y"), b = strs(2, "x", "y"), c = strs(2, "x", "z");
    CHECK(val_eq(&a, &b));
    CHECK(!val_eq(&a, &c));
    CHECK(val_cmp(&a, &c) < 0);
    CHECK(val_compare(a, c) < 0);       /* borrowing, like the accessors */
    CHECK(val_raw_equal(a, b));
    CHECK(val_raw_equal(val_unknown(ty_string()), val_unknown(ty_string())));
    CHECK(!val_raw_equal(val_unknown(ty_string()), val_unknown(ty_number())));
    val es = val_string("");
    CHECK(!val_raw_equal(val_null(), es));
    val_free(es);
    val s1 = val_mark(val_string("q"), VAL_MARK_SENSITIVE), s2 = val_string("q");
    CHECK(val_raw_equal(s1, s2));
    val_free(s1);
    val_free(s2);
    val_free(a); val_free(b); val_free(c);
}

TEST(val_number_fmt_terraform)
{
    char buf[VAL_NUMBER_BUF];
    struct { double d; const char *s; } cases[] = {
        {0, "0"}, {1, "1"}, {-1, "-1"}, {1.5, "1.5"}, {0.1, "0.1"},
        {100, "100"}, {1e21, "1000000000000000000000"}, {1e-7, "0.0000001"},
        {123456789012, "123456789012"}, {3.14159, "3.14159"},
        {-0.25, "-0.25"}, {0.30000000000000004, "0.30000000000000004"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        val_number_fmt(cases[i].d, buf, sizeof buf);
        CHECK_STR(buf, cases[i].s);
    }
    char small[8];
    val_number_fmt(1e21, small, sizeof small);
    CHECK(strlen(small) < 8);
}

TEST(val_number_fmt_matches_go_big_float)
{
    /* Expected strings from Go: new(big.Float).SetFloat64(x).Text('f', -1) */
    static const struct { const char *in, *want; } cases[] = {
        {"2.2571811643649119e+18", "2257181164364911800"},
        {"4.2839621535815677e+20", "428396215358156760000"},
        {"-5.3647143536112482e-309",
         "-0.0000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "00000000000000000000000000000005364714353611248"},
        {"4.9406564584124654e-324",
         "0.00000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000004940656458412465"},
        {"1.7976931348623157e+308",
         "1797693134862315700000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000"
         "00000000000000000000000000000"},
        {"0.29999999999999999", "0.3"},
        {"0.33333333333333331", "0.3333333333333333"},
        {"2.6749999999999998", "2.675"},
        {"9.9999999999999992e+22", "100000000000000000000000"},
        {"9007199254740992", "9007199254740992"},
        {"123456789.01000001", "123456789.01"},
        {"9.9999999999999995e-08", "0.0000001"},
        {"5.0000000000000002e-05", "0.00005"},
    };
    char buf[VAL_NUMBER_BUF];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        val_number_fmt(strtod(cases[i].in, NULL), buf, sizeof buf);
        CHECK_STR(buf, cases[i].want);
    }
}

/* ---------------------------------------------------------------- refcounts across threads */

static void *thread_copies(void *arg)
{
    val v = *(val *)arg;
    for (int i = 0; i < 100000; i++) {
        val c = val_copy(v);
        val_free(c);
    }
    return NULL;
}

TEST(val_atomic_refcounts)
{
    val l = strs(3, "a", "b", "c");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_copies, &l);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(val_len(l), 3);
    val_free(l);   /* ASan reports a leak or double free if counts drifted */
}

/* ---------------------------------------------------------------- conversion */

static val conv_ok(val v, ty *t)
{
    val r = val_convert(v, t);
    ty_free(t);
    return r;
}

static void check_conv_fails(val v, ty *t, const char *msg)
{
    val r = val_convert(v, t);
    ty_free(t);
    CHECK(!val_is_valid(r));
    CHECK_STR(err_msg(), msg);
}

TEST(convert_primitives)
{
    val r = conv_ok(val_number(1.5), ty_string());
    CHECK_STR(val_get_string(r), "1.5");
    val_free(r);
    r = conv_ok(val_number(1e21), ty_string());
    CHECK_STR(val_get_string(r), "1000000000000000000000");
    val_free(r);
    r = conv_ok(val_bool(1), ty_string());
    CHECK_STR(val_get_string(r), "true");
    val_free(r);
    r = conv_ok(val_string("12.5e1"), ty_number());
    CHECK(val_get_number(r) == 125);
    val_free(r);
    r = conv_ok(val_string("false"), ty_bool());
    CHECK_INT(val_kind(r), VAL_BOOL);
    CHECK(!val_get_bool(r));
    r = conv_ok(val_string("1"), ty_bool());
    CHECK(val_get_bool(r));
    check_conv_fails(val_string("abc"), ty_number(), "a number is required");
    check_conv_fails(val_string(" 1"), ty_number(), "a number is required");
    check_conv_fails(val_string(""), ty_number(), "a number is required");
    check_conv_fails(val_string("yes"), ty_bool(), "a bool is required");
    check_conv_fails(val_string("True"), ty_bool(),
                     "a bool is required; to convert from string, use lowercase \"true\"");
    check_conv_fails(val_number(1), ty_bool(), "bool required");
    check_conv_fails(strs(1, "a"), ty_string(), "string required");
}

TEST(convert_tuple_to_list_unifies)
{
    val t = val_tuple_empty();
    t = val_tuple_append(t, val_number(1));
    t = val_tuple_append(t, val_string("a"));
    val r = conv_ok(t, ty_list(ty_any()));
    CHECK_TYPE(r, "list(string)");
    CHECK_STR(val_get_string(*val_at(r, 0)), "1");
    val_free(r);
    val e = conv_ok(val_tuple_empty(), ty_list(ty_any()));
    CHECK_TYPE(e, "list(any)");
    val_free(e);
    val t2 = val_tuple_append(val_tuple_empty(), val_bool(1));
    t2 = val_tuple_append(t2, val_number(1));
    check_conv_fails(t2, ty_list(ty_any()), "all list elements must have the same type");
    val t3 = strs(2, "1", "x");
    check_conv_fails(t3, ty_list(ty_number()), "a number is required");
}

TEST(convert_tuple_to_set_dedupes)
{
    val t = strs(3, "b", "a", "b");
    val r = conv_ok(t, ty_set(ty_string()));
    CHECK_TYPE(r, "set(string)");
    CHECK_INT(val_len(r), 2);
    CHECK_STR(val_get_string(*val_at(r, 0)), "a");
    val l = conv_ok(r, ty_list(ty_string()));
    CHECK_TYPE(l, "list(string)");
    CHECK_INT(val_len(l), 2);
    val_free(l);
}

TEST(convert_object_to_map_and_back)
{
    val o = val_object_empty();
    o = val_object_set(o, "a", val_number(1));
    o = val_object_set(o, "b", val_string("x"));
    val m = conv_ok(val_copy(o), ty_map(ty_any()));
    CHECK_TYPE(m, "map(string)");
    CHECK_STR(val_get_string(*val_lookup(m, "a")), "1");
    const char *names[] = {"a", "b"};
    ty *types[] = {ty_number(), ty_string()};
    ty *ot = ty_object(names, types, 2, NULL, NULL);
    val back = val_convert(m, ot);
    CHECK_TYPE(back, "object({a=number, b=string})");
    CHECK(val_get_number(*val_lookup(back, "a")) == 1);
    val_free(back);
    /* a map missing a required attribute */
    val m2 = val_map_set(val_map_empty(ty_string()), "a", val_string("1"));
    check_conv_fails(m2, ty_copy(ot), "map has no element for required attribute \"b\"");
    ty_free(ot);
    val_free(o);
}

TEST(convert_object_optional_defaults)
{
    const char *names[] = {"a", "b", "c"};
    ty *types[] = {ty_string(), ty_number(), ty_bool()};
    int opt[] = {1, 1, 0};
    val defs[] = {val_string("x"), val_invalid(), val_invalid()};
    ty *ot = ty_object(names, types, 3, opt, defs);
    val o = val_object_set(val_object_empty(), "c", val_string("true"));
    o = val_object_set(o, "extra", val_number(9));
    val r = val_convert(o, ot);
    CHECK_TYPE(r, "object({a=string, b=number, c=bool})");
    CHECK_STR(val_get_string(*val_lookup(r, "a")), "x");
    CHECK(val_is_null(*val_lookup(r, "b")));
    CHECK_TYPE(*val_lookup(r, "b"), "number");
    CHECK(val_get_bool(*val_lookup(r, "c")));
    CHECK(val_lookup(r, "extra") == NULL);
    val_free(r);
    /* an explicit null takes the default too */
    val o2 = val_object_set(val_object_empty(), "c", val_bool(0));
    o2 = val_object_set(o2, "a", val_null());
    val r2 = val_convert(o2, ot);
    CHECK_STR(val_get_string(*val_lookup(r2, "a")), "x");
    val_free(r2);
    check_conv_fails(val_object_empty(), ty_copy(ot), "attribute \"c\" is required");
    /* defaults apply inside collections */
    val l = val_tuple_append(val_tuple_empty(),
                             val_object_set(val_object_empty(), "c", val_bool(1)));
    ty *lt = ty_list(ty_copy(ot));
    val rl = val_convert(l, lt);
    ty_free(lt);
    CHECK_TYPE(rl, "list(object({a=string, b=number, c=bool}))");
    CHECK_STR(val_get_string(*val_lookup(*val_at(rl, 0), "a")), "x");
    val_free(rl);
    ty_free(ot);
}

TEST(convert_null_and_unknown)
{
    val r = conv_ok(val_null(), ty_string());
    CHECK(val_is_null(r));
    CHECK_TYPE(r, "string");
    val_free(r);
    r = conv_ok(val_unknown(ty_any()), ty_list(ty_number()));
    CHECK(val_is_unknown(r));
    CHECK_TYPE(r, "list(number)");
    val_free(r);
    r = conv_ok(val_mark(val_unknown(ty_number()), VAL_MARK_SENSITIVE), ty_string());
    CHECK(val_is_unknown(r));
    CHECK(val_is_sensitive(r));
    CHECK_TYPE(r, "string");
    val_free(r);
    r = conv_ok(val_unknown(ty_list(ty_string())), ty_list(ty_any()));
    CHECK_TYPE(r, "list(string)");
    val_free(r);
}

TEST(convert_keeps_sensitive)
{
    val r = conv_ok(val_mark(val_number(5), VAL_MARK_SENSITIVE), ty_string());
    CHECK(val_is_sensitive(r));
    CHECK_STR(val_get_string(r), "5");
    val_free(r);
    val t = val_tuple_append(val_tuple_empty(), val_mark(val_number(1), VAL_MARK_SENSITIVE));
    val l = conv_ok(t, ty_list(ty_string()));
    CHECK(val_contains_sensitive(l));
    CHECK(val_is_sensitive(*val_at(l, 0)));
    val_free(l);
}

TEST(convert_to_any_is_identity)
{
    val t = strs(2, "a", "b");
    val r = conv_ok(t, ty_any());
    CHECK_TYPE(r, "tuple([string, string])");
    val_free(r);
}

TEST(convert_list_set_errors)
{
    val l = val_list_append(val_list_empty(ty_string()), val_string("x"));
    check_conv_fails(l, ty_map(ty_string()), "map of string required");
    val l2 = val_list_append(val_list_empty(ty_string()), val_string("x"));
    check_conv_fails(l2, ty_list(ty_number()), "a number is required");
    val t = val_tuple_append(val_tuple_empty(), strs(1, "a"));
    check_conv_fails(t, ty_list(ty_string()), "element 0: string required");
}

TEST(unify_conditional_and_collections)
{
    const ty *a[] = {ty_number(), ty_string()};
    ty *u = ty_unify(a, 2);
    CHECK_TY(u, "string");
    ty_free(u);
    const ty *b[] = {ty_bool(), ty_number()};
    CHECK(ty_unify(b, 2) == NULL);
    ty *l1 = ty_list(ty_number()), *l2 = ty_list(ty_string());
    const ty *c[] = {l1, l2};
    u = ty_unify(c, 2);
    CHECK_TY(u, "list(string)");
    ty_free(u);
    ty *o1 = obj1("a", ty_number()), *o2 = obj1("b", ty_string());
    const ty *d[] = {o1, o2};
    u = ty_unify(d, 2);
    CHECK_TY(u, "map(string)");
    ty_free(u);
    const ty *e[] = {ty_any(), ty_string()};
    u = ty_unify(e, 2);
    CHECK_TY(u, "string");
    ty_free(u);
    ty *tu1[] = {ty_number()};
    ty *t1 = ty_tuple(tu1, 1);
    const ty *f[] = {t1, l2};
    u = ty_unify(f, 2);
    CHECK_TY(u, "list(string)");
    ty_free(u);
    ty_free(t1);
    ty_free(l1); ty_free(l2); ty_free(o1); ty_free(o2);
}

TEST(mismatch_messages)
{
    ty *o1 = obj1("a", ty_number());
    const char *names[] = {"a", "b", "c"};
    ty *types[] = {ty_number(), ty_string(), ty_string()};
    ty *o3 = ty_object(names, types, 3, NULL, NULL);
    char *m = ty_mismatch_msg(o1, o3);
    CHECK_STR(m, "attributes \"b\" and \"c\" are required");
    free(m);
    ty *l = ty_list(ty_string());
    m = ty_mismatch_msg(ty_number(), l);
    CHECK_STR(m, "list of string required");
    free(m);
    ty *la = ty_list(ty_any());
    char *fn = ty_friendly_name(la, 1);
    CHECK_STR(fn, "list of any single type");
    free(fn);
    ty_free(la);
    ty_free(o1); ty_free(o3); ty_free(l);
}

/* ---------------------------------------------------------------- cross-checked with go-cty
 * Expected results below were produced by go-cty's convert.Convert /
 * convert.UnifyUnsafe / set ordering (Debian's golang-github-zclconf-go-cty-dev). */

static val T(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val t = val_tuple_empty();
    for (int i = 0; i < n; i++)
        t = val_tuple_append(t, va_arg(ap, val));
    va_end(ap);
    return t;
}

static val O(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val o = val_object_empty();
    for (int i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        o = val_object_set(o, k, va_arg(ap, val));
    }
    va_end(ap);
    return o;
}

static val S(const char *s) { return val_string(s); }
static val N(double d) { return val_number(d); }

static char *conv_type_str(val v, ty *t)
{
    val r = val_convert(v, t);
    ty_free(t);
    if (!val_is_valid(r))
        return xasprintf("ERR %s", err_msg());
    char *s = tstr(r);
    val_free(r);
    return s;
}

#define CHECK_CONV_TYPE(v, t, want) do {                                  \
        char *s_ = conv_type_str(v, t);                                   \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
    } while (0)

TEST(cty_convert_nested_unification)
{
    CHECK_CONV_TYPE(T(2, T(1, N(1)), T(1, S("a"))), ty_list(ty_any()),
                    "list(tuple([string]))");
    CHECK_CONV_TYPE(T(2, T(1, N(1)), T(1, val_bool(1))), ty_list(ty_any()),
                    "ERR all list elements must have the same type");
    CHECK_CONV_TYPE(T(2, O(1, "a", N(1)), O(1, "b", N(2))), ty_list(ty_any()),
                    "list(map(number))");
    CHECK_CONV_TYPE(T(2, O(1, "a", N(1)), O(1, "a", S("x"))), ty_list(ty_any()),
                    "list(object({a=string}))");
    CHECK_CONV_TYPE(T(2, val_null(), N(1)), ty_list(ty_any()), "list(number)");
    CHECK_CONV_TYPE(T(1, val_null()), ty_list(ty_any()), "list(any)");
    CHECK_CONV_TYPE(val_tuple_empty(), ty_set(ty_any()), "set(any)");
    CHECK_CONV_TYPE(T(1, T(2, N(1), S("a"))), ty_list(ty_list(ty_any())),
                    "list(list(string))");
    CHECK_CONV_TYPE(O(2, "a", O(1, "b", N(1)), "c", O(1, "d", S("x"))), ty_map(ty_any()),
                    "map(map(string))");
    CHECK_CONV_TYPE(O(2, "a", N(1), "b", T(1, N(1))), ty_map(ty_any()),
                    "ERR all map elements must have the same type");
    ty *tu[] = {ty_string(), ty_number()};
    CHECK_CONV_TYPE(T(2, N(1), S("a")), ty_tuple(tu, 2), "ERR a number is required");
    ty *tu1[] = {ty_string()};
    CHECK_CONV_TYPE(T(3, N(1), N(2), N(3)), ty_tuple(tu1, 1), "ERR tuple required");
    const char *n3[] = {"a", "b", "c"};
    ty *t3[] = {ty_string(), ty_string(), ty_string()};
    CHECK_CONV_TYPE(val_object_empty(), ty_object(n3, t3, 3, NULL, NULL),
                    "ERR attributes \"a\", \"b\", and \"c\" are required");
    CHECK_CONV_TYPE(O(1, "a", T(1, N(1))), obj1("a", ty_string()),
                    "ERR attribute \"a\": string required");
}

TEST(cty_convert_string_to_number_grammar)
{
    struct { const char *s; double want; } ok[] = {
        {"1e3", 1000}, {".5", 0.5}, {"1.", 1}, {"+1", 1}, {"-2.5E-1", -0.25},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        val r = conv_ok(val_string(ok[i].s), ty_number());
        CHECK(val_is_valid(r) && val_get_number(r) == ok[i].want);
    }
    val inf = conv_ok(val_string("Inf"), ty_number());
    CHECK(isinf(val_get_number(inf)));
    const char *bad[] = {"0x10", "1_000", " 1", "1 ", "e5", "--1", "1e", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_conv_fails(val_string(bad[i]), ty_number(), "a number is required");
}

TEST(cty_convert_defaults_nested)
{
    const char *n[] = {"a", "b"};
    ty *t[] = {ty_number(), ty_string()};
    int opt[] = {1, 1};
    val defs[] = {val_number(5), val_string("d")};
    ty *ot = ty_object(n, t, 2, opt, defs);
    ty *lt = ty_list(ot);
    val r = val_convert(T(1, O(1, "a", N(1))), lt);
    ty_free(lt);
    CHECK(val_is_valid(r));
    char *ts = tstr(r);
    CHECK_STR(ts, "list(object({a=number, b=string}))");
    free(ts);
    CHECK(val_get_number(*val_lookup(*val_at(r, 0), "a")) == 1);
    CHECK_STR(val_get_string(*val_lookup(*val_at(r, 0), "b")), "d");
    val_free(r);
}

TEST(cty_unify_table)
{
    struct { ty *a, *b; const char *want; } cases[] = {
        {ty_number(), ty_string(), "string"},
        {ty_bool(), ty_number(), NULL},
        {ty_bool(), ty_string(), "string"},
        {ty_list(ty_number()), ty_list(ty_string()), "list(string)"},
        {obj1("a", ty_number()), obj1("b", ty_string()), "map(string)"},
        {obj1("a", ty_number()), obj1("a", ty_string()), "object({a=string})"},
        {ty_any(), ty_string(), "string"},
        {ty_map(ty_string()), obj1("a", ty_number()), "map(string)"},
        {ty_set(ty_string()), ty_list(ty_string()), "list(string)"},
        {ty_list(ty_string()), ty_tuple(NULL, 0), "list(string)"},
        {obj1("a", ty_list(ty_string())), obj1("a", ty_tuple(NULL, 0)),
         "object({a=list(string)})"},
        {ty_object(NULL, NULL, 0, NULL, NULL), obj1("a", ty_number()), "map(number)"},
        {ty_list(ty_string()), ty_any(), "any"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ty *ts[] = {cases[i].a, cases[i].b};
        ty *u = ty_unify(ts, 2);
        if (cases[i].want) {
            CHECK(u != NULL);
            if (u)
                CHECK_TY(u, cases[i].want);
        } else {
            CHECK(u == NULL);
        }
        ty_free(u);
        ty_free(cases[i].a);
        ty_free(cases[i].b);
    }
    ty *t1e[] = {ty_number()};
    ty *t2e[] = {ty_string(), ty_bool()};
    ty *t3e[] = {ty_string()};
    ty *t1 = ty_tuple(t1e, 1), *t2 = ty_tuple(t2e, 2), *t3 = ty_tuple(t3e, 1);
    const ty *a[] = {t1, t2};
    ty *u = ty_unify(a, 2);
    CHECK_TY(u, "list(string)");
    ty_free(u);
    const ty *b[] = {t1, t3};
    u = ty_unify(b, 2);
    CHECK_TY(u, "tuple([string])");
    ty_free(u);
    ty_free(t1); ty_free(t2); ty_free(t3);
}

static char *set_json(val tuple, ty *t)
{
    val r = val_convert(tuple, t);
    ty_free(t);
    strbuf b = {0};
    sb_putc(&b, '[');
    for (size_t i = 0; i < val_len(r); i++) {
        char *h = val_set_hash_bytes(*val_at(r, i));
        sb_printf(&b, "%s%s", i ? "," : "", h);
        free(h);
    }
    sb_putc(&b, ']');
    val_free(r);
    return sb_take(&b);
}

#define CHECK_SET(tuple, t, want) do {                                    \
        char *s_ = set_json(tuple, t);                                    \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
    } while (0)

TEST(cty_set_order_table)
{
    CHECK_SET(T(4, S("b"), S("a"), S("b"), S("c")), ty_set(ty_string()),
              "[\"a\",\"b\",\"c\"]");
    CHECK_SET(T(5, N(10), N(2), N(33), N(2), N(-1)), ty_set(ty_number()), "[-1,2,10,33]");
    CHECK_SET(T(2, val_bool(1), val_bool(0)), ty_set(ty_bool()), "[F,T]");
    CHECK_SET(T(3, T(1, N(2)), T(1, N(10)), T(2, N(1), N(2))), ty_set(ty_list(ty_number())),
              "[[10;],[1;2;],[2;]]");
    CHECK_SET(T(2, O(1, "a", N(10)), O(1, "a", N(9))), ty_set(ty_map(ty_number())),
              "[{\"a\":10;},{\"a\":9;}]");
    CHECK_SET(T(3, T(1, S("b")), T(2, S("a"), S("z")), val_tuple_empty()),
              ty_set(ty_list(ty_string())), "[[\"a\";\"z\";],[\"b\";],[]]");
    CHECK_SET(T(2, val_null(), S("a")), ty_set(ty_string()), "[\"a\",~]");
}

/* ---------------------------------------------------------------- builders at scale */

TEST(val_map_random_order_interleaved_lookups)
{
    /* keys inserted in a scrambled order, looked up after every insert,
     * some replaced: must match a simple reference and stay fast */
    enum { N = 30000 };
    static int ref[N];
    val m = val_map_empty(ty_number());
    unsigned x = 12345;
    int bad = 0;
    for (int i = 0; i < N; i++)
        ref[i] = -1;
    for (int step = 0; step < 2 * N; step++) {
        x = x * 1103515245u + 12345u;
        int k = (int)((x >> 8) % N);
        char key[16];
        snprintf(key, sizeof key, "key-%d", k);
        m = val_map_set(m, key, val_number(step));
        ref[k] = step;
        const val *got = val_lookup(m, key);
        if (!got || val_get_number(*got) != step)
            bad++;
    }
    CHECK_INT(bad, 0);
    size_t count = 0;
    for (int i = 0; i < N; i++)
        count += ref[i] >= 0;
    CHECK_INT(val_len(m), count);
    for (size_t i = 1; i < val_len(m); i++)
        if (strcmp(val_key_at(m, i - 1), val_key_at(m, i)) >= 0)
            bad++;
    CHECK_INT(bad, 0);
    for (int i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "key-%d", i);
        const val *got = val_lookup(m, key);
        if (ref[i] < 0 ? got != NULL : (!got || val_get_number(*got) != ref[i]))
            bad++;
    }
    CHECK_INT(bad, 0);
    val_free(m);
}

TEST(val_shared_dirty_map_stays_consistent)
{
    val m = val_object_empty();
    m = val_object_set(m, "m", val_number(1));
    m = val_object_set(m, "a", val_number(2));   /* out of order: dirty */
    val c = val_copy(m);                          /* sharing normalises */
    c = val_object_set(c, "b", val_number(3));
    CHECK_INT(val_len(m), 2);
    CHECK_INT(val_len(c), 3);
    CHECK_STR(val_key_at(m, 0), "a");
    CHECK_STR(val_key_at(c, 1), "b");
    CHECK(val_lookup(m, "b") == NULL);
    val_free(m);
    val_free(c);
}

TEST(val_set_large_random_order)
{
    enum { N = 50000 };
    val s = val_set_empty(ty_number());
    unsigned x = 7;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        s = val_set_add(s, val_number((double)((x >> 8) % 1000)));
    }
    CHECK(val_len(s) <= 1000);
    int bad = 0;
    for (size_t i = 1; i < val_len(s); i++)
        if (val_get_number(*val_at(s, i - 1)) >= val_get_number(*val_at(s, i)))
            bad++;
    CHECK_INT(bad, 0);
    val_free(s);
}

TEST(convert_fast_path_keeps_identity)
{
    val l = val_list_append(val_list_empty(ty_string()), val_string("a"));
    const val *before = val_at(l, 0);
    ty *t = ty_list(ty_string());
    val r = val_convert(l, t);
    CHECK(val_at(r, 0) == before);   /* no copy when the type already matches */
    ty_free(t);
    val_free(r);
}

TEST(val_set_order_independence_property)
{
    /* the same multiset of elements, added in 50 different orders, always
     * gives raw-equal sets with identical element order */
    enum { NE = 40 };
    val elems[NE];
    for (int i = 0; i < NE; i++) {
        if (i % 3 == 0)
            elems[i] = T(2, N(i % 7), S(i % 2 ? "x" : "y"));
        else if (i % 3 == 1)
            elems[i] = T(2, N(i % 5), S("z"));
        else
            elems[i] = T(2, N(100 - i % 4), S("w"));
    }
    ty *ety = NULL;
    val first = val_invalid();
    unsigned x = 1;
    int bad = 0;
    for (int round = 0; round < 50; round++) {
        int perm[NE];
        for (int i = 0; i < NE; i++)
            perm[i] = i;
        for (int i = NE - 1; i > 0; i--) {
            x = x * 1103515245u + 12345u;
            int j = (int)((x >> 8) % (unsigned)(i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        val s = val_set_empty(ty_any());
        for (int i = 0; i < NE; i++)
            s = val_set_add(s, val_copy(elems[perm[i]]));
        if (!ety)
            ety = val_type(s);
        if (!val_is_valid(first)) {
            first = s;
            continue;
        }
        if (!val_eq(&first, &s) || val_len(first) != val_len(s))
            bad++;
        for (size_t i = 0; i < val_len(s); i++)
            if (!val_eq(val_at(first, i), val_at(s, i)))
                bad++;
        val_free(s);
    }
    CHECK_INT(bad, 0);
    CHECK(val_len(first) < NE);   /* duplicates were removed */
    CHECK_TY(ety, "set(tuple([number, string]))");
    ty_free(ety);
    val_free(first);
    for (int i = 0; i < NE; i++)
        val_free(elems[i]);
}

TEST(val_cow_all_builders)
{
    val o = O(1, "a", N(1));
    val o2 = val_object_set(val_copy(o), "b", N(2));
    CHECK_INT(val_len(o), 1);
    CHECK_INT(val_len(o2), 2);
    val s = val_set_add(val_set_empty(ty_string()), S("a"));
    val s2 = val_set_add(val_copy(s), S("b"));
    CHECK_INT(val_len(s), 1);
    CHECK_INT(val_len(s2), 2);
    val t = T(1, N(1));
    val t2 = val_tuple_append(val_copy(t), N(2));
    CHECK_INT(val_len(t), 1);
    CHECK_INT(val_len(t2), 2);
    val m = val_map_set(val_map_empty(ty_number()), "k", N(1));
    val m2 = val_map_set(val_copy(m), "k", N(5));   /* replace on a shared map */
    CHECK(val_get_number(*val_lookup(m, "k")) == 1);
    CHECK(val_get_number(*val_lookup(m2, "k")) == 5);
    /* a sensitive element inside; unmarking the copy leaves the original */
    val l = val_list_append(val_list_empty(ty_string()), val_mark(S("p"), VAL_MARK_SENSITIVE));
    val l2 = val_unmark_deep(val_copy(l));
    CHECK(val_contains_sensitive(l));
    CHECK(!val_contains_sensitive(l2));
    val vals[] = {o, o2, s, s2, t, t2, m, m2, l, l2};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        val_free(vals[i]);
}

TEST(val_builders_reject_bad_input)
{
    val r = val_list_append(val_string("x"), N(1));
    CHECK(!val_is_valid(r));
    r = val_object_set(val_unknown(ty_object(NULL, NULL, 0, NULL, NULL)), "a", N(1));
    CHECK(!val_is_valid(r));
    r = val_tuple_append(val_tuple_empty(), val_invalid());
    CHECK(!val_is_valid(r));
    r = val_map_set(val_map_empty(ty_string()), "a", N(1));
    CHECK(!val_is_valid(r));
    r = val_set_add(val_set_empty(ty_number()), S("1"));
    CHECK(!val_is_valid(r));
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
