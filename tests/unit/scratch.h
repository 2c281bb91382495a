/* SPDX-License-Identifier: MIT
 * For the unit tests that write report files and read them back (the
 * reader, the baseline): a scratch directory made by the group setup and
 * removed by its teardown, and the file helpers around it.
 *
 * Header-only (static functions, some unused by one test or another)
 * because each unit test is its own executable. Include after cmocka.h. */
#ifndef IMGAUDIT_SCRATCH_H
#define IMGAUDIT_SCRATCH_H
#include <stdio.h>
#include <stdlib.h>

#include "render/render.h"
#include "report/reader.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define SCRATCH_UNUSED __attribute__((unused))

static char scratch_dir[] = "/tmp/imgaudit-test.XXXXXX";

SCRATCH_UNUSED static int scratch_setup(void **state)
{
    (void)state;
    return mkdtemp(scratch_dir) ? 0 : -1;
}

SCRATCH_UNUSED static int scratch_teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", scratch_dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* NAME in the scratch directory (free() it). */
SCRATCH_UNUSED static char *scratch_path(const char *name)
{
    return xasprintf("%s/%s", scratch_dir, name);
}

SCRATCH_UNUSED static char *scratch_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct buf b = BUF_INIT;
    assert_int_equal(buf_read_stream(&b, f), 0);
    fclose(f);
    *len = b.len;
    return buf_detach(&b);
}

SCRATCH_UNUSED static void scratch_spill(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Write 'rep' as 'fmt' to NAME in the scratch directory; its path. */
SCRATCH_UNUSED static char *scratch_write(const struct report *rep, enum format fmt,
                                          const char *name)
{
    struct render_opts o = RENDER_OPTS_INIT;
    struct diags d = DIAGS_INIT;
    char *path = scratch_path(name);
    assert_int_equal(render_report(rep, fmt, &o, path, &d), 0);
    diags_dispose(&d);
    return path;
}

/* The same, returning the file's bytes. */
SCRATCH_UNUSED static char *scratch_render(const struct report *rep, enum format fmt,
                                           const char *name, size_t *len)
{
    char *path = scratch_write(rep, fmt, name);
    char *data = scratch_slurp(path, len);
    free(path);
    return data;
}

/* Read the JSON report at 'path' into 'rep' (initialised here); any
 * error fails the test. */
SCRATCH_UNUSED static void scratch_read(struct report *rep, const char *path, unsigned flags)
{
    struct diags d = DIAGS_INIT;
    report_init(rep);
    if (report_read_json(rep, path, flags, &d) < 0) {
        diags_print(&d, stderr);
        fail_msg("cannot read %s", path);
    }
    assert_int_equal(d.n, 0);
    diags_dispose(&d);
}

#endif
