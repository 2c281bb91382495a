/* SPDX-License-Identifier: MIT
 * A list of strings as the commands receive it (repeatable options,
 * operands): borrowed from the caller. */
#ifndef IMGAUDIT_STRS_H
#define IMGAUDIT_STRS_H
#include <stddef.h>

struct app_strs {
    const char *const *v;
    size_t n;
};

#endif
