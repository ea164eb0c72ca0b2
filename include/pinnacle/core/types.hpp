#pragma once
/// @file types.hpp
/// Strong integer vocabulary types: price (ticks), qty (lots), notional, order_id, side,
/// timestamp and duration (ns). Swapping a price and a quantity does not compile.

#include "pinnacle/core/requires_cxx20.hpp"

#include <compare>
#include <cstdint>

namespace pinnacle {
inline namespace v0 {

/// A price as a signed count of the instrument's ticks. Thread-safety: value type.
class price {
public:
    /// Zero ticks.
    constexpr price() noexcept = default;
    /// A price of `ticks` ticks; explicit so that a raw integer or a `qty` never converts silently.
    constexpr explicit price(std::int64_t ticks) noexcept : ticks_(ticks) {}
    /// The price in ticks.
    [[nodiscard]] constexpr std::int64_t ticks() const noexcept { return ticks_; }
    /// Sum of two prices, in ticks.
    friend constexpr price operator+(price a, price b) noexcept { return price{a.ticks_ + b.ticks_}; }
    /// Difference of two prices, in ticks.
    friend constexpr price operator-(price a, price b) noexcept { return price{a.ticks_ - b.ticks_}; }
    /// Adds `b` ticks in place.
    constexpr price& operator+=(price b) noexcept { ticks_ += b.ticks_; return *this; }
    /// Subtracts `b` ticks in place.
    constexpr price& operator-=(price b) noexcept { ticks_ -= b.ticks_; return *this; }
    /// Total order on ticks.
    friend constexpr auto operator<=>(price, price) noexcept = default;

private:
    std::int64_t ticks_ = 0;
};

/// A quantity as a signed count of the instrument's lots. Thread-safety: value type.
class qty {
public:
    /// Zero lots.
    constexpr qty() noexcept = default;
    /// A quantity of `lots` lots; explicit so that a raw integer or a `price` never converts silently.
    constexpr explicit qty(std::int64_t lots) noexcept : lots_(lots) {}
    /// The quantity in lots.
    [[nodiscard]] constexpr std::int64_t lots() const noexcept { return lots_; }
    /// Sum of two quantities, in lots.
    friend constexpr qty operator+(qty a, qty b) noexcept { return qty{a.lots_ + b.lots_}; }
    /// Difference of two quantities, in lots.
    friend constexpr qty operator-(qty a, qty b) noexcept { return qty{a.lots_ - b.lots_}; }
    /// Negated quantity (a signed position change).
    friend constexpr qty operator-(qty a) noexcept { return qty{-a.lots_}; }
    /// Adds `b` lots in place.
    constexpr qty& operator+=(qty b) noexcept { lots_ += b.lots_; return *this; }
    /// Subtracts `b` lots in place.
    constexpr qty& operator-=(qty b) noexcept { lots_ -= b.lots_; return *this; }
    /// Total order on lots.
    friend constexpr auto operator<=>(qty, qty) noexcept = default;

private:
    std::int64_t lots_ = 0;
};

/// A notional value in tick-lots (price ticks x lots); the product of a `price` and a `qty`.
class notional {
public:
    /// Zero tick-lots.
    constexpr notional() noexcept = default;
    /// A notional of `tick_lots` tick-lots.
    constexpr explicit notional(std::int64_t tick_lots) noexcept : value_(tick_lots) {}
    /// The value in tick-lots.
    [[nodiscard]] constexpr std::int64_t tick_lots() const noexcept { return value_; }
    /// Sum of two notionals.
    friend constexpr notional operator+(notional a, notional b) noexcept { return notional{a.value_ + b.value_}; }
    /// Difference of two notionals.
    friend constexpr notional operator-(notional a, notional b) noexcept { return notional{a.value_ - b.value_}; }
    /// Negated notional.
    friend constexpr notional operator-(notional a) noexcept { return notional{-a.value_}; }
    /// Adds `b` in place.
    constexpr notional& operator+=(notional b) noexcept { value_ += b.value_; return *this; }
    /// Subtracts `b` in place.
    constexpr notional& operator-=(notional b) noexcept { value_ -= b.value_; return *this; }
    /// Total order on the value.
    friend constexpr auto operator<=>(notional, notional) noexcept = default;

private:
    std::int64_t value_ = 0;
};

/// price x qty -> notional, in tick-lots.
[[nodiscard]] constexpr notional operator*(price p, qty q) noexcept { return notional{p.ticks() * q.lots()}; }
/// qty x price -> notional, in tick-lots.
[[nodiscard]] constexpr notional operator*(qty q, price p) noexcept { return p * q; }

/// The side of an order: buy rests on the bid, sell rests on the ask.
enum class side : std::uint8_t { buy = 0, sell = 1 };

/// The other side.
[[nodiscard]] constexpr side opposite(side s) noexcept { return s == side::buy ? side::sell : side::buy; }
/// +1 for buy, -1 for sell: the sign of the position change when an order of this side fills.
[[nodiscard]] constexpr std::int64_t sign(side s) noexcept { return s == side::buy ? 1 : -1; }

/// An exchange or client order identifier (opaque 64-bit value).
class order_id {
public:
    /// Id 0 (LOBSTER uses 0 for hidden executions).
    constexpr order_id() noexcept = default;
    /// The id `v`.
    constexpr explicit order_id(std::uint64_t v) noexcept : value_(v) {}
    /// The raw value.
    [[nodiscard]] constexpr std::uint64_t value() const noexcept { return value_; }
    /// Equality and order on the raw value.
    friend constexpr auto operator<=>(order_id, order_id) noexcept = default;

private:
    std::uint64_t value_ = 0;
};

/// A span of time in nanoseconds.
class duration {
public:
    /// Zero ns.
    constexpr duration() noexcept = default;
    /// `ns` nanoseconds.
    constexpr explicit duration(std::int64_t ns) noexcept : ns_(ns) {}
    /// The span in ns.
    [[nodiscard]] constexpr std::int64_t ns() const noexcept { return ns_; }
    /// Sum of two spans.
    friend constexpr duration operator+(duration a, duration b) noexcept { return duration{a.ns_ + b.ns_}; }
    /// Difference of two spans.
    friend constexpr duration operator-(duration a, duration b) noexcept { return duration{a.ns_ - b.ns_}; }
    /// Total order on ns.
    friend constexpr auto operator<=>(duration, duration) noexcept = default;

private:
    std::int64_t ns_ = 0;
};

/// A point in time: nanoseconds since the Unix epoch, or since midnight for feeds that give only
/// the time of day (LOBSTER); the source says which.
class timestamp {
public:
    /// Time 0.
    constexpr timestamp() noexcept = default;
    /// `ns` nanoseconds after the epoch.
    constexpr explicit timestamp(std::int64_t ns) noexcept : ns_(ns) {}
    /// Nanoseconds since the epoch.
    [[nodiscard]] constexpr std::int64_t ns() const noexcept { return ns_; }
    /// The time `d` later.
    friend constexpr timestamp operator+(timestamp t, duration d) noexcept { return timestamp{t.ns_ + d.ns()}; }
    /// The time `d` earlier.
    friend constexpr timestamp operator-(timestamp t, duration d) noexcept { return timestamp{t.ns_ - d.ns()}; }
    /// The span between two times.
    friend constexpr duration operator-(timestamp a, timestamp b) noexcept { return duration{a.ns_ - b.ns_}; }
    /// Total order on ns.
    friend constexpr auto operator<=>(timestamp, timestamp) noexcept = default;

private:
    std::int64_t ns_ = 0;
};

} // namespace v0
} // namespace pinnacle
