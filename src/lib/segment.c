/* segment.c - sentence segmentation (first cut: paragraphs + ICU BreakIterator). */
#include "alinea_segment.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct alinea_segmenter {
    alinea_ctx *ctx;
    char lang[16];
    alinea_para_mode para;
    UBreakIterator *bi;
};

alinea_status alinea_segmenter_new(alinea_ctx *ctx, const char *lang, alinea_segmenter **out)
{
    *out = NULL;
    alinea_segmenter *s = calloc(1, sizeof *s);
    if (!s)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    s->ctx = ctx;
    snprintf(s->lang, sizeof s->lang, "%.2s", lang);
    char loc[32];
    snprintf(loc, sizeof loc, "%s@ss=standard", s->lang);
    UErrorCode err = U_ZERO_ERROR;
    s->bi = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &err);
    if (U_FAILURE(err)) {
        free(s);
        return alinea__fail(ctx, ALINEA_ERR_ICU, "ubrk_open(%s): %s", loc, u_errorName(err));
    }
    *out = s;
    return ALINEA_OK;
}

void alinea_segmenter_free(alinea_segmenter *s)
{
    if (!s)
        return;
    ubrk_close(s->bi);
    free(s);
}

void alinea_segmenter_set_paragraphs(alinea_segmenter *s, alinea_para_mode mode) { s->para = mode; }

const char *alinea_segmenter_rule_name(const alinea_segmenter *s, uint32_t rule)
{
    (void)s;
    return rule == 0 ? "icu" : "paragraph";
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static alinea_status add_seg(alinea_ctx *ctx, const char *t, size_t a, size_t b, uint32_t para,
                             alinea_seg **segs, size_t *n, size_t *cap)
{
    while (a < b && is_ws(t[a]))
        a++;
    while (b > a && is_ws(t[b - 1]))
        b--;
    if (a == b)
        return ALINEA_OK;
    alinea_status rc = alinea__grow(ctx, (void **)segs, cap, *n + 1, sizeof **segs);
    if (rc == ALINEA_OK)
        (*segs)[(*n)++] = (alinea_seg){a, b, para, 0};
    return rc;
}

alinea_status alinea_segmenter_run(alinea_segmenter *s, const char *text, size_t len,
                                   alinea_seg **segs, size_t *n)
{
    alinea_ctx *ctx = s->ctx;
    alinea_status rc = ALINEA_OK;
    *segs = NULL;
    *n = 0;
    size_t cap = 0;
    alinea_para_mode mode = s->para;
    if (mode == ALINEA_PARA_AUTO) {
        mode = ALINEA_PARA_LINE;
        for (size_t i = 0; i + 1 < len; i++)
            if (text[i] == '\n') {
                size_t j = i + 1;
                while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                    j++;
                if (j < len && text[j] == '\n') {
                    mode = ALINEA_PARA_BLANK;
                    break;
                }
            }
    }
    uint32_t para = 0;
    size_t p = 0;
    UText *ut = NULL;
    while (p < len) {
        /* Find the end of this paragraph. */
        size_t e = p;
        int empty = 1;
        while (e < len) {
            if (text[e] == '\n') {
                if (mode == ALINEA_PARA_LINE)
                    break;
                size_t j = e + 1;
                while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                    j++;
                if (j >= len || text[j] == '\n')
                    break;
            } else if (!is_ws(text[e])) {
                empty = 0;
            }
            e++;
        }
        if (!empty) {
            UErrorCode err = U_ZERO_ERROR;
            ut = utext_openUTF8(ut, text + p, (int64_t)(e - p), &err);
            ubrk_setUText(s->bi, ut, &err);
            if (U_FAILURE(err)) {
                rc = alinea__fail(ctx, ALINEA_ERR_ICU, "break iterator: %s", u_errorName(err));
                goto cleanup;
            }
            int32_t a = ubrk_first(s->bi), b;
            while ((b = ubrk_next(s->bi)) != UBRK_DONE) {
                TRY(add_seg(ctx, text, p + (size_t)a, p + (size_t)b, para, segs, n, &cap));
                a = b;
            }
            para++;
        }
        p = e + 1;
    }
cleanup:
    if (ut)
        utext_close(ut);
    if (rc != ALINEA_OK) {
        free(*segs);
        *segs = NULL;
        *n = 0;
    }
    return rc;
}
