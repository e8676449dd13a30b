/*
 * alinea_check.h - QA checks on segment pairs: numbers and dates by value,
 * named entities, and the standard checks translators expect.
 */
#ifndef ALINEA_CHECK_H
#define ALINEA_CHECK_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum alinea_severity {
    ALINEA_SEV_INFO = 0,
    ALINEA_SEV_WARNING = 1,
    ALINEA_SEV_ERROR = 2
} alinea_severity;

/* One finding on a segment pair. Spans are UTF-8 byte offsets [start, end)
 * into the source and target given to alinea_checker_check; both 0 when the
 * finding has no span. */
typedef struct alinea_finding {
    const char *check; /* check id, static: "number", "date", "entity", ... */
    alinea_severity severity;
    char *message;     /* UTF-8, owned by the finding list */
    size_t src_start, src_end;
    size_t tgt_start, tgt_end;
} alinea_finding;

typedef struct alinea_checker alinea_checker;

/* A checker for a language pair (BCP 47). Loads the glossary
 * dict/glossary/SRC-TGT.tsv when it exists and the hunspell dictionaries it
 * needs. *out owned by the caller. Errors: INVALID, RESOURCE, FORMAT, ICU, NOMEM. */
ALINEA_API alinea_status alinea_checker_new(alinea_ctx *ctx, const char *srclang,
                                            const char *tgtlang, alinea_checker **out);
ALINEA_API void alinea_checker_free(alinea_checker *chk);

/* Check one pair (UTF-8, lengths in bytes; target may be empty). *findings
 * (free with alinea_findings_free) receives *n findings, most severe first
 * within a check. Errors: NOMEM, ICU. */
ALINEA_API alinea_status alinea_checker_check(alinea_checker *chk, const char *src, size_t srclen,
                                              const char *tgt, size_t tgtlen,
                                              alinea_finding **findings, size_t *n);
ALINEA_API void alinea_findings_free(alinea_finding *findings, size_t n);

#ifdef __cplusplus
}
#endif
#endif
