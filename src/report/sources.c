/* SPDX-License-Identifier: MIT
 * A merged report's sources (report.h, struct report_source): where each
 * image came from, and the per-source summary rows. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

const char *report_source_project_id(const struct report *rep, uint32_t source)
{
    if (rep->n_sources)
        return source < rep->n_sources ? rep->sources[source].project_id : NULL;
    return rep->meta.project_id;
}

const char *report_source_region(const struct report *rep, uint32_t source)
{
    if (rep->n_sources)
        return source < rep->n_sources ? rep->sources[source].region : NULL;
    return rep->meta.region;
}

const char *report_image_project_id(const struct report *rep, const struct report_image *img)
{
    return report_source_project_id(rep, img->source);
}

const char *report_image_region(const struct report *rep, const struct report_image *img)
{
    return report_source_region(rep, img->source);
}

void report_count_sources(struct report *rep)
{
    if (rep->spill) {
        /* Counted while it was built: by the merge's combiner into
         * sources[] itself, or by report/stream.c into counted_sources. */
        for (size_t k = 0; k < rep->n_sources && k < rep->n_counted_sources; k++) {
            const struct report_source *c = &rep->counted_sources[k];
            struct report_source *o = &rep->sources[k];
            o->images = c->images;
            o->images_with_findings = c->images_with_findings;
            o->findings = c->findings;
            memcpy(o->open, c->open, sizeof o->open);
            o->open_total = c->open_total;
            o->waived_total = c->waived_total;
        }
        return;
    }
    for (size_t k = 0; k < rep->n_sources; k++) {
        struct report_source *s = &rep->sources[k];
        s->images = s->images_with_findings = s->findings = 0;
        s->open_total = s->waived_total = 0;
        memset(s->open, 0, sizeof s->open);
    }
    if (!rep->n_sources)
        return;
    for (size_t i = 0; i < rep->n_images; i++) {
        const struct report_image *img = &rep->images[i];
        if (img->source >= rep->n_sources)
            continue;
        struct report_source *s = &rep->sources[img->source];
        s->images++;
        s->images_with_findings += img->findings > 0;
    }
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = &rep->findings[i];
        uint32_t k = rep->images[fi->image].source;
        if (k >= rep->n_sources)
            continue;
        struct report_source *s = &rep->sources[k];
        s->findings++;
        if (fi->status == FINDING_WAIVED) {
            s->waived_total++;
        } else {
            s->open[rep->rules[fi->rule].severity]++;
            s->open_total++;
        }
    }
}

/* ---- the same rules ---- */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Do 'x' and 'y' ('n' strings each) hold the same strings, in any
 * order? Sorts both. */
static bool same_strings(const char **x, const char **y, size_t n)
{
    qsort(x, n, sizeof *x, cmp_str);
    qsort(y, n, sizeof *y, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (strcmp(x[i], y[i]) != 0)
            return false;
    return true;
}

bool report_same_rulefiles(const struct report_meta *a, const struct report_meta *b)
{
    if (a->n_rulefiles != b->n_rulefiles)
        return false;
    size_t n = a->n_rulefiles;
    const char **x = xcalloc(n + 1, sizeof *x), **y = xcalloc(n + 1, sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = a->rulefiles[i].sha256;
        y[i] = b->rulefiles[i].sha256;
    }
    bool same = same_strings(x, y, n);
    free(x);
    free(y);
    return same;
}

bool report_same_params(const struct report_meta *a, const struct report_meta *b)
{
    if (a->n_params != b->n_params)
        return false;
    size_t n = a->n_params;
    const char **x = xcalloc(n + 1, sizeof *x), **y = xcalloc(n + 1, sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = xasprintf("%s=%s", a->params[i].name, a->params[i].value);
        y[i] = xasprintf("%s=%s", b->params[i].name, b->params[i].value);
    }
    bool same = same_strings(x, y, n);
    for (size_t i = 0; i < n; i++) {
        free((char *)x[i]);
        free((char *)y[i]);
    }
    free(x);
    free(y);
    return same;
}

bool report_baseline_in_scope(const struct report_meta *m)
{
    const char *was = m->baseline.where, *is = m->where;
    return !is || (was && strcmp(was, is) == 0);
}
