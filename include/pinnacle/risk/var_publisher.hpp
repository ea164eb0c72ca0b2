#pragma once
/// @file risk/var_publisher.hpp
/// var_publisher: hands the latest VaR estimate from the off-hot-path VaR thread to hot-path
/// readers without ever making a reader wait.

#include <atomic>
#include <cstdint>
#include <thread>

#include "pinnacle/risk/var_result.hpp"

namespace pinnacle {
inline namespace v0 {

/// A var_result together with the publish count it came from (1 = first publish).
struct var_snapshot {
    var_result result;        ///< The estimate (default, NaN-valued, when version == 0).
    std::uint64_t version = 0; ///< Number of publishes up to and including this one; 0 = none yet.
};

/// Hands the latest var_result from one writer thread to any number of reader threads.
/// Thread-safety: `publish` from one thread at a time (single writer); `latest`, `snapshot`,
/// `version` from any thread, concurrently with each other and with `publish`.
///
/// Readers are wait-free (a fixed 5 steps: load, fetch_add, load, one slot copy, fetch_sub; no
/// loop, no retry) and always get a complete result -- the newest one, or the one before it if a publish
/// is in flight. The writer, which is off the hot path, is the one that waits: for at most the
/// readers that were already copying the slot it is about to reuse.
///
/// Scheme: Left-Right (Ramalhete & Correia, "Left-Right: A Concurrency Control Technique with
/// Wait-Free Population Oblivious Reads", 2015) with two slots and two reader counters. The writer
/// writes the slot readers are not directed to, flips `left_right_` (release) so that new readers
/// copy the new slot, then drains readers: it waits until counter[next] is empty, switches
/// readers to counter[next], and waits until counter[prev] is empty. Why no reader can be copying
/// a slot while the writer writes it: a reader copies slot s only after loading left_right == s,
/// and it registered in a counter before that load. The writer writes slot s only while
/// left_right != s, i.e. only after the previous publish flipped left_right away from s; a reader
/// that still loaded s loaded it before that flip (all operations are seq_cst, one total order),
/// so it had registered before the flip, and the previous publish did not return before both
/// counters had been seen empty after the flip -- the reader had departed. Its fetch_sub (release)
/// synchronises with the writer's load that saw the count drop, so the copy happens-before the
/// rewrite; the writer's slot write happens-before its release flip, which the reader's load
/// acquires, so the copy sees a complete slot. Every plain access is ordered: no data race (TSan
/// clean). Two counters instead of one let the writer drain old readers while new ones arrive.
///
/// Rejected simpler schemes: two slots + an index alone tear when a reader is preempted mid-copy
/// while the writer publishes twice (it rewrites the slot being copied); a per-slot sequence check
/// with fallback to the other slot detects that, but both slots can fail the same way, so the
/// reader would have to retry (lock-free, not wait-free) or return nothing.
class var_publisher {
public:
    /// A publisher holding no estimate (version 0, NaN VaR).
    var_publisher() noexcept = default;
    var_publisher(const var_publisher&) = delete;            ///< Not copyable (readers hold its address).
    var_publisher& operator=(const var_publisher&) = delete; ///< Not assignable.

    /// Makes `r` the latest result (single writer). May spin-yield while readers finish a copy.
    void publish(const var_result& r) noexcept {
        const std::uint32_t lr = left_right_.load(std::memory_order_relaxed);  // only this thread stores it
        const std::uint64_t v = version_.load(std::memory_order_relaxed) + 1;
        slots_[1 - lr] = var_snapshot{r, v};
        left_right_.store(1 - lr, std::memory_order_seq_cst);
        version_.store(v, std::memory_order_release);
        const std::uint32_t prev = version_index_.load(std::memory_order_relaxed);
        const std::uint32_t next = 1 - prev;
        wait_empty(readers_[next].count);
        version_index_.store(next, std::memory_order_seq_cst);
        wait_empty(readers_[prev].count);
    }

    /// The latest published result with its version (wait-free, any thread).
    [[nodiscard]] var_snapshot snapshot() const noexcept {
        const std::uint32_t vi = version_index_.load(std::memory_order_seq_cst);
        readers_[vi].count.fetch_add(1, std::memory_order_seq_cst);
        const var_snapshot s = slots_[left_right_.load(std::memory_order_seq_cst)];
        readers_[vi].count.fetch_sub(1, std::memory_order_seq_cst);
        return s;
    }

    /// The latest published result (wait-free, any thread); NaN VaR before the first publish.
    [[nodiscard]] var_result latest() const noexcept { return snapshot().result; }

    /// Number of publishes completed so far (0 = none); may run ahead of a concurrent `latest()`.
    [[nodiscard]] std::uint64_t version() const noexcept { return version_.load(std::memory_order_acquire); }

private:
    // 64: the common cache-line size; std::hardware_destructive_interference_size warns in headers (GCC).
    struct alignas(64) reader_count {
        std::atomic<std::uint64_t> count{0};
    };

    static void wait_empty(const std::atomic<std::uint64_t>& c) noexcept {
        while (c.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    }

    var_snapshot slots_[2]{};
    alignas(64) std::atomic<std::uint32_t> left_right_{0};
    std::atomic<std::uint32_t> version_index_{0};
    std::atomic<std::uint64_t> version_{0};
    mutable reader_count readers_[2]{};
};

} // namespace v0
} // namespace pinnacle
