#pragma once
/// @file book/depth_book.hpp
/// Aggregated (L2) book of bounded depth driven by absolute level updates, as crypto exchanges
/// send them: "the size at this price is now X" (X = 0 removes the level).

#include <algorithm>
#include <cstddef>
#include <cstdint>
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
class depth_book {
public:
    /// A book of up to `max_depth` (>= 1) levels per side. Throws std::bad_alloc.
    explicit depth_book(std::size_t max_depth = 1000) : max_depth_(max_depth == 0 ? 1 : max_depth) {
        side_[0].reserve(max_depth_);
        side_[1].reserve(max_depth_);
    }

    /// Number of levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return side_[idx(s)].size(); }

    /// The i-th best level on side s. O(1). Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept {
        const auto& v = side_[idx(s)];
        const entry& e = v[v.size() - 1 - i];
        return level_info{price{s == side::buy ? e.key : -e.key}, e.size, e.size.lots() > 0 ? 1u : 0u};
    }

    /// Sets the size at (s, px) to `q` lots; q == 0 removes the level. O(depth) worst case,
    /// O(1) near the top. Errors: invalid_qty (q < 0 or above bounds::max_depth_level_lots),
    /// invalid_price (q > 0 at px outside 1..bounds::max_depth_price_ticks, so -px below is safe), book_full
    /// (worse than every kept level of a full side); nothing changes on error.
    [[nodiscard]] status update(side s, price px, qty q) noexcept {
        if (q.lots() < 0 || q.lots() > bounds::max_depth_level_lots) return status::invalid_qty;
        // No level can sit outside the bounds: removing one there is a no-op (an empty snapshot
        // row is px 0, size 0), adding one is refused.
        if (!bounds::depth_price_ok(px.ticks())) return q.lots() == 0 ? status::ok : status::invalid_price;
        auto& v = side_[idx(s)];
        const std::int64_t k = s == side::buy ? px.ticks() : -px.ticks();
        const auto it = std::lower_bound(v.begin(), v.end(), k, [](const entry& e, std::int64_t x) { return e.key < x; });
        if (it != v.end() && it->key == k) {
            if (q.lots() == 0) v.erase(it); else it->size = q;
            return status::ok;
        }
        if (q.lots() == 0) return status::ok;  // removing an unknown level: already absent
        if (v.size() == max_depth_) {
            if (it == v.begin()) return status::book_full;  // worse than everything kept
            const auto pos = it - v.begin();
            v.erase(v.begin());  // push out the worst (front)
            v.insert(v.begin() + (pos - 1), entry{k, q});
            return status::ok;
        }
        v.insert(it, entry{k, q});
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
        side_[0].clear();
        side_[1].clear();
    }

    /// Most levels kept per side.
    [[nodiscard]] std::size_t max_depth() const noexcept { return max_depth_; }

private:
    struct entry {
        std::int64_t key;  // bid: px, ask: -px; ascending, best at the back
        qty size;
    };
    static constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }
    std::vector<entry> side_[2];
    std::size_t max_depth_;
};

static_assert(OrderBook<depth_book>, "depth_book must satisfy OrderBook (docs/concepts.md#orderbook)");

} // namespace v0
} // namespace pinnacle
