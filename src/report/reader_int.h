/* SPDX-License-Identifier: MIT
 * The JSON report reader's parts (reader.c: the file and the top level;
 * reader_meta.c: meta, rules, waivers, data_quality, read with jansson;
 * reader_rows.c: the inventory, finding and resolved rows) and what
 * they share. Private to those three files. */
#ifndef IMGAUDIT_READER_INT_H
#define IMGAUDIT_READER_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "report/columns.h"
#include "report/idtable.h"
#include "report/jsonscan.h"
#include "report/reader.h"
#include "report/resolved.h"
#include "util/buf.h"
#include "util/strtab.h"

/* Pages of the mapping already read are given back in steps of this. */
#define DROP_STEP ((size_t)8 << 20)
/* Days remembered by rd_time_exact(). */
#define DAY_CACHE 512

/* The top-level members the reader reads, in the order it needs them. */
enum sec { SEC_META, SEC_RULES, SEC_WAIVERS, SEC_QUALITY, SEC_SOURCES, SEC_INVENTORY,
           SEC_FINDINGS, SEC_RESOLVED, SEC_SUMMARY, SEC_COUNT };
extern const char *const rd_sec_names[SEC_COUNT];

/* A row's extra members after the finding columns / the image fields. */
enum { K_IMAGE_INDEX = FC_COUNT, K_WAIVERS, FINDING_KEYS };
enum { K_INDEX = 0, K_FIELD0 = 1, K_FINDINGS = 1 + FIELD_COUNT, K_MAX_SEV, K_SOURCE,
       IMAGE_KEYS };
#define MAX_KEYS ((int)FINDING_KEYS > (int)IMAGE_KEYS ? (int)FINDING_KEYS : (int)IMAGE_KEYS)

/* The finding index (reader_index.c): where finding_index_check says
 * the sections are, relative to the inventory's '[' ('base'), and
 * their checksums. */
struct rd_index {
    bool found;                 /* the file ends with a finding_index_check */
    bool used;                  /* its checksums agree: read through the index */
    size_t inventory_end, findings_at, findings_end, index_at, index_end;
    uint32_t findings_crc, index_crc;
    size_t base;                /* the inventory's '[' */
    size_t rows_at;             /* just past the index's "rows": [ */
};

struct rd {
    struct js_text t;
    /* The seed of the hashes that stand for rows' image values
     * (rd_row_cells_hash, reader_spill.c): random per read, so that a
     * file cannot be made whose other values hash the same (idhash can
     * be inverted) and pass for the same. Never leaves the process. */
    uint64_t seed;
    int fd;                     /* open while mapped, else -1 */
    struct stat st;             /* the mapped file's, as opened */
    void *map;                  /* the mapping, or NULL when read whole */
    char *heap;                 /* the file read whole, or NULL */
    size_t page, drop_from, populated;
    const char *name;           /* for messages */
    bool hashing;               /* report_read_json_info's SHA-256 of the file */
    struct sha256_ctx sha;
    size_t hashed;              /* bytes hashed so far */
    struct report *rep;
    unsigned flags;
    struct diags *d;

    size_t top;                 /* the top-level '{' */
    struct js_val schema, version;  /* JS_ABSENT until met */
    bool schema_ok;
    bool seen[SEC_COUNT];
    size_t sec_at[SEC_COUNT];
    unsigned done;              /* BIT(section) once read */

    size_t n_inventory;
    struct idtable rule_ids, waiver_ids;
    struct resolved_builder resolved;
    bool resolved_open;
    size_t cap;                 /* growth of the array the current section builds */
    uint8_t *waiver_state;      /* per waiver: the state the file gives */
    size_t *waiver_at;          /* per waiver: where it is */
    size_t gate_at;
    char gate_verdict[16];
    unsigned gate_failed;
    int64_t last_rule;          /* the rule of the previous finding row: rows come in runs */
    /* REPORT_READ_NO_INVENTORY: a bit per inventory index, set once a
     * finding row gave its image's cells. Not the image's own 'findings'
     * (as it was): that is a cache miss per row into a 50 MB array. */
    uint64_t *has_cells;
    /* report_reader_open(): each finding row is handed to 'visit' and
     * forgotten. Its strings go to 'row_text', emptied per row; per
     * inventory index, while the walk lasts, the first row's place in
     * the file and a hash of the image values it carries (a later row
     * must carry the same: reader_rows.c), and its source, kept for the
     * rows read again (report_reader_row) when the report has sources. */
    report_row_fn visit;
    bool spool;                 /* a stream goes to a temporary file, mapped */
    void *visit_ctx;
    bool rereading;             /* report_reader_row() */
    size_t reread_stretch;      /* its stretch of the file last checked, or SIZE_MAX */
    struct arena row_text;
    struct arena *strings;      /* where the row being read keeps its strings */
    struct report_finding row;
    struct report_image row_img;
    size_t *first_at;
    uint64_t *cells_hash;
    uint32_t *img_source;       /* NULL without sources */

    /* report_reader_open() without REPORT_OPEN_NO_INDEX: the index. */
    bool try_index;
    struct rd_index ix;

    /* REPORT_READ_SPILL (reader_spill.c): the images and findings go
     * to the store as they are read; NULL in the other modes. */
    struct rd_spill *sp;
    bool store_failed;          /* its temporary files could not be made or written */

    const char *finding_names[FINDING_KEYS];
    const char *image_names[IMAGE_KEYS];
    struct js_keys finding_keys, image_keys;
    struct buf scratch, text, text2;
    char day_key[DAY_CACHE][10];    /* rd_time_exact()'s cache: "YYYY-MM-DD" */
    int64_t day_ms[DAY_CACHE];
};

/* What REPORT_READ_SPILL keeps per inventory entry while the file is
 * read (33 bytes), instead of the image: where its row is and a
 * hash of its values as a finding row carries them (row_cells_hash's
 * bytes, so that a finding row is checked against its image by one
 * comparison; when they differ the entry's row is read again and
 * compared value by value), and what the summary and the store's image records need
 * once the findings are read. */
struct rd_spill {
    size_t *inv_at;
    uint64_t *inv_hash;
    uint32_t *source;           /* as the row gives it (checked after the walk) */
    uint32_t *findings;         /* findings on it */
    int8_t *max_sev;            /* its worst finding's severity, -1 */
    uint32_t *ns, *reg;         /* its namespace and registry_name: keys[] indexes */
    size_t n, cap;              /* inventory entries read */
    struct strtab key_ids;      /* "n" or "r" + the value -> index + 1 */
    const char **keys;          /* the values ("(none)": missing), in the report's arena */
    size_t n_keys, cap_keys;
    uint64_t *rkey;             /* report_rule_keys(): the findings' order */
    uint64_t last_key;          /* of the previous finding row */
    bool unordered;             /* a finding row out of report order: read in memory */
    uint32_t *matches;          /* the row's waiver matches */
    size_t cap_matches;
    struct buf key;             /* scratch */
};

/* ---- reader.c: messages and shared checks -------------------------- */

/* The one error of a failed read, at offset 'at': "FILE:LINE:COL:
 * error: ...". Returns -1. */
int rd_fail(struct rd *r, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "findings[3]" (index SIZE_MAX: "meta"), for messages. */
const char *rd_where(char out[96], const char *sec, size_t index);
/* A scanner error inside 'ctx' (NULL: the top level). Returns -1. */
int rd_scan_fail(struct rd *r, const struct js_err *e, const char *ctx);
/* "PATH: expected WHAT, found VALUE" at the value. Returns -1. */
int rd_wrong(struct rd *r, const char *path, const struct js_val *v, const char *what);
/* The value at 'at' must open with 'open' ('{' or '['). */
int rd_expect(struct rd *r, size_t at, char open, const char *path);
/* A time exactly as the writer writes it ('n' bytes at 's'). */
bool rd_time_exact(struct rd *r, const char *s, size_t n, int64_t *ms);
#define TIME_WORDS "a time such as \"2026-11-27T08:00:00Z\""

/* ---- reader_meta.c ------------------------------------------------- */

/* The meta object at 'at'; '*end' is just past it. */
int rd_read_meta(struct rd *r, size_t at, size_t *end);
/* Element 'i' (at 'at') of rules, waivers, data_quality or sources. */
int rd_read_small(struct rd *r, enum sec s, size_t i, size_t at, size_t *end);
/* The index of waiver 'id' ('n' bytes) in rep->waivers, or -1. */
int64_t rd_waiver_find(const struct rd *r, const char *id, size_t n);
/* After report_finish(): the waivers' states and the gate's verdict in
 * the file must be what the model computes. */
int rd_check_computed(struct rd *r);

/* ---- reader_rows.c ------------------------------------------------- */

/* Row 'i' (at 'at') of inventory, findings or resolved. */
int rd_read_row(struct rd *r, enum sec s, size_t i, size_t at, size_t *end);
/* The cells of inventory row 'i' ('v' its members) into 'img', its
 * strings into r->strings. */
int rd_read_cells(struct rd *r, struct report_image *img, const struct js_val *v, size_t i);
/* The hash of the bytes of the image values a finding row carries, in
 * its column order: of finding row 'v', or of the same values in
 * inventory row 'v' ('inventory'), so that a finding row whose values
 * are its entry's bytes hashes as the entry (struct rd_spill). */
uint64_t rd_row_cells_hash(const struct rd *r, const struct js_val *v, bool inventory);

/* ---- reader_index.c: the finding index ---------------------------- */

/* Look for the finding_index_check at the end of the text (ix.found). */
void rd_index_tail(struct rd *r);
/* At the inventory (its '[' at 'at'): when the index is found and its
 * checksums agree, take the inventory's length from it and jump to
 * '*end', just past the inventory (1); 0 to read the inventory as
 * always; -1 with the error (an index that does not agree with itself). */
int rd_index_inventory(struct rd *r, size_t at, size_t *end);
/* At the findings (at 'at'), once rd_index_inventory() gave 1: each
 * row to the visitor from the index, then '*end' just past the
 * findings. 0, or -1 with the error. */
int rd_index_findings(struct rd *r, size_t at, size_t *end);
/* Is 'at' the index already read? Then '*end' is just past it. */
bool rd_index_skip(struct rd *r, size_t at, size_t *end);

/* ---- reader_spill.c: REPORT_READ_SPILL ----------------------------- */

/* Start: the store (rep->spill), or -1 with the error (and
 * r->store_failed). */
int rd_spill_begin(struct rd *r);
/* Inventory row 'i' at 'at' ('v' its members, 'img' its image read
 * from them). */
void rd_spill_image(struct rd *r, size_t i, size_t at, const struct js_val *v,
                    const struct report_image *img);
/* The image finding row 'v' (on inventory entry f->image) is checked
 * against: '*img', with '*own_cells' when the row's image values are
 * known to be the inventory's (the same bytes). */
int rd_spill_row_image(struct rd *r, const struct report_finding *f, const struct js_val *v,
                       const struct report_image **img, bool *own_cells);
/* Finding row 'f', checked, with its matches in r->sp->matches: to the
 * store, counted. -1 (and sp->unordered, no error) when it is out of
 * report order. */
int rd_spill_finding(struct rd *r, const struct report_finding *f);
/* After the walk: the check of the inventory's sources, then the store
 * finished and the summary's counts set. 0, or -1 with the error
 * (r->store_failed when it is the store's). */
int rd_spill_end(struct rd *r);
void rd_spill_free(struct rd_spill *sp);             /* accepts NULL */

#endif
