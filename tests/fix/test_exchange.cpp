// examples/fix_exchange as a program (started here on 127.0.0.1): its first line, usage errors,
// and `--app echo` under a hand-driven client session (Logon, an order echoed back with the
// exchange's header, a sequence gap answered by ResendRequest, MsgSeqNum too low -> Logout), and
// fix_venue reconnecting to it: its OrderStatusRequests answered with ExecType I, so the reconcile
// ends at once instead of at its timeout.
// Built only when CMake builds fix_exchange (PINNACLE_FIX_EXCHANGE).
#if defined(PINNACLE_FIX_EXCHANGE)
#include "child_process.hpp"
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/transport.hpp"
#include "pinnacle/connect/fix/venue.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

using namespace pinnacle::fix;
namespace asio = boost::asio;

namespace {

/// A message CLIENT -> VENUE with SendingTime now; `body` is '|'-separated.
std::string client_message(std::string_view type, std::uint32_t seq, std::string_view body) {
    char ts[21];
    encoder::format_timestamp(wall_clock_ns(), ts);
    return fix_test::frame("35=" + std::string(type) + "|49=CLIENT|56=VENUE|34=" + std::to_string(seq) + "|52=" +
                           std::string(ts, sizeof ts) + "|" + std::string(body));
}

/// Reads until `want` (in '|' form) appears or 5 s pass; returns what was read, '|' for SOH.
std::string read_until(asio::ip::tcp::socket& s, const std::string& want) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    char buf[4096];
    while (got.find(want) == std::string::npos && std::chrono::steady_clock::now() < end) {
        boost::system::error_code ec;
        if (s.available(ec) == 0) {
            ::usleep(10'000);
            continue;
        }
        const std::size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) break;
        got += fix_test::pipes(std::string_view(buf, n));
    }
    return got;
}

} // namespace

TEST_CASE("fix_exchange refuses bad flags with exit 2 and prints the listening line first") {
    const std::string dir = PINNACLE_FIX_EXCHANGE_WORKDIR;
    std::filesystem::create_directories(dir);
    fix_test::child_process bad({PINNACLE_FIX_EXCHANGE, "--port", "0", "--sender-comp-id", "VENUE"}, dir + "/bad.stderr");
    REQUIRE(bad.ok());
    CHECK(bad.first_line.empty());
    CHECK(bad.wait() == 2);
    fix_test::child_process bad_port({PINNACLE_FIX_EXCHANGE, "--port", "70000", "--sender-comp-id", "V", "--target-comp-id", "C"},
                                     dir + "/bad.stderr");
    CHECK(bad_port.wait() == 2);
}

TEST_CASE("fix_exchange --app echo: order echoed with the exchange's header, gap -> ResendRequest, too low -> Logout") {
    const std::string dir = PINNACLE_FIX_EXCHANGE_WORKDIR;
    std::filesystem::create_directories(dir);
    fix_test::child_process ex({PINNACLE_FIX_EXCHANGE, "--port", "0", "--sender-comp-id", "VENUE", "--target-comp-id", "CLIENT",
                                "--app", "echo", "--data-dictionary", PINNACLE_FIX44_XML},
                               dir + "/echo.stderr");
    REQUIRE(ex.ok());
    const std::string prefix = "listening fix://127.0.0.1:";
    REQUIRE(ex.first_line.rfind(prefix, 0) == 0);
    const auto port = static_cast<std::uint16_t>(std::stoi(ex.first_line.substr(prefix.size())));

    asio::io_context io;
    std::string err;
    auto sock = connect_tcp(io, "127.0.0.1", port, err);
    REQUIRE_MESSAGE(sock.has_value(), err);
    auto put = [&](const std::string& m) { asio::write(*sock, asio::buffer(m)); };

    put(client_message("A", 1, "98=0|108=30|"));
    CHECK(read_until(*sock, "|35=A|").find("|108=30|") != std::string::npos);
    put(client_message("D", 2, "11=O1|55=AAPL|54=1|60=20240507-21:35:38|38=100|40=2|44=10.5|"));
    const std::string echoed = read_until(*sock, "|35=D|");
    CHECK(echoed.find("|35=D|49=VENUE|56=CLIENT|34=2|") != std::string::npos);
    CHECK(echoed.find("|11=O1|55=AAPL|54=1|60=20240507-21:35:38|38=100|40=2|44=10.5|10=") != std::string::npos);
    // Invalid: no ClOrdID -> Reject 373=1 RefTagID 11.
    put(client_message("D", 3, "55=AAPL|54=1|60=20240507-21:35:38|38=100|40=2|"));
    CHECK(read_until(*sock, "|35=3|").find("|371=11|372=D|373=1|") != std::string::npos);
    // A gap: 5 sent, 4 expected.
    put(client_message("0", 5, ""));
    CHECK(read_until(*sock, "|35=2|").find("|7=4|16=0|") != std::string::npos);
    put(client_message("4", 4, "123=Y|36=6|"));
    put(client_message("1", 6, "112=still-up|"));
    CHECK(read_until(*sock, "112=still-up").find("|35=0|") != std::string::npos);
    put(client_message("0", 2, ""));
    CHECK(read_until(*sock, "|35=5|").find("MsgSeqNum too low, expecting 7 but received 2") != std::string::npos);
    CHECK(ex.stop() == 0);
}

TEST_CASE("fix_exchange answers OrderStatusRequest: fix_venue's reconcile after a reconnect ends without its timeout") {
    using namespace pinnacle;
    const std::string dir = std::string(PINNACLE_FIX_EXCHANGE_WORKDIR) + "/status";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // The quiet book: bids from 99.99 down, asks from 100.01 up; a bid at 99.00 rests.
    fix_test::child_process ex({PINNACLE_FIX_EXCHANGE, "--port", "0", "--sender-comp-id", "EXCH", "--target-comp-id", "MM", "--store",
                                dir + "/exchange_store"},
                               dir + "/exchange.stderr");
    REQUIRE(ex.ok());
    const std::string prefix = "listening fix://127.0.0.1:";
    REQUIRE(ex.first_line.rfind(prefix, 0) == 0);
    const auto port = static_cast<std::uint16_t>(std::stoi(ex.first_line.substr(prefix.size())));

    asio::io_context io;
    message_store store;
    REQUIRE(store.open(dir + "/venue_store", "FIX.4.4-MM-EXCH"));
    session_config c;
    c.role = session_role::initiator;
    c.sender_comp_id = "MM";
    c.target_comp_id = "EXCH";
    c.heart_bt_int = 1;
    session s(c, store);
    constexpr std::int64_t timeout_ns = 5'000'000'000;  // fix_market_maker's reconcile timeout
    fix_venue venue(fix_venue_config{"AMZN", 4, 0, "", timeout_ns}, s);
    std::shared_ptr<tcp_connection> conn;
    std::vector<execution_report> reports;
    auto connect = [&] {
        std::string err;
        auto sock = connect_tcp(io, "127.0.0.1", port, err);
        REQUIRE_MESSAGE(sock.has_value(), err);
        conn = std::make_shared<tcp_connection>(std::move(*sock), s, [](std::string_view) {});
        conn->start();
    };
    auto run_until = [&](const std::function<bool()>& done, double seconds) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (!done() && std::chrono::steady_clock::now() < end) {
            io.restart();
            io.run_for(std::chrono::milliseconds(10));
            execution_report r;
            while (venue.poll(timestamp{wall_clock_ns()}, r)) reports.push_back(r);
            if (conn && !conn->closed()) conn->flush();
        }
        return done();
    };
    auto has = [&](std::uint64_t id, exec_type t) {
        for (const auto& r : reports)
            if (r.cl_ord_id == order_id{id} && r.type == t) return true;
        return false;
    };
    connect();
    REQUIRE(run_until([&] { return venue.session_state() == venue_session::up; }, 10));
    order_intent o;
    o.cl_ord_id = order_id{1};
    o.side = side::buy;
    o.px = price{990'000};
    o.size = qty{100};
    o.ts = timestamp{wall_clock_ns()};
    REQUIRE(venue.submit(o) == status::ok);
    REQUIRE(run_until([&] { return has(1, exec_type::new_ack); }, 5));

    conn->close("test drops the connection");
    run_until([] { return false; }, 0.3);
    CHECK(venue.session_state() == venue_session::down);
    const auto t0 = std::chrono::steady_clock::now();
    connect();
    // Up means logged on AND every OrderStatusRequest answered (or the timeout passed).
    REQUIRE(run_until([&] { return venue.session_state() == venue_session::up; }, 10));
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK_MESSAGE(took < 2.5, "reconcile took " << took << " s: the OrderStatusRequest was not answered (timeout 5 s)");
    CHECK(venue.open_orders() == 1);  // still working: OrdStatus 0, nothing to book
    CHECK_FALSE(has(1, exec_type::canceled));
    CHECK_FALSE(has(1, exec_type::fill));

    s.logout("done", wall_clock_ns());
    run_until([&] { return conn->closed(); }, 3);
    CHECK(ex.stop() == 0);
    // The answer as sent: ExecutionReport, ExecType I, OrdStatus 0 (new), all 100 lots leaving.
    std::ifstream in(dir + "/exchange_store/FIX.4.4-EXCH-MM.body", std::ios::binary);
    const std::string sent((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(sent.find(std::string("\x01" "150=I\x01" "39=0\x01")) != std::string::npos);
    CHECK(sent.find(std::string("\x01" "151=100\x01" "14=0\x01")) != std::string::npos);
}
#endif
