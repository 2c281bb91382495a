/* SPDX-License-Identifier: MIT
 * The first difference between two reports; see firstdiff.h. */
#include "app/firstdiff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/zipread.h"

/* Byte-by-byte, counting lines: 0 same, 1 different (where in 'out'),
 * -1 unreadable. */
static int text_difference(const char *want, const char *got, char *out, size_t len)
{
    FILE *a = fopen(want, "rb"), *b = fopen(got, "rb");
    if (!a || !b) {
        snprintf(out, len, "cannot read %s: %s", !a ? want : got, strerror(errno));
        if (a)
            fclose(a);
        if (b)
            fclose(b);
        return -1;
    }
    unsigned long long line = 1, col = 1;
    int rc = 0;
    enum { CHUNK = 65536 };
    char *ba = xmalloc(CHUNK), *bb = xmalloc(CHUNK);
    for (;;) {
        size_t na = fread(ba, 1, CHUNK, a), nb = fread(bb, 1, CHUNK, b);
        size_t n = na < nb ? na : nb, i = 0;
        while (i < n && ba[i] == bb[i]) {
            if (ba[i++] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        if (i < n)
            snprintf(out, len, "line %llu, column %llu", line, col);
        else if (na != nb)
            snprintf(out, len, "line %llu: the re-evaluated report is %s", line,
                     na < nb ? "longer" : "shorter");
        if (i < n || na != nb) {
            rc = 1;
            break;
        }
        if (n == 0)
            break;
    }
    free(ba);
    free(bb);
    fclose(a);
    fclose(b);
    return rc;
}

/* ---- XLSX ---- */

/* The value of attribute 'name' in the tag starting at 'tag' (up to its
 * '>'), copied into 'out'; "" when absent. */
static void attr(const char *tag, const char *name, char *out, size_t len)
{
    out[0] = '\0';
    const char *end = strchr(tag, '>');
    size_t n = strlen(name);
    for (const char *p = tag; p && end && p < end; p++) {
        if (strncmp(p, name, n) == 0 && p[n] == '=' && p[n + 1] == '"' &&
            (p == tag || p[-1] == ' ')) {
            const char *v = p + n + 2, *q = strchr(v, '"');
            if (q)
                snprintf(out, len, "%.*s", (int)(q - v), v);
            return;
        }
    }
}

/* The sheet name of worksheet part 'part' ("xl/worksheets/sheet2.xml"). */
static void sheet_name(const struct zip_entry *v, size_t n, const char *part, char *out,
                       size_t len)
{
    snprintf(out, len, "%s", part);
    const struct zip_entry *wb = zip_find(v, n, "xl/workbook.xml");
    const struct zip_entry *rels = zip_find(v, n, "xl/_rels/workbook.xml.rels");
    if (!wb || !rels)
        return;
    const char *target = part + strlen("xl/");
    char id[64] = "", t[256];
    for (const char *p = strstr((const char *)rels->data, "<Relationship ");
         p; p = strstr(p + 1, "<Relationship ")) {
        attr(p, "Target", t, sizeof t);
        if (strcmp(t, target) == 0) {
            attr(p, "Id", id, sizeof id);
            break;
        }
    }
    for (const char *p = strstr((const char *)wb->data, "<sheet ");
         id[0] && p; p = strstr(p + 1, "<sheet ")) {
        attr(p, "r:id", t, sizeof t);
        if (strcmp(t, id) == 0) {
            char name[256];
            attr(p, "name", name, sizeof name);
            snprintf(out, len, "sheet \"%s\"", name);
            return;
        }
    }
}

/* The next cell element at or after '*p': its text in [*start, *end). */
static int next_cell(const char **p, const char **start, const char **end)
{
    const char *c = *p ? strstr(*p, "<c ") : NULL;
    if (!c)
        return 0;
    const char *gt = strchr(c, '>');
    if (!gt)
        return 0;
    const char *e = gt[-1] == '/' ? gt + 1 : strstr(gt, "</c>");
    if (!e)
        return 0;
    if (gt[-1] != '/')
        e += 4;
    *start = c;
    *end = e;
    *p = e;
    return 1;
}

/* The first cell in which two worksheet parts differ, or "" when their
 * cells are the same. */
static void first_cell(const char *a, const char *b, char *out, size_t len)
{
    out[0] = '\0';
    const char *pa = a, *pb = b;
    for (;;) {
        const char *as, *ae, *bs, *be;
        int ha = next_cell(&pa, &as, &ae), hb = next_cell(&pb, &bs, &be);
        if (!ha && !hb)
            return;
        if (ha && hb && ae - as == be - bs && memcmp(as, bs, (size_t)(ae - as)) == 0)
            continue;
        attr(ha ? as : bs, "r", out, len);
        return;
    }
}

static int xlsx_difference(const char *want, const char *got, char *out, size_t len)
{
    struct zip_entry *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    char err[256];
    if (zip_read_all(want, &a, &na, err, sizeof err) < 0) {
        snprintf(out, len, "not a readable XLSX workbook: %s", err);
        return -1;
    }
    if (zip_read_all(got, &b, &nb, err, sizeof err) < 0) {
        zip_entries_free(a, na);
        snprintf(out, len, "the re-evaluated workbook cannot be read: %s", err);
        return -1;
    }
    snprintf(out, len, "the ZIP container (every part is the same)");
    for (size_t i = 0; i < na + nb; i++) {
        /* The bundled workbook's parts in order, then any it lacks. */
        const struct zip_entry *x = i < na ? &a[i] : zip_find(a, na, b[i - na].name);
        const struct zip_entry *y = i < na ? zip_find(b, nb, a[i].name) : &b[i - na];
        if (x && y && x->len == y->len && memcmp(x->data, y->data, x->len) == 0)
            continue;
        if (i >= na && x)
            continue;
        const char *part = x ? x->name : y->name;
        if (!x || !y) {
            snprintf(out, len, "part %s is only in the %s workbook", part,
                     x ? "bundled" : "re-evaluated");
            break;
        }
        if (strncmp(part, "xl/worksheets/sheet", 19) == 0) {
            char sheet[300], cell[32];
            sheet_name(a, na, part, sheet, sizeof sheet);
            first_cell((const char *)x->data, (const char *)y->data, cell, sizeof cell);
            if (cell[0])
                snprintf(out, len, "%s, cell %s", sheet, cell);
            else
                snprintf(out, len, "%s, outside its cells (layout)", sheet);
        } else {
            snprintf(out, len, "part %s", part);
        }
        break;
    }
    zip_entries_free(a, na);
    zip_entries_free(b, nb);
    return 1;
}

int first_difference(const char *want, const char *got, enum format fmt, char *out, size_t len)
{
    int rc = text_difference(want, got, out, len);
    if (rc == 1 && fmt == FMT_XLSX)
        return xlsx_difference(want, got, out, len);
    return rc;
}
