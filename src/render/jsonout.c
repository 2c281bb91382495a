/* SPDX-License-Identifier: MIT
 * Streaming JSON output; see jsonout.h. */
#include "render/jsonout.h"

#include <stdlib.h>

/* jansson's writer callback: straight into the FILE. */
static int put_chunk(const char *buf, size_t size, void *payload)
{
    return fwrite(buf, 1, size, payload) == size ? 0 : -1;
}

/* JSON text has no raw newlines inside strings, so indenting after each
 * newline is safe. */
int jsonout_indented(FILE *out, json_t *j, int indent)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        return -1;
    for (const char *p = s; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", indent, "");
    }
    free(s);
    return ferror(out) ? -1 : 0;
}

int jsonout_line(FILE *out, json_t *j, bool first, int indent)
{
    fprintf(out, "%s\n%*s", first ? "" : ",", indent, "");
    int rc = json_dump_callback(j, put_chunk, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return rc;
}
