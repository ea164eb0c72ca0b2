#pragma once
/// @file venue/orders.hpp
/// Our own orders: what a strategy wants (quotes), what goes to risk and the venue (order_intent),
/// and what comes back (execution_report, the FIX ExecutionReport's essentials).

#include <cstdint>
#include <string_view>

#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// One side of a two-sided quote: a limit price (ticks) and size (lots); inactive means "no order".
struct quote {
    price px;            ///< Limit price in ticks.
    qty size;            ///< Size in lots (> 0 when active).
    bool active = false; ///< False: the strategy wants no order on this side.
};

/// The bid and ask a strategy wants resting right now.
struct quote_pair {
    quote bid; ///< Buy side.
    quote ask; ///< Sell side.
};

/// Time in force of an order.
enum class time_in_force : std::uint8_t {
    gtc = 0,   ///< Good till cancelled: rests until filled or cancelled.
    ioc,       ///< Immediate or cancel: fills what it can on arrival, cancels the rest.
    post_only, ///< Rejected instead of taking liquidity on arrival.
    fok,       ///< Fill or kill: fills entirely on arrival, or is cancelled without any fill.
};

/// Order type.
enum class order_type : std::uint8_t {
    limit = 0, ///< Trades at `px` or better.
    market,    ///< Trades at any price on arrival; never rests (the rest is cancelled).
};

/// A new order we intend to send, as seen by risk checks and the venue.
struct order_intent {
    order_id cl_ord_id;                   ///< Our ClOrdID, unique per session.
    pinnacle::side side = side::buy;      ///< Buy or sell.
    price px;                             ///< Limit price in ticks.
    qty size;                             ///< Size in lots (> 0).
    time_in_force tif = time_in_force::gtc; ///< Time in force.
    timestamp ts;                         ///< When the strategy decided (event time, ns).
    order_type type = order_type::limit;  ///< Limit or market (a market order ignores `px`).
};

/// What an execution report says happened (FIX ExecType essentials).
enum class exec_type : std::uint8_t {
    new_ack = 0,     ///< Order accepted and working (ExecType 0).
    fill,            ///< Partial or full fill (ExecType F); `last_qty` at `last_px`.
    canceled,        ///< Order cancelled, by request or by IOC (ExecType 4).
    rejected,        ///< Order rejected (ExecType 8); `reason` says why.
    cancel_rejected, ///< Cancel (or replace) request refused: the order was no longer working.
    replaced,        ///< Order modified (ExecType 5); `px` and `leaves_qty` are the new values.
};

/// Stable lower-case name of an exec_type.
[[nodiscard]] constexpr std::string_view to_string(exec_type t) noexcept {
    switch (t) {
        case exec_type::new_ack: return "new";
        case exec_type::fill: return "fill";
        case exec_type::canceled: return "canceled";
        case exec_type::rejected: return "rejected";
        case exec_type::cancel_rejected: return "cancel_rejected";
        case exec_type::replaced: return "replaced";
    }
    return "unknown";
}

/// A report from the venue about one of our orders. Units: ns, ticks, lots; fee in tick-lots.
struct execution_report {
    timestamp ts;                      ///< When we receive the report (venue time + response latency).
    order_id cl_ord_id;                ///< The order's ClOrdID.
    exec_type type = exec_type::new_ack; ///< What happened.
    pinnacle::side side = side::buy;   ///< The order's side.
    price px;                          ///< The order's limit price (ticks).
    price last_px;                     ///< Fill price (ticks), fills only.
    qty last_qty;                      ///< Filled now (lots), fills only.
    qty leaves_qty;                    ///< Still working after this report (lots).
    notional fee;                      ///< Fee charged for this fill (tick-lots; negative = rebate).
    bool maker = false;                ///< Fill was passive (we provided liquidity).
    status reason = status::ok;        ///< Why a reject or cancel-reject happened.
    /// The venue's id of the order (FIX OrderID, tag 37; a venue with string ids maps them to a
    /// 64-bit key); 0 = not known yet (e.g. a reject before the venue assigned one).
    std::uint64_t venue_order_id = 0;
    /// The venue's id of this report (FIX ExecID, tag 17), unique per report on that venue: a report
    /// delivered twice (a resend after a reconnect) carries the same exec_id and is booked once.
    /// 0 = the venue gives none (no deduplication for this report).
    std::uint64_t exec_id = 0;
};

} // namespace v0
} // namespace pinnacle
