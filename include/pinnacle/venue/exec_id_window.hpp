#pragma once
/// @file venue/exec_id_window.hpp
/// Remembers the last N execution ids (FIX ExecID) seen, so a report delivered twice (a resend
/// after a reconnect, a duplicated stream message) is recognised and booked once.

#include "pinnacle/core/requires_cxx20.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace pinnacle {
inline namespace v0 {

/// A set of the most recent `N` non-zero 64-bit ids, oldest evicted first. insert() is O(1)
/// expected (open addressing, linear probing, backward-shift deletion), never allocates.
/// `N` must be a power of two; the table holds 2N slots (load <= 1/2). Thread-safety: one thread.
template <std::size_t N = 4096>
class exec_id_window {
    static_assert(N >= 2 && (N & (N - 1)) == 0, "exec_id_window: N must be a power of two >= 2");

public:
    /// Adds `id`; true if it was new, false if it is among the last N ids inserted (a duplicate).
    /// id 0 means "no id" and is always new (never stored).
    bool insert(std::uint64_t id) noexcept {
        if (id == 0) return true;
        std::size_t i = slot(id);
        while (table_[i] != 0) {
            if (table_[i] == id) return false;
            i = (i + 1) & mask;
        }
        if (count_ == N) erase(order_[head_]);  // evict the oldest
        else ++count_;
        table_[i] = id;
        order_[head_] = id;
        head_ = (head_ + 1) & (N - 1);
        return true;
    }
    /// True if `id` is among the last N ids inserted.
    [[nodiscard]] bool contains(std::uint64_t id) const noexcept {
        if (id == 0) return false;
        for (std::size_t i = slot(id); table_[i] != 0; i = (i + 1) & mask)
            if (table_[i] == id) return true;
        return false;
    }
    /// Ids held (at most N).
    [[nodiscard]] std::size_t size() const noexcept { return count_; }

private:
    static constexpr std::size_t slots = 2 * N;
    static constexpr std::size_t mask = slots - 1;

    [[nodiscard]] static std::size_t slot(std::uint64_t id) noexcept {
        // Fibonacci hashing: venues often number exec ids consecutively.
        return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
    }

    void erase(std::uint64_t id) noexcept {
        std::size_t i = slot(id);
        while (table_[i] != id) i = (i + 1) & mask;
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        std::size_t j = i;
        for (;;) {
            j = (j + 1) & mask;
            if (table_[j] == 0) break;
            const std::size_t home = slot(table_[j]);
            // Move table_[j] into the hole at i unless its home lies cyclically in (i, j].
            const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                table_[i] = table_[j];
                i = j;
            }
        }
        table_[i] = 0;
    }

    std::array<std::uint64_t, slots> table_{};
    std::array<std::uint64_t, N> order_{};
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

} // namespace v0
} // namespace pinnacle
