#pragma once
/// @file feed/concepts.hpp
/// The EventSource concept: anything that yields market events one at a time, in event order.

#include <concepts>

#include "pinnacle/core/events.hpp"

namespace pinnacle {
inline namespace v0 {

/// A source of market events (file replay, in-memory vector, live feed), pulled one at a time.
///
/// Requirements, for `S& src` and `market_event& ev`:
/// - `src.next(ev) -> bool` (exactly `bool`): fills `ev` with the next event (ts in ns, px in ticks,
///   size in lots) and returns true, or returns false at the end of the stream and keeps doing so.
/// - Events come in the source's order, with non-decreasing `ts`; called on one thread.
/// - Malformed input is reported by throwing `pinnacle::parse_error` (feed/parse_error.hpp) naming
///   file, line and field: sources sit at the I/O boundary, where exceptions are allowed. A source
///   that cannot fail (e.g. `memory_source`) should make `next` noexcept; the concept does not demand it.
template <class S>
concept EventSource = requires(S& src, market_event& ev) {
    { src.next(ev) } -> std::same_as<bool>;
};

} // namespace v0
} // namespace pinnacle
