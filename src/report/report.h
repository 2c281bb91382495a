/* SPDX-License-Identifier: MIT
 * THE report model: after evaluation, one 'struct report' holds all that
 * any output shows, and every writer (CSV, XLSX, HTML, JSON, the summary
 * on stdout) reads this and nothing else (cmark's one-tree, many-
 * renderers design). Adding a format is adding one writer in src/render.
 *
 * Compact at scale: text lives in one string arena, an image is a row of
 * small fixed cells, a finding is three words. Nothing here holds JSON.
 *
 * Ownership: the report owns everything reachable from it; all 'const
 * char *' point into its arena (valid until report_dispose). Writers get
 * a 'const struct report *' and must not change it.
 *
 * Building (src/app does it): report_init, report_set_* / report_add_*
 * while evaluating, then report_finish() once, which sorts the findings
 * and computes the summary; only then is the model read. */
#ifndef IMGAUDIT_REPORT_H
#define IMGAUDIT_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/field.h"
#include "model/record.h"
#include "rules/rules.h"
#include "util/arena.h"
#include "util/hash.h"

#define REPORT_SCHEMA_VERSION 1

/* One inventory cell. Strings are NUL-terminated copies in the arena.
 * For F_ASSOCIATION_IMAGES the cell holds the number of associated
 * images in 'v.i'. */
struct rcell {
    unsigned char state;        /* enum cell_state */
    union {
        int64_t i;              /* FT_INT, FT_TIME, and the association count */
        bool b;                 /* FT_BOOL */
        const char *s;          /* FT_STR */
    } v;
};

struct report_image {
    struct rcell c[FIELD_COUNT];
    uint32_t findings;          /* findings on this image */
    int max_severity;           /* enum severity of its worst finding, -1 if none */
};

enum finding_status { FINDING_OPEN };  /* waivers add more later */

struct report_finding {
    uint32_t rule;              /* index into rules[] */
    uint32_t image;             /* index into images[] (= input order) */
    const char *message;
    enum finding_status status;
};

struct report_rule {
    const char *id, *title, *description, *remediation, *when, *message, *file;
    const char *const *tags;    /* n_tags entries */
    size_t n_tags;
    enum severity severity;
    size_t findings;            /* records on which the rule was true */
    size_t unknown;             /* records on which it was unknown (missing data) */
};

struct report_kv { const char *key; const char *value; };
struct report_count { const char *key; size_t count; };
struct report_rulefile { const char *path; char sha256[SHA256_HEX_LEN]; };
struct report_param { const char *name, *value, *type; };

/* A data-quality row: 'field' had 'count' values with 'problem'
 * (QUALITY_* in model/record.h: "wrong type", "unknown value", "out of
 * range", "NUL character"; field "(other)" for members imgaudit does not
 * model), first in record 'first_record' (0-based input index). */
struct report_quality {
    const char *field;          /* "image_size", "association_images[].vul_num" */
    const char *problem;
    size_t count;
    size_t first_record;
};

enum gate_verdict { GATE_NONE, GATE_PASS, GATE_FAIL };

struct report_meta {
    const char *tool;           /* "imgaudit" */
    const char *version;
    int64_t generated_at_ms;    /* wall clock when the report was built */
    int64_t now_ms;             /* the "now" rules used (--now) */
    /* Where the records came from. */
    const char *source_kind;    /* "file" or "api" */
    const char *input_path;     /* file: the path ("-" = stdin); NULL for api */
    const char *input_format;   /* "api-body", "jsonl", "array"; NULL for api */
    const char *endpoint, *region, *project_id, *enterprise_project_id; /* api; NULL when not set */
    const char *const *filters; /* api: "name=value", n_filters of them */
    size_t n_filters;
    bool has_total;
    int64_t total_num;          /* as the source declared it */
    size_t records_received;
    size_t duplicates_dropped;
    size_t pages, retries;
    char source_sha256[SHA256_HEX_LEN]; /* of the input / snapshot bytes; "" if unknown */
    struct report_rulefile *rulefiles;
    size_t n_rulefiles;
    struct report_param *params;
    size_t n_params;
    int fail_on;                /* enum severity, or -1 for no gate */
    enum gate_verdict gate;
    bool complete;              /* false: INCOMPLETE pull (--allow-incomplete) */
    int64_t expected_records;   /* when incomplete */
};

struct report_summary {
    size_t images;                  /* images evaluated */
    size_t images_with_findings;
    size_t findings;
    size_t by_severity[SEV_COUNT];
    struct report_count *by_namespace;  /* findings per namespace: count desc, then key */
    size_t n_by_namespace;
    struct report_count *by_registry;   /* findings per registry_name, same order */
    size_t n_by_registry;
};

struct report {
    struct report_meta meta;
    struct report_summary summary;
    struct report_rule *rules;          /* in rule-set order */
    size_t n_rules;
    struct report_image *images;        /* the inventory, input order */
    size_t n_images;
    struct report_finding *findings;    /* severity desc, rule id, input order */
    size_t n_findings;
    struct report_quality *quality;     /* field order, then association_images[], then
                                         * (other); problems in QUALITY_* order */
    size_t n_quality;
    struct arena text;                  /* every string above */
    size_t cap_images, cap_findings;    /* private: growth */
};

void report_init(struct report *rep);
void report_dispose(struct report *rep);

/* Copy 's' into the report's arena (NULL stays NULL). */
const char *report_str(struct report *rep, const char *s);

/* Copy the enabled rules of 'rs', its params and its files (with their
 * SHA-256) into the model. */
void report_set_rules(struct report *rep, const struct ruleset *rs);
/* Append 'rec' to the inventory; returns its image index. */
uint32_t report_add_image(struct report *rep, const struct record *rec);
/* Record a finding of rule 'rule' on image 'image' ('message' is copied). */
void report_add_finding(struct report *rep, uint32_t rule, uint32_t image,
                        const char *message);
/* Count a rule as unknown on one record. */
void report_add_unknown(struct report *rep, uint32_t rule);
void report_add_rulefile(struct report *rep, const char *path, const char *sha256);
/* Turn the decoder's counts into quality rows. */
void report_set_quality(struct report *rep, const struct quality *q);
/* Sort findings, compute the summary and the gate verdict for
 * meta.fail_on. Call once, after everything was added. */
void report_finish(struct report *rep);

/* Text of a gate verdict for writers. */
const char *report_gate_name(enum gate_verdict g);  /* "none", "pass", "fail" */

#endif
