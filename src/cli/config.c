/* SPDX-License-Identifier: MIT
 * Config file reading (INI or YAML via libyaml); see config.h. */
#include "cli/config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/suggest.h"
#include "util/xalloc.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

static const char *const known_keys[] = {
    "region", "endpoint", "allow_http", "project_id", "enterprise_project_id", "filter",
    "page_size", "concurrency", "max_rate", "timeout", "retries", "cacert", "insecure",
    "token_file", "allow_incomplete",
};
#define N_KEYS (sizeof known_keys / sizeof known_keys[0])

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
    if (strcmp(s, "filters") == 0) {
        free(s);
        s = xstrdup("filter");
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

/* Check 'key' and append the entry; the value is copied. */
static int add_entry(struct config_file *cf, char *key, const char *val, size_t vlen,
                     int line, struct diags *d)
{
    const char *hint = secret_hint(key);
    if (hint) {
        diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL,
                  "'%s' is a secret: secrets are never read from config files "
                  "(they end up in backups and repositories); set %s instead", key, hint);
        free(key);
        return -1;
    }
    bool known = false;
    for (size_t i = 0; i < N_KEYS; i++)
        known |= strcmp(known_keys[i], key) == 0;
    if (!known) {
        const char *best = suggest_best(key, strlen(key), known_keys, N_KEYS);
        struct buf b = BUF_INIT;
        for (size_t i = 0; i < N_KEYS; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", known_keys[i]);
        diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL,
                  "unknown setting '%s'%s%s%s; known: %s", key,
                  best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "",
                  buf_cstr(&b));
        buf_dispose(&b);
        free(key);
        return -1;
    }
    XGROW(cf->v, cf->cap, cf->n + 1);
    cf->v[cf->n++] = (struct config_entry){key, xstrndup(val, vlen), line};
    return 0;
}

/* ---- INI ---- */

static int parse_ini(struct config_file *cf, const char *text, struct diags *d)
{
    int rc = 0;
    int line = 0;
    bool in_filter = false;
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
                diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL,
                          "expected a [section] line");
                rc = -1;
                continue;
            }
            char *sec = normalise_key(s + 1, n - 2);
            in_filter = strcmp(sec, "filter") == 0;
            free(sec);  /* other section names ([imgaudit], [hss]) only group */
            continue;
        }
        const char *eq = memchr(s, '=', n);
        if (!eq) {
            diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL, "expected KEY = VALUE");
            rc = -1;
            continue;
        }
        const char *v = eq + 1;
        size_t vn = n - (size_t)(v - s);
        while (vn && (*v == ' ' || *v == '\t'))
            v++, vn--;
        if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0])
            v++, vn -= 2;
        if (in_filter) {
            /* "[filter]\nnamespace = prod" is filter "namespace=prod". */
            char *fname = normalise_key(s, (size_t)(eq - s));
            char *fv = xasprintf("%s=%.*s", fname, (int)vn, v);
            free(fname);
            if (add_entry(cf, xstrdup("filter"), fv, strlen(fv), line, d) < 0)
                rc = -1;
            free(fv);
            continue;
        }
        if (add_entry(cf, normalise_key(s, (size_t)(eq - s)), v, vn, line, d) < 0)
            rc = -1;
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

static int parse_yaml_mapping(struct config_file *cf, yaml_document_t *doc,
                              yaml_node_t *root, struct diags *d)
{
    int rc = 0;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        int line = (int)k->start_mark.line + 1;
        const char *ks, *vs;
        size_t kl, vl;
        if (yaml_scalar(k, &ks, &kl) < 0) {
            diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL, "keys must be plain names");
            rc = -1;
            continue;
        }
        char *key = normalise_key(ks, kl);
        if (strcmp(key, "filter") == 0 && v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                yaml_node_t *e = yaml_document_get_node(doc, *it);
                if (yaml_scalar(e, &vs, &vl) < 0) {
                    diags_add(d, DIAG_ERROR, cf->path, (int)e->start_mark.line + 1, 0, 0,
                              NULL, "filter: expected NAME=VALUE strings");
                    rc = -1;
                } else if (add_entry(cf, xstrdup("filter"), vs, vl,
                                     (int)e->start_mark.line + 1, d) < 0) {
                    rc = -1;
                }
            }
            free(key);
            continue;
        }
        if (strcmp(key, "filter") == 0 && v->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *fp = v->data.mapping.pairs.start;
                 fp < v->data.mapping.pairs.top; fp++) {
                yaml_node_t *fk = yaml_document_get_node(doc, fp->key);
                yaml_node_t *fv = yaml_document_get_node(doc, fp->value);
                const char *fks;
                size_t fkl;
                int fline = (int)fk->start_mark.line + 1;
                if (yaml_scalar(fk, &fks, &fkl) < 0 || yaml_scalar(fv, &vs, &vl) < 0) {
                    diags_add(d, DIAG_ERROR, cf->path, fline, 0, 0, NULL,
                              "filter: expected NAME: VALUE pairs");
                    rc = -1;
                    continue;
                }
                char *f = xasprintf("%.*s=%.*s", (int)fkl, fks, (int)vl, vs);
                if (add_entry(cf, xstrdup("filter"), f, strlen(f), fline, d) < 0)
                    rc = -1;
                free(f);
            }
            free(key);
            continue;
        }
        if (yaml_scalar(v, &vs, &vl) < 0) {
            /* Check the name first: a secret's error must win. */
            const char *hint = secret_hint(key);
            if (hint) {
                add_entry(cf, key, "", 0, line, d);
            } else {
                diags_add(d, DIAG_ERROR, cf->path, line, 0, 0, NULL,
                          "'%s': expected a single value", key);
                free(key);
            }
            rc = -1;
            continue;
        }
        if (add_entry(cf, key, vs, vl, line, d) < 0)
            rc = -1;
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
    for (size_t i = 0; i < cf->n; i++) {
        free(cf->v[i].key);
        free(cf->v[i].value);
    }
    free(cf->v);
    free(cf->path);
    *cf = (struct config_file)CONFIG_FILE_INIT;
}

const struct config_entry *config_get(const struct config_file *cf, const char *key)
{
    for (size_t i = cf->n; i-- > 0;)
        if (strcmp(cf->v[i].key, key) == 0)
            return &cf->v[i];
    return NULL;
}
