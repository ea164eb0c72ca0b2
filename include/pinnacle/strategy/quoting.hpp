#pragma once
/// @file strategy/quoting.hpp
/// Quote placement rules shared by the quoting models: rounding away from the touch to the quote
/// increment, never crossing the book, per-side position limits, configuration checks.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>
#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif
#include "pinnacle/core/config_check.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"  // round_up / round_down to the quote increment
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

namespace detail {

/// True when `m` is a top of book worth quoting against: trading, both sides present, not crossed
/// or locked.
[[nodiscard]] constexpr bool quotable(const market_snapshot& m) noexcept {
    return m.trading && m.has_bid && m.has_ask && m.best_bid < m.best_ask;
}

/// Grid, spread floor and size limits applied by `place_quotes`.
struct quote_rules {
    std::int64_t increment = 1;        ///< Ticks between allowed quote prices, > 0.
    std::int64_t min_spread_ticks = 0; ///< Floor on bid-to-ask distance before rounding (ticks), >= 0.
    qty order_qty{};                   ///< Size of each quote (lots), > 0.
    qty max_position{};                ///< Soft cap (lots, >= 0): sizes are cut so a fill of the new quote stays within it from the position known now.
};

/// The placement rules of `avellaneda_stoikov::on_market`, for strategies that compute their own
/// unrounded bid `bid_t` and ask `ask_t` (ticks, doubles):
///
/// - a side whose price is NaN, infinite or beyond +-2^62 ticks is not quoted (a model that puts
///   its reservation bid at -infinity refuses to buy);
/// - when both sides are quoted and closer than `min_spread_ticks`, they are moved apart
///   symmetrically about their midpoint to exactly that distance;
/// - prices are rounded AWAY from the touch onto multiples of `increment` (bid down, ask up), a
///   value within 1e-6 ticks of a whole tick counting as that tick (binary floating point);
/// - the bid is capped one increment below the best ask and the ask floored one increment above the
///   best bid (caps rounded onto the grid in the safe direction): never crossing or locking;
/// - sizes: min(order_qty, max_position - position) to buy, min(order_qty, max_position + position)
///   to sell; a side with no size left is inactive.
///
/// Precondition: `quotable(m)`, `r.increment` > 0. noexcept, no allocation, deterministic.
[[nodiscard]] inline quote_pair place_quotes(double bid_t, double ask_t, const market_snapshot& m, qty position,
                                             const quote_rules& r) noexcept {
    quote_pair out{};
    // |x| < limit also rejects NaN and +-inf; the bound keeps the casts below defined and leaves
    // headroom for the increment arithmetic.
    constexpr double limit = 0x1p62;
    bool has_bid = std::fabs(bid_t) < limit;
    bool has_ask = std::fabs(ask_t) < limit;
    if (has_bid && has_ask) {
        const double floor_ticks = static_cast<double>(r.min_spread_ticks);
        if (ask_t - bid_t < floor_ticks) {
            const double centre = (bid_t + ask_t) * 0.5;
            bid_t = centre - floor_ticks * 0.5;
            ask_t = centre + floor_ticks * 0.5;
            has_bid = std::fabs(bid_t) < limit;
            has_ask = std::fabs(ask_t) < limit;
        }
    }

    constexpr double snap_ticks = 1e-6;
    const std::int64_t inc = r.increment;
    const std::int64_t bb = m.best_bid.ticks();
    const std::int64_t ba = m.best_ask.ticks();
    std::int64_t bid = 0;
    std::int64_t ask = 0;
    if (has_bid) {
        bid = avellaneda_stoikov::round_down(static_cast<std::int64_t>(std::floor(bid_t + snap_ticks)), inc);
        bid = std::min(bid, avellaneda_stoikov::round_down(ba - inc, inc));
    }
    if (has_ask) {
        ask = avellaneda_stoikov::round_up(static_cast<std::int64_t>(std::ceil(ask_t - snap_ticks)), inc);
        ask = std::max(ask, avellaneda_stoikov::round_up(bb + inc, inc));
    }
    if (has_bid && has_ask && !(bid < ask)) return out;

    const std::int64_t pos = position.lots();
    const std::int64_t lim = r.max_position.lots();
    const std::int64_t bid_size = std::min(r.order_qty.lots(), lim - pos);  // a buy fill adds
    const std::int64_t ask_size = std::min(r.order_qty.lots(), lim + pos);  // a sell fill subtracts
    if (has_bid && bid_size > 0) out.bid = quote{price{bid}, qty{bid_size}, true};
    if (has_ask && ask_size > 0) out.ask = quote{price{ask}, qty{ask_size}, true};
    return out;
}

/// Fill counters kept by the strategies (`on_execution`): fill reports, lots bought, lots sold.
struct fill_counters {
    std::uint64_t fills = 0; ///< Fill reports seen.
    qty bought{};            ///< Lots bought in fills.
    qty sold{};              ///< Lots sold in fills.

    /// Counts `r` if it is a fill; other reports are ignored.
    constexpr void on_execution(const execution_report& r) noexcept {
        if (r.type != exec_type::fill) return;
        ++fills;
        if (r.side == side::buy) bought += r.last_qty;
        else sold += r.last_qty;
    }
};

} // namespace detail

} // namespace v0
} // namespace pinnacle
