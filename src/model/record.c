/* SPDX-License-Identifier: MIT
 * Tolerant decoding of an image record; see record.h. The typing rules
 * (cell_from_jval) and the quality counts (record_note_quality) are
 * shared by both decoders; this file also holds the jansson one. */
#include "model/record.h"

#include <stdlib.h>
#include <string.h>

#include "model/placeholder.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* Count one problem in 'c': record 'index', on line q->line. */
static void note(const struct quality *q, struct quality_count *c, size_t index)
{
    if (c->count++ == 0) {
        c->first = index;
        c->first_line = q->line;
    }
}

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

/* An integer cell from 'v' (not null, not a placeholder). */
static unsigned char int_cell(struct cell *c, const struct jval *v)
{
    if (v->k == JK_INT) {
        c->v.i = v->i;
        return CELL_OK;
    }
    if (v->k == JK_STR) {
        int r = parse_int_string(v->s, v->n, &c->v.i);
        if (r == 0)
            return CELL_OK;
        if (r > 0)
            c->why = P_RANGE;
        return CELL_BAD;
    }
    /* 12.0 is a whole number: accept it; 12.5 is not an integer; 1e300
     * is a whole number beyond int64. */
    if (v->k == JK_REAL) {
        double d = v->d;
        if (d >= -9.2e18 && d <= 9.2e18) {
            if (d == (double)(int64_t)d) {
                c->v.i = (int64_t)d;
                return CELL_OK;
            }
        } else {
            c->why = P_RANGE;   /* beyond 2^53 every double is whole */
        }
    }
    return CELL_BAD;
}

unsigned char cell_from_jval(struct cell *c, const struct jval *v, enum ftype t)
{
    c->why = P_TYPE;
    switch (v->k) {
    case JK_NULL: return CELL_MISSING;
    case JK_RANGE:
        c->why = P_RANGE;
        return CELL_BAD;
    case JK_NUL:
        c->why = P_NUL;
        return CELL_BAD;
    default: break;
    }
    switch (t) {
    case FT_INT: return int_cell(c, v);
    case FT_TIME:
        if (int_cell(c, v) != CELL_OK)
            return CELL_BAD;
        /* Not a time that can be written (10000-01-01T...): no rule
         * may act on it, and the report schema would refuse it. */
        if (!TIME_IN_RANGE(c->v.i)) {
            c->why = P_RANGE;
            return CELL_BAD;
        }
        return CELL_OK;
    case FT_STR:
        if (v->k != JK_STR)
            return CELL_BAD;
        c->v.s.p = v->s;
        c->v.s.n = v->n;
        return CELL_OK;
    case FT_BOOL:
        if (v->k == JK_BOOL) {
            c->v.b = v->b;
            return CELL_OK;
        }
        if (v->k == JK_STR) {
            /* By length too: "true\u0000x" is not "true". */
            if ((v->n == 4 && memcmp(v->s, "true", 4) == 0) ||
                (v->n == 5 && memcmp(v->s, "false", 5) == 0)) {
                c->v.b = v->n == 4;
                return CELL_OK;
            }
        }
        return CELL_BAD;
    case FT_LIST:
        if (v->k != JK_ARRAY)
            return CELL_BAD;
        c->v.list.v = NULL;
        c->v.list.n = 0;
        return CELL_OK;
    }
    return CELL_BAD;
}

/* Count one CELL_BAD value in the row its problem belongs to. */
static void note_bad(const struct quality *q, struct quality_count *type,
                     struct quality_count *range, struct quality_count *nul,
                     const struct cell *c, size_t index)
{
    note(q, c->why == P_RANGE ? range : c->why == P_NUL ? nul : type, index);
}

void record_note_quality(const struct record *r, struct quality *q)
{
    q->records++;
    for (int i = 0; i < FIELD_COUNT; i++) {
        const struct field_def *def = &field_defs[i];
        const struct cell *c = &r->f[i];
        if (c->state == CELL_BAD)
            note_bad(q, &q->bad[i], &q->out_of_range[i], &q->nul[i], c, r->index);
        else if (c->state == CELL_OK && def->values &&
                 !field_value_known(def, c->v.s.p, c->v.s.n))
            note(q, &q->unknown_value[i], r->index);
    }
    /* Associated images: count unusable fields once, here. */
    const struct cell *al = &r->f[F_ASSOCIATION_IMAGES];
    if (al->state != CELL_OK)
        return;
    for (size_t k = 0; k < al->v.list.n; k++)
        for (int i = 0; i < ASSOC_COUNT; i++) {
            const struct cell *c = &al->v.list.v[k].c[i];
            if (c->state == CELL_BAD)
                note_bad(q, &q->assoc_bad[i], &q->assoc_out_of_range[i], &q->assoc_nul[i], c,
                         r->index);
        }
}

/* ---- the jansson decoder ---- */

static struct jval jval_of(const json_t *j)
{
    struct jval v = {JK_NULL, false, 0, 0, NULL, 0};
    if (!j)
        return v;
    switch (placeholder_kind(j)) {
    case PLACEHOLDER_RANGE:
        v.k = JK_RANGE;
        return v;
    case PLACEHOLDER_NUL:
        v.k = JK_NUL;
        return v;
    case PLACEHOLDER_NONE: break;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT: v.k = JK_OBJECT; break;
    case JSON_ARRAY: v.k = JK_ARRAY; break;
    case JSON_STRING:
        v.k = JK_STR;
        v.s = json_string_value(j);
        v.n = json_string_length(j);
        break;
    case JSON_INTEGER:
        v.k = JK_INT;
        v.i = json_integer_value(j);
        break;
    case JSON_REAL:
        v.k = JK_REAL;
        v.d = json_real_value(j);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        v.k = JK_BOOL;
        v.b = json_is_true(j);
        break;
    case JSON_NULL: break;
    }
    return v;
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

/* The cells of the members of 'obj' named in 'defs', counting their
 * placeholders in 'modelled'. */
static void decode_fields(struct cell *out, const json_t *obj, const struct field_def *defs,
                          int n, size_t modelled[2])
{
    for (int i = 0; i < n; i++) {
        const json_t *j = json_object_get(obj, defs[i].name);
        struct jval v = jval_of(j);
        out[i].state = cell_from_jval(&out[i], &v, defs[i].type);
        count_placeholder(j, modelled);
    }
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
    /* Placeholders in the modelled places; the rest are (other). */
    size_t modelled[2] = {0, 0};
    decode_fields(out->f, obj, field_defs, FIELD_COUNT, modelled);
    struct cell *al = &out->f[F_ASSOCIATION_IMAGES];
    if (al->state == CELL_OK) {
        const json_t *list = json_object_get(obj, field_defs[F_ASSOCIATION_IMAGES].name);
        size_t n = json_array_size(list);
        out->assoc_owned = n ? xcalloc(n, sizeof *out->assoc_owned) : NULL;
        for (size_t k = 0; k < n; k++) {
            const json_t *elem = json_array_get(list, k);
            out->assoc_owned[k].object = json_is_object(elem);
            if (out->assoc_owned[k].object)
                decode_fields(out->assoc_owned[k].c, elem, assoc_defs, ASSOC_COUNT, modelled);
        }
        al->v.list.v = out->assoc_owned;
        al->v.list.n = n;
    }
    if (q)
        record_note_quality(out, q);
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

const json_t *record_json(const struct record *r)
{
    if (!r->json && r->text) {
        /* Built on demand (field("name") of a member the decoders do not
         * model): the record belongs to one thread, so filling in its
         * cache is not a data race. The fast decoder takes no text with
         * placeholders, so jansson reads this as it is. */
        struct record *w = (struct record *)r;
        w->json = json_loadb(r->text, r->text_len, 0, NULL);
    }
    return r->json;
}

void record_dispose(struct record *r)
{
    json_decref(r->json);
    r->json = NULL;
    free(r->assoc_owned);
    r->assoc_owned = NULL;
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
