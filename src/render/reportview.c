/* SPDX-License-Identifier: MIT
 * Presentation helpers shared by the XLSX and HTML writers; see
 * reportview.h. */
#include "render/reportview.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* Tailwind-like red/orange/amber/blue/slate: distinct for the common
 * forms of colour blindness when read together with the label. */
const struct rview_color rview_sev_color[SEV_COUNT] = {
    [SEV_INFO] = {0x64748B, 0xF1F5F9, 0x334155},
    [SEV_LOW] = {0x2563EB, 0xDBEAFE, 0x1E3A8A},
    [SEV_MEDIUM] = {0xD97706, 0xFEF3C7, 0x78350F},
    [SEV_HIGH] = {0xEA580C, 0xFFEDD5, 0x7C2D12},
    [SEV_CRITICAL] = {0xB91C1C, 0xFEE2E2, 0x7F1D1D},
};

struct rows {
    struct rview_row *v;
    size_t n, cap;
};

static void add(struct rows *r, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(struct rows *r, const char *label, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    XGROW(r->v, r->cap, r->n + 1);
    r->v[r->n] = (struct rview_row){label, buf_detach(&b), RV_TEXT, 0, NULL};
    r->n++;
}

static void add_str(struct rows *r, const char *label, const char *s)
{
    if (s)
        add(r, label, "%s", s);
}

/* A count, typed; its text says the unit ("14 days", "1 day"). */
static void add_int(struct rows *r, const char *label, int64_t n, const char *one,
                    const char *many)
{
    if (many)
        add(r, label, "%" PRId64 " %s", n, n == 1 ? one : many);
    else
        add(r, label, "%" PRId64, n);
    r->v[r->n - 1].kind = RV_INT;
    r->v[r->n - 1].num = n;
    r->v[r->n - 1].unit = many;
}

static void add_time(struct rows *r, const char *label, int64_t ms)
{
    char t[TIME_ISO_MAX];
    time_format_iso(ms, t);
    add(r, label, "%s", t);
    r->v[r->n - 1].kind = RV_TIME;
    r->v[r->n - 1].num = ms;
}

void rview_gate_text(const struct report *rep, char *out, size_t len)
{
    const struct report_meta *m = &rep->meta;
    if (m->gate == GATE_NONE) {
        snprintf(out, len, "no gate");
        return;
    }
    /* Each gate that is set, with its result when the verdict is FAIL. */
    struct buf b = BUF_INIT;
    buf_puts(&b, m->gate == GATE_FAIL ? "FAIL ("
                 : m->gate == GATE_INCOMPLETE ? "INCOMPLETE, not a pass: nothing failed in the "
                                                "records received ("
                 : "PASS (");
    const char *sep = "";
    if (m->fail_on >= 0) {
        buf_printf(&b, "%sfail on %s%s", sep, severity_name((enum severity)m->fail_on),
                   m->gate == GATE_FAIL && (m->gate_failed & GATE_BY_SEVERITY) ? ": failed" : "");
        sep = "; ";
    }
    if (m->fail_on_new >= 0) {
        buf_printf(&b, "%sfail on new %s%s", sep, severity_name((enum severity)m->fail_on_new),
                   m->gate == GATE_FAIL && (m->gate_failed & GATE_BY_NEW) ? ": failed" : "");
        sep = "; ";
    }
    if (m->fail_on_expired_waivers)
        buf_printf(&b, "%sfail on expired waivers%s", sep,
                   m->gate == GATE_FAIL && (m->gate_failed & GATE_BY_EXPIRED_WAIVER)
                   ? ": failed" : "");
    buf_putc(&b, ')');
    snprintf(out, len, "%s", buf_cstr(&b));
    buf_dispose(&b);
}

size_t rview_meta_rows(const struct report *rep, struct rview_row **out)
{
    const struct report_meta *m = &rep->meta;
    struct rows r = {NULL, 0, 0};
    char gate[RVIEW_GATE_MAX];

    add(&r, "Tool", "%s %s", m->tool ? m->tool : "imgaudit", m->version ? m->version : "");
    add_time(&r, "Generated at", m->generated_at_ms);
    add_time(&r, "Evaluated as of", m->now_ms);
    bool pull = m->provenance == REPORT_PROV_PULL;
    add_str(&r, "Source", report_source_label(m->provenance));
    add_str(&r, "Records format", m->records_format);
    add_str(&r, "Endpoint", m->endpoint);
    add_str(&r, "Region", m->region);
    add_str(&r, "Project ID", m->project_id);
    add_str(&r, "Enterprise project ID", m->enterprise_project_id);
    add_str(&r, "Where (--where)", m->where);
    if (m->split.by)
        add(&r, "Part (--split-by)", "%s %s", m->split.by, m->split.key ? m->split.key : "(none)");
    if (rep->n_sources)
        add_int(&r, "Merged reports", (int64_t)rep->n_sources, NULL, NULL);
    if (m->mixed_rules)
        add_str(&r, "Rules", "different in the merged reports (--allow-mixed-rules)");
    if (m->n_filters) {
        struct buf b = BUF_INIT;
        for (size_t i = 0; i < m->n_filters; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", m->filters[i]);
        add(&r, "Filters", "%s", buf_cstr(&b));
        buf_dispose(&b);
    }
    if (pull && m->pulled_at_ms)
        add_time(&r, "Pulled at", m->pulled_at_ms);
    add_str(&r, "Pulled by", m->pulled_by);
    if (m->has_total)
        add_int(&r, "Declared total (total_num)", m->total_num, NULL, NULL);
    add_int(&r, "Records received", (int64_t)m->records_received, NULL, NULL);
    if (!m->complete)
        add_int(&r, "Records expected", m->expected_records, NULL, NULL);
    if (pull) {
        add_int(&r, "Duplicates dropped", (int64_t)m->duplicates_dropped, NULL, NULL);
        add_int(&r, "Pages", (int64_t)m->pages, NULL, NULL);
        add_int(&r, "Retries", (int64_t)m->retries, NULL, NULL);
    }
    add_int(&r, "Images evaluated", (int64_t)rep->summary.images, NULL, NULL);
    if (m->source_sha256[0])
        add(&r, "Records SHA-256", "%s", m->source_sha256);
    for (size_t i = 0; i < m->n_rulefiles; i++)
        add(&r, "Rule file", "%s (SHA-256 %s)", m->rulefiles[i].path, m->rulefiles[i].sha256);
    for (size_t i = 0; i < m->n_params; i++)
        add(&r, "Param", "%s = %s (%s)", m->params[i].name, m->params[i].value,
            m->params[i].type);
    for (size_t i = 0; i < m->n_waiver_files; i++)
        add(&r, "Waiver file", "%s (SHA-256 %s)", m->waiver_files[i].path,
            m->waiver_files[i].sha256);
    if (m->n_waiver_files || rep->n_waivers)
        add_int(&r, "Warn when a waiver expires within", m->warn_expiring_days, "day", "days");
    if (m->baseline.present) {
        add(&r, "Baseline", "%s%s", m->baseline.path,
            m->baseline.complete ? "" : " (INCOMPLETE)");
        add_time(&r, "Baseline evaluated as of", m->baseline.now_ms);
        add_int(&r, "Baseline findings", (int64_t)m->baseline.findings, NULL, NULL);
        if (m->baseline.sha256[0])
            add(&r, "Baseline SHA-256", "%s", m->baseline.sha256);
    }
    for (size_t i = 0; i < m->n_warnings; i++)
        add(&r, "Warning", "%s", m->warnings[i]);
    rview_gate_text(rep, gate, sizeof gate);
    add(&r, "Gate", "%s", gate);
    /* The numbers are in "Records received" and "Records expected". */
    add(&r, "Completeness", "%s", m->complete ? "complete" : "INCOMPLETE");
    *out = r.v;
    return r.n;
}

void rview_rows_free(struct rview_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].value);
    free(rows);
}

size_t rview_top_rules(const struct report *rep, size_t *out, size_t max)
{
    size_t n = 0;
    /* Insertion into a short sorted list: 'max' is ten or so. */
    for (size_t i = 0; i < rep->n_rules; i++) {
        size_t c = rep->rules[i].findings;
        if (!c)
            continue;
        size_t at = n;
        while (at > 0 && rep->rules[out[at - 1]].findings < c)
            at--;
        if (at >= max)
            continue;
        size_t end = n < max ? n : max - 1;
        memmove(out + at + 1, out + at, (end - at) * sizeof *out);
        out[at] = i;
        if (n < max)
            n++;
    }
    return n;
}
