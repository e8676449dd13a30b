/* outfile.c - atomic output: temporary file in the target's directory, then rename. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* realpath */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct alinea_out {
    alinea_ctx *ctx;
    FILE *f;
    char *path; /* the name used in messages; NULL for standard output */
    char *target; /* the regular file renamed over (symlinks resolved); NULL when direct */
    char *tmp;    /* the temporary file; NULL when writing directly */
};

static void out_release(alinea_out *o)
{
    free(o->path);
    free(o->target);
    free(o->tmp);
    free(o);
}

/* A device, FIFO or socket (e.g. /dev/stdout, /dev/null, /dev/full) cannot be
 * replaced by rename(2) -- and must not be: as root that would swap the
 * device node for a regular file. Such targets are opened and written
 * directly; errors still surface at commit. */
/* Flush o->f and report whether the stream ever failed. stdio does not keep
 * the errno of a failed write, so after an error the stream is flushed once
 * more (glibc keeps unwritten data buffered) to learn why, e.g. ENOSPC. */
static int flush_failed(FILE *f, int *err)
{
    int e0 = errno;
    if (ferror(f)) {
        clearerr(f);
        errno = 0;
        if (fflush(f) != 0 && errno)
            *err = errno;
        else
            *err = e0 ? e0 : EIO;
        return 1;
    }
    errno = 0;
    if (fflush(f) != 0) {
        *err = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

static alinea_status open_direct(alinea_ctx *ctx, alinea_out *o)
{
    o->f = fopen(o->path, "wb");
    if (!o->f) {
        int e = errno;
        alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot open output: %s", o->path, strerror(e));
        out_release(o);
        return ALINEA_ERR_IO;
    }
    return ALINEA_OK;
}

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
    o->path = alinea__strdup(path);
    if (!o->path) {
        out_release(o);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        out_release(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: is a directory", path);
    }
    if (exists && !S_ISREG(st.st_mode)) {
        alinea_status rc = open_direct(ctx, o);
        if (rc == ALINEA_OK)
            *out = o;
        return rc;
    }
    /* A symbolic link to a regular file: replace the file it points to, not
     * the link. */
    struct stat lst;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        o->target = realpath(path, NULL);
    else
        o->target = alinea__strdup(path);
    if (!o->target) {
        int e = errno;
        out_release(o);
        return alinea__fail(ctx, e == ENOMEM ? ALINEA_ERR_NOMEM : ALINEA_ERR_IO, "%s: %s", path,
                            strerror(e));
    }
    size_t n = strlen(o->target);
    o->tmp = malloc(n + 32);
    if (!o->tmp) {
        out_release(o);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    /* Same directory as the target, so that rename(2) is atomic. */
    snprintf(o->tmp, n + 32, "%s.tmp-XXXXXX", o->target);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        out_release(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: cannot create output: %s", path, strerror(e));
    }
    /* Keep the permissions an ordinary fopen would give (mkstemp uses 0600),
     * or those of the file being replaced. */
    mode_t mode;
    if (exists) {
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
        out_release(o);
        return alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(e));
    }
    *out = o;
    return ALINEA_OK;
}

FILE *alinea_out_stream(alinea_out *out) { return out->f; }

alinea_status alinea_out_commit(alinea_out *o)
{
    alinea_ctx *ctx = o->ctx;
    if (!o->tmp) {
        /* Standard output or a device: flush (and close the device). */
        int e = 0;
        int bad = flush_failed(o->f, &e);
        if (o->path && fclose(o->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad)
            alinea__fail(ctx, ALINEA_ERR_IO, "%s: write error: %s",
                         o->path ? o->path : "standard output", strerror(e ? e : EIO));
        out_release(o);
        return bad ? ALINEA_ERR_IO : ALINEA_OK;
    }
    int e = 0;
    int bad = flush_failed(o->f, &e);
    if (!bad && fsync(fileno(o->f)) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(o->tmp, o->target) != 0) {
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
    if (o->tmp) {
        fclose(o->f);
        unlink(o->tmp);
    } else if (o->path) {
        fclose(o->f);
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
