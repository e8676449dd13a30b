/* numbers.c - numbers, codes, dates and times of a segment, per locale (ICU). */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "internal.h"
#include "qa_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/udat.h>
#include <unicode/unorm2.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define MAX_ORDSETS 8
#define MAX_ORDSUF 24

typedef struct wordval {
    char word[48];
    double value;
    int ordinal;
} wordval;

struct alinea_numscan {
    alinea_ctx *ctx;
    char lang[16];
    UNumberFormat *dec;
    UNumberFormat *ord;
    UChar ordsets[MAX_ORDSETS][48];
    int nordsets;
    char ordsuf[MAX_ORDSUF][12];
    int nordsuf;
    wordval *spelled;
    size_t nspelled;
    wordval *roman;
    size_t nroman;
    char months[12][2][40]; /* wide, abbreviated (lower case, no final dot) */
    char weekdays[7][40];   /* wide day names, lower case */
    unsigned char first[128]; /* ASCII letters (lower case) that start a spelled
                                 number, month or scale word: 1 */
    unsigned char dayfirst[128]; /* ... that start a month or weekday name */
    int months_cap;         /* 1 when the locale capitalises month names */
    int day_first;          /* numeric dates: 1 for d/m, 0 for m/d */
    char grp, dec_mark;     /* ASCII grouping and decimal marks ('\0' for a space) */
    alinea_number *out;
    size_t nout, capout;
    struct inert_word *inert; /* words that yield nothing (see scan_word) */
    size_t ninert;
    struct parsed *parsed;    /* ICU parse results by span (see icu_parse) */
    size_t nparsed;
};

#define PARSE_SLOTS 4096u /* cleared when three quarters full */
#define PARSE_MAX 30u     /* longer spans are parsed each time */
struct parsed {
    uint32_t hash; /* 0: empty slot */
    unsigned char len;
    signed char rc;
    char span[PARSE_MAX];
    double value;
};

/* Cache of words that scan_word found to be no number, code, date or month
 * ("la", "Paris"): what scan_word does with a word depends only on its
 * bytes, so a word seen once is skipped after its end is found. */
#define INERT_SLOTS 8192u /* cleared when three quarters full */
#define INERT_MAX 27u     /* longer words are not cached */
struct inert_word {
    uint32_t hash;        /* 0: empty slot */
    unsigned char len;
    char w[INERT_MAX];
};

/* Scale words and abbreviations (lower case). Long scale for fr, nl, de, es,
 * it, pt (billion = 10^12), short scale for en (billion = 10^9). */
static const struct scale {
    const char *lang;
    const char *word;
    double mult;
} SCALES[] = {
    {"fr", "mille", 1e3},       {"fr", "million", 1e6},     {"fr", "millions", 1e6},
    {"fr", "milliard", 1e9},    {"fr", "milliards", 1e9},   {"fr", "billion", 1e12},
    {"fr", "billions", 1e12},   {"fr", "billiard", 1e15},   {"fr", "billiards", 1e15},
    {"fr", "trillion", 1e18},   {"fr", "trillions", 1e18},  {"fr", "md", 1e9},
    {"fr", "mds", 1e9},         {"fr", "mrd", 1e9},         {"fr", "mrds", 1e9},
    {"fr", "m", 1e6},           {"en", "thousand", 1e3},    {"en", "million", 1e6},
    {"en", "millions", 1e6},    {"en", "billion", 1e9},     {"en", "billions", 1e9},
    {"en", "trillion", 1e12},   {"en", "trillions", 1e12},  {"en", "bn", 1e9},
    {"en", "mn", 1e6},          {"en", "tn", 1e12},         {"en", "m", 1e6},
    {"nl", "duizend", 1e3},     {"nl", "miljoen", 1e6},     {"nl", "miljoenen", 1e6},
    {"nl", "miljard", 1e9},     {"nl", "miljarden", 1e9},   {"nl", "biljoen", 1e12},
    {"nl", "biljoenen", 1e12},  {"nl", "mln", 1e6},         {"nl", "mld", 1e9},
    {"nl", "mrd", 1e9},         {"de", "tausend", 1e3},     {"de", "million", 1e6},
    {"de", "millionen", 1e6},   {"de", "milliarde", 1e9},   {"de", "milliarden", 1e9},
    {"de", "billion", 1e12},    {"de", "billionen", 1e12},  {"de", "mio", 1e6},
    {"de", "mrd", 1e9},         {"es", "mil", 1e3},         {"es", "millón", 1e6},
    {"es", "millones", 1e6},    {"es", "millardo", 1e9},    {"es", "millardos", 1e9},
    {"es", "billón", 1e12},     {"es", "billones", 1e12},   {"it", "mila", 1e3},
    {"it", "milione", 1e6},     {"it", "milioni", 1e6},     {"it", "miliardo", 1e9},
    {"it", "miliardi", 1e9},    {"it", "bilione", 1e12},    {"it", "bilioni", 1e12},
    {"pt", "mil", 1e3},         {"pt", "milhão", 1e6},      {"pt", "milhões", 1e6},
    {"pt", "bilião", 1e12},     {"pt", "biliões", 1e12},
};

/* Time-of-day words that follow the hour: "14 h 30", "14 Uhr", "14 uur". */
static const struct hourword {
    const char *lang;
    const char *word;
} HOURWORDS[] = {{"fr", "h"}, {"fr", "heures"}, {"fr", "heure"}, {"de", "uhr"}, {"nl", "uur"},
                 {"es", "h"}, {"it", "h"},      {"pt", "h"}};

/* ------------------------------------------------------------ utilities */

static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h ? h : 1;
}

/* Slot of word w in the inert cache: its own, or the empty one to fill. */
static struct inert_word *inert_slot(const alinea_numscan *s, const char *w, size_t n, uint32_t h)
{
    size_t k = h & (INERT_SLOTS - 1);
    for (;;) {
        struct inert_word *e = &s->inert[k];
        if (!e->hash || (e->hash == h && e->len == n && memcmp(e->w, w, n) == 0))
            return e;
        k = (k + 1) & (INERT_SLOTS - 1);
    }
}

static int cmp_wordval(const void *a, const void *b)
{
    return strcmp(((const wordval *)a)->word, ((const wordval *)b)->word);
}

static const wordval *find_word(const wordval *tab, size_t n, const char *w)
{
    wordval key;
    if (strlen(w) >= sizeof key.word)
        return NULL;
    strcpy(key.word, w);
    return bsearch(&key, tab, n, sizeof *tab, cmp_wordval);
}

/* Lower-case UTF-8 (ICU full case mapping), dropping soft hyphens. */
static int lower_utf8(const char *s, size_t len, char *out, size_t cap)
{
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 128;
    if (ascii) {
        if (len >= cap)
            return -1;
        for (size_t i = 0; i < len; i++)
            out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        out[len] = 0;
        return 0;
    }
    UChar u[128], l[128];
    int32_t ul = 0, ll;
    UErrorCode e = U_ZERO_ERROR;
    if (len >= 120)
        return -1;
    u_strFromUTF8(u, 128, &ul, s, (int32_t)len, &e);
    if (U_FAILURE(e))
        return -1;
    int32_t k = 0;
    for (int32_t i = 0; i < ul; i++)
        if (u[i] != 0x00AD)
            u[k++] = u[i];
    ll = u_strToLower(l, 128, u, k, "", &e);
    if (U_FAILURE(e) || ll >= 128)
        return -1;
    int32_t ol = 0;
    u_strToUTF8(out, (int32_t)cap, &ol, l, ll, &e);
    if (U_FAILURE(e) || (size_t)ol >= cap)
        return -1;
    out[ol] = '\0';
    return 0;
}

static UChar32 cp_at(const char *s, size_t len, size_t i, size_t *next)
{
    size_t nx;
    UChar32 c = alinea__u8_at(s, len, i, &nx);
    if (next)
        *next = nx;
    return c;
}

static UChar32 cp_before(const char *s, size_t i, size_t *prev)
{
    if (i == 0) {
        if (prev)
            *prev = 0;
        return -1;
    }
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_PREV(s, 0, k, c);
    if (prev)
        *prev = (size_t)k;
    return c;
}

static int is_space_cp(UChar32 c)
{
    return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007 || c == '\t';
}

/* ASCII letters, digits and '_' (bytes 0-127). */
static const unsigned char ASCII_WORD[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

static int is_ascii_word(UChar32 c) { return c >= 0 && c < 128 && ASCII_WORD[c]; }

int alinea__is_word_cp(UChar32 c)
{
    if (c >= 0 && c < 128)
        return is_ascii_word(c);
    return c >= 0 && (u_isalnum(c) || u_getCombiningClass(c) > 0 ||
                      u_charType(c) == U_NON_SPACING_MARK || c == '_' || c == 0x00AD ||
                      (c >= 0x2070 && c <= 0x209F) || c == 0x1D49 || c == 0x02B3);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Read a word from i: word characters, with inner '-' (or U+2010/U+2011)
 * followed by a word character. Returns the end. */
size_t alinea__word_end(const char *s, size_t len, size_t i)
{
    size_t j = i, nx;
    while (j < len) {
        if ((unsigned char)s[j] < 128 && ASCII_WORD[(unsigned char)s[j]]) { /* fast path */
            j++;
            continue;
        }
        UChar32 c = cp_at(s, len, j, &nx);
        if (alinea__is_word_cp(c)) {
            j = nx;
            continue;
        }
        if ((c == '-' || c == 0x2010 || c == 0x2011) && j > i && nx < len &&
            alinea__is_word_cp(cp_at(s, len, nx, NULL))) {
            j = nx;
            continue;
        }
        break;
    }
    return j;
}

static alinea_status push(alinea_numscan *s, alinea_number **np)
{
    alinea_status rc = alinea__grow(s->ctx, (void **)&s->out, &s->capout, s->nout + 1,
                                    sizeof *s->out);
    if (rc != ALINEA_OK)
        return rc;
    alinea_number *n = &s->out[s->nout++];
    memset(n, 0, sizeof *n);
    n->alt = NAN;
    *np = n;
    return ALINEA_OK;
}

/* NFKC of a UTF-8 span into out (cap bytes, truncated). */
static void nfkc_copy(const char *p, size_t n, char *out, size_t cap)
{
    UChar u[128], v[256];
    int32_t ul = 0;
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCInstance(&e);
    if (n > 120) {
        const uint8_t *pb = (const uint8_t *)p;
        int32_t cut = 120;
        U8_TRUNCATE_IF_INCOMPLETE(pb, 0, cut); /* never inside a character */
        n = (size_t)cut;
    }
    u_strFromUTF8(u, 128, &ul, p, (int32_t)n, &e);
    int32_t vl = U_SUCCESS(e) ? unorm2_normalize(nf, u, ul, v, 256, &e) : 0;
    int32_t ol = 0;
    if (U_SUCCESS(e))
        u_strToUTF8(out, (int32_t)cap - 1, &ol, v, vl, &e);
    if (U_FAILURE(e) || ol < 0 || (size_t)ol >= cap) {
        int32_t m = (int32_t)(n < cap - 1 ? n : cap - 1);
        const uint8_t *pb = (const uint8_t *)p;
        U8_TRUNCATE_IF_INCOMPLETE(pb, 0, m); /* never inside a character */
        memcpy(out, p, (size_t)m);
        ol = m;
    }
    out[ol] = '\0';
}

/* ------------------------------------------------------------- setup */

static alinea_status add_wordval(alinea_numscan *s, wordval **tab, size_t *n, size_t *cap,
                                 const UChar *u, int32_t ul, double v, int ordinal)
{
    char w[96], l[96];
    int32_t wl = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strToUTF8(w, sizeof w - 1, &wl, u, ul, &e);
    if (U_FAILURE(e) || wl <= 0)
        return ALINEA_OK;
    if (lower_utf8(w, (size_t)wl, l, sizeof l) != 0 || strlen(l) >= sizeof(*tab)->word ||
        strchr(l, ' '))
        return ALINEA_OK;
    alinea_status rc = alinea__grow(s->ctx, (void **)tab, cap, *n + 1, sizeof **tab);
    if (rc != ALINEA_OK)
        return rc;
    strcpy((*tab)[*n].word, l);
    (*tab)[*n].value = v;
    (*tab)[*n].ordinal = ordinal;
    (*n)++;
    return ALINEA_OK;
}

static void sort_dedupe(wordval *tab, size_t *n)
{
    if (*n == 0)
        return;
    qsort(tab, *n, sizeof *tab, cmp_wordval);
    size_t k = 1;
    for (size_t i = 1; i < *n; i++)
        if (strcmp(tab[i].word, tab[k - 1].word) != 0)
            tab[k++] = tab[i];
    *n = k;
}

/* Spelled-out numbers 2..100 (cardinal rule sets) and ordinals 1..31
 * (ordinal rule sets), by formatting with ICU RBNF. "un"/"one"/"een" are left
 * out: they are mostly articles. */
static alinea_status load_spelled(alinea_numscan *s, const char *loc)
{
    alinea_status rc = ALINEA_OK;
    UErrorCode e = U_ZERO_ERROR;
    size_t cap = 0;
    UNumberFormat *f = unum_open(UNUM_SPELLOUT, NULL, 0, loc, NULL, &e);
    if (U_FAILURE(e))
        return alinea__fail(s->ctx, ALINEA_ERR_ICU, "ICU spell-out rules for %s: %s", loc,
                            u_errorName(e));
    UChar sets[1024];
    int32_t sl = unum_getTextAttribute(f, UNUM_PUBLIC_RULESETS, sets, 1023, &e);
    if (U_FAILURE(e))
        sl = 0;
    sets[sl] = 0;
    UChar *save = NULL;
    for (UChar *tok = u_strtok_r(sets, u";", &save); tok; tok = u_strtok_r(NULL, u";", &save)) {
        char name[64];
        u_austrncpy(name, tok, 63);
        name[63] = 0;
        int ordinal = strstr(name, "ordinal") != NULL;
        if (strstr(name, "year") || strstr(name, "verbose"))
            continue;
        UErrorCode e2 = U_ZERO_ERROR;
        unum_setTextAttribute(f, UNUM_DEFAULT_RULESET, tok, -1, &e2);
        if (U_FAILURE(e2))
            continue;
        int hi = ordinal ? 31 : 100;
        for (int v = ordinal ? 1 : 2; v <= hi; v++) {
            UChar buf[128];
            int32_t bl = unum_format(f, v, buf, 128, NULL, &e2);
            if (U_FAILURE(e2))
                break;
            TRY(add_wordval(s, &s->spelled, &s->nspelled, &cap, buf, bl, v, ordinal));
        }
    }
    sort_dedupe(s->spelled, &s->nspelled);
cleanup:
    unum_close(f);
    return rc;
}

/* Roman numerals 1..399 from ICU's algorithmic "roman" numbering system. */
static alinea_status load_roman(alinea_numscan *s)
{
    alinea_status rc = ALINEA_OK;
    UErrorCode e = U_ZERO_ERROR;
    size_t cap = 0;
    UNumberFormat *f = unum_open(UNUM_DECIMAL, NULL, 0, "en@numbers=roman", NULL, &e);
    if (U_FAILURE(e))
        return alinea__fail(s->ctx, ALINEA_ERR_ICU, "ICU roman numbering: %s", u_errorName(e));
    for (int v = 1; v < 400; v++) {
        UChar buf[32];
        int32_t bl = unum_format(f, v, buf, 32, NULL, &e);
        if (U_FAILURE(e))
            break;
        char w[48];
        int32_t wl = 0;
        u_strToUTF8(w, 47, &wl, buf, bl, &e);
        w[wl] = 0;
        TRY(alinea__grow(s->ctx, (void **)&s->roman, &cap, s->nroman + 1, sizeof *s->roman));
        strcpy(s->roman[s->nroman].word, w);
        s->roman[s->nroman].value = v;
        s->roman[s->nroman].ordinal = 0;
        s->nroman++;
    }
    sort_dedupe(s->roman, &s->nroman);
cleanup:
    unum_close(f);
    return rc;
}

static alinea_status load_ordinals(alinea_numscan *s, const char *loc)
{
    UErrorCode e = U_ZERO_ERROR;
    s->ord = unum_open(UNUM_ORDINAL, NULL, 0, loc, NULL, &e);
    if (U_FAILURE(e))
        return alinea__fail(s->ctx, ALINEA_ERR_ICU, "ICU ordinal rules for %s: %s", loc,
                            u_errorName(e));
    UChar sets[512];
    int32_t sl = unum_getTextAttribute(s->ord, UNUM_PUBLIC_RULESETS, sets, 511, &e);
    if (U_FAILURE(e))
        sl = 0;
    sets[sl] = 0;
    UChar *save = NULL;
    for (UChar *tok = u_strtok_r(sets, u";", &save); tok && s->nordsets < MAX_ORDSETS;
         tok = u_strtok_r(NULL, u";", &save)) {
        if (u_strlen(tok) >= 48)
            continue;
        u_strcpy(s->ordsets[s->nordsets++], tok);
    }
    /* Suffixes seen for 1..20 in every rule set ("st", "nd", "rd", "th"; "er", "e"). */
    for (int r = 0; r < s->nordsets; r++) {
        UErrorCode e2 = U_ZERO_ERROR;
        unum_setTextAttribute(s->ord, UNUM_DEFAULT_RULESET, s->ordsets[r], -1, &e2);
        for (int v = 1; v <= 20 && U_SUCCESS(e2); v++) {
            UChar buf[32];
            int32_t bl = unum_format(s->ord, v, buf, 32, NULL, &e2);
            char w[48];
            int32_t wl = 0;
            u_strToUTF8(w, 47, &wl, buf, bl, &e2);
            if (U_FAILURE(e2))
                break;
            w[wl] = 0;
            const char *suf = w;
            while (is_digit(*suf))
                suf++;
            if (!*suf || *suf == '.' || strlen(suf) >= 12)
                continue;
            int seen = 0;
            for (int k = 0; k < s->nordsuf; k++)
                seen |= strcmp(s->ordsuf[k], suf) == 0;
            if (!seen && s->nordsuf < MAX_ORDSUF)
                strcpy(s->ordsuf[s->nordsuf++], suf);
        }
    }
    return ALINEA_OK;
}

static void strip_dot(char *w)
{
    size_t l = strlen(w);
    if (l && w[l - 1] == '.')
        w[l - 1] = 0;
}

static alinea_status load_dates(alinea_numscan *s, const char *loc)
{
    UErrorCode e = U_ZERO_ERROR;
    UDateFormat *d = udat_open(UDAT_NONE, UDAT_SHORT, loc, NULL, 0, NULL, 0, &e);
    if (U_FAILURE(e))
        return alinea__fail(s->ctx, ALINEA_ERR_ICU, "ICU date symbols for %s: %s", loc,
                            u_errorName(e));
    UChar buf[64];
    int32_t bl = udat_toPattern(d, 0, buf, 64, &e);
    int dpos = -1, mpos = -1;
    for (int32_t i = 0; i < bl; i++) {
        if (buf[i] == 'd' && dpos < 0)
            dpos = i;
        if (buf[i] == 'M' && mpos < 0)
            mpos = i;
    }
    s->day_first = !(mpos >= 0 && dpos > mpos);
    for (int m = 0; m < 12; m++) {
        for (int k = 0; k < 2; k++) {
            UErrorCode e2 = U_ZERO_ERROR;
            bl = udat_getSymbols(d, k ? UDAT_SHORT_MONTHS : UDAT_MONTHS, m, buf, 64, &e2);
            char w[96];
            int32_t wl = 0;
            u_strToUTF8(w, 95, &wl, buf, bl, &e2);
            if (U_FAILURE(e2))
                continue;
            w[wl] = 0;
            if (k == 0 && m == 0)
                s->months_cap = u_isupper(buf[0]);
            if (lower_utf8(w, strlen(w), s->months[m][k], 40) != 0)
                s->months[m][k][0] = 0;
            strip_dot(s->months[m][k]);
        }
    }
    for (int k = 0; k < 7; k++) {
        UErrorCode e2 = U_ZERO_ERROR;
        bl = udat_getSymbols(d, UDAT_WEEKDAYS, k + 1, buf, 64, &e2);
        char w[96];
        int32_t wl = 0;
        u_strToUTF8(w, 95, &wl, buf, bl, &e2);
        if (U_FAILURE(e2) || lower_utf8(w, (size_t)wl, s->weekdays[k], 40) != 0)
            s->weekdays[k][0] = 0;
    }
    udat_close(d);
    return ALINEA_OK;
}

static int maybe_day_word(const alinea_numscan *s, const char *w);

int alinea__numscan_weekday(const alinea_numscan *s, const char *w, size_t len)
{
    char lw[64];
    if (!len || !maybe_day_word(s, w))
        return 0;
    if (lower_utf8(w, len, lw, sizeof lw) != 0)
        return 0;
    for (int k = 0; k < 7; k++)
        if (s->weekdays[k][0] == lw[0] && strcmp(lw, s->weekdays[k]) == 0)
            return k + 1;
    return 0;
}

alinea_status alinea_numscan_new(alinea_ctx *ctx, const char *lang, alinea_numscan **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    if (!lang || !*lang)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "no language given for the number scanner");
    alinea_numscan *s = calloc(1, sizeof *s);
    CHECK_ALLOC(ctx, s);
    s->ctx = ctx;
    size_t k = 0;
    while (lang[k] && lang[k] != '-' && lang[k] != '_' && k < sizeof s->lang - 1) {
        s->lang[k] = (char)(lang[k] >= 'A' && lang[k] <= 'Z' ? lang[k] + 32 : lang[k]);
        k++;
    }
    s->lang[k] = 0;
    UErrorCode e = U_ZERO_ERROR;
    s->dec = unum_open(UNUM_DECIMAL, NULL, 0, s->lang, NULL, &e);
    if (U_FAILURE(e)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU number format for %s: %s", lang,
                          u_errorName(e));
        goto cleanup;
    }
    UChar sym[8];
    int32_t sl = unum_getSymbol(s->dec, UNUM_DECIMAL_SEPARATOR_SYMBOL, sym, 8, &e);
    s->dec_mark = (sl == 1 && sym[0] < 128) ? (char)sym[0] : ',';
    sl = unum_getSymbol(s->dec, UNUM_GROUPING_SEPARATOR_SYMBOL, sym, 8, &e);
    s->grp = (sl == 1 && sym[0] < 128 && sym[0] != ' ') ? (char)sym[0] : 0;
    if (s->grp == s->dec_mark)
        s->grp = 0;
    TRY(load_ordinals(s, s->lang));
    TRY(load_spelled(s, s->lang));
    TRY(load_roman(s));
    TRY(load_dates(s, s->lang));
    /* quick rejection of words that cannot be a spelled number or a month */
    for (size_t i = 0; i < s->nspelled; i++)
        s->first[(unsigned char)s->spelled[i].word[0] & 127] = 1;
    for (int m = 0; m < 12; m++)
        for (int v = 0; v < 2; v++) {
            s->first[(unsigned char)s->months[m][v][0] & 127] = 1;
            s->dayfirst[(unsigned char)s->months[m][v][0] & 127] = 1;
        }
    for (int d = 0; d < 7; d++)
        s->dayfirst[(unsigned char)s->weekdays[d][0] & 127] = 1;
    for (size_t i = 0; i < sizeof SCALES / sizeof *SCALES; i++)
        s->first[(unsigned char)SCALES[i].word[0] & 127] = 1;
    s->inert = calloc(INERT_SLOTS, sizeof *s->inert);
    CHECK_ALLOC(ctx, s->inert);
    s->parsed = calloc(PARSE_SLOTS, sizeof *s->parsed);
    CHECK_ALLOC(ctx, s->parsed);
    *out = s;
    s = NULL;
cleanup:
    alinea_numscan_free(s);
    return rc;
}

void alinea_numscan_free(alinea_numscan *s)
{
    if (!s)
        return;
    if (s->dec)
        unum_close(s->dec);
    if (s->ord)
        unum_close(s->ord);
    free(s->spelled);
    free(s->roman);
    free(s->out);
    free(s->inert);
    free(s->parsed);
    free(s);
}

const char *alinea__numscan_lang(const alinea_numscan *s) { return s->lang; }

/* ------------------------------------------------------------ scanning */

/* Month number 1-12 of a lower-cased word, 0 if none. abbr: accept
 * abbreviated names too. */
static int month_of(const alinea_numscan *s, const char *lw, int abbr)
{
    for (int m = 0; m < 12; m++) {
        if (s->months[m][0][0] == lw[0] && strcmp(lw, s->months[m][0]) == 0)
            return m + 1;
        if (abbr && s->months[m][1][0] == lw[0] && strlen(s->months[m][1]) >= 3 &&
            strcmp(lw, s->months[m][1]) == 0)
            return m + 1;
    }
    return 0;
}

static int maybe_day_word(const alinea_numscan *s, const char *w)
{
    unsigned char c0 = (unsigned char)w[0];
    if (c0 >= 128)
        return 1;
    if (c0 >= 'A' && c0 <= 'Z')
        c0 = (unsigned char)(c0 + 32);
    return s->dayfirst[c0];
}

int alinea__numscan_month(const alinea_numscan *s, const char *w, size_t len)
{
    char lw[64];
    if (!len || !maybe_day_word(s, w))
        return 0;
    if (lower_utf8(w, len, lw, sizeof lw) != 0)
        return 0;
    if (s->months_cap && !u_isupper(cp_at(w, len, 0, NULL)))
        return 0;
    return month_of(s, lw, 0);
}

static double scale_of(const alinea_numscan *s, const char *lw)
{
    for (size_t i = 0; i < sizeof SCALES / sizeof *SCALES; i++)
        if (SCALES[i].word[0] == lw[0] && strcmp(SCALES[i].lang, s->lang) == 0 &&
            strcmp(SCALES[i].word, lw) == 0)
            return SCALES[i].mult;
    return 0;
}

static int is_hourword(const alinea_numscan *s, const char *lw)
{
    for (size_t i = 0; i < sizeof HOURWORDS / sizeof *HOURWORDS; i++)
        if (strcmp(HOURWORDS[i].lang, s->lang) == 0 && strcmp(HOURWORDS[i].word, lw) == 0)
            return 1;
    return 0;
}

static size_t skip_spaces(const char *t, size_t len, size_t i)
{
    size_t nx;
    while (i < len && is_space_cp(cp_at(t, len, i, &nx)))
        i = nx;
    return i;
}

static int is_currency_cp(UChar32 c) { return c >= 0 && u_charType(c) == U_CURRENCY_SYMBOL; }

/* Parse t[a, b) with the locale's decimal format; 0 on full success. */
static int icu_parse_raw(const alinea_numscan *s, const char *p, size_t n, double *v)
{
    UChar u[96];
    int32_t ul = 0, pos = 0;
    UErrorCode e = U_ZERO_ERROR;
    if (n >= 90)
        return -1;
    u_strFromUTF8(u, 96, &ul, p, (int32_t)n, &e);
    if (U_FAILURE(e))
        return -1;
    *v = unum_parseDouble(s->dec, u, ul, &pos, &e);
    return (U_FAILURE(e) || pos != ul) ? -1 : 0;
}

/* icu_parse_raw, cached by span text: unum_parseDouble costs thousands of
 * instructions and the same spans come back in a file. */
static int icu_parse(alinea_numscan *s, const char *p, size_t n, double *v)
{
    if (n > PARSE_MAX)
        return icu_parse_raw(s, p, n, v);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    h = h ? h : 1;
    size_t k = h & (PARSE_SLOTS - 1);
    for (;;) {
        struct parsed *e = &s->parsed[k];
        if (!e->hash)
            break;
        if (e->hash == h && e->len == n && memcmp(e->span, p, n) == 0) {
            *v = e->value;
            return e->rc;
        }
        k = (k + 1) & (PARSE_SLOTS - 1);
    }
    int rc = icu_parse_raw(s, p, n, v);
    if (s->nparsed >= PARSE_SLOTS / 4 * 3) {
        memset(s->parsed, 0, PARSE_SLOTS * sizeof *s->parsed);
        s->nparsed = 0;
        k = h & (PARSE_SLOTS - 1);
    }
    struct parsed *e = &s->parsed[k];
    e->hash = h;
    e->len = (unsigned char)n;
    memcpy(e->span, p, n);
    e->value = *v; /* also after a failure: what the caller sees is the same */
    e->rc = rc;
    s->nparsed++;
    return rc;
}

/* Digits of a run starting at i: returns the end. */
static size_t digits_end(const char *t, size_t len, size_t i)
{
    while (i < len && is_digit(t[i]))
        i++;
    return i;
}

/* After a number ending at j: am/pm marker? Returns end or 0; *pm 1 for pm. */
static size_t ampm_at(const char *t, size_t len, size_t j, int *pm)
{
    size_t k = skip_spaces(t, len, j);
    if (k + 1 >= len + 1)
        return 0;
    char a = k < len ? (char)(t[k] | 0x20) : 0;
    if (a != 'a' && a != 'p')
        return 0;
    size_t m = k + 1;
    if (m < len && t[m] == '.')
        m++;
    if (m >= len || (t[m] | 0x20) != 'm')
        return 0;
    m++;
    if (m < len && t[m] == '.')
        m++;
    if (m < len && alinea__is_word_cp(cp_at(t, len, m, NULL)))
        return 0;
    *pm = a == 'p';
    return m;
}

/* Lower-cased word at i (letters only), its end in *end; 0 when none. */
static int word_at(const char *t, size_t len, size_t i, char *lw, size_t cap, size_t *end)
{
    size_t e = alinea__word_end(t, len, i);
    if (e == i || !u_isalpha(cp_at(t, len, i, NULL)))
        return 0;
    if (lower_utf8(t + i, e - i, lw, cap) != 0)
        return 0;
    *end = e;
    return 1;
}

/* Scan a number starting at i (a digit, or a sign before a digit). */
static alinea_status scan_number(alinea_numscan *s, const char *t, size_t len, size_t i,
                                 size_t *iend)
{
    alinea_status rc;
    alinea_number *n = NULL;
    size_t start = i;
    int neg = 0;
    if (t[i] == '-' || t[i] == '+') {
        neg = t[i] == '-';
        i++;
    } else if ((unsigned char)t[i] == 0xE2) { /* U+2212 */
        neg = 1;
        i += 3;
    }
    size_t ds = i;
    size_t j = digits_end(t, len, i);
    size_t first_len = j - i;

    /* Phone numbers: three or more further groups of two digits after a
     * group of two ("01 23 45 67 89", "06.12.34.56.78"): one code, compared
     * by its digits (the sign "+" kept). */
    if (first_len == 2 && j < len && (t[j] == ' ' || t[j] == '.' || (unsigned char)t[j] == 0xC2)) {
        size_t p = j, groups = 0, pend = j;
        char sep = t[j];
        for (;;) {
            size_t q = p;
            if (sep == (char)0xC2) {
                if (q + 1 < len && (unsigned char)t[q] == 0xC2 && (unsigned char)t[q + 1] == 0xA0)
                    q += 2;
                else
                    break;
            } else if (q < len && t[q] == sep) {
                q++;
            } else {
                break;
            }
            size_t de = digits_end(t, len, q);
            if (de - q != 2)
                break;
            groups++;
            p = pend = de;
        }
        if (groups >= 3 && (pend >= len || !alinea__is_word_cp(cp_at(t, len, pend, NULL)))) {
            TRY(push(s, &n));
            n->kind = ALINEA_NUM_CODE;
            n->start = start;
            n->end = pend;
            size_t k = 0;
            for (size_t q = start; q < pend && k + 1 < sizeof n->code; q++)
                if (is_digit(t[q]) || t[q] == '+')
                    n->code[k++] = t[q];
            n->code[k] = 0;
            *iend = pend;
            return ALINEA_OK;
        }
    }

    /* Numeric dates: d/m/y, d.m.y, d-m-y, y-m-d. */
    if (j < len && (t[j] == '/' || t[j] == '.' || t[j] == '-') && first_len <= 4) {
        char sep = t[j];
        size_t a2 = j + 1, b2 = digits_end(t, len, a2);
        if (b2 > a2 && b2 - a2 <= 2 && b2 < len && t[b2] == sep) {
            size_t a3 = b2 + 1, b3 = digits_end(t, len, a3);
            if (b3 > a3 && (b3 - a3 == 2 || b3 - a3 == 4) &&
                (b3 >= len || !alinea__is_word_cp(cp_at(t, len, b3, NULL)))) {
                int x = atoi(t + ds), y = atoi(t + a2), z = atoi(t + a3);
                int day, mon, year;
                if (first_len == 4) {
                    year = x, mon = y, day = z;
                } else if (s->day_first) {
                    day = x, mon = y, year = z;
                } else {
                    mon = x, day = y, year = z;
                }
                if (first_len != 4 && b3 - a3 == 2)
                    year += year < 50 ? 2000 : 1900;
                if (day >= 1 && day <= 31 && mon >= 1 && mon <= 12) {
                    TRY(push(s, &n));
                    n->kind = ALINEA_NUM_DATE;
                    n->day = day;
                    n->month = mon;
                    n->start = start;
                    n->end = b3;
                    TRY(push(s, &n));
                    n->kind = ALINEA_NUM_VALUE;
                    n->value = year;
                    n->start = first_len == 4 ? ds : a3;
                    n->end = first_len == 4 ? j : b3;
                    *iend = b3;
                    return ALINEA_OK;
                }
            }
        }
    }

    /* Times: H:MM, H h MM, H.MM uur/Uhr, with am/pm. */
    if (first_len <= 2 && !neg) {
        int h = atoi(t + ds), mins = -1;
        size_t k = j;
        if (k + 2 < len + 0 && t[k] == ':' && k + 3 <= len && is_digit(t[k + 1]) &&
            is_digit(t[k + 2]) && (k + 3 >= len || !is_digit(t[k + 3]))) {
            mins = atoi(t + k + 1);
            k += 3;
        } else {
            size_t w0 = skip_spaces(t, len, k), we;
            char lw[16];
            if (k < len && t[k] == '.' && k + 2 < len && is_digit(t[k + 1]) && is_digit(t[k + 2]) &&
                (k + 3 >= len || !is_digit(t[k + 3]))) {
                /* H.MM uur / Uhr, H.MM pm, and "9.00 tot 17.00 uur" */
                size_t after = k + 3;
                size_t w1 = skip_spaces(t, len, after);
                int dummy;
                if (w1 > after && word_at(t, len, w1, lw, sizeof lw, &we) && is_hourword(s, lw) &&
                    strcmp(lw, "h") != 0) {
                    mins = atoi(t + k + 1);
                    k = we;
                } else if (ampm_at(t, len, after, &dummy)) {
                    mins = atoi(t + k + 1);
                    k = after;
                } else if (strcmp(s->lang, "en") != 0) {
                    size_t c0 = w1, ce = w1;
                    if (c0 < len && (t[c0] == '-' || (unsigned char)t[c0] == 0xE2))
                        ce = c0 + (t[c0] == '-' ? 1 : 3);
                    else if (word_at(t, len, c0, lw, sizeof lw, &we) && strlen(lw) <= 4)
                        ce = we;
                    size_t h2 = skip_spaces(t, len, ce), h2e = digits_end(t, len, h2);
                    if (ce > c0 && h2e > h2 && h2e - h2 <= 2 && h2e + 2 < len && t[h2e] == '.' &&
                        is_digit(t[h2e + 1]) && is_digit(t[h2e + 2])) {
                        size_t w2 = skip_spaces(t, len, h2e + 3);
                        if (word_at(t, len, w2, lw, sizeof lw, &we) && is_hourword(s, lw) &&
                            strcmp(lw, "h") != 0) {
                            mins = atoi(t + k + 1);
                            k = after;
                        }
                    }
                }
            } else if (word_at(t, len, w0, lw, sizeof lw, &we) && is_hourword(s, lw)) {
                mins = 0;
                k = we;
                size_t m0 = skip_spaces(t, len, k);
                if (m0 + 1 < len && is_digit(t[m0]) && is_digit(t[m0 + 1]) &&
                    (m0 + 2 >= len || !is_digit(t[m0 + 2]))) {
                    mins = atoi(t + m0);
                    k = m0 + 2;
                }
            } else if (k < len && (t[k] == 'h' || t[k] == 'H') && k + 2 < len &&
                       is_digit(t[k + 1]) && is_digit(t[k + 2]) &&
                       strcmp(s->lang, "en") != 0) {
                mins = atoi(t + k + 1);
                k += 3;
            }
        }
        int pm = 0;
        size_t ap = ampm_at(t, len, mins >= 0 ? k : j, &pm);
        if (ap) {
            if (mins < 0) {
                mins = 0;
            }
            if (h == 12)
                h = 0;
            if (pm)
                h += 12;
            k = ap;
        }
        if (mins >= 0 && mins < 60 && h <= 24) {
            TRY(push(s, &n));
            n->kind = ALINEA_NUM_TIME;
            n->minutes = (h % 24) * 60 + mins;
            n->start = start;
            n->end = k;
            *iend = k;
            return ALINEA_OK;
        }
    }

    /* Extend over grouping and decimal marks. */
    size_t end = j;
    int nseps = 0, ndec = 0, ncomma = 0, ndot = 0, nspace = 0, bad = 0;
    size_t last_group = 0;
    for (;;) {
        size_t nx;
        UChar32 c = end < len ? cp_at(t, len, end, &nx) : -1;
        if (c == ',' || c == '.' || c == '\'' || c == 0x2019) {
            size_t de = digits_end(t, len, nx);
            if (de == nx)
                break;
            if (c == ',')
                ncomma++;
            else if (c == '.')
                ndot++;
            nseps++;
            last_group = de - nx;
            end = de;
            continue;
        }
        if (is_space_cp(c) && c != '\t') {
            size_t de = digits_end(t, len, nx);
            if (de - nx == 3 && (de >= len || !is_digit(t[de])) && (ndot + ncomma) == 0 &&
                first_len <= 3) {
                /* not "1 250,5 12 000": only space groups before a decimal mark */
                size_t after = de;
                int more_ok = !(after < len && (t[after] == ',' || t[after] == '.') &&
                                after + 1 < len && is_digit(t[after + 1]) &&
                                digits_end(t, len, after + 1) - (after + 1) == 3 && 0);
                (void)more_ok;
                nspace++;
                nseps++;
                last_group = 3;
                end = de;
                continue;
            }
        }
        break;
    }
    (void)ndec;
    (void)bad;
    (void)last_group;

    double v = 0;
    unsigned flags = 0;
    double alt = NAN;
    int is_code = 0, is_list = 0;
    if (nseps == 0) {
        v = strtod(t + ds, NULL); /* a plain digit run: no separators to interpret */
    } else {
        /* Lists like "4,7,9": the same non-grouping mark more than once. */
        char listmark = 0;
        if (ncomma >= 2 && s->grp != ',')
            listmark = ',';
        else if (ndot >= 2 && s->grp != '.')
            listmark = '.';
        if (listmark) {
            /* Grouping needs groups of three digits. */
            size_t p = ds;
            int allthree = 1;
            while (p < end) {
                size_t de = digits_end(t, len, p);
                if (p != ds && de - p != 3)
                    allthree = 0;
                p = de < end ? de + 1 : de;
            }
            if (!allthree)
                is_list = 1;
        }
        if (!is_list && icu_parse(s, t + ds, end - ds, &v) != 0)
            is_code = 1;
        /* Grouping must be in threes; a decimal mark only once, last. */
        if (!is_list && !is_code) {
            size_t p = j;
            int ok = 1, seen_dec = 0;
            while (p < end) {
                size_t nx;
                UChar32 c = cp_at(t, len, p, &nx);
                size_t de = digits_end(t, len, nx);
                int isdec = (c == (UChar32)(unsigned char)s->dec_mark);
                if (isdec) {
                    if (seen_dec)
                        ok = 0;
                    seen_dec = 1;
                } else if (seen_dec || de - nx != 3) {
                    ok = 0;
                }
                p = de;
            }
            if (!ok)
                is_code = 1;
        }
        if (!is_list && !is_code && nseps == 1 && (ncomma + ndot) == 1 && last_group == 3 &&
            first_len <= 3) {
            /* "1,250": read with the other convention too. */
            size_t sp = j;
            char buf[16];
            size_t bl = end - ds;
            if (bl < sizeof buf) {
                memcpy(buf, t + ds, bl);
                buf[bl] = 0;
                buf[sp - ds] = '.';
                double other = strtod(buf, NULL); /* as a decimal point */
                double grouped = strtod(t + ds, NULL) * 1000 + strtod(t + sp + 1, NULL);
                alt = fabs(v - other) < 1e-9 ? grouped : other;
                if (fabs(alt - v) > 1e-9)
                    flags |= ALINEA_NUMF_AMBIGUOUS;
                else
                    alt = NAN;
            }
        }
    }
    if (is_list) {
        size_t p = ds;
        while (p < end) {
            size_t de = digits_end(t, len, p);
            TRY(push(s, &n));
            n->kind = ALINEA_NUM_VALUE;
            n->value = strtod(t + p, NULL);
            n->start = p;
            n->end = de;
            p = de < end ? de + 1 : de;
        }
        *iend = end;
        return ALINEA_OK;
    }

    /* A suffix glued to the digits: ordinal, unit, scale letter or code. */
    size_t k = end;
    if (k < len && u_isalpha(cp_at(t, len, k, NULL)) && !is_code) {
        size_t we = alinea__word_end(t, len, k);
        char suf[64];
        int has_digit = 0, has_upper = 0;
        for (size_t q = k; q < we;) {
            size_t nx;
            UChar32 c = cp_at(t, len, q, &nx);
            has_digit |= u_isdigit(c);
            has_upper |= u_isupper(c);
            q = nx;
        }
        int lowered = lower_utf8(t + k, we - k, suf, sizeof suf) == 0;
        /* Scale letters of English finance style: 5k, 2.5bn, and 300m or
         * 4mn only right after a currency symbol (€300m), where "m" cannot
         * be metres. They also follow a decimal (€2.5bn). */
        int cur_before = ds > 0 && is_currency_cp(cp_before(t, ds, NULL));
        int scale_letter = lowered && (strcmp(suf, "k") == 0 || strcmp(suf, "bn") == 0 ||
                                       (cur_before && (strcmp(suf, "m") == 0 ||
                                                       strcmp(suf, "mn") == 0)));
        if (lowered && !has_digit && (nseps == 0 || scale_letter)) {
            int ordinal = 0;
            /* Exact RBNF ordinal for this value in one of the rule sets? */
            UChar want[64];
            int32_t wl = 0;
            UErrorCode e = U_ZERO_ERROR;
            u_strFromUTF8(want, 64, &wl, t + ds, (int32_t)(we - ds), &e);
            for (int r = 0; r < s->nordsets && U_SUCCESS(e) && !ordinal; r++) {
                UErrorCode e2 = U_ZERO_ERROR;
                UChar buf[64];
                unum_setTextAttribute(s->ord, UNUM_DEFAULT_RULESET, s->ordsets[r], -1, &e2);
                int32_t bl = unum_formatDouble(s->ord, v, buf, 64, NULL, &e2);
                if (U_SUCCESS(e2) && bl == wl && u_strncmp(buf, want, wl) == 0)
                    ordinal = 1;
            }
            int known_suffix = 0;
            for (int q = 0; q < s->nordsuf; q++)
                known_suffix |= strcmp(s->ordsuf[q], suf) == 0;
            /* Informal French ordinals: 2ème, 2eme, 2nd, 2nde, 1ère, 2ᵉ. */
            if (!ordinal && strcmp(s->lang, "fr") == 0 &&
                (strcmp(suf, "ème") == 0 || strcmp(suf, "eme") == 0 || strcmp(suf, "ère") == 0 ||
                 strcmp(suf, "nd") == 0 || strcmp(suf, "nde") == 0 || strcmp(suf, "ᵉ") == 0 ||
                 strcmp(suf, "èmes") == 0 || strcmp(suf, "ères") == 0))
                ordinal = 1;
            double sc = 0;
            if (ordinal) {
                flags |= ALINEA_NUMF_ORDINAL;
                k = we;
            } else if (known_suffix && !has_upper) {
                flags |= ALINEA_NUMF_ORDINAL | ALINEA_NUMF_MALFORMED;
                k = we;
            } else if ((scale_letter ||
                        ((sc = scale_of(s, suf)) > 0 && has_upper == 0 && strlen(suf) > 1)) ||
                       (we - k == 1 && t[k] == 'M' && we < len && is_currency_cp(cp_at(t, len, we, NULL)))) {
                if (sc == 0)
                    sc = strcmp(suf, "k") == 0 ? 1e3 : strcmp(suf, "bn") == 0 ? 1e9 : 1e6;
                v *= sc;
                flags |= ALINEA_NUMF_SCALED;
                k = we;
            } else if (has_upper) {
                is_code = 1;
                end = we;
            } else {
                k = we; /* a unit: 10km, 5kg, 30min */
            }
        } else {
            is_code = 1;
            end = we;
        }
    }
    if (is_code) {
        /* Extend the code over word characters and inner hyphens/dots. */
        size_t ce = end;
        while (ce < len) {
            size_t nx;
            UChar32 c = cp_at(t, len, ce, &nx);
            if (alinea__is_word_cp(c)) {
                ce = nx;
                continue;
            }
            if ((c == '.' || c == '-' || c == ',') && nx < len &&
                alinea__is_word_cp(cp_at(t, len, nx, NULL))) {
                ce = nx;
                continue;
            }
            break;
        }
        TRY(push(s, &n));
        n->kind = ALINEA_NUM_CODE;
        n->start = start;
        n->end = ce;
        nfkc_copy(t + start, ce - start, n->code, sizeof n->code);
        *iend = ce;
        return ALINEA_OK;
    }

    /* Scale word, percent, currency after the number. */
    if (!(flags & (ALINEA_NUMF_ORDINAL | ALINEA_NUMF_SCALED))) {
        size_t w0 = skip_spaces(t, len, k), we;
        char lw[48];
        if (word_at(t, len, w0, lw, sizeof lw, &we)) {
            double sc = scale_of(s, lw);
            int upper_m = (we - w0 == 1 && t[w0] == 'M');
            if (sc > 0 && (strlen(lw) > 1 || upper_m)) {
                if (strlen(lw) > 2 || upper_m ||
                    (we < len && (is_currency_cp(cp_at(t, len, we, NULL)) || t[we] == '.' ||
                                  t[we] == ' ')) ) {
                    if (!(upper_m && !(we < len && is_currency_cp(cp_at(t, len, we, NULL))))) {
                        v *= sc;
                        flags |= ALINEA_NUMF_SCALED;
                        k = we;
                    }
                }
            }
        }
    }
    {
        size_t w0 = skip_spaces(t, len, k), nx;
        UChar32 c = w0 < len ? cp_at(t, len, w0, &nx) : -1;
        if (c == '%' || c == 0x2030 || c == 0xFF05) {
            flags |= ALINEA_NUMF_PERCENT;
            k = nx;
        } else if (is_currency_cp(c)) {
            flags |= ALINEA_NUMF_CURRENCY;
            k = nx;
        }
        size_t pv;
        UChar32 b = cp_before(t, start, &pv);
        if (b == ' ' || b == 0xA0)
            b = cp_before(t, pv, NULL);
        if (is_currency_cp(b))
            flags |= ALINEA_NUMF_CURRENCY;
    }
    TRY(push(s, &n));
    n->kind = ALINEA_NUM_VALUE;
    n->value = neg ? -v : v;
    if (!isnan(alt))
        n->alt = neg ? -alt : alt;
    n->flags = flags;
    n->start = start;
    n->end = k;
    *iend = k;
    return ALINEA_OK;
cleanup:
    return rc;
}

/* French ordinal suffixes after a Roman numeral: XIXe, Ier, IIIe. */
static int roman_suffix(const char *suf)
{
    static const char *const ok[] = {"e", "er", "re", "ère", "ème", "eme", "es", "ers", "ᵉ", "th"};
    if (!*suf)
        return 1;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcmp(suf, ok[i]) == 0)
            return 2;
    return 0;
}

static alinea_status scan_word_full(alinea_numscan *s, const char *t, size_t len, size_t i,
                                    size_t we, size_t *iend);

static alinea_status scan_word(alinea_numscan *s, const char *t, size_t len, size_t i, size_t *iend)
{
    alinea_status rc;
    size_t we = alinea__word_end(t, len, i);
    *iend = we;
    size_t wl = we - i, nout0 = s->nout;
    uint32_t wh = 0;
    if (wl <= INERT_MAX) {
        wh = word_hash(t + i, wl);
        if (inert_slot(s, t + i, wl, wh)->hash)
            return ALINEA_OK;
    }
    rc = scan_word_full(s, t, len, i, we, iend);
    if (rc == ALINEA_OK && wh && s->nout == nout0 && *iend == we) {
        if (s->ninert >= INERT_SLOTS / 4 * 3) {
            memset(s->inert, 0, INERT_SLOTS * sizeof *s->inert);
            s->ninert = 0;
        }
        struct inert_word *e = inert_slot(s, t + i, wl, wh);
        e->hash = wh;
        e->len = (unsigned char)wl;
        memcpy(e->w, t + i, wl);
        s->ninert++;
    }
    return rc;
}

static alinea_status scan_word_full(alinea_numscan *s, const char *t, size_t len, size_t i,
                                    size_t we, size_t *iend)
{
    alinea_status rc = ALINEA_OK;
    alinea_number *n;
    int has_digit = 0, has_under = 0, nletters = 0;
    size_t roman_end = i;
    int in_roman = 1;
    for (size_t q = i; q < we;) {
        size_t nx;
        UChar32 c = cp_at(t, len, q, &nx);
        if (c < 128) {
            if (is_digit((char)c))
                has_digit = 1;
            else if (c == '_')
                has_under = 1;
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                nletters++;
        } else {
            if (u_isdigit(c) || (c >= 0x2070 && c <= 0x2089))
                has_digit = 1;
            if (u_isalpha(c))
                nletters++;
        }
        if (in_roman && (c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C' || c == 'D' ||
                         c == 'M'))
            roman_end = nx;
        else
            in_roman = 0;
        q = nx;
    }
    if (has_digit || (has_under && nletters > 0)) {
        TRY(push(s, &n));
        n->kind = ALINEA_NUM_CODE;
        n->start = i;
        n->end = we;
        nfkc_copy(t + i, we - i, n->code, sizeof n->code);
        return ALINEA_OK;
    }
    /* Roman numerals: only I, V, X with two letters or more (II, XIX), or
     * any numeral with a French ordinal suffix (Ier, XVe, Ve). */
    if (roman_end > i) {
        char rom[48], suf[48];
        size_t rl = roman_end - i;
        if (rl < sizeof rom && lower_utf8(t + roman_end, we - roman_end, suf, sizeof suf) == 0) {
            memcpy(rom, t + i, rl);
            rom[rl] = 0;
            int sk = roman_suffix(suf);
            int ivx = strspn(rom, "IVX") == rl;
            const wordval *r = find_word(s->roman, s->nroman, rom);
            /* "Le", "Ce", "De", "Me" are words, not L-e, C-e: a suffix needs
             * I, V, X only, or three numerals or more (XLe, CXe) */
            if (r && ((sk == 1 && ivx && rl >= 2) || (sk == 2 && (ivx || rl >= 3)))) {
                TRY(push(s, &n));
                n->kind = ALINEA_NUM_VALUE;
                n->value = r->value;
                n->flags = ALINEA_NUMF_ROMAN | (sk == 2 ? ALINEA_NUMF_ORDINAL : 0);
                n->start = i;
                n->end = we;
                return ALINEA_OK;
            }
        }
    }
    char lw[64];
    unsigned char c0 = (unsigned char)t[i];
    if (c0 < 128 && !s->first[(c0 >= 'A' && c0 <= 'Z') ? c0 + 32 : c0])
        return ALINEA_OK;
    if (lower_utf8(t + i, we - i, lw, sizeof lw) != 0)
        return ALINEA_OK;
    const wordval *sp = find_word(s->spelled, s->nspelled, lw);
    if (sp) {
        TRY(push(s, &n));
        n->kind = ALINEA_NUM_SPELLED;
        n->value = sp->value;
        n->flags = sp->ordinal ? ALINEA_NUMF_ORDINAL : 0;
        n->start = i;
        n->end = we;
        /* "deux millions" */
        size_t w0 = skip_spaces(t, len, we), e2;
        char nw[48];
        if (w0 > we && word_at(t, len, w0, nw, sizeof nw, &e2)) {
            double sc = scale_of(s, nw);
            if (sc > 0 && strlen(nw) > 2) {
                n->value *= sc;
                n->flags |= ALINEA_NUMF_SCALED;
                n->end = e2;
                *iend = e2;
            }
        }
        return ALINEA_OK;
    }
    int m = month_of(s, lw, 1);
    if (m && (!s->months_cap || u_isupper(cp_at(t, len, i, NULL)))) {
        int wide = month_of(s, lw, 0) != 0;
        TRY(push(s, &n));
        n->kind = ALINEA_NUM_DATE;
        n->month = m;
        n->day = wide ? 0 : -1; /* -1: abbreviation, kept only next to a day */
        n->start = i;
        n->end = we;
    }
cleanup:
    return rc;
}

/* Join days and month names into dates: "6 août", "6. August", "6th of
 * August", "August 6". */
static void join_dates(alinea_numscan *s, const char *t, size_t len)
{
    for (size_t k = 0; k < s->nout; k++) {
        alinea_number *m = &s->out[k];
        if (m->kind != ALINEA_NUM_DATE || m->day > 0)
            continue;
        /* day before */
        if (k > 0) {
            alinea_number *d = &s->out[k - 1];
            if (d->kind == ALINEA_NUM_VALUE && d->value >= 1 && d->value <= 31 &&
                d->value == floor(d->value) && !(d->flags & (ALINEA_NUMF_SCALED | ALINEA_NUMF_PERCENT | ALINEA_NUMF_CURRENCY | ALINEA_NUMF_ROMAN))) {
                size_t g = d->end;
                if (g < len && t[g] == '.')
                    g++;
                g = skip_spaces(t, len, g);
                if (g + 3 <= m->start && strncmp(t + g, "of", 2) == 0)
                    g = skip_spaces(t, len, g + 2);
                if (g == m->start) {
                    m->day = (int)d->value;
                    m->start = d->start;
                    d->kind = ALINEA_NUM_SPELLED; /* consumed */
                    d->flags = 0xFFFFu;
                    continue;
                }
            }
        }
        /* day after */
        if (k + 1 < s->nout) {
            alinea_number *d = &s->out[k + 1];
            if (d->kind == ALINEA_NUM_VALUE && d->value >= 1 && d->value <= 31 &&
                d->value == floor(d->value) &&
                !(d->flags & (ALINEA_NUMF_SCALED | ALINEA_NUMF_PERCENT | ALINEA_NUMF_CURRENCY | ALINEA_NUMF_ROMAN)) &&
                skip_spaces(t, len, m->end) == d->start && d->start > m->end) {
                m->day = (int)d->value;
                m->end = d->end;
                d->kind = ALINEA_NUM_SPELLED;
                d->flags = 0xFFFFu;
                continue;
            }
        }
    }
    /* Drop consumed days and lone abbreviations. */
    size_t w = 0;
    for (size_t k = 0; k < s->nout; k++) {
        alinea_number *x = &s->out[k];
        if (x->kind == ALINEA_NUM_SPELLED && x->flags == 0xFFFFu)
            continue;
        if (x->kind == ALINEA_NUM_DATE && x->day < 0)
            continue;
        s->out[w++] = *x;
    }
    s->nout = w;
}

alinea_status alinea_numscan_run(alinea_numscan *s, const char *t, size_t len,
                                 const alinea_number **nums, size_t *n)
{
    alinea_status rc = ALINEA_OK;
    *nums = NULL;
    *n = 0;
    s->nout = 0;
    if (len > ALINEA_MAX_SEGMENT_BYTES)
        return alinea__fail(s->ctx, ALINEA_ERR_TOO_BIG, "segment longer than %zu bytes",
                            (size_t)ALINEA_MAX_SEGMENT_BYTES);
    size_t i = 0;
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
        if (is_digit((char)(c < 128 ? c : 0))) {
            size_t pv;
            UChar32 b = cp_before(t, i, &pv);
            (void)pv;
            if (b >= 0 && alinea__is_word_cp(b)) {
                i = nx;
                continue;
            }
            TRY(scan_number(s, t, len, i, &i));
            continue;
        }
        if ((c == '-' || c == '+' || c == 0x2212) && nx < len && is_digit(t[nx])) {
            UChar32 b = cp_before(t, i, NULL);
            if (b < 0 || !(alinea__is_word_cp(b) || b == '-' || b == 0x2013)) {
                TRY(scan_number(s, t, len, i, &i));
                continue;
            }
        }
        if (c < 128 ? is_ascii_word(c) : alinea__is_word_cp(c)) {
            TRY(scan_word(s, t, len, i, &i));
            continue;
        }
        i = nx;
    }
    join_dates(s, t, len);
    *nums = s->out;
    *n = s->nout;
cleanup:
    return rc;
}

/* Expected ordinal spelling of v (first rule set), for messages. */
int alinea__numscan_ordinal(alinea_numscan *s, double v, char *buf, size_t cap)
{
    if (s->nordsets == 0)
        return -1;
    UErrorCode e = U_ZERO_ERROR;
    UChar u[64];
    unum_setTextAttribute(s->ord, UNUM_DEFAULT_RULESET, s->ordsets[s->nordsets - 1], -1, &e);
    int32_t ul = unum_formatDouble(s->ord, v, u, 64, NULL, &e);
    int32_t ol = 0;
    u_strToUTF8(buf, (int32_t)cap - 1, &ol, u, ul, &e);
    if (U_FAILURE(e))
        return -1;
    buf[ol] = 0;
    return 0;
}
