/* SPDX-License-Identifier: MIT
 * What all writers share: choosing the writer for a format and the
 * all-or-nothing write around a run's reports (cmark's render.c role).
 * Cell values come from the finding column table, src/report/columns.h. */
/* copy_file_range() is a GNU extension (Linux 4.5). */
#define _GNU_SOURCE
#include "render/render.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
    case FMT_XLSX: {
        /* libxlsxwriter opens the file by name itself. It is not safe
         * for two workbooks at once (it formats the creation time with
         * gmtime()), so workbooks (the run's and its evidence copy) are
         * written one at a time. */
        static pthread_mutex_t xlsx_mu = PTHREAD_MUTEX_INITIALIZER;
        atomic_release_stream(af);
        pthread_mutex_lock(&xlsx_mu);
        int rc = render_xlsx(rep, o, af->tmp, d);
        pthread_mutex_unlock(&xlsx_mu);
        return rc;
    }
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

/* ---- writing on several threads ---- */

/* A CSV report of fewer findings is one part: a part costs a temporary
 * file and a copy, which pays only for large reports. */
#define CSV_PART_MIN 50000

/* A piece of a batch's work: job 'job''s report, or part 'part' of
 * 'parts' of it (CSV). Part 0 writes into the job's temporary file, each
 * other part into a nameless file of its own, appended to the job's in
 * order once all are written (stage_join). */
struct task {
    size_t job;
    unsigned part, parts;
    FILE *fp;                       /* part > 0: its own file */
    struct diags d;                 /* its messages, moved into the caller's in order */
    int rc;
};

struct stage {
    const struct report *rep;
    const struct render_job *jobs;
    const struct render_opts *o;
    struct atomic_file *afs;
    struct task *tasks;
    size_t n_tasks;
    size_t next;                    /* the next task no thread has taken */
    pthread_mutex_t mu;
};

static void run_task(struct stage *st, struct task *t)
{
    struct atomic_file *af = &st->afs[t->job];
    if (t->parts > 1) {
        FILE *fp = t->part ? t->fp : af->fp;
        flockfile(fp);
        t->rc = render_csv_part(st->rep, t->part, t->parts, fp, &t->d);
        funlockfile(fp);
        return;
    }
    /* Closed as soon as written: a batch may stage many files. */
    t->rc = render_one(st->rep, st->jobs[t->job].fmt, st->o, af, &t->d) < 0 ||
                    atomic_close(af, &t->d) < 0 ? -1 : 0;
}

/* Take tasks in order until none is left; the order puts the longest
 * first, so that the last to finish is not a long one started late. */
static void *stage_thread(void *arg)
{
    struct stage *st = arg;
    report_reader_begin(st->rep);
    for (;;) {
        pthread_mutex_lock(&st->mu);
        size_t i = st->next < st->n_tasks ? st->next++ : SIZE_MAX;
        pthread_mutex_unlock(&st->mu);
        if (i == SIZE_MAX)
            break;
        run_task(st, &st->tasks[i]);
    }
    report_reader_end(st->rep);
    return NULL;
}

/* How long a format's writer takes, roughly: XLSX by far, then the
 * HTML page (its data block and tables), the JSON and SARIF documents. */
static int weight(enum format f)
{
    switch (f) {
    case FMT_XLSX: return 5;
    case FMT_HTML: return 4;
    case FMT_JSON: return 3;
    case FMT_SARIF: return 2;
    default: return 1;
    }
}

/* A part's nameless file, in $TMPDIR; NULL when it cannot be made (the
 * report is then written in one part). */
static FILE *part_file(void)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/imgaudit-part-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *fp = NULL;
    if (fd >= 0) {
        unlink(path);
        fp = fdopen(fd, "w+b");
        if (!fp)
            close(fd);
    }
    free(path);
    return fp;
}

/* The tasks of jobs[0 .. n), longest first (ties in job order). */
static size_t plan_tasks(const struct report *rep, const struct render_job *jobs, size_t n,
                         unsigned threads, struct task *tasks)
{
    size_t k = 0;
    for (int w = 5; w >= 1; w--)
        for (size_t i = 0; i < n; i++) {
            if (weight(jobs[i].fmt) != w)
                continue;
            unsigned parts = 1;
            if (jobs[i].fmt == FMT_CSV && threads > 1 && rep->n_findings >= CSV_PART_MIN)
                parts = threads;
            FILE *fps[256] = {NULL};
            for (unsigned p = 1; p < parts; p++)
                if (!(fps[p] = part_file())) {
                    for (unsigned q = 1; q < p; q++)
                        fclose(fps[q]);
                    parts = 1;
                    break;
                }
            for (unsigned p = 0; p < parts; p++)
                tasks[k++] = (struct task){i, p, parts, fps[p], DIAGS_INIT, 0};
        }
    return k;
}

/* Copy what 'in' holds to the end of 'out' (both flushed): in the
 * kernel where it can (copy_file_range), else through a buffer. */
static int append_file(FILE *in, FILE *out)
{
    if (fflush(in) != 0 || fflush(out) != 0)
        return -1;
    int ifd = fileno(in), ofd = fileno(out);
    off_t at = 0;
    for (;;) {
        ssize_t k = copy_file_range(ifd, &at, ofd, NULL, (size_t)1 << 30, 0);
        if (k == 0)
            return 0;
        if (k > 0)
            continue;
        if (errno == EINTR)
            continue;
        if (at == 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
                        errno == EOPNOTSUPP))
            break;          /* not between these files: by hand */
        return -1;
    }
    char *buf = xmalloc(1 << 20);
    int rc = 0;
    ssize_t r;
    while (rc == 0 && (r = pread(ifd, buf, 1 << 20, at)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || fwrite(buf, 1, (size_t)r, out) != (size_t)r)
            rc = -1;
        else
            at += r;
    }
    free(buf);
    return rc;
}

/* Append each part of a CSV job to the job's file, in order, and close
 * it. Returns 0, or -1 with the reason in 'd'. */
static int join_parts(struct atomic_file *af, struct task *t, struct diags *d)
{
    int rc = 0;
    for (unsigned p = 1; p < t[0].parts && rc == 0; p++)
        if (append_file(t[p].fp, af->fp) < 0) {
            diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s",
                      strerror(errno));
            rc = -1;
        }
    if (rc < 0) {
        atomic_abort(af);
        return -1;
    }
    return atomic_close(af, d);
}

int render_stage(const struct report *rep, const struct render_job *jobs, size_t n,
                 const struct render_opts *o, struct atomic_file *afs, struct diags *d)
{
    struct render_opts ro = *o;
    if (!ro.full_findings_path)
        ro.full_findings_path = render_companion(jobs, n);
    unsigned threads = o->jobs > 1 ? o->jobs : 1;
    int bad = 0;
    /* Opened first, by this thread: the table of temporary files that a
     * signal cleans up (util/atomicfile.h) is filled by one thread. */
    for (size_t i = 0; i < n && !bad; i++)
        bad = atomic_open(&afs[i], jobs[i].path, d) < 0;
    if (!bad) {
        struct stage st = {rep, jobs, &ro, afs, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER};
        st.tasks = xcalloc(n * (threads > 256 ? 256 : threads) + 1, sizeof *st.tasks);
        st.n_tasks = plan_tasks(rep, jobs, n, threads > 256 ? 256 : threads, st.tasks);
        size_t extra = st.n_tasks < 2 ? 0 : threads - 1 < st.n_tasks - 1 ? threads - 1
                                                                      : st.n_tasks - 1;
        pthread_t *th = xcalloc(extra + 1, sizeof *th);
        size_t started = 0;
        while (started < extra && pthread_create(&th[started], NULL, stage_thread, &st) == 0)
            started++;
        stage_thread(&st);
        for (size_t i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        free(th);
        /* Messages in job order, whatever thread wrote them; then the
         * parts of CSV reports joined. */
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < st.n_tasks; k++) {
                struct task *t = &st.tasks[k];
                if (t->job != i || t->part != 0)
                    continue;
                for (unsigned p = 0; p < t->parts; p++) {
                    bad |= t[p].rc < 0;
                    diags_move(d, &t[p].d);
                }
                if (t->parts > 1 && !bad && join_parts(&afs[i], t, d) < 0)
                    bad = 1;
            }
        for (size_t k = 0; k < st.n_tasks; k++) {
            if (st.tasks[k].part && st.tasks[k].fp)
                fclose(st.tasks[k].fp);
            diags_dispose(&st.tasks[k].d);
        }
        free(st.tasks);
        pthread_mutex_destroy(&st.mu);
    }
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
