#pragma once
/// @file book/l3_book.hpp
/// Order-by-order (L3) limit order book: per-order FIFO queues per price level, O(1) expected
/// add / cancel / delete / execute by order id, O(1) best bid and ask, no heap allocation after
/// warm-up (the id index grows while the live order count reaches new highs; see reserve()).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/level_ladder.hpp"
#include "pinnacle/book/order_map.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/object_pool.hpp"

namespace pinnacle {
inline namespace v0 {

/// Capacities of an l3_book, fixed at construction (this is all the memory it will ever use).
struct l3_book_config {
    std::size_t max_orders = std::size_t{1} << 18;          ///< Resting orders with a known id at once.
    std::size_t max_levels_per_side = std::size_t{1} << 14; ///< Price levels per side at once.
};

/// A resting order as the book sees it. `seq` orders arrivals: lower seq = earlier in its queue.
struct resting_order {
    order_id id;                 ///< Exchange order id.
    qty size;                    ///< Remaining visible size (lots).
    std::uint64_t seq = 0;       ///< Arrival sequence number in this book (time priority).
    std::uint32_t level = 0;     ///< Internal level slot.
    std::uint32_t prev = 0;      ///< Previous order in the level's FIFO (internal).
    std::uint32_t next = 0;      ///< Next order in the level's FIFO (internal).
    pinnacle::side side = side::buy; ///< Bid or ask.
    price px;                    ///< Limit price (ticks).
};

namespace detail {
/// One price level of an l3_book (internal).
struct l3_level {
    price px;                 ///< Level price (ticks).
    qty total;                ///< Visible lots: anonymous + known orders.
    qty anonymous;            ///< Lots of unknown origin, at the front of the queue.
    std::uint32_t count = 0;  ///< Known orders.
    std::uint32_t head = ~std::uint32_t{0}; ///< First order in the FIFO.
    std::uint32_t tail = ~std::uint32_t{0}; ///< Last order in the FIFO.
};
} // namespace detail

/// L3 order book. Thread-safety: one thread.
///
/// Liquidity whose orders the book never saw (resting before the data starts, or beyond the
/// depth a feed reports) is carried per level as anonymous size at the front of the level's
/// queue: it arrived before anything we saw. Deletes and executions that name an unknown id
/// reduce it. Satisfies OrderBook.
class l3_book {
public:
    using index_type = object_pool<resting_order>::index_type; ///< Internal slot index.
    static constexpr index_type npos = object_pool<resting_order>::npos; ///< Null slot.

    /// A book with the given capacities; allocates everything here. Throws std::bad_alloc.
    explicit l3_book(l3_book_config cfg = {})
        : orders_(cfg.max_orders), levels_(cfg.max_levels_per_side * 2), ids_(cfg.max_orders),
          ladder_{level_ladder(cfg.max_levels_per_side), level_ladder(cfg.max_levels_per_side)} {}

    // ---- DepthView ------------------------------------------------------------------------
    /// Number of price levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return ladder_[idx(s)].size(); }

    /// The i-th best level on side s (0 = best). Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept {
        const auto& lad = ladder_[idx(s)];
        const price_level& l = levels_[lad[lad.size() - 1 - i].slot];
        return level_info{l.px, l.total, l.count + (l.anonymous.lots() > 0 ? 1u : 0u)};
    }

    // ---- OrderBook --------------------------------------------------------------------------
    /// Applies one market event. add/cancel/delete/execute change the book; hidden executions,
    /// cross trades and halts leave it unchanged (status::ok); depth events are not_supported.
    /// Errors (book unchanged): duplicate_order, unknown_order (unknown id and no anonymous
    /// liquidity at that level), invalid_qty (size <= 0 or above what is resting, or an add beyond
    /// bounds::max_qty_lots for the order or its level), invalid_price (an add outside
    /// 1..bounds::max_price_ticks, or the event disagrees with the resting order), invalid_side,
    /// pool_exhausted, book_full.
    [[nodiscard]] status apply(const market_event& e) noexcept {
        switch (e.type) {
            case event_type::add: return add(e.id, e.side, e.px, e.size);
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

    /// Removes every order and level. O(capacity).
    void clear() noexcept {
        orders_.clear();
        levels_.clear();
        ids_.clear();
        ladder_[0].clear();
        ladder_[1].clear();
    }

    // ---- order operations -------------------------------------------------------------------
    /// Adds order `id` of `q` lots at `px` on side `s` to the back of its level's queue.
    /// Errors: invalid_qty (q outside 1..bounds::max_qty_lots, or the level's total would pass
    /// it), invalid_price (px outside 1..bounds::max_price_ticks), duplicate_order,
    /// pool_exhausted, book_full.
    [[nodiscard]] status add(order_id id, side s, price px, qty q) noexcept {
        if (!bounds::qty_ok(q.lots())) return status::invalid_qty;
        if (!bounds::price_ok(px.ticks())) return status::invalid_price;
        auto slot = orders_.acquire();
        if (!slot) return slot.error();
        const index_type oi = *slot;
        if (const status st = ids_.insert(id, oi); st != status::ok) {
            orders_.release(oi);
            return st;
        }
        auto lvl = find_or_create_level(s, px);
        if (!lvl) {
            (void)ids_.erase(id);
            orders_.release(oi);
            return lvl.error();
        }
        price_level& l = levels_[*lvl];
        // Level totals stay within max_qty_lots (10^8), so total + q <= 2 x 10^8 never overflows;
        // refusing here keeps every later sum and price x total (<= 10^18) in range.
        if (q.lots() > bounds::max_qty_lots - l.total.lots()) {
            (void)ids_.erase(id);
            orders_.release(oi);
            if (l.count == 0 && l.total.lots() == 0) erase_level(s, find_level(s, px));  // created just now
            return status::invalid_qty;
        }
        resting_order& o = orders_[oi];
        o = resting_order{id, q, ++seq_, *lvl, l.tail, npos, s, px};
        if (l.tail != npos) orders_[l.tail].next = oi; else l.head = oi;
        l.tail = oi;
        l.total += q;
        ++l.count;
        return status::ok;
    }

    /// Removes `q` lots from order `id` (partial cancel); the order leaves the book at zero.
    /// Errors: unknown_order, invalid_qty (q <= 0 or q > remaining).
    [[nodiscard]] status cancel(order_id id, qty q) noexcept { return reduce_known(ids_.find(id), q); }

    /// Executes `q` lots of order `id` (visible execution); the order leaves the book at zero.
    /// Errors: unknown_order, invalid_qty (q <= 0 or q > remaining).
    [[nodiscard]] status execute(order_id id, qty q) noexcept { return reduce_known(ids_.find(id), q); }

    /// Deletes order `id` whatever it still holds. Errors: unknown_order.
    [[nodiscard]] status remove(order_id id) noexcept {
        const index_type oi = ids_.find(id);
        if (oi == npos) return status::unknown_order;
        unlink(oi);
        return status::ok;
    }

    /// Adds `q` lots of liquidity of unknown origin at (s, px), ahead of every known order there
    /// (used to seed a book from a snapshot, or to learn levels a depth-limited feed reveals).
    /// Errors: invalid_qty (q outside 1..bounds::max_qty_lots, or the level's total would pass
    /// it), invalid_price (px outside 1..bounds::max_price_ticks), book_full.
    [[nodiscard]] status add_anonymous(side s, price px, qty q) noexcept {
        if (!bounds::qty_ok(q.lots())) return status::invalid_qty;
        if (!bounds::price_ok(px.ticks())) return status::invalid_price;
        auto lvl = find_or_create_level(s, px);
        if (!lvl) return lvl.error();
        price_level& l = levels_[*lvl];
        if (q.lots() > bounds::max_qty_lots - l.total.lots()) {  // see add()
            if (l.count == 0 && l.total.lots() == 0) erase_level(s, find_level(s, px));
            return status::invalid_qty;
        }
        l.anonymous += q;
        l.total += q;
        return status::ok;
    }

    /// Removes `q` lots of anonymous liquidity at (s, px) (a delete or execution naming an id the
    /// book never saw). Errors: unknown_order (no such level), invalid_qty (q <= 0 or more
    /// than the level's anonymous size); the book is unchanged on error.
    [[nodiscard]] status reduce_anonymous(side s, price px, qty q) noexcept {
        if (q.lots() <= 0) return status::invalid_qty;
        const std::size_t pos = find_level(s, px);
        if (pos == not_found) return status::unknown_order;
        const std::uint32_t li = ladder_[idx(s)][pos].slot;
        price_level& l = levels_[li];
        if (q > l.anonymous) return status::invalid_qty;
        l.anonymous -= q;
        l.total -= q;
        if (l.total.lots() == 0 && l.count == 0) erase_level(s, pos);
        return status::ok;
    }

    /// Drops every level beyond the best `n` on side s, with their orders (used when only the top
    /// n levels of a feed are trustworthy). O(orders dropped).
    void truncate(side s, std::size_t n) noexcept {
        auto& lad = ladder_[idx(s)];
        if (lad.size() <= n) return;
        const std::size_t drop = lad.size() - n;  // the worst levels are the lowest ranks
        for (std::size_t r = 0; r < drop; ++r) release_level(lad[r].slot);
        lad.erase(0, drop);
    }

    /// Drops the best levels of side s, with their orders, while they are better than `px` (or
    /// equal to it, when `inclusive`). Returns the number of levels dropped. Used to repair a book
    /// rebuilt from a depth-limited feed with no snapshot, where levels whose cancels were never
    /// reported can end up stale at the top.
    std::size_t drop_through(side s, price px, bool inclusive) noexcept {
        auto& lad = ladder_[idx(s)];
        std::size_t dropped = 0;
        while (lad.size() > 0) {
            const std::size_t top = lad.size() - 1;
            const std::uint32_t li = lad[top].slot;
            const price lp = levels_[li].px;
            if (!(better(s, lp, px) || (inclusive && lp == px))) break;
            release_level(li);
            lad.erase(top);
            ++dropped;
        }
        return dropped;
    }

    /// Sizes the order-id index now for `n` live orders, so a book that never holds more makes no
    /// allocation at all after this call (it otherwise grows, allocating, while it warms up).
    /// Throws std::bad_alloc.
    void reserve(std::size_t n) { ids_.reserve(n); }

    // ---- queries ----------------------------------------------------------------------------
    /// The resting order with this id, or nullptr. The pointer is valid until the next change.
    [[nodiscard]] const resting_order* find(order_id id) const noexcept {
        const index_type oi = ids_.find(id);
        return oi == npos ? nullptr : &orders_[oi];
    }

    /// Sequence number the next added order will get: every order resting now has a lower one.
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return seq_ + 1; }

    /// Lots of anonymous (unknown-origin) liquidity at (s, px); 0 if none or no level.
    [[nodiscard]] qty anonymous_at(side s, price px) const noexcept {
        const std::size_t pos = find_level(s, px);
        return pos == not_found ? qty{0} : levels_[ladder_[idx(s)][pos].slot].anonymous;
    }

    /// Total lots resting at (s, px); 0 if there is no level there.
    [[nodiscard]] qty size_at(side s, price px) const noexcept {
        const std::size_t pos = find_level(s, px);
        return pos == not_found ? qty{0} : levels_[ladder_[idx(s)][pos].slot].total;
    }

    /// Calls f(const resting_order&) for each known order of the i-th best level on side s, in
    /// queue (time priority) order. Precondition: i < depth(s).
    template <class F>
    void for_each_order(side s, std::size_t i, F&& f) const noexcept(noexcept(f(std::declval<const resting_order&>()))) {
        const auto& lad = ladder_[idx(s)];
        for (index_type oi = levels_[lad[lad.size() - 1 - i].slot].head; oi != npos; oi = orders_[oi].next) f(orders_[oi]);
    }

    /// Snapshot hook (journal/snapshot.hpp): per side (bid, ask) the level count, then each level
    /// best first (price, anonymous lots, order count, then each order in time priority: id, lots,
    /// arrival seq), then the arrival counter. Loading clears the book and re-adds every order in
    /// the same FIFO order with its original seq; a body that does not fit calls ar.fail.
    template <class Ar>
    void persist(Ar& ar) {
        if constexpr (Ar::loading) {
            clear();
            for (const side s : {side::buy, side::sell}) {
                std::uint64_t n = 0;
                ar.value(n);
                for (std::uint64_t i = 0; i < n; ++i) {
                    price px;
                    qty anon;
                    std::uint32_t count = 0;
                    ar.value(px);
                    ar.value(anon);
                    ar.value(count);
                    if (anon.lots() > 0 && add_anonymous(s, px, anon) != status::ok) ar.fail("l3_book: anonymous lots");
                    for (std::uint32_t k = 0; k < count; ++k) {
                        order_id id;
                        qty q;
                        std::uint64_t seq = 0;
                        ar.value(id);
                        ar.value(q);
                        ar.value(seq);
                        if (add(id, s, px, q) != status::ok) ar.fail("l3_book: an order");
                        orders_[ids_.find(id)].seq = seq;
                    }
                }
            }
            ar.value(seq_);
        } else {
            for (const side s : {side::buy, side::sell}) {
                const std::size_t n = depth(s);
                ar.value(static_cast<std::uint64_t>(n));
                const auto& lad = ladder_[idx(s)];
                for (std::size_t i = 0; i < n; ++i) {
                    const price_level& l = levels_[lad[lad.size() - 1 - i].slot];
                    ar.value(l.px);
                    ar.value(l.anonymous);
                    ar.value(l.count);
                    for (index_type oi = l.head; oi != npos; oi = orders_[oi].next) {
                        ar.value(orders_[oi].id);
                        ar.value(orders_[oi].size);
                        ar.value(orders_[oi].seq);
                    }
                }
            }
            ar.value(seq_);
        }
    }

    /// Number of orders with a known id resting in the book.
    [[nodiscard]] std::size_t order_count() const noexcept { return orders_.size(); }

private:
    using price_level = detail::l3_level;
    // Per side, levels sorted by key (bid: px, ask: -px) ascending: the best level has the
    // highest rank. The ladder keeps its gap where the last change happened (see level_ladder).
    static constexpr std::size_t not_found = ~std::size_t{0};

    static constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }
    // Only called with 1 <= px <= max_price_ticks (checked where prices enter), so -px is safe.
    static constexpr std::int64_t key(side s, price px) noexcept { return s == side::buy ? px.ticks() : -px.ticks(); }

    // Position of the level with this price in the side's ladder, or not_found (always for a
    // price out of bounds: no level can hold one, and its key might not be negatable).
    [[nodiscard]] std::size_t find_level(side s, price px) const noexcept {
        if (!bounds::price_ok(px.ticks())) return not_found;
        const auto& lad = ladder_[idx(s)];
        const std::int64_t k = key(s, px);
        const std::size_t n = lad.size();
        // Most messages touch the top few levels: look there before bisecting.
        const std::size_t scan = n < 4 ? n : 4;
        for (std::size_t j = 1; j <= scan; ++j) {
            const std::int64_t kj = lad[n - j].key;
            if (kj == k) return n - j;
            if (kj < k) return not_found;
        }
        const std::size_t pos = lad.lower_bound(k);
        return (pos < n && lad[pos].key == k) ? pos : not_found;
    }

    [[nodiscard]] result<std::uint32_t> find_or_create_level(side s, price px) noexcept {
        auto& lad = ladder_[idx(s)];
        const std::int64_t k = key(s, px);
        const std::size_t pos = lad.lower_bound(k);
        if (pos < lad.size() && lad[pos].key == k) return lad[pos].slot;
        if (lad.full()) return status::book_full;
        auto slot = levels_.acquire();
        if (!slot) return slot.error();
        price_level& l = levels_[*slot];
        l = price_level{px, qty{0}, qty{0}, 0, npos, npos};
        lad.insert(pos, ladder_rung{k, *slot});
        return *slot;
    }

    // Frees level li and every order in it (the caller removes its rung from the ladder).
    void release_level(std::uint32_t li) noexcept {
        for (index_type oi = levels_[li].head; oi != npos;) {
            const index_type next = orders_[oi].next;
            (void)ids_.erase(orders_[oi].id);
            orders_.release(oi);
            oi = next;
        }
        levels_.release(li);
    }

    void erase_level(side s, std::size_t pos) noexcept {
        auto& lad = ladder_[idx(s)];
        levels_.release(lad[pos].slot);
        lad.erase(pos);
    }

    // Takes order oi out of its level and the book.
    void unlink(index_type oi) noexcept {
        resting_order& o = orders_[oi];
        price_level& l = levels_[o.level];
        if (o.prev != npos) orders_[o.prev].next = o.next; else l.head = o.next;
        if (o.next != npos) orders_[o.next].prev = o.prev; else l.tail = o.prev;
        l.total -= o.size;
        --l.count;
        const side s = o.side;
        const price px = o.px;
        const bool empty = l.count == 0 && l.total.lots() == 0;
        (void)ids_.erase(o.id);
        orders_.release(oi);
        if (empty) erase_level(s, find_level(s, px));
    }

    [[nodiscard]] status reduce_known(index_type oi, qty q) noexcept {
        if (oi == npos) return status::unknown_order;
        resting_order& o = orders_[oi];
        if (q.lots() <= 0 || q > o.size) return status::invalid_qty;
        if (q == o.size) {
            unlink(oi);
            return status::ok;
        }
        o.size -= q;
        levels_[o.level].total -= q;
        return status::ok;
    }

    // cancel / delete / execute from an event: known id -> that order; unknown -> anonymous.
    [[nodiscard]] status reduce(const market_event& e) noexcept {
        const index_type oi = ids_.find(e.id);
        if (oi == npos) return reduce_anonymous(e.side, e.px, e.size);
        const resting_order& o = orders_[oi];
        if (o.side != e.side) return status::invalid_side;
        if (o.px != e.px) return status::invalid_price;
        if (e.type == event_type::remove) {
            unlink(oi);
            return status::ok;
        }
        return reduce_known(oi, e.size);
    }

    object_pool<resting_order> orders_;
    object_pool<price_level> levels_;
    order_map ids_;
    level_ladder ladder_[2];
    std::uint64_t seq_ = 0;
};

static_assert(OrderBook<l3_book>, "l3_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
