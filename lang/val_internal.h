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

struct val_heap {
    _Atomic uint32_t rc;
    uint8_t hk;          /* enum val_heap_kind */
    uint8_t deep;        /* VAL_MARK_* bits found in any element (deep) */
    uint8_t dirty;       /* set/map: items appended out of order */
    uint8_t inl;         /* string: bytes stored inline after the header */
    ty *t;               /* element type (list/set/map), or the type (VH_TYPE) */
    size_t n, cap;
    char *s;             /* VH_STR */
    val *items;          /* VH_SEQ items, VH_MAP values */
    char **keys;         /* VH_MAP keys */
};

/* Whether the object type t has any optional attribute. */
int ty_has_optional(const ty *t);
/* The bytes cty hashes a set element by, which also order non-primitive
 * set elements.  Caller frees. */
char *val_set_hash_bytes(val v);

#endif
