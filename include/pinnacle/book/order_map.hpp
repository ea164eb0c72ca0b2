#pragma once
/// @file book/order_map.hpp
/// Open-addressing hash map from order id to a 32-bit slot index, bounded, growing only at warm-up.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// order_id -> uint32 map with linear probing and backward-shift deletion (no tombstones), load
/// kept <= 1/2. It starts small and doubles while it fills (so the table of a book with a few
/// hundred live orders stays in cache), up to room for `max_entries` keys: allocation happens only
/// while it grows (warm-up), or never after `reserve()`. O(1) expected. Thread-safety: one thread.
class order_map {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0}; ///< "Not found".

    /// A map for up to `max_entries` keys, starting with room for `initial` (rounded up).
    /// Throws std::bad_alloc.
    explicit order_map(std::size_t max_entries, std::size_t initial = 1024) : max_entries_(max_entries) {
        rehash(table_size_for(initial < max_entries ? initial : max_entries));
    }

    /// Grows the table now so that `n` keys (at most max_entries) fit without further allocation.
    /// Throws std::bad_alloc.
    void reserve(std::size_t n) {
        const std::size_t want = table_size_for(n < max_entries_ ? n : max_entries_);
        if (want > mask_ + 1) rehash(want);
    }

    /// The value for `id`, or npos. O(1) expected.
    [[nodiscard]] std::uint32_t find(order_id id) const noexcept {
        const std::uint64_t key = id.value();
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            const entry& e = slots_[i];
            if (e.value == npos) return npos;
            if (e.key == key) return e.value;
        }
    }

    /// Inserts id -> value; status::duplicate_order if present, status::pool_exhausted if full.
    [[nodiscard]] status insert(order_id id, std::uint32_t value) noexcept {
        const std::uint64_t key = id.value();
        std::size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            if (slots_[i].value == npos) break;
            if (slots_[i].key == key) return status::duplicate_order;
        }
        if (size_ >= max_entries_) return status::pool_exhausted;
        if ((size_ + 1) * 2 > mask_ + 1) {  // keep load <= 1/2: grow, then find the new home
            if (!grow()) return status::pool_exhausted;
            for (i = home(key); slots_[i].value != npos; i = (i + 1) & mask_) {}
        }
        slots_[i] = entry{key, value};
        ++size_;
        return status::ok;
    }

    /// Removes id; false if it was absent. O(1) expected.
    bool erase(order_id id) noexcept {
        const std::uint64_t key = id.value();
        std::size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            if (slots_[i].value == npos) return false;
            if (slots_[i].key == key) break;
        }
        // Backward-shift: pull later entries of the probe run into the hole so lookups never
        // stop early at it (keeps probe runs short without tombstones).
        std::size_t hole = i;
        for (std::size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
            if (slots_[j].value == npos) break;
            const std::size_t h = home(slots_[j].key);
            const bool movable = ((j - h) & mask_) >= ((j - hole) & mask_);
            if (movable) {
                slots_[hole] = slots_[j];
                hole = j;
            }
        }
        slots_[hole] = entry{};
        --size_;
        return true;
    }

    /// Number of keys.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Most keys it can hold.
    [[nodiscard]] std::size_t max_entries() const noexcept { return max_entries_; }
    /// Removes every key. O(capacity).
    void clear() noexcept {
        for (std::size_t i = 0; i <= mask_; ++i) slots_[i] = entry{};
        size_ = 0;
    }

    /// Slots in the table (a power of two; twice the keys it can hold).
    [[nodiscard]] std::size_t table_size() const noexcept { return mask_ + 1; }

private:
    struct entry {
        std::uint64_t key = 0;
        std::uint32_t value = npos;
    };

    static std::size_t table_size_for(std::size_t keys) noexcept {
        std::size_t cap = 16;
        while (cap < keys * 2) cap <<= 1;
        return cap;
    }

    // Doubles the table; false when out of memory (the map is unchanged then). Built without
    // exceptions, running out of memory here terminates, as any allocation failure does there.
    bool grow() noexcept {
#if defined(__cpp_exceptions)
        try {
            rehash((mask_ + 1) * 2);
        } catch (...) {
            return false;
        }
#else
        rehash((mask_ + 1) * 2);
#endif
        return true;
    }

    void rehash(std::size_t cap) {
        auto fresh = std::make_unique<entry[]>(cap);
        const std::size_t old_cap = slots_ ? mask_ + 1 : 0;
        std::unique_ptr<entry[]> old = std::move(slots_);
        slots_ = std::move(fresh);
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
        for (std::size_t i = 0; i < old_cap; ++i) {
            if (old[i].value == npos) continue;
            std::size_t j = home(old[i].key);
            while (slots_[j].value != npos) j = (j + 1) & mask_;
            slots_[j] = old[i];
        }
    }
    // Fibonacci hashing: exchange ids are often sequential, so spread them with a multiply.
    [[nodiscard]] std::size_t home(std::uint64_t key) const noexcept {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
    }
    std::unique_ptr<entry[]> slots_;
    std::size_t mask_ = 0;
    std::size_t max_entries_ = 0;
    std::size_t size_ = 0;
    unsigned shift_ = 60;
};

} // namespace v0
} // namespace pinnacle
