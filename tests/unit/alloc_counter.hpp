#pragma once
// Counts global operator new calls made while an alloc_scope is alive (test-only hook; the
// replacement operators live in alloc_counter.cpp).
#include <cstddef>

namespace pinnacle_test {
/// Allocations seen while counting is on.
std::size_t& allocations() noexcept;
/// True while an alloc_scope is alive.
bool& counting() noexcept;
/// RAII: counts allocations between construction and count().
struct alloc_scope {
    alloc_scope() noexcept { allocations() = 0; counting() = true; }
    ~alloc_scope() { counting() = false; }
    alloc_scope(const alloc_scope&) = delete;
    alloc_scope& operator=(const alloc_scope&) = delete;
    [[nodiscard]] std::size_t count() const noexcept { return allocations(); }
};
} // namespace pinnacle_test
