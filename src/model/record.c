/* SPDX-License-Identifier: MIT
 * Tolerant decoding of an image record; see record.h. */
#include "model/record.h"

#include <string.h>

static void note(struct quality_count *c, size_t index)
{
    if (c->count++ == 0)
        c->first = index;
}

/* A string of decimal digits (optionally signed) that fits in int64. */
static int parse_int_string(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n || n - i > 19)
        return -1;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX + neg)
        return -1;
    /* -INT64_MIN does not fit an int64: build it as -(v - 1) - 1. */
    *out = neg ? -(int64_t)(v - 1) - 1 : (int64_t)v;
    return 0;
}

/* Decode 'j' as a value of type 't'; returns the cell state. */
static unsigned char decode_cell(struct cell *c, const json_t *j, enum ftype t)
{
    if (!j || json_is_null(j))
        return CELL_MISSING;
    switch (t) {
    case FT_INT:
    case FT_TIME:
        if (json_is_integer(j)) {
            c->v.i = json_integer_value(j);
            return CELL_OK;
        }
        if (json_is_string(j) &&
            parse_int_string(json_string_value(j), json_string_length(j), &c->v.i) == 0)
            return CELL_OK;
        /* 12.0 is a whole number: accept it; 12.5 is not an integer. */
        if (json_is_real(j)) {
            double d = json_real_value(j);
            if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(int64_t)d) {
                c->v.i = (int64_t)d;
                return CELL_OK;
            }
        }
        return CELL_BAD;
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

void assoc_decode(struct cell out[ASSOC_COUNT], const json_t *elem)
{
    memset(out, 0, sizeof(struct cell) * ASSOC_COUNT);
    if (!json_is_object(elem))
        return;
    for (int i = 0; i < ASSOC_COUNT; i++)
        out[i].state = decode_cell(&out[i], json_object_get(elem, assoc_defs[i].name),
                                   assoc_defs[i].type);
}

void record_decode(struct record *out, json_t *obj, size_t index, struct quality *q)
{
    memset(out, 0, sizeof *out);
    out->json = obj;
    out->index = index;
    if (q)
        q->records++;
    for (int i = 0; i < FIELD_COUNT; i++) {
        const struct field_def *def = &field_defs[i];
        struct cell *c = &out->f[i];
        c->state = decode_cell(c, json_object_get(obj, def->name), def->type);
        if (!q)
            continue;
        if (c->state == CELL_BAD)
            note(&q->bad[i], index);
        else if (c->state == CELL_OK && def->values &&
                 !field_value_known(def, c->v.s.p, c->v.s.n))
            note(&q->unknown_value[i], index);
    }
    /* Associated images: count wrong-typed fields once, here. */
    const struct cell *al = &out->f[F_ASSOCIATION_IMAGES];
    if (q && al->state == CELL_OK) {
        size_t k;
        const json_t *elem;
        json_array_foreach(al->v.list, k, elem) {
            struct cell ac[ASSOC_COUNT];
            assoc_decode(ac, elem);
            for (int i = 0; i < ASSOC_COUNT; i++)
                if (ac[i].state == CELL_BAD)
                    note(&q->assoc_bad[i], index);
        }
    }
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
    if (!d->count)
        d->first = s->first;
    d->count += s->count;
}

void quality_merge(struct quality *dst, const struct quality *src)
{
    for (int i = 0; i < FIELD_COUNT; i++) {
        merge_count(&dst->bad[i], &src->bad[i]);
        merge_count(&dst->unknown_value[i], &src->unknown_value[i]);
    }
    for (int i = 0; i < ASSOC_COUNT; i++)
        merge_count(&dst->assoc_bad[i], &src->assoc_bad[i]);
    dst->records += src->records;
}
