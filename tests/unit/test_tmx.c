/* test_tmx.c - TMX writer and reader through the public API: round trips,
 * language tags, control characters, inline codes, compatibility switches,
 * hostile and broken files (tests/data/tmx). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alinea.h"
#include "alinea_tmx.h"

typedef struct warnings {
    int n;
    char last[1024];
} warnings;

static void on_warn(void *ud, const char *msg)
{
    warnings *w = ud;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

static alinea_ctx *new_ctx(warnings *w)
{
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    memset(w, 0, sizeof *w);
    alinea_ctx_set_warning_handler(ctx, on_warn, w);
    return ctx;
}

static char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 256, "%s/alinea-test-tmx-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid(), name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const char *data(const char *name)
{
    static char buf[1024];
    const char *dir = getenv("ALINEA_TEST_DATA");
    snprintf(buf, sizeof buf, "%s/tmx/%s", dir ? dir : "tests/data", name);
    return buf;
}

/* Write TUs, read them back, compare. */
static void test_round_trip(void **state)
{
    (void)state;
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    const char *path = tmp_path("rt.tmx");
    alinea_inline codes[] = {{"bpt", "<bpt i=\"1\" type=\"bold\">&lt;b&gt;</bpt>"},
                             {"ept", "<ept i=\"1\">&lt;/b&gt;</ept>"}};
    alinea_prop props[] = {{"x-alinea-score", "0.875"}, {"x-alinea-bead", "2-1"}};
    char *notes[] = {"check: number 5 vs 6"};
    alinea_prop attrs[] = {{"changedate", "20240102T030405Z"}, {"bogus", "x"}};
    alinea_tuv tuvs[] = {
        {.lang = "en_GB", .text = "The \xEF\xBF\xBC" "bold\xEF\xBF\xBC word."},
        {.lang = "FR", .text = "Le mot \xEF\xBF\xBC" "gras\xEF\xBF\xBC & <5>.", .ncodes = 2,
         .codes = codes},
    };
    tuvs[0].ncodes = 2;
    tuvs[0].codes = codes;
    alinea_tu tu = {.tuid = NULL, .nprops = 2, .props = props, .nnotes = 1, .notes = notes,
                    .ntuvs = 2, .tuvs = tuvs, .nattrs = 2, .attrs = attrs};
    alinea_tmx_header h = {.srclang = "fr", .creationdate = "20250101T000000Z",
                           .tuid_prefix = "seed-"};
    alinea_tmx_writer *w;
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    assert_non_null(strstr(wn.last, "1 attribute")); /* "bogus" left out */

    const char *xml = slurp(path);
    static const char *const must[] = {
        "creationtool=\"Alinea\"", "segtype=\"sentence\"", "o-tmf=\"Alinea\"",
        "adminlang=\"en\"", "srclang=\"fr\"", "datatype=\"plaintext\"",
        "creationdate=\"20250101T000000Z\"", "tuid=\"seed-1\"", "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        assert_non_null(strstr(xml, must[i]));
    /* DTD order: note, prop, then tuv; the source (fr) TUV first. */
    assert_true(strstr(xml, "<note>") < strstr(xml, "<prop"));
    assert_true(strstr(xml, "<prop") < strstr(xml, "<tuv"));
    assert_true(strstr(xml, "xml:lang=\"fr\"") < strstr(xml, "xml:lang=\"en-GB\""));
    assert_non_null(strstr(xml, "& <5>") == NULL ? strstr(xml, "&amp; &lt;5&gt;") : NULL);

    alinea_tmx_reader *r;
    const alinea_tu *got;
    assert_int_equal(alinea_tmx_reader_open(ctx, path, &r), ALINEA_OK);
    assert_int_equal(alinea_tmx_reader_next(r, &got), ALINEA_OK);
    assert_non_null(got);
    assert_string_equal(alinea_tmx_reader_srclang(r), "fr");
    assert_string_equal(got->tuid, "seed-1");
    assert_int_equal(got->ntuvs, 2);
    assert_string_equal(got->tuvs[0].lang, "fr");
    assert_string_equal(got->tuvs[1].lang, "en-GB");
    assert_string_equal(got->tuvs[0].text, "Le mot \xEF\xBF\xBC" "gras\xEF\xBF\xBC & <5>.");
    assert_int_equal(got->tuvs[0].ncodes, 2);
    assert_string_equal(got->tuvs[0].codes[0].element, "bpt");
    assert_string_equal(got->tuvs[0].codes[0].xml, codes[0].xml);
    assert_string_equal(got->tuvs[0].codes[1].xml, codes[1].xml);
    assert_string_equal(alinea_tu_prop(got, "x-alinea-score"), "0.875");
    assert_string_equal(alinea_tu_prop(got, "x-alinea-bead"), "2-1");
    assert_int_equal(got->nnotes, 1);
    assert_string_equal(got->notes[0], "check: number 5 vs 6");
    assert_string_equal(alinea_tu_attr(got, "changedate"), "20240102T030405Z");
    assert_null(alinea_tu_attr(got, "bogus"));
    assert_true(got->line > 0);
    const alinea_tuv *en = alinea_tu_find(got, "en");
    assert_non_null(en);
    assert_string_equal(en->lang, "en-GB");
    assert_null(alinea_tu_find(got, "nl"));
    alinea_tu *copy;
    assert_int_equal(alinea_tu_copy(ctx, got, &copy), ALINEA_OK);
    assert_int_equal(alinea_tmx_reader_next(r, &got), ALINEA_OK);
    assert_null(got);
    assert_string_equal(copy->tuvs[1].text, "The \xEF\xBF\xBC" "bold\xEF\xBF\xBC word.");
    alinea_tu_free(copy);
    alinea_tu_free(NULL);
    alinea_tmx_reader_free(r);
    unlink(path);
    alinea_ctx_free(ctx);
}

/* C0 controls dropped or replaced, counted in one warning; invalid UTF-8 refused. */
static void test_controls(void **state)
{
    (void)state;
    static const struct {
        unsigned flags;
        const char *text, *want, *warn;
    } cases[] = {
        {0, "a\x01" "b\x1F" "c\td", "ab" "c\td", "2 control characters dropped"},
        {ALINEA_TMX_CTRL_REPLACE, "a\x0B" "b", "a\xEF\xBF\xBD" "b", "1 control character replaced"},
        {0, "plain", "plain", NULL},
        /* VT (Word's manual line break) and FF (page break) separate words:
         * written as a space, still counted. */
        {0, "Premi\xC3\xA8re ligne.\x0BSuite.\x0C" "Fin.\x01", "Premi\xC3\xA8re ligne. Suite. Fin.",
         "3 control characters dropped (XML 1.0 forbids them; 2 VT or FF written as a space)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        warnings wn;
        alinea_ctx *ctx = new_ctx(&wn);
        const char *path = tmp_path("ctl.tmx");
        alinea_tuv tuvs[] = {{.lang = "fr", .text = (char *)cases[i].text},
                             {.lang = "en", .text = "x"}};
        alinea_tu tu = {.ntuvs = 2, .tuvs = tuvs};
        alinea_tmx_header h = {.srclang = "fr", .flags = cases[i].flags};
        alinea_tmx_writer *w;
        assert_int_equal(alinea_tmx_writer_open(ctx, path, &h, &w), ALINEA_OK);
        assert_int_equal(alinea_tmx_writer_add(w, &tu), ALINEA_OK);
        assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
        if (cases[i].warn)
            assert_non_null(strstr(wn.last, cases[i].warn));
        else
            assert_int_equal(wn.n, 0);
        alinea_tmx_reader *r;
        const alinea_tu *got;
        assert_int_equal(alinea_tmx_reader_open(ctx, path, &r), ALINEA_OK);
        assert_int_equal(alinea_tmx_reader_next(r, &got), ALINEA_OK);
        assert_string_equal(got->tuvs[0].text, cases[i].want);
        alinea_tmx_reader_free(r);
        unlink(path);
        alinea_ctx_free(ctx);
    }
    /* Invalid UTF-8: ENCODING, and an existing target file is left untouched. */
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    const char *path = tmp_path("keep.tmx");
    FILE *f = fopen(path, "w");
    fputs("precious", f);
    fclose(f);
    alinea_tuv tuvs[] = {{.lang = "fr", .text = "bad \xC3("}, {.lang = "en", .text = "x"}};
    alinea_tu tu = {.ntuvs = 2, .tuvs = tuvs};
    alinea_tmx_header h = {.srclang = "fr"};
    alinea_tmx_writer *w;
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu), ALINEA_ERR_ENCODING);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), "invalid UTF-8"));
    alinea_tmx_writer_free(w);
    assert_string_equal(slurp(path), "precious");
    unlink(path);
    alinea_ctx_free(ctx);
}

/* Header validation and compatibility switches. */
static void test_switches(void **state)
{
    (void)state;
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    alinea_tmx_writer *w = NULL;
    const char *path = tmp_path("sw.tmx");
    alinea_tmx_header bad[] = {{.srclang = NULL}, {.srclang = "fr", .segtype = "word"},
                               {.srclang = "fr", .creationdate = "2025-01-01"},
                               {.srclang = "f r"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(alinea_tmx_writer_open(ctx, path, &bad[i], &w), ALINEA_ERR_INVALID);
        assert_null(w);
    }
    alinea_tuv t1[] = {{.lang = "fr", .text = "Un."}, {.lang = "en", .text = "One."},
                       {.lang = "nl", .text = "Een."}};
    alinea_tuv t2[] = {{.lang = "fr", .text = "Deux phrases longues."},
                       {.lang = "nl", .text = "Twee."}};
    alinea_tuv t3[] = {{.lang = "fr", .text = "Trois."}, {.lang = "en", .text = "Three."}};
    alinea_tu tus[] = {{.ntuvs = 3, .tuvs = t1}, {.ntuvs = 2, .tuvs = t2},
                       {.ntuvs = 2, .tuvs = t3}};
    alinea_tmx_header h = {.srclang = "fr", .target_lang = "en", .max_seg_chars = 5,
                           .flags = ALINEA_TMX_NO_DOCTYPE};
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h, &w), ALINEA_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(alinea_tmx_writer_add(w, &tus[i]), ALINEA_OK);
    size_t skipped;
    /* t2 has no English, t3's "Three." is 6 code points > 5 */
    assert_int_equal(alinea_tmx_writer_count(w, &skipped), 1);
    assert_int_equal(skipped, 2);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    const char *xml = slurp(path);
    assert_null(strstr(xml, "DOCTYPE"));
    assert_null(strstr(xml, "Een."));
    assert_non_null(strstr(xml, "One."));
    assert_non_null(strstr(wn.last, "2 TUs skipped"));
    /* A TUV without a language is left out, not an error. */
    alinea_tuv t4[] = {{.lang = "fr", .text = "Quatre."}, {.lang = "", .text = "?"}};
    alinea_tu tu4 = {.ntuvs = 2, .tuvs = t4};
    alinea_tmx_header h4 = {.srclang = "fr"};
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h4, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu4), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    assert_non_null(strstr(wn.last, "1 TUV without a language left out (0 TUs left empty"));
    assert_null(strstr(slurp(path), "<seg>?</seg>"));
    /* Plain-text output: inline codes left out and counted. */
    alinea_inline codes[] = {{"ph", "<ph>&lt;br/&gt;</ph>"}};
    alinea_tuv t5[] = {{.lang = "fr", .text = "A\xEF\xBF\xBC" "B", .ncodes = 1, .codes = codes},
                       {.lang = "en", .text = "A B"}};
    alinea_tu tu5 = {.ntuvs = 2, .tuvs = t5};
    alinea_tmx_header h5 = {.srclang = "fr", .flags = ALINEA_TMX_PLAIN};
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h5, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu5), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    assert_non_null(strstr(wn.last, "1 inline code left out"));
    assert_non_null(strstr(slurp(path), "<seg>AB</seg>"));
    /* An element TMX does not know becomes a <ph> holding its XML (the DTD
     * allows no other element in <seg>). */
    alinea_inline odd[] = {{"b", "<b>bold</b>"}};
    t5[0].codes = odd;
    h5.flags = 0;
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h5, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu5), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    assert_non_null(strstr(slurp(path), "<seg>A<ph>&lt;b&gt;bold&lt;/b&gt;</ph>B</seg>"));
    assert_non_null(strstr(wn.last, "1 inline element out of place repaired"));
    /* Control characters inside a code are dropped and counted like those
     * of the text. */
    alinea_inline ctl[] = {{"ph", "<ph>&lt;br\x01/&gt;</ph>"}};
    t5[0].codes = ctl;
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h5, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu5), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    assert_non_null(strstr(slurp(path), "<seg>A<ph>&lt;br/&gt;</ph>B</seg>"));
    assert_non_null(strstr(wn.last, "1 control character dropped"));
    /* A code that is not XML at all is refused. */
    alinea_inline badcode[] = {{"ph", "<b"}};
    t5[0].codes = badcode;
    assert_int_equal(alinea_tmx_writer_open(ctx, path, &h5, &w), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_add(w, &tu5), ALINEA_ERR_INVALID);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), "inline code is not one"));
    alinea_tmx_writer_free(w);
    unlink(path);
    alinea_ctx_free(ctx);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* <hi> and <sub> hold translatable text: it stays in the segment text (so
 * that the checker, TSV/Moses output and word counts see it), their tags are
 * U+FFFC codes of their own, and writing puts the markup back. Markup the
 * DTD forbids (<sub> in <hi>, elements TMX does not know) is repaired so the
 * output stays valid. */
static void test_inline_text(void **state)
{
    (void)state;
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header "
        "creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
        "adminlang=\"en\" srclang=\"fr\" datatype=\"plaintext\"/><body>\n";
    static const struct {
        const char *seg;  /* <seg> content in the file */
        const char *text; /* alinea_tuv.text */
        size_t ncodes;
        const char *elements; /* codes[].element, space-separated */
        const char *xml0;     /* codes[0].xml */
        const char *written;  /* the <seg> as written back */
    } cases[] = {
        {"Le budget est de <hi type=\"b\">64 000 euros</hi> \xC3\xA0 Paris.",
         "Le budget est de \xEF\xBF\xBC" "64 000 euros\xEF\xBF\xBC \xC3\xA0 Paris.", 2, "hi hi",
         "<hi type=\"b\">",
         "<seg>Le budget est de <hi type=\"b\">64 000 euros</hi> \xC3\xA0 Paris.</seg>"},
        {"<hi x=\"1\">A <hi>B</hi> <bpt i=\"1\">&lt;b&gt;</bpt>C<ept i=\"1\">&lt;/b&gt;</ept></hi>",
         "\xEF\xBF\xBC" "A \xEF\xBF\xBC" "B\xEF\xBF\xBC \xEF\xBF\xBC" "C\xEF\xBF\xBC\xEF\xBF\xBC", 6,
         "hi hi hi bpt ept hi", "<hi x=\"1\">",
         "<seg><hi x=\"1\">A <hi>B</hi> <bpt i=\"1\">&lt;b&gt;</bpt>C<ept i=\"1\">&lt;/b&gt;</ept>"
         "</hi></seg>"},
        {"Voir <ph x=\"1\">&lt;img alt=\"<sub>Un chat de 3 kg</sub>\"&gt;</ph>.",
         "Voir \xEF\xBF\xBCUn chat de 3 kg\xEF\xBF\xBC.", 2, "ph ph",
         "<ph x=\"1\">&lt;img alt=\"<sub>",
         "<seg>Voir <ph x=\"1\">&lt;img alt=&quot;<sub>Un chat de 3 kg</sub>&quot;&gt;</ph>.</seg>"},
        /* The DTD has no <sub> in <hi>: unwrapped on writing, text kept. */
        {"a <hi type=\"b\">b <sub>c</sub></hi>", "a \xEF\xBF\xBC" "b \xEF\xBF\xBC" "c\xEF\xBF\xBC\xEF\xBF\xBC",
         4, "hi sub sub hi", "<hi type=\"b\">", "<seg>a <hi type=\"b\">b c</hi></seg>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        warnings wn;
        alinea_ctx *ctx = new_ctx(&wn);
        const char *in = tmp_path("hi-in.tmx"), *out = tmp_path("hi-out.tmx");
        char file[4096];
        snprintf(file, sizeof file,
                 "%s<tu><tuv xml:lang=\"fr\"><seg>%s</seg></tuv>"
                 "<tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n</body></tmx>\n",
                 head, cases[i].seg);
        write_file(in, file);
        /* Read: the text inside <hi>/<sub> is segment text. */
        alinea_tmx_reader *r;
        const alinea_tu *tu;
        assert_int_equal(alinea_tmx_reader_open(ctx, in, &r), ALINEA_OK);
        assert_int_equal(alinea_tmx_reader_next(r, &tu), ALINEA_OK);
        assert_non_null(tu);
        assert_string_equal(tu->tuvs[0].text, cases[i].text);
        assert_int_equal(tu->tuvs[0].ncodes, cases[i].ncodes);
        char elements[256] = "";
        for (size_t k = 0; k < tu->tuvs[0].ncodes; k++)
            snprintf(elements + strlen(elements), sizeof elements - strlen(elements), "%s%s",
                     k ? " " : "", tu->tuvs[0].codes[k].element);
        assert_string_equal(elements, cases[i].elements);
        assert_string_equal(tu->tuvs[0].codes[0].xml, cases[i].xml0);
        /* Write: the markup comes back. */
        alinea_tmx_header h = {.srclang = "fr", .creationdate = "20250101T000000Z"};
        alinea_tmx_writer *w;
        assert_int_equal(alinea_tmx_writer_open(ctx, out, &h, &w), ALINEA_OK);
        assert_int_equal(alinea_tmx_writer_add(w, tu), ALINEA_OK);
        assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
        alinea_tmx_reader_free(r);
        const char *xml = slurp(out);
        if (!strstr(xml, cases[i].written))
            fail_msg("case %zu: want %s in:\n%s", i, cases[i].written, xml);
        /* The file written validates (TMX 1.4b structure of the DTD). */
        size_t nproblems = 99;
        assert_int_equal(alinea_tmx_validate(ctx, out, NULL, NULL, NULL, &nproblems), ALINEA_OK);
        assert_int_equal(nproblems, 0);
        unlink(in);
        unlink(out);
        alinea_ctx_free(ctx);
    }
    /* Converted to TSV and counted in the stats, the highlighted words stay. */
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    const char *in = tmp_path("hi-tsv.tmx"), *tsv = tmp_path("hi.tsv");
    char file[4096];
    snprintf(file, sizeof file,
             "%s<tu><tuv xml:lang=\"fr\"><seg>Le budget est de <hi type=\"b\">64 000 euros</hi>."
             "</seg></tuv><tuv xml:lang=\"en\"><seg>The budget is <hi type=\"b\">46,000 "
             "euros</hi>.</seg></tuv></tu>\n</body></tmx>\n",
             head);
    write_file(in, file);
    const char *outs[2] = {tsv, NULL};
    size_t n = 0;
    assert_int_equal(alinea_tmx_to_text(ctx, in, ALINEA_TMX_TSV, NULL, "en", outs, &n), ALINEA_OK);
    assert_int_equal(n, 1);
    assert_string_equal(slurp(tsv), "Le budget est de 64 000 euros.\tThe budget is 46,000 euros.\n");
    alinea_tmx_stats *st;
    assert_int_equal(alinea_tmx_stats_file(ctx, in, &st), ALINEA_OK);
    assert_int_equal(st->nlangs, 2);
    assert_int_equal(st->langs[0].words, 7); /* Le budget est de 64 000 euros */
    assert_int_equal(st->langs[1].words, 5); /* The budget is 46,000 euros */
    alinea_tmx_stats_free(st);
    unlink(in);
    unlink(tsv);
    alinea_ctx_free(ctx);
}

/* Hostile and broken inputs fail cleanly, with file and line, nothing disclosed. */
static void test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        alinea_status st;
        const char *msg;
    } cases[] = {
        {"billion-laughs.tmx", ALINEA_ERR_FORMAT, "declares entities"},
        {"xxe.tmx", ALINEA_ERR_FORMAT, "declares entities"},
        {"truncated.tmx", ALINEA_ERR_FORMAT, "truncated.tmx:"},
        {"bad-utf8.tmx", ALINEA_ERR_ENCODING, "bad-utf8.tmx:2:"},
        {"not-tmx.xml", ALINEA_ERR_FORMAT, "not a TMX file"},
        {"no-such-file.tmx", ALINEA_ERR_IO, "no-such-file.tmx"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        warnings wn;
        alinea_ctx *ctx = new_ctx(&wn);
        alinea_tmx_reader *r = NULL;
        alinea_status st = alinea_tmx_reader_open(ctx, data(cases[i].file), &r);
        const alinea_tu *tu = NULL;
        size_t n = 0;
        while (st == ALINEA_OK && (st = alinea_tmx_reader_next(r, &tu)) == ALINEA_OK && tu) {
            n++;
            for (size_t k = 0; k < tu->ntuvs; k++)
                assert_null(strstr(tu->tuvs[k].text, "root:"));
        }
        assert_int_equal(st, cases[i].st);
        assert_non_null(strstr(alinea_ctx_errmsg(ctx), cases[i].msg));
        assert_null(strstr(alinea_ctx_errmsg(ctx), "root:"));
        alinea_tmx_reader_free(r);
        alinea_ctx_free(ctx);
    }
}

/* Files that read with a recovery or need decoding. */
static void test_recoveries(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t units;
        const char *srclang, *first_text, *warn;
    } cases[] = {
        {"mislabelled-utf16.tmx", 3, "en-US", "Save the file.", "says UTF-16"},
        {"utf16le-cdata.tmx", 1, "fr-FR", "Prix < 5 \xE2\x82\xAC & plus", NULL},
        {"xxe-dtd.tmx", 1, "en", "root", NULL},
        {"utf8-labelled-latin1.tmx", 1, "fr", "R\xC3\xA9sum\xC3\xA9 \xE2\x82\xAC",
         "says ISO-8859-1 but the bytes are UTF-8"},
        {"latin1.tmx", 1, "fr", "R\xC3\xA9sum\xC3\xA9", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        warnings wn;
        alinea_ctx *ctx = new_ctx(&wn);
        alinea_tmx_reader *r;
        assert_int_equal(alinea_tmx_reader_open(ctx, data(cases[i].file), &r), ALINEA_OK);
        const alinea_tu *tu;
        size_t n = 0;
        while (alinea_tmx_reader_next(r, &tu) == ALINEA_OK && tu) {
            if (n == 0)
                assert_string_equal(tu->tuvs[0].text, cases[i].first_text);
            n++;
        }
        assert_non_null(alinea_tmx_reader_srclang(r));
        assert_string_equal(alinea_tmx_reader_srclang(r), cases[i].srclang);
        assert_int_equal(n, cases[i].units);
        if (cases[i].warn)
            assert_non_null(strstr(wn.last, cases[i].warn));
        else
            assert_int_equal(wn.n, 0);
        alinea_tmx_reader_free(r);
        alinea_ctx_free(ctx);
    }
}

/* Validation rules the DTD cannot express, with line numbers. */
typedef struct problems {
    int n;
    char all[4096];
} problems;

static void on_problem(void *ud, size_t line, const char *msg)
{
    problems *p = ud;
    p->n++;
    size_t used = strlen(p->all);
    snprintf(p->all + used, sizeof p->all - used, "%zu: %s\n", line, msg);
}

static void test_validate(void **state)
{
    (void)state;
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    const char *path = tmp_path("val.tmx");
    FILE *f = fopen(path, "w");
    fputs("<?xml version=\"1.0\"?>\n"
          "<tmx version=\"1.4\">\n"
          "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"word\" o-tmf=\"t\" "
          "adminlang=\"en\" datatype=\"plaintext\"/>\n"
          "<body>\n"
          "<tu srclang=\"en\"><tuv xml:lang=\"en\"><seg>a <bpt i=\"1\"/>b<bpt i=\"1\"/></seg></tuv></tu>\n"
          "<tu><tuv xml:lang=\"fr\"><seg>c <ept i=\"2\"/></seg><prop type=\"x\">late</prop></tuv></tu>\n"
          "<tu srclang=\"de\"><tuv xml:lang=\"fr\"><seg>d</seg></tuv></tu>\n"
          "</body>\n</tmx>\n",
          f);
    fclose(f);
    problems p;
    memset(&p, 0, sizeof p);
    size_t n;
    assert_int_equal(alinea_tmx_validate(ctx, path, NULL, on_problem, &p, &n), ALINEA_OK);
    static const char *const want[] = {
        "3: <header> lacks the required attribute srclang",
        "3: <header segtype=\"word\">",
        "5: <bpt i=\"1\">: i is not unique",
        "5: <bpt i=\"1\"> has no matching <ept",
        "6: <prop> after <seg> in <tuv>",
        "6: <tu> without srclang while the header has none",
        "6: <ept i=\"2\"> without an earlier <bpt",
        "7: <tu> has no <tuv> in its source language de",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(p.all, want[i]))
            fail_msg("missing problem '%s' in:\n%s", want[i], p.all);
    }
    assert_int_equal((int)n, p.n);
    unlink(path);
    alinea_ctx_free(ctx);
}

/* Pathological input: deterministic mutations of a valid file (bytes
 * flipped, cut, duplicated, markup characters inserted). The reader must
 * answer OK or an error with a message, never crash or hang; every TU it
 * returns must be writable again (its inline codes are well-formed XML). */
static void test_mutations(void **state)
{
    (void)state;
    warnings wn;
    alinea_ctx *ctx = new_ctx(&wn);
    const char *src = tmp_path("mut-src.tmx"), *mut = tmp_path("mut.tmx"),
               *out = tmp_path("mut-out.tmx");
    alinea_inline codes[] = {{"bpt", "<bpt i=\"1\">&lt;b&gt;</bpt>"},
                             {"ept", "<ept i=\"1\">&lt;/b&gt;</ept>"},
                             {"ph", "<ph x=\"2\">&lt;br/&gt;<sub>alt</sub></ph>"}};
    alinea_prop props[] = {{"x-alinea-score", "0.5"}};
    char *notes[] = {"n & <m>"};
    alinea_tuv tuvs[] = {
        {.lang = "fr", .text = "\xEF\xBF\xBC" "Gras\xEF\xBF\xBC et \xEF\xBF\xBC fin.", .ncodes = 3,
         .codes = codes, .nprops = 1, .props = props, .nnotes = 1, .notes = notes},
        {.lang = "en", .text = "Bold \xEF\xBF\xBC" "x\xEF\xBF\xBC y\xEF\xBF\xBC.", .ncodes = 3,
         .codes = codes},
    };
    alinea_tu tu = {.ntuvs = 2, .tuvs = tuvs, .nprops = 1, .props = props};
    alinea_tmx_header h = {.srclang = "fr", .creationdate = "20250101T000000Z"};
    alinea_tmx_writer *w;
    assert_int_equal(alinea_tmx_writer_open(ctx, src, &h, &w), ALINEA_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(alinea_tmx_writer_add(w, &tu), ALINEA_OK);
    assert_int_equal(alinea_tmx_writer_finish(w), ALINEA_OK);
    char orig[1 << 14];
    FILE *f = fopen(src, "rb");
    size_t n = fread(orig, 1, sizeof orig, f);
    fclose(f);
    assert_true(n > 500 && n < sizeof orig);
    static const char inserts[] = "<>&;\"'\x00\xff\xc3/]!-?";
    uint32_t seed = 12345;
    size_t ok_files = 0, bad_files = 0;
    for (int round = 0; round < 400; round++) {
        char buf[1 << 15];
        size_t len = n;
        memcpy(buf, orig, n);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            switch ((seed >> 4) % 4) {
            case 0: buf[pos] = inserts[(seed >> 16) % (sizeof inserts - 1)]; break;
            case 1: len = pos + 1; break;
            case 2:
                if (len + 20 < sizeof buf) {
                    memmove(buf + pos + 20, buf + pos, len - pos);
                    len += 20;
                }
                break;
            default: buf[pos] ^= (char)(1u << ((seed >> 20) % 8)); break;
            }
        }
        f = fopen(mut, "wb");
        fwrite(buf, 1, len, f);
        fclose(f);
        alinea_tmx_reader *r;
        assert_int_equal(alinea_tmx_reader_open(ctx, mut, &r), ALINEA_OK);
        alinea_tmx_writer *w2 = NULL;
        alinea_tmx_header h2 = {.srclang = "fr"};
        assert_int_equal(alinea_tmx_writer_open(ctx, out, &h2, &w2), ALINEA_OK);
        const alinea_tu *got;
        alinea_status st;
        while ((st = alinea_tmx_reader_next(r, &got)) == ALINEA_OK && got) {
            int has_lang = 1;
            for (size_t k = 0; k < got->ntuvs; k++)
                has_lang &= got->tuvs[k].lang[0] != '\0';
            if (got->ntuvs && has_lang) {
                alinea_status ws = alinea_tmx_writer_add(w2, got);
                /* a tag the writer cannot normalise or a code it refuses is an
                 * error with a message, never a crash */
                if (ws != ALINEA_OK) {
                    assert_true(alinea_ctx_errmsg(ctx)[0] != '\0');
                    break;
                }
            }
        }
        if (st == ALINEA_OK)
            ok_files++;
        else {
            bad_files++;
            assert_true(alinea_ctx_errmsg(ctx)[0] != '\0');
        }
        alinea_tmx_writer_free(w2);
        alinea_tmx_reader_free(r);
    }
    assert_int_equal(ok_files + bad_files, 400);
    assert_true(bad_files > 0);
    unlink(src);
    unlink(mut);
    unlink(out);
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_controls),
        cmocka_unit_test(test_switches),   cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_recoveries), cmocka_unit_test(test_validate),
        cmocka_unit_test(test_mutations),  cmocka_unit_test(test_inline_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
