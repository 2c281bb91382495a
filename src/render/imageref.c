/* SPDX-License-Identifier: MIT
 * Image references; see imageref.h. */
#include "render/imageref.h"

#include <string.h>

#include "render/xmltext.h"

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* One part: 'tmp' is scratch for the mapped text. */
static void part(struct buf *out, struct buf *tmp, const struct rcell *c, bool uri)
{
    if (c->state != CELL_OK || !c->v.s[0]) {
        buf_putc(out, '-');
        return;
    }
    buf_clear(tmp);
    xmltext_clean(tmp, c->v.s);
    const char *s = buf_cstr(tmp);
    if (!uri) {
        buf_puts(out, s);
        return;
    }
    /* "." and ".." would be dot segments, removed when the URI is
     * resolved; encoded they stay names. */
    bool dots = strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (unreserved(*p) && !dots)
            buf_putc(out, (char)*p);
        else
            buf_printf(out, "%%%02X", *p);
    }
}

void imageref_append(struct buf *out, const struct report_image *img, bool uri)
{
    struct buf tmp = BUF_INIT;
    part(out, &tmp, &img->c[F_REGISTRY_NAME], uri);
    buf_putc(out, '/');
    part(out, &tmp, &img->c[F_NAMESPACE], uri);
    buf_putc(out, '/');
    part(out, &tmp, &img->c[F_IMAGE_NAME], uri);
    const struct rcell *ver = &img->c[F_IMAGE_VERSION], *dig = &img->c[F_IMAGE_DIGEST];
    if (ver->state == CELL_OK && ver->v.s[0]) {
        buf_putc(out, ':');
        part(out, &tmp, ver, uri);
    } else if (dig->state == CELL_OK && dig->v.s[0]) {
        buf_putc(out, '@');
        part(out, &tmp, dig, uri);
    }
    buf_dispose(&tmp);
}
