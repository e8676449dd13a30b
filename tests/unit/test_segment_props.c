#define _POSIX_C_SOURCE 200809L
/* test_segment_props.c - properties of the segmenter on random text (a
 * deterministic fuzz): whatever the input, segments are ordered, disjoint,
 * inside the text, trimmed, non-empty, on UTF-8 boundaries, and together they
 * cover every non-space character; paragraphs never decrease. The same for an
 * SRX segmenter, and random damage to an SRX file never crashes the loader. */
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
#include "alinea_segment.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* Pieces that exercise the rules: terminators, quotes, brackets, French
 * spacing, abbreviations, initials, numbers, list markers, URLs, newlines. */
static const char *const pieces[] = {
    ".", ". ", "!", "?", " ?", "\u00a0?", "\u202f!", "\u2026", "...", ". . .", " \u00bb", "\u00ab ",
    "\"", "'", "\u2019", "\u201d", ")", "(", "[", "]", "[4]", " ", " ", " ", "  ", "\n", "\n\n",
    "\r\n", "\t", "M.", "Mme", "etc.", "p.", "art.", "J.-C.", "U.S.", "a.m.", "J.", "K.", "I.", "1.",
    "2.", "a)", "b)", "\u2022", "12", "3,5", "2.3", "14 h 30", "www.ex.fr", "a@b.fr", "Le", "la",
    "Il", "nous", "Puis", "mot", "Paris", "\u00e9t\u00e9", "\u00c9cole", "XIV", "Pdt", "x", "",
};

static size_t make_text(char *buf, size_t cap)
{
    size_t n = 0, k = 1 + next_rand() % 60;
    for (size_t i = 0; i < k; i++) {
        const char *p = pieces[next_rand() % (sizeof pieces / sizeof *pieces)];
        size_t l = strlen(p);
        if (n + l + 1 >= cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    buf[n] = '\0';
    return n;
}

static int is_space_at(const char *t, size_t i, size_t len, size_t *w)
{
    unsigned char c = (unsigned char)t[i];
    *w = 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)t[i + 1] == 0xA0) {
        *w = 2;
        return 1;
    }
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] == 0xAF) {
        *w = 3;
        return 1;
    }
    return 0;
}

static void check_segments(const char *t, size_t len, const alinea_seg *segs, size_t n)
{
    char *covered = calloc(len + 1, 1);
    assert_non_null(covered);
    for (size_t i = 0; i < n; i++) {
        assert_true(segs[i].start < segs[i].end);
        assert_true(segs[i].end <= len);
        if (i) {
            assert_true(segs[i].start >= segs[i - 1].end);
            assert_true(segs[i].paragraph >= segs[i - 1].paragraph);
        }
        /* UTF-8 boundaries */
        assert_true(((unsigned char)t[segs[i].start] & 0xC0) != 0x80);
        assert_true(segs[i].end == len || ((unsigned char)t[segs[i].end] & 0xC0) != 0x80);
        size_t w;
        assert_false(is_space_at(t, segs[i].start, len, &w));
        memset(covered + segs[i].start, 1, segs[i].end - segs[i].start);
    }
    for (size_t i = 0, w; i < len; i += w)
        if (!is_space_at(t, i, len, &w))
            assert_true(covered[i]);
    free(covered);
}

static void run_random(alinea_segmenter *seg, int rounds)
{
    char buf[2048];
    for (int r = 0; r < rounds; r++) {
        size_t len = make_text(buf, sizeof buf);
        alinea_seg *segs;
        size_t n;
        alinea_segmenter_set_paragraphs(seg, (alinea_para_mode)(r % 3));
        assert_int_equal(alinea_segmenter_run(seg, buf, len, &segs, &n), ALINEA_OK);
        check_segments(buf, len, segs, n);
        alinea_free(segs);
    }
}

static void test_random_builtin(void **state)
{
    (void)state;
    static const char *const langs[] = {"fr", "en", "nl", "de", "es", "it", "pt"};
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        alinea_segmenter *seg;
        assert_int_equal(alinea_segmenter_new(ctx, langs[l], &seg), ALINEA_OK);
        run_random(seg, 1500);
        alinea_segmenter_free(seg);
    }
    alinea_ctx_free(ctx);
}

static const char srx_text[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<srx xmlns=\"http://www.lisa.org/srx20\" xmlns:okpsrx=\"http://okapi.sf.net/srx-extensions\" "
    "version=\"2.0\">\n"
    "<header segmentsubflows=\"yes\" cascade=\"yes\">"
    "<okpsrx:options useIcu4jBreakRules=\"yes\"/></header>\n<body><languagerules>\n"
    "<languagerule languagerulename=\"A\">\n"
    "<rule break=\"no\"><beforebreak>^\\s*\\d+\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "<rule break=\"no\"><beforebreak>\\b(M|Mme|etc)\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>[.!?\u2026]+[\u00bb\"')]*</beforebreak><afterbreak>\\s+</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak></beforebreak><afterbreak>\u2022</afterbreak></rule>\n"
    "</languagerule>\n</languagerules>\n"
    "<maprules><languagemap languagepattern=\".*\" languagerulename=\"A\"/></maprules>\n"
    "</body></srx>\n";

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_random_srx(void **state)
{
    (void)state;
    alinea_ctx *ctx;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    char path[] = "/tmp/alinea-test-srx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, srx_text, sizeof srx_text - 1);
    alinea_segmenter *seg;
    assert_int_equal(alinea_segmenter_new_srx(ctx, "fr", path, &seg), ALINEA_OK);
    run_random(seg, 1500);
    alinea_segmenter_free(seg);
    /* damaged files: load fails cleanly or succeeds, never crashes */
    char damaged[sizeof srx_text];
    for (int r = 0; r < 400; r++) {
        memcpy(damaged, srx_text, sizeof srx_text);
        size_t len = sizeof srx_text - 1;
        for (int k = 0; k < 1 + r % 4 && len > 1; k++) {
            size_t at = next_rand() % len;
            switch (next_rand() % 3) {
            case 0: damaged[at] = "<>/\"\\[](){}*+?x"[next_rand() % 15]; break;
            case 1: len = at; break;
            default: memmove(damaged + at, damaged + at + 1, len - at - 1); len--; break;
            }
        }
        write_file(path, damaged, len);
        alinea_status st = alinea_segmenter_new_srx(ctx, "fr", path, &seg);
        if (st == ALINEA_OK) {
            run_random(seg, 5);
            alinea_segmenter_free(seg);
        } else {
            assert_null(seg);
            assert_true(st == ALINEA_ERR_FORMAT || st == ALINEA_ERR_UNSUPPORTED ||
                        st == ALINEA_ERR_XML);
            assert_true(strlen(alinea_ctx_errmsg(ctx)) > 0);
        }
    }
    remove(path);
    alinea_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_builtin),
        cmocka_unit_test(test_random_srx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
