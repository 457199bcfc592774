/*
 * lang/val_internal.h — private layout of types and value payloads, shared
 * only by lang/ty.c, lang/val*.c.  Nothing outside the value model may
 * include this: use the accessors of lang/val.h.
 */
#ifndef CAIRN_VAL_INTERNAL_H
#define CAIRN_VAL_INTERNAL_H

#include "lang/val.h"

#include <stdatomic.h>

struct ty {
    _Atomic uint32_t rc;     /* UINT32_MAX: static singleton */
    uint8_t kind;            /* enum ty_kind */
    ty *elem;                /* list/set/map */
    size_t n;                /* tuple elements / object attributes */
    ty **elems;              /* tuple element types / attribute types */
    char **names;            /* object attribute names, sorted */
    unsigned char *opt;      /* object: optional flags (NULL: none) */
    val *defs;               /* object: defaults (NULL: none) */
};

enum val_heap_kind {
    VH_STR,     /* string bytes */
    VH_SEQ,     /* list, set, tuple */
    VH_MAP,     /* map, object */
    VH_TYPE,    /* the type of a null or unknown value */
};

/* Common header of every value payload (first member of each kind). */
struct val_hdr {
    _Atomic uint32_t rc;
    uint8_t hk;          /* enum val_heap_kind */
    uint8_t deep;        /* VAL_MARK_* bits found in any element (deep) */
    uint8_t dirty;       /* set/map: items appended out of order */
    uint8_t inl;         /* string: bytes stored inline after the header */
};

/* Collections (VH_SEQ, VH_MAP) and type holders (VH_TYPE). */
struct val_heap {
    struct val_hdr hd;
    ty *t;               /* element type (list/set/map), or the type (VH_TYPE) */
    size_t n, cap;
    size_t sorted;       /* map/object: length of the sorted prefix */
    val *items;          /* VH_SEQ items, VH_MAP values */
    uint32_t *koff;      /* VH_MAP: offset of key i in kbuf */
    char *kbuf;          /* VH_MAP: the keys, NUL-terminated, back to back */
    size_t klen, kcap;
};

/* Strings (VH_STR): a smaller payload; val.u.h points at one of these. */
struct val_str {
    struct val_hdr hd;
    size_t n;
    char *s;             /* NUL-terminated; inline after the header if hd.inl */
};

/* Whether the object type t has any optional attribute. */
int ty_has_optional(const ty *t);
/* Whether v's type is exactly t, without building v's type (a type with
 * optional attributes never matches). */
int val_has_type(val v, const ty *t);
/* The bytes cty hashes a set element by, which also order non-primitive
 * set elements.  Caller frees. */
char *val_set_hash_bytes(val v);

#endif
