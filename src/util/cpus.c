/* SPDX-License-Identifier: MIT
 * The CPUs this process may use; see cpus.h. */
#define _GNU_SOURCE     /* sched_getaffinity, CPU_COUNT */
#include "util/cpus.h"

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_LEN 4096

/* The first line of the file at 'path' into 'out'; false when unreadable. */
static bool read_line(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(out, (int)n, f) != NULL;
    fclose(f);
    return ok;
}

/* QUOTA / PERIOD in CPUs, rounded up; 0 for none (a quota <= 0). */
static unsigned quota_cpus(long long quota, long long period)
{
    if (quota <= 0 || period <= 0)
        return 0;
    long long n = (quota + period - 1) / period;
    return n > 4096 ? 4096 : (unsigned)n;
}

/* The limit in one cgroup folder: v2's cpu.max, or v1's two files. */
static unsigned folder_limit(const char *dir, bool v2)
{
    char path[PATH_LEN], line[128];
    long long quota, period;
    if (v2) {
        snprintf(path, sizeof path, "%s/cpu.max", dir);
        if (!read_line(path, line, sizeof line) ||
            sscanf(line, "%lld %lld", &quota, &period) != 2)
            return 0;       /* also "max 100000": no quota */
        return quota_cpus(quota, period);
    }
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
    if (!read_line(path, line, sizeof line) || sscanf(line, "%lld", &quota) != 1)
        return 0;
    snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
    if (!read_line(path, line, sizeof line) || sscanf(line, "%lld", &period) != 1)
        return 0;
    return quota_cpus(quota, period);
}

/* The smallest limit from 'mount' + 'rel' up to 'mount' itself. */
static unsigned path_limit(const char *mount, const char *rel, bool v2)
{
    char dir[PATH_LEN];
    if (snprintf(dir, sizeof dir, "%s%s", mount, rel) >= (int)sizeof dir)
        return 0;
    size_t base = strlen(mount);
    unsigned best = 0;
    for (;;) {
        size_t n = strlen(dir);
        while (n > base && dir[n - 1] == '/')
            dir[--n] = '\0';
        if (access(dir, F_OK) == 0) {
            unsigned k = folder_limit(dir, v2);
            if (k && (!best || k < best))
                best = k;
        }
        if (n <= base)
            return best;
        char *slash = strrchr(dir + base, '/');
        if (!slash)
            dir[base] = '\0';
        else
            *slash = '\0';
    }
}

/* Does the comma-separated controller list 'list' ('n' bytes) name "cpu"? */
static bool has_cpu(const char *list, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && list[j] != ',')
            j++;
        if (j - i == 3 && memcmp(list + i, "cpu", 3) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

unsigned cpus_cgroup_limit(const char *root)
{
    char path[PATH_LEN], line[PATH_LEN];
    snprintf(path, sizeof path, "%s/proc/self/cgroup", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    unsigned best = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        /* "ID:CONTROLLERS:PATH"; v2 is "0::PATH". */
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || c2[1] != '/')
            continue;
        unsigned k = 0;
        if (c2 == c1 + 1 && strncmp(line, "0:", 2) == 0) {
            char mount[PATH_LEN];
            snprintf(mount, sizeof mount, "%s/sys/fs/cgroup", root);
            k = path_limit(mount, c2 + 1, true);
        } else if (has_cpu(c1 + 1, (size_t)(c2 - c1 - 1))) {
            static const char *const mounts[] = {"cpu", "cpu,cpuacct", "cpuacct,cpu"};
            for (size_t m = 0; m < sizeof mounts / sizeof mounts[0] && !k; m++) {
                char mount[PATH_LEN];
                snprintf(mount, sizeof mount, "%s/sys/fs/cgroup/%s", root, mounts[m]);
                if (access(mount, F_OK) == 0)
                    k = path_limit(mount, c2 + 1, false);
            }
        }
        if (k && (!best || k < best))
            best = k;
    }
    fclose(f);
    return best;
}

unsigned cpus_usable(void)
{
    long n = 0;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
    if (n < 1)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    unsigned quota = cpus_cgroup_limit("");
    if (quota && quota < (unsigned long)n)
        n = (long)quota;
    return (unsigned)n;
}
