/* SPDX-License-Identifier: MIT
 * Time parsing and formatting. Internally every time is an int64 count
 * of milliseconds since the Unix epoch, UTC (the API's unit); every time
 * the tool prints or writes is ISO 8601 UTC. */
#ifndef IMGAUDIT_TIMEFMT_H
#define IMGAUDIT_TIMEFMT_H
#include <stddef.h>
#include <stdint.h>

#define TIME_ISO_MAX 32

/* The times imgaudit writes: years 0000 to 9999, the range of the
 * four-digit ISO 8601 form (and of the report schema's time pattern).
 * A value outside it is out-of-range data, not a time. */
#define TIME_MIN_MS (-62167219200000LL)     /* 0000-01-01T00:00:00.000Z */
#define TIME_MAX_MS 253402300799999LL       /* 9999-12-31T23:59:59.999Z */
#define TIME_IN_RANGE(ms) ((ms) >= TIME_MIN_MS && (ms) <= TIME_MAX_MS)

/* Parse RFC 3339 ("2026-11-27T08:00:00Z", "...T08:00:00.5+02:00") or a
 * plain integer of epoch milliseconds. Returns 0, or -1 for anything
 * else, including a time outside TIME_MIN_MS..TIME_MAX_MS. */
int time_parse(const char *s, int64_t *out_ms);

/* Format as "YYYY-MM-DDTHH:MM:SSZ", with ".mmm" before the Z when the
 * milliseconds are not zero. 'out' must hold TIME_ISO_MAX bytes. Only
 * times within TIME_IN_RANGE() have that form; callers with data check
 * first (record_decode treats the rest as out-of-range values). */
void time_format_iso(int64_t ms, char *out);

/* The current time in epoch milliseconds. */
int64_t time_now_ms(void);

/* Parse a duration "30d", "12h", "15m", "45s" (a whole number and a
 * unit) into milliseconds. Returns 0 or -1. */
int duration_parse(const char *s, size_t len, int64_t *out_ms);
/* Format milliseconds as the largest exact unit ("7d", "36h", "90s",
 * "1500ms"). 'out' must hold 32 bytes. */
void duration_format(int64_t ms, char *out);

#endif
