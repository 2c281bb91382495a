/* SPDX-License-Identifier: MIT
 * Unit tests for src/util: time parsing/formatting, durations, the capped
 * buffer, did-you-mean, the arena, the string table, the atomic file
 * writer and the usable CPUs (affinity, cgroup quotas). */
#define _GNU_SOURCE     /* sched_setaffinity, sched_getcpu */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/cpus.h"
#include "util/crc32c.h"
#include "util/hash.h"
#include "util/hugemem.h"
#include "util/samefile.h"
#include "util/strtab.h"
#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/writepiece.h"

static void test_time_parse(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(time_parse("2026-11-27T08:00:00Z", &ms), 0);
    assert_true(ms == 1795766400000LL);
    assert_int_equal(time_parse("1795766400000", &ms), 0);
    assert_true(ms == 1795766400000LL);
    assert_int_equal(time_parse("2026-11-27T10:00:00+02:00", &ms), 0);
    assert_true(ms == 1795766400000LL);
    assert_int_equal(time_parse("2026-11-27T08:00:00.5Z", &ms), 0);
    assert_true(ms == 1795766400500LL);
    assert_int_equal(time_parse("1970-01-01T00:00:00Z", &ms), 0);
    assert_true(ms == 0);
    assert_int_equal(time_parse("2024-02-29T00:00:00Z", &ms), 0);
    assert_int_equal(time_parse("2026-11-27", &ms), -1);
    assert_int_equal(time_parse("2026-11-27T08:00:00", &ms), -1);   /* no zone */
    assert_int_equal(time_parse("2026-13-01T00:00:00Z", &ms), -1);
    assert_int_equal(time_parse("2026-02-30T00:00:00Z", &ms), -1);
    assert_int_equal(time_parse("yesterday", &ms), -1);
    assert_int_equal(time_parse("", &ms), -1);
    assert_int_equal(time_parse("99999999999999999999", &ms), -1);
    /* Years 0000 to 9999 only: the four-digit form cannot write others. */
    assert_int_equal(time_parse("0000-01-01T00:00:00Z", &ms), 0);
    assert_true(ms == TIME_MIN_MS);
    assert_int_equal(time_parse("9999-12-31T23:59:59.999Z", &ms), 0);
    assert_true(ms == TIME_MAX_MS);
    assert_int_equal(time_parse("0000-01-01T00:00:00+00:01", &ms), -1);
    assert_int_equal(time_parse("9999-12-31T23:59:59-00:01", &ms), -1);
    assert_int_equal(time_parse("253402300799999", &ms), 0);
    assert_int_equal(time_parse("253402300800000", &ms), -1);
    assert_int_equal(time_parse("-62167219200000", &ms), 0);
    assert_int_equal(time_parse("-62167219200001", &ms), -1);
}

static void test_time_format(void **state)
{
    (void)state;
    char t[TIME_ISO_MAX];
    time_format_iso(1795766400000LL, t);
    assert_string_equal(t, "2026-11-27T08:00:00Z");
    time_format_iso(1691748641788LL, t);
    assert_string_equal(t, "2023-08-11T10:10:41.788Z");
    time_format_iso(0, t);
    assert_string_equal(t, "1970-01-01T00:00:00Z");
    time_format_iso(-1, t);
    assert_string_equal(t, "1969-12-31T23:59:59.999Z");
    time_format_iso(951782400000LL, t);             /* leap day 2000 */
    assert_string_equal(t, "2000-02-29T00:00:00Z");
    time_format_iso(TIME_MIN_MS, t);
    assert_string_equal(t, "0000-01-01T00:00:00Z");
    time_format_iso(TIME_MAX_MS, t);
    assert_string_equal(t, "9999-12-31T23:59:59.999Z");
}

static void test_duration(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(duration_parse("7d", 2, &ms), 0);
    assert_true(ms == 7 * 86400000LL);
    assert_int_equal(duration_parse("12h", 3, &ms), 0);
    assert_true(ms == 12 * 3600000LL);
    assert_int_equal(duration_parse("15m", 3, &ms), 0);
    assert_true(ms == 15 * 60000LL);
    assert_int_equal(duration_parse("45s", 3, &ms), 0);
    assert_true(ms == 45000);
    assert_int_equal(duration_parse("d", 1, &ms), -1);
    assert_int_equal(duration_parse("7w", 2, &ms), -1);
    assert_int_equal(duration_parse("1.5d", 4, &ms), -1);
    assert_int_equal(duration_parse("99999999999999999d", 18, &ms), -1);
    char out[32];
    duration_format(7 * 86400000LL, out);
    assert_string_equal(out, "7d");
    duration_format(36 * 3600000LL, out);
    assert_string_equal(out, "36h");
    duration_format(90000, out);
    assert_string_equal(out, "90s");
    duration_format(1500, out);
    assert_string_equal(out, "1500ms");
    duration_format(0, out);
    assert_string_equal(out, "0ms");
}

/* int_text and buf_put_int: printf's digits, at the limits too. */
static void test_int_text(void **state)
{
    (void)state;
    static const int64_t v[] = {0, 1, -1, 9, 10, -10, 99, 100, 1234567890, -987654321,
                                INT64_MAX, INT64_MIN, INT64_MIN + 1};
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char want[32], t[INT_TEXT_MAX], *end = t + sizeof t;
        snprintf(want, sizeof want, "%" PRId64, v[i]);
        char *p = int_text(v[i], end);
        assert_int_equal((size_t)(end - p), strlen(want));
        assert_memory_equal(p, want, strlen(want));
        buf_clear(&b);
        assert_int_equal(buf_put_int(&b, v[i]), 0);
        assert_string_equal(buf_cstr(&b), want);
    }
    buf_dispose(&b);
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "678"), 0);
    assert_int_equal(buf_puts(&b, "9"), -1);        /* over the cap: nothing appended */
    assert_string_equal(buf_cstr(&b), "12345678");
    assert_int_equal(buf_printf(&b, "%d", 1), -1);
    buf_clear(&b);
    assert_int_equal(buf_printf(&b, "%s-%d", "ab", 42), 0);
    assert_string_equal(buf_cstr(&b), "ab-42");
    char *s = buf_detach(&b);
    assert_string_equal(s, "ab-42");
    free(s);
    assert_string_equal(buf_cstr(&b), "");
    buf_dispose(&b);

    /* buf_reserve: room in place after 'len', within the cap. */
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "ab"), 0);
    char *room = buf_reserve(&b, 6);
    assert_non_null(room);
    assert_ptr_equal(room, b.data + 2);
    assert_true(b.cap >= 2 + 6 + 1);
    memcpy(room, "cdef", 4);
    b.len += 4;
    b.data[b.len] = '\0';
    assert_string_equal(buf_cstr(&b), "abcdef");
    assert_null(buf_reserve(&b, 3));                /* 6 + 3 > 8: nothing reserved */
    assert_int_equal(b.len, 6);
    assert_non_null(buf_reserve(&b, 2));
    buf_dispose(&b);
}

static void test_suggest(void **state)
{
    (void)state;
    const char *c[] = {"vul_num", "image_name", "scan_status", "when", "title"};
    assert_string_equal(suggest_best("vul_nums", 8, c, 5), "vul_num");
    assert_string_equal(suggest_best("imgae_name", 10, c, 5), "image_name");  /* transposition */
    assert_string_equal(suggest_best("whn", 3, c, 5), "when");
    assert_null(suggest_best("completely_else", 15, c, 5));
    assert_int_equal(suggest_distance("kitten", 6, "sitting"), 3);
    assert_int_equal(suggest_distance("", 0, "abc"), 3);
}

static void test_arena(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    const char *x = arena_strdup(&a, "hello");
    char big[100000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *y = arena_strdup(&a, big);
    const char *z = arena_strndup(&a, "abcdef", 3);
    assert_string_equal(x, "hello");
    assert_int_equal(strlen(y), sizeof big - 1);
    assert_string_equal(z, "abc");
    arena_dispose(&a);
}

/* arena_calloc between strings: aligned for any object, zeroed, and a
 * block larger than a chunk gets one of its own. */
static void test_arena_calloc(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    for (int k = 0; k < 5000; k++) {
        arena_strndup(&a, "xyz", (size_t)k % 4);
        unsigned char *p = arena_calloc(&a, (size_t)k % 50 + 1);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int j = 0; j < k % 50 + 1; j++)
            assert_int_equal(p[j], 0);
        memset(p, 0xff, (size_t)k % 50 + 1);
    }
    unsigned char *big = arena_calloc(&a, 200000);
    assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
    assert_int_equal(big[0] | big[199999], 0);
    arena_dispose(&a);
}

/* The string table: the first value stays, lengths (not NULs) delimit
 * keys, "" is a key, and lookups survive growth. */
static void test_strtab(void **state)
{
    (void)state;
    struct strtab t = STRTAB_INIT;
    int one = 1, two = 2;
    assert_null(strtab_get(&t, "a", 1));
    assert_null(strtab_put(&t, "a", 1, &one));
    assert_ptr_equal(strtab_put(&t, "a", 1, &two), &one);
    assert_ptr_equal(strtab_get(&t, "a", 1), &one);
    assert_null(strtab_get(&t, "ab", 2));
    assert_null(strtab_put(&t, "", 0, &two));
    assert_ptr_equal(strtab_get(&t, "", 0), &two);
    assert_null(strtab_put(&t, "a\0b", 3, &two));
    assert_ptr_equal(strtab_get(&t, "a\0b", 3), &two);
    assert_ptr_equal(strtab_get(&t, "a", 1), &one);
    /* Many keys: every one found, with its own value, none invented. */
    enum { N = 100000 };
    static char keys[N][8];
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_null(strtab_put(&t, keys[i], strlen(keys[i]), keys[i]));
    }
    assert_int_equal(t.n, N + 3);
    assert_true(2 * t.n <= t.cap);
    for (int i = 0; i < N; i++)
        assert_ptr_equal(strtab_get(&t, keys[i], strlen(keys[i])), keys[i]);
    assert_null(strtab_get(&t, "k100000", 7));
    strtab_dispose(&t);
    assert_null(strtab_get(&t, "a", 1));
}

static void test_sha256(void **state)
{
    (void)state;
    char h[SHA256_HEX_LEN];
    sha256_hex("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* hash.c uses OpenSSL's low-level SHA-256 (no EVP initialisation): the
 * same digests as EVP, for every length around the 64-byte block and
 * for a megabyte fed in uneven pieces. */
static void test_sha256_same_as_evp(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    size_t lens[] = {0, 1, 55, 56, 63, 64, 65, 119, 127, 128, 129, 1000, 65536, n};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned dn = 0;
        assert_int_equal(EVP_Digest(data, lens[k], d, &dn, EVP_sha256(), NULL), 1);
        char want[SHA256_HEX_LEN], got[SHA256_HEX_LEN];
        for (unsigned i = 0; i < dn; i++)
            snprintf(want + 2 * i, 3, "%02x", d[i]);
        sha256_hex(data, lens[k], got);
        assert_string_equal(got, want);
        struct sha256_ctx c;
        sha256_init(&c);
        for (size_t at = 0, step = 1; at < lens[k]; at += step, step = step * 3 % 1009 + 1)
            sha256_update(&c, data + at, step < lens[k] - at ? step : lens[k] - at);
        sha256_final_hex(&c, got);
        assert_string_equal(got, want);
    }
    free(data);
}

/* An array grown one element at a time from nothing to 8 MiB keeps
 * every element: through malloc's growth, the copy into its first
 * mapping at HUGEMEM_MIN, and the moves (mremap) after it. A mapped
 * block is 2 MiB-aligned and its new room zero; both sizes free. */
static void test_hugemem(void **state)
{
    (void)state;
    uint64_t *v = NULL;
    size_t cap = 0, n = (8u << 20) / sizeof *v, mapped_at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t was = cap;
        HUGEMEM_GROW(v, cap, i + 1);
        assert_true(cap > i);
        if (cap != was && cap * sizeof *v >= HUGEMEM_MIN) {
            assert_int_equal((uintptr_t)v % (2u << 20), 0);
            for (size_t k = i; k < cap; k++)    /* the new room, when mapped */
                assert_int_equal(v[k], 0);
            if (!mapped_at)
                mapped_at = i;
        }
        v[i] = i * 2654435761u;
    }
    assert_true(mapped_at > 0 && mapped_at * sizeof *v < 2 * HUGEMEM_MIN);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], i * 2654435761u);
    hugemem_free(v, cap * sizeof *v);
    /* Small: malloc's, however it grew. */
    char *c = NULL;
    size_t cc = 0;
    HUGEMEM_GROW(c, cc, 100);
    assert_true(cc >= 100 && cc * sizeof *c < HUGEMEM_MIN);
    memset(c, 'x', cc);
    hugemem_free(c, cc);
    hugemem_free(NULL, 0);
}

/* A stream that records what reaches it: the bytes, and the largest
 * single write; it fails once 'fail_at' bytes are in (0: never). */
struct piece_sink {
    char *data;
    size_t len, cap, largest, fail_at;
};

static ssize_t piece_sink_write(void *cookie, const char *p, size_t n)
{
    struct piece_sink *s = cookie;
    if (s->fail_at && s->len + n > s->fail_at) {
        errno = ENOSPC;
        return -1;
    }
    if (s->len + n > s->cap) {
        s->cap = (s->len + n) * 2;
        s->data = realloc(s->data, s->cap);
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    if (n > s->largest)
        s->largest = n;
    return (ssize_t)n;
}

static FILE *piece_sink_open(struct piece_sink *s)
{
    FILE *f = fopencookie(s, "w", (cookie_io_functions_t){NULL, piece_sink_write, NULL, NULL});
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);        /* every fwrite reaches the sink as it is */
    return f;
}

/* Messages of a SOCK_SEQPACKET socket, read until the peer closes:
 * each recv() is one write() of the other end. */
struct piece_reader {
    int fd;
    size_t total, largest, count;
    unsigned char sum;
};

static void *piece_read(void *arg)
{
    struct piece_reader *r = arg;
    static char m[1 << 20];
    ssize_t n;
    while ((n = recv(r->fd, m, sizeof m, MSG_TRUNC)) > 0) {
        r->total += (size_t)n;
        r->count++;
        if ((size_t)n > r->largest)
            r->largest = (size_t)n;
        for (ssize_t i = 0; i < n && (size_t)n <= sizeof m; i++)
            r->sum = (unsigned char)(r->sum + (unsigned char)m[i]);
    }
    return NULL;
}

/* Large writes reach the file whole and in order, in pieces of at most
 * WRITE_PIECE bytes (util/writepiece.h says why); an error stops them
 * and shows as fwrite's or write()'s does. */
static void test_write_pieces(void **state)
{
    (void)state;
    size_t n = 3 * WRITE_PIECE + 12345;
    char *src = malloc(n);
    unsigned char sum = 0;
    for (size_t i = 0; i < n; i++) {
        src[i] = (char)(i * 7 + i / 4096);
        sum = (unsigned char)(sum + (unsigned char)src[i]);
    }
    /* Through a stream: every byte, none of the writes larger than a piece. */
    struct piece_sink s = {0};
    FILE *f = piece_sink_open(&s);
    assert_int_equal(write_pieces(src, n, f), n);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(s.len, n);
    assert_memory_equal(s.data, src, n);
    assert_int_equal(s.largest, WRITE_PIECE);
    free(s.data);
    /* A failing stream: the pieces stop at the error (the bytes fwrite
     * took of the failing one depend on stdio), its error set. */
    struct piece_sink bad = {.fail_at = WRITE_PIECE + 10};
    f = piece_sink_open(&bad);
    size_t took = write_pieces(src, n, f);
    assert_true(took >= WRITE_PIECE && took < 2 * WRITE_PIECE);
    assert_true(bad.len <= bad.fail_at);
    assert_true(ferror(f));
    fclose(f);
    free(bad.data);
    /* To a descriptor: a socket whose reads are the writes, one by one. */
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    struct piece_reader r = {sv[1], 0, 0, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, piece_read, &r), 0);
    assert_int_equal(write_pieces_fd(sv[0], src, n), 0);
    close(sv[0]);
    pthread_join(th, NULL);
    close(sv[1]);
    assert_int_equal(r.total, n);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.largest, WRITE_PIECE);
    assert_int_equal(r.sum, sum);
    /* A bad descriptor: -1 and its errno. */
    errno = 0;
    assert_int_equal(write_pieces_fd(-1, src, n), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(write_pieces_fd(-1, src, 0), 0);   /* nothing to write */
    free(src);
}

/* CRC-32C: RFC 3720's vectors (B.4), the instruction and the table
 * agree at every length and alignment, and a CRC continues across
 * pieces. */
static void test_crc32c(void **state)
{
    (void)state;
    unsigned char b[48];
    memset(b, 0, 32);
    assert_int_equal(crc32c(0, b, 32), 0x8A9136AA);
    memset(b, 0xFF, 32);
    assert_int_equal(crc32c(0, b, 32), 0x62A8AB43);
    for (int i = 0; i < 32; i++)
        b[i] = (unsigned char)i;
    assert_int_equal(crc32c(0, b, 32), 0x46DD794E);
    for (int i = 0; i < 32; i++)
        b[i] = (unsigned char)(31 - i);
    assert_int_equal(crc32c(0, b, 32), 0x113FDB5C);
    assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283);
    assert_int_equal(crc32c(0, "", 0), 0);
    unsigned char data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    for (size_t off = 0; off < 9; off++)
        for (size_t n = 0; n + off <= sizeof data; n += 1 + n / 7) {
            uint32_t whole = crc32c(0, data + off, n);
            assert_int_equal(whole, crc32c_portable(0, data + off, n));
            size_t cut = n / 3;
            assert_int_equal(whole, crc32c(crc32c(0, data + off, cut), data + off + cut, n - cut));
        }
    /* Past the blocks of three streams (3 x 256 and 3 x 8192 bytes),
     * at their edges and between, unaligned too. */
    size_t big_n = 100000;
    unsigned char *big = malloc(big_n + 8);
    assert_non_null(big);
    for (size_t i = 0; i < big_n + 8; i++)
        big[i] = (unsigned char)(i * 2654435761u >> 11);
    static const size_t lens[] = {767, 768, 769, 24575, 24576, 24577, 49152 + 768 + 7, 99999};
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
        for (size_t off = 0; off < 8; off += 3) {
            uint32_t whole = crc32c(0, big + off, lens[k]);
            assert_int_equal(whole, crc32c_portable(0, big + off, lens[k]));
            size_t cut = lens[k] / 2 + 1;
            assert_int_equal(whole, crc32c(crc32c(0, big + off, cut), big + off + cut,
                                           lens[k] - cut));
        }
    free(big);
}

/* A new directory 'dir' (a "/tmp/imgaudit-test-XXXXXX" to fill) and
 * the path of 'name' in it, for the atomic file tests. */
static void test_dir(char *dir, char target[256], const char *name)
{
    assert_non_null(mkdtemp(dir));
    snprintf(target, 256, "%s/%s", dir, name);
}

/* A committed file appears under its name; an aborted one leaves
 * nothing, and an existing target is untouched until the rename. */
static void test_atomic_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/imgaudit-test-XXXXXX", target[256];
    test_dir(dir, target, "out.csv");
    struct diags d = DIAGS_INIT;

    struct atomic_file af;
    assert_int_equal(atomic_open(&af, target, &d), 0);
    fputs("partial", af.fp);
    assert_int_not_equal(access(target, F_OK), 0);  /* nothing under the target name yet */
    atomic_abort(&af);
    assert_int_not_equal(access(target, F_OK), 0);

    assert_int_equal(atomic_open(&af, target, &d), 0);
    fputs("complete\n", af.fp);
    assert_int_equal(atomic_commit(&af, &d), 0);
    FILE *f = fopen(target, "r");
    assert_non_null(f);
    char line[32] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "complete\n");

    /* A directory that does not exist: a clear error naming the target. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/missing/out.csv", dir);
    assert_int_equal(atomic_open(&af, bad, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, bad);
    assert_string_equal(d.v[0].msg, "cannot create: No such file or directory");

    unlink(target);
    rmdir(dir);
    diags_dispose(&d);
}

/* A report's stream holds WRITE_PIECE bytes before it writes: with
 * stdio's 4 KiB buffer, a report of small fputs() was a write() every
 * 4 KiB. Watched through the temporary file's size. */
static void test_atomic_file_buffer(void **state)
{
    (void)state;
    char dir[] = "/tmp/imgaudit-test-XXXXXX", target[256];
    test_dir(dir, target, "out.json");
    struct diags d = DIAGS_INIT;
    struct atomic_file af;
    assert_int_equal(atomic_open(&af, target, &d), 0);
    struct stat st;
    for (size_t i = 0; i < WRITE_PIECE - 1; i++)
        fputc('x', af.fp);
    assert_int_equal(fstat(fileno(af.fp), &st), 0);
    assert_int_equal(st.st_size, 0);                /* all of it still buffered */
    for (int i = 0; i < 101; i++)
        fputs("y", af.fp);
    assert_int_equal(fstat(fileno(af.fp), &st), 0);
    assert_int_equal(st.st_size, WRITE_PIECE);      /* one full buffer written */
    assert_int_equal(atomic_commit(&af, &d), 0);
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_size, WRITE_PIECE + 100);
    assert_int_equal(d.errors, 0);
    unlink(target);
    rmdir(dir);
    diags_dispose(&d);
}

/* samefile_check compares files, not names: a hard link and a "./"
 * path clash, two outputs clash before they exist, and devices or
 * missing inputs never do. */
static void test_samefile(void **state)
{
    (void)state;
    char dir[] = "/tmp/imgaudit-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[256], hard[256], dot[256], fresh[256], fresh2[256], gone[256];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(hard, sizeof hard, "%s/hard.json", dir);
    snprintf(dot, sizeof dot, "%s/./a.json", dir);
    snprintf(fresh, sizeof fresh, "%s/new.csv", dir);
    snprintf(fresh2, sizeof fresh2, "%s/../%s/new.csv", dir, strrchr(dir, '/') + 1);
    snprintf(gone, sizeof gone, "%s/gone.yaml", dir);
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(link(a, hard), 0);
    struct diags d = DIAGS_INIT;

    struct path_use outs[] = {{"-o", hard}, {"-o", fresh}, {"-o", fresh2}, {"-o", "/dev/null"}};
    struct path_use ins[] = {{"--waivers", dot}, {"--baseline", gone}, {"--input", NULL},
                             {"--template", "/dev/null"}};
    assert_int_equal(samefile_check(outs, 4, ins, 4, &d), -1);
    assert_int_equal(d.errors, 2);
    char want[1024];
    snprintf(want, sizeof want, "-o %s is the same file as --waivers %s, which it would "
             "overwrite; choose another output file", hard, dot);
    assert_string_equal(d.v[0].msg, want);
    snprintf(want, sizeof want, "-o %s and -o %s are the same file; give each output its "
             "own file", fresh, fresh2);
    assert_string_equal(d.v[1].msg, want);

    struct diags d2 = DIAGS_INIT;
    assert_int_equal(samefile_check(outs + 1, 1, ins, 4, &d2), 0);
    assert_int_equal(d2.n, 0);

    unlink(hard);
    unlink(a);
    rmdir(dir);
    diags_dispose(&d);
    diags_dispose(&d2);
}

/* diags_flush prints what was collected, empties the list, and keeps
 * counting errors; printing afterwards shows only what came later. */
static void test_diags_flush(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    diags_add(&d, DIAG_WARNING, NULL, 0, 0, 0, NULL, "first %d", 1);
    diags_error(&d, "second");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    diags_flush(&d, f);
    diags_error(&d, "third");
    diags_print(&d, f);
    fclose(f);
    assert_string_equal(text, "imgaudit: warning: first 1\nimgaudit: error: second\n"
                              "imgaudit: error: third\n");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.errors, 2);
    free(text);
    diags_dispose(&d);
}

/* ---- util/cpus.h: a cgroup's CPU quota, from a fake /proc and /sys ---- */

/* Write 'text' to 'root'/'rel', making its folders. */
static void put_file(const char *root, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0777);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *fake_root(void)
{
    char *dir = strdup("/tmp/imgaudit-cpus-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_tree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_cpus_cgroup(void **state)
{
    (void)state;
    /* cgroup v2: the smallest quota along the path, rounded up; "max"
     * is none. */
    char *r = fake_root();
    put_file(r, "proc/self/cgroup", "0::/kubepods/pod1/c1\n");
    put_file(r, "sys/fs/cgroup/kubepods/pod1/c1/cpu.max", "max 100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 0);
    put_file(r, "sys/fs/cgroup/kubepods/pod1/cpu.max", "250000 100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 3);
    put_file(r, "sys/fs/cgroup/kubepods/cpu.max", "150000 100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 2);
    put_file(r, "sys/fs/cgroup/cpu.max", "50000 100000\n");  /* the mount's own */
    assert_int_equal(cpus_cgroup_limit(r), 1);
    remove_tree(r);
    free(r);

    /* v1: a path not under the mount (a runtime's host path) is walked up
     * to the mount; -1 is no quota; "cpu" among other controllers. */
    r = fake_root();
    put_file(r, "proc/self/cgroup", "5:memory:/x\n4:cpuacct,cpu:/docker/abc\n");
    put_file(r, "sys/fs/cgroup/cpuacct,cpu/cpu.cfs_quota_us", "-1\n");
    put_file(r, "sys/fs/cgroup/cpuacct,cpu/cpu.cfs_period_us", "100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 0);
    put_file(r, "sys/fs/cgroup/cpuacct,cpu/cpu.cfs_quota_us", "400000\n");
    assert_int_equal(cpus_cgroup_limit(r), 4);
    put_file(r, "sys/fs/cgroup/cpuacct,cpu/docker/abc/cpu.cfs_quota_us", "120000\n");
    put_file(r, "sys/fs/cgroup/cpuacct,cpu/docker/abc/cpu.cfs_period_us", "100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 2);
    remove_tree(r);
    free(r);

    /* Unreadable or odd: no quota. */
    r = fake_root();
    assert_int_equal(cpus_cgroup_limit(r), 0);                  /* no /proc/self/cgroup */
    put_file(r, "proc/self/cgroup", "garbage\n0::relative\n3:cpuset:/\n");
    assert_int_equal(cpus_cgroup_limit(r), 0);
    put_file(r, "proc/self/cgroup", "0::/\n");
    put_file(r, "sys/fs/cgroup/cpu.max", "lots\n");
    assert_int_equal(cpus_cgroup_limit(r), 0);
    put_file(r, "sys/fs/cgroup/cpu.max", "0 100000\n");
    assert_int_equal(cpus_cgroup_limit(r), 0);
    remove_tree(r);
    free(r);
}

/* The affinity mask counts: a child pinned to one CPU may use one. */
static void test_cpus_affinity(void **state)
{
    (void)state;
    assert_true(cpus_usable() >= 1);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
        if (sched_setaffinity(0, sizeof one, &one) != 0)
            _exit(2);
        _exit(cpus_usable() == 1 ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse), cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_duration),   cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_int_text),
        cmocka_unit_test(test_suggest),    cmocka_unit_test(test_arena),
        cmocka_unit_test(test_sha256),     cmocka_unit_test(test_sha256_same_as_evp), cmocka_unit_test(test_crc32c), cmocka_unit_test(test_hugemem), cmocka_unit_test(test_write_pieces),     cmocka_unit_test(test_atomic_file),
        cmocka_unit_test(test_atomic_file_buffer),
        cmocka_unit_test(test_diags_flush), cmocka_unit_test(test_samefile),
        cmocka_unit_test(test_arena_calloc), cmocka_unit_test(test_strtab),
        cmocka_unit_test(test_cpus_cgroup), cmocka_unit_test(test_cpus_affinity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
