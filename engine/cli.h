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

/* Whether colour should be used on this stream (terminal, no -no-color,
 * NO_COLOR unset). */
int cli_use_color(FILE *stream);
/* Set by -no-color anywhere on the command line. */
extern int cli_no_color;

#endif
