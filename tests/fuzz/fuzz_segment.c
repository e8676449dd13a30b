/* fuzz_segment.c - text decoding and the segmenter, on any bytes, in any
 * supported language and paragraph mode.
 * Byte 0 picks the language (7), the paragraph mode (3) and --lenient. */
#include "fuzz_util.h"
#include "alinea_segment.h"

static const char *const langs[] = {"fr", "en", "nl", "de", "es", "it", "pt"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static alinea_segmenter *segs[7];
    if (size < 1)
        return 0;
    alinea_ctx *ctx = fuzz_ctx();
    unsigned sel = data[0];
    int li = (int)(sel % 7);
    alinea_para_mode mode = (alinea_para_mode)((sel / 7) % 3);
    unsigned flags = (sel / 21) % 2 ? ALINEA_TEXT_LENIENT : 0;
    data++;
    size--;
    if (!segs[li] && alinea_segmenter_new(ctx, langs[li], &segs[li]) != ALINEA_OK) {
        fprintf(stderr, "fuzz: %s\n", alinea_ctx_errmsg(ctx));
        abort();
    }
    char *text = NULL;
    size_t len = 0;
    alinea_status st = alinea_text_decode(ctx, "fuzz", (const char *)data, size, flags, &text, &len);
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(st == ALINEA_ERR_ENCODING || st == ALINEA_ERR_TOO_BIG, "decode: status %d", st);
        FUZZ_ASSERT(*alinea_ctx_errmsg(ctx), "decode: error without a message");
        FUZZ_ASSERT(text == NULL, "decode: output on error");
        return 0;
    }
    FUZZ_ASSERT(text[len] == '\0', "decode: not NUL-terminated");
    FUZZ_ASSERT(memchr(text, '\0', len) == NULL, "decode: NUL in the output");
    FUZZ_ASSERT(fuzz_valid_utf8(text, len), "decode: output is not UTF-8");

    alinea_segmenter_set_paragraphs(segs[li], mode);
    alinea_seg *s = NULL;
    size_t n = 0;
    st = alinea_segmenter_run(segs[li], text, len, &s, &n);
    if (st == ALINEA_OK) {
        size_t prev_end = 0;
        uint32_t prev_para = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT(s[i].start < s[i].end && s[i].end <= len, "segment %zu: [%zu,%zu) of %zu", i,
                        s[i].start, s[i].end, len);
            FUZZ_ASSERT(s[i].start >= prev_end, "segment %zu overlaps the previous one", i);
            FUZZ_ASSERT(!U8_IS_TRAIL((uint8_t)text[s[i].start]), "segment %zu starts inside a character", i);
            FUZZ_ASSERT(s[i].end == len || !U8_IS_TRAIL((uint8_t)text[s[i].end]),
                        "segment %zu ends inside a character", i);
            FUZZ_ASSERT(s[i].end - s[i].start <= ((size_t)1 << 20), "segment %zu over 1 MiB", i);
            FUZZ_ASSERT(i == 0 || s[i].paragraph >= prev_para, "paragraph numbers decrease at %zu", i);
            (void)alinea_segmenter_rule_name(segs[li], s[i].rule);
            prev_end = s[i].end;
            prev_para = s[i].paragraph;
        }
    } else {
        FUZZ_ASSERT(st == ALINEA_ERR_TOO_BIG, "segmenter: status %d: %s", st, alinea_ctx_errmsg(ctx));
        FUZZ_ASSERT(s == NULL && n == 0, "segmenter: output on error");
    }
    alinea_free(s);
    alinea_free(text);
    return 0;
}
