/*
 * engine/cli.h — the `cairn` command line: one function per verb.
 *
 * Each cmd_* gets argv with argv[0] = the verb and returns the process exit
 * status (0 success, 1 error; plan -detailed-exitcode may return 2).  Each
 * lives in its own engine/cmd_<verb>.c.  Output conventions: results on
 * stdout, diagnostics on stderr, colour only when the stream is a terminal
 * and -no-color was not given.
 */
#ifndef CAIRN_CLI_H
#define CAIRN_CLI_H

#include <stdio.h>

#include "engine/plan.h"
#include "engine/vars.h"
#include "state/cli.h"

#define CAIRN_VERSION "0.1.0"

int cmd_version(int argc, char **argv);
int cmd_parse(int argc, char **argv);     /* cairn parse -json FILE... */
int cmd_fmt(int argc, char **argv);       /* cairn fmt [-check] [-diff] [-recursive] [PATH] */
int cmd_console(int argc, char **argv);   /* cairn console */
int cmd_state(int argc, char **argv);     /* cairn state list|show|mv|rm|history|pull|push|backup */
int cmd_workspace(int argc, char **argv); /* cairn workspace new|select|list|show|delete */
int cmd_force_unlock(int argc, char **argv); /* cairn force-unlock [-force] LOCK_ID */
int cmd_plan(int argc, char **argv);      /* cairn plan [options] (engine/cmd_run.c) */
int cmd_apply(int argc, char **argv);     /* cairn apply [options] [PLANFILE] */
int cmd_destroy(int argc, char **argv);   /* cairn destroy [options] */
int cmd_output(int argc, char **argv);    /* cairn output [-json] [-raw] [NAME] */
int cmd_init(int argc, char **argv);      /* cairn init */
int cmd_validate(int argc, char **argv);  /* cairn validate [-json] */
int cmd_providers(int argc, char **argv); /* cairn providers */
int cmd_graph(int argc, char **argv);     /* cairn graph [-type=plan|apply|destroy] */
int cmd_import(int argc, char **argv);    /* cairn import [options] ADDRESS ID */
int cmd_show(int argc, char **argv);      /* cairn show [-json] [PLANFILE] */

/* One instance of the state as `cairn show` prints it (and so `cairn state
 * show`, as Terraform's): "# ADDR:" (with " (tainted)"), then its
 * `resource "TYPE" "NAME" {` block with attributes sorted and aligned, map
 * keys quoted, nested blocks drawn as blocks from the provider's schema
 * when reg (may be NULL) loads its plugin, sensitive values as
 * "(sensitive value)".  inst borrowed.  Returns 0, or CAIRN_ECORRUPT when
 * the address or the stored attributes do not decode (nothing written). */
int cli_show_instance(FILE *out, plugin_registry *reg, const char *addr,
                      const state_instance *inst);

/* Whether colour should be used on this stream (terminal, no -no-color,
 * NO_COLOR unset). */
int cli_use_color(FILE *stream);
/* Set by -no-color anywhere on the command line. */
extern int cli_no_color;

/* What graph, import and show share with plan (engine/cmd_import.c): the
 * configuration in ".", root variable values, the locked state store, the
 * plugin registry, the provider cache and a plan.  cli_session_init first;
 * cli_session_free releases whatever was made, at any point.  Each step
 * returns 0, or -1 after printing why. */
typedef struct cli_session {
    state_cli_opts so;          /* -state-dir, -lock, -lock-timeout */
    char **ordered;             /* -var / -var-file: "var:..." / "file:..." (owned) */
    size_t nordered;
    int input;                  /* -input (default 1) */
    diag_list d;                /* printed by cli_session_diags and at free */
    vars_srcs srcs;
    cfg_module *cfg;
    val *vars;
    state_env *env;
    state_lock *lock;
    plugin_registry *reg;
    plan_providers *pp;
    plan *p;
} cli_session;

void cli_session_init(cli_session *s);
/* argv[*i] is -var, -var-file (their value may be the next argument: *i
 * moves past it), -input, -state-dir, -lock or -lock-timeout: 1; another
 * argument: 0; a bad value: -1 after printing why. */
int cli_session_flag(cli_session *s, int argc, char **argv, int *i);
/* Load the configuration in ".". */
int cli_session_load(cli_session *s);
/* Collect variables, open the store (creating it), lock it for operation
 * (unless -lock=false), make the registry and provider cache. */
int cli_session_open(cli_session *s, const char *operation);
/* plan_make into s->p with po's cfg, vars, plugins and env set from s
 * (the caller sets the rest).  Diagnostics stay in s->d for the caller. */
int cli_session_plan(cli_session *s, plan_opts *po);
/* Print the collected diagnostics to stderr and drop them. */
void cli_session_diags(cli_session *s);
void cli_session_free(cli_session *s);

#endif
