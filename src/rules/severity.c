/* SPDX-License-Identifier: MIT
 * Severity names, the one vocabulary shared by rule files, --fail-on,
 * --fail-on-new, config files and the reports. Read in any case, always
 * written in lower case. */
#include "rules/rules.h"

#include <strings.h>

static const char *const names[SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

const char *severity_name(enum severity s)
{
    return (unsigned)s < SEV_COUNT ? names[s] : "info";
}

/* In any case: HSS writes "High", people write "HIGH". */
int severity_parse(const char *s)
{
    for (int i = 0; i < SEV_COUNT; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}
