/* SPDX-License-Identifier: MIT
 * --help, `help COMMAND` and --version. The option lines are generated
 * from the table in options.def, so help cannot drift from the parser;
 * docs/imgaudit.md is checked against this output by
 * tests/cli/docs-sync.sh. */
#include <ctype.h>
#include <string.h>

#include "cli/cli.h"

static const char exit_codes[] =
    "Exit codes:\n"
    "  0  success: no gate, or the gate passed\n"
    "  1  gate failed: an open finding at or above --fail-on, a new one at or\n"
    "     above --fail-on-new, or an expired waiver with\n"
    "     --fail-on-expired-waivers (everything is still reported); with\n"
    "     --split-by, in the combined report or any part\n"
    "  2  usage error, or invalid rules, waivers, params, config or --where,\n"
    "     a baseline newer than --now, or reports to merge made with other\n"
    "     rules (without --allow-mixed-rules)\n"
    "  3  data error: input or baseline unreadable or malformed, API or\n"
    "     network failure, incomplete pull; also with --allow-incomplete,\n"
    "     which only lets the reports be written: on incomplete data the\n"
    "     gate can fail (1) but never pass; verify: a check failed\n"
    "  4  a report or evidence bundle could not be written\n";

/* Help lines are wrapped at 79 columns, with the text in a column of
 * its own, so the output reads well in an 80-column terminal. */
#define HELP_WIDTH 79
#define HELP_COL 31

static void print_wrapped(FILE *out, const char *text, int col)
{
    const char *p = text;
    int first = 1;
    while (*p) {
        size_t room = (size_t)(HELP_WIDTH - col), len = strlen(p);
        size_t cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = room;
        }
        if (!first)
            fprintf(out, "%*s", col, "");
        fprintf(out, "%.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
        first = 0;
    }
}

static void print_option(FILE *out, const struct cli_option *o)
{
    char left[64];
    if (o->short_name)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                 *o->metavar ? " " : "", o->metavar);
    else
        snprintf(left, sizeof left, "    --%s%s%s", o->name, *o->metavar ? " " : "",
                 o->metavar);
    if (strlen(left) <= HELP_COL - 3)
        fprintf(out, "  %-*s ", HELP_COL - 3, left);
    else
        fprintf(out, "  %s\n%*s", left, HELP_COL, "");
    print_wrapped(out, o->help, HELP_COL);
}

void cli_print_version(FILE *out)
{
    fprintf(out, "imgaudit %s\n", IMGAUDIT_VERSION);
}

void cli_print_help(FILE *out, unsigned topic)
{
    const struct cli_command *cmd = cli_command_by_flag(topic);
    unsigned mask = cmd ? cmd->flag : C_ALL;
    fprintf(out, "imgaudit %s: audit Huawei Cloud HSS container images against rules\n\n",
            IMGAUDIT_VERSION);
    fputs("Usage:\n", out);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (!cmd || &cli_commands[i] == cmd)
            fprintf(out, "  %s\n", cli_commands[i].usage);
    if (!cmd) {
        fputs("  imgaudit help COMMAND\n  imgaudit --version\n\nCommands:\n", out);
        for (size_t i = 0; i < COMMAND_COUNT; i++)
            fprintf(out, "  %-8s %s\n", cli_commands[i].name, cli_commands[i].summary);
    } else {
        fprintf(out, "\n%c%s.\n", toupper((unsigned char)cmd->summary[0]), cmd->summary + 1);
    }
    fputs("\nOptions:\n", out);
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].commands & mask)
            print_option(out, &cli_options[i]);
    if (mask == C_ALL)
        print_option(out, &(struct cli_option){"version", 'V', ARG_FLAG, C_ALL, "",
                                                "print the version and exit", NULL});
    if (mask & (C_REPORT | C_FETCH))
        fputs("\nCredentials come only from the environment or files, never from arguments:\n"
              "  HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK/CLOUD_SDK_SK),\n"
              "  HUAWEICLOUD_SDK_SECURITY_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID,\n"
              "  IMGAUDIT_AUTH_TOKEN or --token-file FILE.\n",
              out);
    fputc('\n', out);
    fputs(exit_codes, out);
}
