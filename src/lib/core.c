/* core.c - context, status strings, data paths, buffers, hunspell cache. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <hunspell.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uloc.h>
#include <unistd.h>

#ifndef ALINEA_VERSION_STRING
#define ALINEA_VERSION_STRING "0.0.0"
#endif

#define MAX_HUNSPELL 8

struct hunspell_entry {
    char lang[16];
    Hunhandle *h;
    const char *encoding;
};

struct alinea_ctx {
    char errmsg[1024];
    char *data_dir;
    char *hunspell_dir;
    alinea_warn_fn warn;
    void *warn_ud;
    struct hunspell_entry hun[MAX_HUNSPELL];
    int nhun;
};

const char *alinea_strerror(alinea_status status)
{
    switch (status) {
    case ALINEA_OK: return "success";
    case ALINEA_ERR_NOMEM: return "out of memory";
    case ALINEA_ERR_INVALID: return "invalid argument";
    case ALINEA_ERR_IO: return "input/output error";
    case ALINEA_ERR_ENCODING: return "invalid text encoding";
    case ALINEA_ERR_FORMAT: return "malformed input";
    case ALINEA_ERR_TOO_BIG: return "limit exceeded";
    case ALINEA_ERR_RESOURCE: return "missing linguistic resource";
    case ALINEA_ERR_ICU: return "ICU error";
    case ALINEA_ERR_XML: return "XML error";
    case ALINEA_ERR_UNSUPPORTED: return "unsupported";
    }
    return "unknown status";
}

const char *alinea_version(void) { return ALINEA_VERSION_STRING; }

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

alinea_status alinea_ctx_new(alinea_ctx **out)
{
    *out = NULL;
    alinea_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return ALINEA_ERR_NOMEM;
    const char *env = getenv("ALINEA_DATA_DIR");
    const char *dir = NULL;
    if (env && *env)
        dir = env;
#ifdef ALINEA_SOURCE_DATA_DIR
    else if (is_dir(ALINEA_SOURCE_DATA_DIR))
        dir = ALINEA_SOURCE_DATA_DIR;
#endif
#ifdef ALINEA_INSTALL_DATA_DIR
    else
        dir = ALINEA_INSTALL_DATA_DIR;
#endif
    if (dir) {
        ctx->data_dir = alinea__strdup(dir);
        if (!ctx->data_dir) {
            free(ctx);
            return ALINEA_ERR_NOMEM;
        }
    }
    *out = ctx;
    return ALINEA_OK;
}

void alinea_ctx_free(alinea_ctx *ctx)
{
    if (!ctx)
        return;
    for (int i = 0; i < ctx->nhun; i++)
        if (ctx->hun[i].h)
            Hunspell_destroy(ctx->hun[i].h);
    free(ctx->data_dir);
    free(ctx->hunspell_dir);
    free(ctx);
}

const char *alinea_ctx_errmsg(const alinea_ctx *ctx) { return ctx ? ctx->errmsg : ""; }

static alinea_status set_dir(alinea_ctx *ctx, char **slot, const char *dir)
{
    if (!is_dir(dir))
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: not a readable directory", dir ? dir : "(null)");
    char *copy = alinea__strdup(dir);
    if (!copy)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    free(*slot);
    *slot = copy;
    return ALINEA_OK;
}

alinea_status alinea_ctx_set_data_dir(alinea_ctx *ctx, const char *dir)
{
    return set_dir(ctx, &ctx->data_dir, dir);
}

const char *alinea_ctx_data_dir(const alinea_ctx *ctx) { return ctx->data_dir ? ctx->data_dir : ""; }

alinea_status alinea_ctx_set_hunspell_dir(alinea_ctx *ctx, const char *dir)
{
    return set_dir(ctx, &ctx->hunspell_dir, dir);
}

void alinea_ctx_set_warning_handler(alinea_ctx *ctx, alinea_warn_fn fn, void *userdata)
{
    ctx->warn = fn;
    ctx->warn_ud = userdata;
}

alinea_status alinea__fail(alinea_ctx *ctx, alinea_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
        va_end(ap);
    }
    return status;
}

void alinea__warn(alinea_ctx *ctx, const char *fmt, ...)
{
    if (!ctx || !ctx->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->warn(ctx->warn_ud, msg);
}

alinea_status alinea__data_path(alinea_ctx *ctx, const char *rel, char *buf, size_t cap)
{
    const char *dir = alinea_ctx_data_dir(ctx);
    int n = snprintf(buf, cap, "%s/%s", dir, rel);
    if (n < 0 || (size_t)n >= cap)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "%s/%s: path too long", dir, rel);
    if (access(buf, R_OK) != 0)
        return alinea__fail(ctx, ALINEA_ERR_RESOURCE,
                            "%s: cannot read data file (%s); set ALINEA_DATA_DIR or --data-dir "
                            "to Alinea's dict/ folder",
                            buf, strerror(errno));
    return ALINEA_OK;
}

alinea_status alinea__read_file(alinea_ctx *ctx, const char *path, size_t max, char **out,
                                size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: is a directory", path);
    }
    alinea_status rc = ALINEA_OK;
    alinea_buf b;
    alinea__buf_init(&b, max);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = alinea__buf_add(ctx, &b, chunk, n);
        if (rc != ALINEA_OK) {
            if (rc == ALINEA_ERR_TOO_BIG)
                alinea__fail(ctx, rc, "%s: larger than the limit of %zu bytes", path, max);
            goto cleanup;
        }
    }
    if (ferror(f)) {
        rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: read error: %s", path, strerror(errno));
        goto cleanup;
    }
    *len = b.len;
    *out = alinea__buf_take(&b);
    if (!*out)
        rc = alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
cleanup:
    alinea__buf_free(&b);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------- hunspell */

static const char *debian_package(const char *lang)
{
    static const struct { const char *lang, *pkg; } map[] = {
        {"fr", "hunspell-fr"}, {"en", "hunspell-en-us"}, {"nl", "hunspell-nl"},
        {"de", "hunspell-de-de"}, {"es", "hunspell-es"}, {"it", "hunspell-it"},
        {"pt", "hunspell-pt-pt"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(lang, map[i].lang, 2) == 0)
            return map[i].pkg;
    return NULL;
}

/* Candidate dictionary base names for a language, best first. */
static int dict_names(const char *lang, char names[][16], int max)
{
    static const struct { const char *lang; const char *names[4]; } map[] = {
        {"fr", {"fr_FR", "fr", NULL}}, {"en", {"en_US", "en_GB", "en", NULL}},
        {"nl", {"nl_NL", "nl", NULL}}, {"de", {"de_DE", "de", NULL}},
        {"es", {"es_ES", "es", NULL}}, {"it", {"it_IT", "it", NULL}},
        {"pt", {"pt_PT", "pt_BR", "pt", NULL}},
    };
    int n = 0;
    /* An explicit region first: "en-GB" -> en_GB. */
    if (strlen(lang) == 5 && (lang[2] == '-' || lang[2] == '_') && n < max)
        snprintf(names[n++], 16, "%c%c_%c%c", lang[0], lang[1], lang[3], lang[4]);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(lang, map[i].lang, 2) == 0)
            for (int j = 0; map[i].names[j] && n < max; j++)
                snprintf(names[n++], 16, "%s", map[i].names[j]);
    return n;
}

alinea_status alinea__hunspell(alinea_ctx *ctx, const char *lang, void **handle,
                               const char **encoding)
{
    *handle = NULL;
    for (int i = 0; i < ctx->nhun; i++)
        if (strcmp(ctx->hun[i].lang, lang) == 0) {
            *handle = ctx->hun[i].h;
            if (encoding)
                *encoding = ctx->hun[i].encoding;
            return ALINEA_OK;
        }
    if (ctx->nhun == MAX_HUNSPELL)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "too many hunspell languages");
    const char *dirs[5];
    int nd = 0;
    if (ctx->hunspell_dir)
        dirs[nd++] = ctx->hunspell_dir;
    const char *env = getenv("ALINEA_HUNSPELL_DIR");
    if (env && *env)
        dirs[nd++] = env;
    env = getenv("DICPATH");
    if (env && *env)
        dirs[nd++] = env;
    dirs[nd++] = "/usr/share/hunspell";
    dirs[nd++] = "/usr/share/myspell/dicts";
    char names[6][16];
    int nn = dict_names(lang, names, 6);
    char aff[4096], dic[4096];
    /* hunspell cannot report a missing file and prints to stderr: check that
     * both files are readable before calling Hunspell_create. */
    for (int d = 0; d < nd; d++)
        for (int k = 0; k < nn; k++) {
            snprintf(aff, sizeof aff, "%s/%s.aff", dirs[d], names[k]);
            snprintf(dic, sizeof dic, "%s/%s.dic", dirs[d], names[k]);
            if (access(aff, R_OK) != 0 || access(dic, R_OK) != 0)
                continue;
            Hunhandle *h = Hunspell_create(aff, dic);
            if (!h)
                return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory loading %s", dic);
            struct hunspell_entry *e = &ctx->hun[ctx->nhun++];
            snprintf(e->lang, sizeof e->lang, "%s", lang);
            e->h = h;
            e->encoding = Hunspell_get_dic_encoding(h);
            *handle = h;
            if (encoding)
                *encoding = e->encoding;
            return ALINEA_OK;
        }
    const char *pkg = debian_package(lang);
    if (pkg)
        return alinea__fail(ctx, ALINEA_ERR_RESOURCE,
                            "no hunspell dictionary for '%s' (looked in /usr/share/hunspell and "
                            "$DICPATH); install the Debian package %s or pass --dict-dir",
                            lang, pkg);
    return alinea__fail(ctx, ALINEA_ERR_RESOURCE,
                        "no hunspell dictionary for '%s' (looked in /usr/share/hunspell and "
                        "$DICPATH); install one (Debian names them hunspell-LANG, e.g. "
                        "hunspell-fr) or pass --dict-dir with its .aff and .dic files",
                        lang);
}

/* ------------------------------------------------------------- buffers */

void alinea__buf_init(alinea_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : ALINEA_MAX_INPUT_BYTES;
}

alinea_status alinea__buf_add(alinea_ctx *ctx, alinea_buf *b, const void *p, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "buffer larger than %zu bytes", b->max);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ALINEA_OK;
}

alinea_status alinea__buf_addc(alinea_ctx *ctx, alinea_buf *b, char c)
{
    return alinea__buf_add(ctx, b, &c, 1);
}

alinea_status alinea__buf_printf(alinea_ctx *ctx, alinea_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "bad format");
    if ((size_t)n < sizeof small)
        return alinea__buf_add(ctx, b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    alinea_status rc = alinea__buf_add(ctx, b, big, (size_t)n);
    free(big);
    return rc;
}

char *alinea__buf_take(alinea_buf *b)
{
    char *d = b->data;
    if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void alinea__buf_free(alinea_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

alinea_status alinea__grow(alinea_ctx *ctx, void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ALINEA_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "array too large");
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return alinea__fail(ctx, ALINEA_ERR_TOO_BIG, "array too large");
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    *arr = p;
    *cap = ncap;
    return ALINEA_OK;
}

char *alinea__strdup(const char *s) { return s ? alinea__strndup(s, strlen(s)) : NULL; }

char *alinea__strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void alinea_free(void *p) { free(p); }

/* ------------------------------------------------------------ languages */

alinea_status alinea_lang_normalize(const char *tag, char *buf, size_t cap)
{
    if (!tag || !*tag || strlen(tag) > 64)
        return ALINEA_ERR_INVALID;
    for (const char *p = tag; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return ALINEA_ERR_INVALID;
    char locale[ULOC_FULLNAME_CAPACITY];
    UErrorCode err = U_ZERO_ERROR;
    /* uloc_forLanguageTag wants '-'; uloc_canonicalize takes ICU ids ("fr_FR"). */
    uloc_canonicalize(tag, locale, sizeof locale, &err);
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
        return ALINEA_ERR_INVALID;
    char lang[ULOC_LANG_CAPACITY];
    err = U_ZERO_ERROR;
    int32_t n = uloc_getLanguage(locale, lang, sizeof lang, &err);
    if (U_FAILURE(err) || n < 2 || n > 3)
        return ALINEA_ERR_INVALID;
    err = U_ZERO_ERROR;
    n = uloc_toLanguageTag(locale, buf, (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), 1, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR || err == U_STRING_NOT_TERMINATED_WARNING)
        return ALINEA_ERR_TOO_BIG;
    if (U_FAILURE(err) || n <= 0 || strcmp(buf, "und") == 0)
        return ALINEA_ERR_INVALID;
    return ALINEA_OK;
}

alinea_status alinea__lang_primary(alinea_ctx *ctx, const char *tag, char *out, size_t cap)
{
    char norm[64];
    if (!tag || alinea_lang_normalize(tag, norm, sizeof norm) != ALINEA_OK)
        return alinea__fail(ctx, ALINEA_ERR_INVALID, "'%s' is not a language tag",
                            tag ? tag : "(null)");
    size_t k = strcspn(norm, "-");
    if (k >= cap)
        k = cap - 1;
    memcpy(out, norm, k);
    out[k] = '\0';
    return ALINEA_OK;
}

alinea_status alinea_lang_from_path(const char *path, char *buf, size_t cap)
{
    if (!path)
        return ALINEA_ERR_INVALID;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Split the base name on '.', and take the last component that is a
     * language tag, looking from the end but skipping the extension:
     * "article.en.txt" -> en; "en.txt" -> en; "fr.sent" -> fr. */
    char name[256];
    snprintf(name, sizeof name, "%s", base);
    char *parts[32];
    int np = 0;
    for (char *tok = strtok(name, "."); tok && np < 32; tok = strtok(NULL, "."))
        parts[np++] = tok;
    for (int i = np >= 2 ? np - 2 : np - 1; i >= 0; i--) {
        size_t l = strlen(parts[i]);
        int alpha2 = (l == 2 || l == 3);
        int region = (l == 5 && (parts[i][2] == '-' || parts[i][2] == '_'));
        if (!alpha2 && !region)
            continue;
        int ok = 1;
        for (size_t k = 0; k < l; k++) {
            char c = parts[i][k];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
                ok = 0;
        }
        if (!ok)
            continue;
        /* Any letter case: "EN.txt", "notes.Fr.txt". The extension itself
         * is never taken (the loop starts before it). */
        char lang[ULOC_LANG_CAPACITY];
        UErrorCode err = U_ZERO_ERROR;
        char probe[16];
        snprintf(probe, sizeof probe, "%s", parts[i]);
        for (char *q = probe; *q && *q != '-' && *q != '_'; q++)
            if (*q >= 'A' && *q <= 'Z')
                *q = (char)(*q - 'A' + 'a');
        uloc_getLanguage(probe, lang, sizeof lang, &err);
        /* Only accept codes that ICU knows as a language (ISO 639). */
        if (U_FAILURE(err) || !uloc_getISO3Language(probe)[0])
            continue;
        return alinea_lang_normalize(probe, buf, cap);
    }
    return ALINEA_ERR_INVALID;
}
