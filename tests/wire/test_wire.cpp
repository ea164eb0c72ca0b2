// pinnacle::wire: the replay server and the live feed in one process over loopback, on every
// bundled capture; the live books must equal the ones capture_replay rebuilds offline, with and
// without injected faults. Bounded: every run stops once it has settled, or at a deadline.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "pinnacle/connect/wire/latency.hpp"
#include "pinnacle/connect/wire/live_feed.hpp"
#include "pinnacle/connect/wire/replay_server.hpp"
#include "pinnacle/connect/wire/url.hpp"
#include "pinnacle/connect/wire/ws_client.hpp"

using namespace pinnacle;
using namespace pinnacle::connect;
using namespace pinnacle::connect::wire;

namespace {

const std::string data_dir = PINNACLE_WIRE_TEST_DATA_DIR;

// A price or size as a normalised decimal ("61837.63"): grids differ between the offline replay
// (reference data) and the live feed (10^-8 fallback) but values must not.
std::string value_text(const decimal_grid& g, std::int64_t units) {
    std::string s = grid_text(g, units);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

// The top `n` levels of both sides as text, for comparing books across grids.
std::string book_text(const symbol_book& b, std::size_t n = 50) {
    std::string out;
    for (const side s : {side::buy, side::sell}) {
        out += s == side::buy ? "bids:" : " asks:";
        for (std::size_t k = 0; k < b.book.depth(s) && k < n; ++k) {
            const level_info l = b.book.level(s, k);
            out += " " + value_text(b.spec.tick, l.px.ticks()) + "x" + value_text(b.spec.lot, l.size.lots());
        }
    }
    return out;
}

struct run_result {
    live_counters counters;
    std::vector<std::string> live_books;    // per offline symbol, "" when the live feed has none
    std::vector<std::string> offline_books;
    std::vector<bool> live_state;
    server_stats server;
    std::uint64_t batches = 0;
};

// Serves `file` with `opt`, runs a live feed subscribed to every symbol of the capture (or
// `symbols`) until the run has settled, or 60 s. Settled means: the server's timeline passed the
// capture's last record, the connection is open, every subscribed book is live, and no frame
// arrived for 4 polls in a row. A quiet spell alone is not the end: on a loaded machine (CI runs
// two sanitized tests at once on 2 cores) the server thread or a snapshot fetch can pause longer
// than any fixed spell.
// `verify`: live_feed_options::verify_interval; `until`: also wait for this (bounded by the deadline).
run_result serve_and_follow(const std::string& file, server_options opt, std::vector<std::string> symbols = {},
                            std::chrono::milliseconds verify = std::chrono::milliseconds(0),
                            const std::function<bool(const live_counters&)>& until = {}) {
    loaded_capture cap = load_capture(data_dir + "/" + file);
    const exchange_kind k = cap.exchange;
    if (symbols.empty()) symbols = cap.symbols;
    run_result out;
    std::vector<std::string> names = cap.symbols;
    for (const auto& b : cap.offline->symbols()) out.offline_books.push_back(book_text(b));
    replay_server srv(std::move(cap), opt);
    const std::uint16_t port = srv.start();
    boost::asio::io_context io;
    live_feed_options fo;
    fo.exchange = k;
    fo.symbols = symbols;
    fo.endpoint = "ws://127.0.0.1:" + std::to_string(port) + "/stream";
    fo.rest = "http://127.0.0.1:" + std::to_string(port);
    fo.ws.backoff_initial = std::chrono::milliseconds(20);
    fo.ws.backoff_max = std::chrono::milliseconds(200);
    fo.snapshot_retry = std::chrono::milliseconds(20);
    fo.verify_interval = verify;
    live_feed feed(io, fo, [&](const feed_batch&) { ++out.batches; });
    feed.start();
    const auto all_live = [&] {
        for (const auto& n : names) {
            if (std::find(symbols.begin(), symbols.end(), n) == symbols.end()) continue;
            const std::uint32_t i = feed.decoder().find(n);
            if (i == no_symbol || feed.decoder().symbol(i).stale()) return false;
        }
        return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::uint64_t last = ~std::uint64_t{0};
    int quiet = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(50));
        io.poll();  // run_for returns without running anything when this thread was descheduled past its end
        const std::uint64_t now = feed.counters().frames;
        const bool settled = srv.finished() && feed.state() == ws_state::open && all_live() && (!until || until(feed.counters()));
        quiet = settled && now == last ? quiet + 1 : 0;
        last = now;
        if (quiet >= 4) break;
    }
    out.counters = feed.counters();
    for (const auto& n : names) {
        const std::uint32_t i = feed.decoder().find(n);
        out.live_books.push_back(i == no_symbol ? std::string() : book_text(feed.decoder().symbol(i)));
        out.live_state.push_back(i != no_symbol && !feed.decoder().symbol(i).stale());
    }
    feed.stop();
    io.run_for(std::chrono::milliseconds(300));
    srv.stop();
    out.server = srv.stats();
    return out;
}

void check_books_equal(const run_result& r, const std::vector<std::string>& only = {}) {
    REQUIRE(r.live_books.size() == r.offline_books.size());
    for (std::size_t i = 0; i < r.live_books.size(); ++i) {
        if (!only.empty() && r.live_books[i].empty()) continue;
        INFO("symbol index " << i);
        CHECK(r.live_state[i]);
        CHECK(r.live_books[i] == r.offline_books[i]);
    }
}

server_options fast() {
    server_options o;
    o.speed = 0;
    return o;
}

} // namespace

TEST_CASE("parse_url splits scheme, host, port and target; bad URLs are refused") {
    const auto u = parse_url("wss://stream.binance.com:9443/stream?streams=a");
    REQUIRE(u);
    CHECK(u->tls);
    CHECK(u->websocket);
    CHECK(u->host == "stream.binance.com");
    CHECK(u->port == "9443");
    CHECK(u->target == "/stream?streams=a");
    const auto h = parse_url("http://127.0.0.1:8080");
    REQUIRE(h);
    CHECK_FALSE(h->tls);
    CHECK(h->target == "/");
    CHECK(parse_url("https://api.binance.com")->port == "443");
    CHECK_FALSE(parse_url("ftp://x"));
    CHECK_FALSE(parse_url("ws://:80"));
    CHECK_FALSE(parse_url("ws://h:0"));
    CHECK_FALSE(parse_url("ws://h:70000"));
    CHECK_FALSE(parse_url("ws://h:8a"));
}

TEST_CASE("grid_text renders units of a decimal grid exactly") {
    CHECK(grid_text(grid_of_decimals(8), 6183763000000) == "61837.63000000");
    CHECK(grid_text(grid_of_decimals(2), 5) == "0.05");
    CHECK(grid_text(grid_of_decimals(0), 42) == "42");
    decimal_grid half{decimal{5, 1}};
    CHECK(grid_text(half, 3) == "1.5");
}

TEST_CASE("latency_histogram percentiles are within 1/32 of the exact value") {
    latency_histogram h;
    for (std::int64_t v = 1; v <= 100000; ++v) h.record(v);
    CHECK(h.count() == 100000);
    const double p50 = static_cast<double>(h.percentile(0.5));
    const double p99 = static_cast<double>(h.percentile(0.99));
    CHECK(p50 >= 50000 * (1 - 1.0 / 32));
    CHECK(p50 <= 50000 * (1 + 1.0 / 32));
    CHECK(p99 >= 99000 * (1 - 1.0 / 32));
    CHECK(p99 <= 99000 * (1 + 1.0 / 32));
    CHECK(h.percentile(1.0) == 100000);
    latency_histogram e;
    CHECK(e.percentile(0.5) == 0);
    h.record(-5);  // clock steps: counted as 0
    CHECK(h.count() == 100001);
}

TEST_CASE("subscribe messages and snapshot paths per exchange") {
    const auto b = subscribe_messages(exchange_kind::binance, {"BTCUSDT"});
    REQUIRE(b.size() == 1);
    CHECK(b[0] == R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker","btcusdt@trade"],"id":1})");
    CHECK(snapshot_target(exchange_kind::binance, "BTCUSDT") == "/api/v3/depth?symbol=BTCUSDT&limit=1000");
    CHECK(snapshot_target(exchange_kind::binance_usdm, "BTCUSDT") == "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
    CHECK(snapshot_target(exchange_kind::bitstamp, "BTCUSD") == "/api/v2/order_book/btcusd");
    CHECK(snapshot_target(exchange_kind::kraken, "XBT/USD").empty());
    CHECK(subscribe_messages(exchange_kind::kraken, {"XBT/USD"}).size() == 2);
    CHECK(default_endpoints(exchange_kind::coinbase).ws == "wss://advanced-trade-ws.coinbase.com");
}

TEST_CASE("reference_target: each exchange's instrument list") {
    CHECK(reference_target(exchange_kind::binance, {"BTCUSDT", "ETHUSDT"}) == "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D");
    CHECK(reference_target(exchange_kind::binance_usdm, {"BTCUSDT"}) == "/fapi/v1/exchangeInfo");
    CHECK(reference_target(exchange_kind::coinbase, {"BTC-USD", "ETH-USD"}) == "/api/v3/brokerage/market/products?product_ids=BTC-USD&product_ids=ETH-USD");
    CHECK(reference_target(exchange_kind::coinbase_exchange, {"BTC-USD"}) == "/products");
    CHECK(reference_target(exchange_kind::kraken, {"XBT/USD"}) == "/0/public/AssetPairs");
    CHECK(reference_target(exchange_kind::bitstamp, {"btcusd"}) == "/api/v2/trading-pairs-info/");
    CHECK(reference_target(exchange_kind::unknown, {"x"}).empty());
    CHECK(default_endpoints(exchange_kind::kraken).rest == "https://api.kraken.com");
}

// The price step of `g` as text ("0.01").
static std::string step_text(const decimal_grid& g) { return grid_text(g, 1); }

TEST_CASE("fetch_instruments: the steps the exchange lists, from the reference body the capture recorded") {
    struct one_case {
        const char* file;
        std::vector<std::string> symbols;
    };
    for (const one_case& t : {one_case{"binance_usdm_full.jsonl.zst", {"SUSHIUSDT", "CTKUSDT"}}, one_case{"kraken_xbtchf_ethchf.jsonl.zst", {"XBT/CHF"}},
                              one_case{"bitstamp_full.jsonl.zst", {"ETHUSD", "xrpeur"}}}) {
        INFO(t.file);
        loaded_capture cap = load_capture(data_dir + "/" + t.file);
        REQUIRE_FALSE(cap.reference.empty());
        const exchange_kind k = cap.exchange;
        std::vector<std::pair<std::string, std::string>> offline;  // name, tick step / lot step
        for (const auto& b : cap.offline->symbols()) offline.emplace_back(wire::detail::lower_copy(b.name), step_text(b.spec.tick) + "/" + step_text(b.spec.lot));
        replay_server srv(std::move(cap), fast());
        const std::string rest = "http://127.0.0.1:" + std::to_string(srv.start());
        const instrument_fetch f = fetch_instruments(k, rest, t.symbols);
        CHECK(f.error.empty());
        REQUIRE(f.instruments.size() == t.symbols.size());
        for (std::size_t i = 0; i < t.symbols.size(); ++i) {
            const listed_instrument& li = f.instruments[i];
            CHECK(wire::detail::lower_copy(li.symbol) == wire::detail::lower_copy(t.symbols[i]));
            const auto o = std::find_if(offline.begin(), offline.end(), [&](const auto& x) { return x.first == wire::detail::lower_copy(li.symbol); });
            REQUIRE(o != offline.end());
            CHECK(step_text(li.spec.tick) + "/" + step_text(li.spec.lot) == o->second);  // the grids the offline replay used
        }
        const instrument_fetch missing = fetch_instruments(k, rest, {t.symbols[0], "NOSUCH"});
        CHECK(missing.instruments.size() == 1);
        CHECK(missing.error == rest + reference_target(k, {t.symbols[0], "NOSUCH"}) + ": not listed: NOSUCH");
        srv.stop();
        CHECK(srv.stats().reference == 2);
        CHECK(srv.stats().snapshot_errors == 0);
    }
}

TEST_CASE("fetch_instruments: no list recorded, no server, a bad URL") {
    replay_server srv(load_capture(data_dir + "/binance_spot_btcusdt_20240808_400.gz"), fast());
    const std::string rest = "http://127.0.0.1:" + std::to_string(srv.start());
    const instrument_fetch f = fetch_instruments(exchange_kind::binance, rest, {"BTCUSDT"});
    CHECK(f.instruments.empty());
    CHECK(f.error == rest + reference_target(exchange_kind::binance, {"BTCUSDT"}) + ": HTTP 404");
    srv.stop();
    const instrument_fetch down = fetch_instruments(exchange_kind::binance, rest, {"BTCUSDT"}, std::chrono::milliseconds(2000));
    CHECK(down.instruments.empty());
    CHECK(down.error.rfind(rest + "/api/v3/exchangeInfo", 0) == 0);
    CHECK(down.error.size() > (rest + reference_target(exchange_kind::binance, {"BTCUSDT"}) + ": ").size());
    CHECK_THROWS_AS((void)fetch_instruments(exchange_kind::binance, "ws://127.0.0.1:1", {"BTCUSDT"}), std::invalid_argument);
}

TEST_CASE("load_capture: bad input names the file") {
    CHECK_THROWS_WITH_AS((void)load_capture(data_dir + "/no_such.gz"), doctest::Contains("no_such.gz: cannot open"), std::runtime_error);
    CHECK_THROWS_WITH_AS((void)load_capture(data_dir + "/README.md"), doctest::Contains("README.md: line 1: not a known capture format"),
                         std::runtime_error);
}

TEST_CASE("Binance spot over loopback: every message, the offline book, no gap, no BBO mismatch") {
    const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", fast());
    CHECK(r.counters.frames == 400);  // 399 capture messages + the SUBSCRIBE answer
    CHECK(r.counters.feed.gaps == 0);
    CHECK(r.counters.feed.bbo_mismatched == 0);
    CHECK(r.counters.feed.bbo_checked > 0);
    CHECK(r.counters.snapshot_requests == 1);
    CHECK(r.server.sent == 399);
    check_books_equal(r);
}

TEST_CASE("Binance spot faults: each one detected, and the book is whole again") {
    SUBCASE("drop: a gap, a resync from a fresh snapshot") {
        server_options o = fast();
        o.faults.drop.insert(53);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.feed.gaps >= 1);
        CHECK(r.counters.feed.resyncs >= 1);
        CHECK(r.counters.snapshot_requests >= 2);
        CHECK(r.counters.feed.bbo_mismatched == 0);
        check_books_equal(r);
    }
    SUBCASE("duplicate: applied once") {
        server_options o = fast();
        o.faults.duplicate.insert(53);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.frames == 401);
        CHECK(r.counters.feed.gaps == 0);
        CHECK(r.counters.feed.bbo_mismatched == 0);
        check_books_equal(r);
    }
    SUBCASE("swap: a depth message and the next one (another stream) reordered") {
        server_options o = fast();
        o.faults.swap.insert(229);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.feed.bbo_mismatched == 0);
        check_books_equal(r);
    }
    SUBCASE("garbage frame: counted and skipped") {
        server_options o = fast();
        o.faults.garbage.insert(100);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.rejected_frames == 1);
        CHECK(r.counters.frames == 401);
        CHECK(r.counters.feed.gaps == 0);
        check_books_equal(r);
    }
    SUBCASE("closed connection: reconnect, resubscribe, fresh snapshot") {
        server_options o = fast();
        o.faults.close_after.insert(100);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.reconnects >= 1);
        CHECK(r.server.connections >= 2);
        CHECK(r.counters.snapshot_requests >= 2);
        CHECK(r.counters.feed.bbo_mismatched == 0);
        check_books_equal(r);
    }
    SUBCASE("snapshot error: retried") {
        server_options o = fast();
        o.faults.snapshot_error = true;
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.snapshot_failures == 1);
        CHECK(r.counters.snapshot_requests >= 2);
        CHECK(r.server.snapshot_errors == 1);
        check_books_equal(r);
    }
    SUBCASE("stall: late, not lost") {
        server_options o = fast();
        o.faults.stall.emplace_back(50, 200);
        const run_result r = serve_and_follow("binance_spot_btcusdt_20240808_400.gz", o);
        CHECK(r.counters.frames == 400);
        check_books_equal(r);
    }
}

TEST_CASE("Binance USD-M over loopback equals the offline replay") {
    const run_result r = serve_and_follow("binance_usdm_full.jsonl.zst", fast());
    CHECK(r.counters.feed.gaps == 0);
    CHECK(r.counters.feed.bbo_mismatched == 0);
    CHECK(r.counters.feed.bbo_checked > 0);
    check_books_equal(r);
}

TEST_CASE("Binance USD-M: a dropped depth message gives a gap, a resync from the exchange's current book, the offline book") {
    server_options o = fast();
    o.faults.drop.insert(200);  // a SUSHIUSDT depth update (pu chain)
    const run_result r = serve_and_follow("binance_usdm_full.jsonl.zst", o);
    CHECK(r.counters.feed.gaps >= 1);
    CHECK(r.counters.feed.resyncs >= 1);
    CHECK(r.counters.snapshot_requests >= 5);  // four first snapshots and at least one resync
    CHECK(r.counters.feed.bbo_mismatched == 0);
    check_books_equal(r);
}

TEST_CASE("Kraken over loopback equals the offline replay, checksums hold") {
    const run_result r = serve_and_follow("kraken_xbtchf_ethchf.jsonl.zst", fast());
    CHECK(r.counters.feed.checksums_failed == 0);
    CHECK(r.counters.feed.checksums_ok > 0);
    CHECK(r.counters.feed.gaps == 0);
    check_books_equal(r);
}

TEST_CASE("Kraken: a dropped book update fails the next checksum; the resubscription's snapshot is the exchange's current book") {
    server_options o = fast();
    o.faults.drop.insert(201);  // an ETH/CHF best-ask update: the next message's CRC32 no longer matches
    const run_result r = serve_and_follow("kraken_xbtchf_ethchf.jsonl.zst", o);
    CHECK(r.counters.feed.gaps >= 1);          // Kraken has no sequence numbers: the checksum shows the loss
    CHECK(r.counters.feed.resyncs >= 1);
    CHECK(r.counters.resubscribes >= 1);
    CHECK(r.counters.reconnects >= 1);
    CHECK(r.server.stream_snapshots >= 1);
    CHECK(r.counters.checksums_failed_after_resync == 0);  // the synthesised snapshot's text keeps the CRC32 valid
    CHECK(r.counters.feed.bbo_mismatched == 0);
    check_books_equal(r);
}

TEST_CASE("Kraken: a closed connection resubscribes and gets a snapshot of the current book") {
    server_options o = fast();
    o.faults.close_after.insert(150);
    const run_result r = serve_and_follow("kraken_xbtchf_ethchf.jsonl.zst", o);
    CHECK(r.counters.reconnects >= 1);
    CHECK(r.server.stream_snapshots >= 1);
    CHECK(r.counters.feed.checksums_failed == 0);
    check_books_equal(r);
}

TEST_CASE("Coinbase Advanced Trade: a dropped l2_data update gives a sequence gap, a resubscription, the offline book") {
    server_options o = fast();
    o.faults.drop.insert(70);  // an l2_data update
    const run_result r = serve_and_follow("coinbase_advanced_btcusd_ethusd_140.jsonl.zst", o);
    CHECK(r.counters.feed.gaps >= 1);
    CHECK(r.counters.feed.resyncs >= 1);
    CHECK(r.counters.resubscribes >= 1);
    CHECK(r.server.stream_snapshots >= 1);
    CHECK(r.counters.feed.bbo_mismatched == 0);
    check_books_equal(r);
}

TEST_CASE("Coinbase Exchange: a closed connection resubscribes and gets a snapshot of the current book") {
    server_options o = fast();
    o.faults.close_after.insert(120);
    const run_result r = serve_and_follow("coinbase_exchange_250.ws.gz", o);
    CHECK(r.counters.reconnects >= 1);
    CHECK(r.server.stream_snapshots >= 1);
    check_books_equal(r);
}

TEST_CASE("Bitstamp: a dropped diff is invisible in the stream (no sequence number); REST book checks find it; a reconnect refetches the book") {
    SUBCASE("drop: no gap is seen") {
        server_options o = fast();
        o.faults.drop.insert(60);
        const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", o);
        CHECK(r.counters.feed.gaps == 0);
        CHECK(r.counters.feed.resyncs == 0);
    }
    SUBCASE("drop, with the live books checked against the REST books: a gap, the book replaced, the offline book") {
        server_options o = fast();
        o.faults.drop.insert(149);  // an ethusd diff whose change stays in the best 25 levels to the end
        const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", o, {}, std::chrono::milliseconds(50),
                                              [](const live_counters& c) { return c.feed.gaps >= 1; });
        CHECK(r.counters.feed.gaps >= 1);
        CHECK(r.counters.verifications >= 1);
        check_books_equal(r);
    }
    SUBCASE("no drop, checked against the REST books: no gap") {
        const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", fast(), {}, std::chrono::milliseconds(50),
                                              [](const live_counters& c) { return c.verifications >= 20; });
        CHECK(r.counters.verifications >= 20);
        CHECK(r.counters.feed.gaps == 0);
        CHECK(r.counters.feed.resyncs == 0);
        check_books_equal(r);
    }
    SUBCASE("close: reconnect, a fresh REST snapshot, the offline book") {
        server_options o = fast();
        o.faults.close_after.insert(60);
        const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", o);
        CHECK(r.counters.reconnects >= 1);
        CHECK(r.counters.snapshot_requests >= 2);
        check_books_equal(r);
    }
}

TEST_CASE("Bitstamp: a subscription sent after the stream ended is still confirmed (a slow client's late subscribe)") {
    loaded_capture cap = load_capture(data_dir + "/bitstamp_full.jsonl.zst");
    replay_server srv(std::move(cap), fast());
    const std::uint16_t port = srv.start();
    boost::asio::io_context io;
    std::vector<std::string> got;
    ws_handlers h;
    ws_client* cl = nullptr;
    h.on_open = [&] { cl->send(R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_ethusd"}})"); };
    h.on_message = [&](std::string_view m, std::int64_t) { got.emplace_back(m); };
    ws_client c(io, *parse_url("ws://127.0.0.1:" + std::to_string(port) + "/"), h);
    cl = &c;
    c.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!srv.finished() && std::chrono::steady_clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
    REQUIRE(srv.finished());
    io.run_for(std::chrono::milliseconds(200));
    c.send(R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_xrpeur"}})");
    const auto confirmed = [&] {
        return std::any_of(got.begin(), got.end(), [](const std::string& m) {
            return m.find("bts:subscription_succeeded") != std::string::npos && m.find("diff_order_book_xrpeur") != std::string::npos;
        });
    };
    while (!confirmed() && std::chrono::steady_clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
    CHECK(confirmed());
    c.stop();
    io.run_for(std::chrono::milliseconds(100));
    srv.stop();
}

TEST_CASE("Coinbase Advanced Trade over loopback equals the offline replay") {
    const run_result r = serve_and_follow("coinbase_advanced_btcusd_ethusd_140.jsonl.zst", fast());
    CHECK(r.counters.feed.gaps == 0);
    CHECK(r.counters.rejected_frames == 0);
    check_books_equal(r);
}

TEST_CASE("Coinbase Exchange over loopback equals the offline replay") {
    const run_result r = serve_and_follow("coinbase_exchange_250.ws.gz", fast());
    CHECK(r.counters.feed.gaps == 0);
    check_books_equal(r);
}

TEST_CASE("Bitstamp over loopback equals the offline replay") {
    const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", fast());
    CHECK(r.counters.feed.gaps == 0);
    CHECK(r.counters.rejected_frames == 0);
    check_books_equal(r);
}

TEST_CASE("Only what was subscribed is sent") {
    const run_result r = serve_and_follow("bitstamp_full.jsonl.zst", fast(), {"ethusd"});
    CHECK(r.server.filtered > 0);
    std::size_t live = 0;
    for (const auto& b : r.live_books) live += b.empty() ? std::size_t{0} : std::size_t{1};
    CHECK(live == 1);
    check_books_equal(r, {"ethusd"});
}
