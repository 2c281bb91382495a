/* SPDX-License-Identifier: MIT
 * Numbering the distinct values of a long sequence in the order of
 * their first occurrence, in memory that does not grow with it: the
 * HTML data block's string tables (render/htmldata.c), whose entries
 * must be written before the indexes that point at them.
 *
 * Use: distinct_new(n), distinct_add() for each of the n values (the
 * i-th call is value i), distinct_finish(); then distinct_count() and
 * distinct_first() (to write the table: value i is an entry when it is
 * the first of its kind), and distinct_next() once per value, in the
 * same order, for each value's entry number.
 *
 * Up to DISTINCT_MEM_MAX values the table is in memory. Beyond, the
 * values go to nameless temporary files in $TMPDIR, partitioned by hash
 * (at most 65,536 values a partition, up to 256 partitions), and each
 * partition is numbered alone: memory is one partition's distinct
 * values, one bit per value and a read buffer per partition. Values are
 * compared byte for byte, never by hash alone. */
#ifndef IMGAUDIT_DISTINCT_H
#define IMGAUDIT_DISTINCT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DISTINCT_MEM_MAX 65536

struct distinct;

/* For at most 'n' values. Never NULL. */
struct distinct *distinct_new(size_t n);
/* Value 's' ('len' bytes, NUL bytes allowed); NULL is the missing
 * value, one value of its own. */
void distinct_add(struct distinct *d, const char *s, size_t len);
/* All values added. Returns 0, or -1 when a temporary file could not be
 * made, written or read (errno). */
int distinct_finish(struct distinct *d);
size_t distinct_count(const struct distinct *d);
/* Is value i the first occurrence of its value (an entry of the table)? */
bool distinct_first(const struct distinct *d, size_t i);
/* Does distinct_next() need the value (else it may be NULL)? */
bool distinct_wants_value(const struct distinct *d);
/* The entry number of the next value (the first call: value 0), given
 * that value again when distinct_wants_value(). Returns SIZE_MAX on a
 * read error (errno). */
size_t distinct_next(struct distinct *d, const char *s, size_t len);
void distinct_free(struct distinct *d);         /* accepts NULL */

/* A temporary file with no name, in $TMPDIR ("/tmp" when unset), open
 * for writing and reading; it goes when closed. NULL with errno set. */
FILE *distinct_tmpfile(const char *tag);

#endif
