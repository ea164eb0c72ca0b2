#pragma once
/// @file engine/market_maker.hpp
/// market_maker<Book, Strategy, Risk, Venue>: one instrument's pipeline, composed at compile time.
/// Market event -> venue sees it -> book applies it -> strategy quotes -> risk gates -> venue.

#include <cstddef>
#include <cstdint>
#include <utility>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/sim/concepts.hpp"
#include "pinnacle/sim/ledger.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Counters the engine keeps besides the ledger.
struct engine_counters {
    std::size_t events = 0;            ///< Market events processed.
    std::size_t book_rejects = 0;      ///< Events the book refused (a non-ok status).
    std::size_t orders_sent = 0;       ///< New orders the venue accepted for sending (quotes).
    std::size_t cancels_sent = 0;      ///< Cancel requests sent.
    std::size_t risk_rejects = 0;      ///< Order intents refused by the risk check.
    std::size_t venue_refusals = 0;    ///< Orders or cancels the venue refused to send.
    std::size_t acks = 0;              ///< new_ack reports.
    std::size_t rejects = 0;           ///< rejected reports.
    std::size_t cancels = 0;           ///< canceled reports.
    std::size_t cancel_rejects = 0;    ///< cancel_rejected reports (order filled first).
};

/// Does nothing to the book after an event (the default book fix-up).
struct no_book_fixup {
    /// No-op.
    template <class B>
    void operator()(B&) const noexcept {}
};

/// One instrument's market-making pipeline. Thread-safety: one thread; deterministic (no clock).
///
/// Per market event e, in order: (1) reports that reached us by e.ts are booked and shown to the
/// strategy; (2) a SimulatedVenue sees e with the book as it was; (3) the book applies e; (4) an
/// optional fix-up runs on the book (e.g. learning levels from a LOBSTER row); (5) the strategy
/// states the quotes it wants from the top of book and our position; (6) each side whose working
/// order differs in price or size is cancelled and replaced, every new order passing Risk first.
template <class Book, class Strat, class Risk, class Ven>
class market_maker {
    static_assert(OrderBook<Book>, "Book must satisfy OrderBook (docs/concepts.md#orderbook)");
    static_assert(Strategy<Strat>, "Strat must satisfy Strategy (docs/concepts.md#strategy)");
    static_assert(RiskCheck<Risk>, "Risk must satisfy RiskCheck (docs/concepts.md#riskcheck)");
    static_assert(Venue<Ven>, "Ven must satisfy Venue (docs/concepts.md#venue)");

public:
    /// Takes ownership of the four parts.
    market_maker(Book book, Strat strategy, Risk risk, Ven venue)
        : book_(std::move(book)), strategy_(std::move(strategy)), risk_(std::move(risk)), venue_(std::move(venue)) {}

    /// Processes one market event; `fixup(book)` runs right after the book applies it.
    template <class Fixup = no_book_fixup>
    void on_event(const market_event& e, Fixup&& fixup = {}) noexcept {
        ++counters_.events;
        now_ = e.ts;
        drain(e.ts);
        if constexpr (SimulatedVenue<Ven, Book>) venue_.on_market(e, book_);
        if (book_.apply(e) != status::ok) ++counters_.book_rejects;
        fixup(book_);
        if (e.type == event_type::halt) trading_ = e.halt() == halt_state::trading_resumed;
        const market_snapshot snap = snapshot(e.ts);
        if (snap.has_bid && snap.has_ask) ledger_.mark(e.ts, snap.best_bid, snap.best_ask);
        requote(snap);
    }

    /// Delivers every report still in flight (call once after the last event).
    void finish() noexcept { drain(timestamp{INT64_MAX}); }

    /// The book.
    [[nodiscard]] const Book& book() const noexcept { return book_; }
    /// The strategy.
    [[nodiscard]] const Strat& strategy() const noexcept { return strategy_; }
    /// The risk check.
    [[nodiscard]] const Risk& risk() const noexcept { return risk_; }
    /// The venue.
    [[nodiscard]] const Ven& venue() const noexcept { return venue_; }
    /// Position, cash, fees and equity statistics.
    [[nodiscard]] const ledger& accounts() const noexcept { return ledger_; }
    /// Event, order and report counters.
    [[nodiscard]] const engine_counters& counters() const noexcept { return counters_; }

private:
    struct working {
        order_id id;
        price px;
        qty size;   // original size, to compare with what the strategy wants
        qty leaves; // lots still working as far as we know
        bool active = false;
    };

    [[nodiscard]] market_snapshot snapshot(timestamp ts) const noexcept {
        market_snapshot m;
        m.ts = ts;
        m.trading = trading_;
        if (book_.depth(side::buy) > 0) {
            const level_info l = book_.level(side::buy, 0);
            m.best_bid = l.px;
            m.bid_size = l.size;
            m.has_bid = true;
        }
        if (book_.depth(side::sell) > 0) {
            const level_info l = book_.level(side::sell, 0);
            m.best_ask = l.px;
            m.ask_size = l.size;
            m.has_ask = true;
        }
        return m;
    }

    void drain(timestamp now) noexcept {
        execution_report r;
        while (venue_.poll(now, r)) {
            switch (r.type) {
                case exec_type::new_ack: ++counters_.acks; break;
                case exec_type::fill: ledger_.on_fill(r.side, r.last_px, r.last_qty, r.fee); break;
                case exec_type::canceled: ++counters_.cancels; break;
                case exec_type::rejected: ++counters_.rejects; break;
                case exec_type::cancel_rejected: ++counters_.cancel_rejects; break;
            }
            if (r.type == exec_type::fill || r.type == exec_type::canceled || r.type == exec_type::rejected) {
                open_[idx(r.side)] -= (r.type == exec_type::fill ? r.last_qty : r.leaves_qty);
                working& w = work_[idx(r.side)];
                if (w.active && w.id == r.cl_ord_id) {
                    w.leaves = r.type == exec_type::fill ? r.leaves_qty : qty{0};
                    if (w.leaves.lots() == 0) w.active = false;
                }
            }
            strategy_.on_execution(r);
        }
    }

    void requote(const market_snapshot& snap) noexcept {
        const quote_pair want = strategy_.on_market(snap, ledger_.position());
        update_side(side::buy, want.bid, snap.ts);
        update_side(side::sell, want.ask, snap.ts);
    }

    void update_side(side s, const quote& q, timestamp ts) noexcept {
        working& w = work_[idx(s)];
        if (w.active && q.active && w.px == q.px && w.size == q.size) return;  // already quoted
        if (w.active) {
            if (venue_.cancel(w.id, ts) == status::ok) ++counters_.cancels_sent; else ++counters_.venue_refusals;
            w.active = false;  // its remaining lots stay counted in open_ until the venue answers
        }
        if (!q.active) return;
        order_intent o;
        o.cl_ord_id = order_id{++next_id_};
        o.side = s;
        o.px = q.px;
        o.size = q.size;
        o.ts = ts;
        const risk_state st{ledger_.position(), open_[0], open_[1], notional{ledger_.total_pnl_x2(snap_bid(), snap_ask()) / 2}};
        if (risk_.check(o, st) != status::ok) {
            ++counters_.risk_rejects;
            return;
        }
        if (venue_.submit(o) != status::ok) {
            ++counters_.venue_refusals;
            return;
        }
        ++counters_.orders_sent;
        open_[idx(s)] += o.size;
        w = working{o.cl_ord_id, o.px, o.size, o.size, true};
    }

    [[nodiscard]] price snap_bid() const noexcept { return book_.depth(side::buy) > 0 ? book_.level(side::buy, 0).px : price{0}; }
    [[nodiscard]] price snap_ask() const noexcept { return book_.depth(side::sell) > 0 ? book_.level(side::sell, 0).px : price{0}; }
    static constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }

    Book book_;
    Strat strategy_;
    Risk risk_;
    Ven venue_;
    ledger ledger_;
    engine_counters counters_;
    working work_[2];
    qty open_[2];
    std::uint64_t next_id_ = 0;
    timestamp now_;
    bool trading_ = true;
};

} // namespace v0
} // namespace pinnacle
