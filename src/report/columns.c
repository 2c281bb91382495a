/* SPDX-License-Identifier: MIT
 * The finding column table and the one place that knows where each
 * column's value comes from; see columns.h. */
#include "report/columns.h"

#include <string.h>

#include "util/timefmt.h"

const struct fcol_def fcol_defs[FC_COUNT] = {
#define FCOL(id, name, width, field) [id] = {name, width, field},
#include "report/columns.def"
#undef FCOL
};

int fcol_lookup(const char *name)
{
    for (int c = 0; c < FC_COUNT; c++)
        if (strcmp(fcol_defs[c].name, name) == 0)
            return c;
    return -1;
}

static void cell_value(const struct rcell *c, enum field_id f, struct fcol_value *out)
{
    if (c->state != CELL_OK)
        return;
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST: out->kind = FV_INT; out->i = c->v.i; break;
    case FT_TIME: out->kind = FV_TIME; out->i = c->v.i; break;
    case FT_BOOL: out->kind = FV_BOOL; out->b = c->v.b; break;
    case FT_STR: out->kind = FV_TEXT; out->s = c->v.s; break;
    }
}

static void text(struct fcol_value *out, const char *s)
{
    if (s) {
        out->kind = FV_TEXT;
        out->s = s;
    }
}

/* A waiver's expiry as written: a date (the day itself, shown as
 * YYYY-MM-DD) or a time. */
static void expiry(struct fcol_value *out, const struct report_waiver *w)
{
    out->kind = w->expires_is_date ? FV_DATE : FV_TIME;
    out->i = w->expires_is_date ? w->expires_ms - 86400000 : w->expires_ms;
}

/* Column 'col' of finding 'fi', whose rule and image are 'r' and 'img'. */
static void value_of(const struct report *rep, const struct report_finding *fi,
                     const struct report_rule *r, const struct report_image *img,
                     enum fcol_id col, struct fcol_value *out)
{
    memset(out, 0, sizeof *out);
    int f = fcol_defs[col].field;
    if (f >= 0) {
        cell_value(&img->c[f], (enum field_id)f, out);
        return;
    }
    const struct report_waiver *w = fi->waiver >= 0 ? &rep->waivers[fi->waiver] : NULL;
    switch (col) {
    case FC_RULE_ID: text(out, r->id); break;
    case FC_RULE_TITLE: text(out, r->title); break;
    case FC_SEVERITY: text(out, severity_name(r->severity)); break;
    case FC_STATUS: text(out, finding_status_name(fi->status)); break;
    case FC_CHANGE: text(out, finding_change_name(fi->change)); break;
    case FC_FIRST_SEEN:
        out->kind = FV_TIME;
        out->i = fi->first_seen_ms;
        break;
    case FC_AGE_DAYS:
        out->kind = FV_INT;
        out->i = report_finding_age_days(rep, fi);
        break;
    case FC_MESSAGE: text(out, fi->message ? fi->message : r->title); break;
    case FC_REMEDIATION: text(out, r->remediation); break;
    case FC_WAIVER_ID: text(out, w ? w->id : NULL); break;
    case FC_WAIVER_REASON: text(out, w ? w->reason : NULL); break;
    case FC_WAIVER_OWNER: text(out, w ? w->owner : NULL); break;
    case FC_WAIVER_EXPIRES:
        if (w)
            expiry(out, w);
        break;
    case FC_PROJECT_ID: text(out, report_image_project_id(rep, img)); break;
    case FC_REGION: text(out, report_image_region(rep, img)); break;
    default: break;
    }
}

void fcol_value(const struct report *rep, const struct report_finding *fi, enum fcol_id col,
                struct fcol_value *out)
{
    value_of(rep, fi, report_finding_rule(rep, fi), report_finding_image(rep, fi), col, out);
}

void fcol_value_on(const struct report *rep, const struct report_finding *fi,
                   const struct report_image *img, enum fcol_id col, struct fcol_value *out)
{
    value_of(rep, fi, report_finding_rule(rep, fi), img, col, out);
}

void fcol_row(const struct report *rep, const struct report_finding *fi,
              struct fcol_value out[FC_COUNT])
{
    const struct report_rule *r = report_finding_rule(rep, fi);
    const struct report_image *img = report_finding_image(rep, fi);
    for (int c = 0; c < FC_COUNT; c++)
        value_of(rep, fi, r, img, (enum fcol_id)c, &out[c]);
}

void fcol_text(struct buf *out, const struct fcol_value *v)
{
    char t[TIME_ISO_MAX];
    switch (v->kind) {
    case FV_MISSING: break;
    case FV_TEXT: buf_puts(out, v->s); break;
    case FV_INT: buf_put_int(out, v->i); break;
    case FV_TIME:
        time_format_iso(v->i, t);
        buf_puts(out, t);
        break;
    case FV_DATE:
        time_format_iso(v->i, t);
        buf_append(out, t, 10);         /* YYYY-MM-DD */
        break;
    case FV_BOOL: buf_puts(out, v->b ? "true" : "false"); break;
    }
}
