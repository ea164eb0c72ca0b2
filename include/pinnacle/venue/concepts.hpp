#pragma once
/// @file venue/concepts.hpp
/// The Venue concept: where our orders go and where their execution reports come from. The
/// simulated venue and (later) live connectors both satisfy it, so strategy code is the same.

#include <concepts>

#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// A Venue accepts new orders and cancels, and hands back execution reports in time order.
///
/// Requirements (all noexcept, one thread):
/// - `v.submit(intent) -> status`: sends a new order decided at `intent.ts`; ok means sent (its
///   fate comes back as reports), an error means it never left (e.g. too many open orders).
/// - `v.cancel(cl_ord_id, ts) -> status`: sends a cancel request at time ts.
/// - `v.modify(cl_ord_id, new_px, new_total_size, ts) -> status`: sends a cancel/replace.
/// - `v.poll(now, report) -> bool`: pops the next report that has reached us by `now` (ns).
template <class V>
concept Venue = requires(V& v, const order_intent& o, order_id id, timestamp t, execution_report& r, price px, qty q) {
    { v.submit(o) } noexcept -> std::same_as<status>;
    { v.cancel(id, t) } noexcept -> std::same_as<status>;
    { v.modify(id, px, q, t) } noexcept -> std::same_as<status>;
    { v.poll(t, r) } noexcept -> std::same_as<bool>;
};

/// A Venue that is driven by a replayed market: it sees every market event before the book
/// applies it, together with the book, to decide what our resting orders would have done.
///
/// Extra requirement: `v.on_market(event, book) -> void` (noexcept), called for each event in
/// order, before `book.apply(event)`.
template <class V, class Book>
concept SimulatedVenue = Venue<V> && requires(V& v, const market_event& e, const Book& b) {
    { v.on_market(e, b) } noexcept -> std::same_as<void>;
};

} // namespace v0
} // namespace pinnacle
