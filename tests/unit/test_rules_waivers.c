/* SPDX-License-Identifier: MIT
 * Waivers (rules.h): which enabled rules a waiver covers (by id and
 * "*"), its `when` on records (true, false, unknown, absent), the exact
 * expiry instants for dates and RFC 3339 times, the --max-waiver-days
 * horizon on both sides of its edge, the JSON form, waivers inside a
 * rule file, default FILE:LINE ids, waiver-file fingerprints, and that a
 * waiver with an error is never listed. The messages themselves are
 * pinned by the golden cases tests/rules/waiver_*. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/hash.h"

static const char rules_yaml[] =
    "version: 1\n"
    "params:\n"
    "  lab: [sandbox, lab]\n"
    "rules:\n"
    "  - id: A\n"
    "    title: many vulnerabilities\n"
    "    severity: high\n"
    "    when: vul_num > 1\n"
    "  - id: OFF\n"
    "    title: disabled\n"
    "    severity: low\n"
    "    enabled: false\n"
    "    when: vul_num > 2\n"
    "  - id: B\n"
    "    title: latest tag\n"
    "    severity: low\n"
    "    when: image_version == \"latest\"\n";

static const char waivers_yaml[] =
    "version: 1\n"
    "waivers:\n"
    "  - id: W-A\n"                                 /* line 3 */
    "    rule: A\n"
    "    when: namespace in params.lab\n"
    "    reason: Isolated lab registry\n"
    "    owner: platform-team\n"
    "    expires: 2027-03-31\n"
    "    ticket: SEC-142\n"
    "  - id: W-ALL\n"                               /* line 10 */
    "    rule: \"*\"\n"
    "    when: vul_num < 10\n"
    "    reason: Few vulnerabilities everywhere\n"
    "    owner: sec-team\n"
    "    expires: '2027-03-31T18:00:00.250+02:00'\n"
    "  - id: W-OFF\n"                               /* line 16 */
    "    rule: OFF\n"
    "    reason: The rule is off for now\n"
    "    owner: sec-team\n"
    "    expires: 2028-02-29\n"
    "  - rule: B\n"                                 /* line 21 */
    "    reason: Pinned by digest\n"
    "    owner: platform-team\n"
    "    expires: 2027-03-31T00:00:00Z\n";

/* 2027-01-01T00:00:00Z */
static const int64_t NOW = INT64_C(1798761600000);
static const int64_t DAY = INT64_C(86400000);

static struct ruleset *load(struct diags *d)
{
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "r.yaml", rules_yaml, strlen(rules_yaml), d), 0);
    assert_int_equal(ruleset_add_waiver_text(rs, "w.yaml", waivers_yaml, strlen(waivers_yaml), d),
                     0);
    if (ruleset_compile(rs, d) != 0)
        diags_print(d, stderr);
    assert_int_equal(d->errors, 0);
    return rs;
}

static void record_from(struct record *rec, const char *json)
{
    json_t *obj = json_loads(json, 0, NULL);
    assert_non_null(obj);
    record_decode(rec, obj, 0, NULL);
}

static void test_info(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = load(&d);
    assert_int_equal(ruleset_waiver_count(rs), 4);

    const struct waiver_info *w = ruleset_waiver(rs, 0);
    assert_string_equal(w->id, "W-A");
    assert_string_equal(w->rule, "A");
    assert_string_equal(w->when, "namespace in params.lab");
    assert_string_equal(w->reason, "Isolated lab registry");
    assert_string_equal(w->owner, "platform-team");
    assert_string_equal(w->ticket, "SEC-142");
    /* A date holds to the end of that day, UTC: 2027-04-01T00:00:00Z. */
    assert_string_equal(w->expires, "2027-03-31");
    assert_true(w->expires_is_date);
    assert_int_equal(w->expires_ms, INT64_C(1806537600000));
    assert_string_equal(w->file, "w.yaml");
    assert_int_equal(w->line, 3);

    /* A time is that instant, kept as UTC text. */
    w = ruleset_waiver(rs, 1);
    assert_string_equal(w->rule, "*");
    assert_null(w->ticket);
    assert_false(w->expires_is_date);
    assert_string_equal(w->expires, "2027-03-31T16:00:00.250Z");
    assert_int_equal(w->expires_ms, INT64_C(1806508800250));

    /* A leap day; no `when` is "". */
    w = ruleset_waiver(rs, 2);
    assert_string_equal(w->when, "");
    assert_string_equal(w->expires, "2028-02-29");
    assert_int_equal(w->expires_ms, INT64_C(1835481600000));    /* 2028-03-01 */

    /* No id: FILE:LINE of the entry. */
    w = ruleset_waiver(rs, 3);
    assert_string_equal(w->id, "w.yaml:21");
    assert_int_equal(w->line, 21);
    assert_string_equal(w->expires, "2027-03-31T00:00:00Z");
    assert_int_equal(w->expires_ms, INT64_C(1806537600000) - DAY);

    assert_null(ruleset_waiver(rs, 4));
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_covers(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = load(&d);
    /* Enabled rules: 0 = A, 1 = B (OFF is disabled). */
    assert_int_equal(ruleset_count(rs), 2);
    assert_string_equal(ruleset_rule(rs, 0)->id, "A");
    assert_string_equal(ruleset_rule(rs, 1)->id, "B");
    static const bool want[4][2] = {
        {true, false},      /* W-A: rule A */
        {true, true},       /* W-ALL: "*" */
        {false, false},     /* W-OFF: a disabled rule, known but never evaluated */
        {false, true},      /* w.yaml:21: rule B */
    };
    for (size_t w = 0; w < 4; w++)
        for (size_t i = 0; i < 2; i++)
            assert_int_equal(ruleset_waiver_covers(rs, w, i), want[w][i]);
    assert_false(ruleset_waiver_covers(rs, 4, 0));
    assert_false(ruleset_waiver_covers(rs, 1, 2));
    /* Compiling again gives the same list (and leaks nothing). */
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_waiver_count(rs), 4);
    assert_true(ruleset_waiver_covers(rs, 3, 1));
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_eval(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = load(&d);
    struct eval_scratch *s = eval_scratch_new(rs);
    struct record lab, prod, bare;
    record_from(&lab, "{\"namespace\": \"sandbox\", \"vul_num\": 50}");
    record_from(&prod, "{\"namespace\": \"prod\", \"vul_num\": 3}");
    record_from(&bare, "{}");

    assert_int_equal(ruleset_waiver_eval(rs, 0, &lab, NOW, s), TRI_TRUE);
    assert_int_equal(ruleset_waiver_eval(rs, 0, &prod, NOW, s), TRI_FALSE);
    assert_int_equal(ruleset_waiver_eval(rs, 0, &bare, NOW, s), TRI_UNKNOWN);
    assert_int_equal(ruleset_waiver_eval(rs, 1, &lab, NOW, s), TRI_FALSE);
    assert_int_equal(ruleset_waiver_eval(rs, 1, &prod, NOW, s), TRI_TRUE);
    assert_int_equal(ruleset_waiver_eval(rs, 1, &bare, NOW, s), TRI_UNKNOWN);
    /* No `when`: every image, even one with no fields. */
    assert_int_equal(ruleset_waiver_eval(rs, 2, &bare, NOW, s), TRI_TRUE);
    assert_int_equal(ruleset_waiver_eval(rs, 3, &lab, NOW, s), TRI_TRUE);
    assert_int_equal(ruleset_waiver_eval(rs, 4, &lab, NOW, s), TRI_UNKNOWN);

    record_dispose(&lab);
    record_dispose(&prod);
    record_dispose(&bare);
    eval_scratch_free(s);
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_horizon(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = load(&d);
    /* The latest expiry is W-OFF's 2028-03-01T00:00:00Z: 425 days after NOW. */
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 425, &d), 0);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 100000000000L, &d), 0);
    assert_int_equal(d.n, 0);
    /* A millisecond earlier, 425 days are not enough. */
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW - 1, 425, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, "w.yaml");
    assert_int_equal(d.v[0].line, 20);
    assert_int_equal(d.v[0].col, 14);
    assert_int_equal(d.v[0].span, 10);
    assert_string_equal(d.v[0].msg,
                        "waiver 'W-OFF' expires 2028-02-29, more than 425 days from now: "
                        "--max-waiver-days allows 2028-02-28 at the latest");
    diags_dispose(&d);

    /* 90 days: W-A's 2027-03-31 ends exactly 90 days after NOW. */
    diags_init(&d);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 90, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].msg,
                        "waiver 'W-OFF' expires 2028-02-29, more than 90 days from now: "
                        "--max-waiver-days allows 2027-03-31 at the latest");
    diags_dispose(&d);

    /* 89 days: w.yaml:21 (2027-03-31T00:00:00Z) is exactly at the edge. */
    diags_init(&d);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 89, &d), -1);
    assert_int_equal(d.errors, 3);
    assert_string_equal(d.v[0].msg,
                        "waiver 'W-A' expires 2027-03-31, more than 89 days from now: "
                        "--max-waiver-days allows 2027-03-30 at the latest");
    /* A time is refused with the latest instant allowed. */
    assert_string_equal(d.v[1].msg,
                        "waiver 'W-ALL' expires 2027-03-31T16:00:00.250Z, more than 89 days "
                        "from now: --max-waiver-days allows 2027-03-31T00:00:00Z at the latest");
    assert_int_equal(d.v[1].line, 15);
    assert_int_equal(d.v[1].col, 14);
    assert_int_equal(d.v[1].span, 31);
    assert_string_equal(d.v[2].msg,
                        "waiver 'W-OFF' expires 2028-02-29, more than 89 days from now: "
                        "--max-waiver-days allows 2027-03-30 at the latest");
    diags_dispose(&d);

    diags_init(&d);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 1, &d), -1);
    assert_int_equal(d.errors, 4);
    assert_string_equal(d.v[0].msg,
                        "waiver 'W-A' expires 2027-03-31, more than 1 day from now: "
                        "--max-waiver-days allows 2027-01-01 at the latest");
    diags_dispose(&d);

    /* 0 days (and a negative count, taken as 0): nothing may outlive now. */
    diags_init(&d);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, -5, &d), -1);
    assert_int_equal(d.errors, 4);
    assert_string_equal(d.v[3].msg,
                        "waiver 'w.yaml:21' expires 2027-03-31T00:00:00Z, more than 0 days from "
                        "now: --max-waiver-days allows 2027-01-01T00:00:00Z at the latest");
    ruleset_free(rs);
    diags_dispose(&d);
}

/* Exactly N days is allowed, N days and a millisecond is not, for a time. */
static void test_horizon_edge(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "waivers:\n"
        "  - {id: T, rule: A, reason: r, owner: o, expires: \"2027-01-31T00:00:00.001Z\"}\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "r.yaml", rules_yaml, strlen(rules_yaml), &d), 0);
    assert_int_equal(ruleset_add_waiver_text(rs, "t.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_waiver(rs, 0)->expires_ms, NOW + 30 * DAY + 1);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW + 1, 30, &d), 0);
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 30, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 52);
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_json(void **state)
{
    (void)state;
    static const char json[] =
        "{\"version\": 1,\n"
        " \"waivers\": [\n"
        "  {\"rule\": \"B\", \"when\": \"namespace == \\\"lab\\\"\", \"reason\": \"r\",\n"
        "   \"owner\": \"o\", \"expires\": \"2027-03-31T23:59:59+00:00\", \"ticket\": \"T-1\"}]}\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "r.yaml", rules_yaml, strlen(rules_yaml), &d), 0);
    assert_int_equal(ruleset_add_waiver_text(rs, "w.json", json, strlen(json), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_waiver_count(rs), 1);
    const struct waiver_info *w = ruleset_waiver(rs, 0);
    assert_string_equal(w->id, "w.json:3");
    assert_string_equal(w->when, "namespace == \"lab\"");
    assert_string_equal(w->ticket, "T-1");
    assert_string_equal(w->expires, "2027-03-31T23:59:59Z");
    assert_int_equal(w->expires_ms, INT64_C(1806537600000) - 1000);
    assert_true(ruleset_waiver_covers(rs, 0, 1));
    assert_false(ruleset_waiver_covers(rs, 0, 0));
    ruleset_free(rs);
    diags_dispose(&d);
}

/* A rule file may hold waivers (and only waivers): it stays a rule file,
 * so `imgaudit lint rules.yaml waivers.yaml` checks both. */
static void test_in_rule_file(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "rules:\n"
        "  - {id: C, title: t, severity: low, when: \"vul_num > 0\"}\n"
        "waivers:\n"
        "  - {id: W-C, rule: C, reason: r, owner: o, expires: 2027-03-31}\n"
        "  - {id: W-S, rule: IMG-STALE-SCAN, reason: r, owner: o, expires: 2027-03-31}\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "c.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_add_file(rs, "tests/rules/inc/waived.yaml", &d), 0);
    /* Only `version` and `waivers`, loaded as a rule file. */
    assert_int_equal(ruleset_add_file(rs, "tests/rules/inc/other.waivers.yaml", &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_file_count(rs), 3);
    assert_int_equal(ruleset_waiver_file_count(rs), 0);
    assert_int_equal(ruleset_waiver_count(rs), 3);
    assert_string_equal(ruleset_waiver(rs, 0)->id, "W-C");
    assert_string_equal(ruleset_waiver(rs, 0)->file, "c.yaml");
    assert_int_equal(ruleset_waiver(rs, 0)->line, 5);
    assert_string_equal(ruleset_waiver(rs, 1)->id, "W-S");
    assert_string_equal(ruleset_waiver(rs, 2)->id, "W-SHARED");
    /* Enabled rules: C, IMG-STALE-SCAN, IMG-LATEST-TAG (a waiver may
     * name a rule of a file loaded after it). */
    assert_int_equal(ruleset_count(rs), 3);
    assert_true(ruleset_waiver_covers(rs, 0, 0));
    assert_true(ruleset_waiver_covers(rs, 1, 1));
    assert_true(ruleset_waiver_covers(rs, 2, 2));
    assert_false(ruleset_waiver_covers(rs, 2, 1));
    ruleset_free(rs);
    diags_dispose(&d);
}

/* Waiver files are listed apart from rule files, with the SHA-256 of
 * the bytes parsed. */
static void test_files(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "r.yaml", rules_yaml, strlen(rules_yaml), &d), 0);
    assert_int_equal(ruleset_add_waiver_text(rs, "w.yaml", waivers_yaml, strlen(waivers_yaml), &d),
                     0);
    assert_int_equal(ruleset_add_file(rs, "rules/default.yaml", &d), 0);
    assert_int_equal(ruleset_add_waiver_file(rs, "tests/rules/inc/other.waivers.yaml", &d), 0);
    assert_int_equal(ruleset_add_waiver_file(rs, "tests/rules/inc/no-such.waivers.yaml", &d), -1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, "tests/rules/inc/no-such.waivers.yaml");
    assert_string_equal(d.v[0].msg, "cannot open waiver file: No such file or directory");

    assert_int_equal(ruleset_file_count(rs), 2);
    assert_string_equal(ruleset_file(rs, 0).path, "r.yaml");
    assert_string_equal(ruleset_file(rs, 1).path, "rules/default.yaml");
    assert_int_equal(ruleset_waiver_file_count(rs), 2);
    char want[SHA256_HEX_LEN];
    sha256_hex(waivers_yaml, strlen(waivers_yaml), want);
    assert_string_equal(ruleset_waiver_file(rs, 0).path, "w.yaml");
    assert_string_equal(ruleset_waiver_file(rs, 0).sha256, want);
    FILE *f = fopen("tests/rules/inc/other.waivers.yaml", "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    sha256_hex(buf, n, want);
    assert_string_equal(ruleset_waiver_file(rs, 1).path, "tests/rules/inc/other.waivers.yaml");
    assert_string_equal(ruleset_waiver_file(rs, 1).sha256, want);
    ruleset_free(rs);
    diags_dispose(&d);
}

/* Nothing is listed before compile, and a waiver with an error never:
 * a broken `when` must not turn into "every image". */
static void test_broken_not_listed(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "waivers:\n"
        "  - {id: OK, rule: A, reason: r, owner: o, expires: 2027-03-31}\n"
        "  - {id: SYNTAX, rule: A, when: \"vul_num >\", reason: r, owner: o, expires: 2027-03-31}\n"
        "  - {id: TYPE, rule: A, when: \"vul_num\", reason: r, owner: o, expires: 2027-03-31}\n"
        "  - {id: RULE, rule: Z, reason: r, owner: o, expires: 2027-03-31}\n"
        "  - {id: OWNER, rule: A, reason: r, owner: \"\", expires: 2027-03-31}\n"
        "  - {id: DATE, rule: A, reason: r, owner: o, expires: 2027-02-29}\n"
        "  - {id: OK2, rule: \"*\", when: \"true\", reason: r, owner: o, expires: 2027-03-31}\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "r.yaml", rules_yaml, strlen(rules_yaml), &d), 0);
    assert_int_equal(ruleset_add_waiver_text(rs, "b.yaml", text, strlen(text), &d), -1);
    assert_int_equal(d.errors, 3);
    assert_int_equal(ruleset_waiver_count(rs), 0);
    assert_int_equal(ruleset_compile(rs, &d), -1);
    assert_int_equal(d.errors, 5);
    assert_int_equal(ruleset_waiver_count(rs), 2);
    assert_string_equal(ruleset_waiver(rs, 0)->id, "OK");
    assert_string_equal(ruleset_waiver(rs, 1)->id, "OK2");
    /* The horizon check still sees every waiver that has a date. */
    assert_int_equal(ruleset_check_waiver_horizon(rs, NOW, 0, &d), -1);
    assert_int_equal(d.errors, 5 + 6);
    ruleset_free(rs);
    diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_eval),
        cmocka_unit_test(test_horizon),
        cmocka_unit_test(test_horizon_edge),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_in_rule_file),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_broken_not_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
