/*
 * engine/cmd_workspace.c — `cairn workspace new|select|list|show|delete`.
 * Each workspace keeps its own instances, outputs, history, serial and
 * lineage in the one store; `default` always exists.  Wording follows
 * Terraform's.
 */
#include "engine/cli.h"
#include "lang/diag.h"
#include "state/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ws_usage(FILE *out)
{
    fprintf(out, "Usage: cairn [global options] workspace <subcommand> [options] [args]\n\n"
                 "  new, select, list, show, delete\n"
                 "Options: -state-dir=DIR  -lock=false  -lock-timeout=DURATION\n");
}

int cmd_workspace(int argc, char **argv)
{
    if (argc < 2) {
        ws_usage(stderr);
        return 1;
    }
    const char *sub = argv[1];
    state_cli_opts o;
    state_cli_init(&o);
    int force = 0, or_create = 0;
    const char *name = NULL;
    for (int i = 2; i < argc; i++) {
        int r = state_cli_flag(&o, argv[i]);
        if (r < 0)
            return 1;
        if (r > 0)
            continue;
        if (!strcmp(argv[i], "-force"))
            force = 1;
        else if (!strcmp(argv[i], "-or-create") || !strcmp(argv[i], "-or-create=true"))
            or_create = 1;
        else if (!strcmp(argv[i], "-no-color"))
            ;
        else if (argv[i][0] == '-' || name) {
            fprintf(stderr, "flag provided but not defined: %s\n", argv[i]);
            return 1;
        } else
            name = argv[i];
    }
    int needs_name = !strcmp(sub, "new") || !strcmp(sub, "select") || !strcmp(sub, "delete");
    if (needs_name && !name) {
        state_cli_error("Expected a single argument", "Expected a single argument: NAME.");
        return 1;
    }
    if (!needs_name && strcmp(sub, "list") && strcmp(sub, "show")) {
        fprintf(stderr, "Error: unknown workspace subcommand \"%s\"\n\n", sub);
        ws_usage(stderr);
        return 1;
    }
    state_env *env = NULL;
    if (state_cli_open(&env, &o, STATE_CREATE))
        return 1;
    int rc = 0;
    if (!strcmp(sub, "show")) {
        printf("%s\n", state_workspace_name(env));
    } else if (!strcmp(sub, "list")) {
        char **v = NULL;
        size_t n = 0;
        rc = state_workspace_list(env, &v, &n);
        for (size_t i = 0; rc == 0 && i < n; i++)
            printf("%s %s\n", strcmp(v[i], state_workspace_name(env)) ? " " : "*", v[i]);
        if (rc == 0)
            putchar('\n');
        state_strv_free(v, n);
        if (rc != 0)
            state_cli_error("Failed to list workspaces", err_msg());
    } else if (!strcmp(sub, "new")) {
        rc = state_workspace_create(env, name);
        if (rc == 0)
            rc = state_workspace_select(env, name);
        if (rc != 0)
            fprintf(stderr, "%s\n", err_msg());
        else
            printf("Created and switched to workspace \"%s\"!\n\nYou're now on a new, empty "
                   "workspace. Workspaces isolate their state,\nso if you run \"cairn plan\" "
                   "cairn will not see any existing state\nfor this configuration.\n", name);
    } else if (!strcmp(sub, "select")) {
        if (!strcmp(name, state_workspace_name(env))) {
            printf("You're already on workspace \"%s\".\n", name);
        } else {
            rc = state_workspace_select(env, name);
            if (rc == CAIRN_ENOTFOUND && or_create) {
                rc = state_workspace_create(env, name);
                if (rc == 0)
                    rc = state_workspace_select(env, name);
            }
            if (rc == CAIRN_ENOTFOUND)
                fprintf(stderr, "\nWorkspace \"%s\" doesn't exist.\n\nYou can create this "
                                "workspace with the \"new\" subcommand\nor include the "
                                "\"-or-create\" flag with the \"select\" subcommand.\n", name);
            else if (rc != 0)
                fprintf(stderr, "%s\n", err_msg());
            else
                printf("Switched to workspace \"%s\".\n", name);
        }
    } else {
        state_lock *lk = NULL;
        rc = state_cli_lock(&lk, env, &o, "workspace delete") ? CAIRN_EBUSY : 0;
        if (rc == 0) {
            rc = state_workspace_delete(env, name, force);
            if (rc != 0)
                fprintf(stderr, "\n%s\n", err_msg());
            else
                printf("Deleted workspace \"%s\"!\n", name);
            state_lock_release(lk);
        }
    }
    state_close(env);
    return rc ? 1 : 0;
}
