/* SPDX-License-Identifier: MIT
 * What all writers share: choosing the writer for a format, the atomic
 * write around it (cmark's render.c role). Cell values come from the
 * finding column table, src/report/columns.h. */
#include "render/render.h"

#include <string.h>
#include <strings.h>

#include "util/atomicfile.h"

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

int render_report(const struct report *rep, enum format fmt, const struct render_opts *o,
                  const char *path, struct diags *d)
{
    struct atomic_file af;
    if (atomic_open(&af, path, d) < 0)
        return -1;
    int rc;
    switch (fmt) {
    case FMT_CSV: rc = render_csv(rep, o, af.fp, d); break;
    case FMT_HTML: rc = render_html(rep, o, af.fp, d); break;
    case FMT_JSON: rc = render_json(rep, o, af.fp, d); break;
    case FMT_XLSX:
        /* libxlsxwriter opens the file by name itself. */
        atomic_release_stream(&af);
        rc = render_xlsx(rep, o, af.tmp, d);
        break;
    default:
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "unknown report format");
        rc = -1;
    }
    if (rc < 0) {
        atomic_abort(&af);
        return -1;
    }
    return atomic_commit(&af, d);
}
