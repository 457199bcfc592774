/*
 * state/state.h — cairn's state store: an LMDB environment holding, per
 * workspace, the resource instances, outputs, history and intents, plus the
 * store-wide lock.  This header is the whole public contract of state/.
 *
 * Lifecycle, in LMDB's manner:
 *
 *     state_env *env;   state_txn *txn;   state_instance *inst;
 *     state_open(&env, ".cairn", STATE_CREATE);        once per process
 *     state_lock_acquire(&lk, env, "apply", timeout);   whole operation
 *       state_txn_begin(&txn, env, 0, "apply");         short: no network
 *       state_get(txn, "aws_vpc.main", &inst);          owned copy
 *       state_put(txn, "aws_vpc.main", inst);           copied in
 *       state_commit(txn);                              serial+1, history
 *     state_lock_release(lk);
 *     state_close(env);
 *
 * What must stay true:
 *   - Every committed write transaction that changed something bumps the
 *     workspace serial by one and appends one history entry (serial, time,
 *     user, host, operation, and the list of (address, action) changes) in
 *     the same LMDB transaction.  A commit that changed nothing is a no-op.
 *   - Poisoning: once any operation on a write transaction fails (other than
 *     a lookup that finds nothing, CAIRN_ENOTFOUND), the transaction can
 *     only be aborted; state_commit returns the first error and aborts it.
 *   - Everything returned to callers is an owned copy: nothing points into
 *     LMDB memory, so nothing read stays valid "until the txn ends" except
 *     the borrowed arguments of iteration callbacks, valid during the call.
 *   - A store written by a newer format is refused (CAIRN_EVERSION) and
 *     never written; a corrupt or truncated one is refused (CAIRN_ECORRUPT)
 *     with its path and what to do, never written either.
 *   - Files are created 0600 and directories 0700 whatever the umask.
 *
 * Threads: one state_env may be shared by threads; a state_txn belongs to
 * the thread that began it.  LMDB allows one write transaction at a time
 * per store (across processes), so callers keep write transactions short.
 *
 * Errors: every function returning int returns 0 or a negative cairn_err
 * (lang/diag.h) and leaves a message in the per-thread last error (err_msg).
 */
#ifndef CAIRN_STATE_H
#define CAIRN_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "lang/val.h"

/* ---------------------------------------------------------------- limits */

#define STATE_FORMAT_VERSION 1          /* store layout; newer is refused */
#define STATE_RECORD_VERSION 1          /* per-record encoding ("v") */
#define STATE_DIR_DEFAULT ".cairn"
#define STATE_MAP_SIZE (4ull << 30)     /* LMDB map: the store's size cap */
#define STATE_ADDR_MAX 1024             /* bytes in one address */
#define STATE_ADDR_MAX_MODULES 32       /* module nesting in an address */
#define STATE_WORKSPACE_NAME_MAX 90     /* bytes in a workspace name */
#define STATE_TXN_MAX_CHANGES 1000000   /* changes one transaction records */
#define STATE_BACKUP_KEEP 10            /* backups kept under backups/ */
#define STATE_LOCK_BACKOFF_MIN_MS 5     /* first retry delay while locked */
#define STATE_LOCK_BACKOFF_MAX_MS 500   /* retry delay cap */
#define STATE_TFSTATE_MAX_SIZE (512u * 1024 * 1024)  /* v4 file accepted */

/* ---------------------------------------------------------------- addresses */

/* A parsed address: `module.a["k"].module.b[0].aws_x.y[3]`,
 * `data.aws_ami.ubuntu`, `module.net` (module only), `aws_eip.nat`
 * (whole resource).  Keys are ints or strings. */
enum state_key_kind { STATE_KEY_NONE, STATE_KEY_INT, STATE_KEY_STR };
typedef struct state_key {
    enum state_key_kind kind;
    int64_t i;
    char *s;                     /* owned, for STATE_KEY_STR */
} state_key;

typedef struct state_addr {
    size_t nmodules;
    struct {
        char *name;
        state_key key;
    } modules[STATE_ADDR_MAX_MODULES];
    int has_resource;            /* 0: the address names a module */
    int data;                    /* data source (data.TYPE.NAME) */
    char *type, *name;           /* owned */
    state_key key;               /* instance key; NONE for a whole resource */
} state_addr;

/* Parse s into *out (zeroed first; free with state_addr_free).  Returns
 * CAIRN_EINVAL with Terraform's wording in the last error when s does not
 * parse ("Invalid address"), CAIRN_ELIMIT beyond STATE_ADDR_MAX. */
int state_addr_parse(state_addr *out, const char *s);
void state_addr_free(state_addr *a);
/* Canonical text of a (strings quoted and escaped as Terraform prints
 * them).  Caller frees. */
char *state_addr_str(const state_addr *a);
/* Canonical text of the module path only ("" for root, "module.a[0]"). */
char *state_addr_module_str(const state_addr *a);
/* Whether instance address inst (fully keyed or unkeyed) falls under
 * pattern pat: pat names a module (everything inside, nested too), a
 * resource (all its instances) or an instance (itself).  Both borrowed. */
int state_addr_matches(const state_addr *pat, const state_addr *inst);
/* Order for listing: module path, mode, type, name, then keys (ints
 * numerically, before strings).  Returns <0, 0, >0. */
int state_addr_compare(const state_addr *a, const state_addr *b);

/* ---------------------------------------------------------------- instances */

enum state_status { STATE_STATUS_OK = 0, STATE_STATUS_TAINTED = 1 };

/* One resource instance object.  Every pointer is owned by the struct
 * (free with state_instance_free); NULL means "absent" for the optional
 * ones.  attrs_json is Terraform v4's "attributes" object as JSON text;
 * attrs_type the cty type JSON (["object",{...}]) when the writer knew it
 * (the engine does; a Terraform import does not); sensitive_json
 * Terraform's "sensitive_attributes" path array, JSON text. */
typedef struct state_instance {
    char *type;                  /* resource type, "aws_vpc" (required) */
    char *provider;              /* provider["registry.terraform.io/hashicorp/aws"] */
    int64_t schema_version;
    char *attrs_json;            /* required: a JSON object */
    char *attrs_type;            /* optional */
    char *sensitive_json;        /* optional: JSON array of paths */
    char *private_b64;           /* optional: provider private data */
    char **deps;                 /* dependency addresses */
    size_t ndeps;
    enum state_status status;
    int create_before_destroy;
    int64_t created;             /* Unix seconds; 0: unknown */
} state_instance;

/* A new zeroed instance (never NULL; aborts on OOM). */
state_instance *state_instance_new(void);
/* Deep copy of src (never NULL). */
state_instance *state_instance_dup(const state_instance *src);
void state_instance_free(state_instance *inst);
/* Add a dependency address (copied). */
void state_instance_add_dep(state_instance *inst, const char *addr);

/* Attributes as a cairn value.  state_instance_attrs: *out owned; the
 * value has the stored type when attrs_type is set (else JSON's: objects
 * and tuples, as for a Terraform import; convert with the schema's type),
 * and the sensitive mark at every path of sensitive_json.  CAIRN_ECORRUPT
 * if the stored form does not decode.
 * state_instance_set_attrs: consumes attrs (an object or map, wholly
 * known); sets attrs_json, attrs_type and sensitive_json (the paths of
 * its sensitive marks, Terraform's form).  CAIRN_EINVAL otherwise. */
int state_instance_attrs(const state_instance *inst, val *out);
int state_instance_set_attrs(state_instance *inst, val attrs);

/* The record encoding (versioned JSON), exposed for tests and tools.
 * state_instance_encode: *out owned (caller frees), *len its length.
 * state_instance_decode: *out owned; CAIRN_ECORRUPT on damaged input,
 * CAIRN_EVERSION for a record from a newer format. */
int state_instance_encode(char **out, size_t *len, const state_instance *inst);
int state_instance_decode(state_instance **out, const char *data, size_t len);

/* ---------------------------------------------------------------- store */

typedef struct state_env state_env;
typedef struct state_txn state_txn;

enum state_open_flags {
    STATE_CREATE = 1u << 0,      /* create the store if missing */
};

/* Open the store in directory dir (NULL: STATE_DIR_DEFAULT).  With
 * STATE_CREATE a missing store is created (atomically: a half-created
 * store is never visible).  The workspace in use is $TF_WORKSPACE, else the
 * selected one, else "default".  *out owned: state_close.
 * Errors: CAIRN_ENOTFOUND (no store, no STATE_CREATE), CAIRN_ECORRUPT,
 * CAIRN_EVERSION, CAIRN_EIO. */
int state_open(state_env **out, const char *dir, unsigned flags);
void state_close(state_env *env);
/* The store directory (borrowed). */
const char *state_path(const state_env *env);

/* Workspaces.  Names: letters, digits, '-', '_', '.', 1..90 bytes.
 * state_workspace_name: the workspace this handle uses (borrowed).
 * state_workspace_use: use another (existing) workspace in this handle;
 * call before starting transactions (not thread-safe).
 * state_workspace_select: persist the selection for later runs, and use it.
 * state_workspace_create: CAIRN_EINVAL if it exists or the name is bad.
 * state_workspace_delete: refuses "default" and the one in use, and one
 * that still has resources unless force (CAIRN_EBUSY).
 * state_workspace_list: *out owned array of owned names, sorted. */
const char *state_workspace_name(const state_env *env);
int state_workspace_use(state_env *env, const char *name);
int state_workspace_select(state_env *env, const char *name);
int state_workspace_create(state_env *env, const char *name);
int state_workspace_delete(state_env *env, const char *name, int force);
int state_workspace_list(state_env *env, char ***out, size_t *n);
void state_strv_free(char **v, size_t n);

enum state_txn_flags {
    STATE_TXN_RDONLY = 1u << 0,
};

/* Begin a transaction on the handle's workspace.  operation (copied) is
 * what history records ("apply", "state mv"); may be NULL for read-only.
 * A write transaction blocks while another (any process) is open.
 * *out owned: end it with state_commit or state_abort. */
int state_txn_begin(state_txn **out, state_env *env, unsigned flags,
                    const char *operation);
/* Commit: durable on return (fsync).  If anything changed, bumps the
 * serial and appends the history entry first.  Always frees txn.  A
 * poisoned transaction is aborted and its first error returned. */
int state_commit(state_txn *txn);
/* Abort and free (NULL is fine). */
void state_abort(state_txn *txn);
/* Whether an earlier failure poisoned the transaction. */
int state_txn_poisoned(const state_txn *txn);

/* Workspace metadata: serial (committed changes so far), lineage (UUID
 * text, owned by caller), terraform_version written to v4 exports. */
int state_serial(state_txn *txn, uint64_t *out);
int state_lineage(state_txn *txn, char **out);

/* Resource instances by full instance address.  state_get: *out owned;
 * CAIRN_ENOTFOUND if absent (does not poison).  state_put: copies inst;
 * creates or replaces (history action "create" / "update"); putting an
 * identical instance changes and records nothing.
 * state_delete: CAIRN_ENOTFOUND if absent (does not poison).
 * Addresses are parsed and stored in canonical form; a bad one is
 * CAIRN_EINVAL. */
int state_get(state_txn *txn, const char *addr, state_instance **out);
int state_put(state_txn *txn, const char *addr, const state_instance *inst);
int state_delete(state_txn *txn, const char *addr);
/* Move one instance (history action "move", recorded for both
 * addresses).  CAIRN_ENOTFOUND if src is absent, CAIRN_EINVAL if dst
 * exists or the resource types differ. */
int state_move(state_txn *txn, const char *src, const char *dst);

/* Addresses of instances matching pattern (NULL: all; else a module,
 * resource or instance address, see state_addr_matches), sorted with
 * state_addr_compare.  *out owned (state_strv_free). */
int state_list(state_txn *txn, const char *pattern, char ***out, size_t *n);
/* Call fn for each instance matching pattern, in the same order; addr and
 * inst are borrowed for the call.  A non-zero return from fn stops the walk
 * and is returned. */
typedef int (*state_each_fn)(const char *addr, const state_instance *inst, void *payload);
int state_each(state_txn *txn, const char *pattern, state_each_fn fn, void *payload);

/* Deposed objects: the object a create_before_destroy replacement
 * replaced at an address, kept in state until its delete succeeds
 * (Terraform's "deposed object").  key: 1..STATE_DEPOSED_KEY_MAX
 * lowercase hex digits (cairn writes 8).  Walks of instances
 * (state_list, state_each) do not include them.
 * state_deposed_put: copies inst; creates or replaces.
 * state_deposed_delete: CAIRN_ENOTFOUND if absent (does not poison).
 * state_deposed_list: every deposed object of the workspace, sorted by
 * address then key; *out owned (state_deposed_free). */
#define STATE_DEPOSED_KEY_MAX 16
typedef struct state_deposed {
    char *address;
    char *key;
    state_instance *inst;
} state_deposed;
int state_deposed_put(state_txn *txn, const char *addr, const char *key,
                      const state_instance *inst);
int state_deposed_delete(state_txn *txn, const char *addr, const char *key);
int state_deposed_list(state_txn *txn, state_deposed **out, size_t *n);
void state_deposed_free(state_deposed *v, size_t n);

/* Root module outputs.  value_json / type_json: JSON text (type_json may be
 * NULL).  get: owned strings; CAIRN_ENOTFOUND if absent. */
typedef struct state_output {
    char *value_json;
    char *type_json;
    int sensitive;
} state_output;
int state_output_get(state_txn *txn, const char *name, state_output *out);
int state_output_put(state_txn *txn, const char *name, const state_output *o);
int state_output_delete(state_txn *txn, const char *name);
int state_output_list(state_txn *txn, char ***names, size_t *n);
void state_output_clear(state_output *o);

/* ---------------------------------------------------------------- history */

typedef struct state_change {
    const char *address;
    const char *action;          /* create update delete move-from move-to
                                  * intent-open intent-close import */
} state_change;
typedef struct state_history_entry {
    uint64_t serial;
    int64_t time;                /* Unix seconds */
    const char *user, *host, *operation;
    size_t nchanges;
    const state_change *changes;
} state_history_entry;
/* Call fn for each entry (oldest first) with at least one change whose
 * address matches pattern (NULL: all); e is borrowed for the call.  A
 * non-zero return from fn stops the walk and is returned. */
typedef int (*state_history_fn)(const state_history_entry *e, void *payload);
int state_history_each(state_txn *txn, const char *pattern, state_history_fn fn,
                       void *payload);
/* Number of history entries of the workspace. */
int state_history_count(state_txn *txn, uint64_t *out);

/* ---------------------------------------------------------------- intents */

/* An intent says "a create or delete of this address may be in flight":
 * committed before the call is sent, replaced by the outcome in one
 * transaction when it returns.  Open intents after a crash are for the
 * engine to reconcile (adopt the object that carries token, or report). */
enum state_intent_action { STATE_INTENT_CREATE = 1, STATE_INTENT_DELETE = 2 };
typedef struct state_intent {
    char *address;
    enum state_intent_action action;
    char *token;                 /* idempotency token / tag value */
    char *operation;
    int64_t time;
    long pid;
    char *planned;               /* create: JSON of the object the create was
                                  * called with, or NULL (not recorded) */
} state_intent;

/* Record an intent and commit it (durable on return), in its own
 * transaction.  CAIRN_EBUSY if an intent is already open for addr. */
int state_intent_open(state_env *env, const char *addr, enum state_intent_action action,
                      const char *token, const char *operation);
/* The same, recording with a create the JSON of the object it is called
 * with (planned, may be NULL), so that recovery can look for an object the
 * remote side cannot tag by what it was to be (a route, an association). */
int state_intent_open_planned(state_env *env, const char *addr,
                              enum state_intent_action action, const char *token,
                              const char *operation, const char *planned);
/* Close an intent atomically with its outcome, in one committed
 * transaction: inst non-NULL puts it at addr (a create that succeeded);
 * inst NULL removes the instance at addr if present (a delete that
 * succeeded, or a create that certainly did not happen).  CAIRN_ENOTFOUND
 * if no intent is open for addr (nothing is written). */
int state_intent_complete(state_env *env, const char *addr, const state_instance *inst,
                          const char *operation);
/* The same for a create that replaced the object at addr first
 * (create_before_destroy): in the one transaction, the instance that was
 * at addr (if any) becomes the deposed object addr/key, then inst is put
 * at addr.  The caller deletes the deposed object next. */
int state_intent_complete_depose(state_env *env, const char *addr, const state_instance *inst,
                                 const char *key, const char *operation);
/* Close an intent without touching the instance at addr (the call
 * certainly had no effect, e.g. a create the provider refused), in one
 * committed transaction.  CAIRN_ENOTFOUND if no intent is open. */
int state_intent_abandon(state_env *env, const char *addr, const char *operation);
/* Open intents of the workspace; *out owned (state_intents_free). */
int state_intent_list(state_txn *txn, state_intent **out, size_t *n);
void state_intents_free(state_intent *v, size_t n);

/* ---------------------------------------------------------------- lock */

typedef struct state_lock state_lock;
typedef struct state_lock_info {
    char id[40];                 /* UUID */
    char user[64], host[256];
    long pid;
    char operation[64];
    int64_t since;               /* Unix seconds */
    char version[32];            /* cairn version of the holder */
    char path[512];              /* the store directory */
} state_lock_info;

/* Take the store's lock for operation (e.g. "OperationTypeApply" or
 * "state mv"): an fcntl (OFD) lock on DIR/state.lock, released by the
 * kernel if the holder dies, plus a committed lock-info record.
 * timeout_ms 0: fail at once when held; else retry with backoff (5 ms
 * doubling to 500 ms, jittered) until the deadline.  A stale record left by
 * a dead holder is simply replaced.  On contention returns CAIRN_EBUSY with
 * the holder's info in *holder (if non-NULL and known; holder->id[0] == 0
 * otherwise) and a message naming it.  *out owned: state_lock_release. */
int state_lock_acquire(state_lock **out, state_env *env, const char *operation,
                       int64_t timeout_ms, state_lock_info *holder);
/* Clear the lock-info record, drop the fcntl lock, free lk (NULL fine). */
int state_lock_release(state_lock *lk);
/* This lock's info (borrowed). */
const state_lock_info *state_lock_get_info(const state_lock *lk);
/* The current lock-info record, if any: CAIRN_ENOTFOUND when none.  *live
 * (if non-NULL) says whether some process holds the fcntl lock now. */
int state_lock_read(state_env *env, state_lock_info *out, int *live);
/* Clear the record whose ID is id.  CAIRN_ENOTFOUND if no record,
 * CAIRN_EINVAL if the ID differs, CAIRN_EBUSY if a live process holds the
 * lock and !force. */
int state_force_unlock(state_env *env, const char *id, int force);

/* Parse a Go/Terraform duration ("0", "30s", "1m30s", "500ms", "1.5h")
 * into milliseconds.  CAIRN_EINVAL on bad syntax. */
int state_duration_parse(const char *s, int64_t *ms);

/* ---------------------------------------------------------------- backups */

/* Copy the whole store (LMDB's compacting copy) to
 * DIR/backups/state-<UTC time>-<pid>.mdb (0600, fsynced), then delete the
 * oldest beyond STATE_BACKUP_KEEP.  *path_out (if non-NULL) owned. */
int state_backup(state_env *env, char **path_out);

/* ---------------------------------------------------------------- Terraform v4 */

/* Print the workspace as a Terraform state format version 4 JSON document
 * (resources grouped and sorted as Terraform writes them).  *out owned. */
int state_tfstate_export(state_txn *txn, char **out);

/* Replace the workspace's contents with a v4 document (text of len
 * bytes), in txn, after checking all of it: anything that cannot be carried
 * over is CAIRN_EINVAL before anything is written.  Unless force, the
 * lineage must match (or the workspace be empty) and the serial must not be
 * older (Terraform's messages).  The resulting serial is the file's, or
 * one more than the current one if that is higher.  The txn is poisoned on
 * failure. */
int state_tfstate_import(state_txn *txn, const char *text, size_t len, int force);
/* The checks of state_tfstate_import that need no store (syntax, version,
 * addresses, what cannot be carried over), so a command can refuse a bad
 * file before it opens, locks or backs up anything. */
int state_tfstate_validate(const char *text, size_t len);

#endif
