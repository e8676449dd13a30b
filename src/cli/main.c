/* main.c - the alinea executable: a table of subcommands over libalinea. */
#include "alinea.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} commands[] = {
    {"segment", cmd_segment, "split text into sentences, one per line"},
    {"align", cmd_align, "align a French text with its translations (TMX, TSV, links)"},
    {"check", cmd_check, "QA-check segment pairs in a TMX or TSV file"},
    {"tmx", cmd_tmx, "TMX toolbox: stats, validate, convert, merge, filter"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: alinea COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'alinea COMMAND --help' for a command's options.\n"
               "Exit codes: 0 ok, 1 findings (check), 2 usage or input error,\n"
               "3 output error, 4 missing dictionary or data.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("alinea %s\n", alinea_version());
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "alinea: '%s' is not a command\n\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
