/* common.c - helpers shared by the subcommands. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <unistd.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn_to_stderr(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "alinea: warning: %s\n", msg);
}

alinea_ctx *cli_ctx(void)
{
    alinea_ctx *ctx = NULL;
    if (alinea_ctx_new(&ctx) != ALINEA_OK) {
        fprintf(stderr, "alinea: out of memory\n");
        exit(EXIT_OUTPUT);
    }
    alinea_ctx_set_warning_handler(ctx, warn_to_stderr, NULL);
    return ctx;
}

int cli_exit_code(alinea_status st)
{
    switch (st) {
    case ALINEA_OK: return EXIT_OK;
    case ALINEA_ERR_NOMEM: return EXIT_OUTPUT;
    case ALINEA_ERR_RESOURCE: return EXIT_RESOURCE;
    case ALINEA_ERR_IO: return EXIT_USAGE; /* commands map output failures themselves */
    default: return EXIT_USAGE;
    }
}

int cli_fail(alinea_ctx *ctx, alinea_status st)
{
    const char *msg = ctx ? alinea_ctx_errmsg(ctx) : "";
    fprintf(stderr, "alinea: %s\n", *msg ? msg : alinea_strerror(st));
    return cli_exit_code(st);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "alinea %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'alinea %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_common_option(alinea_ctx *ctx, const char *cmd, const char *name, const char *value)
{
    alinea_status st;
    if (strcmp(name, "data-dir") == 0)
        st = alinea_ctx_set_data_dir(ctx, value);
    else if (strcmp(name, "dict-dir") == 0)
        st = alinea_ctx_set_hunspell_dir(ctx, value);
    else
        return 0;
    if (st != ALINEA_OK) {
        cli_usage_error(cmd, "--%s: %s", name, alinea_ctx_errmsg(ctx));
        return -1;
    }
    return 1;
}

int cli_file_lang(const char *cmd, const char *arg, char *lang, size_t cap, const char **path)
{
    /* "LANG:PATH": a language tag before the first colon, with no slash in it. */
    const char *colon = strchr(arg, ':');
    if (colon && colon > arg && colon - arg < 16 && memchr(arg, '/', (size_t)(colon - arg)) == NULL) {
        char tag[16];
        snprintf(tag, sizeof tag, "%.*s", (int)(colon - arg), arg);
        if (alinea_lang_normalize(tag, lang, cap) == ALINEA_OK) {
            *path = colon + 1;
            return 0;
        }
    }
    *path = arg;
    if (alinea_lang_from_path(arg, lang, cap) == ALINEA_OK)
        return 0;
    if (strcmp(arg, "-") != 0 && access(arg, F_OK) != 0) {
        fprintf(stderr, "alinea: %s: %s\n", arg, strerror(errno));
        return -1;
    }
    cli_usage_error(cmd,
                    "%s: cannot tell the language of this file; name it like 'article.en.txt' "
                    "or 'en.txt', or write LANG:PATH (e.g. en:%s)",
                    arg, arg);
    return -1;
}

int cli_refuse_clobber(const char *cmd, const char *option, const char *output, const char *input)
{
    if (!output || !input || strcmp(output, "-") == 0 || strcmp(input, "-") == 0)
        return 0;
    if (strcmp(output, input) == 0)
        cli_usage_error(cmd, "%s %s would overwrite the input file", option, output);
    else if (alinea_same_file(output, input))
        cli_usage_error(cmd, "%s %s would overwrite the input file %s (the same file)", option,
                        output, input);
    else
        return 0;
    return 1;
}
