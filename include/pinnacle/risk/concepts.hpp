#pragma once
/// @file risk/concepts.hpp
/// The RiskCheck concept: a pre-trade gate every order intent passes before it reaches a venue.

#include <concepts>

#include "pinnacle/core/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// What a risk check knows about us when an order is about to go out. Units: lots, tick-lots.
struct risk_state {
    qty position;        ///< Signed position from fills received so far (lots).
    qty open_buy;        ///< Lots working on the bid (in flight or resting).
    qty open_sell;       ///< Lots working on the ask (in flight or resting).
    notional total_pnl;  ///< Mark-to-mid PnL net of fees (tick-lots), last known.
};

/// A RiskCheck approves or refuses one order intent.
///
/// Requirement: `r.check(intent, state) noexcept -> status`: `status::ok` lets the order go;
/// any other value refuses it and says why (`status::rejected` when no finer code applies).
template <class R>
concept RiskCheck = requires(R& r, const order_intent& o, const risk_state& st) {
    { r.check(o, st) } noexcept -> std::same_as<status>;
};

/// A check that approves everything (the risk layer plugs in here).
struct no_risk_check {
    /// Always status::ok.
    [[nodiscard]] status check(const order_intent&, const risk_state&) noexcept { return status::ok; }
};

/// Refuses an order whose fill, together with every order already working on its side, could
/// take the position beyond +/- max_position lots (worst case: everything fills).
struct position_limit_check {
    qty max_position{1000}; ///< Largest absolute position allowed (lots).
    /// ok, or status::rejected when the worst case breaches max_position.
    [[nodiscard]] status check(const order_intent& o, const risk_state& st) noexcept {
        const qty worst = o.side == side::buy ? st.position + st.open_buy + o.size : st.position - st.open_sell - o.size;
        const qty limit = max_position;
        return (worst > limit || worst < -limit) ? status::rejected : status::ok;
    }
};

static_assert(RiskCheck<no_risk_check>, "no_risk_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<position_limit_check>, "position_limit_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
