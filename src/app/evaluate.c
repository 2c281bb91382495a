/* SPDX-License-Identifier: MIT
 * Record-by-record rule evaluation; see evaluate.h. */
#include "app/evaluate.h"

#include "util/buf.h"

int evaluate_input(struct report *rep, const struct ruleset *rs, struct input *in,
                   int64_t now_ms, struct diags *d)
{
    struct quality q;
    quality_init(&q);
    struct eval_scratch *scratch = eval_scratch_new(rs);
    struct buf msg = BUF_INIT;
    size_t n_rules = ruleset_count(rs);
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
        record_decode_loaded(&rec, obj, index++, input_record_flaws(in), &q);
        uint32_t image = report_add_image(rep, &rec);
        for (size_t r = 0; r < n_rules; r++) {
            enum tri t = ruleset_eval(rs, r, &rec, now_ms, scratch);
            if (t == TRI_TRUE) {
                buf_clear(&msg);
                ruleset_format_message(rs, r, &rec, &msg);
                report_add_finding(rep, (uint32_t)r, image, buf_cstr(&msg));
            } else if (t == TRI_UNKNOWN) {
                report_add_unknown(rep, (uint32_t)r);
            }
        }
        record_dispose(&rec);
    }
    report_set_quality(rep, &q);
    buf_dispose(&msg);
    eval_scratch_free(scratch);
    return rc;
}
