/* SPDX-License-Identifier: MIT
 * The JSON report reader (src/report/reader.c): a report written as
 * JSON and read back writes every format byte for byte as the original
 * did (the writers' fixture, plain and with every governance feature),
 * whatever the JSON layout; REPORT_READ_NO_INVENTORY keeps what a
 * baseline needs, and report_reader_open() hands over the very same
 * rows without keeping them; and each kind of bad file gets its one
 * located message, word for word (the same from both ways of reading
 * without the inventory). Every file read here is read with
 * REPORT_READ_SPILL too, which must give the same error, or a model
 * (on disk) that writes every format as the one in memory does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "render/render.h"
#include "report/baseline.h"
#include "report/columns.h"
#include "report/reader.h"
#include "util/arena.h"
#include "util/crc32c.h"
#include "util/buf.h"
#include "scratch.h"
#include "writers_fixture.h"

/* The full fixture's JSON, written to a.json in the scratch directory. */
static char *full_json(size_t *len)
{
    struct report rep;
    fixture_report_full(&rep);
    char *text = scratch_render(&rep, FMT_JSON, "a.json", len);
    report_dispose(&rep);
    return text;
}

/* The one diagnostic of 'd', as printed. */
static char *printed(const struct diags *d)
{
    assert_int_equal(d->n, 1);
    assert_int_equal(d->errors, 1);
    char *out = NULL;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    diags_print(d, f);
    fclose(f);
    return out;
}

/* 'path' read with REPORT_READ_SPILL: the error of a read into memory,
 * or a model that writes every format as that one does. Returns -1
 * when both failed, 1 when the images and findings went to disk, 0
 * when the read started over in memory (findings out of report order). */
static int check_spilled(const char *path)
{
    struct report full, spilled;
    struct diags d1 = DIAGS_INIT, d2 = DIAGS_INIT;
    report_init(&full);
    report_init(&spilled);
    int rc = report_read_json(&full, path, REPORT_READ_FULL, &d1);
    assert_int_equal(report_read_json(&spilled, path, REPORT_READ_SPILL, &d2), rc);
    int on_disk = spilled.spill != NULL;
    if (rc < 0) {
        char *want = printed(&d1), *got = printed(&d2);
        if (strcmp(want, got) != 0)
            fail_msg("REPORT_READ_SPILL: %swant: %s", got, want);
        free(want);
        free(got);
        on_disk = -1;
    } else {
        assert_int_equal(d2.n, 0);
        for (int fmt = 0; fmt < FMT_COUNT; fmt++) {
            size_t wlen, glen;
            char *want = scratch_render(&full, (enum format)fmt, "mem.out", &wlen);
            char *got = scratch_render(&spilled, (enum format)fmt, "disk.out", &glen);
            if (wlen != glen || memcmp(want, got, wlen) != 0)
                fail_msg("format %d of %s differs read with REPORT_READ_SPILL", fmt, path);
            free(want);
            free(got);
        }
    }
    diags_dispose(&d1);
    diags_dispose(&d2);
    report_dispose(&full);
    report_dispose(&spilled);
    return on_disk;
}

/* The full fixture's JSON ('*text', '*len' bytes) parsed by jansson. */
static json_t *full_tree(char **text, size_t *len)
{
    *text = full_json(len);
    json_error_t err;
    json_t *j = json_loadb(*text, *len, 0, &err);
    assert_non_null(j);
    return j;
}

/* Every format of 'orig' and of its JSON read back are the same bytes. */
static void check_round_trip(struct report *orig)
{
    static const struct { enum format fmt; const char *ext; } fmts[] = {
        {FMT_JSON, "json"}, {FMT_CSV, "csv"}, {FMT_HTML, "html"}, {FMT_XLSX, "xlsx"},
    };
    char *want[4];
    size_t want_len[4];
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "a.%s", fmts[i].ext);
        want[i] = scratch_render(orig, fmts[i].fmt, name, &want_len[i]);
    }
    struct report back;
    char *json = scratch_path("a.json");
    assert_int_equal(check_spilled(json), 1);
    scratch_read(&back, json, REPORT_READ_FULL);
    for (int i = 0; i < 4; i++) {
        char name[32];
        size_t len;
        snprintf(name, sizeof name, "b.%s", fmts[i].ext);
        char *got = scratch_render(&back, fmts[i].fmt, name, &len);
        if (len != want_len[i] || memcmp(got, want[i], len) != 0) {
            size_t k = 0;
            while (k < len && k < want_len[i] && got[k] == want[i][k])
                k++;
            fail_msg("%s differs after the round trip at byte %zu", fmts[i].ext, k);
        }
        free(got);
        free(want[i]);
    }
    free(json);
    report_dispose(&back);
}

static void test_round_trip_small(void **state)
{
    (void)state;
    struct report rep;
    fixture_report(&rep);
    check_round_trip(&rep);
    report_dispose(&rep);
}

static void test_round_trip_full(void **state)
{
    (void)state;
    struct report rep;
    fixture_report_full(&rep);
    assert_int_equal(rep.n_waivers, 4);
    assert_int_equal(rep.n_resolved, 2);
    check_round_trip(&rep);
    report_dispose(&rep);
}

/* An incomplete run: expected_records, no resolved findings. */
static void test_round_trip_incomplete(void **state)
{
    (void)state;
    struct report rep;
    fixture_report_full(&rep);
    rep.meta.complete = false;
    rep.meta.expected_records = 7;
    rep.n_resolved = 0;
    report_finish(&rep);
    check_round_trip(&rep);
    report_dispose(&rep);
}

/* Any JSON layout reads the same: jq-style indentation with sorted keys
 * (the findings then come before the rules they name), and one line. */
static void test_layouts(void **state)
{
    (void)state;
    size_t len;
    char *orig;
    json_t *j = full_tree(&orig, &len);
    const size_t flags[] = {JSON_INDENT(4) | JSON_SORT_KEYS, JSON_COMPACT | JSON_SORT_KEYS,
                            JSON_INDENT(1) | JSON_PRESERVE_ORDER};
    for (size_t i = 0; i < 3; i++) {
        char *text = json_dumps(j, flags[i]);
        char *path = scratch_path("layout.json");
        scratch_spill(path, text, strlen(text));
        struct report back;
        size_t blen;
        assert_int_equal(check_spilled(path), 1);
        scratch_read(&back, path, REPORT_READ_FULL);
        char *again = scratch_render(&back, FMT_JSON, "b.json", &blen);
        assert_int_equal(blen, len);
        assert_memory_equal(again, orig, len);
        free(again);
        report_dispose(&back);
        free(path);
        free(text);
    }
    json_decref(j);
    free(orig);
}

/* Without the inventory: one image per inventory entry, holding only
 * the cells its findings' rows carry; the summary is the same but for
 * the per-namespace and per-registry rows. */
static void test_no_inventory(void **state)
{
    (void)state;
    struct report rep, back;
    size_t len;
    fixture_report_full(&rep);
    free(scratch_render(&rep, FMT_JSON, "a.json", &len));
    char *path = scratch_path("a.json");
    scratch_read(&back, path, REPORT_READ_NO_INVENTORY);
    assert_int_equal(back.n_images, 3);
    assert_int_equal(back.n_findings, rep.n_findings);
    for (size_t i = 0; i < rep.n_findings; i++) {
        const struct report_image *a = &rep.images[rep.findings[i].image];
        const struct report_image *b = &back.images[back.findings[i].image];
        assert_int_equal(back.findings[i].image, rep.findings[i].image);
        assert_int_equal(back.findings[i].first_seen_ms, rep.findings[i].first_seen_ms);
        assert_int_equal(back.findings[i].status, rep.findings[i].status);
        for (int f = 0; f < FIELD_COUNT; f++) {
            bool column = false;
            for (int c = 0; c < FC_COUNT; c++)
                column |= fcol_defs[c].field == f;
            if (!column) {
                assert_int_equal(b->c[f].state, CELL_MISSING);
                continue;
            }
            assert_int_equal(b->c[f].state, a->c[f].state == CELL_OK ? CELL_OK : CELL_MISSING);
            if (a->c[f].state == CELL_OK && field_defs[f].type == FT_STR)
                assert_string_equal(b->c[f].v.s, a->c[f].v.s);
            else if (a->c[f].state == CELL_OK && field_defs[f].type != FT_BOOL)
                assert_int_equal(b->c[f].v.i, a->c[f].v.i);
        }
    }
    assert_memory_equal(back.summary.tally, rep.summary.tally, sizeof rep.summary.tally);
    assert_int_equal(back.summary.images_with_findings, rep.summary.images_with_findings);
    /* Not counted: only writers show them (report_finish_unwritten). */
    assert_true(rep.summary.n_by_namespace > 0 && rep.summary.n_by_registry > 0);
    assert_null(back.summary.by_namespace);
    assert_int_equal(back.summary.n_by_namespace, 0);
    assert_null(back.summary.by_registry);
    assert_int_equal(back.summary.n_by_registry, 0);
    assert_int_equal(back.n_resolved, 2);
    assert_int_equal(back.meta.gate, rep.meta.gate);
    free(path);
    report_dispose(&back);
    report_dispose(&rep);
}

static void test_sha256(void **state)
{
    (void)state;
    struct report rep, back;
    size_t len;
    fixture_report(&rep);
    char *text = scratch_render(&rep, FMT_JSON, "a.json", &len);
    char want[SHA256_HEX_LEN];
    sha256_hex(text, len, want);
    char *path = scratch_path("a.json");
    struct report_read_info info;
    struct diags d = DIAGS_INIT;
    for (unsigned flags = 0; flags < 2; flags++) {
        report_init(&back);
        assert_int_equal(report_read_json_info(&back, path, flags, &info, &d), 0);
        assert_string_equal(info.sha256, want);
        report_dispose(&back);
    }
    diags_dispose(&d);
    free(path);
    free(text);
    report_dispose(&rep);
}

/* ---- errors -------------------------------------------------------- */

/* 'text' (freed) with the first 'from' replaced by 'to'. */
static char *replaced(char *text, const char *from, const char *to)
{
    char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' is not in the text", from);
    struct buf b = BUF_INIT;
    buf_append(&b, text, (size_t)(at - text));
    buf_puts(&b, to);
    buf_puts(&b, at + strlen(from));
    free(text);
    return buf_detach(&b);
}

/* The full fixture's JSON, with the first 'from' replaced by 'to' (NULL:
 * cut there, as a truncated file). */
static char *variant(const char *from, const char *to)
{
    size_t len;
    char *text = full_json(&len);
    if (to)
        return replaced(text, from, to);
    char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' is not in the fixture's JSON", from);
    *at = '\0';
    return text;
}

/* Reading 'path' fails with exactly one error, left in 'd'. */
static void read_fails(const char *path, unsigned flags, struct diags *d)
{
    struct report rep;
    report_init(&rep);
    assert_int_equal(report_read_json(&rep, path, flags, d), -1);
    assert_int_equal(d->n, 1);
    assert_int_equal(d->errors, 1);
    report_dispose(&rep);
}

static void ignore_row(void *ctx, const struct report *rep, const struct report_row *row)
{
    (void)rep;
    (void)row;
    ++*(size_t *)ctx;
}

/* The one diagnostic in 'd' is printed as 'want', the file named
 * T/r.json (T: the scratch directory). */
static void expect_printed(const struct diags *d, const char *want)
{
    char *out = printed(d);
    size_t dl = strlen(scratch_dir);
    assert_memory_equal(out, scratch_dir, dl);
    if (strcmp(out + dl + 1, want) != 0)
        fail_msg("got:  %s\nwant: %s", out + dl + 1, want);
    free(out);
}

/* report_reader_open() on 'path' fails with the one error 'want'. */
static void open_fails(const char *path, const char *want)
{
    struct report rep;
    struct report_reader *rr = NULL;
    size_t rows = 0;
    struct diags d = DIAGS_INIT;
    report_init(&rep);
    assert_int_equal(report_reader_open(&rr, &rep, path, 0, ignore_row, &rows, NULL, &d), -1);
    assert_null(rr);
    expect_printed(&d, want);
    diags_dispose(&d);
    report_dispose(&rep);
}

/* Read 'text' as a file: exactly one error, printed as 'want'; without
 * the inventory, report_reader_open() gives the same one. */
static void check_error_flags(const char *text, size_t len, unsigned flags, const char *want)
{
    char *path = scratch_path("r.json");
    scratch_spill(path, text, len);
    struct diags d = DIAGS_INIT;
    read_fails(path, flags, &d);
    expect_printed(&d, want);
    diags_dispose(&d);
    if (flags == REPORT_READ_FULL)
        check_spilled(path);
    if (flags & REPORT_READ_NO_INVENTORY)
        open_fails(path, want);
    free(path);
}

static void check_error(const char *text, const char *want)
{
    check_error_flags(text, strlen(text), REPORT_READ_FULL, want);
}

static void check_variant(const char *from, const char *to, const char *want)
{
    char *text = variant(from, to);
    check_error(text, want);
    free(text);
}

/* ---- report_reader_open: the rows handed over, not kept ------------- */

/* A visited row, copied: the fields the model's finding has, and the
 * image cells when the row gave them. */
struct seen_row {
    struct report_finding fi;
    char *message;
    bool has_img;
    struct report_image img;    /* its strings: copies in 'text' */
    uint32_t source;
    size_t index, at;
};

struct seen {
    struct seen_row *row;
    size_t n, cap;
    struct arena text;
};

static void see(void *ctx, const struct report *rep, const struct report_row *row)
{
    struct seen *s = ctx;
    (void)rep;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->row = realloc(s->row, s->cap * sizeof *s->row);
    }
    struct seen_row *o = &s->row[s->n++];
    memset(o, 0, sizeof *o);
    o->fi = *row->fi;
    o->message = row->fi->message ? (char *)arena_strdup(&s->text, row->fi->message) : NULL;
    o->has_img = row->img != NULL;
    if (row->img) {
        o->img = *row->img;
        for (int f = 0; f < FIELD_COUNT; f++)
            if (o->img.c[f].state == CELL_OK && field_defs[f].type == FT_STR)
                o->img.c[f].v.s = arena_strdup(&s->text, o->img.c[f].v.s);
    }
    o->source = row->source;
    o->index = row->index;
    o->at = row->at;
}

static void seen_dispose(struct seen *s)
{
    free(s->row);
    arena_dispose(&s->text);
    memset(s, 0, sizeof *s);
}

/* Image cells 'b' are those of 'a' (a model's, from the rows). */
static void same_cells(const struct report_image *a, const struct report_image *b)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        assert_int_equal(b->c[f].state, a->c[f].state);
        if (a->c[f].state != CELL_OK)
            continue;
        if (field_defs[f].type == FT_STR)
            assert_string_equal(b->c[f].v.s, a->c[f].v.s);
        else if (field_defs[f].type == FT_BOOL)
            assert_int_equal(b->c[f].v.b, a->c[f].v.b);
        else
            assert_int_equal(b->c[f].v.i, a->c[f].v.i);
    }
}

/* Row order: the model's findings are in report order (severity, rule
 * id, image), the rows in the file's; 'key' is report_rule_keys(). */
static const uint64_t *order_key;
static const struct seen_row *order_rows;
static int cmp_row_order(const void *a, const void *b)
{
    const struct seen_row *x = &order_rows[*(const size_t *)a], *y = &order_rows[*(const size_t *)b];
    uint64_t kx = order_key[x->fi.rule] | x->fi.image, ky = order_key[y->fi.rule] | y->fi.image;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The rows of 'path' as report_reader_open() hands them over are the
 * findings REPORT_READ_NO_INVENTORY keeps, once put in report order,
 * each image's cells given by its first row in the file only; the model has the same metadata,
 * rules, resolved findings and summary counts, but no images and no
 * findings; and each row read again by report_reader_row() is the same
 * row, with its cells. */
/* Through the finding index ('indexed'), a first row gives only the
 * image's identity: those cells, the others missing. */
static void same_identity(const struct report_image *a, const struct report_image *b)
{
    struct report_image id;
    memset(&id, 0, sizeof id);
    static const enum field_id f[] = {F_REGISTRY_NAME, F_NAMESPACE, F_IMAGE_NAME,
                                      F_IMAGE_VERSION};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
        id.c[f[k]] = a->c[f[k]];
    same_cells(&id, b);
}

/* 'flags' for report_reader_open(); 'indexed': the rows must (or must
 * not) come from the finding index, which promises less of each row
 * (reader.h): no waiver, no message, only the identity cells. */
static void check_visit_flags(const char *path, unsigned flags, bool indexed)
{
    struct report model, rep;
    scratch_read(&model, path, REPORT_READ_NO_INVENTORY);
    struct diags d = DIAGS_INIT;
    struct seen s = {0};
    struct report_reader *rr;
    report_init(&rep);
    assert_int_equal(report_reader_open(&rr, &rep, path, flags, see, &s, NULL, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(report_reader_indexed(rr), indexed);
    assert_int_equal(rep.n_images, 0);
    assert_int_equal(rep.n_findings, 0);
    assert_int_equal(rep.n_waiver_matches, 0);
    assert_int_equal(s.n, model.n_findings);
    bool *given = calloc(model.n_images + 1, sizeof *given);
    for (size_t i = 0; i < s.n; i++) {
        const struct seen_row *b = &s.row[i];
        assert_int_equal(b->index, i);
        assert_int_equal(b->has_img, !given[b->fi.image]);
        assert_int_equal(b->source, model.images[b->fi.image].source);
        if (b->has_img && indexed)
            same_identity(&model.images[b->fi.image], &b->img);
        else if (b->has_img)
            same_cells(&model.images[b->fi.image], &b->img);
        given[b->fi.image] = true;
    }
    free(given);
    size_t *order = calloc(s.n + 1, sizeof *order);
    for (size_t i = 0; i < s.n; i++)
        order[i] = i;
    uint64_t *keys = report_rule_keys(&model);
    order_key = keys;
    order_rows = s.row;
    qsort(order, s.n, sizeof *order, cmp_row_order);
    for (size_t k = 0; k < s.n; k++) {
        const struct report_finding *a = &model.findings[k];
        const struct seen_row *b = &s.row[order[k]];
        assert_int_equal(b->fi.rule, a->rule);
        assert_int_equal(b->fi.image, a->image);
        assert_int_equal(b->fi.first_seen_ms, a->first_seen_ms);
        assert_int_equal(b->fi.status, a->status);
        assert_int_equal(b->fi.change, a->change);
        assert_int_equal(b->fi.n_matches, 0);
        if (indexed) {
            assert_int_equal(b->fi.waiver, -1);
            assert_null(b->message);
            continue;
        }
        assert_int_equal(b->fi.waiver, a->waiver);
        if (a->message)
            assert_string_equal(b->message, a->message);
        else
            assert_null(b->message);
    }
    free(order);
    free(keys);
    assert_int_equal(rep.n_rules, model.n_rules);
    assert_int_equal(rep.n_sources, model.n_sources);
    assert_int_equal(rep.n_resolved, model.n_resolved);
    assert_int_equal(rep.meta.now_ms, model.meta.now_ms);
    assert_memory_equal(rep.summary.tally, model.summary.tally, sizeof rep.summary.tally);
    assert_memory_equal(rep.summary.by_severity, model.summary.by_severity,
                        sizeof rep.summary.by_severity);
    assert_memory_equal(rep.summary.new_open, model.summary.new_open,
                        sizeof rep.summary.new_open);
    assert_int_equal(rep.summary.images, model.summary.images);
    assert_int_equal(rep.summary.images_with_findings, model.summary.images_with_findings);
    assert_int_equal(rep.summary.findings, model.summary.findings);
    assert_int_equal(rep.meta.gate, model.meta.gate);
    /* Read again, last first too: the same rows, each with its cells. */
    for (size_t k = 0; k < s.n; k++) {
        size_t i = k % 2 ? k : s.n - 1 - k;
        struct seen again = {0};
        assert_int_equal(report_reader_row(rr, s.row[i].index, s.row[i].at, see, &again, &d), 0);
        assert_int_equal(again.n, 1);
        assert_true(again.row[0].has_img);
        assert_int_equal(again.row[0].fi.rule, s.row[i].fi.rule);
        assert_int_equal(again.row[0].fi.first_seen_ms, s.row[i].fi.first_seen_ms);
        assert_int_equal(again.row[0].source, s.row[i].source);
        same_cells(&model.images[s.row[i].fi.image], &again.row[0].img);
        seen_dispose(&again);
    }
    assert_int_equal(d.n, 0);
    /* Not a row's start: an error, and nothing handed over. */
    struct seen none = {0};
    assert_int_equal(report_reader_row(rr, 0, s.row[0].at + 1, see, &none, &d), -1);
    assert_int_equal(none.n, 0);
    assert_int_equal(d.errors, 1);
    diags_dispose(&d);
    report_reader_close(rr);
    seen_dispose(&s);
    report_dispose(&rep);
    report_dispose(&model);
}

/* Both ways: as given (through the index when 'indexed') and with
 * REPORT_OPEN_NO_INDEX (row by row). */
static void check_visit(const char *path, bool indexed)
{
    check_visit_flags(path, 0, indexed);
    check_visit_flags(path, REPORT_OPEN_NO_INDEX, false);
}

static void test_visit(void **state)
{
    (void)state;
    size_t len;
    char *orig = full_json(&len);
    char *path = scratch_path("a.json");
    check_visit(path, true);
    /* Every layout: with jq's sorted keys the findings are read after
     * the walk; on one line; and rows of one image that carry the same
     * values in other bytes (an escape), which only the exact comparison
     * can tell are the same. */
    json_error_t err;
    json_t *j = json_loadb(orig, len, 0, &err);
    assert_non_null(j);
    const size_t flags[] = {JSON_INDENT(4) | JSON_SORT_KEYS, JSON_COMPACT | JSON_SORT_KEYS};
    char *lpath = scratch_path("layout.json");
    for (size_t i = 0; i < 2; i++) {
        char *text = json_dumps(j, flags[i]);
        scratch_spill(lpath, text, strlen(text));
        check_visit(lpath, false);   /* jq's layout: no index */
        free(text);
    }
    json_decref(j);
    char *text = variant("\"rule_id\":\"IMG-HSS-HIGH\",\"namespace\":\"prod\"",
                         "\"rule_id\":\"IMG-HSS-HIGH\",\"namespace\":\"\\u0070rod\"");
    scratch_spill(lpath, text, strlen(text));
    check_visit(lpath, false);
    free(text);
    /* Findings in another order than the report's (edited by hand, or
     * by a tool): the model sorts them, the rows come as written. */
    json_t *jr = json_loadb(orig, len, 0, &err);
    json_t *fs = json_object_get(jr, "findings");
    assert_true(json_array_size(fs) >= 2);
    json_t *first = json_incref(json_array_get(fs, 0));
    assert_int_equal(json_array_remove(fs, 0), 0);
    assert_int_equal(json_array_append_new(fs, first), 0);
    text = json_dumps(jr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    scratch_spill(lpath, text, strlen(text));
    check_visit(lpath, false);
    free(text);
    json_decref(jr);
    free(lpath);
    free(path);
    free(orig);
}

/* The text's finding_index_check again, with the index's start moved
 * by 'shift' bytes and its end by 'grow' more, and its CRC-32C computed
 * anew: an index edited, or moved, by someone who knew how to make its
 * checksum agree. */
static char *retail(char *text, long shift, long grow)
{
    char *tail = strstr(text, ",\n  \"finding_index_check\"");
    assert_non_null(tail);
    size_t e, a, b, c, dd;
    char fcrc[9];
    assert_int_equal(sscanf(tail, ",\n  \"finding_index_check\": {\"inventory_end\": %zu, "
                            "\"findings\": [%zu, %zu], \"findings_crc32c\": \"%8[0-9a-f]\", "
                            "\"index\": [%zu, %zu]", &e, &a, &b, fcrc, &c, &dd), 6);
    c = (size_t)((long)c + shift);
    dd = (size_t)((long)dd + shift + grow);
    const char *base = strstr(text, "\"inventory\": [") + strlen("\"inventory\": ");
    uint32_t crc = crc32c(0, base + c, dd - c);
    *tail = '\0';
    struct buf out = BUF_INIT;
    buf_printf(&out, "%s,\n  \"finding_index_check\": {\"inventory_end\": %zu, \"findings\": "
               "[%zu, %zu], \"findings_crc32c\": \"%s\", \"index\": [%zu, %zu], "
               "\"index_crc32c\": \"%08x\"}\n}\n", text, e, a, b, fcrc, c, dd, crc);
    free(text);
    return buf_detach(&out);
}

/* report_reader_open() on 'text': fails with 'want', or (want NULL)
 * reads, through the index or not ('indexed'; with 'want': the rows
 * are right, and read when the index is not used). */
static void check_open(const char *text, const char *want, bool indexed)
{
    char *path = scratch_path("ix.json");
    scratch_spill(path, text, strlen(text));
    if (!want) {
        check_visit_flags(path, 0, indexed);
        free(path);
        return;
    }
    open_fails(path, want);
    /* Row by row, the same file reads when the index alone is wrong
     * ('indexed' here: the rows are right). */
    if (indexed)
        check_visit_flags(path, REPORT_OPEN_NO_INDEX, false);
    free(path);
}

/* The finding index is trusted only when its checksums agree: a
 * finding changed in place (its length kept, so that every offset
 * still holds) sends the reader to the rows. An index whose checksum
 * was made to agree but which is wrong is an error located in it; and
 * one that describes findings elsewhere in the file is an error too. */
static void test_index(void **state)
{
    (void)state;
    /* The message of the first finding, one digit: not the index's
     * findings any more. */
    char *text = variant("has 42 vulnerabilities", "has 43 vulnerabilities");
    check_open(text, NULL, false);
    free(text);
    /* The index itself, one digit, its checksum not made again. */
    text = variant("\"rows\": [\n      [0,0,2,1,", "\"rows\": [\n      [0,0,2,0,");
    check_open(text, NULL, false);
    free(text);
    text = retail(variant("\"rows\": [\n      [0,0,2,1,", "\"rows\": [\n      [9,0,2,1,"), 0, 0);
    check_open(text, "ix.json:198:8: error: finding_index.rows[0]: expected a rule's index "
               "(0 to 2); its checksum agrees, but imgaudit did not write this index: make "
               "the report again, or remove finding_index_check to have the findings read "
               "instead\n", true);
    free(text);
    /* Integers the row reader takes as they are only when plain
     * (reader_index.c: plain_int); any other is the JSON scanner's, with
     * its message: a leading zero, 19 digits, a fraction, a sign. */
    static const struct { const char *from, *to; long grow; const char *want; } odd[] = {
        {"[0,0,2,1,", "[00,0,2,1,", 1, "198:8: error: finding_index.rows[0]: expected a number, "
         "a string or null"},
        {"[0,0,2,1,", "[0,1000000000000000000,2,1,", 18, "198:10: error: finding_index.rows[0]: "
         "expected an inventory index (0 to 2)"},
        {"[0,0,2,1,1759320000250,", "[0,0,2,1,1.5,", -10, "198:16: error: finding_index.rows[0]: "
         "expected first_seen in milliseconds"},
        {"[0,0,2,1,", "[0,0,-2,1,", 1, "198:12: error: finding_index.rows[0]: expected a status "
         "(0 to 2)"},
    };
    for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
        char from[64], to[64], want[512];
        snprintf(from, sizeof from, "\"rows\": [\n      %s", odd[k].from);
        snprintf(to, sizeof to, "\"rows\": [\n      %s", odd[k].to);
        snprintf(want, sizeof want, "ix.json:%s; its checksum agrees, but imgaudit did not write "
                 "this index: make the report again, or remove finding_index_check to have the "
                 "findings read instead\n", odd[k].want);
        text = retail(variant(from, to), 0, odd[k].grow);
        check_open(text, want, true);
        free(text);
    }
    /* An inventory longer than its bytes can hold: an error before
     * anything is sized by it. */
    text = retail(variant("{\"inventory\": 3, \"rows\"", "{\"inventory\": 9999999999999, \"rows\""),
                  0, 12);
    check_open(text, "ix.json:197:34: error: finding_index.inventory: 9999999999999 entries "
               "cannot be in an inventory of 2352 bytes; its checksum agrees, but imgaudit did "
               "not write this index: make the report again\n", true);
    free(text);
    /* An image's identity again on its second row. */
    text = retail(variant("[1,0,1,1,1763625600000,4146]",
                          "[1,0,1,1,1763625600000,4146,\"a\",\"b\",\"c\",null,0]"), 0, 0);
    check_open(text, "ix.json:200:34: error: finding_index.rows[2]: expected ']' (the "
               "image's identity is on its first row only); its checksum agrees, but "
               "imgaudit did not write this index: make the report again, or remove "
               "finding_index_check to have the findings read instead\n", true);
    free(text);
    /* The real findings renamed (an unknown member now) and others
     * put after them: the index's findings are not the report's. */
    text = variant("\"findings\": [", "\"findingz\": [");
    const char *add = ",\n  \"findings\": []";
    char *at = strstr(text, ",\n  \"finding_index\"");
    assert_non_null(at);
    struct buf b = BUF_INIT;
    buf_append(&b, text, (size_t)(at - text));
    buf_puts(&b, add);
    buf_puts(&b, at);
    free(text);
    text = retail(buf_detach(&b), (long)strlen(add), 0);
    check_open(text, "ix.json:197:15: error: findings is not where finding_index_check says "
               "(2368 bytes after the inventory's '['): the index is another file's; make "
               "the report again, or remove finding_index_check to have the findings read "
               "instead\n", false);
    free(text);
}

/* The file a reader keeps open is changed meanwhile: an error, neither
 * a crash (a page given back and gone: SIGBUS) nor another row read as
 * the one that was there; at the baseline's level too, where a row
 * still reads but is not the finding it was. */
#define CHANGED_MSG "a.json: error: was changed while imgaudit read it (its size or " \
                    "modification time is not what it was): run again once nothing writes " \
                    "to it\n"

/* One byte of the first finding's image_name in file 'path' (written
 * from 'orig'), in place, the file's size and time kept: the row reads,
 * but names another image. */
static void rename_first_image(const char *path, const char *orig)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    const char *at = strstr(strstr(orig, "\"findings\": ["), "\"image_name\":\"nginx\"");
    assert_non_null(at);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "y", 1, (off_t)(at - orig) + 17), 1);
    close(fd);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void test_changed(void **state)
{
    (void)state;
    size_t len;
    char *orig = full_json(&len);
    char *path = scratch_path("a.json");
    struct report rep;
    struct seen s = {0}, none = {0};
    struct report_reader *rr;
    struct diags d = DIAGS_INIT;
    report_init(&rep);
    assert_int_equal(report_reader_open(&rr, &rep, path, 0, see, &s, NULL, &d), 0);
    assert_int_equal(truncate(path, 100), 0);
    assert_int_equal(report_reader_row(rr, 0, s.row[0].at, see, &none, &d), -1);
    assert_int_equal(none.n, 0);
    expect_printed(&d, CHANGED_MSG);
    diags_dispose(&d);
    report_reader_close(rr);
    report_dispose(&rep);
    seen_dispose(&s);

    /* Rows read again check the file once per 2 MiB stretch: a row in
     * the next stretch, after the file was cut, is an error too (and
     * no SIGBUS from its page). 3 MB of blanks put the second finding
     * there. */
    {
        const char *second = strstr(strstr(orig, "\"findings\": ["), "},\n    {");
        assert_non_null(second);
        size_t cut = (size_t)(second - orig) + 3, pad = 3 << 20;
        char *big = malloc(len + pad);
        memcpy(big, orig, cut);
        memset(big + cut, ' ', pad);
        memcpy(big + cut + pad, orig + cut, len - cut);
        scratch_spill(path, big, len + pad);
        free(big);
        struct seen rows = {0}, again = {0};
        report_init(&rep);
        assert_int_equal(report_reader_open(&rr, &rep, path, 0, see, &rows, NULL, &d), 0);
        assert_true(rows.n >= 2 && rows.row[0].at < (2 << 20) && rows.row[1].at > (3 << 20));
        assert_int_equal(report_reader_row(rr, 0, rows.row[0].at, see, &again, &d), 0);
        assert_int_equal(again.n, 1);
        assert_int_equal(truncate(path, (off_t)(2 << 20) + 100), 0);
        assert_int_equal(report_reader_row(rr, 1, rows.row[1].at, see, &again, &d), -1);
        assert_int_equal(again.n, 1);
        expect_printed(&d, CHANGED_MSG);
        diags_dispose(&d);
        report_reader_close(rr);
        report_dispose(&rep);
        seen_dispose(&rows);
        seen_dispose(&again);
    }

    /* A row that still reads, but names another image. */
    scratch_spill(path, orig, len);
    struct baseline *b;
    assert_int_equal(baseline_load(&b, path, NULL, false, &d), 0);
    rename_first_image(path, orig);
    struct report cur;
    fixture_report_full(&cur);
    cur.n_findings = 0;         /* every finding of the baseline is resolved */
    assert_int_equal(baseline_apply(b, &cur, 0, 1, &d), -1);
    expect_printed(&d, "a.json: error: findings[0] is not the finding it was when imgaudit "
                       "read it: was the file changed meanwhile? Run again once nothing "
                       "writes to it\n");
    diags_dispose(&d);
    baseline_free(b);
    report_dispose(&cur);
    free(path);
    free(orig);
}

/* Resolved findings only counted (BASELINE_COUNT_RESOLVED): the same
 * number, rules and severities as when their rows are read again, no
 * image, and not read at all: a row changed since the baseline was
 * loaded, an error when read again, goes unnoticed. */
static void test_count_resolved(void **state)
{
    (void)state;
    size_t len;
    char *orig = full_json(&len);
    char *path = scratch_path("a.json");
    scratch_spill(path, orig, len);
    struct diags d = DIAGS_INIT;
    struct baseline *b;
    assert_int_equal(baseline_load(&b, path, NULL, false, &d), 0);
    struct report read, counted;
    fixture_report_full(&read);
    fixture_report_full(&counted);
    read.n_findings = counted.n_findings = 0;   /* every finding of the baseline is resolved */
    assert_int_equal(baseline_apply(b, &read, 0, 1, &d), 0);
    assert_int_equal(baseline_apply(b, &counted, BASELINE_COUNT_RESOLVED, 1, &d), 0);
    assert_false(read.resolved_unread);
    assert_true(counted.resolved_unread);
    assert_true(read.n_resolved >= 2);
    assert_int_equal(counted.n_resolved, read.n_resolved);
    report_finish(&read);
    report_finish(&counted);
    assert_memory_equal(counted.summary.tally[T_RESOLVED], read.summary.tally[T_RESOLVED],
                        sizeof read.summary.tally[T_RESOLVED]);
    /* Per rule id, in either order. */
    for (size_t i = 0; i < read.n_resolved; i++) {
        const char *id = report_finding_rule(&read, &read.resolved[i])->id;
        size_t want = 0, got = 0;
        for (size_t k = 0; k < read.n_resolved; k++) {
            want += strcmp(report_finding_rule(&read, &read.resolved[k])->id, id) == 0;
            got += strcmp(report_finding_rule(&counted, &counted.resolved[k])->id, id) == 0;
        }
        assert_int_equal(got, want);
        assert_int_equal(counted.resolved[i].change, CHANGE_RESOLVED);
        assert_int_equal(counted.resolved[i].image, UINT32_MAX);
    }
    /* Applied again, counted after read: what was read goes. */
    assert_int_equal(baseline_apply(b, &read, BASELINE_COUNT_RESOLVED, 1, &d), 0);
    assert_true(read.resolved_unread);
    assert_null(read.resolved_spill);
    assert_int_equal(read.n_resolved, counted.n_resolved);
    /* A resolved row changed in place: reading it again fails
     * (test_changed), counting does not read it. */
    rename_first_image(path, orig);
    assert_int_equal(baseline_apply(b, &counted, BASELINE_COUNT_RESOLVED, 1, &d), 0);
    assert_int_equal(counted.n_resolved, read.n_resolved);
    assert_int_equal(d.n, 0);
    diags_dispose(&d);
    baseline_free(b);
    report_dispose(&read);
    report_dispose(&counted);
    free(path);
    free(orig);
}

static void test_not_a_report(void **state)
{
    (void)state;
    check_error("", "r.json:1:1: error: is empty, not an imgaudit JSON report\n");
    check_error("rule_id,rule_title\n",
                "r.json:1:1: error: is not JSON (it starts with 'r'; a JSON report starts with "
                "'{')\n");
    check_error("\n  [1, 2]\n", "r.json:2:3: error: is not a JSON report written by imgaudit (it is "
                "JSON, but an array, not an object; "
                "pass a report written with -o FILE.json)\n");
    check_error("42", "r.json:1:1: error: is not a JSON report written by imgaudit (it is JSON, but a "
                "number, not an object; "
                "pass a report written with -o FILE.json)\n");
    check_error("{\"total_num\": 0, \"data_list\": []}",
                "r.json:1:1: error: is not a JSON report written by imgaudit (it has no \"schema\": "
                "\"imgaudit-report\"; "
                "pass a report written with -o FILE.json)\n");
    check_error("{\"findings\": [{\"x\": 1}], \"schema\": \"sarif\"}",
                "r.json:1:36: error: is not a JSON report written by imgaudit (its \"schema\" is "
                "\"sarif\", not \"imgaudit-report\"; "
                "pass a report written with -o FILE.json)\n");
    check_error("{\"schema\": \"imgaudit-report\", \"x\": [1, 2}",
                "r.json:1:41: error: invalid JSON: expected ']' but found '}'\n");
    check_error("{\"schema\": \"imgaudit-report\"} x",
                "r.json:1:31: error: invalid JSON: more after the report's closing '}'\n");
}

static void test_versions(void **state)
{
    (void)state;
    check_variant("\"schema_version\": 4", "\"schema_version\": 1",
                  "r.json:3:21: error: report schema version 1 is not supported (this imgaudit "
                  "reads versions 2 to 4; version 1 reports have no first-seen dates: make a "
                  "new report from the same data with this version)\n");
    check_variant("\"schema_version\": 4", "\"schema_version\": 5",
                  "r.json:3:21: error: report schema version 5 is not supported (this imgaudit "
                  "reads versions 2 to 4; a newer imgaudit wrote it: read it with that "
                  "version)\n");
    check_variant("\"schema_version\": 4", "\"schema_version\": \"4\"",
                  "r.json:3:21: error: schema_version: expected an integer, found \"4\"\n");
    check_variant("  \"schema_version\": 4,\n", "",
                  "r.json:1:1: error: has no \"schema_version\"\n");
}

static void test_truncated(void **state)
{
    (void)state;
    /* Inside a finding row, between rows, and in the pretty-printed meta. */
    check_variant("\"change\":\"new\"", NULL,
                  "r.json:189:316: error: the report ends early (truncated?) in findings[1]\n");
    check_variant("\n    {\"severity\":\"high\",\"rule_id\":\"IMG-HSS-HIGH\"", NULL,
                  "r.json:189:887: error: the report ends early (truncated?) in findings\n");
    check_variant("\"warnings\"", NULL, "r.json:65:5: error: the report ends early (truncated?) in meta\n");
    check_variant("\n  \"resolved\"", NULL, "r.json:192:5: error: the report ends early (truncated?)\n");
}

static void test_references(void **state)
{
    (void)state;
    check_variant("\"rule_id\":\"IMG-HSS-HIGH\"", "\"rule_id\":\"IMG-NOPE\"",
                  "r.json:190:34: error: findings[2].rule_id: \"IMG-NOPE\" is not in \"rules\"\n");
    check_variant("\"image_index\":1,", "\"image_index\":3,",
                  "r.json:189:871: error: findings[1].image_index: expected an index into "
                  "inventory (0 to 2), found 3\n");
    check_variant("\"waiver_id\":\"W-ACTIVE\"", "\"waiver_id\":\"W-NONE\"",
                  "r.json:190:610: error: findings[2].waiver_id: \"W-NONE\" is not in "
                  "\"waivers\"\n");
    check_variant("\"waivers\":[\"W-ACTIVE\",\"W-SOON\"]", "\"waivers\":[\"W-ACTIVE\",7]",
                  "r.json:190:839: error: findings[2].waivers[1]: expected a waiver id, found 7\n");
    check_variant("\"rule_id\":\"IMG-OLD\"", "\"rule_id\":\"IMG-OLD\",\"image_index\":0,\"x\":1,"
                  "\"image_index\":0",
                  "r.json:194:68: error: resolved[0]: \"image_index\" is given twice\n");
}

static void test_values(void **state)
{
    (void)state;
    check_variant("\"first_seen\":\"2025-10-01T12:00:00.250Z\"", "\"first_seen\":\"yesterday\"",
                  "r.json:188:298: error: findings[0].first_seen: expected a time such as "
                  "\"2026-11-27T08:00:00Z\", found \"yesterday\"\n");
    check_variant("\"now\": \"2025-11-27T08:00:00Z\"", "\"now\": \"2025-11-27T08:00:00.000Z\"",
                  "r.json:8:12: error: meta.now: expected a time such as "
                  "\"2026-11-27T08:00:00Z\", found \"2025-11-27T08:00:00.000Z\"\n");
    check_variant("\"vul_num\":42,\"unsafe", "\"vul_num\":\"42\",\"unsafe",
                  "r.json:183:492: error: inventory[0].vul_num: expected an integer or null, "
                  "found \"42\"\n");
    check_variant("\"index\":1,", "\"index\":7,",
                  "r.json:184:14: error: inventory[1].index: expected 1 (its position), "
                  "found 7\n");
    check_variant("\"records_received\": 3", "\"records_received\": -3",
                  "r.json:25:27: error: meta.source.records_received: expected a count (0 or "
                  "more), found -3\n");
    check_variant("\"fail_on_new\": \"high\"", "\"fail_on_new\": \"severe\"",
                  "r.json:71:22: error: meta.gate.fail_on_new: expected critical, high, "
                  "medium, low or info, found \"severe\"\n");
    check_variant("\"status\":\"waived\"", "\"status\":\"ignored\"",
                  "r.json:190:191: error: findings[2].status: expected open, waived or "
                  "waiver-expired, found \"ignored\"\n");
    check_variant("\"change\":\"resolved\"", "\"change\":\"new\"",
                  "r.json:194:187: error: resolved[0].change: expected \"resolved\", found "
                  "\"new\"\n");
    check_variant("\"rules\": [", "\"rules\": 7, \"x\": [",
                  "r.json:167:12: error: rules: expected an array, found 7\n");
    check_variant("{\"id\":\"W-SOON\"", "{\"id\":\"W-ACTIVE\"",
                  "r.json:176:11: error: waivers[3].id: expected an id no other waiver has, "
                  "found \"W-ACTIVE\"\n");
    check_variant("\"namespace\":\"prod\",\"image_name\":\"nginx\",\"image_version\"",
                  "\"namespace\":\"\\u00e9\\ud800\",\"image_name\":\"nginx\",\"image_version\"",
                  "r.json:188:69: error: invalid JSON in findings[0]: lone high surrogate \\u "
                  "escape in a string\n");
    check_variant("\"message\":\"prod/nginx:1.25 has", "\"message\":\"prod/nginx:1.25\thas",
                  "r.json:188:139: error: invalid JSON in findings[0]: control character in a "
                  "string\n");
}

/* Rows must say what the rest of the report says. */
static void test_disagreements(void **state)
{
    (void)state;
    check_variant("\"registry_name\":\"swr-cn-north-4\",\"registry_type\":\"SwrPrivate\","
                  "\"image_type\"", "\"registry_name\":\"swr\",\"registry_type\":\"SwrPrivate\","
                  "\"image_type\"",
                  "r.json:188:406: error: findings[0].registry_name is \"swr\", but inventory[0] "
                  "has \"swr-cn-north-4\"\n");
    check_variant("\"age_days\":56", "\"age_days\":5",
                  "r.json:188:336: error: findings[0].age_days is 5, but first_seen and "
                  "meta.now make it 56\n");
    check_variant("\"rule_title\":\"HSS risk level is High\"", "\"rule_title\":\"HSS\"",
                  "r.json:190:233: error: findings[2].rule_title is \"HSS\", but rule "
                  "\"IMG-HSS-HIGH\" has \"HSS risk level is High\"\n");
    check_variant("\"waiver_owner\":\"sec-team@example.com\"", "\"waiver_owner\":\"me\"",
                  "r.json:188:722: error: findings[0].waiver_owner is \"me\", but waiver "
                  "\"W-EXPIRED\" has \"sec-team@example.com\"\n");
    check_variant("\"state\":\"expiring\"", "\"state\":\"active\"",
                  "r.json:176:252: error: waivers[3].state is \"active\", but its expiry, "
                  "findings_matched and meta.now give \"expiring\"\n");
    check_variant("\"verdict\": \"fail\"", "\"verdict\": \"pass\"",
                  "r.json:73:18: error: meta.gate.verdict is \"pass\", but the findings and "
                  "the thresholds give \"fail\"\n");
    check_variant("\"expected_records\": null", "\"expected_records\": 5",
                  "r.json:81:25: error: meta.expected_records: expected null (the run is "
                  "complete), found 5\n");
    /* Without the inventory, rows on one image must agree with each other. */
    char *text = variant("\"id\":101,\"project_id\":\"p-0123456789\",\"region\":\"cn-north-4\","
                         "\"image_index\":0,\"waivers\":[\"W-ACTIVE\"",
                         "\"id\":7,\"project_id\":\"p-0123456789\",\"region\":\"cn-north-4\","
                         "\"image_index\":0,\"waivers\":[\"W-ACTIVE\"");
    check_error_flags(text, strlen(text), REPORT_READ_NO_INVENTORY,
                      "r.json:190:747: error: findings[2].id is 7, but an earlier finding on "
                      "image_index 0 has 101\n");
    free(text);
    /* Another type than the earlier row's: the same message (read with
     * report_reader_open, the row's bytes differ from the first row's,
     * which is then read again to say how). */
    text = variant("\"rule_id\":\"IMG-HSS-HIGH\",\"namespace\":\"prod\"",
                   "\"rule_id\":\"IMG-HSS-HIGH\",\"namespace\":5");
    check_error_flags(text, strlen(text), REPORT_READ_NO_INVENTORY,
                      "r.json:190:61: error: findings[2].namespace is 5, but an earlier finding "
                      "on image_index 0 has \"prod\"\n");
    free(text);
    /* The gate is checked against the counts of rows not kept too. */
    text = variant("\"verdict\": \"fail\"", "\"verdict\": \"pass\"");
    check_error_flags(text, strlen(text), REPORT_READ_NO_INVENTORY,
                      "r.json:73:18: error: meta.gate.verdict is \"pass\", but the findings and "
                      "the thresholds give \"fail\"\n");
    free(text);
}

static void test_sections(void **state)
{
    (void)state;
    check_variant("  \"resolved\": [", "  \"resolvd\": [",
                  "r.json:1:1: error: has no \"resolved\"\n");
    check_variant("  \"data_quality\": [", "  \"resolved\": [],\n  \"data_quality\": [",
                  "r.json:194:3: error: \"resolved\" is given twice\n");
    check_variant("\"tool\": \"imgaudit\",", "",
                  "r.json:4:11: error: meta has no \"tool\"\n");
    check_variant("\"provenance\": \"pull\"", "\"provenance\": null",
                  "r.json:10:21: error: meta.source.provenance: expected a string, found null\n");
    /* Unknown members are ignored. */
    char *text = variant("\"schema_version\": 4,",
                         "\"schema_version\": 4, \"later\": {\"x\": [1]},");
    char *path = scratch_path("later.json");
    scratch_spill(path, text, strlen(text));
    struct report rep;
    scratch_read(&rep, path, REPORT_READ_FULL);
    report_dispose(&rep);
    assert_int_equal(check_spilled(path), 1);
    free(path);
    free(text);
}

/* Version 2 reports (last week's baselines) are read: meta.source said
 * how the records were read; "api" is a pull, "file" a file of unknown
 * provenance. In version 3, the counts of a file are null. */
static void test_version2(void **state)
{
    (void)state;
    static const char v3[] = "\"provenance\": \"pull\",\n"
                             "      \"provenance_problem\": null,\n"
                             "      \"label\": \"HSS API pull\",\n"
                             "      \"records_format\": \"api\",\n";
    static const char *const kinds[] = {"api", "file"};
    char *path = scratch_path("v2.json");
    for (size_t k = 0; k < 2; k++) {
        char v2[160];
        snprintf(v2, sizeof v2, "\"kind\": \"%s\",\n      \"input_path\": null,\n"
                 "      \"input_format\": %s,\n", kinds[k], k ? "\"jsonl\"" : "null");
        char *text = replaced(variant("\"schema_version\": 4", "\"schema_version\": 2"), v3, v2);
        scratch_spill(path, text, strlen(text));
        struct report rep;
        assert_int_equal(check_spilled(path), 1);
        scratch_read(&rep, path, REPORT_READ_FULL);
        assert_int_equal(rep.meta.provenance, k ? REPORT_PROV_MISSING : REPORT_PROV_PULL);
        if (k)
            assert_string_equal(rep.meta.records_format, "jsonl");
        else
            assert_null(rep.meta.records_format);
        assert_int_equal(rep.meta.pages, 1);
        assert_int_equal(rep.meta.retries, 2);
        assert_int_equal(rep.meta.pulled_at_ms, 0);
        assert_null(rep.meta.pulled_by);
        report_dispose(&rep);
        free(text);
    }
    /* Version 3: a file of unknown provenance has null pull counts. */
    char *text = replaced(variant(v3, "\"provenance\": \"unknown\",\n"
                                      "      \"provenance_problem\": \"sha256-mismatch\",\n"
                                      "      \"label\": \"x\",\n"
                                      "      \"records_format\": \"jsonl\",\n"),
                          "\"pages\": 1", "\"pages\": null");
    scratch_spill(path, text, strlen(text));
    struct report rep;
    assert_int_equal(check_spilled(path), 1);
    scratch_read(&rep, path, REPORT_READ_FULL);
    assert_int_equal(rep.meta.provenance, REPORT_PROV_MISMATCH);
    assert_int_equal(rep.meta.pages, 0);
    report_dispose(&rep);
    free(text);
    check_variant("\"provenance_problem\": null", "\"provenance_problem\": \"lost\"",
                  "r.json:11:29: error: meta.source.provenance_problem: expected \"missing\", "
                  "\"sha256-mismatch\" or \"invalid\" with provenance \"unknown\", null with "
                  "\"pull\" or \"merge\", found \"lost\"\n");
    free(path);
}

/* Whatever the damage, one error and no crash (the ASan build runs
 * this): the file cut at every byte, and bytes overwritten at random. */
static void test_damage(void **state)
{
    (void)state;
    size_t len;
    char *text = full_json(&len);
    char *path = scratch_path("damaged.json");
    /* (Only the final newline may go.) */
    assert_memory_equal(text + len - 3, "\n}\n", 3);
    for (size_t n = 0; n < len - 1; n += n < 2048 || n > len - 64 ? 1 : 11) {
        struct diags d = DIAGS_INIT;
        scratch_spill(path, text, n);
        read_fails(path, REPORT_READ_FULL, &d);
        diags_dispose(&d);
        check_spilled(path);
    }
    static const char noise[] = "{}[]\",:0-9.eEtfnu\\ \n\x01\xc3\xff";
    srand(7);
    for (int k = 0; k < 1500; k++) {
        char *copy = xmalloc(len);
        memcpy(copy, text, len);
        for (int m = 0; m < 1 + k % 3; m++)
            copy[(size_t)rand() % len] = noise[(size_t)rand() % (sizeof noise - 1)];
        scratch_spill(path, copy, len);
        struct report back;
        struct diags d = DIAGS_INIT;
        report_init(&back);
        int rc = report_read_json(&back, path, (unsigned)k % 2, &d);
        assert_int_equal(d.n, rc < 0 ? 1 : 0);
        diags_dispose(&d);
        report_dispose(&back);
        if (k % 2 == 0)
            check_spilled(path);
        free(copy);
    }
    free(path);
    free(text);
}

/* ---- REPORT_READ_SPILL ---------------------------------------------- */

/* 'text' (freed) as a file, read with REPORT_READ_SPILL as into memory:
 * check_spilled()'s verdict. */
static int spilled_text(char *text)
{
    char *path = scratch_path("s.json");
    scratch_spill(path, text, strlen(text));
    int rc = check_spilled(path);
    free(path);
    free(text);
    return rc;
}

/* A finding row is checked against its inventory entry through a hash
 * of the entry's bytes: other bytes for the same values (an escape, in
 * the row or in the entry) are compared value by value, and pass; other
 * values fail as they do in memory. */
static void test_spill_values(void **state)
{
    (void)state;
    assert_int_equal(spilled_text(variant("\"rule_id\":\"IMG-VULNS\",\"namespace\":\"prod\"",
                                          "\"rule_id\":\"IMG-VULNS\",\"namespace\":\"pr\\u006fd\"")),
                     1);
    assert_int_equal(spilled_text(variant("{\"index\":0,\"id\":101,\"namespace\":\"prod\"",
                                          "{\"index\":0,\"id\":101,\"namespace\":\"pr\\u006fd\"")),
                     1);
    /* A later row of an image (the hash of its entry, not its first row). */
    check_variant("\"IMG-HSS-HIGH\",\"namespace\":\"prod\",\"image_name\":\"nginx\","
                  "\"image_version\":\"1.25\"", "\"IMG-HSS-HIGH\",\"namespace\":\"prod\","
                  "\"image_name\":\"nginx\",\"image_version\":\"1.26\"",
                  "r.json:190:105: error: findings[2].image_version is \"1.26\", but inventory[0] "
                  "has \"1.25\"\n");
}

/* Findings out of report order (a file edited by hand) cannot go to the
 * store as they come: the file is read again, into memory, where they
 * are sorted; an error after the first row out of order is found then. */
static void test_spill_order(void **state)
{
    (void)state;
    size_t len;
    char *orig;
    json_t *j = full_tree(&orig, &len);
    json_t *findings = json_object_get(j, "findings");
    size_t n = json_array_size(findings);
    assert_true(n > 2);
    json_t *rev = json_array();
    for (size_t i = n; i-- > 0;)
        json_array_append(rev, json_array_get(findings, i));
    json_object_set_new(j, "findings", rev);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_int_equal(spilled_text(xstrdup(text)), 0);
    assert_int_equal(spilled_text(replaced(text, "\"age_days\": 56", "\"age_days\": 5")), -1);
    json_decref(j);
    free(orig);
}

static void test_cannot_open(void **state)
{
    (void)state;
    struct report rep;
    struct diags d = DIAGS_INIT;
    report_init(&rep);
    assert_int_equal(report_read_json(&rep, "/nonexistent/r.json", 0, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].msg, "cannot open: No such file or directory");
    assert_string_equal(d.v[0].file, "/nonexistent/r.json");
    diags_dispose(&d);
    report_dispose(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_small),
        cmocka_unit_test(test_round_trip_full),
        cmocka_unit_test(test_round_trip_incomplete),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_no_inventory),
        cmocka_unit_test(test_visit), cmocka_unit_test(test_index),
        cmocka_unit_test(test_changed), cmocka_unit_test(test_count_resolved),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_not_a_report),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_disagreements),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_version2),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_spill_values),
        cmocka_unit_test(test_spill_order),
        cmocka_unit_test(test_cannot_open),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
