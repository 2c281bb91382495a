/* SPDX-License-Identifier: MIT
 * Hex digit decoding, for the two hand-written JSON-style string readers
 * (the rule lexer's \uXXXX escapes, the API page scanner's) and the
 * digest prefix fetch uses as a dedup key. One definition, so that what
 * counts as a \u escape cannot drift between the rule language and the
 * page scanner.
 *
 * static inline rather than a .c file: the page scanner calls this per
 * escape on every API page, and these are a few compares each. */
#ifndef IMGAUDIT_HEX_H
#define IMGAUDIT_HEX_H

/* The value of hex digit 'c' (either case), or -1. Takes an int like
 * <ctype.h>, so pass bytes as unsigned char; a byte over 0x7F is not a
 * digit either way. */
static inline int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at 's' (the XXXX of a \uXXXX escape) as 0 to
 * 0xFFFF, or -1 when fewer than four bytes are left before 'end' or one
 * of them is not a hex digit. Reads nothing at or past 'end'. */
static inline long hex_u4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_digit((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

#endif
