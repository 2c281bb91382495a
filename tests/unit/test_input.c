/* SPDX-License-Identifier: MIT
 * Unit tests for the saved-input reader (source/input.c): the three
 * forms, detection, records across chunk boundaries, every error with
 * its exact text, the byte count and SHA-256, and the record decoder's
 * tolerance on the API document's own example and on values jansson
 * cannot hold.
 *
 * Most cases run once per chunk size in 'chunks' (1 byte up to the
 * default 64 KiB), so every token and record is also split across reads
 * at every possible point; the results must not depend on where. They
 * also run in raw mode (input_next_raw, as `report` reads), which must
 * hand out the same records up to the first error and report that error
 * in the same words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/placeholder.h"
#include "model/record.h"
#include "source/input.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

static const size_t chunks[] = {1, 2, 3, 7, 64, 0};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

/* What one read of a whole input gave. */
struct run {
    size_t records;             /* records returned */
    struct buf keys;            /* "k1,k2;" per record: its first key and record count */
    char *diags;                /* diags_print output */
    struct input_info info;     /* copied at the end (path not kept) */
    size_t keys_at_error;       /* keys.len when the first error came */
    char *first_diag;           /* the first diagnostic, printed ("" if none) */
};

static void run_dispose(struct run *r)
{
    buf_dispose(&r->keys);
    free(r->diags);
    free(r->first_diag);
}

/* Record 'j''s first key in r->keys. */
static void add_keys(struct run *r, const json_t *j)
{
    assert_true(json_is_object(j));
    void *it = json_object_iter((json_t *)j);
    buf_puts(&r->keys, it ? json_object_iter_key(it) : "");
    buf_putc(&r->keys, ';');
    r->records++;
}

/* Print diagnostics 'from' .. 'to' of 'd'. */
static char *print_diags(const struct diags *d, size_t from, size_t to)
{
    char *out = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&out, &len);
    for (size_t i = from; i < to && i < d->n; i++)
        diag_print(&d->v[i], mf);
    fclose(mf);
    return out;
}

/* Read 'text' through a stream, calling input_next() until it returns 0
 * or 'max_errors' errors were seen. Each record adds "FIRSTKEY;" to
 * r->keys so the tests can check which records came through. */
static void run_stream(struct run *r, FILE *fp, const char *name,
                       const struct input_opts *o, int max_errors)
{
    struct input *in;
    struct diags d = DIAGS_INIT;
    memset(r, 0, sizeof *r);
    input_open_stream(&in, fp, name, o);
    int errors = 0, rc;
    json_t *j;
    while ((rc = input_next(in, &j, &d)) != 0) {
        if (rc < 0) {
            assert_null(j);
            if (errors++ == 0)
                r->keys_at_error = r->keys.len;
            if (errors >= max_errors)
                break;
            continue;
        }
        add_keys(r, j);
        json_decref(j);
    }
    if (!errors)
        r->keys_at_error = r->keys.len;
    r->info = *input_info(in);
    r->info.path = NULL;
    assert_int_equal(r->info.records, r->records);
    r->diags = print_diags(&d, 0, d.n);
    r->first_diag = print_diags(&d, 0, 1);
    diags_dispose(&d);
    input_close(in);
}

/* The same in raw mode, as app/evaluate.c reads: a raw record that
 * jansson refuses is reported with input_raw_error(), and the first
 * error ends the run. */
static void run_stream_raw(struct run *r, FILE *fp, const char *name,
                           const struct input_opts *o)
{
    struct input *in;
    struct diags d = DIAGS_INIT;
    memset(r, 0, sizeof *r);
    input_open_stream(&in, fp, name, o);
    int rc;
    json_t *j;
    struct input_raw raw;
    while ((rc = input_next_raw(in, &j, &raw, &d)) > 0) {
        if (rc == 2) {
            assert_null(j);
            assert_int_equal(raw.text[0], '{');
            unsigned flaws;
            json_error_t e;
            j = placeholder_loadb(raw.text, raw.len, 0, &flaws, &e);
            if (!j) {
                /* From a copy, as evaluate.c has by then. */
                char *copy = xstrndup(raw.text, raw.len);
                raw.text = copy;
                input_raw_error(in, &raw, &d);
                free(copy);
                assert_int_equal(input_next_raw(in, &j, &raw, &d), -1);
                break;
            }
        }
        add_keys(r, j);
        json_decref(j);
    }
    assert_true(d.n <= 1);
    r->diags = print_diags(&d, 0, d.n);
    diags_dispose(&d);
    input_close(in);
}

static FILE *text_stream(const char *text)
{
    size_t len = strlen(text);
    /* fmemopen on a zero-size buffer is unspecified: use a tmpfile. */
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    rewind(fp);
    return fp;
}

static void run_text(struct run *r, const char *text, size_t chunk, int max_errors)
{
    FILE *fp = text_stream(text);
    struct input_opts o = {chunk, 0, false, false};
    run_stream(r, fp, "t.json", &o, max_errors);
    fclose(fp);
}

/* Raw mode must agree with 'want' (input_next()'s run of 'text') up to
 * its first error. */
static void check_raw(const char *text, size_t chunk, const struct run *want)
{
    FILE *fp = text_stream(text);
    struct input_opts o = {chunk, 0, false, false};
    struct run r;
    run_stream_raw(&r, fp, "t.json", &o);
    fclose(fp);
    if (r.keys.len != want->keys_at_error ||
        memcmp(buf_cstr(&r.keys), buf_cstr(&want->keys), r.keys.len) != 0 ||
        strcmp(r.diags, want->first_diag) != 0)
        fail_msg("raw mode, chunk %zu, input:\n%s\nkeys: got '%s' want '%.*s'\n"
                 "diags: got\n%swant\n%s", chunk, text, buf_cstr(&r.keys),
                 (int)want->keys_at_error, buf_cstr(&want->keys), r.diags, want->first_diag);
    run_dispose(&r);
}

/* Run 'text' with every chunk size; all runs must agree with the
 * expected record keys, diagnostics and format. */
static void check(const char *text, const char *keys, const char *diags,
                  enum input_format format)
{
    for (size_t i = 0; i < NCHUNKS; i++) {
        struct run r;
        run_text(&r, text, chunks[i], 20);
        if (strcmp(buf_cstr(&r.keys), keys) != 0 || strcmp(r.diags, diags) != 0 ||
            r.info.format != format)
            fail_msg("chunk %zu, input:\n%s\nkeys: got '%s' want '%s'\n"
                     "diags: got\n%swant\n%sformat: got %s want %s", chunks[i], text,
                     buf_cstr(&r.keys), keys, r.diags, diags,
                     input_format_name(r.info.format), input_format_name(format));
        check_raw(text, chunks[i], &r);
        run_dispose(&r);
    }
}

/* ---- the three forms ---------------------------------------------- */

static void test_api_body(void **state)
{
    (void)state;
    check("{\"total_num\":2,\"data_list\":[{\"a\":1},{\"b\":2}]}", "a;b;", "",
          INPUT_API_BODY);
    /* total_num after data_list; other keys before and after, one of
     * them an object with its own data_list, which is not the list. */
    check("{ \"request_id\" : \"x\\\"]}\",\n \"meta\": {\"data_list\": [1, 2]},\n"
          " \"data_list\" : [\n  {\"a\": \"[{\\\"\"},\n  {\"b\": [[{}]]}\n ],\n"
          " \"total_num\": 2, \"extra\": [\"}\"]\n}\n",
          "a;b;", "", INPUT_API_BODY);
    check("{\"data_list\":[]}", "", "", INPUT_API_BODY);
    check("{\"total_num\":0}", "", "", INPUT_API_BODY);

    struct run r;
    run_text(&r, "{\"data_list\":[{\"a\":1}],\"total_num\":7}", 3, 5);
    assert_true(r.info.has_total);
    assert_int_equal(r.info.total_num, 7);
    run_dispose(&r);
}

static void test_jsonl(void **state)
{
    (void)state;
    check("{\"a\":1}\n{\"b\":2}\n", "a;b;", "", INPUT_JSONL);
    /* Blank lines, CRLF, no final newline, trailing spaces. */
    check("\n\n{\"a\":1}\r\n\r\n{\"b\":2}  \r\n{\"c\":3}", "a;b;c;", "", INPUT_JSONL);
    /* jq's pretty-printed output: objects over several lines. */
    check("{\n  \"a\": 1,\n  \"x\": [\n    {\"y\": \"}\"}\n  ]\n}\n{\n  \"b\": 2\n}\n",
          "a;b;", "", INPUT_JSONL);
    /* Brackets, braces and escaped quotes and backslashes in strings. */
    check("{\"a\":\"}]\\\"{[\\\\\"}\n{\"b\":\"\\\\\\\\\",\"c\":\"\\\\\\\"}\"}\n"
          "{\"c\":{\"d\":[\"]\",{\"e\":\"{\"}]}}\n",
          "a;b;c;", "", INPUT_JSONL);
    /* A UTF-8 byte order mark is skipped. */
    check("\xEF\xBB\xBF{\"a\":1}\n", "a;", "", INPUT_JSONL);
}

/* The scanner looks 16 bytes at a time: escapes, quotes and brackets at
 * every place in and around a block, in strings and between them, and
 * escapes split across reads (check() runs every chunk size). */
static void test_scan_blocks(void **state)
{
    (void)state;
    struct buf text = BUF_INIT;
    for (int i = 0; i < 36; i++) {
        buf_clear(&text);
        buf_puts(&text, "{\"k\":\"");
        for (int k = 0; k < i; k++)
            buf_putc(&text, (char)('a' + k % 26));
        /* An escaped quote, brackets, an escaped backslash right before
         * the closing quote, then structure at offset i from a block. */
        buf_puts(&text, "\\\"}]{[0123456789abcdef\\\\\"");
        for (int k = 0; k < i; k++)
            buf_putc(&text, ' ');
        buf_puts(&text, ",\"n\":[[{\"x\":\"\\\\\\\"\"}],");
        for (int k = 0; k < 36 - i; k++)
            buf_putc(&text, '1' + k % 9);
        buf_puts(&text, "]}\n{\"b\":\"");
        for (int k = 0; k < 40 - i; k++)
            buf_puts(&text, k % 5 ? "z" : "\\\\");
        buf_puts(&text, "\\\\\"}\n");
        check(buf_cstr(&text), "k;b;", "", INPUT_JSONL);
    }
    /* An escaped quote at every offset from a read's end (chunk 64), then
     * long stretches with no backslash, and brackets in strings: a block
     * scanned after a read must know that its first quote is escaped.
     * (Not the first record: the reader walks that one key by key.) */
    for (int i = 0; i < 70; i++) {
        buf_clear(&text);
        buf_puts(&text, "{\"f\":0}\n{\"k\":\"");
        for (int k = 0; k < i; k++)
            buf_putc(&text, 'a');
        buf_puts(&text, "\\\"}]{[");
        for (int k = 0; k < 80; k++)
            buf_putc(&text, 'b');
        buf_puts(&text, "\",\"m\":[\"");
        for (int k = 0; k < 80; k++)
            buf_putc(&text, k % 9 ? 'c' : '}');
        buf_puts(&text, "\"]}\n{\"n\":1}\n");
        check(buf_cstr(&text), "f;k;n;", "", INPUT_JSONL);
    }
    buf_dispose(&text);
}

static void test_array(void **state)
{
    (void)state;
    check("[{\"a\":1},{\"b\":2}]", "a;b;", "", INPUT_ARRAY);
    check("  [\n  {\"a\": \"]\"} ,\n\t{\"b\": [\"[\"]}\r\n]\n\n", "a;b;", "", INPUT_ARRAY);
    check("[]", "", "", INPUT_ARRAY);
    check("[ ]\n", "", "", INPUT_ARRAY);
}

/* ---- chunk boundaries and size limits ------------------------------ */

/* A record far larger than a chunk, with escapes and brackets spread
 * through it, read with the default 64 KiB chunks. */
static void test_big_record(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (int form = 0; form < 3; form++) {
        buf_clear(&b);
        buf_puts(&b, form == 0 ? "{\"data_list\":[" : form == 1 ? "[" : "");
        for (int rec = 0; rec < 3; rec++) {
            buf_puts(&b, rec == 0 ? "" : form == 2 ? "\n" : ",");
            buf_printf(&b, "{\"k%d\":\"", rec);
            for (int i = 0; i < 30000; i++)
                buf_puts(&b, i % 7 == 0 ? "\\\"]}" : "ab\\\\");
            buf_puts(&b, "\",\"n\":[[[{\"x\":\"}\"}]]]}");
        }
        buf_puts(&b, form == 0 ? "]}" : form == 1 ? "]" : "\n");
        struct run r;
        run_text(&r, buf_cstr(&b), 0, 5);
        assert_string_equal(r.diags, "");
        assert_string_equal(buf_cstr(&r.keys), "k0;k1;k2;");
        assert_int_equal(r.info.bytes, b.len);
        run_dispose(&r);
    }
    buf_dispose(&b);
}

static void test_max_record(void **state)
{
    (void)state;
    struct input_opts o = {4, 64, false, false};
    const char *text = "[{\"a\":\"short\"},{\"b\":\"0123456789012345678901234567890123456789"
                       "0123456789012345678901234567890123456789\"}]";
    FILE *fp = tmpfile();
    fputs(text, fp);
    rewind(fp);
    struct run r;
    run_stream(&r, fp, "t.json", &o, 5);
    fclose(fp);
    assert_string_equal(buf_cstr(&r.keys), "a;");
    assert_string_equal(r.diags, "t.json: error: byte 16: record 2 is larger than the limit "
                                 "of 64 bytes (is a closing bracket or quote missing?)\n");
    run_dispose(&r);
}

/* ---- errors --------------------------------------------------------- */

struct err_case {
    const char *text;
    const char *keys;           /* records that still came through */
    const char *diags;
    enum input_format format;
};

static const struct err_case err_cases[] = {
    /* Empty input and input that is not JSON at all. */
    {"", "", "t.json: error: no records: the input is empty (write [] for an empty list)\n",
     INPUT_UNKNOWN},
    {" \n\r\n\t ", "", "t.json: error: no records: the input is empty (write [] for an "
     "empty list)\n", INPUT_UNKNOWN},
    {"hello", "", "t.json: error: byte 1: not an image list: expected '[' or '{' but found "
     "'h' (the input must be an API response body, a JSON array or JSON Lines)\n",
     INPUT_UNKNOWN},
    {"\n\n\x01", "", "t.json: error: byte 3: not an image list: expected '[' or '{' but "
     "found byte 0x01 (the input must be an API response body, a JSON array or JSON "
     "Lines)\n", INPUT_UNKNOWN},

    /* JSON Lines: by line; the reader carries on after a bad record. */
    {"{\"a\":1}\nabc\n{\"c\":3}\n", "a;c;",
     "t.json:2: error: invalid JSON in record 2: invalid token near 'abc'\n", INPUT_JSONL},
    {"{\"a\":1}\n\n{\"b\":2,}\n{\"c\":3}", "a;c;",
     "t.json:3: error: invalid JSON in record 2: string or '}' expected near '}'\n",
     INPUT_JSONL},
    {"{\"a\":1}\n\"str\"\n[1]\n7\nnull\n{\"f\":6}\n", "a;f;",
     "t.json:2: error: record 2 is not an object (it is a string)\n"
     "t.json:3: error: record 3 is not an object (it is an array)\n"
     "t.json:4: error: record 4 is not an object (it is a number)\n"
     "t.json:5: error: record 5 is not an object (it is null)\n", INPUT_JSONL},
    /* An unclosed string runs on: the next record is found by line. */
    {"{\"a\":1}\n{\"b\":\"x}\n{\"c\":3}\n{\"d\":4}\n", "a;c;d;",
     "t.json:2: error: invalid JSON in record 2: unexpected newline near '\"x}'\n",
     INPUT_JSONL},
    /* A mismatched bracket in a pretty-printed record: the line of the
     * error inside it, then the next record. */
    {"{\"a\":1}\n{\n  \"b\": [1,\n   2}\n}\n{\"d\":1}\n", "a;d;",
     "t.json:4: error: invalid JSON in record 2: ']' expected near '}'\n", INPUT_JSONL},
    {"{\"a\":1}\n{\"b\":2", "a;",
     "t.json:2: error: invalid JSON in record 2: '}' expected near end of file (the input "
     "ends inside this record: is it truncated?)\n", INPUT_JSONL},
    /* Errors in the first object are jansson's, as for any record. */
    {"{\"a\" 1}\n{\"b\":2}\n", "b;",
     "t.json:1: error: invalid JSON in record 1: ':' expected near '1'\n", INPUT_JSONL},
    {"{\"a\":1", "",
     "t.json:1: error: invalid JSON in record 1: '}' expected near end of file (the input "
     "ends inside this record: is it truncated?)\n", INPUT_JSONL},
    /* Data after a record on its line is not the next record: the line
     * is named, and the records after it keep their numbers. */
    {"{\"a\":1}\n{\"b\":2} x\n{\"c\":3}\nnope\n", "a;b;c;",
     "t.json:2: error: unexpected data after record 2 on line 2 (found 'x'): JSON Lines "
     "has one record per line\n"
     "t.json:4: error: invalid JSON in record 4: invalid token near 'nope'\n", INPUT_JSONL},
    {"{\"a\":1} ,\n{\n \"b\": 2\n}\t[3]\n{\"c\":3} {\"d\":4}\n", "a;b;c;d;",
     "t.json:1: error: unexpected data after record 1 on line 1 (found ','): JSON Lines "
     "has one record per line\n"
     "t.json:4: error: unexpected data after record 2 on line 4 (found '['): JSON Lines "
     "has one record per line\n", INPUT_JSONL},
    /* A value jansson cannot hold is no error; the rest of the record
     * still has to be JSON, and the error is placed as for any record. */
    {"{\"a\":1}\n{\"b\":1e400 \"c\":\"\\u0000\"}\n{\"d\":1}\n", "a;d;",
     "t.json:2: error: invalid JSON in record 2: '}' expected near '\"c\"'\n", INPUT_JSONL},
    {"[{\"a\":1e400 \"b\":1}]", "",
     "t.json: error: byte 15: invalid JSON in record 1: '}' expected near '\"b\"'\n",
     INPUT_ARRAY},
    {"[{\"a\":1 2e400}]", "",
     "t.json: error: byte 13: invalid JSON in record 1: '}' expected near '2e400'\n",
     INPUT_ARRAY},
    {"[{\"a\":1},1e400,\"\\u0000\",[1e400]]", "a;",
     "t.json: error: byte 10: record 2 is not an object (it is a number)\n"
     "t.json: error: byte 16: record 3 is not an object (it is a string)\n"
     "t.json: error: byte 25: record 4 is not an object (it is an array)\n", INPUT_ARRAY},
    {"{\"error_code\":\"APIG.0301\",\"error_msg\":\"Incorrect IAM authentication "
     "information\"}\n", "",
     "t.json:1: error: the input is an API error response, not an image list: APIG.0301: "
     "Incorrect IAM authentication information\n", INPUT_JSONL},

    /* The array form: by byte. */
    {"[{\"a\":1}, \"str\", 3, null, [1], true, {\"g\":7}]", "a;g;",
     "t.json: error: byte 11: record 2 is not an object (it is a string)\n"
     "t.json: error: byte 18: record 3 is not an object (it is a number)\n"
     "t.json: error: byte 21: record 4 is not an object (it is null)\n"
     "t.json: error: byte 27: record 5 is not an object (it is an array)\n"
     "t.json: error: byte 32: record 6 is not an object (it is a boolean)\n",
     INPUT_ARRAY},
    {"[{\"a\":1},{\"b\":2,},{\"c\":3}]", "a;",
     "t.json: error: byte 17: invalid JSON in record 2: string or '}' expected near '}'\n",
     INPUT_ARRAY},
    {"[{\"a\":1},", "a;",
     "t.json: error: byte 10: unexpected end of input: the array opened at byte 1 is not "
     "closed (is the input truncated?)\n", INPUT_ARRAY},
    {"[{\"a\":1}", "a;",
     "t.json: error: byte 9: unexpected end of input: the array opened at byte 1 is not "
     "closed (is the input truncated?)\n", INPUT_ARRAY},
    {"[{\"a\":1},{\"b\":", "a;",
     "t.json: error: byte 14: invalid JSON in record 2: unexpected token near end of file "
     "(the input ends inside this record: is it truncated?)\n", INPUT_ARRAY},
    {"[{\"a\":1},]", "a;",
     "t.json: error: byte 10: invalid JSON: a record is expected after ',' but found ']'\n",
     INPUT_ARRAY},
    {"[{\"a\":1} {\"b\":2}]", "a;",
     "t.json: error: byte 10: invalid JSON: expected ',' or ']' after record 1 but found "
     "'{'\n", INPUT_ARRAY},
    {"[{\"a\":1}]\n x", "a;",
     "t.json: error: byte 12: unexpected data after the end of the array (found 'x'): a "
     "file holds one JSON array, one response body, or JSON Lines\n", INPUT_ARRAY},

    /* The API response body: by byte. */
    {"{\"data_list\":[{\"a\":1}],\"total_num\":\"1\"}", "a;",
     "t.json: error: byte 36: total_num is not an integer (it is a string)\n",
     INPUT_API_BODY},
    {"{\"total_num\":1.5,\"data_list\":[{\"a\":1}]}", "",
     "t.json: error: byte 14: total_num is not an integer (it is a number)\n",
     INPUT_UNKNOWN},
    {"{\"data_list\":[],\"total_num\":-1}", "",
     "t.json: error: byte 29: total_num is negative (-1)\n", INPUT_API_BODY},
    {"{\"data_list\":[],\"total_num\":99999999999999999999}", "",
     "t.json: error: byte 29: total_num is out of range (99999999999999999999)\n",
     INPUT_API_BODY},
    {"{\"total_num\":-1e400000000000000000000000000000000000000,\"data_list\":[]}", "",
     "t.json: error: byte 14: total_num is out of range (-1e4000000000000000000000000000000000...)\n",
     INPUT_UNKNOWN},
    {"{\"data_list\":[],\"total_num\":tru}", "",
     "t.json: error: byte 29: invalid JSON in total_num: invalid token near 'tru'\n",
     INPUT_API_BODY},
    {"{\"total_num\":5}", "",
     "t.json: error: byte 1: the response body has total_num 5 but no data_list\n",
     INPUT_API_BODY},
    {"{\"data_list\":null}", "",
     "t.json: error: byte 14: data_list is not an array (it is null)\n", INPUT_API_BODY},
    {"{\"data_list\":[],\"data_list\":[]}", "",
     "t.json: error: byte 29: the response body has a second data_list\n", INPUT_API_BODY},
    {"{\"data_list\":[{\"a\":1}", "a;",
     "t.json: error: byte 22: unexpected end of input: the data_list array opened at byte "
     "14 is not closed (is the input truncated?)\n", INPUT_API_BODY},
    {"{\"data_list\":[{\"a\":1}]", "a;",
     "t.json: error: byte 23: unexpected end of input: the response body is not closed (is "
     "the input truncated?)\n", INPUT_API_BODY},
    {"{\"data_list\":[{\"a\":1}] \"x\":1}", "a;",
     "t.json: error: byte 24: invalid JSON in the response body: expected ',' or '}' but "
     "found '\"'\n", INPUT_API_BODY},
    {"{\"data_list\":[{\"a\":1}]}\n{\"data_list\":[]}\n", "a;",
     "t.json: error: byte 25: unexpected data after the end of the response body (found "
     "'{'): a file holds one JSON array, one response body, or JSON Lines\n",
     INPUT_API_BODY},
    {"{\"data_list\":[{\"a\":1},\"x\",{\"c\":3}]}", "a;c;",
     "t.json: error: byte 23: record 2 is not an object (it is a string)\n",
     INPUT_API_BODY},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++)
        check(err_cases[i].text, err_cases[i].keys, err_cases[i].diags,
              err_cases[i].format);
}

/* After a structural error every later call fails, without new messages. */
static void test_error_sticky(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    fputs("[{\"a\":1}", fp);
    rewind(fp);
    struct input *in;
    struct diags d = DIAGS_INIT;
    json_t *j;
    input_open_stream(&in, fp, "t.json", NULL);
    assert_int_equal(input_next(in, &j, &d), 1);
    json_decref(j);
    assert_int_equal(input_next(in, &j, &d), -1);
    assert_int_equal(input_next(in, &j, &d), -1);
    assert_int_equal(d.n, 1);
    /* The hash is only set once the end is reached. */
    assert_string_equal(input_info(in)->sha256, "");
    input_close(in);
    diags_dispose(&d);
    fclose(fp);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct input *in = (struct input *)1;
    struct diags d = DIAGS_INIT;
    assert_int_equal(input_open(&in, "tests/data/input/no-such-file.json", &d), -1);
    assert_null(in);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, "tests/data/input/no-such-file.json");
    assert_string_equal(d.v[0].msg, "cannot open: No such file or directory");
    diags_dispose(&d);
    input_close(NULL);
}

/* ---- streams, hash, info -------------------------------------------- */

/* A pipe behaves like standard input: no seeking, short reads. */
static void test_pipe_stdin_name(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char *text = "{\"a\":1}\n{\"b\":2}\nnope\n";
    assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fds[1]);
    FILE *fp = fdopen(fds[0], "rb");
    struct input_opts o = {5, 0, false, false};
    struct run r;
    run_stream(&r, fp, "-", &o, 5);
    fclose(fp);
    assert_string_equal(buf_cstr(&r.keys), "a;b;");
    assert_string_equal(r.diags,
                        "<stdin>:3: error: invalid JSON in record 3: invalid token near 'nope'\n");
    run_dispose(&r);
}

/* allow_empty (only a complete empty pull's snapshot, build.c): no
 * bytes are zero records and no error; without it the same file is an
 * error, and with it a record still reads normally. */
static void test_allow_empty(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "{\"a\":1}\n"};
    for (size_t k = 0; k < 2; k++)
        for (int allow = 0; allow <= 1; allow++) {
            FILE *fp = tmpfile();
            assert_non_null(fp);
            fputs(texts[k], fp);
            rewind(fp);
            struct input_opts o = {0, 0, allow == 1, false};
            struct run r;
            run_stream(&r, fp, "t.jsonl", &o, 5);
            fclose(fp);
            if (k == 0 && !allow)
                assert_string_equal(r.diags, "t.jsonl: error: no records: the input is empty "
                                             "(write [] for an empty list)\n");
            else
                assert_string_equal(r.diags, "");
            assert_int_equal(r.records, k);
            if (k == 0 && allow)
                assert_string_equal(r.info.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b"
                                                   "934ca495991b7852b855");
            run_dispose(&r);
        }
}

static void test_hash_and_bytes(void **state)
{
    (void)state;
    const char *texts[] = {
        "{\"total_num\":1,\"data_list\":[{\"a\":1}]}\n\n",
        "{\"a\":1}\n{\"b\":2}",
        "[{\"a\":1}]",
        "\xEF\xBB\xBF[]",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        char want[SHA256_HEX_LEN];
        sha256_hex(texts[t], strlen(texts[t]), want);
        for (size_t i = 0; i < NCHUNKS; i++) {
            struct run r;
            run_text(&r, texts[t], chunks[i], 5);
            assert_string_equal(r.diags, "");
            assert_string_equal(r.info.sha256, want);
            assert_int_equal(r.info.bytes, strlen(texts[t]));
            /* no_hash: the same records and bytes, no SHA-256. */
            FILE *fp = tmpfile();
            assert_non_null(fp);
            fputs(texts[t], fp);
            rewind(fp);
            struct input_opts o = {chunks[i], 0, false, true};
            struct run u;
            run_stream(&u, fp, "t.jsonl", &o, 5);
            fclose(fp);
            assert_string_equal(u.diags, "");
            assert_string_equal(buf_cstr(&u.keys), buf_cstr(&r.keys));
            assert_int_equal(u.records, r.records);
            assert_int_equal(u.info.bytes, strlen(texts[t]));
            assert_string_equal(u.info.sha256, "");
            run_dispose(&u);
            run_dispose(&r);
        }
    }
}

static void test_format_names(void **state)
{
    (void)state;
    assert_string_equal(input_format_name(INPUT_API_BODY), "api");
    assert_string_equal(input_format_name(INPUT_JSONL), "jsonl");
    assert_string_equal(input_format_name(INPUT_ARRAY), "array");
    assert_string_equal(input_format_name(INPUT_UNKNOWN), "unknown");
}

/* ---- the samples and record_decode ---------------------------------- */

/* The API document's example, verbatim: ids such as "111 (example for
 * private images)" and sizes "1,000 (bytes)" are not integers, so they
 * are CELL_BAD and counted; everything else decodes. */
static void test_doc_example(void **state)
{
    (void)state;
    struct input *in;
    struct diags d = DIAGS_INIT;
    assert_int_equal(input_open(&in, "samples/api-doc-example.json", &d), 0);
    struct quality q;
    quality_init(&q);
    json_t *j;
    size_t n = 0;
    int rc;
    while ((rc = input_next(in, &j, &d)) == 1) {
        struct record rec;
        record_decode(&rec, j, n, &q);
        assert_int_equal(rec.f[F_ID].state, CELL_BAD);
        assert_int_equal(rec.f[F_IMAGE_SIZE].state, CELL_BAD);
        assert_int_equal(rec.f[F_VUL_NUM].state, CELL_OK);
        assert_int_equal(rec.f[F_LATEST_SCAN_TIME].v.i, 1691748641788);
        assert_int_equal(rec.f[F_INSTANCE_ID].state, CELL_OK);
        assert_int_equal(rec.f[F_INSTANCE_ID].v.s.n, 0);
        assert_int_equal(rec.f[F_REGISTRY_TYPE].state, CELL_MISSING);
        if (n == 1) {
            assert_int_equal(rec.f[F_SCAN_FAILED_CODE].state, CELL_OK);
            assert_string_equal(rec.f[F_SCAN_FAILED_CODE].v.s.p, "authentication_failed");
        }
        record_dispose(&rec);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    const struct input_info *info = input_info(in);
    assert_int_equal(info->format, INPUT_API_BODY);
    assert_true(info->has_total);
    assert_int_equal(info->total_num, 3);
    assert_int_equal(info->bytes, 2352);
    assert_string_equal(info->path, "samples/api-doc-example.json");
    assert_int_equal(q.records, 3);
    assert_int_equal(q.bad[F_ID].count, 3);
    assert_int_equal(q.bad[F_ID].first, 0);
    assert_int_equal(q.bad[F_IMAGE_SIZE].count, 3);
    for (int f = 0; f < FIELD_COUNT; f++) {
        assert_int_equal(q.unknown_value[f].count, 0);
        if (f != F_ID && f != F_IMAGE_SIZE)
            assert_int_equal(q.bad[f].count, 0);
    }
    input_close(in);
    diags_dispose(&d);
}

static void test_decode_tolerance(void **state)
{
    (void)state;
    const char *text =
        "{\"id\":\"12345\",\"image_size\":null,\"scan_status\":\"queued\","
        "\"severity_level\":\"High\",\"vul_num\":7}\n"
        "{\"id\":-3,\"scan_status\":\"success\",\"severity_level\":\"Critical\","
        "\"scannable\":\"yes\"}\n";
    FILE *fp = tmpfile();
    fputs(text, fp);
    rewind(fp);
    struct input *in;
    struct diags d = DIAGS_INIT;
    input_open_stream(&in, fp, "t.jsonl", NULL);
    struct quality q;
    quality_init(&q);
    struct record rec[2];
    json_t *j;
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(input_next(in, &j, &d), 1);
        record_decode(&rec[i], j, i, &q);
    }
    assert_int_equal(input_next(in, &j, &d), 0);
    assert_int_equal(rec[0].f[F_ID].state, CELL_OK);
    assert_int_equal(rec[0].f[F_ID].v.i, 12345);
    assert_int_equal(rec[0].f[F_IMAGE_SIZE].state, CELL_MISSING);
    assert_int_equal(rec[1].f[F_ID].v.i, -3);
    assert_int_equal(rec[1].f[F_SCANNABLE].state, CELL_BAD);
    assert_int_equal(q.unknown_value[F_SCAN_STATUS].count, 1);
    assert_int_equal(q.unknown_value[F_SCAN_STATUS].first, 0);
    assert_int_equal(q.unknown_value[F_SEVERITY_LEVEL].count, 1);
    assert_int_equal(q.unknown_value[F_SEVERITY_LEVEL].first, 1);
    assert_int_equal(q.bad[F_SCANNABLE].count, 1);
    assert_int_equal(q.bad[F_ID].count, 0);
    record_dispose(&rec[0]);
    record_dispose(&rec[1]);
    input_close(in);
    diags_dispose(&d);
    fclose(fp);
}

/* One value must not sink an audit: records whose JSON is valid but
 * holds \u0000, 1e400 or an integer beyond 64 bits (anywhere, used or
 * not) come through in every form and at every chunk size, and their
 * decoding counts each such value by field, or under (other). */
static void test_unrepresentable(void **state)
{
    (void)state;
    static const char *const recs[] = {
        "{\"id\":1,\"image_size\":1e400,\"x\":99999999999999999999}",
        "{\"id\":2,\"image_name\":\"a\\u0000b\",\"y\":{\"z\":[-1e999,\"\\u0000\"]}}",
        "{\"id\":3,\"k\\u0000\":1,\"latest_scan_time\":253402300800000}",
        "{\"id\":4,\"image_size\":1e400,\"image_size\":5}",
        "{\"id\":5,\"association_images\":[{\"vul_num\":-123456789012345678901234567890}]}",
    };
    const size_t nrec = sizeof recs / sizeof recs[0];
    struct buf text = BUF_INIT;
    for (int form = 0; form < 3; form++) {
        buf_clear(&text);
        buf_puts(&text, form == 0 ? "{\"total_num\":5,\"data_list\":[" : form == 1 ? "[" : "");
        for (size_t i = 0; i < nrec; i++)
            buf_printf(&text, "%s%s", i == 0 ? "" : form == 2 ? "\n" : ",\n ", recs[i]);
        buf_puts(&text, form == 0 ? "]}" : form == 1 ? "]" : "\n");
        for (size_t c = 0; c < NCHUNKS; c++) {
            FILE *fp = tmpfile();
            fputs(buf_cstr(&text), fp);
            rewind(fp);
            struct input_opts o = {chunks[c], 0, false, false};
            struct input *in;
            struct diags d = DIAGS_INIT;
            input_open_stream(&in, fp, "t.json", &o);
            struct quality q;
            quality_init(&q);
            json_t *j;
            size_t n = 0;
            int rc;
            while ((rc = input_next(in, &j, &d)) == 1) {
                unsigned flaws = input_record_flaws(in);
                assert_int_equal(flaws & PLACEHOLDER_NUL_NAME, n == 2 ? PLACEHOLDER_NUL_NAME : 0);
                struct record rec;
                record_decode_loaded(&rec, j, n, flaws, &q);
                assert_true(rec.f[F_ID].state == CELL_OK && rec.f[F_ID].v.i == (int64_t)n + 1);
                if (n == 3)
                    assert_true(rec.f[F_IMAGE_SIZE].v.i == 5);
                record_dispose(&rec);
                n++;
            }
            if (rc != 0 || d.n != 0)
                fail_msg("form %d, chunk %zu: rc %d, %zu diagnostics, first: %s", form,
                         chunks[c], rc, d.n, d.n ? d.v[0].msg : "");
            assert_int_equal(n, nrec);
            assert_int_equal(q.out_of_range[F_IMAGE_SIZE].count, 1);
            assert_int_equal(q.nul[F_IMAGE_NAME].count, 1);
            assert_int_equal(q.nul[F_IMAGE_NAME].first, 1);
            assert_int_equal(q.out_of_range[F_LATEST_SCAN_TIME].first, 2);
            assert_int_equal(q.assoc_out_of_range[A_VUL_NUM].first, 4);
            assert_int_equal(q.other_out_of_range.count, 2);   /* records 0 and 1 */
            assert_int_equal(q.other_nul.count, 2);            /* records 1 and 2 */
            assert_int_equal(q.other_nul.first, 1);
            input_close(in);
            diags_dispose(&d);
            fclose(fp);
        }
    }
    buf_dispose(&text);
}

/* The committed samples read cleanly, and the generated one shows
 * something in the data-quality table. */
static void test_samples(void **state)
{
    (void)state;
    const char *paths[] = {"samples/images.jsonl", "samples/hostile.jsonl"};
    for (size_t p = 0; p < 2; p++) {
        struct input *in;
        struct diags d = DIAGS_INIT;
        assert_int_equal(input_open(&in, paths[p], &d), 0);
        struct quality q;
        quality_init(&q);
        json_t *j;
        int rc;
        size_t n = 0;
        while ((rc = input_next(in, &j, &d)) == 1) {
            struct record rec;
            record_decode(&rec, j, n++, &q);
            record_dispose(&rec);
        }
        assert_int_equal(rc, 0);
        assert_int_equal(d.n, 0);
        assert_int_equal(input_info(in)->format, INPUT_JSONL);
        if (p == 0) {
            assert_true(n >= 60 && n <= 200);
            assert_true(q.bad[F_IMAGE_SIZE].count > 0);
            assert_true(q.unknown_value[F_SCAN_STATUS].count > 0);
        }
        input_close(in);
        diags_dispose(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_body),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_scan_blocks),
        cmocka_unit_test(test_array),
        cmocka_unit_test(test_big_record),
        cmocka_unit_test(test_max_record),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_sticky),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_pipe_stdin_name),
        cmocka_unit_test(test_allow_empty),
        cmocka_unit_test(test_hash_and_bytes),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_doc_example),
        cmocka_unit_test(test_decode_tolerance),
        cmocka_unit_test(test_unrepresentable),
        cmocka_unit_test(test_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
