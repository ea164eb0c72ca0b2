#pragma once
/// @file route/concepts.hpp
/// Smart order routing vocabulary: a parent order, what one venue offers (venue_quote), the child
/// orders a router sends, and the Router concept. Units: prices in ticks, sizes in lots, times in ns.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// A large order that a router splits into child orders. Thread-safety: value type.
struct parent_order {
    order_id id;                      ///< Parent id; a router starts a new parent when the id changes.
    pinnacle::side side = side::buy;  ///< Buy or sell.
    qty total;                        ///< Size to trade in lots (> 0).
    price limit;                      ///< Limit in ticks: a buy never pays more, a sell never receives less.
    price arrival;                    ///< Arrival (decision) price in ticks: the benchmark for slippage and shortfall.
    double urgency = 0.5;             ///< 0 (patient) .. 1 (urgent); scheduled routers may use it to front-load.
    timestamp start;                  ///< Earliest time a child may be sent (ns).
    timestamp deadline;               ///< At or after this time (ns) the parent expires and its children are cancelled.
};

/// Life cycle of a parent order.
enum class parent_state : std::uint8_t {
    working = 0,       ///< Nothing filled yet, not finished.
    partially_filled,  ///< Some lots filled, not finished.
    filled,            ///< The whole parent quantity filled.
    cancelled,         ///< Cancelled by the owner; working children cancelled.
    expired,           ///< Deadline reached; working children cancelled.
};

/// Stable lower-case name of a parent_state.
[[nodiscard]] constexpr std::string_view to_string(parent_state s) noexcept {
    switch (s) {
        case parent_state::working: return "working";
        case parent_state::partially_filled: return "partially_filled";
        case parent_state::filled: return "filled";
        case parent_state::cancelled: return "cancelled";
        case parent_state::expired: return "expired";
    }
    return "unknown";
}

/// True for the terminal states (filled, cancelled, expired).
[[nodiscard]] constexpr bool is_done(parent_state s) noexcept {
    return s == parent_state::filled || s == parent_state::cancelled || s == parent_state::expired;
}

/// What trading at a venue costs beyond the price: fees (as sim/models.hpp's fee_schedule: per-lot
/// ticks plus bps of notional) and the one-way order-entry latency. Thread-safety: value type.
struct venue_costs {
    std::int64_t maker_ticks_per_lot = 0; ///< Passive fee per lot, ticks (negative = rebate).
    std::int64_t taker_ticks_per_lot = 0; ///< Aggressive fee per lot, ticks.
    double maker_bps = 0.0;               ///< Passive fee, bps of notional.
    double taker_bps = 0.0;               ///< Aggressive fee, bps of notional.
    duration latency{0};                  ///< Order-entry latency to the venue, ns.

    /// Taker fee for one lot at `px`, in ticks (fractional for the bps part):
    /// taker_ticks_per_lot + taker_bps x px / 10,000.
    [[nodiscard]] constexpr double taker_fee_ticks(price px) const noexcept {
        return static_cast<double>(taker_ticks_per_lot) + taker_bps * static_cast<double>(px.ticks()) / 10'000.0;
    }
};

namespace detail {
// Effective price from a venue's precomputed parts: rate = taker bps x 1e-4 (fraction of price),
// fixed = taker ticks per lot + latency penalty (ticks). Routers precompute both once per venue.
[[nodiscard]] constexpr double effective_from(pinnacle::side taker_side, price px, double rate, double fixed) noexcept {
    const double p = static_cast<double>(px.ticks());
    const double adj = p * rate + fixed;
    return taker_side == side::buy ? p + adj : p - adj;
}
// The fixed part: taker ticks per lot + penalty (ticks per ms) x latency (ns) x 1e-6.
[[nodiscard]] constexpr double effective_fixed(const venue_costs& c, double latency_penalty_ticks_per_ms) noexcept {
    return static_cast<double>(c.taker_ticks_per_lot) + latency_penalty_ticks_per_ms * static_cast<double>(c.latency.ns()) * 1e-6;
}
} // namespace detail

/// Fee- and latency-adjusted price, in (fractional) ticks, of taking one lot at `px` on a venue:
/// buying costs px + fee + penalty, selling earns px - fee - penalty, where fee = taker fee per lot
/// (taker_ticks_per_lot + taker_bps x px / 10,000) and penalty = latency_penalty_ticks_per_ms x
/// latency (ms). The penalty prices the risk that a slower venue's quote is gone by the time the
/// order arrives.
[[nodiscard]] constexpr double effective_price(pinnacle::side taker_side, price px, const venue_costs& c,
                                               double latency_penalty_ticks_per_ms) noexcept {
    return detail::effective_from(taker_side, px, c.taker_bps * 1e-4, detail::effective_fixed(c, latency_penalty_ticks_per_ms));
}

/// What one venue offers a router right now: its best levels per side (best first; spans into the
/// caller's storage, e.g. filled by consolidated_book::snapshot) and its costs. Thread-safety:
/// a view; valid while the storage it points into is.
struct venue_quote {
    std::uint32_t venue = 0;          ///< Venue index (the caller's numbering).
    std::span<const level_info> bids; ///< Bid levels, best (highest) first.
    std::span<const level_info> asks; ///< Ask levels, best (lowest) first.
    venue_costs costs{};              ///< Fees and latency.

    /// The levels an order of side `taker` takes: asks for a buy, bids for a sell.
    [[nodiscard]] constexpr std::span<const level_info> opposite(pinnacle::side taker) const noexcept {
        return taker == side::buy ? asks : bids;
    }
};

/// One child order a router wants sent. Thread-safety: value type.
struct child_order {
    order_id id;                          ///< ClOrdID the router assigned (reports must carry it back).
    std::uint32_t venue = 0;              ///< Venue index (venue_quote::venue).
    pinnacle::side side = side::buy;      ///< Same as the parent's.
    price px;                             ///< Limit price in ticks (never beyond the parent's limit).
    qty size;                             ///< Lots (> 0).
    time_in_force tif = time_in_force::ioc; ///< Time in force.
    timestamp send_at;                    ///< When it is meant to be sent (ns); `now` for immediate children.
};

/// A Router splits a parent order into child orders and tracks the parent from the children's reports.
///
/// Requirements (all noexcept, one thread, no heap allocation):
/// - `r.plan(parent, venues, now, out) -> std::size_t`: writes the children to send now into `out`
///   (a caller-provided span; never more than out.size()) and returns how many. Calling it again with
///   the same parent id continues that parent; a new id starts a new one.
/// - `r.on_child_report(report) -> parent_state`: applies a child's execution report (fills update
///   filled qty and average price; cancels and rejects free the child's quantity) and returns the
///   parent's state.
/// - `r.on_timer(now, cancels) -> std::size_t`: at or after the deadline, marks the parent expired
///   and writes the ids of its still-working children (to cancel) into `cancels`; returns how many.
/// - `r.state() -> parent_state`.
template <class R>
concept Router = requires(R& r, const R& cr, const parent_order& p, std::span<const venue_quote> v, timestamp now,
                          std::span<child_order> out, const execution_report& rep, std::span<order_id> ids) {
    { r.plan(p, v, now, out) } noexcept -> std::same_as<std::size_t>;
    { r.on_child_report(rep) } noexcept -> std::same_as<parent_state>;
    { r.on_timer(now, ids) } noexcept -> std::same_as<std::size_t>;
    { cr.state() } noexcept -> std::same_as<parent_state>;
};

} // namespace v0
} // namespace pinnacle
