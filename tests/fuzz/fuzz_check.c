/* fuzz_check.c - the checker on any pair of strings (made valid UTF-8 as
 * alinea_text_decode --lenient would). Byte 0 picks the language pair; the
 * rest is split at the first TAB into source and target. Findings must point
 * inside their strings and carry a check id and a message. */
#include "fuzz_util.h"
#include "alinea_check.h"

static const char *const pairs[][2] = {{"fr", "en"}, {"fr", "nl"}, {"en", "fr"}, {"fr", "de"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static alinea_checker *chk[4];
    if (size < 1)
        return 0;
    alinea_ctx *ctx = fuzz_ctx();
    int p = data[0] % 4;
    data++;
    size--;
    if (!chk[p] && alinea_checker_new(ctx, pairs[p][0], pairs[p][1], &chk[p]) != ALINEA_OK) {
        fprintf(stderr, "fuzz: %s\n", alinea_ctx_errmsg(ctx));
        abort();
    }
    /* Every check, the consistency check off (it keeps state across calls). */
    alinea_checker_enable(chk[p], "all", 1);
    alinea_checker_enable(chk[p], "consistency", 0);
    size_t first, rest;
    fuzz_split(data, size, '\t', &first, &rest);
    size_t slen = 0, tlen = 0;
    char *src = fuzz_text(data, first, &slen);
    char *tgt = fuzz_text(data + rest, size - rest, &tlen);
    if (src && tgt) {
        alinea_finding *f = NULL;
        size_t n = 0;
        alinea_status st = alinea_checker_check(chk[p], src, slen, tgt, tlen, &f, &n);
        if (st == ALINEA_OK) {
            for (size_t i = 0; i < n; i++) {
                FUZZ_ASSERT(f[i].check && *f[i].check, "finding %zu without a check id", i);
                FUZZ_ASSERT(f[i].message && fuzz_valid_utf8(f[i].message, strlen(f[i].message)),
                            "finding %zu: message missing or not UTF-8", i);
                FUZZ_ASSERT(f[i].src_start <= f[i].src_end && f[i].src_end <= slen,
                            "finding %zu (%s): source span [%zu,%zu) of %zu", i, f[i].check,
                            f[i].src_start, f[i].src_end, slen);
                FUZZ_ASSERT(f[i].tgt_start <= f[i].tgt_end && f[i].tgt_end <= tlen,
                            "finding %zu (%s): target span [%zu,%zu) of %zu", i, f[i].check,
                            f[i].tgt_start, f[i].tgt_end, tlen);
                FUZZ_ASSERT(i == 0 || f[i].severity <= f[i - 1].severity,
                            "findings not most severe first");
            }
            alinea_findings_free(f, n);
        } else {
            FUZZ_ASSERT(st == ALINEA_ERR_TOO_BIG, "check: status %d: %s", st, alinea_ctx_errmsg(ctx));
        }
    }
    alinea_free(src);
    alinea_free(tgt);
    return 0;
}
