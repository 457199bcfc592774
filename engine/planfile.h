/*
 * engine/planfile.h — saved plans (`cairn plan -out=FILE`, `cairn apply
 * FILE`).
 *
 * A plan file is JSON (format "cairn-plan", version PLANFILE_VERSION):
 * the configuration digest, the state lineage and serial the plan was made
 * against, the plan's options (-destroy, -refresh-only, -target,
 * -replace), the root input variable values, and every planned change
 * (address and action).  Applying it re-plans with the saved inputs and
 * refuses to go on unless the configuration, the state (lineage and
 * serial) and the resulting changes are exactly those saved: a stale plan
 * is an error, never a surprise.  Plan files hold variable values,
 * sensitive ones included, so they are written 0600.
 */
#ifndef CAIRN_PLANFILE_H
#define CAIRN_PLANFILE_H

#include "engine/plan.h"

#define PLANFILE_VERSION 1
#define PLANFILE_MAX_SIZE (256u << 20)

typedef struct planfile {
    char *digest, *lineage;
    uint64_t serial;
    int destroy, refresh_only;
    char **targets, **replace;
    size_t ntargets, nreplace;
    char **vars;                /* "var:NAME=TEXT" entries (vars_opts.ordered) */
    size_t nvars;
    char **addrs;               /* planned changes, in plan order */
    int *actions;
    size_t n;
} planfile;

/* Write plan p (made from cfg with root variable values vars and the
 * given -target / -replace lists) to path, atomically, mode 0600.
 * Returns 0 or a negative code with the last error set. */
int planfile_write(const char *path, const plan *p, const cfg_module *cfg, const val *vars,
                   char **targets, size_t ntargets, char **replace, size_t nreplace);
/* Read path.  *out owned (planfile_free).  A missing, truncated or foreign
 * file is CAIRN_EIO / CAIRN_ECORRUPT / CAIRN_EVERSION with a message. */
int planfile_read(const char *path, planfile **out);
void planfile_free(planfile *f);
/* Compare a fresh plan with the saved one: 0, or CAIRN_EDIAG after an
 * error diagnostic ("Saved plan is stale", "Saved plan does not match the
 * configuration"). */
int planfile_check(const planfile *f, const plan *p, diag_list *d);

#endif
