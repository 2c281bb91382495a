/* SPDX-License-Identifier: MIT
 * Batched, multi-threaded rule evaluation; see evaluate.h.
 *
 * The calling thread is the reader and the merger: it fills a batch with
 * records (their text copied, or the object the reader parsed), hands it
 * to the workers, and adds finished batches to the report strictly in
 * the order they were filled. A worker decodes each record of a batch,
 * evaluates every rule, formats the messages and decides the waivers,
 * all into the batch. With one job there are no threads: the calling
 * thread runs each batch itself, through the same code, which is why any
 * number of jobs gives the same report.
 *
 * An error of the reader ends the filling; it is held back (not yet in
 * the caller's diagnostics) until every batch before it has been merged,
 * because a record in one of them may turn out to be invalid JSON, which
 * the reader would have reported first. */
#include "app/evaluate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/waive.h"
#include "model/fastdecode.h"
#include "model/placeholder.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cpus.h"
#include "util/xalloc.h"

/* A batch closes at this many records or bytes of text: large enough
 * that handing it over costs nothing, small enough that a few in flight
 * stay a few megabytes. */
#define BATCH_RECORDS 1024
#define BATCH_BYTES ((size_t)1 << 20)
#define MAX_IN_FLIGHT 33

/* One finding of a batch: rule, message (at msgs.data + msg, or NO_MSG
 * for the rule's title) and what the waivers decided (matching waivers
 * at matches[match0 ...]). */
#define NO_MSG SIZE_MAX
struct hit {
    uint32_t rule;
    size_t msg;
    size_t match0;
    struct waive_decision dec;
};

struct item {
    size_t off;                 /* the record's text: bytes + off ... */
    struct input_raw where;     /* ... 'len' bytes; where it is in the input */
    json_t *obj;                /* or the object the reader parsed ... */
    unsigned flaws;             /* ... with its placeholder flaws (placeholder.h) */
    size_t index;               /* 0-based record number */
    uint64_t line;              /* its line in JSON Lines, else 0 (data quality) */
    bool skip;                  /* not selected (evaluate_opts.sel): counts nowhere */
    struct record rec;          /* decoded by the worker */
    size_t hit0, n_hits;        /* its findings: hits[hit0 ...] */
};

struct batch {
    /* Filled by the reader. */
    char *bytes;                /* the raw records' text, then FASTDEC_PADDING */
    size_t len, cap;
    struct item *items;
    size_t n, cap_items;
    /* Filled by the worker. */
    struct arena arena;         /* decoded strings with escapes, association_images */
    struct quality q;
    struct quality rq;          /* with a selection: one record's, merged into q if kept */
    struct hit *hits;
    size_t n_hits, cap_hits;
    struct buf msgs;            /* NUL-terminated messages */
    uint32_t *matches;
    size_t n_matches, cap_matches;
    size_t *unknown;            /* per enabled rule: records on which it was unknown */
    size_t *wunknown;           /* per waiver: images on which its `when` was unknown */
    size_t invalid;             /* the first record that is not valid JSON, or n */
    bool done;
};

/* What one evaluating thread owns. */
struct worker {
    struct evaluator *ev;
    pthread_t thread;
    struct fastdec *fd;
    struct eval_scratch *scratch;
    struct waive wv;
};

struct evaluator {
    const struct ruleset *rs;
    const struct selection *sel;    /* NULL: every record */
    const size_t *source_ends;      /* evaluate_opts */
    size_t n_sources;
    int64_t now_ms;
    bool fast;
    size_t batch_records;
    size_t n_rules, n_waivers;
    /* Batches in flight, oldest first: queue[q_head ...], a ring of
     * 'ring'; the first q_taken of the q_len have been taken by a worker. */
    pthread_mutex_t mu;
    pthread_cond_t work, finished;
    struct batch **queue;
    size_t ring, q_head, q_len, q_taken;
    bool quit;
};

/* ---- workers --------------------------------------------------------- */

static void worker_init(struct worker *w, struct evaluator *ev)
{
    memset(w, 0, sizeof *w);
    w->ev = ev;
    w->fd = fastdec_new();
    w->scratch = eval_scratch_new(ev->rs);
    waive_init(&w->wv, ev->rs, ev->now_ms);
}

static void worker_dispose(struct worker *w)
{
    fastdec_free(w->fd);
    eval_scratch_free(w->scratch);
    waive_dispose(&w->wv);
}

/* Decode item 'it' of 'b'; false when its text is not valid JSON. With
 * a selection, its data quality goes to b->rq first (select_item). */
static bool decode_item(struct worker *w, struct batch *b, struct item *it)
{
    struct quality *q = &b->q;
    if (w->ev->sel) {
        quality_init(&b->rq);
        q = &b->rq;
    }
    q->line = it->line;
    if (it->obj) {
        json_t *obj = it->obj;
        it->obj = NULL;     /* the record owns it now */
        record_decode_loaded(&it->rec, obj, it->index, it->flaws, q);
        return true;
    }
    const char *text = b->bytes + it->off;
    if (w->ev->fast &&
        fastdec_record(w->fd, text, it->where.len, it->index, &b->arena, &it->rec, q))
        return true;
    /* Declined (or IMGAUDIT_DECODER=jansson): jansson decides, as the
     * reader would have, placeholders and all. */
    unsigned flaws;
    json_error_t e;
    json_t *obj = placeholder_loadb(text, it->where.len, 0, &flaws, &e);
    if (!obj)
        return false;
    record_decode_loaded(&it->rec, obj, it->index, flaws, q);
    return true;
}

/* Is decoded item 'it' selected? If so its data quality counts. */
static bool select_item(struct worker *w, struct batch *b, struct item *it)
{
    if (!w->ev->sel)
        return true;
    it->skip = !selection_keeps(w->ev->sel, &it->rec, w->scratch);
    if (!it->skip)
        quality_merge(&b->q, &b->rq);
    return !it->skip;
}

static void evaluate_item(struct worker *w, struct batch *b, struct item *it)
{
    const struct evaluator *ev = w->ev;
    waive_next_image(&w->wv);
    it->hit0 = b->n_hits;
    for (size_t r = 0; r < ev->n_rules; r++) {
        enum tri t = ruleset_eval(ev->rs, r, &it->rec, ev->now_ms, w->scratch);
        if (t == TRI_UNKNOWN) {
            b->unknown[r]++;
            continue;
        }
        if (t != TRI_TRUE)
            continue;
        XGROW(b->hits, b->cap_hits, b->n_hits + 1);
        struct hit *h = &b->hits[b->n_hits++];
        h->rule = (uint32_t)r;
        /* A rule without a message template says its title: the finding
         * refers to it rather than copying it (a long title must not
         * cost its length once per finding). */
        h->msg = NO_MSG;
        if (ruleset_rule(ev->rs, r)->message[0]) {
            h->msg = b->msgs.len;
            ruleset_format_message(ev->rs, r, &it->rec, &b->msgs);
            buf_putc(&b->msgs, '\0');
        }
        h->match0 = b->n_matches;
        h->dec = waive_decide(&w->wv, r, &it->rec, w->scratch, b->wunknown, &b->matches,
                              &b->n_matches, &b->cap_matches);
    }
    it->n_hits = b->n_hits - it->hit0;
}

static void run_batch(struct worker *w, struct batch *b)
{
    b->invalid = b->n;
    for (size_t i = 0; i < b->n; i++) {
        if (!decode_item(w, b, &b->items[i])) {
            b->invalid = i;     /* the run stops there: the rest is not needed */
            return;
        }
        if (select_item(w, b, &b->items[i]))
            evaluate_item(w, b, &b->items[i]);
    }
}

/* Take the oldest batch no worker has taken, run it, repeat; stop when
 * told to (batches not taken by then are dropped by the caller). */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct evaluator *ev = w->ev;
    pthread_mutex_lock(&ev->mu);
    while (!ev->quit) {
        if (ev->q_taken == ev->q_len) {
            pthread_cond_wait(&ev->work, &ev->mu);
            continue;
        }
        struct batch *b = ev->queue[(ev->q_head + ev->q_taken++) % ev->ring];
        pthread_mutex_unlock(&ev->mu);
        run_batch(w, b);
        pthread_mutex_lock(&ev->mu);
        b->done = true;
        pthread_cond_broadcast(&ev->finished);
    }
    pthread_mutex_unlock(&ev->mu);
    return NULL;
}

/* ---- batches ----------------------------------------------------------- */

static void batch_init(struct batch *b, const struct evaluator *ev)
{
    memset(b, 0, sizeof *b);
    b->unknown = xcalloc(ev->n_rules + 1, sizeof *b->unknown);
    b->wunknown = xcalloc(ev->n_waivers + 1, sizeof *b->wunknown);
    quality_init(&b->q);
}

/* Empty 'b' for the next records, keeping its memory. */
static void batch_reset(struct batch *b, const struct evaluator *ev)
{
    for (size_t i = 0; i < b->n; i++) {
        record_dispose(&b->items[i].rec);
        json_decref(b->items[i].obj);
    }
    b->n = 0;
    b->len = 0;
    arena_dispose(&b->arena);
    quality_init(&b->q);
    b->n_hits = 0;
    b->n_matches = 0;
    buf_clear(&b->msgs);
    memset(b->unknown, 0, (ev->n_rules + 1) * sizeof *b->unknown);
    memset(b->wunknown, 0, (ev->n_waivers + 1) * sizeof *b->wunknown);
    b->done = false;
}

static void batch_dispose(struct batch *b, const struct evaluator *ev)
{
    batch_reset(b, ev);
    free(b->bytes);
    free(b->items);
    free(b->hits);
    free(b->matches);
    buf_dispose(&b->msgs);
    free(b->unknown);
    free(b->wunknown);
}

static struct item *batch_add(struct batch *b, size_t index)
{
    XGROW(b->items, b->cap_items, b->n + 1);
    struct item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->index = index;
    return it;
}

/* Copy raw record 'r' into 'b', keeping FASTDEC_PADDING bytes after it. */
static struct item *batch_add_raw(struct batch *b, const struct input_raw *r, size_t index)
{
    struct item *it = batch_add(b, index);
    size_t need = b->len + r->len + FASTDEC_PADDING;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : BATCH_BYTES + 4096;
        while (cap < need)
            cap *= 2;
        b->bytes = xrealloc(b->bytes, cap);
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, r->text, r->len);
    it->off = b->len;
    it->where = *r;
    it->where.text = NULL;      /* the reader's copy is gone by then */
    b->len += r->len;
    /* The padding's content does not matter, but reading it must not
     * read uninitialised memory. */
    memset(b->bytes + b->len, ' ', FASTDEC_PADDING);
    return it;
}

/* The source of record number 'index' (evaluate_opts.source_ends); a
 * record beyond the last source's (which a provenance whose SHA-256
 * matches rules out) goes with the last. */
static uint32_t source_of(const struct evaluator *ev, size_t index)
{
    size_t lo = 0, hi = ev->n_sources - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (index < ev->source_ends[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return (uint32_t)lo;
}

/* Add the finished batch 'b' to the report. Returns false when one of
 * its records is not valid JSON (reported in 'd'): the run stops. */
static bool merge_batch(struct report *rep, struct quality *q, struct input *in,
                        struct batch *b, const struct evaluator *ev, struct diags *d)
{
    for (size_t i = 0; i < b->invalid; i++) {
        const struct item *it = &b->items[i];
        if (it->skip)
            continue;
        uint32_t image = report_add_image(rep, &it->rec);
        if (ev->n_sources)
            report_set_image_source(rep, image, source_of(ev, it->index));
        for (size_t k = 0; k < it->n_hits; k++) {
            const struct hit *h = &b->hits[it->hit0 + k];
            size_t f = report_add_finding(rep, h->rule, image,
                                          h->msg == NO_MSG ? NULL : b->msgs.data + h->msg);
            waive_apply(rep, f, &h->dec, b->matches + h->match0);
        }
    }
    for (size_t r = 0; r < ev->n_rules; r++)
        rep->rules[r].unknown += b->unknown[r];
    for (size_t w = 0; w < ev->n_waivers; w++)
        rep->waivers[w].unknown += b->wunknown[w];
    quality_merge(q, &b->q);
    if (b->invalid == b->n)
        return true;
    struct input_raw where = b->items[b->invalid].where;
    where.text = b->bytes + b->items[b->invalid].off;
    input_raw_error(in, &where, d);
    return false;
}

/* ---- the driver -------------------------------------------------------- */

unsigned evaluate_default_jobs(void)
{
    unsigned n = cpus_usable();
    return n > 256 ? 256 : n;
}

/* Fill 'b' from the reader. Returns 1 when the batch is full and more
 * may follow, 0 at the end of the input, -1 after a reader error (held
 * in 'rd'). */
static int fill_batch(const struct evaluator *ev, struct input *in, struct batch *b,
                      size_t *index, struct diags *rd, const struct evaluate_opts *o)
{
    while (b->n < ev->batch_records && b->len < BATCH_BYTES) {
        json_t *obj;
        struct input_raw raw;
        int rc = input_next_raw(in, &obj, &raw, rd);
        if (rc <= 0)
            return rc;
        struct item *it;
        if (rc == 1) {
            it = batch_add(b, (*index)++);
            it->obj = obj;
            it->flaws = input_record_flaws(in);
        } else {
            it = batch_add_raw(b, &raw, (*index)++);
        }
        it->line = input_info(in)->record_line;
        if (o->progress && *index % 64 == 0)
            o->progress(o->progress_ctx, *index, input_info(in));
    }
    return 1;
}

int evaluate_input(struct report *rep, const struct ruleset *rs, struct input *in,
                   int64_t now_ms, const struct evaluate_opts *o, struct diags *d)
{
    struct evaluate_opts defaults = EVALUATE_OPTS_INIT;
    if (!o)
        o = &defaults;
    struct evaluator ev;
    memset(&ev, 0, sizeof ev);
    ev.rs = rs;
    ev.sel = o->sel;
    ev.source_ends = o->source_ends;
    ev.n_sources = o->n_sources;
    ev.now_ms = now_ms;
    ev.fast = !o->jansson;
    ev.batch_records = o->batch_records ? o->batch_records : BATCH_RECORDS;
    ev.n_rules = ruleset_count(rs);
    ev.n_waivers = ruleset_waiver_count(rs);
    waive_add_to_report(rep, rs);

    unsigned jobs = o->jobs ? o->jobs : evaluate_default_jobs();
    size_t n_workers = jobs > 1 ? jobs : 1;
    struct worker *workers = xcalloc(n_workers, sizeof *workers);
    for (size_t i = 0; i < n_workers; i++)
        worker_init(&workers[i], &ev);
    /* Two batches per worker keep every worker busy while the calling
     * thread merges and reads; one more is being filled. At most
     * MAX_IN_FLIGHT (a few MB each), however many jobs. */
    ev.ring = jobs > 1 ? 2 * (size_t)jobs + 1 : 1;
    if (ev.ring > MAX_IN_FLIGHT)
        ev.ring = MAX_IN_FLIGHT;
    struct batch *pool = xcalloc(ev.ring, sizeof *pool);
    for (size_t i = 0; i < ev.ring; i++)
        batch_init(&pool[i], &ev);
    ev.queue = xcalloc(ev.ring, sizeof *ev.queue);
    pthread_mutex_init(&ev.mu, NULL);
    pthread_cond_init(&ev.work, NULL);
    pthread_cond_init(&ev.finished, NULL);
    /* The workers start with a second batch: an input that fits in one
     * (the shipped samples, a small project) is evaluated on this
     * thread, as with one job. Starting a thread costs its stack, its
     * TLS and, at its first malloc, an arena of its own: page faults and
     * system calls that a VM charges dearly, for no work to share. */
    bool threaded = false;

    struct quality q;
    quality_init(&q);
    struct diags rd = DIAGS_INIT;   /* the reader's error, held back */
    size_t index = 0, next_free = 0;
    int rc = 0, filled = 1;
    bool failed = false;
    while (!failed && (filled == 1 || ev.q_len > 0)) {
        /* Fill and hand over batches while there is room. */
        while (filled == 1 && ev.q_len < ev.ring) {
            struct batch *b = &pool[next_free];
            next_free = (next_free + 1) % ev.ring;
            filled = fill_batch(&ev, in, b, &index, &rd, o);
            if (jobs > 1 && !threaded && filled == 1) {     /* more to come */
                for (size_t i = 0; i < n_workers; i++)
                    if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
                        abort();    /* no thread: out of resources, as xmalloc would */
                threaded = true;
            }
            if (!threaded) {
                run_batch(&workers[0], b);
                b->done = true;
            }
            pthread_mutex_lock(&ev.mu);
            ev.queue[(ev.q_head + ev.q_len) % ev.ring] = b;
            ev.q_len++;
            if (!threaded)
                ev.q_taken++;
            pthread_cond_signal(&ev.work);
            pthread_mutex_unlock(&ev.mu);
        }
        if (ev.q_len == 0)
            break;
        /* Merge the oldest batch once it is done. */
        pthread_mutex_lock(&ev.mu);
        struct batch *head = ev.queue[ev.q_head];
        while (!head->done)
            pthread_cond_wait(&ev.finished, &ev.mu);
        pthread_mutex_unlock(&ev.mu);
        failed = !merge_batch(rep, &q, in, head, &ev, d);
        batch_reset(head, &ev);
        pthread_mutex_lock(&ev.mu);
        ev.queue[ev.q_head] = NULL;
        ev.q_head = (ev.q_head + 1) % ev.ring;
        ev.q_len--;
        ev.q_taken--;
        pthread_mutex_unlock(&ev.mu);
    }
    if (failed) {
        rc = -1;
    } else if (filled < 0) {
        diags_move(d, &rd);
        rc = -1;
    }
    diags_dispose(&rd);

    /* Stop the workers; after a failure, batches still in flight are
     * finished or never started, and dropped either way. */
    pthread_mutex_lock(&ev.mu);
    ev.quit = true;
    pthread_cond_broadcast(&ev.work);
    pthread_mutex_unlock(&ev.mu);
    if (threaded)
        for (size_t i = 0; i < n_workers; i++)
            pthread_join(workers[i].thread, NULL);
    for (size_t i = 0; i < n_workers; i++)
        worker_dispose(&workers[i]);
    free(workers);
    for (size_t i = 0; i < ev.ring; i++)
        batch_dispose(&pool[i], &ev);
    free(pool);
    free(ev.queue);
    pthread_mutex_destroy(&ev.mu);
    pthread_cond_destroy(&ev.work);
    pthread_cond_destroy(&ev.finished);

    report_set_quality(rep, &q);
    /* Evaluation has no diagnostics of its own: ask once the records are
     * done, and keep in the report which rules lost a regex to its cost. */
    ruleset_regex_warnings(rs, d);
    for (size_t r = 0; r < ev.n_rules; r++) {
        rep->rules[r].regex_limit_hits = ruleset_rule_regex_limit_hits(rs, r);
        rep->rules[r].regex_disabled = ruleset_rule_regex_disabled(rs, r);
    }
    return rc;
}
