/* SPDX-License-Identifier: MIT
 * The HTML report: one self-contained page (inline CSS, inline SVG
 * charts, a small inline script, no external fetches) rendered from
 * templates/report.html, which is compiled into the binary at build time
 * (cmake/EmbedTemplate.cmake), or from --template FILE.
 *
 * This file turns the report model into the template's data tree and
 * declares the names a template may use (html_schema); the engine
 * (template.c) escapes every value. The only unescaped output is what
 * this file renders itself: the SVG charts (whose labels it escapes) and
 * the JSON data block (htmldata.c), in which '<', '>' and '&' are written
 * as \u escapes so that no value can end the script element or open a
 * comment inside it.
 *
 * Every finding is in the data block, and the page's script shows them
 * all (by finding, by image, by rule). Without scripts the page lists
 * at most render_opts.html_max_findings of them as rows, grouped by
 * image: beyond that every rule keeps an equal share of rows (its first
 * findings, in the report's order: worst severity first), and the page
 * says how many were left out and which report of the run (by file name)
 * holds them all.
 *
 * Long values: a cell shows at most HTML_CELL_MAX characters of a value;
 * the whole value follows under "Full values", where the template
 * engine breaks long words (template.h), so that no value can stall the
 * browser's layout. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/html.h"
#include "render/distinct.h"
#include "render/htmldata.h"
#include "render/render.h"
#include "render/reportview.h"
#include "render/template.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/xalloc.h"

/* The built-in template, generated from templates/report.html. */
extern const unsigned char tpl_report_html[];
extern const size_t tpl_report_html_len;

/* Custom templates larger than this are surely not templates. */
#define HTML_TEMPLATE_MAX (8u << 20)
#define HTML_TOP_N 10
/* Characters of a value shown in a table cell; see the top comment. */
#define HTML_CELL_MAX 200

/* ---- the names a template may use ---- */

static const struct tpl_schema kv_schema[] = {
    {"label", TPL_TEXT, NULL},
    {"value", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema severity_schema[] = {
    {"name", TPL_TEXT, NULL},
    {"label", TPL_TEXT, NULL},
    {"count", TPL_TEXT, NULL},
    {"rank", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
/* A value cut to HTML_CELL_MAX characters in its cell, in full. */
static const struct tpl_schema long_schema[] = {
    {"name", TPL_TEXT, NULL},
    {"chars", TPL_TEXT, NULL},
    {"value", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
/* A finding row: every column of src/report/columns.def (cut to
 * HTML_CELL_MAX characters), the severity's rank for sorting, and the
 * values that were cut. */
static const struct tpl_schema finding_schema[] = {
#define FCOL(id, name, width, field) {name, TPL_TEXT, NULL},
#include "report/columns.def"
#undef FCOL
    {"sev_rank", TPL_TEXT, NULL},
    {"long", TPL_SECTION, long_schema},
    {NULL, TPL_TEXT, NULL},
};
/* An image and its findings listed on the page (without scripts). */
static const struct tpl_schema image_group_schema[] = {
    {"namespace", TPL_TEXT, NULL},
    {"image_name", TPL_TEXT, NULL},
    {"image_version", TPL_TEXT, NULL},
    {"image_digest", TPL_TEXT, NULL},
    {"registry_name", TPL_TEXT, NULL},
    {"vul_num", TPL_TEXT, NULL},
    {"latest_scan_time", TPL_TEXT, NULL},
    {"scan_status", TPL_TEXT, NULL},
    {"worst", TPL_TEXT, NULL},
    {"worst_rank", TPL_TEXT, NULL},
    {"image_findings", TPL_TEXT, NULL},
    {"listed", TPL_TEXT, NULL},
    {"partial", TPL_SECTION, NULL},         /* not all its findings listed */
    {"rows", TPL_SECTION, finding_schema},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema tally_schema[] = {
    {"name", TPL_TEXT, NULL},
#define TALLY_KEYS(x) x("open") x("waived") x("new") x("existing") x("resolved")
#define TALLY_ROW(k) {k, TPL_TEXT, NULL},
    TALLY_KEYS(TALLY_ROW)
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema waiver_schema[] = {
    {"id", TPL_TEXT, NULL},
    {"state", TPL_TEXT, NULL},
    {"rule", TPL_TEXT, NULL},
    {"when", TPL_TEXT, NULL},
    {"reason", TPL_TEXT, NULL},
    {"owner", TPL_TEXT, NULL},
    {"ticket", TPL_TEXT, NULL},
    {"expires", TPL_TEXT, NULL},
    {"file", TPL_TEXT, NULL},
    {"line", TPL_TEXT, NULL},
    {"waived", TPL_TEXT, NULL},
    {"matched", TPL_TEXT, NULL},
    {"unknown", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema rule_schema[] = {
    {"id", TPL_TEXT, NULL},
    {"title", TPL_TEXT, NULL},
    {"severity", TPL_TEXT, NULL},
    {"sev_rank", TPL_TEXT, NULL},
    {"description", TPL_TEXT, NULL},
    {"remediation", TPL_TEXT, NULL},
    {"when", TPL_TEXT, NULL},
    {"file", TPL_TEXT, NULL},
    {"tags", TPL_STRINGS, NULL},
    {"findings", TPL_TEXT, NULL},
    {"unknown", TPL_TEXT, NULL},
    {"has_findings", TPL_SECTION, NULL},
    {"regex_disabled", TPL_SECTION, NULL},
    {"regex_limit_hits", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema cut_schema[] = {
    {"rule_id", TPL_TEXT, NULL},
    {"severity", TPL_TEXT, NULL},
    {"shown", TPL_TEXT, NULL},
    {"total", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
/* A merged report's summary row per merged report. */
static const struct tpl_schema project_schema[] = {
    {"project_id", TPL_TEXT, NULL},
    {"region", TPL_TEXT, NULL},
    {"report", TPL_TEXT, NULL},
    {"images", TPL_TEXT, NULL},
    {"findings", TPL_TEXT, NULL},
    {"open", TPL_TEXT, NULL},
    {"critical", TPL_TEXT, NULL},
    {"high", TPL_TEXT, NULL},
    {"waived", TPL_TEXT, NULL},
    {"complete", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema quality_schema[] = {
    {"field", TPL_TEXT, NULL},
    {"problem", TPL_TEXT, NULL},
    {"count", TPL_TEXT, NULL},
    {"first_record", TPL_TEXT, NULL},
    {"first_line", TPL_TEXT, NULL},         /* JSON Lines input; "" otherwise */
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema rulefile_schema[] = {
    {"path", TPL_TEXT, NULL},
    {"sha256", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema param_schema[] = {
    {"name", TPL_TEXT, NULL},
    {"value", TPL_TEXT, NULL},
    {"type", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};

/* Documented in docs/reports.md ("Custom HTML templates"). */
static const struct tpl_schema html_schema[] = {
    {"tool", TPL_TEXT, NULL},
    {"version", TPL_TEXT, NULL},
    {"nonce", TPL_TEXT, NULL},
    {"generated_at", TPL_TEXT, NULL},
    {"now", TPL_TEXT, NULL},
    {"source_label", TPL_TEXT, NULL},
    {"gate", TPL_TEXT, NULL},               /* none, pass, fail, incomplete */
    {"gate_text", TPL_TEXT, NULL},
    {"gate_pass", TPL_SECTION, NULL},
    {"gate_fail", TPL_SECTION, NULL},
    {"gate_none", TPL_SECTION, NULL},
    {"gate_incomplete", TPL_SECTION, NULL},
    {"fail_on", TPL_TEXT, NULL},
    {"incomplete", TPL_SECTION, NULL},
    {"records_received", TPL_TEXT, NULL},
    {"expected_records", TPL_TEXT, NULL},
    {"images", TPL_TEXT, NULL},
    {"images_with_findings", TPL_TEXT, NULL},
    {"images_clean", TPL_TEXT, NULL},
    {"findings_total", TPL_TEXT, NULL},
    {"rules_count", TPL_TEXT, NULL},
    {"severities", TPL_SECTION, severity_schema},
    {"chart_severity", TPL_HTML, NULL},
    {"chart_rules", TPL_HTML, NULL},
    {"chart_namespaces", TPL_HTML, NULL},
    {"has_findings", TPL_SECTION, NULL},
    {"findings", TPL_SECTION, finding_schema},
    {"finding_images", TPL_SECTION, image_group_schema},
    {"has_baseline", TPL_SECTION, NULL},
    {"baseline_path", TPL_TEXT, NULL},
    {"baseline_now", TPL_TEXT, NULL},
    {"baseline_findings", TPL_TEXT, NULL},
    {"resolved_untrusted", TPL_SECTION, NULL},
    {"resolved_untrusted_why", TPL_TEXT, NULL},
    {"warnings", TPL_STRINGS, NULL},
    {"tallies", TPL_SECTION, tally_schema},
    {"has_resolved", TPL_SECTION, NULL},
    {"resolved_total", TPL_TEXT, NULL},
    {"resolved", TPL_SECTION, finding_schema},
    {"resolved_cut", TPL_SECTION, NULL},
    {"resolved_hidden", TPL_TEXT, NULL},
    {"has_waivers", TPL_SECTION, NULL},
    {"waivers_count", TPL_TEXT, NULL},
    {"waivers", TPL_SECTION, waiver_schema},
    {"warn_expiring_days", TPL_TEXT, NULL},
    {"findings_shown", TPL_TEXT, NULL},
    {"truncated", TPL_SECTION, NULL},
    {"findings_hidden", TPL_TEXT, NULL},
    {"full_findings_path", TPL_TEXT, NULL},
    {"cut_rules", TPL_SECTION, cut_schema},
    {"rules", TPL_SECTION, rule_schema},
    {"has_quality", TPL_SECTION, NULL},
    {"has_projects", TPL_SECTION, NULL},
    {"projects", TPL_SECTION, project_schema},
    {"quality", TPL_SECTION, quality_schema},
    {"meta", TPL_SECTION, kv_schema},
    {"rule_files", TPL_SECTION, rulefile_schema},
    {"params", TPL_SECTION, param_schema},
    {"data_json", TPL_HTML, NULL},
    {NULL, TPL_TEXT, NULL},
};

/* ---- small helpers ---- */

static const char *sev_label(enum severity s)
{
    static const char *const labels[SEV_COUNT] = {"Info", "Low", "Medium", "High",
                                                  "Critical"};
    return labels[s];
}

/* Append at most 'max' characters of 's' (UTF-8 aware), escaped, with an
 * ellipsis when cut: chart labels must fit their column. */
static void put_label(struct buf *out, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    tpl_escape_html(out, s, i);
    if (s[i])
        buf_puts(out, "\xE2\x80\xA6");
}

struct bar {
    const char *label;
    size_t value;
    uint32_t color;
};

/* A horizontal bar chart as inline SVG: label, bar, value per row. It
 * scales with its container (viewBox) and carries a text alternative. */
static void svg_bars(struct buf *out, const char *title, const struct bar *bars, size_t n)
{
    const int width = 400, label_w = 172, bar_w = 180, row = 28, top = 8;
    size_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    int height = top * 2 + (int)(n ? n : 1) * row;
    buf_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
               width, height);
    tpl_escape_html(out, title, strlen(title));
    buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\">");
    if (n == 0)
        buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"empty\">No findings</text>",
                   width / 2, top + row / 2 + 4);
    for (size_t i = 0; i < n; i++) {
        int y = top + (int)i * row;
        int w = (int)((double)bar_w * (double)bars[i].value / (double)max + 0.5);
        if (bars[i].value && w < 2)
            w = 2;
        buf_printf(out, "<g><title>");
        tpl_escape_html(out, bars[i].label, strlen(bars[i].label));
        buf_printf(out, ": %zu</title><text x=\"%d\" y=\"%d\" class=\"lbl\">", bars[i].value,
                   label_w - 8, y + row / 2 + 4);
        put_label(out, bars[i].label, 21);
        buf_printf(out,
                   "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" "
                   "fill=\"#%06" PRIX32 "\"/><text x=\"%d\" y=\"%d\" class=\"val\">%zu</text></g>",
                   label_w, y + 5, w, row - 10, bars[i].color, label_w + w + 6,
                   y + row / 2 + 4, bars[i].value);
    }
    buf_puts(out, "</svg>");
}

static void charts(struct tpl_data *root, const struct report *rep)
{
    struct buf svg = BUF_INIT;
    struct bar bars[HTML_TOP_N > SEV_COUNT ? HTML_TOP_N : SEV_COUNT];
    size_t n = 0;
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        bars[n++] = (struct bar){sev_label((enum severity)s), rep->summary.by_severity[s],
                                 rview_sev_color[s].strong};
    svg_bars(&svg, "Findings by severity", bars, n);
    tpl_set_html(root, "chart_severity", buf_cstr(&svg));

    size_t top[HTML_TOP_N];
    n = rview_top_rules(rep, top, HTML_TOP_N);
    for (size_t i = 0; i < n; i++) {
        const struct report_rule *r = &rep->rules[top[i]];
        bars[i] = (struct bar){r->id, r->findings, rview_sev_color[r->severity].strong};
    }
    buf_clear(&svg);
    svg_bars(&svg, "Top rules by findings", bars, n);
    tpl_set_html(root, "chart_rules", buf_cstr(&svg));

    n = rep->summary.n_by_namespace < HTML_TOP_N ? rep->summary.n_by_namespace : HTML_TOP_N;
    for (size_t i = 0; i < n; i++)
        bars[i] = (struct bar){rep->summary.by_namespace[i].key,
                               rep->summary.by_namespace[i].count, 0x475569};
    buf_clear(&svg);
    svg_bars(&svg, "Top namespaces by findings", bars, n);
    tpl_set_html(root, "chart_namespaces", buf_cstr(&svg));
    buf_dispose(&svg);
}

/* How many rows each rule gets when the page must hold at most 'max' of
 * the findings: the largest equal share k with sum(min(count, k)) <=
 * max, and what is left over goes one each to the first rules (worst
 * severity first) that have more. Every rule with findings shows some
 * when max allows. 'quota' has n_rules entries. */
static void plan_quota(const struct report *rep, size_t max, size_t *quota)
{
    size_t lo = 0, hi = max;
    while (lo < hi) {
        size_t k = lo + (hi - lo + 1) / 2, sum = 0;
        for (size_t r = 0; r < rep->n_rules && sum <= max; r++)
            sum += rep->rules[r].findings < k ? rep->rules[r].findings : k;
        if (sum <= max)
            lo = k;
        else
            hi = k - 1;
    }
    size_t used = 0;
    for (size_t r = 0; r < rep->n_rules; r++) {
        quota[r] = rep->rules[r].findings < lo ? rep->rules[r].findings : lo;
        used += quota[r];
    }
    /* Leftovers in the findings' own order (severity, rule id). */
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < rep->n_findings && used < max; i++) {
        size_t r = report_finding_at(rep, i)->rule, last = prev;
        prev = r;
        if (last == r)
            continue;
        if (quota[r] < rep->rules[r].findings) {
            quota[r]++;
            used++;
        }
    }
}

/* Where the first 'max' characters of UTF-8 's' end, and how many
 * characters 's' has ('*chars'). */
static size_t cut_point(const char *s, size_t len, size_t max, size_t *chars)
{
    size_t n = 0, cut = len;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            cut = i;
    *chars = n;
    return cut;
}

/* Set 'key' of 'o' to s[0, len) cut to HTML_CELL_MAX characters with an
 * ellipsis; a value that was cut is also added, whole, to 'row''s list
 * "long" (when 'row' is not NULL). */
static void set_cell(struct tpl_data *o, struct tpl_data *row, const char *key, const char *s,
                     size_t len)
{
    size_t chars, cut = cut_point(s, len, HTML_CELL_MAX, &chars);
    if (cut == len) {
        tpl_set_strn(o, key, s, len);
        return;
    }
    struct buf b = BUF_INIT;
    buf_append(&b, s, cut);
    buf_puts(&b, "\xE2\x80\xA6");
    tpl_set_strn(o, key, buf_cstr(&b), b.len);
    buf_dispose(&b);
    if (!row)
        return;
    struct tpl_data *l = tpl_add_item(row, "long");
    tpl_set_str(l, "name", key);
    tpl_set_fmt(l, "chars", "%zu", chars);
    tpl_set_strn(l, "value", s, len);
}

/* What the rows need: the finding columns the template shows (only
 * those are set on its rows, thousands of them), and a scratch buffer. */
struct rows {
    bool col[FC_COUNT];
    struct buf tmp;
};

/* A finding (or resolved finding) as a template row: every column the
 * template shows. */
static void finding_row(struct tpl_data *row, const struct report *rep,
                        const struct report_finding *fi, struct rows *rw)
{
    struct buf *tmp = &rw->tmp;
    tpl_set_int(row, "sev_rank", report_finding_rule(rep, fi)->severity);
    tpl_set_list(row, "long");
    for (int c = 0; c < FC_COUNT; c++) {
        if (!rw->col[c])
            continue;
        struct fcol_value v;
        fcol_value(rep, fi, (enum fcol_id)c, &v);
        buf_clear(tmp);
        fcol_text(tmp, &v);
        /* The rule's own text is whole in the Rules section. */
        bool from_rule = c == FC_RULE_ID || c == FC_RULE_TITLE || c == FC_REMEDIATION;
        set_cell(row, from_rule ? NULL : row, fcol_defs[c].name, buf_cstr(tmp), tmp->len);
    }
}

/* Since last run: the tallies per severity, the baseline, and the
 * resolved findings (at most html_max_findings of them, as findings). */
static void changes(struct tpl_data *root, const struct report *rep,
                    const struct render_opts *o, struct rows *rw)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    char t[TIME_ISO_MAX];
    tpl_set_bool(root, "has_baseline", m->baseline.present);
    if (m->baseline.present) {
        tpl_set_str(root, "baseline_path", m->baseline.path);
        time_format_iso(m->baseline.now_ms, t);
        tpl_set_str(root, "baseline_now", t);
        tpl_set_fmt(root, "baseline_findings", "%zu", m->baseline.findings);
    }
    bool untrusted = m->baseline.present && !s->resolved_trusted;
    tpl_set_bool(root, "resolved_untrusted", untrusted);
    if (untrusted)
        tpl_set_str(root, "resolved_untrusted_why",
                    !m->baseline.complete ? "the baseline's pull was INCOMPLETE"
                    : !m->complete        ? "this run's pull is INCOMPLETE"
                                          : "the baseline had another --where");
    tpl_set_list(root, "warnings");
    for (size_t i = 0; i < m->n_warnings; i++)
        tpl_add_str(root, "warnings", m->warnings[i]);
    tpl_set_list(root, "tallies");
    for (int v = SEV_COUNT - 1; v >= 0; v--) {
        struct tpl_data *row = tpl_add_item(root, "tallies");
        tpl_set_str(row, "name", severity_name((enum severity)v));
        for (int k = 0; k < TALLY_COUNT; k++)
            tpl_set_fmt(row, tally_name((enum tally)k), "%zu", s->tally[k][v]);
    }
    struct tpl_data *total = tpl_add_item(root, "tallies");
    tpl_set_str(total, "name", "total");
    for (int k = 0; k < TALLY_COUNT; k++)
        tpl_set_fmt(total, tally_name((enum tally)k), "%zu", s->tally_total[k]);

    size_t max = o->html_max_findings && o->html_max_findings < rep->n_resolved
               ? o->html_max_findings : rep->n_resolved;
    tpl_set_bool(root, "has_resolved", rep->n_resolved > 0);
    tpl_set_fmt(root, "resolved_total", "%zu", rep->n_resolved);
    tpl_set_list(root, "resolved");
    for (size_t i = 0; i < max; i++)
        finding_row(tpl_add_item(root, "resolved"), rep, &rep->resolved[i], rw);
    tpl_set_bool(root, "resolved_cut", max < rep->n_resolved);
    tpl_set_fmt(root, "resolved_hidden", "%zu", rep->n_resolved - max);
}

static void waivers(struct tpl_data *root, const struct report *rep)
{
    tpl_set_bool(root, "has_waivers", rep->n_waivers > 0);
    tpl_set_fmt(root, "waivers_count", "%zu", rep->n_waivers);
    tpl_set_int(root, "warn_expiring_days", rep->meta.warn_expiring_days);
    tpl_set_list(root, "waivers");
    for (size_t i = 0; i < rep->n_waivers; i++) {
        const struct report_waiver *w = &rep->waivers[i];
        struct tpl_data *o = tpl_add_item(root, "waivers");
        tpl_set_str(o, "id", w->id);
        tpl_set_str(o, "state", waiver_state_name(w->state));
        tpl_set_str(o, "rule", w->rule);
        tpl_set_str(o, "when", w->when);
        tpl_set_str(o, "reason", w->reason);
        tpl_set_str(o, "owner", w->owner);
        tpl_set_str(o, "ticket", w->ticket);
        tpl_set_str(o, "expires", w->expires);
        tpl_set_str(o, "file", w->file);
        tpl_set_int(o, "line", w->line);
        tpl_set_fmt(o, "waived", "%zu", w->waived);
        tpl_set_fmt(o, "matched", "%zu", w->matched);
        tpl_set_fmt(o, "unknown", "%zu", w->unknown);
    }
}

/* Image groups of the listed findings: worst severity first, then the
 * images with more findings, then input order. */
static _Thread_local const struct report *group_rep;   /* per thread: writers run at once */
static int group_cmp(const void *a, const void *b)
{
    const struct report_finding *x = report_finding_at(group_rep, *(const size_t *)a);
    const struct report_finding *y = report_finding_at(group_rep, *(const size_t *)b);
    const struct report_image *ix = report_image_at(group_rep, x->image);
    const struct report_image *iy = report_image_at(group_rep, y->image);
    if (ix->max_severity != iy->max_severity)
        return ix->max_severity > iy->max_severity ? -1 : 1;
    if (ix->findings != iy->findings)
        return ix->findings > iy->findings ? -1 : 1;
    if (x->image != y->image)
        return x->image < y->image ? -1 : 1;
    /* Report order within an image. */
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void image_groups(struct tpl_data *root, const struct report *rep, size_t *listed,
                         size_t n, struct rows *rw)
{
    struct buf *tmp = &rw->tmp;
    group_rep = rep;
    if (n)
        qsort(listed, n, sizeof *listed, group_cmp);
    tpl_set_list(root, "finding_images");
    for (size_t i = 0; i < n;) {
        uint32_t img = report_finding_at(rep, listed[i])->image;
        size_t j = i;
        while (j < n && report_finding_at(rep, listed[j])->image == img)
            j++;
        const struct report_image *im = report_image_at(rep, img);
        struct tpl_data *g = tpl_add_item(root, "finding_images");
        static const enum fcol_id ident[] = {FC_NAMESPACE, FC_IMAGE_NAME, FC_IMAGE_VERSION,
                                             FC_IMAGE_DIGEST, FC_REGISTRY_NAME, FC_VUL_NUM,
                                             FC_LATEST_SCAN_TIME, FC_SCAN_STATUS};
        for (size_t k = 0; k < sizeof ident / sizeof ident[0]; k++) {
            struct fcol_value v;
            fcol_value(rep, report_finding_at(rep, listed[i]), ident[k], &v);
            buf_clear(tmp);
            fcol_text(tmp, &v);
            set_cell(g, NULL, fcol_defs[ident[k]].name, buf_cstr(tmp), tmp->len);
        }
        tpl_set_str(g, "worst", severity_name((enum severity)im->max_severity));
        tpl_set_int(g, "worst_rank", im->max_severity);
        tpl_set_fmt(g, "image_findings", "%" PRIu32, im->findings);
        tpl_set_fmt(g, "listed", "%zu", j - i);
        tpl_set_bool(g, "partial", j - i < im->findings);
        for (size_t k = i; k < j; k++)
            finding_row(tpl_add_item(g, "rows"), rep, report_finding_at(rep, listed[k]), rw);
        i = j;
    }
}

static void findings(struct tpl_data *root, const struct report *rep, const struct tpl *t,
                     const struct render_opts *o, struct rows *rw, size_t *shown_out)
{
    bool flat = tpl_uses(t, "findings", true);
    size_t max = o->html_max_findings;
    bool cut = max && rep->n_findings > max;
    size_t *quota = NULL, *shown = xcalloc(rep->n_rules ? rep->n_rules : 1, sizeof *shown);
    if (cut) {
        quota = xcalloc(rep->n_rules ? rep->n_rules : 1, sizeof *quota);
        plan_quota(rep, max, quota);
    }
    /* At most html_max_findings of them (unless 0: all), grown as they
     * come: not an index per finding. */
    size_t *listed = NULL, listed_cap = 0;
    size_t total_shown = 0;
    tpl_set_list(root, "findings");
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = report_finding_at(rep, i);
        if (cut && shown[fi->rule] >= quota[fi->rule])
            continue;
        shown[fi->rule]++;
        XGROW(listed, listed_cap, total_shown + 1);
        listed[total_shown++] = i;
        if (flat)
            finding_row(tpl_add_item(root, "findings"), rep, fi, rw);
    }
    if (tpl_uses(t, "finding_images", true))
        image_groups(root, rep, listed, total_shown, rw);
    tpl_set_bool(root, "has_findings", rep->n_findings > 0);
    tpl_set_fmt(root, "findings_shown", "%zu", total_shown);
    tpl_set_bool(root, "truncated", cut);
    tpl_set_fmt(root, "findings_hidden", "%zu", rep->n_findings - total_shown);
    tpl_set_str(root, "full_findings_path", o->full_findings_path);
    tpl_set_list(root, "cut_rules");
    for (size_t r = 0; cut && r < rep->n_rules; r++) {
        if (shown[r] == rep->rules[r].findings)
            continue;
        struct tpl_data *c = tpl_add_item(root, "cut_rules");
        tpl_set_str(c, "rule_id", rep->rules[r].id);
        tpl_set_str(c, "severity", severity_name(rep->rules[r].severity));
        tpl_set_fmt(c, "shown", "%zu", shown[r]);
        tpl_set_fmt(c, "total", "%zu", rep->rules[r].findings);
    }
    *shown_out = total_shown;
    free(listed);
    free(quota);
    free(shown);
}

static void rules(struct tpl_data *root, const struct report *rep)
{
    tpl_set_list(root, "rules");
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct report_rule *r = &rep->rules[i];
        struct tpl_data *o = tpl_add_item(root, "rules");
        tpl_set_str(o, "id", r->id);
        tpl_set_str(o, "title", r->title);
        tpl_set_str(o, "severity", severity_name(r->severity));
        tpl_set_int(o, "sev_rank", r->severity);
        tpl_set_str(o, "description", r->description);
        tpl_set_str(o, "remediation", r->remediation);
        tpl_set_str(o, "when", r->when);
        tpl_set_str(o, "file", r->file);
        tpl_set_list(o, "tags");
        for (size_t t = 0; t < r->n_tags; t++)
            tpl_add_str(o, "tags", r->tags[t]);
        tpl_set_fmt(o, "findings", "%zu", r->findings);
        tpl_set_fmt(o, "unknown", "%zu", r->unknown);
        tpl_set_bool(o, "has_findings", r->findings > 0);
        tpl_set_bool(o, "regex_disabled", r->regex_disabled);
        tpl_set_fmt(o, "regex_limit_hits", "%zu", r->regex_limit_hits);
    }
}

static void metadata(struct tpl_data *root, const struct report *rep)
{
    const struct report_meta *m = &rep->meta;
    struct rview_row *rows;
    size_t n = rview_meta_rows(rep, &rows);
    tpl_set_list(root, "meta");
    for (size_t i = 0; i < n; i++) {
        /* Rule files and params have their own tables on the page. */
        if (strcmp(rows[i].label, "Rule file") == 0 || strcmp(rows[i].label, "Param") == 0)
            continue;
        struct tpl_data *o = tpl_add_item(root, "meta");
        tpl_set_str(o, "label", rows[i].label);
        tpl_set_str(o, "value", rows[i].value);
    }
    rview_rows_free(rows, n);
    tpl_set_list(root, "rule_files");
    for (size_t i = 0; i < m->n_rulefiles; i++) {
        struct tpl_data *o = tpl_add_item(root, "rule_files");
        tpl_set_str(o, "path", m->rulefiles[i].path);
        tpl_set_str(o, "sha256", m->rulefiles[i].sha256);
    }
    tpl_set_list(root, "params");
    for (size_t i = 0; i < m->n_params; i++) {
        struct tpl_data *o = tpl_add_item(root, "params");
        tpl_set_str(o, "name", m->params[i].name);
        tpl_set_str(o, "value", m->params[i].value);
        tpl_set_str(o, "type", m->params[i].type);
    }
    tpl_set_list(root, "quality");
    for (size_t i = 0; i < rep->n_quality; i++) {
        const struct report_quality *q = &rep->quality[i];
        struct tpl_data *o = tpl_add_item(root, "quality");
        tpl_set_str(o, "field", q->field);
        tpl_set_str(o, "problem", q->problem);
        tpl_set_fmt(o, "count", "%zu", q->count);
        tpl_set_fmt(o, "first_record", "%zu", q->first_record);
        if (q->first_line)
            tpl_set_fmt(o, "first_line", "%" PRIu64, q->first_line);
        else
            tpl_set_str(o, "first_line", "");
    }
    tpl_set_bool(root, "has_quality", rep->n_quality > 0);
}

static void projects(struct tpl_data *root, const struct report *rep)
{
    tpl_set_bool(root, "has_projects", rep->n_sources > 0);
    tpl_set_list(root, "projects");
    for (size_t k = 0; k < rep->n_sources; k++) {
        const struct report_source *s = &rep->sources[k];
        struct tpl_data *o = tpl_add_item(root, "projects");
        tpl_set_str(o, "project_id", s->project_id ? s->project_id : "-");
        tpl_set_str(o, "region", s->region ? s->region : "-");
        tpl_set_str(o, "report", s->path ? s->path : "-");
        tpl_set_fmt(o, "images", "%zu", s->images);
        tpl_set_fmt(o, "findings", "%zu", s->findings);
        tpl_set_fmt(o, "open", "%zu", s->open_total);
        tpl_set_fmt(o, "critical", "%zu", s->open[SEV_CRITICAL]);
        tpl_set_fmt(o, "high", "%zu", s->open[SEV_HIGH]);
        tpl_set_fmt(o, "waived", "%zu", s->waived_total);
        tpl_set_str(o, "complete", s->complete ? "yes" : "INCOMPLETE");
    }
}

/* The nonce of the page's Content-Security-Policy: only the template's
 * own script elements carry it, so even markup that slipped past
 * escaping could not run a script.
 *
 * It is derived from the report instead of drawn at random, so that the
 * same input and --now give a byte-identical page like every other
 * format. It still cannot be known to whoever writes the data: it hashes
 * the SHA-256 of the input (or snapshot) bytes and of every rule file, so
 * a payload would have to contain a hash of itself. */
static void set_nonce(struct tpl_data *root, const struct report *rep)
{
    const struct report_meta *m = &rep->meta;
    struct buf b = BUF_INIT;
    buf_printf(&b, "imgaudit csp nonce 1\n%s\n%" PRId64 "\n%" PRId64 "\n%s\n",
               m->version ? m->version : "", m->generated_at_ms, m->now_ms, m->source_sha256);
    for (size_t i = 0; i < m->n_rulefiles; i++)
        buf_printf(&b, "%s\n", m->rulefiles[i].sha256);
    buf_printf(&b, "%zu %zu\n", rep->n_images, rep->n_findings);
    char hex[SHA256_HEX_LEN];
    sha256_hex(b.data, b.len, hex);
    buf_dispose(&b);
    hex[32] = '\0';
    tpl_set_str(root, "nonce", hex);
}

static void summary(struct tpl_data *root, const struct report *rep)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    char t[TIME_ISO_MAX], gate[RVIEW_GATE_MAX];

    tpl_set_str(root, "tool", m->tool);
    tpl_set_str(root, "version", m->version);
    time_format_iso(m->generated_at_ms, t);
    tpl_set_str(root, "generated_at", t);
    time_format_iso(m->now_ms, t);
    tpl_set_str(root, "now", t);
    if (m->provenance != REPORT_PROV_PULL)
        tpl_set_str(root, "source_label", report_source_label(m->provenance));
    else
        tpl_set_fmt(root, "source_label", "HSS API%s%s", m->region ? ", " : "",
                    m->region ? m->region : "");
    tpl_set_str(root, "gate", report_gate_name(m->gate));
    rview_gate_text(rep, gate, sizeof gate);
    tpl_set_str(root, "gate_text", gate);
    tpl_set_bool(root, "gate_pass", m->gate == GATE_PASS);
    tpl_set_bool(root, "gate_fail", m->gate == GATE_FAIL);
    tpl_set_bool(root, "gate_none", m->gate == GATE_NONE);
    tpl_set_bool(root, "gate_incomplete", m->gate == GATE_INCOMPLETE);
    tpl_set_str(root, "fail_on", m->fail_on >= 0
                ? severity_name((enum severity)m->fail_on) : "");
    tpl_set_bool(root, "incomplete", !m->complete);
    tpl_set_fmt(root, "records_received", "%zu", m->records_received);
    tpl_set_int(root, "expected_records", m->expected_records);
    tpl_set_fmt(root, "images", "%zu", s->images);
    tpl_set_fmt(root, "images_with_findings", "%zu", s->images_with_findings);
    tpl_set_fmt(root, "images_clean", "%zu", s->images - s->images_with_findings);
    tpl_set_fmt(root, "findings_total", "%zu", s->findings);
    tpl_set_fmt(root, "rules_count", "%zu", rep->n_rules);
    for (int v = SEV_COUNT - 1; v >= 0; v--) {
        struct tpl_data *o = tpl_add_item(root, "severities");
        tpl_set_str(o, "name", severity_name((enum severity)v));
        tpl_set_str(o, "label", sev_label((enum severity)v));
        tpl_set_fmt(o, "count", "%zu", s->by_severity[v]);
        tpl_set_int(o, "rank", v);
    }
}

/* Read a custom template; errors name the file. */
static char *read_template(const char *path, size_t *len, struct diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot open template: %s",
                  strerror(errno));
        return NULL;
    }
    struct buf b;
    buf_init(&b, HTML_TEMPLATE_MAX);
    int rc = buf_read_stream(&b, f);
    fclose(f);
    if (rc < 0) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "%s",
                  rc == -1 ? "template is larger than 8 MiB" : "cannot read template");
        buf_dispose(&b);
        return NULL;
    }
    *len = b.len;
    return buf_detach(&b);
}

/* Compile the template at 'path' (NULL: the built-in one) into '*out'. */
static int load_template(struct tpl **out, const char *path, struct diags *d)
{
    if (!path)
        return tpl_compile(out, "templates/report.html (built in)",
                           (const char *)tpl_report_html, tpl_report_html_len, html_schema, d);
    size_t len = 0;
    char *text = read_template(path, &len, d);
    if (!text)
        return -1;
    int rc = tpl_compile(out, path, text, len, html_schema, d);
    free(text);
    return rc;
}

int html_template_check(const char *path, struct diags *d)
{
    struct tpl *t = NULL;
    int rc = load_template(&t, path, d);
    tpl_free(t);
    return rc;
}

/* A temporary file with no name (it goes when closed, or when the
 * process dies), in $TMPDIR; NULL with an error in 'd'. */
static FILE *data_file(struct diags *d)
{
    FILE *f = distinct_tmpfile("html");
    if (!f) {
        diags_error(d, "cannot create a temporary file in %s for the HTML report's data "
                    "block: %s", tmpfile_dir(), strerror(errno));
    }
    return f;
}

int render_html(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d)
{
    struct tpl *t = NULL;
    int rc = load_template(&t, o->template_path, d);
    if (rc < 0)
        return -1;

    struct tpl_data *root = tpl_data_new();
    set_nonce(root, rep);
    summary(root, rep);
    projects(root, rep);
    charts(root, rep);
    struct rows rw = {.tmp = BUF_INIT};
    for (int c = 0; c < FC_COUNT; c++)
        rw.col[c] = tpl_uses(t, fcol_defs[c].name, false);
    changes(root, rep, o, &rw);
    size_t listed = 0;
    findings(root, rep, t, o, &rw, &listed);
    buf_dispose(&rw.tmp);
    waivers(root, rep);
    rules(root, rep);
    metadata(root, rep);
    struct html_data_opts hd = {listed};
    /* The data block grows with the findings: made in a nameless file in
     * $TMPDIR, copied into the page from there. */
    FILE *data = data_file(d);
    if (!data || html_data_write(data, rep, &hd) < 0) {
        if (data) {
            diags_error(d, "cannot write the HTML report's data block to a temporary file: %s",
                        strerror(errno));
            fclose(data);
        }
        rc = -1;
    } else {
        tpl_take_file(root, "data_json", data, (uint64_t)ftello(data));
        rc = tpl_render(t, root, out, d);
    }
    tpl_data_free(root);
    tpl_free(t);
    return rc;
}
