// fix_decode FILE: decodes every FIX message in a file, either raw SOH-delimited messages back to
// back (as hffix's test data) or a QuickFIX message log ("<time> : <message>" per line). Prints
// the count of each MsgType, each error with its byte offset, and, for FIX.4.4 messages, the
// result of validating them against the FIX 4.4 dictionary. Last line exactly
// `messages=N garbled=G checksum_errors=C body_length_errors=B`.
// Exit: 0 when every message decodes, 1 when any does not, 2 on a usage or I/O error.
#include "pinnacle/connect/fix/fix44.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fix = pinnacle::fix;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fix_decode FILE\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "fix_decode: cannot open %s\n", argv[1]);
        return 2;
    }
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        std::fprintf(stderr, "fix_decode: cannot read %s\n", argv[1]);
        return 2;
    }
    const std::string_view all(data);

    std::map<std::string, long> by_type;
    std::map<std::string, long> by_version;
    long messages = 0, garbled = 0, checksum_errors = 0, body_length_errors = 0;
    long validated = 0, rejected = 0;
    std::vector<fix::field> fields(4096);
    constexpr int max_reports = 20;
    int reports = 0;

    std::size_t pos = all.find("8=FIX");
    while (pos != std::string_view::npos) {
        const fix::parse_result r = fix::fix44::parse(all.substr(pos), fields);
        if (r.ok()) {
            ++messages;
            ++by_type[std::string(fields[2].value)];
            ++by_version[std::string(fields[0].value)];
            if (fields[0].value == fix::fix44::begin_string) {
                ++validated;
                const fix::validation v = fix::fix44::validate(std::span<const fix::field>(fields.data(), r.field_count));
                if (!v.ok()) {
                    ++rejected;
                    if (reports++ < max_reports) {
                        std::printf("reject at byte %zu: SessionRejectReason=%d (%.*s) RefTagID=%u\n",
                                    pos + fields[v.field_index < r.field_count ? v.field_index : 0].offset,
                                    static_cast<int>(v.reason), static_cast<int>(fix::to_string(v.reason).size()),
                                    fix::to_string(v.reason).data(), v.ref_tag);
                    }
                }
            }
            pos = all.find("8=FIX", pos + r.consumed);
            continue;
        }
        switch (r.status) {
            case fix::parse_status::bad_checksum: ++checksum_errors; break;
            case fix::parse_status::bad_body_length: ++body_length_errors; break;
            default: ++garbled; break;
        }
        if (reports++ < max_reports) {
            std::printf("%.*s at byte %zu (tag %u)\n", static_cast<int>(fix::to_string(r.status).size()),
                        fix::to_string(r.status).data(), pos + r.error_offset, r.error_tag);
        }
        pos = all.find("8=FIX", pos + 1);
    }

    for (const auto& [version, n] : by_version) std::printf("BeginString %-10s %ld\n", version.c_str(), n);
    for (const auto& [type, n] : by_type) std::printf("MsgType %-4s %ld\n", type.c_str(), n);
    std::printf("validated as FIX.4.4: %ld, rejected: %ld\n", validated, rejected);
    std::printf("messages=%ld garbled=%ld checksum_errors=%ld body_length_errors=%ld\n", messages, garbled,
                checksum_errors, body_length_errors);
    return garbled + checksum_errors + body_length_errors + rejected == 0 ? 0 : 1;
}
