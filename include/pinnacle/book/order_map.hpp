#pragma once
/// @file book/order_map.hpp
/// Fixed-capacity open-addressing hash map from order id to a 32-bit slot index.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// order_id -> uint32 map with linear probing and backward-shift deletion (no tombstones), sized
/// once at construction for at most `max_entries` keys at load <= 1/2: O(1) expected, no heap
/// after construction. Thread-safety: one thread.
class order_map {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0}; ///< "Not found".

    /// A map for up to `max_entries` keys; allocates once. Throws std::bad_alloc.
    explicit order_map(std::size_t max_entries) : max_entries_(max_entries) {
        std::size_t cap = 16;
        while (cap < max_entries * 2) cap <<= 1;
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
        slots_ = std::make_unique<entry[]>(cap);
        clear();
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

private:
    struct entry {
        std::uint64_t key = 0;
        std::uint32_t value = npos;
    };
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
