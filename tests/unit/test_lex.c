/* Unit tests for lang/lex.c: token kinds, byte ranges, modes, errors. */
#include "lang/lex.h"
#include "tests/unit/harness.h"

#include <stdlib.h>

/* Lex text; return the kinds as a space-separated list of names from
 * a compact table, and keep the tokens in *out. */
static const char *short_name(enum lex_kind k)
{
    switch (k) {
    case LEX_EOF: return "EOF";
    case LEX_NEWLINE: return "NL";
    case LEX_COMMENT: return "C";
    case LEX_IDENT: return "ID";
    case LEX_NUMBER: return "NUM";
    case LEX_OBRACE: return "{";
    case LEX_CBRACE: return "}";
    case LEX_OBRACK: return "[";
    case LEX_CBRACK: return "]";
    case LEX_OPAREN: return "(";
    case LEX_CPAREN: return ")";
    case LEX_OQUOTE: return "OQ";
    case LEX_CQUOTE: return "CQ";
    case LEX_QUOTED_LIT: return "QL";
    case LEX_OHEREDOC: return "OH";
    case LEX_CHEREDOC: return "CH";
    case LEX_STRING_LIT: return "SL";
    case LEX_TEMPLATE_INTERP: return "${";
    case LEX_TEMPLATE_CONTROL: return "%{";
    case LEX_TEMPLATE_SEQ_END: return "SEQ}";
    case LEX_STAR: return "*";
    case LEX_SLASH: return "/";
    case LEX_PLUS: return "+";
    case LEX_MINUS: return "-";
    case LEX_PERCENT: return "%";
    case LEX_EQUAL: return "=";
    case LEX_EQUALOP: return "==";
    case LEX_NOTEQUAL: return "!=";
    case LEX_LT: return "<";
    case LEX_LE: return "<=";
    case LEX_GT: return ">";
    case LEX_GE: return ">=";
    case LEX_AND: return "&&";
    case LEX_OR: return "||";
    case LEX_BANG: return "!";
    case LEX_DOT: return ".";
    case LEX_COMMA: return ",";
    case LEX_ELLIPSIS: return "...";
    case LEX_FATARROW: return "=>";
    case LEX_QUESTION: return "?";
    case LEX_COLON: return ":";
    case LEX_DCOLON: return "::";
    case LEX_INVALID: return "INV";
    case LEX_BAD_UTF8: return "BAD";
    default: return "?";
    }
}

typedef struct lexed {
    src_file *f;
    lex_tokens t;
    diag_list d;
    char kinds[2048];
} lexed;

static void lex_text(lexed *x, const char *text, enum lex_mode mode)
{
    memset(x, 0, sizeof *x);
    x->f = src_from_string("t.tf", text, strlen(text));
    lex_run(x->f, mode, &x->t, &x->d);
    size_t o = 0;
    for (size_t i = 0; i < x->t.n && o < sizeof x->kinds - 16; i++)
        o += (size_t)snprintf(x->kinds + o, sizeof x->kinds - o, "%s%s", i ? " " : "",
                              short_name(x->t.v[i].kind));
}

static void lexed_free(lexed *x)
{
    lex_tokens_free(&x->t);
    diag_list_free(&x->d);
    src_free(x->f);
}

/* The text of token i. */
static char *tok_text(lexed *x, size_t i)
{
    static char buf[256];
    lex_token t = x->t.v[i];
    snprintf(buf, sizeof buf, "%.*s", (int)(t.end - t.start), x->f->text + t.start);
    return buf;
}

TEST(lex_attribute)
{
    lexed x;
    lex_text(&x, "a = 1\n", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = NUM NL EOF");
    CHECK_INT(x.t.v[0].start, 0);
    CHECK_INT(x.t.v[0].end, 1);
    CHECK_INT(x.t.v[2].start, 4);
    CHECK_INT(x.t.v[4].start, 6);
    CHECK_INT(x.t.v[4].end, 6);
    CHECK_INT(x.d.nerrors, 0);
    lexed_free(&x);
}

TEST(lex_operators)
{
    lexed x;
    lex_text(&x, "== != <= >= && || => ... :: < > + - * / % ! . , ? : = ( ) [ ] { }",
             LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "== != <= >= && || => ... :: < > + - * / % ! . , ? : = ( ) [ ] { } EOF");
    lexed_free(&x);
}

TEST(lex_numbers)
{
    lexed x;
    lex_text(&x, "1 12.5 1e3 2.5E-7 3e+2 7.x 1.", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "NUM NUM NUM NUM NUM NUM . ID NUM . EOF");
    CHECK_STR(tok_text(&x, 1), "12.5");
    CHECK_STR(tok_text(&x, 3), "2.5E-7");
    CHECK_STR(tok_text(&x, 4), "3e+2");
    CHECK_STR(tok_text(&x, 5), "7");
    lexed_free(&x);
}

TEST(lex_identifiers_with_dashes_and_unicode)
{
    lexed x;
    lex_text(&x, "aws_s3-bucket _x ünï", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID ID ID EOF");
    CHECK_STR(tok_text(&x, 0), "aws_s3-bucket");
    CHECK_STR(tok_text(&x, 2), "ünï");
    lexed_free(&x);
}

TEST(lex_comments_keep_newlines_separate)
{
    lexed x;
    lex_text(&x, "# a\n// b\r\n/* c\n d */ x", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "C NL C NL C ID EOF");
    CHECK_STR(tok_text(&x, 0), "# a");
    CHECK_STR(tok_text(&x, 2), "// b");
    CHECK_STR(tok_text(&x, 3), "\r\n");
    CHECK_STR(tok_text(&x, 4), "/* c\n d */");
    lexed_free(&x);
}

TEST(lex_unterminated_block_comment_is_slash_star)
{
    lexed x;
    lex_text(&x, "a = 1 /* x", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = NUM / * ID EOF");
    lexed_free(&x);
}

TEST(lex_quoted_string)
{
    lexed x;
    lex_text(&x, "\"a\\\"b\"", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OQ QL CQ EOF");
    CHECK_STR(tok_text(&x, 1), "a\\\"b");
    lexed_free(&x);
}

TEST(lex_template_interpolation_and_object_braces)
{
    lexed x;
    lex_text(&x, "\"x${ {a = 1}.a }y\"", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OQ QL ${ { ID = NUM } . ID SEQ} QL CQ EOF");
    lexed_free(&x);
}

TEST(lex_strip_markers)
{
    lexed x;
    lex_text(&x, "\"${~ a ~}%{~ if b ~}\"", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OQ ${ ID SEQ} %{ ID ID SEQ} CQ EOF");
    CHECK_STR(tok_text(&x, 1), "${~");
    CHECK_STR(tok_text(&x, 3), "~}");
    CHECK_STR(tok_text(&x, 4), "%{~");
    lexed_free(&x);
}

TEST(lex_literal_escapes_stay_in_literal)
{
    lexed x;
    lex_text(&x, "\"$${a} %%{b} $ %\"", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OQ QL CQ EOF");
    lexed_free(&x);
}

TEST(lex_nested_strings_in_interpolation)
{
    lexed x;
    lex_text(&x, "\"a${f(\"b${c}\")}d\"", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OQ QL ${ ID ( OQ QL ${ ID SEQ} CQ ) SEQ} QL CQ EOF");
    lexed_free(&x);
}

TEST(lex_heredoc)
{
    lexed x;
    lex_text(&x, "a = <<EOT\nhello ${x}\n  EOT\nb = 1\n", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = OH SL ${ ID SEQ} SL CH NL ID = NUM NL EOF");
    CHECK_STR(tok_text(&x, 2), "<<EOT\n");
    CHECK_STR(tok_text(&x, 3), "hello ");
    CHECK_STR(tok_text(&x, 7), "\n");
    CHECK_STR(tok_text(&x, 8), "  EOT");
    lexed_free(&x);
}

TEST(lex_heredoc_flush_and_marker_prefix)
{
    lexed x;
    /* "EOTX" is not the marker; only a line that is exactly it is */
    lex_text(&x, "<<-EOT\nEOTX\nEOT\n", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "OH SL CH NL EOF");
    CHECK_STR(tok_text(&x, 1), "EOTX\n");
    lexed_free(&x);
}

TEST(lex_heredoc_unterminated)
{
    lexed x;
    lex_text(&x, "a = <<EOT\nline\n", LEX_MODE_CONFIG);
    CHECK_INT(x.d.nerrors, 1);
    CHECK_STR(x.d.items[0].summary, "Unterminated template string");
    lexed_free(&x);
}

TEST(lex_string_newline_is_error_and_recovers)
{
    lexed x;
    lex_text(&x, "a = \"abc\nb = 2\n", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = OQ QL NL ID = NUM NL EOF");
    CHECK_INT(x.d.nerrors, 1);
    CHECK_STR(x.d.items[0].summary, "Invalid multi-line string");
    CHECK_INT(x.d.items[0].range.start, 8);
    lexed_free(&x);
}

TEST(lex_unterminated_string_at_eof)
{
    lexed x;
    lex_text(&x, "a = \"abc", LEX_MODE_CONFIG);
    CHECK_INT(x.d.nerrors, 1);
    CHECK_STR(x.d.items[0].summary, "Unterminated template string");
    CHECK_INT(x.d.items[0].range.start, 8);
    lexed_free(&x);
}

TEST(lex_invalid_and_bad_utf8)
{
    lexed x;
    lex_text(&x, "a = @ \xff", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = INV BAD EOF");
    CHECK_INT(x.d.nerrors, 1);
    CHECK_STR(x.d.items[0].summary, "Invalid character encoding");
    lexed_free(&x);
}

TEST(lex_template_file_mode)
{
    lexed x;
    lex_text(&x, "Hello ${name}!\n%{ for x in y }${x}%{ endfor }", LEX_MODE_TEMPLATE);
    CHECK_STR(x.kinds, "SL ${ ID SEQ} SL %{ ID ID ID ID SEQ} ${ ID SEQ} %{ ID SEQ} EOF");
    CHECK_STR(tok_text(&x, 4), "!\n");
    lexed_free(&x);
}

TEST(lex_crlf_newlines)
{
    lexed x;
    lex_text(&x, "a = 1\r\nb = 2\r\n", LEX_MODE_CONFIG);
    CHECK_STR(x.kinds, "ID = NUM NL ID = NUM NL EOF");
    CHECK_INT(x.t.v[3].end - x.t.v[3].start, 2);
    lexed_free(&x);
}

TEST(lex_tokens_cover_all_but_blanks)
{
    /* every byte not in a token is a space or tab */
    const char *text = "resource \"a\" \"b\" {\n\tx = [1, 2] # c\n  y = <<-E\n  t ${z}\n  E\n}\n";
    lexed x;
    lex_text(&x, text, LEX_MODE_CONFIG);
    size_t n = strlen(text);
    char *covered = calloc(n, 1);
    for (size_t i = 0; i < x.t.n; i++)
        for (uint32_t b = x.t.v[i].start; b < x.t.v[i].end; b++)
            covered[b]++;
    int bad = 0;
    for (size_t b = 0; b < n; b++)
        if (covered[b] > 1 || (!covered[b] && text[b] != ' ' && text[b] != '\t'))
            bad++;
    CHECK_INT(bad, 0);
    CHECK_INT(x.d.nerrors, 0);
    free(covered);
    lexed_free(&x);
}

TEST(lex_kind_names)
{
    CHECK_STR(lex_kind_name(LEX_OBRACE), "\"{\"");
    CHECK_STR(lex_kind_name(LEX_EOF), "end of file");
    CHECK_STR(lex_kind_name((enum lex_kind)999), "token");
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
