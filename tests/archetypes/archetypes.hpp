#pragma once
// Minimal models of each concept: exactly what the concept requires, nothing more. Generic
// components are instantiated with them (tests/unit/test_concepts.cpp) to prove they ask for
// nothing beyond their concepts.

#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/memory/concepts.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle_test {
using namespace pinnacle;

/// OrderBook archetype: one level per side, set by the last add on that side.
struct archetype_book {
    level_info bid{}, ask{};
    bool has_bid = false, has_ask = false;
    [[nodiscard]] std::size_t depth(side s) const noexcept { return (s == side::buy ? has_bid : has_ask) ? 1u : 0u; }
    [[nodiscard]] level_info level(side s, std::size_t) const noexcept { return s == side::buy ? bid : ask; }
    [[nodiscard]] status apply(const market_event& e) noexcept {
        if (e.type != event_type::add) return status::not_supported;
        (e.side == side::buy ? bid : ask) = level_info{e.px, e.size, 1};
        (e.side == side::buy ? has_bid : has_ask) = true;
        return status::ok;
    }
    void clear() noexcept { has_bid = has_ask = false; }
};

/// Strategy archetype: quotes one tick outside the touch, counts reports.
struct archetype_strategy {
    std::size_t reports = 0;
    template <class Book>
    quote_pair on_market(const market_update<Book>& u) noexcept {
        const market_snapshot& m = u.top;
        quote_pair q;
        if (m.has_bid && m.has_ask) {
            q.bid = quote{m.best_bid - price{1}, qty{1}, true};
            q.ask = quote{m.best_ask + price{1}, qty{1}, true};
        }
        return q;
    }
    void on_execution(const execution_report&) noexcept { ++reports; }
};

/// RiskCheck archetype: approves everything.
struct archetype_risk {
    risk_verdict check(const order_intent&, const risk_state&) noexcept { return risk_verdict::approve(); }
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Venue archetype: acknowledges every order at once.
struct archetype_venue {
    execution_report pending{};
    bool has = false;
    std::size_t submitted = 0;
    status submit(const order_intent& o) noexcept {
        ++submitted;
        pending = execution_report{};
        pending.ts = o.ts;
        pending.cl_ord_id = o.cl_ord_id;
        pending.side = o.side;
        pending.px = o.px;
        pending.leaves_qty = o.size;
        has = true;
        return status::ok;
    }
    status cancel(order_id, timestamp) noexcept { return status::ok; }
    status modify(order_id, price, qty, timestamp) noexcept { return status::ok; }
    status cancel_all(timestamp) noexcept { return status::ok; }
    venue_session session_state() const noexcept { return venue_session::up; }
    bool poll(timestamp, execution_report& r) noexcept {
        if (!has) return false;
        r = pending;
        has = false;
        return true;
    }
};

/// Pool archetype: one slot.
struct archetype_pool {
    using value_type = int;
    using index_type = unsigned;
    int slot = 0;
    bool used = false;
    result<index_type> acquire() noexcept {
        if (used) return status::pool_exhausted;
        used = true;
        return index_type{0};
    }
    void release(index_type) noexcept { used = false; }
    int& operator[](index_type) noexcept { return slot; }
    [[nodiscard]] std::size_t capacity() const noexcept { return 1; }
    [[nodiscard]] std::size_t size() const noexcept { return used ? 1u : 0u; }
};

/// Router archetype: sends the whole parent once, at its limit, to the first venue offered;
/// filled by the first fill report, expired at the deadline.
struct archetype_router {
    parent_state st = parent_state::working;
    order_id child{};
    bool sent = false;
    timestamp deadline{};
    std::size_t plan(const parent_order& p, std::span<const venue_quote> v, timestamp now, std::span<child_order> out) noexcept {
        deadline = p.deadline;
        if (sent || out.empty() || v.empty() || is_done(st)) return 0;
        child = order_id{p.id.value() * 1000 + 1};
        out[0] = child_order{child, v[0].venue, p.side, p.limit, p.total, time_in_force::ioc, now};
        sent = true;
        return 1;
    }
    parent_state on_child_report(const execution_report& r) noexcept {
        if (r.cl_ord_id == child && r.type == exec_type::fill) st = parent_state::filled;
        return st;
    }
    std::size_t on_timer(timestamp now, std::span<order_id> cancels) noexcept {
        if (is_done(st) || now < deadline || !sent || cancels.empty()) return 0;
        st = parent_state::expired;
        cancels[0] = child;
        return 1;
    }
    [[nodiscard]] parent_state state() const noexcept { return st; }
};

} // namespace pinnacle_test
