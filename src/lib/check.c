/* check.c - the QA checker: numbers, dates, times and codes by value, named
 * entities through glossaries, and the standard checks. */
#define _POSIX_C_SOURCE 200809L
#include "qa_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

enum {
    C_NUMBER, C_AMBIGUOUS, C_ORDINAL, C_DATE, C_TIME, C_CODE, C_ENTITY, C_ENTITY_EXTRA,
    C_EMPTY, C_IDENTICAL, C_WHITESPACE, C_DOUBLE_SPACE, C_END_PUNCT, C_BRACKETS, C_URL,
    C_PLACEHOLDER, C_SPELLING, C_LENGTH, C_CONSISTENCY, C_TERMINOLOGY, C_COUNT
};

static const alinea_check_info CHECKS[C_COUNT] = {
    {"number", ALINEA_SEV_ERROR, 1, "numbers compared by value: missing, extra or changed"},
    {"ambiguous", ALINEA_SEV_WARNING, 1, "a separator that the two locales read differently (1,250)"},
    {"ordinal", ALINEA_SEV_ERROR, 1, "malformed ordinal suffix in the target (3th)"},
    {"date", ALINEA_SEV_ERROR, 1, "dates compared by day and month"},
    {"time", ALINEA_SEV_ERROR, 1, "times of day compared in minutes"},
    {"code", ALINEA_SEV_ERROR, 1, "codes and identifiers compared as whole tokens"},
    {"entity", ALINEA_SEV_ERROR, 1, "a name, acronym or glossary term missing in the target"},
    {"entity-extra", ALINEA_SEV_WARNING, 1, "a name in the target that the source does not have"},
    {"empty", ALINEA_SEV_WARNING, 1, "empty target"},
    {"identical", ALINEA_SEV_WARNING, 1, "target identical to a source with words to translate"},
    {"whitespace", ALINEA_SEV_WARNING, 1, "leading or trailing whitespace mismatch"},
    {"double-space", ALINEA_SEV_WARNING, 1, "two spaces in a row in the target only"},
    {"end-punct", ALINEA_SEV_WARNING, 1, "end punctuation mismatch"},
    {"brackets", ALINEA_SEV_WARNING, 1, "unbalanced brackets or quotes in the target only"},
    {"url", ALINEA_SEV_ERROR, 1, "URL or e-mail address mismatch"},
    {"placeholder", ALINEA_SEV_ERROR, 1, "inline tag or placeholder mismatch"},
    {"spelling", ALINEA_SEV_WARNING, 0, "target word unknown to hunspell"},
    {"length", ALINEA_SEV_WARNING, 1, "target/source length ratio outlier"},
    {"consistency", ALINEA_SEV_WARNING, 1, "inconsistent translations across the file"},
    {"terminology", ALINEA_SEV_ERROR, 1, "a user glossary term's translation is missing"},
};

const alinea_check_info *alinea_check_table(size_t *n)
{
    *n = C_COUNT;
    return CHECKS;
}

const char *alinea_severity_name(alinea_severity sev)
{
    switch (sev) {
    case ALINEA_SEV_ERROR: return "error";
    case ALINEA_SEV_WARNING: return "warning";
    default: return "info";
    }
}

/* 16 bytes per distinct unit and table: the key's 64-bit hash, 32 bits of
 * the other side's hash, and the unit number (0: empty slot). */
typedef struct seen_unit {
    uint64_t src;
    uint32_t tgt;
    uint32_t unit;
} seen_unit;

typedef struct suppression {
    uint64_t hash;
    int check;
} suppression;

struct alinea_checker {
    alinea_ctx *ctx;
    qa_lang src, tgt;
    UTransliterator *fold;
    qa_glossary *gloss;
    qa_glossary *user;
    int enabled[C_COUNT];
    alinea_severity sev[C_COUNT];
    suppression *supp;
    size_t nsupp, capsupp;
    /* consistency: open-addressing tables keyed by source and target hash */
    seen_unit *by_src, *by_tgt;
    size_t cons_cap, cons_n;
    uint32_t unit;
    URegularExpression *url_re;
    URegularExpression *ph_re;
    /* scratch */
    qa_tokens stok, ttok;
    alinea_number *snum, *tnum;
    size_t nsnum, ntnum, capsnum, captnum;
    qa_gloss_hit *hits;
    size_t nhits, caphits;
    alinea_finding *f;
    size_t nf, capf;
    const char *s, *t;
    size_t sl, tl;
    unsigned smay, tmay; /* may_match bits of the source and target */
};

static int check_index(const char *id)
{
    for (int i = 0; i < C_COUNT; i++)
        if (strcmp(CHECKS[i].id, id) == 0)
            return i;
    return -1;
}

alinea_status alinea_checker_enable(alinea_checker *chk, const char *id, int on)
{
    if (strcmp(id, "all") == 0) {
        for (int i = 0; i < C_COUNT; i++)
            chk->enabled[i] = on;
        return ALINEA_OK;
    }
    int k = check_index(id);
    if (k < 0)
        return alinea__fail(chk->ctx, ALINEA_ERR_INVALID, "unknown check '%s'", id);
    chk->enabled[k] = on;
    return ALINEA_OK;
}

alinea_status alinea_checker_set_severity(alinea_checker *chk, const char *id, alinea_severity sev)
{
    int k = check_index(id);
    if (k < 0)
        return alinea__fail(chk->ctx, ALINEA_ERR_INVALID, "unknown check '%s'", id);
    chk->sev[k] = sev;
    return ALINEA_OK;
}

static void fold_close(UTransliterator *t)
{
    if (t)
        utrans_close(t);
}

alinea_status alinea_checker_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                                 alinea_checker **out)
{
    alinea_status rc = ALINEA_OK;
    char sl[32], tl[32], rel[96], path[4096];
    *out = NULL;
    alinea_checker *c = NULL;
    if (!srclang || !tgtlang)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "the checker needs two languages");
    TRY(alinea_lang_normalize(srclang, sl, sizeof sl));
    TRY(alinea_lang_normalize(tgtlang, tl, sizeof tl));
    c = calloc(1, sizeof *c);
    CHECK_ALLOC(ctx, c);
    c->ctx = ctx;
    for (int i = 0; i < C_COUNT; i++) {
        c->enabled[i] = CHECKS[i].enabled;
        c->sev[i] = CHECKS[i].severity;
    }
    UErrorCode e = U_ZERO_ERROR;
    c->fold = utrans_openU(u"Any-Latin; Latin-ASCII; Lower", -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    if (U_FAILURE(e)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU transliterator: %s", u_errorName(e));
        goto cleanup;
    }
    TRY(qa_lang_init(&c->src, ctx, sl, c->fold));
    TRY(qa_lang_init(&c->tgt, ctx, tl, c->fold));
    c->url_re = uregex_openC("(?:https?|ftp)://[^\\s<>\"'\\u00ab\\u00bb]+[^\\s<>\"'.,;:!?)\\u00ab\\u00bb]"
                             "|www\\.[^\\s<>\"']+[^\\s<>\"'.,;:!?)]"
                             "|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+",
                             0, NULL, &e);
    c->ph_re = uregex_openC("%(?:\\d+\\$)?[-+#0]*\\d*(?:\\.\\d+)?(?:l{0,2}|h{0,2}|z)[sdifuxXoeEgGcp@](?![\\p{L}\\p{N}])"
                            "|\\{\\{?[\\w.]*\\}?\\}|\\$\\{\\w+\\}|</?[A-Za-z][\\w:-]*(?:\\s[^<>]*)?/?>"
                            "|\\uFFFC",
                            0, NULL, &e);
    if (U_FAILURE(e)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU regex: %s", u_errorName(e));
        goto cleanup;
    }
    /* Shipped glossary: dict/glossary/SRC-TGT.tsv (primary subtags). */
    snprintf(rel, sizeof rel, "glossary/%s-%s.tsv", c->src.lang, c->tgt.lang);
    if (alinea__data_path(ctx, rel, path, sizeof path) == ALINEA_OK)
        TRY(qa_glossary_load(ctx, &c->src, &c->tgt, path, sl, tl, &c->gloss));
    *out = c;
    c = NULL;
cleanup:
    alinea_checker_free(c);
    return rc;
}

void alinea_checker_free(alinea_checker *c)
{
    if (!c)
        return;
    qa_lang_free(&c->src);
    qa_lang_free(&c->tgt);
    fold_close(c->fold);
    qa_glossary_free(c->gloss);
    qa_glossary_free(c->user);
    if (c->url_re)
        uregex_close(c->url_re);
    if (c->ph_re)
        uregex_close(c->ph_re);
    free(c->supp);
    free(c->by_src);
    free(c->by_tgt);
    free(c->stok.t);
    free(c->ttok.t);
    free(c->snum);
    free(c->tnum);
    free(c->hits);
    alinea_findings_free(c->f, c->nf);
    free(c);
}

alinea_status alinea_checker_add_glossary(alinea_checker *c, const char *path)
{
    char sl[16], tl[16];
    snprintf(sl, sizeof sl, "%s", c->src.lang);
    snprintf(tl, sizeof tl, "%s", c->tgt.lang);
    return qa_glossary_load(c->ctx, &c->src, &c->tgt, path, sl, tl, &c->user);
}

static uint64_t fnv64(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Hash of a text for the consistency tables (not stored anywhere): eight
 * bytes at a time, multiply and fold (the final mix is MurmurHash3's fmix64). */
static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, n - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

static uint64_t unit_hash(const char *src, size_t sl, const char *tgt, size_t tl)
{
    uint64_t h = fnv64(14695981039346656037ull, src, sl);
    h = fnv64(h, "", 1);
    return fnv64(h, tgt, tl);
}

void alinea_unit_hash(const char *src, size_t sl, const char *tgt, size_t tl, char buf[17])
{
    snprintf(buf, 17, "%016llx", (unsigned long long)unit_hash(src, sl, tgt, tl));
}

alinea_status alinea_checker_add_suppressions(alinea_checker *c, const char *path)
{
    alinea_status rc = ALINEA_OK;
    char *data = NULL;
    size_t len = 0, line = 0;
    TRY(alinea__read_file(c->ctx, path, ALINEA_MAX_DATA_FILE_BYTES, &data, &len));
    for (char *p = data; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        line++;
        size_t n = strlen(p);
        if (n && p[n - 1] == '\r')
            p[--n] = 0;
        if (n && p[0] != '#') {
            char *tab = strchr(p, '\t');
            char *end = NULL;
            unsigned long long h = strtoull(p, &end, 16);
            if (!tab || end != tab || tab - p != 16) {
                rc = alinea__fail(c->ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: expected 'HASH<TAB>CHECK-ID' (16 hex digits)", path,
                                  line);
                goto cleanup;
            }
            char *id = tab + 1;
            char *tab2 = strchr(id, '\t');
            if (tab2)
                *tab2 = 0;
            int k = check_index(id);
            if (k < 0) {
                rc = alinea__fail(c->ctx, ALINEA_ERR_FORMAT, "%s:%zu: unknown check '%s'", path,
                                  line, id);
                goto cleanup;
            }
            TRY(alinea__grow(c->ctx, (void **)&c->supp, &c->capsupp, c->nsupp + 1,
                             sizeof *c->supp));
            c->supp[c->nsupp].hash = h;
            c->supp[c->nsupp].check = k;
            c->nsupp++;
        }
        p = nl ? nl + 1 : NULL;
    }
cleanup:
    free(data);
    return rc;
}

void alinea_findings_free(alinea_finding *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++)
        free(f[i].message);
    free(f);
}

/* ------------------------------------------------------------ findings */

static alinea_status add(alinea_checker *c, int check, size_t ss, size_t se, size_t ts,
                         size_t te, const char *fmt, ...) ALINEA_PRINTF(7, 8);

static alinea_status add(alinea_checker *c, int check, size_t ss, size_t se, size_t ts,
                         size_t te, const char *fmt, ...)
{
    if (!c->enabled[check])
        return ALINEA_OK;
    alinea_status rc = alinea__grow(c->ctx, (void **)&c->f, &c->capf, c->nf + 1, sizeof *c->f);
    if (rc != ALINEA_OK)
        return rc;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    alinea_finding *f = &c->f[c->nf];
    f->message = alinea__strdup(buf);
    if (!f->message)
        return alinea__fail(c->ctx, ALINEA_ERR_NOMEM, "out of memory");
    f->check = CHECKS[check].id;
    f->severity = c->sev[check];
    f->src_start = ss;
    f->src_end = se;
    f->tgt_start = ts;
    f->tgt_end = te;
    c->nf++;
    return ALINEA_OK;
}

/* A span of text as a printable excerpt (at most 60 bytes, whole characters). */
static const char *ex(const char *t, size_t a, size_t b, char *buf, size_t cap)
{
    size_t n = b - a;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)t[a + n] & 0xC0) == 0x80)
            n--;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, t + a, n);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\n' || buf[i] == '\t')
            buf[i] = ' ';
    return buf;
}

static void fmt_value(double v, char *buf, size_t cap)
{
    if (fabs(v) < 1e15 && v == floor(v))
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.10g", v);
}

/* ---------------------------------------------------- numbers and dates */

static int same_value(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static alinea_status copy_nums(alinea_checker *c, qa_lang *L, const char *t, size_t len,
                               alinea_number **dst, size_t *nd, size_t *cap)
{
    const alinea_number *nums;
    size_t n;
    alinea_status rc = alinea_numscan_run(L->nums, t, len, &nums, &n);
    if (rc != ALINEA_OK)
        return rc;
    rc = alinea__grow(c->ctx, (void **)dst, cap, n + 1, sizeof **dst);
    if (rc != ALINEA_OK)
        return rc;
    if (n)
        memcpy(*dst, nums, n * sizeof *nums);
    *nd = n;
    return ALINEA_OK;
}

#define USED 0x80000000u

static int contains_text(const char *hay, size_t hl, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0 || nl > hl)
        return 0;
    for (size_t i = 0; i + nl <= hl; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            return 1;
    return 0;
}

static alinea_status check_codes(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    char a[64], b[64];
    alinea_number *S = c->snum, *T = c->tnum;
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_CODE)
            continue;
        for (size_t j = 0; j < c->ntnum; j++)
            if (T[j].kind == ALINEA_NUM_CODE && !(T[j].flags & USED) &&
                strcmp(S[i].code, T[j].code) == 0) {
                S[i].flags |= USED;
                T[j].flags |= USED;
                break;
            }
        if (!(S[i].flags & USED) && contains_text(c->t, c->tl, S[i].code))
            S[i].flags |= USED;
    }
    for (size_t j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_CODE && !(T[j].flags & USED) &&
            contains_text(c->s, c->sl, T[j].code))
            T[j].flags |= USED;
    size_t j = 0;
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_CODE || (S[i].flags & USED))
            continue;
        while (j < c->ntnum && (T[j].kind != ALINEA_NUM_CODE || (T[j].flags & USED)))
            j++;
        if (j < c->ntnum) {
            TRY(add(c, C_CODE, S[i].start, S[i].end, T[j].start, T[j].end,
                    "code '%s' in the source is '%s' in the target", S[i].code, T[j].code));
            T[j].flags |= USED;
        } else {
            TRY(add(c, C_CODE, S[i].start, S[i].end, 0, 0,
                    "code '%s' is missing in the target", S[i].code));
        }
        S[i].flags |= USED;
    }
    for (j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_CODE && !(T[j].flags & USED))
            TRY(add(c, C_CODE, 0, 0, T[j].start, T[j].end,
                    "code '%s' in the target is not in the source",
                    ex(c->t, T[j].start, T[j].end, b, sizeof b)));
    (void)a;
cleanup:
    return rc;
}

static const char *month_name(int m)
{
    static const char *const names[] = {"January", "February", "March", "April",
                                        "May", "June", "July", "August",
                                        "September", "October", "November", "December"};
    return m >= 1 && m <= 12 ? names[m - 1] : "?";
}

static alinea_status check_dates(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    alinea_number *S = c->snum, *T = c->tnum;
    char a[80], b[80];
    /* full dates, then month-only */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->nsnum; i++) {
            if (S[i].kind != ALINEA_NUM_DATE || (S[i].flags & USED))
                continue;
            for (size_t j = 0; j < c->ntnum; j++) {
                if (T[j].kind != ALINEA_NUM_DATE || (T[j].flags & USED) ||
                    T[j].month != S[i].month)
                    continue;
                if (pass == 0 && T[j].day != S[i].day)
                    continue;
                if (pass == 1 && S[i].day && T[j].day && S[i].day != T[j].day)
                    continue;
                S[i].flags |= USED;
                T[j].flags |= USED;
                break;
            }
        }
    size_t j = 0;
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_DATE || (S[i].flags & USED))
            continue;
        while (j < c->ntnum && (T[j].kind != ALINEA_NUM_DATE || (T[j].flags & USED)))
            j++;
        int full = S[i].day > 0 || (j < c->ntnum && T[j].day > 0);
        int check = full ? C_DATE : C_DATE;
        alinea_severity keep = c->sev[check];
        if (!full)
            c->sev[check] = ALINEA_SEV_WARNING < keep ? ALINEA_SEV_WARNING : keep;
        if (j < c->ntnum) {
            rc = add(c, check, S[i].start, S[i].end, T[j].start, T[j].end,
                     "date '%s' (%d %s) in the source is '%s' (%d %s) in the target",
                     ex(c->s, S[i].start, S[i].end, a, sizeof a), S[i].day, month_name(S[i].month),
                     ex(c->t, T[j].start, T[j].end, b, sizeof b), T[j].day, month_name(T[j].month));
            T[j].flags |= USED;
        } else {
            rc = add(c, check, S[i].start, S[i].end, 0, 0, "date '%s' is missing in the target",
                     ex(c->s, S[i].start, S[i].end, a, sizeof a));
        }
        c->sev[check] = keep;
        if (rc != ALINEA_OK)
            goto cleanup;
    }
    for (j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_DATE && !(T[j].flags & USED)) {
            alinea_severity keep = c->sev[C_DATE];
            if (T[j].day == 0 && keep > ALINEA_SEV_WARNING)
                c->sev[C_DATE] = ALINEA_SEV_WARNING;
            rc = add(c, C_DATE, 0, 0, T[j].start, T[j].end,
                     "date '%s' in the target is not in the source",
                     ex(c->t, T[j].start, T[j].end, b, sizeof b));
            c->sev[C_DATE] = keep;
            if (rc != ALINEA_OK)
                goto cleanup;
        }
cleanup:
    return rc;
}

static alinea_status check_times(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    alinea_number *S = c->snum, *T = c->tnum;
    char a[80], b[80];
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_TIME)
            continue;
        for (size_t j = 0; j < c->ntnum; j++)
            if (T[j].kind == ALINEA_NUM_TIME && !(T[j].flags & USED) &&
                T[j].minutes == S[i].minutes) {
                S[i].flags |= USED;
                T[j].flags |= USED;
                break;
            }
    }
    size_t j = 0;
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_TIME || (S[i].flags & USED))
            continue;
        while (j < c->ntnum && (T[j].kind != ALINEA_NUM_TIME || (T[j].flags & USED)))
            j++;
        if (j < c->ntnum) {
            TRY(add(c, C_TIME, S[i].start, S[i].end, T[j].start, T[j].end,
                    "time '%s' (%02d:%02d) in the source is '%s' (%02d:%02d) in the target",
                    ex(c->s, S[i].start, S[i].end, a, sizeof a), S[i].minutes / 60,
                    S[i].minutes % 60, ex(c->t, T[j].start, T[j].end, b, sizeof b),
                    T[j].minutes / 60, T[j].minutes % 60));
            T[j].flags |= USED;
        } else {
            TRY(add(c, C_TIME, S[i].start, S[i].end, 0, 0, "time '%s' is missing in the target",
                    ex(c->s, S[i].start, S[i].end, a, sizeof a)));
        }
    }
    for (j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_TIME && !(T[j].flags & USED))
            TRY(add(c, C_TIME, 0, 0, T[j].start, T[j].end,
                    "time '%s' in the target is not in the source",
                    ex(c->t, T[j].start, T[j].end, b, sizeof b)));
cleanup:
    return rc;
}

/* Pair numbers of kind ka on one side with kb on the other by value. */
static void match_values(alinea_number *A, size_t na, alinea_numkind ka, alinea_number *B,
                         size_t nb, alinea_numkind kb, int use_alt)
{
    for (size_t i = 0; i < na; i++) {
        if (A[i].kind != ka || (A[i].flags & USED))
            continue;
        for (size_t j = 0; j < nb; j++) {
            if (B[j].kind != kb || (B[j].flags & USED))
                continue;
            int eq = same_value(A[i].value, B[j].value);
            if (!eq && use_alt)
                eq = (!isnan(A[i].alt) && same_value(A[i].alt, B[j].value)) ||
                     (!isnan(B[j].alt) && same_value(A[i].value, B[j].alt));
            if (eq) {
                A[i].flags |= USED | (use_alt ? 0x40000000u : 0);
                B[j].flags |= USED;
                break;
            }
        }
    }
}

static alinea_status check_numbers(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    alinea_number *S = c->snum, *T = c->tnum;
    char a[80], b[80], va[40], vb[40];
    /* malformed ordinals in the target */
    for (size_t j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_VALUE && (T[j].flags & ALINEA_NUMF_MALFORMED)) {
            char want[32];
            if (alinea__numscan_ordinal(c->tgt.nums, T[j].value, want, sizeof want) != 0)
                strcpy(want, "?");
            TRY(add(c, C_ORDINAL, 0, 0, T[j].start, T[j].end,
                    "malformed ordinal '%s' (expected '%s')",
                    ex(c->t, T[j].start, T[j].end, b, sizeof b), want));
        }
    match_values(S, c->nsnum, ALINEA_NUM_VALUE, T, c->ntnum, ALINEA_NUM_VALUE, 0);
    match_values(S, c->nsnum, ALINEA_NUM_VALUE, T, c->ntnum, ALINEA_NUM_SPELLED, 0);
    match_values(T, c->ntnum, ALINEA_NUM_VALUE, S, c->nsnum, ALINEA_NUM_SPELLED, 0);
    match_values(S, c->nsnum, ALINEA_NUM_VALUE, T, c->ntnum, ALINEA_NUM_VALUE, 1);
    for (size_t i = 0; i < c->nsnum; i++)
        if ((S[i].flags & 0x40000000u) && S[i].kind == ALINEA_NUM_VALUE) {
            /* matched only through the other reading of a separator */
            size_t j;
            for (j = 0; j < c->ntnum; j++)
                if (T[j].kind == ALINEA_NUM_VALUE &&
                    ((!isnan(S[i].alt) && same_value(S[i].alt, T[j].value)) ||
                     (!isnan(T[j].alt) && same_value(S[i].value, T[j].alt))))
                    break;
            size_t ts = j < c->ntnum ? T[j].start : 0, te = j < c->ntnum ? T[j].end : 0;
            fmt_value(S[i].value, va, sizeof va);
            fmt_value(j < c->ntnum ? T[j].value : 0, vb, sizeof vb);
            TRY(add(c, C_AMBIGUOUS, S[i].start, S[i].end, ts, te,
                    "'%s' reads %s in the source language but '%s' reads %s in the target "
                    "language (one separator followed by three digits)",
                    ex(c->s, S[i].start, S[i].end, a, sizeof a), va,
                    j < c->ntnum ? ex(c->t, ts, te, b, sizeof b) : "?", vb));
        }
    size_t j = 0;
    for (size_t i = 0; i < c->nsnum; i++) {
        if (S[i].kind != ALINEA_NUM_VALUE || (S[i].flags & USED))
            continue;
        while (j < c->ntnum && (T[j].kind != ALINEA_NUM_VALUE || (T[j].flags & USED)))
            j++;
        fmt_value(S[i].value, va, sizeof va);
        if (j < c->ntnum) {
            fmt_value(T[j].value, vb, sizeof vb);
            TRY(add(c, C_NUMBER, S[i].start, S[i].end, T[j].start, T[j].end,
                    "number '%s' (%s) in the source is '%s' (%s) in the target",
                    ex(c->s, S[i].start, S[i].end, a, sizeof a), va,
                    ex(c->t, T[j].start, T[j].end, b, sizeof b), vb));
            T[j].flags |= USED;
        } else {
            TRY(add(c, C_NUMBER, S[i].start, S[i].end, 0, 0,
                    "number '%s' (%s) is missing in the target",
                    ex(c->s, S[i].start, S[i].end, a, sizeof a), va));
        }
    }
    for (j = 0; j < c->ntnum; j++)
        if (T[j].kind == ALINEA_NUM_VALUE && !(T[j].flags & USED)) {
            fmt_value(T[j].value, vb, sizeof vb);
            TRY(add(c, C_NUMBER, 0, 0, T[j].start, T[j].end,
                    "number '%s' (%s) in the target is not in the source",
                    ex(c->t, T[j].start, T[j].end, b, sizeof b), vb));
        }
cleanup:
    return rc;
}

/* ------------------------------------------------------------ entities */

static int token_matches(qa_lang *tl, const qa_token *st, const qa_token *tt, const char *t,
                         int stems)
{
    /* every way to match below needs the same first letter, but for a
     * compound (AI-diensten ~ AI) */
    if (st->fold[0] != tt->fold[0] && !((st->flags | tt->flags) & QA_TOK_HYPHEN))
        return 0;
    if (strcmp(st->fold, tt->fold) == 0)
        return 1;
    /* inflection: Israël / Israëls, Netanyahu / Netanyahus */
    if (qa_fold_match(tt->fold, st->fold) || qa_fold_match(st->fold, tt->fold))
        return 1;
    /* derivation of a name: Israël / Israëlische, Israel / Israeli */
    size_t ls = strlen(st->fold), lt = strlen(tt->fold);
    if (ls >= 5 && lt > ls && lt - ls <= 6 && memcmp(tt->fold, st->fold, ls) == 0)
        return 1;
    if (lt >= 5 && ls > lt && ls - lt <= 6 && memcmp(st->fold, tt->fold, lt) == 0)
        return 1;
    if (stems && (tt->flags & (QA_TOK_CAP | QA_TOK_ALLCAPS)) && tt->fold[0] == st->fold[0] &&
        strlen(tt->fold) > 3) {
        char st4[4][64];
        int n = qa_stems(tl, t + tt->start, tt->end - tt->start, st4, 4);
        for (int k = 0; k < n; k++)
            if (strcmp(st4[k], st->fold) == 0)
                return 1;
    }
    return 0;
}

static int gloss_hit_tgt(alinea_checker *c, const qa_glossary *g, size_t e)
{
    size_t lo, hi;
    qa_glossary_alts(g, e, &lo, &hi);
    for (size_t k = lo; k < hi; k++) {
        size_t n = 0;
        long at = qa_glossary_find_tgt(g, k, &c->ttok, &n);
        if (at >= 0) {
            for (size_t q = 0; q < n; q++)
                c->ttok.t[(size_t)at + q].flags |= QA_TOK_USED | QA_TOK_GLOSS;
            return 1;
        }
    }
    return 0;
}

/* Longest terms first; then the term closest to the token (européen
 * before Europe for "européen"); then text order. */
static int hit_before(const qa_glossary *g, const qa_gloss_hit *x, const qa_gloss_hit *y)
{
    if (x->n != y->n)
        return x->n > y->n;
    size_t lx = strlen(qa_glossary_src(g, x->entry)), ly = strlen(qa_glossary_src(g, y->entry));
    if (lx != ly)
        return lx > ly;
    return x->first < y->first;
}

static void sort_hits(const qa_glossary *g, qa_gloss_hit *h, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        qa_gloss_hit k = h[i];
        size_t j = i;
        while (j > 0 && hit_before(g, &k, &h[j - 1])) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = k;
    }
}

static alinea_status glossary_pass(alinea_checker *c, const qa_glossary *g, int user)
{
    alinea_status rc = ALINEA_OK;
    char a[128], b[256];
    c->nhits = 0;
    TRY(qa_glossary_find_src(c->ctx, g, &c->stok, &c->hits, &c->nhits, &c->caphits));
    sort_hits(g, c->hits, c->nhits);
    for (size_t h = 0; h < c->nhits; h++) {
        qa_gloss_hit *hit = &c->hits[h];
        int taken = 0;
        for (size_t q = 0; q < hit->n; q++)
            taken |= (c->stok.t[hit->first + q].flags & QA_TOK_GLOSS) != 0;
        if (taken)
            continue;
        for (size_t q = 0; q < hit->n; q++)
            c->stok.t[hit->first + q].flags |= QA_TOK_GLOSS;
        size_t ss = c->stok.t[hit->first].start, se = c->stok.t[hit->first + hit->n - 1].end;
        if (gloss_hit_tgt(c, g, hit->entry)) {
            for (size_t q = 0; q < hit->n; q++)
                c->stok.t[hit->first + q].flags |= QA_TOK_USED;
            continue;
        }
        /* an identical or folded copy of the term (a name kept as is) is fine */
        int kept = 1;
        for (size_t q = 0; q < hit->n && kept; q++) {
            const qa_token *st = &c->stok.t[hit->first + q];
            int found = 0;
            for (size_t k = 0; k < c->ttok.n && !found; k++)
                found = qa_fold_match(c->ttok.t[k].fold, st->fold);
            kept = found;
        }
        if (kept)
            continue;
        size_t lo, hi;
        qa_glossary_alts(g, hit->entry, &lo, &hi);
        size_t bl = 0;
        b[0] = 0;
        for (size_t k = lo; k < hi && bl + 4 < sizeof b; k++)
            bl += (size_t)snprintf(b + bl, sizeof b - bl, "%s'%s'", k > lo ? " or " : "",
                                   qa_glossary_tgt(g, k));
        for (size_t q = 0; q < hit->n; q++)
            c->stok.t[hit->first + q].flags |= QA_TOK_USED;
        if (user) {
            TRY(add(c, C_TERMINOLOGY, ss, se, 0, 0,
                    "glossary term '%s' should be translated as %s",
                    ex(c->s, ss, se, a, sizeof a), b));
        } else {
            alinea_severity keep = c->sev[C_ENTITY];
            if (qa_glossary_lower(g, hit->entry) && keep > ALINEA_SEV_WARNING)
                c->sev[C_ENTITY] = ALINEA_SEV_WARNING;
            rc = add(c, C_ENTITY, ss, se, 0, 0, "'%s' is missing in the target (expected %s)",
                     ex(c->s, ss, se, a, sizeof a), b);
            c->sev[C_ENTITY] = keep;
            if (rc != ALINEA_OK)
                goto cleanup;
        }
    }
cleanup:
    return rc;
}

static alinea_status check_entities(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    char a[128];
    /* user glossary first (terminology), then the shipped one */
    if (c->user)
        TRY(glossary_pass(c, c->user, 1));
    if (c->gloss)
        TRY(glossary_pass(c, c->gloss, 0));
    /* names and acronyms: identical, folded, inflected, stems */
    for (size_t i = 0; i < c->stok.n; i++) {
        qa_token *st = &c->stok.t[i];
        if (st->flags & (QA_TOK_USED | QA_TOK_SKIP | QA_TOK_GLOSS))
            continue;
        if (!(st->flags & (QA_TOK_NAME | QA_TOK_WEAK)))
            continue;
        int found = 0;
        /* unused tokens first, then any token, then hunspell stems (names only) */
        int npass = (st->flags & QA_TOK_NAME) ? 3 : 1;
        for (int pass = 0; pass < npass && !found; pass++)
            for (size_t k = 0; k < c->ttok.n && !found; k++) {
                qa_token *tt = &c->ttok.t[k];
                if (pass == 0 && (tt->flags & QA_TOK_USED))
                    continue;
                if (token_matches(&c->tgt, st, tt, c->t, pass == 2)) {
                    tt->flags |= QA_TOK_USED;
                    found = 1;
                }
            }
        if (found) {
            st->flags |= QA_TOK_USED;
            continue;
        }
        if (st->flags & QA_TOK_NAME)
            TRY(add(c, C_ENTITY, st->start, st->end, 0, 0,
                    "%s '%s' is missing in the target",
                    (st->flags & QA_TOK_ALLCAPS) ? "acronym" : "name",
                    ex(c->s, st->start, st->end, a, sizeof a)));
    }
    /* extra names in the target */
    for (size_t k = 0; k < c->ttok.n; k++) {
        qa_token *tt = &c->ttok.t[k];
        if (!(tt->flags & QA_TOK_NAME) || (tt->flags & (QA_TOK_USED | QA_TOK_SKIP)))
            continue;
        int found = 0;
        for (int pass = 0; pass < 2 && !found; pass++)
            for (size_t i = 0; i < c->stok.n && !found; i++)
                found = token_matches(&c->src, tt, &c->stok.t[i], c->s, pass);
        if (!found)
            TRY(add(c, C_ENTITY_EXTRA, 0, 0, tt->start, tt->end,
                    "%s '%s' in the target is not in the source",
                    (tt->flags & QA_TOK_ALLCAPS) ? "acronym" : "name",
                    ex(c->t, tt->start, tt->end, a, sizeof a)));
    }
cleanup:
    return rc;
}

/* ------------------------------------------------------ standard checks */

static int is_ws(unsigned char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static size_t lead_ws(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    return i;
}

static size_t trail_ws(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_ws((unsigned char)s[n - 1 - i]))
        i++;
    return i;
}

/* Class of the final punctuation, ignoring closing quotes and brackets. */
static int end_class(const char *s, size_t n, size_t *at)
{
    int32_t i = (int32_t)n;
    while (i > 0) {
        int32_t k = i;
        UChar32 c;
        U8_PREV(s, 0, k, c);
        if (u_isspace(c) || c == 0x00A0 || c == 0x202F || c == 0x00BB || c == 0x201D ||
            c == 0x2019 || c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x203A) {
            i = k;
            continue;
        }
        *at = (size_t)k;
        switch (c) {
        case '.': return '.';
        case 0x2026: return '.';
        case '!': return '!';
        case '?': return '?';
        case ':': return ':';
        case ';': return ';';
        default: return 0;
        }
    }
    *at = 0;
    return 0;
}

/* First "  " in x, or NULL. */
static const char *double_space(const char *x, size_t n)
{
    const char *p = x, *end = x + n;
    while (p + 1 < end && (p = memchr(p, ' ', (size_t)(end - p - 1))) != NULL) {
        if (p[1] == ' ')
            return p;
        p += 2;
    }
    return NULL;
}

static alinea_status check_standard(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    const char *s = c->s, *t = c->t;
    size_t sl = c->sl, tl = c->tl;
    size_t sle = lead_ws(s, sl), tle = lead_ws(t, tl);
    if (sle == sl) {
        if (tle < tl)
            TRY(add(c, C_EMPTY, 0, 0, 0, tl, "the source is empty but the target is not"));
        return ALINEA_OK;
    }
    if (tle == tl) {
        if (sle < sl)
            TRY(add(c, C_EMPTY, 0, sl, 0, 0, "the target is empty"));
        return ALINEA_OK;
    }
    if (sl == tl && memcmp(s, t, sl) == 0) {
        /* identical: fine when the source has nothing to translate */
        int words = 0;
        for (size_t i = 0; i < c->stok.n; i++) {
            const qa_token *k = &c->stok.t[i];
            if (!(k->flags & (QA_TOK_NAME | QA_TOK_SKIP | QA_TOK_ALLCAPS)) &&
                k->end - k->start > 2)
                words++;
        }
        if (words >= 2)
            TRY(add(c, C_IDENTICAL, 0, sl, 0, tl, "the target is identical to the source"));
    }
    if ((sle > 0) != (tle > 0) || (trail_ws(s, sl) > 0) != (trail_ws(t, tl) > 0))
        TRY(add(c, C_WHITESPACE, 0, 0, 0, 0,
                "leading or trailing whitespace differs between source and target"));
    {
        const char *d = double_space(t, tl);
        int src_has = d && double_space(s, sl) != NULL;
        if (d && !src_has)
            TRY(add(c, C_DOUBLE_SPACE, 0, 0, (size_t)(d - t), (size_t)(d - t) + 2,
                    "double space in the target"));
    }
    {
        size_t sa, ta;
        int se = end_class(s, sl, &sa), te = end_class(t, tl, &ta);
        if (se != te && !(se == ';' && te == '.'))
            TRY(add(c, C_END_PUNCT, se ? sa : 0, se ? sa + 1 : 0, te ? ta : 0, te ? ta + 1 : 0,
                    "the source ends with %s%c%s but the target %s%c%s", se ? "'" : "",
                    se ? se : ' ', se ? "'" : "no punctuation", te ? "with '" : "",
                    te ? te : ' ', te ? "'" : "has none"));
    }
    {
        static const UChar32 pairs[][2] = {{'(', ')'}, {'[', ']'}, {'{', '}'},
                                           {0x00AB, 0x00BB}, {0x201C, 0x201D}};
        enum { NPAIRS = sizeof pairs / sizeof *pairs };
        int bal[NPAIRS][2];
        memset(bal, 0, sizeof bal);
        /* counted with memchr: the ASCII brackets, then the UTF-8 lead
         * bytes of U+00AB/U+00BB (0xC2) and U+201C/U+201D (0xE2) */
        for (int side = 0; side < 2; side++) {
            const char *x = side ? t : s;
            size_t n = side ? tl : sl;
            static const char ascii[] = "()[]{}";
            for (int q = 0; q < 6; q++)
                for (const char *p = memchr(x, ascii[q], n); p;
                     p = memchr(p + 1, ascii[q], n - (size_t)(p + 1 - x)))
                    bal[q / 2][side] += q % 2 ? -1 : 1;
            for (int q = 0; q < 2; q++) {
                char lb = q ? '\xE2' : '\xC2';
                for (const char *p = memchr(x, lb, n); p;
                     p = memchr(p + 1, lb, n - (size_t)(p + 1 - x))) {
                    int32_t i = (int32_t)(p - x);
                    UChar32 ch;
                    U8_NEXT(x, i, (int32_t)n, ch);
                    for (size_t k = 3; k < NPAIRS; k++) {
                        if (ch == pairs[k][0])
                            bal[k][side]++;
                        else if (ch == pairs[k][1])
                            bal[k][side]--;
                    }
                }
            }
        }
        for (size_t p = 0; p < NPAIRS; p++) {
            if (bal[p][1] != 0 && bal[p][0] == 0) {
                char o[8], cl[8];
                int32_t ol = 0, cll = 0;
                U8_APPEND_UNSAFE(o, ol, pairs[p][0]);
                U8_APPEND_UNSAFE(cl, cll, pairs[p][1]);
                o[ol] = 0;
                cl[cll] = 0;
                TRY(add(c, C_BRACKETS, 0, 0, 0, 0, "unbalanced '%s' '%s' in the target", o, cl));
            }
        }
    }
    {
        /* length ratio: characters; outliers beyond a factor 3 for segments
         * of 20 characters or more */
        int32_t sc = 0, tc = 0;
        for (size_t i = 0; i < sl; i++)
            sc += ((unsigned char)s[i] & 0xC0) != 0x80;
        for (size_t i = 0; i < tl; i++)
            tc += ((unsigned char)t[i] & 0xC0) != 0x80;
        if ((sc >= 20 || tc >= 20) && (tc * 3 < sc || sc * 3 < tc))
            TRY(add(c, C_LENGTH, 0, 0, 0, 0,
                    "the target has %d characters for %d in the source", (int)tc, (int)sc));
    }
cleanup:
    return rc;
}

/* Matches of a regex in a UTF-8 text, as a newline-separated list in buf. */
typedef struct match {
    size_t start, end;
    int used;
} match;

/* Cheap test before running the regexes, one pass over the text: bit 1
 * when it may hold a URL or e-mail address, bit 2 a placeholder or tag. */
/* Next occurrence of byte c in x[i, n), or n. */
static size_t next_byte(const char *x, size_t n, size_t i, char c)
{
    const char *p = i < n ? memchr(x + i, c, n - i) : NULL;
    return p ? (size_t)(p - x) : n;
}

/* 1 when x[0, n) holds needle (nl >= 1 bytes) at a position i with at
 * least `after` bytes following the needle. */
static int has_seq(const char *x, size_t n, const char *needle, size_t nl, size_t after)
{
    for (size_t i = next_byte(x, n, 0, needle[0]); i < n; i = next_byte(x, n, i + 1, needle[0]))
        if (i + nl + after <= n && memcmp(x + i, needle, nl) == 0)
            return 1;
    return 0;
}

/* 1 when some byte c in x is followed by a byte of the set `next`, or by a
 * letter when letters is 1. */
static int has_before(const char *x, size_t n, char c, const char *next, int letters)
{
    for (size_t i = next_byte(x, n, 0, c); i + 1 < n; i = next_byte(x, n, i + 1, c)) {
        char d = x[i + 1];
        if ((d && strchr(next, d)) || (letters && (d | 0x20) >= 'a' && (d | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

/* Cheap test before running the regexes (memchr scans): bit 1 when the
 * text may hold a URL or e-mail address, bit 2 a placeholder or tag: the
 * characters that the patterns of url_re and ph_re must start with. */
static unsigned may_match(const char *x, size_t n)
{
    unsigned f = 0;
    if (memchr(x, '@', n) || has_seq(x, n, ":/", 2, 1) || has_seq(x, n, "www.", 4, 0))
        f |= 1;
    /* the first character after '%', '$' or '<' that ph_re can match */
    if (memchr(x, '{', n) || has_seq(x, n, "${", 2, 0) || has_seq(x, n, "\xEF\xBF\xBC", 3, 0) ||
        has_before(x, n, '%', "0123456789-+#.lhzsdifuxXoeEgGcp@", 0) ||
        has_before(x, n, '<', "/", 1))
        f |= 2;
    return f;
}

static int regex_matches(URegularExpression *re, const char *x, size_t n, match *m, int max)
{
    UErrorCode e = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, x, (int64_t)n, &e);
    uregex_setUText(re, ut, &e);
    int k = 0;
    while (U_SUCCESS(e) && k < max && uregex_findNext(re, &e)) {
        m[k].start = (size_t)uregex_start64(re, 0, &e);
        m[k].end = (size_t)uregex_end64(re, 0, &e);
        m[k].used = 0;
        k++;
    }
    uregex_setText(re, u"", 0, &e);
    utext_close(ut);
    return k;
}

static int span_eq(const char *a, const match *x, const char *b, const match *y)
{
    return x->end - x->start == y->end - y->start &&
           memcmp(a + x->start, b + y->start, x->end - x->start) == 0;
}

static alinea_status check_regex_pair(alinea_checker *c, URegularExpression *re, int check,
                                      const char *what)
{
    alinea_status rc = ALINEA_OK;
    match sm[32], tm[32];
    char a[80];
    int url = re == c->url_re;
    unsigned bit = url ? 1u : 2u;
    int ns = (c->smay & bit) ? regex_matches(re, c->s, c->sl, sm, 32) : 0;
    int nt = (c->tmay & bit) ? regex_matches(re, c->t, c->tl, tm, 32) : 0;
    if (ns == 0 && nt == 0)
        return ALINEA_OK;
    if (!url) {
        /* TMX inline codes (U+FFFC): compared by count, in one finding */
        int cs = 0, ct = 0;
        for (int i = 0; i < ns; i++)
            if (sm[i].end - sm[i].start == 3 && memcmp(c->s + sm[i].start, "\xEF\xBF\xBC", 3) == 0) {
                sm[i].used = 1;
                cs++;
            }
        for (int j = 0; j < nt; j++)
            if (tm[j].end - tm[j].start == 3 && memcmp(c->t + tm[j].start, "\xEF\xBF\xBC", 3) == 0) {
                tm[j].used = 1;
                ct++;
            }
        if (cs != ct)
            TRY(add(c, check, 0, 0, 0, 0,
                    "%d inline code%s (TMX bpt/ept/ph/it/hi) in the source, %d in the target", cs,
                    cs == 1 ? "" : "s", ct));
    }
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < nt && !sm[i].used; j++)
            if (!tm[j].used && span_eq(c->s, &sm[i], c->t, &tm[j])) {
                sm[i].used = tm[j].used = 1;
                break;
            }
    for (int i = 0; i < ns; i++)
        if (!sm[i].used)
            TRY(add(c, check, sm[i].start, sm[i].end, 0, 0, "%s '%s' is missing in the target",
                    what, ex(c->s, sm[i].start, sm[i].end, a, sizeof a)));
    for (int j = 0; j < nt; j++)
        if (!tm[j].used)
            TRY(add(c, check, 0, 0, tm[j].start, tm[j].end,
                    "%s '%s' in the target is not in the source", what,
                    ex(c->t, tm[j].start, tm[j].end, a, sizeof a)));
cleanup:
    return rc;
}

static alinea_status check_spelling(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    char a[80];
    if (!c->tgt.hun)
        return ALINEA_OK;
    for (size_t k = 0; k < c->ttok.n; k++) {
        const qa_token *tt = &c->ttok.t[k];
        if (tt->flags & (QA_TOK_SKIP | QA_TOK_NAME | QA_TOK_ALLCAPS | QA_TOK_GLOSS))
            continue;
        if (qa_spell(&c->tgt, c->t + tt->start, tt->end - tt->start) == 0)
            TRY(add(c, C_SPELLING, 0, 0, tt->start, tt->end, "'%s' is not in the %s dictionary",
                    ex(c->t, tt->start, tt->end, a, sizeof a), c->tgt.lang));
    }
cleanup:
    return rc;
}

static alinea_status cons_insert(alinea_checker *c, seen_unit *tab, uint64_t key, uint32_t other,
                                 uint32_t *prev_unit, uint32_t *prev_other, int *found)
{
    size_t mask = c->cons_cap - 1;
    size_t h = (size_t)(key ^ (key >> 29)) & mask;
    while (tab[h].unit) {
        if (tab[h].src == key) {
            *found = 1;
            *prev_unit = tab[h].unit;
            *prev_other = tab[h].tgt;
            return ALINEA_OK;
        }
        h = (h + 1) & mask;
    }
    *found = 0;
    tab[h].src = key;
    tab[h].tgt = other;
    tab[h].unit = c->unit ? c->unit : 1;
    return ALINEA_OK;
}

static alinea_status check_consistency(alinea_checker *c)
{
    alinea_status rc = ALINEA_OK;
    if (c->cons_n * 4 >= c->cons_cap * 3 || c->cons_cap == 0) {
        size_t ncap = c->cons_cap ? c->cons_cap * 2 : 4096;
        seen_unit *ns = calloc(ncap, sizeof *ns), *nt = calloc(ncap, sizeof *nt);
        if (!ns || !nt) {
            free(ns);
            free(nt);
            return alinea__fail(c->ctx, ALINEA_ERR_NOMEM, "out of memory");
        }
        seen_unit *os = c->by_src, *ot = c->by_tgt;
        size_t ocap = c->cons_cap;
        c->by_src = ns;
        c->by_tgt = nt;
        c->cons_cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            for (int side = 0; side < 2; side++) {
                seen_unit *o = side ? &ot[i] : &os[i];
                if (!o->unit)
                    continue;
                seen_unit *tab = side ? nt : ns;
                size_t h = (size_t)(o->src ^ (o->src >> 29)) & (ncap - 1);
                while (tab[h].unit)
                    h = (h + 1) & (ncap - 1);
                tab[h] = *o;
            }
        free(os);
        free(ot);
    }
    size_t a = lead_ws(c->s, c->sl), b = lead_ws(c->t, c->tl);
    uint64_t hs = text_hash(c->s + a, c->sl - a - trail_ws(c->s + a, c->sl - a));
    uint64_t ht = text_hash(c->t + b, c->tl - b - trail_ws(c->t + b, c->tl - b));
    uint32_t pu, po;
    int found;
    TRY(cons_insert(c, c->by_src, hs, (uint32_t)ht, &pu, &po, &found));
    int inserted = !found;
    if (found && po != (uint32_t)ht)
        TRY(add(c, C_CONSISTENCY, 0, c->sl, 0, c->tl,
                "the same source was translated differently in unit %u", (unsigned)pu));
    TRY(cons_insert(c, c->by_tgt, ht, (uint32_t)hs, &pu, &po, &found));
    if (found && po != (uint32_t)hs)
        TRY(add(c, C_CONSISTENCY, 0, c->sl, 0, c->tl,
                "the same target translates a different source in unit %u", (unsigned)pu));
    if (!found || inserted)
        c->cons_n++;
cleanup:
    return rc;
}

/* Numbers inside placeholders ({0}, %1$s) belong to the placeholder check. */
static void drop_placeholder_numbers(alinea_checker *c, const char *x, size_t n, unsigned may,
                                     alinea_number *nums, size_t *nn)
{
    match m[32];
    if (*nn == 0 || !(may & 2u))
        return;
    int k = regex_matches(c->ph_re, x, n, m, 32);
    if (k == 0)
        return;
    size_t w = 0;
    for (size_t i = 0; i < *nn; i++) {
        int inside = 0;
        for (int j = 0; j < k && !inside; j++)
            inside = nums[i].start >= m[j].start && nums[i].end <= m[j].end;
        if (!inside)
            nums[w++] = nums[i];
    }
    *nn = w;
}

/* Words inside a number, code, date or time (XVe, 14 h, A320) are not names. */
static void skip_number_tokens(qa_tokens *tk, const alinea_number *nums, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < tk->n; i++) {
        qa_token *t = &tk->t[i];
        while (k < n && nums[k].end <= t->start)
            k++;
        for (size_t j = k; j < n && nums[j].start < t->end; j++)
            if (nums[j].kind != ALINEA_NUM_SPELLED && nums[j].start <= t->start &&
                t->end <= nums[j].end && nums[j].kind != ALINEA_NUM_DATE)
                t->flags |= QA_TOK_SKIP;
    }
}

static int cmp_finding(const void *a, const void *b)
{
    const alinea_finding *x = a, *y = b;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    return 0;
}

alinea_status alinea_checker_check(alinea_checker *c, const char *src, size_t srclen,
                                   const char *tgt, size_t tgtlen, alinea_finding **findings,
                                   size_t *n)
{
    alinea_status rc = ALINEA_OK;
    *findings = NULL;
    *n = 0;
    c->f = NULL;
    c->nf = c->capf = 0;
    c->unit++;
    if (srclen > ALINEA_MAX_SEGMENT_BYTES || tgtlen > ALINEA_MAX_SEGMENT_BYTES)
        return alinea__fail(c->ctx, ALINEA_ERR_TOO_BIG, "segment longer than %zu bytes",
                            (size_t)ALINEA_MAX_SEGMENT_BYTES);
    c->s = src ? src : "";
    c->t = tgt ? tgt : "";
    c->sl = src ? srclen : 0;
    c->tl = tgt ? tgtlen : 0;
    TRY(qa_tokenize(&c->src, c->s, c->sl, &c->stok));
    TRY(qa_tokenize(&c->tgt, c->t, c->tl, &c->ttok));
    int empty = lead_ws(c->t, c->tl) == c->tl || lead_ws(c->s, c->sl) == c->sl;
    if (!empty) {
        TRY(copy_nums(c, &c->src, c->s, c->sl, &c->snum, &c->nsnum, &c->capsnum));
        TRY(copy_nums(c, &c->tgt, c->t, c->tl, &c->tnum, &c->ntnum, &c->captnum));
        c->smay = may_match(c->s, c->sl);
        c->tmay = may_match(c->t, c->tl);
        drop_placeholder_numbers(c, c->s, c->sl, c->smay, c->snum, &c->nsnum);
        drop_placeholder_numbers(c, c->t, c->tl, c->tmay, c->tnum, &c->ntnum);
        skip_number_tokens(&c->stok, c->snum, c->nsnum);
        skip_number_tokens(&c->ttok, c->tnum, c->ntnum);
        TRY(check_codes(c));
        TRY(check_dates(c));
        TRY(check_times(c));
        TRY(check_numbers(c));
        TRY(check_entities(c));
        if (c->enabled[C_URL])
            TRY(check_regex_pair(c, c->url_re, C_URL, "address"));
        if (c->enabled[C_PLACEHOLDER])
            TRY(check_regex_pair(c, c->ph_re, C_PLACEHOLDER, "tag or placeholder"));
        if (c->enabled[C_SPELLING])
            TRY(check_spelling(c));
    }
    TRY(check_standard(c));
    if (c->enabled[C_CONSISTENCY] && !empty)
        TRY(check_consistency(c));
    if (c->nsupp && c->nf) {
        uint64_t h = unit_hash(c->s, c->sl, c->t, c->tl);
        size_t w = 0;
        for (size_t i = 0; i < c->nf; i++) {
            int drop = 0;
            for (size_t k = 0; k < c->nsupp && !drop; k++)
                drop = c->supp[k].hash == h && strcmp(CHECKS[c->supp[k].check].id, c->f[i].check) == 0;
            if (drop)
                free(c->f[i].message);
            else
                c->f[w++] = c->f[i];
        }
        c->nf = w;
    }
    for (size_t i = 1; i < c->nf; i++) { /* stable: most severe first */
        alinea_finding k = c->f[i];
        size_t j = i;
        while (j > 0 && cmp_finding(&k, &c->f[j - 1]) < 0) {
            c->f[j] = c->f[j - 1];
            j--;
        }
        c->f[j] = k;
    }
    *findings = c->f;
    *n = c->nf;
    c->f = NULL;
    c->nf = c->capf = 0;
    return ALINEA_OK;
cleanup:
    alinea_findings_free(c->f, c->nf);
    c->f = NULL;
    c->nf = c->capf = 0;
    return rc;
}
