/*
 * alinea.h - core of libalinea: status codes, the context, safe output files.
 *
 * Every other public header (alinea_text.h, alinea_segment.h, alinea_align.h,
 * alinea_check.h, alinea_tmx.h) includes this one.
 *
 * Conventions that hold for the whole library:
 *  - Text is UTF-8. Offsets and lengths are in UTF-8 bytes unless a comment
 *    says "UTF-16 units" or "code points".
 *  - Functions return an alinea_status. On error the context keeps a detail
 *    message (alinea_ctx_errmsg), e.g. "fr.txt:12: byte 88: invalid UTF-8".
 *    The library never prints and never exits.
 *  - Every _new/_open has a _free; _free(NULL) is a no-op. Inputs are
 *    borrowed unless the comment says "copied"; outputs are owned by the
 *    caller when the comment says so, and freed with the named function.
 *  - A context is not thread-safe; use one per thread.
 */
#ifndef ALINEA_H
#define ALINEA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ALINEA_BUILDING) && defined(__GNUC__)
#define ALINEA_API __attribute__((visibility("default")))
#else
#define ALINEA_API
#endif

/* Status codes. The numeric values are pinned: they never change. */
typedef enum alinea_status {
    ALINEA_OK = 0,
    ALINEA_ERR_NOMEM = 1,       /* an allocation failed */
    ALINEA_ERR_INVALID = 2,     /* a bad argument or option value */
    ALINEA_ERR_IO = 3,          /* open/read/write/rename failed (errno in the message) */
    ALINEA_ERR_ENCODING = 4,    /* input is not valid UTF-8/UTF-16, or is binary */
    ALINEA_ERR_FORMAT = 5,      /* malformed input: TMX, SRX, TSV, lexicon, glossary */
    ALINEA_ERR_TOO_BIG = 6,     /* a documented limit was exceeded */
    ALINEA_ERR_RESOURCE = 7,    /* missing linguistic data: hunspell dictionary, dict/ file */
    ALINEA_ERR_ICU = 8,         /* ICU reported an unexpected error */
    ALINEA_ERR_XML = 9,         /* libxml2 reported an unexpected error */
    ALINEA_ERR_UNSUPPORTED = 10 /* a language or feature that is not supported */
} alinea_status;

/* Static English text for a status; never NULL ("unknown status" for others). */
ALINEA_API const char *alinea_strerror(alinea_status status);

/* The library version, "MAJOR.MINOR.PATCH" (static string). */
ALINEA_API const char *alinea_version(void);

/* ---------------------------------------------------------------- context */

typedef struct alinea_ctx alinea_ctx;

/* Receives non-fatal warnings (e.g. "seed.tmx: 3 control characters dropped").
 * msg is valid only during the call. */
typedef void (*alinea_warn_fn)(void *userdata, const char *msg);

/* Create a context. *out is owned by the caller: free with alinea_ctx_free.
 * The data directory defaults, in this order, to $ALINEA_DATA_DIR, the
 * source tree's dict/ (when it exists) and the installed share/alinea.
 * Hunspell dictionaries are searched in $ALINEA_HUNSPELL_DIR, $DICPATH,
 * /usr/share/hunspell and /usr/share/myspell/dicts.
 * Returns ALINEA_OK or ALINEA_ERR_NOMEM (*out is then NULL). */
ALINEA_API alinea_status alinea_ctx_new(alinea_ctx **out);
ALINEA_API void alinea_ctx_free(alinea_ctx *ctx);

/* Detail of the last error on this context: a UTF-8 string owned by ctx,
 * valid until the next call that fails. "" when there was none. */
ALINEA_API const char *alinea_ctx_errmsg(const alinea_ctx *ctx);

/* Set the directory holding Alinea's linguistic data (abbrev/, srx/,
 * lexicon/, glossary/). dir is copied. ALINEA_ERR_NOMEM, or
 * ALINEA_ERR_IO when dir is not a readable directory. */
ALINEA_API alinea_status alinea_ctx_set_data_dir(alinea_ctx *ctx, const char *dir);
/* The data directory in use (owned by ctx). */
ALINEA_API const char *alinea_ctx_data_dir(const alinea_ctx *ctx);

/* Put dir first in the hunspell dictionary search path (copied).
 * ALINEA_ERR_NOMEM or ALINEA_ERR_IO as for alinea_ctx_set_data_dir. */
ALINEA_API alinea_status alinea_ctx_set_hunspell_dir(alinea_ctx *ctx, const char *dir);

/* Install a warning handler (NULL: warnings are dropped). */
ALINEA_API void alinea_ctx_set_warning_handler(alinea_ctx *ctx, alinea_warn_fn fn, void *userdata);

/* ------------------------------------------------------ languages (BCP 47) */

/* Normalise a language tag to BCP 47 through ICU (uloc_forLanguageTag /
 * uloc_toLanguageTag): "fr_FR" -> "fr-FR", "FR" -> "fr", "en-us" -> "en-US".
 * Writes a NUL-terminated tag of at most cap bytes into buf.
 * ALINEA_ERR_INVALID when tag is empty or not a language tag,
 * ALINEA_ERR_TOO_BIG when cap is too small. */
ALINEA_API alinea_status alinea_lang_normalize(const char *tag, char *buf, size_t cap);

/* The language of a file from its name: "article.en.txt", "en.txt", "fr.sent",
 * "corpus/nl.txt" and "de-DE.txt" give "en", "en", "fr", "nl" and "de-DE".
 * A "LANG:PATH" argument is handled by the caller, not here. Writes the tag
 * into buf (cap bytes). ALINEA_ERR_INVALID when no language can be found. */
ALINEA_API alinea_status alinea_lang_from_path(const char *path, char *buf, size_t cap);

/* --------------------------------------------------------- output files */

/* An output file that is written to a temporary file in the same directory
 * and renamed over the target only by alinea_out_commit, so that an existing
 * file is never left truncated or half-written. */
typedef struct alinea_out alinea_out;

/* Open an output. path NULL or "-" means standard output (then commit only
 * flushes). ALINEA_ERR_IO (message names the path and errno) or NOMEM. */
ALINEA_API alinea_status alinea_out_open(alinea_ctx *ctx, const char *path, alinea_out **out);
/* The stdio stream to write to (owned by out). */
ALINEA_API FILE *alinea_out_stream(alinea_out *out);
/* Flush, fsync, close and rename the temporary file over the target; frees out.
 * On failure the temporary file is removed, the target is untouched, and
 * ALINEA_ERR_IO is returned. */
ALINEA_API alinea_status alinea_out_commit(alinea_out *out);
/* Discard the output: remove the temporary file and free out. NULL is a no-op. */
ALINEA_API void alinea_out_abort(alinea_out *out);

/* 1 when paths a and b name the same existing file (same device and inode),
 * 0 otherwise (including when either does not exist). */
ALINEA_API int alinea_same_file(const char *a, const char *b);

/* Free memory that a libalinea function handed to the caller with the words
 * "free with alinea_free". NULL is a no-op. */
ALINEA_API void alinea_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* ALINEA_H */
