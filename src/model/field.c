/* SPDX-License-Identifier: MIT
 * The record schema table; see field.h. Enum values are from
 * ../shared/reference/hss-api-facts.md section 1. */
#include "model/field.h"

#include <string.h>

static const char *const image_types[] = {
    "private_image", "shared_image", "instance_image", "harbor", "jfrog", NULL};
static const char *const registry_types[] = {
    "SwrPrivate", "SwrShared", "SwrEnterprise", "Harbor", "Jfrog", "Other", NULL};
static const char *const scan_statuses[] = {
    "unscan", "success", "scanning", "failed", "download_failed",
    "image_oversized", "waiting_for_scan", NULL};
static const char *const shared_statuses[] = {"expired", "effective", NULL};
static const char *const severity_levels[] = {"Security", "Low", "Medium", "High", NULL};
static const char *const failed_codes[] = {
    "unknown_error", "authentication_failed", "download_failed",
    "image_over_sized", "get_detail_info_not_found", "image_layer_over_sized",
    "schema_v1_not_support", "access_swr_failed", "swr_authentication_error",
    "failed_to_scan_vulnerability", "failed_to_scan_file",
    "failed_to_scan_software", "failed_to_check_sensitive_information",
    "failed_to_check_baseline", "failed_to_check_software_compliance",
    "failed_to_query_basic_image_information", "failed_to_check_build_cmd",
    "response_timed_out", "database_error", "failed_to_send_the_scan_request",
    NULL};

const struct field_def field_defs[FIELD_COUNT] = {
    [F_ID] = {"id", FT_INT, NULL},
    [F_NAMESPACE] = {"namespace", FT_STR, NULL},
    [F_IMAGE_NAME] = {"image_name", FT_STR, NULL},
    [F_IMAGE_ID] = {"image_id", FT_STR, NULL},
    [F_IMAGE_DIGEST] = {"image_digest", FT_STR, NULL},
    [F_IMAGE_VERSION] = {"image_version", FT_STR, NULL},
    [F_IMAGE_TYPE] = {"image_type", FT_STR, image_types},
    [F_REGISTRY_ID] = {"registry_id", FT_STR, NULL},
    [F_REGISTRY_NAME] = {"registry_name", FT_STR, NULL},
    [F_REGISTRY_TYPE] = {"registry_type", FT_STR, registry_types},
    [F_LATEST_VERSION] = {"latest_version", FT_BOOL, NULL},
    [F_SCAN_STATUS] = {"scan_status", FT_STR, scan_statuses},
    [F_SCAN_FAILED_DESC] = {"scan_failed_desc", FT_STR, NULL},
    [F_SCAN_FAILED_CODE] = {"scan_failed_code", FT_STR, failed_codes},
    [F_IMAGE_SIZE] = {"image_size", FT_INT, NULL},
    [F_LATEST_UPDATE_TIME] = {"latest_update_time", FT_TIME, NULL},
    [F_LATEST_SCAN_TIME] = {"latest_scan_time", FT_TIME, NULL},
    [F_LATEST_SYNC_TIME] = {"latest_sync_time", FT_TIME, NULL},
    [F_VUL_NUM] = {"vul_num", FT_INT, NULL},
    [F_UNSAFE_SETTING_NUM] = {"unsafe_setting_num", FT_INT, NULL},
    [F_MALICIOUS_FILE_NUM] = {"malicious_file_num", FT_INT, NULL},
    [F_DOMAIN_NAME] = {"domain_name", FT_STR, NULL},
    [F_SHARED_STATUS] = {"shared_status", FT_STR, shared_statuses},
    [F_SCANNABLE] = {"scannable", FT_BOOL, NULL},
    [F_IS_MULTIPLE_ARCH] = {"is_multiple_arch", FT_BOOL, NULL},
    [F_INSTANCE_NAME] = {"instance_name", FT_STR, NULL},
    [F_INSTANCE_ID] = {"instance_id", FT_STR, NULL},
    [F_INSTANCE_URL] = {"instance_url", FT_STR, NULL},
    [F_SEVERITY_LEVEL] = {"severity_level", FT_STR, severity_levels},
    [F_ASSOCIATION_IMAGES] = {"association_images", FT_LIST, NULL},
};

const struct field_def assoc_defs[ASSOC_COUNT] = {
    [A_ID] = {"id", FT_INT, NULL},
    [A_IMAGE_ID] = {"image_id", FT_STR, NULL},
    [A_IMAGE_NAME] = {"image_name", FT_STR, NULL},
    [A_IMAGE_VERSION] = {"image_version", FT_STR, NULL},
    [A_IMAGE_TYPE] = {"image_type", FT_STR, image_types},
    [A_NAMESPACE] = {"namespace", FT_STR, NULL},
    [A_IMAGE_DIGEST] = {"image_digest", FT_STR, NULL},
    [A_SCAN_STATUS] = {"scan_status", FT_STR, scan_statuses},
    [A_VUL_NUM] = {"vul_num", FT_INT, NULL},
    [A_UNSAFE_SETTING_NUM] = {"unsafe_setting_num", FT_INT, NULL},
    [A_MALICIOUS_FILE_NUM] = {"malicious_file_num", FT_INT, NULL},
};

static int lookup(const struct field_def *defs, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(defs[i].name) == len && memcmp(defs[i].name, name, len) == 0)
            return i;
    return -1;
}

int field_lookup(const char *name, size_t len)
{
    return lookup(field_defs, FIELD_COUNT, name, len);
}

int assoc_lookup(const char *name, size_t len)
{
    return lookup(assoc_defs, ASSOC_COUNT, name, len);
}

int field_value_known(const struct field_def *def, const char *s, size_t len)
{
    if (!def->values)
        return 1;
    for (const char *const *v = def->values; *v; v++)
        if (strlen(*v) == len && memcmp(*v, s, len) == 0)
            return 1;
    return 0;
}
