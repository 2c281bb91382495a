/* SPDX-License-Identifier: MIT
 * The live progress line; see progress.h. It writes "\r...\033[K" and
 * never a newline, so a later message starts on a cleared line. */
#include "source/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "util/timefmt.h"

#define PROGRESS_INTERVAL_MS 200

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
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = n > 0 ? n : 1;
}

void progress_clear(struct progress *p)
{
    if (!p->live || !p->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = 0;
}
