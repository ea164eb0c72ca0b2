#pragma once
/// @file book/reference_book.hpp
/// A deliberately plain L3 order book on std::map, std::list and std::unordered_map: the test
/// oracle and the benchmark baseline for l3_book. Same semantics and features (per-order FIFO
/// queues), no attention to speed or allocation.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <list>
#include <map>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Order book on standard containers: std::map of price levels, each a std::list of orders in
/// time priority, and an std::unordered_map from order id to its level and list node. It allocates
/// per order and per level, but it is the best simple design, so that a speed ratio against it
/// means something: the id index keeps the level's map iterator, so a cancel, delete or execute
/// finds its level without a second search and erases an empty level by iterator; an add searches
/// the side once. Thread-safety: one thread. Anonymous liquidity is handled exactly as in l3_book
/// (ahead of every known order at its level). Satisfies OrderBook.
class reference_book {
public:
    /// One order of a level's queue.
    struct ref_order {
        order_id id;  ///< Exchange order id.
        qty size;     ///< Remaining size (lots).
    };

    /// Number of price levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return s == side::buy ? bids_.size() : asks_.size(); }

    /// The i-th best level on side s (0 = best); O(i). Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept {
        const ref_level& l = s == side::buy ? std::next(bids_.begin(), static_cast<std::ptrdiff_t>(i))->second
                                            : std::next(asks_.begin(), static_cast<std::ptrdiff_t>(i))->second;
        return level_info{l.px, l.total, static_cast<std::uint32_t>(l.queue.size()) + (l.anonymous.lots() > 0 ? 1u : 0u)};
    }

    /// The known orders of the i-th best level on side s, in time priority. Precondition: i < depth(s).
    [[nodiscard]] const std::list<ref_order>& queue(side s, std::size_t i) const noexcept {
        return s == side::buy ? std::next(bids_.begin(), static_cast<std::ptrdiff_t>(i))->second.queue
                              : std::next(asks_.begin(), static_cast<std::ptrdiff_t>(i))->second.queue;
    }

    /// Applies one market event with l3_book's semantics and error codes (pool_exhausted when
    /// out of memory).
    [[nodiscard]] status apply(const market_event& e) noexcept {
#if defined(__cpp_exceptions)
        try {
            return apply_impl(e);
        } catch (...) {
            return status::pool_exhausted;
        }
#else
        return apply_impl(e);
#endif
    }

    /// Adds liquidity of unknown origin at (s, px). Errors: invalid_qty, invalid_price (as
    /// l3_book), pool_exhausted (no memory).
    [[nodiscard]] status add_anonymous(side s, price px, qty q) noexcept {
        if (!bounds::qty_ok(q.lots())) return status::invalid_qty;
        if (!bounds::price_ok(px.ticks())) return status::invalid_price;
        if (const ref_level* l = find(s, px); l != nullptr && q.lots() > bounds::max_qty_lots - l->total.lots())
            return status::invalid_qty;
#if defined(__cpp_exceptions)
        try {
            add_anonymous_impl(s, px, q);
        } catch (...) {
            return status::pool_exhausted;
        }
#else
        add_anonymous_impl(s, px, q);
#endif
        return status::ok;
    }

    /// Drops every level beyond the best `n` on side s, with their orders.
    void truncate(side s, std::size_t n) noexcept {
        if (s == side::buy) truncate_side(bids_, n); else truncate_side(asks_, n);
    }

    /// Removes every order and level.
    void clear() noexcept {
        bids_.clear();
        asks_.clear();
        index_.clear();
    }

private:
    struct ref_level {
        price px;
        qty total;
        qty anonymous;
        std::list<ref_order> queue;
    };
    using bid_map = std::map<std::int64_t, ref_level, std::greater<>>;  // best (highest) first
    using ask_map = std::map<std::int64_t, ref_level>;                  // best (lowest) first
    struct locator {
        side s;
        bid_map::iterator bid;  // the order's level when s is buy
        ask_map::iterator ask;  // the order's level when s is sell
        std::list<ref_order>::iterator it;
        [[nodiscard]] ref_level& level() const noexcept { return s == side::buy ? bid->second : ask->second; }
    };

    status apply_impl(const market_event& e) {
        switch (e.type) {
            case event_type::add:
                return e.side == side::buy ? add(bids_, e) : add(asks_, e);
            case event_type::cancel:
            case event_type::remove:
            case event_type::execute: return reduce(e);
            case event_type::execute_hidden:
            case event_type::cross_trade:
            case event_type::halt: return status::ok;
            case event_type::depth_snapshot:
            case event_type::depth_update: return status::not_supported;
        }
        return status::not_supported;
    }

    // One search of the side (try_emplace) and one hash of the id. A refused add, or one that runs
    // out of memory half-way, leaves neither an index entry nor a new empty level behind.
    template <class Map>
    status add(Map& levels, const market_event& e) {
        if (!bounds::qty_ok(e.size.lots())) return status::invalid_qty;
        if (!bounds::price_ok(e.px.ticks())) return status::invalid_price;
        auto [id_it, fresh_id] = index_.try_emplace(e.id.value());
        if (!fresh_id) return status::duplicate_order;
        typename Map::iterator lvl = levels.end();
        bool fresh_level = false;
#if defined(__cpp_exceptions)
        try {
#endif
            std::tie(lvl, fresh_level) = levels.try_emplace(e.px.ticks());
            ref_level& l = lvl->second;
            if (!fresh_level && e.size.lots() > bounds::max_qty_lots - l.total.lots()) {
                index_.erase(id_it);
                return status::invalid_qty;
            }
            l.px = e.px;
            l.queue.push_back(ref_order{e.id, e.size});
            l.total += e.size;
#if defined(__cpp_exceptions)
        } catch (...) {
            index_.erase(id_it);
            if (fresh_level) levels.erase(lvl);
            throw;
        }
#endif
        locator& loc = id_it->second;
        loc.s = e.side;
        if constexpr (std::is_same_v<Map, bid_map>) loc.bid = lvl; else loc.ask = lvl;
        loc.it = std::prev(lvl->second.queue.end());
        return status::ok;
    }

    void add_anonymous_impl(side s, price px, qty q) {
        ref_level& l = s == side::buy ? bids_[px.ticks()] : asks_[px.ticks()];
        l.px = px;
        l.anonymous += q;
        l.total += q;
    }

    template <class Map>
    void truncate_side(Map& levels, std::size_t n) noexcept {
        while (levels.size() > n) {
            auto worst = std::prev(levels.end());
            for (const ref_order& o : worst->second.queue) index_.erase(o.id.value());
            levels.erase(worst);
        }
    }

    ref_level* find(side s, price px) {
        if (!bounds::price_ok(px.ticks())) return nullptr;
        if (s == side::buy) {
            auto it = bids_.find(px.ticks());
            return it == bids_.end() ? nullptr : &it->second;
        }
        auto it = asks_.find(px.ticks());
        return it == asks_.end() ? nullptr : &it->second;
    }

    // Reduces anonymous liquidity at (e.side, e.px): the one path that searches a level by price.
    status reduce_anonymous(const market_event& e) {
        if (e.size.lots() <= 0) return status::invalid_qty;
        if (!bounds::price_ok(e.px.ticks())) return status::unknown_order;
        if (e.side == side::buy) return reduce_anonymous_in(bids_, e);
        return reduce_anonymous_in(asks_, e);
    }

    template <class Map>
    status reduce_anonymous_in(Map& levels, const market_event& e) {
        auto lvl = levels.find(e.px.ticks());
        if (lvl == levels.end()) return status::unknown_order;
        ref_level& l = lvl->second;
        if (e.size > l.anonymous) return status::invalid_qty;
        l.anonymous -= e.size;
        l.total -= e.size;
        if (l.queue.empty() && l.anonymous.lots() == 0) levels.erase(lvl);
        return status::ok;
    }

    status reduce(const market_event& e) {
        auto it = index_.find(e.id.value());
        if (it == index_.end()) return reduce_anonymous(e);
        const locator loc = it->second;
        if (loc.s != e.side) return status::invalid_side;
        ref_level& l = loc.level();
        if (l.px != e.px) return status::invalid_price;
        ref_order& o = *loc.it;
        const qty taken = e.type == event_type::remove ? o.size : e.size;
        if (taken.lots() <= 0 || taken > o.size) return status::invalid_qty;
        l.total -= taken;
        o.size -= taken;
        if (o.size.lots() == 0) {
            l.queue.erase(loc.it);
            index_.erase(it);
            if (l.queue.empty() && l.anonymous.lots() == 0) {  // erased by iterator: no second search
                if (loc.s == side::buy) bids_.erase(loc.bid); else asks_.erase(loc.ask);
            }
        }
        return status::ok;
    }

    bid_map bids_;
    ask_map asks_;
    std::unordered_map<std::uint64_t, locator> index_;
};

static_assert(OrderBook<reference_book>, "reference_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
