/* SPDX-License-Identifier: MIT
 * The commands, as pipelines over the modules:
 *   source (src/source) -> records (src/model) -> rules (src/rules)
 *   -> findings (evaluate.c) -> report model (src/report) -> writers (src/render)
 * This folder is the only place that sees every module (curl's
 * tool_operate.c role). Each app_* function returns an exit code
 * (util/exitcodes.h) and leaves its diagnostics in 'd' for the CLI to
 * print. The settings come as a struct app_job (app/job.h), which the
 * CLI fills: app/ includes nothing from src/cli. */
#ifndef IMGAUDIT_APP_H
#define IMGAUDIT_APP_H
#include "app/job.h"
#include "util/diag.h"

int app_report(const struct app_job *cfg, struct diags *d);
int app_fetch(const struct app_job *cfg, struct diags *d);
int app_lint(const struct app_job *cfg, struct diags *d);
int app_diff(const struct app_job *cfg, struct diags *d);
/* app_verify(): app/verify.h. */
#include "app/verify.h"
/* merge.c: combine JSON reports into one organisation report. */
int app_merge(const struct app_job *cfg, struct diags *d);

#endif
