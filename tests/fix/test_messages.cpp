// Typed views: each message written with its view, framed, parsed, validated and read back.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/messages.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace pinnacle::fix;
using namespace pinnacle::fix::fix44;

namespace {

std::array<char, 1024> buf;
std::array<field, 128> parsed;

// Writes header + body, parses, validates; returns the parsed fields.
template <class View>
std::span<const field> round_trip(const View& body) {
    encoder e(buf, "FIX.4.4");
    header h{View::msg_type, "CLIENT", "VENUE", 42, "20240507-21:35:38.774", false, false, {}};
    h.write(e);
    body.write(e);
    const std::string_view m = e.finish();
    REQUIRE_FALSE(m.empty());
    const parse_result r = parse(m, parsed);
    REQUIRE(r.ok());
    const std::span<const field> f(parsed.data(), r.field_count);
    const validation v = validate(f);
    CHECK_MESSAGE(v.ok(), fix_test::pipes(m), " reason ", static_cast<int>(v.reason), " tag ", v.ref_tag);
    header back{};
    REQUIRE(header::read(f, back).ok());
    CHECK(back.msg_seq_num == 42);
    CHECK(back.sender_comp_id == "CLIENT");
    return f;
}

} // namespace

TEST_CASE("session messages round-trip through their views") {
    {
        logon out{};
        REQUIRE(logon::read(round_trip(logon{0, 5, true, "user", "pw"}), out).ok());
        CHECK(out.heart_bt_int == 5);
        CHECK(out.reset_seq_num);
        CHECK(out.username == "user");
    }
    {
        heartbeat out{};
        REQUIRE(heartbeat::read(round_trip(heartbeat{"t1"}), out).ok());
        CHECK(out.test_req_id == "t1");
    }
    {
        test_request out{};
        REQUIRE(test_request::read(round_trip(test_request{"t2"}), out).ok());
        CHECK(out.test_req_id == "t2");
    }
    {
        resend_request out{};
        REQUIRE(resend_request::read(round_trip(resend_request{5, 0}), out).ok());
        CHECK(out.begin_seq_no == 5);
        CHECK(out.end_seq_no == 0);
    }
    {
        reject out{};
        REQUIRE(reject::read(round_trip(reject{7, 44, "D", 5, "bad price"}), out).ok());
        CHECK(out.ref_seq_num == 7);
        CHECK(out.ref_tag_id == 44);
        CHECK(out.session_reject_reason == 5);
        CHECK(out.text == "bad price");
    }
    {
        sequence_reset out{};
        REQUIRE(sequence_reset::read(round_trip(sequence_reset{true, 20}), out).ok());
        CHECK(out.gap_fill);
        CHECK(out.new_seq_no == 20);
    }
    {
        logout out{};
        REQUIRE(logout::read(round_trip(logout{"bye"}), out).ok());
        CHECK(out.text == "bye");
    }
}

TEST_CASE("order-entry messages round-trip through their views") {
    {
        new_order_single in{"ord-1", "ACC", "AAPL", value::Side_BUY, "20240507-21:35:38.774", "100", value::OrdType_LIMIT,
                            "185.25", value::TimeInForce_DAY};
        new_order_single out{};
        REQUIRE(new_order_single::read(round_trip(in), out).ok());
        CHECK(out.cl_ord_id == "ord-1");
        CHECK(out.side == '1');
        CHECK(out.price == "185.25");
        CHECK(parse_decimal(out.price, 4) == 1852500);
    }
    {
        order_cancel_request out{};
        REQUIRE(order_cancel_request::read(round_trip(order_cancel_request{"ord-1", "o1", "ord-2", "AAPL", '1', "20240507-21:35:38.774", "100"}), out).ok());
        CHECK(out.orig_cl_ord_id == "ord-1");
        CHECK(out.order_id == "o1");
    }
    {
        order_cancel_replace_request out{};
        REQUIRE(order_cancel_replace_request::read(
                    round_trip(order_cancel_replace_request{"o1", "ord-1", "ord-3", "AAPL", '1', "20240507-21:35:38.774", "200", '2', "185.5", '\0'}),
                    out).ok());
        CHECK(out.order_qty == "200");
        CHECK(out.time_in_force == '\0');
    }
    {
        execution_report in{};
        in.order_id = "o1";
        in.cl_ord_id = "ord-1";
        in.exec_id = "e1";
        in.exec_type = value::ExecType_TRADE;
        in.ord_status = value::OrdStatus_PARTIALLY_FILLED;
        in.symbol = "AAPL";
        in.side = value::Side_BUY;
        in.order_qty = "100";
        in.price = "185.25";
        in.last_qty = "40";
        in.last_px = "185.25";
        in.leaves_qty = "60";
        in.cum_qty = "40";
        in.avg_px = "185.25";
        in.commission = "0.4";
        in.transact_time = "20240507-21:35:38.775";
        execution_report out{};
        REQUIRE(execution_report::read(round_trip(in), out).ok());
        CHECK(out.exec_type == 'F');
        CHECK(out.ord_status == '1');
        CHECK(out.last_qty == "40");
        CHECK(out.leaves_qty == "60");
        CHECK(out.commission == "0.4");
        CHECK(out.ord_rej_reason == -1);
    }
    {
        order_cancel_reject out{};
        REQUIRE(order_cancel_reject::read(round_trip(order_cancel_reject{"o1", "ord-2", "ord-1", '0', '1', 1, "too late"}), out).ok());
        CHECK(out.cxl_rej_reason == 1);
        CHECK(out.text == "too late");
    }
    {
        business_message_reject out{};
        REQUIRE(business_message_reject::read(round_trip(business_message_reject{7, "D", "ord-1", 3, "no"}), out).ok());
        CHECK(out.ref_msg_type == "D");
        CHECK(out.business_reject_reason == 3);
    }
}

TEST_CASE("a view refuses another MsgType and names a missing field") {
    const std::string m = fix_test::frame(fix_test::hdr("8") + "37=o1|17=e1|150=0|39=0|55=AAPL|54=1|151=100|14=0|");
    const parse_result r = parse(m, parsed);
    REQUIRE(r.ok());
    const std::span<const field> f(parsed.data(), r.field_count);
    execution_report er{};
    const read_result rr = execution_report::read(f, er);
    CHECK(rr.status == read_status::missing_field);
    CHECK(rr.error_tag == tag::AvgPx);
    new_order_single nos{};
    CHECK(new_order_single::read(f, nos).status == read_status::wrong_msg_type);
}

TEST_CASE("parse_decimal converts at a given number of decimals, refusing lost precision") {
    CHECK(parse_decimal("185.25", 2) == 18525);
    CHECK(parse_decimal("185.2", 4) == 1852000);
    CHECK(parse_decimal("185.250", 2) == 18525);
    CHECK(parse_decimal("-0.5", 1) == -5);
    CHECK(parse_decimal("100", 0) == 100);
    CHECK_FALSE(parse_decimal("185.255", 2).has_value());
    CHECK_FALSE(parse_decimal("1.2.3", 2).has_value());
    CHECK_FALSE(parse_decimal("", 2).has_value());
    CHECK_FALSE(parse_decimal("1234567890123456789", 0).has_value());
    CHECK_FALSE(parse_decimal("123456789012", 8).has_value());
    CHECK(parse_uint("4294967295") == 4294967295);
    CHECK_FALSE(parse_uint("-1").has_value());
}
