/* SPDX-License-Identifier: MIT
 * The saved-input reader; see input.h for the accepted forms and the
 * error conventions.
 *
 * The input is read in chunks into one sliding buffer. A small
 * hand-written scanner (string- and escape-aware, counting bracket
 * depth) finds the byte extent of each record, and only that extent is
 * handed to jansson's json_loadb. The buffer keeps the bytes from 'lo'
 * (the start of the record or token being scanned) onwards and slides
 * them to the front before each read, so its size is bounded by the
 * largest record plus one chunk, whatever the input size.
 *
 * Detection needs no look-ahead beyond the first object: '[' is the
 * array form; '{' starts a walk over the first object's top-level keys
 * with everything kept in the buffer. If a "data_list" key with an array
 * value turns up, the object is an API response body: the kept bytes
 * are dropped and the array's elements are streamed like the array
 * form. If the object closes without one, the kept bytes are the first
 * JSON Lines record. If the key walk meets anything it does not expect,
 * the object is rescanned as a plain record so that jansson, not a
 * second hand-written parser, describes the syntax error.
 *
 * The reader is a state machine driven by input_next(): each state
 * consumes what it can and asks for more input (R_MORE) when the buffer
 * runs dry, so a token or record may span any number of chunks. */
#include "source/input.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/placeholder.h"
#include "util/bitstack.h"
#include "util/buf.h"
#include "util/simdbits.h"
#include "util/xalloc.h"

#define INPUT_CHUNK ((size_t)64 * 1024)
#define INPUT_MAX_RECORD ((size_t)64 * 1024 * 1024)
#define MIB ((size_t)1024 * 1024)
/* jansson's JSON_PARSER_MAX_DEPTH: deeper input is handed to jansson
 * as it stands, which then reports the depth error itself. */
#define SCAN_MAX_DEPTH 2048

enum state {
    S_START,        /* before the first value: detect the form */
    S_ELEM_FIRST,   /* after '[': a record or ']' */
    S_ELEM_NEXT,    /* after ',': a record */
    S_ELEM_BODY,    /* inside a record: find its end */
    S_ELEM_AFTER,   /* after an array element: ',' or ']' */
    S_JSONL,        /* between JSON Lines records */
    S_RESYNC,       /* after a bad JSON Lines record: find the next one */
    S_KEY_FIRST,    /* after the top-level '{': a key or '}' */
    S_KEY_NEXT,     /* after ',' in the top-level object: a key */
    S_KEY_BODY,     /* inside a top-level key string */
    S_COLON,        /* after a top-level key */
    S_VALUE,        /* after ':': the value's first byte */
    S_VALUE_BODY,   /* inside a top-level value other than data_list */
    S_OBJ_AFTER,    /* after a top-level value: ',' or '}' */
    S_TRAIL,        /* after the single top-level value: only whitespace */
    S_END,
    S_FAILED,       /* a structural error was reported */
};

/* What a state function tells the driver loop. */
enum { R_ERR = -1, R_CONT = 0, R_REC = 1, R_MORE = 2, R_RAW = 3 };

enum key { K_OTHER, K_DATA_LIST, K_TOTAL_NUM };

/* Resumable extent scanner: where it is inside the current value. */
struct scan {
    unsigned depth;
    bool in_str;
    bool scalar;
    uint64_t open[SCAN_MAX_DEPTH / 64];     /* bit per level: 1 = '[' */
};

struct input {
    FILE *fp;
    bool own_fp;
    bool eof;                   /* the stream has reported end of file */
    char *name;                 /* for messages: the path or "<stdin>" */
    char *path;                 /* as given; info.path points here */
    struct input_info info;
    struct sha256_ctx sha;
    bool sha_done;              /* also when not hashing (input_opts.no_hash) */
    size_t chunk, max_record;
    bool allow_empty;           /* input_opts.allow_empty */

    /* The sliding buffer: data[lo..hi) is kept; pos is the scan point.
     * Byte data[i] is input byte base + i. */
    char *data;
    size_t cap, lo, pos, hi;
    uint64_t base;
    size_t mark;                /* start of the top-level key/value being scanned */

    enum state state;
    enum state after;           /* where S_ELEM_BODY goes next */
    enum state after_list;      /* where the record array's ']' goes */
    struct scan sc;
    uint64_t line;              /* current line, 1-based */
    uint64_t elem_line;         /* line of the current record's first byte */
    uint64_t end_line;          /* JSON Lines: line the last record ended on (0: none) */
    unsigned flaws;             /* placeholder_loadb's, for the last record */
    size_t seen;                /* records started: the 1-based record number */
    uint64_t list_at;           /* offset of the '[' of the record array */
    enum key key;               /* the top-level key being read */
    bool detecting;             /* in the first object, no data_list yet */
    bool have_list;
    bool line_start;            /* S_RESYNC: pos is at the start of a line */
    struct input_raw *raw;      /* input_next_raw(): where to hand out a record's text */
};

/* Bytes that stop the scanner outside strings: the structure, and '\n'
 * for line counting. Everything else is skipped in a tight loop. */
static const unsigned char stop_byte[256] = {
    ['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1, ['\n'] = 1,
};
/* Bytes that end a bare scalar (number, true, garbage). */
static const unsigned char scalar_end[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1,
    ['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1,
};

/* ---- messages ------------------------------------------------------ */

static int clamp_line(uint64_t line)
{
    return line > INT_MAX ? INT_MAX : (int)line;
}

/* Report an error at input offset 'at' (0-based) on 'line': JSON Lines
 * errors are placed by line, the other forms by byte, counted from 1. */
static void fail(struct input *in, struct diags *d, uint64_t at, uint64_t line,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fail(struct input *in, struct diags *d, uint64_t at, uint64_t line,
                 const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (in->info.format == INPUT_JSONL)
        diags_add(d, DIAG_ERROR, in->name, clamp_line(line), 0, 0, NULL, "%s",
                  buf_cstr(&b));
    else
        diags_add(d, DIAG_ERROR, in->name, 0, 0, 0, NULL, "byte %" PRIu64 ": %s",
                  at + 1, buf_cstr(&b));
    buf_dispose(&b);
}

/* A structural error has been reported: every later call fails too. */
static int stop(struct input *in)
{
    in->state = S_FAILED;
    return R_ERR;
}

/* "'x'" for a printable byte, "byte 0x.." otherwise, for "found ...". */
static const char *describe_byte(unsigned char c, char out[16])
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, 16, "'%c'", c);
    else
        snprintf(out, 16, "byte 0x%02x", c);
    return out;
}

static const char *json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* The type of the value starting with 'c', from that byte alone (for
 * values that are not parsed, such as a wrong data_list). */
static const char *type_from_byte(unsigned char c)
{
    switch (c) {
    case '{': return "an object";
    case '[': return "an array";
    case '"': return "a string";
    case 't':
    case 'f': return "a boolean";
    case 'n': return "null";
    default: return (c == '-' || (c >= '0' && c <= '9')) ? "a number" : "not JSON";
    }
}

static void format_size(size_t n, char out[32])
{
    if (n % MIB == 0)
        snprintf(out, 32, "%zu MiB", n / MIB);
    else
        snprintf(out, 32, "%zu bytes", n);
}

/* ---- buffer -------------------------------------------------------- */

static uint64_t offset_of(const struct input *in, size_t i)
{
    return in->base + i;
}

/* Slide the kept bytes to the front and read one more chunk. Sets 'eof'
 * at the end of the stream. Returns 0, or -1 after reporting a read
 * error or a record over the size limit. */
static int refill(struct input *in, struct diags *d)
{
    if (in->lo > 0) {
        size_t keep = in->hi - in->lo;
        memmove(in->data, in->data + in->lo, keep);
        in->base += in->lo;
        in->pos -= in->lo;
        in->mark = in->mark >= in->lo ? in->mark - in->lo : 0;
        in->hi = keep;
        in->lo = 0;
    }
    if (in->hi >= in->max_record) {
        char lim[32];
        format_size(in->max_record, lim);
        fail(in, d, in->base, in->elem_line,
             "record %zu is larger than the limit of %s (is a closing bracket "
             "or quote missing?)", in->seen ? in->seen : 1, lim);
        return -1;
    }
    if (in->cap - in->hi < in->chunk) {
        size_t ncap = in->cap ? in->cap : in->chunk;
        while (ncap - in->hi < in->chunk)
            ncap *= 2;
        in->data = xrealloc(in->data, ncap);
        in->cap = ncap;
    }
    size_t n = fread(in->data + in->hi, 1, in->chunk, in->fp);
    if (n > 0) {
        if (!in->sha_done)
            sha256_update(&in->sha, in->data + in->hi, n);
        in->hi += n;
        in->info.bytes += n;
    }
    if (n < in->chunk) {
        if (ferror(in->fp)) {
            diags_add(d, DIAG_ERROR, in->name, 0, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
            return -1;
        }
        in->eof = true;
    }
    return 0;
}

/* Skip JSON whitespace, counting lines. True if a byte is left at pos. */
static bool skip_ws(struct input *in)
{
    const char *p = in->data + in->pos, *end = in->data + in->hi;
    for (; p < end; p++) {
        if (*p == '\n')
            in->line++;
        else if (*p != ' ' && *p != '\t' && *p != '\r')
            break;
    }
    in->pos = (size_t)(p - in->data);
    return p < end;
}

/* Nothing before pos needs keeping (unless the first object is still
 * being kept whole for detection). */
static void release(struct input *in)
{
    if (!in->detecting)
        in->lo = in->pos;
}

/* ---- the extent scanner -------------------------------------------- */

/* A bracket at depth sc->depth: true when the value ends at it (at
 * jansson's depth limit for an opening one; for a closing one, at depth
 * 0 or at a mismatch). */
static bool open_bracket(struct scan *sc, unsigned char c)
{
    if (sc->depth == SCAN_MAX_DEPTH)
        return true;
    bitstack_set(sc->open, sc->depth++, c == '[');
    return false;
}

static bool close_bracket(struct scan *sc, unsigned char c)
{
    if (sc->depth == 0)
        return true;
    sc->depth--;
    return sc->depth == 0 || bitstack_get(sc->open, sc->depth) != (c == ']');
}

#if defined(__SSE2__)
#define SCAN_BLOCK 64

/* Bit i of each: what byte p[i] of a block is. */
struct block {
    uint64_t quote, backslash, bracket, newline;
};

static inline void classify(const char *p, struct block *b)
{
    /* '[' and ']' are '{' and '}' without bit 0x20. */
    const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    const __m128i nl = _mm_set1_epi8('\n'), bit5 = _mm_set1_epi8(0x20);
    const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
    memset(b, 0, sizeof *b);
    for (unsigned i = 0; i < SCAN_BLOCK; i += 16) {
        __m128i x = _mm_loadu_si128((const void *)(p + i));
        __m128i y = _mm_or_si128(x, bit5);
        b->quote |= simd_block_mask(_mm_cmpeq_epi8(x, quote), i);
        b->backslash |= simd_block_mask(_mm_cmpeq_epi8(x, bs), i);
        b->newline |= simd_block_mask(_mm_cmpeq_epi8(x, nl), i);
        b->bracket |= simd_block_mask(_mm_or_si128(_mm_cmpeq_epi8(y, open),
                                                   _mm_cmpeq_epi8(y, close)), i);
    }
}

/* Newlines outside strings are rare in a record (pretty-printed input
 * has a few): no popcount instruction is assumed. */
static inline uint64_t count_bits(uint64_t x)
{
    uint64_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Scan the SCAN_BLOCK bytes at *pp inside an object or array (depth > 0) at
 * once, when none of them is a backslash (nor, in a string, the byte before
 * them): then every quote opens or closes a string, and which bytes are in
 * strings is a prefix xor of the quotes. Returns -1 for a block with a
 * backslash (not scanned), 1 when the value ends in it (*pp just past its
 * end), 0 otherwise (*pp at the next block). A record's keys and strings are
 * short: a call per string (memchr) and a loop per byte between them were
 * most of the reading thread's time. */
static int scan_block(struct input *in, const char **pp)
{
    struct scan *sc = &in->sc;
    const char *p = *pp;
    struct block b;
    classify(p, &b);
    if (b.backslash)
        return -1;
    uint64_t in_str = simd_prefix_xor(b.quote) ^ (sc->in_str ? ~(uint64_t)0 : 0);
    uint64_t brackets = b.bracket & ~in_str, newlines = b.newline & ~in_str;
    while (brackets) {
        int k = __builtin_ctzll(brackets);
        brackets &= brackets - 1;
        unsigned char c = (unsigned char)p[k];
        bool ends = c == '{' || c == '[' ? open_bracket(sc, c) : close_bracket(sc, c);
        if (ends) {
            uint64_t before = k == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (k + 1)) - 1;
            in->line += count_bits(newlines & before);
            sc->in_str = false;
            *pp = p + k + 1;
            return 1;
        }
    }
    in->line += count_bits(newlines);
    sc->in_str = in_str >> 63;      /* whether the last byte is in a string */
    *pp = p + SCAN_BLOCK;
    return 0;
}
#endif

/* Start scanning the value whose first byte is at pos. A bare scalar
 * takes at least that byte, so that even a stray ',' or ':' is a value
 * of one byte (which jansson rejects) and the reader always moves on. */
static void scan_begin(struct input *in)
{
    unsigned char c = (unsigned char)in->data[in->pos];
    in->sc.depth = 0;
    in->sc.in_str = false;
    in->sc.scalar = c != '{' && c != '[' && c != '"';
    if (in->sc.scalar)
        in->pos++;
}

/* Advance pos over the value being scanned. Returns true when its end
 * has been found (pos just past it), false when the buffer ran out
 * first (pos == hi). A bracket that does not match ends the value
 * there: jansson then reports the mismatch with its own words. */
static bool scan_value(struct input *in)
{
    struct scan *sc = &in->sc;
    const char *p = in->data + in->pos;
    const char *end = in->data + in->hi;
    const char *lowest = in->data + in->lo;

    if (sc->scalar) {
        while (p < end && !scalar_end[(unsigned char)*p])
            p++;
        in->pos = (size_t)(p - in->data);
        return p < end || in->eof;
    }
#if defined(__SSE2__)
    const char *bytewise = p;   /* below this, a block had a backslash */
#endif
    for (;;) {
#if defined(__SSE2__)
        /* Not in a string right after a backslash: a read may have ended
         * there, and the quote the block starts with is escaped. */
        if (sc->depth > 0 && end - p >= SCAN_BLOCK && p >= bytewise &&
            !(sc->in_str && p[-1] == '\\')) {
            int r = scan_block(in, &p);
            if (r > 0)
                break;
            if (r == 0)
                continue;
            bytewise = p + SCAN_BLOCK;
        }
#endif
        if (sc->in_str) {
            /* Find the closing quote: a '"' preceded by an even number
             * of backslashes. The backslashes are all in the buffer,
             * since the string's opening quote is kept (>= lo). */
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (!q) {
                    in->pos = (size_t)(end - in->data);
                    return false;
                }
                size_t bs = 0;
                while (q - bs > lowest && q[-1 - (ptrdiff_t)bs] == '\\')
                    bs++;
                p = q + 1;
                if (bs % 2 == 0)
                    break;
            }
            sc->in_str = false;
            if (sc->depth == 0)
                break;
        }
        while (p < end && !stop_byte[(unsigned char)*p])
            p++;
        if (p == end) {
            in->pos = (size_t)(end - in->data);
            return false;
        }
        unsigned char c = (unsigned char)*p++;
        if (c == '"') {
            sc->in_str = true;
        } else if (c == '\n') {
            in->line++;
        } else if (c == '{' || c == '[') {
            if (open_bracket(sc, c))
                break;
        } else if (close_bracket(sc, c)) {
            break;
        }
    }
    in->pos = (size_t)(p - in->data);
    return true;
}

/* ---- records ------------------------------------------------------- */

/* Start a record at pos; S_ELEM_BODY finds its end, then goes to 'after'. */
static int begin_record(struct input *in, enum state after)
{
    in->seen++;
    in->lo = in->pos;
    in->elem_line = in->line;
    scan_begin(in);
    in->after = after;
    in->state = S_ELEM_BODY;
    return R_CONT;
}

/* After a bad JSON Lines record, carry on at the next line that starts
 * with '{' after the line the record started on. The scanner's idea of
 * where a broken record ends is unreliable (an unclosed string runs on
 * into the next lines, a mismatched bracket stops early), while "a
 * record starts a line" holds both for JSON Lines and for jq's
 * pretty-printed output. */
static void resync(struct input *in)
{
    in->pos = in->lo + 1;
    in->line = in->elem_line;
    in->line_start = false;
    in->end_line = 0;
    in->state = S_RESYNC;
}

static int st_resync(struct input *in)
{
    for (;;) {
        if (in->pos == in->hi) {
            release(in);
            if (in->eof) {
                in->state = S_JSONL;
                return R_CONT;
            }
            return R_MORE;
        }
        if (in->line_start && in->data[in->pos] == '{') {
            in->state = S_JSONL;
            return R_CONT;
        }
        const char *p = in->data + in->pos;
        const char *nl = memchr(p, '\n', in->hi - in->pos);
        in->line_start = nl != NULL;
        if (!nl) {
            in->pos = in->hi;
            continue;
        }
        in->line++;
        in->pos = (size_t)(nl + 1 - in->data);
    }
}

/* Report that record 'seen', 'n' bytes at input offset 'at', starting
 * on 'line', is not valid JSON, as jansson words it in 'e'. 'complete' is
 * false when the input ended inside it. */
static void invalid_record(struct input *in, size_t n, uint64_t at, uint64_t line, size_t seen,
                           bool complete, const json_error_t *e, struct diags *d)
{
    int pos = e->position > 0 ? e->position - 1 : 0;
    int eline = e->line > 0 ? e->line - 1 : 0;
    /* Blame truncation only when jansson got to the end of it. */
    bool cut = !complete && (size_t)e->position >= n;
    fail(in, d, at + (uint64_t)pos, line + (uint64_t)eline, "invalid JSON in record %zu: %s%s",
         seen, e->text, cut ? " (the input ends inside this record: is it truncated?)" : "");
}

/* Parse the record data[lo..pos) and hand it out; or, when the caller
 * asked for text (in->raw) and it may be an object, hand out its text
 * ('may_raw' is false for the first object, which is parsed to tell a
 * saved error response). 'complete' is false when the input ended
 * inside it. */
static int emit(struct input *in, json_t **out, bool complete, bool may_raw, struct diags *d)
{
    const char *s = in->data + in->lo;
    size_t n = in->pos - in->lo;
    uint64_t at = offset_of(in, in->lo);
    if (in->raw && may_raw && complete && s[0] == '{') {
        *in->raw = (struct input_raw){s, n, at, in->elem_line, in->seen};
        in->info.records++;
        in->info.record_line = in->info.format == INPUT_JSONL ? in->elem_line : 0;
        return R_RAW;
    }
    json_error_t e;
    /* Valid JSON with a value jansson cannot hold is still a record. */
    json_t *j = placeholder_loadb(s, n, s[0] == '{' ? 0 : JSON_DECODE_ANY, &in->flaws, &e);
    if (!j) {
        invalid_record(in, n, at, in->elem_line, in->seen, complete, &e, d);
        /* In an array the next element cannot be found reliably. */
        if (in->info.format != INPUT_JSONL)
            return stop(in);
        resync(in);
        return R_ERR;
    }
    if (!json_is_object(j)) {
        /* By the first byte: a placeholder stands for a number, too. */
        fail(in, d, at, in->elem_line, "record %zu is not an object (it is %s)",
             in->seen, type_from_byte((unsigned char)s[0]));
        json_decref(j);
        return R_ERR;
    }
    in->info.records++;
    in->info.record_line = in->info.format == INPUT_JSONL ? in->elem_line : 0;
    *out = j;
    return R_REC;
}

static int st_elem_body(struct input *in, json_t **out, struct diags *d)
{
    bool complete = scan_value(in);
    if (!complete && !in->eof)
        return R_MORE;
    in->state = in->after;
    if (in->after == S_JSONL)
        in->end_line = in->line;
    return emit(in, out, complete, true, d);
}

/* ---- the array form and data_list ---------------------------------- */

static int list_unclosed(struct input *in, struct diags *d)
{
    fail(in, d, offset_of(in, in->hi), in->line,
         "unexpected end of input: the %s opened at byte %" PRIu64
         " is not closed (is the input truncated?)",
         in->info.format == INPUT_API_BODY ? "data_list array" : "array",
         in->list_at + 1);
    return stop(in);
}

static int st_elem_start(struct input *in, struct diags *d)
{
    bool more = skip_ws(in);
    release(in);
    if (!more)
        return in->eof ? list_unclosed(in, d) : R_MORE;
    if (in->data[in->pos] == ']') {
        if (in->state == S_ELEM_NEXT) {
            fail(in, d, offset_of(in, in->pos), in->line,
                 "invalid JSON: a record is expected after ',' but found ']'");
            return stop(in);
        }
        in->pos++;
        release(in);
        in->state = in->after_list;
        return R_CONT;
    }
    return begin_record(in, S_ELEM_AFTER);
}

static int st_elem_after(struct input *in, struct diags *d)
{
    bool more = skip_ws(in);
    release(in);
    if (!more)
        return in->eof ? list_unclosed(in, d) : R_MORE;
    char c = in->data[in->pos];
    if (c == ',' || c == ']') {
        in->pos++;
        release(in);
        in->state = c == ',' ? S_ELEM_NEXT : in->after_list;
        return R_CONT;
    }
    char found[16];
    fail(in, d, offset_of(in, in->pos), in->line,
         "invalid JSON: expected ',' or ']' after record %zu but found %s",
         in->seen, describe_byte((unsigned char)c, found));
    return stop(in);
}

/* ---- JSON Lines ---------------------------------------------------- */

/* Skip whitespace where the input may end. False when no byte is left,
 * with '*r' telling the driver what next: read more, or (at the end of
 * input, now in S_END) carry on. */
static bool next_or_end(struct input *in, int *r)
{
    bool more = skip_ws(in);
    release(in);
    if (!more) {
        if (in->eof)
            in->state = S_END;
        *r = in->eof ? R_CONT : R_MORE;
    }
    return more;
}

static int st_jsonl(struct input *in, struct diags *d)
{
    int r;
    if (!next_or_end(in, &r))
        return r;
    /* More on the line a record ended on: another object is a record
     * (objects may be separated by any whitespace), anything else is
     * not one, and counting it as the next record would misnumber every
     * record after it. */
    if (in->line == in->end_line && in->data[in->pos] != '{') {
        char found[16];
        fail(in, d, offset_of(in, in->pos), in->line,
             "unexpected data after record %zu on line %" PRIu64 " (found %s): JSON Lines "
             "has one record per line", in->seen, in->line,
             describe_byte((unsigned char)in->data[in->pos], found));
        in->lo = in->pos;
        in->elem_line = in->line;
        resync(in);
        return R_ERR;
    }
    return begin_record(in, S_JSONL);
}

/* ---- the top-level object: API body or first JSON Lines record ----- */

/* Something unexpected in the top-level object. While it may still be a
 * JSON Lines record, rescan it as one and let jansson name the error;
 * in a known response body, report it here. */
static int obj_error(struct input *in, struct diags *d, const char *expected)
{
    if (in->detecting) {
        in->detecting = false;
        in->info.format = INPUT_JSONL;
        in->pos = in->lo;
        in->line = in->elem_line;
        scan_begin(in);
        in->after = S_JSONL;
        in->state = S_ELEM_BODY;
        return R_CONT;
    }
    if (in->pos == in->hi) {
        fail(in, d, offset_of(in, in->hi), in->line,
             "unexpected end of input: the response body is not closed "
             "(is the input truncated?)");
    } else {
        char found[16];
        fail(in, d, offset_of(in, in->pos), in->line,
             "invalid JSON in the response body: expected %s but found %s",
             expected, describe_byte((unsigned char)in->data[in->pos], found));
    }
    return stop(in);
}

/* The first record of a JSON Lines input may be a saved API error
 * response; say so instead of auditing it as an image. */
static int check_error_body(struct input *in, json_t **out, struct diags *d)
{
    const json_t *code = json_object_get(*out, "error_code");
    if (!json_is_string(code))
        return R_REC;
    const char *msg = json_string_value(json_object_get(*out, "error_msg"));
    fail(in, d, offset_of(in, in->lo), in->elem_line,
         "the input is an API error response, not an image list: %s: %s",
         json_string_value(code), msg ? msg : "(no error_msg)");
    json_decref(*out);
    *out = NULL;
    in->info.records--;
    return stop(in);
}

/* The top-level object closed at pos. */
static int obj_end(struct input *in, json_t **out, struct diags *d)
{
    in->pos++;
    if (!in->detecting) {
        release(in);
        in->state = S_TRAIL;
        return R_CONT;
    }
    in->detecting = false;
    if (in->info.has_total) {
        /* {"total_num":0} without data_list: an empty response. */
        in->info.format = INPUT_API_BODY;
        if (in->info.total_num != 0) {
            fail(in, d, offset_of(in, in->lo), in->elem_line,
                 "the response body has total_num %" PRId64 " but no data_list",
                 in->info.total_num);
            return stop(in);
        }
        release(in);
        in->state = S_TRAIL;
        return R_CONT;
    }
    in->info.format = INPUT_JSONL;
    in->state = S_JSONL;
    in->end_line = in->line;
    int r = emit(in, out, true, false, d);
    return r == R_REC ? check_error_body(in, out, d) : r;
}

static int st_key(struct input *in, json_t **out, struct diags *d)
{
    bool more = skip_ws(in);
    release(in);
    if (!more)
        return in->eof ? obj_error(in, d, "a key") : R_MORE;
    char c = in->data[in->pos];
    if (c == '}' && in->state == S_KEY_FIRST)
        return obj_end(in, out, d);
    if (c != '"')
        return obj_error(in, d, in->state == S_KEY_FIRST ? "a key or '}'" : "a key");
    in->mark = in->pos;
    in->pos++;
    in->sc.depth = 0;
    in->sc.scalar = false;
    in->sc.in_str = true;
    in->state = S_KEY_BODY;
    return R_CONT;
}

static bool key_is(const struct input *in, const char *name)
{
    size_t n = strlen(name);
    return in->pos - in->mark == n + 2 && memcmp(in->data + in->mark + 1, name, n) == 0;
}

static int st_key_body(struct input *in, struct diags *d)
{
    if (!scan_value(in))
        return in->eof ? obj_error(in, d, "'\"'") : R_MORE;
    in->key = key_is(in, "data_list") ? K_DATA_LIST
            : key_is(in, "total_num") ? K_TOTAL_NUM : K_OTHER;
    in->state = S_COLON;
    return R_CONT;
}

static int st_colon(struct input *in, struct diags *d)
{
    if (!skip_ws(in))
        return in->eof ? obj_error(in, d, "':'") : R_MORE;
    if (in->data[in->pos] != ':')
        return obj_error(in, d, "':'");
    in->pos++;
    in->state = S_VALUE;
    return R_CONT;
}

static int st_value(struct input *in, struct diags *d)
{
    if (!skip_ws(in))
        return in->eof ? obj_error(in, d, "a value") : R_MORE;
    unsigned char c = (unsigned char)in->data[in->pos];
    if (in->key == K_DATA_LIST) {
        in->info.format = INPUT_API_BODY;
        if (in->have_list) {
            fail(in, d, offset_of(in, in->pos), in->line,
                 "the response body has a second data_list");
            return stop(in);
        }
        if (c != '[') {
            fail(in, d, offset_of(in, in->pos), in->line,
                 "data_list is not an array (it is %s)", type_from_byte(c));
            return stop(in);
        }
        /* An API response body: what was kept for detection is done with. */
        in->detecting = false;
        in->have_list = true;
        in->seen = 0;
        in->list_at = offset_of(in, in->pos);
        in->pos++;
        release(in);
        in->after_list = S_OBJ_AFTER;
        in->state = S_ELEM_FIRST;
        return R_CONT;
    }
    in->mark = in->pos;
    if (!in->detecting)
        in->lo = in->pos;
    scan_begin(in);
    in->state = S_VALUE_BODY;
    return R_CONT;
}

static int st_value_body(struct input *in, struct diags *d)
{
    if (!scan_value(in) && !in->eof)
        return R_MORE;
    in->state = S_OBJ_AFTER;
    if (in->key != K_TOTAL_NUM)
        return R_CONT;
    json_error_t e;
    unsigned flaws;
    json_t *j = placeholder_loadb(in->data + in->mark, in->pos - in->mark, JSON_DECODE_ANY,
                                  &flaws, &e);
    if (!j) {
        fail(in, d, offset_of(in, in->mark), in->line, "invalid JSON in total_num: %s",
             e.text);
        return stop(in);
    }
    int r = R_CONT;
    if (placeholder_kind(j) == PLACEHOLDER_RANGE) {
        /* The envelope is not a record: no tolerance here. */
        size_t len = in->pos - in->mark;
        fail(in, d, offset_of(in, in->mark), in->line, "total_num is out of range (%.*s%s)",
             (int)(len > 40 ? 37 : len), in->data + in->mark, len > 40 ? "..." : "");
        r = stop(in);
    } else if (!json_is_integer(j)) {
        fail(in, d, offset_of(in, in->mark), in->line,
             "total_num is not an integer (it is %s)", json_type_name(j));
        r = stop(in);
    } else if (json_integer_value(j) < 0) {
        fail(in, d, offset_of(in, in->mark), in->line,
             "total_num is negative (%" JSON_INTEGER_FORMAT ")", json_integer_value(j));
        r = stop(in);
    } else {
        in->info.has_total = true;
        in->info.total_num = json_integer_value(j);
    }
    json_decref(j);
    return r;
}

static int st_obj_after(struct input *in, json_t **out, struct diags *d)
{
    bool more = skip_ws(in);
    release(in);
    if (!more)
        return in->eof ? obj_error(in, d, "',' or '}'") : R_MORE;
    char c = in->data[in->pos];
    if (c == '}')
        return obj_end(in, out, d);
    if (c != ',')
        return obj_error(in, d, "',' or '}'");
    in->pos++;
    in->state = S_KEY_NEXT;
    return R_CONT;
}

/* ---- start and end ------------------------------------------------- */

static int st_start(struct input *in, struct diags *d)
{
    /* A UTF-8 byte order mark, as some Windows tools write: skip it. */
    if (in->base + in->pos == 0) {
        if (in->hi < 3 && !in->eof)
            return R_MORE;
        if (in->hi >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0)
            in->pos = 3;
    }
    if (!skip_ws(in)) {
        if (!in->eof)
            return R_MORE;
        if (in->allow_empty) {
            in->state = S_END;
            return R_CONT;
        }
        diags_add(d, DIAG_ERROR, in->name, 0, 0, 0, NULL,
                  "no records: the input is empty (write [] for an empty list)");
        return stop(in);
    }
    in->lo = in->pos;
    unsigned char c = (unsigned char)in->data[in->pos];
    if (c == '[') {
        in->info.format = INPUT_ARRAY;
        in->list_at = offset_of(in, in->pos);
        in->pos++;
        release(in);
        in->after_list = S_TRAIL;
        in->state = S_ELEM_FIRST;
        return R_CONT;
    }
    if (c == '{') {
        /* Keep the whole object until it is known to be a response body
         * (data_list) or a JSON Lines record (closes without one). */
        in->detecting = true;
        in->seen = 1;
        in->elem_line = in->line;
        in->pos++;
        in->state = S_KEY_FIRST;
        return R_CONT;
    }
    char found[16];
    fail(in, d, offset_of(in, in->pos), in->line,
         "not an image list: expected '[' or '{' but found %s (the input must be "
         "an API response body, a JSON array or JSON Lines)",
         describe_byte(c, found));
    return stop(in);
}

static int st_trail(struct input *in, struct diags *d)
{
    int r;
    if (!next_or_end(in, &r))
        return r;
    char found[16];
    fail(in, d, offset_of(in, in->pos), in->line,
         "unexpected data after the end of the %s (found %s): a file holds one "
         "JSON array, one response body, or JSON Lines",
         in->info.format == INPUT_API_BODY ? "response body" : "array",
         describe_byte((unsigned char)in->data[in->pos], found));
    return stop(in);
}

static void finish_hash(struct input *in)
{
    if (!in->sha_done) {
        sha256_final_hex(&in->sha, in->info.sha256);
        in->sha_done = true;
    }
}

/* ---- public -------------------------------------------------------- */

void input_open_stream(struct input **out, FILE *fp, const char *name,
                       const struct input_opts *o)
{
    struct input *in = xcalloc(1, sizeof *in);
    in->fp = fp;
    in->name = xstrdup(strcmp(name, "-") == 0 ? "<stdin>" : name);
    in->path = xstrdup(name);
    in->info.path = in->path;
    in->chunk = o && o->chunk_size ? o->chunk_size : INPUT_CHUNK;
    in->max_record = o && o->max_record ? o->max_record : INPUT_MAX_RECORD;
    in->allow_empty = o && o->allow_empty;
    in->line = 1;
    in->state = S_START;
    in->sha_done = o && o->no_hash;     /* info.sha256 stays empty */
    if (!in->sha_done)
        sha256_init(&in->sha);
    *out = in;
}

int input_open_opts(struct input **out, const char *path,
                    const struct input_opts *o, struct diags *d)
{
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        input_open_stream(out, stdin, path, o);
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    input_open_stream(out, fp, path, o);
    (*out)->own_fp = true;
    return 0;
}

int input_open(struct input **out, const char *path, struct diags *d)
{
    return input_open_opts(out, path, NULL, d);
}

/* input_next() and input_next_raw(): the driver loop. */
static int next(struct input *in, json_t **out, struct input_raw *raw, struct diags *d)
{
    *out = NULL;
    in->flaws = 0;
    in->raw = raw;
    for (;;) {
        int r;
        switch (in->state) {
        case S_START: r = st_start(in, d); break;
        case S_ELEM_FIRST:
        case S_ELEM_NEXT: r = st_elem_start(in, d); break;
        case S_ELEM_BODY: r = st_elem_body(in, out, d); break;
        case S_ELEM_AFTER: r = st_elem_after(in, d); break;
        case S_JSONL: r = st_jsonl(in, d); break;
        case S_RESYNC: r = st_resync(in); break;
        case S_KEY_FIRST:
        case S_KEY_NEXT: r = st_key(in, out, d); break;
        case S_KEY_BODY: r = st_key_body(in, d); break;
        case S_COLON: r = st_colon(in, d); break;
        case S_VALUE: r = st_value(in, d); break;
        case S_VALUE_BODY: r = st_value_body(in, d); break;
        case S_OBJ_AFTER: r = st_obj_after(in, out, d); break;
        case S_TRAIL: r = st_trail(in, d); break;
        case S_END:
            finish_hash(in);
            return 0;
        case S_FAILED:
        default:
            return -1;
        }
        if (r == R_MORE) {
            if (refill(in, d) < 0)
                return stop(in);
        } else if (r != R_CONT) {
            return r == R_REC ? 1 : r == R_RAW ? 2 : -1;
        }
    }
}

unsigned input_record_flaws(const struct input *in)
{
    return in->flaws;
}

int input_next(struct input *in, json_t **out, struct diags *d)
{
    return next(in, out, NULL, d);
}

int input_next_raw(struct input *in, json_t **out, struct input_raw *raw, struct diags *d)
{
    return next(in, out, raw, d);
}

void input_raw_error(struct input *in, const struct input_raw *r, struct diags *d)
{
    json_error_t e;
    unsigned flaws;
    json_t *j = placeholder_loadb(r->text, r->len, 0, &flaws, &e);
    if (j) {    /* valid after all: not this function's case */
        json_decref(j);
        diags_add(d, DIAG_ERROR, in->name, 0, 0, 0, NULL,
                  "record %zu: internal error: valid JSON reported as invalid", r->seen);
    } else {
        invalid_record(in, r->len, r->at, r->line, r->seen, true, &e, d);
    }
    stop(in);
}

const struct input_info *input_info(const struct input *in)
{
    return &in->info;
}

void input_close(struct input *in)
{
    if (!in)
        return;
    if (in->own_fp)
        fclose(in->fp);
    if (!in->sha_done) {
        char scratch[SHA256_HEX_LEN];
        sha256_final_hex(&in->sha, scratch);
    }
    free(in->data);
    free(in->path);
    free(in->name);
    free(in);
}

const char *input_format_name(enum input_format f)
{
    switch (f) {
    case INPUT_API_BODY: return "api";
    case INPUT_JSONL: return "jsonl";
    case INPUT_ARRAY: return "array";
    case INPUT_UNKNOWN: break;
    }
    return "unknown";
}
