/* SPDX-License-Identifier: MIT
 * File names in reports; see filelabel.h. */
#include "util/filelabel.h"

#include <string.h>

const char *file_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

const char *file_label(const char *path)
{
    return path[0] == '/' ? file_base(path) : path;
}
