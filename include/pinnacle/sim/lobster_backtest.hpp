#pragma once
/// @file sim/lobster_backtest.hpp
/// A market maker backtested on a LOBSTER day: l3_book rebuilt from the messages (kept honest by
/// the orderbook file when there is one), Avellaneda-Stoikov quotes, a position limit, and the
/// simulated venue with an exact FIFO queue position, latency and fees.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"

namespace pinnacle {
inline namespace v0 {

/// A LOBSTER day in memory: the messages and, when available, the orderbook rows (same count).
struct lobster_day {
    std::vector<market_event> messages;   ///< Every message, in file order.
    std::vector<lobster_book_row> rows;   ///< Row i = book after message i; empty when unpaired.
    std::size_t levels = 0;               ///< L of the files (0: unknown, no truncation).
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

/// Everything a LOBSTER backtest can be told.
struct lobster_backtest_config {
    instrument inst = lobster_instrument();   ///< Tick, lot and price scale.
    avellaneda_stoikov_config strategy{};     ///< Quoting model.
    sim_venue_config venue{duration{50'000}, duration{50'000}, -20, 30}; ///< 50 us each way; NASDAQ-like $0.0020 rebate, $0.0030 take.
    qty max_position{1000};                   ///< Risk: worst-case |position| including working orders (lots).
    std::size_t levels = 0;                   ///< Depth to keep when there are no rows (0: file's L or unlimited).
};

/// The outcome of a backtest. Money in currency units; sizes in lots.
struct backtest_report {
    std::size_t events = 0;          ///< Market events replayed.
    std::size_t quotes = 0;          ///< Orders sent (each quote placement or replacement).
    std::size_t cancels = 0;         ///< Cancel requests sent.
    std::size_t fills = 0;           ///< Fill reports.
    std::int64_t position = 0;       ///< Final position (lots).
    std::int64_t max_position = 0;   ///< Highest position (lots).
    std::int64_t min_position = 0;   ///< Lowest position (lots).
    std::int64_t volume = 0;         ///< Lots traded.
    double realized_pnl = 0;         ///< PnL of closed trades at average cost, net of fees.
    double total_pnl = 0;            ///< Mark-to-mid PnL net of fees at the last two-sided mid.
    double fees = 0;                 ///< Fees paid net of rebates (negative: rebates earned).
    double max_drawdown = 0;         ///< Largest fall of total PnL from its peak.
    double sharpe = 0;               ///< Annualised Sharpe of 1-minute PnL changes (see ledger::sharpe).
    std::size_t risk_rejects = 0;    ///< Orders the risk check refused.
    std::size_t book_rejects = 0;    ///< Messages the book refused (data inconsistent with the book).
    std::size_t slid_in = 0;         ///< Levels learned from the orderbook rows.
    double final_bid = 0;            ///< Last best bid.
    double final_ask = 0;            ///< Last best ask.
    std::int64_t cash_tick_lots = 0; ///< Cash before fees (tick-lots), for exact checks.
    std::int64_t fees_tick_lots = 0; ///< Fees (tick-lots), for exact checks.
    double seconds = 0;              ///< Wall-clock seconds of the replay loop (not deterministic).
    double events_per_second = 0;    ///< events / seconds (not deterministic).

    /// The report as one JSON object (keys as the field names). `with_timing` false leaves out the
    /// wall-clock fields, so two runs on the same input give byte-identical text.
    [[nodiscard]] std::string to_json(bool with_timing = true) const {
        std::string out = "{\n";
        auto num = [&](const char* k, double v, bool last = false) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "  \"%s\": %.10g%s\n", k, v, last ? "" : ",");
            out += buf;
        };
        auto integer = [&](const char* k, long long v, bool last = false) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "  \"%s\": %lld%s\n", k, v, last ? "" : ",");
            out += buf;
        };
        integer("events", static_cast<long long>(events));
        integer("quotes", static_cast<long long>(quotes));
        integer("cancels", static_cast<long long>(cancels));
        integer("fills", static_cast<long long>(fills));
        integer("position", position);
        integer("max_position", max_position);
        integer("min_position", min_position);
        integer("volume", volume);
        num("realized_pnl", realized_pnl);
        num("total_pnl", total_pnl);
        num("fees", fees);
        num("max_drawdown", max_drawdown);
        num("sharpe", sharpe);
        integer("risk_rejects", static_cast<long long>(risk_rejects));
        integer("book_rejects", static_cast<long long>(book_rejects));
        integer("slid_in", static_cast<long long>(slid_in));
        num("final_bid", final_bid);
        num("final_ask", final_ask, !with_timing);
        if (with_timing) {
            num("seconds", seconds);
            num("events_per_second", events_per_second, true);
        }
        out += "}\n";
        return out;
    }
};

/// The engine type the LOBSTER backtest assembles.
using lobster_market_maker =
    market_maker<l3_book, avellaneda_stoikov, position_limit_check, simulated_venue<l3_book>>;

/// Observes every execution report of a backtest (for tests and tools); the default does nothing.
struct no_report_observer {
    /// No-op.
    void operator()(const execution_report&) const noexcept {}
};

/// Runs the market maker over `day` and reports. Deterministic except for the timing fields.
/// `observe` sees each report after the engine booked it. Throws std::invalid_argument for a
/// bad strategy configuration, std::bad_alloc when out of memory.
template <class Observer = no_report_observer>
backtest_report run_lobster_backtest(const lobster_day& day, const lobster_backtest_config& cfg, Observer observe = {}) {
    const std::size_t depth = day.levels != 0 ? day.levels : cfg.levels;
    struct observed_strategy {
        avellaneda_stoikov inner;
        Observer* obs;
        quote_pair on_market(const market_snapshot& m, qty position) noexcept { return inner.on_market(m, position); }
        void on_execution(const execution_report& r) noexcept {
            inner.on_execution(r);
            (*obs)(r);
        }
    };
    using engine_t = market_maker<l3_book, observed_strategy, position_limit_check, simulated_venue<l3_book>>;
    engine_t mm(l3_book(l3_book_config{std::size_t{1} << 20, std::size_t{1} << 16}),
                observed_strategy{avellaneda_stoikov(cfg.strategy), &observe}, position_limit_check{cfg.max_position},
                simulated_venue<l3_book>(cfg.venue));
    std::size_t slid_in = 0;
    const auto start = std::chrono::steady_clock::now();
    if (!day.rows.empty()) {
        // Row 0 is the state after message 0: seed from it and start with message 1.
        mm.on_event(day.messages[0], [&](l3_book& b) { slid_in += lobster_reconcile(b, day.rows[0], depth); });
        for (std::size_t i = 1; i < day.messages.size(); ++i)
            mm.on_event(day.messages[i], [&](l3_book& b) { slid_in += lobster_reconcile(b, day.rows[i], depth); });
    } else if (depth != 0) {
        for (const auto& e : day.messages)
            mm.on_event(e, [&](l3_book& b) {
                b.truncate(side::buy, depth);
                b.truncate(side::sell, depth);
            });
    } else {
        for (const auto& e : day.messages) mm.on_event(e);
    }
    mm.finish();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const ledger& acc = mm.accounts();
    const engine_counters& c = mm.counters();
    const instrument& inst = cfg.inst;
    backtest_report r;
    r.events = c.events;
    r.quotes = c.orders_sent;
    r.cancels = c.cancels_sent;
    r.fills = acc.fills();
    r.position = acc.position().lots();
    r.max_position = acc.max_position().lots();
    r.min_position = acc.min_position().lots();
    r.volume = acc.volume().lots();
    const double per_tick_lot = inst.to_currency(notional{1});
    r.realized_pnl = acc.realized_pnl() * per_tick_lot;
    r.total_pnl = acc.total_pnl() * per_tick_lot;
    r.fees = inst.to_currency(acc.fees());
    r.max_drawdown = acc.max_drawdown() * per_tick_lot;
    r.sharpe = acc.sharpe();
    r.risk_rejects = c.risk_rejects;
    r.book_rejects = c.book_rejects;
    r.slid_in = slid_in;
    if (auto b = best_bid(mm.book())) r.final_bid = inst.to_currency(b->px);
    if (auto a = best_ask(mm.book())) r.final_ask = inst.to_currency(a->px);
    r.cash_tick_lots = acc.cash().tick_lots();
    r.fees_tick_lots = acc.fees().tick_lots();
    r.seconds = secs;
    r.events_per_second = secs > 0 ? static_cast<double>(c.events) / secs : 0.0;
    return r;
}

} // namespace v0
} // namespace pinnacle
