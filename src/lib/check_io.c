/* check_io.c - unit pairs for the checker: TSV, two line-aligned files, or
 * TMX streamed with the TMX reader. */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/utf8.h>

struct alinea_pair_reader {
    alinea_ctx *ctx;
    char *path, *path2;
    FILE *f, *f2;
    alinea_tmx_reader *tmx;
    char srclang[64], tgtlang[64];
    int have_src, have_tgt;
    char *line, *line2;
    size_t cap, cap2;
    size_t lineno;
    alinea_pair pair;
    char *empty;
    size_t ntus, nsrc, ntgt; /* TMX: TUs read, with the source TUV, with the target TUV */
    char seen[256];          /* TMX: languages seen, for the error message */
};

static void note_langs(alinea_pair_reader *r, const alinea_tu *tu)
{
    for (size_t k = 0; k < tu->ntuvs; k++) {
        const char *l = tu->tuvs[k].lang;
        if (!l || strlen(l) > 40)
            continue;
        char key[48];
        snprintf(key, sizeof key, " %s,", l);
        if (!strstr(r->seen, key) && strlen(r->seen) + strlen(key) < sizeof r->seen)
            strcat(r->seen, key);
    }
}

/* At the end of a TMX: a language pair that never occurred is an input error. */
static alinea_status tmx_end(alinea_pair_reader *r)
{
    if (r->ntus == 0)
        return ALINEA_OK;
    size_t n = strlen(r->seen);
    if (n && r->seen[n - 1] == ',')
        r->seen[n - 1] = 0;
    if (r->nsrc == 0)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s: no TU has a TUV in the source language '%s' (languages:%s); "
                            "pick one with -s",
                            r->path, r->have_src ? r->srclang : "?", r->seen);
    if (r->ntgt == 0)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s: no TU has a TUV in the target language '%s' (languages:%s); "
                            "pick one with -t",
                            r->path, r->have_tgt ? r->tgtlang : "?", r->seen);
    return ALINEA_OK;
}

static int looks_tmx(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcasecmp(path + n - 4, ".tmx") == 0)
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[64] = {0};
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[k] = 0;
    const char *p = buf;
    if (k >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return strncmp(p, "<?xml", 5) == 0 || strncmp(p, "<tmx", 4) == 0;
}

alinea_status alinea_pair_reader_open(alinea_ctx *ctx, const char *path, const char *path2,
                                      const char *srclang, const char *tgtlang,
                                      alinea_pair_reader **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    alinea_pair_reader *r = calloc(1, sizeof *r);
    CHECK_ALLOC(ctx, r);
    r->ctx = ctx;
    r->path = alinea__strdup(path);
    CHECK_ALLOC(ctx, r->path);
    r->empty = alinea__strdup("");
    CHECK_ALLOC(ctx, r->empty);
    if (srclang) {
        TRY(alinea_lang_normalize(srclang, r->srclang, sizeof r->srclang));
        r->have_src = 1;
    }
    if (tgtlang) {
        TRY(alinea_lang_normalize(tgtlang, r->tgtlang, sizeof r->tgtlang));
        r->have_tgt = 1;
    }
    if (!path2 && strcmp(path, "-") != 0 && looks_tmx(path)) {
        TRY(alinea_tmx_reader_open(ctx, path, &r->tmx));
    } else {
        r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (!r->f) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
            goto cleanup;
        }
        if (path2) {
            r->path2 = alinea__strdup(path2);
            CHECK_ALLOC(ctx, r->path2);
            r->f2 = fopen(path2, "rb");
            if (!r->f2) {
                rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path2, strerror(errno));
                goto cleanup;
            }
        }
        if (!r->have_src) {
            strcpy(r->srclang, "fr");
            r->have_src = 1;
        }
        if (!r->have_tgt) {
            strcpy(r->tgtlang, "en");
            r->have_tgt = 1;
        }
    }
    *out = r;
    r = NULL;
cleanup:
    alinea_pair_reader_free(r);
    return rc;
}

void alinea_pair_reader_free(alinea_pair_reader *r)
{
    if (!r)
        return;
    if (r->f && r->f != stdin)
        fclose(r->f);
    if (r->f2)
        fclose(r->f2);
    alinea_tmx_reader_free(r->tmx);
    free(r->line);
    free(r->line2);
    free(r->path);
    free(r->path2);
    free(r->empty);
    free(r);
}

const char *alinea_pair_reader_srclang(const alinea_pair_reader *r)
{
    return r->have_src ? r->srclang : NULL;
}
const char *alinea_pair_reader_tgtlang(const alinea_pair_reader *r)
{
    return r->have_tgt ? r->tgtlang : NULL;
}
int alinea_pair_reader_is_tmx(const alinea_pair_reader *r) { return r->tmx != NULL; }

/* Read a line without its end; validates UTF-8. 1: a line, 0: EOF. */
static alinea_status read_line(alinea_pair_reader *r, FILE *f, const char *path, char **buf,
                               size_t *cap, size_t *len, int *got)
{
    errno = 0;
    ssize_t n = getline(buf, cap, f);
    if (n < 0) {
        if (ferror(f))
            return alinea__fail(r->ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
        *got = 0;
        return ALINEA_OK;
    }
    size_t l = (size_t)n;
    if (l && (*buf)[l - 1] == '\n')
        l--;
    if (l && (*buf)[l - 1] == '\r')
        l--;
    (*buf)[l] = 0;
    if (l > ALINEA_MAX_SEGMENT_BYTES * 2)
        return alinea__fail(r->ctx, ALINEA_ERR_TOO_BIG, "%s:%zu: line longer than %zu bytes",
                            path, r->lineno, (size_t)ALINEA_MAX_SEGMENT_BYTES * 2);
    const char *s = *buf;
    size_t off = (r->lineno == 1 && l >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (off) {
        memmove(*buf, *buf + 3, l - 2);
        l -= 3;
    }
    int32_t i = 0;
    while (i < (int32_t)l) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)l, c);
        if (c < 0)
            return alinea__fail(r->ctx, ALINEA_ERR_ENCODING, "%s:%zu: byte %d: invalid UTF-8",
                                path, r->lineno, (int)at + 1 + (int)off);
        if (c == 0)
            return alinea__fail(r->ctx, ALINEA_ERR_ENCODING,
                                "%s:%zu: byte %d: NUL byte (binary file?)", path, r->lineno,
                                (int)at + 1 + (int)off);
    }
    *len = l;
    *got = 1;
    return ALINEA_OK;
}

alinea_status alinea_pair_reader_next(alinea_pair_reader *r, const alinea_pair **pair)
{
    alinea_status rc = ALINEA_OK;
    *pair = NULL;
    if (r->tmx) {
        for (;;) {
            const alinea_tu *tu = NULL;
            TRY(alinea_tmx_reader_next(r->tmx, &tu));
            if (!tu)
                return tmx_end(r);
            r->ntus++;
            if (r->seen[0] == 0 || r->ntus < 100)
                note_langs(r, tu);
            if (!r->have_src) {
                const char *h = tu->srclang ? tu->srclang : alinea_tmx_reader_srclang(r->tmx);
                if (!h || strcmp(h, "*all*") == 0)
                    h = tu->ntuvs ? tu->tuvs[0].lang : NULL;
                if (!h)
                    continue;
                snprintf(r->srclang, sizeof r->srclang, "%s", h);
                r->have_src = 1;
            }
            const alinea_tuv *sv = alinea_tu_find(tu, r->srclang);
            if (!sv)
                continue; /* a TU without the source language */
            r->nsrc++;
            if (!r->have_tgt) {
                size_t pl = strcspn(r->srclang, "-_");
                for (size_t k = 0; k < tu->ntuvs && !r->have_tgt; k++) {
                    const char *l = tu->tuvs[k].lang;
                    if (l && !(strncasecmp(l, r->srclang, pl) == 0 &&
                               (l[pl] == 0 || l[pl] == '-' || l[pl] == '_'))) {
                        snprintf(r->tgtlang, sizeof r->tgtlang, "%s", l);
                        r->have_tgt = 1;
                    }
                }
                if (!r->have_tgt)
                    continue;
            }
            const alinea_tuv *tv = alinea_tu_find(tu, r->tgtlang);
            r->ntgt += tv != NULL;
            r->pair.src = sv->text ? sv->text : r->empty;
            r->pair.srclen = strlen(r->pair.src);
            r->pair.tgt = tv && tv->text ? tv->text : r->empty;
            r->pair.tgtlen = strlen(r->pair.tgt);
            r->pair.line = tu->line;
            r->pair.tu = tu;
            *pair = &r->pair;
            return ALINEA_OK;
        }
    }
    for (;;) {
        int got = 0, got2 = 0;
        size_t len = 0, len2 = 0;
        r->lineno++;
        TRY(read_line(r, r->f, r->path, &r->line, &r->cap, &len, &got));
        if (r->f2) {
            TRY(read_line(r, r->f2, r->path2, &r->line2, &r->cap2, &len2, &got2));
            if (got != got2) {
                rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                  "%s and %s: not the same number of lines (%s ends at line %zu)",
                                  r->path, r->path2, got ? r->path2 : r->path, r->lineno - 1);
                goto cleanup;
            }
            if (!got)
                return ALINEA_OK;
            r->pair.src = r->line;
            r->pair.srclen = len;
            r->pair.tgt = r->line2;
            r->pair.tgtlen = len2;
        } else {
            if (!got)
                return ALINEA_OK;
            if (len == 0)
                continue; /* empty lines are skipped */
            char *tab = memchr(r->line, '\t', len);
            if (!tab) {
                rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: no tab between source and target (expected "
                                  "'source<TAB>target')",
                                  r->path, r->lineno);
                goto cleanup;
            }
            *tab = 0;
            char *tgt = tab + 1;
            char *tab2 = strchr(tgt, '\t');
            if (tab2)
                *tab2 = 0; /* further columns (other targets, notes) are ignored */
            r->pair.src = r->line;
            r->pair.srclen = (size_t)(tab - r->line);
            r->pair.tgt = tgt;
            r->pair.tgtlen = strlen(tgt);
        }
        if (r->pair.srclen > ALINEA_MAX_SEGMENT_BYTES || r->pair.tgtlen > ALINEA_MAX_SEGMENT_BYTES) {
            rc = alinea__fail(r->ctx, ALINEA_ERR_TOO_BIG, "%s:%zu: segment longer than %zu bytes",
                              r->path, r->lineno, (size_t)ALINEA_MAX_SEGMENT_BYTES);
            goto cleanup;
        }
        r->pair.line = r->lineno;
        r->pair.tu = NULL;
        *pair = &r->pair;
        return ALINEA_OK;
    }
cleanup:
    return rc;
}
