/* SPDX-License-Identifier: MIT
 * --verbose's account of a run's time; see runtimes.h. */
#include "app/runtimes.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util/monotime.h"

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

struct run_times run_times_begin(unsigned jobs)
{
    return (struct run_times){.started = monotime_s(), .jobs = jobs};
}

void run_times_print(FILE *out, const struct run_times *t, const struct report *rep)
{
    const struct phase_times *p = &t->phases;
    fprintf(out, "imgaudit: rules, waivers and settings loaded in %.3f s\n",
            t->loaded - t->started);
    if (t->records_how)
        fprintf(out, "imgaudit: records %s in %.3f s\n", t->records_how,
                t->records_ready - t->loaded);
    fprintf(out, "imgaudit: %zu image%s read and evaluated in %.3f s (jobs: %u): %zu finding%s\n",
            rep->n_images, plural(rep->n_images), p->evaluate, t->jobs, rep->n_findings,
            plural(rep->n_findings));
    if (rep->meta.baseline.present)
        fprintf(out, "imgaudit: baseline read in %.3f s on its own thread, waited for %.3f s, "
                "compared in %.3f s\n", p->baseline_read, p->baseline_wait, p->compare);
    run_times_print_writing(out, t);
}

void run_times_print_diff(FILE *out, const struct run_times *t, const char *new_path,
                          const char *old_path, const struct report *rep)
{
    const struct phase_times *p = &t->phases;
    fprintf(out, "imgaudit: %s read in %.3f s: %zu image%s, %zu finding%s\n", new_path,
            p->evaluate, rep->n_images, plural(rep->n_images), rep->n_findings,
            plural(rep->n_findings));
    fprintf(out, "imgaudit: %s read in %.3f s on its own thread, waited for %.3f s, "
            "compared in %.3f s\n", old_path, p->baseline_read, p->baseline_wait, p->compare);
}

void run_times_print_merge(FILE *out, const struct run_times *t, size_t n,
                           const struct report *rep)
{
    fprintf(out, "imgaudit: %zu report%s read and merged in %.3f s: %zu image%s, %zu finding%s\n",
            n, plural(n), t->phases.evaluate, rep->n_images, plural(rep->n_images),
            rep->n_findings, plural(rep->n_findings));
}

void run_times_dispose(struct run_times *t)
{
    free(t->write_s);
    t->write_s = NULL;
}

void run_times_print_writing(FILE *out, const struct run_times *t)
{
    for (size_t i = 0; i < t->n_outputs; i++)
        fprintf(out, "imgaudit: %s written in %.3f s\n",
                strcmp(t->outputs[i], "-") == 0 ? "standard output" : t->outputs[i],
                t->write_s[i]);
    if (t->written > 0)
        fprintf(out, "imgaudit: reports written in %.3f s (jobs: %u)\n",
                t->written - t->evaluated, t->jobs);
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    fprintf(out, "imgaudit: the run took %.3f s, %.3f s of CPU, peak memory %ld MB\n",
            monotime_s() - t->started, cpu, ru.ru_maxrss / 1024);
}
