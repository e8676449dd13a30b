/* align_realign.c - the second pass's word pairs, learned from the first
 * pass's confident 1-1 beads (in the spirit of hunalign's -realign; rule in
 * align_internal.h, measured effect in docs/alignment.md). */
#include "align_feat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


struct tlist {
    size_t *off; /* per type: first entry, size ntypes + 1 */
    uint32_t *keys;
};

/* Unique types of sentence i on a side, into buf (stamp marks seen types). */
static size_t sentence_types(const alinea__feat *f, int side, size_t i, uint32_t *stamp,
                             uint32_t mark, uint32_t *buf)
{
    size_t n = 0;
    for (size_t k = f->ttoff[side][i]; k < f->ttoff[side][i + 1]; k++) {
        uint32_t ty = f->tt[side][k];
        if (stamp[ty] != mark) {
            stamp[ty] = mark;
            buf[n++] = ty;
        }
    }
    return n;
}

/* A word of 3+ bytes that no shared key explains yet (weight w > 0 means
 * the key occurs on both sides). */
static int content_type(const alinea__feat *f, int side, uint32_t ty, const float *w)
{
    size_t len;
    const char *word = alinea__smap_key(&f->types[side], ty, &len);
    if (len < 3 || (word[0] >= '0' && word[0] <= '9'))
        return 0;
    for (size_t k = f->tkoff[side][ty]; k < f->tkoff[side][ty + 1]; k++)
        if (w[f->tkeys[side][k]] > 0)
            return 0;
    return 1;
}

alinea_status alinea__feat_realign(alinea__feat *f, alinea__side *s, alinea__side *t,
                                   float **weights, size_t *nweights, const alinea_bead *beads,
                                   size_t nbeads, const double *scores, double min_score)
{
    alinea_status rc = ALINEA_OK;
    size_t nts = f->types[0].n, ntt = f->types[1].n;
    uint32_t *cnt[2] = {NULL, NULL}, *stamp[2] = {NULL, NULL}, *bs = NULL, *bt = NULL;
    size_t maxs = 0, maxt = 0, nconf = 0;
    alinea__smap pairs;
    struct tlist tl[2];
    uint32_t *newids = NULL, *df[2] = {NULL, NULL};
    alinea__smap_init(&pairs);
    memset(tl, 0, sizeof tl);
    cnt[0] = calloc(nts + 1, sizeof(uint32_t));
    cnt[1] = calloc(ntt + 1, sizeof(uint32_t));
    stamp[0] = calloc(nts + 1, sizeof(uint32_t));
    stamp[1] = calloc(ntt + 1, sizeof(uint32_t));
    CHECK_ALLOC(f->ctx, cnt[0]);
    CHECK_ALLOC(f->ctx, cnt[1]);
    CHECK_ALLOC(f->ctx, stamp[0]);
    CHECK_ALLOC(f->ctx, stamp[1]);
    for (size_t i = 0; i < s->n; i++)
        if (f->ttoff[0][i + 1] - f->ttoff[0][i] > maxs)
            maxs = f->ttoff[0][i + 1] - f->ttoff[0][i];
    for (size_t j = 0; j < t->n; j++)
        if (f->ttoff[1][j + 1] - f->ttoff[1][j] > maxt)
            maxt = f->ttoff[1][j + 1] - f->ttoff[1][j];
    bs = malloc((maxs + 1) * sizeof *bs);
    bt = malloc((maxt + 1) * sizeof *bt);
    CHECK_ALLOC(f->ctx, bs);
    CHECK_ALLOC(f->ctx, bt);
    /* 1. in how many confident 1-1 beads each type occurs */
    uint32_t mark = 0;
    for (size_t b = 0; b < nbeads; b++) {
        if (beads[b].nsrc != 1 || beads[b].ntgt != 1 || scores[b] < min_score)
            continue;
        nconf++;
        mark++;
        size_t ns = sentence_types(f, 0, beads[b].src, stamp[0], mark, bs);
        size_t nt = sentence_types(f, 1, beads[b].tgt, stamp[1], mark, bt);
        for (size_t k = 0; k < ns; k++)
            cnt[0][bs[k]]++;
        for (size_t k = 0; k < nt; k++)
            cnt[1][bt[k]]++;
    }
    if (nconf < 50)
        goto cleanup;
    /* 2. co-occurrence counts of content words that nothing explains yet,
     * seen at least twice, and in at most a tenth of the beads */
    uint32_t maxc = (uint32_t)(nconf / 10 + 2);
    for (size_t b = 0; b < nbeads; b++) {
        if (beads[b].nsrc != 1 || beads[b].ntgt != 1 || scores[b] < min_score)
            continue;
        mark++;
        size_t ns = sentence_types(f, 0, beads[b].src, stamp[0], mark, bs);
        size_t nt = sentence_types(f, 1, beads[b].tgt, stamp[1], mark, bt);
        for (size_t a = 0; a < ns; a++) {
            if (cnt[0][bs[a]] < 2 || cnt[0][bs[a]] > maxc || !content_type(f, 0, bs[a], *weights))
                continue;
            for (size_t c = 0; c < nt; c++) {
                if (cnt[1][bt[c]] < 2 || cnt[1][bt[c]] > maxc || !content_type(f, 1, bt[c], *weights))
                    continue;
                uint32_t key[2] = {bs[a], bt[c]};
                long idx;
                int added;
                TRY(alinea__smap_put(f->ctx, &pairs, (const char *)key, sizeof key, 0, &idx,
                                     &added));
                pairs.val[idx]++;
            }
        }
    }
    /* 3. keep pairs with Dice >= 0.6 seen in 2 beads or more; a key each */
    for (int side = 0; side < 2; side++) {
        size_t nty = side ? ntt : nts;
        tl[side].off = calloc(nty + 2, sizeof(size_t));
        CHECK_ALLOC(f->ctx, tl[side].off);
    }
    size_t nsel = 0;
    for (size_t p = 0; p < pairs.n; p++) {
        uint32_t key[2];
        memcpy(key, alinea__smap_key(&pairs, p, NULL), sizeof key); /* keys are unaligned */
        double c = pairs.val[p];
        double dice = 2 * c / (cnt[0][key[0]] + cnt[1][key[1]]);
        if (c >= 2 && dice >= 0.6) {
            tl[0].off[key[0] + 1]++;
            tl[1].off[key[1] + 1]++;
            nsel++;
        } else {
            pairs.val[p] = 0;
        }
    }
    if (nsel == 0)
        goto cleanup;
    for (int side = 0; side < 2; side++) {
        size_t nty = side ? ntt : nts;
        for (size_t k = 0; k < nty; k++)
            tl[side].off[k + 1] += tl[side].off[k];
        tl[side].keys = malloc((nsel + 1) * sizeof(uint32_t));
        CHECK_ALLOC(f->ctx, tl[side].keys);
    }
    {
        size_t *fill[2];
        fill[0] = calloc(nts + 1, sizeof(size_t));
        fill[1] = calloc(ntt + 1, sizeof(size_t));
        if (!fill[0] || !fill[1]) {
            free(fill[0]);
            free(fill[1]);
            rc = alinea__fail(f->ctx, ALINEA_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t p = 0; p < pairs.n; p++) {
            if (!pairs.val[p])
                continue;
            uint32_t key[2];
            memcpy(key, alinea__smap_key(&pairs, p, NULL), sizeof key);
            char kb[32];
            int kl = snprintf(kb, sizeof kb, "R:%u:%u", (unsigned)key[0], (unsigned)key[1]);
            long id;
            rc = alinea__smap_put(f->ctx, &f->keys, kb, (size_t)kl, 0, &id, NULL);
            if (rc != ALINEA_OK)
                break;
            tl[0].keys[tl[0].off[key[0]] + fill[0][key[0]]++] = (uint32_t)id;
            tl[1].keys[tl[1].off[key[1]] + fill[1][key[1]]++] = (uint32_t)id;
        }
        free(fill[0]);
        free(fill[1]);
        if (rc != ALINEA_OK)
            goto cleanup;
    }
    /* 4. add the new keys to every sentence, and weigh them */
    size_t nk = f->keys.n, oldnk = *nweights;
    df[0] = calloc(nk + 1, sizeof(uint32_t));
    df[1] = calloc(nk + 1, sizeof(uint32_t));
    CHECK_ALLOC(f->ctx, df[0]);
    CHECK_ALLOC(f->ctx, df[1]);
    for (int side = 0; side < 2; side++) {
        alinea__side *x = side ? t : s;
        size_t cap = 0, nids = 0;
        newids = NULL;
        for (size_t i = 0; i < x->n; i++) {
            size_t start = nids, old = x->eoff[i + 1] - x->eoff[i];
            mark++;
            size_t nty = sentence_types(f, side, i, stamp[side], mark, side ? bt : bs);
            size_t extra = 0;
            for (size_t k = 0; k < nty; k++) {
                uint32_t ty = (side ? bt : bs)[k];
                extra += tl[side].off[ty + 1] - tl[side].off[ty];
            }
            TRY(alinea__grow(f->ctx, (void **)&newids, &cap, nids + old + extra + 1,
                             sizeof *newids));
            if (old)
                memcpy(newids + nids, x->ids + x->eoff[i], old * sizeof *newids);
            nids += old;
            for (size_t k = 0; k < nty; k++) {
                uint32_t ty = (side ? bt : bs)[k];
                for (size_t e = tl[side].off[ty]; e < tl[side].off[ty + 1]; e++)
                    newids[nids++] = tl[side].keys[e];
            }
            uint32_t *a = newids + start;
            size_t m = nids - start, u = 0;
            if (m > 1)
                qsort(a, m, sizeof *a, alinea__cmp_u32);
            for (size_t k = 0; k < m; k++)
                if (u == 0 || a[k] != a[u - 1])
                    a[u++] = a[k];
            nids = start + u;
            x->eoff[i] = start;
            for (size_t k = 0; k < u; k++)
                if (a[k] >= oldnk)
                    df[side][a[k]]++;
        }
        x->eoff[x->n] = nids;
        free(x->ids);
        x->ids = newids;
        newids = NULL;
    }
    float *nw = realloc(*weights, (nk + 1) * sizeof *nw);
    CHECK_ALLOC(f->ctx, nw);
    *weights = nw;
    double total = (double)(s->n + t->n) + 1.0;
    for (size_t k = oldnk; k < nk; k++)
        nw[k] = df[0][k] && df[1][k] ? (float)log(total / (double)(df[0][k] + df[1][k])) : 0.0f;
    *nweights = nk;
cleanup:
    free(newids);
    free(df[0]);
    free(df[1]);
    free(cnt[0]);
    free(cnt[1]);
    free(stamp[0]);
    free(stamp[1]);
    free(bs);
    free(bt);
    for (int side = 0; side < 2; side++) {
        free(tl[side].off);
        free(tl[side].keys);
    }
    alinea__smap_free(&pairs);
    return rc;
}
