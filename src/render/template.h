/* SPDX-License-Identifier: MIT
 * A small logic-less template engine (mustache-style) for the HTML
 * report, so that people can restyle the report (--template FILE)
 * without touching C and without being able to turn escaping off.
 *
 * Syntax:
 *   {{name}}               the value, HTML-escaped (& < > " '); in element
 *                          content (not in a tag, nor in title, textarea,
 *                          script or style) a word longer than 48
 *                          characters also gets a <wbr> every 48, so that
 *                          no value can stall the browser's line breaking
 *   {{{name}}} {{&name}}   a fragment the tool rendered itself (SVG)
 *   {{#name}}...{{/name}}  list: once per item; boolean/text: if true/non-empty
 *   {{^name}}...{{/name}}  inverted: if false, empty or missing
 *   {{.}}                  the current item of a list of strings
 *   {{! comment }}
 * A section, inverted or comment tag alone on its line removes that line
 * from the output, as in mustache, so the output stays tidy.
 *
 * Names are checked when the template is compiled, against a schema the
 * caller declares (struct tpl_schema), not against the data: an unknown
 * name is an error even inside a section that would be empty for this
 * report, and {{{name}}} is an error for anything but a TPL_HTML
 * fragment, so a custom template cannot print data unescaped.
 *
 * Use:
 *   struct tpl *t;
 *   if (tpl_compile(&t, "report.html", text, len, schema, &diags) < 0) ...
 *   struct tpl_data *root = tpl_data_new();
 *   tpl_set_str(root, "title", "Weekly");
 *   struct tpl_data *row = tpl_add_item(root, "findings");
 *   tpl_set_str(row, "rule_id", "IMG-1");
 *   tpl_render(t, root, stdout, &diags);
 *   tpl_data_free(root); tpl_free(t);
 */
#ifndef IMGAUDIT_TEMPLATE_H
#define IMGAUDIT_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"

enum tpl_kind {
    TPL_TEXT,       /* a value: {{name}}; as a section, true when non-empty */
    TPL_HTML,       /* a fragment the tool rendered: {{{name}}} */
    TPL_SECTION,    /* list of objects, object or boolean: {{#name}} */
    TPL_STRINGS,    /* list of strings: {{#name}}{{.}}{{/name}} */
};

/* One name the template may use. A schema level is an array ended by an
 * entry whose name is NULL. */
struct tpl_schema {
    const char *name;
    enum tpl_kind kind;
    const struct tpl_schema *children;  /* TPL_SECTION: names inside; may be NULL */
};

struct tpl;
struct tpl_data;

/* Compile 'text' ('len' bytes; 'file' names it in errors) against
 * 'schema'. Every problem goes to 'd' as "FILE:LINE:COL: error: ...".
 * Returns 0 and a template in '*out' (free with tpl_free), or -1 with
 * '*out' NULL. */
int tpl_compile(struct tpl **out, const char *file, const char *text, size_t len,
                const struct tpl_schema *schema, struct diags *d);
void tpl_free(struct tpl *t);                   /* accepts NULL */
/* Whether a tag of 't', at any depth, names 'name' (with 'as_section',
 * a section or inverted tag): data no tag reads need not be built (the
 * HTML report's rows are thousands). A name is matched at every level,
 * so the answer may be yes for a name used only elsewhere; never no for
 * one in use. */
bool tpl_uses(const struct tpl *t, const char *name, bool as_section);

/* Render 't' with 'data' to 'out'. A name without data renders as empty
 * (a section as false). Returns 0, or -1 with an error in 'd' on a write
 * error, or when rendering does far more work than the data needs (a
 * list section nested inside itself, see template.c: struct budget);
 * output written by then is incomplete. */
int tpl_render(const struct tpl *t, const struct tpl_data *data, FILE *out,
               struct diags *d);

/* ---- the data: a tree of objects; strings are copied ---- */

struct tpl_data *tpl_data_new(void);
void tpl_data_free(struct tpl_data *root);      /* the root only; accepts NULL */

/* Set key 'key' of object 'o' (replacing an earlier value). */
void tpl_set_str(struct tpl_data *o, const char *key, const char *s);   /* NULL = "" */
void tpl_set_strn(struct tpl_data *o, const char *key, const char *s, size_t n);
void tpl_set_fmt(struct tpl_data *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tpl_set_int(struct tpl_data *o, const char *key, int64_t v);
void tpl_set_bool(struct tpl_data *o, const char *key, bool b);
/* A fragment the caller rendered and escaped itself (TPL_HTML). */
void tpl_set_html(struct tpl_data *o, const char *key, const char *html);
/* The same, without a copy: the tree takes 'html' (malloc'ed) and frees
 * it, for a fragment of many megabytes (the HTML report's data block). */
void tpl_take_html(struct tpl_data *o, const char *key, char *html);
/* The same, kept in a file: the first 'size' bytes of 'f' (opened for
 * reading, positioned anywhere), which the tree closes. For a fragment
 * whose size grows with the report (the data block): it never is in
 * memory whole. */
void tpl_take_file(struct tpl_data *o, const char *key, FILE *f, uint64_t size);
/* An object under 'key' (a section rendered once); returns it. */
struct tpl_data *tpl_set_obj(struct tpl_data *o, const char *key);
/* Append a new object to the list 'key' (created empty on first use);
 * returns the new item, owned by the tree. */
struct tpl_data *tpl_add_item(struct tpl_data *o, const char *key);
/* Append a string to the list of strings 'key'. */
void tpl_add_str(struct tpl_data *o, const char *key, const char *s);
/* Make 'key' an empty list (so {{^key}} shows), if it is not one yet. */
void tpl_set_list(struct tpl_data *o, const char *key);

/* Append 's' ('n' bytes) HTML-escaped to 'out'; for callers that render
 * fragments (the SVG charts) with the same escaping as {{name}}. */
struct buf;
void tpl_escape_html(struct buf *out, const char *s, size_t n);

#endif
