/* SPDX-License-Identifier: MIT
 * Fuzz target for the JSON report reader (report/reader.h: reader.c,
 * reader_meta.c, reader_rows.c and the scanner report/jsonscan.c), which
 * reads every --baseline, both reports of `diff`, every report `merge`
 * combines and the reports `verify` checks. Those files are passed
 * around, edited by hand and by jq, so every byte is untrusted; the
 * scanner's hot paths (js_skip, strings) take 16 or 64 bytes at a time.
 *
 * Input layout:
 *   byte 0, bit 0   read without the inventory (REPORT_READ_NO_INVENTORY,
 *                   how a baseline is read), else a full read
 *   the rest        the report's bytes, read from a memfd through
 *                   /proc/self/fd, so that the reader maps it as it maps
 *                   a file
 *
 * Besides crashes and sanitizer reports, the target checks the reader's
 * promises: a failed read gives exactly one error and nothing else; a
 * full read that succeeds writes back as JSON that reads again and
 * writes the same bytes (reader.h: "a report that reads without error
 * writes back unchanged"). */
#define _GNU_SOURCE         /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "render/render.h"
#include "report/reader.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_report: %s\n", what);
        abort();
    }
}

/* 'len' bytes in a memfd; its path in 'path'. Returns the fd, or -1. */
static int memfile(const void *data, size_t len, char path[64])
{
    int fd = memfd_create("fuzz-report", 0);
    if (fd < 0)
        return -1;
    if (len && write(fd, data, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

/* 'rep' as the JSON writer writes it, in memory ('*len' bytes). */
static char *as_json(const struct report *rep, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    check(f != NULL, "open_memstream");
    struct render_opts o = RENDER_OPTS_INIT;
    struct diags d = DIAGS_INIT;
    check(render_json(rep, &o, f, &d) == 0, "render_json failed on a report read back");
    fclose(f);
    diags_dispose(&d);
    return text;
}

/* Read the report at 'path'; returns 0 or -1, checking the one-error
 * promise. */
static int read_report(struct report *rep, const char *path, unsigned flags)
{
    struct diags d = DIAGS_INIT;
    report_init(rep);
    int rc = report_read_json(rep, path, flags, &d);
    if (rc < 0)
        check(d.n == 1 && d.v[0].level == DIAG_ERROR, "a failed read gave other than one error");
    else
        check(d.n == 0, "a successful read gave a diagnostic");
    fuzz_print_diags(&d);
    diags_dispose(&d);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    unsigned flags = data[0] & 1 ? REPORT_READ_NO_INVENTORY : REPORT_READ_FULL;
    char path[64];
    int fd = memfile(data + 1, size - 1, path);
    if (fd < 0)
        return 0;
    struct report rep;
    if (read_report(&rep, path, flags) == 0 && flags == REPORT_READ_FULL) {
        /* Written back, read again, written again: the same bytes. */
        size_t n1, n2;
        char *once = as_json(&rep, &n1);
        char again_path[64];
        int fd2 = memfile(once, n1, again_path);
        check(fd2 >= 0, "memfd");
        struct report back;
        check(read_report(&back, again_path, REPORT_READ_FULL) == 0,
              "the JSON written from a report read back does not read");
        char *twice = as_json(&back, &n2);
        check(n1 == n2 && memcmp(once, twice, n1) == 0,
              "a report read back writes other bytes the second time");
        free(twice);
        report_dispose(&back);
        close(fd2);
        free(once);
    }
    report_dispose(&rep);
    close(fd);
    return 0;
}
