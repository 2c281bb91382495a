/* SPDX-License-Identifier: MIT
 * Run-time library versions; see versions.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "app/versions.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <pcre2.h>
#include <xlsxwriter.h>
#include <yaml.h>
#include <zlib.h>

#include "source/curlload.h"

json_t *app_versions_json(void)
{
    json_t *o = json_object();
    char pcre[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    json_object_set_new(o, "imgaudit", json_string(IMGAUDIT_VERSION));
    /* libcurl is loaded on demand (source/curlload.h); a run that did
     * not need it still records which one it would use, or why none. */
    struct diags none = DIAGS_INIT;
    json_object_set_new(o, "libcurl",
                        json_string(curlload_open(&none) == 0
                                        ? curl_version_info(CURLVERSION_NOW)->version
                                        : "(cannot be loaded)"));
    diags_dispose(&none);
    json_object_set_new(o, "jansson", json_string(jansson_version_str()));
    json_object_set_new(o, "libxlsxwriter", json_string(lxw_version()));
    json_object_set_new(o, "pcre2", json_string(pcre));
    json_object_set_new(o, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
    json_object_set_new(o, "libyaml", json_string(yaml_get_version_string()));
    json_object_set_new(o, "zlib", json_string(zlibVersion()));
    return o;
}
