/* check_io.c - unit pairs for the checker: TSV, two line-aligned files, or
 * TMX streamed with the TMX reader. */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "alinea_text.h"
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unicode/utf8.h>

/* Read-ahead of a TMX (alinea_pair_reader_prefetch): a thread parses the TMX
 * (libxml2) while the caller checks the previous units. Pairs are copied
 * into a ring of PF_SLOTS slots; the slot handed out last stays untouched
 * until the next call. */
#define PF_SLOTS 64u

typedef struct pf_slot {
    char *src, *tgt;
    size_t srclen, tgtlen, srccap, tgtcap;
    size_t line;
    alinea_status rc; /* ALINEA_OK with eof = 0: a pair */
    int eof;
    char errmsg[1024];
} pf_slot;

struct alinea_pair_reader {
    alinea_ctx *ctx;
    alinea_ctx *tctx;  /* TMX reader's own context (errors copied to ctx; warnings forwarded) */
    int prefetch;      /* requested */
    int started;       /* thread running */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv_data, cv_room;
    pf_slot *slots;
    size_t head, tail; /* slots [tail, head) are filled; tail-1 is the one handed out */
    int stop, done, handed, out_valid;
    int prod_wait, cons_wait; /* a thread sleeps on cv_room / cv_data */
    char *path, *path2;
    FILE *f, *f2;
    alinea_tmx_reader *tmx;
    char srclang[64], tgtlang[64];
    int have_src, have_tgt;
    char *line, *line2;
    size_t cap, cap2;
    size_t lineno;
    alinea_pair pair;
    char *empty;
    size_t ntus, nsrc, ntgt; /* TMX: TUs read, with the source TUV, with the target TUV */
    char seen[256];          /* TMX: languages seen, for the error message */
    /* TSV: the bytes read to sniff the format, handed out before the rest of
     * the stream (a pipe or FIFO is read once) */
    char pend[512];
    size_t npend, pendpos;
    char *decoded; /* TSV in UTF-16: the whole file decoded (alinea_text_decode) */
    /* TSV columns: ncols expected per line (2, or the header's count) and
     * the 0-based source and target columns */
    size_t ncols, scol, tcol;
    size_t hdr_line;         /* line of the header, 0: none */
    int header_done;
    int user_src, user_tgt; /* -s / -t given */
    /* TMX: while no TU has had the target language, the TUs without it are
     * spooled (source text and line) instead of being handed out, so that a
     * target language that is nowhere in the file fails once, with no
     * finding before; replayed as empty targets once the target shows up. */
    FILE *spool;
    size_t nspool;
    int replaying;
    alinea_pair held;  /* the pair that ended the spooling, handed out after the replay */
    char *spbuf;
    size_t spcap;
    /* the same without read-ahead (--annotate needs the TUs): copies of up
     * to HOLD_MAX TUs kept in memory, then handed out as they come */
    alinea_tu **hold;
    size_t nhold, holdcap, holdpos;
    alinea_tu *holdcur; /* the copy handed out last */
    int hold_off;
};

#define HOLD_MAX 4096u

static void note_langs(alinea_pair_reader *r, const alinea_tu *tu)
{
    for (size_t k = 0; k < tu->ntuvs; k++) {
        const char *l = tu->tuvs[k].lang;
        if (!l || strlen(l) > 40)
            continue;
        char key[48];
        snprintf(key, sizeof key, " %s,", l);
        if (!strstr(r->seen, key) && strlen(r->seen) + strlen(key) < sizeof r->seen)
            strcat(r->seen, key);
    }
}

/* At the end of a TMX: a language pair that never occurred is an input error. */
static alinea_status tmx_end(alinea_pair_reader *r, alinea_ctx *ctx)
{
    if (r->ntus == 0)
        return ALINEA_OK;
    size_t n = strlen(r->seen);
    if (n && r->seen[n - 1] == ',')
        r->seen[n - 1] = 0;
    if (r->nsrc == 0)
        return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                            "%s: no TU has a TUV in the source language '%s' (languages:%s); "
                            "pick one with -s",
                            r->path, r->have_src ? r->srclang : "?", r->seen);
    if (r->ntgt == 0)
        return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                            "%s: no TU has a TUV in the target language '%s' (languages:%s); "
                            "pick one with -t",
                            r->path, r->have_tgt ? r->tgtlang : "?", r->seen);
    return ALINEA_OK;
}

static void forward_warning(void *ctx, const char *msg) { alinea__warn(ctx, "%s", msg); }

/* The TMX reader's error, as an error of the pair reader's context. */
static alinea_status copy_error(alinea_pair_reader *r, alinea_ctx *ctx, alinea_status rc)
{
    if (ctx == r->tctx)
        return rc;
    return alinea__fail(ctx, rc, "%s", alinea_ctx_errmsg(r->tctx));
}

static int ends_tmx(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".tmx") == 0;
}

/* What the first bytes of a file say: 'x' XML (TMX), 'u' UTF-16 text (a BOM,
 * or NUL bytes: alinea_text_decode tells which and how to convert), 0 text. */
static int sniff(const char *b, size_t k)
{
    if (k >= 2 && ((unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xFE)) {
        return k >= 4 && b[2] == '<' && b[3] == 0 ? 'x' : 'u';
    }
    if (k >= 2 && ((unsigned char)b[0] == 0xFE && (unsigned char)b[1] == 0xFF)) {
        return k >= 4 && b[2] == 0 && b[3] == '<' ? 'x' : 'u';
    }
    if (memchr(b, 0, k))
        return 'u';
    size_t i = 0;
    if (k >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < k && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
        i++;
    if ((k - i >= 5 && strncmp(b + i, "<?xml", 5) == 0) ||
        (k - i >= 4 && strncmp(b + i, "<tmx", 4) == 0))
        return 'x';
    return 0;
}

/* TSV in UTF-16: read the whole stream (the sniffed bytes, then the rest)
 * and decode it with alinea_text_decode, which converts UTF-16 with a BOM
 * and names the problem otherwise ("looks like UTF-16 without a byte-order
 * mark; convert it ..."). The decoded text is then read line by line. */
static alinea_status load_utf16(alinea_pair_reader *r)
{
    alinea_status rc = ALINEA_OK;
    alinea_buf b;
    alinea__buf_init(&b, ALINEA_MAX_INPUT_BYTES);
    char *out = NULL;
    size_t outlen = 0;
    TRY(alinea__buf_add(r->ctx, &b, r->pend, r->npend));
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, r->f)) > 0)
        TRY(alinea__buf_add(r->ctx, &b, chunk, k));
    if (ferror(r->f)) {
        rc = alinea__fail(r->ctx, ALINEA_ERR_IO, "%s: %s", r->path, strerror(errno));
        goto cleanup;
    }
    TRY(alinea_text_decode(r->ctx, r->path, b.data ? b.data : "", b.len, 0, &out, &outlen));
    FILE *m = fmemopen(out, outlen ? outlen : 1, "rb");
    if (!m) {
        rc = alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "%s: %s", r->path, strerror(errno));
        goto cleanup;
    }
    if (!outlen) /* fmemopen needs a size of 1 or more: nothing to read */
        fseek(m, 0, SEEK_END);
    if (r->f != stdin)
        fclose(r->f);
    r->f = m;
    r->decoded = out;
    out = NULL;
    r->npend = r->pendpos = 0;
cleanup:
    alinea_free(out);
    alinea__buf_free(&b);
    return rc;
}

alinea_status alinea_pair_reader_open(alinea_ctx *ctx, const char *path, const char *path2,
                                      const char *srclang, const char *tgtlang,
                                      alinea_pair_reader **out)
{
    alinea_status rc = ALINEA_OK;
    *out = NULL;
    alinea_pair_reader *r = calloc(1, sizeof *r);
    CHECK_ALLOC(ctx, r);
    r->ctx = ctx;
    r->path = alinea__strdup(path);
    CHECK_ALLOC(ctx, r->path);
    r->empty = alinea__strdup("");
    CHECK_ALLOC(ctx, r->empty);
    r->ncols = 2;
    r->scol = 0;
    r->tcol = 1;
    if (srclang) {
        TRY(alinea_lang_normalize(srclang, r->srclang, sizeof r->srclang));
        r->have_src = r->user_src = 1;
    }
    if (tgtlang) {
        TRY(alinea_lang_normalize(tgtlang, r->tgtlang, sizeof r->tgtlang));
        r->have_tgt = r->user_tgt = 1;
    }
    int is_stdin = strcmp(path, "-") == 0;
    int tmx = !path2 && !is_stdin && ends_tmx(path);
    if (!tmx) {
        /* one open, one read: the format is sniffed from the stream itself,
         * so that a pipe or a FIFO works (it cannot be read twice) */
        r->f = is_stdin ? stdin : fopen(path, "rb");
        if (!r->f) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
            goto cleanup;
        }
        struct stat sb;
        if (fstat(fileno(r->f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: is a directory", path);
            goto cleanup;
        }
        if (!path2) {
            r->npend = fread(r->pend, 1, sizeof r->pend, r->f);
            if (ferror(r->f)) {
                rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
                goto cleanup;
            }
            int kind = sniff(r->pend, r->npend);
            if (kind == 'x') {
                int regular = fstat(fileno(r->f), &sb) == 0 && S_ISREG(sb.st_mode);
                if (!regular || (is_stdin && fseek(r->f, 0, SEEK_SET) != 0)) {
                    rc = alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                      "%s: looks like TMX, but it is a pipe or FIFO and is not "
                                      "named *.tmx; name it *.tmx, or save it to a file first",
                                      is_stdin ? "standard input" : path);
                    goto cleanup;
                }
                if (!is_stdin)
                    fclose(r->f);
                r->f = NULL;
                r->npend = 0;
                tmx = 1;
            } else if (kind == 'u') {
                TRY(load_utf16(r));
            }
        }
    }
    if (tmx) {
        TRY(alinea_ctx_new(&r->tctx));
        alinea_ctx_set_warning_handler(r->tctx, forward_warning, ctx);
        if ((rc = alinea_tmx_reader_open(r->tctx, path, &r->tmx)) != ALINEA_OK) {
            rc = copy_error(r, ctx, rc);
            goto cleanup;
        }
    } else {
        if (path2) {
            r->path2 = alinea__strdup(path2);
            CHECK_ALLOC(ctx, r->path2);
            r->f2 = fopen(path2, "rb");
            if (!r->f2) {
                rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path2, strerror(errno));
                goto cleanup;
            }
        }
        if (!r->have_src) {
            strcpy(r->srclang, "fr");
            r->have_src = 1;
        }
        if (!r->have_tgt) {
            strcpy(r->tgtlang, "en");
            r->have_tgt = 1;
        }
    }
    *out = r;
    r = NULL;
cleanup:
    alinea_pair_reader_free(r);
    return rc;
}

void alinea_pair_reader_free(alinea_pair_reader *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stop = 1;
        pthread_cond_broadcast(&r->cv_room);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv_data);
        pthread_cond_destroy(&r->cv_room);
    }
    if (r->slots) {
        for (size_t i = 0; i < PF_SLOTS; i++) {
            free(r->slots[i].src);
            free(r->slots[i].tgt);
        }
        free(r->slots);
    }
    if (r->f && r->f != stdin)
        fclose(r->f);
    if (r->f2)
        fclose(r->f2);
    alinea_tmx_reader_free(r->tmx);
    alinea_ctx_free(r->tctx);
    if (r->spool)
        fclose(r->spool);
    for (size_t i = r->holdpos; i < r->nhold; i++)
        alinea_tu_free(r->hold[i]);
    free(r->hold);
    alinea_tu_free(r->holdcur);
    free(r->spbuf);
    alinea_free(r->decoded);
    free(r->line);
    free(r->line2);
    free(r->path);
    free(r->path2);
    free(r->empty);
    free(r);
}

const char *alinea_pair_reader_srclang(const alinea_pair_reader *r)
{
    return r->have_src ? r->srclang : NULL;
}
const char *alinea_pair_reader_tgtlang(const alinea_pair_reader *r)
{
    return r->have_tgt ? r->tgtlang : NULL;
}
int alinea_pair_reader_is_tmx(const alinea_pair_reader *r) { return r->tmx != NULL; }

/* getline() on r->f, the sniffed bytes first. */
static ssize_t pend_getline(alinea_pair_reader *r, char **buf, size_t *cap)
{
    if (r->pendpos >= r->npend)
        return getline(buf, cap, r->f);
    const char *p = r->pend + r->pendpos;
    size_t avail = r->npend - r->pendpos;
    const char *nl = memchr(p, '\n', avail);
    size_t take = nl ? (size_t)(nl - p) + 1 : avail;
    char *more = NULL;
    size_t mcap = 0;
    ssize_t m = 0;
    if (!nl) {
        errno = 0;
        m = getline(&more, &mcap, r->f);
        if (m < 0) {
            if (ferror(r->f)) {
                free(more);
                return -1;
            }
            m = 0;
        }
    }
    size_t need = take + (size_t)m + 1;
    if (*cap < need) {
        char *nb = realloc(*buf, need);
        if (!nb) {
            free(more);
            errno = ENOMEM;
            return -1;
        }
        *buf = nb;
        *cap = need;
    }
    memcpy(*buf, p, take);
    if (m)
        memcpy(*buf + take, more, (size_t)m);
    (*buf)[take + (size_t)m] = 0;
    free(more);
    r->pendpos += take;
    return (ssize_t)(take + (size_t)m);
}

/* Read a line without its end; validates UTF-8. 1: a line, 0: EOF. */
static alinea_status read_line(alinea_pair_reader *r, FILE *f, const char *path, char **buf,
                               size_t *cap, size_t *len, int *got)
{
    errno = 0;
    ssize_t n = f == r->f ? pend_getline(r, buf, cap) : getline(buf, cap, f);
    if (n < 0) {
        if (errno == ENOMEM)
            return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
        if (ferror(f))
            return alinea__fail(r->ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
        *got = 0;
        return ALINEA_OK;
    }
    size_t l = (size_t)n;
    if (l && (*buf)[l - 1] == '\n')
        l--;
    if (l && (*buf)[l - 1] == '\r')
        l--;
    (*buf)[l] = 0;
    if (l > ALINEA_MAX_SEGMENT_BYTES * 2)
        return alinea__fail(r->ctx, ALINEA_ERR_TOO_BIG, "%s:%zu: line longer than %zu bytes",
                            path, r->lineno, (size_t)ALINEA_MAX_SEGMENT_BYTES * 2);
    const char *s = *buf;
    size_t off = (r->lineno == 1 && l >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (off) {
        memmove(*buf, *buf + 3, l - 2);
        l -= 3;
    }
    int32_t i = 0;
    while (i < (int32_t)l) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)l, c);
        if (c < 0)
            return alinea__fail(r->ctx, ALINEA_ERR_ENCODING, "%s:%zu: byte %d: invalid UTF-8",
                                path, r->lineno, (int)at + 1 + (int)off);
        if (c == 0)
            return alinea__fail(r->ctx, ALINEA_ERR_ENCODING,
                                "%s:%zu: byte %d: NUL byte (binary file?)", path, r->lineno,
                                (int)at + 1 + (int)off);
    }
    *len = l;
    *got = 1;
    return ALINEA_OK;
}

/* Spool a pair without a target (see struct alinea_pair_reader). */
static alinea_status spool_pair(alinea_pair_reader *r, alinea_ctx *ctx, const char *src,
                                size_t n, size_t line)
{
    if (!r->spool && !(r->spool = tmpfile()))
        return alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: %s", strerror(errno));
    size_t hdr[2] = {line, n};
    if (fwrite(hdr, sizeof hdr, 1, r->spool) != 1 || (n && fwrite(src, 1, n, r->spool) != n))
        return alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: %s", strerror(errno));
    r->nspool++;
    return ALINEA_OK;
}

/* The next spooled pair (empty target), then the held one. */
static alinea_status replay_next(alinea_pair_reader *r, alinea_ctx *ctx, alinea_pair *pp,
                                 const alinea_pair **pair)
{
    if (r->nspool == 0) {
        r->replaying = 0;
        fclose(r->spool);
        r->spool = NULL;
        *pp = r->held;
        *pair = pp;
        return ALINEA_OK;
    }
    size_t hdr[2];
    if (fread(hdr, sizeof hdr, 1, r->spool) != 1)
        return alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: cannot read it back");
    if (alinea__grow(ctx, (void **)&r->spbuf, &r->spcap, hdr[1] + 1, 1) != ALINEA_OK)
        return ALINEA_ERR_NOMEM;
    if (hdr[1] && fread(r->spbuf, 1, hdr[1], r->spool) != hdr[1])
        return alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: cannot read it back");
    r->spbuf[hdr[1]] = 0;
    r->nspool--;
    pp->src = r->spbuf;
    pp->srclen = hdr[1];
    pp->tgt = r->empty;
    pp->tgtlen = 0;
    pp->line = hdr[0];
    pp->tu = NULL;
    *pair = pp;
    return ALINEA_OK;
}

/* The next held TU copy (empty target), then the held pair. */
static alinea_status hold_next(alinea_pair_reader *r, alinea_pair *pp, const alinea_pair **pair)
{
    alinea_tu_free(r->holdcur);
    r->holdcur = NULL;
    if (r->holdpos == r->nhold) {
        r->nhold = r->holdpos = 0;
        r->replaying = 0;
        *pp = r->held;
        *pair = pp;
        return ALINEA_OK;
    }
    alinea_tu *c = r->hold[r->holdpos];
    r->hold[r->holdpos++] = NULL;
    r->holdcur = c;
    const alinea_tuv *sv = alinea_tu_find(c, r->srclang);
    pp->src = sv && sv->text ? sv->text : r->empty;
    pp->srclen = strlen(pp->src);
    pp->tgt = r->empty;
    pp->tgtlen = 0;
    pp->line = c->line;
    pp->tu = c;
    *pair = pp;
    return ALINEA_OK;
}

/* The next TMX pair, filled in *pp (*pair = NULL at the end); errors in ctx. */
static alinea_status tmx_next(alinea_pair_reader *r, alinea_ctx *ctx, alinea_pair *pp,
                              const alinea_pair **pair)
{
    alinea_status rc = ALINEA_OK;
    *pair = NULL;
    if (r->replaying == 1)
        return replay_next(r, ctx, pp, pair);
    if (r->replaying == 2)
        return hold_next(r, pp, pair);
    for (;;) {
        const alinea_tu *tu = NULL;
        if ((rc = alinea_tmx_reader_next(r->tmx, &tu)) != ALINEA_OK)
            return copy_error(r, ctx, rc);
        if (!tu)
            return tmx_end(r, ctx);
        r->ntus++;
        for (size_t k = 0; k < tu->ntuvs; k++)
            if (!tu->tuvs[k].lang || !tu->tuvs[k].lang[0])
                return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                    "%s:%zu: <tuv> without xml:lang (TMX requires it): its "
                                    "language is unknown, so source and target cannot be told "
                                    "apart; add xml:lang",
                                    r->path, tu->line);
        if (r->seen[0] == 0 || r->ntus < 100)
            note_langs(r, tu);
        if (!r->have_src) {
            const char *h = tu->srclang ? tu->srclang : alinea_tmx_reader_srclang(r->tmx);
            if (!h || strcmp(h, "*all*") == 0)
                h = tu->ntuvs ? tu->tuvs[0].lang : NULL;
            if (!h)
                continue;
            snprintf(r->srclang, sizeof r->srclang, "%s", h);
            r->have_src = 1;
        }
        const alinea_tuv *sv = alinea_tu_find(tu, r->srclang);
        if (!sv)
            continue; /* a TU without the source language */
        r->nsrc++;
        if (!r->have_tgt) {
            size_t pl = strcspn(r->srclang, "-_");
            for (size_t k = 0; k < tu->ntuvs && !r->have_tgt; k++) {
                const char *l = tu->tuvs[k].lang;
                if (l && !(strncasecmp(l, r->srclang, pl) == 0 &&
                           (l[pl] == 0 || l[pl] == '-' || l[pl] == '_'))) {
                    snprintf(r->tgtlang, sizeof r->tgtlang, "%s", l);
                    r->have_tgt = 1;
                }
            }
        }
        const alinea_tuv *tv = r->have_tgt ? alinea_tu_find(tu, r->tgtlang) : NULL;
        r->ntgt += tv != NULL;
        const char *src = sv->text ? sv->text : r->empty;
        if (!tv && r->ntgt == 0) {
            /* no target language seen yet: spool (read-ahead mode, where
             * the TU itself is not needed), else hand out an empty target
             * (or skip while the target language is unknown) */
            if (r->prefetch) {
                if ((rc = spool_pair(r, ctx, src, strlen(src), tu->line)) != ALINEA_OK)
                    return rc;
                continue;
            }
            if (!r->hold_off) {
                if (r->nhold < HOLD_MAX) {
                    alinea_tu *c = NULL;
                    if ((rc = alinea__grow(ctx, (void **)&r->hold, &r->holdcap, r->nhold + 1,
                                           sizeof *r->hold)) != ALINEA_OK ||
                        (rc = alinea_tu_copy(ctx, tu, &c)) != ALINEA_OK)
                        return rc;
                    r->hold[r->nhold++] = c;
                    continue;
                }
                if (!r->have_tgt)
                    return alinea__fail(ctx, ALINEA_ERR_FORMAT,
                                        "%s:%zu: %u TUs without a language other than '%s': "
                                        "cannot tell the target language; pick one with -t",
                                        r->path, tu->line, HOLD_MAX, r->srclang);
                r->hold_off = 1; /* too many to keep: hand them out as they come */
            }
        }
        pp->src = src;
        pp->srclen = strlen(pp->src);
        pp->tgt = tv && tv->text ? tv->text : r->empty;
        pp->tgtlen = strlen(pp->tgt);
        pp->line = tu->line;
        pp->tu = tu;
        if (r->nspool) {
            /* the target language has shown up: the spooled pairs first */
            r->held = *pp;
            r->held.tu = NULL;
            if (fflush(r->spool) != 0 || fseek(r->spool, 0, SEEK_SET) != 0)
                return alinea__fail(ctx, ALINEA_ERR_IO, "temporary file: %s", strerror(errno));
            r->replaying = 1;
            return replay_next(r, ctx, pp, pair);
        }
        if (r->nhold > r->holdpos) {
            r->held = *pp; /* tu stays valid: the reader does not move during the replay */
            r->replaying = 2;
            return hold_next(r, pp, pair);
        }
        *pair = pp;
        return ALINEA_OK;
    }
}

/* Reader thread: fills the ring until the end, an error, or stop. */
static void *pf_main(void *arg)
{
    alinea_pair_reader *r = arg;
    for (;;) {
        const alinea_pair *p = NULL;
        alinea_pair buf;
        alinea_status rc = tmx_next(r, r->tctx, &buf, &p);
        pthread_mutex_lock(&r->mu);
        if (!r->stop && r->head - r->tail >= PF_SLOTS - 1) {
            /* full: sleep until a quarter of the ring is free again, so that
             * the threads do not wake each other for every unit */
            r->prod_wait = 1;
            while (!r->stop && r->head - r->tail > PF_SLOTS * 3 / 4)
                pthread_cond_wait(&r->cv_room, &r->mu);
            r->prod_wait = 0;
        }
        if (r->stop) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        pthread_mutex_unlock(&r->mu);
        /* the slot at head is neither filled nor handed out: ours */
        pf_slot *sl = &r->slots[r->head % PF_SLOTS];
        sl->rc = rc;
        sl->eof = rc == ALINEA_OK && !p;
        if (rc != ALINEA_OK)
            snprintf(sl->errmsg, sizeof sl->errmsg, "%s", alinea_ctx_errmsg(r->tctx));
        if (p) {
            if (alinea__grow(r->tctx, (void **)&sl->src, &sl->srccap, p->srclen + 1, 1) != ALINEA_OK ||
                alinea__grow(r->tctx, (void **)&sl->tgt, &sl->tgtcap, p->tgtlen + 1, 1) != ALINEA_OK) {
                sl->rc = ALINEA_ERR_NOMEM;
                snprintf(sl->errmsg, sizeof sl->errmsg, "out of memory");
                p = NULL;
            } else {
                memcpy(sl->src, p->src, p->srclen + 1);
                memcpy(sl->tgt, p->tgt, p->tgtlen + 1);
                sl->srclen = p->srclen;
                sl->tgtlen = p->tgtlen;
                sl->line = p->line;
            }
        }
        pthread_mutex_lock(&r->mu);
        r->head++;
        int last = !p;
        if (last)
            r->done = 1;
        if (r->cons_wait && (last || r->head - r->tail >= PF_SLOTS / 4))
            pthread_cond_signal(&r->cv_data);
        pthread_mutex_unlock(&r->mu);
        if (last)
            return NULL;
    }
}

alinea_status alinea_pair_reader_prefetch(alinea_pair_reader *r)
{
    if (r->tmx)
        r->prefetch = 1;
    return ALINEA_OK;
}

/* The next pair from the reader thread (started on the first call). */
static alinea_status pf_next(alinea_pair_reader *r, const alinea_pair **pair)
{
    *pair = NULL;
    if (!r->started) {
        r->slots = calloc(PF_SLOTS, sizeof *r->slots);
        if (!r->slots)
            return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "out of memory");
        if (pthread_mutex_init(&r->mu, NULL) != 0)
            return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "cannot create a mutex");
        if (pthread_cond_init(&r->cv_data, NULL) != 0) {
            pthread_mutex_destroy(&r->mu);
            return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "cannot create a condition variable");
        }
        if (pthread_cond_init(&r->cv_room, NULL) != 0) {
            pthread_cond_destroy(&r->cv_data);
            pthread_mutex_destroy(&r->mu);
            return alinea__fail(r->ctx, ALINEA_ERR_NOMEM, "cannot create a condition variable");
        }
        if (pthread_create(&r->thread, NULL, pf_main, r) != 0) {
            pthread_cond_destroy(&r->cv_room);
            pthread_cond_destroy(&r->cv_data);
            pthread_mutex_destroy(&r->mu);
            r->prefetch = 0; /* no thread: read in this one */
            return tmx_next(r, r->ctx, &r->pair, pair);
        }
        r->started = 1; /* head, tail and out_valid are 0 from calloc */
    }
    pthread_mutex_lock(&r->mu);
    if (r->out_valid) { /* release the slot handed out last */
        r->tail++;
        r->out_valid = 0;
        if (r->prod_wait && r->head - r->tail <= PF_SLOTS * 3 / 4)
            pthread_cond_signal(&r->cv_room);
    }
    if (r->head == r->tail) {
        /* empty: sleep until a quarter of the ring is filled (or the end) */
        r->cons_wait = 1;
        while (!r->done && r->head - r->tail < PF_SLOTS / 4)
            pthread_cond_wait(&r->cv_data, &r->mu);
        r->cons_wait = 0;
    }
    pthread_mutex_unlock(&r->mu);
    pf_slot *sl = &r->slots[r->tail % PF_SLOTS];
    if (sl->rc != ALINEA_OK)
        return alinea__fail(r->ctx, sl->rc, "%s", sl->errmsg);
    if (sl->eof)
        return ALINEA_OK; /* the slot stays: every later call ends here too */
    r->out_valid = 1;
    r->pair.src = sl->src;
    r->pair.srclen = sl->srclen;
    r->pair.tgt = sl->tgt;
    r->pair.tgtlen = sl->tgtlen;
    r->pair.line = sl->line;
    r->pair.tu = NULL;
    *pair = &r->pair;
    return ALINEA_OK;
}

/* A TSV header column: a language tag (2-3 lower-case letters, then
 * subtags), e.g. "fr", "en-GB", "pt_BR". two: a 2-letter primary subtag. */
static int is_tag(const char *s, size_t n, int two, char *norm, size_t cap)
{
    size_t i = 0;
    while (i < n && s[i] >= 'a' && s[i] <= 'z')
        i++;
    if (i < 2 || i > 3 || (two && i != 2) || n > 35)
        return 0;
    for (; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    char buf[40];
    memcpy(buf, s, n);
    buf[n] = 0;
    return alinea_lang_normalize(buf, norm, cap) == ALINEA_OK;
}

/* The column of lang among the header's tags: exact, else same primary subtag. */
static size_t find_col(char (*tags)[64], size_t n, const char *lang)
{
    for (size_t c = 0; c < n; c++)
        if (strcasecmp(tags[c], lang) == 0)
            return c;
    size_t pl = strcspn(lang, "-_");
    for (size_t c = 0; c < n; c++)
        if (strcspn(tags[c], "-_") == pl && strncasecmp(tags[c], lang, pl) == 0)
            return c;
    return (size_t)-1;
}

/* The first line of a TSV (r->line, len bytes, ncols columns): a header
 * when every column is a language tag (for two columns, two-letter tags:
 * "fr<TAB>en"); then the source is the column of -s (default: the first)
 * and the target the column of -t (default: the first other one). */
static alinea_status tsv_header(alinea_pair_reader *r, size_t ncols, int *is_hdr)
{
    *is_hdr = 0;
    if (ncols > 16)
        return ALINEA_OK;
    char tags[16][64];
    const char *q = r->line;
    size_t len = strlen(r->line);
    for (size_t c = 0; c < ncols; c++) {
        const char *e = memchr(q, '\t', len - (size_t)(q - r->line));
        if (!e)
            e = r->line + len;
        if (!is_tag(q, (size_t)(e - q), ncols == 2, tags[c], sizeof tags[c]))
            return ALINEA_OK;
        q = e + 1;
    }
    char list[16 * 66] = "";
    for (size_t c = 0; c < ncols; c++) {
        strcat(list, c ? ", " : "");
        strcat(list, tags[c]);
    }
    size_t sc = r->user_src ? find_col(tags, ncols, r->srclang) : 0;
    if (sc == (size_t)-1)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s:%zu: the header has no column for the source language '%s' "
                            "(columns: %s); pick one with -s",
                            r->path, r->lineno, r->srclang, list);
    size_t tc = (size_t)-1;
    if (r->user_tgt) {
        tc = find_col(tags, ncols, r->tgtlang);
        if (tc == (size_t)-1)
            return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                "%s:%zu: the header has no column for the target language '%s' "
                                "(columns: %s); pick one with -t",
                                r->path, r->lineno, r->tgtlang, list);
    } else {
        tc = sc == 0 ? 1 : 0;
    }
    if (tc == sc)
        return alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                            "%s:%zu: source and target are the same column '%s'", r->path,
                            r->lineno, tags[sc]);
    snprintf(r->srclang, sizeof r->srclang, "%.40s", tags[sc]);
    snprintf(r->tgtlang, sizeof r->tgtlang, "%.40s", tags[tc]);
    r->scol = sc;
    r->tcol = tc;
    r->ncols = ncols;
    r->hdr_line = r->lineno;
    *is_hdr = 1;
    return ALINEA_OK;
}

alinea_status alinea_pair_reader_next(alinea_pair_reader *r, const alinea_pair **pair)
{
    alinea_status rc = ALINEA_OK;
    *pair = NULL;
    if (r->tmx && r->prefetch && r->handed) /* from the second pair on */
        return pf_next(r, pair);
    if (r->tmx) {
        rc = tmx_next(r, r->ctx, &r->pair, pair);
        if (rc == ALINEA_OK && *pair)
            r->handed = 1;
        return rc;
    }
    for (;;) {
        int got = 0, got2 = 0;
        size_t len = 0, len2 = 0;
        r->lineno++;
        TRY(read_line(r, r->f, r->path, &r->line, &r->cap, &len, &got));
        if (r->f2) {
            TRY(read_line(r, r->f2, r->path2, &r->line2, &r->cap2, &len2, &got2));
            if (got != got2) {
                rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                  "%s and %s: not the same number of lines (%s ends at line %zu)",
                                  r->path, r->path2, got ? r->path2 : r->path, r->lineno - 1);
                goto cleanup;
            }
            if (!got)
                return ALINEA_OK;
            r->pair.src = r->line;
            r->pair.srclen = len;
            r->pair.tgt = r->line2;
            r->pair.tgtlen = len2;
        } else {
            if (!got)
                return ALINEA_OK;
            if (len == 0)
                continue; /* empty lines are skipped */
            size_t ncols = 1;
            for (const char *q = r->line; (q = memchr(q, '\t', len - (size_t)(q - r->line)));
                 q++)
                ncols++;
            if (ncols == 1) {
                rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: no tab between source and target (expected "
                                  "'source<TAB>target')",
                                  r->path, r->lineno);
                goto cleanup;
            }
            if (!r->header_done) {
                r->header_done = 1;
                int hdr;
                TRY(tsv_header(r, ncols, &hdr));
                if (hdr)
                    continue;
            }
            if (ncols != r->ncols) {
                if (r->hdr_line)
                    rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                      "%s:%zu: %zu columns; the header (line %zu) has %zu",
                                      r->path, r->lineno, ncols, r->hdr_line, r->ncols);
                else
                    rc = alinea__fail(
                        r->ctx, ALINEA_ERR_FORMAT,
                        "%s:%zu: %zu columns; expected source<TAB>target. For several targets, "
                        "start the file with a header line of language tags (fr<TAB>en<TAB>nl) "
                        "and pick one with -t, or make a TMX (alinea align -o x.tmx fr.txt "
                        "en.txt nl.txt) and run alinea check -t nl x.tmx",
                        r->path, r->lineno, ncols);
                goto cleanup;
            }
            char *col[2] = {NULL, NULL};
            size_t clen[2] = {0, 0};
            char *q = r->line;
            for (size_t c = 0; c < ncols; c++) {
                char *e = c + 1 < ncols ? memchr(q, '\t', len - (size_t)(q - r->line))
                                        : r->line + len;
                *e = 0;
                if (c == r->scol)
                    col[0] = q, clen[0] = (size_t)(e - q);
                if (c == r->tcol)
                    col[1] = q, clen[1] = (size_t)(e - q);
                q = e + 1;
            }
            r->pair.src = col[0];
            r->pair.srclen = clen[0];
            r->pair.tgt = col[1];
            r->pair.tgtlen = clen[1];
        }
        if (r->pair.srclen > ALINEA_MAX_SEGMENT_BYTES || r->pair.tgtlen > ALINEA_MAX_SEGMENT_BYTES) {
            rc = alinea__fail(r->ctx, ALINEA_ERR_TOO_BIG, "%s:%zu: segment longer than %zu bytes",
                              r->path, r->lineno, (size_t)ALINEA_MAX_SEGMENT_BYTES);
            goto cleanup;
        }
        r->pair.line = r->lineno;
        r->pair.tu = NULL;
        *pair = &r->pair;
        return ALINEA_OK;
    }
cleanup:
    return rc;
}
