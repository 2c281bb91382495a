/* SPDX-License-Identifier: MIT
 * cli_main(): parse, run one command, print its diagnostics, exit. The
 * only place where results become exit codes. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/exitcodes.h"

/* A list of the CLI as the app takes it. */
static struct app_strs strs(const struct str_list *l)
{
    return (struct app_strs){l->v, l->n};
}

/* The settings the app receives (app/job.h), from the parsed ones. */
static void job_from(struct app_job *j, const struct cli_config *cfg, enum app_command c)
{
    *j = (struct app_job){
        .command = c, .args = strs(&cfg->args), .argc = cfg->argc, .argv = cfg->argv,
        .quiet = cfg->quiet, .verbose = cfg->verbose,
        .rules = strs(&cfg->rules), .waivers = strs(&cfg->waivers), .sets = strs(&cfg->sets),
        .outputs = strs(&cfg->outputs),
        .input = cfg->input, .format = cfg->format, .baseline = cfg->baseline,
        .template_path = cfg->template_path, .where = cfg->where, .split_by = cfg->split_by,
        .save_snapshot = cfg->save_snapshot, .evidence_dir = cfg->evidence_dir,
        .sign_key = cfg->sign_key, .config = cfg->config,
        .fail_on = cfg->fail_on, .fail_on_new = cfg->fail_on_new,
        .fail_on_expired_waivers = cfg->fail_on_expired_waivers,
        .allow_mixed_rules = cfg->allow_mixed_rules,
        .warn_expiring = cfg->warn_expiring, .max_waiver_days = cfg->max_waiver_days,
        .jobs = cfg->jobs, .html_max_findings = cfg->html_max_findings, .now = cfg->now,
        .has_fail_on = cfg->has_fail_on, .has_fail_on_new = cfg->has_fail_on_new,
        .has_fail_on_expired_waivers = cfg->has_fail_on_expired_waivers,
        .has_warn_expiring = cfg->has_warn_expiring,
        .has_max_waiver_days = cfg->has_max_waiver_days, .has_jobs = cfg->has_jobs,
        .has_now = cfg->has_now,
        .pubkey = cfg->pubkey,
        .pull = {
            .region = cfg->region, .endpoint = cfg->endpoint,
            .enterprise_project_id = cfg->enterprise_project_id,
            .project_id = strs(&cfg->project_id), .has_project_id = cfg->has_project_id,
            .sources = strs(&cfg->sources), .region_endpoints = strs(&cfg->region_endpoints),
            .filters = strs(&cfg->filters), .cacert = cfg->cacert,
            .token_file = cfg->token_file, .allow_http = cfg->allow_http,
            .insecure = cfg->insecure, .allow_incomplete = cfg->allow_incomplete,
            .quiet = cfg->quiet, .verbose = cfg->verbose,
            .page_size = cfg->page_size, .concurrency = cfg->concurrency,
            .retries = cfg->retries,
            .max_rate = cfg->max_rate, .timeout = cfg->timeout,
            .retry_max_time = cfg->retry_max_time, .max_time = cfg->max_time,
        },
    };
}

/* The handlers of commands.def: each hands the settings to its app_*
 * command as the struct app/ declares, and returns its exit code. */
#define RUN(name, app_fn, cmd)                                      \
    int name(const struct cli_config *cfg, struct diags *d)         \
    {                                                               \
        struct app_job job;                                         \
        job_from(&job, cfg, cmd);                                   \
        return app_fn(&job, d);                                     \
    }
RUN(run_report, app_report, APP_REPORT)
RUN(run_fetch, app_fetch, APP_FETCH)
RUN(run_lint, app_lint, APP_LINT)
RUN(run_diff, app_diff, APP_DIFF)
RUN(run_verify, app_verify, APP_VERIFY)
RUN(run_merge, app_merge, APP_MERGE)
#undef RUN

/* `help [COMMAND]`: exit 0, or 2 for a topic that is not a command. */
static int run_help(const char *topic, struct diags *d)
{
    const struct cli_command *cmd = topic ? cli_command_by_name(topic) : NULL;
    if (topic && !cmd) {
        struct buf names = BUF_INIT;
        for (size_t i = 0; i < COMMAND_COUNT; i++)
            buf_printf(&names, "%s%s", i ? ", " : "", cli_commands[i].name);
        diags_error(d, "no help for '%s' (commands: %s)", topic, buf_cstr(&names));
        buf_dispose(&names);
        return EXIT_USAGE;
    }
    cli_print_help(stdout, cmd ? cmd->flag : CMD_NONE);
    return EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    /* Byte-oriented and locale-independent output: "C" numerics. */
    setlocale(LC_ALL, "C");
    atomic_install_signal_handlers();

    struct diags d;
    diags_init(&d);
    struct cli_config cfg;
    int code;
    if (cli_parse(&cfg, argc, argv, &d) < 0) {
        diags_print(&d, stderr);
        fputs("Try 'imgaudit --help' for more information.\n", stderr);
        code = EXIT_USAGE;
        goto done;
    }
    const struct cli_command *cmd = cli_command_by_flag(cfg.command);
    if (cmd) {
        code = cmd->run(&cfg, &d);
    } else if (cfg.command == CMD_VERSION) {
        cli_print_version(stdout);
        code = EXIT_OK;
    } else {
        code = run_help(cfg.help_topic, &d);
    }
    diags_print(&d, stderr);
    if (cfg.command == C_LINT && cfg.args.n && d.errors)
        fprintf(stderr, "imgaudit: %zu error%s\n", d.errors, d.errors == 1 ? "" : "s");
done:
    cli_config_dispose(&cfg);
    diags_dispose(&d);
    /* The summary is output too: losing it is a write error, which
     * outranks a failed gate as it does for report files (a usage or
     * data error stays what it was). */
    if ((fflush(stdout) != 0 || ferror(stdout)) && (code == EXIT_OK || code == EXIT_GATE)) {
        fprintf(stderr, "imgaudit: error: cannot write to standard output: %s\n",
                strerror(errno));
        code = EXIT_WRITE;
    }
    return code;
}
