/* SPDX-License-Identifier: MIT
 * Message templates: "{namespace}/{image_name} has {vul_num} vulns".
 * Parsed and checked once at compile (an unknown {name} is a load error
 * like one in `when`), then filled per finding. `{{` and `}}` write
 * literal braces; {params.NAME} writes a param's value. */
#include "rules/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

static void add_seg(struct rule *r, enum seg_kind k, const char *s, size_t n, size_t off,
                    size_t len)
{
    r->segs = xreallocarray(r->segs, r->nsegs + 1, sizeof *r->segs);
    struct msg_seg *g = &r->segs[r->nsegs++];
    memset(g, 0, sizeof *g);
    g->kind = k;
    g->text = xstrndup(s, n);
    g->n = n;
    g->off = off;
    g->len = len;
}

/* Append literal text, merging with a previous text segment. */
static void add_text(struct rule *r, const char *s, size_t n, size_t off)
{
    if (r->nsegs && r->segs[r->nsegs - 1].kind == SEG_TEXT) {
        struct msg_seg *g = &r->segs[r->nsegs - 1];
        g->text = xrealloc(g->text, g->n + n + 1);
        memcpy(g->text + g->n, s, n);
        g->n += n;
        g->text[g->n] = '\0';
        return;
    }
    add_seg(r, SEG_TEXT, s, n, off, n);
}

int check_message(const struct ruleset *rs, struct rule *r, struct diags *d)
{
    if (!r->message)
        return 0;
    /* A second ruleset_compile parses the template afresh. */
    for (size_t k = 0; k < r->nsegs; k++)
        free(r->segs[k].text);
    free(r->segs);
    r->segs = NULL;
    r->nsegs = 0;
    size_t before = d->errors;
    const char *m = r->message;
    size_t n = r->message_len, i = 0, lit = 0;
    while (i < n) {
        if ((m[i] == '{' || m[i] == '}') && i + 1 < n && m[i + 1] == m[i]) {
            add_text(r, m + lit, i + 1 - lit, lit);
            i += 2;
            lit = i;
            continue;
        }
        if (m[i] == '}') {
            spos_diag(d, DIAG_ERROR, &r->message_pos, m, n, i, i + 1,
                      "unmatched '}' in message (write '}}' for a literal brace)");
            i++;
            continue;
        }
        if (m[i] != '{') {
            i++;
            continue;
        }
        const char *close = memchr(m + i, '}', n - i);
        if (!close) {
            spos_diag(d, DIAG_ERROR, &r->message_pos, m, n, i, i + 1,
                      "unterminated '{' in message (write '{{' for a literal brace)");
            break;
        }
        if (i > lit)
            add_text(r, m + lit, i - lit, lit);
        size_t a = i + 1, b = (size_t)(close - m);
        while (a < b && m[a] == ' ')
            a++;
        while (b > a && m[b - 1] == ' ')
            b--;
        char *name = xstrndup(m + a, b - a);
        char hint[160] = "";
        if (strncmp(name, "params.", 7) == 0) {
            const struct param *p = ruleset__find_param(rs, name + 7, b - a - 7);
            if (p) {
                add_seg(r, SEG_PARAM, name, b - a, i, (size_t)(close - m) + 1 - i);
                r->segs[r->nsegs - 1].param = p;
            } else {
                const char **names = ruleset__param_names(rs);
                const char *s = suggest_best(name + 7, b - a - 7, names, rs->nparams);
                free(names);
                if (s)
                    snprintf(hint, sizeof hint, " (did you mean 'params.%s'?)", s);
                spos_diag(d, DIAG_ERROR, &r->message_pos, m, n, a, b,
                          "unknown param '%s' in message%s", name + 7, hint);
            }
        } else {
            int f = field_lookup(name, b - a);
            if (f >= 0) {
                add_seg(r, SEG_FIELD, name, b - a, i, (size_t)(close - m) + 1 - i);
                r->segs[r->nsegs - 1].idx = f;
            } else {
                const char *cands[FIELD_COUNT];
                for (int k = 0; k < FIELD_COUNT; k++)
                    cands[k] = field_defs[k].name;
                const char *s = suggest_best(name, b - a, cands, FIELD_COUNT);
                if (s)
                    snprintf(hint, sizeof hint, " (did you mean '%s'?)", s);
                spos_diag(d, DIAG_ERROR, &r->message_pos, m, n, a, b > a ? b : a + 1,
                          "unknown field '%s' in message%s", name, hint);
            }
        }
        free(name);
        i = (size_t)(close - m) + 1;
        lit = i;
    }
    if (lit < n)
        add_text(r, m + lit, n - lit, lit);
    return d->errors > before ? -1 : 0;
}

static void put_cell(struct buf *out, const struct cell *c, enum ftype t)
{
    if (c->state != CELL_OK)
        return;     /* missing: nothing, so "{x}" reads as empty */
    char tmp[TIME_ISO_MAX];
    switch (t) {
    case FT_INT: buf_put_int(out, c->v.i); break;
    case FT_TIME:
        time_format_iso(c->v.i, tmp);
        buf_puts(out, tmp);
        break;
    case FT_STR: buf_append(out, c->v.s.p, c->v.s.n); break;
    case FT_BOOL: buf_puts(out, c->v.b ? "true" : "false"); break;
    case FT_LIST: buf_put_int(out, (int64_t)c->v.list.n); break;
    }
}

void ruleset_format_message(const struct ruleset *rs, size_t i, const struct record *rec,
                            struct buf *out)
{
    if (i >= rs->nenabled)
        return;
    const struct rule *r = rs->rules[rs->enabled[i]];
    if (!r->message || r->message_len == 0) {
        buf_puts(out, r->title);
        return;
    }
    for (size_t k = 0; k < r->nsegs; k++) {
        const struct msg_seg *g = &r->segs[k];
        switch (g->kind) {
        case SEG_TEXT: buf_append(out, g->text, g->n); break;
        case SEG_FIELD: put_cell(out, &rec->f[g->idx], field_defs[g->idx].type); break;
        case SEG_PARAM: buf_puts(out, g->param->text); break;
        }
    }
}
