/* SPDX-License-Identifier: MIT
 * Unit tests for what evidence rests on: the provenance file's name and
 * its write/read round trip (src/source/provenance.c), the names reports
 * give files (src/util/filelabel.c), Ed25519 signatures
 * (src/util/ed25519.c) and the ZIP reader (src/util/zipread.c). The
 * end-to-end behaviour is tests/cli/evidence.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/provenance.h"
#include "util/ed25519.h"
#include "util/filelabel.h"
#include "util/xalloc.h"
#include "util/zipread.h"

static void test_provenance_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"snap.jsonl", "snap.meta.json"},
        {"out/snap.jsonl", "out/snap.meta.json"},
        {"a.b/snap", "a.b/snap.meta.json"},
        {"snap", "snap.meta.json"},
        {"/t/weekly.2026-11-27.jsonl", "/t/weekly.2026-11-27.meta.json"},
        {".hidden", ".hidden.meta.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = provenance_path(cases[i][0]);
        assert_string_equal(p, cases[i][1]);
        free(p);
    }
}

/* Write 'p' (with the SHA-256 of nothing) into a new temporary file
 * named from the template 'path'. */
static void write_temp(struct provenance *p, char *path)
{
    snprintf(p->records_sha256, SHA256_HEX_LEN, "%s",
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(provenance_write(p, f), 0);
    fclose(f);
}

static void test_provenance_round_trip(void **state)
{
    (void)state;
    char f1[] = "namespace=prod", f2[] = "has_vul=true", ver[] = "9.9.9";
    char ep[] = "https://hss.example", pid[] = "pid", eps[] = "all_granted_eps";
    char *filters[] = {f1, f2};
    struct provenance p = {
        .imgaudit_version = ver, .endpoint = ep, .region = NULL,
        .project_id = pid, .enterprise_project_id = eps, .filters = filters,
        .n_filters = 2, .pulled_at_ms = 1795766400123, .total_num = 0,
        .records_received = 0, .pages = 1, .retries = 2, .duplicates_dropped = 3,
        .complete = true, .expected_records = 0,
    };
    char path[] = "/tmp/imgaudit-prov-XXXXXX";
    write_temp(&p, path);
    FILE *f;

    struct provenance q;
    struct buf raw = BUF_INIT;
    struct diags d = DIAGS_INIT;
    assert_int_equal(provenance_read(&q, path, &raw, &d), PROVENANCE_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(q.imgaudit_version, "9.9.9");
    assert_null(q.region);
    assert_string_equal(q.enterprise_project_id, "all_granted_eps");
    assert_int_equal(q.n_filters, 2);
    assert_string_equal(q.filters[1], "has_vul=true");
    assert_true(q.pulled_at_ms == 1795766400123);
    assert_true(q.total_num == 0 && q.complete && q.pages == 1 && q.retries == 2);
    assert_int_equal(q.duplicates_dropped, 3);
    assert_string_equal(q.records_sha256, p.records_sha256);
    assert_true(raw.len > 100 && strstr(raw.data, "\"pulled_at\": \"2026-11-27T08:00:00.123Z\""));
    provenance_dispose(&q);

    /* A mistyped key makes the document invalid, with a warning. */
    f = fopen(path, "w");
    fputs("{\"schema\": \"imgaudit-snapshot-provenance\", \"schema_version\": 1, "
          "\"imgaudit_version\": 1}", f);
    fclose(f);
    assert_int_equal(provenance_read(&q, path, NULL, &d), PROVENANCE_INVALID);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].level, DIAG_WARNING);
    assert_string_equal(d.v[0].msg, "snapshot provenance: 'imgaudit_version' has the wrong type");
    provenance_dispose(&q);
    unlink(path);
    assert_int_equal(provenance_read(&q, path, NULL, &d), PROVENANCE_MISSING);
    assert_int_equal(d.n, 1);
    provenance_dispose(&q);
    buf_dispose(&raw);
    diags_dispose(&d);
}

/* Version 2: several sources, each with its own counts, adding up to the
 * file's; a list that does not add up, or of one, is invalid. */
static void test_provenance_sources(void **state)
{
    (void)state;
    char ver[] = "9.9.9", e1[] = "https://a", e2[] = "https://b", r1[] = "cn-north-4";
    char p1[] = "proj-a", p2[] = "proj-b";
    struct provenance_source src[2] = {
        {.endpoint = e1, .region = r1, .project_id = p1, .pulled_at_ms = 1795766400000,
         .total_num = 3, .records_received = 3, .pages = 1, .complete = true,
         .expected_records = 3},
        {.endpoint = e2, .project_id = p2, .pulled_at_ms = 1795766401000, .total_num = 5,
         .records_received = 4, .pages = 1, .retries = 1, .complete = false,
         .expected_records = 5},
    };
    struct provenance p = {
        .imgaudit_version = ver, .pulled_at_ms = 1795766400000, .total_num = 8,
        .records_received = 7, .pages = 2, .retries = 1, .complete = false,
        .expected_records = 8, .sources = src, .n_sources = 2,
    };
    char path[] = "/tmp/imgaudit-prov-XXXXXX";
    write_temp(&p, path);
    FILE *f;

    struct provenance q;
    struct buf raw = BUF_INIT;
    struct diags d = DIAGS_INIT;
    assert_int_equal(provenance_read(&q, path, &raw, &d), PROVENANCE_OK);
    assert_int_equal(d.n, 0);
    assert_non_null(strstr(raw.data, "\"schema_version\": 2,"));
    assert_null(q.project_id);
    assert_null(q.endpoint);
    assert_int_equal(q.n_sources, 2);
    assert_string_equal(q.sources[0].project_id, "proj-a");
    assert_string_equal(q.sources[0].region, "cn-north-4");
    assert_null(q.sources[1].region);
    assert_string_equal(q.sources[1].endpoint, "https://b");
    assert_true(q.sources[1].pulled_at_ms == 1795766401000);
    assert_true(q.sources[1].records_received == 4 && q.sources[1].expected_records == 5 &&
                !q.sources[1].complete && q.sources[1].retries == 1);
    assert_true(q.sources[0].complete && q.records_received == 7);
    provenance_dispose(&q);

    /* The sources' records must add up to the file's. */
    src[1].records_received = 5;
    f = fopen(path, "w");
    assert_int_equal(provenance_write(&p, f), 0);
    fclose(f);
    assert_int_equal(provenance_read(&q, path, NULL, &d), PROVENANCE_INVALID);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].msg, "snapshot provenance: 'sources[].records_received' does "
                                    "not add up to records_received");
    provenance_dispose(&q);
    /* One source is a version 1 document, never a version 2 list of one. */
    src[1].records_received = 4;
    p.n_sources = 1;
    p.records_received = 3;
    f = fopen(path, "w");
    assert_int_equal(provenance_write(&p, f), 0);
    fclose(f);
    buf_clear(&raw);
    assert_int_equal(provenance_read(&q, path, &raw, &d), PROVENANCE_INVALID);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.v[1].msg, "snapshot provenance: 'sources' has fewer than two sources "
                                    "(one source is a version 1 document)");
    provenance_dispose(&q);
    unlink(path);
    buf_dispose(&raw);
    diags_dispose(&d);
}

static void test_file_label(void **state)
{
    (void)state;
    assert_string_equal(file_label("rules/default.yaml"), "rules/default.yaml");
    assert_string_equal(file_label("../x/r.yaml"), "../x/r.yaml");
    assert_string_equal(file_label("/home/ana/audit/rules.yaml"), "rules.yaml");
    assert_string_equal(file_label("/r.yaml"), "r.yaml");
    assert_string_equal(file_base("a/b/c.csv"), "c.csv");
    assert_string_equal(file_base("c.csv"), "c.csv");
}

/* Keys made by the openssl tool would need it at test time; a key pair
 * written here as PEM is the same format. */
static const char private_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIAbfSZ00dUX/Xbkv0DCUYNlEhkXf17vRhNyp2hpTBtV3\n"
    "-----END PRIVATE KEY-----\n";

static void test_ed25519(void **state)
{
    (void)state;
    char path[] = "/tmp/imgaudit-key-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, private_pem, sizeof private_pem - 1), sizeof private_pem - 1);
    close(fd);
    struct ed25519_key *k = NULL;
    struct diags d = DIAGS_INIT;
    assert_int_equal(ed25519_load_private(&k, path, &d), 0);
    unsigned char sig[ED25519_SIG_LEN];
    assert_int_equal(ed25519_sign(k, "manifest\n", 9, sig), 0);
    assert_true(ed25519_verify(k, "manifest\n", 9, sig, sizeof sig));
    assert_false(ed25519_verify(k, "manifest!", 9, sig, sizeof sig));
    assert_false(ed25519_verify(k, "manifest\n", 9, sig, sizeof sig - 1));
    sig[5] ^= 1;
    assert_false(ed25519_verify(k, "manifest\n", 9, sig, sizeof sig));
    char fp[SHA256_HEX_LEN];
    ed25519_fingerprint(k, fp);
    assert_int_equal(strlen(fp), 64);
    ed25519_free(k);
    /* A private key is not a public key. */
    assert_int_equal(ed25519_load_public(&k, path, &d), -1);
    assert_int_equal(d.errors, 1);
    unlink(path);
    diags_dispose(&d);
}

/* A stored ZIP entry, as `zip -0` writes one: the reader takes the
 * central directory's sizes and finds the data through the local header. */
static void test_zipread(void **state)
{
    (void)state;
    static const unsigned char zip[] = {
        /* local header: "a.txt", stored, 2 bytes "hi" */
        0x50, 0x4b, 0x03, 0x04, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0,
        'a', '.', 't', 'x', 't', 'h', 'i',
        /* central directory */
        0x50, 0x4b, 0x01, 0x02, 20, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 'a', '.', 't', 'x', 't',
        /* end of central directory: 1 entry, 51 bytes at 37 */
        0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 51, 0, 0, 0, 37, 0, 0, 0, 0, 0,
    };
    char path[] = "/tmp/imgaudit-zip-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, zip, sizeof zip), sizeof zip);
    close(fd);
    struct zip_entry *v;
    size_t n;
    char err[128];
    assert_int_equal(zip_read_all(path, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "a.txt");
    assert_int_equal(v[0].len, 2);
    assert_memory_equal(v[0].data, "hi", 2);
    assert_non_null(zip_find(v, n, "a.txt"));
    assert_null(zip_find(v, n, "b.txt"));
    zip_entries_free(v, n);
    /* Cut before its end: not a ZIP archive any more. */
    assert_int_equal(truncate(path, 40), 0);
    assert_int_equal(zip_read_all(path, &v, &n, err, sizeof err), -1);
    assert_string_equal(err, "not a ZIP archive");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provenance_path), cmocka_unit_test(test_provenance_round_trip),
        cmocka_unit_test(test_provenance_sources),
        cmocka_unit_test(test_file_label),      cmocka_unit_test(test_ed25519),
        cmocka_unit_test(test_zipread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
