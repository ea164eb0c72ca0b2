#pragma once
/// @file signal/vpin.hpp
/// VPIN, the volume-synchronised probability of informed trading: order-flow toxicity measured as
/// the average buy/sell volume imbalance over the last n equal-volume buckets.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/ring_buffer.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of a `vpin`.
struct vpin_config {
    /// V: lots per volume bucket (> 0; no usable default). The paper uses one fiftieth of the
    /// average daily volume, so that with n = 50 the window spans about one day of trading.
    qty bucket_volume{0};
    /// n: completed buckets averaged (>= 1); 50 in the paper.
    std::size_t window = 50;
};

/// VPIN over the last `window` completed volume buckets. Thread-safety: one thread.
///
/// Source: D. Easley, M. Lopez de Prado and M. O'Hara, "Flow toxicity and liquidity in a high-frequency
/// world", Review of Financial Studies 25(5), 1457-1493, 2012. Traded volume is cut into buckets of
/// exactly V lots -- a trade that overflows the open bucket is split, its remainder opening the next
/// bucket(s) -- and, over the n most recent completed buckets tau,
///
///     VPIN = sum_tau |V^B_tau - V^S_tau| / (n V),   V^B_tau + V^S_tau = V,   so VPIN is in [0, 1].
///
/// Classification, two ways:
/// - `on_trade(aggressor, size)`: the caller knows the aggressor. Exact for LOBSTER, whose executions
///   name the resting order: an execution of a resting SELL order is a BUY-initiated trade (and vice
///   versa). Integer lots are held exactly in doubles (below 2^53), so VPIN is one exact sum and one
///   division: reproducible to the bit.
/// - `on_volume(volume, buy_fraction)`: bulk volume classification (BVC), the paper's own method for
///   data without aggressor flags. Volume is aggregated into time bars (one minute in the paper) and
///   a bar of volume V_i whose price moved by dP_i is taken as buy-initiated in the fraction
///   Z(dP_i / sigma_dP), Z the standard normal CDF and sigma_dP the standard deviation of bar price
///   changes: `bvc_buy_fraction(dP_i, sigma_dP)`. Andersen & Bondarenko ("Assessing measures of order
///   flow toxicity via perfect trade classification", 2013) find BVC-VPIN behaves very differently
///   from VPIN built on exact aggressor flags; prefer `on_trade` when the feed gives the aggressor.
///
/// Before n buckets are complete, `value()` averages the buckets completed so far (divisor m V, m
/// the count) and `ready()` is false. The imbalances of the last n buckets live in a fixed ring
/// allocated by the constructor; every other member is noexcept and allocation-free. A trade larger
/// than several buckets costs O(min(size / V, n)), not O(size / V).
class vpin {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const vpin_config& c) noexcept {
        if (c.bucket_volume.lots() <= 0) return "vpin_config.bucket_volume must be > 0 lots";
        if (c.window < 1) return "vpin_config.window must be >= 1";
        return {};
    }

    /// A VPIN with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem, std::bad_alloc if the ring cannot be allocated.
    explicit vpin(const vpin_config& c) : cfg_(validated(c)), ring_(c.window) {}

    /// The BVC buy fraction Z(price_change / sigma) in [0, 1] (Easley, Lopez de Prado & O'Hara 2012):
    /// `price_change` is the bar's price move and `sigma` the standard deviation of bar price moves,
    /// both in one price unit. sigma <= 0 gives the limit sigma -> 0: 1 for a rise, 0 for a fall, 1/2
    /// for no move. A NaN input, or an undefined ratio (both infinite), gives 1/2: no information.
    [[nodiscard]] static double bvc_buy_fraction(double price_change, double sigma) noexcept {
        if (std::isnan(price_change) || std::isnan(sigma)) return 0.5;
        if (sigma <= 0.0) return price_change > 0.0 ? 1.0 : price_change < 0.0 ? 0.0 : 0.5;
        const double x = price_change / sigma;
        if (std::isnan(x)) return 0.5;
        // Z(x) = erfc(-x / sqrt 2) / 2, accurate in both tails (1 + erf would cancel for x << 0).
        return 0.5 * std::erfc(-x * 0.70710678118654752440);
    }

    /// Adds a trade of `size` lots whose aggressor (the side that crossed the spread) is `aggressor`.
    /// Sizes <= 0 are ignored.
    void on_trade(side aggressor, qty size) noexcept { add(size.lots(), aggressor == side::buy ? 1.0 : 0.0); }

    /// Adds `volume` lots of which the fraction `buy_fraction` (clamped to [0, 1]) is buy-initiated,
    /// e.g. a time bar classified by `bvc_buy_fraction`. Volumes <= 0 and a NaN fraction are ignored.
    void on_volume(qty volume, double buy_fraction) noexcept {
        if (std::isnan(buy_fraction)) return;
        add(volume.lots(), std::clamp(buy_fraction, 0.0, 1.0));
    }

    /// True once `window` buckets have been completed.
    [[nodiscard]] bool ready() const noexcept { return ring_.full(); }

    /// VPIN in [0, 1] over the last min(window, completed) buckets; 0 before the first completes.
    [[nodiscard]] double value() const noexcept {
        if (ring_.empty()) return 0.0;
        return sum_ / (static_cast<double>(ring_.size()) * static_cast<double>(cfg_.bucket_volume.lots()));
    }

    /// Buckets completed since construction or `reset()` (including those already out of the window).
    [[nodiscard]] std::uint64_t buckets_completed() const noexcept { return completed_; }

    /// Lots in the open (incomplete) bucket, in [0, V).
    [[nodiscard]] qty open_volume() const noexcept { return qty{open_}; }

    /// Buy-initiated lots in the open bucket (fractional under BVC).
    [[nodiscard]] double open_buy_volume() const noexcept { return open_buy_; }

    /// |V^B - V^S| (lots) of the i-th most recent completed bucket (i = 0 the newest).
    /// Precondition: i < min(window, buckets_completed()).
    [[nodiscard]] double bucket_imbalance(std::size_t i) const noexcept {
        return ring_[ring_.size() - 1 - i];
    }

    /// The settings in use.
    [[nodiscard]] const vpin_config& config() const noexcept { return cfg_; }

    /// Forgets every bucket, completed or open; keeps the settings and the ring's memory.
    void reset() noexcept {
        ring_.clear();
        completed_ = 0;
        open_ = 0;
        open_buy_ = sum_ = 0.0;
    }

private:
    static const vpin_config& validated(const vpin_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    // Adds v lots of which the fraction f in [0, 1] is buy-initiated, splitting across buckets.
    void add(std::int64_t v, double f) noexcept {
        if (v <= 0) return;
        const std::int64_t cap = cfg_.bucket_volume.lots();
        const std::int64_t take = std::min(v, cap - open_);
        open_ += take;
        open_buy_ += static_cast<double>(take) * f;
        v -= take;
        bool closed = false;
        if (open_ == cap) {
            push(open_buy_);
            open_ = 0;
            open_buy_ = 0.0;
            closed = true;
        }
        if (v > 0) {  // the open bucket was closed above: whole buckets, then a remainder
            const std::int64_t whole = v / cap;
            const std::int64_t rest = v % cap;
            if (whole > 0) {
                // Only the last `window` of them can stay in the ring; the others are just counted.
                const auto window = static_cast<std::uint64_t>(cfg_.window);
                const auto n = static_cast<std::uint64_t>(whole);
                const std::uint64_t kept = std::min(n, window);
                completed_ += n - kept;
                const double buy = static_cast<double>(cap) * f;
                for (std::uint64_t i = 0; i < kept; ++i) push(buy);
                closed = true;
            }
            open_ = rest;
            open_buy_ = static_cast<double>(rest) * f;
        }
        if (closed) resum();
    }

    // Stores the imbalance of a just-completed bucket holding `buy` buy-initiated lots.
    void push(double buy) noexcept {
        const double sell = static_cast<double>(cfg_.bucket_volume.lots()) - buy;
        if (ring_.full()) ring_.pop();
        (void)ring_.push(std::fabs(buy - sell));  // cannot fail: a slot was just freed if needed
        ++completed_;
    }

    // Sum of the window's imbalances, oldest first: recomputed rather than updated by subtraction,
    // so fractional (BVC) imbalances never accumulate rounding drift. O(window) per closing trade.
    void resum() noexcept {
        double s = 0.0;
        for (std::size_t i = 0; i < ring_.size(); ++i) s += ring_[i];
        sum_ = s;
    }

    vpin_config cfg_;
    ring_buffer<double> ring_;        // |V^B - V^S| of the last <= window completed buckets, oldest first
    std::uint64_t completed_ = 0;
    std::int64_t open_ = 0;           // lots in the open bucket
    double open_buy_ = 0.0;           // buy-initiated lots in the open bucket
    double sum_ = 0.0;                // sum of the valid slots
};

} // namespace v0
} // namespace pinnacle
