#pragma once
// Shared by the connect fuzz targets: splits the input into newline-separated messages and checks
// what every decoder promises whatever the bytes: no crash or sanitizer report, a rejection always
// names its reason, and a stale book receives no event.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pinnacle/connect/feed.hpp"

namespace pinnacle_fuzz {

/// Calls f(message) for each '\n'-separated part of the input.
template <class F>
void for_each_message(const std::uint8_t* data, std::size_t size, F&& f) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    while (!all.empty()) {
        const std::size_t nl = all.find('\n');
        f(all.substr(0, nl));
        if (nl == std::string_view::npos) break;
        all.remove_prefix(nl + 1);
    }
}

/// Traps when a decoder broke a promise on this message.
inline void check(const pinnacle::connect::decoder_core& d, const pinnacle::connect::feed_result& r) {
    using pinnacle::connect::feed_status;
    if ((r.status == feed_status::rejected || r.status == feed_status::gap || r.status == feed_status::checksum_failed) && r.reason.empty())
        __builtin_trap();
    // A message that failed a check may already have emitted its events (a checksum is checked
    // after applying); the status tells the consumer to drop the book.
    if (r.status != feed_status::ok && r.status != feed_status::ignored) return;
    for (const auto& e : d.events()) {
        if (e.symbol >= d.symbols().size()) __builtin_trap();
        const auto& b = d.symbol(e.symbol);
        const bool book_event = e.ev.type == pinnacle::event_type::depth_update;
        if (book_event && b.state == pinnacle::connect::book_state::awaiting_snapshot) __builtin_trap();
    }
}

} // namespace pinnacle_fuzz
