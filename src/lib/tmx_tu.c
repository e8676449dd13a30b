/* tmx_tu.c - look-ups in a TU, deep copies. */
#include "alinea_tmx.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const alinea_tuv *alinea_tu_find(const alinea_tu *tu, const char *lang)
{
    if (!tu || !lang || !*lang)
        return NULL;
    for (size_t i = 0; i < tu->ntuvs; i++)
        if (tu->tuvs[i].lang && strcasecmp(tu->tuvs[i].lang, lang) == 0)
            return &tu->tuvs[i];
    /* Primary subtag: "en" finds "en-US", "en-US" finds "en" or "en-GB". */
    size_t n = strcspn(lang, "-_");
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const char *l = tu->tuvs[i].lang;
        if (l && strncasecmp(l, lang, n) == 0 && (l[n] == '\0' || l[n] == '-' || l[n] == '_'))
            return &tu->tuvs[i];
    }
    return NULL;
}

const char *alinea_tu_prop(const alinea_tu *tu, const char *type)
{
    if (!tu || !type)
        return NULL;
    for (size_t i = 0; i < tu->nprops; i++)
        if (tu->props[i].type && strcmp(tu->props[i].type, type) == 0)
            return tu->props[i].value;
    return NULL;
}

const char *alinea_tu_attr(const alinea_tu *tu, const char *name)
{
    if (!tu || !name)
        return NULL;
    for (size_t i = 0; i < tu->nattrs; i++)
        if (tu->attrs[i].type && strcmp(tu->attrs[i].type, name) == 0)
            return tu->attrs[i].value;
    return NULL;
}

static char *dup0(const char *s, int *bad)
{
    if (!s)
        return NULL;
    char *d = alinea__strdup(s);
    if (!d)
        *bad = 1;
    return d;
}

static alinea_prop *dup_props(const alinea_prop *p, size_t n, int *bad)
{
    if (!n)
        return NULL;
    alinea_prop *d = calloc(n, sizeof *d);
    if (!d) {
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        d[i].type = dup0(p[i].type, bad);
        d[i].value = dup0(p[i].value, bad);
    }
    return d;
}

static char **dup_notes(char *const *s, size_t n, int *bad)
{
    if (!n)
        return NULL;
    char **d = calloc(n, sizeof *d);
    if (!d) {
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = dup0(s[i], bad);
    return d;
}

static void free_props(alinea_prop *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].type);
        free(p[i].value);
    }
    free(p);
}

static void free_notes(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

void alinea_tu_free(alinea_tu *tu)
{
    if (!tu)
        return;
    free(tu->tuid);
    free(tu->srclang);
    free_props(tu->props, tu->nprops);
    free_notes(tu->notes, tu->nnotes);
    free_props(tu->attrs, tu->nattrs);
    for (size_t i = 0; tu->tuvs && i < tu->ntuvs; i++) {
        alinea_tuv *v = &tu->tuvs[i];
        free(v->lang);
        free(v->text);
        for (size_t k = 0; v->codes && k < v->ncodes; k++) {
            free(v->codes[k].element);
            free(v->codes[k].xml);
        }
        free(v->codes);
        free_props(v->props, v->nprops);
        free_notes(v->notes, v->nnotes);
        free_props(v->attrs, v->nattrs);
    }
    free(tu->tuvs);
    free(tu);
}

alinea_status alinea_tu_copy(alinea_ctx *ctx, const alinea_tu *tu, alinea_tu **out)
{
    int bad = 0;
    *out = NULL;
    alinea_tu *d = calloc(1, sizeof *d);
    if (!d)
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    d->line = tu->line;
    d->tuid = dup0(tu->tuid, &bad);
    d->srclang = dup0(tu->srclang, &bad);
    d->props = dup_props(tu->props, tu->nprops, &bad);
    d->nprops = d->props ? tu->nprops : 0;
    d->notes = dup_notes(tu->notes, tu->nnotes, &bad);
    d->nnotes = d->notes ? tu->nnotes : 0;
    d->attrs = dup_props(tu->attrs, tu->nattrs, &bad);
    d->nattrs = d->attrs ? tu->nattrs : 0;
    if (tu->ntuvs) {
        d->tuvs = calloc(tu->ntuvs, sizeof *d->tuvs);
        if (!d->tuvs)
            bad = 1;
        else
            d->ntuvs = tu->ntuvs;
    }
    for (size_t i = 0; d->tuvs && i < tu->ntuvs; i++) {
        const alinea_tuv *s = &tu->tuvs[i];
        alinea_tuv *v = &d->tuvs[i];
        v->lang = dup0(s->lang, &bad);
        v->text = dup0(s->text, &bad);
        if (s->ncodes) {
            v->codes = calloc(s->ncodes, sizeof *v->codes);
            if (!v->codes)
                bad = 1;
            else
                v->ncodes = s->ncodes;
            for (size_t k = 0; v->codes && k < s->ncodes; k++) {
                v->codes[k].element = dup0(s->codes[k].element, &bad);
                v->codes[k].xml = dup0(s->codes[k].xml, &bad);
            }
        }
        v->props = dup_props(s->props, s->nprops, &bad);
        v->nprops = v->props ? s->nprops : 0;
        v->notes = dup_notes(s->notes, s->nnotes, &bad);
        v->nnotes = v->notes ? s->nnotes : 0;
        v->attrs = dup_props(s->attrs, s->nattrs, &bad);
        v->nattrs = v->attrs ? s->nattrs : 0;
    }
    if (bad) {
        alinea_tu_free(d);
        return alinea__fail(ctx, ALINEA_ERR_NOMEM, "out of memory");
    }
    *out = d;
    return ALINEA_OK;
}
