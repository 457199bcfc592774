/*
 * tests/unit/val_notation.h — the compact value/type notation shared by the
 * go-cty differential tests (tests/unit/data/gen_val_convert.go writes it):
 *
 *   types:  string number bool any list(T) set(T) map(T) tuple([T,T])
 *           object({a=T,b=optional(T)})
 *   values: null<T>  ?<T> (unknown)  s:HEX  n:NUMBER  b:true  L<T>[v,v]
 *           S<T>[v,v]  M<T>{HEX=v}  T[v,v]  O{HEX=v}   ! marks sensitive
 *
 * Static helpers for unit tests only: parse_type, parse_val, type_str,
 * val_str, read_data.
 */
#ifndef CAIRN_TEST_VAL_NOTATION_H
#define CAIRN_TEST_VAL_NOTATION_H

#include "lang/diag.h"
#include "lang/val.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rd {
    const char *p;
    int bad;
};

static int eat(struct rd *r, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(r->p, s, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

static void expect(struct rd *r, const char *s)
{
    if (!eat(r, s))
        r->bad = 1;
}

/* ---------------------------------------------------------------- types */

static ty *parse_type(struct rd *r)
{
    if (eat(r, "string"))
        return ty_string();
    if (eat(r, "number"))
        return ty_number();
    if (eat(r, "bool"))
        return ty_bool();
    if (eat(r, "any"))
        return ty_any();
    char k = eat(r, "list(") ? 'l' : eat(r, "set(") ? 's' : eat(r, "map(") ? 'm' : 0;
    if (k) {
        ty *e = parse_type(r);
        expect(r, ")");
        return k == 'l' ? ty_list(e) : k == 's' ? ty_set(e) : ty_map(e);
    }
    if (eat(r, "tuple([")) {
        ty *ts[16];
        size_t n = 0;
        while (!eat(r, "])") && !r->bad && n < 16) {
            if (n)
                expect(r, ",");
            ts[n++] = parse_type(r);
        }
        return ty_tuple(ts, n);
    }
    if (eat(r, "object({")) {
        ty *ts[16];
        char names[16][8];
        const char *np[16];
        int opt[16];
        size_t n = 0;
        while (!eat(r, "})") && !r->bad && n < 16) {
            if (n)
                expect(r, ",");
            size_t k = 0;
            while (*r->p >= 'a' && *r->p <= 'z' && k < 7)
                names[n][k++] = *r->p++;
            names[n][k] = '\0';
            np[n] = names[n];
            expect(r, "=");
            opt[n] = eat(r, "optional(");
            ts[n] = parse_type(r);
            if (opt[n])
                expect(r, ")");
            n++;
        }
        return ty_object(np, ts, n, opt, NULL);
    }
    r->bad = 1;
    return ty_any();
}

static void type_str(strbuf *b, const ty *t)
{
    switch (ty_kind(t)) {
    case TY_ANY: sb_puts(b, "any"); return;
    case TY_STRING: sb_puts(b, "string"); return;
    case TY_NUMBER: sb_puts(b, "number"); return;
    case TY_BOOL: sb_puts(b, "bool"); return;
    case TY_LIST: case TY_SET: case TY_MAP:
        sb_puts(b, ty_kind(t) == TY_LIST ? "list(" : ty_kind(t) == TY_SET ? "set(" : "map(");
        type_str(b, ty_elem(t));
        sb_putc(b, ')');
        return;
    case TY_TUPLE:
        sb_puts(b, "tuple([");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_putc(b, ',');
            type_str(b, ty_index(t, i));
        }
        sb_puts(b, "])");
        return;
    case TY_OBJECT:
        sb_puts(b, "object({");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_putc(b, ',');
            sb_printf(b, "%s=", ty_attr_name(t, i));
            if (ty_attr_optional(t, i))
                sb_puts(b, "optional(");
            type_str(b, ty_index(t, i));
            if (ty_attr_optional(t, i))
                sb_putc(b, ')');
        }
        sb_puts(b, "})");
        return;
    }
}

/* ---------------------------------------------------------------- values */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *parse_hex(struct rd *r, size_t *len)
{
    strbuf b = {0};
    while (hexval(r->p[0]) >= 0 && hexval(r->p[1]) >= 0) {
        sb_putc(&b, (char)(hexval(r->p[0]) * 16 + hexval(r->p[1])));
        r->p += 2;
    }
    *len = b.len;
    char *s = sb_take(&b);
    return s;
}

static val parse_val(struct rd *r)
{
    int sens = eat(r, "!");
    val v;
    if (eat(r, "null<") || eat(r, "?<")) {
        int unk = r->p[-2] == '?';
        ty *t = parse_type(r);
        expect(r, ">");
        v = unk ? val_unknown(t) : val_null_of(t);
    } else if (eat(r, "s:")) {
        size_t n;
        char *s = parse_hex(r, &n);
        v = val_string_own(s, n);
    } else if (eat(r, "n:")) {
        char *end;
        double d = strtod(r->p, &end);
        r->p = end;
        v = val_number(d);
    } else if (eat(r, "b:")) {
        v = val_bool(eat(r, "true"));
        if (!val_get_bool(v))
            expect(r, "false");
    } else if (eat(r, "L<") || eat(r, "S<")) {
        int set = r->p[-2] == 'S';
        ty *t = parse_type(r);
        expect(r, ">[");
        v = set ? val_set_empty(t) : val_list_empty(t);
        for (int i = 0; !eat(r, "]") && !r->bad; i++) {
            if (i)
                expect(r, ",");
            val e = parse_val(r);
            v = set ? val_set_add(v, e) : val_list_append(v, e);
            if (!val_is_valid(v))
                r->bad = 1;
        }
    } else if (eat(r, "T[")) {
        v = val_tuple_empty();
        for (int i = 0; !eat(r, "]") && !r->bad; i++) {
            if (i)
                expect(r, ",");
            v = val_tuple_append(v, parse_val(r));
        }
    } else if (eat(r, "M<") || eat(r, "O{")) {
        int map = r->p[-2] == 'M';
        if (map) {
            ty *t = parse_type(r);
            expect(r, ">{");
            v = val_map_empty(t);
        } else {
            v = val_object_empty();
        }
        for (int i = 0; !eat(r, "}") && !r->bad; i++) {
            if (i)
                expect(r, ",");
            size_t n;
            char *k = parse_hex(r, &n);
            expect(r, "=");
            val e = parse_val(r);
            v = map ? val_map_set(v, k, e) : val_object_set(v, k, e);
            if (!val_is_valid(v))
                r->bad = 1;
            free(k);
        }
    } else {
        r->bad = 1;
        return val_null();
    }
    if (!val_is_valid(v)) {
        r->bad = 1;
        return val_null();
    }
    return sens ? val_mark(v, VAL_MARK_SENSITIVE) : v;
}

static void val_str(strbuf *b, val v)
{
    if (val_is_sensitive(v))
        sb_putc(b, '!');
    if (val_is_unknown(v) || val_is_null(v)) {
        ty *t = val_type(v);
        sb_puts(b, val_is_unknown(v) ? "?<" : "null<");
        type_str(b, t);
        sb_putc(b, '>');
        ty_free(t);
        return;
    }
    char num[VAL_NUMBER_BUF];
    switch (val_kind(v)) {
    case VAL_STRING:
        sb_puts(b, "s:");
        for (size_t i = 0; i < val_string_len(v); i++)
            sb_printf(b, "%02x", (unsigned char)val_get_string(v)[i]);
        return;
    case VAL_NUMBER:
        val_number_fmt(val_get_number(v), num, sizeof num);
        sb_printf(b, "n:%s", num);
        return;
    case VAL_BOOL:
        sb_puts(b, val_get_bool(v) ? "b:true" : "b:false");
        return;
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: {
        if (val_kind(v) == VAL_TUPLE) {
            sb_puts(b, "T[");
        } else {
            ty *t = val_type(v);
            sb_puts(b, val_kind(v) == VAL_LIST ? "L<" : "S<");
            type_str(b, ty_elem(t));
            sb_puts(b, ">[");
            ty_free(t);
        }
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_putc(b, ',');
            val_str(b, *val_at(v, i));
        }
        sb_putc(b, ']');
        return;
    }
    case VAL_MAP: case VAL_OBJECT: {
        if (val_kind(v) == VAL_OBJECT) {
            sb_puts(b, "O{");
        } else {
            ty *t = val_type(v);
            sb_puts(b, "M<");
            type_str(b, ty_elem(t));
            sb_puts(b, ">{");
            ty_free(t);
        }
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_putc(b, ',');
            for (const char *k = val_key_at(v, i); *k; k++)
                sb_printf(b, "%02x", (unsigned char)*k);
            sb_putc(b, '=');
            val_str(b, *val_at(v, i));
        }
        sb_putc(b, '}');
        return;
    }
    default:
        sb_puts(b, "<invalid>");
    }
}

static char *read_data(const char *rel)
{
    const char *root = getenv("ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = {0};
    char buf[65536];
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, f);
        if (n == 0)
            break;
        sb_append(&b, buf, n);
    }
    fclose(f);
    return sb_take(&b);
}

#endif
