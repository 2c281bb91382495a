/* SPDX-License-Identifier: MIT
 * What the files of the rules module share and nobody else sees: the
 * rule set's layout and the entry points of its stages (load, params,
 * check, eval, message). rules.h is the public face. */
#ifndef IMGAUDIT_RULES_INTERNAL_H
#define IMGAUDIT_RULES_INTERNAL_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/ast.h"
#include "rules/doc.h"
#include "rules/rules.h"
#include "rules/source.h"
#include "util/strtab.h"
#include "util/timefmt.h"

/* ---- params ---- */

enum ptype { PT_INT, PT_DEC, PT_STR, PT_BOOL, PT_DUR, PT_LIST };

struct pval {
    enum ptype t;
    int64_t i;                  /* PT_INT, PT_DUR (ms) */
    double d;                   /* PT_DEC */
    bool b;                     /* PT_BOOL */
    char *s;                    /* PT_STR, owned */
    size_t n;
    struct spos pos;            /* where it was written (SP_NONE after --set) */
};

struct param {
    char *name;
    enum ptype type;
    struct pval v;              /* scalar params */
    enum ptype elem;            /* PT_LIST: element type (PT_STR when empty) */
    struct pval *items;         /* PT_LIST */
    size_t nitems;
    char *text;                 /* the value as text, for struct param_info */
    const struct rsrc *src;
    size_t name_off;            /* where the name is declared */
    bool from_cli;              /* last set by --set */
    bool regex_reported;        /* its invalid-regex error is out already */
};

/* Read a param declaration (name node, value node); NULL after an error. */
struct param *params_from_doc(const struct dnode *key, const struct dnode *val,
                              struct diags *d);
void params_free(struct param *p);
/* Apply a --set value: see ruleset_set_param. */
int params_set(struct param *p, const char *value, struct diags *d);
const char *params_type_name(enum ptype t);

/* ---- messages ---- */

enum seg_kind { SEG_TEXT, SEG_FIELD, SEG_PARAM };

struct msg_seg {
    enum seg_kind kind;
    char *text;                 /* SEG_TEXT: the text; else the name */
    size_t n;
    size_t off, len;            /* the {...} in the template, for errors */
    int idx;                    /* SEG_FIELD */
    const struct param *param;  /* SEG_PARAM */
};

/* ---- rules ---- */

/* One =~ / !~ of a rule and how often it stopped at a PCRE2 limit. The
 * count is the one thing that changes in a compiled rule set: a C11
 * atomic, incremented by whichever thread hit the limit (relaxed order:
 * it orders nothing else). At RULES_REGEX_MAX_LIMIT_HITS the regex is
 * disabled: every thread reads the count before matching and, from then
 * on, answers unknown without running it. */
struct rule_regex {
    const struct node *n;       /* the N_BIN node; kids[1] is the pattern */
    atomic_size_t limit_hits;
};

struct rule {
    struct rule_info info;      /* what rules.h hands out; strings below */
    char *id, *title, *description, *remediation, *when, *message;
    char **tags;                /* NULL-terminated */
    size_t when_len, message_len;
    bool enabled;
    bool broken;                /* had load errors: kept only so that compile reports
                                 * its type errors too; never counted or evaluated */
    const struct rsrc *src;
    size_t id_off;              /* the `id:` key, for duplicate-id notes */
    struct spos when_pos, message_pos;
    struct node *ast;           /* NULL until parsed (or when parsing failed) */
    struct msg_seg *segs;
    size_t nsegs;
    struct rule_regex *regexes; /* filled by check_rule, in tree order */
    size_t nregexes, cap_regexes;
};

/* ---- waivers ---- */

struct waiver {
    struct waiver_info info;    /* what rules.h hands out; strings below */
    char *id, *rule, *when, *reason, *owner, *ticket;
    char expires[TIME_ISO_MAX];
    size_t when_len;
    bool has_expires;
    bool broken;                /* had load errors: checked, never listed */
    const struct rsrc *src;
    struct spos when_pos;
    size_t id_a, id_b;          /* file bytes of its `id:` key (or of the entry) */
    size_t rule_a, rule_b;      /* ... of its `rule` value, for compile errors */
    size_t exp_a, exp_b;        /* ... of its `expires` value, for the horizon check */
    struct node *ast;           /* NULL when it has no `when` (or it did not parse) */
    size_t rule_idx;            /* index in ruleset.rules; SIZE_MAX for "*" */
};

struct ruleset {
    struct rsrc *srcs;          /* every loaded file, kept for diagnostics */
    struct rule **rules;
    size_t nrules, cap_rules;
    struct strtab rule_ids;     /* id -> the first rule with that id, broken or not:
                                 * every later one is a duplicate */
    struct rule **dropped;      /* rules too broken to keep, held only because
                                 * rule_ids borrows their ids */
    size_t ndropped, cap_dropped;
    struct param **params;
    size_t nparams, cap_params;
    struct strtab param_names;  /* name -> param: duplicate checks and params.NAME */
    struct param_info *pinfo;   /* rebuilt by ruleset_compile */
    size_t *enabled;            /* indices of enabled rules */
    size_t nenabled;
    struct waiver **waivers;    /* every waiver loaded, broken ones too */
    size_t nwaivers, cap_waivers;
    size_t *wvalid;             /* indices of the waivers that passed every check */
    size_t nwvalid;
    bool compiled;
};

struct param *ruleset__find_param(const struct ruleset *rs, const char *name, size_t len);
/* The param names, for did-you-mean (caller frees the array). */
const char **ruleset__param_names(const struct ruleset *rs);

/* Validate one parsed rule file (or waiver file, src->waiver_file) and
 * add its rules, params and waivers. */
int load_doc(struct ruleset *rs, const struct rsrc *src, const struct dnode *root,
             struct diags *d);

void load_rule_free(struct rule *r);

/* The checks load.c applies to every map it reads, shared with waivers.c
 * so that waiver entries get the same messages. */
void node_error(struct diags *d, const struct dnode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* File bytes [*a, *b) that show node 'n' as written (quotes included). */
void node_range(const struct dnode *n, size_t *a, size_t *b);
int key_index(struct diags *d, const struct dnode *key, const char *const *keys, size_t n,
              const char *where);
int check_key(struct diags *d, const struct dnode *map, size_t i, struct strtab *seen);
char *string_value(struct diags *d, const struct dnode *key, const struct dnode *val);
/* Parse a `when` written at 'pos'; NULL after reporting a syntax error. */
struct node *load_parse_expr(const char *text, size_t len, const struct spos *pos,
                             struct diags *d);

/* Read a `waivers:` list (waivers.c). */
void waivers_from_doc(struct ruleset *rs, const struct rsrc *src, const struct dnode *list,
                      struct diags *d);
/* Check rule ids and `when` types; list the waivers that passed. */
int waivers_compile(struct ruleset *rs, struct diags *d);
void waiver_free(struct waiver *w);

/* Resolve names, type-check and compile one rule's expression. */
int check_rule(struct ruleset *rs, struct rule *r, struct diags *d);
/* The same for any condition written at 'pos' ('text', 'len'): a rule's
 * or a waiver's `when`, or --where; 'r' is the rule whose regex counters
 * it sets up, NULL for the others; 'what' names it in the message for a
 * non-boolean ("'when'", "--where"). */
int check_expr(struct ruleset *rs, struct rule *r, struct node *ast, const char *text,
               size_t len, const struct spos *pos, const char *what, struct diags *d);
/* Evaluate a checked expression (see ruleset_eval); 'r' as above. */
enum tri eval_expr(const struct rule *r, const struct node *ast, const struct record *rec,
                   int64_t now_ms, struct eval_scratch *s);
/* Parse and check one rule's message template. */
int check_message(const struct ruleset *rs, struct rule *r, struct diags *d);

/* ---- builtins ---- */

enum builtin {
    B_AGE, B_EXISTS, B_LOWER, B_UPPER, B_LEN, B_STARTS_WITH, B_ENDS_WITH,
    B_CONTAINS, B_ANY, B_COUNT, B_FIELD, B_COUNT_
};

struct builtin_def {
    const char *name;
    int nargs;
    const char *usage;          /* for arity errors */
};
extern const struct builtin_def builtin_defs[B_COUNT_];
int builtin_lookup(const char *name, size_t len);

#endif
