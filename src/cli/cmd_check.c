/* cmd_check.c - STUB: alinea check */
#include "cli.h"

#include <stdio.h>

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "alinea check: not implemented yet\n");
    return EXIT_USAGE;
}
