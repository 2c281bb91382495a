/* SPDX-License-Identifier: MIT
 * The fast record decoder: from a record's JSON text straight to the
 * typed cells of struct record (model/record.h), driven by the field
 * table (model/field.h), without building a tree. It reads the text with
 * simdjson's On-Demand API (C++, fastdecode.cpp, the only C++ in the
 * tool) and types each value with the same rules as the jansson decoder
 * (cell_from_jval), so both give the same cells and the same quality
 * counts for the same text; tests/unit/test_fastdecode.c and
 * fuzz/fuzz_decode.c check that.
 *
 * It takes only text that jansson reads into the same values, and
 * declines the rest, which the caller then hands to jansson
 * (record_decode): text that is not a JSON object or not valid JSON
 * (jansson words the error), and valid JSON with a value the fast path
 * leaves to jansson's handling: a \u0000 escape, an integer beyond
 * int64, a number beyond the double range, 1024 levels of nesting.
 * Every value is checked, also in members no rule reads, because
 * jansson refuses a record for any one of them.
 *
 * Ownership: the record borrows the text (string cells without escapes
 * point into it, record_json() parses it on demand), and the arena
 * (strings with escapes, association_images elements). Both must
 * outlive the record; record_dispose() still applies.
 *
 * Thread safety: one struct fastdec per thread. */
#ifndef IMGAUDIT_FASTDECODE_H
#define IMGAUDIT_FASTDECODE_H
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {    /* the C headers below too: they have no guards of their own */
#endif

#include "model/record.h"
#include "util/arena.h"

/* Bytes after the text that must be readable (their content does not
 * matter): simdjson reads ahead in blocks. */
#define FASTDEC_PADDING 64

struct fastdec;

struct fastdec *fastdec_new(void);
void fastdec_free(struct fastdec *fd);          /* accepts NULL */

/* Decode the 'n' bytes at 'p' (followed by FASTDEC_PADDING readable
 * bytes) as record number 'index' into 'out', counting its problems in
 * 'q' (may be NULL). Returns true; false when the text is declined (see
 * above), with 'out' zeroed and 'q' untouched. */
bool fastdec_record(struct fastdec *fd, const char *p, size_t n, size_t index,
                    struct arena *a, struct record *out, struct quality *q);

#ifdef __cplusplus
}
#endif

#endif
