// Tests for signal/imbalance.hpp, signal/microprice.hpp, signal/intensity.hpp and signal/vpin.hpp.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

#include "alloc_counter.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/signal/imbalance.hpp"
#include "pinnacle/signal/intensity.hpp"
#include "pinnacle/signal/microprice.hpp"
#include "pinnacle/signal/vpin.hpp"

using namespace pinnacle;

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double pinf = std::numeric_limits<double>::infinity();

/// The smallest DepthView: up to 4 fixed levels per side, nothing else (also proves the signals ask
/// for no more than the concept). Unlike the real books it can hold zero-size levels.
struct fixed_view {
    std::array<level_info, 4> bids{};
    std::array<level_info, 4> asks{};
    std::size_t nb = 0;
    std::size_t na = 0;
    [[nodiscard]] std::size_t depth(side s) const noexcept { return s == side::buy ? nb : na; }
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept { return s == side::buy ? bids[i] : asks[i]; }
    void bid(std::int64_t px, std::int64_t size) { bids[nb++] = level_info{price{px}, qty{size}, 1}; }
    void ask(std::int64_t px, std::int64_t size) { asks[na++] = level_info{price{px}, qty{size}, 1}; }
};
static_assert(DepthView<fixed_view>);

// The reference book used by the imbalance and microprice tests (ticks, lots):
//   bids 100 x 10, 99 x 30, 98 x 60      asks 101 x 20, 102 x 20, 103 x 100
depth_book make_depth_book() {
    depth_book b(16);
    REQUIRE(b.update(side::buy, price{100}, qty{10}) == status::ok);
    REQUIRE(b.update(side::buy, price{99}, qty{30}) == status::ok);
    REQUIRE(b.update(side::buy, price{98}, qty{60}) == status::ok);
    REQUIRE(b.update(side::sell, price{101}, qty{20}) == status::ok);
    REQUIRE(b.update(side::sell, price{102}, qty{20}) == status::ok);
    REQUIRE(b.update(side::sell, price{103}, qty{100}) == status::ok);
    return b;
}

// The same levels built order by order, several orders per level.
void fill_l3_book(l3_book& b) {
    std::uint64_t id = 1;
    auto add = [&](side s, std::int64_t px, std::int64_t q) { REQUIRE(b.add(order_id{id++}, s, price{px}, qty{q}) == status::ok); };
    add(side::buy, 100, 4);
    add(side::buy, 100, 6);
    add(side::buy, 99, 30);
    add(side::buy, 98, 50);
    add(side::buy, 98, 10);
    add(side::sell, 101, 20);
    add(side::sell, 102, 5);
    add(side::sell, 102, 15);
    add(side::sell, 103, 100);
}

l3_book_config small_l3() { return l3_book_config{1024, 64}; }

timestamp at_ns(std::int64_t ns) { return timestamp{ns}; }

// Literal transcription of Cont, Kukanov & Stoikov (2014)'s e_n with indicator functions.
std::int64_t cks_e(std::int64_t pb, std::int64_t qb, std::int64_t pa, std::int64_t qa, std::int64_t pb0, std::int64_t qb0,
                   std::int64_t pa0, std::int64_t qa0) {
    auto ind = [](bool c) -> std::int64_t { return c ? 1 : 0; };
    return ind(pb >= pb0) * qb - ind(pb <= pb0) * qb0 - ind(pa <= pa0) * qa + ind(pa >= pa0) * qa0;
}

} // namespace

// ---- imbalance ---------------------------------------------------------------------------------

TEST_CASE("book_imbalance: hand-computed values over 1, 2, 3 and more levels than the book has") {
    const depth_book d = make_depth_book();
    l3_book l3(small_l3());
    fill_l3_book(l3);
    // (10 - 20) / 30, (40 - 40) / 80, (100 - 140) / 240; 10 levels = all 3; 0 levels = no signal.
    CHECK(book_imbalance(d, 1) == -1.0 / 3.0);
    CHECK(book_imbalance(d, 2) == 0.0);
    CHECK(book_imbalance(d, 3) == -1.0 / 6.0);
    CHECK(book_imbalance(d, 10) == -1.0 / 6.0);
    CHECK(book_imbalance(d, 0) == 0.0);
    // The L3 book aggregates its orders into the same levels, so the same numbers.
    CHECK(book_imbalance(l3, 1) == -1.0 / 3.0);
    CHECK(book_imbalance(l3, 2) == 0.0);
    CHECK(book_imbalance(l3, 3) == -1.0 / 6.0);
    CHECK(book_imbalance(l3, 1000) == -1.0 / 6.0);
    CHECK(depth_size(l3, side::buy, 2) == 40);
    CHECK(depth_size(l3, side::sell, 99) == 140);
}

TEST_CASE("book_imbalance: empty book, one empty side, zero sizes") {
    depth_book d(8);
    CHECK(book_imbalance(d, 5) == 0.0);
    CHECK(weighted_book_imbalance(d, 5, 0.5) == 0.0);
    REQUIRE(d.update(side::buy, price{100}, qty{7}) == status::ok);
    CHECK(book_imbalance(d, 5) == 1.0);                 // only bids
    CHECK(weighted_book_imbalance(d, 5, 0.5) == 1.0);
    d.clear();
    REQUIRE(d.update(side::sell, price{100}, qty{7}) == status::ok);
    CHECK(book_imbalance(d, 1) == -1.0);                // only asks
    CHECK(weighted_book_imbalance(d, 1, 0.0) == -1.0);

    fixed_view z;  // levels that exist but hold nothing
    z.bid(100, 0);
    z.ask(101, 0);
    CHECK(book_imbalance(z, 3) == 0.0);
    CHECK(weighted_book_imbalance(z, 3, 0.5) == 0.0);
    z.ask(102, 9);  // zero at the touch, size behind it
    CHECK(book_imbalance(z, 1) == 0.0);
    CHECK(book_imbalance(z, 2) == -1.0);
}

TEST_CASE("weighted_book_imbalance: geometric level weights, hand-computed") {
    const depth_book d = make_depth_book();
    l3_book l3(small_l3());
    fill_l3_book(l3);
    // decay 0.5: bid 10 + 0.5*30 + 0.25*60 = 40, ask 20 + 0.5*20 + 0.25*100 = 55 -> -15/95 = -3/19.
    CHECK(weighted_book_imbalance(d, 3, 0.5) == doctest::Approx(-3.0 / 19.0).epsilon(1e-15));
    CHECK(weighted_book_imbalance(l3, 3, 0.5) == doctest::Approx(-3.0 / 19.0).epsilon(1e-15));
    CHECK(weighted_depth_size(d, side::buy, 3, 0.5) == 40.0);
    CHECK(weighted_depth_size(d, side::sell, 3, 0.5) == 55.0);
    // Two levels: bid 25, ask 30 -> -5/55 = -1/11.
    CHECK(weighted_book_imbalance(d, 2, 0.5) == doctest::Approx(-1.0 / 11.0).epsilon(1e-15));
    // decay 1 is the unweighted imbalance, decay 0 the best level only.
    CHECK(weighted_book_imbalance(d, 3, 1.0) == book_imbalance(d, 3));
    CHECK(weighted_book_imbalance(d, 3, 0.0) == book_imbalance(d, 1));
    CHECK(weighted_book_imbalance(d, 50, 0.5) == weighted_book_imbalance(d, 3, 0.5));
    // A bad decay gives no signal instead of NaN or a value outside [-1, 1].
    CHECK(weighted_book_imbalance(d, 3, -0.1) == 0.0);
    CHECK(weighted_book_imbalance(d, 3, 1.5) == 0.0);
    CHECK(weighted_book_imbalance(d, 3, qnan) == 0.0);
    CHECK(weighted_book_imbalance(d, 3, pinf) == 0.0);
}

TEST_CASE("order_flow_imbalance: scripted sequence matches the paper's e_n term by term") {
    struct tob {
        std::int64_t pb, qb, pa, qa, expected;
    };
    // Hand-computed e_n (bid part + ask part):
    const std::vector<tob> seq{
        {100, 10, 101, 20, 0},    // first state: recorded only
        {100, 15, 101, 20, 5},    // same bid px: +15 - 10; same ask: -20 + 20
        {100, 15, 101, 12, 8},    // ask size falls at the same price: -12 + 20
        {101, 7, 102, 12, 19},    // bid up: +7; ask up: +12 (old ask size consumed or cancelled)
        {100, 30, 102, 5, 0},     // bid down: -7; same ask: -5 + 12
        {100, 30, 101, 9, -9},    // same bid: 0; ask down: -9
        {99, 4, 100, 6, -36},     // bid down: -30; ask down: -6
        {99, 4, 100, 6, 0},       // nothing changed
    };
    order_flow_imbalance ofi;
    CHECK_FALSE(ofi.primed());
    std::int64_t sum = 0;
    for (std::size_t n = 0; n < seq.size(); ++n) {
        const tob& s = seq[n];
        const qty e = ofi.update(price{s.pb}, qty{s.qb}, price{s.pa}, qty{s.qa});
        CAPTURE(n);
        CHECK(e.lots() == s.expected);
        if (n > 0) {
            const tob& p = seq[n - 1];
            CHECK(e.lots() == cks_e(s.pb, s.qb, s.pa, s.qa, p.pb, p.qb, p.pa, p.qa));
        }
        sum += s.expected;
    }
    CHECK(sum == -13);
    CHECK(ofi.total().lots() == -13);
    CHECK(ofi.updates() == seq.size());
    CHECK(ofi.primed());
    ofi.reset_total();  // new interval: the last state is kept
    CHECK(ofi.total().lots() == 0);
    CHECK(ofi.update(price{99}, qty{10}, price{100}, qty{6}).lots() == 6);
    ofi.reset();
    CHECK_FALSE(ofi.primed());
    CHECK(ofi.update(price{99}, qty{10}, price{100}, qty{6}).lots() == 0);
}

TEST_CASE("order_flow_imbalance: random top-of-book walk agrees with the literal formula") {
    std::mt19937_64 gen(20140101);
    order_flow_imbalance ofi;
    std::int64_t pb0 = 1000, qb0 = 50, pa0 = 1001, qa0 = 50, sum = 0;
    (void)ofi.update(price{pb0}, qty{qb0}, price{pa0}, qty{qa0});
    for (int n = 0; n < 5000; ++n) {
        const std::int64_t pb = pb0 + static_cast<std::int64_t>(gen() % 3) - 1;
        const std::int64_t pa = std::max(pb + 1, pa0 + static_cast<std::int64_t>(gen() % 3) - 1);
        const std::int64_t qb = 1 + static_cast<std::int64_t>(gen() % 100);
        const std::int64_t qa = 1 + static_cast<std::int64_t>(gen() % 100);
        const std::int64_t want = cks_e(pb, qb, pa, qa, pb0, qb0, pa0, qa0);
        REQUIRE(ofi.update(price{pb}, qty{qb}, price{pa}, qty{qa}).lots() == want);
        sum += want;
        pb0 = pb, qb0 = qb, pa0 = pa, qa0 = qa;
    }
    CHECK(ofi.total().lots() == sum);
}

TEST_CASE("order_flow_imbalance: fed from a book, an emptied side removes its size and a new one adds it") {
    depth_book d(8);
    REQUIRE(d.update(side::buy, price{100}, qty{10}) == status::ok);
    REQUIRE(d.update(side::sell, price{101}, qty{20}) == status::ok);
    order_flow_imbalance ofi;
    CHECK(ofi.update(d).lots() == 0);
    REQUIRE(d.update(side::buy, price{100}, qty{25}) == status::ok);
    CHECK(ofi.update(d).lots() == 15);                   // +25 - 10
    REQUIRE(d.update(side::buy, price{100}, qty{0}) == status::ok);
    CHECK(ofi.update(d).lots() == -25);                  // the bid vanished
    CHECK(ofi.update(d).lots() == 0);                    // still empty: nothing moved
    REQUIRE(d.update(side::buy, price{99}, qty{4}) == status::ok);
    CHECK(ofi.update(d).lots() == 4);                    // a bid appears
    REQUIRE(d.update(side::sell, price{101}, qty{0}) == status::ok);
    CHECK(ofi.update(d).lots() == 20);                   // the ask vanished: +q^A_{n-1}
    REQUIRE(d.update(side::sell, price{105}, qty{3}) == status::ok);
    CHECK(ofi.update(d).lots() == -3);                   // an ask appears
    CHECK(ofi.total().lots() == 15 - 25 + 4 + 20 - 3);

    l3_book l3(small_l3());
    fill_l3_book(l3);
    order_flow_imbalance o3;
    (void)o3.update(l3);
    REQUIRE(l3.execute(order_id{1}, qty{4}) == status::ok);  // 4 lots of the best bid traded away
    CHECK(o3.update(l3).lots() == -4);
}

// ---- microprice --------------------------------------------------------------------------------

TEST_CASE("weighted_mid: Stoikov's weighted mid, hand-computed, on both books") {
    const depth_book d = make_depth_book();
    l3_book l3(small_l3());
    fill_l3_book(l3);
    // (100 * 20 + 101 * 10) / 30 = 3010 / 30 = 100.333...: the heavier ask pulls toward the bid.
    REQUIRE(weighted_mid(d).has_value());
    CHECK(*weighted_mid(d) == doctest::Approx(3010.0 / 30.0).epsilon(1e-15));
    CHECK(*weighted_mid(l3) == doctest::Approx(3010.0 / 30.0).epsilon(1e-15));

    fixed_view v;  // (100 * 100 + 102 * 300) / 400 = 101.5, exactly
    v.bid(100, 300);
    v.ask(102, 100);
    CHECK(*weighted_mid(v) == 101.5);
    CHECK(imbalance_weighted_price(price{100}, 300.0, price{102}, 100.0) == 101.5);
    CHECK(imbalance_weighted_price(price{100}, 100.0, price{102}, 300.0) == 100.5);
    // Prices far from 0: the result is exact when the fraction of the spread is.
    CHECK(imbalance_weighted_price(price{2'000'000}, 3.0, price{2'000'100}, 1.0) == 2'000'075.0);
}

TEST_CASE("weighted_mid: missing side, zero sizes") {
    depth_book d(8);
    CHECK_FALSE(weighted_mid(d).has_value());
    CHECK_FALSE(multi_level_microprice(d, 3, 0.5).has_value());
    REQUIRE(d.update(side::buy, price{100}, qty{5}) == status::ok);
    CHECK_FALSE(weighted_mid(d).has_value());
    CHECK_FALSE(multi_level_microprice(d, 3, 0.5).has_value());
    d.clear();
    REQUIRE(d.update(side::sell, price{100}, qty{5}) == status::ok);
    CHECK_FALSE(weighted_mid(d).has_value());

    fixed_view z;
    z.bid(100, 0);
    z.ask(103, 0);
    CHECK(*weighted_mid(z) == 101.5);                     // no size anywhere: the mid
    CHECK(*multi_level_microprice(z, 4, 0.5) == 101.5);
    fixed_view one;
    one.bid(100, 0);
    one.ask(103, 8);
    CHECK(*weighted_mid(one) == 100.0);                   // nothing bid: W = P_bid
}

TEST_CASE("multi_level_microprice: depth-weighted sizes in the weighted-mid formula") {
    const depth_book d = make_depth_book();
    l3_book l3(small_l3());
    fill_l3_book(l3);
    // decay 0.5 over 3 levels: Q~_bid = 40, Q~_ask = 55 -> (100 * 55 + 101 * 40) / 95 = 9540 / 95.
    CHECK(*multi_level_microprice(d, 3, 0.5) == doctest::Approx(9540.0 / 95.0).epsilon(1e-15));
    CHECK(*multi_level_microprice(l3, 3, 0.5) == doctest::Approx(9540.0 / 95.0).epsilon(1e-15));
    // decay 1 over 3 levels: 100 + 100 / 240 (bid 100 lots, ask 140).
    CHECK(*multi_level_microprice(d, 3, 1.0) == doctest::Approx(100.0 + 100.0 / 240.0).epsilon(1e-15));
    // One level (or decay 0) is the weighted mid; more levels than the book has use what there is.
    CHECK(*multi_level_microprice(d, 1, 0.5) == *weighted_mid(d));
    CHECK(*multi_level_microprice(d, 3, 0.0) == *weighted_mid(d));
    CHECK(*multi_level_microprice(d, 99, 0.5) == *multi_level_microprice(d, 3, 0.5));
    CHECK(*multi_level_microprice(d, 0, 0.5) == 100.5);  // no level weighed: the mid
    CHECK_FALSE(multi_level_microprice(d, 3, -1.0).has_value());
    CHECK_FALSE(multi_level_microprice(d, 3, 2.0).has_value());
    CHECK_FALSE(multi_level_microprice(d, 3, qnan).has_value());
}

// ---- intensity ---------------------------------------------------------------------------------

TEST_CASE("intensity_estimator: tail counts and an exact fit on hand-made data") {
    // 10 s observed; 20 trades at 0.5, 10 at 1.5, 10 at 2.5 ticks from the mid. Tail counts at
    // thresholds 0, 1, 2 ticks: 40, 20, 10 -> rates 4, 2, 1 per second: A = 4/s, k = ln 2 per tick.
    intensity_estimator est(intensity_estimator_config{1.0, 3, 1});
    const timestamp t0{34'200 * ns_per_s};
    est.on_time(t0);
    int i = 0;
    auto trade = [&](double delta) { est.on_trade(t0 + duration{(++i) * ns_per_s / 5}, delta); };
    for (int n = 0; n < 20; ++n) trade(0.5);
    for (int n = 0; n < 10; ++n) trade(1.5);
    for (int n = 0; n < 10; ++n) trade(2.5);
    est.on_time(t0 + duration{10 * ns_per_s});
    CHECK(est.trades() == 40);
    CHECK(est.observed_seconds() == 10.0);
    CHECK(est.tail_count(0) == 40);
    CHECK(est.tail_count(1) == 20);
    CHECK(est.tail_count(2) == 10);
    CHECK(est.tail_count(3) == 0);
    CHECK(est.rate(0) == 4.0);
    CHECK(est.rate(2) == 1.0);
    const auto f = est.fit();
    REQUIRE(f.has_value());
    CHECK(f->points == 3);
    CHECK(f->a == doctest::Approx(4.0).epsilon(1e-12));
    CHECK(f->k == doctest::Approx(std::log(2.0)).epsilon(1e-12));
    CHECK(f->r_squared == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("intensity_estimator: trades past the last bucket count at every threshold; bad distances are ignored") {
    intensity_estimator est(intensity_estimator_config{0.5, 2, 1});
    est.on_trade(at_ns(0), 5.0);    // beyond 2 * 0.5
    est.on_trade(at_ns(1), 0.75);   // bucket 1
    est.on_trade(at_ns(2), 0.5);    // on the edge: bucket 1
    est.on_trade(at_ns(3), 0.0);    // bucket 0
    est.on_trade(at_ns(4), -0.1);   // far side of a stale mid
    est.on_trade(at_ns(5), qnan);
    est.on_trade(at_ns(6), pinf);
    CHECK(est.trades() == 4);
    CHECK(est.ignored() == 3);
    CHECK(est.tail_count(0) == 4);
    CHECK(est.tail_count(1) == 3);
}

TEST_CASE("intensity_estimator: nullopt without 2 usable thresholds, time, or decay") {
    intensity_estimator est(intensity_estimator_config{1.0, 4, 5});
    CHECK_FALSE(est.fit().has_value());  // nothing at all
    const timestamp t0{ns_per_s};
    for (int n = 0; n < 5; ++n) est.on_trade(t0, 0.5);
    CHECK_FALSE(est.fit().has_value());  // no time has passed
    est.on_time(t0 + duration{ns_per_s});
    CHECK_FALSE(est.fit().has_value());  // one threshold with >= 5 trades
    for (int n = 0; n < 4; ++n) est.on_trade(t0 + duration{ns_per_s}, 1.5);
    CHECK_FALSE(est.fit().has_value());  // threshold 1 has 4 < 5
    est.on_trade(t0 + duration{ns_per_s}, 1.5);
    REQUIRE(est.fit().has_value());      // now 10 and 5
    CHECK(est.fit()->points == 2);
    CHECK(est.fit()->k == doctest::Approx(std::log(2.0)).epsilon(1e-12));

    // Every trade far out: equal tail counts, no decay, the model does not apply.
    intensity_estimator flat(intensity_estimator_config{1.0, 3, 1});
    flat.on_time(t0);
    for (int n = 0; n < 10; ++n) flat.on_trade(t0 + duration{n * ns_per_s}, 7.0);
    CHECK(flat.tail_count(0) == 10);
    CHECK(flat.tail_count(2) == 10);
    CHECK_FALSE(flat.fit().has_value());
}

TEST_CASE("intensity_estimator: observed time, backward stamps and restart_clock") {
    intensity_estimator est;
    est.on_time(at_ns(5 * ns_per_s));
    est.on_time(at_ns(7 * ns_per_s));
    est.on_time(at_ns(6 * ns_per_s));   // backward: adds nothing, clock stays at 7 s
    est.on_trade(at_ns(8 * ns_per_s), 1.0);
    CHECK(est.observed_seconds() == 3.0);
    est.restart_clock(at_ns(100 * ns_per_s));  // the 92 s gap (a halt) is not observed time
    est.on_time(at_ns(101 * ns_per_s));
    CHECK(est.observed_seconds() == 4.0);
    est.reset();
    CHECK(est.observed_seconds() == 0.0);
    CHECK(est.trades() == 0);
    CHECK(est.tail_count(0) == 0);
}

TEST_CASE("intensity_estimator: recovers A and k from deterministic exponential data") {
    // 100,000 trades over 1,000 s (A = 100/s) at distances with P[delta >= x] = exp(-0.5 x) ticks:
    // the quantiles delta_i = -ln(1 - (i + 0.5) / N) / k, so every tail count is N e^{-k x} +- 1.
    constexpr int n = 100'000;
    constexpr double k_true = 0.5;
    constexpr double a_true = 100.0;
    intensity_estimator est(intensity_estimator_config{1.0, 30, 50});
    const timestamp t0{0};
    est.on_time(t0);
    for (int i = 0; i < n; ++i) {
        const double u = (static_cast<double>(i) + 0.5) / n;
        est.on_trade(t0 + duration{static_cast<std::int64_t>(i + 1) * 10'000'000}, -std::log1p(-u) / k_true);
    }
    CHECK(est.observed_seconds() == 1000.0);
    const auto f = est.fit();
    REQUIRE(f.has_value());
    CHECK(f->points == 16);  // N e^{-x/2} >= 50 for x = 0 .. 15 ticks
    CHECK(f->a == doctest::Approx(a_true).epsilon(0.002));
    CHECK(f->k == doctest::Approx(k_true).epsilon(0.002));
    CHECK(f->r_squared > 0.9999);

    // Same law from a seeded generator (mt19937_64 output is fixed by the standard; the uniform is
    // built by hand because std:: distributions differ between standard libraries), in currency:
    // k = 50 per $ (a mean reach of 2 cents) with $0.01 buckets.
    std::mt19937_64 gen(42);
    intensity_estimator cur(intensity_estimator_config{0.01, 20, 100});
    cur.on_time(t0);
    constexpr int m = 200'000;
    for (int i = 0; i < m; ++i) {
        const double u = static_cast<double>(gen() >> 11) * 0x1.0p-53;
        cur.on_trade(t0 + duration{static_cast<std::int64_t>(i + 1) * 5'000'000}, -std::log1p(-u) / 50.0);
    }
    const auto g = cur.fit();
    REQUIRE(g.has_value());
    CHECK(g->a == doctest::Approx(200.0).epsilon(0.03));  // 200,000 trades in 1,000 s
    CHECK(g->k == doctest::Approx(50.0).epsilon(0.03));
}

TEST_CASE("intensity_estimator: settings are checked") {
    CHECK(intensity_estimator::check(intensity_estimator_config{}).empty());
    CHECK_FALSE(intensity_estimator::check(intensity_estimator_config{0.0, 20, 10}).empty());
    CHECK_FALSE(intensity_estimator::check(intensity_estimator_config{qnan, 20, 10}).empty());
    CHECK_FALSE(intensity_estimator::check(intensity_estimator_config{pinf, 20, 10}).empty());
    CHECK_FALSE(intensity_estimator::check(intensity_estimator_config{1.0, 1, 10}).empty());
    CHECK_FALSE(intensity_estimator::check(intensity_estimator_config{1.0, 20, 0}).empty());
    CHECK_THROWS_AS(intensity_estimator(intensity_estimator_config{-1.0, 20, 10}), std::invalid_argument);
}

// ---- VPIN --------------------------------------------------------------------------------------

TEST_CASE("vpin: bucket splitting and the exact value on a scripted trade sequence") {
    vpin v(vpin_config{qty{10}, 3});
    CHECK_FALSE(v.ready());
    CHECK(v.value() == 0.0);
    v.on_trade(side::buy, qty{4});
    v.on_trade(side::sell, qty{3});
    v.on_trade(side::buy, qty{5});   // 3 lots close bucket 1 (B 7, S 3: |4|), 2 open bucket 2
    CHECK(v.buckets_completed() == 1);
    CHECK(v.bucket_imbalance(0) == 4.0);
    CHECK(v.open_volume().lots() == 2);
    CHECK(v.open_buy_volume() == 2.0);
    CHECK(v.value() == 4.0 / 10.0);  // one bucket so far: 4 / (1 * 10)
    CHECK_FALSE(v.ready());
    v.on_trade(side::sell, qty{12});  // 8 close bucket 2 (B 2, S 8: |6|), 4 open bucket 3
    CHECK(v.bucket_imbalance(0) == 6.0);
    CHECK(v.open_volume().lots() == 4);
    CHECK(v.open_buy_volume() == 0.0);
    v.on_trade(side::buy, qty{6});    // closes bucket 3 (S 4, B 6: |2|)
    REQUIRE(v.ready());
    CHECK(v.buckets_completed() == 3);
    CHECK(v.open_volume().lots() == 0);
    // (4 + 6 + 2) / (3 * 10) = 0.4
    CHECK(v.value() == 12.0 / 30.0);
    v.on_trade(side::sell, qty{25});  // buckets 4 and 5 all sells (|10| each), 5 lots open
    CHECK(v.buckets_completed() == 5);
    CHECK(v.open_volume().lots() == 5);
    CHECK(v.value() == (2.0 + 10.0 + 10.0) / 30.0);  // window = buckets 3, 4, 5
    CHECK(v.bucket_imbalance(2) == 2.0);
    v.on_trade(side::buy, qty{5});    // bucket 6: S 5, B 5 -> 0
    CHECK(v.value() == (10.0 + 10.0 + 0.0) / 30.0);
    v.on_trade(side::buy, qty{0});    // ignored
    v.on_trade(side::sell, qty{-3});  // ignored
    CHECK(v.buckets_completed() == 6);
    CHECK(v.open_volume().lots() == 0);
}

TEST_CASE("vpin: one trade spanning many buckets costs at most a window and counts them all") {
    vpin v(vpin_config{qty{10}, 4});
    v.on_trade(side::sell, qty{3});
    v.on_trade(side::buy, qty{1'000'000'007});  // 7 close bucket 1 (|4|), 100,000,000 whole buckets, 0 left
    CHECK(v.buckets_completed() == 100'000'001);
    CHECK(v.open_volume().lots() == 0);
    CHECK(v.ready());
    CHECK(v.value() == 1.0);  // the last four buckets are pure buys
    v.on_trade(side::sell, qty{10});
    CHECK(v.value() == 1.0);  // pure sells are as toxic as pure buys
    v.on_trade(side::sell, qty{5});
    v.on_trade(side::buy, qty{5});
    CHECK(v.value() == 0.75);
    v.reset();
    CHECK(v.buckets_completed() == 0);
    CHECK_FALSE(v.ready());
    CHECK(v.value() == 0.0);
}

TEST_CASE("vpin: bulk volume classification") {
    CHECK(vpin::bvc_buy_fraction(0.0, 1.0) == 0.5);
    CHECK(vpin::bvc_buy_fraction(1.0, 1.0) == doctest::Approx(0.8413447460685429).epsilon(1e-14));
    CHECK(vpin::bvc_buy_fraction(-1.0, 1.0) == doctest::Approx(0.15865525393145707).epsilon(1e-14));
    CHECK(vpin::bvc_buy_fraction(-0.02, 0.01) == doctest::Approx(0.02275013194817922).epsilon(1e-13));
    // The far tail keeps its relative precision (0.5 * (1 + erf(x / sqrt 2)) would give 0 here).
    CHECK(std::fabs(vpin::bvc_buy_fraction(-30.0, 1.0) / 4.906713927148764e-198 - 1.0) < 1e-12);
    CHECK(vpin::bvc_buy_fraction(3.0, 0.0) == 1.0);
    CHECK(vpin::bvc_buy_fraction(-3.0, 0.0) == 0.0);
    CHECK(vpin::bvc_buy_fraction(0.0, 0.0) == 0.5);
    CHECK(vpin::bvc_buy_fraction(3.0, pinf) == 0.5);
    CHECK(vpin::bvc_buy_fraction(pinf, pinf) == 0.5);
    CHECK(vpin::bvc_buy_fraction(qnan, 1.0) == 0.5);

    vpin v(vpin_config{qty{10}, 2});
    v.on_volume(qty{15}, 0.75);  // bucket 1: 7.5 buy, 2.5 sell -> 5; 5 lots open with 3.75 buy
    CHECK(v.buckets_completed() == 1);
    CHECK(v.value() == 0.5);
    CHECK(v.open_buy_volume() == 3.75);
    v.on_volume(qty{5}, 0.25);   // bucket 2: 3.75 + 1.25 = 5 buy, 5 sell -> 0
    CHECK(v.value() == 0.25);    // (5 + 0) / 20
    v.on_volume(qty{10}, 2.0);   // fraction clamped to 1: bucket 3 all buys -> 10
    CHECK(v.value() == 0.5);     // (0 + 10) / 20
    v.on_volume(qty{10}, qnan);  // ignored
    CHECK(v.buckets_completed() == 3);
}

TEST_CASE("vpin: settings are checked") {
    CHECK(vpin::check(vpin_config{qty{100}, 50}).empty());
    CHECK_FALSE(vpin::check(vpin_config{}).empty());  // no default bucket size
    CHECK_FALSE(vpin::check(vpin_config{qty{-5}, 50}).empty());
    CHECK_FALSE(vpin::check(vpin_config{qty{100}, 0}).empty());
    CHECK_THROWS_AS(vpin(vpin_config{qty{0}, 50}), std::invalid_argument);
}

// ---- hot paths -----------------------------------------------------------------------------------

TEST_CASE("signals allocate only in their constructors") {
    const depth_book d = make_depth_book();
    order_flow_imbalance ofi;
    intensity_estimator est(intensity_estimator_config{1.0, 10, 1});
    vpin v(vpin_config{qty{10}, 5});
    double sink = 0.0;
    pinnacle_test::allocations() = 0;
    pinnacle_test::counting() = true;
    for (int i = 0; i < 100; ++i) {
        sink += book_imbalance(d, 3) + weighted_book_imbalance(d, 3, 0.5);
        sink += weighted_mid(d).value_or(0.0) + multi_level_microprice(d, 3, 0.5).value_or(0.0);
        sink += static_cast<double>(ofi.update(d).lots());
        est.on_trade(timestamp{i * ns_per_s}, 0.5 + static_cast<double>(i % 4));
        v.on_trade(i % 3 == 0 ? side::sell : side::buy, qty{7});
        v.on_volume(qty{4}, 0.3);
    }
    const auto f = est.fit();
    pinnacle_test::counting() = false;
    CHECK(pinnacle_test::allocations() == 0);
    CHECK(f.has_value());
    CHECK(v.ready());
    CHECK(std::isfinite(sink));
}
