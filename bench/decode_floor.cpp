// SPDX-License-Identifier: MIT
// The decode floor for bench/run.sh: read a JSON Lines file and, with
// simdjson On-Demand (Debian's libsimdjson-dev, the library imgaudit's
// decoder uses), read every value of every record (strings unescaped,
// numbers converted, objects and arrays walked) and nothing else: no
// typing, no rules, no report. Whatever imgaudit does on top of this is
// its own cost.
//
//   decode_floor FILE.jsonl      prints the record count and a checksum
//
// The file is read in 16 MiB blocks (memory stays flat, as imgaudit's
// does); each line is handed to simdjson where it lies in the block,
// which has simdjson's padding after it.
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace od = simdjson::ondemand;

static unsigned long long sum;  // so that nothing read is optimised away

static bool walk(od::value v)
{
    od::json_type t;
    if (v.type().get(t))
        return false;
    switch (t) {
    case od::json_type::object: {
        od::object o;
        if (v.get_object().get(o))
            return false;
        for (auto f : o) {
            od::field field;
            std::string_view key;
            if (std::move(f).get(field) || field.unescaped_key().get(key) || !walk(field.value()))
                return false;
            sum += key.size();
        }
        return true;
    }
    case od::json_type::array: {
        od::array a;
        if (v.get_array().get(a))
            return false;
        for (auto e : a) {
            od::value ev;
            if (std::move(e).get(ev) || !walk(ev))
                return false;
        }
        return true;
    }
    case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        sum += s.size();
        return true;
    }
    case od::json_type::number: {
        od::number n;
        if (v.get_number().get(n))
            return false;
        sum += n.is_double() ? static_cast<unsigned long long>(n.get_double())
                             : static_cast<unsigned long long>(n.get_int64());
        return true;
    }
    case od::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b))
            return false;
        sum += b;
        return true;
    }
    case od::json_type::null: {
        bool null;
        return !v.is_null().get(null) && null;
    }
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: decode_floor FILE.jsonl\n");
        return 2;
    }
    FILE *fp = std::fopen(argv[1], "rb");
    if (!fp) {
        std::perror(argv[1]);
        return 2;
    }
    const size_t block = (size_t)16 << 20;
    std::vector<char> buf(2 * block + simdjson::SIMDJSON_PADDING);
    od::parser parser;
    size_t have = 0, records = 0, bad = 0;
    for (;;) {
        size_t n = std::fread(buf.data() + have, 1, block, fp);
        have += n;
        bool eof = n == 0;
        char *p = buf.data(), *end = buf.data() + have;
        std::memset(end, ' ', simdjson::SIMDJSON_PADDING);
        for (;;) {
            char *nl = static_cast<char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
            if (!nl && !eof)
                break;
            char *line_end = nl ? nl : end;
            size_t len = static_cast<size_t>(line_end - p);
            if (len) {
                od::document doc;
                od::value v;
                if (parser.iterate(p, len, len + simdjson::SIMDJSON_PADDING).get(doc) ||
                    doc.get_value().get(v) || !walk(v))
                    bad++;
                records++;
            }
            if (!nl)
                break;
            p = nl + 1;
        }
        have = static_cast<size_t>(end - p);
        std::memmove(buf.data(), p, have);
        if (eof)
            break;
        if (have > block) {
            std::fprintf(stderr, "%s: a line over %zu bytes\n", argv[1], block);
            return 2;
        }
    }
    std::fclose(fp);
    std::printf("%zu records, %zu not read, checksum %llu\n", records, bad, sum);
    return bad ? 3 : 0;
}
