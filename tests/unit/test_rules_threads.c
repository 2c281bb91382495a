/* SPDX-License-Identifier: MIT
 * ruleset_eval() and ruleset_waiver_eval() from several threads at once:
 * rules.h promises that a compiled rule set is only read, and that
 * everything a thread writes (PCRE2 match data, lower()/upper() text)
 * lives in its own eval_scratch. Four threads evaluate the default rules,
 * plus rules and waivers that use the scratch, over the samples, each
 * with its own scratch and in a different order, and must give the
 * single-threaded answers. Run under -DIMGAUDIT_SANITIZE=thread to look
 * for races as well. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "source/input.h"

#define NTHREADS 4
#define ROUNDS 3

/* 2026-11-27T08:00:00Z, as scripts/run-sample.sh */
static const int64_t NOW = 1795766400000;

/* Rules that reach the scratch (lower/upper), regexes, any()/count()
 * and field(), which the default rules may not all use. */
static const char extra_rules[] =
    "version: 1\n"
    "rules:\n"
    "  - id: X-CASE\n"
    "    title: case mapping\n"
    "    severity: low\n"
    "    when: lower(namespace) == \"prod\" or upper(image_name) =~ \"^[A-Z]+-\"\n"
    "  - id: X-REGEX\n"
    "    title: regex\n"
    "    severity: low\n"
    "    when: image_version !~ \"^v?\\\\d+(\\\\.\\\\d+)*$\" and image_name =~ \"(?i)a\"\n"
    "  - id: X-ASSOC\n"
    "    title: associated images\n"
    "    severity: low\n"
    "    when: >-\n"
    "      any(association_images, lower(image_name) =~ \"a\")\n"
    "      or count(association_images, vul_num > 0) > 1\n"
    "  - id: X-FIELD\n"
    "    title: field()\n"
    "    severity: low\n"
    "    when: exists(field(\"region\")) or len(image_name) > 12\n";

/* Waivers whose `when` uses the scratch and regexes too. */
static const char extra_waivers[] =
    "version: 1\n"
    "waivers:\n"
    "  - rule: \"*\"\n"
    "    when: lower(image_name) =~ \"^[a-m]\" and not contains(upper(namespace), \"PROD\")\n"
    "    reason: r\n"
    "    owner: o\n"
    "    expires: 2030-01-01\n"
    "  - rule: X-REGEX\n"
    "    when: >-\n"
    "      lower(scan_failed_desc) =~ \"unknown|time\"\n"
    "      or any(association_images, image_name =~ \"(?i)^b\")\n"
    "    reason: r\n"
    "    owner: o\n"
    "    expires: 2030-01-01\n";

struct shared {
    const struct ruleset *rs;
    const struct record *recs;
    size_t nrecs, nrules, nwaivers;
    const enum tri *want;           /* nrecs * (nrules + nwaivers), single-threaded */
};

/* Column 'c' of record 'rec': a rule, then the waivers. */
static enum tri answer(const struct shared *sh, size_t c, const struct record *rec,
                       struct eval_scratch *s)
{
    if (c < sh->nrules)
        return ruleset_eval(sh->rs, c, rec, NOW, s);
    return ruleset_waiver_eval(sh->rs, c - sh->nrules, rec, NOW, s);
}

struct worker {
    const struct shared *sh;
    int id;
    size_t mismatches;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    const struct shared *sh = w->sh;
    struct eval_scratch *s = eval_scratch_new(sh->rs);
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < sh->nrecs; k++) {
            /* Each thread starts at another record, so that different
             * threads run different rules at the same moment. */
            size_t i = (k + (size_t)w->id * sh->nrecs / NTHREADS) % sh->nrecs;
            size_t ncols = sh->nrules + sh->nwaivers;
            for (size_t c = 0; c < ncols; c++)
                if (answer(sh, c, &sh->recs[i], s) != sh->want[i * ncols + c])
                    w->mismatches++;
        }
    }
    eval_scratch_free(s);
    return NULL;
}

static void test_parallel_eval(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_file(rs, "rules/default.yaml", &d), 0);
    assert_int_equal(ruleset_add_text(rs, "extra.yaml", extra_rules, strlen(extra_rules), &d),
                     0);
    assert_int_equal(ruleset_add_waiver_text(rs, "waivers.yaml", extra_waivers,
                                             strlen(extra_waivers), &d),
                     0);
    if (ruleset_compile(rs, &d) != 0)
        diags_print(&d, stderr);
    assert_int_equal(d.errors, 0);

    /* Records: the samples and the hostile ones. */
    const char *paths[] = {"samples/images.jsonl", "samples/hostile.jsonl"};
    struct record *recs = NULL;
    size_t nrecs = 0, cap = 0;
    for (size_t p = 0; p < 2; p++) {
        struct input *in;
        assert_int_equal(input_open(&in, paths[p], &d), 0);
        json_t *j;
        int rc;
        while ((rc = input_next(in, &j, &d)) == 1) {
            if (nrecs == cap) {
                cap = cap ? 2 * cap : 64;
                recs = realloc(recs, cap * sizeof *recs);
                assert_non_null(recs);
            }
            record_decode(&recs[nrecs], j, nrecs, NULL);
            nrecs++;
        }
        assert_int_equal(rc, 0);
        input_close(in);
    }
    assert_true(nrecs > 50);

    struct shared sh = {rs, recs, nrecs, ruleset_count(rs), ruleset_waiver_count(rs), NULL};
    assert_true(sh.nrules >= 4);
    assert_int_equal(sh.nwaivers, 2);
    size_t ncols = sh.nrules + sh.nwaivers;
    enum tri *want = malloc(nrecs * ncols * sizeof *want);
    assert_non_null(want);
    size_t seen[3] = {0, 0, 0}, wseen[3] = {0, 0, 0};
    struct eval_scratch *s = eval_scratch_new(rs);
    for (size_t i = 0; i < nrecs; i++)
        for (size_t c = 0; c < ncols; c++) {
            want[i * ncols + c] = answer(&sh, c, &recs[i], s);
            (c < sh.nrules ? seen : wseen)[want[i * ncols + c]]++;
        }
    eval_scratch_free(s);
    /* The comparison means something only if the answers vary. */
    for (int t = 0; t < 3; t++) {
        assert_true(seen[t] > 0);
        assert_true(wseen[t] > 0);
    }
    sh.want = want;
    struct worker w[NTHREADS];
    pthread_t t[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        w[k] = (struct worker){&sh, k, 0};
        assert_int_equal(pthread_create(&t[k], NULL, work, &w[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        assert_int_equal(pthread_join(t[k], NULL), 0);
        assert_int_equal(w[k].mismatches, 0);
    }

    free(want);
    for (size_t i = 0; i < nrecs; i++)
        record_dispose(&recs[i]);
    free(recs);
    ruleset_free(rs);
    diags_dispose(&d);
}

/* The costly-regex counter is shared by every thread: the regex is
 * disabled once, for all of them, after about RULES_REGEX_MAX_LIMIT_HITS
 * hits in total (matches already under way may add up to NTHREADS - 1). */
struct costly {
    const struct ruleset *rs;
    const struct record *rec;
    size_t not_unknown;
};

static void *costly_work(void *arg)
{
    struct costly *c = arg;
    struct eval_scratch *s = eval_scratch_new(c->rs);
    for (int k = 0; k < 60; k++)
        if (ruleset_eval(c->rs, 0, c->rec, NOW, s) != TRI_UNKNOWN)
            c->not_unknown++;
    eval_scratch_free(s);
    return NULL;
}

static void test_parallel_costly_regex(void **state)
{
    (void)state;
    static const char text[] = "version: 1\n"
                               "rules:\n"
                               "  - id: COSTLY\n"
                               "    title: costly\n"
                               "    severity: low\n"
                               "    when: image_name =~ \"^(a+)+$\"\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "c.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    char json[3100];
    int n = snprintf(json, sizeof json, "{\"image_name\": \"");
    memset(json + n, 'a', 3000);
    snprintf(json + n + 3000, sizeof json - (size_t)n - 3000, "b\"}");
    struct record rec;
    record_decode(&rec, json_loads(json, 0, NULL), 0, NULL);

    struct costly c[NTHREADS];
    pthread_t t[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        c[k] = (struct costly){rs, &rec, 0};
        assert_int_equal(pthread_create(&t[k], NULL, costly_work, &c[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        assert_int_equal(pthread_join(t[k], NULL), 0);
        assert_int_equal(c[k].not_unknown, 0);
    }
    size_t hits = ruleset_rule_regex_limit_hits(rs, 0);
    assert_true(hits >= RULES_REGEX_MAX_LIMIT_HITS);
    assert_true(hits <= RULES_REGEX_MAX_LIMIT_HITS + NTHREADS - 1);
    assert_true(ruleset_rule_regex_disabled(rs, 0));
    record_dispose(&rec);
    ruleset_free(rs);
    diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_eval),
        cmocka_unit_test(test_parallel_costly_regex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
