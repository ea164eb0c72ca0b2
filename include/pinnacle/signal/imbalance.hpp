#pragma once
/// @file signal/imbalance.hpp
/// Order-book imbalance: the static depth imbalance over the best levels (plain and with
/// geometric level weights) and the Cont-Kukanov-Stoikov order flow imbalance (OFI).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// True when `decay` is a usable geometric level weight: finite and in [0, 1].
[[nodiscard]] constexpr bool valid_level_decay(double decay) noexcept { return decay >= 0.0 && decay <= 1.0; }

/// Total size (lots) of the best min(`levels`, depth) levels on side `s`; negative sizes count as 0.
template <DepthView B>
[[nodiscard]] std::int64_t depth_size(const B& b, side s, std::size_t levels) noexcept {
    const std::size_t n = std::min(levels, b.depth(s));
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += std::max<std::int64_t>(0, b.level(s, i).size.lots());
    return sum;
}

/// Depth-weighted size (lots, as a double) of side `s`: sum over i < min(`levels`, depth) of
/// decay^i * size_i, with i = 0 the best level (weight 1, including when decay = 0). Negative sizes
/// count as 0. Precondition: valid_level_decay(decay). The weights are built by repeated
/// multiplication in level order, so the result is the same on every run and platform with IEEE
/// doubles.
template <DepthView B>
[[nodiscard]] double weighted_depth_size(const B& b, side s, std::size_t levels, double decay) noexcept {
    const std::size_t n = std::min(levels, b.depth(s));
    double sum = 0.0;
    double w = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += w * static_cast<double>(std::max<std::int64_t>(0, b.level(s, i).size.lots()));
        w *= decay;
    }
    return sum;
}

/// Depth imbalance over the best `levels` levels of each side, in [-1, 1]:
///
///     rho = (V_bid - V_ask) / (V_bid + V_ask),   V_side = sum of the sizes (lots) of its best levels
///
/// +1: only bids rest there (buying pressure); -1: only asks. Fewer levels than `levels` on a side
/// use what there is; 0 when both sums are 0 (empty book, `levels` == 0, zero sizes).
///
/// Source: the volume imbalance of Cartea, Jaimungal & Ricci, "Enhancing trading strategies with
/// order book signals", Applied Mathematical Finance 25(1), 2018 (best level only, levels = 1),
/// also in Cartea, Jaimungal & Penalva, "Algorithmic and High-Frequency Trading", CUP 2015; summed
/// over deeper levels as in Cao, Hansch & Wang, "The information content of an open limit-order
/// book", Journal of Futures Markets 29(1), 2009. Exact in integers; one rounding (the division).
template <DepthView B>
[[nodiscard]] double book_imbalance(const B& b, std::size_t levels) noexcept {
    const std::int64_t bid = depth_size(b, side::buy, levels);
    const std::int64_t ask = depth_size(b, side::sell, levels);
    const std::int64_t total = bid + ask;
    if (total <= 0) return 0.0;
    return static_cast<double>(bid - ask) / static_cast<double>(total);
}

/// Depth imbalance with geometric level weights w_i = decay^i (i = 0 the best level), in [-1, 1]:
///
///     rho_w = (sum_i w_i Q_bid,i - sum_i w_i Q_ask,i) / (sum_i w_i Q_bid,i + sum_i w_i Q_ask,i)
///
/// over i < min(`levels`, depth) on each side. decay = 1 gives `book_imbalance`, decay = 0 the
/// best-level imbalance. The geometric weighting is a common convention for "nearer levels matter
/// more", not a result of the papers cited at `book_imbalance`. Returns 0 when the weighted sums
/// are 0 and when `decay` is not in [0, 1] (NaN included): bad settings give no signal, not NaN.
template <DepthView B>
[[nodiscard]] double weighted_book_imbalance(const B& b, std::size_t levels, double decay) noexcept {
    if (!valid_level_decay(decay)) return 0.0;
    const double bid = weighted_depth_size(b, side::buy, levels, decay);
    const double ask = weighted_depth_size(b, side::sell, levels, decay);
    const double total = bid + ask;
    if (!(total > 0.0)) return 0.0;
    return (bid - ask) / total;  // |bid - ask| <= bid + ask survives rounding: stays in [-1, 1]
}

/// Order flow imbalance (OFI) of the best bid and ask, fed with successive top-of-book states.
/// Thread-safety: one thread.
///
/// Source: R. Cont, A. Kukanov and S. Stoikov, "The price impact of order book events", Journal of
/// Financial Econometrics 12(1), 47-88, 2014 -- the contribution e_n of the n-th change of the best
/// quotes, and OFI over an interval = the sum of its e_n:
///
///     e_n = 1{P^B_n >= P^B_n-1} q^B_n - 1{P^B_n <= P^B_n-1} q^B_n-1
///         - 1{P^A_n <= P^A_n-1} q^A_n + 1{P^A_n >= P^A_n-1} q^A_n-1
///
/// with P in ticks and q in lots. Bid size added at an unchanged or better bid, and ask size removed
/// at an unchanged or worse ask, count as buying pressure (e_n > 0). The paper computes e_n between
/// consecutive observations of the best quotes (each TAQ quote update); feed every change of the top
/// of book, or sample at a fixed rate, but do it the same way when fitting and when trading.
///
/// The first update only records the state (e_0 = 0). The book overload reads a missing side as
/// size 0 at the worst possible price (bid: lowest int64 tick, ask: highest), so a side that empties
/// removes its old size and a side that reappears adds its new size, exactly as the formula does for
/// a price move. Everything is integer arithmetic: exact and deterministic. No allocation.
class order_flow_imbalance {
public:
    /// An OFI with no state: the first update returns 0.
    constexpr order_flow_imbalance() noexcept = default;

    /// Feeds the best bid (`bid_px` ticks, `bid_size` lots) and best ask; returns e_n (lots) and adds
    /// it to `total()`.
    constexpr qty update(price bid_px, qty bid_size, price ask_px, qty ask_size) noexcept {
        std::int64_t e = 0;
        if (primed_) {
            if (bid_px >= bid_px_) e += bid_size.lots();
            if (bid_px <= bid_px_) e -= bid_size_.lots();
            if (ask_px <= ask_px_) e -= ask_size.lots();
            if (ask_px >= ask_px_) e += ask_size_.lots();
        }
        primed_ = true;
        bid_px_ = bid_px;
        bid_size_ = bid_size;
        ask_px_ = ask_px;
        ask_size_ = ask_size;
        total_ += qty{e};
        ++updates_;
        return qty{e};
    }

    /// Feeds the best levels of `b` (a missing side is size 0 at the worst price); returns e_n (lots).
    template <DepthView B>
    qty update(const B& b) noexcept {
        constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
        constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
        const bool has_bid = b.depth(side::buy) > 0;
        const bool has_ask = b.depth(side::sell) > 0;
        const level_info bid = has_bid ? b.level(side::buy, 0) : level_info{price{lo}, qty{0}, 0};
        const level_info ask = has_ask ? b.level(side::sell, 0) : level_info{price{hi}, qty{0}, 0};
        return update(bid.px, bid.size, ask.px, ask.size);
    }

    /// Sum of every e_n since construction, `reset()` or `reset_total()` (lots): the OFI of that interval.
    [[nodiscard]] constexpr qty total() const noexcept { return total_; }

    /// Updates fed since construction or `reset()` (the first one included).
    [[nodiscard]] constexpr std::uint64_t updates() const noexcept { return updates_; }

    /// True once a state has been recorded, so the next update yields a real e_n.
    [[nodiscard]] constexpr bool primed() const noexcept { return primed_; }

    /// Starts a new OFI interval: zeroes `total()`, keeps the last top of book.
    constexpr void reset_total() noexcept { total_ = qty{}; }

    /// Forgets everything, as if just constructed.
    constexpr void reset() noexcept { *this = order_flow_imbalance{}; }

private:
    price bid_px_{};
    qty bid_size_{};
    price ask_px_{};
    qty ask_size_{};
    qty total_{};
    std::uint64_t updates_ = 0;
    bool primed_ = false;
};

} // namespace v0
} // namespace pinnacle
