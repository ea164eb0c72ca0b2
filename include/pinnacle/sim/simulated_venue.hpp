#pragma once
/// @file sim/simulated_venue.hpp
/// A simulated exchange that matches our limit orders against a replayed L3 market with an exact
/// FIFO queue position, constant order-entry and response latency, and maker/taker fees.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/ring_buffer.hpp"
#include "pinnacle/sim/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of a simulated_venue. Latencies in ns; fees in ticks per lot (tick-lots per lot
/// filled; negative = rebate). With LOBSTER's $0.0001 tick, 30 = $0.0030 per share.
struct sim_venue_config {
    duration entry_latency{0};          ///< Our decision -> order (or cancel) reaches the matching engine.
    duration response_latency{0};       ///< Matching engine -> report reaches us.
    std::int64_t maker_fee_per_lot = 0; ///< Fee for passive fills, ticks per lot.
    std::int64_t taker_fee_per_lot = 0; ///< Fee for aggressive fills, ticks per lot.
    std::size_t max_open_orders = 64;   ///< Orders in flight or resting at once; more are refused.
    std::size_t queue_capacity = 4096;  ///< In-flight requests and undelivered reports.
};

/// A resting or in-flight order of ours inside the simulated venue.
struct sim_order {
    order_id cl_ord_id;           ///< Our ClOrdID.
    pinnacle::side side = side::buy; ///< Buy or sell.
    price px;                     ///< Limit price (ticks).
    qty leaves;                   ///< Lots still working.
    qty ahead;                    ///< Lots queued ahead of us at our price (FIFO position).
    std::uint64_t join_seq = 0;   ///< Book orders with a lower seq arrived before us.
    time_in_force tif = time_in_force::gtc; ///< Time in force.
    bool live = false;            ///< Reached the matching engine and resting.
    bool in_use = false;          ///< Slot holds an order.
};

/// Simulated venue over a replayed L3 market. Thread-safety: one thread.
///
/// Book must offer, besides DepthView: `find(order_id) -> const resting_order*` (or anything with
/// `seq` and `size`), `next_seq()`, and `size_at(side, price)` — l3_book does.
///
/// Rules (market impact of our own orders is not modelled: the replayed market is not changed):
/// - No look-ahead: an order or cancel decided at t reaches the engine at t + entry_latency and
///   only interacts with market events stamped strictly after that; each report reaches us
///   response_latency after the engine produced it.
/// - On arrival an order crossing the book takes the visible liquidity up to its limit, level by
///   level at the levels' prices (taker fee); post-only orders that would cross are rejected; IOC
///   remainders are cancelled; the rest rests behind every lot already at its price.
/// - Queue position (exact L3 FIFO): cancels and deletes of orders ahead of us (an earlier seq, or
///   liquidity the book never saw an add for) advance us; executions at our price eat the queue
///   from the front; an execution at our price of an order behind us, or at a price worse than
///   ours, means the aggressor reached us: we fill first. A new order on the other side that
///   would cross our price trades with us. A hidden execution at a price worse than ours fills
///   us; at our price it fills us only when nothing visible is ahead (displayed priority).
template <class Book>
class simulated_venue {
public:
    /// A venue with the given settings; allocates its fixed queues here. Throws std::bad_alloc.
    explicit simulated_venue(sim_venue_config cfg = {})
        : cfg_(cfg), orders_(cfg.max_open_orders), inbound_(cfg.queue_capacity), outbound_(cfg.queue_capacity) {}

    /// Sends a new order decided at intent.ts. Errors (nothing sent): invalid_qty (size <= 0),
    /// invalid_price (price <= 0), duplicate_order (ClOrdID still working), pool_exhausted
    /// (max_open_orders or the request queue is full).
    [[nodiscard]] status submit(const order_intent& o) noexcept {
        if (o.size.lots() <= 0) return status::invalid_qty;
        if (o.px.ticks() <= 0) return status::invalid_price;
        if (find(o.cl_ord_id) != nullptr) return status::duplicate_order;
        sim_order* slot = nullptr;
        for (auto& s : orders_) {
            if (!s.in_use) {
                slot = &s;
                break;
            }
        }
        if (slot == nullptr) return status::pool_exhausted;
        if (const status st = inbound_.push(request{o.ts + cfg_.entry_latency, o.cl_ord_id, false}); st != status::ok) return st;
        *slot = sim_order{o.cl_ord_id, o.side, o.px, o.size, qty{0}, 0, o.tif, false, true};
        return status::ok;
    }

    /// Sends a cancel for order `id` decided at `ts`. Errors: unknown_order (not working here),
    /// pool_exhausted (request queue full). If the order fills before the cancel arrives, the
    /// cancel is answered with cancel_rejected.
    [[nodiscard]] status cancel(order_id id, timestamp ts) noexcept {
        if (find(id) == nullptr) return status::unknown_order;
        return inbound_.push(request{ts + cfg_.entry_latency, id, true});
    }

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
        while (!inbound_.empty() && inbound_.front().arrive < e.ts) {
            const request r = inbound_.front();
            inbound_.pop();
            if (r.is_cancel) arrive_cancel(r, book); else arrive_new(r, book);
        }
        for (auto& o : orders_) {
            if (o.in_use && o.live) match(o, e, book);
        }
    }

    /// The order with this ClOrdID if it is in flight or resting, else nullptr.
    [[nodiscard]] const sim_order* find(order_id id) const noexcept {
        for (const auto& o : orders_)
            if (o.in_use && o.cl_ord_id == id) return &o;
        return nullptr;
    }

    /// Reports produced but not yet delivered.
    [[nodiscard]] std::size_t pending_reports() const noexcept { return outbound_.size(); }
    /// Reports dropped because the report queue was full (should stay 0; size queue_capacity up).
    [[nodiscard]] std::size_t dropped_reports() const noexcept { return dropped_; }
    /// The settings.
    [[nodiscard]] const sim_venue_config& config() const noexcept { return cfg_; }

private:
    struct request {
        timestamp arrive;
        order_id id;
        bool is_cancel = false;
    };

    sim_order* find_mut(order_id id) noexcept {
        for (auto& o : orders_)
            if (o.in_use && o.cl_ord_id == id) return &o;
        return nullptr;
    }

    void report(const sim_order& o, timestamp engine_ts, exec_type t, status reason = status::ok) noexcept {
        execution_report r;
        r.ts = engine_ts + cfg_.response_latency;
        r.cl_ord_id = o.cl_ord_id;
        r.type = t;
        r.side = o.side;
        r.px = o.px;
        r.leaves_qty = o.leaves;
        r.reason = reason;
        push(r);
    }

    void push(const execution_report& r) noexcept {
        if (outbound_.push(r) != status::ok) ++dropped_;
    }

    void fill(sim_order& o, timestamp engine_ts, price px, qty q, bool maker) noexcept {
        if (q.lots() <= 0) return;
        o.leaves -= q;
        execution_report r;
        r.ts = engine_ts + cfg_.response_latency;
        r.cl_ord_id = o.cl_ord_id;
        r.type = exec_type::fill;
        r.side = o.side;
        r.px = o.px;
        r.last_px = px;
        r.last_qty = q;
        r.leaves_qty = o.leaves;
        r.maker = maker;
        r.fee = notional{(maker ? cfg_.maker_fee_per_lot : cfg_.taker_fee_per_lot) * q.lots()};
        push(r);
        if (o.leaves.lots() == 0) o.in_use = false;
    }

    void arrive_new(const request& r, const Book& book) noexcept {
        sim_order* op = find_mut(r.id);
        if (op == nullptr) return;
        sim_order& o = *op;
        const side opp = opposite(o.side);
        // A buy crosses when best ask <= its price; a sell when best bid >= its price.
        const bool crosses = book.depth(opp) > 0 && !better(opp, o.px, book.level(opp, 0).px);
        if (crosses && o.tif == time_in_force::post_only) {
            report(o, r.arrive, exec_type::rejected, status::rejected);
            o.in_use = false;
            return;
        }
        report(o, r.arrive, exec_type::new_ack);
        // Take liquidity level by level up to our limit.
        for (std::size_t i = 0; i < book.depth(opp) && o.leaves.lots() > 0; ++i) {
            const level_info l = book.level(opp, i);
            if (better(opp, o.px, l.px)) break;  // level beyond our limit
            fill(o, r.arrive, l.px, l.size < o.leaves ? l.size : o.leaves, false);
        }
        if (!o.in_use) return;  // fully filled
        if (o.tif == time_in_force::ioc) {
            report(o, r.arrive, exec_type::canceled);
            o.in_use = false;
            return;
        }
        o.live = true;
        o.ahead = book.size_at(o.side, o.px);
        o.join_seq = book.next_seq();
    }

    void arrive_cancel(const request& r, const Book&) noexcept {
        sim_order* o = find_mut(r.id);
        if (o == nullptr) {  // filled (or never arrived) before the cancel got there
            execution_report rep;
            rep.ts = r.arrive + cfg_.response_latency;
            rep.cl_ord_id = r.id;
            rep.type = exec_type::cancel_rejected;
            rep.reason = status::unknown_order;
            push(rep);
            return;
        }
        report(*o, r.arrive, exec_type::canceled);
        o->in_use = false;
    }

    // True when the book order `id` sits ahead of `o` in the queue at o's price.
    [[nodiscard]] static bool is_ahead(const sim_order& o, order_id id, const Book& book) noexcept {
        const auto* ro = book.find(id);
        return ro == nullptr || ro->seq < o.join_seq;  // unseen liquidity arrived before us
    }

    void match(sim_order& o, const market_event& e, const Book& book) noexcept {
        const side s = o.side;
        switch (e.type) {
            case event_type::add:
                // A new order on the other side at or through our price would have traded with us.
                if (e.side != s && !better(s, e.px, o.px)) fill(o, e.ts, o.px, e.size < o.leaves ? e.size : o.leaves, true);
                return;
            case event_type::cancel:
            case event_type::remove:
                if (e.side == s && e.px == o.px && is_ahead(o, e.id, book)) {
                    qty gone = e.size;
                    if (e.type == event_type::remove) {
                        if (const auto* ro = book.find(e.id); ro != nullptr) gone = ro->size;
                    }
                    o.ahead = gone < o.ahead ? o.ahead - gone : qty{0};
                }
                return;
            case event_type::execute: {
                if (e.side != s) return;
                if (e.px == o.px) {
                    if (is_ahead(o, e.id, book)) {
                        if (e.size <= o.ahead) {
                            o.ahead -= e.size;
                        } else {  // more traded than queued ahead: the rest reached us
                            const qty rest = e.size - o.ahead;
                            o.ahead = qty{0};
                            fill(o, e.ts, o.px, rest < o.leaves ? rest : o.leaves, true);
                        }
                    } else {  // an order behind us traded: everything ahead, then us, went first
                        o.ahead = qty{0};
                        fill(o, e.ts, o.px, e.size < o.leaves ? e.size : o.leaves, true);
                    }
                } else if (better(s, o.px, e.px)) {  // the aggressor traded through our price
                    o.ahead = qty{0};
                    fill(o, e.ts, o.px, e.size < o.leaves ? e.size : o.leaves, true);
                }
                return;
            }
            case event_type::execute_hidden:
                if (e.side != s) return;
                if (better(s, o.px, e.px) || (e.px == o.px && o.ahead.lots() == 0))
                    fill(o, e.ts, o.px, e.size < o.leaves ? e.size : o.leaves, true);
                return;
            case event_type::cross_trade:
            case event_type::halt:
            case event_type::depth_snapshot:
            case event_type::depth_update: return;
        }
    }

    sim_venue_config cfg_;
    std::vector<sim_order> orders_;
    ring_buffer<request> inbound_;
    ring_buffer<execution_report> outbound_;
    std::size_t dropped_ = 0;
};

} // namespace v0
} // namespace pinnacle
