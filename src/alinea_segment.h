/*
 * alinea_segment.h - sentence segmentation.
 *
 * ICU's sentence BreakIterator (UAX #29, over UTF-8 through UText) proposes
 * candidate breaks; per-language data from dict/abbrev/LANG.txt and rules
 * decide to keep or suppress each one, or add breaks ICU missed. SRX 2.0 rule
 * files can be loaded instead of the built-in rules.
 */
#ifndef ALINEA_SEGMENT_H
#define ALINEA_SEGMENT_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum alinea_para_mode {
    ALINEA_PARA_AUTO = 0, /* BLANK when the text has an empty line, else LINE */
    ALINEA_PARA_BLANK = 1,
    ALINEA_PARA_LINE = 2
} alinea_para_mode;

/* One segment: the byte span [start, end) of the input, trimmed of
 * surrounding white space; paragraph is 0-based; rule identifies the rule
 * that decided the break after it (alinea_segmenter_rule_name). */
typedef struct alinea_seg {
    size_t start;
    size_t end;
    uint32_t paragraph;
    uint32_t rule;
} alinea_seg;

typedef struct alinea_segmenter alinea_segmenter;

/* A segmenter for lang (BCP 47: fr, en, nl, de, es, it, pt; a region is
 * ignored). *out owned by the caller. ALINEA_ERR_UNSUPPORTED for another
 * language, RESOURCE when dict/abbrev/LANG.txt is missing, FORMAT when it is
 * malformed, ICU, NOMEM. */
ALINEA_API alinea_status alinea_segmenter_new(alinea_ctx *ctx, const char *lang,
                                              alinea_segmenter **out);
/* A segmenter driven by an SRX 2.0 file instead of the built-in rules: the
 * rule sets that the file's <maprules> give for lang (cascade as the file
 * says). path is read with libxml2 (no network, no DTD, no entity expansion).
 * Errors: IO, FORMAT (not SRX, or a regex ICU rejects: the message names the
 * file, line and rule), XML, TOO_BIG, ICU, NOMEM. */
ALINEA_API alinea_status alinea_segmenter_new_srx(alinea_ctx *ctx, const char *lang,
                                                  const char *path, alinea_segmenter **out);
ALINEA_API void alinea_segmenter_free(alinea_segmenter *seg);

ALINEA_API void alinea_segmenter_set_paragraphs(alinea_segmenter *seg, alinea_para_mode mode);

/* Segment UTF-8 text of len bytes (must be valid UTF-8; see alinea_text_decode).
 * The text is not copied. *segs (owned by the caller, free with alinea_free)
 * receives *n segments in order; empty paragraphs produce none.
 * Errors: ICU, NOMEM, TOO_BIG. */
ALINEA_API alinea_status alinea_segmenter_run(alinea_segmenter *seg, const char *text, size_t len,
                                              alinea_seg **segs, size_t *n);

/* Write the built-in rules of seg (a segmenter from alinea_segmenter_new) to
 * f as an SRX 2.0 file (libxml2 xmlTextWriter), for OmegaT, Okapi or any SRX
 * 2.0 tool: one languagerule mapped from the language, the abbreviation lists
 * of dict/abbrev/LANG.txt as \Q...\E alternations, Java/ICU regex syntax.
 * The file is the closest SRX equivalent; what SRX cannot express (the
 * 4-word minimum before a may-be-final abbreviation, URL tokens, list
 * sequences) is listed in its comments. ALINEA_ERR_UNSUPPORTED for an SRX
 * segmenter, IO, NOMEM. */
ALINEA_API alinea_status alinea_segmenter_export_srx(alinea_segmenter *seg, FILE *f);

/* Receives one segment of alinea_segmenter_run_file: seg's offsets are byte
 * offsets into the file as it is on disk (a UTF-8 byte-order mark counts;
 * for UTF-16 input, into its UTF-8 conversion), paragraph numbers run over
 * the whole file, and bytes points to the segment's len = end - start UTF-8
 * bytes (valid during the call only). Return ALINEA_OK to go on; any other
 * status stops the run and is returned. */
typedef alinea_status (*alinea_seg_fn)(void *userdata, const alinea_seg *seg, const char *bytes);

/* Segment the file at path ("-": standard input) and hand each segment to fn,
 * in order. flags as for alinea_text_load (ALINEA_TEXT_LENIENT). A regular
 * UTF-8 file larger than 16 MiB is streamed in paragraph-aligned chunks of
 * about 4 MiB, in two passes (the first validates the whole file, so that an
 * encoding error is reported before any segment, and settles
 * ALINEA_PARA_AUTO), so memory stays flat as the input grows; other input
 * (standard input, UTF-16, --lenient, small files) is read whole.
 * Errors: those of alinea_text_load and alinea_segmenter_run, TOO_BIG for a
 * paragraph over 64 MiB when streaming, or the status fn returned. */
ALINEA_API alinea_status alinea_segmenter_run_file(alinea_segmenter *seg, const char *path,
                                                   unsigned flags, alinea_seg_fn fn,
                                                   void *userdata);

/* Short name of a rule id from alinea_seg.rule (static or owned by seg). */
ALINEA_API const char *alinea_segmenter_rule_name(const alinea_segmenter *seg, uint32_t rule);

#ifdef __cplusplus
}
#endif
#endif
