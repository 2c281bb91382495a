/* SPDX-License-Identifier: MIT
 * gen_shell: the man page (imgaudit.1) and the bash and zsh completions,
 * written at build time from the tables the parser and --help use, so
 * that none of the three can list an option or command the program does
 * not have, or miss one it has:
 *   - options: src/cli/options.def, included here. GROUP() gives the man
 *     page's OPTIONS subsections. What an option's argument completes to
 *     follows from its metavar: FILE and names with an extension
 *     (KEY.pem) complete file names, DIR directories, SEVERITY the
 *     severity names (rules/), and --format and --split-by their words
 *     (render/ and app/split.c). Other arguments (N, ID, EXPR, ...)
 *     complete to nothing.
 *   - commands: src/cli/commands.def, included here (name, flag, summary
 *     and usage, in --help's order). A command's operands are the words
 *     of its usage that are neither options nor option arguments (diff:
 *     OLD.json NEW.json; verify: BUNDLE_DIR, a directory). `help` and
 *     `--version` are not in that table (the parser handles them itself)
 *     and are written here.
 *   - exit codes: the table under "## Exit codes" in docs/imgaudit.md.
 * The prose (DESCRIPTION, ENVIRONMENT, FILES, EXAMPLES) is written here;
 * tests/cli/shell-sync.sh checks the outputs against `imgaudit --help`
 * and `imgaudit help COMMAND` (not against this program), every
 * environment variable the sources read against ENVIRONMENT, and the
 * options in EXAMPLES against --help.
 *
 * Usage: gen_shell DOCS_MD MAN_OUT BASH_OUT ZSH_OUT
 * Built and run by cmake/ShellIntegration.cmake; never installed. Each
 * output is written to OUT.tmp and renamed into place, so a failed run
 * leaves no half-written file. Exit 0, or 1 with the reason on stderr. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/split.h"
#include "cli/cli.h"
#include "render/render.h"
#include "rules/rules.h"

/* ---- the tables ---- */

struct opt {
    const char *group;      /* non-NULL: a GROUP() line, nothing else set */
    const char *name;
    char sh;
    enum arg_kind kind;
    unsigned cmds;          /* 0: only before a command (--version) */
    const char *metavar;
    const char *help;
};

static const struct opt opts[] = {
#define GROUP(title) {title, NULL, 0, ARG_FLAG, 0, NULL, NULL},
#define OPT(name, sh, kind, field, cmds, metavar, help, key) {NULL, name, sh, kind, cmds, metavar, help},
#include "cli/options.def"
#undef OPT
#undef GROUP
    /* cli.c takes it as the first argument only; help.c prints it last. */
    {NULL, "version", 'V', ARG_FLAG, 0, "", "print the version and exit"},
};
#define N_OPTS (sizeof opts / sizeof opts[0])

enum operands { OPERANDS_NONE, OPERANDS_FILES, OPERANDS_DIRS };

struct cmd {
    const char *name;
    unsigned bit;
    const char *usage;      /* "imgaudit NAME ...", lines aligned for --help */
    const char *summary;
    enum operands operands;
    char operand_msg[80];   /* "OLD.json NEW.json" */
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* What an option's argument completes to. */
enum arg_completion { COMPLETE_NOTHING, COMPLETE_FILES, COMPLETE_DIRS, COMPLETE_WORDS };
#define MAX_WORDS 16

static void add_word(const char **words, size_t *n, const char *w)
{
    if (*n == MAX_WORDS)
        die("more than %d values for one option: raise MAX_WORDS", MAX_WORDS);
    words[(*n)++] = w;
}

/* For COMPLETE_WORDS, the words are in 'words' (MAX_WORDS), '*n' of them. */
static enum arg_completion arg_completion(const struct opt *o, const char **words, size_t *n)
{
    *n = 0;
    if (o->kind == ARG_FLAG)
        return COMPLETE_NOTHING;
    if (o->kind == ARG_SEVERITY) {
        for (int s = 0; s < SEV_COUNT; s++)
            add_word(words, n, severity_name((enum severity)s));
        return COMPLETE_WORDS;
    }
    if (strcmp(o->name, "format") == 0) {
        for (int f = 0; f < FMT_COUNT; f++)
            add_word(words, n, format_name((enum format)f));
        return COMPLETE_WORDS;
    }
    if (strcmp(o->name, "split-by") == 0) {
        for (const char *k; (k = split_key_name(*n)) != NULL;)
            add_word(words, n, k);
        return COMPLETE_WORDS;
    }
    if (strcmp(o->metavar, "DIR") == 0)
        return COMPLETE_DIRS;
    if (strcmp(o->metavar, "FILE") == 0 || strchr(o->metavar, '.'))
        return COMPLETE_FILES;
    return COMPLETE_NOTHING;
}

static const struct opt *find_opt(const char *word)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->group)
            continue;
        if ((word[1] == '-' && strcmp(word + 2, o->name) == 0) ||
            (word[1] != '-' && word[1] == o->sh && word[2] == '\0'))
            return o;
    }
    return NULL;
}

/* The operands in a usage line: the words outside [...] after the
 * command name that are neither an option nor its argument. */
static void usage_operands(struct cmd *c)
{
    char tok[128];
    const char *p = c->usage;
    int depth = 0, skip = 2;    /* "imgaudit", the command name */
    bool arg_next = false;
    c->operands = OPERANDS_NONE;
    c->operand_msg[0] = '\0';
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        size_t len = strcspn(p, " \t\n");
        if (len == 0)
            break;
        snprintf(tok, sizeof tok, "%.*s", (int)len, p);
        p += len;
        int was = depth;
        for (const char *t = tok; *t; t++)
            depth += *t == '[' ? 1 : *t == ']' ? -1 : 0;
        if (skip > 0) {
            skip--;
            continue;
        }
        if (was > 0 || tok[0] == '[')
            continue;
        if (arg_next) {
            arg_next = false;
            continue;
        }
        if (tok[0] == '-') {
            const struct opt *o = find_opt(tok);
            arg_next = o && o->kind != ARG_FLAG;
            continue;
        }
        size_t used = strlen(c->operand_msg);
        snprintf(c->operand_msg + used, sizeof c->operand_msg - used, "%s%s", used ? " " : "",
                 tok);
        if (strstr(tok, "DIR"))
            c->operands = OPERANDS_DIRS;
        else if (c->operands == OPERANDS_NONE)
            c->operands = OPERANDS_FILES;
    }
}

static struct cmd cmds[] = {
#define CMD(name, flag, summary, usage, run) {name, flag, usage, summary, OPERANDS_NONE, ""},
#include "cli/commands.def"
#undef CMD
};
static const size_t n_cmds = sizeof cmds / sizeof cmds[0];

/* ---- output files ---- */

struct out {
    const char *path;
    char *tmp;
    FILE *f;
};

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen_shell: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void out_open(struct out *o, const char *path)
{
    size_t len = strlen(path) + sizeof ".tmp";
    o->path = path;
    o->tmp = malloc(len);
    if (!o->tmp)
        die("out of memory");
    snprintf(o->tmp, len, "%s.tmp", path);
    o->f = fopen(o->tmp, "w");
    if (!o->f)
        die("cannot create %s: %s", o->tmp, strerror(errno));
}

static void out_close(struct out *o)
{
    if (ferror(o->f) | (fclose(o->f) != 0)) {
        remove(o->tmp);
        die("cannot write %s", o->tmp);
    }
    if (rename(o->tmp, o->path) != 0) {
        remove(o->tmp);
        die("cannot rename %s to %s: %s", o->tmp, o->path, strerror(errno));
    }
    free(o->tmp);
}

/* ---- man page ---- */

/* Roff text: backslashes escaped, a '.' or '\'' that starts the line
 * guarded, and a '-' that starts a word (an option, "- = stdin") or
 * continues such a word written as a minus sign (\-), any other as a
 * hyphen. */
static void roff_n(FILE *f, const char *s, size_t n, bool line_start)
{
    bool opt_word = false, word_start = true;
    if (line_start && n && (s[0] == '.' || s[0] == '\''))
        fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-' && (word_start || opt_word)) {
            fputs("\\-", f);
            opt_word = true;
        } else
            fputc(c, f);
        if (c != '-' && !isalnum((unsigned char)c) && c != '_' && c != '=')
            opt_word = false;
        word_start = strchr(" \t\n([|'\"/,", c) != NULL;
    }
}

static void roff(FILE *f, const char *s, bool line_start)
{
    roff_n(f, s, strlen(s), line_start);
}

static void roff_font(FILE *f, char font, const char *s)
{
    fprintf(f, "\\f%c", font);
    roff(f, s, false);
    fputs("\\fR", f);
}

/* Help text as a sentence: capital first letter, final period. */
static void roff_sentence(FILE *f, const char *s)
{
    char first[2] = {(char)toupper((unsigned char)s[0]), '\0'};
    roff(f, first, true);
    roff(f, s + 1, false);
    size_t len = strlen(s);
    if (len && s[len - 1] != '.')
        fputc('.', f);
    fputc('\n', f);
}

/* One usage line in SYNOPSIS: options bold, metavars (words with a
 * capital first letter) italic, the rest roman; whitespace collapsed
 * (the line breaks of --help are for 80 columns). */
static void man_synopsis(FILE *f, const struct cmd *c)
{
    fprintf(f, ".SY imgaudit\n\\fB%s\\fR", c->name);
    const char *p = c->usage + strlen("imgaudit ") + strlen(c->name);
    int depth = 0;
    bool after_option = false;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        /* An option and its argument, and a [...] group, stay on one
         * line: unbreakable spaces. */
        fputs(depth > 0 || after_option ? "\\~" : " ", f);
        size_t len = strcspn(p, " \t\n");
        const char *end = p + len;
        after_option = *p == '-' && len > 1;
        for (const char *t = p; t < end; t++)
            depth += *t == '[' ? 1 : *t == ']' ? -1 : 0;
        while (p < end) {
            size_t run;
            if (*p == '-' && p + 1 < end && (p[1] == '-' || isalpha((unsigned char)p[1]))) {
                run = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
                fputs("\\fB", f);
                roff_n(f, p, run < (size_t)(end - p) ? run : (size_t)(end - p), false);
                fputs("\\fR", f);
            } else if (isupper((unsigned char)*p)) {
                run = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_=.abcdefghijklmnopqrstuvwxyz0123456789");
                while (run > 0 && p[run - 1] == '.')
                    run--;  /* "OUT..." : the ellipsis is roman */
                if (run > (size_t)(end - p))
                    run = (size_t)(end - p);
                fputs("\\fI", f);
                roff_n(f, p, run, false);
                fputs("\\fR", f);
            } else {
                run = 1;
                roff_n(f, p, 1, false);
            }
            p += run;
        }
    }
    fputs("\n.YS\n", f);
}

/* The tag of an option, as --help writes it: "-r, --rules FILE". */
static void man_option_tag(FILE *f, const struct opt *o)
{
    if (o->sh)
        fprintf(f, "\\fB\\-%c\\fR, ", o->sh);
    fputs("\\fB\\-\\-", f);
    roff(f, o->name, false);
    fputs("\\fR", f);
    if (*o->metavar) {
        fputc(' ', f);
        roff_font(f, 'I', o->metavar);
    }
    fputc('\n', f);
}

static void man_option(FILE *f, const struct opt *o)
{
    fputs(".TP\n", f);
    man_option_tag(f, o);
    roff_sentence(f, o->help);
    fputs(".br\n", f);
    if (o->cmds == 0) {
        fputs("Commands: none; only as \\fBimgaudit \\-\\-", f);
        roff(f, o->name, false);
        fputs("\\fR.\n", f);
        return;
    }
    fputs("Commands: ", f);
    bool all = true;
    for (size_t i = 0; i < n_cmds; i++)
        all &= (o->cmds & cmds[i].bit) != 0;
    if (all) {
        fputs("all.\n", f);
        return;
    }
    bool first = true;
    for (size_t i = 0; i < n_cmds; i++)
        if (o->cmds & cmds[i].bit) {
            fprintf(f, "%s\\fB%s\\fR", first ? "" : ", ", cmds[i].name);
            first = false;
        }
    fputs(".\n", f);
}

/* Markdown cell text as roff, at the start of a line: `code` bold (with
 * its '-' as minus signs), **bold** bold, [text](link) as its text. */
static void md_to_roff(FILE *f, const char *s, size_t n)
{
    bool line_start = true, bold = false;
    for (size_t i = 0; i < n;) {
        const char *close;
        if (s[i] == '`' && (close = memchr(s + i + 1, '`', n - i - 1)) != NULL) {
            fputs("\\fB", f);
            for (const char *c = s + i + 1; c < close; c++)
                if (*c == '-')
                    fputs("\\-", f);
                else
                    roff_n(f, c, 1, false);
            fputs("\\fR", f);
            i = (size_t)(close - s) + 1;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
            fputs(bold ? "\\fR" : "\\fB", f);
            bold = !bold;
            i += 2;
        } else if (s[i] == '[' && (close = memchr(s + i, ']', n - i)) != NULL &&
                   (size_t)(close - s) + 1 < n && close[1] == '(' &&
                   memchr(close, ')', n - (size_t)(close - s)) != NULL) {
            roff_n(f, s + i + 1, (size_t)(close - (s + i + 1)), line_start);
            i = (size_t)((const char *)memchr(close, ')', n - (size_t)(close - s)) - s) + 1;
        } else {
            size_t run = strcspn(s + i, "`*[");
            if (run == 0)
                run = 1;
            if (run > n - i)
                run = n - i;
            roff_n(f, s + i, run, line_start);
            i += run;
        }
        line_start = false;
    }
    if (bold)
        fputs("\\fR", f);
}

/* EXIT STATUS from the table under "## Exit codes" in docs/imgaudit.md:
 * rows "| CODE | meaning |". */
static void man_exit_status(FILE *f, const char *docs_path)
{
    FILE *in = fopen(docs_path, "r");
    if (!in)
        die("cannot read %s: %s", docs_path, strerror(errno));
    char line[4096];
    bool in_section = false;
    int rows = 0;
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, "## ", 3) == 0) {
            if (in_section)
                break;
            in_section = strcmp(line, "## Exit codes\n") == 0;
            continue;
        }
        if (!in_section)
            continue;
        if (line[0] != '|') {
            if (rows)
                break;  /* the end of the first table */
            continue;
        }
        char *p = line + 1;
        while (*p == ' ')
            p++;
        if (!isdigit((unsigned char)*p))
            continue;   /* the header and the |---| line */
        char *bar = strchr(p, '|');
        char *last = strrchr(line, '|');
        if (!bar || bar == last)
            die("%s: an exit-code row without two cells: %s", docs_path, line);
        char *code_end = bar;
        while (code_end > p && code_end[-1] == ' ')
            code_end--;
        char *text = bar + 1;
        while (*text == ' ')
            text++;
        char *text_end = last;
        while (text_end > text && text_end[-1] == ' ')
            text_end--;
        fprintf(f, ".TP\n.B %.*s\n", (int)(code_end - p), p);
        *text = (char)toupper((unsigned char)*text);
        md_to_roff(f, text, (size_t)(text_end - text));
        fputs(".\n", f);
        rows++;
    }
    fclose(in);
    if (rows == 0)
        die("%s: no exit-code table under '## Exit codes'", docs_path);
}

/* Variable names (space-separated) and what they do. */
static const char *const man_environment[][2] = {
    {"HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK",
     "The access key and secret key for AK/SK request signing (SDK-HMAC-SHA256); both or "
     "neither."},
    {"CLOUD_SDK_AK CLOUD_SDK_SK",
     "The same, read when neither HUAWEICLOUD_SDK_AK nor HUAWEICLOUD_SDK_SK is set."},
    {"HUAWEICLOUD_SDK_SECURITY_TOKEN",
     "With temporary AK/SK credentials: the security token, sent and signed as "
     "X-Security-Token."},
    {"IMGAUDIT_AUTH_TOKEN",
     "An IAM token, sent as X-Auth-Token instead of AK/SK signing; --token-file FILE wins "
     "over it."},
    {"HUAWEICLOUD_SDK_PROJECT_ID", "The project when --project-id is not given."},
    {"https_proxy no_proxy", "libcurl's proxy variables apply to the API requests."},
    {"TMPDIR",
     "Where temporary files go (default /tmp): a pulled snapshot without --save-snapshot, "
     "reports bound for standard output or a device, findings spilled while merging."},
    {"IMGAUDIT_DECODER",
     "jansson: decode every record with jansson instead of simdjson (slower; for comparing "
     "the two)."},
};

/* Lines at most 68 columns wide: they show indented by 11. */
static const char *const man_examples[][2] = {
    {"Evaluate a saved image list, as of a fixed time, into CSV and XLSX:",
     "imgaudit report --rules rules.yaml --input images.jsonl \\\n"
     "    --now 2026-11-27T08:00:00Z -o report.csv -o report.xlsx"},
    {"Pull from the API (credentials from the environment) and gate a release: exit 1 when "
     "an open finding is high or critical:",
     "export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...\n"
     "export HUAWEICLOUD_SDK_PROJECT_ID=...\n"
     "imgaudit report --region cn-north-4 --rules rules.yaml \\\n"
     "    --fail-on high -o weekly.xlsx -o weekly.html \\\n"
     "    --save-snapshot weekly.jsonl"},
    {"Week over week: accepted risks, last week's report as the baseline, a gate on new "
     "findings only:",
     "imgaudit report --rules rules.yaml --waivers waivers.yaml \\\n"
     "    --input snapshot.jsonl --baseline last-week.json \\\n"
     "    --fail-on-new high -o this-week.json"},
    {"CI outputs for code scanning and test views, and one set per namespace:",
     "imgaudit report --rules rules.yaml --input snapshot.jsonl \\\n"
     "    -o results.sarif -o results.junit.xml --split-by namespace"},
    {"Check rule and waiver files, printing every problem:",
     "imgaudit lint rules.yaml waivers.yaml"},
    {"Compare two saved reports; combine the reports of several projects:",
     "imgaudit diff last-week.json this-week.json -o changes.xlsx\n"
     "imgaudit merge a.json b.json c.json -o org.xlsx -o org.html"},
    {"A signed evidence bundle of a run, and its check:",
     "imgaudit report --input snapshot.jsonl --rules rules.yaml \\\n"
     "    -o weekly.xlsx --evidence-dir evidence --sign-key signing.pem\n"
     "imgaudit verify evidence/20261127T075812Z-f7ea9e647b37 \\\n"
     "    --pubkey signing.pub"},
};

static void man_page(FILE *f, const char *docs_path)
{
    fputs(".\\\" imgaudit(1). Generated by tools/gen_shell.c from src/cli/options.def,\n"
          ".\\\" src/cli/commands.def and the exit codes in docs/imgaudit.md.\n"
          ".\\\" Do not edit: rebuild.\n",
          f);
    fprintf(f, ".TH IMGAUDIT 1 \"\" \"imgaudit %s\" \"User Commands\"\n", IMGAUDIT_VERSION);
    /* Left-aligned and unhyphenated: option names and variables are
     * long words that must read exactly as typed. */
    fputs(".ad l\n.nh\n.nr HY 0\n", f);
    fputs(".SH NAME\nimgaudit \\- audit Huawei Cloud HSS container images against rules\n", f);

    fputs(".SH SYNOPSIS\n", f);
    for (size_t i = 0; i < n_cmds; i++)
        man_synopsis(f, &cmds[i]);
    fputs(".SY imgaudit\n\\fBhelp\\fR [\\fICOMMAND\\fR]\n.YS\n"
          ".SY imgaudit\n\\fB\\-\\-version\\fR\n.YS\n",
          f);

    fputs(".SH DESCRIPTION\n"
          ".B imgaudit\n"
          "audits every container image that Huawei Cloud Host Security Service (HSS) knows\n"
          "about against rules you write.\n"
          "It pulls the complete image list from the HSS API, or reads a saved one,\n"
          "evaluates the rules against every image, and writes reports in CSV, XLSX,\n"
          "HTML, JSON, SARIF and JUnit XML, with an exit code that gates a release.\n"
          ".PP\n"
          "The first argument is a command; options and operands follow it.\n"
          "A long option takes its value as the next argument or after\n"
          "\\(aq=\\(aq (\\fB\\-\\-rules=\\fR\\fIFILE\\fR), a short one as the next argument;\n"
          "\\fB\\-\\-\\fR ends the options.\n"
          "Credentials come only from the environment or files, never from arguments\n"
          "(see\n.BR ENVIRONMENT ),\n"
          "and are never printed.\n",
          f);

    fputs(".SH COMMANDS\n", f);
    for (size_t i = 0; i < n_cmds; i++) {
        fprintf(f, ".TP 8\n.B %s\n", cmds[i].name);
        roff_sentence(f, cmds[i].summary);
    }
    fputs(".TP 8\n\\fBhelp\\fR [\\fICOMMAND\\fR]\n"
          "Show the usage and options of \\fICOMMAND\\fR, or of every command.\n",
          f);

    fputs(".SH OPTIONS\n"
          "An option applies only to the commands listed under it;\n"
          "\\fBimgaudit help\\fR \\fICOMMAND\\fR lists those of one command.\n",
          f);
    for (size_t i = 0; i < N_OPTS; i++) {
        if (opts[i].group)
            fprintf(f, ".SS %s\n", opts[i].group);
        else
            man_option(f, &opts[i]);
    }

    fputs(".SH ENVIRONMENT\n", f);
    for (size_t i = 0; i < sizeof man_environment / sizeof man_environment[0]; i++) {
        fputs(".TP\n", f);
        const char *p = man_environment[i][0];
        while (*p) {
            size_t len = strcspn(p, " ");
            fprintf(f, "\\fB%.*s\\fR%s", (int)len, p, p[len] ? ", " : "\n");
            p += len + (p[len] == ' ');
        }
        roff(f, man_environment[i][1], true);
        fputc('\n', f);
    }

    fputs(".SH FILES\n"
          "No configuration file is read unless one is named:\n"
          ".TP\n\\fB\\-\\-config\\fR \\fIFILE\\fR\n"
          "Non-secret settings (region, project, filters, ...), YAML or INI, told apart\n"
          "by content.\n"
          "Options on the command line win over the file, the file over the\n"
          "environment.\n"
          "Keys that look like secrets are refused.\n"
          ".TP\n\\fB\\-\\-token\\-file\\fR \\fIFILE\\fR\n"
          "An IAM token, alone on one line.\n"
          ".PP\n"
          "Installed beside the program, under its installation prefix:\n"
          ".TP\n.I share/man/man1/imgaudit.1\nThis manual page.\n"
          ".TP\n.I share/bash\\-completion/completions/imgaudit\n"
          "bash completion, loaded on first use by the bash\\-completion package.\n"
          ".TP\n.I share/zsh/site\\-functions/_imgaudit\n"
          "zsh completion, found through \\fB$fpath\\fR by \\fBcompinit\\fR.\n",
          f);

    fputs(".SH EXIT STATUS\n", f);
    man_exit_status(f, docs_path);

    fputs(".SH EXAMPLES\n", f);
    for (size_t i = 0; i < sizeof man_examples / sizeof man_examples[0]; i++) {
        fputs(".PP\n", f);
        roff(f, man_examples[i][0], true);
        fputs("\n.PP\n.RS 4\n.EX\n", f);
        const char *p = man_examples[i][1];
        while (*p) {
            size_t len = strcspn(p, "\n");
            roff_n(f, p, len, true);
            fputc('\n', f);
            p += len + (p[len] == '\n');
        }
        fputs(".EE\n.RE\n", f);
    }

    fputs(".SH SEE ALSO\n"
          "In the imgaudit source tree:\n"
          "docs/imgaudit.md (the command reference),\n"
          "docs/rules.md (the rule language and waiver files),\n"
          "docs/weekly.md (waivers, baselines, the new\\-only gate),\n"
          "docs/reports.md (what each report format holds),\n"
          "docs/evidence.md (snapshots, evidence bundles,\n"
          ".BR verify ),\n"
          "docs/security.md.\n",
          f);
}

/* ---- bash ---- */

/* "--rules|-r" */
static void bash_alternatives(FILE *f, const struct opt *o)
{
    fprintf(f, "--%s", o->name);
    if (o->sh)
        fprintf(f, "|-%c", o->sh);
}

static void bash_completion(FILE *f)
{
    const char *words[MAX_WORDS];
    size_t nw;
    fputs("# bash completion for imgaudit(1)                      -*- shell-script -*-\n"
          "# Generated by tools/gen_shell.c from src/cli/options.def and\n"
          "# src/cli/commands.def. Do not edit: rebuild. Installed as\n"
          "# share/bash-completion/completions/imgaudit (bash-completion loads it on\n"
          "# first use); or source it from ~/.bashrc.\n\n",
          f);
    /* Helper: file or directory names, or words, into COMPREPLY. */
    fputs("_imgaudit_compgen()\n"
          "{\n"
          "    [[ $1 == -[fd] ]] && compopt -o filenames 2>/dev/null\n"
          "    mapfile -t COMPREPLY < <(compgen \"$@\")\n"
          "}\n\n",
          f);
    fputs("_imgaudit()\n"
          "{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local cword=$COMP_CWORD opt= eq= cmd=${COMP_WORDS[1]} i\n"
          "    COMPREPLY=()\n"
          "    if ((cword == 1)); then\n"
          "        if [[ $cur == -* ]]; then\n"
          "            _imgaudit_compgen -W '--help -h --version -V' -- \"$cur\"\n"
          "        else\n"
          "            _imgaudit_compgen -W '",
          f);
    for (size_t i = 0; i < n_cmds; i++)
        fprintf(f, "%s ", cmds[i].name);
    fputs("help' -- \"$cur\"\n"
          "        fi\n"
          "        return 0\n"
          "    fi\n",
          f);
    /* The option whose value is being completed. */
    fputs("    # An option's value: \"--opt VALUE\", or \"--opt=VALUE\", which bash\n"
          "    # splits into \"--opt\" \"=\" \"VALUE\" when '=' is in COMP_WORDBREAKS.\n"
          "    if [[ $cur == = && $prev == --* ]]; then\n"
          "        opt=$prev cur=\n"
          "    elif [[ $prev == = ]] && ((cword >= 3)) && [[ ${COMP_WORDS[cword-2]} == --* ]]; then\n"
          "        opt=${COMP_WORDS[cword-2]}\n"
          "    elif [[ $cur == --*=* ]]; then\n"
          "        opt=${cur%%=*} eq=${cur%%=*}= cur=${cur#*=}\n"
          "    else\n"
          "        case $prev in\n"
          "        ",
          f);
    bool first = true;
    for (size_t i = 0; i < N_OPTS; i++)
        if (!opts[i].group && opts[i].kind != ARG_FLAG) {
            if (!first)
                fputc('|', f);
            first = false;
            bash_alternatives(f, &opts[i]);
        }
    fputs(") opt=$prev ;;\n"
          "        esac\n"
          "    fi\n"
          "    if [[ -n $opt && $cmd != help ]]; then\n"
          "        case $opt in\n",
          f);
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->group)
            continue;
        enum arg_completion ac = arg_completion(o, words, &nw);
        if (ac == COMPLETE_NOTHING)
            continue;
        fputs("        ", f);
        bash_alternatives(f, o);
        fputs(") _imgaudit_compgen ", f);
        if (ac == COMPLETE_FILES)
            fputs("-f", f);
        else if (ac == COMPLETE_DIRS)
            fputs("-d", f);
        else {
            fputs("-W '", f);
            for (size_t w = 0; w < nw; w++)
                fprintf(f, "%s%s", w ? " " : "", words[w]);
            fputc('\'', f);
        }
        fputs(" -- \"$cur\" ;;\n", f);
    }
    fputs("        esac\n"
          "        [[ -n $eq ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$eq}\")\n"
          "        return 0\n"
          "    fi\n",
          f);
    /* Each command's options, and its operands. */
    fputs("    local long short operands=\n"
          "    case $cmd in\n",
          f);
    for (size_t c = 0; c < n_cmds; c++) {
        fprintf(f, "    %s)\n        long='", cmds[c].name);
        first = true;
        for (size_t i = 0; i < N_OPTS; i++)
            if (!opts[i].group && (opts[i].cmds & cmds[c].bit)) {
                fprintf(f, "%s--%s", first ? "" : " ", opts[i].name);
                first = false;
            }
        fputs("'\n        short='", f);
        first = true;
        for (size_t i = 0; i < N_OPTS; i++)
            if (!opts[i].group && (opts[i].cmds & cmds[c].bit) && opts[i].sh) {
                fprintf(f, "%s-%c", first ? "" : " ", opts[i].sh);
                first = false;
            }
        fputs("'\n", f);
        if (cmds[c].operands != OPERANDS_NONE)
            fprintf(f, "        operands=%s\n", cmds[c].operands == OPERANDS_DIRS ? "-d" : "-f");
        fputs("        ;;\n", f);
    }
    fputs("    help)\n"
          "        ((cword == 2)) && _imgaudit_compgen -W '",
          f);
    for (size_t i = 0; i < n_cmds; i++)
        fprintf(f, "%s%s", i ? " " : "", cmds[i].name);
    fputs("' -- \"$cur\"\n"
          "        return 0\n"
          "        ;;\n"
          "    *) return 0 ;;\n"
          "    esac\n"
          "    for ((i = 2; i < cword; i++)); do\n"
          "        if [[ ${COMP_WORDS[i]} == -- ]]; then\n"
          "            [[ -n $operands ]] && _imgaudit_compgen $operands -- \"$cur\"\n"
          "            return 0\n"
          "        fi\n"
          "    done\n"
          "    if [[ $cur == -* ]]; then\n"
          "        _imgaudit_compgen -W \"$long $short\" -- \"$cur\"\n"
          "    elif [[ -n $operands ]]; then\n"
          "        _imgaudit_compgen $operands -- \"$cur\"\n"
          "    else\n"
          "        _imgaudit_compgen -W \"$long\" -- \"$cur\"\n"
          "    fi\n"
          "    return 0\n"
          "}\n"
          "complete -F _imgaudit imgaudit\n",
          f);
}

/* ---- zsh ---- */

/* Text inside a single-quoted _arguments spec's [description]. */
static void zsh_desc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else if (*s == '[' || *s == ']' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

/* One _arguments spec for one spelling of an option, e.g.
 *   '*(-r --rules)--rules=[rule file ...]:FILE:_files' */
static void zsh_spec(FILE *f, const struct opt *o, bool long_form)
{
    const char *words[MAX_WORDS];
    size_t nw;
    fputs("    '", f);
    if (o->kind == ARG_LIST)
        fputc('*', f);
    else if (o->sh)
        fprintf(f, "(-%c --%s)", o->sh, o->name);
    if (long_form)
        fprintf(f, "--%s%s", o->name, o->kind == ARG_FLAG ? "" : "=");
    else
        fprintf(f, "-%c", o->sh);
    fputc('[', f);
    zsh_desc(f, o->help);
    fputc(']', f);
    if (o->kind != ARG_FLAG) {
        fputc(':', f);
        for (const char *m = o->metavar; *m; m++)
            fputs(*m == ':' ? "\\:" : (char[2]){*m, '\0'}, f);
        fputc(':', f);
        switch (arg_completion(o, words, &nw)) {
        case COMPLETE_FILES: fputs("_files", f); break;
        case COMPLETE_DIRS: fputs("_files -/", f); break;
        case COMPLETE_WORDS:
            fputc('(', f);
            for (size_t w = 0; w < nw; w++)
                fprintf(f, "%s%s", w ? " " : "", words[w]);
            fputc(')', f);
            break;
        case COMPLETE_NOTHING: fputc(' ', f); break;
        }
    }
    fputs("' \\\n", f);
}

/* The array 'commands' for _describe: "name:summary". */
static void zsh_commands(FILE *f, const char *indent)
{
    fprintf(f, "%slocal -a commands\n%scommands=(\n", indent, indent);
    for (size_t i = 0; i < n_cmds; i++) {
        fprintf(f, "%s  '%s:", indent, cmds[i].name);
        zsh_desc(f, cmds[i].summary);
        fputs("'\n", f);
    }
    fprintf(f, "%s)\n", indent);
}

static void zsh_completion(FILE *f)
{
    fputs("#compdef imgaudit\n"
          "# zsh completion for imgaudit(1). Generated by tools/gen_shell.c from\n"
          "# src/cli/options.def and src/cli/commands.def. Do not edit:\n"
          "# rebuild. Installed as share/zsh/site-functions/_imgaudit; compinit\n"
          "# finds it through $fpath.\n\n",
          f);
    fputs("if (( CURRENT == 2 )); then\n"
          "  if [[ $PREFIX == -* ]]; then\n"
          "    local -a top\n"
          "    top=(\n"
          "      '--help:show help and exit' '-h:show help and exit'\n"
          "      '--version:print the version and exit' '-V:print the version and exit'\n"
          "    )\n"
          "    _describe -t options 'option' top\n"
          "  else\n",
          f);
    zsh_commands(f, "    ");
    fputs("    commands+=('help:show the usage and options of a command')\n"
          "    _describe -t commands 'imgaudit command' commands\n"
          "  fi\n"
          "  return\n"
          "fi\n\n"
          "# The command's own options: _arguments sees the words from the command on.\n"
          "local cmd=$words[2]\n"
          "shift words\n"
          "(( CURRENT-- ))\n"
          "curcontext=\"${curcontext%:*:*}:imgaudit-$cmd:\"\n"
          "case $cmd in\n",
          f);
    for (size_t c = 0; c < n_cmds; c++) {
        fprintf(f, "(%s)\n  _arguments -S : \\\n", cmds[c].name);
        for (size_t i = 0; i < N_OPTS; i++) {
            const struct opt *o = &opts[i];
            if (o->group || !(o->cmds & cmds[c].bit))
                continue;
            if (o->sh)
                zsh_spec(f, o, false);
            zsh_spec(f, o, true);
        }
        if (cmds[c].operands != OPERANDS_NONE) {
            fputs("    '*:", f);
            zsh_desc(f, cmds[c].operand_msg);
            fprintf(f, ":%s' \\\n", cmds[c].operands == OPERANDS_DIRS ? "_files -/" : "_files");
        }
        fputs("    && return 0\n  ;;\n", f);
    }
    fputs("(help)\n"
          "  if (( CURRENT == 2 )); then\n",
          f);
    zsh_commands(f, "    ");
    fputs("    _describe -t commands 'imgaudit command' commands && return 0\n"
          "  fi\n"
          "  ;;\n"
          "esac\n"
          "return 1\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fputs("usage: gen_shell DOCS_MD MAN_OUT BASH_OUT ZSH_OUT\n", stderr);
        return 1;
    }
    for (size_t i = 0; i < n_cmds; i++)
        usage_operands(&cmds[i]);
    struct out man, bash, zsh;
    out_open(&man, argv[2]);
    man_page(man.f, argv[1]);
    out_close(&man);
    out_open(&bash, argv[3]);
    bash_completion(bash.f);
    out_close(&bash);
    out_open(&zsh, argv[4]);
    zsh_completion(zsh.f);
    out_close(&zsh);
    return 0;
}
