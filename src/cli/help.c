/* SPDX-License-Identifier: MIT
 * --help, `help COMMAND` and --version. The option lines are generated
 * from the table in options.def, so help cannot drift from the parser;
 * docs/imgaudit.md is checked against this output by
 * tests/cli/docs-sync.sh. */
#include <string.h>

#include "cli/cli.h"

static const struct {
    enum command cmd;
    const char *usage;
    const char *summary;
} command_help[] = {
    {CMD_REPORT,
     "imgaudit report --rules FILE [--input FILE|-] [-o OUT]... [--fail-on SEVERITY]\n"
     "                [--set NAME=VALUE]... [--now TIME] [connection options] [--quiet]",
     "evaluate the rules against every image and write reports"},
    {CMD_FETCH, "imgaudit fetch [connection options] -o SNAPSHOT.jsonl",
     "pull the complete image list into a JSON Lines snapshot"},
    {CMD_LINT, "imgaudit lint [--set NAME=VALUE]... RULES...",
     "check rule files and print every problem"},
};

static const char exit_codes[] =
    "Exit codes:\n"
    "  0  success: no gate, or the gate passed\n"
    "  1  gate failed: a finding at or above --fail-on (everything is still reported)\n"
    "  2  usage error, or invalid rules, params or config\n"
    "  3  data error: input unreadable or malformed, API or network failure,\n"
    "     incomplete pull\n"
    "  4  a report could not be written\n";

static void print_option(FILE *out, const struct cli_option *o)
{
    char left[64];
    if (o->short_name)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                 *o->metavar ? " " : "", o->metavar);
    else
        snprintf(left, sizeof left, "    --%s%s%s", o->name, *o->metavar ? " " : "",
                 o->metavar);
    if (strlen(left) <= 28)
        fprintf(out, "  %-28s %s\n", left, o->help);
    else
        fprintf(out, "  %s\n  %-28s %s\n", left, "", o->help);
}

void cli_print_version(FILE *out)
{
    fprintf(out, "imgaudit %s\n", IMGAUDIT_VERSION);
}

void cli_print_help(FILE *out, enum command topic)
{
    unsigned mask = topic == CMD_REPORT ? C_REPORT
                  : topic == CMD_FETCH  ? C_FETCH
                  : topic == CMD_LINT   ? C_LINT
                                        : C_ALL;
    fprintf(out, "imgaudit %s: audit Huawei Cloud HSS container images against rules\n\n",
            IMGAUDIT_VERSION);
    fputs("Usage:\n", out);
    for (size_t i = 0; i < sizeof command_help / sizeof command_help[0]; i++)
        if (mask == C_ALL || command_help[i].cmd == topic)
            fprintf(out, "  %s\n", command_help[i].usage);
    if (mask == C_ALL) {
        fputs("  imgaudit help COMMAND\n  imgaudit --version\n\nCommands:\n", out);
        for (size_t i = 0; i < sizeof command_help / sizeof command_help[0]; i++)
            fprintf(out, "  %-8s %s\n", command_name(command_help[i].cmd),
                    command_help[i].summary);
    } else {
        for (size_t i = 0; i < sizeof command_help / sizeof command_help[0]; i++)
            if (command_help[i].cmd == topic)
                fprintf(out, "\n%s.\n", command_help[i].summary);
    }
    fputs("\nOptions:\n", out);
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].commands & mask)
            print_option(out, &cli_options[i]);
    if (mask == C_ALL)
        fputs("  -V, --version                print the version and exit\n", out);
    fputs("\nCredentials come only from the environment or files, never from arguments:\n"
          "  HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK/CLOUD_SDK_SK),\n"
          "  HUAWEICLOUD_SDK_SECURITY_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID,\n"
          "  IMGAUDIT_AUTH_TOKEN or --token-file FILE.\n\n",
          out);
    fputs(exit_codes, out);
}
