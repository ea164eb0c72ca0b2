#pragma once
/// @file engine/market_maker.hpp
/// market_maker<Book, Strategy, Risk, Venue>: one instrument's pipeline, composed at compile time.
/// Three entry points, called by a run loop (engine/run_loop.hpp) on one thread: a market event
/// (venue sees it -> book applies it -> strategy quotes -> risk gates -> venue), reports that came
/// back without a market event, and timers. See docs/engine.md.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/strategy/concepts.hpp"
#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/venue/exec_id_window.hpp"
#include "pinnacle/venue/ledger.hpp"

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
    std::size_t duplicate_reports = 0; ///< Reports whose exec_id was seen before: not booked again.
    std::size_t timers = 0;            ///< on_timer calls.
    std::size_t halts = 0;             ///< Times quoting halted (kill switch fired, breaker opened).
    std::size_t cancel_alls = 0;       ///< Mass cancels sent (to pull every working order on a halt).
    std::size_t orders_sent_while_halted = 0; ///< New orders that reached the venue (or hedge sink) while halted: 0 by design.
    std::size_t venue_not_up = 0;      ///< Market events on which nothing was sent because the venue session was not up.
    std::size_t hedge_refusals = 0;    ///< Auto-hedge intents refused: by the risk check (those also count in risk_rejects) or while halted.
    std::size_t quotes_held = 0;       ///< Times the quote_policy kept a working quote the strategy wanted moved (no cancel, no new order).
};

/// When the engine replaces a working quote that the strategy wants moved (the quote-update
/// policy). Exchanges watch the ratio of messages to trades, and every replacement costs a cancel,
/// a risk check and a new order that joins the back of the queue. The default (all 0) replaces a
/// quote whenever the wanted price or size changes. Whatever the policy, a quote is replaced at
/// once when its size differs from the wanted size, when it would lock or cross the market or the
/// other side's wanted quote, and it is cancelled at once when the strategy withdraws that side or
/// quoting halts. Prices in ticks, times in ns of event time.
struct quote_policy {
    /// Keep a working quote whose price is within this many ticks of the wanted price (>= 0;
    /// 0 = replace on any price change). On a LOBSTER day 100 ticks = one cent.
    std::int64_t tolerance_ticks = 0;
    /// Keep any working quote younger than this (ns, >= 0), whatever the price move (a minimum
    /// quote life, as some venues ask of market makers); 0 = none.
    duration min_quote_life{0};
    /// A quote kept by the tolerance is replaced anyway once it is this old (ns, >= 0): a requote
    /// on a timer, so small drifts are caught up at this period; 0 = never.
    duration refresh_period{0};

    /// Why the policy is invalid, or an empty view when it is valid.
    [[nodiscard]] constexpr std::string_view check() const noexcept {
        if (tolerance_ticks < 0) return "quote_policy.tolerance_ticks must be >= 0 ticks";
        if (min_quote_life.ns() < 0) return "quote_policy.min_quote_life must be >= 0 ns";
        if (refresh_period.ns() < 0) return "quote_policy.refresh_period must be >= 0 ns";
        return {};
    }
};

/// Settings of the engine itself (the parts have their own).
struct engine_config {
    /// Auto-hedge: when |position| exceeds this many lots after a fill, the engine emits an
    /// offsetting order intent (IOC at the opposite touch) for the excess; 0 = off.
    qty hedge_threshold{0};
    /// When a working quote is replaced (see quote_policy); the default replaces on any change.
    /// An invalid policy (negative field) behaves as its fields clamped to 0.
    quote_policy quoting{};
};

/// Receives auto-hedge intents (routed by the caller, e.g. a Router). A plain function pointer and
/// a context, so emitting never allocates.
struct hedge_sink {
    void (*fn)(void* ctx, const order_intent& intent) noexcept = nullptr; ///< Called per intent; null = ignore.
    void* ctx = nullptr;                                                  ///< Passed to fn.
};

/// Sees every execution report right after the engine booked it, with the ledger as it is then
/// (for reports, tests and tools). A plain function pointer and a context, so it never allocates.
struct report_sink {
    void (*fn)(void* ctx, const execution_report& r, const ledger& acc) noexcept = nullptr; ///< Called per report; null = none.
    void* ctx = nullptr;                                                                  ///< Passed to fn.
};

/// One side's working quote as the engine tracks it (a copy, for journals, state hashes and tools).
struct working_quote {
    order_id id;         ///< Its ClOrdID.
    price px;            ///< Limit price (ticks).
    qty size;            ///< Size sent (lots).
    qty leaves;          ///< Lots still working as far as the engine knows.
    timestamp sent;      ///< When it was sent (ns).
    bool active = false; ///< False: no quote working on that side (the other fields are stale).
};

/// Does nothing to the book after an event (the default book fix-up).
struct no_book_fixup {
    /// No-op.
    template <class B>
    void operator()(B&) const noexcept {}
};

/// One instrument's market-making pipeline. Thread-safety: one thread; deterministic (time comes
/// only from the arguments: event, report and timer timestamps, ns since the Unix epoch).
///
/// Per market event e (on_event), in order: (1) reports that reached us by e.ts are booked and shown
/// to risk and strategy; (2) a SimulatedVenue sees e with the book as it was; (3) the book applies
/// e; (4) an optional fix-up runs on the book (e.g. learning levels from a LOBSTER row); (5) risk
/// sees the new top of book; (6) the strategy states the quotes it wants; (7) if the risk check
/// halts quoting (kill switch, open breaker) every working order is cancelled at once and nothing
/// is sent; else if the venue session is not up nothing is sent; else each side whose working order
/// differs in price or size is cancelled and replaced, every new order passing Risk first, unless
/// the quote_policy (engine_config::quoting) keeps the working order.
/// on_reports(now) does (1) (after a SimulatedVenue has processed what reached it by now) and the
/// halt check of (7); on_timer(now) is the same for time-driven work. Reports are booked once per
/// exec_id: a report delivered twice is counted in duplicate_reports and otherwise ignored.
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
        // The strategy sees every event (its signals stay current) even when nothing may be sent.
        const quote_pair want = strategy_.on_market(market_update<Book>{e, snap, book_, ledger_.position()});
        if (enforce_halt(e.ts)) return;
        if (venue_.session_state() != venue_session::up) {
            ++counters_.venue_not_up;
            return;
        }
        requote(want, snap);
    }

    /// Books the reports that reached us by `now` (ns) without a market event: a live venue's
    /// reports between ticks, or a SimulatedVenue's answers during a quiet market (the venue first
    /// processes what reached it before `now`; call only after every event stamped before `now`).
    /// Then pulls every working order if quoting is halted. Sends no new order.
    void on_reports(timestamp now) noexcept {
        if constexpr (SimulatedVenue<Ven, Book>) venue_.advance(now, book_);
        drain(now);
        (void)enforce_halt(now);
    }

    /// Time-driven work at `now` (ns): books what came back (as on_reports) and applies the halt
    /// rules (a kill switch fired from another thread, a breaker that opened or cooled down). The
    /// run loop calls it on its timer period and at scheduled deadlines. Sends no new order: quotes
    /// are decided on market events.
    void on_timer(timestamp now) noexcept {
        ++counters_.timers;
        on_reports(now);
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

    /// Delivers every report still in flight (call once after the last event of a replay).
    void finish() noexcept { drain(timestamp{INT64_MAX}); }

    /// Calls `sink` for every report booked from now on (after risk and strategy saw it).
    void set_report_sink(report_sink sink) noexcept { report_sink_ = sink; }

    /// True while quoting is halted (the risk check's halts_quoting said so at the last look).
    [[nodiscard]] bool halted() const noexcept { return halted_; }
    /// Our orders working as far as we know (sent, not yet filled, cancelled or rejected).
    [[nodiscard]] std::uint32_t working_orders() const noexcept { return open_orders_; }
    /// Timestamp (ns) of the report that last left no order of ours working (INT64_MIN: never).
    /// After a kill switch at T, `last_flat_at() - T` is the kill-to-flat time.
    [[nodiscard]] timestamp last_flat_at() const noexcept { return last_flat_at_; }

    /// The working quote on side `s` (a copy; not used by the engine itself).
    [[nodiscard]] working_quote quote_on(side s) const noexcept {
        const working& w = work_[idx(s)];
        return working_quote{w.id, w.px, w.size, w.leaves, w.sent, w.active};
    }
    /// Lots of our orders still working on side `s` as far as the engine knows (incl. pulled ones not yet confirmed).
    [[nodiscard]] qty open_lots(side s) const noexcept { return open_[idx(s)]; }

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
    /// The venue, to drive its connection or configure it between calls (same thread).
    [[nodiscard]] Ven& venue() noexcept { return venue_; }
    /// Position, cash, fees and equity statistics.
    [[nodiscard]] const ledger& accounts() const noexcept { return ledger_; }
    /// Event, order and report counters.
    [[nodiscard]] const engine_counters& counters() const noexcept { return counters_; }

    // ==== ENGINE SERIALIZATION (journal snapshots) ==========================================
    // The one place that lists the engine's state for snapshots: add new state fields here.
    /// Snapshot hook (journal/snapshot.hpp): the book, strategy, risk check, venue and ledger
    /// (each through its own hook; a strategy without one is copied whole, so it must be trivially
    /// copyable), the counters, the last market snapshot, the working quotes, open lots and orders,
    /// the next ClOrdID, the last flat time, the exec_id window and the trading/halted flags. Not
    /// state: the configuration and the hedge and report sinks. Call between events.
    template <class Ar>
    void persist(Ar& ar) {
        book_.persist(ar);
        if constexpr (requires { strategy_.persist(ar); }) strategy_.persist(ar);
        else ar.value(strategy_);
        if constexpr (requires { risk_.persist(ar); }) risk_.persist(ar);
        if constexpr (requires { venue_.persist(ar); }) venue_.persist(ar);
        ledger_.persist(ar);
        ar.value(counters_);
        ar.value(last_snap_);
        ar.value(work_);
        ar.value(open_);
        ar.value(open_orders_);
        ar.value(next_id_);
        ar.value(last_flat_at_);
        ar.value(seen_);
        ar.value(trading_);
        ar.value(halted_);
        ar.value(pull_pending_);
    }
    // ==== END ENGINE SERIALIZATION ===========================================================

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
            if (!seen_.insert(r.exec_id)) {
                ++counters_.duplicate_reports;
                continue;
            }
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
                if ((r.leaves_qty.lots() == 0 || r.type != exec_type::fill) && open_orders_ > 0) {
                    if (--open_orders_ == 0) last_flat_at_ = r.ts;
                }
                if (current) {
                    w.leaves = r.type == exec_type::fill ? r.leaves_qty : qty{0};
                    if (w.leaves.lots() == 0) w.active = false;
                }
            }
            risk_.on_execution(r, state(r.ts));
            strategy_.on_execution(r);
            if (report_sink_.fn != nullptr) report_sink_.fn(report_sink_.ctx, r, ledger_);
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
        if (halted_) {  // a halt stops every order, hedges too, whatever the risk check approves
            ++counters_.hedge_refusals;
            return;
        }
        order_intent h;
        h.cl_ord_id = order_id{++next_id_};
        h.side = pos > qty{0} ? side::sell : side::buy;
        h.px = h.side == side::sell ? last_snap_.best_bid : last_snap_.best_ask;
        h.size = excess;
        h.tif = time_in_force::ioc;
        h.ts = ts;
        if (const risk_verdict v = risk_.check(h, state(ts)); !v.approved()) {  // hedges are orders too
            ++counters_.hedge_refusals;
            ++counters_.risk_rejects;
            ++counters_.rejects_by_reason[static_cast<std::size_t>(v.reason)];
            return;
        }
        ++counters_.hedges;
        if (halted_) ++counters_.orders_sent_while_halted;
        if (hedge_.fn != nullptr) hedge_.fn(hedge_.ctx, h);
    }

    // True while the risk check halts quoting; on the first look of a halt (and until the venue
    // took it) every working order is pulled with one mass cancel.
    bool enforce_halt(timestamp now) noexcept {
        bool halt = false;
        if constexpr (HaltingRiskCheck<Risk>) halt = risk_.halts_quoting(now);
        if (!halt) {
            halted_ = false;
            return false;
        }
        if (!halted_) {
            halted_ = true;
            ++counters_.halts;
            pull_pending_ = true;
        }
        if (pull_pending_) pull_all(now);
        return true;
    }

    // One mass cancel for everything working; retried at the next look if the venue refused it.
    void pull_all(timestamp now) noexcept {
        work_[0].active = false;  // their lots stay counted in open_ until the venue answers
        work_[1].active = false;
        if (open_orders_ == 0) {
            pull_pending_ = false;
            return;
        }
        if (venue_.cancel_all(now) == status::ok) {
            ++counters_.cancel_alls;
            pull_pending_ = false;
        } else {
            ++counters_.venue_refusals;
        }
    }

    void requote(quote_pair want, const market_snapshot& snap) noexcept {
        const timestamp ts = snap.ts;
        // The policy may keep a side's working quote in place of the wanted one: decided for both
        // sides first, so the crossing order below sees the prices that will really work.
        if (hold(side::buy, want.bid, want.ask, snap)) want.bid = quote{work_[0].px, work_[0].size, true};
        if (hold(side::sell, want.ask, want.bid, snap)) want.ask = quote{work_[1].px, work_[1].size, true};
        // Move the side that gets out of the way first: a new bid at or above our working ask (or a
        // new ask at or below our bid) would otherwise cross our own order.
        const bool ask_first = want.bid.active && work_[1].active && want.bid.px >= work_[1].px;
        if (ask_first) {
            update_side(side::sell, want.ask, ts);
            update_side(side::buy, want.bid, ts);
        } else {
            update_side(side::buy, want.bid, ts);
            update_side(side::sell, want.ask, ts);
        }
    }

    // True when the quote_policy keeps side s's working quote although the strategy wants `q`
    // (`other`: the wanted quote on the other side). Counted in quotes_held.
    bool hold(side s, const quote& q, const quote& other, const market_snapshot& m) noexcept {
        const working& w = work_[idx(s)];
        if (!w.active || !q.active || w.size != q.size || w.px == q.px) return false;
        const quote_policy& p = cfg_.quoting;
        if (p.tolerance_ticks <= 0 && p.min_quote_life.ns() <= 0) return false;  // the default: replace
        // Never keep a quote that would lock or cross the market or our other wanted quote.
        if (s == side::buy) {
            if ((m.has_ask && w.px >= m.best_ask) || (other.active && w.px >= other.px)) return false;
        } else {
            if ((m.has_bid && w.px <= m.best_bid) || (other.active && w.px <= other.px)) return false;
        }
        const std::int64_t age = m.ts.ns() - w.sent.ns();  // both inside the bounded event-time range
        bool keep = age < p.min_quote_life.ns();
        if (!keep && p.tolerance_ticks > 0) {
            const std::int64_t d = w.px.ticks() - q.px.ticks();  // prices within core/bounds.hpp: no overflow
            keep = (d < 0 ? -d : d) <= p.tolerance_ticks && (p.refresh_period.ns() <= 0 || age < p.refresh_period.ns());
        }
        if (keep) ++counters_.quotes_held;
        return keep;
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
        if (halted_) ++counters_.orders_sent_while_halted;
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
    report_sink report_sink_;
    market_snapshot last_snap_;
    working work_[2];
    qty open_[2];
    std::uint32_t open_orders_ = 0;
    std::uint64_t next_id_ = 0;
    timestamp last_flat_at_{INT64_MIN};
    exec_id_window<1024> seen_;
    bool trading_ = true;
    bool halted_ = false;
    bool pull_pending_ = false;
};

} // namespace v0
} // namespace pinnacle
