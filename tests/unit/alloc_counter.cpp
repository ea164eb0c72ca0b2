#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace pinnacle_test {
std::size_t& allocations() noexcept {
    static std::size_t n = 0;
    return n;
}
bool& counting() noexcept {
    static bool on = false;
    return on;
}
} // namespace pinnacle_test

void* operator new(std::size_t n) {
    if (pinnacle_test::counting()) ++pinnacle_test::allocations();
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc{};
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's buffer uses them): every new that reaches malloc
// must be paired with a delete that calls free, or AddressSanitizer reports a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    if (pinnacle_test::counting()) ++pinnacle_test::allocations();
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
