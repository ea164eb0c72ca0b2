// Tests for strategy/avellaneda_stoikov_infinite.hpp, strategy/glft.hpp and strategy/imbalance_mm.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/strategy/avellaneda_stoikov_infinite.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"

#include "../archetypes/archetypes.hpp"

using namespace pinnacle;

namespace {
struct no_depth {};  // not a DepthView
} // namespace

static_assert(Strategy<avellaneda_stoikov_infinite, depth_book>);
static_assert(Strategy<avellaneda_stoikov_infinite, l3_book>);
static_assert(Strategy<glft, depth_book>);
static_assert(Strategy<glft, l3_book>);
static_assert(Strategy<imbalance_mm, depth_book>);
static_assert(Strategy<imbalance_mm, l3_book>);
// imbalance_mm reads the depth, so it asks for a DepthView; glft needs only the top of book.
static_assert(!Strategy<imbalance_mm, no_depth>);
static_assert(Strategy<imbalance_mm, pinnacle_test::archetype_book>);
static_assert(Strategy<glft, no_depth>);

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
// 09:30:00 and 09:30:01 after midnight, ns (LOBSTER time).
constexpr timestamp t0{34'200LL * ns_per_s};
constexpr timestamp t1{34'201LL * ns_per_s};

market_snapshot top(timestamp ts, std::int64_t bid, std::int64_t ask) {
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

bool no_quotes(const quote_pair& q) { return !q.bid.active && !q.ask.active; }

// A depth_book driven by a test, with the top of book and market_update the pipeline would build.
struct scripted_book {
    depth_book book{16};
    market_event event{};
    market_snapshot snap{};

    void set(side s, std::int64_t px, std::int64_t lots) { REQUIRE(book.update(s, price{px}, qty{lots}) == status::ok); }

    // The update at `ts` holding `position` lots; the top is read from the book.
    market_update<depth_book> at(timestamp ts, qty position, bool trading = true) {
        snap = top_of_book(book, ts, trading);
        event.ts = ts;
        return market_update<depth_book>{event, snap, book, position};
    }
};

} // namespace

// ================================ avellaneda_stoikov_infinite ================================

namespace {

// gamma = 10/$, k = 100/$, q_max = 3 (Q = q_max + 1 = 4), tick $0.0001, book 2,000,000 / 2,000,200
// (mid 2,000,100 ticks = $200.01). With omega = gamma^2 sigma^2 Q^2 / 2 sigma cancels:
//   r_b - s = (1/gamma) ln((16 - (q+1)^2) / (16 - q^2)),  r_a - s = -(1/gamma) ln((16 - (q-1)^2) / (16 - q^2))
//   arrival term (1/gamma) ln(1 + gamma/k) = 0.1 ln 1.1 = $0.0095310 = 95.310 ticks
//   q = 0: r_b - s = 0.1 ln(15/16) = -64.539 ticks, r_a - s = +64.539 ticks
//          bid 2,000,100 - 64.539 - 95.310 = 1,999,940.151   ask 2,000,259.849
//   q = 1: r_b - s = 0.1 ln(12/15) = -223.144, r_a - s = -0.1 ln(16/15) = -64.539
//          bid 1,999,781.546   ask 2,000,130.772
//   q = 2: r_b - s = 0.1 ln(7/12) = -538.997, r_a - s = -0.1 ln(15/12) = -223.144
//          bid 1,999,465.693   ask 1,999,972.167 (below the best bid: clamped)
//   q = 3: r_b = -inf (no bid),  r_a - s = -0.1 ln(12/7) = -538.997: ask 1,999,656.314 (clamped)
avellaneda_stoikov_infinite_config asi_config() {
    avellaneda_stoikov_infinite_config c{};
    c.gamma = 10.0;
    c.k = 100.0;
    c.q_max = 3.0;
    c.order_qty = qty{100};
    c.max_position = qty{1'000'000};
    c.tick_value = 0.0001;
    c.quote_increment = 100;
    return c;
}

quote_pair asi_quotes(const avellaneda_stoikov_infinite_config& c, qty position) {
    avellaneda_stoikov_infinite s{c};
    return s.on_market(top(t1, 2'000'000, 2'000'200), position);
}

} // namespace

TEST_CASE("avellaneda_stoikov_infinite: reservation prices match hand-computed values") {
    // omega = 0.5 * 1 * 4 * (3 + 1)^2 = 32 for gamma 1, sigma 2, q_max 3.
    CHECK(avellaneda_stoikov_infinite::omega_for(1.0, 2.0, 3.0) == doctest::Approx(32.0).epsilon(1e-15));
    // q = 0: r_b = 100 + ln(1 - 4/64) = 100 + ln(15/16) = 99.935461479; r_a = 100 + ln(16/15) = 100.064538521.
    CHECK(avellaneda_stoikov_infinite::reservation_bid(100.0, 0.0, 1.0, 2.0, 32.0) ==
          doctest::Approx(99.93546147886242).epsilon(1e-13));
    CHECK(avellaneda_stoikov_infinite::reservation_ask(100.0, 0.0, 1.0, 2.0, 32.0) ==
          doctest::Approx(100.06453852113758).epsilon(1e-13));
    // The printed r_a, s + ln(1 + (1 - 2q) g^2 s^2 / (2 w - g^2 q^2 s^2)), would give 100 + ln(17/16) = 100.0606.
    CHECK(avellaneda_stoikov_infinite::reservation_ask(100.0, 0.0, 1.0, 2.0, 32.0) > 100.063);
    // Fixed omega = 1, gamma 0.1, sigma 2, q = 2: g^2 s^2 = 0.04, 2 omega - 0.04 * 4 = 1.84;
    // r_b = 100 + 10 ln(1 - 5 * 0.04 / 1.84) = 98.849306702; r_a = 100 - 10 ln(1 + 3 * 0.04 / 1.84) = 99.368210984.
    CHECK(avellaneda_stoikov_infinite::reservation_bid(100.0, 2.0, 0.1, 2.0, 1.0) ==
          doctest::Approx(98.84930670215213).epsilon(1e-13));
    CHECK(avellaneda_stoikov_infinite::reservation_ask(100.0, 2.0, 0.1, 2.0, 1.0) ==
          doctest::Approx(99.36821098378468).epsilon(1e-13));
}

TEST_CASE("avellaneda_stoikov_infinite: sigma cancels with the paper's omega; selling at q undoes buying at q - 1") {
    for (const double sigma : {0.01, 0.5, 2.0, 30.0}) {
        const double w = avellaneda_stoikov_infinite::omega_for(1.0, sigma, 3.0);
        CAPTURE(sigma);
        CHECK(avellaneda_stoikov_infinite::reservation_bid(100.0, 1.0, 1.0, sigma, w) ==
              doctest::Approx(100.0 + std::log(12.0 / 15.0)).epsilon(1e-12));
        CHECK(avellaneda_stoikov_infinite::reservation_ask(100.0, 1.0, 1.0, sigma, w) ==
              doctest::Approx(100.0 - std::log(16.0 / 15.0)).epsilon(1e-12));
        for (const double q : {-2.0, -1.0, 0.0, 1.0, 2.0, 3.0}) {
            CAPTURE(q);
            CHECK(avellaneda_stoikov_infinite::reservation_ask(100.0, q, 1.0, sigma, w) ==
                  doctest::Approx(avellaneda_stoikov_infinite::reservation_bid(100.0, q - 1.0, 1.0, sigma, w)).epsilon(1e-12));
        }
    }
}

TEST_CASE("avellaneda_stoikov_infinite: edges and outside of the model's domain") {
    const double w = avellaneda_stoikov_infinite::omega_for(1.0, 2.0, 3.0);
    const double rb = avellaneda_stoikov_infinite::reservation_bid(100.0, 3.0, 1.0, 2.0, w);
    CHECK(std::isinf(rb));
    CHECK(rb < 0.0);  // at q = q_max one more unit is worth nothing
    const double ra = avellaneda_stoikov_infinite::reservation_ask(100.0, -3.0, 1.0, 2.0, w);
    CHECK(std::isinf(ra));
    CHECK(ra > 0.0);
    // 2 omega <= gamma^2 sigma^2 q^2: v is not finite, neither is anything derived from it.
    CHECK(std::isnan(avellaneda_stoikov_infinite::reservation_bid(100.0, 10.0, 0.1, 2.0, 1.0)));
    CHECK(std::isnan(avellaneda_stoikov_infinite::reservation_ask(100.0, -10.0, 0.1, 2.0, 1.0)));
}

TEST_CASE("avellaneda_stoikov_infinite: flat quotes are symmetric and rounded away from the touch") {
    {
        const quote_pair qp = asi_quotes(asi_config(), qty{0});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{1'999'900});  // 1,999,940.15 floored (nearest: 1,999,900 as well)
        CHECK(qp.ask.px == price{2'000'300});  // 2,000,259.85 ceiled (nearest would be 2,000,300 too)
        CHECK(qp.bid.size == qty{100});
        CHECK(qp.ask.size == qty{100});
    }
    avellaneda_stoikov_infinite_config c = asi_config();
    c.quote_increment = 1;
    const quote_pair qp = asi_quotes(c, qty{0});
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{1'999'940});  // floor(1,999,940.151)
    CHECK(qp.ask.px == price{2'000'260});  // ceil(2,000,259.849); the printed r_a would give 2,000,256
    CHECK(2'000'100 - qp.bid.px.ticks() == qp.ask.px.ticks() - 2'000'100);
}

TEST_CASE("avellaneda_stoikov_infinite: long inventory lowers both quotes, short raises them") {
    const quote_pair flat = asi_quotes(asi_config(), qty{0});
    const quote_pair lng = asi_quotes(asi_config(), qty{100});   // q = 1
    const quote_pair sht = asi_quotes(asi_config(), qty{-100});  // q = -1
    REQUIRE((flat.bid.active && flat.ask.active && lng.bid.active && lng.ask.active && sht.bid.active && sht.ask.active));
    CHECK(lng.bid.px == price{1'999'700});  // 1,999,781.55 floored (nearest would be 1,999,800)
    CHECK(lng.ask.px == price{2'000'200});  // 2,000,130.77 ceiled
    CHECK(sht.bid.px == price{2'000'000});  // 2,000,069.23 floored (nearest would be 2,000,100)
    CHECK(sht.ask.px == price{2'000'500});  // 2,000,418.45 ceiled
    CHECK(lng.bid.px < flat.bid.px);
    CHECK(lng.ask.px < flat.ask.px);
    CHECK(sht.bid.px > flat.bid.px);
    CHECK(sht.ask.px > flat.ask.px);

    // On a 1-tick grid the fractions show: floor for the bid, ceil for the ask (never nearest).
    avellaneda_stoikov_infinite_config c = asi_config();
    c.quote_increment = 1;
    const quote_pair l1 = asi_quotes(c, qty{100});
    const quote_pair s1 = asi_quotes(c, qty{-100});
    CHECK(l1.bid.px == price{1'999'781});  // 1,999,781.546
    CHECK(l1.ask.px == price{2'000'131});  // 2,000,130.772
    CHECK(s1.bid.px == price{2'000'069});  // 2,000,069.228
    CHECK(s1.ask.px == price{2'000'419});  // 2,000,418.454 (nearest would be 2,000,418)
}

TEST_CASE("avellaneda_stoikov_infinite: never crosses; at +-q_max the model withdraws the side that would add") {
    SUBCASE("q = 2: ask pulled up to one increment above the best bid") {
        const quote_pair qp = asi_quotes(asi_config(), qty{200});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{1'999'400});
        CHECK(qp.ask.px == price{2'000'100});  // 1,999,972.17 would cross the 2,000,000 bid
    }
    SUBCASE("q = -2: bid pulled down to one increment below the best ask") {
        const quote_pair qp = asi_quotes(asi_config(), qty{-200});
        REQUIRE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.bid.px == price{2'000'100});
        CHECK(qp.ask.px == price{2'000'800});  // 2,000,734.31 ceiled
    }
    SUBCASE("q = q_max: no bid although max_position allows one") {
        const quote_pair qp = asi_quotes(asi_config(), qty{300});
        CHECK_FALSE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.ask.px == price{2'000'100});
    }
    SUBCASE("q = -q_max: no ask") {
        const quote_pair qp = asi_quotes(asi_config(), qty{-300});
        CHECK_FALSE(qp.ask.active);
        REQUIRE(qp.bid.active);
        CHECK(qp.bid.px == price{2'000'100});
    }
    SUBCASE("beyond q_max: treated as q_max, so the position can still be unwound") {
        const quote_pair qp = asi_quotes(asi_config(), qty{700});
        CHECK_FALSE(qp.bid.active);
        REQUIRE(qp.ask.active);
        CHECK(qp.ask.px == price{2'000'100});
        const quote_pair sh = asi_quotes(asi_config(), qty{-700});
        CHECK_FALSE(sh.ask.active);
        REQUIRE(sh.bid.active);
        CHECK(sh.bid.px == price{2'000'100});
    }
}

TEST_CASE("avellaneda_stoikov_infinite: max_position shrinks or removes a side") {
    avellaneda_stoikov_infinite_config c = asi_config();
    c.max_position = qty{150};
    const quote_pair part = asi_quotes(c, qty{100});
    REQUIRE(part.bid.active);
    CHECK(part.bid.size == qty{50});
    CHECK(part.ask.size == qty{100});
    const quote_pair full = asi_quotes(c, qty{150});  // q = 1.5 < q_max: only max_position stops the bid
    CHECK_FALSE(full.bid.active);
    REQUIRE(full.ask.active);
    CHECK(full.ask.size == qty{100});
    const quote_pair sh = asi_quotes(c, qty{-150});
    CHECK_FALSE(sh.ask.active);
    REQUIRE(sh.bid.active);
    CHECK(sh.bid.size == qty{100});
}

TEST_CASE("avellaneda_stoikov_infinite: min_spread_ticks floors the spread about its centre") {
    avellaneda_stoikov_infinite_config c = asi_config();
    c.quote_increment = 1;
    c.min_spread_ticks = 1000;  // natural spread 319.7 ticks; centre 2,000,100 at q = 0
    avellaneda_stoikov_infinite s{c};
    CHECK(s.min_spread_ticks() == 1000);
    const quote_pair qp = s.on_market(top(t1, 2'000'000, 2'000'200), qty{0});
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{1'999'600});
    CHECK(qp.ask.px == price{2'000'600});
    CHECK(avellaneda_stoikov_infinite{asi_config()}.min_spread_ticks() == 100);  // default: one increment
}

TEST_CASE("avellaneda_stoikov_infinite: no quotes while halted or on a one-sided or crossed book; no warm-up") {
    avellaneda_stoikov_infinite s{asi_config()};
    market_snapshot halted = top(t0, 2'000'000, 2'000'200);
    halted.trading = false;
    CHECK(no_quotes(s.on_market(halted, qty{0})));
    market_snapshot no_bid = top(t0, 2'000'000, 2'000'200);
    no_bid.has_bid = false;
    CHECK(no_quotes(s.on_market(no_bid, qty{0})));
    market_snapshot no_ask = top(t0, 2'000'000, 2'000'200);
    no_ask.has_ask = false;
    CHECK(no_quotes(s.on_market(no_ask, qty{0})));
    CHECK(no_quotes(s.on_market(top(t0, 2'000'200, 2'000'000), qty{0})));  // crossed
    CHECK(no_quotes(s.on_market(top(t0, 2'000'100, 2'000'100), qty{0})));  // locked
    // Sigma cancels: the very first quotable snapshot is quoted.
    const quote_pair qp = s.on_market(top(t0, 2'000'000, 2'000'200), qty{0});
    CHECK(qp.bid.active);
    CHECK(qp.ask.active);
}

TEST_CASE("avellaneda_stoikov_infinite: settings are validated") {
    CHECK(avellaneda_stoikov_infinite::check(avellaneda_stoikov_infinite_config{}).empty());
    const auto rejects = [](auto mutate) {
        avellaneda_stoikov_infinite_config c{};
        mutate(c);
        CHECK_FALSE(avellaneda_stoikov_infinite::check(c).empty());
        CHECK_THROWS_AS(avellaneda_stoikov_infinite{c}, std::invalid_argument);
    };
    rejects([](avellaneda_stoikov_infinite_config& c) { c.gamma = 0.0; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.gamma = std::numeric_limits<double>::quiet_NaN(); });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.k = -1.0; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.q_max = 0.0; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.q_max = std::numeric_limits<double>::infinity(); });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.order_qty = qty{0}; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.inventory_unit = qty{-1}; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.max_position = qty{-1}; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.tick_value = 0.0; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.quote_increment = 0; });
    rejects([](avellaneda_stoikov_infinite_config& c) { c.min_spread_ticks = -1; });
}

// ============================================ glft ============================================

namespace {

// gamma = xi = 1/$, A = 0.05/s, k = 25/$, Delta = 1, tick $0.0001, increment 100 ticks.
// Snapshots at t0 (mid $200.00) and t1 (mid $200.01): sigma = $0.01/sqrt(s) (see test_strategy.cpp).
//   c1 = ln(1 + 1/25) = ln 1.04 = $0.039220713 = 392.207 ticks
//   c2 = sqrt(1 / (2 * 0.05 * 25) * 1.04^26) = sqrt(0.4 * 2.772469785) = 1.053084951 sqrt(s)
//   half = c1 + sigma c2 / 2 = 392.207 + 52.654 = 444.861 ticks;  skew = sigma c2 = 105.308 ticks per unit
//   q = 0:  bid 2,000,100 - 444.861 = 1,999,655.139   ask 2,000,544.861
//   q = 1:  bid 1,999,549.830   ask 2,000,439.553
//   q = -1: bid 1,999,760.447   ask 2,000,650.170
glft_config glft_scenario() {
    glft_config c{};
    c.gamma = 1.0;
    c.A = 0.05;
    c.k = 25.0;
    c.order_qty = qty{100};
    c.max_position = qty{1'000'000'000};
    c.tick_value = 0.0001;
    c.quote_increment = 100;
    c.vol.tau_seconds = 300.0;
    c.vol.warmup_seconds = 1.0;
    return c;
}

quote_pair run_glft(glft& s, qty position) {
    const quote_pair first = s.on_market(top(t0, 1'999'900, 2'000'100), position);
    REQUIRE(no_quotes(first));
    return s.on_market(top(t1, 2'000'000, 2'000'200), position);
}

} // namespace

TEST_CASE("glft: c1 and c2 match hand-computed values") {
    // A&S 2008's simulation values gamma = xi = 0.1, k = 1.5, A = 140, Delta = 1:
    //   c1 = 10 ln(1 + 0.1/1.5) = 10 ln(16/15) = 0.645385211
    //   c2 = sqrt(0.1 / (2 * 140 * 1.5) * (16/15)^16) = sqrt(2.380952e-4 * 2.808403966) = 0.025858608
    CHECK(glft::c1(0.1, 1.0, 1.5) == doctest::Approx(0.6453852113757117).epsilon(1e-13));
    CHECK(glft::c2(0.1, 0.1, 1.0, 140.0, 1.5) == doctest::Approx(0.025858608060983).epsilon(1e-12));
    // Delta = 2: c1 = 5 ln(17/15) = 0.625815715; c2 = sqrt(0.1 / 840 * (17/15)^8.5) = 0.018572930.
    CHECK(glft::c1(0.1, 2.0, 1.5) == doctest::Approx(0.62581571477003).epsilon(1e-13));
    CHECK(glft::c2(0.1, 0.1, 2.0, 140.0, 1.5) == doctest::Approx(0.018572929996930).epsilon(1e-12));
    // sigma = 2: half = 0.645385 + 0.5 * 2 * 0.025859 = 0.671243819; skew = 2 * 0.025859 = 0.051717216.
    CHECK(glft::half_spread(0.6453852113757117, 0.025858608060983, 2.0, 1.0) ==
          doctest::Approx(0.6712438194366946).epsilon(1e-13));
    CHECK(glft::skew(0.025858608060983, 2.0) == doctest::Approx(0.051717216121966).epsilon(1e-13));
    // GLFT 2013's Delta = 1 form: (1/gamma) ln(1 + gamma/k) + (2q + 1)/2 sqrt(sigma^2 gamma / (2 k A) (1 + gamma/k)^(1 + k/gamma)).
    const double q = 3.0;
    const double glft13 = 10.0 * std::log(1.0 + 0.1 / 1.5) +
                          (2.0 * q + 1.0) / 2.0 * std::sqrt(4.0 * 0.1 / (2.0 * 1.5 * 140.0) * std::pow(1.0 + 0.1 / 1.5, 1.0 + 15.0));
    const double c1v = glft::c1(0.1, 1.0, 1.5);
    const double c2v = glft::c2(0.1, 0.1, 1.0, 140.0, 1.5);
    CHECK(glft::half_spread(c1v, c2v, 2.0, 1.0) + q * glft::skew(c2v, 2.0) == doctest::Approx(glft13).epsilon(1e-12));

    const glft s{glft_scenario()};
    CHECK(s.order_size() == 1.0);
    CHECK(s.c1() == doctest::Approx(std::log(1.04)).epsilon(1e-14));
    CHECK(s.c2() == doctest::Approx(1.0530849509411706).epsilon(1e-12));
    glft_config c = glft_scenario();
    c.inventory_unit = qty{50};
    CHECK(glft{c}.order_size() == 2.0);  // 100-lot quotes, 50 lots per unit: Delta = 2
}

TEST_CASE("glft: flat inventory quotes are symmetric and rounded away from the touch") {
    glft s{glft_scenario()};
    const quote_pair qp = run_glft(s, qty{0});
    CHECK(s.volatility().sigma() == doctest::Approx(0.01).epsilon(1e-9));
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{1'999'600});  // 1,999,655.14 floored (nearest would be 1,999,700)
    CHECK(qp.ask.px == price{2'000'600});  // 2,000,544.86 ceiled (nearest would be 2,000,500)
    CHECK(qp.bid.size == qty{100});
    CHECK(qp.ask.size == qty{100});

    glft_config c = glft_scenario();
    c.quote_increment = 1;
    glft fine{c};
    const quote_pair f = run_glft(fine, qty{0});
    REQUIRE(f.bid.active);
    REQUIRE(f.ask.active);
    CHECK(f.bid.px == price{1'999'655});
    CHECK(f.ask.px == price{2'000'545});
    CHECK(2'000'100 - f.bid.px.ticks() == f.ask.px.ticks() - 2'000'100);
}

TEST_CASE("glft: long inventory lowers both quotes, short raises them, by sigma c2 per unit") {
    glft flat{glft_scenario()};
    glft lng{glft_scenario()};
    glft sht{glft_scenario()};
    const quote_pair f = run_glft(flat, qty{0});
    const quote_pair l = run_glft(lng, qty{100});
    const quote_pair s = run_glft(sht, qty{-100});
    REQUIRE((f.bid.active && f.ask.active && l.bid.active && l.ask.active && s.bid.active && s.ask.active));
    CHECK(l.bid.px == price{1'999'500});  // 1,999,549.83 floored
    CHECK(l.ask.px == price{2'000'500});  // 2,000,439.55 ceiled
    CHECK(s.bid.px == price{1'999'700});  // 1,999,760.45 floored
    CHECK(s.ask.px == price{2'000'700});  // 2,000,650.17 ceiled
    CHECK(l.bid.px < f.bid.px);
    CHECK(l.ask.px < f.ask.px);
    CHECK(s.bid.px > f.bid.px);
    CHECK(s.ask.px > f.ask.px);

    // On a 1-tick grid: floor for the bid, ceil for the ask (never nearest).
    glft_config c = glft_scenario();
    c.quote_increment = 1;
    glft lng1{c};
    glft sht1{c};
    const quote_pair l1 = run_glft(lng1, qty{100});
    const quote_pair s1 = run_glft(sht1, qty{-100});
    CHECK(l1.bid.px == price{1'999'549});  // 1,999,549.830 (nearest would be 1,999,550)
    CHECK(l1.ask.px == price{2'000'440});  // 2,000,439.553
    CHECK(s1.bid.px == price{1'999'760});  // 1,999,760.447
    CHECK(s1.ask.px == price{2'000'651});  // 2,000,650.170 (nearest would be 2,000,650)
}

TEST_CASE("glft: a huge inventory skew never crosses or locks the touch") {
    glft lng{glft_scenario()};
    const quote_pair l = run_glft(lng, qty{1'000'000});  // q = 10,000: skew ~1.05e6 ticks
    REQUIRE(l.ask.active);
    CHECK(l.ask.px == price{2'000'100});  // one increment above the 2,000,000 bid
    REQUIRE(l.bid.active);
    CHECK(l.bid.px < l.ask.px);
    glft sht{glft_scenario()};
    const quote_pair s = run_glft(sht, qty{-1'000'000});
    REQUIRE(s.bid.active);
    CHECK(s.bid.px == price{2'000'100});  // one increment below the 2,000,200 ask
    REQUIRE(s.ask.active);
    CHECK(s.ask.px > s.bid.px);
}

TEST_CASE("glft: max_position shrinks or removes a side") {
    glft_config c = glft_scenario();
    c.max_position = qty{150};
    glft part{c};
    const quote_pair p = run_glft(part, qty{100});
    REQUIRE(p.bid.active);
    CHECK(p.bid.size == qty{50});
    CHECK(p.ask.size == qty{100});
    glft full{c};
    const quote_pair f = run_glft(full, qty{150});
    CHECK_FALSE(f.bid.active);
    CHECK(f.ask.active);
    glft sh{c};
    const quote_pair s = run_glft(sh, qty{-150});
    CHECK_FALSE(s.ask.active);
    CHECK(s.bid.active);
}

TEST_CASE("glft: no quotes before the volatility warm-up, while halted, or on a one-sided or crossed book") {
    glft_config c = glft_scenario();
    c.vol.warmup_seconds = 10.0;
    glft cold{c};
    CHECK(no_quotes(cold.on_market(top(t0, 1'999'900, 2'000'100), qty{0})));
    CHECK(no_quotes(cold.on_market(top(t1, 2'000'000, 2'000'200), qty{0})));  // 1 s of 10 observed
    CHECK(no_quotes(cold.on_market(top(t1 + duration{8 * ns_per_s}, 2'000'000, 2'000'200), qty{0})));  // 9 s
    CHECK_FALSE(no_quotes(cold.on_market(top(t1 + duration{9 * ns_per_s}, 2'000'000, 2'000'200), qty{0})));  // 10 s

    glft s{glft_scenario()};
    REQUIRE_FALSE(no_quotes(run_glft(s, qty{0})));  // warm
    market_snapshot halted = top(t1, 2'000'000, 2'000'200);
    halted.trading = false;
    CHECK(no_quotes(s.on_market(halted, qty{0})));
    market_snapshot no_bid = top(t1, 2'000'000, 2'000'200);
    no_bid.has_bid = false;
    CHECK(no_quotes(s.on_market(no_bid, qty{0})));
    market_snapshot no_ask = top(t1, 2'000'000, 2'000'200);
    no_ask.has_ask = false;
    CHECK(no_quotes(s.on_market(no_ask, qty{0})));
    CHECK(no_quotes(s.on_market(top(t1, 2'000'300, 2'000'200), qty{0})));  // crossed
    CHECK(no_quotes(s.on_market(top(t1, 2'000'200, 2'000'200), qty{0})));  // locked
}

TEST_CASE("glft: on_market through a market_update matches the snapshot overload; fills are counted") {
    scripted_book sb;
    sb.set(side::buy, 1'999'900, 300);
    sb.set(side::sell, 2'000'100, 300);
    glft viaupd{glft_scenario()};
    REQUIRE(no_quotes(viaupd.on_market(sb.at(t0, qty{100}))));
    sb.set(side::buy, 1'999'900, 0);
    sb.set(side::sell, 2'000'100, 0);
    sb.set(side::buy, 2'000'000, 300);
    sb.set(side::sell, 2'000'200, 300);
    const quote_pair a = viaupd.on_market(sb.at(t1, qty{100}));
    REQUIRE(a.bid.active);
    REQUIRE(a.ask.active);
    CHECK(a.bid.px == price{1'999'500});
    CHECK(a.ask.px == price{2'000'500});

    execution_report r{};
    r.type = exec_type::fill;
    r.side = side::buy;
    r.last_qty = qty{100};
    viaupd.on_execution(r);
    r.side = side::sell;
    r.last_qty = qty{30};
    viaupd.on_execution(r);
    r.type = exec_type::new_ack;
    viaupd.on_execution(r);
    CHECK(viaupd.fills() == 2);
    CHECK(viaupd.bought() == qty{100});
    CHECK(viaupd.sold() == qty{30});
}

TEST_CASE("glft: settings are validated") {
    CHECK(glft::check(glft_config{}).empty());
    const auto rejects = [](auto mutate) {
        glft_config c{};
        mutate(c);
        CHECK_FALSE(glft::check(c).empty());
        CHECK_THROWS_AS(glft{c}, std::invalid_argument);
    };
    rejects([](glft_config& c) { c.gamma = 0.0; });
    rejects([](glft_config& c) { c.gamma = std::numeric_limits<double>::infinity(); });
    rejects([](glft_config& c) { c.A = 0.0; });
    rejects([](glft_config& c) { c.A = std::numeric_limits<double>::quiet_NaN(); });
    rejects([](glft_config& c) { c.k = -25.0; });
    rejects([](glft_config& c) { c.order_qty = qty{0}; });
    rejects([](glft_config& c) { c.inventory_unit = qty{-1}; });
    rejects([](glft_config& c) { c.max_position = qty{-1}; });
    rejects([](glft_config& c) { c.tick_value = -0.0001; });
    rejects([](glft_config& c) { c.quote_increment = 0; });
    rejects([](glft_config& c) { c.min_spread_ticks = -1; });
    rejects([](glft_config& c) { c.vol.tau_seconds = 0.0; });
    rejects([](glft_config& c) {  // c2 overflows: gamma / (2 A Delta k) is not finite
        c.gamma = 1.0;
        c.A = 1e-300;
        c.k = 1e-10;
    });
}

// ======================================== imbalance_mm ========================================

namespace {

// Scenario: t0 bids {1000: 100}, asks {1010: 100} (mid 1005); t1 bids {1001: 300, 1000: 200},
// asks {1011: 100, 1012: 200} (mid 1006). Vol on the mid in ticks: sigma = 1 tick/sqrt(s).
// At t1, with 2 levels and decay 0.5:
//   rho = (500 - 300) / 800 = 0.25
//   microprice: Q~b = 300 + 0.5 * 200 = 400, Q~a = 100 + 0.5 * 200 = 200; M = 1001 + 10 * 400/600 = 1007.667
//   position 100 of max 500: u = 0.2
//   centre = 1007.667 + 12 * 0.25 - 20 * 0.2 = 1006.667;  half = 2 + 3 * 1 + 8 * 0.25 = 7
//   bid 999.667, ask 1013.667
imbalance_mm_config imb_scenario() {
    imbalance_mm_config c{};
    c.fair = fair_price_source::microprice;
    c.microprice_levels = 2;
    c.microprice_decay = 0.5;
    c.imbalance_levels = 2;
    c.base_half_spread_ticks = 2.0;
    c.vol_spread_coeff = 3.0;
    c.imbalance_spread_ticks = 8.0;
    c.imbalance_skew_ticks = 12.0;
    c.inventory_skew_ticks = 20.0;
    c.order_qty = qty{100};
    c.max_position = qty{500};
    c.quote_increment = 1;
    c.vol.tau_seconds = 300.0;
    c.vol.warmup_seconds = 1.0;
    return c;
}

quote_pair run_imb_scenario(imbalance_mm& s, qty position) {
    scripted_book sb;
    sb.set(side::buy, 1000, 100);
    sb.set(side::sell, 1010, 100);
    REQUIRE(no_quotes(s.on_market(sb.at(t0, position))));
    sb.set(side::buy, 1001, 300);
    sb.set(side::buy, 1000, 200);
    sb.set(side::sell, 1010, 0);
    sb.set(side::sell, 1011, 100);
    sb.set(side::sell, 1012, 200);
    return s.on_market(sb.at(t1, position));
}

// Only the terms a test switches on: fair = mid, base half-spread 3 ticks, increment 1.
imbalance_mm_config imb_plain() {
    imbalance_mm_config c{};
    c.fair = fair_price_source::mid;
    c.imbalance_levels = 2;
    c.base_half_spread_ticks = 3.0;
    c.vol_spread_coeff = 0.0;
    c.imbalance_spread_ticks = 0.0;
    c.imbalance_skew_ticks = 0.0;
    c.inventory_skew_ticks = 0.0;
    c.order_qty = qty{100};
    c.max_position = qty{500};
    c.quote_increment = 1;
    c.vol.warmup_seconds = 1.0;
    return c;
}

// Bids {1000, 999} and asks {1010, 1011} with the given sizes (lots).
void two_levels(scripted_book& sb, std::int64_t b0, std::int64_t b1, std::int64_t a0, std::int64_t a1) {
    sb.set(side::buy, 1000, b0);
    sb.set(side::buy, 999, b1);
    sb.set(side::sell, 1010, a0);
    sb.set(side::sell, 1011, a1);
}

// The fair price of `b` under `c`, which must exist.
template <class Book>
double fair_of(const Book& b, const imbalance_mm_config& c) {
    const std::optional<double> f = imbalance_mm::fair_price(b, c);
    REQUIRE(f.has_value());
    return f.value_or(0.0);
}

// Warm-up on `sb` at t0 (no quotes), then the quotes at t1 on the same book (sigma = 0).
quote_pair imb_quotes(const imbalance_mm_config& c, scripted_book& sb, qty position) {
    imbalance_mm s{c};
    REQUIRE(no_quotes(s.on_market(sb.at(t0, position))));
    return s.on_market(sb.at(t1, position));
}

} // namespace

TEST_CASE("imbalance_mm: quotes match the hand-computed formula") {
    imbalance_mm s{imb_scenario()};
    const quote_pair qp = run_imb_scenario(s, qty{100});
    CHECK(s.volatility().sigma() == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(s.last_imbalance() == doctest::Approx(0.25).epsilon(1e-15));
    CHECK(s.last_fair_price() == doctest::Approx(1007.0 + 2.0 / 3.0).epsilon(1e-14));
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{999});   // floor(999.667)
    CHECK(qp.ask.px == price{1014});  // ceil(1013.667)
    CHECK(qp.bid.size == qty{100});
    CHECK(qp.ask.size == qty{100});
}

TEST_CASE("imbalance_mm: prices are rounded away from the touch onto the increment") {
    imbalance_mm_config c = imb_scenario();
    c.quote_increment = 4;
    imbalance_mm s{c};
    const quote_pair qp = run_imb_scenario(s, qty{100});
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{996});   // 999.667 -> 996 (nearest multiple of 4: 1000)
    CHECK(qp.ask.px == price{1016});  // 1013.667 -> 1016 (nearest multiple of 4: 1012)
}

TEST_CASE("imbalance_mm: a price on a whole tick in exact maths is not rounded a whole tick away") {
    // 25 * (7 / 25) is 7.000000000000001 in binary floating point, and near price 10 that error
    // survives: a naive floor / ceil would quote bid 1 (long) and ask 19 (short).
    imbalance_mm_config c = imb_plain();
    c.base_half_spread_ticks = 1.0;
    c.inventory_skew_ticks = 25.0;
    c.max_position = qty{25};
    c.order_qty = qty{5};
    scripted_book sb;
    sb.set(side::buy, 5, 100);
    sb.set(side::sell, 15, 100);
    const quote_pair lng = imb_quotes(c, sb, qty{7});  // centre 10 - 7 = 3: bid 2, ask 4 (clamped to 6)
    REQUIRE(lng.bid.active);
    REQUIRE(lng.ask.active);
    CHECK(lng.bid.px == price{2});
    CHECK(lng.ask.px == price{6});
    const quote_pair sht = imb_quotes(c, sb, qty{-7});  // centre 17: bid 16 (clamped to 14), ask 18
    REQUIRE(sht.bid.active);
    REQUIRE(sht.ask.active);
    CHECK(sht.bid.px == price{14});
    CHECK(sht.ask.px == price{18});
}

TEST_CASE("imbalance_mm: positive imbalance raises both quotes, negative lowers them") {
    imbalance_mm_config c = imb_plain();
    c.imbalance_skew_ticks = 4.0;
    scripted_book balanced;
    two_levels(balanced, 200, 200, 200, 200);  // rho = 0
    scripted_book bids;
    two_levels(bids, 300, 300, 100, 100);  // rho = (600 - 200) / 800 = 0.5
    scripted_book asks;
    two_levels(asks, 100, 100, 300, 300);  // rho = -0.5
    const quote_pair b = imb_quotes(c, balanced, qty{0});
    const quote_pair up = imb_quotes(c, bids, qty{0});
    const quote_pair dn = imb_quotes(c, asks, qty{0});
    REQUIRE((b.bid.active && b.ask.active && up.bid.active && up.ask.active && dn.bid.active && dn.ask.active));
    CHECK(b.bid.px == price{1002});  // centre 1005
    CHECK(b.ask.px == price{1008});
    CHECK(up.bid.px == price{1004});  // centre 1005 + 4 * 0.5 = 1007
    CHECK(up.ask.px == price{1010});
    CHECK(dn.bid.px == price{1000});  // centre 1003
    CHECK(dn.ask.px == price{1006});
}

TEST_CASE("imbalance_mm: |imbalance| widens the spread symmetrically") {
    imbalance_mm_config c = imb_plain();
    c.imbalance_spread_ticks = 6.0;
    scripted_book balanced;
    two_levels(balanced, 200, 200, 200, 200);
    scripted_book bids;
    two_levels(bids, 300, 300, 100, 100);
    scripted_book asks;
    two_levels(asks, 100, 100, 300, 300);
    const quote_pair b = imb_quotes(c, balanced, qty{0});
    const quote_pair up = imb_quotes(c, bids, qty{0});
    const quote_pair dn = imb_quotes(c, asks, qty{0});
    CHECK(b.bid.px == price{1002});
    CHECK(b.ask.px == price{1008});
    CHECK(up.bid.px == price{999});  // half 3 + 6 * 0.5 = 6 about 1005
    CHECK(up.ask.px == price{1011});
    CHECK(dn.bid.px == price{999});
    CHECK(dn.ask.px == price{1011});
}

TEST_CASE("imbalance_mm: the imbalance counts imbalance_levels levels per side") {
    imbalance_mm_config c = imb_plain();
    c.imbalance_skew_ticks = 4.0;
    scripted_book sb;
    two_levels(sb, 100, 500, 100, 100);  // best level balanced, second level bid-heavy
    c.imbalance_levels = 1;
    const quote_pair one = imb_quotes(c, sb, qty{0});
    c.imbalance_levels = 2;
    const quote_pair two = imb_quotes(c, sb, qty{0});
    CHECK(one.bid.px == price{1002});  // rho = 0
    CHECK(one.ask.px == price{1008});
    CHECK(two.bid.px == price{1004});  // rho = (600 - 200) / 800 = 0.5
    CHECK(two.ask.px == price{1010});
}

TEST_CASE("imbalance_mm: long inventory lowers both quotes, short raises them") {
    imbalance_mm_config c = imb_plain();
    c.inventory_skew_ticks = 8.0;
    scripted_book sb;
    two_levels(sb, 200, 200, 200, 200);
    const quote_pair flat = imb_quotes(c, sb, qty{0});
    const quote_pair lng = imb_quotes(c, sb, qty{250});   // u = 0.5: centre 1005 - 4
    const quote_pair sht = imb_quotes(c, sb, qty{-250});  // centre 1005 + 4
    CHECK(flat.bid.px == price{1002});
    CHECK(flat.ask.px == price{1008});
    CHECK(lng.bid.px == price{998});
    CHECK(lng.ask.px == price{1004});
    CHECK(sht.bid.px == price{1006});
    CHECK(sht.ask.px == price{1012});
}

TEST_CASE("imbalance_mm: fair price from the mid, the weighted mid or the multi-level microprice") {
    scripted_book sb;
    two_levels(sb, 300, 100, 100, 300);
    imbalance_mm_config c = imb_plain();
    c.microprice_levels = 2;
    c.microprice_decay = 0.5;
    // mid 1005; weighted mid 1000 + 10 * 300/400 = 1007.5;
    // microprice Q~b = 300 + 50 = 350, Q~a = 100 + 150 = 250: 1000 + 10 * 350/600 = 1005.833.
    c.fair = fair_price_source::mid;
    CHECK(fair_of(sb.book, c) == doctest::Approx(1005.0).epsilon(1e-15));
    const quote_pair m = imb_quotes(c, sb, qty{0});
    c.fair = fair_price_source::weighted_mid;
    CHECK(fair_of(sb.book, c) == doctest::Approx(1007.5).epsilon(1e-15));
    const quote_pair w = imb_quotes(c, sb, qty{0});
    c.fair = fair_price_source::microprice;
    CHECK(fair_of(sb.book, c) == doctest::Approx(1005.0 + 5.0 / 6.0).epsilon(1e-14));
    const quote_pair mp = imb_quotes(c, sb, qty{0});
    CHECK(m.bid.px == price{1002});
    CHECK(m.ask.px == price{1008});
    CHECK(w.bid.px == price{1004});  // 1004.5 floored
    CHECK(w.ask.px == price{1011});  // 1010.5 ceiled
    CHECK(mp.bid.px == price{1002});  // 1002.833 floored
    CHECK(mp.ask.px == price{1009});  // 1008.833 ceiled

    depth_book one_sided{4};
    REQUIRE(one_sided.update(side::buy, price{1000}, qty{100}) == status::ok);
    for (const fair_price_source f : {fair_price_source::mid, fair_price_source::weighted_mid, fair_price_source::microprice}) {
        c.fair = f;
        CHECK_FALSE(imbalance_mm::fair_price(one_sided, c).has_value());
    }
}

TEST_CASE("imbalance_mm: a huge skew never crosses or locks the touch") {
    imbalance_mm_config c = imb_plain();
    c.imbalance_skew_ticks = 1000.0;
    scripted_book bids;
    two_levels(bids, 300, 300, 100, 100);  // rho = 0.5: centre 1505
    const quote_pair up = imb_quotes(c, bids, qty{0});
    REQUIRE(up.bid.active);
    REQUIRE(up.ask.active);
    CHECK(up.bid.px == price{1009});  // one increment below the 1010 ask
    CHECK(up.ask.px == price{1508});
    c.imbalance_skew_ticks = 0.0;
    c.inventory_skew_ticks = 10'000.0;
    scripted_book sb;
    two_levels(sb, 200, 200, 200, 200);
    const quote_pair lng = imb_quotes(c, sb, qty{500});  // centre 1005 - 10,000
    REQUIRE(lng.ask.active);
    CHECK(lng.ask.px == price{1001});  // one increment above the 1000 bid
    CHECK_FALSE(lng.bid.active);       // max_position reached
    const quote_pair sht = imb_quotes(c, sb, qty{-499});
    REQUIRE(sht.bid.active);
    CHECK(sht.bid.px == price{1009});
    CHECK(sht.bid.size == qty{100});
    CHECK(sht.ask.size == qty{1});
}

TEST_CASE("imbalance_mm: max_position shrinks or removes a side; 0 quotes nothing") {
    imbalance_mm_config c = imb_plain();
    c.max_position = qty{150};
    scripted_book sb;
    two_levels(sb, 200, 200, 200, 200);
    const quote_pair part = imb_quotes(c, sb, qty{100});
    REQUIRE(part.bid.active);
    CHECK(part.bid.size == qty{50});
    CHECK(part.ask.size == qty{100});
    const quote_pair full = imb_quotes(c, sb, qty{150});
    CHECK_FALSE(full.bid.active);
    CHECK(full.ask.active);
    const quote_pair sh = imb_quotes(c, sb, qty{-150});
    CHECK_FALSE(sh.ask.active);
    CHECK(sh.bid.active);
    c.max_position = qty{0};
    CHECK(no_quotes(imb_quotes(c, sb, qty{0})));
}

TEST_CASE("imbalance_mm: no quotes before warm-up, while halted, or on a one-sided, crossed or locked book") {
    imbalance_mm_config c = imb_plain();
    c.vol.warmup_seconds = 10.0;
    scripted_book sb;
    two_levels(sb, 200, 200, 200, 200);
    {
        imbalance_mm cold{c};
        CHECK(no_quotes(cold.on_market(sb.at(t0, qty{0}))));
        CHECK(no_quotes(cold.on_market(sb.at(t1, qty{0}))));  // 1 s of 10
        CHECK_FALSE(no_quotes(cold.on_market(sb.at(t0 + duration{10 * ns_per_s}, qty{0}))));
    }
    imbalance_mm s{imb_plain()};
    REQUIRE(no_quotes(s.on_market(sb.at(t0, qty{0}))));
    REQUIRE_FALSE(no_quotes(s.on_market(sb.at(t1, qty{0}))));  // warm
    CHECK(no_quotes(s.on_market(sb.at(t1, qty{0}, false))));  // halted

    scripted_book bids_only;
    bids_only.set(side::buy, 1000, 100);
    CHECK(no_quotes(s.on_market(bids_only.at(t1, qty{0}))));
    scripted_book asks_only;
    asks_only.set(side::sell, 1010, 100);
    CHECK(no_quotes(s.on_market(asks_only.at(t1, qty{0}))));
    scripted_book crossed;
    crossed.set(side::buy, 1010, 100);
    crossed.set(side::sell, 1005, 100);
    CHECK(no_quotes(s.on_market(crossed.at(t1, qty{0}))));
    scripted_book locked;
    locked.set(side::buy, 1005, 100);
    locked.set(side::sell, 1005, 100);
    CHECK(no_quotes(s.on_market(locked.at(t1, qty{0}))));

    // A top of book that claims two sides over a book whose DepthView lacks one: no fair price.
    market_snapshot claimed = top(t1, 1000, 1010);
    market_event e{};
    const market_update<depth_book> u{e, claimed, bids_only.book, qty{0}};
    CHECK(no_quotes(s.on_market(u)));
    // And the same strategy still quotes a good update afterwards.
    CHECK_FALSE(no_quotes(s.on_market(sb.at(t1, qty{0}))));
}

TEST_CASE("imbalance_mm: an l3_book gives the same quotes as a depth_book with the same levels") {
    l3_book_config lc{};
    lc.max_orders = 64;
    lc.max_levels_per_side = 16;
    l3_book l3{lc};
    std::uint64_t id = 0;
    const auto add = [&](side s, std::int64_t px, std::int64_t lots) {
        REQUIRE(l3.add(order_id{++id}, s, price{px}, qty{lots}) == status::ok);
    };
    // Two orders at 1000 so the level is aggregated; same sizes as the scenario's t1 book.
    add(side::buy, 1001, 300);
    add(side::buy, 1000, 150);
    add(side::buy, 1000, 50);
    add(side::sell, 1011, 100);
    add(side::sell, 1012, 200);
    market_snapshot snap = top(t0, 1001, 1011);
    market_event e{};
    imbalance_mm on_l3{imb_scenario()};
    REQUIRE(no_quotes(on_l3.on_market(market_update<l3_book>{e, snap, l3, qty{100}})));
    snap.ts = t1;
    const quote_pair a = on_l3.on_market(market_update<l3_book>{e, snap, l3, qty{100}});

    scripted_book sb;
    sb.set(side::buy, 1001, 300);
    sb.set(side::buy, 1000, 200);
    sb.set(side::sell, 1011, 100);
    sb.set(side::sell, 1012, 200);
    imbalance_mm on_depth{imb_scenario()};
    REQUIRE(no_quotes(on_depth.on_market(sb.at(t0, qty{100}))));
    const quote_pair b = on_depth.on_market(sb.at(t1, qty{100}));
    REQUIRE(a.bid.active);
    REQUIRE(a.ask.active);
    CHECK(a.bid.px == b.bid.px);
    CHECK(a.ask.px == b.ask.px);
    // sigma = 0 here (same mid twice): centre 1006.667, half 2 + 8 * 0.25 = 4.
    CHECK(a.bid.px == price{1002});  // floor(1002.667)
    CHECK(a.ask.px == price{1011});  // ceil(1010.667)
}

TEST_CASE("imbalance_mm: runs on the DepthView archetype (it asks for nothing beyond the concept)") {
    pinnacle_test::archetype_book book;
    market_event e{};
    e.type = event_type::add;
    e.side = side::buy;
    e.px = price{1000};
    e.size = qty{300};
    REQUIRE(book.apply(e) == status::ok);
    e.side = side::sell;
    e.px = price{1010};
    e.size = qty{100};
    REQUIRE(book.apply(e) == status::ok);
    imbalance_mm_config c = imb_plain();
    c.fair = fair_price_source::weighted_mid;
    c.imbalance_skew_ticks = 4.0;
    imbalance_mm s{c};
    market_snapshot snap = top(t0, 1000, 1010);
    REQUIRE(no_quotes(s.on_market(market_update<pinnacle_test::archetype_book>{e, snap, book, qty{0}})));
    snap.ts = t1;
    const quote_pair qp = s.on_market(market_update<pinnacle_test::archetype_book>{e, snap, book, qty{0}});
    // weighted mid 1000 + 10 * 300/400 = 1007.5; rho = 0.5: centre 1009.5, half 3.
    REQUIRE(qp.bid.active);
    REQUIRE(qp.ask.active);
    CHECK(qp.bid.px == price{1006});  // 1006.5 floored
    CHECK(qp.ask.px == price{1013});  // 1012.5 ceiled
}

TEST_CASE("imbalance_mm: fills are counted") {
    imbalance_mm s{imb_plain()};
    execution_report r{};
    r.type = exec_type::fill;
    r.side = side::sell;
    r.last_qty = qty{40};
    s.on_execution(r);
    r.type = exec_type::canceled;
    s.on_execution(r);
    CHECK(s.fills() == 1);
    CHECK(s.sold() == qty{40});
    CHECK(s.bought() == qty{0});
}

TEST_CASE("imbalance_mm: settings are validated") {
    CHECK(imbalance_mm::check(imbalance_mm_config{}).empty());
    const auto rejects = [](auto mutate) {
        imbalance_mm_config c{};
        mutate(c);
        CHECK_FALSE(imbalance_mm::check(c).empty());
        CHECK_THROWS_AS(imbalance_mm{c}, std::invalid_argument);
    };
    rejects([](imbalance_mm_config& c) { c.fair = static_cast<fair_price_source>(7); });
    rejects([](imbalance_mm_config& c) { c.microprice_levels = 0; });
    rejects([](imbalance_mm_config& c) { c.microprice_decay = 1.5; });
    rejects([](imbalance_mm_config& c) { c.microprice_decay = std::numeric_limits<double>::quiet_NaN(); });
    rejects([](imbalance_mm_config& c) { c.imbalance_levels = 0; });
    rejects([](imbalance_mm_config& c) { c.base_half_spread_ticks = -1.0; });
    rejects([](imbalance_mm_config& c) { c.vol_spread_coeff = std::numeric_limits<double>::infinity(); });
    rejects([](imbalance_mm_config& c) { c.imbalance_spread_ticks = -0.5; });
    rejects([](imbalance_mm_config& c) { c.imbalance_skew_ticks = std::numeric_limits<double>::quiet_NaN(); });
    rejects([](imbalance_mm_config& c) { c.inventory_skew_ticks = -1.0; });
    rejects([](imbalance_mm_config& c) { c.order_qty = qty{0}; });
    rejects([](imbalance_mm_config& c) { c.max_position = qty{-1}; });
    rejects([](imbalance_mm_config& c) { c.quote_increment = 0; });
    rejects([](imbalance_mm_config& c) { c.min_spread_ticks = -1; });
    rejects([](imbalance_mm_config& c) { c.vol.warmup_seconds = -1.0; });
}
