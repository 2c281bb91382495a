/* SPDX-License-Identifier: MIT
 * Rule-file text kept for diagnostics, and the mapping from a byte of a
 * decoded YAML/JSON scalar back to the byte of the file that produced it
 * (jq's locfile). The loaders record where each scalar starts and in
 * which style it is written; only when a diagnostic needs a column is the
 * raw text walked again, so loading pays nothing for it. */
#ifndef IMGAUDIT_RULES_SOURCE_H
#define IMGAUDIT_RULES_SOURCE_H
#include <stdbool.h>
#include <stddef.h>

#include "util/hash.h"

#include "util/diag.h"

struct rsrc {
    char *path;                 /* where it was read: diagnostics name it */
    char *name;                 /* what reports call it (rule_info.file, waiver ids) */
    char *text;                 /* the whole file, NUL-terminated */
    size_t len;
    size_t *lines;              /* byte offset of each line start */
    size_t nlines;
    char sha256[SHA256_HEX_LEN];/* of 'text' */
    bool waiver_file;           /* given as a waiver file: `version` and `waivers` only */
    struct rsrc *next;
};

enum spos_style {
    SP_NONE,        /* no source (a --set value) */
    SP_PLAIN,       /* YAML plain scalar */
    SP_SQUOTE,      /* YAML 'single quoted' */
    SP_DQUOTE,      /* YAML "double quoted" */
    SP_JSON,        /* JSON string */
    SP_BLOCK,       /* YAML | or > block scalar */
    SP_OTHER,       /* collections, JSON numbers: the start only */
};

/* Where a scalar is: 'off' is the byte offset of its first raw byte (the
 * opening quote, the block indicator, or the first character). */
struct spos {
    const struct rsrc *src;
    size_t off;
    enum spos_style style;
};

/* Take ownership of 'text' (malloc'd, 'len' bytes plus a NUL). 'name'
 * NULL means 'path'. */
struct rsrc *rsrc_new(const char *path, const char *name, char *text, size_t len);
void rsrc_free(struct rsrc *s);

/* Byte offset of a libyaml mark (0-based line, column in characters). */
size_t rsrc_mark_offset(const struct rsrc *s, size_t line, size_t col);
/* 1-based line of byte offset 'off'. */
int rsrc_line(const struct rsrc *s, size_t off);

/* File offset of decoded byte 'k' of the scalar 'val' ('vlen' bytes) at
 * 'pos'; k == vlen gives the byte after the last one. */
size_t spos_map(const struct spos *pos, const char *val, size_t vlen, size_t k);

/* Add a diagnostic underlining file bytes [start, end) of 's' (cut at
 * the end of the line); 's' NULL gives a diagnostic with no location. */
void src_diag(struct diags *d, enum diag_level lvl, const struct rsrc *s, size_t start,
              size_t end, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same for decoded bytes [a, b) of a scalar. */
void spos_diag(struct diags *d, enum diag_level lvl, const struct spos *pos, const char *val,
               size_t vlen, size_t a, size_t b, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

#endif
