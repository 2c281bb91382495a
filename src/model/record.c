/* SPDX-License-Identifier: MIT
 * Tolerant decoding of an image record; see record.h. */
#include "model/record.h"

#include <string.h>

#include "model/placeholder.h"
#include "util/timefmt.h"

/* Count one problem in 'c': record 'index', on line q->line. */
static void note(const struct quality *q, struct quality_count *c, size_t index)
{
    if (c->count++ == 0) {
        c->first = index;
        c->first_line = q->line;
    }
}

/* What is wrong with a CELL_BAD value. */
enum problem { P_TYPE, P_RANGE, P_NUL };

/* A string of decimal digits (optionally signed): 0 and '*out' when it
 * fits in int64, 1 when it is such a string but does not fit, -1 when it
 * is not one. */
static int parse_int_string(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return -1;
    uint64_t v = 0;
    bool big = false;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            big = true;     /* keep checking that the rest are digits */
        else
            v = v * 10 + d;
    }
    if (big || v > (uint64_t)INT64_MAX + neg)
        return 1;
    /* -INT64_MIN does not fit an int64: build it as -(v - 1) - 1. */
    *out = neg ? (v ? -(int64_t)(v - 1) - 1 : 0) : (int64_t)v;
    return 0;
}

/* An integer cell from 'j' (not null, not a placeholder). */
static unsigned char decode_int(struct cell *c, const json_t *j, enum problem *why)
{
    if (json_is_integer(j)) {
        c->v.i = json_integer_value(j);
        return CELL_OK;
    }
    if (json_is_string(j)) {
        int r = parse_int_string(json_string_value(j), json_string_length(j), &c->v.i);
        if (r == 0)
            return CELL_OK;
        if (r > 0)
            *why = P_RANGE;
        return CELL_BAD;
    }
    /* 12.0 is a whole number: accept it; 12.5 is not an integer; 1e300
     * is a whole number beyond int64. */
    if (json_is_real(j)) {
        double d = json_real_value(j);
        if (d >= -9.2e18 && d <= 9.2e18) {
            if (d == (double)(int64_t)d) {
                c->v.i = (int64_t)d;
                return CELL_OK;
            }
        } else {
            *why = P_RANGE;     /* beyond 2^53 every double is whole */
        }
    }
    return CELL_BAD;
}

/* Decode 'j' as a value of type 't'; returns the cell state, and for
 * CELL_BAD what is wrong in '*why'. */
static unsigned char decode_cell(struct cell *c, const json_t *j, enum ftype t,
                                 enum problem *why)
{
    *why = P_TYPE;
    if (!j || json_is_null(j))
        return CELL_MISSING;
    switch (placeholder_kind(j)) {
    case PLACEHOLDER_RANGE:
        *why = P_RANGE;
        return CELL_BAD;
    case PLACEHOLDER_NUL:
        *why = P_NUL;
        return CELL_BAD;
    case PLACEHOLDER_NONE:
        break;
    }
    switch (t) {
    case FT_INT:
        return decode_int(c, j, why);
    case FT_TIME:
        if (decode_int(c, j, why) != CELL_OK)
            return CELL_BAD;
        /* Not a time that can be written (10000-01-01T...): no rule
         * may act on it, and the report schema would refuse it. */
        if (!TIME_IN_RANGE(c->v.i)) {
            *why = P_RANGE;
            return CELL_BAD;
        }
        return CELL_OK;
    case FT_STR:
        if (!json_is_string(j))
            return CELL_BAD;
        c->v.s.p = json_string_value(j);
        c->v.s.n = json_string_length(j);
        return CELL_OK;
    case FT_BOOL:
        if (json_is_boolean(j)) {
            c->v.b = json_is_true(j);
            return CELL_OK;
        }
        if (json_is_string(j)) {
            /* By length too: "true\u0000x" is not "true". */
            const char *s = json_string_value(j);
            size_t n = json_string_length(j);
            if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0)) {
                c->v.b = n == 4;
                return CELL_OK;
            }
        }
        return CELL_BAD;
    case FT_LIST:
        if (!json_is_array(j))
            return CELL_BAD;
        c->v.list = j;
        return CELL_OK;
    }
    return CELL_BAD;
}

static void assoc_decode_why(struct cell out[ASSOC_COUNT], enum problem why[ASSOC_COUNT],
                             const json_t *elem)
{
    memset(out, 0, sizeof(struct cell) * ASSOC_COUNT);
    if (!json_is_object(elem))
        return;
    for (int i = 0; i < ASSOC_COUNT; i++)
        out[i].state = decode_cell(&out[i], json_object_get(elem, assoc_defs[i].name),
                                   assoc_defs[i].type, &why[i]);
}

void assoc_decode(struct cell out[ASSOC_COUNT], const json_t *elem)
{
    enum problem why[ASSOC_COUNT];
    assoc_decode_why(out, why, elem);
}

/* Count one CELL_BAD value in the row its problem belongs to. */
static void note_bad(const struct quality *q, struct quality_count *type,
                     struct quality_count *range, struct quality_count *nul, enum problem why,
                     size_t index)
{
    note(q, why == P_RANGE ? range : why == P_NUL ? nul : type, index);
}

/* Whether 'j' is a placeholder; if so, add it to n[0] (range) or n[1]
 * (NUL). */
static bool count_placeholder(const json_t *j, size_t n[2])
{
    enum placeholder_kind k = placeholder_kind(j);
    if (k == PLACEHOLDER_NONE)
        return false;
    n[k == PLACEHOLDER_NUL]++;
    return true;
}

/* Replace every placeholder in 'j' (at any depth) by null, counting
 * them in 'n' as count_placeholder does. */
static void clear_placeholders(json_t *j, size_t n[2])
{
    if (json_is_object(j)) {
        const char *key;
        json_t *v;
        /* Replacing the value of an existing member keeps the member
         * where it is, so the iteration is not disturbed. */
        json_object_foreach(j, key, v) {
            if (count_placeholder(v, n))
                json_object_set(j, key, json_null());
            else
                clear_placeholders(v, n);
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            if (count_placeholder(v, n))
                json_array_set(j, i, json_null());
            else
                clear_placeholders(v, n);
        }
    }
}

void record_decode_loaded(struct record *out, json_t *obj, size_t index, unsigned flaws,
                          struct quality *q)
{
    memset(out, 0, sizeof *out);
    out->json = obj;
    out->index = index;
    if (q)
        q->records++;
    /* Placeholders in the modelled places; the rest are (other). */
    size_t modelled[2] = {0, 0};
    for (int i = 0; i < FIELD_COUNT; i++) {
        const struct field_def *def = &field_defs[i];
        struct cell *c = &out->f[i];
        const json_t *v = json_object_get(obj, def->name);
        enum problem why;
        c->state = decode_cell(c, v, def->type, &why);
        if (!q)
            continue;
        count_placeholder(v, modelled);
        if (c->state == CELL_BAD)
            note_bad(q, &q->bad[i], &q->out_of_range[i], &q->nul[i], why, index);
        else if (c->state == CELL_OK && def->values &&
                 !field_value_known(def, c->v.s.p, c->v.s.n))
            note(q, &q->unknown_value[i], index);
    }
    /* Associated images: count unusable fields once, here. */
    const struct cell *al = &out->f[F_ASSOCIATION_IMAGES];
    if (q && al->state == CELL_OK) {
        size_t k;
        const json_t *elem;
        json_array_foreach(al->v.list, k, elem) {
            struct cell ac[ASSOC_COUNT];
            enum problem why[ASSOC_COUNT];
            assoc_decode_why(ac, why, elem);
            for (int i = 0; i < ASSOC_COUNT; i++) {
                if (json_is_object(elem))
                    count_placeholder(json_object_get(elem, assoc_defs[i].name), modelled);
                if (ac[i].state == CELL_BAD)
                    note_bad(q, &q->assoc_bad[i], &q->assoc_out_of_range[i],
                             &q->assoc_nul[i], why[i], index);
            }
        }
    }
    if (!(flaws & PLACEHOLDER_VALUES) && !(flaws & PLACEHOLDER_NUL_NAME))
        return;
    /* Cells in CELL_BAD borrow nothing, so their placeholders can go. */
    size_t all[2] = {0, 0};
    clear_placeholders(obj, all);
    if (!q)
        return;
    if (all[0] > modelled[0])
        note(q, &q->other_out_of_range, index);
    if (all[1] > modelled[1] || (flaws & PLACEHOLDER_NUL_NAME))
        note(q, &q->other_nul, index);
}

void record_decode(struct record *out, json_t *obj, size_t index, struct quality *q)
{
    /* Without word from the loader, look for placeholders everywhere. */
    record_decode_loaded(out, obj, index, PLACEHOLDER_VALUES, q);
}

void record_dispose(struct record *r)
{
    json_decref(r->json);
    r->json = NULL;
}

void quality_init(struct quality *q)
{
    memset(q, 0, sizeof *q);
}

static void merge_count(struct quality_count *d, const struct quality_count *s)
{
    if (!s->count)
        return;
    if (!d->count) {
        d->first = s->first;
        d->first_line = s->first_line;
    }
    d->count += s->count;
}

void quality_merge(struct quality *dst, const struct quality *src)
{
    for (int i = 0; i < FIELD_COUNT; i++) {
        merge_count(&dst->bad[i], &src->bad[i]);
        merge_count(&dst->unknown_value[i], &src->unknown_value[i]);
        merge_count(&dst->out_of_range[i], &src->out_of_range[i]);
        merge_count(&dst->nul[i], &src->nul[i]);
    }
    for (int i = 0; i < ASSOC_COUNT; i++) {
        merge_count(&dst->assoc_bad[i], &src->assoc_bad[i]);
        merge_count(&dst->assoc_out_of_range[i], &src->assoc_out_of_range[i]);
        merge_count(&dst->assoc_nul[i], &src->assoc_nul[i]);
    }
    merge_count(&dst->other_out_of_range, &src->other_out_of_range);
    merge_count(&dst->other_nul, &src->other_nul);
    dst->records += src->records;
}
