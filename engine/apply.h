/*
 * engine/apply.h — carrying out a plan: a worker pool over the planned
 * changes in dependency order, highest critical path first.
 *
 * Each ready change is prepared on the scheduler thread (its configuration
 * re-evaluated with the values its dependencies now have, so what was
 * "(known after apply)" is known) and handed to a worker, which makes the
 * provider call and commits the outcome to state in its own transaction,
 * through the intent journal for creates and deletes.  A failed change
 * skips everything that depends on it; independent work goes on.
 *
 * Signals: *stop non-zero stops scheduling (in-flight changes finish and
 * are recorded); *cancel non-zero is passed to providers so waits end
 * early (their intents stay open for the next plan to reconcile).
 */
#ifndef CAIRN_APPLY_H
#define CAIRN_APPLY_H

#include "engine/plan.h"

#include <stdio.h>

#define APPLY_MAX_PARALLELISM 256
/* Most operations in flight at once, waiting ones included (one worker
 * thread each, started as needed): -parallelism bounds only those making
 * calls (prov_call.waiting). */
#define APPLY_MAX_IN_FLIGHT 1024
#define APPLY_PROGRESS_SECONDS 10   /* "Still creating... [10s elapsed]" */

typedef struct apply_opts {
    plan *p;                      /* borrowed; its values are updated */
    const cfg_module *cfg;
    const val *vars;
    plan_providers *providers;    /* configured by plan_make */
    state_env *env;
    int parallelism;
    const volatile int *stop, *cancel;
    FILE *out;                    /* progress lines */
    int color;
} apply_opts;

typedef struct apply_result {
    int added, changed, destroyed;
    int failed, skipped;
} apply_result;

/* Apply o->p.  Returns 0 when every change succeeded; CAIRN_EDIAG with a
 * diagnostic per failed change otherwise (CAIRN_ECANCEL when stopped). */
int apply_run(const apply_opts *o, apply_result *res, diag_list *diags);

/* Evaluate the root module's outputs with the applied values and store
 * them in state (one transaction); print them to out unless NULL. */
int apply_outputs(const apply_opts *o, diag_list *diags);

#endif
