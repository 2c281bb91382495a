/* SPDX-License-Identifier: MIT
 * What all writers share: choosing the writer for a format and the
 * all-or-nothing write around a run's reports (cmark's render.c role).
 * Cell values come from the finding column table, src/report/columns.h. */
#include "render/render.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/atomicfile.h"
#include "util/filelabel.h"
#include "util/monotime.h"
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

bool format_is_full(enum format f)
{
    return f == FMT_JSON || f == FMT_HTML || f == FMT_XLSX;
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

/* Write one report into the open temporary file 'af' (a workbook is
 * written by run_book). */
static int render_one(const struct report *rep, enum format fmt, const struct render_opts *o,
                      struct atomic_file *af, struct diags *d)
{
    if (format_is_full(fmt) && rep->images_lean) {  /* not planned for (app.c) */
        fprintf(stderr, "imgaudit: internal error: a %s report of a run whose images were "
                "kept lean (only their findings' columns)\n", format_name(fmt));
        abort();
    }
    switch (fmt) {
    case FMT_CSV: return render_locked(render_csv, rep, o, af->fp, d);
    case FMT_HTML: return render_locked(render_html, rep, o, af->fp, d);
    case FMT_JSON: return render_locked(render_json, rep, o, af->fp, d);
    case FMT_SARIF: return render_locked(render_sarif, rep, o, af->fp, d);
    case FMT_JUNIT: return render_locked(render_junit, rep, o, af->fp, d);
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

/* A large CSV report is cut into chunks of this many findings; the
 * threads that write it format one chunk each at a time, into memory (a
 * few MB), and append the chunks to the file in order. */
#define CSV_CHUNK 8192

/* A job written in chunks by several tasks at once. */
struct chunked {
    size_t n_chunks;
    size_t next;                    /* the next chunk no task has taken */
    size_t written;                 /* chunks appended to the file so far */
};

/* A piece of a batch's work: job 'job''s report, or one of the tasks
 * that write a chunked one. */
struct task {
    size_t job;
    int lane;                       /* a workbook's: 0 writes it, 1 helps (run_book) */
    struct diags d;                 /* its messages, moved into the caller's in job order */
    int rc;
    bool closed;                    /* it closed its job's file (ok or not: rc) */
    double started, ended;          /* monotime_s() around its work */
};

/* A workbook, written by two tasks at once when there are threads for
 * them (render/render.h, lanes): the task of lane 0 creates it, adds its
 * sheets, writes its lane and closes it; the task of lane 1 writes the
 * other lane as soon as the sheets are added. Whichever of the two
 * reaches lane 1 first takes it, so a workbook is finished by one task
 * alone, and when one thread runs both. */
struct book_state {
    struct xlsx_book *book;         /* set once the sheets are added */
    int state;                      /* 0 being created, 1 created, -1 could not be */
    bool lane_taken, lane_done;     /* lane 1 */
};

struct stage {
    const struct report *rep;
    const struct render_job *jobs;
    const struct render_opts *o;
    struct atomic_file *afs;
    struct chunked *chunked;        /* per job; n_chunks 0: written whole */
    struct book_state *books;       /* per job: an XLSX report's lanes */
    int *done;                      /* per job: 0 being written, 1 complete, -1 failed */
    struct task *tasks;
    size_t n_tasks;
    size_t next;                    /* the next task no thread has taken */
    pthread_mutex_t mu;
    pthread_cond_t turn;            /* a chunk was appended, a workbook's lane moved on,
                                     * a job is done */
};

/* The next of 'n' items counted by '*next' (a task, a chunk), taken
 * under the stage's lock, or SIZE_MAX when all are taken. */
static size_t take(struct stage *st, size_t *next, size_t n)
{
    pthread_mutex_lock(&st->mu);
    size_t i = *next < n ? (*next)++ : SIZE_MAX;
    pthread_mutex_unlock(&st->mu);
    return i;
}

/* Take chunks of job 't->job' until none is left: format one into
 * memory, wait for its turn, append it. The task that appends the last
 * chunk closes the file. Cannot deadlock: a chunk is taken only by a
 * running task, which waits only for chunks before it, taken earlier by
 * running tasks. */
static void run_chunks(struct stage *st, struct task *t)
{
    struct chunked *ch = &st->chunked[t->job];
    struct atomic_file *af = &st->afs[t->job];
    size_t n = st->rep->n_findings;
    struct buf b = BUF_INIT;
    for (size_t c; (c = take(st, &ch->next, ch->n_chunks)) != SIZE_MAX;) {
        buf_clear(&b);
        size_t from = c * CSV_CHUNK, to = from + CSV_CHUNK < n ? from + CSV_CHUNK : n;
        render_csv_rows(st->rep, from, to, &b);
        pthread_mutex_lock(&st->mu);
        while (ch->written != c)
            pthread_cond_wait(&st->turn, &st->mu);
        pthread_mutex_unlock(&st->mu);
        /* Its turn: no other task touches the file until 'written' moves. */
        atomic_write(af, b.data, b.len);
        pthread_mutex_lock(&st->mu);
        ch->written++;
        pthread_cond_broadcast(&st->turn);
        pthread_mutex_unlock(&st->mu);
        if (c + 1 == ch->n_chunks) {
            t->rc = atomic_close(af, &t->d);    /* a write error shows here */
            t->closed = true;
        }
    }
    buf_dispose(&b);
}

/* Take lane 1 of workbook 'sb' unless the other task has: true if
 * this task is to write it. */
static bool take_lane(struct stage *st, struct book_state *sb)
{
    pthread_mutex_lock(&st->mu);
    bool mine = !sb->lane_taken;
    sb->lane_taken = true;
    pthread_mutex_unlock(&st->mu);
    return mine;
}

static void book_event(struct stage *st, struct book_state *sb, int state, bool lane_done)
{
    pthread_mutex_lock(&st->mu);
    if (state)
        sb->state = state;
    sb->lane_done |= lane_done;
    pthread_cond_broadcast(&st->turn);
    pthread_mutex_unlock(&st->mu);
}

/* libxlsxwriter is not safe for two workbooks at once (it formats the
 * creation time with gmtime()), so workbooks (a run's two -o FILE.xlsx)
 * are written one at a time. */
static pthread_mutex_t xlsx_mu = PTHREAD_MUTEX_INITIALIZER;

/* Lane 0 of a workbook: the whole of it but lane 1, which it writes too
 * if no other task has taken it, or waits for. libxlsxwriter opens the
 * file by name itself. Cannot
 * deadlock: lane 1 is taken only by a running task, which waits for
 * nothing but this workbook's sheets; this task adds them as soon as it
 * holds xlsx_mu, and the task that holds xlsx_mu finishes its workbook
 * without waiting for any task that has not started. */
static int run_book(struct stage *st, struct task *t)
{
    struct book_state *sb = &st->books[t->job];
    struct atomic_file *af = &st->afs[t->job];
    atomic_release_stream(af);
    pthread_mutex_lock(&xlsx_mu);
    struct xlsx_book *b = xlsx_begin(st->rep, af->tmp, &t->d);
    sb->book = b;
    book_event(st, sb, b ? 1 : -1, false);
    int rc = -1;
    if (b) {
        xlsx_write_lane(b, 0);
        if (take_lane(st, sb)) {
            xlsx_write_lane(b, 1);
        } else {
            pthread_mutex_lock(&st->mu);
            while (!sb->lane_done)
                pthread_cond_wait(&st->turn, &st->mu);
            pthread_mutex_unlock(&st->mu);
        }
        rc = xlsx_end(b, &t->d);
    }
    pthread_mutex_unlock(&xlsx_mu);
    return rc;
}

/* Lane 1 of a workbook, once its sheets are added. */
static void run_book_lane(struct stage *st, struct task *t)
{
    struct book_state *sb = &st->books[t->job];
    if (!take_lane(st, sb))
        return;
    pthread_mutex_lock(&st->mu);
    while (sb->state == 0)
        pthread_cond_wait(&st->turn, &st->mu);
    bool created = sb->state > 0;
    pthread_mutex_unlock(&st->mu);
    if (created)
        xlsx_write_lane(sb->book, 1);
    book_event(st, sb, 0, true);
}

/* A job that gets the bytes of an earlier one (render_job.same_as):
 * they are the same report, so once that one is complete its file is
 * copied rather than written again. Cannot deadlock: copies are the last
 * tasks, and the job copied is written by tasks taken before them, which
 * wait for no copy. A copy of a report that failed fails without a word
 * (that report has one). */
static void run_copy(struct stage *st, struct task *t)
{
    size_t from = st->jobs[t->job].same_as - 1;
    pthread_mutex_lock(&st->mu);
    while (st->done[from] == 0)
        pthread_cond_wait(&st->turn, &st->mu);
    bool ok = st->done[from] > 0;
    pthread_mutex_unlock(&st->mu);
    struct atomic_file *af = &st->afs[t->job];
    t->rc = !ok || atomic_fill_from(af, st->afs[from].tmp, &t->d) < 0 ||
                    atomic_close(af, &t->d) < 0 ? -1 : 0;
}

static void run_task(struct stage *st, struct task *t)
{
    t->started = monotime_s();
    struct atomic_file *af = &st->afs[t->job];
    if (st->jobs[t->job].same_as) {
        run_copy(st, t);
        t->closed = true;
    } else if (st->chunked[t->job].n_chunks) {
        run_chunks(st, t);
    } else if (st->jobs[t->job].fmt == FMT_XLSX && t->lane == 1) {
        run_book_lane(st, t);
    } else {
        /* Closed as soon as written: a batch may stage many files. */
        int rc = st->jobs[t->job].fmt == FMT_XLSX
                     ? run_book(st, t)
                     : render_one(st->rep, st->jobs[t->job].fmt, st->o, af, &t->d);
        t->rc = rc < 0 || atomic_close(af, &t->d) < 0 ? -1 : 0;
        t->closed = true;
    }
    if (t->closed) {
        pthread_mutex_lock(&st->mu);
        st->done[t->job] = t->rc < 0 ? -1 : 1;
        pthread_cond_broadcast(&st->turn);
        pthread_mutex_unlock(&st->mu);
    }
    /* The writers' own messages name no file: it is the report's. */
    for (size_t i = 0; i < t->d.n; i++)
        if (!t->d.v[i].file)
            t->d.v[i].file = xstrdup(st->jobs[t->job].path);
    t->ended = monotime_s();
}

/* Take tasks in order until none is left; the order puts the longest
 * first, so that the last to finish is not a long one started late. */
static void *stage_thread(void *arg)
{
    struct stage *st = arg;
    report_reader_begin(st->rep);
    for (size_t i; (i = take(st, &st->next, st->n_tasks)) != SIZE_MAX;)
        run_task(st, &st->tasks[i]);
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

/* The tasks of the stage's n jobs, longest first (ties in job order): a
 * CSV report of more than one chunk gets one task per thread, a workbook
 * two (its lanes, one after the other, so that two threads take them at
 * once); copies come last. */
static void plan_tasks(struct stage *st, size_t n, unsigned threads)
{
    for (int w = 5; w >= 0; w--)
        for (size_t i = 0; i < n; i++) {
            if ((st->jobs[i].same_as ? 0 : weight(st->jobs[i].fmt)) != w)
                continue;
            if (w == 0) {       /* a copy: one task, after every other */
                st->tasks[st->n_tasks++] = (struct task){i, 0, DIAGS_INIT, 0, false, 0, 0};
                continue;
            }
            size_t chunks = (st->rep->n_findings + CSV_CHUNK - 1) / CSV_CHUNK, tasks = 1;
            if (st->jobs[i].fmt == FMT_CSV && threads > 1 && chunks > 1) {
                st->chunked[i].n_chunks = chunks;
                tasks = chunks < threads ? chunks : threads;
            }
            if (st->jobs[i].fmt == FMT_XLSX && threads > 1)
                tasks = XLSX_LANES;
            for (size_t k = 0; k < tasks; k++)
                st->tasks[st->n_tasks++] = (struct task){i, (int)k, DIAGS_INIT, 0, false, 0, 0};
        }
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
        struct stage st = {rep, jobs, &ro, afs, NULL, NULL, NULL, NULL, 0, 0,
                           PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
        st.chunked = xcalloc(n + 1, sizeof *st.chunked);
        st.books = xcalloc(n + 1, sizeof *st.books);
        st.done = xcalloc(n + 1, sizeof *st.done);
        st.tasks = xcalloc(n * (threads > XLSX_LANES ? threads : XLSX_LANES) + 1,
                           sizeof *st.tasks);
        plan_tasks(&st, n, threads);
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
        /* Messages in job order, whatever thread wrote them; a job's
         * time from its first task's start to its last one's end (the
         * one that closed the file). */
        for (size_t i = 0; i < n; i++) {
            double from = 0, to = 0;
            bool seen = false;
            for (size_t k = 0; k < st.n_tasks; k++)
                if (st.tasks[k].job == i) {
                    const struct task *t = &st.tasks[k];
                    bad |= t->rc < 0;
                    diags_move(d, &st.tasks[k].d);
                    from = !seen || t->started < from ? t->started : from;
                    to = !seen || t->ended > to ? t->ended : to;
                    seen = true;
                }
            if (o->seconds)
                o->seconds[i] = to - from;
        }
        for (size_t k = 0; k < st.n_tasks; k++)
            diags_dispose(&st.tasks[k].d);
        free(st.tasks);
        free(st.chunked);
        free(st.books);
        free(st.done);
        pthread_mutex_destroy(&st.mu);
        pthread_cond_destroy(&st.turn);
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
    struct render_job job = {fmt, path, 0};
    return render_reports(rep, &job, 1, o, d) == 1 ? 0 : -1;
}
