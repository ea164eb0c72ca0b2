#pragma once
/// @file journal/jsonl/recorder.hpp
/// jsonl_recorder: turns an engine run into JSONL event-log records (journal/jsonl/event_log.hpp)
/// through the backtest recorder interface (apps/lobster_backtest.hpp, no_backtest_recorder), so
/// nothing in the engine's hot path changes: it reads the engine's accessors after each step and
/// sees each report through the report sink. recorder_tee runs two recorders side by side (e.g.
/// the journal's and this one).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/journal/jsonl/event_log.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/venue/orders.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of a jsonl_recorder.
struct jsonl_recorder_options {
    duration metrics_period{1'000'000'000}; ///< strategy_metrics at most once per period of event time (ns, > 0; default 1 s).
    bool market_updates = true;             ///< Write a market_update per market event.
    bool book_updates = true;               ///< Write an order_book_update when the top levels changed.
};

/// Writes what an engine run does into a jsonl_log, as a backtest recorder (the members of
/// no_backtest_recorder; apps/lobster_backtest.hpp). Per step, in the order things happened:
/// trading_event lines for each report the engine booked (on_report), then market_update and
/// order_book_update for the market event, trading_event lines for the orders, cancels, mass
/// cancels, risk refusals and hedges the step produced (read from the engine's counters and
/// working quotes), and strategy_metrics at the first step of each new metrics period.
/// Thread-safety: one thread (the engine's). Never allocates; each line is one push.
class jsonl_recorder {
public:
    /// Records into `log` (which must outlive it); null records nothing (every call returns at once).
    explicit jsonl_recorder(jsonl_log* log, jsonl_recorder_options opt = {}) noexcept : log_(log), opt_(opt) {
        if (opt_.metrics_period.ns() <= 0) opt_.metrics_period = duration{1'000'000'000};
    }

    /// The run's kill switch and breaker (not needed: their effects show in the engine).
    template <class K, class B>
    void attach(const K*, const B*) noexcept {}
    /// A market event, before the engine sees it: remembered for after_step.
    void on_input(const market_event& e) noexcept {
        pending_ = e;
        has_pending_ = true;
        note(e.ts.ns());
    }
    /// A timer tick (nothing to write by itself).
    void on_timer(timestamp t) noexcept { note(t.ns()); }
    /// The operator's kill switch fired at `t`.
    void on_kill_switch(timestamp t) noexcept {
        if (log_ == nullptr) return;
        jsonl_record r{};
        r.type = jsonl_type::trading_event;
        r.ts = t.ns();
        r.u.trade.action = trading_action::kill_switch;
        push(r);
    }
    /// A report the engine just booked: one trading_event (ack, fill, canceled, rejected, ...).
    void on_report(const execution_report& rep) noexcept {
        if (log_ == nullptr) return;
        jsonl_record r{};
        r.type = jsonl_type::trading_event;
        r.ts = rep.ts.ns();
        jsonl_trade& t = r.u.trade;
        t.action = report_action(rep.type);
        t.s = rep.side;
        t.maker = rep.maker;
        t.reason = static_cast<std::uint8_t>(rep.reason);
        t.order_id = rep.cl_ord_id.value();
        t.px = rep.px.ticks();
        t.last_px = rep.last_px.ticks();
        t.last_qty = rep.last_qty.lots();
        t.leaves = rep.leaves_qty.lots();
        t.fee = rep.fee.tick_lots();
        t.venue_order_id = rep.venue_order_id;
        t.exec_id = rep.exec_id;
        push(r);
        // A report that ends our tracked quote: its disappearance is not a cancel we sent.
        const std::size_t i = rep.side == side::buy ? 0 : 1;
        if (quote_[i].active && quote_[i].id == rep.cl_ord_id.value() &&
            (rep.type == exec_type::canceled || rep.type == exec_type::rejected ||
             (rep.type == exec_type::fill && rep.leaves_qty.lots() == 0)))
            quote_[i].active = false;
    }

    /// After each engine step at `now` (ns; INT64_MAX for the final drain): the lines the step produced.
    template <class Engine>
    void after_step(timestamp now, const Engine& mm) noexcept {
        if (log_ == nullptr) return;
        std::int64_t ts = now.ns() == INT64_MAX ? last_ts_ : now.ns();
        if (ts == INT64_MIN) ts = 0;
        note(ts);
        if (has_pending_) {
            has_pending_ = false;
            if (opt_.market_updates) market(mm);
            if (opt_.book_updates) book(mm);
        }
        decisions(ts, mm);
        if (ts >= next_metrics_ && now.ns() != INT64_MAX) {
            // The first step at or after each period boundary (boundaries at multiples of the period).
            const std::int64_t p = opt_.metrics_period.ns();
            next_metrics_ = (ts >= 0 ? ts / p : (ts - p + 1) / p) * p + p;
            metrics(ts, mm);
        }
    }

    /// After the run (nothing more: session_end is written by jsonl_log::close).
    template <class Engine>
    void at_end(const Engine&) noexcept {}
    /// Never asks the run to stop.
    [[nodiscard]] bool stop_requested() const noexcept { return false; }

    /// A connection or session change at `ts` (ns): `event` (connected, logon, logout,
    /// disconnected, ...), the state after it, a free-text detail (each truncated to fit).
    void on_connection(std::int64_t ts, std::string_view event, std::string_view state, std::string_view detail = {}) noexcept {
        if (log_ == nullptr) return;
        jsonl_record r{};
        r.type = jsonl_type::connection_event;
        r.ts = ts;
        jsonl_copy_text(r.u.connection.event, event);
        jsonl_copy_text(r.u.connection.state, state);
        jsonl_copy_text(r.u.connection.detail, detail);
        push(r);
    }

    /// The log written to (null: none).
    [[nodiscard]] jsonl_log* log() noexcept { return log_; }

private:
    struct tracked {
        std::uint64_t id = 0;
        std::int64_t px = 0;
        bool active = false;
    };

    void note(std::int64_t ts) noexcept {
        if (log_ != nullptr && ts > last_ts_ && ts != INT64_MAX) {
            last_ts_ = ts;
            log_->observe(ts);
        }
    }
    void push(const jsonl_record& r) noexcept { (void)log_->push(r); }

    template <class Engine>
    void market(const Engine& mm) noexcept {
        jsonl_record r{};
        r.type = jsonl_type::market_update;
        r.ts = pending_.ts.ns();
        jsonl_market& m = r.u.market;
        m.type = pending_.type;
        m.s = pending_.side;
        m.id = pending_.id.value();
        m.px = pending_.px.ticks();
        m.size = pending_.size.lots();
        const auto& b = mm.book();
        if (b.depth(side::buy) > 0) {
            const level_info l = b.level(side::buy, 0);
            m.has_bid = true;
            m.bid_px = l.px.ticks();
            m.bid_size = l.size.lots();
        }
        if (b.depth(side::sell) > 0) {
            const level_info l = b.level(side::sell, 0);
            m.has_ask = true;
            m.ask_px = l.px.ticks();
            m.ask_size = l.size.lots();
        }
        push(r);
    }

    template <class Engine>
    void book(const Engine& mm) noexcept {
        const auto& b = mm.book();
        const std::size_t n = log_->options().levels;
        jsonl_book cur{};
        const auto fill = [&](side s, jsonl_level* out) {
            const std::size_t d = b.depth(s) < n ? b.depth(s) : n;
            for (std::size_t i = 0; i < d; ++i) {
                const level_info l = b.level(s, i);
                out[i] = jsonl_level{l.px.ticks(), l.size.lots(), l.orders};
            }
            return static_cast<std::uint8_t>(d);
        };
        cur.bids = fill(side::buy, cur.bid);
        cur.asks = fill(side::sell, cur.ask);
        if (has_book_ && same(cur, last_book_)) return;
        has_book_ = true;
        last_book_ = cur;
        jsonl_record r{};
        r.type = jsonl_type::order_book_update;
        r.ts = pending_.ts.ns();
        r.u.book = cur;
        push(r);
    }

    [[nodiscard]] static bool same(const jsonl_book& a, const jsonl_book& b) noexcept {
        if (a.bids != b.bids || a.asks != b.asks) return false;
        for (std::size_t i = 0; i < a.bids; ++i)
            if (a.bid[i].px != b.bid[i].px || a.bid[i].size != b.bid[i].size || a.bid[i].orders != b.bid[i].orders) return false;
        for (std::size_t i = 0; i < a.asks; ++i)
            if (a.ask[i].px != b.ask[i].px || a.ask[i].size != b.ask[i].size || a.ask[i].orders != b.ask[i].orders) return false;
        return true;
    }

    // Orders, cancels, mass cancels, risk refusals and hedges of this step, from the counters'
    // deltas and the working quotes. A side whose tracked quote is gone (not ended by a report)
    // was cancelled by us; a side with a new quote id got a new order.
    template <class Engine>
    void decisions(std::int64_t ts, const Engine& mm) noexcept {
        const auto& c = mm.counters();
        if (c.cancel_alls != cancel_alls_) {
            for (std::size_t k = cancel_alls_; k < c.cancel_alls; ++k) {
                jsonl_record r{};
                r.type = jsonl_type::trading_event;
                r.ts = ts;
                r.u.trade.action = trading_action::cancel_all_sent;
                r.u.trade.qty = static_cast<std::int64_t>(mm.working_orders());
                push(r);
            }
            cancel_alls_ = c.cancel_alls;
            quote_[0].active = quote_[1].active = false;  // pulled by the mass cancel
        }
        std::size_t cancels = c.cancels_sent - cancels_sent_;
        cancels_sent_ = c.cancels_sent;
        for (std::size_t i = 0; i < 2; ++i) {
            const side s = i == 0 ? side::buy : side::sell;
            const auto q = mm.quote_on(s);
            const bool now_active = q.active;
            const std::uint64_t now_id = q.id.value();
            tracked& t = quote_[i];
            if (t.active && (!now_active || now_id != t.id) && cancels > 0) {
                --cancels;
                jsonl_record r{};
                r.type = jsonl_type::trading_event;
                r.ts = ts;
                r.u.trade.action = trading_action::cancel_sent;
                r.u.trade.s = s;
                r.u.trade.order_id = t.id;
                r.u.trade.px = t.px;
                push(r);
                t.active = false;
            }
            if (now_active && (now_id != seen_id_[i])) {
                jsonl_record r{};
                r.type = jsonl_type::trading_event;
                r.ts = ts;
                r.u.trade.action = trading_action::order_sent;
                r.u.trade.s = s;
                r.u.trade.order_id = now_id;
                r.u.trade.px = q.px.ticks();
                r.u.trade.qty = q.size.lots();
                push(r);
                t = tracked{now_id, q.px.ticks(), true};
            } else if (!now_active) {
                t.active = false;
            }
            if (now_active) seen_id_[i] = now_id;
        }
        for (; cancels > 0; --cancels) {  // a cancel we could not tie to a side (should not happen)
            jsonl_record r{};
            r.type = jsonl_type::trading_event;
            r.ts = ts;
            r.u.trade.action = trading_action::cancel_sent;
            push(r);
        }
        if (c.risk_rejects != risk_rejects_) {
            risk_rejects_ = c.risk_rejects;
            for (std::size_t k = 1; k < risk_reason_count; ++k) {
                for (std::size_t d = by_reason_[k]; d < c.rejects_by_reason[k]; ++d) {
                    jsonl_record r{};
                    r.type = jsonl_type::trading_event;
                    r.ts = ts;
                    r.u.trade.action = trading_action::risk_reject;
                    r.u.trade.reason = static_cast<std::uint8_t>(k);
                    push(r);
                }
                by_reason_[k] = c.rejects_by_reason[k];
            }
        }
        for (; hedges_ < c.hedges; ++hedges_) {
            jsonl_record r{};
            r.type = jsonl_type::trading_event;
            r.ts = ts;
            r.u.trade.action = trading_action::hedge;
            push(r);
        }
    }

    template <class Engine>
    void metrics(std::int64_t ts, const Engine& mm) noexcept {
        jsonl_record r{};
        r.type = jsonl_type::strategy_metrics;
        r.ts = ts;
        jsonl_metrics& m = r.u.metrics;
        const auto& acc = mm.accounts();
        const auto& c = mm.counters();
        m.position = acc.position().lots();
        m.open_buy = mm.open_lots(side::buy).lots();
        m.open_sell = mm.open_lots(side::sell).lots();
        m.realized_pnl = acc.realized_pnl();
        m.total_pnl = acc.total_pnl();
        m.fees = acc.fees().tick_lots();
        m.volume = acc.volume().lots();
        m.events = c.events;
        m.fills = acc.fills();
        m.orders_sent = c.orders_sent;
        m.cancels_sent = c.cancels_sent;
        m.risk_rejects = c.risk_rejects;
        m.working_orders = mm.working_orders();
        m.halted = mm.halted();
        const auto& b = mm.book();
        if (b.depth(side::buy) > 0) {
            m.has_bid = true;
            m.best_bid = b.level(side::buy, 0).px.ticks();
        }
        if (b.depth(side::sell) > 0) {
            m.has_ask = true;
            m.best_ask = b.level(side::sell, 0).px.ticks();
        }
        const auto quote = [](const auto& q) { return jsonl_quote{q.px.ticks(), q.size.lots(), q.leaves.lots(), q.active}; };
        m.bid = quote(mm.quote_on(side::buy));
        m.ask = quote(mm.quote_on(side::sell));
        push(r);
    }

    jsonl_log* log_;
    jsonl_recorder_options opt_;
    market_event pending_{};
    bool has_pending_ = false;
    bool has_book_ = false;
    jsonl_book last_book_{};
    tracked quote_[2];
    std::uint64_t seen_id_[2] = {0, 0};
    std::size_t cancel_alls_ = 0;
    std::size_t cancels_sent_ = 0;
    std::size_t risk_rejects_ = 0;
    std::size_t by_reason_[risk_reason_count] = {};
    std::size_t hedges_ = 0;
    std::int64_t last_ts_ = INT64_MIN;
    std::int64_t next_metrics_ = INT64_MIN;
};

/// Two backtest recorders side by side (see no_backtest_recorder): every call goes to `first`
/// then `second`; the run stops when either asks. Thread-safety: one thread.
template <class First, class Second>
struct recorder_tee {
    First* first;   ///< Called first (e.g. the journal's recorder).
    Second* second; ///< Called second (e.g. a jsonl_recorder).
    /// Both attach.
    template <class K, class B>
    void attach(const K* ks, const B* br) noexcept {
        first->attach(ks, br);
        second->attach(ks, br);
    }
    /// Both see the event.
    void on_input(const market_event& e) noexcept {
        first->on_input(e);
        second->on_input(e);
    }
    /// Both see the tick.
    void on_timer(timestamp t) noexcept {
        first->on_timer(t);
        second->on_timer(t);
    }
    /// Both see the kill switch.
    void on_kill_switch(timestamp t) noexcept {
        first->on_kill_switch(t);
        second->on_kill_switch(t);
    }
    /// Both see the report.
    void on_report(const execution_report& r) noexcept {
        first->on_report(r);
        second->on_report(r);
    }
    /// Both see the step.
    template <class Engine>
    void after_step(timestamp now, const Engine& mm) noexcept {
        first->after_step(now, mm);
        second->after_step(now, mm);
    }
    /// Either may stop the run.
    [[nodiscard]] bool stop_requested() const noexcept { return first->stop_requested() || second->stop_requested(); }
    /// Resume from a snapshot (journal recorders): `first` restores the engine and the harness
    /// state, and its answer is returned; `second` then sees only the steps after it.
    template <class Engine, class State>
        requires requires(First* f, Engine& m, State& st) { f->restore(m, st); }
    auto restore(Engine& mm, State& state) {
        return first->restore(mm, state);
    }
    /// Hands the harness state to `first` for its snapshots (journal recorders).
    template <class State>
        requires requires(First* f, State* st) { f->attach_state(st); }
    void attach_state(State* state) {
        first->attach_state(state);
    }
    /// Both finish.
    template <class Engine>
    void at_end(const Engine& mm) noexcept {
        first->at_end(mm);
        second->at_end(mm);
    }
};

} // namespace v0
} // namespace pinnacle
