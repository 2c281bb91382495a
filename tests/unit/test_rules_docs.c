/* SPDX-License-Identifier: MIT
 * The examples in docs/rules.md are tests (cmark's spec.txt, jq's
 * manual): every ```example block (when:, optional params:, record:,
 * result:) is compiled and evaluated, so the reference cannot drift from
 * the implementation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/buf.h"

static const int64_t NOW = 1768003200000;   /* 2026-01-10T00:00:00Z */

/* The value after "key: " in 'block', up to the end of its line. */
static char *field_of(const char *block, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = block; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ') {
            const char *v = p + klen + 2;
            return strndup(v, strcspn(v, "\n"));
        }
    }
    return NULL;
}

static int run_example(const char *block, int line)
{
    char *when = field_of(block, "when"), *params = field_of(block, "params");
    char *record = field_of(block, "record"), *result = field_of(block, "result");
    int rc = -1;
    struct buf y = BUF_INIT;
    struct diags d = DIAGS_INIT;
    struct ruleset *rs = ruleset_new();
    struct eval_scratch *s = NULL;
    if (!when || !record || !result) {
        fprintf(stderr, "docs/rules.md:%d: example needs when, record and result\n", line);
        goto done;
    }
    buf_printf(&y, "version: 1\nparams: %s\nrules:\n  - id: DOC\n    title: doc\n"
                   "    severity: info\n    when: |\n      %s\n",
               params ? params : "{}", when);
    if (ruleset_add_text(rs, "docs/rules.md", y.data, y.len, &d) != 0 ||
        ruleset_compile(rs, &d) != 0) {
        fprintf(stderr, "docs/rules.md:%d: example does not compile:\n", line);
        diags_print(&d, stderr);
        goto done;
    }
    json_t *obj = json_loads(record, 0, NULL);
    if (!obj) {
        fprintf(stderr, "docs/rules.md:%d: bad record JSON\n", line);
        goto done;
    }
    struct record rec;
    record_decode(&rec, obj, 0, NULL);
    s = eval_scratch_new(rs);
    enum tri t = ruleset_eval(rs, 0, &rec, NOW, s);
    record_dispose(&rec);
    const char *got = t == TRI_TRUE ? "true" : t == TRI_FALSE ? "false" : "unknown";
    if (strcmp(got, result) != 0) {
        fprintf(stderr, "docs/rules.md:%d: %s gives %s, the doc says %s\n", line, when, got,
                result);
        goto done;
    }
    rc = 0;
done:
    eval_scratch_free(s);
    ruleset_free(rs);
    diags_dispose(&d);
    buf_dispose(&y);
    free(when);
    free(params);
    free(record);
    free(result);
    return rc;
}

static void test_doc_examples(void **state)
{
    (void)state;
    FILE *f = fopen("docs/rules.md", "r");
    assert_non_null(f);
    char line[4096];
    struct buf block = BUF_INIT;
    int in = 0, lineno = 0, start = 0, n = 0, failed = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!in && strncmp(line, "```example", 10) == 0) {
            in = 1;
            start = lineno;
            buf_clear(&block);
        } else if (in && strncmp(line, "```", 3) == 0) {
            in = 0;
            n++;
            failed += run_example(buf_cstr(&block), start) != 0;
        } else if (in) {
            buf_puts(&block, line);
        }
    }
    fclose(f);
    buf_dispose(&block);
    assert_true(n >= 10);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
