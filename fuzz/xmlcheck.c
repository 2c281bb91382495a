/* SPDX-License-Identifier: MIT
 * XML and XLSX well-formedness for fuzz_writers; see xmlcheck.h. */
#include "xmlcheck.h"

#include <expat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/zipread.h"

int xmlcheck_doc(const char *data, size_t len, char err[XMLCHECK_ERR_MAX])
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        snprintf(err, XMLCHECK_ERR_MAX, "expat: out of memory");
        return -1;
    }
    int rc = 0;
    if (len > INT32_MAX || XML_Parse(p, data, (int)len, XML_TRUE) != XML_STATUS_OK) {
        snprintf(err, XMLCHECK_ERR_MAX, "not well-formed XML: %s at line %lu, column %lu",
                 XML_ErrorString(XML_GetErrorCode(p)),
                 (unsigned long)XML_GetCurrentLineNumber(p),
                 (unsigned long)XML_GetCurrentColumnNumber(p));
        rc = -1;
    }
    XML_ParserFree(p);
    return rc;
}

static bool xml_member(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".xml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".rels") == 0);
}

int xmlcheck_xlsx(const char *path, size_t *parts, char err[XMLCHECK_ERR_MAX])
{
    *parts = 0;
    struct zip_entry *v;
    size_t n;
    char why[XMLCHECK_ERR_MAX];
    if (zip_read_all(path, &v, &n, why, sizeof why) < 0) {
        snprintf(err, XMLCHECK_ERR_MAX, "xlsx: %.200s", why);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!xml_member(v[i].name))
            continue;
        rc = xmlcheck_doc((const char *)v[i].data, v[i].len, why);
        if (rc < 0)
            snprintf(err, XMLCHECK_ERR_MAX, "xlsx part %.60s: %.180s", v[i].name, why);
        else
            (*parts)++;
    }
    zip_entries_free(v, n);
    return rc;
}
