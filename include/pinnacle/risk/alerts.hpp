#pragma once
/// @file risk/alerts.hpp
/// Risk alerts: a fixed-size alert record, and an alert_manager that filters by severity, throttles
/// per alert type in event time and fans alerts out to subscribers without allocating.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// How urgent an alert is, in increasing order (the enumerators compare with < and >).
enum class alert_severity : std::uint8_t {
    info = 0,  ///< For the record; nothing to do.
    warning,   ///< Worth a look: a limit is close or a check refused an order.
    critical,  ///< A limit was hit: trading is restricted.
    emergency, ///< Trading stopped (kill switch) or the system cannot trade safely.
};

/// Number of alert_severity values.
inline constexpr std::size_t alert_severity_count = static_cast<std::size_t>(alert_severity::emergency) + 1;

/// Stable lower-case name of a severity, for logs and reports.
[[nodiscard]] constexpr std::string_view to_string(alert_severity s) noexcept {
    switch (s) {
        case alert_severity::info: return "info";
        case alert_severity::warning: return "warning";
        case alert_severity::critical: return "critical";
        case alert_severity::emergency: return "emergency";
    }
    return "unknown";
}

/// What an alert is about; throttling is kept per type.
enum class alert_type : std::uint8_t {
    risk_reject = 0,    ///< A risk check refused an order (`code` = risk_reason).
    breaker_transition, ///< The circuit breaker changed state (`code` = new breaker_state).
    kill_switch,        ///< The kill switch fired or was re-armed.
    daily_loss,         ///< Loss since the session start reached a limit (`value` in tick-lots).
    drawdown,           ///< Fall from the PnL peak reached a limit (`value` in tick-lots or bps).
    var_breach,         ///< Value at risk above its limit (`value` in tick-lots).
    auto_hedge,         ///< An automatic hedge was sent or failed (`value` in lots).
    latency,            ///< Order-to-ack or feed latency above its limit (`value` in ns).
    custom,             ///< Anything else (also used for out-of-range type values).
};

/// Number of alert_type values (for per-type counters and intervals).
inline constexpr std::size_t alert_type_count = static_cast<std::size_t>(alert_type::custom) + 1;

/// Stable lower-case name of an alert type, for logs and reports.
[[nodiscard]] constexpr std::string_view to_string(alert_type t) noexcept {
    switch (t) {
        case alert_type::risk_reject: return "risk_reject";
        case alert_type::breaker_transition: return "breaker_transition";
        case alert_type::kill_switch: return "kill_switch";
        case alert_type::daily_loss: return "daily_loss";
        case alert_type::drawdown: return "drawdown";
        case alert_type::var_breach: return "var_breach";
        case alert_type::auto_hedge: return "auto_hedge";
        case alert_type::latency: return "latency";
        case alert_type::custom: return "custom";
    }
    return "unknown";
}

/// One alert: fixed size, trivially copyable, no allocation. Thread-safety: value type.
struct alert {
    /// Capacity of `text` in bytes, including the terminating NUL (so at most 95 characters).
    static constexpr std::size_t text_capacity = 96;

    timestamp ts;                                  ///< Event time of the alert (ns).
    alert_type type = alert_type::custom;          ///< What it is about (selects the throttle).
    alert_severity severity = alert_severity::info; ///< How urgent.
    std::int64_t code = 0;                         ///< Type-specific code, e.g. a risk_reason or breaker_state as integer.
    double value = 0.0;                            ///< Type-specific measurement; the type's doc gives the unit.
    std::array<char, text_capacity> text{};        ///< Human-readable message, always NUL-terminated.

    /// Sets `text` to `s`, truncated to at most 95 bytes and NUL-terminated. A cut never splits a
    /// UTF-8 sequence (it backs up to the start of a cut character); an embedded NUL ends the text.
    /// Returns true when `s` had to be truncated.
    constexpr bool set_text(std::string_view s) noexcept {
        std::size_t n = s.size();
        bool truncated = false;
        if (n > text_capacity - 1) {
            truncated = true;
            n = text_capacity - 1;
            // s[n] is the first byte dropped; if it continues a UTF-8 sequence (10xxxxxx), the
            // sequence began at or before s[n - 1]: drop back to its lead byte (at most 3 bytes
            // back, the longest UTF-8 tail, so invalid input cannot empty the text).
            for (int k = 0; k < 3 && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u; ++k) --n;
        }
        for (std::size_t i = 0; i < n; ++i) text[i] = s[i];
        for (std::size_t i = n; i < text_capacity; ++i) text[i] = '\0';
        return truncated;
    }

    /// The text up to its terminating NUL (a view into this alert).
    [[nodiscard]] constexpr std::string_view text_view() const noexcept {
        std::size_t n = 0;
        while (n < text_capacity && text[n] != '\0') ++n;
        return std::string_view(text.data(), n);
    }
};

/// An alert with the given fields; `message` is truncated as by alert::set_text.
[[nodiscard]] constexpr alert make_alert(timestamp ts, alert_type type, alert_severity severity, std::int64_t code,
                                         double value, std::string_view message) noexcept {
    alert a{};
    a.ts = ts;
    a.type = type;
    a.severity = severity;
    a.code = code;
    a.value = value;
    a.set_text(message);
    return a;
}

/// Settings of an alert_manager.
struct alert_manager_config {
    /// Per alert type (indexed by the enumerator value), the least event time between two deliveries
    /// of that type (ns); 0 = no throttling. Default: no throttling.
    std::array<duration, alert_type_count> min_interval{};
    /// Alerts below this severity are dropped (counted as filtered). Default: keep everything.
    alert_severity min_severity = alert_severity::info;
};

/// Counters of one alert type (counts of alerts).
struct alert_counters {
    std::uint64_t published = 0; ///< Calls to publish() with this type.
    std::uint64_t delivered = 0; ///< Passed the severity filter and the throttle: handed to every subscriber.
    std::uint64_t throttled = 0; ///< Dropped because an alert of the same type was delivered too recently.
    std::uint64_t filtered = 0;  ///< Dropped because the severity was below min_severity.
};

/// Filters, throttles and delivers alerts to subscribers. Thread-safety: one thread.
///
/// publish(a) decides in this order:
/// 1. Severity filter: `a.severity < min_severity` -> dropped (filtered); the throttle state is untouched.
/// 2. Throttle, per `a.type`, in event time: with `interval = min_interval[a.type] > 0` and L the last
///    DELIVERED alert of that type, `a` is dropped (throttled) when `a.ts - L.ts < interval` and
///    `a.severity <= L.severity`. So an alert exactly `interval` ns after L is delivered, and an
///    escalation (severity strictly higher than L's) always gets through; a delivered alert becomes
///    the new L, so after an escalation to critical a warning is throttled until `interval` after the
///    critical. An alert older than L (`a.ts < L.ts`, out of order) counts as within the interval.
/// 3. Delivery: every subscriber is called, in subscription order.
///
/// publish() never allocates and never throws. With exceptions enabled, an exception thrown by a
/// subscriber is caught, counted in callback_errors(), and the remaining subscribers are still
/// called; without exceptions (-fno-exceptions) a subscriber cannot throw. Only subscribe() allocates
/// (std::function type erasure, setup time); it must not be called from inside a subscriber.
/// A subscriber may publish() further alerts (they are handled recursively, before publish returns).
class alert_manager {
public:
    /// A manager with default settings: no throttling, every severity delivered.
    alert_manager() = default;
    /// A manager with settings `c`.
    explicit alert_manager(const alert_manager_config& c) : cfg_(c) {}

    /// Adds `f` to the subscribers (an empty function is ignored). Allocates: call at setup, never
    /// from inside a subscriber. Returns the number of subscribers.
    std::size_t subscribe(std::function<void(const alert&)> f) {
        if (f) subscribers_.push_back(std::move(f));
        return subscribers_.size();
    }

    /// Filters, throttles and delivers `a` (see the class doc). Returns true when it was delivered.
    bool publish(const alert& a) noexcept {
        const std::size_t i = index(a.type);
        alert_counters& c = counters_[i];
        ++c.published;
        if (a.severity < cfg_.min_severity) {
            ++c.filtered;
            return false;
        }
        last_delivery& last = last_[i];
        const std::int64_t interval = cfg_.min_interval[i].ns();
        if (last.valid && interval > 0 && (a.ts - last.ts).ns() < interval && a.severity <= last.severity) {
            ++c.throttled;
            return false;
        }
        last = last_delivery{a.ts, a.severity, true};
        ++c.delivered;
        // Index loop: a subscriber may publish recursively (subscribe() from a subscriber is not allowed).
        for (std::size_t k = 0; k < subscribers_.size(); ++k) {
#if defined(__cpp_exceptions)
            try {
                subscribers_[k](a);
            } catch (...) {
                ++callback_errors_;
            }
#else
            subscribers_[k](a);
#endif
        }
        return true;
    }

    /// Sets the least interval between deliveries of type `t` (ns; 0 = no throttling).
    void set_min_interval(alert_type t, duration interval) noexcept { cfg_.min_interval[index(t)] = interval; }
    /// Sets the least severity delivered.
    void set_min_severity(alert_severity s) noexcept { cfg_.min_severity = s; }
    /// The settings in use.
    [[nodiscard]] const alert_manager_config& config() const noexcept { return cfg_; }

    /// Counters of alert type `t`.
    [[nodiscard]] const alert_counters& counters(alert_type t) const noexcept { return counters_[index(t)]; }
    /// Counters summed over every alert type.
    [[nodiscard]] alert_counters totals() const noexcept {
        alert_counters sum{};
        for (const alert_counters& c : counters_) {
            sum.published += c.published;
            sum.delivered += c.delivered;
            sum.throttled += c.throttled;
            sum.filtered += c.filtered;
        }
        return sum;
    }
    /// Exceptions thrown by subscribers and caught by publish() (always 0 without exceptions).
    [[nodiscard]] std::uint64_t callback_errors() const noexcept { return callback_errors_; }
    /// Number of subscribers.
    [[nodiscard]] std::size_t subscriber_count() const noexcept { return subscribers_.size(); }

    /// Forgets the throttle state (the next alert of every type is delivered); keeps the counters.
    void reset_throttle() noexcept { last_ = {}; }

    /// Snapshot hook (journal/snapshot.hpp): the counters and the throttle state (not the subscribers).
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(counters_);
        ar.value(last_);
        ar.value(callback_errors_);
    }

private:
    struct last_delivery {
        timestamp ts;
        alert_severity severity = alert_severity::info;
        bool valid = false;
    };

    // Out-of-range type values (a cast from a bad integer) are accounted as `custom`.
    [[nodiscard]] static constexpr std::size_t index(alert_type t) noexcept {
        const auto i = static_cast<std::size_t>(t);
        return i < alert_type_count ? i : static_cast<std::size_t>(alert_type::custom);
    }

    alert_manager_config cfg_{};
    std::array<alert_counters, alert_type_count> counters_{};
    std::array<last_delivery, alert_type_count> last_{};
    std::uint64_t callback_errors_ = 0;
    std::vector<std::function<void(const alert&)>> subscribers_;
};

} // namespace v0
} // namespace pinnacle
