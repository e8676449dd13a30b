/* fuzz_lexicon.c - the aligner's user-lexicon loader (alinea_aligner_add_lexicon)
 * on any bytes, then one small alignment that must use it without harm.
 * The en-nl pair has no built-in lexicon, so only the fuzzed one is loaded. */
#include "fuzz_util.h"
#include "alinea_align.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alinea_ctx *ctx = fuzz_ctx();
    alinea_aligner *a = NULL;
    if (alinea_aligner_new(ctx, "en", "nl", &a) != ALINEA_OK) {
        fprintf(stderr, "fuzz: %s\n", alinea_ctx_errmsg(ctx));
        abort();
    }
    alinea_status st = alinea_aligner_add_lexicon(a, fuzz_file(data, size));
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(st == ALINEA_ERR_IO || st == ALINEA_ERR_ENCODING || st == ALINEA_ERR_FORMAT ||
                        st == ALINEA_ERR_TOO_BIG || st == ALINEA_ERR_NOMEM,
                    "lexicon: status %d: %s", st, alinea_ctx_errmsg(ctx));
        FUZZ_ASSERT(*alinea_ctx_errmsg(ctx), "lexicon: error without a message");
    } else {
        static const char src[] = "The house is red.\nThe cat sleeps.\n\nIt rains in 2024.\n";
        static const char tgt[] = "Het huis is rood.\nDe kat slaapt.\n\nHet regent in 2024.\n";
        alinea_doc *ds = NULL, *dt = NULL;
        alinea_bead *b = NULL;
        size_t n = 0;
        if (alinea_doc_from_text(ctx, src, sizeof src - 1, "en", ALINEA_DOC_PRESEGMENTED, &ds) ||
            alinea_doc_from_text(ctx, tgt, sizeof tgt - 1, "nl", ALINEA_DOC_PRESEGMENTED, &dt))
            abort();
        st = alinea_aligner_run(a, ds, dt, &b, &n);
        FUZZ_ASSERT(st == ALINEA_OK, "align after lexicon: status %d: %s", st, alinea_ctx_errmsg(ctx));
        size_t ns = 0, nt = 0;
        for (size_t i = 0; i < n; i++) {
            ns += b[i].nsrc;
            nt += b[i].ntgt;
        }
        FUZZ_ASSERT(ns == 3 && nt == 3, "beads cover %zu/%zu segments", ns, nt);
        alinea_free(b);
        alinea_doc_free(ds);
        alinea_doc_free(dt);
    }
    alinea_aligner_free(a);
    return 0;
}
