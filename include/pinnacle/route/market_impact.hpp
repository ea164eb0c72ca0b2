#pragma once
/// @file route/market_impact.hpp
/// The square-root market impact estimate.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cmath>

namespace pinnacle {
inline namespace v0 {

/// Square-root market impact estimate, bps of price: cost = Y x sigma x sqrt(Q / V) x 10,000, with
/// sigma the daily volatility (fraction, e.g. 0.02), Q the order size and V the daily volume (same
/// unit, e.g. lots), Y a constant of order 1. Almgren, Thum, Hauptmann & Li (2005), "Direct
/// estimation of equity market impact", Risk 18(7); Toth et al. (2011), "Anomalous price impact and
/// the critical nature of liquidity in financial markets", Phys. Rev. X 1, 021006. 0 if V <= 0 or Q <= 0.
[[nodiscard]] inline double sqrt_impact_bps(double Y, double sigma_daily, double Q, double V) noexcept {
    if (!(V > 0.0) || !(Q > 0.0)) return 0.0;
    return Y * sigma_daily * std::sqrt(Q / V) * 10'000.0;
}

} // namespace v0
} // namespace pinnacle
