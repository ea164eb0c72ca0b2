#pragma once
/// @file route/largest_remainder.hpp
/// Splitting a whole number of lots in proportion to weights so the parts sum exactly (the
/// largest-remainder method), shared by the VWAP schedule and the pro-rata venue split.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

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

} // namespace v0
} // namespace pinnacle
