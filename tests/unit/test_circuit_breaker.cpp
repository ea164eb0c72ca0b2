#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "alloc_counter.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/circuit_breaker_check.hpp"

using namespace pinnacle;

namespace {

// A two-sided snapshot at ts (ns) with bid / ask in ticks.
market_snapshot snap(std::int64_t ts, std::int64_t bid, std::int64_t ask) {
    market_snapshot m;
    m.ts = timestamp{ts};
    m.best_bid = price{bid};
    m.best_ask = price{ask};
    m.bid_size = qty{1};
    m.ask_size = qty{1};
    m.has_bid = true;
    m.has_ask = true;
    return m;
}

// A snapshot whose bid + ask is `sum` ticks (mid = sum / 2) with a 1-tick (or 2-tick) spread.
market_snapshot mid_sum(std::int64_t ts, std::int64_t sum) {
    const std::int64_t bid = (sum - 1) / 2;
    return snap(ts, bid, sum - bid);
}

// Cooldown 1000 ns, probe period 500 ns, 2 probe orders, every market trigger off.
circuit_breaker_config timing_config() {
    circuit_breaker_config c;
    c.cooldown = duration{1000};
    c.probe_period = duration{500};
    c.max_probe_orders = 2;
    return c;
}

bool same(const breaker_transition& t, std::int64_t ts, breaker_state from, breaker_state to, breaker_trigger why) {
    return t.ts == timestamp{ts} && t.from == from && t.to == to && t.trigger == why;
}

constexpr auto st_closed = breaker_state::closed;
constexpr auto st_open = breaker_state::open;
constexpr auto st_half = breaker_state::half_open;

} // namespace

TEST_CASE("circuit_breaker names every state and trigger distinctly") {
    std::set<std::string_view> names;
    for (auto s : {st_closed, st_open, st_half}) names.insert(to_string(s));
    CHECK(names == std::set<std::string_view>{"closed", "open", "half_open"});
    names.clear();
    for (std::size_t i = 0; i < breaker_trigger_count; ++i) names.insert(to_string(static_cast<breaker_trigger>(i)));
    CHECK(names.size() == breaker_trigger_count);
    CHECK(names.count("unknown") == 0);
    CHECK(to_string(breaker_trigger::spread_widening) == "spread_widening");
}

TEST_CASE("circuit_breaker starts CLOSED and allows orders") {
    circuit_breaker b(timing_config());
    CHECK(b.is_closed(timestamp{0}));
    CHECK(b.state(timestamp{0}) == st_closed);
    CHECK(b.allows_order(timestamp{0}));
    CHECK(b.allows_order(timestamp{std::numeric_limits<std::int64_t>::max()}));
    CHECK(b.transition_count() == 0);
    CHECK(b.history_size() == 0);
    CHECK(b.denied_orders() == 0);
}

TEST_CASE("circuit_breaker goes CLOSED -> OPEN -> HALF_OPEN -> CLOSED at exactly the boundaries") {
    circuit_breaker b(timing_config());
    const std::int64_t t0 = 10'000;
    b.trip(timestamp{t0}, breaker_trigger::manual, 7.0);
    REQUIRE(b.history_size() == 1);
    CHECK(same(b.history(0), t0, st_closed, st_open, breaker_trigger::manual));
    CHECK(b.history(0).value == 7.0);

    CHECK(b.state(timestamp{t0}) == st_open);
    CHECK_FALSE(b.is_closed(timestamp{t0}));
    CHECK_FALSE(b.allows_order(timestamp{t0}));
    CHECK(b.state(timestamp{t0 + 999}) == st_open);  // cooldown not over one ns before its end
    CHECK_FALSE(b.allows_order(timestamp{t0 + 999}));
    CHECK(b.denied_orders() == 2);

    CHECK(b.state(timestamp{t0 + 1000}) == st_half);  // exactly at cooldown end
    REQUIRE(b.history_size() == 2);
    CHECK(same(b.history(1), t0 + 1000, st_open, st_half, breaker_trigger::none));
    CHECK(b.state(timestamp{t0 + 1001}) == st_half);
    CHECK(b.probes_left() == 2);

    CHECK_FALSE(b.is_closed(timestamp{t0 + 1499}));
    CHECK(b.state(timestamp{t0 + 1499}) == st_half);  // probe period not over one ns before its end
    CHECK(b.is_closed(timestamp{t0 + 1500}));
    CHECK(b.state(timestamp{t0 + 1500}) == st_closed);  // exactly at probe period end
    REQUIRE(b.history_size() == 3);
    CHECK(same(b.history(2), t0 + 1500, st_half, st_closed, breaker_trigger::none));
    CHECK(b.state(timestamp{t0 + 1501}) == st_closed);
    CHECK(b.allows_order(timestamp{t0 + 1501}));
    CHECK(b.transition_count() == 3);
}

TEST_CASE("circuit_breaker records lazy transitions at the time they took effect, not the time of the call") {
    circuit_breaker b(timing_config());
    b.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK(b.state(timestamp{1001}) == st_half);  // one ns past the cooldown end, first call since the trip
    REQUIRE(b.history_size() == 2);
    CHECK(b.history(1).ts == timestamp{1000});

    circuit_breaker c(timing_config());
    c.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK(c.allows_order(timestamp{1501}));  // straight from OPEN to past the probe period
    REQUIRE(c.history_size() == 3);
    CHECK(same(c.history(1), 1000, st_open, st_half, breaker_trigger::none));
    CHECK(same(c.history(2), 1500, st_half, st_closed, breaker_trigger::none));
    CHECK(c.probe_orders() == 0);  // the order came after HALF_OPEN ended: not a probe
}

TEST_CASE("circuit_breaker::is_closed is a pure query: it records nothing") {
    circuit_breaker b(timing_config());
    b.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK_FALSE(b.is_closed(timestamp{1499}));
    CHECK(b.is_closed(timestamp{1500}));
    CHECK(b.history_size() == 1);  // the due transitions are not recorded by is_closed
    CHECK(b.state(timestamp{1500}) == st_closed);
    CHECK(b.history_size() == 3);
}

TEST_CASE("circuit_breaker HALF_OPEN allows exactly max_probe_orders, refreshed on each HALF_OPEN period") {
    circuit_breaker b(timing_config());
    b.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK(b.allows_order(timestamp{1000}));
    CHECK(b.allows_order(timestamp{1100}));
    CHECK_FALSE(b.allows_order(timestamp{1200}));  // budget of 2 spent
    CHECK(b.probes_left() == 0);
    CHECK(b.probe_orders() == 2);
    CHECK(b.denied_orders() == 1);
    CHECK(b.state(timestamp{1200}) == st_half);  // running out of probes does not reopen

    b.trip(timestamp{1300}, breaker_trigger::manual, 0.0);  // reopen, then a new HALF_OPEN period
    CHECK_FALSE(b.allows_order(timestamp{2299}));
    CHECK(b.allows_order(timestamp{2300}));
    CHECK(b.allows_order(timestamp{2300}));
    CHECK_FALSE(b.allows_order(timestamp{2300}));
    CHECK(b.allows_order(timestamp{2800}));  // CLOSED: unlimited
    CHECK(b.allows_order(timestamp{2800}));
    CHECK(b.probe_orders() == 4);

    circuit_breaker_config none = timing_config();
    none.max_probe_orders = 0;
    circuit_breaker z(none);
    z.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK(z.state(timestamp{1000}) == st_half);
    CHECK_FALSE(z.allows_order(timestamp{1000}));
}

TEST_CASE("circuit_breaker: a trigger while HALF_OPEN reopens it; a trigger while OPEN restarts the cooldown") {
    circuit_breaker_config c = timing_config();
    c.max_ack_latency = duration{100};
    circuit_breaker b(c);
    b.trip(timestamp{0}, breaker_trigger::manual, 0.0);

    b.on_ack_latency(timestamp{500}, duration{101});  // while OPEN: cooldown now ends at 1500
    CHECK(b.trip_count(breaker_trigger::latency) == 1);
    CHECK(b.transition_count() == 1);  // OPEN -> OPEN is not a transition
    CHECK(b.state(timestamp{1499}) == st_open);
    CHECK(b.state(timestamp{1500}) == st_half);

    b.signal_crisis(timestamp{1700});  // while HALF_OPEN
    CHECK(b.state(timestamp{1700}) == st_open);
    REQUIRE(b.history_size() == 3);
    CHECK(same(b.history(2), 1700, st_half, st_open, breaker_trigger::market_crisis));
    CHECK_FALSE(b.allows_order(timestamp{1800}));
    CHECK(b.state(timestamp{2699}) == st_open);
    CHECK(b.state(timestamp{2700}) == st_half);
    CHECK(b.state(timestamp{3199}) == st_half);
    CHECK(b.state(timestamp{3200}) == st_closed);
    CHECK(b.transition_count() == 5);

    circuit_breaker early(c);  // a trigger older than the running cooldown does not shorten it
    early.trip(timestamp{1000}, breaker_trigger::manual, 0.0);
    early.trip(timestamp{500}, breaker_trigger::manual, 0.0);
    CHECK(early.state(timestamp{1999}) == st_open);
}

TEST_CASE("circuit_breaker latency trigger fires only above max_ack_latency, and is off by default") {
    circuit_breaker_config c = timing_config();
    c.max_ack_latency = duration{100'000};
    circuit_breaker b(c);
    b.on_ack_latency(timestamp{10}, duration{100'000});
    CHECK(b.state(timestamp{10}) == st_closed);
    b.on_ack_latency(timestamp{20}, duration{100'001});
    CHECK(b.state(timestamp{20}) == st_open);
    REQUIRE(b.history_size() == 1);
    CHECK(same(b.history(0), 20, st_closed, st_open, breaker_trigger::latency));
    CHECK(b.history(0).value == 100'001.0);

    circuit_breaker off(timing_config());
    off.on_ack_latency(timestamp{10}, duration{std::numeric_limits<std::int64_t>::max()});
    CHECK(off.state(timestamp{10}) == st_closed);
}

TEST_CASE("circuit_breaker opens on signal_crisis, ignores trip(none)") {
    circuit_breaker b(timing_config());
    b.trip(timestamp{5}, breaker_trigger::none, 1.0);
    CHECK(b.state(timestamp{5}) == st_closed);
    CHECK(b.transition_count() == 0);
    b.signal_crisis(timestamp{42});
    CHECK(b.state(timestamp{42}) == st_open);
    REQUIRE(b.history_size() == 1);
    CHECK(same(b.history(0), 42, st_closed, st_open, breaker_trigger::market_crisis));
    CHECK(b.trip_count(breaker_trigger::market_crisis) == 1);
}

TEST_CASE("circuit_breaker price move trips above price_move_bps, not at it, up and down") {
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 10.0;
    c.price_window = duration{1000};

    circuit_breaker up(c);
    up.on_market(mid_sum(0, 20'000));    // mid 10000 ticks
    up.on_market(mid_sum(100, 20'020));  // +10 bps exactly
    CHECK(up.state(timestamp{100}) == st_closed);
    up.on_market(mid_sum(200, 20'021));  // +10.5 bps
    CHECK(up.state(timestamp{200}) == st_open);
    REQUIRE(up.history_size() == 1);
    CHECK(up.history(0).trigger == breaker_trigger::price_move);
    CHECK(up.history(0).value == doctest::Approx(10.5));

    circuit_breaker down(c);
    down.on_market(mid_sum(0, 20'000));
    down.on_market(mid_sum(100, 19'980));  // -10 bps exactly
    CHECK(down.state(timestamp{100}) == st_closed);
    down.on_market(mid_sum(200, 19'979));  // -10.5 bps
    CHECK(down.state(timestamp{200}) == st_open);
    CHECK(down.trip_count(breaker_trigger::price_move) == 1);

    circuit_breaker off(timing_config());  // disabled by default
    off.on_market(mid_sum(0, 20'000));
    off.on_market(mid_sum(1, 30'000));
    CHECK(off.state(timestamp{1}) == st_closed);
}

TEST_CASE("circuit_breaker price move counts only mids younger than price_window") {
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 10.0;
    c.price_window = duration{1000};

    circuit_breaker inside(c);
    inside.on_market(mid_sum(0, 20'000));
    inside.on_market(mid_sum(999, 20'030));  // 999 ns old reference: inside the window
    CHECK(inside.state(timestamp{999}) == st_open);

    circuit_breaker outside(c);
    outside.on_market(mid_sum(0, 20'000));
    outside.on_market(mid_sum(1000, 20'030));  // 1000 ns old: out of the window
    CHECK(outside.state(timestamp{1000}) == st_closed);

    circuit_breaker outside_down(c);  // the same edge for the window's max: 20030 is out, 20015 -> 20000 is 7.5 bps
    outside_down.on_market(mid_sum(0, 20'030));
    outside_down.on_market(mid_sum(500, 20'015));
    outside_down.on_market(mid_sum(1000, 20'000));
    CHECK(outside_down.state(timestamp{1000}) == st_closed);
    circuit_breaker inside_down(c);
    inside_down.on_market(mid_sum(0, 20'030));
    inside_down.on_market(mid_sum(999, 20'000));
    CHECK(inside_down.state(timestamp{999}) == st_open);

    // The window's max survives a lower mid after it: 20016 -> 19990 is 13 bps, 20000 -> 19990 only 5.
    circuit_breaker extreme(c);
    extreme.on_market(mid_sum(0, 20'000));
    extreme.on_market(mid_sum(300, 20'016));
    extreme.on_market(mid_sum(600, 20'000));
    CHECK(extreme.state(timestamp{600}) == st_closed);
    extreme.on_market(mid_sum(900, 19'990));
    CHECK(extreme.state(timestamp{900}) == st_open);
    CHECK(extreme.history(0).value == doctest::Approx(26.0 * 1e4 / 20'016.0));

    // One-sided snapshots carry no mid.
    circuit_breaker one_sided(c);
    one_sided.on_market(mid_sum(0, 20'000));
    market_snapshot m = mid_sum(10, 40'000);
    m.has_ask = false;
    one_sided.on_market(m);
    CHECK(one_sided.state(timestamp{10}) == st_closed);
}

TEST_CASE("circuit_breaker price deques keep the window extreme exact when they overflow") {
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 10.0;
    c.price_window = duration{1000};
    c.price_samples = 2;
    circuit_breaker b(c);
    for (std::int64_t i = 0; i < 4; ++i) b.on_market(mid_sum(i, 20'000 + 2 * i));  // rising run: min deque overflows
    CHECK(b.price_window_overflows() >= 2);
    CHECK(b.state(timestamp{4}) == st_closed);
    b.on_market(mid_sum(4, 20'021));  // 10.5 bps above the true min 20000 (only 8.5 above 20004)
    CHECK(b.state(timestamp{4}) == st_open);
}

TEST_CASE("circuit_breaker spread trigger compares with the EWMA baseline after warm-up") {
    circuit_breaker_config c = timing_config();
    c.spread_multiple = 3.0;
    c.min_spread_ticks = 4;
    c.spread_tau = duration{1'000'000};
    c.spread_warmup = duration{10'000};

    circuit_breaker warm(c);
    warm.on_market(snap(0, 100, 102));
    warm.on_market(snap(5'000, 100, 120));  // 20 ticks, but only 5 us of the 10 us warm-up observed
    CHECK_FALSE(warm.spread_ready());
    CHECK(warm.state(timestamp{5'000}) == st_closed);

    circuit_breaker b(c);
    b.on_market(snap(0, 100, 102));
    b.on_market(snap(5'000, 100, 102));
    b.on_market(snap(10'000, 100, 102));
    CHECK(b.spread_ready());
    CHECK(b.spread_baseline() == 2.0);      // a constant spread leaves the baseline exact
    b.on_market(snap(10'000, 100, 106));    // 6 = 3 x 2: at the threshold
    CHECK(b.state(timestamp{10'000}) == st_closed);
    b.on_market(snap(10'000, 100, 107));    // 7 > 6
    CHECK(b.state(timestamp{10'000}) == st_open);
    REQUIRE(b.history_size() == 1);
    CHECK(b.history(0).trigger == breaker_trigger::spread_widening);
    CHECK(b.history(0).value == 7.0);

    // The new spread joins the baseline only after it is compared: after a quiet tau at 2 ticks the
    // baseline is still exactly 2, whatever the new spread.
    circuit_breaker gap(c);
    gap.on_market(snap(0, 100, 102));
    gap.on_market(snap(1'000'000, 100, 107));
    CHECK(gap.spread_baseline() == 2.0);
    CHECK(gap.state(timestamp{1'000'000}) == st_open);

    // min_spread_ticks: baseline 1 tick, 3 x 1 = 3, but the spread must also exceed 4 ticks.
    circuit_breaker tight(c);
    tight.on_market(snap(0, 100, 101));
    tight.on_market(snap(10'000, 100, 101));
    tight.on_market(snap(10'000, 100, 104));  // 4 > 3 x 1 but not > 4 ticks
    CHECK(tight.state(timestamp{10'000}) == st_closed);
    tight.on_market(snap(10'000, 100, 105));  // 5 > 4
    CHECK(tight.state(timestamp{10'000}) == st_open);

    // The baseline follows a lasting regime: after 10 tau at 5 ticks, 7 ticks is no longer 3 x baseline.
    circuit_breaker regime(c);
    regime.on_market(snap(0, 100, 102));
    regime.on_market(snap(10'000, 100, 105));  // 5 < 3 x 2: no trip, and 5 is held from now on
    regime.on_market(snap(10'010'000, 100, 105));
    CHECK(regime.spread_baseline() == doctest::Approx(5.0).epsilon(1e-3));
    regime.on_market(snap(10'010'000, 100, 107));
    CHECK(regime.state(timestamp{10'010'000}) == st_closed);
    CHECK(regime.trip_count(breaker_trigger::spread_widening) == 0);

    circuit_breaker off(timing_config());  // disabled by default
    off.on_market(snap(0, 100, 101));
    off.on_market(snap(1'000'000'000'000, 100, 101));
    off.on_market(snap(1'000'000'000'000, 100, 200));
    CHECK(off.state(timestamp{1'000'000'000'000}) == st_closed);
}

namespace {
// Volume spike: 3 x baseline, 1000 ns windows, alpha 0.5, 2 windows of warm-up.
circuit_breaker_config volume_config() {
    circuit_breaker_config c = timing_config();
    c.volume_multiple = 3.0;
    c.volume_window = duration{1000};
    c.volume_alpha = 0.5;
    c.volume_warmup_windows = 2;
    return c;
}
// 100 lots in each of the windows [0, 1000) and [1000, 2000), and 100 at 2000: baseline 100, ready.
void warm_volume(circuit_breaker& b) {
    b.on_trade(timestamp{0}, qty{100});
    b.on_trade(timestamp{1000}, qty{100});
    b.on_trade(timestamp{2000}, qty{100});
}
} // namespace

TEST_CASE("circuit_breaker volume spike trips above volume_multiple x the per-window baseline") {
    circuit_breaker b(volume_config());
    warm_volume(b);
    CHECK(b.volume_ready());
    CHECK(b.volume_baseline() == 100.0);
    CHECK(b.trailing_volume() == 100);  // the trade at 1000 is exactly one window old: out
    b.on_trade(timestamp{3000}, qty{300});  // 300 = 3 x 100: at the threshold
    CHECK(b.state(timestamp{3000}) == st_closed);
    b.on_trade(timestamp{3001}, qty{1});  // 301 lots within the window
    CHECK(b.state(timestamp{3001}) == st_open);
    REQUIRE(b.history_size() == 1);
    CHECK(b.history(0).trigger == breaker_trigger::volume_spike);
    CHECK(b.history(0).value == 301.0);

    circuit_breaker cold(volume_config());  // before warm-up nothing trips
    cold.on_trade(timestamp{0}, qty{100});
    cold.on_trade(timestamp{500}, qty{100'000});
    CHECK_FALSE(cold.volume_ready());
    CHECK(cold.state(timestamp{500}) == st_closed);

    circuit_breaker off(timing_config());  // disabled by default
    off.on_trade(timestamp{0}, qty{1});
    off.on_trade(timestamp{1'000'000}, qty{1'000'000});
    CHECK(off.state(timestamp{1'000'000}) == st_closed);
}

TEST_CASE("circuit_breaker volume counts only trades younger than volume_window, and empty windows decay the baseline") {
    circuit_breaker in(volume_config());
    warm_volume(in);
    in.on_trade(timestamp{3000}, qty{200});
    in.on_trade(timestamp{3999}, qty{101});  // 200 + 101 within 1000 ns
    CHECK(in.state(timestamp{3999}) == st_open);

    circuit_breaker out(volume_config());
    warm_volume(out);
    out.on_trade(timestamp{3000}, qty{200});
    out.on_trade(timestamp{4000}, qty{101});  // the 200 is one window old: out
    CHECK(out.trailing_volume() == 101);
    CHECK(out.state(timestamp{4000}) == st_closed);

    circuit_breaker gap(volume_config());
    warm_volume(gap);
    gap.on_trade(timestamp{5000}, qty{75});  // closes [2000, 3000) = 100, then 2 empty windows: 100 / 4
    CHECK(gap.volume_baseline() == 25.0);
    CHECK(gap.state(timestamp{5000}) == st_closed);  // 75 = 3 x 25
    gap.on_trade(timestamp{5000}, qty{1});
    CHECK(gap.state(timestamp{5000}) == st_open);

    circuit_breaker_config floor_cfg = volume_config();
    floor_cfg.volume_min_lots = 500;
    circuit_breaker floor(floor_cfg);
    warm_volume(floor);
    floor.on_trade(timestamp{3000}, qty{301});  // > 3 x 100 but not > 500 lots
    CHECK(floor.state(timestamp{3000}) == st_closed);
    floor.on_trade(timestamp{3000}, qty{200});
    CHECK(floor.state(timestamp{3000}) == st_open);
}

TEST_CASE("circuit_breaker trade ring merges into its newest entry when full (never undercounts)") {
    circuit_breaker_config c = volume_config();
    c.trade_samples = 2;
    circuit_breaker b(c);
    b.on_trade(timestamp{0}, qty{1});
    b.on_trade(timestamp{1}, qty{1});
    b.on_trade(timestamp{2}, qty{1});
    CHECK(b.trade_ring_merges() == 1);
    CHECK(b.trailing_volume() == 3);
    b.on_trade(timestamp{1001}, qty{1});  // exact: trades at 2 and 1001 -> 2; merged entry keeps 2 lots at ts 2
    CHECK(b.trailing_volume() >= 2);
}

TEST_CASE("circuit_breaker::reset closes by hand and forgets the move that tripped it") {
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 10.0;
    c.price_window = duration{1000};

    circuit_breaker b(c);
    b.on_market(mid_sum(0, 20'000));
    b.on_market(mid_sum(10, 20'100));  // 50 bps
    CHECK(b.state(timestamp{10}) == st_open);
    b.reset(timestamp{20});
    CHECK(b.state(timestamp{20}) == st_closed);
    CHECK(b.allows_order(timestamp{20}));
    REQUIRE(b.history_size() == 2);
    CHECK(same(b.history(1), 20, st_open, st_closed, breaker_trigger::manual));
    b.on_market(mid_sum(30, 20'100));  // the old 20000 is forgotten: no new trip
    CHECK(b.state(timestamp{30}) == st_closed);
    CHECK(b.trip_count(breaker_trigger::price_move) == 1);

    circuit_breaker no_reset(c);  // control: without reset the old mid is still in the window
    no_reset.on_market(mid_sum(0, 20'000));
    no_reset.on_market(mid_sum(10, 20'100));
    no_reset.on_market(mid_sum(30, 20'100));
    CHECK(no_reset.trip_count(breaker_trigger::price_move) == 2);

    const auto before = b.transition_count();
    b.reset(timestamp{40});  // already CLOSED: nothing happens
    CHECK(b.transition_count() == before);
}

TEST_CASE("circuit_breaker keeps the last history_capacity transitions and calls the observer on each") {
    circuit_breaker_config c = timing_config();
    c.history_capacity = 3;
    circuit_breaker b(c);
    std::vector<breaker_transition> seen;
    b.set_observer([&seen, &b](const breaker_transition& t) {
        CHECK(b.is_closed(t.ts) == (t.to == st_closed));  // the observer already sees the new state
        seen.push_back(t);
    });
    b.trip(timestamp{0}, breaker_trigger::manual, 1.0);  // st_closed -> st_open @0
    CHECK(b.allows_order(timestamp{1000}));              // st_open -> st_half @1000 (lazy, from allows_order)
    (void)b.state(timestamp{1500});                      // st_half -> st_closed @1500
    b.trip(timestamp{2000}, breaker_trigger::manual, 2.0);  // st_closed -> st_open @2000
    b.reset(timestamp{2100});                            // st_open -> st_closed @2100

    CHECK(b.transition_count() == 5);
    REQUIRE(seen.size() == 5);
    CHECK(same(seen[0], 0, st_closed, st_open, breaker_trigger::manual));
    CHECK(same(seen[1], 1000, st_open, st_half, breaker_trigger::none));
    CHECK(same(seen[2], 1500, st_half, st_closed, breaker_trigger::none));
    CHECK(same(seen[3], 2000, st_closed, st_open, breaker_trigger::manual));
    CHECK(same(seen[4], 2100, st_open, st_closed, breaker_trigger::manual));
    REQUIRE(b.history_size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(same(b.history(i), seen[i + 2].ts.ns(), seen[i + 2].from, seen[i + 2].to, seen[i + 2].trigger));
    CHECK(b.history(1).value == 2.0);
}

TEST_CASE("circuit_breaker survives a throwing observer") {
    circuit_breaker b(timing_config());
    b.set_observer([](const breaker_transition&) { throw std::runtime_error("observer failed"); });
    b.trip(timestamp{0}, breaker_trigger::manual, 0.0);
    CHECK(b.state(timestamp{0}) == st_open);
    CHECK(b.observer_errors() == 1);
    CHECK(b.state(timestamp{1500}) == st_closed);
    CHECK(b.observer_errors() == 3);
}

TEST_CASE("circuit_breaker makes no allocation on the hot path, transitions and observer included") {
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 30.0;
    c.price_window = duration{5'000};
    c.price_samples = 64;
    c.spread_multiple = 4.0;
    c.min_spread_ticks = 3;
    c.spread_tau = duration{50'000};
    c.spread_warmup = duration{1'000};
    c.volume_multiple = 5.0;
    c.volume_window = duration{2'000};
    c.volume_warmup_windows = 1;
    c.trade_samples = 16;
    c.max_ack_latency = duration{900};
    c.history_capacity = 8;
    circuit_breaker b(c);
    std::uint64_t observed = 0;
    b.set_observer([&observed](const breaker_transition&) noexcept { ++observed; });

    std::uint64_t allowed = 0;
    std::uint64_t lcg = 12345;
    std::int64_t mid2 = 20'000;
    {
        pinnacle_test::alloc_scope scope;
        for (std::int64_t i = 0; i < 20'000; ++i) {
            lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
            const auto r = static_cast<std::int64_t>(lcg >> 33);
            const std::int64_t t = i * 100;
            mid2 += (r % 21) - 10;
            const std::int64_t spread = (r % 200 == 0) ? 40 : 1 + (r % 2);
            const std::int64_t bid = (mid2 - spread) / 2;
            b.on_market(snap(t, bid, bid + spread));
            b.on_trade(timestamp{t}, qty{1 + (r % 7) + ((r % 300 == 0) ? 500 : 0)});
            b.on_ack_latency(timestamp{t}, duration{r % 1000 == 999 ? 1000 : 100});
            if (b.allows_order(timestamp{t})) ++allowed;
            if (b.is_closed(timestamp{t})) ++allowed;
            if (r % 5000 == 0) b.signal_crisis(timestamp{t});
            if (r % 7000 == 0) b.reset(timestamp{t});
        }
        CHECK(scope.count() == 0);
    }
    CHECK(observed == b.transition_count());
    CHECK(b.transition_count() > 10);  // the loop did exercise transitions
    CHECK(allowed > 0);
    CHECK(b.denied_orders() > 0);
}

TEST_CASE("circuit_breaker_check approves while CLOSED, denies with circuit_breaker while OPEN, forwards the market") {
    static_assert(RiskCheck<circuit_breaker_check>);
    static_assert(MarketAwareRiskCheck<circuit_breaker_check>);
    circuit_breaker_config c = timing_config();
    c.price_move_bps = 10.0;
    circuit_breaker b(c);
    circuit_breaker_check chk(b);
    CHECK(&chk.breaker() == &b);
    order_intent o{};
    o.size = qty{1};
    o.px = price{10'000};
    risk_state st{};
    st.now = timestamp{0};
    CHECK(chk.check(o, st) == risk_verdict::approve());

    chk.on_market(mid_sum(0, 20'000));
    chk.on_market(mid_sum(1, 20'100));  // 50 bps: trips the breaker through the adaptor
    st.now = timestamp{1};
    CHECK(chk.check(o, st) == risk_verdict::deny(risk_reason::circuit_breaker));
    execution_report rep{};
    rep.ts = timestamp{2};
    chk.on_execution(rep, st);  // no effect
    CHECK(b.transition_count() == 1);

    st.now = timestamp{1001};  // HALF_OPEN: two probes
    CHECK(chk.check(o, st).approved());
    CHECK(chk.check(o, st).approved());
    CHECK(chk.check(o, st) == risk_verdict::deny(risk_reason::circuit_breaker));

    circuit_breaker_check by_ptr(&b);
    st.now = timestamp{1501};
    CHECK(by_ptr.check(o, st).approved());
}

TEST_CASE("circuit_breaker rejects invalid settings") {
    CHECK(circuit_breaker::check(circuit_breaker_config{}).empty());
    circuit_breaker_config c;
    c.cooldown = duration{-1};
    CHECK_FALSE(circuit_breaker::check(c).empty());
    c = {};
    c.price_move_bps = std::nan("");
    CHECK_FALSE(circuit_breaker::check(c).empty());
    c = {};
    c.price_move_bps = 5.0;
    c.price_window = duration{0};
    CHECK_FALSE(circuit_breaker::check(c).empty());
    c = {};
    c.volume_multiple = 2.0;
    c.volume_alpha = 0.0;
    CHECK_FALSE(circuit_breaker::check(c).empty());
    c = {};
    c.spread_multiple = 2.0;
    c.spread_tau = duration{0};
    CHECK_FALSE(circuit_breaker::check(c).empty());
    c = {};
    c.history_capacity = 0;
    CHECK_FALSE(circuit_breaker::check(c).empty());
    CHECK_THROWS_AS(circuit_breaker{c}, std::invalid_argument);
}
