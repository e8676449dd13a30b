/*
 * tmx_read.c - streaming TMX reader over libxml2's xmlTextReader. Each <tu>
 * is expanded into a small subtree (xmlTextReaderExpand), turned into an
 * alinea_tu whose strings live in a per-TU arena, then skipped, so memory
 * stays flat whatever the file's size.
 */
#define _POSIX_C_SOURCE 200809L
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <unicode/utf8.h>

#define LANG_CAP 96
#define LANG_CACHE 8

/* ------------------------------------------------------------ per-TU arena */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block;

typedef struct arena {
    arena_block *head;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

static char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Keep one block (the oldest, at the tail) for the next TU. */
static void arena_reset(arena *a)
{
    arena_block *b = a->head, *keep = NULL;
    while (b) {
        arena_block *next = b->next;
        if (!next && b->cap == 65536) {
            keep = b;
            keep->used = 0;
        } else {
            free(b);
        }
        b = next;
    }
    a->head = keep;
}

static void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ------------------------------------------------------------------ reader */

enum recovery {
    REC_VERSION,      /* not version="1.4" */
    REC_LANG_ATTR,    /* lang= instead of xml:lang on a 1.4 file */
    REC_HEADER_ATTRS, /* required header attributes missing */
    REC_NO_HEADER,
    REC_TUV_ORDER,    /* note/prop after seg */
    REC_TU_ORDER,     /* note/prop after tuv */
    REC_NO_LANG,      /* tuv without language */
    REC_NO_SEG,       /* tuv without seg, or several */
    REC_NO_TUV,       /* tu without tuv */
    REC_NO_SRCLANG,   /* neither header nor tu srclang */
    REC_ODD_INLINE,   /* unknown element inside seg */
    REC_BAD_LANG,     /* language tag kept as written */
    REC_ENCODING,     /* UTF-16 label on UTF-8 bytes */
    REC_COUNT
};

struct alinea_tmx_reader {
    alinea_ctx *ctx;
    char *path;
    xmlTextReaderPtr xr;
    int pending; /* the reader already stands on the next node (after xmlTextReaderNext) */
    int started, done, warned, seen_header, is_stdin;
    /* first libxml2 error */
    int xml_error;
    int xml_code;
    long xml_line;
    char xml_msg[512];
    /* header */
    alinea_prop *hattrs;
    size_t nhattrs;
    char **hnotes; /* header <note>s and <prop>s */
    size_t nhnotes;
    alinea_prop *hprops;
    size_t nhprops;
    char *version;
    char *srclang;
    /* current TU */
    arena mem;
    alinea_tu tu;
    size_t ntu;
    /* language normalisation cache */
    char cache_in[LANG_CACHE][LANG_CAP];
    char cache_out[LANG_CACHE][LANG_CAP];
    unsigned cache_next;
    /* recoveries */
    size_t rec[REC_COUNT];
    long rec_line[REC_COUNT];
    char missing_attrs[256];
    xmlBufferPtr dump;
    xmlDocPtr owned_doc; /* taken with xmlTextReaderCurrentDoc on an error */
};

/* The document being streamed, through the current node: unlike
 * xmlTextReaderCurrentDoc this does not make the reader keep the document. */
static xmlDocPtr reader_doc(xmlTextReaderPtr xr)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(xr);
    return n ? n->doc : NULL;
}

static void on_xml_error(void *ud, xmlErrorPtr err)
{
    alinea_tmx_reader *r = ud;
    if (!err || err->level < XML_ERR_ERROR || r->xml_error)
        return;
    r->xml_error = 1;
    r->xml_code = err->code;
    r->xml_line = err->line;
    snprintf(r->xml_msg, sizeof r->xml_msg, "%s", err->message ? err->message : "XML error");
    for (char *p = r->xml_msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    size_t n = strlen(r->xml_msg);
    while (n && r->xml_msg[n - 1] == ' ')
        r->xml_msg[--n] = '\0';
}

static alinea_status xml_error_status(alinea_tmx_reader *r)
{
    alinea_status st = ALINEA_ERR_FORMAT;
    if (r->xml_code == XML_ERR_INVALID_ENCODING || r->xml_code == XML_ERR_UNSUPPORTED_ENCODING ||
        r->xml_code == XML_ERR_UNKNOWN_ENCODING || strstr(r->xml_msg, "encoding") ||
        strstr(r->xml_msg, "UTF-8") || strstr(r->xml_msg, "UTF-16"))
        st = ALINEA_ERR_ENCODING;
    if (r->xml_code == XML_ERR_NO_MEMORY)
        st = ALINEA_ERR_NOMEM;
    /* Error path: the parser may have failed before any node was current, so
     * take the document itself (then it is ours to free, see _free). */
    xmlDocPtr doc = reader_doc(r->xr);
    if (!doc && !r->owned_doc)
        doc = r->owned_doc = xmlTextReaderCurrentDoc(r->xr);
    if (doc && doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities))
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s:%ld: %s; the DOCTYPE declares entities, which TMX files never "
                            "need and Alinea refuses (protection against entity expansion and "
                            "external entities)",
                            r->path, r->xml_line, r->xml_msg);
    /* libxml2's streaming parser says this for a file cut short, too. */
    const char *hint = strstr(r->xml_msg, "Extra content at the end of the document")
                           ? " (the file is truncated, or has content after the root element)"
                           : "";
    return alinea__fail(r->ctx, st, "%s:%ld: %s%s", r->path, r->xml_line, r->xml_msg, hint);
}

static void recover(alinea_tmx_reader *r, enum recovery k, long line)
{
    if (r->rec[k]++ == 0)
        r->rec_line[k] = line;
}

void alinea_tmx_reader_free(alinea_tmx_reader *r)
{
    if (!r)
        return;
    if (r->xr)
        xmlFreeTextReader(r->xr);
    if (r->owned_doc)
        xmlFreeDoc(r->owned_doc);
    if (r->dump)
        xmlBufferFree(r->dump);
    arena_free(&r->mem);
    for (size_t i = 0; i < r->nhattrs; i++) {
        free(r->hattrs[i].type);
        free(r->hattrs[i].value);
    }
    free(r->hattrs);
    for (size_t i = 0; i < r->nhnotes; i++)
        free(r->hnotes[i]);
    free(r->hnotes);
    for (size_t i = 0; i < r->nhprops; i++) {
        free(r->hprops[i].type);
        free(r->hprops[i].value);
    }
    free(r->hprops);
    free(r->version);
    free(r->srclang);
    free(r->path);
    free(r);
}

/* (Re)open the libxml2 reader. encoding non-NULL forces it over the XML
 * declaration (XML_PARSE_IGNORE_ENC). */
static alinea_status open_xml(alinea_tmx_reader *r, const char *path, const char *encoding)
{
    int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                  XML_PARSE_NOWARNING;
    if (encoding)
        options |= XML_PARSE_IGNORE_ENC;
    if (r->xr)
        xmlFreeTextReader(r->xr);
    r->xr = r->is_stdin ? xmlReaderForFd(0, NULL, encoding, options)
                        : xmlReaderForFile(path, encoding, options);
    if (!r->xr)
        return alinea__fail(r->ctx, ALINEA_ERR_IO, "%s: cannot open for XML reading", r->path);
    xmlTextReaderSetStructuredErrorHandler(r->xr, on_xml_error, r);
    return ALINEA_OK;
}

alinea_status alinea_tmx_reader_open(alinea_ctx *ctx, const char *path, alinea_tmx_reader **out)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    *out = NULL;
    int is_stdin = !path || strcmp(path, "-") == 0;
    if (!is_stdin) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot open: %s", path,
                                strerror(errno));
        fclose(f);
    }
    r = calloc(1, sizeof *r);
    CHECK_ALLOC(ctx, r);
    r->ctx = ctx;
    r->is_stdin = is_stdin;
    r->path = alinea__strdup(is_stdin ? "standard input" : path);
    CHECK_ALLOC(ctx, r->path);
    r->dump = xmlBufferCreate();
    CHECK_ALLOC(ctx, r->dump);
    TRY(open_xml(r, path, NULL));
    *out = r;
    r = NULL;
cleanup:
    alinea_tmx_reader_free(r);
    return rc;
}

/* Recovery: libxml2 refuses "Document labelled UTF-16 but has UTF-8
 * content" (a UTF-16 export re-saved as UTF-8, e.g. from memoQ). Such a file
 * is read again as UTF-8, once, with a warning. Returns 1 when reopened. */
/* Recovery: a file declared in a single-byte encoding (ISO-8859-1,
 * windows-1252...) whose first 64 KiB are valid UTF-8 with at least one
 * multi-byte sequence is UTF-8 re-labelled by mistake: decoding it as
 * declared would turn "é" into "Ã©". It is read again as UTF-8, once, with a
 * warning. (Real Latin-1 text is almost never valid UTF-8 with multi-byte
 * sequences.) Returns 1 when reopened. */
static int utf8_under_8bit_label(alinea_tmx_reader *r)
{
    if (r->is_stdin || r->rec[REC_ENCODING])
        return 0;
    const char *enc = (const char *)xmlTextReaderConstEncoding(r->xr);
    if (!enc || strncasecmp(enc, "UTF", 3) == 0 || strncasecmp(enc, "UCS", 3) == 0 ||
        strcasecmp(enc, "US-ASCII") == 0 || strcasecmp(enc, "ASCII") == 0)
        return 0;
    FILE *f = fopen(r->path, "rb");
    if (!f)
        return 0;
    enum { WINDOW = 65536 };
    char *buf = malloc(WINDOW);
    if (!buf) {
        fclose(f);
        return 0;
    }
    int32_t n = (int32_t)fread(buf, 1, WINDOW, f);
    fclose(f);
    int multibyte = 0, valid = 1;
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(buf, i, n, c);
        if (c < 0) {
            valid = n == WINDOW && i >= n - 3; /* a sequence cut by the window */
            break;
        }
        multibyte |= i - start > 1;
    }
    free(buf);
    if (!valid || !multibyte)
        return 0;
    char declared[64];
    snprintf(declared, sizeof declared, "%s", enc);
    recover(r, REC_ENCODING, 1);
    if (open_xml(r, r->path, "UTF-8") != ALINEA_OK)
        return 0;
    alinea__warn(r->ctx,
                 "%s: the XML declaration says %s but the bytes are UTF-8 (\"\xC3\xA9\" would read "
                 "as \"\xC3\x83\xC2\xA9\"); reading it as UTF-8",
                 r->path, declared);
    return 1;
}

static int retry_as_utf8(alinea_tmx_reader *r)
{
    if (r->started || r->is_stdin || r->rec[REC_ENCODING] ||
        !strstr(r->xml_msg, "labelled UTF-16 but has UTF-8 content"))
        return 0;
    recover(r, REC_ENCODING, r->xml_line);
    r->xml_error = 0;
    r->xml_code = 0;
    r->xml_msg[0] = '\0';
    if (open_xml(r, r->path, "UTF-8") != ALINEA_OK)
        return 0;
    alinea__warn(r->ctx,
                 "%s: the XML declaration says UTF-16 but the bytes are UTF-8 (a UTF-16 export "
                 "re-saved as UTF-8?); reading it as UTF-8",
                 r->path);
    return 1;
}

/* ---------------------------------------------------------------- helpers */

static const char *const INLINE_ELEMENTS[] = {"bpt", "ept", "it", "ph", "hi", "ut", "sub", NULL};

static int is_inline(const xmlChar *name)
{
    for (size_t i = 0; INLINE_ELEMENTS[i]; i++)
        if (strcmp((const char *)name, INLINE_ELEMENTS[i]) == 0)
            return 1;
    return 0;
}

static int name_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int is_xml_ns(xmlNsPtr ns)
{
    return ns && ns->href && strcmp((const char *)ns->href, (const char *)XML_XML_NAMESPACE) == 0;
}

/* Concatenated text of a node's text and CDATA descendants, into the arena. */
static alinea_status collect_text(alinea_tmx_reader *r, xmlNodePtr n, alinea_buf *b, int depth)
{
    alinea_status rc = ALINEA_OK;
    if (depth > 256)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT, "%s:%ld: elements nested too deeply",
                            r->path, xmlGetLineNo(n));
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            TRY(alinea__buf_add(r->ctx, b, c->content, strlen((const char *)c->content)));
        else if (c->type == XML_ELEMENT_NODE)
            TRY(collect_text(r, c, b, depth + 1));
    }
cleanup:
    return rc;
}

static alinea_status node_text(alinea_tmx_reader *r, xmlNodePtr n, char **out)
{
    alinea_status rc = ALINEA_OK;
    xmlNodePtr c = n->children;
    /* Fast path: a single text node. */
    if (!c) {
        *out = arena_strndup(&r->mem, "", 0);
    } else if (!c->next && c->type == XML_TEXT_NODE && c->content) {
        size_t len = strlen((const char *)c->content);
        if (len > ALINEA_MAX_SEGMENT_BYTES)
            return alinea__fail(r->ctx, ALINEA_ERR_TOO_BIG, "%s:%ld: <%s> longer than %zu bytes",
                                r->path, xmlGetLineNo(n), (const char *)n->name,
                                (size_t)ALINEA_MAX_SEGMENT_BYTES);
        *out = arena_strndup(&r->mem, (const char *)c->content, len);
    } else {
        alinea_buf b;
        alinea__buf_init(&b, ALINEA_MAX_SEGMENT_BYTES);
        rc = collect_text(r, n, &b, 0);
        if (rc == ALINEA_ERR_TOO_BIG)
            rc = alinea__fail(r->ctx, rc, "%s:%ld: <%s> longer than %zu bytes", r->path,
                              xmlGetLineNo(n), (const char *)n->name,
                              (size_t)ALINEA_MAX_SEGMENT_BYTES);
        if (rc == ALINEA_OK)
            *out = arena_strndup(&r->mem, b.data ? b.data : "", b.len);
        alinea__buf_free(&b);
        if (rc != ALINEA_OK)
            return rc;
    }
    if (!*out)
        return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
    return ALINEA_OK;
}

static alinea_status attr_value(alinea_tmx_reader *r, xmlAttrPtr a, char **out)
{
    xmlNodePtr c = a->children;
    if (!c) {
        *out = arena_strndup(&r->mem, "", 0);
    } else if (!c->next && c->type == XML_TEXT_NODE && c->content) {
        *out = arena_strndup(&r->mem, (const char *)c->content, strlen((const char *)c->content));
    } else {
        xmlChar *v = xmlNodeListGetString(a->doc, c, 1);
        *out = v ? arena_strndup(&r->mem, (const char *)v, strlen((const char *)v)) : NULL;
        xmlFree(v);
    }
    if (!*out)
        return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
    return ALINEA_OK;
}

/* Language tag to BCP 47 through a small cache; "*all*" and tags ICU refuses
 * are kept as written (the latter counted). */
static alinea_status norm_lang(alinea_tmx_reader *r, const char *tag, long line, char **out)
{
    for (unsigned i = 0; i < LANG_CACHE; i++)
        if (r->cache_in[i][0] && strcmp(r->cache_in[i], tag) == 0) {
            *out = arena_strndup(&r->mem, r->cache_out[i], strlen(r->cache_out[i]));
            goto done;
        }
    char buf[LANG_CAP];
    if (strcmp(tag, "*all*") == 0 || alinea_lang_normalize(tag, buf, sizeof buf) != ALINEA_OK) {
        if (strcmp(tag, "*all*") != 0)
            recover(r, REC_BAD_LANG, line);
        *out = arena_strndup(&r->mem, tag, strlen(tag));
        goto done;
    }
    if (strlen(tag) < LANG_CAP) {
        unsigned k = r->cache_next++ % LANG_CACHE;
        snprintf(r->cache_in[k], LANG_CAP, "%s", tag);
        snprintf(r->cache_out[k], LANG_CAP, "%s", buf);
    }
    *out = arena_strndup(&r->mem, buf, strlen(buf));
done:
    if (!*out)
        return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
    return ALINEA_OK;
}

static size_t count_children(xmlNodePtr n, const char *name)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        k += name_is(c, name);
    return k;
}

static void *arena_array(arena *a, size_t n, size_t elem)
{
    if (n == 0)
        return NULL;
    void *p = arena_alloc(a, n * elem);
    if (p)
        memset(p, 0, n * elem);
    return p;
}

#define ARENA_ARRAY(ptr, n)                                                                        \
    do {                                                                                           \
        (ptr) = arena_array(&r->mem, (n), sizeof *(ptr));                                          \
        if ((n) && !(ptr)) {                                                                       \
            rc = alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");                          \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

/* <prop> and <note> children into the arrays (already sized). */
static alinea_status read_prop(alinea_tmx_reader *r, xmlNodePtr c, alinea_prop *p)
{
    alinea_status rc = ALINEA_OK;
    xmlChar *type = xmlGetProp(c, BAD_CAST "type");
    p->type = arena_strndup(&r->mem, type ? (const char *)type : "",
                            type ? strlen((const char *)type) : 0);
    xmlFree(type);
    CHECK_ALLOC(r->ctx, p->type);
    TRY(node_text(r, c, &p->value));
cleanup:
    return rc;
}

static alinea_status read_attrs(alinea_tmx_reader *r, xmlNodePtr n, alinea_prop **attrs,
                                size_t *nattrs, const char *skip1, const char *skip2)
{
    alinea_status rc = ALINEA_OK;
    size_t k = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        k++;
    ARENA_ARRAY(*attrs, k);
    k = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (is_xml_ns(a->ns) && strcmp(name, "lang") == 0)
            continue;
        if ((skip1 && strcmp(name, skip1) == 0) || (skip2 && strcmp(name, skip2) == 0))
            continue;
        (*attrs)[k].type = arena_strndup(&r->mem, name, strlen(name));
        CHECK_ALLOC(r->ctx, (*attrs)[k].type);
        TRY(attr_value(r, a, &(*attrs)[k].value));
        k++;
    }
    *nattrs = k;
cleanup:
    return rc;
}

/* ------------------------------------------------------------ segments
 * Inline markup (alinea_tmx.h, "Inline codes"): concatenating the segment's
 * text pieces (XML-escaped) and codes[k].xml in text order gives back the
 * content of <seg>. Native-code elements (bpt, ept, it, ph, ut) are one code
 * each; <hi> and <sub> carry translatable text, so their start and end tags
 * are codes of their own and their content is text; a native element with a
 * <sub> is cut around it ("<ph x=\"1\">&lt;img alt=\"<sub>", text,
 * "</sub>\"&gt;</ph>"). */

typedef struct seg_builder {
    alinea_buf text;
    alinea_tuv *v;
    size_t cap; /* codes[] capacity */
    xmlNodePtr seg;
} seg_builder;

static size_t count_elements(xmlNodePtr n, int depth)
{
    size_t k = 0;
    if (depth > 256)
        return 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            k += 1 + count_elements(c, depth + 1);
    return k;
}

static int is_text_container(const xmlChar *name)
{
    return strcmp((const char *)name, "hi") == 0 || strcmp((const char *)name, "sub") == 0;
}

static int has_sub_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (name_is(c, "sub"))
            return 1;
    return 0;
}

/* Append node n serialised by libxml2 (escaped) to b. */
static alinea_status dump_node(alinea_tmx_reader *r, xmlNodePtr n, alinea_buf *b)
{
    xmlBufferEmpty(r->dump);
    if (xmlNodeDump(r->dump, n->doc, n, 0, 0) < 0)
        return alinea__fail(r->ctx, ALINEA_ERR_XML, "%s:%ld: cannot serialise <%s>", r->path,
                            xmlGetLineNo(n), n->name ? (const char *)n->name : "?");
    return alinea__buf_add(r->ctx, b, xmlBufferContent(r->dump),
                           (size_t)xmlBufferLength(r->dump));
}

/* Append the start tag of element n (with its attributes, serialised by
 * libxml2 from a childless copy: "<hi type=\"b\"/>" less its "/"). */
static alinea_status start_tag(alinea_tmx_reader *r, xmlNodePtr n, alinea_buf *b)
{
    xmlNodePtr copy = xmlDocCopyNode(n, n->doc, 2);
    if (!copy)
        return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
    xmlBufferEmpty(r->dump);
    int len = xmlNodeDump(r->dump, n->doc, copy, 0, 0);
    xmlFreeNode(copy);
    const char *d = (const char *)xmlBufferContent(r->dump);
    if (len < 3 || !d || strcmp(d + len - 2, "/>") != 0)
        return alinea__fail(r->ctx, ALINEA_ERR_XML, "%s:%ld: cannot serialise <%s>", r->path,
                            xmlGetLineNo(n), (const char *)n->name);
    alinea_status rc = alinea__buf_add(r->ctx, b, d, (size_t)len - 2);
    return rc == ALINEA_OK ? alinea__buf_addc(r->ctx, b, '>') : rc;
}

static alinea_status end_tag(alinea_tmx_reader *r, xmlNodePtr n, alinea_buf *b)
{
    if (n->ns && n->ns->prefix)
        return alinea__buf_printf(r->ctx, b, "</%s:%s>", (const char *)n->ns->prefix,
                                  (const char *)n->name);
    return alinea__buf_printf(r->ctx, b, "</%s>", (const char *)n->name);
}

/* One code: a U+FFFC in the text and codes[ncodes] = {element, xml}. */
static alinea_status push_code(alinea_tmx_reader *r, seg_builder *sb, xmlNodePtr n,
                               const alinea_buf *xml)
{
    alinea_status rc = ALINEA_OK;
    alinea_tuv *v = sb->v;
    if (v->ncodes >= sb->cap)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT, "%s:%ld: too many inline codes", r->path,
                            xmlGetLineNo(n));
    alinea_inline *code = &v->codes[v->ncodes++];
    code->element = arena_strndup(&r->mem, (const char *)n->name, strlen((const char *)n->name));
    CHECK_ALLOC(r->ctx, code->element);
    code->xml = arena_strndup(&r->mem, xml->data ? xml->data : "", xml->len);
    CHECK_ALLOC(r->ctx, code->xml);
    rc = alinea__buf_add(r->ctx, &sb->text, "\xEF\xBF\xBC", 3);
cleanup:
    return rc;
}

static alinea_status seg_flow(alinea_tmx_reader *r, seg_builder *sb, xmlNodePtr parent, int depth);

/* A native-code element with <sub> children: codes cut around each <sub>,
 * whose content is text. */
static alinea_status native_split(alinea_tmx_reader *r, seg_builder *sb, xmlNodePtr n, int depth)
{
    alinea_status rc = ALINEA_OK;
    alinea_buf cb;
    alinea__buf_init(&cb, ALINEA_MAX_SEGMENT_BYTES);
    TRY(start_tag(r, n, &cb));
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (name_is(c, "sub")) {
            TRY(start_tag(r, c, &cb));
            TRY(push_code(r, sb, n, &cb));
            cb.len = 0;
            TRY(seg_flow(r, sb, c, depth + 1));
            TRY(end_tag(r, c, &cb));
        } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
                   c->type == XML_ELEMENT_NODE || c->type == XML_ENTITY_REF_NODE) {
            TRY(dump_node(r, c, &cb));
        }
    }
    TRY(end_tag(r, n, &cb));
    TRY(push_code(r, sb, n, &cb));
cleanup:
    alinea__buf_free(&cb);
    return rc;
}

/* Text and inline elements of a <seg>, <hi> or <sub>. */
static alinea_status seg_flow(alinea_tmx_reader *r, seg_builder *sb, xmlNodePtr parent, int depth)
{
    alinea_status rc = ALINEA_OK;
    alinea_buf cb;
    alinea__buf_init(&cb, ALINEA_MAX_SEGMENT_BYTES);
    if (depth > 256)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT, "%s:%ld: elements nested too deeply",
                            r->path, xmlGetLineNo(parent));
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            TRY(alinea__buf_add(r->ctx, &sb->text, c->content, strlen((const char *)c->content)));
        } else if (c->type == XML_ELEMENT_NODE) {
            cb.len = 0;
            if (is_text_container(c->name)) {
                TRY(start_tag(r, c, &cb));
                TRY(push_code(r, sb, c, &cb));
                TRY(seg_flow(r, sb, c, depth + 1));
                cb.len = 0;
                TRY(end_tag(r, c, &cb));
                TRY(push_code(r, sb, c, &cb));
            } else if (is_inline(c->name) && has_sub_child(c)) {
                TRY(native_split(r, sb, c, depth + 1));
            } else {
                if (!is_inline(c->name))
                    recover(r, REC_ODD_INLINE, xmlGetLineNo(c));
                TRY(dump_node(r, c, &cb));
                TRY(push_code(r, sb, c, &cb));
            }
        }
    }
cleanup:
    alinea__buf_free(&cb);
    return rc;
}

static alinea_status read_seg(alinea_tmx_reader *r, xmlNodePtr seg, alinea_tuv *v)
{
    alinea_status rc = ALINEA_OK;
    seg_builder sb = {.v = v, .seg = seg};
    alinea__buf_init(&sb.text, ALINEA_MAX_SEGMENT_BYTES);
    sb.cap = 2 * count_elements(seg, 0) + 1;
    ARENA_ARRAY(v->codes, sb.cap);
    v->ncodes = 0;
    rc = seg_flow(r, &sb, seg, 0);
    if (rc == ALINEA_ERR_TOO_BIG) {
        rc = alinea__fail(r->ctx, rc, "%s:%ld: segment longer than %zu bytes", r->path,
                          xmlGetLineNo(seg), (size_t)ALINEA_MAX_SEGMENT_BYTES);
        goto cleanup;
    }
    if (rc != ALINEA_OK)
        goto cleanup;
    v->text = arena_strndup(&r->mem, sb.text.data ? sb.text.data : "", sb.text.len);
    CHECK_ALLOC(r->ctx, v->text);
cleanup:
    alinea__buf_free(&sb.text);
    return rc;
}

static alinea_status read_tuv(alinea_tmx_reader *r, xmlNodePtr n, alinea_tuv *v)
{
    alinea_status rc = ALINEA_OK;
    long line = xmlGetLineNo(n);
    xmlChar *lang = xmlGetNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (!lang) {
        lang = xmlGetNoNsProp(n, BAD_CAST "lang");
        if (lang && r->version && strcmp(r->version, "1.1") != 0)
            recover(r, REC_LANG_ATTR, line);
    }
    if (!lang || !*lang) {
        recover(r, REC_NO_LANG, line);
        v->lang = arena_strndup(&r->mem, "", 0);
        CHECK_ALLOC(r->ctx, v->lang);
    } else {
        TRY(norm_lang(r, (const char *)lang, line, &v->lang));
    }
    TRY(read_attrs(r, n, &v->attrs, &v->nattrs, "lang", NULL));
    size_t nprops = count_children(n, "prop"), nnotes = count_children(n, "note");
    ARENA_ARRAY(v->props, nprops);
    ARENA_ARRAY(v->notes, nnotes);
    int seen_seg = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(c, "prop") || name_is(c, "note")) {
            if (seen_seg)
                recover(r, REC_TUV_ORDER, xmlGetLineNo(c));
            if (name_is(c, "prop"))
                TRY(read_prop(r, c, &v->props[v->nprops++]));
            else
                TRY(node_text(r, c, &v->notes[v->nnotes++]));
        } else if (name_is(c, "seg")) {
            if (seen_seg++) {
                recover(r, REC_NO_SEG, xmlGetLineNo(c));
                continue; /* keep the first */
            }
            TRY(read_seg(r, c, v));
        }
    }
    if (!seen_seg) {
        recover(r, REC_NO_SEG, line);
        v->text = arena_strndup(&r->mem, "", 0);
        CHECK_ALLOC(r->ctx, v->text);
    }
cleanup:
    xmlFree(lang);
    return rc;
}

static alinea_status read_tu(alinea_tmx_reader *r, xmlNodePtr n)
{
    alinea_status rc = ALINEA_OK;
    alinea_tu *tu = &r->tu;
    arena_reset(&r->mem);
    memset(tu, 0, sizeof *tu);
    long line = xmlGetLineNo(n);
    tu->line = line > 0 ? (size_t)line : 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->ns)
            continue;
        if (strcmp((const char *)a->name, "tuid") == 0)
            TRY(attr_value(r, a, &tu->tuid));
        else if (strcmp((const char *)a->name, "srclang") == 0) {
            char *raw;
            TRY(attr_value(r, a, &raw));
            if (*raw)
                TRY(norm_lang(r, raw, line, &tu->srclang));
        }
    }
    TRY(read_attrs(r, n, &tu->attrs, &tu->nattrs, "tuid", "srclang"));
    size_t nprops = count_children(n, "prop"), nnotes = count_children(n, "note"),
           ntuvs = count_children(n, "tuv");
    ARENA_ARRAY(tu->props, nprops);
    ARENA_ARRAY(tu->notes, nnotes);
    ARENA_ARRAY(tu->tuvs, ntuvs);
    int seen_tuv = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(c, "prop") || name_is(c, "note")) {
            if (seen_tuv)
                recover(r, REC_TU_ORDER, xmlGetLineNo(c));
            if (name_is(c, "prop"))
                TRY(read_prop(r, c, &tu->props[tu->nprops++]));
            else
                TRY(node_text(r, c, &tu->notes[tu->nnotes++]));
        } else if (name_is(c, "tuv")) {
            seen_tuv = 1;
            TRY(read_tuv(r, c, &tu->tuvs[tu->ntuvs++]));
        }
    }
    if (!tu->ntuvs)
        recover(r, REC_NO_TUV, line);
    if (!tu->srclang && !r->srclang)
        recover(r, REC_NO_SRCLANG, line);
cleanup:
    return rc;
}

static alinea_status read_header(alinea_tmx_reader *r)
{
    alinea_status rc = ALINEA_OK;
    static const char *const required[] = {"creationtool", "creationtoolversion", "segtype",
                                           "o-tmf", "adminlang", "srclang", "datatype", NULL};
    xmlNodePtr n = xmlTextReaderCurrentNode(r->xr);
    long line = n ? xmlGetLineNo(n) : 0;
    size_t k = 0;
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        k++;
    if (k) {
        r->hattrs = calloc(k, sizeof *r->hattrs);
        CHECK_ALLOC(r->ctx, r->hattrs);
    }
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(a->doc, a->children, 1);
        r->hattrs[r->nhattrs].type = alinea__strdup((const char *)a->name);
        r->hattrs[r->nhattrs].value = alinea__strdup(v ? (const char *)v : "");
        xmlFree(v);
        r->nhattrs++;
        CHECK_ALLOC(r->ctx, r->hattrs[r->nhattrs - 1].type);
        CHECK_ALLOC(r->ctx, r->hattrs[r->nhattrs - 1].value);
    }
    r->missing_attrs[0] = '\0';
    for (size_t i = 0; required[i]; i++)
        if (!alinea_tmx_reader_header_attr(r, required[i])) {
            size_t used = strlen(r->missing_attrs);
            snprintf(r->missing_attrs + used, sizeof r->missing_attrs - used, "%s%s",
                     used ? ", " : "", required[i]);
            recover(r, REC_HEADER_ATTRS, line);
        }
    const char *src = alinea_tmx_reader_header_attr(r, "srclang");
    if (src && *src) {
        char buf[LANG_CAP];
        if (strcmp(src, "*all*") != 0 && alinea_lang_normalize(src, buf, sizeof buf) == ALINEA_OK)
            r->srclang = alinea__strdup(buf);
        else
            r->srclang = alinea__strdup(src);
        CHECK_ALLOC(r->ctx, r->srclang);
    }
cleanup:
    return rc;
}

/* The <note>s and <prop>s of the expanded <header> h (their text through
 * libxml2's xmlNodeGetContent). */
static alinea_status read_header_children(alinea_tmx_reader *r, xmlNodePtr h)
{
    alinea_status rc = ALINEA_OK;
    size_t nn = count_children(h, "note"), np = count_children(h, "prop");
    if (nn) {
        r->hnotes = calloc(nn, sizeof *r->hnotes);
        CHECK_ALLOC(r->ctx, r->hnotes);
    }
    if (np) {
        r->hprops = calloc(np, sizeof *r->hprops);
        CHECK_ALLOC(r->ctx, r->hprops);
    }
    for (xmlNodePtr c = h->children; c; c = c->next) {
        if (!name_is(c, "note") && !name_is(c, "prop"))
            continue;
        xmlChar *text = xmlNodeGetContent(c);
        char *copy = alinea__strdup(text ? (const char *)text : "");
        xmlFree(text);
        CHECK_ALLOC(r->ctx, copy);
        if (name_is(c, "note")) {
            r->hnotes[r->nhnotes++] = copy;
        } else {
            xmlChar *type = xmlGetProp(c, BAD_CAST "type");
            alinea_prop *p = &r->hprops[r->nhprops++];
            p->value = copy;
            p->type = alinea__strdup(type ? (const char *)type : "");
            xmlFree(type);
            CHECK_ALLOC(r->ctx, p->type);
        }
    }
cleanup:
    return rc;
}

static alinea_status check_doctype(alinea_tmx_reader *r)
{
    xmlDocPtr doc = reader_doc(r->xr);
    xmlDtdPtr dtd = doc ? doc->intSubset : NULL;
    if (dtd && (dtd->entities || dtd->pentities))
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s:%d: the DOCTYPE declares entities; TMX files never need them and "
                            "Alinea refuses them (protection against entity expansion and "
                            "external entities)",
                            r->path, xmlTextReaderGetParserLineNumber(r->xr));
    return ALINEA_OK;
}

static const char *const REC_TEXT[REC_COUNT] = {
    [REC_VERSION] = "is not TMX 1.4 (read as TMX 1.4; the TMX 1.4 DTD requires version=\"1.4\" "
                    "and xml:lang)",
    [REC_LANG_ATTR] = "<tuv> with lang= instead of xml:lang (TMX 1.4 DTD: xml:lang is #REQUIRED)",
    [REC_HEADER_ATTRS] = "",
    [REC_NO_HEADER] = "no <header> (TMX 1.4 DTD: tmx is (header, body))",
    [REC_TUV_ORDER] = "<prop> or <note> after <seg> in <tuv> (TMX 1.4 DTD: tuv is "
                      "((note|prop)*, seg)); read anyway",
    [REC_TU_ORDER] = "<prop> or <note> after <tuv> in <tu> (TMX 1.4 DTD: tu is "
                     "((note|prop)*, tuv+)); read anyway",
    [REC_NO_LANG] = "<tuv> without xml:lang (TMX 1.4 DTD: #REQUIRED); language left empty",
    [REC_NO_SEG] = "<tuv> without exactly one <seg> (TMX 1.4 DTD: tuv is ((note|prop)*, seg)); "
                   "missing segments read as empty, extra ones ignored",
    [REC_NO_TUV] = "<tu> without <tuv> (TMX 1.4 DTD: tu needs tuv+)",
    [REC_NO_SRCLANG] = "<tu> without srclang while the header has none (TMX 1.4: srclang is "
                       "required)",
    [REC_ODD_INLINE] = "element inside <seg> that TMX 1.4 does not allow there (seg is "
                       "(#PCDATA|bpt|ept|ph|it|hi|ut)*); kept as an inline code",
    [REC_BAD_LANG] = "language tag that is not BCP 47, kept as written",
    [REC_ENCODING] = NULL, /* warned when it happens */
};

static void emit_warnings(alinea_tmx_reader *r)
{
    if (r->warned)
        return;
    r->warned = 1;
    for (int k = 0; k < REC_COUNT; k++) {
        if (!r->rec[k] || !REC_TEXT[k])
            continue;
        if (k == REC_HEADER_ATTRS)
            alinea__warn(r->ctx,
                         "%s:%ld: <header> lacks required attribute%s %s (TMX 1.4 DTD: "
                         "#REQUIRED); read anyway",
                         r->path, r->rec_line[k], r->rec[k] == 1 ? "" : "s", r->missing_attrs);
        else if (k == REC_VERSION)
            alinea__warn(r->ctx, "%s:%ld: version=\"%s\" %s", r->path, r->rec_line[k],
                         r->version ? r->version : "", REC_TEXT[k]);
        else
            alinea__warn(r->ctx, "%s:%ld: %zu %s", r->path, r->rec_line[k], r->rec[k],
                         REC_TEXT[k]);
    }
}

alinea_status alinea_tmx_reader_next(alinea_tmx_reader *r, const alinea_tu **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    if (r->done)
        return ALINEA_OK;
    for (;;) {
        int ret;
        if (r->pending) {
            ret = 1;
            r->pending = 0;
        } else {
            ret = xmlTextReaderRead(r->xr);
        }
        if (r->xml_error && retry_as_utf8(r))
            continue;
        if (r->xml_error || ret < 0) {
            if (!r->xml_error)
                return alinea__fail(r->ctx, ALINEA_ERR_FORMAT, "%s:%d: XML parse error", r->path,
                                    xmlTextReaderGetParserLineNumber(r->xr));
            return xml_error_status(r);
        }
        if (ret == 0) {
            if (!r->started)
                return alinea__fail(r->ctx, ALINEA_ERR_FORMAT, "%s: empty file, not TMX",
                                    r->path);
            r->done = 1;
            emit_warnings(r);
            return ALINEA_OK;
        }
        int type = xmlTextReaderNodeType(r->xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            TRY(check_doctype(r));
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstName(r->xr);
        if (!r->started) {
            if (utf8_under_8bit_label(r))
                continue; /* re-opened: start again */
            r->started = 1;
            TRY(check_doctype(r));
            if (!name || strcmp(name, "tmx") != 0)
                return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                    "%s:%d: not a TMX file: the root element is <%s>, not <tmx>",
                                    r->path, xmlTextReaderGetParserLineNumber(r->xr),
                                    name ? name : "?");
            xmlChar *v = xmlTextReaderGetAttribute(r->xr, BAD_CAST "version");
            if (v) {
                r->version = alinea__strdup((const char *)v);
                xmlFree(v);
                CHECK_ALLOC(r->ctx, r->version);
            }
            if (!r->version || strncmp(r->version, "1.4", 3) != 0)
                recover(r, REC_VERSION, xmlGetLineNo(xmlTextReaderCurrentNode(r->xr)));
            continue;
        }
        if (strcmp(name, "header") == 0 && !r->seen_header) {
            r->seen_header = 1;
            TRY(read_header(r));
            if (!xmlTextReaderIsEmptyElement(r->xr)) {
                xmlNodePtr hn = xmlTextReaderExpand(r->xr);
                if (!hn || r->xml_error)
                    return r->xml_error ? xml_error_status(r)
                                        : alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                                       "%s: XML parse error in <header>", r->path);
                TRY(read_header_children(r, hn));
                ret = xmlTextReaderNext(r->xr);
                if (ret < 0 || r->xml_error)
                    return r->xml_error ? xml_error_status(r)
                                        : alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                                       "%s: XML parse error in <header>", r->path);
                r->pending = ret == 1;
                if (ret == 0) {
                    r->done = 1;
                    emit_warnings(r);
                    return ALINEA_OK;
                }
            }
            continue;
        }
        if (strcmp(name, "body") == 0) {
            if (!r->seen_header)
                recover(r, REC_NO_HEADER, xmlTextReaderGetParserLineNumber(r->xr));
            continue;
        }
        if (strcmp(name, "tu") == 0) {
            xmlNodePtr node = xmlTextReaderExpand(r->xr);
            if (!node || r->xml_error)
                return r->xml_error ? xml_error_status(r)
                                    : alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                                   "%s:%d: XML parse error in <tu>", r->path,
                                                   xmlTextReaderGetParserLineNumber(r->xr));
            TRY(read_tu(r, node));
            r->ntu++;
            ret = xmlTextReaderNext(r->xr);
            if (ret < 0 || r->xml_error)
                return r->xml_error ? xml_error_status(r)
                                    : alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                                   "%s: XML parse error after line %zu", r->path,
                                                   r->tu.line);
            r->pending = ret == 1;
            *out = &r->tu;
            return ALINEA_OK;
        }
    }
cleanup:
    return rc;
}

const char *alinea_tmx_reader_srclang(const alinea_tmx_reader *r) { return r ? r->srclang : NULL; }

const char *alinea_tmx_reader_header_attr(const alinea_tmx_reader *r, const char *name)
{
    if (!r || !name)
        return NULL;
    for (size_t i = 0; i < r->nhattrs; i++)
        if (strcmp(r->hattrs[i].type, name) == 0)
            return r->hattrs[i].value;
    return NULL;
}

char *const *alinea_tmx_reader_header_notes(const alinea_tmx_reader *r, size_t *n)
{
    *n = r ? r->nhnotes : 0;
    return r ? r->hnotes : NULL;
}

const alinea_prop *alinea_tmx_reader_header_props(const alinea_tmx_reader *r, size_t *n)
{
    *n = r ? r->nhprops : 0;
    return r ? r->hprops : NULL;
}

const char *alinea_tmx_reader_version(const alinea_tmx_reader *r) { return r ? r->version : NULL; }

size_t alinea_tmx_reader_recoveries(const alinea_tmx_reader *r)
{
    size_t n = 0;
    for (int k = 0; r && k < REC_COUNT; k++)
        n += r->rec[k];
    return n;
}
