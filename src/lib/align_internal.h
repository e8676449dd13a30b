/*
 * align_internal.h - internals shared by the aligner's modules (align.c,
 * align_feat.c, align_dp.c, lexicon.c). Not installed.
 */
#ifndef ALINEA_ALIGN_INTERNAL_H
#define ALINEA_ALIGN_INTERNAL_H

#include "alinea_align.h"
#include "internal.h"

#include <stdint.h>

/* ------------------------------------------------------------ string map */

/* Open-addressing hash map from byte strings (copied into an arena) to
 * 32-bit values. Values are assigned by the caller. */
typedef struct alinea__smap {
    uint32_t *slots;  /* index+1 into keys, 0 = empty */
    size_t nslots;    /* power of two */
    size_t n;         /* number of keys */
    size_t *koff;     /* key i: bytes koff[i] .. koff[i]+klen[i] in arena */
    uint32_t *klen;
    uint32_t *val;
    size_t kcap;
    char *arena;
    size_t alen, acap;
} alinea__smap;

void alinea__smap_init(alinea__smap *m);
void alinea__smap_free(alinea__smap *m);
/* Index of key (0-based) or -1. */
long alinea__smap_find(const alinea__smap *m, const char *k, size_t len);
/* Index of key, inserting it with value val when absent (*added = 1). */
alinea_status alinea__smap_put(alinea_ctx *ctx, alinea__smap *m, const char *k, size_t len,
                               uint32_t val, long *index, int *added);
const char *alinea__smap_key(const alinea__smap *m, size_t i, size_t *len);

/* --------------------------------------------------------------- lexicon */

/* A bilingual lexicon: source word -> list of target words, both stored
 * lower-cased (ICU full case folding) and NFC. Words only: multi-word
 * entries are kept out (see lexicon.c). */
typedef struct alinea__lexicon {
    alinea__smap src;   /* source word -> index into first[] */
    alinea__smap tgt;   /* target word -> target word id */
    uint32_t *first;    /* per source word: first entry index in tgts, size src.n + 1 */
    uint32_t *tgts;     /* target word ids */
    size_t nentries;
    void *pending;      /* pairs read but not yet indexed (until _finish) */
} alinea__lexicon;

/* Load the lexicon file at path (format in docs/alignment.md); when reverse
 * is set, columns are swapped (a fr-de file used for de -> fr). Lines of a
 * second file can be added by calling it again on the same lexicon before
 * alinea__lexicon_finish. FORMAT errors name the file and line. */
alinea_status alinea__lexicon_add_file(alinea_ctx *ctx, alinea__lexicon *lex, const char *path,
                                       int reverse);
/* Build the lookup arrays after the last _add_file. */
alinea_status alinea__lexicon_finish(alinea_ctx *ctx, alinea__lexicon *lex);
void alinea__lexicon_free(alinea__lexicon *lex);
/* Entries read and not yet indexed (before _finish). */
size_t alinea__lexicon_pending(const alinea__lexicon *lex);
/* Target word ids for a (folded) source word; *n = 0 when absent. */
const uint32_t *alinea__lexicon_lookup(const alinea__lexicon *lex, const char *w, size_t len,
                                       size_t *n);

/* ------------------------------------------------------------- features */

/* One side of a bitext as the dynamic program sees it: per unit (sentence,
 * or a run of sentences at a coarse level) its length in code points
 * (white space excluded), its paragraph, and a sorted set of evidence ids
 * with IDF weights. */
typedef struct alinea__side {
    size_t n;
    double *len;        /* n */
    uint32_t *para;     /* n: paragraph of the unit's first sentence */
    uint32_t *parend;   /* n: paragraph of the unit's last sentence */
    uint32_t *count;    /* n: sentences in the unit */
    size_t *eoff;       /* n + 1: evidence of unit i is ids[eoff[i] .. eoff[i+1]) */
    uint32_t *ids;      /* sorted, unique per unit */
    float *ntok;        /* n: tokens of the unit that no key of the other side explains */
    unsigned char *open;/* n: 1 when the unit ends without punctuation (a heading, a title) */
} alinea__side;

void alinea__side_free(alinea__side *s);
/* A side whose unit k is the merge of units 2k and 2k+1 of s; a unit keeps
 * at most ALINEA__COARSE_KEYS evidence keys, the heaviest by weight w. */
#define ALINEA__COARSE_KEYS 48
alinea_status alinea__side_coarsen(alinea_ctx *ctx, const alinea__side *s, const float *w,
                                   alinea__side *out);

/* Feature extraction state for one language pair. */
typedef struct alinea__feat alinea__feat;

alinea_status alinea__feat_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                               const alinea__lexicon *lex, alinea__feat **out);
void alinea__feat_free(alinea__feat *f);
/* Build both sides from two documents, and the evidence weights (IDF over
 * the two documents). weights[id] is allocated by the call (free with free). */
alinea_status alinea__feat_build(alinea__feat *f, const alinea_doc *src, const alinea_doc *tgt,
                                 alinea__side *s, alinea__side *t, float **weights,
                                 size_t *nweights);
/* Learn word pairs from the 1-1 beads scoring at least min_score (in the
 * spirit of hunalign's -realign): content words seen in 2+ such beads and
 * in at most a tenth of them, paired when their Dice coefficient over the
 * beads is >= 0.6 and they meet twice or more. Each pair becomes a key added
 * to the sentences of s and t (from the last alinea__feat_build), weighted
 * like the others; *weights grows. Does nothing under 50 confident beads. */
alinea_status alinea__feat_realign(alinea__feat *f, alinea__side *s, alinea__side *t,
                                   float **weights, size_t *nweights, const alinea_bead *beads,
                                   size_t nbeads, const double *scores, double min_score);

/* ------------------------------------------------------- dynamic program */

#define ALINEA__NTYPES 10
/* Bead shapes, in this order: 1-1 1-0 0-1 1-2 2-1 2-2 1-3 3-1 1-4 4-1. */
extern const int alinea__bead_di[ALINEA__NTYPES];
extern const int alinea__bead_dj[ALINEA__NTYPES];

typedef struct alinea__params {
    double c;       /* expected target/source length ratio (Gale & Church's c) */
    double s2;      /* variance per source character (Gale & Church's s^2) */
    double prior[ALINEA__NTYPES]; /* -log P(shape) */
    double beta;    /* weight of the lexical similarity, in nats */
    double lexfloor;/* similarity expected by chance, subtracted */
    double del_len; /* weight of the length cost of 1-0 and 0-1 beads */
    double unk;     /* weight of a token that no key of the other side explains */
    int para;       /* alinea_para_rule, when both sides have paragraphs */
    double p_inside; /* cost of a bead that spans a paragraph break */
    double p_edge;   /* cost of a bead that starts a paragraph on one side only */
    double p_open;   /* cost of a bead that joins a unit ending without punctuation
                      * to the next one (a heading is its own paragraph) */
} alinea__params;

/* A ladder in units of the sides it was computed on. */
typedef struct alinea__path {
    size_t n, cap;
    alinea_bead *b;
} alinea__path;

/* Cost of the bead source units [i0, i0+di) x target units [j0, j0+dj).
 * *lex receives the bead's lexical similarity in [0, 1]. */
double alinea__bead_cost(const alinea__params *p, const alinea__side *s, const alinea__side *t,
                         const float *w, size_t i0, int di, size_t j0, int dj, double *lex);

/* The best ladder, by coarse-to-fine search (full DP when n*m is small,
 * else a band of the given width around the projected path of the sides
 * coarsened by 2). guide, when not NULL, replaces the coarse search: the
 * band is taken around it (same units as s and t). */
alinea_status alinea__dp_align(alinea_ctx *ctx, const alinea__params *p, const alinea__side *s,
                               const alinea__side *t, const float *w, const alinea__path *guide,
                               alinea__path *out);
void alinea__path_free(alinea__path *p);

#endif
