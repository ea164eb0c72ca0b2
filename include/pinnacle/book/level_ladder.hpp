#pragma once
/// @file book/level_ladder.hpp
/// Sorted array of price levels with a movable gap: inserts and erases cost the distance from
/// the previous insert or erase, not from the end of the array.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace pinnacle {
inline namespace v0 {

/// One rung of a ladder: a sort key and the slot of the level it names.
struct ladder_rung {
    std::int64_t key;   ///< Ascending sort key (bid: price; ask: -price, so the best is the largest).
    std::uint32_t slot; ///< Index of the level in its pool.
};

/// Keys sorted ascending in a fixed-capacity gap buffer. Thread-safety: one thread.
///
/// Why a gap: a book rebuilt from a depth-limited feed (LOBSTER level L) keeps levels whose
/// cancels it never saw, and the real activity then happens in the middle of the array. Keeping
/// the hole where the last change happened makes a change next to it O(1), while random access
/// by rank and binary search stay O(1) and O(log n). All storage is allocated (untouched) at construction.
class level_ladder {
public:
    /// A ladder for up to `capacity` rungs. The storage is left uninitialised (only ranks below
    /// size() are ever read), so a large capacity costs address space, not time. Throws
    /// std::bad_alloc.
    explicit level_ladder(std::size_t capacity)
        : buf_(std::make_unique_for_overwrite<ladder_rung[]>(capacity == 0 ? 1 : capacity)), cap_(capacity == 0 ? 1 : capacity),
          gap_begin_(0), gap_end_(cap_) {}

    /// Rungs held.
    [[nodiscard]] std::size_t size() const noexcept { return cap_ - (gap_end_ - gap_begin_); }
    /// Most rungs it can hold.
    [[nodiscard]] std::size_t capacity() const noexcept { return cap_; }
    /// True when full.
    [[nodiscard]] bool full() const noexcept { return gap_begin_ == gap_end_; }
    /// The rung of rank i (0 = smallest key). Precondition: i < size().
    [[nodiscard]] const ladder_rung& operator[](std::size_t i) const noexcept {
        return buf_[i < gap_begin_ ? i : i + (gap_end_ - gap_begin_)];
    }
    /// First rank whose key is >= k (size() if none). O(log n), branch-free steps.
    [[nodiscard]] std::size_t lower_bound(std::int64_t k) const noexcept {
        // The gap splits the array into two sorted runs: pick the run, then bisect it. Changes
        // cluster, so first look at the two rungs on each side of the gap.
        if (gap_begin_ > 0 && buf_[gap_begin_ - 1].key >= k) {
            if (gap_begin_ == 1 || buf_[gap_begin_ - 2].key < k) return gap_begin_ - 1;
            return bisect(buf_.get(), gap_begin_ - 1, k);
        }
        if (gap_end_ == cap_ || buf_[gap_end_].key >= k) return gap_begin_;
        if (gap_end_ + 1 == cap_ || buf_[gap_end_ + 1].key >= k) return gap_begin_ + 1;
        return gap_begin_ + 2 + bisect(buf_.get() + gap_end_ + 2, cap_ - gap_end_ - 2, k);
    }
    /// Inserts r at rank i (keys must stay sorted). Precondition: !full(), i <= size().
    void insert(std::size_t i, ladder_rung r) noexcept {
        move_gap(i);
        buf_[gap_begin_++] = r;
    }
    /// Erases the `n` rungs of ranks [i, i + n). Precondition: i + n <= size().
    void erase(std::size_t i, std::size_t n = 1) noexcept {
        move_gap(i + n);
        gap_begin_ -= n;
    }
    /// Removes every rung.
    void clear() noexcept {
        gap_begin_ = 0;
        gap_end_ = cap_;
    }

private:
    static std::size_t bisect(const ladder_rung* a, std::size_t n, std::int64_t k) noexcept {
        if (n == 0) return 0;
        const ladder_rung* base = a;
        std::size_t len = n;
        while (len > 1) {
            const std::size_t half = len / 2;
            base = (base[half - 1].key < k) ? base + half : base;
            len -= half;
        }
        const std::size_t pos = static_cast<std::size_t>(base - a);
        return base->key < k ? pos + 1 : pos;
    }

    // Makes rank i the first slot of the gap.
    void move_gap(std::size_t i) noexcept {
        const std::size_t gap = gap_end_ - gap_begin_;
        if (i < gap_begin_) {  // shift ranks [i, gap_begin_) right, past the gap
            const std::size_t n = gap_begin_ - i;
            std::memmove(&buf_[i + gap], &buf_[i], n * sizeof(ladder_rung));
        } else if (i > gap_begin_) {  // shift ranks [gap_begin_, i) left, into the gap
            const std::size_t n = i - gap_begin_;
            std::memmove(&buf_[gap_begin_], &buf_[gap_end_], n * sizeof(ladder_rung));
        }
        gap_begin_ = i;
        gap_end_ = i + gap;
    }

    std::unique_ptr<ladder_rung[]> buf_;
    std::size_t cap_;
    std::size_t gap_begin_;
    std::size_t gap_end_;
};

} // namespace v0
} // namespace pinnacle
