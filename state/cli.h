/*
 * state/cli.h — what every state-touching command shares: the flags
 * -state-dir=DIR, -lock=BOOL and -lock-timeout=DURATION, opening the store,
 * taking the lock with Terraform's failure message, and printing errors.
 * Used by engine/cmd_state.c, cmd_workspace.c, cmd_force_unlock.c, and
 * meant for plan/apply/destroy/import/refresh too.
 */
#ifndef CAIRN_STATE_CLI_H
#define CAIRN_STATE_CLI_H

#include "state/state.h"

typedef struct state_cli_opts {
    const char *dir;             /* -state-dir (NULL: STATE_DIR_DEFAULT) */
    int lock;                    /* -lock (default 1) */
    int64_t lock_timeout_ms;     /* -lock-timeout (default 0) */
} state_cli_opts;

/* Defaults: dir NULL, lock on, timeout 0. */
void state_cli_init(state_cli_opts *o);
/* If arg is one of the common flags, apply it and return 1; 0 if it is not
 * one; -1 (message printed) if it is one with a bad value. */
int state_cli_flag(state_cli_opts *o, const char *arg);
/* Print "Error: summary" and, if detail is non-NULL, a blank line and the
 * detail, to stderr. */
void state_cli_error(const char *summary, const char *detail);
/* Open the store (flags as state_open); on failure print what happened and
 * how to fix it, return non-zero. */
int state_cli_open(state_env **out, const state_cli_opts *o, unsigned flags);
/* Take the lock for operation unless -lock=false (then warn and set *out
 * NULL).  On failure print Terraform's "Error acquiring the state lock"
 * block with the holder's info and return non-zero. */
int state_cli_lock(state_lock **out, state_env *env, const state_cli_opts *o,
                   const char *operation);

#endif
