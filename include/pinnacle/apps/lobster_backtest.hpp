#pragma once
/// @file apps/lobster_backtest.hpp
/// A market maker backtested on a LOBSTER day: l3_book rebuilt from the messages (kept exact by the
/// orderbook file when there is one), a strategy, the full pre-trade risk chain with kill switch
/// and circuit breaker, and the simulated venue with a queue, latency and fee model.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/session.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/engine/run_loop.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/feed/lobster_session.hpp"
#include "pinnacle/feed/memory_source.hpp"
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
    std::vector<market_event> messages;   ///< Every message, in file order; ts in ns since the Unix epoch (UTC) of `session`.
    std::vector<lobster_book_row> rows;   ///< Row i = book after message i; empty when unpaired.
    std::size_t levels = 0;               ///< L of the orderbook file (0: no orderbook file).
    trading_session session{};            ///< The day's session: date, New York's UTC offset, 09:30-16:00.
};

/// Loads a LOBSTER message file and, if `orderbook_path` is not empty, its orderbook file.
/// LOBSTER's times (ns after midnight New York time) become UTC epoch ns through `session`: by
/// default NASDAQ's session on the date in the message file's name (lobster_session_from_name);
/// a name without a date gives the default trading_session (1970-01-01, offset 0), under which
/// times stay ns after local midnight; pass `trading_session{}` to keep them so on purpose.
/// Throws parse_error (file, line, field) on malformed input, std::runtime_error when the two
/// files do not have the same number of rows, std::invalid_argument for an invalid session.
inline lobster_day load_lobster_day(const std::string& messages_path, const std::string& orderbook_path,
                                    const instrument& inst = lobster_instrument(),
                                    std::optional<trading_session> session = std::nullopt) {
    lobster_day day;
    day.session = session ? *session : lobster_session_from_name(messages_path).value_or(trading_session{});
    if (const std::string_view why = day.session.check(); !why.empty()) throw std::invalid_argument(std::string(why));
    day.messages = load_lobster_messages(messages_path, inst);
    // LOBSTER times are < 24 h and midnight() lies in 1970..2200: the sum stays far inside int64.
    const duration midnight{day.session.midnight().ns()};
    if (midnight.ns() != 0)
        for (market_event& m : day.messages) m.ts = m.ts + midnight;
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

/// The l3_book capacities replaying `day` needs when the book keeps `depth` levels a side (0: all):
/// room for one node per add message (no more orders can ever rest at once), at most 2^20; with a
/// depth, depth x 2 + 2 levels a side (the book holds at most depth after each message, one more
/// while an add creates a level, and the rows' repair works within depth), else 2^16. A book
/// sized so costs nothing to build beyond what the day touches (the price index and ladders
/// scale with the levels). Used by run_lobster_backtest and the bare-replay benchmark.
[[nodiscard]] inline l3_book_config lobster_book_config(const lobster_day& day, std::size_t depth) noexcept {
    constexpr std::size_t max_orders = std::size_t{1} << 20;
    std::size_t adds = 0;
    for (const market_event& m : day.messages) adds += m.type == event_type::add ? 1 : 0;
    l3_book_config c;
    c.max_orders = adds == 0 ? 1 : (adds < max_orders ? adds : max_orders);
    c.max_levels_per_side = depth != 0 && depth < (std::size_t{1} << 15) ? depth * 2 + 2 : std::size_t{1} << 16;
    return c;
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
    engine_config engine{};                   ///< Auto-hedge threshold and quote-update policy (engine_config::quoting).
    std::size_t levels = 0;                   ///< Depth to keep when there are no rows (0: unlimited).
    /// Fire the kill switch at this local time of day (ns after midnight, exchange time of the
    /// data; converted through the day's session): every working order is pulled, nothing new sent.
    std::optional<duration> kill_switch_at;
    /// Period of the engine's timer in event time (0 = none: reports are then booked at the next
    /// market event, as a replay always did). Deadlines (the kill switch) fire regardless.
    duration timer_period{0};
    /// Defaults: the breaker opens on a 50 bps move of the mid within 1 s, cools down 30 s; the
    /// quote policy keeps a working quote within one quote increment (100 ticks = $0.01) of the
    /// wanted price: measured on the real days in docs/engine.md (Quote-update policy), it halves
    /// the messages per fill on the bundled day with the same fills and PnL within the day's noise.
    lobster_backtest_config() {
        engine.quoting.tolerance_ticks = inst.quote_increment;
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
    std::size_t quotes_held = 0;     ///< Replacements the quote policy skipped (engine_config::quoting).
    std::size_t fills = 0;           ///< Fill reports.
    /// Order-to-trade ratio: (quotes + cancels) / fills, the messages sent per fill; 0 without fills.
    double order_to_trade = 0;
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
    std::size_t working_orders_at_end = 0; ///< Our orders still working after the last report.
    bool kill_switch = false;        ///< A kill switch was set (kill_switch_at) and fired during the run.
    std::size_t orders_sent_after_kill = 0; ///< New orders sent at or after the kill (must be 0).
    std::int64_t kill_to_flat_ns = -1; ///< From the kill until the venue confirmed no working order (ns); -1: no kill or never flat.
    std::size_t duplicate_reports = 0; ///< Reports delivered twice (same exec_id), booked once.
    std::size_t halts = 0;           ///< Times quoting halted (kill switch, open breaker) and every quote was pulled.
    std::int64_t cash_tick_lots = 0; ///< Cash before fees (tick-lots), for exact checks.
    std::int64_t fees_tick_lots = 0; ///< Fees (tick-lots), for exact checks.
    bool ledger_overflowed = false;  ///< The ledger saturated at the int64 limits (ledger::overflowed): money figures are then bounds, not exact.
    std::vector<equity_point> equity; ///< Equity at the end of each minute (tick-lots).
    std::string state_hash;          ///< xxHash3-64 of the final engine state, 16 hex digits, when a recorder computed it (journal/state_hash.hpp); empty otherwise.
    double seconds = 0;              ///< Wall-clock seconds of the replay loop (not deterministic).
    double events_per_second = 0;    ///< events / seconds (not deterministic).

    /// Exact field-by-field equality, wall-clock fields included (see same_outcome).
    [[nodiscard]] bool operator==(const backtest_report&) const = default;

    /// True when two runs had the same outcome: every field equal except the wall-clock ones
    /// (`seconds`, `events_per_second`), which differ between identical runs. Doubles compare
    /// exactly: two runs on the same input are deterministic to the bit.
    [[nodiscard]] bool same_outcome(const backtest_report& other) const {
        backtest_report a = *this;
        backtest_report b = other;
        a.seconds = b.seconds = 0;
        a.events_per_second = b.events_per_second = 0;
        return a == b;
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

/// Records a backtest (e.g. pinnacle::journal's journal_recorder): the default records nothing.
/// A recorder has these noexcept members, called on the engine's thread: attach(const
/// kill_switch*, const circuit_breaker*) once; on_input(event) before the engine sees each market
/// event; on_timer(t) before each timer tick; on_kill_switch(t) when the operator's kill switch
/// fires; on_report(report) after the engine booked each report; after_step(now, engine) after
/// each event, report poll, timer and the final drain; stop_requested() -> bool (checked after each
/// event: true ends the run early); at_end(engine) after the run.
struct no_backtest_recorder {};

/// Forwards a run loop's calls to the engine and tells the recorder (see no_backtest_recorder).
/// Thread-safety: one thread.
template <class Engine, class Recorder>
struct recorded_engine {
    Engine* mm;    ///< The engine.
    Recorder* rec; ///< The recorder.
    /// Records the event, then the engine processes it.
    template <class Fixup>
    void on_event(const market_event& e, Fixup&& fixup) noexcept {
        rec->on_input(e);
        mm->on_event(e, std::forward<Fixup>(fixup));
        rec->after_step(e.ts, *mm);
    }
    /// The engine books reports; then the recorder sees what it decided.
    void on_reports(timestamp now) noexcept {
        mm->on_reports(now);
        rec->after_step(now, *mm);
    }
    /// Records the tick, then the engine's timer work.
    void on_timer(timestamp now) noexcept {
        rec->on_timer(now);
        mm->on_timer(now);
        rec->after_step(now, *mm);
    }
    /// The final drain.
    void finish() noexcept {
        mm->finish();
        rec->after_step(timestamp{INT64_MAX}, *mm);
    }
};

/// The pre-trade risk chain of the backtest, in the order the checks run. The circuit breaker and
/// the rate limit come last because passing them uses something up (a half-open probe, a token):
/// only orders that every other check approved should spend it.
using lobster_risk_chain =
    risk_chain<kill_switch_check, order_sanity_check, quote_grid_check, max_order_qty_check, max_position_check, max_notional_check,
               price_band_check, max_open_orders_check, spread_gate_check, daily_loss_check, drawdown_check,
               losing_streak_check, self_trade_check, circuit_breaker_check, order_rate_check>;

/// The run loop's hooks in a LOBSTER backtest (engine/run_loop.hpp): the circuit breaker sees
/// every execution, the book is kept exact by the orderbook rows (or repaired when unpaired), the
/// kill switch fires at its deadline, and progress is reported. Thread-safety: one thread.
template <class Progress, class Recorder = no_backtest_recorder>
struct lobster_backtest_hooks {
    const lobster_day* day;            ///< The day replayed.
    std::size_t depth;                 ///< Levels the book keeps when unpaired / the rows report.
    circuit_breaker* breaker;          ///< Told of every execution (its volume trigger).
    kill_switch* ks;                   ///< Fired at `kill_at`.
    timestamp kill_at{INT64_MAX};      ///< When to fire the kill switch (UTC ns; INT64_MAX = never).
    Progress* progress;                ///< Called every progress_every events.
    std::size_t index = 0;             ///< Messages handled so far.
    std::size_t slid_in = 0;           ///< Levels learned from the orderbook rows.
    std::size_t stale = 0;             ///< Stale levels removed (unpaired days).
    bool killed = false;               ///< The kill switch was fired.
    Recorder* rec = nullptr;           ///< Told of operator actions; asked whether to stop (null: none).
    static constexpr std::size_t progress_every = std::size_t{1} << 16; ///< Progress period (events).

    /// The kill switch's deadline while it has not fired.
    [[nodiscard]] timestamp next_deadline() const noexcept { return killed ? timestamp{INT64_MAX} : kill_at; }
    /// Fires the kill switch (the engine then pulls every quote in on_timer).
    template <class Engine>
    void on_deadline(timestamp t, Engine&) noexcept {
        killed = true;
        if constexpr (!std::is_same_v<Recorder, no_backtest_recorder>) rec->on_kill_switch(t);
        ks->fire();
    }
    /// The recorder asked to stop (a failure, or a replay that reached the journal's end).
    [[nodiscard]] bool stop_requested() const noexcept {
        if constexpr (!std::is_same_v<Recorder, no_backtest_recorder>) return rec->stop_requested();
        else return false;
    }
    /// Breaker volume trigger; the LOBSTER book fix-up for message `index`.
    template <class Book>
    void after_apply(const market_event& e, Book& b) noexcept {
        if (e.type == event_type::execute || e.type == event_type::execute_hidden) breaker->on_trade(e.ts, e.size);
        if (!day->rows.empty()) slid_in += lobster_reconcile(b, day->rows[index], depth);
        else stale += lobster_repair_unpaired(b, e, depth);
    }
    /// Progress.
    template <class Engine>
    void after_event(const market_event&, Engine&) noexcept {
        if (++index % progress_every == 0) (*progress)(index, day->messages.size());
    }
};

/// Runs a market maker with strategy `strat` and queue model `queue` over `day` and reports.
/// Deterministic except for the timing fields. `observe(report, ledger)` sees each report right
/// after the engine booked it; `rec` (optional, see no_backtest_recorder) records the run.
/// Throws std::invalid_argument for a bad configuration, std::bad_alloc when out of memory.
template <class Strat, class Queue, class Observer = no_report_observer, class Progress = no_progress,
          class Recorder = no_backtest_recorder>
backtest_report run_lobster_backtest(const lobster_day& day, const lobster_backtest_config& cfg, Strat strat, Queue queue,
                                     Observer observe = {}, Progress progress = {}, Recorder* rec = nullptr) {
    constexpr bool recording = !std::is_same_v<Recorder, no_backtest_recorder>;
    if constexpr (recording) {
        if (rec == nullptr) throw std::invalid_argument("run_lobster_backtest: the recorder pointer is null");
    }
    // The same messages as the engine's own checks, here where a user's type first meets the harness.
    static_assert(Strategy<Strat, l3_book>, "Strat must satisfy Strategy for this Book (docs/concepts.md#strategy)");
    static_assert(QueueModel<Queue, l3_book>, "Queue must satisfy QueueModel for this Book (docs/concepts.md#queuemodel)");
    const std::size_t depth = day.levels != 0 ? day.levels : cfg.levels;
    const instrument& inst = cfg.inst;
    if (inst.quote_increment <= 0) throw std::invalid_argument("instrument.quote_increment must be > 0 ticks");
    if (const std::string_view why = cfg.engine.quoting.check(); !why.empty()) throw std::invalid_argument(std::string(why));
    const double per_tick_lot = inst.to_currency(notional{1});
    const auto money = [&](double currency) { return notional{static_cast<std::int64_t>(currency / per_tick_lot)}; };

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
    lobster_risk_chain chain(kill_switch_check(&ks), order_sanity_check{}, quote_grid_check{price{inst.quote_increment}},
                             max_order_qty_check{lim.max_order_qty},
                             max_position_check{lim.max_long, lim.max_short},
                             max_notional_check{money(lim.max_order_notional), money(lim.max_gross_exposure)},
                             price_band_check{lim.price_band_bps}, max_open_orders_check{lim.max_open_orders},
                             spread_gate_check{price{lim.max_spread_ticks}}, daily_loss_check(money(lim.daily_loss_limit)),
                             drawdown_check(money(lim.max_drawdown)), losing_streak_check(lim.max_losing_streak),
                             self_trade_check{}, circuit_breaker_check(&breaker),
                             order_rate_check(lim.orders_per_second, lim.order_burst));

    using venue_t = simulated_venue<l3_book, Queue, constant_latency, fee_schedule>;
    using engine_t = market_maker<l3_book, Strat, alerting_check<lobster_risk_chain>, venue_t>;
    venue_t venue(cfg.latency, cfg.fees, std::move(queue));
    venue.set_price_grid(price{inst.quote_increment});  // the exchange refuses sub-penny prices too
    engine_t mm(l3_book(lobster_book_config(day, depth)), std::move(strat),
                alerting_check<lobster_risk_chain>(std::move(chain), &alerts), std::move(venue), cfg.engine);
    struct both {
        Observer* observe;
        Recorder* rec;
    };
    [[maybe_unused]] both sink_ctx{&observe, rec};  // the report sink's context: lives as long as the run
    if constexpr (recording) {
        mm.set_report_sink(report_sink{[](void* c, const execution_report& r, const ledger& acc) noexcept {
                                           auto* b = static_cast<both*>(c);
                                           b->rec->on_report(r);
                                           if constexpr (!std::is_same_v<Observer, no_report_observer>) (*b->observe)(r, acc);
                                       },
                                       &sink_ctx});
        rec->attach(&ks, &breaker);
    } else if constexpr (!std::is_same_v<Observer, no_report_observer>) {
        mm.set_report_sink(report_sink{[](void* ctx, const execution_report& r, const ledger& acc) noexcept { (*static_cast<Observer*>(ctx))(r, acc); },
                                       &observe});
    }

    lobster_backtest_hooks<Progress, Recorder> hooks{&day, depth, &breaker, &ks, timestamp{INT64_MAX}, &progress};
    hooks.rec = rec;
    if (cfg.kill_switch_at) hooks.kill_at = day.session.at(*cfg.kill_switch_at);
    event_clock clock;
    run_options ropt{cfg.timer_period};
    std::size_t start_at = 0;  // messages already processed (a run resumed from a journal snapshot)
    // The whole run's state for journal snapshots (journal/snapshot.hpp): the engine and everything
    // around it that changes (kill switch, breaker, alerts, the harness's counters, the clock).
    [[maybe_unused]] auto persist_all = [&](auto& ar) {
        mm.persist(ar);
        ks.persist(ar);
        breaker.persist(ar);
        alerts.persist(ar);
        ar.value(hooks.slid_in);
        ar.value(hooks.stale);
        ar.value(hooks.killed);
        ar.value(alerts_delivered);
        ar.value(trips);
        timestamp now = clock.now();
        ar.value(now);
        if constexpr (std::remove_reference_t<decltype(ar)>::loading) {
            clock = event_clock{};  // a fallback after a failed snapshot must not keep that one's later time
            clock.observe(now);
        }
    };
    if constexpr (recording) {
        if constexpr (requires { rec->restore(mm, persist_all); }) {
            rec->attach_state(&persist_all);
            const auto rr = rec->restore(mm, persist_all);
            using restore_result = std::remove_const_t<decltype(rr)>;
            if (rr == restore_result::restart) return backtest_report{};  // the caller rebuilds and re-runs
            if (rr == restore_result::restored) {
                start_at = mm.counters().events;
                if (start_at > day.messages.size()) throw std::runtime_error("journal snapshot: more events than the input has");
                hooks.index = start_at;
                // Periodic ticks fall at first + k x period; the next one is the first after the clock.
                if (cfg.timer_period.ns() > 0 && start_at > 0) {
                    const std::int64_t t0 = day.messages.front().ts.ns();
                    const std::int64_t p = cfg.timer_period.ns();
                    const std::int64_t now = clock.now().ns();
                    ropt.resume_tick = timestamp{t0 + p * ((now - t0) / p + 1)};
                }
            }
        }
    }
    memory_source src(std::span<const market_event>(day.messages).subspan(start_at));
    const std::size_t n = day.messages.size();
    const auto start = std::chrono::steady_clock::now();
    if constexpr (recording) {
        recorded_engine<engine_t, Recorder> rmm{&mm, rec};
        (void)run(src, clock, rmm, hooks, ropt);
        rec->at_end(mm);
    } else {
        (void)run(src, clock, mm, hooks, ropt);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress(n, n);
    const std::size_t slid_in = hooks.slid_in;
    const std::size_t stale = hooks.stale;

    const ledger& acc = mm.accounts();
    const engine_counters& c = mm.counters();
    backtest_report r;
    r.events = c.events;
    r.quotes = c.orders_sent;
    r.cancels = c.cancels_sent;
    r.fills = acc.fills();
    r.quotes_held = c.quotes_held;
    r.order_to_trade = r.fills > 0 ? static_cast<double>(r.quotes + r.cancels) / static_cast<double>(r.fills) : 0.0;
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
    r.ledger_overflowed = acc.overflowed();
    r.equity = acc.equity_curve();
    r.working_orders_at_end = mm.working_orders();
    r.duplicate_reports = c.duplicate_reports;
    r.halts = c.halts;
    if (hooks.killed) {
        r.kill_switch = true;
        r.orders_sent_after_kill = c.orders_sent_while_halted;
        if (mm.working_orders() == 0) {
            const std::int64_t flat = mm.last_flat_at().ns();
            r.kill_to_flat_ns = flat > hooks.kill_at.ns() ? flat - hooks.kill_at.ns() : 0;
        }
    }
    r.seconds = secs;
    r.events_per_second = secs > 0 ? static_cast<double>(c.events) / secs : 0.0;
    return r;
}

/// The default market maker: Avellaneda-Stoikov quotes (horizon: the day's close, from
/// `day.session`), exact FIFO queue position.
template <class Observer = no_report_observer>
backtest_report run_lobster_backtest(const lobster_day& day, const lobster_backtest_config& cfg, Observer observe = {}) {
    avellaneda_stoikov_config as = cfg.strategy;
    as.session = day.session;
    return run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, observe);
}

} // namespace v0
} // namespace pinnacle
