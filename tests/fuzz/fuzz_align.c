/* fuzz_align.c - the aligner on two lists of random sentences. Byte 0 picks
 * the language pair and the paragraph rule; the rest is split at the first
 * NUL into a source and a target, one sentence per line (an empty line ends
 * a paragraph). The beads must cover every segment of both sides exactly
 * once, in order, with a finite score. */
#include "fuzz_util.h"
#include "alinea_align.h"

#include <math.h>

static const char *const pairs[][2] = {{"fr", "en"}, {"fr", "nl"}, {"en", "nl"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static alinea_aligner *al[3][3];
    if (size < 1)
        return 0;
    alinea_ctx *ctx = fuzz_ctx();
    int p = data[0] % 3, rule = (data[0] / 3) % 3;
    data++;
    size--;
    if (!al[p][rule]) {
        if (alinea_aligner_new(ctx, pairs[p][0], pairs[p][1], &al[p][rule]) != ALINEA_OK) {
            fprintf(stderr, "fuzz: %s\n", alinea_ctx_errmsg(ctx));
            abort();
        }
        alinea_aligner_set_paragraphs(al[p][rule], (alinea_para_rule)rule);
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
    if (s && t &&
        alinea_doc_from_text(ctx, s, slen, pairs[p][0], ALINEA_DOC_PRESEGMENTED, &ds) == ALINEA_OK &&
        alinea_doc_from_text(ctx, t, tlen, pairs[p][1], ALINEA_DOC_PRESEGMENTED, &dt) == ALINEA_OK) {
        alinea_bead *b = NULL;
        size_t n = 0;
        alinea_status st = alinea_aligner_run(al[p][rule], ds, dt, &b, &n);
        FUZZ_ASSERT(st == ALINEA_OK, "align: status %d: %s", st, alinea_ctx_errmsg(ctx));
        size_t ns = alinea_doc_count(ds), nt = alinea_doc_count(dt), si = 0, ti = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT(b[i].nsrc + b[i].ntgt > 0, "bead %zu is empty", i);
            FUZZ_ASSERT(b[i].nsrc == 0 || b[i].src == si, "bead %zu: source %zu, expected %zu", i, b[i].src, si);
            FUZZ_ASSERT(b[i].ntgt == 0 || b[i].tgt == ti, "bead %zu: target %zu, expected %zu", i, b[i].tgt, ti);
            FUZZ_ASSERT(isfinite(b[i].score), "bead %zu: score %g", i, b[i].score);
            si += b[i].nsrc;
            ti += b[i].ntgt;
        }
        FUZZ_ASSERT(si == ns && ti == nt, "beads cover %zu/%zu source and %zu/%zu target segments", si,
                    ns, ti, nt);
        alinea_free(b);
    }
    alinea_doc_free(ds);
    alinea_doc_free(dt);
    alinea_free(s);
    alinea_free(t);
    return 0;
}
