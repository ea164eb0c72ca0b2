#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "test_events.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/venue/ledger.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/route/scheduled_router.hpp"
#include "pinnacle/engine/routed_hedger.hpp"

using namespace pinnacle;
using pinnacle_test::ev;

namespace {

order_intent intent(std::uint64_t id, side s, std::int64_t px, std::int64_t size, std::int64_t ts,
                    time_in_force tif = time_in_force::gtc) {
    order_intent o;
    o.cl_ord_id = order_id{id};
    o.side = s;
    o.px = price{px};
    o.size = qty{size};
    o.ts = timestamp{ts};
    o.tif = tif;
    return o;
}

// Drives a venue and a book together the way the engine does: venue first, then the book.
struct harness {
    l3_book book{l3_book_config{1024, 256}};
    simulated_venue<l3_book> venue;
    std::vector<execution_report> reports;
    harness(std::int64_t entry_ns, std::int64_t response_ns, std::int64_t maker, std::int64_t taker)
        : venue(constant_latency{duration{entry_ns}, duration{response_ns}}, per_lot_fees{maker, taker}) {}
    void on(const market_event& e) {
        venue.on_market(e, book);
        REQUIRE(book.apply(e) == status::ok);
    }
    void collect(std::int64_t now) {
        execution_report r;
        while (venue.poll(timestamp{now}, r)) reports.push_back(r);
    }
    qty filled() const {
        qty q;
        for (const auto& r : reports)
            if (r.type == exec_type::fill) q += r.last_qty;
        return q;
    }
};

} // namespace

static_assert(Venue<simulated_venue<l3_book>>);
static_assert(SimulatedVenue<simulated_venue<l3_book>, l3_book>);

TEST_CASE("venue: FIFO queue position advances only on what is ahead of us") {
    harness h(10, 0, -2, 3);
    REQUIRE(h.book.add_anonymous(side::buy, price{100}, qty{300}) == status::ok);  // resting before the data
    h.on(ev(1, event_type::add, 1, side::buy, 100, 50));                             // ahead of us too
    h.on(ev(1, event_type::add, 9, side::sell, 105, 100));
    REQUIRE(h.venue.submit(intent(1, side::buy, 100, 100, 2)) == status::ok);      // arrives at 12
    h.on(ev(20, event_type::add, 2, side::buy, 100, 70));                            // behind us
    REQUIRE(h.venue.find(order_id{1})->live);
    CHECK(h.venue.find(order_id{1})->queue.ahead == doctest::Approx(350));
    h.on(ev(21, event_type::cancel, 2, side::buy, 100, 30));                         // behind: no change
    CHECK(h.venue.find(order_id{1})->queue.ahead == doctest::Approx(350));
    h.on(ev(22, event_type::remove, 77, side::buy, 100, 100));                       // unseen order: ahead
    CHECK(h.venue.find(order_id{1})->queue.ahead == doctest::Approx(250));
    h.on(ev(23, event_type::execute, 78, side::buy, 100, 200));                      // eats from the front
    CHECK(h.venue.find(order_id{1})->queue.ahead == doctest::Approx(50));
    h.on(ev(24, event_type::execute, 1, side::buy, 100, 20));
    CHECK(h.venue.find(order_id{1})->queue.ahead == doctest::Approx(30));
    h.collect(100);
    CHECK(h.filled() == qty{0});
    // Order 2 (behind us) trades: the aggressor went through the 30 ahead and then through us.
    h.on(ev(30, event_type::execute, 2, side::buy, 100, 40));
    h.collect(100);
    CHECK(h.filled() == qty{40});
    REQUIRE(h.reports.back().type == exec_type::fill);
    CHECK(h.reports.back().maker);
    CHECK(h.reports.back().last_px == price{100});
    CHECK(h.reports.back().fee == notional{-2 * 40});
    CHECK(h.venue.find(order_id{1})->leaves == qty{60});
    // A sell arriving at our price trades with us (the real book shows it resting, so we were best).
    h.on(ev(31, event_type::add, 3, side::sell, 100, 500));
    h.collect(100);
    CHECK(h.filled() == qty{100});
    CHECK(h.venue.find(order_id{1}) == nullptr);
}

TEST_CASE("venue: no look-ahead - an order interacts only with events after decision + latency") {
    harness h(100, 7, 0, 0);
    h.on(ev(0, event_type::add, 1, side::buy, 99, 10));
    h.on(ev(0, event_type::add, 2, side::sell, 101, 10));
    REQUIRE(h.venue.submit(intent(1, side::buy, 100, 5, 0)) == status::ok);        // arrives at 100
    h.on(ev(50, event_type::add, 3, side::sell, 100, 10));                          // would cross us: too early
    h.on(ev(100, event_type::remove, 3, side::sell, 100, 10));                      // at arrival: still too early
    h.collect(1000);
    CHECK(h.reports.empty());
    h.on(ev(101, event_type::add, 4, side::sell, 100, 10));                         // after arrival: crosses us
    h.collect(1000);
    REQUIRE(h.reports.size() == 2);
    CHECK(h.reports[0].type == exec_type::new_ack);
    CHECK(h.reports[0].ts == timestamp{100 + 7});                                   // response latency
    CHECK(h.reports[1].type == exec_type::fill);
    CHECK(h.reports[1].ts == timestamp{101 + 7});
    CHECK(h.reports[1].last_qty == qty{5});
}

TEST_CASE("venue: a crossing order walks the book as taker; IOC cancels the rest; post-only is rejected") {
    harness h(0, 0, -2, 3);
    h.on(ev(0, event_type::add, 1, side::sell, 101, 30));
    h.on(ev(0, event_type::add, 2, side::sell, 102, 50));
    h.on(ev(0, event_type::add, 3, side::sell, 104, 50));
    h.on(ev(0, event_type::add, 4, side::buy, 99, 50));
    REQUIRE(h.venue.submit(intent(1, side::buy, 102, 100, 0)) == status::ok);
    REQUIRE(h.venue.submit(intent(2, side::buy, 102, 100, 0, time_in_force::ioc)) == status::ok);
    REQUIRE(h.venue.submit(intent(3, side::buy, 101, 10, 0, time_in_force::post_only)) == status::ok);
    REQUIRE(h.venue.submit(intent(4, side::buy, 100, 10, 0, time_in_force::post_only)) == status::ok);
    h.on(ev(1, event_type::add, 5, side::buy, 98, 1));
    h.collect(10);
    std::vector<exec_type> types;
    for (const auto& r : h.reports) types.push_back(r.type);
    CHECK(types == std::vector<exec_type>{exec_type::new_ack, exec_type::fill, exec_type::fill,        // order 1
                                          exec_type::new_ack, exec_type::fill, exec_type::fill, exec_type::canceled,  // 2
                                          exec_type::rejected,                                         // 3
                                          exec_type::new_ack});                                        // 4
    CHECK(h.reports[1].last_px == price{101});
    CHECK(h.reports[1].last_qty == qty{30});
    CHECK(h.reports[2].last_px == price{102});
    CHECK(h.reports[2].last_qty == qty{50});
    CHECK_FALSE(h.reports[2].maker);
    CHECK(h.reports[2].fee == notional{3 * 50});
    CHECK(h.reports[6].leaves_qty == qty{20});
    REQUIRE(h.venue.find(order_id{1}) != nullptr);
    CHECK(h.venue.find(order_id{1})->leaves == qty{20});  // the rest of order 1 rests at 102
    CHECK(h.venue.find(order_id{2}) == nullptr);
    CHECK(h.venue.find(order_id{4})->live);
}

TEST_CASE("venue: with taker impact, liquidity we took stays taken until the market shrinks the level") {
    harness h(0, 0, 0, 0);
    h.on(ev(1, event_type::add, 1, side::sell, 105, 100));
    h.on(ev(1, event_type::add, 2, side::sell, 106, 50));

    SUBCASE("off (the default): the same displayed lots fill twice") {
        REQUIRE(h.venue.submit(intent(1, side::buy, 105, 80, 2, time_in_force::ioc)) == status::ok);
        REQUIRE(h.venue.submit(intent(2, side::buy, 105, 80, 2, time_in_force::ioc)) == status::ok);
        h.venue.advance(timestamp{3}, h.book);
        h.collect(3);
        CHECK(h.filled() == qty{160});
    }
    SUBCASE("on: what we took is gone for our later orders, but comes back as the market refills") {
        h.venue.set_taker_impact(true);
        REQUIRE(h.venue.submit(intent(1, side::buy, 105, 80, 2, time_in_force::ioc)) == status::ok);
        REQUIRE(h.venue.submit(intent(2, side::buy, 106, 80, 2, time_in_force::ioc)) == status::ok);
        h.venue.advance(timestamp{3}, h.book);
        h.collect(3);
        CHECK(h.filled() == qty{80 + 20 + 50});  // 20 left at 105, then 50 at 106
        CHECK(h.venue.taken(side::sell, price{105}, h.book) == qty{100});
        CHECK(h.venue.taken(side::sell, price{106}, h.book) == qty{50});
        // FOK sees only what is left: 0 at 105 and 106.
        REQUIRE(h.venue.submit(intent(3, side::buy, 106, 1, 4, time_in_force::fok)) == status::ok);
        h.venue.advance(timestamp{5}, h.book);
        h.collect(5);
        CHECK(h.reports.back().type == exec_type::canceled);
        CHECK(h.filled() == qty{150});
        // A new sell at 105 adds lots nobody took.
        h.on(ev(6, event_type::add, 3, side::sell, 105, 30));
        REQUIRE(h.venue.submit(intent(4, side::buy, 105, 50, 6, time_in_force::ioc)) == status::ok);
        h.venue.advance(timestamp{7}, h.book);
        h.reports.clear();
        h.collect(7);
        CHECK(h.filled() == qty{30});
        // The market cancels order 2 at 106: the level is gone, so nothing is taken there any more;
        // a new order at 106 is all available.
        h.on(ev(8, event_type::remove, 2, side::sell, 106, 50));
        CHECK(h.venue.taken(side::sell, price{106}, h.book) == qty{0});
        h.on(ev(9, event_type::add, 4, side::sell, 106, 40));
        REQUIRE(h.venue.submit(intent(5, side::buy, 106, 40, 9, time_in_force::ioc)) == status::ok);
        h.venue.advance(timestamp{10}, h.book);
        h.reports.clear();
        h.collect(10);
        CHECK(h.filled() == qty{40});
        CHECK(h.venue.impact_overflows() == 0);
    }
}

TEST_CASE("venue: a cancel that arrives after the fill is rejected; cancels take latency too") {
    harness h(10, 0, 0, 0);
    h.on(ev(0, event_type::add, 1, side::sell, 105, 10));
    REQUIRE(h.venue.submit(intent(1, side::buy, 100, 10, 0)) == status::ok);
    h.on(ev(20, event_type::add, 2, side::buy, 99, 1));
    REQUIRE(h.venue.cancel(order_id{1}, timestamp{25}) == status::ok);  // arrives at 35
    h.on(ev(30, event_type::add, 3, side::sell, 100, 10));            // fills us before the cancel lands
    h.on(ev(40, event_type::add, 4, side::buy, 98, 1));
    h.collect(100);
    REQUIRE(h.reports.size() == 3);
    CHECK(h.reports[1].type == exec_type::fill);
    CHECK(h.reports[2].type == exec_type::cancel_rejected);
    CHECK(h.venue.cancel(order_id{1}, timestamp{50}) == status::unknown_order);
    CHECK(h.venue.submit(intent(2, side::buy, 100, 0, 50)) == status::invalid_qty);
}

TEST_CASE("ledger: accounting identities hold exactly after every fill") {
    ledger l;
    std::mt19937_64 rng(42);
    std::int64_t pos = 0;
    std::int64_t cash = 0;
    std::int64_t fees = 0;
    for (int i = 0; i < 5000; ++i) {
        const side s = (rng() & 1) ? side::buy : side::sell;
        const std::int64_t px = 10'000 + static_cast<std::int64_t>(rng() % 500);
        const std::int64_t q = 1 + static_cast<std::int64_t>(rng() % 300);
        const std::int64_t fee = static_cast<std::int64_t>(rng() % 7) - 3;
        l.on_fill(s, price{px}, qty{q}, notional{fee});
        pos += sign(s) * q;
        cash -= sign(s) * q * px;
        fees += fee;
        const price bid{px - 1};
        const price ask{px + 2};
        l.mark(timestamp{i * 1'000'000'000LL}, bid, ask);
        REQUIRE(l.position().lots() == pos);
        REQUIRE(l.cash().tick_lots() == cash);
        REQUIRE(l.fees().tick_lots() == fees);
        REQUIRE(l.total_pnl_x2(bid, ask) == 2 * cash + pos * (bid.ticks() + ask.ticks()) - 2 * fees);
    }
    CHECK(l.fills() == 5000);
}

TEST_CASE("ledger: realized PnL at average cost, drawdown and Sharpe") {
    ledger l;
    l.on_fill(side::buy, price{100}, qty{10}, notional{0});
    l.on_fill(side::buy, price{110}, qty{10}, notional{0});  // average cost 105
    l.on_fill(side::sell, price{120}, qty{10}, notional{5});
    CHECK(l.realized_pnl() == doctest::Approx(150.0 - 5.0));
    l.on_fill(side::sell, price{100}, qty{20}, notional{0});  // closes 10 at 100 (-50), opens short 10 at 100
    CHECK(l.realized_pnl() == doctest::Approx(100.0 - 5.0));
    CHECK(l.position() == qty{-10});
    l.mark(timestamp{0}, price{99}, price{101});      // mid 100: flat short -> total = realized
    CHECK(l.total_pnl() == doctest::Approx(95.0));
    l.mark(timestamp{60'000'000'000}, price{109}, price{111});  // mid 110: short loses 100
    CHECK(l.total_pnl() == doctest::Approx(-5.0));
    CHECK(l.max_drawdown() == doctest::Approx(100.0));
    CHECK(l.sharpe() == 0.0);  // a single minute: no Sharpe yet
}

TEST_CASE("backtest on bundled AAPL: fills balance exactly and two runs give identical reports") {
    const std::string dir = PINNACLE_TEST_DATA_DIR;
    const lobster_day day = load_lobster_day(dir + "/AAPL_2012-06-21_34200000_57600000_message_10.csv",
                                             dir + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv");
    lobster_backtest_config cfg;
    cfg.strategy.vol.warmup_seconds = 2.0;  // the excerpt is 49 s long
    cfg.strategy.k = 200.0;
    std::int64_t pos = 0;
    std::int64_t cash = 0;
    std::int64_t fees = 0;
    std::size_t fills = 0;
    std::size_t identity_failures = 0;
    // At every fill: our own sums of the fills equal the engine's ledger, and 2 x PnL =
    // 2 x cash + position x (bid + ask) - 2 x fees at the book's current top.
    auto check_fill = [&](const execution_report& r, const ledger& acc) {
        if (r.type != exec_type::fill) return;
        ++fills;
        pos += sign(r.side) * r.last_qty.lots();
        cash -= sign(r.side) * r.last_qty.lots() * r.last_px.ticks();
        fees += r.fee.tick_lots();
        const price bid{5'800'000};
        const price ask{5'800'100};
        if (acc.position().lots() != pos || acc.cash().tick_lots() != cash || acc.fees().tick_lots() != fees ||
            acc.total_pnl_x2(bid, ask) != 2 * cash + pos * (bid.ticks() + ask.ticks()) - 2 * fees)
            ++identity_failures;
    };
    const backtest_report a = run_lobster_backtest(day, cfg, check_fill);
    CHECK(a.events == 999);
    CHECK(a.fills > 0);
    CHECK(a.fills == fills);
    CHECK(identity_failures == 0);
    CHECK(a.position == pos);
    CHECK(a.cash_tick_lots == cash);
    CHECK(a.fees_tick_lots == fees);
    // PnL = cash + position x mid - fees, in dollars.
    const double mid = (a.final_bid + a.final_ask) / 2.0;
    CHECK(a.total_pnl == doctest::Approx(static_cast<double>(cash - fees) * 1e-4 + static_cast<double>(pos) * mid).epsilon(1e-12));
    CHECK(a.book_rejects == 0);
    const backtest_report b = run_lobster_backtest(day, cfg);
    CHECK(a.same_outcome(b));
    backtest_report c = b;
    c.seconds += 1.0;  // wall-clock time alone does not make a different outcome
    CHECK(a.same_outcome(c));
    c.fills += 1;
    CHECK_FALSE(a.same_outcome(c));
}

TEST_CASE("unpaired LOBSTER repair removes levels a continuous book cannot hold") {
    l3_book b;
    REQUIRE(b.add(order_id{1}, side::buy, price{105}, qty{10}) == status::ok);  // stale: its cancel was never seen
    REQUIRE(b.add(order_id{2}, side::buy, price{100}, qty{10}) == status::ok);
    REQUIRE(b.add(order_id{3}, side::sell, price{102}, qty{10}) == status::ok);  // crosses the stale bid
    market_event add_ask = ev(1, event_type::add, 3, side::sell, 102, 10);
    CHECK(lobster_repair_unpaired(b, add_ask, 0) == 1);
    CHECK(best_bid(b)->px == price{100});
    CHECK(b.find(order_id{1}) == nullptr);
    // An execution at 100 on the bid side: bids better than 100 would have traded first.
    REQUIRE(b.add(order_id{4}, side::buy, price{101}, qty{5}) == status::ok);
    market_event exec = ev(2, event_type::execute, 2, side::buy, 100, 5);
    REQUIRE(b.apply(exec) == status::ok);
    CHECK(lobster_repair_unpaired(b, exec, 0) == 1);
    CHECK(best_bid(b)->px == price{100});
    // Consistent events remove nothing; depth is then limited.
    REQUIRE(b.add(order_id{5}, side::buy, price{99}, qty{5}) == status::ok);
    CHECK(lobster_repair_unpaired(b, ev(3, event_type::add, 5, side::buy, 99, 5), 1) == 0);
    CHECK(b.depth(side::buy) == 1);
}

TEST_CASE("recorded latency interpolates between samples and holds at the ends") {
    recorded_latency lat({latency_sample{timestamp{200}, duration{40}, duration{4}},
                          latency_sample{timestamp{100}, duration{20}, duration{2}}});  // sorted on construction
    CHECK(lat.entry(timestamp{0}) == duration{20});
    CHECK(lat.entry(timestamp{150}) == duration{30});
    CHECK(lat.response(timestamp{175}) == duration{4});  // 2 + 0.75 * 2 = 3.5, rounded half away from zero
    CHECK(lat.entry(timestamp{1000}) == duration{40});
    CHECK_THROWS_AS(recorded_latency({}), std::invalid_argument);
    CHECK_THROWS_AS(recorded_latency({latency_sample{timestamp{0}, duration{-1}, duration{0}}}), std::invalid_argument);
}

TEST_CASE("with a variable latency, requests and reports still arrive in the order sent") {
    // Latency falls from 1000 ns to 0 within 100 ns: a later order would overtake an earlier one.
    simulated_venue<l3_book, fifo_queue, recorded_latency> v(
        recorded_latency({latency_sample{timestamp{0}, duration{1000}, duration{0}},
                          latency_sample{timestamp{100}, duration{0}, duration{0}}}));
    l3_book book;
    REQUIRE(v.submit(intent(1, side::buy, 100, 1, 0)) == status::ok);    // arrives at 1000
    REQUIRE(v.submit(intent(2, side::buy, 100, 1, 100)) == status::ok);  // would arrive at 100: waits for 1
    v.on_market(ev(500, event_type::add, 7, side::sell, 200, 1), book);
    execution_report r;
    CHECK_FALSE(v.poll(timestamp{INT64_MAX}, r));  // neither has arrived
    v.on_market(ev(1001, event_type::add, 8, side::sell, 200, 1), book);
    REQUIRE(v.poll(timestamp{INT64_MAX}, r));
    CHECK(r.cl_ord_id == order_id{1});
    REQUIRE(v.poll(timestamp{INT64_MAX}, r));
    CHECK(r.cl_ord_id == order_id{2});
}

namespace {
// A strategy that bids at the ask, so fills come quickly.
struct lifting_strategy {
    quote_pair on_market(const market_update<l3_book>& u) noexcept {
        quote_pair q;
        if (u.top.has_ask) q.bid = quote{u.top.best_ask, qty{100}, true};
        return q;
    }
    void on_execution(const execution_report&) noexcept {}
};
} // namespace

TEST_CASE("auto-hedge: past the threshold the engine emits an offsetting IOC for the excess") {
    struct sink_state {
        std::vector<order_intent> got;
    } state;
    hedge_sink sink{[](void* ctx, const order_intent& o) noexcept { static_cast<sink_state*>(ctx)->got.push_back(o); }, &state};
    market_maker<l3_book, lifting_strategy, no_risk_check, simulated_venue<l3_book>> mm(
        l3_book(l3_book_config{1024, 256}), lifting_strategy{}, no_risk_check{}, simulated_venue<l3_book>(), engine_config{qty{150}},
        sink);
    std::uint64_t id = 1;
    for (std::int64_t t = 1; t < 10; ++t) {
        mm.on_event(ev(t * 10, event_type::add, id++, side::buy, 99, 10));
        mm.on_event(ev(t * 10 + 1, event_type::add, id++, side::sell, 101, 100));
    }
    mm.finish();
    REQUIRE(mm.accounts().position() > qty{150});
    REQUIRE_FALSE(state.got.empty());
    const order_intent& h = state.got.back();
    CHECK(h.side == side::sell);
    CHECK(h.tif == time_in_force::ioc);
    CHECK(h.size == mm.accounts().position() - qty{150});
    CHECK(mm.counters().hedges == state.got.size());
}

TEST_CASE("auto-hedge through a router: hedge children go to the hedge venues and their fills reach the engine's ledger") {
    using hedge_venue = simulated_venue<l3_book>;
    using engine = market_maker<l3_book, lifting_strategy, no_risk_check, simulated_venue<l3_book>>;
    using router = best_price_router<4, 8>;
    // Two hedge venues showing bids: A 60 lots at 99, B 2,000 lots at 98.
    std::vector<l3_book> books;
    books.emplace_back(l3_book_config{64, 16});
    books.emplace_back(l3_book_config{64, 16});
    REQUIRE(books[0].apply(ev(0, event_type::add, 1, side::buy, 99, 60)) == status::ok);
    REQUIRE(books[1].apply(ev(0, event_type::add, 2, side::buy, 98, 2'000)) == status::ok);
    std::vector<hedge_venue> venues(2);
    for (auto& v : venues) v.set_taker_impact(true);
    router r;
    routed_hedger<engine, router, hedge_venue, l3_book, 4> hedger(r, price{5}, duration{1'000});
    REQUIRE(hedger.add_venue(venues[0], books[0], venue_costs{}) == status::ok);
    REQUIRE(hedger.add_venue(venues[1], books[1], venue_costs{}) == status::ok);

    engine mm(l3_book(l3_book_config{1024, 256}), lifting_strategy{}, no_risk_check{}, simulated_venue<l3_book>(),
              engine_config{qty{150}}, hedger.sink());
    hedger.attach(mm);
    engine unhedged(l3_book(l3_book_config{1024, 256}), lifting_strategy{}, no_risk_check{}, simulated_venue<l3_book>(),
                    engine_config{qty{0}});
    std::uint64_t id = 1;
    for (std::int64_t t = 1; t < 10; ++t) {
        for (const market_event& e : {ev(t * 10, event_type::add, id, side::buy, 99, 10), ev(t * 10 + 1, event_type::add, id + 1, side::sell, 101, 100)}) {
            mm.on_event(e);
            unhedged.on_event(e);
            for (std::size_t v = 0; v < 2; ++v) venues[v].advance(e.ts, books[v]);
            hedger.step(e.ts);
        }
        id += 2;
    }
    mm.finish();
    unhedged.finish();
    for (std::int64_t t = 100; t < 104; ++t) {  // let the last hedge finish
        for (std::size_t v = 0; v < 2; ++v) venues[v].advance(timestamp{t}, books[v]);
        hedger.step(timestamp{t});
    }
    REQUIRE(hedger.started() >= 1);
    CHECK(hedger.filled() > qty{0});
    CHECK(mm.counters().hedge_fills >= 1);
    // The market making fills are the same in both runs (the strategy ignores position): the
    // hedged position is the unhedged one less what the hedges sold.
    CHECK(mm.accounts().position() == unhedged.accounts().position() - hedger.filled());
    CHECK(mm.accounts().position() <= qty{150 + 100});
    // Best price first: venue A's 60 lots at 99 are sold before anything at 98.
    CHECK(venues[0].taken(side::buy, price{99}, books[0]) == qty{60});
    CHECK_FALSE(hedger.busy());
}
