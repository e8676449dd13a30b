/* srx.c - SRX 2.0 rule engine (see seg_srx.h). */
#include "seg_srx.h"
#include "internal.h"

#include <stdlib.h>

struct alinea__srx {
    int unused;
};

alinea_status alinea__srx_load(alinea_ctx *ctx, const char *path, const char *lang,
                               alinea__srx **out)
{
    (void)lang;
    *out = NULL;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "%s: SRX not implemented yet", path);
}

void alinea__srx_free(alinea__srx *x) { free(x); }

const char *alinea__srx_rule_name(const alinea__srx *x, uint32_t idx)
{
    (void)x;
    (void)idx;
    return "srx";
}

alinea_status alinea__srx_run(alinea_ctx *ctx, alinea__srx *x, UBreakIterator *bi, UText **ut,
                              const char *text, size_t p, size_t e, uint32_t para,
                              alinea_seg **segs, size_t *n, size_t *cap)
{
    (void)x; (void)bi; (void)ut; (void)text; (void)p; (void)e; (void)para; (void)segs; (void)n; (void)cap;
    return alinea__fail(ctx, ALINEA_ERR_UNSUPPORTED, "SRX not implemented yet");
}
