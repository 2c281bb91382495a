/* SPDX-License-Identifier: MIT
 * Command-line parsing, driven by the option table in options.def:
 * `imgaudit COMMAND [OPTIONS] [ARGS]`, long options as `--name VALUE` or
 * `--name=VALUE`, short ones as `-x VALUE`, `--` ends the options. Typed
 * values (integers, times, severities) are parsed and checked here, once,
 * so that the rest of the program sees valid settings only. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "util/buf.h"
#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

const struct cli_option cli_options[] = {
#define OPT(name, sh, kind, field, cmds, metavar, help) {name, sh, kind, cmds, metavar, help},
#include "cli/options.def"
#undef OPT
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

const struct cli_command cli_commands[] = {
#define CMD(name, flag, summary, usage, run) {name, flag, summary, usage, run},
#include "cli/commands.def"
#undef CMD
};

const struct cli_command *cli_command_by_flag(unsigned flag)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (cli_commands[i].flag == flag)
            return &cli_commands[i];
    return NULL;
}

const struct cli_command *cli_command_by_name(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

const char *command_name(unsigned flag)
{
    const struct cli_command *c = cli_command_by_flag(flag);
    return c ? c->name : "";
}

void str_list_push(struct str_list *l, const char *s)
{
    XGROW(l->v, l->cap, l->n + 1);
    l->v[l->n++] = s;
}

void cli_config_dispose(struct cli_config *cfg)
{
#define DISPOSE_ARG_LIST(field) free(cfg->field.v);
#define DISPOSE_ARG_FLAG(field)
#define DISPOSE_ARG_STR(field)
#define DISPOSE_ARG_INT(field)
#define DISPOSE_ARG_DOUBLE(field)
#define DISPOSE_ARG_TIME(field)
#define DISPOSE_ARG_SEVERITY(field)
#define OPT(name, sh, kind, field, cmds, metavar, help) DISPOSE_##kind(field)
#include "cli/options.def"
#undef OPT
    free(cfg->args.v);
    memset(cfg, 0, sizeof *cfg);
}

static void set_defaults(struct cli_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->fail_on = -1;
    cfg->html_max_findings = 5000;
    cfg->page_size = 200;
    cfg->concurrency = 4;
    cfg->timeout = 30;
    cfg->retries = 5;
    cfg->max_rate = 0;
}

static int usage_error(struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(struct diags *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diags_error(d, "%s", buf_cstr(&b));
    buf_dispose(&b);
    return -1;
}

/* Store 'val' for option 'opt' into the field of 'cfg' it declares. */
static int store(struct cli_config *cfg, const struct cli_option *opt, const char *val,
                 struct diags *d)
{
    char *end;
    size_t idx = (size_t)(opt - cli_options);
    size_t k = 0;
    /* The switch is generated: option number k maps to its field. */
#define STORE_ARG_FLAG(field) cfg->field = true;
#define STORE_ARG_STR(field) cfg->field = val;
#define STORE_ARG_LIST(field) str_list_push(&cfg->field, val);
#define STORE_ARG_INT(field)                                                        \
    errno = 0;                                                                      \
    cfg->field = strtol(val, &end, 10);                                             \
    if (errno || end == val || *end)                                                \
        return usage_error(d, "--%s: '%s' is not a whole number", opt->name, val);
#define STORE_ARG_DOUBLE(field)                                                     \
    errno = 0;                                                                      \
    cfg->field = strtod(val, &end);                                                 \
    if (errno || end == val || *end || !isfinite(cfg->field) || cfg->field < 0)     \
        return usage_error(d, "--%s: '%s' is not a non-negative number", opt->name, val);
#define STORE_ARG_TIME(field)                                                       \
    if (time_parse(val, &cfg->field) < 0)                                           \
        return usage_error(d,                                                       \
            "--%s: '%s' is not an RFC 3339 time (2026-11-27T08:00:00Z) "            \
            "or epoch milliseconds", opt->name, val);
#define STORE_ARG_SEVERITY(field)                                                   \
    cfg->field = severity_parse(val);                                               \
    if (cfg->field < 0)                                                             \
        return usage_error(d, "--%s: '%s' is not a severity "                       \
            "(info, low, medium, high, critical)", opt->name, val);
#define OPT(name, sh, kind, field, cmds, metavar, help)                             \
    if (k++ == idx) {                                                               \
        STORE_##kind(field)                                                         \
        cfg->has_##field = true;                                                    \
        return 0;                                                                   \
    }
#include "cli/options.def"
#undef OPT
    return 0;
}

static const struct cli_option *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (strlen(cli_options[i].name) == len && memcmp(cli_options[i].name, name, len) == 0)
            return &cli_options[i];
    return NULL;
}

static const struct cli_option *find_short(char c)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].short_name == c)
            return &cli_options[i];
    return NULL;
}

static int unknown_option(const char *arg, struct diags *d)
{
    const char *name = arg + strspn(arg, "-");
    size_t len = strcspn(name, "=");
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < cli_option_count && n < 64; i++)
        cands[n++] = cli_options[i].name;
    const char *best = suggest_best(name, len, cands, n);
    if (best)
        diags_add(d, DIAG_ERROR, NULL, 0, 0, 0, NULL,
                  "unknown option '%.*s' (did you mean '--%s'?)", (int)(name - arg + len), arg,
                  best);
    else
        diags_add(d, DIAG_ERROR, NULL, 0, 0, 0, NULL, "unknown option '%.*s'",
                  (int)(name - arg + len), arg);
    return -1;
}

int cli_parse(struct cli_config *cfg, int argc, char **argv, struct diags *d)
{
    set_defaults(cfg);
    cfg->argc = argc;
    cfg->argv = argv;
    int i = 1;
    if (i >= argc) {
        diags_error(d, "no command given");
        return -1;
    }
    const char *first = argv[i];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        cfg->command = CMD_HELP;
        return 0;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        cfg->command = CMD_VERSION;
        return 0;
    }
    const struct cli_command *cmd = cli_command_by_name(first);
    if (cmd)
        cfg->command = cmd->flag;
    else if (strcmp(first, "help") == 0)
        cfg->command = CMD_HELP;
    if (cfg->command == CMD_NONE) {
        const char *names[COMMAND_COUNT];
        for (size_t c = 0; c < COMMAND_COUNT; c++)
            names[c] = cli_commands[c].name;
        const char *best = suggest_best(first, strlen(first), names, COMMAND_COUNT);
        if (first[0] == '-')
            return usage_error(d, "'%s' needs a command before it, e.g. 'imgaudit report %s'",
                               first, first);
        if (best)
            return usage_error(d, "unknown command '%s' (did you mean '%s'?)", first, best);
        return usage_error(d, "unknown command '%s'", first);
    }
    i++;
    if (cfg->command == CMD_HELP) {
        if (i < argc) {
            cfg->help_topic = argv[i];
            if (i + 1 < argc)
                return usage_error(d, "'help' takes one command name, not '%s'", argv[i + 1]);
        }
        return 0;
    }
    unsigned bit = cfg->command;
    bool options_done = false;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            str_list_push(&cfg->args, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        const struct cli_option *opt;
        const char *val = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            opt = find_long(name, len);
            if (!opt)
                return unknown_option(arg, d);
            if (eq)
                val = eq + 1;
        } else {
            if (arg[2] != '\0')
                return usage_error(d, "unknown option '%s' (short options take their value "
                                   "as the next argument)", arg);
            opt = find_short(arg[1]);
            if (!opt)
                return unknown_option(arg, d);
        }
        if (!(opt->commands & bit)) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0, 0, NULL,
                      "option '--%s' does not apply to '%s'", opt->name,
                      command_name(cfg->command));
            return -1;
        }
        if (opt->kind == ARG_FLAG) {
            if (val)
                return usage_error(d, "option '--%s' takes no value", opt->name);
        } else if (!val) {
            if (i + 1 >= argc)
                return usage_error(d, "option '--%s' needs a value (%s)", opt->name, opt->metavar);
            val = argv[++i];
        }
        if (store(cfg, opt, val, d) < 0)
            return -1;
    }
    if (cfg->help) {
        cfg->help_topic = command_name(cfg->command);
        cfg->command = CMD_HELP;
        return 0;
    }
    /* Only lint, diff, verify and merge take operands. Ignoring one would be worse than a usage
     * error: 'report --rules R list.jsonl' would pull from the API. */
    if (cfg->args.n && !(cfg->command & (C_LINT | C_DIFF | C_VERIFY | C_MERGE)))
        return usage_error(d, "'%s' takes no operand '%s' (%s)", command_name(cfg->command),
                           cfg->args.v[0],
                           cfg->command == C_REPORT ? "a saved image list is --input FILE"
                                                      : "the snapshot is -o FILE");
    return 0;
}
