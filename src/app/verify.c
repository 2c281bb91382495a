/* SPDX-License-Identifier: MIT
 * `imgaudit verify`; see verify.h. The three steps are one function
 * each; 'struct vr' counts the problems and prints the lines. run.json
 * is read here and written by evidence.c (its format: docs/evidence.md). */
#include "app/verify.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/build.h"
#include "app/firstdiff.h"
#include "render/render.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/ed25519.h"
#include "util/exitcodes.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/xalloc.h"

#define MANIFEST "MANIFEST.sha256"
#define SIGNATURE "MANIFEST.sha256.sig"
#define MANIFEST_MAX (16u << 20)

struct vr {
    const char *dir;
    bool quiet;
    size_t problems;
};

static void line(struct vr *v, const char *step, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void line(struct vr *v, const char *step, bool ok, const char *fmt, ...)
{
    if (!ok)
        v->problems++;
    if (ok && v->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%s: %s: ", step, ok ? "ok" : "FAIL");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static char *in_bundle(const struct vr *v, const char *rel)
{
    return xasprintf("%s/%s", v->dir, rel);
}

/* Read a whole small file into 'b'. Returns 0, or -1 with errno set. */
static int slurp(const char *path, struct buf *b, size_t max)
{
    buf_init(b, max);
    int rc = buf_read_file(b, path);
    if (rc == -1)
        errno = EFBIG;
    return rc < 0 ? -1 : 0;
}

/* ---- 1. the signature ---- */

static void check_signature(struct vr *v, const char *pubkey, const struct ed25519_key *key)
{
    char *sig_path = in_bundle(v, SIGNATURE), *man_path = in_bundle(v, MANIFEST);
    struct buf sig = BUF_INIT, man = BUF_INIT;
    bool have_sig = slurp(sig_path, &sig, 4096) == 0;
    if (!key) {
        if (!v->quiet)
            printf("signature: not checked (no --pubkey)%s\n",
                   have_sig ? "; " SIGNATURE " is there" : "; the bundle is not signed");
    } else if (!have_sig) {
        line(v, "signature", false, "%s is missing: --pubkey requires a signed bundle",
             SIGNATURE);
    } else if (slurp(man_path, &man, MANIFEST_MAX) < 0) {
        line(v, "signature", false, "%s cannot be read: %s", MANIFEST, strerror(errno));
    } else {
        char fp[SHA256_HEX_LEN];
        ed25519_fingerprint(key, fp);
        bool ok = ed25519_verify(key, man.data ? man.data : "", man.len,
                                 (const unsigned char *)sig.data, sig.len);
        if (ok)
            line(v, "signature", true, "%s is a valid Ed25519 signature of %s by %s "
                 "(public key SHA-256 %s)", SIGNATURE, MANIFEST, pubkey, fp);
        else
            line(v, "signature", false, "%s is not a valid signature of %s by %s: the "
                 "manifest was changed after signing, or another key signed it", SIGNATURE,
                 MANIFEST, pubkey);
    }
    buf_dispose(&sig);
    buf_dispose(&man);
    free(sig_path);
    free(man_path);
}

/* ---- 2. the manifest ---- */

struct entry {
    char *name;
    char sha[SHA256_HEX_LEN];
    bool seen;
};

struct entries {
    struct entry *v;
    size_t n, cap;
};

static void entries_dispose(struct entries *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].name);
    free(e->v);
}

static struct entry *find_entry(const struct entries *e, const char *name)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->v[i].name, name) == 0)
            return &e->v[i];
    return NULL;
}

/* A name the bundle may hold: relative, no empty, "." or ".." part. */
static bool safe_rel(const char *name)
{
    if (!*name || name[0] == '/')
        return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += n;
        if (*p == '/')
            p++;
        if (!*p && p[-1] == '/')
            return false;
    }
    return true;
}

/* One line of `sha256sum` output: "HEX  NAME" or "HEX *NAME"; a line
 * starting with '\' has "\\n" and "\\\\" escapes in its name (GNU). */
static int parse_line(char *ln, struct entry *e)
{
    bool escaped = ln[0] == '\\';
    if (escaped)
        ln++;
    if (strlen(ln) < 66 || strspn(ln, "0123456789abcdef") != 64 || ln[64] != ' ' ||
        (ln[65] != ' ' && ln[65] != '*'))
        return -1;
    memcpy(e->sha, ln, 64);
    e->sha[64] = '\0';
    char *name = ln + 66, *o = name;
    for (const char *p = name; *p; p++) {
        if (escaped && p[0] == '\\' && (p[1] == 'n' || p[1] == '\\')) {
            *o++ = p[1] == 'n' ? '\n' : '\\';
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    e->name = xstrdup(name);
    return 0;
}

static int read_manifest(struct vr *v, struct entries *out)
{
    char *path = in_bundle(v, MANIFEST);
    struct buf b = BUF_INIT;
    int rc = slurp(path, &b, MANIFEST_MAX);
    free(path);
    if (rc < 0) {
        line(v, "manifest", false, "%s %s: this is not an evidence bundle, or it was taken "
             "apart", MANIFEST, errno == ENOENT ? "is missing" : strerror(errno));
        buf_dispose(&b);
        return -1;
    }
    char *text = b.data ? b.data : (char *)"";
    int lineno = 0;
    for (char *ln = text; *ln;) {
        char *nl = strchr(ln, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        struct entry e = {0};
        if (parse_line(ln, &e) < 0)
            line(v, "manifest", false, "%s:%d: not a sha256sum line (HASH, two spaces, NAME)",
                 MANIFEST, lineno);
        else if (!safe_rel(e.name) || strcmp(e.name, MANIFEST) == 0 ||
                 strcmp(e.name, SIGNATURE) == 0)
            line(v, "manifest", false, "%s:%d: '%s' is not a name a bundle may list", MANIFEST,
                 lineno, e.name);
        else if (find_entry(out, e.name))
            line(v, "manifest", false, "%s:%d: %s is listed twice", MANIFEST, lineno, e.name);
        else {
            XGROW(out->v, out->cap, out->n + 1);
            out->v[out->n++] = e;
            e.name = NULL;
        }
        free(e.name);
        if (!nl)
            break;
        ln = nl + 1;
    }
    buf_dispose(&b);
    return 0;
}

/* Every file under 'rel' (a folder of the bundle, "" = the top) that the
 * manifest does not list is a problem; so is anything but files and
 * folders. */
static void walk(struct vr *v, const char *rel, struct entries *man, size_t *files)
{
    char *path = *rel ? in_bundle(v, rel) : xstrdup(v->dir);
    DIR *dh = opendir(path);
    if (!dh) {
        line(v, "manifest", false, "%s: cannot list: %s", *rel ? rel : ".", strerror(errno));
        free(path);
        return;
    }
    /* Sorted, so that the lines come in the same order everywhere. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(dh));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(dh);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
        char *full = in_bundle(v, sub);
        struct stat st;
        if (lstat(full, &st) < 0) {
            line(v, "manifest", false, "%s: %s", sub, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            walk(v, sub, man, files);
        } else if (!*rel && (strcmp(sub, MANIFEST) == 0 || strcmp(sub, SIGNATURE) == 0)) {
            /* The manifest and its signature are not listed in it. */
        } else if (!S_ISREG(st.st_mode)) {
            line(v, "manifest", false, "%s: not a regular file", sub);
        } else {
            struct entry *e = find_entry(man, sub);
            (*files)++;
            if (!e) {
                line(v, "manifest", false, "%s: extra file, not in %s", sub, MANIFEST);
            } else {
                char sha[SHA256_HEX_LEN];
                e->seen = true;
                if (sha256_file(full, sha) < 0)
                    line(v, "manifest", false, "%s: cannot read: %s", sub, strerror(errno));
                else if (strcmp(sha, e->sha) != 0)
                    line(v, "manifest", false, "%s: its SHA-256 %.12s... is not the manifest's "
                         "%.12s...: the file was changed", sub, sha, e->sha);
            }
        }
        free(full);
        free(sub);
        free(names[i]);
    }
    free(names);
    free(path);
}

static void check_manifest(struct vr *v)
{
    struct entries man = {0};
    size_t before = v->problems, files = 0;
    if (read_manifest(v, &man) == 0) {
        walk(v, "", &man, &files);
        for (size_t i = 0; i < man.n; i++)
            if (!man.v[i].seen)
                line(v, "manifest", false, "%s: missing (listed in %s)", man.v[i].name,
                     MANIFEST);
        if (v->problems == before)
            line(v, "manifest", true, "%zu files, each with the SHA-256 %s lists; none missing, "
                 "none extra", files, MANIFEST);
    }
    entries_dispose(&man);
}

/* ---- 3. reproduce ---- */

/* run.json, read strictly: a missing or mistyped key is one problem. */
struct rj {
    struct vr *v;
    const char *bad;            /* the first problem */
    char where[128];
};

static json_t *get(struct rj *r, json_t *o, const char *key, json_type type, bool nullable)
{
    json_t *x = json_object_get(o, key);
    if (r->bad)
        return NULL;
    if (!x || (!(nullable && json_is_null(x)) && json_typeof(x) != type &&
               !(type == JSON_TRUE && json_is_boolean(x)) &&
               !(type == JSON_REAL && json_is_number(x)))) {
        snprintf(r->where, sizeof r->where, "'%s'", key);
        r->bad = x ? "has the wrong type" : "is missing";
        return NULL;
    }
    return json_is_null(x) ? NULL : x;
}

static const char *gstr(struct rj *r, json_t *o, const char *key, bool nullable)
{
    json_t *x = get(r, o, key, JSON_STRING, nullable);
    return x ? json_string_value(x) : NULL;
}

/* A bundle file named in run.json: a safe relative name, as a path. */
static char *gfile(struct rj *r, json_t *o, const char *key)
{
    const char *rel = gstr(r, o, key, false);
    if (!rel)
        return NULL;
    if (!safe_rel(rel)) {
        snprintf(r->where, sizeof r->where, "'%s'", key);
        r->bad = "is not a relative name inside the bundle";
        return NULL;
    }
    return in_bundle(r->v, rel);
}

static int64_t gtime(struct rj *r, json_t *o, const char *key)
{
    const char *t = gstr(r, o, key, false);
    int64_t ms = 0;
    if (t && time_parse(t, &ms) < 0) {
        snprintf(r->where, sizeof r->where, "'%s'", key);
        r->bad = "is not an RFC 3339 time";
    }
    return ms;
}

static int gsev(struct rj *r, json_t *o, const char *key)
{
    const char *s = gstr(r, o, key, true);
    int sev = s ? severity_parse(s) : -1;
    if (s && sev < 0) {
        snprintf(r->where, sizeof r->where, "'%s'", key);
        r->bad = "is not a severity";
    }
    return sev;
}

/* What verify needs from run.json. Paths point into the bundle. */
struct replay {
    struct build_settings s;
    struct build_file *rules, *waivers;
    const char **sets;
    char **paths;               /* every allocated path, freed together */
    size_t n_paths;
    char *records, *template_path;
    long html_max_findings;
    const char *companion;
    struct { char *path; const char *rel; enum format fmt; } *reports;
    size_t n_reports;
    const char *verdict;
    int exit_code;
    json_t *root;               /* owns the strings above */
};

static char *keep(struct replay *p, char *path)
{
    p->paths = xreallocarray(p->paths, p->n_paths + 1, sizeof *p->paths);
    p->paths[p->n_paths++] = path;
    return path;
}

static struct build_file *files_of(struct rj *r, struct replay *p, json_t *arr, size_t *n)
{
    *n = arr ? json_array_size(arr) : 0;
    struct build_file *f = xcalloc(*n + 1, sizeof *f);
    for (size_t i = 0; i < *n && !r->bad; i++) {
        json_t *e = json_array_get(arr, i);
        f[i].name = gstr(r, e, "name", false);
        f[i].path = keep(p, gfile(r, e, "file"));
    }
    return f;
}

static void read_settings(struct rj *r, struct replay *p, json_t *set)
{
    struct build_settings *s = &p->s;
    s->now_ms = gtime(r, set, "now");
    s->generated_at_ms = gtime(r, set, "generated_at");
    p->rules = files_of(r, p, get(r, set, "rules", JSON_ARRAY, false), &s->n_rules);
    p->waivers = files_of(r, p, get(r, set, "waivers", JSON_ARRAY, false), &s->n_waivers);
    s->rules = p->rules;
    s->waivers = p->waivers;
    json_t *sets = get(r, set, "set", JSON_ARRAY, false);
    s->n_sets = sets ? json_array_size(sets) : 0;
    p->sets = xcalloc(s->n_sets + 1, sizeof *p->sets);
    for (size_t i = 0; i < s->n_sets; i++)
        p->sets[i] = json_is_string(json_array_get(sets, i))
                     ? json_string_value(json_array_get(sets, i)) : "";
    s->sets = p->sets;
    /* Absent from bundles made before --where: every image. */
    s->where = json_object_get(set, "where") ? gstr(r, set, "where", true) : NULL;
    json_t *b = get(r, set, "baseline", JSON_OBJECT, true);
    if (b) {
        s->baseline.name = gstr(r, b, "name", false);
        s->baseline.path = keep(p, gfile(r, b, "file"));
    }
    json_t *t = get(r, set, "template", JSON_OBJECT, true);
    if (t)
        p->template_path = keep(p, gfile(r, t, "file"));
    s->fail_on = gsev(r, set, "fail_on");
    s->fail_on_new = gsev(r, set, "fail_on_new");
    json_t *x = get(r, set, "fail_on_expired_waivers", JSON_TRUE, false);
    s->fail_on_expired_waivers = json_is_true(x);
    x = get(r, set, "warn_expiring_days", JSON_INTEGER, false);
    s->warn_expiring_days = x ? json_integer_value(x) : 14;
    x = get(r, set, "max_waiver_days", JSON_INTEGER, true);
    s->has_max_waiver_days = x != NULL;
    s->max_waiver_days = x ? (long)json_integer_value(x) : 0;
    x = get(r, set, "html_max_findings", JSON_INTEGER, false);
    p->html_max_findings = x && json_integer_value(x) >= 0 ? (long)json_integer_value(x) : 0;
    s->quiet = true;
}

static int read_run(struct vr *v, struct replay *p)
{
    memset(p, 0, sizeof *p);
    char *path = in_bundle(v, "run.json");
    json_error_t je;
    p->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    free(path);
    if (!p->root) {
        line(v, "reproduce", false, "run.json cannot be read (%s): nothing can be re-evaluated",
             je.text);
        return -1;
    }
    struct rj r = {v, NULL, ""};
    const char *schema = gstr(&r, p->root, "schema", false);
    if (schema && strcmp(schema, "imgaudit-evidence-run") != 0) {
        snprintf(r.where, sizeof r.where, "'schema'");
        r.bad = "is not \"imgaudit-evidence-run\"";
    }
    json_t *ver = get(&r, p->root, "schema_version", JSON_INTEGER, false);
    if (ver && json_integer_value(ver) != 1) {
        snprintf(r.where, sizeof r.where, "'schema_version'");
        r.bad = "is not 1, the version this imgaudit reads";
    }
    json_t *set = get(&r, p->root, "settings", JSON_OBJECT, false);
    if (set)
        read_settings(&r, p, set);
    json_t *rec = get(&r, p->root, "records", JSON_OBJECT, false);
    if (rec)
        p->records = keep(p, gfile(&r, rec, "file"));
    json_t *reps = get(&r, p->root, "reports", JSON_ARRAY, false);
    p->n_reports = reps ? json_array_size(reps) : 0;
    p->reports = xcalloc(p->n_reports + 1, sizeof *p->reports);
    for (size_t i = 0; i < p->n_reports && !r.bad; i++) {
        json_t *e = json_array_get(reps, i);
        p->reports[i].rel = gstr(&r, e, "file", false);
        p->reports[i].path = keep(p, gfile(&r, e, "file"));
        const char *f = gstr(&r, e, "format", false);
        p->reports[i].fmt = f ? format_parse(f) : FMT_NONE;
        if (f && p->reports[i].fmt == FMT_NONE) {
            snprintf(r.where, sizeof r.where, "'format'");
            r.bad = "is not csv, xlsx, html or json";
        }
    }
    p->companion = gstr(&r, p->root, "html_companion", true);
    json_t *gate = get(&r, p->root, "gate", JSON_OBJECT, false);
    if (gate)
        p->verdict = gstr(&r, gate, "verdict", false);
    json_t *vers = get(&r, p->root, "versions", JSON_OBJECT, false);
    const char *made_by = vers ? gstr(&r, vers, "imgaudit", false) : NULL;
    if (made_by && strcmp(made_by, IMGAUDIT_VERSION) != 0)
        printf("reproduce: note: the bundle was made by imgaudit %s, this is %s: a report "
               "that differs may differ for that reason alone\n", made_by, IMGAUDIT_VERSION);
    json_t *ec = get(&r, p->root, "exit_code", JSON_INTEGER, false);
    p->exit_code = ec ? (int)json_integer_value(ec) : -1;
    if (r.bad) {
        line(v, "reproduce", false, "run.json: %s %s: the run cannot be re-evaluated", r.where,
             r.bad);
        return -1;
    }
    return 0;
}

static void replay_dispose(struct replay *p)
{
    for (size_t i = 0; i < p->n_paths; i++)
        free(p->paths[i]);
    free(p->paths);
    free(p->rules);
    free(p->waivers);
    free(p->sets);
    free(p->reports);
    json_decref(p->root);
}

/* The first error of 'd' as one line. */
static void first_error(const struct diags *d, char *out, size_t len)
{
    snprintf(out, len, "unknown error");
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == DIAG_ERROR) {
            if (d->v[i].file)
                snprintf(out, len, "%s: %s", d->v[i].file, d->v[i].msg);
            else
                snprintf(out, len, "%s", d->v[i].msg);
            return;
        }
}

/* Render every recorded report of 'rep' into a temporary folder and
 * compare each with the bundle's. */
static void compare_reports(struct vr *v, const struct replay *p, const struct report *rep)
{
    char *tmp = xasprintf("%s/imgaudit-verify-XXXXXX", tmpfile_dir());
    if (!mkdtemp(tmp)) {
        line(v, "reproduce", false, "cannot create a temporary folder: %s", strerror(errno));
        free(tmp);
        return;
    }
    atomic_track(tmp);
    struct render_job *jobs = xcalloc(p->n_reports + 1, sizeof *jobs);
    char **paths = xcalloc(p->n_reports + 1, sizeof *paths);
    for (size_t i = 0; i < p->n_reports; i++) {
        paths[i] = xasprintf("%s/%zu.%s", tmp, i + 1, format_name(p->reports[i].fmt));
        atomic_track(paths[i]);
        jobs[i] = (struct render_job){p->reports[i].fmt, paths[i], 0};
    }
    struct render_opts ro = RENDER_OPTS_INIT;
    ro.template_path = p->template_path;
    ro.html_max_findings = (size_t)p->html_max_findings;
    ro.full_findings_path = p->companion;
    struct diags rd = DIAGS_INIT;
    if ((size_t)render_reports(rep, jobs, p->n_reports, &ro, &rd) != p->n_reports) {
        char why[512];
        first_error(&rd, why, sizeof why);
        line(v, "reproduce", false, "the reports cannot be rendered again: %s", why);
    } else {
        for (size_t i = 0; i < p->n_reports; i++) {
            char where[512];
            int rc = first_difference(p->reports[i].path, paths[i], p->reports[i].fmt, where,
                                      sizeof where);
            if (rc == 0)
                line(v, "reproduce", true, "%s is reproduced byte for byte", p->reports[i].rel);
            else if (rc > 0)
                line(v, "reproduce", false, "%s differs from the re-evaluated report: first at %s",
                     p->reports[i].rel, where);
            else
                line(v, "reproduce", false, "%s: %s", p->reports[i].rel, where);
        }
    }
    diags_dispose(&rd);
    for (size_t i = 0; i < p->n_reports; i++) {
        unlink(paths[i]);
        atomic_untrack(paths[i]);
        free(paths[i]);
    }
    rmdir(tmp);
    atomic_untrack(tmp);
    free(tmp);
    free(paths);
    free(jobs);
}

static void check_reproduce(struct vr *v)
{
    struct replay p;
    if (read_run(v, &p) < 0) {
        replay_dispose(&p);
        return;
    }
    struct diags rd = DIAGS_INIT;
    struct build_inputs in;
    struct build_records rec;
    memset(&rec, 0, sizeof rec);
    struct report rep;
    report_init(&rep);
    int code = build_load(&p.s, &in, &rd);
    if (code == EXIT_OK)
        code = build_report(&p.s, &in, p.records, NULL, &rep, &rec, &rd);
    if (code != EXIT_OK) {
        char why[512];
        first_error(&rd, why, sizeof why);
        line(v, "reproduce", false, "the bundled records and inputs cannot be evaluated again: %s",
             why);
    } else {
        compare_reports(v, &p, &rep);
        int exit_code = rep.meta.gate == GATE_FAIL ? EXIT_GATE : EXIT_OK;
        const char *verdict = report_gate_name(rep.meta.gate);
        bool same = p.verdict && strcmp(p.verdict, verdict) == 0 && p.exit_code == exit_code;
        if (same)
            line(v, "reproduce", true, "gate verdict %s and exit code %d, as run.json records",
                 verdict, exit_code);
        else
            line(v, "reproduce", false, "gate verdict %s and exit code %d, but run.json records "
                 "%s and %d", verdict, exit_code, p.verdict ? p.verdict : "none", p.exit_code);
    }
    diags_dispose(&rd);
    build_records_dispose(&rec);
    build_inputs_dispose(&in);
    report_dispose(&rep);
    replay_dispose(&p);
}

int app_verify(const struct app_job *cfg, struct diags *d)
{
    if (cfg->args.n != 1) {
        diags_error(d, "verify needs one evidence bundle folder: imgaudit verify DIR "
                    "[--pubkey KEY.pub]");
        return EXIT_USAGE;
    }
    const char *dir = cfg->args.v[0];
    struct stat st;
    int there = stat(dir, &st) == 0;
    if (!there || !S_ISDIR(st.st_mode)) {
        diags_add(d, DIAG_ERROR, dir, 0, 0, 0, NULL, "%s (verify takes the folder of one "
                  "evidence bundle, DIR/<UTC time>-<hash>)",
                  there ? "not a folder" : strerror(errno));
        return EXIT_USAGE;
    }
    struct ed25519_key *key = NULL;
    if (cfg->pubkey && ed25519_load_public(&key, cfg->pubkey, d) < 0)
        return EXIT_USAGE;
    struct vr v = {dir, cfg->quiet, 0};
    check_signature(&v, cfg->pubkey, key);
    check_manifest(&v);
    check_reproduce(&v);
    ed25519_free(key);
    if (v.problems) {
        printf("verify: FAILED: %zu problem%s\n", v.problems, v.problems == 1 ? "" : "s");
        diags_add(d, DIAG_ERROR, dir, 0, 0, 0, NULL, "the evidence bundle does not verify "
                  "(%zu problem%s, listed above)", v.problems, v.problems == 1 ? "" : "s");
        return EXIT_DATA;
    }
    if (!cfg->quiet)
        printf("verify: OK: %s\n", cfg->pubkey ? "signed, complete and reproduced"
                                                : "complete and reproduced (signature not checked)");
    return EXIT_OK;
}
