/*
 * alinea_tmx.h - TMX 1.4b translation memories: a streaming writer
 * (libxml2 xmlTextWriter) and a streaming reader (libxml2 xmlTextReader).
 *
 * Standard: TMX 1.4b, LISA OSCAR 2004 (DTD in shared data/tmx/tmx14.dtd).
 * Inline codes: in alinea_tuv.text every inline element (bpt, ept, it, ph,
 * hi, sub) is one U+FFFC OBJECT REPLACEMENT CHARACTER; codes[k] describes the
 * k-th one, so that the checker can compare tags and the writer can write
 * them back.
 */
#ifndef ALINEA_TMX_H
#define ALINEA_TMX_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct alinea_prop {
    char *type;  /* e.g. "x-alinea-score" */
    char *value; /* UTF-8 */
} alinea_prop;

typedef struct alinea_inline {
    char *element; /* "bpt", "ept", "it", "ph", "hi" or "sub" */
    char *xml;     /* the element as serialised XML, for round trips */
} alinea_inline;

typedef struct alinea_tuv {
    char *lang; /* BCP 47 */
    char *text; /* UTF-8; inline codes as U+FFFC */
    size_t ncodes;
    alinea_inline *codes;
} alinea_tuv;

typedef struct alinea_tu {
    char *tuid;    /* may be NULL */
    char *srclang; /* may be NULL: the header's srclang applies */
    size_t nprops;
    alinea_prop *props;
    size_t nnotes;
    char **notes;
    size_t ntuvs;
    alinea_tuv *tuvs;
    size_t line; /* reader: line of the <tu> start tag in the file (1-based); 0 if unknown */
} alinea_tu;

/* Header fields. NULL members get defaults: creationtool "Alinea",
 * creationtoolversion alinea_version(), segtype "sentence", o-tmf "Alinea",
 * adminlang "en", datatype "plaintext", creationdate now (UTC). */
typedef struct alinea_tmx_header {
    const char *srclang;   /* required (BCP 47) */
    const char *adminlang;
    const char *creationid;
    const char *segtype;
    const char *datatype;
    const char *o_tmf;
} alinea_tmx_header;

typedef struct alinea_tmx_writer alinea_tmx_writer;

/* Start a TMX file at path (NULL or "-": standard output), through an
 * alinea_out so that an existing file is replaced only on success.
 * Errors: INVALID (no srclang), IO, XML, NOMEM. */
ALINEA_API alinea_status alinea_tmx_writer_open(alinea_ctx *ctx, const char *path,
                                                const alinea_tmx_header *header,
                                                alinea_tmx_writer **out);
/* Write one TU (borrowed). Languages are normalised to BCP 47; characters
 * that XML 1.0 forbids are dropped and counted. Errors: XML, IO, INVALID. */
ALINEA_API alinea_status alinea_tmx_writer_add(alinea_tmx_writer *w, const alinea_tu *tu);
/* Close the document and commit the file; frees w in every case.
 * Errors: XML, IO. */
ALINEA_API alinea_status alinea_tmx_writer_finish(alinea_tmx_writer *w);
/* Abandon the output (the target file is untouched) and free w. NULL: no-op. */
ALINEA_API void alinea_tmx_writer_free(alinea_tmx_writer *w);

typedef struct alinea_tmx_reader alinea_tmx_reader;

/* Open a TMX file for streaming (UTF-8 or UTF-16 with BOM; TMX 1.1-1.4).
 * No network, no external entities or DTD loading. Errors: IO, ENCODING,
 * FORMAT (message gives file and line), XML, NOMEM. */
ALINEA_API alinea_status alinea_tmx_reader_open(alinea_ctx *ctx, const char *path,
                                                alinea_tmx_reader **out);
/* The next TU, or *tu = NULL at the end. *tu is owned by the reader and valid
 * until the next call. Errors: FORMAT, XML, TOO_BIG, NOMEM. */
ALINEA_API alinea_status alinea_tmx_reader_next(alinea_tmx_reader *r, const alinea_tu **tu);
/* The header's srclang after the first call to _next (owned by r; may be NULL). */
ALINEA_API const char *alinea_tmx_reader_srclang(const alinea_tmx_reader *r);
ALINEA_API void alinea_tmx_reader_free(alinea_tmx_reader *r);

/* The TUV of tu in language lang (primary subtag match when no exact match,
 * case-insensitive), or NULL. */
ALINEA_API const alinea_tuv *alinea_tu_find(const alinea_tu *tu, const char *lang);

#ifdef __cplusplus
}
#endif
#endif
