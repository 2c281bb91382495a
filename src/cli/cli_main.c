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

/* The handlers of commands.def. Each hands the settings to its app_*
 * command and returns its exit code. */
int run_report(const struct cli_config *cfg, struct diags *d) { return app_report(cfg, d); }
int run_fetch(const struct cli_config *cfg, struct diags *d) { return app_fetch(cfg, d); }
int run_lint(const struct cli_config *cfg, struct diags *d) { return app_lint(cfg, d); }
int run_diff(const struct cli_config *cfg, struct diags *d) { return app_diff(cfg, d); }
int run_verify(const struct cli_config *cfg, struct diags *d) { return app_verify(cfg, d); }
int run_merge(const struct cli_config *cfg, struct diags *d) { return app_merge(cfg, d); }

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
