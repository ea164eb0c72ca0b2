#pragma once
/// @file book/reference_book.hpp
/// A deliberately plain order book on std::map and std::unordered_map: the test oracle and the
/// benchmark baseline for l3_book. Same semantics, no attention to speed or allocation.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <unordered_map>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Order book on standard containers (allocates per order). Thread-safety: one thread.
/// Anonymous liquidity is handled exactly as in l3_book. Satisfies OrderBook.
class reference_book {
public:
    /// Number of price levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return s == side::buy ? bids_.size() : asks_.size(); }

    /// The i-th best level on side s (0 = best); O(i). Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept {
        const ref_level& l = s == side::buy ? std::next(bids_.begin(), static_cast<std::ptrdiff_t>(i))->second
                                        : std::next(asks_.begin(), static_cast<std::ptrdiff_t>(i))->second;
        return level_info{l.px, l.known + l.anonymous, l.count + (l.anonymous.lots() > 0 ? 1u : 0u)};
    }

    /// Applies one market event with l3_book's semantics and error codes.
    [[nodiscard]] status apply(const market_event& e) noexcept {
        try {
            switch (e.type) {
                case event_type::add: {
                    if (e.size.lots() <= 0) return status::invalid_qty;
                    if (orders_.count(e.id.value()) != 0) return status::duplicate_order;
                    orders_.emplace(e.id.value(), order{e.side, e.px, e.size});
                    ref_level& l = get(e.side, e.px);
                    l.px = e.px;
                    l.known += e.size;
                    ++l.count;
                    return status::ok;
                }
                case event_type::cancel:
                case event_type::remove:
                case event_type::execute: return reduce(e);
                case event_type::execute_hidden:
                case event_type::cross_trade:
                case event_type::halt: return status::ok;
                case event_type::depth_snapshot:
                case event_type::depth_update: return status::not_supported;
            }
        } catch (...) {
            return status::pool_exhausted;  // out of memory
        }
        return status::not_supported;
    }

    /// Adds liquidity of unknown origin at (s, px). Errors: invalid_qty, pool_exhausted (no memory).
    [[nodiscard]] status add_anonymous(side s, price px, qty q) noexcept {
        if (q.lots() <= 0) return status::invalid_qty;
        try {
            ref_level& l = get(s, px);
            l.px = px;
            l.anonymous += q;
        } catch (...) {
            return status::pool_exhausted;
        }
        return status::ok;
    }

    /// Removes every order and level.
    void clear() noexcept {
        bids_.clear();
        asks_.clear();
        orders_.clear();
    }

private:
    struct ref_level {
        price px;
        qty known;
        qty anonymous;
        std::uint32_t count = 0;
    };
    struct order {
        side s;
        price px;
        qty size;
    };

    ref_level& get(side s, price px) { return s == side::buy ? bids_[px.ticks()] : asks_[px.ticks()]; }

    ref_level* find(side s, price px) {
        if (s == side::buy) {
            auto it = bids_.find(px.ticks());
            return it == bids_.end() ? nullptr : &it->second;
        }
        auto it = asks_.find(px.ticks());
        return it == asks_.end() ? nullptr : &it->second;
    }

    void drop_if_empty(side s, price px, const ref_level& l) {
        if (l.count == 0 && l.anonymous.lots() == 0) {
            if (s == side::buy) bids_.erase(px.ticks()); else asks_.erase(px.ticks());
        }
    }

    status reduce(const market_event& e) {
        auto it = orders_.find(e.id.value());
        if (it == orders_.end()) {
            if (e.size.lots() <= 0) return status::invalid_qty;
            ref_level* l = find(e.side, e.px);
            if (l == nullptr) return status::unknown_order;
            if (e.size > l->anonymous) return status::invalid_qty;
            l->anonymous -= e.size;
            drop_if_empty(e.side, e.px, *l);
            return status::ok;
        }
        order& o = it->second;
        if (o.s != e.side) return status::invalid_side;
        if (o.px != e.px) return status::invalid_price;
        const qty taken = e.type == event_type::remove ? o.size : e.size;
        if (taken.lots() <= 0 || taken > o.size) return status::invalid_qty;
        ref_level& l = *find(o.s, o.px);
        l.known -= taken;
        o.size -= taken;
        if (o.size.lots() == 0) {
            --l.count;
            const side s = o.s;
            const price px = o.px;
            orders_.erase(it);
            drop_if_empty(s, px, l);
        }
        return status::ok;
    }

    std::map<std::int64_t, ref_level, std::greater<>> bids_;  // best (highest) first
    std::map<std::int64_t, ref_level> asks_;                  // best (lowest) first
    std::unordered_map<std::uint64_t, order> orders_;
};

static_assert(OrderBook<reference_book>, "reference_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
