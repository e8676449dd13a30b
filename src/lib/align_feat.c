/* align_feat.c - what the aligner knows about each sentence: its length and
 * a set of weighted evidence keys that a translation is likely to share.
 *
 * Keys (an id per distinct key, shared by both sides):
 *   N:digits   a number, its digits only ("64 000", "64,000" -> N:64000)
 *   C:name     a capitalised word, folded with ICU "Any-Latin; Latin-ASCII"
 *   G:pref     a cognate class: the first 4 letters of the folded word
 *              (Simard, Foster & Isabelle 1992, "Using cognates to align
 *              sentences in bilingual corpora", words of 4+ letters)
 *   L:id       a target-language lemma, reached from a source word through
 *              the bilingual lexicon, and from a target word directly; both
 *              sides are stemmed with hunspell (Hunspell_stem)
 *   P:c        punctuation that translations keep: ? ! quotes parentheses
 * A key is weighted by its inverse document frequency over the sentences of
 * both documents (Sparck Jones 1972); keys seen on one side only are dropped.
 */
#include "align_feat.h"
#include "alinea_text.h"

#include <hunspell.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#define MAX_WORD 256 /* bytes; longer tokens only count for length */


static void close_icu(alinea__feat *f)
{
    if (f->cm)
        ucasemap_close(f->cm);
    if (f->tr)
        utrans_close(f->tr);
}

alinea_status alinea__feat_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                               const alinea__lexicon *lex, alinea__feat **out)
{
    alinea_status rc = ALINEA_OK;
    UErrorCode err = U_ZERO_ERROR;
    alinea__feat *f = calloc(1, sizeof *f);
    *out = NULL;
    CHECK_ALLOC(ctx, f);
    f->ctx = ctx;
    f->lex = lex;
    f->cm = ucasemap_open("", 0, &err);
    if (U_SUCCESS(err)) {
        UParseError pe;
        static const UChar id[] = u"Any-Latin; Latin-ASCII";
        f->tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &err);
    }
    if (U_FAILURE(err)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU case map / transliterator: %s",
                          u_errorName(err));
        goto cleanup;
    }
    if (lex && lex->nentries) {
        /* Stems are needed only to reach the lexicon. */
        const char *langs[2] = {srclang, tgtlang};
        for (int k = 0; k < 2; k++) {
            void *h = NULL;
            TRY(alinea__hunspell(ctx, langs[k], &h, &f->enc[k]));
            f->hun[k] = h;
        }
    }
    for (int k = 0; k < 2; k++)
        alinea__smap_init(&f->types[k]);
    alinea__smap_init(&f->keys);
    *out = f;
    f = NULL;
cleanup:
    if (f) {
        close_icu(f);
        free(f);
    }
    return rc;
}

void alinea__feat_free(alinea__feat *f)
{
    if (!f)
        return;
    close_icu(f);
    alinea__smap_free(&f->keys);
    for (int k = 0; k < 2; k++) {
        alinea__smap_free(&f->types[k]);
        free(f->tkoff[k]);
        free(f->tkeys[k]);
        free(f->tt[k]);
        free(f->ttoff[k]);
    }
    free(f);
}

void alinea__side_free(alinea__side *s)
{
    if (!s)
        return;
    free(s->len);
    free(s->para);
    free(s->parend);
    free(s->count);
    free(s->eoff);
    free(s->ids);
    free(s->ntok);
    free(s->open);
    memset(s, 0, sizeof *s);
}

static alinea_status side_alloc(alinea_ctx *ctx, alinea__side *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->len = calloc(n + 1, sizeof *s->len);
    s->para = calloc(n + 1, sizeof *s->para);
    s->parend = calloc(n + 1, sizeof *s->parend);
    s->count = calloc(n + 1, sizeof *s->count);
    s->eoff = calloc(n + 1, sizeof *s->eoff);
    s->ntok = calloc(n + 1, sizeof *s->ntok);
    s->open = calloc(n + 1, 1);
    if (!s->len || !s->para || !s->parend || !s->count || !s->eoff || !s->ntok || !s->open) {
        alinea__side_free(s);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    return ALINEA_OK;
}

/* ------------------------------------------------------------ word keys */

static alinea_status add_key(alinea__feat *f, int side, const char *key, size_t len)
{
    alinea_status rc = ALINEA_OK;
    long id;
    TRY(alinea__smap_put(f->ctx, &f->keys, key, len, 0, &id, NULL));
    TRY(alinea__grow(f->ctx, (void **)&f->tkeys[side], &f->tkkcap[side], f->tklen[side] + 1,
                     sizeof(uint32_t)));
    f->tkeys[side][f->tklen[side]++] = (uint32_t)id;
cleanup:
    return rc;
}

static alinea_status add_keyf(alinea__feat *f, int side, char prefix, const char *s, size_t len)
{
    char buf[MAX_WORD * 4 + 4];
    if (len > sizeof buf - 2)
        len = sizeof buf - 2;
    buf[0] = prefix;
    buf[1] = ':';
    memcpy(buf + 2, s, len);
    return add_key(f, side, buf, len + 2);
}

/* ASCII folding of a folded (lower-case) word: "Any-Latin; Latin-ASCII". */
static size_t ascii_fold(alinea__feat *f, const char *w, size_t len, char *out, size_t cap)
{
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)w[i] >= 0x80)
            ascii = 0;
    if (ascii) {
        if (len >= cap)
            len = cap - 1;
        memcpy(out, w, len);
        return len;
    }
    UChar u[MAX_WORD * 2];
    int32_t ulen = 0, limit;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(u, MAX_WORD, &ulen, w, (int32_t)len, &err);
    if (U_FAILURE(err) || ulen >= MAX_WORD)
        return 0;
    limit = ulen;
    utrans_transUChars(f->tr, u, &ulen, MAX_WORD * 2, 0, &limit, &err);
    if (U_FAILURE(err))
        return 0;
    int32_t olen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, &olen, u, ulen, &err);
    if (U_FAILURE(err) || olen >= (int32_t)cap)
        return 0;
    /* keep letters and digits only */
    size_t k = 0;
    for (int32_t i = 0; i < olen; i++)
        if ((unsigned char)out[i] >= 0x80 || (out[i] >= 'a' && out[i] <= 'z') ||
            (out[i] >= '0' && out[i] <= '9'))
            out[k++] = out[i];
        else if (out[i] >= 'A' && out[i] <= 'Z')
            out[k++] = (char)(out[i] - 'A' + 'a');
    return k;
}

/* Hunspell stems of a folded word (converted to the dictionary's encoding
 * when it is not UTF-8). Calls fn for the word itself and each stem. */
static alinea_status lemmas(alinea__feat *f, int side, const char *w, size_t len,
                            alinea_status (*fn)(alinea__feat *, int, const char *, size_t))
{
    alinea_status rc = fn(f, side, w, len);
    if (rc != ALINEA_OK || !f->hun[side] || len < 2)
        return rc;
    char word[MAX_WORD * 4 + 1];
    int utf8 = !f->enc[side] || strcasecmp(f->enc[side], "UTF-8") == 0 ||
               strcasecmp(f->enc[side], "UTF8") == 0;
    if (utf8) {
        memcpy(word, w, len);
        word[len] = '\0';
    } else {
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = ucnv_convert(f->enc[side], "UTF-8", word, (int32_t)sizeof word - 1, w,
                                 (int32_t)len, &err);
        if (U_FAILURE(err) || n <= 0)
            return ALINEA_OK;
        word[n] = '\0';
    }
    char **list = NULL;
    int n = Hunspell_stem(f->hun[side], &list, word);
    for (int i = 0; i < n && rc == ALINEA_OK; i++) {
        size_t sl = strlen(list[i]);
        if (sl == len && memcmp(list[i], w, len) == 0)
            continue;
        if (utf8) {
            rc = fn(f, side, list[i], sl);
        } else {
            char back[MAX_WORD * 4 + 1];
            UErrorCode err = U_ZERO_ERROR;
            int32_t bn = ucnv_convert("UTF-8", f->enc[side], back, (int32_t)sizeof back - 1,
                                      list[i], (int32_t)sl, &err);
            if (U_SUCCESS(err) && bn > 0)
                rc = fn(f, side, back, (size_t)bn);
        }
    }
    if (n > 0)
        Hunspell_free_list(f->hun[side], &list, n);
    return rc;
}

static alinea_status lex_keys(alinea__feat *f, int side, const char *lemma, size_t len)
{
    char buf[32];
    if (side == 0) {
        size_t n;
        const uint32_t *t = alinea__lexicon_lookup(f->lex, lemma, len, &n);
        for (size_t i = 0; i < n; i++) {
            int bl = snprintf(buf, sizeof buf, "L:%u", (unsigned)t[i]);
            alinea_status rc = add_key(f, side, buf, (size_t)bl);
            if (rc != ALINEA_OK)
                return rc;
        }
        return ALINEA_OK;
    }
    long id = alinea__smap_find(&f->lex->tgt, lemma, len);
    if (id < 0)
        return ALINEA_OK;
    int bl = snprintf(buf, sizeof buf, "L:%u", (unsigned)id);
    return add_key(f, side, buf, (size_t)bl);
}

/* Compute the keys of a new word type (surface form w). */
static alinea_status word_keys(alinea__feat *f, int side, const char *w, size_t len)
{
    alinea_status rc = ALINEA_OK;
    char low[MAX_WORD * 4], asc[MAX_WORD * 4];
    UErrorCode err = U_ZERO_ERROR;
    int32_t ll = ucasemap_utf8FoldCase(f->cm, low, (int32_t)sizeof low, w, (int32_t)len, &err);
    if (U_FAILURE(err) || ll <= 0 || ll >= (int32_t)sizeof low)
        return ALINEA_OK;
    UChar32 c0;
    int32_t i0 = 0;
    U8_NEXT(w, i0, (int32_t)len, c0);
    if (u_isdigit(c0)) {
        return add_keyf(f, side, 'N', w, len); /* number tokens hold digits only */
    }
    size_t al = ascii_fold(f, low, (size_t)ll, asc, sizeof asc);
    if ((u_isupper(c0) || u_istitle(c0)) && al >= 2)
        TRY(add_keyf(f, side, 'C', asc, al));
    if (al >= 4)
        TRY(add_keyf(f, side, 'G', asc, 4));
    if (f->lex && f->lex->nentries)
        TRY(lemmas(f, side, low, (size_t)ll, lex_keys));
cleanup:
    return rc;
}

/* The key ids of a token, computed once per distinct surface form. */
static alinea_status type_keys(alinea__feat *f, int side, const char *w, size_t len,
                               const uint32_t **keys, size_t *nkeys)
{
    alinea_status rc2 = ALINEA_OK;
    alinea_status rc = ALINEA_OK;
    long ti;
    int added;
    alinea__smap *types = &f->types[side];
    TRY(alinea__smap_put(f->ctx, types, w, len, 0, &ti, &added));
    if (added) {
        TRY(alinea__grow(f->ctx, (void **)&f->tkoff[side], &f->tkcap[side], types->n + 1,
                         sizeof(size_t)));
        f->tkoff[side][ti] = f->tklen[side];
        TRY(word_keys(f, side, w, len));
        f->tkoff[side][ti + 1] = f->tklen[side];
    }
    *keys = f->tkeys[side] ? f->tkeys[side] + f->tkoff[side][ti] : NULL;
    *nkeys = f->tkoff[side][ti + 1] - f->tkoff[side][ti];
    /* remember the token's type, to count later the tokens that no key of
     * the other side explains */
    rc2 = alinea__grow(f->ctx, (void **)&f->tt[side], &f->ttcap[side], f->ttn[side] + 1,
                       sizeof(uint32_t));
    if (rc2 != ALINEA_OK)
        return rc2;
    f->tt[side][f->ttn[side]++] = (uint32_t)ti;
cleanup:
    return rc;
}

static int is_num_sep(UChar32 c)
{
    return c == '.' || c == ',' || c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009 ||
           c == '\'' || c == 0x2019;
}

int alinea__cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Tokens of one sentence; appends its sorted, unique key ids to *ids. */
static alinea_status sentence(alinea__feat *f, int side, const char *s, size_t n, uint32_t **ids,
                              size_t *nids, size_t *cap, double *len, float *ntok)
{
    alinea_status rc = ALINEA_OK;
    size_t start = *nids;
    int32_t i = 0, slen = (int32_t)n;
    double cps = 0;
    float toks = 0;
    char word[MAX_WORD * 4];
    while (i < slen) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, slen, c);
        if (c < 0)
            continue;
        if (!u_isUWhiteSpace(c))
            cps += 1;
        const uint32_t *keys = NULL;
        size_t nk = 0;
        if (u_isdigit(c)) {
            /* a number: digit groups joined by separators; a space-like
             * separator joins only a group of exactly three digits */
            size_t wl = 0;
            int32_t j = at;
            for (;;) {
                UChar32 d;
                int32_t k = j;
                U8_NEXT(s, k, slen, d);
                if (d >= 0 && u_isdigit(d)) {
                    if (wl < MAX_WORD)
                        word[wl++] = (char)('0' + u_charDigitValue(d));
                    j = k;
                    continue;
                }
                if (d >= 0 && is_num_sep(d) && k < slen) {
                    int32_t k2 = k, ndig = 0;
                    UChar32 e;
                    while (k2 < slen) {
                        int32_t k3 = k2;
                        U8_NEXT(s, k3, slen, e);
                        if (e < 0 || !u_isdigit(e))
                            break;
                        ndig++;
                        k2 = k3;
                    }
                    int spacey = d == ' ' || d == 0xA0 || d == 0x202F || d == 0x2009;
                    if (ndig > 0 && (!spacey || ndig == 3)) {
                        j = k;
                        continue;
                    }
                }
                break;
            }
            for (int32_t q = at; q < j;) {
                UChar32 d;
                int32_t q0 = q;
                U8_NEXT(s, q, slen, d);
                if (q0 != at && !u_isUWhiteSpace(d))
                    cps += 1;
            }
            i = j;
            toks += 1;
            TRY(type_keys(f, side, word, wl, &keys, &nk));
        } else if (u_isalpha(c)) {
            int32_t j = i;
            for (;;) {
                UChar32 d;
                int32_t k = j;
                if (k >= slen)
                    break;
                U8_NEXT(s, k, slen, d);
                if (d >= 0 && (u_isalnum(d) || u_charType(d) == U_NON_SPACING_MARK)) {
                    cps += 1;
                    j = k;
                    continue;
                }
                break;
            }
            i = j;
            toks += 1;
            if ((size_t)(j - at) < MAX_WORD)
                TRY(type_keys(f, side, s + at, (size_t)(j - at), &keys, &nk));
        } else {
            const char *p = NULL;
            if (c == '?' || c == 0xBF)
                p = "P:?";
            else if (c == '!' || c == 0xA1)
                p = "P:!";
            else if (c == '(' || c == ')' || c == '[' || c == ']')
                p = "P:(";
            else if (c == '"' || c == 0xAB || c == 0xBB || c == 0x201C || c == 0x201D ||
                     c == 0x201E)
                p = "P:\"";
            if (p) {
                long id;
                TRY(alinea__smap_put(f->ctx, &f->keys, p, 3, 0, &id, NULL));
                TRY(alinea__grow(f->ctx, (void **)ids, cap, *nids + 1, sizeof **ids));
                (*ids)[(*nids)++] = (uint32_t)id;
            }
        }
        if (nk) {
            TRY(alinea__grow(f->ctx, (void **)ids, cap, *nids + nk, sizeof **ids));
            memcpy(*ids + *nids, keys, nk * sizeof *keys);
            *nids += nk;
        }
    }
    /* sort and make unique */
    size_t m = *nids - start;
    uint32_t *a = *ids ? *ids + start : NULL;
    if (m > 1)
        qsort(a, m, sizeof *a, alinea__cmp_u32);
    size_t u = 0;
    for (size_t k = 0; k < m; k++)
        if (u == 0 || a[k] != a[u - 1])
            a[u++] = a[k];
    *nids = start + u;
    *len = cps;
    *ntok = toks;
cleanup:
    return rc;
}

/* 1 when the segment's last visible character is a letter or a digit: no
 * punctuation closes it (a heading, a title, a list item). */
static unsigned char ends_open(const char *s, size_t len)
{
    int32_t i = (int32_t)len;
    while (i > 0) {
        UChar32 c;
        U8_PREV(s, 0, i, c);
        if (c < 0 || u_isUWhiteSpace(c))
            continue;
        return u_isalnum(c) ? 1 : 0;
    }
    return 0;
}

static alinea_status build_side(alinea__feat *f, int side, const alinea_doc *doc, alinea__side *s)
{
    alinea_status rc = ALINEA_OK;
    size_t n = alinea_doc_count(doc), cap = 0, nids = 0;
    TRY(side_alloc(f->ctx, s, n));
    free(f->ttoff[side]);
    f->ttoff[side] = malloc((n + 1) * sizeof(size_t));
    CHECK_ALLOC(f->ctx, f->ttoff[side]);
    f->ttn[side] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *text = alinea_doc_segment(doc, i, &len);
        s->eoff[i] = nids;
        f->ttoff[side][i] = f->ttn[side];
        TRY(sentence(f, side, text, len, &s->ids, &nids, &cap, &s->len[i], &s->ntok[i]));
        s->para[i] = s->parend[i] = alinea_doc_paragraph(doc, i);
        s->open[i] = ends_open(text, len);
        s->count[i] = 1;
    }
    s->eoff[n] = nids;
    f->ttoff[side][n] = f->ttn[side];
cleanup:
    return rc;
}

/* ntok[i] := the number of tokens of sentence i that have no key occurring
 * on the other side (dfo: document frequency on the other side). */
static alinea_status count_unexplained(alinea__feat *f, int side, alinea__side *s,
                                       const uint32_t *dfo)
{
    alinea_status rc = ALINEA_OK;
    size_t nt = f->types[side].n;
    unsigned char *explained = calloc(nt + 1, 1);
    CHECK_ALLOC(f->ctx, explained);
    for (size_t ti = 0; ti < nt; ti++)
        for (size_t k = f->tkoff[side][ti]; k < f->tkoff[side][ti + 1]; k++)
            if (dfo[f->tkeys[side][k]])
                explained[ti] = 1;
    for (size_t i = 0; i < s->n; i++) {
        float u = 0;
        for (size_t k = f->ttoff[side][i]; k < f->ttoff[side][i + 1]; k++)
            u += !explained[f->tt[side][k]];
        s->ntok[i] = u;
    }
cleanup:
    free(explained);
    return rc;
}

/* Keep only keys that occur on both sides. */
static void filter_side(alinea__side *s, const uint32_t *dfo)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t b = s->eoff[i], e = s->eoff[i + 1];
        s->eoff[i] = k;
        for (size_t j = b; j < e; j++)
            if (dfo[s->ids[j]])
                s->ids[k++] = s->ids[j];
    }
    s->eoff[s->n] = k;
}

alinea_status alinea__feat_build(alinea__feat *f, const alinea_doc *src, const alinea_doc *tgt,
                                 alinea__side *s, alinea__side *t, float **weights,
                                 size_t *nweights)
{
    alinea_status rc = ALINEA_OK;
    uint32_t *df[2] = {NULL, NULL};
    *weights = NULL;
    memset(s, 0, sizeof *s);
    memset(t, 0, sizeof *t);
    TRY(build_side(f, 0, src, s));
    TRY(build_side(f, 1, tgt, t));
    size_t nk = f->keys.n;
    for (int k = 0; k < 2; k++) {
        df[k] = calloc(nk + 1, sizeof *df[k]);
        CHECK_ALLOC(f->ctx, df[k]);
    }
    for (size_t j = 0; j < s->eoff[s->n]; j++)
        df[0][s->ids[j]]++;
    for (size_t j = 0; j < t->eoff[t->n]; j++)
        df[1][t->ids[j]]++;
    TRY(count_unexplained(f, 0, s, df[1]));
    TRY(count_unexplained(f, 1, t, df[0]));
    filter_side(s, df[1]);
    filter_side(t, df[0]);
    *weights = calloc(nk + 1, sizeof **weights);
    CHECK_ALLOC(f->ctx, *weights);
    double total = (double)(s->n + t->n) + 1.0;
    for (size_t k = 0; k < nk; k++)
        if (df[0][k] && df[1][k])
            (*weights)[k] = (float)log(total / (double)(df[0][k] + df[1][k]));
    *nweights = nk;
cleanup:
    free(df[0]);
    free(df[1]);
    if (rc != ALINEA_OK) {
        alinea__side_free(s);
        alinea__side_free(t);
        free(*weights);
        *weights = NULL;
    }
    return rc;
}

/* The k-th largest of v[0..n) (0-based k < n), by quickselect; v is reordered. */
static float kth_largest(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] > pivot)
                i++;
            while (v[j] < pivot)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

/* Keep the cap heaviest ids of ids[0..n) (sorted by id, and kept so; ties
 * at the threshold are broken by id order). */
static size_t keep_heaviest(uint32_t *ids, size_t n, size_t cap, const float *w, float *buf)
{
    if (n <= cap)
        return n;
    for (size_t i = 0; i < n; i++)
        buf[i] = w[ids[i]];
    float thr = kth_largest(buf, n, cap - 1);
    size_t above = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        above += w[ids[i]] > thr;
    size_t ties = cap - above;
    for (size_t i = 0; i < n; i++) {
        float x = w[ids[i]];
        if (x > thr || (x == thr && ties > 0)) {
            if (x == thr)
                ties--;
            ids[k++] = ids[i];
        }
    }
    return k;
}

alinea_status alinea__side_coarsen(alinea_ctx *ctx, const alinea__side *s, const float *w,
                                   alinea__side *out)
{
    alinea_status rc = ALINEA_OK;
    size_t n = (s->n + 1) / 2, cap = 0, nids = 0, scap = 0;
    float *scratch = NULL;
    TRY(side_alloc(ctx, out, n));
    for (size_t k = 0; k < n; k++) {
        size_t a = 2 * k, b = 2 * k + 1 < s->n ? 2 * k + 1 : 2 * k;
        out->len[k] = s->len[a] + (b != a ? s->len[b] : 0);
        out->ntok[k] = s->ntok[a] + (b != a ? s->ntok[b] : 0);
        out->count[k] = s->count[a] + (b != a ? s->count[b] : 0);
        out->para[k] = s->para[a];
        out->open[k] = s->open[b];
        out->parend[k] = s->parend[b];
        out->eoff[k] = nids;
        /* merge two sorted unique lists */
        size_t i = s->eoff[a], ie = s->eoff[a + 1];
        size_t j = b != a ? s->eoff[b] : ie, je = b != a ? s->eoff[b + 1] : ie;
        TRY(alinea__grow(ctx, (void **)&out->ids, &cap, nids + (ie - i) + (je - j) + 1,
                         sizeof *out->ids));
        while (i < ie || j < je) {
            uint32_t v;
            if (j >= je || (i < ie && s->ids[i] < s->ids[j]))
                v = s->ids[i++];
            else if (i >= ie || s->ids[j] < s->ids[i])
                v = s->ids[j++];
            else
                v = s->ids[i++], j++;
            out->ids[nids++] = v;
        }
        TRY(alinea__grow(ctx, (void **)&scratch, &scap, nids - out->eoff[k] + 1,
                         sizeof *scratch));
        nids = out->eoff[k] + keep_heaviest(out->ids + out->eoff[k], nids - out->eoff[k],
                                            ALINEA__COARSE_KEYS, w, scratch);
    }
    out->eoff[n] = nids;
cleanup:
    free(scratch);
    if (rc != ALINEA_OK)
        alinea__side_free(out);
    return rc;
}
