/* SPDX-License-Identifier: MIT
 * An image as one reference, for the CI formats: the JUnit failure text
 * lists images this way and the SARIF log uses the URI form as each
 * result's artifact location (docs/reports.md).
 *
 *   <registry_name>/<namespace>/<image_name>:<image_version>
 *   <registry_name>/<namespace>/<image_name>@<image_digest>   (no version)
 *   <registry_name>/<namespace>/<image_name>                  (neither)
 *
 * A missing or empty part is "-". Text goes through the XML text mapping
 * (render/xmltext.h) like every other value of those formats. */
#ifndef IMGAUDIT_IMAGEREF_H
#define IMGAUDIT_IMAGEREF_H
#include <stdbool.h>

#include "report/report.h"
#include "util/buf.h"

/* Append the reference of 'img' to 'out'. With 'uri', every part is
 * percent-encoded as UTF-8 (RFC 3986: all but the unreserved characters
 * A-Z a-z 0-9 - . _ ~, and a whole part "." or ".."), so the result is a
 * relative URI reference with no scheme, whose '/', ':' and '@' are
 * always the separators above and never a value's own. */
void imageref_append(struct buf *out, const struct report_image *img, bool uri);

#endif
