#pragma once
// Building market events in tests: one line per event instead of six assignments.
#include <cstdint>

#include "pinnacle/core/events.hpp"

namespace pinnacle_test {

/// An event of type t at time ts (ns) for order id on side s, price px (ticks), size (lots).
inline pinnacle::market_event ev(std::int64_t ts, pinnacle::event_type t, std::uint64_t id, pinnacle::side s, std::int64_t px,
                                 std::int64_t size) {
    pinnacle::market_event e;
    e.ts = pinnacle::timestamp{ts};
    e.type = t;
    e.id = pinnacle::order_id{id};
    e.side = s;
    e.px = pinnacle::price{px};
    e.size = pinnacle::qty{size};
    return e;
}

/// The same event at time 0.
inline pinnacle::market_event ev(pinnacle::event_type t, std::uint64_t id, pinnacle::side s, std::int64_t px, std::int64_t size) {
    return ev(0, t, id, s, px, size);
}

} // namespace pinnacle_test
