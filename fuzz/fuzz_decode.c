/* SPDX-License-Identifier: MIT
 * Fuzz target for the fast record decoder (model/fastdecode.h): every
 * input is one record's text, decoded both ways, with jansson
 * (record_decode, the reference) and with simdjson On-Demand
 * (fastdec_record), and compared cell by cell, count by count
 * (decode_diff.h). The fast decoder may decline a text; what it takes
 * must decode exactly as jansson does, or the input is saved as a crash.
 *
 * Input layout: the whole input is the record's text. */
#include <stdio.h>
#include <stdlib.h>

#include "decode_diff.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    char why[256];
    if (decode_diff((const char *)data, size, why, sizeof why) == DIFF_MISMATCH) {
        fprintf(stderr, "fuzz_decode: the decoders disagree: %s\n", why);
        abort();
    }
    return 0;
}
