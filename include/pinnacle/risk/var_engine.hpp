#pragma once
/// @file risk/var_engine.hpp
/// One-period Value at Risk and Expected Shortfall of a single position by historical simulation,
/// parametric normal and Monte Carlo normal (var_engine), with the normal quantile and density.
/// 
/// Sign convention everywhere: P&L = position_value * r for a simple return r over one period (the
/// period of the returns given); VaR and ES are losses, positive when the tail P&L is a loss. A
/// short position (position_value < 0) loses on up moves. VaR may come out negative when even the
/// tail outcome is a gain (e.g. a strongly positive mean); it is reported as is, never clamped.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "pinnacle/core/random.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/risk/var_result.hpp"

namespace pinnacle {
inline namespace v0 {

/// Standard normal quantile Phi^-1(p): Wichura, "Algorithm AS 241: The Percentage Points of the
/// Normal Distribution", Applied Statistics 37(3), 1988, 477-484 (PPND16, relative error ~1e-16).
/// Returns -inf at p == 0, +inf at p == 1, NaN for p outside [0, 1] or NaN.
[[nodiscard]] inline double inverse_normal_cdf(double p) noexcept {
    if (std::isnan(p) || p < 0.0 || p > 1.0) return std::numeric_limits<double>::quiet_NaN();
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    const double q = p - 0.5;
    if (std::fabs(q) <= 0.425) {
        const double r = 0.180625 - q * q;
        return q *
               (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r +
                    4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
                 1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) /
               (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r +
                    2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
                 4.2313330701600911252e+1) * r + 1.0);
    }
    // Tails: work with the smaller of p and 1 - p so that no precision is lost near 1.
    double r = std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p));
    double x = 0.0;
    if (r <= 5.0) {
        r -= 1.6;
        x = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r +
                 1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
              4.63033784615654529590e+0) * r + 1.42343711074968357734e+0) /
            (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r +
                 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
              2.05319162663775882187e+0) * r + 1.0);
    } else {
        r -= 5.0;
        x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r +
                 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
              5.46378491116411436990e+0) * r + 6.65790464350110377720e+0) /
            (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r +
                 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
              5.99832206555887937690e-1) * r + 1.0);
    }
    return q < 0.0 ? -x : x;
}

/// Standard normal density phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
[[nodiscard]] inline double normal_pdf(double x) noexcept {
    constexpr double inv_sqrt_2pi = 0.398942280401432677939946059934381868;
    return inv_sqrt_2pi * std::exp(-0.5 * x * x);
}

namespace detail {

/// Lower-tail statistics of a sample: the p-quantile and the mean excess of that quantile over
/// the quantile function below it (so that tail mean = quantile - excess <= quantile exactly).
struct lower_tail {
    double quantile = 0.0; ///< Q(p).
    double excess = 0.0;   ///< (1/p) * integral_0^p (Q(p) - Q(u)) du >= 0.
};

/// Lower-tail statistics of `x` (size >= 2, finite) at probability p in (0, 1); reorders `x`.
///
/// Q is Hyndman & Fan's definition 7 ("Sample Quantiles in Statistical Packages", The American
/// Statistician 50(4), 1996; R's and NumPy's default): with x sorted ascending, n values and
/// h = (n - 1) p, Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]), i.e. the
/// piecewise-linear function through (k / (n - 1), x[k]). The tail mean is the integral of that
/// same Q over [0, p] divided by p (Acerbi & Tasche, "On the coherence of expected shortfall",
/// J. Banking & Finance 26(7), 2002, applied to this Q), so ES >= VaR holds by construction and
/// both are continuous in p. Cost: O(n) selection plus a sort of the floor(h) + 1 tail values.
[[nodiscard]] inline lower_tail lower_tail_of(std::span<double> x, double p) noexcept {
    const std::size_t n = x.size();
    const double h = static_cast<double>(n - 1) * p;
    std::size_t j = static_cast<std::size_t>(h);  // h >= 0: truncation is floor
    if (j > n - 2) j = n - 2;                    // p < 1 keeps h < n - 1; guard rounding anyway
    const double f = h - static_cast<double>(j);
    const auto nth = x.begin() + static_cast<std::ptrdiff_t>(j + 1);
    std::nth_element(x.begin(), nth, x.end());  // x[j + 1] in place, everything before is <= it
    std::sort(x.begin(), nth);                  // x[0..j + 1] now ascending
    const double q = x[j] + f * (x[j + 1] - x[j]);
    // Trapezoids of (q - Q(u)) over [k/(n-1), (k+1)/(n-1)] for k < j, then the partial piece up
    // to h/(n-1) where q - Q falls linearly from q - x[j] to 0. Every term is >= 0.
    double twice_area = 0.0;
    for (std::size_t k = 0; k < j; ++k) twice_area += (q - x[k]) + (q - x[k + 1]);
    twice_area += f * (q - x[j]);
    const double excess = 0.5 * twice_area / (static_cast<double>(n - 1) * p);
    return lower_tail{q, excess > 0.0 ? excess : 0.0};
}

/// Two independent standard normals by Marsaglia's polar method (Marsaglia & Bray, "A convenient
/// method for generating normal variables", SIAM Review 6(3), 1964): exact, rejection rate 1 - pi/4.
inline void polar_normal_pair(std::mt19937_64& g, double& z1, double& z2) noexcept {
    double u = 0.0, v = 0.0, s = 0.0;
    do {
        u = 2.0 * uniform01(g) - 1.0;
        v = 2.0 * uniform01(g) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double m = std::sqrt(-2.0 * std::log(s) / s);
    z1 = u * m;
    z2 = v * m;
}

} // namespace detail

/// Computes one-period VaR and ES of a single position by three models. Thread-safety: one thread.
///
/// Meant for a risk thread off the hot path. All scratch memory (max(max_history, max_paths)
/// doubles) is allocated by the constructor; no call allocates afterwards. Every call is noexcept
/// and reports bad input through `var_outcome::error()` (see var_error for the order of checks).
///
/// Models (sources):
/// - historical: Jorion, "Value at Risk", 3rd ed., 2007, historical simulation: today's position
///   revalued with each past return, VaR = -Q(1 - c) of P&L = V r with Q the type-7 empirical
///   quantile and ES its tail mean (see detail::lower_tail_of).
/// - parametric: RiskMetrics -- Technical Document, J.P. Morgan/Reuters, 4th ed., 1996, and Jorion
///   (delta-normal VaR) with the sample mean kept: VaR = -mu V + z sd |V|, z = Phi^-1(c);
///   ES = -mu V + sd |V| phi(z) / (1 - c) (McNeil, Frey & Embrechts, "Quantitative Risk
///   Management", 2005, ES of a normal loss). mu = sample mean, sd = sample sd with divisor n - 1.
/// - monte_carlo: normal (arithmetic) returns r ~ N(mu, sd^2), NOT GBM: P&L = V r per path, so
///   it converges to the parametric figures; VaR and ES are taken from the paths exactly as in
///   historical. GBM would give V (exp(r) - 1) and differ only at higher order for daily sd.
///
/// Determinism of Monte Carlo: std::mt19937_64 seeded with the caller's seed (the engine fully
/// specified by the standard), our own 53-bit uniform (uniform01, core/random.hpp) and Marsaglia
/// polar sampler, and a value-defined quantile. std::normal_distribution and std::uniform_real_distribution are
/// avoided because their output is implementation-defined, so results are identical across
/// standard libraries (libstdc++, libc++, MSVC STL). Bit-identity across platforms also needs the
/// same std::log from the C math library (IEEE 754 does not mandate a correctly rounded log; sqrt
/// is exact) and no FMA contraction (-ffp-contract=off where the target has FMA).
class var_engine {
public:
    /// Default longest history `historical` accepts (returns).
    static constexpr std::size_t default_max_history = 10'000;
    /// Default largest Monte Carlo path count.
    static constexpr std::size_t default_max_paths = 100'000;
    /// Default Monte Carlo path count.
    static constexpr std::size_t default_paths = 10'000;

    /// An engine with scratch for `max_history` returns and `max_paths` paths (allocates once).
    explicit var_engine(std::size_t max_history = default_max_history, std::size_t max_paths = default_max_paths)
        : max_history_(max_history), max_paths_(max_paths), scratch_(std::max(max_history, max_paths)) {}

    /// Longest return history `historical` accepts.
    [[nodiscard]] std::size_t max_history() const noexcept { return max_history_; }
    /// Largest path count `monte_carlo` accepts.
    [[nodiscard]] std::size_t max_paths() const noexcept { return max_paths_; }

    /// Historical-simulation VaR/ES at `confidence` of a position worth `position_value` (currency,
    /// signed) given one-period simple `returns` (2 <= size <= max_history()); `as_of` is copied.
    [[nodiscard]] var_outcome historical(std::span<const double> returns, double position_value, double confidence,
                                         timestamp as_of) noexcept {
        if (!valid_confidence(confidence)) return var_error::bad_confidence;
        if (!std::isfinite(position_value)) return var_error::invalid_input;
        if (returns.size() < 2) return var_error::too_few_samples;
        if (returns.size() > max_history_) return var_error::too_many_samples;
        const std::span<double> pnl(scratch_.data(), returns.size());
        for (std::size_t i = 0; i < returns.size(); ++i) {
            pnl[i] = position_value * returns[i];
            if (!std::isfinite(pnl[i])) return var_error::invalid_input;
        }
        return from_tail(var_method::historical, pnl, position_value, confidence, returns.size(), as_of);
    }

    /// Parametric (normal) VaR/ES from the sample mean and sd (divisor n - 1) of `returns` (size >= 2).
    [[nodiscard]] var_outcome parametric(std::span<const double> returns, double position_value, double confidence,
                                         timestamp as_of) noexcept {
        if (!valid_confidence(confidence)) return var_error::bad_confidence;
        if (!std::isfinite(position_value)) return var_error::invalid_input;
        if (returns.size() < 2) return var_error::too_few_samples;
        const normal_returns m = moments(returns);
        if (!std::isfinite(m.mean) || !std::isfinite(m.sd)) return var_error::invalid_input;
        return parametric_impl(m, position_value, confidence, returns.size(), as_of);
    }

    /// Parametric (normal) VaR/ES for returns with the given mean and sd; `samples` is reported as 0.
    [[nodiscard]] var_outcome parametric(normal_returns m, double position_value, double confidence,
                                         timestamp as_of) noexcept {
        if (!valid_confidence(confidence)) return var_error::bad_confidence;
        if (!std::isfinite(position_value) || !valid_moments(m)) return var_error::invalid_input;
        return parametric_impl(m, position_value, confidence, 0, as_of);
    }

    /// Monte Carlo VaR/ES: `paths` normal returns with the sample mean and sd of `returns`
    /// (size >= 2), drawn from std::mt19937_64 seeded with `seed`.
    [[nodiscard]] var_outcome monte_carlo(std::span<const double> returns, double position_value, double confidence,
                                          std::uint64_t seed, timestamp as_of,
                                          std::size_t paths = default_paths) noexcept {
        if (!valid_confidence(confidence)) return var_error::bad_confidence;
        if (!std::isfinite(position_value)) return var_error::invalid_input;
        if (returns.size() < 2) return var_error::too_few_samples;
        const normal_returns m = moments(returns);
        if (!std::isfinite(m.mean) || !std::isfinite(m.sd)) return var_error::invalid_input;
        return monte_carlo_impl(m, position_value, confidence, seed, as_of, paths);
    }

    /// Monte Carlo VaR/ES: `paths` normal returns with mean `m.mean` and sd `m.sd`, seeded with `seed`.
    [[nodiscard]] var_outcome monte_carlo(normal_returns m, double position_value, double confidence,
                                          std::uint64_t seed, timestamp as_of,
                                          std::size_t paths = default_paths) noexcept {
        if (!valid_confidence(confidence)) return var_error::bad_confidence;
        if (!std::isfinite(position_value) || !valid_moments(m)) return var_error::invalid_input;
        return monte_carlo_impl(m, position_value, confidence, seed, as_of, paths);
    }

    /// Sample mean and sd (divisor n - 1, two-pass) of `returns`; NaN/inf propagate. Needs size >= 2.
    [[nodiscard]] static normal_returns moments(std::span<const double> returns) noexcept {
        const double n = static_cast<double>(returns.size());
        double sum = 0.0;
        for (const double r : returns) sum += r;
        const double mean = sum / n;
        double ss = 0.0;
        for (const double r : returns) ss += (r - mean) * (r - mean);
        return normal_returns{mean, std::sqrt(ss / (n - 1.0))};
    }

private:
    [[nodiscard]] static bool valid_confidence(double c) noexcept { return c > 0.0 && c < 1.0; }  // false for NaN
    [[nodiscard]] static bool valid_moments(normal_returns m) noexcept {
        return std::isfinite(m.mean) && std::isfinite(m.sd) && m.sd >= 0.0;
    }

    [[nodiscard]] static var_outcome finish(var_result r) noexcept {
        if (!std::isfinite(r.var) || !std::isfinite(r.expected_shortfall)) return var_error::invalid_input;
        return r;
    }

    [[nodiscard]] static var_outcome parametric_impl(normal_returns m, double v, double c, std::size_t samples,
                                                     timestamp as_of) noexcept {
        const double z = inverse_normal_cdf(c);
        const double scale = m.sd * std::fabs(v);
        const double var = -m.mean * v + z * scale;
        // phi(z) / (1 - c) > z for every z (Mills ratio); the max guards rounding only.
        const double tail = std::max(0.0, normal_pdf(z) / (1.0 - c) - z);
        return finish(var_result{var_method::parametric, c, var, var + scale * tail, v, samples, as_of});
    }

    [[nodiscard]] var_outcome monte_carlo_impl(normal_returns m, double v, double c, std::uint64_t seed,
                                               timestamp as_of, std::size_t paths) noexcept {
        if (paths < 2 || paths > max_paths_) return var_error::bad_paths;
        std::mt19937_64 gen(seed);
        const double drift = v * m.mean;
        const double scale = v * m.sd;
        double* out = scratch_.data();
        std::size_t i = 0;
        while (i < paths) {
            double z1 = 0.0, z2 = 0.0;
            detail::polar_normal_pair(gen, z1, z2);
            out[i++] = drift + scale * z1;
            if (i < paths) out[i++] = drift + scale * z2;  // odd path count: the last z2 is dropped
        }
        return from_tail(var_method::monte_carlo, std::span<double>(out, paths), v, c, paths, as_of);
    }

    [[nodiscard]] static var_outcome from_tail(var_method method, std::span<double> pnl, double v, double c,
                                               std::size_t samples, timestamp as_of) noexcept {
        const detail::lower_tail t = detail::lower_tail_of(pnl, 1.0 - c);
        const double var = -t.quantile;
        return finish(var_result{method, c, var, var + t.excess, v, samples, as_of});
    }

    std::size_t max_history_;
    std::size_t max_paths_;
    std::vector<double> scratch_;
};

} // namespace v0
} // namespace pinnacle
