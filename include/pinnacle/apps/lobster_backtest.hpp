#pragma once
/// @file apps/lobster_backtest.hpp
/// A market maker backtested on a LOBSTER day: l3_book rebuilt from the messages (kept exact by the
/// orderbook file when there is one), a strategy, the full pre-trade risk chain with kill switch
/// and circuit breaker, and the simulated venue with a queue, latency and fee model.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/risk/alerting_check.hpp"
#include "pinnacle/risk/alerts.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/circuit_breaker_check.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"

namespace pinnacle {
inline namespace v0 {

/// A LOBSTER day in memory: the messages and, when available, the orderbook rows (same count).
struct lobster_day {
    std::vector<market_event> messages;   ///< Every message, in file order.
    std::vector<lobster_book_row> rows;   ///< Row i = book after message i; empty when unpaired.
    std::size_t levels = 0;               ///< L of the orderbook file (0: no orderbook file).
};

/// Loads a LOBSTER message file and, if `orderbook_path` is not empty, its orderbook file.
/// Throws parse_error (file, line, field) on malformed input and std::runtime_error when the two
/// files do not have the same number of rows.
inline lobster_day load_lobster_day(const std::string& messages_path, const std::string& orderbook_path,
                                    const instrument& inst = lobster_instrument()) {
    lobster_day day;
    day.messages = load_lobster_messages(messages_path, inst);
    if (!orderbook_path.empty()) {
        lobster_orderbook_reader reader(orderbook_path, inst);
        day.levels = reader.levels();
        day.rows.reserve(day.messages.size());
        lobster_book_row row;
        while (reader.next(row)) day.rows.push_back(row);
        if (day.rows.size() != day.messages.size()) {
            throw std::runtime_error(orderbook_path + ": has " + std::to_string(day.rows.size()) + " rows but " +
                                     messages_path + " has " + std::to_string(day.messages.size()) +
                                     " messages; a LOBSTER pair has one row per message");
        }
    }
    return day;
}

/// Pre-trade limits of the backtest's risk chain (money in currency units, sizes in lots).
/// The defaults are loose guards for one NASDAQ stock, not advice.
struct lobster_risk_limits {
    qty max_order_qty{1000};              ///< Largest single order (lots).
    qty max_long{1000};                   ///< Largest long position, counting working bids (lots).
    qty max_short{1000};                  ///< Largest short position, counting working asks (lots).
    double max_order_notional = 1e6;      ///< Largest single order notional (currency).
    double max_gross_exposure = 5e6;      ///< Largest worst-case gross exposure (currency).
    std::int64_t price_band_bps = 500;    ///< Farthest quote from the mid (bps).
    std::uint32_t max_open_orders = 32;   ///< Most orders working at once.
    double orders_per_second = 1000;      ///< Sustained order rate (event time).
    double order_burst = 200;             ///< Order-rate bucket size.
    std::int64_t max_spread_ticks = 1'000'000; ///< Do not quote into a wider market spread (ticks).
    double daily_loss_limit = 1e9;        ///< Largest loss per session day (currency).
    double max_drawdown = 1e9;            ///< Largest fall from the PnL peak (currency).
    std::uint32_t max_losing_streak = 1'000'000; ///< Consecutive losing round trips that stop quoting.
};

/// Everything a LOBSTER backtest can be told.
struct lobster_backtest_config {
    instrument inst = lobster_instrument();   ///< Tick, lot and price scale.
    avellaneda_stoikov_config strategy{};     ///< Avellaneda-Stoikov settings (also the base of others).
    constant_latency latency{duration{50'000}, duration{50'000}}; ///< 50 us each way.
    fee_schedule fees{per_lot_fees{-20, 30}, bps_fees{}};         ///< NASDAQ-like: $0.0020 rebate, $0.0030 take.
    double prob_queue_power = 3.0;            ///< n of the probabilistic queue model.
    lobster_risk_limits risk{};               ///< Pre-trade limits.
    circuit_breaker_config breaker{};         ///< Circuit breaker (defaults set in the constructor below).
    engine_config engine{};                   ///< Auto-hedge threshold.
    std::size_t levels = 0;                   ///< Depth to keep when there are no rows (0: unlimited).
    /// Defaults: the breaker opens on a 50 bps move of the mid within 1 s, cools down 30 s.
    lobster_backtest_config() {
        breaker.price_move_bps = 50.0;
        breaker.price_window = duration{1'000'000'000};
        breaker.cooldown = duration{30'000'000'000};
        breaker.probe_period = duration{5'000'000'000};
    }
};

/// The outcome of a backtest. Money in currency units; sizes in lots.
struct backtest_report {
    std::size_t events = 0;          ///< Market events replayed.
    std::size_t quotes = 0;          ///< Orders sent (each quote placement or replacement).
    std::size_t cancels = 0;         ///< Cancel requests sent.
    std::size_t fills = 0;           ///< Fill reports.
    std::size_t round_trips = 0;     ///< Position back to flat (or through it).
    std::size_t losing_round_trips = 0; ///< Round trips with a negative realized PnL.
    double fill_ratio = 0;           ///< Lots filled / lots quoted.
    std::int64_t position = 0;       ///< Final position (lots).
    std::int64_t max_position = 0;   ///< Highest position (lots).
    std::int64_t min_position = 0;   ///< Lowest position (lots).
    double mean_position = 0;        ///< Time-weighted mean position (lots).
    double mean_abs_position = 0;    ///< Time-weighted mean |position| (lots).
    std::int64_t volume = 0;         ///< Lots traded.
    double realized_pnl = 0;         ///< PnL of closed trades at average cost, net of fees.
    double total_pnl = 0;            ///< Mark-to-mid PnL net of fees at the last two-sided mid.
    double fees = 0;                 ///< Fees paid net of rebates (negative: rebates earned).
    double max_drawdown = 0;         ///< Largest fall of total PnL from its peak.
    double sharpe = 0;               ///< Annualised Sharpe of 1-minute PnL changes (see ledger::sharpe).
    std::size_t risk_rejects = 0;    ///< Orders the risk chain refused, all reasons.
    std::map<std::string, std::size_t> rejects_by_reason; ///< Refusals per risk_reason name.
    std::size_t breaker_trips = 0;   ///< Circuit breaker openings.
    std::size_t alerts = 0;          ///< Alerts delivered (after throttling).
    std::size_t hedges = 0;          ///< Auto-hedge intents emitted.
    std::size_t book_rejects = 0;    ///< Messages the book refused (data inconsistent with the book).
    std::size_t slid_in = 0;         ///< Levels learned from the orderbook rows.
    std::size_t stale_levels = 0;    ///< Stale levels removed (no orderbook file: see lobster_repair_unpaired).
    double final_bid = 0;            ///< Last best bid.
    double final_ask = 0;            ///< Last best ask.
    std::int64_t cash_tick_lots = 0; ///< Cash before fees (tick-lots), for exact checks.
    std::int64_t fees_tick_lots = 0; ///< Fees (tick-lots), for exact checks.
    std::vector<equity_point> equity; ///< Equity at the end of each minute (tick-lots).
    double seconds = 0;              ///< Wall-clock seconds of the replay loop (not deterministic).
    double events_per_second = 0;    ///< events / seconds (not deterministic).

    /// The report as one JSON object (keys as the field names; rejects_by_reason as an object).
    /// `with_timing` false leaves out the wall-clock fields, so two runs on the same input give
    /// byte-identical text.
    [[nodiscard]] std::string to_json(bool with_timing = true) const {
        std::string out = "{\n";
        auto put = [&](const char* k, const char* fmt, auto v) {
            char buf[128];
            std::snprintf(buf, sizeof buf, fmt, v);
            out += "  \"";
            out += k;
            out += "\": ";
            out += buf;
            out += ",\n";
        };
        auto integer = [&](const char* k, auto v) { put(k, "%lld", static_cast<long long>(v)); };
        auto num = [&](const char* k, double v) { put(k, "%.10g", v); };
        integer("events", events);
        integer("quotes", quotes);
        integer("cancels", cancels);
        integer("fills", fills);
        integer("round_trips", round_trips);
        integer("losing_round_trips", losing_round_trips);
        num("fill_ratio", fill_ratio);
        integer("position", position);
        integer("max_position", max_position);
        integer("min_position", min_position);
        num("mean_position", mean_position);
        num("mean_abs_position", mean_abs_position);
        integer("volume", volume);
        num("realized_pnl", realized_pnl);
        num("total_pnl", total_pnl);
        num("fees", fees);
        num("max_drawdown", max_drawdown);
        num("sharpe", sharpe);
        integer("risk_rejects", risk_rejects);
        out += "  \"rejects_by_reason\": {";
        bool first = true;
        for (const auto& [k, v] : rejects_by_reason) {
            out += first ? "\"" : ", \"";
            out += k + "\": " + std::to_string(v);
            first = false;
        }
        out += "},\n";
        integer("breaker_trips", breaker_trips);
        integer("alerts", alerts);
        integer("hedges", hedges);
        integer("book_rejects", book_rejects);
        integer("slid_in", slid_in);
        integer("stale_levels", stale_levels);
        num("final_bid", final_bid);
        num("final_ask", final_ask);
        if (with_timing) {
            num("seconds", seconds);
            num("events_per_second", events_per_second);
        }
        out.erase(out.size() - 2);  // the last ",\n"
        out += "\n}\n";
        return out;
    }
};

/// Observes every execution report of a backtest with the ledger right after the engine booked
/// it (for tests and tools); the default does nothing.
struct no_report_observer {
    /// No-op.
    void operator()(const execution_report&, const ledger&) const noexcept {}
};

/// Called every `progress_every` events with (events done, events in all); the default does nothing.
struct no_progress {
    /// No-op.
    void operator()(std::size_t, std::size_t) const noexcept {}
};

/// The pre-trade risk chain of the backtest, in the order the checks run. The circuit breaker and
/// the rate limit come last because passing them uses something up (a half-open probe, a token):
/// only orders that every other check approved should spend it.
using lobster_risk_chain =
    risk_chain<kill_switch_check, order_sanity_check, max_order_qty_check, max_position_check, max_notional_check,
               price_band_check, max_open_orders_check, spread_gate_check, daily_loss_check, drawdown_check,
               losing_streak_check, self_trade_check, circuit_breaker_check, order_rate_check>;

/// Runs a market maker with strategy `strat` and queue model `queue` over `day` and reports.
/// Deterministic except for the timing fields. `observe(report, ledger)` sees each report right
/// after the engine booked it. Throws std::invalid_argument for a bad configuration, std::bad_alloc when out of memory.
template <class Strat, class Queue, class Observer = no_report_observer, class Progress = no_progress>
backtest_report run_lobster_backtest(const lobster_day& day, const lobster_backtest_config& cfg, Strat strat, Queue queue,
                                     Observer observe = {}, Progress progress = {}) {
    const std::size_t depth = day.levels != 0 ? day.levels : cfg.levels;
    const instrument& inst = cfg.inst;
    const double per_tick_lot = inst.to_currency(notional{1});
    const auto money = [&](double currency) { return notional{static_cast<std::int64_t>(currency / per_tick_lot)}; };

    struct observed_strategy {
        Strat inner;
        Observer* obs;
        const ledger* acc = nullptr;  // the engine's, set once the engine exists
        quote_pair on_market(const market_update<l3_book>& u) noexcept { return inner.on_market(u); }
        void on_execution(const execution_report& r) noexcept {
            inner.on_execution(r);
            (*obs)(r, *acc);
        }
    };

    kill_switch ks;
    circuit_breaker breaker(cfg.breaker);
    alert_manager alerts;
    std::size_t alerts_delivered = 0;
    alerts.subscribe([&alerts_delivered](const alert&) { ++alerts_delivered; });
    std::size_t trips = 0;
    breaker.set_observer([&](const breaker_transition& t) {
        if (t.to == breaker_state::open) ++trips;
        (void)alerts.publish(make_alert(t.ts, alert_type::breaker_transition,
                                        t.to == breaker_state::open ? alert_severity::critical : alert_severity::info,
                                        static_cast<std::int64_t>(t.to), t.value, to_string(t.trigger)));
    });
    const lobster_risk_limits& lim = cfg.risk;
    lobster_risk_chain chain(kill_switch_check(&ks), order_sanity_check{}, max_order_qty_check{lim.max_order_qty},
                             max_position_check{lim.max_long, lim.max_short},
                             max_notional_check{money(lim.max_order_notional), money(lim.max_gross_exposure)},
                             price_band_check{lim.price_band_bps}, max_open_orders_check{lim.max_open_orders},
                             spread_gate_check{price{lim.max_spread_ticks}}, daily_loss_check(money(lim.daily_loss_limit)),
                             drawdown_check(money(lim.max_drawdown)), losing_streak_check(lim.max_losing_streak),
                             self_trade_check{}, circuit_breaker_check(&breaker),
                             order_rate_check(lim.orders_per_second, lim.order_burst));

    using venue_t = simulated_venue<l3_book, Queue, constant_latency, fee_schedule>;
    using engine_t = market_maker<l3_book, observed_strategy, alerting_check<lobster_risk_chain>, venue_t>;
    engine_t mm(l3_book(l3_book_config{std::size_t{1} << 20, std::size_t{1} << 16}), observed_strategy{std::move(strat), &observe},
                alerting_check<lobster_risk_chain>(std::move(chain), &alerts), venue_t(cfg.latency, cfg.fees, std::move(queue)),
                cfg.engine);
    mm.strategy().acc = &mm.accounts();

    std::size_t slid_in = 0;
    std::size_t stale = 0;
    const std::size_t n = day.messages.size();
    constexpr std::size_t progress_every = 1u << 16;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) {
        const market_event& e = day.messages[i];
        mm.on_event(e, [&](l3_book& b) noexcept {
            if (e.type == event_type::execute || e.type == event_type::execute_hidden) breaker.on_trade(e.ts, e.size);
            if (!day.rows.empty()) {
                slid_in += lobster_reconcile(b, day.rows[i], depth);
            } else {
                stale += lobster_repair_unpaired(b, e, depth);
            }
        });
        if ((i + 1) % progress_every == 0) progress(i + 1, n);
    }
    mm.finish();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress(n, n);

    const ledger& acc = mm.accounts();
    const engine_counters& c = mm.counters();
    backtest_report r;
    r.events = c.events;
    r.quotes = c.orders_sent;
    r.cancels = c.cancels_sent;
    r.fills = acc.fills();
    r.round_trips = acc.round_trips();
    r.losing_round_trips = acc.losing_round_trips();
    r.fill_ratio = c.lots_quoted > 0 ? static_cast<double>(acc.volume().lots()) / static_cast<double>(c.lots_quoted) : 0.0;
    r.position = acc.position().lots();
    r.max_position = acc.max_position().lots();
    r.min_position = acc.min_position().lots();
    r.mean_position = acc.mean_position();
    r.mean_abs_position = acc.mean_abs_position();
    r.volume = acc.volume().lots();
    r.realized_pnl = acc.realized_pnl() * per_tick_lot;
    r.total_pnl = acc.total_pnl() * per_tick_lot;
    r.fees = inst.to_currency(acc.fees());
    r.max_drawdown = acc.max_drawdown() * per_tick_lot;
    r.sharpe = acc.sharpe();
    r.risk_rejects = c.risk_rejects;
    for (std::size_t k = 1; k < risk_reason_count; ++k)
        if (c.rejects_by_reason[k] != 0) r.rejects_by_reason[std::string(to_string(static_cast<risk_reason>(k)))] = c.rejects_by_reason[k];
    r.breaker_trips = trips;
    r.alerts = alerts_delivered;
    r.hedges = c.hedges;
    r.book_rejects = c.book_rejects;
    r.slid_in = slid_in;
    r.stale_levels = stale;
    if (auto b = best_bid(mm.book())) r.final_bid = inst.to_currency(b->px);
    if (auto a = best_ask(mm.book())) r.final_ask = inst.to_currency(a->px);
    r.cash_tick_lots = acc.cash().tick_lots();
    r.fees_tick_lots = acc.fees().tick_lots();
    r.equity = acc.equity_curve();
    r.seconds = secs;
    r.events_per_second = secs > 0 ? static_cast<double>(c.events) / secs : 0.0;
    return r;
}

/// The default market maker: Avellaneda-Stoikov quotes, exact FIFO queue position.
template <class Observer = no_report_observer>
backtest_report run_lobster_backtest(const lobster_day& day, const lobster_backtest_config& cfg, Observer observe = {}) {
    return run_lobster_backtest(day, cfg, avellaneda_stoikov(cfg.strategy), fifo_queue{}, observe);
}

} // namespace v0
} // namespace pinnacle
