/* SPDX-License-Identifier: MIT
 * A main() for the fuzz targets when libFuzzer is not there (gcc, plain
 * CTest builds), after libgit2's fuzzers/standalone_driver.c: it feeds
 * every file named on the command line, and every regular file directly
 * inside every directory named there, to LLVMFuzzerTestOneInput once.
 *
 * This is how the corpora (seeds plus every reproducer of a fixed bug)
 * replay as ordinary tests: a crash, a sanitizer report in a sanitized
 * build, or a hang past the CTest timeout fails the test. It does no
 * fuzzing of its own. Exit status: 0 when every input ran, 1 when an
 * input could not be read or nothing was run at all (a mistyped corpus
 * path must not pass as an empty success). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* Run the target on the contents of 'path'. Returns 0, or -1 when the
 * file cannot be read (reported on stderr). */
static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    struct buf b = BUF_INIT;
    int bad = buf_read_stream(&b, fp) < 0;  /* no cap: only a read error */
    fclose(fp);
    if (bad) {
        fprintf(stderr, "%s: read error\n", path);
        buf_dispose(&b);
        return -1;
    }
    /* A private copy of exactly 'len' bytes, so that ASan catches a
     * target that reads past the end, as it would under libFuzzer (the
     * buffer may have spare capacity). */
    uint8_t *copy = xmalloc(b.len ? b.len : 1);
    if (b.len)
        memcpy(copy, b.data, b.len);
    LLVMFuzzerTestOneInput(copy, b.len);
    free(copy);
    buf_dispose(&b);
    return 0;
}

/* Run every regular file directly inside 'dir'; adds to '*ran'. */
static int run_dir(const char *dir, size_t *ran)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    struct buf path = BUF_INIT;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* ".", "..", and editor or VCS droppings */
        buf_clear(&path);
        buf_printf(&path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(buf_cstr(&path), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (run_file(buf_cstr(&path)) < 0)
            rc = -1;
        else
            (*ran)++;
    }
    buf_dispose(&path);
    closedir(dp);
    return rc;
}

int main(int argc, char **argv)
{
    size_t ran = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &ran) < 0)
                rc = 1;
        } else if (run_file(argv[i]) < 0) {
            rc = 1;
        } else {
            ran++;
        }
    }
    if (ran == 0) {
        fprintf(stderr, "%s: no inputs run\n", argv[0]);
        rc = 1;
    }
    printf("%zu inputs run\n", ran);
    return rc;
}
