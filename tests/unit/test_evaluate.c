/* SPDX-License-Identifier: MIT
 * The findings stage (app/evaluate.c) split every way: 1, 2 and 4 jobs,
 * batches of 1, 7 and 1024 records, the fast decoder and jansson. The
 * report (rendered as JSON: inventory, findings with their waivers,
 * unknown counts, waiver counts, data quality) must be the same as the
 * reference (jansson, one job, one batch) every time, and a bad record
 * must be reported in the same words, the first bad one first, whether
 * it is found by the reader or by a worker. Tiny batches put many
 * batches in flight at once, so the workers really run in parallel
 * (and under the sanitizers, tests/test.sh, their memory is checked). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/evaluate.h"
#include "render/render.h"
#include "util/buf.h"

#define NOW_MS INT64_C(1764230400000)  /* 2026-11-27T08:00:00Z */

struct outcome {
    int rc;
    char *json;             /* the report, when rc == 0 */
    char *diags;            /* printed diagnostics */
    size_t progress_calls, progress_last;
};

static void on_progress(void *ctx, size_t records, const struct input_info *info)
{
    struct outcome *o = ctx;
    assert_true(records >= o->progress_last);
    assert_true(info->records >= records);
    o->progress_calls++;
    o->progress_last = records;
}

static char *print_diags(const struct diags *d)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diags_print(d, f);
    fclose(f);
    return out;
}

static struct outcome evaluate(const char *input, const char *waivers, unsigned jobs,
                               size_t batch, bool jansson)
{
    struct outcome out = {0, NULL, NULL, 0, 0};
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_file(rs, "rules/default.yaml", &d), 0);
    if (waivers)
        assert_int_equal(ruleset_add_waiver_file(rs, waivers, &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    struct report rep;
    report_init(&rep);
    rep.meta.now_ms = rep.meta.generated_at_ms = NOW_MS;
    report_set_rules(&rep, rs);
    struct input *in;
    assert_int_equal(input_open(&in, input, &d), 0);
    struct evaluate_opts o = EVALUATE_OPTS_INIT;
    o.jobs = jobs;
    o.batch_records = batch;
    o.jansson = jansson;
    o.progress = on_progress;
    o.progress_ctx = &out;
    out.rc = evaluate_input(&rep, rs, in, NOW_MS, &o, &d);
    if (out.rc == 0) {
        report_finish(&rep);
        size_t len;
        FILE *f = open_memstream(&out.json, &len);
        struct render_opts ro = RENDER_OPTS_INIT;
        assert_int_equal(render_json(&rep, &ro, f, &d), 0);
        fclose(f);
    }
    out.diags = print_diags(&d);
    input_close(in);
    report_dispose(&rep);
    ruleset_free(rs);
    diags_dispose(&d);
    return out;
}

static void outcome_dispose(struct outcome *o)
{
    free(o->json);
    free(o->diags);
}

/* Every split of 'input' gives the reference's outcome. */
static void check_all_splits(const char *input, const char *waivers)
{
    static const unsigned jobs[] = {1, 2, 4};
    static const size_t batches[] = {1, 7, 0};
    struct outcome ref = evaluate(input, waivers, 1, 1, true);
    for (size_t j = 0; j < 3; j++)
        for (size_t b = 0; b < 3; b++)
            for (int jansson = 0; jansson < 2; jansson++) {
                struct outcome got = evaluate(input, waivers, jobs[j], batches[b], jansson);
                if (got.rc != ref.rc || strcmp(got.diags, ref.diags) != 0 ||
                    (ref.json && strcmp(got.json, ref.json) != 0))
                    fail_msg("%s: jobs %u, batch %zu, %s: differs from the reference\n"
                             "diags:\n%sreference:\n%s", input, jobs[j], batches[b],
                             jansson ? "jansson" : "fast", got.diags, ref.diags);
                outcome_dispose(&got);
            }
    outcome_dispose(&ref);
}

static void test_samples(void **state)
{
    (void)state;
    check_all_splits("samples/images.jsonl", "samples/waivers.yaml");
    struct outcome o = evaluate("samples/images.jsonl", NULL, 2, 7, false);
    assert_int_equal(o.progress_calls, 120 / 64);
    assert_int_equal(o.progress_last, 64);
    outcome_dispose(&o);
    check_all_splits("samples/hostile.jsonl", NULL);
    check_all_splits("samples/api-doc-example.json", NULL);
    check_all_splits("samples/images-week1.jsonl", "samples/waivers.yaml");
}

/* samples/images.jsonl with line 'a' replaced by 'ta' and line 'b' by
 * 'tb', in a temporary file (unlinked by the caller). */
static char *edited(char *path, size_t a, const char *ta, size_t b, const char *tb)
{
    FILE *in = fopen("samples/images.jsonl", "rb");
    assert_non_null(in);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "wb");
    char *line = NULL;
    size_t cap = 0, n = 0;
    while (getline(&line, &cap, in) > 0) {
        n++;
        fputs(n == a ? ta : n == b ? tb : line, out);
    }
    free(line);
    fclose(in);
    fclose(out);
    return path;
}

static void check_error(size_t a, const char *ta, size_t b, const char *tb, const char *want)
{
    char path[] = "/tmp/imgaudit-evaluate-XXXXXX";
    edited(path, a, ta, b, tb);
    check_all_splits(path, NULL);
    struct outcome o = evaluate(path, NULL, 4, 7, false);
    assert_int_equal(o.rc, -1);
    char *expect = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&expect, &len);
    fprintf(f, "%s:%s\n", path, want);
    fclose(f);
    if (strcmp(o.diags, expect) != 0)
        fail_msg("got\n%swant\n%s", o.diags, expect);
    free(expect);
    outcome_dispose(&o);
    unlink(path);
}

static void test_bad_records(void **state)
{
    (void)state;
    /* A record that is not JSON, found by a worker, before the reader's
     * own error: the first is named, alone. */
    check_error(50, "{\"id\": 1,}\n", 90, "\"text\"\n",
                "50: error: invalid JSON in record 50: string or '}' expected near '}'");
    /* The other way round. */
    check_error(50, "\"text\"\n", 90, "{\"id\": 1,}\n",
                "50: error: record 50 is not an object (it is a string)");
    /* Valid JSON the fast decoder declines (nesting past 1024 levels) is
     * a record like any other; the invalid one after it is named. */
    struct buf deep = BUF_INIT;
    buf_puts(&deep, "{\"id\": 1, \"x\": ");
    for (int i = 0; i < 1100; i++)
        buf_putc(&deep, '[');
    for (int i = 0; i < 1100; i++)
        buf_putc(&deep, ']');
    buf_puts(&deep, "}\n");
    check_error(20, buf_cstr(&deep), 70, "{\"id\": 2, \"y\": [1 2]}\n",
                "70: error: invalid JSON in record 70: ']' expected near '2'");
    buf_dispose(&deep);
}

/* Values the fast decoder leaves to jansson, which holds them as
 * placeholders (out of range, NUL characters), are data quality like
 * any other, counted the same however the records were split. */
static void test_unrepresentable(void **state)
{
    (void)state;
    char path[] = "/tmp/imgaudit-evaluate-XXXXXX";
    edited(path, 10,
           "{\"id\": 1, \"image_size\": 1e400, \"x\": \"a\\u0000b\", "
           "\"vul_num\": \"99999999999999999999\"}\n",
           11, "{\"a\\u0000\": 1, \"latest_scan_time\": 253402300800000}\n");
    check_all_splits(path, NULL);
    struct outcome o = evaluate(path, NULL, 2, 3, false);
    assert_int_equal(o.rc, 0);
    assert_non_null(strstr(o.json, "\"problem\":\"out of range\""));
    assert_non_null(strstr(o.json, "\"problem\":\"NUL character\""));
    outcome_dispose(&o);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_unrepresentable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
