/* SPDX-License-Identifier: MIT
 * Fuzz target for the saved-input reader (--input FILE): the hand-written
 * chunked scanner that finds each record's extent and detects the form
 * (API body, JSON Lines, array), jansson on each extent, and the
 * JSON -> record mapping with its data-quality counts. Saved image lists
 * come from exports and other people's scripts, so every byte is
 * untrusted.
 *
 * Input layout (leading byte as options, as in cmark's fuzzer):
 *   byte 0, bits 0-2   chunk size, from chunk_sizes[] below: tiny chunks
 *                      put every token across a read boundary, which is
 *                      where a resumable scanner goes wrong
 *   byte 0, bit 3      a 512-byte record limit instead of the default,
 *                      to reach the "record too large" path
 *   the rest           the file's bytes
 *
 * Besides crashes and sanitizer reports, the target checks two promises
 * of input.h: records come out one per record, so no more of them than
 * half the bytes ("{}" is the smallest), a failed call hands out no
 * record, and input_info agrees with what was returned. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "model/record.h"
#include "source/input.h"


static const size_t chunk_sizes[8] = {1, 2, 3, 7, 16, 64, 4096, 0};

/* A broken promise is a bug like a crash: say which and abort, so that
 * libFuzzer saves the input. */
static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_input: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    struct input_opts o = INPUT_OPTS_INIT;
    o.chunk_size = chunk_sizes[data[0] & 7];
    o.max_record = (data[0] & 8) ? 512 : 0;
    const uint8_t *body = data + 1;
    size_t len = size - 1;

    /* fmemopen on a zero-size buffer is unspecified (test_input.c uses a
     * tmpfile for the same reason); /dev/null is an empty stream too. */
    FILE *fp = len ? fmemopen((void *)(uintptr_t)body, len, "rb")
                   : fopen("/dev/null", "rb");
    if (!fp)
        return 0;
    struct input *in;
    input_open_stream(&in, fp, "fuzz.json", &o);
    struct diags d = DIAGS_INIT;
    struct quality q;
    quality_init(&q);
    size_t records = 0, errors = 0;
    for (;;) {
        json_t *obj = NULL;
        int rc = input_next(in, &obj, &d);
        if (rc == 0)
            break;
        if (rc < 0) {
            check(obj == NULL, "input_next failed but set a record");
            /* After a bad record the reader carries on, after a fatal
             * error it repeats -1: either way a few rounds reach every
             * recovery path (test_input.c stops at 20 for the same
             * reason). */
            if (++errors >= 32)
                break;
            continue;
        }
        check(obj != NULL && json_is_object(obj), "input_next returned a non-object");
        struct record rec;
        record_decode_loaded(&rec, obj, records, input_record_flaws(in), &q);
        record_dispose(&rec);
        records++;
        check(records <= len / 2, "more records than the input can hold");
    }
    const struct input_info *info = input_info(in);
    check(info->records == records, "input_info counts other records");
    check(info->bytes <= len, "input_info counts more bytes than were read");

    fuzz_print_diags(&d);
    diags_dispose(&d);
    input_close(in);
    fclose(fp);
    return 0;
}
