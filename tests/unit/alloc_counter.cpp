#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

// How allocations are counted. Normally by replacing every form of operator new and delete.
// Under clang's ThreadSanitizer that cannot link: clang links the TSan runtime's own operator
// new/delete with --whole-archive, so any replacement is a duplicate definition (the tests did not
// link). There the sanitizer's malloc hook counts instead: every operator new of the program ends
// in the runtime's malloc, which calls the hook (so plain malloc calls count there too).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PINNACLE_TEST_TSAN 1
#endif
#endif
#if !defined(PINNACLE_TEST_TSAN) && defined(__SANITIZE_THREAD__)
#define PINNACLE_TEST_TSAN 1
#endif

#if defined(PINNACLE_TEST_TSAN)
#include <sanitizer/allocator_interface.h>
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

#if defined(PINNACLE_TEST_TSAN)
namespace {
void on_malloc(const volatile void*, std::size_t) { count_one(); }
void on_free(const volatile void*) {}
[[maybe_unused]] const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
} // namespace
#else
namespace {
void* counted_malloc(std::size_t n) noexcept {
    count_one();
    return std::malloc(n == 0 ? 1 : n);
}
void* counted_aligned(std::size_t n, std::align_val_t al) noexcept {
    count_one();
    const auto a = static_cast<std::size_t>(al);
    const std::size_t want = n == 0 ? 1 : n;
    if (want > static_cast<std::size_t>(-1) - a) return nullptr;
    return std::aligned_alloc(a, (want + a - 1) / a * a);  // aligned_alloc wants a multiple of a
}
} // namespace

// Every new that reaches malloc must be paired with a delete that calls free, or AddressSanitizer
// reports a mismatch: hence the nothrow forms (std::stable_sort's buffer uses them) too.
void* operator new(std::size_t n) {
    if (void* p = counted_malloc(n)) return p;
    throw std::bad_alloc{};
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new(std::size_t n, std::align_val_t al) {
    if (void* p = counted_aligned(n, al)) return p;
    throw std::bad_alloc{};
}
void* operator new[](std::size_t n, std::align_val_t al) { return ::operator new(n, al); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept { return counted_aligned(n, al); }
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept { return counted_aligned(n, al); }

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
#endif
