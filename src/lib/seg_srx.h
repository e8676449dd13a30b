/*
 * seg_srx.h - SRX 2.0 rule engine used by segment.c (internal).
 *
 * SRX 2.0 (LISA/GALA, 2008): <languagerules> hold ordered <rule break="yes|no">
 * with <beforebreak>/<afterbreak> regular expressions (Java syntax, run with
 * ICU uregex); <maprules> map a language code (regex) to rule sets, and with
 * cascade="yes" every matching set applies, in map order.
 */
#ifndef ALINEA_SEG_SRX_H
#define ALINEA_SEG_SRX_H

#include "alinea_segment.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* Rule ids of SRX rules in alinea_seg.rule start here. */
#define ALINEA__SRX_RULE_BASE 0x10000u

typedef struct alinea__srx alinea__srx;

/* Load path (read with libxml2, XML_PARSE_NONET, no DTD loading or entity
 * substitution) and compile the rules that apply to lang. ALINEA_ERR_IO,
 * FORMAT (not SRX; an invalid regex, naming the rule's file and line), XML,
 * TOO_BIG, NOMEM. *out owned by the caller (alinea__srx_free). */
alinea_status alinea__srx_load(alinea_ctx *ctx, const char *path, const char *lang,
                               alinea__srx **out);
void alinea__srx_free(alinea__srx *x);

/* "languagerule-name#N (file:line)" for rule idx (owned by x). */
const char *alinea__srx_rule_name(const alinea__srx *x, uint32_t idx);

/* Segment the paragraph text[p, e) and append the segments to *segs (*n
 * used, *cap allocated). bi is a sentence BreakIterator used when the file
 * asks for ICU break rules (Okapi's useIcu4jBreakRules); *ut a reusable UText.
 * Every regex runs under ICU's time and stack limits (see srx.c): a rule over
 * them is ALINEA_ERR_FORMAT naming file, line and rule; also ICU, NOMEM. */
alinea_status alinea__srx_run(alinea_ctx *ctx, alinea__srx *x, UBreakIterator *bi, UText **ut,
                              const char *text, size_t p, size_t e, uint32_t para,
                              alinea_seg **segs, size_t *n, size_t *cap);

/* One rule to write: break or no-break, the two regexes (Java/ICU syntax,
 * UTF-8), and an optional comment written before it. */
typedef struct alinea__srx_desc {
    int brk;
    const char *before;
    const char *after;
    const char *comment;
} alinea__srx_desc;

/* Write an SRX 2.0 file with one languagerule (rulename) mapped from
 * langpattern, to f, with libxml2's xmlTextWriter. ALINEA_ERR_IO, NOMEM. */
alinea_status alinea__srx_write(alinea_ctx *ctx, FILE *f, const char *rulename,
                                const char *langpattern, const alinea__srx_desc *rules, size_t n,
                                const char *comment);

#endif
