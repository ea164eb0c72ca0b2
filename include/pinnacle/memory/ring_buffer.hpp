#pragma once
/// @file memory/ring_buffer.hpp
/// The library's one fixed-capacity ring: one allocation at construction, push reports a full queue.
/// A FIFO queue that can also be read by index and trimmed at the back (a monotonic deque).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "pinnacle/core/status.hpp"

namespace pinnacle {
inline namespace v0 {

/// Ring of up to `capacity` values of T (T default-constructible and copyable): push at the back,
/// pop at either end, read any element by its position from the front. Thread-safety: one thread.
template <class T>
class ring_buffer {
public:
    /// A queue for `capacity` (>= 1) elements. Throws std::bad_alloc.
    explicit ring_buffer(std::size_t capacity)
        : data_(std::make_unique<T[]>(capacity == 0 ? 1 : capacity)), capacity_(capacity == 0 ? 1 : capacity) {}

    /// Appends v; status::pool_exhausted when full (nothing changes).
    [[nodiscard]] status push(const T& v) noexcept {
        if (size_ == capacity_) return status::pool_exhausted;
        data_[wrap(head_ + size_)] = v;
        ++size_;
        return status::ok;
    }
    /// The oldest element. Precondition: !empty().
    [[nodiscard]] const T& front() const noexcept { return data_[head_]; }
    /// The oldest element. Precondition: !empty().
    [[nodiscard]] T& front() noexcept { return data_[head_]; }
    /// The newest element. Precondition: !empty().
    [[nodiscard]] const T& back() const noexcept { return data_[wrap(head_ + size_ - 1)]; }
    /// The newest element. Precondition: !empty().
    [[nodiscard]] T& back() noexcept { return data_[wrap(head_ + size_ - 1)]; }
    /// The i-th element from the front (0 = oldest). Precondition: i < size().
    [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[wrap(head_ + i)]; }
    /// Removes the oldest element. Precondition: !empty().
    void pop() noexcept {
        if (++head_ == capacity_) head_ = 0;
        --size_;
    }
    /// Removes the newest element. Precondition: !empty().
    void pop_back() noexcept { --size_; }
    /// True when it holds `capacity()` elements (push would fail).
    [[nodiscard]] bool full() const noexcept { return size_ == capacity_; }
    /// True when there is nothing queued.
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    /// Elements queued.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Most elements it can hold.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// Drops everything.
    void clear() noexcept { head_ = size_ = 0; }

    /// Snapshot hook (journal/snapshot.hpp): the size, then the elements front to back; loading
    /// refuses more than the capacity (ar.fail). T must be trivially copyable.
    template <class Ar>
    void persist(Ar& ar) {
        std::uint64_t n = size_;
        ar.value(n);
        if constexpr (Ar::loading) {
            if (n > capacity_) ar.fail("ring_buffer: more elements than its capacity");
            clear();
            for (std::uint64_t i = 0; i < n; ++i) {
                T v{};
                ar.value(v);
                data_[wrap(head_ + size_)] = v;
                ++size_;
            }
        } else {
            for (std::size_t i = 0; i < size_; ++i) ar.value(data_[wrap(head_ + i)]);
        }
    }

private:
    // i < 2 x capacity_ wherever it is called: one conditional subtraction wraps it, where % would
    // divide (tens of cycles, twice per message through a simulated venue).
    [[nodiscard]] std::size_t wrap(std::size_t i) const noexcept { return i >= capacity_ ? i - capacity_ : i; }

    std::unique_ptr<T[]> data_;
    std::size_t capacity_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

} // namespace v0
} // namespace pinnacle
