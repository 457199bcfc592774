/*
 * state/cli.c — shared command-line plumbing for state-touching commands
 * (see state/cli.h).
 */
#include "state/cli.h"
#include "lang/diag.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void state_cli_init(state_cli_opts *o)
{
    o->dir = NULL;
    o->lock = 1;
    o->lock_timeout_ms = 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "t") || !strcmp(v, "T") ||
        !strcmp(v, "TRUE") || !strcmp(v, "True"))
        *out = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "f") || !strcmp(v, "F") ||
             !strcmp(v, "FALSE") || !strcmp(v, "False"))
        *out = 0;
    else
        return -1;
    return 0;
}

int state_cli_flag(state_cli_opts *o, const char *arg)
{
    const char *a = arg;
    if (a[0] == '-' && a[1] == '-')
        a++;
    if (!strncmp(a, "-state-dir=", 11)) {
        if (!a[11]) {
            state_cli_error("Invalid -state-dir option", "The directory must not be empty.");
            return -1;
        }
        o->dir = a + 11;
        return 1;
    }
    if (!strcmp(a, "-lock")) {
        o->lock = 1;
        return 1;
    }
    if (!strncmp(a, "-lock=", 6)) {
        if (parse_bool(a + 6, &o->lock) != 0) {
            fprintf(stderr, "invalid boolean value \"%s\" for -lock\n", a + 6);
            return -1;
        }
        return 1;
    }
    if (!strncmp(a, "-lock-timeout=", 14)) {
        if (state_duration_parse(a + 14, &o->lock_timeout_ms) != 0) {
            fprintf(stderr, "invalid value \"%s\" for flag -lock-timeout: %s\n", a + 14,
                    err_msg());
            return -1;
        }
        return 1;
    }
    return 0;
}

void state_cli_error(const char *summary, const char *detail)
{
    fprintf(stderr, "\nError: %s\n", summary);
    if (detail && *detail)
        fprintf(stderr, "\n%s\n", detail);
    fputc('\n', stderr);
}

int state_cli_open(state_env **out, const state_cli_opts *o, unsigned flags)
{
    int rc = state_open(out, o->dir, flags);
    if (rc == 0)
        return 0;
    if (rc == CAIRN_ENOTFOUND)
        state_cli_error("No state file was found!",
                        "State management commands require a state file. Run this command "
                        "in a directory where cairn has been run or use the -state-dir flag "
                        "to point the command to a specific state location.");
    else if (rc == CAIRN_ECORRUPT)
        state_cli_error("The state store is damaged", err_msg());
    else if (rc == CAIRN_EVERSION)
        state_cli_error("Unsupported state store format", err_msg());
    else
        state_cli_error("Failed to load state", err_msg());
    return 1;
}

int state_cli_lock(state_lock **out, state_env *env, const state_cli_opts *o,
                   const char *operation)
{
    *out = NULL;
    if (!o->lock) {
        fprintf(stderr, "Warning: locking is disabled (-lock=false); another process may "
                        "write the state at the same time.\n");
        return 0;
    }
    state_lock_info h;
    int rc = state_lock_acquire(out, env, operation, o->lock_timeout_ms, &h);
    if (rc == 0)
        return 0;
    fprintf(stderr, "\nError: Error acquiring the state lock\n\nError message: %s\n", err_msg());
    if (rc == CAIRN_EBUSY && h.id[0]) {
        char when[64] = "";
        time_t t = (time_t)h.since;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
        long held = (long)(time(NULL) - h.since);
        fprintf(stderr, "Lock Info:\n  ID:        %s\n  Path:      %s\n  Operation: %s\n"
                        "  Who:       %s@%s\n  Version:   %s\n  Created:   %s\n"
                        "  Info:      pid %ld, held for %lds\n",
                h.id, h.path, h.operation, h.user, h.host, h.version, when, h.pid,
                held < 0 ? 0 : held);
    }
    fprintf(stderr, "\ncairn acquires a state lock to protect the state from being written\n"
                    "by multiple users at the same time. Please resolve the issue above and "
                    "try\nagain. For most commands, you can disable locking with the "
                    "\"-lock=false\"\nflag, but this is not recommended.\n");
    return 1;
}
