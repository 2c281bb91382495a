/* SPDX-License-Identifier: MIT
 * Merging JSON reports; see merge.h. */
#include "app/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/combine.h"
#include "report/reader.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

/* What the first report's rules were: its rule files and params. */
static void keep_rules(struct report *ref, const struct report *first)
{
    for (size_t i = 0; i < first->meta.n_rulefiles; i++)
        report_add_rulefile(ref, first->meta.rulefiles[i].path, first->meta.rulefiles[i].sha256);
    ref->meta.n_params = first->meta.n_params;
    ref->meta.params = xcalloc(ref->meta.n_params + 1, sizeof *ref->meta.params);
    for (size_t i = 0; i < first->meta.n_params; i++) {
        const struct report_param *p = &first->meta.params[i];
        ref->meta.params[i] = (struct report_param){report_str(ref, p->name),
                                                    report_str(ref, p->value),
                                                    report_str(ref, p->type)};
    }
}

int merge_reports(struct report *dst, const char *const *paths, size_t n, bool allow_mixed,
                  struct diags *d)
{
    struct report_combiner c;
    if (report_combine_init(&c, dst, d) < 0)
        return EXIT_WRITE;
    struct report ref;
    report_init(&ref);
    char (*sums)[SHA256_HEX_LEN] = xcalloc(n + 1, sizeof *sums);
    int code = EXIT_OK;
    for (size_t k = 0; k < n && code != EXIT_DATA; k++) {
        struct report src;
        report_init(&src);
        /* Its SHA-256 as it is read: the sources table names each report.
         * Its images and findings on disk (REPORT_READ_SPILL), so that
         * memory does not grow with the largest source either. */
        struct report_read_info info;
        int rc = report_read_json_info(&src, paths[k], REPORT_READ_SPILL, &info, d);
        if (rc == -2) {
            code = EXIT_WRITE;
            report_dispose(&src);
            break;
        }
        if (rc < 0)
            code = EXIT_DATA;
        else
            snprintf(sums[k], SHA256_HEX_LEN, "%s", info.sha256);
        for (size_t j = 0; code != EXIT_DATA && j < k; j++)
            if (strcmp(sums[j], sums[k]) == 0) {
                diags_add(d, DIAG_ERROR, paths[k], 0, 0, 0, NULL,
                          "the same report as %s (the same SHA-256): merging it twice would "
                          "count its findings twice", paths[j]);
                code = EXIT_USAGE;
            }
        if (code == EXIT_DATA) {
            report_dispose(&src);
            break;
        }
        if (k == 0)
            keep_rules(&ref, &src);
        bool files = report_same_rulefiles(&ref.meta, &src.meta);
        bool params = report_same_params(&ref.meta, &src.meta);
        if ((!files || !params) && !allow_mixed) {
            diags_add(d, DIAG_ERROR, paths[k], 0, 0, 0, NULL,
                      "made with other rules than %s (%s%s%s): merge reports made with the "
                      "same rule files and --set values, or pass --allow-mixed-rules to merge "
                      "them anyway (the report then says so)", paths[0],
                      files ? "" : "other rule files", !files && !params ? ", " : "",
                      params ? "" : "other params");
            code = EXIT_USAGE;
        }
        /* Past a refusal, only reading on, to name every report at fault. */
        if (code == EXIT_OK)
            report_combine_add(&c, &src, paths[k], sums[k], !files || !params);
        report_dispose(&src);
    }
    if (report_combine_finish(&c, d) < 0 && code == EXIT_OK)
        code = EXIT_WRITE;
    report_dispose(&ref);
    free(sums);
    return code;
}
