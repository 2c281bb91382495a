/* SPDX-License-Identifier: MIT
 * Command-line parsing, driven by the option table in options.def:
 * `imgaudit COMMAND [OPTIONS] [ARGS]`, long options as `--name VALUE` or
 * `--name=VALUE`, short ones as `-x VALUE`, `--` ends the options; then
 * the --config file (config.c) and the environment under it. Typed
 * values (integers, times, severities) from either are parsed and
 * checked here, once, by the same store(), so that the rest of the
 * program sees valid settings only. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/config.h"
#include "rules/rules.h"
#include "source/fetch.h"
#include "source/hss.h"
#include "util/buf.h"
#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

const struct cli_option cli_options[] = {
#define OPT(name, sh, kind, field, cmds, metavar, help, key) \
    {name, sh, kind, cmds, metavar, help, key},
#include "cli/options.def"
#undef OPT
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

const struct cli_option *cli_option_by_key(const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].key && strcmp(cli_options[i].key, key) == 0)
            return &cli_options[i];
    /* A list's key in the other number: "filters", "outputs", "rule". */
    for (size_t i = 0; i < cli_option_count; i++) {
        const char *k = cli_options[i].key;
        if (!k || cli_options[i].kind != ARG_LIST)
            continue;
        size_t kn = strlen(k);
        if ((n == kn + 1 && key[kn] == 's' && strncmp(k, key, kn) == 0) ||
            (kn == n + 1 && k[n] == 's' && strncmp(k, key, n) == 0))
            return &cli_options[i];
    }
    return NULL;
}

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
#define OPT(name, sh, kind, field, cmds, metavar, help, key) DISPOSE_##kind(field)
#include "cli/options.def"
#undef OPT
    free(cfg->args.v);
    if (cfg->file) {
        config_dispose(cfg->file);
        free(cfg->file);
    }
    memset(cfg, 0, sizeof *cfg);
}

/* The defaults, the only place they are set. */
static void set_defaults(struct cli_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->fail_on = -1;
    cfg->fail_on_new = -1;
    cfg->warn_expiring = 14;
    cfg->html_max_findings = 5000;
    cfg->page_size = HSS_PAGE_MAX;
    cfg->concurrency = 4;
    cfg->timeout = 30;
    cfg->retries = -1;          /* no count limit: --retry-max-time bounds */
    cfg->retry_max_time = 300;
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

/* Where a value comes from: the command line (file NULL) or a line of
 * the config file. Messages name the option as it was written there:
 * "--fail-on" or "fail_on". */
struct origin {
    const char *file;
    int line;
};

static int value_error(struct diags *d, const struct cli_option *opt, const struct origin *at,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int value_error(struct diags *d, const struct cli_option *opt, const struct origin *at,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct buf b = BUF_INIT;
    if (at->file)
        buf_printf(&b, "%s", opt->key);
    else
        buf_printf(&b, "--%s", opt->name);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diags_add(d, DIAG_ERROR, at->file, at->line, 0, 0, NULL, "%s", buf_cstr(&b));
    buf_dispose(&b);
    return -1;
}

/* The numbers an option takes, checked where its value is read, so
 * that a config file's is named by FILE:LINE like its other problems
 * and every problem shows in one run; app/ takes them as checked (job.h).
 * The message is "--NAME VALUE: SAY" ("NAME VALUE: SAY" at FILE:LINE);
 * SAY NULL: "must be MIN to MAX". */
static const struct range {
    const char *name;
    double min, max;
    bool above_min;             /* MIN itself is out */
    const char *say;
} ranges[] = {
    {"html-max-findings", 0, HUGE_VAL, false, "must not be negative (0 lists every finding)"},
    {"warn-expiring", 0, HUGE_VAL, false, "must not be negative (0 flags none)"},
    {"max-waiver-days", 1, HUGE_VAL, false, "must be a positive number of days"},
    {"jobs", 1, 256, false, NULL},
    {"page-size", 1, HSS_PAGE_MAX, false, NULL},
    {"concurrency", 1, FETCH_MAX_CONCURRENCY, false, NULL},
    {"retries", 0, 100, false, NULL},
    {"timeout", 0, 3600, true, "must be more than 0 and at most 3600 seconds"},
    {"retry-max-time", 0, 86400, true, "must be more than 0 and at most 86400 seconds"},
    {"max-time", 0, 7 * 86400, false,
     "must be at most 604800 seconds (7 days), or 0 for no limit"},
};

static int check_range(const struct cli_option *opt, const char *val, double x,
                       const struct origin *at, struct diags *d)
{
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        const struct range *r = &ranges[i];
        if (strcmp(r->name, opt->name) != 0)
            continue;
        if ((r->above_min ? x > r->min : x >= r->min) && x <= r->max)
            return 0;
        if (r->say)
            return value_error(d, opt, at, " %s: %s", val, r->say);
        return value_error(d, opt, at, " %s: must be %.0f to %.0f", val, r->min, r->max);
    }
    return 0;
}

/* A parsed value, of whichever kind the option is. */
struct value {
    bool flag;
    const char *str;
    long num;
    double real;
    int64_t time;
    int severity;
};

static int parse_value(const struct cli_option *opt, const char *val, const struct origin *at,
                       struct value *v, struct diags *d)
{
    char *end;
    v->str = val;
    switch (opt->kind) {
    case ARG_FLAG:
        if (!at->file) {
            v->flag = true;     /* the command line's flags take no value */
            return 0;
        }
        static const char *const yes[] = {"true", "yes", "on", "1"};
        static const char *const no[] = {"false", "no", "off", "0"};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(val, yes[i]) == 0 || strcasecmp(val, no[i]) == 0) {
                v->flag = strcasecmp(val, yes[i]) == 0;
                return 0;
            }
        }
        return value_error(d, opt, at, ": '%s' is not true or false", val);
    case ARG_STR:
    case ARG_LIST:
        return 0;
    case ARG_INT:
        errno = 0;
        v->num = strtol(val, &end, 10);
        if (errno || end == val || *end)
            return value_error(d, opt, at, ": '%s' is not a whole number", val);
        return check_range(opt, val, (double)v->num, at, d);
    case ARG_DOUBLE:
        errno = 0;
        v->real = strtod(val, &end);
        if (errno || end == val || *end || !isfinite(v->real) || v->real < 0)
            return value_error(d, opt, at, ": '%s' is not a non-negative number", val);
        return check_range(opt, val, v->real, at, d);
    case ARG_TIME:
        if (time_parse(val, &v->time) < 0)
            return value_error(d, opt, at, ": '%s' is not an RFC 3339 time "
                               "(2026-11-27T08:00:00Z) or epoch milliseconds", val);
        return 0;
    case ARG_SEVERITY:
        v->severity = severity_parse(val);
        if (v->severity < 0)
            return value_error(d, opt, at, ": '%s' is not a severity "
                               "(info, low, medium, high, critical)", val);
        return 0;
    }
    return 0;
}

/* Check 'val' and store it for 'opt' into the field of 'cfg' it
 * declares: the one store for the command line and the config file. A
 * single-valued option given a second time is an error (the command
 * line's flags may repeat: they say the same thing). */
static int store(struct cli_config *cfg, const struct cli_option *opt, const char *val,
                 const struct origin *at, struct diags *d)
{
    size_t idx = (size_t)(opt - cli_options);
    struct value v;
    memset(&v, 0, sizeof v);
    if (parse_value(opt, val, at, &v, d) < 0)
        return -1;
    bool single = opt->kind != ARG_LIST && (opt->kind != ARG_FLAG || at->file);
    if (single && cfg->given[idx])
        return value_error(d, opt, at, " given twice (\"%s\", then \"%s\"); give it once",
                           cfg->given[idx], val);
    cfg->given[idx] = val;
#define SET_ARG_FLAG(field) cfg->field = v.flag;
#define SET_ARG_STR(field) cfg->field = v.str;
#define SET_ARG_LIST(field) str_list_push(&cfg->field, v.str);
#define SET_ARG_INT(field) cfg->field = v.num;
#define SET_ARG_DOUBLE(field) cfg->field = v.real;
#define SET_ARG_TIME(field) cfg->field = v.time;
#define SET_ARG_SEVERITY(field) cfg->field = v.severity;
    switch (idx) {
#define OPT(name, sh, kind, field, cmds, metavar, help, key)                        \
    case OPT_IDX_##field:                                                           \
        SET_##kind(field)                                                           \
        cfg->has_##field = true;                                                    \
        break;
#include "cli/options.def"
#undef OPT
    }
    return 0;
}

/* The commands a config-file setting applies to. One file usually serves
 * report and fetch alike, and its `output` entries name reports: they
 * must never become fetch's snapshot path (fetch would write JSON Lines
 * over weekly.xlsx). fetch takes its -o from the command line only. */
static unsigned file_commands(const char *key, unsigned cmds)
{
    if (key && strcmp(key, "output") == 0)
        return cmds & ~(unsigned)C_FETCH;
    return cmds;
}

/* The project list is one setting made of two options: --project-id or
 * --source on the command line replaces the file's whole list (both its
 * project_id and its source entries), as any list option replaces the
 * file's list, instead of pulling the file's projects as well. */
static bool file_project_key(const char *key)
{
    return key && (strcmp(key, "project_id") == 0 || strcmp(key, "source") == 0);
}

/* Read cfg->config and set every option of it that the command line did
 * not set (a list given on the command line replaces the file's). Every
 * entry is checked, also those of options this command does not take (a
 * file shared by `report` and `fetch` holds both kinds), but only this
 * command's are used. Returns 0, or -1 with every problem in 'd'. */
static int apply_config(struct cli_config *cfg, struct diags *d)
{
    cfg->file = xcalloc(1, sizeof *cfg->file);
    /* The entries read are checked even when others were refused, so
     * that one run lists every problem, in the file's order. */
    size_t first = d->n;
    int rc = config_load(cfg->file, cfg->config, d);
    struct cli_config *f = xmalloc(sizeof *f);
    set_defaults(f);
    for (size_t i = 0; i < cfg->file->n; i++) {
        const struct config_entry *e = &cfg->file->v[i];
        struct origin at = {cfg->file->path, e->line};
        if (store(f, e->opt, e->value, &at, d) < 0)
            rc = -1;
    }
    for (size_t i = first + 1; i < d->n; i++)      /* stable: by line */
        for (size_t j = i; j > first && d->v[j - 1].line > d->v[j].line; j--) {
            struct diag t = d->v[j];
            d->v[j] = d->v[j - 1];
            d->v[j - 1] = t;
        }
#define TAKE_ARG_LIST(field) \
    free(cfg->field.v);      \
    cfg->field = f->field;   \
    f->field = (struct str_list){NULL, 0, 0};
#define TAKE_ARG_FLAG(field) cfg->field = f->field;
#define TAKE_ARG_STR(field) cfg->field = f->field;
#define TAKE_ARG_INT(field) cfg->field = f->field;
#define TAKE_ARG_DOUBLE(field) cfg->field = f->field;
#define TAKE_ARG_TIME(field) cfg->field = f->field;
#define TAKE_ARG_SEVERITY(field) cfg->field = f->field;
    bool cli_projects = cfg->has_project_id || cfg->has_sources;
#define OPT(name, sh, kind, field, cmds, metavar, help, key)                         \
    if (rc == 0 && (file_commands(key, cmds) & cfg->command) && f->has_##field &&   \
        !cfg->has_##field && !(cli_projects && file_project_key(key))) {             \
        TAKE_##kind(field)                                                           \
        cfg->has_##field = true;                                                     \
    }
#include "cli/options.def"
#undef OPT
    cli_config_dispose(f);
    free(f);
    return rc;
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
    const char *cands[OPTION_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < cli_option_count; i++)
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
    bool options_done = false, bad = false;
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
        /* A bad value does not stop the parse: every one is named in one run. */
        if (store(cfg, opt, val, &(struct origin){NULL, 0}, d) < 0)
            bad = true;
    }
    if (bad)
        return -1;
    if (cfg->help) {
        cfg->help_topic = command_name(cfg->command);
        cfg->command = CMD_HELP;
        return 0;
    }
    /* Only lint, diff, verify and merge take operands. Ignoring one
     * would be worse than a usage error: 'report --rules R list.jsonl'
     * would pull from the API. */
    if (cfg->args.n && !(cfg->command & (C_LINT | C_DIFF | C_VERIFY | C_MERGE)))
        return usage_error(d, "'%s' takes no operand '%s' (%s)", command_name(cfg->command),
                           cfg->args.v[0],
                           cfg->command == C_REPORT ? "a saved image list is --input FILE"
                                                    : "the snapshot is -o FILE");
    if (cfg->config && apply_config(cfg, d) < 0)
        return -1;
    /* The environment, under both: the project id has a documented
     * variable (the SDKs'). Credentials are not settings: source/auth.c
     * reads them. */
    const char *env_pid = getenv("HUAWEICLOUD_SDK_PROJECT_ID");
    if (!cfg->project_id.n && env_pid && *env_pid)
        str_list_push(&cfg->project_id, env_pid);
    return 0;
}
