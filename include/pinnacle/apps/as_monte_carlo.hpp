#pragma once
/// @file apps/as_monte_carlo.hpp
/// The Monte Carlo experiment of Avellaneda and Stoikov (2008), section 4: a market maker on a
/// binomial mid-price, filled with probability A e^{-k delta} dt per step, quoting either around the
/// reservation price ("inventory") or around the mid ("symmetric"). Deterministic for a given seed
/// on every standard library: std::mt19937_64 (whose output the standard fixes) and our own
/// uniform and Bernoulli draws.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/random.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"

namespace pinnacle {
inline namespace v0 {

/// Which quotes the simulated agent posts: A&S 2008, section 4.
enum class as_mc_strategy : std::uint8_t {
    inventory = 0, ///< Bid and ask at r -/+ spread/2, r = the reservation price (skewed by inventory).
    symmetric,     ///< Bid and ask at s -/+ spread/2: the same total spread, centred on the mid s.
};

/// Stable lower-case name of a strategy ("inventory", "symmetric").
[[nodiscard]] constexpr std::string_view to_string(as_mc_strategy s) noexcept {
    return s == as_mc_strategy::inventory ? "inventory" : "symmetric";
}

/// Which total spread both strategies quote.
enum class as_mc_spread : std::uint8_t {
    /// gamma sigma^2 (T - t) + (2/gamma) ln(1 + gamma/k): the model's optimal spread (A&S 2008,
    /// section 3). The default; the spread this experiment is specified with.
    full = 0,
    /// (2/gamma) ln(1 + gamma/k) only, i.e. the spread at t = T, constant in time. Diagnostic: it is
    /// what the paper's "spread" column shows and, with `as_mc_fill_distance::next_mid`, the reading
    /// that reproduces 23 of its 24 figures (docs/avellaneda-stoikov.md).
    arrival_only,
};

/// From which price the fill distances delta_b = ref - p_b and delta_a = p_a - ref are measured.
enum class as_mc_fill_distance : std::uint8_t {
    /// The mid s_n the quotes were set on at the start of the step; the mid then moves (default).
    /// The left-point (non-anticipating) Euler step of the model's intensity lambda(p - S_t).
    quote_mid = 0,
    /// The mid s_{n+1} after this step's move: the move happens before the fills (diagnostic).
    next_mid,
    /// The agent's reservation price r (= s for the symmetric strategy). Diagnostic: the reading of
    /// the paper in which delta is the distance to r rather than to the mid.
    reservation,
};

/// What a quote beyond the mid it was set on does (a bid above s_n or an ask below it). Only the
/// inventory strategy's quotes can cross: its r moves away from s as |q| grows. The bid and ask never
/// cross each other (their distance is the total spread, > 0).
enum class as_mc_crossing : std::uint8_t {
    /// Nothing special (default): the quote stays where the strategy put it and fills with
    /// probability min(1, A e^{-k delta} dt), delta < 0, at its own price: the agent pays |delta|
    /// over the mid to get rid of inventory, which is what its reservation price asks for.
    literal = 0,
    /// The quote is moved to the mid s_n (delta = 0 with the default fill distance) before the fill
    /// draw, as if quotes could not be marketable (diagnostic).
    clamp_to_mid,
};

/// Stable name of a spread rule ("full", "arrival-only").
[[nodiscard]] constexpr std::string_view to_string(as_mc_spread s) noexcept {
    return s == as_mc_spread::full ? "full" : "arrival-only";
}

/// Stable name of a fill-distance reference ("quote-mid", "next-mid", "reservation").
[[nodiscard]] constexpr std::string_view to_string(as_mc_fill_distance f) noexcept {
    switch (f) {
        case as_mc_fill_distance::quote_mid: return "quote-mid";
        case as_mc_fill_distance::next_mid: return "next-mid";
        case as_mc_fill_distance::reservation: return "reservation";
    }
    return "unknown";
}

/// Stable name of a crossing rule ("literal", "clamp").
[[nodiscard]] constexpr std::string_view to_string(as_mc_crossing c) noexcept {
    return c == as_mc_crossing::literal ? "literal" : "clamp";
}

/// Settings of the experiment. The defaults are the paper's (A&S 2008, section 4) except `seed`.
/// Thread-safety: value type.
///
/// Units as in the paper: prices in currency, time in units of T (T = 1), sigma in
/// currency/sqrt(time), k in 1/currency, A in fills per unit of time at delta = 0.
struct as_monte_carlo_config {
    double s0 = 100.0;          ///< Initial mid s_0 (currency).
    double horizon = 1.0;       ///< Horizon T (time units), > 0.
    double sigma = 2.0;         ///< Volatility of the mid (currency/sqrt(time)), >= 0.
    double dt = 0.005;          ///< Time step (time units); T/dt must be a whole number of steps.
    double k = 1.5;             ///< Decay k of the intensity lambda(delta) = A e^{-k delta} (1/currency), > 0.
    double a = 140.0;           ///< A of the intensity (fills per unit of time at delta = 0), >= 0.
    std::int64_t order_size = 1; ///< Units each fill trades (inventory q counts units), > 0.
    std::size_t paths = 1000;   ///< Simulated paths per (gamma, strategy) cell, >= 2.
    std::uint64_t seed = 2008;  ///< Seed of the std::mt19937_64 generator of every cell.
    as_mc_spread spread = as_mc_spread::full;                         ///< Total spread rule.
    as_mc_fill_distance fill_distance = as_mc_fill_distance::quote_mid; ///< Reference of the deltas.
    as_mc_crossing crossing = as_mc_crossing::literal;                 ///< Quotes beyond the mid.
};

/// Monte Carlo estimate of a mean and a standard deviation over paths, with their standard errors.
/// Thread-safety: value type.
struct as_mc_estimate {
    double mean = 0.0;    ///< Sample mean over paths.
    double sd = 0.0;      ///< Sample standard deviation over paths (n - 1 in the denominator).
    double se_mean = 0.0; ///< Standard error of `mean`: sd / sqrt(n).
    /// Standard error of `sd` by the delta method, sqrt((m4 - s^4) / n) / (2 s) with m4 the sample
    /// fourth central moment; for normal data about sd / sqrt(2n). 0 when sd is 0.
    double se_sd = 0.0;
};

/// The result of one (gamma, strategy) cell of the table. Thread-safety: value type.
struct as_mc_cell {
    double gamma = 0.0;                                   ///< Risk aversion gamma (1/currency).
    as_mc_strategy strategy = as_mc_strategy::inventory;  ///< Which quotes were posted.
    std::size_t paths = 0;                                ///< Paths simulated.
    std::size_t steps = 0;                                ///< Steps per path, T/dt.
    /// (2/gamma) ln(1 + gamma/k) (currency): exact, no simulation; what the paper's spread column shows.
    double arrival_spread = 0.0;
    /// Quoted spread p_a - p_b (currency) averaged over the steps of each path, across paths;
    /// `spread.mean` is the average over steps and paths.
    as_mc_estimate spread;
    as_mc_estimate profit;   ///< Profit cash + q s_T at T (currency), over paths.
    as_mc_estimate final_q;  ///< Inventory q at T (units), over paths.
    double bid_fills = 0.0;  ///< Mean number of bid fills (buys) per path.
    double ask_fills = 0.0;  ///< Mean number of ask fills (sells) per path.
    /// Fraction of posted quotes (bid and ask counted separately, over all steps and paths) beyond
    /// the mid s_n they were set on (delta < 0 from that mid), counted before any clamping.
    double crossed_fraction = 0.0;
    /// Fraction of fill draws (bid and ask, all steps and paths) where A e^{-k delta} dt > 1 and the
    /// probability was capped at 1.
    double capped_fraction = 0.0;
};

/// One row of the paper's results (A&S 2008, section 4, the tables for gamma = 0.1, 0.01, 0.5).
/// Thread-safety: value type.
struct as_paper_row {
    double gamma;             ///< Risk aversion (1/currency).
    as_mc_strategy strategy;  ///< Strategy.
    double spread;            ///< "Average spread" as printed (currency).
    double profit;            ///< Mean profit (currency).
    double sd_profit;         ///< Std(profit) (currency).
    double final_q;           ///< Mean final inventory (units).
    double sd_final_q;        ///< Std(final q) (units).
};

/// Paths behind each figure of the paper's table.
inline constexpr std::size_t as_paper_paths = 1000;

/// The paper's figures, in its order: gamma = 0.1, 0.01, 0.5, inventory then symmetric.
inline constexpr std::array<as_paper_row, 6> as_paper_table{{
    {0.1, as_mc_strategy::inventory, 1.29, 62.94, 5.89, 0.10, 2.80},
    {0.1, as_mc_strategy::symmetric, 1.29, 67.21, 13.43, -0.018, 8.66},
    {0.01, as_mc_strategy::inventory, 1.33, 66.78, 8.76, -0.02, 4.70},
    {0.01, as_mc_strategy::symmetric, 1.33, 67.36, 13.40, -0.31, 8.65},
    {0.5, as_mc_strategy::inventory, 1.15, 33.92, 4.72, -0.02, 1.88},
    {0.5, as_mc_strategy::symmetric, 1.15, 66.20, 14.53, 0.25, 9.06},
}};

/// The paper's three risk aversions, in its order (1/currency).
inline constexpr std::array<double, 3> as_paper_gammas{0.1, 0.01, 0.5};

/// A Bernoulli draw with probability `p` from one 64-bit draw: uniform01_from_bits(bits) < p (core/random.hpp).
/// p >= 1 always succeeds (the cap at 1), p <= 0 or NaN never does.
[[nodiscard]] constexpr bool as_mc_bernoulli(std::uint64_t bits, double p) noexcept { return uniform01_from_bits(bits) < p; }

/// Number of steps T/dt, or 0 when T/dt is not within 1e-9 of a whole number from 1 to 10^9.
[[nodiscard]] inline std::size_t as_mc_steps(double horizon, double dt) noexcept {
    if (!(horizon > 0.0 && dt > 0.0)) return 0;
    const double n = horizon / dt;
    if (!(n >= 0.5 && n <= 1e9)) return 0;
    const double whole = std::round(n);
    if (std::fabs(n - whole) > 1e-9 * whole) return 0;
    return static_cast<std::size_t>(whole);
}

/// Why `c` is invalid, or an empty view when it is valid.
[[nodiscard]] inline std::string_view as_mc_check(const as_monte_carlo_config& c) noexcept {
    constexpr double max = std::numeric_limits<double>::max();
    if (!(std::fabs(c.s0) <= max)) return "as_monte_carlo_config.s0 must be finite";
    if (!(c.horizon > 0.0 && c.horizon <= max)) return "as_monte_carlo_config.horizon must be finite and > 0";
    if (!(c.sigma >= 0.0 && c.sigma <= max)) return "as_monte_carlo_config.sigma must be finite and >= 0";
    if (!(c.dt > 0.0 && c.dt <= max)) return "as_monte_carlo_config.dt must be finite and > 0";
    if (as_mc_steps(c.horizon, c.dt) == 0)
        return "as_monte_carlo_config.horizon / dt must be a whole number of steps from 1 to 10^9";
    if (!(c.k > 0.0 && c.k <= max)) return "as_monte_carlo_config.k must be finite and > 0";
    if (!(c.a >= 0.0 && c.a <= max)) return "as_monte_carlo_config.a must be finite and >= 0";
    if (c.order_size <= 0 || c.order_size > 1'000'000) return "as_monte_carlo_config.order_size must be from 1 to 10^6";
    if (c.paths < 2) return "as_monte_carlo_config.paths must be >= 2 (a standard deviation needs two)";
    return {};
}

/// Why `gamma` cannot be simulated, or an empty view when it can.
[[nodiscard]] inline std::string_view as_mc_check_gamma(double gamma) noexcept {
    if (!(gamma > 0.0 && gamma <= std::numeric_limits<double>::max())) return "gamma must be finite and > 0";
    return {};
}

namespace detail {

// Mean, sd, and their standard errors of `x` (size >= 2), two-pass for accuracy.
inline as_mc_estimate as_mc_estimate_of(const std::vector<double>& x) noexcept {
    const double n = static_cast<double>(x.size());
    double sum = 0.0;
    for (const double v : x) sum += v;
    const double mean = sum / n;
    double m2 = 0.0;
    double m4 = 0.0;
    for (const double v : x) {
        const double d = (v - mean) * (v - mean);
        m2 += d;
        m4 += d * d;
    }
    as_mc_estimate e;
    e.mean = mean;
    e.sd = std::sqrt(m2 / (n - 1.0));
    e.se_mean = e.sd / std::sqrt(n);
    if (e.sd > 0.0) {
        const double var_n = m2 / n;  // the moments of the delta method are the biased ones
        const double excess = m4 / n - var_n * var_n;
        e.se_sd = std::sqrt(std::max(0.0, excess) / n) / (2.0 * std::sqrt(var_n));
    }
    return e;
}

} // namespace detail

/// Runs one cell of the table: `c.paths` paths of the A&S 2008 section 4 experiment at risk
/// aversion `gamma` (1/currency) with `strategy`. Throws std::invalid_argument (aborts without
/// exceptions) when `as_mc_check(c)` or `as_mc_check_gamma(gamma)` reports a problem.
/// Thread-safety: any thread (no shared state). Deterministic: the same arguments give
/// bit-identical results (given the same libm `exp`/`log1p` and no floating-point contraction).
///
/// One step n = 0 .. N-1 (t = n dt, N = T/dt), in this order:
///  1. Quotes from the state at the start of the step (s_n, q_n, T - t), with
///     `avellaneda_stoikov::reservation_price` and `optimal_spread` (A&S 2008 section 3:
///     r = s - q gamma sigma^2 (T - t), spread = gamma sigma^2 (T - t) + (2/gamma) ln(1 + gamma/k));
///     the inventory strategy centres the spread on r, the symmetric one on s_n. Prices are not
///     rounded to a tick (the paper's are continuous). A quote beyond s_n is handled by `c.crossing`.
///  2. Three generator draws, always, in this order: the mid's move, the bid's fill, the ask's fill.
///     So all cells with one seed see the same mid paths and uniforms (common random numbers).
///  3. Fills of the step-1 quotes, which stay fixed through the step: the bid with probability
///     min(1, A e^{-k delta_b} dt), the ask likewise, independently, so both sides can fill in one
///     step, but each side at most once (a Bernoulli per side and step, as the paper's "probability
///     lambda dt" says; not a Poisson count). delta is measured from `c.fill_distance` (default: s_n,
///     so whether a quote fills does not depend on this step's move). A fill trades `order_size`
///     units at the quote's own price. The cap at 1 binds only when A e^{-k delta} dt > 1, i.e. for
///     delta < -ln(1/(A dt))/k (-0.238 with the paper's A dt = 0.7, k = 1.5): a quote well beyond
///     the mid; `as_mc_cell::capped_fraction` counts it.
///  4. The mid moves to s_n +/- sigma sqrt(dt), each with probability 1/2 (top bit of draw 1).
/// At T: profit = cash + q_N s_N. The mid is computed as s_0 + (ups - downs) sigma sqrt(dt), not by
/// summing, so it carries no accumulated rounding.
[[nodiscard]] inline as_mc_cell run_as_monte_carlo_cell(const as_monte_carlo_config& c, double gamma,
                                                        as_mc_strategy strategy) {
    detail::require_valid_config(as_mc_check(c));
    detail::require_valid_config(as_mc_check_gamma(gamma));

    const std::size_t steps = as_mc_steps(c.horizon, c.dt);
    const double jump = c.sigma * std::sqrt(c.dt);
    const double size = static_cast<double>(c.order_size);
    const bool inventory = strategy == as_mc_strategy::inventory;

    std::vector<double> profit(c.paths);
    std::vector<double> final_q(c.paths);
    std::vector<double> spread(c.paths);
    std::uint64_t bid_fills = 0;
    std::uint64_t ask_fills = 0;
    std::uint64_t crossed = 0;
    std::uint64_t capped = 0;

    std::mt19937_64 gen(c.seed);
    for (std::size_t path = 0; path < c.paths; ++path) {
        std::int64_t net_moves = 0;  // ups minus downs so far
        std::int64_t q = 0;          // inventory (units)
        double cash = 0.0;
        double spread_sum = 0.0;
        for (std::size_t n = 0; n < steps; ++n) {
            const double s = c.s0 + static_cast<double>(net_moves) * jump;
            const double tau = c.horizon - static_cast<double>(n) * c.dt;
            const double qd = static_cast<double>(q);
            const double r = inventory ? avellaneda_stoikov::reservation_price(s, qd, gamma, c.sigma, tau) : s;
            const double total = avellaneda_stoikov::optimal_spread(
                gamma, c.sigma, c.spread == as_mc_spread::full ? tau : 0.0, c.k);

            const std::uint64_t move_bits = gen();
            const std::uint64_t bid_bits = gen();
            const std::uint64_t ask_bits = gen();
            const std::int64_t move = (move_bits >> 63) != 0 ? 1 : -1;

            double bid = r - total * 0.5;
            double ask = r + total * 0.5;
            if (bid > s) {
                ++crossed;
                if (c.crossing == as_mc_crossing::clamp_to_mid) bid = s;
            }
            if (ask < s) {
                ++crossed;
                if (c.crossing == as_mc_crossing::clamp_to_mid) ask = s;
            }
            spread_sum += ask - bid;

            double ref = s;
            if (c.fill_distance == as_mc_fill_distance::next_mid) ref = c.s0 + static_cast<double>(net_moves + move) * jump;
            else if (c.fill_distance == as_mc_fill_distance::reservation) ref = r;

            const double p_bid = c.a * std::exp(-c.k * (ref - bid)) * c.dt;
            const double p_ask = c.a * std::exp(-c.k * (ask - ref)) * c.dt;
            if (p_bid > 1.0) ++capped;
            if (p_ask > 1.0) ++capped;
            if (as_mc_bernoulli(bid_bits, p_bid)) {
                q += c.order_size;
                cash -= bid * size;
                ++bid_fills;
            }
            if (as_mc_bernoulli(ask_bits, p_ask)) {
                q -= c.order_size;
                cash += ask * size;
                ++ask_fills;
            }
            net_moves += move;
        }
        const double s_end = c.s0 + static_cast<double>(net_moves) * jump;
        profit[path] = cash + static_cast<double>(q) * s_end;
        final_q[path] = static_cast<double>(q);
        spread[path] = spread_sum / static_cast<double>(steps);
    }

    as_mc_cell out;
    out.gamma = gamma;
    out.strategy = strategy;
    out.paths = c.paths;
    out.steps = steps;
    out.arrival_spread = avellaneda_stoikov::optimal_spread(gamma, c.sigma, 0.0, c.k);
    out.spread = detail::as_mc_estimate_of(spread);
    out.profit = detail::as_mc_estimate_of(profit);
    out.final_q = detail::as_mc_estimate_of(final_q);
    const double paths = static_cast<double>(c.paths);
    const double draws = 2.0 * paths * static_cast<double>(steps);
    out.bid_fills = static_cast<double>(bid_fills) / paths;
    out.ask_fills = static_cast<double>(ask_fills) / paths;
    out.crossed_fraction = static_cast<double>(crossed) / draws;
    out.capped_fraction = static_cast<double>(capped) / draws;
    return out;
}

/// The whole table: for each gamma in `gammas` (default: the paper's 0.1, 0.01, 0.5), the inventory
/// cell then the symmetric cell, each run as `run_as_monte_carlo_cell(c, gamma, strategy)` with the
/// same seed. Throws (aborts) like it.
[[nodiscard]] inline std::vector<as_mc_cell> run_as_monte_carlo_table(const as_monte_carlo_config& c,
                                                                       std::span<const double> gammas = as_paper_gammas) {
    std::vector<as_mc_cell> out;
    out.reserve(2 * gammas.size());
    for (const double g : gammas) {
        out.push_back(run_as_monte_carlo_cell(c, g, as_mc_strategy::inventory));
        out.push_back(run_as_monte_carlo_cell(c, g, as_mc_strategy::symmetric));
    }
    return out;
}

/// How far one of our figures is from the paper's, in standard errors of the difference.
/// Thread-safety: value type.
struct as_mc_deviation {
    double diff = 0.0;  ///< Ours minus the paper's (the figure's unit).
    double se = 0.0;    ///< Standard error of the difference (same unit).
    /// diff / se; +-infinity when se is 0 and diff is not, 0 when both are 0.
    double z = 0.0;
};

/// Our figures against one paper row, each difference in standard errors. Thread-safety: value type.
struct as_mc_comparison {
    as_mc_deviation profit;      ///< Mean profit (currency).
    as_mc_deviation sd_profit;   ///< Std(profit) (currency).
    as_mc_deviation final_q;     ///< Mean final q (units).
    as_mc_deviation sd_final_q;  ///< Std(final q) (units).
};

namespace detail {

inline as_mc_deviation as_mc_deviation_of(double ours, double paper, double se_ours, double se_paper) noexcept {
    as_mc_deviation d;
    d.diff = ours - paper;
    d.se = std::sqrt(se_ours * se_ours + se_paper * se_paper);
    if (d.se > 0.0) d.z = d.diff / d.se;
    else if (d.diff != 0.0) d.z = d.diff > 0.0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
    return d;
}

// The paper's sd over `paper_paths` paths, given the relative standard error ours has over ours.
inline double as_mc_paper_se_sd(const as_mc_estimate& ours, std::size_t our_paths, double paper_sd,
                                std::size_t paper_paths) noexcept {
    if (!(ours.sd > 0.0)) return 0.0;
    return paper_sd * (ours.se_sd / ours.sd) * std::sqrt(static_cast<double>(our_paths) / static_cast<double>(paper_paths));
}

} // namespace detail

/// Compares `cell` with `paper`, counting both as Monte Carlo estimates: the paper's figures come
/// from `paper_paths` paths too, so the standard error of a difference is sqrt(se_ours^2 + se_paper^2).
/// For a mean, se_paper = paper sd / sqrt(paper_paths). For an sd, se_paper takes our relative
/// standard error of the sd (which carries our estimate of the kurtosis) scaled to paper_paths.
[[nodiscard]] inline as_mc_comparison as_mc_compare(const as_mc_cell& cell, const as_paper_row& paper,
                                              std::size_t paper_paths = as_paper_paths) noexcept {
    const double pn = std::sqrt(static_cast<double>(paper_paths));
    as_mc_comparison out;
    out.profit = detail::as_mc_deviation_of(cell.profit.mean, paper.profit, cell.profit.se_mean, paper.sd_profit / pn);
    out.final_q = detail::as_mc_deviation_of(cell.final_q.mean, paper.final_q, cell.final_q.se_mean, paper.sd_final_q / pn);
    out.sd_profit = detail::as_mc_deviation_of(cell.profit.sd, paper.sd_profit, cell.profit.se_sd,
                                               detail::as_mc_paper_se_sd(cell.profit, cell.paths, paper.sd_profit, paper_paths));
    out.sd_final_q = detail::as_mc_deviation_of(cell.final_q.sd, paper.sd_final_q, cell.final_q.se_sd,
                                                detail::as_mc_paper_se_sd(cell.final_q, cell.paths, paper.sd_final_q, paper_paths));
    return out;
}

} // namespace v0
} // namespace pinnacle
