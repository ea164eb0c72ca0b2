#pragma once
/// @file sim/simulated_venue.hpp
/// A simulated exchange that matches our orders against a replayed L3 market, with a pluggable
/// queue position model, latency model and fee model.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/ring_buffer.hpp"
#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/core/config_check.hpp"
#include "pinnacle/sim/models.hpp"

namespace pinnacle {
inline namespace v0 {

/// Capacities of a simulated_venue.
struct sim_venue_limits {
    std::size_t max_open_orders = 64;  ///< Orders in flight or resting at once; more are refused.
    std::size_t queue_capacity = 4096; ///< In-flight requests and undelivered reports.
};

/// A resting or in-flight order of ours inside the simulated venue.
struct sim_order {
    order_id cl_ord_id;              ///< Our ClOrdID.
    pinnacle::side side = side::buy; ///< Buy or sell.
    price px;                        ///< Limit price (ticks).
    qty leaves;                      ///< Lots still working.
    qty filled;                      ///< Lots filled so far.
    queue_position queue;            ///< Queue position while resting.
    time_in_force tif = time_in_force::gtc; ///< Time in force.
    order_type type = order_type::limit;    ///< Limit or market.
    bool live = false;               ///< Reached the matching engine and resting.
    bool in_use = false;             ///< Slot holds an order.
    std::uint64_t venue_order_id = 0; ///< The venue's id of the order (1, 2, ... in submit order).
};

/// Simulated venue over a replayed L3 market. Thread-safety: one thread.
///
/// Book must offer, besides DepthView, `find(order_id)` (-> pointer to something with `seq` and
/// `size`), `next_seq()` and `size_at(side, price)` — l3_book does.
///
/// Rules (our orders do not change the replayed market; see set_taker_impact for what we took):
/// - No look-ahead: a request sent at t reaches the engine at t + entry latency and only meets
///   market events stamped strictly after that; a report reaches us after the response latency.
///   Requests and reports each travel in FIFO order, as on one connection: with a variable
///   latency model a message never overtakes the one sent before it.
/// - On arrival an order that crosses takes visible liquidity level by level up to its limit
///   (market orders: any price) at the levels' prices, as taker. Post-only orders that would cross
///   are rejected; FOK orders that cannot fill entirely are cancelled unfilled; IOC and market
///   remainders are cancelled; the rest rests behind every lot already at its price.
/// - Resting orders fill (as maker) when the QueueModel says an event at our price reached us, or
///   when the market trades through our price: a visible execution at a worse price, a hidden
///   execution at a worse price (or at ours when nothing visible is ahead: displayed priority), or
///   a new order on the other side at or through our price.
/// - Modify (FIX cancel/replace): a lower size keeps queue priority; a new price or a larger size
///   re-queues at the back. A size at or below what has filled cancels the order.
/// - A limit price off the venue's price grid (set_price_grid; e.g. $0.01 on NASDAQ) is rejected on
///   arrival with reason invalid_price, as an exchange would.
/// - Every report carries the order's venue_order_id and a unique exec_id (1, 2, ...).
/// - The session is always up unless a test sets it (set_session_state): while down or connecting
///   nothing is sent (status::disconnected); while throttled new orders are refused
///   (status::throttled) but cancels go.
template <class Book, class Queue = fifo_queue, class Latency = constant_latency, class Fees = per_lot_fees>
class simulated_venue {
    static_assert(QueueModel<Queue, Book>, "Queue must satisfy QueueModel for this Book (docs/concepts.md#queuemodel)");
    static_assert(LatencyModel<Latency>, "Latency must satisfy LatencyModel (docs/concepts.md#latencymodel)");
    static_assert(FeeModel<Fees>, "Fees must satisfy FeeModel (docs/concepts.md#feemodel)");

public:
    /// A venue with the given models; allocates its fixed queues here. Throws std::bad_alloc, and
    /// std::invalid_argument when a model with a static check() (the bundled fee and latency
    /// models: core/bounds.hpp) reports it out of bounds.
    explicit simulated_venue(Latency latency = {}, Fees fees = {}, Queue queue = {}, sim_venue_limits limits = {})
        : latency_(std::move(latency)), fees_(std::move(fees)), queue_(std::move(queue)),
          orders_(limits.max_open_orders), inbound_(limits.queue_capacity), outbound_(limits.queue_capacity) {
        if constexpr (requires { Fees::check(fees_); }) detail::require_valid_config(Fees::check(fees_));
        if constexpr (requires { Latency::check(latency_); }) detail::require_valid_config(Latency::check(latency_));
    }

    /// Sends a new order decided at o.ts. Errors (nothing sent): invalid_qty (size outside
    /// 1..bounds::max_qty_lots), invalid_price (limit price outside 1..bounds::max_price_ticks),
    /// duplicate_order (ClOrdID still working), pool_exhausted (max_open_orders or the request
    /// queue is full).
    [[nodiscard]] status submit(const order_intent& o) noexcept {
        if (session_ != venue_session::up) return session_ == venue_session::throttled ? status::throttled : status::disconnected;
        if (!bounds::qty_ok(o.size.lots())) return status::invalid_qty;
        if (o.type == order_type::limit && !bounds::price_ok(o.px.ticks())) return status::invalid_price;
        if (find(o.cl_ord_id) != nullptr) return status::duplicate_order;
        // Lowest free slot: slots in use stay packed at the front, so scans stop at used_.
        std::size_t idx = 0;
        while (idx < orders_.size() && orders_[idx].in_use) ++idx;
        if (idx == orders_.size()) return status::pool_exhausted;
        sim_order* slot = &orders_[idx];
        if (const status st = send(request{{}, o.cl_ord_id, request_kind::submit, price{}, qty{}}, o.ts); st != status::ok) return st;
        *slot = sim_order{o.cl_ord_id, o.side, o.px, o.size, qty{0}, {}, o.tif, o.type, false, true, ++next_venue_order_id_};
        if (idx + 1 > used_) used_ = idx + 1;
        return status::ok;
    }

    /// Sends a cancel for order `id` decided at `ts`. Errors: unknown_order (not working here),
    /// pool_exhausted (request queue full). If the order fills first, the answer is cancel_rejected.
    [[nodiscard]] status cancel(order_id id, timestamp ts) noexcept {
        if (!can_cancel()) return status::disconnected;
        if (find(id) == nullptr) return status::unknown_order;
        return send(request{{}, id, request_kind::cancel, price{}, qty{}}, ts);
    }

    /// Sends a cancel/replace for order `id` decided at `ts`: new limit price (ticks) and new total
    /// size (lots, including what has filled). Errors: unknown_order, invalid_qty, invalid_price,
    /// pool_exhausted.
    [[nodiscard]] status modify(order_id id, price new_px, qty new_size, timestamp ts) noexcept {
        if (session_ != venue_session::up) return session_ == venue_session::throttled ? status::throttled : status::disconnected;
        if (find(id) == nullptr) return status::unknown_order;
        if (!bounds::qty_ok(new_size.lots())) return status::invalid_qty;
        if (!bounds::price_ok(new_px.ticks())) return status::invalid_price;
        return send(request{{}, id, request_kind::modify, new_px, new_size}, ts);
    }

    /// Sends a cancel decided at `ts` for every order in flight or resting (each answers canceled,
    /// or cancel_rejected if it filled first). Errors: disconnected (session down or connecting),
    /// pool_exhausted (the request queue filled up; the orders before it were sent).
    [[nodiscard]] status cancel_all(timestamp ts) noexcept {
        if (!can_cancel()) return status::disconnected;
        for (std::size_t i = 0; i < used_; ++i) {
            if (!orders_[i].in_use) continue;
            if (const status st = send(request{{}, orders_[i].cl_ord_id, request_kind::cancel, price{}, qty{}}, ts); st != status::ok)
                return st;
        }
        return status::ok;
    }

    /// The session state (up unless set_session_state said otherwise).
    [[nodiscard]] venue_session session_state() const noexcept { return session_; }
    /// Sets the session state, to test how an engine behaves when a venue is down or throttled.
    /// Orders already sent keep working; only new requests are refused.
    void set_session_state(venue_session s) noexcept { session_ = s; }

    /// Limit prices must be multiples of `grid` ticks (> 0; 1 = every tick, the default); others
    /// are rejected on arrival with reason invalid_price. E.g. 100 for $0.01 with LOBSTER ticks.
    void set_price_grid(price grid) noexcept { grid_ = grid.ticks() > 0 ? grid.ticks() : 1; }
    /// The price grid (ticks).
    [[nodiscard]] price price_grid() const noexcept { return price{grid_}; }

    /// Pops the next report that has reached us by `now`; false if none has.
    bool poll(timestamp now, execution_report& out) noexcept {
        if (outbound_.empty() || outbound_.front().ts > now) return false;
        out = outbound_.front();
        outbound_.pop();
        return true;
    }

    /// Processes requests that arrived before e.ts, then lets e act on our resting orders.
    /// Call for every market event, in order, before book.apply(e).
    void on_market(const market_event& e, const Book& book) noexcept {
        arrive_before(e.ts, book);
        if (n_taken_ > 0) shrink_taken(e, book);
        for (std::size_t i = 0; i < used_; ++i) {
            sim_order& o = orders_[i];
            if (o.in_use && o.live) match(o, e, book);
        }
        while (used_ > 0 && !orders_[used_ - 1].in_use) --used_;
    }

    /// Processes the requests that arrived strictly before `now` against the book as it is, as
    /// on_market would for an event stamped `now` that touches none of our orders. For quiet
    /// periods and the end of the data: call it only once every event stamped before `now` has
    /// been passed to on_market and applied to the book.
    void advance(timestamp now, const Book& book) noexcept {
        arrive_before(now, book);
        while (used_ > 0 && !orders_[used_ - 1].in_use) --used_;
    }

    /// Taker market impact, off by default. When on, the lots our orders take as taker stay taken:
    /// they are subtracted from the replayed level they came from (the front of its queue) for
    /// every later order of ours, until the market's own executions and cancels shrink the level
    /// below what we took. The replayed market itself goes on as recorded (its events are assumed
    /// to hit the liquidity behind ours), so this is a lower bound on our impact. Without it, an
    /// order sent again a moment later would find the same displayed liquidity again.
    void set_taker_impact(bool on) noexcept {
        impact_ = on;
        n_taken_ = 0;
    }
    /// Whether taker impact is on.
    [[nodiscard]] bool taker_impact() const noexcept { return impact_; }

    /// Lots at (side s, price px) that our taker fills took and the replayed book `book` still
    /// shows (0 with taker impact off): subtract them from the displayed size to see what is left.
    [[nodiscard]] qty taken(side s, price px, const Book& book) const noexcept {
        for (std::size_t i = 0; i < n_taken_; ++i)
            if (taken_[i].s == s && taken_[i].px == px) return std::min(taken_[i].lots, book.size_at(s, px));
        return qty{0};
    }

    /// Taker fills whose impact could not be recorded because every impact slot was in use (should
    /// stay 0; those lots then stay visible to our later orders).
    [[nodiscard]] std::size_t impact_overflows() const noexcept { return impact_overflows_; }

    /// The order with this ClOrdID if it is in flight or resting, else nullptr.
    [[nodiscard]] const sim_order* find(order_id id) const noexcept {
        for (std::size_t i = 0; i < used_; ++i)
            if (orders_[i].in_use && orders_[i].cl_ord_id == id) return &orders_[i];
        return nullptr;
    }

    /// Reports produced but not yet delivered.
    [[nodiscard]] std::size_t pending_reports() const noexcept { return outbound_.size(); }
    /// Reports dropped because the report queue was full (should stay 0; raise queue_capacity).
    [[nodiscard]] std::size_t dropped_reports() const noexcept { return dropped_; }
    /// The latency model.
    [[nodiscard]] const Latency& latency() const noexcept { return latency_; }
    /// The fee model.
    [[nodiscard]] const Fees& fees() const noexcept { return fees_; }
    /// The queue model.
    [[nodiscard]] const Queue& queue_model() const noexcept { return queue_; }

    /// Snapshot hook (journal/snapshot.hpp): our orders (queue positions included), the in-flight requests and undelivered reports (the latency queues), and the counters; the latency and queue models when they have a hook. Configuration (latency, fees, grid) is not state.
    template <class Ar>
    void persist(Ar& ar) {
        ar.vec(orders_);
        ar.value(used_);
        inbound_.persist(ar);
        outbound_.persist(ar);
        ar.value(last_arrive_);
        ar.value(last_report_);
        ar.value(dropped_);
        ar.value(impact_);
        ar.value(taken_);
        ar.value(n_taken_);
        ar.value(impact_overflows_);
        ar.value(next_venue_order_id_);
        ar.value(next_exec_id_);
        ar.value(session_);
        if constexpr (requires { latency_.persist(ar); }) latency_.persist(ar);
        if constexpr (requires { queue_.persist(ar); }) queue_.persist(ar);
    }

private:
    enum class request_kind : std::uint8_t { submit, cancel, modify };
    struct request {
        timestamp arrive;
        order_id id;
        request_kind kind = request_kind::submit;
        price px;   // modify: new price
        qty size;   // modify: new total size
    };

    // Requests travel in order: one never overtakes the previous one.
    [[nodiscard]] status send(request r, timestamp ts) noexcept {
        timestamp arrive = ts + latency_.entry(ts);
        if (arrive < last_arrive_) arrive = last_arrive_;
        r.arrive = arrive;
        const status st = inbound_.push(r);
        if (st == status::ok) last_arrive_ = arrive;
        return st;
    }

    struct taken_level {
        side s = side::buy;
        price px;
        qty lots;
    };

    // Lots still displayed at level l that our later orders can take.
    [[nodiscard]] qty available(side s, const level_info& l, const Book& book) const noexcept {
        if (n_taken_ == 0) return l.size;
        const qty left = l.size - taken(s, l.px, book);
        return left.lots() > 0 ? left : qty{0};
    }

    void record_taken(side s, price px, qty q) noexcept {
        for (std::size_t i = 0; i < n_taken_; ++i)
            if (taken_[i].s == s && taken_[i].px == px) {
                taken_[i].lots += q;
                return;
            }
        if (n_taken_ == taken_.size()) {
            ++impact_overflows_;
            return;
        }
        taken_[n_taken_++] = taken_level{s, px, q};
    }

    // A market execution or cancel at a level we took from leaves at most what the level keeps.
    void shrink_taken(const market_event& e, const Book& book) noexcept {
        if (e.type != event_type::execute && e.type != event_type::cancel && e.type != event_type::remove) return;
        for (std::size_t i = 0; i < n_taken_; ++i) {
            taken_level& t = taken_[i];
            if (t.s != e.side || t.px != e.px) continue;
            const qty keeps = book.size_at(e.side, e.px) - e.size;
            t.lots = std::min(t.lots, keeps.lots() > 0 ? keeps : qty{0});
            if (t.lots.lots() <= 0) taken_[i] = taken_[--n_taken_];
            return;
        }
    }

    void arrive_before(timestamp t, const Book& book) noexcept {
        while (!inbound_.empty() && inbound_.front().arrive < t) {
            const request r = inbound_.front();
            inbound_.pop();
            switch (r.kind) {
                case request_kind::submit: arrive_new(r, book); break;
                case request_kind::cancel: arrive_cancel(r); break;
                case request_kind::modify: arrive_modify(r, book); break;
            }
        }
    }

    sim_order* find_mut(order_id id) noexcept {
        for (std::size_t i = 0; i < used_; ++i)
            if (orders_[i].in_use && orders_[i].cl_ord_id == id) return &orders_[i];
        return nullptr;
    }

    [[nodiscard]] bool can_cancel() const noexcept {
        return session_ == venue_session::up || session_ == venue_session::throttled;
    }

    void push(execution_report r, timestamp engine_ts) noexcept {
        r.exec_id = ++next_exec_id_;
        timestamp at = engine_ts + latency_.response(engine_ts);
        if (at < last_report_) at = last_report_;  // reports, too, arrive in the order sent
        r.ts = at;
        if (outbound_.push(r) != status::ok) ++dropped_; else last_report_ = at;
    }

    void report(const sim_order& o, timestamp engine_ts, exec_type t, status reason = status::ok) noexcept {
        execution_report r;
        r.cl_ord_id = o.cl_ord_id;
        r.type = t;
        r.side = o.side;
        r.px = o.px;
        r.leaves_qty = o.leaves;
        r.reason = reason;
        r.venue_order_id = o.venue_order_id;
        push(r, engine_ts);
    }

    void fill(sim_order& o, timestamp engine_ts, price px, qty q, bool maker) noexcept {
        if (q > o.leaves) q = o.leaves;
        if (q.lots() <= 0) return;
        o.leaves -= q;
        o.filled += q;
        execution_report r;
        r.cl_ord_id = o.cl_ord_id;
        r.type = exec_type::fill;
        r.side = o.side;
        r.px = o.px;
        r.last_px = px;
        r.last_qty = q;
        r.leaves_qty = o.leaves;
        r.maker = maker;
        r.fee = fees_.fee(px, q, maker);
        r.venue_order_id = o.venue_order_id;
        push(r, engine_ts);
        if (impact_ && !maker) record_taken(opposite(o.side), px, q);
        if (o.leaves.lots() == 0) o.in_use = false;
    }

    // Would a taker order at o.px (any price for market orders) meet the level at px?
    [[nodiscard]] static bool reaches(const sim_order& o, price level_px) noexcept {
        return o.type == order_type::market || !better(opposite(o.side), o.px, level_px);
    }

    // Our order takes what it reaches, level by level, as taker; the order may end up filled.
    void take(sim_order& o, timestamp engine_ts, const Book& book) noexcept {
        const side opp = opposite(o.side);
        for (std::size_t i = 0; i < book.depth(opp) && o.in_use; ++i) {
            const level_info l = book.level(opp, i);
            if (!reaches(o, l.px)) break;
            fill(o, engine_ts, l.px, available(opp, l, book), false);
        }
    }

    // A cancel or replace for an order that is no longer working here.
    void refuse(const request& r, status reason = status::unknown_order) noexcept {
        execution_report rep;
        rep.cl_ord_id = r.id;
        rep.type = exec_type::cancel_rejected;
        rep.reason = reason;
        push(rep, r.arrive);
    }

    void arrive_new(const request& r, const Book& book) noexcept {
        sim_order* op = find_mut(r.id);
        if (op == nullptr) return;
        sim_order& o = *op;
        if (o.type == order_type::limit && o.px.ticks() % grid_ != 0) {  // off the price grid
            report(o, r.arrive, exec_type::rejected, status::invalid_price);
            o.in_use = false;
            return;
        }
        const side opp = opposite(o.side);
        const bool crosses = book.depth(opp) > 0 && reaches(o, book.level(opp, 0).px);
        if (crosses && o.tif == time_in_force::post_only) {
            report(o, r.arrive, exec_type::rejected, status::rejected);
            o.in_use = false;
            return;
        }
        if (o.tif == time_in_force::fok) {  // all or nothing: count what the book offers first
            qty offered;
            for (std::size_t i = 0; i < book.depth(opp) && offered < o.leaves; ++i) {
                const level_info l = book.level(opp, i);
                if (!reaches(o, l.px)) break;
                offered += available(opp, l, book);
            }
            if (offered < o.leaves) {
                report(o, r.arrive, exec_type::canceled);
                o.in_use = false;
                return;
            }
        }
        report(o, r.arrive, exec_type::new_ack);
        take(o, r.arrive, book);
        if (!o.in_use) return;  // fully filled
        if (o.tif == time_in_force::ioc || o.tif == time_in_force::fok || o.type == order_type::market) {
            report(o, r.arrive, exec_type::canceled);
            o.in_use = false;
            return;
        }
        o.live = true;
        queue_.on_join(o.queue, book, o.side, o.px);
    }

    void arrive_cancel(const request& r) noexcept {
        sim_order* o = find_mut(r.id);
        if (o == nullptr) {  // filled (or cancelled) before the cancel got there
            refuse(r);
            return;
        }
        report(*o, r.arrive, exec_type::canceled);
        o->in_use = false;
    }

    void arrive_modify(const request& r, const Book& book) noexcept {
        sim_order* op = find_mut(r.id);
        if (op == nullptr || !op->live) {  // gone, or not yet resting: refuse like a late cancel
            refuse(r);
            return;
        }
        if (r.px.ticks() % grid_ != 0) {  // the order keeps working as it was
            refuse(r, status::invalid_price);
            return;
        }
        sim_order& o = *op;
        const qty new_leaves = r.size - o.filled;
        if (new_leaves.lots() <= 0) {
            o.leaves = qty{0};
            report(o, r.arrive, exec_type::canceled);
            o.in_use = false;
            return;
        }
        const bool requeue = r.px != o.px || new_leaves > o.leaves;
        o.px = r.px;
        o.leaves = new_leaves;
        report(o, r.arrive, exec_type::replaced);
        if (!requeue) return;
        take(o, r.arrive, book);  // the new price may cross
        if (!o.in_use) return;
        queue_.on_join(o.queue, book, o.side, o.px);
    }

    void match(sim_order& o, const market_event& e, const Book& book) noexcept {
        const side s = o.side;
        switch (e.type) {
            case event_type::add:
                // A new order on the other side at or through our price would have traded with us.
                if (e.side != s && !better(s, e.px, o.px)) fill(o, e.ts, o.px, e.size, true);
                return;
            case event_type::cancel:
            case event_type::remove:
                if (e.side == s && e.px == o.px) (void)queue_.on_same_level(o.queue, e, book);
                return;
            case event_type::execute:
                if (e.side != s) return;
                if (e.px == o.px) {
                    fill(o, e.ts, o.px, queue_.on_same_level(o.queue, e, book), true);
                } else if (better(s, o.px, e.px)) {  // the aggressor traded through our price
                    o.queue.ahead = 0.0;
                    fill(o, e.ts, o.px, e.size, true);
                }
                return;
            case event_type::execute_hidden:
                if (e.side != s) return;
                if (better(s, o.px, e.px) || (e.px == o.px && o.queue.ahead <= 0.0)) fill(o, e.ts, o.px, e.size, true);
                return;
            case event_type::cross_trade:
            case event_type::halt:
            case event_type::depth_snapshot:
            case event_type::depth_update: return;
        }
    }

    Latency latency_;
    Fees fees_;
    Queue queue_;
    std::vector<sim_order> orders_;
    std::size_t used_ = 0;  // every order in use sits in orders_[0, used_)
    ring_buffer<request> inbound_;
    ring_buffer<execution_report> outbound_;
    timestamp last_arrive_{INT64_MIN};
    timestamp last_report_{INT64_MIN};
    std::size_t dropped_ = 0;
    bool impact_ = false;
    std::array<taken_level, 64> taken_{};
    std::size_t n_taken_ = 0;
    std::size_t impact_overflows_ = 0;
    std::int64_t grid_ = 1;
    std::uint64_t next_venue_order_id_ = 0;
    std::uint64_t next_exec_id_ = 0;
    venue_session session_ = venue_session::up;
};

} // namespace v0
} // namespace pinnacle
