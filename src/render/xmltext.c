/* SPDX-License-Identifier: MIT
 * The one mapping of text for the XML writers; see xmltext.h. */
#include "render/xmltext.h"

#include <ctype.h>

/* The well-formed sequences are those of the Unicode standard's table
 * 3-7: the second byte's range depends on the first, which is what
 * rules out overlong forms, surrogates and code points past U+10FFFF. */
size_t xmltext_decode(const unsigned char *p, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        *cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        *cp = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F;          /* U+D800..U+DFFF: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        *cp = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90;          /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F;          /* past U+10FFFF */
    } else {
        *cp = XMLTEXT_BAD;
        return 1;
    }
    for (size_t k = 1; k < n; k++) {
        /* A NUL terminator fails this test, so no read passes it. */
        if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xBF)) {
            *cp = XMLTEXT_BAD;
            return 1;
        }
        *cp = (*cp << 6) | (p[k] & 0x3Fu);
    }
    return n;
}

bool xmltext_allowed(uint32_t cp)
{
    if (cp < 0x20)
        return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    return (cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Text that needs no replacement is copied in runs, not one code point
 * at a time: the SARIF and XLSX writers clean every value, and an
 * append per character was most of what SARIF spent here. */
size_t xmltext_clean(struct buf *out, const char *s)
{
    size_t replaced = 0;
    const unsigned char *p = (const unsigned char *)s, *run = p;
    while (*p) {
        if (*p >= 0x20 && *p < 0x80) {   /* ASCII that XML carries: most text */
            p++;
            continue;
        }
        uint32_t cp;
        size_t n = xmltext_decode(p, &cp);
        if (!xmltext_allowed(cp)) {
            buf_append(out, run, (size_t)(p - run));
            buf_puts(out, XMLTEXT_REPLACEMENT);
            replaced++;
            run = p + n;
        }
        p += n;
    }
    buf_append(out, run, (size_t)(p - run));
    return replaced;
}

void xmltext_escape(struct buf *out, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = xmltext_decode(p, &cp);
        if (!xmltext_allowed(cp))
            buf_puts(out, XMLTEXT_REPLACEMENT);
        else if (cp == '&')
            buf_puts(out, "&amp;");
        else if (cp == '<')
            buf_puts(out, "&lt;");
        else if (cp == '>')
            buf_puts(out, "&gt;");      /* so "]]>" never appears either */
        else if (cp == '\r')
            buf_puts(out, "&#13;");
        else if (attr && cp == '"')
            buf_puts(out, "&quot;");
        else if (attr && cp == '\t')
            buf_puts(out, "&#9;");
        else if (attr && cp == '\n')
            buf_puts(out, "&#10;");
        else
            buf_append(out, p, n);
        p += n;
    }
}

bool xmltext_ooxml_escape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return false;
    for (int k = 2; k < 6; k++)
        if (!isxdigit((unsigned char)s[k]))
            return false;
    return s[6] == '_';
}
