/* SPDX-License-Identifier: MIT
 * The reader's memory does not grow with the input: it reads a small
 * and a ten times larger generated file in each form and checks that the
 * peak resident size (getrusage ru_maxrss) barely moves. A reader that
 * held the whole document (json_loadf) would add about 8 times the file
 * size, so the bound below leaves no room for that while tolerating
 * allocator noise.
 *
 * Under AddressSanitizer, whose quarantine keeps freed records resident
 * on purpose, only the small reads run and the check is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "source/input.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* One ~600-byte record, numbered so that records differ. */
static void write_record(FILE *fp, size_t i)
{
    fprintf(fp,
            "{\"id\":%zu,\"namespace\":\"platform\",\"image_name\":\"order-service\","
            "\"image_id\":\"%064zx\",\"image_digest\":\"sha256:%064zx\","
            "\"image_version\":\"1.%zu.0\",\"image_type\":\"private_image\","
            "\"registry_type\":\"SwrPrivate\",\"scan_status\":\"success\","
            "\"image_size\":%zu,\"latest_scan_time\":1764230400000,"
            "\"vul_num\":%zu,\"unsafe_setting_num\":1,\"malicious_file_num\":0,"
            "\"severity_level\":\"High\",\"scannable\":true,\"is_multiple_arch\":false,"
            "\"association_images\":[{\"id\":%zu,\"image_version\":\"1.%zu.0-arm64\","
            "\"scan_status\":\"success\",\"vul_num\":3}],"
            "\"scan_failed_desc\":\"a \\\"quoted\\\" {text} with [brackets]\"}",
            i, i, i * 7, i % 100, 1000000 + i, i % 997, i + 1, i % 100);
}

/* A temporary file with 'n' records in 'form' (0 api, 1 array, 2 JSON Lines). */
static FILE *make_input(size_t n, int form)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    fputs(form == 0 ? "{\"total_num\":0,\"data_list\":[\n" : form == 1 ? "[\n" : "", fp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && form != 2)
            fputs(",\n", fp);
        write_record(fp, i);
        if (form == 2)
            fputc('\n', fp);
    }
    fputs(form == 0 ? "\n]}\n" : form == 1 ? "\n]\n" : "", fp);
    rewind(fp);
    return fp;
}

static long read_all(size_t n, int form)
{
    FILE *fp = make_input(n, form);
    struct input *in;
    struct diags d = DIAGS_INIT;
    input_open_stream(&in, fp, "mem.json", NULL);
    json_t *j;
    int rc;
    size_t got = 0;
    while ((rc = input_next(in, &j, &d)) == 1) {
        got++;
        json_decref(j);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(got, n);
    input_close(in);
    diags_dispose(&d);
    fclose(fp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;                /* KiB on Linux */
}

static void test_memory_flat(void **state)
{
    (void)state;
    long small = 0;
    for (int form = 0; form < 3; form++)
        small = read_all(6000, form);
#ifdef UNDER_ASAN
    (void)small;
    skip();
#else
    long large = 0;
    for (int form = 0; form < 3; form++)
        large = read_all(60000, form);
    /* 60000 records are ~40 MB of input per form. */
    if (large - small > 4096)
        fail_msg("peak RSS grew from %ld KiB to %ld KiB with 10x the input", small, large);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_flat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
