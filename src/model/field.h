/* SPDX-License-Identifier: MIT
 * The schema of an image record: every documented field of the API's
 * RegistryImagesInfo (see ../shared/reference), with its type and, for
 * enumerations, the documented values. One table, read by the decoder,
 * the rule checker (names, types, did-you-mean) and the writers (column
 * names), so a new field is added in one place: field.c. */
#ifndef IMGAUDIT_FIELD_H
#define IMGAUDIT_FIELD_H
#include <stddef.h>

enum ftype {
    FT_INT,     /* 64-bit integer */
    FT_TIME,    /* integer, epoch milliseconds UTC */
    FT_STR,
    FT_BOOL,
    FT_LIST,    /* array of objects (association_images) */
};

/* RegistryImagesInfo, in the API document's order. */
enum field_id {
    F_ID, F_NAMESPACE, F_IMAGE_NAME, F_IMAGE_ID, F_IMAGE_DIGEST,
    F_IMAGE_VERSION, F_IMAGE_TYPE, F_REGISTRY_ID, F_REGISTRY_NAME,
    F_REGISTRY_TYPE, F_LATEST_VERSION, F_SCAN_STATUS, F_SCAN_FAILED_DESC,
    F_SCAN_FAILED_CODE, F_IMAGE_SIZE, F_LATEST_UPDATE_TIME,
    F_LATEST_SCAN_TIME, F_LATEST_SYNC_TIME, F_VUL_NUM,
    F_UNSAFE_SETTING_NUM, F_MALICIOUS_FILE_NUM, F_DOMAIN_NAME,
    F_SHARED_STATUS, F_SCANNABLE, F_IS_MULTIPLE_ARCH, F_INSTANCE_NAME,
    F_INSTANCE_ID, F_INSTANCE_URL, F_SEVERITY_LEVEL, F_ASSOCIATION_IMAGES,
    FIELD_COUNT
};

/* AssociateImagesInfo: the elements of association_images. */
enum assoc_id {
    A_ID, A_IMAGE_ID, A_IMAGE_NAME, A_IMAGE_VERSION, A_IMAGE_TYPE,
    A_NAMESPACE, A_IMAGE_DIGEST, A_SCAN_STATUS, A_VUL_NUM,
    A_UNSAFE_SETTING_NUM, A_MALICIOUS_FILE_NUM,
    ASSOC_COUNT
};

struct field_def {
    const char *name;
    enum ftype type;
    const char *const *values;  /* documented enum values, NULL-terminated; NULL if free text */
};

extern const struct field_def field_defs[FIELD_COUNT];
extern const struct field_def assoc_defs[ASSOC_COUNT];

/* Index of the field called 'name' ('len' bytes), or -1. */
int field_lookup(const char *name, size_t len);
int assoc_lookup(const char *name, size_t len);
/* Is 's' ('len' bytes) one of the documented values of 'def'? (true for free text) */
int field_value_known(const struct field_def *def, const char *s, size_t len);

#endif
