#pragma once
// Counts global operator new calls made while an alloc_scope is alive (test-only hook; the
// replacement operators live in alloc_counter.cpp).
#include <atomic>
#include <cstddef>

namespace pinnacle_test {
// Atomics: threads the tests start (the VaR publisher) allocate while the test thread turns
// counting on and off, and ThreadSanitizer rightly calls a plain bool there a data race.
/// Allocations seen while counting is on (any thread).
std::atomic<std::size_t>& allocations() noexcept;
/// True while an alloc_scope is alive.
std::atomic<bool>& counting() noexcept;
/// RAII: counts allocations between construction and count().
struct alloc_scope {
    alloc_scope() noexcept { allocations() = 0; counting() = true; }
    ~alloc_scope() { counting() = false; }
    alloc_scope(const alloc_scope&) = delete;
    alloc_scope& operator=(const alloc_scope&) = delete;
    [[nodiscard]] std::size_t count() const noexcept { return allocations(); }
};
} // namespace pinnacle_test
