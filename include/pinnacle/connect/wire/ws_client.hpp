#pragma once
/// @file connect/wire/ws_client.hpp
/// WebSocket client and HTTP(S) GET over Boost.Beast/Asio with OpenSSL: wss:// with SNI and
/// certificate verification against the system store (ws:// for loopback), ping/pong keep-alive
/// and idle timeout (Beast's stream_base::timeout), reconnect with capped exponential backoff and
/// full jitter. Everything of one client runs on the io_context it is given (one thread per
/// connection group): handlers are called there, so a decoder and an engine called from them
/// need no lock.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "pinnacle/connect/wire/url.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// A TLS client context verifying peers against the system's default certificate store
/// (OpenSSL's default paths), TLS 1.2 or later. Throws boost::system::system_error.
[[nodiscard]] inline boost::asio::ssl::context make_tls_client_context() {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    ctx.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                    boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                    boost::asio::ssl::context::no_tlsv1_1);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(boost::asio::ssl::verify_peer);
    return ctx;
}

/// What an HTTP GET returned.
struct http_result {
    int status = 0;     ///< HTTP status (0: no response; see error).
    std::string body;   ///< Response body.
    std::string error;  ///< Transport error text, empty when a response arrived.
};

/// Blocking HTTP(S) GET of `u` (http:// or https://; TLS with SNI and verification through
/// `tls`) with an overall `timeout`. Runs its own io_context on the calling thread. Never throws
/// for network errors: they are in http_result::error.
[[nodiscard]] inline http_result http_get(const url& u, boost::asio::ssl::context& tls,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    namespace net = boost::asio;
    http_result out;
    net::io_context io;
    http::request<http::empty_body> req{http::verb::get, u.target, 11};
    req.set(http::field::host, u.host);
    req.set(http::field::user_agent, "pinnacle");
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    net::ip::tcp::resolver resolver(io);
    auto fail = [&](const char* what, boost::system::error_code ec) {
        if (out.error.empty()) out.error = std::string(what) + ": " + ec.message();
    };
    if (!u.tls) {
        beast::tcp_stream stream(io);
        stream.expires_after(timeout);
        resolver.async_resolve(u.host, u.port, [&](boost::system::error_code ec, net::ip::tcp::resolver::results_type r) {
            if (ec) return fail("resolve", ec);
            stream.async_connect(r, [&](boost::system::error_code e2, const net::ip::tcp::endpoint&) {
                if (e2) return fail("connect", e2);
                http::async_write(stream, req, [&](boost::system::error_code e3, std::size_t) {
                    if (e3) return fail("write", e3);
                    http::async_read(stream, buf, res, [&](boost::system::error_code e4, std::size_t) {
                        if (e4) return fail("read", e4);
                        out.status = static_cast<int>(res.result_int());
                        out.body = std::move(res.body());
                    });
                });
            });
        });
        io.run();
        return out;
    }
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(u.host.c_str())) != 1) {
        out.error = "TLS: cannot set SNI host name";
        return out;
    }
    stream.set_verify_callback(net::ssl::host_name_verification(u.host));
    beast::get_lowest_layer(stream).expires_after(timeout);
    resolver.async_resolve(u.host, u.port, [&](boost::system::error_code ec, net::ip::tcp::resolver::results_type r) {
        if (ec) return fail("resolve", ec);
        beast::get_lowest_layer(stream).async_connect(r, [&](boost::system::error_code e2, const net::ip::tcp::endpoint&) {
            if (e2) return fail("connect", e2);
            stream.async_handshake(net::ssl::stream_base::client, [&](boost::system::error_code e3) {
                if (e3) return fail("TLS handshake", e3);
                http::async_write(stream, req, [&](boost::system::error_code e4, std::size_t) {
                    if (e4) return fail("write", e4);
                    http::async_read(stream, buf, res, [&](boost::system::error_code e5, std::size_t) {
                        if (e5) return fail("read", e5);
                        out.status = static_cast<int>(res.result_int());
                        out.body = std::move(res.body());
                    });
                });
            });
        });
    });
    io.run();
    return out;
}

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

/// A reconnecting WebSocket client. Thread-safety: every member function but stop_async() must be
/// called on the io_context thread (or before it runs).
///
/// Reconnect delay after the n-th consecutive failure: uniform in [0, min(backoff_max,
/// backoff_initial * 2^n)] ("full jitter", AWS Architecture Blog, Exponential Backoff And
/// Jitter, 2015); the count resets once a connection opens.
class ws_client {
public:
    /// A client of `endpoint` (ws:// or wss://) on `io`, TLS through `tls`. Nothing happens before start().
    ws_client(boost::asio::io_context& io, boost::asio::ssl::context& tls, url endpoint, ws_handlers h, ws_client_options opt = {})
        : io_(io), tls_(tls), url_(std::move(endpoint)), h_(std::move(h)), opt_(opt), resolver_(io), timer_(io), rng_(opt.seed) {}
    ws_client(const ws_client&) = delete;
    ws_client& operator=(const ws_client&) = delete;

    /// Starts connecting.
    void start() { connect(); }
    /// Queues a text frame (dropped when not open).
    void send(std::string text) {
        if (state_ != ws_state::open) return;
        out_.push_back(std::move(text));
        if (out_.size() == 1) write_next();
    }
    /// Closes the connection for good (a WebSocket close, then the socket). Idempotent.
    void stop() {
        if (state_ == ws_state::stopped) return;
        const bool was_open = state_ == ws_state::open;
        state_ = ws_state::stopped;
        timer_.cancel();
        resolver_.cancel();
        if (was_open) {
            with_ws([](auto& ws) { ws.async_close(boost::beast::websocket::close_code::normal, [](boost::system::error_code) {}); });
        } else {
            drop_socket();
        }
    }
    /// Closes the current connection abruptly; the client reconnects as after any failure.
    void drop() {
        if (state_ != ws_state::open) return;
        drop_socket();
    }
    /// Current state.
    [[nodiscard]] ws_state state() const noexcept { return state_; }
    /// Reconnects made (connections opened after the first).
    [[nodiscard]] std::uint64_t reconnects() const noexcept { return opens_ > 0 ? opens_ - 1 : 0; }
    /// Connections opened.
    [[nodiscard]] std::uint64_t opens() const noexcept { return opens_; }
    /// Last error text (empty if none).
    [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }

private:
    using plain_ws = boost::beast::websocket::stream<boost::beast::tcp_stream>;
    using tls_ws = boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

    template <class F>
    void with_ws(F&& f) {
        if (plain_) f(*plain_);
        else if (tls_ws_) f(*tls_ws_);
    }
    void drop_socket() {
        boost::system::error_code ignored;
        if (plain_) boost::beast::get_lowest_layer(*plain_).socket().close(ignored);
        if (tls_ws_) boost::beast::get_lowest_layer(*tls_ws_).socket().close(ignored);
    }

    void connect() {
        if (state_ == ws_state::stopped) return;
        state_ = ws_state::connecting;
        out_.clear();
        buf_.clear();
        ++gen_;
        // The old stream may still have completions queued (they see a stale generation and
        // return): keep it alive a little longer rather than free it under them.
        if (retired_plain_.size() > 2) retired_plain_.erase(retired_plain_.begin());
        if (retired_tls_.size() > 2) retired_tls_.erase(retired_tls_.begin());
        if (plain_) retired_plain_.push_back(std::move(plain_));
        if (tls_ws_) retired_tls_.push_back(std::move(tls_ws_));
        if (url_.tls) tls_ws_ = std::make_unique<tls_ws>(io_, tls_);
        else plain_ = std::make_unique<plain_ws>(io_);
        const std::uint64_t g = gen_;
        resolver_.async_resolve(url_.host, url_.port, [this, g](boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type r) {
            if (g != gen_) return;
            if (ec) return fail("resolve", ec);
            with_ws([&](auto& ws) {
                auto& tcp = boost::beast::get_lowest_layer(ws);
                tcp.expires_after(opt_.connect_timeout);
                tcp.async_connect(r, [this, g](boost::system::error_code e2, const boost::asio::ip::tcp::endpoint&) {
                    if (g != gen_) return;
                    if (e2) return fail("connect", e2);
                    if (tls_ws_) tls_handshake(g);
                    else ws_handshake(g);
                });
            });
        });
    }

    void tls_handshake(std::uint64_t g) {
        auto& ssl = tls_ws_->next_layer();
        if (SSL_ctrl(ssl.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(url_.host.c_str())) != 1) {
            last_error_ = "TLS: cannot set SNI host name";
            return schedule_reconnect();
        }
        ssl.set_verify_callback(boost::asio::ssl::host_name_verification(url_.host));
        ssl.async_handshake(boost::asio::ssl::stream_base::client, [this, g](boost::system::error_code ec) {
            if (g != gen_) return;
            if (ec) return fail("TLS handshake", ec);
            ws_handshake(g);
        });
    }

    void ws_handshake(std::uint64_t g) {
        with_ws([&](auto& ws) {
            boost::beast::get_lowest_layer(ws).expires_never();  // the WebSocket timeouts take over
            boost::beast::websocket::stream_base::timeout t{};
            t.handshake_timeout = opt_.connect_timeout;
            t.idle_timeout = opt_.idle_timeout;
            t.keep_alive_pings = true;  // a ping at half the idle timeout; no frame by the end drops it
            ws.set_option(t);
            ws.read_message_max(std::size_t{64} << 20);
            ws.async_handshake(url_.host + ":" + url_.port, url_.target, [this, g](boost::system::error_code ec) {
                if (g != gen_) return;
                if (ec) return fail("WebSocket handshake", ec);
                state_ = ws_state::open;
                ++opens_;
                failures_ = 0;
                if (h_.on_open) h_.on_open();
                read(g);
            });
        });
    }

    void read(std::uint64_t g) {
        with_ws([&](auto& ws) {
            ws.async_read(buf_, [this, g](boost::system::error_code ec, std::size_t) {
                if (g != gen_) return;
                if (ec) return fail("read", ec);
                const std::int64_t t = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
                const auto d = buf_.cdata();
                if (h_.on_message) h_.on_message(std::string_view(static_cast<const char*>(d.data()), d.size()), t);
                buf_.consume(buf_.size());
                if (state_ == ws_state::open) read(g);
            });
        });
    }

    void write_next() {
        const std::uint64_t g = gen_;
        with_ws([&](auto& ws) {
            ws.text(true);
            ws.async_write(boost::asio::buffer(out_.front()), [this, g](boost::system::error_code ec, std::size_t) {
                if (g != gen_) return;
                if (ec) return fail("write", ec);
                out_.pop_front();
                if (!out_.empty()) write_next();
            });
        });
    }

    void fail(const char* what, boost::system::error_code ec) {
        if (state_ == ws_state::stopped) return;
        last_error_ = std::string(what) + ": " + ec.message();
        const bool was_open = state_ == ws_state::open;
        drop_socket();
        if (was_open && h_.on_disconnect) h_.on_disconnect(last_error_);
        schedule_reconnect();
    }

    void schedule_reconnect() {
        if (state_ == ws_state::stopped) return;
        state_ = ws_state::waiting;
        ++gen_;  // late completions of the old connection are ignored
        const unsigned shift = failures_ < 16 ? failures_ : 16;
        ++failures_;
        const std::int64_t cap = opt_.backoff_max.count();
        const std::int64_t exp = opt_.backoff_initial.count() << shift;
        const std::int64_t ceiling = exp < cap && exp > 0 ? exp : cap;
        std::uniform_int_distribution<std::int64_t> jitter(0, ceiling < 0 ? 0 : ceiling);
        timer_.expires_after(std::chrono::milliseconds(jitter(rng_)));
        timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) connect();
        });
    }

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    url url_;
    ws_handlers h_;
    ws_client_options opt_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer timer_;
    std::mt19937_64 rng_;
    std::unique_ptr<plain_ws> plain_;
    std::unique_ptr<tls_ws> tls_ws_;
    std::vector<std::unique_ptr<plain_ws>> retired_plain_;
    std::vector<std::unique_ptr<tls_ws>> retired_tls_;
    boost::beast::flat_buffer buf_;
    std::deque<std::string> out_;
    ws_state state_ = ws_state::waiting;
    std::uint64_t gen_ = 0;
    std::uint64_t opens_ = 0;
    unsigned failures_ = 0;
    std::string last_error_;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
