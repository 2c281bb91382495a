/* SPDX-License-Identifier: MIT
 * Waiver matching for the findings stage; see waive.h. */
#include "app/waive.h"

#include <stdlib.h>

#include "util/xalloc.h"

void waive_init(struct waive *wv, struct report *rep, const struct ruleset *rs, int64_t now_ms)
{
    wv->rs = rs;
    wv->now_ms = now_ms;
    wv->n_waivers = ruleset_waiver_count(rs);
    wv->n_rules = ruleset_count(rs);
    wv->cache = xcalloc(wv->n_waivers ? wv->n_waivers : 1, sizeof *wv->cache);
    wv->stamp = xcalloc(wv->n_waivers ? wv->n_waivers : 1, sizeof *wv->stamp);
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
    for (size_t w = 0; w < wv->n_waivers; w++) {
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

void waive_dispose(struct waive *wv)
{
    free(wv->cache);
    free(wv->stamp);
    free(wv->cover);
    free(wv->cover_off);
}

/* Waiver 'w''s `when` on the current image, evaluated once per image:
 * an image with several findings asks the same question several times. */
static enum tri when_on_image(struct waive *wv, struct report *rep, uint32_t w,
                              const struct record *rec, struct eval_scratch *s)
{
    if (wv->stamp[w] != wv->image) {
        wv->stamp[w] = wv->image;
        wv->cache[w] = (unsigned char)ruleset_waiver_eval(wv->rs, w, rec, wv->now_ms, s);
        if (wv->cache[w] == TRI_UNKNOWN)
            rep->waivers[w].unknown++;
    }
    return (enum tri)wv->cache[w];
}

void waive_next_image(struct waive *wv)
{
    wv->image++;
}

void waive_finding(struct waive *wv, struct report *rep, size_t f, size_t rule,
                   const struct record *rec, struct eval_scratch *s)
{
    int32_t expired = -1;
    struct report_finding *fi = &rep->findings[f];
    for (size_t k = wv->cover_off[rule]; k < wv->cover_off[rule + 1]; k++) {
        uint32_t w = wv->cover[k];
        if (when_on_image(wv, rep, w, rec, s) != TRI_TRUE)
            continue;       /* false, or unknown: missing data never waives */
        struct report_waiver *rw = &rep->waivers[w];
        report_add_match(rep, f, w);
        fi = &rep->findings[f];
        rw->matched++;
        if (fi->status == FINDING_WAIVED)
            continue;       /* the first active match applies; the rest are listed */
        if (wv->now_ms >= rw->expires_ms) {
            if (expired < 0)
                expired = (int32_t)w;
            continue;
        }
        fi->status = FINDING_WAIVED;
        fi->waiver = (int32_t)w;
        rw->waived++;
    }
    if (fi->status != FINDING_WAIVED && expired >= 0) {
        fi->status = FINDING_WAIVER_EXPIRED;
        fi->waiver = expired;
    }
}
