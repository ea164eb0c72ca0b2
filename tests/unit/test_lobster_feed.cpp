// LOBSTER message/orderbook readers, parse_error and memory_source: real sample files parse
// completely, and every kind of malformed input is rejected with the right line and field.

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pinnacle/feed/concepts.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/memory_source.hpp"
#include "pinnacle/feed/parse_error.hpp"

using namespace pinnacle;

namespace {

// Not an EventSource: next() takes the wrong argument.
struct wrong_next {
    bool next(int&) { return false; }
};
// Not an EventSource: next() returns int, not pull_result.
struct int_next {
    int next(market_event&) { return 0; }
};
// Not an EventSource: the old bool answer cannot tell "nothing yet" from "the end".
struct bool_next {
    bool next(market_event&) { return false; }
};
static_assert(!EventSource<bool_next>);

static_assert(EventSource<lobster_message_reader>);
static_assert(EventSource<lobster_orderbook_reader>);
static_assert(EventSource<memory_source>);
static_assert(!EventSource<int>);
static_assert(!EventSource<wrong_next>);
static_assert(!EventSource<int_next>);
static_assert(noexcept(std::declval<memory_source&>().next(std::declval<market_event&>())));

const std::string test_dir = PINNACLE_TEST_DATA_DIR;
const std::string examples_dir = PINNACLE_EXAMPLES_DATA_DIR;  // the bundled full AMZN day
const std::string aapl_messages = test_dir + "/AAPL_2012-06-21_34200000_57600000_message_10.csv";
const std::string aapl_book = test_dir + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";

// A valid message line at time 34200 + `ns` ns (add, id 1, 100 shares at $585.33, buy).
std::string good_line(int ns = 1) {
    std::string frac = std::to_string(ns);
    frac.insert(0, 9 - frac.size(), '0');
    return "34200." + frac + ",1,1,100,5853300,1\n";
}

// Reads every message of `text`; the parse_error it throws, if any.
std::optional<parse_error> message_error(const std::string& text, const instrument& inst = lobster_instrument()) {
    try {
        auto r = lobster_message_reader::from_buffer(text, "bad.csv", inst);
        market_event ev{};
        while (r.next(ev)) {
        }
    } catch (const parse_error& e) {
        return e;
    }
    return std::nullopt;
}

// Reads every row of `text` as an orderbook file; the parse_error it throws, if any.
std::optional<parse_error> book_error(const std::string& text) {
    try {
        auto r = lobster_orderbook_reader::from_buffer(text, "book.csv");
        lobster_book_row row;
        while (r.next(row)) {
        }
    } catch (const parse_error& e) {
        return e;
    }
    return std::nullopt;
}

// Checks `text` fails at `line` in `field`, and that what() starts with "bad.csv:<line>: field '<field>':".
void check_message_error(const std::string& text, std::size_t line, const std::string& field,
                         const instrument& inst = lobster_instrument()) {
    CAPTURE(text);
    const auto e = message_error(text, inst);
    REQUIRE(e.has_value());
    CHECK(e->file() == "bad.csv");
    CHECK(e->line() == line);
    CHECK(e->field() == field);
    const std::string prefix = "bad.csv:" + std::to_string(line) + ": field '" + field + "': ";
    CHECK(std::string(e->what()).rfind(prefix, 0) == 0);
}

void check_book_error(const std::string& text, std::size_t line, const std::string& field) {
    CAPTURE(text);
    const auto e = book_error(text);
    REQUIRE(e.has_value());
    CHECK(e->file() == "book.csv");
    CHECK(e->line() == line);
    CHECK(e->field() == field);
}

std::vector<market_event> read_all(const std::string& text, const instrument& inst = lobster_instrument()) {
    auto r = lobster_message_reader::from_buffer(text, "ok.csv", inst);
    std::vector<market_event> out;
    market_event ev{};
    while (r.next(ev)) out.push_back(ev);
    return out;
}

std::array<std::size_t, 8> count_types(const std::vector<market_event>& evs) {
    std::array<std::size_t, 8> n{};
    for (const auto& e : evs) ++n[static_cast<std::size_t>(e.type) + 1];  // index = LOBSTER type code
    return n;
}

} // namespace

TEST_CASE("parse_error: message format, accessors, quoting") {
    const parse_error e("f.csv", 12, "price", "not an integer", "12x");
    CHECK(std::string(e.what()) == "f.csv:12: field 'price': not an integer (got '12x')");
    CHECK(e.file() == "f.csv");
    CHECK(e.line() == 12);
    CHECK(e.field() == "price");

    const parse_error longer("f.csv", 1, "time", "bad", std::string(100, 'a'));
    CHECK(std::string(longer.what()) == "f.csv:1: field 'time': bad (got '" + std::string(40, 'a') + "...')");

    const parse_error binary("f.csv", 3, "time", "bad", std::string("\xff\x01z", 3));
    CHECK(std::string(binary.what()) == "f.csv:3: field 'time': bad (got '\\xff\\x01z')");
}

TEST_CASE("lobster messages: bundled AAPL excerpt parses completely") {
    lobster_message_reader r(aapl_messages);
    std::vector<market_event> evs;
    market_event ev{};
    while (r.next(ev)) evs.push_back(ev);
    REQUIRE(evs.size() == 999);
    CHECK(r.line() == 999);

    const market_event& first = evs.front();
    CHECK(first.ts == timestamp{34'200'004'241'176});
    CHECK(first.type == event_type::add);
    CHECK(first.id == order_id{16'113'575});
    CHECK(first.size == qty{18});
    CHECK(first.px == price{5'853'300});
    CHECK(first.side == side::buy);
    // "34200.00426064": LOBSTER drops trailing zeros, so 8 decimals mean ...640 ns.
    CHECK(evs[1].ts == timestamp{34'200'004'260'640});

    const auto n = count_types(evs);
    CHECK(n[1] == 471);
    CHECK(n[2] == 0);
    CHECK(n[3] == 369);
    CHECK(n[4] == 98);
    CHECK(n[5] == 61);
    CHECK(n[6] == 0);
    CHECK(n[7] == 0);
    for (std::size_t i = 1; i < evs.size(); ++i) CHECK(evs[i - 1].ts <= evs[i].ts);
    for (const auto& e : evs)
        if (e.type == event_type::execute_hidden) CHECK(e.id == order_id{0});

    CHECK(load_lobster_messages(aapl_messages).size() == 999);
}

TEST_CASE("lobster orderbook: bundled AAPL excerpt parses completely and agrees with the messages") {
    lobster_orderbook_reader books(aapl_book);
    REQUIRE(books.levels() == 10);
    const auto msgs = load_lobster_messages(aapl_messages);

    lobster_book_row row;
    REQUIRE(books.next(row));
    REQUIRE(row.asks.size() == 10);
    REQUIRE(row.bids.size() == 10);
    CHECK(row.asks[0] == book_level{price{5'859'400}, qty{200}});
    CHECK(row.bids[0] == book_level{price{5'853'300}, qty{18}});
    CHECK(row.asks[9] == book_level{price{5'879'000}, qty{500}});
    CHECK(row.bids[9] == book_level{price{5'842'700}, qty{300}});
    const book_level* const ask_data = row.asks.data();
    const book_level* const bid_data = row.bids.data();

    // Every add is within the requested depth (LOBSTER writes no others), so the row after it
    // must show its price on its side with at least its size.
    std::size_t rows = 1;
    std::size_t adds_seen = 0;
    do {
        const market_event& m = msgs[rows - 1];
        if (m.type == event_type::add) {
            const auto& lv = m.side == side::buy ? row.bids : row.asks;
            bool found = false;
            for (const auto& l : lv) found = found || (l.px == m.px && l.size >= m.size);
            CHECK(found);
            ++adds_seen;
        }
        if (!books.next(row)) break;
        ++rows;
    } while (true);
    CHECK(rows == 999);
    CHECK(adds_seen == 471);
    CHECK(books.line() == 999);
    // The row's vectors were reused: no reallocation after the first row. (Under ASan, whose
    // quarantine never hands a freed block straight back, a free-and-reallocate changes data().)
    CHECK(row.asks.data() == ask_data);
    CHECK(row.bids.data() == bid_data);
}

TEST_CASE("lobster orderbook: EventSource view yields depth snapshots") {
    auto r = lobster_orderbook_reader::from_buffer("101,5,99,7,102,3,-9999999999,0\n"
                                                   "9999999999,0,-9999999999,0,9999999999,0,-9999999999,0\n",
                                                   "book.csv");
    REQUIRE(r.levels() == 2);
    std::vector<market_event> evs;
    market_event ev{};
    while (r.next(ev)) evs.push_back(ev);
    REQUIRE(evs.size() == 4);  // 2 asks + 1 bid, then one clearing event for the empty book
    for (const auto& e : evs) CHECK(e.type == event_type::depth_snapshot);
    CHECK(evs[0].side == side::sell);
    CHECK(evs[0].px == price{101});
    CHECK(evs[0].size == qty{5});
    CHECK(evs[0].flags == event_flags::first);
    CHECK(evs[1].px == price{102});
    CHECK(evs[1].flags == event_flags::none);
    CHECK(evs[2].side == side::buy);
    CHECK(evs[2].px == price{99});
    CHECK(evs[2].size == qty{7});
    CHECK(evs[2].flags == event_flags::last);
    CHECK(evs[3].size == qty{0});
    CHECK(evs[3].flags == (event_flags::first | event_flags::last));
}

TEST_CASE("lobster: the bundled AMZN-1 day (examples/data) parses completely") {
    const std::string m = examples_dir + "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
    const std::string b = examples_dir + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";

    const auto evs = load_lobster_messages(m);
    CHECK(evs.size() == 57'515);
    const auto n = count_types(evs);
    CHECK(n[1] == 27'845);
    CHECK(n[2] == 16);
    CHECK(n[3] == 18'235);
    CHECK(n[4] == 8'974);
    CHECK(n[5] == 2'445);

    lobster_orderbook_reader books(b);
    CHECK(books.levels() == 1);
    lobster_book_row row;
    std::size_t rows = 0;
    std::size_t adds_at_top = 0;
    while (books.next(row)) {
        const market_event& e = evs[rows++];
        // Level 1: an add in the message file is at the best price of its side afterwards.
        if (e.type == event_type::add) {
            const auto& lv = e.side == side::buy ? row.bids : row.asks;
            REQUIRE(!lv.empty());
            if (lv[0].px == e.px) ++adds_at_top;
        }
    }
    CHECK(rows == 57'515);
    CHECK(adds_at_top == n[1]);
}

// Excerpts bundled in tests/data/unpaired (first 2,000 and 3,500 lines; see tests/data/README.md).
// The full days are replayed by the example tests when PINNACLE_EXTRA_LOBSTER_DIR holds them.
TEST_CASE("lobster: unpaired GOOG-5 excerpt (5-decimal times) and AMZN-2021 excerpt (7 columns, cross trade)") {
    const auto goog = load_lobster_messages(test_dir + "/unpaired/GOOG_2012-06-21_34200000_57600000_message_5.csv");
    CHECK(goog.size() == 2'000);
    REQUIRE(!goog.empty());
    CHECK(goog.front().ts == timestamp{34'200'015'110'000});
    CHECK(goog.front().type == event_type::execute);
    CHECK(goog.back().ts == timestamp{34'591'455'950'000});
    const auto ng = count_types(goog);
    CHECK(ng[1] == 888);
    CHECK(ng[3] == 744);
    CHECK(ng[4] == 165);
    CHECK(ng[5] == 203);

    const auto amzn = load_lobster_messages(test_dir + "/unpaired/AMZN_2021-04-12_34200000_57600000_message_10.csv");
    CHECK(amzn.size() == 3'500);
    const auto n = count_types(amzn);
    CHECK(n[6] == 1);
    CHECK(n[2] == 2);
    std::size_t crosses = 0;
    for (const auto& e : amzn) {
        if (e.type != event_type::cross_trade) continue;
        ++crosses;
        CHECK(e.id == order_id{0});  // -1 in the file
        CHECK(e.size == qty{45'725});
        CHECK(e.px == price{33'552'100});
        CHECK(e.side == side::sell);
    }
    CHECK(crosses == 1);
}

TEST_CASE("lobster messages: accepted variants") {
    SUBCASE("CRLF, 7th column, missing final newline, trailing empty lines") {
        const std::string crlf = "34200.1,1,5,10,5853300,1\r\n34200.2,3,5,10,5853300,1,null\r\n";
        CHECK(read_all(crlf).size() == 2);
        CHECK(read_all("34200.1,1,5,10,5853300,1").size() == 1);
        CHECK(read_all("34200.1,1,5,10,5853300,-1\n\n\n").size() == 1);
        CHECK(read_all("34200.1,1,5,10,5853300,-1\r\n\r\n").size() == 1);
        CHECK(read_all("34200.1,1,5,10,5853300,-1,anything at all\n").size() == 1);
        const auto evs = read_all(crlf);
        CHECK(evs[0].ts == timestamp{34'200'100'000'000});
        CHECK(evs[1].type == event_type::remove);
    }
    SUBCASE("empty input gives no events") {
        CHECK(read_all("").empty());
        CHECK(read_all("\n").empty());
        CHECK(read_all("\r\n\n").empty());
    }
    SUBCASE("times: no decimals, 9 decimals, equal times") {
        const auto evs = read_all("55328,1,1,9,5657100,-1\n55328.000000001,2,1,4,5657100,-1\n55328.000000001,4,1,5,5657100,-1\n");
        REQUIRE(evs.size() == 3);
        CHECK(evs[0].ts == timestamp{55'328'000'000'000});
        CHECK(evs[1].ts == timestamp{55'328'000'000'001});
        CHECK(evs[1].type == event_type::cancel);
        CHECK(evs[2].type == event_type::execute);
        CHECK(evs[2].side == side::sell);
    }
    SUBCASE("halts carry their state in aux") {
        const auto evs = read_all("36023,7,0,0,-1,-1\n36323,7,0,0,0,-1\n36723,7,0,0,1,-1\n");
        REQUIRE(evs.size() == 3);
        CHECK(evs[0].type == event_type::halt);
        CHECK(evs[0].halt() == halt_state::halted);
        CHECK(evs[1].halt() == halt_state::quoting_resumed);
        CHECK(evs[2].halt() == halt_state::trading_resumed);
        CHECK(evs[2].px == price{0});
        CHECK(evs[2].size == qty{0});
    }
    SUBCASE("cross trade with order id -1, hidden execution") {
        const auto evs = read_all("34201.1,6,-1,45725,33552100,-1\n34201.2,5,0,10,33578400,1\n");
        REQUIRE(evs.size() == 2);
        CHECK(evs[0].type == event_type::cross_trade);
        CHECK(evs[0].id == order_id{0});
        CHECK(evs[1].type == event_type::execute_hidden);
        CHECK(evs[1].size == qty{10});
    }
    SUBCASE("prices become ticks of the instrument's tick size") {
        instrument coarse = lobster_instrument("X");
        coarse.tick_size = 100;
        const auto evs = read_all("34200.1,1,5,10,5853300,1\n", coarse);
        REQUIRE(evs.size() == 1);
        CHECK(evs[0].px == price{58'533});
    }
}

TEST_CASE("lobster messages: malformed input names line and field") {
    const std::string ok1 = good_line(1);
    const std::string ok2 = good_line(2);

    SUBCASE("column count") {
        check_message_error(ok1 + "34200.000000003,1,1,100,5853300\n", 2, "columns");
        check_message_error(ok1 + ok2 + "34200.000000003,1,1,100,5853300,1,null,extra\n", 3, "columns");
        check_message_error("garbage\n", 1, "columns");
        const auto e = message_error(ok1 + "1,2,3\n");
        REQUIRE(e.has_value());
        CHECK(std::string(e->what()) == "bad.csv:2: field 'columns': expected 6 or 7 columns, got 3 (got '1,2,3')");
    }
    SUBCASE("a line of only commas") { check_message_error(ok1 + ",,,,,\n", 2, "time"); }
    SUBCASE("bad time") {
        check_message_error(ok1 + "34200.abc,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + "3420x.1,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + "34200.0000000011,1,1,100,5853300,1\n", 2, "time");  // 10 decimals
        check_message_error("-34200.1,1,1,100,5853300,1\n", 1, "time");
        check_message_error("+34200.1,1,1,100,5853300,1\n", 1, "time");
        check_message_error(ok1 + "34200.,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + ".5,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + "34200.1.2,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + "34200.-1,1,1,100,5853300,1\n", 2, "time");
        check_message_error(ok1 + " 34200.1,1,1,100,5853300,1\n", 2, "time");
        check_message_error("9223372037.0,1,1,100,5853300,1\n", 1, "time");  // ns overflow int64
        check_message_error("99999999999999999999999.5,1,1,100,5853300,1\n", 1, "time");
        check_message_error(std::string("\xef\xbb\xbf") + ok1, 1, "line");  // a UTF-8 BOM (see the bounds test case)
    }
    SUBCASE("the largest time within the bounds is accepted, one ns more is not") {
        CHECK(read_all("4611686018.427387904,1,1,100,5853300,1\n").at(0).ts == timestamp{bounds::max_timestamp_ns});
        check_message_error("4611686018.427387905,1,1,100,5853300,1\n", 1, "time");
        check_message_error("9223372036.854775807,1,1,100,5853300,1\n", 1, "time");
    }
    SUBCASE("time going backwards") {
        check_message_error(ok2 + ok2 + ok1, 3, "time");
        const auto e = message_error(ok2 + ok1);
        REQUIRE(e.has_value());
        CHECK(std::string(e->what()).find("time goes backwards") != std::string::npos);
    }
    SUBCASE("bad type") {
        check_message_error(ok1 + "34200.1,0,1,100,5853300,1\n", 2, "type");
        check_message_error(ok1 + "34200.1,8,1,100,5853300,1\n", 2, "type");
        check_message_error(ok1 + "34200.1,x,1,100,5853300,1\n", 2, "type");
        check_message_error(ok1 + "34200.1,,1,100,5853300,1\n", 2, "type");
    }
    SUBCASE("bad order id") {
        check_message_error(ok1 + "34200.1,1,-5,100,5853300,1\n", 2, "order id");
        check_message_error(ok1 + "34200.1,1,-1,100,5853300,1\n", 2, "order id");  // -1 never names a visible order
        check_message_error(ok1 + "34200.1,4,-1,100,5853300,1\n", 2, "order id");
        check_message_error(ok1 + "34200.1,6,-2,100,5853300,1\n", 2, "order id");
        // Pre-2011 exports carry the hidden order's id on type 5; -1 is accepted on rows naming no visible order.
        CHECK_FALSE(message_error(ok1 + "34200.1,5,7,100,5853300,1\n").has_value());
        CHECK_FALSE(message_error(ok1 + "34200.1,5,-1,100,5853300,1\n").has_value());
        check_message_error(ok1 + "34200.1,1,123456789012345678901234567890,100,5853300,1\n", 2, "order id");
        const auto e = message_error(ok1 + "34200.1,1,123456789012345678901234567890,100,5853300,1\n");
        REQUIRE(e.has_value());
        CHECK(std::string(e->what()).find("out of range") != std::string::npos);
    }
    SUBCASE("bad size") {
        check_message_error(ok1 + "34200.1,1,1,0,5853300,1\n", 2, "size");
        check_message_error(ok1 + "34200.1,4,1,0,5853300,1\n", 2, "size");
        check_message_error(ok1 + "34200.1,1,1,-3,5853300,1\n", 2, "size");
        check_message_error(ok1 + "34200.1,1,1,1e3,5853300,1\n", 2, "size");
        check_message_error(ok1 + "34200.1,7,0,-5,-1,-1\n", 2, "size");
    }
    SUBCASE("bad price") {
        check_message_error(ok1 + "34200.1,1,1,100,585.33,1\n", 2, "price");
        check_message_error(ok1 + "34200.1,1,1,100,abc,1\n", 2, "price");
        check_message_error(ok1 + "34200.1,1,1,100,0,1\n", 2, "price");
        check_message_error(ok1 + "34200.1,4,1,100,-5853300,1\n", 2, "price");
        check_message_error(ok1 + "34200.1,1,1,100,99999999999999999999,1\n", 2, "price");
    }
    SUBCASE("price not a multiple of the tick size") {
        instrument coarse = lobster_instrument("X");
        coarse.tick_size = 100;
        check_message_error(ok1 + "34200.1,1,1,100,5853301,1\n", 2, "price", coarse);
        const auto e = message_error(ok1 + "34200.1,1,1,100,5853301,1\n", coarse);
        REQUIRE(e.has_value());
        CHECK(std::string(e->what()).find("price not a multiple of the tick size") != std::string::npos);
        CHECK_FALSE(message_error(ok1 + "34200.1,1,1,100,5853301,1\n").has_value());  // tick 1: fine
    }
    SUBCASE("bad direction") {
        check_message_error(ok1 + "34200.1,1,1,100,5853300,0\n", 2, "direction");
        check_message_error(ok1 + "34200.1,1,1,100,5853300,2\n", 2, "direction");
        check_message_error(ok1 + "34200.1,1,1,100,5853300,+1\n", 2, "direction");
        check_message_error(ok1 + "34200.1,7,0,0,-1,0\n", 2, "direction");
    }
    SUBCASE("bad halt") {
        check_message_error(ok1 + "34200.1,7,0,0,5,-1\n", 2, "price");
        check_message_error(ok1 + "34200.1,7,0,0,-2,-1\n", 2, "price");
        check_message_error(ok1 + "34200.1,7,x,0,-1,-1\n", 2, "order id");
    }
    SUBCASE("empty line before more data") {
        check_message_error(ok1 + "\n" + ok2, 2, "line");
        check_message_error(ok1 + "\r\n" + ok2, 2, "line");
        check_message_error("\n" + ok1, 1, "line");
    }
    SUBCASE("non-ASCII bytes and NUL") {
        check_message_error(ok1 + "34200.1,1,1,1\xc3\xa9,5853300,1\n", 2, "size");
        check_message_error(ok1 + std::string("34200.1,1,1,100,5853300,1\0", 26) + "\n", 2, "direction");
    }
    SUBCASE("cannot open file") {
        const std::string missing = test_dir + "/no_such_file.csv";
        try {
            lobster_message_reader r(missing);
            FAIL("opened a missing file");
        } catch (const parse_error& e) {
            CHECK(e.line() == 0);
            CHECK(e.file() == missing);
            CHECK(e.field() == "file");
            CHECK(std::string(e.what()).find("cannot open file") != std::string::npos);
        }
        CHECK_THROWS_AS(lobster_message_reader{test_dir}, parse_error);  // a directory
        CHECK_THROWS_AS(lobster_orderbook_reader{missing}, parse_error);
        CHECK_THROWS_AS((void)load_lobster_messages(missing), parse_error);
    }
    SUBCASE("the reader continues after a bad line and line() tracks it") {
        auto r = lobster_message_reader::from_buffer(ok1 + "x\n" + ok2, "bad.csv");
        market_event ev{};
        CHECK(r.next(ev));
        CHECK(r.line() == 1);
        CHECK_THROWS_AS((void)r.next(ev), parse_error);
        CHECK(ev.ts == timestamp{34'200'000'000'001});  // unchanged by the failed line
        CHECK(r.next(ev));
        CHECK(r.line() == 3);
        CHECK(ev.ts == timestamp{34'200'000'000'002});
        CHECK_FALSE(r.next(ev));
        CHECK_FALSE(r.next(ev));
    }
    SUBCASE("a non-positive tick size is refused up front") {
        instrument broken = lobster_instrument();
        broken.tick_size = 0;
        CHECK_THROWS_AS((void)lobster_message_reader::from_buffer(ok1, "x", broken), std::invalid_argument);
    }
}

TEST_CASE("lobster orderbook: malformed input names line and column") {
    const std::string row = "101,5,99,5,102,5,98,5\n";
    SUBCASE("first row's column count not a multiple of 4") {
        check_book_error("101,5,99,5,102,5\n", 1, "columns");
        check_book_error("101\n", 1, "columns");
        // Found at construction, before any row is read, since levels() must be known up front.
        try {
            (void)lobster_orderbook_reader::from_buffer("101,5,99,5,102,5\n", "book.csv");
            FAIL("accepted 6 columns");
        } catch (const parse_error& e) {
            CHECK(std::string(e.what()) ==
                  "book.csv:1: field 'columns': column count must be a multiple of 4, got 6 (got '101,5,99,5,102,5')");
        }
    }
    SUBCASE("inconsistent column count on row 3") {
        check_book_error(row + row + "101,5,99,5\n", 3, "columns");
        check_book_error(row + row + row + "101,5,99,5,102,5,98,5,103\n", 4, "columns");
    }
    SUBCASE("dummy level with non-zero size") {
        check_book_error(row + "101,5,99,5,9999999999,3,98,5\n", 2, "AskSize2");
        check_book_error(row + "101,5,99,5,102,5,-9999999999,1\n", 2, "BidSize2");
    }
    SUBCASE("real level after a dummy level") {
        check_book_error("101,5,99,5,9999999999,0,98,5,103,5,97,5\n", 1, "AskPrice3");
        check_book_error("101,5,-9999999999,0,102,5,98,5\n", 1, "BidPrice2");
    }
    SUBCASE("unsorted levels") {
        check_book_error(row + "101,5,99,5,100,5,98,5\n", 2, "AskPrice2");
        check_book_error(row + "101,5,99,5,101,5,98,5\n", 2, "AskPrice2");  // equal: not strictly
        check_book_error(row + "101,5,99,5,102,5,99,5\n", 2, "BidPrice2");
    }
    SUBCASE("bad numbers and sizes") {
        check_book_error(row + "101,5,99,x,102,5,98,5\n", 2, "BidSize1");
        check_book_error(row + "101,5,99,5,102,-5,98,5\n", 2, "AskSize2");
        check_book_error(row + "101,0,99,5,102,5,98,5\n", 2, "AskSize1");
        check_book_error(row + ",,,,,,,\n", 2, "AskPrice1");
        check_book_error(row + "\n" + row, 2, "line");
    }
    SUBCASE("dummy levels are dropped, not returned") {
        auto r = lobster_orderbook_reader::from_buffer("101,5,99,5,9999999999,0,-9999999999,0\r\n", "book.csv");
        lobster_book_row out;
        REQUIRE(r.next(out));
        CHECK(out.asks.size() == 1);
        CHECK(out.bids.size() == 1);
        CHECK(out.bids[0] == book_level{price{99}, qty{5}});
        CHECK_FALSE(r.next(out));
    }
    SUBCASE("empty file") {
        auto r = lobster_orderbook_reader::from_buffer("", "book.csv");
        CHECK(r.levels() == 0);
        lobster_book_row out;
        CHECK_FALSE(r.next(out));
    }
}

TEST_CASE("memory_source replays a span and rewinds") {
    std::vector<market_event> evs(3);
    evs[0].ts = timestamp{1};
    evs[1].ts = timestamp{2};
    evs[2].ts = timestamp{3};
    memory_source src(evs);
    market_event ev{};
    CHECK(src.remaining() == 3);
    REQUIRE(src.next(ev));
    CHECK(ev.ts == timestamp{1});
    REQUIRE(src.next(ev));
    REQUIRE(src.next(ev));
    CHECK(ev.ts == timestamp{3});
    CHECK_FALSE(src.next(ev));
    CHECK(ev.ts == timestamp{3});  // untouched at the end
    src.reset();
    REQUIRE(src.next(ev));
    CHECK(ev.ts == timestamp{1});
    memory_source empty;
    CHECK_FALSE(empty.next(ev));
}

TEST_CASE("lobster file names give the depth L, or 0") {
    CHECK(lobster_levels_from_name("data/AMZN_2012-06-21_34200000_57600000_message_1.csv") == 1);
    CHECK(lobster_levels_from_name("AAPL_2012-06-21_34200000_57600000_orderbook_10.csv") == 10);
    CHECK(lobster_levels_from_name("x_message_10.csv.bak") == 10);  // only the ".csv" after L is checked
    CHECK(lobster_levels_from_name("AAPL_message_.csv") == 0);
    CHECK(lobster_levels_from_name("AAPL_message_5.txt") == 0);
    CHECK(lobster_levels_from_name("trades.csv") == 0);
    CHECK(lobster_levels_from_name("") == 0);
}

namespace {
std::vector<lobster_book_row> read_rows(const std::string& text) {
    auto r = lobster_orderbook_reader::from_buffer(text, "book.csv");
    std::vector<lobster_book_row> rows;
    lobster_book_row row;
    while (r.next(row)) rows.push_back(row);
    return rows;
}
} // namespace

TEST_CASE("lobster messages: numbers at the integer limits (one-pass fast path and strict path agree)") {
    // Up to 18 digits the fast path reads a number, beyond it the strict path: same values.
    const auto evs = read_all("34200.1,1,999999999999999999,10,5853300,1\n"
                              "34200.2,1,18446744073709551615,10,5853300,-1\n"
                              "999999999.5,1,7,10,5853300,1\n"
                              "1000000000.5,1,7,100000000,10000000000,1\n");
    REQUIRE(evs.size() == 4);
    CHECK(evs[0].id == order_id{999'999'999'999'999'999ULL});
    CHECK(evs[1].id == order_id{18'446'744'073'709'551'615ULL});
    CHECK(evs[1].side == side::sell);
    CHECK(evs[2].ts == timestamp{999'999'999'500'000'000});
    CHECK(evs[3].ts == timestamp{1'000'000'000'500'000'000});
    CHECK(evs[3].size == qty{bounds::max_qty_lots});
    CHECK(evs[3].px == price{bounds::max_price_ticks});
    const std::string ok1 = good_line(1);
    check_message_error(ok1 + "34200.1,1,18446744073709551616,10,5853300,1\n", 2, "order id");
    check_message_error(ok1 + "34200.1,1,7,9223372036854775807,5853300,1\n", 2, "size");
    check_message_error(ok1 + "34200.1,1,7,9223372036854775808,5853300,1\n", 2, "size");
    check_message_error(ok1 + "34200.1,1,7,100000001,5853300,1\n", 2, "size");
    check_message_error(ok1 + "34200.1,1,7,10,9223372036854775807,1\n", 2, "price");
    check_message_error(ok1 + "34200.1,1,7,10,-9223372036854775808,1\n", 2, "price");
    check_message_error(ok1 + "34200.1,1,7,10,10000000001,1\n", 2, "price");
    check_message_error(ok1 + "9223372036.854775808,1,7,10,5853300,1\n", 2, "time");
    check_message_error(ok1 + "34200.1,1,7,10,5853300,1\r\r\n", 2, "direction");
    // A 7th column longer than the fast path looks at is still read.
    CHECK(read_all("34200.1,1,5,10,5853300,1," + std::string(300, 'x') + "\n34200.2,1,6,10,5853300,1\n").size() == 2);
}

TEST_CASE("lobster orderbook: numbers at the integer limits") {
    const auto rows = read_rows("10000000000,100000000,9999,1,9999999999,0,-9999999999,0\n");
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].asks.size() == 1);
    CHECK(rows[0].asks[0].px == price{bounds::max_price_ticks});
    CHECK(rows[0].asks[0].size == qty{bounds::max_qty_lots});
    CHECK(rows[0].bids.size() == 1);
    const std::string row = "101,5,99,5\n";
    check_book_error(row + "9223372036854775807,5,99,5\n", 2, "AskPrice1");
    check_book_error(row + "9223372036854775808,5,99,5\n", 2, "AskPrice1");
    check_book_error(row + "101,5,-9223372036854775808,5\n", 2, "BidPrice1");
    check_book_error(row + "101,5,-9223372036854775809,5\n", 2, "BidPrice1");
    check_book_error(row + "101,-9223372036854775808,99,5\n", 2, "AskSize1");
    check_book_error(row + "101,5,99,9223372036854775807\n", 2, "BidSize1");
}
