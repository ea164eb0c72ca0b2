#pragma once
/// @file strategy/concepts.hpp
/// The Strategy concept: turns market state and our inventory into the quotes we want.

#include <concepts>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// What a strategy sees of the market after each event: top of book in ticks and lots.
/// A side with no orders has `has_bid`/`has_ask` false and its price and size are 0.
struct market_snapshot {
    timestamp ts;          ///< Event time (ns).
    price best_bid;        ///< Best bid (ticks), valid when has_bid.
    qty bid_size;          ///< Lots at the best bid.
    price best_ask;        ///< Best ask (ticks), valid when has_ask.
    qty ask_size;          ///< Lots at the best ask.
    bool has_bid = false;  ///< A bid exists.
    bool has_ask = false;  ///< An ask exists.
    bool trading = true;   ///< False while trading is halted.
};

/// The top of any DepthView `b` at time `ts` (ns) as a market_snapshot; `trading` false while halted.
template <DepthView Book>
[[nodiscard]] market_snapshot top_of_book(const Book& b, timestamp ts, bool trading = true) noexcept {
    market_snapshot m;
    m.ts = ts;
    m.trading = trading;
    if (b.depth(side::buy) > 0) {
        const level_info l = b.level(side::buy, 0);
        m.best_bid = l.px;
        m.bid_size = l.size;
        m.has_bid = true;
    }
    if (b.depth(side::sell) > 0) {
        const level_info l = b.level(side::sell, 0);
        m.best_ask = l.px;
        m.ask_size = l.size;
        m.has_ask = true;
    }
    return m;
}

/// Everything a strategy sees after one market event: the event (trades included), the top of
/// book, the whole book (for depth signals such as microprice or imbalance), and our position.
/// A view: valid only during the call it is passed to.
template <class Book>
struct market_update {
    const market_event& event;  ///< The event just applied to the book.
    const market_snapshot& top; ///< Top of book after it (ticks, lots).
    const Book& book;           ///< The book after it (a DepthView).
    qty position;               ///< Our position from the fills received so far (lots).
};

/// A Strategy reacts to the market and to its own fills and says what it wants quoted.
///
/// Requirements (all noexcept, called on the pipeline's one thread, in event order):
/// - `s.on_market(market_update<Book>) -> quote_pair`: the quotes wanted now. Prices must already
///   be rounded to the instrument's quote increment; sizes in lots.
/// - `s.on_execution(report) -> void`: every execution report for our orders.
template <class S, class Book>
concept Strategy = requires(S& s, const market_update<Book>& u, const execution_report& r) {
    { s.on_market(u) } noexcept -> std::same_as<quote_pair>;
    { s.on_execution(r) } noexcept -> std::same_as<void>;
};

} // namespace v0
} // namespace pinnacle
