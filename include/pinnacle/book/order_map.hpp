#pragma once
/// @file book/order_map.hpp
/// Open-addressing hash index from order id to a 32-bit slot index, 8 bytes per table slot,
/// bounded, growing only at warm-up.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// order_id -> uint32 index with linear probing and backward-shift deletion (no tombstones), load
/// kept <= 1/2 (<= 3/4 from 2^20 table slots). A table slot holds the value and a 32-bit hash tag,
/// not the id: the id lives in the caller's record, which `key_of(value)` returns; it is read only
/// when a tag matches (once per hit, about never on a miss). So the table costs 8 bytes per slot:
/// 16-32 bytes per key (10.7-21.3 from 2^20 slots). Table slots <= 2^31.
/// It starts small and doubles while it fills (so the table of a book with a few hundred live
/// orders stays in cache), up to room for `max_entries` keys: allocation happens only while it
/// grows (warm-up), or never after `reserve()`. O(1) expected. Thread-safety: one thread.
///
/// `key_of` is any callable `std::uint64_t(std::uint32_t value)` giving the id stored for a value
/// present in the map.
class order_map {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0}; ///< "Not found" (and never a valid value).
    /// Most keys a map can be built for (2^30: the table then has 2^31 slots).
    static constexpr std::size_t max_capacity = std::size_t{1} << 30;

    /// A map for up to `max_entries` keys (at most max_capacity: larger is clamped), starting
    /// with room for `initial` (rounded up). Throws std::bad_alloc.
    explicit order_map(std::size_t max_entries, std::size_t initial = 1024)
        : max_entries_(max_entries < max_capacity ? max_entries : max_capacity) {
        rehash(table_size_for(initial < max_entries_ ? initial : max_entries_));
    }

    /// Grows the table now so that `n` keys (at most max_entries) fit without further allocation.
    /// Throws std::bad_alloc.
    void reserve(std::size_t n) {
        const std::size_t want = table_size_for(n < max_entries_ ? n : max_entries_);
        if (want > mask_ + 1) rehash(want);
    }

    /// The value for `id`, or npos. O(1) expected.
    template <class KeyOf>
    [[nodiscard]] std::uint32_t find(order_id id, const KeyOf& key_of) const noexcept {
        const std::uint64_t key = id.value();
        const std::uint32_t t = tag(key);
        for (std::size_t i = home(t);; i = (i + 1) & mask_) {
            const entry e = slots_[i];
            if (e.value == npos) return npos;
            if (e.tag == t && key_of(e.value) == key) return e.value;
        }
    }

    /// Inserts id -> value (value != npos); status::duplicate_order if id is present,
    /// status::pool_exhausted if the map holds max_entries keys or cannot grow.
    template <class KeyOf>
    [[nodiscard]] status insert(order_id id, std::uint32_t value, const KeyOf& key_of) noexcept {
        const std::uint64_t key = id.value();
        const std::uint32_t t = tag(key);
        std::size_t i = home(t);
        for (;; i = (i + 1) & mask_) {
            const entry e = slots_[i];
            if (e.value == npos) break;
            if (e.tag == t && key_of(e.value) == key) return status::duplicate_order;
        }
        if (size_ >= max_entries_) return status::pool_exhausted;
        if (!fits(size_ + 1, mask_ + 1)) {  // keep the load bound: grow, then find the new home
            if (!grow()) return status::pool_exhausted;
            for (i = home(t); slots_[i].value != npos; i = (i + 1) & mask_) {}
        }
        slots_[i] = entry{value, t};
        ++size_;
        return status::ok;
    }

    /// Removes the entry id -> value (the caller knows both, so no record is read); false if
    /// absent. O(1) expected.
    bool erase(order_id id, std::uint32_t value) noexcept {
        const std::uint32_t t = tag(id.value());
        std::size_t i = home(t);
        for (;; i = (i + 1) & mask_) {
            const entry e = slots_[i];
            if (e.value == npos) return false;
            if (e.value == value) break;
        }
        // Backward-shift: pull later entries of the probe run into the hole so lookups never
        // stop early at it (keeps probe runs short without tombstones). The tag gives each
        // entry's home, so no record is read.
        std::size_t hole = i;
        for (std::size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
            const entry e = slots_[j];
            if (e.value == npos) break;
            const std::size_t h = home(e.tag);
            if (((j - h) & mask_) >= ((j - hole) & mask_)) {
                slots_[hole] = e;
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

    /// Slots in the table (a power of two; 2x the keys it can hold, 4/3x from 2^20 slots).
    [[nodiscard]] std::size_t table_size() const noexcept { return mask_ + 1; }
    /// Bytes of the table.
    [[nodiscard]] std::size_t memory_bytes() const noexcept { return (mask_ + 1) * sizeof(entry); }

private:
    struct entry {
        std::uint32_t value = npos;
        std::uint32_t tag = 0;
    };
    static_assert(sizeof(entry) == 8);

    // Load bound: <= 1/2 below 2^20 slots (8 MB: fast, short probe runs), <= 3/4 from there
    // (memory: 48-byte nodes plus 10.7-21.3 table bytes keep a large book under 64 bytes a live
    // order; the longer runs stay within one or two 8-entry cache lines). Measured on the GOOG
    // day, 3/4 everywhere cost 12 % more instructions.
    static constexpr bool fits(std::size_t keys, std::size_t cap) noexcept {
        return cap >= (std::size_t{1} << 20) ? keys * 4 <= cap * 3 : keys * 2 <= cap;
    }

    static std::size_t table_size_for(std::size_t keys) noexcept {
        std::size_t cap = 16;
        while (!fits(keys, cap)) cap <<= 1;
        return cap;
    }

    // Fibonacci hashing (exchange ids are often sequential: a multiply spreads them); the tag is
    // the hash's top 32 bits and an entry's home is the tag's top log2(table size) bits. (Keeping
    // blocks of consecutive ids in consecutive slots, for cache locality, was tried: it cost 4 %
    // more instructions on the GOOG day and was no faster.)
    static std::uint32_t tag(std::uint64_t key) noexcept {
        return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32);
    }
    [[nodiscard]] std::size_t home(std::uint32_t t) const noexcept { return static_cast<std::size_t>(t >> (32 - log2_)); }

    // Doubles the table; false when out of memory or at max size (the map is unchanged then).
    // Built without exceptions, running out of memory here terminates, as any allocation
    // failure does there.
    bool grow() noexcept {
        if (mask_ + 1 >= 2 * max_capacity) return false;
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
        log2_ = 0;
        for (std::size_t c = cap; c > 1; c >>= 1) ++log2_;
        for (std::size_t i = 0; i < old_cap; ++i) {
            if (old[i].value == npos) continue;
            std::size_t j = home(old[i].tag);
            while (slots_[j].value != npos) j = (j + 1) & mask_;
            slots_[j] = old[i];
        }
    }

    std::unique_ptr<entry[]> slots_;
    std::size_t mask_ = 0;
    std::size_t max_entries_ = 0;
    std::size_t size_ = 0;
    unsigned log2_ = 4;
};

} // namespace v0
} // namespace pinnacle
