#pragma once
/// @file route/schedules.hpp
/// Schedules that split a parent order over time: TWAP, VWAP (with the volume profile it needs) and
/// Almgren–Chriss, and the scheduler policies scheduled_router takes. Planning is noexcept and
/// allocation-free; randomness is seeded (splitmix64, core/random.hpp).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/core/random.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/largest_remainder.hpp"

namespace pinnacle {
inline namespace v0 {

/// One slice of a schedule: send `size` lots at or after `at` (ns).
struct slice {
    timestamp at; ///< Release time, ns.
    qty size;     ///< Lots.
};

/// TWAP: `n` slices of `total` lots released at start + i x dt, dt = (deadline - start) / n (ns,
/// integer division). Equal sizes: floor(total / n), the first total mod n slices one lot more.
/// With 0 < randomise <= 0.5 (clamped) and a seed, slice i's weight is 1 + randomise x (2u - 1) and
/// its time moves by randomise x dt x (2u' - 1) ns, rounded to the nearest ns (kept within
/// [start, deadline) and in order), u, u' uniform [0, 1) from splitmix64(seed) (core/random.hpp);
/// slice i's size is then round(total x C_i / W) - round(total x C_(i-1) / W), with C_i the
/// cumulative weight and W the sum, so sizes sum exactly to `total` and each is within one lot of
/// total x w_i / W.
/// Writes min(n, out.size()) slices and returns how many (0 if total <= 0 or deadline <= start).
/// O(n), no allocation.
inline std::size_t twap_schedule(qty total, timestamp start, timestamp deadline, std::size_t n, std::span<slice> out,
                                 double randomise = 0.0, std::uint64_t seed = 0) noexcept {
    n = std::min(n, out.size());
    if (n == 0 || total.lots() <= 0 || deadline <= start) return 0;
    const std::int64_t dt = (deadline - start).ns() / static_cast<std::int64_t>(n);
    const double f = std::clamp(randomise, 0.0, 0.5);
    if (f <= 0.0) {
        const std::int64_t base = total.lots() / static_cast<std::int64_t>(n);
        const auto extra = static_cast<std::size_t>(total.lots() % static_cast<std::int64_t>(n));
        for (std::size_t i = 0; i < n; ++i)
            out[i] = slice{start + duration{dt * static_cast<std::int64_t>(i)}, qty{base + (i < extra ? 1 : 0)}};
        return n;
    }
    // Weights come from splitmix64(seed); a copy replays them for the cumulative pass, so nothing
    // is stored (no buffer, any n). The time jitters are the draws after the weights.
    splitmix64 g(seed);
    const splitmix64 replay = g;
    double wsum = 0.0;
    for (std::size_t i = 0; i < n; ++i) wsum += 1.0 + f * (2.0 * uniform01(g) - 1.0);  // each > 0
    splitmix64 gw = replay;
    const std::int64_t t = total.lots();
    const double per_weight = static_cast<double>(t) / wsum;
    double cum = 0.0;
    std::int64_t prev = 0;
    const std::int64_t end_ns = deadline.ns() - 1;
    for (std::size_t i = 0; i < n; ++i) {
        cum += 1.0 + f * (2.0 * uniform01(gw) - 1.0);
        const std::int64_t upto = i + 1 == n ? t : std::clamp(detail::floor_to_int(cum * per_weight + 0.5), prev, t);
        const double jitter = f * static_cast<double>(dt) * (2.0 * uniform01(g) - 1.0);
        const std::int64_t j = detail::floor_to_int(jitter + 0.5);  // nearest ns (halves up)
        const std::int64_t at = std::clamp(start.ns() + dt * static_cast<std::int64_t>(i) + j, start.ns(), end_ns);
        out[i] = slice{timestamp{at}, qty{upto - prev}};
        prev = upto;
    }
    return n;
}

/// One historical trade for volume profiles (e.g. LOBSTER executions, types 4 and 5): time (ns)
/// and size (lots).
struct trade_print {
    timestamp ts; ///< Trade time, ns (LOBSTER: since midnight).
    qty size;     ///< Lots.
};

/// Intraday volume profile: the share of traded volume in each bucket [day_start + i x bucket,
/// day_start + (i + 1) x bucket), i < out.size(), from historical trades (several days may be
/// passed if their times are time-of-day, as LOBSTER's are). Trades outside the buckets or with
/// size <= 0 are ignored. `out` is normalised to sum 1 (all 0 when no volume falls in). Returns
/// the number of trades counted. O(trades + buckets), no allocation.
inline std::size_t volume_profile(std::span<const trade_print> trades, timestamp day_start, duration bucket,
                                  std::span<double> out) noexcept {
    std::fill(out.begin(), out.end(), 0.0);
    if (bucket.ns() <= 0 || out.empty()) return 0;
    std::size_t used = 0;
    double sum = 0.0;
    for (const auto& t : trades) {
        if (t.ts < day_start || t.size.lots() <= 0) continue;
        const auto i = static_cast<std::uint64_t>((t.ts - day_start).ns() / bucket.ns());
        if (i >= out.size()) continue;
        out[static_cast<std::size_t>(i)] += static_cast<double>(t.size.lots());
        sum += static_cast<double>(t.size.lots());
        ++used;
    }
    if (sum > 0.0)
        for (auto& v : out) v /= sum;
    return used;
}

/// VWAP: one slice per profile bucket (min(profile.size(), out.size()) slices), released at
/// start + i x dt, dt = (deadline - start) / n, sized in proportion to the profile by
/// largest_remainder so the slices sum exactly to `total` (a profile of zeros gives equal slices).
/// Returns the number of slices (0 if total <= 0, deadline <= start or n > 512). O(n x n) worst case.
inline std::size_t vwap_schedule(qty total, timestamp start, timestamp deadline, std::span<const double> profile,
                                 std::span<slice> out) noexcept {
    const std::size_t n = std::min(profile.size(), out.size());
    if (n == 0 || total.lots() <= 0 || deadline <= start) return 0;
    const std::int64_t dt = (deadline - start).ns() / static_cast<std::int64_t>(n);
    constexpr std::size_t chunk = 512;  // sizes go through a fixed stack buffer: no allocation
    std::array<qty, chunk> part{};
    if (n > chunk) return 0;
    (void)detail::largest_remainder_small<chunk>(total, profile.first(n), part);
    for (std::size_t i = 0; i < n; ++i) out[i] = slice{start + duration{dt * static_cast<std::int64_t>(i)}, part[i]};
    return n;
}

/// Almgren–Chriss linear-impact model parameters, in one consistent set of units (e.g. time in
/// days, price in ticks, size in lots): sigma = price volatility (ticks / sqrt(time)), eta =
/// temporary impact (ticks per lot per unit of trading rate, lots/time), gamma = permanent impact
/// (ticks per lot), lambda = risk aversion (1 / tick-lots).
struct almgren_chriss_params {
    double lambda = 0.0; ///< Risk aversion (>= 0); 0 gives the straight-line (TWAP) trajectory.
    double eta = 1.0;    ///< Temporary impact coefficient (> 0).
    double sigma = 0.0;  ///< Volatility (>= 0).
    double gamma = 0.0;  ///< Permanent impact coefficient (>= 0).
};

/// The Almgren–Chriss urgency kappa for period tau: eta~ = eta (1 - gamma tau / (2 eta)),
/// kappa~^2 = lambda sigma^2 / eta~, and kappa solves 2 (cosh(kappa tau) - 1) / tau^2 = kappa~^2,
/// i.e. kappa = acosh(1 + kappa~^2 tau^2 / 2) / tau. Almgren & Chriss (2000), "Optimal execution of
/// portfolio transactions", J. Risk 3(2):5-39, Section 2.2. 0 when lambda sigma^2 = 0 or eta~ <= 0.
[[nodiscard]] inline double almgren_chriss_kappa(const almgren_chriss_params& p, double tau) noexcept {
    if (tau <= 0.0) return 0.0;
    const double eta_t = p.eta * (1.0 - p.gamma * tau / (2.0 * p.eta));
    if (!(eta_t > 0.0)) return 0.0;
    const double kt2 = p.lambda * p.sigma * p.sigma / eta_t;
    if (!(kt2 > 0.0)) return 0.0;
    return std::acosh(1.0 + kt2 * tau * tau / 2.0) / tau;
}

/// Almgren–Chriss (2000) optimal holdings x_0..x_n for liquidating X over horizon T in n periods
/// (tau = T / n, t_j = j tau): x_j = sinh(kappa (T - t_j)) / sinh(kappa T) X (Section 2.2, the
/// optimal trajectory for a mean-variance trader), kappa from almgren_chriss_kappa; kappa -> 0
/// gives the straight line x_j = (1 - j / n) X. Writes n + 1 values into `out` (needs n + 1) and
/// returns n + 1 (0 if n == 0, T <= 0 or out is too small). Monotone non-increasing, x_0 = X, x_n = 0.
inline std::size_t almgren_chriss_holdings(double X, double T, std::size_t n, const almgren_chriss_params& p,
                                           std::span<double> out) noexcept {
    if (n == 0 || !(T > 0.0) || out.size() < n + 1) return 0;
    const double tau = T / static_cast<double>(n);
    const double kappa = almgren_chriss_kappa(p, tau);
    const double kT = kappa * T;
    for (std::size_t j = 0; j <= n; ++j) {
        const double tj = tau * static_cast<double>(j);
        if (kT < 1e-9 || !std::isfinite(std::sinh(kT))) {
            // Straight line for kappa -> 0; for kappa T beyond sinh's range (~710) use the ratio's
            // exponential form exp(-kappa t_j) (1 - exp(-2 kappa (T - t_j))) / (1 - exp(-2 kappa T)).
            out[j] = kT < 1e-9 ? X * (1.0 - static_cast<double>(j) / static_cast<double>(n))
                               : X * std::exp(-kappa * tj) * (1.0 - std::exp(-2.0 * kappa * (T - tj))) / (1.0 - std::exp(-2.0 * kT));
        } else {
            out[j] = X * std::sinh(kappa * (T - tj)) / std::sinh(kT);
        }
    }
    out[n] = 0.0;
    out[0] = X;
    return n + 1;
}

/// Almgren–Chriss schedule in lots: holdings x_j from almgren_chriss_holdings(total, horizon, n, p)
/// are rounded to whole lots (rounding is monotone, so the rounded holdings stay non-increasing),
/// and slice j (released at start + j x dt, dt = (deadline - start) / n) trades round(x_j) -
/// round(x_{j+1}); the slices sum exactly to `total`. `horizon` is T in the model's time unit.
/// Writes n slices (n <= out.size()) and returns n, else 0 (also for total <= 0, deadline <= start
/// or horizon <= 0). No allocation.
inline std::size_t almgren_chriss_schedule(qty total, timestamp start, timestamp deadline, std::size_t n, double horizon,
                                           const almgren_chriss_params& p, std::span<slice> out) noexcept {
    if (n == 0 || out.size() < n || total.lots() <= 0 || deadline <= start || !(horizon > 0.0)) return 0;
    const std::int64_t dt = (deadline - start).ns() / static_cast<std::int64_t>(n);
    // Holdings are computed one at a time (same formula as almgren_chriss_holdings) to stay
    // allocation-free for any n.
    const double X = static_cast<double>(total.lots());
    const double tau = horizon / static_cast<double>(n);
    const double kappa = almgren_chriss_kappa(p, tau);
    const double kT = kappa * horizon;
    std::int64_t prev = total.lots();
    for (std::size_t j = 0; j < n; ++j) {
        std::int64_t next = 0;
        if (j + 1 < n) {
            const double tj = tau * static_cast<double>(j + 1);
            double x = 0.0;
            if (kT < 1e-9) x = X * (1.0 - static_cast<double>(j + 1) / static_cast<double>(n));
            else if (std::isfinite(std::sinh(kT))) x = X * std::sinh(kappa * (horizon - tj)) / std::sinh(kT);
            else x = X * std::exp(-kappa * tj) * (1.0 - std::exp(-2.0 * kappa * (horizon - tj))) / (1.0 - std::exp(-2.0 * kT));
            next = std::clamp<std::int64_t>(std::llround(x), 0, prev);
        }
        out[j] = slice{start + duration{dt * static_cast<std::int64_t>(j)}, qty{prev - next}};
        prev = next;
    }
    return n;
}

/// Scheduler of the immediate algorithms: the whole parent is due at once.
struct immediate_schedule {
    static constexpr bool immediate = true; ///< No slices: everything is due at p.start.
};

/// TWAP scheduler: twap_schedule(p.total, p.start, p.deadline, slices, ..., randomise, seed).
struct twap_scheduler {
    static constexpr bool immediate = false; ///< Slices released over time.
    std::size_t slices = 10;  ///< Number of slices (capped by the router's MaxSlices).
    double randomise = 0.0;   ///< Size and time randomisation fraction, 0 .. 0.5.
    std::uint64_t seed = 0;   ///< Seed of the randomisation.
    /// Builds the schedule of `p` into `out`; returns the number of slices.
    std::size_t build(const parent_order& p, std::span<slice> out) const noexcept {
        return twap_schedule(p.total, p.start, p.deadline, slices, out, randomise, seed);
    }
};

/// VWAP scheduler over a profile of up to MaxBuckets buckets (copied in; see volume_profile).
template <std::size_t MaxBuckets>
struct vwap_scheduler {
    static constexpr bool immediate = false; ///< Slices released over time.
    std::array<double, MaxBuckets> profile{}; ///< Volume share per bucket (any positive scale).
    std::size_t buckets = 0;                  ///< Buckets in use (<= MaxBuckets).
    /// Builds the schedule of `p` into `out`; returns the number of slices.
    std::size_t build(const parent_order& p, std::span<slice> out) const noexcept {
        return vwap_schedule(p.total, p.start, p.deadline, std::span<const double>(profile.data(), std::min(buckets, MaxBuckets)), out);
    }
};

/// Almgren–Chriss scheduler (the MARKET_IMPACT algorithm): almgren_chriss_schedule over `slices`
/// periods of a horizon of `horizon` model time units mapped onto [p.start, p.deadline].
struct almgren_chriss_scheduler {
    static constexpr bool immediate = false; ///< Slices released over time.
    std::size_t slices = 10;        ///< Number of periods n.
    double horizon = 1.0;           ///< T in the model's time unit (e.g. 1 day).
    almgren_chriss_params params{}; ///< lambda, eta, sigma, gamma.
    /// Builds the schedule of `p` into `out`; returns the number of slices.
    std::size_t build(const parent_order& p, std::span<slice> out) const noexcept {
        return almgren_chriss_schedule(p.total, p.start, p.deadline, slices, horizon, params, out);
    }
};

} // namespace v0
} // namespace pinnacle
