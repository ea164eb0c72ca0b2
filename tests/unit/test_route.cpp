// Smart order routing: consolidated book, the venue split (BEST_PRICE, LIQUIDITY_SWEEP), TWAP,
// VWAP and Almgren–Chriss schedules, the controls (limit, slippage, venue share, deadline), and the
// parent tracker's fills, average price and shortfall. Books come from tests/data/route/*.book
// (one level per line: VENUE SIDE PRICE SIZE; "costs VENUE TAKER_TICKS TAKER_BPS LATENCY_NS").
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/random.hpp"
#include "pinnacle/route/controls.hpp"
#include "pinnacle/route/largest_remainder.hpp"
#include "pinnacle/route/market_impact.hpp"
#include "pinnacle/route/scheduled_router.hpp"
#include "pinnacle/route/schedules.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/consolidated_book.hpp"
#include "pinnacle/route/parent_tracker.hpp"
#include "pinnacle/route/routing_session.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

using namespace pinnacle;

namespace {

constexpr std::size_t max_venues = 8;
constexpr std::size_t max_depth = 10;

// Books of up to max_venues venues read from a scripted file, with their venue_quote views.
struct scripted_market {
    std::vector<depth_book> books;
    std::array<venue_costs, max_venues> costs{};
    consolidated_book<depth_book, max_venues> cb;
    std::array<level_info, 2 * max_depth * max_venues> storage{};
    std::array<venue_quote, max_venues> quotes{};
    std::size_t n = 0;

    explicit scripted_market(const std::string& name, double penalty_ticks_per_ms = 0.0) : cb(penalty_ticks_per_ms) {
        const auto path = std::filesystem::path(PINNACLE_TEST_DATA_DIR) / "route" / name;
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot open " + path.string());
        books.reserve(max_venues);
        for (std::size_t v = 0; v < max_venues; ++v) books.emplace_back(max_depth);
        std::size_t used = 0;
        std::string line;
        for (int ln = 1; std::getline(in, line); ++ln) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ls(line);
            std::string first;
            ls >> first;
            const auto where = path.string() + ":" + std::to_string(ln);
            if (first == "costs") {
                std::size_t v = 0;
                std::int64_t ticks = 0, lat = 0;
                double bps = 0.0;
                if (!(ls >> v >> ticks >> bps >> lat) || v >= max_venues) throw std::runtime_error(where + ": bad costs line");
                costs[v].taker_ticks_per_lot = ticks;
                costs[v].taker_bps = bps;
                costs[v].latency = duration{lat};
                continue;
            }
            std::string s;
            std::int64_t px = 0, size = 0;
            const std::size_t v = static_cast<std::size_t>(std::stoul(first));
            if (!(ls >> s >> px >> size) || v >= max_venues || (s != "buy" && s != "sell"))
                throw std::runtime_error(where + ": expected VENUE buy|sell PRICE SIZE");
            if (books[v].update(s == "buy" ? side::buy : side::sell, price{px}, qty{size}) != status::ok)
                throw std::runtime_error(where + ": level rejected");
            used = std::max(used, v + 1);
        }
        for (std::size_t v = 0; v < used; ++v)
            if (cb.add_venue(books[v], costs[v]) != status::ok) throw std::runtime_error("too many venues");
        n = cb.snapshot(max_depth, storage, quotes);
        if (n != used) throw std::runtime_error("snapshot failed");
    }
    std::span<const venue_quote> view() const { return {quotes.data(), n}; }
};

parent_order parent(side s, std::int64_t total, std::int64_t limit, std::int64_t arrival = 10'000, std::uint64_t id = 1,
                    std::int64_t start = 0, std::int64_t deadline = 1'000'000'000) {
    parent_order p;
    p.id = order_id{id};
    p.side = s;
    p.total = qty{total};
    p.limit = price{limit};
    p.arrival = price{arrival};
    p.start = timestamp{start};
    p.deadline = timestamp{deadline};
    return p;
}

const child_order* at_venue(std::span<const child_order> cs, std::uint32_t v) {
    for (const auto& c : cs)
        if (c.venue == v) return &c;
    return nullptr;
}

std::int64_t lots(std::span<const child_order> cs) {
    std::int64_t s = 0;
    for (const auto& c : cs) s += c.size.lots();
    return s;
}

std::int64_t lots(std::span<const slice> ss) {
    std::int64_t s = 0;
    for (const auto& x : ss) s += x.size.lots();
    return s;
}

execution_report report(const child_order& c, exec_type t, std::int64_t last_qty = 0, std::int64_t last_px = 0, std::int64_t fee = 0) {
    execution_report r;
    r.cl_ord_id = c.id;
    r.type = t;
    r.side = c.side;
    r.px = c.px;
    r.last_px = price{last_px};
    r.last_qty = qty{last_qty};
    r.fee = notional{fee};
    return r;
}

// Fills every child in full at its limit price, no fee.
template <class R>
void fill_all(R& r, std::span<const child_order> cs) {
    for (const auto& c : cs) (void)r.on_child_report(report(c, exec_type::fill, c.size.lots(), c.px.ticks()));
}

} // namespace

TEST_CASE("route: the scripted-book reader rejects a missing file") {
    CHECK_THROWS_AS(scripted_market("no_such.book"), std::runtime_error);
}

TEST_CASE("route: consolidated book — best bid and offer across venues, merged depth, effective price") {
    scripted_market m("three_venues.book");
    REQUIRE(m.cb.venues() == 3);
    const auto bb = m.cb.best_bid();
    const auto ba = m.cb.best_ask();
    REQUIRE(bb);
    REQUIRE(ba);
    CHECK(bb->venue == 1);
    CHECK(bb->level.px == price{10'001});
    CHECK(ba->venue == 1);
    CHECK(ba->level.px == price{10'009});
    CHECK(ba->level.size == qty{50});

    std::array<venue_level, 7> asks{};
    REQUIRE(m.cb.merged(side::sell, asks) == 7);
    const std::array<std::pair<std::uint32_t, std::int64_t>, 7> want{
        {{1, 10'009}, {0, 10'010}, {2, 10'010}, {0, 10'011}, {1, 10'012}, {0, 10'013}, {2, 10'015}}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(asks[i].venue == want[i].first);
        CHECK(asks[i].level.px == price{want[i].second});
    }
    std::array<venue_level, 16> bids{};
    REQUIRE(m.cb.merged(side::buy, bids) == 5);  // all bid levels, then stops
    CHECK(bids[0].level.px == price{10'001});
    CHECK(bids[4].level.px == price{9'995});
    for (std::size_t i = 1; i < 5; ++i) CHECK(bids[i].level.px <= bids[i - 1].level.px);

    scripted_market f("three_venues_fees.book", 1.0);  // venue 2: +3 ticks per lot; venue 1: 5 ms x 1 tick/ms
    CHECK(f.cb.effective_price(2, side::buy, price{10'010}) == doctest::Approx(10'013.0));
    CHECK(f.cb.effective_price(1, side::buy, price{10'009}) == doctest::Approx(10'014.0));
    CHECK(f.cb.effective_price(1, side::sell, price{10'001}) == doctest::Approx(9'996.0));
    const auto be = f.cb.best_effective(side::buy);
    REQUIRE(be);
    CHECK(be->venue == 0);  // 10010 flat beats 10009 + 5 and 10010 + 3
}

TEST_CASE("route: effective price adds bps fees on notional") {
    venue_costs c;
    c.taker_ticks_per_lot = 2;
    c.taker_bps = 1.0;  // 1 bps of 10,000 ticks = 1 tick per lot
    c.latency = duration{2'000'000};
    CHECK(effective_price(side::buy, price{10'000}, c, 0.5) == doctest::Approx(10'004.0));
    CHECK(effective_price(side::sell, price{10'000}, c, 0.5) == doctest::Approx(9'996.0));
}

TEST_CASE("route: BEST_PRICE takes the cheapest levels across venues, one IOC child per venue") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 16> r;
    std::array<child_order, 8> out{};
    const auto n = r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{1}, out);
    REQUIRE(n == 3);
    const std::span<const child_order> cs(out.data(), n);
    CHECK(lots(cs) == 300);
    const auto* c0 = at_venue(cs, 0);
    const auto* c1 = at_venue(cs, 1);
    const auto* c2 = at_venue(cs, 2);
    REQUIRE((c0 && c1 && c2));
    CHECK(c1->size == qty{50});
    CHECK(c1->px == price{10'009});
    CHECK(c0->size == qty{100});
    CHECK(c0->px == price{10'010});
    CHECK(c2->size == qty{150});
    CHECK(c2->px == price{10'010});
    for (const auto& c : cs) {
        CHECK(c.tif == time_in_force::ioc);
        CHECK(c.side == side::buy);
        CHECK(c.send_at == timestamp{1});
    }
    CHECK(r.tracker().working() == qty{300});
    // Everything is working: a second plan sends nothing more.
    CHECK(r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{2}, out) == 0);
}

TEST_CASE("route: BEST_PRICE ranks by fee- and latency-adjusted price") {
    scripted_market m("three_venues_fees.book");
    SUBCASE("fees only") {
        best_price_router<max_venues, 16> r;
        std::array<child_order, 8> out{};
        const auto n = r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{1}, out);
        const std::span<const child_order> cs(out.data(), n);
        REQUIRE(n == 2);  // venue 2's 10010 costs 10013 with fees: worse than venue 0's 10011
        CHECK(at_venue(cs, 2) == nullptr);
        REQUIRE(at_venue(cs, 0));
        REQUIRE(at_venue(cs, 1));
        CHECK(at_venue(cs, 0)->size == qty{250});
        CHECK(at_venue(cs, 0)->px == price{10'011});
        CHECK(at_venue(cs, 1)->size == qty{50});
    }
    SUBCASE("fees and a latency penalty of 1 tick per ms") {
        route_controls c;
        c.latency_penalty_ticks_per_ms = 1.0;
        best_price_router<max_venues, 16> r(c);
        std::array<child_order, 8> out{};
        const auto n = r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{1}, out);
        const std::span<const child_order> cs(out.data(), n);
        // venue 0: 10010 x100 (10010), 10011 x200 (10011); venue 2: 10010 (10013); venue 1: 10009 (10014).
        REQUIRE(n == 1);
        CHECK(at_venue(cs, 1) == nullptr);
        CHECK(at_venue(cs, 0)->size == qty{300});
        CHECK(at_venue(cs, 0)->px == price{10'011});
    }
}

TEST_CASE("route: BEST_PRICE sells into the best bids") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 16> r;
    std::array<child_order, 8> out{};
    const auto n = r.plan(parent(side::sell, 150, 9'999), m.view(), timestamp{1}, out);
    const std::span<const child_order> cs(out.data(), n);
    REQUIRE(n == 2);
    CHECK(at_venue(cs, 1)->size == qty{80});
    CHECK(at_venue(cs, 1)->px == price{10'001});
    CHECK(at_venue(cs, 0)->size == qty{70});
    CHECK(at_venue(cs, 0)->px == price{10'000});
}

TEST_CASE("route: the limit caps price and the parent caps quantity") {
    scripted_market m("three_venues.book");
    std::array<child_order, 8> out{};
    SUBCASE("best price, buy limit 10011: only 500 lots visible within the limit") {
        best_price_router<max_venues, 16> r;
        const auto n = r.plan(parent(side::buy, 1'000, 10'011), m.view(), timestamp{1}, out);
        const std::span<const child_order> cs(out.data(), n);
        CHECK(lots(cs) == 500);
        for (const auto& c : cs) CHECK(c.px <= price{10'011});
        // The book is unchanged, the children are working: nothing more is sent.
        CHECK(r.plan(parent(side::buy, 1'000, 10'011), m.view(), timestamp{2}, out) == 0);
    }
    SUBCASE("sell limit above every bid: nothing") {
        best_price_router<max_venues, 16> r;
        CHECK(r.plan(parent(side::sell, 100, 10'002), m.view(), timestamp{1}, out) == 0);
    }
    SUBCASE("after an IOC's rest is cancelled, only the parent's remainder is re-routed") {
        best_price_router<max_venues, 16> r;
        auto n = r.plan(parent(side::buy, 120, 10'012), m.view(), timestamp{1}, out);
        std::span<const child_order> cs(out.data(), n);
        REQUIRE(lots(cs) == 120);
        for (const auto& c : cs) {
            (void)r.on_child_report(report(c, exec_type::fill, c.size.lots() / 2, c.px.ticks()));
            (void)r.on_child_report(report(c, exec_type::canceled));
        }
        const qty filled = r.tracker().filled();
        CHECK(filled.lots() == 25 + 35);
        CHECK(r.state() == parent_state::partially_filled);
        n = r.plan(parent(side::buy, 120, 10'012), m.view(), timestamp{2}, out);
        CHECK(lots(std::span<const child_order>(out.data(), n)) == 120 - filled.lots());
    }
}

TEST_CASE("route: max slippage from arrival tightens the limit") {
    scripted_market m("three_venues.book");
    std::array<child_order, 8> out{};
    route_controls c;
    c.max_slippage_bps = 9.0;  // arrival 10,000: at most 10,009
    best_price_router<max_venues, 16> r(c);
    const auto p = parent(side::buy, 300, 10'020);
    CHECK(effective_limit(p, c) == price{10'009});
    const auto n = r.plan(p, m.view(), timestamp{1}, out);
    REQUIRE(n == 1);
    CHECK(out[0].venue == 1);
    CHECK(out[0].px == price{10'009});
    CHECK(out[0].size == qty{50});
    // A sell: arrival 10,000 - 9 bps = 9,991 floor, the parent limit 9,999 is tighter.
    CHECK(effective_limit(parent(side::sell, 10, 9'999), c) == price{9'999});
    CHECK(effective_limit(parent(side::sell, 10, 9'000), c) == price{9'991});
    route_controls off;
    CHECK(effective_limit(p, off) == price{10'020});
}

TEST_CASE("route: per-venue max share") {
    scripted_market m("three_venues.book");
    route_controls c;
    c.max_venue_share = 0.2;  // 60 of 300 lots per venue
    best_price_router<max_venues, 16> r(c);
    std::array<child_order, 8> out{};
    const auto n = r.plan(parent(side::buy, 300, 10'015), m.view(), timestamp{1}, out);
    const std::span<const child_order> cs(out.data(), n);
    REQUIRE(n == 3);
    for (const auto& ch : cs) CHECK(ch.size == qty{60});
    CHECK(at_venue(cs, 1)->px == price{10'012});  // 50 at 10009, then 10 at 10012
    CHECK(at_venue(cs, 0)->px == price{10'010});
}

TEST_CASE("route: LIQUIDITY_SWEEP hits every venue at once") {
    scripted_market m("three_venues.book");
    std::array<child_order, 8> out{};
    SUBCASE("parent larger than the visible liquidity: take it all") {
        liquidity_sweep_router<max_venues, 16> r;
        const auto n = r.plan(parent(side::buy, 1'000, 10'012), m.view(), timestamp{1}, out);
        const std::span<const child_order> cs(out.data(), n);
        REQUIRE(n == 3);
        CHECK(at_venue(cs, 0)->size == qty{300});
        CHECK(at_venue(cs, 0)->px == price{10'011});
        CHECK(at_venue(cs, 1)->size == qty{450});
        CHECK(at_venue(cs, 1)->px == price{10'012});
        CHECK(at_venue(cs, 2)->size == qty{150});
        CHECK(at_venue(cs, 2)->px == price{10'010});
    }
    SUBCASE("parent smaller: pro rata 300 : 450 : 150") {
        liquidity_sweep_router<max_venues, 16> r;
        const auto n = r.plan(parent(side::buy, 450, 10'012), m.view(), timestamp{1}, out);
        const std::span<const child_order> cs(out.data(), n);
        REQUIRE(n == 3);
        CHECK(lots(cs) == 450);
        CHECK(at_venue(cs, 0)->size == qty{150});
        CHECK(at_venue(cs, 0)->px == price{10'011});
        CHECK(at_venue(cs, 1)->size == qty{225});
        CHECK(at_venue(cs, 1)->px == price{10'012});
        CHECK(at_venue(cs, 2)->size == qty{75});
        CHECK(at_venue(cs, 2)->px == price{10'010});
    }
}

TEST_CASE("route: largest remainder splits exactly") {
    std::array<qty, 3> out{};
    const std::array<double, 3> equal{1.0, 1.0, 1.0};
    REQUIRE(largest_remainder(qty{10}, equal, out) == 3);
    CHECK(out[0] == qty{4});
    CHECK(out[1] == qty{3});
    CHECK(out[2] == qty{3});
    const std::array<double, 3> w{0.5, 0.25, 0.25};
    REQUIRE(largest_remainder(qty{10}, w, out) == 3);
    CHECK(out[0] == qty{5});
    CHECK(out[1] == qty{3});
    CHECK(out[2] == qty{2});
    std::array<qty, 2> small{};
    CHECK(largest_remainder(qty{10}, w, small) == 0);
}

TEST_CASE("route: TWAP schedule — equal slices summing exactly, seeded randomisation") {
    std::array<slice, 32> s{};
    const timestamp t0{1'000}, t1{1'000 + 7'000'000'000};
    REQUIRE(twap_schedule(qty{1'000}, t0, t1, 7, s) == 7);
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK(s[i].size == qty{i < 6 ? 143 : 142});
        CHECK(s[i].at == timestamp{1'000 + static_cast<std::int64_t>(i) * 1'000'000'000});
    }
    CHECK(lots(std::span<const slice>(s.data(), 7)) == 1'000);

    std::array<slice, 32> a{}, b{}, c{};
    REQUIRE(twap_schedule(qty{1'000}, t0, t1, 20, a, 0.3, 42) == 20);
    REQUIRE(twap_schedule(qty{1'000}, t0, t1, 20, b, 0.3, 42) == 20);
    REQUIRE(twap_schedule(qty{1'000}, t0, t1, 20, c, 0.3, 43) == 20);
    CHECK(lots(std::span<const slice>(a.data(), 20)) == 1'000);
    CHECK(lots(std::span<const slice>(c.data(), 20)) == 1'000);
    bool all_equal = true, differs = false;
    for (std::size_t i = 0; i < 20; ++i) {
        CHECK(a[i].at == b[i].at);
        CHECK(a[i].size == b[i].size);
        differs = differs || a[i].size != c[i].size;
        all_equal = all_equal && a[i].size == qty{50};
        CHECK(a[i].size.lots() >= 50 * 0.7 / 1.3 - 1);
        CHECK(a[i].size.lots() <= 50 * 1.3 / 0.7 + 1);
        CHECK(a[i].at >= t0);
        CHECK(a[i].at < t1);
        if (i > 0) CHECK(a[i].at >= a[i - 1].at);
    }
    CHECK(differs);
    CHECK_FALSE(all_equal);
    CHECK(twap_schedule(qty{0}, t0, t1, 5, s) == 0);
    CHECK(twap_schedule(qty{10}, t1, t0, 5, s) == 0);
}

TEST_CASE("route: TWAP router releases due slices only, catching up on what did not fill") {
    scripted_market m("three_venues.book");
    twap_scheduler ts;
    ts.slices = 4;
    twap_router<max_venues, 16, 32> r({}, ts);
    const auto p = parent(side::buy, 200, 10'015, 10'000, 7, 0, 4'000);  // slices of 50 at 0, 1000, 2000, 3000 ns
    std::array<child_order, 8> out{};
    auto n = r.plan(p, m.view(), timestamp{0}, out);
    REQUIRE(r.schedule().size() == 4);
    CHECK(lots(std::span<const child_order>(out.data(), n)) == 50);
    fill_all(r, std::span<const child_order>(out.data(), n));
    CHECK(r.plan(p, m.view(), timestamp{999}, out) == 0);  // slice 2 not due yet
    n = r.plan(p, m.view(), timestamp{2'000}, out);        // slices 2 and 3 due
    CHECK(lots(std::span<const child_order>(out.data(), n)) == 100);
    fill_all(r, std::span<const child_order>(out.data(), n));
    n = r.plan(p, m.view(), timestamp{3'500}, out);
    CHECK(lots(std::span<const child_order>(out.data(), n)) == 50);
    fill_all(r, std::span<const child_order>(out.data(), n));
    CHECK(r.state() == parent_state::filled);
    CHECK(r.tracker().filled() == qty{200});
    CHECK(r.plan(p, m.view(), timestamp{3'600}, out) == 0);
}

namespace {
// LOBSTER executions (types 4 and 5) of the bundled AAPL sample as (time since midnight ns, size).
std::vector<trade_print> aapl_executions() {
    const auto path = std::filesystem::path(PINNACLE_TEST_DATA_DIR) / "AAPL_2012-06-21_34200000_57600000_message_10.csv";
    std::ifstream in(path);
    REQUIRE(in);
    std::vector<trade_print> out;
    std::string line;
    while (std::getline(in, line)) {
        std::array<std::string, 6> f;
        std::istringstream ls(line);
        for (auto& x : f) std::getline(ls, x, ',');
        if (f[1] != "4" && f[1] != "5") continue;
        const auto dot = f[0].find('.');
        std::string frac = dot == std::string::npos ? "" : f[0].substr(dot + 1);
        frac.resize(9, '0');
        const std::int64_t ns = std::stoll(f[0].substr(0, dot)) * 1'000'000'000 + std::stoll(frac);
        out.push_back(trade_print{timestamp{ns}, qty{std::stoll(f[3])}});
    }
    return out;
}
} // namespace

TEST_CASE("route: VWAP profile from LOBSTER executions and an exact-sum schedule") {
    const auto trades = aapl_executions();
    REQUIRE(trades.size() == 159);
    std::array<double, 5> prof{};
    // Five 10 s buckets from 09:30:00; volumes (awk over the file): 3833 1770 502 152 4335 of 10592.
    const std::int64_t open = 34'200LL * 1'000'000'000;
    REQUIRE(volume_profile(trades, timestamp{open}, duration{10'000'000'000}, prof) == 159);
    const std::array<double, 5> vol{3'833, 1'770, 502, 152, 4'335};
    for (std::size_t i = 0; i < 5; ++i) CHECK(prof[i] == doctest::Approx(vol[i] / 10'592.0));

    std::array<slice, 8> s{};
    REQUIRE(vwap_schedule(qty{1'000}, timestamp{0}, timestamp{5'000}, prof, s) == 5);
    // Exact 361.88 167.11 47.39 14.35 409.27: floors 998, the two lots left go to .88 and .39.
    const std::array<std::int64_t, 5> want{362, 167, 48, 14, 409};
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(s[i].size == qty{want[i]});
        CHECK(s[i].at == timestamp{static_cast<std::int64_t>(i) * 1'000});
    }
    CHECK(lots(std::span<const slice>(s.data(), 5)) == 1'000);

    // Sums stay exact for awkward totals.
    for (std::int64_t total : {1, 7, 999, 12'345, 1'000'003}) {
        REQUIRE(vwap_schedule(qty{total}, timestamp{0}, timestamp{5'000}, prof, s) == 5);
        CHECK(lots(std::span<const slice>(s.data(), 5)) == total);
    }
    // Trades outside the buckets are ignored.
    std::array<double, 2> two{};
    const std::array<trade_print, 3> t{{{timestamp{5}, qty{10}}, {timestamp{15}, qty{30}}, {timestamp{25}, qty{99}}}};
    CHECK(volume_profile(t, timestamp{0}, duration{10}, two) == 2);
    CHECK(two[0] == doctest::Approx(0.25));
    CHECK(two[1] == doctest::Approx(0.75));
}

TEST_CASE("route: Almgren–Chriss trajectory is monotone, sums to X, and matches the closed form") {
    almgren_chriss_params p;
    p.lambda = 1.0;
    p.eta = 1.0;
    p.sigma = 1.0;
    std::array<double, 11> x{};
    REQUIRE(almgren_chriss_holdings(1'000.0, 1.0, 10, p, x) == 11);
    const double kappa = std::acosh(1.005) / 0.1;  // kappa~ = 1, tau = 0.1
    CHECK(almgren_chriss_kappa(p, 0.1) == doctest::Approx(kappa));
    CHECK(x[0] == doctest::Approx(1'000.0));
    CHECK(x[10] == 0.0);
    CHECK(x[5] == doctest::Approx(443.4520775111914));
    for (std::size_t j = 1; j <= 10; ++j) {
        CHECK(x[j] <= x[j - 1]);
        CHECK(x[j] <= 1'000.0 * (1.0 - static_cast<double>(j) / 10.0) + 1e-9);  // front-loaded vs the straight line
    }

    std::array<slice, 10> s{};
    REQUIRE(almgren_chriss_schedule(qty{1'000}, timestamp{0}, timestamp{10'000}, 10, 1.0, p, s) == 10);
    const std::array<std::int64_t, 10> want{126, 118, 110, 104, 99, 93, 91, 88, 86, 85};
    for (std::size_t j = 0; j < 10; ++j) {
        CHECK(s[j].size == qty{want[j]});
        CHECK(s[j].at == timestamp{static_cast<std::int64_t>(j) * 1'000});
    }
    CHECK(lots(std::span<const slice>(s.data(), 10)) == 1'000);

    SUBCASE("lambda = 0 is the straight line (TWAP)") {
        almgren_chriss_params q = p;
        q.lambda = 0.0;
        REQUIRE(almgren_chriss_holdings(1'000.0, 1.0, 10, q, x) == 11);
        for (std::size_t j = 0; j <= 10; ++j) CHECK(x[j] == doctest::Approx(1'000.0 - 100.0 * static_cast<double>(j)));
    }
    SUBCASE("very high urgency stays finite, monotone and exact") {
        almgren_chriss_params q = p;
        q.lambda = 1e9;
        REQUIRE(almgren_chriss_holdings(1'000.0, 1.0, 10, q, x) == 11);
        for (std::size_t j = 1; j <= 10; ++j) {
            CHECK(std::isfinite(x[j]));
            CHECK(x[j] <= x[j - 1]);
        }
        REQUIRE(almgren_chriss_schedule(qty{1'000}, timestamp{0}, timestamp{10'000}, 10, 1.0, q, s) == 10);
        CHECK(lots(std::span<const slice>(s.data(), 10)) == 1'000);
        CHECK(s[0].size.lots() > 900);
    }
}

TEST_CASE("route: square-root impact") {
    CHECK(sqrt_impact_bps(1.0, 0.02, 100'000.0, 10'000'000.0) == doctest::Approx(20.0));
    CHECK(sqrt_impact_bps(0.5, 0.02, 400'000.0, 10'000'000.0) == doctest::Approx(20.0));
    CHECK(sqrt_impact_bps(1.0, 0.02, 1.0, 0.0) == 0.0);
}

TEST_CASE("route: an expired parent cancels its working children and sends no more") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 16> r;
    const auto p = parent(side::buy, 300, 10'012, 10'000, 3, 0, 1'000);
    std::array<child_order, 8> out{};
    const auto n = r.plan(p, m.view(), timestamp{10}, out);
    REQUIRE(n == 3);
    (void)r.on_child_report(report(out[0], exec_type::fill, 10, out[0].px.ticks()));
    std::array<order_id, 8> cancels{};
    CHECK(r.on_timer(timestamp{999}, cancels) == 0);
    CHECK(r.state() == parent_state::partially_filled);
    const auto k = r.on_timer(timestamp{1'000}, cancels);
    REQUIRE(k == 3);
    CHECK(r.state() == parent_state::expired);
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::find(cancels.begin(), cancels.begin() + 3, out[i].id) != cancels.begin() + 3);
    for (std::size_t i = 0; i < 3; ++i) (void)r.on_child_report(report(out[i], exec_type::canceled));
    CHECK(r.tracker().working() == qty{0});
    CHECK(r.tracker().filled() == qty{10});
    CHECK(r.state() == parent_state::expired);
    CHECK(r.plan(p, m.view(), timestamp{1'001}, out) == 0);
    CHECK(r.on_timer(timestamp{2'000}, cancels) == 0);  // only once
}

TEST_CASE("route: nothing is sent outside [start, deadline)") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 16> r;
    const auto p = parent(side::buy, 100, 10'012, 10'000, 4, 100, 200);
    std::array<child_order, 8> out{};
    CHECK(r.plan(p, m.view(), timestamp{99}, out) == 0);
    CHECK(r.plan(p, m.view(), timestamp{200}, out) == 0);
    CHECK(r.plan(p, m.view(), timestamp{150}, out) > 0);
}

TEST_CASE("route: cancelling the parent lists its working children") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 16> r;
    std::array<child_order, 8> out{};
    const auto n = r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{1}, out);
    std::array<order_id, 8> cancels{};
    CHECK(r.cancel(cancels) == n);
    CHECK(r.state() == parent_state::cancelled);
    CHECK(r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{2}, out) == 0);
}

TEST_CASE("route: average price and implementation shortfall on a hand example") {
    parent_tracker<4, 4> t;
    t.reset(parent(side::buy, 200, 10'050));  // arrival 10,000
    const child_order a{order_id{1}, 0, side::buy, price{10'010}, qty{100}, time_in_force::ioc, timestamp{}};
    const child_order b{order_id{2}, 1, side::buy, price{10'020}, qty{100}, time_in_force::ioc, timestamp{}};
    REQUIRE(t.add_child(a));
    REQUIRE(t.add_child(b));
    CHECK(t.on_report(report(a, exec_type::fill, 100, 10'010, 100)) == parent_state::partially_filled);
    CHECK(t.on_report(report(b, exec_type::fill, 50, 10'020, 50)) == parent_state::partially_filled);
    // paid = 100 x 10010 + 50 x 10020 = 1,502,000 tick-lots; benchmark 150 x 10000 = 1,500,000.
    CHECK(t.paid() == notional{1'502'000});
    CHECK(t.average_price() == doctest::Approx(1'502'000.0 / 150.0));
    CHECK(t.shortfall_bps(false) == doctest::Approx(2'000.0 / 1'500'000.0 * 10'000.0));  // 13.33 bps
    CHECK(t.shortfall_bps(true) == doctest::Approx(2'150.0 / 1'500'000.0 * 10'000.0));   // + 150 tick-lots of fees
    // The 50 unfilled lots marked at 10,030: 30 x 50 / (10000 x 200) x 10^4 = 7.5 bps.
    CHECK(t.opportunity_cost_bps(price{10'030}) == doctest::Approx(7.5));
    CHECK(t.on_report(report(b, exec_type::fill, 50, 10'020)) == parent_state::filled);

    parent_tracker<4, 4> s;
    s.reset(parent(side::sell, 100, 9'000));
    const child_order c{order_id{9}, 0, side::sell, price{9'990}, qty{100}, time_in_force::ioc, timestamp{}};
    REQUIRE(s.add_child(c));
    CHECK(s.on_report(report(c, exec_type::fill, 100, 9'990)) == parent_state::filled);
    CHECK(s.shortfall_bps() == doctest::Approx(10.0));  // sold 10 ticks under arrival: a 10 bps cost
    // Reports for unknown children change nothing.
    const child_order ghost{order_id{77}, 0, side::sell, price{9'990}, qty{5}, time_in_force::ioc, timestamp{}};
    CHECK(s.on_report(report(ghost, exec_type::fill, 5, 1)) == parent_state::filled);
    CHECK(s.filled() == qty{100});
}

TEST_CASE("route: tracker capacity bounds the children in flight") {
    scripted_market m("three_venues.book");
    best_price_router<max_venues, 2> r;  // two working children at most
    std::array<child_order, 8> out{};
    const auto n = r.plan(parent(side::buy, 300, 10'012), m.view(), timestamp{1}, out);
    CHECK(n == 2);
    CHECK(r.tracker().working() == qty{lots(std::span<const child_order>(out.data(), n))});
}

TEST_CASE("route: random books — never beyond the limit, slippage or venue share, never more than the parent") {
    std::mt19937_64 g(2024);
    const auto draw = [&g](std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(g() % static_cast<std::uint64_t>(hi - lo + 1));
    };
    for (int round = 0; round < 300; ++round) {
        std::array<std::array<level_info, max_depth>, 5> bids{}, asks{};
        std::array<venue_quote, 5> vq{};
        for (std::size_t v = 0; v < 5; ++v) {
            std::int64_t a = draw(10'000, 10'010), b = draw(9'990, 9'999);
            for (std::size_t i = 0; i < max_depth; ++i) {
                asks[v][i] = level_info{price{a}, qty{draw(0, 300)}, 1};
                bids[v][i] = level_info{price{b}, qty{draw(0, 300)}, 1};
                a += draw(1, 3);
                b -= draw(1, 3);
            }
            vq[v] = venue_quote{static_cast<std::uint32_t>(v), bids[v], asks[v],
                                venue_costs{0, draw(0, 3), 0.0, 0.0, duration{draw(0, 2'000'000)}}};
        }
        const side s = draw(0, 1) == 0 ? side::buy : side::sell;
        const std::int64_t total = draw(1, 3'000);
        const std::int64_t limit = s == side::buy ? draw(10'000, 10'030) : draw(9'970, 10'000);
        route_controls c;
        c.max_slippage_bps = draw(0, 1) == 0 ? -1.0 : static_cast<double>(draw(0, 30));
        c.max_venue_share = static_cast<double>(draw(1, 10)) / 10.0;
        c.latency_penalty_ticks_per_ms = static_cast<double>(draw(0, 2));
        const auto p = parent(s, total, limit, 10'000, static_cast<std::uint64_t>(round + 1));
        const price lim = effective_limit(p, c);
        const auto cap = static_cast<std::int64_t>(std::floor(c.max_venue_share * static_cast<double>(total)));
        const auto check = [&](std::span<const child_order> cs) {
            CHECK(lots(cs) <= total);
            std::array<std::int64_t, 5> per{};
            for (const auto& ch : cs) {
                CHECK(ch.size.lots() > 0);
                CHECK((s == side::buy ? ch.px <= lim : ch.px >= lim));
                CHECK((s == side::buy ? ch.px <= p.limit : ch.px >= p.limit));
                per[ch.venue] += ch.size.lots();
            }
            for (const auto v : per) CHECK(v <= cap);
        };
        std::array<child_order, 8> out{};
        best_price_router<5, 8> bp(c);
        check(std::span<const child_order>(out.data(), bp.plan(p, vq, timestamp{1}, out)));
        liquidity_sweep_router<5, 8> ls(c);
        check(std::span<const child_order>(out.data(), ls.plan(p, vq, timestamp{1}, out)));
        twap_scheduler ts;
        ts.slices = 5;
        ts.randomise = 0.2;
        ts.seed = static_cast<std::uint64_t>(round);
        twap_router<5, 8, 8> tw(c, ts);
        check(std::span<const child_order>(out.data(), tw.plan(p, vq, timestamp{999'999'999}, out)));
        CHECK(lots(tw.schedule()) == total);
    }
}

// ------------------------------------------------------------------------------------------------
// End to end: routers driven by a routing_session over simulated venues (sim/simulated_venue.hpp)
// whose L3 books hold the scripted levels (one order per level).
// ------------------------------------------------------------------------------------------------

namespace {

using sim_venue = simulated_venue<l3_book, fifo_queue, constant_latency, per_lot_fees>;

// The scripted market again, as one l3_book and one simulated venue per venue; the venue charges
// the scripted taker fee per lot and has the scripted latency both ways.
struct simulated_market {
    scripted_market script;
    std::vector<l3_book> books;
    std::vector<sim_venue> venues;
    explicit simulated_market(const std::string& name) : script(name) {
        books.reserve(script.n);
        venues.reserve(script.n);
        std::uint64_t id = 1'000'000;
        for (std::size_t v = 0; v < script.n; ++v) {
            books.emplace_back();
            for (const side s : {side::buy, side::sell})
                for (std::size_t i = 0; i < script.books[v].depth(s); ++i) {
                    const level_info l = script.books[v].level(s, i);
                    market_event e;
                    e.id = order_id{id++};
                    e.type = event_type::add;
                    e.side = s;
                    e.px = l.px;
                    e.size = l.size;
                    REQUIRE(books.back().apply(e) == status::ok);
                }
            const venue_costs& c = script.costs[v];
            venues.emplace_back(constant_latency{c.latency, c.latency}, per_lot_fees{0, c.taker_ticks_per_lot});
        }
    }
    // Lets every venue process what has arrived before `now` (no market events in these tests).
    void advance(timestamp now) {
        for (std::size_t v = 0; v < venues.size(); ++v) venues[v].advance(now, books[v]);
    }
    template <class Session>
    void add_to(Session& s) {
        for (std::size_t v = 0; v < venues.size(); ++v) REQUIRE(s.add_venue(venues[v], books[v], script.costs[v]) == status::ok);
    }
};

} // namespace

TEST_CASE("route: BEST_PRICE end to end through simulated venues fills at the scripted levels") {
    simulated_market m("three_venues.book");
    best_price_router<8, 16> r;
    routing_session<best_price_router<8, 16>, sim_venue, l3_book, 8> s(r);
    m.add_to(s);
    // Buy 300 up to 10012: v1 10009x50, v0 10010x100, v2 10010x150 = 300 lots at the best prices.
    s.start(parent(side::buy, 300, 10'012));
    CHECK(s.step(timestamp{1}) == 3);
    CHECK(s.state() == parent_state::working);
    m.advance(timestamp{2});
    (void)s.step(timestamp{2});
    CHECK(s.state() == parent_state::filled);
    CHECK(r.tracker().filled() == qty{300});
    CHECK(r.tracker().paid() == notional{50 * 10'009 + 250 * 10'010});
    CHECK(s.counters().children_sent == 3);
    CHECK(s.counters().fills == 3);
    CHECK(s.children_at(0) == 1);
    CHECK(s.children_at(1) == 1);
    CHECK(s.children_at(2) == 1);
    CHECK(s.step(timestamp{3}) == 0);  // done: nothing more is sent
}

TEST_CASE("route: a venue that refuses a child frees its lots for the next plan") {
    simulated_market m("three_venues.book");
    best_price_router<8, 16> r;
    routing_session<best_price_router<8, 16>, sim_venue, l3_book, 8> s(r);
    m.add_to(s);
    // A child at venue 1 is already working under the id the router will use first: duplicate_order.
    order_intent dup;
    dup.cl_ord_id = order_id{1};
    dup.side = side::sell;
    dup.px = price{20'000};
    dup.size = qty{1};
    REQUIRE(m.venues[1].submit(dup) == status::ok);
    s.start(parent(side::buy, 50, 10'009));  // only v1 offers 10009
    CHECK(s.step(timestamp{1}) == 0);
    CHECK(s.counters().send_failures == 1);
    CHECK(r.tracker().working() == qty{0});
    CHECK(r.tracker().unallocated() == qty{50});
    CHECK(s.step(timestamp{2}) == 1);  // retried with the next ClOrdID
    m.advance(timestamp{3});
    (void)s.step(timestamp{3});
    CHECK(s.state() == parent_state::filled);
}

TEST_CASE("route: latency — children meet the book on arrival and an expired parent cancels at the venues") {
    simulated_market m("three_venues.book");
    twap_scheduler ts;
    ts.slices = 4;
    twap_router<8, 16, 8> r({}, ts);
    routing_session<twap_router<8, 16, 8>, sim_venue, l3_book, 8> s(r);
    m.add_to(s);
    // 4 slices of 25 lots over [0, 4000): one due now.
    s.start(parent(side::buy, 100, 10'012, 10'000, 7, 0, 4'000));
    CHECK(s.step(timestamp{0}) == 1);
    CHECK(s.step(timestamp{1}) == 0);  // the first child is still working: nothing more is due
    // The deadline passes before the venue processed anything: the parent expires and its working
    // child is cancelled at the venue.
    CHECK(s.step(timestamp{4'000}) == 0);
    CHECK(s.state() == parent_state::expired);
    CHECK(s.counters().cancels_sent == 1);
    m.advance(timestamp{4'001});
    (void)s.poll(timestamp{4'001});
    CHECK(r.tracker().working() == qty{0});
    CHECK(s.step(timestamp{4'002}) == 0);
}

TEST_CASE("route: with taker impact on, the router does not take the same displayed liquidity twice") {
    for (const bool impact : {false, true}) {
        CAPTURE(impact);
        simulated_market m("three_venues.book");
        for (auto& v : m.venues) v.set_taker_impact(impact);
        best_price_router<8, 16> r;
        routing_session<best_price_router<8, 16>, sim_venue, l3_book, 8> s(r);
        m.add_to(s);
        // 400 lots up to 10010, but only 300 are offered there (v1 10009x50, v0 10010x100, v2 10010x150).
        s.start(parent(side::buy, 400, 10'010));
        CHECK(s.step(timestamp{1}) == 3);
        m.advance(timestamp{2});
        (void)s.step(timestamp{2});  // reports in: 300 filled; then plans again on the books
        CHECK(r.tracker().filled() == qty{300});
        if (impact) {
            CHECK(s.state() == parent_state::partially_filled);
            CHECK(s.counters().children_sent == 3);  // nothing left to take within the limit
            CHECK(m.venues[2].taken(side::sell, price{10'010}, m.books[2]) == qty{150});
        } else {
            CHECK(s.counters().children_sent > 3);  // the same displayed lots look available again
        }
    }
}

TEST_CASE("core/random: splitmix64 gives the reference sequence; uniform01 stays in [0, 1)") {
    static_assert(std::uniform_random_bit_generator<splitmix64>);
    // Outputs of the reference splitmix64.c (Vigna) for seed 1234567.
    splitmix64 g(1'234'567);
    for (const std::uint64_t want : {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
                                     4593380528125082431ULL, 16408922859458223821ULL})
        CHECK(g() == want);
    CHECK(splitmix64_hash(1'234'567) == 6457827717110365317ULL);
    splitmix64 u(7);
    double lo = 1.0, hi = 0.0, sum = 0.0;
    for (int i = 0; i < 100'000; ++i) {
        const double x = uniform01(u);
        REQUIRE(x >= 0.0);
        REQUIRE(x < 1.0);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
        sum += x;
    }
    CHECK(lo < 1e-3);
    CHECK(hi > 1.0 - 1e-3);
    CHECK(sum / 100'000.0 == doctest::Approx(0.5).epsilon(0.01));
}
