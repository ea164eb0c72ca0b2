// backtest_lobster: the example market maker on a real NASDAQ day. Rebuilds the L3 book from
// LOBSTER messages, quotes with Avellaneda-Stoikov through a simulated exchange (exact FIFO queue
// position, latency, fees) and prints the report.
//
//   backtest_lobster [--messages F --orderbook F] [--json FILE] [options]
//
// With no arguments it runs on the bundled AMZN 2012-06-21 day (LOBSTER level 1).
// Exit 0 on success, 2 on bad input or bad flags.

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "pinnacle/sim/lobster_backtest.hpp"

#ifndef PINNACLE_EXAMPLES_DATA_DIR
#define PINNACLE_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace {

constexpr const char* usage =
    "usage: backtest_lobster [--messages F [--orderbook F]] [--json FILE] [options]\n"
    "  --messages F       LOBSTER message file (default: bundled AMZN 2012-06-21 level 1)\n"
    "  --orderbook F      its orderbook file; keeps the book exact beyond the reported depth\n"
    "  --levels L         depth L of an unpaired message file (default: from the file name)\n"
    "  --json FILE        also write the report as JSON\n"
    "  --latency-ns N     order entry and response latency, each way (default 50000)\n"
    "  --maker-fee T      passive fee, ticks ($0.0001) per share; negative = rebate (default -20)\n"
    "  --taker-fee T      aggressive fee, ticks per share (default 30)\n"
    "  --gamma G          Avellaneda-Stoikov risk aversion, 1/$ (default 0.0025)\n"
    "  --k K              order-arrival decay k, 1/$ (default 50)\n"
    "  --order-qty Q      shares per quote (default 100)\n"
    "  --max-position P   position limit in shares, counting working orders (default 1000)\n";

struct bad_flag {
    std::string what;
};

double parse_double(std::string_view flag, const char* v) {
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !std::isfinite(d))
        throw bad_flag{std::string(flag) + " needs a number, got '" + v + "'"};
    return d;
}

long long parse_int(std::string_view flag, const char* v, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v, &end, 10);
    if (end == v || *end != '\0' || errno != 0 || n < lo || n > hi)
        throw bad_flag{std::string(flag) + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got '" + v + "'"};
    return n;
}

// L from a LOBSTER file name ..._message_L.csv, or 0.
std::size_t levels_from_name(const std::string& path) {
    const auto pos = path.rfind("_message_");
    if (pos == std::string::npos) return 0;
    const char* p = path.c_str() + pos + 9;
    char* end = nullptr;
    const unsigned long v = std::strtoul(p, &end, 10);
    return (end != p && std::string_view(end).substr(0, 4) == ".csv") ? static_cast<std::size_t>(v) : 0;
}

} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle;
    std::string messages;
    std::string orderbook;
    std::string json_path;
    lobster_backtest_config cfg;
    long long levels = -1;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            }
            if (i + 1 >= argc) throw bad_flag{std::string(a) + (a.substr(0, 2) == "--" ? " needs a value" : ": unexpected argument")};
            const char* v = argv[++i];
            if (a == "--messages") messages = v;
            else if (a == "--orderbook") orderbook = v;
            else if (a == "--json") json_path = v;
            else if (a == "--levels") levels = parse_int(a, v, 1, 100000);
            else if (a == "--latency-ns") {
                const long long ns = parse_int(a, v, 0, 60'000'000'000LL);
                cfg.venue.entry_latency = duration{ns};
                cfg.venue.response_latency = duration{ns};
            } else if (a == "--maker-fee") cfg.venue.maker_fee_per_lot = parse_int(a, v, -100000, 100000);
            else if (a == "--taker-fee") cfg.venue.taker_fee_per_lot = parse_int(a, v, -100000, 100000);
            else if (a == "--gamma") cfg.strategy.gamma = parse_double(a, v);
            else if (a == "--k") cfg.strategy.k = parse_double(a, v);
            else if (a == "--order-qty") cfg.strategy.order_qty = qty{parse_int(a, v, 1, 1'000'000'000)};
            else if (a == "--max-position") {
                cfg.max_position = qty{parse_int(a, v, 0, 1'000'000'000'000LL)};
                cfg.strategy.max_position = cfg.max_position;
            } else throw bad_flag{"unknown flag '" + std::string(a) + "'"};
        }
        if (messages.empty() && !orderbook.empty()) throw bad_flag{"--orderbook needs --messages"};
        if (const std::string_view why = avellaneda_stoikov::check(cfg.strategy); !why.empty()) throw bad_flag{std::string(why)};
    } catch (const bad_flag& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n%s", e.what.c_str(), usage);
        return 2;
    }
    if (messages.empty()) {
        messages = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        orderbook = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";
    }
    cfg.levels = levels > 0 ? static_cast<std::size_t>(levels) : levels_from_name(messages);

    try {
        const lobster_day day = load_lobster_day(messages, orderbook, cfg.inst);
        if (day.messages.empty()) {
            std::fprintf(stderr, "backtest_lobster: %s has no messages\n", messages.c_str());
            return 2;
        }
        const backtest_report r = run_lobster_backtest(day, cfg);
        std::printf("backtest_lobster: %s%s\n", messages.c_str(), orderbook.empty() ? " (no orderbook file)" : "");
        std::printf("strategy       avellaneda-stoikov gamma=%g/$ k=%g/$ order_qty=%lld max_position=%lld\n",
                    cfg.strategy.gamma, cfg.strategy.k, static_cast<long long>(cfg.strategy.order_qty.lots()),
                    static_cast<long long>(cfg.max_position.lots()));
        std::printf("venue          latency %lld ns each way, maker fee %lld, taker fee %lld ticks/share\n",
                    static_cast<long long>(cfg.venue.entry_latency.ns()), static_cast<long long>(cfg.venue.maker_fee_per_lot),
                    static_cast<long long>(cfg.venue.taker_fee_per_lot));
        std::printf("events         %zu\n", r.events);
        std::printf("quotes         %zu (cancels %zu, risk rejects %zu)\n", r.quotes, r.cancels, r.risk_rejects);
        std::printf("fills          %zu\n", r.fills);
        std::printf("volume         %lld shares\n", static_cast<long long>(r.volume));
        std::printf("position       %lld shares (min %lld, max %lld)\n", static_cast<long long>(r.position),
                    static_cast<long long>(r.min_position), static_cast<long long>(r.max_position));
        std::printf("realized PnL   $%.2f\n", r.realized_pnl);
        std::printf("total PnL      $%.2f (marked to mid %.4f)\n", r.total_pnl, (r.final_bid + r.final_ask) / 2);
        std::printf("fees           $%.2f\n", r.fees);
        std::printf("max drawdown   $%.2f\n", r.max_drawdown);
        std::printf("sharpe         %.2f (1-minute PnL changes, x sqrt(252*390))\n", r.sharpe);
        std::printf("events/s       %.0f (%.3f s)\n", r.events_per_second, r.seconds);
        if (!json_path.empty()) {
            std::FILE* f = std::fopen(json_path.c_str(), "wb");
            const std::string js = r.to_json();
            if (f == nullptr || std::fwrite(js.data(), 1, js.size(), f) != js.size() || std::fclose(f) != 0) {
                std::fprintf(stderr, "backtest_lobster: cannot write %s\n", json_path.c_str());
                return 2;
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n", e.what());
        return 2;
    }
}
