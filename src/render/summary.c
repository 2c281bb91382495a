/* SPDX-License-Identifier: MIT
 * The human summary printed on stdout after a report run: what was
 * evaluated, findings by severity (open and waived), the changes since
 * the baseline, one line per rule (with the number of records on which
 * the rule could not decide because data was missing), the waivers with
 * their state, data-quality counts and the gate verdict, naming each
 * gate that failed. Plain text, stable, so golden tests pin it byte for
 * byte. */
#include <inttypes.h>
#include <string.h>

#include "render/render.h"
#include "util/timefmt.h"

static void print_source(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    bool pull = m->provenance == REPORT_PROV_PULL;
    if (m->provenance == REPORT_PROV_MERGE) {
        fprintf(out, "Source:    %zu merged report%s%s\n", rep->n_sources,
                rep->n_sources == 1 ? "" : "s",
                m->mixed_rules ? ", made with different rules (--allow-mixed-rules)" : "");
    } else if (pull) {
        char t[TIME_ISO_MAX];
        time_format_iso(m->pulled_at_ms, t);
        if (rep->n_sources)     /* several projects: listed below */
            fprintf(out, "Source:    HSS API, %zu projects\n", rep->n_sources);
        else
            fprintf(out, "Source:    %s project %s%s%s\n", m->endpoint ? m->endpoint : "?",
                    m->project_id ? m->project_id : "?",
                    m->enterprise_project_id ? ", enterprise project " : "",
                    m->enterprise_project_id ? m->enterprise_project_id : "");
        if (m->pulled_at_ms)
            fprintf(out, "Pulled:    %s%s%s\n", t, m->pulled_by ? " by " : "",
                    m->pulled_by ? m->pulled_by : "");
    } else {
        fprintf(out, "Source:    %s\n", report_source_label(m->provenance));
    }
    for (size_t i = 0; i < m->n_filters; i++)
        fprintf(out, "Filter:    %s\n", m->filters[i]);
    if (m->where)
        fprintf(out, "Where:     %s\n", m->where);
    if (m->split.by)
        fprintf(out, "Part:      %s %s\n", m->split.by, m->split.key ? m->split.key : "(none)");
    const char *verb = pull ? "received" : "read";
    if (m->has_total)
        fprintf(out, "Records:   %zu %s, total_num %" PRId64, m->records_received, verb,
                m->total_num);
    else
        fprintf(out, "Records:   %zu %s", m->records_received, verb);
    if (pull)
        fprintf(out, ", %zu duplicate%s dropped, %zu page%s, %zu retr%s",
                m->duplicates_dropped, m->duplicates_dropped == 1 ? "" : "s", m->pages,
                m->pages == 1 ? "" : "s", m->retries, m->retries == 1 ? "y" : "ies");
    fputc('\n', out);
    if (m->source_sha256[0])
        fprintf(out, "SHA-256:   %s\n", m->source_sha256);
}

/* "3 critical, 1 high" for the non-zero severities of a tally, or "none". */
static void print_by_severity(const size_t *by, FILE *out)
{
    int any = 0;
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        if (by[sev])
            fprintf(out, "%s%zu %s", any++ ? ", " : "", by[sev],
                    severity_name((enum severity)sev));
    if (!any)
        fputs("none", out);
}

static void print_changes(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    if (!m->baseline.present) {
        if (m->fail_on_new >= 0)
            fprintf(out, "Changes:   no --baseline: %s %zu finding%s count%s as new\n",
                    s->findings == 1 ? "the" : "all", s->findings,
                    s->findings == 1 ? "" : "s", s->findings == 1 ? "s" : "");
        return;
    }
    char then[TIME_ISO_MAX];
    time_format_iso(m->baseline.now_ms, then);
    fprintf(out, "Baseline:  %s (as of %s, %zu finding%s)\n", m->baseline.path, then,
            m->baseline.findings, m->baseline.findings == 1 ? "" : "s");
    fprintf(out, "Changes:   %zu new, %zu existing, ", s->tally_total[T_NEW],
            s->tally_total[T_EXISTING]);
    if (s->resolved_trusted)
        fprintf(out, "%zu resolved\n", s->tally_total[T_RESOLVED]);
    else if (!report_baseline_in_scope(m))
        fputs("resolved not listed: the baseline had another --where\n", out);
    else
        fprintf(out, "resolved not listed: the %s was INCOMPLETE\n",
                !m->baseline.complete ? "baseline" : "current pull");
    fputs("  new:      ", out);
    print_by_severity(s->tally[T_NEW], out);
    if (s->resolved_trusted) {
        fputs("\n  resolved: ", out);
        print_by_severity(s->tally[T_RESOLVED], out);
    }
    fputc('\n', out);
}

/* A merged report's summary row per source. */
static void print_sources(const struct report *rep, FILE *out)
{
    if (!rep->n_sources)
        return;
    size_t pw = strlen("project"), rw = strlen("region");
    for (size_t k = 0; k < rep->n_sources; k++) {
        const struct report_source *s = &rep->sources[k];
        if (s->project_id && strlen(s->project_id) > pw)
            pw = strlen(s->project_id);
        if (s->region && strlen(s->region) > rw)
            rw = strlen(s->region);
    }
    fprintf(out, "\n%-*s  %-*s  %7s  %8s  %6s  %6s  %-8s  %s\n", (int)pw, "project", (int)rw,
            "region", "images", "findings", "open", "waived", "complete", "report");
    for (size_t k = 0; k < rep->n_sources; k++) {
        const struct report_source *s = &rep->sources[k];
        fprintf(out, "%-*s  %-*s  %7zu  %8zu  %6zu  %6zu  %-8s  %s\n", (int)pw,
                s->project_id ? s->project_id : "-", (int)rw, s->region ? s->region : "-",
                s->images, s->findings, s->open_total, s->waived_total,
                s->complete ? "yes" : "NO", s->path ? s->path : "-");
    }
}

static void print_waivers(const struct report *rep, FILE *out)
{
    if (rep->n_waivers == 0)
        return;
    size_t idw = strlen("waiver");
    for (size_t i = 0; i < rep->n_waivers; i++)
        if (strlen(rep->waivers[i].id) > idw)
            idw = strlen(rep->waivers[i].id);
    fprintf(out, "\n%-*s  %-8s  %7s  %6s  %7s  %-20s  %s\n", (int)idw, "waiver", "state",
            "matched", "waived", "unknown", "expires", "owner");
    for (size_t i = 0; i < rep->n_waivers; i++) {
        const struct report_waiver *w = &rep->waivers[i];
        fprintf(out, "%-*s  %-8s  %7zu  %6zu  %7zu  %-20s  %s\n", (int)idw, w->id,
                waiver_state_name(w->state), w->matched, w->waived, w->unknown, w->expires,
                w->owner);
    }
}

/* One gate's line: FAIL, pass, or, on incomplete data, "not failed"
 * (the records that did not arrive were not checked). */
static const char *gate_word(const struct report_meta *m, unsigned bit)
{
    return m->gate_failed & bit ? "FAIL" : m->complete ? "pass" : "not failed";
}

static void print_gate(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    if (m->gate == GATE_NONE) {
        fputs("Gate:      none (no --fail-on)\n", out);
        return;
    }
    if (m->gate == GATE_INCOMPLETE) {
        int64_t missing = m->expected_records - (int64_t)m->records_received;
        fprintf(out, "Gate:      INCOMPLETE, not a pass: no gate failed on the %zu record%s "
                "received, but %" PRId64 " expected record%s %s not checked\n",
                m->records_received, m->records_received == 1 ? "" : "s", missing,
                missing == 1 ? "" : "s", missing == 1 ? "was" : "were");
    } else {
        fprintf(out, "Gate:      %s\n", m->gate == GATE_FAIL ? "FAIL" : "PASS");
    }
    if (m->fail_on >= 0) {
        size_t n = 0;
        for (int sev = m->fail_on; sev < SEV_COUNT; sev++)
            n += s->tally[T_OPEN][sev];
        fprintf(out, "  --fail-on %s: %s, %zu open finding%s at or above %s\n",
                severity_name((enum severity)m->fail_on), gate_word(m, GATE_BY_SEVERITY), n,
                n == 1 ? "" : "s", severity_name((enum severity)m->fail_on));
    }
    if (m->fail_on_new >= 0) {
        size_t n = 0;
        for (int sev = m->fail_on_new; sev < SEV_COUNT; sev++)
            n += s->new_open[sev];
        fprintf(out, "  --fail-on-new %s: %s, %zu new open finding%s at or above %s\n",
                severity_name((enum severity)m->fail_on_new), gate_word(m, GATE_BY_NEW), n,
                n == 1 ? "" : "s", severity_name((enum severity)m->fail_on_new));
    }
    if (m->fail_on_expired_waivers) {
        size_t n = s->waivers_by_state[WAIVER_EXPIRED];
        fprintf(out, "  --fail-on-expired-waivers: %s, %zu expired waiver%s\n",
                gate_word(m, GATE_BY_EXPIRED_WAIVER), n, n == 1 ? "" : "s");
    }
}

void render_summary(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    char now[TIME_ISO_MAX];
    time_format_iso(m->now_ms, now);

    fprintf(out, "imgaudit %s report as of %s\n", m->version, now);
    if (!m->complete)
        fprintf(out, "INCOMPLETE: expected %" PRId64 " record%s, received %zu\n",
                m->expected_records, m->expected_records == 1 ? "" : "s", m->records_received);
    /* Which projects are short, and by how much. */
    for (size_t k = 0; !m->complete && k < rep->n_sources; k++) {
        const struct report_source *src = &rep->sources[k];
        if (!src->complete)
            fprintf(out, "  project %s%s%s: %zu of %" PRId64 " records received\n",
                    src->project_id ? src->project_id : "-", src->region ? " in " : "",
                    src->region ? src->region : "", src->records_received,
                    src->expected_records);
    }
    print_source(rep, out);
    fprintf(out, "Images:    %zu evaluated, %zu with findings\n", s->images,
            s->images_with_findings);
    fprintf(out, "Findings:  %zu", s->findings);
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        fprintf(out, "%s%s %zu", sev == SEV_COUNT - 1 ? " (" : ", ",
                severity_name((enum severity)sev), s->by_severity[sev]);
    fputs(")\n", out);
    if (rep->n_waivers)
        fprintf(out, "Status:    %zu open, %zu waived\n", s->tally_total[T_OPEN],
                s->tally_total[T_WAIVED]);
    print_changes(rep, out);
    print_sources(rep, out);

    size_t idw = strlen("rule");
    for (size_t i = 0; i < rep->n_rules; i++)
        if (strlen(rep->rules[i].id) > idw)
            idw = strlen(rep->rules[i].id);
    fprintf(out, "\n%-*s  %-8s  %8s  %7s\n", (int)idw, "rule", "severity", "findings", "unknown");
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct report_rule *r = &rep->rules[i];
        fprintf(out, "%-*s  %-8s  %8zu  %7zu\n", (int)idw, r->id, severity_name(r->severity),
                r->findings, r->unknown);
    }

    for (size_t i = 0; i < rep->n_rules; i++)
        if (rep->rules[i].regex_disabled)
            fprintf(out, "%s: a regular expression was disabled after %zu match-limit hits; "
                    "its results are unknown from then on\n", rep->rules[i].id,
                    rep->rules[i].regex_limit_hits);

    if (rep->n_quality) {
        fputs("\nData quality (treated as missing by rules):\n", out);
        for (size_t i = 0; i < rep->n_quality; i++) {
            const struct report_quality *q = &rep->quality[i];
            fprintf(out, "  %s: %s in %zu record%s (first: record %zu", q->field, q->problem,
                    q->count, q->count == 1 ? "" : "s", q->first_record);
            if (q->first_line)
                fprintf(out, ", line %" PRIu64, q->first_line);
            fputs(")\n", out);
        }
    }

    print_waivers(rep, out);
    fputc('\n', out);
    print_gate(rep, out);
}
