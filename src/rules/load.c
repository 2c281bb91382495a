/* SPDX-License-Identifier: MIT
 * Validation of a parsed rule file (doc.h tree, YAML or JSON alike) into
 * rules and params; its `waivers:` go to waivers.c. Each problem is
 * reported where it is, and loading goes on: a rule with a bad key still
 * has its `when` parsed, so one run shows every mistake in the file. */
#include "rules/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/parse.h"
#include "util/strtab.h"
#include "util/suggest.h"
#include "util/xalloc.h"

static const char *const top_keys[] = {"version", "params", "rules", "waivers"};
static const char *const rule_keys[] = {
    "id", "title", "severity", "when", "description", "remediation", "message", "tags",
    "enabled"};
enum { K_ID, K_TITLE, K_SEVERITY, K_WHEN, K_DESCRIPTION, K_REMEDIATION, K_MESSAGE, K_TAGS,
       K_ENABLED, K_COUNT_ };

static size_t span_of(const struct dnode *n)
{
    return n->kind == D_SCALAR && n->n ? n->n : 1;
}

void node_range(const struct dnode *n, size_t *a, size_t *b)
{
    /* The scalar as written (src_diag cuts it at the end of its line). */
    size_t span = span_of(n);
    if (n->pos.style == SP_SQUOTE || n->pos.style == SP_DQUOTE || n->pos.style == SP_JSON)
        span += 2;
    *a = n->pos.off;
    *b = n->pos.off + span;
}

void node_error(struct diags *d, const struct dnode *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t a, b;
    node_range(n, &a, &b);
    src_diag(d, DIAG_ERROR, n->pos.src, a, b, "%s", msg);
}

/* Index of 'key' in 'keys', or -1 after reporting it with a suggestion. */
int key_index(struct diags *d, const struct dnode *key, const char *const *keys, size_t n,
              const char *where)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key->s, keys[i]) == 0)
            return (int)i;
    const char *sug = suggest_best(key->s, key->n, keys, n);
    if (sug)
        node_error(d, key, "unknown key '%s' %s (did you mean '%s'?)", key->s, where, sug);
    else
        node_error(d, key, "unknown key '%s' %s", key->s, where);
    return -1;
}

/* Keys of a map must be plain strings and unique. 'seen' holds the keys
 * of 'map' before 'i' (the caller's, one per map, walked in order): a
 * hash, because a `params:` map may have 100,000 keys. */
int check_key(struct diags *d, const struct dnode *map, size_t i, struct strtab *seen)
{
    const struct dnode *key = map->kids[i];
    if (key->kind != D_SCALAR) {
        node_error(d, key, "a key must be a plain string");
        return -1;
    }
    if (strtab_put(seen, key->s, key->n, (void *)key)) {
        node_error(d, key, "duplicate key '%s'", key->s);
        return -1;
    }
    return 0;
}

/* A scalar's text as a string value ("" for null is not allowed). */
char *string_value(struct diags *d, const struct dnode *key, const struct dnode *val)
{
    if (val->kind != D_SCALAR || val->sk == SK_NULL) {
        node_error(d, val->kind == D_SCALAR ? key : val, "'%s' must be a string", key->s);
        return NULL;
    }
    return xstrndup(val->s, val->n);
}

/* Bounds on a rule's text (docs/rules.md, "Limits"). The strings are
 * copied into findings and report rows (a title is the message of every
 * finding of a rule without one), so an unbounded title costs its size
 * once per finding; these are far above any rule written by hand. */
static const struct {
    size_t max;                 /* bytes */
    const char *hint;           /* what to do instead */
} text_limits[K_COUNT_] = {
    [K_ID] = {256, "shorten it"},
    [K_TITLE] = {1024, "one line; details go in 'description'"},
    [K_DESCRIPTION] = {64 * 1024, "link to a longer document instead"},
    [K_REMEDIATION] = {64 * 1024, "link to a longer document instead"},
    [K_MESSAGE] = {4 * 1024, "it is repeated in every finding; shorten it"},
    [K_WHEN] = {16 * 1024, "split the rule, or move long lists into params"},
};
#define RULE_TAGS_MAX 64                /* tags per rule */
#define RULE_TAG_MAX 64                 /* bytes per tag */

/* string_value() of the value of rule key 'k', within its text limit;
 * NULL and '*bad' after an error. */
static char *bounded_value(struct diags *d, const struct dnode *key, const struct dnode *val,
                           int k, bool *bad)
{
    char *s = string_value(d, key, val);
    if (s && val->n > text_limits[k].max) {
        node_error(d, val, "'%s' is too long: %zu bytes, at most %zu (%s)", key->s, val->n,
                   text_limits[k].max, text_limits[k].hint);
        free(s);
        *bad = true;
        return NULL;
    }
    return s;
}

static int valid_id(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789_.-") == strlen(s);
}

static void rule_free(struct rule *r)
{
    free(r->id);
    free(r->title);
    free(r->description);
    free(r->remediation);
    free(r->when);
    free(r->message);
    if (r->tags)
        for (char **t = r->tags; *t; t++)
            free(*t);
    free(r->tags);
    ast_free(r->ast);
    for (size_t i = 0; i < r->nsegs; i++)
        free(r->segs[i].text);
    free(r->segs);
    free(r->regexes);
    free(r);
}

void load_rule_free(struct rule *r)
{
    rule_free(r);
}

/* The first rule loaded with this id (broken or not), or NULL. */
static const struct rule *find_rule(const struct ruleset *rs, const char *id)
{
    return strtab_get(&rs->rule_ids, id, strlen(id));
}

struct node *load_parse_expr(const char *text, size_t len, const struct spos *pos,
                             struct diags *d)
{
    struct parse_error pe;
    struct node *ast = parse_expr(text, len, &pe);
    if (!ast)
        spos_diag(d, DIAG_ERROR, pos, text, len, pe.start, pe.end, "%s", pe.msg);
    return ast;
}

static void parse_when(struct rule *r, struct diags *d)
{
    r->ast = load_parse_expr(r->when, r->when_len, &r->when_pos, d);
}

/* Free a rule that is too broken to keep. Its id, if it is the first
 * with that id, still claims it: a later rule with the same id is a
 * duplicate whatever else was wrong with this one. */
static void drop_rule(struct ruleset *rs, struct rule *r)
{
    if (!r->id || strtab_put(&rs->rule_ids, r->id, strlen(r->id), r)) {
        rule_free(r);
        return;
    }
    XGROW(rs->dropped, rs->cap_dropped, rs->ndropped + 1);
    rs->dropped[rs->ndropped++] = r;
}

static void load_rule(struct ruleset *rs, const struct rsrc *src, const struct dnode *item,
                      struct diags *d)
{
    if (item->kind != D_MAP) {
        node_error(d, item, "a rule must be a mapping with id, title, severity and when");
        return;
    }
    struct rule *r = xcalloc(1, sizeof *r);
    r->src = src;
    r->enabled = true;
    r->id_off = item->pos.off;
    int sev = SEV_INFO;
    bool seen[K_COUNT_] = {false};
    bool bad = false;
    struct strtab keys = STRTAB_INIT;
    for (size_t i = 0; i + 1 < item->nkids; i += 2) {
        const struct dnode *key = item->kids[i], *val = item->kids[i + 1];
        if (check_key(d, item, i, &keys) != 0)
            continue;
        int k = key_index(d, key, rule_keys, K_COUNT_, "in rule");
        if (k < 0)
            continue;
        seen[k] = true;
        switch (k) {
        case K_ID:
            r->id_off = key->pos.off;
            r->id = bounded_value(d, key, val, k, &bad);
            if (r->id && !valid_id(r->id)) {
                node_error(d, val, "invalid rule id '%s' (use letters, digits, '_', '.' and '-')",
                           r->id);
                bad = true;
            }
            break;
        case K_TITLE: r->title = bounded_value(d, key, val, k, &bad); break;
        case K_DESCRIPTION: r->description = bounded_value(d, key, val, k, &bad); break;
        case K_REMEDIATION: r->remediation = bounded_value(d, key, val, k, &bad); break;
        case K_WHEN:
            r->when = bounded_value(d, key, val, k, &bad);
            r->when_len = val->n;
            r->when_pos = val->pos;
            break;
        case K_MESSAGE:
            r->message = bounded_value(d, key, val, k, &bad);
            r->message_len = val->n;
            r->message_pos = val->pos;
            break;
        case K_SEVERITY: {
            char *s = string_value(d, key, val);
            if (!s)
                break;
            sev = severity_parse(s);
            if (sev < 0) {
                static const char *const sevs[] = {"info", "low", "medium", "high", "critical"};
                const char *sug = suggest_best(s, strlen(s), sevs, 5);
                if (sug)
                    node_error(d, val, "invalid severity '%s' (did you mean '%s'?)", s, sug);
                else
                    node_error(d, val,
                               "invalid severity '%s' (expected info, low, medium, high or "
                               "critical)",
                               s);
                sev = SEV_INFO;
                bad = true;
            }
            free(s);
            break;
        }
        case K_TAGS: {
            if (val->kind != D_SEQ) {
                node_error(d, val, "'tags' must be a list of strings");
                break;
            }
            if (val->nkids > RULE_TAGS_MAX) {
                node_error(d, val, "'tags' has %zu entries, at most %d", val->nkids,
                           RULE_TAGS_MAX);
                bad = true;
                break;
            }
            r->tags = xcalloc(val->nkids + 1, sizeof *r->tags);
            size_t nt = 0;
            for (size_t j = 0; j < val->nkids; j++) {
                const struct dnode *t = val->kids[j];
                if (t->kind != D_SCALAR || t->sk == SK_NULL) {
                    node_error(d, t, "'tags' must be a list of strings");
                    continue;
                }
                if (t->n > RULE_TAG_MAX) {
                    node_error(d, t, "tag is too long: %zu bytes, at most %d", t->n,
                               RULE_TAG_MAX);
                    bad = true;
                    continue;
                }
                r->tags[nt++] = xstrndup(t->s, t->n);
            }
            r->info.n_tags = nt;
            break;
        }
        case K_ENABLED:
            if (val->kind != D_SCALAR || val->sk != SK_BOOL)
                node_error(d, val, "'enabled' must be true or false");
            else
                r->enabled = val->b;
            break;
        }
    }
    strtab_dispose(&keys);
    static const int required[] = {K_ID, K_TITLE, K_SEVERITY, K_WHEN};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (seen[required[i]])
            continue;
        bad = true;
        if (r->id)
            src_diag(d, DIAG_ERROR, src, item->pos.off, item->pos.off + 1,
                     "rule '%s' is missing required key '%s'", r->id, rule_keys[required[i]]);
        else
            src_diag(d, DIAG_ERROR, src, item->pos.off, item->pos.off + 1,
                     "rule is missing required key '%s'", rule_keys[required[i]]);
    }
    if (r->id) {
        const struct rule *first = find_rule(rs, r->id);
        if (first) {
            const struct dnode *idval = NULL;
            for (size_t i = 0; i + 1 < item->nkids; i += 2)
                if (item->kids[i]->s && strcmp(item->kids[i]->s, "id") == 0)
                    idval = item->kids[i + 1];
            node_error(d, idval ? idval : item, "duplicate rule id '%s'", r->id);
            src_diag(d, DIAG_NOTE, first->src, first->id_off, first->id_off + 2,
                     "'%s' first defined here", r->id);
            bad = true;
        }
    }
    if (r->when)
        parse_when(r, d);
    if (bad || !r->id || !r->title || !r->when) {
        if (!r->ast) {
            drop_rule(rs, r);
            return;
        }
        /* Keep a broken rule whose expression parsed, so that one lint
         * run also reports its type errors; it is never evaluated. */
        r->broken = true;
        r->enabled = false;
    }
    if (!r->tags)
        r->tags = xcalloc(1, sizeof *r->tags);
    r->info = (struct rule_info){
        .id = r->id,
        .title = r->title,
        .severity = (enum severity)sev,
        .description = r->description ? r->description : "",
        .remediation = r->remediation ? r->remediation : "",
        .when = r->when,
        .message = r->message ? r->message : "",
        .tags = (const char *const *)r->tags,
        .n_tags = r->info.n_tags,
        .file = src->name,
        .line = rsrc_line(src, r->id_off),
    };
    XGROW(rs->rules, rs->cap_rules, rs->nrules + 1);
    rs->rules[rs->nrules++] = r;
    if (r->id)
        strtab_put(&rs->rule_ids, r->id, strlen(r->id), r);
}

static void load_params(struct ruleset *rs, const struct dnode *map, struct diags *d)
{
    if (map->kind != D_MAP) {
        node_error(d, map, "'params' must be a mapping of names to values");
        return;
    }
    struct strtab keys = STRTAB_INIT;
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        if (check_key(d, map, i, &keys) != 0)
            continue;
        struct param *p = params_from_doc(map->kids[i], map->kids[i + 1], d);
        if (!p)
            continue;
        const struct param *first = strtab_put(&rs->param_names, p->name, strlen(p->name), p);
        if (first) {
            node_error(d, map->kids[i], "duplicate param '%s'", p->name);
            src_diag(d, DIAG_NOTE, first->src, first->name_off,
                     first->name_off + strlen(first->name), "'%s' first defined here",
                     first->name);
            params_free(p);
            continue;
        }
        XGROW(rs->params, rs->cap_params, rs->nparams + 1);
        rs->params[rs->nparams++] = p;
    }
    strtab_dispose(&keys);
}

/* Index of a top-level key in top_keys, or -1 after reporting it. A
 * waiver file knows only `version` and `waivers`: rules and params there
 * would be policy slipped in through the --waivers door. */
static int top_key(struct diags *d, const struct rsrc *src, const struct dnode *key)
{
    if (!src->waiver_file)
        return key_index(d, key, top_keys, 4, "at top level");
    if (strcmp(key->s, "rules") == 0 || strcmp(key->s, "params") == 0) {
        node_error(d, key,
                   "a waiver file holds only 'version' and 'waivers'; %s belong in a rule file "
                   "(--rules)",
                   key->s);
        return -1;
    }
    static const char *const waiver_top_keys[] = {"version", "waivers"};
    int k = key_index(d, key, waiver_top_keys, 2, "at top level");
    return k == 1 ? 3 : k;
}

int load_doc(struct ruleset *rs, const struct rsrc *src, const struct dnode *root,
             struct diags *d)
{
    size_t before = d->errors;
    if (root->kind != D_MAP) {
        node_error(d, root,
                   src->waiver_file
                       ? "a waiver file must be a mapping with 'version' and 'waivers'"
                       : "a rule file must be a mapping with 'version' and 'rules'");
        return -1;
    }
    bool have_version = false;
    const struct dnode *rules = NULL, *waivers = NULL;
    struct strtab keys = STRTAB_INIT;
    /* Params first, whatever the key order: rules of this file may use them. */
    for (size_t i = 0; i + 1 < root->nkids; i += 2) {
        const struct dnode *key = root->kids[i], *val = root->kids[i + 1];
        if (check_key(d, root, i, &keys) != 0)
            continue;
        int k = top_key(d, src, key);
        if (k == 0) {
            have_version = true;
            if (val->kind != D_SCALAR || strcmp(val->s, "1") != 0)
                node_error(d, val, "unsupported version '%s' (this imgaudit reads version 1)",
                           val->kind == D_SCALAR ? val->s : "?");
        } else if (k == 1) {
            load_params(rs, val, d);
        } else if (k == 2) {
            rules = val;
        } else if (k == 3) {
            waivers = val;
        }
    }
    strtab_dispose(&keys);
    if (!have_version)
        src_diag(d, DIAG_ERROR, src, root->pos.off, root->pos.off + 1,
                 "missing required key 'version' (add 'version: 1')");
    if (rules) {
        if (rules->kind != D_SEQ) {
            node_error(d, rules, "'rules' must be a list of rules");
        } else {
            for (size_t i = 0; i < rules->nkids; i++)
                load_rule(rs, src, rules->kids[i], d);
        }
    }
    if (waivers)
        waivers_from_doc(rs, src, waivers, d);
    return d->errors > before ? -1 : 0;
}
