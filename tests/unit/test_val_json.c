/* Unit tests for lang/val_json.c: jsonencode / jsondecode behaviour. */
#include "lang/val_json.h"
#include "tests/unit/harness.h"
#include "tests/unit/val_notation.h"

#include <math.h>
#include <stdlib.h>

static char *enc(val v)
{
    char *s = val_to_json(&v, NULL);
    val_free(v);
    return s;
}

#define CHECK_ENC(v, want) do {                                           \
        char *s_ = enc(v);                                                \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
    } while (0)

static char *tstr(val v)
{
    ty *t = val_type(v);
    char *s = ty_str(t);
    ty_free(t);
    return s;
}

/* Decode then re-encode. */
static char *roundtrip(const char *json)
{
    val v = val_from_json(json, strlen(json));
    if (!val_is_valid(v))
        return NULL;
    return enc(v);
}

#define CHECK_RT(in, want) do {                                           \
        char *s_ = roundtrip(in);                                         \
        CHECK_STR(s_, want);                                              \
        free(s_);                                                         \
    } while (0)

TEST(json_encode_primitives)
{
    CHECK_ENC(val_null(), "null");
    CHECK_ENC(val_bool(1), "true");
    CHECK_ENC(val_bool(0), "false");
    CHECK_ENC(val_number(1), "1");
    CHECK_ENC(val_number(-2.5), "-2.5");
    CHECK_ENC(val_number(1e21), "1000000000000000000000");
    CHECK_ENC(val_number(0.1), "0.1");
    CHECK_ENC(val_string("hi"), "\"hi\"");
    CHECK_ENC(val_null_of(ty_string()), "null");
}

TEST(json_encode_escapes_like_go)
{
    CHECK_ENC(val_string("<a href=\"x\">&</a>"),
              "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"");
    CHECK_ENC(val_string("a\nb\tc\rd\\e"), "\"a\\nb\\tc\\rd\\\\e\"");
    CHECK_ENC(val_string("\x01\x1f\b\f"), "\"\\u0001\\u001f\\u0008\\u000c\"");
    CHECK_ENC(val_string("caf\xc3\xa9 \xe2\x80\xa8"), "\"caf\xc3\xa9 \\u2028\"");
    CHECK_ENC(val_string("bad\xff"), "\"bad\\ufffd\"");
    CHECK_ENC(val_string("\x7f"), "\"\x7f\"");
    CHECK_ENC(val_string_n("a\0b", 3), "\"a\\u0000b\"");
}

TEST(json_encode_collections_sorted_keys)
{
    val o = val_object_empty();
    o = val_object_set(o, "b", val_number(1));
    o = val_object_set(o, "a", val_tuple_append(val_tuple_empty(), val_bool(1)));
    CHECK_ENC(o, "{\"a\":[true],\"b\":1}");
    val s = val_set_empty(ty_string());
    s = val_set_add(s, val_string("z"));
    s = val_set_add(s, val_string("y"));
    CHECK_ENC(s, "[\"y\",\"z\"]");
    CHECK_ENC(val_map_empty(ty_string()), "{}");
    CHECK_ENC(val_list_empty(ty_string()), "[]");
}

TEST(json_encode_unknown_fails)
{
    val l = val_tuple_append(val_tuple_empty(), val_unknown(ty_string()));
    char *s = val_to_json(&l, NULL);
    CHECK(s == NULL);
    CHECK_STR(err_msg(), "value is not known");
    val_free(l);
    val inf = val_number(INFINITY);
    CHECK(val_to_json(&inf, NULL) == NULL);
    CHECK_STR(err_msg(), "cannot serialize infinity as JSON");
}

TEST(json_encode_ignores_marks)
{
    CHECK_ENC(val_mark(val_string("s"), VAL_MARK_SENSITIVE), "\"s\"");
}

TEST(json_decode_types)
{
    const char *j = "{\"b\": [1, \"x\", true, null], \"a\": {\"c\": 1.5}}";
    val v = val_from_json(j, strlen(j));
    CHECK(val_is_valid(v));
    char *t = tstr(v);
    CHECK_STR(t, "object({a=object({c=number}), b=tuple([number, string, bool, any])})");
    free(t);
    CHECK(val_get_number(*val_lookup(*val_lookup(v, "a"), "c")) == 1.5);
    val_free(v);
    v = val_from_json("[]", 2);
    t = tstr(v);
    CHECK_STR(t, "tuple([])");
    free(t);
    val_free(v);
    v = val_from_json(" null ", 6);
    CHECK(val_is_null(v));
}

TEST(json_decode_strings_and_escapes)
{
    const char *j = "\"a\\u00e9\\ud83d\\ude00\\n\\/\\\"\"";
    val v = val_from_json(j, strlen(j));
    CHECK_STR(val_get_string(v), "a\xc3\xa9\xf0\x9f\x98\x80\n/\"");
    val_free(v);
    /* a lone surrogate becomes U+FFFD, as Go does */
    j = "\"\\ud800x\"";
    v = val_from_json(j, strlen(j));
    CHECK_STR(val_get_string(v), "\xef\xbf\xbdx");
    val_free(v);
    j = "\"\\u0000\"";
    v = val_from_json(j, strlen(j));
    CHECK_INT(val_string_len(v), 1);
    val_free(v);
}

TEST(json_decode_duplicate_keys_last_wins)
{
    /* Go's decoder stops at a stray closing bracket after the value */
    val st = val_from_json("[1]]", 4);
    CHECK(val_is_valid(st) && val_len(st) == 1);
    val_free(st);
    const char *j = "{\"a\":1,\"a\":\"two\"}";
    val v = val_from_json(j, strlen(j));
    CHECK_INT(val_len(v), 1);
    CHECK_STR(val_get_string(*val_lookup(v, "a")), "two");
    val_free(v);
}

TEST(json_decode_errors)
{
    /* messages as go-cty's jsondecode gives them (checked with Go) */
    struct { const char *in; const char *msg; } bad[] = {
        {"", "EOF"},
        {"  ", "EOF"},
        {"[1,", "EOF"},
        {"[1", "EOF"},
        {"{\"a\":", "EOF"},
        {"{\"a\" 1}", "invalid character '1' after object key"},
        {"[1 2]", "invalid character '2' after array element"},
        {"x", "invalid character 'x' looking for beginning of value"},
        {"01", "extraneous data after JSON object"},
        {"1 2", "extraneous data after JSON object"},
        {"1x", "extraneous data after JSON object"},
        {"[1] x", "extraneous data after JSON object"},
        {"\"a\tb\"", "invalid character '\\t' in string literal"},
        {"\"\x01\"", "invalid character '\\x01' in string literal"},
        {"tru", "unexpected EOF"},
        {"trux", "invalid character 'x' in literal true (expecting 'e')"},
        {"-", "unexpected EOF"},
        {"1.", "unexpected EOF"},
        {"\"abc", "unexpected EOF"},
        {"{,}", "invalid character ','"},
        {"{]", "invalid character ']'"},
        {"{\"a\":1,}", "invalid character '}' looking for beginning of object key string"},
        {"[1,]", "invalid character ']' looking for beginning of value"},
        {"'a'", "invalid character '\\'' looking for beginning of value"},
        {"\"\\x\"", "invalid character 'x' in string escape code"},
        {"\"\\u12\"", "invalid character '\"' in \\u hexadecimal character escape"},
        {"-a", "invalid character 'a' in numeric literal"},
        {"1.e5", "invalid character 'e' after decimal point in numeric literal"},
        {"[-]", "invalid character ']' in numeric literal"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        val v = val_from_json(bad[i].in, strlen(bad[i].in));
        CHECK(!val_is_valid(v));
        CHECK_STR(err_msg(), bad[i].msg);
    }
}

TEST(json_depth_limit)
{
    size_t n = VAL_JSON_MAX_DEPTH + 10;
    char *s = xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        s[i] = '[';
        s[n + i] = ']';
    }
    s[2 * n] = '\0';
    val v = val_from_json(s, 2 * n);
    CHECK(!val_is_valid(v));
    CHECK_INT(err_code(), CAIRN_ELIMIT);
    /* just inside the limit works */
    size_t m = VAL_JSON_MAX_DEPTH;
    val w = val_from_json(s + (n - m), 2 * m);
    CHECK(val_is_valid(w));
    val_free(w);
    free(s);
    /* encoding is bounded too */
    val deep = val_tuple_empty();
    for (int i = 0; i < VAL_JSON_MAX_DEPTH + 5; i++)
        deep = val_tuple_append(val_tuple_empty(), deep);
    char *e = val_to_json(&deep, NULL);
    CHECK(e == NULL);
    CHECK_INT(err_code(), CAIRN_ELIMIT);
    val_free(deep);
}

TEST(json_size_limit)
{
    val v = val_from_json("1", (size_t)VAL_JSON_MAX_SIZE + 1);
    CHECK(!val_is_valid(v));
    CHECK_INT(err_code(), CAIRN_ELIMIT);
}

TEST(json_round_trips)
{
    CHECK_RT("{\"z\":[1,2,{\"y\":null}],\"a\":\"<\"}",
             "{\"a\":\"\\u003c\",\"z\":[1,2,{\"y\":null}]}");
    CHECK_RT("[1e3, 0.5, -0, 1E-2, 12345678901234567890]",
             "[1000,0.5,-0,0.01,12345678901234567000]");
    CHECK_RT("  {\"\":{}}  ", "{\"\":{}}");
    CHECK_RT("[\"\xe2\x82\xac\"]", "[\"\xe2\x82\xac\"]");
}

TEST(json_many_elements_linear)
{
    strbuf b = {0};
    sb_putc(&b, '{');
    for (int i = 0; i < 50000; i++)
        sb_printf(&b, "%s\"k%d\":%d", i ? "," : "", 50000 - i, i);
    sb_putc(&b, '}');
    val v = val_from_json(b.s, b.len);
    CHECK_INT(val_len(v), 50000);
    CHECK_STR(val_key_at(v, 0), "k1");
    size_t n = 0;
    char *s = val_to_json(&v, &n);
    CHECK(s && n > 0);
    free(s);
    val_free(v);
    sb_free(&b);
}

TEST(json_random_mutations_do_not_crash)
{
    /* Mutated documents either decode or fail cleanly; whatever decodes
     * re-encodes to text that decodes to an equal value. */
    const char *seed = "{\"a\":[1,-2.5e3,true,null,\"x\\u00e9\\n\"],\"b\":{\"c\":{}},\"d\":[]}";
    size_t n = strlen(seed);
    char buf[256];
    unsigned x = 99;
    int ok = 0, bad = 0;
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(buf, seed, n);
        int muts = 1 + iter % 4;
        for (int k = 0; k < muts; k++) {
            x = x * 1103515245u + 12345u;
            size_t at = (x >> 8) % n;
            x = x * 1103515245u + 12345u;
            buf[at] = "{}[]\",:0-eE.\\tnufl \x01\xff"[(x >> 8) % 21];
        }
        val v = val_from_json(buf, n);
        if (!val_is_valid(v))
            continue;
        ok++;
        char *e = val_to_json(&v, NULL);
        if (!e) {
            bad++;
            val_free(v);
            continue;
        }
        val w = val_from_json(e, strlen(e));
        if (!val_is_valid(w) || !val_eq(&v, &w))
            bad++;
        val_free(w);
        val_free(v);
        free(e);
    }
    CHECK(ok > 100);
    CHECK_INT(bad, 0);
}

/* Replays tests/unit/data/val_json.txt (gen_val_convert.go json): for each
 * random value, the JSON go-cty's json.Marshal writes (hex) and what
 * Terraform's jsondecode reads back (ImpliedType + Unmarshal). */
static int replay_json(char *line, char **why)
{
    char *s1 = strstr(line, " ; ");
    char *s2 = s1 ? strstr(s1 + 3, " ; ") : NULL;
    if (!s2) {
        *why = xstrdup("malformed line");
        return 0;
    }
    *s1 = *s2 = '\0';
    struct rd r = {line, 0};
    val v = parse_val(&r);
    if (r.bad || *r.p) {
        val_free(v);
        *why = xasprintf("cannot parse value near \"%.20s\"", r.p);
        return 0;
    }
    size_t wn;
    struct rd h = {s1 + 3, 0};
    char *want_json = parse_hex(&h, &wn);
    size_t n = 0;
    char *got_json = val_to_json(&v, &n);
    val_free(v);
    int ok = got_json && n == wn && memcmp(got_json, want_json, n) == 0;
    strbuf got = {0};
    if (ok) {
        val d = val_from_json(want_json, wn);
        if (val_is_valid(d))
            val_str(&got, d);
        else
            sb_printf(&got, "ERR %s", err_msg());
        val_free(d);
        char *g = sb_take(&got);
        ok = strcmp(g, s2 + 3) == 0;
        if (!ok)
            *why = xasprintf("decoded %s\n#   want    %s", g, s2 + 3);
        free(g);
    } else {
        *why = xasprintf("encoded %s\n#   want    %s", got_json ? got_json : err_msg(),
                         want_json);
    }
    free(got_json);
    free(want_json);
    return ok;
}

TEST(json_matches_go_cty)
{
    char *data = read_data("tests/unit/data/val_json.txt");
    if (!data)
        SKIP("tests/unit/data/val_json.txt not found (run from the repository root)");
    int lines = 0, bad = 0;
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *copy = xstrdup(line), *why = NULL;
        lines++;
        if (!replay_json(line, &why)) {
            if (bad < 10)
                printf("# line %d: %.300s\n#   %s\n", lines, copy, why);
            bad++;
        }
        free(why);
        free(copy);
    }
    printf("# %d lines, %d differ\n", lines, bad);
    CHECK(lines >= 1000);
    CHECK_INT(bad, 0);
    free(data);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
