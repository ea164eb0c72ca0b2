#pragma once
/// @file instrument.hpp
/// What a `price` tick and a `qty` lot mean for one instrument, and decimal conversion at the edges.

#include <cstdint>
#include <string>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Static description of a tradable instrument. Thread-safety: value type, read-only after setup.
///
/// A `price` counts ticks of `tick_size` feed units; the feed quotes `price_scale` feed units per
/// currency unit. LOBSTER: price_scale = 10,000 (dollars x 10,000) and tick_size = 1, so every
/// LOBSTER price is exact; quotes are rounded to `quote_increment` ticks (100 = $0.01, the NASDAQ
/// increment for stocks at or above $1, Reg NMS Rule 612).
struct instrument {
    std::string symbol;                 ///< Ticker, e.g. "AMZN".
    std::int64_t price_scale = 10'000;  ///< Feed price units per currency unit.
    std::int64_t tick_size = 1;         ///< Feed price units per tick.
    std::int64_t lot_size = 1;          ///< Shares (or contracts, coins) per lot.
    std::int64_t quote_increment = 100; ///< Ticks between prices a quote may use.

    /// Ticks of a price given in feed units (truncates toward zero if not a whole tick).
    [[nodiscard]] constexpr price from_feed(std::int64_t feed_units) const noexcept {
        return price{feed_units / tick_size};
    }
    /// A price in currency units (for reports only, never for matching).
    [[nodiscard]] constexpr double to_currency(price p) const noexcept {
        return static_cast<double>(p.ticks()) * static_cast<double>(tick_size) / static_cast<double>(price_scale);
    }
    /// A notional in currency units (tick-lots -> currency).
    [[nodiscard]] constexpr double to_currency(notional n) const noexcept {
        return static_cast<double>(n.tick_lots()) * static_cast<double>(tick_size) * static_cast<double>(lot_size) /
               static_cast<double>(price_scale);
    }
    /// The size of one tick in currency units.
    [[nodiscard]] constexpr double tick_value() const noexcept {
        return static_cast<double>(tick_size) / static_cast<double>(price_scale);
    }
};

/// The instrument description LOBSTER files imply: dollars x 10,000, one share per lot, $0.01 quotes.
[[nodiscard]] inline instrument lobster_instrument(std::string symbol = {}) {
    return instrument{std::move(symbol), 10'000, 1, 1, 100};
}

} // namespace v0
} // namespace pinnacle
