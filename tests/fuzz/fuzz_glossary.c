/* fuzz_glossary.c - the checker's glossary loader (TSV or TBX) on any bytes,
 * then one check that uses it. The en-nl pair has no built-in glossary. */
#include "fuzz_util.h"
#include "alinea_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A checker is slow to make: one serves 256 inputs (their glossaries
     * add up, as several --glossary options do). */
    static alinea_checker *chk;
    static unsigned uses;
    alinea_ctx *ctx = fuzz_ctx();
    if (chk && ++uses % 256 == 0) {
        alinea_checker_free(chk);
        chk = NULL;
    }
    if (!chk && alinea_checker_new(ctx, "en", "nl", &chk) != ALINEA_OK) {
        fprintf(stderr, "fuzz: %s\n", alinea_ctx_errmsg(ctx));
        abort();
    }
    alinea_status st = alinea_checker_add_glossary(chk, fuzz_file(data, size));
    if (st != ALINEA_OK) {
        FUZZ_ASSERT(st == ALINEA_ERR_IO || st == ALINEA_ERR_FORMAT || st == ALINEA_ERR_XML ||
                        st == ALINEA_ERR_ENCODING || st == ALINEA_ERR_TOO_BIG || st == ALINEA_ERR_NOMEM,
                    "glossary: status %d: %s", st, alinea_ctx_errmsg(ctx));
        FUZZ_ASSERT(*alinea_ctx_errmsg(ctx), "glossary: error without a message");
    } else {
        static const char src[] = "The European Commission met Mr Smith in Brussels on 3 May.";
        static const char tgt[] = "De Europese Commissie ontmoette de heer Smith op 3 mei in Brussel.";
        alinea_finding *f = NULL;
        size_t n = 0;
        st = alinea_checker_check(chk, src, sizeof src - 1, tgt, sizeof tgt - 1, &f, &n);
        FUZZ_ASSERT(st == ALINEA_OK, "check after glossary: status %d: %s", st, alinea_ctx_errmsg(ctx));
        alinea_findings_free(f, n);
    }
    return 0;
}
