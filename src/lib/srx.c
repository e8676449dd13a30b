/*
 * srx.c - SRX 2.0 rule engine (see seg_srx.h).
 *
 * Reading: libxml2 DOM over the file's bytes with XML_PARSE_NONET and
 * without XML_PARSE_NOENT / XML_PARSE_DTDLOAD (no entity expansion, no DTD
 * loading), default size limits. Elements are matched by local name in the
 * SRX 2.0 namespace (or no namespace); Okapi's extension namespace is read
 * for useIcu4jBreakRules only.
 *
 * Matching (SRX 2.0 section 2.5), as the reference Java implementation
 * (loomchild's segment library, used by LanguageTool) does it: every break
 * rule finds its positions left to right (beforebreak match, then afterbreak
 * at its end); at each position, in text order, the first break rule there
 * breaks unless a no-break rule listed before it matches at that position,
 * its beforebreak ending there (looked for in the 400 bytes before, the
 * library's bounded lookbehind) and its afterbreak starting there. With
 * Okapi's useIcu4jBreakRules="yes", ICU's sentence boundaries, moved back
 * over trailing white space, act as one more break rule after all others.
 *
 * Writing (alinea__srx_write): xmlTextWriter, every call checked.
 */
#include "seg_srx.h"
#include "internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define SRX_NS "http://www.lisa.org/srx20"
#define OKAPI_NS "http://okapi.sf.net/srx-extensions"

typedef struct srx_rule {
    URegularExpression *before; /* break rules: found left to right; NULL: empty pattern */
    URegularExpression *ending; /* no-break rules: (?:before)\z, tried on the text before a
                                   position (lookbehind semantics); NULL: empty pattern */
    URegularExpression *after;  /* NULL: empty pattern */
    int anchored;               /* the beforebreak has a ^ (start of the segment) */
    int brk;
    char *name;
    char *where; /* "file:line: languagerule 'X', rule N", for match errors */
} srx_rule;

/* Bounds on every SRX regex match (ICU uregex_setTimeLimit, in steps of the
 * match engine: about 10,000 operations each, 0.2-0.3 ms here). A beforebreak
 * of a break rule is run over a whole paragraph with findNext, whose time
 * adds up until the text is set again, so its limit grows with the
 * paragraph; every other match (no-break beforebreak within the 400 bytes
 * before a position, afterbreak with lookingAt, languagepattern) gets the
 * base limit each. A rule that needs more (catastrophic backtracking such as
 * (a+)+$ on a long run of a) fails with ALINEA_ERR_FORMAT naming the rule.
 * ICU's backtracking stack is capped too (uregex_setStackLimit). */
#define SRX_TIME_BASE 100        /* steps for one match operation */
#define SRX_BYTES_PER_STEP 64    /* more steps for a paragraph-wide search */
#define SRX_STACK_LIMIT (8 << 20) /* bytes of backtracking stack per regex */

typedef struct srx_cand {
    int64_t pos;   /* break position (byte offset in the paragraph) */
    int64_t start; /* start of the beforebreak match */
    uint32_t rule; /* index of the break rule; n for an ICU boundary */
} srx_cand;

struct alinea__srx {
    srx_rule *rules;
    size_t n, cap;
    int use_icu;
    srx_cand *cand;
    size_t ncand, ccap;
};

void alinea__srx_free(alinea__srx *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++) {
        if (x->rules[i].before)
            uregex_close(x->rules[i].before);
        if (x->rules[i].after)
            uregex_close(x->rules[i].after);
        if (x->rules[i].ending)
            uregex_close(x->rules[i].ending);
        free(x->rules[i].name);
        free(x->rules[i].where);
    }
    free(x->rules);
    free(x->cand);
    free(x);
}

const char *alinea__srx_rule_name(const alinea__srx *x, uint32_t idx)
{
    if (idx == UINT32_MAX - ALINEA__SRX_RULE_BASE)
        return "icu";
    if (idx == UINT32_MAX - ALINEA__SRX_RULE_BASE - 1)
        return "paragraph-end";
    return x && idx < x->n ? x->rules[idx].name : "srx";
}

static int is_srx(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
           (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, SRX_NS) == 0 ||
            strcmp((const char *)n->ns->href, "http://www.lisa.org/srx10") == 0);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_srx(c, name))
            return c;
    return NULL;
}

static int attr_is(const xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int r = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return r;
}

/* Compile a pattern (UTF-8) with ICU; NULL *out for an empty pattern. */
static alinea_status compile(alinea_ctx *ctx, const char *path, const xmlNode *node,
                             const char *rname, size_t ri, const char *what, int ending,
                             URegularExpression **out, int *anchored)
{
    *out = NULL;
    if (!node)
        return ALINEA_OK;
    xmlChar *pat = xmlNodeGetContent(node);
    if (!pat)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    if (anchored)
        *anchored = strchr((const char *)pat, '^') != NULL;
    alinea_status rc = ALINEA_OK;
    if (pat[0]) {
        UErrorCode err = U_ZERO_ERROR;
        UParseError pe;
        char *full = NULL;
        if (ending) {
            size_t pl = strlen((const char *)pat);
            full = malloc(pl + 8);
            if (!full) {
                xmlFree(pat);
                return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
            }
            snprintf(full, pl + 8, "(?:%s)\\z", (const char *)pat);
        }
        /* compile the rule's own text first, so that an error offset points into it */
        *out = uregex_openC((const char *)pat, 0, &pe, &err);
        if (U_SUCCESS(err) && full) {
            uregex_close(*out);
            *out = uregex_openC(full, 0, &pe, &err);
        }
        free(full);
        if (U_SUCCESS(err)) {
            uregex_setTimeLimit(*out, SRX_TIME_BASE, &err);
            uregex_setStackLimit(*out, SRX_STACK_LIMIT, &err);
        }
        if (U_FAILURE(err))
            rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                              "%s:%ld: languagerule '%s', rule %zu: invalid %s regex (%s at "
                              "offset %d): %s",
                              path, xmlGetLineNo(node), rname, ri + 1, what, u_errorName(err),
                              pe.offset, (const char *)pat);
    }
    xmlFree(pat);
    return rc;
}

static alinea_status add_rules(alinea_ctx *ctx, alinea__srx *x, const char *path,
                               const xmlNode *lrule, const char *rname)
{
    alinea_status rc = ALINEA_OK;
    size_t ri = 0;
    for (const xmlNode *r = lrule->children; r; r = r->next) {
        if (!is_srx(r, "rule"))
            continue;
        TRY(alinea__grow(ctx, (void **)&x->rules, &x->cap, x->n + 1, sizeof *x->rules));
        srx_rule *sr = &x->rules[x->n];
        memset(sr, 0, sizeof *sr);
        x->n++;
        sr->brk = !attr_is(r, "break", "no");
        char name[256];
        snprintf(name, sizeof name, "%s#%zu (%s:%ld)", rname, ri + 1, path, xmlGetLineNo(r));
        sr->name = alinea__strdup(name);
        CHECK_ALLOC(ctx, sr->name);
        snprintf(name, sizeof name, "%s:%ld: languagerule '%s', rule %zu", path, xmlGetLineNo(r),
                 rname, ri + 1);
        sr->where = alinea__strdup(name);
        CHECK_ALLOC(ctx, sr->where);
        TRY(compile(ctx, path, child(r, "beforebreak"), rname, ri, "beforebreak", !sr->brk,
                    sr->brk ? &sr->before : &sr->ending, &sr->anchored));
        TRY(compile(ctx, path, child(r, "afterbreak"), rname, ri, "afterbreak", 0, &sr->after,
                    NULL));
        ri++;
    }
cleanup:
    return rc;
}

static int lang_matches(const char *pattern, const char *lang)
{
    UErrorCode err = U_ZERO_ERROR;
    UParseError pe;
    URegularExpression *re = uregex_openC(pattern, 0, &pe, &err);
    uregex_setTimeLimit(re, SRX_TIME_BASE, &err);
    UChar buf[64];
    u_uastrncpy(buf, lang, 63);
    buf[63] = 0;
    uregex_setText(re, buf, -1, &err);
    int ok = U_SUCCESS(err) && uregex_matches(re, 0, &err) && U_SUCCESS(err);
    uregex_close(re);
    return ok;
}

alinea_status alinea__srx_load(alinea_ctx *ctx, const char *path, const char *lang,
                               alinea__srx **out)
{
    alinea_status rc = ALINEA_OK;
    char *data = NULL;
    size_t len = 0;
    xmlParserCtxtPtr pctx = NULL;
    xmlDocPtr doc = NULL;
    alinea__srx *x = NULL;
    *out = NULL;
    TRY(alinea__read_file(ctx, path, ALINEA_MAX_DATA_FILE_BYTES, &data, &len));
    if (len > INT32_MAX) {
        rc = alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s: too large for libxml2", path);
        goto cleanup;
    }
    pctx = xmlNewParserCtxt();
    CHECK_ALLOC(ctx, pctx);
    doc = xmlCtxtReadMemory(pctx, data, (int)len, path, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(pctx);
        char msg[256];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "parse error");
        msg[strcspn(msg, "\n")] = '\0';
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%d: not well-formed XML: %s", path,
                          e ? e->line : 0, msg);
        goto cleanup;
    }
    xmlDtdPtr dtd = xmlGetIntSubset(doc);
    if (dtd && (dtd->entities || dtd->pentities)) {
        /* never expanded (no XML_PARSE_NOENT); refused so that a rule cannot
         * silently lose the text of an entity */
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                          "%s: the file declares XML entities; SRX files may not (they are "
                          "neither loaded nor expanded)",
                          path);
        goto cleanup;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_srx(root, "srx")) {
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s: not an SRX file (root element <%s>)", path,
                          root ? (const char *)root->name : "none");
        goto cleanup;
    }
    const xmlNode *header = child(root, "header"), *body = child(root, "body");
    const xmlNode *lrules = child(body, "languagerules"), *maps = child(body, "maprules");
    if (!header || !lrules || !maps) {
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                          "%s: SRX needs <header>, <body><languagerules> and <maprules>", path);
        goto cleanup;
    }
    x = calloc(1, sizeof *x);
    CHECK_ALLOC(ctx, x);
    int cascade = attr_is(header, "cascade", "yes");
    for (const xmlNode *c = header->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
            strcmp((const char *)c->ns->href, OKAPI_NS) == 0 &&
            strcmp((const char *)c->name, "options") == 0)
            x->use_icu = attr_is(c, "useIcu4jBreakRules", "yes");
    int matched = 0;
    for (const xmlNode *m = maps->children; m; m = m->next) {
        if (!is_srx(m, "languagemap"))
            continue;
        xmlChar *pat = xmlGetProp(m, (const xmlChar *)"languagepattern");
        xmlChar *rname = xmlGetProp(m, (const xmlChar *)"languagerulename");
        int hit = pat && rname && lang_matches((const char *)pat, lang);
        if (hit) {
            const xmlNode *lr = NULL;
            for (const xmlNode *r = lrules->children; r && !lr; r = r->next)
                if (is_srx(r, "languagerule") && attr_is(r, "languagerulename", (const char *)rname))
                    lr = r;
            if (!lr) {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                  "%s:%ld: languagemap names an unknown languagerule '%s'", path,
                                  xmlGetLineNo(m), (const char *)rname);
            } else {
                rc = add_rules(ctx, x, path, lr, (const char *)rname);
            }
            matched++;
        }
        xmlFree(pat);
        xmlFree(rname);
        if (rc != ALINEA_OK)
            goto cleanup;
        if (hit && !cascade)
            break;
    }
    if (!matched) {
        rc = alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "%s: no languagemap matches '%s'", path,
                          lang);
        goto cleanup;
    }
    *out = x;
    x = NULL;
cleanup:
    alinea__srx_free(x);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pctx);
    free(data);
    return rc;
}

static int is_ws(const char *t, size_t i, size_t e, size_t *len)
{
    unsigned char b = (unsigned char)t[i];
    if (b < 0x80) {
        *len = 1;
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v';
    }
    int32_t k = 0, lim = e - i > 4 ? 4 : (int32_t)(e - i);
    UChar32 c;
    U8_NEXT((const uint8_t *)t + i, k, lim, c);
    *len = (size_t)k;
    return c >= 0 && u_isUWhiteSpace(c);
}

static alinea_status emit(alinea_ctx *ctx, const char *t, size_t a, size_t b, uint32_t para,
                          uint32_t rule, alinea_seg **segs, size_t *n, size_t *cap)
{
    size_t l;
    while (a < b && is_ws(t, a, b, &l))
        a += l;
    while (b > a) {
        size_t k = b - 1;
        while (k > a && ((unsigned char)t[k] & 0xC0) == 0x80)
            k--;
        if (!is_ws(t, k, b, &l))
            break;
        b = k;
    }
    if (a == b)
        return ALINEA_OK;
    alinea_status rc = alinea__grow(ctx, (void **)segs, cap, *n + 1, sizeof **segs);
    if (rc == ALINEA_OK)
        (*segs)[(*n)++] = (alinea_seg){a, b, para, rule};
    return rc;
}

static int cmp_cand(const void *a, const void *b)
{
    const srx_cand *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static alinea_status add_cand(alinea_ctx *ctx, alinea__srx *x, int64_t pos, int64_t start,
                              uint32_t rule)
{
    alinea_status rc = alinea__grow(ctx, (void **)&x->cand, &x->ccap, x->ncand + 1, sizeof *x->cand);
    if (rc == ALINEA_OK)
        x->cand[x->ncand++] = (srx_cand){pos, start, rule};
    return rc;
}

/* Does re match the text from pos on (lookingAt), seeing the text around it? */
static int looking_at(URegularExpression *re, int64_t pos, int64_t len, UErrorCode *err)
{
    if (!re)
        return 1;
    uregex_setRegion64(re, pos, len, err);
    return uregex_lookingAt64(re, -1, err) != 0;
}

/* Does no-break rule r hold at pos: a beforebreak match ending at pos, that
 * starts in the current segment (from seg) and at most LOOKBEHIND bytes
 * before pos (loomchild's segment library bounds lookbehind too), and an
 * afterbreak match starting there? A ^ in beforebreak is the segment start. */
#define LOOKBEHIND 400
static int exception_at(const srx_rule *r, int64_t seg, int64_t pos, int64_t len,
                        UErrorCode *err)
{
    if (r->ending) {
        int64_t lo = pos - seg > LOOKBEHIND && !r->anchored ? pos - LOOKBEHIND : seg;
        uregex_setRegion64(r->ending, lo, pos, err);
        if (!uregex_findNext(r->ending, err))
            return 0;
    }
    return looking_at(r->after, pos, len, err);
}

/* A failed match: a rule over the time or stack limit is a bad SRX file
 * (FORMAT, naming the rule); anything else is an ICU error. */
static alinea_status match_fail(alinea_ctx *ctx, const srx_rule *sr, UErrorCode err, size_t p)
{
    if (sr && (err == U_REGEX_TIME_OUT || err == U_REGEX_STACK_OVERFLOW))
        return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                            "%s: the regex %s (%s; catastrophic backtracking?) in the paragraph "
                            "at byte %zu; simplify the rule",
                            sr->where,
                            err == U_REGEX_TIME_OUT ? "exceeds the matching time limit"
                                                    : "overflows the backtracking stack",
                            u_errorName(err), p + 1);
    return alinea__fail(ctx, ALINEA_ERR_ICU, "SRX matching: %s", u_errorName(err));
}

alinea_status alinea__srx_run(alinea_ctx *ctx, alinea__srx *x, UBreakIterator *bi, UText **ut,
                              const char *text, size_t p, size_t e, uint32_t para,
                              alinea_seg **segs, size_t *n, size_t *cap)
{
    alinea_status rc = ALINEA_OK;
    const srx_rule *cur = NULL; /* the rule being matched, for errors */
    int64_t len = (int64_t)(e - p);
    UErrorCode err = U_ZERO_ERROR;
    *ut = utext_openUTF8(*ut, text + p, len, &err);
    if (U_FAILURE(err))
        return alinea__fail(ctx, ALINEA_ERR_ICU, "utext_openUTF8: %s", u_errorName(err));
    for (size_t r = 0; r < x->n; r++) {
        srx_rule *sr = &x->rules[r];
        if (sr->after) {
            uregex_setUText(sr->after, *ut, &err);
            uregex_useTransparentBounds(sr->after, 1, &err);
        }
        if (sr->ending) {
            uregex_setUText(sr->ending, *ut, &err);
            uregex_useTransparentBounds(sr->ending, 1, &err);
        }
    }
    /* 1. every break rule proposes the positions where it matches */
    x->ncand = 0;
    for (size_t r = 0; r < x->n && U_SUCCESS(err); r++) {
        srx_rule *sr = &x->rules[r];
        if (!sr->brk)
            continue;
        cur = sr;
        if (!sr->before) {
            /* an empty beforebreak matches before every character */
            for (int64_t i = 1; i < len; i++)
                if (((unsigned char)text[p + (size_t)i] & 0xC0) != 0x80 &&
                    looking_at(sr->after, i, len, &err))
                    TRY(add_cand(ctx, x, i, i, (uint32_t)r));
            continue;
        }
        cur = sr;
        uregex_setUText(sr->before, *ut, &err);
        uregex_setTimeLimit(sr->before, SRX_TIME_BASE + (int32_t)(len / SRX_BYTES_PER_STEP), &err);
        while (U_SUCCESS(err) && uregex_findNext(sr->before, &err)) {
            int64_t pos = uregex_end64(sr->before, 0, &err);
            int64_t st = uregex_start64(sr->before, 0, &err);
            if (pos > 0 && pos < len && looking_at(sr->after, pos, len, &err))
                TRY(add_cand(ctx, x, pos, st, (uint32_t)r));
        }
    }
    /* 2. Okapi's useIcu4jBreakRules: ICU's boundaries, moved back over white
     *    space, as a break rule after all the others */
    if (x->use_icu && bi && U_SUCCESS(err)) {
        cur = NULL;
        ubrk_setUText(bi, *ut, &err);
        for (int32_t b = ubrk_first(bi); U_SUCCESS(err) && (b = ubrk_next(bi)) != UBRK_DONE;) {
            size_t pos = (size_t)b;
            while (pos > 0) {
                size_t k = pos - 1, l;
                while (k > 0 && ((unsigned char)text[p + k] & 0xC0) == 0x80)
                    k--;
                if (!is_ws(text, p + k, e, &l))
                    break;
                pos = k;
            }
            if (pos > 0 && (int64_t)pos < len)
                TRY(add_cand(ctx, x, (int64_t)pos, (int64_t)pos, (uint32_t)x->n));
        }
    }
    if (U_FAILURE(err))
        return match_fail(ctx, cur, err, p);
    if (x->ncand)
        qsort(x->cand, x->ncand, sizeof *x->cand, cmp_cand);
    /* 3. in text order, the first break rule at a position breaks unless a
     *    no-break rule listed before it matches there (SRX 2.0 rule order) */
    int64_t last = 0;
    size_t start = p;
    for (size_t i = 0; i < x->ncand; i++) {
        srx_cand *c = &x->cand[i];
        if (i && c->pos == x->cand[i - 1].pos)
            continue; /* only the first rule at a position counts */
        if (c->pos <= last || c->start < last)
            continue;
        int excepted = 0;
        for (uint32_t j = 0; j < c->rule && j < x->n && !excepted && U_SUCCESS(err); j++)
            if (!x->rules[j].brk) {
                cur = &x->rules[j];
                excepted = exception_at(cur, last, c->pos, len, &err);
            }
        if (U_FAILURE(err))
            return match_fail(ctx, cur, err, p);
        if (excepted)
            continue;
        uint32_t rule = c->rule == x->n ? UINT32_MAX : ALINEA__SRX_RULE_BASE + c->rule;
        TRY(emit(ctx, text, start, p + (size_t)c->pos, para, rule, segs, n, cap));
        start = p + (size_t)c->pos;
        last = c->pos;
    }
    TRY(emit(ctx, text, start, e, para, UINT32_MAX - 1, segs, n, cap));
cleanup:
    return rc;
}

/* ------------------------------------------------------------- writing */

#define W(call)                                                                                    \
    do {                                                                                           \
        if ((call) < 0) {                                                                          \
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "writing SRX: %s failed", #call);               \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

alinea_status alinea__srx_write(alinea_ctx *ctx, FILE *f, const char *rulename,
                                const char *langpattern, const alinea__srx_desc *rules, size_t n,
                                const char *comment)
{
    alinea_status rc = ALINEA_OK;
    xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(f, NULL);
    xmlTextWriterPtr w = NULL;
    if (!ob)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    w = xmlNewTextWriter(ob);
    if (!w) {
        xmlOutputBufferClose(ob);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
    if (comment)
        W(xmlTextWriterWriteComment(w, (const xmlChar *)comment));
    W(xmlTextWriterStartElementNS(w, NULL, (const xmlChar *)"srx", (const xmlChar *)SRX_NS));
    W(xmlTextWriterWriteAttributeNS(w, (const xmlChar *)"xmlns", (const xmlChar *)"okpsrx", NULL,
                                    (const xmlChar *)OKAPI_NS));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"version", (const xmlChar *)"2.0"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"header"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"segmentsubflows", (const xmlChar *)"yes"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"cascade", (const xmlChar *)"no"));
    static const char *const fh[][2] = {{"start", "no"}, {"end", "yes"}, {"isolated", "no"}};
    for (size_t i = 0; i < 3; i++) {
        W(xmlTextWriterStartElement(w, (const xmlChar *)"formathandle"));
        W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"type", (const xmlChar *)fh[i][0]));
        W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"include", (const xmlChar *)fh[i][1]));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterStartElementNS(w, (const xmlChar *)"okpsrx", (const xmlChar *)"options", NULL));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"oneSegmentIncludesAll",
                                  (const xmlChar *)"no"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"trimLeadingWhitespaces",
                                  (const xmlChar *)"yes"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"trimTrailingWhitespaces",
                                  (const xmlChar *)"yes"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"useJavaRegex", (const xmlChar *)"yes"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"useIcu4jBreakRules",
                                  (const xmlChar *)"no"));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndElement(w)); /* header */
    W(xmlTextWriterStartElement(w, (const xmlChar *)"body"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"languagerules"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"languagerule"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"languagerulename",
                                  (const xmlChar *)rulename));
    for (size_t i = 0; i < n; i++) {
        if (rules[i].comment)
            W(xmlTextWriterWriteComment(w, (const xmlChar *)rules[i].comment));
        W(xmlTextWriterStartElement(w, (const xmlChar *)"rule"));
        W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"break",
                                      (const xmlChar *)(rules[i].brk ? "yes" : "no")));
        W(xmlTextWriterWriteElement(w, (const xmlChar *)"beforebreak",
                                    (const xmlChar *)rules[i].before));
        W(xmlTextWriterWriteElement(w, (const xmlChar *)"afterbreak",
                                    (const xmlChar *)rules[i].after));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w)); /* languagerule */
    W(xmlTextWriterEndElement(w)); /* languagerules */
    W(xmlTextWriterStartElement(w, (const xmlChar *)"maprules"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"languagemap"));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"languagepattern",
                                  (const xmlChar *)langpattern));
    W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"languagerulename",
                                  (const xmlChar *)rulename));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndElement(w)); /* maprules */
    W(xmlTextWriterEndElement(w)); /* body */
    W(xmlTextWriterEndElement(w)); /* srx */
    W(xmlTextWriterEndDocument(w));
    W(xmlTextWriterFlush(w));
cleanup:
    xmlFreeTextWriter(w); /* closes ob */
    return rc;
}
