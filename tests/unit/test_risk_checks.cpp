#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>

#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"

using namespace pinnacle;

namespace {

constexpr std::int64_t sec = 1'000'000'000;
constexpr std::int64_t day_ns = 86'400 * sec;
constexpr std::int64_t open_930 = 34'200 * sec;  // 09:30 after midnight, LOBSTER-style time

order_intent order(side s, std::int64_t px, std::int64_t size, std::uint64_t id = 1) {
    order_intent o;
    o.cl_ord_id = order_id{id};
    o.side = s;
    o.px = price{px};
    o.size = qty{size};
    o.ts = timestamp{open_930};
    return o;
}

// A two-sided market at 9,990 / 10,010 ticks (mid 10,000), flat book, no working orders.
risk_state base_state(std::int64_t now = open_930) {
    risk_state st;
    st.now = timestamp{now};
    st.market.ts = st.now;
    st.market.best_bid = price{9'990};
    st.market.bid_size = qty{300};
    st.market.best_ask = price{10'010};
    st.market.ask_size = qty{200};
    st.market.has_bid = true;
    st.market.has_ask = true;
    return st;
}

risk_state with_market(risk_state st, std::int64_t bid, std::int64_t ask) {
    st.market.best_bid = price{bid};
    st.market.best_ask = price{ask};
    st.market.has_bid = st.market.has_ask = true;
    return st;
}

execution_report fill(side s, std::int64_t qty_lots, std::int64_t px = 10'000) {
    execution_report r;
    r.type = exec_type::fill;
    r.side = s;
    r.px = price{px};
    r.last_px = price{px};
    r.last_qty = qty{qty_lots};
    return r;
}

constexpr risk_verdict ok = risk_verdict::approve();
constexpr risk_verdict denied(risk_reason r) { return risk_verdict::deny(r); }

// Test double: records how often it is asked and what it saw; answers with a fixed verdict.
struct probe_check {
    risk_verdict answer = risk_verdict::approve();
    int* sequence = nullptr;  // shared call counter, to record call order
    int checked = 0, reports = 0, called_at = -1;
    risk_verdict check(const order_intent&, const risk_state&) noexcept {
        ++checked;
        if (sequence != nullptr) called_at = (*sequence)++;
        return answer;
    }
    void on_execution(const execution_report&, const risk_state&) noexcept { ++reports; }
};

// Test double with the optional market hook.
struct market_probe {
    int markets = 0;
    price last_bid;
    risk_verdict check(const order_intent&, const risk_state&) noexcept { return risk_verdict::approve(); }
    void on_execution(const execution_report&, const risk_state&) noexcept {}
    void on_market(const market_snapshot& m) noexcept {
        ++markets;
        last_bid = m.best_bid;
    }
};

struct not_a_check {
    int check(const order_intent&, const risk_state&) noexcept { return 0; }
};

static_assert(RiskCheck<probe_check> && !MarketAwareRiskCheck<probe_check>);
static_assert(MarketAwareRiskCheck<market_probe>);
static_assert(!RiskCheck<not_a_check>);
static_assert(RiskCheck<risk_chain<probe_check, market_probe>>);
static_assert(MarketAwareRiskCheck<risk_chain<probe_check>>, "the chain always has on_market");

} // namespace

TEST_CASE("risk: order_sanity_check refuses non-positive size or price") {
    order_sanity_check c;
    const risk_state st = base_state();
    CHECK(c.check(order(side::buy, 1, 1), st) == ok);
    CHECK(c.check(order(side::buy, 10'000, 0), st) == denied(risk_reason::invalid_order));
    CHECK(c.check(order(side::sell, 10'000, -5), st) == denied(risk_reason::invalid_order));
    CHECK(c.check(order(side::buy, 0, 10), st) == denied(risk_reason::invalid_order));
    CHECK(c.check(order(side::sell, -1, 10), st) == denied(risk_reason::invalid_order));
}

TEST_CASE("risk: max_order_qty_check at the limit and one over") {
    max_order_qty_check c{qty{100}};
    const risk_state st = base_state();
    CHECK(c.check(order(side::buy, 10'000, 100), st) == ok);
    CHECK(c.check(order(side::buy, 10'000, 101), st) == denied(risk_reason::max_order_qty));
    CHECK(c.check(order(side::sell, 10'000, 101), st) == denied(risk_reason::max_order_qty));
    CHECK(c.check(order(side::buy, 10'000, 0), st) == denied(risk_reason::invalid_order));
    CHECK(c.check(order(side::buy, 0, 50), st) == denied(risk_reason::invalid_order));
    CHECK(to_string(c.check(order(side::buy, 10'000, 101), st).reason) == "max_order_qty");
}

TEST_CASE("risk: max_position_check counts working orders on the order's side") {
    max_position_check c{qty{100}, qty{80}};
    risk_state st = base_state();

    SUBCASE("long side: position + open_buy + size vs max_long") {
        st.position = qty{20};
        st.open_buy = qty{30};
        st.open_sell = qty{1'000};  // sells working do not make a buy safer
        CHECK(c.check(order(side::buy, 10'000, 50), st) == ok);  // 20 + 30 + 50 = 100
        CHECK(c.check(order(side::buy, 10'000, 51), st) == denied(risk_reason::max_position));
    }
    SUBCASE("short side: -(position - open_sell - size) vs max_short") {
        st.position = qty{-10};
        st.open_sell = qty{20};
        st.open_buy = qty{1'000};
        CHECK(c.check(order(side::sell, 10'000, 50), st) == ok);  // -(-10 - 20 - 50) = 80
        CHECK(c.check(order(side::sell, 10'000, 51), st) == denied(risk_reason::max_position));
    }
    SUBCASE("an order that unwinds a full position fits") {
        st.position = qty{100};
        CHECK(c.check(order(side::buy, 10'000, 1), st) == denied(risk_reason::max_position));
        CHECK(c.check(order(side::sell, 10'000, 180), st) == ok);  // 100 -> -80
        CHECK(c.check(order(side::sell, 10'000, 181), st) == denied(risk_reason::max_position));
    }
}

TEST_CASE("risk: max_notional_check per order") {
    max_notional_check c{notional{1'000'000}, notional{}};
    const risk_state st = base_state();
    CHECK(c.check(order(side::buy, 10'000, 100), st) == ok);  // exactly 1,000,000 tick-lots
    CHECK(c.check(order(side::buy, 10'000, 101), st) == denied(risk_reason::max_order_notional));
    CHECK(c.check(order(side::sell, 10'001, 100), st) == denied(risk_reason::max_order_notional));
    // 2^62 ticks x 4 lots wraps to 0 in plain int64: saturation keeps it a refusal.
    CHECK(c.check(order(side::buy, std::int64_t{1} << 62, 4), st) == denied(risk_reason::max_order_notional));

    max_notional_check off{notional{}, notional{}};
    CHECK(off.check(order(side::buy, 10'000, 1'000'000'000), st) == ok);
}

TEST_CASE("risk: max_notional_check gross exposure at the mid") {
    max_notional_check c{notional{}, notional{1'000'000}};  // 100 lots at mid 10,000
    risk_state st = base_state();                           // mid 10,000

    SUBCASE("buy side counts position and working bids") {
        st.position = qty{40};
        st.open_buy = qty{20};
        CHECK(c.check(order(side::buy, 9'000, 40), st) == ok);  // |40 + 20 + 40| x 10,000
        CHECK(c.check(order(side::buy, 9'000, 41), st) == denied(risk_reason::max_gross_exposure));
    }
    SUBCASE("sell side counts position and working asks") {
        st.position = qty{-40};
        st.open_sell = qty{20};
        CHECK(c.check(order(side::sell, 11'000, 40), st) == ok);
        CHECK(c.check(order(side::sell, 11'000, 41), st) == denied(risk_reason::max_gross_exposure));
    }
    SUBCASE("reference is the mid, not the order price") {
        // Priced at 5,000 the order would fit 200 lots; at the mid it fits 100.
        CHECK(c.check(order(side::buy, 5'000, 100), st) == ok);
        CHECK(c.check(order(side::buy, 5'000, 101), st) == denied(risk_reason::max_gross_exposure));
    }
    SUBCASE("half-tick mid stays exact") {
        st = with_market(st, 10'000, 10'001);  // mid 10,000.5: 100 lots = 1,000,050 tick-lots
        max_notional_check exact{notional{}, notional{1'000'050}};
        CHECK(exact.check(order(side::buy, 10'000, 100), st) == ok);
        max_notional_check tight{notional{}, notional{1'000'049}};  // a truncated mid would pass this
        CHECK(tight.check(order(side::buy, 10'000, 100), st) == denied(risk_reason::max_gross_exposure));
    }
    SUBCASE("one-sided market: the order price is the reference") {
        st.market.has_ask = false;
        CHECK(c.check(order(side::buy, 10'000, 100), st) == ok);
        CHECK(c.check(order(side::buy, 10'000, 101), st) == denied(risk_reason::max_gross_exposure));
        CHECK(c.check(order(side::buy, 20'000, 51), st) == denied(risk_reason::max_gross_exposure));
    }
    SUBCASE("over the limit, orders that reduce the exposure still go") {
        st.position = qty{-200};
        CHECK(c.check(order(side::buy, 10'000, 10), st) == ok);
        CHECK(c.check(order(side::buy, 10'000, 200), st) == ok);  // -200 -> 0
        CHECK(c.check(order(side::buy, 10'000, 300), st) == ok);  // -200 -> +100: crosses zero, within the limit
        CHECK(c.check(order(side::buy, 10'000, 301), st) == denied(risk_reason::max_gross_exposure));  // +101
        CHECK(c.check(order(side::sell, 10'000, 1), st) == denied(risk_reason::max_gross_exposure));
        st.open_buy = qty{150};  // working bids count: -200 + 150 + 60 = +10 crosses zero but fits
        CHECK(c.check(order(side::buy, 10'000, 60), st) == ok);
        CHECK(c.check(order(side::buy, 10'000, 151), st) == denied(risk_reason::max_gross_exposure));  // +101
    }
}

TEST_CASE("risk: price_band_check around the mid") {
    price_band_check c{50};  // 50 bps of 10,000 = 50 ticks
    risk_state st = base_state();
    CHECK(c.check(order(side::sell, 10'050, 1), st) == ok);
    CHECK(c.check(order(side::sell, 10'051, 1), st) == denied(risk_reason::price_band));
    CHECK(c.check(order(side::buy, 9'950, 1), st) == ok);
    CHECK(c.check(order(side::buy, 9'949, 1), st) == denied(risk_reason::price_band));
    CHECK(c.check(order(side::buy, std::int64_t{1} << 62, 1), st) == denied(risk_reason::price_band));

    SUBCASE("half-tick mid") {
        st = with_market(st, 10'000, 10'001);  // mid 10,000.5, 100 bps = 100.005 ticks
        price_band_check wide{100};
        CHECK(wide.check(order(side::sell, 10'100, 1), st) == ok);   // 99.5 ticks away
        CHECK(wide.check(order(side::sell, 10'101, 1), st) == denied(risk_reason::price_band));  // 100.5
        CHECK(wide.check(order(side::buy, 9'901, 1), st) == ok);     // 99.5
        CHECK(wide.check(order(side::buy, 9'900, 1), st) == denied(risk_reason::price_band));    // 100.5
    }
    SUBCASE("no two-sided market, no reference") {
        st.market.has_bid = false;
        CHECK(c.check(order(side::buy, 10'000, 1), st) == denied(risk_reason::no_reference_price));
        st.market.has_bid = true;
        st.market.has_ask = false;
        CHECK(c.check(order(side::buy, 10'000, 1), st) == denied(risk_reason::no_reference_price));
    }
}

TEST_CASE("risk: max_open_orders_check") {
    max_open_orders_check c{4};
    risk_state st = base_state();
    st.open_orders = 3;
    CHECK(c.check(order(side::buy, 10'000, 1), st) == ok);  // would be the 4th
    st.open_orders = 4;
    CHECK(c.check(order(side::buy, 10'000, 1), st) == denied(risk_reason::max_open_orders));
    max_open_orders_check most{std::numeric_limits<std::uint32_t>::max()};
    st.open_orders = std::numeric_limits<std::uint32_t>::max();  // +1 must not wrap to 0
    CHECK(most.check(order(side::buy, 10'000, 1), st) == denied(risk_reason::max_open_orders));
}

TEST_CASE("risk: order_rate_check token bucket in event time") {
    order_rate_check c{10.0, 3.0};  // one token per 100 ms, three at once
    const order_intent o = order(side::buy, 10'000, 1);
    const std::int64_t t0 = open_930;
    CHECK(c.tokens(timestamp{t0}) == 3);
    CHECK(c.check(o, base_state(t0)) == ok);
    CHECK(c.check(o, base_state(t0)) == ok);
    CHECK(c.check(o, base_state(t0)) == ok);
    CHECK(c.tokens(timestamp{t0}) == 0);
    CHECK(c.check(o, base_state(t0)) == denied(risk_reason::order_rate));
    CHECK(c.check(o, base_state(t0 + 100'000'000 - 1)) == denied(risk_reason::order_rate));
    CHECK(c.check(o, base_state(t0 + 100'000'000)) == ok);  // exactly one token refilled
    CHECK(c.check(o, base_state(t0 + 100'000'000)) == denied(risk_reason::order_rate));
    // Time running backwards refills nothing.
    CHECK(c.check(o, base_state(t0)) == denied(risk_reason::order_rate));
    // A long pause refills up to the burst, not beyond.
    const std::int64_t t1 = t0 + 60 * sec;
    CHECK(c.tokens(timestamp{t1}) == 3);
    for (int i = 0; i < 3; ++i) CHECK(c.check(o, base_state(t1)) == ok);
    CHECK(c.check(o, base_state(t1)) == denied(risk_reason::order_rate));
    // Sustained rate: one order every 100 ms passes forever.
    for (std::int64_t k = 1; k <= 50; ++k) CHECK(c.check(o, base_state(t1 + k * 100'000'000)) == ok);

    order_rate_check broken{0.0, 5.0};
    CHECK(broken.check(o, base_state(t0)) == denied(risk_reason::order_rate));
}

TEST_CASE("risk: spread_gate_check") {
    spread_gate_check c{price{20}};
    risk_state st = base_state();  // spread 20
    CHECK(c.check(order(side::buy, 9'990, 1), st) == ok);
    st = with_market(st, 9'990, 10'011);
    CHECK(c.check(order(side::buy, 9'990, 1), st) == denied(risk_reason::spread_gate));
    st = with_market(st, 9'990, 10'010);
    st.market.has_ask = false;
    CHECK(c.check(order(side::buy, 9'990, 1), st) == denied(risk_reason::spread_gate));
    st.market.has_ask = true;
    st.market.has_bid = false;
    CHECK(c.check(order(side::buy, 9'990, 1), st) == denied(risk_reason::spread_gate));
}

TEST_CASE("risk: daily_loss_check at the limit, and the session reset") {
    daily_loss_check c{notional{5'000}};
    const order_intent o = order(side::buy, 10'000, 1);
    risk_state st = base_state(open_930);
    st.total_pnl = notional{1'000};  // first state seen: the baseline
    CHECK(c.check(o, st) == ok);
    CHECK(c.baseline() == notional{1'000});
    st.total_pnl = notional{-4'000};  // lost exactly 5,000
    CHECK(c.check(o, st) == ok);
    st.total_pnl = notional{-4'001};
    CHECK(c.check(o, st) == denied(risk_reason::daily_loss));
    st.now = timestamp{day_ns - 1};  // last ns of the day: still the same session
    CHECK(c.check(o, st) == denied(risk_reason::daily_loss));
    st.now = timestamp{day_ns};  // midnight: a new session day, baseline -4,001
    CHECK(c.check(o, st) == ok);
    CHECK(c.baseline() == notional{-4'001});
    st.total_pnl = notional{-9'001};
    CHECK(c.check(o, st) == ok);
    st.total_pnl = notional{-9'002};
    CHECK(c.check(o, st) == denied(risk_reason::daily_loss));
}

TEST_CASE("risk: daily_loss_check with a 17:00 session start, fed by reports") {
    const std::int64_t five_pm = 17 * 3'600 * sec;
    daily_loss_check c{notional{100}, five_pm};
    const order_intent o = order(side::buy, 10'000, 1);
    risk_state st = base_state(day_ns + 10 * 3'600 * sec);  // day 1, 10:00: session started day 0, 17:00
    st.total_pnl = notional{0};
    c.on_execution(fill(side::buy, 1), st);  // a report's state also sets the baseline
    st.total_pnl = notional{-101};
    st.now = timestamp{day_ns + five_pm - 1};
    CHECK(c.check(o, st) == denied(risk_reason::daily_loss));
    st.now = timestamp{day_ns + five_pm};
    CHECK(c.check(o, st) == ok);
    CHECK(c.baseline() == notional{-101});
}

TEST_CASE("risk: drawdown_check from the running peak") {
    const order_intent o = order(side::buy, 10'000, 1);
    SUBCASE("absolute limit; the peak rises with reports") {
        drawdown_check c{notional{1'000}};
        risk_state st = base_state();
        st.total_pnl = notional{0};
        CHECK(c.check(o, st) == ok);
        st.total_pnl = notional{5'000};
        c.on_execution(fill(side::buy, 1), st);
        CHECK(c.peak() == notional{5'000});
        st.total_pnl = notional{4'000};
        CHECK(c.check(o, st) == ok);
        st.total_pnl = notional{3'999};
        CHECK(c.check(o, st) == denied(risk_reason::drawdown));
        st.total_pnl = notional{5'500};  // recovers to a new high
        CHECK(c.check(o, st) == ok);
        st.total_pnl = notional{4'499};
        CHECK(c.check(o, st) == denied(risk_reason::drawdown));
    }
    SUBCASE("bps of capital") {
        drawdown_check c{notional{}, 50, notional{1'000'000}};  // 50 bps of 1,000,000 = 5,000
        risk_state st = base_state();
        st.total_pnl = notional{0};
        CHECK(c.check(o, st) == ok);
        st.total_pnl = notional{-5'000};
        CHECK(c.check(o, st) == ok);
        st.total_pnl = notional{-5'001};
        CHECK(c.check(o, st) == denied(risk_reason::drawdown));
    }
    SUBCASE("the tighter limit wins; all limits off never refuses") {
        drawdown_check both{notional{3'000}, 50, notional{1'000'000}};
        drawdown_check none{notional{}, 0, notional{1'000'000}};
        risk_state st = base_state();
        st.total_pnl = notional{0};
        CHECK(both.check(o, st) == ok);
        CHECK(none.check(o, st) == ok);
        st.total_pnl = notional{-3'001};
        CHECK(both.check(o, st) == denied(risk_reason::drawdown));
        st.total_pnl = notional{-1'000'000'000};
        CHECK(none.check(o, st) == ok);
    }
}

namespace {
// Feeds fills to a losing_streak_check with hand-made post-fill states.
struct streak_driver {
    losing_streak_check c;
    risk_state st = base_state();
    void on_fill(side s, std::int64_t lots, std::int64_t realized_after) {
        st.position += qty{sign(s) * lots};
        st.realized_pnl = notional{realized_after};
        c.on_execution(fill(s, lots), st);
    }
    risk_verdict check() { return c.check(order(side::buy, 10'000, 1), st); }
};
} // namespace

TEST_CASE("risk: losing_streak_check counts losing round trips") {
    streak_driver d{losing_streak_check{2}};
    CHECK(d.check() == ok);
    // Trip 1: long 10 in two partial fills, out in two, loses 12.
    d.on_fill(side::buy, 5, -1);
    d.on_fill(side::buy, 5, -2);
    d.on_fill(side::sell, 3, -5);
    CHECK(d.c.streak() == 0);  // still open
    d.on_fill(side::sell, 7, -12);
    CHECK(d.c.streak() == 1);
    CHECK(d.c.round_trips() == 1);
    CHECK(d.check() == ok);  // 1 < 2
    // Trip 2: short, loses only the opening fee (the opening fill's fee belongs to the trip).
    d.on_fill(side::sell, 10, -13);
    d.on_fill(side::buy, 10, -13);
    CHECK(d.c.streak() == 2);
    CHECK(d.check() == denied(risk_reason::losing_streak));
    // Non-fill reports change nothing.
    execution_report ack;
    ack.type = exec_type::new_ack;
    d.c.on_execution(ack, d.st);
    CHECK(d.c.streak() == 2);
    // A scratch trip leaves the streak; a winning one resets it.
    d.on_fill(side::buy, 10, -13);
    d.on_fill(side::sell, 10, -13);
    CHECK(d.c.streak() == 2);
    CHECK(d.c.round_trips() == 3);
    d.on_fill(side::buy, 10, -14);
    d.on_fill(side::sell, 10, -10);
    CHECK(d.c.streak() == 0);
    CHECK(d.check() == ok);
}

TEST_CASE("risk: losing_streak_check handles a flip") {
    streak_driver d{losing_streak_check{2}};
    d.on_fill(side::buy, 10, 0);  // trip A opens at realized 0
    // One sell of 25: closes A (realized -30: a loss) and opens B (short 15) at realized -30.
    d.on_fill(side::sell, 25, -30);
    CHECK(d.st.position == qty{-15});
    CHECK(d.c.streak() == 1);
    CHECK(d.c.round_trips() == 1);
    // Flip back: B closes with realized -40 (a loss of 10 since -30), C opens long 5.
    d.on_fill(side::buy, 20, -40);
    CHECK(d.c.streak() == 2);
    CHECK(d.check() == denied(risk_reason::losing_streak));
    // C closes at realized -35: +5 since -40, a win.
    d.on_fill(side::sell, 5, -35);
    CHECK(d.c.streak() == 0);
    CHECK(d.c.round_trips() == 3);
    CHECK(d.check() == ok);
    // reset() clears a streak by hand.
    d.on_fill(side::buy, 1, -36);
    d.on_fill(side::sell, 1, -37);
    CHECK(d.c.streak() == 1);
    d.c.reset();
    CHECK(d.c.streak() == 0);
}

TEST_CASE("risk: self_trade_check") {
    self_trade_check c;
    risk_state st = base_state();
    CHECK(c.check(order(side::buy, 20'000, 1), st) == ok);  // nothing of ours working
    st.working_ask = price{10'010};
    st.has_working_ask = true;
    st.working_bid = price{9'990};
    st.has_working_bid = true;
    CHECK(c.check(order(side::buy, 10'009, 1), st) == ok);
    CHECK(c.check(order(side::buy, 10'010, 1), st) == denied(risk_reason::self_trade));
    CHECK(c.check(order(side::sell, 9'991, 1), st) == ok);
    CHECK(c.check(order(side::sell, 9'990, 1), st) == denied(risk_reason::self_trade));
}

TEST_CASE("risk: kill switch fired from another thread") {
    kill_switch ks;
    kill_switch_check c{&ks};
    const order_intent o = order(side::buy, 10'000, 1);
    CHECK(c.check(o, base_state()) == ok);

    int reason_code = 0;  // plain data published by the release in fire()
    std::thread operator_thread([&] {
        reason_code = 42;
        ks.fire();
    });
    while (c.check(o, base_state()).approved()) std::this_thread::yield();
    CHECK(reason_code == 42);  // acquire in fired() makes the write visible
    operator_thread.join();
    CHECK(c.check(o, base_state()) == denied(risk_reason::kill_switch));
    CHECK(ks.fired());
    CHECK(ks.fire_count() == 1);

    std::thread again([&] { ks.fire(); });  // firing an already-fired switch is not a new fire
    again.join();
    CHECK(ks.fire_count() == 1);
    ks.reset();
    CHECK(c.check(o, base_state()) == ok);
    ks.fire();
    CHECK(ks.fire_count() == 2);
    CHECK(c.check(o, base_state()) == denied(risk_reason::kill_switch));

    kill_switch_check unattached{nullptr};
    CHECK(unattached.check(o, base_state()) == denied(risk_reason::kill_switch));
}

TEST_CASE("risk: kill switch reset at the session boundary (event time)") {
    const std::int64_t start = 8 * 3'600 * sec;  // sessions start at 08:00
    kill_switch ks;
    kill_switch_check resetting{&ks, true, start};
    kill_switch_check sticky{&ks};
    const order_intent o = order(side::buy, 10'000, 1);
    CHECK(resetting.check(o, base_state(open_930)) == ok);
    ks.fire();
    CHECK(resetting.check(o, base_state(open_930 + sec)) == denied(risk_reason::kill_switch));
    CHECK(resetting.check(o, base_state(day_ns + start - 1)) == denied(risk_reason::kill_switch));
    CHECK(sticky.check(o, base_state(day_ns + start)) == denied(risk_reason::kill_switch));
    CHECK(resetting.check(o, base_state(day_ns + start)) == ok);  // first check of the new session
    CHECK_FALSE(ks.fired());
    ks.fire();  // fired again within the session: stays fired
    CHECK(resetting.check(o, base_state(day_ns + start + sec)) == denied(risk_reason::kill_switch));

    // Fired before the very first check: the first check starts the day count, it does not reset.
    kill_switch early;
    early.fire();
    kill_switch_check fresh{&early, true, start};
    CHECK(fresh.check(o, base_state(5 * day_ns + start + sec)) == denied(risk_reason::kill_switch));
    CHECK(early.fired());
}

TEST_CASE("risk: risk_chain stops at the first refusal, in chain order") {
    const risk_state st = base_state();
    const order_intent big = order(side::buy, 10'000, 500);  // too big, and the spread below is too wide
    const risk_state wide = with_market(st, 9'000, 11'000);

    risk_chain qty_first{max_order_qty_check{qty{100}}, spread_gate_check{price{50}}, probe_check{}};
    CHECK(qty_first.check(big, wide) == denied(risk_reason::max_order_qty));
    CHECK(qty_first.get<probe_check>().checked == 0);  // short-circuit: never asked

    risk_chain spread_first{spread_gate_check{price{50}}, max_order_qty_check{qty{100}}, probe_check{}};
    CHECK(spread_first.check(big, wide) == denied(risk_reason::spread_gate));
    CHECK(spread_first.check(big, st) == denied(risk_reason::max_order_qty));
    CHECK(spread_first.get<2>().checked == 0);
    CHECK(spread_first.check(order(side::buy, 10'000, 100), st) == ok);
    CHECK(spread_first.get<2>().checked == 1);

    int seq = 0;
    risk_chain probes{probe_check{ok, &seq}, probe_check{ok, &seq},
                      probe_check{denied(risk_reason::drawdown), &seq}, probe_check{denied(risk_reason::self_trade), &seq}};
    CHECK(probes.check(big, st) == denied(risk_reason::drawdown));
    CHECK(probes.get<0>().called_at == 0);
    CHECK(probes.get<1>().called_at == 1);
    CHECK(probes.get<2>().called_at == 2);
    CHECK(probes.get<3>().checked == 0);

    risk_chain<> empty;
    CHECK(empty.check(big, st) == ok);
    static_assert(decltype(probes)::size == 4);
}

TEST_CASE("risk: risk_chain forwards reports to all and market data to market-aware checks") {
    risk_chain chain{probe_check{denied(risk_reason::kill_switch)}, market_probe{}, probe_check{}};
    const risk_state st = base_state();
    chain.on_execution(fill(side::buy, 1), st);
    chain.on_execution(fill(side::sell, 1), st);
    CHECK(chain.get<0>().reports == 2);
    CHECK(chain.get<2>().reports == 2);  // reports reach checks after a refusing one
    market_snapshot m = st.market;
    m.best_bid = price{9'995};
    chain.on_market(m);
    CHECK(chain.get<market_probe>().markets == 1);
    CHECK(chain.get<market_probe>().last_bid == price{9'995});
    const auto& cchain = chain;
    CHECK(cchain.get<1>().markets == 1);
}

TEST_CASE("risk: a twelve-check chain passes a realistic quote and refuses when one trips") {
    // AMZN-like: $220.00 / $220.01 in LOBSTER ticks (dollars x 10,000), quoting a penny inside.
    kill_switch ks;
    risk_chain chain{
        max_order_qty_check{qty{500}},
        max_position_check{qty{2'000}, qty{2'000}},
        max_notional_check{notional{500 * 2'300'000LL}, notional{2'000 * 2'300'000LL}},
        price_band_check{100},
        max_open_orders_check{10},
        spread_gate_check{price{2'000}},
        self_trade_check{},
        daily_loss_check{notional{1'000'000'000}},
        drawdown_check{notional{500'000'000}, 100, notional{10'000'000'000LL}},
        losing_streak_check{5},
        kill_switch_check{&ks},
        order_rate_check{50.0, 20.0},  // last: counts only orders every other check let through
    };
    static_assert(decltype(chain)::size == 12);

    risk_state st;
    st.now = timestamp{open_930 + 15 * 60 * sec};
    st.market = market_snapshot{st.now, price{2'200'000}, qty{300}, price{2'200'100}, qty{200}, true, true, true};
    st.position = qty{300};
    st.open_buy = qty{100};
    st.open_sell = qty{100};
    st.open_orders = 2;
    st.working_bid = price{2'199'900};
    st.working_ask = price{2'200'200};
    st.has_working_bid = st.has_working_ask = true;
    st.total_pnl = notional{-2'500'000};
    st.realized_pnl = notional{-1'000'000};

    const order_intent bid = order(side::buy, 2'200'000, 100, 7);
    const order_intent ask = order(side::sell, 2'200'100, 100, 8);
    CHECK(chain.check(bid, st) == ok);
    CHECK(chain.check(ask, st) == ok);
    CHECK(chain.get<order_rate_check>().tokens(st.now) == 18);

    ks.fire();  // an earlier refusal leaves the rate bucket untouched
    CHECK(chain.check(bid, st) == denied(risk_reason::kill_switch));
    CHECK(chain.get<order_rate_check>().tokens(st.now) == 18);
    ks.reset();
    CHECK(chain.check(order(side::buy, 2'200'200, 100, 9), st) == denied(risk_reason::self_trade));
    CHECK(chain.check(order(side::buy, 2'200'000, 501, 10), st) == denied(risk_reason::max_order_qty));
    CHECK(chain.check(order(side::buy, 2'200'000, 0, 11), st) == denied(risk_reason::invalid_order));
    CHECK(chain.check(order(side::buy, 1'000'000, 100, 12), st) == denied(risk_reason::price_band));
    CHECK(chain.get<order_rate_check>().tokens(st.now) == 18);
}

TEST_CASE("risk: saturating helpers and session days") {
    using namespace pinnacle::risk_detail;
    constexpr std::int64_t mx = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t mn = std::numeric_limits<std::int64_t>::min();
    static_assert(sat_mul(std::int64_t{1} << 62, 4) == mx);
    static_assert(sat_mul(-(std::int64_t{1} << 62), 4) == mn);
    static_assert(sat_mul(-(std::int64_t{1} << 62), -4) == mx);
    static_assert(sat_mul(mn, -1) == mx);
    static_assert(sat_mul(-3, 7) == -21 && sat_mul(-3, -7) == 21 && sat_mul(0, mn) == 0);
    static_assert(sat_add(mx, 1) == mx && sat_add(mn, -1) == mn && sat_add(-5, 3) == -2);
    static_assert(sat_sub(mn, 1) == mn && sat_sub(mx, -1) == mx && sat_sub(0, mn) == mx && sat_sub(3, 5) == -2);
    static_assert(sat_abs(mn) == mx && sat_abs(-4) == 4);
    CHECK(session_day(timestamp{0}, 0) == 0);
    CHECK(session_day(timestamp{day_ns - 1}, 0) == 0);
    CHECK(session_day(timestamp{day_ns}, 0) == 1);
    CHECK(session_day(timestamp{-1}, 0) == -1);  // floor, not truncation
    CHECK(session_day(timestamp{5 * sec}, 10 * sec) == -1);
    CHECK(session_day(timestamp{10 * sec}, 10 * sec) == 0);
}
