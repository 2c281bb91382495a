/* SPDX-License-Identifier: MIT
 * A growable byte buffer with an optional hard size cap (curl's dynbuf,
 * cmark's strbuf). Used for rendered text, messages and HTTP bodies; the
 * cap is what keeps a broken server from exhausting memory.
 *
 * A struct buf is caller-allocated: buf_init() / buf_dispose(). The data
 * is always NUL-terminated after a successful append. */
#ifndef IMGAUDIT_BUF_H
#define IMGAUDIT_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf {
    char *data;     /* NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;     /* 0: no cap */
};
#define BUF_INIT {NULL, 0, 0, 0}

void buf_init(struct buf *b, size_t max);
void buf_dispose(struct buf *b);
void buf_clear(struct buf *b);                  /* len = 0, keeps memory */
/* Append; return 0, or -1 (and append nothing) when the cap would be exceeded. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 'v' in decimal, the text printf's %" PRId64 " gives, without printf
 * (whose parsing of the format was most of a message's cost, and of a
 * CSV number's): int_text() writes its digits to end at 'end' and
 * returns where they start (at most INT_TEXT_MAX bytes before 'end');
 * buf_put_int() appends them. */
#define INT_TEXT_MAX 20
char *int_text(int64_t v, char *end);
int buf_put_int(struct buf *b, int64_t v);
/* The format attribute (archetype 0: a va_list) lets clang's
 * -Wformat-nonliteral accept the vsnprintf inside and check callers. */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append everything 'fp' holds, up to its end, to 'b': the one read
 * loop for files the tool slurps whole (config, token file, template).
 * Returns 0; -1 when the cap would be exceeded (reading stops, 'b'
 * holds what fitted before); -2 on a read error, with errno as the
 * stream left it. Does not close 'fp'. */
int buf_read_stream(struct buf *b, FILE *fp);
/* buf_read_stream() on the file at 'path', opened and closed here.
 * Returns the same, or -3 when it cannot be opened; errno is kept from
 * the failing call for the caller's message. */
int buf_read_file(struct buf *b, const char *path);
/* Room for 'n' more bytes after 'len', written by the caller, who then
 * moves 'len' on (at most 'n' bytes) and keeps the NUL after them: a
 * writer that fills the buffer in place rather than through a copy.
 * Returns the first free byte, or NULL (nothing reserved) when the cap
 * would be exceeded. */
char *buf_reserve(struct buf *b, size_t n);
/* Hand the data to the caller (free() it) and reset the buffer. Never NULL. */
char *buf_detach(struct buf *b);
/* The data as a C string ("" when empty); valid until the next append. */
const char *buf_cstr(const struct buf *b);

#endif
