/* SPDX-License-Identifier: MIT
 * What counts as one well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no UTF-16 surrogates, nothing past U+10FFFF), for the three
 * hand-written JSON readers and writers: the API page scanner, the JSON
 * report scanner and the JSON report encoder. One definition, so that
 * the text the pull accepts, the text a report is written with and the
 * text a baseline is read back with cannot drift apart.
 *
 * static inline rather than a .c file: the scanners call this for every
 * non-ASCII character of every page and report, and it is a few compares. */
#ifndef IMGAUDIT_UTF8_H
#define IMGAUDIT_UTF8_H
#include <stddef.h>

/* Length (2 to 4) of the well-formed sequence at 'p', whose lead byte is
 * at least 0x80 and after which 'n' bytes are readable (the lead
 * included), or 0 when there is none. */
static inline size_t utf8_seq_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

#endif
