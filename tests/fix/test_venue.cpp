// fix_venue (connect/fix/venue.hpp) over an in-memory initiator session, against a scripted
// acceptor: D/F/G out, ExecutionReports in, a resent fill booked once, reconcile after reconnect.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/venue.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace pinnacle;
using namespace pinnacle::fix;

namespace {

constexpr std::int64_t t0 = 1'715'117'738'000'000'000;

session_config cfg(session_role role) {
    session_config c;
    c.role = role;
    c.sender_comp_id = role == session_role::initiator ? "MM" : "EXCH";
    c.target_comp_id = role == session_role::initiator ? "EXCH" : "MM";
    return c;
}

/// A scripted exchange: acknowledges and fills every D in full at its price, cancels on F,
/// replaces on G, answers H with `status_cum` lots filled.
struct exchange {
    message_store store;
    session s{cfg(session_role::acceptor), store};
    std::vector<std::string> received;  // MsgTypes
    std::string last_fill;              // the last fill ER sent (for a duplicate)
    std::string status_cum = "0";
    char status_ord = '0';
    int exec = 0;
    bool fill_orders = true;

    exchange() {
        s.on_app([this](const fix44::header& h, std::span<const field> f, std::int64_t now) { on(h, f, now); });
    }
    void er(std::int64_t now, std::string_view cl, std::string_view orig, char type, char st, std::string_view qty,
            std::string_view px, std::string_view last_qty, std::string_view leaves, std::string_view cum) {
        fix44::execution_report r;
        const std::string id = "X" + std::to_string(++exec);
        r.order_id = "77";
        r.cl_ord_id = cl;
        r.orig_cl_ord_id = orig;
        r.exec_id = id;
        r.exec_type = type;
        r.ord_status = st;
        r.symbol = "AAPL";
        r.side = '1';
        r.order_qty = qty;
        r.price = px;
        if (type == 'F') {
            r.last_qty = last_qty;
            r.last_px = px;
            r.commission = "0.01";
        }
        r.leaves_qty = leaves;
        r.cum_qty = cum;
        r.avg_px = type == 'F' ? px : "0";
        s.send("8", now, [&](encoder& e) { r.write(e); });
    }
    void on(const fix44::header& h, std::span<const field> f, std::int64_t now) {
        received.emplace_back(h.msg_type);
        if (h.msg_type == "D") {
            fix44::new_order_single m;
            REQUIRE(fix44::new_order_single::read(f, m).ok());
            er(now, m.cl_ord_id, "", '0', '0', m.order_qty, m.price, "", m.order_qty, "0");
            if (fill_orders) er(now, m.cl_ord_id, "", 'F', '2', m.order_qty, m.price, m.order_qty, "0", m.order_qty);
        } else if (h.msg_type == "F") {
            fix44::order_cancel_request m;
            REQUIRE(fix44::order_cancel_request::read(f, m).ok());
            er(now, m.cl_ord_id, m.orig_cl_ord_id, '4', '4', "10", "100.5", "", "0", "0");
        } else if (h.msg_type == "G") {
            fix44::order_cancel_replace_request m;
            REQUIRE(fix44::order_cancel_replace_request::read(f, m).ok());
            er(now, m.cl_ord_id, m.orig_cl_ord_id, '5', '0', m.order_qty, m.price, "", m.order_qty, "0");
        } else if (h.msg_type == "H") {
            std::string cl;
            for (const field& x : f) {
                if (x.tag == fix44::tag::ClOrdID) cl = std::string(x.value);
            }
            er(now, cl, "", 'I', status_ord, "10", "100.5", "", "0", status_cum);
        }
    }
};

struct fixture {
    message_store store;
    session ini{cfg(session_role::initiator), store};
    fix_venue venue{fix_venue_config{"AAPL", 4, 0, "", 5'000'000'000}, ini};
    exchange ex;

    void pump(std::int64_t now) {
        for (int i = 0; i < 20; ++i) {
            const std::string a = ini.take_output();
            const std::string b = ex.s.take_output();
            if (a.empty() && b.empty()) return;
            ex.s.receive(a, now);
            ini.receive(b, now);
        }
    }
    void connect(std::int64_t now) {
        ex.s.connect(now);
        ini.connect(now);
        pump(now);
    }
    std::vector<execution_report> reports(std::int64_t now) {
        std::vector<execution_report> out;
        execution_report r;
        while (venue.poll(timestamp{now}, r)) out.push_back(r);
        return out;
    }
    order_intent intent(std::uint64_t id, std::int64_t px, std::int64_t size) {
        order_intent o;
        o.cl_ord_id = order_id{id};
        o.side = side::buy;
        o.px = price{px};
        o.size = qty{size};
        o.ts = timestamp{t0};
        return o;
    }
};

} // namespace

TEST_CASE("fix_venue: down before logon, up after; an order is acknowledged and filled with price, size and fee") {
    fixture fx;
    CHECK(fx.venue.session_state() == venue_session::down);
    CHECK(fx.venue.submit(fx.intent(1, 1'005'000, 10)) == status::disconnected);
    fx.connect(t0);
    REQUIRE(fx.venue.session_state() == venue_session::up);
    REQUIRE(fx.venue.submit(fx.intent(1, 1'005'000, 10)) == status::ok);
    CHECK(fx.venue.submit(fx.intent(1, 1'005'000, 10)) == status::duplicate_order);
    fx.pump(t0);
    const auto r = fx.reports(t0);
    REQUIRE(r.size() == 2);
    CHECK(r[0].type == exec_type::new_ack);
    CHECK(r[0].cl_ord_id == order_id{1});
    CHECK(r[0].venue_order_id == 77);
    CHECK(r[1].type == exec_type::fill);
    CHECK(r[1].last_qty == qty{10});
    CHECK(r[1].last_px == price{1'005'000});
    CHECK(r[1].fee == notional{100});
    CHECK(r[1].leaves_qty == qty{0});
    CHECK(r[1].exec_id != 0);
    CHECK(fx.venue.open_orders() == 0);
}

TEST_CASE("fix_venue: modify becomes G with a new ClOrdID, cancel becomes F; reports map back to the order") {
    fixture fx;
    fx.ex.fill_orders = false;
    fx.connect(t0);
    REQUIRE(fx.venue.submit(fx.intent(7, 1'005'000, 10)) == status::ok);
    fx.pump(t0);
    REQUIRE(fx.venue.modify(order_id{7}, price{1'004'000}, qty{20}, timestamp{t0}) == status::ok);
    CHECK(fx.venue.modify(order_id{7}, price{1'004'000}, qty{20}, timestamp{t0}) == status::rejected);  // one pending at a time
    fx.pump(t0);
    REQUIRE(fx.venue.cancel_all(timestamp{t0}) == status::ok);
    fx.pump(t0);
    const auto r = fx.reports(t0);
    REQUIRE(r.size() == 3);
    CHECK(r[1].type == exec_type::replaced);
    CHECK(r[1].px == price{1'004'000});
    CHECK(r[1].leaves_qty == qty{20});
    CHECK(r[2].type == exec_type::canceled);
    CHECK(r[2].cl_ord_id == order_id{7});
    CHECK(fx.ex.received == std::vector<std::string>{"D", "G", "F"});
    CHECK(fx.venue.open_orders() == 0);
    CHECK(fx.venue.cancel(order_id{7}, timestamp{t0}) == status::unknown_order);
}

TEST_CASE("fix_venue: a report resent after a gap (PossDupFlag=Y, same ExecID) is booked once") {
    fixture fx;
    fx.ex.fill_orders = false;
    fx.connect(t0);
    REQUIRE(fx.venue.submit(fx.intent(1, 1'005'000, 10)) == status::ok);
    fx.ex.s.receive(fx.ini.take_output(), t0);
    const std::string ers = fx.ex.s.take_output();
    fx.ini.receive(ers, t0);
    // The initiator forgets it received it: its ResendRequest brings the same ExecID again.
    REQUIRE(fx.store.set_next_target_seq(fx.store.next_target_seq() - 1));
    fx.ex.s.tick(t0 + 31'000'000'000);  // a Heartbeat from the exchange reveals the gap
    const std::string hb = fx.ex.s.take_output();
    fx.ini.receive(hb, t0 + 31'000'000'000);
    fx.ex.s.receive(fx.ini.take_output(), t0 + 31'000'000'000);  // the ResendRequest
    const std::string resent = fx.ex.s.take_output();
    CHECK(resent.find("\x01" "43=Y\x01") != std::string::npos);
    CHECK(resent.find("\x01" "17=X1\x01") != std::string::npos);
    fx.ini.receive(resent, t0 + 31'000'000'000);
    CHECK(fx.store.next_target_seq() == fx.ex.store.next_sender_seq());
    const auto r = fx.reports(t0);
    REQUIRE(r.size() == 1);
    CHECK(r[0].type == exec_type::new_ack);
}

TEST_CASE("fix_venue: the duplicate check compares ExecID text per order, and exec_ids passed on are unique") {
    fixture fx;
    fx.connect(t0);
    REQUIRE(fx.venue.submit(fx.intent(1, 1'005'000, 10)) == status::ok);
    fx.pump(t0);
    fx.ex.exec = 0;  // this exchange numbers ExecIDs per order: order 2 gets X1, X2 again
    REQUIRE(fx.venue.submit(fx.intent(2, 1'005'000, 10)) == status::ok);
    fx.pump(t0);
    const auto r = fx.reports(t0);
    REQUIRE(r.size() == 4);  // ack + fill of each order: the same ExecID text on another order is not a resend
    CHECK(r[1].type == exec_type::fill);
    CHECK(r[3].type == exec_type::fill);
    CHECK(r[3].cl_ord_id == order_id{2});
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j) CHECK(r[i].exec_id != r[j].exec_id);
}

TEST_CASE("fix_venue: after a reconnect, OrderStatusRequest per open order; fills missed are booked from CumQty") {
    fixture fx;
    fx.ex.fill_orders = false;
    fx.connect(t0);
    REQUIRE(fx.venue.submit(fx.intent(3, 1'005'000, 10)) == status::ok);
    fx.pump(t0);
    CHECK(fx.reports(t0).size() == 1);
    fx.ini.disconnected(t0);
    fx.ex.s.disconnected(t0);
    CHECK(fx.venue.session_state() == venue_session::down);
    fx.ex.status_cum = "4";  // filled 4 while we were away, report lost
    fx.ex.s.connect(t0);
    fx.ini.connect(t0);
    fx.ex.s.receive(fx.ini.take_output(), t0);
    fx.ini.receive(fx.ex.s.take_output(), t0);
    CHECK(fx.venue.session_state() == venue_session::connecting);
    fx.pump(t0);
    CHECK(fx.ex.received.back() == "H");
    CHECK(fx.venue.session_state() == venue_session::up);
    const auto r = fx.reports(t0);
    REQUIRE(r.size() == 1);
    CHECK(r[0].type == exec_type::fill);
    CHECK(r[0].last_qty == qty{4});
    CHECK(fx.venue.open_orders() == 1);
}
