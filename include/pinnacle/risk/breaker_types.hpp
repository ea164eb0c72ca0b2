#pragma once
/// @file risk/breaker_types.hpp
/// The circuit breaker's value types: its states, its triggers, one transition, its settings.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// State of a circuit breaker (the classic CLOSED / OPEN / HALF_OPEN pattern).
enum class breaker_state : std::uint8_t {
    closed = 0, ///< Normal trading: every order allowed.
    open,       ///< Tripped: no order allowed until the cooldown ends.
    half_open,  ///< Probing: up to max_probe_orders orders allowed; CLOSED after a quiet probe period.
};

/// Stable lower-case name of a breaker state.
[[nodiscard]] constexpr std::string_view to_string(breaker_state s) noexcept {
    switch (s) {
        case breaker_state::closed: return "closed";
        case breaker_state::open: return "open";
        case breaker_state::half_open: return "half_open";
    }
    return "unknown";
}

/// What opened the breaker; the unit of a transition's `value` depends on it.
enum class breaker_trigger : std::uint8_t {
    none = 0,        ///< No trigger: a timed transition (cooldown or probe period over); value 0.
    price_move,      ///< The mid moved too far within the price window; value = the move in bps.
    spread_widening, ///< The spread widened against its EWMA baseline; value = the spread in ticks.
    volume_spike,    ///< Traded volume within the volume window spiked; value = those lots.
    latency,         ///< An order-to-ack latency above the limit; value = the latency in ns.
    market_crisis,   ///< The caller signalled a market crisis (signal_crisis); value 0.
    manual,          ///< Tripped by trip(..., manual, v) (value v), or closed by reset() (value 0).
};

/// Number of breaker_trigger values (for per-trigger counters).
inline constexpr std::size_t breaker_trigger_count = static_cast<std::size_t>(breaker_trigger::manual) + 1;

/// Stable lower-case name of a breaker trigger.
[[nodiscard]] constexpr std::string_view to_string(breaker_trigger t) noexcept {
    switch (t) {
        case breaker_trigger::none: return "none";
        case breaker_trigger::price_move: return "price_move";
        case breaker_trigger::spread_widening: return "spread_widening";
        case breaker_trigger::volume_spike: return "volume_spike";
        case breaker_trigger::latency: return "latency";
        case breaker_trigger::market_crisis: return "market_crisis";
        case breaker_trigger::manual: return "manual";
    }
    return "unknown";
}

/// One state change of a circuit breaker. Thread-safety: value type.
struct breaker_transition {
    timestamp ts;                                 ///< When it took effect (ns): the trigger's time, or the end of the cooldown / probe period.
    breaker_state from = breaker_state::closed;   ///< State before.
    breaker_state to = breaker_state::closed;     ///< State after.
    breaker_trigger trigger = breaker_trigger::none; ///< Cause: none for timed transitions, manual for reset().
    double value = 0.0;                           ///< The trigger's measurement (unit: see breaker_trigger).
};

/// Settings of a circuit_breaker. Durations in ns, prices in ticks, sizes in lots.
/// Every market trigger is disabled by default (its threshold 0).
struct circuit_breaker_config {
    /// Time OPEN lasts after the last trigger (ns, >= 0); then HALF_OPEN. Default 5 s.
    duration cooldown{5'000'000'000};
    /// Time HALF_OPEN lasts (ns, >= 0); CLOSED at its end unless a trigger fired. Default 1 s.
    duration probe_period{1'000'000'000};
    /// Orders allowed in one HALF_OPEN period (>= 0). Default 1.
    std::uint32_t max_probe_orders = 1;

    /// Trip when the mid moves more than this (bps, >= 0) from any mid seen within price_window; 0 = off.
    double price_move_bps = 0.0;
    /// Trailing window of the price-move trigger (ns, > 0 when enabled): mids younger than this count. Default 1 s.
    duration price_window{1'000'000'000};
    /// Capacity of each monotonic mid deque (>= 1 when enabled); see circuit_breaker for the overflow rule.
    std::size_t price_samples = 1024;

    /// Trip when the spread (ticks) exceeds this multiple (>= 0) of its EWMA baseline; 0 = off.
    double spread_multiple = 0.0;
    /// ... and also exceeds this many ticks (>= 0), so a one-tick market widening to two does not trip.
    std::int64_t min_spread_ticks = 0;
    /// Time constant of the time-weighted spread EWMA (ns, > 0 when enabled). Default 60 s.
    duration spread_tau{60'000'000'000};
    /// Observed market time (ns, >= 0) before the spread trigger can fire. Default 10 s.
    duration spread_warmup{10'000'000'000};

    /// Trip when lots traded within volume_window exceed this multiple (>= 0) of the EWMA of the
    /// per-window volume; 0 = off.
    double volume_multiple = 0.0;
    /// ... and also exceed this many lots (>= 0).
    std::int64_t volume_min_lots = 0;
    /// Length of the trailing volume window, and of the tumbling windows of the baseline (ns, > 0 when enabled). Default 1 s.
    duration volume_window{1'000'000'000};
    /// Weight (0, 1] of the newest completed window in the per-window volume EWMA. Default 0.1.
    double volume_alpha = 0.1;
    /// Completed windows (empty ones included) before the volume trigger can fire. Default 10.
    std::uint32_t volume_warmup_windows = 10;
    /// Capacity of the trailing trade ring (>= 1 when enabled); see circuit_breaker for the overflow rule.
    std::size_t trade_samples = 1024;

    /// Trip when an order-to-ack latency exceeds this (ns, >= 0); 0 = off.
    duration max_ack_latency{0};

    /// Transitions kept in the history ring (>= 1); older ones are overwritten.
    std::size_t history_capacity = 64;
};

} // namespace v0
} // namespace pinnacle
