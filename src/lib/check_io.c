/* check_io.c - unit pairs for the checker: TSV, two line-aligned files, or
 * TMX streamed with the TMX reader. */
#define _POSIX_C_SOURCE 200809L
#include "alinea_check.h"
#include "alinea_tmx.h"
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
};

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

static int looks_tmx(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcasecmp(path + n - 4, ".tmx") == 0)
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[64] = {0};
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[k] = 0;
    const char *p = buf;
    if (k >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return strncmp(p, "<?xml", 5) == 0 || strncmp(p, "<tmx", 4) == 0;
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
    if (srclang) {
        TRY(alinea_lang_normalize(srclang, r->srclang, sizeof r->srclang));
        r->have_src = 1;
    }
    if (tgtlang) {
        TRY(alinea_lang_normalize(tgtlang, r->tgtlang, sizeof r->tgtlang));
        r->have_tgt = 1;
    }
    if (!path2 && strcmp(path, "-") != 0 && looks_tmx(path)) {
        TRY(alinea_ctx_new(&r->tctx));
        alinea_ctx_set_warning_handler(r->tctx, forward_warning, ctx);
        if ((rc = alinea_tmx_reader_open(r->tctx, path, &r->tmx)) != ALINEA_OK) {
            rc = copy_error(r, ctx, rc);
            goto cleanup;
        }
    } else {
        r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (!r->f) {
            rc = alinea__fail(ctx, ALINEA_ERR_IO, "%s: %s", path, strerror(errno));
            goto cleanup;
        }
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

/* Read a line without its end; validates UTF-8. 1: a line, 0: EOF. */
static alinea_status read_line(alinea_pair_reader *r, FILE *f, const char *path, char **buf,
                               size_t *cap, size_t *len, int *got)
{
    errno = 0;
    ssize_t n = getline(buf, cap, f);
    if (n < 0) {
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

/* The next TMX pair, filled in *pp (*pair = NULL at the end); errors in ctx. */
static alinea_status tmx_next(alinea_pair_reader *r, alinea_ctx *ctx, alinea_pair *pp,
                              const alinea_pair **pair)
{
    alinea_status rc = ALINEA_OK;
    *pair = NULL;
for (;;) {
        const alinea_tu *tu = NULL;
        if ((rc = alinea_tmx_reader_next(r->tmx, &tu)) != ALINEA_OK)
            return copy_error(r, ctx, rc);
        if (!tu)
            return tmx_end(r, ctx);
        r->ntus++;
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
            if (!r->have_tgt)
                continue;
        }
        const alinea_tuv *tv = alinea_tu_find(tu, r->tgtlang);
        r->ntgt += tv != NULL;
        pp->src = sv->text ? sv->text : r->empty;
        pp->srclen = strlen(pp->src);
        pp->tgt = tv && tv->text ? tv->text : r->empty;
        pp->tgtlen = strlen(pp->tgt);
        pp->line = tu->line;
        pp->tu = tu;
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
            char *tab = memchr(r->line, '\t', len);
            if (!tab) {
                rc = alinea__fail(r->ctx, ALINEA_ERR_FORMAT,
                                  "%s:%zu: no tab between source and target (expected "
                                  "'source<TAB>target')",
                                  r->path, r->lineno);
                goto cleanup;
            }
            *tab = 0;
            char *tgt = tab + 1;
            char *tab2 = strchr(tgt, '\t');
            if (tab2)
                *tab2 = 0; /* further columns (other targets, notes) are ignored */
            r->pair.src = r->line;
            r->pair.srclen = (size_t)(tab - r->line);
            r->pair.tgt = tgt;
            r->pair.tgtlen = strlen(tgt);
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
