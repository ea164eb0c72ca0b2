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
