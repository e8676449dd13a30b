/* align.c - the public aligner: data loading, the two-pass alignment with
 * per-document re-estimation of the length model and bead priors, and the
 * calibrated bead scores. The search itself is in align_dp.c, the sentence
 * features in align_feat.c, the lexicon in lexicon.c. */
#include "align_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prior probabilities of the bead shapes: the link types of the pooled gold
 * sets of shared/data/alignment (19,586 links: TransRead, BAF, Text+Berg;
 * their README), 1-1 .866, 1-0 .0095, 0-1 .016, 1-2 .040, 2-1 .043, and the
 * remaining .025 shared by 2-2, 1-3 and 3-1. Gale & Church (1993) had .89,
 * .0099 (1-0 and 0-1), .089 (2-1 and 1-2) and .011 (2-2) on their data.
 * They are re-estimated on each document after the first pass. */
static const double gc_prior[ALINEA__NTYPES] = {0.866, 0.0095, 0.016, 0.040, 0.043,
                                                0.010, 0.006,  0.006, 0.0015, 0.0015};
/* Beads of the first pass that teach word pairs to the second (realign). */
#define REALIGN_MIN_SCORE 0.9
#define GC_S2 6.8 /* Gale & Church's variance, the first pass's starting point */

/* Logistic calibration of bead scores: P(bead exactly right) =
 * 1 / (1 + exp(-(k0 + k_lex sim + k_len min(lencost, 20) + k_shape[shape]))),
 * sim the bead's lexical similarity and lencost its length (and heading)
 * cost, fitted by logistic regression (Newton, L2 0.01) on the 19,506 beads
 * that the aligner predicts on the gold sets of shared/data/alignment,
 * labelled right when the gold has the very same link. Calibration table and
 * held-out checks in docs/alignment.md. */
static const double cal_k0 = 3.163, cal_lex = 1.736, cal_len = -0.181;
static const double cal_shape[ALINEA__NTYPES] = {0,      -3.056, 0.098,  -1.903, -1.720,
                                                 -3.409, -2.549, -2.664, -3.791, -3.775};

struct alinea_aligner {
    alinea_ctx *ctx;
    char src[16], tgt[16];
    alinea__lexicon lex;
    int lex_done;
    alinea__feat *feat;
    alinea_para_rule para;
};

static alinea_status primary(alinea_ctx *ctx, const char *tag, char *out, size_t cap)
{
    return alinea__lang_primary(ctx, tag, out, cap);
}

alinea_status alinea_aligner_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                                 alinea_aligner **out)
{
    alinea_status rc = ALINEA_OK;
    alinea_aligner *a = calloc(1, sizeof *a);
    *out = NULL;
    CHECK_ALLOC(ctx, a);
    a->ctx = ctx;
    TRY(primary(ctx, srclang, a->src, sizeof a->src));
    TRY(primary(ctx, tgtlang, a->tgt, sizeof a->tgt));
    char rel[64], path[4096];
    snprintf(rel, sizeof rel, "lexicon/%s-%s.tsv", a->src, a->tgt);
    if (alinea__data_path(ctx, rel, path, sizeof path) == ALINEA_OK) {
        TRY(alinea__lexicon_add_file(ctx, &a->lex, path, 0));
    } else {
        snprintf(rel, sizeof rel, "lexicon/%s-%s.tsv", a->tgt, a->src);
        if (alinea__data_path(ctx, rel, path, sizeof path) == ALINEA_OK)
            TRY(alinea__lexicon_add_file(ctx, &a->lex, path, 1));
    }
    alinea__fail(ctx, ALINEA_OK, "%s", "");
    *out = a;
    a = NULL;
cleanup:
    alinea_aligner_free(a);
    return rc;
}

void alinea_aligner_free(alinea_aligner *a)
{
    if (!a)
        return;
    alinea__lexicon_free(&a->lex);
    alinea__feat_free(a->feat);
    free(a);
}

alinea_status alinea_aligner_add_lexicon(alinea_aligner *a, const char *path)
{
    if (a->lex_done)
        return alinea__fail(a->ctx, ALINEA_ERR_INVALID,
                            "a lexicon must be added before the first alignment");
    return alinea__lexicon_add_file(a->ctx, &a->lex, path, 0);
}

size_t alinea_aligner_lexicon_size(const alinea_aligner *a)
{
    if (a->lex_done)
        return a->lex.nentries;
    return alinea__lexicon_pending(&a->lex);
}

void alinea_aligner_set_paragraphs(alinea_aligner *a, alinea_para_rule rule)
{
    a->para = rule;
}

static alinea_status prepare(alinea_aligner *a)
{
    alinea_status rc = ALINEA_OK;
    if (a->lex_done)
        return ALINEA_OK;
    TRY(alinea__lexicon_finish(a->ctx, &a->lex));
    a->lex_done = 1;
    TRY(alinea__feat_new(a->ctx, a->src, a->tgt, &a->lex, &a->feat));
cleanup:
    return rc;
}

static int has_paragraphs(const alinea__side *s)
{
    return s->n > 0 && s->parend[s->n - 1] != s->para[0];
}

/* Re-estimate c, s2 and the priors from a first ladder (Gale & Church's
 * parameters fitted on the document itself), with the classic values as a
 * prior worth 50 beads. */
static void reestimate(alinea__params *p, const alinea__side *s, const alinea__side *t,
                       const alinea__path *path)
{
    double sl = 0, tl = 0, n11 = 0;
    double counts[ALINEA__NTYPES] = {0};
    for (size_t k = 0; k < path->n; k++) {
        const alinea_bead *b = &path->b[k];
        for (int x = 0; x < ALINEA__NTYPES; x++)
            if ((size_t)alinea__bead_di[x] == b->nsrc && (size_t)alinea__bead_dj[x] == b->ntgt)
                counts[x] += 1;
        if (b->nsrc == 1 && b->ntgt == 1 && s->len[b->src] > 0) {
            sl += s->len[b->src];
            tl += t->len[b->tgt];
            n11 += 1;
        }
    }
    if (n11 >= 20 && sl > 0) {
        double c = tl / sl, v = 0;
        for (size_t k = 0; k < path->n; k++) {
            const alinea_bead *b = &path->b[k];
            if (b->nsrc == 1 && b->ntgt == 1 && s->len[b->src] > 0) {
                double ls = s->len[b->src], lt = t->len[b->tgt];
                double d = lt - c * ls;
                v += d * d / ((ls + lt / c) / 2);
            }
        }
        v /= n11;
        /* blend with Gale & Church's value as 20 pseudo-observations */
        p->c = c;
        p->s2 = (v * n11 + GC_S2 * 20) / (n11 + 20);
        if (p->s2 < 1)
            p->s2 = 1;
    }
    double total = (double)path->n + 50;
    for (int x = 0; x < ALINEA__NTYPES; x++)
        p->prior[x] = -log((counts[x] + 50 * gc_prior[x]) / total);
}

static double calibrate(const alinea__params *p, const alinea__side *s, const alinea__side *t,
                        const float *w, const alinea_bead *b)
{
    int shape = 0;
    for (int x = 0; x < ALINEA__NTYPES; x++)
        if ((size_t)alinea__bead_di[x] == b->nsrc && (size_t)alinea__bead_dj[x] == b->ntgt)
            shape = x;
    alinea__params q = *p;
    q.beta = 0;
    q.para = ALINEA_PARA_IGNORE;
    double lex;
    double len = alinea__bead_cost(&q, s, t, w, b->src, (int)b->nsrc, b->tgt, (int)b->ntgt, &lex);
    double z = cal_k0 + cal_lex * lex + cal_len * (len < 20 ? len : 20) + cal_shape[shape];
    return 1.0 / (1.0 + exp(-z));
}

alinea_status alinea_aligner_run(alinea_aligner *a, const alinea_doc *src, const alinea_doc *tgt,
                                 alinea_bead **beads, size_t *n)
{
    alinea_status rc = ALINEA_OK;
    alinea__side s, t;
    float *w = NULL;
    size_t nw = 0;
    alinea__path p1, p2;
    memset(&s, 0, sizeof s);
    memset(&t, 0, sizeof t);
    memset(&p1, 0, sizeof p1);
    memset(&p2, 0, sizeof p2);
    *beads = NULL;
    *n = 0;
    if (alinea_doc_count(src) > (size_t)INT32_MAX || alinea_doc_count(tgt) > (size_t)INT32_MAX)
        return alinea__fail(a->ctx, ALINEA_ERR_TOO_BIG, "aligner: more than 2^31 segments");
    TRY(prepare(a));
    TRY(alinea__feat_build(a->feat, src, tgt, &s, &t, &w, &nw));

    alinea__params p;
    memset(&p, 0, sizeof p);
    double sl = 0, tl = 0;
    for (size_t i = 0; i < s.n; i++)
        sl += s.len[i];
    for (size_t j = 0; j < t.n; j++)
        tl += t.len[j];
    p.c = sl > 0 && tl > 0 ? tl / sl : 1.0;
    p.s2 = GC_S2;
    for (int x = 0; x < ALINEA__NTYPES; x++)
        p.prior[x] = -log(gc_prior[x]);
    p.beta = 30.0;
    p.lexfloor = 0.05;
    p.unk = 1.0;
    p.del_len = 0.4;
    p.para = (has_paragraphs(&s) && has_paragraphs(&t)) ? (int)a->para : ALINEA_PARA_IGNORE;
    p.p_inside = 4.0;
    p.p_edge = 2.0;
    p.p_open = 3.0;

    TRY(alinea__dp_align(a->ctx, &p, &s, &t, w, NULL, &p1));
    {
        /* learn word pairs from the confident 1-1 beads of the first pass */
        double *sc = malloc((p1.n + 1) * sizeof *sc);
        CHECK_ALLOC(a->ctx, sc);
        for (size_t k = 0; k < p1.n; k++)
            sc[k] = calibrate(&p, &s, &t, w, &p1.b[k]);
        rc = alinea__feat_realign(a->feat, &s, &t, &w, &nw, p1.b, p1.n, sc, REALIGN_MIN_SCORE);
        free(sc);
        if (rc != ALINEA_OK)
            goto cleanup;
    }
    reestimate(&p, &s, &t, &p1);
    TRY(alinea__dp_align(a->ctx, &p, &s, &t, w, &p1, &p2));
    for (size_t k = 0; k < p2.n; k++)
        p2.b[k].score = calibrate(&p, &s, &t, w, &p2.b[k]);
    *beads = p2.b;
    *n = p2.n;
    p2.b = NULL;
cleanup:
    alinea__side_free(&s);
    alinea__side_free(&t);
    free(w);
    alinea__path_free(&p1);
    alinea__path_free(&p2);
    return rc;
}
