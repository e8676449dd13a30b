/* cmd_tmx.c - STUB: alinea tmx */
#include "cli.h"

#include <stdio.h>

int cmd_tmx(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "alinea tmx: not implemented yet\n");
    return EXIT_USAGE;
}
