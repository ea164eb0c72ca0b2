#pragma once
/// @file feed/memory_source.hpp
/// An EventSource over events already in memory: replay a loaded day many times without re-parsing.

#include <cstddef>
#include <span>

#include "pinnacle/core/events.hpp"
#include "pinnacle/feed/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Replays a span of market events in order; does not own them (they must outlive the source).
/// Satisfies EventSource. Thread-safety: one thread.
class memory_source {
public:
    /// An empty source: next() returns pull::end at once.
    constexpr memory_source() noexcept = default;
    /// A source over `events` (ns, ticks, lots as stored), starting at the first.
    constexpr explicit memory_source(std::span<const market_event> events) noexcept : events_(events) {}

    /// Copies the next event into `ev` (pull::event); pull::end (ev untouched) at the end. Never idle.
    constexpr pull_result next(market_event& ev) noexcept {
        if (pos_ == events_.size()) return pull::end;
        ev = events_[pos_++];
        return pull::event;
    }
    /// Rewinds to the first event.
    constexpr void reset() noexcept { pos_ = 0; }
    /// Number of events not yet returned.
    [[nodiscard]] constexpr std::size_t remaining() const noexcept { return events_.size() - pos_; }

private:
    std::span<const market_event> events_;
    std::size_t pos_ = 0;
};

} // namespace v0
} // namespace pinnacle
