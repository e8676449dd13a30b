/* bench-segment.c - throughput of alinea_segmenter_run next to a bare ICU
 * sentence BreakIterator over the same UTF-8 text (UText, no UTF-16 copy),
 * in the same process. Built and run by tools/bench.d/segment.sh.
 *   bench-segment FILE LANG REPEAT
 * Prints one line per engine: MB/s (best of REPEAT runs) and sentence count. */
#define _POSIX_C_SOURCE 200809L
#include "alinea.h"
#include "alinea_segment.h"
#include "alinea_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench-segment FILE LANG REPEAT\n");
        return 2;
    }
    int repeat = atoi(argv[3]);
    alinea_ctx *ctx;
    if (alinea_ctx_new(&ctx) != ALINEA_OK)
        return 3;
    char *text;
    size_t len;
    alinea_segmenter *seg;
    if (alinea_text_load(ctx, argv[1], 0, &text, &len) != ALINEA_OK ||
        alinea_segmenter_new(ctx, argv[2], &seg) != ALINEA_OK) {
        fprintf(stderr, "bench-segment: %s\n", alinea_ctx_errmsg(ctx));
        return 2;
    }
    double mb = (double)len / 1e6, best_icu = 1e9, best_al = 1e9;
    size_t n_icu = 0, n_al = 0;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, argv[2], NULL, 0, &err);
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &err);
    if (U_FAILURE(err)) {
        fprintf(stderr, "bench-segment: ICU: %s\n", u_errorName(err));
        return 2;
    }
    for (int r = 0; r < repeat; r++) {
        double t = now();
        ubrk_setUText(bi, ut, &err);
        size_t n = 0;
        for (int32_t b = ubrk_first(bi); (b = ubrk_next(bi)) != UBRK_DONE;)
            n++;
        t = now() - t;
        if (t < best_icu)
            best_icu = t;
        n_icu = n;
        t = now();
        alinea_seg *segs;
        if (alinea_segmenter_run(seg, text, len, &segs, &n) != ALINEA_OK) {
            fprintf(stderr, "bench-segment: %s\n", alinea_ctx_errmsg(ctx));
            return 2;
        }
        t = now() - t;
        alinea_free(segs);
        if (t < best_al)
            best_al = t;
        n_al = n;
    }
    printf("input: %.1f MB (%s)\n", mb, argv[1]);
    printf("bare ICU BreakIterator (UTF-8 UText): %7.1f MB/s  %zu sentences\n", mb / best_icu, n_icu);
    printf("alinea_segmenter_run:                 %7.1f MB/s  %zu sentences  (%.0f%% of bare ICU)\n",
           mb / best_al, n_al, 100.0 * best_icu / best_al);
    utext_close(ut);
    ubrk_close(bi);
    alinea_segmenter_free(seg);
    alinea_free(text);
    alinea_ctx_free(ctx);
    return 0;
}
