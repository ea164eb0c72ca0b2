#pragma once
/// @file risk/alerting_check.hpp
/// Wraps any RiskCheck so that every refusal becomes a typed alert (risk rejections, kill switch,
/// daily loss, drawdown), delivered through an alert_manager with its per-type throttling.

#include <string_view>
#include <type_traits>
#include <utility>

#include "pinnacle/risk/alerts.hpp"
#include "pinnacle/risk/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// The alert type and severity a refusal for `r` raises.
[[nodiscard]] constexpr std::pair<alert_type, alert_severity> alert_for(risk_reason r) noexcept {
    switch (r) {
        case risk_reason::kill_switch: return {alert_type::kill_switch, alert_severity::emergency};
        case risk_reason::daily_loss: return {alert_type::daily_loss, alert_severity::critical};
        case risk_reason::drawdown: return {alert_type::drawdown, alert_severity::critical};
        case risk_reason::losing_streak: return {alert_type::risk_reject, alert_severity::critical};
        default: return {alert_type::risk_reject, alert_severity::warning};
    }
}

/// A RiskCheck that forwards to `Inner` and publishes an alert for each refusal (code = the
/// risk_reason, value = the order size in lots). Every optional hook of Inner (on_market,
/// on_ack_latency) is forwarded. Thread-safety: one thread (as the alert_manager).
template <RiskCheck Inner>
class alerting_check {
public:
    /// Wraps `inner`; `alerts` may be null (then it only forwards). The manager must outlive this.
    alerting_check(Inner inner, alert_manager* alerts) noexcept(std::is_nothrow_move_constructible_v<Inner>)
        : inner_(std::move(inner)), alerts_(alerts) {}

    /// Inner's verdict; a refusal is also published as an alert.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        const risk_verdict v = inner_.check(o, st);
        if (!v.approved() && alerts_ != nullptr) {
            const auto [type, severity] = alert_for(v.reason);
            (void)alerts_->publish(make_alert(st.now, type, severity, static_cast<std::int64_t>(v.reason),
                                              static_cast<double>(o.size.lots()), to_string(v.reason)));
        }
        return v;
    }
    /// Forwards every execution report.
    void on_execution(const execution_report& r, const risk_state& st) noexcept { inner_.on_execution(r, st); }
    /// Forwards market updates when Inner wants them.
    void on_market(const market_snapshot& m) noexcept {
        if constexpr (MarketAwareRiskCheck<Inner>) inner_.on_market(m);
    }
    /// Forwards the halt question when Inner can halt (otherwise never halts).
    [[nodiscard]] bool halts_quoting(timestamp now) noexcept {
        if constexpr (HaltingRiskCheck<Inner>) return inner_.halts_quoting(now);
        else return false;
    }
    /// Forwards ack latencies when Inner wants them.
    void on_ack_latency(timestamp ts, duration latency) noexcept {
        if constexpr (LatencyAwareRiskCheck<Inner>) inner_.on_ack_latency(ts, latency);
    }
    /// The wrapped check.
    [[nodiscard]] Inner& inner() noexcept { return inner_; }
    /// The wrapped check.
    [[nodiscard]] const Inner& inner() const noexcept { return inner_; }

    /// Snapshot hook (journal/snapshot.hpp): the wrapped check's, when it has one (the alert manager is the owner's to persist).
    template <class Ar>
    void persist(Ar& ar) {
        if constexpr (requires { inner_.persist(ar); }) inner_.persist(ar);
    }

private:
    Inner inner_;
    alert_manager* alerts_;
};

} // namespace v0
} // namespace pinnacle
