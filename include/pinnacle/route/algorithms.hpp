#pragma once
/// @file route/algorithms.hpp
/// Routing algorithms: BEST_PRICE and LIQUIDITY_SWEEP (split across venues now), TWAP, VWAP and
/// Almgren–Chriss (split over time, each due slice routed by best price), the square-root market
/// impact estimate, and the controls every router applies (limit, max slippage, per-venue share,
/// deadline). Planning is noexcept and allocation-free; randomness is seeded (splitmix64, core/random.hpp).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/random.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/parent_tracker.hpp"

namespace pinnacle {
inline namespace v0 {

// ------------------------------------------------------------------------------------------------
// Schedules (split over time)
// ------------------------------------------------------------------------------------------------

/// One slice of a schedule: send `size` lots at or after `at` (ns).
struct slice {
    timestamp at; ///< Release time, ns.
    qty size;     ///< Lots.
};

namespace detail {
// floor(x) as an integer without a libm call (std::floor is one unless SSE4.1 is enabled); exact
// for every x in the int64 range.
[[nodiscard]] inline std::int64_t floor_to_int(double x) noexcept {
    const auto f = static_cast<std::int64_t>(x);  // truncates toward 0
    return f - static_cast<std::int64_t>(static_cast<double>(f) > x);  // branch-free: signs are random in TWAP jitter
}

// The last step of largest_remainder: when floating rounding made the floors sum past the total
// (left < 0), takes lots back one at a time from the parts rounded down the most.
template <class Exact>
void largest_remainder_take_back(std::int64_t left, std::size_t n, Exact exact, std::span<qty> out) noexcept {
    while (left < 0) {
        std::size_t pick = n;
        double worst = 2.0;
        for (std::size_t i = 0; i < n; ++i) {
            const double frac = exact(i) - static_cast<double>(out[i].lots()) + 1.0;
            if (out[i].lots() > 0 && frac < worst) {
                worst = frac;
                pick = i;
            }
        }
        if (pick == n) break;  // unreachable for total >= 0
        out[pick] -= qty{1};
        ++left;
    }
}

// The rounding half of largest_remainder: parts `exact(i)` (i < n, n >= 1, out.size() >= n) that
// sum to `total` are floored into `out`, then the lots left over are handed out as documented there.
template <class Exact>
void largest_remainder_round(qty total, std::size_t n, Exact exact, std::span<qty> out) noexcept {
    std::int64_t left = total.lots();
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = qty{floor_to_int(exact(i))};
        left -= out[i].lots();
    }
    // Floating rounding can leave |left| slightly off the ideal [0, n); the loops fix any value.
    while (left > 0) {
        std::size_t pick = n;
        double best = -1.0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = exact(i);
            const double frac = e - static_cast<double>(out[i].lots());  // > 1 - frac once bumped
            if (frac > 0.0 && frac <= 1.0 && frac > best) {
                best = frac;
                pick = i;
            }
        }
        if (pick == n) {  // every part already rounded up: give the rest to the largest part
            pick = 0;
            for (std::size_t i = 1; i < n; ++i)
                if (exact(i) > exact(pick)) pick = i;
            out[pick] += qty{left};
            break;
        }
        out[pick] += qty{1};
        --left;
    }
    largest_remainder_take_back(left, n, exact, out);
}
} // namespace detail

/// Splits `total` lots in proportion to `weights` (negative weights count as 0) into `out`
/// (out.size() >= weights.size()) so that the parts sum exactly to `total`: each part gets
/// floor(total x w_i / W) and the lots left over go one each to the largest fractional parts
/// (ties: lower index) — the largest-remainder (Hamilton) method. With all weights 0 the split is
/// equal. O(n x leftover); no allocation. Returns the number of parts written (weights.size(), or 0
/// when out is too small).
inline std::size_t largest_remainder(qty total, std::span<const double> weights, std::span<qty> out) noexcept {
    const std::size_t n = weights.size();
    if (n == 0 || out.size() < n) return 0;
    double wsum = 0.0;
    for (const double w : weights) wsum += w > 0.0 ? w : 0.0;
    const double t = static_cast<double>(total.lots());
    const auto exact = [&](std::size_t i) {
        if (wsum <= 0.0) return t / static_cast<double>(n);
        return weights[i] > 0.0 ? t * weights[i] / wsum : 0.0;
    };
    detail::largest_remainder_round(total, n, exact, out);
    return n;
}

namespace detail {
// largest_remainder for at most N weights (same steps, same result), with each exact part and each
// fractional part computed once instead of once per lot handed out: the venue split calls it on
// every plan.
template <std::size_t N>
    requires(N <= 65'536)
std::size_t largest_remainder_small(qty total, std::span<const double> weights, std::array<qty, N>& out) noexcept {
    const std::size_t n = weights.size();
    if (n == 0 || N < n) return 0;
    double wsum = 0.0;
    for (const double w : weights) wsum += w > 0.0 ? w : 0.0;
    const double t = static_cast<double>(total.lots());
    std::array<double, N> ex;    // exact(i) of largest_remainder
    std::array<double, N> frac;  // ex[i] - out[i]
    std::int64_t left = total.lots();
    for (std::size_t i = 0; i < n; ++i) {
        if (wsum <= 0.0) ex[i] = t / static_cast<double>(n);
        else ex[i] = weights[i] > 0.0 ? t * weights[i] / wsum : 0.0;
        out[i] = qty{floor_to_int(ex[i])};
        left -= out[i].lots();
        frac[i] = ex[i] - static_cast<double>(out[i].lots());
    }
    if (left > 0) {
        // Handing out one lot at a time to the largest fraction in (0, 1] (ties: lower index) gives
        // the parts in (fraction descending, index ascending) order, each at most once (a bumped
        // part's fraction drops to <= 0): sort once instead of rescanning per lot.
        std::array<std::uint16_t, N> order;
        std::size_t m = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (frac[i] > 0.0 && frac[i] <= 1.0) order[m++] = static_cast<std::uint16_t>(i);
        // Insertion sort (std::sort trips GCC 12's -Warray-bounds on small N): indices go in
        // ascending, so a stable sort by fraction alone keeps ties in index order.
        for (std::size_t j = 1; j < m; ++j) {
            const std::uint16_t x = order[j];
            std::size_t h = j;
            for (; h > 0 && frac[order[h - 1]] < frac[x]; --h) order[h] = order[h - 1];
            order[h] = x;
        }
        const std::size_t k = std::min(m, static_cast<std::size_t>(left));
        for (std::size_t j = 0; j < k; ++j) out[order[j]] += qty{1};
        left -= static_cast<std::int64_t>(k);
        if (left > 0) {  // every part already rounded up: give the rest to the largest part
            std::size_t pick = 0;
            for (std::size_t i = 1; i < n; ++i)
                if (ex[i] > ex[pick]) pick = i;
            out[pick] += qty{left};
            left = 0;
        }
    }
    largest_remainder_take_back(left, n, [&ex](std::size_t i) { return ex[i]; }, std::span<qty>(out.data(), n));
    return n;
}
} // namespace detail

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

/// Square-root market impact estimate, bps of price: cost = Y x sigma x sqrt(Q / V) x 10,000, with
/// sigma the daily volatility (fraction, e.g. 0.02), Q the order size and V the daily volume (same
/// unit, e.g. lots), Y a constant of order 1. Almgren, Thum, Hauptmann & Li (2005), "Direct
/// estimation of equity market impact", Risk 18(7); Toth et al. (2011), "Anomalous price impact and
/// the critical nature of liquidity in financial markets", Phys. Rev. X 1, 021006. 0 if V <= 0 or Q <= 0.
[[nodiscard]] inline double sqrt_impact_bps(double Y, double sigma_daily, double Q, double V) noexcept {
    if (!(V > 0.0) || !(Q > 0.0)) return 0.0;
    return Y * sigma_daily * std::sqrt(Q / V) * 10'000.0;
}

// ------------------------------------------------------------------------------------------------
// Controls and the venue split
// ------------------------------------------------------------------------------------------------

/// Controls every router applies. Thread-safety: value type.
struct route_controls {
    double max_slippage_bps = -1.0;           ///< Children priced beyond arrival x (1 +/- bps / 10^4) are not sent; < 0 = off.
    double max_venue_share = 1.0;             ///< Most of the parent (fraction of total) filled + working at one venue.
    double latency_penalty_ticks_per_ms = 0.0; ///< Effective-price penalty per ms of venue latency (ticks).
    std::uint64_t first_child_id = 1;         ///< ClOrdID of the first child; later children count up.
};

/// The worst price a child of `p` may carry: the parent's limit, tightened by the slippage control
/// (buy: arrival + floor(arrival x bps / 10^4); sell: arrival - floor(arrival x bps / 10^4)), ticks.
[[nodiscard]] inline price effective_limit(const parent_order& p, const route_controls& c) noexcept {
    if (c.max_slippage_bps < 0.0) return p.limit;
    const std::int64_t band =
        detail::floor_to_int(static_cast<double>(p.arrival.ticks()) * c.max_slippage_bps / 10'000.0 + 1e-9);
    if (p.side == side::buy) return std::min(p.limit, p.arrival + price{band});
    return std::max(p.limit, p.arrival - price{band});
}

/// How a split spreads lots over venues.
enum class split_rule : std::uint8_t {
    best_price = 0, ///< Greedy by fee- and latency-adjusted price, level by level, across venues.
    pro_rata,       ///< Every venue at once, in proportion to its liquidity within the limit.
};

namespace detail {
// Walks a venue's levels from the best, skipping empty levels (size <= 0). Pointers rather than a
// span and an index: the split's inner loops touch only `at`, `end` and `left`. No member
// initialisers: a split keeps MaxVenues of them on the stack and sets up only those it uses.
struct level_cursor {
    const level_info* at;   // current level; == end once the levels are used up
    const level_info* end;
    std::int64_t left;      // lots left at *at (> 0 unless done)
    // Positions the cursor after the first `skip` lots of `lv` (skip <= 0: at the best non-empty level).
    void start(std::span<const level_info> lv, qty skip) noexcept {
        at = lv.data();
        end = at + lv.size();
        std::int64_t rem = skip.lots() > 0 ? skip.lots() : 0;
        for (; at != end; ++at) {
            const std::int64_t s = at->size.lots();
            if (s > rem) {  // s > rem >= 0: a non-empty level that outlasts the skip
                left = s - rem;
                return;
            }
            if (s > 0) rem -= s;
        }
        left = 0;
    }
    // Moves to the next non-empty level (or to the end).
    void next() noexcept {
        while (++at != end) {
            if (at->size.lots() > 0) {
                left = at->size.lots();
                return;
            }
        }
        left = 0;
    }
    [[nodiscard]] bool done() const noexcept { return at == end; }
    [[nodiscard]] price px() const noexcept { return at->px; }
};

template <side S>
[[nodiscard]] constexpr bool within(price px, price limit) noexcept {
    if constexpr (S == side::buy) return px <= limit;
    else return px >= limit;
}

// Signed effective price of one lot at `px` (route/concepts.hpp effective_price): lower = better
// for either side.
template <side S>
[[nodiscard]] constexpr double signed_effective(price px, double rate, double fixed) noexcept {
    const double e = effective_from(S, px, rate, fixed);
    if constexpr (S == side::buy) return e;
    else return -e;
}

// BEST_PRICE half of split_across_venues for side S. room_of(v) / busy_of(v) give venue v's room
// and lots already working (called for v < MaxVenues only, once per venue in the span). `take`
// must be all 0 on entry.
template <side S, std::size_t MaxVenues, class RoomFn, class BusyFn>
qty best_price_split(qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of, BusyFn busy_of,
                     double penalty, std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    if (want.lots() <= 0) return qty{0};
    const std::size_t nv = std::min(venues.size(), MaxVenues);
    constexpr double none = std::numeric_limits<double>::infinity();
    // Per venue position: the key of the cursor's level (none once the venue is out: no room, no
    // more levels, or beyond the limit; a NaN key is never picked either), the cursor, and its
    // effective-price parts (computed once). Only [0, nv) is used. The room left at venues[i] is
    // room_of(venue) - take[i], looked at only when the venue is picked.
    std::array<double, MaxVenues> key;
    std::array<level_cursor, MaxVenues> cur;
    std::array<double, MaxVenues> rate, fixed;
    // The k-way merge: pick = the venue with the lowest key (strict <: ties go to the earlier
    // venue). The first pick is found while the keys are set up.
    std::size_t pick = nv;
    double best = none;
    for (std::size_t i = 0; i < nv; ++i) {
        const venue_quote& q = venues[i];
        double k = none;
        if (q.venue < MaxVenues && room_of(q.venue).lots() > 0) {
            level_cursor& c = cur[i];
            c.start(q.opposite(S), busy_of(q.venue));
            if (!c.done() && within<S>(c.px(), limit)) {
                rate[i] = q.costs.taker_bps * 1e-4;
                fixed[i] = effective_fixed(q.costs, penalty);
                k = signed_effective<S>(c.px(), rate[i], fixed[i]);
            }
        }
        key[i] = k;
        if (k < best) {
            best = k;
            pick = i;
        }
    }
    qty routed{0};
    while (pick != nv) {
        level_cursor& c = cur[pick];
        const std::int64_t room = (room_of(venues[pick].venue) - take[pick]).lots();  // > 0
        const std::int64_t t = std::min(std::min(c.left, (want - routed).lots()), room);
        take[pick] += qty{t};
        worst[pick] = c.px();
        routed += qty{t};
        if (routed >= want) break;
        c.left -= t;
        if (t == room) {
            key[pick] = none;
        } else if (c.left <= 0) {  // level used up: the next one, if any and within the limit
            c.next();
            key[pick] = c.done() || !within<S>(c.px(), limit) ? none : signed_effective<S>(c.px(), rate[pick], fixed[pick]);
        }
        pick = nv;
        best = none;
        for (std::size_t i = 0; i < nv; ++i)
            if (key[i] < best) {
                best = key[i];
                pick = i;
            }
    }
    return routed;
}

// LIQUIDITY_SWEEP (pro rata) half of split_across_venues for side S; as best_price_split.
template <side S, std::size_t MaxVenues, class RoomFn, class BusyFn>
qty pro_rata_split(qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of, BusyFn busy_of,
                   std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    const std::size_t nv = std::min(venues.size(), MaxVenues);
    std::array<level_cursor, MaxVenues> cur;
    std::array<double, MaxVenues> avail;
    qty total_avail{0};
    for (std::size_t i = 0; i < nv; ++i) {
        const venue_quote& q = venues[i];
        avail[i] = 0.0;
        if (q.venue >= MaxVenues) continue;
        level_cursor& c = cur[i];
        c.start(q.opposite(S), busy_of(q.venue));
        // Lots from the cursor down to the first non-empty level beyond the limit (empty levels are
        // skipped whatever their price).
        std::int64_t a = 0;
        if (!c.done() && within<S>(c.px(), limit)) {
            a = c.left;
            for (const level_info* l = c.at + 1; l != c.end; ++l) {
                if (l->size.lots() <= 0) continue;
                if (!within<S>(l->px, limit)) break;
                a += l->size.lots();
            }
        }
        a = std::max<std::int64_t>(0, std::min(a, room_of(q.venue).lots()));
        take[i] = qty{a};
        avail[i] = static_cast<double>(a);
        total_avail += qty{a};
    }
    if (total_avail > want) {
        std::array<qty, MaxVenues> part{};
        (void)largest_remainder_small<MaxVenues>(want, std::span<const double>(avail.data(), nv), part);
        for (std::size_t i = 0; i < nv; ++i) take[i] = std::min(part[i], take[i]);
    }
    qty routed{0};
    for (std::size_t i = 0; i < nv; ++i) {
        if (take[i].lots() <= 0) continue;
        routed += take[i];
        const level_cursor& c = cur[i];
        if (c.done()) continue;
        // The deepest level needed for take[i]: where the lots from the cursor down reach it.
        const level_info* l = c.at;
        std::int64_t have = c.left;
        while (have < take[i].lots()) {
            const level_info* nx = l + 1;
            while (nx != c.end && nx->size.lots() <= 0) ++nx;
            if (nx == c.end) break;
            l = nx;
            have += l->size.lots();
        }
        worst[i] = l->px;
    }
    return routed;
}

// split_across_venues with the room and busy lots given by functions of the venue index, so that
// a router reads them from its tracker for the venues present only. `take` must be all 0 on entry.
template <std::size_t MaxVenues, class RoomFn, class BusyFn>
qty split(split_rule rule, side s, qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of,
          BusyFn busy_of, double penalty, std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    if (rule == split_rule::best_price) {
        if (s == side::buy) return best_price_split<side::buy, MaxVenues>(want, limit, venues, room_of, busy_of, penalty, take, worst);
        return best_price_split<side::sell, MaxVenues>(want, limit, venues, room_of, busy_of, penalty, take, worst);
    }
    if (s == side::buy) return pro_rata_split<side::buy, MaxVenues>(want, limit, venues, room_of, busy_of, take, worst);
    return pro_rata_split<side::sell, MaxVenues>(want, limit, venues, room_of, busy_of, take, worst);
}
} // namespace detail

/// Routes up to `want` lots of side `s` across `venues` now, as one IOC child per venue priced at the
/// deepest level it takes (never beyond `limit`), at most `room[v]` lots at venue index v (indices
/// >= MaxVenues are skipped). The first `busy[v]` lots of venue v's book count as already taken by
/// our working children, so a stale book is not hit twice. best_price: repeatedly takes the level
/// with the best effective price (route/concepts.hpp effective_price; ties: earlier venue in the
/// span) — a k-way merge by effective price. pro_rata (liquidity sweep): each venue's liquidity
/// within the limit (capped by its room) is taken whole if all of it is <= want, else `want` is
/// split in proportion to it by largest_remainder. `take[i]` / `worst[i]` receive the lots and
/// price for venues[i] (i < MaxVenues). Returns the lots routed. O(levels taken x venues).
template <std::size_t MaxVenues>
qty split_across_venues(split_rule rule, side s, qty want, price limit, std::span<const venue_quote> venues,
                        const std::array<qty, MaxVenues>& room, const std::array<qty, MaxVenues>& busy, double penalty,
                        std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    take.fill(qty{0});
    return detail::split<MaxVenues>(
        rule, s, want, limit, venues, [&room](std::uint32_t v) { return room[v]; },
        [&busy](std::uint32_t v) { return busy[v]; }, penalty, take, worst);
}

// ------------------------------------------------------------------------------------------------
// Routers
// ------------------------------------------------------------------------------------------------

/// Router core shared by every algorithm: the parent tracker, the controls, child ids and the
/// venue split. `Scheduler` decides how many lots are due at `now` (see immediate_schedule,
/// twap_scheduler, vwap_scheduler, almgren_chriss_scheduler); the due lots not yet filled nor
/// working are split across venues by `rule`. Fixed capacity: MaxVenues venue indices,
/// MaxChildren working children, MaxSlices schedule slices. Thread-safety: one thread. Satisfies Router.
template <class Scheduler, split_rule Rule, std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices = 1>
class scheduled_router {
public:
    /// A router with these controls and scheduler settings.
    explicit scheduled_router(route_controls c = {}, Scheduler sch = {}) noexcept
        : controls_(c), sched_(sch), next_id_(c.first_child_id) {}

    /// See Router. Starts a new parent when p.id is not the tracked one (builds its schedule). Sends
    /// nothing before p.start, at or after p.deadline, or once the parent is done. Children are IOC
    /// at the deepest price they take; none is priced beyond the effective limit (limit and
    /// slippage), none takes a venue beyond max_venue_share, and lots filled + working never exceed
    /// the parent's total.
    std::size_t plan(const parent_order& p, std::span<const venue_quote> venues, timestamp now,
                     std::span<child_order> out) noexcept {
        if (!tracker_.tracking(p.id)) begin(p);
        const parent_order& par = tracker_.parent();
        if (is_done(tracker_.state()) || now < par.start || now >= par.deadline || out.empty()) return 0;
        qty due = par.total;
        if constexpr (!Scheduler::immediate) {
            due = qty{0};
            for (std::size_t i = 0; i < n_slices_ && slices_[i].at <= now; ++i) due += slices_[i].size;
        }
        qty want = due - tracker_.filled() - tracker_.working();
        want = std::min(want, tracker_.unallocated());
        if (want.lots() <= 0) return 0;
        // Room and busy lots come from the tracker, for the venues present only (as split_across_venues'
        // room / busy arrays would give them). With nothing filled nor working (a parent's first
        // plan) every venue's used and working lots are 0 (never negative, they sum to filled +
        // working): room is the cap everywhere and nothing is busy, so the split needs no lookups.
        const std::int64_t cap = venue_cap_;
        std::array<qty, MaxVenues> take;  // all 0 (qty's default), as the split requires
        std::array<price, MaxVenues> worst;
        const double penalty = controls_.latency_penalty_ticks_per_ms;
        if (tracker_.filled().lots() == 0 && tracker_.working().lots() == 0) {
            const qty room{std::max<std::int64_t>(0, cap)};
            (void)detail::split<MaxVenues>(
                Rule, par.side, want, limit_, venues, [room](std::uint32_t) { return room; },
                [](std::uint32_t) { return qty{0}; }, penalty, take, worst);
        } else {
            (void)detail::split<MaxVenues>(
                Rule, par.side, want, limit_, venues,
                [this, cap](std::uint32_t v) { return qty{std::max<std::int64_t>(0, cap - tracker_.venue_used(v).lots())}; },
                [this](std::uint32_t v) { return tracker_.venue_working(v); }, penalty, take, worst);
        }
        std::size_t k = 0;
        const std::size_t nv = std::min(venues.size(), MaxVenues);
        for (std::size_t i = 0; i < nv && k < out.size(); ++i) {
            if (take[i].lots() <= 0) continue;
            // Fields are written one by one (no temporary child_order): copying a just-built struct
            // with wide loads stalls on store forwarding, which dominated this loop's cost.
            child_order& c = out[k];
            c.id = order_id{next_id_};
            c.venue = venues[i].venue;
            c.side = par.side;
            c.px = worst[i];
            c.size = take[i];
            c.tif = time_in_force::ioc;
            c.send_at = now;
            if (!tracker_.add_child(c.id, c.venue, c.size)) break;  // MaxChildren working: the rest waits
            ++next_id_;
            ++k;
        }
        return k;
    }

    /// See Router.
    parent_state on_child_report(const execution_report& r) noexcept { return tracker_.on_report(r); }
    /// See Router.
    std::size_t on_timer(timestamp now, std::span<order_id> cancels) noexcept { return tracker_.on_timer(now, cancels); }
    /// Cancels the parent; writes the working children's ids to `cancels`, returns how many.
    std::size_t cancel(std::span<order_id> cancels) noexcept { return tracker_.cancel(cancels); }
    /// See Router.
    [[nodiscard]] parent_state state() const noexcept { return tracker_.state(); }
    /// The parent tracker (filled, average price, shortfall).
    [[nodiscard]] const parent_tracker<MaxVenues, MaxChildren>& tracker() const noexcept { return tracker_; }
    /// The current parent's schedule (empty for immediate algorithms).
    [[nodiscard]] std::span<const slice> schedule() const noexcept { return {slices_.data(), n_slices_}; }
    /// The controls.
    [[nodiscard]] const route_controls& controls() const noexcept { return controls_; }

private:
    void begin(const parent_order& p) noexcept {
        tracker_.reset(p);
        // Per-parent constants: the effective limit, and the venue cap floor(clamp(max_venue_share,
        // 0, 1) x total) lots (a NaN share counts as 0).
        limit_ = effective_limit(p, controls_);
        const double share = controls_.max_venue_share > 0.0 ? std::min(controls_.max_venue_share, 1.0) : 0.0;
        venue_cap_ = detail::floor_to_int(share * static_cast<double>(p.total.lots()));
        n_slices_ = 0;
        if constexpr (!Scheduler::immediate) n_slices_ = sched_.build(p, std::span<slice>(slices_));
    }

    route_controls controls_;
    Scheduler sched_;
    parent_tracker<MaxVenues, MaxChildren> tracker_{};
    std::array<slice, MaxSlices> slices_{};
    std::size_t n_slices_ = 0;
    std::uint64_t next_id_ = 1;
    price limit_{};             // effective_limit of the current parent
    std::int64_t venue_cap_ = 0; // most lots of the current parent at one venue (max_venue_share)
};

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

/// BEST_PRICE: the whole parent at once, greedy over the best fee- and latency-adjusted levels
/// across venues up to the limit; what finds no liquidity is tried again at the next plan().
template <std::size_t MaxVenues, std::size_t MaxChildren>
using best_price_router = scheduled_router<immediate_schedule, split_rule::best_price, MaxVenues, MaxChildren>;

/// LIQUIDITY_SWEEP: IOC children at every venue at once for all visible liquidity up to the limit
/// (pro rata by venue liquidity when it exceeds the parent).
template <std::size_t MaxVenues, std::size_t MaxChildren>
using liquidity_sweep_router = scheduled_router<immediate_schedule, split_rule::pro_rata, MaxVenues, MaxChildren>;

/// TWAP: equal (optionally randomised) slices over [start, deadline); each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using twap_router = scheduled_router<twap_scheduler, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

/// VWAP: slices proportional to a volume profile; each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using vwap_router = scheduled_router<vwap_scheduler<MaxSlices>, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

/// MARKET_IMPACT: Almgren–Chriss optimal liquidation slices; each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using almgren_chriss_router = scheduled_router<almgren_chriss_scheduler, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

static_assert(Router<best_price_router<4, 8>>, "best_price_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<liquidity_sweep_router<4, 8>>, "liquidity_sweep_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<twap_router<4, 8, 16>>, "twap_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<vwap_router<4, 8, 16>>, "vwap_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<almgren_chriss_router<4, 8, 16>>, "almgren_chriss_router must satisfy Router (route/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
