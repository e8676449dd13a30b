/* align_dp.c - the aligner's search: bead costs and a dynamic program over
 * a band of the alignment matrix, coarse-to-fine so that time and memory
 * are linear in the length of the documents.
 *
 * Cost of a bead (lower is better, in nats):
 *   prior(shape)                    -log P(n-m), Gale & Church (1993) priors,
 *                                   re-estimated per document (align.c)
 * + length                          -log 2(1 - Phi(|d|)), d = (lt - c ls) /
 *                                   sqrt(s2 (ls + lt/c)/2), lengths in
 *                                   code points (Gale & Church 1993)
 * + beta (floor - sim)              sim = 2 E / (Ws + Wt): E the IDF weight
 *                                   of the evidence keys shared by the two
 *                                   sides, Ws/Wt the weight of each side
 * + paragraph costs                 see alinea_aligner_set_paragraphs
 * Search (after Thompson & Koehn 2019, Vecalign): when the matrix is larger
 * than FULL_LIMIT cells, both sides are coarsened by merging neighbouring
 * units, aligned recursively, and the coarse ladder is projected to a band
 * of BAND_WIDTH units on each side at the finer level.
 */
#include "align_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const int alinea__bead_di[ALINEA__NTYPES] = {1, 1, 0, 1, 2, 2, 1, 3, 1, 4};
const int alinea__bead_dj[ALINEA__NTYPES] = {1, 0, 1, 2, 1, 2, 3, 1, 4, 1};

#define FULL_LIMIT ((size_t)1000000) /* cells of a full matrix searched directly */
#define BAND_WIDTH 8                /* units on each side of a projected ladder */

void alinea__path_free(alinea__path *p)
{
    if (!p)
        return;
    free(p->b);
    memset(p, 0, sizeof *p);
}

static double inter_w(const alinea__side *s, size_t i, const alinea__side *t, size_t j,
                      const float *w)
{
    if (s->eoff[i] == s->eoff[i + 1] || t->eoff[j] == t->eoff[j + 1])
        return 0; /* also keeps NULL + 0 out when a side has no key at all */
    const uint32_t *a = s->ids + s->eoff[i], *ae = s->ids + s->eoff[i + 1];
    const uint32_t *b = t->ids + t->eoff[j], *be = t->ids + t->eoff[j + 1];
    double e = 0;
    while (a < ae && b < be) {
        if (*a < *b)
            a++;
        else if (*b < *a)
            b++;
        else {
            e += w[*a];
            a++, b++;
        }
    }
    return e;
}

static double side_weight(const alinea__side *s, size_t i, const float *w)
{
    double e = 0;
    for (size_t k = s->eoff[i]; k < s->eoff[i + 1]; k++)
        e += w[s->ids[k]];
    return e;
}

/* -log(2 (1 - Phi(x))) for x >= 0, i.e. -log erfc(x / sqrt 2). */
static double tail_cost_exact(double x)
{
    double v = erfc(x / 1.4142135623730951);
    if (v > 1e-300)
        return -log(v);
    /* asymptotic: erfc(z) ~ exp(-z^2) / (z sqrt(pi)) */
    double z = x / 1.4142135623730951;
    return z * z + log(z * 1.7724538509055159);
}

/* The same through a table with linear interpolation (erfc and log are the
 * costliest part of the search otherwise); exact past the table. */
#define TAIL_STEP 0.01
#define TAIL_N 3001
static double tail_table[TAIL_N];
static pthread_once_t tail_once = PTHREAD_ONCE_INIT;

static void tail_init(void)
{
    for (int k = 0; k < TAIL_N; k++)
        tail_table[k] = tail_cost_exact(k * TAIL_STEP);
}

static double tail_cost(double x)
{
    double f = x / TAIL_STEP;
    if (f >= TAIL_N - 1)
        return tail_cost_exact(x);
    int k = (int)f;
    double r = f - k;
    return tail_table[k] * (1 - r) + tail_table[k + 1] * r;
}

/* Evidence shared by source unit i and target unit j: the cached value
 * when the pair's cell is in the band, else computed. */
typedef struct pair_cache {
    const struct band *b;
    const float *pc; /* cell (i+1, j+1) holds the pair (i, j) */
    const double *ws, *wt;
} pair_cache;

static double pair_inter(const pair_cache *pc, const alinea__side *s, size_t i,
                         const alinea__side *t, size_t j, const float *w);

static double bead_cost(const alinea__params *p, const alinea__side *s, const alinea__side *t,
                        const float *w, size_t i0, int di, size_t j0, int dj, double *lex,
                        const pair_cache *pc)
{
    double ls = 0, lt = 0, cost = 0;
    int k;
    *lex = 0;
    for (k = 0; k < di; k++)
        ls += s->len[i0 + (size_t)k];
    for (k = 0; k < dj; k++)
        lt += t->len[j0 + (size_t)k];
    double mean = (ls + lt / p->c) / 2;
    if (mean > 0) {
        double d = (lt - p->c * ls) / sqrt(p->s2 * mean);
        cost += (di && dj ? 1.0 : p->del_len) * tail_cost(fabs(d));
    }
    if (di > 0 && dj > 0) {
        double e = 0, ws = 0, wt = 0;
        for (k = 0; k < di; k++)
            ws += (pc ? pc->ws[i0 + (size_t)k] : side_weight(s, i0 + (size_t)k, w)) +
                  p->unk * s->ntok[i0 + (size_t)k];
        for (k = 0; k < dj; k++)
            wt += (pc ? pc->wt[j0 + (size_t)k] : side_weight(t, j0 + (size_t)k, w)) +
                  p->unk * t->ntok[j0 + (size_t)k];
        if (ws + wt > 0) {
            for (int a = 0; a < di; a++)
                for (int b = 0; b < dj; b++)
                    e += pc ? pair_inter(pc, s, i0 + (size_t)a, t, j0 + (size_t)b, w)
                            : inter_w(s, i0 + (size_t)a, t, j0 + (size_t)b, w);
            double sim = 2 * e / (ws + wt);
            if (sim > 1)
                sim = 1;
            *lex = sim;
        }
        cost += p->beta * (p->lexfloor - *lex);
    }
    for (k = 0; di > 1 && k < di; k++)
        if (s->open[i0 + (size_t)k])
            cost += p->p_open;
    for (k = 0; dj > 1 && k < dj; k++)
        if (t->open[j0 + (size_t)k])
            cost += p->p_open;
    if (p->para != ALINEA_PARA_IGNORE) {
        int inside = (di > 0 && s->para[i0] != s->parend[i0 + (size_t)di - 1]) ||
                     (dj > 0 && t->para[j0] != t->parend[j0 + (size_t)dj - 1]);
        if (inside)
            cost += p->para == ALINEA_PARA_HARD ? 1e6 : p->p_inside;
        if (di > 0 && dj > 0) {
            int ss = i0 == 0 || s->para[i0] != s->parend[i0 - 1];
            int ts = j0 == 0 || t->para[j0] != t->parend[j0 - 1];
            if (ss != ts)
                cost += p->p_edge;
        }
    }
    return cost;
}

double alinea__bead_cost(const alinea__params *p, const alinea__side *s, const alinea__side *t,
                         const float *w, size_t i0, int di, size_t j0, int dj, double *lex)
{
    pthread_once(&tail_once, tail_init);
    return bead_cost(p, s, t, w, i0, di, j0, dj, lex, NULL);
}

/* A band: for each row i (0..n) the columns lo[i]..hi[i] (inclusive). */
typedef struct band {
    size_t n, m;
    size_t *lo, *hi, *off;
    size_t cells;
} band;

static double pair_inter(const pair_cache *pc, const alinea__side *s, size_t i,
                         const alinea__side *t, size_t j, const float *w)
{
    const band *b = pc->b;
    size_t r = i + 1, c = j + 1;
    if (r <= b->n && c >= b->lo[r] && c <= b->hi[r])
        return pc->pc[b->off[r] + (c - b->lo[r])];
    return inter_w(s, i, t, j, w);
}

static void band_free(band *b)
{
    free(b->lo);
    free(b->hi);
    free(b->off);
    memset(b, 0, sizeof *b);
}

static alinea_status band_alloc(alinea_ctx *ctx, band *b, size_t n, size_t m)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    b->m = m;
    b->lo = malloc((n + 1) * sizeof *b->lo);
    b->hi = malloc((n + 1) * sizeof *b->hi);
    b->off = malloc((n + 2) * sizeof *b->off);
    if (!b->lo || !b->hi || !b->off) {
        band_free(b);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i <= n; i++) {
        b->lo[i] = SIZE_MAX;
        b->hi[i] = 0;
    }
    return ALINEA_OK;
}

static void band_finish(band *b)
{
    size_t off = 0;
    for (size_t i = 0; i <= b->n; i++) {
        if (b->lo[i] == SIZE_MAX) { /* keep rows connected */
            b->lo[i] = i ? b->lo[i - 1] : 0;
            b->hi[i] = i ? b->hi[i - 1] : 0;
        }
        b->off[i] = off;
        off += b->hi[i] - b->lo[i] + 1;
    }
    b->off[b->n + 1] = off;
    b->cells = off;
}

/* Mark the rectangle rows [r0, r1] x columns [c0 - w, c1 + w]. */
static void band_rect(band *b, size_t r0, size_t r1, size_t c0, size_t c1, size_t w)
{
    if (r1 > b->n)
        r1 = b->n;
    if (c1 > b->m)
        c1 = b->m;
    size_t lo = c0 > w ? c0 - w : 0;
    size_t hi = c1 + w > b->m ? b->m : c1 + w;
    for (size_t r = r0; r <= r1; r++) {
        if (lo < b->lo[r])
            b->lo[r] = lo;
        if (hi > b->hi[r])
            b->hi[r] = hi;
    }
}

/* Band around a ladder given in units scale times coarser. */
static alinea_status band_from_path(alinea_ctx *ctx, band *b, size_t n, size_t m,
                                    const alinea__path *path, size_t scale, size_t w)
{
    alinea_status rc = band_alloc(ctx, b, n, m);
    if (rc != ALINEA_OK)
        return rc;
    for (size_t k = 0; k < path->n; k++) {
        const alinea_bead *x = &path->b[k];
        size_t r0 = x->src * scale, r1 = (x->src + x->nsrc) * scale;
        size_t c0 = x->tgt * scale, c1 = (x->tgt + x->ntgt) * scale;
        if (r0 > n)
            r0 = n;
        if (c0 > m)
            c0 = m;
        /* widen rows as well, so that the band is w wide across the ladder */
        size_t rr0 = r0 > w ? r0 - w : 0, rr1 = r1 + w;
        band_rect(b, rr0, r0, c0, c0, w);
        band_rect(b, r0, r1, c0, c1, w);
        band_rect(b, r1 < n ? r1 : n, rr1, c1, c1, w);
    }
    band_rect(b, 0, 0, 0, 0, w);
    band_rect(b, n, n, m, m, w);
    band_finish(b);
    return ALINEA_OK;
}

static alinea_status dp_band(alinea_ctx *ctx, const alinea__params *p, const alinea__side *s,
                             const alinea__side *t, const float *w, const band *b,
                             alinea__path *out)
{
    alinea_status rc = ALINEA_OK;
    double *cost = malloc(b->cells * sizeof *cost);
    unsigned char *back = malloc(b->cells);
    float *pcv = malloc(b->cells * sizeof *pcv);
    double *ws = malloc((s->n + 1) * sizeof *ws), *wt = malloc((t->n + 1) * sizeof *wt);
    pair_cache pc = {b, pcv, ws, wt};
    memset(out, 0, sizeof *out);
    CHECK_ALLOC(ctx, cost);
    CHECK_ALLOC(ctx, back);
    CHECK_ALLOC(ctx, pcv);
    CHECK_ALLOC(ctx, ws);
    CHECK_ALLOC(ctx, wt);
    for (size_t i = 0; i < s->n; i++)
        ws[i] = side_weight(s, i, w);
    for (size_t j = 0; j < t->n; j++)
        wt[j] = side_weight(t, j, w);
    for (size_t i = 0; i <= b->n; i++)
        for (size_t j = b->lo[i]; j <= b->hi[i]; j++)
            pcv[b->off[i] + (j - b->lo[i])] =
                i > 0 && j > 0 ? (float)inter_w(s, i - 1, t, j - 1, w) : 0.0f;
    for (size_t i = 0; i <= b->n; i++) {
        for (size_t j = b->lo[i]; j <= b->hi[i]; j++) {
            size_t cell = b->off[i] + (j - b->lo[i]);
            double best = INFINITY;
            unsigned char bt = 0xFF;
            if (i == 0 && j == 0)
                best = 0;
            for (int k = 0; k < ALINEA__NTYPES; k++) {
                size_t di = (size_t)alinea__bead_di[k], dj = (size_t)alinea__bead_dj[k];
                if (di > i || dj > j)
                    continue;
                size_t pi = i - di, pj = j - dj;
                if (pj < b->lo[pi] || pj > b->hi[pi])
                    continue;
                double prev = cost[b->off[pi] + (pj - b->lo[pi])];
                if (prev == INFINITY)
                    continue;
                double lex;
                double c = prev + p->prior[k] +
                           bead_cost(p, s, t, w, pi, (int)di, pj, (int)dj, &lex, &pc);
                if (c < best) {
                    best = c;
                    bt = (unsigned char)k;
                }
            }
            cost[cell] = best;
            back[cell] = bt;
        }
    }
    /* backtrack from (n, m) */
    size_t i = b->n, j = b->m, nb = 0;
    if (j < b->lo[i] || j > b->hi[i] || cost[b->off[i] + (j - b->lo[i])] == INFINITY) {
        rc = alinea__fail(ctx, ALINEA_ERR_INVALID, "aligner: no path through the band");
        goto cleanup;
    }
    while (i > 0 || j > 0) {
        unsigned char k = back[b->off[i] + (j - b->lo[i])];
        TRY(alinea__grow(ctx, (void **)&out->b, &out->cap, nb + 1, sizeof *out->b));
        size_t di = (size_t)alinea__bead_di[k], dj = (size_t)alinea__bead_dj[k];
        out->b[nb].src = i - di;
        out->b[nb].nsrc = di;
        out->b[nb].tgt = j - dj;
        out->b[nb].ntgt = dj;
        out->b[nb].score = 0;
        nb++;
        i -= di;
        j -= dj;
    }
    for (size_t a = 0, z = nb ? nb - 1 : 0; a < z; a++, z--) {
        alinea_bead tmp = out->b[a];
        out->b[a] = out->b[z];
        out->b[z] = tmp;
    }
    out->n = nb;
cleanup:
    free(cost);
    free(back);
    free(pcv);
    free(ws);
    free(wt);
    if (rc != ALINEA_OK)
        alinea__path_free(out);
    return rc;
}

alinea_status alinea__dp_align(alinea_ctx *ctx, const alinea__params *p, const alinea__side *s,
                               const alinea__side *t, const float *w, const alinea__path *guide,
                               alinea__path *out)
{
    alinea_status rc = ALINEA_OK;
    band b;
    alinea__side cs, ct;
    pthread_once(&tail_once, tail_init);
    alinea__path coarse;
    memset(&b, 0, sizeof b);
    memset(&cs, 0, sizeof cs);
    memset(&ct, 0, sizeof ct);
    memset(&coarse, 0, sizeof coarse);
    memset(out, 0, sizeof *out);
    double cells = ((double)s->n + 1) * ((double)t->n + 1);
    if (guide) {
        TRY(band_from_path(ctx, &b, s->n, t->n, guide, 1, BAND_WIDTH / 2));
    } else if (cells <= (double)FULL_LIMIT || (s->n <= 2 && t->n <= 2)) {
        TRY(band_alloc(ctx, &b, s->n, t->n));
        for (size_t i = 0; i <= s->n; i++) {
            b.lo[i] = 0;
            b.hi[i] = t->n;
        }
        band_finish(&b);
    } else {
        TRY(alinea__side_coarsen(ctx, s, w, &cs));
        TRY(alinea__side_coarsen(ctx, t, w, &ct));
        TRY(alinea__dp_align(ctx, p, &cs, &ct, w, NULL, &coarse));
        TRY(band_from_path(ctx, &b, s->n, t->n, &coarse, 2, BAND_WIDTH));
    }
    TRY(dp_band(ctx, p, s, t, w, &b, out));
cleanup:
    band_free(&b);
    alinea__side_free(&cs);
    alinea__side_free(&ct);
    alinea__path_free(&coarse);
    return rc;
}
