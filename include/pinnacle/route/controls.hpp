#pragma once
/// @file route/controls.hpp
/// The controls every router applies (limit, max slippage, per-venue share, latency penalty) and
/// the effective limit they give a parent.

#include <algorithm>
#include <cstdint>

#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/largest_remainder.hpp"

namespace pinnacle {
inline namespace v0 {

/// Controls every router applies. Thread-safety: value type.
struct route_controls {
    double max_slippage_bps = -1.0;           ///< Children priced beyond arrival x (1 +/- bps / 10^4) are not sent; < 0 = off.
    double max_venue_share = 1.0;             ///< Most of the parent (fraction of total) filled + working at one venue.
    double latency_penalty_ticks_per_ms = 0.0; ///< Effective-price penalty per ms of venue latency (ticks).
    std::uint64_t first_child_id = 1;         ///< ClOrdID of the first child; later children count up.
};

/// The worst price a child of `p` may carry: the parent's limit, tightened by the slippage control
/// (buy: arrival + floor(arrival x bps / 10^4); sell: arrival - floor(arrival x bps / 10^4)), ticks.
[[nodiscard]] inline price effective_limit(const parent_order& p, const route_controls& c) noexcept {
    if (c.max_slippage_bps < 0.0) return p.limit;
    const std::int64_t band =
        detail::floor_to_int(static_cast<double>(p.arrival.ticks()) * c.max_slippage_bps / 10'000.0 + 1e-9);
    if (p.side == side::buy) return std::min(p.limit, p.arrival + price{band});
    return std::max(p.limit, p.arrival - price{band});
}

} // namespace v0
} // namespace pinnacle
