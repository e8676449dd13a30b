/* align.c - STUB, to be replaced by the aligner. */
#include "alinea_align.h"
#include "internal.h"

alinea_status alinea_aligner_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                                 alinea_aligner **out)
{
    (void)srclang; (void)tgtlang;
    *out = NULL;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "aligner not implemented yet");
}
void alinea_aligner_free(alinea_aligner *a) { (void)a; }
alinea_status alinea_aligner_run(alinea_aligner *a, const alinea_doc *src, const alinea_doc *tgt,
                                 alinea_bead **beads, size_t *n)
{
    (void)a; (void)src; (void)tgt;
    *beads = NULL; *n = 0;
    return ALINEA_ERR_UNSUPPORTED;
}
