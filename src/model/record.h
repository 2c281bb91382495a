/* SPDX-License-Identifier: MIT
 * One image record, decoded from its JSON object once so that rules read
 * typed cells instead of walking JSON. The record owns a reference to the
 * object; string cells point into it, so they live exactly as long as the
 * record. Unknown fields stay in 'json' (field("name") reads them).
 *
 * Tolerance (real data and the API doc disagree): every field is
 * optional; JSON null means missing; an integer given as a string of
 * digits is accepted; a value of the wrong type (e.g. "1,000 (bytes)"
 * for image_size) becomes CELL_BAD: missing for rules, and counted in the
 * data-quality table; unknown enum values are kept as they are and
 * counted too.
 *
 * Thread safety: decoding touches only the record and the quality table
 * passed in, so workers can decode in parallel with one table each and
 * merge them (quality_merge) in input order. */
#ifndef IMGAUDIT_RECORD_H
#define IMGAUDIT_RECORD_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/field.h"

enum cell_state {
    CELL_MISSING = 0,   /* absent or null */
    CELL_OK,
    CELL_BAD,           /* present with a wrong type: missing for rules */
};

struct cell {
    unsigned char state;
    union {
        int64_t i;                              /* FT_INT, FT_TIME */
        bool b;                                 /* FT_BOOL */
        struct { const char *p; size_t n; } s;  /* FT_STR, borrowed from the JSON */
        const json_t *list;                     /* FT_LIST: a JSON array, borrowed */
    } v;
};

struct record {
    json_t *json;               /* owned reference to the object */
    size_t index;               /* 0-based position in the input */
    struct cell f[FIELD_COUNT];
};

/* Data-quality counts: per field, how many records had a value of the
 * wrong type and how many had a value outside the documented enum, and
 * the first record index of each. */
struct quality_count {
    size_t count;
    size_t first;               /* record index of the first occurrence */
};
struct quality {
    struct quality_count bad[FIELD_COUNT];
    struct quality_count unknown_value[FIELD_COUNT];
    struct quality_count assoc_bad[ASSOC_COUNT];    /* in association_images[] */
    size_t records;
};

/* Decode 'obj' (a JSON object; the record takes over the caller's
 * reference) as record number 'index', counting problems in 'q' (may be
 * NULL). Cannot fail. */
void record_decode(struct record *out, json_t *obj, size_t index, struct quality *q);
/* Drop the JSON reference. The record must not be used afterwards. */
void record_dispose(struct record *r);

/* Decode one element of association_images into 'out' (ASSOC_COUNT
 * cells, borrowing from 'elem'). A non-object element gives all-missing
 * cells. */
void assoc_decode(struct cell out[ASSOC_COUNT], const json_t *elem);

void quality_init(struct quality *q);
/* Add 'src' into 'dst'; 'src' must describe records that come after those
 * already in 'dst' (the "first" indices keep the earliest). */
void quality_merge(struct quality *dst, const struct quality *src);

#endif
