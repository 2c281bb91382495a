/* SPDX-License-Identifier: MIT
 * A snapshot's provenance: the small JSON document written beside the
 * records of every pull (`fetch -o NAME.jsonl`, `report --save-snapshot
 * NAME.jsonl`) as NAME.meta.json, committed together with them. It says
 * where and when the records were pulled, whether the pull was complete,
 * and the SHA-256 of the records file, so that a report made from the
 * file later can describe the data exactly as the report of the pull
 * did (docs/evidence.md). The records file itself stays plain JSON
 * Lines for jq and other tools.
 *
 * The document (schema "imgaudit-snapshot-provenance", version 1):
 *   imgaudit_version, endpoint, region, project_id,
 *   enterprise_project_id, filters ["name=value"], pulled_at (RFC 3339
 *   UTC), total_num, records_received, pages, retries,
 *   duplicates_dropped, complete, expected_records, records_format
 *   ("jsonl"), records_sha256.
 * A reader ignores keys it does not know; a missing or mistyped key it
 * needs makes the document invalid.
 *
 * Several sources (one run over several projects or regions, pull.h)
 * make a version 2 document: the same keys, the top-level counts the
 * sums over the sources (total_num null when a source never declared
 * one), endpoint, region, project_id and enterprise_project_id null, and
 * "sources": one object per source, in pull order, with its endpoint,
 * region, project_id, enterprise_project_id, pulled_at, total_num,
 * records_received, pages, retries, duplicates_dropped, complete and
 * expected_records. The records file holds the sources' records one
 * source after another, in that order: source k's are the
 * records_received records after those of sources 0 .. k-1. That is how
 * a report made from the file later knows each record's project and
 * region (app/build.c), without a member added to the HSS records. An
 * imgaudit that reads only version 1 calls a version 2 document invalid
 * (its report is then labelled "provenance unknown"), never a single
 * project. One source is a version 1 document, as before.
 *
 * Ownership: struct provenance owns its strings (provenance_dispose). */
#ifndef IMGAUDIT_PROVENANCE_H
#define IMGAUDIT_PROVENANCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/hash.h"

/* One source of a pull of several (version 2). */
struct provenance_source {
    char *endpoint;
    char *region;                   /* NULL when not set (only --endpoint) */
    char *project_id;
    char *enterprise_project_id;    /* NULL when not set */
    int64_t pulled_at_ms;
    int64_t total_num;              /* -1 if never declared */
    size_t records_received, pages, retries, duplicates_dropped;
    bool complete;
    int64_t expected_records;
};

struct provenance {
    char *imgaudit_version;         /* of the imgaudit that pulled */
    char *endpoint;
    char *region;                   /* NULL when not set (only --endpoint) */
    char *project_id;
    char *enterprise_project_id;    /* NULL when not set */
    char **filters;                 /* "name=value" as sent */
    size_t n_filters;
    int64_t pulled_at_ms;           /* when the final pass of the pull started */
    int64_t total_num;              /* as the API last declared it; -1 if never */
    size_t records_received, pages, retries, duplicates_dropped;
    bool complete;
    int64_t expected_records;       /* what total_num promised */
    char records_sha256[SHA256_HEX_LEN];
    /* Version 2: two or more sources, their records in this order; then
     * endpoint, region, project_id and enterprise_project_id are NULL.
     * Version 1: none (n_sources 0). */
    struct provenance_source *sources;
    size_t n_sources;
};

/* The provenance file of records file 'records_path': the base name's
 * last extension replaced by ".meta.json" ("dir/snap.jsonl" ->
 * "dir/snap.meta.json"), or ".meta.json" appended when it has none.
 * Returns a new string. */
char *provenance_path(const char *records_path);

/* Write 'p' as the provenance document into 'out' (pretty-printed, keys
 * in the order above). Returns 0, or -1 when the stream failed. */
int provenance_write(const struct provenance *p, FILE *out);

enum provenance_read_status {
    PROVENANCE_OK,
    PROVENANCE_MISSING,             /* no such file */
    PROVENANCE_INVALID,             /* there, but not a valid document: a warning in 'd' */
    PROVENANCE_ERROR,               /* there, but unreadable: an error in 'd' */
};

/* Read the provenance document at 'path' into 'p' (zeroed first; dispose
 * it in every case). 'raw', when not NULL, receives the bytes read, as
 * evidence bundles keep them. Returns an enum provenance_read_status;
 * messages name 'path' (and the line and column of a JSON error). */
int provenance_read(struct provenance *p, const char *path, struct buf *raw,
                    struct diags *d);
void provenance_dispose(struct provenance *p);

#endif
