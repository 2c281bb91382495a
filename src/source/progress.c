/* SPDX-License-Identifier: MIT
 * The live progress line; see progress.h. It writes "\r...\033[K" and
 * never a newline, so a later message starts on a cleared line. */
#include "source/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/timefmt.h"

#define PROGRESS_INTERVAL_MS 200
/* A report's evaluation shows nothing before this. */
#define PROGRESS_EVAL_DELAY_MS 1000

void progress_init(struct progress *p, bool quiet)
{
    p->quiet = quiet;
    p->live = !quiet && isatty(STDERR_FILENO);
    p->start_ms = time_now_ms();
    p->last_draw_ms = 0;
    p->drawn = 0;
}

int64_t progress_elapsed_ms(const struct progress *p)
{
    return time_now_ms() - p->start_ms;
}

static void format_eta(char *out, size_t n, double s)
{
    if (s < 0 || s > 359999)
        snprintf(out, n, "--");
    else if (s >= 3600)
        snprintf(out, n, "%dh%02dm", (int)(s / 3600), (int)s % 3600 / 60);
    else if (s >= 60)
        snprintf(out, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
        snprintf(out, n, "%ds", (int)(s + 0.5));
}

static void draw(struct progress *p, const char *line, int n)
{
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = n > 0 ? n : 1;
}

void progress_update(struct progress *p, size_t pages_done, size_t pages_total,
                     size_t records, int64_t total, size_t retries, bool force)
{
    if (!p->live)
        return;
    int64_t now = time_now_ms();
    if (!force && now - p->last_draw_ms < PROGRESS_INTERVAL_MS)
        return;
    p->last_draw_ms = now;
    double secs = (double)(now - p->start_ms) / 1000.0;
    double rate = secs > 0.05 ? (double)records / secs : 0;
    char eta[32];
    if (total > 0 && rate > 0)
        format_eta(eta, sizeof eta, ((double)total - (double)records) / rate);
    else
        format_eta(eta, sizeof eta, -1);
    char line[160];
    int n;
    if (total >= 0)
        n = snprintf(line, sizeof line,
                     "pulling: page %zu/%zu, %zu/%lld records, %.0f rec/s, %zu retries, ETA %s",
                     pages_done, pages_total, records, (long long)total, rate, retries, eta);
    else
        n = snprintf(line, sizeof line, "pulling: first page...");
    draw(p, line, n);
}

int progress_format_eval(char *out, size_t n, size_t records, double secs, uint64_t done,
                         uint64_t total)
{
    double rate = secs > 0.05 ? (double)records / secs : 0;
    if (total == 0 || done > total)
        return snprintf(out, n, "evaluating: %zu records, %.0f rec/s", records, rate);
    double frac = (double)done / (double)total;
    char eta[32];
    format_eta(eta, sizeof eta, frac > 0 ? secs / frac - secs : -1);
    return snprintf(out, n, "evaluating: %zu records (%d%%), %.0f rec/s, ETA %s", records,
                    (int)(frac * 100), rate, eta);
}

void progress_update_eval(struct progress *p, size_t records, uint64_t done, uint64_t total,
                          bool force)
{
    if (!p->live)
        return;
    int64_t now = time_now_ms();
    if (now - p->start_ms < PROGRESS_EVAL_DELAY_MS ||
        (!force && now - p->last_draw_ms < PROGRESS_INTERVAL_MS))
        return;
    p->last_draw_ms = now;
    char line[160];
    int n = progress_format_eval(line, sizeof line, records,
                                 (double)(now - p->start_ms) / 1000.0, done, total);
    draw(p, line, n);
}

void progress_note(struct progress *p, const char *what)
{
    if (p->live && (p->drawn || progress_elapsed_ms(p) >= PROGRESS_EVAL_DELAY_MS))
        draw(p, what, (int)strlen(what));
}

void progress_clear(struct progress *p)
{
    if (!p->live || !p->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = 0;
}
