/* cmd_check.c - alinea check [-s LANG] [-t LANG] [--format text|json|junit] FILE [TGTFILE] */
#define _POSIX_C_SOURCE 200809L
#include "alinea.h"
#include "alinea_check.h"
#include "alinea_tmx.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(void)
{
    size_t n;
    const alinea_check_info *t = alinea_check_table(&n);
    printf("usage: alinea check [OPTIONS] FILE [TGTFILE]\n"
           "QA-check segment pairs: FILE is TMX, or TSV (source<TAB>target); with TGTFILE,\n"
           "FILE and TGTFILE are line-aligned source and target files.\n"
           "  -s, --source LANG      source language (TSV default fr; TMX: the header's)\n"
           "  -t, --target LANG      target language (TSV default en; TMX: the first other)\n"
           "  --format FMT           text (default), json or junit\n"
           "  --fail-on LEVEL        exit 1 on a finding at or above error (default),\n"
           "                         warning, or never\n"
           "  --enable ID[,ID]       turn checks on ('all' for every check)\n"
           "  --disable ID[,ID]      turn checks off\n"
           "  --severity ID=LEVEL    change a check's severity (error, warning, info)\n"
           "  --glossary FILE        user glossary (TSV or TBX): entities and terminology\n"
           "  --suppress FILE        reviewed findings to keep quiet (HASH<TAB>CHECK-ID)\n"
           "  --write-suppressions F write every finding of this run as a suppression file\n"
           "  --config FILE          settings (default: ./.alinea.toml when present)\n"
           "  --no-config            ignore ./.alinea.toml\n"
           "  --annotate OUT.tmx     copy the TMX with each finding as a TU note\n"
           "  --color WHEN           auto (default), always, never\n"
           "  --spans WHEN           text: show source and target with the span marked;\n"
           "                         auto (default: on a terminal), always, never\n"
           "  -o, --output OUT       write the report to OUT (replaced only when complete)\n"
           "  --list-checks          print the checks with their default severities\n"
           "  --data-dir DIR         Alinea's dict/ folder;  --dict-dir DIR  hunspell dictionaries\n"
           "Exit: 0 no finding at the --fail-on level, 1 findings, 2 usage or input error,\n"
           "3 output error, 4 missing dictionary or data.\n\nChecks:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-13s %-7s %s%s\n", t[i].id, alinea_severity_name(t[i].severity), t[i].summary,
               t[i].enabled ? "" : " (off by default)");
}

typedef struct opts {
    const char *srclang, *tgtlang, *format, *fail_on, *annotate, *output, *color, *spans;
    const char *write_supp;
    const char *list[3][32]; /* enable, disable, severity */
    int nlist[3];
    const char *gloss[16];
    int ngloss;
    const char *supp[16];
    int nsupp;
    char *cfg_strings[64];
    int ncfg;
} opts;

static int parse_level(const char *s, alinea_severity *sev)
{
    if (strcmp(s, "error") == 0)
        *sev = ALINEA_SEV_ERROR;
    else if (strcmp(s, "warning") == 0)
        *sev = ALINEA_SEV_WARNING;
    else if (strcmp(s, "info") == 0)
        *sev = ALINEA_SEV_INFO;
    else
        return -1;
    return 0;
}

/* Apply a comma-separated list of ids. */
static int apply_ids(alinea_checker *chk, alinea_ctx *ctx, const char *list, int on)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *id = strtok_r(buf, ", ", &save); id; id = strtok_r(NULL, ", ", &save))
        if (alinea_checker_enable(chk, id, on) != ALINEA_OK)
            return cli_usage_error("check", "--%s: %s (see --list-checks)", on ? "enable" : "disable",
                                   alinea_ctx_errmsg(ctx));
    return 0;
}

/* ---------------------------------------------------------------- config */

/* Keep a string from the config file alive for the run. */
static const char *keep(opts *o, const char *s, size_t n)
{
    if (o->ncfg == 64)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    o->cfg_strings[o->ncfg++] = p;
    return p;
}

/* A small TOML subset: [check] and [check.severity] tables, key = "string",
 * key = ["a", "b"], comments with '#'. */
static int load_config(opts *o, const char *path, int required)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!required)
            return 0;
        fprintf(stderr, "alinea check: --config %s: cannot open the file\n", path);
        return EXIT_USAGE;
    }
    char line[2048], table[64] = "";
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f) && rc == 0) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = 0;
        if (!*p || *p == '#')
            continue;
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (!close) {
                fprintf(stderr, "alinea check: %s:%d: unclosed table header\n", path, lineno);
                rc = EXIT_USAGE;
                break;
            }
            *close = 0;
            snprintf(table, sizeof table, "%s", p + 1);
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq) {
            fprintf(stderr, "alinea check: %s:%d: expected 'key = value'\n", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        char *k = p, *ke = eq;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        *ke = 0;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        /* collect the quoted strings of the value */
        const char *vals[32];
        int nv = 0;
        for (char *q = v; *q && nv < 32;) {
            if (*q == '#')
                break;
            if (*q == '"') {
                char *qe = strchr(q + 1, '"');
                if (!qe)
                    break;
                vals[nv++] = keep(o, q + 1, (size_t)(qe - q - 1));
                q = qe + 1;
            } else {
                q++;
            }
        }
        if (nv == 0) {
            fprintf(stderr, "alinea check: %s:%d: %s: expected a \"string\" or [\"list\"]\n",
                    path, lineno, k);
            rc = EXIT_USAGE;
            break;
        }
        if (strcmp(table, "check.severity") == 0) {
            char buf[128];
            snprintf(buf, sizeof buf, "%.60s=%.60s", k, vals[0]);
            if (o->nlist[2] < 32)
                o->list[2][o->nlist[2]++] = keep(o, buf, strlen(buf));
        } else if (strcmp(table, "check") == 0 || table[0] == 0) {
            if (strcmp(k, "fail-on") == 0 && !o->fail_on)
                o->fail_on = vals[0];
            else if (strcmp(k, "format") == 0 && !o->format)
                o->format = vals[0];
            else if (strcmp(k, "source") == 0 && !o->srclang)
                o->srclang = vals[0];
            else if (strcmp(k, "target") == 0 && !o->tgtlang)
                o->tgtlang = vals[0];
            else if (strcmp(k, "enable") == 0 || strcmp(k, "disable") == 0) {
                int which = k[0] == 'd';
                for (int i = 0; i < nv && o->nlist[which] < 32; i++)
                    o->list[which][o->nlist[which]++] = vals[i];
            } else if (strcmp(k, "glossary") == 0) {
                for (int i = 0; i < nv && o->ngloss < 16; i++)
                    o->gloss[o->ngloss++] = vals[i];
            } else if (strcmp(k, "suppressions") == 0) {
                for (int i = 0; i < nv && o->nsupp < 16; i++)
                    o->supp[o->nsupp++] = vals[i];
            } else if (strcmp(k, "fail-on") != 0 && strcmp(k, "format") != 0 &&
                       strcmp(k, "source") != 0 && strcmp(k, "target") != 0) {
                fprintf(stderr, "alinea check: %s:%d: unknown key '%s'\n", path, lineno, k);
                rc = EXIT_USAGE;
            }
        }
    }
    fclose(f);
    return rc;
}

/* ---------------------------------------------------------------- run */

/* Refuse an output (-o, --annotate, --write-suppressions) that names an
 * input: the checked file(s), a glossary, a suppression file or the config
 * file; or two outputs that name the same file. 1 when refused (message
 * printed). */
static int refuse_clobber(const opts *o, const char *path, const char *path2, const char *cfg)
{
    const char *outs[3] = {o->output, o->annotate, o->write_supp};
    const char *names[3] = {"-o", "--annotate", "--write-suppressions"};
    for (int i = 0; i < 3; i++) {
        const char *w = outs[i];
        if (!w || strcmp(w, "-") == 0)
            continue;
        const char *in[4 + 32];
        const char *what[4 + 32];
        int n = 0;
        in[n] = path, what[n++] = "the checked file";
        if (path2)
            in[n] = path2, what[n++] = "the checked file";
        if (cfg)
            in[n] = cfg, what[n++] = "the --config file";
        for (int k = 0; k < o->ngloss; k++)
            in[n] = o->gloss[k], what[n++] = "the --glossary file";
        for (int k = 0; k < o->nsupp; k++)
            in[n] = o->supp[k], what[n++] = "the --suppress file";
        for (int k = 0; k < n; k++) {
            if (strcmp(in[k], "-") == 0)
                continue;
            if (strcmp(w, in[k]) == 0 || alinea_same_file(w, in[k])) {
                cli_usage_error("check", "%s %s would overwrite the input %s (%s)", names[i], w,
                                in[k], what[k]);
                return 1;
            }
        }
        for (int j = 0; j < i; j++)
            if (outs[j] && strcmp(outs[j], "-") != 0 &&
                (strcmp(w, outs[j]) == 0 || alinea_same_file(w, outs[j]))) {
                cli_usage_error("check", "%s and %s name the same file %s", names[j], names[i], w);
                return 1;
            }
    }
    return 0;
}

static alinea_status annotate_tu(alinea_tmx_writer *w, const alinea_tu *tu,
                                 const alinea_finding *f, size_t n)
{
    alinea_tu copy = *tu;
    char **notes = calloc(tu->nnotes + n + 1, sizeof *notes);
    if (!notes)
        return ALINEA_ERR_NOMEM;
    for (size_t i = 0; i < tu->nnotes; i++)
        notes[i] = tu->notes[i];
    size_t k = tu->nnotes;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(f[i].message) + 64;
        notes[k] = malloc(len);
        if (notes[k])
            snprintf(notes[k++], len, "alinea check: %s: %s: %s",
                     alinea_severity_name(f[i].severity), f[i].check, f[i].message);
    }
    copy.notes = notes;
    copy.nnotes = k;
    alinea_status st = alinea_tmx_writer_add(w, &copy);
    for (size_t i = tu->nnotes; i < k; i++)
        free(notes[i]);
    free(notes);
    return st;
}

int cmd_check(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"source", required_argument, NULL, 's'},   {"target", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},   {"fail-on", required_argument, NULL, 'F'},
        {"enable", required_argument, NULL, 'e'},   {"disable", required_argument, NULL, 'd'},
        {"severity", required_argument, NULL, 'S'}, {"glossary", required_argument, NULL, 'g'},
        {"suppress", required_argument, NULL, 'u'}, {"config", required_argument, NULL, 'c'},
        {"no-config", no_argument, NULL, 'N'},      {"annotate", required_argument, NULL, 'a'},
        {"color", required_argument, NULL, 'C'},    {"output", required_argument, NULL, 'o'},
        {"spans", required_argument, NULL, 'P'},
        {"list-checks", no_argument, NULL, 'l'},    {"write-suppressions", required_argument, NULL, 'W'},
        {"data-dir", required_argument, NULL, 'D'}, {"dict-dir", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    alinea_ctx *ctx = cli_ctx();
    opts o;
    memset(&o, 0, sizeof o);
    const char *config = NULL;
    int no_config = 0, rc = EXIT_OK, c, idx;
    alinea_pair_reader *rd = NULL;
    alinea_checker *chk = NULL;
    alinea_report *rep = NULL;
    alinea_out *out = NULL, *supp_out = NULL;
    alinea_tmx_writer *ann = NULL;
    alinea_status st;
    size_t errors = 0, warnings = 0, infos = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "s:t:o:h", lopts, &idx)) != -1) {
        switch (c) {
        case 's': o.srclang = optarg; break;
        case 't': o.tgtlang = optarg; break;
        case 'f': o.format = optarg; break;
        case 'F': o.fail_on = optarg; break;
        case 'e': if (o.nlist[0] < 32) o.list[0][o.nlist[0]++] = optarg; break;
        case 'd': if (o.nlist[1] < 32) o.list[1][o.nlist[1]++] = optarg; break;
        case 'S': if (o.nlist[2] < 32) o.list[2][o.nlist[2]++] = optarg; break;
        case 'g': if (o.ngloss < 16) o.gloss[o.ngloss++] = optarg; break;
        case 'u': if (o.nsupp < 16) o.supp[o.nsupp++] = optarg; break;
        case 'c': config = optarg; break;
        case 'N': no_config = 1; break;
        case 'a': o.annotate = optarg; break;
        case 'C': o.color = optarg; break;
        case 'P': o.spans = optarg; break;
        case 'o': o.output = optarg; break;
        case 'W': o.write_supp = optarg; break;
        case 'l': {
            size_t n;
            const alinea_check_info *t = alinea_check_table(&n);
            for (size_t i = 0; i < n; i++)
                printf("%s\t%s\t%s\t%s\n", t[i].id, alinea_severity_name(t[i].severity),
                       t[i].enabled ? "on" : "off", t[i].summary);
            goto cleanup;
        }
        case 'D': case 'H':
            if (cli_common_option(ctx, "check", lopts[idx].name, optarg) < 0) { rc = EXIT_USAGE; goto cleanup; }
            break;
        case 'h': help(); goto cleanup;
        default: rc = cli_usage_error("check", "unknown option"); goto cleanup;
        }
    }
    const char *cfg_used = NULL; /* the config file read, an input too */
    if (config) {
        rc = load_config(&o, config, 1);
        cfg_used = config;
    } else if (!no_config) {
        rc = load_config(&o, ".alinea.toml", 0);
        if (access(".alinea.toml", F_OK) == 0)
            cfg_used = ".alinea.toml";
    }
    if (rc)
        goto cleanup;
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2) {
        rc = cli_usage_error("check", nargs < 1 ? "no input file" : "too many input files");
        goto cleanup;
    }
    alinea_report_format fmt = ALINEA_REPORT_TEXT;
    if (o.format) {
        if (strcmp(o.format, "json") == 0) fmt = ALINEA_REPORT_JSON;
        else if (strcmp(o.format, "junit") == 0) fmt = ALINEA_REPORT_JUNIT;
        else if (strcmp(o.format, "text") != 0) {
            rc = cli_usage_error("check", "--format: '%s' is not text, json or junit", o.format);
            goto cleanup;
        }
    }
    int fail_level = ALINEA_SEV_ERROR;
    if (o.fail_on) {
        alinea_severity s;
        if (strcmp(o.fail_on, "never") == 0) fail_level = 99;
        else if (parse_level(o.fail_on, &s) == 0 && s != ALINEA_SEV_INFO) fail_level = (int)s;
        else {
            rc = cli_usage_error("check", "--fail-on: '%s' is not error, warning or never", o.fail_on);
            goto cleanup;
        }
    }
    int color = 0;
    if (!o.color || strcmp(o.color, "auto") == 0)
        color = !o.output && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
    else if (strcmp(o.color, "always") == 0)
        color = 1;
    else if (strcmp(o.color, "never") != 0) {
        rc = cli_usage_error("check", "--color: '%s' is not auto, always or never", o.color);
        goto cleanup;
    }
    int spans = 0;
    if (!o.spans || strcmp(o.spans, "auto") == 0)
        spans = !o.output && isatty(STDOUT_FILENO);
    else if (strcmp(o.spans, "always") == 0)
        spans = 1;
    else if (strcmp(o.spans, "never") != 0) {
        rc = cli_usage_error("check", "--spans: '%s' is not auto, always or never", o.spans);
        goto cleanup;
    }
    const char *path = argv[optind], *path2 = nargs == 2 ? argv[optind + 1] : NULL;
    if (refuse_clobber(&o, path, path2, cfg_used)) {
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if ((st = alinea_pair_reader_open(ctx, path, path2, o.srclang, o.tgtlang, &rd)) != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    if (o.annotate && !alinea_pair_reader_is_tmx(rd)) {
        rc = cli_usage_error("check", "--annotate needs a TMX input");
        goto cleanup;
    }
    if (!o.annotate) /* the TUs themselves are needed only to annotate */
        alinea_pair_reader_prefetch(rd);
    if ((st = alinea_out_open(ctx, o.output, &out)) != ALINEA_OK) {
        rc = EXIT_OUTPUT;
        cli_fail(ctx, st);
        goto cleanup;
    }
    if (o.write_supp && (st = alinea_out_open(ctx, o.write_supp, &supp_out)) != ALINEA_OK) {
        rc = EXIT_OUTPUT;
        cli_fail(ctx, st);
        goto cleanup;
    }
    if ((st = alinea_report_new(ctx, alinea_out_stream(out), fmt, path,
                                (color ? ALINEA_REPORT_COLOR : 0u) | (spans ? ALINEA_REPORT_SPANS : 0u),
                                &rep)) != ALINEA_OK) {
        rc = cli_fail(ctx, st);
        goto cleanup;
    }
    size_t unit = 0;
    for (;;) {
        const alinea_pair *p = NULL;
        if ((st = alinea_pair_reader_next(rd, &p)) != ALINEA_OK) {
            rc = cli_fail(ctx, st);
            goto cleanup;
        }
        if (!p)
            break;
        if (!chk) {
            /* languages are known once the first unit is read (TMX) */
            if ((st = alinea_checker_new(ctx, alinea_pair_reader_srclang(rd),
                                         alinea_pair_reader_tgtlang(rd), &chk)) != ALINEA_OK) {
                rc = cli_fail(ctx, st);
                goto cleanup;
            }
            for (int i = 0; i < o.nlist[0] && !rc; i++)
                rc = apply_ids(chk, ctx, o.list[0][i], 1);
            for (int i = 0; i < o.nlist[1] && !rc; i++)
                rc = apply_ids(chk, ctx, o.list[1][i], 0);
            for (int i = 0; i < o.nlist[2] && !rc; i++) {
                char buf[128];
                snprintf(buf, sizeof buf, "%s", o.list[2][i]);
                char *eq = strchr(buf, '=');
                alinea_severity s;
                if (!eq || (*eq = 0, parse_level(eq + 1, &s) != 0) ||
                    alinea_checker_set_severity(chk, buf, s) != ALINEA_OK)
                    rc = cli_usage_error("check", "--severity: '%s' is not ID=error|warning|info "
                                                  "with a known check id", o.list[2][i]);
            }
            if (rc)
                goto cleanup;
            for (int i = 0; i < o.ngloss; i++)
                if ((st = alinea_checker_add_glossary(chk, o.gloss[i])) != ALINEA_OK) {
                    rc = cli_fail(ctx, st);
                    goto cleanup;
                }
            for (int i = 0; i < o.nsupp; i++)
                if ((st = alinea_checker_add_suppressions(chk, o.supp[i])) != ALINEA_OK) {
                    rc = cli_fail(ctx, st);
                    goto cleanup;
                }
            if (o.annotate) {
                alinea_tmx_header h;
                memset(&h, 0, sizeof h);
                h.srclang = alinea_pair_reader_srclang(rd);
                if ((st = alinea_tmx_writer_open(ctx, o.annotate, &h, &ann)) != ALINEA_OK) {
                    rc = EXIT_OUTPUT;
                    cli_fail(ctx, st);
                    goto cleanup;
                }
            }
        }
        unit++;
        alinea_finding *f = NULL;
        size_t n = 0;
        if ((st = alinea_checker_check(chk, p->src, p->srclen, p->tgt, p->tgtlen, &f, &n)) != ALINEA_OK) {
            rc = cli_fail(ctx, st);
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++) {
            if (f[i].severity == ALINEA_SEV_ERROR) errors++;
            else if (f[i].severity == ALINEA_SEV_WARNING) warnings++;
            else infos++;
            if ((int)f[i].severity >= fail_level && rc == EXIT_OK)
                rc = EXIT_FINDINGS;
        }
        st = alinea_report_unit(rep, unit, p->src, p->srclen, p->tgt, p->tgtlen, f, n);
        if (st == ALINEA_OK && ann)
            st = annotate_tu(ann, (const alinea_tu *)p->tu, f, n);
        if (st == ALINEA_OK && supp_out && n) {
            char hash[17];
            alinea_unit_hash(p->src, p->srclen, p->tgt, p->tgtlen, hash);
            for (size_t i = 0; i < n; i++)
                fprintf(alinea_out_stream(supp_out), "%s\t%s\tunit %zu: %s\n", hash, f[i].check,
                        unit, f[i].message);
        }
        alinea_findings_free(f, n);
        if (st != ALINEA_OK) {
            cli_fail(ctx, st);
            rc = st == ALINEA_ERR_NOMEM || st == ALINEA_ERR_IO || st == ALINEA_ERR_XML ? EXIT_OUTPUT : cli_exit_code(st);
            goto cleanup;
        }
    }
    st = alinea_report_finish(rep);
    rep = NULL;
    if (st == ALINEA_OK) {
        st = alinea_out_commit(out); /* frees out, also on failure */
        out = NULL;
    } /* else out stays set: aborted (temporary file removed) at cleanup */
    if (st == ALINEA_OK && ann) {
        st = alinea_tmx_writer_finish(ann);
        ann = NULL;
    }
    if (st == ALINEA_OK && supp_out) {
        st = alinea_out_commit(supp_out);
        supp_out = NULL;
    }
    if (st != ALINEA_OK) {
        cli_fail(ctx, st);
        rc = EXIT_OUTPUT;
        goto cleanup;
    }
    if (fmt == ALINEA_REPORT_TEXT)
        fprintf(stderr, "%s: %zu unit%s, %zu error%s, %zu warning%s\n", path, unit,
                unit == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s");
    (void)infos;
cleanup:
    alinea_report_free(rep);
    alinea_out_abort(out);
    alinea_out_abort(supp_out);
    alinea_tmx_writer_free(ann);
    alinea_checker_free(chk);
    alinea_pair_reader_free(rd);
    for (int i = 0; i < o.ncfg; i++)
        free(o.cfg_strings[i]);
    alinea_ctx_free(ctx);
    return rc;
}
