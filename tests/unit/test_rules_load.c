/* SPDX-License-Identifier: MIT
 * Loader tests: param typing (`7d` vs "7d"), --set keeping the type,
 * param_info text, rule_info fields, disabled rules, JSON rule files,
 * and the shipped rules/default.yaml (loads clean, fires as intended). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/hash.h"
#include "util/buf.h"

static const char params_yaml[] =
    "version: 1\n"
    "params:\n"
    "  stale_after: 7d\n"
    "  label: \"7d\"\n"
    "  max_vulns: 50\n"
    "  ratio: 0.25\n"
    "  strict: true\n"
    "  trusted_namespaces: [prod, stg]\n"
    "  empty: []\n"
    "rules:\n"
    "  - id: A\n"
    "    title: uses a duration param\n"
    "    severity: medium\n"
    "    when: age(latest_scan_time) > params.stale_after\n"
    "    tags: [soc2-cc7.1, x]\n"
    "    description: d\n"
    "  - id: B.off\n"
    "    title: disabled\n"
    "    severity: critical\n"
    "    enabled: false\n"
    "    when: namespace in params.trusted_namespaces and params.strict\n";

static const struct param_info *find_param(const struct ruleset *rs, const char *name)
{
    for (size_t i = 0; i < ruleset_param_count(rs); i++)
        if (strcmp(ruleset_param(rs, i)->name, name) == 0)
            return ruleset_param(rs, i);
    return NULL;
}

static void test_param_types(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "p.yaml", params_yaml, strlen(params_yaml), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    /* Compiling again is harmless (no leak, same result). */
    assert_int_equal(ruleset_compile(rs, &d), 0);
    static const struct { const char *name, *value, *type; } want[] = {
        {"stale_after", "7d", "duration"}, {"label", "7d", "string"},
        {"max_vulns", "50", "integer"},    {"ratio", "0.25", "decimal"},
        {"strict", "true", "boolean"},     {"trusted_namespaces", "[prod, stg]", "list"},
        {"empty", "[]", "list"},
    };
    assert_int_equal(ruleset_param_count(rs), 7);
    for (size_t i = 0; i < 7; i++) {
        const struct param_info *p = find_param(rs, want[i].name);
        assert_non_null(p);
        assert_string_equal(p->value, want[i].value);
        assert_string_equal(p->type, want[i].type);
    }
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_set(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "p.yaml", params_yaml, strlen(params_yaml), &d), 0);
    assert_int_equal(ruleset_set_param(rs, "stale_after", "36h", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "label", "14d", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "max_vulns", "-3", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "ratio", "2", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "strict", "false", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "trusted_namespaces", " a , b,c ", &d), 0);
    assert_int_equal(ruleset_set_param(rs, "empty", "[]", &d), 0);
    assert_int_equal(d.errors, 0);
    /* Values that do not fit the declared type, and unknown names. */
    assert_int_equal(ruleset_set_param(rs, "stale_after", "14", &d), -1);
    assert_int_equal(ruleset_set_param(rs, "max_vulns", "1.5", &d), -1);
    assert_int_equal(ruleset_set_param(rs, "max_vulns", "", &d), -1);
    assert_int_equal(ruleset_set_param(rs, "strict", "1", &d), -1);
    assert_int_equal(ruleset_set_param(rs, "max_vuln", "1", &d), -1);
    assert_int_equal(d.errors, 5);
    assert_string_equal(d.v[4].msg, "--set: unknown param 'max_vuln' (did you mean 'max_vulns'?)");
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_string_equal(find_param(rs, "stale_after")->value, "36h");
    assert_string_equal(find_param(rs, "label")->value, "14d");
    assert_string_equal(find_param(rs, "label")->type, "string");
    assert_string_equal(find_param(rs, "max_vulns")->value, "-3");
    assert_string_equal(find_param(rs, "ratio")->value, "2.0");
    assert_string_equal(find_param(rs, "strict")->value, "false");
    assert_string_equal(find_param(rs, "trusted_namespaces")->value, "[a, b, c]");
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_rule_info(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "p.yaml", params_yaml, strlen(params_yaml), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_count(rs), 1);     /* B.off is disabled */
    const struct rule_info *r = ruleset_rule(rs, 0);
    assert_string_equal(r->id, "A");
    assert_string_equal(r->title, "uses a duration param");
    assert_int_equal(r->severity, SEV_MEDIUM);
    assert_string_equal(r->description, "d");
    assert_string_equal(r->remediation, "");
    assert_string_equal(r->message, "");
    assert_string_equal(r->when, "age(latest_scan_time) > params.stale_after");
    assert_int_equal(r->n_tags, 2);
    assert_string_equal(r->tags[0], "soc2-cc7.1");
    assert_null(r->tags[2]);
    assert_string_equal(r->file, "p.yaml");
    assert_int_equal(r->line, 11);
    assert_null(ruleset_rule(rs, 1));
    ruleset_free(rs);
    diags_dispose(&d);
}

static void test_json_rules(void **state)
{
    (void)state;
    static const char json[] =
        "{\"version\": 1, \"params\": {\"stale\": \"7d\", \"n\": 3, \"names\": [\"a\"]},\n"
        " \"rules\": [{\"id\": \"J\", \"title\": \"t\", \"severity\": \"low\",\n"
        "   \"when\": \"age(latest_scan_time) > params.stale and vul_num > params.n and "
        "namespace in params.names\", \"enabled\": true, \"tags\": []}]}";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "j.json", json, strlen(json), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(ruleset_count(rs), 1);
    assert_string_equal(find_param(rs, "stale")->type, "duration");
    assert_int_equal(ruleset_rule(rs, 0)->line, 2);
    ruleset_free(rs);
    diags_dispose(&d);
}

/* The shipped policy: loads without a diagnostic, and each rule fires
 * on the record made for it and on no clean record. */
static void test_default_rules(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_file(rs, "rules/default.yaml", &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    assert_int_equal(d.n, 0);
    const int64_t now = 1768003200000;
    static const char clean[] =
        "{\"namespace\": \"prod\", \"image_name\": \"web-api\", \"image_version\": \"1.4.2\","
        " \"scan_status\": \"success\", \"latest_scan_time\": 1767916800000,"
        " \"latest_update_time\": 1767000000000, \"severity_level\": \"Low\","
        " \"vul_num\": 3, \"unsafe_setting_num\": 0, \"malicious_file_num\": 0,"
        " \"scannable\": true, \"image_type\": \"shared_image\", \"shared_status\": \"effective\","
        " \"association_images\": [{\"vul_num\": 0}]}";
    static const struct { const char *id; const char *patch_key; const char *patch; } cases[] = {
        {"IMG-MALWARE", "malicious_file_num", "2"},
        {"IMG-HIGH-RISK", "severity_level", "\"High\""},
        {"IMG-VULNS", "vul_num", "50"},
        {"IMG-UNSAFE-SETTINGS", "unsafe_setting_num", "1"},
        {"IMG-ASSOC-VULNS", "association_images", "[{\"vul_num\": 0}, {\"vul_num\": 4}]"},
        {"IMG-SCAN-FAILED", "scan_status", "\"failed\""},
        {"IMG-NOT-SCANNED", "scan_status", "\"unscan\""},
        {"IMG-STALE-SCAN", "latest_scan_time", "1767000000000"},
        {"IMG-NOT-SCANNABLE", "scannable", "false"},
        {"IMG-SHARED-EXPIRED", "shared_status", "\"expired\""},
        {"IMG-LATEST-TAG", "image_version", "\"latest\""},
        {"IMG-NAMING", "image_name", "\"Web_API\""},
    };
    assert_int_equal(ruleset_count(rs), sizeof cases / sizeof cases[0]);
    struct eval_scratch *s = eval_scratch_new(rs);
    for (size_t c = 0; c <= sizeof cases / sizeof cases[0]; c++) {
        json_t *obj = json_loads(clean, 0, NULL);
        assert_non_null(obj);
        const char *want = NULL;
        if (c < sizeof cases / sizeof cases[0]) {
            want = cases[c].id;
            json_object_set_new(obj, cases[c].patch_key, json_loads(cases[c].patch, JSON_DECODE_ANY, NULL));
        }
        struct record rec;
        record_decode(&rec, obj, 0, NULL);
        for (size_t i = 0; i < ruleset_count(rs); i++) {
            enum tri t = ruleset_eval(rs, i, &rec, now, s);
            int should = want && strcmp(want, ruleset_rule(rs, i)->id) == 0;
            if ((t == TRI_TRUE) != should)
                fprintf(stderr, "case %s: rule %s gave %d\n", want ? want : "clean",
                        ruleset_rule(rs, i)->id, (int)t);
            assert_int_equal(t == TRI_TRUE, should);
        }
        record_dispose(&rec);
    }
    eval_scratch_free(s);
    ruleset_free(rs);
    diags_dispose(&d);
}

/* A rule that fails its type check is not among the rules to evaluate,
 * even if a caller ignored ruleset_compile's result. */
static void test_failed_rule_not_enabled(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "rules:\n"
        "  - {id: OK, title: fine, severity: low, when: \"vul_num > 1\"}\n"
        "  - {id: BAD, title: typed wrong, severity: low, when: \"vul_num > 'x'\"}\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "t.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_int_equal(ruleset_count(rs), 1);
    assert_string_equal(ruleset_rule(rs, 0)->id, "OK");
    ruleset_free(rs);
    diags_dispose(&d);
}

/* Each loaded file is listed with the SHA-256 of the bytes parsed. */
static void test_rule_files(void **state)
{
    (void)state;
    static const char text[] = "version: 1\nrules: []\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_file(rs, "rules/default.yaml", &d), 0);
    assert_int_equal(ruleset_add_text(rs, "mem.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_file_count(rs), 2);
    assert_string_equal(ruleset_file(rs, 0).path, "rules/default.yaml");
    assert_int_equal(strlen(ruleset_file(rs, 0).sha256), 64);
    char want[SHA256_HEX_LEN];
    sha256_hex(text, strlen(text), want);
    assert_string_equal(ruleset_file(rs, 1).path, "mem.yaml");
    assert_string_equal(ruleset_file(rs, 1).sha256, want);
    ruleset_free(rs);
    diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_types),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_rule_info),
        cmocka_unit_test(test_json_rules),
        cmocka_unit_test(test_default_rules),
        cmocka_unit_test(test_failed_rule_not_enabled),
        cmocka_unit_test(test_rule_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
