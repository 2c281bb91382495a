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
 * and computes the summary; only then is the model read.
 *
 * Reading images and findings: through report_image_at(),
 * report_finding_at() and report_finding_match(), never through the
 * arrays: a merged report keeps them on disk (report/spill.h) and its
 * arrays are NULL. */
#ifndef IMGAUDIT_REPORT_H
#define IMGAUDIT_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/field.h"
#include "model/record.h"
#include "rules/rules.h"
#include "util/arena.h"
#include "util/hash.h"

/* The JSON report's schema_version, and (REPORT_SCHEMA_VERSION_MIN) the
 * oldest one the reader still takes, as a baseline or in diff;
 * docs/report-json-schema.md says what each version changed. */
#define REPORT_SCHEMA_VERSION 4
#define REPORT_SCHEMA_VERSION_MIN 2

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
    uint32_t source;            /* sources[] it came from; 0 (unused) without sources */
};

/* A finding's status: open, waived by an active waiver, or open although
 * a waiver matched it, because that waiver has expired. */
enum finding_status { FINDING_OPEN, FINDING_WAIVED, FINDING_WAIVER_EXPIRED };
/* Since the baseline (--baseline): new, existing, or (in 'resolved'
 * only) gone. Without a baseline every finding is new. */
enum finding_change { CHANGE_NEW, CHANGE_EXISTING, CHANGE_RESOLVED };

struct report_finding {
    uint32_t rule;              /* rules[] (resolved findings: resolved_rules[]) */
    uint32_t image;             /* images[] (resolved findings: resolved_images[]) */
    const char *message;        /* NULL: the rule's title */
    int64_t first_seen_ms;      /* the baseline's first_seen, or this run's now */
    int32_t waiver;             /* waivers[] index behind the status, or -1 */
    uint32_t matches;           /* its matching waivers: waiver_matches[matches ...] */
    uint32_t n_matches;
    uint8_t status;             /* enum finding_status */
    uint8_t change;             /* enum finding_change */
};

/* A waiver and what it did in this run (governance). */
enum waiver_state { WAIVER_ACTIVE, WAIVER_EXPIRING, WAIVER_EXPIRED, WAIVER_UNUSED,
                    WAIVER_STATE_COUNT };

struct report_waiver {
    const char *id, *rule, *when, *reason, *owner;
    const char *ticket;         /* NULL when absent */
    const char *expires;        /* as written: "2027-03-31" or an RFC 3339 time */
    const char *file;
    int line;
    int64_t expires_ms;         /* first instant at which it no longer applies */
    bool expires_is_date;
    enum waiver_state state;    /* set by report_finish */
    size_t waived;              /* findings it waived (the first active match) */
    size_t matched;             /* findings it matched, whether it applied or not */
    size_t unknown;             /* images on which its `when` could not be decided */
};

struct report_rule {
    const char *id, *title, *description, *remediation, *when, *message, *file;
    const char *const *tags;    /* n_tags entries */
    size_t n_tags;
    enum severity severity;
    size_t findings;            /* records on which the rule was true */
    size_t unknown;             /* records on which it was unknown (missing data) */
    size_t regex_limit_hits;    /* PCRE2 resource-limit hits of its regexes */
    bool regex_disabled;        /* a regex was cut off for cost: unknown from then on */
};

struct report_kv { const char *key; const char *value; };
struct report_count { const char *key; size_t count; };
struct report_rulefile { const char *path; char sha256[SHA256_HEX_LEN]; };
struct report_param { const char *name, *value, *type; };

/* A data-quality row: 'field' had 'count' values with 'problem'
 * (QUALITY_* in model/record.h: "wrong type", "unknown value", "out of
 * range", "NUL character"; field "(other)" for members imgaudit does not
 * model), first in record number 'first_record' (1-based, in input
 * order: the numbering of every format and of the input's own error
 * messages), on line 'first_line' of JSON Lines input (0 for the other
 * forms). */
struct report_quality {
    const char *field;          /* "image_size", "association_images[].vul_num" */
    const char *problem;
    size_t count;
    size_t first_record;
    uint64_t first_line;
};

/* The gates' verdict. On incomplete data (meta.complete false) a gate
 * can fail but never pass: when no gate failed on the records that did
 * arrive, the verdict is GATE_INCOMPLETE (exit 3), not GATE_PASS. */
enum gate_verdict { GATE_NONE, GATE_PASS, GATE_FAIL, GATE_INCOMPLETE };
/* Which gate failed (report_meta.gate_failed). */
enum { GATE_BY_SEVERITY = 1, GATE_BY_NEW = 2, GATE_BY_EXPIRED_WAIVER = 4 };

/* The earlier report this run was compared with (--baseline). */
struct report_baseline {
    bool present;
    const char *path;           /* as given */
    char sha256[SHA256_HEX_LEN];
    int64_t now_ms, generated_at_ms;
    const char *project_id, *region;    /* NULL when the baseline had none */
    const char *where;          /* the baseline's --where, NULL for none */
    bool complete;              /* the baseline's own run was complete */
    size_t findings;            /* findings in the baseline */
};

/* What is known about where the records came from: a pull of the HSS
 * API, described by the snapshot's provenance (source/provenance.h),
 * a file whose provenance is unknown, and why, or reports merged
 * (imgaudit merge), each with its own (report.sources). */
enum report_provenance {
    REPORT_PROV_PULL,           /* pulled now, or a snapshot whose provenance matches */
    REPORT_PROV_MISSING,        /* no provenance beside the file (or standard input) */
    REPORT_PROV_MISMATCH,       /* a provenance whose records SHA-256 is another file's */
    REPORT_PROV_INVALID,        /* a provenance that is not a valid document */
    REPORT_PROV_MERGE,          /* merged reports: see report.sources */
};

/* One part of a run split by --split-by: the images with one key. */
struct report_split {
    const char *by;             /* "namespace", "registry" or "image_type"; NULL: not a part */
    const char *key;            /* the key; NULL for the part of images without one */
    const char *name;           /* the part's name in file names: "team-a", "(none)", "CON_" */
};

struct report_meta {
    const char *tool;           /* "imgaudit" */
    const char *version;
    int64_t generated_at_ms;    /* wall clock when the report was built */
    int64_t now_ms;             /* the "now" rules used (--now) */
    const char *where;          /* --where: the images evaluated; NULL: all of them */
    struct report_split split;  /* a part of --split-by (the combined report has none) */
    bool mixed_rules;           /* merged from reports with different rules (merge.c) */
    /* The data: what the records are and where they came from, never
     * how this run read them, so that the report of a pull and the
     * report of its snapshot, anywhere, are the same bytes. */
    enum report_provenance provenance;
    const char *records_format; /* "jsonl", "api", "array"; NULL when not known */
    /* From the provenance (REPORT_PROV_PULL); NULL when unknown or not set. */
    const char *endpoint, *region, *project_id, *enterprise_project_id;
    const char *const *filters; /* "name=value", n_filters of them */
    size_t n_filters;
    int64_t pulled_at_ms;       /* REPORT_PROV_PULL only; 0 when not known (a version 2
                                 * report read back) */
    const char *pulled_by;      /* "imgaudit 0.1.0"; NULL when unknown */
    bool has_total;
    int64_t total_num;          /* as the source declared it */
    size_t records_received;
    size_t duplicates_dropped;  /* these three: REPORT_PROV_PULL only */
    size_t pages, retries;
    char source_sha256[SHA256_HEX_LEN]; /* of the records file's bytes; "" if unknown */
    struct report_rulefile *rulefiles;
    size_t n_rulefiles;
    struct report_param *params;
    size_t n_params;
    int fail_on;                /* enum severity, or -1 for no gate */
    int fail_on_new;            /* --fail-on-new: enum severity, or -1 */
    bool fail_on_expired_waivers;
    int64_t warn_expiring_days; /* --warn-expiring */
    enum gate_verdict gate;
    unsigned gate_failed;       /* GATE_BY_* bits: which gates failed */
    struct report_rulefile *waiver_files;   /* --waivers files */
    size_t n_waiver_files;
    struct report_baseline baseline;
    const char **warnings;      /* e.g. a baseline from another project */
    size_t n_warnings;
    bool complete;              /* false: INCOMPLETE pull (--allow-incomplete) */
    int64_t expected_records;   /* when incomplete */
};

/* The tallies of the summary, each per severity. Open counts findings
 * that are not waived (a finding whose waiver expired is open); new and
 * existing count waived findings too; resolved counts 'resolved'. */
enum tally { T_OPEN, T_WAIVED, T_NEW, T_EXISTING, T_RESOLVED, TALLY_COUNT };

struct report_summary {
    size_t images;                  /* images evaluated */
    size_t images_with_findings;
    size_t findings;
    size_t by_severity[SEV_COUNT];
    size_t tally[TALLY_COUNT][SEV_COUNT];
    size_t tally_total[TALLY_COUNT];
    size_t new_open[SEV_COUNT];     /* new and not waived: what --fail-on-new counts */
    bool resolved_trusted;          /* baseline and this run both complete */
    size_t waivers_by_state[WAIVER_STATE_COUNT];
    struct report_count *by_namespace;  /* findings per namespace: count desc, then key */
    size_t n_by_namespace;
    struct report_count *by_registry;   /* findings per registry_name, same order */
    size_t n_by_registry;
};

/* A merged report's sources (imgaudit merge, src/app/merge.c): one per
 * JSON report merged, in the order given. Each image's 'source' indexes
 * this table, and its project_id and region columns come from here; a
 * report of one run has no table (n_sources == 0) and takes them from
 * its meta. The per-source counts are summary rows, set by
 * report_finish from the findings and images of each source. */
struct report_source {
    const char *path;           /* the report merged, as given */
    enum report_provenance provenance;  /* its records' (never REPORT_PROV_MERGE) */
    const char *records_format; /* its meta.source.records_format */
    const char *project_id, *region, *enterprise_project_id;  /* NULL when it had none */
    const char *where;          /* its --where, NULL for none */
    char sha256[SHA256_HEX_LEN];    /* of the merged report's bytes */
    int64_t now_ms, generated_at_ms;
    size_t records_received;
    bool complete;
    int64_t expected_records;   /* when incomplete */
    bool other_rules;           /* its rule files or params differ from the first source's */
    /* Summary rows (report_finish). */
    size_t images, images_with_findings, findings;
    size_t open[SEV_COUNT], open_total, waived_total;
};

struct report_spill;
struct report_stream;

struct report {
    struct report_meta meta;
    struct report_summary summary;
    struct report_source *sources;      /* merged reports only; see struct report_source */
    size_t n_sources;
    struct report_rule *rules;          /* in rule-set order */
    size_t n_rules;
    struct report_image *images;        /* the inventory, input order */
    size_t n_images;
    struct report_finding *findings;    /* severity desc, rule id, input order */
    size_t n_findings;
    struct report_quality *quality;     /* field order, then association_images[], then
                                         * (other); problems in QUALITY_* order */
    size_t n_quality;
    struct report_waiver *waivers;      /* in load order */
    size_t n_waivers;
    uint32_t *waiver_matches;           /* pool behind report_finding.matches */
    size_t n_waiver_matches;
    /* The baseline's findings that are gone, with their last known data:
     * their rule and image indexes point into resolved_rules[] and the
     * resolved images (report_resolved_image_at: resolved_images[], or
     * on disk in resolved_spill). Empty unless resolved_trusted. */
    struct report_finding *resolved;    /* same order as findings */
    size_t n_resolved;
    /* The resolved findings were counted, not read (BASELINE_COUNT_RESOLVED:
     * no output of the run lists them): each has its rule, its change and
     * its entry's first_seen only, no image, no message, in no particular
     * order. report_resolved_image_at() must not be called. */
    bool resolved_unread;
    struct report_rule *resolved_rules;
    size_t n_resolved_rules;
    struct report_image *resolved_images;
    size_t n_resolved_images;
    /* owned: the resolved images on disk (a baseline's comparison puts
     * them there: report/baseline.c), or NULL */
    struct report_spill *resolved_spill;
    struct report_spill *spill;         /* owned: images and findings on disk, or NULL */
    struct report_stream *stream;       /* owned: while they go there (report/stream.h) */
    /* The spilled images keep only their findings' columns, and those
     * without findings only their identity (STREAM_LEAN_IMAGES): no
     * inventory can be written of it (render.c refuses). */
    bool images_lean;
    /* A run's spilled report: the per-source counts made while it was
     * built (index: an image's source), which report_count_sources
     * copies into sources[] once the run knows them. */
    struct report_source *counted_sources;
    size_t n_counted_sources;
    /* A report read without keeping its findings (report_reader_open):
     * the summary's counts were made as its rows went by, and
     * report_finish keeps them. */
    bool counted;
    struct arena text;                  /* every string above */
    size_t cap_images, cap_findings;    /* private: growth */
    size_t cap_matches, cap_resolved, cap_resolved_rules, cap_resolved_images;
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
/* The cells of 'rec' as an image (no findings yet), its strings copied
 * by 'dup' (NUL-terminated copies of 'n' bytes, kept as long as the
 * image). */
void report_image_fill(struct report_image *img, const struct record *rec,
                       const char *(*dup)(void *ctx, const char *s, size_t n), void *ctx);
/* Record a finding of rule 'rule' on image 'image' ('message' is copied;
 * NULL means the rule's title). It starts open and new, first seen now.
 * Returns its index, valid until report_finish sorts. */
size_t report_add_finding(struct report *rep, uint32_t rule, uint32_t image,
                          const char *message);
/* The source of image 'image' (merged reports and pulls of several
 * projects; call right after adding it). */
void report_set_image_source(struct report *rep, uint32_t image, uint32_t source);
/* Call fn(ctx, fi) on every finding, which may change its 'change' and
 * 'first_seen_ms' (and nothing else): a baseline's verdict. A spilled
 * report's findings are rewritten on disk, in no particular order and
 * without their message and matches, and its summary's counts of new
 * and existing findings follow (report/stream.c). */
void report_update_findings(struct report *rep, void (*fn)(void *ctx, struct report_finding *fi),
                            void *ctx);
/* Finding 'f' (report_add_finding's index) to set its status and
 * waiver, until the next finding is added. */
struct report_finding *report_added_finding(struct report *rep, size_t f);
/* Add waiver 'w' to finding 'f''s matches (call right after adding the
 * finding, in waiver order). */
void report_add_match(struct report *rep, size_t f, uint32_t w);
/* Append a copy of waiver 'w' (its strings are copied; its counts and
 * state start at zero). Returns its index. */
uint32_t report_add_waiver(struct report *rep, const struct report_waiver *w);
/* Record a --waivers file and its SHA-256. */
void report_add_waiver_file(struct report *rep, const char *path, const char *sha256);
/* Count a rule as unknown on one record. */
void report_add_unknown(struct report *rep, uint32_t rule);
void report_add_rulefile(struct report *rep, const char *path, const char *sha256);
/* Turn the decoder's counts into quality rows. */
void report_set_quality(struct report *rep, const struct quality *q);
/* Sort findings, compute the summary, the waivers' states and the gate
 * verdict. Call after everything was added; calling it again recomputes
 * (report/diff.c does, after a baseline changed the findings). A spilled
 * report is in order already and its builder (report/combine.c) set the
 * counts, and a report read without its findings (report.counted) had
 * them counted as they went by: for those, only the waivers' states and
 * the gate are computed (and the sources' rows copied from what was
 * counted, which for the latter is nothing: they are left at zero). */
void report_finish(struct report *rep);
/* report_finish() for a model that is compared with and never written
 * (reader.h: REPORT_READ_NO_INVENTORY, report_reader_open): the summary's
 * by_namespace and by_registry rows, which only writers show, are left
 * empty. Counting them was about 7% of reading a 100,000-image baseline. */
void report_finish_unwritten(struct report *rep);
/* Count finding 'fi' (of severity 'sev') into 's': by_severity, the
 * open, waived, new and existing tallies and new_open (not findings nor
 * images_with_findings). report_finish() counts a report in memory so,
 * report/stream.c a spilled one as it is built, the JSON reader one
 * whose rows it does not keep. */
void report_tally_finding(struct report_summary *s, enum severity sev,
                          const struct report_finding *fi);

/* The name of field 'f' in the inventory (XLSX columns, JSON keys):
 * the field's own name, except association_images, of which the model
 * keeps only the count: "association_images_count". */
const char *report_field_key(enum field_id f);
/* The image's part of a finding's identity across runs (baseline.h), in
 * its order: registry_name, namespace, image_name, image_version. The
 * JSON writer's finding index, its reader and the baseline use this one
 * list. */
#define REPORT_IDENTITY_FIELDS 4
extern const enum field_id report_identity_fields[REPORT_IDENTITY_FIELDS];
/* "open" ... : the status's name in every format. */
const char *finding_status_name(enum finding_status s);
/* Image 'i' and finding 'i' (in report order), and waiver match 'k' of
 * a finding (an index into waivers[]). With a spilled report a pointer
 * stays valid for the next SPILL_SLOTS - 1 calls of the same accessor
 * (report/spill.h); writers use one image and one finding at a time. */
const struct report_image *report_image_at(const struct report *rep, size_t i);
/* Resolved image 'i' (a resolved finding's 'image'), the same way. */
const struct report_image *report_resolved_image_at(const struct report *rep, size_t i);
const struct report_finding *report_finding_at(const struct report *rep, size_t i);
uint32_t report_finding_match(const struct report *rep, const struct report_finding *fi,
                              uint32_t k);
/* Call fn(ctx, i, img) for images from to to - 1, in order, where
 * 'img' is sure to hold only the image's findings, max_severity, source
 * and its cells of the fields before 'upto' (spill_image_heads,
 * report/spill.h: a pass over many images that needs a few of their
 * first fields). Any thread, several at once, without
 * report_reader_begin(). */
void report_image_heads(const struct report *rep, size_t from, size_t to, int upto,
                        void (*fn)(void *ctx, size_t i, const struct report_image *img),
                        void *ctx);
/* Reading one report from several threads at once (render_reports runs
 * its writers concurrently): a thread brackets its reads with these, so
 * that a spilled report gives it its own reader (report/spill.h). A
 * report in memory needs nothing. A thread reads one report at a time. */
void report_reader_begin(const struct report *rep);
void report_reader_end(const struct report *rep);
/* The rule and image of a finding or a resolved finding. */
static inline const struct report_rule *report_finding_rule(const struct report *rep,
                                                            const struct report_finding *fi)
{
    return fi->change == CHANGE_RESOLVED ? &rep->resolved_rules[fi->rule] : &rep->rules[fi->rule];
}
static inline const struct report_image *report_finding_image(const struct report *rep,
                                                              const struct report_finding *fi)
{
    return fi->change == CHANGE_RESOLVED ? report_resolved_image_at(rep, fi->image)
                                         : report_image_at(rep, fi->image);
}
/* The order of findings, per rule: severity (worst first) in the top 4
 * bits, the rule's rank by id in the next 28, the low 32 bits zero for
 * the image (report_finish) or the source (a spilled report). One entry
 * per rule (free the array). */
uint64_t *report_rule_keys(const struct report *rep);
/* The project and region an image came from: its source's (merged
 * reports), else the run's; NULL when unknown (a file input). */
const char *report_image_project_id(const struct report *rep, const struct report_image *img);
const char *report_image_region(const struct report *rep, const struct report_image *img);
/* The same for an image whose source is 'source' (for a caller that
 * kept the source, not the image). */
const char *report_source_project_id(const struct report *rep, uint32_t source);
const char *report_source_region(const struct report *rep, uint32_t source);
/* Were two reports made with the same rules? The same rule files (by
 * SHA-256, in any order), and the same params with the same values
 * (--set changes what a rule file means). */
bool report_same_rulefiles(const struct report_meta *a, const struct report_meta *b);
bool report_same_params(const struct report_meta *a, const struct report_meta *b);
/* Two texts of the model that may be unknown (a project id, a region):
 * equal, and NULL equal only to NULL. */
static inline bool report_same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}
/* qsort order of the summary's counts (by_namespace, by_registry):
 * count descending, then key. */
int report_count_cmp(const void *a, const void *b);
/* The per-source summary rows (report_finish calls it). */
void report_count_sources(struct report *rep);
/* Whole days from first seen to the report's now (0 when in the future). */
int64_t report_finding_age_days(const struct report *rep, const struct report_finding *fi);
/* Names in every format. */
const char *finding_change_name(enum finding_change c);    /* "new", "existing", "resolved" */
const char *waiver_state_name(enum waiver_state s);        /* "active", "expiring", "expired", "unused" */
const char *tally_name(enum tally t);                      /* "open", "waived", "new", ... */
/* Did the baseline cover no images beyond this run's? True when this run
 * has no --where, or the baseline's was the same. Only then can a
 * baseline finding missing from this run be resolved rather than out
 * of this run's scope. */
bool report_baseline_in_scope(const struct report_meta *m);
/* Add a warning to the metadata (copied). */
void report_add_warning(struct report *rep, const char *text);
/* "pull", "unknown" or "merge" (JSON meta.source.provenance). */
const char *report_provenance_name(enum report_provenance p);
/* Why the provenance is unknown: "missing", "sha256-mismatch",
 * "invalid"; NULL for a pull or a merge. */
const char *report_provenance_problem(enum report_provenance p);
/* The source in words, the same in every format: "HSS API pull",
 * "file input, provenance unknown (provenance missing)" and the like, or
 * "merged reports (see sources)". */
const char *report_source_label(enum report_provenance p);
/* Text of a gate verdict for writers. */
const char *report_gate_name(enum gate_verdict g);  /* "none", "pass", "fail", "incomplete" */

#endif
