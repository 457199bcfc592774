/* Unit tests for lang/diag.c: positions, printing, buffers, last error. */
#include "lang/diag.h"
#include "tests/unit/harness.h"

#include <stdlib.h>

TEST(src_pos_lines_and_utf8_columns)
{
    const char *t = "a = 1\nb = \"\xc3\xa9x\"\n";
    src_file *f = src_from_string("t.tf", t, strlen(t));
    int l, c;
    src_pos(f, 0, &l, &c);
    CHECK_INT(l, 1);
    CHECK_INT(c, 1);
    src_pos(f, 6, &l, &c);
    CHECK_INT(l, 2);
    CHECK_INT(c, 1);
    /* 'x' follows a two-byte character: byte 12, column 7 */
    src_pos(f, 12, &l, &c);
    CHECK_INT(l, 2);
    CHECK_INT(c, 7);
    src_free(f);
}

TEST(diag_print_has_location_line_and_caret)
{
    const char *t = "resource \"x\" \"y\" {\n  cidr = 1\n}\n";
    src_file *f = src_from_string("main.tf", t, strlen(t));
    diag_list l = {0};
    diag_add(&l, DIAG_ERROR, (srange){f, 21, 25}, "Unsupported argument",
             "An argument named \"%s\" is not expected here.", "cidr");
    CHECK_INT(l.nerrors, 1);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    diag_print_all(m, &l, 0);
    fclose(m);
    CHECK(strstr(buf, "main.tf:2:3: error: Unsupported argument\n") != NULL);
    CHECK(strstr(buf, "    2 |   cidr = 1\n      |   ^^^^\n") != NULL);
    CHECK(strstr(buf, "An argument named \"cidr\" is not expected here.") != NULL);
    free(buf);
    diag_list_free(&l);
    src_free(f);
}

TEST(strbuf_cap_marks_failure)
{
    strbuf b = {.cap = 8};
    sb_puts(&b, "12345");
    CHECK(!b.failed);
    sb_puts(&b, "6789");
    CHECK(b.failed);
    CHECK(sb_take(&b) == NULL);
    strbuf c = {0};
    sb_printf(&c, "%d-%s", 42, "x");
    char *s = sb_take(&c);
    CHECK_STR(s, "42-x");
    free(s);
}

TEST(last_error_is_per_call)
{
    CHECK_INT(err_set(CAIRN_EINVAL, "bad %s", "thing"), CAIRN_EINVAL);
    CHECK_STR(err_msg(), "bad thing");
    CHECK_INT(err_code(), CAIRN_EINVAL);
}

TEST(src_load_missing_file_is_an_error)
{
    CHECK(src_load("/nonexistent/cairn/x.tf") == NULL);
    CHECK_INT(err_code(), CAIRN_EIO);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
