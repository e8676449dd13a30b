/* fuzz_srx.c - the SRX 2.0 loader on any bytes; a loaded rule set must then
 * segment a fixed text within the segmenter's documented guarantees. */
#include "fuzz_util.h"
#include "alinea_segment.h"

static const char sample[] =
    "M. Dupont est arrivé à 9 h. Il pleut ! Vraiment ? Oui... (Voir p. 12.)\n"
    "\n« Fin. » Etc. U.S.A. 3.5 km. e.g. this one.\r\nDernière ligne";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"fr", "en", "de"};
    if (size < 1)
        return 0;
    alinea_ctx *ctx = fuzz_ctx();
    const char *lang = langs[data[0] % 3];
    const char *path = fuzz_file(data + 1, size - 1);
    alinea_segmenter *seg = NULL;
    alinea_status st = alinea_segmenter_new_srx(ctx, lang, path, &seg);
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(seg == NULL, "srx: segmenter on error");
        FUZZ_ASSERT(st == ALINEA_ERR_IO || st == ALINEA_ERR_FORMAT || st == ALINEA_ERR_XML ||
                        st == ALINEA_ERR_TOO_BIG || st == ALINEA_ERR_ICU || st == ALINEA_ERR_NOMEM ||
                        st == ALINEA_ERR_ENCODING || st == ALINEA_ERR_UNSUPPORTED,
                    "srx: status %d: %s", st, alinea_ctx_errmsg(ctx));
        FUZZ_ASSERT(*alinea_ctx_errmsg(ctx), "srx: error without a message");
        return 0;
    }
    alinea_seg *s = NULL;
    size_t n = 0, len = sizeof sample - 1;
    st = alinea_segmenter_run(seg, sample, len, &s, &n);
    if (st == ALINEA_OK) {
        size_t prev = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT(s[i].start < s[i].end && s[i].end <= len && s[i].start >= prev,
                        "segment %zu: [%zu,%zu)", i, s[i].start, s[i].end);
            FUZZ_ASSERT(!U8_IS_TRAIL((uint8_t)sample[s[i].start]) &&
                            (s[i].end == len || !U8_IS_TRAIL((uint8_t)sample[s[i].end])),
                        "segment %zu splits a character", i);
            (void)alinea_segmenter_rule_name(seg, s[i].rule);
            prev = s[i].end;
        }
    }
    alinea_free(s);
    alinea_segmenter_free(seg);
    return 0;
}
