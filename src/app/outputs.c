/* SPDX-License-Identifier: MIT
 * Output checks before any work; see outputs.h. */
#include "app/outputs.h"

#include <string.h>

#include "util/atomicfile.h"

int app_check_outputs(const struct cli_config *cfg, struct diags *d)
{
    int rc = 0;
    if (cfg->command == CMD_REPORT && !cfg->format)
        for (size_t i = 0; i < cfg->outputs.n; i++)
            if (strcmp(cfg->outputs.v[i], "-") == 0) {
                diags_error(d, "-o -: standard output has no file name to tell the format "
                            "from; add --format csv, xlsx, html or json");
                rc = -1;
                break;
            }

    return rc;
}

FILE *app_summary_stream(const struct cli_config *cfg)
{
    for (size_t i = 0; i < cfg->outputs.n; i++)
        if (atomic_is_stdout(cfg->outputs.v[i]))
            return stderr;
    if (cfg->save_snapshot && atomic_is_stdout(cfg->save_snapshot))
        return stderr;
    return stdout;
}
