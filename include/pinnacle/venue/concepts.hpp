#pragma once
/// @file venue/concepts.hpp
/// The Venue concept: where our orders go and where their execution reports come from. The
/// simulated venue, the paper venue and live connectors (FIX, exchange APIs) all satisfy it, so
/// the engine and the strategy code are the same in a backtest and live.

#include <concepts>
#include <cstdint>
#include <string_view>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/venue/orders.hpp"

namespace pinnacle {
inline namespace v0 {

/// The state of our session with a venue, as the venue's connector knows it.
enum class venue_session : std::uint8_t {
    connecting = 0, ///< Not yet usable: connecting, logging on, or reconciling after a reconnect.
    up,             ///< Orders and cancels can be sent.
    down,           ///< Disconnected: nothing can be sent; working orders are in an unknown state.
    throttled,      ///< Connected, but the venue's rate limit is reached: new orders wait, cancels may go.
};

/// Stable lower-case name of a venue_session.
[[nodiscard]] constexpr std::string_view to_string(venue_session s) noexcept {
    switch (s) {
        case venue_session::connecting: return "connecting";
        case venue_session::up: return "up";
        case venue_session::down: return "down";
        case venue_session::throttled: return "throttled";
    }
    return "unknown";
}

/// A Venue accepts new orders and cancels, and hands back execution reports in time order.
///
/// Requirements (all noexcept, one thread):
/// - `v.submit(intent) -> status`: sends a new order decided at `intent.ts`; ok means sent (its
///   fate comes back as reports), an error means it never left (e.g. pool_exhausted,
///   disconnected, throttled).
/// - `v.cancel(cl_ord_id, ts) -> status`: sends a cancel request at time ts (ns).
/// - `v.modify(cl_ord_id, new_px, new_total_size, ts) -> status`: sends a cancel/replace.
/// - `v.cancel_all(ts) -> status`: sends a cancel for every order of ours the venue may still hold
///   (a mass cancel where the venue has one); each comes back as canceled or cancel_rejected.
/// - `v.poll(now, report) -> bool`: pops the next report that has reached us by `now` (ns).
///   Reports carry the venue's `exec_id` where it gives one: a report delivered twice (after a
///   reconnect) has the same exec_id, and the engine books it once.
/// - `cv.session_state() -> venue_session` (const): whether orders can be sent now; the engine
///   sends new orders only while it is `up`.
template <class V>
concept Venue = requires(V& v, const V& cv, const order_intent& o, order_id id, timestamp t, execution_report& r, price px,
                         qty q) {
    { v.submit(o) } noexcept -> std::same_as<status>;
    { v.cancel(id, t) } noexcept -> std::same_as<status>;
    { v.modify(id, px, q, t) } noexcept -> std::same_as<status>;
    { v.cancel_all(t) } noexcept -> std::same_as<status>;
    { v.poll(t, r) } noexcept -> std::same_as<bool>;
    { cv.session_state() } noexcept -> std::same_as<venue_session>;
};

/// A Venue driven by a replayed (or paper-traded live) market: it sees every market event before
/// the book applies it, together with the book, to decide what our resting orders would have done.
///
/// Extra requirements (noexcept):
/// - `v.on_market(event, book) -> void`, called for each event in order, before `book.apply(event)`;
/// - `v.advance(now, book) -> void`: processes what reached the venue before `now` (ns) when no
///   market event comes (timers, reports between events); called only once every event stamped
///   before `now` has been passed to on_market and applied to the book.
template <class V, class Book>
concept SimulatedVenue = Venue<V> && requires(V& v, const market_event& e, const Book& b, timestamp t) {
    { v.on_market(e, b) } noexcept -> std::same_as<void>;
    { v.advance(t, b) } noexcept -> std::same_as<void>;
};

} // namespace v0
} // namespace pinnacle
