/* SPDX-License-Identifier: MIT
 * Writing evidence bundles; see evidence.h. Every file of the bundle is
 * created by this file (or rendered where evidence_report() says), so
 * the list of files in 'struct evidence' is the manifest's list, and
 * removing an unfinished bundle is removing exactly those. */
#include "app/evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/versions.h"
#include "source/auth.h"
#include "util/atomicfile.h"
#include "util/ed25519.h"
#include "util/filelabel.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#define MANIFEST "MANIFEST.sha256"
#define SIGNATURE "MANIFEST.sha256.sig"
#define NAME_MAX_BYTES 100

struct bfile {
    char *rel;                  /* path inside the bundle */
    char *abs;                  /* tmp/rel: tracked for the signal handler */
};

struct breport {
    const char *target;         /* borrowed: the -o it copies */
    enum format fmt;
    size_t file_index;          /* its file in evidence.files */
};

struct evidence {
    char *dir;
    struct ed25519_key *key;
    char *tmp;                  /* DIR/.imgaudit-evidence-XXXXXX until renamed */
    char *subdirs[3];
    struct bfile *files;
    size_t n_files, cap_files;
    struct breport *reports;
    size_t n_reports, cap_reports;
    char *final;                /* the bundle, once finished */
};

int evidence_open(struct evidence **out, const char *dir, const char *sign_key,
                  struct diags *d)
{
    *out = NULL;
    /* A folder that is not there yet is made by evidence_begin. */
    struct stat st;
    int there = stat(dir, &st) == 0;
    if (!there && errno != ENOENT) {
        diags_add(d, DIAG_ERROR, dir, 0, 0, 0, NULL, "--evidence-dir: %s", strerror(errno));
        return -1;
    }
    if (there && !S_ISDIR(st.st_mode)) {
        diags_add(d, DIAG_ERROR, dir, 0, 0, 0, NULL, "--evidence-dir: not a folder");
        return -1;
    }
    struct evidence *ev = xcalloc(1, sizeof *ev);
    ev->dir = xstrdup(dir);
    /* "ev/" and "ev" name the same folder: no "ev//name" in messages. */
    for (size_t n = strlen(ev->dir); n > 1 && ev->dir[n - 1] == '/'; n--)
        ev->dir[n - 1] = '\0';
    if (sign_key && ed25519_load_private(&ev->key, sign_key, d) < 0) {
        evidence_free(ev);
        return -1;
    }
    *out = ev;
    return 0;
}

static const char *const subdir_names[3] = {"records", "inputs", "reports"};

int evidence_begin(struct evidence *ev, struct diags *d)
{
    if (mkdir(ev->dir, 0777) < 0 && errno != EEXIST) {
        diags_add(d, DIAG_ERROR, ev->dir, 0, 0, 0, NULL, "cannot create the evidence folder: %s",
                  strerror(errno));
        return -1;
    }
    char *tmp = xasprintf("%s/.imgaudit-evidence-XXXXXX", ev->dir);
    if (!mkdtemp(tmp)) {
        diags_add(d, DIAG_ERROR, ev->dir, 0, 0, 0, NULL, "cannot create a folder in it: %s",
                  strerror(errno));
        free(tmp);
        return -1;
    }
    ev->tmp = tmp;
    atomic_track(ev->tmp);
    for (int i = 0; i < 3; i++) {
        ev->subdirs[i] = xasprintf("%s/%s", ev->tmp, subdir_names[i]);
        if (mkdir(ev->subdirs[i], 0777) < 0) {
            diags_add(d, DIAG_ERROR, ev->subdirs[i], 0, 0, 0, NULL, "cannot create: %s",
                      strerror(errno));
            free(ev->subdirs[i]);
            ev->subdirs[i] = NULL;
            return -1;
        }
        atomic_track(ev->subdirs[i]);
    }
    return 0;
}

/* ---- names ---- */

/* 'path''s base name with every byte outside [A-Za-z0-9._-] as '_', no
 * leading dot, at most NAME_MAX_BYTES: a name no shell or sha256sum
 * line needs to quote. */
static char *safe_name(const char *path)
{
    const char *base = strcmp(path, "-") == 0 ? "stdout" : file_base(path);
    size_t n = strlen(base);
    if (n > NAME_MAX_BYTES)
        base += n - NAME_MAX_BYTES;     /* keep the extension */
    char *s = xstrdup(*base ? base : "file");
    for (char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

static bool taken(const struct evidence *ev, const char *rel)
{
    for (size_t i = 0; i < ev->n_files; i++)
        if (strcmp(ev->files[i].rel, rel) == 0)
            return true;
    return false;
}

/* Reserve 'dir/name' ('dir' NULL: the top folder) in the bundle, with
 * "2-", "3-"... before the name when it is taken, and return its index
 * in ev->files. */
static size_t reserve(struct evidence *ev, const char *dir, const char *name)
{
    char *rel = dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
    for (int k = 2; taken(ev, rel); k++) {
        free(rel);
        rel = dir ? xasprintf("%s/%d-%s", dir, k, name) : xasprintf("%d-%s", k, name);
    }
    XGROW(ev->files, ev->cap_files, ev->n_files + 1);
    struct bfile *f = &ev->files[ev->n_files];
    f->rel = rel;
    f->abs = xasprintf("%s/%s", ev->tmp, rel);
    atomic_track(f->abs);
    return ev->n_files++;
}

const char *evidence_report(struct evidence *ev, const char *target, enum format fmt)
{
    char *name = safe_name(target);
    /* A report to standard output gets its format's extension. */
    if (strcmp(target, "-") == 0) {
        free(name);
        name = xasprintf("stdout.%s", format_name(fmt));
    }
    size_t k = reserve(ev, "reports", name);
    free(name);
    XGROW(ev->reports, ev->cap_reports, ev->n_reports + 1);
    ev->reports[ev->n_reports++] = (struct breport){target, fmt, k};
    return ev->files[k].abs;
}

/* ---- copying inputs ---- */

/* Write 'len' bytes at 'data' (or, when 'from' is set, the file 'from')
 * into bundle file 'k', and its SHA-256 into 'sha'. Returns 0 or -1. */
static int put(struct evidence *ev, size_t k, const void *data, size_t len, const char *from,
               char sha[SHA256_HEX_LEN], struct diags *d)
{
    const struct bfile *f = &ev->files[k];
    int fd = open(f->abs, O_WRONLY | O_CREAT | O_EXCL, 0666);
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        diags_add(d, DIAG_ERROR, f->abs, 0, 0, 0, NULL, "cannot create: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct sha256_ctx c;
    sha256_init(&c);
    int bad = 0;
    if (from) {
        FILE *in = fopen(from, "rb");
        if (!in) {
            diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL, "cannot read it again for the evidence "
                      "bundle: %s", strerror(errno));
            bad = 1;
        } else {
            char chunk[65536];
            size_t n;
            while (!bad && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
                sha256_update(&c, chunk, n);
                bad = fwrite(chunk, 1, n, out) != n;
            }
            if (ferror(in)) {
                diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL, "cannot read: %s", strerror(errno));
                bad = 1;
            }
            fclose(in);
        }
    } else {
        sha256_update(&c, data, len);
        bad = len && fwrite(data, 1, len, out) != len;
    }
    sha256_final_hex(&c, sha);
    if (fclose(out) != 0 || bad) {
        if (!d->errors)
            diags_add(d, DIAG_ERROR, f->abs, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* A copy of a file the run read, which must still be the bytes it read
 * ('want': their SHA-256; "" when not known). Returns the bundle file's
 * index, or -1. */
static long copy_input(struct evidence *ev, const char *dir, const char *name, const char *from,
                       const void *data, size_t len, const char *want, char sha[SHA256_HEX_LEN],
                       struct diags *d)
{
    size_t k = reserve(ev, dir, name);
    if (put(ev, k, data, len, from, sha, d) < 0)
        return -1;
    if (want && want[0] && strcmp(want, sha) != 0) {
        diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL,
                  "changed while this run used it (SHA-256 %.12s... then, %.12s... now): "
                  "the evidence bundle would not match the reports; run again", want, sha);
        return -1;
    }
    return (long)k;
}

/* {"name": NAME, "file": REL, "sha256": SHA} */
static json_t *file_json(const char *name, const char *rel, const char *sha)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "file", json_string(rel));
    json_object_set_new(o, "sha256", json_string(sha));
    return o;
}

/* The rule (or waiver) files, as parsed, into inputs/ and 'arr'. */
static int copy_rule_files(struct evidence *ev, const struct ruleset *rs, bool waivers,
                           json_t *arr, struct diags *d)
{
    size_t n = waivers ? ruleset_waiver_file_count(rs) : ruleset_file_count(rs);
    for (size_t i = 0; i < n; i++) {
        struct rulefile_info fi = waivers ? ruleset_waiver_file(rs, i) : ruleset_file(rs, i);
        char *base = safe_name(fi.path);
        char *name = xasprintf("%s-%zu-%s", waivers ? "waivers" : "rules", i + 1, base);
        char sha[SHA256_HEX_LEN];
        long k = copy_input(ev, "inputs", name, NULL, fi.text, fi.len, fi.sha256, sha, d);
        free(base);
        free(name);
        if (k < 0)
            return -1;
        json_array_append_new(arr, file_json(fi.path, ev->files[k].rel, sha));
    }
    return 0;
}

/* One optional input file (baseline, template) into inputs/, or null. */
static json_t *copy_one(struct evidence *ev, const char *prefix, const char *path,
                        const char *want, int *bad, struct diags *d)
{
    if (!path || *bad)
        return json_null();
    char *base = safe_name(path);
    char *name = xasprintf("%s-%s", prefix, base);
    char sha[SHA256_HEX_LEN];
    long k = copy_input(ev, "inputs", name, path, NULL, 0, want, sha, d);
    free(base);
    free(name);
    if (k < 0) {
        *bad = 1;
        return json_null();
    }
    return file_json(file_label(path), ev->files[k].rel, sha);
}

/* ---- run.json ---- */

static json_t *jtime(int64_t ms)
{
    char t[TIME_ISO_MAX];
    time_format_iso(ms, t);
    return json_string(t);
}

static json_t *jsev(int s)
{
    return s >= 0 ? json_string(severity_name((enum severity)s)) : json_null();
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The command line as given, with any credential the environment or
 * --token-file holds scrubbed (no option takes one, but an argument
 * could still carry it by mistake). */
static json_t *command_line(const struct app_job *cfg)
{
    struct auth a = AUTH_INIT;
    struct diags scratch = DIAGS_INIT;
    bool have = auth_load(&a, cfg->pull.token_file, &scratch) == 0;
    diags_dispose(&scratch);
    json_t *arr = json_array();
    for (int i = 0; i < cfg->argc; i++) {
        char *s = xstrdup(cfg->argv[i]);
        if (have)
            auth_redact(&a, s);
        json_t *j = json_string(s);
        json_array_append_new(arr, j ? j : json_string("(not UTF-8)"));
        free(s);
    }
    auth_dispose(&a);
    return arr;
}

static json_t *settings_json(const struct evidence_run *run, json_t *rules, json_t *waivers,
                             json_t *baseline, json_t *tmpl)
{
    const struct build_settings *s = run->settings;
    const struct app_job *cfg = run->cfg;
    json_t *o = json_object();
    json_object_set_new(o, "now", jtime(s->now_ms));
    json_object_set_new(o, "now_from", json_string(cfg->has_now ? "--now" : "clock"));
    json_object_set_new(o, "generated_at", jtime(s->generated_at_ms));
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "waivers", waivers);
    json_t *sets = json_array();
    for (size_t i = 0; i < s->n_sets; i++)
        json_array_append_new(sets, jstr(s->sets[i]));
    json_object_set_new(o, "set", sets);
    json_t *params = json_array();
    for (size_t i = 0; i < ruleset_param_count(run->rs); i++) {
        const struct param_info *p = ruleset_param(run->rs, i);
        json_t *e = json_object();
        json_object_set_new(e, "name", jstr(p->name));
        json_object_set_new(e, "value", jstr(p->value));
        json_object_set_new(e, "type", jstr(p->type));
        json_array_append_new(params, e);
    }
    json_object_set_new(o, "params", params);
    json_object_set_new(o, "where", jstr(s->where));
    json_object_set_new(o, "baseline", baseline);
    json_object_set_new(o, "template", tmpl);
    json_object_set_new(o, "fail_on", jsev(s->fail_on));
    json_object_set_new(o, "fail_on_new", jsev(s->fail_on_new));
    json_object_set_new(o, "fail_on_expired_waivers", json_boolean(s->fail_on_expired_waivers));
    json_object_set_new(o, "warn_expiring_days", json_integer(s->warn_expiring_days));
    json_object_set_new(o, "max_waiver_days", s->has_max_waiver_days
                        ? json_integer(s->max_waiver_days) : json_null());
    json_object_set_new(o, "html_max_findings", json_integer(cfg->html_max_findings));
    return o;
}

static json_t *pull_json(const struct pull_result *p)
{
    if (!p)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "endpoint", jstr(p->endpoint));
    json_object_set_new(o, "region", jstr(p->region));
    json_object_set_new(o, "project_id", jstr(p->project_id));
    json_object_set_new(o, "enterprise_project_id", jstr(p->enterprise_project_id));
    json_t *f = json_array();
    for (size_t i = 0; i < p->n_filters; i++)
        json_array_append_new(f, jstr(p->filters[i]));
    json_object_set_new(o, "filters", f);
    json_object_set_new(o, "credentials", jstr(p->auth));
    json_object_set_new(o, "page_size", json_integer(p->page_size));
    json_object_set_new(o, "concurrency", json_integer(p->concurrency));
    json_object_set_new(o, "max_rate", json_real(p->max_rate));
    json_object_set_new(o, "timeout", json_real(p->timeout));
    json_object_set_new(o, "retries",
                        p->max_retries >= 0 ? json_integer(p->max_retries) : json_null());
    json_object_set_new(o, "retry_max_time", json_real(p->retry_max_time));
    json_object_set_new(o, "insecure", json_boolean(p->insecure));
    json_object_set_new(o, "allow_incomplete", json_boolean(p->allow_incomplete));
    json_object_set_new(o, "requests", json_integer((json_int_t)p->requests));
    json_object_set_new(o, "passes", json_integer(p->passes));
    json_object_set_new(o, "seconds", json_real(p->seconds));
    if (p->n_sources > 1) {     /* several projects: each one's (the totals above) */
        json_t *a = json_array();
        for (size_t k = 0; k < p->n_sources; k++) {
            const struct pull_source *q = &p->sources[k];
            json_t *e = json_object();
            json_object_set_new(e, "endpoint", jstr(q->endpoint));
            json_object_set_new(e, "region", jstr(q->region));
            json_object_set_new(e, "project_id", jstr(q->project_id));
            json_object_set_new(e, "enterprise_project_id", jstr(q->enterprise_project_id));
            json_object_set_new(e, "requests", json_integer((json_int_t)q->requests));
            json_object_set_new(e, "passes", json_integer(q->passes));
            json_array_append_new(a, e);
        }
        json_object_set_new(o, "sources", a);
    }
    return o;
}

static json_t *counts_json(const struct report *rep)
{
    const struct report_summary *s = &rep->summary;
    json_t *o = json_object();
    json_object_set_new(o, "records", json_integer((json_int_t)rep->meta.records_received));
    json_object_set_new(o, "images", json_integer((json_int_t)s->images));
    json_object_set_new(o, "images_with_findings", json_integer((json_int_t)s->images_with_findings));
    json_object_set_new(o, "findings", json_integer((json_int_t)s->findings));
    for (int t = 0; t < TALLY_COUNT; t++)
        json_object_set_new(o, tally_name((enum tally)t), json_integer((json_int_t)s->tally_total[t]));
    json_t *sev = json_object();
    for (int v = SEV_COUNT - 1; v >= 0; v--)
        json_object_set_new(sev, severity_name((enum severity)v),
                            json_integer((json_int_t)s->by_severity[v]));
    json_object_set_new(o, "by_severity", sev);
    return o;
}

static json_t *gate_json(const struct report_meta *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "verdict", json_string(report_gate_name(m->gate)));
    json_t *failed = json_array();
    if (m->gate_failed & GATE_BY_SEVERITY)
        json_array_append_new(failed, json_string("fail_on"));
    if (m->gate_failed & GATE_BY_NEW)
        json_array_append_new(failed, json_string("fail_on_new"));
    if (m->gate_failed & GATE_BY_EXPIRED_WAIVER)
        json_array_append_new(failed, json_string("expired_waivers"));
    json_object_set_new(o, "failed", failed);
    return o;
}

/* ---- the manifest and the final name ---- */

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const struct bfile *)a)->rel, ((const struct bfile *)b)->rel);
}

/* MANIFEST.sha256 for every file so far, sorted by path, into 'm'. */
static int manifest(struct evidence *ev, struct buf *m, struct diags *d)
{
    struct bfile *sorted = xcalloc(ev->n_files + 1, sizeof *sorted);
    memcpy(sorted, ev->files, ev->n_files * sizeof *sorted);
    qsort(sorted, ev->n_files, sizeof *sorted, cmp_files);
    int rc = 0;
    for (size_t i = 0; i < ev->n_files && rc == 0; i++) {
        char sha[SHA256_HEX_LEN];
        if (sha256_file(sorted[i].abs, sha) < 0) {
            diags_add(d, DIAG_ERROR, sorted[i].abs, 0, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
            rc = -1;
        }
        buf_printf(m, "%s  %s\n", sha, sorted[i].rel);
    }
    free(sorted);
    return rc;
}

/* Move the finished folder to DIR/<UTC time>-<hash>, never over an
 * existing one: mkdir claims the name (two runs cannot both get it),
 * then rename replaces that empty folder. */
static int move_into_place(struct evidence *ev, int64_t started_ms, const char *manifest_sha,
                           struct diags *d)
{
    time_t t = (time_t)(started_ms / 1000);
    struct tm tm;
    char stamp[32];
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    char *final = xasprintf("%s/%s-%.12s", ev->dir, stamp, manifest_sha);
    if (mkdir(final, 0777) < 0) {
        diags_add(d, DIAG_ERROR, final, 0, 0, 0, NULL, "%s",
                  errno == EEXIST ? "already exists; an evidence bundle is never overwritten"
                                  : strerror(errno));
        free(final);
        return -1;
    }
    if (rename(ev->tmp, final) < 0) {
        diags_add(d, DIAG_ERROR, final, 0, 0, 0, NULL, "cannot move the bundle here: %s",
                  strerror(errno));
        rmdir(final);
        free(final);
        return -1;
    }
    ev->final = final;
    return 0;
}

int evidence_finish(struct evidence *ev, const struct evidence_run *run, struct diags *d)
{
    const struct build_settings *s = run->settings;
    char sha[SHA256_HEX_LEN];
    int bad = 0;

    /* The records, and their provenance as read. */
    const char *ext = run->rep->meta.records_format &&
                      strcmp(run->rep->meta.records_format, "jsonl") != 0 ? "json" : "jsonl";
    char *rname = xasprintf("snapshot.%s", ext);
    long rk = copy_input(ev, "records", rname, run->records_path, NULL, 0,
                         run->records->sha256, sha, d);
    free(rname);
    if (rk < 0)
        return -1;
    json_t *records = json_object();
    json_object_set_new(records, "from", json_string(run->records_from));
    json_object_set_new(records, "file", json_string(ev->files[rk].rel));
    json_object_set_new(records, "sha256", json_string(sha));
    json_object_set_new(records, "provenance", json_null());
    json_object_set_new(records, "source", json_string(report_source_label(run->records->status)));
    if (run->records->has_provenance) {
        const struct buf *raw = &run->records->provenance_raw;
        long pk = copy_input(ev, "records", "snapshot.meta.json", NULL, raw->data ? raw->data : "",
                             raw->len, NULL, sha, d);
        if (pk < 0) {
            json_decref(records);
            return -1;
        }
        json_object_set_new(records, "provenance", json_string(ev->files[pk].rel));
    }

    json_t *rules = json_array(), *waivers = json_array();
    bad |= copy_rule_files(ev, run->rs, false, rules, d) < 0;
    bad |= !bad && copy_rule_files(ev, run->rs, true, waivers, d) < 0;
    json_t *baseline = copy_one(ev, "baseline", s->baseline.path,
                                run->rep->meta.baseline.sha256, &bad, d);
    json_t *tmpl = copy_one(ev, "template", run->cfg->template_path, NULL, &bad, d);

    json_t *reports = json_array();
    for (size_t i = 0; i < ev->n_reports; i++) {
        const struct breport *r = &ev->reports[i];
        json_t *e = json_object();
        json_object_set_new(e, "file", json_string(ev->files[r->file_index].rel));
        json_object_set_new(e, "format", json_string(format_name(r->fmt)));
        json_object_set_new(e, "name", json_string(strcmp(r->target, "-") == 0
                                                   ? "standard output" : file_base(r->target)));
        json_array_append_new(reports, e);
    }

    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string("imgaudit-evidence-run"));
    json_object_set_new(o, "schema_version", json_integer(1));
    json_object_set_new(o, "command_line", command_line(run->cfg));
    json_object_set_new(o, "versions", app_versions_json());
    json_object_set_new(o, "started_at", jtime(run->started_ms));
    json_object_set_new(o, "finished_at", jtime(time_now_ms()));
    json_object_set_new(o, "settings", settings_json(run, rules, waivers, baseline, tmpl));
    json_object_set_new(o, "records", records);
    json_object_set_new(o, "pull", pull_json(run->pull));
    json_object_set_new(o, "reports", reports);
    json_object_set_new(o, "html_companion", jstr(run->companion));
    json_object_set_new(o, "counts", counts_json(run->rep));
    json_object_set_new(o, "gate", gate_json(&run->rep->meta));
    json_object_set_new(o, "exit_code", json_integer(run->exit_code));
    json_t *sig = json_null();
    if (ev->key) {
        char fp[SHA256_HEX_LEN];
        ed25519_fingerprint(ev->key, fp);
        sig = json_object();
        json_object_set_new(sig, "algorithm", json_string("Ed25519"));
        json_object_set_new(sig, "file", json_string(SIGNATURE));
        json_object_set_new(sig, "public_key_sha256", json_string(fp));
    }
    json_object_set_new(o, "signature", sig);
    char *text = bad ? NULL : json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (bad)
        return -1;
    struct buf b = BUF_INIT;
    buf_puts(&b, text ? text : "{}");
    buf_putc(&b, '\n');
    free(text);
    size_t rj = reserve(ev, NULL, "run.json");
    bad = put(ev, rj, b.data, b.len, NULL, sha, d) < 0;
    buf_dispose(&b);
    if (bad)
        return -1;

    /* The manifest lists every file above; then its signature. */
    struct buf m = BUF_INIT;
    bad = manifest(ev, &m, d) < 0;
    size_t mk = reserve(ev, NULL, MANIFEST);
    char msha[SHA256_HEX_LEN];
    bad = bad || put(ev, mk, m.data ? m.data : "", m.len, NULL, msha, d) < 0;
    if (!bad && ev->key) {
        unsigned char signature[ED25519_SIG_LEN];
        size_t sk = reserve(ev, NULL, SIGNATURE);
        if (ed25519_sign(ev->key, m.data ? m.data : "", m.len, signature) < 0) {
            diags_error(d, "--sign-key: OpenSSL could not sign the manifest");
            bad = 1;
        } else {
            bad = put(ev, sk, signature, sizeof signature, NULL, sha, d) < 0;
        }
    }
    buf_dispose(&m);
    if (bad || move_into_place(ev, run->started_ms, msha, d) < 0)
        return -1;
    /* Finished: nothing for the signal handler to remove any more. */
    for (size_t i = 0; i < ev->n_files; i++)
        atomic_untrack(ev->files[i].abs);
    for (int i = 0; i < 3; i++)
        atomic_untrack(ev->subdirs[i]);
    atomic_untrack(ev->tmp);
    return 0;
}

const char *evidence_path(const struct evidence *ev)
{
    return ev ? ev->final : NULL;
}

void evidence_free(struct evidence *ev)
{
    if (!ev)
        return;
    for (size_t i = 0; i < ev->n_files; i++) {
        if (!ev->final)
            unlink(ev->files[i].abs);
        atomic_untrack(ev->files[i].abs);
        free(ev->files[i].rel);
        free(ev->files[i].abs);
    }
    for (int i = 3; i-- > 0;) {
        if (ev->subdirs[i] && !ev->final)
            rmdir(ev->subdirs[i]);
        atomic_untrack(ev->subdirs[i]);
        free(ev->subdirs[i]);
    }
    if (ev->tmp) {
        if (!ev->final)
            rmdir(ev->tmp);
        atomic_untrack(ev->tmp);
    }
    free(ev->tmp);
    free(ev->files);
    free(ev->reports);
    free(ev->final);
    free(ev->dir);
    ed25519_free(ev->key);
    free(ev);
}
