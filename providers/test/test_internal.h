/*
 * providers/test/test_internal.h — shared declarations of the `test`
 * provider plugin (prefix tp_).  Nothing here is part of the plugin ABI:
 * the engine sees only cairn_provider_entry() and providers/provider.h.
 *
 * The plugin keeps its "remote" objects as files in one directory (the
 * provider block's `dir`, else $TEST_PROVIDER_DIR), so tests can see, edit
 * and delete them:
 *
 *     <dir>/<id>.json              one object: {"attributes": {...},
 *                                  "token": "..." | null, "address": "..."}
 *     <dir>/.tokens/<token>        idempotency index: the id created with it
 *     <dir>/.failcount-<op>-<key>  attempts counted for fail_on/fail_count
 *     <dir>/.tmp-*                 temporary files of an atomic write
 *
 * What must stay true:
 *   - every write is atomic (temporary file, fsync, rename, fsync of the
 *     directory), so a reader sees the old file or the new one, never half;
 *   - only files named <id>.json whose name does not start with '.' are
 *     objects (object_count and the docs rely on it);
 *   - the object type of a state is built from the static schema strings
 *     (tp_schema_type), so the schema is the single source of truth;
 *   - a prov_instance is shared by worker threads: its fields are
 *     immutable after configure except under `mu`.
 */
#ifndef CAIRN_TEST_INTERNAL_H
#define CAIRN_TEST_INTERNAL_H

#include <pthread.h>
#include <stddef.h>

#include "lang/val.h"
#include "providers/provider.h"

/* Everything declared here stays inside the plugin: only the entry
 * symbol is exported from the shared object. */
#pragma GCC visibility push(hidden)

#define TP_RESOURCE_TYPE "test_resource"
#define TP_DATA_TYPE "test_data"
#define TP_ENV_DIR "TEST_PROVIDER_DIR"
#define TP_ID_PREFIX "tr-"

/* Named limits. */
#define TP_MAX_ID_LEN 128            /* an id, a token used as a file name */
#define TP_MAX_PREFIX_LEN 64         /* the provider's `prefix` */
#define TP_MAX_FILE_SIZE (16u << 20) /* an object file read back */
#define TP_MAX_DELAY_MS (3600u * 1000u)  /* a *_delay: one hour */
#define TP_MAX_FAIL_COUNT 1000000    /* fail_count */
#define TP_WAIT_SLICE_MS 10          /* how often a delay looks at cancel */

/* A configured provider (one per provider block / alias). */
struct prov_instance {
    char *dir;          /* the object directory (owned) */
    char *prefix;       /* prepended to new ids; "" when unset (owned) */
    ty *res_type;       /* object type of a test_resource state (owned) */
    ty *data_type;      /* object type of a test_data state (owned) */
    pthread_mutex_t mu; /* serialises fail counters and read-modify-write updates */
};

/* One stored object as read back from <id>.json. */
typedef struct tp_record {
    val attrs;          /* the attributes object, as decoded (owned) */
    char *token;        /* idempotency token or NULL (owned) */
    char *address;      /* address that created / last updated it, or NULL (owned) */
} tp_record;

/* ---------------------------------------------------------- test_provider.c */

extern const prov_schema tp_resource_schema;
extern const prov_schema tp_data_schema;

/* Fill d (may be NULL) with summary and a printf-style detail (detail_fmt
 * may be NULL) naming attribute attr (static string or NULL); returns code
 * so that callers can write `return tp_fail(d, CAIRN_EINVAL, ...)`. */
int tp_fail(prov_diag *d, int code, const char *attr, const char *summary,
            const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

/* The object type of a state of schema s: one attribute per schema
 * attribute (its type expression parsed) and one per nested block (list,
 * set, map of objects or an object, by nesting mode).  Owned; NULL with
 * the last error set when a type expression does not parse. */
ty *tp_schema_type(const prov_schema *s);

/* Borrowed string value of attribute name in object obj, or NULL when the
 * attribute is absent, null, unknown or not a string. */
const char *tp_get_str(val obj, const char *name);

/* ------------------------------------------------------------- test_store.c */

/* Write object id atomically: attrs (borrowed, wholly known) as the
 * attributes, with token and address (either may be NULL).  Creates the
 * directory when missing.  0 or a negative cairn_err with the last error
 * naming the step that failed. */
int tp_store_put(prov_instance *p, const char *id, val attrs, const char *token,
                 const char *address);

/* Read object id into *out (owned: tp_record_free).  CAIRN_ENOTFOUND
 * (last error set) when the file does not exist; CAIRN_ECORRUPT when it
 * is not an object file; CAIRN_EIO, CAIRN_ELIMIT otherwise. */
int tp_store_get(prov_instance *p, const char *id, tp_record *out);
void tp_record_free(tp_record *r);

/* Remove object id; a missing file is success.  0 or CAIRN_EIO. */
int tp_store_remove(prov_instance *p, const char *id);

/* Count object files (one directory scan; a missing directory holds 0). */
int tp_store_count(prov_instance *p, size_t *n);

/* Record in the token index that token created id (atomic write). */
int tp_token_put(prov_instance *p, const char *token, const char *id);
/* The id recorded for token (owned, *id) or CAIRN_ENOTFOUND. */
int tp_token_get(prov_instance *p, const char *token, char **id);
/* Drop token's index entry; missing is success. */
int tp_token_remove(prov_instance *p, const char *token);

/* One attempt of operation op (a static name) at address: if fewer than
 * limit attempts were counted so far, count this one and set *fail to 1,
 * else set it to 0.  Takes p->mu (the caller MUST NOT hold it); the count
 * persists in the directory, so it survives across provider instances and
 * runs of the engine. */
int tp_attempt_counts(prov_instance *p, const char *op, const char *address,
                      unsigned limit, int *fail);

/* Whether s may be an id (and so a file name): 1..TP_MAX_ID_LEN bytes of
 * [A-Za-z0-9._-], not starting with '.'. */
int tp_valid_id(const char *s);

/* n random bytes as 2n lower-case hex digits into out (2n+1 bytes). */
int tp_random_hex(char *out, size_t n);

/* Lower-case hex SHA-256 of s[0..n) into out (65 bytes). */
void tp_sha256_hex(const char *s, size_t n, char out[65]);

/* ---------------------------------------------------------- test_resource.c */

#define TP_NRESOURCES 1
/* The resource types (test_resource), durations and operations. */
extern const prov_resource_type tp_resource_types[TP_NRESOURCES];

/* --------------------------------------------------------------- test_data.c */

#define TP_NDATA_SOURCES 1
/* The data sources (test_data). */
extern const prov_data_source tp_data_sources[TP_NDATA_SOURCES];

/* The plugin description (what cairn_provider_entry returns), under a name
 * of its own for code that links more than one plugin statically. */
const prov_plugin *tp_entry(void);

#pragma GCC visibility pop

#endif
