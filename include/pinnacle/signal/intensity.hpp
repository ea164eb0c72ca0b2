#pragma once
/// @file signal/intensity.hpp
/// Fit of the Avellaneda-Stoikov fill intensity lambda(delta) = A exp(-k delta) from market trades.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of an `intensity_estimator`. Distances are in the caller's price unit (see the class).
struct intensity_estimator_config {
    /// Width w of a distance bucket (price units, finite, > 0): thresholds sit at 0, w, 2w, ...
    double bucket_width = 1.0;
    /// Number of buckets (>= 2): thresholds 0 .. (buckets - 1) w; farther trades still count at every one.
    std::size_t buckets = 20;
    /// Trades a threshold must have seen (>= 1) to enter the fit: ln of a small count is too noisy.
    std::uint64_t min_count = 10;
};

/// Result of `intensity_estimator::fit()`.
struct intensity_fit {
    double a = 0.0;          ///< A (per second): fitted rate of trades reaching distance 0.
    double k = 0.0;          ///< k (per price unit, > 0): fitted decay of the rate with distance.
    std::size_t points = 0;  ///< Thresholds used in the fit (>= 2).
    double r_squared = 0.0;  ///< R^2 of the straight-line fit of ln(rate) on distance, in [0, 1].
};

/// Estimates A and k of the fill intensity lambda(delta) = A exp(-k delta) of a limit order resting
/// delta price units from the mid. Thread-safety: one thread.
///
/// Source: M. Avellaneda and S. Stoikov, "High-frequency trading in a limit order book", Quantitative
/// Finance 8(3), 217-224, 2008, section 2, eqs. (11)-(12): market orders arrive at rate Lambda and a
/// market order moves the price by Delta p ~ ln(Q) / K, so a quote at distance delta is hit at rate
///
///     lambda(delta) = Lambda P[Delta p > delta] = A exp(-k delta)      (A = Lambda / alpha, k = alpha K)
///
/// Proxy, standard in the literature (the definition above; O. Gueant, "The Financial Mathematics of
/// Market Liquidity", CRC 2016, on calibrating market-making models; the hftbacktest GLFT example's
/// measure_trading_intensity): a trade that reached delta from the mid before it is taken as "a
/// limit order resting at any distance <= delta would have been hit". So the rate at threshold
/// d_j = j w is the number of trades with distance >= d_j (in bucket j or beyond, farther than the
/// last bucket included) divided by the observed time -- a tail count, not the count in bucket j.
/// The tail is what lambda means; a per-bucket count has the same k but its level depends on w.
///
/// Fit: ordinary least squares of y_j = ln(rate_j) on x_j = j w over the thresholds whose tail count
/// is at least `min_count` (they form a prefix, tail counts only fall with distance); A = exp of the
/// intercept, k = minus the slope. nullopt when fewer than 2 thresholds qualify, no time has been
/// observed, or the fitted k is not > 0 (no decay: the model does not apply).
///
/// Units: distances, the bucket width and 1/k in one price unit the caller chooses -- ticks (then
/// divide k by `instrument::tick_value()` to get the per-currency k `avellaneda_stoikov_config` wants)
/// or currency. Ticks are safer: a distance on a bucket edge belongs to the bucket above, and half-
/// tick distances (mid between two ticks) never sit on an edge of a whole-tick width. Time is in ns,
/// A per second. Observed time is the sum of the positive gaps between successive timestamps given
/// to `on_time` and `on_trade` (a backward timestamp adds nothing); a gap the caller does not want
/// counted (overnight, a halt) is skipped by calling `restart_clock` at the resumption.
///
/// What a "trade" is: call `on_trade` once per market order with its deepest distance (for a buy,
/// the highest execution price minus the mid before it; for a sell, the mid minus the lowest). LOBSTER
/// reports one execution per resting order hit, all with the same timestamp: merge them first, or a
/// sweep of three levels counts as three orders. Negative distances (a trade on the far side of a
/// stale mid) and non-finite ones are ignored, as hftbacktest does. Memory: `buckets` counters
/// allocated by the constructor; every other member is noexcept and allocation-free.
class intensity_estimator {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const intensity_estimator_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (!(c.bucket_width > 0.0 && c.bucket_width <= max))
            return "intensity_estimator_config.bucket_width must be finite and > 0";
        if (c.buckets < 2) return "intensity_estimator_config.buckets must be >= 2";
        if (c.min_count < 1) return "intensity_estimator_config.min_count must be >= 1";
        return {};
    }

    /// An estimator with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem, std::bad_alloc if the counters cannot be allocated.
    explicit intensity_estimator(const intensity_estimator_config& c = {}) : cfg_(c) {
        detail::require_valid_config(check(c));
        counts_.assign(c.buckets, 0);
    }

    /// Advances the observation clock to `ts` (ns) without a trade (call it on market events, or
    /// periodically, so that quiet time counts).
    void on_time(timestamp ts) noexcept {
        if (!has_clock_) {
            has_clock_ = true;
            last_ts_ = ts;
            return;
        }
        const std::int64_t dt = (ts - last_ts_).ns();
        if (dt <= 0) return;
        observed_ns_ += dt;
        last_ts_ = ts;
    }

    /// Records a market order at `ts` (ns) that reached `delta` price units from the mid before it
    /// (>= 0; see the class comment), and advances the clock to `ts`.
    void on_trade(timestamp ts, double delta) noexcept {
        on_time(ts);
        if (!(delta >= 0.0 && delta <= std::numeric_limits<double>::max())) {
            ++ignored_;
            return;
        }
        const double j = delta / cfg_.bucket_width;
        if (j < static_cast<double>(cfg_.buckets)) {
            ++counts_[static_cast<std::size_t>(j)];
        } else {
            ++beyond_;
        }
        ++trades_;
    }

    /// Starts a new clock at `ts` (ns) without counting the gap since the last timestamp (use after
    /// a halt or between sessions). Counts and observed time are kept.
    void restart_clock(timestamp ts) noexcept {
        has_clock_ = true;
        last_ts_ = ts;
    }

    /// Trades with distance >= j * bucket_width (0 for j >= buckets): the tail count at threshold j. O(buckets).
    [[nodiscard]] std::uint64_t tail_count(std::size_t j) const noexcept {
        if (j >= counts_.size()) return 0;
        std::uint64_t tail = beyond_;
        for (std::size_t i = counts_.size(); i-- > j;) tail += counts_[i];
        return tail;
    }

    /// Empirical intensity (per second) at threshold j * bucket_width: tail_count(j) / observed
    /// seconds; 0 before any time is observed.
    [[nodiscard]] double rate(std::size_t j) const noexcept {
        const double t = observed_seconds();
        return t > 0.0 ? static_cast<double>(tail_count(j)) / t : 0.0;
    }

    /// Least-squares fit of ln(rate) = ln A - k delta over the thresholds with at least `min_count`
    /// trades; nullopt when fewer than 2 qualify, no time was observed, or k is not > 0. O(buckets).
    [[nodiscard]] std::optional<intensity_fit> fit() const noexcept {
        const double t = observed_seconds();
        if (!(t > 0.0)) return std::nullopt;
        // Tail counts fall as j grows, so the usable thresholds are those at or below the highest
        // usable one; both passes walk j downward, building the tail count as they go. Mean first,
        // then centred sums, so the sums of squares are not differences of large numbers.
        std::size_t n = 0;
        double sx = 0.0;
        double sy = 0.0;
        std::uint64_t tail = beyond_;
        for (std::size_t j = counts_.size(); j-- > 0;) {
            tail += counts_[j];
            if (tail < cfg_.min_count) continue;
            ++n;
            sx += x_at(j);
            sy += std::log(static_cast<double>(tail) / t);
        }
        if (n < 2) return std::nullopt;
        const double dn = static_cast<double>(n);
        const double mx = sx / dn;
        const double my = sy / dn;
        double sxx = 0.0;
        double sxy = 0.0;
        double syy = 0.0;
        tail = beyond_;
        for (std::size_t j = counts_.size(); j-- > 0;) {
            tail += counts_[j];
            if (tail < cfg_.min_count) continue;
            const double dx = x_at(j) - mx;
            const double dy = std::log(static_cast<double>(tail) / t) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        const double slope = sxy / sxx;
        const double k = -slope;
        const double a = std::exp(my - slope * mx);
        if (!(k > 0.0) || !std::isfinite(k) || !std::isfinite(a)) return std::nullopt;
        const double r2 = syy > 0.0 ? (sxy * sxy) / (sxx * syy) : 1.0;
        return intensity_fit{a, k, n, r2};
    }

    /// Trades counted (ignored ones excluded).
    [[nodiscard]] std::uint64_t trades() const noexcept { return trades_; }

    /// Trades ignored for a negative or non-finite distance.
    [[nodiscard]] std::uint64_t ignored() const noexcept { return ignored_; }

    /// Observed time (seconds): the sum of the positive gaps between successive timestamps.
    [[nodiscard]] double observed_seconds() const noexcept { return static_cast<double>(observed_ns_) / 1e9; }

    /// The settings in use.
    [[nodiscard]] const intensity_estimator_config& config() const noexcept { return cfg_; }

    /// Forgets every trade and the clock; keeps the settings and the counters' memory.
    void reset() noexcept {
        for (auto& c : counts_) c = 0;
        beyond_ = trades_ = ignored_ = 0;
        observed_ns_ = 0;
        last_ts_ = timestamp{};
        has_clock_ = false;
    }

private:
    [[nodiscard]] double x_at(std::size_t j) const noexcept { return static_cast<double>(j) * cfg_.bucket_width; }

    intensity_estimator_config cfg_;
    std::vector<std::uint64_t> counts_;  // trades with distance in [j w, (j + 1) w)
    std::uint64_t beyond_ = 0;           // trades with distance >= buckets * w
    std::uint64_t trades_ = 0;
    std::uint64_t ignored_ = 0;
    std::int64_t observed_ns_ = 0;
    timestamp last_ts_{};
    bool has_clock_ = false;
};

} // namespace v0
} // namespace pinnacle
