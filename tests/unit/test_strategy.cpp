// Tests for signal/ewma_volatility.hpp and strategy/avellaneda_stoikov.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>

#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"

using namespace pinnacle;

static_assert(Strategy<avellaneda_stoikov, depth_book>, "avellaneda_stoikov must satisfy Strategy");

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

timestamp at_seconds(double s) { return timestamp{static_cast<std::int64_t>(std::llround(s * 1e9))}; }

market_snapshot book(timestamp ts, std::int64_t bid, std::int64_t ask) {
    market_snapshot m{};
    m.ts = ts;
    m.best_bid = price{bid};
    m.bid_size = qty{300};
    m.best_ask = price{ask};
    m.ask_size = qty{300};
    m.has_bid = true;
    m.has_ask = true;
    return m;
}

// 09:30:00 after midnight, ns (LOBSTER time).
constexpr timestamp t0{34'200LL * ns_per_s};
constexpr timestamp t1{34'201LL * ns_per_s};

// Scenario used by most strategy tests: two snapshots one second apart, mid $200.00 then $200.01,
// so the first EWMA interval gives exactly S = 0.01^2, W = 1 s: sigma = $0.01/sqrt(s), whatever tau.
// gamma = 1/$, k = 300/$, T - t = 1000 s at t1:
//   inventory term gamma sigma^2 (T-t) = 1 * 1e-4 * 1000 = $0.1 = 1000 ticks
//   arrival term (2/gamma) ln(1 + gamma/k) = 2 ln(1 + 1/300) = $0.0066556 = 66.556 ticks
//   spread = 1066.556 ticks, half = 533.278 ticks; flat r = mid = 2,000,100 ticks.
avellaneda_stoikov_config scenario_config() {
    avellaneda_stoikov_config c{};
    c.gamma = 1.0;
    c.k = 300.0;
    c.order_qty = qty{100};
    c.max_position = qty{1'000'000'000};
    c.session.open = duration{0};
    c.session.close = duration{(t1 + duration{1000 * ns_per_s}).ns()};
    c.tick_value = 0.0001;
    c.quote_increment = 100;
    c.vol.tau_seconds = 300.0;
    c.vol.warmup_seconds = 1.0;
    return c;
}

// Feeds the warm-up snapshot at t0 (no quotes expected) and returns the quotes at t1.
quote_pair run_scenario(avellaneda_stoikov& s, qty position) {
    const quote_pair first = s.on_market(book(t0, 1'999'900, 2'000'100), position);
    REQUIRE_FALSE(first.bid.active);
    REQUIRE_FALSE(first.ask.active);
    return s.on_market(book(t1, 2'000'000, 2'000'200), position);
}

} // namespace

TEST_CASE("avellaneda_stoikov: reservation price and spread match hand-computed values") {
    // s = 100, q = 2, gamma = 0.1, sigma = 2, T - t = 0.5: r = 100 - 2 * 0.1 * 4 * 0.5 = 99.6.
    CHECK(avellaneda_stoikov::reservation_price(100.0, 2.0, 0.1, 2.0, 0.5) == doctest::Approx(99.6).epsilon(1e-12));
    CHECK(avellaneda_stoikov::reservation_price(100.0, -2.0, 0.1, 2.0, 0.5) == doctest::Approx(100.4).epsilon(1e-12));
    CHECK(avellaneda_stoikov::reservation_price(100.0, 2.0, 0.1, 2.0, 0.0) == doctest::Approx(100.0).epsilon(1e-12));
    // spread = 0.1 * 4 * 0.5 + (2 / 0.1) ln(1 + 0.1 / 1.5) = 0.2 + 20 * 0.0645385211 = 1.490770422.
    CHECK(avellaneda_stoikov::optimal_spread(0.1, 2.0, 0.5, 1.5) == doctest::Approx(1.490770422).epsilon(1e-9));
    // The paper's simulation table (k = 1.5): the spread's arrival term at T is 1.29, 1.33, 1.15.
    CHECK(avellaneda_stoikov::optimal_spread(0.1, 2.0, 0.0, 1.5) == doctest::Approx(1.29).epsilon(0.005));
    CHECK(avellaneda_stoikov::optimal_spread(0.01, 2.0, 0.0, 1.5) == doctest::Approx(1.33).epsilon(0.005));
    CHECK(avellaneda_stoikov::optimal_spread(0.5, 2.0, 0.0, 1.5) == doctest::Approx(1.15).epsilon(0.005));
}

TEST_CASE("avellaneda_stoikov: increment rounding floors and ceils, also below zero") {
    CHECK(avellaneda_stoikov::round_down(1'999'566, 100) == 1'999'500);
    CHECK(avellaneda_stoikov::round_down(1'999'500, 100) == 1'999'500);
    CHECK(avellaneda_stoikov::round_down(-8'000'433, 100) == -8'000'500);
    CHECK(avellaneda_stoikov::round_down(-8'000'400, 100) == -8'000'400);
    CHECK(avellaneda_stoikov::round_down(-1, 100) == -100);
    CHECK(avellaneda_stoikov::round_up(2'000'601, 100) == 2'000'700);
    CHECK(avellaneda_stoikov::round_up(2'000'700, 100) == 2'000'700);
    CHECK(avellaneda_stoikov::round_up(-8'000'499, 100) == -8'000'400);
    CHECK(avellaneda_stoikov::round_up(1, 100) == 100);
    CHECK(avellaneda_stoikov::round_up(-99, 100) == 0);
}

TEST_CASE("avellaneda_stoikov: flat inventory quotes round away from the touch to exact ticks") {
    avellaneda_stoikov s{scenario_config()};
    const quote_pair qp = run_scenario(s, qty{0});
    CHECK(s.volatility().sigma() == doctest::Approx(0.01).epsilon(1e-9));
    // bid 2,000,100 - 533.278 = 1,999,566.72 -> 1,999,500 (nearest would be 1,999,600)
    // ask 2,000,100 + 533.278 = 2,000,633.28 -> 2,000,700 (nearest would be 2,000,600)
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{1'999'500});
    CHECK(qp.ask.px == price{2'000'700});
    CHECK(qp.bid.size == qty{100});
    CHECK(qp.ask.size == qty{100});
}

TEST_CASE("avellaneda_stoikov: a price exactly on a tick in exact maths is not rounded a whole increment away") {
    // k huge (arrival term ~0) and T - t = 0 at t1: r = mid, spread = min_spread_ticks = 400 ticks.
    // For these books mid * tick_value / tick_value is off by ~2e-10 ticks in binary floating point
    // (1,999,099.9999999998 and 2,000,700.0000000002); a naive floor / ceil would then move the
    // quote a whole increment away (bid 1,998,800, ask 2,001,000).
    avellaneda_stoikov_config c = scenario_config();
    c.k = 1e12;
    c.session.open = duration{0};
    c.session.close = duration{(t1).ns()};
    c.min_spread_ticks = 400;
    {
        avellaneda_stoikov s{c};
        (void)s.on_market(book(t0, 1'999'900, 2'000'100), qty{0});
        const quote_pair qp = s.on_market(book(t1, 1'999'000, 1'999'200), qty{0});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{1'998'900});
        CHECK(qp.ask.px == price{1'999'300});
    }
    {
        avellaneda_stoikov s{c};
        (void)s.on_market(book(t0, 1'999'900, 2'000'100), qty{0});
        const quote_pair qp = s.on_market(book(t1, 2'000'600, 2'000'800), qty{0});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{2'000'500});
        CHECK(qp.ask.px == price{2'000'900});
    }
}

TEST_CASE("avellaneda_stoikov: min_spread_ticks floors the spread and defaults to one increment") {
    avellaneda_stoikov_config c = scenario_config();
    c.k = 1e6;        // arrival term 2 ln(1 + 1e-6) = $2e-6 = 0.02 ticks
    c.session.open = duration{0};
    c.session.close = duration{(t1).ns()};  // no inventory term
    {
        avellaneda_stoikov s{c};
        CHECK(s.min_spread_ticks() == 100);
        const quote_pair qp = run_scenario(s, qty{0});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        // half = 50 ticks: 2,000,050 -> 2,000,000 and 2,000,150 -> 2,000,200 (the touch itself).
        CHECK(qp.bid.px == price{2'000'000});
        CHECK(qp.ask.px == price{2'000'200});
    }
    c.min_spread_ticks = 300;
    {
        avellaneda_stoikov s{c};
        const quote_pair qp = run_scenario(s, qty{0});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        // half = 150 ticks: 1,999,950 -> 1,999,900 and 2,000,250 -> 2,000,300.
        CHECK(qp.bid.px == price{1'999'900});
        CHECK(qp.ask.px == price{2'000'300});
    }
}

TEST_CASE("avellaneda_stoikov: long inventory lowers both quotes, short raises them") {
    avellaneda_stoikov flat{scenario_config()};
    avellaneda_stoikov longs{scenario_config()};
    avellaneda_stoikov shorts{scenario_config()};
    const quote_pair f = run_scenario(flat, qty{0});
    // position 50 lots = q 0.5: r = 200.01 - 0.5 * 0.1 = $199.96 = 1,999,600 ticks.
    const quote_pair l = run_scenario(longs, qty{50});
    const quote_pair sh = run_scenario(shorts, qty{-50});
    REQUIRE((f.bid.active && f.ask.active && l.bid.active && l.ask.active && sh.bid.active && sh.ask.active));
    CHECK(l.bid.px < f.bid.px);
    CHECK(l.ask.px < f.ask.px);
    CHECK(l.bid.px == price{1'999'000});  // 1,999,066.72 floored
    CHECK(l.ask.px == price{2'000'200});  // 2,000,133.28 ceiled
    CHECK(sh.bid.px > f.bid.px);
    CHECK(sh.ask.px > f.ask.px);
    CHECK(sh.bid.px == price{2'000'000});  // 2,000,066.72 floored
    CHECK(sh.ask.px == price{2'001'200});  // 2,001,133.28 ceiled
}

TEST_CASE("avellaneda_stoikov: inventory_unit scales q and defaults to order_qty") {
    avellaneda_stoikov_config c = scenario_config();
    avellaneda_stoikov by_default{c};
    CHECK(by_default.inventory_unit() == 100);
    c.inventory_unit = qty{50};
    avellaneda_stoikov halved{c};
    CHECK(halved.inventory_unit() == 50);
    // 25 lots with unit 50 is q = 0.5, the same skew as 50 lots with unit 100.
    const quote_pair a = run_scenario(halved, qty{25});
    CHECK(a.bid.px == price{1'999'000});
    CHECK(a.ask.px == price{2'000'200});
}

TEST_CASE("avellaneda_stoikov: a huge inventory skew never crosses or locks the touch") {
    // Best bid 2,000,000, best ask 2,000,200 at t1.
    SUBCASE("long: ask pulled down to one increment above the best bid") {
        avellaneda_stoikov s{scenario_config()};
        // position 1,000,000 lots = q 10,000: r = 200.01 - 10,000 * 0.1 = -$799.99 = -7,999,900 ticks.
        const quote_pair qp = run_scenario(s, qty{1'000'000});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.ask.px == price{2'000'100});
        CHECK(qp.bid.px == price{-8'000'500});  // -8,000,433.28 floored to the increment, not truncated
        CHECK(qp.bid.px < qp.ask.px);
    }
    SUBCASE("short: bid pulled up to one increment below the best ask") {
        avellaneda_stoikov s{scenario_config()};
        const quote_pair qp = run_scenario(s, qty{-1'000'000});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{2'000'100});
        CHECK(qp.ask.px > price{2'000'200});
        CHECK(qp.bid.px < qp.ask.px);
    }
    SUBCASE("one-increment-wide book: clamps meet, bid below ask, neither crosses") {
        avellaneda_stoikov s{scenario_config()};
        (void)s.on_market(book(t0, 1'999'900, 2'000'100), qty{1'000'000});
        const quote_pair qp = s.on_market(book(t1, 2'000'000, 2'000'100), qty{1'000'000});
        REQUIRE(qp.ask.active);
        CHECK(qp.ask.px == price{2'000'100});  // joins the ask, never below it
        CHECK(qp.bid.px < price{2'000'100});
    }
}

TEST_CASE("avellaneda_stoikov: prices beyond the tick range give no quotes (no overflowing casts)") {
    avellaneda_stoikov s{scenario_config()};
    // q = 1e16: r = 200 - 1e16 * 0.1 = -$1e15 = -1e19 ticks, beyond int64.
    const quote_pair qp = run_scenario(s, qty{1'000'000'000'000'000'000});
    CHECK_FALSE(qp.bid.active);
    CHECK_FALSE(qp.ask.active);
    // Control: a sane position on the same strategy state quotes.
    const quote_pair ok = s.on_market(book(t1 + duration{ns_per_s}, 2'000'000, 2'000'200), qty{0});
    CHECK(ok.bid.active);
    CHECK(ok.ask.active);
}

TEST_CASE("avellaneda_stoikov: no quotes before the volatility estimate is ready") {
    avellaneda_stoikov_config c = scenario_config();
    c.vol.warmup_seconds = 2.0;
    avellaneda_stoikov s{c};
    CHECK_FALSE(s.on_market(book(t0, 1'999'900, 2'000'100), qty{0}).bid.active);
    const quote_pair at1 = s.on_market(book(t1, 2'000'000, 2'000'200), qty{0});
    CHECK_FALSE(at1.bid.active);
    CHECK_FALSE(at1.ask.active);
    const quote_pair at2 = s.on_market(book(t1 + duration{ns_per_s}, 2'000'000, 2'000'200), qty{0});
    CHECK(at2.bid.active);
    CHECK(at2.ask.active);
}

TEST_CASE("avellaneda_stoikov: no quotes while halted or on a one-sided or crossed book") {
    avellaneda_stoikov s{scenario_config()};
    const quote_pair warm = run_scenario(s, qty{0});
    REQUIRE(warm.bid.active);  // control: this state quotes on a normal book
    const timestamp t2 = t1 + duration{ns_per_s};

    market_snapshot halted = book(t2, 2'000'000, 2'000'200);
    halted.trading = false;
    quote_pair qp = s.on_market(halted, qty{0});
    CHECK_FALSE(qp.bid.active);
    CHECK_FALSE(qp.ask.active);

    // A missing side: with its price zeroed as the concept says, and with a stale price left in
    // place (the flag alone must decide).
    for (const bool zero_price : {true, false}) {
        CAPTURE(zero_price);
        market_snapshot no_ask = book(t2, 2'000'000, 2'000'200);
        no_ask.has_ask = false;
        if (zero_price) no_ask.best_ask = price{};
        qp = s.on_market(no_ask, qty{0});
        CHECK_FALSE(qp.bid.active);
        CHECK_FALSE(qp.ask.active);

        market_snapshot no_bid = book(t2, 2'000'000, 2'000'200);
        no_bid.has_bid = false;
        if (zero_price) no_bid.best_bid = price{};
        qp = s.on_market(no_bid, qty{0});
        CHECK_FALSE(qp.bid.active);
        CHECK_FALSE(qp.ask.active);
    }

    qp = s.on_market(book(t2, 2'000'200, 2'000'100), qty{0});
    CHECK_FALSE(qp.bid.active);
    CHECK_FALSE(qp.ask.active);

    qp = s.on_market(book(t2, 2'000'000, 2'000'200), qty{0});
    CHECK(qp.bid.active);
    CHECK(qp.ask.active);
}

TEST_CASE("avellaneda_stoikov: max_position shrinks or removes the side that would exceed it") {
    avellaneda_stoikov_config c = scenario_config();
    c.gamma = 0.0025;  // keep prices near the touch; only sizes matter here
    c.k = 50.0;
    c.max_position = qty{500};
    const auto quotes_at = [&](std::int64_t pos) {
        avellaneda_stoikov s{c};
        return run_scenario(s, qty{pos});
    };
    quote_pair qp = quotes_at(0);
    CHECK((qp.bid.active && qp.bid.size == qty{100} && qp.ask.active && qp.ask.size == qty{100}));
    qp = quotes_at(450);
    CHECK((qp.bid.active && qp.bid.size == qty{50}));
    CHECK((qp.ask.active && qp.ask.size == qty{100}));
    qp = quotes_at(500);
    CHECK_FALSE(qp.bid.active);
    CHECK((qp.ask.active && qp.ask.size == qty{100}));
    qp = quotes_at(650);  // already beyond: only the reducing side
    CHECK_FALSE(qp.bid.active);
    CHECK(qp.ask.active);
    qp = quotes_at(-480);
    CHECK((qp.bid.active && qp.bid.size == qty{100}));
    CHECK((qp.ask.active && qp.ask.size == qty{20}));
    qp = quotes_at(-500);
    CHECK(qp.bid.active);
    CHECK_FALSE(qp.ask.active);
}

TEST_CASE("avellaneda_stoikov: after the session close the skew vanishes (T - t floored at 0)") {
    avellaneda_stoikov_config c = scenario_config();
    c.session.open = duration{0};
    c.session.close = duration{(t1 - duration{1000 * ns_per_s}).ns()};  // over 1000 s before t1
    avellaneda_stoikov flat{c};
    avellaneda_stoikov longs{c};
    const quote_pair f = run_scenario(flat, qty{0});
    const quote_pair l = run_scenario(longs, qty{300});
    // spread = arrival term only, 66.556 ticks: 2,000,066.72 -> 2,000,000; 2,000,133.28 -> 2,000,200.
    // (With T - t = -1000 s unfloored, q = 3 would move r up by 3000 ticks.)
    CHECK(f.bid.px == price{2'000'000});
    CHECK(f.ask.px == price{2'000'200});
    CHECK(l.bid.px == f.bid.px);
    CHECK(l.ask.px == f.ask.px);
}

TEST_CASE("avellaneda_stoikov: on_execution counts fills only") {
    avellaneda_stoikov s{};
    execution_report r{};
    r.type = exec_type::new_ack;
    s.on_execution(r);
    CHECK(s.fills() == 0);
    r.type = exec_type::fill;
    r.side = side::buy;
    r.last_qty = qty{30};
    s.on_execution(r);
    r.side = side::sell;
    r.last_qty = qty{70};
    s.on_execution(r);
    r.type = exec_type::canceled;
    s.on_execution(r);
    CHECK(s.fills() == 2);
    CHECK(s.bought() == qty{30});
    CHECK(s.sold() == qty{70});
}

TEST_CASE("avellaneda_stoikov: config validation and documented defaults") {
    const avellaneda_stoikov_config d{};
    CHECK(d.gamma == 0.0025);
    CHECK(d.k == 50.0);
    CHECK(d.order_qty == qty{100});
    CHECK(d.max_position == qty{500});
    CHECK(d.session.open == duration{34'200LL * ns_per_s});
    CHECK(d.session.close == duration{57'600LL * ns_per_s});
    CHECK(d.tick_value == 0.0001);
    CHECK(d.quote_increment == 100);
    CHECK(d.vol.tau_seconds == 300.0);
    CHECK(d.vol.warmup_seconds == 60.0);
    CHECK(avellaneda_stoikov::check(d).empty());

    avellaneda_stoikov_config bad = d;
    bad.gamma = 0.0;
    CHECK_FALSE(avellaneda_stoikov::check(bad).empty());
    CHECK_THROWS_AS(avellaneda_stoikov{bad}, std::invalid_argument);
    bad = d;
    bad.k = std::nan("");
    CHECK_FALSE(avellaneda_stoikov::check(bad).empty());
    bad = d;
    bad.quote_increment = 0;
    CHECK_FALSE(avellaneda_stoikov::check(bad).empty());
    bad = d;
    bad.order_qty = qty{0};
    CHECK_FALSE(avellaneda_stoikov::check(bad).empty());
    bad = d;
    bad.vol.tau_seconds = -1.0;
    CHECK_FALSE(avellaneda_stoikov::check(bad).empty());
    CHECK_THROWS_AS(ewma_volatility{bad.vol}, std::invalid_argument);
}

TEST_CASE("ewma_volatility: hand-computed irregular updates") {
    ewma_volatility v{ewma_volatility_config{10.0, 0.0}};
    CHECK(v.variance_per_second() == 0.0);
    v.update(at_seconds(0.0), 100.0);
    CHECK(v.variance_per_second() == 0.0);
    v.update(at_seconds(1.0), 101.0);  // S = 1, W = 1
    CHECK(v.variance_per_second() == doctest::Approx(1.0).epsilon(1e-12));
    v.update(at_seconds(3.0), 99.0);   // S = e^-0.2 + 4, W = e^-0.2 + 2
    const double d = std::exp(-0.2);
    CHECK(v.variance_per_second() == doctest::Approx((d + 4.0) / (d + 2.0)).epsilon(1e-12));
    CHECK(v.sigma() == doctest::Approx(std::sqrt((d + 4.0) / (d + 2.0))).epsilon(1e-12));
    CHECK(v.observed_seconds() == doctest::Approx(3.0));
}

TEST_CASE("ewma_volatility: same-timestamp updates keep only the last mid") {
    SUBCASE("replacement redoes the increment into that timestamp") {
        ewma_volatility v{ewma_volatility_config{10.0, 0.0}};
        v.update(at_seconds(0.0), 100.0);
        v.update(at_seconds(1.0), 101.0);
        v.update(at_seconds(1.0), 100.5);  // bounce within one timestamp: only 100.5 counts
        CHECK(v.variance_per_second() == doctest::Approx(0.25).epsilon(1e-12));
        CHECK(v.last_mid() == 100.5);
        v.update(at_seconds(2.0), 100.5);  // no move: S = 0.25 e^-0.1, W = e^-0.1 + 1
        const double d = std::exp(-0.1);
        CHECK(v.variance_per_second() == doctest::Approx(0.25 * d / (d + 1.0)).epsilon(1e-12));
        CHECK(v.observed_seconds() == doctest::Approx(2.0));
    }
    SUBCASE("replacement at the very first timestamp") {
        ewma_volatility v{ewma_volatility_config{10.0, 0.0}};
        v.update(at_seconds(0.0), 100.0);
        v.update(at_seconds(0.0), 105.0);
        v.update(at_seconds(1.0), 106.0);
        CHECK(v.variance_per_second() == doctest::Approx(1.0).epsilon(1e-12));
    }
    SUBCASE("out-of-order and non-finite observations are ignored") {
        ewma_volatility v{ewma_volatility_config{10.0, 0.0}};
        v.update(at_seconds(0.0), 100.0);
        v.update(at_seconds(2.0), 102.0);  // S = 4, W = 2
        v.update(at_seconds(1.0), 50.0);
        v.update(at_seconds(2.5), std::nan(""));
        CHECK(v.variance_per_second() == doctest::Approx(2.0).epsilon(1e-12));
        CHECK(v.last_mid() == 102.0);
        v.update(at_seconds(3.0), 102.0);  // increment from 102, not from 50
        const double d = std::exp(-0.1);
        CHECK(v.variance_per_second() == doctest::Approx(4.0 * d / (2.0 * d + 1.0)).epsilon(1e-12));
    }
}

TEST_CASE("ewma_volatility: warm-up counts observed time, not messages") {
    ewma_volatility v{};  // warm-up 60 s
    CHECK_FALSE(v.ready());
    v.update(at_seconds(0.0), 100.0);
    CHECK_FALSE(v.ready());
    for (int i = 0; i < 1000; ++i) v.update(at_seconds(0.0), 100.0 + i * 0.01);  // same timestamp
    CHECK_FALSE(v.ready());
    v.update(at_seconds(30.0), 100.0);
    v.update(at_seconds(59.999), 100.0);
    CHECK_FALSE(v.ready());
    v.update(at_seconds(60.0), 100.0);
    CHECK(v.ready());
    v.reset();
    CHECK_FALSE(v.ready());
    CHECK(v.observed_seconds() == 0.0);
    CHECK(v.variance_per_second() == 0.0);
}

TEST_CASE("ewma_volatility: converges to the true sigma of an irregularly sampled random walk") {
    // Random walk with sigma = 0.05 price-units/sqrt(s), exponential gaps with mean 0.2 s.
    constexpr double true_sigma = 0.05;
    std::mt19937_64 rng{20240607};
    std::exponential_distribution<double> gap{5.0};
    std::normal_distribution<double> z{0.0, 1.0};
    ewma_volatility v{ewma_volatility_config{300.0, 60.0}};
    double t = 0.0;
    double mid = 200.0;
    std::int64_t last_ns = 0;
    v.update(timestamp{0}, mid);
    while (t < 3000.0) {
        t += gap(rng);
        const std::int64_t ts_ns = std::llround(t * 1e9);
        const double dt = static_cast<double>(ts_ns - last_ns) * 1e-9;  // the gap the estimator sees
        last_ns = ts_ns;
        mid += true_sigma * std::sqrt(dt) * z(rng);
        v.update(timestamp{ts_ns}, mid);
    }
    REQUIRE(v.ready());
    CHECK(v.sigma() == doctest::Approx(true_sigma).epsilon(0.05));
    CHECK(v.variance_per_second() == doctest::Approx(true_sigma * true_sigma).epsilon(0.10));
}
