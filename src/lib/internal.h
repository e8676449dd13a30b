/*
 * internal.h - helpers shared by libalinea's modules. Not installed; the CLI
 * never includes it.
 */
#ifndef ALINEA_INTERNAL_H
#define ALINEA_INTERNAL_H

#include "alinea.h"

#include <stdarg.h>
#include <stdbool.h>
#include <unicode/utf8.h>

#if defined(__GNUC__)
#define ALINEA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ALINEA_PRINTF(f, a)
#endif

/* Record an error on ctx (printf-style detail) and return status, so that
 * callers can write `return alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", ...)`. */
alinea_status alinea__fail(alinea_ctx *ctx, alinea_status status, const char *fmt, ...)
    ALINEA_PRINTF(3, 4);
/* Send a warning to the context's handler. */
void alinea__warn(alinea_ctx *ctx, const char *fmt, ...) ALINEA_PRINTF(2, 3);

/* Forward an error: `TRY(f(...));` inside a function with `alinea_status rc`
 * and a `cleanup:` label. */
#define TRY(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != ALINEA_OK)                                                                       \
            goto cleanup;                                                                          \
    } while (0)
/* Fail with NOMEM when p is NULL. */
#define CHECK_ALLOC(ctx, p)                                                                        \
    do {                                                                                           \
        if ((p) == NULL) {                                                                         \
            rc = alinea__fail((ctx), ALINEA_ERR_NOMEM, "out of memory");                           \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

/* Path of a data file, e.g. alinea__data_path(ctx, "abbrev/fr.txt", buf, cap).
 * ALINEA_ERR_RESOURCE (with a message naming the path) when it is not readable. */
alinea_status alinea__data_path(alinea_ctx *ctx, const char *rel, char *buf, size_t cap);

/* Read a whole file into a NUL-terminated buffer (malloc'd, caller frees).
 * At most max bytes (ALINEA_ERR_TOO_BIG past it). ALINEA_ERR_IO on failure. */
alinea_status alinea__read_file(alinea_ctx *ctx, const char *path, size_t max, char **out,
                                size_t *len);

/* The hunspell handle for a language ("fr", "en", "en-US", "nl", ...), loaded
 * once per context and cached. ALINEA_ERR_RESOURCE, with a message naming the
 * Debian package to install, when no dictionary is found. The handle is owned
 * by ctx. Returned as void* so that this header does not need hunspell.h. */
alinea_status alinea__hunspell(alinea_ctx *ctx, const char *lang, void **handle,
                               const char **encoding);

/* The code point at s[i] (i < len) through ICU's U8_NEXT, looking at no more
 * than 4 bytes (so any buffer size works); *next receives the offset just
 * after it. Invalid UTF-8 gives a negative value, *next past the bad bytes. */
static inline UChar32 alinea__u8_at(const char *s, size_t len, size_t i, size_t *next)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *next = i + 1;
        return b;
    }
    int32_t k = 0, lim = len - i > 4 ? 4 : (int32_t)(len - i);
    UChar32 c;
    U8_NEXT((const uint8_t *)s + i, k, lim, c);
    *next = i + (size_t)k;
    return c;
}

/* The primary language subtag of tag ("fr-CA" -> "fr"), after BCP 47
 * normalisation, into out (cap bytes). ALINEA_ERR_INVALID when tag is not a
 * language tag (message set on ctx). */
alinea_status alinea__lang_primary(alinea_ctx *ctx, const char *tag, char *out, size_t cap);

/* Growable byte buffer with a hard maximum (curl's dynbuf idea). */
typedef struct alinea_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} alinea_buf;
void alinea__buf_init(alinea_buf *b, size_t max);
alinea_status alinea__buf_add(alinea_ctx *ctx, alinea_buf *b, const void *p, size_t n);
alinea_status alinea__buf_addc(alinea_ctx *ctx, alinea_buf *b, char c);
alinea_status alinea__buf_printf(alinea_ctx *ctx, alinea_buf *b, const char *fmt, ...)
    ALINEA_PRINTF(3, 4);
/* Hand the data to the caller (NUL-terminated, never NULL) and reset b. */
char *alinea__buf_take(alinea_buf *b);
void alinea__buf_free(alinea_buf *b);

/* Growable array: `alinea__grow(ctx, (void**)&arr, &cap, n + 1, sizeof *arr)`
 * makes room for n+1 elements. ALINEA_ERR_NOMEM or TOO_BIG on overflow. */
alinea_status alinea__grow(alinea_ctx *ctx, void **arr, size_t *cap, size_t need, size_t elem);

char *alinea__strdup(const char *s);
char *alinea__strndup(const char *s, size_t n);

/* Documented limits (README "Limits"). */
#define ALINEA_MAX_INPUT_BYTES ((size_t)1 << 31)   /* 2 GiB per input document */
#define ALINEA_MAX_SEGMENT_BYTES ((size_t)1 << 20) /* 1 MiB per segment */
#define ALINEA_MAX_DATA_FILE_BYTES ((size_t)256 << 20) /* lexicon, glossary, SRX */

#endif
