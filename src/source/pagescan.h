/* SPDX-License-Identifier: MIT
 * One pass over a ListRegistryImages response body
 * {"total_num": N, "data_list": [{...}, ...]}: validate it as JSON
 * (RFC 8259, as strictly as jansson, which later reads the snapshot:
 * UTF-8, escapes, no \u0000, integers within int64, finite reals), find
 * total_num, and copy every data_list element into 'recs' as received
 * minus insignificant whitespace (so each record fits one JSON Lines
 * line), with its top-level "id" when usable.
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

/* Scan 'body' ('len' bytes) into 'ps' (which is cleared first). Returns
 * 0, or -1 with a one-line reason in 'why' ("invalid JSON at byte 812:
 * unexpected end of input", "no integer total_num", "data_list[3] is not
 * an object"). */
int pagescan_parse(struct pagescan *ps, const char *body, size_t len, char *why,
                   size_t whylen);

#endif
