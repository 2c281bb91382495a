/* SPDX-License-Identifier: MIT
 * Reading a ZIP archive whole (an XLSX report is one), for `verify`,
 * which names the first sheet and cell in which two workbooks differ.
 * Only what XLSX writers produce is supported: stored or deflated
 * entries, no ZIP64, no encryption. Everything is read into memory, so
 * this is for comparing reports, not for archives in general. */
#ifndef IMGAUDIT_ZIPREAD_H
#define IMGAUDIT_ZIPREAD_H
#include <stddef.h>

struct zip_entry {
    char *name;                 /* as stored, NUL-terminated */
    unsigned char *data;        /* uncompressed, with a NUL after 'len' bytes */
    size_t len;
};

/* Read every entry of the archive at 'path', in central-directory order.
 * Returns 0 with '*out' and '*n' set (free with zip_entries_free), or -1
 * with a reason in 'err' ("not a ZIP archive", "entry x: corrupt data"). */
int zip_read_all(const char *path, struct zip_entry **out, size_t *n, char *err, size_t errlen);
void zip_entries_free(struct zip_entry *v, size_t n);
/* The entry called 'name', or NULL. */
const struct zip_entry *zip_find(const struct zip_entry *v, size_t n, const char *name);

#endif
