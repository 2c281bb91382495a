/* SPDX-License-Identifier: MIT
 * Baseline for bench/report-bench.sh: parse a JSON Lines file with
 * jansson, one json_loadb per line, and nothing else. imgaudit's own
 * evaluation is measured as a multiple of this time. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: jansson_baseline FILE.jsonl\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0, records = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        json_error_t err;
        json_t *j = json_loadb(line, (size_t)n, 0, &err);
        if (!j) {
            fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.text);
            return 3;
        }
        json_decref(j);
        records++;
    }
    free(line);
    fclose(f);
    printf("%zu records\n", records);
    return 0;
}
