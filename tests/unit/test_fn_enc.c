/* Unit tests for lang/fn_enc.c and lang/fn_hash.c.  Expected values are
 * the examples of Terraform's function documentation unless noted. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

TEST(fn_base64)
{
    CHECK_STR(call("base64encode", 1, S("Hello World")), "\"SGVsbG8gV29ybGQ=\"");
    CHECK_STR(call("base64decode", 1, S("SGVsbG8gV29ybGQ=")), "\"Hello World\"");
    CHECK_STR(call("base64encode", 1, S("")), "\"\"");
    CHECK_STR(call("base64encode", 1, S("ab")), "\"YWI=\"");
    CHECK_STR(call("base64decode", 1, S("YWI=")), "\"ab\"");
    CHECK_STR(call("base64decode", 1, S("YWI")),
              "ERR(-1): Call to function \"base64decode\" failed: failed to decode base64 data "
              "\"YWI\".");
    CHECK_STR(call("base64decode", 1, S("/w==")),
              "ERR(-1): Call to function \"base64decode\" failed: the result of decoding the "
              "provided string is not valid UTF-8.");
}

TEST(fn_urlencode)
{
    CHECK_STR(call("urlencode", 1, S("Hello World!")), "\"Hello+World%21\"");
    CHECK_STR(call("urlencode", 1, S("☃")), "\"%E2%98%83\"");
    CHECK_STR(call("urlencode", 1, S("foo=bar&x=a/b")), "\"foo%3Dbar%26x%3Da%2Fb\"");
    CHECK_STR(call("urlencode", 1, S("a-b_c.d~")), "\"a-b_c.d~\"");
}

TEST(fn_json)
{
    CHECK_STR(call("jsondecode", 1, S("{\"hello\": \"world\"}")), "object{hello = \"world\"}");
    CHECK_STR(call("jsondecode", 1, S("true")), "true");
    CHECK_STR(call("jsonencode", 1, O(1, "hello", S("world"))),
              "\"{\\\"hello\\\":\\\"world\\\"}\"");
    CHECK_STR(call("jsonencode", 1, val_null()), "\"null\"");
    CHECK_STR(call("jsonencode", 1, T(1, val_unknown(ty_string()))), "unknown(string)");
    /* cty's wording (recorded with the Go oracle) */
    CHECK_STR(call("jsondecode", 1, S("{")), "ERR(-1): Call to function \"jsondecode\" failed: "
                                             "EOF.");
    CHECK_STR(call("jsondecode", 1, S("1 2")), "ERR(-1): Call to function \"jsondecode\" failed: "
                                               "extraneous data after JSON object.");
}

TEST(fn_csvdecode)
{
    CHECK_STR(call("csvdecode", 1, S("a,b,c\n1,2,3\n4,5,6")),
              "list[object{a = \"1\", b = \"2\", c = \"3\"}, object{a = \"4\", b = \"5\", "
              "c = \"6\"}]");
    CHECK_STR(call("csvdecode", 1, S("a,b\n\"x,y\",\"q\"\"\"\r\n")),
              "list[object{a = \"x,y\", b = \"q\\\"\"}]");
    CHECK_STR(call("csvdecode", 1, S("a,b\n")), "list[]");
    CHECK_STR(call("csvdecode", 1, S("")),
              "ERR(-1): Call to function \"csvdecode\" failed: missing header line.");
    CHECK_STR(call("csvdecode", 1, S("a,a\n1,2")),
              "ERR(-1): Call to function \"csvdecode\" failed: duplicate column name \"a\".");
    CHECK_STR(call("csvdecode", 1, S("a,b\n1,2\n3")),
              "ERR(-1): Call to function \"csvdecode\" failed: CSV parse error on line 3: "
              "wrong number of fields.");
    CHECK_STR(call("csvdecode", 1, S("a\nx\"y")),
              "ERR(-1): Call to function \"csvdecode\" failed: CSV parse error on line 2: bare "
              "\" in non-quoted-field.");
}

TEST(fn_yamlencode)
{
    CHECK_STR(call("yamlencode", 1, O(2, "a", S("b"), "c", S("d"))),
              "\"\\\"a\\\": \\\"b\\\"\\n\\\"c\\\": \\\"d\\\"\\n\"");
    CHECK_STR(call("yamlencode", 1, O(2, "foo", TN(3, 1.0, 2.0, 3.0), "bar", S("baz"))),
              "\"\\\"bar\\\": \\\"baz\\\"\\n\\\"foo\\\":\\n- 1\\n- 2\\n- 3\\n\"");
    CHECK_STR(call("yamlencode", 1, O(2, "foo", T(3, N(1), O(2, "a", S("b"), "c", S("d")),
                                                  N(3)), "bar", S("baz"))),
              "\"\\\"bar\\\": \\\"baz\\\"\\n\\\"foo\\\":\\n- 1\\n- \\\"a\\\": \\\"b\\\"\\n  "
              "\\\"c\\\": \\\"d\\\"\\n- 3\\n\"");
    /* go-cty-yaml's own tests: top-level scalars */
    CHECK_STR(call("yamlencode", 1, S("x")), "\"\\\"x\\\"\\n\"");
    CHECK_STR(call("yamlencode", 1, S("")), "\"\\\"\\\"\\n\"");
    CHECK_STR(call("yamlencode", 1, T(0)), "\"[]\\n\"");
    CHECK_STR(call("yamlencode", 1, O(0)), "\"{}\\n\"");
    CHECK_STR(call("yamlencode", 1, B(1)), "\"true\\n...\\n\"");
    CHECK_STR(call("yamlencode", 1, N(0)), "\"0\\n...\\n\"");
    CHECK_STR(call("yamlencode", 1, TS(1, "b")), "\"- \\\"b\\\"\\n\"");
}

/* Emitter behaviour of libyaml (which go-cty-yaml ports): literal blocks for
 * multi-line strings, escapes, folding of long double-quoted lines. */
TEST(fn_yamlencode_strings)
{
    CHECK_STR(call("yamlencode", 1, O(1, "s", S("echo a\necho b\n"))),
              "\"\\\"s\\\": |\\n  echo a\\n  echo b\\n\"");
    CHECK_STR(call("yamlencode", 1, O(1, "s", S("a\nb"))),
              "\"\\\"s\\\": |-\\n  a\\n  b\\n\"");
    CHECK_STR(call("yamlencode", 1, TS(1, "a\n\n")), "\"- |+\\n  a\\n\\n\"");
    CHECK_STR(call("yamlencode", 1, O(1, "t", S("a\tb\n"))),
              "\"\\\"t\\\": \\\"a\\\\tb\\\\n\\\"\\n\"");
    CHECK_STR(call("yamlencode", 1, TS(1, "x \ny")), "\"- \\\"x \\\\ny\\\"\\n\"");
    CHECK_STR(call("yamlencode", 1, T(1, T(2, N(1), N(2)))), "\"- - 1\\n  - 2\\n\"");
    const char *r = call("yamlencode", 1, O(1, "long", S("aaaa bbbb cccc dddd eeee ffff gggg "
                                                         "hhhh iiii jjjj kkkk llll mmmm nnnn "
                                                         "oooo pppp")));
    CHECK(strstr(r, "oooo\\n  pppp") != NULL);
}

TEST(fn_hashes)
{
    CHECK_STR(call("md5", 1, S("hello world")), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
    CHECK_STR(call("sha1", 1, S("hello world")), "\"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\"");
    CHECK_STR(call("sha256", 1, S("hello world")),
              "\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\"");
    CHECK_STR(call("sha512", 1, S("hello world")),
              "\"309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff49"
              "9670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f\"");
    CHECK_STR(call("base64sha256", 1, S("hello world")),
              "\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\"");
    CHECK_STR(call("base64sha512", 1, S("hello world")),
              "\"MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6"
              "TrpzXbw==\"");
}

TEST(fn_uuidv5)
{
    CHECK_STR(call("uuidv5", 2, S("dns"), S("www.terraform.io")),
              "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\"");
    CHECK_STR(call("uuidv5", 2, S("url"), S("https://www.terraform.io/")),
              "\"9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5\"");
    CHECK_STR(call("uuidv5", 2, S("oid"), S("1.3.6.1.4")),
              "\"af9d40a5-7a36-5c07-b23a-851cd99fbfa5\"");
    CHECK_STR(call("uuidv5", 2, S("x500"), S("CN=Example,C=GB")),
              "\"84e09961-4aa4-57f8-95b7-03edb1073253\"");
    CHECK_STR(call("uuidv5", 2, S("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), S("www.terraform.io")),
              "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\"");
    CHECK_STR(call("uuidv5", 2, S("nope"), S("x")),
              "ERR(-1): Call to function \"uuidv5\" failed: uuidv5() doesn't support namespace "
              "nope.");
}

TEST(fn_uuid)
{
    CHECK_STR(call("uuid", 0), "unknown(string)");   /* impure: unknown during plan */
    fnt_ctx.allow_impure = 1;
    const char *u = call("uuid", 0);
    fnt_ctx.allow_impure = 0;
    CHECK(strlen(u) == 38);
    CHECK(u[15] == '4');
    CHECK(strchr("89ab", u[20]) != NULL);
    CHECK(u[9] == '-' && u[14] == '-' && u[19] == '-' && u[24] == '-');
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
