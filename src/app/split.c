/* SPDX-License-Identifier: MIT
 * --split-by: parts, their file names, their reports and the index; see
 * split.h. */
/* realpath() is XSI, beyond the _POSIX_C_SOURCE the build sets. */
#define _XOPEN_SOURCE 700
#include "app/split.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/splitindex.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/exitcodes.h"
#include "util/strtab.h"
#include "util/xalloc.h"

static const struct {
    const char *by;
    int field;
} split_keys[] = {
    {"namespace", F_NAMESPACE},
    {"registry", F_REGISTRY_NAME},
    {"image_type", F_IMAGE_TYPE},
};

int split_field(const char *by)
{
    for (size_t i = 0; i < sizeof split_keys / sizeof split_keys[0]; i++)
        if (strcmp(by, split_keys[i].by) == 0)
            return split_keys[i].field;
    return -1;
}

const char *split_key_name(size_t i)
{
    return i < sizeof split_keys / sizeof split_keys[0] ? split_keys[i].by : NULL;
}

int split_check(const char *by, const char *const *outputs, size_t n, struct diags *d)
{
    if (split_field(by) < 0) {
        diags_error(d, "--split-by: '%s' is not a key to split by (namespace, registry, "
                    "image_type)", by);
        return -1;
    }
    if (n == 0) {
        diags_error(d, "--split-by writes each -o once per %s: give at least one -o FILE", by);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!atomic_replaces(outputs[i])) {
            diags_error(d, "--split-by: -o %s is not a file that parts can be written beside "
                        "(standard output, a device or a FIFO); write the reports to files",
                        outputs[i]);
            return -1;
        }
    return 0;
}

/* ---- names ---- */

static bool reserved_device(const char *s, size_t n)
{
    static const char *const names[] = {"CON", "PRN", "AUX", "NUL"};
    for (size_t i = 0; i < 4; i++)
        if (n == 3 && strncasecmp(s, names[i], 3) == 0)
            return true;
    return n == 4 && (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) &&
           s[3] >= '1' && s[3] <= '9';
}

char *split_safe_name(const char *key)
{
    if (!key)
        return xstrdup("(none)");
    if (!*key)
        return xstrdup("(empty)");
    size_t n = strlen(key);
    if (n > SPLIT_NAME_MAX) {
        n = SPLIT_NAME_MAX;
        while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
            n--;            /* not inside a UTF-8 sequence */
    }
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        bool bad = c < 0x20 || c == 0x7f || strchr("/\\<>:\"|?*", c);
        buf_append(&b, bad ? "_" : &key[i], 1);
    }
    char *s = xstrdup(buf_cstr(&b));
    buf_dispose(&b);
    /* "..", ".hidden": no leading dot; "x." and "x ": Windows drops them. */
    for (char *p = s; *p == '.'; p++)
        *p = '_';
    for (size_t i = strlen(s); i > 0 && (s[i - 1] == '.' || s[i - 1] == ' '); i--)
        s[i - 1] = '_';
    size_t stem = strcspn(s, ".");
    if (reserved_device(s, stem)) {
        char *t = xasprintf("%.*s_%s", (int)stem, s, s + stem);
        free(s);
        s = t;
    }
    return s;
}

/* Where the extension of the last component of 'path' starts (its
 * length when it has none). */
static size_t ext_at(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    static const char junit[] = ".junit.xml";
    if (n > sizeof junit - 1 && strcasecmp(base + n - (sizeof junit - 1), junit) == 0)
        return (size_t)(base - path) + n - (sizeof junit - 1);
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? (size_t)(dot - path) : strlen(path);
}

char *split_part_path(const char *path, const char *name)
{
    size_t at = ext_at(path);
    return xasprintf("%.*s.%s%s", (int)at, path, name, path + at);
}

/* ---- the plan ---- */

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is 'name' among the first 'n' names (ASCII case ignored), or the
 * index's? */
static bool name_taken(const struct split_part *parts, size_t n, const char *name)
{
    if (strcasecmp(name, "index") == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(parts[i].name, name) == 0)
            return true;
    return false;
}

void split_plan_make(struct split_plan *p, const char *by, const struct report *all,
                     const struct render_job *jobs, size_t n_jobs)
{
    memset(p, 0, sizeof *p);
    p->by = by;
    p->field = split_field(by);
    p->n_jobs = n_jobs;
    /* The distinct keys (copies: a spilled report's image strings last
     * only a few reads), and whether any image has none. */
    struct strtab seen = STRTAB_INIT;
    const char **keys = NULL;
    size_t u = 0, cap = 0;
    bool none = false;
    for (size_t i = 0; i < all->n_images; i++) {
        const struct rcell *c = &report_image_at(all, i)->c[p->field];
        if (c->state != CELL_OK) {
            none = true;
            continue;
        }
        size_t len = strlen(c->v.s);
        if (strtab_get(&seen, c->v.s, len))
            continue;
        XGROW(keys, cap, u + 1);
        keys[u] = xstrdup(c->v.s);
        strtab_put(&seen, keys[u], len, (void *)keys[u]);
        u++;
    }
    strtab_dispose(&seen);
    if (u)                      /* qsort(NULL, 0) is undefined */
        qsort(keys, u, sizeof *keys, cmp_key);
    p->parts = xcalloc(u + 2, sizeof *p->parts);
    if (none)
        p->parts[p->n_parts++].key = NULL;
    for (size_t i = 0; i < u; i++)
        p->parts[p->n_parts++].key = keys[i];
    free(keys);

    for (size_t i = 0; i < p->n_parts; i++) {
        struct split_part *part = &p->parts[i];
        char *name = split_safe_name(part->key);
        for (unsigned k = 2; name_taken(p->parts, i, name); k++) {
            free(name);
            char *base = split_safe_name(part->key);
            name = xasprintf("%s-%u", base, k);
            free(base);
        }
        part->name = name;
        part->paths = xcalloc(n_jobs + 1, sizeof *part->paths);
        for (size_t j = 0; j < n_jobs; j++)
            part->paths[j] = split_part_path(jobs[j].path, name);
    }
    if (n_jobs) {
        /* NAME.index.html and NAME.index.json, whatever the first -o is. */
        size_t at = ext_at(jobs[0].path);
        p->index_html = xasprintf("%.*s.index.html", (int)at, jobs[0].path);
        p->index_json = xasprintf("%.*s.index.json", (int)at, jobs[0].path);
    }
}

void split_plan_dispose(struct split_plan *p)
{
    for (size_t i = 0; i < p->n_parts; i++) {
        for (size_t j = 0; j < p->n_jobs; j++)
            free(p->parts[i].paths[j]);
        free(p->parts[i].paths);
        free(p->parts[i].name);
        free((char *)p->parts[i].key);
    }
    free(p->parts);
    free(p->index_html);
    free(p->index_json);
    memset(p, 0, sizeof *p);
}

/* ---- links in the index ---- */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xasprintf("%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* 'file' as a link from the folder of 'index': its name when they share
 * a folder, else a path relative to the index's folder (both resolved),
 * else 'file' as given. */
static char *link_to(const char *index, const char *file)
{
    char *a = dir_of(index), *b = dir_of(file);
    char *out = NULL;
    if (strcmp(a, b) == 0) {
        out = xstrdup(base_of(file));
    } else {
        char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
        if (ra && rb) {
            size_t common = 0;
            for (size_t i = 0; ra[i] && ra[i] == rb[i]; i++)
                if (ra[i + 1] == '/' || ra[i + 1] == '\0')
                    if (rb[i + 1] == '/' || rb[i + 1] == '\0')
                        common = i + 1;
            struct buf r = BUF_INIT;
            for (const char *p = ra + common; *p; p++)
                if (*p == '/')
                    buf_puts(&r, "../");
            const char *rest = rb + common;
            if (*rest == '/')
                rest++;
            if (*rest)
                buf_printf(&r, "%s/", rest);
            buf_puts(&r, base_of(file));
            out = xstrdup(buf_cstr(&r));
            buf_dispose(&r);
        } else {
            out = xstrdup(file);
        }
        free(ra);
        free(rb);
    }
    free(a);
    free(b);
    return out;
}

/* ---- writing ---- */

/* Keep only the resolved findings of the part's key: a baseline lists
 * every key's (the combined run's scope; the resolved list was trusted
 * only if the baseline had the same --where). */
static void keep_resolved_of(struct report *rep, int field, const char *key)
{
    size_t m = 0;
    for (size_t i = 0; i < rep->n_resolved; i++) {
        const struct rcell *c = &report_finding_image(rep, &rep->resolved[i])->c[field];
        bool mine = c->state == CELL_OK ? key && strcmp(c->v.s, key) == 0 : !key;
        if (mine)
            rep->resolved[m++] = rep->resolved[i];
    }
    if (m != rep->n_resolved) {
        rep->n_resolved = m;
        report_finish(rep);
    }
}

/* Add the part's own diagnostics' errors to 'd': its warnings repeat
 * the combined run's. */
static void keep_errors(struct diags *d, const struct diags *part)
{
    for (size_t i = 0; i < part->n; i++) {
        const struct diag *g = &part->v[i];
        if (g->level == DIAG_ERROR)
            diags_add(d, g->level, g->file, g->line, g->col, g->span, g->srcline, "%s", g->msg);
    }
}

static void print_parts(FILE *out, const struct split_plan *p, const struct split_index *x)
{
    size_t w = strlen("part");
    for (size_t i = 0; i < p->n_parts; i++)
        if (strlen(p->parts[i].name) > w)
            w = strlen(p->parts[i].name);
    fprintf(out, "\nParts (--split-by %s): %zu\n", p->by, p->n_parts);
    fprintf(out, "  %-*s  %7s  %8s  %6s  %s\n", (int)w, "part", "images", "findings", "open",
            "gate");
    for (size_t i = 0; i < p->n_parts; i++) {
        const struct split_index_row *r = &x->parts[i];
        fprintf(out, "  %-*s  %7zu  %8zu  %6zu  %s\n", (int)w, p->parts[i].name, r->images,
                r->findings, r->open_total,
                r->gate == GATE_FAIL ? "FAIL" : report_gate_name(r->gate));
    }
}

static void print_files(FILE *out, const struct split_plan *p, const struct render_job *jobs,
                        const char *snapshot, const char *provenance)
{
    fputs("\nReports:\n", out);
    for (size_t j = 0; j < p->n_jobs; j++)
        fprintf(out, "  %s\n", jobs[j].path);
    fprintf(out, "  %s (index)\n  %s (index)\n", p->index_html, p->index_json);
    for (size_t i = 0; i < p->n_parts; i++)
        for (size_t j = 0; j < p->n_jobs; j++)
            fprintf(out, "  %s\n", p->parts[i].paths[j]);
    if (snapshot)
        fprintf(out, "  %s (snapshot)\n", strcmp(snapshot, "-") == 0 ? "standard output"
                                                                   : snapshot);
    if (provenance)
        fprintf(out, "  %s (its provenance)\n", provenance);
}

/* One row's files, as links from the index. */
static const char **row_files(const char *index, char *const *paths, size_t n)
{
    const char **v = xcalloc(n + 1, sizeof *v);
    for (size_t j = 0; j < n; j++)
        v[j] = link_to(index, paths[j]);
    return v;
}

static void free_files(const char *const *v, size_t n)
{
    for (size_t j = 0; v && j < n; j++)
        free((char *)v[j]);
    free((void *)v);
}

static int write_index(const struct split_plan *p, const struct split_index *x,
                       struct atomic_file *afs, struct diags *d)
{
    if (atomic_open(&afs[0], p->index_html, d) < 0)
        return -1;
    if (render_split_index_html(x, afs[0].fp, d) < 0 || atomic_close(&afs[0], d) < 0) {
        atomic_abort(&afs[0]);
        return -1;
    }
    if (atomic_open(&afs[1], p->index_json, d) < 0) {
        atomic_abort(&afs[0]);
        return -1;
    }
    if (render_split_index_json(x, afs[1].fp, d) < 0 || atomic_close(&afs[1], d) < 0) {
        atomic_abort(&afs[0]);
        atomic_abort(&afs[1]);
        return -1;
    }
    return 0;
}

int split_write(const struct split_plan *p, const struct split_run *r, const struct report *all,
                const struct render_job *jobs, struct diags *d)
{
    size_t nj = p->n_jobs, total = nj * (p->n_parts + 1) + 2;
    struct atomic_file *afs = xcalloc(total, sizeof *afs);
    struct render_job *pj = xcalloc(nj + 1, sizeof *pj);
    struct split_index x = {p->by, all->meta.where, all->meta.now_ms, all->meta.generated_at_ms,
                            {0}, xcalloc(p->n_parts + 1, sizeof *x.parts), p->n_parts};
    char **combined_paths = xcalloc(nj + 1, sizeof *combined_paths);
    for (size_t j = 0; j < nj; j++)
        combined_paths[j] = (char *)jobs[j].path;
    x.combined.files = row_files(p->index_html, combined_paths, nj);
    x.combined.n_files = nj;
    free(combined_paths);
    split_index_counts(&x.combined, all);

    int code = EXIT_OK;
    size_t staged = 0;
    if (render_stage(all, jobs, nj, r->ro, afs, d) < 0) {
        code = EXIT_WRITE;
    } else {
        staged = nj;
    }
    bool gate_failed = all->meta.gate == GATE_FAIL;
    for (size_t i = 0; i < p->n_parts && code == EXIT_OK; i++) {
        const struct split_part *part = &p->parts[i];
        struct selection sel = {r->where, p->field, part->key, r->now_ms};
        struct report rep;
        struct diags pd = DIAGS_INIT;
        code = r->build(r->ctx, &rep, &sel, &pd);
        keep_errors(d, &pd);
        diags_dispose(&pd);
        if (code == EXIT_OK) {
            rep.meta.split.by = report_str(&rep, p->by);
            rep.meta.split.key = report_str(&rep, part->key);
            rep.meta.split.name = report_str(&rep, part->name);
            keep_resolved_of(&rep, p->field, part->key);
            for (size_t j = 0; j < nj; j++)
                pj[j] = (struct render_job){jobs[j].fmt, part->paths[j], 0};
            if (render_stage(&rep, pj, nj, r->ro, afs + staged, d) < 0)
                code = EXIT_WRITE;
            else
                staged += nj;
            struct split_index_row *row = &x.parts[i];
            row->name = part->name;
            row->key = part->key;
            row->files = row_files(p->index_html, part->paths, nj);
            row->n_files = nj;
            split_index_counts(row, &rep);
            gate_failed |= rep.meta.gate == GATE_FAIL;
        }
        report_dispose(&rep);
    }
    if (code == EXIT_OK) {
        if (write_index(p, &x, afs + staged, d) < 0)
            code = EXIT_WRITE;
        else
            staged += 2;
    }
    if (code == EXIT_OK && atomic_commit_all(afs, staged, d) < 0)
        code = EXIT_WRITE;
    if (code != EXIT_OK)
        for (size_t i = 0; i < staged; i++)
            atomic_abort(&afs[i]);

    if (r->summary) {
        render_summary(all, r->summary);
        if (code == EXIT_OK) {
            print_parts(r->summary, p, &x);
            print_files(r->summary, p, jobs, r->snapshot, r->provenance);
        }
    }
    /* As for one report (app.c): a failed gate, then incomplete data. */
    if (code == EXIT_OK && gate_failed)
        code = EXIT_GATE;
    else if (code == EXIT_OK && !all->meta.complete)
        code = EXIT_DATA;
    free_files(x.combined.files, nj);
    for (size_t i = 0; i < p->n_parts; i++)
        free_files(x.parts[i].files, x.parts[i].n_files);
    free(x.parts);
    free(pj);
    free(afs);
    return code;
}
