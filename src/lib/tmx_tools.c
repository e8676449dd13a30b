/*
 * tmx_tools.c - the TMX toolbox: stats, rewrite, TMX <-> TSV/Moses, merge
 * with de-duplication, filter. Everything streams through the reader.
 */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "alinea_text.h"
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <unicode/ubrk.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>

/* ------------------------------------------------------------- hashing */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff; /* separator */
    h *= 0x100000001b3ULL;
    return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

typedef struct hentry {
    uint64_t key; /* 0: empty */
    uint64_t date;
    size_t index;
} hentry;

typedef struct htable {
    hentry *e;
    size_t cap, n;
} htable;

static void ht_free(htable *t) { free(t->e); }

/* Find or insert key; *found says whether it was there. */
static alinea_status ht_get(alinea_ctx *ctx, htable *t, uint64_t key, hentry **out, int *found)
{
    if (key == 0)
        key = 1;
    if (t->n * 2 >= t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        hentry *ne = calloc(ncap, sizeof *ne);
        if (!ne)
            return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->e[i].key)
                continue;
            size_t j = t->e[i].key & (ncap - 1);
            while (ne[j].key)
                j = (j + 1) & (ncap - 1);
            ne[j] = t->e[i];
        }
        free(t->e);
        t->e = ne;
        t->cap = ncap;
    }
    size_t j = key & (t->cap - 1);
    while (t->e[j].key && t->e[j].key != key)
        j = (j + 1) & (t->cap - 1);
    *found = t->e[j].key == key;
    if (!*found) {
        t->e[j].key = key;
        t->n++;
    }
    *out = &t->e[j];
    return ALINEA_OK;
}

/* Key-only hash set (8 bytes a slot) for counting duplicates. */
typedef struct kset {
    uint64_t *k;
    size_t cap, n;
} kset;

static alinea_status kset_add(alinea_ctx *ctx, kset *t, uint64_t key, int *found)
{
    if (key == 0)
        key = 1;
    if (t->n * 4 >= t->cap * 3) { /* load factor 0.75 */
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        if (!nk)
            return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->k[i])
                continue;
            size_t j = t->k[i] & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = t->k[i];
        }
        free(t->k);
        t->k = nk;
        t->cap = ncap;
    }
    size_t j = key & (t->cap - 1);
    while (t->k[j] && t->k[j] != key)
        j = (j + 1) & (t->cap - 1);
    *found = t->k[j] == key;
    if (!*found) {
        t->k[j] = key;
        t->n++;
    }
    return ALINEA_OK;
}

static const char *tu_srclang(const alinea_tu *tu, const char *header_src)
{
    if (tu->srclang && strcmp(tu->srclang, "*all*") != 0)
        return tu->srclang;
    if (header_src && strcmp(header_src, "*all*") != 0)
        return header_src;
    return tu->ntuvs ? tu->tuvs[0].lang : NULL;
}

static const alinea_tuv *source_tuv(const alinea_tu *tu, const char *header_src)
{
    const char *src = tu_srclang(tu, header_src);
    const alinea_tuv *v = src ? alinea_tu_find(tu, src) : NULL;
    return v ? v : (tu->ntuvs ? &tu->tuvs[0] : NULL);
}

static uint64_t key_source(const alinea_tu *tu, const char *header_src)
{
    const alinea_tuv *v = source_tuv(tu, header_src);
    uint64_t h = FNV_BASIS;
    if (v) {
        h = fnv(h, v->lang);
        h = fnv(h, v->text);
        for (size_t k = 0; k < v->ncodes; k++)
            h = fnv(h, v->codes[k].xml);
    }
    return h;
}

/* Order-independent over TUVs: sum of per-TUV hashes. */
static uint64_t key_exact(const alinea_tu *tu)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const alinea_tuv *v = &tu->tuvs[i];
        uint64_t h = fnv(FNV_BASIS, v->lang);
        h = fnv(h, v->text);
        for (size_t k = 0; k < v->ncodes; k++)
            h = fnv(h, v->codes[k].xml);
        sum += h * 0x9E3779B97F4A7C15ULL + (h >> 29);
    }
    return sum ^ (uint64_t)tu->ntuvs;
}

/* ---------------------------------------------------------------- stats */

void alinea_tmx_stats_free(alinea_tmx_stats *st)
{
    if (!st)
        return;
    free(st->langs);
    free(st);
}

static size_t count_words(UBreakIterator *bi, const char *s, size_t *chars, alinea_ctx *ctx,
                          alinea_status *rc)
{
    size_t n = 0, c = 0;
    int32_t len = (int32_t)strlen(s);
    for (int32_t i = 0; i < len;) {
        UChar32 ch;
        U8_NEXT(s, i, len, ch);
        c += ch != 0xFFFC; /* inline codes are not characters of the text */
    }
    *chars = c;
    UErrorCode err = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, s, (int64_t)strlen(s), &err);
    if (U_FAILURE(err)) {
        *rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU: %s", u_errorName(err));
        return 0;
    }
    ubrk_setUText(bi, ut, &err);
    if (U_FAILURE(err)) {
        utext_close(ut);
        *rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU: %s", u_errorName(err));
        return 0;
    }
    ubrk_first(bi);
    while (ubrk_next(bi) != UBRK_DONE)
        if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NUMBER)
            n++;
    utext_close(ut);
    return n;
}

alinea_status alinea_tmx_stats_file(alinea_ctx *ctx, const char *path, alinea_tmx_stats **out)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    alinea_tmx_stats *st = NULL;
    UBreakIterator *bi = NULL;
    kset src = {0}, exact = {0};
    size_t lcap = 0;
    *out = NULL;
    st = calloc(1, sizeof *st);
    CHECK_ALLOC(ctx, st);
    UErrorCode err = U_ZERO_ERROR;
    bi = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
    if (U_FAILURE(err)) {
        rc = alinea__fail(ctx, ALINEA_ERR_ICU, "ICU word break iterator: %s", u_errorName(err));
        goto cleanup;
    }
    TRY(alinea_tmx_reader_open(ctx, path, &r));
    const alinea_tu *tu;
    for (;;) {
        TRY(alinea_tmx_reader_next(r, &tu));
        if (!tu)
            break;
        st->units++;
        int found;
        TRY(kset_add(ctx, &src, key_source(tu, alinea_tmx_reader_srclang(r)), &found));
        st->dup_source += found;
        TRY(kset_add(ctx, &exact, key_exact(tu), &found));
        st->dup_exact += found;
        for (size_t i = 0; i < tu->ntuvs; i++) {
            const alinea_tuv *v = &tu->tuvs[i];
            st->tuvs++;
            st->codes += v->ncodes;
            size_t k;
            for (k = 0; k < st->nlangs; k++)
                if (strcasecmp(st->langs[k].lang, v->lang) == 0)
                    break;
            if (k == st->nlangs) {
                TRY(alinea__grow(ctx, (void **)&st->langs, &lcap, st->nlangs + 1,
                                 sizeof *st->langs));
                memset(&st->langs[k], 0, sizeof st->langs[k]);
                snprintf(st->langs[k].lang, sizeof st->langs[k].lang, "%s", v->lang);
                st->nlangs++;
            }
            size_t chars;
            st->langs[k].words += count_words(bi, v->text, &chars, ctx, &rc);
            if (rc != ALINEA_OK)
                goto cleanup;
            st->langs[k].chars += chars;
            st->langs[k].tuvs++;
        }
    }
    st->recoveries = alinea_tmx_reader_recoveries(r);
    snprintf(st->srclang, sizeof st->srclang, "%s",
             alinea_tmx_reader_srclang(r) ? alinea_tmx_reader_srclang(r) : "");
    snprintf(st->version, sizeof st->version, "%s",
             alinea_tmx_reader_version(r) ? alinea_tmx_reader_version(r) : "");
    *out = st;
    st = NULL;
cleanup:
    alinea_tmx_reader_free(r);
    alinea_tmx_stats_free(st);
    if (bi)
        ubrk_close(bi);
    free(src.k);
    free(exact.k);
    return rc;
}

/* -------------------------------------------------------------- rewrite */

/* The output header: the caller's, with srclang (and adminlang) from the
 * input when not given. */
static alinea_status out_header(alinea_ctx *ctx, alinea_tmx_reader *r, const alinea_tmx_header *h,
                                alinea_tmx_header *oh, const alinea_tu **first)
{
    alinea_status rc = ALINEA_OK;
    static const alinea_tmx_header none;
    *oh = h ? *h : none;
    TRY(alinea_tmx_reader_next(r, first)); /* the header is read with the first TU */
    if (!oh->srclang) {
        const char *s = alinea_tmx_reader_srclang(r);
        if (!s || strcmp(s, "*all*") == 0)
            s = *first && (*first)->srclang && strcmp((*first)->srclang, "*all*") != 0
                    ? (*first)->srclang
                    : (*first && (*first)->ntuvs ? (*first)->tuvs[0].lang : NULL);
        if (!s || !*s)
            return alinea__fail(ctx, ALINEA_ERR_INVALID,
                                "the input has no source language; give one (--srclang)");
        oh->srclang = s;
    }
    if (!oh->segtype) {
        const char *st = alinea_tmx_reader_header_attr(r, "segtype");
        if (st && (!strcmp(st, "block") || !strcmp(st, "paragraph") || !strcmp(st, "sentence") ||
                   !strcmp(st, "phrase")))
            oh->segtype = st;
    }
    if (!oh->adminlang) {
        const char *a = alinea_tmx_reader_header_attr(r, "adminlang");
        char buf[64];
        if (a && alinea_lang_normalize(a, buf, sizeof buf) == ALINEA_OK)
            oh->adminlang = a;
    }
    if (!oh->datatype) {
        const char *d = alinea_tmx_reader_header_attr(r, "datatype");
        if (d && *d)
            oh->datatype = d;
    }
    if (!oh->nnotes && !oh->nprops) {
        oh->notes = alinea_tmx_reader_header_notes(r, &oh->nnotes);
        oh->props = alinea_tmx_reader_header_props(r, &oh->nprops);
    }
cleanup:
    return rc;
}

alinea_status alinea_tmx_rewrite(alinea_ctx *ctx, const char *in, const char *out,
                                 const alinea_tmx_header *header, size_t *written)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    alinea_tmx_writer *w = NULL;
    alinea_tmx_header oh;
    const alinea_tu *tu;
    if (written)
        *written = 0;
    TRY(alinea_tmx_reader_open(ctx, in, &r));
    TRY(out_header(ctx, r, header, &oh, &tu));
    TRY(alinea_tmx_writer_open(ctx, out, &oh, &w));
    while (tu) {
        if (tu->ntuvs)
            TRY(alinea_tmx_writer_add(w, tu));
        TRY(alinea_tmx_reader_next(r, &tu));
    }
    if (written)
        *written = alinea_tmx_writer_count(w, NULL);
    rc = alinea_tmx_writer_finish(w);
    w = NULL;
cleanup:
    alinea_tmx_writer_free(w);
    alinea_tmx_reader_free(r);
    return rc;
}

/* ------------------------------------------------------------ TMX -> text */

/* Segment text as one plain line: no codes, TAB/CR/LF as spaces. */
static alinea_status plain_line(alinea_ctx *ctx, const char *s, alinea_buf *b, size_t *nspaces)
{
    alinea_status rc = ALINEA_OK;
    b->len = 0;
    for (const char *p = s; *p; p++) {
        if (strncmp(p, "\xEF\xBF\xBC", 3) == 0) {
            p += 2;
            continue;
        }
        char c = *p;
        if (c == '\t' || c == '\n' || c == '\r') {
            (*nspaces)++;
            c = ' ';
        }
        TRY(alinea__buf_addc(ctx, b, c));
    }
    TRY(alinea__buf_addc(ctx, b, '\0'));
    b->len--;
cleanup:
    return rc;
}

alinea_status alinea_tmx_to_text(alinea_ctx *ctx, const char *in, alinea_tmx_text_format format,
                                 const char *srclang, const char *tgtlang,
                                 const char *const out[2], size_t *written)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    alinea_out *o[2] = {NULL, NULL};
    alinea_buf a, b;
    size_t nspaces = 0, n = 0, skipped = 0;
    alinea__buf_init(&a, 0);
    alinea__buf_init(&b, 0);
    if (written)
        *written = 0;
    if (!tgtlang || !*tgtlang)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "a target language is required");
    TRY(alinea_tmx_reader_open(ctx, in, &r));
    TRY(alinea_out_open(ctx, out[0], &o[0]));
    if (format == ALINEA_TMX_MOSES)
        TRY(alinea_out_open(ctx, out[1], &o[1]));
    const alinea_tu *tu;
    for (;;) {
        TRY(alinea_tmx_reader_next(r, &tu));
        if (!tu)
            break;
        const char *src = srclang ? srclang : tu_srclang(tu, alinea_tmx_reader_srclang(r));
        const alinea_tuv *sv = src ? alinea_tu_find(tu, src) : NULL;
        const alinea_tuv *tv = alinea_tu_find(tu, tgtlang);
        if (!sv || !tv || sv == tv) {
            skipped++;
            continue;
        }
        TRY(plain_line(ctx, sv->text, &a, &nspaces));
        TRY(plain_line(ctx, tv->text, &b, &nspaces));
        int bad;
        if (format == ALINEA_TMX_TSV)
            bad = fprintf(alinea_out_stream(o[0]), "%s\t%s\n", a.data, b.data) < 0;
        else
            bad = fprintf(alinea_out_stream(o[0]), "%s\n", a.data) < 0 ||
                  fprintf(alinea_out_stream(o[1]), "%s\n", b.data) < 0;
        if (bad) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: write error", out[0] ? out[0] : "output");
            goto cleanup;
        }
        n++;
    }
    for (int i = 0; i < 2; i++) {
        if (!o[i])
            continue;
        alinea_out *t = o[i];
        o[i] = NULL;
        TRY(alinea_out_commit(t));
    }
    if (nspaces)
        alinea__warn(ctx, "%s: %zu tab or line break%s inside segments written as spaces", in,
                     nspaces, nspaces == 1 ? "" : "s");
    if (skipped)
        alinea__warn(ctx, "%s: %zu TU%s without both languages skipped", in, skipped,
                     skipped == 1 ? "" : "s");
    if (written)
        *written = n;
cleanup:
    alinea_out_abort(o[0]);
    alinea_out_abort(o[1]);
    alinea__buf_free(&a);
    alinea__buf_free(&b);
    alinea_tmx_reader_free(r);
    return rc;
}

/* ------------------------------------------------------------ TSV -> TMX */

/* One TSV line (NUL-terminated, no line end) to one TU. */
static alinea_status tsv_line(alinea_ctx *ctx, alinea_tmx_writer *w, const char *in, size_t lineno,
                              char *p, const char *const *langs, size_t nlangs, alinea_tuv *tuvs,
                              size_t *skipped)
{
    alinea_status rc = ALINEA_OK;
    size_t len = strlen(p);
    if (len && p[len - 1] == '\r')
        p[--len] = '\0';
    /* UTF-8 check with ICU's U8_NEXT, so that the error names line and byte. */
    for (int32_t i = 0; (size_t)i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, (int32_t)len, c);
        if (c < 0)
            return alinea__fail(ctx, ALINEA_ERR_ENCODING, "%s:%zu: byte %d: invalid UTF-8", in,
                                lineno, (int)start + 1);
    }
    alinea_tu tu = {0};
    size_t col = 0;
    char *cell = p;
    for (;;) {
        char *tab = strchr(cell, '\t');
        if (tab)
            *tab = '\0';
        if (col >= nlangs)
            return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                "%s:%zu: more than %zu tab-separated columns", in, lineno, nlangs);
        if (*cell) {
            tuvs[tu.ntuvs].lang = (char *)langs[col];
            tuvs[tu.ntuvs].text = cell;
            tu.ntuvs++;
        }
        col++;
        if (!tab)
            break;
        cell = tab + 1;
    }
    tu.tuvs = tuvs;
    if (tu.ntuvs >= 2)
        TRY(alinea_tmx_writer_add(w, &tu));
    else if (col > 1 || *p)
        (*skipped)++;
cleanup:
    return rc;
}

alinea_status alinea_tsv_to_tmx(alinea_ctx *ctx, const char *in, const char *const *langs,
                                size_t nlangs, const char *out, const alinea_tmx_header *header,
                                size_t *written)
{
    alinea_status rc = ALINEA_OK;
    char *text = NULL, *line = NULL;
    size_t len = 0, skipped = 0, lineno = 0, cap = 0;
    alinea_tmx_writer *w = NULL;
    alinea_tuv *tuvs = NULL;
    FILE *f = NULL;
    static const alinea_tmx_header none;
    alinea_tmx_header oh = header ? *header : none;
    int is_stdin = !in || strcmp(in, "-") == 0;
    const char *name = is_stdin ? "standard input" : in;
    if (written)
        *written = 0;
    if (nlangs < 2)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "TSV to TMX needs at least two languages");
    if (!oh.srclang)
        oh.srclang = langs[0];
    tuvs = calloc(nlangs, sizeof *tuvs);
    CHECK_ALLOC(ctx, tuvs);
    f = is_stdin ? NULL : fopen(in, "rb");
    if (!is_stdin && !f) {
        rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot open: %s", in, strerror(errno));
        goto cleanup;
    }
    /* A UTF-8 file is streamed line by line (flat memory): look for a BOM,
     * then rewind. UTF-16, and standard input, are decoded whole by
     * alinea_text_load, then split. */
    int stream = 0;
    if (!is_stdin) {
        int c1 = getc(f), c2 = c1 == EOF ? EOF : getc(f), c3 = c2 == EOF ? EOF : getc(f);
        int utf16 = (c1 == 0xFF && c2 == 0xFE) || (c1 == 0xFE && c2 == 0xFF);
        int bom8 = c1 == 0xEF && c2 == 0xBB && c3 == 0xBF;
        stream = !utf16 && fseek(f, bom8 ? 3 : 0, SEEK_SET) == 0;
    }
    TRY(alinea_tmx_writer_open(ctx, out, &oh, &w));
    if (!stream) {
        if (!is_stdin)
            fclose(f);
        f = NULL;
        TRY(alinea_text_load(ctx, in, 0, &text, &len));
        char *p = text, *end = text + len;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            char *eol = nl ? nl : end;
            *eol = '\0';
            TRY(tsv_line(ctx, w, name, ++lineno, p, langs, nlangs, tuvs, &skipped));
            p = nl ? nl + 1 : end;
        }
    } else {
        for (;;) {
            ssize_t n = getline(&line, &cap, f);
            if (n < 0)
                break;
            if ((size_t)n > ALINEA_MAX_SEGMENT_BYTES * 4) {
                rc = alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s:%zu: line longer than %zu bytes",
                                  name, lineno + 1, (size_t)ALINEA_MAX_SEGMENT_BYTES * 4);
                goto cleanup;
            }
            if (memchr(line, '\0', (size_t)n)) {
                rc = alinea__fail(ctx, ALINEA_ERR_ENCODING, "%s:%zu: NUL byte (binary file?)",
                                  name, lineno + 1);
                goto cleanup;
            }
            if (n && line[n - 1] == '\n')
                line[--n] = '\0';
            TRY(tsv_line(ctx, w, name, ++lineno, line, langs, nlangs, tuvs, &skipped));
        }
        if (ferror(f)) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: read error: %s", name, strerror(errno));
            goto cleanup;
        }
    }
    if (skipped)
        alinea__warn(ctx, "%s: %zu line%s with fewer than two segments skipped", name, skipped,
                     skipped == 1 ? "" : "s");
    if (written)
        *written = alinea_tmx_writer_count(w, NULL);
    rc = alinea_tmx_writer_finish(w);
    w = NULL;
cleanup:
    if (f)
        fclose(f);
    alinea_tmx_writer_free(w);
    alinea_free(text);
    free(line);
    free(tuvs);
    return rc;
}

/* ---------------------------------------------------------------- merge */

/* YYYYMMDDThhmmssZ as a number (0 when absent or malformed). */
static uint64_t date_num(const char *d)
{
    if (!d || strlen(d) < 15)
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 15; i++) {
        if (i == 8) {
            if (d[i] != 'T')
                return 0;
            continue;
        }
        if (d[i] < '0' || d[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(d[i] - '0');
    }
    return v;
}

static uint64_t tu_date(const alinea_tu *tu)
{
    uint64_t d = date_num(alinea_tu_attr(tu, "changedate"));
    if (!d)
        d = date_num(alinea_tu_attr(tu, "creationdate"));
    if (d)
        return d;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const alinea_tuv *v = &tu->tuvs[i];
        for (size_t k = 0; k < v->nattrs; k++) {
            if (strcmp(v->attrs[k].type, "changedate") == 0 ||
                strcmp(v->attrs[k].type, "creationdate") == 0) {
                uint64_t x = date_num(v->attrs[k].value);
                if (x > d)
                    d = x;
            }
        }
    }
    return d;
}

alinea_status alinea_tmx_merge(alinea_ctx *ctx, const char *const *in, size_t n, const char *out,
                               const alinea_tmx_header *header, alinea_tmx_merge_policy policy,
                               alinea_tmx_merge_key key, size_t *written, size_t *dropped)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    alinea_tmx_writer *w = NULL;
    htable t = {0};
    kset tuids = {0};
    alinea_tmx_header oh;
    char srcbuf[64] = "";
    size_t total = 0, ndropped = 0, nrenamed = 0;
    const alinea_tu *tu;
    if (written)
        *written = 0;
    if (dropped)
        *dropped = 0;
    if (n == 0)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "merge: no input file");
    /* Pass 1: the winner for each key. */
    if (policy != ALINEA_MERGE_ALL) {
        size_t idx = 0;
        for (size_t f = 0; f < n; f++) {
            TRY(alinea_tmx_reader_open(ctx, in[f], &r));
            for (;;) {
                TRY(alinea_tmx_reader_next(r, &tu));
                if (!tu)
                    break;
                uint64_t k = key == ALINEA_KEY_SOURCE
                                 ? key_source(tu, alinea_tmx_reader_srclang(r))
                                 : key_exact(tu);
                hentry *e;
                int found;
                TRY(ht_get(ctx, &t, k, &e, &found));
                uint64_t d = tu_date(tu);
                if (!found) {
                    e->index = idx;
                    e->date = d;
                } else if (policy == ALINEA_MERGE_NEWEST && d > e->date) {
                    e->index = idx;
                    e->date = d;
                }
                idx++;
            }
            alinea_tmx_reader_free(r);
            r = NULL;
        }
    }
    /* Pass 2: write. */
    size_t idx = 0;
    for (size_t f = 0; f < n; f++) {
        TRY(alinea_tmx_reader_open(ctx, in[f], &r));
        if (f == 0) {
            TRY(out_header(ctx, r, header, &oh, &tu));
            snprintf(srcbuf, sizeof srcbuf, "%s", oh.srclang);
            oh.srclang = srcbuf;
            TRY(alinea_tmx_writer_open(ctx, out, &oh, &w));
        } else {
            TRY(alinea_tmx_reader_next(r, &tu));
        }
        while (tu) {
            int keep = 1;
            if (policy != ALINEA_MERGE_ALL) {
                uint64_t k = key == ALINEA_KEY_SOURCE
                                 ? key_source(tu, alinea_tmx_reader_srclang(r))
                                 : key_exact(tu);
                hentry *e;
                int found;
                TRY(ht_get(ctx, &t, k, &e, &found));
                keep = e->index == idx;
            }
            if (keep && tu->ntuvs) {
                alinea_tu copy = *tu;
                /* A TU of a file whose header names another source language
                 * than the output's carries it as its own srclang. */
                const char *fsrc = alinea_tmx_reader_srclang(r);
                if (!tu->srclang && fsrc && strcasecmp(fsrc, srcbuf) != 0)
                    copy.srclang = (char *)fsrc;
                /* Keep tuids unique across the inputs: a tuid seen before
                 * becomes TUID.FILE (then TUID.FILE.K). */
                char tuid[256];
                if (tu->tuid && *tu->tuid) {
                    int found;
                    TRY(kset_add(ctx, &tuids, fnv(FNV_BASIS, tu->tuid), &found));
                    for (unsigned k = 1; found; k++) {
                        if (k == 1)
                            snprintf(tuid, sizeof tuid, "%.200s.%zu", tu->tuid, f + 1);
                        else
                            snprintf(tuid, sizeof tuid, "%.200s.%zu.%u", tu->tuid, f + 1, k);
                        TRY(kset_add(ctx, &tuids, fnv(FNV_BASIS, tuid), &found));
                        copy.tuid = tuid;
                        nrenamed += k == 1;
                    }
                } else {
                    /* the number the writer would give it, made unique */
                    int found;
                    size_t next = alinea_tmx_writer_count(w, NULL) + 1;
                    const char *pre = oh.tuid_prefix ? oh.tuid_prefix : "";
                    snprintf(tuid, sizeof tuid, "%.200s%zu", pre, next);
                    TRY(kset_add(ctx, &tuids, fnv(FNV_BASIS, tuid), &found));
                    for (unsigned k = 2; found; k++) {
                        snprintf(tuid, sizeof tuid, "%.200s%zu.%u", pre, next, k);
                        TRY(kset_add(ctx, &tuids, fnv(FNV_BASIS, tuid), &found));
                    }
                    copy.tuid = tuid;
                }
                TRY(alinea_tmx_writer_add(w, &copy));
            } else {
                ndropped++;
            }
            idx++;
            total++;
            TRY(alinea_tmx_reader_next(r, &tu));
        }
        alinea_tmx_reader_free(r);
        r = NULL;
    }
    if (written)
        *written = alinea_tmx_writer_count(w, NULL);
    if (dropped)
        *dropped = ndropped;
    if (nrenamed)
        alinea__warn(ctx, "%s: %zu tuid%s already used by an earlier TU renamed TUID.N (N: the "
                     "input's number)",
                     out ? out : "output", nrenamed, nrenamed == 1 ? "" : "s");
    rc = alinea_tmx_writer_finish(w);
    w = NULL;
cleanup:
    alinea_tmx_writer_free(w);
    alinea_tmx_reader_free(r);
    ht_free(&t);
    free(tuids.k);
    return rc;
}

/* --------------------------------------------------------------- filter */

/* Code points of a UTF-8 string, with ICU's U8_FWD_1. */
static size_t cp_len(const char *s)
{
    size_t n = 0;
    int32_t len = (int32_t)strlen(s);
    for (int32_t i = 0; i < len; n++)
        U8_FWD_1(s, i, len);
    return n;
}

alinea_status alinea_tmx_filter_file(alinea_ctx *ctx, const char *in, const char *out,
                                     const alinea_tmx_filter *fl, const alinea_tmx_header *header,
                                     size_t *kept, size_t *dropped)
{
    alinea_status rc = ALINEA_OK;
    alinea_tmx_reader *r = NULL;
    alinea_tmx_writer *w = NULL;
    alinea_checker *chk = NULL;
    alinea_finding *fs = NULL;
    size_t nfs = 0, ndropped = 0;
    alinea_tmx_header oh;
    char srcbuf[64];
    const alinea_tu *tu;
    if (kept)
        *kept = 0;
    if (dropped)
        *dropped = 0;
    if ((fl->min_ratio > 0 || fl->max_ratio > 0 || fl->drop_qa_errors) && !fl->tgtlang)
        return alinea__fail(ctx, ALINEA_ERR_INVALID,
                            "filter: the length ratio and QA criteria need a target language");
    if (fl->max_ratio > 0 && fl->min_ratio > fl->max_ratio)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "filter: minimum ratio above maximum");
    TRY(alinea_tmx_reader_open(ctx, in, &r));
    TRY(out_header(ctx, r, header, &oh, &tu));
    if (fl->srclang && !(header && header->srclang))
        oh.srclang = fl->srclang;
    snprintf(srcbuf, sizeof srcbuf, "%s", oh.srclang);
    oh.srclang = srcbuf;
    if (fl->drop_qa_errors)
        TRY(alinea_checker_new(ctx, fl->srclang ? fl->srclang : srcbuf, fl->tgtlang, &chk));
    TRY(alinea_tmx_writer_open(ctx, out, &oh, &w));
    while (tu) {
        int keep = tu->ntuvs > 0;
        const char *src = fl->srclang ? fl->srclang : tu_srclang(tu, alinea_tmx_reader_srclang(r));
        const alinea_tuv *sv = src ? alinea_tu_find(tu, src) : NULL;
        const alinea_tuv *tv = fl->tgtlang ? alinea_tu_find(tu, fl->tgtlang) : NULL;
        if (keep && fl->tgtlang && (!sv || !tv || sv == tv))
            keep = 0;
        if (keep && (fl->has_min_score || fl->has_max_score)) {
            const char *s = alinea_tu_prop(tu, "x-alinea-score");
            char *end = NULL;
            double v = s ? strtod(s, &end) : 0;
            if (!s || end == s || (fl->has_min_score && v < fl->min_score) ||
                (fl->has_max_score && v > fl->max_score))
                keep = 0;
        }
        if (keep && (fl->min_ratio > 0 || fl->max_ratio > 0)) {
            size_t ls = cp_len(sv->text), lt = cp_len(tv->text);
            double ratio = ls ? (double)lt / (double)ls : (lt ? 1e9 : 1.0);
            if ((fl->min_ratio > 0 && ratio < fl->min_ratio) ||
                (fl->max_ratio > 0 && ratio > fl->max_ratio))
                keep = 0;
        }
        if (keep && chk) {
            TRY(alinea_checker_check(chk, sv->text, strlen(sv->text), tv->text, strlen(tv->text),
                                     &fs, &nfs));
            for (size_t i = 0; i < nfs; i++)
                if (fs[i].severity == ALINEA_SEV_ERROR)
                    keep = 0;
            if (fs)
                alinea_findings_free(fs, nfs);
            fs = NULL;
            nfs = 0;
        }
        if (keep)
            TRY(alinea_tmx_writer_add(w, tu));
        else
            ndropped++;
        TRY(alinea_tmx_reader_next(r, &tu));
    }
    if (kept)
        *kept = alinea_tmx_writer_count(w, NULL);
    if (dropped)
        *dropped = ndropped;
    rc = alinea_tmx_writer_finish(w);
    w = NULL;
cleanup:
    if (fs)
        alinea_findings_free(fs, nfs);
    if (chk)
        alinea_checker_free(chk);
    alinea_tmx_writer_free(w);
    alinea_tmx_reader_free(r);
    return rc;
}
