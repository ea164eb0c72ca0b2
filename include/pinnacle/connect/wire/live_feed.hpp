#pragma once
/// @file connect/wire/live_feed.hpp
/// A live market-data feed: one ws_client, the exchange's decoder and its REST snapshots, on one
/// io_context thread. Each WebSocket message is decoded where it is read and its events are handed
/// to the consumer right there (same thread: no lock, no queue, no allocation per message; the
/// decoder's event buffer is reused). Resync: Binance and Bitstamp fetch a REST snapshot (rate
/// limited by a backoff per symbol); Kraken and Coinbase, whose snapshots come on the stream,
/// reconnect and resubscribe. A reconnect starts a fresh decoder (every book stale until its new
/// snapshot); the counters of the previous ones are kept.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/feed.hpp"
#include "pinnacle/connect/kraken.hpp"
#include "pinnacle/connect/replay.hpp"
#include "pinnacle/connect/wire/latency.hpp"
#include "pinnacle/connect/wire/url.hpp"
#include "pinnacle/connect/wire/ws_client.hpp"
#include "pinnacle/risk/concepts.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// The exchange's public production endpoints (docs: Binance "WebSocket Streams" and "Order Book"
/// (spot, USD-M futures), Kraken WebSocket API v1, Coinbase Advanced Trade WebSocket and Exchange
/// WebSocket feed, Bitstamp WebSocket API v2 and REST "Order book").
struct exchange_endpoints {
    std::string ws;    ///< WebSocket URL.
    std::string rest;  ///< REST base URL (empty: snapshots come on the stream).
};

/// Default endpoints of exchange `k` (unknown: empty).
[[nodiscard]] inline exchange_endpoints default_endpoints(exchange_kind k) {
    switch (k) {
        case exchange_kind::binance: return {"wss://stream.binance.com:9443/stream", "https://api.binance.com"};
        case exchange_kind::binance_usdm: return {"wss://fstream.binance.com/stream", "https://fapi.binance.com"};
        case exchange_kind::kraken: return {"wss://ws.kraken.com", ""};
        case exchange_kind::coinbase: return {"wss://advanced-trade-ws.coinbase.com", ""};
        case exchange_kind::coinbase_exchange: return {"wss://ws-feed.exchange.coinbase.com", ""};
        case exchange_kind::bitstamp: return {"wss://ws.bitstamp.net", "https://www.bitstamp.net"};
        case exchange_kind::unknown: break;
    }
    return {};
}

namespace detail {
inline std::string lower_copy(std::string_view s) {
    std::string o(s);
    for (char& c : o) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return o;
}
inline std::string json_list(const std::vector<std::string>& v, std::string (*f)(std::string_view)) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ",\"" : "\"") + f(v[i]) + "\"";
    return out + "]";
}
inline std::string same(std::string_view s) { return std::string(s); }
} // namespace detail

/// The subscribe messages for `symbols` on exchange `k`: book (depth diffs), BBO (where the
/// decoder checks the book against it) and trades. Symbols as the stream spells them: BTCUSDT
/// (Binance), XBT/USD (Kraken), BTC-USD (Coinbase), btcusd (Bitstamp).
[[nodiscard]] inline std::vector<std::string> subscribe_messages(exchange_kind k, const std::vector<std::string>& symbols) {
    std::vector<std::string> out;
    switch (k) {
        case exchange_kind::binance:
        case exchange_kind::binance_usdm: {
            std::string p;
            for (const auto& s : symbols) {
                const std::string l = detail::lower_copy(s);
                p += (p.empty() ? "\"" : ",\"") + l + "@depth@100ms\",\"" + l + "@bookTicker\",\"" + l +
                     (k == exchange_kind::binance ? "@trade\"" : "@aggTrade\"");
            }
            out.push_back("{\"method\":\"SUBSCRIBE\",\"params\":[" + p + "],\"id\":1}");
            break;
        }
        case exchange_kind::kraken: {
            const std::string pairs = detail::json_list(symbols, detail::same);
            out.push_back("{\"event\":\"subscribe\",\"pair\":" + pairs + ",\"subscription\":{\"name\":\"book\",\"depth\":1000}}");
            out.push_back("{\"event\":\"subscribe\",\"pair\":" + pairs + ",\"subscription\":{\"name\":\"trade\"}}");
            break;
        }
        case exchange_kind::coinbase: {
            const std::string ids = detail::json_list(symbols, detail::same);
            for (const char* ch : {"level2", "market_trades", "heartbeats"})
                out.push_back("{\"type\":\"subscribe\",\"product_ids\":" + ids + ",\"channel\":\"" + ch + "\"}");
            break;
        }
        case exchange_kind::coinbase_exchange:
            out.push_back("{\"type\":\"subscribe\",\"product_ids\":" + detail::json_list(symbols, detail::same) +
                          ",\"channels\":[\"level2_batch\",\"matches\",\"ticker\",\"heartbeat\"]}");
            break;
        case exchange_kind::bitstamp:
            for (const auto& s : symbols) {
                const std::string l = detail::lower_copy(s);
                out.push_back("{\"event\":\"bts:subscribe\",\"data\":{\"channel\":\"diff_order_book_" + l + "\"}}");
                out.push_back("{\"event\":\"bts:subscribe\",\"data\":{\"channel\":\"live_trades_" + l + "\"}}");
            }
            break;
        case exchange_kind::unknown: break;
    }
    return out;
}

/// The REST snapshot path and query of `symbol` on `k` (empty when the exchange has none).
[[nodiscard]] inline std::string snapshot_target(exchange_kind k, std::string_view symbol) {
    switch (k) {
        case exchange_kind::binance: return "/api/v3/depth?symbol=" + std::string(symbol) + "&limit=1000";
        case exchange_kind::binance_usdm: return "/fapi/v1/depth?symbol=" + std::string(symbol) + "&limit=1000";
        case exchange_kind::bitstamp: return "/api/v2/order_book/" + detail::lower_copy(symbol);
        default: return {};
    }
}

/// Counters of a live_feed (decoder counters summed over every decoder it used).
struct live_counters {
    feed_counters feed;                ///< Decoder counters (messages, book_updates, gaps, resyncs, bbo...).
    std::uint64_t frames = 0;          ///< WebSocket frames received.
    std::uint64_t rejected_frames = 0; ///< Frames the decoder rejected (malformed, garbage): skipped.
    std::uint64_t reconnects = 0;      ///< Connections opened after the first.
    std::uint64_t snapshot_requests = 0; ///< REST snapshot requests sent.
    std::uint64_t snapshot_failures = 0; ///< ... that failed (transport, HTTP status, rejected body).
    std::uint64_t resubscribes = 0;    ///< Reconnects asked for to resync (Kraken, Coinbase).
};

/// Settings of a live_feed.
struct live_feed_options {
    exchange_kind exchange = exchange_kind::binance; ///< The exchange.
    std::vector<std::string> symbols;  ///< Symbols to subscribe (the stream's spelling).
    std::string endpoint;              ///< WebSocket URL (empty: default_endpoints).
    std::string rest;                  ///< REST base URL (empty: default_endpoints).
    ws_client_options ws;              ///< Transport settings.
    std::chrono::milliseconds snapshot_retry{200}; ///< Least time between two snapshot requests of a symbol.
};

/// A decoded message (or REST snapshot) handed to the consumer: the decoder (books, symbols,
/// states after the message), the events the message produced (possibly none), and the steady-clock receive time (ns). Valid during the call only.
struct feed_batch {
    const decoder_core* decoder = nullptr; ///< The decoder (symbol(i) for an event's symbol).
    std::span<const feed_event> events;    ///< This message's events.
    std::int64_t recv_ns = 0;              ///< steady_clock ns when the frame was read (or the snapshot arrived).
};

/// A live feed. Thread-safety: runs on its io_context's thread; construct, start() and stop()
/// there or before the thread runs.
class live_feed {
public:
    /// Consumer of decoded batches (called on the io thread).
    using consumer = std::function<void(const feed_batch&)>;

    /// A feed with options `o` on `io`, TLS through `tls`, delivering to `c`. Throws
    /// std::invalid_argument when a URL is not valid or the exchange is unknown.
    live_feed(boost::asio::io_context& io, boost::asio::ssl::context& tls, live_feed_options o, consumer c)
        : io_(io), tls_(tls), opt_(std::move(o)), consume_(std::move(c)), retry_(io) {
        const exchange_endpoints d = default_endpoints(opt_.exchange);
        if (d.ws.empty()) throw std::invalid_argument("live_feed: unknown exchange");
        if (opt_.endpoint.empty()) opt_.endpoint = d.ws;
        if (opt_.rest.empty()) opt_.rest = d.rest;
        const auto ws_url = parse_url(opt_.endpoint);
        if (!ws_url || !ws_url->websocket) throw std::invalid_argument("live_feed: endpoint '" + opt_.endpoint + "' is not a ws:// or wss:// URL");
        if (!opt_.rest.empty()) {
            const auto r = parse_url(opt_.rest);
            if (!r || r->websocket) throw std::invalid_argument("live_feed: REST URL '" + opt_.rest + "' is not an http:// or https:// URL");
            rest_ = *r;
            if (rest_.target == "/") rest_.target.clear();
        }
        new_decoder();
        ws_handlers h;
        h.on_open = [this] { on_open(); };
        h.on_message = [this](std::string_view m, std::int64_t t) { on_message(m, t); };
        client_ = std::make_unique<ws_client>(io_, tls_, *ws_url, std::move(h), opt_.ws);
    }

    /// Connects (and reconnects until stop()).
    void start() { client_->start(); }
    /// Closes the connection for good.
    void stop() {
        stopped_ = true;
        retry_.cancel();
        client_->stop();
    }
    /// Drops the connection (it reconnects), as a network failure would.
    void drop() { client_->drop(); }

    /// The current decoder (books of the current connection).
    [[nodiscard]] const decoder_core& decoder() const noexcept { return *core_; }
    /// True when `symbol` has no live book (stale: never quote on it).
    [[nodiscard]] bool stale(std::string_view symbol) const noexcept {
        const std::uint32_t i = core_->find(symbol);
        return i == no_symbol || core_->symbol(i).stale();
    }
    /// Counters so far.
    [[nodiscard]] live_counters counters() const noexcept {
        live_counters c = counters_;
        c.feed += core_->totals();
        c.reconnects = client_->reconnects();
        return c;
    }
    /// Wire-to-book latency: frame read -> decoder done (ns, steady clock).
    [[nodiscard]] const latency_histogram& wire_to_book() const noexcept { return wire_to_book_; }
    /// Connection state.
    [[nodiscard]] ws_state state() const noexcept { return client_->state(); }
    /// Last transport error text.
    [[nodiscard]] const std::string& last_error() const noexcept { return client_->last_error(); }
    /// The options in use (endpoints resolved).
    [[nodiscard]] const live_feed_options& options() const noexcept { return opt_; }

private:
    static std::int64_t steady_ns() noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
    static timestamp wall() noexcept {
        return timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count()};
    }

    void new_decoder() {
        if (core_ != nullptr) counters_.feed += core_->totals();
        binance_.reset();
        kraken_.reset();
        cb_.reset();
        cbx_.reset();
        bitstamp_.reset();
        switch (opt_.exchange) {
            case exchange_kind::binance: binance_ = std::make_unique<binance_decoder>(binance_market::spot); core_ = binance_.get(); break;
            case exchange_kind::binance_usdm: binance_ = std::make_unique<binance_decoder>(binance_market::usdm); core_ = binance_.get(); break;
            case exchange_kind::kraken: kraken_ = std::make_unique<kraken_decoder>(); core_ = kraken_.get(); break;
            case exchange_kind::coinbase: cb_ = std::make_unique<coinbase_advanced_decoder>(); core_ = cb_.get(); break;
            case exchange_kind::coinbase_exchange: cbx_ = std::make_unique<coinbase_exchange_decoder>(); core_ = cbx_.get(); break;
            case exchange_kind::bitstamp: bitstamp_ = std::make_unique<bitstamp_decoder>(); core_ = bitstamp_.get(); break;
            case exchange_kind::unknown: break;
        }
        core_->allow_fallback(default_crypto_spec());
        last_fetch_.assign(opt_.symbols.size(), std::chrono::steady_clock::time_point{});
    }

    void on_open() {
        if (client_->opens() > 1) new_decoder();  // a new connection: every book stale until its snapshot
        for (auto& m : subscribe_messages(opt_.exchange, opt_.symbols)) client_->send(std::move(m));
    }

    feed_result decode(std::string_view msg, timestamp ts) {
        if (binance_) return binance_->on_message(msg, ts);
        if (kraken_) return kraken_->on_message(msg, ts);
        if (cb_) return cb_->on_message(msg, ts, 0);
        if (cbx_) return cbx_->on_message(msg, ts);
        return bitstamp_->on_message(msg, ts);
    }

    // Every decoded message reaches the consumer, with or without events: a gap has none, but
    // the book went stale.
    void deliver(std::int64_t recv_ns) {
        consume_(feed_batch{core_, core_->events(), recv_ns});
    }

    void on_message(std::string_view msg, std::int64_t recv_ns) {
        ++counters_.frames;
        const feed_result r = decode(msg, wall());
        if (r.status == feed_status::rejected) ++counters_.rejected_frames;
        wire_to_book_.record(steady_ns() - recv_ns);
        deliver(recv_ns);
        resync_if_needed(!core_->resync_requests().empty());
    }

    // Binance / Bitstamp: fetch a snapshot for every subscribed symbol whose book waits for one;
    // Kraken / Coinbase: reconnect (their snapshot comes with the subscription).
    void resync_if_needed(bool requested) {
        if (rest_.host.empty()) {
            if (requested) {
                ++counters_.resubscribes;
                client_->drop();
            }
            return;
        }
        if (stopped_) return;
        bool later = false;
        for (std::size_t k = 0; k < opt_.symbols.size(); ++k) {
            const std::string& s = opt_.symbols[k];
            std::string name = opt_.exchange == exchange_kind::bitstamp ? detail::lower_copy(s) : s;
            const std::uint32_t i = core_->find(name);
            if (i == no_symbol || core_->symbol(i).state != book_state::awaiting_snapshot) continue;
            const auto now = std::chrono::steady_clock::now();
            if (last_fetch_[k] != std::chrono::steady_clock::time_point{} && now - last_fetch_[k] < opt_.snapshot_retry) {
                later = true;  // rate limited: retried by the timer even if no message comes
                continue;
            }
            last_fetch_[k] = now;
            fetch_snapshot(name);
            if (core_->symbol(core_->find(name)).state == book_state::awaiting_snapshot) later = true;
        }
        if (later && !retry_armed_) {
            retry_armed_ = true;
            retry_.expires_after(opt_.snapshot_retry);
            retry_.async_wait([this](boost::system::error_code ec) {
                retry_armed_ = false;
                if (!ec) resync_if_needed(false);
            });
        }
    }

    // Blocking GET on the io thread: the stream waits in the socket buffer meanwhile, which is
    // what the exchanges' "buffer the stream, then fetch the snapshot" procedures need.
    void fetch_snapshot(const std::string& name) {
        ++counters_.snapshot_requests;
        url u = rest_;
        u.target += snapshot_target(opt_.exchange, name);
        const http_result res = http_get(u, tls_, std::chrono::seconds(10));
        if (res.status != 200) {
            ++counters_.snapshot_failures;
            return;
        }
        const std::int64_t t = steady_ns();
        feed_result r;
        if (binance_) r = binance_->on_snapshot(name, res.body, wall());
        else if (bitstamp_) r = bitstamp_->on_snapshot(name, res.body, wall());
        if (r.status != feed_status::ok) ++counters_.snapshot_failures;
        deliver(t);
    }

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    live_feed_options opt_;
    consumer consume_;
    url rest_;
    std::unique_ptr<ws_client> client_;
    decoder_core* core_ = nullptr;
    std::unique_ptr<binance_decoder> binance_;
    std::unique_ptr<kraken_decoder> kraken_;
    std::unique_ptr<coinbase_advanced_decoder> cb_;
    std::unique_ptr<coinbase_exchange_decoder> cbx_;
    std::unique_ptr<bitstamp_decoder> bitstamp_;
    live_counters counters_;
    std::vector<std::chrono::steady_clock::time_point> last_fetch_;
    boost::asio::steady_timer retry_;
    bool retry_armed_ = false;
    bool stopped_ = false;
    latency_histogram wire_to_book_;
};

/// Risk check that halts quoting while the traded book is stale (awaiting a snapshot, syncing, or
/// after a gap): the engine then pulls every working order and sends nothing. `stale` points to a
/// flag the feed's thread keeps current (same thread as the engine). Thread-safety: one thread.
struct stale_book_check {
    const bool* stale = nullptr;   ///< True while the book must not be quoted on.
    std::uint64_t refused = 0;     ///< Orders refused because the book was stale.

    /// Refuses every order while stale (reason no_reference_price: the book gives no valid price).
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state&) noexcept {
        if (stale != nullptr && *stale) {
            ++refused;
            return risk_verdict::deny(risk_reason::no_reference_price);
        }
        return risk_verdict::approve();
    }
    /// Nothing to learn from executions.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
    /// True while stale: the engine cancels everything and does not quote.
    [[nodiscard]] bool halts_quoting(timestamp) noexcept { return stale != nullptr && *stale; }
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
