#pragma once
/// @file connect/bitstamp.hpp
/// Bitstamp WebSocket v2 market data: `diff_order_book_<pair>` aligned to the REST
/// `/api/v2/order_book/<pair>` snapshot by microtimestamp, `order_book_<pair>` (full top-100
/// snapshots), `live_trades_<pair>`. Source: Bitstamp WebSocket API v2 docs, "Channels" and
/// "How to maintain a local order book" (discard diffs not newer than the snapshot).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "pinnacle/connect/feed.hpp"
#include "pinnacle/connect/json.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// Bitstamp decoder. Thread-safety: one thread.
///
/// The diff stream has no sequence number: a lost diff cannot be seen in it (on_verify_snapshot
/// compares a book with a REST book to find one), so a message that cannot be decoded makes
/// every book stale. Diffs before the first snapshot are held (at most
/// `max_buffered` per symbol) and applied on it when newer than its microtimestamp.
class bitstamp_decoder : public decoder_core {
public:
    /// Most diffs held per symbol while waiting for a snapshot.
    static constexpr std::size_t max_buffered = 4096;

    /// A decoder keeping `depth` levels per side.
    explicit bitstamp_decoder(std::size_t depth = 5000) : decoder_core(depth) {
        texts_[0].reserve(1024);
        texts_[1].reserve(1024);
        levels_.reserve(2048);
    }

    /// Decodes one WebSocket message.
    feed_result on_message(std::string_view msg, timestamp recv = timestamp{}) {
        begin();
        od::document doc;
        od::object root;
        if (reader_.start(msg, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            return lost_all("malformed JSON or not an object");
        std::string_view event, channel;
        body b;
        bool has_data = false;
        texts_[0].clear();
        texts_[1].clear();
        for (auto field : root) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS) return lost_all("malformed JSON");
            if (is(key, "event")) { if (!get_str(v, event)) return lost_all("field 'event' is not a string"); }
            else if (is(key, "channel")) { if (!get_str(v, channel)) return lost_all("field 'channel' is not a string"); }
            else if (is(key, "data")) {
                od::object d;
                if (v.get_object().get(d) != simdjson::SUCCESS) return lost_all("field 'data' is not an object");
                if (const char* why = read_body(d, b)) return lost_all(why);
                has_data = true;
            }
        }
        if (is(event, "bts:error")) {
            ++counters(no_symbol).messages;
            return fail(feed_status::exchange_error, no_symbol, "exchange error: %.*s", clip(b.message), sv_data(b.message));
        }
        if (is(event, "bts:request_reconnect")) {  // the server is going away: every book needs a resync
            ++counters(no_symbol).messages;
            resync_all();
            return feed_result{feed_status::ignored, no_symbol, {}};
        }
        constexpr std::string_view diff_prefix = "diff_order_book_", full_prefix = "order_book_", trade_prefix = "live_trades_";
        const bool diff = channel.substr(0, diff_prefix.size()) == diff_prefix;
        const bool full = channel.substr(0, full_prefix.size()) == full_prefix;
        const bool trade = channel.substr(0, trade_prefix.size()) == trade_prefix && is(event, "trade");
        if (!(diff || full) || !is(event, "data")) {
            if (!trade) {
                ++counters(no_symbol).messages;
                return feed_result{feed_status::ignored, no_symbol, {}};
            }
        }
        const std::string_view pair = channel.substr(diff ? diff_prefix.size() : full ? full_prefix.size() : trade_prefix.size());
        const std::uint32_t sym = intern(pair);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            if (!trade) resync_all();
            return fail(feed_status::rejected, no_symbol, "unknown pair '%.*s' (no instrument)", clip(pair), sv_data(pair));
        }
        symbol_book& bk = books_[sym];
        ++bk.counters.messages;
        if (!has_data) return trade ? fail(feed_status::rejected, sym, "%s trade: missing field 'data'", bk.name.c_str())
                                    : lost(sym, "%s: missing field 'data'", bk.name.c_str());
        const timestamp ts = b.has_micro ? timestamp{static_cast<std::int64_t>(b.micro % 4'000'000'000'000'000) * 1000} : recv;
        if (trade) return on_trade(sym, b, ts);
        if (!b.has_micro || !b.has_bids || !b.has_asks)
            return lost(sym, "%s: missing field '%s'", bk.name.c_str(), !b.has_micro ? "microtimestamp" : !b.has_bids ? "bids" : "asks");
        if (const feed_result r = convert(sym); r.status != feed_status::ok) return r;
        if (full) {  // a complete top-N book each time
            apply_snapshot(sym, levels_, ts);
            bk.state = book_state::live;
            bk.last_id = b.micro;
            return feed_result{feed_status::ok, sym, {}};
        }
        if (bk.state != book_state::live) {
            hold(sym, b.micro, ts);
            return feed_result{feed_status::buffered, sym, {}};
        }
        if (sym < checks_.size() && checks_[sym].active && b.micro > checks_[sym].micro) {
            if (bk.last_id <= checks_[sym].micro) (void)settle_check(sym);  // the book is at the REST book's time
            else checks_[sym].active = false;  // re-synced past it meanwhile: nothing to compare
        }
        return apply_diff(sym, b.micro, levels_, ts);
    }

    /// Decodes a REST order book body for `pair` ({"timestamp", "microtimestamp", "bids", "asks"})
    /// and applies the held diffs newer than it.
    feed_result on_snapshot(std::string_view pair, std::string_view body_text, timestamp recv = timestamp{}) {
        begin();
        const std::uint32_t sym = intern(pair);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "snapshot for unknown pair '%.*s'", clip(pair), sv_data(pair));
        }
        symbol_book& bk = books_[sym];
        ++bk.counters.messages;
        od::document doc;
        od::object root;
        if (reader_.start(body_text, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            return fail(feed_status::rejected, sym, "%s snapshot: malformed JSON or not an object", bk.name.c_str());
        body b;
        texts_[0].clear();
        texts_[1].clear();
        if (const char* why = read_body(root, b)) return fail(feed_status::rejected, sym, "%s snapshot: %s", bk.name.c_str(), why);
        if (!b.has_micro || !b.has_bids || !b.has_asks)
            return fail(feed_status::rejected, sym, "%s snapshot: missing field '%s'", bk.name.c_str(), !b.has_micro ? "microtimestamp" : !b.has_bids ? "bids" : "asks");
        if (const feed_result r = convert(sym); r.status != feed_status::ok) return r;
        const timestamp ts = timestamp{static_cast<std::int64_t>(b.micro % 4'000'000'000'000'000) * 1000};
        apply_snapshot(sym, levels_, ts.ns() != 0 ? ts : recv);
        bk.state = book_state::live;
        bk.last_id = b.micro;
        held& h = hold_of(sym);
        for (const held_diff& d : h.ev) {
            (void)apply_diff(sym, d.micro, std::span<const level_change>(h.levels).subspan(d.begin, d.end - d.begin), d.ts);
        }
        h.ev.clear();
        h.levels.clear();
        return feed_result{feed_status::ok, sym, {}};
    }

    /// Best levels a side compared by on_verify_snapshot.
    static constexpr std::size_t verify_levels = 25;

    /// Checks the live book of `pair` against a REST order book body (as on_snapshot reads it)
    /// fetched while it was live. The diff stream has no sequence number, so a lost diff shows only
    /// as a book that differs from the exchange's. The body, at microtimestamp t, is compared
    /// with the book (best `verify_levels` levels a side, price and size) once every diff up to t
    /// has been applied: at once when the book is at t, else just before the first diff newer
    /// than t (held until then; a newer body replaces it). A difference counts a gap and a resync
    /// and replaces the book by the body (depth_snapshot events; diffs newer than t then apply),
    /// without another request. Returns ok (agreed, or held), gap (differed: the book was
    /// replaced), ignored (the book is not live, or already past t: nothing to compare), or
    /// rejected (unknown pair, bad body: nothing changes).
    feed_result on_verify_snapshot(std::string_view pair, std::string_view body_text, timestamp recv = timestamp{}) {
        begin();
        const std::uint32_t sym = find(pair);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "verify snapshot for unknown pair '%.*s'", clip(pair), sv_data(pair));
        }
        symbol_book& bk = books_[sym];
        ++bk.counters.messages;
        od::document doc;
        od::object root;
        if (reader_.start(body_text, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            return fail(feed_status::rejected, sym, "%s verify snapshot: malformed JSON or not an object", bk.name.c_str());
        body b;
        texts_[0].clear();
        texts_[1].clear();
        if (const char* why = read_body(root, b)) return fail(feed_status::rejected, sym, "%s verify snapshot: %s", bk.name.c_str(), why);
        if (!b.has_micro || !b.has_bids || !b.has_asks)
            return fail(feed_status::rejected, sym, "%s verify snapshot: missing field '%s'", bk.name.c_str(),
                        !b.has_micro ? "microtimestamp" : !b.has_bids ? "bids" : "asks");
        levels_.clear();
        if (level_fault e; !convert_levels<level_text>(bk.spec, texts_[0], texts_[1], levels_, e))
            return fail(feed_status::rejected, sym, "%s verify snapshot %s[%zu]: %s '%.*s' %s", bk.name.c_str(), e.s == side::buy ? "bids" : "asks",
                        e.index, e.what, clip(e.text), sv_data(e.text), to_string(e.err).data());
        if (bk.state != book_state::live || b.micro < bk.last_id) return feed_result{feed_status::ignored, sym, {}};
        pending_check& pc = check_of(sym);
        pc.active = true;
        pc.micro = b.micro;
        pc.ts = timestamp{static_cast<std::int64_t>(b.micro % 4'000'000'000'000'000) * 1000};
        if (pc.ts.ns() == 0) pc.ts = recv;
        pc.levels.assign(levels_.begin(), levels_.end());
        if (b.micro == bk.last_id) return settle_check(sym) ? feed_result{feed_status::ok, sym, {}} : feed_result{feed_status::gap, sym, {}};
        return feed_result{feed_status::ok, sym, {}};
    }

private:
    // A REST book held for comparison until the live book reaches its microtimestamp.
    struct pending_check {
        bool active = false;
        std::uint64_t micro = 0;
        timestamp ts;
        std::vector<level_change> levels;
    };

    pending_check& check_of(std::uint32_t sym) {
        if (checks_.size() <= sym) checks_.resize(sym + 1);
        return checks_[sym];
    }

    // Compares the held REST book of `sym` with the live book (now at its microtimestamp); on a
    // difference counts a gap and a resync and replaces the book. True when they agreed.
    bool settle_check(std::uint32_t sym) {
        pending_check& pc = checks_[sym];
        pc.active = false;
        symbol_book& bk = books_[sym];
        // The REST book as apply_snapshot keeps it: sizes above 0, distinct prices best first, the
        // last listing of a price wins (listed in reverse, a stable sort keeps it first).
        check_levels_.clear();
        for (std::size_t k = pc.levels.size(); k-- > 0;)
            if (pc.levels[k].size.lots() != 0) check_levels_.push_back(pc.levels[k]);
        std::stable_sort(check_levels_.begin(), check_levels_.end(), [](const level_change& x, const level_change& y) {
            if (x.s != y.s) return x.s == side::buy;
            return x.s == side::buy ? x.px > y.px : x.px < y.px;
        });
        check_levels_.erase(std::unique(check_levels_.begin(), check_levels_.end(),
                                        [](const level_change& x, const level_change& y) { return x.s == y.s && x.px == y.px; }),
                            check_levels_.end());
        bool same = true;
        for (const side sd : {side::buy, side::sell}) {
            std::size_t k = 0;
            for (const auto& l : check_levels_) {
                if (l.s != sd || k == verify_levels) continue;
                if (k >= bk.book.depth(sd)) { same = false; break; }
                const level_info li = bk.book.level(sd, k);
                if (li.px != l.px || li.size != l.size) { same = false; break; }
                ++k;
            }
            if (same && k < verify_levels && bk.book.depth(sd) > k) same = false;  // the book has a level the exchange's has not
        }
        if (same) return true;
        ++bk.counters.gaps;
        ++bk.counters.resyncs;
        apply_snapshot(sym, pc.levels, pc.ts);
        bk.last_id = pc.micro;
        return false;
    }

    struct body {
        std::uint64_t micro = 0, id = 0, type = 0;
        bool has_micro = false, has_bids = false, has_asks = false, has_type = false;
        std::string_view px, amount, message;
    };
    struct held_diff {
        std::uint64_t micro = 0;
        timestamp ts;
        std::size_t begin = 0, end = 0;
    };
    struct held {
        std::vector<held_diff> ev;
        std::vector<level_change> levels;
    };

    static int clip(std::string_view s) noexcept { return static_cast<int>(s.size() > 64 ? 64 : s.size()); }

    const char* read_body(od::object o, body& b) {
        for (auto field : o) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS) return "malformed JSON in 'data'";
            if (is(key, "microtimestamp")) { b.has_micro = get_u64(v, b.micro); if (!b.has_micro) return "field 'microtimestamp' is not an unsigned integer"; }
            else if (is(key, "bids")) { b.has_bids = true; if (!read_pairs(v, texts_[0], true)) return "field 'bids' is not [[price, amount], ...]"; }
            else if (is(key, "asks")) { b.has_asks = true; if (!read_pairs(v, texts_[1], true)) return "field 'asks' is not [[price, amount], ...]"; }
            else if (is(key, "price_str")) { (void)get_str(v, b.px); }
            else if (is(key, "amount_str")) { (void)get_str(v, b.amount); }
            else if (is(key, "id")) { (void)get_u64(v, b.id); }
            else if (is(key, "type")) { b.has_type = get_u64(v, b.type); }
            else if (is(key, "message")) { (void)get_str(v, b.message); }
        }
        return nullptr;
    }

    feed_result convert(std::uint32_t sym) {
        levels_.clear();
        const symbol_book& bk = books_[sym];
        if (level_fault e; !convert_levels<level_text>(bk.spec, texts_[0], texts_[1], levels_, e))
            return lost(sym, "%s %s[%zu]: %s '%.*s' %s", bk.name.c_str(), e.s == side::buy ? "bids" : "asks", e.index, e.what, clip(e.text),
                        sv_data(e.text), to_string(e.err).data());
        return feed_result{feed_status::ok, sym, {}};
    }

    held& hold_of(std::uint32_t sym) {
        if (holds_.size() <= sym) holds_.resize(sym + 1);
        return holds_[sym];
    }

    void hold(std::uint32_t sym, std::uint64_t micro, timestamp ts) {
        held& h = hold_of(sym);
        if (h.ev.size() == max_buffered) {  // keep the newest: the snapshot will be newer than the oldest
            h.ev.clear();
            h.levels.clear();
            ++books_[sym].counters.dropped;
        }
        h.ev.push_back(held_diff{micro, ts, h.levels.size(), h.levels.size() + levels_.size()});
        h.levels.insert(h.levels.end(), levels_.begin(), levels_.end());
    }

    feed_result apply_diff(std::uint32_t sym, std::uint64_t micro, std::span<const level_change> lv, timestamp ts) {
        symbol_book& bk = books_[sym];
        if (micro <= bk.last_id) {  // not newer than the snapshot (or a repeat)
            ++bk.counters.dropped;
            return feed_result{feed_status::dropped, sym, {}};
        }
        apply_updates(sym, lv, ts);
        bk.last_id = micro;
        return feed_result{feed_status::ok, sym, {}};
    }

    feed_result on_trade(std::uint32_t sym, const body& b, timestamp ts) {
        level_change l;
        decimal_error err = decimal_error::ok;
        const symbol_book& bk = books_[sym];
        if (b.px.empty() || b.amount.empty() || !b.has_type)
            return fail(feed_status::rejected, sym, "%s trade: missing field '%s'", bk.name.c_str(), b.px.empty() ? "price_str" : b.amount.empty() ? "amount_str" : "type");
        if (const char* which = convert_level(bk.spec, b.px, b.amount, side::buy, l, err))
            return fail(feed_status::rejected, sym, "%s trade: %s %s", bk.name.c_str(), which, to_string(err).data());
        if (b.type > 1) return fail(feed_status::rejected, sym, "%s trade: type %llu is not 0 (buy) or 1 (sell)", bk.name.c_str(), static_cast<unsigned long long>(b.type));
        // type 0: the taker bought, lifting a resting ask.
        emit_trade(sym, b.type == 0 ? side::sell : side::buy, l.px, l.size, ts, b.id);
        return feed_result{feed_status::ok, sym, {}};
    }

    feed_result lost_all(const char* what) {
        ++counters(no_symbol).messages;
        resync_all();
        return fail(feed_status::rejected, no_symbol, "%s", what);
    }
    feed_result lost(std::uint32_t sym, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
        char buf[176];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (books_[sym].state != book_state::awaiting_snapshot) request_resync(sym);
        hold_of(sym).ev.clear();
        hold_of(sym).levels.clear();
        return fail(feed_status::rejected, sym, "%s", buf);
    }

    json_reader reader_;
    std::vector<level_text> texts_[2];
    std::vector<level_change> levels_;
    std::vector<held> holds_;
    std::vector<pending_check> checks_;       // by symbol: REST books awaiting comparison
    std::vector<level_change> check_levels_;  // settle_check's scratch
};

} // namespace connect
} // namespace v0
} // namespace pinnacle
