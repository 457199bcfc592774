/* engine/cmd_parse.c — `cairn parse` (placeholder until the language work lands). */
#include "engine/cli.h"

int cmd_parse(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "Error: \"cairn %s\" is not implemented yet.\n", argv[0]);
    return 1;
}
