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

#include "report/columns.h"
#include "util/arena.h"
#include "util/strtab.h"
#include "util/timefmt.h"
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

static void jint(struct buf *out, int64_t v)
{
    char t[24], *p = t + sizeof t;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    buf_append(out, p, (size_t)(t + sizeof t - p));
}

/* ---- the block goes to a file as it is made ---- */

/* The block's buffer and the file it is drained into: every 'struct
 * buf *out' below is the 'b' of a sink. */
struct sink {
    struct buf b;
    FILE *f;
};

#define DRAIN_BYTES ((size_t)1 << 20)

/* Write what the buffer holds to the file once it is large: the block
 * is never in memory whole (it grows with the findings). */
static void drain(struct buf *out)
{
    struct sink *s = (struct sink *)(void *)out;
    if (out->len < DRAIN_BYTES)
        return;
    fwrite(out->data, 1, out->len, s->f);
    buf_clear(out);
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
    jint(o->out, v);
}

/* ---- a table of distinct strings ---- */

struct strings {
    struct strtab tab;
    const char **v;             /* entries; NULL is the missing value */
    size_t *len;
    size_t n, cap;
    long missing;               /* index of the NULL entry, or -1 */
    struct arena text;          /* the entries' bytes */
};

static void strings_init(struct strings *t)
{
    memset(t, 0, sizeof *t);
    t->missing = -1;
}

/* The index of 's' ('n' bytes, NUL bytes allowed; NULL: missing),
 * added (copied) when new: a spilled report's image strings stay put
 * only for a few reads (report.h). */
static size_t strings_add(struct strings *t, const char *s, size_t n)
{
    if (!s) {
        if (t->missing < 0) {
            XGROW(t->v, t->cap, t->n + 1);
            t->len = xrealloc(t->len, t->cap * sizeof *t->len);
            t->v[t->n] = NULL;
            t->len[t->n] = 0;
            t->missing = (long)t->n++;
        }
        return (size_t)t->missing;
    }
    void *had = strtab_get(&t->tab, s, n);
    if (had)
        return (size_t)((uintptr_t)had - 1);
    XGROW(t->v, t->cap, t->n + 1);
    t->len = xrealloc(t->len, t->cap * sizeof *t->len);
    s = arena_strndup(&t->text, s, n);
    t->v[t->n] = s;
    t->len[t->n] = n;
    strtab_put(&t->tab, s, n, (void *)(uintptr_t)(t->n + 1));
    return t->n++;
}

static void strings_json(struct buf *out, const struct strings *t)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < t->n; i++) {
        drain(out);
        if (i)
            buf_putc(out, ',');
        if (t->v[i])
            html_json_str(out, t->v[i], t->len[i]);
        else
            buf_puts(out, "null");
    }
    buf_putc(out, ']');
}

static void strings_dispose(struct strings *t)
{
    strtab_dispose(&t->tab);
    free(t->v);
    free(t->len);
    arena_dispose(&t->text);
}

/* ---- the images with findings ---- */

static const char *cell_str(const struct report_image *im, enum field_id f)
{
    const struct rcell *c = &im->c[f];
    return c->state == CELL_OK && field_defs[f].type == FT_STR ? c->v.s : NULL;
}

/* Might column 'f' of the n images have at most n / 2 distinct values
 * (the string table pays)? Told by 64-bit hashes, in a set that stops
 * growing past n / 2 + 1 of them: false is certain (hashes that differ
 * are values that differ); true is checked exactly by the table itself.
 * So a column of ids or digests, all different, never holds a copy of
 * every value (a spilled report's strings must be copied to be kept). */
static bool few_distinct(const struct report *rep, const uint32_t *imgs, size_t n,
                         enum field_id f)
{
    size_t cap = 16;
    while (cap < n + 4)         /* n / 2 + 2 entries at most: under half full */
        cap *= 2;
    uint64_t *set = xcalloc(cap, sizeof *set);
    size_t distinct = 0;
    bool few = true;
    for (size_t i = 0; i < n && few; i++) {
        const char *s = cell_str(report_image_at(rep, imgs[i]), f);
        uint64_t h = 1469598103934665603u;      /* FNV-1a; missing: its own value */
        if (s)
            for (const char *p = s; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211u;
        else
            h = 2;
        h = h ? h : 1;                          /* 0 marks an empty slot */
        size_t k = (size_t)h & (cap - 1);
        while (set[k] && set[k] != h)
            k = (k + 1) & (cap - 1);
        if (!set[k]) {
            set[k] = h;
            few = ++distinct * 2 <= n;
        }
    }
    free(set);
    return few;
}

/* One image column: text as a string table with indexes ("t", "x")
 * when that is smaller (at most half the values distinct), else the
 * values ("v"); numbers and booleans as values ("v"); times as
 * milliseconds before the report's now ("d"). Missing values are null. */
static void image_column(struct buf *out, const struct report *rep, const uint32_t *imgs,
                         size_t n, enum field_id f)
{
    enum ftype type = field_defs[f].type;
    if (type == FT_STR && !few_distinct(rep, imgs, n, f)) {
        buf_puts(out, "{\"v\":[");      /* as below, without a table of every value */
        for (size_t i = 0; i < n; i++) {
            drain(out);
            if (i)
                buf_putc(out, ',');
            const char *s = cell_str(report_image_at(rep, imgs[i]), f);
            if (s)
                html_json_str(out, s, strlen(s));
            else
                buf_puts(out, "null");
        }
        buf_puts(out, "]}");
        return;
    }
    if (type == FT_STR) {
        struct strings t;
        strings_init(&t);
        size_t *x = xcalloc(n ? n : 1, sizeof *x);
        for (size_t i = 0; i < n; i++) {
            drain(out);
            const char *s = cell_str(report_image_at(rep, imgs[i]), f);
            x[i] = strings_add(&t, s, s ? strlen(s) : 0);
        }
        if (t.n * 2 <= n) {
            buf_puts(out, "{\"t\":");
            strings_json(out, &t);
            buf_puts(out, ",\"x\":[");
            for (size_t i = 0; i < n; i++) {
                drain(out);
                if (i)
                    buf_putc(out, ',');
                jint(out, (int64_t)x[i]);
            }
        } else {
            buf_puts(out, "{\"v\":[");
            for (size_t i = 0; i < n; i++) {
                drain(out);
                if (i)
                    buf_putc(out, ',');
                if (t.v[x[i]])
                    html_json_str(out, t.v[x[i]], t.len[x[i]]);
                else
                    buf_puts(out, "null");
            }
        }
        buf_puts(out, "]}");
        free(x);
        strings_dispose(&t);
        return;
    }
    buf_puts(out, type == FT_TIME ? "{\"d\":[" : "{\"v\":[");
    for (size_t i = 0; i < n; i++) {
        drain(out);
        const struct rcell *c = &report_image_at(rep, imgs[i])->c[f];
        if (i)
            buf_putc(out, ',');
        if (c->state != CELL_OK)
            buf_puts(out, "null");
        else if (type == FT_BOOL)
            buf_puts(out, c->v.b ? "true" : "false");
        else if (type == FT_TIME)
            jint(out, rep->meta.now_ms - c->v.i);
        else
            jint(out, c->v.i);
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

/* The finding columns into 'fc', the message table into 'top'. */
static void findings_json(struct jobj *fc, struct jobj *top, const struct report *rep,
                          const uint32_t *compact)
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
        jint(out, F(i).rule);
        buf_putc(out, ',');
        jint(out, (int64_t)(j - i));
        i = j;
    }
    buf_putc(out, ']');

    jo_key(fc, "image");        /* compact image index minus the previous one */
    buf_putc(out, '[');
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        drain(out);
        int64_t cur = compact[F(i).image];
        if (i)
            buf_putc(out, ',');
        jint(out, cur - prev);
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
        jint(out, fi.status * 3 + fi.change);
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
            jint(out, rep->meta.now_ms - F(i).first_seen_ms);
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
        jint(out, (int64_t)(i - last));
        buf_putc(out, ',');
        jint(out, w);
        last = i;
    }
    buf_putc(out, ']');

    struct strings msgs;
    strings_init(&msgs);
    struct buf keys = BUF_INIT;
    struct buf ref = BUF_INIT;
    jo_key(fc, "message");      /* 0: the rule's title; k: messages[k - 1] */
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        drain(out);
        const char *key = NULL;
        long len = message_key(&keys, rep, report_finding_at(rep, i), &ref, &key);
        if (i)
            buf_putc(out, ',');
        jint(out, len < 0 ? 0 : (int64_t)strings_add(&msgs, key, (size_t)len) + 1);
    }
    buf_putc(out, ']');
    jo_close(fc);
    jo_key(top, "messages");
    strings_json(out, &msgs);
    strings_dispose(&msgs);
    buf_dispose(&keys);
    buf_dispose(&ref);
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

    /* The images with findings, in input order. */
    uint32_t *compact = xcalloc(rep->n_images ? rep->n_images : 1, sizeof *compact);
    for (size_t i = 0; i < rep->n_findings; i++)
        compact[report_finding_at(rep, i)->image] = 1;
    uint32_t *imgs = xcalloc(rep->n_images ? rep->n_images : 1, sizeof *imgs);
    size_t n = 0;
    for (size_t i = 0; i < rep->n_images; i++)
        if (compact[i]) {
            compact[i] = (uint32_t)n;
            imgs[n++] = (uint32_t)i;
        }
    jo_int(&top, "image_count", (int64_t)n);
    jo_key(&top, "image_columns");
    struct jobj ic = jo_open(out);
    for (int c = 0; c < FC_COUNT; c++) {
        if (fcol_defs[c].field < 0)
            continue;
        jo_key(&ic, fcol_defs[c].name);
        image_column(out, rep, imgs, n, (enum field_id)fcol_defs[c].field);
    }
    jo_close(&ic);
    jo_key(&top, "finding_columns");
    struct jobj fc = jo_open(out);
    findings_json(&fc, &top, rep, compact);
    free(imgs);
    free(compact);
    jo_close(&top);
}

int html_data_write(FILE *f, const struct report *rep, const struct html_data_opts *o)
{
    struct sink s = {BUF_INIT, f};
    data_json(&s.b, rep, o);
    fwrite(s.b.data, 1, s.b.len, f);
    buf_dispose(&s.b);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
