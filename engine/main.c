/*
 * engine/main.c — `cairn` entry point: global options, then dispatch to the
 * verb's cmd_* function (engine/cli.h).
 *
 * Before anything else main runs again with glibc's heap on huge pages
 * (engine/heap.h).
 */
#include "engine/cli.h"
#include "engine/heap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_no_color;

int cli_use_color(FILE *stream)
{
    if (cli_no_color || getenv("NO_COLOR"))
        return 0;
    return isatty(fileno(stream));
}

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
    {"init", cmd_init, "Prepare your working directory for other commands"},
    {"validate", cmd_validate, "Check whether the configuration is valid"},
    {"plan", cmd_plan, "Show changes required by the current configuration"},
    {"apply", cmd_apply, "Create or update infrastructure"},
    {"destroy", cmd_destroy, "Destroy previously-created infrastructure"},
    {"output", cmd_output, "Show output values from your root module"},
    {"providers", cmd_providers, "Show the providers required for this configuration"},
    {"graph", cmd_graph, "Generate a Graphviz graph of the steps in an operation"},
    {"import", cmd_import, "Associate existing infrastructure with a cairn resource"},
    {"show", cmd_show, "Show the current state or a saved plan"},
    {"console", cmd_console, "Try cairn expressions at an interactive command prompt"},
    {"fmt", cmd_fmt, "Reformat your configuration in the standard style"},
    {"force-unlock", cmd_force_unlock, "Release a stuck lock on the current workspace"},
    {"parse", cmd_parse, "Print configuration syntax as JSON (hcl2json's shape)"},
    {"state", cmd_state, "Advanced state management"},
    {"version", cmd_version, "Show the current cairn version"},
    {"workspace", cmd_workspace, "Workspace management"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("cairn v%s\n", CAIRN_VERSION);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: cairn [global options] <subcommand> [args]\n\n"
                 "The available commands for execution are listed below.\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nGlobal options (use these before the subcommand, if any):\n"
                 "  -chdir=DIR     Switch to a different working directory before executing\n"
                 "                 the given subcommand.\n"
                 "  -help          Show this help output, or the help for a specified\n"
                 "                 subcommand.\n"
                 "  -version       An alias for the \"version\" subcommand.\n");
}

int main(int argc, char **argv)
{
    heap_on_hugepages(argv);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (a[1] == '-')
            a++;
        if (!strncmp(a, "-chdir=", 7)) {
            if (chdir(a + 7) != 0) {
                fprintf(stderr, "Error: Invalid -chdir option: chdir %s: %s\n", a + 7,
                        strerror(errno));
                return 1;
            }
        } else if (!strcmp(a, "-help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-version") || !strcmp(a, "-v")) {
            return cmd_version(0, NULL);
        } else {
            fprintf(stderr, "Error: unknown global option %s\n\n", argv[i]);
            usage(stderr);
            return 1;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 1;
    }
    for (int j = i + 1; j < argc; j++)
        if (!strcmp(argv[j], "-no-color"))
            cli_no_color = 1;
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (!strcmp(commands[c].name, argv[i]))
            return commands[c].fn(argc - i, argv + i);
    fprintf(stderr, "Error: cairn has no command named \"%s\".\n\n", argv[i]);
    usage(stderr);
    return 1;
}
