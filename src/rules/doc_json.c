/* SPDX-License-Identifier: MIT
 * JSON rule files into the tree of doc.h. jansson does the validation
 * (syntax errors with their position, duplicate keys); jansson keeps no
 * positions for values, so a second, trusting walk over the text (known
 * to be valid JSON by then) builds the tree with each value's offset.
 * A JSON string that reads as a duration ("7d") is a duration: JSON has
 * no unquoted form for one, and params need it. */
#include "rules/doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rules/lex.h"

struct jwalk {
    const struct rsrc *src;
    const char *t;
    size_t n, p;
    struct arena mem;           /* the tree's (doc.h) */
};

static void skip_ws(struct jwalk *w)
{
    while (w->p < w->n && strchr(" \t\r\n", w->t[w->p]) && w->t[w->p])
        w->p++;
}

/* The string token at w->p (the opening quote). */
static struct dnode *jstring(struct jwalk *w)
{
    size_t start = w->p++;
    while (w->p < w->n && w->t[w->p] != '"')
        w->p += w->t[w->p] == '\\' ? 2 : 1;
    w->p++;
    struct dnode *n = doc_new(&w->mem);
    n->kind = D_SCALAR;
    n->pos = (struct spos){w->src, start, SP_JSON};
    /* JSON escapes are the expression language's: one decoder for both. */
    char *s = lex_string_value(w->t, start, w->p, &n->n);
    n->s = (char *)arena_strndup(&w->mem, s, n->n);
    free(s);
    doc_classify(n, false);
    return n;
}

static struct dnode *jvalue(struct jwalk *w)
{
    skip_ws(w);
    char c = w->t[w->p];
    if (c == '"') {
        struct dnode *n = jstring(w);
        struct dnode probe = *n;
        doc_classify(&probe, true);
        if (probe.sk == SK_DUR) {
            n->sk = SK_DUR;
            n->i = probe.i;
        }
        return n;
    }
    struct dnode *n = doc_new(&w->mem);
    n->pos = (struct spos){w->src, w->p, SP_OTHER};
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        n->kind = c == '{' ? D_MAP : D_SEQ;
        w->p++;
        for (;;) {
            skip_ws(w);
            if (w->p >= w->n || w->t[w->p] == close) {
                w->p++;
                return n;
            }
            if (w->t[w->p] == ',') {
                w->p++;
                continue;
            }
            if (n->kind == D_MAP) {
                doc_add_kid(&w->mem, n, jstring(w));
                skip_ws(w);
                w->p++;     /* ':' */
            }
            doc_add_kid(&w->mem, n, jvalue(w));
        }
    }
    /* A number, true, false or null. */
    size_t start = w->p;
    while (w->p < w->n && w->t[w->p] && strchr("+-.0123456789eEtrufalsn", w->t[w->p]))
        w->p++;
    n->kind = D_SCALAR;
    n->s = (char *)arena_strndup(&w->mem, w->t + start, w->p - start);
    n->n = w->p - start;
    doc_classify(n, true);
    return n;
}

struct dnode *doc_parse_json(const struct rsrc *src, struct diags *d)
{
    json_error_t err;
    json_t *j = json_loadb(src->text, src->len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        /* jansson's position is just past the offending byte. */
        size_t off = err.position > 0 ? (size_t)err.position - 1 : 0;
        src_diag(d, DIAG_ERROR, src, off, off + 1, "invalid JSON: %s", err.text);
        return NULL;
    }
    json_decref(j);
    struct jwalk w = {src, src->text, src->len, 0, ARENA_INIT};
    struct dnode *root = jvalue(&w);
    return doc_finish(root, &w.mem);
}
