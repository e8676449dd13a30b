/*
 * qa_internal.h - helpers shared by the checker's modules (numbers.c,
 * entities.c, glossary.c, check*.c). Not installed.
 */
#ifndef ALINEA_QA_INTERNAL_H
#define ALINEA_QA_INTERNAL_H

#include "alinea_check.h"
#include "internal.h"

#include <unicode/utrans.h>
#include <unicode/utypes.h>

/* 1 when c is part of a word: letter, digit, mark, '_', superscripts. */
int alinea__is_word_cp(UChar32 c);
/* End of the word starting at byte i (inner hyphens included). */
size_t alinea__word_end(const char *s, size_t len, size_t i);
/* Month 1-12 when the word is a full month name of the scanner's language
 * (respecting the locale's capitalisation), else 0. */
int alinea__numscan_month(const alinea_numscan *s, const char *w, size_t len);
const char *alinea__numscan_lang(const alinea_numscan *s);
/* Day of the week 1-7 when the word is a day name of the language, else 0. */
int alinea__numscan_weekday(const alinea_numscan *s, const char *w, size_t len);
/* The ordinal spelling of v ("3rd"); 0 on success. */
int alinea__numscan_ordinal(alinea_numscan *s, double v, char *buf, size_t cap);

/* ------------------------------------------------------------ language */

/* Per-language resources of a checker. */
typedef struct qa_lang {
    alinea_ctx *ctx;
    char lang[16];          /* primary subtag */
    void *hun;              /* Hunhandle*, owned by ctx; NULL when unavailable */
    const char *hun_enc;    /* dictionary encoding */
    alinea_numscan *nums;
    UTransliterator *fold;  /* "Any-Latin; Latin-ASCII; Lower" (shared, owned by checker) */
    struct spell_cache *cache;
} qa_lang;

alinea_status qa_lang_init(qa_lang *L, alinea_ctx *ctx, const char *lang, UTransliterator *fold);
void qa_lang_free(qa_lang *L);
/* 1 when hunspell knows the word (UTF-8), 0 when not, -1 without dictionary. */
int qa_spell(qa_lang *L, const char *w, size_t len);
/* Fold a word: ASCII lower case, or ICU "Any-Latin; Latin-ASCII; Lower". */
void qa_fold(qa_lang *L, const char *w, size_t len, char *out, size_t cap);
/* Hunspell stems of a word, folded, into out[k] (up to max); returns count. */
int qa_stems(qa_lang *L, const char *w, size_t len, char out[][64], int max);

/* ------------------------------------------------------------- tokens */

#define QA_TOK_CAP 0x01u      /* starts with an upper-case letter */
#define QA_TOK_ALLCAPS 0x02u  /* two letters or more, all upper case */
#define QA_TOK_INITIAL 0x04u  /* first word of a sentence or after an opening quote */
#define QA_TOK_NAME 0x08u     /* entity candidate that must be found (strong) */
#define QA_TOK_WEAK 0x10u     /* capitalised, but a common word in lower case */
#define QA_TOK_USED 0x20u     /* matched */
#define QA_TOK_SKIP 0x40u     /* not a word for the entity checks (code, number, month) */
#define QA_TOK_GLOSS 0x80u    /* part of a glossary term matched on this side */
#define QA_TOK_HYPHEN 0x200u  /* the folded form has a '-' (a compound) */

typedef struct qa_token {
    size_t start, end;  /* UTF-8 bytes */
    unsigned flags;
    char fold[64];      /* folded form */
} qa_token;

typedef struct qa_tokens {
    qa_token *t;
    size_t n, cap;
} qa_tokens;

/* Split a segment into word tokens (apostrophes split, inner hyphens kept),
 * and classify them (capitalised, acronym, sentence-initial, name). */
alinea_status qa_tokenize(qa_lang *L, const char *text, size_t len, qa_tokens *out);

/* ------------------------------------------------------------ glossary */

typedef struct qa_glossary qa_glossary;

/* Load a TSV glossary ("src<TAB>tgt[<TAB>note]", '#' comments) or TBX
 * (libxml2). required: 0 for the shipped glossary. Errors: IO, FORMAT, XML. */
alinea_status qa_glossary_load(alinea_ctx *ctx, qa_lang *src, qa_lang *tgt, const char *path,
                               const char *srclang, const char *tgtlang, qa_glossary **g);
void qa_glossary_free(qa_glossary *g);
size_t qa_glossary_size(const qa_glossary *g);

/* A glossary hit in a token list. */
typedef struct qa_gloss_hit {
    size_t entry;       /* entry index */
    size_t first, n;    /* tokens [first, first+n) */
} qa_gloss_hit;

/* Find the source terms of g in toks; *hits grown as needed. */
alinea_status qa_glossary_find_src(alinea_ctx *ctx, const qa_glossary *g, const qa_tokens *toks,
                                   qa_gloss_hit **hits, size_t *nhits, size_t *cap);
/* The entries with the same source term as entry e: [*lo, *hi). */
void qa_glossary_alts(const qa_glossary *g, size_t e, size_t *lo, size_t *hi);
/* Find the target term of entry e in toks (unused tokens first); returns
 * the first token index and *n, or -1. */
long qa_glossary_find_tgt(const qa_glossary *g, size_t e, const qa_tokens *toks, size_t *n);
const char *qa_glossary_src(const qa_glossary *g, size_t e);
const char *qa_glossary_tgt(const qa_glossary *g, size_t e);
/* 1 when the source term of e starts with a lower-case letter (a demonym
 * or common term rather than a name). */
int qa_glossary_lower(const qa_glossary *g, size_t e);
/* 1 when folded token tok matches folded term word w: equal, or w is a
 * prefix of at least 4 characters and tok has at most 3 more; a hyphenated
 * compound token matches when one of its parts does (AI-diensten ~ AI). */
int qa_fold_match(const char *tok, const char *w);
/* The same, also accepting an inflected ending on the target side: a common
 * prefix of 5+ characters leaving at most 2 characters of w and 3 of tok
 * (Europees ~ Europese, Duinkerke ~ Duinkerken). */
int qa_fold_match_loose(const char *tok, const char *w);

#endif
