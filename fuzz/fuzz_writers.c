/* SPDX-License-Identifier: MIT
 * Fuzz target for the report writers. Fuzzed image records are evaluated
 * with a fixed rule set and waivers, as `imgaudit report --input` would,
 * and the report model is written in every format. Each output is then
 * checked with a reader that is not the writer:
 *   XLSX   every XML part well-formed (util/zipread.h, then expat)
 *   JUnit  well-formed XML (expat)
 *   SARIF  parses (jansson), one result per finding, and no string that
 *          XML could not carry (the mapping of render/xmltext.h)
 *   JSON   parses (jansson), one finding per finding, and every time
 *          value in the schema's format (docs/report-schema.json, $defs/time)
 *   CSV    parses (libcsv, strict) back into exactly the header and each
 *          finding's column values, with the formula guard
 *   HTML   no '<' from the data unescaped: the page is rendered again
 *          after every '<' in the data's strings became 'x', and must hold
 *          exactly as many '<' (the template's and the writer's own)
 * A failed check prints what and aborts, so that libFuzzer keeps the input.
 *
 * Input layout (leading byte as options, as in fuzz_input.c):
 *   byte 0, bits 0-1  the gate: none; --fail-on low; --fail-on high;
 *                     --fail-on-new medium and --fail-on-expired-waivers
 *   byte 0, bit 2     --html-max-findings 2 (the cut page)
 *   byte 0, bit 3     3 rows per XLSX sheet (continuation sheets)
 *   byte 0, bit 4     the pull marked INCOMPLETE
 *   byte 0, bit 5     the records come from a pull (provenance, endpoint),
 *                     else from a file without provenance
 *   the rest          the saved image list (API body, JSON Lines, array)
 * Seeds in corpora/writers/ are image lists with one leading option byte. */
#include <csv.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/evaluate.h"
#include "fuzz.h"
#include "render/render.h"
#include "render/xmltext.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "xmlcheck.h"

/* 2026-11-27T08:00:00Z, the samples' --now. */
#define FUZZ_NOW_MS INT64_C(1795766400000)

/* Rules that fire often and put many fields into messages; waivers that
 * waive, expire and never match. No '<' here: the HTML check counts
 * every '<' outside the data. */
static const char rules_yaml[] =
    "version: 1\n"
    "rules:\n"
    "  - id: EVERY\n"
    "    title: Every image\n"
    "    severity: info\n"
    "    when: \"true\"\n"
    "    message: \"{namespace}/{image_name}:{image_version} @{image_digest} in {registry_name}\"\n"
    "  - id: VULNS\n"
    "    title: Too many vulnerabilities\n"
    "    severity: high\n"
    "    description: More than ten known vulnerabilities.\n"
    "    remediation: Rebuild on a patched base image.\n"
    "    tags: [vulnerability]\n"
    "    when: vul_num > 10\n"
    "    message: \"{vul_num} vulnerabilities in {image_name} ({scan_status}, {latest_scan_time})\"\n"
    "  - id: NOT-SCANNED\n"
    "    title: Not scanned\n"
    "    severity: critical\n"
    "    when: scan_status != \"success\"\n"
    "    message: \"{scan_failed_desc} [{scan_failed_code}] {domain_name}\"\n"
    "  - id: OLD-SCAN\n"
    "    title: Scan older than 30 days\n"
    "    severity: medium\n"
    "    when: age(latest_scan_time) > 30d\n"
    "    message: \"{image_id} last scanned {latest_scan_time}\"\n"
    "waivers:\n"
    "  - id: W-LAB\n"
    "    rule: \"*\"\n"
    "    when: namespace == \"lab\"\n"
    "    reason: Lab images only\n"
    "    owner: lab-team\n"
    "    ticket: SEC-1\n"
    "    expires: 2027-03-31\n"
    "  - id: W-OLD\n"
    "    rule: VULNS\n"
    "    when: image_name == \"old\"\n"
    "    reason: Expired\n"
    "    owner: web-team\n"
    "    expires: 2026-01-31\n";

static struct ruleset *rules;
static char xlsx_path[64];

static void check(bool ok, const char *what, const char *detail)
{
    if (!ok) {
        fprintf(stderr, "fuzz_writers: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
        abort();
    }
}

static void remove_xlsx(void)
{
    unlink(xlsx_path);
}

/* The rule set, compiled once (still reachable at exit, so LeakSanitizer
 * does not count it), and the XLSX scratch file. */
static void setup(void)
{
    if (rules)
        return;
    struct diags d = DIAGS_INIT;
    rules = ruleset_new();
    int bad = ruleset_add_text(rules, "fuzz-rules.yaml", rules_yaml, sizeof rules_yaml - 1, &d) < 0 ||
              ruleset_compile(rules, &d) < 0;
    if (bad)
        diags_print(&d, stderr);
    diags_dispose(&d);
    check(!bad, "the fixed rules do not compile", NULL);
    const char *dir = getenv("TMPDIR");
    snprintf(xlsx_path, sizeof xlsx_path, "%.40s/fuzz-writers-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(xlsx_path);
    check(fd >= 0, "cannot create the XLSX scratch file", xlsx_path);
    close(fd);
    atexit(remove_xlsx);
}

/* Render format 'fmt' into memory. */
static char *render_mem(const struct report *rep, enum format fmt, const struct render_opts *o,
                        size_t *len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    check(f != NULL, "open_memstream", NULL);
    struct diags d = DIAGS_INIT;
    int rc = fmt == FMT_CSV ? render_csv(rep, o, f, &d)
           : fmt == FMT_JSON ? render_json(rep, o, f, &d)
           : fmt == FMT_HTML ? render_html(rep, o, f, &d)
           : fmt == FMT_SARIF ? render_sarif(rep, o, f, &d)
           : render_junit(rep, o, f, &d);
    fclose(f);
    check(rc == 0, "a writer failed", format_name(fmt));
    diags_dispose(&d);
    return out;
}

/* ---- XLSX ---- */

static void check_xlsx(const struct report *rep, const struct render_opts *o)
{
    struct diags d = DIAGS_INIT;
    check(render_xlsx(rep, o, xlsx_path, &d) == 0, "render_xlsx failed", NULL);
    diags_dispose(&d);
    char err[XMLCHECK_ERR_MAX];
    size_t parts;
    int rc = xmlcheck_xlsx(xlsx_path, &parts, err);
    check(rc == 0, "XLSX", err);
    check(parts >= 10, "XLSX: too few XML parts", NULL);
}

/* ---- JSON and SARIF ---- */

/* "YYYY-MM-DDTHH:MM:SS(.mmm)?Z" ('date': "YYYY-MM-DD" alone). */
static bool time_format(const char *s, bool date)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t n = strlen(s), k;
    for (k = 0; shape[k] && k < n; k++)
        if (shape[k] == 'd' ? !(s[k] >= '0' && s[k] <= '9') : s[k] != shape[k])
            break;
    if (date && k == 10 && n == 10)
        return true;
    if (shape[k])
        return false;
    const char *rest = s + k;
    if (rest[0] == '.' && rest[1] >= '0' && rest[1] <= '9' && rest[2] >= '0' && rest[2] <= '9' &&
        rest[3] >= '0' && rest[3] <= '9')
        rest += 4;
    return strcmp(rest, "Z") == 0;
}

static bool time_key(const char *key)
{
    static const char *const fixed[] = {"generated_at", "now", "first_seen", "expires_at"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(key, fixed[i]) == 0)
            return true;
    for (int f = 0; f < FIELD_COUNT; f++)
        if (field_defs[f].type == FT_TIME && strcmp(key, report_field_key((enum field_id)f)) == 0)
            return true;
    return false;
}

/* Every value under a time key: null or the schema's time (a waiver's
 * expiry: or a date). */
static void check_times(json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v)
            check_times(v);
        return;
    }
    if (!json_is_object(j))
        return;
    json_object_foreach(j, key, v) {
        bool expiry = strcmp(key, "waiver_expires") == 0;
        if ((time_key(key) || expiry) && json_is_string(v)) {
            const char *s = json_string_value(v);
            check(time_format(s, expiry), "JSON: not the schema's time format", s);
        }
        check_times(v);
    }
}

static json_t *parse_json(const char *what, const char *text, size_t len)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, 0, &err);
    check(j != NULL, what, err.text);
    return j;
}

static void check_json(const struct report *rep, const char *text, size_t len)
{
    json_t *j = parse_json("JSON report does not parse", text, len);
    check(json_array_size(json_object_get(j, "findings")) == rep->n_findings,
          "JSON: findings missing", NULL);
    check(json_array_size(json_object_get(j, "inventory")) == rep->n_images,
          "JSON: images missing", NULL);
    check_times(j);
    json_decref(j);
}

static bool xml_safe(const char *s)
{
    struct buf b = BUF_INIT;
    size_t replaced = xmltext_clean(&b, s);
    buf_dispose(&b);
    return replaced == 0;
}

/* Every key and string of the SARIF log is XML-safe text. */
static void check_sarif_strings(json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_string(j))
        check(xml_safe(json_string_value(j)), "SARIF: a string XML cannot carry", NULL);
    else if (json_is_array(j))
        json_array_foreach(j, i, v)
            check_sarif_strings(v);
    else if (json_is_object(j))
        json_object_foreach(j, key, v) {
            check(xml_safe(key), "SARIF: a key XML cannot carry", NULL);
            check_sarif_strings(v);
        }
}

static void check_sarif(const struct report *rep, const char *text, size_t len)
{
    json_t *j = parse_json("SARIF does not parse", text, len);
    json_t *run = json_array_get(json_object_get(j, "runs"), 0);
    check(json_array_size(json_object_get(run, "results")) == rep->n_findings,
          "SARIF: not one result per finding", NULL);
    check_sarif_strings(j);
    json_decref(j);
}

/* ---- CSV ---- */

struct csv_row {
    char **f;                   /* NUL-terminated copies */
    size_t n, cap;
};

struct csv_rows {
    struct csv_row *v;
    size_t n, cap;
    struct csv_row cur;         /* the row being read */
};

static void csv_field(void *s, size_t len, void *ctx)
{
    struct csv_rows *c = ctx;
    XGROW(c->cur.f, c->cur.cap, c->cur.n + 1);
    char *f = xmalloc(len + 1);
    if (len)
        memcpy(f, s, len);
    f[len] = '\0';
    c->cur.f[c->cur.n++] = f;
}

static void csv_row(int term, void *ctx)
{
    (void)term;
    struct csv_rows *c = ctx;
    XGROW(c->v, c->cap, c->n + 1);
    c->v[c->n++] = c->cur;
    memset(&c->cur, 0, sizeof c->cur);
}

static void csv_row_free(struct csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    free(r->f);
}

static void csv_rows_free(struct csv_rows *c)
{
    for (size_t r = 0; r < c->n; r++)
        csv_row_free(&c->v[r]);
    csv_row_free(&c->cur);
    free(c->v);
}

/* What the CSV writer means a cell to be: the value's text, with the
 * OWASP formula guard on text (docs/reports.md). */
static void csv_expected(struct buf *b, const struct fcol_value *v)
{
    buf_clear(b);
    if (v->kind == FV_MISSING)
        return;
    struct buf t = BUF_INIT;
    fcol_text(&t, v);
    const char *s = buf_cstr(&t);
    if (v->kind != FV_INT && s[0] && strchr("=+-@\t\r", s[0]))
        buf_putc(b, '\'');
    buf_puts(b, s);
    buf_dispose(&t);
}

static void check_csv(const struct report *rep, const char *text, size_t len)
{
    struct csv_parser p;
    check(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0, "csv_init", NULL);
    struct csv_rows c = {0};
    check(csv_parse(&p, text, len, csv_field, csv_row, &c) == len, "CSV does not parse",
          csv_strerror(csv_error(&p)));
    check(csv_fini(&p, csv_field, csv_row, &c) == 0, "CSV does not end well",
          csv_strerror(csv_error(&p)));
    csv_free(&p);
    check(c.n == rep->n_findings + 1, "CSV: not one row per finding and a header", NULL);
    struct buf want = BUF_INIT;
    for (size_t r = 0; r < c.n; r++) {
        check(c.v[r].n == FC_COUNT, "CSV: a row with the wrong number of fields", NULL);
        for (int col = 0; col < FC_COUNT; col++) {
            if (r == 0) {
                check(strcmp(c.v[r].f[col], fcol_defs[col].name) == 0, "CSV: header",
                      c.v[r].f[col]);
                continue;
            }
            struct fcol_value v;
            fcol_value(rep, &rep->findings[r - 1], (enum fcol_id)col, &v);
            csv_expected(&want, &v);
            check(strcmp(c.v[r].f[col], buf_cstr(&want)) == 0, "CSV: a value did not round-trip",
                  fcol_defs[col].name);
        }
    }
    buf_dispose(&want);
    csv_rows_free(&c);
}

/* ---- HTML ---- */

static size_t count_lt(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '<';
    return n;
}

/* Turn every '<' in 's' (the report's own arena copy) into 'x'. */
static void defuse(const char *s)
{
    if (s)
        for (char *p = (char *)(uintptr_t)s; *p; p++)
            if (*p == '<')
                *p = 'x';
}

/* Every string of the model that comes from the data: the image cells,
 * the messages (the rules' templates filled with data), the namespace
 * and registry tallies. The rule set and waivers are fixed and hold no
 * '<'. Changes the report: call last. */
static void defuse_data(struct report *rep)
{
    for (size_t i = 0; i < rep->n_images; i++)
        for (int f = 0; f < FIELD_COUNT; f++)
            if (field_defs[f].type == FT_STR && rep->images[i].c[f].state == CELL_OK)
                defuse(rep->images[i].c[f].v.s);
    for (size_t i = 0; i < rep->n_findings; i++)
        defuse(rep->findings[i].message);
    for (size_t i = 0; i < rep->summary.n_by_namespace; i++)
        defuse(rep->summary.by_namespace[i].key);
    for (size_t i = 0; i < rep->summary.n_by_registry; i++)
        defuse(rep->summary.by_registry[i].key);
}

static void check_html(struct report *rep, const struct render_opts *o, const char *html,
                       size_t len)
{
    defuse_data(rep);
    size_t len2;
    char *again = render_mem(rep, FMT_HTML, o, &len2);
    check(count_lt(html, len) == count_lt(again, len2), "HTML: a '<' from the data is unescaped",
          NULL);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    setup();
    uint8_t opt = data[0];
    const uint8_t *body = data + 1;
    size_t len = size - 1;
    FILE *fp = len ? fmemopen((void *)(uintptr_t)body, len, "rb") : fopen("/dev/null", "rb");
    if (!fp)
        return 0;
    struct input_opts io = INPUT_OPTS_INIT;
    struct input *in;
    input_open_stream(&in, fp, "fuzz.jsonl", &io);

    struct report rep;
    report_init(&rep);
    rep.meta.now_ms = rep.meta.generated_at_ms = FUZZ_NOW_MS;
    static const int fail_on[4] = {-1, SEV_LOW, SEV_HIGH, -1};
    rep.meta.fail_on = fail_on[opt & 3];
    if ((opt & 3) == 3) {
        rep.meta.fail_on_new = SEV_MEDIUM;
        rep.meta.fail_on_expired_waivers = true;
    }
    report_set_rules(&rep, rules);
    struct diags d = DIAGS_INIT;
    /* A malformed list fails the run before any report is written; what
     * was read is a valid model all the same, and writing it reaches more
     * of the writers. */
    struct evaluate_opts eo = EVALUATE_OPTS_INIT;
    eo.jobs = 1;    /* no threads in a fuzzer */
    (void)evaluate_input(&rep, rules, in, FUZZ_NOW_MS, &eo, &d);
    diags_dispose(&d);
    const struct input_info *info = input_info(in);
    rep.meta.records_format = input_format_name(info->format);
    rep.meta.records_received = info->records;
    if (opt & 32) {
        rep.meta.provenance = REPORT_PROV_PULL;
        rep.meta.endpoint = "https://hss.example.test";
        rep.meta.region = "cn-north-4";
        rep.meta.project_id = "fuzz-project";
        rep.meta.pulled_at_ms = FUZZ_NOW_MS - 60000;
        rep.meta.pulled_by = "imgaudit " IMGAUDIT_VERSION;
        rep.meta.pages = 1;
    } else {
        rep.meta.provenance = REPORT_PROV_MISSING;
    }
    if (opt & 16) {
        rep.meta.complete = false;
        rep.meta.expected_records = (int64_t)info->records + 5;
    }
    report_finish(&rep);
    input_close(in);
    fclose(fp);

    struct render_opts o = RENDER_OPTS_INIT;
    if (opt & 4)
        o.html_max_findings = 2;
    if (opt & 8)
        setenv("IMGAUDIT_XLSX_MAX_ROWS", "3", 1);
    else
        unsetenv("IMGAUDIT_XLSX_MAX_ROWS");

    size_t n;
    char *out = render_mem(&rep, FMT_CSV, &o, &n);
    check_csv(&rep, out, n);
    free(out);
    out = render_mem(&rep, FMT_JSON, &o, &n);
    check_json(&rep, out, n);
    free(out);
    out = render_mem(&rep, FMT_SARIF, &o, &n);
    check_sarif(&rep, out, n);
    free(out);
    out = render_mem(&rep, FMT_JUNIT, &o, &n);
    char err[XMLCHECK_ERR_MAX];
    int rc = xmlcheck_doc(out, n, err);
    check(rc == 0, "JUnit", err);
    free(out);
    check_xlsx(&rep, &o);
    out = render_mem(&rep, FMT_HTML, &o, &n);
    check_html(&rep, &o, out, n);       /* last: it changes the model */
    free(out);
    report_dispose(&rep);
    return 0;
}
