/* SPDX-License-Identifier: MIT
 * Evaluator tests: three-valued logic (full truth tables), every function
 * on missing values, integer overflow and division by zero (unknown),
 * numbers, durations, timestamps, regexes, params, field("x"), and
 * any()/count() over missing, empty and malformed lists. Each case is a
 * `when` expression, a record as JSON and the expected answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/buf.h"

#define T TRI_TRUE
#define F TRI_FALSE
#define U TRI_UNKNOWN

/* 2026-01-10T00:00:00Z */
static const int64_t NOW = 1768003200000;
#define DAY 86400000LL

static const char prelude[] =
    "version: 1\n"
    "params:\n"
    "  max: 10\n"
    "  ratio: 2.5\n"
    "  stale: 7d\n"
    "  label: \"7d\"\n"
    "  names: [prod, stg]\n"
    "  nums: [1, 2, 3]\n"
    "  pat: \"(?i)^nginx\"\n"
    "  flag: true\n"
    "rules:\n"
    "  - id: T\n"
    "    title: test\n"
    "    severity: low\n"
    "    when: |\n"
    "      ";

static struct ruleset *compile(const char *when, struct diags *d)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, prelude);
    buf_puts(&b, when);
    buf_puts(&b, "\n");
    struct ruleset *rs = ruleset_new();
    int rc = ruleset_add_text(rs, "t.yaml", b.data, b.len, d);
    if (rc == 0)
        rc = ruleset_compile(rs, d);
    buf_dispose(&b);
    if (rc != 0) {
        diags_print(d, stderr);
        ruleset_free(rs);
        return NULL;
    }
    return rs;
}

static enum tri eval_json(const char *when, const char *json)
{
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = compile(when, &d);
    if (!rs) {
        fprintf(stderr, "expression did not compile: %s\n", when);
        diags_dispose(&d);
        fail();
    }
    json_error_t err;
    json_t *obj = json_loads(json, 0, &err);
    assert_non_null(obj);
    struct record rec;
    record_decode(&rec, obj, 0, NULL);
    struct eval_scratch *s = eval_scratch_new(rs);
    enum tri t = ruleset_eval(rs, 0, &rec, NOW, s);
    /* Twice on the same scratch: reuse must not change the answer. */
    assert_int_equal(ruleset_eval(rs, 0, &rec, NOW, s), t);
    eval_scratch_free(s);
    record_dispose(&rec);
    ruleset_free(rs);
    diags_dispose(&d);
    return t;
}

struct ecase {
    const char *when;
    const char *json;
    enum tri want;
};

static void run_cases(const struct ecase *c, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        enum tri got = eval_json(c[i].when, c[i].json);
        if (got != c[i].want) {
            fprintf(stderr, "case %zu: %s on %s: got %d, want %d\n", i, c[i].when, c[i].json,
                    (int)got, (int)c[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

/* `U` in an expression: a comparison on a missing field. */
#define UNK "vul_num > 0"

static void test_truth_tables(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"true and true", "{}", T},     {"true and false", "{}", F},
        {"true and " UNK, "{}", U},     {"false and true", "{}", F},
        {"false and false", "{}", F},   {"false and " UNK, "{}", F},
        {UNK " and true", "{}", U},     {UNK " and false", "{}", F},
        {UNK " and " UNK, "{}", U},

        {"true or true", "{}", T},      {"true or false", "{}", T},
        {"true or " UNK, "{}", T},      {"false or true", "{}", T},
        {"false or false", "{}", F},    {"false or " UNK, "{}", U},
        {UNK " or true", "{}", T},      {UNK " or false", "{}", U},
        {UNK " or " UNK, "{}", U},

        {"not true", "{}", F},          {"not false", "{}", T},
        {"not " UNK, "{}", U},          {"not not " UNK, "{}", U},
        /* A present value makes the same comparison known. */
        {UNK, "{\"vul_num\": 3}", T},
        {"not (" UNK ")", "{\"vul_num\": 0}", T},
    };
    RUN(cases);
}

static void test_missing_values(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"age(latest_scan_time) > 1d", "{}", U},
        {"lower(namespace) == \"x\"", "{}", U},
        {"upper(namespace) == \"X\"", "{}", U},
        {"len(namespace) > 0", "{}", U},
        {"starts_with(namespace, \"a\")", "{}", U},
        {"ends_with(namespace, \"a\")", "{}", U},
        {"contains(namespace, \"a\")", "{}", U},
        {"starts_with(\"abc\", image_name)", "{}", U},
        {"namespace =~ \"a\"", "{}", U},
        {"namespace !~ \"a\"", "{}", U},
        {"namespace in [\"a\", \"b\"]", "{}", U},
        {"namespace not in [\"a\", \"b\"]", "{}", U},
        {"namespace == \"a\"", "{}", U},
        {"namespace != \"a\"", "{}", U},
        {"vul_num + 1 > 0", "{}", U},
        {"-vul_num < 0", "{}", U},
        {"latest_version == true", "{}", U},
        {"exists(namespace)", "{}", F},
        {"exists(namespace)", "{\"namespace\": \"\"}", T},
        {"not exists(latest_scan_time)", "{\"latest_scan_time\": null}", T},
        {"any(association_images, vul_num > 0)", "{}", F},
        {"count(association_images, vul_num > 0) == 0", "{}", T},
        {"len(association_images) == 0", "{}", U},
        /* CELL_BAD is missing. */
        {"image_size > 0", "{\"image_size\": \"1,000 (bytes)\"}", U},
        {"exists(image_size)", "{\"image_size\": \"1,000 (bytes)\"}", F},
        {"image_size > 0", "{\"image_size\": \"1000\"}", T},
    };
    RUN(cases);
}

static void test_arithmetic(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"7 / 2 == 3.5", "{}", T},
        {"6 / 3 == 2", "{}", T},
        {"1 + 2 * 3 == 7", "{}", T},
        {"(1 + 2) * 3 == 9", "{}", T},
        {"10 - 2 - 3 == 5", "{}", T},
        {"-3 + 5 == 2", "{}", T},
        {"2 < 2.5", "{}", T},
        {"3 == 3.0", "{}", T},
        {"vul_num / 0 > 0", "{\"vul_num\": 5}", U},
        {"vul_num / 0.0 > 0", "{\"vul_num\": 5}", U},
        {"not (vul_num / 0 > 0)", "{\"vul_num\": 5}", U},
        {"9223372036854775807 + 1 > 0", "{}", U},
        {"vul_num * 9223372036854775807 > 0", "{\"vul_num\": 2}", U},
        {"-9223372036854775807 - 2 < 0", "{}", U},
        {"-(-9223372036854775807 - 1) > 0", "{}", U},
        {"9223372036854775807 - 1 == 9223372036854775806", "{}", T},
        {"vul_num * params.ratio == 10", "{\"vul_num\": 4}", T},
        {"vul_num > params.max", "{\"vul_num\": 11}", T},
        {"vul_num > params.max", "{\"vul_num\": 10}", F},
        {"1e308 * 10 > 0", "{}", U},
        /* Integers and decimals compare exactly, also above 2^53. */
        {"9007199254740993 > 9007199254740992.0", "{}", T},
        {"9007199254740992.0 < 9007199254740993", "{}", T},
        {"9007199254740993 != 9007199254740992.0", "{}", T},
        {"9223372036854775807 < 9223372036854775808.0", "{}", T},
        {"-9223372036854775807 - 1 == -9223372036854775808.0", "{}", T},
        {"-9223372036854775807 - 1 > -1e19", "{}", T},
        {"-2 > -2.5 and -3 < -2.5 and 2 < 2.5 and 3 > 2.5", "{}", T},
        {"vul_num in [1.5, 9007199254740992.0]", "{\"vul_num\": 9007199254740993}", F},
    };
    RUN(cases);
}

static void test_strings(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"namespace == \"Prod\"", "{\"namespace\": \"prod\"}", F},
        {"lower(namespace) == \"prod\"", "{\"namespace\": \"PrOd\"}", T},
        {"upper(namespace) == \"PROD\"", "{\"namespace\": \"prod\"}", T},
        {"lower(namespace) == lower(image_name)",
         "{\"namespace\": \"ABC\", \"image_name\": \"abc\"}", T},
        {"\"abc\" < \"abd\"", "{}", T},
        {"\"ab\" < \"abc\"", "{}", T},
        {"'single' == \"single\"", "{}", T},
        {"\"tab\\there\" == 'tab\\u0009here'", "{}", T},
        {"len(namespace) == 2", "{\"namespace\": \"\\u00e9\\u00e9\"}", T},
        {"len(\"\") == 0", "{}", T},
        {"starts_with(image_name, \"ng\")", "{\"image_name\": \"nginx\"}", T},
        {"ends_with(image_name, \"inx\")", "{\"image_name\": \"nginx\"}", T},
        {"ends_with(image_name, \"nginx-long\")", "{\"image_name\": \"nginx\"}", F},
        {"contains(image_name, \"gin\")", "{\"image_name\": \"nginx\"}", T},
        {"contains(image_name, \"\")", "{\"image_name\": \"nginx\"}", T},
        {"contains(image_name, \"xyz\")", "{\"image_name\": \"nginx\"}", F},
        {"namespace in params.names", "{\"namespace\": \"stg\"}", T},
        {"namespace not in params.names", "{\"namespace\": \"dev\"}", T},
        {"namespace in []", "{\"namespace\": \"dev\"}", F},
        {"vul_num in params.nums", "{\"vul_num\": 2}", T},
        {"vul_num in [1, 2.0]", "{\"vul_num\": 2}", T},
        {"len(params.names) == 2", "{}", T},
        {"len([1, 2, 3]) == 3", "{}", T},
        /* A documented enum value in another case is that value (severity
         * names are case-insensitive everywhere); other strings keep
         * their case, as "Prod" above. */
        {"severity_level == \"high\"", "{\"severity_level\": \"High\"}", T},
        {"severity_level == \"HIGH\"", "{\"severity_level\": \"High\"}", T},
        {"severity_level != \"high\"", "{\"severity_level\": \"Low\"}", T},
        {"severity_level in [\"medium\", \"high\"]", "{\"severity_level\": \"High\"}", T},
        {"\"high\" == severity_level", "{\"severity_level\": \"High\"}", T},
        {"severity_level == \"high\"", "{\"severity_level\": \"Medium\"}", F},
        {"any(association_images, scan_status == \"FAILED\")",
         "{\"association_images\": [{\"scan_status\": \"failed\"}]}", T},
    };
    RUN(cases);
}

static void test_regex(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"image_name =~ \"(?i)^NGINX\"", "{\"image_name\": \"nginx-alpine\"}", T},
        {"image_name =~ \"^NGINX\"", "{\"image_name\": \"nginx-alpine\"}", F},
        {"image_name =~ \"alp\"", "{\"image_name\": \"nginx-alpine\"}", T},  /* unanchored */
        {"image_name !~ \"alp\"", "{\"image_name\": \"nginx-alpine\"}", F},
        {"image_name =~ params.pat", "{\"image_name\": \"NGINX\"}", T},
        {"image_version =~ \"^v\\\\d+$\"", "{\"image_version\": \"v12\"}", T},
        {"image_name =~ \"^.$\"", "{\"image_name\": \"\\u00e9\"}", T},    /* UTF mode */
    };
    RUN(cases);
}

static void test_durations_and_times(void **state)
{
    (void)state;
    char eight_days[128], six_days[128];
    snprintf(eight_days, sizeof eight_days, "{\"latest_scan_time\": %lld}",
             (long long)(NOW - 8 * DAY));
    snprintf(six_days, sizeof six_days, "{\"latest_scan_time\": %lld}",
             (long long)(NOW - 6 * DAY));
    const struct ecase cases[] = {
        {"age(latest_scan_time) > 7d", eight_days, T},
        {"age(latest_scan_time) > 7d", six_days, F},
        {"age(latest_scan_time) > params.stale", eight_days, T},
        {"not exists(latest_scan_time) or age(latest_scan_time) > params.stale", "{}", T},
        {"1d == 24h", "{}", T},
        {"1d + 12h == 36h", "{}", T},
        {"2h - 30m == 90m", "{}", T},
        {"90s < 2m", "{}", T},
        {"1d * 7 == 7d", "{}", T},
        {"-1d < 0s", "{}", T},
        {"latest_scan_time + 8d > latest_update_time",
         "{\"latest_scan_time\": 0, \"latest_update_time\": 691200000}", F},
        {"latest_update_time - latest_scan_time == 1d",
         "{\"latest_scan_time\": 0, \"latest_update_time\": 86400000}", T},
        {"latest_scan_time < latest_update_time",
         "{\"latest_scan_time\": 1, \"latest_update_time\": 2}", T},
    };
    RUN(cases);
}

static void test_field_function(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"field(\"extra\") == \"yes\"", "{\"extra\": \"yes\"}", T},
        {"field(\"extra\") == \"yes\"", "{}", U},
        {"field(\"extra\") == \"yes\"", "{\"extra\": null}", U},
        {"field(\"extra\") == \"yes\"", "{\"extra\": 5}", U},  /* another type */
        {"field(\"extra\") > 4", "{\"extra\": 5}", T},
        {"field(\"extra\") > 4", "{\"extra\": 4.5}", T},
        {"field(\"extra\")", "{\"extra\": true}", T},
        {"field(\"extra\")", "{\"extra\": \"true\"}", U},
        /* booleans have no order, equal or not */
        {"field(\"extra\") <= true", "{\"extra\": true}", U},
        {"field(\"extra\") < true", "{\"extra\": false}", U},
        {"field(\"extra\") == true", "{\"extra\": true}", T},
        {"field(\"extra\") != true", "{\"extra\": false}", T},
        {"exists(field(\"extra\"))", "{\"extra\": 0}", T},
        {"exists(field(\"extra\"))", "{}", F},
        {"len(field(\"extra\")) == 2", "{\"extra\": [1, 2]}", T},
        {"field(\"vul_num\") > 1", "{\"vul_num\": \"5\"}", T},  /* schema field: typed */
    };
    RUN(cases);
}

static void test_any_count(void **state)
{
    (void)state;
    static const struct ecase cases[] = {
        {"any(association_images, vul_num > 0)", "{}", F},
        {"any(association_images, vul_num > 0)", "{\"association_images\": null}", F},
        {"any(association_images, vul_num > 0)", "{\"association_images\": []}", F},
        {"any(association_images, vul_num > 0)", "{\"association_images\": \"x\"}", F},
        {"count(association_images, vul_num > 0) == 0", "{\"association_images\": 7}", T},
        {"any(association_images, vul_num > 0)",
         "{\"association_images\": [{\"vul_num\": 0}, {\"vul_num\": 3}]}", T},
        {"any(association_images, vul_num > 0)",
         "{\"association_images\": [{\"vul_num\": 0}, {\"vul_num\": 0}]}", F},
        /* an element without the field: unknown, unless another is true */
        {"any(association_images, vul_num > 0)",
         "{\"association_images\": [{\"vul_num\": 0}, {}]}", U},
        {"any(association_images, vul_num > 0)",
         "{\"association_images\": [{\"vul_num\": \"bad\"}, {\"vul_num\": 1}]}", T},
        {"any(association_images, vul_num > 0)", "{\"association_images\": [1, \"x\"]}", U},
        {"count(association_images, vul_num > 0) == 2",
         "{\"association_images\": [{\"vul_num\": 1}, {}, {\"vul_num\": 2}]}", T},
        {"len(association_images) == 3",
         "{\"association_images\": [{\"vul_num\": 1}, {}, {\"vul_num\": 2}]}", T},
        {"any(association_images, field(\"arch\") == \"arm64\")",
         "{\"association_images\": [{\"arch\": \"amd64\"}, {\"arch\": \"arm64\"}]}", T},
        /* field() inside any() reads the element, never the record, even
         * when the element is not an object. */
        {"any(association_images, field(\"arch\") == \"arm64\")",
         "{\"arch\": \"arm64\", \"association_images\": [1]}", U},
        {"any(association_images, exists(field(\"arch\")))",
         "{\"arch\": \"arm64\", \"association_images\": [{}]}", F},
        {"any(association_images, starts_with(image_version, \"v1\"))",
         "{\"association_images\": [{\"image_version\": \"v1.2\"}]}", T},
    };
    RUN(cases);
}

static void test_message(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "rules:\n"
        "  - id: M\n"
        "    title: the title\n"
        "    severity: high\n"
        "    when: vul_num > 0\n"
        "    message: \"{namespace}/{image_name}:{image_version} {{x}} scanned "
        "{latest_scan_time} n={vul_num} missing=[{scan_failed_code}]\"\n"
        "  - id: N\n"
        "    title: the title\n"
        "    severity: high\n"
        "    when: vul_num > 0\n";
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "m.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    json_t *obj = json_loads("{\"namespace\": \"ns\", \"image_name\": \"img\", "
                             "\"image_version\": \"1.0\", \"latest_scan_time\": 1768003200000, "
                             "\"vul_num\": 3}",
                             0, NULL);
    struct record rec;
    record_decode(&rec, obj, 0, NULL);
    struct buf b = BUF_INIT;
    ruleset_format_message(rs, 0, &rec, &b);
    assert_string_equal(buf_cstr(&b),
                        "ns/img:1.0 {x} scanned 2026-01-10T00:00:00Z n=3 missing=[]");
    buf_clear(&b);
    ruleset_format_message(rs, 1, &rec, &b);
    assert_string_equal(buf_cstr(&b), "the title");
    buf_dispose(&b);
    record_dispose(&rec);
    ruleset_free(rs);
    diags_dispose(&d);
}

static enum tri eval_rec(const struct ruleset *rs, size_t rule, const char *json,
                         struct eval_scratch *s)
{
    json_t *obj = json_loads(json, 0, NULL);
    assert_non_null(obj);
    struct record rec;
    record_decode(&rec, obj, 0, NULL);
    enum tri t = ruleset_eval(rs, rule, &rec, NOW, s);
    record_dispose(&rec);
    return t;
}

/* A regex that keeps stopping at the PCRE2 match limit is disabled after
 * RULES_REGEX_MAX_LIMIT_HITS hits: unknown from then on, even for a value
 * it would match at once, while the rest of its rule still decides and
 * other regexes run on. */
static void test_costly_regex(void **state)
{
    (void)state;
    static const char text[] =
        "version: 1\n"
        "params:\n"
        "  slow: \"^(b+)+$\"\n"
        "rules:\n"
        "  - id: COSTLY\n"
        "    title: costly\n"
        "    severity: low\n"
        "    when: vul_num > 5 or image_name =~ \"^(a+)+$\"\n"
        "  - id: CHEAP\n"
        "    title: cheap\n"
        "    severity: low\n"
        "    when: image_name =~ \"^a\"\n"
        "  - id: PARAM\n"
        "    title: costly param\n"
        "    severity: low\n"
        "    when: namespace !~ params.slow\n";
    enum { COSTLY, CHEAP, PARAM };
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    assert_int_equal(ruleset_add_text(rs, "c.yaml", text, strlen(text), &d), 0);
    assert_int_equal(ruleset_compile(rs, &d), 0);
    /* 'a' x 3000 then 'b' (and 'b' x 3000 then 'c'): exponential backtracking. */
    char bad[6200];
    size_t n = 0;
    n += (size_t)snprintf(bad + n, sizeof bad - n, "{\"vul_num\": 1, \"image_name\": \"");
    for (int k = 0; k < 3000; k++)
        bad[n++] = 'a';
    n += (size_t)snprintf(bad + n, sizeof bad - n, "b\", \"namespace\": \"");
    for (int k = 0; k < 3000; k++)
        bad[n++] = 'b';
    snprintf(bad + n, sizeof bad - n, "c\"}");
    static const char good[] = "{\"vul_num\": 1, \"image_name\": \"aaa\", \"namespace\": \"bb\"}";
    static const char many[] = "{\"vul_num\": 9, \"image_name\": \"aaa\"}";
    struct eval_scratch *s = eval_scratch_new(rs);

    assert_int_equal(eval_rec(rs, COSTLY, good, s), T);
    assert_int_equal(eval_rec(rs, PARAM, good, s), F);
    for (size_t k = 1; k < RULES_REGEX_MAX_LIMIT_HITS; k++) {
        assert_int_equal(eval_rec(rs, COSTLY, bad, s), U);
        assert_int_equal(eval_rec(rs, PARAM, bad, s), U);
        assert_int_equal(ruleset_rule_regex_limit_hits(rs, COSTLY), k);
        assert_false(ruleset_rule_regex_disabled(rs, COSTLY));
    }
    /* Still run, and still right, one hit short of the limit. */
    assert_int_equal(eval_rec(rs, COSTLY, good, s), T);
    assert_int_equal(eval_rec(rs, COSTLY, bad, s), U);
    assert_int_equal(eval_rec(rs, PARAM, bad, s), U);
    assert_int_equal(ruleset_rule_regex_limit_hits(rs, COSTLY), RULES_REGEX_MAX_LIMIT_HITS);
    assert_true(ruleset_rule_regex_disabled(rs, COSTLY));
    assert_true(ruleset_rule_regex_disabled(rs, PARAM));

    /* Disabled: unknown where it would match, and no longer run. */
    assert_int_equal(eval_rec(rs, COSTLY, good, s), U);
    assert_int_equal(eval_rec(rs, PARAM, good, s), U);
    assert_int_equal(eval_rec(rs, COSTLY, bad, s), U);
    assert_int_equal(ruleset_rule_regex_limit_hits(rs, COSTLY), RULES_REGEX_MAX_LIMIT_HITS);
    assert_int_equal(ruleset_rule_regex_limit_hits(rs, PARAM), RULES_REGEX_MAX_LIMIT_HITS);
    /* The rest of the expression still decides. */
    assert_int_equal(eval_rec(rs, COSTLY, many, s), T);
    /* Other regexes are not affected. */
    assert_int_equal(eval_rec(rs, CHEAP, good, s), T);
    assert_int_equal(ruleset_rule_regex_limit_hits(rs, CHEAP), 0);
    assert_false(ruleset_rule_regex_disabled(rs, CHEAP));
    /* Not an enabled rule: nothing. */
    assert_int_equal(ruleset_rule_regex_limit_hits(rs, 3), 0);
    assert_false(ruleset_rule_regex_disabled(rs, 3));

    /* One warning per disabled regex, at its pattern. */
    struct diags w = DIAGS_INIT;
    assert_int_equal(ruleset_regex_warnings(rs, &w), 2);
    char *got = NULL;
    size_t got_len = 0;
    FILE *mem = open_memstream(&got, &got_len);
    diags_print(&w, mem);
    fclose(mem);
    assert_string_equal(
        got,
        "c.yaml:8:40: warning: regex in rule 'COSTLY' hit the PCRE2 match limit 100 times and "
        "was disabled; its results are unknown from then on (simplify the pattern: nested "
        "repetition such as (a+)+ backtracks exponentially)\n"
        "    when: vul_num > 5 or image_name =~ \"^(a+)+$\"\n"
        "                                       ^~~~~~~~~\n"
        "c.yaml:16:24: warning: regex in rule 'PARAM' hit the PCRE2 match limit 100 times and "
        "was disabled; its results are unknown from then on (simplify the pattern: nested "
        "repetition such as (a+)+ backtracks exponentially)\n"
        "    when: namespace !~ params.slow\n"
        "                       ^~~~~~~~~~~\n");
    free(got);
    diags_dispose(&w);
    eval_scratch_free(s);
    ruleset_free(rs);
    diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truth_tables),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_regex),
        cmocka_unit_test(test_durations_and_times),
        cmocka_unit_test(test_field_function),
        cmocka_unit_test(test_any_count),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_costly_regex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
