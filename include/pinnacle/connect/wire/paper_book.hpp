#pragma once
/// @file connect/wire/paper_book.hpp
/// The book a live engine and its paper venue share: an exchange depth book (levels, not
/// orders) with what simulated_venue's queue models ask of a book (size at a price, an event
/// sequence, order lookup, which a depth feed never has).

#include <cstddef>
#include <cstdint>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// depth_book plus size_at / next_seq / find for simulated_venue. Trade prints (execute) are
/// accepted and change nothing: the depth stream itself moves the levels. Thread-safety: one thread.
class paper_book {
public:
    /// An order the book knows (never, on a depth feed).
    struct resting {
        qty size; ///< Lots.
    };

    /// A book of up to `max_depth` levels per side. Throws std::bad_alloc.
    explicit paper_book(std::size_t max_depth = 5000) : book_(max_depth) {}

    /// Levels on side s.
    [[nodiscard]] std::size_t depth(side s) const noexcept { return book_.depth(s); }
    /// The i-th best level of side s. Precondition: i < depth(s).
    [[nodiscard]] level_info level(side s, std::size_t i) const noexcept { return book_.level(s, i); }
    /// Applies depth_snapshot / depth_update (depth_book::apply's errors); execute is ok and
    /// changes nothing; other types: not_supported.
    [[nodiscard]] status apply(const market_event& e) noexcept {
        ++seq_;
        if (e.type == event_type::execute) return status::ok;
        return book_.apply(e);
    }
    /// Removes every level.
    void clear() noexcept { book_.clear(); }
    /// Lots resting at (s, px); 0 when no level. O(log depth).
    [[nodiscard]] qty size_at(side s, price px) const noexcept {
        std::size_t lo = 0, hi = book_.depth(s);
        while (lo < hi) {  // levels are best first: bids descending, asks ascending
            const std::size_t mid = lo + (hi - lo) / 2;
            const price p = book_.level(s, mid).px;
            if (p == px) return book_.level(s, mid).size;
            if (s == side::buy ? p > px : p < px) lo = mid + 1;
            else hi = mid;
        }
        return qty{0};
    }
    /// Sequence number the next event will get (1 + events applied).
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return seq_ + 1; }
    /// Orders are not known on a depth feed: always null.
    [[nodiscard]] const resting* find(order_id) const noexcept { return nullptr; }
    /// The underlying depth book.
    [[nodiscard]] const depth_book& depth_levels() const noexcept { return book_; }

private:
    depth_book book_;
    std::uint64_t seq_ = 0;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
