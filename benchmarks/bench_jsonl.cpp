/// @file bench_jsonl.cpp
/// The JSONL event log's overhead on the bundled AMZN day's backtest, in the same run: no
/// recorder (the plain harness), the recorder without a log (the cost of the hook), the log with
/// the block policy (every line written: the engine waits for the writer when the queue is full),
/// and the log with the drop policy (the engine never waits; drops counted). The writer thread's
/// CPU is not in the CPU column (the engine thread's only): read the wall time too.
/// Results: docs/PERFORMANCE.md (Journal).

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/journal/jsonl/recorder.hpp"

namespace {

using namespace pinnacle;
namespace fs = std::filesystem;

const lobster_day& bundled_day() {
    static const lobster_day day =
        load_lobster_day(std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv",
                         std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv");
    return day;
}

/// mode 0: no recorder; 1: jsonl_recorder without a log; 2: log, block policy; 3: log, drop policy.
/// Each iteration is one whole backtest, log opened before and closed (writer drained, file
/// fsynced and renamed) inside the timed region, since that is what a --jsonl run pays.
void bm_backtest_jsonl(benchmark::State& state, int mode) {
    const lobster_day& day = bundled_day();
    lobster_backtest_config cfg;
    avellaneda_stoikov_config as = cfg.strategy;
    as.session = day.session;
    const std::string path = (fs::temp_directory_path() / ("pinnacle_bench_jsonl_" + std::to_string(::getpid()) + ".jsonl")).string();
    jsonl_stats last{};
    for (auto _ : state) {
        if (mode == 0) {
            benchmark::DoNotOptimize(run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}));
            continue;
        }
        std::unique_ptr<jsonl_log> log;
        if (mode >= 2) {
            jsonl_options o;
            o.path = path;
            o.overflow = mode == 2 ? jsonl_overflow::block : jsonl_overflow::drop;
            log = std::make_unique<jsonl_log>(o);
        }
        jsonl_recorder rec(log.get());
        benchmark::DoNotOptimize(run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, no_report_observer{}, no_progress{}, &rec));
        if (log) {
            if (!log->close().empty()) state.SkipWithError("jsonl close failed");
            last = log->stats();
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.messages.size()));
    if (mode >= 2) {
        state.counters["lines"] = static_cast<double>(last.lines);
        state.counters["dropped"] = static_cast<double>(last.dropped);
        state.counters["bytes"] = static_cast<double>(fs::file_size(path));
        fs::remove(path);
    }
}
BENCHMARK_CAPTURE(bm_backtest_jsonl, no_recorder, 0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(bm_backtest_jsonl, recorder_no_log, 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(bm_backtest_jsonl, jsonl_block, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(bm_backtest_jsonl, jsonl_drop, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

/// One push of a 512-byte record into the queue, the writer draining behind (ns per push; the
/// drop policy, so a full queue costs a counted drop, not a wait).
void bm_push(benchmark::State& state) {
    const std::string path = (fs::temp_directory_path() / ("pinnacle_bench_jsonl_push_" + std::to_string(::getpid()) + ".jsonl")).string();
    jsonl_options o;
    o.path = path;
    o.overflow = jsonl_overflow::drop;
    jsonl_log log(o);
    jsonl_record r{};
    r.type = jsonl_type::strategy_metrics;
    for (auto _ : state) {
        ++r.ts;
        benchmark::DoNotOptimize(log.push(r));
    }
    (void)log.close();
    state.counters["dropped_share"] = static_cast<double>(log.stats().dropped) / static_cast<double>(state.iterations());
    state.counters["record_bytes"] = static_cast<double>(sizeof(jsonl_record));
    fs::remove(path);
}
BENCHMARK(bm_push);

/// The writer thread's work per line (jsonl_formatter: a reused nlohmann_json object per record type
/// filled and dumped; ns per line), for a
/// market_update, an order_book_update of 5 levels a side, and a strategy_metrics line.
void bm_format(benchmark::State& state, jsonl_type type) {
    const instrument inst = lobster_instrument();
    jsonl_record r{};
    r.type = type;
    r.ts = 1'340'285'400'004'241'176;
    r.u.book.bids = r.u.book.asks = 5;
    if (type == jsonl_type::order_book_update)
        for (std::size_t i = 0; i < 5; ++i) {
            r.u.book.bid[i] = jsonl_level{2'239'500 - static_cast<std::int64_t>(i) * 100, 100, 2};
            r.u.book.ask[i] = jsonl_level{2'240'500 + static_cast<std::int64_t>(i) * 100, 100, 2};
        }
    std::string buf;
    jsonl_formatter fmt(inst);
    for (auto _ : state) {
        buf.clear();
        ++r.ts;
        fmt.append(r, buf);
        benchmark::DoNotOptimize(buf.data());
    }
    state.counters["bytes"] = static_cast<double>(buf.size());
}
BENCHMARK_CAPTURE(bm_format, market_update, jsonl_type::market_update);
BENCHMARK_CAPTURE(bm_format, order_book_update, jsonl_type::order_book_update);
BENCHMARK_CAPTURE(bm_format, strategy_metrics, jsonl_type::strategy_metrics);

} // namespace

BENCHMARK_MAIN();
