// The JSONL event log: the SPSC queue across two threads, every line parsing with nlohmann_json,
// the file renamed only when complete, drops counted on a full queue, and a real backtest whose
// lines match its report (fills, quotes, cancels, refusals, one strategy_metrics per second).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/journal/jsonl/event_log.hpp"
#include "pinnacle/journal/jsonl/recorder.hpp"
#include "pinnacle/memory/spsc_queue.hpp"

using namespace pinnacle;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string temp_path(const char* name) {
    const fs::path p = fs::temp_directory_path() / ("pinnacle_jsonl_test_" + std::string(name) + "_" + std::to_string(::getpid()) + ".jsonl");
    fs::remove(p);
    fs::remove(p.string() + ".partial");
    return p.string();
}

// Every line of `path` parsed (a line that does not parse fails the test, naming it).
std::vector<json> read_lines(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<json> out;
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        INFO(path << ":" << n << ": " << line.substr(0, 200));
        json j = json::parse(line, nullptr, false);
        REQUIRE_FALSE(j.is_discarded());
        REQUIRE(j.is_object());
        REQUIRE(j.contains("type"));
        out.push_back(std::move(j));
    }
    return out;
}

jsonl_record metrics_record(std::int64_t ts) {
    jsonl_record r{};
    r.type = jsonl_type::strategy_metrics;
    r.ts = ts;
    r.u.metrics.position = ts % 7;
    return r;
}

// The first 10,000 messages of the bundled AMZN day (09:30 to about 10:25), so the test stays a
// few seconds under the sanitizers.
const lobster_day& amzn_day() {
    static const lobster_day day = [] {
        lobster_day d =
            load_lobster_day(std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_message_1.csv",
                             std::string(PINNACLE_EXAMPLES_DATA_DIR) + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv");
        d.messages.resize(10'000);
        d.rows.resize(10'000);
        return d;
    }();
    return day;
}

} // namespace

TEST_CASE("spsc_queue: capacity, FIFO order, full and empty") {
    spsc_queue<int> q(5);
    CHECK(q.capacity() == 8);
    int v = 0;
    CHECK_FALSE(q.try_pop(v));
    for (int i = 0; i < 8; ++i) CHECK(q.try_push(i) == status::ok);
    CHECK(q.try_push(99) == status::pool_exhausted);
    CHECK(q.size_approx() == 8);
    for (int i = 0; i < 8; ++i) {
        REQUIRE(q.try_pop(v));
        CHECK(v == i);
    }
    CHECK_FALSE(q.try_pop(v));
    CHECK(spsc_queue<int>(0).capacity() == 2);
}

TEST_CASE("spsc_queue: one producer and one consumer thread keep every value in order") {
    spsc_queue<std::uint64_t> q(64);
    constexpr std::uint64_t n = 200'000;
    std::uint64_t bad = 0;
    std::thread consumer([&] {
        std::uint64_t want = 0;
        std::uint64_t v = 0;
        while (want < n) {
            if (!q.try_pop(v)) {
                std::this_thread::yield();
                continue;
            }
            if (v != want) ++bad;
            ++want;
        }
    });
    for (std::uint64_t i = 0; i < n; ++i)
        while (q.try_push(i) != status::ok) std::this_thread::yield();
    consumer.join();
    CHECK(bad == 0);
}

TEST_CASE("jsonl_log: every line parses; session_start first, session_end last; renamed at close") {
    const std::string path = temp_path("basic");
    jsonl_options o;
    o.path = path;
    o.queue_capacity = 16;  // smaller than the records pushed: the block policy waits, loses nothing
    json session = json::object();
    session["program"] = "test";
    jsonl_log log(o, session);
    CHECK(fs::exists(path + ".partial"));
    CHECK_FALSE(fs::exists(path));
    for (std::int64_t i = 0; i < 1000; ++i) CHECK(log.push(metrics_record(i)));
    jsonl_record c{};
    c.type = jsonl_type::connection_event;
    c.ts = 5;
    jsonl_copy_text(c.u.connection.event, "logon");
    jsonl_copy_text(c.u.connection.state, "active");
    jsonl_copy_text(c.u.connection.detail, std::string(500, 'x'));  // truncated to fit, never overflows
    CHECK(log.push(c));
    char empty[8] = "garbage";
    jsonl_copy_text(empty, std::string_view{});  // a null, empty view: no copy, just the terminator
    CHECK(empty[0] == '\0');
    log.observe(999);
    CHECK(log.close().empty());
    CHECK(log.close().empty());
    CHECK_FALSE(log.push(c));
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path + ".partial"));
    const std::vector<json> lines = read_lines(path);
    REQUIRE(lines.size() == 1003);
    CHECK(lines.front()["type"] == "session_start");
    CHECK(lines.front()["program"] == "test");
    CHECK(lines.front()["overflow"] == "block");
    for (std::size_t i = 1; i <= 1000; ++i) {
        CHECK(lines[i]["type"] == "strategy_metrics");
        CHECK(lines[i]["ts"] == static_cast<std::int64_t>(i - 1));  // in push order
        CHECK(lines[i]["position"] == static_cast<std::int64_t>(i - 1) % 7);
    }
    CHECK(lines[1001]["type"] == "connection_event");
    CHECK(lines[1001]["event"] == "logon");
    CHECK(lines[1001]["detail"].get<std::string>().size() == sizeof(jsonl_connection::detail) - 1);
    const json& end = lines.back();
    CHECK(end["type"] == "session_end");
    CHECK(end["ts"] == 999);
    CHECK(end["records"] == 1001);
    CHECK(end["jsonl_dropped"] == 0);
    const jsonl_stats st = log.stats();
    CHECK(st.enqueued == 1001);
    CHECK(st.dropped == 0);
    CHECK(st.lines == 1003);
    fs::remove(path);
}

TEST_CASE("jsonl_formatter: reused objects give the same text as fresh ones, whatever came before") {
    const instrument inst = lobster_instrument();
    std::vector<jsonl_record> recs;
    for (int k = 0; k < 4; ++k) {
        jsonl_record m{};
        m.type = jsonl_type::market_update;
        m.ts = 1000 + k;
        m.u.market.type = k % 2 == 0 ? event_type::add : event_type::execute_hidden;
        m.u.market.s = k % 2 == 0 ? side::buy : side::sell;
        m.u.market.px = 2'239'500 + k;
        m.u.market.has_bid = k != 1;  // a null best bid in between
        m.u.market.bid_px = 2'239'400;
        recs.push_back(m);
        jsonl_record b{};
        b.type = jsonl_type::order_book_update;
        b.ts = 1000 + k;
        b.u.book.bids = static_cast<std::uint8_t>(3 - k % 2);  // level counts change
        b.u.book.asks = static_cast<std::uint8_t>(k);
        for (std::size_t i = 0; i < 3; ++i) {
            b.u.book.bid[i] = jsonl_level{2'239'000 - static_cast<std::int64_t>(i + static_cast<std::size_t>(k)), 10 + k, 1};
            b.u.book.ask[i] = jsonl_level{2'241'000 + static_cast<std::int64_t>(i), 20, 2};
        }
        recs.push_back(b);
        for (trading_action a : {trading_action::order_sent, trading_action::fill, trading_action::rejected, trading_action::risk_reject,
                                 trading_action::cancel_all_sent, trading_action::ack}) {
            jsonl_record t{};
            t.type = jsonl_type::trading_event;
            t.ts = 1000 + k;
            t.u.trade.action = a;
            t.u.trade.s = k % 2 == 0 ? side::buy : side::sell;
            t.u.trade.order_id = static_cast<std::uint64_t>(k + 1);
            t.u.trade.reason = static_cast<std::uint8_t>(1 + k % 3);
            t.u.trade.fee = -20 * k;
            recs.push_back(t);
        }
        jsonl_record q{};
        q.type = jsonl_type::strategy_metrics;
        q.ts = 1000 + k;
        q.u.metrics.bid = jsonl_quote{2'239'000, 100, 100, k % 2 == 0};
        q.u.metrics.ask = jsonl_quote{2'240'000, 100, 50, true};
        q.u.metrics.has_bid = q.u.metrics.has_ask = k != 2;
        recs.push_back(q);
        jsonl_record c{};
        c.type = jsonl_type::connection_event;
        c.ts = 1000 + k;
        jsonl_copy_text(c.u.connection.event, k % 2 == 0 ? "logon" : "disconnected");
        jsonl_copy_text(c.u.connection.state, k % 2 == 0 ? "active" : "disconnected");
        jsonl_copy_text(c.u.connection.detail, std::string(static_cast<std::size_t>(k) * 10, 'y'));
        recs.push_back(c);
    }
    jsonl_formatter fmt(inst);
    std::size_t differ = 0;
    for (const jsonl_record& r : recs) {
        std::string line;
        fmt.append(r, line);
        const std::string want = jsonl_to_json(r, inst).dump() + "\n";
        if (line != want) {
            ++differ;
            MESSAGE(line << " != " << want);
        }
    }
    CHECK(differ == 0);
}

TEST_CASE("jsonl_log: a full queue under the drop policy counts every dropped record") {
    const std::string path = temp_path("drops");
    jsonl_options o;
    o.path = path;
    o.queue_capacity = 2;
    o.overflow = jsonl_overflow::drop;
    jsonl_log log(o);
    constexpr std::uint64_t n = 100'000;  // far faster to push than to format: the queue overflows
    std::uint64_t accepted = 0;
    for (std::uint64_t i = 0; i < n; ++i) accepted += log.push(metrics_record(static_cast<std::int64_t>(i))) ? 1U : 0U;
    REQUIRE(log.close().empty());
    const jsonl_stats st = log.stats();
    CHECK(st.dropped > 0);
    CHECK(st.enqueued == accepted);
    CHECK(st.enqueued + st.dropped == n);
    const std::vector<json> lines = read_lines(path);
    CHECK(lines.size() == st.enqueued + 2);
    CHECK(lines.front()["overflow"] == "drop");
    CHECK(lines.back()["type"] == "session_end");
    CHECK(lines.back()["jsonl_dropped"] == st.dropped);
    CHECK(lines.back()["records"] == st.enqueued);
    std::int64_t last = -1;  // what was kept is in order
    std::size_t out_of_order = 0;
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
        if (lines[i]["ts"].get<std::int64_t>() <= last) ++out_of_order;
        last = lines[i]["ts"].get<std::int64_t>();
    }
    CHECK(out_of_order == 0);
    fs::remove(path);
}

TEST_CASE("jsonl_log: bad settings and an unwritable path are clear errors") {
    jsonl_options o;
    CHECK_THROWS_AS(jsonl_log{o}, std::invalid_argument);  // empty path
    o.path = temp_path("bad");
    o.levels = 0;
    CHECK_THROWS_WITH_AS(jsonl_log{o}, doctest::Contains("levels"), std::invalid_argument);
    o.levels = jsonl_max_levels + 1;
    CHECK_THROWS_AS(jsonl_log{o}, std::invalid_argument);
    o.levels = 5;
    o.queue_capacity = std::size_t{1} << 25;
    CHECK_THROWS_WITH_AS(jsonl_log{o}, doctest::Contains("queue_capacity"), std::invalid_argument);
    o.queue_capacity = 64;
    o.path = "/nonexistent_dir_pinnacle/x.jsonl";
    CHECK_THROWS_WITH_AS(jsonl_log{o}, doctest::Contains("/nonexistent_dir_pinnacle/x.jsonl.partial"), std::runtime_error);
}

TEST_CASE("jsonl_recorder: a backtest's lines match its report, and the run is unchanged") {
    const lobster_day& day = amzn_day();
    lobster_backtest_config cfg;
    cfg.kill_switch_at = duration{(10LL * 3600 + 15 * 60) * 1'000'000'000LL};  // 10:15: a mass cancel too
    avellaneda_stoikov_config as = cfg.strategy;
    as.session = day.session;
    const backtest_report base = run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{});

    const std::string path = temp_path("backtest");
    jsonl_options o;
    o.path = path;
    o.levels = 3;
    jsonl_log log(o);
    jsonl_recorder rec(&log);
    const backtest_report r =
        run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, no_report_observer{}, no_progress{}, &rec);
    REQUIRE(log.close().empty());
    CHECK(r.same_outcome(base));  // recording changes nothing in the run
    REQUIRE(r.fills > 0);
    REQUIRE(r.cancels > 0);

    const std::vector<json> lines = read_lines(path);
    std::map<std::string, std::size_t> types;
    std::map<std::string, std::size_t> trades;
    std::set<std::int64_t> event_seconds;
    std::vector<std::int64_t> metric_ts;
    std::size_t fills = 0;
    std::int64_t lots = 0;
    std::size_t widest = 0;
    for (const json& j : lines) {
        const std::string t = j["type"];
        ++types[t];
        if (t == "market_update") event_seconds.insert(j["ts"].get<std::int64_t>() / 1'000'000'000);
        if (t == "strategy_metrics") metric_ts.push_back(j["ts"].get<std::int64_t>());
        if (t == "order_book_update") widest = std::max({widest, j["bids"].size(), j["asks"].size()});
        if (t == "trading_event") {
            ++trades[j["event"].get<std::string>()];
            if (j["event"] == "kill_switch") event_seconds.insert(j["ts"].get<std::int64_t>() / 1'000'000'000);  // a timer step
            if (j["event"] == "fill") {
                ++fills;
                lots += j["last_qty"].get<std::int64_t>();
            }
        }
    }
    CHECK(types["session_start"] == 1);
    CHECK(types["session_end"] == 1);
    CHECK(types["market_update"] == r.events);
    CHECK(types["order_book_update"] > 0);
    CHECK(widest >= 1);  // the bundled day is LOBSTER level 1: its book keeps one level a side
    CHECK(widest <= 3);
    CHECK(types["order_book_update"] <= r.events);
    CHECK(fills == r.fills);
    CHECK(lots == r.volume);
    CHECK(trades["order_sent"] == r.quotes);
    CHECK(trades["cancel_sent"] == r.cancels);
    CHECK(trades["risk_reject"] == r.risk_rejects);
    CHECK(trades["kill_switch"] == 1);
    CHECK(trades["cancel_all_sent"] >= 1);
    CHECK(trades["ack"] > 0);
    CHECK(types["connection_event"] == 0);
    // strategy_metrics: once per second of event time that had a step (an event or the kill
    // switch's timer), in time order.
    CHECK(metric_ts.size() == event_seconds.size());
    std::size_t same_second = 0;
    for (std::size_t i = 1; i < metric_ts.size(); ++i) same_second += metric_ts[i] / 1'000'000'000 > metric_ts[i - 1] / 1'000'000'000 ? 0U : 1U;
    CHECK(same_second == 0);
    CHECK(lines.back()["jsonl_dropped"] == 0);
    CHECK(lines.back()["records"] == lines.size() - 2);
    fs::remove(path);
}

// Run by CTest after `backtest_lobster --jsonl F --json R` (tests/jsonl.cmake): the CLI's file
// against its own report. Without the environment variables (a plain run) it checks nothing.
TEST_CASE("cli: backtest_lobster --jsonl agrees with its --json report") {
    const char* jl = std::getenv("PINNACLE_JSONL_FILE");
    const char* rp = std::getenv("PINNACLE_JSONL_REPORT");
    if (jl == nullptr || rp == nullptr) return;
    std::ifstream rin(rp);
    REQUIRE(rin.good());
    const json report = json::parse(rin);
    const std::vector<json> lines = read_lines(jl);
    std::map<std::string, std::size_t> n;
    for (const json& j : lines) {
        ++n[j["type"].get<std::string>()];
        if (j["type"] == "trading_event") ++n["trading_event." + j["event"].get<std::string>()];
    }
    CHECK(lines.front()["type"] == "session_start");
    CHECK(lines.front()["program"] == "backtest_lobster");
    CHECK(lines.back()["type"] == "session_end");
    CHECK(n["market_update"] == report["events"].get<std::size_t>());
    CHECK(n["trading_event.fill"] == report["fills"].get<std::size_t>());
    CHECK(n["trading_event.order_sent"] == report["quotes"].get<std::size_t>());
    CHECK(n["trading_event.cancel_sent"] == report["cancels"].get<std::size_t>());
    CHECK(n["trading_event.risk_reject"] == report["risk_rejects"].get<std::size_t>());
    CHECK(lines.back()["jsonl_dropped"] == report["jsonl_dropped"]);
    CHECK(n["strategy_metrics"] > 0);
}
