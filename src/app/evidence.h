/* SPDX-License-Identifier: MIT
 * Evidence bundles (`report --evidence-dir DIR [--sign-key KEY.pem]`):
 * one folder per run, DIR/<UTC time>-<short hash>/, holding all an
 * auditor needs to check the run's reports (docs/evidence.md):
 *
 *   records/snapshot.jsonl       the records evaluated (.json for an API
 *   records/snapshot.meta.json   body or array), and their provenance
 *                                when there was one (source/provenance.h)
 *   inputs/rules-N-NAME          every rule, waiver and baseline file,
 *   inputs/waivers-N-NAME        and the --template, exactly as used
 *   inputs/baseline-NAME
 *   inputs/template-NAME
 *   reports/NAME                 every report the run wrote, same bytes
 *   run.json                     the command line (no secrets), effective
 *                                settings, times, versions, counts, gate
 *                                verdict and exit code
 *   MANIFEST.sha256              `sha256sum -c` lines for every other file
 *   MANIFEST.sha256.sig          with --sign-key: Ed25519 over the manifest
 *
 * NAME is the file's base name with every byte but [A-Za-z0-9._-]
 * replaced by '_', so no bundle path needs quoting; run.json keeps the
 * names as the reports give them. The folder is written under a
 * temporary name inside DIR and renamed into place only when complete;
 * an existing folder is never overwritten. The short hash is the first
 * 12 hex digits of the manifest's SHA-256.
 *
 * Life cycle (app.c):
 *   evidence_open()     before any work: DIR usable, the key loads
 *   evidence_begin()    the temporary folder, once the reports are known
 *   evidence_report()   per report: where the bundle's copy is rendered,
 *                       in the same all-or-nothing batch as the run's own
 *   evidence_finish()   inputs, run.json, manifest, signature, rename
 *   evidence_free()     always; removes an unfinished temporary folder
 *
 * The signing key is read from its file only and never copied. */
#ifndef IMGAUDIT_EVIDENCE_H
#define IMGAUDIT_EVIDENCE_H
#include <stdint.h>

#include "app/build.h"
#include "app/pull.h"
#include "app/job.h"
#include "render/render.h"
#include "report/report.h"
#include "util/diag.h"

struct evidence;

/* Check that 'dir' is a folder or can be made one, and load 'sign_key'
 * (NULL: unsigned). Returns 0, or -1 with a usage error in 'd'. */
int evidence_open(struct evidence **out, const char *dir, const char *sign_key,
                  struct diags *d);
/* Create DIR (when missing) and the temporary bundle folder in it.
 * Returns 0, or -1 with an error in 'd' (a write error: exit 4). */
int evidence_begin(struct evidence *ev, struct diags *d);
/* The path inside the temporary folder to render the bundle's copy of
 * the report for 'target' (format 'fmt') into. Owned by 'ev'. */
const char *evidence_report(struct evidence *ev, const char *target, enum format fmt);

/* What run.json records, and where the inputs are to be copied from. */
struct evidence_run {
    const struct app_job *cfg;       /* the command line and its options */
    const struct build_settings *settings;
    const struct ruleset *rs;           /* the rule and waiver files, as parsed */
    const char *records_path;           /* the records evaluated (a file) */
    const char *records_from;           /* "pull", "file", "standard input" */
    const struct build_records *records;
    const struct pull_result *pull;     /* NULL without a pull */
    const char *companion;              /* render_companion() of the run's reports */
    const struct report *rep;
    int64_t started_ms;
    int exit_code;                      /* what the run exits with if the bundle is written */
};

/* Copy the inputs, write run.json, the manifest and its signature, and
 * rename the folder to DIR/<UTC time>-<hash>. Returns 0, or -1 with an
 * error in 'd' (the temporary folder is then removed by evidence_free). */
int evidence_finish(struct evidence *ev, const struct evidence_run *run, struct diags *d);
/* The bundle's folder, after evidence_finish succeeded; else NULL. */
const char *evidence_path(const struct evidence *ev);
void evidence_free(struct evidence *ev);        /* accepts NULL */

#endif
