#pragma once
/// @file status.hpp
/// Hot-path error codes and the library's one result type, `result<T, E = status>` (GCC 12 in
/// C++20 mode has no `<expected>`).

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
    disconnected,       ///< The venue's session is not up (connecting or down): nothing was sent.
    throttled,          ///< The venue's rate limit is reached: nothing was sent; try again later.
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
        case status::disconnected: return "disconnected";
        case status::throttled: return "throttled";
    }
    return "unknown_status";
}

/// A value of type T, or the error code of type E that says why there is none. Thread-safety:
/// value type. E is an enum whose zero value means "no error" (`status::ok`, `var_error::none`);
/// each part keeps its own codes (order-path `status`, `var_error`, ...) and shares this type.
/// A failed result holds a value-initialised T.
template <class T, class E = status>
class [[nodiscard]] result {
    static_assert(std::is_nothrow_move_constructible_v<T>, "result<T, E> needs a nothrow-movable T");
    static_assert(std::is_nothrow_default_constructible_v<T>, "result<T, E> needs a nothrow default-constructible T");
    static_assert(std::is_enum_v<E>, "result<T, E> needs an enum E whose zero value means no error");

public:
    /// The error type.
    using error_type = E;
    /// A successful result holding `v`.
    constexpr result(T v) noexcept : value_(std::move(v)), status_(E{}) {}  // NOLINT: implicit by design
    /// A failed result; `s` must not be E's zero ("no error") value.
    constexpr result(E s) noexcept : value_(), status_(s) {}  // NOLINT: implicit by design
    /// True when a value is held.
    [[nodiscard]] constexpr bool has_value() const noexcept { return status_ == E{}; }
    /// Same as has_value().
    constexpr explicit operator bool() const noexcept { return has_value(); }
    /// The error code (E's zero value, e.g. `status::ok`, when a value is held).
    [[nodiscard]] constexpr E error() const noexcept { return status_; }
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
    E status_;
};

} // namespace v0
} // namespace pinnacle
