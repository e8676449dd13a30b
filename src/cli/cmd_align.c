/* cmd_align.c - alinea align [-s LANG] SRC TGT [TGT ...] [-o OUT]
 *               [--format tmx|tsv|links|ladder] [--presegmented] ... */
#include "alinea.h"
#include "alinea_align.h"
#include "alinea_check.h"
#include "alinea_text.h"
#include "alinea_tmx.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS 32

enum fmt { FMT_AUTO, FMT_TMX, FMT_TSV, FMT_LINKS, FMT_LADDER };

static void help(void)
{
    printf(
        "usage: alinea align [-s LANG] SRC TGT [TGT ...] [-o OUT] [--format tmx|tsv|links|ladder]\n"
        "                    [--presegmented] [--min-score X [--weak drop|mark]] [--check]\n"
        "Align a source text (French by default) with one or more translations.\n"
        "A file's language comes from a LANG:PATH prefix or its name (article.en.txt, en.txt).\n"
        "  -s, --source-lang LANG  language of SRC (default: from LANG:SRC or its name)\n"
        "  -o, --output OUT        write to OUT (never an input; replaced only when complete)\n"
        "  --format FMT            tmx (default when OUT ends in .tmx), tsv (default),\n"
        "                          links ([i, j]:[k], 0-based; one target only),\n"
        "                          ladder (hunalign rungs 'i<TAB>j<TAB>score'; one target only)\n"
        "  --presegmented          inputs hold one sentence per line, paragraphs separated\n"
        "                          by empty lines (tokenised text works as given)\n"
        "  --paragraphs RULE       soft (default), hard or ignore paragraph boundaries\n"
        "  --min-score X           beads scoring below X (0..1, calibrated) are dropped from\n"
        "                          tmx/tsv, or marked with --weak mark (tsv: a last column\n"
        "                          'weak'; tmx: <prop type=\"x-alinea-weak\">; links: ':weak')\n"
        "  --scores                links: append ':SCORE' to each line\n"
        "  --lexicon FILE          add a user lexicon (SOURCE<TAB>TARGET lines) to every pair\n"
        "  --check                 run the QA checker on each aligned pair and print findings\n"
        "                          to stderr (exit 1 when one is an error)\n"
        "  --lenient               replace invalid UTF-8 with U+FFFD instead of failing\n"
        "  --data-dir DIR          Alinea's dict/ folder;  --dict-dir DIR  hunspell dictionaries\n");
}

typedef struct input {
    const char *path;
    char lang[64];
    alinea_doc *doc;
} input;

/* Text of segments [a, a+n) joined by spaces, with tabs and line breaks as
 * spaces; owned by the caller. */
static char *join(const alinea_doc *doc, size_t a, size_t n)
{
    size_t total = 1;
    for (size_t i = a; i < a + n; i++) {
        size_t len;
        alinea_doc_segment(doc, i, &len);
        total += len + 1;
    }
    char *out = malloc(total), *p = out;
    if (!out)
        return NULL;
    for (size_t i = a; i < a + n; i++) {
        size_t len;
        const char *s = alinea_doc_segment(doc, i, &len);
        if (i > a)
            *p++ = ' ';
        for (size_t k = 0; k < len; k++)
            *p++ = (s[k] == '\t' || s[k] == '\n' || s[k] == '\r') ? ' ' : s[k];
    }
    *p = '\0';
    return out;
}

static void print_side(FILE *f, size_t a, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, i ? ", %zu" : "%zu", a + i);
    fputc(']', f);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Write the groups as TMX. Returns a status; messages are on ctx. */

/* A multi-target group's score: the lowest of its K beads' scores. */
static double group_score(const alinea_bead *x, size_t K)
{
    double score = 1;
    for (size_t k = 0; k < K; k++)
        if (x[k].score < score)
            score = x[k].score;
    return score;
}

static alinea_status write_tmx(alinea_ctx *ctx, const char *output, const input *in, size_t K,
                               const alinea_bead *g, size_t ng, double min_score, int mark)
{
    alinea_status st = ALINEA_OK;
    alinea_tmx_writer *w = NULL;
    alinea_tmx_header h = {0};
    h.srclang = in[0].lang;
    st = alinea_tmx_writer_open(ctx, output, &h, &w);
    if (st != ALINEA_OK)
        return st;
    size_t tuno = 0;
    for (size_t gi = 0; gi < ng && st == ALINEA_OK; gi++) {
        const alinea_bead *x = &g[gi * K];
        if (x[0].nsrc == 0)
            continue; /* target-only sentences: no source TUV to anchor a TU */
        double score = group_score(x, K);
        int weak = score < min_score;
        if (weak && !mark)
            continue;
        alinea_tuv tuvs[MAX_TARGETS + 1];
        alinea_prop props[4 + 2 * MAX_TARGETS];
        char ptype[MAX_TARGETS][48];
        char bead[16 * MAX_TARGETS + 1] = "", scorestr[32], para[32], tuid[32];
        char pscore[MAX_TARGETS][48];
        size_t nt = 0, np = 0;
        memset(tuvs, 0, sizeof tuvs);
        tuvs[nt].lang = (char *)in[0].lang;
        tuvs[nt].text = join(in[0].doc, x[0].src, x[0].nsrc);
        nt++;
        for (size_t k = 0; k < K; k++) {
            if (x[k].ntgt == 0)
                continue;
            tuvs[nt].lang = (char *)in[k + 1].lang;
            tuvs[nt].text = join(in[k + 1].doc, x[k].tgt, x[k].ntgt);
            nt++;
        }
        for (size_t k = 0; k < K; k++) {
            size_t l = strlen(bead);
            if (K == 1)
                snprintf(bead + l, sizeof bead - l, "%zu-%zu", x[k].nsrc, x[k].ntgt);
            else
                snprintf(bead + l, sizeof bead - l, "%s%s:%zu-%zu", k ? " " : "",
                         in[k + 1].lang, x[k].nsrc, x[k].ntgt);
        }
        snprintf(scorestr, sizeof scorestr, "%.3f", score);
        snprintf(para, sizeof para, "%u", (unsigned)alinea_doc_paragraph(in[0].doc, x[0].src) + 1);
        snprintf(tuid, sizeof tuid, "%zu", ++tuno);
        props[np++] = (alinea_prop){"x-alinea-score", scorestr};
        props[np++] = (alinea_prop){"x-alinea-bead", bead};
        props[np++] = (alinea_prop){"x-document", (char *)base_name(in[0].path)};
        props[np++] = (alinea_prop){"x-paragraph", para};
        if (K > 1)
            for (size_t k = 0; k < K; k++) {
                snprintf(pscore[k], sizeof pscore[k], "%.3f", x[k].score);
                snprintf(ptype[k], sizeof ptype[k], "x-alinea-score-%s", in[k + 1].lang);
                props[np++] = (alinea_prop){ptype[k], pscore[k]};
            }
        if (weak)
            props[np++] = (alinea_prop){"x-alinea-weak", "yes"};
        alinea_tu tu;
        memset(&tu, 0, sizeof tu);
        tu.tuid = tuid;
        tu.nprops = np;
        tu.props = props;
        tu.ntuvs = nt;
        tu.tuvs = tuvs;
        int ok = 1;
        for (size_t t = 0; t < nt; t++)
            if (!tuvs[t].text)
                ok = 0;
        st = ok ? alinea_tmx_writer_add(w, &tu) : ALINEA_ERR_NOMEM;
        for (size_t t = 0; t < nt; t++)
            free(tuvs[t].text);
    }
    if (st != ALINEA_OK) {
        alinea_tmx_writer_free(w);
        return st;
    }
    return alinea_tmx_writer_finish(w);
}

static void write_tsv(FILE *f, const input *in, size_t K, const alinea_bead *g, size_t ng,
                      double min_score, int mark, int *nomem)
{
    for (size_t gi = 0; gi < ng; gi++) {
        const alinea_bead *x = &g[gi * K];
        double score = group_score(x, K);
        int weak = score < min_score;
        if (weak && !mark)
            continue;
        char *t = join(in[0].doc, x[0].src, x[0].nsrc);
        if (!t) {
            *nomem = 1;
            return;
        }
        fputs(t, f);
        free(t);
        for (size_t k = 0; k < K; k++) {
            t = join(in[k + 1].doc, x[k].tgt, x[k].ntgt);
            if (!t) {
                *nomem = 1;
                return;
            }
            fputc('\t', f);
            fputs(t, f);
            free(t);
        }
        if (mark && min_score > 0)
            fputs(weak ? "\tweak" : "\t", f);
        fputc('\n', f);
    }
}

static void write_links(FILE *f, const alinea_bead *b, size_t n, int scores, double min_score,
                        int mark)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].score < min_score && !mark)
            continue;
        print_side(f, b[i].src, b[i].nsrc);
        fputc(':', f);
        print_side(f, b[i].tgt, b[i].ntgt);
        if (scores)
            fprintf(f, ":%.3f", b[i].score);
        if (mark && b[i].score < min_score)
            fputs(":weak", f);
        fputc('\n', f);
    }
}

static void write_ladder(FILE *f, const alinea_bead *b, size_t n, size_t ns, size_t nt)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%zu\t%zu\t%.3f\n", b[i].src, b[i].tgt, b[i].score);
    fprintf(f, "%zu\t%zu\t1.000\n", ns, nt);
}

static const char *sev_name(alinea_severity s)
{
    return s == ALINEA_SEV_ERROR ? "error" : s == ALINEA_SEV_WARNING ? "warning" : "info";
}

/* Run the checker on every group of target k; returns -1 on a library error
 * (printed), else the number of error-level findings. */
static long run_check(alinea_ctx *ctx, const input *in, size_t K, size_t k, const alinea_bead *g,
                      size_t ng)
{
    alinea_checker *chk = NULL;
    alinea_status st = alinea_checker_new(ctx, in[0].lang, in[k + 1].lang, &chk);
    if (st != ALINEA_OK) {
        cli_fail(ctx, st);
        return -1;
    }
    long errors = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        const alinea_bead *x = &g[gi * K + k];
        if (x->nsrc == 0 || x->ntgt == 0)
            continue;
        char *s = join(in[0].doc, x->src, x->nsrc), *t = join(in[k + 1].doc, x->tgt, x->ntgt);
        alinea_finding *fd = NULL;
        size_t nf = 0;
        st = s && t ? alinea_checker_check(chk, s, strlen(s), t, strlen(t), &fd, &nf)
                    : ALINEA_ERR_NOMEM;
        if (st != ALINEA_OK) {
            free(s);
            free(t);
            alinea_checker_free(chk);
            cli_fail(ctx, st);
            return -1;
        }
        for (size_t i = 0; i < nf; i++) {
            fprintf(stderr, "%s:%zu: %s: %s: %s\n", in[k + 1].lang, gi + 1,
                    sev_name(fd[i].severity), fd[i].check, fd[i].message ? fd[i].message : "");
            if (fd[i].severity == ALINEA_SEV_ERROR)
                errors++;
        }
        alinea_findings_free(fd, nf);
        free(s);
        free(t);
    }
    alinea_checker_free(chk);
    return errors;
}

int cmd_align(int argc, char **argv)
{
    static const struct option opts[] = {
        {"source-lang", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"presegmented", no_argument, NULL, 'P'},
        {"paragraphs", required_argument, NULL, 'p'},
        {"min-score", required_argument, NULL, 'm'},
        {"weak", required_argument, NULL, 'w'},
        {"scores", no_argument, NULL, 'S'},
        {"lexicon", required_argument, NULL, 'x'},
        {"check", no_argument, NULL, 'c'},
        {"lenient", no_argument, NULL, 'L'},
        {"data-dir", required_argument, NULL, 'D'},
        {"dict-dir", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    alinea_ctx *ctx = cli_ctx();
    const char *srclang = NULL, *output = NULL, *lexicon = NULL;
    enum fmt fmt = FMT_AUTO;
    unsigned flags = 0;
    alinea_para_rule para = ALINEA_PARA_SOFT;
    double min_score = 0;
    int mark = 0, scores = 0, check = 0, rc = EXIT_OK, c, idx;
    input in[MAX_TARGETS + 1];
    alinea_bead *beads[MAX_TARGETS];
    size_t nbeads[MAX_TARGETS];
    alinea_bead *groups = NULL;
    size_t ngroups = 0, nin = 0;
    alinea_out *out = NULL;
    alinea_status st;
    memset(in, 0, sizeof in);
    memset(beads, 0, sizeof beads);

    optind = 1;
    while ((c = getopt_long(argc, argv, "s:o:f:h", opts, &idx)) != -1) {
        switch (c) {
        case 's': srclang = optarg; break;
        case 'o': output = optarg; break;
        case 'f':
            if (strcmp(optarg, "tmx") == 0) fmt = FMT_TMX;
            else if (strcmp(optarg, "tsv") == 0) fmt = FMT_TSV;
            else if (strcmp(optarg, "links") == 0) fmt = FMT_LINKS;
            else if (strcmp(optarg, "ladder") == 0) fmt = FMT_LADDER;
            else { rc = cli_usage_error("align", "--format: '%s' is not tmx, tsv, links or ladder", optarg); goto cleanup; }
            break;
        case 'P': flags |= ALINEA_DOC_PRESEGMENTED; break;
        case 'p':
            if (strcmp(optarg, "soft") == 0) para = ALINEA_PARA_SOFT;
            else if (strcmp(optarg, "hard") == 0) para = ALINEA_PARA_HARD;
            else if (strcmp(optarg, "ignore") == 0) para = ALINEA_PARA_IGNORE;
            else { rc = cli_usage_error("align", "--paragraphs: '%s' is not soft, hard or ignore", optarg); goto cleanup; }
            break;
        case 'm': {
            char *end;
            min_score = strtod(optarg, &end);
            if (end == optarg || *end || !(min_score >= 0 && min_score <= 1)) {
                rc = cli_usage_error("align", "--min-score: '%s' is not a number from 0 to 1", optarg);
                goto cleanup;
            }
            break;
        }
        case 'w':
            if (strcmp(optarg, "drop") == 0) mark = 0;
            else if (strcmp(optarg, "mark") == 0) mark = 1;
            else { rc = cli_usage_error("align", "--weak: '%s' is not drop or mark", optarg); goto cleanup; }
            break;
        case 'S': scores = 1; break;
        case 'x': lexicon = optarg; break;
        case 'c': check = 1; break;
        case 'L': flags |= ALINEA_TEXT_LENIENT; break;
        case 'D': case 'H':
            if (cli_common_option(ctx, "align", opts[idx].name, optarg) < 0) { rc = EXIT_USAGE; goto cleanup; }
            break;
        case 'h': help(); goto cleanup;
        default: rc = cli_usage_error("align", "unknown option"); goto cleanup;
        }
    }
    nin = (size_t)(argc - optind);
    if (nin < 2) {
        rc = cli_usage_error("align", "a source file and at least one translation are needed");
        goto cleanup;
    }
    if (nin > MAX_TARGETS + 1) {
        rc = cli_usage_error("align", "at most %d translations", MAX_TARGETS);
        goto cleanup;
    }
    size_t K = nin - 1;
    if ((fmt == FMT_LINKS || fmt == FMT_LADDER) && K != 1) {
        rc = cli_usage_error("align", "--format %s takes one translation only",
                             fmt == FMT_LINKS ? "links" : "ladder");
        goto cleanup;
    }
    if (fmt == FMT_AUTO)
        fmt = output && ends_with(output, ".tmx") ? FMT_TMX : FMT_TSV;
    for (size_t i = 0; i < nin; i++) {
        const char *arg = argv[optind + (int)i];
        if (i == 0 && srclang) {
            /* an explicit -s wins over the file name; a LANG: prefix is stripped */
            const char *colon = strchr(arg, ':');
            char tag[64], pre[16];
            in[0].path = arg;
            if (colon && colon > arg && colon - arg < (int)sizeof pre) {
                snprintf(pre, sizeof pre, "%.*s", (int)(colon - arg), arg);
                if (!strchr(pre, '/') && alinea_lang_normalize(pre, tag, sizeof tag) == ALINEA_OK)
                    in[0].path = colon + 1;
            }
            if (alinea_lang_normalize(srclang, in[0].lang, sizeof in[0].lang) != ALINEA_OK) {
                rc = cli_usage_error("align", "-s: '%s' is not a language tag", srclang);
                goto cleanup;
            }
        } else if (cli_file_lang("align", arg, in[i].lang, sizeof in[i].lang, &in[i].path) < 0) {
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (cli_refuse_clobber("align", "-o", output, in[i].path)) {
            rc = EXIT_USAGE;
            goto cleanup;
        }
    }
    if (cli_refuse_clobber("align", "-o", output, lexicon)) {
        rc = EXIT_USAGE;
        goto cleanup;
    }
    for (size_t i = 0; i < nin; i++) {
        st = alinea_doc_load(ctx, in[i].path, in[i].lang, flags, &in[i].doc);
        if (st != ALINEA_OK) {
            rc = cli_fail(ctx, st);
            goto cleanup;
        }
    }
    for (size_t k = 0; k < K; k++) {
        alinea_aligner *al = NULL;
        st = alinea_aligner_new(ctx, in[0].lang, in[k + 1].lang, &al);
        if (st == ALINEA_OK && lexicon)
            st = alinea_aligner_add_lexicon(al, lexicon);
        if (st == ALINEA_OK) {
            alinea_aligner_set_paragraphs(al, para);
            st = alinea_aligner_run(al, in[0].doc, in[k + 1].doc, &beads[k], &nbeads[k]);
        }
        alinea_aligner_free(al);
        if (st != ALINEA_OK) {
            rc = cli_fail(ctx, st);
            goto cleanup;
        }
    }
    st = alinea_align_group(ctx, alinea_doc_count(in[0].doc), K, (const alinea_bead *const *)beads,
                            nbeads, &groups, &ngroups);
    if (st != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    if (fmt == FMT_TMX) {
        st = write_tmx(ctx, output, in, K, groups, ngroups, min_score, mark);
        if (st != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = st == ALINEA_ERR_UNSUPPORTED ? EXIT_USAGE : EXIT_OUTPUT;
            goto cleanup;
        }
    } else {
        int nomem = 0;
        if ((st = alinea_out_open(ctx, output, &out)) != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = EXIT_OUTPUT;
            goto cleanup;
        }
        FILE *f = alinea_out_stream(out);
        if (fmt == FMT_TSV)
            write_tsv(f, in, K, groups, ngroups, min_score, mark, &nomem);
        else if (fmt == FMT_LINKS)
            write_links(f, beads[0], nbeads[0], scores, min_score, mark);
        else
            write_ladder(f, beads[0], nbeads[0], alinea_doc_count(in[0].doc),
                         alinea_doc_count(in[1].doc));
        if (nomem) {
            fprintf(stderr, "alinea: out of memory\n");
            rc = EXIT_OUTPUT;
            goto cleanup;
        }
        st = alinea_out_commit(out);
        out = NULL;
        if (st != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = EXIT_OUTPUT;
            goto cleanup;
        }
    }
    if (check) {
        long errors = 0;
        for (size_t k = 0; k < K; k++) {
            long e = run_check(ctx, in, K, k, groups, ngroups);
            if (e < 0) {
                rc = EXIT_RESOURCE;
                goto cleanup;
            }
            errors += e;
        }
        if (errors > 0)
            rc = EXIT_FINDINGS;
    }
cleanup:
    alinea_out_abort(out);
    alinea_free(groups);
    for (size_t k = 0; k < MAX_TARGETS; k++)
        alinea_free(beads[k]);
    for (size_t i = 0; i < MAX_TARGETS + 1; i++)
        alinea_doc_free(in[i].doc);
    alinea_ctx_free(ctx);
    return rc;
}
