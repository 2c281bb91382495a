/* SPDX-License-Identifier: MIT
 * Combining reports (report/combine.h) into a report kept on disk
 * (report/spill.h): every image and finding of every source comes back
 * through report_image_at() and report_finding_at(), byte for byte, in
 * the order report_finish() gives in memory (severity, rule id, then
 * source and image), with its rule, image and waiver matches mapped; the
 * summary counts add up; pointers stay valid for SPILL_SLOTS calls; and
 * a source that is itself a merged report keeps its sources. */
#define _DEFAULT_SOURCE             /* MAP_ANONYMOUS */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/combine.h"
#include "report/spill.h"
#include "writers_fixture.h"

/* Two sources: the fixture, and the fixture with a waiver matching its
 * "HSS says High" finding and another project. */
static void sources(struct report *a, struct report *b)
{
    fixture_report(a);
    a->meta.project_id = report_str(a, "proj-a");
    fixture_report(b);
    b->meta.project_id = report_str(b, "proj-b");
    b->meta.region = report_str(b, "cn-north-4");
    struct report_waiver w = {.id = "W-1", .rule = "IMG-HSS-HIGH", .when = "", .reason = "r",
                              .owner = "o", .expires = "2099-01-01", .file = "w.yaml", .line = 3,
                              .expires_ms = 4070908800000};
    report_add_waiver(b, &w);
    for (size_t i = 0; i < b->n_findings; i++)
        if (strcmp(b->rules[b->findings[i].rule].id, "IMG-HSS-HIGH") == 0) {
            /* Its matches must be contiguous at the end of the pool. */
            b->findings[i].matches = (uint32_t)b->n_waiver_matches;
            report_add_match(b, i, 0);
            b->findings[i].status = FINDING_WAIVED;
            b->findings[i].waiver = 0;
        }
    report_finish(b);
}

static void combine(struct report *m, struct report *a, struct report *b)
{
    struct diags d = DIAGS_INIT;
    struct report_combiner c;
    report_init(m);
    assert_int_equal(report_combine_init(&c, m, &d), 0);
    report_combine_add(&c, a, "a.json", "", false);
    report_combine_add(&c, b, "b.json", "", false);
    assert_int_equal(report_combine_finish(&c, &d), 0);
    assert_int_equal(d.errors, 0);
    diags_dispose(&d);
}

static void same_image(const struct report_image *x, const struct report_image *y)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        assert_int_equal(x->c[f].state, y->c[f].state);
        if (x->c[f].state != CELL_OK)
            continue;
        if (field_defs[f].type == FT_STR)
            assert_string_equal(x->c[f].v.s, y->c[f].v.s);
        else if (field_defs[f].type == FT_BOOL)
            assert_int_equal(x->c[f].v.b, y->c[f].v.b);
        else
            assert_int_equal(x->c[f].v.i, y->c[f].v.i);
    }
    assert_int_equal(x->findings, y->findings);
    assert_int_equal(x->max_severity, y->max_severity);
}

static void test_images_and_findings(void **state)
{
    (void)state;
    struct report a, b, m;
    sources(&a, &b);
    combine(&m, &a, &b);
    assert_null(m.images);
    assert_null(m.findings);
    assert_int_equal(m.n_images, a.n_images + b.n_images);
    assert_int_equal(m.n_findings, a.n_findings + b.n_findings);
    for (size_t i = 0; i < m.n_images; i++) {
        const struct report *src = i < a.n_images ? &a : &b;
        size_t j = i < a.n_images ? i : i - a.n_images;
        const struct report_image *img = report_image_at(&m, i);
        same_image(img, &src->images[j]);
        assert_int_equal(img->source, src == &a ? 0 : 1);
        assert_string_equal(report_image_project_id(&m, img), src == &a ? "proj-a" : "proj-b");
    }
    /* In memory, a's findings are ordered (severity, rule id, image);
     * merged, each rule's findings of a come before b's. */
    size_t i = 0;
    for (size_t ra = 0; ra < a.n_findings;) {
        size_t end = ra;
        while (end < a.n_findings && a.findings[end].rule == a.findings[ra].rule)
            end++;
        for (int s = 0; s < 2; s++) {
            const struct report *src = s ? &b : &a;
            for (size_t k = 0; k < src->n_findings; k++) {
                const struct report_finding *want = &src->findings[k];
                if (strcmp(src->rules[want->rule].id, a.rules[a.findings[ra].rule].id) != 0)
                    continue;
                const struct report_finding *got = report_finding_at(&m, i++);
                assert_string_equal(m.rules[got->rule].id, src->rules[want->rule].id);
                assert_string_equal(got->message, want->message);
                assert_int_equal(got->status, want->status);
                assert_int_equal(got->first_seen_ms, want->first_seen_ms);
                assert_int_equal(got->image, want->image + (s ? a.n_images : 0));
                assert_int_equal(got->n_matches, want->n_matches);
                if (got->n_matches) {
                    assert_string_equal(m.waivers[report_finding_match(&m, got, 0)].id, "W-1");
                    assert_string_equal(m.waivers[got->waiver].id, "W-1");
                }
            }
        }
        ra = end;
    }
    assert_int_equal(i, m.n_findings);
    report_dispose(&a);
    report_dispose(&b);
    report_dispose(&m);
}

static void test_summary(void **state)
{
    (void)state;
    struct report a, b, m;
    sources(&a, &b);
    combine(&m, &a, &b);
    assert_int_equal(m.summary.images, 6);
    assert_int_equal(m.summary.findings, 8);
    assert_int_equal(m.summary.tally_total[T_WAIVED], 1);
    assert_int_equal(m.summary.tally_total[T_OPEN], 7);
    assert_int_equal(m.summary.by_severity[SEV_CRITICAL], 4);
    assert_int_equal(m.rules[0].findings, 4);
    assert_int_equal(m.rules[1].unknown, 4);
    assert_int_equal(m.n_sources, 2);
    assert_int_equal(m.sources[1].waived_total, 1);
    assert_int_equal(m.sources[1].open[SEV_HIGH], 0);
    assert_int_equal(m.sources[0].open[SEV_HIGH], 1);
    assert_string_equal(m.summary.by_namespace[0].key, "prod");
    assert_int_equal(m.summary.by_namespace[0].count, 4);
    assert_int_equal(m.meta.gate, GATE_NONE);     /* the merge's own gate, not the sources' */
    report_dispose(&a);
    report_dispose(&b);
    report_dispose(&m);
}

/* SPILL_SLOTS pointers from each accessor are valid at once. */
static void test_slots(void **state)
{
    (void)state;
    struct report a, b, m;
    sources(&a, &b);
    combine(&m, &a, &b);
    const struct report_image *imgs[SPILL_SLOTS];
    const struct report_finding *fnd[SPILL_SLOTS];
    for (size_t i = 0; i < SPILL_SLOTS; i++) {
        imgs[i] = report_image_at(&m, i % m.n_images);
        fnd[i] = report_finding_at(&m, i % m.n_findings);
    }
    for (size_t i = 0; i < m.n_images && i < SPILL_SLOTS; i++)
        same_image(imgs[i], i < a.n_images ? &a.images[i] : &b.images[i - a.n_images]);
    for (size_t i = 0; i < m.n_findings && i < SPILL_SLOTS; i++)
        assert_ptr_equal(fnd[i], report_finding_at(&m, i));
    report_dispose(&a);
    report_dispose(&b);
    report_dispose(&m);
}

/* Do the images of 'm' read back equal to those of 'a' then 'b'? */
static bool images_equal(struct report *m, const struct report *a, const struct report *b)
{
    for (size_t i = 0; i < m->n_images; i++) {
        const struct report_image *x = report_image_at(m, i);
        const struct report_image *y = i < a->n_images ? &a->images[i]
                                                       : &b->images[i - a->n_images];
        for (int f = 0; f < FIELD_COUNT; f++) {
            if (x->c[f].state != y->c[f].state)
                return false;
            if (x->c[f].state == CELL_OK && field_defs[f].type == FT_STR &&
                strcmp(x->c[f].v.s, y->c[f].v.s) != 0)
                return false;
        }
    }
    return true;
}

/* A reader needs no address space beyond its pages (a ulimit -v): the
 * store is read by copies, never mapped, and gives the same images. Run
 * in a child whose address space limit is what it uses already: memory
 * for the copies is reserved on the heap first. */
static void test_images_without_address_space(void **state)
{
    (void)state;
    struct report a, b, m;
    sources(&a, &b);
    combine(&m, &a, &b);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);    /* heap, kept when freed */
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
        free(malloc(8 << 20));
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!f || fscanf(f, "%ld", &pages) != 1)
            _exit(4);
        fclose(f);
        rlim_t size = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
        struct rlimit lim = {size, size};
        if (setrlimit(RLIMIT_AS, &lim) != 0)
            _exit(4);
        /* The limit holds: nothing more can be mapped. */
        if (mmap(NULL, 1 << 16, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
            _exit(2);
        _exit(images_equal(&m, &a, &b) ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);   /* 3: a read needed address space */
    /* And without a limit, in this process. */
    assert_true(images_equal(&m, &a, &b));
    report_dispose(&a);
    report_dispose(&b);
    report_dispose(&m);
}

/* A merged report merged again: its sources carry over, images keep
 * theirs. */
static void test_nested(void **state)
{
    (void)state;
    struct report a, b, m, n, mem;
    sources(&a, &b);
    combine(&m, &a, &b);
    /* A merged report as the reader would give it: in memory. */
    report_init(&mem);
    mem.n_sources = m.n_sources;
    mem.sources = xcalloc(m.n_sources, sizeof *mem.sources);
    memcpy(mem.sources, m.sources, m.n_sources * sizeof *m.sources);
    mem.n_rules = m.n_rules;
    mem.rules = xcalloc(m.n_rules, sizeof *mem.rules);
    memcpy(mem.rules, m.rules, m.n_rules * sizeof *m.rules);
    for (size_t r = 0; r < m.n_rules; r++)
        mem.rules[r].tags = xcalloc(1, sizeof(char *)), mem.rules[r].n_tags = 0;
    for (size_t i = 0; i < m.n_images; i++) {
        XGROW(mem.images, mem.cap_images, mem.n_images + 1);
        mem.images[mem.n_images++] = *report_image_at(&m, i);
        for (int f = 0; f < FIELD_COUNT; f++)
            if (mem.images[i].c[f].state == CELL_OK && field_defs[f].type == FT_STR)
                mem.images[i].c[f].v.s = report_str(&mem, mem.images[i].c[f].v.s);
    }
    report_finish(&mem);

    struct diags d = DIAGS_INIT;
    struct report_combiner c;
    report_init(&n);
    assert_int_equal(report_combine_init(&c, &n, &d), 0);
    report_combine_add(&c, &mem, "m.json", "", false);
    assert_int_equal(report_combine_finish(&c, &d), 0);
    assert_int_equal(n.n_sources, 2);
    assert_string_equal(n.sources[0].path, "a.json");
    assert_string_equal(n.sources[1].project_id, "proj-b");
    assert_int_equal(report_image_at(&n, 4)->source, 1);
    diags_dispose(&d);
    report_dispose(&a);
    report_dispose(&b);
    report_dispose(&m);
    report_dispose(&mem);
    report_dispose(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_and_findings),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_images_without_address_space),
        cmocka_unit_test(test_nested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
