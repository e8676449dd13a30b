/* test_check.c - the checker on segment pairs, table-driven: numbers by
 * value, dates, times, codes, entities (glossary, folding, inflection) and
 * the standard checks. Public headers only. */
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

#include "alinea_check.h"

typedef struct pcase {
    const char *tgtlang;
    const char *src, *tgt;
    const char *error;   /* check id of the expected error, "" for no error */
    const char *warning; /* check id of an expected warning, or NULL */
} pcase;

static const pcase CASES[] = {
    /* numbers by value */
    {"en", "Le parc compte 48\xC2\xA0" "500 arbres.", "The park has 48,500 trees.", "", NULL},
    {"en", "Le stade accueille 12 000 spectateurs.", "The stadium holds 120,000 spectators.", "number", NULL},
    {"en", "Le taux passe à 1,5 %.", "The rate rises to 15%.", "number", NULL},
    {"en", "Le colis pèse 1,250 kg.", "The parcel weighs 1,250 kg.", "", "ambiguous"},
    {"en", "Le projet a coûté 3,2 milliards d'euros.", "The project cost €3.2 billion.", "", NULL},
    {"en", "La dette atteint 2 billions d'euros.", "The debt reaches €2 billion.", "number", NULL},
    {"en", "Il reste deux places.", "There are 3 seats left.", "number", NULL},
    {"en", "Les trois sites ferment.", "The 3 sites are closing.", "", NULL},
    {"en", "3 chambres et 3 salles de bain", "3 bedrooms and 2 bathrooms", "number", NULL},
    {"en", "Il fait \xE2\x88\x92" "8 °C.", "It is 8°C.", "number", NULL},
    {"en", "Comptez 10 à 15 minutes.", "Allow 10-15 minutes.", "", NULL},
    {"en", "Le château date du XVe siècle.", "The castle dates from the 15th century.", "", NULL},
    {"en", "L'équipe a fini 3e.", "The team finished 3th.", "ordinal", NULL},
    {"nl", "Le 3e trimestre progresse.", "Het 3e kwartaal groeit.", "", NULL},
    /* dates and times */
    {"en", "Publié le 6 août.", "Published on 6 August.", "", NULL},
    {"en", "Publié le 6 août.", "Published on August 6.", "", NULL},
    {"nl", "Publié le 6 août.", "Gepubliceerd op 6 augustus.", "", NULL},
    {"de", "Publié le 6 août.", "Veröffentlicht am 6. August.", "", NULL},
    {"en", "Une enquête le 15 août.", "An investigation on 15 April.", "date", NULL},
    {"en", "Ouverture à 14 h 30.", "Opens at 2:30 p.m.", "", NULL},
    {"en", "Ouverture à 14 h 30.", "Opens at 3:30 p.m.", "time", NULL},
    /* codes */
    {"en", "Remplacez le filtre F-220.", "Replace the F-202 filter.", "code", NULL},
    {"en", "L'Airbus A320 décolle.", "The Airbus A320 takes off.", "", NULL},
    {"en", "Définissez MAX_CONNEXIONS sur 50.", "Set MAX_CONNECTIONS to 50.", "code", NULL},
    /* entities */
    {"en", "Un centre de données aux Pays-Bas.", "A data center in the Netherlands.", "", NULL},
    {"en", "Un centre de données aux Pays-Bas.", "A data center in Belgium.", "entity", "entity-extra"},
    {"nl", "Un centre de données aux Pays-Bas.", "Een datacenter in Nederland.", "", NULL},
    {"en", "L'ONU a adopté la résolution.", "The UN adopted the resolution.", "", NULL},
    {"en", "Il a parlé avec Israël.", "He spoke with Israel.", "", NULL},
    {"en", "Contactez la CNIL.", "Contact the CNLI.", "entity", NULL},
    {"en", "Le salon se tient à Lyon.", "The fair is held in Lille.", "entity", NULL},
    {"nl", "Le tribunal siège à La Haye.", "De rechtbank zetelt in Den Haag.", "", NULL},
    {"en", "Le ministre de la Défense Gallant a parlé.", "The Defense Minister spoke.", "entity", NULL},
    {"en", "Contactez Jean-Pierre Lefèvre.", "Contact Jean-Paul Lefèvre.", "entity", NULL},
    {"en", "M. Dupont a vu Mme Martin le lundi 3 mars.", "Mr Dupont saw Ms Martin on Monday 3 March.", "", NULL},
    {"en", "Environ 1,2 million de personnes.", "About 1.2 billion people.", "number", NULL},
    {"en", "Environ 1,2 million de personnes.", "About 1.2 million people.", "", NULL},
    {"en", "Il est arrivé à 8 h 15.", "He arrived at 8:50 a.m.", "time", NULL},
    {"en", "Le match est à 20 h 45.", "The match is at 8.45pm.", "", NULL},
    {"en", "La loi n° 2024-318 du 5 avril 2024.", "Law no. 2024-318 of 5 April 2024.", "", NULL},
    {"en", "Les 27 États membres de l'UE.", "The 27 EU member states.", "", NULL},
    {"en", "Selon l'Insee, l'inflation atteint 2 %.", "According to INSEE, inflation is 2%.", "", NULL},
    /* standard checks */
    {"en", "Bonjour tout le monde.", "", "", "empty"},
    {"en", "Bonjour tout le monde.", "Bonjour tout le monde.", "", "identical"},
    {"en", "Ambroise Tellier", "Ambroise Tellier", "", NULL},
    {"en", "Une phrase.", "A  sentence.", "", "double-space"},
    {"en", "Une question ?", "A question.", "", "end-punct"},
    {"en", "Voir https://example.org/a.", "See https://example.com/a.", "url", NULL},
    {"en", "Cliquez sur %s pour {0}.", "Click %s.", "placeholder", NULL},
    {"en", "Texte <b>gras</b>.", "Bold text.", "placeholder", NULL},
};

static void test_table(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    alinea_checker *chk[3] = {NULL, NULL, NULL};
    const char *langs[3] = {"en", "nl", "de"};
    for (int k = 0; k < 3; k++) {
        if (alinea_checker_new(ctx, "fr", langs[k], &chk[k]) != ALINEA_OK)
            fail_msg("checker fr-%s: %s", langs[k], alinea_ctx_errmsg(ctx));
        assert_int_equal(alinea_checker_enable(chk[k], "consistency", 0), ALINEA_OK);
    }
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        const pcase *c = &CASES[i];
        int k = strcmp(c->tgtlang, "en") == 0 ? 0 : strcmp(c->tgtlang, "nl") == 0 ? 1 : 2;
        alinea_finding *f = NULL;
        size_t n = 0;
        assert_int_equal(alinea_checker_check(chk[k], c->src, strlen(c->src), c->tgt,
                                              strlen(c->tgt), &f, &n),
                         ALINEA_OK);
        int got_error = 0, got_warning = c->warning == NULL;
        char seen[1024] = "";
        for (size_t j = 0; j < n; j++) {
            size_t l = strlen(seen);
            snprintf(seen + l, sizeof seen - l, " [%s %s: %s]",
                     alinea_severity_name(f[j].severity), f[j].check, f[j].message);
            if (f[j].severity == ALINEA_SEV_ERROR) {
                if (!*c->error || strcmp(f[j].check, c->error) != 0)
                    fail_msg("case %zu '%s' -> '%s': unexpected error:%s", i, c->src, c->tgt, seen);
                got_error = 1;
            }
            if (c->warning && strcmp(f[j].check, c->warning) == 0)
                got_warning = 1;
            assert_true(f[j].src_end <= strlen(c->src) && f[j].tgt_end <= strlen(c->tgt));
        }
        if (*c->error && !got_error)
            fail_msg("case %zu '%s' -> '%s': no '%s' error:%s", i, c->src, c->tgt, c->error, seen);
        if (!got_warning)
            fail_msg("case %zu '%s' -> '%s': no '%s' warning:%s", i, c->src, c->tgt, c->warning,
                     seen);
        alinea_findings_free(f, n);
    }
    for (int k = 0; k < 3; k++)
        alinea_checker_free(chk[k]);
    alinea_ctx_free(ctx);
}

static void test_controls(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    alinea_checker *chk = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    assert_int_equal(alinea_checker_new(ctx, "fr", "en", &chk), ALINEA_OK);
    assert_int_equal(alinea_checker_enable(chk, "no-such-check", 1), ALINEA_ERR_INVALID);
    assert_int_equal(alinea_checker_set_severity(chk, "number", ALINEA_SEV_WARNING), ALINEA_OK);
    const char *s = "Le stade accueille 12 000 spectateurs.";
    const char *t = "The stadium holds 120,000 spectators.";
    alinea_finding *f = NULL;
    size_t n = 0;
    assert_int_equal(alinea_checker_check(chk, s, strlen(s), t, strlen(t), &f, &n), ALINEA_OK);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].check, "number");
    assert_int_equal(f[0].severity, ALINEA_SEV_WARNING);
    assert_int_equal(f[0].src_start, 19);
    assert_int_equal(f[0].src_end, 25);
    alinea_findings_free(f, n);
    assert_int_equal(alinea_checker_enable(chk, "number", 0), ALINEA_OK);
    assert_int_equal(alinea_checker_check(chk, s, strlen(s), t, strlen(t), &f, &n), ALINEA_OK);
    for (size_t j = 0; j < n; j++)
        assert_string_not_equal(f[j].check, "number");
    alinea_findings_free(f, n);
    /* consistency across units: same source, different target */
    assert_int_equal(alinea_checker_check(chk, "Oui.", 4, "Yes.", 4, &f, &n), ALINEA_OK);
    alinea_findings_free(f, n);
    assert_int_equal(alinea_checker_check(chk, "Oui.", 4, "Yeah.", 5, &f, &n), ALINEA_OK);
    int cons = 0;
    for (size_t j = 0; j < n; j++)
        cons |= strcmp(f[j].check, "consistency") == 0;
    assert_true(cons);
    alinea_findings_free(f, n);
    alinea_findings_free(NULL, 0);
    alinea_checker_free(chk);
    alinea_checker_free(NULL);
    char h1[17], h2[17];
    alinea_unit_hash("a", 1, "b", 1, h1);
    alinea_unit_hash("a", 1, "c", 1, h2);
    assert_int_equal(strlen(h1), 16);
    assert_string_not_equal(h1, h2);
    size_t nc = 0;
    const alinea_check_info *tab = alinea_check_table(&nc);
    assert_true(nc >= 18);
    assert_string_equal(tab[0].id, "number");
    alinea_ctx_free(ctx);
}

/* A user glossary: its terms are required in the target ("terminology"). */
static void test_user_glossary(void **state)
{
    (void)state;
    char path[] = "/tmp/alinea-test-gloss-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("# client terms\ncentrale\tpower plant\nélectrolyseur\telectrolyser\n", f);
    fclose(f);
    alinea_ctx *ctx = NULL;
    alinea_checker *chk = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    assert_int_equal(alinea_checker_new(ctx, "fr", "en", &chk), ALINEA_OK);
    assert_int_equal(alinea_checker_add_glossary(chk, path), ALINEA_OK);
    static const struct { const char *s, *t; int want; } cases[] = {
        {"La centrale ouvre.", "The power plant opens.", 0},
        {"Les centrales ouvrent.", "The power plants open.", 0},
        {"La centrale ouvre.", "The factory opens.", 1},
        {"Un électrolyseur de 600 MW.", "A 600 MW electrolyser.", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        alinea_finding *fs = NULL;
        size_t n = 0;
        assert_int_equal(alinea_checker_check(chk, cases[i].s, strlen(cases[i].s), cases[i].t,
                                              strlen(cases[i].t), &fs, &n),
                         ALINEA_OK);
        int got = 0;
        for (size_t j = 0; j < n; j++)
            got |= strcmp(fs[j].check, "terminology") == 0;
        if (got != cases[i].want)
            fail_msg("glossary case %zu: terminology finding %d, expected %d", i, got,
                     cases[i].want);
        alinea_findings_free(fs, n);
    }
    alinea_checker_free(chk);
    unlink(path);
    /* a malformed glossary is an error naming file and line */
    assert_int_equal(alinea_checker_new(ctx, "fr", "en", &chk), ALINEA_OK);
    char path2[] = "/tmp/alinea-test-gloss-XXXXXX";
    fd = mkstemp(path2);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("ok\tfine\nno tab here\n", f);
    fclose(f);
    assert_int_equal(alinea_checker_add_glossary(chk, path2), ALINEA_ERR_FORMAT);
    assert_non_null(strstr(alinea_ctx_errmsg(ctx), ":2:"));
    unlink(path2);
    alinea_checker_free(chk);
    /* TBX (TBX-Basic termEntry/langSet/tig/term), read with libxml2 */
    char path3[] = "/tmp/alinea-test-tbx-XXXXXX";
    fd = mkstemp(path3);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<martif type=\"TBX-Basic\" xml:lang=\"en\">"
          "<text><body><termEntry id=\"t1\">"
          "<langSet xml:lang=\"fr\"><tig><term>digue</term></tig></langSet>"
          "<langSet xml:lang=\"en\"><tig><term>dyke</term></tig><tig><term>dike</term></tig></langSet>"
          "</termEntry></body></text></martif>\n", f);
    fclose(f);
    assert_int_equal(alinea_checker_new(ctx, "fr", "en", &chk), ALINEA_OK);
    assert_int_equal(alinea_checker_add_glossary(chk, path3), ALINEA_OK);
    static const struct { const char *s, *t; int want; } tbx[] = {
        {"La digue cède.", "The dike gives way.", 0},
        {"La digue cède.", "The dyke gives way.", 0},
        {"La digue cède.", "The wall gives way.", 1},
    };
    for (size_t i = 0; i < sizeof tbx / sizeof *tbx; i++) {
        alinea_finding *fs = NULL;
        size_t n = 0;
        assert_int_equal(alinea_checker_check(chk, tbx[i].s, strlen(tbx[i].s), tbx[i].t,
                                              strlen(tbx[i].t), &fs, &n),
                         ALINEA_OK);
        int got = 0;
        for (size_t j = 0; j < n; j++)
            got |= strcmp(fs[j].check, "terminology") == 0;
        if (got != tbx[i].want)
            fail_msg("TBX case %zu: terminology finding %d, expected %d", i, got, tbx[i].want);
        alinea_findings_free(fs, n);
    }
    unlink(path3);
    alinea_checker_free(chk);
    alinea_ctx_free(ctx);
}

/* Pathological pairs: random pieces (names, numbers, tags, URLs, invalid
 * UTF-8, quotes) never crash the checker and give spans inside the texts. */
static void test_random_pairs(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "Pays-Bas", "Netherlands", "ONU", "UN", "Jean-Pierre", "Lyon", "12 000", "120,000",
        "1,250", "3.10", "%s", "{0}", "<b>", "</b>", "\xEF\xBF\xBC", "https://a.b/c", "x@y.z",
        "\xC2\xAB", "\xC2\xBB", "(", ")", " ", "  ", ".", "?", "\xFF", "ao\xC3\xBBt", "6",
        "XIXe", "deux", "Mme", "M.", "l\xE2\x80\x99", "Isra\xC3\xABl", "14 h 30", "2:30 p.m.",
        "\xE2\x88\x92" "8", "A320", "MAX_X", "\t", "\n", "Europe", "europ\xC3\xA9" "en"};
    const size_t np = sizeof pieces / sizeof *pieces;
    alinea_ctx *ctx = NULL;
    alinea_checker *chk = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    assert_int_equal(alinea_checker_new(ctx, "fr", "en", &chk), ALINEA_OK);
    assert_int_equal(alinea_checker_enable(chk, "all", 1), ALINEA_OK);
    uint32_t x = 88172645u;
    for (int k = 0; k < 800; k++) {
        char buf[2][400];
        size_t len[2] = {0, 0};
        for (int side = 0; side < 2; side++) {
            int n = (int)(x % 16);
            for (int j = 0; j < n; j++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                const char *p = pieces[x % np];
                size_t pl = strlen(p);
                if (len[side] + pl + 1 >= sizeof buf[side])
                    break;
                memcpy(buf[side] + len[side], p, pl);
                len[side] += pl;
                buf[side][len[side]++] = (x & 1) ? ' ' : ',';
            }
            buf[side][len[side]] = 0;
        }
        alinea_finding *f = NULL;
        size_t n = 0;
        assert_int_equal(alinea_checker_check(chk, buf[0], len[0], buf[1], len[1], &f, &n),
                         ALINEA_OK);
        for (size_t j = 0; j < n; j++) {
            assert_true(f[j].src_start <= f[j].src_end && f[j].src_end <= len[0]);
            assert_true(f[j].tgt_start <= f[j].tgt_end && f[j].tgt_end <= len[1]);
            assert_non_null(f[j].message);
        }
        alinea_findings_free(f, n);
    }
    alinea_checker_free(chk);
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_random_pairs),
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_user_glossary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
