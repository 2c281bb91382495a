/* SPDX-License-Identifier: MIT
 * Output checks before any work; see outputs.h. */
#include "app/outputs.h"

#include <stdlib.h>
#include <string.h>

#include "source/provenance.h"
#include "util/atomicfile.h"
#include "util/samefile.h"
#include "util/xalloc.h"

int app_check_outputs(const struct app_job *cfg, struct diags *d)
{
    int rc = 0;
    if (cfg->command == APP_REPORT && !cfg->format)
        for (size_t i = 0; i < cfg->outputs.n; i++)
            if (strcmp(cfg->outputs.v[i], "-") == 0) {
                diags_error(d, "-o -: standard output has no file name to tell the format "
                            "from; add --format csv, xlsx, html or json");
                rc = -1;
                break;
            }

    if (app_check_more_outputs(cfg, NULL, NULL, 0, d) < 0)
        rc = -1;
    return rc;
}

int app_check_more_outputs(const struct app_job *cfg, const char *opt,
                           const char *const *more, size_t n_more, struct diags *d)
{
    size_t n_outs = 0, n_ins = 0;
    struct path_use *outs = xcalloc(cfg->outputs.n + n_more + 3, sizeof *outs);
    for (size_t i = 0; i < cfg->outputs.n; i++)
        outs[n_outs++] = (struct path_use){"-o", cfg->outputs.v[i]};
    outs[n_outs++] = (struct path_use){"--save-snapshot", cfg->save_snapshot};
    /* A pull's snapshot has its provenance beside it (source/provenance.h). */
    const char *snapshot = cfg->command == APP_FETCH && cfg->outputs.n ? cfg->outputs.v[0]
                                                                       : cfg->save_snapshot;
    char *prov = snapshot && atomic_replaces(snapshot) ? provenance_path(snapshot) : NULL;
    outs[n_outs++] = (struct path_use){"the snapshot's provenance", prov};
    for (size_t i = 0; i < n_more; i++)
        outs[n_outs++] = (struct path_use){opt, more[i]};

    /* Every file the run reads. New input options (waivers, a baseline)
     * belong here. */
    struct path_use *ins = xcalloc(cfg->rules.n + cfg->waivers.n + cfg->args.n + 8,
                                   sizeof *ins);
    ins[n_ins++] = (struct path_use){"--input", cfg->input};
    for (size_t i = 0; i < cfg->rules.n; i++)
        ins[n_ins++] = (struct path_use){"--rules", cfg->rules.v[i]};
    for (size_t i = 0; i < cfg->waivers.n; i++)
        ins[n_ins++] = (struct path_use){"--waivers", cfg->waivers.v[i]};
    ins[n_ins++] = (struct path_use){"--baseline", cfg->baseline};
    for (size_t i = 0; i < cfg->args.n; i++)    /* diff OLD.json NEW.json, merge's reports */
        ins[n_ins++] = (struct path_use){cfg->command == APP_DIFF ? (i ? "NEW" : "OLD")
                                                                  : "report", cfg->args.v[i]};
    ins[n_ins++] = (struct path_use){"--template", cfg->template_path};
    ins[n_ins++] = (struct path_use){"--config", cfg->config};
    ins[n_ins++] = (struct path_use){"--cacert", cfg->pull.cacert};
    ins[n_ins++] = (struct path_use){"--token-file", cfg->pull.token_file};
    ins[n_ins++] = (struct path_use){"--sign-key", cfg->sign_key};

    int rc = samefile_check(outs, n_outs, ins, n_ins, d);
    free(prov);
    free(outs);
    free(ins);
    return rc;
}

FILE *app_summary_stream(const struct app_job *cfg)
{
    for (size_t i = 0; i < cfg->outputs.n; i++)
        if (atomic_is_stdout(cfg->outputs.v[i]))
            return stderr;
    if (cfg->save_snapshot && atomic_is_stdout(cfg->save_snapshot))
        return stderr;
    return stdout;
}
