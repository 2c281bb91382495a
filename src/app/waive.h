/* SPDX-License-Identifier: MIT
 * Waivers (accepted risk) applied to findings as they are found:
 *  - a finding is waived by the first waiver, in load order, that names
 *    its rule (or "*"), has not expired, and whose `when` is true for the
 *    image; a `when` that is unknown (missing data) never waives and is
 *    counted on the waiver once per image;
 *  - every waiver that matched is listed on the finding, active or not;
 *  - a finding that only expired waivers matched stays open, marked
 *    waiver-expired, with the first of them.
 * The waivers are copied into the report model by waive_init, in the
 * rule set's order, so waiver indexes are the same in both.
 *
 * Ownership: struct waive borrows the rule set and owns its tables;
 * one per evaluating thread (it caches per image). */
#ifndef IMGAUDIT_WAIVE_H
#define IMGAUDIT_WAIVE_H
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "rules/rules.h"

struct waive {
    const struct ruleset *rs;
    int64_t now_ms;
    size_t n_waivers, n_rules;
    size_t *cover_off;          /* cover[cover_off[r] .. cover_off[r+1]): waivers of rule r */
    uint32_t *cover;
    unsigned char *cache;       /* enum tri per waiver, for the current image */
    uint64_t *stamp;            /* image number the cache entry is for */
    uint64_t image;
};

/* Build the tables and copy the waivers (and waiver files) into 'rep'. */
void waive_init(struct waive *wv, struct report *rep, const struct ruleset *rs, int64_t now_ms);
void waive_dispose(struct waive *wv);
/* Call before the findings of each new image. */
void waive_next_image(struct waive *wv);
/* Decide the status of finding 'f' (just added, of enabled rule 'rule')
 * on 'rec'. */
void waive_finding(struct waive *wv, struct report *rep, size_t f, size_t rule,
                   const struct record *rec, struct eval_scratch *s);

#endif
