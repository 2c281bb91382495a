/* SPDX-License-Identifier: MIT
 * libcurl loaded on demand (source/curlload.h): the reasons a load
 * fails, and that the forwarding functions hand libcurl each argument
 * with its type (a long, a pointer, a function, a curl_off_t), which is
 * the part of the forwarding that the compiler cannot check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "source/curlload.h"

static void test_configured_library_loads(void **state)
{
    (void)state;
    char err[512] = "";
    assert_int_equal(curlload_try(IMGAUDIT_LIBCURL_SONAME, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void test_missing_library(void **state)
{
    (void)state;
    char err[512] = "";
    assert_int_equal(curlload_try("libimgaudit-absent.so.0", err, sizeof err), -1);
    assert_non_null(strstr(err, "libimgaudit-absent.so.0: cannot open shared object file"));
}

static void test_library_without_curl(void **state)
{
    (void)state;
    char err[512] = "";
    assert_int_equal(curlload_try("libz.so.1", err, sizeof err), -1);
    /* The first function of the table is the one missing. */
    static const char want[] = "libz.so.1: no curl_global_init (";
    assert_int_equal(strncmp(err, want, strlen(want)), 0);
    assert_non_null(strstr(err, "undefined symbol: curl_global_init"));
}

static size_t sink(char *p, size_t size, size_t n, void *u)
{
    (void)p;
    (void)u;
    return size * n;
}

static void test_arguments_reach_libcurl(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    assert_int_equal(curlload_open(&d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);

    CURL *e = curl_easy_init();
    assert_non_null(e);
    /* A pointer, and back through curl_easy_getinfo. */
    static int marker;
    assert_int_equal(curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)&marker), CURLE_OK);
    char *back = NULL;
    assert_int_equal(curl_easy_getinfo(e, CURLINFO_PRIVATE, &back), CURLE_OK);
    assert_ptr_equal(back, (char *)&marker);
    /* A long: libcurl accepts one value and refuses another. */
    assert_int_equal(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1),
                     CURLE_OK);
    assert_int_not_equal(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, 9999L), CURLE_OK);
    /* A curl_off_t: a negative size is refused, a positive one taken. */
    assert_int_equal(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40),
                     CURLE_OK);
    assert_int_equal(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)-1),
                     CURLE_BAD_FUNCTION_ARGUMENT);
    /* A function. */
    assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink), CURLE_OK);
    curl_easy_cleanup(e);

    CURLM *m = curl_multi_init();
    assert_non_null(m);
    assert_int_equal(curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, 4L), CURLM_OK);
    assert_int_equal(curl_multi_cleanup(m), CURLM_OK);

    CURLU *u = curl_url();
    assert_non_null(u);
    assert_int_equal(curl_url_set(u, CURLUPART_URL, "https://hss.example:8443/v5", 0),
                     CURLUE_OK);
    char *host = NULL;
    assert_int_equal(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
    assert_string_equal(host, "hss.example");
    curl_free(host);
    curl_url_cleanup(u);
    assert_non_null(curl_version_info(CURLVERSION_NOW)->version);
    diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_configured_library_loads),
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_library_without_curl),
        cmocka_unit_test(test_arguments_reach_libcurl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
