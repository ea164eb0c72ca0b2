/// @file bench_book.cpp
/// l3_book against reference_book (std::map + std::list + std::unordered_map, same features):
/// replay throughput of whole LOBSTER days already parsed into memory, and ns per add, partial
/// cancel, partial execute and delete in a book with a realistic resting population.
/// Results and the commands that made them: docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/reference_book.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/feed/lobster.hpp"

namespace {

using pinnacle::event_type;
using pinnacle::l3_book;
using pinnacle::market_event;
using pinnacle::order_id;
using pinnacle::price;
using pinnacle::qty;
using pinnacle::reference_book;
using pinnacle::side;
using pinnacle::status;

constexpr std::size_t status_count = static_cast<std::size_t>(status::not_supported) + 1;

// Time per item as a counter: an inverted rate is printed in seconds with an SI prefix (e.g. "21.3ns").
benchmark::Counter time_per(double items_per_iteration) {
    return benchmark::Counter(items_per_iteration, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Book-specific preparation before a timed loop. l3_book's order-id index starts small and doubles
// while the live order count reaches new highs (allocating: that is its warm-up); reserving the
// peak once makes every timed replay or operation allocation-free, as in a warmed-up process.
void reserve_for(l3_book& b, std::size_t orders) { b.reserve(orders); }
void reserve_for(reference_book&, std::size_t) {}  // nothing to reserve: it allocates per order

// ---------------------------------------------------------------------------------------------
// Replay of real LOBSTER days
// ---------------------------------------------------------------------------------------------

/// A message file parsed into memory once, with facts from one checked, untimed replay.
struct replay_data {
    std::vector<market_event> events;
    std::size_t peak_orders = 0;  // most known orders resting at once
    std::uint64_t non_ok = 0;     // non-ok statuses in one replay (same for both books: checked)
    std::string label;            // file name and status breakdown, shown next to the results
    std::string error;            // non-empty: benchmarks on this file skip with this message
};

/// One LOBSTER day: the first existing path among `paths` is used.
struct dataset {
    std::vector<std::string> paths;
    std::string missing;  // message when no path exists
    std::unique_ptr<replay_data> cache;
};

// Replays `events` through both books, requiring identical statuses and best levels after every
// message and identical depth at the end: the benchmark only times books that agree.
void check_and_summarise(replay_data& d, const std::string& path) {
    l3_book a;
    reference_book b;
    std::array<std::uint64_t, status_count> by_status{};
    for (std::size_t i = 0; i < d.events.size(); ++i) {
        const status sa = a.apply(d.events[i]);
        const status sb = b.apply(d.events[i]);
        if (sa != sb || best_bid(a) != best_bid(b) || best_ask(a) != best_ask(b)) {
            d.error = "l3_book and reference_book disagree at message " + std::to_string(i + 1) + " of " + path +
                      " (statuses " + std::string(to_string(sa)) + " / " + std::string(to_string(sb)) + ")";
            return;
        }
        ++by_status[static_cast<std::size_t>(sa)];
        d.peak_orders = std::max(d.peak_orders, a.order_count());
    }
    for (const side s : {side::buy, side::sell}) {
        bool same = a.depth(s) == b.depth(s);
        for (std::size_t i = 0; same && i < a.depth(s); ++i) same = a.level(s, i) == b.level(s, i);
        if (!same) {
            d.error = "l3_book and reference_book end with different books after " + path;
            return;
        }
    }
    d.label = std::filesystem::path(path).filename().string();
    for (std::size_t k = 1; k < status_count; ++k) {
        if (by_status[k] == 0) continue;
        d.non_ok += by_status[k];
        // Appended piece by piece: `" " + std::string(...)` trips GCC 12's false -Wrestrict positive.
        d.label += ' ';
        d.label += to_string(static_cast<status>(k));
        d.label += '=';
        d.label += std::to_string(by_status[k]);
    }
}

const replay_data& load(dataset& ds) {
    if (ds.cache) return *ds.cache;
    ds.cache = std::make_unique<replay_data>();
    replay_data& d = *ds.cache;
    std::string path;
    for (const std::string& p : ds.paths) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) {
            path = p;
            break;
        }
    }
    if (path.empty()) {
        d.error = ds.missing;
        return d;
    }
    try {
        d.events = pinnacle::load_lobster_messages(path);
    } catch (const std::exception& e) {
        d.error = std::string("cannot load ") + path + ": " + e.what();
        return d;
    }
    if (d.events.empty()) {
        d.error = path + " holds no messages";
        return d;
    }
    check_and_summarise(d, path);
    return d;
}

dataset amzn_day{{std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv"},
                 "AMZN 2012-06-21 message file not found in " PINNACLE_EXAMPLES_DATA_DIR,
                 nullptr};

// Not bundled (4 MB): looked for in PINNACLE_EXTRA_LOBSTER_DIR, registered only when there.
const std::string goog_path = std::string(PINNACLE_EXTRA_LOBSTER_DIR) + "/GOOG_2012-06-21_34200000_57600000_message_5.csv";
dataset goog_day{{goog_path}, "GOOG 2012-06-21 full day not found: " + goog_path, nullptr};

/// Each iteration replays the whole day, in memory, into an emptied book. Parsing, construction and
/// clear() are outside the timing; one untimed replay first warms the allocators of both books.
template <class Book>
void bm_replay(benchmark::State& state, dataset* ds) {
    const replay_data& d = load(*ds);
    if (!d.error.empty()) {
        state.SkipWithError(d.error.c_str());
        return;
    }
    Book book;
    reserve_for(book, d.peak_orders);
    for (const market_event& e : d.events) (void)book.apply(e);  // warm-up, untimed

    std::uint64_t non_ok = 0;
    for (auto _ : state) {
        state.PauseTiming();
        book.clear();
        state.ResumeTiming();
        for (const market_event& e : d.events) non_ok += book.apply(e) != status::ok ? 1u : 0u;
        benchmark::DoNotOptimize(non_ok);
        benchmark::ClobberMemory();
    }

    const auto n = static_cast<double>(d.events.size());
    const auto iterations = static_cast<std::uint64_t>(state.iterations());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.events.size()));
    state.counters["msgs"] = n;
    state.counters["peak_orders"] = static_cast<double>(d.peak_orders);
    state.counters["time_per_msg"] = time_per(n);
    state.counters["non_ok_per_replay"] = benchmark::Counter(static_cast<double>(non_ok), benchmark::Counter::kAvgIterations);
    state.SetLabel(d.label);
    if (non_ok != d.non_ok * iterations) state.SkipWithError("statuses differ from the checked replay");
}

/// The same day replayed as a LOBSTER user replays it (replay_lobster, backtest_lobster): after each
/// message, levels beyond the file's depth L are dropped, because a level-L file never reports
/// what happens to them. Without this, orders whose cancels were never sent pile up as phantom
/// levels (hundreds, many above the real best price) and the raw replay above measures that.
template <class Book>
void bm_replay_depth_limited(benchmark::State& state, dataset* ds, std::size_t depth) {
    const replay_data& d = load(*ds);
    if (!d.error.empty()) {
        state.SkipWithError(d.error.c_str());
        return;
    }
    Book book;
    reserve_for(book, d.peak_orders);
    auto replay = [&]() noexcept {
        std::uint64_t bad = 0;
        for (const market_event& e : d.events) {
            bad += book.apply(e) != status::ok ? 1u : 0u;
            book.truncate(side::buy, depth);
            book.truncate(side::sell, depth);
        }
        return bad;
    };
    const std::uint64_t expected = replay();  // warm-up, untimed
    std::uint64_t non_ok = 0;
    for (auto _ : state) {
        state.PauseTiming();
        book.clear();
        state.ResumeTiming();
        non_ok += replay();
        benchmark::DoNotOptimize(non_ok);
        benchmark::ClobberMemory();
    }
    const auto n = static_cast<double>(d.events.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.events.size()));
    state.counters["msgs"] = n;
    state.counters["time_per_msg"] = time_per(n);
    state.counters["non_ok_per_replay"] = benchmark::Counter(static_cast<double>(non_ok), benchmark::Counter::kAvgIterations);
    state.SetLabel(d.label);
    if (non_ok != expected * static_cast<std::uint64_t>(state.iterations())) state.SkipWithError("statuses changed between replays");
}

// ---------------------------------------------------------------------------------------------
// Per-operation microbenchmarks
// ---------------------------------------------------------------------------------------------

constexpr std::int64_t mid = 100'000;            // ticks
constexpr std::int64_t levels_per_side = 25;     // 50 levels in all
constexpr std::int64_t orders_per_level = 20;    // 1000 resting orders
constexpr std::int64_t resting_lots = std::int64_t{1} << 30;  // never exhausted by 1-lot cancels/executions
constexpr std::size_t ring = 4096;               // pre-generated operations, cycled (power of two)
constexpr std::size_t batch = 512;               // operations per manually timed batch
constexpr std::size_t batches = 8;               // distinct pre-generated batches, cycled

/// splitmix64: a tiny seeded generator, identical on every platform (std distributions are not).
struct rng {
    std::uint64_t state;
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    template <class T>
    void shuffle(std::vector<T>& v) noexcept {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }
};

market_event make(event_type t, std::uint64_t id, side s, std::int64_t px_ticks, std::int64_t lots) {
    market_event e{};
    e.type = t;
    e.id = order_id{id};
    e.side = s;
    e.px = price{px_ticks};
    e.size = qty{lots};
    return e;
}

std::int64_t level_px(side s, std::int64_t offset) { return s == side::buy ? mid - offset : mid + offset; }

/// The resting population as add events: 20 orders on each of 25 levels per side around `mid`,
/// inserted in a shuffled order so that queue neighbours are not memory neighbours.
std::vector<market_event> population() {
    std::vector<market_event> adds;
    std::uint64_t id = 10'000'000;
    for (const side s : {side::buy, side::sell})
        for (std::int64_t lvl = 1; lvl <= levels_per_side; ++lvl)
            for (std::int64_t k = 0; k < orders_per_level; ++k) adds.push_back(make(event_type::add, id++, s, level_px(s, lvl), resting_lots));
    rng r{42};
    r.shuffle(adds);
    return adds;
}

/// A new order near the top: side at random, distance from the mid drawn from an exponential of
/// mean 5 ticks capped at 30 (most adds land on the best few levels; beyond 25 they open a level).
market_event nearby_add(rng& r, std::uint64_t id) {
    const side s = r.next() & 1u ? side::sell : side::buy;
    const auto offset = 1 + std::min<std::int64_t>(29, static_cast<std::int64_t>(-5.0 * std::log1p(-r.unit())));
    return make(event_type::add, id, s, level_px(s, offset), 100);
}

market_event as_delete(market_event e) {
    e.type = event_type::remove;
    return e;
}

/// Orders and lots resting in a book, summed over its levels (a DepthView, so the same for both).
struct totals {
    std::int64_t orders = 0;
    std::int64_t lots = 0;
    std::size_t levels = 0;
    friend bool operator==(const totals&, const totals&) = default;
};

template <class Book>
totals totals_of(const Book& b) {
    totals t;
    for (const side s : {side::buy, side::sell}) {
        t.levels += b.depth(s);
        for (std::size_t i = 0; i < b.depth(s); ++i) {
            const pinnacle::level_info l = b.level(s, i);
            t.orders += l.orders;
            t.lots += l.size.lots();
        }
    }
    return t;
}

/// A book holding the population, with its id index reserved for `extra` more orders.
template <class Book>
bool seed(Book& book, const std::vector<market_event>& pop, std::size_t extra, benchmark::State& state) {
    reserve_for(book, pop.size() + extra);
    for (const market_event& e : pop) {
        if (book.apply(e) != status::ok) {
            state.SkipWithError("seeding the book failed");
            return false;
        }
    }
    return true;
}

void finish_op(benchmark::State& state, std::uint64_t non_ok, double ops_per_iteration, bool state_ok) {
    state.SetItemsProcessed(static_cast<std::int64_t>(static_cast<double>(state.iterations()) * ops_per_iteration));
    state.counters["time_per_op"] = time_per(ops_per_iteration);
    state.counters["non_ok"] = static_cast<double>(non_ok);  // must be 0: every measured operation happened
    if (non_ok != 0) state.SkipWithError("an operation under measurement failed");
    else if (!state_ok) state.SkipWithError("the book does not hold what the operations should have left");
}

/// add: `batch` new orders at nearby prices, timed; then deleted untimed (shuffled), so every batch
/// meets the same 1000-order book. Manual time around the batch (two steady_clock reads per 512 adds).
template <class Book>
void bm_add(benchmark::State& state) {
    const std::vector<market_event> pop = population();
    Book book;
    if (!seed(book, pop, batch, state)) return;
    const totals before = totals_of(book);

    rng r{7};
    std::vector<std::vector<market_event>> adds(batches), deletes(batches);
    std::uint64_t id = 50'000'000;
    for (std::size_t b = 0; b < batches; ++b) {
        for (std::size_t i = 0; i < batch; ++i) adds[b].push_back(nearby_add(r, id++));
        for (const market_event& e : adds[b]) deletes[b].push_back(as_delete(e));
        r.shuffle(deletes[b]);
    }

    std::uint64_t non_ok = 0;
    std::uint64_t untimed_non_ok = 0;
    std::size_t b = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        for (const market_event& e : adds[b]) non_ok += book.apply(e) != status::ok ? 1u : 0u;
        benchmark::DoNotOptimize(non_ok);
        benchmark::ClobberMemory();
        const auto t1 = std::chrono::steady_clock::now();
        for (const market_event& e : deletes[b]) untimed_non_ok += book.apply(e) != status::ok ? 1u : 0u;
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        b = (b + 1) % batches;
    }
    finish_op(state, non_ok + untimed_non_ok, batch, totals_of(book) == before);
}

/// delete: `batch` orders added untimed at nearby prices, then deleted (shuffled order, so each
/// delete hits a random queue position), timed. Manual time around the batch.
template <class Book>
void bm_delete(benchmark::State& state) {
    const std::vector<market_event> pop = population();
    Book book;
    if (!seed(book, pop, batch, state)) return;
    const totals before = totals_of(book);

    rng r{11};
    std::vector<std::vector<market_event>> adds(batches), deletes(batches);
    std::uint64_t id = 50'000'000;
    for (std::size_t b = 0; b < batches; ++b) {
        for (std::size_t i = 0; i < batch; ++i) adds[b].push_back(nearby_add(r, id++));
        for (const market_event& e : adds[b]) deletes[b].push_back(as_delete(e));
        r.shuffle(deletes[b]);
    }

    std::uint64_t non_ok = 0;
    std::uint64_t untimed_non_ok = 0;
    std::size_t b = 0;
    for (auto _ : state) {
        for (const market_event& e : adds[b]) untimed_non_ok += book.apply(e) != status::ok ? 1u : 0u;
        benchmark::ClobberMemory();
        const auto t0 = std::chrono::steady_clock::now();
        for (const market_event& e : deletes[b]) non_ok += book.apply(e) != status::ok ? 1u : 0u;
        benchmark::DoNotOptimize(non_ok);
        benchmark::ClobberMemory();
        const auto t1 = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        b = (b + 1) % batches;
    }
    finish_op(state, non_ok + untimed_non_ok, batch, totals_of(book) == before);
}

/// add + delete pair in steady state: each iteration adds a new order at a nearby price and deletes
/// a resting order chosen at random among the 1000 (which the new one replaces), all timed.
template <class Book>
void bm_add_delete(benchmark::State& state) {
    std::vector<market_event> live = population();
    Book book;
    if (!seed(book, live, 1, state)) return;

    rng r{13};
    std::vector<market_event> shapes(ring);  // side and price of each new order (id set in the loop)
    std::vector<std::uint32_t> victims(ring);
    for (std::size_t i = 0; i < ring; ++i) {
        shapes[i] = nearby_add(r, 0);
        victims[i] = static_cast<std::uint32_t>(r.below(live.size()));
    }

    std::uint64_t non_ok = 0;
    std::uint64_t id = 50'000'000;
    std::size_t i = 0;
    for (auto _ : state) {
        market_event add = shapes[i];
        add.id = order_id{id++};
        market_event& victim = live[victims[i]];
        non_ok += book.apply(add) != status::ok ? 1u : 0u;
        non_ok += book.apply(as_delete(victim)) != status::ok ? 1u : 0u;
        victim = add;
        i = (i + 1) & (ring - 1);
    }
    benchmark::DoNotOptimize(non_ok);
    const totals t = totals_of(book);
    finish_op(state, non_ok, 2.0, t.orders == static_cast<std::int64_t>(live.size()));
    state.counters["time_per_pair"] = time_per(1.0);
}

/// cancel: 1 lot off a resting order chosen at random among the 1000 (partial: the order stays).
template <class Book>
void bm_cancel(benchmark::State& state) {
    const std::vector<market_event> pop = population();
    Book book;
    if (!seed(book, pop, 0, state)) return;
    const totals before = totals_of(book);

    rng r{17};
    std::vector<market_event> ops(ring);
    for (market_event& e : ops) {
        e = pop[r.below(pop.size())];
        e.type = event_type::cancel;
        e.size = qty{1};
    }

    std::uint64_t non_ok = 0;
    std::size_t i = 0;
    for (auto _ : state) {
        non_ok += book.apply(ops[i]) != status::ok ? 1u : 0u;
        i = (i + 1) & (ring - 1);
    }
    benchmark::DoNotOptimize(non_ok);
    totals after = totals_of(book);
    after.lots += state.iterations();  // every iteration took exactly one lot
    finish_op(state, non_ok, 1.0, after == before);
}

/// execute: 1 lot of a resting order at the best bid or best ask (side and order at random among
/// the 20 there; partial: the order stays).
template <class Book>
void bm_execute(benchmark::State& state) {
    const std::vector<market_event> pop = population();
    Book book;
    if (!seed(book, pop, 0, state)) return;
    const totals before = totals_of(book);

    std::vector<market_event> at_best;
    for (const market_event& e : pop)
        if (e.px.ticks() == level_px(e.side, 1)) at_best.push_back(e);
    rng r{19};
    std::vector<market_event> ops(ring);
    for (market_event& e : ops) {
        e = at_best[r.below(at_best.size())];
        e.type = event_type::execute;
        e.size = qty{1};
    }

    std::uint64_t non_ok = 0;
    std::size_t i = 0;
    for (auto _ : state) {
        non_ok += book.apply(ops[i]) != status::ok ? 1u : 0u;
        i = (i + 1) & (ring - 1);
    }
    benchmark::DoNotOptimize(non_ok);
    totals after = totals_of(book);
    after.lots += state.iterations();
    finish_op(state, non_ok, 1.0, after == before);
}

// Registered by hand to get readable names; l3_book and reference_book side by side.
template <class Fn>
void both(const std::string& name, Fn l3, Fn ref, bool manual_time) {
    benchmark::internal::Benchmark* a = benchmark::RegisterBenchmark((name + "/l3_book").c_str(), l3);
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark((name + "/reference_book").c_str(), ref);
    for (benchmark::internal::Benchmark* x : {a, b}) {
        x->Unit(benchmark::kNanosecond);
        if (manual_time) x->UseManualTime();
    }
}

[[maybe_unused]] const bool registered = [] {
    std::error_code ec;
    const bool have_goog = std::filesystem::is_regular_file(goog_path, ec);
    if (!have_goog)
        std::fprintf(stderr, "note: %s not found (not bundled; configure with -DPINNACLE_EXTRA_LOBSTER_DIR=<dir>): "
                             "the GOOG replay benchmarks are not registered\n", goog_path.c_str());
    for (const auto& [name, ds] : {std::pair{"replay/AMZN_2012-06-21_L1", &amzn_day}, std::pair{"replay/GOOG_2012-06-21_L5", &goog_day}}) {
        if (ds == &goog_day && !have_goog) continue;
        benchmark::RegisterBenchmark((std::string(name) + "/l3_book").c_str(), bm_replay<l3_book>, ds)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string(name) + "/reference_book").c_str(), bm_replay<reference_book>, ds)->Unit(benchmark::kMillisecond);
    }
    for (const auto& [name, ds, depth] : {std::tuple{"replay_depth_limited/AMZN_2012-06-21_L1", &amzn_day, std::size_t{1}},
                                          std::tuple{"replay_depth_limited/GOOG_2012-06-21_L5", &goog_day, std::size_t{5}}}) {
        if (ds == &goog_day && !have_goog) continue;
        benchmark::RegisterBenchmark((std::string(name) + "/l3_book").c_str(), bm_replay_depth_limited<l3_book>, ds, depth)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string(name) + "/reference_book").c_str(), bm_replay_depth_limited<reference_book>, ds, depth)
            ->Unit(benchmark::kMillisecond);
    }
    using fn = void (*)(benchmark::State&);
    both<fn>("op/add_batch512", bm_add<l3_book>, bm_add<reference_book>, true);
    both<fn>("op/delete_batch512", bm_delete<l3_book>, bm_delete<reference_book>, true);
    both<fn>("op/add_delete_pair", bm_add_delete<l3_book>, bm_add_delete<reference_book>, false);
    both<fn>("op/cancel_partial", bm_cancel<l3_book>, bm_cancel<reference_book>, false);
    both<fn>("op/execute_partial_best", bm_execute<l3_book>, bm_execute<reference_book>, false);
    return true;
}();

} // namespace

BENCHMARK_MAIN();
