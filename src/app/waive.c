/* SPDX-License-Identifier: MIT
 * Waiver matching for the findings stage; see waive.h. */
#include "app/waive.h"

#include <stdlib.h>

#include "util/xalloc.h"

void waive_add_to_report(struct report *rep, const struct ruleset *rs)
{
    for (size_t w = 0; w < ruleset_waiver_count(rs); w++) {
        const struct waiver_info *wi = ruleset_waiver(rs, w);
        struct report_waiver rw = {
            .id = wi->id, .rule = wi->rule, .when = wi->when, .reason = wi->reason,
            .owner = wi->owner, .ticket = wi->ticket, .expires = wi->expires,
            .file = wi->file, .line = wi->line, .expires_ms = wi->expires_ms,
            .expires_is_date = wi->expires_is_date,
        };
        report_add_waiver(rep, &rw);
    }
    for (size_t i = 0; i < ruleset_waiver_file_count(rs); i++) {
        struct rulefile_info fi = ruleset_waiver_file(rs, i);
        report_add_waiver_file(rep, fi.path, fi.sha256);
    }
}

void waive_init(struct waive *wv, const struct ruleset *rs, int64_t now_ms)
{
    wv->rs = rs;
    wv->now_ms = now_ms;
    wv->n_waivers = ruleset_waiver_count(rs);
    wv->n_rules = ruleset_count(rs);
    size_t nw = wv->n_waivers ? wv->n_waivers : 1;
    wv->cache = xcalloc(nw, sizeof *wv->cache);
    wv->stamp = xcalloc(nw, sizeof *wv->stamp);
    wv->expires_ms = xcalloc(nw, sizeof *wv->expires_ms);
    for (size_t w = 0; w < wv->n_waivers; w++)
        wv->expires_ms[w] = ruleset_waiver(rs, w)->expires_ms;
    wv->image = 0;
    /* Which waivers cover each rule, in load order: built once, so a
     * finding looks only at the waivers that can apply to it. */
    wv->cover_off = xcalloc(wv->n_rules + 1, sizeof *wv->cover_off);
    size_t n = 0;
    for (size_t r = 0; r < wv->n_rules; r++)
        for (size_t w = 0; w < wv->n_waivers; w++)
            n += ruleset_waiver_covers(rs, w, r);
    wv->cover = xcalloc(n ? n : 1, sizeof *wv->cover);
    n = 0;
    for (size_t r = 0; r < wv->n_rules; r++) {
        wv->cover_off[r] = n;
        for (size_t w = 0; w < wv->n_waivers; w++)
            if (ruleset_waiver_covers(rs, w, r))
                wv->cover[n++] = (uint32_t)w;
    }
    wv->cover_off[wv->n_rules] = n;
}

void waive_dispose(struct waive *wv)
{
    free(wv->cache);
    free(wv->stamp);
    free(wv->expires_ms);
    free(wv->cover);
    free(wv->cover_off);
}

/* Waiver 'w''s `when` on the current image, evaluated once per image:
 * an image with several findings asks the same question several times. */
static enum tri when_on_image(struct waive *wv, uint32_t w, const struct record *rec,
                              struct eval_scratch *s, size_t *unknown)
{
    if (wv->stamp[w] != wv->image) {
        wv->stamp[w] = wv->image;
        wv->cache[w] = (unsigned char)ruleset_waiver_eval(wv->rs, w, rec, wv->now_ms, s);
        if (wv->cache[w] == TRI_UNKNOWN)
            unknown[w]++;
    }
    return (enum tri)wv->cache[w];
}

void waive_next_image(struct waive *wv)
{
    wv->image++;
}

struct waive_decision waive_decide(struct waive *wv, size_t rule, const struct record *rec,
                                   struct eval_scratch *s, size_t *unknown,
                                   uint32_t **matches, size_t *n, size_t *cap)
{
    struct waive_decision dec = {FINDING_OPEN, -1, 0};
    int32_t expired = -1;
    for (size_t k = wv->cover_off[rule]; k < wv->cover_off[rule + 1]; k++) {
        uint32_t w = wv->cover[k];
        if (when_on_image(wv, w, rec, s, unknown) != TRI_TRUE)
            continue;       /* false, or unknown: missing data never waives */
        XGROW(*matches, *cap, *n + 1);
        (*matches)[(*n)++] = w;
        dec.n_matches++;
        if (dec.status == FINDING_WAIVED)
            continue;       /* the first active match applies; the rest are listed */
        if (wv->now_ms >= wv->expires_ms[w]) {
            if (expired < 0)
                expired = (int32_t)w;
            continue;
        }
        dec.status = FINDING_WAIVED;
        dec.waiver = (int32_t)w;
    }
    if (dec.status != FINDING_WAIVED && expired >= 0) {
        dec.status = FINDING_WAIVER_EXPIRED;
        dec.waiver = expired;
    }
    return dec;
}

void waive_apply(struct report *rep, size_t f, const struct waive_decision *dec,
                 const uint32_t *matches)
{
    for (uint32_t k = 0; k < dec->n_matches; k++) {
        report_add_match(rep, f, matches[k]);
        rep->waivers[matches[k]].matched++;
    }
    struct report_finding *fi = report_added_finding(rep, f);
    fi->status = dec->status;
    fi->waiver = dec->waiver;
    if (dec->status == FINDING_WAIVED)
        rep->waivers[dec->waiver].waived++;
}
