/*
 * tests/helpers/fmt_core.c — format standard input with cairn's formatter
 * and write the result to standard output.
 *
 *   fmt_core        hclwrite's rules only (compared with the Go oracle)
 *   fmt_core -tf    plus terraform fmt's rewrites (what `cairn fmt` does)
 *
 * Exit 0 formatted, 1 the input did not scan (diagnostic on stderr).
 */
#include "lang/diag.h"
#include "lang/fmt.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    strbuf b = {0};
    char chunk[65536], *out = NULL;
    size_t n, outlen = 0;
    diag_list diags = {0};
    src_file *f;
    unsigned flags = argc > 1 && !strcmp(argv[1], "-tf") ? FMT_TERRAFORM : 0;
    int rc;
    do {
        n = fread(chunk, 1, sizeof chunk, stdin);
        sb_append(&b, chunk, n);
    } while (n > 0);
    f = src_from_string("<stdin>", b.s ? b.s : "", b.len);
    rc = fmt_format(f, flags, &out, &outlen, &diags);
    if (rc == 0)
        fwrite(out, 1, outlen, stdout);
    else if (rc == CAIRN_EDIAG)
        diag_print_all(stderr, &diags, 0);
    else
        fprintf(stderr, "error: %s\n", err_msg());
    free(out);
    diag_list_free(&diags);
    src_free(f);
    sb_free(&b);
    return rc == 0 ? 0 : 1;
}
