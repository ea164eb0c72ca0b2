#pragma once
/// @file risk/circuit_breaker_check.hpp
/// circuit_breaker_check: the RiskCheck adaptor over a circuit_breaker owned elsewhere.

#include "pinnacle/core/types.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// RiskCheck adaptor over a circuit_breaker owned elsewhere (the engine also feeds it trades and
/// ack latencies). Thread-safety: one thread (the breaker's).
///
/// check() consumes a probe order while HALF_OPEN even if a later check in a risk_chain refuses
/// the order: put it last in the chain so that probes are spent only on orders that go out.
class circuit_breaker_check {
public:
    /// A check over `b`, which must outlive it (and not move).
    explicit circuit_breaker_check(circuit_breaker& b) noexcept : breaker_(&b) {}
    /// A check over `*b`; precondition: b is not null and outlives the check.
    explicit circuit_breaker_check(circuit_breaker* b) noexcept : breaker_(b) {}

    /// Approved when the breaker allows an order at `st.now`, else denied with risk_reason::circuit_breaker.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        return breaker_->allows_order(st.now) ? risk_verdict::approve() : risk_verdict::deny(risk_reason::circuit_breaker);
    }
    /// Nothing: ack latencies come through on_ack_latency.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
    /// Forwards the snapshot to the breaker.
    void on_market(const market_snapshot& m) noexcept { breaker_->on_market(m); }
    /// True while the breaker is OPEN at `now` (after any due timed transition): the engine pulls
    /// every quote. HALF_OPEN does not halt: its probes go through check().
    [[nodiscard]] bool halts_quoting(timestamp now) noexcept {
        return !breaker_->is_closed(now) && breaker_->state(now) == breaker_state::open;
    }
    /// Forwards an order-to-ack latency to the breaker's latency trigger.
    void on_ack_latency(timestamp ts, duration latency) noexcept { breaker_->on_ack_latency(ts, latency); }

    /// The breaker.
    [[nodiscard]] circuit_breaker& breaker() const noexcept { return *breaker_; }

private:
    circuit_breaker* breaker_;
};

static_assert(RiskCheck<circuit_breaker_check>, "circuit_breaker_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(MarketAwareRiskCheck<circuit_breaker_check>,
              "circuit_breaker_check must satisfy MarketAwareRiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
