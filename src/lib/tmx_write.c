/*
 * tmx_write.c - TMX 1.4b writer over libxml2's xmlTextWriter and an
 * alinea_out (atomic output file). Every writer call is checked.
 */
#define _POSIX_C_SOURCE 200809L
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <unicode/utf8.h>

#define LANG_CAP 96

struct alinea_tmx_writer {
    alinea_ctx *ctx;
    alinea_out *out;
    char *path; /* for messages */
    xmlTextWriterPtr xw;
    char srclang[LANG_CAP];
    char target[LANG_CAP]; /* bilingual-only; "" when off */
    char *tuid_prefix;
    size_t max_seg_chars;
    unsigned flags;
    size_t ntu;        /* TUs written */
    size_t nskipped;   /* skipped by compatibility switches */
    size_t nctrl;      /* control characters dropped or replaced */
    size_t nctrl_space; /* ... of which VT/FF written as a space */
    size_t norphan;    /* U+FFFC without a code, or codes without a U+FFFC */
    size_t ncodes_dropped; /* ALINEA_TMX_PLAIN */
    size_t nrepaired;  /* inline elements moved to fit the DTD */
    size_t nunbalanced; /* start/end tags of codes without their partner */
    size_t nattrs_dropped;
    size_t nlang_kept; /* tags we could not normalise, written as given */
    size_t nnolang;    /* TUVs without a language, left out */
    size_t nskipped_nolang; /* TUs left with no TUV */
    alinea_buf text;   /* scratch: cleaned segment text */
    char cache_in[8][LANG_CAP], cache_out[8][LANG_CAP]; /* language tag cache */
    unsigned cache_next;
    int failed;
    int write_errno; /* first failed write to the output stream */
};

static const char *const TU_ATTRS[] = {
    "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "segtype",
    "changeid", "o-tmf", NULL};
static const char *const TUV_ATTRS[] = {
    "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "o-tmf",
    "changeid", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static alinea_status xml_fail(alinea_tmx_writer *w, const char *what)
{
    w->failed = 1;
    int e = errno;
    return alinea__fail(w->ctx, ALINEA_ERR_XML, "%s: XML writer failed (%s)%s%s", w->path, what,
                        e ? ": " : "", e ? strerror(e) : "");
}

#define XW(w, call, what)                                                                          \
    do {                                                                                           \
        errno = 0;                                                                                 \
        if ((call) < 0) {                                                                          \
            rc = xml_fail((w), (what));                                                            \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

/* Line break and indentation between elements (element content: white
 * space there is insignificant), written as text through the writer. */
static const char *const INDENT[] = {"\n", "\n  ", "\n    ", "\n      ", "\n        "};
#define NL(w, depth) XW((w), xmlTextWriterWriteString((w)->xw, BAD_CAST INDENT[depth]), "indent")

/* libxml2 output callback: write to the alinea_out stream. A failed write
 * is recorded here and reported by the next writer call (libxml2 would print
 * its own "I/O error" for a callback error; the library never prints). */
static int out_write(void *ctx, const char *buf, int len)
{
    alinea_tmx_writer *w = ctx;
    if (len <= 0 || w->write_errno)
        return len < 0 ? 0 : len;
    errno = 0;
    if (fwrite(buf, 1, (size_t)len, alinea_out_stream(w->out)) != (size_t)len)
        w->write_errno = errno ? errno : EIO;
    return len;
}

static alinea_status check_write(alinea_tmx_writer *w)
{
    if (!w->write_errno)
        return ALINEA_OK;
    w->failed = 1;
    return alinea__fail(w->ctx, ALINEA_ERR_IO, "%s: write error: %s", w->path,
                        strerror(w->write_errno));
}

static alinea_status valid_date(alinea_ctx *ctx, const char *d)
{
    /* YYYYMMDDThhmmssZ (TMX 1.4b, ISO 8601 basic format in UTC). */
    static const char pat[] = "dddddddd" "T" "dddddd" "Z";
    if (strlen(d) != sizeof pat - 1)
        goto bad;
    for (size_t i = 0; pat[i]; i++) {
        if (pat[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != pat[i])
            goto bad;
    }
    return ALINEA_OK;
bad:
    return alinea__fail(ctx, ALINEA_ERR_INVALID,
                        "creationdate '%s': expected YYYYMMDDThhmmssZ (UTC)", d);
}

static alinea_status now_date(alinea_ctx *ctx, char *buf, size_t cap)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0)
            return alinea__fail(ctx, ALINEA_ERR_INVALID,
                                "SOURCE_DATE_EPOCH '%s': not a number of seconds", sde);
        t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, cap, "%Y%m%dT%H%M%SZ", &tm) == 0)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "cannot format the creation date");
    return ALINEA_OK;
}

/* Normalise a language tag; "*all*" stays. Tags ICU refuses are kept as
 * written when they are printable ASCII, and counted. */
static alinea_status norm_lang(alinea_tmx_writer *w, const char *tag, char *buf, size_t cap)
{
    if (!tag || !*tag)
        return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: empty language tag", w->path);
    if (strcmp(tag, "*all*") == 0) {
        snprintf(buf, cap, "%s", tag);
        return ALINEA_OK;
    }
    for (unsigned i = 0; i < 8; i++)
        if (w->cache_in[i][0] && strcmp(w->cache_in[i], tag) == 0 &&
            strlen(w->cache_out[i]) < cap) {
            memcpy(buf, w->cache_out[i], strlen(w->cache_out[i]) + 1);
            return ALINEA_OK;
        }
    if (alinea_lang_normalize(tag, buf, cap) == ALINEA_OK) {
        if (strlen(tag) < LANG_CAP && strlen(buf) < LANG_CAP) {
            unsigned k = w->cache_next++ % 8;
            snprintf(w->cache_in[k], LANG_CAP, "%s", tag);
            snprintf(w->cache_out[k], LANG_CAP, "%s", buf);
        }
        return ALINEA_OK;
    }
    size_t n = strlen(tag);
    if (n >= cap)
        return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: language tag too long", w->path);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)tag[i] <= ' ' || (unsigned char)tag[i] >= 0x7F)
            return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: bad language tag '%s'",
                                w->path, tag);
    memcpy(buf, tag, n + 1);
    w->nlang_kept++;
    return ALINEA_OK;
}

void alinea_tmx_writer_free(alinea_tmx_writer *w)
{
    if (!w)
        return;
    if (w->xw)
        xmlFreeTextWriter(w->xw);
    alinea_out_abort(w->out);
    alinea__buf_free(&w->text);
    free(w->tuid_prefix);
    free(w->path);
    free(w);
}

static alinea_status write_notes_props(alinea_tmx_writer *w, int depth, char *const *notes,
                                       size_t nnotes, const alinea_prop *props, size_t nprops);

alinea_status alinea_tmx_writer_open(alinea_ctx *ctx, const char *path,
                                     const alinea_tmx_header *h, alinea_tmx_writer **out)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_writer *w = NULL;
    char date[32], admin[LANG_CAP];
    *out = NULL;
    if (!h || !h->srclang || !*h->srclang)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "TMX header: srclang is required");
    const char *segtype = h->segtype ? h->segtype : "sentence";
    if (strcmp(segtype, "block") && strcmp(segtype, "paragraph") && strcmp(segtype, "sentence") &&
        strcmp(segtype, "phrase"))
        return alinea__fail(ctx, ALINEA_ERR_INVALID,
                            "TMX header: segtype '%s' is not block, paragraph, sentence or phrase",
                            segtype);
    if (h->creationdate) {
        TRY(valid_date(ctx, h->creationdate));
        snprintf(date, sizeof date, "%s", h->creationdate);
    } else {
        TRY(now_date(ctx, date, sizeof date));
    }
    w = calloc(1, sizeof *w);
    CHECK_ALLOC(ctx, w);
    w->ctx = ctx;
    w->flags = h->flags;
    w->max_seg_chars = h->max_seg_chars;
    alinea__buf_init(&w->text, ALINEA_MAX_SEGMENT_BYTES * 4);
    w->path = alinea__strdup(path && strcmp(path, "-") ? path : "standard output");
    CHECK_ALLOC(ctx, w->path);
    w->tuid_prefix = alinea__strdup(h->tuid_prefix ? h->tuid_prefix : "");
    CHECK_ALLOC(ctx, w->tuid_prefix);
    TRY(norm_lang(w, h->srclang, w->srclang, sizeof w->srclang));
    TRY(norm_lang(w, h->adminlang ? h->adminlang : "en", admin, sizeof admin));
    if (h->target_lang)
        TRY(norm_lang(w, h->target_lang, w->target, sizeof w->target));

    TRY(alinea_out_open(ctx, path, &w->out));
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(out_write, NULL, w, NULL);
    CHECK_ALLOC(ctx, ob);
    w->xw = xmlNewTextWriter(ob); /* owns ob, also on failure */
    CHECK_ALLOC(ctx, w->xw);
    XW(w, xmlTextWriterStartDocument(w->xw, "1.0", "UTF-8", NULL), "XML declaration");
    if (!(w->flags & ALINEA_TMX_NO_DOCTYPE))
        XW(w, xmlTextWriterWriteDTD(w->xw, BAD_CAST "tmx", NULL, BAD_CAST "tmx14.dtd", NULL),
           "DOCTYPE");
    if (!(w->flags & ALINEA_TMX_NO_DOCTYPE))
        NL(w, 0);
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "tmx"), "<tmx>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "version", BAD_CAST "1.4"), "<tmx>");
    NL(w, 1);
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "header"), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationtool", BAD_CAST "Alinea"), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationtoolversion",
                                      BAD_CAST alinea_version()), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "segtype", BAD_CAST segtype), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "o-tmf",
                                      BAD_CAST(h->o_tmf ? h->o_tmf : "Alinea")), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "adminlang", BAD_CAST admin), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "srclang", BAD_CAST w->srclang), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "datatype",
                                      BAD_CAST(h->datatype ? h->datatype : "plaintext")), "<header>");
    XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationdate", BAD_CAST date), "<header>");
    if (h->creationid)
        XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationid", BAD_CAST h->creationid),
           "<header>");
    if (h->nnotes || h->nprops) {
        TRY(write_notes_props(w, 2, h->notes, h->nnotes, h->props, h->nprops));
        NL(w, 1);
    }
    XW(w, xmlTextWriterEndElement(w->xw), "</header>");
    NL(w, 1);
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "body"), "<body>");
    *out = w;
    w = NULL;
cleanup:
    alinea_tmx_writer_free(w);
    return rc;
}

/* Text without characters XML 1.0 forbids; U+FFFC kept (the caller maps it
 * to codes). Counts dropped characters. ENCODING for invalid UTF-8. */
static alinea_status clean_text(alinea_tmx_writer *w, const char *s, const char *what,
                                size_t *nchars)
{
    alinea_status rc = ALINEA_OK;
    w->text.len = 0;
    size_t n = strlen(s), chars = 0;
    int32_t i = 0;
    if (n > ALINEA_MAX_SEGMENT_BYTES)
        return alinea__fail(w->ctx, ALINEA_ERR_TOO_BIG, "%s: TU %zu: %s longer than %zu bytes",
                            w->path, w->ntu + 1, what, (size_t)ALINEA_MAX_SEGMENT_BYTES);
    while ((size_t)i < n) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)n, c);
        if (c < 0)
            return alinea__fail(w->ctx, ALINEA_ERR_ENCODING,
                                "%s: TU %zu: %s: byte %d: invalid UTF-8", w->path, w->ntu + 1,
                                what, (int)start + 1);
        chars++;
        if ((c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0xFFFE || c == 0xFFFF) {
            w->nctrl++;
            if (w->flags & ALINEA_TMX_CTRL_REPLACE) {
                TRY(alinea__buf_add(w->ctx, &w->text, "\xEF\xBF\xBD", 3));
            } else if (c == 0x0B || c == 0x0C) {
                /* VT and FF separate words (Word's manual line break and page
                 * break): a space, so that "ligne.\vSuite" does not glue. */
                w->nctrl_space++;
                TRY(alinea__buf_addc(w->ctx, &w->text, ' '));
            }
            continue;
        }
        TRY(alinea__buf_add(w->ctx, &w->text, s + start, (size_t)(i - start)));
    }
    TRY(alinea__buf_addc(w->ctx, &w->text, '\0'));
    w->text.len--;
    if (nchars)
        *nchars = chars;
cleanup:
    return rc;
}

/* Write a plain string as an element's text content. */
static alinea_status write_text_element(alinea_tmx_writer *w, int depth, const char *name,
                                        const char *attr, const char *attrval, const char *text)
{
    alinea_status rc = ALINEA_OK;
    NL(w, depth);
    TRY(clean_text(w, text ? text : "", name, NULL));
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST name), name);
    if (attr) {
        /* attribute values go through the same cleaning */
        char *v = NULL;
        alinea_buf save = w->text;
        alinea__buf_init(&w->text, ALINEA_MAX_SEGMENT_BYTES * 4);
        rc = clean_text(w, attrval ? attrval : "", attr, NULL);
        if (rc == ALINEA_OK) {
            v = alinea__buf_take(&w->text);
        }
        alinea__buf_free(&w->text);
        w->text = save;
        if (rc != ALINEA_OK)
            goto cleanup;
        errno = 0;
        int xr = xmlTextWriterWriteAttribute(w->xw, BAD_CAST attr, BAD_CAST v);
        free(v);
        if (xr < 0) {
            rc = xml_fail(w, name);
            goto cleanup;
        }
    }
    XW(w, xmlTextWriterWriteString(w->xw, BAD_CAST w->text.data), name);
    XW(w, xmlTextWriterEndElement(w->xw), name);
cleanup:
    return rc;
}

static alinea_status write_attrs(alinea_tmx_writer *w, const alinea_prop *attrs, size_t n,
                                 const char *const *allowed)
{
    alinea_status rc = ALINEA_OK;
    for (size_t i = 0; i < n; i++) {
        if (!attrs[i].type || !attrs[i].value || !in_list(allowed, attrs[i].type)) {
            w->nattrs_dropped++;
            continue;
        }
        TRY(clean_text(w, attrs[i].value, attrs[i].type, NULL));
        XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST attrs[i].type, BAD_CAST w->text.data),
           attrs[i].type);
    }
cleanup:
    return rc;
}

/* ------------------------------------------------------------ inline codes
 * The segment's XML is rebuilt from its text pieces (escaped by libxml2's
 * xmlEncodeSpecialChars) and codes[k].xml (whole elements, or the start and
 * end tags of <hi>/<sub> and the pieces of a native element around a
 * <sub>: alinea_tmx.h "Inline codes"), parsed by libxml2 and re-emitted
 * through the xmlTextWriter, so that nothing is written unescaped and the
 * nesting follows the TMX 1.4b DTD:
 *   seg, hi, sub: (#PCDATA|bpt|ept|it|ph|hi|ut)*
 *   bpt, ept, it, ph, ut: (#PCDATA|sub)*
 * Elements in the wrong place are repaired (counted in a warning): a <sub>
 * outside bpt/ept/it/ph/ut is unwrapped (its text kept), another element
 * inside bpt/ept/it/ph/ut is written as escaped text (it is native code), an
 * element TMX does not know inside seg/hi/sub becomes <ph> holding its XML
 * as text. */

static int is_native(const xmlChar *name)
{
    static const char *const native[] = {"bpt", "ept", "it", "ph", "ut", NULL};
    return in_list(native, (const char *)name);
}

static alinea_status emit_attrs(alinea_tmx_writer *w, xmlNodePtr n)
{
    alinea_status rc = ALINEA_OK;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        char qname[128];
        if (a->ns && a->ns->prefix)
            snprintf(qname, sizeof qname, "%s:%s", a->ns->prefix, a->name);
        else
            snprintf(qname, sizeof qname, "%s", a->name);
        errno = 0;
        int xr = xmlTextWriterWriteAttribute(w->xw, BAD_CAST qname, v ? v : BAD_CAST "");
        xmlFree(v);
        if (xr < 0) {
            rc = xml_fail(w, "inline code");
            goto cleanup;
        }
    }
cleanup:
    return rc;
}

/* An element's XML (libxml2's serialisation) written as escaped text. */
static alinea_status emit_as_text(alinea_tmx_writer *w, xmlNodePtr n)
{
    alinea_status rc = ALINEA_OK;
    xmlBufferPtr b = xmlBufferCreate();
    CHECK_ALLOC(w->ctx, b);
    if (xmlNodeDump(b, n->doc, n, 0, 0) < 0) {
        rc = alinea__fail(w->ctx, ALINEA_ERR_XML, "%s: cannot serialise <%s>", w->path,
                          (const char *)n->name);
        goto cleanup;
    }
    TRY(clean_text(w, (const char *)xmlBufferContent(b), "inline code", NULL));
    XW(w, xmlTextWriterWriteString(w->xw, BAD_CAST w->text.data), "inline code");
cleanup:
    if (b)
        xmlBufferFree(b);
    return rc;
}

/* Emit the node list n (one node when single) found inside a flow element
 * (seg, hi, sub: native = 0) or a native-code element (native = 1). */
static alinea_status emit_nodes(alinea_tmx_writer *w, xmlNodePtr n, int native, int depth,
                                int single)
{
    alinea_status rc = ALINEA_OK;
    if (depth > 64)
        return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: inline code nested too deeply",
                            w->path);
    for (; n; n = single ? NULL : n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            TRY(clean_text(w, (const char *)n->content, "inline code", NULL));
            XW(w, xmlTextWriterWriteString(w->xw, BAD_CAST w->text.data), "inline code");
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue; /* comments, processing instructions */
        int is_sub = strcmp((const char *)n->name, "sub") == 0;
        int is_hi = strcmp((const char *)n->name, "hi") == 0;
        if (native ? is_sub : (is_native(n->name) || is_hi)) {
            XW(w, xmlTextWriterStartElement(w->xw, n->name), "inline code");
            TRY(emit_attrs(w, n));
            TRY(emit_nodes(w, n->children, !is_sub && !is_hi, depth + 1, 0));
            XW(w, xmlTextWriterFullEndElement(w->xw), "inline code");
        } else if (native) {
            w->nrepaired++; /* element inside native code: it is code, as text */
            TRY(emit_as_text(w, n));
        } else if (is_sub) {
            w->nrepaired++; /* <sub> only belongs in native code: keep its text */
            TRY(emit_nodes(w, n->children, 0, depth + 1, 0));
        } else {
            w->nrepaired++; /* not a TMX element: a <ph> holding it */
            XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "ph"), "inline code");
            TRY(emit_as_text(w, n));
            XW(w, xmlTextWriterFullEndElement(w->xw), "inline code");
        }
    }
cleanup:
    return rc;
}

static xmlDocPtr parse_fragment(const char *xml, size_t len)
{
    if (len > INT32_MAX)
        return NULL;
    return xmlReadMemory(xml, (int)len, NULL, "UTF-8",
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* Fallback for a segment whose pieces do not make well-formed XML (a caller
 * dropped a code): each code that is a whole element is written alone; a
 * start or end tag, or a piece of one, without its partner is dropped. */
static alinea_status write_code(alinea_tmx_writer *w, const alinea_inline *code)
{
    alinea_status rc = ALINEA_OK;
    xmlDocPtr doc = NULL;
    if (!code->xml || !*code->xml) {
        rc = alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: TU %zu: inline code without XML",
                          w->path, w->ntu + 1);
        goto cleanup;
    }
    size_t len = strlen(code->xml);
    doc = parse_fragment(code->xml, len);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || doc->intSubset != NULL) {
        if (code->xml[0] == '<' && code->xml[len - 1] == '>') {
            w->nunbalanced++;
            goto cleanup;
        }
        rc = alinea__fail(w->ctx, ALINEA_ERR_INVALID,
                          "%s: TU %zu: inline code is not one well-formed <bpt>, <ept>, <it>, "
                          "<ph>, <hi> or <ut> element, nor a tag of one: %.60s",
                          w->path, w->ntu + 1, code->xml);
        goto cleanup;
    }
    TRY(emit_nodes(w, root, 0, 0, 1));
cleanup:
    xmlFreeDoc(doc);
    return rc;
}

static alinea_status write_seg(alinea_tmx_writer *w, const alinea_tuv *tuv)
{
    alinea_status rc = ALINEA_OK;
    char *text = NULL;
    xmlDocPtr doc = NULL;
    alinea_buf xb;
    alinea__buf_init(&xb, ALINEA_MAX_SEGMENT_BYTES * 8);
    TRY(clean_text(w, tuv->text ? tuv->text : "", "segment", NULL));
    text = alinea__strdup(w->text.data);
    CHECK_ALLOC(w->ctx, text);
    NL(w, 4);
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "seg"), "<seg>");
    int has_codes = strstr(text, "\xEF\xBF\xBC") != NULL;
    if (has_codes && !(w->flags & ALINEA_TMX_PLAIN)) {
        /* Rebuild the segment's XML and parse it as a whole. */
        size_t nctrl0 = w->nctrl, nspace0 = w->nctrl_space;
        TRY(alinea__buf_add(w->ctx, &xb, "<seg>", 5));
        size_t k = 0;
        for (char *p = text;;) {
            char *obj = strstr(p, "\xEF\xBF\xBC");
            if (obj)
                *obj = '\0';
            if (*p) {
                xmlChar *esc = xmlEncodeSpecialChars(NULL, BAD_CAST p);
                CHECK_ALLOC(w->ctx, esc);
                rc = alinea__buf_add(w->ctx, &xb, esc, strlen((const char *)esc));
                xmlFree(esc);
                TRY(rc);
            }
            if (obj)
                *obj = '\xEF'; /* restored for the fallback below */
            if (!obj)
                break;
            if (k < tuv->ncodes && tuv->codes[k].xml) {
                /* control characters out of the code too (counted) */
                TRY(clean_text(w, tuv->codes[k].xml, "inline code", NULL));
                TRY(alinea__buf_add(w->ctx, &xb, w->text.data, w->text.len));
            }
            k++;
            p = obj + 3;
        }
        TRY(alinea__buf_add(w->ctx, &xb, "</seg>", 6));
        doc = parse_fragment(xb.data, xb.len);
        xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
        if (root && !doc->intSubset && strcmp((const char *)root->name, "seg") == 0 &&
            !root->next) {
            if (k < tuv->ncodes)
                w->norphan += tuv->ncodes - k;
            else if (k > tuv->ncodes)
                w->norphan += k - tuv->ncodes;
            TRY(emit_nodes(w, root->children, 0, 0, 0));
            goto end;
        }
        w->nctrl = nctrl0; /* counted again below */
        w->nctrl_space = nspace0;
    }
    /* No codes, plain output, or pieces that do not fit together. */
    size_t k = 0;
    for (char *p = text;;) {
        char *obj = strstr(p, "\xEF\xBF\xBC");
        if (obj)
            *obj = '\0';
        if (*p)
            XW(w, xmlTextWriterWriteString(w->xw, BAD_CAST p), "<seg>");
        if (!obj)
            break;
        if (w->flags & ALINEA_TMX_PLAIN) {
            w->ncodes_dropped++;
        } else if (k < tuv->ncodes) {
            TRY(write_code(w, &tuv->codes[k]));
        } else {
            w->norphan++;
        }
        k++;
        p = obj + 3;
    }
    if (k < tuv->ncodes && !(w->flags & ALINEA_TMX_PLAIN))
        w->norphan += tuv->ncodes - k;
end:
    XW(w, xmlTextWriterEndElement(w->xw), "</seg>");
cleanup:
    xmlFreeDoc(doc);
    alinea__buf_free(&xb);
    free(text);
    return rc;
}

static alinea_status write_notes_props(alinea_tmx_writer *w, int depth, char *const *notes,
                                       size_t nnotes,
                                       const alinea_prop *props, size_t nprops)
{
    alinea_status rc = ALINEA_OK;
    for (size_t i = 0; i < nnotes; i++)
        TRY(write_text_element(w, depth, "note", NULL, NULL, notes[i]));
    for (size_t i = 0; i < nprops; i++) {
        if (!props[i].type || !*props[i].type) {
            w->nattrs_dropped++;
            continue;
        }
        TRY(write_text_element(w, depth, "prop", "type", props[i].type, props[i].value));
    }
cleanup:
    return rc;
}

/* Code points of a (validated) UTF-8 string, with ICU's U8_FWD_1. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    int32_t len = (int32_t)strlen(s);
    for (int32_t i = 0; i < len; n++)
        U8_FWD_1(s, i, len);
    return n;
}

alinea_status alinea_tmx_writer_add(alinea_tmx_writer *w, const alinea_tu *tu)
{
    alinea_status rc = ALINEA_OK;
    size_t *order = NULL;
    char (*langs)[LANG_CAP] = NULL;
    if (w->failed)
        return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: the writer failed earlier", w->path);
    if (!tu || tu->ntuvs == 0)
        return alinea__fail(w->ctx, ALINEA_ERR_INVALID, "%s: TU %zu has no TUV", w->path,
                            w->ntu + 1);
    char tusrc[LANG_CAP] = "";
    if (tu->srclang && *tu->srclang)
        TRY(norm_lang(w, tu->srclang, tusrc, sizeof tusrc));
    const char *src = *tusrc ? tusrc : w->srclang;
    order = malloc(tu->ntuvs * sizeof *order);
    langs = malloc(tu->ntuvs * sizeof *langs);
    CHECK_ALLOC(w->ctx, order);
    CHECK_ALLOC(w->ctx, langs);
    /* Source TUV first, the others in their order. */
    size_t n = 0, nsrc = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        if (!tu->tuvs[i].lang || !*tu->tuvs[i].lang) {
            langs[i][0] = '\0'; /* left out below, counted */
            continue;
        }
        TRY(norm_lang(w, tu->tuvs[i].lang, langs[i], LANG_CAP));
    }
    for (size_t i = 0; i < tu->ntuvs; i++)
        if (strcasecmp(langs[i], src) == 0)
            order[n++] = i;
    nsrc = n;
    size_t nolang = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        if (!langs[i][0]) {
            nolang++;
            continue;
        }
        if (strcasecmp(langs[i], src) == 0)
            continue;
        if (*w->target && strcasecmp(langs[i], w->target) != 0)
            continue;
        order[n++] = i;
    }
    w->nnolang += nolang;
    if (n == 0) {
        w->nskipped_nolang++;
        goto cleanup;
    }
    /* Compatibility switches. */
    if (*w->target && (nsrc == 0 || n == nsrc)) {
        w->nskipped++;
        goto cleanup;
    }
    if (w->max_seg_chars) {
        for (size_t i = 0; i < n; i++) {
            const char *t = tu->tuvs[order[i]].text;
            if (t && utf8_chars(t) > w->max_seg_chars) {
                w->nskipped++;
                goto cleanup;
            }
        }
    }
    w->ntu++;
    NL(w, 2);
    XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "tu"), "<tu>");
    if (tu->tuid && *tu->tuid) {
        TRY(clean_text(w, tu->tuid, "tuid", NULL));
        XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "tuid", BAD_CAST w->text.data), "tuid");
    } else {
        XW(w, xmlTextWriterWriteFormatAttribute(w->xw, BAD_CAST "tuid", "%s%zu", w->tuid_prefix,
                                                w->ntu), "tuid");
    }
    if (*tusrc && strcmp(tusrc, w->srclang) != 0)
        XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "srclang", BAD_CAST tusrc), "srclang");
    TRY(write_attrs(w, tu->attrs, tu->nattrs, TU_ATTRS));
    TRY(write_notes_props(w, 3, tu->notes, tu->nnotes, tu->props, tu->nprops));
    for (size_t j = 0; j < n; j++) {
        const alinea_tuv *v = &tu->tuvs[order[j]];
        NL(w, 3);
        XW(w, xmlTextWriterStartElement(w->xw, BAD_CAST "tuv"), "<tuv>");
        XW(w, xmlTextWriterWriteAttribute(w->xw, BAD_CAST "xml:lang", BAD_CAST langs[order[j]]),
           "xml:lang");
        TRY(write_attrs(w, v->attrs, v->nattrs, TUV_ATTRS));
        TRY(write_notes_props(w, 4, v->notes, v->nnotes, v->props, v->nprops));
        TRY(write_seg(w, v));
        NL(w, 3);
        XW(w, xmlTextWriterEndElement(w->xw), "</tuv>");
    }
    NL(w, 2);
    XW(w, xmlTextWriterEndElement(w->xw), "</tu>");
    TRY(check_write(w));
cleanup:
    if (rc != ALINEA_OK)
        w->failed = 1;
    free(order);
    free(langs);
    return rc;
}

size_t alinea_tmx_writer_count(const alinea_tmx_writer *w, size_t *skipped)
{
    if (skipped)
        *skipped = w ? w->nskipped : 0;
    return w ? w->ntu : 0;
}

alinea_status alinea_tmx_writer_finish(alinea_tmx_writer *w)
{
    alinea_status rc = ALINEA_OK;
    alinea_ctx *ctx = w->ctx;
    if (w->failed) {
        rc = alinea__fail(ctx, ALINEA_ERR_INVALID, "%s: the writer failed earlier", w->path);
        goto cleanup;
    }
    NL(w, 1);
    XW(w, xmlTextWriterEndElement(w->xw), "</body>");
    NL(w, 0);
    XW(w, xmlTextWriterEndDocument(w->xw), "end of document");
    XW(w, xmlTextWriterFlush(w->xw), "flush");
    xmlFreeTextWriter(w->xw); /* flushes and closes the output buffer (not the FILE) */
    w->xw = NULL;
    TRY(check_write(w));
    if (w->nctrl && w->nctrl_space)
        alinea__warn(ctx, "%s: %zu control character%s dropped (XML 1.0 forbids them; %zu VT or "
                     "FF written as a space)", w->path, w->nctrl, w->nctrl == 1 ? "" : "s",
                     w->nctrl_space);
    else if (w->nctrl)
        alinea__warn(ctx, "%s: %zu control character%s %s (XML 1.0 forbids them)", w->path,
                     w->nctrl, w->nctrl == 1 ? "" : "s",
                     (w->flags & ALINEA_TMX_CTRL_REPLACE) ? "replaced by U+FFFD" : "dropped");
    if (w->norphan)
        alinea__warn(ctx, "%s: %zu U+FFFC placeholder%s without a matching inline code dropped",
                     w->path, w->norphan, w->norphan == 1 ? "" : "s");
    if (w->nrepaired)
        alinea__warn(ctx, "%s: %zu inline element%s out of place repaired to fit the TMX 1.4b DTD "
                     "(<sub> outside bpt/ept/it/ph/ut unwrapped, its text kept; markup inside "
                     "native code written as text; unknown elements as <ph>)",
                     w->path, w->nrepaired, w->nrepaired == 1 ? "" : "s");
    if (w->nunbalanced)
        alinea__warn(ctx, "%s: %zu inline tag%s without %s partner dropped", w->path,
                     w->nunbalanced, w->nunbalanced == 1 ? "" : "s",
                     w->nunbalanced == 1 ? "its" : "their");
    if (w->ncodes_dropped)
        alinea__warn(ctx, "%s: %zu inline code%s left out (plain-text output)", w->path,
                     w->ncodes_dropped, w->ncodes_dropped == 1 ? "" : "s");
    if (w->nattrs_dropped)
        alinea__warn(ctx, "%s: %zu attribute%s or prop%s that TMX 1.4 does not allow left out",
                     w->path, w->nattrs_dropped, w->nattrs_dropped == 1 ? "" : "s",
                     w->nattrs_dropped == 1 ? "" : "s");
    if (w->nlang_kept)
        alinea__warn(ctx, "%s: %zu language tag%s that are not BCP 47 written as given", w->path,
                     w->nlang_kept, w->nlang_kept == 1 ? "" : "s");
    if (w->nnolang)
        alinea__warn(ctx, "%s: %zu TUV%s without a language left out (%zu TU%s left empty "
                     "and skipped)",
                     w->path, w->nnolang, w->nnolang == 1 ? "" : "s", w->nskipped_nolang,
                     w->nskipped_nolang == 1 ? "" : "s");
    if (w->nskipped)
        alinea__warn(ctx, "%s: %zu TU%s skipped by the compatibility switches", w->path,
                     w->nskipped, w->nskipped == 1 ? "" : "s");
    rc = alinea_out_commit(w->out);
    w->out = NULL;
cleanup:
    alinea_tmx_writer_free(w);
    return rc;
}
