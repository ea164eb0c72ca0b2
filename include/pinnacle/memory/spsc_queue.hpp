#pragma once
/// @file memory/spsc_queue.hpp
/// A bounded, lock-free single-producer single-consumer queue: one allocation at construction,
/// try_push reports a full queue (the caller decides: drop and count, or wait), no lock and no
/// allocation afterwards. For handing records from a hot thread to a background thread (e.g. the
/// JSONL event log's writer). The single-thread ring is memory/ring_buffer.hpp.

#include <atomic>
#include <cstddef>
#include <memory>
#include <type_traits>

#include "pinnacle/core/status.hpp"

namespace pinnacle {
inline namespace v0 {

/// Bounded FIFO of trivially copyable T between exactly one producer thread (try_push) and one
/// consumer thread (try_pop); capacity rounded up to a power of two (>= 2, <= 2^30 elements).
/// Thread-safety: one producer thread and one consumer thread at a time; the counters are safe
/// from any thread. Lamport's ring with acquire/release indices; each side caches the other's
/// index so an uncontended push or pop touches one shared cache line.
template <class T>
class spsc_queue {
    static_assert(std::is_trivially_copyable_v<T>, "spsc_queue holds trivially copyable records");

public:
    /// A queue for at least `capacity` elements (clamped to [2, 2^30], rounded up to a power of
    /// two). Throws std::bad_alloc.
    explicit spsc_queue(std::size_t capacity) : mask_(round_up(capacity) - 1), data_(std::make_unique<T[]>(mask_ + 1)) {}

    /// Producer: appends v; status::pool_exhausted when full (nothing changes).
    [[nodiscard]] status try_push(const T& v) noexcept {
        const std::size_t t = tail_.load(std::memory_order_relaxed);
        if (t - head_cache_ > mask_) {
            head_cache_ = head_.load(std::memory_order_acquire);
            if (t - head_cache_ > mask_) return status::pool_exhausted;
        }
        data_[t & mask_] = v;
        tail_.store(t + 1, std::memory_order_release);
        return status::ok;
    }

    /// Consumer: moves the oldest element into `out`; false when empty.
    [[nodiscard]] bool try_pop(T& out) noexcept {
        const std::size_t h = head_.load(std::memory_order_relaxed);
        if (h == tail_cache_) {
            tail_cache_ = tail_.load(std::memory_order_acquire);
            if (h == tail_cache_) return false;
        }
        out = data_[h & mask_];
        head_.store(h + 1, std::memory_order_release);
        return true;
    }

    /// Elements queued at some instant (exact only when both threads are idle).
    [[nodiscard]] std::size_t size_approx() const noexcept {
        return tail_.load(std::memory_order_acquire) - head_.load(std::memory_order_acquire);
    }
    /// Most elements it holds (a power of two).
    [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }

private:
    [[nodiscard]] static std::size_t round_up(std::size_t n) noexcept {
        std::size_t c = 2;
        while (c < n && c < (std::size_t{1} << 30)) c <<= 1;
        return c;
    }

    std::size_t mask_;
    std::unique_ptr<T[]> data_;
    // Producer's line: its index and its cached copy of the consumer's.
    alignas(64) std::atomic<std::size_t> tail_{0};
    std::size_t head_cache_ = 0;
    // Consumer's line.
    alignas(64) std::atomic<std::size_t> head_{0};
    std::size_t tail_cache_ = 0;
};

} // namespace v0
} // namespace pinnacle
