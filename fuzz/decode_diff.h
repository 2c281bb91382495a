/* SPDX-License-Identifier: MIT
 * The differential check of the two record decoders, shared by
 * fuzz/fuzz_decode.c and tests/unit/test_fastdecode.c: decode one text
 * with jansson (placeholder_loadb + record_decode_loaded, what the
 * reader does: the reference) and with the fast decoder (fastdec_record),
 * and compare everything a rule or a report can see. The fast decoder may decline any text (the caller then
 * uses jansson); what it takes must come out the same:
 *   - jansson reads the text as an object too;
 *   - every cell: state, what is wrong with an unusable one, and for
 *     usable cells the value (strings byte for byte, association_images
 *     element by element);
 *   - the data-quality counts;
 *   - the JSON object field("name") reads (record_json) equals jansson's.
 * Static functions in a header: each includer is one program. */
#ifndef IMGAUDIT_DECODE_DIFF_H
#define IMGAUDIT_DECODE_DIFF_H
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/fastdecode.h"
#include "model/placeholder.h"
#include "model/record.h"
#include "util/arena.h"

enum decode_diff { DIFF_SAME_FAST, DIFF_SAME_DECLINED, DIFF_MISMATCH };

static int diff_cells(const struct cell *a, const struct cell *b, const struct field_def *defs,
                      int n, const char *where, char *why, size_t whyn)
{
    for (int i = 0; i < n; i++) {
        const struct cell *x = &a[i], *y = &b[i];
        const char *name = defs[i].name;
        if (x->state != y->state || (x->state == CELL_BAD && x->why != y->why)) {
            snprintf(why, whyn, "%s%s: state %d/%d (jansson) vs %d/%d (fast)", where, name,
                     x->state, x->why, y->state, y->why);
            return -1;
        }
        if (x->state != CELL_OK)
            continue;
        int same = 1;
        switch (defs[i].type) {
        case FT_INT:
        case FT_TIME: same = x->v.i == y->v.i; break;
        case FT_BOOL: same = x->v.b == y->v.b; break;
        case FT_STR:
            same = x->v.s.n == y->v.s.n &&
                   (x->v.s.n == 0 || memcmp(x->v.s.p, y->v.s.p, x->v.s.n) == 0);
            break;
        case FT_LIST:
            if (x->v.list.n != y->v.list.n) {
                same = 0;
                break;
            }
            for (size_t k = 0; k < x->v.list.n; k++) {
                const struct assoc_elem *ex = &x->v.list.v[k], *ey = &y->v.list.v[k];
                char sub[64];
                snprintf(sub, sizeof sub, "%s[%zu].", name, k);
                if (ex->object != ey->object) {
                    snprintf(why, whyn, "%s%s: object %d vs %d", where, sub, ex->object,
                             ey->object);
                    return -1;
                }
                if (diff_cells(ex->c, ey->c, assoc_defs, ASSOC_COUNT, sub, why, whyn) < 0)
                    return -1;
            }
            break;
        }
        if (!same) {
            snprintf(why, whyn, "%s%s: values differ", where, name);
            return -1;
        }
    }
    return 0;
}

/* Decode 'text' ('n' bytes) both ways; on a mismatch, say what in 'why'. */
static enum decode_diff decode_diff(const char *text, size_t n, char *why, size_t whyn)
{
    why[0] = '\0';
    /* The fast decoder reads ahead: give it its padding. */
    char *padded = malloc(n + FASTDEC_PADDING);
    if (!padded)
        abort();
    if (n)
        memcpy(padded, text, n);
    memset(padded + n, ' ', FASTDEC_PADDING);

    struct fastdec *fd = fastdec_new();
    struct arena a = ARENA_INIT;
    struct record fast;
    struct quality qf;
    quality_init(&qf);
    bool took = fastdec_record(fd, padded, n, 3, &a, &fast, &qf);

    enum decode_diff r = took ? DIFF_SAME_FAST : DIFF_SAME_DECLINED;
    unsigned flaws = 0;
    json_error_t e;
    json_t *obj = placeholder_loadb(text, n, 0, &flaws, &e);
    if (took && !json_is_object(obj)) {
        snprintf(why, whyn, "the fast decoder took text jansson %s",
                 obj ? "reads as another type" : "refuses");
        r = DIFF_MISMATCH;
    } else if (took) {
        struct record ref;
        struct quality qj;
        quality_init(&qj);
        record_decode_loaded(&ref, json_incref(obj), 3, flaws, &qj);
        if (diff_cells(ref.f, fast.f, field_defs, FIELD_COUNT, "", why, whyn) < 0) {
            r = DIFF_MISMATCH;
        } else if (memcmp(&qj, &qf, sizeof qj) != 0) {
            snprintf(why, whyn, "data-quality counts differ");
            r = DIFF_MISMATCH;
        } else if (flaws) {
            snprintf(why, whyn, "the fast decoder took text with values jansson cannot hold");
            r = DIFF_MISMATCH;
        } else if (!json_equal(record_json(&fast), obj)) {
            snprintf(why, whyn, "record_json() differs from jansson's object");
            r = DIFF_MISMATCH;
        }
        record_dispose(&ref);
    }
    if (took)
        record_dispose(&fast);
    json_decref(obj);
    arena_dispose(&a);
    fastdec_free(fd);
    free(padded);
    return r;
}

#endif
