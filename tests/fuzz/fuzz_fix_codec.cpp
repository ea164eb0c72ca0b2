// libFuzzer target: the FIX 4.4 codec on arbitrary bytes. Every message framed from the input is
// validated and read through every typed view; then its fields are encoded again and must parse
// back to the same tags and values. At every position the layout decoder (learned layouts, kept
// across inputs) must answer exactly as parse + validate. Any crash, UB, read outside the input,
// broken round trip or differing answer aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "pinnacle/connect/fix/fix44.hpp"
#include "pinnacle/connect/fix/groups.hpp"
#include "pinnacle/connect/fix/messages.hpp"

namespace {

namespace fix = pinnacle::fix;
namespace f44 = pinnacle::fix::fix44;

template <class View>
void read_as(std::span<const fix::field> f) {
    View v{};
    (void)View::read(f, v);
}

void check_message(std::string_view msg, std::span<const fix::field> f) {
    for (const fix::field& x : f) {
        // Every value lies inside the message.
        if (x.value.data() < msg.data() || x.value.data() + x.value.size() > msg.data() + msg.size()) std::abort();
        if (x.offset >= msg.size()) std::abort();
    }
    const fix::validation v = f44::validate(f);
    if (!v.ok() && v.field_index > f.size()) std::abort();
    // Every top-level group of the message, instance by instance: spans stay inside the fields.
    if (v.message != nullptr) {
        const fix::section_def& body = f44::dict.sections[v.message->body];
        for (const fix::group_def& g : f44::dict.groups.subspan(body.groups_begin, body.groups_count)) {
            fix::group_reader reader(f44::dict, *v.message, f, g.count_tag);
            std::span<const fix::field> inst;
            std::size_t n = 0;
            while (reader.next(inst)) {
                if (inst.empty() || inst.data() < f.data() || inst.data() + inst.size() > f.data() + f.size()) std::abort();
                if (++n > f.size()) std::abort();
            }
            if (v.ok() && n != reader.count()) std::abort();  // a valid message has every instance
        }
    }
    f44::header h{};
    (void)f44::header::read(f, h);
    read_as<f44::logon>(f);
    read_as<f44::heartbeat>(f);
    read_as<f44::test_request>(f);
    read_as<f44::resend_request>(f);
    read_as<f44::reject>(f);
    read_as<f44::sequence_reset>(f);
    read_as<f44::logout>(f);
    read_as<f44::new_order_single>(f);
    read_as<f44::order_cancel_request>(f);
    read_as<f44::order_cancel_replace_request>(f);
    read_as<f44::execution_report>(f);
    read_as<f44::order_cancel_reject>(f);
    read_as<f44::business_message_reject>(f);

    // Round trip: the body fields encoded again parse to the same fields.
    if (f[0].value.size() > 16) return;
    static std::array<char, 1 << 17> buf;
    fix::encoder e(buf, f[0].value);
    e.start(f[2].value);
    for (std::size_t i = 3; i + 1 < f.size(); ++i) e.add(f[i].tag, f[i].value);
    const std::string_view again = e.finish();
    if (again.empty()) return;  // larger than the buffer
    static std::array<fix::field, 4096> g;
    const fix::parse_result r = f44::parse(again, g);
    if (!r.ok() || r.field_count != f.size()) std::abort();
    for (std::size_t i = 2; i + 1 < f.size(); ++i) {
        if (g[i].tag != f[i].tag || g[i].value != f[i].value) std::abort();
    }
}

// The layout decoder's answer for `rest` equals parse + validate's (`r`, `fields`).
void check_decoder(std::string_view rest, const fix::parse_result& r, std::span<const fix::field> fields) {
    static fix::layout_decoder decoder = f44::make_decoder();
    static std::array<fix::field, 4096> g;
    const fix::decode_result x = decoder.decode(rest, g);
    if (x.parse.status != r.status || x.parse.consumed != r.consumed || x.parse.field_count != r.field_count ||
        x.parse.error_tag != r.error_tag || x.parse.error_offset != r.error_offset) {
        std::abort();
    }
    if (!r.ok()) return;
    const fix::validation v = f44::validate(fields.first(r.field_count));
    if (x.valid.reason != v.reason || x.valid.ref_tag != v.ref_tag || x.valid.field_index != v.field_index ||
        x.valid.message != v.message) {
        std::abort();
    }
    for (std::size_t i = 0; i < r.field_count; ++i) {
        if (g[i].tag != fields[i].tag || g[i].offset != fields[i].offset || g[i].value.data() != fields[i].value.data() ||
            g[i].value.size() != fields[i].value.size()) {
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::array<fix::field, 4096> fields;
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    std::size_t pos = 0;
    while (pos < all.size()) {  // each turn consumes at least one byte: bounded
        const std::string_view rest = all.substr(pos);
        const fix::parse_result r = f44::parse(rest, fields);
        check_decoder(rest, r, fields);
        if (r.ok()) {
            if (r.consumed == 0 || r.consumed > rest.size() || r.field_count < 4) std::abort();
            check_message(rest.substr(0, r.consumed), std::span<const fix::field>(fields.data(), r.field_count));
            pos += r.consumed;
        } else {
            if (r.error_offset > rest.size()) std::abort();
            if (r.status == fix::parse_status::incomplete) break;
            const std::size_t next = all.find("8=", pos + 1);
            if (next == std::string_view::npos) break;
            pos = next;
        }
    }
    return 0;
}
