/* fuzz_util.h - helpers shared by the libFuzzer targets (tests/fuzz). */
#ifndef ALINEA_FUZZ_UTIL_H
#define ALINEA_FUZZ_UTIL_H
#define _GNU_SOURCE
#include "alinea.h"
#include "alinea_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <unicode/utf8.h>

/* Stop the fuzzer with a message: a property the API documents was broken. */
#define FUZZ_ASSERT(cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond);                      \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The context shared by every input of a run (hunspell caches stay loaded). */
static inline alinea_ctx *fuzz_ctx(void)
{
    static alinea_ctx *ctx;
    if (!ctx && alinea_ctx_new(&ctx) != ALINEA_OK)
        abort();
    return ctx;
}

/* The input as a file: an in-memory file (memfd) reached through
 * /proc/self/fd, rewritten for every input. Returns its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("alinea-fuzz", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
    return path;
}

/* 1 when s[0..len) is valid UTF-8 (ICU's U8_NEXT). */
static inline int fuzz_valid_utf8(const char *s, size_t len)
{
    int32_t i = 0, n = (int32_t)len;
    while (i < n) {
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, n, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

/* Fuzz bytes as valid UTF-8 text without NUL: NULs become spaces, then
 * alinea_text_decode --lenient. Returns NULL when decoding fails (e.g. over
 * a limit); free with alinea_free. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t *len)
{
    char *tmp = malloc(size + 1);
    if (!tmp)
        return NULL;
    for (size_t i = 0; i < size; i++)
        tmp[i] = data[i] ? (char)data[i] : ' ';
    char *out = NULL;
    /* A leading BOM would switch to UTF-16: drop it. */
    size_t skip = 0;
    if (size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
        skip = 2;
    if (alinea_text_decode(fuzz_ctx(), "fuzz", tmp + skip, size - skip, ALINEA_TEXT_LENIENT, &out,
                           len) != ALINEA_OK)
        out = NULL;
    free(tmp);
    return out;
}

/* Split [data, data+size) at the first occurrence of byte sep. */
static inline void fuzz_split(const uint8_t *data, size_t size, uint8_t sep, size_t *first, size_t *rest)
{
    const uint8_t *p = memchr(data, sep, size);
    *first = p ? (size_t)(p - data) : size / 2;
    *rest = p ? *first + 1 : *first;
}

#endif
