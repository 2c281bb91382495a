/* SPDX-License-Identifier: MIT
 * The exit codes, named once. Documented in README.md, docs/imgaudit.md
 * and --help; only main() turns a result into one of these. */
#ifndef IMGAUDIT_EXITCODES_H
#define IMGAUDIT_EXITCODES_H

enum exit_code {
    EXIT_OK = 0,          /* success; gate passed or no gate */
    EXIT_GATE = 1,        /* a finding at or above --fail-on */
    EXIT_USAGE = 2,       /* usage error, invalid rules/params/config */
    EXIT_DATA = 3,        /* input unreadable/malformed, API or network failure, incomplete pull */
    EXIT_WRITE = 4,       /* a report could not be written */
};

#endif
