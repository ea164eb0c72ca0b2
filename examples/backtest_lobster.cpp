// backtest_lobster: the example market maker on a real NASDAQ day. Rebuilds the L3 book from
// LOBSTER messages, quotes through the pre-trade risk chain into a simulated exchange (queue,
// latency and fee models) and prints the report.
//
//   backtest_lobster [--messages F --orderbook F] [--strategy as] [--queue fifo|risk-averse|prob]
//                    [--latency-ns N] [--maker-fee-bps X --taker-fee-bps Y] [--json FILE]
//                    [--equity-csv FILE] [--kill-switch-at HH:MM:SS[.frac]] [risk flags]
//
// With no arguments it runs on the bundled AMZN 2012-06-21 day (LOBSTER level 1).
// Exit 0 on success, 2 on bad input or bad flags.

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "json_report.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/apps/output_file.hpp"
#include "pinnacle/strategy/avellaneda_stoikov_infinite.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"

#ifndef PINNACLE_EXAMPLES_DATA_DIR
#define PINNACLE_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace {

using pinnacle_examples::bad_flag;
using pinnacle_examples::parse_double;
using pinnacle_examples::parse_int;

constexpr const char* usage =
    "usage: backtest_lobster [--messages F [--orderbook F]] [options]\n"
    "data\n"
    "  --messages F           LOBSTER message file (default: bundled AMZN 2012-06-21 level 1)\n"
    "  --orderbook F          its orderbook file; keeps the book exact beyond the reported depth\n"
    "  --levels L             depth L of a message file without orderbook (default: from the name)\n"
    "output\n"
    "  --json FILE            write the report as JSON\n"
    "  --equity-csv FILE      write the equity curve (one row per minute of event time)\n"
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
    "  --kill-switch-at T     fire the kill switch at T = HH:MM:SS[.frac], exchange local time of the data:\n"
    "                         every working order is cancelled and nothing new is sent; --json then has\n"
    "                         orders_sent_after_kill, working_orders_at_end and kill_to_flat_ns\n";

double positive(std::string_view flag, const char* v) {
    const double d = parse_double(flag, v);
    if (!(d > 0)) throw bad_flag{std::string(flag) + " must be > 0, got '" + v + "'"};
    return d;
}

// A progress bar on stderr, only when it is a terminal.
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

// Crash-safe (temporary + fsync + rename, apps/output_file.hpp); says why on stderr when it fails.
bool write_file(const std::string& path, const std::string& text) {
    const std::string err = pinnacle::write_file_atomically(path, text);
    if (!err.empty()) std::fprintf(stderr, "backtest_lobster: %s\n", err.c_str());
    return err.empty();
}

} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle;
    std::string messages;
    std::string orderbook;
    std::string json_path;
    std::string equity_path;
    std::string strategy = "as";
    std::string queue = "fifo";
    lobster_backtest_config cfg;
    long long levels = -1;
    double glft_A = 1.0;
    bool gamma_given = false;
    bool k_given = false;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            }
            if (a.substr(0, 2) != "--") throw bad_flag{"unexpected argument '" + std::string(a) + "'"};
            if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
            const char* v = argv[++i];
            if (a == "--messages") messages = v;
            else if (a == "--orderbook") orderbook = v;
            else if (a == "--json") json_path = v;
            else if (a == "--equity-csv") equity_path = v;
            else if (a == "--levels") levels = parse_int(a, v, 1, 100000);
            else if (a == "--strategy") strategy = v;
            else if (a == "--queue") queue = v;
            else if (a == "--latency-ns") {
                const long long ns = parse_int(a, v, 0, 60'000'000'000LL);
                cfg.latency = constant_latency{duration{ns}, duration{ns}};
            } else if (a == "--maker-fee") cfg.fees.per_lot.maker_ticks_per_lot = parse_int(a, v, -100000, 100000);
            else if (a == "--taker-fee") cfg.fees.per_lot.taker_ticks_per_lot = parse_int(a, v, -100000, 100000);
            else if (a == "--maker-fee-bps") cfg.fees.bps.maker_bps = parse_double(a, v);
            else if (a == "--taker-fee-bps") cfg.fees.bps.taker_bps = parse_double(a, v);
            else if (a == "--gamma") {
                cfg.strategy.gamma = parse_double(a, v);
                gamma_given = true;
            }
            else if (a == "--k") {
                cfg.strategy.k = parse_double(a, v);
                k_given = true;
            }
            else if (a == "--A") glft_A = positive(a, v);
            else if (a == "--order-qty") cfg.strategy.order_qty = qty{parse_int(a, v, 1, bounds::max_qty_lots)};  // core/bounds.hpp
            else if (a == "--max-position") {
                const qty p{parse_int(a, v, 0, 1'000'000'000'000LL)};
                cfg.risk.max_long = p;
                cfg.risk.max_short = p;
                cfg.strategy.max_position = p;
            } else if (a == "--max-order-qty") cfg.risk.max_order_qty = qty{parse_int(a, v, 1, 1'000'000'000'000LL)};
            else if (a == "--daily-loss-limit") cfg.risk.daily_loss_limit = positive(a, v);
            else if (a == "--max-drawdown") cfg.risk.max_drawdown = positive(a, v);
            else if (a == "--price-band-bps") cfg.risk.price_band_bps = parse_int(a, v, 1, 1'000'000);
            else if (a == "--max-open-orders") cfg.risk.max_open_orders = static_cast<std::uint32_t>(parse_int(a, v, 1, 1'000'000));
            else if (a == "--max-orders-per-second") cfg.risk.orders_per_second = positive(a, v);
            else if (a == "--max-losing-streak") cfg.risk.max_losing_streak = static_cast<std::uint32_t>(parse_int(a, v, 1, 1'000'000'000));
            else if (a == "--breaker-move-bps") {
                cfg.breaker.price_move_bps = parse_double(a, v);
                if (cfg.breaker.price_move_bps < 0) throw bad_flag{"--breaker-move-bps must be >= 0"};
            } else if (a == "--breaker-window-ms") cfg.breaker.price_window = duration{parse_int(a, v, 1, 86'400'000) * 1'000'000};
            else if (a == "--breaker-cooldown-ms") cfg.breaker.cooldown = duration{parse_int(a, v, 0, 86'400'000) * 1'000'000};
            else if (a == "--kill-switch-at") {
                const auto t = parse_time_of_day(v);
                if (!t) throw bad_flag{"--kill-switch-at must be HH:MM:SS[.fraction] (local time of the data), got '" + std::string(v) + "'"};
                cfg.kill_switch_at = *t;
            }
            else if (a == "--hedge-threshold") cfg.engine.hedge_threshold = qty{parse_int(a, v, 0, 1'000'000'000'000LL)};
            else throw bad_flag{"unknown flag '" + std::string(a) + "'"};
        }
        if (messages.empty() && !orderbook.empty()) throw bad_flag{"--orderbook needs --messages"};
        if (strategy != "as" && strategy != "as-inf" && strategy != "glft" && strategy != "imbalance")
            throw bad_flag{"--strategy must be as, as-inf, glft or imbalance, got '" + strategy + "'"};
        if (queue != "fifo" && queue != "risk-averse" && queue != "prob")
            throw bad_flag{"--queue must be fifo, risk-averse or prob, got '" + queue + "'"};
        if (const std::string_view why = avellaneda_stoikov::check(cfg.strategy); !why.empty()) throw bad_flag{std::string(why)};
        if (const std::string_view why = circuit_breaker::check(cfg.breaker); !why.empty()) throw bad_flag{std::string(why)};
        // Bounds (core/bounds.hpp): out-of-range fees and rates are refused here, not wrapped later.
        if (const std::string_view why = fee_schedule::check(cfg.fees); !why.empty())
            throw bad_flag{"--maker-fee/--taker-fee(-bps): " + std::string(why)};
        if (const std::string_view why = order_rate_check::check_config(cfg.risk.orders_per_second, cfg.risk.order_burst); !why.empty())
            throw bad_flag{"--max-orders-per-second: " + std::string(why)};
    } catch (const bad_flag& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n%s", e.what.c_str(), usage);
        return 2;
    }
    if (messages.empty()) {
        messages = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        orderbook = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";
    }
    cfg.levels = levels > 0 ? static_cast<std::size_t>(levels) : lobster_levels_from_name(messages);

    try {
        const lobster_day day = load_lobster_day(messages, orderbook, cfg.inst);
        if (day.messages.empty()) {
            std::fprintf(stderr, "backtest_lobster: %s has no messages\n", messages.c_str());
            return 2;
        }
        cfg.strategy.session = day.session;  // the A-S horizon: this day's close
        any_queue q;
        q.kind = queue == "fifo" ? queue_kind::fifo : queue == "risk-averse" ? queue_kind::risk_averse : queue_kind::prob;
        q.prob = prob_queue{cfg.prob_queue_power};
        const progress_bar bar;
        const avellaneda_stoikov_config& as = cfg.strategy;
        backtest_report r;
        double used_gamma = as.gamma;  // what the chosen model actually runs with, for the report
        double used_k = as.k;
        if (strategy == "as") {
            r = run_lobster_backtest(day, cfg, avellaneda_stoikov(as), q, no_report_observer{}, bar);
        } else if (strategy == "as-inf") {
            avellaneda_stoikov_infinite_config c;  // its own defaults unless a flag says otherwise
            if (gamma_given) c.gamma = as.gamma;
            if (k_given) c.k = as.k;
            c.order_qty = as.order_qty;
            c.max_position = as.max_position;
            c.q_max = static_cast<double>(as.max_position.lots()) / static_cast<double>(as.order_qty.lots());
            used_gamma = c.gamma;
            used_k = c.k;
            r = run_lobster_backtest(day, cfg, avellaneda_stoikov_infinite(c), q, no_report_observer{}, bar);
        } else if (strategy == "glft") {
            glft_config c;
            if (gamma_given) c.gamma = as.gamma;
            if (k_given) c.k = as.k;
            c.A = glft_A;
            used_gamma = c.gamma;
            used_k = c.k;
            c.order_qty = as.order_qty;
            c.max_position = as.max_position;
            r = run_lobster_backtest(day, cfg, glft(c), q, no_report_observer{}, bar);
        } else {
            imbalance_mm_config c;
            c.order_qty = as.order_qty;
            c.max_position = as.max_position;
            r = run_lobster_backtest(day, cfg, imbalance_mm(c), q, no_report_observer{}, bar);
        }

        std::printf("backtest_lobster: %s%s\n", messages.c_str(), orderbook.empty() ? " (no orderbook file)" : "");
        std::printf("strategy       %s gamma=%g/$ k=%g/$ order_qty=%lld max_position=%lld\n", strategy.c_str(), used_gamma, used_k, static_cast<long long>(cfg.strategy.order_qty.lots()),
                    static_cast<long long>(cfg.strategy.max_position.lots()));
        std::printf("venue          queue %s, latency %lld ns each way, fees %lld/%lld ticks per share + %g/%g bps (maker/taker)\n",
                    queue.c_str(), static_cast<long long>(cfg.latency.entry_latency.ns()),
                    static_cast<long long>(cfg.fees.per_lot.maker_ticks_per_lot), static_cast<long long>(cfg.fees.per_lot.taker_ticks_per_lot),
                    cfg.fees.bps.maker_bps, cfg.fees.bps.taker_bps);
        std::printf("events         %zu\n", r.events);
        std::printf("quotes         %zu (cancels %zu)\n", r.quotes, r.cancels);
        std::printf("fills          %zu (fill ratio %.4f, round trips %zu, losing %zu)\n", r.fills, r.fill_ratio, r.round_trips,
                    r.losing_round_trips);
        std::printf("volume         %lld shares\n", static_cast<long long>(r.volume));
        std::printf("position       %lld shares (min %lld, max %lld, time-weighted mean %.1f, mean |q| %.1f)\n",
                    static_cast<long long>(r.position), static_cast<long long>(r.min_position), static_cast<long long>(r.max_position),
                    r.mean_position, r.mean_abs_position);
        std::printf("realized PnL   $%.2f\n", r.realized_pnl);
        std::printf("total PnL      $%.2f (marked to mid %.4f)\n", r.total_pnl, (r.final_bid + r.final_ask) / 2);
        std::printf("fees           $%.2f\n", r.fees);
        std::printf("max drawdown   $%.2f\n", r.max_drawdown);
        std::printf("sharpe         %.2f (1-minute PnL changes, x sqrt(252*390))\n", r.sharpe);
        std::printf("risk rejects   %zu", r.risk_rejects);
        for (const auto& [reason, count] : r.rejects_by_reason) std::printf(" %s=%zu", reason.c_str(), count);
        std::printf("\nbreaker trips  %zu (alerts %zu, hedges %zu, halts %zu)\n", r.breaker_trips, r.alerts, r.hedges, r.halts);
        if (r.kill_switch)
            std::printf("kill switch    fired: orders sent after it %zu, working at end %zu, flat after %lld ns\n",
                        r.orders_sent_after_kill, r.working_orders_at_end, static_cast<long long>(r.kill_to_flat_ns));
        std::printf("events/s       %.0f (%.3f s)\n", r.events_per_second, r.seconds);
        // Say on stderr what the report alone would hide: refused messages, and a strategy that never quoted.
        if (r.book_rejects > 0)
            std::fprintf(stderr, "backtest_lobster: warning: the book refused %zu of %zu messages (book_rejects): the data "
                                 "disagrees with the book, so fills near those prices are unreliable\n",
                         r.book_rejects, r.events);
        if (r.quotes == 0)
            std::fprintf(stderr, "backtest_lobster: warning: the strategy made no quotes (gamma=%g/$, k=%g/$): check the values "
                                 "and their units\n", used_gamma, used_k);
        if (!json_path.empty() && !write_file(json_path, pinnacle_examples::json_text(pinnacle_examples::backtest_report_json(r)))) return 2;
        if (!equity_path.empty()) {
            std::string csv = "minute_end_ns,total_pnl,position\n";
            const double per_tick_lot = cfg.inst.to_currency(notional{1});
            for (const auto& p : r.equity) {
                char line[96];
                std::snprintf(line, sizeof line, "%lld,%.4f,%lld\n", static_cast<long long>(p.ts.ns()), p.total_pnl * per_tick_lot,
                              static_cast<long long>(p.position.lots()));
                csv += line;
            }
            if (!write_file(equity_path, csv)) return 2;
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n", e.what());
        return 2;
    }
}
