#pragma once
/// @file journal/state_hash.hpp
/// The state hash: a canonical serialization of a market_maker's state (fixed-width little-endian
/// fields in a fixed order, see docs/persistence.md) hashed with xxHash3-64 (Debian libxxhash-dev,
/// XXH3_64bits, seed 0). Two engines that processed the same inputs hash the same; a replay that
/// diverges hashes differently. Needs xxhash.h: part of pinnacle::journal, not pinnacle::pinnacle.

#include <xxhash.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/journal/format.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/kill_switch.hpp"

namespace pinnacle {
inline namespace v0 {

/// A growing byte buffer for the canonical serialization. Thread-safety: one thread. Reserve it
/// once (reserve()) so serializing a state of similar size does not allocate again.
class state_buffer {
public:
    /// Appends a fixed-width value's bytes (little-endian hosts only, see journal/format.hpp).
    template <class T>
    void put(T v) {
        const std::size_t at = bytes_.size();
        bytes_.resize(at + sizeof v);
        std::memcpy(bytes_.data() + at, &v, sizeof v);
    }
    /// Appends a double by its bit pattern (so -0.0 and 0.0 differ; NaNs hash as stored).
    void put_double(double d) { put(std::bit_cast<std::uint64_t>(d)); }
    /// Empties it (keeps the capacity).
    void clear() noexcept { bytes_.clear(); }
    /// Reserves `n` bytes.
    void reserve(std::size_t n) { bytes_.reserve(n); }
    /// The bytes.
    [[nodiscard]] const std::vector<unsigned char>& bytes() const noexcept { return bytes_; }

private:
    std::vector<unsigned char> bytes_;
};

/// xxHash3-64 (seed 0) of `n` bytes.
[[nodiscard]] inline std::uint64_t xxh3_64(const void* data, std::size_t n) noexcept { return XXH3_64bits(data, n); }

/// 16 lower-case hex digits of a 64-bit hash.
[[nodiscard]] inline std::string to_hex(std::uint64_t h) {
    char buf[17];
    for (int i = 15; i >= 0; --i) {
        buf[i] = "0123456789abcdef"[h & 0xFU];
        h >>= 4;
    }
    buf[16] = 0;
    return std::string(buf, 16);
}

/// Risk parts outside the engine whose state belongs in the hash (either may be null).
struct external_risk_state {
    const kill_switch* ks = nullptr;          ///< Kill switch: fired and fire count.
    const circuit_breaker* breaker = nullptr; ///< Circuit breaker: closed at `now`, probes left.
};

/// The strategy internals serialize_state covers: what `st` exposes (volatility estimate:
/// variance per second, observed seconds, last mid; fills; lots bought and sold), scalar by scalar.
template <class Strat>
void serialize_strategy(const Strat& st, state_buffer& out) {
    if constexpr (requires { st.volatility().variance_per_second(); }) {
        out.put_double(st.volatility().variance_per_second());
        out.put_double(st.volatility().observed_seconds());
        out.put_double(st.volatility().last_mid());
    }
    if constexpr (requires { st.fills(); }) out.put(static_cast<std::uint64_t>(st.fills()));
    if constexpr (requires { st.bought().lots(); st.sold().lots(); }) {
        out.put(st.bought().lots());
        out.put(st.sold().lots());
    }
}

/// The venue state serialize_state covers, for a venue with find(ClOrdID) and pending_reports():
/// for each side, whether the engine's working quote is held there and then its leaves, filled,
/// queue position (lots ahead, join seq) and live flag; then the reports in flight.
template <class Engine, class Venue>
void serialize_venue(const Engine& mm, const Venue& ven, state_buffer& out) {
    if constexpr (requires { ven.find(order_id{}); ven.pending_reports(); }) {
        for (const side s : {side::buy, side::sell}) {
            const auto w = mm.quote_on(s);
            const auto* o = w.active ? ven.find(w.id) : nullptr;
            out.put(static_cast<std::uint8_t>(o != nullptr ? 1 : 0));
            if (o != nullptr) {
                out.put(o->leaves.lots());
                out.put(o->filled.lots());
                out.put_double(o->queue.ahead);
                out.put(o->queue.join_seq);
                out.put(static_cast<std::uint8_t>(o->live ? 1 : 0));
            }
        }
        out.put(static_cast<std::uint64_t>(ven.pending_reports()));
    }
}

/// Serializes the state of engine `mm` at `now` (ns) into `out` (cleared first), in this order:
/// format version; the engine counters; the ledger (position, cash, fees, volume, fills, min/max
/// position, round trips, losing round trips, realized and total PnL, drawdown, mean positions,
/// equity-curve length and last point); halted, working orders, last flat time, open lots and the
/// working quote of each side; the book (each side's levels best first: price, size, orders; and,
/// for a book with for_each_order, each order in time priority: id, size, seq); what the strategy
/// exposes of its internals (serialize_strategy) and our working quotes as the venue holds them
/// (serialize_venue); the kill switch and breaker of `risk`. Every field is a scalar put one by one
/// (no struct bytes, no padding): canonical. Allocates only when `out` must grow.
template <class Engine>
void serialize_state(const Engine& mm, timestamp now, const external_risk_state& risk, state_buffer& out) {
    out.clear();
    out.put(std::uint32_t{2});  // serialization version (2: strategy internals and our orders at the venue)
    const auto& c = mm.counters();
    for (const std::size_t v : {c.events, c.book_rejects, c.orders_sent, c.cancels_sent, c.risk_rejects, c.hedges, c.hedge_fills,
                                c.venue_refusals, c.acks, c.rejects, c.cancels, c.cancel_rejects, c.duplicate_reports, c.timers,
                                c.halts, c.cancel_alls, c.orders_sent_while_halted, c.venue_not_up, c.hedge_refusals, c.quotes_held})
        out.put(static_cast<std::uint64_t>(v));
    out.put(c.lots_quoted);
    for (const std::size_t v : c.rejects_by_reason) out.put(static_cast<std::uint64_t>(v));
    const auto& a = mm.accounts();
    out.put(a.position().lots());
    out.put(a.cash().tick_lots());
    out.put(a.fees().tick_lots());
    out.put(a.volume().lots());
    out.put(static_cast<std::uint64_t>(a.fills()));
    out.put(a.max_position().lots());
    out.put(a.min_position().lots());
    out.put(static_cast<std::uint64_t>(a.round_trips()));
    out.put(static_cast<std::uint64_t>(a.losing_round_trips()));
    out.put_double(a.realized_pnl());
    out.put_double(a.total_pnl());
    out.put_double(a.max_drawdown());
    out.put_double(a.mean_position());
    out.put_double(a.mean_abs_position());
    out.put(static_cast<std::uint64_t>(a.equity_curve().size()));
    if (!a.equity_curve().empty()) {
        out.put(a.equity_curve().back().ts.ns());
        out.put_double(a.equity_curve().back().total_pnl);
        out.put(a.equity_curve().back().position.lots());
    }
    out.put(static_cast<std::uint8_t>(mm.halted() ? 1 : 0));
    out.put(mm.working_orders());
    out.put(mm.last_flat_at().ns());
    for (const side s : {side::buy, side::sell}) {
        out.put(mm.open_lots(s).lots());
        const auto w = mm.quote_on(s);
        out.put(static_cast<std::uint8_t>(w.active ? 1 : 0));
        if (w.active) {
            out.put(w.id.value());
            out.put(w.px.ticks());
            out.put(w.size.lots());
            out.put(w.leaves.lots());
            out.put(w.sent.ns());
        }
    }
    const auto& b = mm.book();
    for (const side s : {side::buy, side::sell}) {
        const std::size_t n = b.depth(s);
        out.put(static_cast<std::uint64_t>(n));
        for (std::size_t i = 0; i < n; ++i) {
            const level_info l = b.level(s, i);
            out.put(l.px.ticks());
            out.put(l.size.lots());
            out.put(l.orders);
            if constexpr (requires { b.for_each_order(s, i, [](const auto&) noexcept {}); }) {
                b.for_each_order(s, i, [&](const auto& o) {
                    out.put(o.id.value());
                    out.put(o.size.lots());
                    out.put(o.seq);
                });
            }
        }
    }
    if constexpr (requires { mm.strategy(); }) serialize_strategy(mm.strategy(), out);
    if constexpr (requires { mm.venue(); }) serialize_venue(mm, mm.venue(), out);
    if (risk.ks != nullptr) {
        out.put(static_cast<std::uint8_t>(risk.ks->fired() ? 1 : 0));
        out.put(risk.ks->fire_count());
    }
    if (risk.breaker != nullptr) {
        out.put(static_cast<std::uint8_t>(risk.breaker->is_closed(now) ? 1 : 0));
        out.put(risk.breaker->probes_left());
    }
}

/// xxHash3-64 of serialize_state(mm, now, risk) (uses `scratch` as the buffer).
template <class Engine>
[[nodiscard]] std::uint64_t state_hash(const Engine& mm, timestamp now, const external_risk_state& risk, state_buffer& scratch) {
    serialize_state(mm, now, risk, scratch);
    return xxh3_64(scratch.bytes().data(), scratch.bytes().size());
}

} // namespace v0
} // namespace pinnacle
