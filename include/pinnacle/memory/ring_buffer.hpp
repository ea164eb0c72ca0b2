#pragma once
/// @file memory/ring_buffer.hpp
/// Fixed-capacity FIFO queue: one allocation at construction, push reports a full queue.

#include <cstddef>
#include <memory>

#include "pinnacle/core/status.hpp"

namespace pinnacle {
inline namespace v0 {

/// FIFO of up to `capacity` values of T (T default-constructible and copyable). Thread-safety: one thread.
template <class T>
class ring_buffer {
public:
    /// A queue for `capacity` (>= 1) elements. Throws std::bad_alloc.
    explicit ring_buffer(std::size_t capacity)
        : data_(std::make_unique<T[]>(capacity == 0 ? 1 : capacity)), capacity_(capacity == 0 ? 1 : capacity) {}

    /// Appends v; status::pool_exhausted when full (nothing changes).
    [[nodiscard]] status push(const T& v) noexcept {
        if (size_ == capacity_) return status::pool_exhausted;
        // head_ + size_ < 2 x capacity_: one conditional subtraction wraps it, where % would divide
        // (tens of cycles, twice per message through a simulated venue).
        std::size_t at = head_ + size_;
        if (at >= capacity_) at -= capacity_;
        data_[at] = v;
        ++size_;
        return status::ok;
    }
    /// The oldest element. Precondition: !empty().
    [[nodiscard]] const T& front() const noexcept { return data_[head_]; }
    /// The oldest element. Precondition: !empty().
    [[nodiscard]] T& front() noexcept { return data_[head_]; }
    /// Removes the oldest element. Precondition: !empty().
    void pop() noexcept {
        if (++head_ == capacity_) head_ = 0;
        --size_;
    }
    /// True when there is nothing queued.
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    /// Elements queued.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Most elements it can hold.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// Drops everything.
    void clear() noexcept { head_ = size_ = 0; }

private:
    std::unique_ptr<T[]> data_;
    std::size_t capacity_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

} // namespace v0
} // namespace pinnacle
