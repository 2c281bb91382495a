/* SPDX-License-Identifier: MIT
 * Severity names, the one vocabulary shared by rule files, --min-severity
 * and the reports. */
#include "rules/rules.h"

#include <string.h>

static const char *const names[SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

const char *severity_name(enum severity s)
{
    return (unsigned)s < SEV_COUNT ? names[s] : "info";
}

int severity_parse(const char *s)
{
    for (int i = 0; i < SEV_COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}
