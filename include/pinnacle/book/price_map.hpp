#pragma once
/// @file book/price_map.hpp
/// Fixed-capacity open-addressing hash map from a price (ticks) to a 32-bit level slot: finds the
/// level of a price in O(1) instead of searching the sorted ladder.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace pinnacle {
inline namespace v0 {

/// Price (ticks, > 0) -> uint32 map with linear probing and backward-shift deletion, for at most
/// `max_keys` keys, in a table of the next power of two >= 2 x max_keys slots (16 bytes each)
/// allocated zeroed at construction: pages are touched only when used. No allocation after
/// construction. Thread-safety: one thread.
class price_map {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0}; ///< "Not found".

    /// A map for up to `max_keys` keys (at least 1). Throws std::bad_alloc.
    explicit price_map(std::size_t max_keys) {
        std::size_t cap = 16;
        while (cap < max_keys * 2) cap <<= 1;
        void* p = std::calloc(cap, sizeof(entry));  // zero pages from the OS: untouched until used
        if (p == nullptr) throw std::bad_alloc();
        slots_.reset(static_cast<entry*>(p));
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
    }

    /// The value for price `px`, or npos (always for px <= 0). O(1) expected.
    [[nodiscard]] std::uint32_t find(std::int64_t px) const noexcept {
        for (std::size_t i = home(px);; i = (i + 1) & mask_) {
            const entry& e = slots_[i];
            if (e.px == px) return e.px > 0 ? e.value : npos;
            if (e.px == 0) return npos;
        }
    }

    /// Inserts px -> value. Preconditions: px > 0, px absent, fewer than max_keys keys present.
    void insert(std::int64_t px, std::uint32_t value) noexcept {
        std::size_t i = home(px);
        while (slots_[i].px != 0) i = (i + 1) & mask_;
        slots_[i] = entry{px, value};
    }

    /// Removes px if present. O(1) expected.
    void erase(std::int64_t px) noexcept {
        if (px <= 0) return;
        std::size_t i = home(px);
        for (;; i = (i + 1) & mask_) {
            if (slots_[i].px == px) break;
            if (slots_[i].px == 0) return;
        }
        std::size_t hole = i;  // backward shift: keep probe runs unbroken without tombstones
        for (std::size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
            const entry e = slots_[j];
            if (e.px == 0) break;
            const std::size_t h = home(e.px);
            if (((j - h) & mask_) >= ((j - hole) & mask_)) {
                slots_[hole] = e;
                hole = j;
            }
        }
        slots_[hole] = entry{};
    }

    /// Bytes of the table.
    [[nodiscard]] std::size_t memory_bytes() const noexcept { return (mask_ + 1) * sizeof(entry); }

private:
    struct entry {
        std::int64_t px;      // 0 = empty
        std::uint32_t value;
    };
    struct free_deleter {
        void operator()(entry* p) const noexcept { std::free(p); }
    };
    [[nodiscard]] std::size_t home(std::int64_t px) const noexcept {
        return static_cast<std::size_t>((static_cast<std::uint64_t>(px) * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
    }
    std::unique_ptr<entry[], free_deleter> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 60;
};

} // namespace v0
} // namespace pinnacle
