// pinnacle_wire, client side: ws_client (Beast WebSocket over TCP or OpenSSL TLS), http_get,
// live_feed. The one translation unit that instantiates Beast's client templates: programs and
// tests include the declaring headers only (compile time: docs/wire.md).
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

#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/kraken.hpp"
#include "pinnacle/connect/wire/live_feed.hpp"
#include "pinnacle/connect/wire/ws_client.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

namespace {
/// A TLS client context verifying peers against the system's default certificate store
/// (OpenSSL's default paths), TLS 1.2 or later. Throws boost::system::system_error.
boost::asio::ssl::context make_tls_client_context() {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    ctx.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                    boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                    boost::asio::ssl::context::no_tlsv1_1);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(boost::asio::ssl::verify_peer);
    return ctx;
}

} // namespace

http_result http_get(const url& u, std::chrono::milliseconds timeout) {
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
    boost::asio::ssl::context tls = make_tls_client_context();
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

struct ws_client::impl {
    impl(boost::asio::io_context& io, url endpoint, ws_handlers h, ws_client_options opt)
        : io_(io), tls_(make_tls_client_context()), url_(std::move(endpoint)), h_(std::move(h)), opt_(opt), resolver_(io), timer_(io), rng_(opt.seed) {}

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
        // Streams of earlier connections still hold Beast's idle / keep-alive timer (up to
        // idle_timeout): destroying them cancels it, so the io_context can run out of work now.
        // Their sockets are closed and their reads completed long ago.
        retired_plain_.clear();
        retired_tls_.clear();
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
    boost::asio::ssl::context tls_;
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

ws_client::ws_client(boost::asio::io_context& io, url endpoint, ws_handlers h, ws_client_options opt)
    : p_(std::make_unique<impl>(io, std::move(endpoint), std::move(h), opt)) {}
ws_client::~ws_client() = default;
void ws_client::start() { p_->start(); }
void ws_client::send(std::string text) { p_->send(std::move(text)); }
void ws_client::stop() { p_->stop(); }
void ws_client::drop() { p_->drop(); }
ws_state ws_client::state() const noexcept { return p_->state(); }
std::uint64_t ws_client::reconnects() const noexcept { return p_->reconnects(); }
std::uint64_t ws_client::opens() const noexcept { return p_->opens(); }
const std::string& ws_client::last_error() const noexcept { return p_->last_error(); }

struct live_feed::impl {

    /// A feed with options `o` on `io`, TLS through `tls`, delivering to `c`. Throws
    /// std::invalid_argument when a URL is not valid or the exchange is unknown.
    impl(boost::asio::io_context& io, live_feed_options o, consumer c)
        : io_(io), opt_(std::move(o)), consume_(std::move(c)), retry_(io), verify_(io) {
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
        client_ = std::make_unique<ws_client>(io_, *ws_url, std::move(h), opt_.ws);
    }

    /// Connects (and reconnects until stop()).
    void start() {
        client_->start();
        arm_verify();
    }
    /// Closes the connection for good.
    void stop() {
        stopped_ = true;
        retry_.cancel();
        verify_.cancel();
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
        for (const auto& li : opt_.instruments) core_->set_instrument(li.symbol, li.spec);
        last_fetch_.assign(opt_.symbols.size(), std::chrono::steady_clock::time_point{});
        confirmed_.assign(opt_.symbols.size(), false);
    }

    void on_open() {
        if (client_->opens() > 1) new_decoder();  // a new connection: every book stale until its snapshot
        resync_conn_ = resync_pending_;
        resync_pending_ = false;
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
        if (bitstamp_) note_confirmation(msg);
        const feed_result r = decode(msg, wall());
        if (r.status == feed_status::rejected) ++counters_.rejected_frames;
        // Kraken has no sequence numbers: a lost message shows as a failed checksum, counted as
        // a gap too (feed.gaps), so a drop reads the same on every exchange.
        if (r.status == feed_status::checksum_failed) {
            ++counters_.feed.gaps;
            if (resync_conn_) ++counters_.checksums_failed_after_resync;
        }
        wire_to_book_.record(steady_ns() - recv_ns);
        deliver(recv_ns);
        resync_if_needed(!core_->resync_requests().empty());
    }

    // Bitstamp (WebSocket API v2, "Live full order book" / "diff_order_book"): subscribe to the
    // diff channel, then GET the order book once the subscription is confirmed, and apply diffs
    // with microtimestamp newer than the snapshot's. A pair whose diff channel stays silent still
    // gets its book that way. Marks the pair of a {"event":"bts:subscription_succeeded",
    // "channel":"diff_order_book_<pair>"} message as confirmed.
    void note_confirmation(std::string_view msg) {
        if (msg.find("bts:subscription_succeeded") == std::string_view::npos) return;
        constexpr std::string_view key = "\"diff_order_book_";
        const std::size_t p = msg.find(key);
        if (p == std::string_view::npos) return;
        const std::size_t b = p + key.size();
        const std::size_t e = msg.find('"', b);
        if (e == std::string_view::npos) return;
        const std::string pair = detail::lower_copy(msg.substr(b, e - b));
        for (std::size_t k = 0; k < opt_.symbols.size(); ++k)
            if (detail::lower_copy(opt_.symbols[k]) == pair) confirmed_[k] = true;
    }

    // Binance / Bitstamp: fetch a snapshot for every subscribed symbol whose book waits for one;
    // Kraken / Coinbase: reconnect (their snapshot comes with the subscription).
    void resync_if_needed(bool requested) {
        const bool on_stream = kraken_ || cb_ || cbx_;  // their snapshot comes with a (re)subscription
        if (on_stream || rest_.host.empty()) {
            if (requested && !resync_pending_) {
                ++counters_.resubscribes;
                resync_pending_ = true;
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
            // Bitstamp: a confirmed pair with no book yet (no diff seen) needs its snapshot too.
            const bool unseen = i == no_symbol && bitstamp_ && confirmed_[k];
            if (!unseen && (i == no_symbol || core_->symbol(i).state != book_state::awaiting_snapshot)) continue;
            const auto now = std::chrono::steady_clock::now();
            if (last_fetch_[k] != std::chrono::steady_clock::time_point{} && now - last_fetch_[k] < opt_.snapshot_retry) {
                later = true;  // rate limited: retried by the timer even if no message comes
                continue;
            }
            last_fetch_[k] = now;
            fetch_snapshot(name);
            const std::uint32_t j = core_->find(name);
            if (j == no_symbol || core_->symbol(j).state == book_state::awaiting_snapshot) later = true;
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

    // Bitstamp: every verify_interval, compares each live book with the exchange's REST book
    // (bitstamp_decoder::on_verify_snapshot): the only way a lost diff shows on that stream.
    void arm_verify() {
        if (!bitstamp_ || opt_.verify_interval.count() <= 0 || rest_.host.empty() || stopped_) return;
        verify_.expires_after(opt_.verify_interval);
        verify_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopped_) return;
            for (const auto& s : opt_.symbols) {
                const std::string name = detail::lower_copy(s);
                const std::uint32_t i = core_->find(name);
                if (i == no_symbol || core_->symbol(i).state != book_state::live) continue;
                ++counters_.verifications;
                url u = rest_;
                u.target += snapshot_target(opt_.exchange, name);
                const http_result res = http_get(u, std::chrono::seconds(10));
                if (res.status != 200) {
                    ++counters_.snapshot_failures;
                    continue;
                }
                const std::int64_t t = steady_ns();
                (void)bitstamp_->on_verify_snapshot(name, res.body, wall());
                deliver(t);
            }
            arm_verify();
        });
    }

    // Blocking GET on the io thread: the stream waits in the socket buffer meanwhile, which is
    // what the exchanges' "buffer the stream, then fetch the snapshot" procedures need.
    void fetch_snapshot(const std::string& name) {
        ++counters_.snapshot_requests;
        url u = rest_;
        u.target += snapshot_target(opt_.exchange, name);
        const http_result res = http_get(u, std::chrono::seconds(10));
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
    std::vector<bool> confirmed_;  // Bitstamp: diff channel subscription confirmed, per symbol
    boost::asio::steady_timer retry_;
    boost::asio::steady_timer verify_;  // Bitstamp: the next REST verification
    bool retry_armed_ = false;
    bool stopped_ = false;
    bool resync_pending_ = false;  // a reconnect asked for to resync, not yet open
    bool resync_conn_ = false;     // the current connection was opened to resync
    latency_histogram wire_to_book_;
};

live_feed::live_feed(boost::asio::io_context& io, live_feed_options o, consumer c)
    : p_(std::make_unique<impl>(io, std::move(o), std::move(c))) {}
live_feed::~live_feed() = default;
void live_feed::start() { p_->start(); }
void live_feed::stop() { p_->stop(); }
void live_feed::drop() { p_->drop(); }
const decoder_core& live_feed::decoder() const noexcept { return p_->decoder(); }
bool live_feed::stale(std::string_view symbol) const noexcept { return p_->stale(symbol); }
live_counters live_feed::counters() const noexcept { return p_->counters(); }
const latency_histogram& live_feed::wire_to_book() const noexcept { return p_->wire_to_book(); }
ws_state live_feed::state() const noexcept { return p_->state(); }
const std::string& live_feed::last_error() const noexcept { return p_->last_error(); }
const live_feed_options& live_feed::options() const noexcept { return p_->options(); }

instrument_fetch fetch_instruments(exchange_kind k, const std::string& rest, const std::vector<std::string>& symbols,
                                   std::chrono::milliseconds timeout) {
    const std::string base = rest.empty() ? default_endpoints(k).rest : rest;
    auto u = parse_url(base);
    if (!u || u->websocket) throw std::invalid_argument("fetch_instruments: REST URL '" + base + "' is not an http:// or https:// URL");
    if (u->target == "/") u->target.clear();
    instrument_fetch out;
    const std::string target = reference_target(k, symbols);
    if (target.empty()) {
        out.error = "no reference endpoint for this exchange";
        return out;
    }
    u->target += target;
    const std::string where = base + target;
    const http_result res = http_get(*u, timeout);
    if (res.status == 0) {
        out.error = where + ": " + res.error;
        return out;
    }
    if (res.status != 200) {
        out.error = where + ": HTTP " + std::to_string(res.status);
        return out;
    }
    std::vector<listed_instrument> listed;
    try {
        listed = parse_reference_data(target, res.body);
    } catch (const std::exception& e) {
        out.error = where + ": " + e.what();
        return out;
    }
    std::string missing;
    for (const auto& want : symbols) {
        const bool bitstamp = k == exchange_kind::bitstamp;
        const std::string w = bitstamp ? detail::lower_copy(want) : want;
        bool found = false;
        for (const auto& li : listed) {
            if ((bitstamp ? detail::lower_copy(li.symbol) : li.symbol) != w) continue;
            out.instruments.push_back(li);
            found = true;
            break;
        }
        if (!found) missing += (missing.empty() ? "" : ",") + want;
    }
    if (!missing.empty()) out.error = where + ": not listed: " + missing;
    return out;
}

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
