/* SPDX-License-Identifier: MIT
 * Reading a saved image list, record by record, without loading it whole.
 * The format is detected from the first non-space byte(s):
 *   (a) an API response body {"total_num":N,"data_list":[...]}: the
 *       data_list array is walked element by element (total_num is kept
 *       and may come before or after data_list);
 *   (b) JSON Lines, one RegistryImagesInfo object per line (a line with
 *       an object that has a "data_list" key is not this form, see (a));
 *   (c) a JSON array of such objects, walked element by element.
 * "-" reads standard input.
 *
 * (b) also accepts objects separated by any whitespace, e.g. the
 * pretty-printed output of jq '.data_list[]'; a record's line is the
 * line its '{' is on.
 *
 * Empty input (no bytes, or only whitespace) is an error, not zero
 * records: an audit that silently passes because an export failed and
 * left an empty file is worse than a stop (unless input_opts.allow_empty:
 * the snapshot of a complete pull that found nothing). An empty list is written [],
 * {"total_num":0,"data_list":[]} or {"total_num":0}. A saved API error
 * response ({"error_code":...}) is reported as one, not audited.
 *
 * Only invalid JSON fails a record: a record whose JSON is valid but
 * holds a value jansson cannot (an integer beyond 64 bits, 1e400, a
 * \u0000 in a string or member name) is read with placeholders for those
 * values (model/placeholder.h), which record_decode counts as data
 * quality.
 *
 * Errors (exit code 3 in the CLI) name the place: "FILE:LINE: ..." for
 * JSON Lines, "FILE: byte N: ..." otherwise (N counts from 1), e.g.
 *   samples/x.jsonl:3: error: invalid JSON in record 3: invalid token near 'abc'
 *   samples/x.jsonl:2: error: unexpected data after record 2 on line 2 (found 'x'): ...
 *   samples/x.json: error: byte 1042: record 7 is not an object (it is a string)
 * Standard input is called "<stdin>" in messages. After an error in
 * one record input_next() may be called again and carries on, so that a
 * run can list every bad record: after a record that is not an object,
 * with the next record; after invalid JSON in JSON Lines (or data after
 * a record on the line it ends on), with the next line that starts with
 * '{'. After any other error (invalid JSON in an array, where the next
 * element cannot be found reliably, truncated input, trailing data
 * after an array or body, a record over the size limit) it keeps
 * returning -1.
 *
 * Memory: the input is read in chunks and each record is parsed alone,
 * so memory is bounded by the largest record (max_record), not by the
 * input size.
 *
 * Ownership: input_next() hands the caller a new reference to each
 * record object. */
#ifndef IMGAUDIT_INPUT_H
#define IMGAUDIT_INPUT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"
#include "util/hash.h"

enum input_format { INPUT_UNKNOWN, INPUT_API_BODY, INPUT_JSONL, INPUT_ARRAY };

struct input_info {
    enum input_format format;
    const char *path;           /* as given ("-" for stdin) */
    bool has_total;             /* API body form with a total_num */
    int64_t total_num;
    uint64_t bytes;             /* bytes read so far */
    size_t records;             /* records returned so far */
    uint64_t record_line;       /* JSON Lines: the line of the last record returned
                                 * (of its '{'); 0 for the other forms, whose
                                 * messages place things by byte */
    char sha256[SHA256_HEX_LEN];/* of all bytes read, set at end of input ("" with
                                 * input_opts.no_hash) */
};

struct input;

/* Tuning knobs; zero means the default. Tests use a tiny chunk_size to
 * put records across chunk boundaries. */
struct input_opts {
    size_t chunk_size;          /* bytes per read, default 64 KiB */
    size_t max_record;          /* largest record accepted, default 64 MiB */
    bool allow_empty;           /* no bytes at all is zero records, not an error: only
                                 * for a snapshot whose provenance says its complete
                                 * pull had nothing (source/provenance.h) */
    bool no_hash;               /* leave input_info's sha256 empty: the caller shows it
                                 * nowhere (about a tenth of a report's CPU) */
};
#define INPUT_OPTS_INIT {0, 0, false, false}

/* Open 'path' ("-" = stdin). Returns 0, or -1 with an error in 'd'. */
int input_open(struct input **out, const char *path, struct diags *d);
/* The same with options ('o' may be NULL). */
int input_open_opts(struct input **out, const char *path,
                    const struct input_opts *o, struct diags *d);
/* Read from an open stream, which stays the caller's (input_close does
 * not close it). 'name' is used in messages and input_info ("-" reads
 * as "<stdin>"). Cannot fail. */
void input_open_stream(struct input **out, FILE *fp, const char *name,
                       const struct input_opts *o);
/* Next record: 1 and '*out' set (a new reference to a JSON object),
 * 0 at the end of input, -1 on malformed input (error in 'd'). */
int input_next(struct input *in, json_t **out, struct diags *d);
/* For the record input_next() last returned: the '*flaws' of
 * placeholder_loadb() (model/placeholder.h), which read it; pass them
 * to record_decode_loaded(). 0 for a record without placeholders. */
unsigned input_record_flaws(const struct input *in);

/* Raw mode, for a caller that decodes records itself (model/fastdecode.h,
 * app/evaluate.c): the same as input_next(), but a record whose text may
 * be an object (it starts with '{' and is complete) is not parsed:
 * input_next_raw() returns 2 with its text in '*raw', valid until the
 * next call. Every other record (the first of JSON Lines, which may be a
 * saved error response; anything not starting with '{') is parsed as by
 * input_next() and returned as 1 with '*out' set. A raw record counts
 * in input_info's records as it is handed out. */
struct input_raw {
    const char *text;           /* the record's bytes */
    size_t len;
    uint64_t at;                /* input offset of its first byte (0-based) */
    uint64_t line;              /* the line it starts on */
    size_t seen;                /* its record number, from 1 */
};
int input_next_raw(struct input *in, json_t **out, struct input_raw *raw, struct diags *d);
/* Raw record 'r' (its text may be a copy) is not valid JSON (not even
 * for placeholder_loadb): report it in 'd' exactly as input_next() would
 * have, and stop: every later call returns -1. A raw record has no
 * flaws (input_record_flaws() is 0): whoever decodes it reads them. */
void input_raw_error(struct input *in, const struct input_raw *r, struct diags *d);

const struct input_info *input_info(const struct input *in);
void input_close(struct input *in);             /* accepts NULL */
const char *input_format_name(enum input_format f);

#endif
