#pragma once
/// @file feed/concepts.hpp
/// The EventSource concept: anything that yields market events one at a time, in event order.

#include <concepts>
#include <cstdint>
#include <string_view>

#include "pinnacle/core/events.hpp"

namespace pinnacle {
inline namespace v0 {

/// What one pull from an EventSource gave: an event, nothing yet (a live feed with no new message;
/// try again later), or the end of the stream (a file read to the end, a feed closed for good).
enum class pull : std::uint8_t {
    end = 0, ///< No more events, ever: further pulls keep returning end.
    event,   ///< An event was written to the caller's market_event.
    idle,    ///< Nothing yet: no event was written; the stream goes on.
};

/// Stable lower-case name of a pull outcome.
[[nodiscard]] constexpr std::string_view to_string(pull p) noexcept {
    switch (p) {
        case pull::end: return "end";
        case pull::event: return "event";
        case pull::idle: return "idle";
    }
    return "unknown";
}

/// The answer of `EventSource::next`: a `pull`, testable as a bool that is true only for an event,
/// so `while (src.next(ev))` reads every event of a finite source. Value type.
class [[nodiscard]] pull_result {
public:
    /// The outcome `p`.
    constexpr pull_result(pull p) noexcept : p_(p) {}  // NOLINT: implicit by design
    /// True when an event was written.
    constexpr explicit operator bool() const noexcept { return p_ == pull::event; }
    /// The outcome.
    [[nodiscard]] constexpr pull kind() const noexcept { return p_; }
    /// True at the end of the stream.
    [[nodiscard]] constexpr bool at_end() const noexcept { return p_ == pull::end; }
    /// Compares with an outcome.
    friend constexpr bool operator==(pull_result a, pull b) noexcept { return a.p_ == b; }
    /// Field-wise equality.
    friend constexpr bool operator==(pull_result, pull_result) noexcept = default;

private:
    pull p_;
};

/// A source of market events (file replay, in-memory vector, live feed), pulled one at a time.
///
/// Requirements, for `S& src` and `market_event& ev`:
/// - `src.next(ev) -> pull_result` (exactly): `pull::event` after filling `ev` with the next event
///   (ts in ns, px in ticks, size in lots); `pull::idle` when nothing has arrived yet (a live feed;
///   `ev` untouched, call again later); `pull::end` at the end of the stream, and from then on.
///   A file or in-memory replay never answers idle.
/// - Events come in the source's order, with non-decreasing `ts`; called on one thread.
/// - Malformed input is reported by throwing `pinnacle::parse_error` (feed/parse_error.hpp) naming
///   file, line and field: sources sit at the I/O boundary, where exceptions are allowed. A source
///   that cannot fail (e.g. `memory_source`) should make `next` noexcept; the concept does not demand it.
template <class S>
concept EventSource = requires(S& src, market_event& ev) {
    { src.next(ev) } -> std::same_as<pull_result>;
};

} // namespace v0
} // namespace pinnacle
