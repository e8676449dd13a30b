/* test_align.c - the aligner through its public API: ladders on small
 * bitexts, pathological inputs, and the multi-target grouping rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alinea.h"
#include "alinea_align.h"
#include "alinea_text.h"

static alinea_doc *doc_of(alinea_ctx *ctx, const char *lang, const char *const *segs, size_t n)
{
    size_t *lens = calloc(n + 1, sizeof *lens);
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(segs[i]);
    alinea_doc *d = NULL;
    assert_int_equal(alinea_doc_from_segments(ctx, lang, segs, lens, NULL, n, &d), ALINEA_OK);
    free(lens);
    return d;
}

/* Render a ladder as "[0]:[0] [1, 2]:[1]" for comparison. */
static void render(const alinea_bead *b, size_t n, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        at += (size_t)snprintf(buf + at, cap - at, "%s[", i ? " " : "");
        for (size_t k = 0; k < b[i].nsrc; k++)
            at += (size_t)snprintf(buf + at, cap - at, k ? ", %zu" : "%zu", b[i].src + k);
        at += (size_t)snprintf(buf + at, cap - at, "]:[");
        for (size_t k = 0; k < b[i].ntgt; k++)
            at += (size_t)snprintf(buf + at, cap - at, k ? ", %zu" : "%zu", b[i].tgt + k);
        at += (size_t)snprintf(buf + at, cap - at, "]");
    }
}

static void check_cover(const alinea_bead *b, size_t n, size_t ns, size_t nt)
{
    size_t s = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(b[i].src, s);
        assert_int_equal(b[i].tgt, t);
        assert_true(b[i].nsrc + b[i].ntgt > 0);
        assert_true(b[i].score >= 0 && b[i].score <= 1);
        s += b[i].nsrc;
        t += b[i].ntgt;
    }
    assert_int_equal(s, ns);
    assert_int_equal(t, nt);
}

/* Small French-English bitexts with their expected ladders. */
static void test_ladders(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *fr[8];
        const char *en[8];
        const char *want;
    } cases[] = {
        {"1-1",
         {"Le conseil a voté le budget de 2024 le 12 mars.", "La séance a été levée à midi.",
          "Les Pays-Bas ont demandé un nouveau rapport sur la pêche."},
         {"The council voted the 2024 budget on 12 March.", "The session was closed at noon.",
          "The Netherlands asked for a new report on fishing."},
         "[0]:[0] [1]:[1] [2]:[2]"},
        {"2-1: two French sentences joined",
         {"Microsoft a investi 3 milliards en Irlande.", "Il y a un problème.",
          "La société emploie 12 000 personnes à Dublin, dont 400 ingénieurs.",
          "Le siège reste à Redmond."},
         {"Microsoft invested 3 billion in Ireland.",
          "There is a problem.",
          "The company employs 12,000 people in Dublin, including 400 engineers, and its "
          "headquarters remain in Redmond."},
         "[0]:[0] [1]:[1] [2, 3]:[2]"},
        {"1-2: one French sentence split",
         {"Le rapport de 1995 décrit 42 méthodes, dont trois sont nouvelles, et il conclut "
          "que Montréal doit investir davantage dans la recherche.",
          "Le ministre a répondu le 4 avril."},
         {"The 1995 report describes 42 methods, three of which are new.",
          "It concludes that Montreal must invest more in research.",
          "The minister answered on 4 April."},
         "[0]:[0, 1] [1]:[2]"},
        {"1-0: a sentence left out",
         {"Le train part à 8 h 15 de Lyon.", "Lire aussi notre dossier complet sur les transports.",
          "Il arrive à Paris à 10 h 20 avec 600 passagers."},
         {"The train leaves Lyon at 8:15.", "It reaches Paris at 10:20 with 600 passengers."},
         "[0]:[0] [1]:[] [2]:[1]"},
    };
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t ns = 0, nt = 0;
        while (ns < 8 && cases[c].fr[ns])
            ns++;
        while (nt < 8 && cases[c].en[nt])
            nt++;
        alinea_doc *s = doc_of(ctx, "fr", cases[c].fr, ns), *t = doc_of(ctx, "en", cases[c].en, nt);
        alinea_aligner *a;
        assert_int_equal(alinea_aligner_new(ctx, "fr", "en", &a), ALINEA_OK);
        alinea_bead *b;
        size_t n;
        assert_int_equal(alinea_aligner_run(a, s, t, &b, &n), ALINEA_OK);
        check_cover(b, n, ns, nt);
        char got[512];
        render(b, n, got, sizeof got);
        if (strcmp(got, cases[c].want) != 0)
            fail_msg("%s: got %s, want %s", cases[c].name, got, cases[c].want);
        alinea_free(b);
        alinea_aligner_free(a);
        alinea_doc_free(s);
        alinea_doc_free(t);
    }
    alinea_ctx_free(ctx);
}

/* Empty documents, one side empty, and very different lengths. */
static void test_pathological(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    alinea_aligner *a;
    assert_int_equal(alinea_aligner_new(ctx, "fr", "en", &a), ALINEA_OK);
    static const char *one[] = {"Une seule phrase ici."};
    size_t big = 10000;
    const char **many = calloc(big, sizeof *many);
    char **store = calloc(big, sizeof *store);
    for (size_t i = 0; i < big; i++) {
        store[i] = malloc(64);
        snprintf(store[i], 64, "Sentence number %zu of a long text.", i);
        many[i] = store[i];
    }
    alinea_doc *empty = doc_of(ctx, "fr", one, 0), *empty_en = doc_of(ctx, "en", one, 0);
    alinea_doc *s1 = doc_of(ctx, "fr", one, 1), *tbig = doc_of(ctx, "en", many, big);
    struct {
        alinea_doc *s, *t;
        size_t ns, nt;
    } cases[] = {
        {empty, empty_en, 0, 0}, {s1, empty_en, 1, 0}, {empty, tbig, 0, big}, {s1, tbig, 1, big},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        alinea_bead *b = NULL;
        size_t n = 99;
        assert_int_equal(alinea_aligner_run(a, cases[c].s, cases[c].t, &b, &n), ALINEA_OK);
        check_cover(b, n, cases[c].ns, cases[c].nt);
        alinea_free(b);
    }
    for (size_t i = 0; i < big; i++)
        free(store[i]);
    free(store);
    free(many);
    alinea_doc_free(empty);
    alinea_doc_free(empty_en);
    alinea_doc_free(s1);
    alinea_doc_free(tbig);
    alinea_aligner_free(a);
    alinea_aligner_free(NULL);
    alinea_ctx_free(ctx);
}

static void test_bad_lang(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    alinea_aligner *a = (alinea_aligner *)1;
    assert_int_equal(alinea_aligner_new(ctx, "f r", "en", &a), ALINEA_ERR_INVALID);
    assert_null(a);
    assert_true(strstr(alinea_ctx_errmsg(ctx), "f r") != NULL);
    alinea_ctx_free(ctx);
}

/* Parse "[0]:[0] [1, 2]:[1]" into beads (score = 0.5). */
static size_t parse(const char *s, alinea_bead *b)
{
    size_t n = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t v[2][8], c[2] = {0, 0};
        for (int side = 0; side < 2; side++) {
            assert_true(*s == '[');
            s++;
            while (*s != ']') {
                char *end;
                v[side][c[side]++] = strtoul(s, &end, 10);
                s = end;
                while (*s == ',' || *s == ' ')
                    s++;
            }
            s++;
            if (side == 0) {
                assert_true(*s == ':');
                s++;
            }
        }
        b[n].nsrc = c[0];
        b[n].ntgt = c[1];
        b[n].src = c[0] ? v[0][0] : (n ? b[n - 1].src + b[n - 1].nsrc : 0);
        b[n].tgt = c[1] ? v[1][0] : (n ? b[n - 1].tgt + b[n - 1].ntgt : 0);
        b[n].score = 0.5;
        n++;
    }
    return n;
}

/* The multi-target rule: French spans joined in any language are joined in
 * all; 0-1 beads at a boundary become their own group. */
static void test_group(void **state)
{
    (void)state;
    static const struct {
        size_t nsrc;
        const char *en, *nl;
        const char *want_en, *want_nl;
    } cases[] = {
        {3, "[0]:[0] [1]:[1] [2]:[2]", "[0]:[0] [1]:[1] [2]:[2]",
         "[0]:[0] [1]:[1] [2]:[2]", "[0]:[0] [1]:[1] [2]:[2]"},
        {3, "[0, 1]:[0] [2]:[1]", "[0]:[0] [1]:[1] [2]:[2]",
         "[0, 1]:[0] [2]:[1]", "[0, 1]:[0, 1] [2]:[2]"},
        {3, "[0]:[0] [1]:[] [2]:[1]", "[0]:[0] [1, 2]:[1]",
         "[0]:[0] [1, 2]:[1]", "[0]:[0] [1, 2]:[1]"},
        {2, "[0]:[0] []:[1] [1]:[2]", "[0]:[0] [1]:[1]",
         "[0]:[0] []:[1] [1]:[2]", "[0]:[0] []:[] [1]:[1]"},
        {3, "[0, 1]:[0] [2]:[1, 2]", "[0]:[0] [1, 2]:[1]",
         "[0, 1, 2]:[0, 1, 2]", "[0, 1, 2]:[0, 1]"},
    };
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        alinea_bead en[16], nl[16];
        size_t nen = parse(cases[c].en, en), nnl = parse(cases[c].nl, nl);
        const alinea_bead *lad[2] = {en, nl};
        size_t nb[2] = {nen, nnl};
        alinea_bead *g;
        size_t ng;
        assert_int_equal(alinea_align_group(ctx, cases[c].nsrc, 2, lad, nb, &g, &ng), ALINEA_OK);
        alinea_bead ge[16], gn[16];
        for (size_t i = 0; i < ng; i++) {
            ge[i] = g[2 * i];
            gn[i] = g[2 * i + 1];
            assert_int_equal(ge[i].src, gn[i].src);
            assert_int_equal(ge[i].nsrc, gn[i].nsrc);
        }
        char got[256];
        render(ge, ng, got, sizeof got);
        if (strcmp(got, cases[c].want_en))
            fail_msg("case %zu en: got %s, want %s", c, got, cases[c].want_en);
        render(gn, ng, got, sizeof got);
        if (strcmp(got, cases[c].want_nl))
            fail_msg("case %zu nl: got %s, want %s", c, got, cases[c].want_nl);
        alinea_free(g);
    }
    /* a ladder that does not cover the source */
    alinea_bead bad[2];
    size_t nbad = parse("[0]:[0] [2]:[1]", bad);
    const alinea_bead *lad[1] = {bad};
    alinea_bead *g = NULL;
    size_t ng = 0;
    assert_int_equal(alinea_align_group(ctx, 3, 1, lad, &nbad, &g, &ng), ALINEA_ERR_INVALID);
    assert_null(g);
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ladders),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_bad_lang),
        cmocka_unit_test(test_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
