/* SPDX-License-Identifier: MIT
 * What a command receives: the settings of one run, typed and checked.
 * src/cli fills a struct app_job from the command line, the --config
 * file, the environment and the defaults (cli/options.def is where each
 * is declared); app/ declares what it takes here and includes nothing
 * from cli/, so the commands can be run by anything that fills this
 * struct (tests, another front end). Strings and arrays are borrowed
 * from the caller for the duration of the call. */
#ifndef IMGAUDIT_JOB_H
#define IMGAUDIT_JOB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/pull.h"
#include "app/strs.h"

enum app_command { APP_REPORT, APP_FETCH, APP_LINT, APP_DIFF, APP_VERIFY, APP_MERGE };

struct app_job {
    enum app_command command;
    struct app_strs args;           /* operands: lint's files, diff's OLD NEW, verify's DIR, merge's reports */
    int argc;                       /* the command line as given (evidence: run.json) */
    char **argv;
    bool quiet, verbose;
    /* report, diff, merge, lint (docs/imgaudit.md has each option) */
    struct app_strs rules, waivers, sets, outputs;
    const char *input, *format, *baseline, *template_path, *where, *split_by;
    const char *save_snapshot, *evidence_dir, *sign_key, *config;
    int fail_on, fail_on_new;       /* enum severity, or -1 */
    bool fail_on_expired_waivers, allow_mixed_rules;
    long warn_expiring, max_waiver_days, jobs, html_max_findings;
    int64_t now;                    /* epoch ms, when has_now */
    /* Which were set (not defaults): diff keeps NEW's gates unless set. */
    bool has_fail_on, has_fail_on_new, has_fail_on_expired_waivers, has_warn_expiring;
    bool has_max_waiver_days, has_jobs, has_now;
    /* verify */
    const char *pubkey;
    /* the pull (report without --input, fetch) */
    struct pull_opts pull;
};

#endif
