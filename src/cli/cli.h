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

/* The commands, from commands.def: C_REPORT, C_FETCH, ... are their bits
 * (the commands column of options.def), in table order. */
enum command_index {
#define CMD(name, flag, summary, usage, run) flag##_INDEX,
#include "cli/commands.def"
#undef CMD
    COMMAND_COUNT
};
enum command_flag {
#define CMD(name, flag, summary, usage, run) flag = 1u << flag##_INDEX,
#include "cli/commands.def"
#undef CMD
};
#define C_ALL ((1u << COMMAND_COUNT) - 1u)
/* cli_config.command is a C_ bit, or one of these, which are not
 * commands of the table. */
#define CMD_NONE 0u
#define CMD_HELP (1u << COMMAND_COUNT)
#define CMD_VERSION (1u << (COMMAND_COUNT + 1))

enum arg_kind { ARG_FLAG, ARG_STR, ARG_LIST, ARG_INT, ARG_DOUBLE, ARG_TIME, ARG_SEVERITY };

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

/* Option numbers, in table order: OPT_IDX_rules, ... */
enum option_index {
#define OPT(name, sh, kind, field, cmds, metavar, help, key) OPT_IDX_##field,
#include "cli/options.def"
#undef OPT
    OPTION_COUNT
};

struct config_file;

/* The settings of one run: the command line over the --config file over
 * the environment over the defaults, all checked (types, severities,
 * times). Strings are borrowed from argv and from 'file', which this
 * struct owns; cli_config_dispose() frees both. */
struct cli_config {
    unsigned command;               /* C_REPORT, ..., CMD_HELP or CMD_VERSION */
    const char *help_topic;         /* `imgaudit help COMMAND` */
    struct str_list args;           /* operands (lint: rule files; diff: OLD NEW; verify: DIR; merge: reports) */
    int argc;                       /* the whole command line, as given (evidence: run.json) */
    char **argv;
    struct config_file *file;       /* owned: the --config file read, or NULL */
#define OPT(name, sh, kind, field, cmds, metavar, help, key) CLI_T_##kind field;
#include "cli/options.def"
#undef OPT
    /* Which options were set, on the command line or in the config file
     * (so that defaults and `diff` can tell "unset" from "set to the
     * default"). */
#define OPT(name, sh, kind, field, cmds, metavar, help, key) bool has_##field;
#include "cli/options.def"
#undef OPT
    /* The text each single-valued option was given as, for "given
     * twice" (borrowed). */
    const char *given[OPTION_COUNT];
};

struct cli_option {
    const char *name;
    char short_name;
    enum arg_kind kind;
    unsigned commands;
    const char *metavar;
    const char *help;
    const char *key;        /* config-file key, or NULL */
};
extern const struct cli_option cli_options[];
extern const size_t cli_option_count;
/* The option whose config key is 'key' (normalised: lower case, '_'),
 * also for a list option's key with an 's' more or less ("filters",
 * "outputs"); or NULL. */
const struct cli_option *cli_option_by_key(const char *key);

struct cli_command {
    const char *name;
    unsigned flag;
    const char *summary;
    const char *usage;
    int (*run)(const struct cli_config *cfg, struct diags *d);
};
extern const struct cli_command cli_commands[];     /* COMMAND_COUNT, table order */
/* The command with this flag or name, or NULL. */
const struct cli_command *cli_command_by_flag(unsigned flag);
const struct cli_command *cli_command_by_name(const char *name);
/* The handlers named in commands.def (cli_main.c). */
#define CMD(name, flag, summary, usage, run) \
    int run(const struct cli_config *cfg, struct diags *d);
#include "cli/commands.def"
#undef CMD

/* Parse argv into 'cfg': defaults, then the environment
 * (HUAWEICLOUD_SDK_PROJECT_ID), then the --config file, then the command
 * line, each checked the same way. A single-valued option given twice on
 * the command line (or set twice in the file) is an error naming both
 * values. Returns 0, or -1 with usage errors in 'd' (config-file errors
 * located FILE:LINE). 'cfg' must be disposed in both cases. */
int cli_parse(struct cli_config *cfg, int argc, char **argv, struct diags *d);
void cli_config_dispose(struct cli_config *cfg);
void str_list_push(struct str_list *l, const char *s);

/* Help text (help.c), generated from the option table. */
/* 'topic' is a C_ flag, or CMD_NONE for the overview. */
void cli_print_help(FILE *out, unsigned topic);
void cli_print_version(FILE *out);
const char *command_name(unsigned flag);

/* The program. */
int cli_main(int argc, char **argv);

#endif
