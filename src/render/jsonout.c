/* SPDX-License-Identifier: MIT
 * Streaming JSON output; see jsonout.h. */
#include "render/jsonout.h"

#include <stdlib.h>

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

/* One fwrite per element, not one per token: jansson's callback writer
 * calls back for every key, value and punctuation mark (about fifty per
 * finding), and each fwrite takes the stream's lock. That was a quarter
 * of the JSON and SARIF writers' time (issue 10, target 4). An element
 * that does not fit the stack buffer (a long evidence list) is dumped
 * again into memory of its size. */
int jsonout_line(FILE *out, json_t *j, bool first, int indent)
{
    const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    char stack[16384];
    fprintf(out, "%s\n%*s", first ? "" : ",", indent, "");
    size_t n = json_dumpb(j, stack, sizeof stack, flags);
    int rc = n > 0 ? 0 : -1;
    if (n > sizeof stack) {
        char *s = json_dumps(j, flags);
        if (s)
            fputs(s, out);
        else
            rc = -1;
        free(s);
    } else if (n > 0) {
        fwrite(stack, 1, n, out);
    }
    json_decref(j);
    return rc == 0 && !ferror(out) ? 0 : -1;
}
