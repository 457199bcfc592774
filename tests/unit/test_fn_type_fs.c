/* Unit tests for lang/fn_type.c and lang/fn_fs.c.  Expected values are
 * the examples of Terraform's function documentation unless noted. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

TEST(fn_tobool_tonumber_tostring)
{
    CHECK_STR(call("tobool", 1, B(1)), "true");
    CHECK_STR(call("tobool", 1, S("true")), "true");
    CHECK_STR(call("tobool", 1, val_null()), "null(bool)");
    CHECK_STR(call("tobool", 1, S("no")),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert \"no\" to bool; only "
              "the strings \"true\" or \"false\" are allowed.");
    CHECK_STR(call("tobool", 1, N(1)),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert number to bool.");
    CHECK_STR(call("tonumber", 1, N(1)), "1");
    CHECK_STR(call("tonumber", 1, S("1")), "1");
    CHECK_STR(call("tonumber", 1, val_null()), "null(number)");
    CHECK_STR(call("tonumber", 1, S("no")),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert \"no\" to number; "
              "given string must be a decimal representation of a number.");
    CHECK_STR(call("tostring", 1, S("hello")), "\"hello\"");
    CHECK_STR(call("tostring", 1, N(1)), "\"1\"");
    CHECK_STR(call("tostring", 1, B(1)), "\"true\"");
    CHECK_STR(call("tostring", 1, val_null()), "null(string)");
    CHECK_STR(call("tostring", 1, T(0)),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert tuple to string.");
    CHECK_STR(call("tostring", 1, val_unknown(ty_number())), "unknown(string)");
    CHECK_STR(call("tonumber", 1, val_mark(S("x"), VAL_MARK_SENSITIVE)),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert this sensitive string "
              "to number.");
    CHECK_STR(call("tostring", 1, val_mark(N(2), VAL_MARK_SENSITIVE)), "sensitive(\"2\")");
}

TEST(fn_tolist_tomap_toset)
{
    CHECK_STR(call("tolist", 1, TS(3, "a", "b", "c")), "list[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("tolist", 1, T(3, S("a"), S("b"), N(3))), "list[\"a\", \"b\", \"3\"]");
    CHECK_STR(call("tomap", 1, O(2, "a", N(1), "b", N(2))), "map{a = 1, b = 2}");
    CHECK_STR(call("tomap", 1, O(2, "a", S("foo"), "b", B(1))),
              "map{a = \"foo\", b = \"true\"}");
    CHECK_STR(call("toset", 1, TS(3, "a", "b", "c")), "set[\"a\", \"b\", \"c\"]");
    CHECK_STR(call("toset", 1, T(3, S("a"), S("b"), N(3))), "set[\"3\", \"a\", \"b\"]");
    CHECK_STR(call("toset", 1, TS(3, "c", "b", "b")), "set[\"b\", \"c\"]");
    CHECK_STR(call("tolist", 1, S("a")),
              "ERR(0): Invalid value for \"v\" parameter: cannot convert string to list of any "
              "single type.");
}

/* Terraform's own conversions take marks (internal/lang/funcs/conversion.go):
 * the value's own mark stays on the result, marks inside stay where they are,
 * except in a set, which takes its elements' marks whole (cty.SetVal).  The
 * oracle's go-cty MakeToFunc marks the whole result instead
 * (tests/eval/divergences.txt). */
TEST(fn_conversions_keep_nested_marks)
{
    val secret = val_mark(S("x"), VAL_MARK_SENSITIVE);
    CHECK_STR(call("tolist", 1, T(2, val_copy(secret), S("b"))),
              "list[sensitive(\"x\"), \"b\"]");
    CHECK_STR(call("tomap", 1, O(2, "a", val_copy(secret), "b", S("b"))),
              "map{a = sensitive(\"x\"), b = \"b\"}");
    CHECK_STR(call("tolist", 1, T(1, O(2, "n", S("n"), "pw", val_copy(secret)))),
              "list[object{n = \"n\", pw = sensitive(\"x\")}]");
    CHECK_STR(call("toset", 1, T(2, val_copy(secret), S("b"))),
              "sensitive(set[\"b\", \"x\"])");
    CHECK_STR(call("tolist", 1, val_mark(T(1, S("a")), VAL_MARK_SENSITIVE)),
              "sensitive(list[\"a\"])");
    CHECK_STR(call("tostring", 1, val_mark(N(1), VAL_MARK_SENSITIVE)), "sensitive(\"1\")");
    CHECK_STR(call("tolist", 1, val_mark(val_unknown(ty_list(ty_string())), VAL_MARK_SENSITIVE)),
              "sensitive(unknown(list(any)))");
    val_free(secret);
}

TEST(fn_sensitive_nonsensitive)
{
    CHECK_STR(call("issensitive", 1, val_mark(S("x"), VAL_MARK_SENSITIVE)), "true");
    CHECK_STR(call("issensitive", 1, S("x")), "false");
    CHECK_STR(call("sensitive", 1, S("x")), "sensitive(\"x\")");
    CHECK_STR(call("nonsensitive", 1, val_mark(S("x"), VAL_MARK_SENSITIVE)), "\"x\"");
    CHECK_STR(call("sensitive", 1, val_unknown(ty_string())), "sensitive(unknown(string))");
    CHECK_STR(call("nonsensitive", 1, S("y")), "\"y\"");
}

TEST(fn_basename_dirname)
{
    CHECK_STR(call("basename", 1, S("foo/bar/baz.txt")), "\"baz.txt\"");
    CHECK_STR(call("basename", 1, S("foo/bar/")), "\"bar\"");
    CHECK_STR(call("basename", 1, S("")), "\".\"");
    CHECK_STR(call("basename", 1, S("///")), "\"/\"");
    CHECK_STR(call("dirname", 1, S("foo/bar/baz.txt")), "\"foo/bar\"");
    CHECK_STR(call("dirname", 1, S("foo")), "\".\"");
    CHECK_STR(call("dirname", 1, S("/foo")), "\"/\"");
    CHECK_STR(call("dirname", 1, S("a/./b/../c/d")), "\"a/c\"");
    CHECK_STR(call("dirname", 1, S("../../x")), "\"../..\"");
}

TEST(fn_abspath_pathexpand)
{
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char want[4200];
    snprintf(want, sizeof want, "\"%s/x/y\"", cwd);
    CHECK_STR(call("abspath", 1, S("./x//y/z/..")), want);
    CHECK_STR(call("abspath", 1, S("/a/../b")), "\"/b\"");
    setenv("HOME", "/home/me", 1);
    CHECK_STR(call("pathexpand", 1, S("~/.ssh/id_rsa")), "\"/home/me/.ssh/id_rsa\"");
    CHECK_STR(call("pathexpand", 1, S("/etc/resolv.conf")), "\"/etc/resolv.conf\"");
    CHECK_STR(call("pathexpand", 1, S("~bob/x")),
              "ERR(-1): Call to function \"pathexpand\" failed: cannot expand user-specific "
              "home dir.");
}

static char fnt_dir[64];

static void make_files(void)
{
    snprintf(fnt_dir, sizeof fnt_dir, "/tmp/cairn_fn_XXXXXX");
    if (!mkdtemp(fnt_dir))
        return;
    char p[128];
    snprintf(p, sizeof p, "%s/hello.txt", fnt_dir);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("Hello World", f);
        fclose(f);
    }
    snprintf(p, sizeof p, "%s/bin.dat", fnt_dir);
    f = fopen(p, "w");
    if (f) {
        fputs("\xff\xfe", f);
        fclose(f);
    }
}

static void remove_files(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/hello.txt", fnt_dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/bin.dat", fnt_dir);
    unlink(p);
    rmdir(fnt_dir);
}

static val fake_render(void *payload, const char *path, val vars, fn_err *err)
{
    (void)payload, (void)err;
    const val *name = val_lookup(vars, "name");
    char *s = xasprintf("%s:%s", strrchr(path, '/') + 1, name ? val_get_string(*name) : "?");
    val_free(vars);
    return val_string_own(s, strlen(s));
}

TEST(fn_file_fileexists_templatefile)
{
    make_files();
    fnt_ctx.base_dir = fnt_dir;
    CHECK_STR(call("file", 1, S("hello.txt")), "\"Hello World\"");
    CHECK_STR(call("fileexists", 1, S("hello.txt")), "true");
    CHECK_STR(call("fileexists", 1, S("nope.txt")), "false");
    char want[512];
    snprintf(want, sizeof want, "ERR(-1): Call to function \"fileexists\" failed: \"%s\" is a "
             "directory, not a file.", fnt_dir);
    CHECK_STR(call("fileexists", 1, S(".")), want);
    snprintf(want, sizeof want, "ERR(0): Invalid value for \"path\" parameter: no file exists "
             "at \"%s/nope.txt\"; this function works only with files that are distributed as "
             "part of the configuration source code, so if this file will be created by a "
             "resource in this configuration you must instead obtain this result from an "
             "attribute of that resource.", fnt_dir);
    CHECK_STR(call("file", 1, S("nope.txt")), want);
    CHECK(strstr(call("file", 1, S("bin.dat")), "are not valid UTF-8") != NULL);
    snprintf(want, sizeof want, "ERR(0): Invalid value for \"path\" parameter: failed to read "
             "file: read %s: is a directory.", fnt_dir);
    CHECK_STR(call("file", 1, S(".")), want);
    CHECK_STR(call("filebase64", 1, S("hello.txt")), "\"SGVsbG8gV29ybGQ=\"");
    CHECK_STR(call("filebase64", 1, S("bin.dat")), "\"//4=\"");
    CHECK_STR(call("filemd5", 1, S("hello.txt")), "\"b10a8db164e0754105b7a99be72e3fe5\"");
    CHECK_STR(call("filesha1", 1, S("hello.txt")),
              "\"0a4d55a8d778e5022fab701977c5d840bbc486d0\"");
    CHECK_STR(call("filesha256", 1, S("hello.txt")),
              "\"a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e\"");
    CHECK_STR(call("filebase64sha256", 1, S("hello.txt")),
              "\"pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=\"");
    CHECK(strncmp(call("filesha512", 1, S("hello.txt")), "\"2c74fd17edafd80e8447b0d46741ee24",
                  33) == 0);
    CHECK_STR(call("templatefile", 2, S("hello.txt"), O(1, "name", S("x"))),
              "ERR(-1): Call to function \"templatefile\" failed: templatefile is not available "
              "here.");
    fnt_ctx.render_template = fake_render;
    CHECK_STR(call("templatefile", 2, S("hello.txt"), O(1, "name", S("x"))),
              "\"hello.txt:x\"");
    CHECK_STR(call("templatefile", 2, S("hello.txt"), S("x")),
              "ERR(1): Invalid value for \"vars\" parameter: invalid vars value: must be a map.");
    CHECK_STR(call("templatefile", 2, S("hello.txt"), O(1, "1x", S("x"))),
              "ERR(1): Invalid value for \"vars\" parameter: invalid template variable name "
              "\"1x\": must start with a letter, followed by zero or more letters, digits, and "
              "underscores.");
    fnt_ctx.render_template = NULL;
    fnt_ctx.base_dir = NULL;
    remove_files();
}

/* fileset: examples of Terraform's documentation on a small tree. */
TEST(fn_fileset)
{
    char dir[64], p[160];
    snprintf(dir, sizeof dir, "/tmp/cairn_fs_XXXXXX");
    if (!mkdtemp(dir))
        SKIP("cannot create a temporary directory");
    const char *files[] = {"files/hello.txt", "files/world.txt", "files/sub/deep.txt",
                           "files/.hidden", "other.md"};
    snprintf(p, sizeof p, "%s/files", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/files/sub", dir);
    mkdir(p, 0700);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        FILE *f = fopen(p, "w");
        if (f)
            fclose(f);
    }
    fnt_ctx.base_dir = dir;
    CHECK_STR(call("fileset", 2, S("."), S("files/*.txt")),
              "set[\"files/hello.txt\", \"files/world.txt\"]");
    CHECK_STR(call("fileset", 2, S("."), S("files/{hello,world}.txt")),
              "set[\"files/hello.txt\", \"files/world.txt\"]");
    CHECK_STR(call("fileset", 2, S("files"), S("*")),
              "set[\".hidden\", \"hello.txt\", \"world.txt\"]");
    CHECK_STR(call("fileset", 2, S("."), S("files/**/*.txt")),
              "set[\"files/hello.txt\", \"files/sub/deep.txt\", \"files/world.txt\"]");
    CHECK_STR(call("fileset", 2, S("files"), S("**")),
              "set[\".hidden\", \"hello.txt\", \"sub/deep.txt\", \"world.txt\"]");
    CHECK_STR(call("fileset", 2, S("."), S("files/h?llo.[st]xt")), "set[\"files/hello.txt\"]");
    CHECK_STR(call("fileset", 2, S("."), S("nothing/*")), "set[]");
    CHECK(strstr(call("fileset", 2, S("."), S("files/[a")), "\": syntax error in pattern") != NULL);
    fnt_ctx.base_dir = NULL;
    for (size_t i = sizeof files / sizeof *files; i > 0; i--) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i - 1]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/files/sub", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/files", dir);
    rmdir(p);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
