/* SPDX-License-Identifier: MIT
 * Well-formedness checks for the writers' fuzz target (fuzz_writers.c),
 * test code only: it links expat, which the tool itself does not need.
 *
 * xmlcheck_doc parses one XML document with expat. xmlcheck_xlsx opens
 * a workbook (util/zipread.h) and parses every .xml and .rels member.
 * Both return 0, or -1 with the reason in 'err'. */
#ifndef IMGAUDIT_FUZZ_XMLCHECK_H
#define IMGAUDIT_FUZZ_XMLCHECK_H
#include <stddef.h>

#define XMLCHECK_ERR_MAX 256

int xmlcheck_doc(const char *data, size_t len, char err[XMLCHECK_ERR_MAX]);
/* The workbook at 'path'; sets '*parts' to the number of XML parts parsed. */
int xmlcheck_xlsx(const char *path, size_t *parts, char err[XMLCHECK_ERR_MAX]);

#endif
