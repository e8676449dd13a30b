/*
 * segment.c - sentence segmentation: ICU candidates, rules and abbreviation data.
 *
 * A paragraph is scanned for terminator clusters (. ! ? … and their
 * combinations with closing quotes, brackets, French spacing and footnote
 * marks). ICU's sentence BreakIterator (UAX #29) runs over the same paragraph
 * (UTF-8 UText, no copy) and gives its verdict for every candidate; the rules
 * below keep or suppress ICU's break, or add one ICU missed. The rules are
 * general (typography, abbreviation classes from dict/abbrev/LANG.txt); no
 * test sentence appears here.
 */
#include "alinea_segment.h"
#include "alinea_text.h"
#include "internal.h"
#include "seg_srx.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

/* ------------------------------------------------------------ word sets */

typedef struct wordset {
    char **slot;
    size_t cap; /* power of two */
    size_t n;
} wordset;

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int ws_has(const wordset *w, const char *s, size_t n)
{
    if (!w->cap)
        return 0;
    for (size_t i = fnv(s, n) & (w->cap - 1);; i = (i + 1) & (w->cap - 1)) {
        const char *k = w->slot[i];
        if (!k)
            return 0;
        if (strncmp(k, s, n) == 0 && k[n] == '\0')
            return 1;
    }
}

static alinea_status ws_add(alinea_ctx *ctx, wordset *w, const char *s, size_t n)
{
    if (ws_has(w, s, n))
        return ALINEA_OK;
    if ((w->n + 1) * 2 > w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 64;
        char **ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < w->cap; i++)
            if (w->slot[i]) {
                size_t j = fnv(w->slot[i], strlen(w->slot[i])) & (ncap - 1);
                while (ns[j])
                    j = (j + 1) & (ncap - 1);
                ns[j] = w->slot[i];
            }
        free(w->slot);
        w->slot = ns;
        w->cap = ncap;
    }
    char *k = alinea__strndup(s, n);
    if (!k)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    size_t j = fnv(s, n) & (w->cap - 1);
    while (w->slot[j])
        j = (j + 1) & (w->cap - 1);
    w->slot[j] = k;
    w->n++;
    return ALINEA_OK;
}

static void ws_free(wordset *w)
{
    for (size_t i = 0; i < w->cap; i++)
        free(w->slot[i]);
    free(w->slot);
    memset(w, 0, sizeof *w);
}

/* ------------------------------------------------------------ segmenter */

#define OPT_LOWER_BREAK 0x1u
#define OPT_ORDINAL_DOT 0x2u

enum { SET_NEVER, SET_FINAL, SET_STARTERS, SET_LETTERS, SET_COUNT };
static const char *const set_names[SET_COUNT] = {"never", "final", "starters", "letters"};

struct alinea_segmenter {
    alinea_ctx *ctx;
    char lang[16];
    alinea_para_mode para;
    UBreakIterator *bi;
    UText *ut;
    wordset sets[SET_COUNT];
    unsigned opts;
    alinea__srx *srx; /* non-NULL: SRX rules replace the built-in ones */
    size_t too_big_at; /* start of the over-long sentence of the last TOO_BIG error */
};

/* Rule ids (alinea_seg.rule). Keep in sync with rule_names. */
enum {
    R_PARAGRAPH = 0,
    R_ICU,
    R_QE,
    R_ELLIPSIS,
    R_PERIOD_ELLIPSIS,
    R_ABBREV_FINAL,
    R_LETTER_WORD,
    R_ORDINAL,
    R_LOWER,
    R_MISSING_SPACE,
    R_LIST,
    R_FOOTNOTE,
    R_PERIOD_DIGIT,
    R_PERIOD_PUNCT,
    R_COUNT
};
static const char *const rule_names[R_COUNT] = {
    "paragraph-end",       "icu",           "question-exclamation", "ellipsis",
    "period-then-ellipsis", "abbrev-final", "letter-word",          "ordinal-starter",
    "lowercase-after-period", "missing-space", "list-item",         "footnote",
    "period-digit",        "period-punct"};

const char *alinea_segmenter_rule_name(const alinea_segmenter *s, uint32_t rule)
{
    if (rule >= ALINEA__SRX_RULE_BASE)
        return s && s->srx ? alinea__srx_rule_name(s->srx, rule - ALINEA__SRX_RULE_BASE)
                           : "srx";
    return rule < R_COUNT ? rule_names[rule] : "unknown";
}

static int is_space_line(const char *a, const char *b)
{
    for (; a < b; a++)
        if (*a != ' ' && *a != '\t' && *a != '\r')
            return 0;
    return 1;
}

static alinea_status load_abbrev(alinea_segmenter *s)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    char rel[64], path[4096];
    char *data = NULL;
    size_t len = 0;
    snprintf(rel, sizeof rel, "abbrev/%s.txt", s->lang);
    TRY(alinea__data_path(ctx, rel, path, sizeof path));
    TRY(alinea__read_file(ctx, path, ALINEA_MAX_DATA_FILE_BYTES, &data, &len));
    int set = -1, options = 0;
    size_t lineno = 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *a = p, *b = le;
        p = nl ? nl + 1 : end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
            b--;
        if (a == b || *a == '#' || is_space_line(a, b))
            continue;
        if (*a == '[') {
            set = -1;
            options = 0;
            size_t n = (size_t)(b - a);
            if (n == 9 && memcmp(a, "[options]", 9) == 0) {
                options = 1;
                continue;
            }
            for (int k = 0; k < SET_COUNT; k++)
                if (n == strlen(set_names[k]) + 2 && memcmp(a + 1, set_names[k], n - 2) == 0 &&
                    b[-1] == ']')
                    set = k;
            if (set < 0) {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%zu: unknown section %.*s", path,
                                  lineno, (int)n, a);
                goto cleanup;
            }
            continue;
        }
        for (const char *q = a; q < b; q++)
            if (*q == ' ' || *q == '\t') {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: one entry per line, without spaces", path, lineno);
                goto cleanup;
            }
        if (options) {
            size_t n = (size_t)(b - a);
            if (n == 22 && memcmp(a, "lowercase-after-period", 22) == 0)
                s->opts |= OPT_LOWER_BREAK;
            else if (n == 11 && memcmp(a, "ordinal-dot", 11) == 0)
                s->opts |= OPT_ORDINAL_DOT;
            else {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%zu: unknown option %.*s", path,
                                  lineno, (int)n, a);
                goto cleanup;
            }
            continue;
        }
        if (set < 0) {
            rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%zu: entry outside a [section]", path,
                              lineno);
            goto cleanup;
        }
        if (b - a > 1 && b[-1] == '.')
            b--;
        TRY(ws_add(ctx, &s->sets[set], a, (size_t)(b - a)));
    }
cleanup:
    free(data);
    return rc;
}

static alinea_status open_icu(alinea_segmenter *s)
{
    UErrorCode err = U_ZERO_ERROR;
    s->bi = ubrk_open(UBRK_SENTENCE, s->lang, NULL, 0, &err);
    if (U_FAILURE(err))
        return alinea__fail(s->ctx, ALINEA_ERR_ICU, "ubrk_open(%s): %s", s->lang, u_errorName(err));
    return ALINEA_OK;
}

static alinea_status base_lang(alinea_ctx *ctx, const char *lang, char *out, size_t cap)
{
    return alinea__lang_primary(ctx, lang, out, cap);
}

alinea_status alinea_segmenter_new(alinea_ctx *ctx, const char *lang, alinea_segmenter **out)
{
    static const char *const langs[] = {"fr", "en", "nl", "de", "es", "it", "pt"};
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    alinea_segmenter *s = calloc(1, sizeof *s);
    CHECK_ALLOC(ctx, s);
    s->ctx = ctx;
    TRY(base_lang(ctx, lang, s->lang, sizeof s->lang));
    int known = 0;
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
        known |= strcmp(s->lang, langs[i]) == 0;
    if (!known) {
        rc = alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED,
                          "segmenter: language '%s' is not supported (fr, en, nl, de, es, it, pt; "
                          "or give an SRX file with --srx)",
                          lang);
        goto cleanup;
    }
    TRY(load_abbrev(s));
    TRY(open_icu(s));
    *out = s;
    s = NULL;
cleanup:
    alinea_segmenter_free(s);
    return rc;
}

alinea_status alinea_segmenter_new_srx(alinea_ctx *ctx, const char *lang, const char *srx_path,
                                       alinea_segmenter **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    alinea_segmenter *s = calloc(1, sizeof *s);
    CHECK_ALLOC(ctx, s);
    s->ctx = ctx;
    TRY(base_lang(ctx, lang, s->lang, sizeof s->lang));
    TRY(alinea__srx_load(ctx, srx_path, lang, &s->srx));
    TRY(open_icu(s));
    *out = s;
    s = NULL;
cleanup:
    alinea_segmenter_free(s);
    return rc;
}

void alinea_segmenter_free(alinea_segmenter *s)
{
    if (!s)
        return;
    if (s->bi)
        ubrk_close(s->bi);
    if (s->ut)
        utext_close(s->ut);
    for (int k = 0; k < SET_COUNT; k++)
        ws_free(&s->sets[k]);
    alinea__srx_free(s->srx);
    free(s);
}

void alinea_segmenter_set_paragraphs(alinea_segmenter *s, alinea_para_mode mode) { s->para = mode; }

/* ------------------------------------------------------- characters */

/* Code point at t[i] (i < e); *n receives its length. Invalid bytes give U+FFFD, length 1. */
static UChar32 cp_at(const char *t, size_t i, size_t e, size_t *n)
{
    size_t next;
    UChar32 c = alinea__u8_at(t, e, i, &next);
    *n = next - i;
    return c < 0 ? 0xFFFD : c;
}

/* Code point ending just before t[i] (i > lo); *start receives its offset. */
static UChar32 cp_before(const char *t, size_t lo, size_t i, size_t *start)
{
    size_t base = i - lo > 4 ? i - 4 : lo;
    int32_t k = (int32_t)(i - base);
    UChar32 c;
    U8_PREV((const uint8_t *)t + base, 0, k, c);
    *start = base + (size_t)k;
    return c < 0 ? 0xFFFD : c;
}

/* Unicode White_Space: ASCII space, tab, LF, VT, FF, CR, and above U+007F
 * (U+0085 NEL, U+00A0, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR...)
 * as ICU's u_isUWhiteSpace says. */
static int is_ws_cp(UChar32 c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c > 0x7F && u_isUWhiteSpace(c));
}

/* Length of a white-space character at t[i], 0 if none. */
static size_t ws_at(const char *t, size_t i, size_t e)
{
    if (i >= e)
        return 0;
    size_t n;
    UChar32 c = cp_at(t, i, e, &n);
    return is_ws_cp(c) ? n : 0;
}

static size_t skip_ws(const char *t, size_t i, size_t e)
{
    size_t n;
    while (i < e && (n = ws_at(t, i, e)) > 0)
        i += n;
    return i;
}

static int is_term(UChar32 c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x203C || c == 0x2047 ||
           c == 0x2048 || c == 0x2049;
}
static int is_qe(UChar32 c) { return c == '!' || c == '?' || (c >= 0x203C && c != 0x2026); }

/* Closing punctuation that stays with the sentence when it follows a terminator directly. */
static int is_closer(UChar32 c)
{
    return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == 0x00BB ||
           c == 0x201D || c == 0x2019 || c == 0x201C || c == 0x2018 || c == 0x203A;
}
/* Closing punctuation that stays with the sentence even after a space (French « … »). */
static int is_spaced_closer(UChar32 c)
{
    return c == ')' || c == ']' || c == 0x00BB || c == 0x201D || c == 0x203A;
}
/* Opening punctuation that may precede a word. */
static int is_opener(UChar32 c)
{
    return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0x00AB ||
           c == 0x201C || c == 0x2018 || c == 0x201E || c == 0x2039 || c == 0x00BF ||
           c == 0x00A1 || c == 0x2019;
}
static int is_bullet(UChar32 c)
{
    return c == 0x2022 || c == 0x2043 || c == 0x25E6 || c == 0x25AA || c == 0x2023 ||
           c == '*' || c == 0x00B7;
}
static int is_upper_cp(UChar32 c) { return u_isupper(c) || u_istitle(c); }

/* ------------------------------------------------------- clusters */

enum { T_DOT, T_ELL, T_QE };

typedef struct cluster {
    size_t start, end;   /* the terminators and closers, [start, end) */
    size_t first_end;    /* end of the first terminator */
    int last;            /* T_DOT, T_ELL or T_QE: the last terminator */
    int attached;        /* the first terminator follows a word directly */
    int ends_closer;     /* a closer comes after the last terminator */
    int first_is_dot;    /* the cluster starts with a single period */
    int ndots, spaced;   /* periods; periods after a space (". . .") */
    int other_terms;     /* terminators other than periods */
    int bracketed;       /* "(…)" / "[...]": an ellipsis alone in brackets */
    int footnote;        /* "[4]" after the terminator */
} cluster;

static void parse_cluster(const char *t, size_t p, size_t e, size_t i, cluster *cl)
{
    memset(cl, 0, sizeof *cl);
    cl->start = i;
    size_t n, ps;
    UChar32 prev = i > p ? cp_before(t, p, i, &ps) : ' ';
    cl->attached = !is_ws_cp(prev) && !is_opener(prev) && !is_term(prev);
    int run = 0, term_after_closer = 0, seen_closer = 0, first = 1;
    UChar32 first_closer = 0;
    size_t j = i;
    while (j < e) {
        UChar32 c = cp_at(t, j, e, &n);
        if (is_term(c)) {
            if (c == '.') {
                cl->ndots++;
                run++;
                cl->last = run >= 2 ? T_ELL : T_DOT;
            } else if (c == 0x2026) {
                run += 3;
                cl->last = T_ELL;
                cl->other_terms++;
            } else {
                run = 0;
                cl->last = T_QE;
                cl->other_terms++;
            }
            if (first) {
                cl->first_end = j + n;
                cl->first_is_dot = c == '.';
                first = 0;
            }
            if (seen_closer)
                term_after_closer = 1;
            cl->ends_closer = 0;
            j += n;
            continue;
        }
        if (is_closer(c)) {
            if (!seen_closer)
                first_closer = c;
            seen_closer = 1;
            cl->ends_closer = 1;
            run = 0;
            j += n;
            continue;
        }
        if (c == '[' && j + 2 < e && t[j + 1] >= '0' && t[j + 1] <= '9') {
            size_t k = j + 1;
            while (k < e && k - j < 6 && t[k] >= '0' && t[k] <= '9')
                k++;
            if (k < e && t[k] == ']') {
                cl->footnote = 1;
                j = k + 1;
                continue;
            }
        }
        size_t k = skip_ws(t, j, e);
        if (k > j && k < e) {
            UChar32 d = cp_at(t, k, e, &n);
            if (is_qe(d) || d == 0x2026 || is_spaced_closer(d)) {
                j = k;
                continue;
            }
            if (d == '.') {
                size_t m;
                UChar32 after = k + 1 < e ? cp_at(t, k + 1, e, &m) : ' ';
                if (is_ws_cp(after) || is_closer(after)) {
                    cl->spaced++;
                    j = k;
                    continue;
                }
            }
        }
        break;
    }
    cl->end = j;
    if ((prev == '(' || prev == '[') && !term_after_closer && cl->last == T_ELL &&
        first_closer == (prev == '(' ? ')' : ']'))
        cl->bracketed = 1;
}

/* ------------------------------------------------------- words */

static int is_roman_letter(UChar32 c)
{
    return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C' || c == 'D' || c == 'M';
}

enum { W_PLAIN, W_NEVER, W_FINAL, W_NUMBER, W_INITIAL, W_DOTTED, W_LOWER_LETTER, W_ROMAN };

/* Start of the word that ends at i (stops at white space, openers, apostrophes). */
#define MAX_WORD 128 /* bytes looked at before a terminator (abbreviations are short) */
static size_t word_start(const char *t, size_t p, size_t i)
{
    size_t j = i, ps;
    if (i - p > MAX_WORD)
        p = i - MAX_WORD;
    while (j > p) {
        UChar32 c = cp_before(t, p, j, &ps);
        if (is_ws_cp(c) || is_opener(c) || c == 0x2019 || c == '\'')
            break;
        j = ps;
    }
    return j;
}

static int set_has(const alinea_segmenter *s, int set, const char *w, size_t n)
{
    if (ws_has(&s->sets[set], w, n))
        return 1;
    /* a lowercase entry also matches the capitalised word */
    size_t k;
    UChar32 c = cp_at(w, 0, n, &k);
    if (!is_upper_cp(c) || n > 120)
        return 0;
    char buf[128];
    int32_t o = 0;
    UBool err = 0;
    U8_APPEND((uint8_t *)buf, o, 8, u_tolower(c), err);
    if (err)
        return 0;
    memcpy(buf + o, w + k, n - k);
    return ws_has(&s->sets[set], buf, (size_t)o + n - k);
}

static int has_substr(const char *w, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(w + i, needle, m) == 0)
            return 1;
    return 0;
}

static int classify_word(const alinea_segmenter *s, const char *w, size_t n)
{
    if (n == 0)
        return W_PLAIN;
    if (memchr(w, '@', n) || has_substr(w, n, "://") || (n > 4 && memcmp(w, "www.", 4) == 0))
        return W_PLAIN;
    if (set_has(s, SET_NEVER, w, n))
        return W_NEVER;
    if (set_has(s, SET_FINAL, w, n))
        return W_FINAL;
    int digits = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] >= '0' && w[i] <= '9')
            digits++;
        else if (w[i] != '.' && w[i] != ',')
            other++;
    }
    if (digits && !other)
        return W_NUMBER;
    size_t k;
    UChar32 c = cp_at(w, 0, n, &k);
    if (k == n && u_isalpha(c))
        return is_upper_cp(c) ? W_INITIAL : W_LOWER_LETTER;
    /* a word without a vowel (Pdt., Mgr., bd.) is an abbreviation that may
     * end a sentence; a Roman numeral (XIV.) ends one before a capital but
     * not before a lowercase word */
    int roman = n >= 2, letters = 0, vowels = 0, cps = 0;
    for (size_t i = 0; i < n; i += k) {
        c = cp_at(w, i, n, &k);
        cps++;
        roman &= is_roman_letter(c);
        if (u_isalpha(c)) {
            letters++;
            UChar32 l = u_tolower(c);
            vowels += l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'y' ||
                      (l >= 0xE0 && l <= 0xFF && l != 0xF0 && l != 0xF1 && l != 0xF7 &&
                       l != 0xE7 && l != 0xFE) ||
                      l == 0x153 || l == 0xE6;
        }
    }
    if (roman)
        return W_ROMAN;
    if (letters == cps && letters <= 5 && !vowels)
        return W_FINAL;
    if (memchr(w, '.', n)) {
        /* dot-separated pieces of at most 3 letters: U.S.A, J.-C, Ph.D, a.m */
        size_t piece = 0;
        for (size_t i = 0; i < n; i += k) {
            c = cp_at(w, i, n, &k);
            if (c == '.') {
                piece = 0;
            } else if (u_isalpha(c)) {
                if (++piece > 3)
                    return W_PLAIN;
            } else if (c != '-') {
                return W_PLAIN;
            }
        }
        return W_DOTTED;
    }
    return W_PLAIN;
}


/* ------------------------------------------------------- list items */

typedef struct list_marker {
    int active;
    UChar32 bullet;     /* bullet character, or 0 */
    int kind;           /* 1 number, 2 letter */
    long value;         /* number or letter */
    char suffix[3];     /* ".", ")" or ".)" */
    size_t after;       /* end of the marker */
    size_t scanned;     /* list_breaks searched up to here */
} list_marker;

/* Parse a list marker at t[i]: [bullet][ws] (digits{1,3} | letter) ("." | ")" | ".)") ws.
 * Returns the end of the marker (before the white space), or 0 if none. */
static size_t parse_marker(const char *t, size_t i, size_t e, list_marker *m, int need_bullet)
{
    memset(m, 0, sizeof *m);
    size_t n, j = i;
    if (j >= e)
        return 0;
    UChar32 c = cp_at(t, j, e, &n);
    if (is_bullet(c)) {
        m->bullet = c;
        j = skip_ws(t, j + n, e);
    } else if (need_bullet) {
        return 0;
    }
    size_t d = j;
    long v = 0;
    while (d < e && d - j < 3 && t[d] >= '0' && t[d] <= '9')
        v = v * 10 + (t[d++] - '0');
    if (d > j) {
        m->kind = 1;
        m->value = v;
    } else if ((d = j) < e && is_roman_letter((unsigned char)t[j]) && j + 1 < e &&
               (is_roman_letter((unsigned char)t[j + 1]) || t[j + 1] == '.')) {
        while (d < e && d - j < 6 && is_roman_letter((unsigned char)t[d]))
            d++;
        m->kind = 3; /* Roman numeral: no sequence check */
        m->value = -10;
    } else if (j < e && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z'))) {
        m->kind = 2;
        m->value = t[j];
        d = j + 1;
    } else {
        if (m->bullet) {
            m->active = 1;
            return j;
        }
        return 0;
    }
    size_t k = d;
    if (k < e && t[k] == '.')
        k++;
    if (k < e && t[k] == ')')
        k++;
    if (k == d || k - d > 2 || !ws_at(t, k, e)) {
        if (m->bullet) {
            m->kind = 0;
            m->active = 1;
            return j;
        }
        return 0;
    }
    memcpy(m->suffix, t + d, k - d);
    m->active = 1;
    return k;
}

/* The next item of list m in [from, lim): its offset, or 0. */
static size_t find_next_item(const char *t, size_t from, size_t lim, size_t e, const list_marker *m)
{
    for (size_t i = from; i < lim; i++) {
        size_t w = ws_at(t, i, e);
        if (!w)
            continue;
        size_t j = i + w;
        if (j >= lim)
            return 0;
        if (ws_at(t, j, e))
            continue;
        list_marker nm;
        size_t end = parse_marker(t, j, e, &nm, m->bullet != 0);
        if (!end)
            continue;
        if (m->bullet) {
            if (nm.bullet == m->bullet)
                return j;
            continue;
        }
        if (nm.kind == m->kind && nm.value == m->value + 1 && strcmp(nm.suffix, m->suffix) == 0)
            return j;
    }
    return 0;
}

/* ------------------------------------------------------- segmentation */

typedef struct run_state {
    const alinea_segmenter *s;
    const char *t;
    size_t p, e;       /* paragraph */
    size_t sent;       /* start of the current sentence */
    uint32_t para;
    int32_t icu;       /* current ICU boundary (relative to p), or UBRK_DONE */
    list_marker list;
    alinea_seg **segs;
    size_t *n, cap;
} run_state;

static alinea_status emit(alinea_ctx *ctx, run_state *r, size_t a, size_t b, uint32_t rule)
{
    size_t n;
    a = skip_ws(r->t, a, b);
    while (b > a) {
        size_t st;
        UChar32 c = cp_before(r->t, a, b, &st);
        if (!is_ws_cp(c))
            break;
        b = st;
    }
    (void)n;
    if (a == b)
        return ALINEA_OK;
    if (b - a > ALINEA_MAX_SEGMENT_BYTES) {
        ((alinea_segmenter *)r->s)->too_big_at = a;
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG,
                            "byte %zu: a sentence longer than %zu bytes (the limit); is there "
                            "no sentence punctuation in this paragraph?",
                            a, ALINEA_MAX_SEGMENT_BYTES);
    }
    alinea_status rc = alinea__grow(ctx, (void **)r->segs, &r->cap, *r->n + 1, sizeof **r->segs);
    if (rc == ALINEA_OK)
        (*r->segs)[(*r->n)++] = (alinea_seg){a, b, r->para, rule};
    return rc;
}

static void start_sentence(run_state *r, size_t at, int in_list)
{
    r->sent = skip_ws(r->t, at, r->e);
    size_t end = parse_marker(r->t, r->sent, r->e, &r->list, 0);
    /* a list by letters starts at a/A (else "J. K. Rowling" would be a list) */
    if (end && !in_list && r->list.kind == 2 && r->list.value != 'a' && r->list.value != 'A')
        end = 0;
    if (end)
        r->list.after = end;
    else
        r->list.active = 0;
}

static alinea_status break_at(alinea_ctx *ctx, run_state *r, size_t at, uint32_t rule)
{
    alinea_status rc = emit(ctx, r, r->sent, at, rule);
    start_sentence(r, at, rule == R_LIST);
    return rc;
}

/* Breaks before list items of the current sentence's list, up to lim. */
static alinea_status list_breaks(alinea_ctx *ctx, run_state *r, size_t lim)
{
    alinea_status rc = ALINEA_OK;
    while (r->list.active) {
        /* resume where the last search stopped (a marker starts after white space) */
        size_t from = r->list.scanned > r->list.after ? r->list.scanned : r->list.after;
        size_t at = find_next_item(r->t, from, lim, r->e, &r->list);
        if (!at) {
            if (lim > from + 1)
                r->list.scanned = lim - 1;
            break;
        }
        TRY(break_at(ctx, r, at, R_LIST));
    }
cleanup:
    return rc;
}

/* Whether ICU puts a boundary in (from, to]: inside the cluster or its spaces. */
static int icu_break_in(run_state *r, size_t from, size_t to)
{
    int32_t lo = (int32_t)(from - r->p), hi = (int32_t)(to - r->p);
    while (r->icu != UBRK_DONE && r->icu <= lo)
        r->icu = ubrk_next(r->s->bi);
    return r->icu != UBRK_DONE && r->icu <= hi;
}

/* Words in t[a, b), counted up to max (enough to decide, and linear overall). */
static size_t count_words(const char *t, size_t a, size_t b, size_t max)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = a; i < b && n < max;) {
        size_t w = ws_at(t, i, b);
        if (w) {
            in = 0;
            i += w;
        } else {
            if (!in)
                n++;
            in = 1;
            i++;
        }
    }
    return n;
}

enum { NX_END, NX_LOWER, NX_UPPER, NX_DIGIT, NX_OTHER };

typedef struct next_info {
    int kind;
    int letter_kind;   /* after openers: NX_LOWER / NX_UPPER / NX_DIGIT / NX_OTHER */
    size_t word, wlen; /* the next word (letters), after openers */
} next_info;

static int cp_kind(UChar32 c)
{
    if (u_isdigit(c))
        return NX_DIGIT;
    if (u_islower(c))
        return NX_LOWER;
    if (is_upper_cp(c) || u_isalpha(c))
        return NX_UPPER;
    return NX_OTHER;
}

static void next_word(const char *t, size_t i, size_t e, next_info *nx)
{
    memset(nx, 0, sizeof *nx);
    if (i >= e) {
        nx->kind = NX_END;
        return;
    }
    size_t n;
    UChar32 c = cp_at(t, i, e, &n);
    nx->kind = cp_kind(c);
    size_t j = i;
    while (j < e && (is_opener(c) || is_ws_cp(c))) {
        j += n;
        if (j >= e)
            break;
        c = cp_at(t, j, e, &n);
    }
    nx->letter_kind = j < e ? cp_kind(c) : NX_OTHER;
    nx->word = j;
    while (j < e && u_isalpha(c)) {
        j += n;
        if (j >= e)
            break;
        c = cp_at(t, j, e, &n);
    }
    nx->wlen = j - nx->word;
}

/* Decide a candidate. Returns 1 (break, *rule, *at) or 0 (no break). */
static int decide(run_state *r, const cluster *cl, size_t nstart, int missing_space,
                  uint32_t *rule, size_t *at)
{
    const alinea_segmenter *s = r->s;
    const char *t = r->t;
    next_info nx;
    next_word(t, nstart, r->e, &nx);
    *at = cl->end;
    if (nx.kind == NX_END)
        return 0;
    size_t ws = cl->attached ? word_start(t, r->sent, cl->start) : cl->start;
    int wclass = cl->attached && cl->first_is_dot ? classify_word(s, t + ws, cl->start - ws)
                                                  : W_PLAIN;
    if (missing_space) {
        if (wclass != W_PLAIN && wclass != W_NUMBER)
            return 0;
        *rule = R_MISSING_SPACE;
        return 1;
    }
    if (cl->bracketed)
        return 0; /* omission mark "(…)" */
    if (cl->first_is_dot && cl->attached && cl->spaced >= 3 && cl->ndots >= 4 &&
        nx.kind == NX_UPPER) {
        *at = cl->first_end; /* "word. . . . Next": the ellipsis opens the next sentence */
        *rule = R_PERIOD_ELLIPSIS;
        return 1;
    }
    if (cl->ends_closer && nx.kind == NX_LOWER)
        return 0; /* « … ! » dit-il */
    if (cl->footnote && nx.kind != NX_LOWER) {
        *rule = R_FOOTNOTE;
        return 1;
    }
    if (cl->last == T_QE) {
        if (nx.kind == NX_LOWER)
            return 0;
        *rule = R_QE;
        return 1;
    }
    if (cl->last == T_ELL) {
        if (nx.kind == NX_LOWER)
            return 0;
        /* a word that is always capitalised (English I) after an ellipsis is
         * no sign of a new sentence */
        if (nx.kind == NX_UPPER && set_has(s, SET_LETTERS, t + nx.word, nx.wlen))
            return 0;
        *rule = R_ELLIPSIS;
        return 1;
    }
    /* a period */
    size_t wl = cl->start - ws;
    if (r->list.active && r->list.kind && cl->start + strlen(r->list.suffix) == r->list.after)
        return 0; /* "1. ", "a. ", "IV. " opening the sentence: a list number */
    switch (wclass) {
    case W_NEVER:
        return 0;
    case W_INITIAL: {
        if (set_has(s, SET_LETTERS, t + ws, wl) && nx.kind == NX_UPPER && ws > r->sent) {
            size_t pe = ws, ps;
            while (pe > r->sent && is_ws_cp(cp_before(t, r->sent, pe, &ps)))
                pe = ps;
            size_t pw = word_start(t, r->sent, pe);
            size_t k;
            if (pw < pe && u_islower(cp_at(t, pw, pe, &k))) {
                *rule = R_LETTER_WORD;
                return 1;
            }
        }
        return 0;
    }
    case W_NUMBER:
        if (!(s->opts & OPT_ORDINAL_DOT))
            break;
        /* an ordinal is treated like an abbreviation that may end a sentence */
        /* fall through */
    case W_FINAL:
    case W_DOTTED:
    case W_LOWER_LETTER: {
        int k = nx.kind == NX_OTHER ? nx.letter_kind : nx.kind;
        if (k != NX_UPPER)
            return 0;
        int starter = set_has(s, SET_STARTERS, t + nx.word, nx.wlen) ||
                      ws_has(&s->sets[SET_NEVER], t + nx.word, nx.wlen);
        if (!starter || count_words(t, r->sent, cl->start, 4) < 4)
            return 0;
        *rule = wclass == W_NUMBER ? R_ORDINAL : R_ABBREV_FINAL;
        return 1;
    }
    default:
        break;
    }
    /* an ordinary word (or number, or Roman numeral) and a period */
    if (nx.kind == NX_LOWER) {
        if (!(s->opts & OPT_LOWER_BREAK) || cl->ends_closer || wclass == W_ROMAN)
            return 0;
        *rule = R_LOWER;
        return 1;
    }
    if (nx.kind == NX_DIGIT) {
        *rule = R_PERIOD_DIGIT;
        return 1;
    }
    if (nx.kind == NX_OTHER) {
        *rule = R_PERIOD_PUNCT;
        return 1;
    }
    *rule = R_ICU;
    return icu_break_in(r, cl->start, nstart);
}

/* "world.Today": a terminator between a lowercase word (or a number) and a
 * capitalised word, without a space, outside URLs and e-mail addresses. */
static int missing_space_at(const char *t, size_t p, size_t e, const cluster *cl)
{
    if (cl->end - cl->start != 1 || cl->end + 1 >= e || !cl->attached)
        return 0;
    size_t n, n2, ps;
    UChar32 c = cp_at(t, cl->end, e, &n);
    if (!is_upper_cp(c) || cl->end + n >= e)
        return 0;
    UChar32 c2 = cp_at(t, cl->end + n, e, &n2);
    if (!u_islower(c2))
        return 0;
    UChar32 b1 = cp_before(t, p, cl->start, &ps);
    if (!(b1 >= '0' && b1 <= '9')) {
        if (!u_islower(b1) || ps <= p || !u_islower(cp_before(t, p, ps, &ps)))
            return 0;
    }
    /* the whole token must not be a URL, an e-mail address or a file name */
    size_t a = word_start(t, p, cl->start), b = cl->end;
    while (b < e && b - cl->end < MAX_WORD && !ws_at(t, b, e))
        b++;
    if (memchr(t + a, '@', b - a) || has_substr(t + a, b - a, "://") ||
        has_substr(t + a, b - a, "www."))
        return 0;
    return 1;
}

/* Bytes that may start a terminator: . ! ? and the lead byte of U+2026, U+203C, U+2047-U+2049. */
static const unsigned char term_lead[256] = {['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE2] = 1};

static alinea_status run_paragraph(alinea_ctx *ctx, run_state *r)
{
    alinea_status rc = ALINEA_OK;
    const alinea_segmenter *s = r->s;
    const char *t = r->t;
    UErrorCode err = U_ZERO_ERROR;
    alinea_segmenter *ms = (alinea_segmenter *)s;
    ms->ut = utext_openUTF8(ms->ut, t + r->p, (int64_t)(r->e - r->p), &err);
    ubrk_setUText(ms->bi, ms->ut, &err);
    if (U_FAILURE(err))
        return alinea__fail(ctx, ALINEA_ERR_ICU, "break iterator: %s", u_errorName(err));
    r->icu = ubrk_first(ms->bi);
    start_sentence(r, r->p, 0);
    size_t i = r->p, e = r->e;
    while (i < e) {
        unsigned char b = (unsigned char)t[i];
        if (!term_lead[b]) {
            i++;
            continue;
        }
        size_t n;
        if (b == 0xE2 && !is_term(cp_at(t, i, e, &n))) {
            i++;
            continue;
        }
        cluster cl;
        parse_cluster(t, r->p, e, i, &cl);
        int missing = 0;
        if (cl.end < e && !ws_at(t, cl.end, e)) {
            missing = missing_space_at(t, r->sent, e, &cl);
            if (!missing) {
                i = cl.end > i ? cl.end : i + 1;
                continue;
            }
        }
        TRY(list_breaks(ctx, r, cl.start));
        uint32_t rule = 0;
        size_t at = cl.end;
        size_t nstart = skip_ws(t, cl.end, e);
        if (decide(r, &cl, nstart, missing, &rule, &at))
            TRY(break_at(ctx, r, at, rule));
        i = cl.end > i ? cl.end : i + 1;
    }
    TRY(list_breaks(ctx, r, e));
    TRY(emit(ctx, r, r->sent, e, R_PARAGRAPH));
cleanup:
    return rc;
}

/* U+2029 PARAGRAPH SEPARATOR (UTF-8 E2 80 A9) ends a paragraph in every mode. */
#define PARA_SEP "\xE2\x80\xA9"
#define PARA_SEP_LEN 3

/* Offset of the next U+2029 at or after p, or len. *ps caches the last answer
 * (SIZE_MAX: not searched yet), so a text is searched once in all. */
static size_t next_para_sep(const char *text, size_t p, size_t len, size_t *ps)
{
    if (*ps != SIZE_MAX && *ps >= p)
        return *ps;
    size_t i = p;
    while (i + PARA_SEP_LEN <= len) {
        const char *q = memchr(text + i, 0xE2, len - i - 2);
        if (!q)
            break;
        i = (size_t)(q - text);
        if (memcmp(q, PARA_SEP, PARA_SEP_LEN) == 0)
            return *ps = i;
        i++;
    }
    return *ps = len;
}

/* Offset where the paragraph starting at p ends (len if it runs to the end):
 * the line break that ends it (every one in line mode, one followed by an
 * empty line in blank mode) or a U+2029. *next is where the next paragraph
 * starts. *ps: see next_para_sep (set it to len to ignore U+2029). */
static size_t para_end(const char *text, size_t p, size_t len, alinea_para_mode mode, size_t *ps,
                       size_t *next)
{
    size_t sep = next_para_sep(text, p, len, ps);
    for (;;) {
        const char *nl = memchr(text + p, '\n', (sep < len ? sep : len) - p);
        if (!nl) {
            *next = sep < len ? sep + PARA_SEP_LEN : len;
            return sep;
        }
        size_t e = (size_t)(nl - text);
        *next = e + 1;
        if (mode == ALINEA_PARA_LINE)
            return e;
        size_t j = e + 1;
        while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\v' ||
                          text[j] == '\f'))
            j++;
        if (j >= len || text[j] == '\n')
            return e;
        p = e + 1;
    }
}

/* In blank mode, the first line of a paragraph when it looks like a heading:
 * at most 150 bytes, no sentence punctuation at its end (closing quotes
 * aside), and a next line that is longer and starts with a capital or a
 * digit. Returns the offset of its line break, or 0. A wrapped first line is
 * usually as long as the next one, so running text is left alone. */
static size_t heading_split(const char *t, size_t p, size_t e)
{
    size_t a = skip_ws(t, p, e);
    const char *nl = memchr(t + a, '\n', e - a);
    if (!nl)
        return 0;
    size_t le = (size_t)(nl - t), st;
    while (le > a && (t[le - 1] == ' ' || t[le - 1] == '\t' || t[le - 1] == '\r'))
        le--;
    if (le == a || le - a > 150)
        return 0;
    size_t end = le;
    UChar32 c = cp_before(t, a, end, &st);
    while (is_closer(c) && st > a) {
        end = st;
        c = cp_before(t, a, end, &st);
    }
    if (is_term(c) || c == ':' || c == ';' || c == ',')
        return 0;
    size_t b = (size_t)(nl - t) + 1, n;
    while (b < e && (t[b] == ' ' || t[b] == '\t'))
        b++;
    size_t b0 = b;
    while (b < e && is_opener(cp_at(t, b, e, &n)))
        b += n;
    if (b >= e)
        return 0;
    c = cp_at(t, b, e, &n);
    if (!is_upper_cp(c) && !u_isdigit(c))
        return 0;
    const char *nl2 = memchr(t + b0, '\n', e - b0);
    size_t next_len = (nl2 ? (size_t)(nl2 - t) : e) - b0;
    return next_len > le - a ? (size_t)(nl - t) : 0;
}

static alinea_para_mode detect_mode(const char *text, size_t len)
{
    size_t p = 0, ps = len, next; /* only line breaks count here, not U+2029 */
    while (p < len) {
        size_t e = para_end(text, p, len, ALINEA_PARA_BLANK, &ps, &next);
        if (e + 1 < len)
            return ALINEA_PARA_BLANK; /* a blank line ends this paragraph */
        p = next;
    }
    return ALINEA_PARA_LINE;
}

alinea_status alinea_segmenter_run(alinea_segmenter *s, const char *text, size_t len,
                                   alinea_seg **segs, size_t *n)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    *segs = NULL;
    *n = 0;
    if (len > ALINEA_MAX_INPUT_BYTES)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "input larger than %zu bytes",
                            ALINEA_MAX_INPUT_BYTES);
    run_state r = {.s = s, .t = text, .segs = segs, .n = n};
    alinea_para_mode mode = s->para == ALINEA_PARA_AUTO ? detect_mode(text, len) : s->para;
    uint32_t para = 0;
    size_t p = 0, ps = SIZE_MAX, next;
    while (p < len) {
        size_t e = para_end(text, p, len, mode, &ps, &next);
        int empty = skip_ws(text, p, e) == e;
        /* blank mode: a heading on the paragraph's first line is a paragraph */
        size_t h = !empty && mode == ALINEA_PARA_BLANK ? heading_split(text, p, e) : 0;
        for (int part = h ? 0 : 1; part < 2 && !empty; part++) {
            r.p = part == 0 ? p : h ? h + 1 : p;
            r.e = part == 0 ? h : e;
            r.para = para;
            if (s->srx)
                TRY(alinea__srx_run(ctx, s->srx, s->bi, &s->ut, text, r.p, r.e, para, segs, n,
                                    &r.cap));
            else
                TRY(run_paragraph(ctx, &r));
            para++;
        }
        p = next;
    }
cleanup:
    if (rc != ALINEA_OK) {
        free(*segs);
        *segs = NULL;
        *n = 0;
    }
    return rc;
}

/* ------------------------------------------------------- SRX export */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the entries of set as a regex alternation of \Q...\E literals; a
 * lowercase entry also gets its capitalised form. Empty set: "(?!)". */
static alinea_status add_alternation(alinea_ctx *ctx, alinea_buf *b, const wordset *w)
{
    alinea_status rc = ALINEA_OK;
    char **keys = NULL;
    size_t n = 0;
    if (w->n)
        keys = malloc(w->n * sizeof *keys);
    if (w->n && !keys)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < w->cap; i++)
        if (w->slot[i] && !strstr(w->slot[i], "\\E"))
            keys[n++] = w->slot[i];
    if (n)
        qsort(keys, n, sizeof *keys, cmp_str);
    TRY(alinea__buf_add(ctx, b, "(?:", 3));
    if (!n)
        TRY(alinea__buf_add(ctx, b, "(?!)", 4));
    for (size_t i = 0; i < n; i++) {
        TRY(alinea__buf_printf(ctx, b, "%s\\Q%s\\E", i ? "|" : "", keys[i]));
        size_t k, len = strlen(keys[i]);
        UChar32 c = cp_at(keys[i], 0, len, &k);
        if (u_islower(c)) {
            char up[8];
            int32_t o = 0;
            UBool err = 0;
            U8_APPEND((uint8_t *)up, o, 8, u_toupper(c), err);
            if (!err)
                TRY(alinea__buf_printf(ctx, b, "|\\Q%.*s%s\\E", (int)o, up, keys[i] + k));
        }
    }
    TRY(alinea__buf_add(ctx, b, ")", 1));
cleanup:
    free(keys);
    return rc;
}

alinea_status alinea_segmenter_export_srx(alinea_segmenter *s, FILE *f)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    if (s->srx)
        return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED,
                            "--export-srx writes Alinea's built-in rules, not a loaded SRX file");
    enum { NEVER, FINAL, STARTERS, LETTERS, NALT };
    char *alt[NALT] = {0};
    char *pat[16] = {0}; /* filled by PAT below, in order */
    size_t np = 0;
    for (int k = 0; k < NALT; k++) {
        alinea_buf b;
        alinea__buf_init(&b, ALINEA_MAX_DATA_FILE_BYTES);
        rc = add_alternation(ctx, &b, &s->sets[k]);
        if (rc != ALINEA_OK) {
            alinea__buf_free(&b);
            goto cleanup;
        }
        alt[k] = alinea__buf_take(&b);
    }
#define PAT(...)                                                                                   \
    do {                                                                                           \
        alinea_buf b_;                                                                             \
        alinea__buf_init(&b_, ALINEA_MAX_DATA_FILE_BYTES);                                         \
        rc = alinea__buf_printf(ctx, &b_, __VA_ARGS__);                                            \
        if (rc != ALINEA_OK) {                                                                     \
            alinea__buf_free(&b_);                                                                 \
            goto cleanup;                                                                          \
        }                                                                                          \
        pat[np++] = alinea__buf_take(&b_);                                                         \
    } while (0)
#define WB "(?<![\\p{L}\\p{N}])"
    PAT("(?<=\\b\\p{Ll}{1,40}\\s)%s\\.", alt[LETTERS]);      /* 0 */
    PAT(WB "%s\\.", alt[NEVER]);                     /* 1 */
    PAT(WB "%s\\.", alt[FINAL]);                     /* 2 */
    PAT("\\s+%s\\b", alt[STARTERS]);                 /* 3 */
    PAT("\\s+(?:\\p{Ll}|%s\\b)", alt[LETTERS]);    /* 4 */
    alinea__srx_desc d[] = {
        {0, "[\\(\\[](?:\\.\\.\\.|\u2026)[\\)\\]][\u00bb\u201d\u2019\"']*", "",
         "omission marks (...) and [...]"},
        {0, "\\.", "\\S*@", "e-mail addresses"},
        {1, "\\p{L}\\.", "\\s\\.\\s\\.\\s\\.\\s+\\p{Lu}",
         "a period then a spaced ellipsis before a capital: the ellipsis opens the next sentence"},
        {0, "\\.", "\\s\\.(?:\\s|$)", "no break inside a spaced ellipsis"},
        {0, "(?<=[^.\\s]\\s)\\.\\s\\.\\s\\.", pat[4],
         "spaced ellipsis before a lowercase word or a word always capitalised (English I)"},
        {0, "[.!?\u2026\u203c\u2047-\u2049]", "\\s*[\u00bb\u201d\\)\\]]",
         "a closing quote or bracket stays with its sentence"},
        {0, "[.!?\u2026][\u00bb\u201d\u2019\"'\\)\\]]|[.!?\u2026]\\s[\u00bb\u201d\\)]",
         "\\s+\\p{Ll}", "closing quote then a lowercase continuation"},
        {0, "[?!\u2026\u203c\u2047-\u2049]|\\.\\.\\.", "\\s+\\p{Ll}",
         "? ! or an ellipsis before a lowercase continuation"},
        {1, WB "\\p{L}{1,3}(?:\\.-?\\p{L}{1,3})+\\.", pat[3],
         "dotted abbreviations (U.S.A., J.-C.) before a sentence starter"},
        {1, pat[0], "\\s+\\p{Lu}", "single letters that are words (English I)"},
        {0, pat[1], "\\s", "abbreviations that never end a sentence (dict/abbrev [never])"},
        {0, "^\\s*(?:[\u2022\u2043]\\s*)?(?:\\d{1,3}|[a-zA-Z]|[IVXLCDM]{1,6})\\.", "\\s",
         "list numbering opening a segment"},
        {0, WB "\\p{Lu}\\.", "\\s", "initials"},
        {1, pat[2], pat[3],
         "abbreviations that may end a sentence, before a sentence starter (dict/abbrev [final], "
         "[starters]); Alinea also requires 4 words before, which SRX cannot express"},
        {(s->opts & OPT_ORDINAL_DOT) != 0, WB "\\d+\\.",
         (s->opts & OPT_ORDINAL_DOT) ? pat[3] : "\\s+\\p{Ll}",
         "a number and a period: an ordinal before a non-starter (ordinal-dot languages)"},
        {0, (s->opts & OPT_ORDINAL_DOT) ? WB "\\d+\\." : WB "(?!)\\d+\\.", "\\s",
         "ordinals (ordinal-dot languages)"},
        {0, pat[2], "\\s", "abbreviations that may end a sentence, elsewhere"},
        {0, WB "\\p{L}{1,3}(?:\\.-?\\p{L}{1,3})+\\.", "\\s", "dotted abbreviations, elsewhere"},
        {0, WB "\\p{Ll}\\.", "\\s", "single lowercase letters (s. for siecle, p. for page)"},
        {1, "[.!?\u2026][\u00bb\u201d\u2019\"'\\)\\]]*\\[\\d{1,5}\\]", "\\s", "footnote marks"},
        {(s->opts & OPT_LOWER_BREAK) != 0, "[\\p{L}\\p{N}]\\.", "\\s+\\p{Ll}",
         (s->opts & OPT_LOWER_BREAK) ? "a period after a word ends the sentence even before a "
                                       "lowercase word (lowercase-after-period)"
                                     : "a period before a lowercase word does not end the "
                                       "sentence"},
        {1, "(?:\\p{Ll}{2}|\\p{N})[.!?]", "\\p{Lu}\\p{Ll}",
         "a missing space after the period (outside URLs: Alinea checks the token)"},
        {1, "[.!?\u2026\u203c\u2047-\u2049]+(?:\\s*[\u00bb\u201d]|[\u2019\"'\\)\\]])*", "\\s",
         "the general case: a terminator, closing quotes or brackets, then white space"},
    };
    char comment[512];
    snprintf(comment, sizeof comment,
             " Alinea %s segmentation rules for '%s', written by the export-srx option of alinea segment. "
             "Built from dict/abbrev/%s.txt. Alinea itself runs these rules on ICU's sentence "
             "boundaries and adds what SRX cannot say (sentence length before an abbreviation, "
             "URL tokens, list sequences); this file is the closest plain SRX 2.0 equivalent. ",
             alinea_version(), s->lang, s->lang);
    char rname[64], lpat[64];
    snprintf(rname, sizeof rname, "Alinea-%s", s->lang);
    snprintf(lpat, sizeof lpat, "(?i)%s([-_].*)?", s->lang);
    rc = alinea__srx_write(ctx, f, rname, lpat, d, sizeof d / sizeof *d, comment);
cleanup:
    for (int k = 0; k < NALT; k++)
        free(alt[k]);
    for (size_t i = 0; i < np; i++)
        free(pat[i]);
    return rc;
#undef PAT
#undef WB
}

/* ------------------------------------------------------- files, streamed */

#define STREAM_MIN ((size_t)16 << 20)  /* smaller files are read whole */
#define STREAM_CHUNK ((size_t)4 << 20) /* bytes read at a time */

static alinea_status deliver(alinea_segmenter *s, const char *path, const char *text, size_t len,
                             size_t base, uint32_t para_base, uint32_t *paras, alinea_seg_fn fn,
                             void *ud)
{
    alinea_seg *segs = NULL;
    size_t n = 0;
    alinea_status rc = alinea_segmenter_run(s, text, len, &segs, &n);
    if (rc == ALINEA_ERR_TOO_BIG && !s->srx)
        alinea__fail(s->ctx, rc,
                     "%s: byte %zu: a sentence longer than %zu bytes (the limit); is there no "
                     "sentence punctuation in this paragraph?",
                     strcmp(path, "-") ? path : "<stdin>", base + s->too_big_at + 1,
                     ALINEA_MAX_SEGMENT_BYTES);
    for (size_t i = 0; rc == ALINEA_OK && i < n; i++) {
        alinea_seg g = segs[i];
        const char *bytes = text + g.start;
        g.start += base;
        g.end += base;
        g.paragraph += para_base;
        rc = fn(ud, &g, bytes);
    }
    *paras = n ? segs[n - 1].paragraph + 1 : 0;
    free(segs);
    return rc;
}

/* End of the last complete paragraph in buf[0, n) (just after its line
 * break), or 0 if there is none yet. */
static size_t last_cut(const char *buf, size_t n, alinea_para_mode mode)
{
    for (size_t i = n; i-- > 0;) {
        if (buf[i] != '\n')
            continue;
        if (mode == ALINEA_PARA_LINE)
            return i + 1;
        size_t j = i;
        while (j > 0 && (buf[j - 1] == ' ' || buf[j - 1] == '\t' || buf[j - 1] == '\r' ||
                         buf[j - 1] == '\v' || buf[j - 1] == '\f'))
            j--;
        if (j > 0 && buf[j - 1] == '\n')
            return i + 1;
    }
    return 0;
}

/* Read up to want bytes more into b (from f); sets *eof. */
static alinea_status fill(alinea_ctx *ctx, FILE *f, const char *path, alinea_buf *b,
                          size_t want, int *eof)
{
    char chunk[65536];
    while (want > 0) {
        size_t n = fread(chunk, 1, want < sizeof chunk ? want : sizeof chunk, f);
        if (n == 0) {
            if (ferror(f))
                return alinea__fail(ctx, ALINEA_ERR_IO, "%s: read error", path);
            *eof = 1;
            return ALINEA_OK;
        }
        alinea_status rc = alinea__buf_add(ctx, b, chunk, n);
        if (rc != ALINEA_OK)
            return rc == ALINEA_ERR_TOO_BIG
                       ? alinea__fail(ctx, rc, "%s: a paragraph is longer than %zu bytes", path,
                                      b->max)
                       : rc;
        want -= n;
    }
    return ALINEA_OK;
}

/* One pass over the file in paragraph-aligned chunks: check (decode and
 * discard) or segment (decode, segment, deliver). */
static alinea_status stream_pass(alinea_segmenter *s, FILE *f, const char *path, unsigned flags,
                                 alinea_para_mode mode, int check, int *has_blank, int *has_text,
                                 alinea_seg_fn fn, void *ud)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    alinea_buf b;
    alinea__buf_init(&b, ALINEA_MAX_SEGMENT_BYTES * 64);
    size_t base = 0;
    uint32_t para = 0;
    int eof = 0;
    char *utf8 = NULL;
    while (!eof || b.len) {
        if (!eof)
            TRY(fill(ctx, f, path, &b, STREAM_CHUNK, &eof));
        size_t cut = eof ? b.len : last_cut(b.data, b.len, mode == ALINEA_PARA_AUTO ? ALINEA_PARA_LINE : mode);
        if (cut == 0)
            continue; /* no complete paragraph yet: read more */
        size_t ulen;
        TRY(alinea_text_decode(ctx, path, b.data, cut, flags, &utf8, &ulen));
        size_t dropped = cut - ulen; /* a UTF-8 byte-order mark at the very start */
        if (check) {
            if (!*has_blank && detect_mode(utf8, ulen) == ALINEA_PARA_BLANK)
                *has_blank = 1;
            for (size_t k = 0; k < ulen && !*has_text; k++)
                *has_text = !strchr(" \t\r\n\f\v", utf8[k]);
            /* a blank line split across chunks: the cut always ends with \n */
            if (!*has_blank && base > 0 && ulen && (utf8[0] == '\n' || utf8[0] == '\r'))
                *has_blank = 1;
        } else {
            uint32_t np = 0;
            TRY(deliver(s, path, utf8, ulen, base + dropped, para, &np, fn, ud));
            para += np;
        }
        alinea_free(utf8);
        utf8 = NULL;
        base += cut;
        memmove(b.data, b.data + cut, b.len - cut);
        b.len -= cut;
    }
cleanup:
    alinea_free(utf8);
    alinea__buf_free(&b);
    return rc;
}

alinea_status alinea_segmenter_run_file(alinea_segmenter *s, const char *path, unsigned flags,
                                        alinea_seg_fn fn, void *ud)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    FILE *f = NULL;
    char *text = NULL;
    size_t len = 0;
    struct stat st;
    unsigned char head[3] = {0};
    int stream = strcmp(path, "-") != 0 && !(flags & ALINEA_TEXT_LENIENT) &&
                 stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > STREAM_MIN;
    if (stream) {
        f = fopen(path, "rb");
        if (!f)
            return alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
        size_t h = fread(head, 1, 3, f);
        if (h >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            stream = 0; /* UTF-16: converted as a whole by alinea_text_load */
        rewind(f);
    }
    if (!stream) {
        if (f)
            fclose(f);
        TRY(alinea_text_load(ctx, path, flags, &text, &len));
        size_t base = strcmp(path, "-") != 0 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        if (!base && strcmp(path, "-") != 0) {
            FILE *g = fopen(path, "rb");
            if (g) {
                base = fread(head, 1, 3, g) == 3 && head[0] == 0xEF && head[1] == 0xBB &&
                               head[2] == 0xBF ? 3 : 0;
                fclose(g);
            }
        }
        uint32_t np;
        rc = deliver(s, path, text, len, base, 0, &np, fn, ud);
        goto cleanup;
    }
    /* pass 1: validate the whole file and settle --paragraphs=auto, in bounded memory */
    int has_blank = 0, has_text = 0;
    rc = stream_pass(s, f, path, flags, s->para, 1, &has_blank, &has_text, NULL, NULL);
    if (rc == ALINEA_ERR_ENCODING) {
        /* the chunk's message has chunk-relative lines: report as for a whole file */
        fclose(f);
        f = NULL;
        rc = alinea_text_load(ctx, path, flags, &text, &len);
        if (rc == ALINEA_OK)
            rc = alinea__fail(ctx, ALINEA_ERR_ENCODING, "%s: invalid text", path);
        goto cleanup;
    }
    TRY(rc);
    if (!has_text)
        alinea__warn(ctx, "%s: the file contains only white space", path);
    alinea_para_mode saved = s->para;
    if (s->para == ALINEA_PARA_AUTO)
        s->para = has_blank ? ALINEA_PARA_BLANK : ALINEA_PARA_LINE;
    rewind(f);
    rc = stream_pass(s, f, path, flags, s->para, 0, NULL, NULL, fn, ud);
    s->para = saved;
cleanup:
    if (f)
        fclose(f);
    alinea_free(text);
    return rc;
}
