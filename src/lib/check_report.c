/* check_report.c - QA reports: compiler-style text, JSON, JUnit XML
 * (libxml2 xmlTextWriter). */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "internal.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

struct alinea_report {
    alinea_ctx *ctx;
    FILE *out;
    alinea_report_format fmt;
    char *name;
    int color, spans;
    size_t units, errors, warnings, failed_units;
    alinea_buf json;       /* JSON: one unit's findings, flushed to tmp */
    size_t nfind;          /* JSON: findings written so far */
    FILE *tmp;             /* JSON findings / JUnit testcases, copied in at the end
                              (memory stays flat; the totals come first) */
    xmlTextWriterPtr w;    /* JUnit: writer over tmp */
    xmlOutputBufferPtr ob;
};

alinea_status alinea_report_new(alinea_ctx *ctx, FILE *stream, alinea_report_format format,
                                const char *name, unsigned flags, alinea_report **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    alinea_report *r = calloc(1, sizeof *r);
    CHECK_ALLOC(ctx, r);
    r->ctx = ctx;
    r->out = stream;
    r->fmt = format;
    r->color = (flags & ALINEA_REPORT_COLOR) != 0;
    r->spans = (flags & ALINEA_REPORT_SPANS) != 0;
    r->name = alinea__strdup(name ? name : "-");
    CHECK_ALLOC(ctx, r->name);
    alinea__buf_init(&r->json, (size_t)1 << 30);
    if (format != ALINEA_REPORT_TEXT) {
        r->tmp = tmpfile();
        if (!r->tmp) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: %s", strerror(errno));
            goto cleanup;
        }
    }
    if (format == ALINEA_REPORT_JUNIT) {
        r->ob = xmlOutputBufferCreateFile(r->tmp, NULL);
        CHECK_ALLOC(ctx, r->ob);
        r->w = xmlNewTextWriter(r->ob);
        if (!r->w) {
            xmlOutputBufferClose(r->ob);
            r->ob = NULL;
            rc = alinea__fail(ctx, ALINEA_ERR_XML, "cannot create the JUnit writer");
            goto cleanup;
        }
        xmlTextWriterSetIndent(r->w, 1);
    }
    *out = r;
    r = NULL;
cleanup:
    alinea_report_free(r);
    return rc;
}

void alinea_report_free(alinea_report *r)
{
    if (!r)
        return;
    if (r->w)
        xmlFreeTextWriter(r->w); /* closes ob */
    if (r->tmp)
        fclose(r->tmp);
    alinea__buf_free(&r->json);
    free(r->name);
    free(r);
}

/* JSON string escaping (RFC 8259 section 7). */
static alinea_status json_str(alinea_ctx *ctx, alinea_buf *b, const char *s, size_t n)
{
    alinea_status rc;
    if ((rc = alinea__buf_addc(ctx, b, '"')) != ALINEA_OK)
        return rc;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if ((rc = alinea__buf_add(ctx, b, s + run, i - run)) != ALINEA_OK)
            return rc;
        run = i + 1;
        switch (c) {
        case '"': rc = alinea__buf_add(ctx, b, "\\\"", 2); break;
        case '\\': rc = alinea__buf_add(ctx, b, "\\\\", 2); break;
        case '\n': rc = alinea__buf_add(ctx, b, "\\n", 2); break;
        case '\t': rc = alinea__buf_add(ctx, b, "\\t", 2); break;
        case '\r': rc = alinea__buf_add(ctx, b, "\\r", 2); break;
        default: rc = alinea__buf_printf(ctx, b, "\\u%04x", c); break;
        }
        if (rc != ALINEA_OK)
            return rc;
    }
    if ((rc = alinea__buf_add(ctx, b, s + run, n - run)) != ALINEA_OK)
        return rc;
    return alinea__buf_addc(ctx, b, '"');
}

static alinea_status xw(alinea_report *r, int v)
{
    return v < 0 ? alinea__fail(r->ctx, ALINEA_ERR_XML, "JUnit report: libxml2 writer error")
                 : ALINEA_OK;
}

/* 1 when s[0..n) may hold a character that XML 1.0 (section 2.2, Char)
 * forbids: a C0 control other than TAB, LF, CR (bytes < 0x20), or U+FFFE /
 * U+FFFF (EF BF BE / EF BF BF). */
static int xml_suspect(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xEF)
            return 1;
    }
    return 0;
}

/* Append s[0..n) (UTF-8) to b as text that XML 1.0 allows: VT and FF (a
 * Word soft line break, a page break) become a space, the other forbidden
 * C0 controls and U+FFFE/U+FFFF are dropped, as the TMX writer does.
 * Invalid UTF-8 bytes (not expected: inputs are validated) become U+FFFD. */
static alinea_status xml_clean(alinea_ctx *ctx, alinea_buf *b, const char *s, size_t n)
{
    if (!xml_suspect(s, n))
        return alinea__buf_add(ctx, b, s, n);
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        alinea_status rc = ALINEA_OK;
        if (c == 0x0B || c == 0x0C)
            rc = alinea__buf_addc(ctx, b, ' ');
        else if ((c >= 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE ||
                 c == 0xFFFF)
            continue;
        else if (c < 0)
            rc = alinea__buf_add(ctx, b, "\xEF\xBF\xBD", 3);
        else
            rc = alinea__buf_add(ctx, b, s + at, (size_t)(i - at));
        if (rc != ALINEA_OK)
            return rc;
    }
    return ALINEA_OK;
}

/* The NUL-terminated XML-clean copy of s[0..n) in b (b->len reset). */
static alinea_status xml_text(alinea_ctx *ctx, alinea_buf *b, const char *s, size_t n,
                              const xmlChar **out)
{
    alinea_status rc;
    b->len = 0;
    if ((rc = xml_clean(ctx, b, s, n)) != ALINEA_OK || (rc = alinea__buf_addc(ctx, b, 0)) != ALINEA_OK)
        return rc;
    *out = BAD_CAST b->data;
    return ALINEA_OK;
}

alinea_status alinea_report_unit(alinea_report *r, size_t unit, const char *src, size_t srclen,
                                 const char *tgt, size_t tgtlen, const alinea_finding *f,
                                 size_t n)
{
    alinea_status rc = ALINEA_OK;
    alinea_buf xb; /* JUnit: XML-clean copies of the strings */
    alinea__buf_init(&xb, (size_t)1 << 26);
    r->units++;
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].severity == ALINEA_SEV_ERROR) {
            r->errors++;
            failed = 1;
        } else if (f[i].severity == ALINEA_SEV_WARNING) {
            r->warnings++;
        }
    }
    r->failed_units += failed;
    char hash[17];
    if (r->fmt == ALINEA_REPORT_TEXT) {
        for (size_t i = 0; i < n; i++) {
            const char *sev = alinea_severity_name(f[i].severity);
            const char *col = f[i].severity == ALINEA_SEV_ERROR     ? "\033[1;31m"
                              : f[i].severity == ALINEA_SEV_WARNING ? "\033[1;35m"
                                                                    : "\033[1;36m";
            if (fprintf(r->out, "%s:%zu: %s%s%s: %s: %s\n", r->name, unit, r->color ? col : "",
                        sev, r->color ? "\033[0m" : "", f[i].check, f[i].message) < 0)
                return alinea__fail(r->ctx, ALINEA_ERR_IO, "cannot write the report: %s",
                                    strerror(errno));
            if (r->spans) {
                for (int side = 0; side < 2; side++) {
                    const char *x = side ? tgt : src;
                    size_t xl = side ? tgtlen : srclen;
                    size_t a = side ? f[i].tgt_start : f[i].src_start;
                    size_t b = side ? f[i].tgt_end : f[i].src_end;
                    if (a >= b || b > xl)
                        continue;
                    const char *on = r->color ? "\033[1;4m" : ">>>";
                    const char *off = r->color ? "\033[0m" : "<<<";
                    fprintf(r->out, "    %s: %.*s%s%.*s%s%.*s\n", side ? "target" : "source",
                            (int)a, x, on, (int)(b - a), x + a, off, (int)(xl - b), x + b);
                }
            }
        }
        return ALINEA_OK;
    }
    if (r->fmt == ALINEA_REPORT_JSON) {
        alinea_buf *b = &r->json;
        if (n)
            alinea_unit_hash(src, srclen, tgt, tgtlen, hash);
        b->len = 0;
        for (size_t i = 0; i < n; i++) {
            TRY(alinea__buf_printf(r->ctx, b, "%s\n  {\"unit\": %zu, \"check\": ",
                                   r->nfind++ ? "," : "", unit));
            TRY(json_str(r->ctx, b, f[i].check, strlen(f[i].check)));
            TRY(alinea__buf_printf(r->ctx, b, ", \"severity\": \"%s\", \"source\": ",
                                   alinea_severity_name(f[i].severity)));
            TRY(json_str(r->ctx, b, src, srclen));
            TRY(alinea__buf_add(r->ctx, b, ", \"target\": ", 12));
            TRY(json_str(r->ctx, b, tgt, tgtlen));
            TRY(alinea__buf_add(r->ctx, b, ", \"message\": ", 13));
            TRY(json_str(r->ctx, b, f[i].message, strlen(f[i].message)));
            TRY(alinea__buf_printf(r->ctx, b,
                                   ", \"source_span\": [%zu, %zu], \"target_span\": [%zu, %zu], "
                                   "\"hash\": \"%s\"}",
                                   f[i].src_start, f[i].src_end, f[i].tgt_start, f[i].tgt_end,
                                   hash));
        }
        if (b->len && fwrite(b->data, 1, b->len, r->tmp) != b->len)
            return alinea__fail(r->ctx, ALINEA_ERR_IO, "temporary file: %s", strerror(errno));
        return ALINEA_OK;
    }
    /* JUnit: every string goes through xml_text (XML 1.0 characters only) */
    char name[64];
    const xmlChar *x = NULL;
    snprintf(name, sizeof name, "unit %zu", unit);
    TRY(xw(r, xmlTextWriterStartElement(r->w, BAD_CAST "testcase")));
    TRY(xml_text(r->ctx, &xb, r->name, strlen(r->name), &x));
    TRY(xw(r, xmlTextWriterWriteAttribute(r->w, BAD_CAST "classname", x)));
    TRY(xw(r, xmlTextWriterWriteAttribute(r->w, BAD_CAST "name", BAD_CAST name)));
    for (size_t i = 0; i < n; i++) {
        if (f[i].severity != ALINEA_SEV_ERROR)
            continue;
        TRY(xw(r, xmlTextWriterStartElement(r->w, BAD_CAST "failure")));
        TRY(xml_text(r->ctx, &xb, f[i].check, strlen(f[i].check), &x));
        TRY(xw(r, xmlTextWriterWriteAttribute(r->w, BAD_CAST "type", x)));
        TRY(xml_text(r->ctx, &xb, f[i].message, strlen(f[i].message), &x));
        TRY(xw(r, xmlTextWriterWriteAttribute(r->w, BAD_CAST "message", x)));
        xb.len = 0;
        TRY(alinea__buf_add(r->ctx, &xb, "source: ", 8));
        TRY(xml_clean(r->ctx, &xb, src, srclen));
        TRY(alinea__buf_add(r->ctx, &xb, "\ntarget: ", 9));
        TRY(xml_clean(r->ctx, &xb, tgt, tgtlen));
        TRY(alinea__buf_addc(r->ctx, &xb, 0));
        TRY(xw(r, xmlTextWriterWriteString(r->w, BAD_CAST xb.data)));
        TRY(xw(r, xmlTextWriterEndElement(r->w)));
    }
    int nw = 0;
    for (size_t i = 0; i < n; i++)
        nw += f[i].severity != ALINEA_SEV_ERROR;
    if (nw) {
        xb.len = 0;
        for (size_t i = 0; i < n; i++) {
            if (f[i].severity == ALINEA_SEV_ERROR)
                continue;
            const char *sev = alinea_severity_name(f[i].severity);
            TRY(alinea__buf_printf(r->ctx, &xb, "%s: ", sev));
            TRY(xml_clean(r->ctx, &xb, f[i].check, strlen(f[i].check)));
            TRY(alinea__buf_add(r->ctx, &xb, ": ", 2));
            TRY(xml_clean(r->ctx, &xb, f[i].message, strlen(f[i].message)));
            TRY(alinea__buf_addc(r->ctx, &xb, '\n'));
        }
        TRY(alinea__buf_addc(r->ctx, &xb, 0));
        TRY(xw(r, xmlTextWriterWriteElement(r->w, BAD_CAST "system-out", BAD_CAST xb.data)));
    }
    TRY(xw(r, xmlTextWriterEndElement(r->w)));
cleanup:
    alinea__buf_free(&xb);
    return rc;
}

alinea_status alinea_report_finish(alinea_report *r)
{
    alinea_status rc = ALINEA_OK;
    xmlTextWriterPtr w = NULL;
    if (r->fmt == ALINEA_REPORT_JSON) {
        int bad = fprintf(r->out, "{\"units\": %zu, \"findings\": [", r->units) < 0 ||
                  fflush(r->tmp) != 0;
        rewind(r->tmp);
        char buf[65536];
        size_t k;
        while (!bad && (k = fread(buf, 1, sizeof buf, r->tmp)) > 0)
            bad = fwrite(buf, 1, k, r->out) != k;
        if (bad || ferror(r->tmp) || fprintf(r->out, "%s]}\n", r->nfind ? "\n" : "") < 0) {
            rc = alinea__fail(r->ctx, ALINEA_ERR_IO, "cannot write the report: %s",
                              strerror(errno));
            goto cleanup;
        }
    } else if (r->fmt == ALINEA_REPORT_JUNIT) {
        TRY(xw(r, xmlTextWriterFlush(r->w)));
        xmlFreeTextWriter(r->w); /* flushes and closes the output buffer */
        r->w = NULL;
        xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(r->out, NULL);
        CHECK_ALLOC(r->ctx, ob);
        w = xmlNewTextWriter(ob);
        if (!w) {
            xmlOutputBufferClose(ob);
            rc = alinea__fail(r->ctx, ALINEA_ERR_XML, "cannot create the JUnit writer");
            goto cleanup;
        }
        char num[32];
        TRY(xw(r, xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL)));
        TRY(xw(r, xmlTextWriterStartElement(w, BAD_CAST "testsuites")));
        TRY(xw(r, xmlTextWriterStartElement(w, BAD_CAST "testsuite")));
        TRY(xw(r, xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "alinea check")));
        snprintf(num, sizeof num, "%zu", r->units);
        TRY(xw(r, xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST num)));
        snprintf(num, sizeof num, "%zu", r->failed_units);
        TRY(xw(r, xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num)));
        TRY(xw(r, xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0")));
        TRY(xw(r, xmlTextWriterWriteString(w, BAD_CAST "\n")));
        TRY(xw(r, xmlTextWriterFlush(w)));
        /* the testcases, written by the libxml2 writer above */
        rewind(r->tmp);
        char buf[65536];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, r->tmp)) > 0)
            TRY(xw(r, xmlTextWriterWriteRawLen(w, BAD_CAST buf, (int)k)));
        TRY(xw(r, xmlTextWriterEndElement(w)));
        TRY(xw(r, xmlTextWriterEndElement(w)));
        TRY(xw(r, xmlTextWriterEndDocument(w)));
        TRY(xw(r, xmlTextWriterFlush(w)));
    }
    if (fflush(r->out) != 0)
        rc = alinea__fail(r->ctx, ALINEA_ERR_IO, "cannot write the report: %s", strerror(errno));
cleanup:
    if (w)
        xmlFreeTextWriter(w);
    alinea_report_free(r);
    return rc;
}
