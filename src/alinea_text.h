/*
 * alinea_text.h - reading text files and holding a segmented document.
 *
 * A document (alinea_doc) is a UTF-8 buffer plus an array of segments: byte
 * spans into that buffer, each with a 0-based paragraph number. Raw text is
 * segmented with alinea_segment.h; pre-segmented text has one segment per
 * line and paragraphs separated by empty lines.
 */
#ifndef ALINEA_TEXT_H
#define ALINEA_TEXT_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for alinea_text_decode / alinea_text_load / alinea_doc_load. */
#define ALINEA_TEXT_LENIENT 0x1u     /* replace invalid UTF-8 with U+FFFD and warn, not fail */
#define ALINEA_DOC_PRESEGMENTED 0x2u /* one segment per line, empty line = paragraph break */
#define ALINEA_DOC_PARA_BLANK 0x4u   /* paragraphs end at empty lines only */
#define ALINEA_DOC_PARA_LINE 0x8u    /* every line break ends a paragraph */
/* Neither PARA flag: "auto", i.e. BLANK when the text has an empty line, else LINE. */

/*
 * Decode the bytes of a text file to UTF-8.
 *  - A UTF-8 byte-order mark is dropped; UTF-16LE/BE with a BOM is converted
 *    (ICU ucnv). LF and CRLF are kept as they are; a lone CR
 *    (classic Mac OS) becomes LF in place, so byte offsets are unchanged.
 *  - name is used only in messages ("fr.txt:3: byte 17: invalid UTF-8").
 * *out is NUL-terminated, owned by the caller (free with alinea_free), and
 * *outlen is its length in bytes without the NUL.
 * Errors: ALINEA_ERR_ENCODING for invalid UTF-8 (the message gives line and
 * byte column, both 1-based), a NUL byte ("binary file"), or UTF-16 without a
 * BOM; ALINEA_ERR_TOO_BIG past ALINEA_MAX_INPUT_BYTES (2 GiB); NOMEM.
 */
ALINEA_API alinea_status alinea_text_decode(alinea_ctx *ctx, const char *name, const char *bytes,
                                            size_t len, unsigned flags, char **out,
                                            size_t *outlen);

/* Read path ("-" is standard input) and decode it as alinea_text_decode does.
 * Adds ALINEA_ERR_IO for a missing, unreadable or directory path. An empty
 * file, or one with only white space, is not an error: it gives a warning
 * ("x.txt: the file is empty") through the context's handler. */
ALINEA_API alinea_status alinea_text_load(alinea_ctx *ctx, const char *path, unsigned flags,
                                          char **out, size_t *outlen);

typedef struct alinea_doc alinea_doc;

/* Load and segment a file in language lang (BCP 47, e.g. "fr"). flags as
 * above. *out owned by the caller (alinea_doc_free). Errors: those of
 * alinea_text_load and of alinea_segmenter_new (RESOURCE, UNSUPPORTED). */
ALINEA_API alinea_status alinea_doc_load(alinea_ctx *ctx, const char *path, const char *lang,
                                         unsigned flags, alinea_doc **out);

/* The same from a UTF-8 buffer (copied; not validated again: call
 * alinea_text_decode first for untrusted bytes). */
ALINEA_API alinea_status alinea_doc_from_text(alinea_ctx *ctx, const char *utf8, size_t len,
                                              const char *lang, unsigned flags,
                                              alinea_doc **out);

/* A document from n given segments (copied). texts[i] has lens[i] bytes;
 * paras may be NULL (one paragraph). Returns INVALID when paragraph numbers
 * decrease, NOMEM or TOO_BIG. */
ALINEA_API alinea_status alinea_doc_from_segments(alinea_ctx *ctx, const char *lang,
                                                  const char *const *texts, const size_t *lens,
                                                  const uint32_t *paras, size_t n,
                                                  alinea_doc **out);

ALINEA_API void alinea_doc_free(alinea_doc *doc);
/* Number of segments. */
ALINEA_API size_t alinea_doc_count(const alinea_doc *doc);
/* Segment i (0-based, i < count): a pointer into the document's buffer, not
 * NUL-terminated; *len receives its length in bytes. Valid until doc is freed. */
ALINEA_API const char *alinea_doc_segment(const alinea_doc *doc, size_t i, size_t *len);
/* Byte offset of segment i in the decoded text (0 for alinea_doc_from_segments). */
ALINEA_API size_t alinea_doc_offset(const alinea_doc *doc, size_t i);
/* 0-based paragraph number of segment i. */
ALINEA_API uint32_t alinea_doc_paragraph(const alinea_doc *doc, size_t i);
/* The document's language tag (owned by doc). */
ALINEA_API const char *alinea_doc_lang(const alinea_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
