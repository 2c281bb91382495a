/* SPDX-License-Identifier: MIT
 * Fuzz target for the API response-page scanner (source/pagescan.c):
 * every ListRegistryImages body comes off the network, and the scanner
 * validates and copies it in one pass instead of letting jansson build a
 * tree, so it must agree with the snapshot's reader (jansson through
 * placeholder_loadb, model/placeholder.h) on what is valid JSON.
 *
 * Input layout: the whole input is the response body.
 *
 * A differential check against that reader, after the promises of
 * pagescan.h: when the reader rejects the body the scanner must reject
 * it too, and when the scanner calls it invalid JSON (which fetch
 * retries) the reader must reject it: valid JSON is never retried for
 * its content. Valid JSON that is not a page must read (nesting deeper
 * than the scanner's limit aside, where it stops reading). When the
 * scanner accepts a body, total_num is the reader's integer total_num,
 * there is one record per data_list element, each record reads to a
 * value equal to that element, carries no insignificant whitespace, and
 * its id (when it has one) is the element's "id". A broken promise
 * aborts, so that libFuzzer saves the input. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/placeholder.h"
#include "source/pagescan.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_pagescan: %s\n", what);
        abort();
    }
}

/* Whether the compact record 'p' ('n' bytes) has whitespace outside its
 * strings. Inside them a raw control character never passes the
 * scanner, so only spaces can be there, and they are data. */
static int has_outer_space(const char *p, size_t n)
{
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;        /* the escaped byte cannot end the string */
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return 1;
        }
    }
    return 0;
}

/* The scanner's id against jansson's reading of the element's "id". */
static void check_id(const struct pagescan_rec *r, const json_t *elem)
{
    const json_t *id = json_object_get(elem, "id");
    if (!r->has_id)
        return;     /* "when usable": falling back to a hash is safe */
    check(id != NULL, "has_id without an id member");
    if (json_is_integer(id)) {
        check(json_integer_value(id) == r->id, "id differs from the integer id");
    } else {
        check(json_is_string(id), "has_id with an id that is neither integer nor string");
        const char *s = json_string_value(id);
        size_t n = json_string_length(id);
        check(n > 0 && strspn(s, "0123456789") == n, "has_id with a non-digit string id");
        check(strtoll(s, NULL, 10) == r->id, "id differs from the string id");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    const char *body = (const char *)data;

    /* A page scanned first, so that reuse of 'ps' (fetch keeps one per
     * slot) must clear everything the earlier page left. */
    static const char first[] = "{\"total_num\":7,\"data_list\":[{\"id\":3},{\"id\":\"4\"}]}";
    struct pagescan ps;
    pagescan_init(&ps);
    char why[256];
    check(pagescan_parse(&ps, first, sizeof first - 1, why, sizeof why) == 0,
          "the fixed first page was rejected");

    memset(why, 0, sizeof why);
    int rc = pagescan_parse(&ps, body, size, why, sizeof why);
    json_error_t err;
    unsigned flaws;
    /* Any JSON value: a scalar body is valid JSON too (not a page). */
    json_t *root = placeholder_loadb(body, size, JSON_DECODE_ANY, &flaws, &err);

    if (rc != 0) {
        check(rc == PAGESCAN_INVALID_JSON || rc == PAGESCAN_NOT_A_PAGE, "unknown failure");
        check(why[0] != '\0', "rejected without a reason");
        check(memchr(why, '\0', sizeof why) != NULL, "the reason is not terminated");
        /* A raw NUL byte is never valid JSON, but jansson takes "6\0"
         * (a top-level number, then NUL) as 6: not the scanner's bug. */
        if (rc == PAGESCAN_INVALID_JSON) {
            if (!memchr(body, '\0', size))
                check(root == NULL, "called valid JSON invalid (fetch would retry it)");
        } else if (strncmp(why, "nesting deeper", 14) != 0) {
            check(root != NULL, "called invalid JSON valid (fetch would not retry it)");
        }
    } else {
        check(json_is_object(root), "accepted a body the snapshot reader rejects");
        const json_t *total = json_object_get(root, "total_num");
        check(json_is_integer(total), "accepted without an integer total_num");
        check(json_integer_value(total) == ps.total_num, "total_num differs");
        const json_t *dl = json_object_get(root, "data_list");
        check(json_is_array(dl), "accepted without a data_list array");
        check(json_array_size(dl) == ps.n, "record count differs");
        size_t off = 0;
        for (size_t i = 0; i < ps.n; i++) {
            const struct pagescan_rec *r = &ps.v[i];
            check(r->off == off, "records are not back to back");
            off += r->len;
            check(off <= ps.recs.len, "record past the end of recs");
            const char *text = ps.recs.data + r->off;
            const json_t *elem = json_array_get(dl, i);
            check(json_is_object(elem), "accepted a data_list element that is not an object");
            json_t *rec = placeholder_loadb(text, r->len, 0, &flaws, &err);
            check(rec != NULL, "a copied record does not parse");
            check(json_equal(rec, elem), "a copied record differs from the element");
            json_decref(rec);
            check(!has_outer_space(text, r->len), "whitespace left in a record");
            check_id(r, elem);
        }
        check(off == ps.recs.len, "bytes in recs beyond the records");
    }
    json_decref(root);
    pagescan_dispose(&ps);
    return 0;
}
