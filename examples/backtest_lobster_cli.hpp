#pragma once
// The command line of backtest_lobster, shared with pinnacle_journal (which re-runs a journaled
// backtest from the arguments recorded in its session_start record): flag parsing into a
// lobster_backtest_config and the strategy dispatch. Every bad value is a bad_flag.

#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/strategy/avellaneda_stoikov_infinite.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"
#ifdef PINNACLE_HAVE_JOURNAL
#include "pinnacle/journal/journal.hpp"
#endif

#ifndef PINNACLE_EXAMPLES_DATA_DIR
#define PINNACLE_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace pinnacle_examples {

// clang-format off
inline constexpr const char* backtest_usage =
    "usage: backtest_lobster [--messages F [--orderbook F]] [options]\n"
    "data\n"
    "  --messages F           LOBSTER message file (default: bundled AMZN 2012-06-21 level 1)\n"
    "  --orderbook F          its orderbook file; keeps the book exact beyond the reported depth\n"
    "  --levels L             depth L of a message file without orderbook (default: from the name)\n"
    "output\n"
    "  --json FILE            write the report as JSON\n"
    "  --equity-csv FILE      write the equity curve (one row per minute of event time)\n"
    "  --jsonl FILE           write the JSONL event log (docs/persistence.md): market and book updates,\n"
    "                         orders, reports, strategy metrics once a second; FILE.partial until the end\n"
    "  --jsonl-levels N       book levels per side in order_book_update lines, 1..10 (default 5)\n"
    "  --jsonl-overflow P     a full log queue: block (default; every line written) or drop (count drops)\n"
    "  --jsonl-queue N        log queue capacity in records, 2..16777216 (default 65536)\n"
    "journal (docs/persistence.md)\n"
    "  --journal DIR          journal the run (inputs, reports, decisions, state hashes, snapshots) in DIR\n"
    "  --resume               with --journal: recover after a crash (same inputs and flags) and continue\n"
    "  --journal-sync P       durability: none (default: survives kill -9, not power loss), records:N, decisions\n"
    "  --journal-segment-mb M segment file size in MiB (default 64)\n"
    "  --snapshot-every N     state hash record and snapshot every N market events (default 100000; 0: not by count)\n"
    "  --snapshot-every-ms T  ... and every T ms of event time (default 0: not by time); whichever is due first\n"
    "  --crash-after-records N  testing: SIGKILL this process after appending N journal records\n"
    "  --journal-ready-file F   testing: create F once the journal is open and the run is about to start\n"
    "strategy\n"
    "  --strategy S           as: Avellaneda-Stoikov (2008), finite horizon (default)\n"
    "                         as-inf: Avellaneda-Stoikov, infinite horizon\n"
    "                         glft: Gueant-Lehalle-Fernandez-Tapia (2013) closed form\n"
    "                         imbalance: imbalance-skewed spread around the microprice\n"
    "  --gamma G              risk aversion, 1/$ (as, glft: default 0.0025; as-inf: default 0.5)\n"
    "  --k K                  order-arrival decay k, 1/$ (as, as-inf, glft; default 50)\n"
    "  --A A                  order-arrival intensity at the mid, 1/s (glft; default 1)\n"
    "  --order-qty Q          shares per quote (default 100)\n"
    "venue\n"
    "  --queue M              fifo (exact, from order ids; default), risk-averse, prob\n"
    "  --latency-ns N         order entry and response latency, each way (default 50000)\n"
    "  --maker-fee T          passive fee, ticks ($0.0001) per share; negative = rebate (default -20)\n"
    "  --taker-fee T          aggressive fee, ticks per share (default 30)\n"
    "  --maker-fee-bps X      passive fee in bps of notional (added to the per-share fee; default 0)\n"
    "  --taker-fee-bps Y      aggressive fee in bps of notional (default 0)\n"
    "risk\n"
    "  --max-position P       position limit in shares, long and short, counting working orders (default 1000)\n"
    "  --max-order-qty Q      largest order, shares (default 1000)\n"
    "  --daily-loss-limit D   stop quoting after losing $D in a session day\n"
    "  --max-drawdown D       stop quoting after a $D fall from the PnL peak\n"
    "  --price-band-bps B     refuse quotes farther than B bps from the mid (default 500)\n"
    "  --max-open-orders N    most orders working at once (default 32)\n"
    "  --max-orders-per-second R   order rate limit, event time (default 1000, burst 200)\n"
    "  --max-losing-streak N  stop after N losing round trips in a row\n"
    "  --breaker-move-bps B   circuit breaker: open on a mid move of B bps within the window (default 50; 0 = off)\n"
    "  --breaker-window-ms W  window of that move (default 1000)\n"
    "  --breaker-cooldown-ms C  stay open this long, then probe (default 30000)\n"
    "  --hedge-threshold Q    emit an offsetting IOC intent beyond Q shares of inventory (0 = off)\n"
    "quote updates (when a working quote is replaced; docs/engine.md)\n"
    "  --requote-tolerance-ticks N  keep a quote within N ticks of the wanted price (100 = 1 cent; default 0)\n"
    "  --min-quote-life-us U  keep any quote younger than U microseconds (default 0)\n"
    "  --requote-period-ms P  replace a quote kept by the tolerance once it is P ms old (default 0 = never)\n"
    "  --kill-switch-at T     fire the kill switch at T = HH:MM:SS[.frac], exchange local time of the data:\n"
    "                         every working order is cancelled and nothing new is sent; --json then has\n"
    "                         orders_sent_after_kill, working_orders_at_end and kill_to_flat_ns\n";

// clang-format on

inline double positive(std::string_view flag, const char* v) {
    const double d = parse_double(flag, v);
    if (!(d > 0)) throw bad_flag{std::string(flag) + " must be > 0, got '" + v + "'"};
    return d;
}

/// Everything backtest_lobster's flags say.
struct backtest_cli {
    std::string messages;      ///< LOBSTER message file.
    std::string orderbook;     ///< Its orderbook file ("" = none).
    std::string json_path;     ///< --json.
    std::string equity_path;   ///< --equity-csv.
    std::string strategy = "as"; ///< as, as-inf, glft, imbalance.
    std::string queue = "fifo";  ///< fifo, risk-averse, prob.
    pinnacle::lobster_backtest_config cfg; ///< The backtest's settings.
    long long levels = -1;     ///< --levels (-1: from the file name).
    double glft_A = 1.0;       ///< --A.
    bool gamma_given = false;  ///< --gamma was given.
    bool k_given = false;      ///< --k was given.
    std::string journal_dir;   ///< --journal ("" = no journal).
    bool resume = false;       ///< --resume.
    std::string journal_sync = "none"; ///< --journal-sync.
    long long segment_mb = 64; ///< --journal-segment-mb.
    long long snapshot_every = 100'000; ///< --snapshot-every.
    long long snapshot_every_ms = 0;    ///< --snapshot-every-ms (event time, ms; 0: off).
    long long crash_after = 0; ///< --crash-after-records (testing; 0 = never).
    std::string ready_file;    ///< --journal-ready-file (testing; "" = none).
    std::string jsonl_path;    ///< --jsonl ("" = no event log).
    long long jsonl_levels = 5; ///< --jsonl-levels.
    bool jsonl_drop = false;   ///< --jsonl-overflow drop.
    long long jsonl_queue = 65536; ///< --jsonl-queue.
    bool help = false;         ///< --help.
    std::vector<std::string> run_args; ///< The flags that define the run (journaled in session_start).
};

/// Parses argv[1..argc); throws bad_flag. Fills the bundled day when no --messages is given.
inline backtest_cli parse_backtest_cli(int argc, const char* const* argv) {
    using namespace pinnacle;
    backtest_cli c;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            c.help = true;
            return c;
        }
        if (a.substr(0, 2) != "--") throw bad_flag{"unexpected argument '" + std::string(a) + "'"};
        if (a == "--resume") {
            c.resume = true;
            continue;
        }
        if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
        const char* v = argv[++i];
        // The JSONL event log's flags: output only, never recorded in a journal's session_start.
        if (a.substr(0, 7) == "--jsonl") {
            if (a == "--jsonl") c.jsonl_path = v;
            else if (a == "--jsonl-levels") c.jsonl_levels = parse_int(a, v, 1, 10);
            else if (a == "--jsonl-queue") c.jsonl_queue = parse_int(a, v, 2, 16'777'216);
            else if (a == "--jsonl-overflow") {
                if (std::string_view(v) != "block" && std::string_view(v) != "drop")
                    throw bad_flag{"--jsonl-overflow must be block or drop, got '" + std::string(v) + "'"};
                c.jsonl_drop = std::string_view(v) == "drop";
            } else throw bad_flag{"unknown flag '" + std::string(a) + "'"};
            continue;
        }
        // Flags that say where output goes, not what the run is, are not recorded in the journal.
        const bool output = a == "--json" || a == "--equity-csv" || a == "--journal" || a == "--journal-sync" ||
                            a == "--journal-segment-mb" || a == "--crash-after-records" || a == "--journal-ready-file";
        if (!output) {
            c.run_args.emplace_back(a);
            c.run_args.emplace_back(v);
        }
        if (a == "--journal") c.journal_dir = v;
        else if (a == "--journal-sync") {
#ifdef PINNACLE_HAVE_JOURNAL
            if (!pinnacle::parse_sync_policy(v)) throw bad_flag{"--journal-sync must be none, records:N (1..10^9) or decisions, got '" + std::string(v) + "'"};
#endif
            c.journal_sync = v;
        } else if (a == "--journal-segment-mb") c.segment_mb = parse_int(a, v, 1, 4096);
        else if (a == "--snapshot-every") c.snapshot_every = parse_int(a, v, 0, 1'000'000'000'000LL);
        else if (a == "--snapshot-every-ms") c.snapshot_every_ms = parse_int(a, v, 0, 1'000'000'000'000LL);  // <= 10^12 ms: x 10^6 fits int64
        else if (a == "--crash-after-records") c.crash_after = parse_int(a, v, 1, 1'000'000'000'000LL);
        else if (a == "--journal-ready-file") c.ready_file = v;
        else if (a == "--messages") c.messages = v;
        else if (a == "--orderbook") c.orderbook = v;
        else if (a == "--json") c.json_path = v;
        else if (a == "--equity-csv") c.equity_path = v;
        else if (a == "--levels") c.levels = parse_int(a, v, 1, 100000);
        else if (a == "--strategy") c.strategy = v;
        else if (a == "--queue") c.queue = v;
        else if (a == "--latency-ns") {
            const long long ns = parse_int(a, v, 0, 60'000'000'000LL);
            c.cfg.latency = constant_latency{duration{ns}, duration{ns}};
        } else if (a == "--maker-fee") c.cfg.fees.per_lot.maker_ticks_per_lot = parse_int(a, v, -100000, 100000);
        else if (a == "--taker-fee") c.cfg.fees.per_lot.taker_ticks_per_lot = parse_int(a, v, -100000, 100000);
        else if (a == "--maker-fee-bps") c.cfg.fees.bps.maker_bps = parse_double(a, v);
        else if (a == "--taker-fee-bps") c.cfg.fees.bps.taker_bps = parse_double(a, v);
        else if (a == "--gamma") {
            c.cfg.strategy.gamma = parse_double(a, v);
            c.gamma_given = true;
        }
        else if (a == "--k") {
            c.cfg.strategy.k = parse_double(a, v);
            c.k_given = true;
        }
        else if (a == "--A") c.glft_A = positive(a, v);
        else if (a == "--order-qty") c.cfg.strategy.order_qty = qty{parse_int(a, v, 1, bounds::max_qty_lots)};  // core/bounds.hpp
        else if (a == "--max-position") {
            const qty p{parse_int(a, v, 0, 1'000'000'000'000LL)};
            c.cfg.risk.max_long = p;
            c.cfg.risk.max_short = p;
            c.cfg.strategy.max_position = p;
        } else if (a == "--max-order-qty") c.cfg.risk.max_order_qty = qty{parse_int(a, v, 1, 1'000'000'000'000LL)};
        else if (a == "--daily-loss-limit") c.cfg.risk.daily_loss_limit = positive(a, v);
        else if (a == "--max-drawdown") c.cfg.risk.max_drawdown = positive(a, v);
        else if (a == "--price-band-bps") c.cfg.risk.price_band_bps = parse_int(a, v, 1, 1'000'000);
        else if (a == "--max-open-orders") c.cfg.risk.max_open_orders = static_cast<std::uint32_t>(parse_int(a, v, 1, 1'000'000));
        else if (a == "--max-orders-per-second") c.cfg.risk.orders_per_second = positive(a, v);
        else if (a == "--max-losing-streak") c.cfg.risk.max_losing_streak = static_cast<std::uint32_t>(parse_int(a, v, 1, 1'000'000'000));
        else if (a == "--breaker-move-bps") {
            c.cfg.breaker.price_move_bps = parse_double(a, v);
            if (c.cfg.breaker.price_move_bps < 0) throw bad_flag{"--breaker-move-bps must be >= 0"};
        } else if (a == "--breaker-window-ms") c.cfg.breaker.price_window = duration{parse_int(a, v, 1, 86'400'000) * 1'000'000};
        else if (a == "--breaker-cooldown-ms") c.cfg.breaker.cooldown = duration{parse_int(a, v, 0, 86'400'000) * 1'000'000};
        else if (a == "--kill-switch-at") {
            const auto t = parse_time_of_day(v);
            if (!t) throw bad_flag{"--kill-switch-at must be HH:MM:SS[.fraction] (local time of the data), got '" + std::string(v) + "'"};
            c.cfg.kill_switch_at = *t;
        }
        else if (a == "--requote-tolerance-ticks") c.cfg.engine.quoting.tolerance_ticks = parse_int(a, v, 0, bounds::max_price_ticks);
        else if (a == "--min-quote-life-us") c.cfg.engine.quoting.min_quote_life = duration{parse_int(a, v, 0, 86'400'000'000LL) * 1'000};
        else if (a == "--requote-period-ms") c.cfg.engine.quoting.refresh_period = duration{parse_int(a, v, 0, 86'400'000LL) * 1'000'000};
        else if (a == "--hedge-threshold") c.cfg.engine.hedge_threshold = qty{parse_int(a, v, 0, 1'000'000'000'000LL)};
        else throw bad_flag{"unknown flag '" + std::string(a) + "'"};
    }
    if (c.messages.empty() && !c.orderbook.empty()) throw bad_flag{"--orderbook needs --messages"};
    if (c.resume && c.journal_dir.empty()) throw bad_flag{"--resume needs --journal DIR"};
#ifndef PINNACLE_HAVE_JSONL
    if (!c.jsonl_path.empty()) throw bad_flag{"--jsonl: this build has no pinnacle::jsonl (install nlohmann-json3-dev and reconfigure)"};
#endif
#ifndef PINNACLE_HAVE_JOURNAL
    if (!c.journal_dir.empty()) throw bad_flag{"--journal: this build has no pinnacle::journal (install libxxhash-dev and reconfigure)"};
#endif
    if (c.strategy != "as" && c.strategy != "as-inf" && c.strategy != "glft" && c.strategy != "imbalance")
        throw bad_flag{"--strategy must be as, as-inf, glft or imbalance, got '" + c.strategy + "'"};
    if (c.queue != "fifo" && c.queue != "risk-averse" && c.queue != "prob")
        throw bad_flag{"--queue must be fifo, risk-averse or prob, got '" + c.queue + "'"};
    if (const std::string_view why = avellaneda_stoikov::check(c.cfg.strategy); !why.empty()) throw bad_flag{std::string(why)};
    if (const std::string_view why = circuit_breaker::check(c.cfg.breaker); !why.empty()) throw bad_flag{std::string(why)};
    // Bounds (core/bounds.hpp): out-of-range fees and rates are refused here, not wrapped later.
    if (const std::string_view why = fee_schedule::check(c.cfg.fees); !why.empty())
        throw bad_flag{"--maker-fee/--taker-fee(-bps): " + std::string(why)};
    if (const std::string_view why = order_rate_check::check_config(c.cfg.risk.orders_per_second, c.cfg.risk.order_burst); !why.empty())
        throw bad_flag{"--max-orders-per-second: " + std::string(why)};
    if (c.messages.empty()) {
        c.messages = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        c.orderbook = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";
    }
    c.cfg.levels = c.levels > 0 ? static_cast<std::size_t>(c.levels) : lobster_levels_from_name(c.messages);
    return c;
}

/// The session_start payload of a run: its defining flags, NUL-separated.
inline std::string encode_run_args(const std::vector<std::string>& args) {
    std::string s;
    for (const std::string& a : args) {
        s += a;
        s += '\0';
    }
    return s;
}

/// Splits a session_start payload back into arguments.
inline std::vector<std::string> decode_run_args(std::string_view s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < s.size()) {
        const std::size_t end = s.find('\0', at);
        if (end == std::string_view::npos) break;
        out.emplace_back(s.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

/// A progress bar on stderr, only when it is a terminal.
struct progress_bar {
    bool on = isatty(2) != 0;
    void operator()(std::size_t done, std::size_t total) const noexcept {
        if (!on || total == 0) return;
        const int width = 40;
        const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
        std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "########################################", width - filled, "",
                     static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)));
        if (done == total) std::fputs("\r\033[K", stderr);
    }
};

/// Runs the strategy the flags chose over `day`; `used_gamma`/`used_k` get what the model ran with.
template <class Progress, class Recorder = pinnacle::no_backtest_recorder>
pinnacle::backtest_report run_backtest_cli(const backtest_cli& cli, const pinnacle::lobster_day& day, const Progress& bar,
                                           double& used_gamma, double& used_k, Recorder* rec = nullptr) {
    using namespace pinnacle;
    lobster_backtest_config cfg = cli.cfg;
    cfg.strategy.session = day.session;  // the A-S horizon: this day's close
    any_queue q;
    q.kind = cli.queue == "fifo" ? queue_kind::fifo : cli.queue == "risk-averse" ? queue_kind::risk_averse : queue_kind::prob;
    q.prob = prob_queue{cfg.prob_queue_power};
    const avellaneda_stoikov_config& as = cfg.strategy;
    used_gamma = as.gamma;
    used_k = as.k;
    if (cli.strategy == "as") return run_lobster_backtest(day, cfg, avellaneda_stoikov(as), q, no_report_observer{}, bar, rec);
    if (cli.strategy == "as-inf") {
        avellaneda_stoikov_infinite_config c;  // its own defaults unless a flag says otherwise
        if (cli.gamma_given) c.gamma = as.gamma;
        if (cli.k_given) c.k = as.k;
        c.order_qty = as.order_qty;
        c.max_position = as.max_position;
        c.q_max = static_cast<double>(as.max_position.lots()) / static_cast<double>(as.order_qty.lots());
        used_gamma = c.gamma;
        used_k = c.k;
        return run_lobster_backtest(day, cfg, avellaneda_stoikov_infinite(c), q, no_report_observer{}, bar, rec);
    }
    if (cli.strategy == "glft") {
        glft_config c;
        if (cli.gamma_given) c.gamma = as.gamma;
        if (cli.k_given) c.k = as.k;
        c.A = cli.glft_A;
        used_gamma = c.gamma;
        used_k = c.k;
        c.order_qty = as.order_qty;
        c.max_position = as.max_position;
        return run_lobster_backtest(day, cfg, glft(c), q, no_report_observer{}, bar, rec);
    }
    imbalance_mm_config c;
    c.order_qty = as.order_qty;
    c.max_position = as.max_position;
    return run_lobster_backtest(day, cfg, imbalance_mm(c), q, no_report_observer{}, bar, rec);
}

} // namespace pinnacle_examples
