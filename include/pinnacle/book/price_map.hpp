#pragma once
/// @file book/price_map.hpp
/// Fixed-capacity open-addressing map from a price (ticks) to a 32-bit level slot, laid out like a
/// circular price ladder: finds the level of a price in O(1) instead of searching the sorted
/// ladder, and neighbouring price levels share cache lines.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <numeric>

namespace pinnacle {
inline namespace v0 {

/// Price (ticks, > 0) -> uint32 direct-mapped index: each price has one home slot in a table of
/// the next power of two >= 2 x max_keys slots (16 bytes each), allocated zeroed at construction
/// (pages are touched only when used). No allocation after construction, no probing: O(1).
/// Thread-safety: one thread.
///
/// The home slot of a price is price / g modulo the table size, where g is the granularity (the
/// greatest common divisor of the prices the owner holds: 1 when prices are in ticks, as the
/// feeds make them; the tick in the price unit otherwise, e.g. 100 for dollars x 10,000). So consecutive price levels sit in consecutive
/// slots, the levels around the touch share a few cache lines, and prices within table-size ticks
/// of each other never collide. A price whose home is taken by another is not indexed; its home is
/// then marked, and find() answers `unknown` there: the owner searches its sorted levels instead.
/// A price that is not a multiple of g needs a new granularity first: the owner empties the index,
/// calls set_granularity() and re-inserts its keys (at most ~log2(price) times over the index's
/// life, never again once g is the tick).
class price_map {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0};        ///< "Absent".
    static constexpr std::uint32_t unknown = ~std::uint32_t{0} - 1; ///< "Not indexed: search elsewhere".

    /// An index for up to `max_keys` keys (at least 1). Throws std::bad_alloc (aborts in a build
    /// without exceptions).
    explicit price_map(std::size_t max_keys) {
        std::size_t cap = 16;
        while (cap < max_keys * 2) cap <<= 1;
        void* p = std::calloc(cap, sizeof(entry));  // zero pages from the OS: untouched until used
        if (p == nullptr) {
#if defined(__cpp_exceptions)
            throw std::bad_alloc();
#else
            std::abort();
#endif
        }
        slots_.reset(static_cast<entry*>(p));
        mask_ = cap - 1;
    }

    /// The value for price `px`, npos if absent, or `unknown` if px may be present but not
    /// indexed. O(1).
    [[nodiscard]] std::uint32_t find(std::int64_t px) const noexcept {
        const entry& e = slots_[home(px)];
        if (e.px == px && px > 0) return e.value;
        return e.collided != 0 ? unknown : npos;
    }

    /// Indexes px -> value if its home is free (else marks the home collided). Preconditions:
    /// px > 0, px absent, fits(px).
    void insert(std::int64_t px, std::uint32_t value) noexcept {
        entry& e = slots_[home(px)];
        if (e.px == 0) {
            e.px = px;
            e.value = value;
        } else {
            e.collided = 1;
        }
    }

    /// Removes px if it is indexed. O(1).
    void erase(std::int64_t px) noexcept {
        entry& e = slots_[home(px)];
        if (e.px == px) e.px = 0;
    }

    /// Removes px and clears its home's collision mark (used when emptying the whole index).
    void reset(std::int64_t px) noexcept { slots_[home(px)] = entry{}; }

    /// True when px (> 0) can be inserted under the current granularity (a multiple of it).
    [[nodiscard]] bool fits(std::int64_t px) const noexcept { return gcd_ != 0 && px % gcd_ == 0; }

    /// The granularity an index holding its keys and px needs: gcd of the current one and px (> 0).
    [[nodiscard]] std::int64_t granularity_with(std::int64_t px) const noexcept { return std::gcd(gcd_, px); }

    /// Sets the granularity (g >= 1; every key inserted later must be a multiple of it).
    /// Precondition: the index is empty (every key reset()).
    void set_granularity(std::int64_t g) noexcept {
        gcd_ = g;
        inv_ = g <= 1 ? 0 : ~std::uint64_t{0} / static_cast<std::uint64_t>(g);  // floor((2^64 - 1) / g)
    }

    /// Bytes of the table.
    [[nodiscard]] std::size_t memory_bytes() const noexcept { return (mask_ + 1) * sizeof(entry); }

private:
    struct entry {
        std::int64_t px;         // 0 = empty
        std::uint32_t value;
        std::uint32_t collided;  // non-zero: some price with this home is not indexed
    };
    struct free_deleter {
        void operator()(entry* p) const noexcept { std::free(p); }
    };
    // ~px / gcd_ (rounded down or, rarely, one less: any function of px would be correct; this one
    // keeps neighbouring levels in neighbouring slots), modulo the table size.
    [[nodiscard]] std::size_t home(std::int64_t px) const noexcept {
        const auto u = static_cast<std::uint64_t>(px);
        __extension__ using u128 = unsigned __int128;  // GCC and Clang; __extension__: not ISO C++
        const std::uint64_t q = inv_ == 0 ? u : static_cast<std::uint64_t>((static_cast<u128>(u) * inv_) >> 64);
        return static_cast<std::size_t>(q) & mask_;
    }
    std::unique_ptr<entry[], free_deleter> slots_;
    std::size_t mask_ = 0;
    std::int64_t gcd_ = 0;   // granularity of the keys (0: none inserted yet)
    std::uint64_t inv_ = 0;  // ~2^64 / gcd_, or 0 for gcd_ <= 1 (identity)
};

} // namespace v0
} // namespace pinnacle
