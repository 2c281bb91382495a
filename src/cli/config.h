/* SPDX-License-Identifier: MIT
 * `--config FILE`: settings in a file, so a weekly job is one short
 * command. Any option with a config key in options.def can be set
 * there, by that key; the values go through the same checks as the
 * command line's (cli.c), which overrides them. Two formats, told apart
 * by content (a YAML document whose root is a mapping, else INI):
 *
 *   # YAML                          ; INI
 *   region: cn-north-4              region = cn-north-4
 *   fail_on: high                   fail-on = high
 *   rules:                          rules = rules/default.yaml
 *     - rules/default.yaml          rules = rules/team.yaml
 *     - rules/team.yaml             [filter]
 *   filter:                         namespace = prod
 *     - namespace=prod
 *   # or  filter: {namespace: prod}  ; or  filter = namespace=prod (repeated)
 *
 * Keys use '_' or '-' alike, in any case; a list option's key also with
 * an 's' more or less (filters, outputs). A list is a YAML sequence or a
 * repeated INI key; a NAME=VALUE list (filter, set) also a YAML mapping
 * or an INI [section]; an item of `source` also a YAML mapping
 * {region, project_id, enterprise_project_id}. Other INI sections only
 * group. Secrets (sk, ak,
 * token, password, ...) are refused with an error that names the
 * environment variable to use instead, and never quotes the value. */
#ifndef IMGAUDIT_CONFIG_H
#define IMGAUDIT_CONFIG_H
#include <stddef.h>

#include "util/diag.h"

struct cli_option;

struct config_entry {
    const struct cli_option *opt;   /* the option it sets (cli.h) */
    char *value;        /* owned; NAME=VALUE list items as "name=value" */
    int line;           /* 1-based */
};

struct config_file {
    char *path;         /* owned */
    struct config_entry *v;
    size_t n, cap;
};
#define CONFIG_FILE_INIT {NULL, NULL, 0, 0}

/* Read 'path': every entry, in file order, with the option it sets.
 * Returns 0, or -1 with every problem ("FILE:LINE: ...") in 'd': unknown
 * keys, secrets, a list where one value is expected. The values are not
 * checked here (cli.c does, as for the command line). */
int config_load(struct config_file *cf, const char *path, struct diags *d);
void config_dispose(struct config_file *cf);

#endif
