// One driver for the simulated venue's scripted scenarios in tests/data/sim_scenarios/*.scn.
// Each file sets up a queue model, latency and fees, seeds the book, interleaves market events
// with our orders, and states what must have happened. The language (one command per line,
// '#' starts a comment):
//   queue fifo|risk-averse|prob [n]           latency ENTRY_NS RESPONSE_NS
//   fees MAKER_TICKS TAKER_TICKS [MAKER_BPS TAKER_BPS]
//   anon buy|sell PX LOTS                      liquidity resting before the data (unknown ids)
//   market TS add|cancel|delete|execute|hidden ID buy|sell PX LOTS
//   submit TS ID buy|sell PX LOTS gtc|ioc|fok|post-only|market
//   cancel TS ID                               modify TS ID PX LOTS
//   expect ahead ID LOTS                       expect leaves ID LOTS        expect gone ID
//   expect filled ID LOTS                      expect fee ID TICK_LOTS      (sums over fills)
//   expect reports ID TYPE,TYPE,...            (the report types for that order, in order)
//   expect fill-price ID N PX MAKER|TAKER      (the N-th fill of that order, 1-based)
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

using namespace pinnacle;

namespace {

struct scenario_error {
    std::string what;
};

side parse_side(const std::string& s) {
    if (s == "buy") return side::buy;
    if (s == "sell") return side::sell;
    throw scenario_error{"side must be buy or sell, got '" + s + "'"};
}

struct runner {
    any_queue queue;
    constant_latency latency;
    fee_schedule fees;
    std::unique_ptr<l3_book> book = std::make_unique<l3_book>(l3_book_config{1024, 256});
    std::unique_ptr<simulated_venue<l3_book, any_queue, constant_latency, fee_schedule>> venue;
    std::vector<execution_report> reports;

    auto& v() {
        if (!venue) venue = std::make_unique<simulated_venue<l3_book, any_queue, constant_latency, fee_schedule>>(latency, fees, queue);
        return *venue;
    }
    void collect() {
        execution_report r;
        while (v().poll(timestamp{INT64_MAX}, r)) reports.push_back(r);
    }
    std::vector<execution_report> of(std::uint64_t id) {
        collect();
        std::vector<execution_report> out;
        for (const auto& r : reports)
            if (r.cl_ord_id == order_id{id}) out.push_back(r);
        return out;
    }
};

void run_line(runner& r, std::istringstream& in, const std::string& cmd) {
    if (cmd == "queue") {
        std::string m;
        in >> m;
        if (m == "fifo") r.queue.kind = queue_kind::fifo;
        else if (m == "risk-averse") r.queue.kind = queue_kind::risk_averse;
        else if (m == "prob") {
            r.queue.kind = queue_kind::prob;
            double n = 3.0;
            if (in >> n) r.queue.prob.n = n;
        } else throw scenario_error{"unknown queue model '" + m + "'"};
    } else if (cmd == "latency") {
        std::int64_t e = 0, s = 0;
        in >> e >> s;
        r.latency = constant_latency{duration{e}, duration{s}};
    } else if (cmd == "fees") {
        std::int64_t m = 0, t = 0;
        in >> m >> t;
        r.fees.per_lot = per_lot_fees{m, t};
        double mb = 0, tb = 0;
        if (in >> mb >> tb) r.fees.bps = bps_fees{mb, tb};
    } else if (cmd == "anon") {
        std::string s;
        std::int64_t px = 0, q = 0;
        in >> s >> px >> q;
        if (r.book->add_anonymous(parse_side(s), price{px}, qty{q}) != status::ok) throw scenario_error{"anon refused"};
    } else if (cmd == "market") {
        std::int64_t ts = 0, px = 0, q = 0;
        std::uint64_t id = 0;
        std::string t, s;
        in >> ts >> t >> id >> s >> px >> q;
        market_event e;
        e.ts = timestamp{ts};
        e.id = order_id{id};
        e.side = parse_side(s);
        e.px = price{px};
        e.size = qty{q};
        if (t == "add") e.type = event_type::add;
        else if (t == "cancel") e.type = event_type::cancel;
        else if (t == "delete") e.type = event_type::remove;
        else if (t == "execute") e.type = event_type::execute;
        else if (t == "hidden") e.type = event_type::execute_hidden;
        else throw scenario_error{"unknown market event '" + t + "'"};
        r.v().on_market(e, *r.book);
        if (const status st = r.book->apply(e); st != status::ok)
            throw scenario_error{"the book refused the event: " + std::string(to_string(st))};
    } else if (cmd == "submit") {
        std::int64_t ts = 0, px = 0, q = 0;
        std::uint64_t id = 0;
        std::string s, tif;
        in >> ts >> id >> s >> px >> q >> tif;
        order_intent o;
        o.ts = timestamp{ts};
        o.cl_ord_id = order_id{id};
        o.side = parse_side(s);
        o.px = price{px};
        o.size = qty{q};
        if (tif == "gtc") o.tif = time_in_force::gtc;
        else if (tif == "ioc") o.tif = time_in_force::ioc;
        else if (tif == "fok") o.tif = time_in_force::fok;
        else if (tif == "post-only") o.tif = time_in_force::post_only;
        else if (tif == "market") o.type = order_type::market;
        else throw scenario_error{"unknown time in force '" + tif + "'"};
        if (const status st = r.v().submit(o); st != status::ok) throw scenario_error{"submit refused: " + std::string(to_string(st))};
    } else if (cmd == "cancel") {
        std::int64_t ts = 0;
        std::uint64_t id = 0;
        in >> ts >> id;
        if (r.v().cancel(order_id{id}, timestamp{ts}) != status::ok) throw scenario_error{"cancel refused"};
    } else if (cmd == "modify") {
        std::int64_t ts = 0, px = 0, q = 0;
        std::uint64_t id = 0;
        in >> ts >> id >> px >> q;
        if (r.v().modify(order_id{id}, price{px}, qty{q}, timestamp{ts}) != status::ok) throw scenario_error{"modify refused"};
    } else if (cmd == "expect") {
        std::string what;
        std::uint64_t id = 0;
        in >> what >> id;
        const sim_order* o = r.v().find(order_id{id});
        if (what == "ahead" || what == "leaves") {
            double want = 0;
            in >> want;
            if (o == nullptr) throw scenario_error{"order " + std::to_string(id) + " is not working"};
            const double got = what == "ahead" ? o->queue.ahead : static_cast<double>(o->leaves.lots());
            if (std::abs(got - want) > 1e-6) throw scenario_error{what + " of order " + std::to_string(id) + " is " + std::to_string(got) + ", expected " + std::to_string(want)};
        } else if (what == "gone") {
            if (o != nullptr) throw scenario_error{"order " + std::to_string(id) + " is still working"};
        } else if (what == "filled" || what == "fee") {
            std::int64_t want = 0;
            in >> want;
            std::int64_t got = 0;
            for (const auto& rep : r.of(id))
                if (rep.type == exec_type::fill) got += what == "filled" ? rep.last_qty.lots() : rep.fee.tick_lots();
            if (got != want) throw scenario_error{what + " of order " + std::to_string(id) + " is " + std::to_string(got) + ", expected " + std::to_string(want)};
        } else if (what == "reports") {
            std::string want;
            in >> want;
            std::string got;
            for (const auto& rep : r.of(id)) got += (got.empty() ? "" : ",") + std::string(to_string(rep.type));
            if (got != want) throw scenario_error{"reports of order " + std::to_string(id) + " are '" + got + "', expected '" + want + "'"};
        } else if (what == "fill-price") {
            std::size_t n = 0;
            std::int64_t px = 0;
            std::string role;
            in >> n >> px >> role;
            std::vector<execution_report> fills;
            for (const auto& rep : r.of(id))
                if (rep.type == exec_type::fill) fills.push_back(rep);
            if (n == 0 || n > fills.size()) throw scenario_error{"order " + std::to_string(id) + " has no fill " + std::to_string(n)};
            const auto& f = fills[n - 1];
            if (f.last_px != price{px} || f.maker != (role == "maker"))
                throw scenario_error{"fill " + std::to_string(n) + " of order " + std::to_string(id) + " is " + std::to_string(f.last_qty.lots()) +
                                     " @ " + std::to_string(f.last_px.ticks()) + (f.maker ? " maker" : " taker")};
        } else {
            throw scenario_error{"unknown expectation '" + what + "'"};
        }
    } else {
        throw scenario_error{"unknown command '" + cmd + "'"};
    }
    std::string extra;
    if (in >> extra) throw scenario_error{"unexpected '" + extra + "'"};
}

} // namespace

TEST_CASE("simulated venue scenarios (tests/data/sim_scenarios/*.scn)") {
    const std::filesystem::path dir = std::filesystem::path(PINNACLE_TEST_DATA_DIR) / "sim_scenarios";
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(dir))
        if (f.path().extension() == ".scn") files.push_back(f.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    for (const auto& path : files) {
        SUBCASE(path.filename().string().c_str()) {
            std::ifstream file(path);
            REQUIRE(file.good());
            runner r;
            std::string line;
            std::size_t n = 0;
            std::size_t expectations = 0;
            while (std::getline(file, line)) {
                ++n;
                if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
                std::istringstream in(line);
                std::string cmd;
                if (!(in >> cmd)) continue;
                if (cmd == "expect") ++expectations;
                try {
                    run_line(r, in, cmd);
                } catch (const scenario_error& e) {
                    FAIL(path.filename().string() << ":" << n << ": " << e.what);
                }
            }
            CHECK_MESSAGE(expectations > 0, path.filename().string() << " checks nothing");
        }
    }
}
