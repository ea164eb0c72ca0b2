#pragma once
/// @file risk/var.hpp
/// One-period Value at Risk and Expected Shortfall of a single position (historical simulation,
/// parametric normal, Monte Carlo normal), and a publisher that hands the latest estimate from the
/// off-hot-path VaR thread to hot-path readers without ever making a reader wait.
///
/// Sign convention everywhere: P&L = position_value * r for a simple return r over one period (the
/// period of the returns given); VaR and ES are losses, positive when the tail P&L is a loss. A
/// short position (position_value < 0) loses on up moves. VaR may come out negative when even the
/// tail outcome is a gain (e.g. a strongly positive mean); it is reported as is, never clamped.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// How a VaR figure was computed.
enum class var_method : std::uint8_t {
    historical = 0, ///< Empirical quantile of past returns applied to today's position.
    parametric,     ///< Normal returns with the sample mean and sd: closed form.
    monte_carlo,    ///< Normal returns with the sample mean and sd: simulated paths.
};

/// Stable lower-case name of a var_method.
[[nodiscard]] constexpr std::string_view to_string(var_method m) noexcept {
    switch (m) {
        case var_method::historical: return "historical";
        case var_method::parametric: return "parametric";
        case var_method::monte_carlo: return "monte_carlo";
    }
    return "unknown";
}

/// Why a VaR computation produced no result. A call reports the first failure it finds, checking
/// confidence, then the position value, then the number of returns, then their values, then paths.
enum class var_error : std::uint8_t {
    none = 0,         ///< No error.
    bad_confidence,   ///< Confidence is NaN or not strictly inside (0, 1).
    invalid_input,    ///< Position value, a return, mean or sd NaN/inf; sd < 0; or the result overflows.
    too_few_samples,  ///< Fewer than 2 returns (a quantile or a sample sd needs at least 2).
    too_many_samples, ///< Historical: more returns than the engine's `max_history()`.
    bad_paths,        ///< Monte Carlo: paths < 2 or more than the engine's `max_paths()`.
};

/// Stable lower-case name of a var_error, for logs and reports.
[[nodiscard]] constexpr std::string_view to_string(var_error e) noexcept {
    switch (e) {
        case var_error::none: return "none";
        case var_error::bad_confidence: return "bad_confidence";
        case var_error::invalid_input: return "invalid_input";
        case var_error::too_few_samples: return "too_few_samples";
        case var_error::too_many_samples: return "too_many_samples";
        case var_error::bad_paths: return "bad_paths";
    }
    return "unknown";
}

/// One VaR / ES estimate. Thread-safety: value type (trivially copyable).
///
/// A default-constructed result means "no estimate": var and es are NaN, so every comparison
/// against a limit is false -- a check must test `std::isnan(var)` (or the publisher's version 0).
struct var_result {
    var_method method = var_method::historical; ///< Model used.
    double confidence = 0.0;                    ///< Confidence level c in (0, 1), e.g. 0.99.
    /// VaR: the loss (currency) not exceeded with probability c over one period.
    double var = std::numeric_limits<double>::quiet_NaN();
    /// ES: the mean loss (currency) over the worst 1 - c of outcomes; always >= var.
    double expected_shortfall = std::numeric_limits<double>::quiet_NaN();
    double position_value = 0.0; ///< Signed position value (currency) the estimate is for.
    /// Returns used (historical, parametric) or paths (Monte Carlo); 0 when moments were given.
    std::size_t samples = 0;
    timestamp as_of; ///< Time the estimate refers to (ns), as given by the caller.
};

static_assert(std::is_trivially_copyable_v<var_result>, "var_result is copied through var_publisher");

/// A var_result, or the var_error that says why there is none. Thread-safety: value type.
///
/// Not pinnacle's `result<T>`: its `status` codes name order-path failures, and mapping "too few
/// returns" onto `invalid_qty` would mislead. Not `optional` plus a `last_error()` either: the
/// reason travels with the answer, and the engine keeps no error state between calls.
class [[nodiscard]] var_outcome {
public:
    /// A successful outcome holding `r`.
    constexpr var_outcome(const var_result& r) noexcept : value_(r), error_(var_error::none) {}  // NOLINT: implicit by design
    /// A failed outcome; `e` must not be `var_error::none`.
    constexpr var_outcome(var_error e) noexcept : value_(), error_(e) {}  // NOLINT: implicit by design
    /// True when a result is held.
    [[nodiscard]] constexpr bool has_value() const noexcept { return error_ == var_error::none; }
    /// Same as has_value().
    constexpr explicit operator bool() const noexcept { return has_value(); }
    /// The error (`none` when a result is held).
    [[nodiscard]] constexpr var_error error() const noexcept { return error_; }
    /// The result; precondition: has_value() (otherwise a default, NaN-valued result).
    [[nodiscard]] constexpr const var_result& value() const noexcept { return value_; }
    /// Member access to the result; precondition: has_value().
    constexpr const var_result* operator->() const noexcept { return &value_; }
    /// The result; precondition: has_value().
    constexpr const var_result& operator*() const noexcept { return value_; }

private:
    var_result value_;
    var_error error_;
};

/// Mean and standard deviation of one-period simple returns (dimensionless, e.g. 0.01 = 1 %).
struct normal_returns {
    double mean = 0.0; ///< Expected return per period.
    double sd = 0.0;   ///< Standard deviation of the return per period (>= 0).
};

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

/// Uniform double in [0, 1) from the top 53 bits of one draw (fixed; uniform_real_distribution is not).
[[nodiscard]] inline double unit_uniform(std::mt19937_64& g) noexcept {
    return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

/// Two independent standard normals by Marsaglia's polar method (Marsaglia & Bray, "A convenient
/// method for generating normal variables", SIAM Review 6(3), 1964): exact, rejection rate 1 - pi/4.
inline void polar_normal_pair(std::mt19937_64& g, double& z1, double& z2) noexcept {
    double u = 0.0, v = 0.0, s = 0.0;
    do {
        u = 2.0 * unit_uniform(g) - 1.0;
        v = 2.0 * unit_uniform(g) - 1.0;
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
/// specified by the standard), our own 53-bit uniform and Marsaglia polar sampler, and a
/// value-defined quantile. std::normal_distribution and std::uniform_real_distribution are
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

/// A var_result together with the publish count it came from (1 = first publish).
struct var_snapshot {
    var_result result;        ///< The estimate (default, NaN-valued, when version == 0).
    std::uint64_t version = 0; ///< Number of publishes up to and including this one; 0 = none yet.
};

/// Hands the latest var_result from one writer thread to any number of reader threads.
/// Thread-safety: `publish` from one thread at a time (single writer); `latest`, `snapshot`,
/// `version` from any thread, concurrently with each other and with `publish`.
///
/// Readers are wait-free (a fixed 5 steps: load, fetch_add, load, one slot copy, fetch_sub; no
/// loop, no retry) and always get a complete result -- the newest one, or the one before it if a publish
/// is in flight. The writer, which is off the hot path, is the one that waits: for at most the
/// readers that were already copying the slot it is about to reuse.
///
/// Scheme: Left-Right (Ramalhete & Correia, "Left-Right: A Concurrency Control Technique with
/// Wait-Free Population Oblivious Reads", 2015) with two slots and two reader counters. The writer
/// writes the slot readers are not directed to, flips `left_right_` (release) so that new readers
/// copy the new slot, then drains readers: it waits until counter[next] is empty, switches
/// readers to counter[next], and waits until counter[prev] is empty. Why no reader can be copying
/// a slot while the writer writes it: a reader copies slot s only after loading left_right == s,
/// and it registered in a counter before that load. The writer writes slot s only while
/// left_right != s, i.e. only after the previous publish flipped left_right away from s; a reader
/// that still loaded s loaded it before that flip (all operations are seq_cst, one total order),
/// so it had registered before the flip, and the previous publish did not return before both
/// counters had been seen empty after the flip -- the reader had departed. Its fetch_sub (release)
/// synchronises with the writer's load that saw the count drop, so the copy happens-before the
/// rewrite; the writer's slot write happens-before its release flip, which the reader's load
/// acquires, so the copy sees a complete slot. Every plain access is ordered: no data race (TSan
/// clean). Two counters instead of one let the writer drain old readers while new ones arrive.
///
/// Rejected simpler schemes: two slots + an index alone tear when a reader is preempted mid-copy
/// while the writer publishes twice (it rewrites the slot being copied); a per-slot sequence check
/// with fallback to the other slot detects that, but both slots can fail the same way, so the
/// reader would have to retry (lock-free, not wait-free) or return nothing.
class var_publisher {
public:
    /// A publisher holding no estimate (version 0, NaN VaR).
    var_publisher() noexcept = default;
    var_publisher(const var_publisher&) = delete;            ///< Not copyable (readers hold its address).
    var_publisher& operator=(const var_publisher&) = delete; ///< Not assignable.

    /// Makes `r` the latest result (single writer). May spin-yield while readers finish a copy.
    void publish(const var_result& r) noexcept {
        const std::uint32_t lr = left_right_.load(std::memory_order_relaxed);  // only this thread stores it
        const std::uint64_t v = version_.load(std::memory_order_relaxed) + 1;
        slots_[1 - lr] = var_snapshot{r, v};
        left_right_.store(1 - lr, std::memory_order_seq_cst);
        version_.store(v, std::memory_order_release);
        const std::uint32_t prev = version_index_.load(std::memory_order_relaxed);
        const std::uint32_t next = 1 - prev;
        wait_empty(readers_[next].count);
        version_index_.store(next, std::memory_order_seq_cst);
        wait_empty(readers_[prev].count);
    }

    /// The latest published result with its version (wait-free, any thread).
    [[nodiscard]] var_snapshot snapshot() const noexcept {
        const std::uint32_t vi = version_index_.load(std::memory_order_seq_cst);
        readers_[vi].count.fetch_add(1, std::memory_order_seq_cst);
        const var_snapshot s = slots_[left_right_.load(std::memory_order_seq_cst)];
        readers_[vi].count.fetch_sub(1, std::memory_order_seq_cst);
        return s;
    }

    /// The latest published result (wait-free, any thread); NaN VaR before the first publish.
    [[nodiscard]] var_result latest() const noexcept { return snapshot().result; }

    /// Number of publishes completed so far (0 = none); may run ahead of a concurrent `latest()`.
    [[nodiscard]] std::uint64_t version() const noexcept { return version_.load(std::memory_order_acquire); }

private:
    // 64: the common cache-line size; std::hardware_destructive_interference_size warns in headers (GCC).
    struct alignas(64) reader_count {
        std::atomic<std::uint64_t> count{0};
    };

    static void wait_empty(const std::atomic<std::uint64_t>& c) noexcept {
        while (c.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    }

    var_snapshot slots_[2]{};
    alignas(64) std::atomic<std::uint32_t> left_right_{0};
    std::atomic<std::uint32_t> version_index_{0};
    std::atomic<std::uint64_t> version_{0};
    mutable reader_count readers_[2]{};
};

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
