/* test_numbers.c - number, date, time and code recognition per locale
 * (alinea_numscan_*), table-driven. Public header only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "alinea_check.h"

typedef struct ncase {
    const char *lang;
    const char *text;
    size_t count;        /* numbers expected in the text */
    size_t which;        /* the one to inspect */
    alinea_numkind kind;
    double value;        /* VALUE/SPELLED; DATE: day*100+month; TIME: minutes */
    unsigned flags;      /* flags that must be set */
    const char *code;    /* CODE text, or NULL */
} ncase;

#define V ALINEA_NUM_VALUE
#define SP ALINEA_NUM_SPELLED
#define CO ALINEA_NUM_CODE
#define DA ALINEA_NUM_DATE
#define TI ALINEA_NUM_TIME

static const ncase CASES[] = {
    /* grouping: space, NBSP, narrow NBSP, comma, dot */
    {"fr", "64 000 personnes", 1, 0, V, 64000, 0, NULL},
    {"fr", "64\xC2\xA0" "000 personnes", 1, 0, V, 64000, 0, NULL},
    {"fr", "64\xE2\x80\xAF" "000 personnes", 1, 0, V, 64000, 0, NULL},
    {"en", "64,000 people", 1, 0, V, 64000, ALINEA_NUMF_AMBIGUOUS, NULL},
    {"de", "64.000 Menschen", 1, 0, V, 64000, ALINEA_NUMF_AMBIGUOUS, NULL},
    {"nl", "64.000 mensen", 1, 0, V, 64000, ALINEA_NUMF_AMBIGUOUS, NULL},
    {"fr", "1 250 000 €", 1, 0, V, 1250000, ALINEA_NUMF_CURRENCY, NULL},
    {"en", "€1,250,000", 1, 0, V, 1250000, ALINEA_NUMF_CURRENCY, NULL},
    {"de", "1.299,90 €", 1, 0, V, 1299.9, 0, NULL},
    /* decimals */
    {"fr", "1,5 kg", 1, 0, V, 1.5, 0, NULL},
    {"en", "1.5 kg", 1, 0, V, 1.5, 0, NULL},
    {"fr", "2,7 %", 1, 0, V, 2.7, ALINEA_NUMF_PERCENT, NULL},
    /* the ambiguity rule: one separator + three digits */
    {"fr", "1,250 kg", 1, 0, V, 1.25, ALINEA_NUMF_AMBIGUOUS, NULL},
    {"en", "1,250 kg", 1, 0, V, 1250, ALINEA_NUMF_AMBIGUOUS, NULL},
    /* lists and ranges */
    {"fr", "annexes 4,7,9", 3, 1, V, 7, 0, NULL},
    {"en", "aged 6-10", 2, 1, V, 10, 0, NULL},
    {"fr", "de 10 à 15 minutes", 2, 1, V, 15, 0, NULL},
    /* signs */
    {"fr", "\xE2\x88\x92" "8 \xC2\xB0" "C", 1, 0, V, -8, 0, NULL},
    {"en", "-8 degrees", 1, 0, V, -8, 0, NULL},
    /* scale words */
    {"fr", "3,2 milliards d'euros", 1, 0, V, 3.2e9, ALINEA_NUMF_SCALED, NULL},
    {"en", "3.2 billion euros", 1, 0, V, 3.2e9, ALINEA_NUMF_SCALED, NULL},
    {"fr", "2 billions d'euros", 1, 0, V, 2e12, ALINEA_NUMF_SCALED, NULL},
    {"fr", "1 500 millions", 1, 0, V, 1.5e9, ALINEA_NUMF_SCALED, NULL},
    {"nl", "40 miljoen euro", 1, 0, V, 4e7, ALINEA_NUMF_SCALED, NULL},
    {"nl", "3 miljard", 1, 0, V, 3e9, ALINEA_NUMF_SCALED, NULL},
    {"de", "2 Milliarden Euro", 1, 0, V, 2e9, ALINEA_NUMF_SCALED, NULL},
    {"fr", "40 M€", 1, 0, V, 4e7, ALINEA_NUMF_SCALED, NULL},
    {"en", "64k users", 1, 0, V, 64000, ALINEA_NUMF_SCALED, NULL},
    /* ordinals (ICU RBNF %digits-ordinal) */
    {"fr", "1er", 1, 0, V, 1, ALINEA_NUMF_ORDINAL, NULL},
    {"fr", "1re", 1, 0, V, 1, ALINEA_NUMF_ORDINAL, NULL},
    {"fr", "3e trimestre", 1, 0, V, 3, ALINEA_NUMF_ORDINAL, NULL},
    {"en", "1st", 1, 0, V, 1, ALINEA_NUMF_ORDINAL, NULL},
    {"en", "23rd", 1, 0, V, 23, ALINEA_NUMF_ORDINAL, NULL},
    {"en", "3th", 1, 0, V, 3, ALINEA_NUMF_MALFORMED, NULL},
    {"nl", "3e kwartaal", 1, 0, V, 3, ALINEA_NUMF_ORDINAL, NULL},
    /* Roman numerals (ICU roman numbering system) */
    {"fr", "le XIXe siècle", 1, 0, V, 19, ALINEA_NUMF_ROMAN | ALINEA_NUMF_ORDINAL, NULL},
    {"fr", "Louis XIV", 1, 0, V, 14, ALINEA_NUMF_ROMAN, NULL},
    {"fr", "Le roi", 0, 0, V, 0, 0, NULL},
    /* spelled-out (ICU RBNF spell-out) */
    {"fr", "deux places", 1, 0, SP, 2, 0, NULL},
    {"fr", "soixante-quatre ans", 1, 0, SP, 64, 0, NULL},
    {"en", "two eggs", 1, 0, SP, 2, 0, NULL},
    {"en", "the second attempt", 1, 0, SP, 2, ALINEA_NUMF_ORDINAL, NULL},
    {"nl", "twee eieren", 1, 0, SP, 2, 0, NULL},
    {"de", "zwei Eier", 1, 0, SP, 2, 0, NULL},
    /* times */
    {"fr", "à 14 h 30", 1, 0, TI, 870, 0, NULL},
    {"fr", "à 14h30", 1, 0, TI, 870, 0, NULL},
    {"en", "at 2:30 p.m.", 1, 0, TI, 870, 0, NULL},
    {"en", "at 2 pm", 1, 0, TI, 840, 0, NULL},
    {"en", "at 14:30", 1, 0, TI, 870, 0, NULL},
    {"de", "um 14.30 Uhr", 1, 0, TI, 870, 0, NULL},
    {"nl", "om 14.30 uur", 1, 0, TI, 870, 0, NULL},
    /* dates (ICU month names; numeric order from the short date pattern) */
    {"fr", "le 6 août", 1, 0, DA, 608, 0, NULL},
    {"en", "on August 6", 1, 0, DA, 608, 0, NULL},
    {"en", "on 6 August", 1, 0, DA, 608, 0, NULL},
    {"de", "am 6. August", 1, 0, DA, 608, 0, NULL},
    {"nl", "op 6 augustus", 1, 0, DA, 608, 0, NULL},
    {"fr", "le 1er mai", 1, 0, DA, 105, 0, NULL},
    {"en", "March 14, 2025", 2, 0, DA, 1403, 0, NULL},
    {"fr", "03/04/2025", 2, 0, DA, 304, 0, NULL},
    {"en", "03/04/2025", 2, 0, DA, 403, 0, NULL},
    {"de", "03.04.2025", 2, 0, DA, 304, 0, NULL},
    {"fr", "en août", 1, 0, DA, 8, 0, NULL},
    {"en", "you may go", 0, 0, V, 0, 0, NULL},
    /* codes compared as whole tokens */
    {"fr", "l'A320 d'Airbus", 1, 0, CO, 0, 0, "A320"},
    {"en", "COVID-19 cases", 1, 0, CO, 0, 0, "COVID-19"},
    {"fr", "le filtre F-220", 1, 0, CO, 0, 0, "F-220"},
    {"en", "CO\xE2\x82\x82 emissions", 1, 0, CO, 0, 0, "CO2"},
    {"fr", "la version 3.10", 1, 0, CO, 0, 0, "3.10"},
    {"fr", "MAX_CONNEXIONS", 1, 0, CO, 0, 0, "MAX_CONNEXIONS"},
    {"fr", "l'Unité 8200", 1, 0, V, 8200, 0, NULL},
    /* phone numbers: one code, compared by digits */
    {"fr", "Appelez le 01 23 45 67 89.", 1, 0, CO, 0, 0, "0123456789"},
    {"fr", "Appelez le 06.12.34.56.78.", 1, 0, CO, 0, 0, "0612345678"},
    {"fr", "de 10 12 ans", 2, 0, V, 10, 0, NULL},
};

static void test_table(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        const ncase *c = &CASES[i];
        alinea_numscan *s = NULL;
        assert_int_equal(alinea_numscan_new(ctx, c->lang, &s), ALINEA_OK);
        const alinea_number *n = NULL;
        size_t cnt = 0;
        assert_int_equal(alinea_numscan_run(s, c->text, strlen(c->text), &n, &cnt), ALINEA_OK);
        if (cnt != c->count)
            fail_msg("case %zu [%s] '%s': %zu numbers, expected %zu", i, c->lang, c->text, cnt,
                     c->count);
        if (c->count) {
            const alinea_number *x = &n[c->which];
            if (x->kind != c->kind)
                fail_msg("case %zu '%s': kind %d, expected %d", i, c->text, (int)x->kind,
                         (int)c->kind);
            double got = x->kind == DA ? x->day * 100 + x->month
                         : x->kind == TI ? x->minutes
                                         : x->value;
            if (x->kind != CO && fabs(got - c->value) > 1e-9 * fmax(1, fabs(c->value)))
                fail_msg("case %zu '%s': value %.10g, expected %.10g", i, c->text, got, c->value);
            if ((x->flags & c->flags) != c->flags)
                fail_msg("case %zu '%s': flags 0x%x lack 0x%x", i, c->text, x->flags, c->flags);
            if (c->code && strcmp(x->code, c->code) != 0)
                fail_msg("case %zu '%s': code '%s', expected '%s'", i, c->text, x->code, c->code);
            assert_true(x->start < x->end && x->end <= strlen(c->text));
        }
        alinea_numscan_free(s);
    }
    alinea_ctx_free(ctx);
}

static void test_ambiguous_alt(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    alinea_numscan *s = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    assert_int_equal(alinea_numscan_new(ctx, "fr", &s), ALINEA_OK);
    const alinea_number *n;
    size_t cnt;
    assert_int_equal(alinea_numscan_run(s, "1,250", 5, &n, &cnt), ALINEA_OK);
    assert_int_equal(cnt, 1);
    assert_true(fabs(n[0].value - 1.25) < 1e-12);
    assert_true(fabs(n[0].alt - 1250) < 1e-9);
    alinea_numscan_free(s);
    alinea_numscan_free(NULL);
    assert_int_equal(alinea_numscan_new(ctx, "", &s), ALINEA_ERR_INVALID);
    alinea_ctx_free(ctx);
}

/* Pathological input: random strings over the characters the scanner cares
 * about (digits, separators, spaces, signs, units, months, Roman letters,
 * invalid bytes) must give spans inside the text and never crash (the
 * sanitizer build runs this too). Deterministic (xorshift). */
static void test_random_robustness(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "0", "1", "2", "9", "12", "2024", ",", ".", " ", "\xC2\xA0", "\xE2\x80\xAF", "-",
        "\xE2\x88\x92", "+", "%", "\xE2\x82\xAC", "$", "h", "H", ":", "/", "e", "er", "th",
        "st", "k", "M", "milliards", "million", "ao\xC3\xBBt", "August", "augustus", "X", "I",
        "V", "XIXe", "p.m.", "uur", "A", "_", "\xEF\xBF\xBC", "\xFF", "\xC3", "deux", "\t",
        "1,250", "3.10", "'", "\xE2\x80\x99", "(", ")"};
    const size_t np = sizeof pieces / sizeof *pieces;
    const char *langs[] = {"fr", "en", "nl", "de"};
    alinea_ctx *ctx = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    uint32_t x = 2463534242u;
    for (int l = 0; l < 4; l++) {
        alinea_numscan *s = NULL;
        assert_int_equal(alinea_numscan_new(ctx, langs[l], &s), ALINEA_OK);
        for (int k = 0; k < 1500; k++) {
            char buf[512];
            size_t len = 0;
            int n = 1 + (int)(x % 24);
            for (int j = 0; j < n; j++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                const char *p = pieces[x % np];
                size_t pl = strlen(p);
                if (len + pl >= sizeof buf)
                    break;
                memcpy(buf + len, p, pl);
                len += pl;
            }
            buf[len] = 0;
            const alinea_number *nums = NULL;
            size_t cnt = 0;
            assert_int_equal(alinea_numscan_run(s, buf, len, &nums, &cnt), ALINEA_OK);
            for (size_t i = 0; i < cnt; i++)
                assert_true(nums[i].start <= nums[i].end && nums[i].end <= len);
        }
        alinea_numscan_free(s);
    }
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_ambiguous_alt),
        cmocka_unit_test(test_random_robustness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
