#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

// ThreadSanitizer's runtime defines the array forms of operator new and delete itself, so
// replacing them too fails to link (duplicate symbols); under TSan only the scalar forms are
// replaced and new[] goes uncounted there. The other presets count both.
#if defined(__SANITIZE_THREAD__)
#define PINNACLE_TEST_REPLACE_ARRAY_NEW 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PINNACLE_TEST_REPLACE_ARRAY_NEW 0
#endif
#endif
#ifndef PINNACLE_TEST_REPLACE_ARRAY_NEW
#define PINNACLE_TEST_REPLACE_ARRAY_NEW 1
#endif

namespace pinnacle_test {
std::atomic<std::size_t>& allocations() noexcept {
    static std::atomic<std::size_t> n{0};
    return n;
}
std::atomic<bool>& counting() noexcept {
    static std::atomic<bool> on{false};
    return on;
}
} // namespace pinnacle_test

namespace {
void count_one() noexcept {
    if (pinnacle_test::counting().load(std::memory_order_relaxed))
        pinnacle_test::allocations().fetch_add(1, std::memory_order_relaxed);
}
} // namespace

void* operator new(std::size_t n) {
    count_one();
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's buffer uses them): every new that reaches malloc
// must be paired with a delete that calls free, or AddressSanitizer reports a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    count_one();
    return std::malloc(n == 0 ? 1 : n);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
#if PINNACLE_TEST_REPLACE_ARRAY_NEW
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif
