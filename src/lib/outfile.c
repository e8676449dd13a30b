/* outfile.c - atomic output: temporary file in the target's directory, then rename. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct alinea_out {
    alinea_ctx *ctx;
    FILE *f;
    char *path; /* NULL for stdout */
    char *tmp;
};

alinea_status alinea_out_open(alinea_ctx *ctx, const char *path, alinea_out **out)
{
    *out = NULL;
    alinea_out *o = calloc(1, sizeof *o);
    if (!o)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    o->ctx = ctx;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        *out = o;
        return ALINEA_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        free(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: is a directory", path);
    }
    size_t n = strlen(path);
    o->path = alinea__strdup(path);
    o->tmp = malloc(n + 32);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        free(o);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    /* Same directory as the target, so that rename(2) is atomic. */
    snprintf(o->tmp, n + 32, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->path);
        free(o->tmp);
        free(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot create output: %s", path, strerror(e));
    }
    /* Keep the permissions an ordinary fopen would give (mkstemp uses 0600),
     * or those of the file being replaced. */
    mode_t mode;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    (void)fchmod(fd, mode);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        free(o->path);
        free(o->tmp);
        free(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(e));
    }
    *out = o;
    return ALINEA_OK;
}

FILE *alinea_out_stream(alinea_out *out) { return out->f; }

static void out_release(alinea_out *o)
{
    free(o->path);
    free(o->tmp);
    free(o);
}

alinea_status alinea_out_commit(alinea_out *o)
{
    alinea_ctx *ctx = o->ctx;
    if (!o->path) {
        int bad = fflush(o->f) != 0 || ferror(o->f);
        int e = errno;
        out_release(o);
        if (bad)
            return alinea__fail(ctx, ALINEA_ERR_IO, "standard output: write error: %s", strerror(e));
        return ALINEA_OK;
    }
    int bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
    int e = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(o->tmp, o->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(o->tmp);
        alinea__fail(ctx, ALINEA_ERR_IO, "%s: write error: %s (the file was not changed)", o->path,
                     strerror(e ? e : EIO));
        out_release(o);
        return ALINEA_ERR_IO;
    }
    out_release(o);
    return ALINEA_OK;
}

void alinea_out_abort(alinea_out *o)
{
    if (!o)
        return;
    if (o->path) {
        fclose(o->f);
        unlink(o->tmp);
    } else {
        fflush(o->f);
    }
    out_release(o);
}

int alinea_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
