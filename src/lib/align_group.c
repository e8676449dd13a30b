/* align_group.c - consistent multilingual groups from the ladders of one
 * source document with several translations (rule in alinea_align.h). */
#include "align_internal.h"

#include <stdlib.h>
#include <string.h>

static alinea_status check_ladder(alinea_ctx *ctx, size_t nsrc, const alinea_bead *b, size_t n,
                                  size_t k)
{
    size_t s = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].src != s || b[i].tgt != t || (b[i].nsrc == 0 && b[i].ntgt == 0))
            return alinea__fail(ctx, ALINEA_ERR_INVALID,
                                "ladder %zu: bead %zu does not follow the previous one", k, i);
        s += b[i].nsrc;
        t += b[i].ntgt;
    }
    if (s != nsrc)
        return alinea__fail(ctx, ALINEA_ERR_INVALID,
                            "ladder %zu covers %zu source segments, not %zu", k, s, nsrc);
    return ALINEA_OK;
}

/* Append a group (ntargets beads, all empty on the target side at first). */
static alinea_status new_group(alinea_ctx *ctx, alinea_bead **g, size_t *cap, size_t *ng,
                               size_t K, size_t src, size_t nsrc, const size_t *tpos)
{
    alinea_status rc = alinea__grow(ctx, (void **)g, cap, (*ng + 1) * K, sizeof **g);
    if (rc != ALINEA_OK)
        return rc;
    for (size_t k = 0; k < K; k++) {
        alinea_bead *x = &(*g)[*ng * K + k];
        x->src = src;
        x->nsrc = nsrc;
        x->tgt = tpos[k];
        x->ntgt = 0;
        x->score = -1; /* not set yet */
    }
    (*ng)++;
    return ALINEA_OK;
}

static void take(alinea_bead *x, const alinea_bead *b, size_t *tpos)
{
    if (x->ntgt == 0)
        x->tgt = b->tgt;
    x->ntgt += b->ntgt;
    *tpos = b->tgt + b->ntgt;
    if (x->score < 0 || b->score < x->score)
        x->score = b->score;
}

static void finish_group(alinea_bead *g, size_t K)
{
    for (size_t k = 0; k < K; k++)
        if (g[k].score < 0)
            g[k].score = 1;
}

alinea_status alinea_align_group(alinea_ctx *ctx, size_t nsrc, size_t ntargets,
                                 const alinea_bead *const *beads, const size_t *nbeads,
                                 alinea_bead **groups, size_t *ngroups)
{
    alinea_status rc = ALINEA_OK;
    unsigned char *spanned = NULL;
    size_t *cur = NULL, *tpos = NULL;
    alinea_bead *g = NULL;
    size_t cap = 0, ng = 0, K = ntargets;
    *groups = NULL;
    *ngroups = 0;
    if (K == 0)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "no target ladder");
    for (size_t k = 0; k < K; k++)
        TRY(check_ladder(ctx, nsrc, beads[k], nbeads[k], k));
    spanned = calloc(nsrc + 1, 1);
    cur = calloc(K, sizeof *cur);
    tpos = calloc(K, sizeof *tpos);
    CHECK_ALLOC(ctx, spanned);
    CHECK_ALLOC(ctx, cur);
    CHECK_ALLOC(ctx, tpos);
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < nbeads[k]; i++)
            for (size_t s = beads[k][i].src + 1; s < beads[k][i].src + beads[k][i].nsrc; s++)
                spanned[s] = 1;
    for (size_t a = 0;;) {
        /* 0-1 beads sitting at the boundary before source segment a */
        int any = 0;
        for (size_t k = 0; k < K; k++)
            if (cur[k] < nbeads[k] && beads[k][cur[k]].nsrc == 0 && beads[k][cur[k]].src == a)
                any = 1;
        if (any) {
            TRY(new_group(ctx, &g, &cap, &ng, K, a, 0, tpos));
            alinea_bead *x = &g[(ng - 1) * K];
            for (size_t k = 0; k < K; k++)
                while (cur[k] < nbeads[k] && beads[k][cur[k]].nsrc == 0 &&
                       beads[k][cur[k]].src == a)
                    take(&x[k], &beads[k][cur[k]++], &tpos[k]);
            finish_group(x, K);
        }
        if (a >= nsrc)
            break;
        size_t b = a + 1;
        while (b < nsrc && spanned[b])
            b++;
        TRY(new_group(ctx, &g, &cap, &ng, K, a, b - a, tpos));
        alinea_bead *x = &g[(ng - 1) * K];
        for (size_t k = 0; k < K; k++)
            while (cur[k] < nbeads[k]) {
                const alinea_bead *y = &beads[k][cur[k]];
                if (y->nsrc > 0 ? y->src >= b : (y->src <= a || y->src >= b))
                    break;
                take(&x[k], y, &tpos[k]);
                cur[k]++;
            }
        finish_group(x, K);
        a = b;
    }
    *groups = g;
    *ngroups = ng;
    g = NULL;
cleanup:
    free(g);
    free(spanned);
    free(cur);
    free(tpos);
    return rc;
}
