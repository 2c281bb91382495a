/* SPDX-License-Identifier: MIT
 * What all writers share: choosing the writer for a format and the
 * all-or-nothing write around a run's reports (cmark's render.c role).
 * Cell values come from the finding column table, src/report/columns.h. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/atomicfile.h"
#include "util/filelabel.h"
#include "util/xalloc.h"

static const char *const format_names[FMT_COUNT] = {"csv", "xlsx", "html", "json", "sarif",
                                                    "junit"};

enum format format_parse(const char *name)
{
    for (int f = 0; f < FMT_COUNT; f++)
        if (strcasecmp(name, format_names[f]) == 0)
            return (enum format)f;
    if (strcasecmp(name, "htm") == 0)
        return FMT_HTML;
    return FMT_NONE;
}

enum format format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return FMT_NONE;
    /* ".xml" alone says nothing about the format; ".junit.xml" does. */
    static const char junit[] = ".junit.xml";
    size_t len = strlen(base);
    if (len > sizeof junit - 1 && strcasecmp(base + len - (sizeof junit - 1), junit) == 0)
        return FMT_JUNIT;
    return format_parse(dot + 1);
}

const char *format_name(enum format f)
{
    return f >= 0 && f < FMT_COUNT ? format_names[f] : "none";
}

/* A stream writer on 'fp', holding its lock throughout: once a process
 * has started a thread (report evaluation does), glibc locks the stream
 * in every putc and fputs, which made the CSV writer's byte-by-byte
 * output twice as slow as all the rest of a report; re-entering a lock
 * this thread holds costs next to nothing. */
static int render_locked(int (*render)(const struct report *, const struct render_opts *,
                                       FILE *, struct diags *),
                         const struct report *rep, const struct render_opts *o, FILE *fp,
                         struct diags *d)
{
    flockfile(fp);
    int rc = render(rep, o, fp, d);
    funlockfile(fp);
    return rc;
}

/* Write one report into the open temporary file 'af'. */
static int render_one(const struct report *rep, enum format fmt, const struct render_opts *o,
                      struct atomic_file *af, struct diags *d)
{
    switch (fmt) {
    case FMT_CSV: return render_locked(render_csv, rep, o, af->fp, d);
    case FMT_HTML: return render_locked(render_html, rep, o, af->fp, d);
    case FMT_JSON: return render_locked(render_json, rep, o, af->fp, d);
    case FMT_SARIF: return render_locked(render_sarif, rep, o, af->fp, d);
    case FMT_JUNIT: return render_locked(render_junit, rep, o, af->fp, d);
    case FMT_XLSX:
        /* libxlsxwriter opens the file by name itself. */
        atomic_release_stream(af);
        return render_xlsx(rep, o, af->tmp, d);
    default:
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "unknown report format");
        return -1;
    }
}

const char *render_companion(const struct render_job *jobs, size_t n)
{
    static const enum format prefer[] = {FMT_XLSX, FMT_JSON, FMT_CSV};
    for (size_t p = 0; p < sizeof prefer / sizeof prefer[0]; p++)
        for (size_t i = 0; i < n; i++)
            if (jobs[i].fmt == prefer[p] && atomic_replaces(jobs[i].path))
                return file_base(jobs[i].path);
    return NULL;
}

int render_stage(const struct report *rep, const struct render_job *jobs, size_t n,
                 const struct render_opts *o, struct atomic_file *afs, struct diags *d)
{
    struct render_opts ro = *o;
    if (!ro.full_findings_path)
        ro.full_findings_path = render_companion(jobs, n);
    int bad = 0;
    /* Closed as soon as written: a batch may stage many files. */
    for (size_t i = 0; i < n && !bad; i++)
        bad = atomic_open(&afs[i], jobs[i].path, d) < 0 ||
              render_one(rep, jobs[i].fmt, &ro, &afs[i], d) < 0 ||
              atomic_close(&afs[i], d) < 0;
    if (bad)
        for (size_t i = 0; i < n; i++)
            atomic_abort(&afs[i]);
    return bad ? -1 : 0;
}

int render_reports(const struct report *rep, const struct render_job *jobs, size_t n,
                   const struct render_opts *o, struct diags *d)
{
    struct atomic_file *afs = xcalloc(n + 1, sizeof *afs);
    /* Every report into its temporary file first; the targets are
     * touched only once all of them are complete. */
    int bad = render_stage(rep, jobs, n, o, afs, d) < 0 || atomic_commit_all(afs, n, d) < 0;
    free(afs);
    return bad ? 0 : (int)n;
}

int render_report(const struct report *rep, enum format fmt, const struct render_opts *o,
                  const char *path, struct diags *d)
{
    struct render_job job = {fmt, path};
    return render_reports(rep, &job, 1, o, d) == 1 ? 0 : -1;
}
