// FIX framing: parse_message and encoder (FIX 4.4 Vol. 1 "FIX Message Format").
#include "fix_test_util.hpp"
#include "alloc_counter.hpp"
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
std::array<field, 256> fields;
parse_result parse(std::string_view m) { return fix44::parse(m, fields); }
} // namespace

TEST_CASE("a framed message parses into its fields, 8/9/35 first and 10 last") {
    const std::string m = frame(hdr("0") + "112=ping|");
    const parse_result r = parse(m);
    REQUIRE(r.ok());
    CHECK(r.consumed == m.size());
    REQUIRE(r.field_count == 9);
    CHECK(fields[0].tag == 8);
    CHECK(fields[0].value == "FIX.4.4");
    CHECK(fields[1].tag == 9);
    CHECK(fields[2].tag == 35);
    CHECK(fields[2].value == "0");
    CHECK(fields[7].tag == 112);
    CHECK(fields[7].value == "ping");
    CHECK(fields[8].tag == 10);
    CHECK(m.substr(fields[7].offset, 4) == "112=");
}

TEST_CASE("the real FIX 4.1 session from hffix parses message by message, checksums verified") {
    std::ifstream in(PINNACLE_FIX_TEST_DATA_DIR "/fix.4.1.set.1", std::ios::binary);
    REQUIRE(in);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string_view rest(data);
    int n = 0;
    while (rest.find("8=") != std::string_view::npos) {
        const parse_result r = parse(rest);
        REQUIRE_MESSAGE(r.ok(), to_string(r.status), " at ", r.error_offset);
        rest.remove_prefix(r.consumed);
        ++n;
    }
    CHECK(n == 16);
}

TEST_CASE("a wrong CheckSum is reported with the offset of the CheckSum field") {
    std::string m = frame(hdr("0"));
    const std::size_t cs = m.rfind("10=");
    m[cs + 5] = m[cs + 5] == '9' ? '0' : static_cast<char>(m[cs + 5] + 1);
    const parse_result r = parse(m);
    CHECK(r.status == parse_status::bad_checksum);
    CHECK(r.error_tag == 10);
    CHECK(r.error_offset == cs);
}

TEST_CASE("a wrong BodyLength is reported at the BodyLength field") {
    std::string m = frame(hdr("0"));
    const std::size_t nine = m.find("9=");
    m[nine + 2] = static_cast<char>(m[nine + 2] + 1);  // 9=6x -> 9=7x: points past "10="
    const parse_result r = parse(m + std::string(20, 'x'));
    CHECK(r.status == parse_status::bad_body_length);
    CHECK(r.error_tag == 9);
    CHECK(r.error_offset == nine);
}

TEST_CASE("garbled input names the tag and byte at fault") {
    SUBCASE("a tag with a letter") {
        const std::string m = frame("35=0|49=A|5x=B|");
        const parse_result r = parse(m);
        CHECK(r.status == parse_status::garbled);
        CHECK(r.error_offset == m.find("5x="));
    }
    SUBCASE("a field with no '='") {
        const std::string m = frame("35=0|49A|");
        const parse_result r = parse(m);
        CHECK(r.status == parse_status::garbled);
        CHECK(r.error_offset == m.find("49A"));
    }
    SUBCASE("a tag with a leading zero") {
        const std::string m = frame("35=0|049=A|");
        CHECK(parse(m).status == parse_status::garbled);
    }
    SUBCASE("MsgType not third") {
        const std::string m = frame("49=A|35=0|");
        const parse_result r = parse(m);
        CHECK(r.status == parse_status::garbled);
        CHECK(r.error_tag == 49);
    }
    SUBCASE("not starting with 8=") {
        CHECK(parse(fix_test::soh("9=5|35=0|10=000|")).status == parse_status::garbled);
    }
    SUBCASE("BeginString repeated in the body") {
        CHECK(parse(frame("35=0|8=FIX.4.4|")).status == parse_status::garbled);
    }
}

TEST_CASE("every strict prefix of a message is incomplete, never a message or a crash") {
    const std::string m = frame(hdr("A") + "98=0|108=30|");
    for (std::size_t n = 0; n < m.size(); ++n) {
        const parse_result r = parse(std::string_view(m).substr(0, n));
        CHECK_MESSAGE(r.status == parse_status::incomplete, "prefix ", n, ": ", to_string(r.status));
    }
    CHECK(parse(m).ok());
}

TEST_CASE("a DATA field is read by its LENGTH field and may hold SOH and '='") {
    const std::string m = frame(hdr("A") + "95=5|96=a|b=c|98=0|108=30|");
    const parse_result r = parse(m);
    REQUIRE(r.ok());
    const field& raw = fields[8];
    CHECK(raw.tag == 96);
    CHECK(raw.value == std::string_view("a\x01" "b=c", 5));
    CHECK(fields[9].tag == 98);
    // A length that runs past the message is garbled, not a read past the end.
    CHECK(parse(frame(hdr("A") + "95=500|96=abc|")).status == parse_status::garbled);
}

TEST_CASE("a full field array is reported, not overrun") {
    const std::string m = frame(hdr("0") + "58=a|58=b|58=c|");
    std::array<field, 5> few{};
    const parse_result r = fix44::parse(m, few);
    CHECK(r.status == parse_status::too_many_fields);
}

TEST_CASE("the encoder writes BodyLength and CheckSum the parser accepts, without allocating") {
    std::array<char, 256> buf{};
    encoder e(buf, "FIX.4.4");
    std::string_view out;
    {
        pinnacle_test::alloc_scope scope;
        e.start("D").add(49, "CLIENT").add(56, "VENUE").add_int(34, 7).add_timestamp(52, 1715117738774000000)
            .add(11, "ord-1").add(55, "AAPL").add(54, '1').add_timestamp(60, 1715117738774000000)
            .add_decimal(38, 100, 0).add(40, '2').add_decimal(44, 18525, 2);
        out = e.finish();
        CHECK(scope.count() == 0);
    }
    REQUIRE_FALSE(out.empty());
    CHECK(fix_test::pipes(out) ==
          fix_test::pipes(frame("35=D|49=CLIENT|56=VENUE|34=7|52=20240507-21:35:38.774|11=ord-1|55=AAPL|54=1|"
                                "60=20240507-21:35:38.774|38=100|40=2|44=185.25|")));
    const parse_result r = parse(out);
    REQUIRE(r.ok());
    CHECK(fix44::validate(std::span<const field>(fields.data(), r.field_count)).ok());
}

TEST_CASE("the encoder reports a buffer too small instead of writing past it") {
    std::array<char, 40> buf{};
    encoder e(buf, "FIX.4.4");
    e.start("D").add(49, "CLIENT").add(56, "A-VENUE-NAME-THAT-DOES-NOT-FIT");
    CHECK(e.overflow());
    CHECK(e.finish().empty());
    // Reusable after start().
    e.start("0");
    CHECK(e.finish().size() > 0);
}

TEST_CASE("decimal and timestamp formatting") {
    char b[48];
    CHECK(std::string_view(b, encoder::format_decimal(18525, 2, b)) == "185.25");
    CHECK(std::string_view(b, encoder::format_decimal(-5, 3, b)) == "-0.005");
    CHECK(std::string_view(b, encoder::format_decimal(1200, 2, b)) == "12");
    CHECK(std::string_view(b, encoder::format_decimal(1230, 2, b)) == "12.3");
    CHECK(std::string_view(b, encoder::format_int(-9223372036854775807LL - 1, b)) == "-9223372036854775808");
    encoder::format_timestamp(0, b);
    CHECK(std::string_view(b, 21) == "19700101-00:00:00.000");
    encoder::format_timestamp(951782400123456789, b);  // 2000-02-29 (leap day)
    CHECK(std::string_view(b, 21) == "20000229-00:00:00.123");
}

TEST_CASE("the CheckSum sum agrees with a plain byte loop for every length and byte pattern") {
    std::string s;
    for (int i = 0; i < 300; ++i) s += static_cast<char>((i * 151 + 7) & 0xFF);
    for (std::size_t n = 0; n <= s.size(); ++n) {
        unsigned plain = 0;
        for (std::size_t i = 0; i < n; ++i) plain += static_cast<unsigned char>(s[i]);
        CHECK(detail::byte_sum(s.data(), n) == plain % 256);
    }
    const std::string ff(300, '\xFF');
    CHECK(detail::byte_sum(ff.data(), ff.size()) == (300U * 255U) % 256U);
}

TEST_CASE("find_soh finds the first SOH at every position") {
    for (std::size_t len = 1; len < 40; ++len) {
        for (std::size_t at = 0; at < len; ++at) {
            std::string s(len, 'a');
            s[at] = '\x01';
            if (at + 1 < len) s[len - 1] = '\x01';
            CHECK(detail::find_soh(s.data(), s.data() + len) == s.data() + at);
        }
        const std::string none(len, '\x02');
        CHECK(detail::find_soh(none.data(), none.data() + len) == none.data() + len);
    }
}

TEST_CASE("timestamps within one second reuse the formatted date, across seconds they do not") {
    std::array<char, 256> buf{};
    encoder e(buf, "FIX.4.4");
    e.start("0").add_timestamp(52, 1715117738774000000).add_timestamp(60, 1715117738999999999)
        .add_timestamp(122, 1715117739000000000).add_timestamp(60, -5);
    const std::string m = fix_test::pipes(e.finish());
    CHECK(m.find("|52=20240507-21:35:38.774|60=20240507-21:35:38.999|122=20240507-21:35:39.000|60=19700101-00:00:00.000|") !=
          std::string::npos);
}
