#pragma once
/// @file book/depth_book.hpp
/// Aggregated (L2) book of bounded depth driven by absolute level updates, as crypto exchanges
/// send them: "the size at this price is now X" (X = 0 removes the level).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// L2 book keeping at most `max_depth` levels per side; storage reserved at construction, no
/// heap after. Thread-safety: one thread. Satisfies OrderBook.
///
/// When a side is full, a new level better than the worst pushes the worst out; one worse than
/// every kept level is dropped (status::book_full) — such a book is exact only for its top
/// max_depth levels, which is what a bounded feed promises anyway.
///
/// Each side is a sorted array (best last) inside a buffer with free room at both ends: an
/// insert or removal shifts the shorter part (toward the best or toward the worst), and pushing
/// out the worst level moves nothing, so a full 1,000-level book costs no more per update than
/// an empty one near either end. When the room on one end runs out the levels are re-centred
/// (O(depth), at most once per max_depth / 2 updates).
class depth_book {
public:
    /// A book of up to `max_depth` (>= 1) levels per side. Throws std::bad_alloc.
    explicit depth_book(std::size_t max_depth = 1000)
        : max_depth_(max_depth == 0 ? 1 : max_depth), side_{store(max_depth_), store(max_depth_)} {}

    /// Number of levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return side_[idx(s)].size(); }

    /// The i-th best level on side s. O(1). Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept {
        const store& v = side_[idx(s)];
        const entry& e = v.buf[v.hi - 1 - i];
        return level_info{price{s == side::buy ? e.key : -e.key}, e.size, e.size.lots() > 0 ? 1u : 0u};
    }

    /// Sets the size at (s, px) to `q` lots; q == 0 removes the level. O(log depth) to find the
    /// level, then O(min(levels better, levels worse)) to insert or remove it. Errors:
    /// invalid_qty (q < 0 or above bounds::max_depth_level_lots), invalid_price (q > 0 at px
    /// outside 1..bounds::max_depth_price_ticks, so -px below is safe), book_full (worse than
    /// every kept level of a full side); nothing changes on error.
    [[nodiscard]] status update(side s, price px, qty q) noexcept {
        if (q.lots() < 0 || q.lots() > bounds::max_depth_level_lots) return status::invalid_qty;
        // No level can sit outside the bounds: removing one there is a no-op (an empty snapshot
        // row is px 0, size 0), adding one is refused.
        if (!bounds::depth_price_ok(px.ticks())) return q.lots() == 0 ? status::ok : status::invalid_price;
        store& v = side_[idx(s)];
        const std::int64_t k = s == side::buy ? px.ticks() : -px.ticks();
        entry* const last = v.buf.data() + v.hi;
        entry* const it = v.lower_bound(k);
        const std::size_t pos = static_cast<std::size_t>(it - v.buf.data());
        if (it != last && it->key == k) {
            if (q.lots() == 0) v.erase(pos); else it->size = q;
            return status::ok;
        }
        if (q.lots() == 0) return status::ok;  // removing an unknown level: already absent
        if (v.size() == max_depth_) {
            if (pos == v.lo) return status::book_full;  // worse than everything kept
            ++v.lo;  // push out the worst (front): nothing moves
        }
        v.insert(pos, entry{k, q});
        return status::ok;
    }

    /// Sets (s, px) to `q` lots where px is better than every level kept on side s, as when a
    /// snapshot is loaded worst level first: O(1), no search and no shift. Otherwise (px not
    /// better than the best, or the side full) it is update(s, px, q), with the same result and
    /// errors.
    [[nodiscard]] status push_best(side s, price px, qty q) noexcept {
        store& v = side_[idx(s)];
        const std::int64_t k = s == side::buy ? px.ticks() : -px.ticks();
        if (q.lots() <= 0 || q.lots() > bounds::max_depth_level_lots || !bounds::depth_price_ok(px.ticks()) ||
            v.size() == max_depth_ || v.hi == v.buf.size() || (v.size() > 0 && v.buf[v.hi - 1].key >= k))
            return update(s, px, q);
        v.buf[v.hi++] = entry{k, q};
        return status::ok;
    }

    /// Applies depth_snapshot (flag `first` clears the book first) and depth_update events;
    /// other event types return not_supported and change nothing.
    [[nodiscard]] status apply(const market_event& e) noexcept {
        if (e.type == event_type::depth_snapshot) {
            if ((e.flags & event_flags::first) != 0) clear();
            return update(e.side, e.px, e.size);
        }
        if (e.type == event_type::depth_update) return update(e.side, e.px, e.size);
        return status::not_supported;
    }

    /// Removes every level.
    void clear() noexcept {
        side_[0].reset();
        side_[1].reset();
    }

    /// Most levels kept per side.
    [[nodiscard]] std::size_t max_depth() const noexcept { return max_depth_; }

private:
    struct entry {
        std::int64_t key;  // bid: px, ask: -px; ascending, best at the back
        qty size;
    };
    static_assert(std::is_trivially_copyable_v<entry>, "levels are moved with memmove");
    // Levels buf[lo, hi), ascending; free room buf[0, lo) and buf[hi, size). The buffer holds
    // 2 * max_depth + 2 entries, so after re-centring each end has at least max_depth / 2 + 1.
    // The buffer is raw storage, written only where levels go: a deep book's pages that no level
    // reaches are never touched (a 5,000-level book reserves 160 KiB a side).
    struct store {
        struct raw_buffer {
            std::unique_ptr<std::byte[]> bytes;
            std::size_t n = 0;
            explicit raw_buffer(std::size_t count) : bytes(new std::byte[count * sizeof(entry)]), n(count) {}
            [[nodiscard]] entry* data() noexcept { return reinterpret_cast<entry*>(bytes.get()); }
            [[nodiscard]] const entry* data() const noexcept { return reinterpret_cast<const entry*>(bytes.get()); }
            [[nodiscard]] std::size_t size() const noexcept { return n; }
            entry& operator[](std::size_t i) noexcept { return data()[i]; }
            const entry& operator[](std::size_t i) const noexcept { return data()[i]; }
        };
        raw_buffer buf;
        std::size_t lo = 0, hi = 0;

        explicit store(std::size_t max_depth) : buf(2 * max_depth + 2) { reset(); }
        [[nodiscard]] std::size_t size() const noexcept { return hi - lo; }
        void reset() noexcept { lo = hi = buf.size() / 2; }
        // First level with key >= k (or buf + hi). Branch-free halving: feeds update levels all
        // over the book, so a branchy binary search mispredicts about once per halving.
        [[nodiscard]] entry* lower_bound(std::int64_t k) noexcept {
            entry* base = buf.data() + lo;
            std::size_t n = hi - lo;
            while (n > 1) {
                const std::size_t half = n / 2;
                base = base[half].key < k ? base + half : base;
                n -= half;
            }
            return base + (n == 1 && base->key < k ? 1 : 0);
        }
        // Moves the levels to the middle of the buffer; returns how far they moved (signed).
        std::ptrdiff_t recentre() noexcept {
            const std::size_t n = size();
            const std::size_t new_lo = (buf.size() - n) / 2;
            entry* const b = buf.data();
            std::memmove(b + new_lo, b + lo, n * sizeof(entry));
            const auto moved = static_cast<std::ptrdiff_t>(new_lo) - static_cast<std::ptrdiff_t>(lo);
            lo = new_lo;
            hi = new_lo + n;
            return moved;
        }
        // Inserts e before buf[pos] (lo <= pos <= hi), shifting the shorter part. Precondition: size() < max_depth.
        void insert(std::size_t pos, entry e) noexcept {
            const bool left = pos - lo < hi - pos;  // fewer worse levels than better ones: shift the worse ones down
            if ((left && lo == 0) || (!left && hi == buf.size())) {
                pos = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(pos) + recentre());
            }
            entry* const b = buf.data();
            if (left) {
                std::memmove(b + lo - 1, b + lo, (pos - lo) * sizeof(entry));
                --lo;
                b[pos - 1] = e;
            } else {
                std::memmove(b + pos + 1, b + pos, (hi - pos) * sizeof(entry));
                ++hi;
                b[pos] = e;
            }
        }
        // Removes buf[pos] (lo <= pos < hi), shifting the shorter part.
        void erase(std::size_t pos) noexcept {
            entry* const b = buf.data();
            if (pos - lo < hi - 1 - pos) {
                std::memmove(b + lo + 1, b + lo, (pos - lo) * sizeof(entry));
                ++lo;
            } else {
                std::memmove(b + pos, b + pos + 1, (hi - 1 - pos) * sizeof(entry));
                --hi;
            }
        }
    };
    static constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }
    std::size_t max_depth_;
    store side_[2];
};

static_assert(OrderBook<depth_book>, "depth_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
