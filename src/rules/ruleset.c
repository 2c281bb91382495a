/* SPDX-License-Identifier: MIT
 * The public face of the rules module (rules.h): loading files, --set,
 * compiling, and the read-only accessors. Each stage lives in its own
 * file; this one only sequences them and owns the memory. */
#include "rules/internal.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/suggest.h"
#include "util/xalloc.h"

/* Rule files are small; this cap stops a wrong path (a log, a disk
 * image) from being read whole before it fails to parse. */
#define RULE_FILE_MAX (16u << 20)

struct ruleset *ruleset_new(void)
{
    return xcalloc(1, sizeof(struct ruleset));
}

void ruleset_free(struct ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nrules; i++)
        load_rule_free(rs->rules[i]);
    free(rs->rules);
    for (size_t i = 0; i < rs->ndropped; i++)
        load_rule_free(rs->dropped[i]);
    free(rs->dropped);
    for (size_t i = 0; i < rs->nparams; i++)
        params_free(rs->params[i]);
    free(rs->params);
    strtab_dispose(&rs->rule_ids);
    strtab_dispose(&rs->param_names);
    free(rs->pinfo);
    free(rs->enabled);
    for (size_t i = 0; i < rs->nwaivers; i++)
        waiver_free(rs->waivers[i]);
    free(rs->waivers);
    free(rs->wvalid);
    for (struct rsrc *s = rs->srcs, *next; s; s = next) {
        next = s->next;
        rsrc_free(s);
    }
    free(rs);
}

struct param *ruleset__find_param(const struct ruleset *rs, const char *name, size_t len)
{
    return strtab_get(&rs->param_names, name, len);
}

const char **ruleset__param_names(const struct ruleset *rs)
{
    const char **v = xcalloc(rs->nparams + 1, sizeof *v);
    for (size_t i = 0; i < rs->nparams; i++)
        v[i] = rs->params[i]->name;
    return v;
}

static int add_text(struct ruleset *rs, const char *path, const char *name, const char *text,
                    size_t len, bool waiver_file, struct diags *d)
{
    size_t before = d->errors;
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    struct rsrc *src = rsrc_new(path, name, copy, len);
    sha256_hex(copy, len, src->sha256);
    src->waiver_file = waiver_file;
    /* Keep every file: diagnostics found at compile time point into it. */
    struct rsrc **tail = &rs->srcs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = src;
    if (memchr(copy, '\0', len)) {
        src_diag(d, DIAG_ERROR, src, 0, 1, "not a text file (contains a NUL byte)");
        return -1;
    }
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", copy[i]))
        i++;
    struct dnode *root = i < len && copy[i] == '{' ? doc_parse_json(src, d)
                                                   : doc_parse_yaml(src, d);
    if (root) {
        load_doc(rs, src, root, d);
        doc_free(root);
    }
    return d->errors > before ? -1 : 0;
}

int ruleset_add_text(struct ruleset *rs, const char *path, const char *text, size_t len,
                     struct diags *d)
{
    return add_text(rs, path, NULL, text, len, false, d);
}

int ruleset_add_waiver_text(struct ruleset *rs, const char *path, const char *text, size_t len,
                            struct diags *d)
{
    return add_text(rs, path, NULL, text, len, true, d);
}

static int add_file(struct ruleset *rs, const char *path, const char *name, bool waiver_file,
                    struct diags *d)
{
    const char *what = waiver_file ? "waiver file" : "rule file";
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot open %s: %s", what,
                  strerror(errno));
        return -1;
    }
    struct buf b;
    buf_init(&b, RULE_FILE_MAX);
    int rc = buf_read_stream(&b, f);
    int err = errno;
    fclose(f);
    if (rc == -1)
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "%s is too large (limit %u MiB)", what,
                  RULE_FILE_MAX >> 20);
    else if (rc < 0)
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read %s: %s", what,
                  strerror(err));
    else
        rc = add_text(rs, path, name, buf_cstr(&b), b.len, waiver_file, d);
    buf_dispose(&b);
    return rc;
}

int ruleset_add_file(struct ruleset *rs, const char *path, struct diags *d)
{
    return add_file(rs, path, NULL, false, d);
}

int ruleset_add_waiver_file(struct ruleset *rs, const char *path, struct diags *d)
{
    return add_file(rs, path, NULL, true, d);
}

int ruleset_add_file_as(struct ruleset *rs, const char *path, const char *name,
                        struct diags *d)
{
    return add_file(rs, path, name, false, d);
}

int ruleset_add_waiver_file_as(struct ruleset *rs, const char *path, const char *name,
                               struct diags *d)
{
    return add_file(rs, path, name, true, d);
}

int ruleset_set_param(struct ruleset *rs, const char *name, const char *value,
                      struct diags *d)
{
    struct param *p = ruleset__find_param(rs, name, strlen(name));
    if (!p) {
        const char **names = ruleset__param_names(rs);
        const char *s = suggest_best(name, strlen(name), names, rs->nparams);
        if (s)
            diags_error(d, "--set: unknown param '%s' (did you mean '%s'?)", name, s);
        else if (rs->nparams == 0)
            diags_error(d, "--set: unknown param '%s' (the rule files declare no params)",
                        name);
        else
            diags_error(d, "--set: unknown param '%s'", name);
        free(names);
        return -1;
    }
    return params_set(p, value, d);
}

int ruleset_compile(struct ruleset *rs, struct diags *d)
{
    size_t before = d->errors;
    free(rs->enabled);
    rs->enabled = xcalloc(rs->nrules + 1, sizeof *rs->enabled);
    rs->nenabled = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        struct rule *r = rs->rules[i];
        /* Freshly typed each time: a node resolved before would keep a
         * stale param pointer. compile is called once in practice. */
        int bad = check_rule(rs, r, d) < 0;
        bad |= check_message(rs, r, d) < 0;
        /* A rule that failed its checks is never evaluated, even by a
         * caller that ignores the return value. */
        if (r->enabled && !r->broken && !bad)
            rs->enabled[rs->nenabled++] = i;
    }
    waivers_compile(rs, d);
    free(rs->pinfo);
    rs->pinfo = xcalloc(rs->nparams + 1, sizeof *rs->pinfo);
    for (size_t i = 0; i < rs->nparams; i++) {
        const struct param *p = rs->params[i];
        rs->pinfo[i] = (struct param_info){p->name, p->text, params_type_name(p->type)};
    }
    rs->compiled = true;
    return d->errors > before ? -1 : 0;
}

size_t ruleset_count(const struct ruleset *rs)
{
    return rs->nenabled;
}

const struct rule_info *ruleset_rule(const struct ruleset *rs, size_t i)
{
    return i < rs->nenabled ? &rs->rules[rs->enabled[i]]->info : NULL;
}

/* Rule files and waiver files share one list (diagnostics point into
 * both); these count and pick within one kind. */
static size_t count_files(const struct ruleset *rs, bool waiver_files)
{
    size_t n = 0;
    for (const struct rsrc *s = rs->srcs; s; s = s->next)
        n += s->waiver_file == waiver_files;
    return n;
}

static struct rulefile_info nth_file(const struct ruleset *rs, size_t i, bool waiver_files)
{
    const struct rsrc *s = rs->srcs;
    for (; s; s = s->next)
        if (s->waiver_file == waiver_files && i-- == 0)
            break;
    assert(s);
    return (struct rulefile_info){s->name, s->sha256, s->text, s->len};
}

size_t ruleset_file_count(const struct ruleset *rs)
{
    return count_files(rs, false);
}

struct rulefile_info ruleset_file(const struct ruleset *rs, size_t i)
{
    return nth_file(rs, i, false);
}

size_t ruleset_waiver_file_count(const struct ruleset *rs)
{
    return count_files(rs, true);
}

struct rulefile_info ruleset_waiver_file(const struct ruleset *rs, size_t i)
{
    return nth_file(rs, i, true);
}

size_t ruleset_param_count(const struct ruleset *rs)
{
    return rs->compiled ? rs->nparams : 0;
}

const struct param_info *ruleset_param(const struct ruleset *rs, size_t i)
{
    return rs->compiled && i < rs->nparams ? &rs->pinfo[i] : NULL;
}
