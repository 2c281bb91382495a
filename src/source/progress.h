/* SPDX-License-Identifier: MIT
 * Progress on stderr, of the pull and of a report's evaluation. On a
 * terminal: one live line, redrawn at most every 200 ms (so it costs
 * nothing measurable), with what is done out of the total, the rate and
 * an ETA. Not a terminal, or --quiet: nothing. The pull also prints a
 * final one-line summary unless --quiet. */
#ifndef IMGAUDIT_PROGRESS_H
#define IMGAUDIT_PROGRESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
    bool live;              /* draw the live line (stderr is a TTY, not quiet) */
    bool quiet;             /* no summary either */
    int64_t start_ms;
    int64_t last_draw_ms;
    int drawn;              /* width of the line on screen, 0 = none */
};

/* Decide from 'quiet' and isatty(stderr). */
void progress_init(struct progress *p, bool quiet);
/* Redraw if the last draw is at least 200 ms old (or 'force'). */
void progress_update(struct progress *p, size_t pages_done, size_t pages_total,
                     size_t records, int64_t total, size_t retries, bool force);
/* Evaluation: 'records' read so far, and how far through the input that
 * is: 'done' out of 'total' (bytes of a file, or records of a response
 * body's total_num; total 0 when not known). Nothing is shown until the
 * run has taken a second, so that short runs stay silent. */
void progress_update_eval(struct progress *p, size_t records, uint64_t done, uint64_t total,
                          bool force);
/* Its line after 'secs' seconds, e.g.
 *   "evaluating: 120000 records (52%), 45000 rec/s, ETA 12s"
 *   "evaluating: 120000 records, 45000 rec/s"   (total not known)
 * Returns the length, as snprintf. */
int progress_format_eval(char *out, size_t n, size_t records, double secs, uint64_t done,
                         uint64_t total);
/* Show 'what' as the live line (e.g. "writing reports..."), if one has
 * been shown or the run has taken a second. */
void progress_note(struct progress *p, const char *what);
/* Erase the live line, e.g. before another message is printed. */
void progress_clear(struct progress *p);
/* Milliseconds since progress_init. */
int64_t progress_elapsed_ms(const struct progress *p);

#endif
