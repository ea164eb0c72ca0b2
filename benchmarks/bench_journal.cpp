/// @file bench_journal.cpp
/// The event journal: append cost per record (no sync; with records:N and per-record sync),
/// replay (read + CRC check) speed, bytes per event, and the bundled backtest with the journal on
/// and off in the same run. Results: docs/PERFORMANCE.md (Journal).

#include <benchmark/benchmark.h>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/journal/codec.hpp"
#include "pinnacle/journal/journal.hpp"
#include "pinnacle/journal/recorder.hpp"

namespace {

using namespace pinnacle;
namespace fs = std::filesystem;

std::string scratch_dir(const char* name) {
    const fs::path p = fs::temp_directory_path() / ("pinnacle_bench_journal_" + std::string(name) + "_" + std::to_string(::getpid()));
    fs::remove_all(p);
    return p.string();
}

const lobster_day& bundled_day() {
    static const lobster_day day =
        load_lobster_day(std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv",
                         std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv");
    return day;
}

/// One market-event record (28-byte payload, 64 bytes on disk) per append; the segment rolls every
/// 64 MiB like the default. Appends are timed in batches of 32 (steady_clock around each batch),
/// and the counters report the median and 99th percentile of ns per append over the batches, so
/// the rare slow append (a page fault, a segment roll, a sync) shows in p99, not the median.
void bm_append(benchmark::State& state, const char* policy) {
    const std::string dir = scratch_dir("append");
    journal_options o;
    o.sync = *parse_sync_policy(policy);
    std::vector<double> per;
    per.reserve(1 << 20);
    {
        journal_writer w(dir, o);
        unsigned char p[market_event_payload] = {};
        std::int64_t t = 0;
        for (auto _ : state) {
            const auto a = std::chrono::steady_clock::now();
            for (int i = 0; i < 32; ++i) benchmark::DoNotOptimize(w.append(record_type::market_event, timestamp{++t}, p, sizeof p));
            const auto b = std::chrono::steady_clock::now();
            if (per.size() < per.capacity()) per.push_back(std::chrono::duration<double, std::nano>(b - a).count() / 32);
        }
        state.SetItemsProcessed(state.iterations() * 32);
    }
    std::sort(per.begin(), per.end());
    if (!per.empty()) {
        state.counters["append_ns_median"] = per[per.size() / 2];
        state.counters["append_ns_p99"] = per[per.size() * 99 / 100];
    }
    state.counters["bytes_per_record"] = static_cast<double>(record_span(market_event_payload));
    fs::remove_all(dir);
}
BENCHMARK_CAPTURE(bm_append, no_sync, "none");
BENCHMARK_CAPTURE(bm_append, sync_every_1000, "records:1000");
BENCHMARK_CAPTURE(bm_append, sync_every_record, "records:1")->Iterations(100);

/// Thread CPU time (ns).
double thread_cpu_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

/// Reading a journal back: every record's CRC32C and sequence checked (records/s). The counters
/// give records per CPU second and whether that meets the 10 M records/s target (1) or not (0).
void bm_replay_read(benchmark::State& state) {
    const std::string dir = scratch_dir("read");
    const std::int64_t n = 2'000'000;
    {
        journal_writer w(dir, journal_options{});
        unsigned char p[market_event_payload] = {};
        for (std::int64_t i = 0; i < n; ++i) (void)w.append(record_type::market_event, timestamp{i}, p, sizeof p);
    }
    std::int64_t total = 0;
    const double cpu0 = thread_cpu_ns();
    for (auto _ : state) {
        journal_reader rd(dir);
        journal_record r;
        std::uint64_t sum = 0;
        while (rd.next(r)) sum += r.length;
        benchmark::DoNotOptimize(sum);
        total += n;
    }
    const double cpu = thread_cpu_ns() - cpu0;
    state.SetItemsProcessed(total);
    const double per_s = cpu > 0 ? static_cast<double>(total) / (cpu / 1e9) : 0.0;
    state.counters["Mrecords_per_cpu_s"] = per_s / 1e6;
    state.counters["meets_10M_target"] = per_s >= 10e6 ? 1.0 : 0.0;
    fs::remove_all(dir);
}
BENCHMARK(bm_replay_read)->Unit(benchmark::kMillisecond);

/// The bundled AMZN day through the whole backtest: journal off (the plain harness), hash only,
/// and journal on (every input, report and decision journaled, default policy); bytes per event.
void bm_backtest(benchmark::State& state, int mode) {
    const lobster_day& day = bundled_day();
    lobster_backtest_config cfg;
    avellaneda_stoikov_config as = cfg.strategy;
    as.session = day.session;
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        if (mode == 0) {
            benchmark::DoNotOptimize(run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}));
        } else {
            recorder_options ro;
            ro.dir = scratch_dir("backtest");
            state.PauseTiming();
            fs::remove_all(ro.dir);
            state.ResumeTiming();
            journal_recorder rec(mode == 1 ? recorder_mode::hash_only : recorder_mode::write, ro);
            benchmark::DoNotOptimize(
                run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, no_report_observer{}, no_progress{}, &rec));
            state.PauseTiming();
            if (mode == 2) {
                journal_reader rd(ro.dir);
                journal_record r;
                bytes = 0;
                while (rd.next(r)) bytes += record_span(r.length);
                bytes += journal_format::segment_header_size;
            }
            fs::remove_all(ro.dir);
            state.ResumeTiming();
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(day.messages.size()));
    if (mode == 2) state.counters["bytes_per_event"] = static_cast<double>(bytes) / static_cast<double>(day.messages.size());
}
BENCHMARK_CAPTURE(bm_backtest, journal_off, 0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(bm_backtest, hash_only, 1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(bm_backtest, journal_on, 2)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
