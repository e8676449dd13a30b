/* lexicon.c - bilingual word lexicons for the aligner (dict/lexicon/SRC-TGT.tsv).
 *
 * Format (docs/alignment.md): UTF-8 text, one entry per line,
 * "SOURCE<TAB>TARGET"; empty lines and lines starting with '#' are ignored.
 * Both words are case-folded (ICU ucasemap_utf8FoldCase). An entry whose
 * side holds several words ("pomme de terre<TAB>potato") is accepted but not
 * used: the aligner matches single words (after hunspell stemming). */
#include "align_internal.h"
#include "alinea_text.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>

typedef struct pair {
    uint32_t s, t;
} pair;

/* Pending pairs, kept in the lexicon until _finish. */
struct pending {
    pair *p;
    size_t n, cap;
};

static alinea_status fold(alinea_ctx *ctx, UCaseMap *cm, const char *w, size_t len, char *buf,
                          size_t cap, size_t *outlen)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = ucasemap_utf8FoldCase(cm, buf, (int32_t)cap, w, (int32_t)len, &err);
    if (U_FAILURE(err) || n < 0 || (size_t)n >= cap)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "word too long");
    *outlen = (size_t)n;
    return ALINEA_OK;
}

static int has_space(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (w[i] == ' ' || w[i] == '\t')
            return 1;
    return 0;
}

static void trim(const char **w, size_t *len)
{
    while (*len && ((*w)[0] == ' ' || (*w)[0] == '\r'))
        (*w)++, (*len)--;
    while (*len && ((*w)[*len - 1] == ' ' || (*w)[*len - 1] == '\r'))
        (*len)--;
}

alinea_status alinea__lexicon_add_file(alinea_ctx *ctx, alinea__lexicon *lex, const char *path,
                                       int reverse)
{
    alinea_status rc = ALINEA_OK;
    char *text = NULL;
    size_t len = 0;
    UCaseMap *cm = NULL;
    struct pending *pend = lex->pending;
    UErrorCode err = U_ZERO_ERROR;

    if (!pend) {
        pend = calloc(1, sizeof *pend);
        CHECK_ALLOC(ctx, pend);
        lex->pending = pend;
    }
    TRY(alinea_text_load(ctx, path, 0, &text, &len));
    cm = ucasemap_open("", 0, &err);
    if (U_FAILURE(err)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ucasemap_open: %s", u_errorName(err));
        goto cleanup;
    }
    size_t lineno = 0;
    for (char *line = text; line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        char *end = nl ? nl : text + len;
        lineno++;
        size_t ll = (size_t)(end - line);
        if (ll && line[ll - 1] == '\r')
            ll--;
        if (ll > 0 && line[0] != '#') {
            char *tab = memchr(line, '\t', ll);
            if (!tab || memchr(tab + 1, '\t', ll - (size_t)(tab - line) - 1)) {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: expected SOURCE<TAB>TARGET (exactly one tab)", path,
                                  lineno);
                goto cleanup;
            }
            const char *a = line, *b = tab + 1;
            size_t al = (size_t)(tab - line), bl = ll - al - 1;
            trim(&a, &al);
            trim(&b, &bl);
            if (al == 0 || bl == 0) {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%zu: empty word", path, lineno);
                goto cleanup;
            }
            if (reverse) {
                const char *t = a;
                size_t tl = al;
                a = b, al = bl, b = t, bl = tl;
            }
            if (!has_space(a, al) && !has_space(b, bl) && al < 200 && bl < 200) {
                char fa[800], fb[800];
                size_t fal = 0, fbl = 0;
                long si, ti;
                TRY(fold(ctx, cm, a, al, fa, sizeof fa, &fal));
                TRY(fold(ctx, cm, b, bl, fb, sizeof fb, &fbl));
                TRY(alinea__smap_put(ctx, &lex->src, fa, fal, 0, &si, NULL));
                TRY(alinea__smap_put(ctx, &lex->tgt, fb, fbl, 0, &ti, NULL));
                TRY(alinea__grow(ctx, (void **)&pend->p, &pend->cap, pend->n + 1, sizeof *pend->p));
                pend->p[pend->n].s = (uint32_t)si;
                pend->p[pend->n].t = (uint32_t)ti;
                pend->n++;
            }
        }
        line = end + (nl ? 1 : 0);
    }
cleanup:
    ucasemap_close(cm);
    alinea_free(text);
    return rc;
}

static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return 0;
}

alinea_status alinea__lexicon_finish(alinea_ctx *ctx, alinea__lexicon *lex)
{
    alinea_status rc = ALINEA_OK;
    struct pending *pend = lex->pending;
    lex->pending = NULL;
    lex->first = calloc(lex->src.n + 1, sizeof *lex->first);
    CHECK_ALLOC(ctx, lex->first);
    size_t np = pend ? pend->n : 0;
    if (np) {
        qsort(pend->p, np, sizeof *pend->p, cmp_pair);
        lex->tgts = malloc(np * sizeof *lex->tgts);
        CHECK_ALLOC(ctx, lex->tgts);
    }
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        if (i && pend->p[i].s == pend->p[i - 1].s && pend->p[i].t == pend->p[i - 1].t)
            continue;
        lex->tgts[k++] = pend->p[i].t;
        lex->first[pend->p[i].s + 1] = (uint32_t)k;
    }
    for (size_t s = 1; s <= lex->src.n; s++)
        if (lex->first[s] < lex->first[s - 1])
            lex->first[s] = lex->first[s - 1];
    lex->nentries = k;
cleanup:
    if (pend)
        free(pend->p);
    free(pend);
    return rc;
}

void alinea__lexicon_free(alinea__lexicon *lex)
{
    if (!lex)
        return;
    alinea__smap_free(&lex->src);
    alinea__smap_free(&lex->tgt);
    if (lex->pending)
        free(((struct pending *)lex->pending)->p);
    free(lex->pending);
    free(lex->first);
    free(lex->tgts);
    memset(lex, 0, sizeof *lex);
}

const uint32_t *alinea__lexicon_lookup(const alinea__lexicon *lex, const char *w, size_t len,
                                       size_t *n)
{
    *n = 0;
    if (!lex || !lex->first || lex->nentries == 0)
        return NULL;
    long i = alinea__smap_find(&lex->src, w, len);
    if (i < 0)
        return NULL;
    *n = lex->first[i + 1] - lex->first[i];
    return lex->tgts + lex->first[i];
}

size_t alinea__lexicon_pending(const alinea__lexicon *lex)
{
    const struct pending *pend = lex->pending;
    return pend ? pend->n : 0;
}
