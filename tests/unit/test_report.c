/* SPDX-License-Identifier: MIT
 * Unit tests for the report model (src/report) and the CSV writer and
 * summary that read it: finding order, summary counts, the gate verdict,
 * data-quality rows, the CSV formula guard, missing vs empty cells. */
#define _DEFAULT_SOURCE             /* MAP_ANONYMOUS */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render/render.h"
#include "report/columns.h"
#include "report/report.h"
#include "report/stream.h"
#include "util/xalloc.h"

/* Three rules set by hand (the model does not need a rule set). */
static void add_rules(struct report *rep)
{
    static const struct { const char *id; enum severity sev; } rs[] = {
        {"B-RULE", SEV_HIGH}, {"A-RULE", SEV_HIGH}, {"C-RULE", SEV_LOW}};
    rep->n_rules = 3;
    rep->rules = xcalloc(3, sizeof *rep->rules);
    for (int i = 0; i < 3; i++) {
        rep->rules[i].id = report_str(rep, rs[i].id);
        rep->rules[i].title = report_str(rep, "title");
        rep->rules[i].severity = rs[i].sev;
        rep->rules[i].tags = xcalloc(1, sizeof(char *));
    }
}

static uint32_t add_image(struct report *rep, struct quality *q, const char *json)
{
    json_error_t err;
    json_t *obj = json_loads(json, 0, &err);
    assert_non_null(obj);
    struct record rec;
    record_decode(&rec, obj, rep->n_images, q);
    uint32_t idx = report_add_image(rep, &rec);
    record_dispose(&rec);
    return idx;
}

static void build(struct report *rep, int fail_on)
{
    struct quality q;
    quality_init(&q);
    report_init(rep);
    rep->meta.now_ms = 1764230400000;   /* 2025-11-27T08:00:00Z */
    add_rules(rep);
    uint32_t a = add_image(rep, &q, "{\"id\": 1, \"namespace\": \"prod\", \"image_name\": \"=cmd\","
                                    " \"vul_num\": 5, \"registry_name\": \"r1\"}");
    uint32_t b = add_image(rep, &q, "{\"id\": \"2\", \"namespace\": \"dev\", \"image_name\": \"\","
                                    " \"image_size\": \"1,000 (bytes)\", \"scan_status\": \"odd\"}");
    uint32_t c = add_image(rep, &q, "{\"id\": 3, \"namespace\": \"prod\", \"latest_scan_time\": "
                                    "1691748641788, \"image_size\": true}");
    /* Added out of order on purpose. */
    report_add_finding(rep, 2, a, "low on a");
    report_add_finding(rep, 0, c, "B on c");
    report_add_finding(rep, 0, a, "B on a");
    report_add_finding(rep, 1, b, "A on b");
    report_add_unknown(rep, 2);
    report_set_quality(rep, &q);
    rep->meta.fail_on = fail_on;
    report_finish(rep);
}

/* A record with every field set (association_images: one). */
static const char full_image[] =
    "{\"id\": 7, \"namespace\": \"prod\", \"image_name\": \"nginx\", \"image_id\": \"abc\","
    " \"image_digest\": \"sha256:def\", \"image_version\": \"1.25\", \"image_type\":"
    " \"private_image\", \"registry_id\": \"reg-1\", \"registry_name\": \"swr\","
    " \"registry_type\": \"SwrPrivate\", \"latest_version\": true, \"scan_status\": \"failed\","
    " \"scan_failed_desc\": \"Unknown error.\", \"scan_failed_code\": \"unknown_error\","
    " \"image_size\": 1000, \"latest_update_time\": 1691748641788, \"latest_scan_time\":"
    " 1691748641789, \"latest_sync_time\": 1691748641790, \"vul_num\": 3,"
    " \"unsafe_setting_num\": 2, \"malicious_file_num\": 1, \"domain_name\": \"d.example\","
    " \"shared_status\": \"shared\", \"scannable\": true, \"is_multiple_arch\": false,"
    " \"instance_name\": \"i\", \"instance_id\": \"i-1\", \"instance_url\": \"https://i\","
    " \"severity_level\": \"High\", \"association_images\": [{\"id\": \"a\"}]}";

/* Two images streamed to disk, the first with a finding: every field of
 * both (flags 0), or (STREAM_LEAN_IMAGES) the first's finding columns
 * and the second's identity only. Returns the report, finished. */
static void stream_two(struct report *rep, unsigned flags)
{
    struct quality q;
    quality_init(&q);
    report_init(rep);
    rep->meta.now_ms = 1764230400000;
    add_rules(rep);
    struct diags d = DIAGS_INIT;
    assert_int_equal(report_stream_begin(rep, flags, &d), 0);
    uint32_t a = add_image(rep, &q, full_image);
    report_add_finding(rep, 0, a, "on a");
    add_image(rep, &q, full_image);
    assert_int_equal(report_stream_end(rep, &d), 0);
    report_set_quality(rep, &q);
    report_finish(rep);
    diags_dispose(&d);
}

static bool in_columns(int f)
{
    for (int c = 0; c < FC_COUNT; c++)
        if (fcol_defs[c].field == f)
            return true;
    return false;
}

static bool in_identity(int f)
{
    for (size_t k = 0; k < REPORT_IDENTITY_FIELDS; k++)
        if ((int)report_identity_fields[k] == f)
            return true;
    return false;
}

/* STREAM_LEAN_IMAGES keeps of an image with findings exactly the
 * fields of its finding columns, of one without exactly its identity,
 * each cell as it was; the CSV is the same as with every field kept. */
static void test_stream_lean(void **state)
{
    (void)state;
    struct report all, lean;
    stream_two(&all, 0);
    stream_two(&lean, STREAM_LEAN_IMAGES);
    assert_false(all.images_lean);
    assert_true(lean.images_lean);
    assert_int_equal(lean.n_images, 2);
    assert_int_equal(lean.n_findings, 1);
    int kept[2] = {0, 0};
    for (size_t i = 0; i < 2; i++) {
        struct report_image want = *report_image_at(&all, i), got = *report_image_at(&lean, i);
        assert_int_equal(got.findings, want.findings);
        assert_int_equal(got.max_severity, want.max_severity);
        for (int f = 0; f < FIELD_COUNT; f++) {
            const struct rcell *w = &want.c[f], *g = &got.c[f];
            assert_int_equal(w->state, CELL_OK);      /* every field set in full */
            bool keep = i == 0 ? in_columns(f) || in_identity(f) : in_identity(f);
            if (!keep) {
                assert_int_equal(g->state, CELL_MISSING);
                continue;
            }
            kept[i]++;
            assert_int_equal(g->state, CELL_OK);
            if (field_defs[f].type == FT_STR)
                assert_string_equal(g->v.s, w->v.s);
            else if (field_defs[f].type == FT_BOOL)
                assert_int_equal(g->v.b, w->v.b);
            else
                assert_true(g->v.i == w->v.i);
        }
    }
    assert_int_equal(kept[0], 15);                  /* columns.def's image fields */
    assert_int_equal(kept[1], REPORT_IDENTITY_FIELDS);
    struct buf a = BUF_INIT, b = BUF_INIT;
    render_csv_rows(&all, 0, all.n_findings, &a);
    render_csv_rows(&lean, 0, lean.n_findings, &b);
    assert_string_equal(b.data, a.data);
    assert_non_null(strstr(b.data, "\"sha256:def\""));
    buf_dispose(&a);
    buf_dispose(&b);
    report_dispose(&all);
    report_dispose(&lean);
}

static void test_order_and_summary(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, SEV_HIGH);
    /* severity desc, then rule id, then input order */
    assert_string_equal(rep.findings[0].message, "A on b");
    assert_string_equal(rep.findings[1].message, "B on a");
    assert_string_equal(rep.findings[2].message, "B on c");
    assert_string_equal(rep.findings[3].message, "low on a");
    assert_int_equal(rep.summary.findings, 4);
    assert_int_equal(rep.summary.images, 3);
    assert_int_equal(rep.summary.images_with_findings, 3);
    assert_int_equal(rep.summary.by_severity[SEV_HIGH], 3);
    assert_int_equal(rep.summary.by_severity[SEV_LOW], 1);
    assert_int_equal(rep.rules[0].findings, 2);
    assert_int_equal(rep.rules[2].unknown, 1);
    assert_int_equal(rep.summary.n_by_namespace, 2);
    assert_string_equal(rep.summary.by_namespace[0].key, "prod");
    assert_int_equal(rep.summary.by_namespace[0].count, 3);
    assert_string_equal(rep.summary.by_registry[0].key, "(none)");
    assert_int_equal(rep.summary.by_registry[0].count, 2);
    assert_int_equal(rep.images[0].max_severity, SEV_HIGH);
    assert_int_equal(rep.meta.gate, GATE_FAIL);
    /* id "2" is accepted as an integer; image_size is wrong twice. */
    assert_int_equal(rep.images[1].c[F_ID].state, CELL_OK);
    assert_true(rep.images[1].c[F_ID].v.i == 2);
    assert_int_equal(rep.n_quality, 2);
    /* In schema field order: scan_status comes before image_size. */
    assert_string_equal(rep.quality[0].field, "scan_status");
    assert_string_equal(rep.quality[0].problem, "unknown value");
    assert_string_equal(rep.quality[1].field, "image_size");
    assert_string_equal(rep.quality[1].problem, "wrong type");
    assert_int_equal(rep.quality[1].count, 2);
    assert_int_equal(rep.quality[1].first_record, 2);    /* the second record, counted from 1 */
    report_dispose(&rep);
}

static void test_gate(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, SEV_CRITICAL);
    assert_int_equal(rep.meta.gate, GATE_PASS);
    report_dispose(&rep);
    build(&rep, -1);
    assert_int_equal(rep.meta.gate, GATE_NONE);
    report_dispose(&rep);
    build(&rep, SEV_INFO);
    assert_int_equal(rep.meta.gate, GATE_FAIL);
    /* Incomplete data: a gate can still fail, but never pass. */
    rep.meta.complete = false;
    report_finish(&rep);
    assert_int_equal(rep.meta.gate, GATE_FAIL);
    report_dispose(&rep);
    build(&rep, SEV_CRITICAL);
    rep.meta.complete = false;
    report_finish(&rep);
    assert_int_equal(rep.meta.gate, GATE_INCOMPLETE);
    assert_string_equal(report_gate_name(rep.meta.gate), "incomplete");
    report_dispose(&rep);
    build(&rep, -1);
    rep.meta.complete = false;
    report_finish(&rep);
    assert_int_equal(rep.meta.gate, GATE_NONE);
    report_dispose(&rep);
}

/* A finding without a message of its own shows its rule's title, and
 * refers to it: a thousand such findings store no text. */
static void test_message_refers_to_rule(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, -1);
    size_t before = rep.text.total;
    for (int i = 0; i < 1000; i++)
        report_add_finding(&rep, 0, 0, NULL);
    assert_int_equal(rep.text.total, before);
    struct fcol_value v;
    fcol_value(&rep, &rep.findings[rep.n_findings - 1], FC_MESSAGE, &v);
    assert_int_equal(v.kind, FV_TEXT);
    assert_string_equal(v.s, rep.rules[0].title);
    report_dispose(&rep);
}

static void test_csv(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, -1);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct diags d = DIAGS_INIT;
    struct render_opts o = RENDER_OPTS_INIT;
    assert_int_equal(render_csv(&rep, &o, f, &d), 0);
    fclose(f);
    /* Every finding is new without a baseline, first seen at --now. */
    const char *want =
        "severity,rule_id,namespace,image_name,image_version,message,remediation,status,change,"
        "rule_title,first_seen,age_days,image_digest,image_id,registry_name,registry_type,"
        "image_type,severity_level,vul_num,malicious_file_num,unsafe_setting_num,scan_status,"
        "latest_scan_time,waiver_id,waiver_reason,waiver_owner,waiver_expires,id,project_id,"
        "region\r\n"
        "\"high\",\"A-RULE\",\"dev\",\"\",,\"A on b\",,\"open\",\"new\",\"title\","
        "\"2025-11-27T08:00:00Z\",0,,,,,,,,,,\"odd\",,,,,,2,,\r\n"
        "\"high\",\"B-RULE\",\"prod\",\"'=cmd\",,\"B on a\",,\"open\",\"new\",\"title\","
        "\"2025-11-27T08:00:00Z\",0,,,\"r1\",,,,5,,,,,,,,,1,,\r\n"
        "\"high\",\"B-RULE\",\"prod\",,,\"B on c\",,\"open\",\"new\",\"title\","
        "\"2025-11-27T08:00:00Z\",0,,,,,,,,,,,\"2023-08-11T10:10:41.788Z\",,,,,3,,\r\n"
        "\"low\",\"C-RULE\",\"prod\",\"'=cmd\",,\"low on a\",,\"open\",\"new\",\"title\","
        "\"2025-11-27T08:00:00Z\",0,,,\"r1\",,,,5,,,,,,,,,1,,\r\n";
    assert_string_equal(text, want);
    free(text);
    diags_dispose(&d);
    report_dispose(&rep);
}

/* The CSV written in chunks (render_stage's threads write a large one
 * so): the chunks, in order, are the whole report's bytes, for every
 * chunk size, and an empty chunk is nothing. */
static void test_csv_chunks(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, -1);                /* 4 findings: uneven chunks */
    struct diags d = DIAGS_INIT;
    struct render_opts o = RENDER_OPTS_INIT;
    char *whole = NULL;
    size_t whole_len = 0;
    FILE *f = open_memstream(&whole, &whole_len);
    assert_int_equal(render_csv(&rep, &o, f, &d), 0);
    fclose(f);
    for (size_t size = 1; size <= 5; size++) {
        struct buf cat = BUF_INIT;
        for (size_t from = 0; from < rep.n_findings; from += size) {
            size_t to = from + size < rep.n_findings ? from + size : rep.n_findings;
            size_t before = cat.len;
            render_csv_rows(&rep, from, to, &cat);
            /* Only the first chunk has the header; the others start with a row. */
            if (from > 0)
                assert_memory_equal(cat.data + before, "\"", 1);
        }
        assert_int_equal(cat.len, whole_len);
        assert_memory_equal(cat.data, whole, whole_len);
        size_t len = cat.len;
        render_csv_rows(&rep, 2, 2, &cat);
        assert_int_equal(cat.len, len);
        buf_dispose(&cat);
    }
    free(whole);
    diags_dispose(&d);
    report_dispose(&rep);
}

/* A text cell as the CSV writer must write it: quoted, quotes doubled,
 * an apostrophe before a formula's first character. */
static void csv_quote_ref(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    if (s[0] && strchr("=+-@\t\r", s[0]))
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

/* Text cells of every length from 0 to 40, at every alignment the
 * report's arena gives them, with a quote first, in the middle or last,
 * or a formula's first character: each as csv_quote_ref() writes it
 * (the writer looks for the end and a quote 16 bytes at a time). The
 * last text ends on the last byte of a page whose next page cannot be
 * read: the writer must not read past it. */
static void test_csv_text_cells(void **state)
{
    (void)state;
    struct report rep;
    struct quality q;
    quality_init(&q);
    report_init(&rep);
    rep.meta.now_ms = 1764230400000;
    add_rules(&rep);
    static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
    enum { VARIANTS = 5, MAXLEN = 40 };
    char texts[(MAXLEN + 1) * VARIANTS][MAXLEN + 1];
    size_t n = 0;
    for (size_t len = 0; len <= MAXLEN; len++) {
        for (int v = 0; v < VARIANTS; v++) {
            char *t = texts[n++];
            memcpy(t, abc, len);
            t[len] = '\0';
            if (len && v == 1)
                t[0] = '"';
            if (len && v == 2)
                t[len / 2] = '"';
            if (len && v == 3)
                t[len - 1] = '"';
            if (len && v == 4)
                t[0] = "=+-@"[len % 4];
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct buf js = BUF_INIT;
        buf_printf(&js, "{\"id\": %zu, \"image_name\": \"", i);
        for (const char *c = texts[i]; *c; c++) {
            if (*c == '"')
                buf_putc(&js, '\\');
            buf_putc(&js, *c);
        }
        buf_puts(&js, "\"}");
        uint32_t img = add_image(&rep, &q, js.data);
        report_add_finding(&rep, 1, img, texts[i]);
        buf_dispose(&js);
    }
    /* The remediation, on every row: the page's last bytes. */
    long page = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
    static const char tail[] = "fix it";
    char *end_text = map + page - sizeof tail;
    memcpy(end_text, tail, sizeof tail);
    rep.rules[1].remediation = end_text;
    report_set_quality(&rep, &q);
    report_finish(&rep);

    struct buf out = BUF_INIT;
    render_csv_rows(&rep, 0, rep.n_findings, &out);
    const char *row = strstr(out.data, "\r\n");
    assert_non_null(row);
    row += 2;
    for (size_t i = 0; i < n; i++) {
        struct buf want = BUF_INIT;
        buf_puts(&want, "\"high\",\"A-RULE\",,");
        csv_quote_ref(&want, texts[i]);
        buf_puts(&want, ",,");
        csv_quote_ref(&want, texts[i]);
        buf_puts(&want, ",\"fix it\",\"open\"");
        if (strncmp(row, want.data, want.len) != 0)
            fail_msg("row %zu: want %s, got %.*s", i, want.data, (int)want.len, row);
        row = strstr(row, "\r\n");
        assert_non_null(row);
        row += 2;
        buf_dispose(&want);
    }
    assert_string_equal(row, "");
    buf_dispose(&out);
    rep.rules[1].remediation = NULL;
    munmap(map, (size_t)page * 2);
    report_dispose(&rep);
}

/* The summary on stdout of 'rep', as one string (caller frees). */
static char *summary_text(const struct report *rep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    render_summary(rep, f);
    fclose(f);
    return text;
}

/* Counts of one are singular, every other count plural. */
static void test_summary_plurals(void **state)
{
    (void)state;
    struct report rep;
    build(&rep, -1);
    rep.meta.provenance = REPORT_PROV_PULL;
    rep.meta.endpoint = "https://hss.example";
    rep.meta.project_id = "p";
    rep.meta.records_received = 3;
    rep.meta.duplicates_dropped = 1;
    rep.meta.pages = 1;
    rep.meta.retries = 1;
    rep.meta.complete = false;
    rep.meta.expected_records = 1;
    rep.meta.fail_on_new = SEV_INFO;
    char *text = summary_text(&rep);
    assert_non_null(strstr(text, ", 1 duplicate dropped, 1 page, 1 retry\n"));
    assert_non_null(strstr(text, "INCOMPLETE: expected 1 record, received 3\n"));
    assert_non_null(strstr(text, "Changes:   no --baseline: all 4 findings count as new\n"));
    free(text);
    rep.meta.duplicates_dropped = 2;
    rep.meta.pages = 2;
    rep.meta.retries = 2;
    rep.meta.fail_on_new = -1;
    rep.meta.baseline.present = true;
    rep.meta.baseline.path = "last.json";
    rep.meta.baseline.findings = 1;
    text = summary_text(&rep);
    assert_non_null(strstr(text, ", 2 duplicates dropped, 2 pages, 2 retries\n"));
    assert_non_null(strstr(text, "Baseline:  last.json (as of 1970-01-01T00:00:00Z, 1 finding)\n"));
    free(text);
    report_dispose(&rep);

    /* One finding, no baseline: "the 1 finding counts". */
    report_init(&rep);
    add_rules(&rep);
    struct quality q;
    quality_init(&q);
    uint32_t a = add_image(&rep, &q, "{\"id\": 1}");
    report_add_finding(&rep, 0, a, NULL);
    rep.meta.fail_on_new = SEV_INFO;
    report_finish(&rep);
    text = summary_text(&rep);
    assert_non_null(strstr(text, "Changes:   no --baseline: the 1 finding counts as new\n"));
    free(text);
    report_dispose(&rep);
}

/* Run fn(rep) in a child whose stderr goes to a file: it must end with
 * SIGABRT, having printed exactly 'want'. */
static void aborts_with(void (*fn)(struct report *), struct report *rep, const char *want)
{
    char path[] = "/tmp/imgaudit-test-abort-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd, 2);
        signal(SIGABRT, SIG_DFL);
        fn(rep);
        _exit(0);       /* not reached when it aborts */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    char got[512] = {0};
    assert_true(pread(fd, got, sizeof got - 1, 0) >= 0);
    close(fd);
    unlink(path);
    assert_string_equal(got, want);
}

static void write_json(struct report *rep)
{
    struct render_job job = {FMT_JSON, "/tmp/imgaudit-test-abort-never.json", 0};
    struct render_opts o;
    memset(&o, 0, sizeof o);
    struct diags d = DIAGS_INIT;
    render_reports(rep, &job, 1, &o, &d);
}

static void resolved_image(struct report *rep)
{
    report_resolved_image_at(rep, 0);
}

/* What the app must not ask of a report built for finding lists only
 * (app.c: findings_only) ends the program, with a message, rather than
 * writing a report with missing cells: a full report of lean images, a
 * resolved finding's image when they were only counted. */
static void test_internal_errors(void **state)
{
    (void)state;
    struct report lean;
    stream_two(&lean, STREAM_LEAN_IMAGES);
    aborts_with(write_json, &lean, "imgaudit: internal error: a json report of a run whose "
                                   "images were kept lean (only their findings' columns)\n");
    assert_int_equal(access("/tmp/imgaudit-test-abort-never.json", F_OK), -1);
    lean.resolved_unread = true;
    aborts_with(resolved_image, &lean, "imgaudit: internal error: a resolved finding's image "
                                       "was asked for, but the resolved findings were only "
                                       "counted\n");
    report_dispose(&lean);
}

static void test_formats(void **state)
{
    (void)state;
    assert_int_equal(format_from_path("out/report.CSV"), FMT_CSV);
    assert_int_equal(format_from_path("r.xlsx"), FMT_XLSX);
    assert_int_equal(format_from_path("r.htm"), FMT_HTML);
    assert_int_equal(format_from_path("dir.json/r"), FMT_NONE);
    assert_int_equal(format_from_path("r.txt"), FMT_NONE);
    assert_int_equal(format_parse("json"), FMT_JSON);
    /* Full reports: the inventory, the resolved findings, the hashes. */
    assert_true(format_is_full(FMT_JSON) && format_is_full(FMT_HTML) && format_is_full(FMT_XLSX));
    assert_false(format_is_full(FMT_CSV) || format_is_full(FMT_SARIF) ||
                 format_is_full(FMT_JUNIT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_summary),
        cmocka_unit_test(test_stream_lean),
        cmocka_unit_test(test_internal_errors),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_chunks),
        cmocka_unit_test(test_csv_text_cells),
        cmocka_unit_test(test_message_refers_to_rule),
        cmocka_unit_test(test_summary_plurals),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
