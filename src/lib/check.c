/* check.c - STUB, to be replaced by the checker. */
#include "alinea_check.h"
#include "internal.h"

alinea_status alinea_checker_new(alinea_ctx *ctx, const char *srclang, const char *tgtlang,
                                 alinea_checker **out)
{
    (void)srclang; (void)tgtlang;
    *out = NULL;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "checker not implemented yet");
}
void alinea_checker_free(alinea_checker *chk) { (void)chk; }
alinea_status alinea_checker_check(alinea_checker *chk, const char *src, size_t srclen,
                                   const char *tgt, size_t tgtlen, alinea_finding **findings,
                                   size_t *n)
{
    (void)chk; (void)src; (void)srclen; (void)tgt; (void)tgtlen;
    *findings = NULL; *n = 0;
    return ALINEA_ERR_UNSUPPORTED;
}
void alinea_findings_free(alinea_finding *findings, size_t n) { (void)findings; (void)n; }
