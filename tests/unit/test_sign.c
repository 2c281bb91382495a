/* SPDX-License-Identifier: MIT
 * SDK-HMAC-SHA256 signing against the official vectors V1-V6 and the
 * HSS-shaped V7 of ../shared/reference/hss-api-facts.md, section 4.
 * Each vector is reproduced exactly: a one-byte difference in the
 * canonical request would be a 401 APIG.0301 against the real gateway. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "source/auth.h"
#include "source/hss.h"
#include "source/sign.h"
#include "util/hash.h"

#define EMPTY_HASH "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void check_auth(const struct sign_request *r, const char *ak, const char *sk,
                       const char *expected)
{
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(sign_authorization(&out, r, ak, sk), 0);
    assert_string_equal(buf_cstr(&out), expected);
    buf_dispose(&out);
}

/* V1: GoSDK signer_test.go test1; the underscore header is not signed. */
static void test_v1_go_get(void **state)
{
    (void)state;
    struct sign_param p[] = {{"limit", "1"}};
    struct sign_header h[] = {{"X-Sdk-Date", "20060102T150405Z"},
                              {"TEST_UNDERSCORE", "TEST_VALUE"}};
    struct sign_request r = {"GET", "/path", p, 1, h, 2, NULL, 0};

    struct buf creq, names;
    buf_init(&creq, 0);
    buf_init(&names, 0);
    assert_int_equal(sign_canonical_request(&creq, &names, &r), 0);
    assert_string_equal(buf_cstr(&creq),
        "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n" EMPTY_HASH);
    char hash[SHA256_HEX_LEN];
    sha256_hex(creq.data, creq.len, hash);
    assert_string_equal(hash,
        "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4");
    buf_dispose(&creq);
    buf_dispose(&names);

    check_auth(&r, "AccessKey", "SecretKey",
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
        "Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624");
}

/* V2: GoSDK test2, POST with the json.Encoder body (trailing LF). */
static void test_v2_go_post(void **state)
{
    (void)state;
    static const char body[] = "{\"Name\":\"test\",\"Id\":1}\n";
    char hash[SHA256_HEX_LEN];
    sha256_hex(body, strlen(body), hash);
    assert_string_equal(hash,
        "a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289");

    struct sign_param p[] = {{"key", "value"}};
    /* Go does not sign Content-Type, so it is not in the signed list. */
    struct sign_header h[] = {{"X-Sdk-Date", "20060102T150405Z"}};
    struct sign_request r = {"POST", "/path", p, 1, h, 1, body, strlen(body)};
    check_auth(&r, "AccessKey", "SecretKey",
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
        "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
}

/* V3: PySDK test_signer1, which signs host. */
static void test_v3_py_get(void **state)
{
    (void)state;
    struct sign_param p[] = {{"size", "1"}};
    struct sign_header h[] = {{"X-Sdk-Date", "20200608T023900Z"},
                              {"Host", "service.endpoint.myhuaweicloud.com"},
                              {"TEST_UNDERSCORE", "TEST_VALUE"}};
    struct sign_request r = {"GET", "/resources", p, 1, h, 3, "", 0};
    check_auth(&r, "AccessKey", "SecretKey",
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
        "Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842");
}

/* V4: PySDK test_signer2, POST with a body without trailing newline. */
static void test_v4_py_post(void **state)
{
    (void)state;
    static const char body[] = "{\"name\":\"test\",\"id\":1}";
    struct sign_param p[] = {{"size", "1"}};
    struct sign_header h[] = {{"X-Sdk-Date", "20200608T023900Z"},
                              {"Host", "service.endpoint.myhuaweicloud.com"},
                              {"TEST_UNDERSCORE", "TEST_VALUE"}};
    struct sign_request r = {"POST", "/resources", p, 1, h, 3, body, strlen(body)};
    check_auth(&r, "AccessKey", "SecretKey",
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
        "Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f");
}

/* V5: the signing guide's worked example: canonical request, string to
 * sign and signature. The AK is masked in the guide; it does not enter
 * the signature. Header values are given untrimmed on purpose. */
static void test_v5_guide(void **state)
{
    (void)state;
    struct sign_param p[] = {{"marker", "13551d6b-755d-4757-b956-536f674975c0"},
                             {"limit", "2"}};
    struct sign_header h[] = {{"Content-Type", "application/json"},
                              {"Host", " service.region.example.com "},
                              {"X-Sdk-Date", "20191115T033655Z"}};
    struct sign_request r = {"GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
                             p, 2, h, 3, NULL, 0};
    struct buf creq, names, sts;
    buf_init(&creq, 0);
    buf_init(&names, 0);
    buf_init(&sts, 0);
    assert_int_equal(sign_canonical_request(&creq, &names, &r), 0);
    assert_string_equal(buf_cstr(&creq),
        "GET\n"
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
        "content-type:application/json\n"
        "host:service.region.example.com\n"
        "x-sdk-date:20191115T033655Z\n"
        "\n"
        "content-type;host;x-sdk-date\n"
        EMPTY_HASH);
    assert_string_equal(buf_cstr(&names), "content-type;host;x-sdk-date");
    assert_int_equal(sign_string_to_sign(&sts, "20191115T033655Z", buf_cstr(&creq)), 0);
    assert_string_equal(buf_cstr(&sts),
        "SDK-HMAC-SHA256\n20191115T033655Z\n"
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    buf_dispose(&creq);
    buf_dispose(&names);
    buf_dispose(&sts);

    check_auth(&r, "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, "
        "SignedHeaders=content-type;host;x-sdk-date, "
        "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
}

/* V6: the canonical query string vector shared by GoSDK and PySDK. */
static void test_v6_query(void **state)
{
    (void)state;
    struct sign_param p[] = {
        {"limit", "1"}, {"enable", "true"},
        {"test", "\xe4\xb8\x80 (&=?!#%.*)"}, {"path", "/tmp/123"},
        {"multi", "3"}, {"multi", "1"}, {"multi", "2"},
    };
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(sign_canonical_query(&out, p, sizeof p / sizeof *p), 0);
    assert_string_equal(buf_cstr(&out),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&"
        "test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29");
    buf_dispose(&out);
}

/* V7: an HSS-shaped request as fetch.c builds it (host, x-project-id,
 * x-sdk-date signed). */
static void test_v7_hss(void **state)
{
    (void)state;
    struct sign_param p[] = {{"limit", "10"}, {"offset", "0"},
                             {"enterprise_project_id", "all_granted_eps"},
                             {"image_name", "nginx"}, {"scan_status", "success"}};
    struct sign_header h[] = {{"Host", "hss.cn-north-4.myhuaweicloud.com"},
                              {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
                              {"X-Sdk-Date", "20240101T000000Z"}};
    struct sign_request r = {"GET",
        "/v5/0123456789abcdef0123456789abcdef/image/registries/images",
        p, 5, h, 3, NULL, 0};
    struct buf creq, names, sts;
    buf_init(&creq, 0);
    buf_init(&names, 0);
    buf_init(&sts, 0);
    assert_int_equal(sign_canonical_request(&creq, &names, &r), 0);
    assert_string_equal(buf_cstr(&creq),
        "GET\n/v5/0123456789abcdef0123456789abcdef/image/registries/images/\n"
        "enterprise_project_id=all_granted_eps&image_name=nginx&limit=10&offset=0&"
        "scan_status=success\n"
        "host:hss.cn-north-4.myhuaweicloud.com\n"
        "x-project-id:0123456789abcdef0123456789abcdef\n"
        "x-sdk-date:20240101T000000Z\n\n"
        "host;x-project-id;x-sdk-date\n" EMPTY_HASH);
    assert_int_equal(sign_string_to_sign(&sts, "20240101T000000Z", buf_cstr(&creq)), 0);
    assert_string_equal(buf_cstr(&sts), "SDK-HMAC-SHA256\n20240101T000000Z\n"
        "9e6564c71d97ace16d73d0a80c76decebddbf5b8c589bfac3a78fd98bb320cb9");
    buf_dispose(&creq);
    buf_dispose(&names);
    buf_dispose(&sts);
    check_auth(&r, "AKEXAMPLE", "SKEXAMPLE",
        "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-project-id;x-sdk-date, "
        "Signature=0f5d4220717df4cf7b9d749f70b611f8003bfe53bc3f064d01bbdebf743131d2");
}

static void test_escape_path_and_errors(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(sign_escape_path(&out, "/v5/a b/\xc3\xa9/x~y"), 0);
    assert_string_equal(buf_cstr(&out), "/v5/a%20b/%C3%A9/x~y");
    buf_dispose(&out);

    /* No X-Sdk-Date: refuse rather than sign something the gateway rejects. */
    struct sign_header h[] = {{"Host", "example"}};
    struct sign_request r = {"GET", "/", NULL, 0, h, 1, NULL, 0};
    buf_init(&out, 0);
    assert_int_equal(sign_authorization(&out, &r, "a", "s"), -1);
    buf_dispose(&out);

    /* A capped buffer reports -1 instead of truncating. */
    buf_init(&out, 4);
    assert_int_equal(sign_escape(&out, "abcdef", 6), -1);
    buf_dispose(&out);

    char date[17];
    sign_format_date(1704067200, date);
    assert_string_equal(date, "20240101T000000Z");
}

/* What a server echoes back is scrubbed of secrets before it is cut to
 * size: a long IAM token straddling the 300-byte cut must not leave its
 * first half behind (fetch.c passes the SK, tokens and the signature). */
static void test_scrub_echoed_secrets(void **state)
{
    (void)state;
    char token[1001];
    memset(token, 'T', 1000);
    memcpy(token, "TOKEN-", 6);
    token[1000] = '\0';
    const char *secrets[] = {token, "SKsecret0123", NULL};
    struct buf body, out;
    buf_init(&body, 0);
    buf_init(&out, 0);
    buf_printf(&body, "{\"error_code\":\"X.1\",\"error_msg\":\"%0250d %s SKsecret0123\"}", 0,
               token);
    hss_describe_error(&out, 401, body.data, body.len, secrets);
    assert_null(strstr(buf_cstr(&out), "TOKEN-"));
    assert_null(strstr(buf_cstr(&out), "SKsecret"));
    assert_non_null(strstr(buf_cstr(&out), " *** ***"));
    /* Not JSON: the raw body, scrubbed the same way. */
    buf_clear(&out);
    hss_describe_error(&out, 502, token, strlen(token), secrets);
    assert_string_equal(buf_cstr(&out), "HTTP 502: ***");
    buf_dispose(&out);
    buf_dispose(&body);

    /* Bytes after a NUL are scrubbed too; secrets under 6 bytes are not
     * looked for (they would mangle ordinary text). */
    char raw[] = "a\0SKsecret0123 xy";
    size_t n = auth_scrub(raw, sizeof raw - 1, "SKsecret0123");
    assert_int_equal(n, 8);
    assert_memory_equal(raw, "a\0*** xy", 8);
    assert_int_equal(auth_scrub(raw, n, "xy"), n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_go_get),
        cmocka_unit_test(test_v2_go_post),
        cmocka_unit_test(test_v3_py_get),
        cmocka_unit_test(test_v4_py_post),
        cmocka_unit_test(test_v5_guide),
        cmocka_unit_test(test_v6_query),
        cmocka_unit_test(test_v7_hss),
        cmocka_unit_test(test_escape_path_and_errors),
        cmocka_unit_test(test_scrub_echoed_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
