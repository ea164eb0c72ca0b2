/// @file bench_backtest.cpp
/// The backtester end to end, and the tick-to-quote path on its own. Results: docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/signal/microprice.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"

namespace {

using namespace pinnacle;

// Not bundled (4 MB): looked for in PINNACLE_EXTRA_LOBSTER_DIR; the GOOG benchmarks are registered
// only when it is there (see the end of this file).
const std::string goog_path = std::string(PINNACLE_EXTRA_LOBSTER_DIR) + "/GOOG_2012-06-21_34200000_57600000_message_5.csv";

const lobster_day& goog_day() {
    static const lobster_day day = load_lobster_day(goog_path, "");
    return day;
}

/// The whole GOOG 2012-06-21 day (112,671 messages, in memory) through the full pipeline: book,
/// unpaired-day repair (L = 5), Avellaneda-Stoikov, the 14-check risk chain, the simulated venue with
/// the exact FIFO queue model, 50 us latency each way and fees. Target: >= 20 M events/s.
void bm_backtest_goog(benchmark::State& state, queue_kind kind) {
    const lobster_day& day = goog_day();
    if (day.messages.empty()) {
        state.SkipWithError(("no messages in " + goog_path).c_str());
        return;
    }
    lobster_backtest_config cfg;
    cfg.levels = 5;
    any_queue q;
    q.kind = kind;
    std::size_t fills = 0;
    avellaneda_stoikov_config as = cfg.strategy;
    as.session = day.session;  // the horizon: this day's close (timestamps are UTC epoch ns)
    for (auto _ : state) {
        const backtest_report r = run_lobster_backtest(day, cfg, avellaneda_stoikov(as), q);
        fills = r.fills;
        benchmark::DoNotOptimize(fills);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.messages.size()));
    state.counters["fills"] = static_cast<double>(fills);
}

/// Tick to quote: one level update of a 20-level book, the 20-level microprice, and an
/// Avellaneda-Stoikov quote. Target: median <= 50 ns.
void bm_tick_to_quote(benchmark::State& state) {
    depth_book book(20);
    for (std::int64_t i = 0; i < 20; ++i) {
        (void)book.update(side::buy, price{2'240'000 - 100 * i}, qty{100 + 10 * i});
        (void)book.update(side::sell, price{2'240'200 + 100 * i}, qty{100 + 10 * i});
    }
    avellaneda_stoikov_config c;
    c.vol.warmup_seconds = 0.0;
    avellaneda_stoikov as(c);
    market_snapshot snap;
    snap.has_bid = snap.has_ask = true;
    std::int64_t t = 34'200'000'000'000;
    std::int64_t i = 0;
    std::int64_t quoted = 0;
    for (auto _ : state) {
        // A realistic tick: the size at one of the top three levels changes.
        const side s = (i & 1) ? side::sell : side::buy;
        const std::int64_t lvl = i % 3;
        const price px{s == side::buy ? 2'240'000 - 100 * lvl : 2'240'200 + 100 * lvl};
        (void)book.update(s, px, qty{100 + (i % 50)});
        const auto micro = multi_level_microprice(book, 20, 0.8);
        const level_info bb = book.level(side::buy, 0);
        const level_info ba = book.level(side::sell, 0);
        snap.ts = timestamp{t};
        snap.best_bid = bb.px;
        snap.bid_size = bb.size;
        snap.best_ask = ba.px;
        snap.ask_size = ba.size;
        const quote_pair q = as.on_market(snap, qty{0});
        quoted += q.bid.active ? 1 : 0;
        benchmark::DoNotOptimize(micro);
        benchmark::DoNotOptimize(q);
        t += 1'000'000;  // 1 ms between ticks
        ++i;
    }
    state.counters["quoted"] = benchmark::Counter(static_cast<double>(quoted), benchmark::Counter::kAvgIterations);
}

} // namespace

[[maybe_unused]] const bool goog_registered = [] {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(goog_path, ec)) {
        std::fprintf(stderr, "note: %s not found (not bundled; configure with -DPINNACLE_EXTRA_LOBSTER_DIR=<dir>): "
                             "bm_backtest_goog is not registered\n", goog_path.c_str());
        return false;
    }
    benchmark::RegisterBenchmark("bm_backtest_goog/fifo", bm_backtest_goog, queue_kind::fifo)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_backtest_goog/prob", bm_backtest_goog, queue_kind::prob)->Unit(benchmark::kMillisecond);
    return true;
}();
BENCHMARK(bm_tick_to_quote);
BENCHMARK_MAIN();
