/* SPDX-License-Identifier: MIT
 * Time parsing/formatting without the C library's locale and time-zone
 * state: days-from-civil arithmetic (H. Hinnant's algorithm) keeps it
 * exact, thread-safe and independent of TZ. */
#include "util/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int time_parse(const char *s, int64_t *out_ms)
{
    if (!s || !*s)
        return -1;
    /* Epoch milliseconds: all digits (optionally negative). */
    const char *q = s + (*s == '-');
    if (*q && strspn(q, "0123456789") == strlen(q)) {
        errno = 0;
        char *end;
        long long v = strtoll(s, &end, 10);
        if (errno || *end || !TIME_IN_RANGE(v))
            return -1;
        *out_ms = v;
        return 0;
    }
    const char *p = s;
    int Y, M, D, h, mi, sec;
    if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' ||
        digits(&p, 2, &D) || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
        digits(&p, 2, &sec))
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (D > mdays[M - 1])
        return -1;
    int64_t ms = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        int64_t frac = 0;
        while (isdigit((unsigned char)*p)) {
            if (n < 3) {
                frac = frac * 10 + (*p - '0');
                n++;
            }
            p++;
        }
        if (n == 0)
            return -1;
        while (n < 3) {
            frac *= 10;
            n++;
        }
        ms = frac;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p)
        return -1;
    int64_t days = days_from_civil(Y, (unsigned)M, (unsigned)D);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - off;
    /* A zone offset can carry 0000-01-01 or 9999-12-31 across the range. */
    if (!TIME_IN_RANGE(secs * 1000 + ms))
        return -1;
    *out_ms = secs * 1000 + ms;
    return 0;
}

void time_format_iso(int64_t ms, char *out)
{
    int64_t secs = ms / 1000, rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        secs -= 1;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        /* Every time in data: digits by hand, no printf (the CSV and
         * XLSX writers format two times per finding). */
        unsigned f[6] = {(unsigned)y, m, d, (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60),
                         (unsigned)(sod % 60)};
        char *o = out;
        *o++ = (char)('0' + f[0] / 1000);
        *o++ = (char)('0' + f[0] / 100 % 10);
        for (int i = 0; i < 6; i++) {
            *o++ = (char)('0' + f[i] / 10 % 10);
            *o++ = (char)('0' + f[i] % 10);
            *o++ = "--T::."[i];
        }
        o--;                    /* the last separator: '.' or 'Z' below */
        if (rem) {
            *o++ = '.';
            *o++ = (char)('0' + rem / 100);
            *o++ = (char)('0' + rem / 10 % 10);
            *o++ = (char)('0' + rem % 10);
        }
        *o++ = 'Z';
        *o = '\0';
        return;
    }
    int n = snprintf(out, TIME_ISO_MAX, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d", y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    if (n < 0 || n >= TIME_ISO_MAX - 6)
        n = TIME_ISO_MAX - 6;
    if (rem)
        snprintf(out + n, (size_t)(TIME_ISO_MAX - n), ".%03dZ", (int)rem);
    else
        snprintf(out + n, (size_t)(TIME_ISO_MAX - n), "Z");
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int duration_parse(const char *s, size_t len, int64_t *out_ms)
{
    if (len < 2)
        return -1;
    int64_t unit;
    switch (s[len - 1]) {
    case 'd': unit = 86400000; break;
    case 'h': unit = 3600000; break;
    case 'm': unit = 60000; break;
    case 's': unit = 1000; break;
    default: return -1;
    }
    int64_t v = 0;
    for (size_t i = 0; i < len - 1; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        if (v > (INT64_MAX / unit - 9) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out_ms = v * unit;
    return 0;
}

void duration_format(int64_t ms, char *out)
{
    static const struct { int64_t ms; char u; } units[] = {
        {86400000, 'd'}, {3600000, 'h'}, {60000, 'm'}, {1000, 's'}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (ms != 0 && ms % units[i].ms == 0) {
            snprintf(out, 32, "%" PRId64 "%c", ms / units[i].ms, units[i].u);
            return;
        }
    }
    snprintf(out, 32, "%" PRId64 "ms", ms);
}
