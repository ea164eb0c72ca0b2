#pragma once
/// @file connect/wire/ws_client.hpp
/// WebSocket client and HTTP(S) GET over Boost.Beast/Asio with OpenSSL: wss:// with SNI and
/// certificate verification against the system store (ws:// for loopback), ping/pong keep-alive
/// and idle timeout (Beast's stream_base::timeout), reconnect with capped exponential backoff and
/// full jitter. Everything of one client runs on the io_context it is given (one thread per
/// connection group): handlers are called there, so a decoder and an engine called from them
/// need no lock. Declarations only: Beast and OpenSSL are compiled once, in the pinnacle_wire
/// library (src/wire/), so programs including this header parse no Beast header.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pinnacle/connect/wire/url.hpp"

namespace boost {
namespace asio {
class io_context;
} // namespace asio
} // namespace boost

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// What an HTTP GET returned.
struct http_result {
    int status = 0;     ///< HTTP status (0: no response; see error).
    std::string body;   ///< Response body.
    std::string error;  ///< Transport error text, empty when a response arrived.
};

/// Blocking HTTP(S) GET of `u` (http:// or https://; TLS 1.2 or later with SNI and certificate
/// verification against the system store) with an overall `timeout`. Runs its own io_context on
/// the calling thread. Never throws for network errors: they are in http_result::error.
[[nodiscard]] http_result http_get(const url& u, std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Settings of a ws_client. Durations in milliseconds.
struct ws_client_options {
    std::chrono::milliseconds connect_timeout{5000};  ///< Resolve + TCP + TLS + WebSocket handshake.
    std::chrono::milliseconds idle_timeout{10000};    ///< No frame for this long: a ping at half, then drop.
    std::chrono::milliseconds backoff_initial{100};   ///< First reconnect delay (before jitter).
    std::chrono::milliseconds backoff_max{5000};      ///< Cap of the exponential backoff.
    std::uint64_t seed = 1;                           ///< Jitter generator seed.
};

/// Connection state of a ws_client.
enum class ws_state : std::uint8_t {
    connecting = 0, ///< Resolving, connecting or handshaking.
    open,           ///< WebSocket open: frames flow.
    waiting,        ///< Disconnected, waiting for the backoff to reconnect.
    stopped,        ///< stop() was called.
};

/// Callbacks of a ws_client, all called on its io_context thread.
struct ws_handlers {
    std::function<void()> on_open;                                   ///< Connected (send subscriptions here).
    std::function<void(std::string_view msg, std::int64_t recv_ns)> on_message; ///< A text or binary frame; recv_ns = steady clock ns at read completion.
    std::function<void(std::string_view why)> on_disconnect;        ///< The connection dropped (a reconnect is scheduled unless stopped).
};

/// A reconnecting WebSocket client. Thread-safety: every member function must be called on the
/// io_context thread (or before it runs).
///
/// Reconnect delay after the n-th consecutive failure: uniform in [0, min(backoff_max,
/// backoff_initial * 2^n)] ("full jitter", AWS Architecture Blog, Exponential Backoff And
/// Jitter, 2015); the count resets once a connection opens. wss:// verifies the server's
/// certificate against the system store (OpenSSL's default paths) and its host name (RFC 6125).
class ws_client {
public:
    /// A client of `endpoint` (ws:// or wss://) on `io`. Nothing happens before start().
    ws_client(boost::asio::io_context& io, url endpoint, ws_handlers h, ws_client_options opt = {});
    ws_client(const ws_client&) = delete;
    ws_client& operator=(const ws_client&) = delete;
    /// Releases the connection (call stop() first for a clean close).
    ~ws_client();

    /// Starts connecting.
    void start();
    /// Queues a text frame (dropped when not open).
    void send(std::string text);
    /// Closes the connection for good (a WebSocket close, then the socket). Idempotent.
    void stop();
    /// Closes the current connection abruptly; the client reconnects as after any failure.
    void drop();
    /// Current state.
    [[nodiscard]] ws_state state() const noexcept;
    /// Reconnects made (connections opened after the first).
    [[nodiscard]] std::uint64_t reconnects() const noexcept;
    /// Connections opened.
    [[nodiscard]] std::uint64_t opens() const noexcept;
    /// Last error text (empty if none).
    [[nodiscard]] const std::string& last_error() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
