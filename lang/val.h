/*
 * lang/val.h — cairn's one value type and Terraform's type system.
 *
 * THE CONTRACT (in the spirit of jq's jv):
 *   - `val` is passed by value: a kind tag, marks, and either an immediate
 *     (bool, number) or a pointer to an immutable, reference-counted payload.
 *   - Every function that takes a `val` CONSUMES it (the reference passes to
 *     the callee) and every `val` returned is OWNED by the caller, unless the
 *     parameter is `const val *` or the doc says "borrowed".  val_copy() takes
 *     a new reference; val_free() drops one.  Builders (val_list_append, ...)
 *     consume the collection and return the new one; when the count is 1 they
 *     mutate in place (copy-on-write).
 *   - Reference counts are atomic: values may be shared across apply threads.
 *   - Types (`ty`) follow the same rule: ty_* constructors consume their
 *     ty arguments; `const ty *` parameters are borrowed; ty_copy/ty_free.
 *     Primitive types are static singletons (copy/free are no-ops on them).
 *
 * Kinds are Terraform's: null, bool, number, string, list, set, tuple, map,
 * object.  Every value has a type (val_type); a null or unknown value carries
 * the type it was given.  Two marks travel with a value:
 *   - unknown: the value is only known after apply ("(known after apply)").
 *     A wholly unknown value is val_is_unknown(); a collection may be known
 *     while holding unknown elements (val_is_wholly_known() is deep).
 *   - sensitive: the value must be redacted.  Operations propagate it: the
 *     result of any operation on a sensitive value is sensitive.
 *
 * Maps and objects keep their keys sorted by byte order (as cty does), so
 * iteration order is deterministic.  Sets are deduplicated and kept in a
 * canonical order (val_compare), so two sets with the same elements are
 * equal regardless of insertion order.
 *
 * Numbers are IEEE doubles.  (cty uses 512-bit big floats; the difference
 * shows only beyond 15-17 significant digits, documented where it matters.)
 *
 * VAL_INVALID is "no value": returned on error (with the last-error slot or a
 * diagnostic saying why).  It is never stored in a collection.
 */
#ifndef CAIRN_VAL_H
#define CAIRN_VAL_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- types */

typedef struct ty ty;

enum ty_kind {
    TY_ANY,     /* "any" / cty.DynamicPseudoType: not yet known */
    TY_BOOL,
    TY_NUMBER,
    TY_STRING,
    TY_LIST,    /* list(T) */
    TY_SET,     /* set(T) */
    TY_MAP,     /* map(T) */
    TY_OBJECT,  /* object({name = T, ...}), attributes may be optional */
    TY_TUPLE,   /* tuple([T, ...]) */
};

/* Primitive singletons (never freed). */
ty *ty_any(void);
ty *ty_bool(void);
ty *ty_number(void);
ty *ty_string(void);
/* Collection types; consume elem. */
ty *ty_list(ty *elem);
ty *ty_set(ty *elem);
ty *ty_map(ty *elem);
/* Tuple of n element types; consumes each elems[i] (the array is borrowed). */
ty *ty_tuple(ty **elems, size_t n);
/* Object type.  names are copied; types consumed.  optional may be NULL;
 * defaults may be NULL (else each entry is a consumed val, VAL_INVALID for
 * "no default").  Attribute order does not matter (kept sorted). */
struct val;
ty *ty_object(const char *const *names, ty **types, size_t n, const int *optional,
              struct val *defaults);

ty *ty_copy(const ty *t);
void ty_free(ty *t);

enum ty_kind ty_kind(const ty *t);
/* Element type of list/set/map (borrowed). */
const ty *ty_elem(const ty *t);
/* Number of tuple elements or object attributes. */
size_t ty_len(const ty *t);
/* Tuple element i / object attribute i (borrowed).  Object attributes are
 * in sorted name order. */
const ty *ty_index(const ty *t, size_t i);
const char *ty_attr_name(const ty *t, size_t i);
int ty_attr_optional(const ty *t, size_t i);
/* Default of optional attribute i (a new reference) or VAL_INVALID. */
struct val ty_attr_default(const ty *t, size_t i);
/* Index of attribute `name` in an object type, or -1. */
long ty_attr_find(const ty *t, const char *name);

int ty_equal(const ty *a, const ty *b);
/* Whether t contains TY_ANY anywhere. */
int ty_has_any(const ty *t);
/* Terraform's spelling: "string", "list(number)",
 * "object({a=string, b=number})", "tuple([string, bool])", "any".
 * Caller frees. */
char *ty_str(const ty *t);

/* ---------------------------------------------------------------- values */

enum val_kind {
    VAL_INVALID = 0,
    VAL_NULL,
    VAL_BOOL,
    VAL_NUMBER,
    VAL_STRING,
    VAL_LIST,
    VAL_SET,
    VAL_TUPLE,
    VAL_MAP,
    VAL_OBJECT,
};

enum val_mark {
    VAL_MARK_UNKNOWN = 1u << 0,
    VAL_MARK_SENSITIVE = 1u << 1,
};

struct val_heap;  /* private */

typedef struct val {
    uint8_t kind;   /* enum val_kind; for unknown/null, the kind its type implies */
    uint8_t marks;  /* enum val_mark bits */
    uint16_t pad_;
    uint32_t pad2_;
    union {
        int b;
        double n;
        struct val_heap *h;
    } u;            /* private: use the accessors */
} val;

#define VAL_INVALID_INIT ((val){.kind = VAL_INVALID})
static inline val val_invalid(void) { return VAL_INVALID_INIT; }
static inline int val_is_valid(val v) { return v.kind != VAL_INVALID; }

/* -- reference counting */
val val_copy(val v);          /* new reference; v is NOT consumed */
void val_free(val v);

/* -- constructors */
val val_null(void);           /* null of type any */
val val_null_of(ty *t);       /* null of type t (consumed) */
val val_unknown(ty *t);       /* wholly unknown value of type t (consumed) */
val val_bool(int b);
val val_number(double n);
val val_string(const char *s);                  /* copied, NUL-terminated */
val val_string_n(const char *s, size_t n);      /* copied; may contain NUL */
/* Takes ownership of malloc'd s, which holds n bytes and a NUL at s[n]. */
val val_string_own(char *s, size_t n);

/* Empty collections.  elem / t consumed. */
val val_list_empty(ty *elem);
val val_set_empty(ty *elem);
val val_map_empty(ty *elem);
val val_tuple_empty(void);
val val_object_empty(void);

/* Builders: consume coll and item, return the grown collection.  Items are
 * not converted here: for list/set/map the item's type must equal the
 * element type (or the element type is TY_ANY); convert first (val_convert)
 * when building typed collections.  A mismatch returns VAL_INVALID with the
 * last error set.  Details:
 *   - an empty collection of element type any takes the type of its first
 *     item; a null or unknown of type any is retyped to the element type;
 *   - val_set_add moves sensitive marks of the item (deep) onto the set,
 *     as cty.SetVal does; unknown items are never deduplicated;
 *   - appending n items costs amortised O(n); maps/objects accept keys in
 *     any order (a short unsorted tail is merged lazily). */
val val_list_append(val list, val item);
val val_tuple_append(val tuple, val item);
val val_set_add(val set, val item);              /* dedupes */
val val_map_set(val map, const char *key, val v);       /* replaces */
val val_object_set(val obj, const char *key, val v);    /* replaces */

/* -- marks (val_marks, val_is_wholly_known and val_contains_sensitive
 * borrow v; the others consume it) */
unsigned val_marks(val v);
/* Add marks (consumes v).  Adding VAL_MARK_UNKNOWN to a known value turns
 * it into an unknown of its type. */
val val_mark(val v, unsigned marks);
/* Remove marks from v itself (consumes v).  The unknown mark cannot be
 * removed (there is no value under it): only VAL_MARK_SENSITIVE is. */
val val_unmark(val v, unsigned marks);
static inline int val_is_unknown(val v) { return (v.marks & VAL_MARK_UNKNOWN) != 0; }
static inline int val_is_sensitive(val v) { return (v.marks & VAL_MARK_SENSITIVE) != 0; }
static inline int val_is_null(val v) { return v.kind == VAL_NULL && !val_is_unknown(v); }
/* No unknown anywhere inside (deep). */
int val_is_wholly_known(val v);
/* Sensitive anywhere inside (deep). */
int val_contains_sensitive(val v);
/* Remove sensitive marks everywhere inside (consumes v). */
val val_unmark_deep(val v);

/* -- accessors (all take `v` without consuming it) */
static inline enum val_kind val_kind(val v) { return (enum val_kind)v.kind; }
ty *val_type(val v);                 /* owned */
int val_get_bool(val v);
double val_get_number(val v);
const char *val_get_string(val v);   /* borrowed, NUL-terminated */
size_t val_string_len(val v);        /* bytes */
/* Elements of list/set/tuple, entries of map/object (0 for an unknown or
 * null collection and for other kinds: check those first). */
size_t val_len(val v);
/* Element i of list/set/tuple, or value of entry i of map/object (sorted).
 * Borrowed: valid while v is alive. */
const val *val_at(val v, size_t i);
/* Key of entry i of a map/object (borrowed). */
const char *val_key_at(val v, size_t i);
/* Value for key in a map/object (borrowed), or NULL. */
const val *val_lookup(val v, const char *key);

/* -- comparison (all BORROW their arguments, like the accessors) */
/* Structural equality: types compared, marks ignored; unknowns equal only
 * to the same-typed unknown.  Used for sets, plans and tests. */
int val_raw_equal(val a, val b);
/* Total order used to canonicalise sets: nulls last, unknowns after known
 * values, bools false<true, numbers and strings by value, other values by
 * cty's set hash bytes then structure. */
int val_compare(val a, val b);
/* The same through pointers. */
int val_eq(const val *a, const val *b);
int val_cmp(const val *a, const val *b);

/* -- conversion (Terraform's rules: number<->string, bool<->string,
 * tuple->list/set, object->map, list<->set, null passes through, unknown
 * keeps its marks with the target type, optional attributes filled from
 * defaults).  Consumes v; returns VAL_INVALID with a message in the last
 * error (Terraform's wording, e.g. "a number is required") on failure.
 * Tries "unsafe" conversions too (string->number, string->bool,
 * list->set, map->object), as Terraform does. */
val val_convert(val v, const ty *target);
/* Like val_convert, but only conversions that cannot fail on any value. */
val val_convert_safe(val v, const ty *target);
/* Whether some value of type `from` may convert to `to` (type-level check,
 * as cty's GetConversion/GetConversionUnsafe != nil). */
int ty_convertible(const ty *from, const ty *to, int unsafe);
/* The type that values of all n types can convert to (cty's UnifyUnsafe,
 * which HCL uses for conditionals and Terraform for tuple->list), or NULL
 * (no error set) when there is none.  Owned. */
ty *ty_unify(const ty *const *types, size_t n);
/* cty's Unify (safe conversions only). */
ty *ty_unify_safe(const ty *const *types, size_t n);
/* Terraform's message for a value of type got where want is required,
 * e.g. "string required", "attribute \"a\" is required",
 * "all list elements must have the same type".  Caller frees. */
char *ty_mismatch_msg(const ty *got, const ty *want);
/* cty's FriendlyName ("list of string", "object", "dynamic") or, with
 * constraint != 0, FriendlyNameForConstraint ("any type", "list of any
 * single type").  Caller frees. */
char *ty_friendly_name(const ty *t, int constraint);

/* -- number formatting as Terraform prints it (shortest round-trip,
 * never an exponent: 1e21 prints as 1000000000000000000000).  Writes into
 * buf; VAL_NUMBER_BUF bytes always suffice.  With a smaller buffer a value
 * whose plain form does not fit is written in exponent form. */
#define VAL_NUMBER_BUF 400
void val_number_fmt(double n, char *buf, size_t size);

#endif
