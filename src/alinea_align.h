/*
 * alinea_align.h - sentence alignment of a source document with a translation.
 *
 * Dynamic programming over beads (Gale & Church 1993, "A Program for Aligning
 * Sentences in Bilingual Corpora", Computational Linguistics 19(1)), with
 * lexical and anchor evidence in the spirit of hunalign (Varga et al. 2005,
 * "Parallel corpora for medium density languages") and a coarse-to-fine
 * search in a band whose cost is linear in the document length (after
 * Thompson & Koehn 2019, "Vecalign", EMNLP).
 *
 * Terms: a *segment* is a sentence (or a line of a pre-segmented file); a
 * *bead* pairs n consecutive source segments with m consecutive target
 * segments (an n-m bead: 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1); the
 * *ladder* is the sequence of beads that covers both documents.
 * The cost model is described in docs/alignment.md.
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
 * 0 (1-0, 0-1 beads; then src, resp. tgt, is the position where the empty
 * side sits). score is the calibrated probability, in [0, 1], that the bead
 * is exactly right (fitted by logistic regression on the gold sets of
 * shared/data/alignment; see docs/alignment.md). */
typedef struct alinea_bead {
    size_t src;
    size_t nsrc;
    size_t tgt;
    size_t ntgt;
    double score;
} alinea_bead;

typedef struct alinea_aligner alinea_aligner;

/* An aligner for one language pair (BCP 47 tags; only the primary subtag is
 * used for data). Loads the lexicon dict/lexicon/SRC-TGT.tsv when it exists,
 * else dict/lexicon/TGT-SRC.tsv read in reverse, else works without one
 * (length, numbers, names, cognates and punctuation only). With a lexicon,
 * the hunspell dictionaries of both languages are loaded at the first run.
 * *out owned by the caller.
 * Errors: INVALID (bad tag), IO, ENCODING or FORMAT (unreadable or malformed
 * lexicon: file and line), NOMEM. */
ALINEA_API alinea_status alinea_aligner_new(alinea_ctx *ctx, const char *srclang,
                                            const char *tgtlang, alinea_aligner **out);
ALINEA_API void alinea_aligner_free(alinea_aligner *a);

/* Add the entries of a user lexicon (same format: "SOURCE<TAB>TARGET" per
 * line, '#' comments) to the aligner's lexicon. Must be called before the
 * first alinea_aligner_run. Errors: IO, ENCODING, FORMAT (file and line),
 * INVALID (after a run), NOMEM. */
ALINEA_API alinea_status alinea_aligner_add_lexicon(alinea_aligner *a, const char *path);

/* Number of single-word entries in the aligner's lexicon (0 without one). */
ALINEA_API size_t alinea_aligner_lexicon_size(const alinea_aligner *a);

/* Paragraph boundaries: ALINEA_PARA_SOFT (default) adds a cost to beads that
 * cross or disagree on a paragraph boundary; ALINEA_PARA_HARD forbids beads
 * across a boundary on either side; ALINEA_PARA_IGNORE ignores paragraphs.
 * The constraint applies only when both documents have several paragraphs. */
typedef enum alinea_para_rule {
    ALINEA_PARA_SOFT = 0,
    ALINEA_PARA_HARD = 1,
    ALINEA_PARA_IGNORE = 2
} alinea_para_rule;
ALINEA_API void alinea_aligner_set_paragraphs(alinea_aligner *a, alinea_para_rule rule);

/* Align src with tgt. *beads (free with alinea_free) receives *n beads that
 * cover every segment of both documents exactly once, in order (0-1 and 1-0
 * beads included). Empty documents give only 1-0 or 0-1 beads, or none.
 * Two passes: the first fits the length model (c, s^2) and the bead priors
 * on the document and learns word pairs from its confident 1-1 beads; the
 * second aligns again in a band around the first ladder.
 * Time and memory grow linearly with the number of segments (about 7 s and
 * 220 MiB for 100,000 sentences a side; docs/alignment.md).
 * Errors: NOMEM, TOO_BIG (more than 2^31 segments), RESOURCE (first run with
 * a lexicon: a hunspell dictionary is missing; the message names the Debian
 * package), ICU. */
ALINEA_API alinea_status alinea_aligner_run(alinea_aligner *a, const alinea_doc *src,
                                            const alinea_doc *tgt, alinea_bead **beads,
                                            size_t *n);

/*
 * Multi-target grouping. Given the ladders of one source document with each
 * of ntargets translations (beads[k] has nbeads[k] beads, from
 * alinea_aligner_run), build consistent multilingual groups.
 *
 * Rule: a group boundary is placed before source segment s only when every
 * target's ladder has a bead boundary there, so a source span that any
 * target joins (2-1, 3-1, 2-2) is joined in every language; each target's
 * segments inside the span go to the group. A 0-1 bead (a target segment
 * with no source) stays in the group of the source segments around it when
 * it lies inside a joined span; at a group boundary it becomes a group of
 * its own with nsrc = 0, in which the other targets are empty.
 *
 * *groups (free with alinea_free) receives *ngroups * ntargets beads: group
 * g's bead for target k is (*groups)[g * ntargets + k]; all beads of a group
 * share src and nsrc. Its score is the lowest score of the target's beads
 * in the group (1 when the target has no segment there and no bead scored
 * against it, i.e. for the other targets of a 0-1 group).
 * Errors: INVALID (a ladder does not cover nsrc source segments in order), NOMEM.
 */
ALINEA_API alinea_status alinea_align_group(alinea_ctx *ctx, size_t nsrc, size_t ntargets,
                                            const alinea_bead *const *beads,
                                            const size_t *nbeads, alinea_bead **groups,
                                            size_t *ngroups);

#ifdef __cplusplus
}
#endif
#endif
