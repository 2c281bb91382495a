// SPDX-License-Identifier: MIT
// The fast record decoder; see fastdecode.h. The only C++ translation
// unit: simdjson's On-Demand API behind the C interface of fastdecode.h.
//
// On-Demand checks the UTF-8 and the strings of the whole text (stage
// 1, at iterate()) but the rest only as it is read, so everything is
// read here, in order: objects and arrays are walked, and each scalar is
// read from its raw token with jansson's grammar (numbers, escapes,
// literals) and then stepped over with On-Demand's getter for its kind,
// which is where On-Demand checks what separates it from the next. A
// member given twice is read twice; the later one overwrites the cell,
// as in jansson, where the later one replaces the earlier. Anything this
// file is unsure of is declined, never guessed: the jansson decoder then
// decides.
#include "model/fastdecode.h"

#include <simdjson.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace od = simdjson::ondemand;

// jansson refuses nesting past 2048 levels; On-Demand does not check
// depth in a release build (and asserts at its limit of 1024 in a debug
// build): from its limit on, leave it to jansson.
constexpr int MAX_DEPTH = static_cast<int>(simdjson::DEFAULT_MAX_DEPTH) - 1;

struct fastdec {
    od::parser parser;
    int depth;                      // objects and arrays open
    std::vector<assoc_elem> elems;  // association_images being read
    std::string tmp;                // unescaped text, number text
};

namespace {

// Nothing but valid JSON that jansson reads into the same values gets
// past a check; every failed check says "decline".
constexpr bool DECLINE = false;

// ---- names -------------------------------------------------------------

// Field names by length, so a key is compared with a few names at most.
struct name_index {
    static constexpr size_t MAX_LEN = 32;
    std::vector<int> by_len[MAX_LEN + 1];

    name_index(const field_def *defs, int n)
    {
        for (int i = 0; i < n; i++) {
            size_t len = std::strlen(defs[i].name);
            if (len <= MAX_LEN)
                by_len[len].push_back(i);
        }
    }

    int find(const field_def *defs, const char *k, size_t n) const
    {
        if (n > MAX_LEN)
            return -1;
        for (int i : by_len[n])
            if (same(defs[i].name, k, n))
                return i;
        return -1;
    }

    // memcmp(x, y, n) == 0 for a short n, inline: a call per member
    // name was a tenth of a worker's time.
    static bool same(const char *x, const char *y, size_t n)
    {
        for (; n >= 8; x += 8, y += 8, n -= 8) {
            uint64_t a, b;
            std::memcpy(&a, x, 8);
            std::memcpy(&b, y, 8);
            if (a != b)
                return false;
        }
        for (; n; x++, y++, n--)
            if (*x != *y)
                return false;
        return true;
    }
};

const name_index &record_names()
{
    static const name_index idx(field_defs, FIELD_COUNT);
    return idx;
}

const name_index &assoc_names()
{
    static const name_index idx(assoc_defs, ASSOC_COUNT);
    return idx;
}

// ---- strings -----------------------------------------------------------

// The first '"' or '\\' at or after 's'. The text is valid for stage 1,
// so the string closes before the end of the text, and the padding
// covers the block read past it.
inline const char *quote_or_backslash(const char *s)
{
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
    for (;; s += 16) {
        __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s));
        int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)));
        if (m)
            return s + __builtin_ctz(static_cast<unsigned>(m));
    }
#else
    while (*s != '"' && *s != '\\')
        s++;
    return s;
#endif
}

int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

void put_utf8(std::string &out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Unescape the string whose content starts at 's' (just past the opening
// quote) into 'out', as jansson does. Returns the byte past the closing
// quote, or nullptr to decline: an escape jansson refuses (unknown
// letter, bad hex, a lone or mismatched surrogate) or \u0000, which
// jansson refuses without JSON_ALLOW_NUL.
const char *unescape(const char *s, std::string &out)
{
    out.clear();
    for (;;) {
        const char *e = quote_or_backslash(s);
        out.append(s, static_cast<size_t>(e - s));
        if (*e == '"')
            return e + 1;
        switch (e[1]) {
        case '"':
        case '\\':
        case '/': out += e[1]; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            int cp = hex4(e + 2);
            if (cp <= 0)
                return nullptr;     // bad hex, or \u0000
            s = e + 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (s[0] != '\\' || s[1] != 'u')
                    return nullptr;
                int lo = hex4(s + 2);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return nullptr;
                cp = ((cp - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
                s += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return nullptr;
            }
            put_utf8(out, static_cast<uint32_t>(cp));
            continue;
        }
        default: return nullptr;
        }
        s = e + 2;
    }
}

bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A raw token without the whitespace On-Demand leaves after it.
std::string_view trim(std::string_view t)
{
    size_t n = t.size();
    while (n && is_ws(t[n - 1]))
        n--;
    return t.substr(0, n);
}

// ---- scalars -----------------------------------------------------------

// A number token by JSON's grammar, read as jansson reads it: without
// '.', 'e' or 'E' an integer (strtoll: beyond int64 is an error there,
// so declined here), otherwise a double (strtod: beyond the double range
// is an error there, so declined here).
bool read_number(std::string_view t, jval *v, std::string &tmp)
{
    size_t i = 0, n = t.size();
    bool neg = false;
    if (i < n && t[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= n)
        return DECLINE;
    size_t int_start = i;
    if (t[i] == '0') {
        i++;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < n && t[i] >= '0' && t[i] <= '9')
            i++;
    } else {
        return DECLINE;
    }
    size_t int_end = i;
    bool integer = true;
    if (i < n && t[i] == '.') {
        integer = false;
        i++;
        if (i >= n || t[i] < '0' || t[i] > '9')
            return DECLINE;
        while (i < n && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        integer = false;
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= n || t[i] < '0' || t[i] > '9')
            return DECLINE;
        while (i < n && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i != n)
        return DECLINE;
    if (integer) {
        if (int_end - int_start > 19)
            return DECLINE;
        uint64_t u = 0;
        for (size_t k = int_start; k < int_end; k++)
            u = u * 10 + static_cast<uint64_t>(t[k] - '0');
        if (u > static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0))
            return DECLINE;
        v->k = JK_INT;
        v->i = neg ? (u == 0 ? 0 : -static_cast<int64_t>(u - 1) - 1) : static_cast<int64_t>(u);
        return true;
    }
    tmp.assign(t.data(), t.size());
    errno = 0;
    double d = std::strtod(tmp.c_str(), nullptr);
    if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
        return DECLINE;
    v->k = JK_REAL;
    v->d = d;
    return true;
}

// A string token: its content in 'v', borrowed from the text when it
// has no escape, else unescaped into the arena.
bool read_string(std::string_view t, jval *v, fastdec &fd, arena *a)
{
    const char *s = t.data() + 1;
    const char *e = quote_or_backslash(s);
    const char *end;
    if (*e == '"') {
        v->s = s;
        v->n = static_cast<size_t>(e - s);
        end = e + 1;
    } else {
        end = unescape(s, fd.tmp);
        if (!end)
            return DECLINE;
        v->s = a ? arena_strndup(a, fd.tmp.data(), fd.tmp.size()) : "";
        v->n = fd.tmp.size();
    }
    // Nothing but the string in its token (On-Demand's tokens end where
    // the next structural character starts).
    if (end != t.data() + t.size())
        return DECLINE;
    v->k = JK_STR;
    return true;
}

// Step over the scalar the raw token was read from. On-Demand checks
// the commas, colons and brackets between values only as it steps over
// them with a getter: a value left for it to skip is skipped leniently
// (it takes "a":"b" after a value for one more member), so every value
// is stepped over here, each with the getter for its kind.
bool consume(od::value &val, char first)
{
    switch (first) {
    case '"': {
        od::raw_json_string s;
        return !val.get_raw_json_string().get(s);
    }
    case 't':
    case 'f': {
        bool b;
        return !val.get_bool().get(b);
    }
    case 'n': {
        bool null;
        return !val.is_null().get(null) && null;
    }
    default: {
        double d;
        return !val.get_double().get(d);
    }
    }
}

// A scalar: string, number, true, false or null.
bool read_scalar(od::value &val, jval *v, fastdec &fd, arena *a)
{
    std::string_view t = trim(val.raw_json_token());
    if (t.empty())
        return DECLINE;
    *v = jval{JK_NULL, false, 0, 0, nullptr, 0};
    bool ok;
    switch (t[0]) {
    case '"': ok = read_string(t, v, fd, a); break;
    case 't':
        v->k = JK_BOOL;
        v->b = true;
        ok = t == "true";
        break;
    case 'f':
        v->k = JK_BOOL;
        ok = t == "false";
        break;
    case 'n': ok = t == "null"; break;
    default: ok = read_number(t, v, fd.tmp); break;
    }
    return ok && consume(val, t[0]);
}

// ---- structure ---------------------------------------------------------

// A member name: its unescaped bytes in '*k', '*n' (borrowed from the
// text or from fd.tmp, valid until the next read).
bool read_key(const od::raw_json_string &raw, const char **k, size_t *n, fastdec &fd)
{
    const char *s = raw.raw();
    const char *e = quote_or_backslash(s);
    if (*e == '"') {
        *k = s;
        *n = static_cast<size_t>(e - s);
        return true;
    }
    if (!unescape(s, fd.tmp))
        return DECLINE;
    *k = fd.tmp.data();
    *n = fd.tmp.size();
    return true;
}

bool check_value(od::value &val, fastdec &fd);
bool read_fields(od::object obj, const field_def *defs, const name_index &names,
                 cell *out, fastdec &fd, arena *a, bool lists);

// Every member of an object, checked and not kept: read with a table
// that names no field.
bool check_object(od::object obj, fastdec &fd)
{
    static const name_index none(nullptr, 0);
    return read_fields(std::move(obj), nullptr, none, nullptr, fd, nullptr, false);
}

// One level deeper for the life of a frame; 'ok' is false past MAX_DEPTH.
struct nest {
    fastdec &fd;
    bool ok;
    explicit nest(fastdec &f) : fd(f), ok(++f.depth <= MAX_DEPTH) {}
    ~nest() { fd.depth--; }
    nest(const nest &) = delete;
    nest &operator=(const nest &) = delete;
};

// Any value, checked and not kept.
bool check_value(od::value &val, fastdec &fd)
{
    od::json_type t;
    if (val.type().get(t))
        return DECLINE;
    if (t == od::json_type::object) {
        nest level(fd);
        od::object obj;
        return level.ok && !val.get_object().get(obj) && check_object(std::move(obj), fd);
    }
    if (t == od::json_type::array) {
        nest level(fd);
        od::array arr;
        if (!level.ok || val.get_array().get(arr))
            return DECLINE;
        for (auto e : arr) {
            od::value ev;
            if (std::move(e).get(ev) || !check_value(ev, fd))
                return DECLINE;
        }
        return true;
    }
    jval v;
    return read_scalar(val, &v, fd, nullptr);
}

// association_images' value, an array: its elements into fd.elems.
bool read_list(od::value &val, fastdec &fd, arena *a)
{
    nest level(fd);
    od::array arr;
    if (!level.ok || val.get_array().get(arr))
        return DECLINE;
    fd.elems.clear();
    for (auto e : arr) {
        od::value ev;
        od::json_type t;
        if (std::move(e).get(ev) || ev.type().get(t))
            return DECLINE;
        assoc_elem el;
        std::memset(&el, 0, sizeof el);
        if (t == od::json_type::object) {
            nest inner(fd);
            od::object eo;
            el.object = true;
            if (!inner.ok || ev.get_object().get(eo) ||
                !read_fields(std::move(eo), assoc_defs, assoc_names(), el.c, fd, a, false))
                return DECLINE;
        } else if (!check_value(ev, fd)) {
            return DECLINE;
        }
        fd.elems.push_back(el);
    }
    return true;
}

// The members of an object into cells 'out' of table 'defs' (the
// record's fields, or an associated image's), checking the rest.
// 'lists' (record fields) reads association_images' elements.
bool read_fields(od::object obj, const field_def *defs, const name_index &names,
                 cell *out, fastdec &fd, arena *a, bool lists)
{
    for (auto f : obj) {
        // The field where the iterator made it, not moved into another:
        // that copy, stored in pieces and loaded whole, made the CPU
        // wait at every member (perf: a third of this function's time).
        if (f.error())
            return DECLINE;
        od::field &&field = std::move(f).value_unsafe();
        const char *k;
        size_t kn;
        if (!read_key(field.key(), &k, &kn, fd))
            return DECLINE;
        od::value &val = field.value();
        int i = names.find(defs, k, kn);
        if (i < 0) {
            if (!check_value(val, fd))
                return DECLINE;
            continue;
        }
        od::json_type t;
        if (val.type().get(t))
            return DECLINE;
        cell *c = &out[i];
        std::memset(c, 0, sizeof *c);
        jval v = {JK_NULL, false, 0, 0, nullptr, 0};
        if (t == od::json_type::array && defs[i].type == FT_LIST && lists) {
            if (!read_list(val, fd, a))
                return DECLINE;
            v.k = JK_ARRAY;
        } else if (t == od::json_type::object || t == od::json_type::array) {
            v.k = t == od::json_type::object ? JK_OBJECT : JK_ARRAY;
            if (!check_value(val, fd))
                return DECLINE;
        } else if (!read_scalar(val, &v, fd, a)) {
            return DECLINE;
        }
        c->state = cell_from_jval(c, &v, defs[i].type);
        if (c->state == CELL_OK && defs[i].type == FT_LIST) {
            // The list read last is this member's (a later duplicate
            // reads its own): keep a copy that outlives fd.elems.
            size_t n = fd.elems.size();
            auto *copy = static_cast<assoc_elem *>(arena_calloc(a, n ? n * sizeof(assoc_elem) : 1));
            if (n)
                std::memcpy(copy, fd.elems.data(), n * sizeof(assoc_elem));
            c->v.list.v = copy;
            c->v.list.n = n;
        }
    }
    return true;
}

bool decode(fastdec &fd, const char *p, size_t n, arena *a, record *out)
{
    fd.depth = 1;   // the record's object
    od::document doc;
    if (fd.parser.iterate(p, n, n + simdjson::SIMDJSON_PADDING).get(doc))
        return DECLINE;
    od::object obj;
    if (doc.get_object().get(obj))
        return DECLINE;
    if (!read_fields(std::move(obj), field_defs, record_names(), out->f, fd, a, true))
        return DECLINE;
    // Nothing after the object ({"a":1} x): jansson refuses that.
    const char *rest;
    return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;
}

}  // namespace

static_assert(FASTDEC_PADDING >= simdjson::SIMDJSON_PADDING, "simdjson's padding");

extern "C" {

struct fastdec *fastdec_new(void)
{
    return new fastdec();
}

void fastdec_free(struct fastdec *fd)
{
    delete fd;
}

bool fastdec_record(struct fastdec *fd, const char *p, size_t n, size_t index,
                    struct arena *a, struct record *out, struct quality *q)
{
    std::memset(out, 0, sizeof *out);
    bool ok;
    try {
        ok = decode(*fd, p, n, a, out);
    } catch (const std::bad_alloc &) {
        std::abort();   // out of memory, as xmalloc would
    }
    if (!ok) {
        std::memset(out, 0, sizeof *out);
        return false;
    }
    out->text = p;
    out->text_len = n;
    out->index = index;
    if (q)
        record_note_quality(out, q);
    return true;
}

}  // extern "C"
