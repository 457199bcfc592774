/*
 * tests/unit/fn_testutil.h — helpers shared by the function-library tests
 * (test_fn*.c): build values tersely, call a function by name, and render
 * the result (or the error) as a compact string to compare against.
 *
 * Rendering: "abc" strings (JSON-ish escapes), numbers via val_number_fmt,
 * true/false, null(T), unknown(T), list["a", "b"], set[...], tuple[...],
 * map{a = 1}, object{a = 1}, sensitive(...) around a marked value.
 * Errors: "ERR(<arg>): <detail>".
 */
#ifndef CAIRN_FN_TESTUTIL_H
#define CAIRN_FN_TESTUTIL_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lang/diag.h"
#include "lang/fn.h"
#include "lang/val.h"

#define S(x) val_string(x)
#define N(x) val_number(x)
#define B(x) val_bool(x)

static void fnt_render(strbuf *b, val v)
{
    if (val_is_sensitive(v)) {
        val u = val_unmark(val_copy(v), VAL_MARK_SENSITIVE);
        sb_puts(b, "sensitive(");
        fnt_render(b, u);
        sb_puts(b, ")");
        val_free(u);
        return;
    }
    if (val_is_unknown(v) || val_is_null(v)) {
        ty *t = val_type(v);
        char *ts = ty_str(t);
        sb_printf(b, "%s(%s)", val_is_unknown(v) ? "unknown" : "null", ts);
        free(ts);
        ty_free(t);
        return;
    }
    switch (val_kind(v)) {
    case VAL_BOOL: sb_puts(b, val_get_bool(v) ? "true" : "false"); break;
    case VAL_NUMBER: {
        char nb[VAL_NUMBER_BUF];
        val_number_fmt(val_get_number(v), nb, sizeof nb);
        sb_puts(b, nb);
        break;
    }
    case VAL_STRING: {
        const char *s = val_get_string(v);
        size_t n = val_string_len(v);
        sb_putc(b, '"');
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"' || c == '\\') {
                sb_putc(b, '\\');
                sb_putc(b, (char)c);
            } else if (c == '\n') {
                sb_puts(b, "\\n");
            } else if (c == '\t') {
                sb_puts(b, "\\t");
            } else if (c == '\r') {
                sb_puts(b, "\\r");
            } else if (c < 0x20) {
                sb_printf(b, "\\u%04x", c);
            } else {
                sb_putc(b, (char)c);
            }
        }
        sb_putc(b, '"');
        break;
    }
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: {
        sb_puts(b, val_kind(v) == VAL_LIST ? "list[" : val_kind(v) == VAL_SET ? "set[" : "tuple[");
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_puts(b, ", ");
            fnt_render(b, *val_at(v, i));
        }
        sb_putc(b, ']');
        break;
    }
    case VAL_MAP: case VAL_OBJECT: {
        sb_puts(b, val_kind(v) == VAL_MAP ? "map{" : "object{");
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_puts(b, ", ");
            sb_printf(b, "%s = ", val_key_at(v, i));
            fnt_render(b, *val_at(v, i));
        }
        sb_putc(b, '}');
        break;
    }
    default: sb_puts(b, "?"); break;
    }
}

/* A ring of result strings so tests need not free them. */
#define FNT_RING 16
static char *fnt_ring[FNT_RING];
static int fnt_ring_i;

static const char *fnt_keep(char *s)
{
    free(fnt_ring[fnt_ring_i]);
    fnt_ring[fnt_ring_i] = s;
    fnt_ring_i = (fnt_ring_i + 1) % FNT_RING;
    return s;
}

__attribute__((destructor)) static void fnt_cleanup(void)
{
    for (int i = 0; i < FNT_RING; i++)
        free(fnt_ring[i]);
}

/* Render v (consumed). */
static const char *fnt_show(val v)
{
    strbuf b = {0};
    fnt_render(&b, v);
    val_free(v);
    return fnt_keep(sb_take(&b));
}

static fn_ctx fnt_ctx = {0};

/* Call `name` with n values (consumed) and render the result or error. */
static const char *fnt_callv(const char *name, int n, va_list ap)
{
    val args[16];
    fn_err e;
    for (int i = 0; i < n; i++)
        args[i] = va_arg(ap, val);
    val r = fn_call_name(name, &fnt_ctx, args, (size_t)n, &e);
    if (!val_is_valid(r))
        return fnt_keep(xasprintf("ERR(%d): %s", e.arg, e.msg));
    return fnt_show(r);
}

__attribute__((unused)) static const char *call(const char *name, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    const char *r = fnt_callv(name, n, ap);
    va_end(ap);
    return r;
}

/* Builders: L(n, ...) list of values unified by conversion, T tuple,
 * O(n, "k", v, ...) object. */
__attribute__((unused)) static val T(int n, ...)
{
    va_list ap;
    val t = val_tuple_empty();
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        t = val_tuple_append(t, va_arg(ap, val));
    va_end(ap);
    return t;
}

__attribute__((unused)) static val O(int n, ...)
{
    va_list ap;
    val o = val_object_empty();
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        o = val_object_set(o, k, va_arg(ap, val));
    }
    va_end(ap);
    return o;
}

/* List of strings. */
__attribute__((unused)) static val LS(int n, ...)
{
    va_list ap;
    val l = val_list_empty(ty_string());
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        l = val_list_append(l, val_string(va_arg(ap, const char *)));
    va_end(ap);
    return l;
}

/* Tuple of strings / numbers. */
__attribute__((unused)) static val TS(int n, ...)
{
    va_list ap;
    val t = val_tuple_empty();
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        t = val_tuple_append(t, val_string(va_arg(ap, const char *)));
    va_end(ap);
    return t;
}

__attribute__((unused)) static val TN(int n, ...)
{
    va_list ap;
    val t = val_tuple_empty();
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        t = val_tuple_append(t, val_number(va_arg(ap, double)));
    va_end(ap);
    return t;
}

/* Convert to a type (consumes v and t). */
__attribute__((unused)) static val AS(val v, ty *t)
{
    val r = val_convert(v, t);
    ty_free(t);
    return r;
}

#endif
