/* SPDX-License-Identifier: MIT
 * Fuzz target for the HTML template engine (--template FILE): compiling
 * arbitrary text against a schema, the diagnostics for every kind of
 * mistake, and rendering whatever compiles with data that has every
 * kind of value (escaped text, raw fragments, booleans, objects, lists
 * of objects and of strings, missing names).
 *
 * The schema is the fuzzer's own, not the report's (html.c keeps that
 * private): a few short names of each kind, with "items" nesting the
 * whole schema again, so that short inputs reach every section kind and
 * the depth limit. templates/report.html is still a useful seed (the
 * replay test and docs/fuzzing.md add it): its unknown names exercise
 * the error paths on a large, real template.
 * The whole input is the template. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "render/template.h"

static const struct tpl_schema schema[] = {
    {"title", TPL_TEXT, NULL},
    {"name", TPL_TEXT, NULL},
    {"empty", TPL_TEXT, NULL},
    {"missing", TPL_TEXT, NULL},
    {"chart", TPL_HTML, NULL},
    {"flag", TPL_SECTION, NULL},
    {"off", TPL_SECTION, NULL},
    {"items", TPL_SECTION, schema},     /* recursive: any depth */
    {"tags", TPL_STRINGS, NULL},
    {NULL, TPL_TEXT, NULL},
};

static struct tpl_data *root;

/* Build the data once; it is read-only while rendering. Strings hold
 * every byte the escaper must change. */
static void data_init(void)
{
    if (root)
        return;
    root = tpl_data_new();
    tpl_set_str(root, "title", "a<b>&\"c'd");
    tpl_set_str(root, "empty", "");
    tpl_set_html(root, "chart", "<svg><text>&amp;</text></svg>");
    tpl_set_bool(root, "flag", true);
    tpl_set_bool(root, "off", false);
    tpl_add_str(root, "tags", "t<1>");
    tpl_add_str(root, "tags", "");
    for (int i = 0; i < 2; i++) {
        struct tpl_data *it = tpl_add_item(root, "items");
        tpl_set_fmt(it, "name", "item %d", i);
        struct tpl_data *sub = tpl_add_item(it, "items");
        tpl_set_str(sub, "name", "sub & sub");
        tpl_set_list(sub, "items");
        tpl_set_str(sub, "chart", "<not-html>");   /* TPL_HTML name, plain string */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    data_init();
    struct diags d = DIAGS_INIT;
    struct tpl *t;
    if (tpl_compile(&t, "fuzz.html", (const char *)data, size, schema, &d) == 0) {
        if (fuzz_sink())
            (void)tpl_render(t, root, fuzz_sink(), &d);
        tpl_free(t);
    }
    fuzz_print_diags(&d);
    diags_dispose(&d);
    return 0;
}
