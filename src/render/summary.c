/* SPDX-License-Identifier: MIT
 * The human summary printed on stdout after a report run: what was
 * evaluated, findings by severity, one line per rule (with the number
 * of records on which the rule could not decide because data was
 * missing), data-quality counts and the gate verdict. Plain text,
 * stable, so golden tests pin it byte for byte. */
#include <inttypes.h>
#include <string.h>

#include "render/render.h"
#include "util/timefmt.h"

static void print_source(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    if (m->input_path)
        fprintf(out, "Source:    %s (%s)\n", m->input_path, m->input_format ? m->input_format : "?");
    else
        fprintf(out, "Source:    %s project %s%s%s\n", m->endpoint ? m->endpoint : "?",
                m->project_id ? m->project_id : "?",
                m->enterprise_project_id ? ", enterprise project " : "",
                m->enterprise_project_id ? m->enterprise_project_id : "");
    for (size_t i = 0; i < m->n_filters; i++)
        fprintf(out, "Filter:    %s\n", m->filters[i]);
    const char *verb = m->input_path ? "read" : "received";
    if (m->has_total)
        fprintf(out, "Records:   %zu %s, total_num %" PRId64, m->records_received, verb,
                m->total_num);
    else
        fprintf(out, "Records:   %zu %s", m->records_received, verb);
    if (m->source_kind && strcmp(m->source_kind, "api") == 0)
        fprintf(out, ", %zu duplicates dropped, %zu page%s, %zu retries",
                m->duplicates_dropped, m->pages, m->pages == 1 ? "" : "s", m->retries);
    fputc('\n', out);
    if (m->source_sha256[0])
        fprintf(out, "SHA-256:   %s\n", m->source_sha256);
}

void render_summary(const struct report *rep, FILE *out)
{
    const struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    char now[TIME_ISO_MAX];
    time_format_iso(m->now_ms, now);

    fprintf(out, "imgaudit %s report as of %s\n", m->version, now);
    if (!m->complete)
        fprintf(out, "INCOMPLETE: expected %" PRId64 " records, received %zu\n",
                m->expected_records, m->records_received);
    print_source(rep, out);
    fprintf(out, "Images:    %zu evaluated, %zu with findings\n", s->images,
            s->images_with_findings);
    fprintf(out, "Findings:  %zu", s->findings);
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        fprintf(out, "%s%s %zu", sev == SEV_COUNT - 1 ? " (" : ", ",
                severity_name((enum severity)sev), s->by_severity[sev]);
    fputs(")\n", out);

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

    if (rep->n_quality) {
        fputs("\nData quality (treated as missing by rules):\n", out);
        for (size_t i = 0; i < rep->n_quality; i++) {
            const struct report_quality *q = &rep->quality[i];
            fprintf(out, "  %s: %s in %zu record%s (first: record %zu)\n", q->field, q->problem,
                    q->count, q->count == 1 ? "" : "s", q->first_record + 1);
        }
    }

    fputc('\n', out);
    switch (m->gate) {
    case GATE_NONE:
        fputs("Gate:      none (no --fail-on)\n", out);
        break;
    case GATE_PASS:
    case GATE_FAIL: {
        size_t at_or_above = 0;
        for (int sev = m->fail_on; sev < SEV_COUNT; sev++)
            at_or_above += s->by_severity[sev];
        fprintf(out, "Gate:      %s (--fail-on %s: %zu finding%s at or above %s)\n",
                m->gate == GATE_FAIL ? "FAIL" : "PASS", severity_name((enum severity)m->fail_on),
                at_or_above, at_or_above == 1 ? "" : "s",
                severity_name((enum severity)m->fail_on));
        break;
    }
    }
}
