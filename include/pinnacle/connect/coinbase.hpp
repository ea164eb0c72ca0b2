#pragma once
/// @file connect/coinbase.hpp
/// Coinbase market data: Advanced Trade WebSocket (advanced-trade-ws.coinbase.com: `level2` ->
/// channel `l2_data` snapshot/update, `ticker`, `market_trades`, `heartbeats`; `sequence_num` per
/// connection) and Coinbase Exchange, the former Pro `ws-feed` (`snapshot` / `l2update`, `match`,
/// `ticker`). Sources: Coinbase Advanced Trade docs, "WebSocket Channels" and "WebSocket
/// Overview: Sequence Numbers"; Coinbase Exchange docs, "WebSocket Channels: Level2, Ticker, Matches".

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

namespace detail {
// Compares a (non-oracle) ticker's best bid/ask prices with the book's; counts agreement.
inline void count_ticker_agreement(symbol_book& b, const instrument_spec& spec, std::string_view bid, std::string_view ask) noexcept {
    if (b.state != book_state::live || bid.empty() || ask.empty()) return;
    price pb, pa;
    if (spec.price_of(bid, pb) != decimal_error::ok || spec.price_of(ask, pa) != decimal_error::ok) return;
    const bool agree = b.book.depth(side::buy) > 0 && b.book.depth(side::sell) > 0 && b.book.level(side::buy, 0).px == pb &&
                       b.book.level(side::sell, 0).px == pa;
    ++(agree ? b.counters.ticker_agree : b.counters.ticker_disagree);
}
inline int clip(std::string_view s) noexcept { return static_cast<int>(s.size() > 64 ? 64 : s.size()); }
} // namespace detail

/// Coinbase Advanced Trade decoder. Thread-safety: one thread.
///
/// `sequence_num` runs per connection across every channel; the caller passes a connection
/// index (0..) with each message. A jump makes every book fed by that connection stale and
/// requests a resync (resubscribe); updates are dropped until a new `l2_data` snapshot. The
/// `ticker` channel's BBO is compared with the book only as a statistic (not an oracle: it does
/// not line up exactly with `l2_data` at arrival).
class coinbase_advanced_decoder : public decoder_core {
public:
    /// Most connections tracked (indices 0..max_connections-1).
    static constexpr std::size_t max_connections = 64;

    /// A decoder keeping `depth` levels per side.
    explicit coinbase_advanced_decoder(std::size_t depth = 5000) : decoder_core(depth) {
        updates_.reserve(2048);
        levels_.reserve(2048);
    }

    /// Decodes one message received on connection `conn` (< max_connections).
    feed_result on_message(std::string_view msg, timestamp recv = timestamp{}, std::size_t conn = 0) {
        begin();
        if (conn >= max_connections) conn = max_connections - 1;
        if (seq_.size() <= conn) seq_.resize(conn + 1);
        od::document doc;
        od::object root;
        if (reader_.start(msg, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            return unattributed(feed_status::rejected, "malformed JSON or not an object");
        std::string_view channel, type, message, time_text;
        std::uint64_t seq = 0;
        bool has_seq = false;
        updates_.clear();
        trades_.clear();
        tickers_.clear();
        items_.clear();
        for (auto field : root) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS)
                return unattributed(feed_status::rejected, "malformed JSON");
            if (is(key, "channel")) { if (!get_str(v, channel)) return unattributed(feed_status::rejected, "field 'channel' is not a string"); }
            else if (is(key, "sequence_num")) { has_seq = get_u64(v, seq); if (!has_seq) return unattributed(feed_status::rejected, "field 'sequence_num' is not an unsigned integer"); }
            else if (is(key, "timestamp")) { (void)get_str(v, time_text); }
            else if (is(key, "type")) { (void)get_str(v, type); }
            else if (is(key, "message")) { (void)get_str(v, message); }
            else if (is(key, "events")) { if (const char* why = read_events(v)) return unattributed(feed_status::rejected, why); }
        }
        if (is(type, "error")) return unattributed(feed_status::exchange_error, "exchange error", message);
        std::int64_t ns = 0;
        const timestamp ts = parse_iso8601_ns(time_text, ns) ? timestamp{ns} : recv;
        // Sequence: per connection, over every channel.
        conn_seq& cs = seq_[conn];
        feed_result gap_result{feed_status::ok, no_symbol, {}};
        if (has_seq) {
            if (cs.seen && seq <= cs.last) {
                ++counters(no_symbol).messages;
                ++counters(no_symbol).dropped;
                return feed_result{feed_status::dropped, no_symbol, {}};
            }
            if (cs.seen && seq != cs.last + 1) {
                ++counters(no_symbol).gaps;
                for (std::size_t i = 0; i < books_.size(); ++i) {
                    if (conn_of(static_cast<std::uint32_t>(i)) == conn && books_[i].state != book_state::awaiting_snapshot)
                        request_resync(static_cast<std::uint32_t>(i));
                }
                gap_result = fail(feed_status::gap, no_symbol, "connection %zu: sequence_num %llu after %llu: books stale, resubscribe", conn,
                                  static_cast<unsigned long long>(seq), static_cast<unsigned long long>(cs.last));
            }
            cs.seen = true;
            cs.last = seq;
        }
        if (is(channel, "l2_data") || is(channel, "level2")) {
            feed_result r = apply_l2(ts, conn);
            return gap_result.status == feed_status::gap ? keep_reason(gap_result, r.symbol) : r;
        }
        if (is(channel, "market_trades")) {
            feed_result r = apply_trades(ts);
            return gap_result.status == feed_status::gap ? keep_reason(gap_result, r.symbol) : r;
        }
        if (is(channel, "ticker") || is(channel, "ticker_batch")) {
            for (const auto& t : tickers_) {
                const std::uint32_t sym = find(t.product);
                if (sym != no_symbol) detail::count_ticker_agreement(books_[sym], books_[sym].spec, t.bid, t.ask);
            }
        }
        ++counters(no_symbol).messages;
        if (gap_result.status == feed_status::gap) return gap_result;
        return feed_result{feed_status::ignored, no_symbol, {}};
    }

private:
    struct conn_seq {
        std::uint64_t last = 0;
        bool seen = false;
    };
    struct update_text {
        std::string_view side, px, size;
    };
    struct trade_text {
        std::string_view product, side, px, size, time, id;
    };
    struct ticker_text {
        std::string_view product, bid, ask;
    };
    struct item {
        std::string_view type, product;
        std::size_t begin = 0, end = 0;  // into updates_
    };

    feed_result unattributed(feed_status st, const char* what, std::string_view quoted = {}) {
        ++counters(no_symbol).messages;
        return fail(st, no_symbol, "%s%s%.*s", what, quoted.empty() ? "" : ": ", detail::clip(quoted), quoted.empty() ? "" : quoted.data());
    }
    feed_result keep_reason(feed_result g, std::uint32_t sym) noexcept {
        g.symbol = sym;
        return g;
    }
    std::size_t conn_of(std::uint32_t sym) const noexcept { return sym < conn_.size() ? conn_[sym] : 0; }

    // Reads "events": [...] into items_/updates_/trades_/tickers_; returns the reason on bad shape.
    const char* read_events(od::value v) {
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return "field 'events' is not an array";
        for (auto ev : arr) {
            od::object eo;
            if (ev.get_object().get(eo) != simdjson::SUCCESS) return "an element of 'events' is not an object";
            item it;
            it.begin = it.end = updates_.size();
            for (auto f : eo) {
                std::string_view k;
                od::value fv;
                if (!get_key(f, k) || f.value().get(fv) != simdjson::SUCCESS) return "malformed JSON in 'events'";
                if (is(k, "type")) { (void)get_str(fv, it.type); }
                else if (is(k, "product_id")) { if (!get_str(fv, it.product)) return "events[].product_id is not a string"; }
                else if (is(k, "updates")) {
                    od::array ua;
                    if (fv.get_array().get(ua) != simdjson::SUCCESS) return "events[].updates is not an array";
                    it.begin = updates_.size();
                    for (auto u : ua) {
                        od::object uo;
                        if (u.get_object().get(uo) != simdjson::SUCCESS) return "events[].updates[] is not an object";
                        update_text t;
                        for (auto uf : uo) {
                            std::string_view uk;
                            od::value uv;
                            if (!get_key(uf, uk) || uf.value().get(uv) != simdjson::SUCCESS) return "malformed JSON in 'updates'";
                            if (is(uk, "side")) { if (!get_str(uv, t.side)) return "updates[].side is not a string"; }
                            else if (is(uk, "price_level")) { if (!get_decimal_text(uv, t.px)) return "updates[].price_level is not a decimal"; }
                            else if (is(uk, "new_quantity")) { if (!get_decimal_text(uv, t.size)) return "updates[].new_quantity is not a decimal"; }
                        }
                        if (t.side.empty() || t.px.empty() || t.size.empty()) return "updates[] lacks side, price_level or new_quantity";
                        updates_.push_back(t);
                    }
                    it.end = updates_.size();
                } else if (is(k, "trades")) {
                    od::array ta;
                    if (fv.get_array().get(ta) != simdjson::SUCCESS) return "events[].trades is not an array";
                    for (auto tr : ta) {
                        od::object to;
                        if (tr.get_object().get(to) != simdjson::SUCCESS) return "events[].trades[] is not an object";
                        trade_text t;
                        for (auto tf : to) {
                            std::string_view tk;
                            od::value tv;
                            if (!get_key(tf, tk) || tf.value().get(tv) != simdjson::SUCCESS) return "malformed JSON in 'trades'";
                            if (is(tk, "product_id")) (void)get_str(tv, t.product);
                            else if (is(tk, "side")) (void)get_str(tv, t.side);
                            else if (is(tk, "price")) (void)get_decimal_text(tv, t.px);
                            else if (is(tk, "size")) (void)get_decimal_text(tv, t.size);
                            else if (is(tk, "time")) (void)get_str(tv, t.time);
                            else if (is(tk, "trade_id")) (void)get_str(tv, t.id);
                        }
                        trades_.push_back(t);
                    }
                } else if (is(k, "tickers")) {
                    od::array ta;
                    if (fv.get_array().get(ta) != simdjson::SUCCESS) return "events[].tickers is not an array";
                    for (auto tr : ta) {
                        od::object to;
                        if (tr.get_object().get(to) != simdjson::SUCCESS) return "events[].tickers[] is not an object";
                        ticker_text t;
                        for (auto tf : to) {
                            std::string_view tk;
                            od::value tv;
                            if (!get_key(tf, tk) || tf.value().get(tv) != simdjson::SUCCESS) return "malformed JSON in 'tickers'";
                            if (is(tk, "product_id")) (void)get_str(tv, t.product);
                            else if (is(tk, "best_bid")) (void)get_decimal_text(tv, t.bid);
                            else if (is(tk, "best_ask")) (void)get_decimal_text(tv, t.ask);
                        }
                        tickers_.push_back(t);
                    }
                }
            }
            items_.push_back(it);
        }
        return nullptr;
    }

    feed_result apply_l2(timestamp ts, std::size_t conn) {
        feed_result out{feed_status::ok, no_symbol, {}};
        for (const item& it : items_) {
            if (it.product.empty()) {
                // Cannot say whose book this was: every book on this connection is unverified.
                for (std::size_t i = 0; i < books_.size(); ++i) {
                    if (conn_of(static_cast<std::uint32_t>(i)) == conn) request_resync(static_cast<std::uint32_t>(i));
                }
                ++counters(no_symbol).messages;
                return fail(feed_status::rejected, no_symbol, "l2_data event without product_id");
            }
            const std::uint32_t sym = intern(it.product);
            if (sym == no_symbol) {
                ++counters(no_symbol).messages;
                out = fail(feed_status::rejected, no_symbol, "unknown product '%.*s' (no instrument)", detail::clip(it.product), sv_data(it.product));
                continue;
            }
            if (conn_.size() <= sym) conn_.resize(sym + 1, 0);
            symbol_book& b = books_[sym];
            ++b.counters.messages;
            const bool snapshot = is(it.type, "snapshot");
            if (!snapshot && !is(it.type, "update")) {
                if (b.state != book_state::awaiting_snapshot) request_resync(sym);
                out = fail(feed_status::rejected, sym, "%s l2_data: event type '%.*s' is neither snapshot nor update", b.name.c_str(),
                           detail::clip(it.type), sv_data(it.type));
                continue;
            }
            levels_.clear();
            bool bad = false;
            for (std::size_t k = it.begin; k < it.end && !bad; ++k) {
                const update_text& u = updates_[k];
                side s = side::buy;
                if (is(u.side, "bid")) s = side::buy;
                else if (is(u.side, "offer") || is(u.side, "ask")) s = side::sell;
                else {
                    out = fail(feed_status::rejected, sym, "%s l2_data updates[%zu]: side '%.*s' is not bid/offer", b.name.c_str(), k - it.begin,
                               detail::clip(u.side), sv_data(u.side));
                    bad = true;
                    break;
                }
                level_change l;
                decimal_error err = decimal_error::ok;
                if (const char* which = convert_level(b.spec, u.px, u.size, s, l, err)) {
                    const std::string_view t = which[0] == 'p' ? u.px : u.size;
                    out = fail(feed_status::rejected, sym, "%s l2_data updates[%zu]: %s '%.*s' %s", b.name.c_str(), k - it.begin, which,
                               detail::clip(t), sv_data(t), to_string(err).data());
                    bad = true;
                    break;
                }
                levels_.push_back(l);
            }
            if (bad) {
                if (b.state != book_state::awaiting_snapshot) request_resync(sym);
                continue;
            }
            if (snapshot) {
                apply_snapshot(sym, levels_, ts);
                b.state = book_state::live;
                conn_[sym] = conn;
                if (out.status == feed_status::ok) out.symbol = sym;
            } else if (b.state != book_state::live) {
                ++b.counters.dropped;
                if (out.status == feed_status::ok) out = feed_result{feed_status::dropped, sym, {}};
            } else {
                apply_updates(sym, levels_, ts);
                if (out.status == feed_status::ok) out.symbol = sym;
            }
        }
        return out;
    }

    feed_result apply_trades(timestamp ts) {
        feed_result out{feed_status::ok, no_symbol, {}};
        for (std::size_t i = 0; i < trades_.size(); ++i) {
            const trade_text& t = trades_[i];
            const std::uint32_t sym = intern(t.product);
            if (sym == no_symbol) {
                out = fail(feed_status::rejected, no_symbol, "market_trades[%zu]: unknown product '%.*s'", i, detail::clip(t.product), sv_data(t.product));
                continue;
            }
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(books_[sym].spec, t.px, t.size, side::buy, l, err)) {
                out = fail(feed_status::rejected, sym, "market_trades[%zu]: %s %s", i, which, to_string(err).data());
                continue;
            }
            if (!is(t.side, "BUY") && !is(t.side, "SELL")) {
                out = fail(feed_status::rejected, sym, "market_trades[%zu]: side '%.*s' is not BUY/SELL", i, detail::clip(t.side), sv_data(t.side));
                continue;
            }
            std::int64_t ns = 0;
            const timestamp tts = parse_iso8601_ns(t.time, ns) ? timestamp{ns} : ts;
            std::uint64_t id = 0;
            for (const char c : t.id) {
                if (c < '0' || c > '9' || id > 1'000'000'000'000'000'000ull) { id = 0; break; }
                id = id * 10 + static_cast<std::uint64_t>(c - '0');
            }
            // side is the taker's (Advanced Trade docs): a BUY lifted a resting offer.
            emit_trade(sym, is(t.side, "BUY") ? side::sell : side::buy, l.px, l.size, tts, id);
            if (out.status == feed_status::ok) out.symbol = sym;
        }
        ++counters(out.symbol).messages;
        return out;
    }

    json_reader reader_;
    std::vector<conn_seq> seq_;
    std::vector<std::size_t> conn_;  // connection that gave each book its snapshot
    std::vector<update_text> updates_;
    std::vector<trade_text> trades_;
    std::vector<ticker_text> tickers_;
    std::vector<item> items_;
    std::vector<level_change> levels_;
};

/// Coinbase Exchange (legacy Pro `ws-feed`) decoder: `level2`/`level2_batch` snapshot and
/// l2update, `matches`, `ticker`. Thread-safety: one thread.
///
/// l2update carries no sequence number, so a lost update cannot be seen in the stream itself;
/// a message that cannot be decoded therefore makes every book stale (it may have been theirs).
class coinbase_exchange_decoder : public decoder_core {
public:
    /// A decoder keeping `depth` levels per side.
    explicit coinbase_exchange_decoder(std::size_t depth = 5000) : decoder_core(depth) {
        texts_[0].reserve(1024);
        texts_[1].reserve(1024);
        levels_.reserve(2048);
    }

    /// Decodes one ws-feed message.
    feed_result on_message(std::string_view msg, timestamp recv = timestamp{}) {
        begin();
        od::document doc;
        od::object root;
        if (reader_.start(msg, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            return lost_all("malformed JSON or not an object");
        std::string_view type, product, time_text, side_text, px, size, bid, ask, message, reason;
        std::uint64_t trade_id = 0;
        bool has_bids = false, has_asks = false, has_changes = false;
        texts_[0].clear();
        texts_[1].clear();
        changes_.clear();
        for (auto field : root) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS) return lost_all("malformed JSON");
            if (is(key, "type")) { if (!get_str(v, type)) return lost_all("field 'type' is not a string"); }
            else if (is(key, "product_id")) { if (!get_str(v, product)) return lost_all("field 'product_id' is not a string"); }
            else if (is(key, "time")) { (void)get_str(v, time_text); }
            else if (is(key, "bids")) { has_bids = true; if (!read_pairs(v, texts_[0], true)) return lost_all("field 'bids' is not [[price, size], ...]"); }
            else if (is(key, "asks")) { has_asks = true; if (!read_pairs(v, texts_[1], true)) return lost_all("field 'asks' is not [[price, size], ...]"); }
            else if (is(key, "changes")) { has_changes = true; if (!read_changes(v)) return lost_all("field 'changes' is not [[side, price, size], ...]"); }
            else if (is(key, "side")) { (void)get_str(v, side_text); }
            else if (is(key, "price")) { (void)get_decimal_text(v, px); }
            else if (is(key, "size")) { (void)get_decimal_text(v, size); }
            else if (is(key, "best_bid")) { (void)get_decimal_text(v, bid); }
            else if (is(key, "best_ask")) { (void)get_decimal_text(v, ask); }
            else if (is(key, "trade_id")) { (void)get_u64(v, trade_id); }
            else if (is(key, "message")) { (void)get_str(v, message); }
            else if (is(key, "reason")) { (void)get_str(v, reason); }
        }
        if (is(type, "error")) {
            ++counters(no_symbol).messages;
            return fail(feed_status::exchange_error, no_symbol, "exchange error: %.*s (%.*s)", detail::clip(message), sv_data(message), detail::clip(reason), sv_data(reason));
        }
        const bool book = is(type, "snapshot") || is(type, "l2update");
        if (!book && !is(type, "match") && !is(type, "ticker")) {
            ++counters(no_symbol).messages;
            return feed_result{feed_status::ignored, no_symbol, {}};
        }
        if (product.empty()) return book ? lost_all("book message without product_id") : unattributed_reject("message without product_id");
        const std::uint32_t sym = intern(product);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "unknown product '%.*s' (no instrument)", detail::clip(product), sv_data(product));
        }
        symbol_book& b = books_[sym];
        ++b.counters.messages;
        std::int64_t ns = 0;
        const timestamp ts = parse_iso8601_ns(time_text, ns) ? timestamp{ns} : recv;
        if (is(type, "ticker")) {
            detail::count_ticker_agreement(b, b.spec, bid, ask);
            return feed_result{feed_status::ignored, sym, {}};
        }
        if (is(type, "match")) {
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(b.spec, px, size, side::buy, l, err))
                return fail(feed_status::rejected, sym, "%s match: %s %s", b.name.c_str(), which, to_string(err).data());
            if (!is(side_text, "buy") && !is(side_text, "sell"))
                return fail(feed_status::rejected, sym, "%s match: side '%.*s' is not buy/sell", b.name.c_str(), detail::clip(side_text), sv_data(side_text));
            // side is the maker order's side (Exchange docs, "matches" channel).
            emit_trade(sym, is(side_text, "buy") ? side::buy : side::sell, l.px, l.size, ts, trade_id);
            return feed_result{feed_status::ok, sym, {}};
        }
        levels_.clear();
        if (is(type, "snapshot")) {
            if (!has_bids || !has_asks) return lost(sym, "%s snapshot: missing field '%s'", b.name.c_str(), has_bids ? "asks" : "bids");
            if (level_fault e; !convert_levels<level_text>(b.spec, texts_[0], texts_[1], levels_, e))
                return lost(sym, "%s snapshot %s[%zu]: %s %s", b.name.c_str(), e.s == side::buy ? "bids" : "asks", e.index, e.what,
                            to_string(e.err).data());
            apply_snapshot(sym, levels_, ts);
            b.state = book_state::live;
            return feed_result{feed_status::ok, sym, {}};
        }
        if (!has_changes) return lost(sym, "%s l2update: missing field 'changes'", b.name.c_str());
        for (std::size_t i = 0; i < changes_.size(); ++i) {
            const change_text& c = changes_[i];
            side s = side::buy;
            if (is(c.side, "buy")) s = side::buy;
            else if (is(c.side, "sell")) s = side::sell;
            else return lost(sym, "%s l2update changes[%zu]: side '%.*s' is not buy/sell", b.name.c_str(), i, detail::clip(c.side), sv_data(c.side));
            level_change l;
            decimal_error err = decimal_error::ok;
            if (const char* which = convert_level(b.spec, c.px, c.size, s, l, err)) {
                const std::string_view t = which[0] == 'p' ? c.px : c.size;
                return lost(sym, "%s l2update changes[%zu]: %s '%.*s' %s", b.name.c_str(), i, which, detail::clip(t), sv_data(t), to_string(err).data());
            }
            levels_.push_back(l);
        }
        if (b.state != book_state::live) {
            ++b.counters.dropped;
            return feed_result{feed_status::dropped, sym, {}};
        }
        apply_updates(sym, levels_, ts);
        return feed_result{feed_status::ok, sym, {}};
    }

private:
    struct change_text {
        std::string_view side, px, size;
    };

    bool read_changes(od::value v) {
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
        for (auto item : arr) {
            od::array c;
            if (item.get_array().get(c) != simdjson::SUCCESS) return false;
            change_text t;
            std::size_t k = 0;
            for (auto x : c) {
                od::value xv;
                if (x.get(xv) != simdjson::SUCCESS) return false;
                if (k == 0 && !get_str(xv, t.side)) return false;
                if (k == 1 && !get_decimal_text(xv, t.px)) return false;
                if (k == 2 && !get_decimal_text(xv, t.size)) return false;
                ++k;
            }
            if (k < 3) return false;
            changes_.push_back(t);
        }
        return true;
    }

    feed_result lost_all(const char* what) {
        ++counters(no_symbol).messages;
        resync_all();
        return fail(feed_status::rejected, no_symbol, "%s", what);
    }
    feed_result unattributed_reject(const char* what) {
        ++counters(no_symbol).messages;
        return fail(feed_status::rejected, no_symbol, "%s", what);
    }
    feed_result lost(std::uint32_t sym, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
        char buf[176];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (books_[sym].state != book_state::awaiting_snapshot) request_resync(sym);
        return fail(feed_status::rejected, sym, "%s", buf);
    }

    json_reader reader_;
    std::vector<level_text> texts_[2];
    std::vector<change_text> changes_;
    std::vector<level_change> levels_;
};

} // namespace connect
} // namespace v0
} // namespace pinnacle
