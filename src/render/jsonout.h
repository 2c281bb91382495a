/* SPDX-License-Identifier: MIT
 * Writing large JSON documents with jansson without holding them whole
 * (the JSON report and the SARIF log): the writer prints the envelope by
 * hand and dumps each small part, or each element of a long array, as
 * soon as it is built, then frees it. Memory stays flat, and key order is
 * fixed by construction (JSON_PRESERVE_ORDER), so the same model gives
 * the same bytes.
 *
 * Both functions take ownership of 'j' (it is freed, also on error) and
 * return 0, or -1 when jansson could not encode it (out of memory) or
 * the stream failed. */
#ifndef IMGAUDIT_JSONOUT_H
#define IMGAUDIT_JSONOUT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* 'j' pretty-printed (two spaces a level), every line after the first
 * indented by 'indent' more spaces so it sits inside the envelope. */
int jsonout_indented(FILE *out, json_t *j, int indent);

/* 'j' compact, on its own line indented by 'indent' spaces, preceded by
 * a comma unless it is the array's 'first' element. */
int jsonout_line(FILE *out, json_t *j, bool first, int indent);
/* The same bytes appended to 'b' (not written): for a writer that must
 * know them (render/json.c counts and checksums them). */
struct buf;
int jsonout_line_buf(struct buf *b, json_t *j, bool first, int indent);

#endif
