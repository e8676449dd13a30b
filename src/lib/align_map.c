/* align_map.c - a string -> index hash map (open addressing, FNV-1a) used
 * by the aligner for vocabularies, evidence keys and the lexicon. */
#include "align_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *k, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a 64 */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void alinea__smap_init(alinea__smap *m)
{
    memset(m, 0, sizeof *m);
}

void alinea__smap_free(alinea__smap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->koff);
    free(m->klen);
    free(m->val);
    free(m->arena);
    memset(m, 0, sizeof *m);
}

long alinea__smap_find(const alinea__smap *m, const char *k, size_t len)
{
    if (m->nslots == 0)
        return -1;
    size_t mask = m->nslots - 1;
    for (size_t p = (size_t)hash_bytes(k, len) & mask;; p = (p + 1) & mask) {
        uint32_t s = m->slots[p];
        if (s == 0)
            return -1;
        size_t i = s - 1;
        if (m->klen[i] == len && memcmp(m->arena + m->koff[i], k, len) == 0)
            return (long)i;
    }
}

static alinea_status rehash(alinea_ctx *ctx, alinea__smap *m, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    size_t mask = nslots - 1;
    for (size_t i = 0; i < m->n; i++) {
        size_t p = (size_t)hash_bytes(m->arena + m->koff[i], m->klen[i]) & mask;
        while (slots[p])
            p = (p + 1) & mask;
        slots[p] = (uint32_t)(i + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return ALINEA_OK;
}

alinea_status alinea__smap_put(alinea_ctx *ctx, alinea__smap *m, const char *k, size_t len,
                               uint32_t val, long *index, int *added)
{
    alinea_status rc = ALINEA_OK;
    long found = alinea__smap_find(m, k, len);
    if (added)
        *added = 0;
    if (found >= 0) {
        if (index)
            *index = found;
        return ALINEA_OK;
    }
    if (m->n >= UINT32_MAX - 1 || len > UINT32_MAX)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "too many distinct words");
    if ((m->n + 1) * 2 > m->nslots)
        TRY(rehash(ctx, m, m->nslots ? m->nslots * 2 : 64));
    size_t need = m->n + 1;
    if (need > m->kcap) {
        size_t cap = m->kcap;
        TRY(alinea__grow(ctx, (void **)&m->koff, &cap, need, sizeof *m->koff));
        cap = m->kcap;
        TRY(alinea__grow(ctx, (void **)&m->klen, &cap, need, sizeof *m->klen));
        cap = m->kcap;
        TRY(alinea__grow(ctx, (void **)&m->val, &cap, need, sizeof *m->val));
        m->kcap = cap;
    }
    TRY(alinea__grow(ctx, (void **)&m->arena, &m->acap, m->alen + len + 1, 1));
    memcpy(m->arena + m->alen, k, len);
    m->arena[m->alen + len] = '\0';
    m->koff[m->n] = m->alen;
    m->klen[m->n] = (uint32_t)len;
    m->val[m->n] = val;
    m->alen += len + 1;
    size_t mask = m->nslots - 1;
    size_t p = (size_t)hash_bytes(k, len) & mask;
    while (m->slots[p])
        p = (p + 1) & mask;
    m->slots[p] = (uint32_t)(m->n + 1);
    if (index)
        *index = (long)m->n;
    if (added)
        *added = 1;
    m->n++;
cleanup:
    return rc;
}

const char *alinea__smap_key(const alinea__smap *m, size_t i, size_t *len)
{
    if (len)
        *len = m->klen[i];
    return m->arena + m->koff[i];
}
