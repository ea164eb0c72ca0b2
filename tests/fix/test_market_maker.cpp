// examples/fix_market_maker against examples/fix_exchange, both run as programs on 127.0.0.1 over
// the bundled AMZN day: logon, orders sent, a clean stop (exit 0), the --json keys, and our fills
// equal to the ExecutionReports with ExecType F the exchange sent (counted in its message store).
// Its own CTest (example.fix_market_maker, cmake/fix.cmake); fix.unit leaves it out.
#if defined(PINNACLE_FIX_MARKET_MAKER) && defined(PINNACLE_FIX_EXCHANGE)
#include "child_process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// The integer after `"key": ` in `json`; -1 when the key is missing (for keys never negative).
long long json_int(const std::string& json, const std::string& key) {
    const std::string k = "\"" + key + "\": ";
    const std::size_t at = json.find(k);
    if (at == std::string::npos) return -1;
    return std::stoll(json.substr(at + k.size()));
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("fix_market_maker trades against fix_exchange: logon, orders, clean stop, fills booked as the exchange sent them") {
    const std::string dir = PINNACLE_FIX_MARKET_MAKER_WORKDIR;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string data = PINNACLE_FIX_EXAMPLES_DATA;
    fix_test::child_process ex({PINNACLE_FIX_EXCHANGE, "--port", "0", "--sender-comp-id", "EXCH", "--target-comp-id", "MM", "--messages",
                                data + "/AMZN_2012-06-21_34200000_57600000_message_1.csv", "--orderbook",
                                data + "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv", "--store", dir + "/exchange_store"},
                               dir + "/exchange.stderr");
    REQUIRE(ex.ok());
    const std::string prefix = "listening fix://127.0.0.1:";
    REQUIRE(ex.first_line.rfind(prefix, 0) == 0);
    const std::string port = ex.first_line.substr(prefix.size());

    // glft with a 0.5 s warm-up quotes within the first second of the day and usually trades.
    std::vector<std::string> args{PINNACLE_FIX_MARKET_MAKER, "--port", port, "--sender-comp-id", "MM", "--target-comp-id", "EXCH",
                                  "--strategy", "glft", "--warmup", "0.5", "--duration", "3", "--json", dir + "/mm.json"};
#ifdef PINNACLE_FIX_MARKET_MAKER_JSONL
    args.insert(args.end(), {"--jsonl", dir + "/mm.jsonl"});
#endif
    fix_test::child_process mm(args, dir + "/mm.stderr");
    REQUIRE(mm.ok());
    CHECK(mm.first_line == "logged on fix://127.0.0.1:" + port + " as MM");
    const int rc = mm.wait();
    CHECK_MESSAGE(rc == 0, read_text(dir + "/mm.stderr"));
    CHECK(ex.stop() == 0);

    const std::string json = read_text(dir + "/mm.json");
    INFO(json);
    for (const char* key : {"orders_sent", "fills", "position", "total_pnl", "reconnects", "duplicate_reports", "working_orders_at_end"})
        CHECK_MESSAGE(json.find("\"" + std::string(key) + "\": ") != std::string::npos, key);
    CHECK(json.find("\"logged_on\": true") != std::string::npos);
    CHECK(json_int(json, "orders_sent") > 0);
    CHECK(json_int(json, "working_orders_at_end") == 0);
    CHECK(json_int(json, "reconnects") == 0);
    // Every fill the exchange reported (ExecType 150=F) was booked once, no more.
    const std::string sent = read_text(dir + "/exchange_store/FIX.4.4-EXCH-MM.body");
    REQUIRE(!sent.empty());
    CHECK(json_int(json, "fills") == static_cast<long long>(count(sent, std::string("\x01" "150=F\x01"))));
#ifdef PINNACLE_FIX_MARKET_MAKER_JSONL
    // --jsonl: the session's connection events, and one trading_event line per order and fill.
    const std::string log = read_text(dir + "/mm.jsonl");
    CHECK(count(log, "\"type\":\"session_start\"") == 1);
    CHECK(count(log, "\"type\":\"session_end\"") == 1);
    CHECK(count(log, "\"type\":\"connection_event\",") >= 3);
    CHECK(count(log, "\"event\":\"connected\"") == 1);
    CHECK(count(log, "\"event\":\"logon\"") == 1);
    CHECK(count(log, "\"event\":\"logout\"") == 1);
    CHECK(count(log, "\"event\":\"order_sent\"") == static_cast<std::size_t>(json_int(json, "orders_sent")));
    CHECK(count(log, "\"event\":\"fill\"") == static_cast<std::size_t>(json_int(json, "fills")));
    CHECK(count(log, "\"jsonl_dropped\":0") == 1);
    CHECK(json_int(json, "jsonl_dropped") == 0);
#endif
}
#endif
