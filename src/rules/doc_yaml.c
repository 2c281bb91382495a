/* SPDX-License-Identifier: MIT
 * YAML rule files into the position-carrying tree of doc.h, from
 * libyaml's event stream (not its document API, whose nodes lose the
 * scalar style we need to tell `7d` from "7d"). Aliases are refused:
 * rule files have no use for them and they are how a small YAML file
 * expands into a huge one. So are tags (`!!str 1`, `!custom`,
 * `!<tag:...>`, `!!python/object:...`) and %TAG directives: a tag would
 * change what a value means in ways the loader does not honour, and a
 * quoted value says "string" plainly. Each tag is reported where it is
 * and the tree is still built, so that one run lists them all; then the
 * file counts as unreadable, like one with a syntax error. */
#include "rules/doc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ybuild {
    yaml_parser_t p;
    const struct rsrc *src;
    struct diags *d;
    bool tagged;                /* a tag or %TAG was reported */
    struct arena mem;           /* the tree's (doc.h) */
};

static size_t mark_off(const struct ybuild *b, yaml_mark_t m)
{
    return rsrc_mark_offset(b->src, m.line, m.column);
}

static void syntax_error(struct ybuild *b)
{
    const yaml_parser_t *p = &b->p;
    size_t off;
    if (p->error == YAML_READER_ERROR)
        off = p->problem_offset;
    else
        off = mark_off(b, p->problem_mark);
    const char *problem = p->problem ? p->problem : "syntax error";
    /* `rule: *` (a waiver for every rule) reads as a YAML alias. */
    if (p->context && strcmp(p->context, "while scanning an alias") == 0)
        src_diag(b->d, DIAG_ERROR, b->src, off, off + 1,
                 "invalid YAML: %s (%s); quote a literal '*': \"*\"", problem, p->context);
    else if (p->context)
        src_diag(b->d, DIAG_ERROR, b->src, off, off + 1, "invalid YAML: %s (%s)", problem,
                 p->context);
    else
        src_diag(b->d, DIAG_ERROR, b->src, off, off + 1, "invalid YAML: %s", problem);
}

static int next_event(struct ybuild *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->p, ev)) {
        syntax_error(b);
        return -1;
    }
    return 0;
}

/* The node at 'off' has the explicit tag 'tag' (as libyaml resolved it):
 * report it, underlining the tag as written. The node starts with its
 * anchor or its tag, in either order (`&a !!str x`, `!!str &a x`). */
static void tag_error(struct ybuild *b, size_t off, const char *tag, bool scalar)
{
    const char *t = b->src->text;
    size_t n = b->src->len, at = off, end = off;
    for (int tok = 0; tok < 2 && at < n && t[at] != '!'; tok++) {
        if (t[at] != '&')
            break;
        while (at < n && !strchr(" \t\r\n", t[at]))
            at++;
        while (at < n && (t[at] == ' ' || t[at] == '\t'))
            at++;
    }
    if (at < n && t[at] == '!') {
        end = at;
        if (at + 1 < n && t[at + 1] == '<') {
            while (end < n && t[end] != '>' && t[end] != '\n')
                end++;
            end += end < n && t[end] == '>';
        } else {
            while (end < n && !strchr(" \t\r\n", t[end]))
                end++;
        }
    } else {
        at = off;       /* not where we expect it: name the resolved tag */
    }
    int len = end > at ? (int)(end - at) : (int)strlen(tag);
    const char *shown = end > at ? t + at : tag;
    if (len > 80)
        len = 80;
    src_diag(b->d, DIAG_ERROR, b->src, at, end > at ? end : at + 1,
             "YAML tag '%.*s' is not supported in rule files (remove it%s)", len, shown,
             scalar ? "; quote the value to make it a string" : "");
    b->tagged = true;
}

/* Report each %TAG line of the directives in [start, end) of the text. */
static void tag_directive_errors(struct ybuild *b, size_t start, size_t end)
{
    const char *t = b->src->text;
    for (size_t i = start; i < end && i < b->src->len; i++) {
        if ((i == 0 || t[i - 1] == '\n') && strncmp(t + i, "%TAG", 4) == 0) {
            src_diag(b->d, DIAG_ERROR, b->src, i, i + 4,
                     "%%TAG directives are not supported in rule files (remove the line; "
                     "tags are not supported either)");
            b->tagged = true;
        }
    }
}

/* Build the node that starts with 'ev' (which this function deletes);
 * NULL after an error (what was built stays in the arena until the end). */
static struct dnode *build(struct ybuild *b, yaml_event_t *ev, int depth)
{
    struct dnode *n = doc_new(&b->mem);
    n->pos.src = b->src;
    n->pos.off = mark_off(b, ev->start_mark);
    n->pos.style = SP_OTHER;
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        if (ev->data.scalar.tag)
            tag_error(b, n->pos.off, (const char *)ev->data.scalar.tag, true);
        n->kind = D_SCALAR;
        n->s = (char *)arena_strndup(&b->mem, (const char *)ev->data.scalar.value,
                                     ev->data.scalar.length);
        n->n = ev->data.scalar.length;
        yaml_scalar_style_t st = ev->data.scalar.style;
        n->pos.style = st == YAML_PLAIN_SCALAR_STYLE           ? SP_PLAIN
                       : st == YAML_SINGLE_QUOTED_SCALAR_STYLE ? SP_SQUOTE
                       : st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? SP_DQUOTE
                                                               : SP_BLOCK;
        doc_classify(n, st == YAML_PLAIN_SCALAR_STYLE);
        yaml_event_delete(ev);
        return n;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
        const yaml_char_t *tag =
            is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
        if (tag)
            tag_error(b, n->pos.off, (const char *)tag, false);
        n->kind = is_map ? D_MAP : D_SEQ;
        yaml_event_delete(ev);
        if (depth >= DOC_MAX_DEPTH) {
            src_diag(b->d, DIAG_ERROR, b->src, n->pos.off, n->pos.off + 1,
                     "nesting too deep (limit %d)", DOC_MAX_DEPTH);
            return NULL;
        }
        for (;;) {
            yaml_event_t kev;
            if (next_event(b, &kev) != 0)
                return NULL;
            if (kev.type == end) {
                yaml_event_delete(&kev);
                return n;
            }
            struct dnode *k = build(b, &kev, depth + 1);
            if (!k)
                return NULL;
            doc_add_kid(&b->mem, n, k);
        }
    }
    case YAML_ALIAS_EVENT:
        src_diag(b->d, DIAG_ERROR, b->src, n->pos.off, n->pos.off + 1,
                 "YAML aliases are not supported in rule files");
        yaml_event_delete(ev);
        return NULL;
    default:
        yaml_event_delete(ev);
        src_diag(b->d, DIAG_ERROR, b->src, n->pos.off, n->pos.off + 1, "invalid YAML");
        return NULL;
    }
}

struct dnode *doc_parse_yaml(const struct rsrc *src, struct diags *d)
{
    struct ybuild b = {.src = src, .d = d};
    struct dnode *root = NULL;
    yaml_event_t ev;
    if (!yaml_parser_initialize(&b.p))
        abort();        /* libyaml fails this only on OOM, as xmalloc would */
    yaml_parser_set_input_string(&b.p, (const unsigned char *)src->text, src->len);
    /* STREAM-START, DOCUMENT-START, node, DOCUMENT-END, STREAM-END. */
    if (next_event(&b, &ev) != 0)
        goto done;
    yaml_event_delete(&ev);
    if (next_event(&b, &ev) != 0)
        goto done;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        src_diag(d, DIAG_ERROR, src, 0, 1, "empty rule file (expected 'version: 1')");
        goto done;
    }
    /* DOCUMENT-START: its marks span the directives, if any. */
    if (ev.data.document_start.tag_directives.start != ev.data.document_start.tag_directives.end)
        tag_directive_errors(&b, mark_off(&b, ev.start_mark), mark_off(&b, ev.end_mark));
    yaml_event_delete(&ev);
    if (next_event(&b, &ev) != 0)
        goto done;
    root = build(&b, &ev, 0);
    if (!root)
        goto done;
    if (next_event(&b, &ev) != 0)
        goto fail;
    yaml_event_delete(&ev);
    if (next_event(&b, &ev) != 0)
        goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        size_t off = mark_off(&b, ev.start_mark);
        yaml_event_delete(&ev);
        src_diag(d, DIAG_ERROR, src, off, off + 3,
                 "a rule file holds one YAML document (found a second)");
        goto fail;
    }
    yaml_event_delete(&ev);
    if (b.tagged)
        goto fail;
    root = doc_finish(root, &b.mem);
    goto done;
fail:
    root = NULL;
done:
    arena_dispose(&b.mem);      /* all of it after an error, else nothing */
    yaml_parser_delete(&b.p);
    return root;
}
