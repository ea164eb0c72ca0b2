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
/// (Bitstamp) answer the capture's recorded snapshot body for that symbol the first time; later
/// Binance requests get a fresh snapshot made from the server's own book at the point of the
/// stream (what the exchange would answer), so a client that resyncs after a gap can recover.
///
/// Faults count the capture's WebSocket messages from 1 in file order (see server_faults).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/replay.hpp"
#include "pinnacle/connect/wire/url.hpp"

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

/// A capture loaded for serving, and the offline replay of it (the oracle the tests compare with).
struct loaded_capture {
    exchange_kind exchange = exchange_kind::unknown; ///< The capture's exchange.
    std::vector<capture_record> records;             ///< WebSocket messages and REST bodies, file order.
    std::vector<std::string> symbols;                ///< Symbols the offline replay saw, by index.
    std::unique_ptr<capture_replay> offline;         ///< The whole capture replayed offline.
    std::uint64_t ws_messages = 0;                   ///< WebSocket messages in the capture.
};

namespace detail {
inline char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool alnum(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// True when `hay` names `sym` (case-insensitive) with no letter or digit either side.
inline bool names_symbol(std::string_view hay, std::string_view sym) noexcept {
    if (sym.empty() || hay.size() < sym.size()) return false;
    for (std::size_t i = 0; i + sym.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < sym.size() && lower(hay[i + k]) == lower(sym[k])) ++k;
        if (k != sym.size()) continue;
        if (i > 0 && alnum(hay[i - 1])) continue;
        if (i + k < hay.size() && alnum(hay[i + k])) continue;
        return true;
    }
    return false;
}
// The receive time of a capture line: "<ns> ..." (hftbacktest), "<s.frac>: ..." (cryptofeed v2),
// or a v3 record's "ts" (seconds). 0 when none.
inline std::int64_t line_time_ns(std::string_view line) noexcept {
    std::size_t k = 0;
    while (k < line.size() && ((line[k] >= '0' && line[k] <= '9') || line[k] == '.')) ++k;
    std::string_view t;
    if (k > 0) t = line.substr(0, k);
    else if (const std::size_t p = line.find("\"ts\":"); p != std::string_view::npos) {
        std::size_t b = p + 5;
        while (b < line.size() && (line[b] == ' ' || line[b] == '"')) ++b;
        std::size_t e = b;
        while (e < line.size() && ((line[e] >= '0' && line[e] <= '9') || line[e] == '.')) ++e;
        t = line.substr(b, e - b);
    }
    if (t.empty()) return 0;
    if (t.find('.') == std::string_view::npos && t.size() >= 16) {  // integer nanoseconds
        std::int64_t v = 0;
        for (const char c : t.substr(0, 18)) v = v * 10 + (c - '0');
        return v;
    }
    std::int64_t ns = 0;
    return seconds_text_to_ns(t, ns) ? ns : 0;
}
} // namespace detail

/// Loads `path` (plain, gzip or zstd; hftbacktest, cryptofeed v2 or v3) for serving. Throws
/// std::runtime_error naming the file and line when it cannot be read or is in no known format.
[[nodiscard]] inline loaded_capture load_capture(const std::string& path, exchange_kind forced = exchange_kind::unknown) {
    loaded_capture c;
    c.offline = std::make_unique<capture_replay>(forced);
    capture_reader reader(path);
    std::string_view line;
    std::size_t n = 0;
    std::int64_t ts = 0;
    c.offline->set_tap([&](std::string_view msg, std::string_view snap, std::size_t) {
        capture_record r;
        r.text = std::string(msg);
        r.snapshot_symbol = std::string(snap);
        r.ts_ns = ts;
        if (snap.empty()) r.index = ++c.ws_messages;
        c.records.push_back(std::move(r));
    });
    while (reader.next(line)) {
        ++n;
        ts = detail::line_time_ns(line);
        try {
            c.offline->on_line(line, n);
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": " + e.what());
        }
    }
    c.exchange = c.offline->exchange();
    for (const auto& s : c.offline->symbols()) c.symbols.push_back(s.name);
    for (auto& r : c.records) {
        if (r.index == 0) continue;
        for (std::size_t i = 0; i < c.symbols.size() && i < 64; ++i)
            if (detail::names_symbol(r.text, c.symbols[i])) r.symbols |= std::uint64_t{1} << i;
        constexpr std::string_view key = "{\"stream\":\"";
        if (r.text.compare(0, key.size(), key) == 0) {
            const std::size_t e = r.text.find('"', key.size());
            if (e != std::string::npos) r.stream = r.text.substr(key.size(), e - key.size());
        }
    }
    return c;
}

/// The replay server. Thread-safety: start() and stop() from one thread; stats() after stop().
class replay_server {
public:
    /// A server for capture `cap` (moved in) with options `opt`. Nothing runs before start().
    replay_server(loaded_capture cap, server_options opt) : cap_(std::move(cap)), opt_(std::move(opt)), acceptor_(io_) {
        if (cap_.exchange == exchange_kind::binance || cap_.exchange == exchange_kind::binance_usdm)
            truth_ = std::make_unique<binance_decoder>(cap_.exchange == exchange_kind::binance ? binance_market::spot : binance_market::usdm);
        if (truth_) truth_->allow_fallback(default_crypto_spec());
        for (const auto& li : cap_.offline->symbols()) {
            if (truth_) truth_->set_instrument(li.name, li.spec);
        }
    }
    replay_server(const replay_server&) = delete;
    replay_server& operator=(const replay_server&) = delete;
    /// Stops the server if it runs.
    ~replay_server() { stop(); }

    /// Binds 127.0.0.1:port, starts the io thread; returns the bound port. Throws
    /// boost::system::system_error when the port cannot be bound.
    std::uint16_t start() {
        namespace net = boost::asio;
        const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), opt_.port);
        acceptor_.open(ep.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(ep);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        accept();
        thread_ = std::thread([this] { io_.run(); });
        return port_;
    }
    /// The bound port (0 before start()).
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Stops the io thread and closes every connection. Idempotent.
    void stop() {
        if (!thread_.joinable()) return;
        io_.stop();
        thread_.join();
    }
    /// Counters (read after stop(), or from the io thread).
    [[nodiscard]] const server_stats& stats() const noexcept { return stats_; }
    /// The capture served.
    [[nodiscard]] const loaded_capture& capture() const noexcept { return cap_; }

private:
    using tcp = boost::asio::ip::tcp;
    using ws_stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

    struct ws_session;

    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;
            on_connection(std::move(s));
            accept();
        });
    }

    struct http_conn {
        explicit http_conn(tcp::socket s) : stream(std::move(s)) {}
        boost::beast::tcp_stream stream;
        boost::beast::flat_buffer buf;
        boost::beast::http::request<boost::beast::http::string_body> req;
        boost::beast::http::response<boost::beast::http::string_body> res;
    };

    void on_connection(tcp::socket s) {
        auto c = std::make_shared<http_conn>(std::move(s));
        c->stream.expires_after(std::chrono::seconds(10));
        boost::beast::http::async_read(c->stream, c->buf, c->req, [this, c](boost::system::error_code ec, std::size_t) {
            if (ec) return;
            c->stream.expires_never();
            if (boost::beast::websocket::is_upgrade(c->req)) return start_ws(c);
            serve_rest(c);
        });
    }

    // REST: a recorded snapshot the first time per symbol, a fresh one (Binance) afterwards.
    void serve_rest(const std::shared_ptr<http_conn>& c) {
        namespace http = boost::beast::http;
        const std::string target(c->req.target());
        std::string sym;
        if (const std::size_t p = target.find("symbol="); p != std::string::npos && target.find("/depth") != std::string::npos) {
            sym = target.substr(p + 7);
            sym = sym.substr(0, sym.find('&'));
        } else if (const std::size_t q = target.find("/order_book/"); q != std::string::npos) {
            sym = target.substr(q + 12);
            sym = sym.substr(0, sym.find_first_of("/?"));
        }
        c->res.version(c->req.version());
        c->res.keep_alive(false);
        c->res.set(http::field::content_type, "application/json");
        const std::string* body = nullptr;
        std::string fresh;
        if (sym.empty()) {
            c->res.result(http::status::not_found);
            c->res.body() = "{\"code\":-1,\"msg\":\"no such endpoint\"}";
        } else if (opt_.faults.snapshot_error && !snapshot_error_sent_) {
            snapshot_error_sent_ = true;
            ++stats_.faults;
            c->res.result(http::status::service_unavailable);
            c->res.body() = "{\"code\":-1003,\"msg\":\"service unavailable (injected)\"}";
        } else {
            for (const auto& r : cap_.records) {
                if (!r.snapshot_symbol.empty() && detail::names_symbol(r.snapshot_symbol, sym) && r.snapshot_symbol.size() == sym.size()) {
                    body = &r.text;
                    break;
                }
            }
            if (served_symbols_.count(sym) != 0 && truth_) fresh = fresh_binance_snapshot(sym);
            if (!fresh.empty()) body = &fresh;
            if (body == nullptr) {
                c->res.result(http::status::bad_request);
                c->res.body() = "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
            } else {
                served_symbols_.insert(sym);
                c->res.result(http::status::ok);
                c->res.body() = *body;
            }
        }
        if (c->res.result() == http::status::ok) ++stats_.snapshots;
        else ++stats_.snapshot_errors;
        c->res.prepare_payload();
        http::async_write(c->stream, c->res, [c](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

    // {"lastUpdateId":u,"bids":[[p,q],..],"asks":[..]} from the server's book; empty if not live.
    std::string fresh_binance_snapshot(const std::string& sym) const {
        const std::uint32_t i = truth_->find(sym);
        if (i == no_symbol) return {};
        const symbol_book& b = truth_->symbol(i);
        if (b.state != book_state::live) return {};
        std::string out = "{\"lastUpdateId\":" + std::to_string(b.last_id);
        for (const side s : {side::buy, side::sell}) {
            out += s == side::buy ? ",\"bids\":[" : ",\"asks\":[";
            for (std::size_t k = 0; k < b.book.depth(s); ++k) {
                const level_info l = b.book.level(s, k);
                if (k != 0) out += ',';
                out += "[\"" + grid_text(b.spec.tick, l.px.ticks()) + "\",\"" + grid_text(b.spec.lot, l.size.lots()) + "\"]";
            }
            out += ']';
        }
        out += '}';
        return out;
    }

    struct ws_session : std::enable_shared_from_this<ws_session> {
        ws_session(replay_server* s, tcp::socket sock) : srv(s), ws(std::move(sock)), timer(ws.get_executor()) {}
        replay_server* srv;
        ws_stream ws;
        boost::asio::steady_timer timer;
        boost::beast::flat_buffer in;
        std::set<std::string> streams;  // Binance
        std::uint64_t subscribed = 0;   // symbol bits (others)
        bool subscribed_any = false;
        bool streaming = false;
        bool started = false;  // the settle delay after the first subscribe is over
        bool dead = false;
        std::uint64_t generation = 0;
        std::deque<std::string> replies;
        bool writing = false;
    };

    void start_ws(const std::shared_ptr<http_conn>& c) {
        auto s = std::make_shared<ws_session>(this, c->stream.release_socket());
        s->ws.set_option(boost::beast::websocket::stream_base::timeout{std::chrono::seconds(10), boost::beast::websocket::stream_base::none(), false});
        // Binance combined stream: /stream?streams=a/b/c subscribes in the URL.
        const std::string target(c->req.target());
        if (const std::size_t p = target.find("streams="); p != std::string::npos) {
            std::string list = target.substr(p + 8);
            list = list.substr(0, list.find('&'));
            std::size_t b = 0;
            while (b <= list.size()) {
                const std::size_t e = std::min(list.find('/', b), list.size());
                if (e > b) s->streams.insert(list.substr(b, e - b));
                b = e + 1;
            }
        }
        s->ws.async_accept(c->req, [this, s](boost::system::error_code ec) {
            if (ec) return;
            ++stats_.connections;
            if (!s->streams.empty()) begin_streaming(s);
            read(s);
        });
    }

    void read(const std::shared_ptr<ws_session>& s) {
        s->ws.async_read(s->in, [this, s](boost::system::error_code ec, std::size_t) {
            if (ec) {
                s->dead = true;
                s->timer.cancel();
                return;
            }
            const std::string msg = boost::beast::buffers_to_string(s->in.data());
            s->in.consume(s->in.size());
            on_client_message(s, msg);
            read(s);
        });
    }

    void on_client_message(const std::shared_ptr<ws_session>& s, const std::string& msg) {
        const bool binance = cap_.exchange == exchange_kind::binance || cap_.exchange == exchange_kind::binance_usdm;
        if (binance) {
            const nlohmann::json j = nlohmann::json::parse(msg, nullptr, false);
            if (!j.is_object() || !j.contains("method") || !j["method"].is_string()) return;
            const std::string method = j["method"].get<std::string>();
            if (j.contains("params") && j["params"].is_array()) {
                for (const auto& p : j["params"]) {
                    if (!p.is_string()) continue;
                    if (method == "SUBSCRIBE") s->streams.insert(p.get<std::string>());
                    else if (method == "UNSUBSCRIBE") s->streams.erase(p.get<std::string>());
                }
            }
            nlohmann::json reply;
            reply["result"] = nullptr;
            reply["id"] = j.contains("id") ? j["id"] : nlohmann::json(nullptr);
            send_reply(s, reply.dump());
            if (method == "SUBSCRIBE") begin_streaming(s);
            return;
        }
        for (std::size_t i = 0; i < cap_.symbols.size() && i < 64; ++i)
            if (detail::names_symbol(msg, cap_.symbols[i])) s->subscribed |= std::uint64_t{1} << i;
        if (msg.find("subscribe") != std::string::npos && msg.find("unsubscribe") == std::string::npos) begin_streaming(s);
    }

    // Control replies (subscription results) share the write path with the stream.
    void send_reply(const std::shared_ptr<ws_session>& s, std::string text) {
        s->replies.push_back(std::move(text));
        if (!s->started) flush_replies(s);
    }
    void flush_replies(const std::shared_ptr<ws_session>& s) {
        if (s->writing || s->replies.empty() || s->dead) return;
        s->writing = true;
        s->ws.text(true);
        s->ws.async_write(boost::asio::buffer(s->replies.front()), [this, s](boost::system::error_code ec, std::size_t) {
            s->writing = false;
            s->replies.pop_front();
            if (ec) { s->dead = true; return; }
            if (s->started) next(s);
            else flush_replies(s);
        });
    }

    void begin_streaming(const std::shared_ptr<ws_session>& s) {
        s->subscribed_any = true;
        if (s->streaming) return;
        s->streaming = true;
        s->generation = ++generation_;  // the newest subscriber owns the timeline
        // Clients send one subscribe per channel (Bitstamp, Coinbase): let them all arrive
        // before the stream starts, so the first messages are not filtered out.
        s->timer.expires_after(std::chrono::milliseconds(100));
        s->timer.async_wait([this, s](boost::system::error_code ec) {
            if (ec) return;
            if (pace_origin_ns_ == 0) pace_start_ = std::chrono::steady_clock::now();
            s->started = true;
            if (!s->writing) next(s);
        });
    }

    bool wanted(const ws_session& s, const capture_record& r) const noexcept {
        if (cap_.exchange == exchange_kind::binance || cap_.exchange == exchange_kind::binance_usdm)
            return r.stream.empty() ? !s.streams.empty() : s.streams.count(r.stream) != 0;
        return r.symbols == 0 || (r.symbols & s.subscribed) != 0;
    }

    // Feeds the server's own book (the exchange's truth) with record i.
    void advance_truth(const capture_record& r) {
        if (!truth_) return;
        if (r.index == 0) (void)truth_->on_snapshot(r.snapshot_symbol, r.text);
        else (void)truth_->on_message(r.text);
    }

    // Sends the next due record of the timeline (or replies first), pacing and injecting faults.
    void next(const std::shared_ptr<ws_session>& s) {
        if (s->dead || !s->started || s->generation != generation_) return;
        if (!s->replies.empty()) return flush_replies(s);
        const server_faults& f = opt_.faults;
        while (cursor_ < cap_.records.size()) {
            const capture_record& r = cap_.records[cursor_];
            if (r.index == 0) {  // a REST record: the exchange's book moves on, nothing is sent
                advance_truth(r);
                ++cursor_;
                continue;
            }
            // Pace.
            if (opt_.speed > 0 && r.ts_ns > 0) {
                if (pace_origin_ns_ == 0) pace_origin_ns_ = r.ts_ns;
                const double wait = static_cast<double>(r.ts_ns - pace_origin_ns_) / opt_.speed;
                const auto due = pace_start_ + std::chrono::nanoseconds(static_cast<std::int64_t>(wait));
                if (due > std::chrono::steady_clock::now() + std::chrono::microseconds(100)) {
                    s->timer.expires_at(due);
                    s->timer.async_wait([this, s](boost::system::error_code ec) { if (!ec) next(s); });
                    return;
                }
            }
            if (!stalled_ && !f.stall.empty()) {
                for (const auto& [k, ms] : f.stall) {
                    if (k != r.index) continue;
                    stalled_ = true;
                    ++stats_.faults;
                    s->timer.expires_after(std::chrono::milliseconds(ms));
                    s->timer.async_wait([this, s](boost::system::error_code ec) { if (!ec) next(s); });
                    return;
                }
            }
            stalled_ = false;
            // Garbage before K.
            if (f.garbage.count(r.index) != 0 && garbage_done_.count(r.index) == 0) {
                garbage_done_.insert(r.index);
                ++stats_.faults;
                return write(s, garbage_text(), false, false);
            }
            // Swap: K+1 (the next WebSocket record) goes first.
            if (f.swap.count(r.index) != 0 && swap_done_.count(r.index) == 0) {
                std::size_t j = cursor_ + 1;
                while (j < cap_.records.size() && cap_.records[j].index == 0) ++j;
                if (j < cap_.records.size()) {
                    swap_done_.insert(r.index);
                    ++stats_.faults;
                    for (std::size_t k = cursor_; k <= j; ++k) advance_truth(cap_.records[k]);
                    held_ = &cap_.records[cursor_];
                    cursor_ = j + 1;
                    const capture_record& nx = cap_.records[j];
                    if (wanted(*s, nx)) return write(s, nx.text, false);
                    ++stats_.filtered;
                    continue;
                }
            }
            if (held_ == nullptr) advance_truth(r);
            const capture_record* rec = held_ != nullptr ? held_ : &r;
            if (held_ != nullptr) held_ = nullptr;
            else ++cursor_;
            if (f.drop.count(rec->index) != 0) {
                ++stats_.faults;
                continue;
            }
            if (!wanted(*s, *rec)) {
                ++stats_.filtered;
                continue;
            }
            if (f.duplicate.count(rec->index) != 0) {
                ++stats_.faults;
                dup_pending_ = rec;
            }
            return write(s, rec->text, f.close_after.count(rec->index) != 0);
        }
        if (held_ != nullptr) {  // a swap at the very end: send the held one
            const capture_record* rec = held_;
            held_ = nullptr;
            if (wanted(*s, *rec)) return write(s, rec->text, false);
        }
        stats_.finished = true;
        if (opt_.close_at_end) return close(s);
        idle(s);
    }

    static const std::string& garbage_text() {
        static const std::string g = "garbage: this frame is not JSON";
        return g;
    }

    void write(const std::shared_ptr<ws_session>& s, const std::string& text, bool close_after, bool counted = true) {
        s->writing = true;
        s->ws.text(true);
        s->ws.async_write(boost::asio::buffer(text), [this, s, close_after, counted](boost::system::error_code ec, std::size_t) {
            s->writing = false;
            if (ec) { s->dead = true; return; }
            if (counted) ++stats_.sent;
            if (dup_pending_ != nullptr) {
                const capture_record* d = dup_pending_;
                dup_pending_ = nullptr;
                return write(s, d->text, close_after);
            }
            if (close_after) {
                ++stats_.faults;
                return close(s);
            }
            next(s);
        });
    }

    void close(const std::shared_ptr<ws_session>& s) {
        s->streaming = false;
        s->ws.async_close(boost::beast::websocket::close_code::normal, [s](boost::system::error_code) { s->dead = true; });
    }

    void idle(const std::shared_ptr<ws_session>& s) {
        s->timer.expires_after(std::chrono::seconds(1));
        s->timer.async_wait([this, s](boost::system::error_code ec) {
            if (ec || s->dead) return;
            s->ws.async_ping({}, [this, s](boost::system::error_code e) {
                if (e) { s->dead = true; return; }
                idle(s);
            });
        });
    }

    loaded_capture cap_;
    server_options opt_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    server_stats stats_;
    std::unique_ptr<binance_decoder> truth_;
    std::size_t cursor_ = 0;
    std::uint64_t generation_ = 0;
    std::int64_t pace_origin_ns_ = 0;
    std::chrono::steady_clock::time_point pace_start_{};
    bool stalled_ = false;
    bool snapshot_error_sent_ = false;
    const capture_record* held_ = nullptr;
    const capture_record* dup_pending_ = nullptr;
    std::set<std::uint64_t> garbage_done_;
    std::set<std::uint64_t> swap_done_;
    std::set<std::string> served_symbols_;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
