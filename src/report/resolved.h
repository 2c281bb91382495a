/* SPDX-License-Identifier: MIT
 * Building a report's resolved findings (report.h: resolved[],
 * resolved_rules[], resolved_images[]). Two places build them: the
 * baseline comparison (report/baseline.c), from the baseline's findings
 * that are gone, and the JSON reader (report/reader.c), from a report's
 * "resolved" rows. Both go through here so that a report read back has
 * the very model that was written.
 *
 * What a resolved finding keeps is what its JSON row carries: the rule's
 * id, title and severity (one resolved_rules entry per distinct triple;
 * description and remediation come from the rule of that id in
 * rep->rules when this run still has it, else none), and one
 * resolved_images entry per finding holding the cells of the image
 * fields that are finding columns (columns.def); its other cells are
 * missing.
 *
 * Also here: looking rules up by id, which both need. */
#ifndef IMGAUDIT_RESOLVED_H
#define IMGAUDIT_RESOLVED_H
#include <stddef.h>
#include <stdint.h>

#include "report/idtable.h"
#include "report/report.h"

/* rep->rules by id: build the index, then find an id ('n' bytes, not
 * NUL-terminated) in it; -1 when there is no such rule. */
void rule_index_build(struct idtable *t, const struct report *rep);
int64_t rule_index_find(const struct idtable *t, const struct report *rep, const char *id,
                        size_t n);

struct resolved_builder {
    struct report *rep;
    struct idtable rules;       /* rep->rules by id */
    struct idtable seen;        /* rep->resolved_rules by (id, title, severity) */
};

/* Start over: empty rep's resolved lists (their memory is reused) and
 * index its rules. */
void resolved_begin(struct resolved_builder *b, struct report *rep);
/* The resolved_rules index of (id, title, severity), added when new
 * ('id' and 'title' are copied). */
uint32_t resolved_rule(struct resolved_builder *b, const char *id, const char *title,
                       enum severity sev);
/* Append an image with every cell missing; '*index' gets its index.
 * The pointer is valid until the next append. */
struct report_image *resolved_image(struct resolved_builder *b, uint32_t *index);
/* Append a resolved finding (change CHANGE_RESOLVED, no waiver, no
 * matches, status open: the caller sets the rest). The pointer is valid
 * until the next append. */
struct report_finding *resolved_add(struct resolved_builder *b);
void resolved_end(struct resolved_builder *b);

#endif
