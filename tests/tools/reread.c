/* SPDX-License-Identifier: MIT
 * Test driver (built for tests only): read a JSON report back into the
 * model and write it again, in the format of each -o file's extension,
 * optionally compared with a baseline first (what `imgaudit diff` does).
 * The round-trip tests (tests/cli/json-roundtrip.sh) compare the output
 * with the original report byte for byte; bench/baseline-bench.sh times
 * the baseline with --time.
 *
 *   reread [--no-inventory|--spill] [--baseline OLD.json] [--time] IN.json [-o OUT]...
 *
 * --spill reads with REPORT_READ_SPILL (as `imgaudit diff` reads NEW),
 * for a comparison with the read into memory (tests/cli/diff-spill.sh).
 *
 * Exit codes as imgaudit's: 0, 3 when a report cannot be read, 4 when an
 * output cannot be written, 2 for usage. Diagnostics go to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render.h"
#include "report/baseline.h"
#include "report/reader.h"
#include "util/exitcodes.h"

/* Wall and CPU (all threads) seconds. */
struct stamp {
    double wall, cpu;
};

static struct stamp now_s(void)
{
    struct timespec w, c;
    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    return (struct stamp){(double)w.tv_sec + (double)w.tv_nsec / 1e9,
                          (double)c.tv_sec + (double)c.tv_nsec / 1e9};
}

static int usage(void)
{
    fprintf(stderr, "usage: reread [--no-inventory|--spill] [--baseline OLD.json] [--time] IN.json "
                    "[-o OUT]...\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *base_path = NULL;
    const char **outs = calloc((size_t)argc, sizeof *outs);
    size_t n_outs = 0;
    unsigned flags = REPORT_READ_FULL;
    int timing = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-inventory") == 0)
            flags = REPORT_READ_NO_INVENTORY;
        else if (strcmp(argv[i], "--spill") == 0)
            flags = REPORT_READ_SPILL;
        else if (strcmp(argv[i], "--time") == 0)
            timing = 1;
        else if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc)
            base_path = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            outs[n_outs++] = argv[++i];
        else if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
            in = in ? NULL : argv[i];
        else
            return usage();
    }
    if (!in)
        return usage();

    struct diags d = DIAGS_INIT;
    struct report rep;
    report_init(&rep);
    int code = EXIT_OK;
    struct stamp t0 = now_s();
    if (report_read_json(&rep, in, flags, &d) < 0) {
        code = EXIT_DATA;
        goto out;
    }
    struct stamp t1 = now_s();
    if (base_path) {
        struct baseline *b;
        if (baseline_load(&b, base_path, NULL, true, &d) < 0) {
            code = EXIT_DATA;
            goto out;
        }
        struct stamp t2 = now_s();
        int rc = baseline_apply(b, &rep, 0, 1, &d);
        if (rc < 0) {
            baseline_free(b);
            code = rc == -2 ? EXIT_WRITE : EXIT_DATA;
            goto out;
        }
        struct stamp t3 = now_s();
        report_finish(&rep);
        baseline_free(b);
        if (timing)
            fprintf(stderr, "baseline_load %.3f s, baseline_apply %.3f s (CPU %.3f s, %.3f s)\n",
                    t2.wall - t1.wall, t3.wall - t2.wall, t2.cpu - t1.cpu, t3.cpu - t2.cpu);
    }
    if (timing)
        fprintf(stderr, "report_read_json %.3f s (CPU %.3f s)\n", t1.wall - t0.wall,
                t1.cpu - t0.cpu);
    /* As `imgaudit report` does: a cut HTML page names the XLSX, else the
     * JSON, else the CSV report written with it. */
    static const enum format prefer[] = {FMT_XLSX, FMT_JSON, FMT_CSV};
    struct render_opts o = RENDER_OPTS_INIT;
    for (size_t p = 0; p < 3 && !o.full_findings_path; p++)
        for (size_t i = 0; i < n_outs && !o.full_findings_path; i++)
            if (format_from_path(outs[i]) == prefer[p])
                o.full_findings_path = outs[i];
    for (size_t i = 0; i < n_outs; i++)
        if (render_report(&rep, format_from_path(outs[i]), &o, outs[i], &d) < 0)
            code = EXIT_WRITE;
out:
    diags_print(&d, stderr);
    diags_dispose(&d);
    report_dispose(&rep);
    free(outs);
    return code;
}
