#pragma once
/// @file book/l3_book.hpp
/// Order-by-order (L3) limit order book: per-order FIFO queues per price level, O(1) expected
/// add / cancel / delete / execute by order id and O(1) expected level lookup by price, O(1) best
/// bid and ask, no heap allocation after warm-up (the id index grows while the live order count
/// reaches new highs; see reserve()).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/level_ladder.hpp"
#include "pinnacle/book/order_map.hpp"
#include "pinnacle/book/price_map.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/object_pool.hpp"

namespace pinnacle {
inline namespace v0 {

/// Capacities of an l3_book, fixed at construction (this is all the memory it will ever use).
struct l3_book_config {
    std::size_t max_orders = std::size_t{1} << 18;          ///< Resting orders with a known id at once (at most 2^30).
    std::size_t max_levels_per_side = std::size_t{1} << 14; ///< Price levels per side at once.
};

/// A resting order as the book sees it (48 bytes). `seq` orders arrivals: lower seq = earlier in
/// its queue.
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
    using index_type = std::uint32_t; ///< Internal slot index.
    static constexpr index_type npos = ~index_type{0}; ///< Null slot.

    /// A book with the given capacities (max_orders is clamped to 2^30); allocates everything
    /// here except the id index, which grows at warm-up (see reserve()). Order nodes and level
    /// tables are allocated untouched, so resident memory follows use. Throws std::bad_alloc.
    explicit l3_book(l3_book_config cfg = {})
        : max_orders_(cfg.max_orders < order_map::max_capacity ? cfg.max_orders : order_map::max_capacity),
          orders_(std::make_unique_for_overwrite<order_slot[]>(max_orders_ == 0 ? 1 : max_orders_)),
          levels_(cfg.max_levels_per_side * 2), ids_(max_orders_),
          px_{price_map(cfg.max_levels_per_side), price_map(cfg.max_levels_per_side)},
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
        for (std::size_t sd = 0; sd < 2; ++sd) {
            for (std::size_t r = 0; r < ladder_[sd].size(); ++r) px_[sd].reset(levels_[ladder_[sd][r].slot].px.ticks());
            ladder_[sd].clear();
        }
        order_hw_ = 0;
        free_ = npos;
        live_ = 0;
        levels_.clear();
        ids_.clear();
    }

    // ---- order operations -------------------------------------------------------------------
    /// Adds order `id` of `q` lots at `px` on side `s` to the back of its level's queue.
    /// Errors: invalid_qty (q outside 1..bounds::max_qty_lots, or the level's total would pass
    /// it), invalid_price (px outside 1..bounds::max_price_ticks), duplicate_order,
    /// pool_exhausted, book_full.
    [[nodiscard]] status add(order_id id, side s, price px, qty q) noexcept {
        if (!bounds::qty_ok(q.lots())) return status::invalid_qty;
        if (!bounds::price_ok(px.ticks())) return status::invalid_price;
        const index_type oi = acquire_order();
        if (oi == npos) return status::pool_exhausted;
        if (const status st = ids_.insert(id, oi, key_of()); st != status::ok) {
            release_order(oi);
            return st;
        }
        auto lvl = find_or_create_level(s, px);
        if (!lvl) {
            (void)ids_.erase(id, oi);
            release_order(oi);
            return lvl.error();
        }
        price_level& l = levels_[*lvl];
        // Level totals stay within max_qty_lots (10^8), so total + q <= 2 x 10^8 never overflows;
        // refusing here keeps every later sum and price x total (<= 10^18) in range.
        if (q.lots() > bounds::max_qty_lots - l.total.lots()) {
            (void)ids_.erase(id, oi);
            release_order(oi);
            if (l.count == 0 && l.total.lots() == 0) erase_level(s, find_level(s, px));  // created just now
            return status::invalid_qty;
        }
        ::new (static_cast<void*>(orders_[oi].bytes)) resting_order{id, q, ++seq_, *lvl, l.tail, npos, s, px};
        if (l.tail != npos) node(l.tail).next = oi; else l.head = oi;
        l.tail = oi;
        l.total += q;
        ++l.count;
        return status::ok;
    }

    /// Removes `q` lots from order `id` (partial cancel); the order leaves the book at zero.
    /// Errors: unknown_order, invalid_qty (q <= 0 or q > remaining).
    [[nodiscard]] status cancel(order_id id, qty q) noexcept { return reduce_known(ids_.find(id, key_of()), q); }

    /// Executes `q` lots of order `id` (visible execution); the order leaves the book at zero.
    /// Errors: unknown_order, invalid_qty (q <= 0 or q > remaining).
    [[nodiscard]] status execute(order_id id, qty q) noexcept { return reduce_known(ids_.find(id, key_of()), q); }

    /// Deletes order `id` whatever it still holds. Errors: unknown_order.
    [[nodiscard]] status remove(order_id id) noexcept {
        const index_type oi = ids_.find(id, key_of());
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
        const std::uint32_t li = level_of(s, px);
        if (li == npos) return status::unknown_order;
        price_level& l = levels_[li];
        if (q > l.anonymous) return status::invalid_qty;
        l.anonymous -= q;
        l.total -= q;
        if (l.total.lots() == 0 && l.count == 0) erase_level(s, find_level(s, px));
        return status::ok;
    }

    /// Drops every level beyond the best `n` on side s, with their orders (used when only the top
    /// n levels of a feed are trustworthy). O(orders dropped).
    void truncate(side s, std::size_t n) noexcept {
        auto& lad = ladder_[idx(s)];
        if (lad.size() <= n) return;
        const std::size_t drop = lad.size() - n;  // the worst levels are the lowest ranks
        for (std::size_t r = 0; r < drop; ++r) release_level(s, lad[r].slot);
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
            release_level(s, li);
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
        const index_type oi = ids_.find(id, key_of());
        return oi == npos ? nullptr : &node(oi);
    }

    /// The first known order (earliest in time priority) of the i-th best level on side s, or
    /// nullptr if that level holds only anonymous size. O(1). Precondition: i < depth(s). The
    /// pointer is valid until the next change.
    [[nodiscard]] const resting_order* front(side s, std::size_t i) const noexcept {
        const auto& lad = ladder_[idx(s)];
        const index_type oi = levels_[lad[lad.size() - 1 - i].slot].head;
        return oi == npos ? nullptr : &node(oi);
    }

    /// Sequence number the next added order will get: every order resting now has a lower one.
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return seq_ + 1; }

    /// Lots of anonymous (unknown-origin) liquidity at (s, px); 0 if none or no level.
    [[nodiscard]] qty anonymous_at(side s, price px) const noexcept {
        const std::uint32_t li = level_of(s, px);
        return li == npos ? qty{0} : levels_[li].anonymous;
    }

    /// Total lots resting at (s, px); 0 if there is no level there.
    [[nodiscard]] qty size_at(side s, price px) const noexcept {
        const std::uint32_t li = level_of(s, px);
        return li == npos ? qty{0} : levels_[li].total;
    }

    /// Calls f(const resting_order&) for each known order of the i-th best level on side s, in
    /// queue (time priority) order. Precondition: i < depth(s).
    template <class F>
    void for_each_order(side s, std::size_t i, F&& f) const noexcept(noexcept(f(std::declval<const resting_order&>()))) {
        const auto& lad = ladder_[idx(s)];
        for (index_type oi = levels_[lad[lad.size() - 1 - i].slot].head; oi != npos; oi = node(oi).next) f(node(oi));
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
                        node(ids_.find(id, key_of())).seq = seq;
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
                    for (index_type oi = l.head; oi != npos; oi = node(oi).next) {
                        ar.value(node(oi).id);
                        ar.value(node(oi).size);
                        ar.value(node(oi).seq);
                    }
                }
            }
            ar.value(seq_);
        }
    }

    /// Number of orders with a known id resting in the book.
    [[nodiscard]] std::size_t order_count() const noexcept { return live_; }

    /// Bytes the book holds for its orders now: the order nodes handed out so far (48 bytes each,
    /// reused after release) and the id index's table (8 bytes a slot, 2-4 slots a live order).
    [[nodiscard]] std::size_t order_memory_bytes() const noexcept { return order_hw_ * sizeof(order_slot) + ids_.memory_bytes(); }

    /// order_memory_bytes() plus the level structures sized at construction for
    /// max_levels_per_side (level pool, price indexes, ladders: ~208 bytes per level a side, of
    /// address space; pages never used stay untouched).
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return order_memory_bytes() + levels_.capacity() * (sizeof(price_level) + 8) + px_[0].memory_bytes() +
               px_[1].memory_bytes() + 2 * ladder_[0].capacity() * sizeof(ladder_rung);
    }

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
        // Most messages touch the best level: look there before searching (lower_bound looks
        // next to the gap, where the last change happened, before bisecting).
        if (n > 0 && lad[n - 1].key == k) return n - 1;
        const std::size_t pos = lad.lower_bound(k);
        return (pos < n && lad[pos].key == k) ? pos : not_found;
    }

    // The level at (s, px): O(1) expected through the side's price map; a new level also takes
    // its rank in the ladder (a bisection and a gap move).
    // Slot of the level at (s, px), or npos: O(1) through the price index, or a search of the
    // ladder when the index does not hold that price (a home slot shared with another price).
    [[nodiscard]] std::uint32_t level_of(side s, price px) const noexcept {
        const std::uint32_t li = px_[idx(s)].find(px.ticks());
        if (li != price_map::unknown) return li;
        const std::size_t pos = find_level(s, px);
        return pos == not_found ? npos : ladder_[idx(s)][pos].slot;
    }

    [[nodiscard]] result<std::uint32_t> find_or_create_level(side s, price px) noexcept {
        if (const std::uint32_t li = level_of(s, px); li != npos) return li;
        price_map& pm = px_[idx(s)];
        auto& lad = ladder_[idx(s)];
        if (lad.full()) return status::book_full;
        auto slot = levels_.acquire();
        if (!slot) return slot.error();
        price_level& l = levels_[*slot];
        l = price_level{px, qty{0}, qty{0}, 0, npos, npos};
        const std::int64_t k = key(s, px);
        lad.insert(lad.lower_bound(k), ladder_rung{k, *slot});
        if (!pm.fits(px.ticks())) regrain(s, px);
        pm.insert(px.ticks(), *slot);
        return *slot;
    }

    // The side's price map gets the granularity that px needs (the gcd of its prices): it is
    // emptied and refilled from the ladder (O(levels); a few times per book's life at most).
    void regrain(side s, price px) noexcept {
        price_map& pm = px_[idx(s)];
        const auto& lad = ladder_[idx(s)];
        const std::int64_t g = pm.granularity_with(px.ticks());
        for (std::size_t r = 0; r < lad.size(); ++r) pm.reset(levels_[lad[r].slot].px.ticks());
        pm.set_granularity(g);
        for (std::size_t r = 0; r < lad.size(); ++r) {
            const std::uint32_t li = lad[r].slot;
            if (levels_[li].px != px) pm.insert(levels_[li].px.ticks(), li);
        }
    }

    // Frees level li of side s and every order in it (the caller removes its rung from the ladder).
    void release_level(side s, std::uint32_t li) noexcept {
        for (index_type oi = levels_[li].head; oi != npos;) {
            const index_type next = node(oi).next;
            (void)ids_.erase(node(oi).id, oi);
            release_order(oi);
            oi = next;
        }
        px_[idx(s)].erase(levels_[li].px.ticks());
        levels_.release(li);
    }

    void erase_level(side s, std::size_t pos) noexcept {
        auto& lad = ladder_[idx(s)];
        const std::uint32_t li = lad[pos].slot;
        px_[idx(s)].erase(levels_[li].px.ticks());
        levels_.release(li);
        lad.erase(pos);
    }

    // Takes order oi out of its level and the book.
    void unlink(index_type oi) noexcept {
        resting_order& o = node(oi);
        price_level& l = levels_[o.level];
        if (o.prev != npos) node(o.prev).next = o.next; else l.head = o.next;
        if (o.next != npos) node(o.next).prev = o.prev; else l.tail = o.prev;
        l.total -= o.size;
        --l.count;
        const side s = o.side;
        const price px = o.px;
        const bool empty = l.count == 0 && l.total.lots() == 0;
        (void)ids_.erase(o.id, oi);
        release_order(oi);
        if (empty) erase_level(s, find_level(s, px));
    }

    [[nodiscard]] status reduce_known(index_type oi, qty q) noexcept {
        if (oi == npos) return status::unknown_order;
        resting_order& o = node(oi);
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
        const index_type oi = ids_.find(e.id, key_of());
        if (oi == npos) return reduce_anonymous(e.side, e.px, e.size);
        const resting_order& o = node(oi);
        if (o.side != e.side) return status::invalid_side;
        if (o.px != e.px) return status::invalid_price;
        if (e.type == event_type::remove) {
            unlink(oi);
            return status::ok;
        }
        return reduce_known(oi, e.size);
    }

    // Order nodes: raw storage (left untouched until first used), a node constructed when handed
    // out; released nodes form a free list through their `next` field, most recent first.
    struct alignas(resting_order) order_slot {
        unsigned char bytes[sizeof(resting_order)];
    };
    static_assert(sizeof(order_slot) == 48, "resting_order is meant to be 48 bytes");
    static_assert(std::is_trivially_destructible_v<resting_order>);

    [[nodiscard]] resting_order& node(index_type i) noexcept { return *std::launder(reinterpret_cast<resting_order*>(orders_[i].bytes)); }
    [[nodiscard]] const resting_order& node(index_type i) const noexcept {
        return *std::launder(reinterpret_cast<const resting_order*>(orders_[i].bytes));
    }
    // The id index reads an order's id through this when a hash tag matches.
    struct id_reader {
        const order_slot* base;
        std::uint64_t operator()(std::uint32_t v) const noexcept {
            return std::launder(reinterpret_cast<const resting_order*>(base[v].bytes))->id.value();
        }
    };
    [[nodiscard]] id_reader key_of() const noexcept { return id_reader{orders_.get()}; }
    [[nodiscard]] index_type acquire_order() noexcept {
        index_type i;
        if (free_ != npos) {
            i = free_;
            free_ = node(i).next;
        } else if (order_hw_ < max_orders_) {
            i = static_cast<index_type>(order_hw_++);
        } else {
            return npos;
        }
        ++live_;
        return i;
    }
    void release_order(index_type i) noexcept {
        node(i).next = free_;
        free_ = i;
        --live_;
    }

    std::size_t max_orders_;
    std::unique_ptr<order_slot[]> orders_;
    std::size_t order_hw_ = 0;  // nodes [0, order_hw_) have been handed out at least once
    std::size_t live_ = 0;
    index_type free_ = npos;
    object_pool<price_level> levels_;
    order_map ids_;
    price_map px_[2];
    level_ladder ladder_[2];
    std::uint64_t seq_ = 0;
};

static_assert(OrderBook<l3_book>, "l3_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
