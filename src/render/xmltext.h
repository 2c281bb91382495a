/* SPDX-License-Identifier: MIT
 * Text for the XML writers (XLSX, JUnit) and for SARIF, mapped one
 * documented way (docs/reports.md, "Text that XML cannot carry") so that
 * every format shows a value the same.
 *
 * The mapping: every code point that XML 1.0 cannot carry becomes U+FFFD
 * (the replacement character), one for each. That is the C0 controls
 * other than TAB, LF and CR; U+FFFE and U+FFFF; and every byte that does
 * not start well-formed UTF-8 (a stray continuation byte, a truncated or
 * overlong sequence, an encoded surrogate, anything past U+10FFFF).
 * Everything else is kept, including TAB, LF, CR and the code points
 * XML only discourages (C1 controls, U+FDD0..U+FDEF, the other planes'
 * noncharacters): they are legal and are the data.
 *
 * SARIF is JSON, which could carry U+FFFE, but gets the same mapping so
 * that a value reads the same in the SARIF log, the JUnit file and the
 * workbook. The JSON report does not: it is the lossless record that the
 * next run reads back as its baseline.
 *
 * Nothing here allocates but the caller's buffer. */
#ifndef IMGAUDIT_XMLTEXT_H
#define IMGAUDIT_XMLTEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define XMLTEXT_REPLACEMENT "\xEF\xBF\xBD"  /* U+FFFD in UTF-8 */
#define XMLTEXT_BAD UINT32_C(0xFFFFFFFF)    /* xmltext_decode: not UTF-8 */

/* Decode the code point at 'p' (within a NUL-terminated string, *p not
 * NUL): sets '*cp' and returns its length in bytes, 1 to 4. A byte that
 * starts no well-formed UTF-8 sequence gives XMLTEXT_BAD and length 1,
 * so the next call resynchronises on the following byte. */
size_t xmltext_decode(const unsigned char *p, uint32_t *cp);

/* Whether XML 1.0 can carry code point 'cp' (its Char production). */
bool xmltext_allowed(uint32_t cp);

/* Append 's' to 'out' with the mapping above. Returns how many code
 * points (or bad bytes) were replaced. */
size_t xmltext_clean(struct buf *out, const char *s);

/* Append 's' to 'out', mapped, as XML character data: & < > as entities
 * and CR as &#13; (a parser would turn a raw CR into LF); for an
 * attribute value in double quotes ('attr') also " and TAB and LF as
 * character references, which attribute normalisation would otherwise
 * turn into spaces. A conforming parser reads back exactly the mapped
 * text. */
void xmltext_escape(struct buf *out, const char *s, bool attr);

/* OOXML (ECMA-376 Part 1, 22.9.2.19 ST_Xstring) reads "_xHHHH_" in a
 * cell as the character U+HHHH, so text that contains it literally must
 * store its '_' as "_x005F_". True when 's' starts with "_x", four hex
 * digits (either case: Excel reads both) and "_". */
bool xmltext_ooxml_escape_at(const char *s);

#endif
