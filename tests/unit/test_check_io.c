/* test_check_io.c - the checker's pair reader (alinea_pair_reader), table-
 * driven: TSV columns and header lines, the sniffed bytes handed out once
 * (lines across the sniff buffer), UTF-16, CRLF and BOM, TMX without
 * xml:lang, a target language that no TU has, and the JUnit report on
 * control characters. Public headers only. */
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

#define TMX_HEAD                                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header "                    \
    "creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" "               \
    "adminlang=\"en\" srclang=\"fr\" datatype=\"plaintext\"/>\n<body>\n"

typedef struct rcase {
    const char *name;     /* file name (the extension matters for TMX) */
    const char *bytes;    /* content; NULL: built by the test (long lines) */
    size_t len;           /* 0: strlen(bytes) */
    const char *src, *tgt; /* languages (-s/-t), or NULL */
    int prefetch;
    alinea_status want;   /* status of open or of the first failing next */
    size_t npairs;        /* pairs read before the end or the error */
    const char *first_src, *first_tgt; /* first pair, or NULL */
    const char *errpart;  /* in the error message, or NULL */
} rcase;

static const rcase CASES[] = {
    {"a.tsv", "Bonjour.\tHello.\nOui.\tYes.\n", 0, NULL, NULL, 0, ALINEA_OK, 2, "Bonjour.", "Hello.", NULL},
    {"crlf.tsv", "\xEF\xBB\xBFUn.\tOne.\r\n\r\nDeux.\tTwo.\r\n", 0, NULL, NULL, 0, ALINEA_OK, 2, "Un.", "One.", NULL},
    {"noeol.tsv", "Un.\tOne.", 0, NULL, NULL, 0, ALINEA_OK, 1, "Un.", "One.", NULL},
    {"empty.tsv", "", 0, NULL, NULL, 0, ALINEA_OK, 0, NULL, NULL, NULL},
    {"three.tsv", "Il a 3 ans.\tHe is 3.\tIl a 4 ans\n", 0, NULL, NULL, 0, ALINEA_ERR_FORMAT, 0, NULL, NULL, "three.tsv:1: 3 columns"},
    {"late.tsv", "a\tb\nc\td\te\n", 0, NULL, NULL, 0, ALINEA_ERR_FORMAT, 1, "a", "b", "late.tsv:2: 3 columns"},
    {"notab.tsv", "a\tb\nc\n", 0, NULL, NULL, 0, ALINEA_ERR_FORMAT, 1, "a", "b", "notab.tsv:2: no tab"},
    {"hdr.tsv", "fr\ten\tnl\nUn.\tOne.\tEen.\n", 0, "fr", "nl", 0, ALINEA_OK, 1, "Un.", "Een.", NULL},
    {"hdr2.tsv", "fr\ten\tnl\nUn.\tOne.\tEen.\n", 0, NULL, NULL, 0, ALINEA_OK, 1, "Un.", "One.", NULL},
    {"hdr3.tsv", "fr\ten\tnl\nUn.\tOne.\tEen.\n", 0, "nl", "en", 0, ALINEA_OK, 1, "Een.", "One.", NULL},
    {"hdrde.tsv", "fr\ten\tnl\nUn.\tOne.\tEen.\n", 0, NULL, "de", 0, ALINEA_ERR_FORMAT, 0, NULL, NULL, "no column for the target language 'de'"},
    {"hdrshort.tsv", "fr\ten\tnl\nUn.\tOne.\n", 0, NULL, "nl", 0, ALINEA_ERR_FORMAT, 0, NULL, NULL, "hdrshort.tsv:2: 2 columns; the header (line 1) has 3"},
    /* a 2-column first line of words is data, not a header */
    {"words.tsv", "oui\tyes\n", 0, NULL, NULL, 0, ALINEA_OK, 1, "oui", "yes", NULL},
    {"u16.tsv", "\xFF\xFEU\0n\0.\0\t\0O\0n\0e\0.\0\n\0", 20, NULL, NULL, 0, ALINEA_OK, 1, "Un.", "One.", NULL},
    {"u16nobom.tsv", "U\0n\0.\0\t\0O\0n\0e\0.\0\n\0", 18, NULL, NULL, 0, ALINEA_ERR_ENCODING, 0, NULL, NULL, "UTF-16 without a byte-order mark"},
    {"bad.tsv", "a\tb\nc\xFF\td\n", 0, NULL, NULL, 0, ALINEA_ERR_ENCODING, 1, "a", "b", "bad.tsv:2: byte 2: invalid UTF-8"},
    /* TMX content in a file not named .tmx is sniffed */
    {"mem.xml", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, NULL, 0, ALINEA_OK, 1, "Un.", "One.", NULL},
    {"nolang.tmx", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv><tuv><seg>One.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, NULL, 0, ALINEA_ERR_FORMAT, 0, NULL, NULL, "nolang.tmx:4: <tuv> without xml:lang"},
    /* -t de and no de TUV: fails before any pair, with read-ahead (TUs
     * spooled to a file) and without (for --annotate: TU copies held) */
    {"node.tmx", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu>\n<tu><tuv xml:lang=\"fr\"><seg>Deux.</seg></tuv><tuv xml:lang=\"en\"><seg>Two.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, "de", 1, ALINEA_ERR_FORMAT, 0, NULL, NULL, "no TU has a TUV in the target language 'de'"},
    {"nodeann.tmx", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, "de", 0, ALINEA_ERR_FORMAT, 0, NULL, NULL, "target language 'de'"},
    /* a TU before the first with the target language: replayed, empty target */
    {"late.tmx", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv></tu>\n<tu><tuv xml:lang=\"fr\"><seg>Deux.</seg></tuv><tuv xml:lang=\"en\"><seg>Two.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, NULL, 1, ALINEA_OK, 2, "Un.", "", NULL},
    {"lateann.tmx", TMX_HEAD "<tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv></tu>\n<tu><tuv xml:lang=\"fr\"><seg>Deux.</seg></tuv><tuv xml:lang=\"en\"><seg>Two.</seg></tuv></tu>\n</body></tmx>\n", 0, NULL, NULL, 0, ALINEA_OK, 2, "Un.", "", NULL},
};

static char dir[64];

static void write_file(const char *name, const char *bytes, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

/* Read every pair; returns the status of the first failure (or OK). */
static alinea_status read_all(alinea_ctx *ctx, const char *name, const char *src, const char *tgt,
                              int prefetch, size_t *n, char *first_src, char *first_tgt,
                              size_t *first_srclen)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    alinea_pair_reader *r = NULL;
    *n = 0;
    alinea_status st = alinea_pair_reader_open(ctx, path, NULL, src, tgt, &r);
    if (st != ALINEA_OK)
        return st;
    if (prefetch)
        alinea_pair_reader_prefetch(r);
    for (;;) {
        const alinea_pair *p = NULL;
        st = alinea_pair_reader_next(r, &p);
        if (st != ALINEA_OK || !p)
            break;
        if (*n == 0) {
            snprintf(first_src, 1024, "%s", p->src);
            snprintf(first_tgt, 1024, "%s", p->tgt);
            *first_srclen = p->srclen;
        }
        (*n)++;
    }
    alinea_pair_reader_free(r);
    return st;
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const rcase *c = &CASES[i];
        write_file(c->name, c->bytes, c->len ? c->len : strlen(c->bytes));
        alinea_ctx *ctx = NULL;
        assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
        size_t n = 0, l = 0;
        char fs[1024] = "", ft[1024] = "";
        alinea_status st = read_all(ctx, c->name, c->src, c->tgt, c->prefetch, &n, fs, ft, &l);
        if (st != c->want || n != c->npairs)
            fail_msg("%s: status %d (want %d), %zu pairs (want %zu): %s", c->name, (int)st,
                     (int)c->want, n, c->npairs, st ? alinea_ctx_errmsg(ctx) : "");
        if (c->first_src && (strcmp(fs, c->first_src) != 0 || strcmp(ft, c->first_tgt) != 0))
            fail_msg("%s: first pair '%s' / '%s', want '%s' / '%s'", c->name, fs, ft,
                     c->first_src, c->first_tgt);
        if (c->errpart && !strstr(alinea_ctx_errmsg(ctx), c->errpart))
            fail_msg("%s: message '%s' lacks '%s'", c->name, alinea_ctx_errmsg(ctx), c->errpart);
        alinea_ctx_free(ctx);
    }
}

/* Lines around the 512 bytes sniffed at open: before, across and after. */
static void test_sniff_boundary(void **state)
{
    (void)state;
    static const size_t firsts[] = {1, 509, 510, 511, 512, 513, 600, 5000};
    for (size_t k = 0; k < sizeof firsts / sizeof firsts[0]; k++) {
        size_t a = firsts[k];
        size_t len = a + 32;
        char *buf = malloc(len + 1);
        assert_non_null(buf);
        memset(buf, 'x', a);
        int m = snprintf(buf + a, 32, "\tY\nDeux.\tTwo.\n");
        write_file("long.tsv", buf, a + (size_t)m);
        alinea_ctx *ctx = NULL;
        assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
        size_t n = 0, l = 0;
        char fs[1024], ft[1024];
        alinea_status st = read_all(ctx, "long.tsv", NULL, NULL, 0, &n, fs, ft, &l);
        if (st != ALINEA_OK || n != 2 || l != a || strcmp(ft, "Y") != 0)
            fail_msg("first line of %zu bytes: status %d, %zu pairs, srclen %zu, tgt '%s'", a,
                     (int)st, n, l, ft);
        alinea_ctx_free(ctx);
        free(buf);
    }
}

/* JUnit: control characters never reach the XML (checked by parsing the
 * report's bytes for forbidden characters). */
static void test_junit_controls(void **state)
{
    (void)state;
    alinea_ctx *ctx = NULL;
    assert_int_equal(alinea_ctx_new(&ctx), ALINEA_OK);
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    assert_non_null(f);
    alinea_report *rep = NULL;
    assert_int_equal(alinea_report_new(ctx, f, ALINEA_REPORT_JUNIT, "x\x01.tsv", 0, &rep), ALINEA_OK);
    const char *src = "Il a 3 ans.\x0BOui.\x0C\x1F\xEF\xBF\xBE";
    const char *tgt = "He is 4.\x0BYes.\x02\xEF\xBF\xBF";
    alinea_finding fd;
    memset(&fd, 0, sizeof fd);
    fd.check = "number";
    fd.severity = ALINEA_SEV_ERROR;
    fd.message = (char *)"number '3' is '4' \x07";
    alinea_finding fw = fd;
    fw.severity = ALINEA_SEV_WARNING;
    fw.check = "end-punct";
    alinea_finding both[2] = {fd, fw};
    assert_int_equal(alinea_report_unit(rep, 1, src, strlen(src), tgt, strlen(tgt), both, 2), ALINEA_OK);
    assert_int_equal(alinea_report_finish(rep), ALINEA_OK);
    fclose(f);
    for (size_t i = 0; i < memlen; i++) {
        unsigned char c = (unsigned char)mem[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            fail_msg("control character %#x at byte %zu of the report", c, i);
        if (c == 0xEF && i + 2 < memlen && (unsigned char)mem[i + 1] == 0xBF &&
            ((unsigned char)mem[i + 2] == 0xBE || (unsigned char)mem[i + 2] == 0xBF))
            fail_msg("U+FFFE/U+FFFF at byte %zu of the report", i);
    }
    assert_non_null(strstr(mem, "Il a 3 ans. Oui. ")); /* VT and FF: a space */
    assert_non_null(strstr(mem, "classname=\"x.tsv\""));
    free(mem);
    alinea_ctx_free(ctx);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/alinea-test-check-io.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_sniff_boundary),
        cmocka_unit_test(test_junit_controls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
