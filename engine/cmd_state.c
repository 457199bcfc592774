/*
 * engine/cmd_state.c — `cairn state list|show|mv|rm|history|pull|push|backup`.
 *
 * Terraform's wording and exit codes (0 success, 1 error).  Writers (mv,
 * rm, push) take the state lock for the whole command, copy the store to
 * backups/ first, and write in one transaction: an error anywhere leaves
 * the store as it was.
 */
#include "engine/cli.h"
#include "lang/diag.h"
#include "state/cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct args {
    state_cli_opts o;
    int dry_run, force;
    const char *id;
    char **pos;
    size_t npos;
};

/* Split flags (any position before "--") from positional arguments. */
static int parse_args(struct args *a, int argc, char **argv, const char *allowed)
{
    memset(a, 0, sizeof *a);
    state_cli_init(&a->o);
    a->pos = xcalloc((size_t)argc + 1, sizeof *a->pos);
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (only_pos || s[0] != '-' || !strcmp(s, "-")) {
            a->pos[a->npos++] = argv[i];
            continue;
        }
        if (!strcmp(s, "--")) {
            only_pos = 1;
            continue;
        }
        int r = state_cli_flag(&a->o, s);
        if (r < 0)
            return 1;
        if (r > 0)
            continue;
        const char *f = s[1] == '-' ? s + 1 : s;
        if (strstr(allowed, "dry-run") && !strcmp(f, "-dry-run"))
            a->dry_run = 1;
        else if (strstr(allowed, "force") && !strcmp(f, "-force"))
            a->force = 1;
        else if (strstr(allowed, "id") && !strncmp(f, "-id=", 4))
            a->id = f + 4;
        else if (!strcmp(f, "-no-color"))
            ;
        else {
            fprintf(stderr, "flag provided but not defined: %s\n", s);
            return 1;
        }
    }
    return 0;
}

static int parse_addr_arg(state_addr *out, const char *s)
{
    if (state_addr_parse(out, s) == 0)
        return 0;
    state_cli_error("Error parsing instance address", err_msg());
    return 1;
}

/* ---------------------------------------------------------------- list */

struct list_ctx {
    const char *id;
    char **seen;
    size_t n, cap;
};

static int seen_add(struct list_ctx *c, const char *addr)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->seen[i], addr))
            return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->seen = xrealloc(c->seen, c->cap * sizeof *c->seen);
    }
    c->seen[c->n++] = xstrdup(addr);
    return 1;
}

static int list_one(const char *addr, const state_instance *inst, void *p)
{
    struct list_ctx *c = p;
    if (c->id) {
        json_error_t je;
        json_t *a = json_loads(inst->attrs_json, 0, &je);
        const char *id = json_string_value(json_object_get(a, "id"));
        int keep = id && !strcmp(id, c->id);
        json_decref(a);
        if (!keep)
            return 0;
    }
    if (seen_add(c, addr))
        printf("%s\n", addr);
    return 0;
}

static int state_list_cmd(struct args *a)
{
    for (size_t i = 0; i < a->npos; i++) {
        state_addr t;
        if (parse_addr_arg(&t, a->pos[i]))
            return 1;
        state_addr_free(&t);
    }
    state_env *env = NULL;
    state_txn *x = NULL;
    if (state_cli_open(&env, &a->o, 0))
        return 1;
    struct list_ctx c = {a->id, NULL, 0, 0};
    int rc = state_txn_begin(&x, env, STATE_TXN_RDONLY, NULL);
    if (rc == 0 && a->npos == 0)
        rc = state_each(x, NULL, list_one, &c);
    for (size_t i = 0; rc == 0 && i < a->npos; i++)
        rc = state_each(x, a->pos[i], list_one, &c);
    if (rc != 0)
        state_cli_error("Failed to load state", err_msg());
    state_abort(x);
    state_close(env);
    state_strv_free(c.seen, c.n);
    return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- show */

/* `state show ADDRESS`: the instance as `cairn show` prints it (Terraform
 * prints the same block for both), map keys quoted, nested blocks drawn as
 * blocks from the provider's schema.  When the provider's plugin does not
 * load, the instance is still shown, its nested blocks as the lists of
 * objects they are stored as. */
static int state_show_cmd(struct args *a)
{
    if (a->npos != 1) {
        state_cli_error("Exactly one argument expected",
                        "The show command expects exactly one argument: the address of a "
                        "resource instance.");
        return 1;
    }
    state_addr t;
    if (parse_addr_arg(&t, a->pos[0]))
        return 1;
    int is_instance = t.has_resource;
    if (!is_instance) {
        state_addr_free(&t);
        state_cli_error("Error parsing instance address",
                        "The address must name a resource instance, not a module.");
        return 1;
    }
    state_env *env = NULL;
    state_txn *x = NULL;
    state_instance *inst = NULL;
    if (state_cli_open(&env, &a->o, 0)) {
        state_addr_free(&t);
        return 1;
    }
    int rc = state_txn_begin(&x, env, STATE_TXN_RDONLY, NULL);
    if (rc == 0)
        rc = state_get(x, a->pos[0], &inst);
    state_abort(x);
    state_close(env);
    if (rc == CAIRN_ENOTFOUND) {
        state_addr_free(&t);
        state_cli_error("No instance found for the given address!",
                        "This command requires that the address references one specific "
                        "instance. To view the available instances, use \"cairn state list\". "
                        "Please modify the address to reference a specific instance.");
        return 1;
    }
    if (rc != 0) {
        state_addr_free(&t);
        state_cli_error("Failed to load state", err_msg());
        return 1;
    }
    char *canon = state_addr_str(&t);
    plugin_registry *reg = plugin_registry_new();
    rc = cli_show_instance(stdout, reg, canon, inst);
    plugin_registry_free(reg);
    free(canon);
    state_addr_free(&t);
    state_instance_free(inst);
    if (rc < 0) {
        state_cli_error("Failed to load state", "The stored attributes of this instance do not "
                        "decode.");
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- writers */

struct writer {
    state_env *env;
    state_lock *lock;
    state_txn *txn;
};

/* Open (creating if asked), lock, back up, begin the write transaction. */
static int writer_begin(struct writer *w, struct args *a, const char *op, unsigned oflags)
{
    memset(w, 0, sizeof *w);
    if (state_cli_open(&w->env, &a->o, oflags))
        return 1;
    if (state_cli_lock(&w->lock, w->env, &a->o, op))
        return 1;
    if (!a->dry_run) {
        char *bp = NULL;
        if (state_backup(w->env, &bp) != 0) {
            state_cli_error("Failed to back up the state before changing it", err_msg());
            return 1;
        }
        free(bp);
    }
    if (state_txn_begin(&w->txn, w->env, 0, op) != 0) {
        state_cli_error("Failed to load state", err_msg());
        return 1;
    }
    return 0;
}

static int writer_end(struct writer *w, int ok, int dry_run)
{
    int rc = ok ? 0 : 1;
    if (w->txn) {
        if (ok && !dry_run) {
            if (state_commit(w->txn) != 0) {
                state_cli_error("Failed to persist state", err_msg());
                rc = 1;
            }
        } else {
            state_abort(w->txn);
        }
    }
    if (w->lock && state_lock_release(w->lock) != 0) {
        fprintf(stderr, "Warning: failed to release the state lock: %s\n", err_msg());
    }
    state_close(w->env);
    return rc;
}

/* Remove the deposed objects (left by a create_before_destroy whose delete
 * did not finish) of the instances matching pattern: they go with their
 * instance, as in Terraform.  How many, or -1 (error said). */
static long rm_deposed(state_txn *txn, const char *pattern)
{
    state_addr pat;
    state_deposed *dv = NULL;
    size_t n = 0;
    long removed = 0;
    if (state_addr_parse(&pat, pattern) != 0)
        return -1;
    if (state_deposed_list(txn, &dv, &n) != 0) {
        state_cli_error("Failed to load state", err_msg());
        removed = -1;
    }
    for (size_t i = 0; removed >= 0 && i < n; i++) {
        state_addr a;
        if (state_addr_parse(&a, dv[i].address) != 0)
            continue;
        int match = state_addr_matches(&pat, &a);
        state_addr_free(&a);
        if (!match)
            continue;
        if (state_deposed_delete(txn, dv[i].address, dv[i].key) != 0) {
            state_cli_error("Failed to remove from state", err_msg());
            removed = -1;
        } else {
            removed++;
        }
    }
    state_deposed_free(dv, n);
    state_addr_free(&pat);
    return removed;
}

static int state_rm_cmd(struct args *a)
{
    if (a->npos == 0) {
        state_cli_error("Invalid number of arguments",
                        "At least one address is required.");
        return 1;
    }
    for (size_t i = 0; i < a->npos; i++) {
        state_addr t;
        if (parse_addr_arg(&t, a->pos[i]))
            return 1;
        state_addr_free(&t);
    }
    struct writer w;
    if (writer_begin(&w, a, "state rm", 0))
        return writer_end(&w, 0, 1);
    size_t removed = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < a->npos; i++) {
        char **v = NULL;
        size_t n = 0;
        long nd = rm_deposed(w.txn, a->pos[i]);
        if (nd < 0 || state_list(w.txn, a->pos[i], &v, &n) != 0) {
            if (nd >= 0)
                state_cli_error("Failed to load state", err_msg());
            ok = 0;
        } else if (n == 0 && nd == 0) {
            state_cli_error("Invalid target address",
                            "No matching objects found. To view the available instances, use "
                            "\"cairn state list\". Please modify the address to reference a "
                            "specific instance.");
            ok = 0;
        }
        for (size_t k = 0; ok && k < n; k++) {
            int rc = state_delete(w.txn, v[k]);
            if (rc == CAIRN_ENOTFOUND)
                continue;   /* named twice on the command line */
            if (rc != 0) {
                state_cli_error("Failed to remove from state", err_msg());
                ok = 0;
                break;
            }
            printf("%s %s\n", a->dry_run ? "Would remove" : "Removed", v[k]);
            removed++;
        }
        state_strv_free(v, n);
    }
    int rc = writer_end(&w, ok, a->dry_run);
    if (rc == 0 && !a->dry_run)
        printf("Successfully removed %zu resource instance(s).\n", removed);
    return rc;
}

/* The destination of instance ia when module prefix src moves to dst. */
static char *rebase_module(const state_addr *ia, const state_addr *src, const state_addr *dst)
{
    state_addr r;
    memset(&r, 0, sizeof r);
    size_t n = 0;
    for (size_t i = 0; i < dst->nmodules && n < STATE_ADDR_MAX_MODULES; i++)
        r.modules[n++] = dst->modules[i];
    for (size_t i = src->nmodules; i < ia->nmodules && n < STATE_ADDR_MAX_MODULES; i++)
        r.modules[n++] = ia->modules[i];
    if (n - dst->nmodules != ia->nmodules - src->nmodules)
        return NULL;
    r.nmodules = n;
    r.has_resource = 1;
    r.data = ia->data;
    r.type = ia->type;
    r.name = ia->name;
    r.key = ia->key;
    return state_addr_str(&r);
}

static int module_prefix_exact(const state_addr *pfx, const state_addr *ia)
{
    if (pfx->nmodules > ia->nmodules)
        return 0;
    for (size_t i = 0; i < pfx->nmodules; i++) {
        const state_key *a = &pfx->modules[i].key, *b = &ia->modules[i].key;
        if (strcmp(pfx->modules[i].name, ia->modules[i].name) || a->kind != b->kind)
            return 0;
        if ((a->kind == STATE_KEY_INT && a->i != b->i) ||
            (a->kind == STATE_KEY_STR && strcmp(a->s, b->s)))
            return 0;
    }
    return 1;
}

/* Plan the (src, dst) pairs of one `state mv`; prints the error itself. */
static int plan_moves(state_txn *x, const state_addr *s, const state_addr *d, const char *src,
                      const char *dst, char ***from, char ***to, size_t *n)
{
    char **all = NULL;
    size_t nall = 0;
    *from = *to = NULL;
    *n = 0;
    if (s->has_resource != d->has_resource) {
        state_cli_error("Invalid state move request",
                        "Cannot move between a module and a resource: both addresses must "
                        "name modules, or both resources or resource instances.");
        return 1;
    }
    if (state_list(x, NULL, &all, &nall) != 0) {
        state_cli_error("Failed to load state", err_msg());
        return 1;
    }
    *from = xcalloc(nall + 1, sizeof **from);
    *to = xcalloc(nall + 1, sizeof **to);
    int whole = s->has_resource && s->key.kind == STATE_KEY_NONE &&
                d->key.kind == STATE_KEY_NONE;
    for (size_t i = 0; i < nall; i++) {
        state_addr ia;
        if (state_addr_parse(&ia, all[i]) != 0)
            continue;
        char *target = NULL;
        if (!s->has_resource) {
            if (module_prefix_exact(s, &ia))
                target = rebase_module(&ia, s, d);
        } else if (state_addr_matches(s, &ia) && module_prefix_exact(s, &ia) &&
                   ia.nmodules == s->nmodules) {
            int exact = s->key.kind == ia.key.kind &&
                        (s->key.kind != STATE_KEY_INT || s->key.i == ia.key.i) &&
                        (s->key.kind != STATE_KEY_STR || !strcmp(s->key.s, ia.key.s));
            if (whole) {
                state_addr r = *d;
                r.key = ia.key;
                target = state_addr_str(&r);
            } else if (exact) {
                target = state_addr_str(d);
            }
        }
        if (target) {
            (*from)[*n] = xstrdup(all[i]);
            (*to)[*n] = target;
            (*n)++;
        }
        state_addr_free(&ia);
    }
    state_strv_free(all, nall);
    if (*n == 0) {
        char *det = xasprintf("Cannot move %s: does not match anything in the current state.",
                              src);
        state_cli_error("Invalid source address", det);
        free(det);
        return 1;
    }
    (void)dst;
    return 0;
}

static int state_mv_cmd(struct args *a)
{
    if (a->npos != 2) {
        state_cli_error("Invalid number of arguments",
                        "Exactly two arguments expected: the source and destination addresses.");
        return 1;
    }
    state_addr s, d;
    if (parse_addr_arg(&s, a->pos[0]))
        return 1;
    if (parse_addr_arg(&d, a->pos[1])) {
        state_addr_free(&s);
        return 1;
    }
    struct writer w;
    char **from = NULL, **to = NULL;
    size_t n = 0, moved = 0;
    int ok = 0;
    if (writer_begin(&w, a, "state mv", 0))
        goto out;
    if (plan_moves(w.txn, &s, &d, a->pos[0], a->pos[1], &from, &to, &n))
        goto out;
    ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (!a->dry_run && state_move(w.txn, from[i], to[i]) != 0) {
            const char *m = err_msg();
            if (strstr(m, "Invalid target address: "))
                state_cli_error("Invalid target address", m + strlen("Invalid target address: "));
            else
                state_cli_error("Invalid state move request", m);
            ok = 0;
            break;
        }
        printf("%s \"%s\" to \"%s\"\n", a->dry_run ? "Would move" : "Move", from[i], to[i]);
        moved++;
    }
out:
    state_addr_free(&s);
    state_addr_free(&d);
    state_strv_free(from, n);
    state_strv_free(to, n);
    int rc = writer_end(&w, ok, a->dry_run);
    if (rc == 0 && !a->dry_run)
        printf("Successfully moved %zu object(s).\n", moved);
    return rc;
}

/* ---------------------------------------------------------------- history */

static int history_one(const state_history_entry *e, void *p)
{
    (void)p;
    char when[32];
    time_t t = (time_t)e->time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("serial %llu  %s  %s@%s  %s\n", (unsigned long long)e->serial, when, e->user,
           e->host, e->operation);
    for (size_t i = 0; i < e->nchanges; i++)
        printf("  %-12s %s\n", e->changes[i].action, e->changes[i].address);
    return 0;
}

static int state_history_cmd(struct args *a)
{
    if (a->npos > 1) {
        state_cli_error("Invalid number of arguments", "At most one address is accepted.");
        return 1;
    }
    if (a->npos == 1) {
        state_addr t;
        if (parse_addr_arg(&t, a->pos[0]))
            return 1;
        state_addr_free(&t);
    }
    state_env *env = NULL;
    state_txn *x = NULL;
    if (state_cli_open(&env, &a->o, 0))
        return 1;
    int rc = state_txn_begin(&x, env, STATE_TXN_RDONLY, NULL);
    if (rc == 0)
        rc = state_history_each(x, a->npos ? a->pos[0] : NULL, history_one, NULL);
    if (rc != 0)
        state_cli_error("Failed to load state", err_msg());
    state_abort(x);
    state_close(env);
    return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- pull/push */

static int state_pull_cmd(struct args *a)
{
    state_env *env = NULL;
    state_txn *x = NULL;
    char *out = NULL;
    if (state_cli_open(&env, &a->o, 0))
        return 1;
    int rc = state_txn_begin(&x, env, STATE_TXN_RDONLY, NULL);
    if (rc == 0)
        rc = state_tfstate_export(x, &out);
    state_abort(x);
    state_close(env);
    if (rc != 0) {
        state_cli_error("Failed to load state", err_msg());
        return 1;
    }
    fputs(out, stdout);
    free(out);
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        err_set(CAIRN_EIO, "open %s: %s", path, strerror(errno));
        return NULL;
    }
    strbuf b = {.cap = STATE_TFSTATE_MAX_SIZE};
    char buf[65536];
    for (size_t n = fread(buf, 1, sizeof buf, f); n > 0; n = fread(buf, 1, sizeof buf, f))
        sb_append(&b, buf, n);
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err || b.failed) {
        sb_free(&b);
        err_set(CAIRN_EIO, "read %s: %s", path, err ? "I/O error" : "file too large");
        return NULL;
    }
    *len = b.len;
    return sb_take(&b);
}

static int state_push_cmd(struct args *a)
{
    if (a->npos != 1) {
        state_cli_error("Invalid number of arguments",
                        "Exactly one argument expected: the path to a Terraform state file.");
        return 1;
    }
    size_t len = 0;
    char *text = read_all(a->pos[0], &len);
    if (!text) {
        fprintf(stderr, "Error reading source state \"%s\": %s\n", a->pos[0], err_msg());
        return 1;
    }
    if (state_tfstate_validate(text, len) != 0) {
        fprintf(stderr, "%s\n", err_msg());
        free(text);
        return 1;
    }
    struct writer w;
    int ok = 0;
    if (writer_begin(&w, a, "state push", STATE_CREATE) == 0) {
        if (state_tfstate_import(w.txn, text, len, a->force) != 0)
            fprintf(stderr, "%s\n", err_msg());
        else
            ok = 1;
    }
    free(text);
    return writer_end(&w, ok, 0);
}

static int state_backup_cmd(struct args *a)
{
    state_env *env = NULL;
    char *path = NULL;
    if (state_cli_open(&env, &a->o, 0))
        return 1;
    int rc = state_backup(env, &path);
    state_close(env);
    if (rc != 0) {
        state_cli_error("Failed to back up the state", err_msg());
        return 1;
    }
    printf("State backed up to %s\n", path);
    free(path);
    return 0;
}

/* ---------------------------------------------------------------- dispatch */

static void state_usage(FILE *out)
{
    fprintf(out,
            "Usage: cairn [global options] state <subcommand> [options] [args]\n\n"
            "  This command has subcommands for advanced state management.\n\n"
            "Subcommands:\n"
            "    backup     Copy the state store to .cairn/backups/\n"
            "    history    Show the change history of the state\n"
            "    list       List resources in the state\n"
            "    mv         Move an item in the state\n"
            "    pull       Pull current state and output to stdout\n"
            "    push       Update remote state from a local state file\n"
            "    rm         Remove instances from the state\n"
            "    show       Show a resource in the state\n\n"
            "Options: -state-dir=DIR  -lock=false  -lock-timeout=DURATION\n");
}

int cmd_state(int argc, char **argv)
{
    static const struct {
        const char *name, *flags;
        int (*fn)(struct args *);
    } subs[] = {
        {"list", "id", state_list_cmd},     {"show", "", state_show_cmd},
        {"mv", "dry-run", state_mv_cmd},    {"rm", "dry-run", state_rm_cmd},
        {"history", "", state_history_cmd}, {"pull", "", state_pull_cmd},
        {"push", "force", state_push_cmd},  {"backup", "", state_backup_cmd},
    };
    if (argc < 2 || !strcmp(argv[1], "-help") || !strcmp(argv[1], "-h")) {
        state_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(subs[i].name, argv[1]))
            continue;
        struct args a;
        int rc = parse_args(&a, argc - 1, argv + 1, subs[i].flags);
        if (rc == 0)
            rc = subs[i].fn(&a);
        free(a.pos);
        return rc;
    }
    fprintf(stderr, "Error: unknown state subcommand \"%s\"\n\n", argv[1]);
    state_usage(stderr);
    return 1;
}
