/* SPDX-License-Identifier: MIT
 * What the fuzz targets share: the libFuzzer entry point, declared once
 * so that the targets and standalone_driver.c build cleanly with
 * -Wmissing-prototypes, and the input size cap.
 *
 * Each target returns 0 at once for inputs over FUZZ_MAX_INPUT (tmux's
 * fuzzers do the same): the parsers' cost on huge inputs is covered by
 * tests/cli/pathological.sh, and without a cap libFuzzer spends its time
 * growing inputs instead of finding new paths. The cap is above the
 * 64 KiB the seed corpora are kept under, so every seed still runs. */
#ifndef IMGAUDIT_FUZZ_H
#define IMGAUDIT_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"

#define FUZZ_MAX_INPUT ((size_t)128 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* /dev/null, opened on first use and kept open: printing diagnostics
 * and rendering walk every location, source line and caret span, which
 * is where an off-by-one shows, but the text itself is of no use here.
 * NULL if it cannot be opened (then nothing is printed). */
static inline FILE *fuzz_sink(void)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    return sink;
}

static inline void fuzz_print_diags(const struct diags *d)
{
    if (fuzz_sink())
        diags_print(d, fuzz_sink());
}

#endif
