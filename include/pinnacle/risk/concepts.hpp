#pragma once
/// @file risk/concepts.hpp
/// The RiskCheck concept: a pre-trade gate every order intent passes before it reaches a venue,
/// with the reason codes a refusal carries and the state a check sees.

#include <concepts>
#include <cstdint>
#include <string_view>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Why a risk check refused an order (in the spirit of NautilusTrader's OrderDenied reasons).
enum class risk_reason : std::uint8_t {
    none = 0,            ///< Approved.
    kill_switch,         ///< The kill switch has fired.
    circuit_breaker,     ///< The circuit breaker is open (or half-open and out of probes).
    invalid_order,       ///< Size or price not positive.
    max_order_qty,       ///< Order size above the limit.
    max_position,        ///< Worst-case position (all working orders fill) beyond the long or short limit.
    max_order_notional,  ///< Order notional above the limit.
    max_gross_exposure,  ///< Worst-case gross exposure above the limit.
    price_band,          ///< Price too far (bps) from the reference price: fat finger.
    max_open_orders,     ///< Too many orders working.
    order_rate,          ///< Order rate limit (token bucket) exhausted.
    spread_gate,         ///< Market spread wider than allowed for quoting.
    daily_loss,          ///< Loss since the session start beyond the daily limit.
    drawdown,            ///< Fall from the PnL peak beyond the limit (absolute or bps).
    losing_streak,       ///< Too many consecutive losing round trips.
    self_trade,          ///< The order would cross our own resting order on the other side.
    no_reference_price,  ///< A price-based check had no market price to compare with.
    var_limit,           ///< The latest value at risk is above its limit (or none is published yet).
    off_grid,            ///< Limit price not on the instrument's quote grid (quote increment).
};

/// Number of risk_reason values (for per-reason counters).
inline constexpr std::size_t risk_reason_count = static_cast<std::size_t>(risk_reason::off_grid) + 1;

/// Stable lower-case name of a reason, for reports and alerts.
[[nodiscard]] constexpr std::string_view to_string(risk_reason r) noexcept {
    switch (r) {
        case risk_reason::none: return "none";
        case risk_reason::kill_switch: return "kill_switch";
        case risk_reason::circuit_breaker: return "circuit_breaker";
        case risk_reason::invalid_order: return "invalid_order";
        case risk_reason::max_order_qty: return "max_order_qty";
        case risk_reason::max_position: return "max_position";
        case risk_reason::max_order_notional: return "max_order_notional";
        case risk_reason::max_gross_exposure: return "max_gross_exposure";
        case risk_reason::price_band: return "price_band";
        case risk_reason::max_open_orders: return "max_open_orders";
        case risk_reason::order_rate: return "order_rate";
        case risk_reason::spread_gate: return "spread_gate";
        case risk_reason::daily_loss: return "daily_loss";
        case risk_reason::drawdown: return "drawdown";
        case risk_reason::losing_streak: return "losing_streak";
        case risk_reason::self_trade: return "self_trade";
        case risk_reason::no_reference_price: return "no_reference_price";
        case risk_reason::var_limit: return "var_limit";
        case risk_reason::off_grid: return "off_grid";
    }
    return "unknown";
}

/// A check's answer: approved, or refused with a reason.
struct risk_verdict {
    risk_reason reason = risk_reason::none; ///< none = approved.
    /// True when the order may go.
    [[nodiscard]] constexpr bool approved() const noexcept { return reason == risk_reason::none; }
    /// An approval.
    [[nodiscard]] static constexpr risk_verdict approve() noexcept { return {}; }
    /// A refusal for `r`.
    [[nodiscard]] static constexpr risk_verdict deny(risk_reason r) noexcept { return risk_verdict{r}; }
    /// Field-wise equality.
    friend constexpr bool operator==(risk_verdict, risk_verdict) noexcept = default;
};

/// What a risk check knows when an order is about to go out, or a report comes back.
/// Units: lots, ticks, tick-lots, ns. Filled by the engine from its ledger, book and working orders.
struct risk_state {
    timestamp now;            ///< Event time (ns).
    qty position;             ///< Signed position from fills received so far (lots).
    qty open_buy;             ///< Lots working on the bid (in flight or resting).
    qty open_sell;            ///< Lots working on the ask (in flight or resting).
    std::uint32_t open_orders = 0; ///< Our orders working (in flight or resting).
    market_snapshot market;   ///< Top of book now (has_bid / has_ask say which sides exist).
    price working_bid;        ///< Our best working bid (valid when has_working_bid).
    price working_ask;        ///< Our best working ask (valid when has_working_ask).
    bool has_working_bid = false; ///< We have a bid working.
    bool has_working_ask = false; ///< We have an ask working.
    notional total_pnl;       ///< Mark-to-mid PnL net of fees (tick-lots, truncated toward zero).
    notional realized_pnl;    ///< PnL of closed positions at average cost, net of fees (tick-lots).
};

/// A RiskCheck approves or refuses each order intent and watches what happens to our orders.
///
/// Requirements (noexcept, one thread, deterministic: time comes from `state.now`):
/// - `r.check(intent, state) -> risk_verdict`: approve, or deny with a reason.
/// - `r.on_execution(report, state) -> void`: every execution report (acks, fills, cancels,
///   rejects), with the state *after* the engine booked it (position and PnL include a fill).
/// Optional: `r.on_market(snapshot) noexcept` is called after every market event if present.
template <class R>
concept RiskCheck = requires(R& r, const order_intent& o, const risk_state& st, const execution_report& rep) {
    { r.check(o, st) } noexcept -> std::same_as<risk_verdict>;
    { r.on_execution(rep, st) } noexcept -> std::same_as<void>;
};

/// True when R has the optional market hook.
template <class R>
concept MarketAwareRiskCheck = RiskCheck<R> && requires(R& r, const market_snapshot& m) {
    { r.on_market(m) } noexcept -> std::same_as<void>;
};

/// True when R wants order-to-ack latencies (optional hook `r.on_ack_latency(ts, latency) noexcept`,
/// called by the engine for each ack of its current orders), e.g. a circuit breaker's latency trigger.
template <class R>
concept LatencyAwareRiskCheck = requires(R& r, timestamp t, duration d) {
    { r.on_ack_latency(t, d) } noexcept -> std::same_as<void>;
};

/// True when R can stop all quoting (optional hook `r.halts_quoting(now) noexcept -> bool`): while
/// it answers true the engine cancels every working order and sends nothing new (a fired kill
/// switch, an open circuit breaker). May advance R's timed state (a breaker's cool-down).
template <class R>
concept HaltingRiskCheck = requires(R& r, timestamp t) {
    { r.halts_quoting(t) } noexcept -> std::same_as<bool>;
};

/// A check that approves everything.
struct no_risk_check {
    /// Always approved.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state&) noexcept { return risk_verdict::approve(); }
    /// Ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

static_assert(RiskCheck<no_risk_check>, "no_risk_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
