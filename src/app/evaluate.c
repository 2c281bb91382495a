/* SPDX-License-Identifier: MIT
 * Record-by-record rule evaluation; see evaluate.h. */
#include "app/evaluate.h"

#include "app/waive.h"
#include "util/buf.h"

int evaluate_input(struct report *rep, const struct ruleset *rs, struct input *in,
                   int64_t now_ms, struct diags *d)
{
    struct quality q;
    quality_init(&q);
    struct eval_scratch *scratch = eval_scratch_new(rs);
    struct buf msg = BUF_INIT;
    size_t n_rules = ruleset_count(rs);
    struct waive wv;
    waive_init(&wv, rep, rs, now_ms);
    int rc = 0;
    json_t *obj;
    size_t index = 0;
    for (;;) {
        int got = input_next(in, &obj, d);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        struct record rec;
        q.line = input_info(in)->record_line;
        record_decode_loaded(&rec, obj, index++, input_record_flaws(in), &q);
        uint32_t image = report_add_image(rep, &rec);
        waive_next_image(&wv);
        for (size_t r = 0; r < n_rules; r++) {
            enum tri t = ruleset_eval(rs, r, &rec, now_ms, scratch);
            if (t == TRI_TRUE) {
                /* A rule without a message template says its title: the
                 * finding refers to it rather than copying it (a long
                 * title must not cost its length once per finding). */
                const char *text = NULL;
                if (ruleset_rule(rs, r)->message[0]) {
                    buf_clear(&msg);
                    ruleset_format_message(rs, r, &rec, &msg);
                    text = buf_cstr(&msg);
                }
                size_t f = report_add_finding(rep, (uint32_t)r, image, text);
                waive_finding(&wv, rep, f, r, &rec, scratch);
            } else if (t == TRI_UNKNOWN) {
                report_add_unknown(rep, (uint32_t)r);
            }
        }
        record_dispose(&rec);
    }
    report_set_quality(rep, &q);
    waive_dispose(&wv);
    /* Evaluation has no diagnostics of its own: ask once the records are
     * done, and keep in the report which rules lost a regex to its cost. */
    ruleset_regex_warnings(rs, d);
    for (size_t r = 0; r < n_rules; r++) {
        rep->rules[r].regex_limit_hits = ruleset_rule_regex_limit_hits(rs, r);
        rep->rules[r].regex_disabled = ruleset_rule_regex_disabled(rs, r);
    }
    buf_dispose(&msg);
    eval_scratch_free(scratch);
    return rc;
}
