/* SPDX-License-Identifier: MIT
 * The rule set: rule files (YAML or JSON) loaded, their `when`
 * expressions parsed, name- and type-checked and compiled once, then
 * evaluated against records.
 *
 * Life cycle (the CLI layer drives it):
 *   struct ruleset *rs = ruleset_new();
 *   ruleset_add_file(rs, "rules/default.yaml", &diags);   (repeatable)
 *   ruleset_add_waiver_file(rs, "waivers.yaml", &diags);  (--waivers, repeatable)
 *   ruleset_set_param(rs, "stale_after", "14d", &diags);  (--set, repeatable)
 *   ruleset_compile(rs, &diags);                          (names, types, regexes)
 *   ... ruleset_eval(rs, i, &rec, now_ms, scratch) for each rule i and record ...
 *   ruleset_free(rs);
 * Every loading function keeps going after an error and adds all
 * problems to 'diags' in compiler form (file:line:col, source line,
 * caret); it returns 0 when it added no error, -1 otherwise.
 *
 * After ruleset_compile() succeeds the rule set is immutable but for the
 * costly-regex counters below (C11 atomics): any number of threads may
 * call ruleset_eval() and ruleset_waiver_eval() at once, each with its
 * own scratch (PCRE2 match data and temporary storage live there, not in
 * the rules).
 */
#ifndef IMGAUDIT_RULES_H
#define IMGAUDIT_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "util/buf.h"
#include "util/diag.h"

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL, SEV_COUNT };
/* "info" ... "critical"; severity_parse takes them in any case ("High")
 * and returns -1 for anything else. */
const char *severity_name(enum severity s);
int severity_parse(const char *s);

enum tri { TRI_FALSE = 0, TRI_TRUE = 1, TRI_UNKNOWN = 2 };

/* What a report needs to know about a rule (all strings owned by the
 * rule set, valid until ruleset_free). */
struct rule_info {
    const char *id;
    const char *title;
    enum severity severity;
    const char *description;    /* "" when absent */
    const char *remediation;    /* "" when absent */
    const char *when;           /* the expression source text */
    const char *message;        /* the message template, "" when absent */
    const char *const *tags;    /* NULL-terminated */
    size_t n_tags;
    const char *file;           /* the rule file it came from */
    int line;                   /* line of its `id:` key */
};

/* A param after --set: name and its effective value as text
 * (durations as "7d", lists as "[prod, stg]"). */
struct param_info {
    const char *name;
    const char *value;
    const char *type;           /* "integer", "decimal", "string", "boolean", "duration", "list" */
};

struct ruleset;
struct eval_scratch;

struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);                      /* accepts NULL */

/* Load one rule file. Format by content: JSON if it starts with '{',
 * else YAML. Errors name 'path'. */
int ruleset_add_file(struct ruleset *rs, const char *path, struct diags *d);
/* Same, from memory (tests, fuzzers). */
int ruleset_add_text(struct ruleset *rs, const char *path, const char *text, size_t len,
                     struct diags *d);
/* The same, but reports call the file 'name' (rule_info.file,
 * rulefile_info.path, the "FILE:LINE" id of a waiver without one), while
 * diagnostics name 'path': the CLI passes file_label(path)
 * (util/filelabel.h), so that no report depends on where the file lies. */
int ruleset_add_file_as(struct ruleset *rs, const char *path, const char *name,
                        struct diags *d);
/* Override a param (--set NAME=VALUE): the value must parse as the
 * param's declared type; an unknown name is an error. */
int ruleset_set_param(struct ruleset *rs, const char *name, const char *value,
                      struct diags *d);
/* Resolve names, check types, compile regexes. Call once, after all
 * files and params. Disabled rules (enabled: false) are checked too but
 * are not counted by ruleset_count(). */
int ruleset_compile(struct ruleset *rs, struct diags *d);

/* The enabled rules, in file order (then order within the file). */
size_t ruleset_count(const struct ruleset *rs);
const struct rule_info *ruleset_rule(const struct ruleset *rs, size_t i);
size_t ruleset_param_count(const struct ruleset *rs);
/* The loaded rule files (not the waiver files), in load order, each with
 * the SHA-256 of exactly the bytes that were parsed (audit evidence of
 * what was checked). */
struct rulefile_info {
    const char *path;           /* its name in reports (ruleset_add_file_as) */
    const char *sha256;         /* 64 lowercase hex digits */
    const char *text;           /* exactly the bytes parsed (evidence bundles keep them) */
    size_t len;
};
size_t ruleset_file_count(const struct ruleset *rs);
struct rulefile_info ruleset_file(const struct ruleset *rs, size_t i);
const struct param_info *ruleset_param(const struct ruleset *rs, size_t i);

/* ---- Waivers (accepted risk) ----
 * A `waivers:` list in a rule file, or in a waiver file (top-level keys
 * `version` and `waivers` only), each entry saying that findings of one
 * rule (or of every rule, "*") on the images its `when` matches are an
 * accepted risk until a date. Entries are checked as they load (keys,
 * reason, owner, expiry, `when` syntax, duplicate ids across all files)
 * and again by ruleset_compile (`when` names and types, the rule id,
 * which may be a rule of any loaded file). A waiver with any error is
 * never listed by the accessors below, so it can waive nothing. */
struct waiver_info {
    const char *id;             /* as written, or "FILE:LINE" */
    const char *rule;           /* a rule id, or "*" */
    const char *when;           /* expression text, "" when absent (every image) */
    const char *reason, *owner; /* non-empty */
    const char *ticket;         /* NULL when absent */
    const char *expires;        /* normalised: "2027-03-31", or an RFC 3339 time
                                 * in UTC ("2027-03-31T18:00:00Z") */
    int64_t expires_ms;         /* first instant at which it no longer applies:
                                 * for a date, 00:00:00Z of the day after */
    bool expires_is_date;
    const char *file;           /* the file it came from, as given */
    int line;                   /* line of the entry */
};

/* Load a waiver file (--waivers): like ruleset_add_file, but the file
 * may hold only `version` and `waivers`. */
int ruleset_add_waiver_file(struct ruleset *rs, const char *path, struct diags *d);
int ruleset_add_waiver_text(struct ruleset *rs, const char *path, const char *text, size_t len,
                            struct diags *d);
/* ruleset_add_file_as for a waiver file. */
int ruleset_add_waiver_file_as(struct ruleset *rs, const char *path, const char *name,
                               struct diags *d);
/* The waivers that passed every check, in load order (files in order,
 * entries in order); none before ruleset_compile. Strings are owned by
 * the rule set. A waiver is expired iff now_ms >= expires_ms. */
size_t ruleset_waiver_count(const struct ruleset *rs);
const struct waiver_info *ruleset_waiver(const struct ruleset *rs, size_t w);
/* Does waiver 'w' apply to enabled rule 'i' (by id, or "*")? */
bool ruleset_waiver_covers(const struct ruleset *rs, size_t w, size_t i);
/* Waiver 'w''s `when` on 'rec': TRI_TRUE when it has none. As with a
 * rule, a missing field gives TRI_UNKNOWN; only TRI_TRUE should waive.
 * Thread-safe like ruleset_eval (one scratch per thread). */
enum tri ruleset_waiver_eval(const struct ruleset *rs, size_t w, const struct record *rec,
                             int64_t now_ms, struct eval_scratch *s);
/* --max-waiver-days: a located error (at the `expires` value) for every
 * loaded waiver that expires more than 'max_days' days after 'now_ms'
 * (exactly max_days days is allowed; a negative max_days counts as 0).
 * Checks every waiver loaded so far, before or after ruleset_compile.
 * Returns 0 or -1. */
int ruleset_check_waiver_horizon(const struct ruleset *rs, int64_t now_ms, long max_days,
                                 struct diags *d);
/* The waiver files (ruleset_add_waiver_*), in load order, fingerprinted
 * like rule files. A rule file with a `waivers:` section is a rule file
 * (ruleset_file), not one of these. */
size_t ruleset_waiver_file_count(const struct ruleset *rs);
struct rulefile_info ruleset_waiver_file(const struct ruleset *rs, size_t i);

/* ---- Standalone conditions ----
 * A condition over the image record that belongs to no rule: --where,
 * given on the command line. It is parsed, name- and type-checked like a
 * rule's `when`, against the fields and the params of 'rs' (compile 'rs'
 * first), so params.NAME works and a typo gets its did-you-mean. Its
 * text is its own source: errors read "ORIGIN:1:COL: error: ...", then
 * the expression with a caret ('origin' is e.g. "--where"). Returns the
 * compiled condition, or NULL with every problem in 'd'.
 *
 * The condition borrows nothing from 'rs' but its params: free it before
 * the rule set. Evaluation is thread-safe like ruleset_eval (one scratch
 * per thread); a missing field makes it unknown, as in a rule. Its
 * regexes have the per-match limits but are never disabled for cost. */
struct rule_expr;
struct rule_expr *ruleset_compile_expr(struct ruleset *rs, const char *origin, const char *text,
                                       struct diags *d);
enum tri ruleset_expr_eval(const struct rule_expr *e, const struct record *rec, int64_t now_ms,
                           struct eval_scratch *s);
/* The expression as given. */
const char *rule_expr_text(const struct rule_expr *e);
void rule_expr_free(struct rule_expr *e);                  /* accepts NULL */

/* Per-thread evaluation state. */
struct eval_scratch *eval_scratch_new(const struct ruleset *rs);
void eval_scratch_free(struct eval_scratch *s);             /* accepts NULL */

/* Evaluate enabled rule 'i' on 'rec' with 'now_ms' as the current time. */
enum tri ruleset_eval(const struct ruleset *rs, size_t i, const struct record *rec,
                      int64_t now_ms, struct eval_scratch *s);

/* Costly regexes. A match that stops at a PCRE2 limit (1,000,000 steps
 * or 64 MiB of backtracking memory) is unknown for that record. Each
 * =~ / !~ counts these hits over all records and all threads; at
 * RULES_REGEX_MAX_LIMIT_HITS it is disabled for the rest of the rule
 * set's life: it is not run again and its result is unknown (so the rule
 * can still be decided by the rest of its expression). With several
 * threads, matches already under way may still hit the limit: a count
 * can pass the maximum by up to the number of threads minus one.
 *
 * For enabled rule 'i': its hits (all its regexes together), and whether
 * any of its regexes is disabled. Read them after evaluation, from any
 * thread. */
#define RULES_REGEX_MAX_LIMIT_HITS 100
size_t ruleset_rule_regex_limit_hits(const struct ruleset *rs, size_t i);
bool ruleset_rule_regex_disabled(const struct ruleset *rs, size_t i);
/* After evaluation: a warning in 'd' for each disabled regex, at its
 * pattern (the literal or params.NAME) in the rule's `when`.
 * Evaluation itself has no diagnostics list: the caller asks here once
 * its records are done. Returns how many it added. */
size_t ruleset_regex_warnings(const struct ruleset *rs, struct diags *d);

/* Append rule 'i''s message for 'rec' to 'out': the template with each
 * {field} replaced by the record's value (times as ISO 8601 UTC,
 * missing values as empty), or the rule title when there is no template. */
void ruleset_format_message(const struct ruleset *rs, size_t i, const struct record *rec,
                            struct buf *out);

#endif
