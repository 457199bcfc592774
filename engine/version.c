/*
 * engine/version.c — version constraints (engine/version.h).
 */
#include "engine/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define VERSION_PARTS 3

/* Parse "1.2.3" (missing parts are 0; a "-pre" suffix is ignored for
 * ordering).  *nparts receives how many parts were written.  0 or -1. */
static int parse_version(const char *s, long out[VERSION_PARTS], int *nparts)
{
    memset(out, 0, VERSION_PARTS * sizeof *out);
    *nparts = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == 'v')
        s++;
    for (int i = 0; i < VERSION_PARTS; i++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        char *end;
        out[i] = strtol(s, &end, 10);
        s = end;
        (*nparts)++;
        if (*s != '.')
            break;
        s++;
    }
    while (*s && *s != ',' && !isspace((unsigned char)*s))
        s++;
    while (isspace((unsigned char)*s))
        s++;
    return *s ? -1 : 0;
}

static int cmp_version(const long a[VERSION_PARTS], const long b[VERSION_PARTS])
{
    for (int i = 0; i < VERSION_PARTS; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* One "op version" term. */
static int term_ok(const long v[VERSION_PARTS], const char *t)
{
    while (isspace((unsigned char)*t))
        t++;
    char op[3] = "=";
    size_t n = strspn(t, "<>=!~");
    if (n > 2)
        return -1;
    if (n) {
        memcpy(op, t, n);
        op[n] = 0;
    }
    long want[VERSION_PARTS];
    int parts;
    if (parse_version(t + n, want, &parts) < 0)
        return -1;
    int c = cmp_version(v, want);
    if (!strcmp(op, "=") || !strcmp(op, "=="))
        return c == 0;
    if (!strcmp(op, "!="))
        return c != 0;
    if (!strcmp(op, ">"))
        return c > 0;
    if (!strcmp(op, ">="))
        return c >= 0;
    if (!strcmp(op, "<"))
        return c < 0;
    if (!strcmp(op, "<="))
        return c <= 0;
    if (!strcmp(op, "~>")) {
        /* ~> 1.2 allows 1.x >= 1.2; ~> 1.2.3 allows 1.2.x >= 1.2.3. */
        if (c < 0)
            return 0;
        long upper[VERSION_PARTS] = {0};
        int fix = parts > 1 ? parts - 1 : 1;
        for (int i = 0; i < fix; i++)
            upper[i] = want[i];
        upper[fix - 1]++;
        return cmp_version(v, upper) < 0;
    }
    return -1;
}

int version_satisfies(const char *v, const char *c)
{
    long have[VERSION_PARTS];
    int parts;
    if (parse_version(v, have, &parts) < 0)
        return err_set(CAIRN_EINVAL, "invalid version \"%s\"", v);
    char *copy = xstrdup(c), *save = NULL;
    int ok = 1;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int r = term_ok(have, t);
        if (r < 0) {
            free(copy);
            return err_set(CAIRN_EINVAL, "invalid version constraint \"%s\"", c);
        }
        ok &= r;
    }
    free(copy);
    return ok;
}

int version_check_tree(const cfg_module *m, diag_list *d)
{
    int rc = 0;
    if (m->required_version) {
        int r = version_satisfies(CAIRN_TERRAFORM_COMPAT, m->required_version);
        if (r < 0) {
            diag_add(d, DIAG_ERROR, m->required_version_range, "Invalid version constraint",
                     "%s: a version constraint is a comma-separated list of conditions such "
                     "as \">= 1.5, < 2.0\".", err_msg());
            rc = CAIRN_EDIAG;
        } else if (r == 0) {
            diag_add(d, DIAG_ERROR, m->required_version_range,
                     "Unsupported Terraform Core version",
                     "This configuration does not support Terraform version %s, the language "
                     "version cairn implements. To proceed, either choose another supported "
                     "version or update this version constraint. Version constraints are "
                     "normally set for good reason, so updating the constraint may lead to "
                     "other errors or unexpected behavior.", CAIRN_TERRAFORM_COMPAT);
            rc = CAIRN_EDIAG;
        }
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child && version_check_tree(m->calls[i].child, d) < 0)
            rc = CAIRN_EDIAG;
    return rc;
}
