/* text.c - decoding input files to UTF-8, and the segmented document. */
#define _POSIX_C_SOURCE 200809L
#include "alinea_text.h"
#include "alinea_segment.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

/* ------------------------------------------------------------- decoding */

static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = off - start + 1;
}

static alinea_status from_utf16(alinea_ctx *ctx, const char *name, const char *bytes, size_t len,
                                const char *charset, char **out, size_t *outlen)
{
    UErrorCode err = U_ZERO_ERROR;
    if (len % 2)
        return alinea__fail(ctx, ALINEA_ERR_ENCODING, "%s: UTF-16 text with an odd number of bytes",
                            name);
    if (len > INT32_MAX / 2)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s: UTF-16 input too large", name);
    UConverter *from = ucnv_open(charset, &err);
    UConverter *to = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err)) {
        ucnv_close(from);
        ucnv_close(to);
        return alinea__fail(ctx, ALINEA_ERR_ICU, "%s: %s", name, u_errorName(err));
    }
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    size_t cap = len / 2 * 3 + 1;
    char *buf = malloc(cap);
    if (!buf) {
        ucnv_close(from);
        ucnv_close(to);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    char *target = buf;
    const char *source = bytes;
    ucnv_convertEx(to, from, &target, buf + cap - 1, &source, bytes + len, NULL, NULL, NULL, NULL,
                   1, 1, &err);
    ucnv_close(from);
    ucnv_close(to);
    if (U_FAILURE(err)) {
        free(buf);
        return alinea__fail(ctx, ALINEA_ERR_ENCODING,
                            "%s: invalid %s near byte %zu (unpaired surrogate)", name, charset,
                            (size_t)(source - bytes) + 2);
    }
    *target = '\0';
    *out = buf;
    *outlen = (size_t)(target - buf);
    return ALINEA_OK;
}

/* A lone CR (classic Mac OS line end) becomes LF, byte for byte, so that
 * offsets into the text stay those of the input; CRLF is left as it is. */
static void lone_cr_to_lf(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
            s[i] = '\n';
}

alinea_status alinea_text_decode(alinea_ctx *ctx, const char *name, const char *bytes, size_t len,
                                 unsigned flags, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (!name)
        name = "<input>";
    if (len > ALINEA_MAX_INPUT_BYTES)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s: larger than %zu bytes", name,
                            ALINEA_MAX_INPUT_BYTES);
    const unsigned char *u = (const unsigned char *)bytes;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        alinea_status rc = from_utf16(ctx, name, bytes + 2, len - 2,
                                      u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", out, outlen);
        const char *nul = rc == ALINEA_OK ? memchr(*out, '\0', *outlen) : NULL;
        if (nul) {
            size_t line, col;
            line_col(*out, (size_t)(nul - *out), &line, &col);
            free(*out);
            *out = NULL;
            *outlen = 0;
            return alinea__fail(ctx, ALINEA_ERR_ENCODING,
                                "%s:%zu: U+0000 (NUL) in UTF-16 text; this looks like a binary "
                                "file, not text",
                                name, line);
        }
        if (rc == ALINEA_OK)
            lone_cr_to_lf(*out, *outlen);
        return rc;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        bytes += 3;
        len -= 3;
        u += 3;
    }
    /* NUL bytes: UTF-16 without a BOM (every other byte NUL) or binary data. */
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        /* UTF-16 text in a Latin script has its NULs on one parity only
         * (odd offsets: LE, even: BE); binary data has them on both. */
        size_t zeros[2] = {0, 0}, probe = len < 4096 ? len : 4096;
        for (size_t i = 0; i < probe; i++)
            zeros[i % 2] += u[i] == 0;
        size_t half = probe / 2;
        size_t line, col;
        line_col(bytes, (size_t)(nul - bytes), &line, &col);
        for (int p = 0; p < 2; p++)
            if (zeros[p] >= 2 && zeros[p] * 10 >= half * 3 && zeros[!p] * 50 <= half)
                return alinea__fail(ctx, ALINEA_ERR_ENCODING,
                                    "%s: looks like UTF-16 without a byte-order mark; convert it "
                                    "to UTF-8 (iconv -f %s -t UTF-8) or add a BOM",
                                    name, p ? "UTF-16LE" : "UTF-16BE");
        return alinea__fail(ctx, ALINEA_ERR_ENCODING,
                            "%s:%zu: byte %zu: NUL byte; this looks like a binary file, not text",
                            name, line, col);
    }
    /* Validate with ICU's U8_NEXT; in lenient mode copy with U+FFFD. */
    alinea_buf b;
    alinea__buf_init(&b, 0);
    alinea_status rc = ALINEA_OK;
    size_t bad = 0, first_bad = 0;
    int32_t i = 0, n = (int32_t)len;
    if (len > INT32_MAX) {
        /* U8_NEXT works on int32 offsets: validate in windows. */
        rc = alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s: larger than %d bytes", name, INT32_MAX);
        goto cleanup;
    }
    int32_t run = 0; /* start of the current valid run */
    while (i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(u, i, n, c);
        if (c >= 0)
            continue;
        if (!(flags & ALINEA_TEXT_LENIENT)) {
            size_t line, col;
            line_col(bytes, (size_t)at, &line, &col);
            rc = alinea__fail(ctx, ALINEA_ERR_ENCODING,
                              "%s:%zu: byte %zu: invalid UTF-8 (0x%02X); the file is not UTF-8 "
                              "(--lenient replaces bad bytes with U+FFFD)",
                              name, line, col, u[at]);
            goto cleanup;
        }
        if (!bad)
            first_bad = (size_t)at;
        bad++;
        TRY(alinea__buf_add(ctx, &b, bytes + run, (size_t)(at - run)));
        TRY(alinea__buf_add(ctx, &b, "\xEF\xBF\xBD", 3));
        run = i;
    }
    if (bad) {
        TRY(alinea__buf_add(ctx, &b, bytes + run, (size_t)(n - run)));
        size_t line, col;
        line_col(bytes, first_bad, &line, &col);
        alinea__warn(ctx, "%s:%zu: byte %zu: %zu invalid UTF-8 sequence(s) replaced with U+FFFD",
                     name, line, col, bad);
    } else {
        TRY(alinea__buf_add(ctx, &b, bytes, len));
    }
    *outlen = b.len;
    *out = alinea__buf_take(&b);
    if (*out)
        lone_cr_to_lf(*out, *outlen);
    if (!*out)
        rc = alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
cleanup:
    alinea__buf_free(&b);
    return rc;
}

alinea_status alinea_text_load(alinea_ctx *ctx, const char *path, unsigned flags, char **out,
                               size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    char *raw = NULL;
    size_t len = 0;
    alinea_status rc;
    if (strcmp(path, "-") == 0) {
        alinea_buf b;
        alinea__buf_init(&b, ALINEA_MAX_INPUT_BYTES);
        char chunk[65536];
        size_t n;
        rc = ALINEA_OK;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            if ((rc = alinea__buf_add(ctx, &b, chunk, n)) != ALINEA_OK)
                break;
        if (rc == ALINEA_OK && ferror(stdin))
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "standard input: %s", strerror(errno));
        len = b.len;
        raw = rc == ALINEA_OK ? alinea__buf_take(&b) : NULL;
        alinea__buf_free(&b);
        if (rc != ALINEA_OK)
            return rc;
        path = "<stdin>";
    } else {
        rc = alinea__read_file(ctx, path, ALINEA_MAX_INPUT_BYTES, &raw, &len);
        if (rc != ALINEA_OK)
            return rc;
    }
    rc = alinea_text_decode(ctx, path, raw, len, flags, out, outlen);
    free(raw);
    if (rc == ALINEA_OK) {
        size_t k = 0;
        while (k < *outlen && strchr(" \t\r\n\f\v", (*out)[k]))
            k++;
        if (len == 0)
            alinea__warn(ctx, "%s: the file is empty", path);
        else if (k == *outlen)
            alinea__warn(ctx, "%s: the file contains only white space", path);
    }
    return rc;
}

/* ------------------------------------------------------------- document */

struct alinea_doc {
    char *text;
    size_t len;
    char lang[32];
    alinea_seg *segs;
    size_t n;
};

void alinea_doc_free(alinea_doc *doc)
{
    if (!doc)
        return;
    free(doc->text);
    free(doc->segs);
    free(doc);
}

size_t alinea_doc_count(const alinea_doc *doc) { return doc->n; }

const char *alinea_doc_segment(const alinea_doc *doc, size_t i, size_t *len)
{
    *len = doc->segs[i].end - doc->segs[i].start;
    return doc->text + doc->segs[i].start;
}

size_t alinea_doc_offset(const alinea_doc *doc, size_t i) { return doc->segs[i].start; }

uint32_t alinea_doc_paragraph(const alinea_doc *doc, size_t i) { return doc->segs[i].paragraph; }

const char *alinea_doc_lang(const alinea_doc *doc) { return doc->lang; }

static int is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* One segment per line; an empty (white-space) line ends the paragraph. */
static alinea_status split_presegmented(alinea_ctx *ctx, alinea_doc *doc, const char *name)
{
    size_t lineno = 0;
    alinea_status rc = ALINEA_OK;
    size_t cap = 0;
    uint32_t para = 0;
    int pending_break = 0;
    size_t i = 0;
    while (i < doc->len) {
        size_t e = i;
        while (e < doc->len && doc->text[e] != '\n')
            e++;
        size_t s = i, t = e;
        lineno++;
        while (s < t && is_space_byte(doc->text[s]))
            s++;
        while (t > s && is_space_byte(doc->text[t - 1]))
            t--;
        if (s == t) {
            pending_break = doc->n > 0;
        } else {
            if (t - s > ALINEA_MAX_SEGMENT_BYTES)
                return alinea__fail(ctx, ALINEA_ERR_TOO_BIG,
                                    "%s:%zu: segment %zu is longer than %zu bytes (the limit)",
                                    name ? name : "<text>", lineno, doc->n + 1,
                                    ALINEA_MAX_SEGMENT_BYTES);
            if (pending_break)
                para++;
            pending_break = 0;
            TRY(alinea__grow(ctx, (void **)&doc->segs, &cap, doc->n + 1, sizeof *doc->segs));
            doc->segs[doc->n++] = (alinea_seg){s, t, para, 0};
        }
        i = e + 1;
    }
cleanup:
    return rc;
}

static alinea_status doc_new(alinea_ctx *ctx, const char *lang, alinea_doc **out)
{
    *out = NULL;
    alinea_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    if (alinea_lang_normalize(lang, doc->lang, sizeof doc->lang) != ALINEA_OK) {
        free(doc);
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "'%s' is not a language tag", lang ? lang : "");
    }
    *out = doc;
    return ALINEA_OK;
}

static alinea_status doc_segment(alinea_ctx *ctx, alinea_doc *doc, unsigned flags,
                                 const char *name)
{
    if (flags & ALINEA_DOC_PRESEGMENTED)
        return split_presegmented(ctx, doc, name);
    alinea_segmenter *seg = NULL;
    alinea_status rc = alinea_segmenter_new(ctx, doc->lang, &seg);
    if (rc != ALINEA_OK)
        return rc;
    alinea_para_mode mode = (flags & ALINEA_DOC_PARA_BLANK)  ? ALINEA_PARA_BLANK
                            : (flags & ALINEA_DOC_PARA_LINE) ? ALINEA_PARA_LINE
                                                             : ALINEA_PARA_AUTO;
    alinea_segmenter_set_paragraphs(seg, mode);
    rc = alinea_segmenter_run(seg, doc->text, doc->len, &doc->segs, &doc->n);
    alinea_segmenter_free(seg);
    if (rc != ALINEA_OK && rc != ALINEA_ERR_NOMEM && name) {
        /* The segmenter knows offsets, not file names: name the file. */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", alinea_ctx_errmsg(ctx));
        if (strncmp(msg, name, strlen(name)) != 0)
            alinea__fail(ctx, rc, "%s: %s", name, msg);
    }
    return rc;
}

alinea_status alinea_doc_from_text(alinea_ctx *ctx, const char *utf8, size_t len, const char *lang,
                                   unsigned flags, alinea_doc **out)
{
    alinea_doc *doc;
    alinea_status rc = doc_new(ctx, lang, &doc);
    if (rc != ALINEA_OK)
        return rc;
    doc->text = alinea__strndup(utf8, len);
    doc->len = len;
    if (!doc->text)
        rc = alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    else
        rc = doc_segment(ctx, doc, flags, NULL);
    if (rc != ALINEA_OK) {
        alinea_doc_free(doc);
        return rc;
    }
    *out = doc;
    return ALINEA_OK;
}

alinea_status alinea_doc_load(alinea_ctx *ctx, const char *path, const char *lang, unsigned flags,
                              alinea_doc **out)
{
    *out = NULL;
    alinea_doc *doc;
    alinea_status rc = doc_new(ctx, lang, &doc);
    if (rc != ALINEA_OK)
        return rc;
    rc = alinea_text_load(ctx, path, flags & ALINEA_TEXT_LENIENT, &doc->text, &doc->len);
    if (rc == ALINEA_OK)
        rc = doc_segment(ctx, doc, flags, strcmp(path, "-") == 0 ? "<stdin>" : path);
    if (rc != ALINEA_OK) {
        alinea_doc_free(doc);
        return rc;
    }
    *out = doc;
    return ALINEA_OK;
}

alinea_status alinea_doc_from_segments(alinea_ctx *ctx, const char *lang, const char *const *texts,
                                       const size_t *lens, const uint32_t *paras, size_t n,
                                       alinea_doc **out)
{
    *out = NULL;
    alinea_doc *doc;
    alinea_status rc = doc_new(ctx, lang, &doc);
    if (rc != ALINEA_OK)
        return rc;
    alinea_buf b;
    alinea__buf_init(&b, ALINEA_MAX_INPUT_BYTES);
    if (n) {
        doc->segs = calloc(n, sizeof *doc->segs);
        CHECK_ALLOC(ctx, doc->segs);
    }
    for (size_t i = 0; i < n; i++) {
        if (paras && i && paras[i] < paras[i - 1]) {
            rc = alinea__fail(ctx, ALINEA_ERR_INVALID, "paragraph numbers decrease at segment %zu",
                              i);
            goto cleanup;
        }
        size_t start = b.len;
        TRY(alinea__buf_add(ctx, &b, texts[i], lens[i]));
        TRY(alinea__buf_addc(ctx, &b, '\n'));
        doc->segs[i] = (alinea_seg){start, start + lens[i], paras ? paras[i] : 0, 0};
    }
    doc->n = n;
    doc->len = b.len;
    doc->text = alinea__buf_take(&b);
    CHECK_ALLOC(ctx, doc->text);
    *out = doc;
    doc = NULL;
cleanup:
    alinea__buf_free(&b);
    alinea_doc_free(doc);
    return rc;
}
