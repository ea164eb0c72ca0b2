#pragma once
/// @file status.hpp
/// Hot-path error codes and a small `result<T>` (GCC 12 in C++20 mode has no `<expected>`).

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace pinnacle {
inline namespace v0 {

/// Outcome of a hot-path operation; never ignore it.
enum class [[nodiscard]] status : std::uint8_t {
    ok = 0,             ///< Done.
    unknown_order,      ///< No order with that id is known (or it is on another side / price).
    duplicate_order,    ///< An order with that id already exists.
    pool_exhausted,     ///< A fixed-capacity pool has no free slot.
    invalid_qty,        ///< Quantity is not positive, or exceeds what the order or level holds.
    invalid_price,      ///< Price is out of range for the operation.
    invalid_side,       ///< Side does not match the order or level.
    book_full,          ///< A bounded book has no room for another level.
    rejected,           ///< Refused by a risk check or a venue rule.
    halted,             ///< Trading is halted.
    not_supported,      ///< This component does not handle that kind of event.
};

/// Stable lower-case name of a status, for logs and reports.
[[nodiscard]] constexpr std::string_view to_string(status s) noexcept {
    switch (s) {
        case status::ok: return "ok";
        case status::unknown_order: return "unknown_order";
        case status::duplicate_order: return "duplicate_order";
        case status::pool_exhausted: return "pool_exhausted";
        case status::invalid_qty: return "invalid_qty";
        case status::invalid_price: return "invalid_price";
        case status::invalid_side: return "invalid_side";
        case status::book_full: return "book_full";
        case status::rejected: return "rejected";
        case status::halted: return "halted";
        case status::not_supported: return "not_supported";
    }
    return "unknown_status";
}

/// A value of type T, or the status that says why there is none. Thread-safety: value type.
template <class T>
class [[nodiscard]] result {
    static_assert(std::is_nothrow_move_constructible_v<T>, "result<T> needs a nothrow-movable T");

public:
    /// A successful result holding `v`.
    constexpr result(T v) noexcept : value_(std::move(v)), status_(status::ok) {}  // NOLINT: implicit by design
    /// A failed result; `s` must not be `status::ok`.
    constexpr result(status s) noexcept : value_(), status_(s) {}  // NOLINT: implicit by design
    /// True when a value is held.
    [[nodiscard]] constexpr bool has_value() const noexcept { return status_ == status::ok; }
    /// Same as has_value().
    constexpr explicit operator bool() const noexcept { return has_value(); }
    /// The status (`ok` when a value is held).
    [[nodiscard]] constexpr status error() const noexcept { return status_; }
    /// The value; precondition: has_value().
    [[nodiscard]] constexpr const T& value() const& noexcept { return value_; }
    /// The value; precondition: has_value().
    [[nodiscard]] constexpr T& value() & noexcept { return value_; }
    /// The value, or `fallback` when there is none.
    [[nodiscard]] constexpr T value_or(T fallback) const noexcept { return has_value() ? value_ : fallback; }
    /// Member access to the value; precondition: has_value().
    constexpr const T* operator->() const noexcept { return &value_; }
    /// The value; precondition: has_value().
    constexpr const T& operator*() const noexcept { return value_; }

private:
    T value_;
    status status_;
};

} // namespace v0
} // namespace pinnacle
