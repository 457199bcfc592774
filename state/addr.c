/*
 * state/addr.c — resource addresses as Terraform writes them.
 *
 *   address  = { "module." NAME [ key ] "." } resource | module-only
 *   resource = [ "data." ] TYPE "." NAME [ key ]
 *   key      = "[" ( DIGITS | STRING ) "]"
 *   NAME     = letter-or-underscore { letter | digit | "_" | "-" }
 *
 * Strings use HCL's escapes (\" \\ \n \r \t \uXXXX).  The canonical text
 * (state_addr_str) is what the store uses as its key, so two spellings of
 * one address are one instance.
 */
#include "state/internal.h"

#include <stdlib.h>
#include <string.h>

struct p {
    const char *s, *at;
    const char *src;
};

static int perr(struct p *p, const char *what)
{
    return err_set(CAIRN_EINVAL, "Invalid address \"%s\": %s (at byte %ld)", p->src, what,
                   (long)(p->at - p->s));
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static int parse_name(struct p *p, char **out, const char *what)
{
    const char *b = p->at;
    if (!is_name_start(*b))
        return perr(p, what);
    while (is_name_char(*p->at))
        p->at++;
    *out = xstrndup(b, (size_t)(p->at - b));
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(strbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    }
    sb_append(b, u, n);
}

static int parse_string(struct p *p, char **out)
{
    strbuf b = {0};
    p->at++; /* opening quote */
    while (*p->at && *p->at != '"') {
        char c = *p->at++;
        if (c != '\\') {
            sb_putc(&b, c);
            continue;
        }
        char e = *p->at++;
        switch (e) {
        case '"': sb_putc(&b, '"'); break;
        case '\\': sb_putc(&b, '\\'); break;
        case 'n': sb_putc(&b, '\n'); break;
        case 'r': sb_putc(&b, '\r'); break;
        case 't': sb_putc(&b, '\t'); break;
        case 'u': {
            unsigned cp = 0;
            for (int i = 0; i < 4; i++) {
                int h = hexval(p->at[i]);
                if (h < 0) {
                    sb_free(&b);
                    return perr(p, "invalid \\u escape in a key");
                }
                cp = cp * 16 + (unsigned)h;
            }
            p->at += 4;
            put_utf8(&b, cp);
            break;
        }
        default:
            sb_free(&b);
            return perr(p, "invalid escape sequence in a key");
        }
    }
    if (*p->at != '"') {
        sb_free(&b);
        return perr(p, "unterminated string key");
    }
    p->at++;
    *out = sb_take(&b);
    return *out ? 0 : err_set(CAIRN_ENOMEM, "address key");
}

static int parse_key(struct p *p, state_key *k)
{
    k->kind = STATE_KEY_NONE;
    if (*p->at != '[')
        return 0;
    p->at++;
    if (*p->at == '"') {
        k->kind = STATE_KEY_STR;
        if (parse_string(p, &k->s) != 0)
            return CAIRN_EINVAL;
    } else if (*p->at >= '0' && *p->at <= '9') {
        int64_t v = 0;
        while (*p->at >= '0' && *p->at <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return perr(p, "index key too large");
            v = v * 10 + (*p->at++ - '0');
        }
        k->kind = STATE_KEY_INT;
        k->i = v;
    } else {
        return perr(p, "an index key must be a whole number or a quoted string");
    }
    if (*p->at != ']')
        return perr(p, "expected \"]\" after the index key");
    p->at++;
    return 0;
}

int state_addr_parse(state_addr *a, const char *s)
{
    memset(a, 0, sizeof *a);
    struct p p = {s, s, s};
    size_t len = strlen(s);
    if (len == 0)
        return err_set(CAIRN_EINVAL, "Invalid address \"\": an address is required");
    if (len > STATE_ADDR_MAX)
        return err_set(CAIRN_ELIMIT, "Invalid address: longer than %d bytes", STATE_ADDR_MAX);
    int rc = 0;
    while (!strncmp(p.at, "module.", 7)) {
        if (a->nmodules >= STATE_ADDR_MAX_MODULES) {
            rc = err_set(CAIRN_ELIMIT, "Invalid address \"%s\": more than %d nested modules",
                         s, STATE_ADDR_MAX_MODULES);
            goto fail;
        }
        p.at += 7;
        size_t m = a->nmodules;
        rc = parse_name(&p, &a->modules[m].name, "a module name is required after \"module.\"");
        if (rc == 0) {
            a->nmodules++;
            rc = parse_key(&p, &a->modules[m].key);
        }
        if (rc != 0)
            goto fail;
        if (*p.at == 0)
            return 0; /* module-only address */
        if (*p.at != '.') {
            rc = perr(&p, "expected \".\" after a module step");
            goto fail;
        }
        p.at++;
    }
    if (!strncmp(p.at, "data.", 5)) {
        a->data = 1;
        p.at += 5;
    }
    rc = parse_name(&p, &a->type, "a resource type is required");
    if (rc != 0)
        goto fail;
    if (*p.at != '.') {
        rc = perr(&p, "a resource address needs a type and a name (TYPE.NAME)");
        goto fail;
    }
    p.at++;
    rc = parse_name(&p, &a->name, "a resource name is required after the type");
    if (rc == 0)
        rc = parse_key(&p, &a->key);
    if (rc != 0)
        goto fail;
    if (*p.at != 0) {
        rc = perr(&p, "unexpected characters after the address");
        goto fail;
    }
    a->has_resource = 1;
    return 0;
fail:
    state_addr_free(a);
    return rc ? rc : CAIRN_EINVAL;
}

void state_addr_free(state_addr *a)
{
    for (size_t i = 0; i < a->nmodules; i++) {
        free(a->modules[i].name);
        free(a->modules[i].key.s);
    }
    free(a->type);
    free(a->name);
    free(a->key.s);
    memset(a, 0, sizeof *a);
}

static void put_key(strbuf *b, const state_key *k)
{
    if (k->kind == STATE_KEY_INT) {
        sb_printf(b, "[%lld]", (long long)k->i);
    } else if (k->kind == STATE_KEY_STR) {
        sb_puts(b, "[\"");
        for (const unsigned char *c = (const unsigned char *)k->s; *c; c++) {
            if (*c == '"' || *c == '\\') {
                sb_putc(b, '\\');
                sb_putc(b, (char)*c);
            } else if (*c == '\n') {
                sb_puts(b, "\\n");
            } else if (*c == '\r') {
                sb_puts(b, "\\r");
            } else if (*c == '\t') {
                sb_puts(b, "\\t");
            } else if (*c < 0x20) {
                sb_printf(b, "\\u%04x", *c);
            } else {
                sb_putc(b, (char)*c);
            }
        }
        sb_puts(b, "\"]");
    }
}

static void put_modules(strbuf *b, const state_addr *a)
{
    for (size_t i = 0; i < a->nmodules; i++) {
        if (i)
            sb_putc(b, '.');
        sb_puts(b, "module.");
        sb_puts(b, a->modules[i].name);
        put_key(b, &a->modules[i].key);
    }
}

char *state_addr_module_str(const state_addr *a)
{
    strbuf b = {0};
    put_modules(&b, a);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

char *state_addr_str(const state_addr *a)
{
    strbuf b = {0};
    put_modules(&b, a);
    if (a->has_resource) {
        if (a->nmodules)
            sb_putc(&b, '.');
        if (a->data)
            sb_puts(&b, "data.");
        sb_puts(&b, a->type);
        sb_putc(&b, '.');
        sb_puts(&b, a->name);
        put_key(&b, &a->key);
    }
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

static int key_equal(const state_key *a, const state_key *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == STATE_KEY_INT)
        return a->i == b->i;
    if (a->kind == STATE_KEY_STR)
        return !strcmp(a->s, b->s);
    return 1;
}

int state_addr_matches(const state_addr *pat, const state_addr *inst)
{
    if (pat->nmodules > inst->nmodules)
        return 0;
    if (pat->has_resource && pat->nmodules != inst->nmodules)
        return 0;
    for (size_t i = 0; i < pat->nmodules; i++) {
        if (strcmp(pat->modules[i].name, inst->modules[i].name))
            return 0;
        if (pat->modules[i].key.kind != STATE_KEY_NONE &&
            !key_equal(&pat->modules[i].key, &inst->modules[i].key))
            return 0;
    }
    if (!pat->has_resource)
        return 1;
    if (!inst->has_resource || pat->data != inst->data || strcmp(pat->type, inst->type) ||
        strcmp(pat->name, inst->name))
        return 0;
    return pat->key.kind == STATE_KEY_NONE || key_equal(&pat->key, &inst->key);
}

static int key_compare(const state_key *a, const state_key *b)
{
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    if (a->kind == STATE_KEY_INT)
        return a->i < b->i ? -1 : a->i > b->i;
    if (a->kind == STATE_KEY_STR)
        return strcmp(a->s, b->s);
    return 0;
}

int state_addr_compare(const state_addr *a, const state_addr *b)
{
    size_t n = a->nmodules < b->nmodules ? a->nmodules : b->nmodules;
    for (size_t i = 0; i < n; i++) {
        int c = strcmp(a->modules[i].name, b->modules[i].name);
        if (c == 0)
            c = key_compare(&a->modules[i].key, &b->modules[i].key);
        if (c)
            return c;
    }
    if (a->nmodules != b->nmodules)
        return a->nmodules < b->nmodules ? -1 : 1;
    if (a->has_resource != b->has_resource)
        return a->has_resource - b->has_resource;
    if (!a->has_resource)
        return 0;
    if (a->data != b->data)
        return b->data - a->data;   /* data before managed, as Terraform sorts */
    int c = strcmp(a->type, b->type);
    if (c == 0)
        c = strcmp(a->name, b->name);
    if (c == 0)
        c = key_compare(&a->key, &b->key);
    return c;
}

int state__canon_instance(const char *addr, char **out)
{
    state_addr a;
    *out = NULL;
    int rc = state_addr_parse(&a, addr);
    if (rc != 0)
        return rc;
    if (!a.has_resource) {
        state_addr_free(&a);
        return err_set(CAIRN_EINVAL, "Invalid address \"%s\": a resource instance address is "
                       "required, not a module", addr);
    }
    *out = state_addr_str(&a);
    state_addr_free(&a);
    return 0;
}
