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
#include "util/exitcodes.h"

static enum command topic_command(const char *name)
{
    if (!name)
        return CMD_NONE;
    if (strcmp(name, "report") == 0)
        return CMD_REPORT;
    if (strcmp(name, "fetch") == 0)
        return CMD_FETCH;
    if (strcmp(name, "lint") == 0)
        return CMD_LINT;
    if (strcmp(name, "diff") == 0)
        return CMD_DIFF;
    if (strcmp(name, "verify") == 0)
        return CMD_VERIFY;
    if (strcmp(name, "merge") == 0)
        return CMD_MERGE;
    return CMD_HELP;    /* unknown topic: caller reports it */
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
    switch (cfg.command) {
    case CMD_HELP: {
        enum command t = topic_command(cfg.help_topic);
        if (t == CMD_HELP) {
            fprintf(stderr, "imgaudit: error: no help for '%s' (commands: report, fetch, lint, diff, "
                    "verify, merge)\n",
                    cfg.help_topic);
            code = EXIT_USAGE;
            break;
        }
        cli_print_help(stdout, t);
        code = EXIT_OK;
        break;
    }
    case CMD_VERSION:
        cli_print_version(stdout);
        code = EXIT_OK;
        break;
    case CMD_REPORT: code = app_report(&cfg, &d); break;
    case CMD_FETCH: code = app_fetch(&cfg, &d); break;
    case CMD_LINT: code = app_lint(&cfg, &d); break;
    case CMD_DIFF: code = app_diff(&cfg, &d); break;
    case CMD_VERIFY: code = app_verify(&cfg, &d); break;
    case CMD_MERGE: code = app_merge(&cfg, &d); break;
    default: code = EXIT_USAGE; break;
    }
    diags_print(&d, stderr);
    if (cfg.command == CMD_LINT && cfg.args.n && d.errors)
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
