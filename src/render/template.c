/* SPDX-License-Identifier: MIT
 * The mustache-style template engine of the HTML report; see template.h.
 *
 * A template is compiled once into a flat array of nodes: text runs
 * (pointing into a private copy of the source), variables, and sections
 * whose body is the run of nodes up to 'end'. Names are resolved against
 * the caller's schema while compiling, so rendering never meets a name
 * it does not know and cannot fail except on output errors.
 *
 * The data is a small tree of objects, lists and strings built by the
 * caller; its strings live in one arena owned by the root. */
#include "render/template.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

/* Sections nested deeper than this are surely a mistake; the limit also
 * bounds the recursion of the renderer. */
#define TPL_MAX_DEPTH 32
/* In element content, a word longer than this many characters gets a
 * <wbr> (a line-break opportunity) every this many characters; see
 * write_escaped(). */
#define TPL_WBR_RUN 48

/* ------------------------------------------------------------------ */
/* The data tree                                                       */
/* ------------------------------------------------------------------ */

enum tv_type { TV_STR, TV_HTML, TV_BOOL, TV_OBJ, TV_LIST };

struct tpl_val {
    enum tv_type type;
    bool b;                     /* TV_BOOL */
    const char *s;              /* TV_STR, TV_HTML: in the root's arena, or 'owned' */
    char *owned;                /* TV_HTML given by tpl_take_html(), freed with the tree */
    FILE *file;                 /* TV_HTML given by tpl_take_file() ('s' is ""), closed
                                 * with the tree; 'size' bytes from its start */
    uint64_t size;
    struct tpl_data *obj;       /* TV_OBJ */
    struct tpl_val *items;      /* TV_LIST: TV_STR or TV_OBJ items */
    size_t n, cap;
};

struct tpl_entry {
    const char *key;            /* in the arena */
    struct tpl_val v;
};

struct tpl_data {
    struct tpl_entry *e;
    size_t n, cap;
    struct arena *text;         /* the root's arena, shared by the tree */
    struct arena own;           /* used by the root only */
};

static void val_dispose(struct tpl_val *v);

static void data_dispose(struct tpl_data *o)
{
    for (size_t i = 0; i < o->n; i++)
        val_dispose(&o->e[i].v);
    free(o->e);
}

static void val_dispose(struct tpl_val *v)
{
    if (v->type == TV_OBJ) {
        data_dispose(v->obj);
        free(v->obj);
    } else if (v->type == TV_LIST) {
        for (size_t i = 0; i < v->n; i++)
            val_dispose(&v->items[i]);
        free(v->items);
    }
    free(v->owned);
    if (v->file)
        fclose(v->file);
    memset(v, 0, sizeof *v);
}

struct tpl_data *tpl_data_new(void)
{
    struct tpl_data *o = xcalloc(1, sizeof *o);
    o->text = &o->own;
    return o;
}

void tpl_data_free(struct tpl_data *root)
{
    if (!root)
        return;
    data_dispose(root);
    arena_dispose(&root->own);
    free(root);
}

static struct tpl_data *child_new(const struct tpl_data *parent)
{
    struct tpl_data *o = xcalloc(1, sizeof *o);
    o->text = parent->text;
    return o;
}

/* The slot for 'key' in 'o': the existing one, emptied, or a new one. */
static struct tpl_val *slot(struct tpl_data *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->e[i].key, key) == 0) {
            val_dispose(&o->e[i].v);
            return &o->e[i].v;
        }
    XGROW(o->e, o->cap, o->n + 1);
    struct tpl_entry *e = &o->e[o->n++];
    memset(e, 0, sizeof *e);
    e->key = arena_strdup(o->text, key);
    return &e->v;
}

/* The list under 'key', made an empty list if it is anything else. */
static struct tpl_val *list_slot(struct tpl_data *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->e[i].key, key) == 0 && o->e[i].v.type == TV_LIST)
            return &o->e[i].v;
    struct tpl_val *v = slot(o, key);
    v->type = TV_LIST;
    return v;
}

void tpl_set_strn(struct tpl_data *o, const char *key, const char *s, size_t n)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_STR;
    v->s = arena_strndup(o->text, s ? s : "", s ? n : 0);
}

void tpl_set_str(struct tpl_data *o, const char *key, const char *s)
{
    tpl_set_strn(o, key, s, s ? strlen(s) : 0);
}

void tpl_set_fmt(struct tpl_data *o, const char *key, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tpl_set_strn(o, key, buf_cstr(&b), b.len);
    buf_dispose(&b);
}

void tpl_set_int(struct tpl_data *o, const char *key, int64_t v)
{
    tpl_set_fmt(o, key, "%" PRId64, v);
}

void tpl_set_bool(struct tpl_data *o, const char *key, bool b)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_BOOL;
    v->b = b;
}

void tpl_set_html(struct tpl_data *o, const char *key, const char *html)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_HTML;
    v->s = arena_strdup(o->text, html ? html : "");
}

void tpl_take_html(struct tpl_data *o, const char *key, char *html)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_HTML;
    v->owned = html;
    v->s = html;
}

void tpl_take_file(struct tpl_data *o, const char *key, FILE *f, uint64_t size)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_HTML;
    v->s = "";
    v->file = f;
    v->size = size;
}

struct tpl_data *tpl_set_obj(struct tpl_data *o, const char *key)
{
    struct tpl_val *v = slot(o, key);
    v->type = TV_OBJ;
    v->obj = child_new(o);
    return v->obj;
}

struct tpl_data *tpl_add_item(struct tpl_data *o, const char *key)
{
    struct tpl_val *l = list_slot(o, key);
    XGROW(l->items, l->cap, l->n + 1);
    struct tpl_val *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    it->type = TV_OBJ;
    it->obj = child_new(o);
    return it->obj;
}

void tpl_add_str(struct tpl_data *o, const char *key, const char *s)
{
    struct tpl_val *l = list_slot(o, key);
    XGROW(l->items, l->cap, l->n + 1);
    struct tpl_val *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    it->type = TV_STR;
    it->s = arena_strdup(o->text, s ? s : "");
}

void tpl_set_list(struct tpl_data *o, const char *key)
{
    (void)list_slot(o, key);
}

/* ------------------------------------------------------------------ */
/* Escaping                                                            */
/* ------------------------------------------------------------------ */

/* The entity for a byte that HTML text and quoted attributes both need
 * escaped, or NULL. The single quote is included so that a template
 * may use either quote style around attributes. */
static const char *entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void tpl_escape_html(struct buf *out, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *ent = entity(s[i]);
        if (!ent)
            continue;
        buf_append(out, s + run, i - run);
        buf_puts(out, ent);
        run = i + 1;
    }
    buf_append(out, s + run, n - run);
}

/* Write 's' escaped. With 'wbr' (element content only), an unbroken
 * run of more than TPL_WBR_RUN characters also gets a <wbr> every
 * TPL_WBR_RUN characters: Chromium lays a long unbreakable word out in
 * time quadratic in its length (a 300,000-character image name took
 * more than a minute, a 64 KiB one 11 s), but words of at most
 * TPL_WBR_RUN characters cost nothing. A <wbr> adds no text: copying,
 * searching and textContent see the value unchanged. */
static void write_escaped(FILE *out, const char *s, bool wbr)
{
    const char *run = s;
    size_t chars = 0;               /* since the last space or <wbr> */
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (wbr) {
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                chars = 0;
            } else if ((ch & 0xC0) != 0x80 && chars++ == TPL_WBR_RUN) {
                /* At the start of a character, never inside one. */
                write_pieces(run, (size_t)(s - run), out);
                fputs("<wbr>", out);
                run = s;
                chars = 1;
            }
        }
        const char *ent = entity(*s);
        if (!ent)
            continue;
        write_pieces(run, (size_t)(s - run), out);
        fputs(ent, out);
        run = s + 1;
    }
    write_pieces(run, (size_t)(s - run), out);
}

/* ------------------------------------------------------------------ */
/* Compiling                                                           */
/* ------------------------------------------------------------------ */

enum op {
    OP_TEXT,        /* literal text */
    OP_VAR,         /* {{name}} */
    OP_HTML,        /* {{{name}}} */
    OP_DOT,         /* {{.}} */
    OP_SECTION,     /* {{#name}} */
    OP_INVERTED,    /* {{^name}} */
};

struct node {
    enum op op;
    const char *text;           /* OP_TEXT: into tpl.src */
    size_t len;
    char *name;                 /* owned; NULL for OP_TEXT and OP_DOT */
    size_t end;                 /* sections: index of the first node after the body */
    bool wbr;                   /* OP_VAR, OP_DOT: in element content (struct htmlpos) */
};

struct tpl {
    char *src;                  /* private copy, NUL-terminated */
    size_t len;                 /* of src */
    char *file;                 /* for render errors */
    struct node *v;
    size_t n, cap;
};

/* Where names are looked up while compiling: one frame per open section. */
struct frame {
    const struct tpl_schema *names; /* names this section adds, or NULL */
    bool strings;                   /* {{.}} is a string here */
};

struct open_section {
    size_t node;                /* index of its OP_SECTION/OP_INVERTED node */
    int line, col;
};

/* Where the template's own text has got to in HTML terms, followed
 * through its literal text in source order: in element content, inside
 * a tag (its attributes), or in the raw text of an element whose content
 * is not markup (title, textarea, script, style), where a <wbr> would
 * show as text. A value gets <wbr>s only in element content. Sections
 * are not evaluated: a template that opens a tag in one branch and
 * closes it in another is misjudged, at worst a <wbr> too few or shown
 * in an attribute. */
struct htmlpos {
    enum { HP_TEXT, HP_TAG, HP_QUOTE } state;
    char quote;                 /* HP_QUOTE: the quote that ends it */
    bool closing, naming;       /* in the tag: an end tag; still reading its name */
    char name[12];              /* the tag's name, lowercase, cut */
    size_t nlen;
    char raw[12];               /* raw-text element we are in, or "" */
};

struct compiler {
    struct tpl *t;
    const char *file;
    const char *src;
    size_t len;
    int line;                   /* line of 'pos' */
    size_t line_start;          /* offset where that line starts */
    struct frame frames[TPL_MAX_DEPTH + 1];
    struct open_section open[TPL_MAX_DEPTH];
    size_t depth;               /* open sections; frames[0..depth] are live */
    struct diags *d;
    size_t errors;
    struct htmlpos pos;
};

static void error_at(struct compiler *c, size_t off, size_t span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(struct compiler *c, size_t off, size_t span, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    /* 'off' is on the current line: tags never span lines in practice,
     * and when one does the caret still points at its start. */
    diags_add(c->d, DIAG_ERROR, c->file, c->line, (int)(off - c->line_start) + 1,
              (int)span, c->src + c->line_start, "%s", buf_cstr(&msg));
    buf_dispose(&msg);
    c->errors++;
}

/* Move 'line'/'line_start' forward over src[from, to). */
static void advance(struct compiler *c, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (c->src[i] == '\n') {
            c->line++;
            c->line_start = i + 1;
        }
}

static struct node *push_node(struct compiler *c, enum op op)
{
    XGROW(c->t->v, c->t->cap, c->t->n + 1);
    struct node *n = &c->t->v[c->t->n++];
    memset(n, 0, sizeof *n);
    n->op = op;
    return n;
}

static bool raw_text_element(const char *name)
{
    return strcmp(name, "title") == 0 || strcmp(name, "textarea") == 0 ||
           strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
}

/* Follow 'h' through the literal text s[0, n). */
static void scan_html(struct htmlpos *h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        switch (h->state) {
        case HP_TEXT:
            if (ch != '<')
                break;
            if (h->raw[0]) {
                /* Only the raw element's own end tag ends its text. */
                size_t rl = strlen(h->raw);
                if (i + 2 + rl > n || s[i + 1] != '/' || strncasecmp(s + i + 2, h->raw, rl))
                    break;
            }
            h->state = HP_TAG;
            h->closing = i + 1 < n && s[i + 1] == '/';
            if (h->closing)
                i++;
            h->naming = true;
            h->nlen = 0;
            h->name[0] = '\0';
            break;
        case HP_TAG:
            if (h->naming && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                              (ch >= '0' && ch <= '9'))) {
                if (h->nlen + 1 < sizeof h->name) {
                    h->name[h->nlen++] = (char)(ch | 0x20);
                    h->name[h->nlen] = '\0';
                }
                break;
            }
            h->naming = false;
            if (ch == '"' || ch == '\'') {
                h->state = HP_QUOTE;
                h->quote = ch;
            } else if (ch == '>') {
                h->state = HP_TEXT;
                if (h->closing && strcmp(h->name, h->raw) == 0)
                    h->raw[0] = '\0';
                else if (!h->closing && !h->raw[0] && raw_text_element(h->name))
                    memcpy(h->raw, h->name, sizeof h->raw);
            }
            break;
        case HP_QUOTE:
            if (ch == h->quote)
                h->state = HP_TAG;
            break;
        }
    }
}

static void push_text(struct compiler *c, size_t from, size_t to)
{
    if (to <= from)
        return;
    struct node *n = push_node(c, OP_TEXT);
    n->text = c->t->src + from;
    n->len = to - from;
    scan_html(&c->pos, n->text, n->len);
}

/* A value written here is in element content (struct htmlpos). */
static bool in_content(const struct compiler *c)
{
    return c->pos.state == HP_TEXT && !c->pos.raw[0];
}

static const struct tpl_schema *schema_find(const struct compiler *c, const char *name)
{
    for (size_t f = c->depth + 1; f-- > 0;) {
        const struct tpl_schema *s = c->frames[f].names;
        for (; s && s->name; s++)
            if (strcmp(s->name, name) == 0)
                return s;
    }
    return NULL;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

static int valid_name(const char *s, size_t n)
{
    if (n == 1 && s[0] == '.')
        return 1;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}

/* If the tag src[start, end) stands alone on its line (only blanks
 * around it), return the offset just past the line's end, else 0. */
static size_t standalone_end(const struct compiler *c, size_t start, size_t end)
{
    for (size_t i = c->line_start; i < start; i++)
        if (!is_space(c->src[i]))
            return 0;
    size_t i = end;
    while (i < c->len && is_space(c->src[i]))
        i++;
    if (i == c->len)
        return i;
    if (c->src[i] == '\r' && i + 1 < c->len && c->src[i + 1] == '\n')
        return i + 2;
    if (c->src[i] == '\n')
        return i + 1;
    return 0;
}

static void open_section(struct compiler *c, enum op op, char *name, size_t tag, size_t span)
{
    const struct tpl_schema *s = schema_find(c, name);
    struct frame fr = {NULL, c->frames[c->depth].strings};
    if (!s)
        error_at(c, tag, span, "unknown section '%s'", name);
    else if (s->kind == TPL_SECTION)
        fr = (struct frame){s->children, false};
    else if (s->kind == TPL_STRINGS)
        fr = (struct frame){NULL, true};
    if (c->depth == TPL_MAX_DEPTH) {
        error_at(c, tag, span, "sections nested deeper than %d", TPL_MAX_DEPTH);
        free(name);
        return;
    }
    struct node *n = push_node(c, op);
    n->name = name;
    c->open[c->depth] = (struct open_section){c->t->n - 1, c->line,
                                              (int)(tag - c->line_start) + 1};
    c->frames[++c->depth] = fr;
}

static void close_section(struct compiler *c, const char *name, size_t tag, size_t span)
{
    if (c->depth == 0) {
        error_at(c, tag, span, "'{{/%s}}' closes no open section", name);
        return;
    }
    struct node *open = &c->t->v[c->open[c->depth - 1].node];
    if (strcmp(open->name, name) != 0)
        error_at(c, tag, span, "'{{/%s}}' does not close '{{#%s}}' (line %d)", name,
                 open->name, c->open[c->depth - 1].line);
    open->end = c->t->n;
    c->depth--;
}

static void variable(struct compiler *c, bool raw, char *name, size_t tag, size_t span)
{
    if (strcmp(name, ".") == 0) {
        if (!c->frames[c->depth].strings)
            error_at(c, tag, span, "'{{.}}' outside a list of strings");
        else if (raw)
            error_at(c, tag, span, "list items are data and always escaped: use {{.}}");
        else
            push_node(c, OP_DOT)->wbr = in_content(c);
        free(name);
        return;
    }
    const struct tpl_schema *s = schema_find(c, name);
    if (!s)
        error_at(c, tag, span, "unknown tag '%s'", name);
    else if (s->kind == TPL_SECTION || s->kind == TPL_STRINGS)
        error_at(c, tag, span, "'%s' is a section: use {{#%s}}...{{/%s}}", name, name,
                 name);
    else if (raw && s->kind != TPL_HTML)
        error_at(c, tag, span, "'%s' is data and always escaped: use {{%s}}", name, name);
    else {
        struct node *n = push_node(c, raw ? OP_HTML : OP_VAR);
        n->name = name;
        n->wbr = in_content(c);
        return;
    }
    free(name);
}

/* Compile the tag at src[tag] ("{{"); returns the offset after it, or
 * 0 when the tag never ends (compiling stops). */
static size_t compile_tag(struct compiler *c, size_t tag)
{
    bool triple = tag + 2 < c->len && c->src[tag + 2] == '{';
    const char *close = triple ? "}}}" : "}}";
    size_t clen = triple ? 3 : 2;
    size_t body = tag + clen;
    size_t end = body;
    while (end + clen <= c->len && memcmp(c->src + end, close, clen) != 0)
        end++;
    if (end + clen > c->len) {
        error_at(c, tag, clen, "unclosed tag: '%.*s' has no '%s'", (int)clen,
                 c->src + tag, close);
        return 0;
    }
    size_t after = end + clen, span = after - tag;
    char sigil = triple ? '{' : c->src[body];
    if (!triple && strchr("#^/!&>=", sigil) && body < end)
        body++;
    else if (!triple)
        sigil = 0;
    while (body < end && is_space(c->src[body]))
        body++;
    size_t nend = end;
    while (nend > body && is_space(c->src[nend - 1]))
        nend--;

    /* A standalone section or comment tag takes its line with it. */
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!') {
        size_t line_end = standalone_end(c, tag, after);
        if (line_end) {
            struct node *last = c->t->n ? &c->t->v[c->t->n - 1] : NULL;
            if (last && last->op == OP_TEXT && last->text + last->len == c->t->src + tag) {
                last->len -= tag - c->line_start;
                if (last->len == 0)
                    c->t->n--;
            }
            after = line_end;
        }
    }
    if (sigil == '!')
        return after;
    if (sigil == '>' || sigil == '=') {
        error_at(c, tag, span, "'{{%c' (%s) is not supported", sigil,
                 sigil == '>' ? "partials" : "delimiter change");
        return after;
    }
    if (!valid_name(c->src + body, nend - body)) {
        error_at(c, tag, span, "bad tag name '%.*s'", (int)(nend - body), c->src + body);
        return after;
    }
    char *name = xstrndup(c->src + body, nend - body);
    switch (sigil) {
    case '#':
    case '^':
        if (strcmp(name, ".") == 0) {
            error_at(c, tag, span, "'.' cannot open a section");
            free(name);
        } else
            open_section(c, sigil == '#' ? OP_SECTION : OP_INVERTED, name, tag, span);
        break;
    case '/':
        close_section(c, name, tag, span);
        free(name);
        break;
    default:
        variable(c, sigil == '{' || sigil == '&', name, tag, span);
        break;
    }
    return after;
}

bool tpl_uses(const struct tpl *t, const char *name, bool as_section)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct node *n = &t->v[i];
        if (as_section && n->op != OP_SECTION && n->op != OP_INVERTED)
            continue;
        if (n->name && strcmp(n->name, name) == 0)
            return true;
    }
    return false;
}

void tpl_free(struct tpl *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].name);
    free(t->v);
    free(t->src);
    free(t->file);
    free(t);
}

int tpl_compile(struct tpl **out, const char *file, const char *text, size_t len,
                const struct tpl_schema *schema, struct diags *d)
{
    struct tpl *t = xcalloc(1, sizeof *t);
    t->src = xstrndup(text, len);
    /* A NUL inside the template would silently cut it short. */
    len = strlen(t->src);
    t->len = len;
    t->file = xstrdup(file);
    struct compiler c = {.t = t, .file = file, .src = t->src, .len = len, .line = 1,
                         .d = d};
    c.frames[0] = (struct frame){schema, false};

    size_t pos = 0;
    while (pos < len) {
        const char *p = t->src + pos;
        const char *tag = NULL;
        while ((p = memchr(p, '{', len - (size_t)(p - t->src))) != NULL) {
            if ((size_t)(p - t->src) + 1 < len && p[1] == '{') {
                tag = p;
                break;
            }
            p++;
        }
        if (!tag) {
            push_text(&c, pos, len);
            break;
        }
        size_t at = (size_t)(tag - t->src);
        push_text(&c, pos, at);
        advance(&c, pos, at);
        size_t next = compile_tag(&c, at);
        if (!next)
            break;
        advance(&c, at, next);
        pos = next;
    }
    while (c.depth > 0) {
        struct open_section *o = &c.open[--c.depth];
        diags_add(d, DIAG_ERROR, file, o->line, o->col, 1, NULL,
                  "unclosed section '{{#%s}}'", t->v[o->node].name);
        c.errors++;
    }
    if (c.errors) {
        tpl_free(t);
        *out = NULL;
        return -1;
    }
    *out = t;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* Rendering work is budgeted. Sections nest up to TPL_MAX_DEPTH, and a
 * list opened inside itself ({{#rules}}{{#rules}}...) repeats for every
 * item of every enclosing copy: 32 levels of a 2-item list is 2^32
 * passes, of the report's rule list far more, so a 300-byte --template
 * could hang the report and fill the disk (found by fuzz_template,
 * corpus file nested-list.html). A template that uses the data sensibly
 * prints each of its bytes and tags at most about once per data value,
 * and each value once per tag; the budget is that, in units of nodes
 * visited plus bytes written, so no real report comes near it and the
 * runaway case stops within a budget proportional to template x data. */
struct budget {
    uint64_t total, left;
    bool over;
    int read_error;             /* errno of a value's file that could not be read */
};

struct ctx {
    const struct tpl_val *stack[TPL_MAX_DEPTH + 1];
    size_t n;
    struct budget *budget;
};

/* The length of a string value. */
static uint64_t val_len(const struct tpl_val *v)
{
    return v->file ? v->size : (uint64_t)strlen(v->s);
}

/* Add the number of values under 'v' to '*count' and their string bytes
 * to '*bytes'. */
static void data_size(const struct tpl_val *v, uint64_t *count, uint64_t *bytes)
{
    (*count)++;
    if ((v->type == TV_STR || v->type == TV_HTML) && v->s)
        *bytes += val_len(v);
    if (v->type == TV_OBJ)
        for (size_t i = 0; i < v->obj->n; i++)
            data_size(&v->obj->e[i].v, count, bytes);
    if (v->type == TV_LIST)
        for (size_t i = 0; i < v->n; i++)
            data_size(&v->items[i], count, bytes);
}

/* Charge 'cost' to the budget; false when it is used up (nothing more
 * is rendered from then on). */
static bool charge(struct ctx *x, uint64_t cost)
{
    struct budget *b = x->budget;
    if (b->over || cost > b->left) {
        b->over = true;
        return false;
    }
    b->left -= cost;
    return true;
}

/* What a node will write, for the budget. */
static uint64_t node_cost(const struct node *n, const struct tpl_val *v,
                          const struct ctx *x)
{
    if (n->op == OP_TEXT)
        return 1 + (uint64_t)n->len;
    if ((n->op == OP_VAR || n->op == OP_HTML) && v && (v->type == TV_STR || v->type == TV_HTML))
        return 1 + val_len(v);
    if (n->op == OP_DOT && x->n && x->stack[x->n - 1]->type == TV_STR)
        return 1 + (uint64_t)strlen(x->stack[x->n - 1]->s);
    return 1;
}

static const struct tpl_val *lookup(const struct ctx *x, const char *name)
{
    for (size_t i = x->n; i-- > 0;) {
        const struct tpl_val *v = x->stack[i];
        if (v->type != TV_OBJ)
            continue;
        for (size_t k = 0; k < v->obj->n; k++)
            if (strcmp(v->obj->e[k].key, name) == 0)
                return &v->obj->e[k].v;
    }
    return NULL;
}

static bool truthy(const struct tpl_val *v)
{
    if (!v)
        return false;
    switch (v->type) {
    case TV_STR:
    case TV_HTML: return val_len(v) > 0;
    case TV_BOOL: return v->b;
    case TV_OBJ: return true;
    case TV_LIST: return v->n > 0;
    }
    return false;
}

static void render_range(const struct tpl *t, size_t from, size_t to, struct ctx *x,
                         FILE *out);

/* A value kept in a file: copied, or (escaped) read whole and escaped as
 * a string would be, which only a template that escapes a block of many
 * megabytes asks for. A read error is kept in 'x' (tpl_render fails). */
static void write_file(const struct tpl_val *v, FILE *out, bool escaped, bool wbr,
                       struct ctx *x)
{
    char *all = escaped ? xmalloc(v->size + 1) : NULL;
    char chunk[65536];
    uint64_t left = v->size, at = 0;
    errno = 0;
    bool bad = fseek(v->file, 0, SEEK_SET) != 0;
    while (left && !bad) {
        size_t k = left < sizeof chunk ? (size_t)left : sizeof chunk;
        if (fread(all ? all + at : chunk, 1, k, v->file) != k)
            bad = true;
        else if (!all)
            fwrite(chunk, 1, k, out);
        at += k;
        left -= k;
    }
    if (all) {
        all[at] = '\0';
        write_escaped(out, all, wbr);
        free(all);
    }
    if (bad && !x->budget->read_error)
        x->budget->read_error = errno ? errno : EIO;
}

/* Render a section body with 'v' pushed (NULL: nothing pushed). */
static void render_body(const struct tpl *t, const struct node *n, size_t at,
                        const struct tpl_val *v, struct ctx *x, FILE *out)
{
    if (v)
        x->stack[x->n++] = v;
    render_range(t, at + 1, n->end, x, out);
    if (v)
        x->n--;
}

static void render_range(const struct tpl *t, size_t from, size_t to, struct ctx *x,
                         FILE *out)
{
    for (size_t i = from; i < to; i++) {
        const struct node *n = &t->v[i];
        const struct tpl_val *v = n->name ? lookup(x, n->name) : NULL;
        if (!charge(x, node_cost(n, v, x)))
            return;
        switch (n->op) {
        case OP_TEXT:
            fwrite(n->text, 1, n->len, out);
            break;
        case OP_VAR:
            if (v && v->file)
                write_file(v, out, true, n->wbr, x);
            else if (v && (v->type == TV_STR || v->type == TV_HTML))
                write_escaped(out, v->s, n->wbr);
            break;
        case OP_HTML:
            /* Only what the caller marked as its own rendering goes out
             * raw; a plain string under an HTML name is still escaped. */
            if (v && v->file)
                write_file(v, out, false, false, x);
            else if (v && v->type == TV_HTML)
                fputs(v->s, out);
            else if (v && v->type == TV_STR)
                write_escaped(out, v->s, false);
            break;
        case OP_DOT:
            if (x->n && x->stack[x->n - 1]->type == TV_STR)
                write_escaped(out, x->stack[x->n - 1]->s, n->wbr);
            break;
        case OP_SECTION:
            if (!truthy(v))
                ;
            else if (v->type == TV_LIST)
                for (size_t k = 0; k < v->n; k++)
                    render_body(t, n, i, &v->items[k], x, out);
            else
                render_body(t, n, i, v->type == TV_OBJ ? v : NULL, x, out);
            i = n->end - 1;
            break;
        case OP_INVERTED:
            if (!truthy(v))
                render_body(t, n, i, NULL, x, out);
            i = n->end - 1;
            break;
        }
    }
}

int tpl_render(const struct tpl *t, const struct tpl_data *data, FILE *out,
               struct diags *d)
{
    struct tpl_val root = {.type = TV_OBJ, .obj = (struct tpl_data *)data};
    uint64_t values = 0, bytes = 0;
    data_size(&root, &values, &bytes);
    /* See struct budget. Each factor is at most a few GiB, so the sums
     * and products stay far below 2^64. */
    uint64_t total = ((uint64_t)t->len + t->n + 1) * (values + 1) +
                     bytes * ((uint64_t)t->n + 1) + ((uint64_t)1 << 20);
    struct budget budget = {total, total, false, 0};
    struct ctx x = {.n = 0, .budget = &budget};
    x.stack[x.n++] = &root;
    render_range(t, 0, t->n, &x, out);
    if (budget.over) {
        diags_add(d, DIAG_ERROR, t->file, 0, 0, 0, NULL,
                  "rendering stopped after %" PRIu64 " bytes and tags, far more than "
                  "this data needs: is a list section nested inside itself?",
                  budget.total);
        return -1;
    }
    if (budget.read_error) {
        diags_error(d, "cannot read the HTML report's data block back from its temporary "
                    "file: %s", strerror(budget.read_error));
        return -1;
    }
    if (ferror(out)) {
        diags_error(d, "cannot write the HTML report: %s", strerror(errno));
        return -1;
    }
    return 0;
}
