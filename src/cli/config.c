/* SPDX-License-Identifier: MIT
 * Config file reading (INI or YAML via libyaml); see config.h. */
#include "cli/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/suggest.h"
#include "util/xalloc.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

static char *normalise_key(const char *k, size_t n)
{
    while (n && (*k == ' ' || *k == '\t'))
        k++, n--;
    while (n && (k[n - 1] == ' ' || k[n - 1] == '\t'))
        n--;
    char *s = xstrndup(k, n);
    for (char *p = s; *p; p++) {
        if (*p == '-')
            *p = '_';
        else if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    }
    return s;
}

/* Names that hold a secret, or look like they do. */
static const char *secret_hint(const char *key)
{
    static const char *const ak_names[] = {"ak", "access_key", "access_key_id",
                                           "huaweicloud_sdk_ak", "cloud_sdk_ak"};
    for (size_t i = 0; i < sizeof ak_names / sizeof ak_names[0]; i++)
        if (strcmp(key, ak_names[i]) == 0)
            return "HUAWEICLOUD_SDK_AK (with HUAWEICLOUD_SDK_SK)";
    if (strcmp(key, "token_file") == 0)
        return NULL;
    if (strcmp(key, "sk") == 0 || strstr(key, "secret"))
        return "HUAWEICLOUD_SDK_SK";
    if (strstr(key, "security_token"))
        return "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    if (strstr(key, "token"))
        return "IMGAUDIT_AUTH_TOKEN or --token-file";
    if (strstr(key, "password") || strstr(key, "passwd"))
        return "an IAM token in --token-file";
    return NULL;
}

/* A diagnostic at 'line' of the file. */
static void config_error(struct config_file *cf, int line, struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void config_error(struct config_file *cf, int line, struct diags *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL, "%s", buf_cstr(&b));
    buf_dispose(&b);
}

/* The option 'key' sets, or NULL after an error: a secret (checked
 * first, so that its error wins), or an unknown key. */
static const struct cli_option *key_option(struct config_file *cf, const char *key, int line,
                                           struct diags *d)
{
    const char *hint = secret_hint(key);
    if (hint) {
        config_error(cf, line, d,
                     "'%s' is a secret: secrets are never read from config files "
                     "(they end up in backups and repositories); set %s instead", key, hint);
        return NULL;
    }
    const struct cli_option *opt = cli_option_by_key(key);
    if (opt)
        return opt;
    const char *keys[OPTION_COUNT];
    size_t n = 0;
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].key) {
            buf_printf(&b, "%s%s", n ? ", " : "", cli_options[i].key);
            keys[n++] = cli_options[i].key;
        }
    const char *best = suggest_best(key, strlen(key), keys, n);
    config_error(cf, line, d, "unknown setting '%s'%s%s%s; known: %s", key,
                 best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "",
                 buf_cstr(&b));
    buf_dispose(&b);
    return NULL;
}

static void add_entry(struct config_file *cf, const struct cli_option *opt, const char *val,
                      size_t vlen, int line)
{
    XGROW(cf->v, cf->cap, cf->n + 1);
    cf->v[cf->n++] = (struct config_entry){opt, xstrndup(val, vlen), line};
}

/* Lists of NAME=VALUE (filter, set) also come as a mapping or section. */
static bool takes_pairs(const struct cli_option *opt)
{
    return opt->kind == ARG_LIST && strcmp(opt->metavar, "NAME=VALUE") == 0;
}

/* ---- INI ---- */

static int parse_ini(struct config_file *cf, const char *text, struct diags *d)
{
    int rc = 0;
    int line = 0;
    const struct cli_option *section = NULL;   /* a NAME=VALUE list's [section] */
    const char *p = text;
    while (*p) {
        line++;
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        const char *s = p;
        p = eol ? eol + 1 : p + n;
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == 0 || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            if (s[n - 1] != ']') {
                config_error(cf, line, d, "expected a [section] line");
                rc = -1;
                continue;
            }
            char *sec = normalise_key(s + 1, n - 2);
            section = cli_option_by_key(sec);
            if (section && !takes_pairs(section))
                section = NULL;     /* other names ([imgaudit], [hss]) only group */
            free(sec);
            continue;
        }
        const char *eq = memchr(s, '=', n);
        if (!eq) {
            config_error(cf, line, d, "expected KEY = VALUE");
            rc = -1;
            continue;
        }
        const char *v = eq + 1;
        size_t vn = n - (size_t)(v - s);
        while (vn && (*v == ' ' || *v == '\t'))
            v++, vn--;
        if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0])
            v++, vn -= 2;
        char *key = normalise_key(s, (size_t)(eq - s));
        if (section) {
            /* "[filter]\nnamespace = prod" is filter "namespace=prod". */
            char *pair = xasprintf("%s=%.*s", key, (int)vn, v);
            add_entry(cf, section, pair, strlen(pair), line);
            free(pair);
        } else {
            const struct cli_option *opt = key_option(cf, key, line, d);
            if (opt)
                add_entry(cf, opt, v, vn, line);
            else
                rc = -1;
        }
        free(key);
    }
    return rc;
}

/* ---- YAML ---- */

static int yaml_scalar(yaml_node_t *n, const char **s, size_t *len)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return -1;
    *s = (const char *)n->data.scalar.value;
    *len = n->data.scalar.length;
    return 0;
}

static int yaml_line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

/* One project of a config file's project list, an item of `source`:
 * {region: R, project_id: P, enterprise_project_id: E} is the source
 * "R/P/E" (--source's form, which pull.c checks). */
static int source_mapping(struct config_file *cf, yaml_document_t *doc, yaml_node_t *m,
                          struct diags *d)
{
    static const char *const names[] = {"region", "project_id", "enterprise_project_id"};
    char *part[3] = {NULL, NULL, NULL};
    int rc = 0;
    for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        const char *ks, *vs;
        size_t kl, vl;
        if (yaml_scalar(k, &ks, &kl) < 0 || yaml_scalar(v, &vs, &vl) < 0) {
            config_error(cf, yaml_line(k), d, "source: expected NAME: VALUE pairs");
            rc = -1;
            continue;
        }
        char *key = normalise_key(ks, kl);
        size_t i = 0;
        while (i < 3 && strcmp(key, names[i]) != 0)
            i++;
        if (i == 3) {
            config_error(cf, yaml_line(k), d, "source: unknown key '%s' (region, project_id, "
                         "enterprise_project_id)", key);
            rc = -1;
        } else {
            free(part[i]);
            part[i] = xstrndup(vs, vl);
        }
        free(key);
    }
    if (rc == 0 && (!part[0] || !part[1])) {
        config_error(cf, yaml_line(m), d, "source: needs region and project_id");
        rc = -1;
    }
    if (rc == 0) {
        char *spec = xasprintf("%s/%s%s%s", part[0], part[1], part[2] ? "/" : "",
                               part[2] ? part[2] : "");
        add_entry(cf, cli_option_by_key("source"), spec, strlen(spec), yaml_line(m));
        free(spec);
    }
    for (size_t i = 0; i < 3; i++)
        free(part[i]);
    return rc;
}

static int parse_yaml_mapping(struct config_file *cf, yaml_document_t *doc,
                              yaml_node_t *root, struct diags *d)
{
    int rc = 0;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        int line = yaml_line(k);
        const char *ks, *vs;
        size_t kl, vl;
        if (yaml_scalar(k, &ks, &kl) < 0) {
            config_error(cf, line, d, "keys must be plain names");
            rc = -1;
            continue;
        }
        char *key = normalise_key(ks, kl);
        const struct cli_option *opt = key_option(cf, key, line, d);
        if (!opt) {
            rc = -1;
        } else if (v->type == YAML_SEQUENCE_NODE && opt->kind == ARG_LIST) {
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                yaml_node_t *e = yaml_document_get_node(doc, *it);
                if (e->type == YAML_MAPPING_NODE && strcmp(opt->name, "source") == 0) {
                    if (source_mapping(cf, doc, e, d) < 0)
                        rc = -1;
                } else if (yaml_scalar(e, &vs, &vl) < 0) {
                    config_error(cf, yaml_line(e), d, "%s: expected %s strings", key,
                                 opt->metavar);
                    rc = -1;
                } else {
                    add_entry(cf, opt, vs, vl, yaml_line(e));
                }
            }
        } else if (v->type == YAML_MAPPING_NODE && takes_pairs(opt)) {
            for (yaml_node_pair_t *fp = v->data.mapping.pairs.start;
                 fp < v->data.mapping.pairs.top; fp++) {
                yaml_node_t *fk = yaml_document_get_node(doc, fp->key);
                yaml_node_t *fv = yaml_document_get_node(doc, fp->value);
                const char *fks;
                size_t fkl;
                if (yaml_scalar(fk, &fks, &fkl) < 0 || yaml_scalar(fv, &vs, &vl) < 0) {
                    config_error(cf, yaml_line(fk), d, "%s: expected NAME: VALUE pairs", key);
                    rc = -1;
                    continue;
                }
                char *f = xasprintf("%.*s=%.*s", (int)fkl, fks, (int)vl, vs);
                add_entry(cf, opt, f, strlen(f), yaml_line(fk));
                free(f);
            }
        } else if (yaml_scalar(v, &vs, &vl) < 0) {
            config_error(cf, line, d, "'%s': expected %s", key,
                         opt->kind == ARG_LIST ? "a value or a list of values"
                                               : "a single value");
            rc = -1;
        } else {
            add_entry(cf, opt, vs, vl, line);
        }
        free(key);
    }
    return rc;
}

/* 1: parsed as YAML (rc in '*rc'); 0: not a YAML mapping, try INI. */
static int try_yaml(struct config_file *cf, const char *text, size_t len, int *rc,
                    struct diags *d)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return 0;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int handled = 0;
    if (yaml_parser_load(&parser, &doc)) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type == YAML_MAPPING_NODE) {
            handled = 1;
            *rc = parse_yaml_mapping(cf, &doc, root, d);
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return handled;
}

int config_load(struct config_file *cf, const char *path, struct diags *d)
{
    *cf = (struct config_file)CONFIG_FILE_INIT;
    cf->path = xstrdup(path);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read config file: %s",
                  strerror(errno));
        return -1;
    }
    struct buf b;
    buf_init(&b, CONFIG_MAX_BYTES);
    int rc = buf_read_stream(&b, fp);
    if (rc == -1)
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL,
                  "config file is larger than %d bytes", CONFIG_MAX_BYTES);
    else if (rc < 0)    /* not parsed: half a config is worse than none */
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read config file: %s",
                  strerror(errno));
    rc = rc < 0 ? -1 : 0;
    fclose(fp);
    if (rc == 0 && memchr(buf_cstr(&b), '\0', b.len)) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "config file is not text");
        rc = -1;
    }
    if (rc == 0 && !try_yaml(cf, buf_cstr(&b), b.len, &rc, d))
        rc = parse_ini(cf, buf_cstr(&b), d);
    buf_dispose(&b);
    return rc;
}

void config_dispose(struct config_file *cf)
{
    for (size_t i = 0; i < cf->n; i++)
        free(cf->v[i].value);
    free(cf->v);
    free(cf->path);
    *cf = (struct config_file)CONFIG_FILE_INIT;
}
