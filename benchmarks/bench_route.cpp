/// @file bench_route.cpp
/// Smart order routing on its planning path: BEST_PRICE over 5 venues of 10 levels (target median
/// <= 80 ns), LIQUIDITY_SWEEP on the same books, and TWAP with 20 slices (target <= 300 ns): the
/// schedule alone (plain and seeded-randomised) and a TWAP router's first plan (schedule + split).

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "pinnacle/route/algorithms.hpp"
#include "pinnacle/route/concepts.hpp"

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

/// TWAP schedule of 20 slices randomised +/- 20% in size and time (includes seeding mt19937_64).
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

} // namespace

BENCHMARK_MAIN();
