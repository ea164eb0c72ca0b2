#pragma once
/// @file
/// TCP transport of a FIX session (session.hpp) over Boost.Asio (header-only, Boost >= 1.71):
/// reads feed session::receive, a 100 ms timer feeds session::tick, writes drain
/// session::take_output, and the socket closes once the session wants it and its output is
/// written. Times are the wall clock (ns since the Unix epoch), as SendingTime (52) needs.
/// One thread: everything runs on the io_context's thread. TLS is not offered yet.

#include "pinnacle/connect/fix/session.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pinnacle::inline v0::fix {

/// Wall-clock time in ns since the Unix epoch (the session's time base).
[[nodiscard]] inline std::int64_t wall_clock_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Drives one session over one connected TCP socket until either side closes. Create with
/// std::make_shared (handlers keep it alive), then start(). Thread-safety: the io_context's
/// thread only.
class tcp_connection : public std::enable_shared_from_this<tcp_connection> {
public:
    /// Called once when the connection ends, with the reason (peer closed, session asked, error).
    using done_handler = std::function<void(std::string_view)>;

    /// A connection over `socket` for session `s` (which must outlive it).
    tcp_connection(boost::asio::ip::tcp::socket socket, session& s, done_handler done)
        : socket_(std::move(socket)), timer_(socket_.get_executor()), session_(s), done_(std::move(done)) {}

    /// Tells the session it is connected (the initiator sends Logon), starts reading and ticking.
    void start() {
        session_.connect(wall_clock_ns());
        flush();
        read();
        arm_timer();
    }

    /// Writes what the session queued (call after session::send from outside a handler).
    void flush() {
        if (closed_) return;
        pending_ += session_.take_output();
        if (writing_) return;
        if (pending_.empty()) {
            if (session_.wants_disconnect()) finish(session_.disconnect_reason());
            return;
        }
        writing_ = true;
        writing_buf_.swap(pending_);
        pending_.clear();
        boost::asio::async_write(socket_, boost::asio::buffer(writing_buf_),
                                 [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                                     self->writing_ = false;
                                     if (self->closed_) return;
                                     if (ec) {
                                         self->finish("write failed: " + ec.message());
                                         return;
                                     }
                                     self->flush();
                                 });
    }

    /// Closes the socket now (no Logout); the done handler runs with `why`.
    void close(std::string_view why) { finish(std::string(why)); }

    /// True once the connection has ended.
    [[nodiscard]] bool closed() const noexcept { return closed_; }

private:
    void read() {
        socket_.async_read_some(boost::asio::buffer(read_buf_),
                                [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                    if (self->closed_) return;
                                    if (ec) {
                                        self->finish(ec == boost::asio::error::eof ? std::string("peer closed the connection")
                                                                                   : "read failed: " + ec.message());
                                        return;
                                    }
                                    self->session_.receive(std::string_view(self->read_buf_.data(), n), wall_clock_ns());
                                    self->flush();
                                    if (!self->closed_) self->read();
                                });
    }

    void arm_timer() {
        timer_.expires_after(std::chrono::milliseconds(100));
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->closed_) return;
            self->session_.tick(wall_clock_ns());
            self->flush();
            if (!self->closed_) self->arm_timer();
        });
    }

    void finish(std::string why) {
        if (closed_) return;
        closed_ = true;
        boost::system::error_code ignored;
        socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        timer_.cancel();
        session_.disconnected(wall_clock_ns());
        if (done_) done_(why);
    }

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer timer_;
    session& session_;
    done_handler done_;
    std::array<char, 65536> read_buf_{};
    std::string pending_;
    std::string writing_buf_;
    bool writing_ = false;
    bool closed_ = false;
};

/// Connects to `host`:`port` (synchronously); on failure returns std::nullopt and sets `error`
/// to what failed.
[[nodiscard]] inline std::optional<boost::asio::ip::tcp::socket> connect_tcp(boost::asio::io_context& io, const std::string& host,
                                                                           std::uint16_t port, std::string& error) {
    boost::system::error_code ec;
    boost::asio::ip::tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) {
        error = "cannot resolve " + host + ": " + ec.message();
        return std::nullopt;
    }
    boost::asio::ip::tcp::socket socket(io);
    boost::asio::connect(socket, endpoints, ec);
    if (ec) {
        error = "cannot connect to " + host + ":" + std::to_string(port) + ": " + ec.message();
        return std::nullopt;
    }
    socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
    return std::optional<boost::asio::ip::tcp::socket>(std::move(socket));
}

} // namespace pinnacle::inline v0::fix
