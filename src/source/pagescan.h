/* SPDX-License-Identifier: MIT
 * One pass over a ListRegistryImages response body
 * {"total_num": N, "data_list": [{...}, ...]}: validate it as JSON
 * (RFC 8259, with jansson's rules for UTF-8 and \u escapes, since
 * jansson later reads the snapshot), find total_num, and copy every
 * data_list element into 'recs' as received minus insignificant
 * whitespace (so each record fits one JSON Lines line), with its
 * top-level "id" when usable.
 *
 * Values jansson cannot hold (\u0000 in a string, an integer beyond
 * int64, 1e400) are valid JSON and copied as they are: the snapshot's
 * reader gives them placeholders (model/placeholder.h) and the report
 * counts them as data quality. In total_num they make the page unusable;
 * in "id" the record is deduplicated by content instead.
 *
 * Why not jansson here: building and re-serialising a tree for every
 * record cost about 2 s of CPU per 100,000 records, most of a
 * benchmark's budget; this scanner does the same checks in one pass
 * without allocating per value. */
#ifndef IMGAUDIT_PAGESCAN_H
#define IMGAUDIT_PAGESCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct pagescan_rec {
    size_t off, len;        /* the record's bytes in 'recs' */
    bool has_id;            /* "id" is an integer >= 0 or a string of digits */
    int64_t id;
};

struct pagescan {
    int64_t total_num;
    struct buf recs;        /* compact records back to back, no separators */
    struct pagescan_rec *v;
    size_t n, cap;
};

void pagescan_init(struct pagescan *ps);
void pagescan_dispose(struct pagescan *ps);

/* pagescan_parse's failures. Invalid JSON may be a transfer cut short
 * and is worth another request; a valid body that is not a page would
 * come back the same. */
#define PAGESCAN_INVALID_JSON (-1)  /* "invalid JSON at byte 812: unexpected end of input" */
#define PAGESCAN_NOT_A_PAGE (-2)    /* "no integer total_num", "data_list[3] is not an
                                     * object", "nesting deeper than 512 levels at byte 9" */

/* Scan 'body' ('len' bytes) into 'ps' (which is cleared first). Returns
 * 0, or PAGESCAN_INVALID_JSON or PAGESCAN_NOT_A_PAGE with a one-line
 * reason in 'why'. */
int pagescan_parse(struct pagescan *ps, const char *body, size_t len, char *why,
                   size_t whylen);

#endif
