// layout_decoder (learned per-MsgType layouts): every answer equals parse_message + validate,
// field by field, for valid messages and for every mutation of them tried here.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/fix44.hpp"

#include <doctest/doctest.h>

#include <array>
#include <fstream>
#include <iterator>
#include <string>

using namespace pinnacle::fix;
using fix_test::frame;
using fix_test::hdr;

namespace {

std::array<field, 256> fast_fields;
std::array<field, 256> ref_fields;

// Decodes `m` with `d` and with parse + validate; the results must be identical. Returns the
// decoder's result.
decode_result same_as_general(layout_decoder& d, std::string_view m) {
    const decode_result x = d.decode(m, fast_fields);
    const parse_result p = fix44::parse(m, ref_fields);
    INFO(fix_test::pipes(m));
    CHECK(x.parse.status == p.status);
    CHECK(x.parse.consumed == p.consumed);
    CHECK(x.parse.field_count == p.field_count);
    CHECK(x.parse.error_tag == p.error_tag);
    CHECK(x.parse.error_offset == p.error_offset);
    if (!p.ok()) return x;
    const validation v = fix44::validate(std::span<const field>(ref_fields.data(), p.field_count));
    CHECK(x.valid.reason == v.reason);
    CHECK(x.valid.ref_tag == v.ref_tag);
    CHECK(x.valid.field_index == v.field_index);
    CHECK(x.valid.message == v.message);
    for (std::size_t i = 0; i < p.field_count && i < x.parse.field_count; ++i) {
        CHECK(fast_fields[i].tag == ref_fields[i].tag);
        CHECK(fast_fields[i].offset == ref_fields[i].offset);
        CHECK(fast_fields[i].value.data() == ref_fields[i].value.data());
        CHECK(fast_fields[i].value.size() == ref_fields[i].value.size());
    }
    return x;
}

// Rewrites the CheckSum digits of a framed message after a byte of it changed.
void fix_checksum(std::string& m) {
    const std::size_t t = m.rfind("10=");
    unsigned sum = 0;
    for (std::size_t i = 0; i < t; ++i) sum += static_cast<unsigned char>(m[i]);
    sum %= 256;
    m[t + 3] = static_cast<char>('0' + sum / 100);
    m[t + 4] = static_cast<char>('0' + (sum / 10) % 10);
    m[t + 5] = static_cast<char>('0' + sum % 10);
}

const std::string er_body = hdr("8") +
    "37=OID-1|11=CLID-0000004711|17=EXEC-1|150=F|39=1|55=AAPL|54=1|38=500|44=185.25|32=200|31=185.25|"
    "151=300|14=200|6=185.25|60=20240507-21:35:38.775|";

} // namespace

TEST_CASE("layout_decoder learns a valid layout and then answers on the fast path, field for field") {
    layout_decoder d = fix44::make_decoder();
    const std::string m = frame(er_body);
    const decode_result first = same_as_general(d, m);
    REQUIRE(first.ok());
    CHECK_FALSE(first.fast);
    CHECK(d.layouts() == 1);
    const decode_result second = same_as_general(d, m);
    REQUIRE(second.ok());
    CHECK(second.fast);
    // Other values of the same layout (lengths differ): still the fast path.
    const std::string other = frame(hdr("8") +
        "37=O|11=C|17=E|150=4|39=4|55=MSFT|54=2|38=1.5|44=0.0001|32=0|31=0|151=0|14=1.5|6=99999.99|"
        "60=20241231-23:59:60.999|");
    const decode_result third = same_as_general(d, other);
    REQUIRE(third.ok());
    CHECK(third.fast);
    d.clear();
    CHECK(d.layouts() == 0);
    CHECK_FALSE(same_as_general(d, m).fast);
}

TEST_CASE("layout_decoder: every one-byte change of a learned message gets the general path's answer") {
    layout_decoder d = fix44::make_decoder();
    const std::string m = frame(er_body);
    REQUIRE(same_as_general(d, m).ok());
    const std::string_view replacements = "09.-\x01" "A:=x 1+\x80";
    for (std::size_t i = 0; i < m.size(); ++i) {
        for (const char c : replacements) {
            std::string b = m;
            if (b[i] == c) continue;
            b[i] = c;
            (void)same_as_general(d, b);  // CheckSum wrong: bad_checksum or garbled, as the general path
            if (i < m.rfind("10=")) {
                fix_checksum(b);
                (void)same_as_general(d, b);  // CheckSum right: values and layout checked
            }
            (void)same_as_general(d, m);      // the original still decodes after whatever was learned
        }
    }
    // Truncations: incomplete or garbled exactly as the general path says.
    for (std::size_t n = 0; n < m.size(); ++n) (void)same_as_general(d, std::string_view(m).substr(0, n));
}

TEST_CASE("layout_decoder: removing or doubling a field, or changing a tag, gets the general path's answer") {
    layout_decoder d = fix44::make_decoder();
    REQUIRE(same_as_general(d, frame(er_body)).ok());
    // Each field of the body removed, and each doubled.
    std::size_t start = 0;
    while (start < er_body.size()) {
        const std::size_t end = er_body.find('|', start) + 1;
        const std::string field_text = er_body.substr(start, end - start);
        (void)same_as_general(d, frame(er_body.substr(0, start) + er_body.substr(end)));
        (void)same_as_general(d, frame(er_body.substr(0, end) + field_text + er_body.substr(end)));
        (void)same_as_general(d, frame(er_body.substr(0, start) + "58=" + field_text + er_body.substr(end)));
        (void)same_as_general(d, frame(er_body.substr(0, start) + "9999=x|" + er_body.substr(end)));
        start = end;
    }
    // Values the fast checks decide: empty, signs, dots, long numbers, other timestamp shapes.
    for (const std::string_view price : {"", "-1", "1.", ".5", "1..2", "1.2.3", "123456789", "12345.678", "1e5", "+1", "."}) {
        (void)same_as_general(d, frame(hdr("8") + "37=O|11=C|17=E|150=F|39=1|55=A|54=1|38=5|44=" + std::string(price) +
                                       "|32=2|31=1|151=3|14=2|6=1|60=20240507-21:35:38.775|"));
    }
    for (const std::string_view ts : {"20240507-21:35:38", "20240507-21:35:38.775123", "20241307-21:35:38.775",
                                      "20240500-21:35:38.775", "20240507-24:35:38.775", "20240507-21:60:38.775",
                                      "20240507-21:35:61.775", "20240507 21:35:38.775", "20240507-21:35:38,775",
                                      "2024050-721:35:38.775", "20240507-21:35:38.77x"}) {
        (void)same_as_general(d, frame(hdr("8") + "37=O|11=C|17=E|150=F|39=1|55=A|54=1|38=5|44=1|32=2|31=1|151=3|"
                                       "14=2|6=1|60=" + std::string(ts) + "|"));
    }
    for (const std::string_view seq : {"", "0", "-1", "12345678", "123456789", "1a"}) {
        (void)same_as_general(d, frame("35=8|49=CLIENT|56=VENUE|34=" + std::string(seq) + "|52=20240507-21:35:38.774|"
                                       "37=O|11=C|17=E|150=F|39=1|55=A|54=1|38=5|44=1|32=2|31=1|151=3|14=2|6=1|"
                                       "60=20240507-21:35:38.775|"));
    }
    // Another BeginString, another MsgType, a group (never learned), data fields (never learned).
    (void)same_as_general(d, frame(er_body, "FIX.4.2"));
    (void)same_as_general(d, frame(hdr("0")));
    (void)same_as_general(d, frame(hdr("0")));
    (void)same_as_general(d, frame(hdr("0") + "112=ping|"));
    (void)same_as_general(d, frame(hdr("8") + "95=3|96=a\x01" "b|"));
}

TEST_CASE("layout_decoder gives parse + validate's answer for every message of the bundled FIX logs") {
    layout_decoder d = fix44::make_decoder();
    for (const char* name : {"/quickfix44.messages.log", "/fix.4.1.set.1"}) {
        std::ifstream in(std::string(PINNACLE_FIX_TEST_DATA_DIR) + name, std::ios::binary);
        REQUIRE(in);
        const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::size_t pos = all.find("8=");
        std::size_t decoded = 0;
        while (pos != std::string::npos && pos < all.size()) {
            const std::string_view rest = std::string_view(all).substr(pos);
            const decode_result r = same_as_general(d, rest);
            ++decoded;
            pos = all.find("8=", pos + (r.parse.ok() ? r.parse.consumed : 1));
        }
        CHECK(decoded > 10);
    }
}
