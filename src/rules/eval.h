/* SPDX-License-Identifier: MIT
 * Evaluation internals shared by eval.c and builtins.c. Values are small
 * structs passed by value; strings borrow from the record's JSON, the
 * rule set or the scratch arena, so the common path allocates nothing.
 * V_UNK is both "missing" and "unknown": three-valued logic treats them
 * alike. */
#ifndef IMGAUDIT_RULES_EVAL_H
#define IMGAUDIT_RULES_EVAL_H
#include <assert.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "rules/internal.h"
#include "rules/parse.h"

/* V_ALIST: association_images, decoded; V_JLIST: any other JSON array
 * (field("name")). */
enum vkind { V_UNK, V_BOOL, V_INT, V_DEC, V_STR, V_DUR, V_TIME, V_JLIST, V_ALIST };

/* 16 bytes, so that a value is returned in two registers: as a 24-byte
 * struct it went through the stack, written piece by piece and read back
 * whole, which made the CPU wait for the stores at nearly every node
 * (perf: a fifth of the evaluator's samples on one instruction). A
 * string's length fits 32 bits: it is part of one record (at most 64
 * MiB, source/input.c), a parameter or a literal. */
struct val {
    enum vkind k;
    uint32_t n;                 /* V_STR: the length of u.s; V_ALIST: of u.al */
    union {
        int64_t b;              /* V_BOOL: 1 or 0 */
        int64_t i;              /* V_INT, V_DUR, V_TIME */
        double d;
        const char *s;          /* V_STR, not NUL-terminated */
        const json_t *j;        /* V_JLIST: a JSON array, borrowed */
        const struct assoc_elem *al;    /* V_ALIST */
    } u;
};
_Static_assert(sizeof(struct val) == 16, "a value fits two registers");

struct ectx {
    const struct record *rec;
    const struct assoc_elem *aelem; /* inside any()/count(): the element */
    size_t aidx;                /* ... and its index in the list */
    int64_t now;
    struct eval_scratch *s;
    int depth;
    const struct rule *rule;    /* its regex counters */
};

/* Bounded by the parser's AST_MAX_DEPTH; checked again here so that a
 * tree built some other way cannot overflow a worker's stack. */
#define EVAL_MAX_DEPTH (AST_MAX_DEPTH + 16)

struct val eval_node(struct ectx *x, const struct node *n);
struct val eval_call(struct ectx *x, const struct node *n);
/* Scratch memory valid until the next ruleset_eval on the same scratch. */
char *eval_scratch_alloc(struct eval_scratch *s, size_t n);
pcre2_match_data *eval_scratch_match_data(struct eval_scratch *s);

static inline struct val val_unk(void)
{
    struct val v = {V_UNK, 0, {.i = 0}};
    return v;
}

static inline struct val val_bool(bool b)
{
    struct val v = {V_BOOL, 0, {.b = b}};
    return v;
}

static inline struct val val_int(enum vkind k, int64_t i)
{
    struct val v = {k, 0, {.i = i}};
    return v;
}

static inline struct val val_str(const char *p, size_t n)
{
    assert(n <= UINT32_MAX);
    struct val v = {V_STR, (uint32_t)n, {.s = p}};
    return v;
}

#endif
