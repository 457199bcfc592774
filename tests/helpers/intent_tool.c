/*
 * tests/helpers/intent_tool.c — opens and lists intents in a state store,
 * so the crash suite can stage what a run killed mid-create leaves behind.
 *
 *   intent_tool open DIR ADDR create|delete TOKEN   record an open intent
 *   intent_tool list DIR                            print "ADDR ACTION TOKEN"
 */
#include "lang/diag.h"
#include "state/state.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    state_env *env;
    if (argc < 3 || state_open(&env, argv[2], STATE_CREATE) < 0) {
        fprintf(stderr, "usage: intent_tool open|list DIR ...: %s\n", err_msg());
        return 2;
    }
    int rc = 0;
    if (!strcmp(argv[1], "open") && argc == 6) {
        enum state_intent_action a = strcmp(argv[4], "delete") == 0 ? STATE_INTENT_DELETE
                                                                     : STATE_INTENT_CREATE;
        rc = state_intent_open(env, argv[3], a, argv[5], "intent_tool");
    } else if (!strcmp(argv[1], "list")) {
        state_txn *txn;
        state_intent *v = NULL;
        size_t n = 0;
        rc = state_txn_begin(&txn, env, STATE_TXN_RDONLY, NULL);
        if (rc == 0) {
            rc = state_intent_list(txn, &v, &n);
            state_abort(txn);
        }
        for (size_t i = 0; rc == 0 && i < n; i++)
            printf("%s %s %s\n", v[i].address,
                   v[i].action == STATE_INTENT_CREATE ? "create" : "delete", v[i].token);
        state_intents_free(v, n);
    } else {
        rc = -1;
    }
    if (rc < 0)
        fprintf(stderr, "intent_tool: %s\n", err_msg());
    state_close(env);
    return rc < 0 ? 1 : 0;
}
