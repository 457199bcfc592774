/*
 * engine/cmd_force_unlock.c — `cairn force-unlock [-force] LOCK_ID`: clear a
 * lock-info record left by a holder that is gone.  The fcntl lock itself
 * dies with its holder, so this refuses while a live process still holds
 * it, unless -force (which clears only the record).
 */
#include "engine/cli.h"
#include "lang/diag.h"
#include "state/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_force_unlock(int argc, char **argv)
{
    state_cli_opts o;
    state_cli_init(&o);
    int force = 0;
    const char *id = NULL;
    for (int i = 1; i < argc; i++) {
        int r = state_cli_flag(&o, argv[i]);
        if (r < 0)
            return 1;
        if (r > 0)
            continue;
        if (!strcmp(argv[i], "-force"))
            force = 1;
        else if (!strcmp(argv[i], "-no-color"))
            ;
        else if (argv[i][0] == '-' || id) {
            fprintf(stderr, "flag provided but not defined: %s\n", argv[i]);
            return 1;
        } else
            id = argv[i];
    }
    if (!id) {
        state_cli_error("Expected a single argument", "Expected a single argument: LOCK_ID.");
        return 1;
    }
    state_env *env = NULL;
    if (state_cli_open(&env, &o, 0))
        return 1;
    int rc = state_force_unlock(env, id, force);
    state_close(env);
    if (rc != 0) {
        fprintf(stderr, "Failed to unlock state: %s\n", err_msg());
        return 1;
    }
    printf("cairn state has been successfully unlocked!\n\nThe state has been unlocked, and "
           "cairn commands should now be able to\nobtain a new lock on the state.\n");
    return 0;
}
