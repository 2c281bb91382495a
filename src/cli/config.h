/* SPDX-License-Identifier: MIT
 * `--config FILE`: the non-secret connection settings in a file, so a
 * weekly job is one short command. Two formats, told apart by content
 * (a YAML document whose root is a mapping, else INI):
 *
 *   # YAML                          ; INI
 *   region: cn-north-4              region = cn-north-4
 *   project_id: 0123abcd            project-id = 0123abcd
 *   filter:                         [filter]
 *     - namespace=prod              namespace = prod
 *     - scan_status=failed          scan_status = failed
 *   # or  filter: {namespace: prod}  ; or  filter = namespace=prod (repeatable)
 *
 * Keys use '_' or '-' alike. Known keys are the connection options of
 * options.def (region, endpoint, allow_http, project_id,
 * enterprise_project_id, filter, page_size, concurrency, max_rate,
 * timeout, retries, cacert, insecure, token_file, allow_incomplete).
 * Secrets (sk, ak, token, password, ...) are refused with an error that
 * names the environment variable to use instead, and never quotes the
 * value. This module only reads and checks names; app/pull.c converts
 * the values, because it owns the precedence
 * (options > config file > environment > defaults). */
#ifndef IMGAUDIT_CONFIG_H
#define IMGAUDIT_CONFIG_H
#include <stddef.h>

#include "util/diag.h"

struct config_entry {
    char *key;          /* owned, normalised: lowercase, '-' -> '_'; "filter" for filters */
    char *value;        /* owned; filters as "name=value" */
    int line;           /* 1-based */
};

struct config_file {
    char *path;         /* owned */
    struct config_entry *v;
    size_t n, cap;
};
#define CONFIG_FILE_INIT {NULL, NULL, 0, 0}

/* Read 'path'. Returns 0, or -1 with errors ("FILE:LINE: ...") in 'd'. */
int config_load(struct config_file *cf, const char *path, struct diags *d);
void config_dispose(struct config_file *cf);
/* The last entry for 'key', or NULL. */
const struct config_entry *config_get(const struct config_file *cf, const char *key);

#endif
