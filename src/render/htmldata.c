/* SPDX-License-Identifier: MIT
 * The HTML page's data block; see htmldata.h, and docs/reports.md for
 * the layout.
 *
 * Why columnar: the page must carry every finding (300,000 of them in
 * the benchmark) at a cost of at most 250 bytes each. A finding's own
 * data is small (its rule, image, status, change, message, first seen
 * and waiver); the rest belongs to its image or its rule, so those are
 * written once each. Columns of repeated text (namespaces, registries,
 * versions) are string tables with indexes, the findings' rules are run
 * lengths (findings come sorted by severity and rule), their images are
 * differences from the previous one, and a message is an index into a
 * table of distinct messages in which the image's own
 * "namespace/name:version" is a NUL character: "{image} has 120
 * vulnerabilities (limit 50)" is then one entry for every image with 120
 * of them. Only exact bytes are replaced, so the page rebuilds every
 * message exactly. */
#include "render/htmldata.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "render/distinct.h"
#include "report/columns.h"
#include "util/bitrank.h"
#include "util/timefmt.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

/* ---- JSON pieces ---- */

/* Length of the UTF-8 character at s[0, n), or 0 if it is not one
 * (overlong, a surrogate, beyond U+10FFFF, cut short). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return len;
}

void html_json_str(struct buf *out, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0, i = 0;
    buf_putc(out, '"');
    while (i < n) {
        unsigned char c = s[i];
        const char *esc = NULL;
        char u[7];
        size_t skip = 1;
        if (c < 0x80) {
            if (c == '"')
                esc = "\\\"";
            else if (c == '\\')
                esc = "\\\\";
            else if (c == '\n')
                esc = "\\n";
            else if (c == '\t')
                esc = "\\t";
            else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                memcpy(u, "\\u00", 4);
                u[4] = hex[c >> 4];
                u[5] = hex[c & 15];
                u[6] = '\0';
                esc = u;
            }
        } else {
            skip = utf8_char(s + i, n - i);
            if (!skip) {
                esc = "\\ufffd";
                skip = 1;
            } else if (skip == 3 && c == 0xE2 && s[i + 1] == 0x80 &&
                       (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
                esc = s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            }
        }
        if (esc) {
            buf_append(out, s + run, i - run);
            buf_puts(out, esc);
            run = i + skip;
        }
        i += skip;
    }
    buf_append(out, s + run, n - run);
    buf_putc(out, '"');
}

static void jstr(struct buf *out, const char *s)
{
    if (s)
        html_json_str(out, s, strlen(s));
    else
        buf_puts(out, "null");
}

/* ---- the block goes to a file as it is made ---- */

/* The block's buffer and the file it is drained into: every 'struct
 * buf *out' below is the 'b' of a sink. */
struct sink {
    struct buf b;
    FILE *f;
    int err;                    /* first error of a string table's files (errno) */
};

#define DRAIN_BYTES ((size_t)1 << 20)

/* Write what the buffer holds to the file once it is large: the block
 * is never in memory whole (it grows with the findings). */
static void drain(struct buf *out)
{
    struct sink *s = (struct sink *)(void *)out;
    if (out->len < DRAIN_BYTES)
        return;
    write_pieces(out->data, out->len, s->f);
    buf_clear(out);
}

/* A string table's temporary files failed: the block is not written. */
static void fail(struct buf *out)
{
    struct sink *s = (struct sink *)(void *)out;
    if (!s->err)
        s->err = errno ? errno : EIO;
}

/* The members of one JSON object, commas between them: jo_key() writes
 * "key": and the caller the value, or jo_str() and jo_int() both. */
struct jobj {
    struct buf *out;
    bool first;
};

static struct jobj jo_open(struct buf *out)
{
    buf_putc(out, '{');
    return (struct jobj){out, true};
}

static void jo_close(struct jobj *o)
{
    buf_putc(o->out, '}');
}

static void jo_key(struct jobj *o, const char *key)
{
    buf_printf(o->out, "%s\"%s\":", o->first ? "" : ",", key);
    o->first = false;
}

static void jo_str(struct jobj *o, const char *key, const char *s)
{
    jo_key(o, key);
    jstr(o->out, s);
}

static void jo_int(struct jobj *o, const char *key, int64_t v)
{
    jo_key(o, key);
    buf_put_int(o->out, v);
}

/* ---- a table of distinct strings ---- */

/* The entries of table 'd' as a JSON array: value(ctx, i) is value i
 * again, asked for the first occurrences only, in order (NULL: null). */
static void table_json(struct buf *out, struct distinct *d, size_t n,
                       const char *(*value)(void *ctx, size_t i, size_t *len), void *ctx)
{
    buf_putc(out, '[');
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!distinct_first(d, i))
            continue;
        drain(out);
        if (k++)
            buf_putc(out, ',');
        size_t len = 0;
        const char *v = value(ctx, i, &len);
        if (v)
            html_json_str(out, v, len);
        else
            buf_puts(out, "null");
    }
    buf_putc(out, ']');
}

/* ---- the images with findings ---- */

static const char *cell_str(const struct report_image *im, enum field_id f)
{
    const struct rcell *c = &im->c[f];
    return c->state == CELL_OK && field_defs[f].type == FT_STR ? c->v.s : NULL;
}

/* The images with findings, in input order: 'with' holds them, 'n' of
 * them. */
struct imgs {
    const struct report *rep;
    const struct bitrank *with;
    size_t n;
    size_t at, k;               /* an image_at() cursor */
    enum field_id f;
};

/* The k-th image with findings; k must not go down between calls
 * except back to 0 (each column is a pass over them, in order). */
static const struct report_image *image_at(struct imgs *g, size_t k)
{
    if (k < g->k || g->k == 0) {
        g->at = 0;
        g->k = 0;
        while (!bitrank_has(g->with, g->at))
            g->at++;
    }
    while (g->k < k) {
        g->at++;
        while (!bitrank_has(g->with, g->at))
            g->at++;
        g->k++;
    }
    return report_image_at(g->rep, g->at);
}

static const char *column_value(void *ctx, size_t k, size_t *len)
{
    struct imgs *g = ctx;
    const char *s = cell_str(image_at(g, k), g->f);
    *len = s ? strlen(s) : 0;
    return s;
}

/* One image column: text as a string table with indexes ("t", "x")
 * when that is smaller (at most half the values distinct), else the
 * values ("v"); numbers and booleans as values ("v"); times as
 * milliseconds before the report's now ("d"). Missing values are null.
 * The table is numbered by render/distinct.h: its memory does not grow
 * with the images (a column of ids or digests, all different, is
 * never a table). */
static void image_column(struct buf *out, struct imgs *g, enum field_id f)
{
    const struct report *rep = g->rep;
    size_t n = g->n;
    enum ftype type = field_defs[f].type;
    g->f = f;
    if (type == FT_STR) {
        struct distinct *d = distinct_new(n);
        for (size_t i = 0; i < n; i++) {
            size_t len;
            const char *s = column_value(g, i, &len);
            distinct_add(d, s, len);
        }
        if (distinct_finish(d) < 0) {
            fail(out);
        } else if (distinct_count(d) * 2 <= n) {
            buf_puts(out, "{\"t\":");
            table_json(out, d, n, column_value, g);
            buf_puts(out, ",\"x\":[");
            bool want = distinct_wants_value(d);
            for (size_t i = 0; i < n; i++) {
                drain(out);
                if (i)
                    buf_putc(out, ',');
                size_t len = 0;
                const char *s = want ? column_value(g, i, &len) : NULL;
                size_t x = distinct_next(d, s, len);
                if (x == SIZE_MAX) {
                    fail(out);
                    break;
                }
                buf_put_int(out, (int64_t)x);
            }
            buf_puts(out, "]}");
            distinct_free(d);
            return;
        }
        distinct_free(d);
        buf_puts(out, "{\"v\":[");
        for (size_t i = 0; i < n; i++) {
            drain(out);
            if (i)
                buf_putc(out, ',');
            size_t len;
            const char *s = column_value(g, i, &len);
            if (s)
                html_json_str(out, s, len);
            else
                buf_puts(out, "null");
        }
        buf_puts(out, "]}");
        return;
    }
    buf_puts(out, type == FT_TIME ? "{\"d\":[" : "{\"v\":[");
    for (size_t i = 0; i < n; i++) {
        drain(out);
        const struct rcell *c = &image_at(g, i)->c[f];
        if (i)
            buf_putc(out, ',');
        if (c->state != CELL_OK)
            buf_puts(out, "null");
        else if (type == FT_BOOL)
            buf_puts(out, c->v.b ? "true" : "false");
        else if (type == FT_TIME)
            buf_put_int(out, rep->meta.now_ms - c->v.i);
        else
            buf_put_int(out, c->v.i);
    }
    buf_puts(out, "]}");
}

/* ---- the findings ---- */

/* The image's "namespace/name:version", as messages usually start. */
static void image_ref(struct buf *ref, const struct report_image *im)
{
    const char *ns = cell_str(im, F_NAMESPACE), *name = cell_str(im, F_IMAGE_NAME),
               *ver = cell_str(im, F_IMAGE_VERSION);
    buf_clear(ref);
    buf_printf(ref, "%s/%s:%s", ns ? ns : "", name ? name : "", ver ? ver : "");
}

/* The message table entry of finding 'fi': its message with the first
 * occurrence of the image's reference replaced by a NUL, built in 'keys'
 * (valid until the next call; the table copies what it keeps). Returns
 * its length; NULL message (the rule's title): -1. */
static long message_key(struct buf *keys, const struct report *rep,
                        const struct report_finding *fi, struct buf *ref, const char **key)
{
    if (!fi->message)
        return -1;
    const char *m = fi->message, *at = NULL;
    image_ref(ref, report_image_at(rep, fi->image));
    at = strstr(m, buf_cstr(ref));
    if (!at) {
        *key = m;
        return (long)strlen(m);
    }
    size_t before = (size_t)(at - m), after = strlen(at + ref->len);
    buf_clear(keys);
    buf_append(keys, m, before);
    buf_putc(keys, '\0');
    buf_append(keys, at + ref->len, after);
    *key = keys->data;
    return (long)(before + 1 + after);
}

/* The findings with a message, one after the other: the values of the
 * message table (render/distinct.h), as message_key() gives them. */
struct msgs {
    const struct report *rep;
    size_t i, k;                /* finding i is message value k */
    struct buf keys, ref;
};

static const char *msg_value(void *ctx, size_t k, size_t *len)
{
    struct msgs *m = ctx;
    if (k < m->k || m->k == 0)
        m->i = m->k = 0;
    const char *key = NULL;
    for (;; m->i++) {
        const struct report_finding *fi = report_finding_at(m->rep, m->i);
        if (!fi->message)
            continue;
        if (m->k++ < k)
            continue;
        *len = (size_t)message_key(&m->keys, m->rep, fi, &m->ref, &key);
        m->i++;
        return key;
    }
}

/* The finding columns into 'fc', the message table into 'top'. */
static void findings_json(struct jobj *fc, struct jobj *top, const struct report *rep,
                          const struct bitrank *with)
{
    /* Finding i by value: a merged report pages them in (report.h). */
#define F(i) (*report_finding_at(rep, (i)))
    size_t n = rep->n_findings;
    struct buf *out = fc->out;

    jo_key(fc, "rule");         /* run lengths: rule, count, rule, count... */
    buf_putc(out, '[');
    for (size_t i = 0; i < n;) {
        drain(out);
        size_t j = i;
        while (j < n && F(j).rule == F(i).rule)
            j++;
        if (i)
            buf_putc(out, ',');
        buf_put_int(out, F(i).rule);
        buf_putc(out, ',');
        buf_put_int(out, (int64_t)(j - i));
        i = j;
    }
    buf_putc(out, ']');

    jo_key(fc, "image");        /* compact image index minus the previous one */
    buf_putc(out, '[');
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        drain(out);
        int64_t cur = (int64_t)bitrank_rank(with, F(i).image);
        if (i)
            buf_putc(out, ',');
        buf_put_int(out, cur - prev);
        prev = cur;
    }
    buf_putc(out, ']');

    jo_key(fc, "state");        /* status * 3 + change */
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        drain(out);
        if (i)
            buf_putc(out, ',');
        struct report_finding fi = F(i);
        buf_put_int(out, fi.status * 3 + fi.change);
    }
    buf_putc(out, ']');

    bool dated = false;         /* first seen before now (a baseline) */
    for (size_t i = 0; i < n && !dated; i++)
        dated = F(i).first_seen_ms != rep->meta.now_ms;
    if (dated) {
        jo_key(fc, "first_seen");
        buf_putc(out, '[');
        for (size_t i = 0; i < n; i++) {
            drain(out);
            if (i)
                buf_putc(out, ',');
            buf_put_int(out, rep->meta.now_ms - F(i).first_seen_ms);
        }
        buf_putc(out, ']');
    }

    jo_key(fc, "waiver");       /* sparse: finding index difference, waiver */
    buf_putc(out, '[');
    size_t last = 0;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        drain(out);
        int32_t w = F(i).waiver;
        if (w < 0)
            continue;
        if (!first)
            buf_putc(out, ',');
        first = false;
        buf_put_int(out, (int64_t)(i - last));
        buf_putc(out, ',');
        buf_put_int(out, w);
        last = i;
    }
    buf_putc(out, ']');

    /* The messages are numbered before the column is written (the
     * table comes after it, in the order of first use). */
    struct msgs m = {rep, 0, 0, BUF_INIT, BUF_INIT};
    struct distinct *d = distinct_new(n);
    size_t n_msgs = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = NULL;
        long len = message_key(&m.keys, rep, report_finding_at(rep, i), &m.ref, &key);
        if (len >= 0) {
            distinct_add(d, key, (size_t)len);
            n_msgs++;
        }
    }
    if (distinct_finish(d) < 0)
        fail(out);
    bool want = distinct_wants_value(d);
    jo_key(fc, "message");      /* 0: the rule's title; k: messages[k - 1] */
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        drain(out);
        const struct report_finding *fi = report_finding_at(rep, i);
        size_t x = 0;
        if (fi->message) {
            const char *key = NULL;
            long len = want ? message_key(&m.keys, rep, fi, &m.ref, &key) : 0;
            x = distinct_next(d, key, (size_t)len);
            if (x == SIZE_MAX) {
                fail(out);
                break;
            }
            x++;
        }
        if (i)
            buf_putc(out, ',');
        buf_put_int(out, (int64_t)x);
    }
    buf_putc(out, ']');
    jo_close(fc);
    jo_key(top, "messages");
    table_json(out, d, n_msgs, msg_value, &m);
    distinct_free(d);
    buf_dispose(&m.keys);
    buf_dispose(&m.ref);
#undef F
}

/* ---- the block ---- */

static void rules_json(struct jobj *top, const struct report *rep)
{
    jo_key(top, "rules");
    buf_putc(top->out, '[');
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct report_rule *r = &rep->rules[i];
        if (i)
            buf_putc(top->out, ',');
        struct jobj o = jo_open(top->out);
        jo_str(&o, "id", r->id);
        jo_str(&o, "title", r->title);
        jo_str(&o, "severity", severity_name(r->severity));
        jo_int(&o, "findings", (int64_t)r->findings);
        jo_str(&o, "description", r->description);
        jo_str(&o, "remediation", r->remediation);
        jo_close(&o);
    }
    buf_putc(top->out, ']');
}

static void waivers_json(struct jobj *top, const struct report *rep)
{
    jo_key(top, "waivers");
    buf_putc(top->out, '[');
    for (size_t i = 0; i < rep->n_waivers; i++) {
        const struct report_waiver *w = &rep->waivers[i];
        if (i)
            buf_putc(top->out, ',');
        struct jobj o = jo_open(top->out);
        jo_str(&o, "id", w->id);
        jo_str(&o, "reason", w->reason);
        jo_str(&o, "owner", w->owner);
        jo_str(&o, "ticket", w->ticket);
        jo_str(&o, "expires", w->expires);
        jo_str(&o, "state", waiver_state_name(w->state));
        jo_close(&o);
    }
    buf_putc(top->out, ']');
}

static void data_json(struct buf *out, const struct report *rep, const struct html_data_opts *o)
{
    char t[TIME_ISO_MAX];
    struct jobj top = jo_open(out);
    jo_int(&top, "schema_version", REPORT_SCHEMA_VERSION);
    time_format_iso(rep->meta.generated_at_ms, t);
    jo_str(&top, "generated_at", t);
    time_format_iso(rep->meta.now_ms, t);
    jo_str(&top, "now", t);
    jo_int(&top, "now_ms", rep->meta.now_ms);
    jo_str(&top, "gate", report_gate_name(rep->meta.gate));
    jo_int(&top, "images", (int64_t)rep->summary.images);
    jo_int(&top, "findings", (int64_t)rep->n_findings);
    jo_int(&top, "findings_shown", (int64_t)o->listed);
    jo_key(&top, "by_severity");
    struct jobj sev = jo_open(out);
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        jo_int(&sev, severity_name((enum severity)s), (int64_t)rep->summary.by_severity[s]);
    jo_close(&sev);
    rules_json(&top, rep);
    waivers_json(&top, rep);

    /* The images with findings, in input order: a bit each. */
    struct bitrank with;
    bitrank_init(&with, rep->n_images);
    for (size_t i = 0; i < rep->n_findings; i++)
        bitrank_set(&with, report_finding_at(rep, i)->image);
    bitrank_seal(&with);
    size_t n = bitrank_rank(&with, rep->n_images);
    struct imgs g = {rep, &with, n, 0, 0, 0};
    jo_int(&top, "image_count", (int64_t)n);
    jo_key(&top, "image_columns");
    struct jobj ic = jo_open(out);
    for (int c = 0; c < FC_COUNT; c++) {
        if (fcol_defs[c].field < 0)
            continue;
        jo_key(&ic, fcol_defs[c].name);
        image_column(out, &g, (enum field_id)fcol_defs[c].field);
    }
    jo_close(&ic);
    jo_key(&top, "finding_columns");
    struct jobj fc = jo_open(out);
    findings_json(&fc, &top, rep, &with);
    bitrank_dispose(&with);
    jo_close(&top);
}

int html_data_write(FILE *f, const struct report *rep, const struct html_data_opts *o)
{
    struct sink s = {BUF_INIT, f, 0};
    data_json(&s.b, rep, o);
    write_pieces(s.b.data, s.b.len, f);
    buf_dispose(&s.b);
    if (s.err) {
        errno = s.err;
        return -1;
    }
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
