/* engine/cmd_fmt.c — `cairn fmt` (placeholder until the language work lands). */
#include "engine/cli.h"

int cmd_fmt(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "Error: \"cairn %s\" is not implemented yet.\n", argv[0]);
    return 1;
}
