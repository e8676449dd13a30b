/* tmx.c - STUB, to be replaced by the TMX writer and reader. */
#include "alinea_tmx.h"
#include "internal.h"

alinea_status alinea_tmx_writer_open(alinea_ctx *ctx, const char *path,
                                     const alinea_tmx_header *header, alinea_tmx_writer **out)
{
    (void)path; (void)header;
    *out = NULL;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "TMX writer not implemented yet");
}
alinea_status alinea_tmx_writer_add(alinea_tmx_writer *w, const alinea_tu *tu)
{ (void)w; (void)tu; return ALINEA_ERR_UNSUPPORTED; }
alinea_status alinea_tmx_writer_finish(alinea_tmx_writer *w) { (void)w; return ALINEA_ERR_UNSUPPORTED; }
void alinea_tmx_writer_free(alinea_tmx_writer *w) { (void)w; }
alinea_status alinea_tmx_reader_open(alinea_ctx *ctx, const char *path, alinea_tmx_reader **out)
{
    (void)path;
    *out = NULL;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "TMX reader not implemented yet");
}
alinea_status alinea_tmx_reader_next(alinea_tmx_reader *r, const alinea_tu **tu)
{ (void)r; *tu = NULL; return ALINEA_ERR_UNSUPPORTED; }
const char *alinea_tmx_reader_srclang(const alinea_tmx_reader *r) { (void)r; return NULL; }
void alinea_tmx_reader_free(alinea_tmx_reader *r) { (void)r; }
const alinea_tuv *alinea_tu_find(const alinea_tu *tu, const char *lang) { (void)tu; (void)lang; return NULL; }
