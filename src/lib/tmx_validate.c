/*
 * tmx_validate.c - TMX 1.4b validation. The rules of the TMX 1.4 DTD
 * (LISA OSCAR, "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN")
 * are written here as tables and checked while streaming, TU by TU, together
 * with rules of the TMX 1.4b specification that a DTD cannot express. With a
 * DTD file, libxml2's own DTD validation runs as well.
 */
#define _POSIX_C_SOURCE 200809L
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <libxml/xmlreader.h>

/* Element rules: allowed attributes ("!" prefix: required), allowed child
 * elements, and whether text is allowed (mixed content). */
typedef struct elem_rule {
    const char *name;
    const char *attrs[16];
    const char *children[8];
    int text;
} elem_rule;

#define DATES "creationdate", "creationid", "changedate", "changeid"
static const elem_rule RULES[] = {
    {"tmx", {"!version"}, {"header", "body"}, 0},
    {"header",
     {"!creationtool", "!creationtoolversion", "!segtype", "!o-tmf", "!adminlang", "!srclang",
      "!datatype", "o-encoding", DATES},
     {"note", "prop", "ude"},
     0},
    {"body", {NULL}, {"tu"}, 0},
    {"note", {"o-encoding", "xml:lang", "lang"}, {NULL}, 1},
    {"prop", {"!type", "xml:lang", "o-encoding", "lang"}, {NULL}, 1},
    {"ude", {"!name", "base"}, {"map"}, 0},
    {"map", {"!unicode", "code", "ent", "subst"}, {NULL}, 0},
    {"tu",
     {"tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
      "creationtoolversion", DATES, "segtype", "o-tmf", "srclang"},
     {"note", "prop", "tuv"},
     0},
    {"tuv",
     {"!xml:lang", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
      "creationtoolversion", DATES, "o-tmf", "lang"},
     {"note", "prop", "seg"},
     0},
    {"seg", {NULL}, {"bpt", "ept", "ph", "it", "hi", "ut"}, 1},
    {"bpt", {"!i", "x", "type"}, {"sub"}, 1},
    {"ept", {"!i"}, {"sub"}, 1},
    {"sub", {"datatype", "type"}, {"bpt", "ept", "it", "ph", "hi", "ut"}, 1},
    {"it", {"!pos", "x", "type"}, {"sub"}, 1},
    {"ph", {"x", "assoc", "type"}, {"sub"}, 1},
    {"hi", {"x", "type"}, {"bpt", "ept", "it", "ph", "hi", "ut"}, 1},
    {"ut", {"x"}, {"sub"}, 1},
};

typedef struct vctx {
    alinea_ctx *ctx;
    alinea_tmx_problem_fn fn;
    void *ud;
    size_t n;
    char srclang[96];
    int have_srclang;
} vctx;

static void problem(vctx *v, long line, const char *fmt, ...) ALINEA_PRINTF(3, 4);
static void problem(vctx *v, long line, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->n++;
    if (v->fn)
        v->fn(v->ud, line > 0 ? (size_t)line : 0, msg);
}

static const elem_rule *rule_for(const char *name)
{
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        if (strcmp(RULES[i].name, name) == 0)
            return &RULES[i];
    return NULL;
}

static int in_list(const char *const *list, size_t max, const char *s)
{
    for (size_t i = 0; i < max && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static const char *attr_name(xmlAttrPtr a, char *buf, size_t cap)
{
    if (a->ns && a->ns->prefix)
        snprintf(buf, cap, "%s:%s", a->ns->prefix, a->name);
    else
        snprintf(buf, cap, "%s", a->name);
    return buf;
}

static xmlChar *get_attr(xmlNodePtr n, const char *qname)
{
    if (strcmp(qname, "xml:lang") == 0)
        return xmlGetNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE);
    return xmlGetNoNsProp(n, BAD_CAST qname);
}

static int valid_date(const char *d)
{
    if (strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

static int is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The DTD rules of one element: attributes, their values, children. */
static void check_element(vctx *v, xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    long line = xmlGetLineNo(n);
    const elem_rule *r = rule_for(name);
    if (!r) {
        problem(v, line, "<%s> is not a TMX 1.4 element", name);
        return;
    }
    char buf[128];
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *an = attr_name(a, buf, sizeof buf);
        int ok = 0;
        for (size_t i = 0; i < 16 && r->attrs[i]; i++) {
            const char *want = r->attrs[i][0] == '!' ? r->attrs[i] + 1 : r->attrs[i];
            if (strcmp(want, an) == 0)
                ok = 1;
        }
        if (!ok)
            problem(v, line, "<%s> has attribute %s, which TMX 1.4 does not define for it", name,
                    an);
        xmlChar *val = xmlNodeListGetString(n->doc, a->children, 1);
        const char *s = val ? (const char *)val : "";
        if ((strcmp(an, "creationdate") == 0 || strcmp(an, "changedate") == 0 ||
             strcmp(an, "lastusagedate") == 0) && !valid_date(s))
            problem(v, line, "<%s %s=\"%s\">: dates are YYYYMMDDThhmmssZ (TMX 1.4b, UTC)", name,
                    an, s);
        if (strcmp(an, "segtype") == 0 && strcmp(s, "block") && strcmp(s, "paragraph") &&
            strcmp(s, "sentence") && strcmp(s, "phrase"))
            problem(v, line, "<%s segtype=\"%s\">: must be block, paragraph, sentence or phrase",
                    name, s);
        if (strcmp(name, "it") == 0 && strcmp(an, "pos") == 0 && strcmp(s, "begin") &&
            strcmp(s, "end"))
            problem(v, line, "<it pos=\"%s\">: must be begin or end", s);
        if (strcmp(name, "tmx") == 0 && strcmp(an, "version") == 0 && strcmp(s, "1.4") != 0)
            problem(v, line, "<tmx version=\"%s\">: TMX 1.4 requires version=\"1.4\"", s);
        xmlFree(val);
    }
    for (size_t i = 0; i < 16 && r->attrs[i]; i++) {
        if (r->attrs[i][0] != '!')
            continue;
        xmlChar *val = get_attr(n, r->attrs[i] + 1);
        if (!val)
            problem(v, line, "<%s> lacks the required attribute %s", name, r->attrs[i] + 1);
        xmlFree(val);
    }
    /* children */
    int nseg = 0, seen_tuv = 0, seen_seg = 0, nmap = 0, seen_body = 0, nheader = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        long cl = xmlGetLineNo(c);
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!r->text && !is_blank(c->content))
                problem(v, cl, "text directly inside <%s>, which allows only elements", name);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *cn = (const char *)c->name;
        if (!in_list(r->children, 8, cn)) {
            problem(v, cl, "<%s> is not allowed inside <%s>", cn, name);
            continue;
        }
        if (strcmp(name, "tu") == 0) {
            if (strcmp(cn, "tuv") == 0)
                seen_tuv = 1;
            else if (seen_tuv)
                problem(v, cl, "<%s> after <tuv> in <tu> (DTD: tu is ((note|prop)*, tuv+))", cn);
        } else if (strcmp(name, "tuv") == 0) {
            if (strcmp(cn, "seg") == 0) {
                if (nseg++)
                    problem(v, cl, "a second <seg> in <tuv> (DTD: tuv is ((note|prop)*, seg))");
                seen_seg = 1;
            } else if (seen_seg) {
                problem(v, cl, "<%s> after <seg> in <tuv> (DTD: tuv is ((note|prop)*, seg))", cn);
            }
        } else if (strcmp(name, "ude") == 0) {
            nmap++;
        } else if (strcmp(name, "tmx") == 0) {
            if (strcmp(cn, "header") == 0) {
                if (nheader++ || seen_body)
                    problem(v, cl, "<header> must come once, before <body>");
            } else {
                seen_body = 1;
            }
        }
    }
    if (strcmp(name, "tu") == 0 && !seen_tuv)
        problem(v, line, "<tu> without <tuv> (DTD: tu needs tuv+)");
    if (strcmp(name, "tuv") == 0 && !nseg)
        problem(v, line, "<tuv> without <seg>");
    if (strcmp(name, "ude") == 0 && !nmap)
        problem(v, line, "<ude> without <map> (DTD: ude is map+)");
}

static void check_tree(vctx *v, xmlNodePtr n, int depth)
{
    if (depth > 256) {
        problem(v, xmlGetLineNo(n), "elements nested too deeply");
        return;
    }
    check_element(v, n);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && rule_for((const char *)c->name))
            check_tree(v, c, depth + 1); /* unknown ones were reported by check_element */
}

/* bpt/ept pairing inside one segment (or one sub): unique i per bpt, each
 * ept after a bpt with the same i, each bpt closed. */
typedef struct pair_state {
    char *ids[256];
    long lines[256];
    int closed[256];
    size_t n;
} pair_state;

static void collect_pairs(vctx *v, xmlNodePtr n, pair_state *ps, int depth);

static void check_pairs_scope(vctx *v, xmlNodePtr scope, int depth)
{
    pair_state ps;
    memset(&ps, 0, sizeof ps);
    collect_pairs(v, scope, &ps, depth);
    for (size_t k = 0; k < ps.n; k++) {
        if (!ps.closed[k])
            problem(v, ps.lines[k], "<bpt i=\"%s\"> has no matching <ept i=\"%s\"> in its segment",
                    ps.ids[k], ps.ids[k]);
        xmlFree(ps.ids[k]);
    }
}

static void collect_pairs(vctx *v, xmlNodePtr n, pair_state *ps, int depth)
{
    if (depth > 256)
        return;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        long line = xmlGetLineNo(c);
        if (strcmp((const char *)c->name, "bpt") == 0 ||
            strcmp((const char *)c->name, "ept") == 0) {
            int is_b = c->name[0] == 'b';
            xmlChar *i = xmlGetNoNsProp(c, BAD_CAST "i");
            if (i) {
                size_t k;
                for (k = 0; k < ps->n; k++)
                    if (strcmp(ps->ids[k], (const char *)i) == 0)
                        break;
                if (is_b) {
                    if (k < ps->n)
                        problem(v, line, "<bpt i=\"%s\">: i is not unique in the segment", i);
                    else if (ps->n < 256) {
                        ps->ids[ps->n] = (char *)i;
                        ps->lines[ps->n] = line;
                        ps->closed[ps->n] = 0;
                        ps->n++;
                        i = NULL;
                    }
                } else {
                    if (k == ps->n)
                        problem(v, line, "<ept i=\"%s\"> without an earlier <bpt i=\"%s\">", i, i);
                    else if (ps->closed[k])
                        problem(v, line, "a second <ept i=\"%s\">", i);
                    else
                        ps->closed[k] = 1;
                }
                xmlFree(i);
            }
        }
        /* A sub is a segment of its own; hi is part of this one. */
        for (xmlNodePtr s = c->children; s; s = s->next)
            if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, "sub") == 0)
                check_pairs_scope(v, s, depth + 1);
        if (strcmp((const char *)c->name, "hi") == 0)
            collect_pairs(v, c, ps, depth + 1);
    }
}

static void check_tu(vctx *v, xmlNodePtr tu)
{
    check_tree(v, tu, 0);
    long line = xmlGetLineNo(tu);
    xmlChar *src = xmlGetNoNsProp(tu, BAD_CAST "srclang");
    const char *s = src ? (const char *)src : (v->have_srclang ? v->srclang : NULL);
    if (!s || !*s) {
        problem(v, line, "<tu> without srclang while the header has none");
    } else if (strcmp(s, "*all*") != 0) {
        int found = 0;
        for (xmlNodePtr c = tu->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "tuv") != 0)
                continue;
            xmlChar *l = xmlGetNsProp(c, BAD_CAST "lang", XML_XML_NAMESPACE);
            if (!l)
                l = xmlGetNoNsProp(c, BAD_CAST "lang");
            if (l && strcasecmp((const char *)l, s) == 0)
                found = 1;
            xmlFree(l);
        }
        if (!found)
            problem(v, line, "<tu> has no <tuv> in its source language %s", s);
    }
    xmlFree(src);
    for (xmlNodePtr c = tu->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "tuv") != 0)
            continue;
        for (xmlNodePtr g = c->children; g; g = g->next)
            if (g->type == XML_ELEMENT_NODE && strcmp((const char *)g->name, "seg") == 0)
                check_pairs_scope(v, g, 0);
    }
}

/* The document being streamed, through the current node: unlike
 * xmlTextReaderCurrentDoc this does not make the reader keep the document. */
static xmlDocPtr reader_doc(xmlTextReaderPtr xr)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(xr);
    return n ? n->doc : NULL;
}

typedef struct rd {
    int err;
    long line;
    char msg[512];
} rd;

static void on_error(void *ud, xmlErrorPtr e)
{
    rd *r = ud;
    if (!e || e->level < XML_ERR_ERROR || r->err)
        return;
    r->err = 1;
    r->line = e->line;
    snprintf(r->msg, sizeof r->msg, "%s", e->message ? e->message : "XML error");
    for (char *p = r->msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

typedef struct dtd_errs {
    vctx *v;
} dtd_errs;

static void on_dtd_error(void *ud, xmlErrorPtr e)
{
    dtd_errs *d = ud;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "DTD: %s", e->message ? e->message : "invalid");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    problem(d->v, e->line, "%s", msg);
}

static alinea_status validate_dtd(vctx *v, const char *path, const char *dtd_path)
{
    alinea_status rc = ALINEA_OK;
    xmlDtdPtr dtd = NULL;
    xmlDocPtr doc = NULL;
    xmlValidCtxtPtr vc = NULL;
    FILE *f = fopen(dtd_path, "rb");
    if (!f)
        return alinea__fail(v->ctx, ALINEA_ERR_IO, "%s: cannot read the DTD: %s", dtd_path,
                            strerror(errno));
    fclose(f);
    dtd_errs d = {v};
    xmlSetStructuredErrorFunc(&d, on_dtd_error);
    dtd = xmlParseDTD(NULL, BAD_CAST dtd_path);
    if (!dtd) {
        rc = alinea__fail(v->ctx, ALINEA_ERR_FORMAT, "%s: not a DTD libxml2 can parse", dtd_path);
        goto cleanup;
    }
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc) {
        rc = alinea__fail(v->ctx, ALINEA_ERR_FORMAT, "%s: not well-formed XML", path);
        goto cleanup;
    }
    vc = xmlNewValidCtxt();
    CHECK_ALLOC(v->ctx, vc);
    vc->error = NULL;
    vc->warning = NULL;
    xmlValidateDtd(vc, doc, dtd);
cleanup:
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (vc)
        xmlFreeValidCtxt(vc);
    xmlFreeDoc(doc);
    if (dtd)
        xmlFreeDtd(dtd);
    return rc;
}

alinea_status alinea_tmx_validate(alinea_ctx *ctx, const char *path, const char *dtd_path,
                                  alinea_tmx_problem_fn fn, void *userdata, size_t *nproblems)
{
    alinea_status rc = ALINEA_OK;
    vctx v = {ctx, fn, userdata, 0, "", 0};
    rd e = {0, 0, ""};
    xmlTextReaderPtr xr = NULL;
    int started = 0, ret, in_body = 0, pending = 0;
    if (nproblems)
        *nproblems = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    fclose(f);
    xr = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
    if (!xr)
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot open for XML reading", path);
    xmlTextReaderSetStructuredErrorHandler(xr, on_error, &e);
    for (;;) {
        ret = pending ? 1 : xmlTextReaderRead(xr);
        pending = 0;
        if (ret != 1 || e.err)
            break;
        int type = xmlTextReaderNodeType(xr);
        xmlDocPtr doc = reader_doc(xr);
        if (!started && doc && doc->intSubset &&
            (doc->intSubset->entities || doc->intSubset->pentities)) {
            rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                              "%s:%d: the DOCTYPE declares entities; refused (entity expansion "
                              "and external entities)",
                              path, xmlTextReaderGetParserLineNumber(xr));
            goto cleanup;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstName(xr);
        int depth = xmlTextReaderDepth(xr);
        if (!started) {
            started = 1;
            if (strcmp(name, "tmx") != 0) {
                rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                  "%s:%d: not a TMX file: the root element is <%s>", path,
                                  xmlTextReaderGetParserLineNumber(xr), name);
                goto cleanup;
            }
            /* attributes of <tmx> (children are checked as they stream) */
            xmlNodePtr n = xmlTextReaderCurrentNode(xr);
            xmlNodePtr save = n->children;
            n->children = NULL;
            check_element(&v, n);
            n->children = save;
            continue;
        }
        if (depth == 1) {
            in_body = strcmp(name, "body") == 0;
            if (strcmp(name, "header") == 0) {
                xmlNodePtr n = xmlTextReaderExpand(xr);
                if (!n)
                    break;
                check_tree(&v, n, 0);
                xmlChar *s = xmlGetNoNsProp(n, BAD_CAST "srclang");
                if (s && *s) {
                    snprintf(v.srclang, sizeof v.srclang, "%s", (const char *)s);
                    v.have_srclang = 1;
                }
                xmlFree(s);
            } else if (!in_body) {
                problem(&v, xmlTextReaderGetParserLineNumber(xr),
                        "<%s> is not allowed inside <tmx>", name);
            }
            continue;
        }
        if (depth == 2 && in_body) {
            if (strcmp(name, "tu") != 0) {
                problem(&v, xmlTextReaderGetParserLineNumber(xr),
                        "<%s> is not allowed inside <body>", name);
                continue;
            }
            xmlNodePtr n = xmlTextReaderExpand(xr);
            if (!n)
                break;
            check_tu(&v, n);
            /* skip the TU's subtree; Next leaves the reader on the following node */
            ret = xmlTextReaderNext(xr);
            while (ret == 1 && !e.err && xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT)
                ret = xmlTextReaderRead(xr);
            if (ret == 1 && !e.err)
                pending = 1; /* an element: handle it on the next turn */
            if (ret != 1)
                break;
            continue;
        }
    }
    if (e.err || ret < 0) {
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s:%ld: %s", path, e.line,
                          e.err ? e.msg : "XML parse error");
        goto cleanup;
    }
    if (!started) {
        rc = alinea__fail(ctx, ALINEA_ERR_FORMAT, "%s: empty file, not TMX", path);
        goto cleanup;
    }
    if (dtd_path)
        TRY(validate_dtd(&v, path, dtd_path));
    if (nproblems)
        *nproblems = v.n;
cleanup:
    xmlFreeTextReader(xr);
    return rc;
}
