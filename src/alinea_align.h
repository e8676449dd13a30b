/*
 * alinea_align.h - sentence alignment of a source document with a translation.
 *
 * Dynamic programming over beads (Gale & Church 1993, "A Program for Aligning
 * Sentences in Bilingual Corpora", Computational Linguistics 19(1)), with
 * lexical and anchor evidence in the spirit of hunalign (Varga et al. 2005).
 */
#ifndef ALINEA_ALIGN_H
#define ALINEA_ALIGN_H

#include "alinea.h"
#include "alinea_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A bead: source segments [src, src+nsrc) aligned with target segments
 * [tgt, tgt+ntgt) (0-based indices into the documents). nsrc or ntgt may be
 * 0 (1-0, 0-1 beads). score is the calibrated confidence in [0, 1]. */
typedef struct alinea_bead {
    size_t src;
    size_t nsrc;
    size_t tgt;
    size_t ntgt;
    double score;
} alinea_bead;

typedef struct alinea_aligner alinea_aligner;

/* An aligner for one language pair; loads dict/lexicon/SRC-TGT.tsv when it
 * exists. *out owned by the caller. Errors: INVALID, FORMAT, RESOURCE, NOMEM. */
ALINEA_API alinea_status alinea_aligner_new(alinea_ctx *ctx, const char *srclang,
                                            const char *tgtlang, alinea_aligner **out);
ALINEA_API void alinea_aligner_free(alinea_aligner *a);

/* Align src with tgt. *beads (free with alinea_free) receives *n beads that
 * cover every segment of both documents exactly once, in order.
 * Errors: NOMEM, TOO_BIG. */
ALINEA_API alinea_status alinea_aligner_run(alinea_aligner *a, const alinea_doc *src,
                                            const alinea_doc *tgt, alinea_bead **beads,
                                            size_t *n);

#ifdef __cplusplus
}
#endif
#endif
