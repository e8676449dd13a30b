/*
 * alinea_tmx.h - TMX 1.4b translation memories: a streaming writer
 * (libxml2 xmlTextWriter) and a streaming reader (libxml2 xmlTextReader).
 *
 * Standard: TMX 1.4b, LISA OSCAR 2004 (the DTD "-//LISA OSCAR:1998//DTD for
 * Translation Memory eXchange//EN", tmx14.dtd). The reader also reads TMX 1.1
 * (lang= instead of xml:lang) and files that break the DTD in ways real tools
 * do (see docs/tmx.md "Reader recoveries"); each such file gets a warning
 * naming the broken rule.
 *
 * Terms: a TU (<tu>, translation unit) holds one TUV (<tuv>, variant) per
 * language; a TUV holds one segment (<seg>). Props (<prop type="...">) and
 * notes (<note>) may sit on TUs and TUVs.
 *
 * Inline codes: in alinea_tuv.text each inline code is one U+FFFC OBJECT
 * REPLACEMENT CHARACTER (3 UTF-8 bytes, EF BF BC); codes[k] describes the
 * k-th U+FFFC of the text, so that the checker can compare tags and the
 * writer can write them back. Native code stays out of the text, translatable
 * text stays in it:
 *  - bpt, ept, it, ph, ut (native code) are one code each, xml = the whole
 *    element ("<bpt i=\"1\">&lt;b&gt;</bpt>");
 *  - hi (TMX: highlighted translatable text) is two codes, both with element
 *    "hi": its start tag (xml "<hi type=\"b\">") and its end tag ("</hi>");
 *    its content is segment text (nested codes included), so that
 *    "<hi>64 000 euros</hi>" reads "\uFFFC64 000 euros\uFFFC";
 *  - sub (translatable text inside native code) splits its bpt/ept/it/ph/ut
 *    into pieces, each a code with the native element's name:
 *    "<ph x=\"1\">&lt;img alt=\"<sub>Photo</sub>\"&gt;</ph>" reads
 *    "\uFFFCPhoto\uFFFC" with xml "<ph x=\"1\">&lt;img alt=\"<sub>" and
 *    "</sub>\"&gt;</ph>" (a <sub> elsewhere: its start and end tags, element
 *    "sub").
 * Rule: concatenating the text pieces (XML-escaped) and codes[k].xml in text
 * order gives back the content of <seg>. Code texts never include the text
 * of hi/sub, so plain text (TSV, Moses, word counts) is the text less its
 * U+FFFC.
 *
 * All strings are UTF-8. Language tags are BCP 47 as normalised by
 * alinea_lang_normalize ("EN-us" -> "en-US"); the reader keeps a tag it cannot
 * normalise as written (with a warning), and keeps "*all*" as is.
 */
#ifndef ALINEA_TMX_H
#define ALINEA_TMX_H

#include "alinea.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A <prop type="TYPE">VALUE</prop>, or (in attrs arrays) an XML attribute
 * NAME="VALUE" with type = the attribute name. */
typedef struct alinea_prop {
    char *type;  /* e.g. "x-alinea-score"; attribute name in attrs[] */
    char *value; /* UTF-8 */
} alinea_prop;

typedef struct alinea_inline {
    char *element; /* "bpt", "ept", "it", "ph", "hi", "ut" (or, read from a
                      broken file, "sub" or another element name) */
    char *xml;     /* XML (UTF-8) of the code: a whole element, e.g.
                      "<bpt i=\"1\" type=\"bold\">&lt;b&gt;</bpt>", or the
                      start or end tag of a <hi>/<sub>, or a piece of a native
                      element around a <sub> (see "Inline codes" above) */
} alinea_inline;

typedef struct alinea_tuv {
    char *lang; /* BCP 47 */
    char *text; /* UTF-8; inline codes as U+FFFC */
    size_t ncodes;
    alinea_inline *codes; /* ncodes entries, in text order */
    size_t nprops;
    alinea_prop *props;   /* <prop> of the TUV, file order */
    size_t nnotes;
    char **notes;         /* <note> texts of the TUV */
    size_t nattrs;
    alinea_prop *attrs;   /* other attributes (creationdate, changeid, ...) */
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
    size_t nattrs;
    alinea_prop *attrs; /* other <tu> attributes (creationdate, changedate, usagecount, ...) */
} alinea_tu;

/* Writer flags (alinea_tmx_header.flags). */
enum {
    /* Replace C0 control characters by U+FFFD instead of dropping them. */
    ALINEA_TMX_CTRL_REPLACE = 1u << 0,
    /* Leave out <!DOCTYPE tmx SYSTEM "tmx14.dtd">. */
    ALINEA_TMX_NO_DOCTYPE = 1u << 1,
    /* Write no inline codes: every U+FFFC is dropped and codes[] ignored
     * (for tools that mangle <bpt>/<ph>; plain text only). */
    ALINEA_TMX_PLAIN = 1u << 2
};

/* Header fields and writer options. NULL members get defaults: creationtool
 * "Alinea", creationtoolversion alinea_version(), segtype "sentence", o-tmf
 * "Alinea", adminlang "en", datatype "plaintext", creationdate now in UTC
 * ("YYYYMMDDThhmmssZ"), or $SOURCE_DATE_EPOCH when that is set (reproducible
 * output). Zero-initialise the struct and set what you need. */
typedef struct alinea_tmx_header {
    const char *srclang;   /* required (BCP 47, or "*all*") */
    const char *adminlang;
    const char *creationid;
    const char *segtype;   /* block|paragraph|sentence|phrase */
    const char *datatype;
    const char *o_tmf;
    const char *creationdate; /* "YYYYMMDDThhmmssZ"; NULL: see above */
    /* Compatibility switches (docs/tmx.md, "Compatibility switches"): */
    const char *tuid_prefix;  /* TUs without tuid get PREFIX1, PREFIX2, ... (NULL: "") */
    const char *target_lang;  /* bilingual-only: write only the source TUV and the
                                 TUV of this language; TUs without it are skipped */
    size_t max_seg_chars;     /* > 0: skip TUs with a segment longer than this
                                 many code points (counted in a warning) */
    unsigned flags;           /* ALINEA_TMX_* */
    /* <note>s and <prop>s of the <header> (borrowed; nnotes/nprops entries) */
    size_t nnotes;
    char *const *notes;
    size_t nprops;
    const alinea_prop *props;
} alinea_tmx_header;

typedef struct alinea_tmx_writer alinea_tmx_writer;

/* Start a TMX file at path (NULL or "-": standard output), through an
 * alinea_out so that an existing file is replaced only on success. header is
 * borrowed for this call only (strings are copied). Writes the XML
 * declaration, the DOCTYPE, <tmx version="1.4"> and the header with every
 * attribute the DTD requires, then opens <body>.
 * *out is owned by the caller: end with _finish or _free.
 * Errors: INVALID (no srclang, bad segtype or language tag, bad creationdate),
 * IO, XML, NOMEM. */
ALINEA_API alinea_status alinea_tmx_writer_open(alinea_ctx *ctx, const char *path,
                                                const alinea_tmx_header *header,
                                                alinea_tmx_writer **out);
/* Write one TU (borrowed). Languages are normalised to BCP 47; the TUV of the
 * source language (tu->srclang, else the header's) is written first (some
 * readers, e.g. translate-toolkit, take the first TUV as the source). Order:
 * notes, props, then TUVs (each: notes, props, seg), as the DTD asks.
 * Inline codes: the segment's XML is rebuilt from the text pieces and
 * codes[k].xml (rule above), parsed by libxml2 and written again through the
 * xmlTextWriter, following the DTD's nesting (seg, hi, sub: text and
 * bpt/ept/it/ph/hi/ut; bpt/ept/it/ph/ut: text and sub). Markup the DTD does
 * not allow there is repaired and counted in a warning: a <sub> outside
 * native code is unwrapped (its text kept), an element inside native code is
 * written as text, an element TMX does not know becomes a <ph> holding its
 * XML as text. When the pieces do not fit together (a caller dropped a code),
 * each whole element is written alone and start or end tags without their
 * partner are dropped (counted).
 * C0 control characters (other than TAB, LF, CR) are dropped (or replaced by
 * U+FFFD, ALINEA_TMX_CTRL_REPLACE) and counted; without that flag VT and FF
 * (U+000B, U+000C: Word's manual line and page breaks) become a space, so
 * that the words they separate do not glue; a U+FFFC without a matching codes[]
 * entry is dropped and counted; a TUV with an empty or NULL lang is left out
 * and counted (a TU left without TUVs is skipped). Attributes in attrs[]
 * that TMX 1.4 does not allow on the element are left out (counted). A TU
 * without tuid gets tuid_prefix + its 1-based number in the file.
 * Errors: INVALID (no TUV, a language tag with spaces or non-ASCII
 * characters, a code whose xml is neither well-formed XML with the rest of
 * the segment nor one element nor a tag), ENCODING
 * (text not valid UTF-8), TOO_BIG (a segment over 1 MiB), XML, IO (a write
 * failed: disk full...), NOMEM.
 * After an error the writer can only be freed. */
ALINEA_API alinea_status alinea_tmx_writer_add(alinea_tmx_writer *w, const alinea_tu *tu);
/* Number of TUs written so far, and skipped by the compatibility switches. */
ALINEA_API size_t alinea_tmx_writer_count(const alinea_tmx_writer *w, size_t *skipped);
/* Close the document and commit the file; frees w in every case. Sends one
 * warning per kind of dropped content ("out.tmx: 3 control characters
 * dropped (XML 1.0 forbids them)"). Errors: XML, IO. */
ALINEA_API alinea_status alinea_tmx_writer_finish(alinea_tmx_writer *w);
/* Abandon the output (the target file is untouched) and free w. NULL: no-op. */
ALINEA_API void alinea_tmx_writer_free(alinea_tmx_writer *w);

typedef struct alinea_tmx_reader alinea_tmx_reader;

/* Open a TMX file for streaming: UTF-8 with or without BOM, UTF-16LE/BE with
 * BOM, or any encoding declared in the XML declaration that libxml2 knows;
 * TMX 1.1 to 1.4b. path "-" reads standard input.
 * Security: no network (XML_PARSE_NONET), no external DTD or entity loading,
 * libxml2's default size limits (no XML_PARSE_HUGE); a DOCTYPE that declares
 * entities is refused (FORMAT), which stops billion-laughs and XXE files.
 * Recovery: a file whose XML declaration says UTF-16 but whose bytes are
 * UTF-8 (libxml2: "Document labelled UTF-16 but has UTF-8 content"; a
 * UTF-16 export re-saved as UTF-8) is read again as UTF-8, with a warning
 * (files only, not standard input). Likewise a file declared in a
 * single-byte encoding (ISO-8859-1, windows-1252...) whose first 64 KiB are
 * valid UTF-8 with multi-byte sequences is read as UTF-8, with a warning.
 * Memory stays flat: only the current TU is kept (xmlTextReaderExpand).
 * *out is owned by the caller (alinea_tmx_reader_free).
 * Errors: IO (cannot open), NOMEM. Parse errors come from _next. */
ALINEA_API alinea_status alinea_tmx_reader_open(alinea_ctx *ctx, const char *path,
                                                alinea_tmx_reader **out);
/* The next TU, or *tu = NULL at the end. *tu is owned by the reader and valid
 * until the next call. At the end, one warning per DTD rule the file broke
 * (e.g. "<prop> after <seg> in <tuv>", missing header attributes, TMX 1.1).
 * Errors (message "FILE:LINE: ..."): FORMAT (not well-formed, not TMX,
 * entity declarations), ENCODING (bytes that do not match the encoding),
 * TOO_BIG (a segment over ALINEA_MAX_SEGMENT_BYTES, 1 MiB), XML, NOMEM. */
ALINEA_API alinea_status alinea_tmx_reader_next(alinea_tmx_reader *r, const alinea_tu **tu);
/* The header's srclang, normalised like TUV languages, after the first call
 * to _next (owned by r; NULL when the header has none). */
ALINEA_API const char *alinea_tmx_reader_srclang(const alinea_tmx_reader *r);
/* A header attribute ("adminlang", "creationtool", "o-tmf", ...) as written
 * in the file, after the first call to _next (owned by r), or NULL. */
ALINEA_API const char *alinea_tmx_reader_header_attr(const alinea_tmx_reader *r, const char *name);
/* The <note>s (*n texts) and <prop>s (*n entries) of the <header>, after
 * the first call to _next (owned by r; NULL with *n = 0 when none). */
ALINEA_API char *const *alinea_tmx_reader_header_notes(const alinea_tmx_reader *r, size_t *n);
ALINEA_API const alinea_prop *alinea_tmx_reader_header_props(const alinea_tmx_reader *r,
                                                             size_t *n);
/* The <tmx version="..."> value ("1.4", "1.1", ...) or NULL. */
ALINEA_API const char *alinea_tmx_reader_version(const alinea_tmx_reader *r);
/* Number of DTD-rule violations the reader recovered from so far. */
ALINEA_API size_t alinea_tmx_reader_recoveries(const alinea_tmx_reader *r);
/* Close the file and free r (and the current TU). NULL: no-op. */
ALINEA_API void alinea_tmx_reader_free(alinea_tmx_reader *r);

/* The TUV of tu in language lang (primary subtag match when no exact match,
 * case-insensitive), or NULL. */
ALINEA_API const alinea_tuv *alinea_tu_find(const alinea_tu *tu, const char *lang);
/* The value of the first prop of tu of this type (owned by tu), or NULL. */
ALINEA_API const char *alinea_tu_prop(const alinea_tu *tu, const char *type);
/* The value of attribute name of tu (in attrs[], owned by tu), or NULL. */
ALINEA_API const char *alinea_tu_attr(const alinea_tu *tu, const char *name);

/* Deep copy of a TU (for callers that keep TUs past the next _next call).
 * *out is owned by the caller: free with alinea_tu_free. Errors: NOMEM. */
ALINEA_API alinea_status alinea_tu_copy(alinea_ctx *ctx, const alinea_tu *tu, alinea_tu **out);
/* Free a TU made by alinea_tu_copy. NULL: no-op. */
ALINEA_API void alinea_tu_free(alinea_tu *tu);


/* ------------------------------------------------------------ toolbox
 * The operations behind `alinea tmx stats|convert|merge|filter|validate`.
 * Every one streams its input with the reader above. */

typedef struct alinea_tmx_lang_stats {
    char lang[64];
    size_t tuvs;  /* TUVs in this language */
    size_t words; /* words: ICU word BreakIterator (Unicode UAX #29), root locale;
                     the pieces whose rule status is number, letter, kana or ideo */
    size_t chars; /* code points, inline codes not counted */
} alinea_tmx_lang_stats;

typedef struct alinea_tmx_stats {
    size_t units;          /* TUs */
    size_t tuvs;           /* TUVs */
    size_t nlangs;
    alinea_tmx_lang_stats *langs; /* nlangs entries, in order of first appearance */
    size_t dup_source;     /* TUs whose source segment (srclang + text) appeared in an earlier TU */
    size_t dup_exact;      /* TUs whose every TUV (language + text) equals an earlier TU's */
    size_t codes;          /* inline codes */
    size_t recoveries;     /* DTD rules broken and recovered from (see the warnings) */
    char srclang[64];      /* header srclang ("" when none) */
    char version[16];      /* <tmx version> */
} alinea_tmx_stats;

/* Statistics of a TMX file, in one streaming pass. Duplicates are found
 * through 64-bit FNV-1a hashes (Fowler-Noll-Vo; two sets of 8-byte slots,
 * about 32 MiB per million distinct TUs). *out owned by the caller
 * (alinea_tmx_stats_free). Errors: those of the reader, ICU, NOMEM. */
ALINEA_API alinea_status alinea_tmx_stats_file(alinea_ctx *ctx, const char *path,
                                               alinea_tmx_stats **out);
/* Free stats from alinea_tmx_stats_file. NULL: no-op. */
ALINEA_API void alinea_tmx_stats_free(alinea_tmx_stats *st);

/* Copy TMX in to TMX out (valid 1.4b, UTF-8), rewriting whatever the reader
 * accepted (TMX 1.1, UTF-16, sloppy header). header gives the output header
 * and compatibility switches; a NULL header->srclang takes the input's
 * (ALINEA_ERR_INVALID when the input has none or "*all*" without one given);
 * NULL segtype, adminlang and datatype, and no notes and props, take the
 * input header's (when valid).
 * *written (may be NULL) receives the number of TUs written.
 * Errors: those of the reader and the writer. */
ALINEA_API alinea_status alinea_tmx_rewrite(alinea_ctx *ctx, const char *in, const char *out,
                                            const alinea_tmx_header *header, size_t *written);

typedef enum alinea_tmx_text_format {
    ALINEA_TMX_TSV = 0,  /* one line per TU: source TAB target */
    ALINEA_TMX_MOSES = 1 /* two plain files, line i of one translates line i of the other */
} alinea_tmx_text_format;

/* TMX to a plain-text parallel corpus for the pair srclang -> tgtlang (BCP 47;
 * srclang NULL: the header's). TUs lacking either language are skipped.
 * Inline codes are left out; TAB, CR and LF inside a segment become spaces
 * (counted in a warning). TSV goes to out[0]; Moses to out[0] (source) and
 * out[1] (target). Outputs are atomic (alinea_out).
 * Errors: INVALID (no srclang known), reader and IO errors. */
ALINEA_API alinea_status alinea_tmx_to_text(alinea_ctx *ctx, const char *in,
                                            alinea_tmx_text_format format, const char *srclang,
                                            const char *tgtlang, const char *const out[2],
                                            size_t *written);

/* TSV (UTF-8/UTF-16, decoded by alinea_text_load) to TMX: column k of each
 * line is the TUV of langs[k] (nlangs >= 2), the first being the source;
 * empty cells give no TUV; lines with fewer than 2 non-empty cells are
 * skipped (counted). header->srclang NULL means langs[0].
 * Errors: INVALID, FORMAT (a line with more columns than langs, "FILE:LINE"),
 * those of alinea_text_load and the writer. */
ALINEA_API alinea_status alinea_tsv_to_tmx(alinea_ctx *ctx, const char *in,
                                           const char *const *langs, size_t nlangs,
                                           const char *out, const alinea_tmx_header *header,
                                           size_t *written);

typedef enum alinea_tmx_merge_policy {
    ALINEA_MERGE_NEWEST = 0, /* of TUs with the same key keep the newest: changedate, else
                                creationdate (TU, else latest TUV); ties keep the first */
    ALINEA_MERGE_FIRST = 1,  /* keep the first in input order */
    ALINEA_MERGE_ALL = 2     /* keep every TU */
} alinea_tmx_merge_policy;

typedef enum alinea_tmx_merge_key {
    ALINEA_KEY_EXACT = 0,  /* all TUVs (language + text with codes) equal */
    ALINEA_KEY_SOURCE = 1  /* the source segment (srclang + text) equal */
} alinea_tmx_merge_key;

/* Merge n TMX files into out (two streaming passes: the first picks the TU
 * to keep for each key, through 64-bit hashes, the second writes them in
 * input order). header as for alinea_tmx_rewrite (srclang NULL: the first
 * input's). *written and *dropped may be NULL.
 * Errors: INVALID (n == 0), those of the reader and writer. */
ALINEA_API alinea_status alinea_tmx_merge(alinea_ctx *ctx, const char *const *in, size_t n,
                                          const char *out, const alinea_tmx_header *header,
                                          alinea_tmx_merge_policy policy,
                                          alinea_tmx_merge_key key, size_t *written,
                                          size_t *dropped);

/* A TU filter. Zero-initialise; every set criterion must hold to keep a TU. */
typedef struct alinea_tmx_filter {
    const char *srclang; /* source language (NULL: the TU's or header's srclang) */
    const char *tgtlang; /* keep TUs with a TUV in this language (primary-subtag match) */
    int has_min_score, has_max_score;
    double min_score, max_score; /* on prop x-alinea-score; TUs without it are dropped */
    double min_ratio, max_ratio; /* > 0: target/source length in code points within
                                    [min_ratio, max_ratio] (needs tgtlang) */
    int drop_qa_errors;          /* drop TUs where alinea_checker (alinea_check.h)
                                    reports an error-level finding (needs tgtlang) */
} alinea_tmx_filter;

/* Copy the TUs of in that pass filter to out. header as for
 * alinea_tmx_rewrite; set header->target_lang too for bilingual output.
 * Errors: INVALID (bad criteria), those of the reader, writer and checker
 * (RESOURCE when a dictionary is missing). */
ALINEA_API alinea_status alinea_tmx_filter_file(alinea_ctx *ctx, const char *in, const char *out,
                                                const alinea_tmx_filter *filter,
                                                const alinea_tmx_header *header,
                                                size_t *kept, size_t *dropped);

/* Receives one validation problem: line (1-based; 0 when unknown) and a
 * message naming the rule. */
typedef void (*alinea_tmx_problem_fn)(void *userdata, size_t line, const char *msg);

/* Validate a TMX file against TMX 1.4b. Always checks, streaming, the rules
 * written in code (docs/tmx.md "validate"): the element structure and
 * required attributes of the DTD, segtype values, a header srclang or a
 * srclang on each TU with a TUV in that language, xml:lang on each TUV,
 * unique i per <bpt> in a segment, every <bpt> paired with an <ept> of the
 * same i (after it) and vice versa, it pos="begin|end". With dtd_path, also
 * validates with libxml2 against that DTD file (this loads the whole file as
 * a tree). *nproblems receives the count (0: valid).
 * Errors: those of the reader (a file that is not well-formed is an error,
 * not a problem), IO (dtd_path unreadable), XML. */
ALINEA_API alinea_status alinea_tmx_validate(alinea_ctx *ctx, const char *path,
                                             const char *dtd_path, alinea_tmx_problem_fn fn,
                                             void *userdata, size_t *nproblems);

#ifdef __cplusplus
}
#endif
#endif
