/*
 * alinea_check.h - QA checks on segment pairs: numbers and dates by value,
 * named entities, and the standard checks translators expect.
 *
 * Units: text is UTF-8; every offset and length is in UTF-8 bytes.
 *
 * Sources of the algorithms and data:
 *  - numbers: ICU unum_parseDouble with the locale's decimal format (CLDR
 *    symbols: grouping and decimal marks), ICU RBNF (UNUM_ORDINAL
 *    "%digits-ordinal*" rule sets for 1st/1er/3e/3., UNUM_SPELLOUT public
 *    rule sets for spelled-out numbers), ICU's algorithmic "roman" numbering
 *    system for Roman numerals; scale words (million, milliard = 10^9,
 *    French/Dutch/German billion = 10^12, English billion = 10^9) follow the
 *    long and short scales as documented in CLDR and the EU Interinstitutional
 *    Style Guide, section 10.4;
 *  - dates: month names from ICU date format symbols (udat_getSymbols), the
 *    day/month order of numeric dates from the locale's short date pattern;
 *  - entities: hunspell (Debian hunspell-fr, hunspell-en-us, hunspell-nl, ...)
 *    to tell a capitalised common word from a name, ICU transliteration
 *    "Any-Latin; Latin-ASCII; Lower" for folding, glossaries in
 *    dict/glossary/SRC-TGT.tsv (docs/checking.md gives format and provenance).
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

/* "info", "warning" or "error" (static). */
ALINEA_API const char *alinea_severity_name(alinea_severity sev);

/* One finding on a segment pair. Spans are UTF-8 byte offsets [start, end)
 * into the source and target given to alinea_checker_check; both 0 when the
 * finding has no span on that side. */
typedef struct alinea_finding {
    const char *check; /* check id, static: "number", "date", "entity", ... */
    alinea_severity severity;
    char *message;     /* UTF-8, owned by the finding list */
    size_t src_start, src_end;
    size_t tgt_start, tgt_end;
} alinea_finding;

/* --------------------------------------------------------------- checks */

/* The checks, with their ids and defaults. */
typedef struct alinea_check_info {
    const char *id;          /* "number", "date", "time", "code", "entity", ... */
    alinea_severity severity; /* default severity */
    int enabled;             /* 1 when on by default */
    const char *summary;     /* one line of English */
} alinea_check_info;

/* The table of checks (static, *n entries). The ids are:
 *  number      numbers compared by value (missing, extra or changed)   error
 *  ambiguous   a separator read differently in the two locales         warning
 *  ordinal     malformed ordinal suffix in the target (3th)             error
 *  date        dates compared by day and month                          error
 *  time        times of day compared in minutes (14 h 30 = 2:30 p.m.)   error
 *  code        codes and identifiers compared as whole tokens           error
 *  entity      a name, acronym or glossary term missing in the target   error
 *  entity-extra a name in the target that the source does not have      warning
 *  empty       empty target                                             warning
 *  identical   target identical to a source that has words to translate warning
 *  whitespace  leading/trailing whitespace mismatch                     warning
 *  double-space two spaces in a row in the target only                  warning
 *  end-punct   end punctuation mismatch                                 warning
 *  brackets    unbalanced brackets or quotes in the target only         warning
 *  url         URL or e-mail address mismatch                           error
 *  placeholder inline tag or placeholder mismatch (<b>, %s, {0}, TMX
 *              bpt/ept/ph as U+FFFC)                                    error
 *  spelling    target word unknown to hunspell (off by default)         warning
 *  length      target/source length ratio outlier                       warning
 *  consistency same source translated differently, or same target from
 *              different sources, across the file                       warning
 *  terminology a user glossary term's translation is missing            error
 */
ALINEA_API const alinea_check_info *alinea_check_table(size_t *n);

typedef struct alinea_checker alinea_checker;

/* A checker for a language pair (BCP 47). Loads the glossary
 * dict/glossary/SRC-TGT.tsv when it exists and the hunspell dictionaries it
 * needs (when a dictionary is missing, the entity checks fall back to
 * "capitalised and not sentence-initial" and a warning goes to the context).
 * *out owned by the caller. Errors: INVALID (bad tag), FORMAT (glossary line,
 * message names file and line), ICU, NOMEM. */
ALINEA_API alinea_status alinea_checker_new(alinea_ctx *ctx, const char *srclang,
                                            const char *tgtlang, alinea_checker **out);
ALINEA_API void alinea_checker_free(alinea_checker *chk);

/* Turn a check on or off. INVALID when id is unknown ("all" is accepted). */
ALINEA_API alinea_status alinea_checker_enable(alinea_checker *chk, const char *id, int on);
/* Change a check's severity. INVALID when id is unknown. */
ALINEA_API alinea_status alinea_checker_set_severity(alinea_checker *chk, const char *id,
                                                     alinea_severity sev);

/* Load a user glossary (TSV "source<TAB>target" lines, '#' comments, or TBX
 * 2.0 / TBX-Basic read with libxml2). Its terms are used to match entities
 * and by the "terminology" check. Errors: IO, FORMAT (file:line), XML, NOMEM. */
ALINEA_API alinea_status alinea_checker_add_glossary(alinea_checker *chk, const char *path);

/* Load a suppression file: lines "HASH<TAB>CHECK-ID[<TAB>comment]" where HASH
 * is alinea_unit_hash of the unit (16 hex digits); '#' starts a comment line.
 * Matching findings are dropped by alinea_checker_check. Errors: IO, FORMAT. */
ALINEA_API alinea_status alinea_checker_add_suppressions(alinea_checker *chk, const char *path);

/* Check one pair (UTF-8, lengths in bytes; target may be empty). *findings
 * (free with alinea_findings_free) receives *n findings, most severe first.
 * Each call is one unit, in file order, for the "consistency" check (which
 * keeps about 40 bytes per distinct unit; disable it for flat memory). Errors: NOMEM, ICU, TOO_BIG (segment over
 * ALINEA_MAX_SEGMENT_BYTES). */
ALINEA_API alinea_status alinea_checker_check(alinea_checker *chk, const char *src, size_t srclen,
                                              const char *tgt, size_t tgtlen,
                                              alinea_finding **findings, size_t *n);
ALINEA_API void alinea_findings_free(alinea_finding *findings, size_t n);

/* The unit hash used by suppression files: 64-bit FNV-1a over the source,
 * a NUL byte and the target, as 16 lower-case hex digits plus NUL in buf. */
ALINEA_API void alinea_unit_hash(const char *src, size_t srclen, const char *tgt, size_t tgtlen,
                                 char buf[17]);

/* -------------------------------------------------------------- numbers */

/* What a number token is. */
typedef enum alinea_numkind {
    ALINEA_NUM_VALUE = 0,   /* a number: value (with sign, scale word, ordinal, Roman) */
    ALINEA_NUM_SPELLED = 1, /* a spelled-out number ("deux", "second"): value */
    ALINEA_NUM_CODE = 2,    /* a code or identifier (A320, COVID-19, 3.10 in French): code */
    ALINEA_NUM_DATE = 3,    /* a day and month ("6 août", "August 6", "03/04/2025") */
    ALINEA_NUM_TIME = 4     /* a time of day ("14 h 30", "2:30 p.m."): minutes */
} alinea_numkind;

#define ALINEA_NUMF_ORDINAL 0x01u   /* 1er, 1st, 3e, 3., XIXe */
#define ALINEA_NUMF_MALFORMED 0x02u /* ordinal suffix that does not fit (3th) */
#define ALINEA_NUMF_PERCENT 0x04u   /* followed by % or per-mille sign */
#define ALINEA_NUMF_CURRENCY 0x08u  /* a currency symbol before or after */
#define ALINEA_NUMF_AMBIGUOUS 0x10u /* "1,250": alt holds the other reading */
#define ALINEA_NUMF_ROMAN 0x20u     /* written in Roman numerals */
#define ALINEA_NUMF_SCALED 0x40u    /* multiplied by a scale word (million, k, M€) */

typedef struct alinea_number {
    alinea_numkind kind;
    unsigned flags;     /* ALINEA_NUMF_* */
    double value;       /* VALUE, SPELLED: the value, scale word applied */
    double alt;         /* AMBIGUOUS: the value under the other separator reading */
    int day, month;     /* DATE: day 1-31 (0 = month only), month 1-12 */
    int minutes;        /* TIME: minutes since midnight, 0-1439 */
    char code[64];      /* CODE: the token in NFKC (truncated at 63 bytes) */
    size_t start, end;  /* UTF-8 byte span in the scanned text */
} alinea_number;

typedef struct alinea_numscan alinea_numscan;

/* A number scanner for a language (BCP 47). *out owned by the caller.
 * Errors: INVALID, ICU, NOMEM. */
ALINEA_API alinea_status alinea_numscan_new(alinea_ctx *ctx, const char *lang,
                                            alinea_numscan **out);
ALINEA_API void alinea_numscan_free(alinea_numscan *s);

/* Find the numbers, codes, dates and times of a text, in text order.
 * *nums is owned by the scanner and valid until the next call.
 * Rules (docs/checking.md):
 *  - a digit run extends over grouping (space, U+00A0, U+202F, U+2009, and
 *    the locale's grouping mark, each followed by exactly 3 digits) and over
 *    one decimal mark; the span is parsed by unum_parseDouble in the locale;
 *  - a span that does not parse fully in the locale (3.10 in French) is a
 *    CODE; "4,7,9" is a list of three numbers;
 *  - "D,DDD" and "D.DDD" (one separator, three digits after it) are
 *    AMBIGUOUS: value is the locale's reading, alt the other one;
 *  - '-', U+2212 or '+' directly before a digit, not after a letter or
 *    digit, is a sign; "10-12" is a range (two numbers);
 *  - a scale word or abbreviation after the number multiplies it;
 *  - tokens mixing letters and digits or with '_' are CODEs.
 * Errors: NOMEM, ICU, TOO_BIG. */
ALINEA_API alinea_status alinea_numscan_run(alinea_numscan *s, const char *text, size_t len,
                                            const alinea_number **nums, size_t *n);

/* ----------------------------------------------------------- QA reports */

typedef enum alinea_report_format {
    ALINEA_REPORT_TEXT = 0,  /* FILE:UNIT: severity: check-id: message */
    ALINEA_REPORT_JSON = 1,  /* {"units": N, "findings": [...]} */
    ALINEA_REPORT_JUNIT = 2  /* JUnit XML, one testcase per unit (libxml2 writer) */
} alinea_report_format;

typedef struct alinea_report alinea_report;

#define ALINEA_REPORT_COLOR 1u /* text: colour with ANSI escapes */
#define ALINEA_REPORT_SPANS 2u /* text: after each finding, the source and target
                                  with the span marked between >>> and <<< */

/* Start a report on stream (borrowed; not closed). name is the checked
 * file's name for text and JUnit output (copied). flags: ALINEA_REPORT_*
 * (text output only). Errors: NOMEM, XML. */
ALINEA_API alinea_status alinea_report_new(alinea_ctx *ctx, FILE *stream,
                                           alinea_report_format format, const char *name,
                                           unsigned flags, alinea_report **out);
/* Add one unit (1-based number) with its findings (borrowed). Units without
 * findings count towards "units" (and JUnit testcases). Errors: IO, XML, NOMEM. */
ALINEA_API alinea_status alinea_report_unit(alinea_report *rep, size_t unit, const char *src,
                                            size_t srclen, const char *tgt, size_t tgtlen,
                                            const alinea_finding *findings, size_t n);
/* Write the end of the report (JSON closing, JUnit totals) and free rep.
 * Errors: IO, XML. */
ALINEA_API alinea_status alinea_report_finish(alinea_report *rep);
/* Free without finishing. NULL is a no-op. */
ALINEA_API void alinea_report_free(alinea_report *rep);

/* ---------------------------------------------------- reading unit pairs */

/* A pair reader over a TSV file ("source<TAB>target" per line, taken
 * literally; empty lines are skipped; a line with another number of columns
 * is an error, unless the first line is a header of language tags such as
 * "fr<TAB>en<TAB>nl", which picks the source and target columns from
 * srclang/tgtlang), two line-aligned files, or a TMX file (streamed with the
 * TMX reader). Memory stays flat: one line or one TU at a time (a UTF-16
 * TSV is decoded whole; TMX units before the first one with the target
 * language are spooled to a temporary file). The input is opened and read
 * once, so a pipe or a FIFO works. */
typedef struct alinea_pair_reader alinea_pair_reader;

typedef struct alinea_pair {
    const char *src, *tgt; /* UTF-8, NUL-terminated; owned by the reader */
    size_t srclen, tgtlen;
    size_t line;           /* line in the file (TSV, two files) or of the <tu> (TMX) */
    const void *tu;        /* TMX: the alinea_tu (alinea_tmx.h) the pair comes from; else NULL */
} alinea_pair;

/* Open path (and path2 for two aligned files, else NULL; "-" is standard
 * input). A file is read as TMX when its name ends in .tmx or it starts
 * with "<?xml" or "<tmx" (sniffed from the first 512 bytes of the same
 * stream; TMX content on a pipe not named *.tmx is a FORMAT error). A TSV
 * in UTF-16 with a BOM is decoded with alinea_text_decode (alinea_text.h);
 * without a BOM, its ENCODING error names UTF-16.
 * srclang/tgtlang pick the TUVs of a TMX (NULL: the header's srclang and the
 * first other language); alinea_pair_reader_srclang/_tgtlang
 * report the pair in use once the first unit is read.
 * Errors: IO, ENCODING, FORMAT (file:line), XML, NOMEM. */
ALINEA_API alinea_status alinea_pair_reader_open(alinea_ctx *ctx, const char *path,
                                                 const char *path2, const char *srclang,
                                                 const char *tgtlang, alinea_pair_reader **out);
/* The next pair, or *pair = NULL at the end. The pair is valid until the
 * next call. A TU without the source language is skipped; one without the
 * target language gives an empty target (with read-ahead, those before the
 * first TU that has the target are handed out when it comes, so that a
 * target language found nowhere fails before any pair). Errors: FORMAT
 * ("FILE:LINE: no tab between source and target", "FILE:LINE: 3 columns;
 * expected source<TAB>target ...", a header without the -s/-t language,
 * "FILE:LINE: <tuv> without xml:lang"; at the end of a TMX where no TU has
 * the source or the target language, naming the languages seen), ENCODING
 * (invalid UTF-8, with line and byte), TOO_BIG, XML, IO, NOMEM. */
ALINEA_API alinea_status alinea_pair_reader_next(alinea_pair_reader *r, const alinea_pair **pair);
/* Languages in use (BCP 47, owned by r); NULL before they are known. */
ALINEA_API const char *alinea_pair_reader_srclang(const alinea_pair_reader *r);
ALINEA_API const char *alinea_pair_reader_tgtlang(const alinea_pair_reader *r);
/* 1 when the input is TMX. */
ALINEA_API int alinea_pair_reader_is_tmx(const alinea_pair_reader *r);
/* Read a TMX ahead in a second thread (POSIX threads): from the second pair
 * on, libxml2 parses the next TUs while the caller checks the current one,
 * through a ring of 64 copied pairs (memory stays flat). pair->tu is then
 * NULL, so do not ask for it when the TUs themselves are needed (--annotate).
 * Warnings of the TMX reader go to r's context's handler, from that thread.
 * Errors are reported by alinea_pair_reader_next when the caller reaches
 * them, as without read-ahead. No effect on TSV and two-file input.
 * Errors: none (ALINEA_OK); a thread that cannot be started means no read-ahead. */
ALINEA_API alinea_status alinea_pair_reader_prefetch(alinea_pair_reader *r);
ALINEA_API void alinea_pair_reader_free(alinea_pair_reader *r);

#ifdef __cplusplus
}
#endif
#endif
