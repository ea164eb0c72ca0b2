#pragma once
/// @file sim/concepts.hpp
/// The simulated venue's model concepts: QueueModel (where our resting order stands in its queue),
/// LatencyModel (how long messages take) and FeeModel (what fills cost). Models are in sim/models.hpp.

#include <concepts>
#include <cstdint>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Where one of our resting orders stands in its price level's queue.
struct queue_position {
    double ahead = 0.0;          ///< Lots queued ahead of us (fractional for probabilistic models).
    std::uint64_t join_seq = 0;  ///< Book orders with a lower arrival seq joined before us (L3 models).
};

/// A QueueModel tracks a resting order's queue position at its (side, price).
///
/// Requirements (noexcept; Book as for simulated_venue):
/// - `q.on_join(pos, book, side, px)`: we joined the back of the level (book as it is now).
/// - `q.on_same_level(pos, event, book) -> qty`: a cancel, delete or visible execution at our
///   side and price, seen before the book applies it; returns the lots of that event that reach
///   our order (0 if it stays ahead of us). Fills from trades *through* our price and crossing
///   orders are the venue's business, the same for every queue model.
template <class Q, class Book>
concept QueueModel = requires(const Q& q, queue_position& pos, const Book& b, const market_event& e, side s, price px) {
    { q.on_join(pos, b, s, px) } noexcept -> std::same_as<void>;
    { q.on_same_level(pos, e, b) } noexcept -> std::same_as<qty>;
};

/// A LatencyModel says how long an order message takes to reach the matching engine (entry) and a
/// report to come back (response), for a message sent at time t. Requirements (noexcept):
/// `l.entry(t) -> duration`, `l.response(t) -> duration`, both >= 0.
template <class L>
concept LatencyModel = requires(const L& l, timestamp t) {
    { l.entry(t) } noexcept -> std::same_as<duration>;
    { l.response(t) } noexcept -> std::same_as<duration>;
};

/// A FeeModel prices a fill: `f.fee(px, size, maker) noexcept -> notional` in tick-lots (negative =
/// rebate), an integer so that accounting stays exact.
template <class F>
concept FeeModel = requires(const F& f, price px, qty q, bool maker) {
    { f.fee(px, q, maker) } noexcept -> std::same_as<notional>;
};

} // namespace v0
} // namespace pinnacle
