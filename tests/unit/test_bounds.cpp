// Hardening regressions: the documented bounds of core/bounds.hpp are enforced where
// input enters (readers, books, fee and latency models, the order-rate limit), values at the
// bounds work, values beyond them are clear errors, and output files are replaced atomically.

#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "pinnacle/apps/output_file.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/reference_book.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/venue/ledger.hpp"

using namespace pinnacle;

namespace {
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

// The what() of the parse_error reading `text` as a message file throws ("" if none).
std::string message_error(const std::string& text) {
    try {
        auto r = lobster_message_reader::from_buffer(text, "m.csv");
        market_event ev{};
        while (r.next(ev)) {
        }
    } catch (const parse_error& e) {
        return e.what();
    }
    return {};
}

std::string book_error(const std::string& text) {
    try {
        auto r = lobster_orderbook_reader::from_buffer(text, "b.csv");
        lobster_book_row row;
        while (r.next(row)) {
        }
    } catch (const parse_error& e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Files in `dir` whose name contains ".tmp." (what a failed atomic write must not leave).
std::size_t temporaries(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir))
        if (contains(f.path().filename().string(), ".tmp.")) ++n;
    return n;
}

market_event add_event(std::uint64_t id, side s, std::int64_t px, std::int64_t q) {
    market_event e{};
    e.type = event_type::add;
    e.id = order_id{id};
    e.side = s;
    e.px = price{px};
    e.size = qty{q};
    return e;
}
} // namespace

TEST_CASE("bounds: the constants keep price x qty and time + span inside int64") {
    CHECK(bounds::max_notional_tick_lots == 1'000'000'000'000'000'000);
    CHECK(bounds::max_price_ticks * bounds::max_qty_lots <= i64_max / 9);
    CHECK(bounds::max_timestamp_ns + bounds::max_duration_ns > 0);  // no wrap
    CHECK(bounds::price_ok(1));
    CHECK(bounds::price_ok(bounds::max_price_ticks));
    CHECK_FALSE(bounds::price_ok(0));
    CHECK_FALSE(bounds::price_ok(bounds::max_price_ticks + 1));
    CHECK_FALSE(bounds::price_ok(i64_min));
    CHECK(bounds::qty_ok(bounds::max_qty_lots));
    CHECK_FALSE(bounds::qty_ok(bounds::max_qty_lots + 1));
    CHECK_FALSE(bounds::fee_bps_ok(1e15));
    CHECK_FALSE(bounds::fee_bps_ok(std::numeric_limits<double>::quiet_NaN()));
}

// Finding 1: level sizes summed past 2^63 left a negative level and returned ok.
TEST_CASE("l3_book refuses sizes beyond the bound, per order and per level, and stays unchanged") {
    l3_book b(l3_book_config{64, 16});
    reference_book r;
    CHECK(b.add(order_id{1}, side::buy, price{5853300}, qty{i64_max}) == status::invalid_qty);
    CHECK(r.apply(add_event(1, side::buy, 5853300, i64_max)) == status::invalid_qty);
    CHECK(b.depth(side::buy) == 0);

    // Exactly at the bound: accepted; one more lot at that level: refused, level intact.
    CHECK(b.add(order_id{1}, side::buy, price{5853300}, qty{bounds::max_qty_lots - 1}) == status::ok);
    CHECK(b.add(order_id{2}, side::buy, price{5853300}, qty{1}) == status::ok);
    CHECK(b.size_at(side::buy, price{5853300}) == qty{bounds::max_qty_lots});
    CHECK(b.add(order_id{3}, side::buy, price{5853300}, qty{1}) == status::invalid_qty);
    CHECK(b.add_anonymous(side::buy, price{5853300}, qty{1}) == status::invalid_qty);
    CHECK(b.size_at(side::buy, price{5853300}) == qty{bounds::max_qty_lots});
    CHECK(b.find(order_id{3}) == nullptr);
    CHECK(b.order_count() == 2);
    // The id refused above is free again.
    CHECK(b.add(order_id{3}, side::buy, price{5853200}, qty{7}) == status::ok);

    // The reference book agrees.
    CHECK(r.apply(add_event(1, side::buy, 5853300, bounds::max_qty_lots - 1)) == status::ok);
    CHECK(r.apply(add_event(2, side::buy, 5853300, 1)) == status::ok);
    CHECK(r.apply(add_event(3, side::buy, 5853300, 1)) == status::invalid_qty);
    CHECK(r.add_anonymous(side::buy, price{5853300}, qty{1}) == status::invalid_qty);
}

// Finding 2 (book part): an ask at INT64_MIN negated its key; INT64_MAX prices overflowed sums.
TEST_CASE("l3_book refuses prices outside 1..max_price_ticks and queries at any price are safe") {
    l3_book b(l3_book_config{64, 16});
    for (const std::int64_t px : {i64_min, std::int64_t{-1}, std::int64_t{0}, bounds::max_price_ticks + 1, i64_max}) {
        CAPTURE(px);
        for (const side s : {side::buy, side::sell}) {
            CHECK(b.add(order_id{9}, s, price{px}, qty{1}) == status::invalid_price);
            CHECK(b.add_anonymous(s, price{px}, qty{1}) == status::invalid_price);
            CHECK(b.size_at(s, price{px}) == qty{0});
            CHECK(b.anonymous_at(s, price{px}) == qty{0});
            CHECK(b.reduce_anonymous(s, price{px}, qty{1}) == status::unknown_order);
            market_event del = add_event(77, s, px, 1);
            del.type = event_type::remove;
            CHECK(b.apply(del) == status::unknown_order);
        }
    }
    CHECK(b.depth(side::buy) == 0);
    CHECK(b.depth(side::sell) == 0);
    CHECK(b.add(order_id{1}, side::sell, price{bounds::max_price_ticks}, qty{bounds::max_qty_lots}) == status::ok);
    CHECK(b.add(order_id{2}, side::buy, price{1}, qty{bounds::max_qty_lots}) == status::ok);
    CHECK(b.level(side::sell, 0).px == price{bounds::max_price_ticks});
}

TEST_CASE("depth_book refuses levels outside the bounds; removing one there is a no-op") {
    depth_book b(4);
    CHECK(b.update(side::sell, price{i64_min}, qty{1}) == status::invalid_price);
    CHECK(b.update(side::sell, price{i64_min}, qty{0}) == status::ok);
    CHECK(b.update(side::buy, price{i64_max}, qty{1}) == status::invalid_price);
    // A depth level is an exchange's absolute size in fine lots (1 BTC = 10^8 lots): its own bound.
    CHECK(b.update(side::buy, price{100}, qty{bounds::max_depth_level_lots + 1}) == status::invalid_qty);
    CHECK(b.update(side::buy, price{100}, qty{bounds::max_qty_lots + 1}) == status::ok);
    CHECK(b.update(side::buy, price{100}, qty{0}) == status::ok);
    CHECK(b.update(side::buy, price{bounds::max_depth_price_ticks}, qty{bounds::max_depth_level_lots}) == status::ok);
    CHECK(b.update(side::buy, price{bounds::max_depth_price_ticks + 1}, qty{1}) == status::invalid_price);
    CHECK(b.depth(side::buy) == 1);
    CHECK(b.depth(side::sell) == 0);
}

TEST_CASE("LOBSTER readers refuse sizes, prices and times beyond the bounds, naming the field") {
    // Finding 1 reproducer: a size of 2^63 - 1 used to reach the book.
    const std::string big_size = message_error("34200.1,1,1,9223372036854775807,5853300,1\n34200.2,1,2,1,5853300,1\n");
    CHECK(contains(big_size, "m.csv:1: field 'size': size above 100000000 lots"));
    // Finding 2 reproducer: an ask at 2^63 - 1.
    const std::string big_price = message_error("34200.1,1,1,100,5853300,1\n34200.2,1,2,100,9223372036854775807,-1\n");
    CHECK(contains(big_price, "m.csv:2: field 'price': price above 10000000000 ticks"));
    CHECK(message_error("34200.1,1,1,100000000,10000000000,1\n").empty());  // both at the bound
    CHECK(contains(message_error("34200.1,1,1,100000001,5853300,1\n"), "field 'size'"));
    CHECK(contains(message_error("34200.1,6,-1,100,10000000001,1\n"), "field 'price'"));  // cross trades too
    // With 100-share lots the bound is on lots.
    instrument lots100 = lobster_instrument();
    lots100.lot_size = 100;
    auto r = lobster_message_reader::from_buffer("34200.1,1,1,10000000000,5853300,1\n", "m.csv", lots100);
    market_event ev{};
    CHECK(r.next(ev));
    CHECK(ev.size == qty{bounds::max_qty_lots});

    CHECK(book_error("10000000000,100000000,1,1\n").empty());
    CHECK(contains(book_error("5853300,100,5853200,9223372036854775807\n"), "b.csv:1: field 'BidSize1': size above"));
    CHECK(contains(book_error("10000000001,100,5853200,100\n"), "b.csv:1: field 'AskPrice1': price above"));
}

// Finding 7: a BOM, a missing file, /dev/zero.
TEST_CASE("LOBSTER readers: a BOM is named, file errors say why, lines are bounded") {
    CHECK(contains(message_error("\xEF\xBB\xBF" "34200.1,1,1,100,5853300,1\n"), "m.csv:1: field 'line': the file starts with a UTF-8 byte order mark (BOM)"));
    CHECK(contains(book_error("\xEF\xBB\xBF" "5853300,100,5853200,100\n"), "BOM"));
    const std::string missing = std::string(PINNACLE_TEST_DATA_DIR) + "/no_such_file.csv";
    try {
        lobster_message_reader rd(missing);
        FAIL("opened a missing file");
    } catch (const parse_error& e) {
        CHECK(contains(e.what(), "cannot open file: No such file or directory"));
    }
    try {
        lobster_message_reader rd(PINNACLE_TEST_DATA_DIR);
        FAIL("opened a directory");
    } catch (const parse_error& e) {
        CHECK(contains(e.what(), "cannot open file: Is a directory"));
    }
    // A line longer than the bound, in a buffer and in a file.
    const std::string long_line(bounds::max_line_bytes + 1, '1');
    CHECK(contains(message_error(long_line + "\n"), "field 'line': line longer than 1048576 bytes"));
    if (std::filesystem::exists("/dev/zero")) {
        try {
            lobster_message_reader rd("/dev/zero");
            FAIL("read /dev/zero");
        } catch (const parse_error& e) {
            CHECK(e.line() == 1);
            CHECK(e.field() == "line");
        }
    }
}

// Finding 3: --maker-fee-bps 1e15 gave a huge rebate, 1e300 silently no fee (UB in llround).
TEST_CASE("fee models: rates beyond the bounds are refused by check() and never overflow in fee()") {
    CHECK(bps_fees::check(bps_fees{-10'000.0, 10'000.0}).empty());
    CHECK_FALSE(bps_fees::check(bps_fees{1e15, 0.0}).empty());
    CHECK_FALSE(bps_fees::check(bps_fees{0.0, 1e300}).empty());
    CHECK_FALSE(bps_fees::check(bps_fees{std::numeric_limits<double>::quiet_NaN(), 0.0}).empty());
    CHECK(per_lot_fees::check(per_lot_fees{-1'000'000, 1'000'000}).empty());
    CHECK_FALSE(per_lot_fees::check(per_lot_fees{0, i64_max}).empty());
    CHECK_FALSE(fee_schedule::check(fee_schedule{per_lot_fees{}, bps_fees{1e15, 0}}).empty());

    // At the bounds: exact.
    const price top{bounds::max_price_ticks};
    const qty most{bounds::max_qty_lots};
    CHECK(bps_fees{10'000.0, 10'000.0}.fee(top, most, true) == notional{bounds::max_notional_tick_lots});
    CHECK(per_lot_fees{-1'000'000, 0}.fee(top, most, true) == notional{-100'000'000'000'000});
    // Beyond them (an API user who skipped check()): saturated, never wrapped or UB.
    CHECK(bps_fees{1e300, 0}.fee(top, most, true) == notional{bounds::max_notional_tick_lots});
    CHECK(bps_fees{-1e15, 0}.fee(price{5853300}, qty{100}, true) == notional{-bounds::max_notional_tick_lots});
    CHECK(bps_fees{std::numeric_limits<double>::quiet_NaN(), 0}.fee(top, most, true) == notional{0});
    CHECK(per_lot_fees{i64_max, 0}.fee(top, qty{i64_max}, true) == notional{bounds::max_notional_tick_lots});

    // The simulated venue checks its models at construction.
    using venue = simulated_venue<l3_book, fifo_queue, constant_latency, fee_schedule>;
    CHECK_THROWS_AS(venue(constant_latency{}, fee_schedule{per_lot_fees{}, bps_fees{1e15, 0}}), std::invalid_argument);
    CHECK_THROWS_AS(venue(constant_latency{duration{-1}, duration{0}}, fee_schedule{}), std::invalid_argument);
    CHECK_THROWS_AS(venue(constant_latency{duration{i64_max}, duration{0}}, fee_schedule{}), std::invalid_argument);
    CHECK_NOTHROW(venue(constant_latency{duration{bounds::max_duration_ns}, duration{0}}, fee_schedule{}));

    // Orders beyond the bounds never reach the simulated exchange.
    venue v(constant_latency{}, fee_schedule{});
    order_intent o{};
    o.cl_ord_id = order_id{1};
    o.px = price{i64_max};
    o.size = qty{100};
    CHECK(v.submit(o) == status::invalid_price);
    o.px = price{5853300};
    o.size = qty{bounds::max_qty_lots + 1};
    CHECK(v.submit(o) == status::invalid_qty);
    o.size = qty{bounds::max_qty_lots};
    CHECK(v.submit(o) == status::ok);
    CHECK(v.modify(order_id{1}, price{bounds::max_price_ticks + 1}, qty{1}, timestamp{}) == status::invalid_price);
}

// Finding 2 (breaker part): an ask at INT64_MAX overflowed bid + ask.
TEST_CASE("circuit_breaker ignores snapshots with prices outside the bounds") {
    circuit_breaker_config c;
    c.price_move_bps = 10.0;
    c.price_window = duration{1'000'000'000};
    circuit_breaker b(c);
    market_snapshot m;
    m.has_bid = m.has_ask = true;
    m.best_bid = price{5853300};
    m.best_ask = price{5853400};
    m.ts = timestamp{1};
    b.on_market(m);
    m.best_ask = price{i64_max};
    m.ts = timestamp{2};
    b.on_market(m);  // UBSan stopped here before
    CHECK(b.state(timestamp{3}) == breaker_state::closed);
    m.best_ask = price{bounds::max_price_ticks};  // within the bounds: a real 17,000x move, trips
    m.ts = timestamp{4};
    b.on_market(m);
    CHECK(b.state(timestamp{5}) == breaker_state::open);
}

// Finding 2 (ledger part): run-long sums saturate and say so instead of wrapping.
TEST_CASE("ledger: exact within the bounds, saturated and flagged beyond them") {
    ledger l;
    const price top{bounds::max_price_ticks};
    const qty most{bounds::max_qty_lots};
    l.on_fill(side::buy, top, most, notional{5});
    CHECK_FALSE(l.overflowed());
    CHECK(l.cash() == notional{-bounds::max_notional_tick_lots});
    CHECK(l.total_pnl_x2(top, top) == 2 * -bounds::max_notional_tick_lots + bounds::max_notional_tick_lots * 2 - 10);
    for (int i = 0; i < 20; ++i) l.on_fill(side::buy, top, most, notional{5});
    CHECK(l.overflowed());
    CHECK(l.cash() == notional{-i64_max});
    CHECK(l.position() == qty{21 * bounds::max_qty_lots});
    (void)l.total_pnl_x2(top, top);  // saturates; UBSan would stop here on a wrap
    l.mark(timestamp{60'000'000'000}, top, top);
    CHECK(l.total_pnl() <= static_cast<double>(i64_max));
}

// Finding 4: --max-orders-per-second 1e-8 refused nothing (the tolerance saturated at INT64_MAX).
TEST_CASE("order_rate_check: a tighter limit never becomes looser") {
    const order_intent o{};
    risk_state st{};
    st.now = timestamp{34'200'000'000'000};
    CHECK_FALSE(order_rate_check::check_config(1e-8, 200).empty());
    CHECK_FALSE(order_rate_check::check_config(1e-300, 1).empty());
    CHECK_FALSE(order_rate_check::check_config(1000, 1e6).empty());
    CHECK(order_rate_check::check_config(1e-6, 1000).empty());

    for (const double rate : {1e-8, 1e-300, 0.0, -1.0}) {  // below the bound: refuses everything
        order_rate_check c(rate, 200);
        CAPTURE(rate);
        for (int i = 0; i < 300; ++i) CHECK_FALSE(c.check(o, st).approved());
        CHECK(c.tokens(st.now) == 0);
    }
    // At the bound: the burst of 1000 goes, then nothing for 10^15 ns.
    order_rate_check slow(1e-6, 1000);
    int approved = 0;
    for (int i = 0; i < 1500; ++i) approved += slow.check(o, st).approved() ? 1 : 0;
    CHECK(approved == 1000);
    st.now = st.now + duration{999'999'999'999'999};
    CHECK_FALSE(slow.check(o, st).approved());
    st.now = st.now + duration{1};
    CHECK(slow.check(o, st).approved());
    // A burst above the bound counts as the bound (tighter), never as more.
    order_rate_check wide(1e-6, 1e12);
    approved = 0;
    for (int i = 0; i < 1500; ++i) approved += wide.check(o, st).approved() ? 1 : 0;
    CHECK(approved == 1000);
}

// Finding 5: output files were written in place.
TEST_CASE("write_file_atomically replaces a file whole, or leaves it untouched and no temporary") {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pinnacle_atomic_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string file = (dir / "out.json").string();

    CHECK(write_file_atomically(file, "old content\n").empty());
    CHECK(slurp(file) == "old content\n");
    CHECK(write_file_atomically(file, "new content\n").empty());
    CHECK(slurp(file) == "new content\n");
    CHECK(temporaries(dir) == 0);

    // A missing directory: the reason, nothing created.
    const std::string err = write_file_atomically((dir / "no_dir" / "x.json").string(), "x");
    CHECK(contains(err, "cannot write"));
    CHECK(contains(err, "No such file or directory"));
    // The destination is a directory: rename fails, the temporary is removed.
    std::filesystem::create_directories(dir / "sub");
    CHECK(contains(write_file_atomically((dir / "sub").string(), "x"), "Is a directory"));
    CHECK(temporaries(dir) == 0);

    // A full disk, simulated with a file size limit: the write fails (EFBIG), the old file stays.
    rlimit old_limit{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old_limit;
    small.rlim_cur = 4096;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    const std::string big(100'000, 'x');
    const std::string full = write_file_atomically(file, big);
    setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK(contains(full, "File too large"));
    CHECK(slurp(file) == "new content\n");
    CHECK(temporaries(dir) == 0);

    std::filesystem::remove_all(dir);
}
