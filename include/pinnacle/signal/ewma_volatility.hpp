#pragma once
/// @file signal/ewma_volatility.hpp
/// Online, time-decayed estimate of the volatility of a mid price sampled at irregular times.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of an `ewma_volatility` (all in seconds).
struct ewma_volatility_config {
    /// Time constant of the exponential decay (seconds, > 0): a squared move `tau` seconds old
    /// weighs 1/e of a fresh one. This is NOT the half-life; half-life = tau * ln 2 (300 s -> ~208 s).
    double tau_seconds = 300.0;
    /// Observed time (seconds, >= 0, sum of positive gaps between observations) before `ready()`.
    double warmup_seconds = 60.0;
};

/// Time-decayed EWMA estimate of the variance per second of a price observed at irregular times.
/// Thread-safety: one thread.
///
/// Source: RiskMetrics -- Technical Document, J.P. Morgan/Reuters, 4th ed., 1996: the EWMA variance
/// sigma^2_t = lambda sigma^2_{t-1} + (1 - lambda) r_t^2, adapted to irregular sampling by making the
/// decay depend on elapsed time (lambda = exp(-dt/tau)) and normalising by decayed elapsed time. On an observation at `ts` with gap dt = ts - last_ts > 0 s:
///
///     decay = exp(-dt / tau);  S = S * decay + (mid - last_mid)^2;  W = W * decay + dt;
///     variance per second = S / W
///
/// For a driftless random walk with variance sigma^2 per second, E[(mid - last_mid)^2] = sigma^2 dt,
/// so S / W is an unbiased ratio estimate of sigma^2 whatever the spacing of the observations.
///
/// Units: the estimator is unit-agnostic in price -- the caller decides what a price unit is
/// (currency, ticks, ...); variance is then in price-unit^2 / s and sigma in price-unit / sqrt(s).
/// Timestamps are in ns; every other duration here is in seconds.
///
/// Same timestamp (dt == 0): the new mid replaces the last one and the increment into that time is
/// recomputed, so only the last mid at each timestamp counts. Several feed messages often share one
/// timestamp (one aggressive order walking the book); their intermediate mids are not prices the
/// market ever rested at, and counting their back-and-forth bounces would inflate the variance.
/// Out of order (dt < 0) and non-finite mids are ignored. No allocation; every member is noexcept
/// except the constructor, which rejects an invalid config.
class ewma_volatility {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const ewma_volatility_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        // Written as !(in range) so that NaN fails too.
        if (!(c.tau_seconds > 0.0 && c.tau_seconds <= max)) return "ewma_volatility_config.tau_seconds must be finite and > 0";
        if (!(c.warmup_seconds >= 0.0 && c.warmup_seconds <= max))
            return "ewma_volatility_config.warmup_seconds must be finite and >= 0";
        return {};
    }

    /// An estimator with default settings (tau 300 s, warm-up 60 s).
    ewma_volatility() noexcept = default;

    /// An estimator with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem.
    explicit ewma_volatility(const ewma_volatility_config& c) : cfg_(c) {
        detail::require_valid_config(check(c));
    }

    /// Feeds the mid price `mid` (price units) observed at `ts` (ns).
    void update(timestamp ts, double mid) noexcept {
        if (!std::isfinite(mid)) return;
        if (!has_last_) {
            has_last_ = true;
            last_ts_ = ts;
            last_mid_ = mid;
            return;
        }
        const std::int64_t dt_ns = (ts - last_ts_).ns();
        if (dt_ns < 0) return;
        if (dt_ns == 0) {
            last_mid_ = mid;
            if (has_prev_) {  // redo the increment into this timestamp with its latest mid
                const double d = mid - prev_mid_;
                s_ = s_base_ + d * d;
            }
            return;
        }
        const double dt = static_cast<double>(dt_ns) * 1e-9;
        const double decay = std::exp(-dt / cfg_.tau_seconds);
        const double d = mid - last_mid_;
        s_base_ = s_ * decay;
        s_ = s_base_ + d * d;
        w_ = w_ * decay + dt;
        observed_seconds_ += dt;
        has_prev_ = true;
        prev_mid_ = last_mid_;
        last_ts_ = ts;
        last_mid_ = mid;
    }

    /// True once at least `warmup_seconds` of observed time (seconds) has accumulated.
    [[nodiscard]] bool ready() const noexcept { return has_last_ && observed_seconds_ >= cfg_.warmup_seconds; }

    /// Estimated variance of the price per second (price-unit^2 / s); 0 before the second timestamp.
    [[nodiscard]] double variance_per_second() const noexcept { return w_ > 0.0 ? s_ / w_ : 0.0; }

    /// Estimated volatility (price-unit / sqrt(s)): the square root of `variance_per_second()`.
    [[nodiscard]] double sigma() const noexcept { return std::sqrt(variance_per_second()); }

    /// Total observed time (seconds): the sum of all positive gaps between observations.
    [[nodiscard]] double observed_seconds() const noexcept { return observed_seconds_; }

    /// The last accepted mid (price units); 0 before the first observation.
    [[nodiscard]] double last_mid() const noexcept { return last_mid_; }

    /// The settings in use.
    [[nodiscard]] const ewma_volatility_config& config() const noexcept { return cfg_; }

    /// Forgets every observation; keeps the settings.
    void reset() noexcept {
        s_ = s_base_ = w_ = observed_seconds_ = last_mid_ = prev_mid_ = 0.0;
        last_ts_ = timestamp{};
        has_last_ = has_prev_ = false;
    }

private:
    ewma_volatility_config cfg_{};
    double s_ = 0.0;                 // decayed sum of squared increments (price-unit^2)
    double s_base_ = 0.0;            // s_ before the last increment was added (for dt == 0 redo)
    double w_ = 0.0;                 // decayed sum of gaps (s)
    double observed_seconds_ = 0.0;  // undecayed sum of gaps (s)
    double last_mid_ = 0.0;          // mid at last_ts_
    double prev_mid_ = 0.0;          // mid at the distinct timestamp before last_ts_
    timestamp last_ts_{};
    bool has_last_ = false;
    bool has_prev_ = false;
};

} // namespace v0
} // namespace pinnacle
