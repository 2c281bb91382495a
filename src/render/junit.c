/* SPDX-License-Identifier: MIT
 * The JUnit XML report, for the test views of Jenkins, GitLab and other
 * CI systems: one <testsuite> per rule, holding one <testcase> for it.
 * docs/reports.md has the layout; tests/cli/ci-formats.sh parses it.
 *
 * A rule's testcase
 *   fails     when the rule has open findings that the gate counts: at or
 *             above --fail-on, or new and at or above --fail-on-new; with
 *             neither given, any open finding. The failure lists those
 *             findings' images, at most JUNIT_MAX_LISTED, with the total;
 *   is skipped when the rule had findings and every one is waived;
 *   passes    otherwise (no findings, or open ones below the gate, which
 *             its <system-out> counts).
 * With --fail-on-expired-waivers one more testcase, "waivers", fails when
 * a waiver has expired, so that the file fails exactly when the gate does.
 * Disabled rules are not in the report model, so they have no testcase.
 *
 * Element and attribute names are the ones Jenkins' JUnit plugin and
 * GitLab's parser read: testsuites and testsuite (name, tests, failures,
 * errors, skipped, time), testcase (name, classname, file, time),
 * failure and skipped (message, type). Text goes through the XML text
 * mapping (render/xmltext.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/imageref.h"
#include "render/render.h"
#include "render/xmltext.h"
#include "util/xalloc.h"

#define JUNIT_MAX_LISTED 50
#define JUNIT_NONE UINT32_MAX

enum verdict { V_PASS, V_FAIL, V_SKIP };

/* A rule's findings (a list through next[], in report order) and what
 * the gate makes of them. */
struct rule_tally {
    uint32_t first, last;
    size_t open, waived, counted;   /* counted: open ones the gate counts */
    enum verdict verdict;
};

struct junit {
    FILE *out;
    struct buf esc;                 /* scratch: escaped text */
    struct buf text;                /* scratch: a failure's text */
};

/* Does the gate count open finding 'fi' of a rule of severity 'sev'? */
static bool counted(const struct report_meta *m, enum severity sev,
                    const struct report_finding *fi)
{
    if (m->fail_on < 0 && m->fail_on_new < 0)
        return true;
    return (m->fail_on >= 0 && (int)sev >= m->fail_on) ||
           (m->fail_on_new >= 0 && (int)sev >= m->fail_on_new && fi->change == CHANGE_NEW);
}

static struct rule_tally *tally_rules(const struct report *rep, uint32_t **next_out)
{
    struct rule_tally *t = xcalloc(rep->n_rules + 1, sizeof *t);
    uint32_t *next = xcalloc(rep->n_findings + 1, sizeof *next);
    for (size_t r = 0; r < rep->n_rules; r++)
        t[r].first = t[r].last = JUNIT_NONE;
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = report_finding_at(rep, i);
        struct rule_tally *rt = &t[fi->rule];
        next[i] = JUNIT_NONE;
        if (rt->last == JUNIT_NONE)
            rt->first = (uint32_t)i;
        else
            next[rt->last] = (uint32_t)i;
        rt->last = (uint32_t)i;
        if (fi->status == FINDING_WAIVED)
            rt->waived++;
        else {
            rt->open++;
            rt->counted += counted(&rep->meta, rep->rules[fi->rule].severity, fi);
        }
    }
    for (size_t r = 0; r < rep->n_rules; r++)
        t[r].verdict = t[r].counted ? V_FAIL : !t[r].open && t[r].waived ? V_SKIP : V_PASS;
    *next_out = next;
    return t;
}

/* A string that a report read back (diff) may lack. */
static const char *nz(const char *s)
{
    return s ? s : "";
}

/* Escaped text (attr: for an attribute value). */
static const char *esc(struct junit *j, const char *s, bool attr)
{
    buf_clear(&j->esc);
    xmltext_escape(&j->esc, nz(s), attr);
    return buf_cstr(&j->esc);
}

/* The gate, in words, for failure messages. */
static void gate_words(struct buf *b, const struct report_meta *m)
{
    if (m->fail_on < 0 && m->fail_on_new < 0) {
        buf_puts(b, "no --fail-on: every open finding fails");
        return;
    }
    if (m->fail_on >= 0)
        buf_printf(b, "fail on %s", severity_name((enum severity)m->fail_on));
    if (m->fail_on_new >= 0)
        buf_printf(b, "%sfail on new %s", m->fail_on >= 0 ? ", " : "",
                   severity_name((enum severity)m->fail_on_new));
}

static void put_failure(struct junit *j, const struct report *rep, const struct report_rule *r,
                        const struct rule_tally *t, const uint32_t *next)
{
    const struct report_meta *m = &rep->meta;
    struct buf *b = &j->text;
    buf_clear(b);
    buf_printf(b, "%zu open %s finding%s (", t->counted, severity_name(r->severity),
               t->counted == 1 ? "" : "s");
    gate_words(b, m);
    buf_putc(b, ')');
    fprintf(j->out, "      <failure message=\"%s\" type=\"%s\">", esc(j, buf_cstr(b), true),
            severity_name(r->severity));

    buf_clear(b);
    buf_printf(b, "%s (%s): %s\n", nz(r->id), severity_name(r->severity), nz(r->title));
    size_t listed = 0;
    for (uint32_t i = t->first; i != JUNIT_NONE; i = next[i]) {
        const struct report_finding *fi = report_finding_at(rep, i);
        if (fi->status == FINDING_WAIVED || !counted(m, r->severity, fi))
            continue;
        if (listed++ == JUNIT_MAX_LISTED) {
            buf_printf(b, "... and %zu more (%zu in total)\n", t->counted - JUNIT_MAX_LISTED,
                       t->counted);
            break;
        }
        imageref_append(b, report_finding_image(rep, fi), false);
        if (m->baseline.present && fi->change == CHANGE_NEW)
            buf_puts(b, " (new)");
        if (fi->message && strcmp(fi->message, nz(r->title)) != 0)
            buf_printf(b, ": %s", fi->message);
        buf_putc(b, '\n');
    }
    fprintf(j->out, "%s</failure>\n", esc(j, buf_cstr(b), false));
}

/* One rule: its testsuite and testcase. */
static void put_rule(struct junit *j, const struct report *rep, size_t ri,
                     const struct rule_tally *t, const uint32_t *next)
{
    const struct report_rule *r = &rep->rules[ri];
    fprintf(j->out, "  <testsuite name=\"%s\" tests=\"1\" failures=\"%d\" errors=\"0\" "
            "skipped=\"%d\" time=\"0\">\n", esc(j, r->id, true), t->verdict == V_FAIL,
            t->verdict == V_SKIP);
    fprintf(j->out, "    <testcase name=\"%s\"", esc(j, r->title, true));
    fprintf(j->out, " classname=\"imgaudit.%s\"", esc(j, r->id, true));
    if (r->file)
        fprintf(j->out, " file=\"%s\"", esc(j, r->file, true));
    fputs(" time=\"0\">\n", j->out);
    if (t->verdict == V_FAIL) {
        put_failure(j, rep, r, t, next);
    } else if (t->verdict == V_SKIP) {
        fprintf(j->out, "      <skipped message=\"all %zu finding%s waived\"/>\n", t->waived,
                t->waived == 1 ? " is" : "s are");
    } else if (t->open) {
        buf_clear(&j->text);
        buf_printf(&j->text, "%zu open %s finding%s below the gate (", t->open,
                   severity_name(r->severity), t->open == 1 ? "" : "s");
        gate_words(&j->text, &rep->meta);
        buf_putc(&j->text, ')');
        fprintf(j->out, "      <system-out>%s</system-out>\n", esc(j, buf_cstr(&j->text), false));
    }
    fputs("    </testcase>\n  </testsuite>\n", j->out);
}

/* --fail-on-expired-waivers: the waivers as one more testcase, failing
 * when 'expired' waivers have expired. */
static void put_waivers(struct junit *j, const struct report *rep, size_t expired)
{
    fprintf(j->out, "  <testsuite name=\"waivers\" tests=\"1\" failures=\"%d\" errors=\"0\" "
            "skipped=\"0\" time=\"0\">\n", expired > 0);
    fputs("    <testcase name=\"no expired waivers\" classname=\"imgaudit.waivers\" "
          "time=\"0\">\n", j->out);
    if (expired) {
        fprintf(j->out, "      <failure message=\"%zu expired waiver%s (fail on expired "
                "waivers)\" type=\"expired-waiver\">", expired, expired == 1 ? "" : "s");
        struct buf *b = &j->text;
        buf_clear(b);
        for (size_t i = 0; i < rep->n_waivers; i++) {
            const struct report_waiver *w = &rep->waivers[i];
            if (w->state == WAIVER_EXPIRED)
                buf_printf(b, "%s (rule %s, owner %s, %s:%d): expired %s\n", nz(w->id),
                           nz(w->rule), nz(w->owner), nz(w->file), w->line, nz(w->expires));
        }
        fprintf(j->out, "%s</failure>\n", esc(j, buf_cstr(b), false));
    }
    fputs("    </testcase>\n  </testsuite>\n", j->out);
}

int render_junit(const struct report *rep, const struct render_opts *o, FILE *out,
                 struct diags *d)
{
    (void)o;
    uint32_t *next;
    struct rule_tally *t = tally_rules(rep, &next);
    size_t tests = rep->n_rules, failures = 0, skipped = 0;
    for (size_t r = 0; r < rep->n_rules; r++) {
        failures += t[r].verdict == V_FAIL;
        skipped += t[r].verdict == V_SKIP;
    }
    size_t expired = rep->summary.waivers_by_state[WAIVER_EXPIRED];
    bool waiver_case = rep->meta.fail_on_expired_waivers;
    if (waiver_case) {
        tests++;
        failures += expired > 0;
    }

    struct junit j = {out, BUF_INIT, BUF_INIT};
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\" time=\"0\">\n", esc(&j, rep->meta.tool ? rep->meta.tool
                                                  : "imgaudit", true), tests, failures, skipped);
    for (size_t r = 0; r < rep->n_rules; r++)
        put_rule(&j, rep, r, &t[r], next);
    if (waiver_case)
        put_waivers(&j, rep, expired);
    fputs("</testsuites>\n", out);
    buf_dispose(&j.esc);
    buf_dispose(&j.text);
    free(t);
    free(next);
    if (ferror(out)) {
        diags_error(d, "cannot write the JUnit report: %s", strerror(errno));
        return -1;
    }
    return 0;
}
