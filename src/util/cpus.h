/* SPDX-License-Identifier: MIT
 * How many CPUs this process may use, for the default number of threads
 * (--jobs). Not the machine's count: a container or a CI runner often
 * may use a few CPUs of many, by its affinity mask (taskset, a cpuset)
 * or by a CPU-time quota of its cgroup (docker --cpus, a Kubernetes CPU
 * limit), and a thread per host CPU on a quota of two is throttled, not
 * faster.
 *
 * The quota is read from cgroup v2 (cpu.max: "QUOTA PERIOD" or "max
 * PERIOD") or v1 (cpu.cfs_quota_us, -1 for none, and cpu.cfs_period_us)
 * along the process's cgroup path from /proc/self/cgroup, its own and
 * every ancestor's up to the mount point, the smallest counting: QUOTA /
 * PERIOD rounded up. A path that is not there under the mount (a cgroup
 * namespace shows "/", an older container runtime its host path) is
 * walked up until a folder is. Nothing allocates beyond the call. */
#ifndef IMGAUDIT_CPUS_H
#define IMGAUDIT_CPUS_H

/* The CPUs of the affinity mask, fewer when the cgroup quota allows
 * fewer; at least 1. */
unsigned cpus_usable(void);

/* The cgroup quota alone, in CPUs (rounded up), with /proc and /sys read
 * under 'root' ("" for the real ones; a test's folder): 0 when there is
 * no quota or it cannot be read. */
unsigned cpus_cgroup_limit(const char *root);

#endif
