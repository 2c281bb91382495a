/* SPDX-License-Identifier: MIT
 * Waivers (accepted risk; rules.h): a `waivers:` list, in a rule file or
 * in a waiver file, read into struct waiver with the same key checks and
 * messages as rules (load.c), then checked at compile time against every
 * loaded rule (a waiver may name a rule of another file) and typed like a
 * rule's `when`. Reading goes on past each problem, so one run shows
 * every broken waiver. A waiver with any error is kept only so that it
 * is checked through; it is never listed, so it cannot waive anything. */
#include "rules/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#define DAY_MS INT64_C(86400000)

static const char *const waiver_keys[] = {"id",    "rule",    "when",  "reason",
                                          "owner", "expires", "ticket"};
enum { W_ID, W_RULE, W_WHEN, W_REASON, W_OWNER, W_EXPIRES, W_TICKET, W_COUNT_ };

#define EXPIRY_FORMS "a date such as 2027-03-31 or an RFC 3339 time such as 2027-03-31T18:00:00Z"

void waiver_free(struct waiver *w)
{
    if (!w)
        return;
    free(w->id);
    free(w->rule);
    free(w->when);
    free(w->reason);
    free(w->owner);
    free(w->ticket);
    ast_free(w->ast);
    free(w);
}

/* ---- expiry ---- */

static int days_in_month(int y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : mdays[m - 1];
}

/* The value of the 'k' decimal digits at 's' (already checked digits). */
static int digits_value(const char *s, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Does 's' start with "YYYY-MM-DD"? 1 for a real date, 0 for the shape
 * with no such date (2027-02-29, 2027-13-01), -1 for another shape. */
static int date_prefix(const char *s, size_t n)
{
    if (n < 10)
        return -1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return -1;
    int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m) ? 1 : 0;
}

enum { EXP_OK, EXP_SHAPE, EXP_NO_DAY };

/* A date holds until the end of that day, UTC: its expiry is the next
 * midnight. A time is taken as written and kept as UTC text. Epoch
 * numbers, which time_parse also reads, are not accepted: an expiry is
 * written by a person and read in review. */
static int parse_expiry(const char *s, size_t n, int64_t *ms, bool *is_date,
                        char text[TIME_ISO_MAX])
{
    if (strlen(s) != n)
        return EXP_SHAPE;
    int dp = date_prefix(s, n);
    if (dp < 0)
        return EXP_SHAPE;
    if (n == 10) {
        if (dp == 0)
            return EXP_NO_DAY;
        char t[TIME_ISO_MAX];
        snprintf(t, sizeof t, "%.10sT00:00:00Z", s);
        if (time_parse(t, ms) != 0)
            return EXP_SHAPE;
        *ms += DAY_MS;
        *is_date = true;
        snprintf(text, TIME_ISO_MAX, "%.10s", s);
        return EXP_OK;
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return EXP_SHAPE;
    if (dp == 0)
        return EXP_NO_DAY;
    if (time_parse(s, ms) != 0)
        return EXP_SHAPE;
    *is_date = false;
    time_format_iso(*ms, text);
    return EXP_OK;
}

static void read_expires(struct diags *d, struct waiver *w, const struct dnode *key,
                         const struct dnode *val)
{
    if (val->kind != D_SCALAR || val->sk == SK_NULL) {
        node_error(d, val->kind == D_SCALAR ? key : val, "'expires' must be " EXPIRY_FORMS);
        return;
    }
    switch (parse_expiry(val->s, val->n, &w->info.expires_ms, &w->info.expires_is_date,
                         w->expires)) {
    case EXP_OK:
        w->has_expires = true;
        node_range(val, &w->exp_a, &w->exp_b);
        break;
    case EXP_NO_DAY:
        node_error(d, val, "invalid expiry '%s' (no such date)", val->s);
        break;
    default:
        node_error(d, val, "invalid expiry '%s' (expected " EXPIRY_FORMS ")", val->s);
        break;
    }
}

/* ---- loading ---- */

/* reason and owner: text a reviewer can read, not blank. */
static char *required_text(struct diags *d, const struct dnode *key, const struct dnode *val,
                           const char *what_to_do)
{
    if (val->kind == D_SCALAR && val->sk == SK_NULL) {
        node_error(d, key, "'%s' must not be empty: %s", key->s, what_to_do);
        return NULL;
    }
    char *s = string_value(d, key, val);
    if (s && strspn(s, " \t\r\n") == strlen(s)) {
        node_error(d, val, "'%s' must not be empty: %s", key->s, what_to_do);
        free(s);
        return NULL;
    }
    return s;
}

static const struct waiver *find_waiver(const struct ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nwaivers; i++)
        if (strcmp(rs->waivers[i]->id, id) == 0)
            return rs->waivers[i];
    return NULL;
}

static void load_waiver(struct ruleset *rs, const struct rsrc *src, const struct dnode *item,
                        struct diags *d)
{
    if (item->kind != D_MAP) {
        node_error(d, item, "a waiver must be a mapping with rule, reason, owner and expires");
        return;
    }
    size_t before = d->errors;
    struct waiver *w = xcalloc(1, sizeof *w);
    w->src = src;
    w->id_a = item->pos.off;
    w->id_b = item->pos.off + 1;
    bool seen[W_COUNT_] = {false};
    const struct dnode *idval = NULL, *ruleval = NULL;
    struct strtab keys = STRTAB_INIT;
    for (size_t i = 0; i + 1 < item->nkids; i += 2) {
        const struct dnode *key = item->kids[i], *val = item->kids[i + 1];
        if (check_key(d, item, i, &keys) != 0)
            continue;
        int k = key_index(d, key, waiver_keys, W_COUNT_, "in waiver");
        if (k < 0)
            continue;
        seen[k] = true;
        switch (k) {
        case W_ID:
            w->id = string_value(d, key, val);
            if (w->id && !*w->id) {
                node_error(d, val, "'id' must not be empty (leave it out to use FILE:LINE)");
                free(w->id);
                w->id = NULL;
            }
            idval = val;
            w->id_a = key->pos.off;
            w->id_b = key->pos.off + 2;
            break;
        case W_RULE:
            w->rule = string_value(d, key, val);
            ruleval = val;
            node_range(val, &w->rule_a, &w->rule_b);
            if (w->rule && !*w->rule)
                node_error(d, val, "'rule' must be a rule id, or \"*\" for every rule");
            break;
        case W_WHEN:
            w->when = string_value(d, key, val);
            w->when_len = val->n;
            w->when_pos = val->pos;
            break;
        case W_REASON:
            w->reason = required_text(d, key, val, "say why the risk is accepted");
            break;
        case W_OWNER:
            w->owner = required_text(d, key, val, "name who answers for the risk");
            break;
        case W_EXPIRES: read_expires(d, w, key, val); break;
        case W_TICKET: w->ticket = string_value(d, key, val); break;
        }
    }
    strtab_dispose(&keys);
    int line = rsrc_line(src, item->pos.off);
    static const int required[] = {W_RULE, W_REASON, W_OWNER, W_EXPIRES};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (seen[required[i]])
            continue;
        if (w->id)
            src_diag(d, DIAG_ERROR, src, item->pos.off, item->pos.off + 1,
                     "waiver '%s' is missing required key '%s'", w->id,
                     waiver_keys[required[i]]);
        else
            src_diag(d, DIAG_ERROR, src, item->pos.off, item->pos.off + 1,
                     "waiver is missing required key '%s'", waiver_keys[required[i]]);
    }
    /* Waiving every finding of every rule is never what a reviewer
     * approved; "*" must say which images it means. */
    if (w->rule && strcmp(w->rule, "*") == 0 && !seen[W_WHEN])
        node_error(d, ruleval,
                   "a waiver for every rule needs a 'when' that says which images it covers");
    if (w->when)
        w->ast = load_parse_expr(w->when, w->when_len, &w->when_pos, d);
    if (!w->id)
        w->id = xasprintf("%s:%d", src->name, line);
    const struct waiver *first = find_waiver(rs, w->id);
    if (first) {
        if (idval)
            node_error(d, idval, "duplicate waiver id '%s'", w->id);
        else
            src_diag(d, DIAG_ERROR, src, item->pos.off, item->pos.off + 1,
                     "duplicate waiver id '%s'", w->id);
        src_diag(d, DIAG_NOTE, first->src, first->id_a, first->id_b, "'%s' first defined here",
                 first->id);
    }
    w->broken = d->errors > before;
    w->info.id = w->id;
    w->info.rule = w->rule ? w->rule : "";
    w->info.when = w->when ? w->when : "";
    w->info.reason = w->reason ? w->reason : "";
    w->info.owner = w->owner ? w->owner : "";
    w->info.ticket = w->ticket;
    w->info.expires = w->expires;
    w->info.file = src->name;
    w->info.line = line;
    XGROW(rs->waivers, rs->cap_waivers, rs->nwaivers + 1);
    rs->waivers[rs->nwaivers++] = w;
}

void waivers_from_doc(struct ruleset *rs, const struct rsrc *src, const struct dnode *list,
                      struct diags *d)
{
    if (list->kind != D_SEQ) {
        node_error(d, list, "'waivers' must be a list of waivers");
        return;
    }
    for (size_t i = 0; i < list->nkids; i++)
        load_waiver(rs, src, list->kids[i], d);
}

/* ---- compiling ---- */

/* Point 'w' at its rule: any loaded rule counts, disabled ones too (a
 * waiver for a rule switched off for now is not a mistake). */
static int resolve_rule(const struct ruleset *rs, struct waiver *w, struct diags *d)
{
    if (strcmp(w->rule, "*") == 0) {
        w->rule_idx = SIZE_MAX;
        return 0;
    }
    for (size_t i = 0; i < rs->nrules; i++) {
        if (rs->rules[i]->id && strcmp(rs->rules[i]->id, w->rule) == 0) {
            w->rule_idx = i;
            return 0;
        }
    }
    const char **ids = xcalloc(rs->nrules + 1, sizeof *ids);
    for (size_t i = 0; i < rs->nrules; i++)
        ids[i] = rs->rules[i]->id;
    const char *sug = suggest_best(w->rule, strlen(w->rule), ids, rs->nrules);
    if (sug)
        src_diag(d, DIAG_ERROR, w->src, w->rule_a, w->rule_b,
                 "unknown rule id '%s' (did you mean '%s'?)", w->rule, sug);
    else if (rs->nrules == 0)
        src_diag(d, DIAG_ERROR, w->src, w->rule_a, w->rule_b,
                 "unknown rule id '%s' (no rules are loaded)", w->rule);
    else
        src_diag(d, DIAG_ERROR, w->src, w->rule_a, w->rule_b, "unknown rule id '%s'", w->rule);
    free(ids);
    return -1;
}

int waivers_compile(struct ruleset *rs, struct diags *d)
{
    size_t before = d->errors;
    free(rs->wvalid);
    rs->wvalid = xcalloc(rs->nwaivers + 1, sizeof *rs->wvalid);
    rs->nwvalid = 0;
    for (size_t i = 0; i < rs->nwaivers; i++) {
        struct waiver *w = rs->waivers[i];
        int bad = 0;
        if (w->ast)
            bad |= check_expr(rs, NULL, w->ast, w->when, w->when_len, &w->when_pos, "'when'",
                              d) < 0;
        if (w->rule && *w->rule)
            bad |= resolve_rule(rs, w, d) < 0;
        if (!w->broken && !bad)
            rs->wvalid[rs->nwvalid++] = i;
    }
    return d->errors > before ? -1 : 0;
}

/* ---- the public face (rules.h) ---- */

size_t ruleset_waiver_count(const struct ruleset *rs)
{
    return rs->nwvalid;
}

const struct waiver_info *ruleset_waiver(const struct ruleset *rs, size_t w)
{
    return w < rs->nwvalid ? &rs->waivers[rs->wvalid[w]]->info : NULL;
}

bool ruleset_waiver_covers(const struct ruleset *rs, size_t w, size_t i)
{
    if (w >= rs->nwvalid || i >= rs->nenabled)
        return false;
    size_t r = rs->waivers[rs->wvalid[w]]->rule_idx;
    return r == SIZE_MAX || r == rs->enabled[i];
}

enum tri ruleset_waiver_eval(const struct ruleset *rs, size_t w, const struct record *rec,
                             int64_t now_ms, struct eval_scratch *s)
{
    if (w >= rs->nwvalid)
        return TRI_UNKNOWN;
    const struct waiver *wv = rs->waivers[rs->wvalid[w]];
    /* A listed waiver with a `when` always has its tree: one that did
     * not parse is broken and never listed. */
    return wv->ast ? eval_expr(NULL, wv->ast, rec, now_ms, s) : TRI_TRUE;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int ruleset_check_waiver_horizon(const struct ruleset *rs, int64_t now_ms, long max_days,
                                 struct diags *d)
{
    if (max_days < 0)
        max_days = 0;
    /* Beyond the range of times, no expiry can be too late. */
    if ((int64_t)max_days > (INT64_MAX - (now_ms > 0 ? now_ms : 0)) / DAY_MS)
        return 0;
    int64_t horizon = now_ms + (int64_t)max_days * DAY_MS;
    /* The latest date that still fits: its end is at most the horizon. */
    char latest_date[TIME_ISO_MAX], latest_time[TIME_ISO_MAX];
    time_format_iso((floor_div(horizon, DAY_MS) - 1) * DAY_MS, latest_date);
    latest_date[10] = '\0';
    time_format_iso(horizon, latest_time);
    size_t before = d->errors;
    for (size_t i = 0; i < rs->nwaivers; i++) {
        const struct waiver *w = rs->waivers[i];
        if (!w->has_expires || w->info.expires_ms <= horizon)
            continue;
        src_diag(d, DIAG_ERROR, w->src, w->exp_a, w->exp_b,
                 "waiver '%s' expires %s, more than %ld day%s from now: --max-waiver-days "
                 "allows %s at the latest",
                 w->id, w->expires, max_days, max_days == 1 ? "" : "s",
                 w->info.expires_is_date ? latest_date : latest_time);
    }
    return d->errors > before ? -1 : 0;
}
