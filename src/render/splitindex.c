/* SPDX-License-Identifier: MIT
 * The index of a split run; see splitindex.h. The page goes through the
 * template engine, so every key, however hostile, is escaped; links are
 * percent-encoded first. */
#include "render/splitindex.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "render/template.h"
#include "util/buf.h"
#include "util/timefmt.h"

static const char *const gate_bits[] = {"fail_on", "fail_on_new", "expired_waivers"};

void split_index_counts(struct split_index_row *row, const struct report *rep)
{
    const struct report_summary *s = &rep->summary;
    row->images = s->images;
    row->images_with_findings = s->images_with_findings;
    row->findings = s->findings;
    row->waived = s->tally_total[T_WAIVED];
    for (int sev = 0; sev < SEV_COUNT; sev++)
        row->open[sev] = s->tally[T_OPEN][sev];
    row->open_total = s->tally_total[T_OPEN];
    row->gate = rep->meta.gate;
    row->gate_failed = rep->meta.gate_failed;
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *row_json(const struct split_index_row *r)
{
    json_t *o = json_object();
    if (r->name) {
        json_object_set_new(o, "name", jstr(r->name));
        json_object_set_new(o, "key", jstr(r->key));
    }
    json_t *files = json_array();
    for (size_t i = 0; i < r->n_files; i++)
        json_array_append_new(files, jstr(r->files[i]));
    json_object_set_new(o, "files", files);
    json_object_set_new(o, "images", json_integer((json_int_t)r->images));
    json_object_set_new(o, "images_with_findings",
                        json_integer((json_int_t)r->images_with_findings));
    json_object_set_new(o, "findings", json_integer((json_int_t)r->findings));
    json_t *open = json_object();
    json_object_set_new(open, "total", json_integer((json_int_t)r->open_total));
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        json_object_set_new(open, severity_name((enum severity)sev),
                            json_integer((json_int_t)r->open[sev]));
    json_object_set_new(o, "open", open);
    json_object_set_new(o, "waived", json_integer((json_int_t)r->waived));
    json_t *gate = json_object();
    json_object_set_new(gate, "verdict", json_string(report_gate_name(r->gate)));
    json_t *failed = json_array();
    for (unsigned b = 0; b < 3; b++)
        if (r->gate_failed & (1u << b))
            json_array_append_new(failed, json_string(gate_bits[b]));
    json_object_set_new(gate, "failed", failed);
    json_object_set_new(o, "gate", gate);
    return o;
}

int render_split_index_json(const struct split_index *x, FILE *out, struct diags *d)
{
    char now[TIME_ISO_MAX], gen[TIME_ISO_MAX];
    time_format_iso(x->now_ms, now);
    time_format_iso(x->generated_at_ms, gen);
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string("imgaudit-split-index"));
    json_object_set_new(o, "schema_version", json_integer(1));
    json_object_set_new(o, "by", jstr(x->by));
    json_object_set_new(o, "where", jstr(x->where));
    json_object_set_new(o, "now", json_string(now));
    json_object_set_new(o, "generated_at", json_string(gen));
    json_object_set_new(o, "combined", row_json(&x->combined));
    json_t *parts = json_array();
    for (size_t i = 0; i < x->n_parts; i++)
        json_array_append_new(parts, row_json(&x->parts[i]));
    json_object_set_new(o, "parts", parts);
    int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    fputc('\n', out);
    if (rc < 0 || ferror(out)) {
        diags_error(d, "cannot write the index: %s", ferror(out) ? strerror(errno)
                                                                 : "out of memory");
        return -1;
    }
    return 0;
}

/* ---- HTML ---- */

static const char index_template[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>imgaudit reports by {{by}}</title>\n"
    "<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1f2328}\n"
    "table{border-collapse:collapse}th,td{padding:.3em .7em;border-bottom:1px solid #d0d7de;"
    "text-align:right}\n"
    "th:first-child,td:first-child,td.files{text-align:left}\n"
    "tr.combined td{font-weight:600}td.fail{color:#b42318;font-weight:600}\n"
    "code{background:#f6f8fa;padding:0 .2em}small{color:#656d76}\n"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<h1>imgaudit reports by {{by}}</h1>\n"
    "<p>As of {{now}}, {{n_parts}} parts.{{#where}} Only images where <code>{{where}}</code>."
    "{{/where}}</p>\n"
    "<table id=\"parts\">\n"
    "<thead><tr><th>{{by}}</th><th>images</th><th>with findings</th><th>findings</th>"
    "<th>open</th><th>critical</th><th>high</th><th>medium</th><th>low</th><th>info</th>"
    "<th>waived</th><th>gate</th><th>reports</th></tr></thead>\n"
    "<tbody>\n"
    "{{#rows}}\n"
    "<tr class=\"{{class}}\" data-gate=\"{{gate}}\"><td>{{label}}{{#note}} <small>{{note}}"
    "</small>{{/note}}</td><td>{{images}}</td><td>{{images_with_findings}}</td>"
    "<td>{{findings}}</td><td>{{open}}</td><td>{{critical}}</td><td>{{high}}</td>"
    "<td>{{medium}}</td><td>{{low}}</td><td>{{info}}</td><td>{{waived}}</td>"
    "<td class=\"{{gate}}\">{{gate}}</td><td class=\"files\">{{#files}}<a href=\"{{href}}\">"
    "{{name}}</a> {{/files}}</td></tr>\n"
    "{{/rows}}\n"
    "</tbody>\n"
    "</table>\n"
    "</body>\n"
    "</html>\n";

static const struct tpl_schema file_schema[] = {
    {"href", TPL_TEXT, NULL},
    {"name", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema row_schema[] = {
    {"class", TPL_TEXT, NULL},
    {"label", TPL_TEXT, NULL},
    {"note", TPL_TEXT, NULL},
    {"images", TPL_TEXT, NULL},
    {"images_with_findings", TPL_TEXT, NULL},
    {"findings", TPL_TEXT, NULL},
    {"open", TPL_TEXT, NULL},
    {"critical", TPL_TEXT, NULL},
    {"high", TPL_TEXT, NULL},
    {"medium", TPL_TEXT, NULL},
    {"low", TPL_TEXT, NULL},
    {"info", TPL_TEXT, NULL},
    {"waived", TPL_TEXT, NULL},
    {"gate", TPL_TEXT, NULL},
    {"files", TPL_SECTION, file_schema},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema index_schema[] = {
    {"by", TPL_TEXT, NULL},
    {"now", TPL_TEXT, NULL},
    {"n_parts", TPL_TEXT, NULL},
    {"where", TPL_TEXT, NULL},
    {"rows", TPL_SECTION, row_schema},
    {NULL, TPL_TEXT, NULL},
};

/* A file name as a relative URL: every byte but [A-Za-z0-9._~()/-] as
 * %XX, so that '#', '%' or a space in a key cannot break the link. */
static void url_encode(struct buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("._~()/-", *p))
            buf_append(out, p, 1);
        else
            buf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

static void row_data(struct tpl_data *root, const struct split_index_row *r)
{
    struct tpl_data *o = tpl_add_item(root, "rows");
    tpl_set_str(o, "class", r->name ? "part" : "combined");
    tpl_set_str(o, "label", !r->name ? "all" : !r->key ? "(none)" : !*r->key ? "(empty)"
                                                                           : r->key);
    /* Say what a label alone would hide: what "(none)" and "(empty)"
     * mean, and the file name when it differs from the key. */
    if (r->name && !r->key)
        tpl_set_str(o, "note", "no value");
    else if (r->name && !*r->key)
        tpl_set_str(o, "note", "an empty value");
    else if (r->name && strcmp(r->name, r->key) != 0)
        tpl_set_fmt(o, "note", "files: %s", r->name);
    tpl_set_fmt(o, "images", "%zu", r->images);
    tpl_set_fmt(o, "images_with_findings", "%zu", r->images_with_findings);
    tpl_set_fmt(o, "findings", "%zu", r->findings);
    tpl_set_fmt(o, "open", "%zu", r->open_total);
    for (int sev = 0; sev < SEV_COUNT; sev++)
        tpl_set_fmt(o, severity_name((enum severity)sev), "%zu", r->open[sev]);
    tpl_set_fmt(o, "waived", "%zu", r->waived);
    tpl_set_str(o, "gate", report_gate_name(r->gate));
    tpl_set_list(o, "files");
    struct buf href = BUF_INIT;
    for (size_t i = 0; i < r->n_files; i++) {
        struct tpl_data *f = tpl_add_item(o, "files");
        buf_clear(&href);
        url_encode(&href, r->files[i]);
        tpl_set_str(f, "href", buf_cstr(&href));
        tpl_set_str(f, "name", r->files[i]);
    }
    buf_dispose(&href);
}

int render_split_index_html(const struct split_index *x, FILE *out, struct diags *d)
{
    struct tpl *t;
    if (tpl_compile(&t, "split index (built in)", index_template, sizeof index_template - 1,
                    index_schema, d) < 0)
        return -1;
    char now[TIME_ISO_MAX];
    time_format_iso(x->now_ms, now);
    struct tpl_data *root = tpl_data_new();
    tpl_set_str(root, "by", x->by);
    tpl_set_str(root, "now", now);
    tpl_set_fmt(root, "n_parts", "%zu", x->n_parts);
    if (x->where)
        tpl_set_str(root, "where", x->where);
    row_data(root, &x->combined);
    for (size_t i = 0; i < x->n_parts; i++)
        row_data(root, &x->parts[i]);
    int rc = tpl_render(t, root, out, d);
    tpl_data_free(root);
    tpl_free(t);
    if (rc == 0 && ferror(out)) {
        diags_error(d, "cannot write the index: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
