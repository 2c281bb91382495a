/* SPDX-License-Identifier: MIT
 * One image record, decoded once so that rules read typed cells instead
 * of walking JSON. Two decoders fill it, with the same typing rules
 * (cell_from_jval below), so the same text gives the same cells:
 *   - record_decode(): from a jansson object, which the record then
 *     owns; string cells point into it;
 *   - fastdec_record() (model/fastdecode.h): straight from the record's
 *     JSON text, without a tree; string cells point into the text or
 *     into an arena the caller owns.
 * Unknown fields are not decoded: field("name") reads them from the
 * JSON object, which record_json() builds from the text on first use.
 *
 * Tolerance (real data and the API doc disagree): every field is
 * optional; JSON null means missing; an integer given as a string of
 * digits is accepted; a value of the wrong type (e.g. "1,000 (bytes)"
 * for image_size) becomes CELL_BAD: missing for rules, and counted in the
 * data-quality table; unknown enum values are kept as they are and
 * counted too. A member given twice counts as its last value (as jansson
 * reads it).
 *
 * One value must not sink an audit: a value imgaudit cannot represent is
 * CELL_BAD too, counted by what is wrong with it:
 *   "out of range"   a number beyond int64 or the double range (a
 *                    placeholder, see placeholder.h), a whole number or
 *                    digit string beyond int64 in an integer field, a
 *                    time outside the years 0000 to 9999 (TIME_IN_RANGE);
 *   "NUL character"  a string holding \u0000 (a placeholder).
 * Placeholders outside the modelled fields (members imgaudit does not
 * model, and anything nested deeper than association_images[].FIELD) are
 * replaced by null, so that field("x") sees them as missing, and counted
 * under the field "(other)", once per record; so is a member name that
 * held \u0000 (record_decode_loaded). Placeholders come only from
 * jansson's side: the fast decoder leaves such records to it.
 *
 * Thread safety: decoding touches only the record and the quality table
 * passed in, so workers can decode in parallel with one table each and
 * merge them (quality_merge) in input order. A record is used by one
 * thread at a time (record_json() fills it in). */
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
    CELL_BAD,           /* present but unusable (wrong type, out of range,
                         * NUL character): missing for rules */
};

/* What is wrong with a CELL_BAD value. */
enum cell_problem { P_TYPE = 0, P_RANGE, P_NUL };

struct assoc_elem;

struct cell {
    unsigned char state;
    unsigned char why;                          /* CELL_BAD: enum cell_problem */
    union {
        int64_t i;                              /* FT_INT, FT_TIME */
        bool b;                                 /* FT_BOOL */
        struct { const char *p; size_t n; } s;  /* FT_STR, borrowed */
        struct {                                /* FT_LIST: the decoded elements */
            const struct assoc_elem *v;
            size_t n;
        } list;
    } v;
};

/* One element of association_images, decoded. */
struct assoc_elem {
    bool object;                /* false: not an object (every cell missing) */
    struct cell c[ASSOC_COUNT];
};

struct record {
    json_t *json;               /* the object (owned); from the text: NULL until record_json() */
    const char *text;           /* the JSON text it was decoded from (borrowed), or NULL */
    size_t text_len;
    size_t index;               /* 0-based position in the input */
    struct cell f[FIELD_COUNT];
    struct assoc_elem *assoc_owned; /* record_decode(): the list's elements */
};

/* Data-quality counts: per field and problem, how many values had it,
 * and where the first was. The problems' names in reports are
 * QUALITY_* below. */
struct quality_count {
    size_t count;
    size_t first;               /* record index (0-based) of the first occurrence */
    uint64_t first_line;        /* its line in JSON Lines input; 0 when not known */
};
struct quality {
    struct quality_count bad[FIELD_COUNT];              /* QUALITY_WRONG_TYPE */
    struct quality_count unknown_value[FIELD_COUNT];    /* QUALITY_UNKNOWN_VALUE */
    struct quality_count out_of_range[FIELD_COUNT];     /* QUALITY_OUT_OF_RANGE */
    struct quality_count nul[FIELD_COUNT];              /* QUALITY_NUL */
    /* In association_images[]: one per element that has the problem. */
    struct quality_count assoc_bad[ASSOC_COUNT];
    struct quality_count assoc_out_of_range[ASSOC_COUNT];
    struct quality_count assoc_nul[ASSOC_COUNT];
    /* Field QUALITY_OTHER: one per record that has the problem. */
    struct quality_count other_out_of_range;
    struct quality_count other_nul;
    size_t records;
    uint64_t line;              /* the caller's: the line of the record that
                                 * record_decode gets next (JSON Lines), else 0 */
};

#define QUALITY_WRONG_TYPE "wrong type"
#define QUALITY_UNKNOWN_VALUE "unknown value"
#define QUALITY_OUT_OF_RANGE "out of range"
#define QUALITY_NUL "NUL character"
#define QUALITY_OTHER "(other)"     /* the field name for unmodelled members */

/* Decode 'obj' (a JSON object; the record takes over the caller's
 * reference) as record number 'index', counting problems in 'q' (may be
 * NULL). Every placeholder in 'obj' is replaced by null. Cannot fail. */
void record_decode(struct record *out, json_t *obj, size_t index, struct quality *q);
/* The same for an object from placeholder_loadb(), with the '*flaws' it
 * reported: PLACEHOLDER_NUL_NAME counts the record under (other)
 * "NUL character". */
void record_decode_loaded(struct record *out, json_t *obj, size_t index, unsigned flaws,
                          struct quality *q);
/* Drop what the record owns. The record must not be used afterwards. */
void record_dispose(struct record *r);
/* The record's JSON object: the decoded one, or (decoded from text) the
 * text parsed by jansson on first use, kept until record_dispose. NULL
 * only if that parse fails, which it cannot for text the fast decoder
 * took. */
const json_t *record_json(const struct record *r);

/* ---- for decoders ---- */

/* A JSON value as a decoder hands it to the typing rules. Strings are
 * borrowed ('s', 'n' bytes). JK_RANGE and JK_NUL are jansson's
 * placeholders (placeholder.h). */
enum jkind { JK_NULL, JK_BOOL, JK_INT, JK_REAL, JK_STR, JK_ARRAY, JK_OBJECT, JK_RANGE, JK_NUL };
struct jval {
    enum jkind k;
    bool b;
    int64_t i;
    double d;
    const char *s;
    size_t n;
};

/* The cell of a field of type 't' holding 'v'; returns its state (and
 * sets c->why for CELL_BAD). For FT_LIST an array is CELL_OK and the
 * caller sets 'list'. */
unsigned char cell_from_jval(struct cell *c, const struct jval *v, enum ftype t);
/* Count the problems of decoded record 'r' in 'q' (unusable values,
 * unknown enum values, unusable values in associated images) and count
 * the record. Not the (other) rows: only jansson's side has those. */
void record_note_quality(const struct record *r, struct quality *q);

void quality_init(struct quality *q);
/* Add 'src' into 'dst'; 'src' must describe records that come after those
 * already in 'dst' (the "first" indices keep the earliest). */
void quality_merge(struct quality *dst, const struct quality *src);

#endif
