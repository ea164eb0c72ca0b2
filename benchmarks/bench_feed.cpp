/// @file bench_feed.cpp
/// Exchange decoders on recorded captures: decode + apply (simdjson On-Demand, exact decimals,
/// book update, every check) per message and per byte, beside nlohmann::json::parse of the same
/// bytes (parse alone, no book) in the same run; and the median of single Binance depth updates.
/// Captures: ../shared/data/crypto-ws when present, else the bundled slices in
/// tests/data/connect. Results and the command that made them: docs/PERFORMANCE.md ("Feed").

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/replay.hpp"

namespace {

namespace pc = pinnacle::connect;

// One recorded capture, reduced to what the decoder sees.
struct recorded {
    struct item {
        std::string msg;
        std::string snapshot_symbol;  // empty: a WebSocket message
        std::size_t conn = 0;
    };
    pc::exchange_kind kind = pc::exchange_kind::unknown;
    std::vector<item> items;
    std::vector<std::pair<std::string, pc::instrument_spec>> specs;
    bool listed = false;
    std::size_t bytes = 0;
};

std::string pick(const char* shared_rel, const char* bundled) {
    const std::string s = std::string(PINNACLE_SHARED_DATA_DIR) + "/crypto-ws/" + shared_rel;
    if (std::filesystem::exists(s)) return s;
    return std::string(PINNACLE_TEST_DATA_DIR) + "/connect/" + bundled;
}

recorded load(const std::string& path) {
    recorded r;
    pc::capture_replay rep;
    rep.set_tap([&](std::string_view msg, std::string_view sym, std::size_t conn) {
        r.items.push_back(recorded::item{std::string(msg), std::string(sym), conn});
        r.bytes += msg.size();
    });
    pc::capture_reader reader(path);
    std::string_view line;
    while (reader.next(line)) rep.on_line(line, reader.line_no());
    r.kind = rep.exchange();
    r.listed = rep.listed_instruments();
    for (const auto& b : rep.symbols()) r.specs.emplace_back(b.name, b.spec);
    return r;
}

const recorded& capture(pc::exchange_kind k) {
    static std::vector<std::unique_ptr<recorded>> cache;
    for (const auto& c : cache) {
        if (c->kind == k) return *c;
    }
    std::string path;
    switch (k) {
        case pc::exchange_kind::binance: path = pick("binance-spot/btcusdt_20240808.gz", "binance_spot_btcusdt_20240808_400.gz"); break;
        case pc::exchange_kind::binance_usdm: path = pick("binance-usdm/BINANCE_FUTURES.jsonl.zst", "binance_usdm_full.jsonl.zst"); break;
        case pc::exchange_kind::kraken: path = pick("kraken/KRAKEN.jsonl.zst", "kraken_xbtchf_ethchf.jsonl.zst"); break;
        case pc::exchange_kind::coinbase: path = pick("coinbase-advanced-trade/COINBASE.jsonl.zst", "coinbase_advanced_btcusd_ethusd_140.jsonl.zst"); break;
        case pc::exchange_kind::coinbase_exchange: path = pick("coinbase-pro-legacy/COINBASE.ws.28.0", "coinbase_exchange_250.ws.gz"); break;
        case pc::exchange_kind::bitstamp: path = pick("bitstamp/BITSTAMP.jsonl.zst", "bitstamp_full.jsonl.zst"); break;
        case pc::exchange_kind::unknown: break;
    }
    cache.push_back(std::make_unique<recorded>(load(path)));
    return *cache.back();
}

template <class D>
void setup(D& d, const recorded& r) {
    for (const auto& [n, s] : r.specs) d.set_instrument(n, s);
    if (!r.listed) d.allow_fallback(pc::default_crypto_spec());
}

// Feeds every recorded item to a fresh decoder of the capture's kind; returns the feed_status sum
// (kept so nothing is optimised away).
template <class D>
std::size_t run(D& d, const recorded& r) {
    std::size_t acc = 0;
    for (const auto& it : r.items) {
        pc::feed_result res;
        if constexpr (requires { d.on_snapshot(it.snapshot_symbol, it.msg); }) {
            if (!it.snapshot_symbol.empty()) {
                res = d.on_snapshot(it.snapshot_symbol, it.msg);
                acc += static_cast<std::size_t>(res.status);
                continue;
            }
        }
        if constexpr (requires { d.on_message(it.msg, pinnacle::timestamp{}, it.conn); }) res = d.on_message(it.msg, pinnacle::timestamp{}, it.conn);
        else res = d.on_message(it.msg);
        acc += static_cast<std::size_t>(res.status) + d.events().size();
    }
    return acc;
}

template <class D, pc::exchange_kind K>
void BM_decode_apply(benchmark::State& state) {
    const recorded& r = capture(K);
    for (auto _ : state) {
        state.PauseTiming();
        auto d = std::make_unique<D>();
        if constexpr (K == pc::exchange_kind::binance) d = std::make_unique<D>(pc::binance_market::spot);
        if constexpr (K == pc::exchange_kind::binance_usdm) d = std::make_unique<D>(pc::binance_market::usdm);
        setup(*d, r);
        state.ResumeTiming();
        benchmark::DoNotOptimize(run(*d, r));
        state.PauseTiming();
        d.reset();  // freeing the books is not decoding
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(r.items.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(r.bytes));
    state.counters["ns_per_msg"] = benchmark::Counter(static_cast<double>(r.items.size()),
                                                      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <pc::exchange_kind K>
void BM_nlohmann_parse(benchmark::State& state) {
    const recorded& r = capture(K);
    for (auto _ : state) {
        for (const auto& it : r.items) {
            auto j = nlohmann::json::parse(it.msg);
            benchmark::DoNotOptimize(j);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(r.items.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(r.bytes));
    state.counters["ns_per_msg"] = benchmark::Counter(static_cast<double>(r.items.size()),
                                                      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Each Binance spot depth update timed alone (after the snapshot), median over the capture.
// Argument: levels kept per side (1000: the REST snapshot's depth; 20: a depth-20 consumer).
// Every iteration replays the same sequence from a fresh decoder, so each update is timed once
// per iteration: median_ns is the median of all those timings; best_median_ns takes each
// update's fastest of the iterations first (what the code costs, with less of a busy machine's
// preemptions and cache thrashing).
void BM_binance_depth_update_median(benchmark::State& state) {
    const recorded& r = capture(pc::exchange_kind::binance);
    std::vector<double> ns, best;
    for (auto _ : state) {
        pc::binance_decoder d(pc::binance_market::spot, static_cast<std::size_t>(state.range(0)));
        setup(d, r);
        bool synced = false;
        std::size_t k = 0;
        for (const auto& it : r.items) {
            if (!it.snapshot_symbol.empty()) {
                benchmark::DoNotOptimize(d.on_snapshot(it.snapshot_symbol, it.msg));
                synced = true;
                continue;
            }
            const bool depth = it.msg.find("depthUpdate") != std::string::npos;
            const auto t0 = std::chrono::steady_clock::now();
            const auto res = d.on_message(it.msg);
            const auto t1 = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(res);
            if (depth && synced && res.status == pc::feed_status::ok) {
                const auto t = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
                ns.push_back(t);
                if (k < best.size()) best[k] = std::min(best[k], t);
                else best.push_back(t);
                ++k;
            }
        }
    }
    auto median = [](std::vector<double>& v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    if (!ns.empty()) {
        state.counters["median_ns"] = median(ns);
        state.counters["best_median_ns"] = median(best);
        std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(ns.size() * 99 / 100), ns.end());
        state.counters["p99_ns"] = ns[ns.size() * 99 / 100];
        state.counters["updates"] = static_cast<double>(best.size());
    }
}

using pc::exchange_kind;
BENCHMARK(BM_decode_apply<pc::binance_decoder, exchange_kind::binance>)->Name("decode_apply/binance_spot")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::binance>)->Name("nlohmann_parse/binance_spot")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_decode_apply<pc::binance_decoder, exchange_kind::binance_usdm>)->Name("decode_apply/binance_usdm")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::binance_usdm>)->Name("nlohmann_parse/binance_usdm")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_decode_apply<pc::kraken_decoder, exchange_kind::kraken>)->Name("decode_apply/kraken")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::kraken>)->Name("nlohmann_parse/kraken")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_decode_apply<pc::coinbase_advanced_decoder, exchange_kind::coinbase>)->Name("decode_apply/coinbase")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::coinbase>)->Name("nlohmann_parse/coinbase")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_decode_apply<pc::coinbase_exchange_decoder, exchange_kind::coinbase_exchange>)->Name("decode_apply/coinbase_exchange")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::coinbase_exchange>)->Name("nlohmann_parse/coinbase_exchange")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_decode_apply<pc::bitstamp_decoder, exchange_kind::bitstamp>)->Name("decode_apply/bitstamp")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nlohmann_parse<exchange_kind::bitstamp>)->Name("nlohmann_parse/bitstamp")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_binance_depth_update_median)->Name("binance_spot_depth_update_single")->Arg(1000)->Arg(20)->Iterations(5)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
