/* cmd_tmx.c - alinea tmx stats|convert|merge|filter|validate: the TMX toolbox.
 * Thin: option parsing and printing; the work is in libalinea (alinea_tmx.h). */
#include "alinea.h"
#include "alinea_tmx.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void help(void)
{
    printf(
        "usage: alinea tmx SUBCOMMAND [OPTIONS] FILE...\n"
        "  stats [--format text|json] FILE...      units, languages, words, characters, duplicates\n"
        "  count FILE...                           number of TUs (a full streaming read)\n"
        "  validate [--dtd tmx14.dtd] FILE...      TMX 1.4b rules (and the DTD when given);\n"
        "                                          exit 1 when a file breaks one\n"
        "  convert FILE [-o OUT] [--to tmx|tsv|moses] [-s SRC] [-t TGT]\n"
        "          TMX->TMX (valid 1.4b UTF-8), TMX->TSV, TMX->Moses (OUT.SRC, OUT.TGT),\n"
        "          TMX->bilingual TMX per pair (--per-pair -o OUT.tmx: OUT.SRC-TGT.tmx),\n"
        "          TSV->TMX (--langs fr,en[,nl]); the format follows OUT's extension\n"
        "  merge A.tmx B.tmx ... -o OUT [--keep newest|first|all] [--key exact|source]\n"
        "  filter FILE -o OUT [-s SRC] [-t TGT] [--min-score X] [--max-score X]\n"
        "          [--min-ratio R] [--max-ratio R] [--drop-qa-errors]\n"
        "TMX output options (convert, merge, filter):\n"
        "  --srclang, --adminlang, --creationid TEXT, --tuid-prefix TEXT\n"
        "  --bilingual LANG    only the source TUV and the LANG TUV in each TU\n"
        "  --max-seg-chars N   skip TUs with a segment over N code points\n"
        "  --control drop|replace   C0 control characters: drop (default) or U+FFFD\n"
        "  --plain             no inline codes;  --no-doctype  no DOCTYPE line\n"
        "Set SOURCE_DATE_EPOCH for a reproducible creationdate.\n"
        "Exit: 0 ok, 1 validation problems, 2 usage or input error, 3 output error,\n"
        "4 missing dictionary (--drop-qa-errors).\n");
}

enum {
    O_FORMAT = 256, O_DTD, O_TO, O_LANGS, O_PERPAIR, O_KEEP, O_KEY, O_MINSCORE, O_MAXSCORE,
    O_MINRATIO, O_MAXRATIO, O_QA, O_SRCLANG, O_ADMINLANG, O_CREATIONID, O_TUIDPREFIX,
    O_BILINGUAL, O_MAXSEG, O_CONTROL, O_PLAIN, O_NODOCTYPE, O_DATADIR, O_DICTDIR
};

static const struct option opts[] = {
    {"format", required_argument, NULL, O_FORMAT},
    {"dtd", required_argument, NULL, O_DTD},
    {"to", required_argument, NULL, O_TO},
    {"langs", required_argument, NULL, O_LANGS},
    {"per-pair", no_argument, NULL, O_PERPAIR},
    {"keep", required_argument, NULL, O_KEEP},
    {"key", required_argument, NULL, O_KEY},
    {"min-score", required_argument, NULL, O_MINSCORE},
    {"max-score", required_argument, NULL, O_MAXSCORE},
    {"min-ratio", required_argument, NULL, O_MINRATIO},
    {"max-ratio", required_argument, NULL, O_MAXRATIO},
    {"drop-qa-errors", no_argument, NULL, O_QA},
    {"srclang", required_argument, NULL, O_SRCLANG},
    {"adminlang", required_argument, NULL, O_ADMINLANG},
    {"creationid", required_argument, NULL, O_CREATIONID},
    {"tuid-prefix", required_argument, NULL, O_TUIDPREFIX},
    {"bilingual", required_argument, NULL, O_BILINGUAL},
    {"max-seg-chars", required_argument, NULL, O_MAXSEG},
    {"control", required_argument, NULL, O_CONTROL},
    {"plain", no_argument, NULL, O_PLAIN},
    {"no-doctype", no_argument, NULL, O_NODOCTYPE},
    {"data-dir", required_argument, NULL, O_DATADIR},
    {"dict-dir", required_argument, NULL, O_DICTDIR},
    {"output", required_argument, NULL, 'o'},
    {"source", required_argument, NULL, 's'},
    {"target", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* The -o argument, to tell output failures from input ones. */
static const char *output_path;

typedef struct args {
    const char *sub;
    const char *format, *dtd, *to, *langs, *keep, *key, *output, *src, *tgt, *control;
    int per_pair;
    alinea_tmx_header hdr;
    alinea_tmx_filter filter;
    char **files;
    int nfiles;
} args;

static int parse_double(const char *sub, const char *name, const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end == s || *end)
        return cli_usage_error("tmx", "%s --%s: '%s' is not a number", sub, name, s);
    return 0;
}

static int parse_args(alinea_ctx *ctx, int argc, char **argv, args *a)
{
    int c, idx = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:s:t:h", opts, &idx)) != -1) {
        int bad = 0;
        switch (c) {
        case O_FORMAT: a->format = optarg; break;
        case O_DTD: a->dtd = optarg; break;
        case O_TO: a->to = optarg; break;
        case O_LANGS: a->langs = optarg; break;
        case O_PERPAIR: a->per_pair = 1; break;
        case O_KEEP: a->keep = optarg; break;
        case O_KEY: a->key = optarg; break;
        case O_MINSCORE:
            a->filter.has_min_score = 1;
            bad = parse_double(a->sub, "min-score", optarg, &a->filter.min_score);
            break;
        case O_MAXSCORE:
            a->filter.has_max_score = 1;
            bad = parse_double(a->sub, "max-score", optarg, &a->filter.max_score);
            break;
        case O_MINRATIO: bad = parse_double(a->sub, "min-ratio", optarg, &a->filter.min_ratio); break;
        case O_MAXRATIO: bad = parse_double(a->sub, "max-ratio", optarg, &a->filter.max_ratio); break;
        case O_QA: a->filter.drop_qa_errors = 1; break;
        case O_SRCLANG: a->hdr.srclang = optarg; break;
        case O_ADMINLANG: a->hdr.adminlang = optarg; break;
        case O_CREATIONID: a->hdr.creationid = optarg; break;
        case O_TUIDPREFIX: a->hdr.tuid_prefix = optarg; break;
        case O_BILINGUAL: a->hdr.target_lang = optarg; break;
        case O_MAXSEG: {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || v <= 0)
                return cli_usage_error("tmx", "--max-seg-chars: '%s' is not a positive number",
                                       optarg);
            a->hdr.max_seg_chars = (size_t)v;
            break;
        }
        case O_CONTROL:
            if (strcmp(optarg, "replace") == 0)
                a->hdr.flags |= ALINEA_TMX_CTRL_REPLACE;
            else if (strcmp(optarg, "drop") != 0)
                return cli_usage_error("tmx", "--control: '%s' is not drop or replace", optarg);
            break;
        case O_PLAIN: a->hdr.flags |= ALINEA_TMX_PLAIN; break;
        case O_NODOCTYPE: a->hdr.flags |= ALINEA_TMX_NO_DOCTYPE; break;
        case O_DATADIR:
        case O_DICTDIR:
            if (cli_common_option(ctx, "tmx", opts[idx].name, optarg) < 0)
                return EXIT_USAGE;
            break;
        case 'o': a->output = optarg; break;
        case 's': a->src = optarg; break;
        case 't': a->tgt = optarg; break;
        case 'h': help(); return -1;
        default: return cli_usage_error("tmx", "%s: unknown option", a->sub);
        }
        if (bad)
            return EXIT_USAGE;
    }
    a->files = argv + optind;
    a->nfiles = argc - optind;
    output_path = a->output;
    return 0;
}

/* Map a library status to an exit code: failures to create or write an
 * output (their messages start with the output's name) are output errors. */
static int fail(alinea_ctx *ctx, alinea_status st)
{
    int code = cli_fail(ctx, st);
    const char *msg = alinea_ctx_errmsg(ctx);
    if (st == ALINEA_ERR_IO) {
        size_t n = output_path ? strlen(output_path) : 0;
        if (n > 4 && strcasecmp(output_path + n - 4, ".tmx") == 0)
            n -= 4; /* per-pair outputs: OUT.fr-en.tmx */
        if (strncmp(msg, "standard output", 15) == 0 ||
            (n && strncmp(msg, output_path, n) == 0))
            code = EXIT_OUTPUT;
    }
    if (st == ALINEA_ERR_XML)
        code = EXIT_OUTPUT;
    return code;
}

static const char *ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

static void json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static int do_stats(alinea_ctx *ctx, args *a)
{
    int json = 0;
    if (a->format && strcmp(a->format, "json") == 0)
        json = 1;
    else if (a->format && strcmp(a->format, "text") != 0)
        return cli_usage_error("tmx", "stats --format: '%s' is not text or json", a->format);
    if (a->nfiles < 1)
        return cli_usage_error("tmx", "stats: which file?");
    if (json && a->nfiles > 1)
        printf("[");
    for (int f = 0; f < a->nfiles; f++) {
        alinea_tmx_stats *st = NULL;
        alinea_status s = alinea_tmx_stats_file(ctx, a->files[f], &st);
        if (s != ALINEA_OK)
            return fail(ctx, s);
        if (json) {
            printf("%s{\"file\": ", f ? ", " : "");
            json_str(a->files[f]);
            printf(", \"version\": ");
            json_str(st->version);
            printf(", \"srclang\": ");
            json_str(st->srclang);
            printf(", \"units\": %zu, \"tuvs\": %zu, \"inline_codes\": %zu, "
                   "\"duplicates\": {\"source\": %zu, \"exact\": %zu}, \"recoveries\": %zu, "
                   "\"languages\": [",
                   st->units, st->tuvs, st->codes, st->dup_source, st->dup_exact, st->recoveries);
            for (size_t i = 0; i < st->nlangs; i++) {
                printf("%s{\"lang\": ", i ? ", " : "");
                json_str(st->langs[i].lang);
                printf(", \"tuvs\": %zu, \"words\": %zu, \"chars\": %zu}", st->langs[i].tuvs,
                       st->langs[i].words, st->langs[i].chars);
            }
            printf("]}");
        } else {
            printf("%s: TMX %s, srclang %s\n", a->files[f], *st->version ? st->version : "?",
                   *st->srclang ? st->srclang : "(none)");
            printf("  units %zu, TUVs %zu, languages %zu, inline codes %zu\n", st->units,
                   st->tuvs, st->nlangs, st->codes);
            printf("  duplicates: %zu same source, %zu exact\n", st->dup_source, st->dup_exact);
            for (size_t i = 0; i < st->nlangs; i++)
                printf("  %-10s %8zu TUVs %10zu words %12zu chars\n", st->langs[i].lang,
                       st->langs[i].tuvs, st->langs[i].words, st->langs[i].chars);
            if (st->recoveries)
                printf("  %zu recover%s from broken TMX rules or encodings (see the warnings)\n",
                       st->recoveries, st->recoveries == 1 ? "y" : "ies");
        }
        alinea_tmx_stats_free(st);
    }
    if (json)
        printf(a->nfiles > 1 ? "]\n" : "\n");
    return EXIT_OK;
}

static int do_count(alinea_ctx *ctx, args *a)
{
    if (a->nfiles < 1)
        return cli_usage_error("tmx", "count: which file?");
    for (int f = 0; f < a->nfiles; f++) {
        alinea_tmx_reader *r = NULL;
        const alinea_tu *tu;
        size_t n = 0;
        alinea_status s = alinea_tmx_reader_open(ctx, a->files[f], &r);
        while (s == ALINEA_OK && (s = alinea_tmx_reader_next(r, &tu)) == ALINEA_OK && tu)
            n++;
        alinea_tmx_reader_free(r);
        if (s != ALINEA_OK)
            return fail(ctx, s);
        printf("%s\t%zu\n", a->files[f], n);
    }
    return EXIT_OK;
}

typedef struct vstate {
    const char *file;
} vstate;

static void on_problem(void *ud, size_t line, const char *msg)
{
    vstate *v = ud;
    if (line)
        printf("%s:%zu: %s\n", v->file, line, msg);
    else
        printf("%s: %s\n", v->file, msg);
}

static int do_validate(alinea_ctx *ctx, args *a)
{
    if (a->nfiles < 1)
        return cli_usage_error("tmx", "validate: which file?");
    int rc = EXIT_OK;
    for (int f = 0; f < a->nfiles; f++) {
        vstate v = {a->files[f]};
        size_t n = 0;
        alinea_status s = alinea_tmx_validate(ctx, a->files[f], a->dtd, on_problem, &v, &n);
        if (s != ALINEA_OK) {
            if (s == ALINEA_ERR_FORMAT || s == ALINEA_ERR_ENCODING) {
                printf("%s\n", alinea_ctx_errmsg(ctx));
                rc = EXIT_FINDINGS;
                continue;
            }
            return fail(ctx, s);
        }
        if (n) {
            printf("%s: %zu problem%s\n", a->files[f], n, n == 1 ? "" : "s");
            rc = EXIT_FINDINGS;
        } else {
            printf("%s: valid TMX 1.4b%s\n", a->files[f], a->dtd ? " (rules and DTD)" : " (rules)");
        }
    }
    return rc;
}

/* Split "fr,en,nl" into normalised tags. */
static int split_langs(const char *list, char tags[][64], const char **ptrs, size_t max,
                       size_t *n)
{
    *n = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        char tmp[64];
        if (len == 0 || len >= sizeof tmp || *n >= max)
            return cli_usage_error("tmx", "--langs: bad list '%s'", list);
        memcpy(tmp, p, len);
        tmp[len] = '\0';
        if (alinea_lang_normalize(tmp, tags[*n], 64) != ALINEA_OK)
            return cli_usage_error("tmx", "--langs: '%s' is not a language tag", tmp);
        ptrs[*n] = tags[*n];
        (*n)++;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int do_convert(alinea_ctx *ctx, args *a)
{
    if (a->nfiles != 1)
        return cli_usage_error("tmx", "convert: one input file");
    const char *in = a->files[0];
    const char *to = a->to;
    if (!to && a->output) {
        const char *e = ext(a->output);
        if (strcasecmp(e, "tmx") == 0) to = "tmx";
        else if (strcasecmp(e, "tsv") == 0 || strcasecmp(e, "txt") == 0) to = "tsv";
    }
    if (!to && strcasecmp(ext(in), "tsv") == 0)
        to = "tmx";
    if (!to)
        return cli_usage_error("tmx", "convert: give --to tmx|tsv|moses or an -o file ending in "
                               ".tmx or .tsv");
    if (a->output && !a->per_pair && alinea_same_file(a->output, in))
        return cli_usage_error("tmx", "convert: -o %s would overwrite the input", a->output);
    alinea_status s;
    size_t n = 0;
    int in_tsv = strcasecmp(ext(in), "tsv") == 0 || a->langs;
    if (strcmp(to, "tmx") == 0 && in_tsv) {
        char tags[16][64];
        const char *ptrs[16];
        size_t nl;
        if (!a->langs)
            return cli_usage_error("tmx", "convert: TSV input needs --langs SRC,TGT[,TGT...]");
        int e = split_langs(a->langs, tags, ptrs, 16, &nl);
        if (e)
            return e;
        if (nl < 2)
            return cli_usage_error("tmx", "--langs: at least two languages");
        s = alinea_tsv_to_tmx(ctx, in, ptrs, nl, a->output, &a->hdr, &n);
    } else if (strcmp(to, "tmx") == 0 && a->per_pair) {
        /* One bilingual TMX per target language. */
        if (!a->output)
            return cli_usage_error("tmx", "convert --per-pair: give -o OUT.tmx");
        alinea_tmx_stats *st = NULL;
        s = alinea_tmx_stats_file(ctx, in, &st);
        if (s != ALINEA_OK)
            return fail(ctx, s);
        const char *src = a->src ? a->src : (a->hdr.srclang ? a->hdr.srclang : st->srclang);
        if (!*src || strcmp(src, "*all*") == 0) {
            alinea_tmx_stats_free(st);
            return cli_usage_error("tmx", "convert --per-pair: the file has no srclang; give -s");
        }
        size_t base = strlen(a->output);
        if (base > 4 && strcasecmp(a->output + base - 4, ".tmx") == 0)
            base -= 4;
        char norm[64];
        if (alinea_lang_normalize(src, norm, sizeof norm) != ALINEA_OK)
            snprintf(norm, sizeof norm, "%s", src);
        /* Refuse before writing anything when one output is the input. */
        for (size_t i = 0; i < st->nlangs; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%.*s.%s-%s.tmx", (int)base, a->output, norm,
                     st->langs[i].lang);
            if (strcasecmp(st->langs[i].lang, norm) != 0 && alinea_same_file(path, in)) {
                alinea_tmx_stats_free(st);
                return cli_usage_error("tmx", "convert --per-pair: %s would overwrite the input",
                                       path);
            }
        }
        for (size_t i = 0; i < st->nlangs && s == ALINEA_OK; i++) {
            if (strcasecmp(st->langs[i].lang, norm) == 0)
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%.*s.%s-%s.tmx", (int)base, a->output, norm,
                     st->langs[i].lang);
            alinea_tmx_header h = a->hdr;
            h.srclang = norm;
            h.target_lang = st->langs[i].lang;
            size_t k = 0;
            s = alinea_tmx_rewrite(ctx, in, path, &h, &k);
            if (s == ALINEA_OK)
                fprintf(stderr, "alinea: %s: %zu TU%s\n", path, k, k == 1 ? "" : "s");
        }
        alinea_tmx_stats_free(st);
        if (s != ALINEA_OK)
            return fail(ctx, s);
        return EXIT_OK;
    } else if (strcmp(to, "tmx") == 0) {
        if (a->src && !a->hdr.srclang)
            a->hdr.srclang = a->src;
        if (a->tgt && !a->hdr.target_lang)
            a->hdr.target_lang = a->tgt;
        s = alinea_tmx_rewrite(ctx, in, a->output, &a->hdr, &n);
    } else if (strcmp(to, "tsv") == 0 || strcmp(to, "moses") == 0) {
        if (!a->tgt)
            return cli_usage_error("tmx", "convert --to %s: give the target language with -t", to);
        const char *outs[2] = {a->output, NULL};
        char p1[4096], p2[4096];
        alinea_tmx_text_format fmt = ALINEA_TMX_TSV;
        if (strcmp(to, "moses") == 0) {
            if (!a->output || !a->src)
                return cli_usage_error("tmx", "convert --to moses: give -o PREFIX and -s SRC "
                                       "(writes PREFIX.SRC and PREFIX.TGT)");
            snprintf(p1, sizeof p1, "%s.%s", a->output, a->src);
            snprintf(p2, sizeof p2, "%s.%s", a->output, a->tgt);
            outs[0] = p1;
            outs[1] = p2;
            fmt = ALINEA_TMX_MOSES;
            for (int k = 0; k < 2; k++)
                if (alinea_same_file(outs[k], in))
                    return cli_usage_error("tmx", "convert --to moses: %s would overwrite the input",
                                           outs[k]);
        }
        s = alinea_tmx_to_text(ctx, in, fmt, a->src, a->tgt, outs, &n);
    } else {
        return cli_usage_error("tmx", "convert --to: '%s' is not tmx, tsv or moses", to);
    }
    if (s != ALINEA_OK)
        return fail(ctx, s);
    return EXIT_OK;
}

static int do_merge(alinea_ctx *ctx, args *a)
{
    if (a->nfiles < 1 || !a->output)
        return cli_usage_error("tmx", "merge: give input files and -o OUT");
    alinea_tmx_merge_policy pol = ALINEA_MERGE_NEWEST;
    alinea_tmx_merge_key key = ALINEA_KEY_EXACT;
    if (a->keep) {
        if (strcmp(a->keep, "newest") == 0) pol = ALINEA_MERGE_NEWEST;
        else if (strcmp(a->keep, "first") == 0) pol = ALINEA_MERGE_FIRST;
        else if (strcmp(a->keep, "all") == 0) pol = ALINEA_MERGE_ALL;
        else return cli_usage_error("tmx", "merge --keep: '%s' is not newest, first or all", a->keep);
    }
    if (a->key) {
        if (strcmp(a->key, "exact") == 0) key = ALINEA_KEY_EXACT;
        else if (strcmp(a->key, "source") == 0) key = ALINEA_KEY_SOURCE;
        else return cli_usage_error("tmx", "merge --key: '%s' is not exact or source", a->key);
    }
    for (int i = 0; i < a->nfiles; i++)
        if (alinea_same_file(a->output, a->files[i]))
            return cli_usage_error("tmx", "merge: -o %s would overwrite an input", a->output);
    if (a->src && !a->hdr.srclang)
        a->hdr.srclang = a->src;
    size_t written = 0, dropped = 0;
    alinea_status s = alinea_tmx_merge(ctx, (const char *const *)a->files, (size_t)a->nfiles,
                                       a->output, &a->hdr, pol, key, &written, &dropped);
    if (s != ALINEA_OK)
        return fail(ctx, s);
    fprintf(stderr, "alinea: %s: %zu TU%s written, %zu duplicate%s dropped\n", a->output, written,
            written == 1 ? "" : "s", dropped, dropped == 1 ? "" : "s");
    return EXIT_OK;
}

static int do_filter(alinea_ctx *ctx, args *a)
{
    if (a->nfiles != 1)
        return cli_usage_error("tmx", "filter: one input file");
    if (a->output && alinea_same_file(a->output, a->files[0]))
        return cli_usage_error("tmx", "filter: -o %s would overwrite the input", a->output);
    a->filter.srclang = a->src;
    a->filter.tgtlang = a->tgt;
    size_t kept = 0, dropped = 0;
    alinea_status s = alinea_tmx_filter_file(ctx, a->files[0], a->output, &a->filter, &a->hdr,
                                             &kept, &dropped);
    if (s != ALINEA_OK)
        return fail(ctx, s);
    fprintf(stderr, "alinea: %zu TU%s kept, %zu dropped\n", kept, kept == 1 ? "" : "s", dropped);
    return EXIT_OK;
}

int cmd_tmx(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (argc < 2) {
            cli_usage_error("tmx", "which subcommand? stats, validate, convert, merge or filter");
            return EXIT_USAGE;
        }
        help();
        return EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(alinea_ctx *, args *);
    } subs[] = {{"stats", do_stats},   {"count", do_count}, {"validate", do_validate},
                {"convert", do_convert},
                {"merge", do_merge},   {"filter", do_filter}};
    args a;
    memset(&a, 0, sizeof a);
    a.sub = argv[1];
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        alinea_ctx *ctx = cli_ctx();
        int rc = parse_args(ctx, argc - 1, argv + 1, &a);
        if (rc == 0)
            rc = subs[i].fn(ctx, &a);
        else if (rc < 0)
            rc = EXIT_OK;
        alinea_ctx_free(ctx);
        return rc;
    }
    return cli_usage_error("tmx", "'%s' is not a subcommand (stats, count, validate, convert, "
                           "merge, filter)", argv[1]);
}
