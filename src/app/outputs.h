/* SPDX-License-Identifier: MIT
 * The files a command writes (-o, --save-snapshot), checked before any
 * work: standard output takes one output, `report -o -` needs --format,
 * and no output may be the same file as an input or another output
 * (util/samefile.h). */
#ifndef IMGAUDIT_OUTPUTS_H
#define IMGAUDIT_OUTPUTS_H
#include <stdbool.h>
#include <stdio.h>

#include "app/job.h"
#include "util/diag.h"

/* Returns 0, or -1 with every problem in 'd' (a usage error, exit 2).
 * The inputs compared are --input, every --rules and --waivers,
 * --baseline, diff's OLD and NEW, --template, --config, --cacert,
 * --token-file and --sign-key; the outputs are every -o, --save-snapshot
 * and the snapshot's provenance beside it. Add new files to the lists
 * in outputs.c. */
int app_check_outputs(const struct app_job *cfg, struct diags *d);
/* The same check with 'n_more' more outputs, named by option 'opt' in
 * messages: the files that --split-by adds once it knows the parts. */
int app_check_more_outputs(const struct app_job *cfg, const char *opt,
                           const char *const *more, size_t n_more, struct diags *d);
/* Where the human summary goes: standard error when an output of this
 * run is written to standard output (-o -, --save-snapshot -,
 * -o /dev/stdout), so that it never mixes into the report; else
 * standard output. */
FILE *app_summary_stream(const struct app_job *cfg);

#endif
