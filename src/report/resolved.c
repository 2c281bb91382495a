/* SPDX-License-Identifier: MIT
 * Building resolved findings; see resolved.h. */
#include "report/resolved.h"

#include <stdlib.h>
#include <string.h>

#include "report/spill.h"
#include "util/xalloc.h"

void rule_index_build(struct idtable *t, const struct report *rep)
{
    idtable_init(t, rep->n_rules);
    for (size_t i = 0; i < rep->n_rules; i++) {
        const char *id = rep->rules[i].id;
        idtable_add(t, idhash_strn(IDHASH_SEED, id, strlen(id)), (uint32_t)i);
    }
}

int64_t rule_index_find(const struct idtable *t, const struct report *rep, const char *id,
                        size_t n)
{
    uint64_t h = idhash_strn(IDHASH_SEED, id, n);
    for (size_t s = idtable_first(t, h); idtable_used(t, s); s = idtable_step(t, s)) {
        const char *r = rep->rules[t->val[s]].id;
        if (t->hash[s] == h && strncmp(r, id, n) == 0 && r[n] == '\0')
            return t->val[s];
    }
    return -1;
}

void resolved_begin(struct resolved_builder *b, struct report *rep)
{
    b->rep = rep;
    for (size_t i = 0; i < rep->n_resolved_rules; i++)
        free((void *)rep->resolved_rules[i].tags);
    rep->n_resolved = rep->n_resolved_rules = rep->n_resolved_images = 0;
    rep->resolved_unread = false;
    spill_free(rep->resolved_spill);    /* these images are in memory */
    rep->resolved_spill = NULL;
    rule_index_build(&b->rules, rep);
    idtable_init(&b->seen, 16);
}

static uint64_t triple_hash(const char *id, const char *title, enum severity sev)
{
    uint64_t h = idhash_strn(IDHASH_SEED, id, strlen(id));
    h = idhash_strn(h, title, strlen(title));
    unsigned char s = (unsigned char)sev;
    return idhash(h, &s, 1);
}

uint32_t resolved_rule(struct resolved_builder *b, const char *id, const char *title,
                       enum severity sev)
{
    struct report *rep = b->rep;
    uint64_t h = triple_hash(id, title, sev);
    for (size_t s = idtable_first(&b->seen, h); idtable_used(&b->seen, s);
         s = idtable_step(&b->seen, s)) {
        const struct report_rule *r = &rep->resolved_rules[b->seen.val[s]];
        if (b->seen.hash[s] == h && r->severity == sev && strcmp(r->id, id) == 0 &&
            strcmp(r->title, title) == 0)
            return b->seen.val[s];
    }
    XGROW(rep->resolved_rules, rep->cap_resolved_rules, rep->n_resolved_rules + 1);
    uint32_t idx = (uint32_t)rep->n_resolved_rules++;
    struct report_rule *r = &rep->resolved_rules[idx];
    memset(r, 0, sizeof *r);
    r->id = report_str(rep, id);
    r->title = report_str(rep, title);
    r->severity = sev;
    int64_t now = rule_index_find(&b->rules, rep, id, strlen(id));
    if (now >= 0) {
        r->description = rep->rules[now].description;
        r->remediation = rep->rules[now].remediation;
    }
    idtable_add(&b->seen, h, idx);
    return idx;
}

struct report_image *resolved_image(struct resolved_builder *b, uint32_t *index)
{
    struct report *rep = b->rep;
    XGROW(rep->resolved_images, rep->cap_resolved_images, rep->n_resolved_images + 1);
    *index = (uint32_t)rep->n_resolved_images;
    struct report_image *img = &rep->resolved_images[rep->n_resolved_images++];
    memset(img, 0, sizeof *img);
    img->max_severity = -1;
    return img;
}

struct report_finding *resolved_add(struct resolved_builder *b)
{
    struct report *rep = b->rep;
    XGROW(rep->resolved, rep->cap_resolved, rep->n_resolved + 1);
    struct report_finding *fi = &rep->resolved[rep->n_resolved++];
    memset(fi, 0, sizeof *fi);
    fi->waiver = -1;
    fi->status = FINDING_OPEN;
    fi->change = CHANGE_RESOLVED;
    return fi;
}

void resolved_end(struct resolved_builder *b)
{
    idtable_dispose(&b->rules);
    idtable_dispose(&b->seen);
}
