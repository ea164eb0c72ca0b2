/// @file bench_backtest.cpp
/// The backtester end to end against the bare book replay of the same day, the tick-to-quote path
/// on its own, and the LOBSTER readers' throughput. Results: docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
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
/// `requote_every_change` true: quote_policy{} (replace on any change, as before the policy);
/// false: the backtest's default policy (tolerance of one quote increment).
void bm_backtest_goog(benchmark::State& state, queue_kind kind, bool requote_every_change) {
    const lobster_day& day = goog_day();
    if (day.messages.empty()) {
        state.SkipWithError(("no messages in " + goog_path).c_str());
        return;
    }
    lobster_backtest_config cfg;
    cfg.levels = 5;
    if (requote_every_change) cfg.engine.quoting = quote_policy{};
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

/// The same day's bare book replay, the book work the backtest does per message: l3_book apply
/// and the unpaired-day repair keeping 5 levels (no strategy, risk, venue or ledger). The
/// backtest's target is >= 0.5x this rate in the same run. The book is built in the timed loop
/// and sized by the same rule (lobster_book_config), as the backtest builds its own per run.
void bm_replay_goog(benchmark::State& state) {
    const lobster_day& day = goog_day();
    std::size_t stale = 0;
    for (auto _ : state) {
        l3_book book(lobster_book_config(day, 5));
        for (const market_event& e : day.messages) {
            (void)book.apply(e);
            stale += lobster_repair_unpaired(book, e, 5);
        }
        benchmark::DoNotOptimize(stale);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.messages.size()));
}

// A file's bytes (read once, outside the timed loop).
std::string file_text(const std::string& path) { return detail::read_whole_file(path); }

/// LOBSTER message parsing from memory (the text already read): bytes/s of the file. Target >= 1 GB/s.
void bm_parse_messages(benchmark::State& state, const std::string& path) {
    const std::string text = file_text(path);
    std::size_t n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto reader = lobster_message_reader::from_buffer(text, path);  // copies the text: not timed
        state.ResumeTiming();
        market_event e{};
        while (reader.next(e)) ++n;
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

/// load_lobster_messages(path): read the file, parse, store every event (what the CLI does).
void bm_load_messages(benchmark::State& state, const std::string& path) {
    std::int64_t bytes = 0;
    for (auto _ : state) {
        const std::vector<market_event> evs = load_lobster_messages(path);
        benchmark::DoNotOptimize(evs.data());
        bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
    }
    state.SetBytesProcessed(state.iterations() * bytes);
}

/// LOBSTER orderbook parsing from memory into a reused row: bytes/s of the file.
void bm_parse_orderbook(benchmark::State& state, const std::string& path) {
    const std::string text = file_text(path);
    std::size_t levels = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto reader = lobster_orderbook_reader::from_buffer(text, path);
        state.ResumeTiming();
        lobster_book_row row;
        while (reader.next(row)) levels += row.asks.size();
        benchmark::DoNotOptimize(levels);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

const std::string amzn_messages = std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
const std::string amzn_orderbook = std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";

/// Tick to quote: one level update of a 20-level book, the 20-level microprice, and an
/// Avellaneda-Stoikov quote. Target: median <= 25 ns. `stages` 1: the book update only; 2: and the
/// microprice; 3: the whole path (the same-run breakdown of where the time goes).
void bm_tick_to_quote(benchmark::State& state, int stages) {
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
        if (stages == 1) {
            benchmark::DoNotOptimize(book);
            ++i;
            continue;
        }
        const auto micro = multi_level_microprice(book, 20, 0.8);
        if (stages == 2) {
            benchmark::DoNotOptimize(micro);
            ++i;
            continue;
        }
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
    benchmark::RegisterBenchmark("bm_backtest_goog/fifo", bm_backtest_goog, queue_kind::fifo, false)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_backtest_goog/fifo_requote_every_change", bm_backtest_goog, queue_kind::fifo, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_backtest_goog/prob", bm_backtest_goog, queue_kind::prob, false)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_replay_goog", bm_replay_goog)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_parse_messages/goog", bm_parse_messages, goog_path)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_load_messages/goog", bm_load_messages, goog_path)->Unit(benchmark::kMillisecond);
    return true;
}();
[[maybe_unused]] const bool amzn_registered = [] {
    benchmark::RegisterBenchmark("bm_parse_messages/amzn", bm_parse_messages, amzn_messages)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("bm_parse_orderbook/amzn", bm_parse_orderbook, amzn_orderbook)->Unit(benchmark::kMillisecond);
    return true;
}();
BENCHMARK_CAPTURE(bm_tick_to_quote, full, 3);
BENCHMARK_CAPTURE(bm_tick_to_quote, book_update_only, 1);
BENCHMARK_CAPTURE(bm_tick_to_quote, book_update_and_microprice, 2);
BENCHMARK_MAIN();
