#pragma once
/// @file risk/var_limit_check.hpp
/// var_limit_check: the pre-trade check on the latest published VaR.

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/risk/var_publisher.hpp"

namespace pinnacle {
inline namespace v0 {

/// Pre-trade check on the latest published VaR: refuses orders while it is above `max_var`
/// (currency), or while nothing has been published yet (fails closed). It reads the publisher
/// wait-free on every check, while the VaR itself is computed off the hot path (any thread).
/// Thread-safety: one thread (the publisher may be written from another).
struct var_limit_check {
    const var_publisher* publisher = nullptr; ///< Not owned; must outlive the check. Null: refuse.
    double max_var = 0.0;                     ///< Largest acceptable VaR (currency, > 0).
    /// Approved while the latest VaR is a number <= max_var; else denied with var_limit.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state&) const noexcept {
        if (publisher == nullptr) return risk_verdict::deny(risk_reason::var_limit);
        const double v = publisher->latest().var;
        return (v <= max_var) ? risk_verdict::approve() : risk_verdict::deny(risk_reason::var_limit);  // NaN fails
    }
    /// Nothing to track.
    void on_execution(const execution_report&, const risk_state&) const noexcept {}
};

static_assert(RiskCheck<var_limit_check>, "var_limit_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
