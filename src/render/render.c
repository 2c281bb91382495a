/* SPDX-License-Identifier: MIT
 * What all writers share: choosing the writer for a format, the
 * all-or-nothing write around a run's reports, and the text of a cell
 * (cmark's render.c role). */
#include "render/render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/atomicfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

static const char *const format_names[FMT_COUNT] = {"csv", "xlsx", "html", "json"};

enum format format_parse(const char *name)
{
    for (int f = 0; f < FMT_COUNT; f++)
        if (strcasecmp(name, format_names[f]) == 0)
            return (enum format)f;
    if (strcasecmp(name, "htm") == 0)
        return FMT_HTML;
    return FMT_NONE;
}

enum format format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? format_parse(dot + 1) : FMT_NONE;
}

const char *format_name(enum format f)
{
    return f >= 0 && f < FMT_COUNT ? format_names[f] : "none";
}

/* Write one report into the open temporary file 'af'. */
static int render_one(const struct report *rep, enum format fmt, const struct render_opts *o,
                      struct atomic_file *af, struct diags *d)
{
    switch (fmt) {
    case FMT_CSV: return render_csv(rep, o, af->fp, d);
    case FMT_HTML: return render_html(rep, o, af->fp, d);
    case FMT_JSON: return render_json(rep, o, af->fp, d);
    case FMT_XLSX:
        /* libxlsxwriter opens the file by name itself. */
        atomic_release_stream(af);
        return render_xlsx(rep, o, af->tmp, d);
    default:
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "unknown report format");
        return -1;
    }
}

/* The report a cut HTML page points to for every finding: the most
 * complete other report of the batch (XLSX, then JSON, then CSV) that is
 * a file, not a stream or a device (docs/reports.md). */
static const char *full_findings_path(const struct render_job *jobs, size_t n)
{
    static const enum format prefer[] = {FMT_XLSX, FMT_JSON, FMT_CSV};
    for (size_t p = 0; p < sizeof prefer / sizeof prefer[0]; p++)
        for (size_t i = 0; i < n; i++)
            if (jobs[i].fmt == prefer[p] && atomic_replaces(jobs[i].path))
                return jobs[i].path;
    return NULL;
}

int render_reports(const struct report *rep, const struct render_job *jobs, size_t n,
                   const struct render_opts *o, struct diags *d)
{
    struct render_opts ro = *o;
    if (!ro.full_findings_path)
        ro.full_findings_path = full_findings_path(jobs, n);
    struct atomic_file *afs = xcalloc(n + 1, sizeof *afs);
    int bad = 0;
    /* Every report into its temporary file first; the targets are
     * touched only once all of them are complete. */
    for (size_t i = 0; i < n && !bad; i++)
        bad = atomic_open(&afs[i], jobs[i].path, d) < 0 ||
              render_one(rep, jobs[i].fmt, &ro, &afs[i], d) < 0;
    if (bad) {
        for (size_t i = 0; i < n; i++)
            atomic_abort(&afs[i]);
    } else {
        bad = atomic_commit_all(afs, n, d) < 0;
    }
    free(afs);
    return bad ? 0 : (int)n;
}

int render_report(const struct report *rep, enum format fmt, const struct render_opts *o,
                  const char *path, struct diags *d)
{
    struct render_job job = {fmt, path};
    return render_reports(rep, &job, 1, o, d) == 1 ? 0 : -1;
}

void render_cell_text(struct buf *out, const struct rcell *c, enum field_id f)
{
    if (c->state != CELL_OK)
        return;
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST: buf_printf(out, "%" PRId64, c->v.i); break;
    case FT_TIME: {
        char t[TIME_ISO_MAX];
        time_format_iso(c->v.i, t);
        buf_puts(out, t);
        break;
    }
    case FT_BOOL: buf_puts(out, c->v.b ? "true" : "false"); break;
    case FT_STR: buf_puts(out, c->v.s); break;
    }
}

/* Finding columns: rule and finding facts first, then image fields. */
enum { COL_RULE_ID, COL_RULE_TITLE, COL_SEVERITY, COL_STATUS, COL_FIRST_FIELD };
static const int column_fields[] = {
    -1, -1, -1, -1,
    F_NAMESPACE, F_IMAGE_NAME, F_IMAGE_VERSION, F_IMAGE_DIGEST, F_IMAGE_ID,
    F_REGISTRY_NAME, F_REGISTRY_TYPE, F_IMAGE_TYPE, F_SEVERITY_LEVEL, F_VUL_NUM,
    F_MALICIOUS_FILE_NUM, F_UNSAFE_SETTING_NUM, F_SCAN_STATUS, F_LATEST_SCAN_TIME,
    -2 /* message */, F_ID,
};
const char *const render_finding_columns[] = {
    "rule_id", "rule_title", "severity", "status", "namespace", "image_name",
    "image_version", "image_digest", "image_id", "registry_name", "registry_type",
    "image_type", "severity_level", "vul_num", "malicious_file_num",
    "unsafe_setting_num", "scan_status", "latest_scan_time", "message", "id", NULL,
};

int render_finding_col_field(size_t col)
{
    return column_fields[col] >= 0 ? column_fields[col] : -1;
}

int render_finding_col_is_number(size_t col)
{
    int f = render_finding_col_field(col);
    return f >= 0 && field_defs[f].type == FT_INT;
}

int render_finding_col_is_time(size_t col)
{
    int f = render_finding_col_field(col);
    return f >= 0 && field_defs[f].type == FT_TIME;
}

const char *finding_status_name(enum finding_status s)
{
    switch (s) {
    case FINDING_OPEN: return "open";
    }
    return "open";
}

void render_finding_cell(struct buf *out, const struct report *rep,
                         const struct report_finding *fi, size_t col)
{
    const struct report_rule *r = &rep->rules[fi->rule];
    switch (col) {
    case COL_RULE_ID: buf_puts(out, r->id); return;
    case COL_RULE_TITLE: buf_puts(out, r->title); return;
    case COL_SEVERITY: buf_puts(out, severity_name(r->severity)); return;
    case COL_STATUS: buf_puts(out, finding_status_name(fi->status)); return;
    default: break;
    }
    if (column_fields[col] == -2) {
        buf_puts(out, fi->message ? fi->message : "");
        return;
    }
    int f = column_fields[col];
    render_cell_text(out, &rep->images[fi->image].c[f], (enum field_id)f);
}
