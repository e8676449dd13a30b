/* entities.c - word tokens and entity candidates: hunspell to tell a
 * capitalised common word from a name, ICU transliteration for folding. */
#define _POSIX_C_SOURCE 200809L
#include "qa_internal.h"

#include <hunspell.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucurr.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* ------------------------------------------------------- spelling cache */

#define CACHE_SLOTS 65536u /* cleared when three quarters full */
#define WORD_CACHE_SLOTS 16384u /* word classes, cleared when three quarters full */
#define WORD_CACHE_MAX 40u      /* longer words are classified each time */
#define QA_TOK_BY_INITIAL 0x100u /* no dictionary: a name unless sentence-initial */

/* What a word is, whatever its context (see classify). */
struct word_class {
    uint32_t hash; /* 0: empty slot */
    unsigned char len, nalpha;
    unsigned flags;
    char w[WORD_CACHE_MAX];
    char fold[64];
};

struct spell_cache {
    char **key;
    signed char *val;
    size_t used;
    char **skey, **sval; /* hunspell stems (folded, '\t'-separated) by word */
    size_t sused;
    struct word_class *words; /* WORD_CACHE_SLOTS */
    size_t nwords;
    struct word_class scratch; /* for longer words */
};

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void cache_clear(struct spell_cache *c)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        free(c->key[i]);
        c->key[i] = NULL;
    }
    c->used = 0;
}

static void stem_cache_clear(struct spell_cache *c)
{
    for (size_t i = 0; i < CACHE_SLOTS / 8; i++) {
        free(c->skey[i]);
        free(c->sval[i]);
        c->skey[i] = c->sval[i] = NULL;
    }
    c->sused = 0;
}

alinea_status qa_lang_init(qa_lang *L, alinea_ctx *ctx, const char *lang, UTransliterator *fold)
{
    alinea_status rc = ALINEA_OK;
    memset(L, 0, sizeof *L);
    L->ctx = ctx;
    L->fold = fold;
    size_t k = 0;
    while (lang[k] && lang[k] != '-' && lang[k] != '_' && k < sizeof L->lang - 1) {
        L->lang[k] = (char)(lang[k] >= 'A' && lang[k] <= 'Z' ? lang[k] + 32 : lang[k]);
        k++;
    }
    TRY(alinea_numscan_new(ctx, lang, &L->nums));
    if (alinea__hunspell(ctx, lang, &L->hun, &L->hun_enc) != ALINEA_OK) {
        alinea__warn(ctx, "%s; names are then told from common words by capitals only",
                     alinea_ctx_errmsg(ctx));
        L->hun = NULL;
    }
    L->cache = calloc(1, sizeof *L->cache);
    CHECK_ALLOC(ctx, L->cache);
    L->cache->key = calloc(CACHE_SLOTS, sizeof *L->cache->key);
    L->cache->val = calloc(CACHE_SLOTS, 1);
    CHECK_ALLOC(ctx, L->cache->key);
    CHECK_ALLOC(ctx, L->cache->val);
    L->cache->words = calloc(WORD_CACHE_SLOTS, sizeof *L->cache->words);
    CHECK_ALLOC(ctx, L->cache->words);
    L->cache->skey = calloc(CACHE_SLOTS / 8, sizeof *L->cache->skey);
    L->cache->sval = calloc(CACHE_SLOTS / 8, sizeof *L->cache->sval);
    CHECK_ALLOC(ctx, L->cache->skey);
    CHECK_ALLOC(ctx, L->cache->sval);
cleanup:
    return rc;
}

void qa_lang_free(qa_lang *L)
{
    if (!L)
        return;
    alinea_numscan_free(L->nums);
    if (L->cache) {
        if (L->cache->key)
            cache_clear(L->cache);
        if (L->cache->skey && L->cache->sval)
            stem_cache_clear(L->cache);
        free(L->cache->skey);
        free(L->cache->sval);
        free(L->cache->words);
        free(L->cache->key);
        free(L->cache->val);
        free(L->cache);
    }
    memset(L, 0, sizeof *L);
}

static int is_utf8_enc(const char *enc)
{
    return !enc || strcmp(enc, "UTF-8") == 0 || strcmp(enc, "utf-8") == 0 ||
           strcmp(enc, "UTF8") == 0;
}

static int spell_raw(qa_lang *L, const char *w, size_t len)
{
    char buf[256];
    if (len >= 200)
        return 0;
    if (is_utf8_enc(L->hun_enc)) {
        memcpy(buf, w, len);
        buf[len] = 0;
    } else {
        UErrorCode e = U_ZERO_ERROR;
        int32_t n = ucnv_convert(L->hun_enc, "UTF-8", buf, sizeof buf - 1, w, (int32_t)len, &e);
        if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING)
            return 0;
        buf[n] = 0;
    }
    return Hunspell_spell((Hunhandle *)L->hun, buf) != 0;
}

int qa_spell(qa_lang *L, const char *w, size_t len)
{
    if (!L->hun)
        return -1;
    struct spell_cache *c = L->cache;
    uint32_t h = fnv(w, len) & (CACHE_SLOTS - 1);
    for (;;) {
        char *k = c->key[h];
        if (!k)
            break;
        if (strlen(k) == len && memcmp(k, w, len) == 0)
            return c->val[h];
        h = (h + 1) & (CACHE_SLOTS - 1);
    }
    int v = spell_raw(L, w, len);
    if (c->used >= CACHE_SLOTS / 4 * 3) {
        cache_clear(c);
        h = fnv(w, len) & (CACHE_SLOTS - 1);
    }
    char *k = alinea__strndup(w, len);
    if (k) {
        c->key[h] = k;
        c->val[h] = (signed char)v;
        c->used++;
    }
    return v;
}

void qa_fold(qa_lang *L, const char *w, size_t len, char *out, size_t cap)
{
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)w[i] >= 128)
            ascii = 0;
    if (ascii || !L->fold) {
        size_t n = len < cap - 1 ? len : cap - 1;
        for (size_t i = 0; i < n; i++)
            out[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
        out[n] = 0;
        return;
    }
    UChar u[256];
    int32_t ul = 0, lim;
    UErrorCode e = U_ZERO_ERROR;
    if (len > 120)
        len = 120;
    u_strFromUTF8(u, 128, &ul, w, (int32_t)len, &e);
    if (U_SUCCESS(e)) {
        /* Fast path, same result for Latin letters with diacritics: NFD,
         * drop combining marks, lower-case; when anything non-ASCII is left
         * (ß, œ, ł, other scripts) the ICU transliterator does the work. */
        UChar d[256], l2[256];
        UErrorCode e2 = U_ZERO_ERROR;
        const UNormalizer2 *nfd = unorm2_getNFDInstance(&e2);
        int32_t dl = U_SUCCESS(e2) ? unorm2_normalize(nfd, u, ul, d, 256, &e2) : 0;
        int32_t k = 0, ascii2 = 1;
        for (int32_t i = 0; U_SUCCESS(e2) && i < dl; i++) {
            if (u_getCombiningClass(d[i]) > 0 || u_charType(d[i]) == U_NON_SPACING_MARK)
                continue;
            if (d[i] >= 128)
                ascii2 = 0;
            l2[k++] = (UChar)(d[i] >= 'A' && d[i] <= 'Z' ? d[i] + 32 : d[i]);
        }
        if (U_SUCCESS(e2) && ascii2) {
            size_t n = (size_t)k < cap - 1 ? (size_t)k : cap - 1;
            for (size_t i = 0; i < n; i++)
                out[i] = (char)l2[i];
            out[n] = 0;
            return;
        }
    }
    lim = ul;
    if (U_SUCCESS(e))
        utrans_transUChars(L->fold, u, &ul, 256, 0, &lim, &e);
    int32_t ol = 0;
    if (U_SUCCESS(e))
        u_strToUTF8(out, (int32_t)cap - 1, &ol, u, ul, &e);
    if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING)
        ol = 0;
    out[ol] = 0;
}

static int stems_raw(qa_lang *L, const char *w, size_t len, char out[][64], int max);

/* Hunspell_stem is costly (hundreds of thousands of instructions): cached. */
int qa_stems(qa_lang *L, const char *w, size_t len, char out[][64], int max)
{
    if (!L->hun || len >= 200)
        return 0;
    struct spell_cache *c = L->cache;
    const size_t slots = CACHE_SLOTS / 8;
    uint32_t h = fnv(w, len) & (slots - 1);
    while (c->skey[h]) {
        if (strlen(c->skey[h]) == len && memcmp(c->skey[h], w, len) == 0) {
            int k = 0;
            for (const char *p = c->sval[h]; *p && k < max;) {
                size_t n = strcspn(p, "\t");
                snprintf(out[k++], 64, "%.*s", (int)n, p);
                p += n + (p[n] == '\t');
            }
            return k;
        }
        h = (h + 1) & (slots - 1);
    }
    int k = stems_raw(L, w, len, out, max);
    if (c->sused >= slots / 4 * 3) {
        stem_cache_clear(c);
        h = fnv(w, len) & (slots - 1);
    }
    char joined[4 * 65] = "";
    size_t jl = 0;
    for (int i = 0; i < k && i < 4; i++)
        jl += (size_t)snprintf(joined + jl, sizeof joined - jl, "%s%s", i ? "\t" : "", out[i]);
    char *key = alinea__strndup(w, len), *val = alinea__strdup(joined);
    if (key && val) {
        c->skey[h] = key;
        c->sval[h] = val;
        c->sused++;
    } else {
        free(key);
        free(val);
    }
    return k;
}

static int stems_raw(qa_lang *L, const char *w, size_t len, char out[][64], int max)
{
    char buf[256];
    memcpy(buf, w, len);
    buf[len] = 0;
    if (!is_utf8_enc(L->hun_enc)) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t n = ucnv_convert(L->hun_enc, "UTF-8", buf, sizeof buf - 1, w, (int32_t)len, &e);
        if (U_FAILURE(e))
            return 0;
        buf[n] = 0;
    }
    char **list = NULL;
    int n = Hunspell_stem((Hunhandle *)L->hun, &list, buf);
    int k = 0;
    for (int i = 0; i < n && k < max; i++) {
        char u8[256];
        const char *s = list[i];
        if (!is_utf8_enc(L->hun_enc)) {
            UErrorCode e = U_ZERO_ERROR;
            int32_t m = ucnv_convert("UTF-8", L->hun_enc, u8, sizeof u8 - 1, s, -1, &e);
            if (U_FAILURE(e))
                continue;
            u8[m] = 0;
            s = u8;
        }
        qa_fold(L, s, strlen(s), out[k], 64);
        k++;
    }
    if (list)
        Hunspell_free_list((Hunhandle *)L->hun, &list, n);
    return k;
}

/* ------------------------------------------------------------- tokens */

static UChar32 cp_at(const char *s, size_t len, size_t i, size_t *next)
{
    return alinea__u8_at(s, len, i, next);
}

static int is_apostrophe(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

static int is_opening(UChar32 c)
{
    return c == 0x00AB || c == 0x201C || c == 0x2018 || c == '"' || c == 0x201E || c == '(' ||
           c == '[' || c == 0x2014 || c == 0x2013 || c == 0x00BF || c == 0x00A1;
}

/* An ISO 4217 currency code (EUR, USD): not an acronym to check. */
static int is_currency_code(const char *w, size_t len)
{
    if (len != 3)
        return 0;
    UChar u[4] = {(UChar)w[0], (UChar)w[1], (UChar)w[2], 0};
    UErrorCode e = U_ZERO_ERROR;
    UBool ok = ucurr_isAvailable(u, 0, 4102444800000.0, &e);
    return U_SUCCESS(e) && ok;
}

/* What a word is, whatever its context: its fold, capitals, and whether it
 * is a name (hunspell does not know it in lower case), a common word, or
 * no word for the entity checks. Cached per language: the hunspell and
 * ICU calls are made once per distinct word. */

static void classify(qa_lang *L, const char *t, size_t len, struct word_class *wc)
{
    size_t nx, i = 0, we = len;
    int nup = 0, nalpha = 0, ndigit = 0, under = 0;
    unsigned flags = 0;
    for (size_t q = i; q < we;) {
        UChar32 d = cp_at(t, len, q, &nx);
        if (d < 128) {
            if ((d | 0x20) >= 'a' && (d | 0x20) <= 'z') {
                nalpha++;
                nup += d <= 'Z';
            } else if (d >= '0' && d <= '9') {
                ndigit++;
            } else if (d == '_') {
                under++;
            }
        } else if (u_isalpha(d)) {
            nalpha++;
            nup += u_isupper(d) != 0;
        } else if (u_isdigit(d) || u_charType(d) == U_OTHER_NUMBER) {
            ndigit++;
        } else if (d == '_') {
            under++;
        }
        q = nx;
    }
    wc->nalpha = (unsigned char)(nalpha > 255 ? 255 : nalpha);
    UChar32 f = cp_at(t, len, i, &nx);
    if (u_isupper(f) || u_istitle(f))
        flags |= QA_TOK_CAP;
    if (nalpha >= 2 && nup == nalpha)
        flags |= QA_TOK_ALLCAPS;
    qa_fold(L, t + i, we - i, wc->fold, sizeof wc->fold);
    if (ndigit || under || nalpha == 0 ||
        alinea__numscan_month(L->nums, t + i, we - i) ||
        alinea__numscan_weekday(L->nums, t + i, we - i) ||
        (flags & QA_TOK_ALLCAPS && is_currency_code(t + i, we - i)))
        flags |= QA_TOK_SKIP;
    else if (flags & QA_TOK_ALLCAPS) {
        /* Roman numerals (II, XIX) are numbers, not acronyms */
        if (strspn(wc->fold, "ivxlcdm") == strlen(wc->fold) && nalpha <= 6)
            flags |= QA_TOK_SKIP;
        else
            flags |= QA_TOK_NAME;
    } else if ((flags & QA_TOK_CAP) && nalpha >= 2) {
        /* A name when hunspell does not know it in lower case. */
        char lw[256];
        UChar u[128], l[128];
        int32_t ul = 0, ll = 0, ol = 0;
        UErrorCode e = U_ZERO_ERROR;
        u_strFromUTF8(u, 128, &ul, t + i, (int32_t)(we - i), &e);
        ll = u_strToLower(l, 128, u, ul, "", &e);
        u_strToUTF8(lw, sizeof lw - 1, &ol, l, ll, &e);
        int known = U_SUCCESS(e) ? qa_spell(L, lw, (size_t)ol) : 0;
        /* a capital after an inner hyphen marks a name (Jean-Pierre,
         * Saint-Denis), even when hunspell knows each part */
        for (size_t q = i + 1; q + 1 < we && known; q++)
            if (t[q] == '-' && u_isupper(cp_at(t, len, q + 1, &nx)))
                known = 0;
        if (known < 0) {
            flags |= QA_TOK_BY_INITIAL;
        } else {
            /* German capitalises nouns: a word the dictionary has as
             * written (Bericht, Quartal) is a common noun */
            if (known == 0 && strcmp(L->lang, "de") == 0 && qa_spell(L, t + i, we - i) == 1)
                known = 1;
            /* short titles the dictionary has as written: Mr, Ms, Dr */
            if (known == 0 && nalpha <= 3 && qa_spell(L, t + i, we - i) == 1)
                known = 1;
            flags |= known ? QA_TOK_WEAK : QA_TOK_NAME;
        }
    }
    if (strchr(wc->fold, '-'))
        flags |= QA_TOK_HYPHEN;
    wc->flags = flags;
}

static const struct word_class *word_class_of(qa_lang *L, const char *w, size_t len)
{
    struct spell_cache *c = L->cache;
    if (len > WORD_CACHE_MAX) {
        classify(L, w, len, &c->scratch);
        return &c->scratch;
    }
    uint32_t h = fnv(w, len);
    h = h ? h : 1;
    size_t k = h & (WORD_CACHE_SLOTS - 1);
    for (;;) {
        struct word_class *e = &c->words[k];
        if (!e->hash)
            break;
        if (e->hash == h && e->len == len && memcmp(e->w, w, len) == 0)
            return e;
        k = (k + 1) & (WORD_CACHE_SLOTS - 1);
    }
    if (c->nwords >= WORD_CACHE_SLOTS / 4 * 3) {
        memset(c->words, 0, WORD_CACHE_SLOTS * sizeof *c->words);
        c->nwords = 0;
        k = h & (WORD_CACHE_SLOTS - 1);
    }
    struct word_class *e = &c->words[k];
    classify(L, w, len, e);
    e->hash = h;
    e->len = (unsigned char)len;
    memcpy(e->w, w, len);
    c->nwords++;
    return e;
}

alinea_status qa_tokenize(qa_lang *L, const char *t, size_t len, qa_tokens *out)
{
    alinea_status rc = ALINEA_OK;
    out->n = 0;
    size_t i = 0;
    int initial = 1;
    while (i < len) {
        if (t[i] == ' ') { /* the most common non-word character */
            i++;
            continue;
        }
        size_t nx;
        UChar32 c = cp_at(t, len, i, &nx);
        if (c < 0) {
            i = nx;
            continue;
        }
        int ascii_word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_';
        if (ascii_word) {
            /* a word: the punctuation tests below do not apply */
        } else if (c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ':' || c == ';' ||
            is_opening(c) || c == 0xFFFC) {
            /* "M. Dupont": a dot after one capital is an abbreviation */
            if (c == '.' && out->n > 0) {
                qa_token *p = &out->t[out->n - 1];
                if (p->end == i && p->end - p->start <= 3 && (p->flags & QA_TOK_CAP)) {
                    i = nx;
                    continue;
                }
            }
            if (c != ';' && c != ':')
                initial = 1;
            else if (c == ':')
                initial = 1;
            i = nx;
            continue;
        }
        if (!ascii_word && !alinea__is_word_cp(c)) {
            i = nx;
            continue;
        }
        size_t we = alinea__word_end(t, len, i);
        if (out->n + 1 > out->cap)
            TRY(alinea__grow(L->ctx, (void **)&out->t, &out->cap, out->n + 1, sizeof *out->t));
        qa_token *tk = &out->t[out->n++];
        tk->start = i;
        tk->end = we;
        const struct word_class *wc = word_class_of(L, t + i, we - i);
        tk->flags = wc->flags;
        memcpy(tk->fold, wc->fold, sizeof tk->fold);
        if (wc->flags & QA_TOK_BY_INITIAL) /* no dictionary: capitalised and not sentence-initial */
            tk->flags = (tk->flags & ~QA_TOK_BY_INITIAL) | (initial ? QA_TOK_WEAK : QA_TOK_NAME);
        if (initial)
            tk->flags |= QA_TOK_INITIAL;
        /* an elided article (L'Unité, D'Azure) passes "initial" on */
        if (!(wc->nalpha <= 2 && we < len && is_apostrophe(cp_at(t, len, we, &nx))))
            initial = 0;
        i = we;
    }
cleanup:
    return rc;
}
