#pragma once
/// @file engine/market_maker.hpp
/// market_maker<Book, Strategy, Risk, Venue>: one instrument's pipeline, composed at compile time.
/// Market event -> venue sees it -> book applies it -> strategy quotes -> risk gates -> venue.

#include <cstddef>
#include <cstdint>
#include <utility>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/venue/ledger.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Counters the engine keeps besides the ledger.
struct engine_counters {
    std::size_t events = 0;            ///< Market events processed.
    std::size_t book_rejects = 0;      ///< Events the book refused (a non-ok status).
    std::size_t orders_sent = 0;       ///< New orders the venue accepted for sending (quotes).
    std::int64_t lots_quoted = 0;      ///< Lots in those orders.
    std::size_t cancels_sent = 0;      ///< Cancel requests sent.
    std::size_t risk_rejects = 0;      ///< Order intents refused by the risk check (all reasons).
    std::size_t rejects_by_reason[risk_reason_count] = {}; ///< Refusals per risk_reason (index = value).
    std::size_t hedges = 0;            ///< Auto-hedge intents emitted.
    std::size_t hedge_fills = 0;       ///< Hedge fills booked through on_hedge_fill.
    std::size_t venue_refusals = 0;    ///< Orders or cancels the venue refused to send.
    std::size_t acks = 0;              ///< new_ack reports.
    std::size_t rejects = 0;           ///< rejected reports.
    std::size_t cancels = 0;           ///< canceled reports.
    std::size_t cancel_rejects = 0;    ///< cancel_rejected reports (order filled first).
};

/// Settings of the engine itself (the parts have their own).
struct engine_config {
    /// Auto-hedge: when |position| exceeds this many lots after a fill, the engine emits an
    /// offsetting order intent (IOC at the opposite touch) for the excess; 0 = off.
    qty hedge_threshold{0};
};

/// Receives auto-hedge intents (routed by the caller, e.g. a Router). A plain function pointer and
/// a context, so emitting never allocates.
struct hedge_sink {
    void (*fn)(void* ctx, const order_intent& intent) noexcept = nullptr; ///< Called per intent; null = ignore.
    void* ctx = nullptr;                                                  ///< Passed to fn.
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
    static_assert(Strategy<Strat, Book>, "Strat must satisfy Strategy for this Book (docs/concepts.md#strategy)");
    static_assert(RiskCheck<Risk>, "Risk must satisfy RiskCheck (docs/concepts.md#riskcheck)");
    static_assert(Venue<Ven>, "Ven must satisfy Venue (docs/concepts.md#venue)");

public:
    /// Takes ownership of the four parts.
    market_maker(Book book, Strat strategy, Risk risk, Ven venue, engine_config cfg = {}, hedge_sink hedge = {})
        : book_(std::move(book)), strategy_(std::move(strategy)), risk_(std::move(risk)), venue_(std::move(venue)),
          cfg_(cfg), hedge_(hedge) {}

    /// Processes one market event; `fixup(book)` runs right after the book applies it.
    template <class Fixup = no_book_fixup>
    void on_event(const market_event& e, Fixup&& fixup = {}) noexcept {
        ++counters_.events;
        drain(e.ts);
        if constexpr (SimulatedVenue<Ven, Book>) venue_.on_market(e, book_);
        if (book_.apply(e) != status::ok) ++counters_.book_rejects;
        fixup(book_);
        if (e.type == event_type::halt) trading_ = e.halt() == halt_state::trading_resumed;
        const market_snapshot snap = top_of_book(book_, e.ts, trading_);
        last_snap_ = snap;
        if (snap.has_bid && snap.has_ask) ledger_.mark(e.ts, snap.best_bid, snap.best_ask);
        if constexpr (MarketAwareRiskCheck<Risk>) risk_.on_market(snap);
        requote(e, snap);
    }

    /// Books a fill of one of our auto-hedge orders executed elsewhere (e.g. a child a Router sent
    /// to another venue; see engine/routed_hedger.hpp): the ledger's position, cash and fees change as
    /// for a fill here, and the risk check sees the report. Reports other than fills are ignored.
    void on_hedge_fill(const execution_report& r) noexcept {
        if (r.type != exec_type::fill || r.last_qty.lots() <= 0) return;
        ++counters_.hedge_fills;
        ledger_.on_fill(r.side, r.last_px, r.last_qty, r.fee);
        risk_.on_execution(r, state(r.ts));
    }

    /// Delivers every report still in flight (call once after the last event).
    void finish() noexcept { drain(timestamp{INT64_MAX}); }

    /// The book.
    [[nodiscard]] const Book& book() const noexcept { return book_; }
    /// The strategy.
    [[nodiscard]] const Strat& strategy() const noexcept { return strategy_; }
    /// The strategy, to adjust it between events.
    [[nodiscard]] Strat& strategy() noexcept { return strategy_; }
    /// The risk check.
    [[nodiscard]] const Risk& risk() const noexcept { return risk_; }
    /// The risk check, to reconfigure or reset it between events (e.g. a kill switch).
    [[nodiscard]] Risk& risk() noexcept { return risk_; }
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
        timestamp sent;
        bool active = false;
    };

    void drain(timestamp now) noexcept {
        execution_report r;
        while (venue_.poll(now, r)) {
            working& w = work_[idx(r.side)];
            const bool current = w.active && w.id == r.cl_ord_id;
            switch (r.type) {
                case exec_type::new_ack:
                    ++counters_.acks;
                    if constexpr (LatencyAwareRiskCheck<Risk>) {
                        if (current) risk_.on_ack_latency(r.ts, r.ts - w.sent);
                    }
                    break;
                case exec_type::fill: ledger_.on_fill(r.side, r.last_px, r.last_qty, r.fee); break;
                case exec_type::canceled: ++counters_.cancels; break;
                case exec_type::rejected: ++counters_.rejects; break;
                case exec_type::cancel_rejected: ++counters_.cancel_rejects; break;
                case exec_type::replaced: break;  // the engine cancels and replaces; it never modifies
            }
            if (r.type == exec_type::fill || r.type == exec_type::canceled || r.type == exec_type::rejected) {
                open_[idx(r.side)] -= (r.type == exec_type::fill ? r.last_qty : r.leaves_qty);
                if ((r.leaves_qty.lots() == 0 || r.type != exec_type::fill) && open_orders_ > 0) --open_orders_;
                if (current) {
                    w.leaves = r.type == exec_type::fill ? r.leaves_qty : qty{0};
                    if (w.leaves.lots() == 0) w.active = false;
                }
            }
            risk_.on_execution(r, state(r.ts));
            strategy_.on_execution(r);
            if (r.type == exec_type::fill) maybe_hedge(r.ts);
        }
    }

    // The risk state now: ledger, working orders, top of book.
    [[nodiscard]] risk_state state(timestamp now) const noexcept {
        risk_state st;
        st.now = now;
        st.position = ledger_.position();
        st.open_buy = open_[0];
        st.open_sell = open_[1];
        st.open_orders = open_orders_;
        st.market = last_snap_;
        st.working_bid = work_[0].px;
        st.has_working_bid = work_[0].active;
        st.working_ask = work_[1].px;
        st.has_working_ask = work_[1].active;
        st.total_pnl = notional{last_snap_.has_bid && last_snap_.has_ask
                                    ? ledger_.total_pnl_x2(last_snap_.best_bid, last_snap_.best_ask) / 2
                                    : ledger_.cash().tick_lots() - ledger_.fees().tick_lots()};
        st.realized_pnl = notional{static_cast<std::int64_t>(ledger_.realized_pnl())};
        return st;
    }

    // Auto-hedge: emit an IOC for the lots beyond the threshold, at the opposite touch.
    void maybe_hedge(timestamp ts) noexcept {
        if (cfg_.hedge_threshold.lots() <= 0) return;
        const qty pos = ledger_.position();
        const qty excess = pos > qty{0} ? pos - cfg_.hedge_threshold : -pos - cfg_.hedge_threshold;
        if (excess.lots() <= 0) return;
        order_intent h;
        h.cl_ord_id = order_id{++next_id_};
        h.side = pos > qty{0} ? side::sell : side::buy;
        h.px = h.side == side::sell ? last_snap_.best_bid : last_snap_.best_ask;
        h.size = excess;
        h.tif = time_in_force::ioc;
        h.ts = ts;
        ++counters_.hedges;
        if (hedge_.fn != nullptr) hedge_.fn(hedge_.ctx, h);
    }

    void requote(const market_event& e, const market_snapshot& snap) noexcept {
        const quote_pair want = strategy_.on_market(market_update<Book>{e, snap, book_, ledger_.position()});
        // Move the side that gets out of the way first: a new bid at or above our working ask (or a
        // new ask at or below our bid) would otherwise cross our own order.
        const bool ask_first = want.bid.active && work_[1].active && want.bid.px >= work_[1].px;
        if (ask_first) {
            update_side(side::sell, want.ask, snap.ts);
            update_side(side::buy, want.bid, snap.ts);
        } else {
            update_side(side::buy, want.bid, snap.ts);
            update_side(side::sell, want.ask, snap.ts);
        }
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
        if (const risk_verdict v = risk_.check(o, state(ts)); !v.approved()) {
            ++counters_.risk_rejects;
            ++counters_.rejects_by_reason[static_cast<std::size_t>(v.reason)];
            return;
        }
        if (venue_.submit(o) != status::ok) {
            ++counters_.venue_refusals;
            return;
        }
        ++counters_.orders_sent;
        counters_.lots_quoted += o.size.lots();
        open_[idx(s)] += o.size;
        ++open_orders_;
        w = working{o.cl_ord_id, o.px, o.size, o.size, ts, true};
    }

    static constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }

    Book book_;
    Strat strategy_;
    Risk risk_;
    Ven venue_;
    ledger ledger_;
    engine_counters counters_;
    engine_config cfg_;
    hedge_sink hedge_;
    market_snapshot last_snap_;
    working work_[2];
    qty open_[2];
    std::uint32_t open_orders_ = 0;
    std::uint64_t next_id_ = 0;
    bool trading_ = true;
};

} // namespace v0
} // namespace pinnacle
