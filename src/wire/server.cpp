// pinnacle_wire, server side: the exchange replay server (Beast WebSocket and HTTP on one port).
// The one translation unit that instantiates Beast's server templates: programs and tests include
// the declaring header only (compile time: docs/wire.md).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
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
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/kraken.hpp"
#include "pinnacle/connect/replay.hpp"
#include "pinnacle/connect/wire/replay_server.hpp"
#include "pinnacle/connect/wire/url.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

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
    if (t.find('.') == std::string_view::npos && t.size() >= 16) {  // integer nanoseconds (19 digits today)
        // Every digit counts (reading 18 of 19 made the pace ten times too fast); more than 19
        // digits, or past INT64_MAX, is no time: 0.
        if (t.size() > 19) return 0;
        std::uint64_t v = 0;
        for (const char c : t) v = v * 10 + static_cast<std::uint64_t>(c - '0');
        return v > static_cast<std::uint64_t>(INT64_MAX) ? 0 : static_cast<std::int64_t>(v);
    }
    std::int64_t ns = 0;
    return seconds_text_to_ns(t, ns) ? ns : 0;
}
// The path of a URL or request target: no scheme, host, query or trailing slash ("/" stays).
inline std::string url_path(std::string_view u) {
    if (const std::size_t s = u.find("://"); s != std::string_view::npos) {
        const std::size_t p = u.find('/', s + 3);
        u = p == std::string_view::npos ? std::string_view("/") : u.substr(p);
    }
    u = u.substr(0, u.find_first_of("?#"));
    while (u.size() > 1 && u.back() == '/') u.remove_suffix(1);
    return std::string(u);
}
// The string after `key` (e.g. "\"s\":\"") up to the next quote; empty when absent.
inline std::string json_string(std::string_view text, std::string_view key) {
    const std::size_t p = text.find(key);
    if (p == std::string_view::npos) return {};
    const std::size_t b = p + key.size();
    const std::size_t e = text.find('"', b);
    return e == std::string_view::npos ? std::string() : std::string(text.substr(b, e - b));
}
// The unsigned integer after `key` (e.g. "\"U\":"); 0 when absent (at most 19 digits read).
inline std::uint64_t json_u64(std::string_view text, std::string_view key) noexcept {
    const std::size_t p = text.find(key);
    if (p == std::string_view::npos) return 0;
    std::uint64_t v = 0;
    for (std::size_t k = p + key.size(), n = 0; k < text.size() && n < 19 && text[k] >= '0' && text[k] <= '9'; ++k, ++n)
        v = v * 10 + static_cast<std::uint64_t>(text[k] - '0');
    return v;
}
} // namespace detail

loaded_capture load_capture(const std::string& path, exchange_kind forced) {
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
    c.offline->set_reference_tap([&](std::string_view url, std::string_view body) {
        c.reference.push_back(reference_record{detail::url_path(url), std::string(body)});
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

struct replay_server::impl {
    impl(loaded_capture cap, server_options opt) : cap_(std::move(cap)), opt_(std::move(opt)), acceptor_(io_) {
        if (cap_.exchange == exchange_kind::binance || cap_.exchange == exchange_kind::binance_usdm) {
            const binance_market m = cap_.exchange == exchange_kind::binance ? binance_market::spot : binance_market::usdm;
            truth_ = std::make_unique<binance_decoder>(m);
            lag_ = std::make_unique<binance_decoder>(m);
        } else if (cap_.exchange == exchange_kind::bitstamp) {
            bitstamp_truth_ = std::make_unique<bitstamp_decoder>();
        } else if (cap_.exchange == exchange_kind::kraken) {
            kraken_truth_ = std::make_unique<kraken_decoder>();
        } else if (cap_.exchange == exchange_kind::coinbase) {
            cb_truth_ = std::make_unique<coinbase_advanced_decoder>();
        } else if (cap_.exchange == exchange_kind::coinbase_exchange) {
            cbx_truth_ = std::make_unique<coinbase_exchange_decoder>();
        }
        for (decoder_core* d : {static_cast<decoder_core*>(truth_.get()), static_cast<decoder_core*>(lag_.get()),
                                static_cast<decoder_core*>(bitstamp_truth_.get()), static_cast<decoder_core*>(kraken_truth_.get()),
                                static_cast<decoder_core*>(cb_truth_.get()), static_cast<decoder_core*>(cbx_truth_.get())}) {
            if (d == nullptr) continue;
            d->allow_fallback(default_crypto_spec());
            for (const auto& li : cap_.offline->symbols()) d->set_instrument(li.name, li.spec);
        }
    }
    ~impl() { stop(); }

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

    // REST: a recorded snapshot the first time per symbol, the exchange's current book afterwards.
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
        const reference_record* ref = nullptr;
        if (sym.empty()) {
            const std::string path = detail::url_path(target);
            for (const auto& r : cap_.reference)
                if (r.path == path) ref = &r;  // the last one recorded: the newest list
        }
        if (ref != nullptr) {
            c->res.result(http::status::ok);
            c->res.body() = ref->body;
            ++stats_.reference;
        } else if (sym.empty()) {
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
            if (served_symbols_.count(sym) != 0) fresh = current_snapshot(sym);
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
        if (ref == nullptr) ++(c->res.result() == http::status::ok ? stats_.snapshots : stats_.snapshot_errors);
        c->res.prepare_payload();
        http::async_write(c->stream, c->res, [c](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

    // The side's levels as [["price","size"],..] (exact decimal texts of the grids).
    static nlohmann::ordered_json levels_json(const symbol_book& b, side sd) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (std::size_t k = 0; k < b.book.depth(sd); ++k) {
            const level_info l = b.book.level(sd, k);
            out.push_back({grid_text(b.spec.tick, l.px.ticks()), grid_text(b.spec.lot, l.size.lots())});
        }
        return out;
    }

    // The exchange's book of `sym` as its REST endpoint answers it; empty when it has none live.
    // Binance: {"lastUpdateId":N,"bids":..,"asks":..} from the book one depth update behind (see
    // the file comment); Bitstamp: {"timestamp","microtimestamp","bids","asks"}.
    std::string current_snapshot(const std::string& sym) const {
        nlohmann::ordered_json j;
        if (bitstamp_truth_) {
            const std::uint32_t i = bitstamp_truth_->find(sym);
            if (i == no_symbol || bitstamp_truth_->symbol(i).state != book_state::live) return {};
            const symbol_book& b = bitstamp_truth_->symbol(i);
            j["timestamp"] = std::to_string(b.last_id / 1'000'000);
            j["microtimestamp"] = std::to_string(b.last_id);
            j["bids"] = levels_json(b, side::buy);
            j["asks"] = levels_json(b, side::sell);
            return j.dump();
        }
        if (!truth_) return {};
        const std::uint32_t i = lag_->find(sym);
        const auto pending = lag_pending_.find(sym);
        const symbol_book* b = nullptr;
        std::uint64_t id = 0;
        if (i != no_symbol && lag_->symbol(i).state == book_state::live && pending != lag_pending_.end()) {
            b = &lag_->symbol(i);
            // Spot: the last applied u (the pending update starts at u+1). USD-M: the pending
            // update's U, so that update is the first applied (U <= id <= u).
            id = cap_.exchange == exchange_kind::binance_usdm ? detail::json_u64(pending->second->text, "\"U\":") : b->last_id;
        } else if (const std::uint32_t t = truth_->find(sym); t != no_symbol && truth_->symbol(t).state == book_state::live) {
            b = &truth_->symbol(t);
            id = b->last_id;
        }
        if (b == nullptr || id == 0) return {};
        j["lastUpdateId"] = id;
        j["bids"] = levels_json(*b, side::buy);
        j["asks"] = levels_json(*b, side::sell);
        return j.dump();
    }

    struct ws_session : std::enable_shared_from_this<ws_session> {
        ws_session(impl* s, tcp::socket sock) : srv(s), ws(std::move(sock)), timer(ws.get_executor()) {}
        impl* srv;
        ws_stream ws;
        boost::asio::steady_timer timer;
        boost::beast::flat_buffer in;
        std::set<std::string> streams;  // Binance
        std::uint64_t subscribed = 0;   // symbol bits (others)
        bool subscribed_any = false;
        bool streaming = false;
        bool started = false;  // the settle delay after the first subscribe is over
        bool at_end = false;   // the timeline ended on this session: it only pings now
        bool resubscribed = false;  // another connection subscribed before this one
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
        if (msg.find("subscribe") != std::string::npos && msg.find("unsubscribe") == std::string::npos) {
            begin_streaming(s);
            // Bitstamp confirms each subscription ("bts:subscription_succeeded"), and the client
            // fetches the REST book once a diff channel is confirmed. The first connection gets
            // the recorded confirmations; a later one gets its own, as the exchange would send.
            // A subscription that arrives once the stream runs (a slow client sends its many
            // subscribe messages over more than the start delay) gets its own too: the recorded
            // one may already be past, or was filtered out before the channel was subscribed.
            if (bitstamp_truth_ && (s->resubscribed || s->started)) {
                const nlohmann::json j = nlohmann::json::parse(msg, nullptr, false);
                if (j.is_object() && j.value("event", "") == "bts:subscribe" && j.contains("data") && j["data"].is_object() &&
                    j["data"].contains("channel") && j["data"]["channel"].is_string()) {
                    nlohmann::ordered_json ack;
                    ack["event"] = "bts:subscription_succeeded";
                    ack["channel"] = j["data"]["channel"].get<std::string>();
                    ack["data"] = nlohmann::ordered_json::object();
                    send_reply(s, ack.dump());
                }
            }
        }
    }

    // Control replies (subscription results) share the write path with the stream: a write in
    // flight, or the next record's, sends them first; before the stream starts, and once the
    // timeline has ended (only pings go out then), they are written now.
    void send_reply(const std::shared_ptr<ws_session>& s, std::string text) {
        s->replies.push_back(std::move(text));
        if (!s->started || s->at_end) flush_replies(s);
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
        const bool resubscribe = generation_ > 0;
        s->resubscribed = resubscribe;
        s->generation = ++generation_;  // the newest subscriber owns the timeline
        // Clients send one subscribe per channel (Bitstamp, Coinbase): let them all arrive
        // before the stream starts, so the first messages are not filtered out.
        s->timer.expires_after(std::chrono::milliseconds(100));
        s->timer.async_wait([this, s, resubscribe](boost::system::error_code ec) {
            if (ec) return;
            if (pace_origin_ns_ == 0) pace_start_ = std::chrono::steady_clock::now();
            s->started = true;
            // A (re)subscription after the first: the exchange answers with a snapshot of its
            // current book on the stream (Kraken, Coinbase), then the stream goes on.
            if (resubscribe)
                for (auto& text : stream_snapshots(*s)) {
                    ++stats_.stream_snapshots;
                    s->replies.push_back(std::move(text));
                }
            if (!s->writing) next(s);
        });
    }

    bool wanted(const ws_session& s, const capture_record& r) const noexcept {
        if (cap_.exchange == exchange_kind::binance || cap_.exchange == exchange_kind::binance_usdm)
            return r.stream.empty() ? !s.streams.empty() : s.streams.count(r.stream) != 0;
        return r.symbols == 0 || (r.symbols & s.subscribed) != 0;
    }

    // Feeds the server's own book (the exchange's truth) with record `r`. Binance: the lagging
    // book gets every message but each symbol's latest depth update, held until the next one.
    void advance_truth(const capture_record& r) {
        if (kraken_truth_) {
            if (r.index != 0) {
                (void)kraken_truth_->on_message(r.text);
                note_kraken_format(r.text);
                if (r.ts_ns > 0) {
                    char t[32];
                    std::snprintf(t, sizeof t, "%lld.%06lld", static_cast<long long>(r.ts_ns / 1'000'000'000),
                                  static_cast<long long>(r.ts_ns % 1'000'000'000 / 1000));
                    last_time_text_ = t;
                }
            }
            return;
        }
        if (cb_truth_ || cbx_truth_) {
            if (r.index == 0) return;
            if (cb_truth_) {
                (void)cb_truth_->on_message(r.text, timestamp{}, 0);
                if (r.text.find("\"sequence_num\":") != std::string::npos) cb_seq_ = detail::json_u64(r.text, "\"sequence_num\":");
            } else {
                (void)cbx_truth_->on_message(r.text, timestamp{});
            }
            return;
        }
        if (bitstamp_truth_) {
            if (r.index == 0) (void)bitstamp_truth_->on_snapshot(r.snapshot_symbol, r.text);
            else (void)bitstamp_truth_->on_message(r.text);
            return;
        }
        if (!truth_) return;
        if (r.index == 0) {
            (void)truth_->on_snapshot(r.snapshot_symbol, r.text);
            (void)lag_->on_snapshot(r.snapshot_symbol, r.text);
            return;
        }
        (void)truth_->on_message(r.text);
        if (r.text.find("\"depthUpdate\"") == std::string::npos) return (void)lag_->on_message(r.text);
        const std::string sym = detail::json_string(r.text, "\"s\":\"");
        const capture_record*& held = lag_pending_[sym];
        if (held != nullptr) (void)lag_->on_message(held->text);
        held = &r;
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
        finished_.store(true, std::memory_order_release);
        s->at_end = true;
        if (opt_.close_at_end) return close(s);
        idle(s);
    }

    // Kraken: how the exchange writes a pair's book (v1: its channel id, channel name "book-N",
    // and the fixed decimals of every price and volume; v2: the symbol only), learned from the
    // recorded snapshots. The synthesised snapshots use the same text, so the client's CRC32
    // checksums (computed at those decimals) keep validating the updates that follow.
    struct kraken_format {
        bool v2 = false;
        nlohmann::ordered_json channel_id;
        std::string channel;
        unsigned px_decimals = 0, qty_decimals = 0;
    };
    static unsigned decimals_of(const std::string& t) {
        const std::size_t d = t.find('.');
        return d == std::string::npos ? 0U : static_cast<unsigned>(t.size() - d - 1);
    }
    void note_kraken_format(const std::string& text) {
        const bool v1 = text.find("\"as\":") != std::string::npos || text.find("\"bs\":") != std::string::npos;
        const bool v2 = text.find("\"snapshot\"") != std::string::npos && text.find("\"book\"") != std::string::npos;
        if (!v1 && !v2) return;
        const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
        if (v1 && j.is_array() && j.size() >= 4 && j[1].is_object() && j[2].is_string() && j[3].is_string()) {
            kraken_format f;
            f.channel_id = j[0];
            f.channel = j[2].get<std::string>();
            for (const char* k : {"as", "bs"}) {
                const auto it = j[1].find(k);
                if (it == j[1].end() || !it->is_array() || it->empty() || !(*it)[0].is_array() || (*it)[0].size() < 2) continue;
                if (!(*it)[0][0].is_string() || !(*it)[0][1].is_string()) continue;
                f.px_decimals = decimals_of((*it)[0][0].get<std::string>());
                f.qty_decimals = decimals_of((*it)[0][1].get<std::string>());
                break;
            }
            kraken_formats_[j[3].get<std::string>()] = f;
        } else if (v2 && j.is_object() && j.contains("data") && j["data"].is_array()) {
            for (const auto& d : j["data"])
                if (d.is_object() && d.contains("symbol") && d["symbol"].is_string()) kraken_formats_[d["symbol"].get<std::string>()].v2 = true;
        }
    }

    // `units` of grid `g` as decimal text with exactly `decimals` decimals (Kraken v1 prints
    // every price and volume of a pair so); the exact text when `decimals` would lose digits.
    static std::string fixed_text(const decimal_grid& g, std::int64_t units, unsigned decimals) {
        std::string t = grid_text(g, units);
        std::size_t dot = t.find('.');
        if (dot == std::string::npos) {
            if (decimals == 0) return t;
            t += '.';
            dot = t.size() - 1;
        }
        std::size_t have = t.size() - dot - 1;
        while (have > decimals && t.back() == '0') { t.pop_back(); --have; }
        while (have < decimals) { t += '0'; ++have; }
        if (decimals == 0 && t.back() == '.') t.pop_back();
        return t;
    }

    // The snapshot messages the exchange sends on a (re)subscription, one per subscribed symbol
    // whose book is live on the server, in the exchange's own format: Kraken v1
    // `[id,{"as":[[p,v,ts],..],"bs":..},"book-N","PAIR"]` (the recorded decimals), Kraken v2
    // `{"channel":"book","type":"snapshot","data":[{symbol,bids,asks,checksum}]}`; Coinbase Advanced
    // Trade one `l2_data` message with a `snapshot` event per product (its `sequence_num` the last
    // one the stream passed, so the recorded messages that follow continue the sequence); Coinbase
    // Exchange `{"type":"snapshot","product_id",bids,asks}`. Sources: Kraken WebSocket API v1
    // "Book" and v2 "Book"; Coinbase Advanced Trade WebSocket "Level2 channel"; Coinbase Exchange
    // WebSocket "The level2 channel".
    std::vector<std::string> stream_snapshots(const ws_session& s) const {
        std::vector<std::string> out;
        decoder_core* d = kraken_truth_ ? static_cast<decoder_core*>(kraken_truth_.get())
                        : cb_truth_    ? static_cast<decoder_core*>(cb_truth_.get())
                                       : static_cast<decoder_core*>(cbx_truth_.get());
        if (d == nullptr) return out;
        nlohmann::ordered_json cb_events = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < cap_.symbols.size() && i < 64; ++i) {
            if ((s.subscribed & (std::uint64_t{1} << i)) == 0) continue;
            const std::string& name = cap_.symbols[i];
            const std::uint32_t k = d->find(name);
            if (k == no_symbol || d->symbol(k).state != book_state::live) continue;
            const symbol_book& b = d->symbol(k);
            if (kraken_truth_) {
                const auto f = kraken_formats_.find(name);
                if (f == kraken_formats_.end()) continue;
                if (f->second.v2) {
                    nlohmann::ordered_json item;
                    item["symbol"] = name;
                    for (const side sd : {side::buy, side::sell}) {
                        nlohmann::ordered_json lv = nlohmann::ordered_json::array();
                        for (std::size_t n = 0; n < b.book.depth(sd); ++n) {
                            const level_info l = b.book.level(sd, n);
                            lv.push_back({{"price", nlohmann::ordered_json::parse(grid_text(b.spec.tick, l.px.ticks()))},
                                          {"qty", nlohmann::ordered_json::parse(grid_text(b.spec.lot, l.size.lots()))}});
                        }
                        item[sd == side::buy ? "bids" : "asks"] = lv;
                    }
                    std::uint32_t crc = 0;
                    (void)kraken_checksum(b.book, b.spec, b.spec.tick.step.scale, b.spec.lot.step.scale, crc);
                    item["checksum"] = crc;
                    nlohmann::ordered_json j;
                    j["channel"] = "book";
                    j["type"] = "snapshot";
                    j["data"] = nlohmann::ordered_json::array({item});
                    out.push_back(j.dump());
                    continue;
                }
                nlohmann::ordered_json book;
                for (const side sd : {side::sell, side::buy}) {
                    nlohmann::ordered_json lv = nlohmann::ordered_json::array();
                    for (std::size_t n = 0; n < b.book.depth(sd); ++n) {
                        const level_info l = b.book.level(sd, n);
                        lv.push_back({fixed_text(b.spec.tick, l.px.ticks(), f->second.px_decimals),
                                      fixed_text(b.spec.lot, l.size.lots(), f->second.qty_decimals), last_time_text_});
                    }
                    book[sd == side::sell ? "as" : "bs"] = lv;
                }
                nlohmann::ordered_json j = nlohmann::ordered_json::array();
                j.push_back(f->second.channel_id);
                j.push_back(book);
                j.push_back(f->second.channel);
                j.push_back(name);
                out.push_back(j.dump());
            } else if (cb_truth_) {
                nlohmann::ordered_json ev;
                ev["type"] = "snapshot";
                ev["product_id"] = name;
                nlohmann::ordered_json ups = nlohmann::ordered_json::array();
                for (const side sd : {side::buy, side::sell}) {
                    for (std::size_t n = 0; n < b.book.depth(sd); ++n) {
                        const level_info l = b.book.level(sd, n);
                        nlohmann::ordered_json u;
                        u["side"] = sd == side::buy ? "bid" : "offer";
                        u["price_level"] = grid_text(b.spec.tick, l.px.ticks());
                        u["new_quantity"] = grid_text(b.spec.lot, l.size.lots());
                        ups.push_back(std::move(u));
                    }
                }
                ev["updates"] = std::move(ups);
                cb_events.push_back(std::move(ev));
            } else {
                nlohmann::ordered_json j;
                j["type"] = "snapshot";
                j["product_id"] = name;
                j["bids"] = levels_json(b, side::buy);
                j["asks"] = levels_json(b, side::sell);
                out.push_back(j.dump());
            }
        }
        if (cb_truth_ && !cb_events.empty()) {
            nlohmann::ordered_json j;
            j["channel"] = "l2_data";
            j["client_id"] = "";
            j["sequence_num"] = cb_seq_;
            j["events"] = std::move(cb_events);
            out.push_back(j.dump());
        }
        return out;
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
    std::atomic<bool> finished_{false};  // stats_.finished, readable from any thread
    std::unique_ptr<binance_decoder> truth_;          // Binance: the exchange's book, every message passed
    std::unique_ptr<binance_decoder> lag_;            // ... all but each symbol's latest depth update
    std::map<std::string, const capture_record*> lag_pending_;  // that latest update, by symbol
    std::unique_ptr<bitstamp_decoder> bitstamp_truth_; // Bitstamp: the exchange's book
    std::unique_ptr<kraken_decoder> kraken_truth_;     // Kraken: the exchange's book (stream snapshots)
    std::unique_ptr<coinbase_advanced_decoder> cb_truth_;  // Coinbase Advanced Trade: same
    std::unique_ptr<coinbase_exchange_decoder> cbx_truth_; // Coinbase Exchange: same
    std::map<std::string, kraken_format> kraken_formats_;  // Kraken: by pair
    std::uint64_t cb_seq_ = 0;                         // Coinbase Advanced: last sequence_num passed
    std::string last_time_text_ = "0.000000";          // Kraken v1 level time: the last record's (s)
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

replay_server::replay_server(loaded_capture cap, server_options opt) : p_(std::make_unique<impl>(std::move(cap), std::move(opt))) {}
replay_server::~replay_server() = default;
std::uint16_t replay_server::start() { return p_->start(); }
std::uint16_t replay_server::port() const noexcept { return p_->port(); }
void replay_server::stop() { p_->stop(); }
const server_stats& replay_server::stats() const noexcept { return p_->stats(); }
bool replay_server::finished() const noexcept { return p_->finished_.load(std::memory_order_acquire); }
const loaded_capture& replay_server::capture() const noexcept { return p_->capture(); }

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
