/* SPDX-License-Identifier: MIT
 * One settings path (src/cli): every option of options.def that has a
 * config key is set from a config file, YAML and INI, and then overridden
 * on the command line, with the table itself as the list of cases, so a
 * new option is tested without anyone writing a case for it, and one
 * without a config key fails here unless it is --config or --help. Also
 * the precedence under the file (environment, defaults). The messages
 * and the end-to-end use are tests/cli/settings.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "rules/rules.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char path[] = "/tmp/imgaudit-settings.XXXXXX";

static void write_config(const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The lowest command that takes 'opt'. */
static const char *command_for(unsigned commands)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (cli_commands[i].flag & commands)
            return cli_commands[i].name;
    return NULL;
}

/* The values used for each kind: in the file, then on the command line. */
static const char *file_value(const struct cli_option *o, int item)
{
    switch (o->kind) {
    case ARG_FLAG: return "true";
    case ARG_INT: return "7";
    case ARG_DOUBLE: return "2.5";
    case ARG_TIME: return "2026-01-02T03:04:05Z";
    case ARG_SEVERITY: return "High";
    case ARG_LIST:
        if (strcmp(o->metavar, "NAME=VALUE") == 0)
            return item ? "b=2" : "a=1";
        return item ? "file-b" : "file-a";
    case ARG_STR: return "from-file";
    }
    return NULL;
}

static const char *cli_value(const struct cli_option *o)
{
    switch (o->kind) {
    case ARG_FLAG: return NULL;
    case ARG_INT: return "9";
    case ARG_DOUBLE: return "3.5";
    case ARG_TIME: return "1000";
    case ARG_SEVERITY: return "LOW";
    case ARG_LIST: return strcmp(o->metavar, "NAME=VALUE") == 0 ? "c=3" : "cli-c";
    case ARG_STR: return "from-cli";
    }
    return NULL;
}

/* Parse `imgaudit COMMAND --config PATH [--OPT [VALUE]]`. */
static int parse(struct cli_config *cfg, const struct cli_option *o, bool with_cli,
                 struct diags *d)
{
    char *argv[8];
    int argc = 0;
    argv[argc++] = (char *)"imgaudit";
    argv[argc++] = (char *)command_for(o->commands);
    argv[argc++] = (char *)"--config";
    argv[argc++] = path;
    char *opt = xasprintf("--%s", o->name);
    if (with_cli) {
        argv[argc++] = opt;
        if (cli_value(o))
            argv[argc++] = (char *)cli_value(o);
    }
    argv[argc] = NULL;
    int rc = cli_parse(cfg, argc, argv, d);
    if (rc != 0)
        diags_print(d, stderr);
    free(opt);
    return rc;
}

/* Check field 'field' of 'cfg' against what 'o' was given: from the file
 * ('from_cli' false) or the command line. */
#define CHECK_ARG_FLAG(field) assert_true(cfg->field);
#define CHECK_ARG_INT(field) assert_int_equal(cfg->field, from_cli ? 9 : 7);
#define CHECK_ARG_DOUBLE(field) assert_true(cfg->field == (from_cli ? 3.5 : 2.5));
#define CHECK_ARG_TIME(field) \
    assert_int_equal(cfg->field, from_cli ? 1000 : INT64_C(1767323045000));
#define CHECK_ARG_SEVERITY(field) assert_int_equal(cfg->field, from_cli ? SEV_LOW : SEV_HIGH);
#define CHECK_ARG_STR(field) assert_string_equal(cfg->field, from_cli ? "from-cli" : "from-file");
/* A list on the command line replaces the file's list. */
#define CHECK_ARG_LIST(field)                                                 \
    if (from_cli) {                                                           \
        assert_int_equal(cfg->field.n, 1);                                    \
        assert_string_equal(cfg->field.v[0], cli_value(o));                   \
    } else {                                                                  \
        assert_int_equal(cfg->field.n, 2);                                    \
        assert_string_equal(cfg->field.v[0], file_value(o, 0));               \
        assert_string_equal(cfg->field.v[1], file_value(o, 1));               \
    }

static void check_field(const struct cli_config *cfg, const struct cli_option *o, bool from_cli)
{
    size_t idx = (size_t)(o - cli_options);
    switch (idx) {
#define OPT(name, sh, kind, field, cmds, metavar, help, key) \
    case OPT_IDX_##field:                                     \
        assert_true(cfg->has_##field);                        \
        CHECK_##kind(field) break;
#include "cli/options.def"
#undef OPT
    default: fail();
    }
}

/* The value of flag 'o' in 'cfg' (-1: set by neither). */
static int flag_value(const struct cli_config *cfg, const struct cli_option *o)
{
    size_t idx = (size_t)(o - cli_options);
#define FLAG_ARG_FLAG(field) return cfg->has_##field ? cfg->field : -1;
#define FLAG_ARG_STR(field)
#define FLAG_ARG_LIST(field)
#define FLAG_ARG_INT(field)
#define FLAG_ARG_DOUBLE(field)
#define FLAG_ARG_TIME(field)
#define FLAG_ARG_SEVERITY(field)
    switch (idx) {
#define OPT(name, sh, kind, field, cmds, metavar, help, key) \
    case OPT_IDX_##field:                                     \
        FLAG_##kind(field) break;
#include "cli/options.def"
#undef OPT
    }
    return -2;
}

/* The config file setting 'o', in YAML (lists as sequences) or INI
 * (lists as repeated keys). */
static char *config_text(const struct cli_option *o, bool yaml)
{
    struct buf b = BUF_INIT;
    if (o->kind == ARG_LIST && yaml)
        buf_printf(&b, "%s:\n  - \"%s\"\n  - \"%s\"\n", o->key, file_value(o, 0),
                   file_value(o, 1));
    else if (o->kind == ARG_LIST)
        buf_printf(&b, "%s = %s\n%s = %s\n", o->key, file_value(o, 0), o->key,
                   file_value(o, 1));
    else if (yaml)
        buf_printf(&b, "%s: \"%s\"\n", o->key, file_value(o, 0));
    else
        buf_printf(&b, "[imgaudit]\n%s = %s\n", o->key, file_value(o, 0));
    char *s = xstrdup(buf_cstr(&b));
    buf_dispose(&b);
    return s;
}

static void test_every_key_from_file_then_cli(void **state)
{
    (void)state;
    size_t tested = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const struct cli_option *o = &cli_options[i];
        if (!o->key)
            continue;
        for (int yaml = 0; yaml < 2; yaml++) {
            char *text = config_text(o, yaml);
            write_config(text);
            for (int from_cli = 0; from_cli < 2; from_cli++) {
                fprintf(stderr, "# --%s, %s, %s\n", o->name, yaml ? "YAML" : "INI",
                        from_cli ? "then the command line" : "from the file");
                struct cli_config cfg;
                struct diags d = DIAGS_INIT;
                assert_int_equal(parse(&cfg, o, from_cli, &d), 0);
                assert_int_equal(d.errors, 0);
                check_field(&cfg, o, from_cli);
                cli_config_dispose(&cfg);
                diags_dispose(&d);
            }
            free(text);
        }
        /* A flag the file turns off, the command line turns on. */
        if (o->kind == ARG_FLAG) {
            char *text = xasprintf("%s: false\n", o->key);
            write_config(text);
            free(text);
            for (int from_cli = 0; from_cli < 2; from_cli++) {
                struct cli_config cfg;
                struct diags d = DIAGS_INIT;
                assert_int_equal(parse(&cfg, o, from_cli, &d), 0);
                assert_int_equal(flag_value(&cfg, o), from_cli);
                cli_config_dispose(&cfg);
                diags_dispose(&d);
            }
        }
        tested++;
    }
    /* Every option but these two can be set in the file. */
    assert_int_equal(tested, cli_option_count - 2);
}

static void test_only_config_and_help_lack_a_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < cli_option_count; i++) {
        if (cli_options[i].key)
            continue;
        fprintf(stderr, "# --%s has no config key\n", cli_options[i].name);
        assert_true(strcmp(cli_options[i].name, "config") == 0 ||
                    strcmp(cli_options[i].name, "help") == 0);
    }
}

/* Keys: '-' for '_', any case, a list's key in the other number. */
static void test_key_spellings(void **state)
{
    (void)state;
    assert_string_equal(cli_option_by_key("fail_on")->name, "fail-on");
    assert_string_equal(cli_option_by_key("filters")->name, "filter");
    assert_string_equal(cli_option_by_key("outputs")->name, "output");
    assert_string_equal(cli_option_by_key("rule")->name, "rules");
    assert_string_equal(cli_option_by_key("waiver")->name, "waivers");
    assert_null(cli_option_by_key("fail_ons"));     /* not a list */
    assert_null(cli_option_by_key("config"));
    assert_null(cli_option_by_key("help"));
    write_config("Fail-On: high\nOUTPUTS: [a.csv]\n");
    char *argv[] = {(char *)"imgaudit", (char *)"report", (char *)"--config", path, NULL};
    struct cli_config cfg;
    struct diags d = DIAGS_INIT;
    assert_int_equal(cli_parse(&cfg, 4, argv, &d), 0);
    assert_int_equal(cfg.fail_on, SEV_HIGH);
    assert_int_equal(cfg.outputs.n, 1);
    cli_config_dispose(&cfg);
    diags_dispose(&d);
}

/* Below the file: the environment, then the defaults, set once. */
static void test_precedence_and_defaults(void **state)
{
    (void)state;
    char *argv[] = {(char *)"imgaudit", (char *)"fetch", (char *)"--config", path, (char *)"--project-id", (char *)"cli", NULL};
    struct cli_config cfg;
    struct diags d = DIAGS_INIT;
    setenv("HUAWEICLOUD_SDK_PROJECT_ID", "env", 1);
    write_config("region: cn-north-4\n");
    assert_int_equal(cli_parse(&cfg, 4, argv, &d), 0);
    assert_int_equal(cfg.project_id.n, 1);
    assert_string_equal(cfg.project_id.v[0], "env");
    assert_false(cfg.has_project_id);
    /* The defaults, the only place they are set. */
    assert_int_equal(cfg.page_size, 200);
    assert_int_equal(cfg.concurrency, 4);
    assert_int_equal(cfg.retries, -1);      /* no count limit ... */
    assert_true(cfg.retry_max_time == 300); /* ... the time bounds the retries */
    assert_true(cfg.timeout == 30);
    assert_int_equal(cfg.warn_expiring, 14);
    assert_int_equal(cfg.html_max_findings, 5000);
    assert_int_equal(cfg.fail_on, -1);
    assert_int_equal(cfg.fail_on_new, -1);
    cli_config_dispose(&cfg);
    write_config("project_id: file\n");
    assert_int_equal(cli_parse(&cfg, 4, argv, &d), 0);
    assert_int_equal(cfg.project_id.n, 1);
    assert_string_equal(cfg.project_id.v[0], "file");
    cli_config_dispose(&cfg);
    assert_int_equal(cli_parse(&cfg, 6, argv, &d), 0);
    assert_int_equal(cfg.project_id.n, 1);
    assert_string_equal(cfg.project_id.v[0], "cli");
    cli_config_dispose(&cfg);
    unsetenv("HUAWEICLOUD_SDK_PROJECT_ID");
    assert_int_equal(d.errors, 0);
    diags_dispose(&d);
}

/* A file shared by report and fetch: report's settings are checked but
 * fetch does not take them. */
static void test_other_commands_settings(void **state)
{
    (void)state;
    write_config("rules: r.yaml\nfail_on: high\nregion: cn-north-4\n");
    char *argv[] = {(char *)"imgaudit", (char *)"fetch", (char *)"--config", path, NULL};
    struct cli_config cfg;
    struct diags d = DIAGS_INIT;
    assert_int_equal(cli_parse(&cfg, 4, argv, &d), 0);
    assert_int_equal(cfg.rules.n, 0);
    assert_false(cfg.has_fail_on);
    assert_string_equal(cfg.region, "cn-north-4");
    cli_config_dispose(&cfg);
    write_config("rules: r.yaml\nfail_on: severe\n");
    assert_int_equal(cli_parse(&cfg, 4, argv, &d), -1);
    assert_int_equal(d.errors, 1);
    cli_config_dispose(&cfg);
    diags_dispose(&d);
}

static int setup(void **state)
{
    (void)state;
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_from_file_then_cli),
        cmocka_unit_test(test_only_config_and_help_lack_a_key),
        cmocka_unit_test(test_key_spellings),
        cmocka_unit_test(test_precedence_and_defaults),
        cmocka_unit_test(test_other_commands_settings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
