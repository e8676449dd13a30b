/* fuzz_roundtrip.c - align -> TMX -> read back -> same text. Random French
 * and English sentences (as in fuzz_align) are aligned, written as TMX with
 * the TMX writer, and read back with the TMX reader: every TU must come back
 * in order with the same texts. Control characters and CR, which XML cannot
 * carry as such, are replaced by spaces before alignment; U+FFFC (the
 * inline-code placeholder), U+FFFE and U+FFFF (not XML 1.0 characters,
 * dropped by the writer) by '?'. */
#include "fuzz_util.h"
#include "alinea_align.h"
#include "alinea_tmx.h"

#include <sys/stat.h>

/* The text of segments [i, i + n) joined by single spaces (malloc'd). */
static char *join(const alinea_doc *d, size_t i, size_t n)
{
    size_t total = 1;
    for (size_t k = 0; k < n; k++) {
        size_t l;
        alinea_doc_segment(d, i + k, &l);
        total += l + 1;
    }
    char *out = malloc(total), *p = out;
    if (!out)
        abort();
    for (size_t k = 0; k < n; k++) {
        size_t l;
        const char *s = alinea_doc_segment(d, i + k, &l);
        if (k)
            *p++ = ' ';
        memcpy(p, s, l);
        p += l;
    }
    *p = '\0';
    return out;
}

static void clean(uint8_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] < 0x20 && t[i] != '\n')
            t[i] = ' ';
        /* U+FFFC (inline-code placeholder), U+FFFE and U+FFFF (not XML
         * characters: the writer drops them) */
        if (i + 2 < n && t[i] == 0xEF && t[i + 1] == 0xBF &&
            (t[i + 2] == 0xBC || t[i + 2] == 0xBE || t[i + 2] == 0xBF))
            t[i] = t[i + 1] = t[i + 2] = '?';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static alinea_aligner *al;
    static char path[256];
    alinea_ctx *ctx = fuzz_ctx();
    if (!al) {
        char dir[] = "/tmp/alinea-fuzz-rt-XXXXXX";
        if (!mkdtemp(dir) || alinea_aligner_new(ctx, "fr", "en", &al) != ALINEA_OK)
            abort();
        snprintf(path, sizeof path, "%s/rt.tmx", dir);
    }
    size_t first = size, rest = size;
    const uint8_t *nul = memchr(data, 0, size);
    if (nul) {
        first = (size_t)(nul - data);
        rest = first + 1;
    }
    size_t slen = 0, tlen = 0;
    char *s = fuzz_text(data, first, &slen);
    char *t = fuzz_text(data + rest, size - rest, &tlen);
    alinea_doc *ds = NULL, *dt = NULL;
    alinea_bead *b = NULL;
    size_t n = 0;
    char **texts = NULL;
    if (!s || !t)
        goto done;
    clean((uint8_t *)s, slen);
    clean((uint8_t *)t, tlen);
    if (alinea_doc_from_text(ctx, s, slen, "fr", ALINEA_DOC_PRESEGMENTED, &ds) != ALINEA_OK ||
        alinea_doc_from_text(ctx, t, tlen, "en", ALINEA_DOC_PRESEGMENTED, &dt) != ALINEA_OK)
        goto done;
    alinea_status st = alinea_aligner_run(al, ds, dt, &b, &n);
    FUZZ_ASSERT(st == ALINEA_OK, "align: %s", alinea_ctx_errmsg(ctx));

    alinea_tmx_header h = {0};
    h.srclang = "fr";
    h.creationdate = "20260101T000000Z";
    alinea_tmx_writer *w = NULL;
    st = alinea_tmx_writer_open(ctx, path, &h, &w);
    FUZZ_ASSERT(st == ALINEA_OK, "writer_open: %s", alinea_ctx_errmsg(ctx));
    texts = calloc(2 * n + 1, sizeof *texts);
    size_t ntu = 0;
    for (size_t i = 0; i < n; i++) {
        alinea_tuv tuv[2];
        memset(tuv, 0, sizeof tuv);
        alinea_tu tu;
        memset(&tu, 0, sizeof tu);
        texts[2 * ntu] = join(ds, b[i].src, b[i].nsrc);
        texts[2 * ntu + 1] = join(dt, b[i].tgt, b[i].ntgt);
        tuv[0].lang = "fr";
        tuv[0].text = texts[2 * ntu];
        tuv[1].lang = "en";
        tuv[1].text = texts[2 * ntu + 1];
        tu.tuvs = tuv;
        tu.ntuvs = 2;
        st = alinea_tmx_writer_add(w, &tu);
        FUZZ_ASSERT(st == ALINEA_OK, "writer_add: status %d: %s", st, alinea_ctx_errmsg(ctx));
        ntu++;
    }
    st = alinea_tmx_writer_finish(w);
    FUZZ_ASSERT(st == ALINEA_OK, "writer_finish: %s", alinea_ctx_errmsg(ctx));

    alinea_tmx_reader *r = NULL;
    st = alinea_tmx_reader_open(ctx, path, &r);
    FUZZ_ASSERT(st == ALINEA_OK, "reader_open: %s", alinea_ctx_errmsg(ctx));
    const alinea_tu *tu;
    size_t k = 0;
    while ((st = alinea_tmx_reader_next(r, &tu)) == ALINEA_OK && tu) {
        FUZZ_ASSERT(k < ntu, "more TUs read (%zu) than written (%zu)", k + 1, ntu);
        const alinea_tuv *fr = alinea_tu_find(tu, "fr"), *en = alinea_tu_find(tu, "en");
        const char *want_fr = texts[2 * k], *want_en = texts[2 * k + 1];
        FUZZ_ASSERT((fr ? fr->text : "")[0] || !want_fr[0] || fr, "TU %zu: no fr TUV", k + 1);
        FUZZ_ASSERT(strcmp(fr ? fr->text : "", want_fr) == 0, "TU %zu fr: wrote \"%s\", read \"%s\"",
                    k + 1, want_fr, fr ? fr->text : "(none)");
        FUZZ_ASSERT(strcmp(en ? en->text : "", want_en) == 0, "TU %zu en: wrote \"%s\", read \"%s\"",
                    k + 1, want_en, en ? en->text : "(none)");
        k++;
    }
    FUZZ_ASSERT(st == ALINEA_OK, "reader_next: status %d: %s", st, alinea_ctx_errmsg(ctx));
    FUZZ_ASSERT(k == ntu, "read %zu TUs, wrote %zu", k, ntu);
    alinea_tmx_reader_free(r);
done:
    if (texts)
        for (size_t i = 0; i < 2 * n; i++)
            free(texts[i]);
    free(texts);
    alinea_free(b);
    alinea_doc_free(ds);
    alinea_doc_free(dt);
    alinea_free(s);
    alinea_free(t);
    return 0;
}
