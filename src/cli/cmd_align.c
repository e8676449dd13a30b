/* cmd_align.c - STUB: alinea align */
#include "cli.h"

#include <stdio.h>

int cmd_align(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "alinea align: not implemented yet\n");
    return EXIT_USAGE;
}
