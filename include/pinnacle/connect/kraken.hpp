#pragma once
/// @file connect/kraken.hpp
/// Kraken spot WebSocket market data, v1 (ws.kraken.com: `book-N` as/bs snapshot and a/b
/// updates with CRC32 "c", `trade`) and v2 (ws.kraken.com/v2: `book` snapshot/update with
/// "checksum", `trade`). Sources: Kraken WebSocket API v1 docs, "Book" and "How to maintain a
/// valid order book" (checksum of the top 10 asks then bids, '.' removed, leading zeros
/// stripped, CRC32); Kraken API v2 docs, "Book" channel and "Book checksum" guide.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include <zlib.h>

#include "pinnacle/connect/feed.hpp"
#include "pinnacle/connect/json.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

namespace detail {
// Writes v in decimal at dst (no leading zeros; "0" for 0); returns the digit count (1..20).
[[nodiscard]] inline std::size_t put_decimal_digits(char* dst, std::uint64_t v) noexcept {
    // Two digits per division (the chain of dependent divisions is what this costs).
    static constexpr char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    // Digits from the bit length (one table compare instead of a loop over the powers).
    const auto bits = static_cast<std::size_t>(64 - __builtin_clzll(v | 1));
    std::size_t digits = bits * 1233 >> 12;  // floor(log10(2^bits)), a lower bound
    digits += (v | 1) >= pow10_table[digits] ? 1 : 0;  // 0 has one digit
    std::size_t k = digits;  // written backwards
    while (v >= 100) {
        const std::size_t r = static_cast<std::size_t>(v % 100);
        v /= 100;
        k -= 2;
        dst[k] = pairs[2 * r];
        dst[k + 1] = pairs[2 * r + 1];
    }
    if (v >= 10) {
        dst[k - 2] = pairs[2 * v];
        dst[k - 1] = pairs[2 * v + 1];
    } else {
        dst[k - 1] = static_cast<char>('0' + v);
    }
    return digits;
}
} // namespace detail

/// The checksum text of the levels kraken_checksum() wrote last time, per side, so that levels
/// still in the top 10 (most of them after an update) are copied instead of formatted again.
/// Valid for one book, one instrument_spec and one pair of decimals (kraken_checksum() clears
/// it when the decimals change; call clear() when the book or spec is replaced). Thread-safety:
/// value type.
struct kraken_checksum_cache {
    /// One level's text: price digits then size digits.
    struct entry {
        std::int64_t px;       ///< Ticks.
        std::int64_t size;     ///< Lots.
        std::uint8_t px_len;   ///< Characters of the price digits.
        std::uint8_t len;      ///< Characters in all.
        char text[40];         ///< Price digits then size digits (at most 20 each).
    };
    /// Two sets of entries per side ([0]: asks, [1]: bids, best first): the last call's, at
    /// `current[side]`, and the one the next call writes (no copy between calls, no zeroing).
    entry levels[2][2][10];
    std::size_t current[2] = {0, 0};     ///< Which set of each side is the last call's.
    std::size_t count[2] = {0, 0};       ///< Entries held per side.
    unsigned px_decimals = ~0u;          ///< Decimals the entries were written at.
    unsigned qty_decimals = ~0u;         ///< Decimals the entries were written at.
    /// Forgets every entry.
    void clear() noexcept { count[0] = count[1] = 0; }
};

/// CRC32 (zlib polynomial) of Kraken's checksum string for `b`: for the best 10 asks (ascending)
/// then the best 10 bids (descending), price then size, each written as the integer of its
/// digits at `px_decimals` / `qty_decimals` decimals with leading zeros dropped. Returns false
/// when a level cannot be written at those decimals (it then cannot match). `cache` reuses the
/// text of levels unchanged since its last call (see kraken_checksum_cache).
[[nodiscard]] inline bool kraken_checksum(const depth_book& b, const instrument_spec& spec, unsigned px_decimals,
                                          unsigned qty_decimals, std::uint32_t& out, kraken_checksum_cache& c) noexcept {
    // Each level's text is copied as its whole 40-byte slot (a fixed-size copy, a few vector
    // moves, where a copy of the exact length is a slow variable-length one); the next level
    // overwrites the tail. Room: 19 levels of at most 40 characters, then a last whole slot.
    char buf[20 * 40];
    std::size_t n = 0;
    if (c.px_decimals != px_decimals || c.qty_decimals != qty_decimals) {
        c.clear();
        c.px_decimals = px_decimals;
        c.qty_decimals = qty_decimals;
    }
    for (const side s : {side::sell, side::buy}) {
        const std::size_t si = s == side::sell ? 0 : 1;
        const std::size_t d = b.depth(s) < 10 ? b.depth(s) : 10;
        const std::size_t old_n = c.count[si];
        const kraken_checksum_cache::entry* const old = c.levels[c.current[si]][si];
        kraken_checksum_cache::entry* const fresh = c.levels[1 - c.current[si]][si];
        for (std::size_t i = 0; i < d; ++i) {
            const level_info l = b.level(s, i);
            kraken_checksum_cache::entry& e = fresh[i];
            const kraken_checksum_cache::entry* hit = nullptr;
            // Levels keep their order: look at i first, then after it, then wrap around.
            for (std::size_t j = 0, k = i < old_n ? i : 0; j < old_n; ++j) {
                if (old[k].px == l.px.ticks()) { hit = &old[k]; break; }
                if (++k == old_n) k = 0;
            }
            if (hit != nullptr && hit->size == l.size.lots()) {
                e = *hit;
            } else {
                e.px = l.px.ticks();
                e.size = l.size.lots();
                if (hit != nullptr) {
                    std::memcpy(e.text, hit->text, sizeof e.text);
                    e.px_len = hit->px_len;
                } else {
                    std::uint64_t p = 0;
                    if (!spec.tick.scaled(l.px.ticks(), px_decimals, p)) { c.clear(); return false; }
                    e.px_len = static_cast<std::uint8_t>(detail::put_decimal_digits(e.text, p));
                }
                std::uint64_t q = 0;
                if (!spec.lot.scaled(l.size.lots(), qty_decimals, q)) { c.clear(); return false; }
                e.len = static_cast<std::uint8_t>(e.px_len + detail::put_decimal_digits(e.text + e.px_len, q));
            }
        }
        // A second pass: a wide load of bytes just written one by one would wait for them.
        for (std::size_t i = 0; i < d; ++i) {
            std::memcpy(buf + n, fresh[i].text, sizeof fresh[i].text);
            n += fresh[i].len;
        }
        c.current[si] = 1 - c.current[si];
        c.count[si] = d;
    }
    out = static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(buf), static_cast<uInt>(n)));
    return true;
}

/// kraken_checksum() without a cache: every level is formatted.
[[nodiscard]] inline bool kraken_checksum(const depth_book& b, const instrument_spec& spec, unsigned px_decimals,
                                          unsigned qty_decimals, std::uint32_t& out) noexcept {
    kraken_checksum_cache c;
    return kraken_checksum(b, spec, px_decimals, qty_decimals, out, c);
}

/// Kraken decoder for API v1 and v2 messages (told apart by shape). Thread-safety: one thread.
///
/// Each book keeps the subscribed depth (v1: from the channel name "book-N"; v2: the
/// constructor's `v2_depth`), as Kraken does: levels pushed past it are dropped. The checksum is
/// checked after every message that carries one; a mismatch makes the book stale and requests
/// a resync (resubscribe), and updates are dropped until the next snapshot.
class kraken_decoder : public decoder_core {
public:
    /// A decoder; v2 books keep `v2_depth` levels (the v2 subscription's depth, default 10).
    explicit kraken_decoder(std::size_t v2_depth = 10) : decoder_core(1000), v2_depth_(v2_depth == 0 ? 10 : v2_depth) {
        texts_[0].reserve(1024);
        texts_[1].reserve(1024);
        levels_.reserve(2048);
    }

    /// Decodes one WebSocket message; `recv` (ns) stamps events that carry no time of their own.
    feed_result on_message(std::string_view msg, timestamp recv = timestamp{}) {
        begin();
        od::document doc;
        if (reader_.start(msg, doc) != simdjson::SUCCESS) return lost_unattributed("malformed JSON (cannot start parsing)");
        od::json_type t;
        if (doc.type().get(t) != simdjson::SUCCESS) return lost_unattributed("malformed JSON");
        if (t == od::json_type::array) {
            od::array a;
            if (doc.get_array().get(a) != simdjson::SUCCESS) return lost_unattributed("malformed JSON array");
            return on_v1_array(a, recv);
        }
        od::object o;
        if (doc.get_object().get(o) != simdjson::SUCCESS) return lost_unattributed("message is neither a JSON array nor an object");
        return on_object(o, recv);
    }

private:
    struct px_format {
        unsigned px_decimals = 0, qty_decimals = 0;
        bool known = false;
        std::size_t depth = 0;
        std::uint32_t crc = 0;    // checksum of the book's top 10 when crc_valid
        bool crc_valid = false;
        kraken_checksum_cache text;  // the checksum text of the last top 10
    };

    // True when applying `lv` may change the top 10 of a side: a change at or better than the
    // current 10th best price (or on a side with fewer than 10 levels). Changes strictly worse
    // than the 10th best never alter the top 10, whatever their order.
    static bool touches_top10(const depth_book& b, std::span<const level_change> lv) noexcept {
        for (const auto& l : lv) {
            if (b.depth(l.s) < 10) return true;
            const price p10 = b.level(l.s, 9).px;
            if (l.s == side::buy ? l.px >= p10 : l.px <= p10) return true;
        }
        return false;
    }

    static int len(std::string_view s) noexcept { return static_cast<int>(s.size() > 64 ? 64 : s.size()); }

    px_format& fmt(std::uint32_t i) {
        if (formats_.size() <= i) formats_.resize(i + 1);
        return formats_[i];
    }

    feed_result lost_unattributed(const char* what) {
        ++counters(no_symbol).messages;
        // Could have been any book's update: every book that was live is now unverified.
        resync_all();
        return fail(feed_status::rejected, no_symbol, "%s", what);
    }

    // ---- v1 ----------------------------------------------------------------------------------

    // Reads one v1 payload dict ("as"/"bs"/"a"/"b"/"c"); returns false if it is not a book dict.
    bool read_book_dict(od::object o, bool& snapshot, std::string_view& checksum) {
        for (auto field : o) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS) return false;
            if (is(key, "c")) {
                if (!get_str(v, checksum)) return false;
            } else if (is(key, "as") || is(key, "bs") || is(key, "a") || is(key, "b")) {
                if (key.size() == 2) snapshot = true;
                if (!read_pairs(v, texts_[key[0] == 'b' ? 0 : 1], true)) return false;
            }
        }
        return true;
    }

    feed_result on_v1_array(od::array a, timestamp recv) {
        texts_[0].clear();
        texts_[1].clear();
        trades_.clear();
        std::string_view channel, pair, checksum;
        bool snapshot = false, book_shape = true, any_dict = false;
        std::size_t idx = 0, strings = 0;
        for (auto item : a) {
            od::value v;
            if (item.get(v) != simdjson::SUCCESS) return lost_unattributed("malformed JSON in array message");
            od::json_type t;
            if (v.type().get(t) != simdjson::SUCCESS) return lost_unattributed("malformed JSON in array message");
            if (idx == 0) {
                if (t != od::json_type::number) return lost_unattributed("array message: element 0 (channelID) is not a number");
            } else if (t == od::json_type::object) {
                od::object o;
                if (v.get_object().get(o) != simdjson::SUCCESS) return lost_unattributed("malformed JSON object");
                any_dict = true;
                if (book_shape && !read_book_dict(o, snapshot, checksum)) book_shape = false;
            } else if (t == od::json_type::array) {
                if (!read_trades(v)) book_shape = false;
            } else if (t == od::json_type::string) {
                std::string_view s;
                if (!get_str(v, s)) return lost_unattributed("malformed string");
                if (strings == 0) channel = s; else if (strings == 1) pair = s;
                ++strings;
            }
            ++idx;
        }
        const bool is_book = channel.substr(0, 4) == "book";
        if (!is_book && !is(channel, "trade")) { ++counters(no_symbol).messages; return feed_result{feed_status::ignored, no_symbol, {}}; }
        if (pair.empty()) return lost_unattributed("array message without channel name and pair");
        const std::uint32_t sym = intern(pair);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "unknown pair '%.*s' (no instrument)", len(pair), sv_data(pair));
        }
        ++books_[sym].counters.messages;
        if (!is_book) return apply_trades(sym, recv);
        if (!book_shape || !any_dict) return lost(sym, "%.*s book: payload is not {\"a\"/\"b\"/\"as\"/\"bs\": [[price, volume, time], ...]}", len(pair), sv_data(pair));
        std::size_t depth = 0;
        for (const char c : channel.substr(channel.find('-') == std::string_view::npos ? channel.size() : channel.find('-') + 1)) {
            if (c < '0' || c > '9' || depth > 100000) { depth = 0; break; }
            depth = depth * 10 + static_cast<std::size_t>(c - '0');
        }
        if (depth == 0) depth = 10;  // "book" without "-N": Kraken's default depth
        return apply_book(sym, texts_[0], texts_[1], snapshot, checksum, true, 0, depth, recv);
    }

    bool read_trades(od::value v) {
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
        for (auto item : arr) {
            od::array tr;
            if (item.get_array().get(tr) != simdjson::SUCCESS) return false;
            trade_text t;
            std::size_t k = 0;
            for (auto x : tr) {
                od::value xv;
                if (x.get(xv) != simdjson::SUCCESS) return false;
                if (k == 0 && !get_str(xv, t.px)) return false;
                if (k == 1 && !get_str(xv, t.size)) return false;
                if (k == 2 && !get_decimal_text(xv, t.time)) return false;
                if (k == 3 && !get_str(xv, t.side)) return false;
                ++k;
            }
            if (k < 4) return false;
            trades_.push_back(t);
        }
        return true;
    }

    feed_result apply_trades(std::uint32_t sym, timestamp recv) {
        if (trades_.empty()) return fail(feed_status::rejected, sym, "trade: payload is not [[price, volume, time, side, ...], ...]");
        const instrument_spec& spec = books_[sym].spec;
        for (std::size_t i = 0; i < trades_.size(); ++i) {
            const trade_text& t = trades_[i];
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(spec, t.px, t.size, side::buy, l, err)) {
                const std::string_view bad = which[0] == 'p' ? t.px : t.size;
                return fail(feed_status::rejected, sym, "trade[%zu]: %s '%.*s' %s", i, which, len(bad), sv_data(bad), to_string(err).data());
            }
            if (!is(t.side, "b") && !is(t.side, "s") && !is(t.side, "buy") && !is(t.side, "sell"))
                return fail(feed_status::rejected, sym, "trade[%zu]: side '%.*s' is not b/s", i, len(t.side), sv_data(t.side));
            // Seconds with a fraction ("1618678132.123456"), exact: the digits at 9 decimals.
            timestamp ts = recv;
            decimal d;
            std::uint64_t ns = 0;
            if (parse_decimal(t.time, d) == decimal_error::ok && d.digits <= (1ull << 62) &&
                grid_of_decimals(d.scale).scaled(static_cast<std::int64_t>(d.digits), 9, ns) && ns <= (1ull << 62))
                ts = timestamp{static_cast<std::int64_t>(ns)};
            // The side is the taker's: a buy lifted a resting ask.
            emit_trade(sym, t.side[0] == 'b' ? side::sell : side::buy, l.px, l.size, ts, 0);
        }
        return feed_result{feed_status::ok, sym, {}};
    }

    // Converts texts_ into levels_ and applies them (snapshot or update), then checks the checksum.
    feed_result apply_book(std::uint32_t sym, std::span<const level_text> bids, std::span<const level_text> asks, bool snapshot,
                           std::string_view checksum_text, bool v1, std::uint64_t checksum_num, std::size_t depth, timestamp ts) {
        symbol_book& b = books_[sym];
        px_format& pf = fmt(sym);
        levels_.clear();
        if (level_fault e; !convert_levels(b.spec, bids, asks, levels_, e))
            return lost(sym, "%s book %s[%zu]: %s '%.*s' %s", b.name.c_str(), e.s == side::buy ? (snapshot ? "bs" : "b") : (snapshot ? "as" : "a"),
                        e.index, e.what, len(e.text), sv_data(e.text), to_string(e.err).data());
        if (snapshot) {
            if (b.book.max_depth() != depth) b.book = depth_book(depth);
            pf.depth = depth;
            if (v1) {  // v1 prints every price and volume of a pair with fixed decimals
                const level_text* first = !asks.empty() ? &asks[0] : !bids.empty() ? &bids[0] : nullptr;
                if (first != nullptr) {
                    pf.px_decimals = decimals_in(first->px);
                    pf.qty_decimals = decimals_in(first->size);
                    pf.known = true;
                }
            } else {
                pf.px_decimals = b.spec.tick.step.scale;
                pf.qty_decimals = b.spec.lot.step.scale;
                pf.known = true;
            }
            apply_snapshot(sym, levels_, ts);
            b.state = book_state::live;
            pf.crc_valid = false;
            pf.text.clear();
        } else {
            if (b.state != book_state::live) {
                ++b.counters.dropped;
                return feed_result{feed_status::dropped, sym, {}};
            }
            if (touches_top10(b.book, levels_)) pf.crc_valid = false;
            apply_updates(sym, levels_, ts);
        }
        const bool has_checksum = v1 ? !checksum_text.empty() : checksum_num != ~std::uint64_t{0};
        if (!has_checksum) return feed_result{feed_status::ok, sym, {}};
        std::uint64_t want = checksum_num;
        if (v1) {
            decimal d;
            if (parse_decimal(checksum_text, d) != decimal_error::ok || d.scale != 0 || d.digits > 0xffffffffull)
                return lost(sym, "%s book: checksum '%.*s' is not a 32-bit unsigned integer", b.name.c_str(), len(checksum_text), sv_data(checksum_text));
            want = d.digits;
        }
        std::uint32_t got = pf.crc;
        if (!pf.crc_valid && pf.known) pf.crc_valid = kraken_checksum(b.book, b.spec, pf.px_decimals, pf.qty_decimals, got, pf.text);
        if (pf.crc_valid) pf.crc = got;
        if (pf.crc_valid && got == want) {
            ++b.counters.checksums_ok;
            return feed_result{feed_status::ok, sym, {}};
        }
        ++b.counters.checksums_failed;
        request_resync(sym);
        return fail(feed_status::checksum_failed, sym, "%s book: checksum %llu from the exchange, %u rebuilt: book stale, resync requested",
                    b.name.c_str(), static_cast<unsigned long long>(want), got);
    }

    // A book message for sym that could not be decoded: the book has lost an update.
    feed_result lost(std::uint32_t sym, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
        char buf[176];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (books_[sym].state != book_state::awaiting_snapshot) request_resync(sym);
        return fail(feed_status::rejected, sym, "%s", buf);
    }

    // ---- objects: v1 events and all of v2 ----------------------------------------------------

    feed_result on_object(od::object o, timestamp recv) {
        std::string_view event, status, error, channel, type, method;
        bool success = true, has_success = false, data_shape = true;
        texts_[0].clear();
        texts_[1].clear();
        trades_.clear();
        v2_items_.clear();
        for (auto field : o) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS)
                return lost_unattributed("malformed JSON object");
            if (is(key, "event")) { (void)get_str(v, event); }
            else if (is(key, "status")) { (void)get_str(v, status); }
            else if (is(key, "errorMessage") || is(key, "error")) { (void)get_str(v, error); }
            else if (is(key, "channel")) { (void)get_str(v, channel); }
            else if (is(key, "type")) { (void)get_str(v, type); }
            else if (is(key, "method")) { (void)get_str(v, method); }
            else if (is(key, "success")) { has_success = v.get_bool().get(success) == simdjson::SUCCESS; }
            else if (is(key, "data")) {
                od::json_type t;
                if (v.type().get(t) == simdjson::SUCCESS && t == od::json_type::array) {
                    if (!read_v2_data(v)) data_shape = false;
                }
            }
        }
        // v1 events.
        if (!event.empty()) {
            ++counters(no_symbol).messages;
            if ((is(event, "subscriptionStatus") && is(status, "error")) || is(event, "error"))
                return fail(feed_status::exchange_error, no_symbol, "exchange error: %.*s", len(error), sv_data(error));
            return feed_result{feed_status::ignored, no_symbol, {}};
        }
        if (has_success && !success) {
            ++counters(no_symbol).messages;
            return fail(feed_status::exchange_error, no_symbol, "exchange error (%.*s): %.*s", len(method), sv_data(method), len(error), sv_data(error));
        }
        if (is(channel, "book")) return on_v2_book(type, data_shape, recv);
        if (is(channel, "trade")) return on_v2_trade(data_shape, recv);
        ++counters(no_symbol).messages;
        return feed_result{feed_status::ignored, no_symbol, {}};
    }

    struct v2_item {
        std::string_view symbol, timestamp_text;
        std::size_t bids_begin = 0, bids_end = 0, asks_begin = 0, asks_end = 0;
        std::uint64_t checksum = ~std::uint64_t{0};
        std::string_view side, px, size;
        std::uint64_t trade_id = 0;
    };

    bool read_v2_levels(od::value v, std::vector<level_text>& dst) {
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
        for (auto item : arr) {
            od::object lo;
            if (item.get_object().get(lo) != simdjson::SUCCESS) return false;
            level_text lt;
            for (auto f : lo) {
                std::string_view k;
                od::value fv;
                if (!get_key(f, k) || f.value().get(fv) != simdjson::SUCCESS) return false;
                if (is(k, "price")) { if (!get_decimal_text(fv, lt.px)) return false; }
                else if (is(k, "qty")) { if (!get_decimal_text(fv, lt.size)) return false; }
            }
            if (lt.px.empty() || lt.size.empty()) return false;
            dst.push_back(lt);
        }
        return true;
    }

    bool read_v2_data(od::value v) {
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
        for (auto item : arr) {
            od::object io;
            if (item.get_object().get(io) != simdjson::SUCCESS) return false;
            v2_item it;
            it.bids_begin = it.bids_end = texts_[0].size();
            it.asks_begin = it.asks_end = texts_[1].size();
            for (auto f : io) {
                std::string_view k;
                od::value fv;
                if (!get_key(f, k) || f.value().get(fv) != simdjson::SUCCESS) return false;
                if (is(k, "symbol")) { if (!get_str(fv, it.symbol)) return false; }
                else if (is(k, "timestamp")) { (void)get_str(fv, it.timestamp_text); }
                else if (is(k, "bids")) { it.bids_begin = texts_[0].size(); if (!read_v2_levels(fv, texts_[0])) return false; it.bids_end = texts_[0].size(); }
                else if (is(k, "asks")) { it.asks_begin = texts_[1].size(); if (!read_v2_levels(fv, texts_[1])) return false; it.asks_end = texts_[1].size(); }
                else if (is(k, "checksum")) { if (fv.get_uint64().get(it.checksum) != simdjson::SUCCESS || it.checksum > 0xffffffffull) return false; }
                else if (is(k, "side")) { (void)get_str(fv, it.side); }
                else if (is(k, "price")) { if (!get_decimal_text(fv, it.px)) return false; }
                else if (is(k, "qty")) { if (!get_decimal_text(fv, it.size)) return false; }
                else if (is(k, "trade_id")) { (void)get_u64(fv, it.trade_id); }
            }
            v2_items_.push_back(it);
        }
        return true;
    }

    feed_result on_v2_book(std::string_view type, bool shape, timestamp recv) {
        if (!shape || v2_items_.empty()) return lost_unattributed("v2 book: 'data' is not [{symbol, bids, asks, checksum}, ...]");
        if (!is(type, "snapshot") && !is(type, "update")) return lost_unattributed("v2 book: 'type' is neither snapshot nor update");
        const bool snapshot = is(type, "snapshot");
        feed_result out{feed_status::ok, no_symbol, {}};
        for (const v2_item& it : v2_items_) {
            const std::uint32_t sym = intern(it.symbol);
            if (sym == no_symbol) {
                ++counters(no_symbol).messages;
                out = fail(feed_status::rejected, no_symbol, "v2 book: unknown symbol '%.*s' (no instrument)", len(it.symbol), sv_data(it.symbol));
                continue;
            }
            ++books_[sym].counters.messages;
            const std::span<const level_text> bids = std::span<const level_text>(texts_[0]).subspan(it.bids_begin, it.bids_end - it.bids_begin);
            const std::span<const level_text> asks = std::span<const level_text>(texts_[1]).subspan(it.asks_begin, it.asks_end - it.asks_begin);
            std::int64_t ns = 0;
            const timestamp ts = parse_iso8601_ns(it.timestamp_text, ns) ? timestamp{ns} : recv;
            const feed_result r = apply_book(sym, bids, asks, snapshot, {}, false, it.checksum, v2_depth_, ts);
            if (r.status != feed_status::ok || out.status == feed_status::ok) out = r;
        }
        return out;
    }

    feed_result on_v2_trade(bool shape, timestamp recv) {
        if (!shape || v2_items_.empty()) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "v2 trade: 'data' is not [{symbol, side, price, qty, ...}, ...]");
        }
        feed_result out{feed_status::ok, no_symbol, {}};
        for (const v2_item& it : v2_items_) {
            const std::uint32_t sym = intern(it.symbol);
            if (sym == no_symbol) {
                ++counters(no_symbol).messages;
                out = fail(feed_status::rejected, no_symbol, "v2 trade: unknown symbol '%.*s'", len(it.symbol), sv_data(it.symbol));
                continue;
            }
            ++books_[sym].counters.messages;
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(books_[sym].spec, it.px, it.size, side::buy, l, err)) {
                out = fail(feed_status::rejected, sym, "v2 trade: %s %s", which, to_string(err).data());
                continue;
            }
            if (!is(it.side, "buy") && !is(it.side, "sell")) {
                out = fail(feed_status::rejected, sym, "v2 trade: side '%.*s' is not buy/sell", len(it.side), sv_data(it.side));
                continue;
            }
            std::int64_t ns = 0;
            const timestamp ts = parse_iso8601_ns(it.timestamp_text, ns) ? timestamp{ns} : recv;
            emit_trade(sym, is(it.side, "buy") ? side::sell : side::buy, l.px, l.size, ts, it.trade_id);
            out.symbol = sym;
        }
        return out;
    }

    struct trade_text {
        std::string_view px, size, time, side;
    };

    json_reader reader_;
    std::size_t v2_depth_;
    std::vector<level_text> texts_[2];
    std::vector<trade_text> trades_;
    std::vector<v2_item> v2_items_;
    std::vector<level_change> levels_;
    std::vector<px_format> formats_;
};

} // namespace connect
} // namespace v0
} // namespace pinnacle
