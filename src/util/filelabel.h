/* SPDX-License-Identifier: MIT
 * The name a report gives an input file (rule, waiver and baseline
 * files): the path as given when it is relative, else its base name.
 * A report must not depend on where its inputs lie on one machine, so
 * "/home/ana/audit/rules.yaml" is "rules.yaml" in every report, while
 * "rules/default.yaml" stays what the command line said (the same on
 * every machine that runs the same command in a checkout). */
#ifndef IMGAUDIT_FILELABEL_H
#define IMGAUDIT_FILELABEL_H

/* 'path' itself when relative, else the part after its last '/'
 * (a pointer into 'path'; "/" alone stays "/"). */
const char *file_label(const char *path);
/* The last component of 'path' (a pointer into it): "a/b.csv" -> "b.csv". */
const char *file_base(const char *path);

#endif
