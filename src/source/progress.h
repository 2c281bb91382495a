/* SPDX-License-Identifier: MIT
 * Pull progress on stderr. On a terminal: one live line, redrawn at
 * most every 200 ms (so it costs nothing measurable), with pages and
 * records done out of the total, the rate, retries and an ETA. Not a
 * terminal: nothing while pulling. Either way a final one-line summary,
 * unless --quiet, which silences both. */
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
/* Erase the live line, e.g. before another message is printed. */
void progress_clear(struct progress *p);
/* Milliseconds since progress_init. */
int64_t progress_elapsed_ms(const struct progress *p);

#endif
