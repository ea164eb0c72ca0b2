#pragma once
/// @file connect/wire/live_feed.hpp
/// A live market-data feed: one ws_client, the exchange's decoder and its REST snapshots, on one
/// io_context thread. Each WebSocket message is decoded where it is read and its events are handed
/// to the consumer right there (same thread: no lock, no queue, no allocation per message; the
/// decoder's event buffer is reused). Resync: Binance and Bitstamp fetch a REST snapshot (rate
/// limited by a backoff per symbol); Kraken and Coinbase, whose snapshots come on the stream,
/// reconnect and resubscribe. A reconnect starts a fresh decoder (every book stale until its new
/// snapshot); the counters of the previous ones are kept. Declarations only: the feed is
/// compiled once, in the pinnacle_wire library (src/wire/client.cpp).

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

#include "pinnacle/connect/feed.hpp"
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
        case exchange_kind::kraken: return {"wss://ws.kraken.com", "https://api.kraken.com"};
        case exchange_kind::coinbase: return {"wss://advanced-trade-ws.coinbase.com", "https://api.coinbase.com"};
        case exchange_kind::coinbase_exchange: return {"wss://ws-feed.exchange.coinbase.com", "https://api.exchange.coinbase.com"};
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

/// The REST path and query listing the instruments (tick and lot steps) of `symbols` on `k`:
/// Binance spot `GET /api/v3/exchangeInfo?symbols=[..]` and USD-M `GET /fapi/v1/exchangeInfo`
/// (PRICE_FILTER tickSize, LOT_SIZE stepSize), Coinbase Advanced Trade `GET
/// /api/v3/brokerage/market/products` and Exchange `GET /products` (quote_increment,
/// base_increment), Kraken `GET /0/public/AssetPairs` (pair_decimals, lot_decimals), Bitstamp `GET
/// /api/v2/trading-pairs-info/` (counter_decimals, base_decimals). Empty for an unknown exchange.
[[nodiscard]] inline std::string reference_target(exchange_kind k, const std::vector<std::string>& symbols) {
    switch (k) {
        case exchange_kind::binance: {
            std::string q = "/api/v3/exchangeInfo?symbols=%5B";  // ["A","B"], URL-encoded
            for (std::size_t i = 0; i < symbols.size(); ++i) q += (i ? "%2C%22" : "%22") + symbols[i] + "%22";
            return q + "%5D";
        }
        case exchange_kind::binance_usdm: return "/fapi/v1/exchangeInfo";
        case exchange_kind::coinbase: {
            std::string q = "/api/v3/brokerage/market/products";
            for (std::size_t i = 0; i < symbols.size(); ++i) q += (i ? "&product_ids=" : "?product_ids=") + symbols[i];
            return q;
        }
        case exchange_kind::coinbase_exchange: return "/products";
        case exchange_kind::kraken: return "/0/public/AssetPairs";
        case exchange_kind::bitstamp: return "/api/v2/trading-pairs-info/";
        case exchange_kind::unknown: break;
    }
    return {};
}

/// Instruments fetched from an exchange's reference endpoint.
struct instrument_fetch {
    std::vector<listed_instrument> instruments; ///< The requested symbols found (stream spelling), request order.
    std::string error;                          ///< Empty when every symbol was found; else what failed.
};

/// Fetches the tick and lot steps of `symbols` from `k`'s reference endpoint (reference_target)
/// under the REST base URL `rest` (empty: default_endpoints), blocking for at most `timeout` on
/// the calling thread. Never throws for network or body errors: `error` names the URL and the
/// transport error, the HTTP status, the JSON error, or the symbols not listed; the symbols found
/// are returned either way (Bitstamp pairs match case-insensitively). Throws
/// std::invalid_argument when `rest` is not an http(s) URL.
[[nodiscard]] instrument_fetch fetch_instruments(exchange_kind k, const std::string& rest, const std::vector<std::string>& symbols,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Counters of a live_feed (decoder counters summed over every decoder it used).
struct live_counters {
    feed_counters feed;                ///< Decoder counters (messages, book_updates, gaps, resyncs, bbo...).
    std::uint64_t frames = 0;          ///< WebSocket frames received.
    std::uint64_t rejected_frames = 0; ///< Frames the decoder rejected (malformed, garbage): skipped.
    std::uint64_t reconnects = 0;      ///< Connections opened after the first.
    std::uint64_t snapshot_requests = 0; ///< REST snapshot requests sent.
    std::uint64_t snapshot_failures = 0; ///< ... that failed (transport, HTTP status, rejected body).
    std::uint64_t resubscribes = 0;    ///< Reconnects asked for to resync (Kraken, Coinbase).
    std::uint64_t verifications = 0;   ///< Bitstamp: REST books fetched to check a live book (verify_interval).
    /// Kraken: failed checksums on a connection opened to resync (0 when the fresh snapshot holds).
    std::uint64_t checksums_failed_after_resync = 0;
};

/// Settings of a live_feed.
struct live_feed_options {
    exchange_kind exchange = exchange_kind::binance; ///< The exchange.
    std::vector<std::string> symbols;  ///< Symbols to subscribe (the stream's spelling).
    std::string endpoint;              ///< WebSocket URL (empty: default_endpoints).
    std::string rest;                  ///< REST base URL (empty: default_endpoints).
    ws_client_options ws;              ///< Transport settings.
    std::chrono::milliseconds snapshot_retry{200}; ///< Least time between two snapshot requests of a symbol.
    /// Bitstamp (no sequence numbers): how often each live book is compared with a REST order book
    /// (a difference is a gap, and the book is replaced; bitstamp_decoder::on_verify_snapshot).
    /// 0: never. Ignored by the other exchanges, whose streams show a loss themselves.
    std::chrono::milliseconds verify_interval{0};
    /// Tick and lot steps registered on every decoder (fetch_instruments); a symbol without one
    /// is decoded on the 10^-8 fallback grids.
    std::vector<listed_instrument> instruments;
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

    /// A feed with options `o` on `io`, delivering to `c` (wss:// and https:// verified against
    /// the system store). Throws std::invalid_argument when a URL is not valid or the exchange is
    /// unknown.
    live_feed(boost::asio::io_context& io, live_feed_options o, consumer c);
    live_feed(const live_feed&) = delete;
    live_feed& operator=(const live_feed&) = delete;
    /// Releases the connection (call stop() first for a clean close).
    ~live_feed();

    /// Connects (and reconnects until stop()).
    void start();
    /// Closes the connection for good.
    void stop();
    /// Drops the connection (it reconnects), as a network failure would.
    void drop();

    /// The current decoder (books of the current connection).
    [[nodiscard]] const decoder_core& decoder() const noexcept;
    /// True when `symbol` has no live book (stale: never quote on it).
    [[nodiscard]] bool stale(std::string_view symbol) const noexcept;
    /// Counters so far.
    [[nodiscard]] live_counters counters() const noexcept;
    /// Wire-to-book latency: frame read -> decoder done (ns, steady clock).
    [[nodiscard]] const latency_histogram& wire_to_book() const noexcept;
    /// Connection state.
    [[nodiscard]] ws_state state() const noexcept;
    /// Last transport error text.
    [[nodiscard]] const std::string& last_error() const noexcept;
    /// The options in use (endpoints resolved).
    [[nodiscard]] const live_feed_options& options() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> p_;
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
