/* SPDX-License-Identifier: MIT
 * Fuzz target for the JSON report reader (report/reader.h: reader.c,
 * reader_meta.c, reader_rows.c and the scanner report/jsonscan.c), which
 * reads every --baseline, both reports of `diff`, every report `merge`
 * combines and the reports `verify` checks. Those files are passed
 * around, edited by hand and by jq, so every byte is untrusted; the
 * scanner's hot paths (js_skip, strings) take 16 or 64 bytes at a time.
 *
 * Input layout:
 *   byte 0, bit 0   read without the inventory (REPORT_READ_NO_INVENTORY,
 *                   how a baseline is read), else a full read
 *   the rest        the report's bytes, read from a memfd through
 *                   /proc/self/fd, so that the reader maps it as it maps
 *                   a file
 *
 * Besides crashes and sanitizer reports, the target checks the reader's
 * promises: a failed read gives exactly one error and nothing else; a
 * full read that succeeds writes back as JSON that reads again and
 * writes the same bytes (reader.h: "a report that reads without error
 * writes back unchanged"); and read without the inventory, the file
 * gives report_reader_open() (how a baseline is read, without keeping
 * its rows) the same error, or the same rows as the model keeps, which
 * read again the same (row by row: REPORT_OPEN_NO_INDEX). Through the
 * finding index, which a mutation of the inventory leaves trusted, it
 * must not crash, and a failure gives one error. And every input is read with REPORT_READ_SPILL
 * too (how `imgaudit diff` reads NEW, its images and findings on disk),
 * which must give the full read's error, or a model that writes the
 * same JSON. */
#define _GNU_SOURCE         /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "render/render.h"
#include "report/reader.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_report: %s\n", what);
        abort();
    }
}

/* 'len' bytes in a memfd; its path in 'path'. Returns the fd, or -1. */
static int memfile(const void *data, size_t len, char path[64])
{
    int fd = memfd_create("fuzz-report", 0);
    if (fd < 0)
        return -1;
    if (len && write(fd, data, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

/* 'rep' as the JSON writer writes it, in memory ('*len' bytes). */
static char *as_json(const struct report *rep, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    check(f != NULL, "open_memstream");
    struct render_opts o = RENDER_OPTS_INIT;
    struct diags d = DIAGS_INIT;
    check(render_json(rep, &o, f, &d) == 0, "render_json failed on a report read back");
    fclose(f);
    diags_dispose(&d);
    return text;
}

/* The one diagnostic of 'd' as "LINE:COL: MESSAGE" (free it). */
static char *one_error(const struct diags *d)
{
    char *s = NULL;
    check(d->n == 1 && d->v[0].level == DIAG_ERROR, "a failed read gave other than one error");
    check(asprintf(&s, "%d:%d: %s", d->v[0].line, d->v[0].col, d->v[0].msg) > 0, "asprintf");
    return s;
}

/* Read the report at 'path'; returns 0 or -1, checking the one-error
 * promise. A failed read's error goes to '*msg' if not NULL (free it). */
static int read_report(struct report *rep, const char *path, unsigned flags, char **msg)
{
    struct diags d = DIAGS_INIT;
    report_init(rep);
    int rc = report_read_json(rep, path, flags, &d);
    if (rc < 0) {
        char *m = one_error(&d);
        if (msg)
            *msg = m;
        else
            free(m);
    } else {
        check(d.n == 0, "a successful read gave a diagnostic");
    }
    fuzz_print_diags(&d);
    diags_dispose(&d);
    return rc;
}

/* report_reader_open()'s rows against the model's findings. The rows
 * come in the file's order, the model's findings in report order
 * (report_finish sorts them): the rows are kept, then sorted the same
 * way (rule key and image, then the file's order) and compared. */
struct vrow {
    struct report_finding fi;
    char *message;
    size_t at;
};

struct visit {
    const struct report *model;
    struct vrow *row;
    size_t n;
    bool *given;                /* per image: a row gave its cells */
    size_t again;               /* SIZE_MAX, or the row (file order) being read again */
};

static void same_cells(const struct report_image *a, const struct report_image *b)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        check(a->c[f].state == b->c[f].state, "a row's cell differs in state");
        if (a->c[f].state != CELL_OK)
            continue;
        if (field_defs[f].type == FT_STR)
            check(strcmp(a->c[f].v.s, b->c[f].v.s) == 0, "a row's string cell differs");
        else if (field_defs[f].type == FT_BOOL)
            check(a->c[f].v.b == b->c[f].v.b, "a row's boolean cell differs");
        else
            check(a->c[f].v.i == b->c[f].v.i, "a row's cell differs");
    }
}

static void visited(void *ctx, const struct report *rep, const struct report_row *row)
{
    struct visit *v = ctx;
    (void)rep;
    const struct report_finding *fi = row->fi;
    check(fi->image < v->model->n_images, "a row's image is not in the model");
    const struct report_image *img = &v->model->images[fi->image];
    check(row->source == img->source, "a row's source differs from its image's");
    if (v->again != SIZE_MAX) {
        const struct vrow *was = &v->row[v->again];
        check(row->index == v->again && row->at == was->at && row->img != NULL &&
              fi->rule == was->fi.rule && fi->image == was->fi.image &&
              fi->first_seen_ms == was->fi.first_seen_ms, "a row read again is not the same");
        same_cells(img, row->img);
        return;
    }
    check(v->n < v->model->n_findings && row->index == v->n, "more rows than findings");
    check((row->img != NULL) == !v->given[fi->image], "cells given on other than a first row");
    if (row->img)
        same_cells(img, row->img);
    v->given[fi->image] = true;
    struct vrow *o = &v->row[v->n++];
    o->fi = *fi;
    o->message = fi->message ? strdup(fi->message) : NULL;
    o->at = row->at;
}

static const uint64_t *sort_key;
static const struct vrow *sort_rows;
static int cmp_order(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    uint64_t x = sort_key[sort_rows[i].fi.rule] | sort_rows[i].fi.image;
    uint64_t y = sort_key[sort_rows[j].fi.rule] | sort_rows[j].fi.image;
    return x != y ? (x < y ? -1 : 1) : (i > j) - (i < j);
}

/* The file at 'path', read without the inventory into 'model' ('rc' 0)
 * or failed with 'msg', read again by report_reader_open(). */
static void check_visit(const char *path, const struct report *model, int rc, const char *msg)
{
    struct report rep;
    struct diags d = DIAGS_INIT;
    struct visit v = {model, calloc(model->n_findings + 1, sizeof *v.row), 0,
                      calloc(model->n_images + 1, sizeof *v.given), SIZE_MAX};
    struct report_reader *rr;
    report_init(&rep);
    int vrc = report_reader_open(&rr, &rep, path, REPORT_OPEN_NO_INDEX, visited, &v, NULL, &d);
    check(vrc == rc, "report_reader_open and report_read_json disagree");
    if (rc < 0) {
        char *m = one_error(&d);
        check(strcmp(m, msg) == 0, "report_reader_open failed with another error");
        free(m);
    } else {
        check(d.n == 0 && v.n == model->n_findings, "fewer rows than findings");
        check(memcmp(rep.summary.tally, model->summary.tally, sizeof rep.summary.tally) == 0 &&
              rep.summary.images_with_findings == model->summary.images_with_findings &&
              rep.summary.findings == model->summary.findings && rep.meta.gate == model->meta.gate,
              "the counts of rows not kept differ from the model's");
        size_t *order = calloc(v.n + 1, sizeof *order);
        for (size_t i = 0; i < v.n; i++)
            order[i] = i;
        uint64_t *keys = report_rule_keys(model);
        sort_key = keys;
        sort_rows = v.row;
        qsort(order, v.n, sizeof *order, cmp_order);
        for (size_t k = 0; k < v.n; k++) {
            const struct report_finding *a = &model->findings[k];
            const struct vrow *b = &v.row[order[k]];
            check(a->rule == b->fi.rule && a->image == b->fi.image &&
                  a->first_seen_ms == b->fi.first_seen_ms && a->status == b->fi.status &&
                  a->change == b->fi.change && a->waiver == b->fi.waiver,
                  "a row differs from the model's finding");
            check(a->message ? b->message && strcmp(a->message, b->message) == 0 : !b->message,
                  "a row's message differs from the model's");
        }
        free(order);
        free(keys);
        /* Read again: the last, the first and one between. */
        for (size_t k = 0; k < 3 && v.n; k++) {
            v.again = k == 0 ? v.n - 1 : k == 1 ? 0 : v.n / 2;
            check(report_reader_row(rr, v.again, v.row[v.again].at, visited, &v, &d) == 0,
                  "a row does not read again");
        }
        report_reader_close(rr);
    }
    for (size_t i = 0; i < v.n; i++)
        free(v.row[i].message);
    free(v.row);
    free(v.given);
    diags_dispose(&d);
    report_dispose(&rep);
}

static void count_row(void *ctx, const struct report *rep, const struct report_row *row)
{
    (void)rep;
    (void)row;
    ++*(size_t *)ctx;
}

/* report_reader_open() as a baseline reads: through the index when it
 * is trusted. */
static void check_indexed(const char *path)
{
    struct report rep;
    struct diags d = DIAGS_INIT;
    struct report_reader *rr;
    size_t n = 0;
    report_init(&rep);
    if (report_reader_open(&rr, &rep, path, 0, count_row, &n, NULL, &d) < 0) {
        free(one_error(&d));
    } else {
        check(d.n == 0, "a successful read gave a diagnostic");
        report_reader_close(rr);
    }
    diags_dispose(&d);
    report_dispose(&rep);
}

/* The file at 'path', read into memory as 'model' ('rc' 0) or failed
 * with 'msg', read again with REPORT_READ_SPILL. */
static void check_spill(const char *path, const struct report *model, int rc, const char *msg)
{
    struct report rep;
    char *smsg = NULL;
    int src = read_report(&rep, path, REPORT_READ_SPILL, &smsg);
    check(src == rc, "REPORT_READ_SPILL and REPORT_READ_FULL disagree");
    if (rc < 0) {
        check(strcmp(smsg, msg) == 0, "REPORT_READ_SPILL failed with another error");
    } else {
        size_t n1, n2;
        char *want = as_json(model, &n1);
        char *got = as_json(&rep, &n2);
        check(n1 == n2 && memcmp(want, got, n1) == 0,
              "a report read with REPORT_READ_SPILL writes other bytes");
        free(want);
        free(got);
    }
    free(smsg);
    report_dispose(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    unsigned flags = data[0] & 1 ? REPORT_READ_NO_INVENTORY : REPORT_READ_FULL;
    char path[64];
    int fd = memfile(data + 1, size - 1, path);
    if (fd < 0)
        return 0;
    struct report rep;
    char *msg = NULL;
    int rc = read_report(&rep, path, flags, &msg);
    if (flags == REPORT_READ_NO_INVENTORY) {
        check_visit(path, &rep, rc, msg);
        check_indexed(path);
        struct report full;
        char *fmsg = NULL;
        int frc = read_report(&full, path, REPORT_READ_FULL, &fmsg);
        check_spill(path, &full, frc, fmsg);
        free(fmsg);
        report_dispose(&full);
    } else {
        check_spill(path, &rep, rc, msg);
    }
    free(msg);
    if (rc == 0 && flags == REPORT_READ_FULL) {
        /* Written back, read again, written again: the same bytes. */
        size_t n1, n2;
        char *once = as_json(&rep, &n1);
        char again_path[64];
        int fd2 = memfile(once, n1, again_path);
        check(fd2 >= 0, "memfd");
        struct report back;
        check(read_report(&back, again_path, REPORT_READ_FULL, NULL) == 0,
              "the JSON written from a report read back does not read");
        char *twice = as_json(&back, &n2);
        check(n1 == n2 && memcmp(once, twice, n1) == 0,
              "a report read back writes other bytes the second time");
        free(twice);
        report_dispose(&back);
        close(fd2);
        free(once);
    }
    report_dispose(&rep);
    close(fd);
    return 0;
}
