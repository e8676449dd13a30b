/*
 * alinea_segment.h - sentence segmentation.
 *
 * Algorithm (docs/segmentation.md has the full rule table):
 *  - Paragraphs come from line breaks (alinea_para_mode); a segment never
 *    crosses a paragraph, so a heading without final punctuation is one
 *    segment.
 *  - In each paragraph, ICU's sentence BreakIterator (Unicode UAX #29
 *    "Sentence Boundaries", over the UTF-8 text through a UText, locale = the
 *    language, no ss=standard) gives its boundaries. The segmenter scans the
 *    same text for terminator clusters (. ! ? and U+2026 U+203C U+2047-U+2049,
 *    with closing quotes/brackets, French spacing before ? ! and inside
 *    guillemets with U+0020, U+00A0 or U+202F, spaced ellipses, footnote
 *    marks) and decides each one with typographic rules and the
 *    per-language data of dict/abbrev/LANG.txt (abbreviations that never or
 *    may end a sentence, sentence starters, letters that are words, options);
 *    where no rule decides, ICU's boundary stands. Rules also add breaks ICU
 *    misses (missing space after a period, list items, ellipsis before a
 *    capital, period before a digit).
 *  - Alternatively, an SRX 2.0 file (LISA/GALA 2008) drives the segmenter:
 *    ICU uregex (close to the Java syntax SRX assumes), language maps and
 *    cascade, break/no-break rules matched as loomchild's segment library
 *    (LanguageTool) does, Okapi's useIcu4jBreakRules option.
 *
 * Units: offsets are UTF-8 byte offsets; a segment is [start, end).
 * Threads: a segmenter belongs to one thread (it keeps ICU state), like its
 * context.
 */
#ifndef ALINEA_SEGMENT_H
#define ALINEA_SEGMENT_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where paragraphs end. An "empty line" may hold spaces, tabs and CR. */
typedef enum alinea_para_mode {
    ALINEA_PARA_AUTO = 0,  /* BLANK when the text has an empty line, else LINE */
    ALINEA_PARA_BLANK = 1, /* at empty lines; single line breaks are spaces */
    ALINEA_PARA_LINE = 2   /* at every line break (LF; CRLF and CR-LF alike) */
} alinea_para_mode;

/* One segment: the UTF-8 byte span [start, end) of the input, trimmed of
 * surrounding Unicode white space (U+00A0 and U+202F included), never empty;
 * paragraph is 0-based and counts non-empty paragraphs only; rule identifies
 * the rule that decided the break after it (alinea_segmenter_rule_name:
 * "paragraph-end" for the last segment of a paragraph). */
typedef struct alinea_seg {
    size_t start;
    size_t end;
    uint32_t paragraph;
    uint32_t rule;
} alinea_seg;

typedef struct alinea_segmenter alinea_segmenter;

/* A segmenter for lang (BCP 47: fr, en, nl, de, es, it, pt; a region is
 * ignored), with the data of dict/abbrev/LANG.txt from the context's data
 * directory. *out owned by the caller (alinea_segmenter_free); NULL on error.
 * Errors: INVALID (not a language tag), UNSUPPORTED (another language),
 * RESOURCE (dict/abbrev/LANG.txt missing: the message names the path),
 * FORMAT (malformed data file: path and line), ICU, NOMEM. */
ALINEA_API alinea_status alinea_segmenter_new(alinea_ctx *ctx, const char *lang,
                                              alinea_segmenter **out);
/* A segmenter driven by an SRX 2.0 file instead of the built-in rules: the
 * rule sets that the file's <maprules> give for lang (cascade as the file
 * says). path is read with libxml2 (no network, no DTD, no entity expansion).
 * Errors: IO, FORMAT (not SRX, or a regex ICU rejects: the message names the
 * file, line and rule), XML, TOO_BIG, ICU, NOMEM. */
ALINEA_API alinea_status alinea_segmenter_new_srx(alinea_ctx *ctx, const char *lang,
                                                  const char *path, alinea_segmenter **out);
/* Free seg; NULL is a no-op. */
ALINEA_API void alinea_segmenter_free(alinea_segmenter *seg);

/* Paragraph mode for the next runs (default ALINEA_PARA_AUTO). */
ALINEA_API void alinea_segmenter_set_paragraphs(alinea_segmenter *seg, alinea_para_mode mode);

/* Segment UTF-8 text of len bytes (must be valid UTF-8; see
 * alinea_text_decode). The text is borrowed, not copied: segments are
 * offsets into it. *segs (owned by the caller, free with alinea_free)
 * receives *n segments in text order; empty paragraphs produce none; empty
 * text gives *n = 0 and *segs NULL. Time is linear in len with the built-in
 * rules.
 * Errors (then *segs is NULL and *n 0): TOO_BIG (len over 2 GiB, or a
 * sentence over ALINEA_MAX_SEGMENT_BYTES = 1 MiB: the message gives its
 * byte offset), FORMAT (SRX segmenter only: a rule's regex exceeded ICU's
 * match time limit or backtracking stack, as catastrophic backtracking does;
 * the message names the SRX file, line, languagerule and rule), ICU, NOMEM. */
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

/* Short name of a rule id from alinea_seg.rule: "icu", "question-exclamation",
 * "abbrev-final", ..., or "LanguageRule#N (file:line)" for an SRX rule.
 * Static or owned by seg; never NULL ("unknown" for an unknown id). */
ALINEA_API const char *alinea_segmenter_rule_name(const alinea_segmenter *seg, uint32_t rule);

#ifdef __cplusplus
}
#endif
#endif
