/* SPDX-License-Identifier: MIT
 * The command line: `imgaudit COMMAND [OPTIONS]`. cli_parse() fills a
 * struct cli_config from argv using the option table in options.def;
 * cli_main() is the whole program (main.c only calls it) and the only
 * place that turns results into exit codes (util/exitcodes.h). */
#ifndef IMGAUDIT_CLI_H
#define IMGAUDIT_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"

enum command { CMD_NONE, CMD_REPORT, CMD_FETCH, CMD_LINT, CMD_DIFF, CMD_VERIFY, CMD_MERGE,
               CMD_HELP,
               CMD_VERSION };

enum arg_kind { ARG_FLAG, ARG_STR, ARG_LIST, ARG_INT, ARG_DOUBLE, ARG_TIME, ARG_SEVERITY };

#define C_REPORT 1u
#define C_FETCH 2u
#define C_LINT 4u
#define C_DIFF 8u
#define C_VERIFY 16u
#define C_MERGE 32u
#define C_ALL (C_REPORT | C_FETCH | C_LINT | C_DIFF | C_VERIFY | C_MERGE)

struct str_list {
    const char **v;     /* borrowed from argv or the config file's strings */
    size_t n, cap;
};

/* Field types by kind. */
#define CLI_T_ARG_FLAG bool
#define CLI_T_ARG_STR const char *
#define CLI_T_ARG_LIST struct str_list
#define CLI_T_ARG_INT long
#define CLI_T_ARG_DOUBLE double
#define CLI_T_ARG_TIME int64_t
#define CLI_T_ARG_SEVERITY int

struct cli_config {
    enum command command;
    const char *help_topic;         /* `imgaudit help COMMAND` */
    struct str_list args;           /* operands (lint: rule files; diff: OLD NEW; verify: DIR; merge: reports) */
    int argc;                       /* the whole command line, as given (evidence: run.json) */
    char **argv;
#define OPT(name, sh, kind, field, cmds, metavar, help) CLI_T_##kind field;
#include "cli/options.def"
#undef OPT
    /* Which options were given explicitly (so defaults and config files
     * can tell "unset" from "set to the default"). */
#define OPT(name, sh, kind, field, cmds, metavar, help) bool has_##field;
#include "cli/options.def"
#undef OPT
};

struct cli_option {
    const char *name;
    char short_name;
    enum arg_kind kind;
    unsigned commands;
    const char *metavar;
    const char *help;
};
extern const struct cli_option cli_options[];
extern const size_t cli_option_count;

/* Parse argv into 'cfg' (defaults first). Returns 0, or -1 with a usage
 * error in 'd'. */
int cli_parse(struct cli_config *cfg, int argc, char **argv, struct diags *d);
void cli_config_dispose(struct cli_config *cfg);
void str_list_push(struct str_list *l, const char *s);

/* Help text (help.c), generated from the option table. */
void cli_print_help(FILE *out, enum command topic);
void cli_print_version(FILE *out);
const char *command_name(enum command c);

/* The program. */
int cli_main(int argc, char **argv);

#endif
