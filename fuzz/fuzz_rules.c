/* SPDX-License-Identifier: MIT
 * Fuzz target for rule files, the untrusted text with the most parsing
 * behind it: YAML or JSON documents (libyaml, jansson), the keys and
 * params read from them, the `when` expression language (lexer, Pratt
 * parser, name and type checks, PCRE2 compiles), message templates, and
 * the compiler-style diagnostics for all of these.
 *
 * Input layout (cmark's fuzz/cmark-fuzz.c style: leading bytes are
 * options, so one corpus file fixes the whole run):
 *   byte 0, byte 1   each one `--set NAME=VALUE` (0 = none): the name
 *                    and the value come from the fixed tables below, so
 *                    that overrides meet every param type
 *   the rest         the rule file, as ruleset_add_text reads it
 * When the rules compile, every rule is evaluated and its message
 * formatted on each of the fixed records, as `imgaudit report` would,
 * and every waiver (a `waivers:` section) matched against each rule and
 * record and put through the --max-waiver-days check.
 *
 * Seeds in corpora/rules/ are rule files with two leading zero bytes. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/record.h"
#include "rules/rules.h"
#include "util/buf.h"

/* 2026-11-27T08:00:00Z, the sample run's --now, so that ages of the
 * records' timestamps come out both positive and negative. */
#define FUZZ_NOW_MS INT64_C(1795766400000)

/* Param names the seeds declare, plus one nobody declares. */
static const char *const set_names[] = {
    "max_vulns", "stale_after", "max_scan_wait", "name_pattern",
    "allowed", "ratio", "strict", "no_such_param",
};
#define N_SET_NAMES (sizeof set_names / sizeof set_names[0])

/* Values of every param type, and ones that are wrong for all of them
 * or sit on the edges of number and duration parsing. */
static const char *const set_values[] = {
    "10", "-1", "0", "9223372036854775807", "99999999999999999999",
    "1.5", "1e309", "14d", "0s", "36500d", "9999999999999999d", "1x",
    "true", "no", "[prod, stg]", "[", "[]", "^(a+)+$", "(", "",
    "x\ny", "[a, [b]]",
};
#define N_SET_VALUES (sizeof set_values / sizeof set_values[0])

/* Records with every kind of cell: typed values, wrong types (CELL_BAD),
 * unknown enum values, association_images, and all-missing. */
static const char *const record_texts[] = {
    "{\"id\":1,\"namespace\":\"aaa\",\"image_name\":\"centos7\","
    "\"image_version\":\"latest\",\"image_type\":\"private_image\","
    "\"scan_status\":\"success\",\"severity_level\":\"High\","
    "\"latest_scan_time\":1691748641788,\"latest_update_time\":1687664346000,"
    "\"latest_version\":false,\"scannable\":true,\"vul_num\":111,"
    "\"malicious_file_num\":2,\"unsafe_setting_num\":1,\"image_size\":\"4096\","
    "\"domain_name\":\"<script>x</script>\",\"registry_type\":\"SwrPrivate\","
    "\"association_images\":[{\"id\":7,\"image_name\":\"base\",\"vul_num\":3,"
    "\"scan_status\":\"failed\"},{\"vul_num\":\"many\"},42],\"x_extra\":[1,\"a\"]}",
    "{\"id\":\"222 (shared)\",\"namespace\":\"\",\"image_name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab\","
    "\"image_type\":\"weird\",\"scan_status\":\"queued\",\"image_size\":\"1,000 (bytes)\","
    "\"latest_scan_time\":-1,\"vul_num\":-5,\"scannable\":\"yes\","
    "\"association_images\":\"none\",\"instance_url\":null}",
    "{}",
};
#define N_RECORDS (sizeof record_texts / sizeof record_texts[0])

static struct record records[N_RECORDS];
static int records_ready;

/* Decode the fixed records once; they stay for the process's lifetime
 * (still reachable, so LeakSanitizer does not count them). */
static void records_init(void)
{
    if (records_ready)
        return;
    for (size_t i = 0; i < N_RECORDS; i++) {
        json_error_t err;
        json_t *obj = json_loads(record_texts[i], 0, &err);
        if (!obj) {
            fprintf(stderr, "fuzz_rules: record %zu: %s\n", i, err.text);
            abort();
        }
        record_decode(&records[i], obj, i, NULL);
    }
    records_ready = 1;
}

/* Read every string a report would print, so that ASan sees a dangling
 * or unterminated one here rather than in a writer; the sum only keeps
 * the reads from being optimised away. */
static size_t sink_len;

static void touch_rule(const struct rule_info *ri)
{
    sink_len += strlen(ri->id) + strlen(ri->title) + strlen(ri->description) +
                strlen(ri->remediation) + strlen(ri->when) + strlen(ri->message) +
                strlen(ri->file) + strlen(severity_name(ri->severity));
    for (size_t t = 0; t < ri->n_tags; t++)
        sink_len += strlen(ri->tags[t]);
}

static void touch_waivers(const struct ruleset *rs, struct eval_scratch *s, struct diags *d)
{
    for (size_t w = 0; w < ruleset_waiver_count(rs); w++) {
        const struct waiver_info *wi = ruleset_waiver(rs, w);
        sink_len += strlen(wi->id) + strlen(wi->rule) + strlen(wi->when) + strlen(wi->reason) +
                    strlen(wi->owner) + strlen(wi->expires) + strlen(wi->file) +
                    (wi->ticket ? strlen(wi->ticket) : 0);
        for (size_t i = 0; i < ruleset_count(rs); i++)
            sink_len += ruleset_waiver_covers(rs, w, i);
        for (size_t r = 0; r < N_RECORDS; r++)
            (void)ruleset_waiver_eval(rs, w, &records[r], FUZZ_NOW_MS, s);
    }
    (void)ruleset_check_waiver_horizon(rs, FUZZ_NOW_MS, 90, d);
}

/* Apply option byte 'b' as one --set. */
static void set_param(struct ruleset *rs, uint8_t b, struct diags *d)
{
    if (b == 0)
        return;
    const char *name = set_names[b % N_SET_NAMES];
    const char *value = set_values[(b / N_SET_NAMES) % N_SET_VALUES];
    (void)ruleset_set_param(rs, name, value, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    records_init();

    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    (void)ruleset_add_text(rs, "fuzz.yaml", (const char *)data + 2, size - 2, &d);
    set_param(rs, data[0], &d);
    set_param(rs, data[1], &d);
    if (ruleset_compile(rs, &d) == 0) {
        struct eval_scratch *s = eval_scratch_new(rs);
        struct buf msg = BUF_INIT;
        for (size_t i = 0; i < ruleset_count(rs); i++) {
            touch_rule(ruleset_rule(rs, i));
            for (size_t r = 0; r < N_RECORDS; r++) {
                (void)ruleset_eval(rs, i, &records[r], FUZZ_NOW_MS, s);
                buf_clear(&msg);
                ruleset_format_message(rs, i, &records[r], &msg);
            }
        }
        touch_waivers(rs, s, &d);
        for (size_t i = 0; i < ruleset_param_count(rs); i++) {
            const struct param_info *p = ruleset_param(rs, i);
            sink_len += strlen(p->name) + strlen(p->value) + strlen(p->type);
        }
        buf_dispose(&msg);
        eval_scratch_free(s);
    }

    fuzz_print_diags(&d);
    diags_dispose(&d);
    ruleset_free(rs);
    return 0;
}
