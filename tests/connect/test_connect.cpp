// pinnacle::connect: exact decimals, reference data, every decoder on real captured messages
// (tests/data/connect, see its README) and on injected faults: a dropped message must show as a
// gap and a resync, a corrupted level as a failed checksum (or a rejection) and a resync, and a
// stale book must never receive another update.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/decimal.hpp"
#include "pinnacle/connect/instruments.hpp"
#include "pinnacle/connect/json.hpp"
#include "pinnacle/connect/kraken.hpp"
#include "pinnacle/connect/replay.hpp"

using namespace pinnacle;
namespace pc = pinnacle::connect;

namespace {

std::string data_file(const char* name) { return std::string(PINNACLE_TEST_DATA_DIR) + "/connect/" + name; }

std::vector<std::string> read_lines(const std::string& path) {
    pc::capture_reader r(path);
    std::vector<std::string> out;
    std::string_view l;
    while (r.next(l)) out.emplace_back(l);
    return out;
}

std::unique_ptr<pc::capture_replay> replay(const std::vector<std::string>& lines, pc::exchange_kind k = pc::exchange_kind::unknown) {
    auto r = std::make_unique<pc::capture_replay>(k);
    for (std::size_t i = 0; i < lines.size(); ++i) r->on_line(lines[i], i + 1);
    return r;
}

const pc::symbol_book& book_named(const pc::capture_replay& r, std::string_view name) {
    for (const auto& b : r.symbols()) {
        if (b.name == name) return b;
    }
    FAIL("no symbol " << name);
    return r.symbols()[0];
}

// Index of the n-th line (0-based n) at or after `from` that contains every needle.
std::size_t nth_line_with(const std::vector<std::string>& lines, std::size_t from, std::size_t n, std::initializer_list<std::string_view> needles) {
    for (std::size_t i = from; i < lines.size(); ++i) {
        bool all = true;
        for (const auto nd : needles) all = all && lines[i].find(nd) != std::string::npos;
        if (all && n-- == 0) return i;
    }
    FAIL("no such line");
    return 0;
}

} // namespace

TEST_CASE("decimal: exact parse, grid counts, bounds and every refusal") {
    pc::decimal d;
    CHECK(pc::parse_decimal("61837.63000000", d) == pc::decimal_error::ok);
    CHECK(d == pc::decimal{6183763, 2});
    CHECK(pc::parse_decimal("0.000022900", d) == pc::decimal_error::ok);
    CHECK(d == pc::decimal{229, 7});
    CHECK(pc::parse_decimal("100", d) == pc::decimal_error::ok);
    CHECK(d == pc::decimal{100, 0});
    CHECK(pc::parse_decimal(".5", d) == pc::decimal_error::ok);
    CHECK(d == pc::decimal{5, 1});
    CHECK(pc::parse_decimal("", d) == pc::decimal_error::empty);
    CHECK(pc::parse_decimal(".", d) == pc::decimal_error::empty);
    CHECK(pc::parse_decimal("-1", d) == pc::decimal_error::negative);
    CHECK(pc::parse_decimal("1e5", d) == pc::decimal_error::bad_char);
    CHECK(pc::parse_decimal("1.2.3", d) == pc::decimal_error::bad_char);
    CHECK(pc::parse_decimal("1234567890123456789", d) == pc::decimal_error::too_long);
    CHECK(pc::parse_decimal("0.0000000000000000001", d) == pc::decimal_error::too_long);

    pc::decimal_grid g;
    REQUIRE(pc::make_grid("0.01", g) == pc::decimal_error::ok);
    std::int64_t n = 0;
    CHECK(g.parse("61837.63000000", n) == pc::decimal_error::ok);
    CHECK(n == 6183763);
    CHECK(g.parse("61837.635", n) == pc::decimal_error::off_grid);  // never rounded
    REQUIRE(pc::make_grid("0.0010", g) == pc::decimal_error::ok);     // Binance prints steps padded
    CHECK(g.parse("7.6110", n) == pc::decimal_error::ok);
    CHECK(n == 7611);
    CHECK(g.parse("7.6115", n) == pc::decimal_error::off_grid);
    REQUIRE(pc::make_grid("5", g) == pc::decimal_error::ok);          // steps need not be powers of ten
    CHECK(g.parse("25", n) == pc::decimal_error::ok);
    CHECK(n == 5);
    CHECK(g.parse("26", n) == pc::decimal_error::off_grid);
    CHECK(pc::make_grid("0", g) == pc::decimal_error::empty);
    pc::decimal_grid small = pc::grid_of_decimals(8);
    small.max_units = 1000;
    CHECK(small.parse("0.00001", n) == pc::decimal_error::ok);
    CHECK(small.parse("0.00001001", n) == pc::decimal_error::out_of_range);

    // The digits Kraken hashes: 562183 ticks of 0.1 at 5 decimals.
    std::uint64_t v = 0;
    CHECK(pc::grid_of_decimals(1).scaled(562183, 5, v));
    CHECK(v == 5621830000ull);
    CHECK_FALSE(pc::grid_of_decimals(3).scaled(1, 1, v));  // 0.001 has no 1-decimal form
    std::int64_t ns = 0;
    CHECK(pc::parse_iso8601_ns("2021-04-17T16:43:37.075687Z", ns));
    CHECK(ns == 1618677817075687000);
    CHECK_FALSE(pc::parse_iso8601_ns("2021-04-17 16:43:37Z", ns));
}

TEST_CASE("decimal: the one-pass power-of-ten path accepts exactly what the general path accepts, with the same errors") {
    // The general path: parse_decimal (normalised digits and scale) then units(). parse() tries the
    // one-pass path first on power-of-ten grids and must never differ from this.
    auto general = [](const pc::decimal_grid& g, std::string_view s, std::int64_t& out) {
        pc::decimal d;
        const pc::decimal_error e = pc::parse_decimal(s, d);
        return e != pc::decimal_error::ok ? e : g.units(d, out);
    };
    const char* const texts[] = {"", ".", "0", "0.", ".0", "00", "0.0", "5", "5.", ".5", "61837.63000000", "61837.63000001",
                                 "0.00012000", "1.54698000", "0.00000000", "1e5", "-1", "+1", "1.2.3", " 1", "1 ", "12a",
                                 "999999999999999999", "1000000000000000000", "99999999999.99999999", "0.000000000000000001",
                                 "0.0000000000000000010", "1.0000000000000000000", "00000000000000000000000001",
                                 "123456789012345678.0", "1234567890123456789", "0.1234567890123456789", "4294967296.5",
                                 "18446744073709551615", "18446744073709551616", "7.50", "7.05", "10"};
    for (unsigned decimals : {0u, 1u, 2u, 5u, 8u, 10u, 18u}) {
        pc::decimal_grid g = pc::grid_of_decimals(decimals);
        for (const std::int64_t max_units : {std::int64_t{1'000'000'000'000'000'000}, std::int64_t{1'000'000}, std::int64_t{0}}) {
            g.max_units = max_units;
            for (const char* t : texts) {
                std::int64_t a = -7, b = -7;
                const pc::decimal_error ea = g.parse(t, a);
                const pc::decimal_error eb = general(g, t, b);
                CAPTURE(decimals);
                CAPTURE(max_units);
                CAPTURE(std::string(t));
                CHECK(ea == eb);
                if (ea == pc::decimal_error::ok && eb == pc::decimal_error::ok) CHECK(a == b);
            }
        }
    }
}

TEST_CASE("decimal: the eight-decimals-per-step path agrees with the general path on random text") {
    // Random strings over digits, '.', and the bytes just around '0'..'9' and beyond 0x7f (the
    // edges of the SWAR digit test), long enough to take the eight-at-a-time steps.
    auto general = [](const pc::decimal_grid& g, std::string_view s, std::int64_t& out) {
        pc::decimal d;
        const pc::decimal_error e = pc::parse_decimal(s, d);
        return e != pc::decimal_error::ok ? e : g.units(d, out);
    };
    const char alphabet[] = {'0', '1', '5', '9', '0', '0', '.', '/', ':', '\x80', '\xba', '\xff', '\x00', '\xb0'};
    std::uint64_t x = 88172645463325252ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int n = 0; n < 200000; ++n) {
        std::string t;
        const std::size_t len = next() % 30;
        const bool plain = next() % 4 != 0;  // mostly digits with at most one '.'
        for (std::size_t i = 0; i < len; ++i) t.push_back(plain ? static_cast<char>('0' + next() % 10 * (next() % 3 != 0)) : alphabet[next() % sizeof alphabet]);
        if (plain && len > 0 && next() % 5 != 0) t[next() % len] = '.';
        pc::decimal_grid g = pc::grid_of_decimals(static_cast<unsigned>(next() % 19));
        if (next() % 4 == 0) g.max_units = static_cast<std::int64_t>(next() % 1'000'000'000'000ull);
        std::int64_t a = -7, b = -7;
        const pc::decimal_error ea = g.parse(t, a);
        const pc::decimal_error eb = general(g, t, b);
        CAPTURE(t);
        CAPTURE(static_cast<unsigned>(g.step.scale));
        REQUIRE(ea == eb);
        if (ea == pc::decimal_error::ok) REQUIRE(a == b);
    }
}

TEST_CASE("json: level arrays read straight from the text give what simdjson's iteration gives") {
    // Each document's "b" is read twice: the fast text scan (with simdjson's fallback) and the
    // iteration alone. Shapes the scan refuses (numbers, escapes, short entries) fall back.
    const char* const docs[] = {
        R"({"b":[["61837.63000000","0.00100000"],["61837.62000000","1.5"]]})",
        R"({"b":[]})",
        R"({"b":[ ]})",
        "{\"b\" : [ [ \"1.0\" ,\t\"2\" ] ,\n[\"3\",\"4\",\"1618678132.1\"] , [\"5\",\"6\",\"7\",\"r\"] ]}",
        R"({"b":[["1",2]]})",
        R"({"b":[[1.5,"2"]]})",
        R"({"b":[["1\u0030","2"]]})",
        R"({"b":[["1\"","2"]]})",
        R"({"b":[["1"]]})",
        R"({"b":[["1","2",3]]})",
        R"({"b":[["1","2",["x"]]]})",
        R"({"b":[["1","2"],]})",
        R"({"b":[["1","2"]})",
        R"({"b":{"x":1}})",
        R"({"b":"1"})",
        R"({"b":[["a very long price text of more than sixteen bytes","and a long size too, crossing words"]]})",
        R"({"b":[["","2"]]})",
    };
    for (const char* d : docs) {
        CAPTURE(std::string(d));
        bool ok[2] = {false, false};
        std::vector<pc::level_text> got[2];
        std::vector<std::string> texts[2];
        for (int fast = 0; fast < 2; ++fast) {
            pc::json_reader r;
            pc::od::document doc;
            if (r.start(d, doc) != simdjson::SUCCESS) continue;
            pc::od::object o;
            if (doc.get_object().get(o) != simdjson::SUCCESS) continue;
            for (auto f : o) {
                pc::od::value v;
                if (f.value().get(v) != simdjson::SUCCESS) break;
                ok[fast] = pc::read_pairs(v, got[fast], fast == 1);
            }
            for (const auto& l : got[fast]) texts[fast].push_back(std::string(l.px) + "|" + std::string(l.size));
        }
        CHECK(ok[0] == ok[1]);
        if (ok[0] && ok[1]) CHECK(texts[0] == texts[1]);
    }
    // The eight-bytes-per-step string scan at every length and quote position.
    for (std::size_t n = 0; n < 40; ++n) {
        std::string s(n, 'x');
        s += "\"tail";
        s.append(simdjson::SIMDJSON_PADDING, '\0');
        CHECK(pc::plain_string_length(s.data()) == static_cast<std::ptrdiff_t>(n));
        std::string e = s;
        if (n > 0) {
            e[n - 1] = '\\';
            CHECK(pc::plain_string_length(e.data()) == -1);
        }
    }
}

TEST_CASE("json: get_u64 reads unsigned numbers and digit strings, and refuses everything else") {
    // Each field's expected answer; after a refused number the next field must still read (the
    // number is tried first, the type asked after).
    const char* doc_text = R"({"a":123,"b":"456","c":-1,"d":1.5,"e":"x1","f":18446744073709551615,"g":"18446744073709551616",)"
                           R"("h":18446744073709551616,"i":"","j":true,"k":null,"l":[1],"m":"007","n":0})";
    const std::pair<const char*, std::optional<std::uint64_t>> want[] = {
        {"a", 123}, {"b", 456}, {"c", std::nullopt}, {"d", std::nullopt}, {"e", std::nullopt},
        {"f", 18446744073709551615ull}, {"g", std::nullopt}, {"h", std::nullopt}, {"i", std::nullopt},
        {"j", std::nullopt}, {"k", std::nullopt}, {"l", std::nullopt}, {"m", 7}, {"n", 0}};
    pc::json_reader r;
    pc::od::document doc;
    REQUIRE(r.start(doc_text, doc) == simdjson::SUCCESS);
    pc::od::object o;
    REQUIRE(doc.get_object().get(o) == simdjson::SUCCESS);
    std::size_t k = 0;
    for (auto f : o) {
        REQUIRE(k < std::size(want));
        std::string_view key;
        REQUIRE(pc::get_key(f, key));
        CHECK(key == want[k].first);
        pc::od::value v;
        REQUIRE(f.value().get(v) == simdjson::SUCCESS);
        std::uint64_t got = 0;
        const bool ok = pc::get_u64(v, got);
        CAPTURE(key);
        CHECK(ok == want[k].second.has_value());
        if (ok && want[k].second) CHECK(got == *want[k].second);
        ++k;
    }
    CHECK(k == std::size(want));
}

TEST_CASE("Kraken: the checksum with its text cache equals the checksum computed afresh") {
    pc::instrument_spec spec{pc::grid_of_decimals(1), pc::grid_of_decimals(8)};
    depth_book b(100);
    pc::kraken_checksum_cache cache;
    std::uint64_t x = 2463534242ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int n = 0; n < 20000; ++n) {
        const side s = next() % 2 == 0 ? side::buy : side::sell;
        const std::int64_t mid = 500000;
        const std::int64_t px = s == side::buy ? mid - 1 - static_cast<std::int64_t>(next() % 30) : mid + static_cast<std::int64_t>(next() % 30);
        const std::int64_t q = next() % 3 == 0 ? 0 : static_cast<std::int64_t>(next() % 100'000'000'000ull);
        (void)b.update(s, price{px}, qty{q});
        std::uint32_t fresh = 0, cached = 0;
        const bool a = pc::kraken_checksum(b, spec, 5, 8, fresh);
        const bool c = pc::kraken_checksum(b, spec, 5, 8, cached, cache);
        REQUIRE(a == c);
        REQUIRE(fresh == cached);
    }
}

TEST_CASE("reference data: Binance filters (and finer printed precision), Kraken, Bitstamp, Coinbase") {
    const auto b = pc::parse_reference_data("https://fapi.binance.com/fapi/v1/exchangeInfo",
        R"({"symbols":[{"symbol":"CTKUSDT","pricePrecision":5,"quantityPrecision":0,"filters":[
            {"filterType":"PRICE_FILTER","tickSize":"0.00100"},{"filterType":"LOT_SIZE","stepSize":"1"}]}]})");
    REQUIRE(b.size() == 1);
    price p;
    CHECK(b[0].spec.price_of("0.50579", p) == pc::decimal_error::ok);  // a real off-tick level deep in the book
    CHECK(p.ticks() == 50579);
    qty q;
    CHECK(b[0].spec.qty_of("1.5", q) == pc::decimal_error::off_grid);
    const auto k = pc::parse_reference_data("https://api.kraken.com/0/public/AssetPairs",
        R"({"error":[],"result":{"XXBTZCHF":{"wsname":"XBT/CHF","pair_decimals":1,"lot_decimals":8}}})");
    REQUIRE(k.size() == 1);
    CHECK(k[0].symbol == "XBT/CHF");
    CHECK(k[0].spec.price_of("56218.30000", p) == pc::decimal_error::ok);
    CHECK(p.ticks() == 562183);
    const auto s = pc::parse_reference_data("https://www.bitstamp.net/api/v2/trading-pairs-info/",
        R"([{"url_symbol":"ethusd","counter_decimals":2,"base_decimals":8}])");
    REQUIRE(s.size() == 1);
    CHECK(s[0].symbol == "ethusd");
    const auto c = pc::parse_reference_data("https://api.coinbase.com/api/v3/brokerage/market/products",
        R"({"products":[{"product_id":"BTC-USD","quote_increment":"0.01","base_increment":"0.00000001"}]})");
    REQUIRE(c.size() == 1);
    CHECK(c[0].spec.price_of("65083.66", p) == pc::decimal_error::ok);
    CHECK(pc::parse_reference_data("https://example.com/other", "{}").empty());
}

TEST_CASE("Binance spot: real slice rebuilds with every BBO check passing; a dropped update is a gap and a resync") {
    const auto lines = read_lines(data_file("binance_spot_btcusdt_20240808_400.gz"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::binance);
    auto t = r->totals();
    CHECK(t.messages == 400);
    CHECK(t.bbo_checked > 10);
    CHECK(t.bbo_mismatched == 0);
    CHECK(t.gaps == 0);
    CHECK_FALSE(book_named(*r, "BTCUSDT").stale());

    // Drop the 3rd depth update after the REST snapshot (line 8).
    auto faulty = lines;
    const std::size_t drop = nth_line_with(faulty, 8, 2, {"depthUpdate"});
    faulty.erase(faulty.begin() + static_cast<std::ptrdiff_t>(drop));
    auto f = replay(faulty);
    const auto ft = f->totals();
    CHECK(ft.gaps == 1);
    CHECK(ft.resyncs == 1);
    CHECK(ft.bbo_mismatched == 0);
    CHECK(book_named(*f, "BTCUSDT").stale());
    // Nothing after the gap reached the old book: exactly what the clean run applied before the drop.
    const auto before = replay(std::vector<std::string>(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(drop)));
    CHECK(ft.book_updates == before->totals().book_updates);
}

TEST_CASE("Binance decoder: chain rules, held updates, rejections with reasons, exchange errors") {
    pc::binance_decoder d(pc::binance_market::spot);
    pc::decimal_grid tick, lot;
    REQUIRE(pc::make_grid("0.01", tick) == pc::decimal_error::ok);
    REQUIRE(pc::make_grid("0.00001", lot) == pc::decimal_error::ok);
    d.set_instrument("BTCUSDT", pc::instrument_spec{tick, lot});
    // An update before the snapshot is held.
    auto r = d.on_message(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":98,"u":102,"b":[["100.00","1"]],"a":[]})");
    CHECK(r.status == pc::feed_status::buffered);
    r = d.on_snapshot("BTCUSDT", R"({"lastUpdateId":100,"bids":[["99.00","2"]],"asks":[["101.00","3"]]})");
    CHECK(r.status == pc::feed_status::ok);
    const auto& b = d.symbol(d.find("BTCUSDT"));
    CHECK(b.state == pc::book_state::live);  // the held update bridged 101 and was applied
    CHECK(b.book.level(side::buy, 0).px == price{10000});
    CHECK(b.book.level(side::buy, 0).size == qty{100000});
    // Trade print: m=true means the buyer was the maker (a resting bid).
    r = d.on_message(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":5,"s":"BTCUSDT","t":7,"p":"100.00","q":"0.5","T":5,"m":true}})");
    CHECK(r.status == pc::feed_status::ok);
    REQUIRE(d.events().size() == 1);
    CHECK(d.events()[0].ev.type == event_type::execute);
    CHECK(d.events()[0].ev.side == side::buy);
    CHECK(d.events()[0].ev.id == order_id{7});
    // An off-grid level: the whole message is rejected, named, and the book goes stale.
    r = d.on_message(R"({"e":"depthUpdate","E":2,"s":"BTCUSDT","U":103,"u":103,"b":[["100.005","1"]],"a":[]})");
    CHECK(r.status == pc::feed_status::rejected);
    CHECK(r.reason.find("b[0] price '100.005' not a whole multiple") != std::string_view::npos);
    CHECK(d.resync_requests().size() == 1);
    CHECK(b.stale());
    // The next update is held for a new snapshot, not applied to the stale book.
    r = d.on_message(R"({"e":"depthUpdate","E":3,"s":"BTCUSDT","U":104,"u":104,"b":[["98.00","1"]],"a":[]})");
    CHECK(r.status == pc::feed_status::buffered);
    CHECK(b.book.depth(side::buy) == 2);
    // Missing fields, wrong types, malformed JSON, exchange errors.
    r = d.on_message(R"({"e":"depthUpdate","s":"BTCUSDT","u":105,"b":[],"a":[]})");
    CHECK(r.status == pc::feed_status::rejected);
    CHECK(r.reason.find("missing field 'U'") != std::string_view::npos);
    r = d.on_message(R"({"e":"depthUpdate","s":"BTCUSDT","U":"x","u":105,"b":[],"a":[]})");
    CHECK(r.status == pc::feed_status::rejected);
    CHECK(r.reason.find("'U'") != std::string_view::npos);
    r = d.on_message(R"({"e":"depthUpdate",)");
    CHECK(r.status == pc::feed_status::rejected);
    r = d.on_message(R"({"code":-1121,"msg":"Invalid symbol."})");
    CHECK(r.status == pc::feed_status::exchange_error);
    CHECK(r.reason.find("Invalid symbol.") != std::string_view::npos);
    r = d.on_message(R"({"result":null,"id":1})");
    CHECK(r.status == pc::feed_status::ignored);
    r = d.on_message(R"({"e":"depthUpdate","s":"ETHUSDT","U":1,"u":2,"b":[],"a":[]})");
    CHECK(r.status == pc::feed_status::rejected);
    CHECK(r.reason.find("unknown symbol 'ETHUSDT'") != std::string_view::npos);
}

TEST_CASE("Binance USD-M: real capture, pu chain; a dropped event is a gap for that symbol only") {
    const auto lines = read_lines(data_file("binance_usdm_full.jsonl.zst"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::binance_usdm);
    const auto t = r->totals();
    CHECK(t.bbo_checked > 500);
    CHECK(t.bbo_mismatched == 0);
    CHECK(t.gaps == 0);
    CHECK(t.rejected == 0);
    for (const auto& b : r->symbols()) CHECK_FALSE(b.stale());

    auto faulty = lines;
    const std::size_t drop = nth_line_with(faulty, 0, 20, {"sushiusdt@depth"});
    faulty.erase(faulty.begin() + static_cast<std::ptrdiff_t>(drop));
    auto f = replay(faulty);
    CHECK(f->totals().gaps == 1);
    CHECK(f->totals().resyncs == 1);
    CHECK(f->totals().bbo_mismatched == 0);
    CHECK(book_named(*f, "SUSHIUSDT").stale());
    CHECK_FALSE(book_named(*f, "CTKUSDT").stale());
}

TEST_CASE("Kraken v1: real slice, every checksum matches; a corrupted level fails its checksum and the book stays stale") {
    const auto lines = read_lines(data_file("kraken_xbtchf_ethchf.jsonl.zst"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::kraken);
    const auto t = r->totals();
    CHECK(t.checksums_ok > 500);
    CHECK(t.checksums_failed == 0);
    CHECK(t.rejected == 0);

    // Corrupt the volume of the first level of the 5th XBT/CHF update (one digit changed).
    auto faulty = lines;
    const std::size_t at = nth_line_with(faulty, 0, 5, {"[464,", "\\\"c\\\""});
    std::string& l = faulty[at];
    const std::size_t vol = l.find("\\\",\\\"", l.find("[[\\\"")) + 5;  // first character of the volume text
    l[vol] = l[vol] == '9' ? '8' : static_cast<char>(l[vol] + 1);
    auto f = replay(faulty);
    const auto ft = f->totals();
    CHECK(ft.checksums_failed == 1);
    CHECK(ft.resyncs == 1);
    const auto& x = book_named(*f, "XBT/CHF");
    CHECK(x.stale());
    CHECK(x.counters.dropped > 0);                   // later updates never touched the stale book
    CHECK_FALSE(book_named(*f, "ETH/CHF").stale());  // the other pair is unaffected
    CHECK(ft.checksums_ok + ft.checksums_failed < t.checksums_ok);

    // A dropped update changing the top 10 shows as a failed checksum at the next message.
    auto dropped = lines;
    const std::size_t d = nth_line_with(dropped, 0, 3, {"[496,", "\\\"c\\\""});
    dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(d));
    auto g = replay(dropped);
    CHECK(g->totals().checksums_failed == 1);
    CHECK(g->totals().resyncs == 1);
    CHECK(book_named(*g, "ETH/CHF").stale());
}

TEST_CASE("Kraken v2: book checksum with instrument precision, trades, errors") {
    pc::kraken_decoder d(10);
    d.set_instrument("BTC/USD", pc::instrument_spec{pc::grid_of_decimals(1), pc::grid_of_decimals(8)});
    // Checksums computed independently (Python zlib.crc32 of "1001150000000" "1002200000000" "100025000000" "999300000000").
    auto r = d.on_message(R"({"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":100.0,"qty":0.25},{"price":99.9,"qty":3}],"asks":[{"price":100.1,"qty":1.5},{"price":100.2,"qty":2}],"checksum":3266973428}]})");
    CHECK(r.status == pc::feed_status::ok);
    CHECK(d.totals().checksums_ok == 1);
    r = d.on_message(R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":100.0,"qty":0}],"asks":[],"checksum":2993081662,"timestamp":"2023-10-06T17:35:55.440295Z"}]})");
    CHECK(r.status == pc::feed_status::ok);
    CHECK(d.totals().checksums_ok == 2);
    CHECK(d.events().size() == 1);
    CHECK(d.events()[0].ev.ts.ns() == 1696613755440295000);
    r = d.on_message(R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":99.9,"qty":2}],"asks":[],"checksum":1}]})");
    CHECK(r.status == pc::feed_status::checksum_failed);
    CHECK(d.symbol(0).stale());
    r = d.on_message(R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":99.8,"qty":2}],"asks":[],"checksum":1}]})");
    CHECK(r.status == pc::feed_status::dropped);
    r = d.on_message(R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":100.1,"qty":0.5,"trade_id":9,"timestamp":"2023-10-06T17:35:55.440295Z"}]})");
    CHECK(r.status == pc::feed_status::ok);
    REQUIRE(d.events().size() == 1);
    CHECK(d.events()[0].ev.side == side::sell);  // a buy taker lifted a resting ask
    r = d.on_message(R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":99.85,"qty":2}],"asks":[],"checksum":1}]})");
    CHECK(r.status == pc::feed_status::rejected);
    CHECK(r.reason.find("price '99.85' not a whole multiple") != std::string_view::npos);
    r = d.on_message(R"({"method":"subscribe","success":false,"error":"Currency pair not supported"})");
    CHECK(r.status == pc::feed_status::exchange_error);
    r = d.on_message(R"({"event":"subscriptionStatus","status":"error","errorMessage":"Subscription depth not supported"})");
    CHECK(r.status == pc::feed_status::exchange_error);
    CHECK(r.reason.find("depth not supported") != std::string_view::npos);
    r = d.on_message(R"({"channel":"heartbeat"})");
    CHECK(r.status == pc::feed_status::ignored);
}

TEST_CASE("Coinbase Advanced Trade: real slice; a dropped message is a sequence gap that stales every book of the connection") {
    const auto lines = read_lines(data_file("coinbase_advanced_btcusd_ethusd_140.jsonl.zst"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::coinbase);
    const auto t = r->totals();
    CHECK(t.gaps == 0);
    CHECK(t.rejected == 0);
    CHECK(t.book_updates > 50);
    CHECK(t.trades > 0);
    for (const auto& b : r->symbols()) CHECK_FALSE(b.stale());

    auto faulty = lines;
    const std::size_t drop = nth_line_with(faulty, 0, 30, {"l2_data"});
    faulty.erase(faulty.begin() + static_cast<std::ptrdiff_t>(drop));
    auto f = replay(faulty);
    CHECK(f->totals().gaps == 1);
    CHECK(f->totals().resyncs == 2);
    for (const auto& b : f->symbols()) {
        CHECK(b.stale());
        CHECK(b.counters.dropped > 0);
    }
    // Error messages are reported as such.
    pc::coinbase_advanced_decoder d;
    auto e = d.on_message(R"({"type":"error","message":"authentication failure"})");
    CHECK(e.status == pc::feed_status::exchange_error);
    CHECK(e.reason.find("authentication failure") != std::string_view::npos);
}

TEST_CASE("Coinbase Exchange (legacy ws-feed): real slice; an undecodable message stales every book") {
    const auto lines = read_lines(data_file("coinbase_exchange_250.ws.gz"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::coinbase_exchange);
    const auto t = r->totals();
    CHECK(t.rejected == 0);
    CHECK(r->symbols().size() == 10);
    CHECK(t.book_updates > 100);
    for (const auto& b : r->symbols()) CHECK_FALSE(b.stale());

    auto faulty = lines;
    const std::size_t at = nth_line_with(faulty, 0, 40, {"l2update"});
    faulty[at] = faulty[at].substr(0, faulty[at].size() / 2);  // truncated mid-message
    auto f = replay(faulty);
    CHECK(f->totals().rejected == 1);
    CHECK(f->totals().resyncs == 10);
    for (const auto& b : f->symbols()) CHECK(b.stale());
}

TEST_CASE("Bitstamp: real capture aligned by microtimestamp; an off-grid level is rejected and stales that pair") {
    const auto lines = read_lines(data_file("bitstamp_full.jsonl.zst"));
    auto r = replay(lines);
    CHECK(r->exchange() == pc::exchange_kind::bitstamp);
    const auto t = r->totals();
    CHECK(t.rejected == 0);
    CHECK(t.dropped > 0);  // diffs older than their snapshot
    CHECK(t.book_updates > 500);
    for (const auto& b : r->symbols()) CHECK_FALSE(b.stale());

    auto faulty = lines;
    const std::size_t at = nth_line_with(faulty, 40, 0, {"diff_order_book_ethusd", "[[\\\""});
    std::string& l = faulty[at];
    const std::size_t px = l.find("[[\\\"") + 4;
    const std::size_t dot = l.find('.', px);
    l = l.substr(0, dot + 3) + "7" + l.substr(dot + 3);  // 3 decimals on a 2-decimal (counter_decimals) pair
    auto f = replay(faulty);
    CHECK(f->totals().rejected == 1);
    CHECK(f->totals().resyncs == 1);
    CHECK(book_named(*f, "ethusd").stale());
    CHECK_FALSE(book_named(*f, "bateur").stale());
}

TEST_CASE("Bitstamp: on_verify_snapshot compares the live book with a REST book at its microtimestamp") {
    // bitstamp_decoder::on_verify_snapshot; Bitstamp WebSocket API v2 "diff_order_book" has no
    // sequence number, so this is the only check of the stream.
    const auto diff = [](std::uint64_t micro, const char* bids, const char* asks) {
        return std::string(R"({"event":"data","channel":"diff_order_book_ethusd","data":{"microtimestamp":")") + std::to_string(micro) +
               R"(","bids":)" + bids + R"(,"asks":)" + asks + "}}";
    };
    const auto book = [](std::uint64_t micro, const char* bids, const char* asks) {
        return std::string(R"({"timestamp":"1","microtimestamp":")") + std::to_string(micro) + R"(","bids":)" + bids + R"(,"asks":)" + asks + "}";
    };
    const auto top = [](const pc::bitstamp_decoder& d, pinnacle::side s) {
        const auto& b = d.symbol(d.find("ethusd")).book;
        return b.depth(s) == 0 ? std::string() : std::to_string(b.level(s, 0).px.ticks()) + "x" + std::to_string(b.level(s, 0).size.lots());
    };
    pc::bitstamp_decoder d;
    d.set_instrument("ethusd", pc::instrument_spec{pc::grid_of_decimals(2), pc::grid_of_decimals(8)});
    REQUIRE(d.on_message(diff(90, R"([["100.00","1"]])", "[]")).status == pc::feed_status::buffered);
    REQUIRE(d.on_snapshot("ethusd", book(100, R"([["100.00","2"]])", R"([["101.00","3"]])")).status == pc::feed_status::ok);
    REQUIRE(d.on_message(diff(110, R"([["100.00","4"]])", "[]")).status == pc::feed_status::ok);
    const auto gaps = [&] { return d.totals().gaps; };

    SUBCASE("the same book at the same time: agreed, nothing changes") {
        CHECK(d.on_verify_snapshot("ethusd", book(110, R"([["100.00","4"]])", R"([["101.00","3"]])")).status == pc::feed_status::ok);
        CHECK(gaps() == 0);
        CHECK(d.events().empty());
    }
    SUBCASE("a different size at the same time: a gap, the book replaced") {
        const auto r = d.on_verify_snapshot("ethusd", book(110, R"([["100.00","5"]])", R"([["101.00","3"]])"));
        CHECK(r.status == pc::feed_status::gap);
        CHECK(gaps() == 1);
        CHECK(d.totals().resyncs == 1);
        CHECK(top(d, pinnacle::side::buy) == "10000x500000000");
        CHECK_FALSE(d.events().empty());
        CHECK_FALSE(d.symbol(d.find("ethusd")).stale());
    }
    SUBCASE("a level the exchange has not: a gap") {
        CHECK(d.on_verify_snapshot("ethusd", book(110, R"([["100.00","4"]])", "[]")).status == pc::feed_status::gap);
        CHECK(top(d, pinnacle::side::sell).empty());
    }
    SUBCASE("a later REST book is held until every diff up to its time is applied") {
        CHECK(d.on_verify_snapshot("ethusd", book(130, R"([["100.00","6"]])", R"([["101.00","3"]])")).status == pc::feed_status::ok);
        CHECK(d.on_message(diff(120, R"([["100.00","6"]])", "[]")).status == pc::feed_status::ok);  // up to 130: not compared yet
        CHECK(gaps() == 0);
        CHECK(d.on_message(diff(140, "[]", R"([["101.00","7"]])")).status == pc::feed_status::ok);  // past 130: compared, agreed
        CHECK(gaps() == 0);
        CHECK(top(d, pinnacle::side::sell) == "10100x700000000");
    }
    SUBCASE("a later REST book that the stream contradicts: a gap at the first newer diff, which then applies") {
        CHECK(d.on_verify_snapshot("ethusd", book(130, R"([["100.00","6"]])", R"([["101.00","3"]])")).status == pc::feed_status::ok);
        // the diff at 120 (100.00 -> 6) was lost: the book still has 4 at 100.00
        CHECK(d.on_message(diff(140, "[]", R"([["101.00","7"]])")).status == pc::feed_status::ok);
        CHECK(gaps() == 1);
        CHECK(top(d, pinnacle::side::buy) == "10000x600000000");
        CHECK(top(d, pinnacle::side::sell) == "10100x700000000");
    }
    SUBCASE("an older REST book, a stale book, bad input: nothing to compare, nothing changes") {
        CHECK(d.on_verify_snapshot("ethusd", book(105, R"([["1.00","1"]])", "[]")).status == pc::feed_status::ignored);
        CHECK(d.on_verify_snapshot("btcusd", book(110, "[]", "[]")).status == pc::feed_status::rejected);
        CHECK(d.on_verify_snapshot("ethusd", "{not json").status == pc::feed_status::rejected);
        CHECK(d.on_verify_snapshot("ethusd", R"({"microtimestamp":"110","bids":[]})").status == pc::feed_status::rejected);
        CHECK(d.on_verify_snapshot("ethusd", book(110, R"([["100.001","1"]])", "[]")).status == pc::feed_status::rejected);
        CHECK(gaps() == 0);
        CHECK(top(d, pinnacle::side::buy) == "10000x400000000");
    }
}

TEST_CASE("capture formats: unknown lines and unknown exchanges are errors naming the line") {
    pc::capture_replay r;
    CHECK_THROWS_WITH_AS(r.on_line("hello world", 3), doctest::Contains("line 3: not a known capture format"), std::runtime_error);
    pc::capture_replay q;
    CHECK_THROWS_WITH_AS(q.on_line(R"({"t":"recv","conn":"x","ts":1.5,"data":"{\"foo\":1}"})", 4), doctest::Contains("cannot tell the exchange"),
                         std::runtime_error);
    CHECK_THROWS_AS(pc::capture_reader("/no/such/capture.gz"), std::runtime_error);
}
