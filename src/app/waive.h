/* SPDX-License-Identifier: MIT
 * Waivers (accepted risk) applied to findings as they are found:
 *  - a finding is waived by the first waiver, in load order, that names
 *    its rule (or "*"), has not expired, and whose `when` is true for the
 *    image; a `when` that is unknown (missing data) never waives and is
 *    counted on the waiver once per image;
 *  - every waiver that matched is listed on the finding, active or not;
 *  - a finding that only expired waivers matched stays open, marked
 *    waiver-expired, with the first of them.
 *
 * In two steps, so that evaluating threads never touch the report:
 * waive_decide() (on the thread that evaluates the record) and
 * waive_apply() (on the thread that adds the finding to the report, in
 * input order). waive_add_to_report() copies the waivers into the report
 * model once, in the rule set's order, so waiver indexes are the same in
 * both.
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
    int64_t *expires_ms;        /* per waiver */
    unsigned char *cache;       /* enum tri per waiver, for the current image */
    uint64_t *stamp;            /* image number the cache entry is for */
    uint64_t image;
};

/* What the waivers do to one finding: its status and the waiver behind
 * it (-1 if none), and how many waivers matched (their indexes were
 * appended to the caller's list, in load order). */
struct waive_decision {
    uint8_t status;             /* enum finding_status */
    int32_t waiver;
    uint32_t n_matches;
};

/* Copy the waivers (and waiver files) of 'rs' into 'rep'. Once. */
void waive_add_to_report(struct report *rep, const struct ruleset *rs);
/* Build the tables of one evaluating thread. */
void waive_init(struct waive *wv, const struct ruleset *rs, int64_t now_ms);
void waive_dispose(struct waive *wv);
/* Call before the findings of each new image. */
void waive_next_image(struct waive *wv);
/* Decide a finding of enabled rule 'rule' on 'rec': the waivers that
 * match it are appended to '*matches' ('*n' used, '*cap' allocated,
 * grown as needed), and each waiver whose `when` is unknown on this
 * image adds one to unknown[waiver], once per image. */
struct waive_decision waive_decide(struct waive *wv, size_t rule, const struct record *rec,
                                   struct eval_scratch *s, size_t *unknown,
                                   uint32_t **matches, size_t *n, size_t *cap);
/* Apply a decision to finding 'f' (just added): list its 'matches',
 * count them on the waivers, set its status. */
void waive_apply(struct report *rep, size_t f, const struct waive_decision *dec,
                 const uint32_t *matches);

#endif
