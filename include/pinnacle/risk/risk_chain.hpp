#pragma once
/// @file risk/risk_chain.hpp
/// risk_chain<Checks...>: several RiskChecks run in order as one, stopping at the first refusal.
/// Static composition (a fold over a std::tuple): no virtual call, no allocation.

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Runs `Checks...` in the order given; the first refusal wins and later checks are not asked.
/// Itself a RiskCheck, and a MarketAwareRiskCheck that forwards on_market() to the checks that
/// have it. Thread-safety: one thread.
///
/// Order matters: put cheap stateless checks first and stateful counters that should see only
/// orders that will be sent (order_rate_check) last.
template <RiskCheck... Checks>
class risk_chain {
public:
    /// Number of checks in the chain.
    static constexpr std::size_t size = sizeof...(Checks);

    /// Default-constructed checks (only when every check is default-constructible).
    constexpr risk_chain() noexcept((std::is_nothrow_default_constructible_v<Checks> && ...))
        requires(std::is_default_constructible_v<Checks> && ...)
    = default;
    /// A chain of the given checks, run in this order.
    constexpr explicit risk_chain(Checks... checks) noexcept((std::is_nothrow_move_constructible_v<Checks> && ...))
        requires(sizeof...(Checks) > 0)
        : checks_(std::move(checks)...) {}

    /// The first refusal in chain order, or approve() when every check approves.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        risk_verdict v = risk_verdict::approve();
        // && folds left to right and stops at the first false: later checks are not called.
        std::apply([&](auto&... c) noexcept { static_cast<void>(((v = c.check(o, st)).approved() && ...)); },
                   checks_);
        return v;
    }
    /// Forwards the report to every check, in chain order.
    void on_execution(const execution_report& r, const risk_state& st) noexcept {
        std::apply([&](auto&... c) noexcept { (c.on_execution(r, st), ...); }, checks_);
    }
    /// Forwards the snapshot, in chain order, to the checks that are MarketAwareRiskCheck.
    void on_market(const market_snapshot& m) noexcept {
        std::apply([&](auto&... c) noexcept { (forward_market(c, m), ...); }, checks_);
    }

    /// True when any HaltingRiskCheck in the chain halts quoting at `now` (all are asked, so each
    /// advances its timed state).
    [[nodiscard]] bool halts_quoting(timestamp now) noexcept {
        bool halt = false;
        std::apply([&](auto&... c) noexcept { ((halt = forward_halt(c, now) || halt), ...); }, checks_);
        return halt;
    }
    /// Forwards an order-to-ack latency, in chain order, to the checks that are LatencyAwareRiskCheck.
    void on_ack_latency(timestamp ts, duration latency) noexcept {
        std::apply([&](auto&... c) noexcept { (forward_latency(c, ts, latency), ...); }, checks_);
    }

    /// The I-th check (0-based, chain order).
    template <std::size_t I>
    [[nodiscard]] constexpr auto& get() noexcept { return std::get<I>(checks_); }
    /// The I-th check (0-based, chain order).
    template <std::size_t I>
    [[nodiscard]] constexpr const auto& get() const noexcept { return std::get<I>(checks_); }
    /// The check of type T (T must occur exactly once in the chain).
    template <class T>
    [[nodiscard]] constexpr T& get() noexcept { return std::get<T>(checks_); }
    /// The check of type T (T must occur exactly once in the chain).
    template <class T>
    [[nodiscard]] constexpr const T& get() const noexcept { return std::get<T>(checks_); }

    /// Snapshot hook (journal/snapshot.hpp): each check that has a hook, in chain order (stateless checks have none).
    template <class Ar>
    void persist(Ar& ar) {
        std::apply([&ar](auto&... c) { (persist_one(c, ar), ...); }, checks_);
    }

private:
    template <class C, class Ar>
    static void persist_one(C& c, Ar& ar) {
        if constexpr (requires { c.persist(ar); }) c.persist(ar);
    }
    template <class C>
    static void forward_market(C& c, const market_snapshot& m) noexcept {
        if constexpr (MarketAwareRiskCheck<C>) c.on_market(m);
    }

    template <class C>
    static bool forward_halt(C& c, timestamp now) noexcept {
        if constexpr (HaltingRiskCheck<C>) return c.halts_quoting(now);
        else return false;
    }
    template <class C>
    static void forward_latency(C& c, timestamp ts, duration latency) noexcept {
        if constexpr (LatencyAwareRiskCheck<C>) c.on_ack_latency(ts, latency);
    }

    std::tuple<Checks...> checks_;
};

namespace risk_detail {
/// Minimal RiskCheck: exactly what the concept requires (proves the chain asks for nothing more).
struct risk_check_archetype {
    risk_verdict check(const order_intent&, const risk_state&) noexcept { return risk_verdict::approve(); }
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};
} // namespace risk_detail

static_assert(RiskCheck<risk_chain<risk_detail::risk_check_archetype>>,
              "risk_chain must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(MarketAwareRiskCheck<risk_chain<risk_detail::risk_check_archetype>>,
              "risk_chain must satisfy MarketAwareRiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<risk_chain<>>, "an empty risk_chain must satisfy RiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
