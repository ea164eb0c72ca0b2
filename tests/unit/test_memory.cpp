#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <type_traits>
#include <vector>

#include "alloc_counter.hpp"
#include "pinnacle/memory/object_pool.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/memory/ring_buffer.hpp"

using namespace pinnacle;

namespace {
struct probe {
    static inline int live = 0;
    int value = 7;
    probe() noexcept { ++live; }
    ~probe() { --live; }
};
} // namespace

TEST_CASE("object_pool hands out every slot, then reports exhaustion instead of failing") {
    object_pool<int> pool(4);
    CHECK(pool.capacity() == 4);
    std::vector<object_pool<int>::index_type> got;
    for (int i = 0; i < 4; ++i) {
        auto r = pool.acquire();
        REQUIRE(r.has_value());
        pool[*r] = i * 10;
        got.push_back(*r);
    }
    CHECK(pool.size() == 4);
    CHECK(pool.available() == 0);
    auto none = pool.acquire();
    CHECK_FALSE(none.has_value());
    CHECK(none.error() == status::pool_exhausted);
    for (int i = 0; i < 4; ++i) CHECK(pool[got[static_cast<std::size_t>(i)]] == i * 10);
}

TEST_CASE("object_pool reuses released slots and constructs/destroys objects exactly once") {
    probe::live = 0;
    {
        object_pool<probe> pool(3);
        auto a = pool.acquire();
        auto b = pool.acquire();
        REQUIRE(a.has_value());
        REQUIRE(b.has_value());
        CHECK(probe::live == 2);
        CHECK(pool[*a].value == 7);
        pool[*a].value = 42;
        pool.release(*a);
        CHECK(probe::live == 1);
        pool.release(*a);  // double release is ignored, not a corruption of the free list
        CHECK(pool.size() == 1);
        auto c = pool.acquire();
        REQUIRE(c.has_value());
        CHECK(*c == *a);              // LIFO free list: the hot slot comes back first
        CHECK(pool[*c].value == 7);   // freshly constructed, not the stale 42
        auto d = pool.acquire();
        REQUIRE(d.has_value());
        CHECK_FALSE(pool.acquire().has_value());
        CHECK(probe::live == 3);
    }
    CHECK(probe::live == 0);  // the pool's destructor destroyed what was still live
}

TEST_CASE("object_pool does not allocate after construction") {
    object_pool<std::uint64_t> pool(1024);
    pinnacle_test::alloc_scope scope;
    for (int round = 0; round < 10; ++round) {
        object_pool<std::uint64_t>::index_type held[1024];
        for (auto& h : held) h = *pool.acquire();
        for (auto h : held) pool.release(h);
    }
    CHECK(scope.count() == 0);
}

TEST_CASE("object_pool clear() frees every slot") {
    object_pool<int> pool(2);
    (void)pool.acquire();
    (void)pool.acquire();
    pool.clear();
    CHECK(pool.size() == 0);
    CHECK(pool.acquire().has_value());
    CHECK(pool.acquire().has_value());
    CHECK_FALSE(pool.acquire().has_value());
}

#if defined(PINNACLE_ASAN)
TEST_CASE("object_pool poisons released slots under AddressSanitizer") {
    object_pool<std::uint64_t> pool(2);
    auto a = pool.acquire();
    REQUIRE(a.has_value());
    std::uint64_t* p = &pool[*a];
    CHECK(__asan_address_is_poisoned(p) == 0);
    pool.release(*a);
    CHECK(__asan_address_is_poisoned(p) != 0);  // a read through p would now be reported
    auto b = pool.acquire();
    REQUIRE(b.has_value());
    CHECK(__asan_address_is_poisoned(&pool[*b]) == 0);
}
#endif

TEST_CASE("ring_buffer: FIFO across many wrap-arounds, full and empty, against std::deque") {
    for (const std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{64}}) {
        CAPTURE(cap);
        ring_buffer<int> rb(cap);
        std::deque<int> ref;
        std::mt19937_64 g(cap);
        int next = 0;
        for (int step = 0; step < 20'000; ++step) {
            if (g() % 2 == 0) {
                const status st = rb.push(next);
                if (ref.size() == cap) {
                    REQUIRE(st == status::pool_exhausted);  // full: nothing changes
                } else {
                    REQUIRE(st == status::ok);
                    ref.push_back(next);
                }
                ++next;
            } else if (!ref.empty()) {
                REQUIRE(rb.front() == ref.front());
                rb.pop();
                ref.pop_front();
            }
            REQUIRE(rb.size() == ref.size());
            REQUIRE(rb.empty() == ref.empty());
            if (!ref.empty()) REQUIRE(rb.front() == ref.front());
        }
        CHECK(rb.capacity() == cap);
    }
}

TEST_CASE("ring_buffer as a deque: back, pop_back, full and indexing agree with std::deque across wraps") {
    for (const std::size_t cap : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{32}}) {
        CAPTURE(cap);
        ring_buffer<int> rb(cap);
        std::deque<int> ref;
        std::mt19937_64 g(cap + 100);
        int next = 0;
        for (int step = 0; step < 20'000; ++step) {
            const auto op = g() % 3;
            if (op == 0) {
                if (rb.full()) rb.pop();  // the breaker's history: drop the oldest to make room
                if (ref.size() == cap) ref.pop_front();
                REQUIRE(rb.push(next) == status::ok);
                ref.push_back(next++);
            } else if (op == 1 && !ref.empty()) {
                REQUIRE(rb.back() == ref.back());
                rb.pop_back();
                ref.pop_back();
            } else if (!ref.empty()) {
                rb.pop();
                ref.pop_front();
            }
            REQUIRE(rb.size() == ref.size());
            REQUIRE(rb.full() == (ref.size() == cap));
            for (std::size_t i = 0; i < ref.size(); ++i) REQUIRE(rb[i] == ref[i]);
            if (!ref.empty()) {
                REQUIRE(rb.front() == ref.front());
                REQUIRE(rb.back() == ref.back());
            }
        }
    }
}

namespace {
enum class probe_error : std::uint8_t { none = 0, too_small, too_big };
}

TEST_CASE("result<T, E>: one result type with any error enum whose zero means no error") {
    const result<int, probe_error> ok = 42;
    CHECK(ok.has_value());
    CHECK(static_cast<bool>(ok));
    CHECK(ok.error() == probe_error::none);
    CHECK(*ok == 42);
    const result<int, probe_error> bad = probe_error::too_big;
    CHECK_FALSE(bad.has_value());
    CHECK(bad.error() == probe_error::too_big);
    CHECK(bad.value_or(7) == 7);
    const result<int> st = status::pool_exhausted;  // E defaults to status
    CHECK(st.error() == status::pool_exhausted);
    static_assert(std::is_same_v<result<int>::error_type, status>);
}
