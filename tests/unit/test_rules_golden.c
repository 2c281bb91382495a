/* SPDX-License-Identifier: MIT
 * Golden rule-error tests (jq's %%FAIL, SQLite's exact-message tests):
 * every tests/rules/NAME.yaml|yml|json is loaded with ruleset_add_file
 * (NAME.waivers.yaml|json with ruleset_add_waiver_file) and compiled,
 * and the diagnostics, as diags_print writes them, must equal
 * tests/rules/NAME.expected byte for byte. Sidecars:
 *   NAME.with  files to load first, one path a line (cross-file cases;
 *              a path ending in .waivers.yaml|json is a waiver file)
 *   NAME.set   --set NAME=VALUE lines, applied after loading
 *   NAME.where --where expressions, one a line, each compiled after the
 *              rule set (ruleset_compile_expr), their errors appended
 * Set IMGAUDIT_UPDATE_GOLDEN=1 to rewrite the .expected files (then
 * read the diff: the point is that a person approved each message). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/xalloc.h"

#define DIR_RULES "tests/rules"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        XGROW(buf, cap, n + 4096);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Call 'fn' for each line of the sidecar 'path' (if it exists). */
static void each_line(const char *path, void (*fn)(const char *line, void *payload),
                      void *payload)
{
    char *text = slurp(path, NULL);
    if (!text)
        return;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (*line && *line != '#')
            fn(line, payload);
    free(text);
}

struct run {
    struct ruleset *rs;
    struct diags *d;
};

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcmp(name + n - e, ext) == 0;
}

/* Load 'path' as the --waivers or the --rules option would. */
static void load_path(struct ruleset *rs, const char *path, struct diags *d)
{
    if (has_ext(path, ".waivers.yaml") || has_ext(path, ".waivers.json"))
        ruleset_add_waiver_file(rs, path, d);
    else
        ruleset_add_file(rs, path, d);
}

static void load_with(const char *line, void *payload)
{
    struct run *r = payload;
    load_path(r->rs, line, r->d);
}

static void apply_set(const char *line, void *payload)
{
    struct run *r = payload;
    char *copy = xstrdup(line);
    char *eq = strchr(copy, '=');
    if (eq) {
        *eq = '\0';
        ruleset_set_param(r->rs, copy, eq + 1, r->d);
    }
    free(copy);
}

static void compile_where(const char *line, void *payload)
{
    struct run *r = payload;
    rule_expr_free(ruleset_compile_expr(r->rs, "--where", line, r->d));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Run one case; returns 0 when the output matches. */
static int run_case(const char *name)
{
    char path[512], base[512], side[600];
    snprintf(path, sizeof path, DIR_RULES "/%s", name);
    snprintf(base, sizeof base, DIR_RULES "/%.*s", (int)(strrchr(name, '.') - name), name);
    struct diags d = DIAGS_INIT;
    struct run r = {ruleset_new(), &d};
    snprintf(side, sizeof side, "%s.with", base);
    each_line(side, load_with, &r);
    load_path(r.rs, path, &d);
    snprintf(side, sizeof side, "%s.set", base);
    each_line(side, apply_set, &r);
    ruleset_compile(r.rs, &d);
    snprintf(side, sizeof side, "%s.where", base);
    each_line(side, compile_where, &r);

    char *got = NULL;
    size_t got_len = 0;
    FILE *mem = open_memstream(&got, &got_len);
    diags_print(&d, mem);
    fclose(mem);
    ruleset_free(r.rs);
    diags_dispose(&d);

    snprintf(side, sizeof side, "%s.expected", base);
    int rc = 0;
    if (getenv("IMGAUDIT_UPDATE_GOLDEN")) {
        FILE *f = fopen(side, "wb");
        assert_non_null(f);
        fwrite(got, 1, got_len, f);
        fclose(f);
    } else {
        size_t want_len = 0;
        char *want = slurp(side, &want_len);
        if (!want || want_len != got_len || memcmp(want, got, got_len) != 0) {
            fprintf(stderr, "--- %s: expected (%s)\n%s--- got\n%s---\n", name, side,
                    want ? want : "(missing)\n", got);
            rc = -1;
        }
        free(want);
    }
    free(got);
    return rc;
}

static void test_golden(void **state)
{
    (void)state;
    DIR *dir = opendir(DIR_RULES);
    assert_non_null(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (has_ext(e->d_name, ".yaml") || has_ext(e->d_name, ".yml") ||
            has_ext(e->d_name, ".json")) {
            XGROW(names, cap, n + 1);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_names);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed += run_case(names[i]) != 0;
        free(names[i]);
    }
    free(names);
    assert_true(n >= 10);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
