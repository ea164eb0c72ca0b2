#pragma once
/// @file connect/replay.hpp
/// Replays a recorded capture through the right decoder: reads the three recorded formats
/// (hftbacktest collector lines `<ns> <json>`, cryptofeed v3 JSONL records, cryptofeed v2 raw
/// `<ts>: <json>`), infers the exchange when it can, routes WebSocket messages and REST
/// snapshots / reference data, and sums every decoder's counters.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/feed.hpp"
#include "pinnacle/connect/instruments.hpp"
#include "pinnacle/connect/json.hpp"
#include "pinnacle/connect/kraken.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// The venues (and protocol flavours) a capture can hold.
enum class exchange_kind : std::uint8_t {
    unknown = 0,       ///< Not decided yet.
    binance,           ///< Binance spot (U/u chain).
    binance_usdm,      ///< Binance USD-M futures (pu chain).
    kraken,            ///< Kraken WebSocket v1 / v2.
    coinbase,          ///< Coinbase Advanced Trade.
    coinbase_exchange, ///< Coinbase Exchange (legacy Pro ws-feed).
    bitstamp,          ///< Bitstamp WebSocket v2.
};

/// Stable name of an exchange_kind (the --exchange spelling).
[[nodiscard]] constexpr std::string_view to_string(exchange_kind k) noexcept {
    switch (k) {
        case exchange_kind::unknown: return "unknown";
        case exchange_kind::binance: return "binance";
        case exchange_kind::binance_usdm: return "binance-usdm";
        case exchange_kind::kraken: return "kraken";
        case exchange_kind::coinbase: return "coinbase";
        case exchange_kind::coinbase_exchange: return "coinbase-exchange";
        case exchange_kind::bitstamp: return "bitstamp";
    }
    return "unknown";
}

/// The exchange_kind spelled `s`, or nullopt.
[[nodiscard]] inline std::optional<exchange_kind> exchange_from_name(std::string_view s) noexcept {
    for (const auto k : {exchange_kind::binance, exchange_kind::binance_usdm, exchange_kind::kraken, exchange_kind::coinbase,
                         exchange_kind::coinbase_exchange, exchange_kind::bitstamp}) {
        if (to_string(k) == s) return k;
    }
    return std::nullopt;
}

/// Nanoseconds from decimal seconds text ("1626992741.06217"), exactly; false if not that shape.
[[nodiscard]] inline bool seconds_text_to_ns(std::string_view s, std::int64_t& out) noexcept {
    decimal d;
    std::uint64_t ns = 0;
    if (parse_decimal(s, d) != decimal_error::ok || d.digits > (1ull << 62)) return false;
    if (d.scale > 9) {  // sub-ns digits: drop them (a receive time, not a price)
        std::uint64_t v = d.digits;
        for (unsigned k = d.scale; k > 9; --k) v /= 10;
        d = decimal{v, 9};
    }
    if (!grid_of_decimals(d.scale).scaled(static_cast<std::int64_t>(d.digits), 9, ns) || ns > (1ull << 62)) return false;
    out = static_cast<std::int64_t>(ns);
    return true;
}

/// Feeds a capture, line by line, to the decoder of its exchange. Thread-safety: one thread.
///
/// Errors about the file itself (a line in no known format, an exchange that cannot be told,
/// a REST snapshot whose symbol is unknown) throw std::runtime_error with the line number;
/// everything a decoder refuses is counted and its first reasons kept in notes().
class capture_replay {
public:
    /// Most notes kept (the rest are only counted).
    static constexpr std::size_t max_notes = 20;

    /// A replay for `forced` (unknown: infer it), counting only `symbol` when not empty.
    explicit capture_replay(exchange_kind forced = exchange_kind::unknown, std::string symbol = {})
        : kind_(forced), symbol_(std::move(symbol)) {}

    /// Processes line `line_no` of the capture.
    void on_line(std::string_view line, std::size_t line_no) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) return;
        line_no_ = line_no;
        if (line.front() == '{') return on_v3(line);
        // hftbacktest: "<ns> <json>"; cryptofeed v2 raw: "<s.frac>: <json>" or "<addr> <- ..." / "<addr> <-> ...".
        std::size_t k = 0;
        while (k < line.size() && ((line[k] >= '0' && line[k] <= '9') || line[k] == '.')) ++k;
        if (k > 0 && k + 1 < line.size() && line[k] == ' ' && line[k + 1] == '{') {
            std::int64_t ns = 0;
            (void)seconds_text_to_ns(line.substr(0, k), ns);
            return on_ws_or_snapshot_line(line.substr(k + 1), timestamp{ns}, true);
        }
        if (k > 0 && k + 2 < line.size() && line[k] == ':' && line[k + 1] == ' ') {
            std::int64_t ns = 0;
            (void)seconds_text_to_ns(line.substr(0, k), ns);
            return on_ws_or_snapshot_line(line.substr(k + 2), timestamp{ns}, false);
        }
        if (line.find("://") != std::string_view::npos) {  // v2 raw control line: address, direction, time
            const std::string_view addr = line.substr(0, line.find(' '));
            if (line.find(" <-> ") != std::string_view::npos) infer_from_address(addr);
            return;  // "<-": what we sent (subscriptions)
        }
        throw std::runtime_error("line " + std::to_string(line_no) + ": not a known capture format (hftbacktest, cryptofeed v2 or v3)");
    }

    /// What the replay hands to a decoder: a WebSocket message (`snapshot_symbol` empty) or a REST
    /// snapshot body for `snapshot_symbol`, with its connection index.
    using tap_fn = std::function<void(std::string_view msg, std::string_view snapshot_symbol, std::size_t conn)>;
    /// Calls `f` with every message before it is decoded (benchmarks record the stream with it).
    void set_tap(tap_fn f) { tap_ = std::move(f); }
    /// Receives a REST reference body (exchangeInfo, products, AssetPairs, trading-pairs-info) with
    /// the URL it was fetched from, byte for byte.
    using reference_tap_fn = std::function<void(std::string_view url, std::string_view body)>;
    /// Calls `f` with every reference body the capture holds that lists at least one instrument
    /// (the replay server answers the same endpoint with it).
    void set_reference_tap(reference_tap_fn f) { reference_tap_ = std::move(f); }

    /// The exchange (unknown until decided).
    [[nodiscard]] exchange_kind exchange() const noexcept { return kind_; }
    /// Counters summed over symbols (only the --symbol one when given).
    [[nodiscard]] feed_counters totals() const noexcept {
        const decoder_core* d = core();
        if (d == nullptr) return feed_counters{};
        if (symbol_.empty()) return d->totals();
        const std::uint32_t i = d->find(symbol_);
        return i == no_symbol ? feed_counters{} : d->symbol(i).counters;
    }
    /// Every symbol's book and counters (empty before the decoder exists).
    [[nodiscard]] std::span<const symbol_book> symbols() const noexcept {
        const decoder_core* d = core();
        return d == nullptr ? std::span<const symbol_book>{} : d->symbols();
    }
    /// The first decoder reasons (rejections, gaps, checksum failures), "line N: reason".
    [[nodiscard]] const std::vector<std::string>& notes() const noexcept { return notes_; }
    /// Reasons seen in total, kept or not.
    [[nodiscard]] std::size_t note_count() const noexcept { return note_count_; }
    /// True when reference data gave the instruments (else the 10^-8 fallback grid was used).
    [[nodiscard]] bool listed_instruments() const noexcept { return !listed_.empty(); }

private:
    decoder_core* core() const noexcept {
        if (binance_) return binance_.get();
        if (kraken_) return kraken_.get();
        if (cb_) return cb_.get();
        if (cbx_) return cbx_.get();
        if (bitstamp_) return bitstamp_.get();
        return nullptr;
    }

    void infer_from_address(std::string_view addr) {
        if (kind_ != exchange_kind::unknown) return;
        if (addr.find("advanced-trade") != std::string_view::npos) kind_ = exchange_kind::coinbase;
        else if (addr.find("ws-feed") != std::string_view::npos) kind_ = exchange_kind::coinbase_exchange;
        else if (addr.find("kraken") != std::string_view::npos) kind_ = exchange_kind::kraken;
        else if (addr.find("bitstamp") != std::string_view::npos) kind_ = exchange_kind::bitstamp;
        else if (addr.find("fstream.binance") != std::string_view::npos || addr.find("dstream.binance") != std::string_view::npos) kind_ = exchange_kind::binance_usdm;
        else if (addr.find("binance") != std::string_view::npos) kind_ = exchange_kind::binance;
    }

    void infer_from_message(std::string_view msg) {
        if (kind_ != exchange_kind::unknown || msg.empty()) return;
        if (msg.find("\"stream\"") != std::string_view::npos || msg.find("\"depthUpdate\"") != std::string_view::npos ||
            msg.find("\"lastUpdateId\"") != std::string_view::npos)
            kind_ = msg.find("\"pu\"") != std::string_view::npos ? exchange_kind::binance_usdm : exchange_kind::binance;
        else if (msg.find("\"l2_data\"") != std::string_view::npos || msg.find("\"sequence_num\"") != std::string_view::npos) kind_ = exchange_kind::coinbase;
        else if (msg.find("\"l2update\"") != std::string_view::npos || msg.find("\"type\":\"snapshot\"") != std::string_view::npos) kind_ = exchange_kind::coinbase_exchange;
        else if (msg.find("\"bts:") != std::string_view::npos || msg.find("diff_order_book_") != std::string_view::npos) kind_ = exchange_kind::bitstamp;
        else if (msg.front() == '[' || msg.find("\"channelID\"") != std::string_view::npos || msg.find("\"systemStatus\"") != std::string_view::npos) kind_ = exchange_kind::kraken;
    }

    // Creates the decoder once the exchange is known; registers the listed instruments.
    void ensure_decoder() {
        if (core() != nullptr) return;
        switch (kind_) {
            case exchange_kind::binance: binance_ = std::make_unique<binance_decoder>(binance_market::spot); break;
            case exchange_kind::binance_usdm: binance_ = std::make_unique<binance_decoder>(binance_market::usdm); break;
            case exchange_kind::kraken: kraken_ = std::make_unique<kraken_decoder>(); break;
            case exchange_kind::coinbase: cb_ = std::make_unique<coinbase_advanced_decoder>(); break;
            case exchange_kind::coinbase_exchange: cbx_ = std::make_unique<coinbase_exchange_decoder>(); break;
            case exchange_kind::bitstamp: bitstamp_ = std::make_unique<bitstamp_decoder>(); break;
            case exchange_kind::unknown:
                throw std::runtime_error("line " + std::to_string(line_no_) + ": cannot tell the exchange; pass --exchange");
        }
        decoder_core* d = core();
        for (const auto& li : listed_) d->set_instrument(li.symbol, li.spec);
        if (listed_.empty()) d->allow_fallback(default_crypto_spec());
    }

    void note(const feed_result& r) {
        if (r.reason.empty()) return;
        if (r.status == feed_status::ignored || r.status == feed_status::ok) return;
        ++note_count_;
        if (notes_.size() < max_notes) notes_.push_back("line " + std::to_string(line_no_) + ": " + std::string(to_string(r.status)) + ": " + std::string(r.reason));
    }

    void on_ws(std::string_view msg, timestamp ts, std::size_t conn) {
        infer_from_message(msg);
        ensure_decoder();
        if (tap_) tap_(msg, {}, conn);
        feed_result r;
        if (binance_) r = binance_->on_message(msg, ts);
        else if (kraken_) r = kraken_->on_message(msg, ts);
        else if (cb_) r = cb_->on_message(msg, ts, conn);
        else if (cbx_) r = cbx_->on_message(msg, ts);
        else r = bitstamp_->on_message(msg, ts);
        note(r);
    }

    // hftbacktest / v2 lines: a WebSocket message, or (hftbacktest) a REST depth snapshot.
    void on_ws_or_snapshot_line(std::string_view msg, timestamp ts, bool may_be_snapshot) {
        if (may_be_snapshot && msg.find("\"lastUpdateId\"") != std::string_view::npos && msg.find("\"stream\"") == std::string_view::npos) {
            infer_from_message(msg);
            ensure_decoder();
            if (!binance_) throw std::runtime_error("line " + std::to_string(line_no_) + ": a Binance depth snapshot in a non-Binance capture");
            std::string sym = symbol_;
            if (sym.empty()) {
                if (binance_->symbols().size() != 1)
                    throw std::runtime_error("line " + std::to_string(line_no_) + ": cannot tell which symbol this REST snapshot is for; pass --symbol");
                sym = binance_->symbols()[0].name;
            }
            if (tap_) tap_(msg, sym, 0);
            note(binance_->on_snapshot(sym, msg, ts));
            return;
        }
        on_ws(msg, ts, 0);
    }

    void on_v3(std::string_view line) {
        od::document doc;
        od::object root;
        if (rec_.start(line, doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
            throw std::runtime_error("line " + std::to_string(line_no_) + ": not a JSON object (cryptofeed v3 record expected)");
        std::string_view t, conn, url, addr, data, exch, ts_text;
        bool have_t = false;
        for (auto field : root) {
            std::string_view key;
            od::value v;
            if (!get_key(field, key) || field.value().get(v) != simdjson::SUCCESS)
                throw std::runtime_error("line " + std::to_string(line_no_) + ": malformed cryptofeed record");
            if (key == "t") have_t = get_str(v, t);
            else if (key == "conn") (void)get_str(v, conn);
            else if (key == "url") (void)get_str(v, url);
            else if (key == "addr") (void)get_str(v, addr);
            else if (key == "data") (void)get_str(v, data);
            else if (key == "exchange") (void)get_str(v, exch);
            else if (key == "ts") (void)get_decimal_text(v, ts_text);
        }
        if (!have_t) {  // a bare JSON message line (e.g. a file of raw messages)
            return on_ws_or_snapshot_line(line, timestamp{}, true);
        }
        std::int64_t ns = 0;
        (void)seconds_text_to_ns(ts_text, ns);
        const timestamp ts{ns};
        if (t == "header") {
            if (kind_ == exchange_kind::unknown) {
                if (exch == "BINANCE") kind_ = exchange_kind::binance;
                else if (exch == "BINANCE_FUTURES" || exch == "BINANCE_DELIVERY") kind_ = exchange_kind::binance_usdm;
                else if (exch == "KRAKEN") kind_ = exchange_kind::kraken;
                else if (exch == "BITSTAMP") kind_ = exchange_kind::bitstamp;
                // COINBASE: Advanced Trade or Exchange: decided by the connection address.
            }
            return;
        }
        if (t == "connect") return infer_from_address(addr);
        if (t == "http") return on_http(url, data, ts);
        if (t != "recv") return;  // "send": our subscriptions
        std::size_t c = 0;
        for (; c < conns_.size(); ++c) {
            if (conns_[c] == conn) break;
        }
        if (c == conns_.size()) conns_.emplace_back(conn);
        on_ws(data, ts, c);
    }

    void on_http(std::string_view url, std::string_view body, timestamp ts) {
        std::vector<listed_instrument> li;
        try {
            li = parse_reference_data(url, body);
        } catch (const std::exception& e) {
            throw std::runtime_error("line " + std::to_string(line_no_) + ": reference data from " + std::string(url) + ": " + e.what());
        }
        if (!li.empty()) {
            if (reference_tap_) reference_tap_(url, body);
            decoder_core* d = core();
            for (auto& x : li) {
                if (d != nullptr) d->set_instrument(x.symbol, x.spec);
                listed_.push_back(std::move(x));
            }
            return;
        }
        // Depth snapshots: Binance /depth?symbol=X, Bitstamp /order_book/<pair>.
        if (url.find("/depth") != std::string_view::npos && url.find("symbol=") != std::string_view::npos) {
            std::string_view sym = url.substr(url.find("symbol=") + 7);
            sym = sym.substr(0, sym.find('&'));
            if (kind_ == exchange_kind::unknown) kind_ = url.find("fapi") != std::string_view::npos ? exchange_kind::binance_usdm : exchange_kind::binance;
            ensure_decoder();
            if (tap_ && binance_) tap_(body, sym, 0);
            if (binance_) note(binance_->on_snapshot(sym, body, ts));
            return;
        }
        if (url.find("/order_book/") != std::string_view::npos) {
            std::string_view pair = url.substr(url.find("/order_book/") + 12);
            pair = pair.substr(0, pair.find_first_of("/?"));
            if (kind_ == exchange_kind::unknown) kind_ = exchange_kind::bitstamp;
            ensure_decoder();
            if (tap_ && bitstamp_) tap_(body, pair, 0);
            if (bitstamp_) note(bitstamp_->on_snapshot(pair, body, ts));
        }
    }

    exchange_kind kind_;
    std::string symbol_;
    std::size_t line_no_ = 0;
    json_reader rec_;
    std::vector<std::string> conns_;
    std::vector<listed_instrument> listed_;
    std::vector<std::string> notes_;
    std::size_t note_count_ = 0;
    std::unique_ptr<binance_decoder> binance_;
    std::unique_ptr<kraken_decoder> kraken_;
    std::unique_ptr<coinbase_advanced_decoder> cb_;
    std::unique_ptr<coinbase_exchange_decoder> cbx_;
    std::unique_ptr<bitstamp_decoder> bitstamp_;
    tap_fn tap_;
    reference_tap_fn reference_tap_;
};

} // namespace connect
} // namespace v0
} // namespace pinnacle
