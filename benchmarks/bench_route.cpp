/// @file bench_route.cpp
/// Smart order routing on its planning path: BEST_PRICE over 5 venues of 10 levels (target median
/// <= 80 ns) and the parent tracker's part of it alone, LIQUIDITY_SWEEP on the same books, and TWAP
/// with 20 slices (target <= 300 ns): the schedule alone (plain and seeded-randomised) and a TWAP
/// router's first plan (schedule + split).

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/route/controls.hpp"
#include "pinnacle/route/scheduled_router.hpp"
#include "pinnacle/route/schedules.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/parent_tracker.hpp"
#include "pinnacle/route/routing_session.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

namespace {

using namespace pinnacle;

constexpr std::size_t venues = 5;
constexpr std::size_t depth = 10;

/// Five venues around $224.00 / $224.01 (ticks of $0.0001), 10 levels a side, 100..190 lots a level,
/// per-lot taker fees 0..4 ticks and latencies 0.1..0.5 ms.
struct five_books {
    std::array<std::array<level_info, depth>, venues> bids{};
    std::array<std::array<level_info, depth>, venues> asks{};
    std::array<venue_quote, venues> quotes{};
    five_books() {
        for (std::size_t v = 0; v < venues; ++v) {
            const auto vi = static_cast<std::int64_t>(v);
            for (std::size_t i = 0; i < depth; ++i) {
                const auto ii = static_cast<std::int64_t>(i);
                asks[v][i] = level_info{price{2'240'100 + vi + 100 * ii}, qty{100 + 10 * ((vi + ii) % 10)}, 3};
                bids[v][i] = level_info{price{2'240'000 - vi - 100 * ii}, qty{100 + 10 * ((vi * 3 + ii) % 10)}, 3};
            }
            quotes[v] = venue_quote{static_cast<std::uint32_t>(v), bids[v], asks[v],
                                    venue_costs{0, vi % 5, 0.0, 0.0, duration{100'000 * (vi + 1)}}};
        }
    }
};

parent_order big_buy(std::uint64_t id, std::int64_t lots = 1'500) {
    parent_order p;
    p.id = order_id{id};
    p.side = side::buy;
    p.total = qty{lots};  // 1,500: about three levels deep on each venue; 300: the five best levels
    p.limit = price{2'240'600};
    p.arrival = price{2'240'050};
    p.start = timestamp{0};
    p.deadline = timestamp{60'000'000'000};
    return p;
}

/// BEST_PRICE: a new parent of state.range(0) lots each iteration (tracker reset + greedy k-way
/// split + one child per venue used).
void bm_best_price_5x10(benchmark::State& state) {
    const std::int64_t lots = state.range(0);
    const five_books m;
    route_controls c;
    c.latency_penalty_ticks_per_ms = 1.0;
    best_price_router<8, 16> r(c);
    std::array<child_order, 8> out{};
    std::uint64_t id = 1;
    std::size_t sent = 0;
    for (auto _ : state) {
        const std::size_t n = r.plan(big_buy(id++, lots), m.quotes, timestamp{1}, out);
        sent += n;
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.counters["children"] = benchmark::Counter(static_cast<double>(sent), benchmark::Counter::kAvgIterations);
}
BENCHMARK(bm_best_price_5x10)->Arg(300)->Arg(1'500);

/// The parent tracker's share of bm_best_price_5x10/300: reset for a new parent, then record the
/// three children that plan sends.
void bm_tracker_reset_and_3_children(benchmark::State& state) {
    parent_tracker<8, 16> t;
    std::uint64_t id = 1;
    for (auto _ : state) {
        t.reset(big_buy(id, 300));
        bool ok = t.add_child(order_id{id * 4}, 0, qty{100});
        ok = t.add_child(order_id{id * 4 + 1}, 1, qty{110}) && ok;
        ok = t.add_child(order_id{id * 4 + 2}, 2, qty{90}) && ok;
        ++id;
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(t);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(bm_tracker_reset_and_3_children);

/// LIQUIDITY_SWEEP on the same books (pro rata over 5 venues).
void bm_liquidity_sweep_5x10(benchmark::State& state) {
    const five_books m;
    liquidity_sweep_router<8, 16> r;
    std::array<child_order, 8> out{};
    std::uint64_t id = 1;
    for (auto _ : state) {
        const std::size_t n = r.plan(big_buy(id++), m.quotes, timestamp{1}, out);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(bm_liquidity_sweep_5x10);

/// TWAP schedule of 20 equal slices.
void bm_twap_schedule_20(benchmark::State& state) {
    std::array<slice, 32> out{};
    std::int64_t total = 10'000;
    for (auto _ : state) {
        const std::size_t n = twap_schedule(qty{total}, timestamp{0}, timestamp{3'600'000'000'000}, 20, out);
        benchmark::DoNotOptimize(n);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
        total = 10'000 + (total & 7) + 1;
    }
}
BENCHMARK(bm_twap_schedule_20);

/// TWAP schedule of 20 slices randomised +/- 20% in size and time (includes seeding the splitmix64 generator).
void bm_twap_schedule_20_randomised(benchmark::State& state) {
    std::array<slice, 32> out{};
    std::uint64_t seed = 1;
    for (auto _ : state) {
        const std::size_t n = twap_schedule(qty{10'000}, timestamp{0}, timestamp{3'600'000'000'000}, 20, out, 0.2, seed++);
        benchmark::DoNotOptimize(n);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(bm_twap_schedule_20_randomised);

/// A TWAP router's first plan of a new parent: 20-slice schedule, then the first slice split by best price.
void bm_twap_router_first_plan_20(benchmark::State& state) {
    const five_books m;
    twap_scheduler ts;
    ts.slices = 20;
    twap_router<8, 16, 32> r({}, ts);
    std::array<child_order, 8> out{};
    std::uint64_t id = 1;
    for (auto _ : state) {
        const std::size_t n = r.plan(big_buy(id++), m.quotes, timestamp{0}, out);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(bm_twap_router_first_plan_20);

/// A parent routed end to end through simulated venues: 5 venues, each an l3_book with the
/// five_books levels (one order per level) behind a simulated_venue (zero latency, per-lot taker
/// fees, no taker impact so every iteration meets the same books). Per iteration: a new 300-lot
/// BEST_PRICE parent; step 1 snapshots the books, plans and submits the children; the venues
/// process them (IOC fills against the book, ack + fill reports); step 2 polls the reports back
/// into the router, which ends filled.
void bm_route_end_to_end_5_venues(benchmark::State& state) {
    using venue_t = simulated_venue<l3_book, fifo_queue, constant_latency, per_lot_fees>;
    using router_t = best_price_router<8, 16>;
    const five_books m;
    std::vector<l3_book> books;
    std::vector<venue_t> vens;
    books.reserve(venues);
    vens.reserve(venues);
    std::uint64_t oid = 1;
    for (std::size_t v = 0; v < venues; ++v) {
        books.emplace_back(l3_book_config{256, 64});
        for (const side s : {side::buy, side::sell}) {
            const auto& lv = s == side::buy ? m.bids[v] : m.asks[v];
            for (const level_info& l : lv) {
                market_event e;
                e.id = order_id{oid++};
                e.side = s;
                e.px = l.px;
                e.size = l.size;
                if (books.back().apply(e) != status::ok) {
                    state.SkipWithError("could not build the books");
                    return;
                }
            }
        }
        vens.emplace_back(constant_latency{}, per_lot_fees{0, m.quotes[v].costs.taker_ticks_per_lot});
    }
    route_controls c;
    c.latency_penalty_ticks_per_ms = 1.0;
    router_t r(c);
    routing_session<router_t, venue_t, l3_book, 8> s(r);
    for (std::size_t v = 0; v < venues; ++v)
        if (s.add_venue(vens[v], books[v], m.quotes[v].costs) != status::ok) {
            state.SkipWithError("could not add a venue");
            return;
        }
    std::uint64_t id = 1;
    std::int64_t t = 1;
    std::size_t unfilled = 0;
    for (auto _ : state) {
        parent_order p = big_buy(id++, 300);
        p.start = timestamp{t};
        p.deadline = timestamp{t + 1'000'000};
        s.start(p);
        (void)s.step(timestamp{t});
        for (std::size_t v = 0; v < venues; ++v) vens[v].advance(timestamp{t + 1}, books[v]);
        (void)s.step(timestamp{t + 1});
        unfilled += s.state() == parent_state::filled ? 0u : 1u;
        t += 2;
        benchmark::ClobberMemory();
    }
    if (unfilled != 0) state.SkipWithError("a parent did not fill: the benchmark is not measuring a full round trip");
    state.counters["children"] = benchmark::Counter(static_cast<double>(s.counters().children_sent));
}
BENCHMARK(bm_route_end_to_end_5_venues);

} // namespace

BENCHMARK_MAIN();
