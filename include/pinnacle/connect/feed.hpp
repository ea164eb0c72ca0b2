#pragma once
/// @file connect/feed.hpp
/// What every exchange decoder shares: the per-message result (status, symbol, reason, resync),
/// counters, the per-symbol verified book, and the event buffer a decoder fills. No I/O here: a
/// decoder is a pure state machine, bytes in, events and a status out.

#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/connect/decimal.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// What one decoded message did.
enum class feed_status : std::uint8_t {
    ok = 0,          ///< Decoded; its events (if any) are in events() and applied to the book.
    ignored,         ///< Well-formed but carries nothing for the book (heartbeat, subscription ack, kline...).
    buffered,        ///< Book update held until a snapshot arrives (nothing applied yet).
    dropped,         ///< Book update for a stale book, or older than its snapshot: not applied.
    rejected,        ///< Malformed, missing field, off grid or out of range; reason() says what and where.
    gap,             ///< A sequence check failed: the book is stale and a resync was requested.
    checksum_failed, ///< The exchange's checksum disagrees with the rebuilt book: stale, resync requested.
    exchange_error,  ///< The exchange sent an error message (reason() quotes it).
};

/// Stable lower-case name of a feed_status.
[[nodiscard]] constexpr std::string_view to_string(feed_status s) noexcept {
    switch (s) {
        case feed_status::ok: return "ok";
        case feed_status::ignored: return "ignored";
        case feed_status::buffered: return "buffered";
        case feed_status::dropped: return "dropped";
        case feed_status::rejected: return "rejected";
        case feed_status::gap: return "gap";
        case feed_status::checksum_failed: return "checksum_failed";
        case feed_status::exchange_error: return "exchange_error";
    }
    return "unknown";
}

/// Symbol index meaning "no particular symbol".
inline constexpr std::uint32_t no_symbol = ~std::uint32_t{0};

/// The outcome of decoding one message. `reason` points into the decoder and stays valid until
/// its next call. Thread-safety: value type.
struct feed_result {
    feed_status status = feed_status::ignored; ///< What happened.
    std::uint32_t symbol = no_symbol;          ///< Symbol index the message was about, if any.
    std::string_view reason;                   ///< Empty unless rejected / gap / checksum / exchange error.
};

/// Counters a decoder keeps, per symbol and in total. Bounds: 64-bit, never wrap in practice.
struct feed_counters {
    std::uint64_t messages = 0;         ///< Messages decoded (all statuses).
    std::uint64_t book_updates = 0;     ///< Book-changing messages applied (snapshots and updates).
    std::uint64_t trades = 0;           ///< Trade prints emitted.
    std::uint64_t rejected = 0;         ///< Messages rejected (malformed, off grid, out of range).
    std::uint64_t dropped = 0;          ///< Updates not applied (stale book, older than snapshot).
    std::uint64_t checksums_ok = 0;     ///< Exchange checksums that matched the rebuilt book.
    std::uint64_t checksums_failed = 0; ///< Exchange checksums that did not.
    std::uint64_t bbo_checked = 0;      ///< Rebuilt best bid/ask compared with an exchange BBO oracle.
    std::uint64_t bbo_mismatched = 0;   ///< ... and found different.
    std::uint64_t gaps = 0;             ///< Sequence gaps detected.
    std::uint64_t resyncs = 0;          ///< Resyncs requested (gap, failed checksum, lost update, exchange request).
    std::uint64_t ticker_agree = 0;     ///< Non-oracle tickers whose BBO equalled the book's (Coinbase).
    std::uint64_t ticker_disagree = 0;  ///< ... and those that did not.

    /// Adds every counter of `o`.
    feed_counters& operator+=(const feed_counters& o) noexcept {
        messages += o.messages; book_updates += o.book_updates; trades += o.trades; rejected += o.rejected;
        dropped += o.dropped; checksums_ok += o.checksums_ok; checksums_failed += o.checksums_failed;
        bbo_checked += o.bbo_checked; bbo_mismatched += o.bbo_mismatched; gaps += o.gaps; resyncs += o.resyncs;
        ticker_agree += o.ticker_agree; ticker_disagree += o.ticker_disagree;
        return *this;
    }
};

/// Where a symbol's book stands.
enum class book_state : std::uint8_t {
    awaiting_snapshot = 0, ///< No usable book: updates are buffered or dropped until a snapshot.
    syncing,               ///< Snapshot applied, waiting for the update that bridges it (Binance).
    live,                  ///< Verified and current: safe to quote on.
};

/// One symbol's book as a decoder keeps it. Thread-safety: one thread (the decoder's).
struct symbol_book {
    std::string name;               ///< Exchange symbol as the stream spells it ("BTCUSDT", "XBT/CHF").
    instrument_spec spec;           ///< Tick and lot grids.
    depth_book book;                ///< The rebuilt book (ticks, lots).
    book_state state = book_state::awaiting_snapshot; ///< Anything but live is stale: never quote on it.
    std::uint64_t last_id = 0;      ///< Last applied exchange sequence / update id (0: none).
    feed_counters counters;         ///< This symbol's counters.

    /// A book for `n` with grids `s`, keeping up to `depth` levels per side.
    symbol_book(std::string n, instrument_spec s, std::size_t depth) : name(std::move(n)), spec(s), book(depth) {}
    /// True unless the book is live: the engine must not quote on a stale book.
    [[nodiscard]] bool stale() const noexcept { return state != book_state::live; }
};

/// A market event tagged with the decoder's symbol index.
struct feed_event {
    std::uint32_t symbol = 0; ///< Index into the decoder's symbols.
    market_event ev;          ///< depth_snapshot, depth_update, or execute (trade print, order id 0).
};

/// A price level change as decoded, before it touches a book.
struct level_change {
    side s = side::buy; ///< Bid (buy) or ask (sell).
    price px;           ///< Ticks.
    qty size;           ///< Lots, absolute; 0 removes the level.
};

/// Symbols, books, events and counters every decoder holds. Thread-safety: one thread.
///
/// Instruments are registered with set_instrument(); a symbol seen without one uses
/// `fallback` when `allow_fallback` is set (replaying a capture that carries no instrument
/// data), and is rejected otherwise.
class decoder_core {
public:
    /// Levels kept per side for every book (>= 1).
    explicit decoder_core(std::size_t depth = 5000) : depth_(depth == 0 ? 1 : depth) {
        events_.reserve(4096);
        resyncs_.reserve(16);
    }

    /// Registers (or replaces) the grids of `symbol`. Throws std::bad_alloc.
    void set_instrument(std::string_view symbol, instrument_spec s) {
        for (auto& [n, spec] : specs_) {
            if (n == symbol) { spec = s; return; }
        }
        specs_.emplace_back(std::string(symbol), s);
    }
    /// Lets unknown symbols use `s` instead of being rejected.
    void allow_fallback(instrument_spec s) noexcept { fallback_ = s; has_fallback_ = true; }

    /// Events produced by the last call (cleared at the start of each call).
    [[nodiscard]] std::span<const feed_event> events() const noexcept { return events_; }
    /// Symbols whose resync was requested by the last call.
    [[nodiscard]] std::span<const std::uint32_t> resync_requests() const noexcept { return resyncs_; }
    /// All symbols seen, by index.
    [[nodiscard]] std::span<const symbol_book> symbols() const noexcept { return books_; }
    /// The book of symbol index i. Precondition: i < symbols().size().
    [[nodiscard]] const symbol_book& symbol(std::uint32_t i) const noexcept { return books_[i]; }
    /// Index of `name`, or no_symbol.
    [[nodiscard]] std::uint32_t find(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < books_.size(); ++i) {
            if (books_[i].name == name) return static_cast<std::uint32_t>(i);
        }
        return no_symbol;
    }
    /// Totals over every symbol plus messages that named none.
    [[nodiscard]] feed_counters totals() const noexcept {
        feed_counters t = unattributed_;
        for (const auto& b : books_) t += b.counters;
        return t;
    }

protected:
    // Starts a message: clears the per-call outputs.
    void begin() noexcept {
        events_.clear();
        resyncs_.clear();
        reason_len_ = 0;
    }
    // The counters of symbol i, or the unattributed ones.
    feed_counters& counters(std::uint32_t i) noexcept { return i == no_symbol ? unattributed_ : books_[i].counters; }

    // Index of `name`, created on first sight (books allocate then, not on the hot path).
    // Returns no_symbol when it has no instrument and no fallback.
    std::uint32_t intern(std::string_view name) {
        const std::uint32_t i = find(name);
        if (i != no_symbol) return i;
        const instrument_spec* s = nullptr;
        for (const auto& [n, spec] : specs_) {
            if (n == name) s = &spec;
        }
        if (s == nullptr && !has_fallback_) return no_symbol;
        books_.emplace_back(std::string(name), s != nullptr ? *s : fallback_, depth_);
        return static_cast<std::uint32_t>(books_.size() - 1);
    }

    // Formats the reason text (truncated to the buffer) and returns a result with it.
    feed_result fail(feed_status st, std::uint32_t sym, const char* fmt, ...) noexcept __attribute__((format(printf, 4, 5))) {
        va_list ap;
        va_start(ap, fmt);
        const int n = std::vsnprintf(reason_, sizeof reason_, fmt, ap);
        va_end(ap);
        reason_len_ = n < 0 ? 0 : (static_cast<std::size_t>(n) < sizeof reason_ ? static_cast<std::size_t>(n) : sizeof reason_ - 1);
        feed_counters& c = counters(sym);
        if (st == feed_status::rejected) ++c.rejected;
        return feed_result{st, sym, std::string_view(reason_, reason_len_)};
    }

    // Marks symbol i stale and requests a resync (once per call per symbol).
    void request_resync(std::uint32_t i) {
        if (i == no_symbol) return;
        books_[i].state = book_state::awaiting_snapshot;
        for (const auto r : resyncs_) {
            if (r == i) return;
        }
        ++books_[i].counters.resyncs;
        resyncs_.push_back(i);
    }
    // Marks every live or syncing book stale (a message we could not attribute may have been theirs).
    void resync_all() {
        for (std::size_t i = 0; i < books_.size(); ++i) {
            if (books_[i].state != book_state::awaiting_snapshot) request_resync(static_cast<std::uint32_t>(i));
        }
    }

    // Replaces symbol i's book by the levels in `lv` and emits depth_snapshot events for the
    // levels kept (the best max_depth of each side). Each side is sorted best first (when it is
    // not already), cut to the book's depth and inserted worst first, so every insert is an
    // append (depth_book::push_best): O(n) for a snapshot of n levels listed in order, O(n log n)
    // otherwise. A price listed twice keeps its last size.
    void apply_snapshot(std::uint32_t i, std::span<const level_change> lv, timestamp ts) {
        symbol_book& b = books_[i];
        b.book.clear();
        snap_.clear();
        for (std::size_t k = 0; k < lv.size(); ++k) {
            if (lv[k].size.lots() != 0) snap_.push_back(ordered{lv[k], k});
        }
        const auto before = [](const ordered& x, const ordered& y) {
            if (x.l.s != y.l.s) return x.l.s == side::buy;
            if (x.l.px != y.l.px) return x.l.s == side::buy ? x.l.px > y.l.px : x.l.px < y.l.px;
            return x.at > y.at;  // the last listing of a price first: it is the one kept
        };
        // Exchanges list bids then asks, best first: usually nothing to sort.
        if (!std::is_sorted(snap_.begin(), snap_.end(), before)) std::sort(snap_.begin(), snap_.end(), before);
        const std::size_t first = events_.size();
        const std::size_t n_bids = static_cast<std::size_t>(
            std::find_if(snap_.begin(), snap_.end(), [](const ordered& o) { return o.l.s == side::sell; }) - snap_.begin());
        const std::size_t ranges[2][2] = {{0, n_bids}, {n_bids, snap_.size()}};
        for (const auto& r : ranges) {
            // Distinct prices, best first, at most max_depth of them.
            std::size_t kept = 0, end = r[0];
            for (std::size_t k = r[0]; k < r[1] && kept < b.book.max_depth(); ++k) {
                if (k > r[0] && snap_[k].l.px == snap_[k - 1].l.px) continue;
                snap_[r[0] + kept++] = snap_[k];
                end = r[0] + kept;
            }
            for (std::size_t k = end; k-- > r[0];) {
                const level_change& l = snap_[k].l;
                (void)b.book.push_best(l.s, l.px, l.size);  // better than every level so far: appended
                market_event e;
                e.ts = ts;
                e.type = event_type::depth_snapshot;
                e.side = l.s;
                e.px = l.px;
                e.size = l.size;
                events_.push_back(feed_event{i, e});
            }
        }
        if (events_.size() == first) {  // an empty snapshot still clears the consumer's book
            market_event e;
            e.ts = ts;
            e.type = event_type::depth_snapshot;
            events_.push_back(feed_event{i, e});
        }
        events_[first].ev.flags |= event_flags::first;
        events_.back().ev.flags |= event_flags::last;
        ++b.counters.book_updates;
    }
    // Applies the level changes in `lv` to symbol i in order and emits depth_update events.
    void apply_updates(std::uint32_t i, std::span<const level_change> lv, timestamp ts) {
        symbol_book& b = books_[i];
        for (const auto& l : lv) {
            (void)b.book.update(l.s, l.px, l.size);  // book_full: beyond the kept depth, by design
            market_event e;
            e.ts = ts;
            e.type = event_type::depth_update;
            e.side = l.s;
            e.px = l.px;
            e.size = l.size;
            events_.push_back(feed_event{i, e});
        }
        ++b.counters.book_updates;
    }
    // Emits a trade print: `execute` with order id `trade_id`, on the resting (maker) side.
    void emit_trade(std::uint32_t i, side maker, price px, qty q, timestamp ts, std::uint64_t trade_id) {
        market_event e;
        e.ts = ts;
        e.type = event_type::execute;
        e.side = maker;
        e.px = px;
        e.size = q;
        e.id = order_id{trade_id};
        events_.push_back(feed_event{i, e});
        ++books_[i].counters.trades;
    }

    std::vector<symbol_book> books_; // by symbol index
    std::vector<feed_event> events_; // this call's events

private:
    struct ordered {
        level_change l;
        std::size_t at;  // position in the message
    };
    std::vector<ordered> snap_;
    std::vector<std::pair<std::string, instrument_spec>> specs_;
    std::vector<std::uint32_t> resyncs_;
    feed_counters unattributed_;
    instrument_spec fallback_{};
    bool has_fallback_ = false;
    std::size_t depth_;
    char reason_[192] = {};
    std::size_t reason_len_ = 0;
};

/// The characters of `s` for a "%.*s" format, never a null pointer (an empty view may have one).
[[nodiscard]] constexpr const char* sv_data(std::string_view s) noexcept { return s.data() != nullptr ? s.data() : ""; }

/// Converts the decimal texts of one level for symbol `spec`, or says which failed.
/// Returns nullptr on success, else "price" / "size" with `err` set.
[[nodiscard]] inline const char* convert_level(const instrument_spec& spec, std::string_view px_text,
                                               std::string_view size_text, side s, level_change& out,
                                               decimal_error& err) noexcept {
    out.s = s;
    err = spec.price_of(px_text, out.px);
    if (err != decimal_error::ok) return "price";
    err = spec.qty_of(size_text, out.size);
    if (err != decimal_error::ok) return "size";
    return nullptr;
}

/// Where convert_levels() stopped: the side, the entry, the value and why it was refused.
struct level_fault {
    side s = side::buy;                    ///< Side of the bad entry (bids: buy, asks: sell).
    std::size_t index = 0;                 ///< Its position in that side's list (0-based).
    const char* what = "";                 ///< "price" or "size".
    std::string_view text;                 ///< The value as received.
    decimal_error err = decimal_error::ok; ///< Why it was refused.
};

/// Converts the bid texts, then the ask texts (anything with `px` and `size` decimal texts, e.g.
/// level_text) to ticks and lots with `spec`, appending to `out` in that order: the snapshot and
/// update lists every decoder receives. Returns false at the first malformed, off-grid or
/// out-of-range value, with `fault` saying which (the decoder words the rejection); `out` then
/// holds the levels before it. Throws std::bad_alloc.
template <class Text>
[[nodiscard]] bool convert_levels(const instrument_spec& spec, std::span<const Text> bids, std::span<const Text> asks,
                                  std::vector<level_change>& out, level_fault& fault) {
    const std::span<const Text> sides[2] = {bids, asks};
    for (int k = 0; k < 2; ++k) {
        const side s = k == 0 ? side::buy : side::sell;
        for (std::size_t i = 0; i < sides[k].size(); ++i) {
            const Text& t = sides[k][i];
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(spec, t.px, t.size, s, l, err)) {
                fault = level_fault{s, i, which, which[0] == 'p' ? std::string_view(t.px) : std::string_view(t.size), err};
                return false;
            }
            out.push_back(l);
        }
    }
    return true;
}

/// Nanoseconds from an ISO-8601 UTC time "2021-04-17T16:43:37.075687Z" (fraction optional, up
/// to 9 digits; years 1970 to 2261). Returns false on any other shape or year. Days from civil: H. Hinnant's algorithm.
[[nodiscard]] constexpr bool parse_iso8601_ns(std::string_view s, std::int64_t& out) noexcept {
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
    auto num = [&](std::size_t at, std::size_t n, std::int64_t& v) {
        v = 0;
        for (std::size_t k = at; k < at + n; ++k) {
            if (s[k] < '0' || s[k] > '9') return false;
            v = v * 10 + (s[k] - '0');
        }
        return true;
    };
    std::int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se)) return false;
    // Years 1970..2261: nanoseconds since the epoch fit int64 (which ends in April 2262).
    if (y < 1970 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
    std::size_t k = 19;
    std::int64_t frac = 0;
    int digits = 0;
    if (k < s.size() && s[k] == '.') {
        ++k;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
            if (digits < 9) { frac = frac * 10 + (s[k] - '0'); ++digits; }
            ++k;
        }
    }
    for (; digits < 9; ++digits) frac *= 10;
    if (k + 1 != s.size() || s[k] != 'Z') return false;
    y -= mo <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    out = ((days * 24 + h) * 60 + mi) * 60 * 1'000'000'000 + se * 1'000'000'000 + frac;
    return true;
}

} // namespace connect
} // namespace v0
} // namespace pinnacle
