/* fuzz_tmx_read.c - the streaming TMX reader on any bytes. Every TU it
 * returns must hold valid UTF-8; every error must be a documented status
 * with a message. */
#include "fuzz_util.h"
#include "alinea_tmx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alinea_ctx *ctx = fuzz_ctx();
    const char *path = fuzz_file(data, size);
    alinea_tmx_reader *r = NULL;
    alinea_status st = alinea_tmx_reader_open(ctx, path, &r);
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(st == ALINEA_ERR_IO || st == ALINEA_ERR_NOMEM || st == ALINEA_ERR_FORMAT ||
                        st == ALINEA_ERR_ENCODING,
                    "open: status %d: %s", st, alinea_ctx_errmsg(ctx));
        return 0;
    }
    const alinea_tu *tu;
    size_t count = 0;
    while ((st = alinea_tmx_reader_next(r, &tu)) == ALINEA_OK && tu) {
        count++;
        for (size_t i = 0; i < tu->ntuvs; i++) {
            const alinea_tuv *v = &tu->tuvs[i];
            FUZZ_ASSERT(v->text != NULL, "TU %zu: TUV %zu without text", count, i);
            FUZZ_ASSERT(fuzz_valid_utf8(v->text, strlen(v->text)), "TU %zu: TUV %zu not UTF-8", count, i);
            for (size_t k = 0; k < v->ncodes; k++)
                FUZZ_ASSERT(v->codes[k].xml && v->codes[k].element, "TU %zu: inline code %zu", count, k);
            if (v->lang)
                (void)alinea_tu_find(tu, v->lang);
        }
        for (size_t i = 0; i < tu->nprops; i++)
            FUZZ_ASSERT(tu->props[i].value != NULL, "TU %zu: prop without value", count);
        (void)alinea_tu_prop(tu, "x-alinea-score");
    }
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(st == ALINEA_ERR_FORMAT || st == ALINEA_ERR_ENCODING || st == ALINEA_ERR_TOO_BIG ||
                        st == ALINEA_ERR_XML || st == ALINEA_ERR_NOMEM,
                    "next: status %d: %s", st, alinea_ctx_errmsg(ctx));
        FUZZ_ASSERT(*alinea_ctx_errmsg(ctx), "next: error without a message");
    }
    (void)alinea_tmx_reader_srclang(r);
    (void)alinea_tmx_reader_version(r);
    (void)alinea_tmx_reader_header_attr(r, "adminlang");
    alinea_tmx_reader_free(r);
    return 0;
}
