/* SPDX-License-Identifier: MIT
 * `imgaudit verify BUNDLE_DIR [--pubkey KEY.pub]`: check an evidence
 * bundle (app/evidence.h) in three steps, printing one line per check
 * on stdout and, for each file that fails, its first difference:
 *
 *   1. signature: MANIFEST.sha256.sig is a valid Ed25519 signature of
 *      MANIFEST.sha256 by KEY.pub (required with --pubkey; without it,
 *      only noted);
 *   2. manifest: every MANIFEST.sha256 line is a safe relative name
 *      whose file has that SHA-256, and no file is missing or extra;
 *   3. reproduce: the bundled records, evaluated with the bundled rule,
 *      waiver and baseline files and the settings of run.json
 *      (app/build.h), give every bundled report byte for byte (rendered
 *      into a temporary folder and compared; the first differing line,
 *      or for XLSX the first differing sheet and cell), and the gate
 *      verdict and exit code run.json records.
 *
 * Every check runs even after one failed, so one run lists every
 * problem. Paths in run.json are relative to the bundle, so a bundle
 * copied anywhere verifies the same. Exit codes: 0 all hold, 3 something
 * differs or is missing, 2 usage (no folder, an unreadable key). */
#ifndef IMGAUDIT_VERIFY_H
#define IMGAUDIT_VERIFY_H
#include "app/job.h"
#include "util/diag.h"

int app_verify(const struct app_job *cfg, struct diags *d);

#endif
