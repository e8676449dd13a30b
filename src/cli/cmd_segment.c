/* cmd_segment.c - alinea segment [-l LANG] [FILE|-] */
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
    printf("usage: alinea segment [-l LANG] [--paragraphs=auto|blank|line] [-o OUT] [FILE|-]\n"
           "Print one sentence per line, with an empty line between paragraphs.\n"
           "  -l, --lang LANG     language of the text (fr, en, nl, de, es, it, pt; default fr)\n"
           "  --paragraphs MODE   blank: paragraphs end at empty lines; line: at every line\n"
           "                      break; auto (default): blank if the text has an empty line\n"
           "  --lenient           replace invalid UTF-8 with U+FFFD instead of failing\n"
           "  -o, --output OUT    write to OUT (replaced only when complete)\n"
           "  --data-dir DIR      Alinea's dict/ folder;  --dict-dir DIR  hunspell dictionaries\n");
}

int cmd_segment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},   {"output", required_argument, NULL, 'o'},
        {"paragraphs", required_argument, NULL, 'p'}, {"lenient", no_argument, NULL, 'L'},
        {"data-dir", required_argument, NULL, 'D'}, {"dict-dir", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    alinea_ctx *ctx = cli_ctx();
    const char *lang = "fr", *output = NULL;
    alinea_para_mode mode = ALINEA_PARA_AUTO;
    unsigned flags = 0;
    int rc = EXIT_OK, c, idx;
    char *text = NULL;
    size_t len = 0;
    alinea_segmenter *seg = NULL;
    alinea_seg *segs = NULL;
    size_t nsegs = 0;
    alinea_out *out = NULL;
    alinea_status st;

    optind = 1;
    while ((c = getopt_long(argc, argv, "l:o:h", opts, &idx)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'o': output = optarg; break;
        case 'L': flags |= ALINEA_TEXT_LENIENT; break;
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
        default: rc = cli_usage_error("segment", "unknown option"); goto cleanup;
        }
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
    if ((st = alinea_segmenter_new(ctx, lang, &seg)) != ALINEA_OK ||
        (st = alinea_text_load(ctx, path, flags, &text, &len)) != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    alinea_segmenter_set_paragraphs(seg, mode);
    if ((st = alinea_segmenter_run(seg, text, len, &segs, &nsegs)) != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    if ((st = alinea_out_open(ctx, output, &out)) != ALINEA_OK) {
        rc = cli_fail(ctx, st) == EXIT_USAGE ? EXIT_OUTPUT : EXIT_OUTPUT;
        goto cleanup;
    }
    FILE *f = alinea_out_stream(out);
    for (size_t i = 0; i < nsegs; i++) {
        if (i && segs[i].paragraph != segs[i - 1].paragraph)
            fputc('\n', f);
        /* A segment never spans a paragraph; line breaks inside one become spaces. */
        for (size_t k = segs[i].start; k < segs[i].end; k++) {
            char ch = text[k];
            fputc(ch == '\n' || ch == '\r' ? ' ' : ch, f);
        }
        fputc('\n', f);
    }
    st = alinea_out_commit(out);
    out = NULL;
    if (st != ALINEA_OK) {
        cli_fail(ctx, st);
        rc = EXIT_OUTPUT;
    }
cleanup:
    alinea_out_abort(out);
    alinea_free(segs);
    alinea_free(text);
    alinea_segmenter_free(seg);
    alinea_ctx_free(ctx);
    return rc;
}
