#pragma once
/// @file signal/microprice.hpp
/// Imbalance-weighted mid prices: the weighted mid (the naive, first-order estimator of Stoikov 2018) and a
/// multi-level variant with geometrically depth-weighted sizes. Results in ticks.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/signal/imbalance.hpp"

namespace pinnacle {
inline namespace v0 {

/// The imbalance-weighted price P_bid + (P_ask - P_bid) * I with I = q_bid / (q_bid + q_ask), in
/// ticks; this equals (P_bid q_ask + P_ask q_bid) / (q_bid + q_ask). Sizes (lots, any non-negative
/// weights) below 0 count as 0; when both are 0 the imbalance carries no information and the plain
/// mid (P_bid + P_ask) / 2 is returned. Written as the bid plus a fraction of the spread so that the
/// rounding error scales with the spread, not with the price (the spread and the sizes are exact
/// integers below 2^53 ticks / lots); one multiplication, one division, one addition: deterministic.
[[nodiscard]] inline double imbalance_weighted_price(price bid_px, double bid_size, price ask_px, double ask_size) noexcept {
    const double qb = std::max(0.0, bid_size);
    const double qa = std::max(0.0, ask_size);
    const double total = qb + qa;
    const double pb = static_cast<double>(bid_px.ticks());
    const double spread = static_cast<double>(ask_px.ticks() - bid_px.ticks());
    if (!(total > 0.0)) return pb + spread * 0.5;
    return pb + spread * (qb / total);
}

/// The weighted mid price of the best bid and ask (ticks), nullopt when a side is empty:
///
///     W = I P_ask + (1 - I) P_bid = (P_bid Q_ask + P_ask Q_bid) / (Q_bid + Q_ask),  I = Q_bid / (Q_bid + Q_ask)
///
/// with P in ticks and Q the best-level sizes in lots. It leans toward the ask when the bid queue is
/// the larger (buying pressure). Both sizes 0: the mid.
///
/// Source: S. Stoikov, "The micro-price: a high-frequency estimator of future prices", Quantitative
/// Finance 18(12), 1959-1966, 2018, which states this weighted mid (beside the mid) as the common
/// naive estimator his micro-price improves on: it is the first-order approximation, not the micro-price
/// limit P_micro = lim P^i (that one needs the fitted Markov chain of (imbalance, spread)). A crossed
/// or locked book is not checked for: W then lies between the two prices as the formula says.
template <DepthView B>
[[nodiscard]] std::optional<double> weighted_mid(const B& b) noexcept {
    if (b.depth(side::buy) == 0 || b.depth(side::sell) == 0) return std::nullopt;
    const level_info bid = b.level(side::buy, 0);
    const level_info ask = b.level(side::sell, 0);
    return imbalance_weighted_price(bid.px, static_cast<double>(bid.size.lots()), ask.px,
                                    static_cast<double>(ask.size.lots()));
}

/// Multi-level weighted mid (ticks): the weighted-mid formula with the best prices and depth-weighted
/// sizes over the best `levels` levels of each side:
///
///     Q~_side = sum_{i < min(levels, depth)} decay^i Q_side,i     (i = 0 the best level, weight 1)
///     M = (P_bid Q~_ask + P_ask Q~_bid) / (Q~_bid + Q~_ask)
///
/// nullopt when a side is empty or `decay` is not in [0, 1]. `levels` = 1 (or decay = 0) gives
/// `weighted_mid`; decay = 1 weighs every counted level equally; `levels` = 0 weighs nothing and
/// gives the mid. The result stays in [P_bid, P_ask] however deep the book.
///
/// This is a heuristic extension of the weighted mid of Stoikov (2018, see `weighted_mid`) to depth,
/// not a model from that paper: deeper queues also carry information, but less than the best ones
/// (Cao, Hansch & Wang, Journal of Futures Markets 29(1), 2009, find depth beyond the best quotes
/// informative about future prices). Choose `levels` and `decay` by measuring, not by default.
template <DepthView B>
[[nodiscard]] std::optional<double> multi_level_microprice(const B& b, std::size_t levels, double decay) noexcept {
    if (b.depth(side::buy) == 0 || b.depth(side::sell) == 0) return std::nullopt;
    if (!valid_level_decay(decay)) return std::nullopt;
    const double qb = weighted_depth_size(b, side::buy, levels, decay);
    const double qa = weighted_depth_size(b, side::sell, levels, decay);
    return imbalance_weighted_price(b.level(side::buy, 0).px, qb, b.level(side::sell, 0).px, qa);
}

} // namespace v0
} // namespace pinnacle
