/* cmd_segment.c - alinea segment [-l LANG] [--srx FILE] [--format lines|json] [FILE|-] */
#include "alinea.h"
#include "alinea_segment.h"
#include "alinea_text.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf("usage: alinea segment [-l LANG] [--srx FILE] [--paragraphs=auto|blank|line]\n"
           "                      [--format lines|json] [-o OUT] [FILE|-]\n"
           "       alinea segment [-l LANG] --export-srx [-o OUT]\n"
           "Print one sentence per line, with an empty line between paragraphs.\n"
           "  -l, --lang LANG     language of the text (fr, en, nl, de, es, it, pt; default fr)\n"
           "  --srx FILE          segment with the rules of an SRX 2.0 file instead of\n"
           "                      Alinea's own (the file's maps for LANG, cascade as it says)\n"
           "  --export-srx        write Alinea's rules for LANG as an SRX 2.0 file and exit\n"
           "  --paragraphs MODE   blank: paragraphs end at empty lines; line: at every line\n"
           "                      break; auto (default): blank if the text has an empty line\n"
           "  --format FMT        lines (default) or json: UTF-8 byte offsets into the input\n"
           "                      file and the rule that decided each break\n"
           "  --lenient           replace invalid UTF-8 with U+FFFD instead of failing\n"
           "  -o, --output OUT    write to OUT (replaced only when complete)\n"
           "  --data-dir DIR      Alinea's dict/ folder;  --dict-dir DIR  hunspell dictionaries\n");
}

/* JSON string (RFC 8259): quote, backslash and control characters escaped. */
static void json_str(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int is_utf16(const char *path)
{
    if (strcmp(path, "-") == 0)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char b[2] = {0};
    size_t n = fread(b, 1, 2, f);
    fclose(f);
    return n == 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
}

typedef struct printer {
    FILE *f;
    const alinea_segmenter *seg;
    int json;
    size_t count;
    uint32_t last_para;
    const char *lang, *rules, *offsets; /* JSON header */
    int started;
} printer;

/* The JSON header is written with the first segment (or at the end), never
 * before: the library has validated the whole input by then, so an invalid
 * input leaves standard output empty. */
static void json_header(printer *p)
{
    if (!p->json || p->started)
        return;
    p->started = 1;
    fputs("{\"lang\": ", p->f);
    json_str(p->f, p->lang, strlen(p->lang));
    fputs(", \"rules\": ", p->f);
    json_str(p->f, p->rules, strlen(p->rules));
    fprintf(p->f, ", \"offsets\": \"%s\", \"segments\": [", p->offsets);
}

static alinea_status print_seg(void *ud, const alinea_seg *g, const char *bytes)
{
    printer *p = ud;
    size_t len = g->end - g->start;
    if (p->json) {
        json_header(p);
        const char *rule = alinea_segmenter_rule_name(p->seg, g->rule);
        fprintf(p->f, "%s\n  {\"start\": %zu, \"end\": %zu, \"paragraph\": %u, \"break\": ",
                p->count ? "," : "", g->start, g->end, (unsigned)g->paragraph);
        json_str(p->f, rule, strlen(rule));
        fputs(", \"text\": ", p->f);
        json_str(p->f, bytes, len);
        fputc('}', p->f);
    } else {
        if (p->count && g->paragraph != p->last_para)
            fputc('\n', p->f);
        /* A segment never spans a paragraph; line breaks inside one (LF, CR,
         * VT, FF, U+0085 NEL, U+2028 LINE SEPARATOR) become spaces, so that
         * each segment is one line for any line reader. */
        for (size_t k = 0; k < len; k++) {
            unsigned char b = (unsigned char)bytes[k];
            if (b >= '\n' && b <= '\r') {
                fputc(' ', p->f);
            } else if (b == 0xC2 && k + 1 < len && (unsigned char)bytes[k + 1] == 0x85) {
                fputc(' ', p->f);
                k++;
            } else if (b == 0xE2 && k + 2 < len && (unsigned char)bytes[k + 1] == 0x80 &&
                       ((unsigned char)bytes[k + 2] == 0xA8 || (unsigned char)bytes[k + 2] == 0xA9)) {
                fputc(' ', p->f);
                k += 2;
            } else {
                fputc(b, p->f);
            }
        }
        fputc('\n', p->f);
    }
    p->count++;
    p->last_para = g->paragraph;
    return ferror(p->f) ? ALINEA_ERR_IO : ALINEA_OK;
}

/* The option getopt_long stopped at, as the user wrote it: "--name" (without
 * any "=value") for a long option, "-c" for a short one. */
static void bad_option_name(int argc, char **argv, char *buf, size_t cap)
{
    const char *arg = optind >= 1 && optind - 1 < argc ? argv[optind - 1] : NULL;
    if (arg && strncmp(arg, "--", 2) == 0 && arg[2]) {
        size_t n = strcspn(arg, "=");
        snprintf(buf, cap, "%.*s", (int)n, arg);
    } else if (optopt > 0 && optopt < 0x80) {
        snprintf(buf, cap, "-%c", optopt);
    } else {
        snprintf(buf, cap, "%s", arg ? arg : "?");
    }
}

int cmd_segment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},       {"output", required_argument, NULL, 'o'},
        {"paragraphs", required_argument, NULL, 'p'}, {"lenient", no_argument, NULL, 'L'},
        {"srx", required_argument, NULL, 'S'},        {"export-srx", no_argument, NULL, 'E'},
        {"format", required_argument, NULL, 'F'},     {"data-dir", required_argument, NULL, 'D'},
        {"dict-dir", required_argument, NULL, 'H'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    alinea_ctx *ctx = cli_ctx();
    const char *lang = "fr", *output = NULL, *srx = NULL;
    alinea_para_mode mode = ALINEA_PARA_AUTO;
    unsigned flags = 0;
    int rc = EXIT_OK, c, idx, json = 0, export_srx = 0;
    alinea_segmenter *seg = NULL;
    alinea_out *out = NULL;
    alinea_status st;

    char optname[64];
    optind = 1;
    opterr = 0; /* one message of our own for a bad option (see ':' and '?') */
    while ((c = getopt_long(argc, argv, ":l:o:h", opts, &idx)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'o': output = optarg; break;
        case 'L': flags |= ALINEA_TEXT_LENIENT; break;
        case 'S':
            if (!*optarg) { rc = cli_usage_error("segment", "--srx: empty file name"); goto cleanup; }
            srx = optarg;
            break;
        case 'E': export_srx = 1; break;
        case 'F':
            if (strcmp(optarg, "json") == 0) json = 1;
            else if (strcmp(optarg, "lines") == 0) json = 0;
            else { rc = cli_usage_error("segment", "--format: '%s' is not lines or json", optarg); goto cleanup; }
            break;
        case 'p':
            if (strcmp(optarg, "blank") == 0) mode = ALINEA_PARA_BLANK;
            else if (strcmp(optarg, "line") == 0) mode = ALINEA_PARA_LINE;
            else if (strcmp(optarg, "auto") == 0) mode = ALINEA_PARA_AUTO;
            else { rc = cli_usage_error("segment", "--paragraphs: '%s' is not blank, line or auto", optarg); goto cleanup; }
            break;
        case 'D': case 'H':
            if (cli_common_option(ctx, "segment", opts[idx].name, optarg) < 0) { rc = EXIT_USAGE; goto cleanup; }
            break;
        case 'h': help(); goto cleanup;
        case ':':
            bad_option_name(argc, argv, optname, sizeof optname);
            rc = cli_usage_error("segment", "option %s requires an argument", optname);
            goto cleanup;
        default: {
            bad_option_name(argc, argv, optname, sizeof optname);
            /* a long option getopt refused: a value given to a flag, or an
             * abbreviation of several options */
            const char *why = "unknown option %s";
            if (strncmp(optname, "--", 2) == 0) {
                size_t n = strlen(optname + 2), hits = 0;
                for (const struct option *o = opts; o->name; o++)
                    if (strncmp(o->name, optname + 2, n) == 0) {
                        hits++;
                        if (o->name[n] == '\0' && o->has_arg == no_argument)
                            why = "option %s takes no value";
                    }
                if (hits > 1 && strcmp(why, "unknown option %s") == 0)
                    why = "ambiguous option %s";
            }
            rc = cli_usage_error("segment", why, optname);
            goto cleanup;
        }
        }
    }
    if (export_srx) {
        if (srx || optind < argc) {
            rc = cli_usage_error("segment", "--export-srx takes no input file and no --srx");
            goto cleanup;
        }
        if ((st = alinea_segmenter_new(ctx, lang, &seg)) != ALINEA_OK) {
            rc = cli_fail(ctx, st);
            goto cleanup;
        }
        if ((st = alinea_out_open(ctx, output, &out)) != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = EXIT_OUTPUT;
            goto cleanup;
        }
        if ((st = alinea_segmenter_export_srx(seg, alinea_out_stream(out))) != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = EXIT_OUTPUT;
            goto cleanup;
        }
        goto commit;
    }
    if (argc - optind > 1) {
        rc = cli_usage_error("segment", "one input file at most");
        goto cleanup;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    if (output && alinea_same_file(output, path)) {
        rc = cli_usage_error("segment", "-o %s would overwrite the input file", output);
        goto cleanup;
    }
    if (output && srx && alinea_same_file(output, srx)) {
        rc = cli_usage_error("segment", "-o %s would overwrite the input (the --srx file)", output);
        goto cleanup;
    }
    st = srx ? alinea_segmenter_new_srx(ctx, lang, srx, &seg) : alinea_segmenter_new(ctx, lang, &seg);
    if (st != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    alinea_segmenter_set_paragraphs(seg, mode);
    if ((st = alinea_out_open(ctx, output, &out)) != ALINEA_OK) {
        cli_fail(ctx, st);
        rc = EXIT_OUTPUT;
        goto cleanup;
    }
    printer pr = {alinea_out_stream(out), seg, json, 0, 0, lang, srx ? srx : "alinea",
                  is_utf16(path) ? "utf8-of-decoded-utf16" : "utf8-bytes-of-input", 0};
    if ((st = alinea_segmenter_run_file(seg, path, flags, print_seg, &pr)) != ALINEA_OK) {
        if (st == ALINEA_ERR_IO && ferror(pr.f))
            goto commit; /* a write failed: alinea_out_commit reports it with its errno */
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    if (json) {
        json_header(&pr);
        fputs(pr.count ? "\n]}\n" : "]}\n", pr.f);
    }
commit:
    st = alinea_out_commit(out);
    out = NULL;
    if (st != ALINEA_OK) {
        cli_fail(ctx, st);
        rc = EXIT_OUTPUT;
    }
cleanup:
    alinea_out_abort(out);
    alinea_segmenter_free(seg);
    alinea_ctx_free(ctx);
    return rc;
}
