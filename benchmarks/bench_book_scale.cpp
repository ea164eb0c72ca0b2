/// @file bench_book_scale.cpp
/// How l3_book's replay cost and memory grow with the size of the day: synthetic days from a
/// zero-intelligence flow model calibrated on the GOOG 2012-06-21 day (flow_model.hpp), generated
/// in memory in chunks (nothing written to disk), replayed into an l3_book.
///
/// Default: a 1 M-message day with 100 k live orders (seconds). `--large` adds 10 M and 50 M
/// messages with up to 1 M live orders (run one size per process with --benchmark_filter to read
/// its peak RSS alone). Counters: msgs_per_s_cpu (replay only, thread CPU time), order_bytes and
/// order_bytes_per_peak_live (l3_book::order_memory_bytes() at the end, over the most orders live
/// at once), book_bytes (l3_book::memory_bytes(): with the level structures), peak_rss
/// (the process's VmHWM: the replayed book, the generator's own book and live-id list, the chunk).
/// `--write-lobster=PATH` writes the first 100,000 messages of the default day as a LOBSTER message
/// file (temporary file + rename) and checks that the LOBSTER reader reads back the same events.
/// Results and commands: docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "flow_model.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/feed/lobster.hpp"

namespace {

using pinnacle::market_event;
using pinnacle_bench::flow_generator;
using pinnacle_bench::flow_model;

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Peak resident set size of the process, bytes (Linux /proc/self/status VmHWM; 0 if unreadable).
double peak_rss_bytes() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;
    return 0;
}

const std::string goog_path = std::string(PINNACLE_EXTRA_LOBSTER_DIR) + "/GOOG_2012-06-21_34200000_57600000_message_5.csv";

// Calibrated once: on the full GOOG day when configured (PINNACLE_EXTRA_LOBSTER_DIR), else on the
// bundled AMZN day (the label says which).
const flow_model& model() {
    static const flow_model m = [] {
        std::error_code ec;
        if (std::filesystem::is_regular_file(goog_path, ec))
            return pinnacle_bench::calibrate(pinnacle::load_lobster_messages(goog_path), "GOOG 2012-06-21 L5");
        const std::string amzn = std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        return pinnacle_bench::calibrate(pinnacle::load_lobster_messages(amzn), "AMZN 2012-06-21 L1 (GOOG day not configured)");
    }();
    return m;
}

/// One synthetic day of `msgs` messages holding ~`live` orders, generated in chunks of 256 k
/// messages (untimed) and replayed chunk by chunk into one l3_book (timed: thread CPU time).
void bm_scale(benchmark::State& state, std::size_t msgs, std::size_t live) {
    const flow_model& m = model();
    for (auto _ : state) {
        flow_generator gen(m, 20120621, live);
        pinnacle::l3_book book(pinnacle::l3_book_config{2 * live + 1024, std::size_t{1} << 16});
        std::vector<market_event> chunk;
        chunk.reserve(std::size_t{1} << 18);
        double cpu = 0;
        std::uint64_t non_ok = 0;
        std::size_t peak_live = 0;
        for (std::size_t done = 0; done < msgs;) {
            const std::size_t n = std::min(msgs - done, std::size_t{1} << 18);
            gen.next(chunk, n);
            const double t0 = thread_cpu_seconds();
            for (const market_event& e : chunk) non_ok += book.apply(e) != pinnacle::status::ok ? 1u : 0u;
            cpu += thread_cpu_seconds() - t0;
            benchmark::DoNotOptimize(non_ok);
            peak_live = std::max(peak_live, book.order_count());
            done += n;
        }
        state.SetIterationTime(cpu);
        if (non_ok != 0) state.SkipWithError("the replayed book refused generated messages");
        state.counters["msgs"] = static_cast<double>(msgs);
        state.counters["msgs_per_s_cpu"] = static_cast<double>(msgs) / cpu;
        state.counters["ns_per_msg_cpu"] = cpu * 1e9 / static_cast<double>(msgs);
        state.counters["live_end"] = static_cast<double>(book.order_count());
        state.counters["live_peak"] = static_cast<double>(peak_live);
        state.counters["levels"] = static_cast<double>(book.depth(pinnacle::side::buy) + book.depth(pinnacle::side::sell));
        state.counters["book_bytes"] = static_cast<double>(book.memory_bytes());
        state.counters["order_bytes"] = static_cast<double>(book.order_memory_bytes());
        state.counters["order_bytes_per_peak_live"] =
            static_cast<double>(book.order_memory_bytes()) / static_cast<double>(peak_live == 0 ? 1 : peak_live);
        state.counters["peak_rss"] = peak_rss_bytes();
    }
    state.SetLabel("calibrated on " + m.source);
}

// LOBSTER message line for an event made by flow_generator (prices back in dollars x 10,000).
std::string lobster_line(const market_event& e, const pinnacle::instrument& inst) {
    const int type = e.type == pinnacle::event_type::add ? 1 : e.type == pinnacle::event_type::cancel ? 2 : e.type == pinnacle::event_type::remove ? 3 : 4;
    char buf[160];
    const int n = std::snprintf(buf, sizeof buf, "%lld.%09lld,%d,%llu,%lld,%lld,%d\n", static_cast<long long>(e.ts.ns() / 1'000'000'000),
                                static_cast<long long>(e.ts.ns() % 1'000'000'000), type, static_cast<unsigned long long>(e.id.value()),
                                static_cast<long long>(e.size.lots() * inst.lot_size), static_cast<long long>(e.px.ticks() * inst.tick_size),
                                e.side == pinnacle::side::buy ? 1 : -1);
    return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

// Writes the first 100,000 messages of the default day to `path` and reads them back. Returns 0
// when the reader gives back the same events, 1 otherwise (with a message).
int write_lobster(const std::string& path) {
    const pinnacle::instrument inst = pinnacle::lobster_instrument();
    flow_generator gen(model(), 20120621, 100'000);
    std::vector<market_event> events;
    gen.next(events, 100'000);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        for (const market_event& e : events) out << lobster_line(e, inst);
        if (!out.flush()) {
            std::fprintf(stderr, "cannot write %s\n", tmp.c_str());
            return 1;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::fprintf(stderr, "cannot rename %s to %s: %s\n", tmp.c_str(), path.c_str(), ec.message().c_str());
        return 1;
    }
    const std::vector<market_event> back = pinnacle::load_lobster_messages(path, inst);
    bool same = back.size() == events.size();
    for (std::size_t i = 0; same && i < back.size(); ++i) {
        const market_event& a = events[i];
        const market_event& b = back[i];
        same = a.ts == b.ts && a.id == b.id && a.px == b.px && a.size == b.size && a.type == b.type && a.side == b.side;
    }
    std::printf("%s: %zu messages written, read back %s (model calibrated on %s)\n", path.c_str(), events.size(),
                same ? "identical" : "DIFFERENT", model().source.c_str());
    return same ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    bool large = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--large") == 0) {
            large = true;
        } else if (std::strncmp(argv[i], "--write-lobster=", 16) == 0) {
            try {
                return write_lobster(argv[i] + 16);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s\n", e.what());
                return 1;
            }
        } else {
            args.push_back(argv[i]);
        }
    }
    struct size_case {
        const char* name;
        std::size_t msgs;
        std::size_t live;
        bool is_large;
    };
    for (const size_case c : {size_case{"scale/1M_msgs/100k_live", 1'000'000, 100'000, false},
                              size_case{"scale/10M_msgs/100k_live", 10'000'000, 100'000, true},
                              size_case{"scale/10M_msgs/1M_live", 10'000'000, 1'000'000, true},
                              size_case{"scale/50M_msgs/1M_live", 50'000'000, 1'000'000, true}}) {
        if (c.is_large && !large) continue;
        benchmark::RegisterBenchmark(c.name, bm_scale, c.msgs, c.live)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
    }
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
