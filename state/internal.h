/*
 * state/internal.h — what the files of state/ share and nothing else sees:
 * the handle and transaction structs, key building, the change log.
 *
 * Key layout (all named databases, one LMDB environment):
 *   meta       "format"            -> decimal store format
 *              "selected"          -> selected workspace name
 *              "ws/<name>"         -> JSON {lineage, serial, created, tfver}
 *   resources  <ws> NUL <address>  -> instance record (state_instance_encode)
 *   outputs    <ws> NUL <name>     -> JSON {value, type, sensitive}
 *   history    <ws> NUL <serial, 8 bytes big-endian> -> JSON entry
 *   intents    <ws> NUL <address>  -> JSON intent
 *   lock       "lock"              -> JSON lock info
 */
#ifndef CAIRN_STATE_INTERNAL_H
#define CAIRN_STATE_INTERNAL_H

#include "lang/diag.h"
#include "state/state.h"

#include <lmdb.h>
#include <stdint.h>

struct state_env {
    MDB_env *env;
    MDB_dbi db_meta, db_res, db_out, db_hist, db_intent, db_lock;
    char *dir;
    char *data_path;                 /* DIR/data.mdb */
    char ws[STATE_WORKSPACE_NAME_MAX + 1];
};

struct state_txn_change {
    char *address;
    const char *action;              /* static string */
};

struct state_txn {
    state_env *env;
    MDB_txn *txn;
    int rdonly;
    int err;                         /* first failure: poisoned when != 0 */
    char *operation;
    struct state_txn_change *changes;
    size_t nchanges, capchanges;
    int internal;                    /* no serial bump, no history */
    int64_t serial_override;         /* >0: commit sets this serial */
    char *lineage_override;          /* non-NULL: commit sets this lineage */
    char *tfver_override;
};

/* Map an LMDB error to a cairn_err with a message naming what failed;
 * corruption is CAIRN_ECORRUPT with what to do. */
int state__mdb_err(const state_env *env, int rc, const char *what);
/* Poison txn with code (keeps the first error) and return code. */
int state__poison(state_txn *txn, int code);
/* Key "<ws> NUL <rest>" into buf (cap bytes); returns length or -1. */
int state__key(const state_env *env, const char *rest, size_t restlen, char *buf, size_t cap);
/* Record a change for the history entry (address copied). */
int state__record(state_txn *txn, const char *address, const char *action);
/* Begin an internal write txn (no serial bump, no history). */
int state__txn_internal(state_txn **out, state_env *env);
/* Canonicalise an instance address (must be a full instance address, not
 * a module or a pattern).  *out owned. */
int state__canon_instance(const char *addr, char **out);
/* Whether the current workspace holds no instance and serial is 0. */
int state__ws_is_empty(state_txn *txn, int *empty);
/* Delete every key of the workspace in db. */
int state__ws_clear(state_txn *txn, MDB_dbi dbi);
/* User name and host name of this process, into fixed buffers. */
void state__whoami(char *user, size_t ulen, char *host, size_t hlen);
/* A random UUID (version 4) into buf[37]. */
int state__uuid(char buf[37]);
/* Write a file durably: tmp, fsync, rename, fsync dir.  Mode 0600. */
int state__fsync_dir(const char *dir);

#endif
