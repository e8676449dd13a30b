/* glossary.c - bilingual glossaries (TSV, or TBX read with libxml2) matched
 * on folded word tokens, with a small tolerance for inflection. */
#define _POSIX_C_SOURCE 200809L
#include "qa_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <unicode/utf8.h>

#define MAX_TERM_WORDS 8
#define BUCKETS 4096u

typedef struct term {
    char *text;
    int nw;
    char w[MAX_TERM_WORDS][48];
} term;

typedef struct entry {
    term src, tgt;
    int lower;
} entry;

struct qa_glossary {
    entry *e;
    size_t n, cap;
    size_t *bucket_idx; /* entry indices, grouped by bucket */
    size_t bucket_start[BUCKETS + 1];
};

size_t qa_glossary_size(const qa_glossary *g) { return g ? g->n : 0; }
const char *qa_glossary_src(const qa_glossary *g, size_t e) { return g->e[e].src.text; }
const char *qa_glossary_tgt(const qa_glossary *g, size_t e) { return g->e[e].tgt.text; }
int qa_glossary_lower(const qa_glossary *g, size_t e) { return g->e[e].lower; }

static int match1(const char *tok, size_t lt, const char *w, size_t lw, int loose)
{
    if (lt == lw && memcmp(tok, w, lt) == 0)
        return 1;
    if (lw >= 4 && lt > lw && lt - lw <= 3 && memcmp(tok, w, lw) == 0)
        return 1;
    if (!loose)
        return 0;
    /* inflected ending: Europees / Europese, europäisch / europäischen:
     * a common prefix of 5+ characters that leaves at most 2 characters
     * of the term and 3 of the token */
    size_t cp = 0;
    while (cp < lt && cp < lw && tok[cp] == w[cp])
        cp++;
    return cp >= 5 && lw - cp <= 2 && lt - cp <= 3;
}

static int fold_match(const char *tok, const char *w, int loose, int compound)
{
    /* match1 needs the same first character: only a part of a compound
     * token can match otherwise */
    if (tok[0] != w[0] && !strchr(tok, '-'))
        return 0;
    size_t lt = strlen(tok), lw = strlen(w);
    if (match1(tok, lt, w, lw, loose))
        return 1;
    /* compounds: "AI-diensten" contains "AI", "Azure-opslag" "Azure" */
    if (compound && !strchr(w, '-') && strchr(tok, '-')) {
        const char *p = tok;
        while (*p) {
            const char *e = strchr(p, '-');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (match1(p, n, w, lw, loose))
                return 1;
            if (!e)
                break;
            p = e + 1;
        }
    }
    return 0;
}

int qa_fold_match(const char *tok, const char *w) { return fold_match(tok, w, 0, 1); }
int qa_fold_match_loose(const char *tok, const char *w) { return fold_match(tok, w, 1, 1); }

static unsigned bucket_of(const char *w)
{
    size_t n = strlen(w);
    if (n > 4)
        n = 4;
    unsigned h = 5381;
    for (size_t i = 0; i < n; i++)
        h = h * 33 + (unsigned char)w[i];
    return h % BUCKETS;
}

static int split_term(qa_lang *L, const char *s, size_t len, term *t)
{
    t->nw = 0;
    size_t i = 0;
    while (i < len) {
        int32_t k = (int32_t)i;
        UChar32 c;
        U8_NEXT(s, k, (int32_t)len, c);
        if (!alinea__is_word_cp(c)) {
            i = (size_t)k;
            continue;
        }
        size_t we = alinea__word_end(s, len, i);
        if (t->nw == MAX_TERM_WORDS)
            return -1;
        qa_fold(L, s + i, we - i, t->w[t->nw], sizeof t->w[0]);
        t->nw++;
        i = we;
    }
    return t->nw > 0 ? 0 : -1;
}

static alinea_status add_entry(alinea_ctx *ctx, qa_glossary *g, qa_lang *ls, qa_lang *lt,
                               const char *src, size_t sl, const char *tgt, size_t tl,
                               const char *path, size_t line)
{
    alinea_status rc = alinea__grow(ctx, (void **)&g->e, &g->cap, g->n + 1, sizeof *g->e);
    if (rc != ALINEA_OK)
        return rc;
    entry *e = &g->e[g->n];
    memset(e, 0, sizeof *e);
    if (split_term(ls, src, sl, &e->src) != 0 || split_term(lt, tgt, tl, &e->tgt) != 0)
        return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                            "%s:%zu: a glossary term must have 1 to %d words", path, line,
                            MAX_TERM_WORDS);
    e->src.text = alinea__strndup(src, sl);
    e->tgt.text = alinea__strndup(tgt, tl);
    if (!e->src.text || !e->tgt.text) {
        free(e->src.text);
        free(e->tgt.text);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    int32_t k = 0;
    UChar32 c;
    U8_NEXT(src, k, (int32_t)sl, c);
    e->lower = c >= 'a' && c <= 'z' ? 1 : (c > 127 && c >= 0 && !(c >= 0xC0 && c <= 0xDE));
    g->n++;
    return ALINEA_OK;
}

static alinea_status load_tsv(alinea_ctx *ctx, qa_glossary *g, qa_lang *ls, qa_lang *lt,
                              const char *path, const char *data, size_t len)
{
    size_t line = 0, i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        line++;
        const char *nl = memchr(data + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - data) : len;
        size_t le = e;
        if (le > i && data[le - 1] == '\r')
            le--;
        const char *p = data + i;
        size_t n = le - i;
        i = e + 1;
        if (n == 0 || p[0] == '#')
            continue;
        const char *tab = memchr(p, '\t', n);
        if (!tab)
            return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                "%s:%zu: expected 'source<TAB>target' (no tab)", path, line);
        const char *t2 = tab + 1;
        size_t rest = n - (size_t)(t2 - p);
        const char *tab2 = memchr(t2, '\t', rest);
        size_t tl = tab2 ? (size_t)(tab2 - t2) : rest;
        if (tab == p || tl == 0)
            return alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%zu: empty glossary term", path,
                                line);
        alinea_status rc = add_entry(ctx, g, ls, lt, p, (size_t)(tab - p), t2, tl, path, line);
        if (rc != ALINEA_OK)
            return rc;
        /* third column "optional": a missing translation is only a warning */
        if (tab2 && rest - tl - 1 >= 8 && memcmp(tab2 + 1, "optional", 8) == 0)
            g->e[g->n - 1].lower = 1;
    }
    return ALINEA_OK;
}

/* TBX: <termEntry><langSet xml:lang="fr"><tig><term>...</term></tig>... */
static int lang_match(const xmlChar *l, const char *want)
{
    size_t n = strlen(want);
    const char *dash = strchr(want, '-');
    if (dash)
        n = (size_t)(dash - want);
    return l && strncasecmp((const char *)l, want, n) == 0 && (l[n] == 0 || l[n] == '-' || l[n] == '_');
}

static void collect_terms(xmlNode *n, xmlChar **out, int *k, int max)
{
    for (xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(c->name, BAD_CAST "term") == 0) {
            if (*k < max)
                out[(*k)++] = xmlNodeGetContent(c);
        } else {
            collect_terms(c->children, out, k, max);
        }
    }
}

static alinea_status walk_tbx(alinea_ctx *ctx, qa_glossary *g, qa_lang *ls, qa_lang *lt,
                              const char *path, xmlNode *n, const char *sl, const char *tl)
{
    alinea_status rc = ALINEA_OK;
    for (xmlNode *c = n; c && rc == ALINEA_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(c->name, BAD_CAST "termEntry") == 0 ||
            xmlStrcmp(c->name, BAD_CAST "conceptEntry") == 0) {
            xmlChar *st[16], *tt[16];
            int ns = 0, nt = 0;
            for (xmlNode *lsn = c->children; lsn; lsn = lsn->next) {
                if (lsn->type != XML_ELEMENT_NODE ||
                    (xmlStrcmp(lsn->name, BAD_CAST "langSet") != 0 &&
                     xmlStrcmp(lsn->name, BAD_CAST "langSec") != 0))
                    continue;
                xmlChar *lang = xmlGetNsProp(lsn, BAD_CAST "lang", XML_XML_NAMESPACE);
                if (!lang)
                    lang = xmlGetProp(lsn, BAD_CAST "lang");
                if (lang_match(lang, sl))
                    collect_terms(lsn->children, st, &ns, 16);
                else if (lang_match(lang, tl))
                    collect_terms(lsn->children, tt, &nt, 16);
                xmlFree(lang);
            }
            for (int a = 0; a < ns && rc == ALINEA_OK; a++)
                for (int b = 0; b < nt && rc == ALINEA_OK; b++)
                    if (st[a] && tt[b] && *st[a] && *tt[b])
                        rc = add_entry(ctx, g, ls, lt, (const char *)st[a],
                                       strlen((const char *)st[a]), (const char *)tt[b],
                                       strlen((const char *)tt[b]), path,
                                       (size_t)xmlGetLineNo(c));
            for (int a = 0; a < ns; a++)
                xmlFree(st[a]);
            for (int b = 0; b < nt; b++)
                xmlFree(tt[b]);
        } else {
            rc = walk_tbx(ctx, g, ls, lt, path, c->children, sl, tl);
        }
    }
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->src.w[0], y->src.w[0]);
    if (c)
        return c;
    if (x->src.nw != y->src.nw)
        return y->src.nw - x->src.nw;
    for (int i = 1; i < x->src.nw; i++)
        if ((c = strcmp(x->src.w[i], y->src.w[i])) != 0)
            return c;
    return 0;
}

alinea_status qa_glossary_load(alinea_ctx *ctx, qa_lang *ls, qa_lang *lt, const char *path,
                               const char *srclang, const char *tgtlang, qa_glossary **out)
{
    alinea_status rc = ALINEA_OK;
    char *data = NULL;
    size_t len = 0;
    xmlDoc *doc = NULL;
    qa_glossary *g = *out;
    int fresh = 0;
    if (!g) {
        g = calloc(1, sizeof *g);
        CHECK_ALLOC(ctx, g);
        fresh = 1;
    }
    TRY(alinea__read_file(ctx, path, ALINEA_MAX_DATA_FILE_BYTES, &data, &len));
    size_t sk = 0;
    while (sk < len && (data[sk] == ' ' || data[sk] == '\n' || data[sk] == '\r' || data[sk] == '\t'))
        sk++;
    size_t pl = strlen(path);
    if ((pl > 4 && strcasecmp(path + pl - 4, ".tbx") == 0) || (sk < len && data[sk] == '<')) {
        doc = xmlReadMemory(data, (int)len, path, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) {
            const xmlError *xe = xmlGetLastError();
            rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%d: not well-formed XML: %s", path,
                              xe ? xe->line : 0, xe && xe->message ? xe->message : "");
            goto cleanup;
        }
        TRY(walk_tbx(ctx, g, ls, lt, path, xmlDocGetRootElement(doc), srclang, tgtlang));
    } else {
        TRY(load_tsv(ctx, g, ls, lt, path, data, len));
    }
    /* Sort (alternatives of one source term become neighbours) and index. */
    if (g->n > 1)
        qsort(g->e, g->n, sizeof *g->e, cmp_entry);
    free(g->bucket_idx);
    g->bucket_idx = malloc((g->n ? g->n : 1) * sizeof *g->bucket_idx);
    CHECK_ALLOC(ctx, g->bucket_idx);
    memset(g->bucket_start, 0, sizeof g->bucket_start);
    for (size_t i = 0; i < g->n; i++)
        g->bucket_start[bucket_of(g->e[i].src.w[0]) + 1]++;
    for (unsigned b = 0; b < BUCKETS; b++)
        g->bucket_start[b + 1] += g->bucket_start[b];
    {
        size_t fill[BUCKETS];
        memcpy(fill, g->bucket_start, sizeof fill);
        for (size_t i = 0; i < g->n; i++)
            g->bucket_idx[fill[bucket_of(g->e[i].src.w[0])]++] = i;
    }
    *out = g;
    g = NULL;
cleanup:
    if (doc)
        xmlFreeDoc(doc);
    free(data);
    if (fresh)
        qa_glossary_free(g);
    return rc;
}

void qa_glossary_free(qa_glossary *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->e[i].src.text);
        free(g->e[i].tgt.text);
    }
    free(g->e);
    free(g->bucket_idx);
    free(g);
}

static int term_at(const term *t, const qa_tokens *toks, size_t i, int need_unused, int loose)
{
    if (i + (size_t)t->nw > toks->n)
        return 0;
    for (int k = 0; k < t->nw; k++) {
        const qa_token *tk = &toks->t[i + (size_t)k];
        if (need_unused && (tk->flags & QA_TOK_USED))
            return 0;
        /* a part of a hyphenated compound matches a one-word term only:
         * "Le Cap" (Cape Town) is not in "le Cap-Vert" (Cape Verde) */
        if (!fold_match(tk->fold, t->w[k], loose, t->nw == 1))
            return 0;
    }
    return 1;
}

alinea_status qa_glossary_find_src(alinea_ctx *ctx, const qa_glossary *g, const qa_tokens *toks,
                                   qa_gloss_hit **hits, size_t *nhits, size_t *cap)
{
    if (!g || g->n == 0)
        return ALINEA_OK;
    for (size_t i = 0; i < toks->n; i++) {
        const char *f = toks->t[i].fold;
        /* a term word of 4+ chars may be a prefix of the token: look up by
         * the token's first 4 characters, and by the whole short token */
        unsigned b = bucket_of(f);
        size_t prev_entry = (size_t)-1;
        for (size_t k = g->bucket_start[b]; k < g->bucket_start[b + 1]; k++) {
            size_t e = g->bucket_idx[k];
            const term *t = &g->e[e].src;
            if (!term_at(t, toks, i, 0, 0))
                continue;
            /* one hit per source term (alternatives share it) */
            if (prev_entry != (size_t)-1 && cmp_entry(&g->e[prev_entry], &g->e[e]) == 0)
                continue;
            prev_entry = e;
            alinea_status rc = alinea__grow(ctx, (void **)hits, cap, *nhits + 1, sizeof **hits);
            if (rc != ALINEA_OK)
                return rc;
            (*hits)[*nhits].entry = e;
            (*hits)[*nhits].first = i;
            (*hits)[*nhits].n = (size_t)t->nw;
            (*nhits)++;
        }
    }
    return ALINEA_OK;
}

void qa_glossary_alts(const qa_glossary *g, size_t e, size_t *lo, size_t *hi)
{
    size_t a = e, b = e + 1;
    while (a > 0 && cmp_entry(&g->e[a - 1], &g->e[e]) == 0)
        a--;
    while (b < g->n && cmp_entry(&g->e[b], &g->e[e]) == 0)
        b++;
    *lo = a;
    *hi = b;
}

long qa_glossary_find_tgt(const qa_glossary *g, size_t e, const qa_tokens *toks, size_t *n)
{
    const term *t = &g->e[e].tgt;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < toks->n; i++)
            if (term_at(t, toks, i, pass == 0, 1)) {
                *n = (size_t)t->nw;
                return (long)i;
            }
    return -1;
}
