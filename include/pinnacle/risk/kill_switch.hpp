#pragma once
/// @file risk/kill_switch.hpp
/// A kill switch any thread may fire (an operator console, a watchdog, a signal handler) and the
/// risk check that refuses every order while it is on.

#include <atomic>
#include <cstdint>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// A latch that stops all trading when fired. Thread-safety: any thread (lock-free atomics).
///
/// fire() publishes with release and fired() reads with acquire, so whatever the firing thread
/// wrote before fire() (a reason, a log line) is visible to the pipeline once it sees the switch.
class kill_switch {
public:
    static_assert(std::atomic<bool>::is_always_lock_free, "kill_switch needs a lock-free std::atomic<bool>");

    /// An unfired switch.
    kill_switch() noexcept = default;
    kill_switch(const kill_switch&) = delete;            ///< Not copyable: checks hold its address.
    kill_switch& operator=(const kill_switch&) = delete; ///< Not assignable.

    /// Turns the switch on (idempotent); counts the fire if it was off.
    void fire() noexcept {
        if (!fired_.exchange(true, std::memory_order_acq_rel)) fires_.fetch_add(1, std::memory_order_relaxed);
    }
    /// Turns the switch off.
    void reset() noexcept { fired_.store(false, std::memory_order_release); }
    /// True while the switch is on.
    [[nodiscard]] bool fired() const noexcept { return fired_.load(std::memory_order_acquire); }
    /// Times fire() turned the switch on (fires while already on are not counted).
    [[nodiscard]] std::uint64_t fire_count() const noexcept { return fires_.load(std::memory_order_relaxed); }

    /// Snapshot hook (journal/snapshot.hpp): fired and the fire count (call between events, from the engine's thread).
    template <class Ar>
    void persist(Ar& ar) {
        bool fired = fired_.load(std::memory_order_acquire);
        std::uint64_t fires = fires_.load(std::memory_order_relaxed);
        ar.value(fired);
        ar.value(fires);
        if constexpr (Ar::loading) {
            fired_.store(fired, std::memory_order_release);
            fires_.store(fires, std::memory_order_relaxed);
        }
    }

private:
    std::atomic<bool> fired_{false};
    std::atomic<std::uint64_t> fires_{0};
};

/// Refuses every order (kill_switch) while its kill_switch is on; optionally turns the switch off
/// again at the first check of each new session day (event time). Thread-safety: one thread
/// (the switch it watches may be fired from any thread).
///
/// Without a switch (`ks == nullptr`) every order is refused: a missing switch fails closed.
class kill_switch_check {
public:
    kill_switch* ks = nullptr;             ///< The switch watched (not owned; must outlive the check).
    bool reset_at_session_boundary = false; ///< Turn the switch off at the first check of a new session day.
    std::int64_t session_start_ns_of_day = 0; ///< When a session day starts (ns after midnight; 0 = midnight).

    /// Watches `sw`; with `reset_each_session`, a session day starts `start_ns_of_day` ns after midnight.
    constexpr explicit kill_switch_check(kill_switch* sw, bool reset_each_session = false,
                                         std::int64_t start_ns_of_day = 0) noexcept
        : ks(sw), reset_at_session_boundary(reset_each_session), session_start_ns_of_day(start_ns_of_day) {}

    /// kill_switch while the switch is on (after any session-boundary reset).
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        if (ks == nullptr) return risk_verdict::deny(risk_reason::kill_switch);
        if (reset_at_session_boundary) {
            const std::int64_t d = risk_detail::session_day(st.now, session_start_ns_of_day);
            if (started_ && d != day_) ks->reset();
            started_ = true;
            day_ = d;
        }
        return ks->fired() ? risk_verdict::deny(risk_reason::kill_switch) : risk_verdict::approve();
    }
    /// Ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
    /// True while the switch is on (or missing): the engine then pulls every quote.
    [[nodiscard]] bool halts_quoting(timestamp) noexcept { return ks == nullptr || ks->fired(); }

    /// Snapshot hook (journal/snapshot.hpp): the session-day tracking.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(day_);
        ar.value(started_);
    }

private:
    std::int64_t day_ = 0;
    bool started_ = false;
};

static_assert(RiskCheck<kill_switch_check>, "kill_switch_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(HaltingRiskCheck<kill_switch_check>, "kill_switch_check must satisfy HaltingRiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
