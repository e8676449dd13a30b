/* align_feat.h - the feature extractor's state, shared by align_feat.c and
 * align_realign.c only. Not installed. */
#ifndef ALINEA_ALIGN_FEAT_H
#define ALINEA_ALIGN_FEAT_H

#include "align_internal.h"

#include <hunspell.h>
#include <unicode/ucasemap.h>
#include <unicode/utrans.h>

struct alinea__feat {
    alinea_ctx *ctx;
    const alinea__lexicon *lex;
    Hunhandle *hun[2];
    const char *enc[2];
    UCaseMap *cm;
    UTransliterator *tr;
    alinea__smap keys;
    /* per-type key cache, one per side */
    alinea__smap types[2];
    size_t *tkoff[2]; /* per type: offset into tkeys, size types.n + 1 */
    size_t tkcap[2];
    uint32_t *tkeys[2];
    size_t tklen[2], tkkcap[2];
    /* token types of the documents being built, in order, per side */
    uint32_t *tt[2];
    size_t ttn[2], ttcap[2];
    size_t *ttoff[2]; /* per sentence: first token, size n + 1 */
};

/* qsort comparator for uint32_t. */
int alinea__cmp_u32(const void *a, const void *b);

#endif
