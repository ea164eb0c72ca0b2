#pragma once
/// @file book/concepts.hpp
/// DepthView (read-only top-N access) and OrderBook (mutable by market events) concepts.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// One aggregated price level: price (ticks), total size (lots), number of orders resting there.
struct level_info {
    price px;                 ///< Level price in ticks.
    qty size;                 ///< Total visible size in lots.
    std::uint32_t orders = 0; ///< Orders at the level (liquidity of unknown origin counts as one).
    /// Field-wise equality.
    friend constexpr bool operator==(const level_info&, const level_info&) noexcept = default;
};

/// Read-only access to the best levels of both sides of a book.
///
/// Requirements (noexcept): `b.depth(s)` is the number of price levels on side s; `b.level(s, i)`
/// is the i-th best level (i = 0 is the best bid or best ask) for i < depth(s).
template <class B>
concept DepthView = requires(const B& b, side s, std::size_t i) {
    { b.depth(s) } noexcept -> std::same_as<std::size_t>;
    { b.level(s, i) } noexcept -> std::same_as<level_info>;
};

/// A book that market events change.
///
/// Requirements: a DepthView, plus `b.apply(event) noexcept -> status` (events the book cannot
/// use return `status::not_supported` and change nothing) and `b.clear() noexcept`.
template <class B>
concept OrderBook = DepthView<B> && requires(B& b, const market_event& e) {
    { b.apply(e) } noexcept -> std::same_as<status>;
    { b.clear() } noexcept -> std::same_as<void>;
};

/// The best bid of a book, if any.
template <DepthView B>
[[nodiscard]] std::optional<level_info> best_bid(const B& b) noexcept {
    if (b.depth(side::buy) == 0) return std::nullopt;
    return b.level(side::buy, 0);
}

/// The best ask of a book, if any.
template <DepthView B>
[[nodiscard]] std::optional<level_info> best_ask(const B& b) noexcept {
    if (b.depth(side::sell) == 0) return std::nullopt;
    return b.level(side::sell, 0);
}

/// True when price `a` is better than `b` for a resting order on side s (higher bid, lower ask).
[[nodiscard]] constexpr bool better(side s, price a, price b) noexcept { return s == side::buy ? a > b : a < b; }

} // namespace v0
} // namespace pinnacle
