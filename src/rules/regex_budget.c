/* SPDX-License-Identifier: MIT
 * The costly-regex counters of a compiled rule set, read back after
 * evaluation (rules.h). eval.c counts; this file reports. */
#include "rules/internal.h"

static const struct rule *enabled_rule(const struct ruleset *rs, size_t i)
{
    return i < rs->nenabled ? rs->rules[rs->enabled[i]] : NULL;
}

static size_t hits_of(const struct rule_regex *x)
{
    /* Relaxed: a count, read after the evaluating threads are joined
     * (or, during evaluation, a snapshot that may be one behind). */
    return atomic_load_explicit(&x->limit_hits, memory_order_relaxed);
}

size_t ruleset_rule_regex_limit_hits(const struct ruleset *rs, size_t i)
{
    const struct rule *r = enabled_rule(rs, i);
    size_t n = 0;
    for (size_t k = 0; r && k < r->nregexes; k++)
        n += hits_of(&r->regexes[k]);
    return n;
}

bool ruleset_rule_regex_disabled(const struct ruleset *rs, size_t i)
{
    const struct rule *r = enabled_rule(rs, i);
    for (size_t k = 0; r && k < r->nregexes; k++)
        if (hits_of(&r->regexes[k]) >= RULES_REGEX_MAX_LIMIT_HITS)
            return true;
    return false;
}

size_t ruleset_regex_warnings(const struct ruleset *rs, struct diags *d)
{
    size_t added = 0;
    for (size_t i = 0; i < rs->nenabled; i++) {
        const struct rule *r = rs->rules[rs->enabled[i]];
        for (size_t k = 0; k < r->nregexes; k++) {
            size_t hits = hits_of(&r->regexes[k]);
            if (hits < RULES_REGEX_MAX_LIMIT_HITS)
                continue;
            /* At the pattern in `when`: the literal, or params.NAME. */
            const struct node *pat = r->regexes[k].n->kids[1];
            spos_diag(d, DIAG_WARNING, &r->when_pos, r->when, r->when_len, pat->start,
                      pat->end,
                      "regex in rule '%s' hit the PCRE2 match limit %zu times and was "
                      "disabled; its results are unknown from then on (simplify the "
                      "pattern: nested repetition such as (a+)+ backtracks exponentially)",
                      r->id, hits);
            added++;
        }
    }
    return added;
}
