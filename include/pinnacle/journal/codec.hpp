#pragma once
/// @file journal/codec.hpp
/// Payload encodings of the journal's record types (docs/persistence.md): fixed-size,
/// little-endian, field by field (never a struct's raw bytes, so padding never reaches the disk).
/// Encoding writes into a caller's buffer and never allocates.

#include <cstddef>
#include <cstdint>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/journal/format.hpp"
#include "pinnacle/venue/orders.hpp"

namespace pinnacle {
inline namespace v0 {

/// Payload bytes of a market_event record.
inline constexpr std::uint32_t market_event_payload = 28;
/// Payload bytes of a report record.
inline constexpr std::uint32_t report_payload = 68;
/// Payload bytes of a decision record.
inline constexpr std::uint32_t decision_payload = 104;
/// Payload bytes of a state_hash or end record.
inline constexpr std::uint32_t state_hash_payload = 16;

/// Writes `e` (all fields but ts, which is the record's timestamp) into `out`
/// (market_event_payload bytes): id u64, px i64, size i64, type u8, side u8, flags u8, aux u8.
inline void encode_market_event(const market_event& e, unsigned char* out) noexcept {
    payload_writer w{out};
    w.put(e.id.value());
    w.put(e.px.ticks());
    w.put(e.size.lots());
    w.put(static_cast<std::uint8_t>(e.type));
    w.put(static_cast<std::uint8_t>(e.side));
    w.put(e.flags);
    w.put(e.aux);
}

/// Reads a market event back (ts from the record); false when the payload is too short.
inline bool decode_market_event(const unsigned char* p, std::size_t n, timestamp ts, market_event& e) noexcept {
    payload_reader r{p, p + n};
    e.ts = ts;
    e.id = order_id{r.get<std::uint64_t>()};
    e.px = price{r.get<std::int64_t>()};
    e.size = qty{r.get<std::int64_t>()};
    e.type = static_cast<event_type>(r.get<std::uint8_t>());
    e.side = static_cast<side>(r.get<std::uint8_t>() & 1U);
    e.flags = r.get<std::uint8_t>();
    e.aux = r.get<std::uint8_t>();
    return !r.bad;
}

/// Writes an execution report (all fields but ts) into `out` (report_payload bytes):
/// cl_ord_id, venue_order_id, exec_id u64; px, last_px, last_qty, leaves_qty, fee i64;
/// type, side, maker, reason u8.
inline void encode_report(const execution_report& x, unsigned char* out) noexcept {
    payload_writer w{out};
    w.put(x.cl_ord_id.value());
    w.put(x.venue_order_id);
    w.put(x.exec_id);
    w.put(x.px.ticks());
    w.put(x.last_px.ticks());
    w.put(x.last_qty.lots());
    w.put(x.leaves_qty.lots());
    w.put(x.fee.tick_lots());
    w.put(static_cast<std::uint8_t>(x.type));
    w.put(static_cast<std::uint8_t>(x.side));
    w.put(static_cast<std::uint8_t>(x.maker ? 1 : 0));
    w.put(static_cast<std::uint8_t>(x.reason));
}

/// Reads a report back (ts from the record); false when the payload is too short.
inline bool decode_report(const unsigned char* p, std::size_t n, timestamp ts, execution_report& x) noexcept {
    payload_reader r{p, p + n};
    x.ts = ts;
    x.cl_ord_id = order_id{r.get<std::uint64_t>()};
    x.venue_order_id = r.get<std::uint64_t>();
    x.exec_id = r.get<std::uint64_t>();
    x.px = price{r.get<std::int64_t>()};
    x.last_px = price{r.get<std::int64_t>()};
    x.last_qty = qty{r.get<std::int64_t>()};
    x.leaves_qty = qty{r.get<std::int64_t>()};
    x.fee = notional{r.get<std::int64_t>()};
    x.type = static_cast<exec_type>(r.get<std::uint8_t>());
    x.side = static_cast<side>(r.get<std::uint8_t>() & 1U);
    x.maker = r.get<std::uint8_t>() != 0;
    x.reason = static_cast<status>(r.get<std::uint8_t>());
    return !r.bad;
}

/// The engine's decisions as of a step: running totals and the working quote on each side.
struct decision_state {
    std::uint64_t orders_sent = 0;    ///< New orders sent so far.
    std::uint64_t cancels_sent = 0;   ///< Cancel requests sent so far.
    std::uint64_t risk_rejects = 0;   ///< Intents the risk check refused so far.
    std::uint64_t cancel_alls = 0;    ///< Mass cancels sent so far (halts).
    std::uint64_t hedges = 0;         ///< Auto-hedge intents so far.
    std::uint64_t venue_refusals = 0; ///< Orders or cancels the venue refused to send so far.
    std::uint64_t bid_id = 0;         ///< ClOrdID of the working bid (0: none).
    std::int64_t bid_px = 0;          ///< Its price (ticks).
    std::int64_t bid_size = 0;        ///< Its size (lots).
    std::uint64_t ask_id = 0;         ///< ClOrdID of the working ask (0: none).
    std::int64_t ask_px = 0;          ///< Its price (ticks).
    std::int64_t ask_size = 0;        ///< Its size (lots).
    std::uint32_t flags = 0;          ///< Bit 0: bid working, bit 1: ask working, bit 2: quoting halted.
    /// Field-wise equality.
    friend bool operator==(const decision_state&, const decision_state&) noexcept = default;
};

/// Writes a decision (decision_payload bytes): the six totals u64, bid id/px/size, ask id/px/size,
/// flags u32, a zero u32.
inline void encode_decision(const decision_state& d, unsigned char* out) noexcept {
    payload_writer w{out};
    w.put(d.orders_sent);
    w.put(d.cancels_sent);
    w.put(d.risk_rejects);
    w.put(d.cancel_alls);
    w.put(d.hedges);
    w.put(d.venue_refusals);
    w.put(d.bid_id);
    w.put(d.bid_px);
    w.put(d.bid_size);
    w.put(d.ask_id);
    w.put(d.ask_px);
    w.put(d.ask_size);
    w.put(d.flags);
    w.put(std::uint32_t{0});
}

/// Reads a decision back; false when the payload is too short.
inline bool decode_decision(const unsigned char* p, std::size_t n, decision_state& d) noexcept {
    payload_reader r{p, p + n};
    d.orders_sent = r.get<std::uint64_t>();
    d.cancels_sent = r.get<std::uint64_t>();
    d.risk_rejects = r.get<std::uint64_t>();
    d.cancel_alls = r.get<std::uint64_t>();
    d.hedges = r.get<std::uint64_t>();
    d.venue_refusals = r.get<std::uint64_t>();
    d.bid_id = r.get<std::uint64_t>();
    d.bid_px = r.get<std::int64_t>();
    d.bid_size = r.get<std::int64_t>();
    d.ask_id = r.get<std::uint64_t>();
    d.ask_px = r.get<std::int64_t>();
    d.ask_size = r.get<std::int64_t>();
    d.flags = r.get<std::uint32_t>();
    (void)r.get<std::uint32_t>();
    return !r.bad;
}

/// Writes a state hash and the market events it covers (state_hash_payload bytes).
inline void encode_state_hash(std::uint64_t hash, std::uint64_t events, unsigned char* out) noexcept {
    payload_writer w{out};
    w.put(hash);
    w.put(events);
}

/// Reads a state hash record back; false when the payload is too short.
inline bool decode_state_hash(const unsigned char* p, std::size_t n, std::uint64_t& hash, std::uint64_t& events) noexcept {
    payload_reader r{p, p + n};
    hash = r.get<std::uint64_t>();
    events = r.get<std::uint64_t>();
    return !r.bad;
}

} // namespace v0
} // namespace pinnacle
