/* SPDX-License-Identifier: MIT
 * The versions of imgaudit and of the libraries it runs with, as the
 * libraries report them at run time (not the headers it was built
 * against): what an evidence bundle's run.json records, so an auditor
 * can tell which code produced a report. */
#ifndef IMGAUDIT_VERSIONS_H
#define IMGAUDIT_VERSIONS_H
#include <jansson.h>

/* A new JSON object: {"imgaudit": "0.1.0", "libcurl": "7.88.1", "jansson":
 * ..., "libxlsxwriter", "pcre2", "openssl", "libyaml", "zlib"}. */
json_t *app_versions_json(void);

#endif
