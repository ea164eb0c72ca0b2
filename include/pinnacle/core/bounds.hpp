#pragma once
/// @file core/bounds.hpp
/// The documented bounds of every quantity that enters the library (docs/design.md, section "Bounds").
/// Readers, configuration checks and command lines refuse values beyond them with a clear error;
/// within them the integer arithmetic of the book, ledger, breaker and routers cannot overflow
/// (each site states why, in terms of these constants).

#include "pinnacle/core/requires_cxx20.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace pinnacle {
inline namespace v0 {
namespace bounds {

/// Highest price a book, reader or venue accepts, in ticks: 10^10 (< 2^34). LOBSTER's dummy
/// price is 9,999,999,999 ($999,999.9999 at its $0.0001 tick), so every real LOBSTER price fits.
/// Prices are positive: 1 .. max_price_ticks.
inline constexpr std::int64_t max_price_ticks = 10'000'000'000;

/// Largest size of one order, and of one price level's total, in lots: 10^8 (< 2^27).
inline constexpr std::int64_t max_qty_lots = 100'000'000;

/// Largest notional of one order or level, tick-lots: max_price_ticks x max_qty_lots = 10^18,
/// nine times below INT64_MAX (9.22 x 10^18), so a price x qty never overflows and a sum of up
/// to nine of them does not either.
inline constexpr std::int64_t max_notional_tick_lots = max_price_ticks * max_qty_lots;
static_assert(max_notional_tick_lots / max_qty_lots == max_price_ticks, "price x qty bound overflows");
static_assert(max_notional_tick_lots <= INT64_MAX / 9, "the notional bound leaves headroom for sums");

/// Largest timestamp, ns: 2^62 (year 2116 since the Unix epoch, or any time-of-day clock).
/// A timestamp plus any duration within max_duration_ns stays below INT64_MAX.
inline constexpr std::int64_t max_timestamp_ns = std::int64_t{1} << 62;

/// Largest latency, window, cooldown or other configured span of time, ns: 2^61 (73 years).
inline constexpr std::int64_t max_duration_ns = std::int64_t{1} << 61;
static_assert(max_timestamp_ns <= INT64_MAX - max_duration_ns, "a bounded time plus a bounded span fits in int64");

/// Largest magnitude of a fee rate in basis points of notional: 10,000 bps (100%). A fee of
/// max_notional_tick_lots x 10,000 / 10,000 = 10^18 tick-lots still fits a notional.
inline constexpr double max_fee_bps = 10'000.0;

/// Largest magnitude of a per-lot fee in ticks: 10^6 (with a lot of max_qty_lots the fee is
/// 10^14 tick-lots).
inline constexpr std::int64_t max_fee_ticks_per_lot = 1'000'000;

/// Lowest order rate a rate limit accepts, orders per second of event time: 10^-6 (one order in
/// 11.6 days). Its emission interval is then at most 10^15 ns.
inline constexpr double min_orders_per_second = 1e-6;

/// Highest order rate a rate limit accepts, orders per second: 10^9 (one per ns).
inline constexpr double max_orders_per_second = 1e9;

/// Largest burst of a rate limit, orders: 10^3. Its tolerance, (burst - 1) x the interval, is
/// then below 10^18 ns, and tolerance + interval stay within max_duration_ns (2.3 x 10^18).
inline constexpr double max_order_burst = 1e3;
static_assert(max_order_burst * (1e9 / min_orders_per_second) <= static_cast<double>(max_duration_ns),
              "the slowest, widest rate limit fits a bounded duration");

/// Longest line a text reader accepts, bytes: 1 MiB (a LOBSTER orderbook row of 50 levels is
/// under 3 KiB). Stops a reader pointed at /dev/zero or a binary file from growing without bound.
inline constexpr std::size_t max_line_bytes = std::size_t{1} << 20;

/// True when `ticks` is a price the library accepts (1 .. max_price_ticks).
[[nodiscard]] constexpr bool price_ok(std::int64_t ticks) noexcept { return ticks >= 1 && ticks <= max_price_ticks; }

/// True when `lots` is an order or level size the library accepts (1 .. max_qty_lots).
[[nodiscard]] constexpr bool qty_ok(std::int64_t lots) noexcept { return lots >= 1 && lots <= max_qty_lots; }

/// True when `bps` is a finite fee rate within +-max_fee_bps.
[[nodiscard]] inline bool fee_bps_ok(double bps) noexcept { return std::isfinite(bps) && std::fabs(bps) <= max_fee_bps; }

/// a + b, or +-INT64_MAX in its direction when it would overflow (then `overflowed` is set). For
/// run-long accumulators, whose size the input bounds alone cannot cap. The helpers saturate at
/// -INT64_MAX, not INT64_MIN, so a saturated value can still be negated.
[[nodiscard]] constexpr std::int64_t add_or_saturate(std::int64_t a, std::int64_t b, bool& overflowed) noexcept {
    std::int64_t r = 0;
    if (!__builtin_add_overflow(a, b, &r) && r != INT64_MIN) return r;
    overflowed = true;
    return b > 0 ? INT64_MAX : -INT64_MAX;
}

/// a - b, or +-INT64_MAX in its direction when it would overflow (then `overflowed` is set).
[[nodiscard]] constexpr std::int64_t sub_or_saturate(std::int64_t a, std::int64_t b, bool& overflowed) noexcept {
    std::int64_t r = 0;
    if (!__builtin_sub_overflow(a, b, &r) && r != INT64_MIN) return r;
    overflowed = true;
    return b < 0 ? INT64_MAX : -INT64_MAX;
}

/// a x b, or +-INT64_MAX by the product's sign when it would overflow (then `overflowed` is set).
[[nodiscard]] constexpr std::int64_t mul_or_saturate(std::int64_t a, std::int64_t b, bool& overflowed) noexcept {
    std::int64_t r = 0;
    if (!__builtin_mul_overflow(a, b, &r) && r != INT64_MIN) return r;
    overflowed = true;
    return (a < 0) != (b < 0) ? -INT64_MAX : INT64_MAX;
}

} // namespace bounds
} // namespace v0
} // namespace pinnacle
