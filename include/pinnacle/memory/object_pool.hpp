#pragma once
/// @file memory/object_pool.hpp
/// Fixed-capacity object pool with an intrusive free list: one allocation at construction, none
/// after; exhaustion is a status, never undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>

#include "pinnacle/core/status.hpp"
#include "pinnacle/memory/concepts.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define PINNACLE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PINNACLE_ASAN 1
#endif
#endif
#if defined(PINNACLE_ASAN)
#include <sanitizer/asan_interface.h>
#define PINNACLE_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define PINNACLE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define PINNACLE_POISON(p, n) ((void)(p), (void)(n))
#define PINNACLE_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace pinnacle {
inline namespace v0 {

/// A pool of up to `capacity` objects of T, addressed by 32-bit indices. Thread-safety: one thread.
///
/// Released slots form a singly linked list threaded through the slots themselves (no side array);
/// slots never used yet are handed out in order after them.
/// Under AddressSanitizer a released slot's object storage is poisoned, so a use after release
/// is reported; the free-list link and live flag sit outside it, so a double release is ignored.
/// T must be default-constructible and nothrow-destructible.
template <class T>
class object_pool {
    static_assert(std::is_nothrow_default_constructible_v<T>, "object_pool<T> needs noexcept T()");
    static_assert(std::is_nothrow_destructible_v<T>, "object_pool<T> needs noexcept ~T()");

public:
    using value_type = T;               ///< Stored type.
    using index_type = std::uint32_t;   ///< Slot index.
    static constexpr index_type npos = ~index_type{0}; ///< "No slot" (end of free list, null link).

    /// A pool of `capacity` slots (at most 2^32 - 2); allocates once, but touches a slot's memory
    /// only when it is first handed out, so a large capacity costs address space, not time or
    /// resident memory. Throws std::bad_alloc.
    explicit object_pool(std::size_t capacity)
        : slots_(std::make_unique_for_overwrite<slot[]>(capacity)), capacity_(capacity) {}
    object_pool(const object_pool&) = delete;            ///< Not copyable (owns live objects).
    object_pool& operator=(const object_pool&) = delete; ///< Not copyable.
    object_pool(object_pool&&) noexcept = default;       ///< Movable.
    object_pool& operator=(object_pool&&) noexcept = default; ///< Movable.
    /// Destroys every live object.
    ~object_pool() { clear(); }

    /// A default-constructed T in a free slot, or status::pool_exhausted. O(1), no allocation.
    [[nodiscard]] result<index_type> acquire() noexcept {
        index_type i;
        if (free_head_ != npos) {  // most recently released first: its memory is warm
            i = free_head_;
            PINNACLE_UNPOISON(slots_[i].storage, sizeof(T));
            free_head_ = slots_[i].next_free;
        } else if (high_water_ < capacity_) {  // never used yet (or not since clear())
            i = static_cast<index_type>(high_water_++);
            PINNACLE_UNPOISON(slots_[i].storage, sizeof(T));
        } else {
            return status::pool_exhausted;
        }
        slots_[i].live = true;
        ::new (static_cast<void*>(slots_[i].storage)) T();
        ++size_;
        return i;
    }

    /// Destroys the object in slot i and returns the slot to the free list. O(1).
    /// Precondition: i came from acquire() and is live (checked: a bad index is ignored).
    void release(index_type i) noexcept {
        if (i >= high_water_ || !slots_[i].live) return;
        std::launder(reinterpret_cast<T*>(slots_[i].storage))->~T();
        slots_[i].live = false;
        slots_[i].next_free = free_head_;
        free_head_ = i;
        --size_;
        PINNACLE_POISON(slots_[i].storage, sizeof(T));
    }

    /// The object in live slot i. Precondition: i is live.
    [[nodiscard]] T& operator[](index_type i) noexcept { return *std::launder(reinterpret_cast<T*>(slots_[i].storage)); }
    /// The object in live slot i. Precondition: i is live.
    [[nodiscard]] const T& operator[](index_type i) const noexcept {
        return *std::launder(reinterpret_cast<const T*>(slots_[i].storage));
    }

    /// Total number of slots.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// Slots in use.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Free slots.
    [[nodiscard]] std::size_t available() const noexcept { return capacity_ - size_; }

    /// Destroys every live object and frees every slot. O(slots ever used).
    void clear() noexcept {
        if (!slots_) return;
        for (std::size_t i = 0; i < high_water_; ++i) {
            if (slots_[i].live) {
                std::launder(reinterpret_cast<T*>(slots_[i].storage))->~T();
                slots_[i].live = false;
            }
            PINNACLE_POISON(slots_[i].storage, sizeof(T));
        }
        high_water_ = 0;
        free_head_ = npos;
        size_ = 0;
    }

private:
    // Trivial on purpose: the array is left uninitialised and each slot is set up when first used.
    struct slot {
        alignas(T) unsigned char storage[sizeof(T)];
        index_type next_free;
        bool live;
    };
    std::unique_ptr<slot[]> slots_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
    std::size_t high_water_ = 0;  // slots [0, high_water_) have been handed out at least once
    index_type free_head_ = npos;
};

static_assert(Pool<object_pool<int>>, "object_pool must satisfy Pool (docs/concepts.md#pool)");

} // namespace v0
} // namespace pinnacle
