/* SPDX-License-Identifier: MIT
 * A rule file as a small tree of maps, lists and scalars with source
 * positions: what the YAML reader (libyaml events) and the JSON reader
 * (jansson, plus a position walk over the text) both produce, so that
 * one validator (load.c) serves both formats with the same messages. */
#ifndef IMGAUDIT_RULES_DOC_H
#define IMGAUDIT_RULES_DOC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/source.h"
#include "util/arena.h"
#include "util/diag.h"

enum dkind { D_SCALAR, D_SEQ, D_MAP };

/* What a scalar means: YAML plain scalars are typed by their text
 * (`7d` is a duration, `"7d"` a string); JSON by its token. */
enum skind { SK_NULL, SK_BOOL, SK_INT, SK_DEC, SK_DUR, SK_STR };

/* A tree's nodes, texts and kid arrays live in one arena, released
 * together by doc_free(root): a rule file of 100,000 rules is a million
 * nodes, and one malloc and one free for each was most of the time spent
 * loading it. */
struct dnode {
    enum dkind kind;
    char *s;                    /* scalar text, NUL-terminated */
    size_t n;
    enum skind sk;              /* scalars */
    bool b;                     /* SK_BOOL */
    int64_t i;                  /* SK_INT; SK_DUR in ms */
    double d;                   /* SK_DEC */
    struct spos pos;            /* scalars: as written; collections: start */
    struct dnode **kids;        /* maps: key, value, key, value, ... */
    size_t nkids;
};

/* Nesting deeper than this is no rule file (and would be a stack risk). */
#define DOC_MAX_DEPTH 32

/* Parse the text of 'src'; NULL after adding a syntax error to 'd'. */
struct dnode *doc_parse_yaml(const struct rsrc *src, struct diags *d);
struct dnode *doc_parse_json(const struct rsrc *src, struct diags *d);
/* Release a whole tree: only a root that doc_parse_* returned. */
void doc_free(struct dnode *root);                          /* accepts NULL */

/* For the readers: a zeroed node in 'mem'; 'kid' (from 'mem') appended to
 * a map (key, then value) or a list; and the tree rooted at 'root', made
 * the owner of 'mem' (which is left empty). */
struct dnode *doc_new(struct arena *mem);
void doc_add_kid(struct arena *mem, struct dnode *n, struct dnode *kid);
struct dnode *doc_finish(struct dnode *root, struct arena *mem);

/* Type a plain scalar by its text (also used for --set values). */
void doc_classify(struct dnode *n, bool plain);

#endif
