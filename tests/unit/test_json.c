/* SPDX-License-Identifier: MIT
 * The JSON writer (src/render/json.c): the fixture report must give
 * tests/golden/json/small.json byte for byte (set IMGAUDIT_UPDATE_GOLDEN=1
 * to rewrite it after an intended change, then review the diff), and the
 * output must read back with every value intact and enough identity in
 * each finding to find its image again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/jsonout.h"
#include "render/render.h"
#include "writers_fixture.h"

#define GOLDEN "tests/golden/json/small.json"

static char *render_fixture(size_t *len)
{
    struct report rep;
    fixture_report(&rep);
    struct render_opts o = RENDER_OPTS_INIT;
    struct diags d = DIAGS_INIT;
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    assert_non_null(f);
    assert_int_equal(render_json(&rep, &o, f, &d), 0);
    fclose(f);
    assert_int_equal(d.errors, 0);
    diags_dispose(&d);
    report_dispose(&rep);
    return out;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        XGROW(data, cap, *len + 4096);
        size_t n = fread(data + *len, 1, 4096, f);
        *len += n;
        if (n < 4096)
            break;
    }
    fclose(f);
    return data;
}

static void test_golden(void **state)
{
    (void)state;
    size_t len, glen = 0;
    char *got = render_fixture(&len);
    if (getenv("IMGAUDIT_UPDATE_GOLDEN")) {
        FILE *f = fopen(GOLDEN, "wb");
        assert_non_null(f);
        fwrite(got, 1, len, f);
        fclose(f);
    }
    char *want = slurp(GOLDEN, &glen);
    if (!want)
        fail_msg("cannot read %s (run from the repository root)", GOLDEN);
    if (glen != len || memcmp(got, want, len) != 0) {
        size_t i = 0;
        while (i < len && i < glen && got[i] == want[i])
            i++;
        fail_msg("JSON differs from %s at byte %zu: got \"%.60s\"", GOLDEN, i, got + i);
    }
    free(want);
    free(got);
}

static void test_reads_back(void **state)
{
    (void)state;
    size_t len;
    char *got = render_fixture(&len);
    json_error_t err;
    json_t *j = json_loadb(got, len, 0, &err);
    if (!j)
        fail_msg("output is not JSON: %s at line %d", err.text, err.line);
    assert_int_equal(json_integer_value(json_object_get(j, "schema_version")),
                     REPORT_SCHEMA_VERSION);
    assert_int_equal(json_array_size(json_object_get(j, "inventory")), 3);
    json_t *findings = json_object_get(j, "findings");
    assert_int_equal(json_array_size(findings), 4);

    /* Worst first: the critical finding on image 101. */
    json_t *f0 = json_array_get(findings, 0);
    assert_string_equal(json_string_value(json_object_get(f0, "rule_id")), "IMG-VULNS");
    assert_int_equal(json_integer_value(json_object_get(f0, "id")), 101);
    /* The finding identity (docs/weekly.md) is on the finding itself. */
    const char *keys[] = {"rule_id", "namespace", "image_name", "image_version",
                          "registry_name", "first_seen", "change", "status"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        assert_non_null(json_object_get(f0, keys[k]));
    assert_string_equal(json_string_value(json_object_get(f0, "change")), "new");
    assert_true(json_is_null(json_object_get(f0, "waiver_id")));

    /* Hostile values come back unchanged. */
    json_t *f1 = json_array_get(findings, 1);
    assert_string_equal(
        json_string_value(json_object_get(f1, "namespace")),
        "<script>document.title='pwned'</script>");
    json_t *inv2 = json_array_get(json_object_get(j, "inventory"), 1);
    assert_string_equal(json_string_value(json_object_get(inv2, "registry_name")),
                        "r\xc3\xa9gistre \xe6\xb5\x8b\xe8\xaf\x95");
    /* Times are ISO 8601 UTC; a wrongly typed value is null, and counted. */
    json_t *inv0 = json_array_get(json_object_get(j, "inventory"), 0);
    assert_string_equal(json_string_value(json_object_get(inv0, "latest_update_time")),
                        "2025-11-24T08:00:00.500Z");
    json_t *inv3 = json_array_get(json_object_get(j, "inventory"), 2);
    assert_true(json_is_null(json_object_get(inv3, "image_size")));
    assert_true(json_array_size(json_object_get(j, "data_quality")) >= 1);
    json_decref(j);
    free(got);
}

static void test_write_error(void **state)
{
    (void)state;
    struct report rep;
    fixture_report(&rep);
    struct render_opts o = RENDER_OPTS_INIT;
    struct diags d = DIAGS_INIT;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(render_json(&rep, &o, f, &d), -1);
    assert_int_equal(d.errors, 1);
    fclose(f);
    diags_dispose(&d);
    report_dispose(&rep);
}

/* jsonout_line: the comma, newline and indent before each element, and
 * the same bytes as jansson's dump for short and long elements (the
 * buffer it encodes into grows from nothing past 16 and 64 KiB). */
static void test_line_lengths(void **state)
{
    (void)state;
    size_t sizes[] = {9, 16383, 16384, 16385, 100000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k] - 8;   /* {"k":""} around the value */
        char *v = malloc(n + 1);
        assert_non_null(v);
        for (size_t i = 0; i < n; i++)
            v[i] = (char)('a' + i % 26);
        v[n] = '\0';
        json_t *j = json_pack("{s:s}", "k", v);
        char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_int_equal(strlen(want), sizes[k]);
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        assert_non_null(f);
        assert_int_equal(jsonout_line(f, json_incref(j), true, 2), 0);
        assert_int_equal(jsonout_line(f, j, false, 4), 0);
        fclose(f);
        assert_int_equal(len, 2 * sizes[k] + 1 + 2 + 2 + 4);
        assert_memory_equal(out, "\n  ", 3);
        assert_memory_equal(out + 3, want, sizes[k]);
        assert_memory_equal(out + 3 + sizes[k], ",\n    ", 6);
        assert_memory_equal(out + 9 + sizes[k], want, sizes[k]);
        free(out);
        free(want);
        free(v);
    }
}

/* jsonout_line's own encoder against jansson's json_dumps (JSON_COMPACT |
 * JSON_PRESERVE_ORDER) on random trees: strings with quotes,
 * backslashes, every control character, NUL, and 2-, 3- and 4-byte
 * UTF-8; keys likewise (valid UTF-8: the writers' keys are literals);
 * integers at the extremes, reals, booleans, null, empty and nested
 * containers, objects whose keys are re-set or deleted. */
static unsigned long rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)(rnd_state >> 33) % n;
}

static size_t rnd_text(char *s, size_t max)
{
    static const char *const pieces[] = {
        "a", "Z", "0", " ", "/", "\"", "\\", "\b", "\f", "\n", "\r", "\t", "\x01",
        "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xe2\x80\xa8", "\xf0\x9f\x98\x80",
        "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "=HYPERLINK(", "<script>", "u0000"};
    size_t n = 0, k = rnd(12);
    for (size_t i = 0; i < k; i++) {
        if (rnd(16) == 0 && n + 1 < max) {
            s[n++] = '\0';
            continue;
        }
        const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
        size_t len = strlen(p);
        if (n + len >= max)
            break;
        memcpy(s + n, p, len);
        n += len;
    }
    s[n] = '\0';
    return n;
}

static json_t *rnd_value(int depth)
{
    char text[128];
    switch (rnd(depth > 4 ? 6 : 8)) {
    case 0: return json_null();
    case 1: return json_boolean(rnd(2));
    case 2: {
        static const json_int_t ints[] = {0, 1, -1, 42, INT64_MAX, INT64_MIN, 1000000007};
        return json_integer(ints[rnd(7)]);
    }
    case 3: {
        static const double reals[] = {0.0, -0.0, 0.1, 3.0, 1e300, -2.5e-7, 123456789.125};
        return json_real(reals[rnd(7)]);
    }
    case 4:
    case 5: {
        size_t n = rnd_text(text, sizeof text);
        return json_stringn(text, n);
    }
    case 6: {
        json_t *a = json_array();
        for (unsigned i = rnd(5); i > 0; i--)
            json_array_append_new(a, rnd_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (unsigned i = rnd(7); i > 0; i--) {
            size_t n = rnd_text(text, sizeof text);
            json_object_setn_new(o, text, n, rnd_value(depth + 1));
        }
        if (rnd(4) == 0)
            json_object_del(o, "a");
        return o;
    }
    }
}

static void test_encoder_same_as_jansson(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        json_t *j = round % 2 ? json_object() : json_array();
        for (unsigned i = rnd(6); i > 0; i--) {
            char key[128];
            size_t n = rnd_text(key, sizeof key);
            if (json_is_object(j))
                json_object_setn_new(j, key, n, rnd_value(0));
            else
                json_array_append_new(j, rnd_value(0));
        }
        char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_non_null(want);
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        assert_non_null(f);
        assert_int_equal(jsonout_line(f, j, true, 0), 0);
        fclose(f);
        assert_int_equal(len, strlen(want) + 1);
        assert_memory_equal(out + 1, want, len - 1);
        free(out);
        free(want);
    }
}

/* A string that is not UTF-8 (only json_stringn_nocheck can make one)
 * fails the element, as it fails jansson's dump. */
static void test_encoder_refuses_bad_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {"\x80", "\xff", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80",
                                      "\xed\xa0\x80", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80",
                                      "\xe2\x82", "ok\xf0\x9f\x98"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = json_pack("[s,o]", "fine", json_stringn_nocheck(bad[i], strlen(bad[i])));
        assert_null(json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER));
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        assert_non_null(f);
        assert_int_equal(jsonout_line(f, j, true, 0), -1);
        fclose(f);
        assert_int_equal(len, 0);   /* nothing of a failed element is written */
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_reads_back),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_line_lengths),
        cmocka_unit_test(test_encoder_same_as_jansson),
        cmocka_unit_test(test_encoder_refuses_bad_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
