#pragma once
/// @file connect/wire/replay_server.hpp
/// An exchange replay server on 127.0.0.1 (Boost.Beast): serves a recorded capture (the formats
/// capture_replay reads) as the exchange would, WebSocket stream and REST depth snapshots on one
/// port, with fault injection. One io_context thread; every session lives on it (no locks).
///
/// Stream: a client connects (any path; Binance's `/stream?streams=a/b` subscribes too) and sends
/// its subscribe message(s); the capture's WebSocket messages are then sent byte for byte, in file
/// order, only those subscribed: Binance by stream name (`{"stream":"btcusdt@trade",..}` needs
/// `btcusdt@trade` in a SUBSCRIBE's params, answered `{"result":null,"id":N}`), the others by the
/// symbols a message names (a message naming no symbol of the capture, e.g. a heartbeat or a
/// subscription ack, is always sent). One timeline: a new connection resumes where the last one
/// stopped (the exchange went on). At the end the connection idles with a ping a second, or closes
/// with `close_at_end`.
///
/// REST: `GET .../depth?symbol=S` (Binance spot and USD-M) and `GET .../order_book/<pair>`
/// (Bitstamp) answer the capture's recorded snapshot body for that symbol the first time (byte for
/// byte). Later requests (a resync after a gap, a reconnect) get what the exchange would answer:
/// its current book. The server keeps the exchange's own book: the recorded snapshot plus every
/// capture message it has passed in file order, dropped ones included (the exchange has them).
/// A GET of a reference path the capture recorded (`/api/v3/exchangeInfo`, `/fapi/v1/exchangeInfo`,
/// `/0/public/AssetPairs`, `/api/v2/trading-pairs-info/`, Coinbase products; query ignored, trailing
/// slash optional) answers that recorded body byte for byte; any other path is 404.
/// Binance: the answer is that book as of the symbol's last depth update but one, so the last one
/// passed bridges it (Binance "How to manage a local order book correctly": spot U <= id+1 <= u,
/// USD-M U <= id <= u) even when the capture ends there; a live exchange's stream goes on, a
/// replayed one stops. Bitstamp: the current book and its microtimestamp (diffs newer apply).
///
/// Stream snapshots (Kraken, Coinbase): the first subscription gets the capture's bytes; a later
/// one (a reconnect, a resubscription after a gap) first gets a snapshot of the exchange's current
/// book in its own format (Kraken v1 as/bs with the recorded decimals, v2 book snapshot; Coinbase
/// Advanced Trade l2_data snapshot continuing the sequence_num; Coinbase Exchange snapshot).
///
/// Faults count the capture's WebSocket messages from 1 in file order (see server_faults).
/// Declarations only: the server is compiled once, in the pinnacle_wire library
/// (src/wire/server.cpp), so programs including this header parse no Beast header.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pinnacle/connect/replay.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// Faults the replay server injects. K counts the capture's WebSocket messages from 1 in file
/// order (REST records are not counted); every list may hold several values.
struct server_faults {
    std::set<std::uint64_t> drop;        ///< Never send message K.
    std::set<std::uint64_t> duplicate;   ///< Send message K twice.
    std::set<std::uint64_t> swap;        ///< Send K+1 before K.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> stall; ///< Wait MS milliseconds before K.
    std::set<std::uint64_t> close_after; ///< Close the connection after sending K.
    std::set<std::uint64_t> garbage;     ///< Send a non-JSON text frame before K.
    bool snapshot_error = false;         ///< The first REST snapshot request gets HTTP 503.
};

/// Settings of a replay_server.
struct server_options {
    std::uint16_t port = 0;       ///< TCP port on 127.0.0.1 (0: the system picks a free one).
    double speed = 0;             ///< 1 = as recorded, 2 = twice as fast; 0 = as fast as possible.
    bool close_at_end = false;    ///< Close the connection after the last message (else idle with pings).
    exchange_kind exchange = exchange_kind::unknown; ///< Force the exchange (unknown: infer).
    server_faults faults;         ///< Faults to inject.
};

/// What a replay_server did so far (read after stop()).
struct server_stats {
    std::uint64_t connections = 0;   ///< WebSocket connections accepted.
    std::uint64_t sent = 0;          ///< Capture messages sent (duplicates count twice).
    std::uint64_t filtered = 0;      ///< Capture messages not subscribed, not sent.
    std::uint64_t faults = 0;        ///< Faults applied.
    std::uint64_t snapshots = 0;     ///< REST snapshot requests answered 200.
    std::uint64_t snapshot_errors = 0; ///< REST requests answered with an error status.
    std::uint64_t reference = 0;     ///< Reference (instrument list) requests answered 200.
    std::uint64_t stream_snapshots = 0; ///< Snapshots sent on a resubscription (Kraken, Coinbase).
    bool finished = false;           ///< The timeline reached the end of the capture.
};

/// One record of a capture as the server replays it.
struct capture_record {
    std::string text;            ///< The message or REST body, byte for byte.
    std::string snapshot_symbol; ///< REST snapshot: its symbol; empty for a WebSocket message.
    std::int64_t ts_ns = 0;      ///< Receive time as recorded (ns; 0 when the capture has none).
    std::uint64_t index = 0;     ///< WebSocket message number from 1 (0 for a REST record).
    std::uint64_t symbols = 0;   ///< Bit i: the message names symbol i of the capture (first 64).
    std::string stream;          ///< Binance combined-stream name, when the message has one.
};

/// A REST reference body of a capture (instrument list), served at its URL's path.
struct reference_record {
    std::string path; ///< The URL's path, without scheme, host or query ("/fapi/v1/exchangeInfo").
    std::string body; ///< The body as recorded, byte for byte.
};

/// A capture loaded for serving, and the offline replay of it (the oracle the tests compare with).
struct loaded_capture {
    exchange_kind exchange = exchange_kind::unknown; ///< The capture's exchange.
    std::vector<capture_record> records;             ///< WebSocket messages and REST bodies, file order.
    std::vector<std::string> symbols;                ///< Symbols the offline replay saw, by index.
    std::unique_ptr<capture_replay> offline;         ///< The whole capture replayed offline.
    std::uint64_t ws_messages = 0;                   ///< WebSocket messages in the capture.
    std::vector<reference_record> reference;         ///< Instrument lists the capture recorded.
};

/// Loads `path` (plain, gzip or zstd; hftbacktest, cryptofeed v2 or v3) for serving, as capture
/// `forced` (unknown: inferred). Throws std::runtime_error naming the file and line when it
/// cannot be read or is in no known format.
[[nodiscard]] loaded_capture load_capture(const std::string& path, exchange_kind forced = exchange_kind::unknown);

/// The replay server. Thread-safety: start() and stop() from one thread; stats() after stop();
/// finished() from any thread.
class replay_server {
public:
    /// A server for capture `cap` (moved in) with options `opt`. Nothing runs before start().
    replay_server(loaded_capture cap, server_options opt);
    replay_server(const replay_server&) = delete;
    replay_server& operator=(const replay_server&) = delete;
    /// Stops the server if it runs.
    ~replay_server();

    /// Binds 127.0.0.1:port, starts the io thread; returns the bound port. Throws
    /// boost::system::system_error when the port cannot be bound.
    std::uint16_t start();
    /// The bound port (0 before start()).
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// Stops the io thread and closes every connection. Idempotent.
    void stop();
    /// Counters (read after stop()).
    [[nodiscard]] const server_stats& stats() const noexcept;
    /// True once the timeline has passed the capture's last record (stats().finished); safe to
    /// call from any thread while the server runs.
    [[nodiscard]] bool finished() const noexcept;
    /// The capture served.
    [[nodiscard]] const loaded_capture& capture() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
