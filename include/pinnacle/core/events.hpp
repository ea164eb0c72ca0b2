#pragma once
/// @file events.hpp
/// The one market event type that every EventSource yields and every book and strategy consumes.

#include <cstdint>
#include <string_view>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// What a market event does.
enum class event_type : std::uint8_t {
    add = 0,         ///< New visible limit order `id` of `size` lots at `px` on `side` (LOBSTER type 1).
    cancel,          ///< Partial cancel: `size` lots removed from order `id` (LOBSTER type 2).
    remove,          ///< Full delete of order `id`; `size` is what it still held (LOBSTER type 3).
    execute,         ///< Visible execution of `size` lots of resting order `id` on `side` (LOBSTER type 4).
    execute_hidden,  ///< Execution against hidden liquidity on `side` at `px`; book unchanged (type 5).
    cross_trade,     ///< Auction / cross trade of `size` at `px`; book unchanged (type 6).
    halt,            ///< Trading state change; see `halt_state` in `aux` (type 7).
    depth_snapshot,  ///< One level of a full snapshot; `flags & first` clears the book first.
    depth_update,    ///< Absolute size of level (`side`, `px`) becomes `size`; 0 removes the level.
};

/// Stable lower-case name of an event type.
[[nodiscard]] constexpr std::string_view to_string(event_type t) noexcept {
    switch (t) {
        case event_type::add: return "add";
        case event_type::cancel: return "cancel";
        case event_type::remove: return "delete";
        case event_type::execute: return "execute";
        case event_type::execute_hidden: return "execute_hidden";
        case event_type::cross_trade: return "cross_trade";
        case event_type::halt: return "halt";
        case event_type::depth_snapshot: return "depth_snapshot";
        case event_type::depth_update: return "depth_update";
    }
    return "unknown";
}

/// Trading state carried by a `halt` event (LOBSTER type 7: price -1, 0, 1).
enum class halt_state : std::uint8_t {
    halted = 0,           ///< Trading halted (LOBSTER price -1).
    quoting_resumed = 1,  ///< Quoting resumed, trading not yet (LOBSTER price 0).
    trading_resumed = 2,  ///< Trading resumed (LOBSTER price 1).
};

/// Bit flags on a market event.
namespace event_flags {
inline constexpr std::uint8_t none = 0;        ///< No flag.
inline constexpr std::uint8_t first = 1u << 0; ///< First level of a depth snapshot: clear the book first.
inline constexpr std::uint8_t last = 1u << 1;  ///< Last level of a depth snapshot (or of an atomic batch).
} // namespace event_flags

/// One market data event, 40 bytes, trivially copyable. Thread-safety: value type.
///
/// Units: `ts` ns, `px` ticks, `size` lots. For `halt` events `aux` holds a `halt_state`.
struct market_event {
    timestamp ts;                        ///< Event time (ns).
    order_id id;                         ///< Order the event names (0 when none).
    price px;                            ///< Price in ticks.
    qty size;                            ///< Size in lots (changed amount, or absolute for depth events).
    event_type type = event_type::add;   ///< What happened.
    pinnacle::side side = side::buy;     ///< Side of the resting order or level.
    std::uint8_t flags = event_flags::none; ///< `event_flags` bits.
    std::uint8_t aux = 0;                ///< Type-specific extra (halt_state for `halt`).

    /// The halt state of a `halt` event.
    [[nodiscard]] constexpr halt_state halt() const noexcept { return static_cast<halt_state>(aux); }
};

} // namespace v0
} // namespace pinnacle
