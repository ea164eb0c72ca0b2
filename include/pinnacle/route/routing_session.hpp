#pragma once
/// @file route/routing_session.hpp
/// Connects one Router to the Venues it routes to: each step polls the venues' execution reports
/// into the router, cancels the children of an expired or cancelled parent, and plans and sends new
/// children on the venues' current books. Used by examples/route_order, the end-to-end routing
/// benchmark and the engine's auto-hedge (see hedge_parent).

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/consolidated_book.hpp"
#include "pinnacle/venue/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Counters of a routing_session since start(). Thread-safety: value type.
struct routing_counters {
    std::size_t children_sent = 0;  ///< Child orders the venues accepted.
    std::size_t send_failures = 0;  ///< Children a venue refused at submit (fed back to the router as rejects).
    std::size_t cancels_sent = 0;   ///< Cancel requests sent for children of an expired or cancelled parent.
    std::size_t reports = 0;        ///< Execution reports polled from the venues.
    std::size_t fills = 0;          ///< Fill reports among them.
    std::size_t plans = 0;          ///< Router plan() calls.
};

/// Receives every execution report a routing_session polls, with the venue index it came from.
/// A plain function pointer and a context, so delivering never allocates.
struct routed_report_sink {
    void (*fn)(void* ctx, std::uint32_t venue, const execution_report& r) noexcept = nullptr; ///< Null = ignore.
    void* ctx = nullptr;                                                                    ///< Passed to fn.
};

/// Drives Router `R` over up to MaxVenues venues of type `V`, whose books (type `Book`, any
/// DepthView) are read through a consolidated_book. The venues, books and router are held by
/// reference and must outlive the session. Every child becomes an order_intent with the child's
/// ClOrdID, side, price, size and time in force, decided at the step's `now`; a venue that refuses
/// a child (submit() error) is answered by a synthetic rejected report to the router, so the
/// child's lots are free again. The router sees, for each venue, the side the parent takes: up to
/// `Depth` levels and no deeper than the parent's total, less the lots our own taker fills took
/// there when the venue models impact (a `taken(side, price, book)` member, as
/// simulated_venue::taken). The other side's span is empty.
/// noexcept and allocation-free. Thread-safety: one thread.
template <class R, class V, DepthView Book, std::size_t MaxVenues, std::size_t Depth = 10>
    requires Router<R> && Venue<V>
class routing_session {
public:
    /// A session with no venue; `latency_penalty_ticks_per_ms` as in effective_price() for the
    /// consolidated view (the router applies its own controls when splitting).
    explicit routing_session(R& router, double latency_penalty_ticks_per_ms = 0.0) noexcept
        : router_(router), view_(latency_penalty_ticks_per_ms) {}

    /// Adds a venue with its book and costs; its index is the number of venues added before.
    /// Errors: book_full when MaxVenues venues are in use.
    [[nodiscard]] status add_venue(V& venue, const Book& book, const venue_costs& costs) noexcept {
        if (const status st = view_.add_venue(book, costs); st != status::ok) return st;
        venues_[n_] = &venue;
        quotes_[n_] = venue_quote{static_cast<std::uint32_t>(n_), {}, {}, costs};  // snapshot() sets the levels
        ++n_;
        return status::ok;
    }

    /// Number of venues.
    [[nodiscard]] std::size_t venues() const noexcept { return n_; }

    /// Starts routing parent `p` (the router starts a new parent on its first plan with p.id);
    /// counters restart from 0.
    void start(const parent_order& p) noexcept {
        parent_ = p;
        counters_ = {};
        per_venue_children_.fill(0);
        active_ = true;
        fresh_ = true;
    }

    /// Stops routing the parent: the router cancels it (when it offers `cancel(span<order_id>)`) and
    /// cancel requests go to the venues for its working children, decided at `now`. Returns the
    /// number of cancel requests sent.
    std::size_t cancel(timestamp now) noexcept {
        if (!active_) return 0;
        std::size_t n = 0;
        if constexpr (requires(R& r, std::span<order_id> ids) { r.cancel(ids); }) n = router_.cancel(std::span<order_id>(ids_));
        return send_cancels(n, now);
    }

    /// One step at time `now` (ns): (1) polls every venue for the reports that have reached us by
    /// `now` and feeds them to the router (and to the sink); (2) on the router's timer, sends
    /// cancels for the working children of an expired parent; (3) unless the parent is done, plans
    /// on the venues' current books and sends the children. Returns the number of children sent.
    std::size_t step(timestamp now) noexcept {
        poll(now);
        if (!active_) return 0;
        // Until its first plan the router still holds the previous parent, done or not.
        if (!fresh_) (void)send_cancels(router_.on_timer(now, std::span<order_id>(ids_)), now);
        if (!fresh_ && is_done(router_.state())) return 0;
        fresh_ = false;
        snapshot();
        const std::size_t k = router_.plan(parent_, std::span<const venue_quote>(quotes_.data(), n_), now, std::span<child_order>(out_));
        ++counters_.plans;
        std::size_t sent = 0;
        for (std::size_t i = 0; i < k; ++i) {
            const child_order& c = out_[i];
            order_intent o;
            o.cl_ord_id = c.id;
            o.side = c.side;
            o.px = c.px;
            o.size = c.size;
            o.tif = c.tif;
            o.ts = now;
            const status st = c.venue < n_ ? venues_[c.venue]->submit(o) : status::rejected;
            if (st == status::ok) {
                ++sent;
                ++per_venue_children_[c.venue];
                continue;
            }
            ++counters_.send_failures;
            execution_report rej;
            rej.ts = now;
            rej.cl_ord_id = c.id;
            rej.type = exec_type::rejected;
            rej.side = c.side;
            rej.px = c.px;
            rej.leaves_qty = c.size;
            rej.reason = st;
            (void)router_.on_child_report(rej);
        }
        counters_.children_sent += sent;
        return sent;
    }

    /// Polls every venue for the reports that have reached us by `now` and feeds them to the router
    /// and the sink, without planning. Returns the number of reports.
    std::size_t poll(timestamp now) noexcept {
        std::size_t n = 0;
        execution_report r;
        for (std::size_t v = 0; v < n_; ++v) {
            while (venues_[v]->poll(now, r)) {
                ++n;
                if (r.type == exec_type::fill) ++counters_.fills;
                (void)router_.on_child_report(r);
                if (sink_.fn != nullptr) sink_.fn(sink_.ctx, static_cast<std::uint32_t>(v), r);
            }
        }
        counters_.reports += n;
        return n;
    }

    /// Every polled report also goes to `sink` (e.g. to record fills per venue or update a ledger).
    void set_report_sink(routed_report_sink sink) noexcept { sink_ = sink; }

    /// The parent being routed.
    [[nodiscard]] const parent_order& parent() const noexcept { return parent_; }
    /// The parent's state as the router sees it (working from start() until the first step).
    [[nodiscard]] parent_state state() const noexcept { return fresh_ ? parent_state::working : router_.state(); }
    /// The router.
    [[nodiscard]] const R& router() const noexcept { return router_; }
    /// Counters since start().
    [[nodiscard]] const routing_counters& counters() const noexcept { return counters_; }
    /// Children accepted by venue v since start() (0 for v >= venues()).
    [[nodiscard]] std::size_t children_at(std::size_t v) const noexcept { return v < n_ ? per_venue_children_[v] : 0; }
    /// The consolidated view over the venues' books.
    [[nodiscard]] const consolidated_book<Book, MaxVenues>& view() const noexcept { return view_; }

private:
    // The router's view: the side the parent takes (asks for a buy, bids for a sell) of each venue,
    // at most Depth levels and only as deep as the parent's total (no router takes more than that
    // at one venue, working children included), less what our own taker fills took there when the
    // venue models taker impact (simulated_venue::taken); emptied levels are skipped.
    void snapshot() noexcept {
        const side s = opposite(parent_.side);
        for (std::size_t v = 0; v < n_; ++v) {
            level_info* seg = storage_.data() + v * Depth;
            const Book& b = view_.book(v);
            const std::size_t depth = b.depth(s);
            bool impact = false;
            if constexpr (requires(const V& ven) { { ven.taker_impact() } -> std::same_as<bool>; }) impact = venues_[v]->taker_impact();
            std::size_t d = 0;
            qty seen{0};
            for (std::size_t i = 0; i < depth && d < Depth && seen < parent_.total; ++i) {
                level_info l = b.level(s, i);
                if constexpr (requires(const V& ven) { ven.taken(s, l.px, b); }) {
                    if (impact) {
                        l.size -= venues_[v]->taken(s, l.px, b);
                        if (l.size.lots() <= 0) continue;
                    }
                }
                seen += l.size;
                seg[d++] = l;
            }
            const std::span<const level_info> levels(seg, d);
            quotes_[v].bids = s == side::buy ? levels : std::span<const level_info>{};
            quotes_[v].asks = s == side::sell ? levels : std::span<const level_info>{};
        }
    }

    std::size_t send_cancels(std::size_t n, timestamp now) noexcept {
        std::size_t sent = 0;
        for (std::size_t i = 0; i < n; ++i) {
            // Reports do not say where a child went, so ask every venue; only the one holding it accepts.
            for (std::size_t v = 0; v < n_; ++v) {
                if (venues_[v]->cancel(ids_[i], now) == status::ok) {
                    ++sent;
                    break;
                }
            }
        }
        counters_.cancels_sent += sent;
        return sent;
    }

    R& router_;
    consolidated_book<Book, MaxVenues> view_;
    std::array<V*, MaxVenues> venues_{};
    std::size_t n_ = 0;
    parent_order parent_{};
    bool active_ = false;
    bool fresh_ = false;  // started, not yet planned: the router has not begun this parent
    routing_counters counters_{};
    std::array<std::size_t, MaxVenues> per_venue_children_{};
    std::array<level_info, Depth * MaxVenues> storage_{};
    std::array<venue_quote, MaxVenues> quotes_{};
    std::array<child_order, 4 * MaxVenues> out_{};
    std::array<order_id, 64> ids_{};
    routed_report_sink sink_{};
};

/// The parent order for an auto-hedge intent (engine/market_maker.hpp's hedge_sink): same side and
/// size, the intent's price as both limit and arrival price (ticks) widened by `band` ticks of
/// allowed slippage (buy: limit + band, sell: limit - band), start = intent time and deadline =
/// intent time + `ttl` (ns). The parent id is the intent's ClOrdID.
[[nodiscard]] constexpr parent_order hedge_parent(const order_intent& h, price band, duration ttl) noexcept {
    parent_order p;
    p.id = h.cl_ord_id;
    p.side = h.side;
    p.total = h.size;
    p.arrival = h.px;
    p.limit = h.side == side::buy ? h.px + band : h.px - band;
    p.urgency = 1.0;
    p.start = h.ts;
    p.deadline = h.ts + ttl;
    return p;
}

} // namespace v0
} // namespace pinnacle
