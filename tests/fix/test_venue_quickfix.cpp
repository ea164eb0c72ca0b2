// fix_venue over TCP against a QuickFIX acceptor that executes orders (tests/fix/quickfix/executor.cpp,
// a separate C++14 program started here on 127.0.0.1): logon, fill, replace, cancel, a dropped
// connection while an order fills, reconnect with the fill booked exactly once, logout.
// Built only when CMake found QuickFIX and Boost (PINNACLE_FIX_QUICKFIX_EXECUTOR).
#if defined(PINNACLE_FIX_QUICKFIX_EXECUTOR)
#include "pinnacle/connect/fix/transport.hpp"
#include "pinnacle/connect/fix/venue.hpp"

#include <doctest/doctest.h>

#include "child_process.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

using namespace pinnacle;
using namespace pinnacle::fix;
namespace asio = boost::asio;

namespace {

std::uint16_t free_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

} // namespace

TEST_CASE("fix_venue against a QuickFIX executor: fill, replace, cancel, reconnect with the fill booked once, logout") {
    const std::string workdir = PINNACLE_FIX_VENUE_WORKDIR;
    std::filesystem::remove_all(workdir);
    std::filesystem::create_directories(workdir);
    const std::uint16_t port = free_port();
    fix_test::child_process ex({PINNACLE_FIX_QUICKFIX_EXECUTOR, std::to_string(port), PINNACLE_FIX44_XML, workdir},
                               workdir + "/executor.stderr");
    REQUIRE(ex.ok());
    REQUIRE(ex.first_line == "listening fix://127.0.0.1:" + std::to_string(port));

    asio::io_context io;
    message_store store;
    REQUIRE(store.open(workdir + "/venue_store", "FIX.4.4-MM-EXCH"));
    session_config c;
    c.role = session_role::initiator;
    c.sender_comp_id = "MM";
    c.target_comp_id = "EXCH";
    c.heart_bt_int = 1;
    session s(c, store);
    fix_venue venue(fix_venue_config{"AAPL", 4, 0, "", 2'000'000'000}, s);
    std::shared_ptr<tcp_connection> conn;
    std::vector<execution_report> reports;
    auto connect = [&] {
        std::string err;
        for (int i = 0; i < 50; ++i) {
            auto sock = connect_tcp(io, "127.0.0.1", port, err);
            if (sock) {
                conn = std::make_shared<tcp_connection>(std::move(*sock), s, [](std::string_view) {});
                conn->start();
                return;
            }
            ::usleep(100'000);
        }
        FAIL("cannot connect: " << err);
    };
    auto run_until = [&](const std::function<bool()>& done, double seconds) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (!done() && std::chrono::steady_clock::now() < end) {
            io.restart();
            io.run_for(std::chrono::milliseconds(20));
            execution_report r;
            while (venue.poll(timestamp{wall_clock_ns()}, r)) reports.push_back(r);
        }
        return done();
    };
    auto has = [&](std::uint64_t id, exec_type t) {
        for (const auto& r : reports) {
            if (r.cl_ord_id == order_id{id} && r.type == t) return true;
        }
        return false;
    };
    auto intent = [](std::uint64_t id, std::int64_t px, std::int64_t size) {
        order_intent o;
        o.cl_ord_id = order_id{id};
        o.side = side::buy;
        o.px = price{px};
        o.size = qty{size};
        o.ts = timestamp{wall_clock_ns()};
        return o;
    };

    connect();
    REQUIRE(run_until([&] { return venue.session_state() == venue_session::up; }, 10));

    REQUIRE(venue.submit(intent(1, 1'005'000, 10)) == status::ok);
    conn->flush();
    REQUIRE(run_until([&] { return has(1, exec_type::fill); }, 5));
    CHECK(has(1, exec_type::new_ack));
    for (const auto& r : reports) {
        if (r.type != exec_type::fill) continue;
        CHECK(r.last_qty == qty{10});
        CHECK(r.last_px == price{1'005'000});
    }

    REQUIRE(venue.submit(intent(2, 1'000'000, 100)) == status::ok);
    conn->flush();
    REQUIRE(run_until([&] { return has(2, exec_type::new_ack); }, 5));
    REQUIRE(venue.modify(order_id{2}, price{999'000}, qty{120}, timestamp{wall_clock_ns()}) == status::ok);
    conn->flush();
    REQUIRE(run_until([&] { return has(2, exec_type::replaced); }, 5));
    REQUIRE(venue.cancel(order_id{2}, timestamp{wall_clock_ns()}) == status::ok);
    conn->flush();
    REQUIRE(run_until([&] { return has(2, exec_type::canceled); }, 5));

    // Order 3 rests; the connection drops; the executor fills it while we are away.
    REQUIRE(venue.submit(intent(3, 1'000'000, 100)) == status::ok);
    conn->flush();
    REQUIRE(run_until([&] { return has(3, exec_type::new_ack); }, 5));
    conn->close("test drops the connection");
    CHECK(venue.session_state() == venue_session::down);
    run_until([] { return false; }, 0.3);
    connect();
    REQUIRE(run_until([&] { return venue.session_state() == venue_session::up && has(3, exec_type::fill); }, 10));
    run_until([] { return false; }, 0.5);  // a duplicate would arrive by now (the resent ExecutionReport)
    std::int64_t filled = 0;
    for (const auto& r : reports) {
        if (r.cl_ord_id == order_id{3} && r.type == exec_type::fill) filled += r.last_qty.lots();
    }
    CHECK(filled == 100);
    CHECK(venue.open_orders() == 0);

    s.logout("done", wall_clock_ns());
    conn->flush();
    CHECK(run_until([&] { return conn->closed(); }, 5));
    // SIGTERM stops the executor with status 0 (its stderr is shown when not). Once, when it was
    // still built with the sanitizers, it exited 1 (their runtimes' status); it no longer is.
    const int executor_exit = ex.stop();
    if (executor_exit != 0) {
        std::ifstream err(workdir + "/executor.stderr");
        const std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
        MESSAGE("fix_quickfix_executor exited " << executor_exit << "; its stderr:\n" << text);
    }
    CHECK(executor_exit == 0);
}
#endif
