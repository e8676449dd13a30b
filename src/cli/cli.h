/* cli.h - helpers shared by the subcommands of the alinea executable.
 * The CLI includes only libalinea's public headers. */
#ifndef ALINEA_CLI_H
#define ALINEA_CLI_H

#include "alinea.h"

#include <stddef.h>

/* Documented exit codes (README "Exit codes"). */
enum {
    EXIT_OK = 0,
    EXIT_FINDINGS = 1, /* check: a finding at or above --fail-on */
    EXIT_USAGE = 2,    /* usage error, or bad input (unreadable, bad encoding, malformed) */
    EXIT_OUTPUT = 3,   /* output could not be written, or out of memory */
    EXIT_RESOURCE = 4  /* missing linguistic data: hunspell dictionary, dict/ files */
};

typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_segment(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_tmx(int argc, char **argv);

/* A new context whose warnings go to stderr as "alinea: warning: ...";
 * exits with EXIT_OUTPUT when memory runs out. */
alinea_ctx *cli_ctx(void);
/* The exit code for a library status. */
int cli_exit_code(alinea_status st);
/* Print "alinea: MESSAGE" for st (the context's detail, else strerror) and
 * return the exit code. */
int cli_fail(alinea_ctx *ctx, alinea_status st);
/* Print "alinea CMD: MESSAGE" and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...);
/* Handle the options every command takes: --data-dir DIR and --dict-dir DIR.
 * Returns 1 if name was one of them (and applied it), 0 if not, and -1 after
 * printing an error. */
int cli_common_option(alinea_ctx *ctx, const char *cmd, const char *name, const char *value);
/* Split "LANG:PATH" or guess the language from PATH's name. Writes the
 * language into lang (cap bytes) and points *path into arg. Returns 0, or -1
 * after printing a usage error that names the argument. */
int cli_file_lang(const char *cmd, const char *arg, char *lang, size_t cap, const char **path);

/* When output (the path given to option, e.g. "-o") names input (a path the
 * command reads, including files given through options), print a usage error
 * and return 1; otherwise 0. "-" and NULL never clash. */
int cli_refuse_clobber(const char *cmd, const char *option, const char *output,
                       const char *input);

#endif
