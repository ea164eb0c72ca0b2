#pragma once
/// @file connect/binance.hpp
/// Binance spot and USD-M futures market data: diff depth (`<sym>@depth`, `@depth@100ms`,
/// `@depth@0ms`) rebuilt on a REST depth snapshot with the update-id chain, `@bookTicker` as the
/// BBO oracle, `@trade` / `@aggTrade` as trade prints. Sources: Binance Spot API docs, "WebSocket
/// Streams: How to manage a local order book correctly" (U/u rule), and USD-M Futures docs,
/// "How to manage a local order book correctly" (pu rule).

#include <array>
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

/// Which Binance market a decoder reads: it decides the chaining rule.
enum class binance_market : std::uint8_t {
    detect = 0, ///< Spot until a depth event carries `pu`, then USD-M (decided once).
    spot,       ///< U/u chain: first event U <= lastUpdateId+1 <= u; then U == previous u + 1.
    usdm,       ///< pu chain: first event U <= lastUpdateId <= u; then pu == previous u.
};

/// Binance decoder. Thread-safety: one thread.
///
/// Book updates that arrive before the REST snapshot (or after a gap, until the next one) are
/// held, at most `max_buffered` events per symbol (the oldest go first), and replayed on the
/// snapshot. The BBO oracle: after each applied depth event with final id u, the rebuilt best
/// bid/ask (price and size) is compared with the latest bookTicker whose u is at most that id,
/// once a later bookTicker shows no newer one can still arrive.
class binance_decoder : public decoder_core {
public:
    /// Most depth events held per symbol while waiting for a snapshot.
    static constexpr std::size_t max_buffered = 4096;

    /// A decoder for market `m` keeping `depth` levels per side (default 1000: the deepest REST
    /// snapshot; levels beyond it are only partly known anyway).
    explicit binance_decoder(binance_market m = binance_market::detect, std::size_t depth = 1000)
        : decoder_core(depth), market_(m) {
        texts_[0].reserve(1024);
        texts_[1].reserve(1024);
        levels_.reserve(2048);
    }

    /// The market in use (detect until the first depth event decides it).
    [[nodiscard]] binance_market market() const noexcept { return market_; }

    /// Decodes one WebSocket message (raw stream or combined `{"stream":..,"data":..}`).
    /// `recv` is the local receive time (ns), used when a message has no event time.
    feed_result on_message(std::string_view msg, timestamp recv = timestamp{}) {
        begin();
        od::document doc;
        if (reader_.start(msg, doc) != simdjson::SUCCESS) return fail_all("malformed JSON (cannot start parsing)");
        od::object root;
        if (doc.get_object().get(root) != simdjson::SUCCESS) return fail_all("message is not a JSON object");
        fields f;
        bool nested = false;
        for (auto field : root) {
            std::string_view key;
            if (!get_key(field, key)) return fail_all("malformed JSON key");
            od::value v;
            if (field.value().get(v) != simdjson::SUCCESS) return fail_all("malformed JSON value");
            if (is(key, "data")) {
                od::object inner;
                if (v.get_object().get(inner) != simdjson::SUCCESS) return fail_all("'data' is not an object");
                nested = true;
                if (!read_fields(inner, f)) return fail_all(bad_field_);
            } else if (!nested) {
                if (!read_field(key, v, f)) return fail_all(bad_field_);
            }
        }
        return dispatch(f, recv);
    }

    /// Decodes a REST depth snapshot body (`/api/v3/depth` or `/fapi/v1/depth`) for `symbol`:
    /// {"lastUpdateId":N, "bids":[[p,q],..], "asks":[..]}; replays held updates on it.
    feed_result on_snapshot(std::string_view symbol, std::string_view body, timestamp recv = timestamp{}) {
        begin();
        const std::uint32_t sym = intern(symbol);
        if (sym == no_symbol) return fail(feed_status::rejected, no_symbol, "snapshot for unknown symbol '%.*s'", len(symbol), sv_data(symbol));
        ++books_[sym].counters.messages;
        od::document doc;
        if (reader_.start(body, doc) != simdjson::SUCCESS) return fail(feed_status::rejected, sym, "snapshot: malformed JSON");
        od::object root;
        if (doc.get_object().get(root) != simdjson::SUCCESS) return fail(feed_status::rejected, sym, "snapshot: not a JSON object");
        texts_[0].clear();
        texts_[1].clear();
        std::uint64_t last = 0;
        bool have_last = false, have_bids = false, have_asks = false;
        for (auto field : root) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS)
                return fail(feed_status::rejected, sym, "snapshot: malformed JSON");
            if (is(key, "lastUpdateId")) {
                if (!get_u64(v, last)) return fail(feed_status::rejected, sym, "snapshot: field 'lastUpdateId' is not an unsigned integer");
                have_last = true;
            } else if (is(key, "bids")) {
                if (!read_pairs(v, texts_[0], true)) return fail(feed_status::rejected, sym, "snapshot: field 'bids' is not [[price, qty], ...]");
                have_bids = true;
            } else if (is(key, "asks")) {
                if (!read_pairs(v, texts_[1], true)) return fail(feed_status::rejected, sym, "snapshot: field 'asks' is not [[price, qty], ...]");
                have_asks = true;
            } else if (is(key, "code") || is(key, "msg")) {
                return fail(feed_status::exchange_error, sym, "snapshot: exchange error body");
            }
        }
        if (!have_last || !have_bids || !have_asks) return fail(feed_status::rejected, sym, "snapshot: missing field '%s'", !have_last ? "lastUpdateId" : !have_bids ? "bids" : "asks");
        levels_.clear();
        if (const feed_result r = convert(sym, "snapshot"); r.status != feed_status::ok) return r;
        symbol_book& b = books_[sym];
        apply_snapshot(sym, levels_, recv);
        b.last_id = last;
        b.state = book_state::syncing;
        sym_state(sym).pending_checks = 0;
        // Replay what arrived before the snapshot, oldest first (moved out: a gap re-holds).
        held& h = sym_state(sym).hold;
        replay_.clear();
        replay_levels_.swap(h.levels);
        for (std::size_t k = 0; k < h.count; ++k) replay_.push_back(h.ev[(h.head + k) % max_buffered]);
        h.clear();
        feed_result out{feed_status::ok, sym, {}};
        for (const held_event& e : replay_) {
            const auto lv = std::span<const level_change>(replay_levels_).subspan(e.begin, e.end - e.begin);
            if (books_[sym].state == book_state::awaiting_snapshot) {  // after a gap inside the held run
                hold(sym, e.first, e.last, e.prev, e.has_prev, e.ts, lv);
                continue;
            }
            const feed_result r = apply_depth(sym, e.first, e.last, e.prev, e.has_prev, lv, e.ts);
            if (r.status == feed_status::gap) out = r;
        }
        replay_levels_.clear();
        return out;
    }

private:
    struct fields {
        std::string_view e, s, b_str, a_str, B, A, p, q;
        std::uint64_t U = 0, u = 0, pu = 0, E = 0, T = 0, t = 0, a_id = 0;
        bool has_U = false, has_u = false, has_pu = false, has_E = false, has_T = false, has_t = false;
        bool has_b_arr = false, has_a_arr = false, has_a_id = false, has_m = false, m = false;
        bool has_result = false, has_code = false;
        std::string_view msg;
    };
    struct held_event {
        std::uint64_t first = 0, last = 0, prev = 0;
        bool has_prev = false;
        timestamp ts;
        std::size_t begin = 0, end = 0;
    };
    struct held {
        std::vector<held_event> ev;   // ring of max_buffered
        std::vector<level_change> levels;
        std::size_t head = 0, count = 0;
        void clear() noexcept { head = count = 0; levels.clear(); }
    };
    struct bbo {
        std::uint64_t u = 0;
        price bid, ask;
        qty bid_q, ask_q;
    };
    struct per_symbol {
        held hold;
        std::array<bbo, 64> tickers{};  // ring, ascending u
        std::size_t t_head = 0, t_count = 0;
        std::array<bbo, 64> checks{};   // pending depth-event BBOs, ascending u
        std::size_t c_head = 0, pending_checks = 0;
    };

    static int len(std::string_view s) noexcept { return static_cast<int>(s.size() > 64 ? 64 : s.size()); }

    // Milliseconds since the epoch as a timestamp; beyond int64 ns (year 2262) the fallback.
    static timestamp ms_time(std::uint64_t ms, timestamp fallback) noexcept {
        return ms <= 9'000'000'000'000ull ? timestamp{static_cast<std::int64_t>(ms) * 1'000'000} : fallback;
    }

    per_symbol& sym_state(std::uint32_t i) {
        while (extra_.size() <= i) {
            extra_.emplace_back();
            extra_.back().hold.ev.resize(max_buffered);
        }
        return extra_[i];
    }

    feed_result fail_all(const char* what) {
        ++counters(no_symbol).messages;
        // Unattributable: a lost book update would go unseen on an unsequenced stream, but
        // Binance's id chain catches it at the next event, so books are left to that check.
        return fail(feed_status::rejected, no_symbol, "%s", what);
    }

    bool read_fields(od::object o, fields& f) {
        for (auto field : o) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS) {
                bad_field_ = "malformed JSON in 'data'";
                return false;
            }
            if (!read_field(key, v, f)) return false;
        }
        return true;
    }

    bool read_field(std::string_view key, od::value v, fields& f) {
        bad_field_ = "malformed field";
        if (key.size() == 1) {
            switch (key[0]) {
                case 'e': if (!get_str(v, f.e)) { bad_field_ = "field 'e' is not a string"; return false; } return true;
                case 's': if (!get_str(v, f.s)) { bad_field_ = "field 's' is not a string"; return false; } return true;
                case 'U': f.has_U = get_u64(v, f.U); if (!f.has_U) bad_field_ = "field 'U' is not an unsigned integer"; return f.has_U;
                case 'u': f.has_u = get_u64(v, f.u); if (!f.has_u) bad_field_ = "field 'u' is not an unsigned integer"; return f.has_u;
                case 'E': f.has_E = get_u64(v, f.E); if (!f.has_E) bad_field_ = "field 'E' is not an unsigned integer"; return f.has_E;
                case 'T': f.has_T = get_u64(v, f.T); if (!f.has_T) bad_field_ = "field 'T' is not an unsigned integer"; return f.has_T;
                case 't': f.has_t = get_u64(v, f.t); if (!f.has_t) bad_field_ = "field 't' is not an unsigned integer"; return f.has_t;
                case 'B': if (!get_decimal_text(v, f.B)) { bad_field_ = "field 'B' is not a string"; return false; } return true;
                case 'A': if (!get_decimal_text(v, f.A)) { bad_field_ = "field 'A' is not a string"; return false; } return true;
                case 'p': if (!get_decimal_text(v, f.p)) { bad_field_ = "field 'p' is not a string"; return false; } return true;
                case 'q': if (!get_decimal_text(v, f.q)) { bad_field_ = "field 'q' is not a string"; return false; } return true;
                case 'm': {
                    bool m = false;
                    if (v.get_bool().get(m) != simdjson::SUCCESS) { bad_field_ = "field 'm' is not a boolean"; return false; }
                    f.m = m; f.has_m = true; return true;
                }
                case 'b':
                case 'a': {
                    const bool bid = key[0] == 'b';
                    od::json_type t;
                    if (v.type().get(t) != simdjson::SUCCESS) return false;
                    if (t == od::json_type::array) {
                        auto& dst = texts_[bid ? 0 : 1];
                        dst.clear();
                        if (!read_pairs(v, dst, true)) { bad_field_ = bid ? "field 'b' is not [[price, qty], ...]" : "field 'a' is not [[price, qty], ...]"; return false; }
                        (bid ? f.has_b_arr : f.has_a_arr) = true;
                        return true;
                    }
                    if (t == od::json_type::string) return get_decimal_text(v, bid ? f.b_str : f.a_str);
                    if (!bid && t == od::json_type::number) {  // aggTrade id
                        f.has_a_id = get_u64(v, f.a_id);
                        if (!f.has_a_id) bad_field_ = "field 'a' is not an unsigned integer";
                        return f.has_a_id;
                    }
                    bad_field_ = bid ? "field 'b' has an unexpected type" : "field 'a' has an unexpected type";
                    return false;
                }
                default: return true;
            }
        }
        if (is(key, "pu")) {
            f.has_pu = get_u64(v, f.pu);
            if (!f.has_pu) bad_field_ = "field 'pu' is not an unsigned integer";
            return f.has_pu;
        }
        if (is(key, "result") || is(key, "id")) { f.has_result = true; return true; }
        if (is(key, "code")) { f.has_code = true; return true; }
        if (is(key, "msg")) { (void)get_str(v, f.msg); return true; }
        return true;
    }

    feed_result dispatch(fields& f, timestamp recv) {
        if (f.has_code) {
            ++counters(no_symbol).messages;
            return fail(feed_status::exchange_error, no_symbol, "exchange error: %.*s", len(f.msg), sv_data(f.msg));
        }
        const bool depth = is(f.e, "depthUpdate");
        const bool ticker = is(f.e, "bookTicker") || (f.e.empty() && !f.b_str.empty() && !f.a_str.empty() && f.has_u);
        const bool trade = is(f.e, "trade") || is(f.e, "aggTrade");
        if (!depth && !ticker && !trade) {
            ++counters(no_symbol).messages;
            return feed_result{feed_status::ignored, no_symbol, {}};
        }
        if (f.s.empty()) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "%s: missing field 's'", depth ? "depthUpdate" : ticker ? "bookTicker" : "trade");
        }
        const std::uint32_t sym = intern(f.s);
        if (sym == no_symbol) {
            ++counters(no_symbol).messages;
            return fail(feed_status::rejected, no_symbol, "unknown symbol '%.*s' (no instrument)", len(f.s), sv_data(f.s));
        }
        ++books_[sym].counters.messages;
        const timestamp ts = f.has_E ? ms_time(f.E, recv) : recv;
        if (depth) return on_depth(sym, f, ts);
        if (ticker) return on_ticker(sym, f);
        return on_trade(sym, f, ts);
    }

    // Converts texts_[0] (bids) and texts_[1] (asks) into levels_ for symbol sym.
    feed_result convert(std::uint32_t sym, const char* what) {
        level_fault e;
        if (!convert_levels<level_text>(books_[sym].spec, texts_[0], texts_[1], levels_, e))
            return fail(feed_status::rejected, sym, "%s: %s[%zu] %s '%.*s' %s", what, e.s == side::buy ? "bids" : "asks", e.index, e.what,
                        len(e.text), sv_data(e.text), to_string(e.err).data());
        return feed_result{feed_status::ok, sym, {}};
    }

    feed_result on_depth(std::uint32_t sym, fields& f, timestamp ts) {
        if (!f.has_U || !f.has_u || !f.has_b_arr || !f.has_a_arr)
            return lost(sym, "depthUpdate: missing field '%s'", !f.has_U ? "U" : !f.has_u ? "u" : !f.has_b_arr ? "b" : "a");
        if (f.U > f.u) return lost(sym, "depthUpdate: first update id U=%llu exceeds final id u=%llu",
                                   static_cast<unsigned long long>(f.U), static_cast<unsigned long long>(f.u));
        if (market_ == binance_market::detect) market_ = f.has_pu ? binance_market::usdm : binance_market::spot;
        if (market_ == binance_market::usdm && !f.has_pu) return lost(sym, "depthUpdate: USD-M event without field 'pu'");
        // Bids are texts_[0], asks texts_[1]; convert into levels_ (whole message or nothing).
        levels_.clear();
        if (level_fault e; !convert_levels<level_text>(books_[sym].spec, texts_[0], texts_[1], levels_, e))
            return lost(sym, "depthUpdate u=%llu: %s[%zu] %s '%.*s' %s", static_cast<unsigned long long>(f.u), e.s == side::buy ? "b" : "a",
                        e.index, e.what, len(e.text), sv_data(e.text), to_string(e.err).data());
        symbol_book& b = books_[sym];
        if (b.state == book_state::awaiting_snapshot) {
            hold(sym, f.U, f.u, f.pu, f.has_pu, ts, levels_);
            return feed_result{feed_status::buffered, sym, {}};
        }
        return apply_depth(sym, f.U, f.u, f.pu, f.has_pu, levels_, ts);
    }

    // A depth event that could not be decoded: the book has lost an update.
    feed_result lost(std::uint32_t sym, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
        char buf[160];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (books_[sym].state != book_state::awaiting_snapshot) request_resync(sym);
        sym_state(sym).hold.clear();
        sym_state(sym).pending_checks = 0;
        return fail(feed_status::rejected, sym, "%s", buf);
    }

    void hold(std::uint32_t sym, std::uint64_t first, std::uint64_t last, std::uint64_t prev, bool has_prev, timestamp ts,
              std::span<const level_change> lv) {
        held& h = sym_state(sym).hold;
        if (h.count == max_buffered) {  // drop the oldest; its levels stay in the pool until clear()
            h.head = (h.head + 1) % max_buffered;
            --h.count;
        }
        if (h.count == 0) h.levels.clear();
        held_event e{first, last, prev, has_prev, ts, h.levels.size(), h.levels.size() + lv.size()};
        h.levels.insert(h.levels.end(), lv.begin(), lv.end());
        h.ev[(h.head + h.count) % max_buffered] = e;
        ++h.count;
    }

    feed_result apply_depth(std::uint32_t sym, std::uint64_t first, std::uint64_t last, std::uint64_t prev, bool has_prev,
                            std::span<const level_change> lv, timestamp ts) {
        symbol_book& b = books_[sym];
        const bool usdm = market_ == binance_market::usdm;
        if (b.state == book_state::syncing) {
            // Spot: drop u <= lastUpdateId; first applied has U <= lastUpdateId+1 <= u.
            // USD-M: drop u < lastUpdateId; first applied has U <= lastUpdateId <= u.
            const std::uint64_t L = b.last_id;
            if (usdm ? last < L : last <= L) {
                ++b.counters.dropped;
                return feed_result{feed_status::dropped, sym, {}};
            }
            if (usdm ? first > L : first > L + 1) return gap(sym, first, last, prev, has_prev, ts, lv, "first event after the snapshot starts past it");
            b.state = book_state::live;
        } else if (usdm) {
            if (!has_prev || prev != b.last_id) {
                if (last <= b.last_id) { ++b.counters.dropped; return feed_result{feed_status::dropped, sym, {}}; }
                return gap(sym, first, last, prev, has_prev, ts, lv, "pu does not equal the previous event's u");
            }
        } else if (first != b.last_id + 1) {
            if (last <= b.last_id) { ++b.counters.dropped; return feed_result{feed_status::dropped, sym, {}}; }
            return gap(sym, first, last, prev, has_prev, ts, lv, "U is not the previous event's u + 1");
        }
        apply_updates(sym, lv, ts);
        b.last_id = last;
        push_check(sym, last);
        return feed_result{feed_status::ok, sym, {}};
    }

    feed_result gap(std::uint32_t sym, std::uint64_t first, std::uint64_t last, std::uint64_t prev, bool has_prev, timestamp ts,
                    std::span<const level_change> lv, const char* why) {
        symbol_book& b = books_[sym];
        ++b.counters.gaps;
        const auto expected = b.last_id;
        request_resync(sym);
        per_symbol& ps = sym_state(sym);
        ps.pending_checks = 0;
        ps.hold.clear();
        // This event follows the gap: hold it for the next snapshot, never apply it to this book.
        hold(sym, first, last, prev, has_prev, ts, lv);
        return fail(feed_status::gap, sym, "%s: %s (last applied u=%llu, got U=%llu u=%llu%s%llu)", b.name.c_str(), why,
                    static_cast<unsigned long long>(expected), static_cast<unsigned long long>(first),
                    static_cast<unsigned long long>(last), has_prev ? " pu=" : "", has_prev ? static_cast<unsigned long long>(prev) : 0ull);
    }

    feed_result on_ticker(std::uint32_t sym, fields& f) {
        bbo t;
        t.u = f.u;
        const instrument_spec& spec = books_[sym].spec;
        if (spec.price_of(f.b_str, t.bid) != decimal_error::ok || spec.price_of(f.a_str, t.ask) != decimal_error::ok ||
            spec.qty_of(f.B, t.bid_q) != decimal_error::ok || spec.qty_of(f.A, t.ask_q) != decimal_error::ok)
            return fail(feed_status::rejected, sym, "bookTicker u=%llu: a price or size is off grid or malformed",
                        static_cast<unsigned long long>(f.u));
        per_symbol& ps = sym_state(sym);
        if (ps.t_count > 0 && ps.tickers[(ps.t_head + ps.t_count - 1) % ps.tickers.size()].u >= t.u)
            return feed_result{feed_status::ignored, sym, {}};  // not newer (duplicate stream)
        if (ps.t_count == ps.tickers.size()) { ps.t_head = (ps.t_head + 1) % ps.tickers.size(); --ps.t_count; }
        ps.tickers[(ps.t_head + ps.t_count) % ps.tickers.size()] = t;
        ++ps.t_count;
        resolve_checks(sym);
        return feed_result{feed_status::ok, sym, {}};
    }

    void push_check(std::uint32_t sym, std::uint64_t u) {
        per_symbol& ps = sym_state(sym);
        const symbol_book& b = books_[sym];
        bbo c;
        c.u = u;
        if (b.book.depth(side::buy) > 0) { const auto l = b.book.level(side::buy, 0); c.bid = l.px; c.bid_q = l.size; }
        if (b.book.depth(side::sell) > 0) { const auto l = b.book.level(side::sell, 0); c.ask = l.px; c.ask_q = l.size; }
        if (ps.pending_checks == ps.checks.size()) { ps.c_head = (ps.c_head + 1) % ps.checks.size(); --ps.pending_checks; }
        ps.checks[(ps.c_head + ps.pending_checks) % ps.checks.size()] = c;
        ++ps.pending_checks;
        resolve_checks(sym);
    }

    // Settles pending depth-event checks that a newer bookTicker makes final.
    void resolve_checks(std::uint32_t sym) {
        per_symbol& ps = sym_state(sym);
        if (ps.t_count == 0) return;
        const std::size_t n = ps.tickers.size();
        const bbo& newest = ps.tickers[(ps.t_head + ps.t_count - 1) % n];
        while (ps.pending_checks > 0) {
            const bbo& c = ps.checks[ps.c_head];
            if (newest.u <= c.u) break;  // a ticker with u <= c.u may still be on its way
            const bbo* match = nullptr;
            for (std::size_t k = ps.t_count; k-- > 0;) {
                const bbo& t = ps.tickers[(ps.t_head + k) % n];
                if (t.u <= c.u) { match = &t; break; }
            }
            // Only when the ring still holds the ticker just after match is the match certain.
            if (match != nullptr && !(match == &ps.tickers[ps.t_head] && ps.t_count == n)) {
                symbol_book& b = books_[sym];
                ++b.counters.bbo_checked;
                if (match->bid != c.bid || match->ask != c.ask || match->bid_q != c.bid_q || match->ask_q != c.ask_q) {
                    ++b.counters.bbo_mismatched;
                }
            }
            ps.c_head = (ps.c_head + 1) % ps.checks.size();
            --ps.pending_checks;
        }
    }

    feed_result on_trade(std::uint32_t sym, fields& f, timestamp ts) {
        level_change l;
        decimal_error err = decimal_error::ok;
        if (f.p.empty() || f.q.empty() || !f.has_m) return fail(feed_status::rejected, sym, "%.*s: missing field '%s'", len(f.e), sv_data(f.e), f.p.empty() ? "p" : f.q.empty() ? "q" : "m");
        if (const char* which = convert_level(books_[sym].spec, f.p, f.q, side::buy, l, err)) {
            const std::string_view bad = which[0] == 'p' ? f.p : f.q;
            return fail(feed_status::rejected, sym, "%.*s: %s '%.*s' %s", len(f.e), sv_data(f.e), which, len(bad), sv_data(bad), to_string(err).data());
        }
        const timestamp tts = f.has_T ? ms_time(f.T, ts) : ts;
        // m: the buyer is the maker, so the resting order was a bid.
        emit_trade(sym, f.m ? side::buy : side::sell, l.px, l.size, tts, f.has_t ? f.t : f.a_id);
        return feed_result{feed_status::ok, sym, {}};
    }

    json_reader reader_;
    binance_market market_;
    std::vector<level_text> texts_[2];
    std::vector<level_change> levels_;
    std::vector<per_symbol> extra_;
    std::vector<held_event> replay_;
    std::vector<level_change> replay_levels_;
    const char* bad_field_ = "";
};

} // namespace connect
} // namespace v0
} // namespace pinnacle
