// Tests for the live-ready engine: the kill switch and an open breaker pull every quote, hedges
// pass the risk chain, off-grid prices are refused, a report delivered twice is booked once, the
// venue session gates quoting, the quote-update policy, and the run loop's three kinds of work
// (events, reports, timers).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/session.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/engine/run_loop.hpp"
#include "pinnacle/feed/lobster_session.hpp"
#include "pinnacle/feed/memory_source.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker_check.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"
#include "test_events.hpp"

using namespace pinnacle;
using pinnacle_test::ev;

namespace {

constexpr std::int64_t us = 1'000;

// Quotes a fixed bid and ask (ticks) of 10 lots, whatever the market does.
struct two_sided {
    std::int64_t bid = 98;
    std::int64_t ask = 102;
    std::int64_t size = 10;
    bool bid_on = true;
    quote_pair on_market(const market_update<l3_book>&) noexcept {
        return quote_pair{quote{price{bid}, qty{size}, bid_on}, quote{price{ask}, qty{10}, true}};
    }
    void on_execution(const execution_report&) noexcept {}
};

// Bids 100 lots at the best ask whenever there is one: every quote lifts the offer.
struct lifting {
    quote_pair on_market(const market_update<l3_book>& u) noexcept {
        quote_pair q;
        if (u.top.has_ask) q.bid = quote{u.top.best_ask, qty{100}, true};
        return q;
    }
    void on_execution(const execution_report&) noexcept {}
};

using sim = simulated_venue<l3_book>;
using chain = risk_chain<kill_switch_check, quote_grid_check, circuit_breaker_check>;

sim venue_with_latency(std::int64_t ns) { return sim(constant_latency{duration{ns}, duration{ns}}); }

// A market at 99 / 101 (ticks) and one more add every 100 us after it.
std::vector<market_event> quiet_market(std::size_t n) {
    std::vector<market_event> out;
    out.push_back(ev(0, event_type::add, 1, side::buy, 99, 50));
    out.push_back(ev(1, event_type::add, 2, side::sell, 101, 50));
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(ev(static_cast<std::int64_t>(i + 1) * 100 * us, event_type::add, 10 + i, side::buy, 97, 1));
    return out;
}

} // namespace

TEST_CASE("engine: the kill switch pulls both working quotes at once and nothing is sent after it") {
    kill_switch ks;
    circuit_breaker breaker{circuit_breaker_config{}};
    market_maker<l3_book, two_sided, chain, sim> mm(l3_book(l3_book_config{1024, 64}), two_sided{},
                                                     chain(kill_switch_check(&ks), quote_grid_check{price{1}}, circuit_breaker_check(&breaker)),
                                                     venue_with_latency(10 * us));
    const std::vector<market_event> m = quiet_market(20);
    for (std::size_t i = 0; i < 6; ++i) mm.on_event(m[i]);
    REQUIRE(mm.working_orders() == 2);  // bid 98 and ask 102 resting, unchanged: update_side sends nothing new
    const std::size_t sent = mm.counters().orders_sent;
    REQUIRE(sent == 2);

    const timestamp kill_at{450 * us};
    ks.fire();
    mm.on_timer(kill_at);  // the engine notices at the next timer (or event)
    CHECK(mm.halted());
    CHECK(mm.counters().halts == 1);
    CHECK(mm.counters().cancel_alls == 1);
    for (std::size_t i = 6; i < m.size(); ++i) mm.on_event(m[i]);
    mm.finish();
    CHECK(mm.working_orders() == 0);
    CHECK(mm.counters().orders_sent == sent);
    CHECK(mm.counters().orders_sent_while_halted == 0);
    CHECK(mm.counters().cancels == 2);
    // Flat one round trip (10 us each way) after the kill.
    CHECK(mm.last_flat_at() - kill_at == duration{20 * us});
    CHECK(mm.venue().pending_reports() == 0);

    // Reset: quoting resumes on the next event.
    ks.reset();
    mm.on_event(ev(10'000 * us, event_type::add, 999, side::buy, 97, 1));
    CHECK_FALSE(mm.halted());
    CHECK(mm.counters().orders_sent == sent + 2);
}

TEST_CASE("engine: an open circuit breaker pulls every quote; half-open lets quoting resume") {
    kill_switch ks;
    circuit_breaker_config bc;
    bc.cooldown = duration{1'000 * us};
    bc.probe_period = duration{1'000 * us};
    bc.max_probe_orders = 2;
    circuit_breaker breaker{bc};
    market_maker<l3_book, two_sided, chain, sim> mm(l3_book(l3_book_config{1024, 64}), two_sided{},
                                                     chain(kill_switch_check(&ks), quote_grid_check{price{1}}, circuit_breaker_check(&breaker)),
                                                     venue_with_latency(10 * us));
    const std::vector<market_event> m = quiet_market(40);
    for (std::size_t i = 0; i < 4; ++i) mm.on_event(m[i]);
    REQUIRE(mm.working_orders() == 2);
    breaker.trip(timestamp{250 * us}, breaker_trigger::manual, 1.0);
    for (std::size_t i = 4; i < 8; ++i) mm.on_event(m[i]);
    CHECK(mm.halted());
    CHECK(mm.counters().cancel_alls == 1);
    CHECK(mm.working_orders() == 0);
    const std::size_t sent = mm.counters().orders_sent;
    for (std::size_t i = 8; i < m.size(); ++i) mm.on_event(m[i]);  // past the 1 ms cool-down
    CHECK_FALSE(mm.halted());
    CHECK(mm.counters().orders_sent > sent);
}

TEST_CASE("engine: auto-hedge intents pass the risk chain") {
    // Refuses every IOC (the hedges) and nothing else.
    struct no_ioc {
        risk_verdict check(const order_intent& o, const risk_state&) noexcept {
            return o.tif == time_in_force::ioc ? risk_verdict::deny(risk_reason::max_position) : risk_verdict::approve();
        }
        void on_execution(const execution_report&, const risk_state&) noexcept {}
    };
    std::size_t emitted = 0;
    hedge_sink sink{[](void* ctx, const order_intent&) noexcept { ++*static_cast<std::size_t*>(ctx); }, &emitted};
    market_maker<l3_book, lifting, no_ioc, sim> mm(l3_book(l3_book_config{1024, 256}), lifting{}, no_ioc{}, sim(),
                                                  engine_config{qty{150}}, sink);
    std::uint64_t id = 1;
    for (std::int64_t t = 1; t < 10; ++t) {
        mm.on_event(ev(t * 10, event_type::add, id++, side::buy, 99, 10));
        mm.on_event(ev(t * 10 + 1, event_type::add, id++, side::sell, 101, 100));
    }
    mm.finish();
    REQUIRE(mm.accounts().position() > qty{150});
    CHECK(emitted == 0);
    CHECK(mm.counters().hedges == 0);
    CHECK(mm.counters().hedge_refusals > 0);
    CHECK(mm.counters().rejects_by_reason[static_cast<std::size_t>(risk_reason::max_position)] == mm.counters().hedge_refusals);
}

TEST_CASE("engine: no hedge is sent while quoting is halted, even if the risk check approves it") {
    // Approves every order; only its halts_quoting hook stops trading.
    struct approve_but_halt {
        const bool* halt;
        risk_verdict check(const order_intent&, const risk_state&) noexcept { return risk_verdict::approve(); }
        void on_execution(const execution_report&, const risk_state&) noexcept {}
        bool halts_quoting(timestamp) noexcept { return *halt; }
    };
    bool halt = false;
    std::size_t emitted = 0;
    hedge_sink sink{[](void* ctx, const order_intent&) noexcept { ++*static_cast<std::size_t*>(ctx); }, &emitted};
    market_maker<l3_book, lifting, approve_but_halt, sim> mm(l3_book(l3_book_config{1024, 256}), lifting{},
                                                            approve_but_halt{&halt}, venue_with_latency(10 * us),
                                                            engine_config{qty{50}}, sink);
    mm.on_event(ev(0, event_type::add, 1, side::buy, 99, 10));
    mm.on_event(ev(1, event_type::add, 2, side::sell, 101, 100));  // our bid lifts 101 for 100 lots
    REQUIRE(mm.counters().orders_sent == 1);
    halt = true;
    mm.on_timer(timestamp{5 * us});  // halted before the order reaches the venue: it fills anyway
    REQUIRE(mm.halted());
    mm.on_reports(timestamp{1'000 * us});  // the venue fills the order, then takes the cancel
    mm.finish();
    REQUIRE(mm.accounts().position() > qty{50});  // beyond the hedge threshold
    CHECK(emitted == 0);
    CHECK(mm.counters().hedges == 0);
    CHECK(mm.counters().hedge_refusals > 0);
    CHECK(mm.counters().orders_sent_while_halted == 0);
}

TEST_CASE("quote grid: the risk check refuses off-grid prices and the simulated venue rejects them") {
    const quote_grid_check grid{price{100}};
    order_intent o;
    o.size = qty{1};
    o.px = price{5'853'300};
    CHECK(grid.check(o, risk_state{}).approved());
    o.px = price{5'853'301};
    CHECK(grid.check(o, risk_state{}).reason == risk_reason::off_grid);
    o.type = order_type::market;
    CHECK(grid.check(o, risk_state{}).approved());
    CHECK(quote_grid_check{price{0}}.check(order_intent{}, risk_state{}).reason == risk_reason::off_grid);
    CHECK(to_string(risk_reason::off_grid) == "off_grid");

    l3_book book(l3_book_config{64, 16});
    REQUIRE(book.apply(ev(0, event_type::add, 1, side::sell, 6'000'000, 10)) == status::ok);
    sim v;
    v.set_price_grid(price{100});
    order_intent a;
    a.cl_ord_id = order_id{1};
    a.px = price{5'853'301};
    a.size = qty{5};
    order_intent b = a;
    b.cl_ord_id = order_id{2};
    b.px = price{5'853'300};
    REQUIRE(v.submit(a) == status::ok);
    REQUIRE(v.submit(b) == status::ok);
    v.advance(timestamp{1}, book);
    execution_report r;
    REQUIRE(v.poll(timestamp{1}, r));
    CHECK(r.cl_ord_id == order_id{1});
    CHECK(r.type == exec_type::rejected);
    CHECK(r.reason == status::invalid_price);
    REQUIRE(v.poll(timestamp{1}, r));
    CHECK(r.cl_ord_id == order_id{2});
    CHECK(r.type == exec_type::new_ack);
    CHECK(r.venue_order_id == 2);
    CHECK(r.exec_id == 2);
}

TEST_CASE("engine: a report delivered twice (same exec_id) is booked once") {
    // Delivers every report of the simulated venue twice, as a resend after a reconnect would.
    struct resending_venue {
        sim inner = sim();
        execution_report again{};
        bool has_again = false;
        status submit(const order_intent& o) noexcept { return inner.submit(o); }
        status cancel(order_id id, timestamp t) noexcept { return inner.cancel(id, t); }
        status modify(order_id id, price p, qty q, timestamp t) noexcept { return inner.modify(id, p, q, t); }
        status cancel_all(timestamp t) noexcept { return inner.cancel_all(t); }
        venue_session session_state() const noexcept { return inner.session_state(); }
        bool poll(timestamp now, execution_report& r) noexcept {
            if (has_again) {
                r = again;
                has_again = false;
                return true;
            }
            if (!inner.poll(now, r)) return false;
            again = r;
            has_again = true;
            return true;
        }
        void on_market(const market_event& e, const l3_book& b) noexcept { inner.on_market(e, b); }
        void advance(timestamp t, const l3_book& b) noexcept { inner.advance(t, b); }
    };
    static_assert(SimulatedVenue<resending_venue, l3_book>);
    using once_engine = market_maker<l3_book, lifting, no_risk_check, sim>;
    using twice_engine = market_maker<l3_book, lifting, no_risk_check, resending_venue>;
    once_engine once(l3_book(l3_book_config{1024, 256}), lifting{}, no_risk_check{}, sim());
    twice_engine twice(l3_book(l3_book_config{1024, 256}), lifting{}, no_risk_check{}, resending_venue{});
    std::uint64_t id = 1;
    for (std::int64_t t = 1; t < 6; ++t) {
        for (const market_event& e : {ev(t * 10, event_type::add, id, side::buy, 99, 10), ev(t * 10 + 1, event_type::add, id + 1, side::sell, 101, 100)}) {
            once.on_event(e);
            twice.on_event(e);
        }
        id += 2;
    }
    once.finish();
    twice.finish();
    REQUIRE(once.accounts().fills() > 0);
    CHECK(twice.accounts().fills() == once.accounts().fills());
    CHECK(twice.accounts().position() == once.accounts().position());
    CHECK(twice.accounts().cash() == once.accounts().cash());
    CHECK(twice.counters().duplicate_reports == once.counters().acks + once.counters().cancels + once.counters().rejects +
                                                   once.accounts().fills() + once.counters().cancel_rejects);
    CHECK(twice.working_orders() == once.working_orders());
}

TEST_CASE("exec_id_window: remembers the last N ids, evicts the oldest, ignores id 0") {
    exec_id_window<8> w;
    for (std::uint64_t i = 1; i <= 8; ++i) CHECK(w.insert(i));
    for (std::uint64_t i = 1; i <= 8; ++i) CHECK_FALSE(w.insert(i));
    CHECK(w.insert(0));
    CHECK(w.insert(0));
    CHECK(w.insert(9));  // evicts 1
    CHECK_FALSE(w.contains(1));
    CHECK(w.contains(2));
    CHECK(w.insert(1));
    // Many ids with colliding low bits still form unbroken probe chains after evictions.
    exec_id_window<64> big;
    for (std::uint64_t i = 1; i <= 10'000; ++i) {
        REQUIRE(big.insert(i << 20));
        REQUIRE_FALSE(big.insert(i << 20));
        if (i > 64) REQUIRE_FALSE(big.contains((i - 64) << 20));
        REQUIRE(big.size() == (i < 64 ? i : 64));
    }
    for (std::uint64_t i = 10'000 - 63; i <= 10'000; ++i) CHECK(big.contains(i << 20));
}

TEST_CASE("engine: nothing is sent while the venue session is not up") {
    market_maker<l3_book, two_sided, no_risk_check, sim> mm(l3_book(l3_book_config{1024, 64}), two_sided{}, no_risk_check{},
                                                            venue_with_latency(10 * us));
    const std::vector<market_event> m = quiet_market(10);
    sim& venue = mm.venue();
    venue.set_session_state(venue_session::down);
    for (std::size_t i = 0; i < 5; ++i) mm.on_event(m[i]);
    CHECK(mm.counters().orders_sent == 0);
    CHECK(mm.counters().venue_not_up == 5);
    venue.set_session_state(venue_session::up);
    mm.on_event(m[5]);
    CHECK(mm.counters().orders_sent == 2);
    order_intent o;
    o.cl_ord_id = order_id{77};
    o.px = price{50};
    o.size = qty{1};
    venue.set_session_state(venue_session::throttled);
    CHECK(venue.submit(o) == status::throttled);
    CHECK(venue.cancel_all(timestamp{1'000 * us}) == status::ok);  // cancels still go while throttled
    venue.set_session_state(venue_session::down);
    CHECK(venue.submit(o) == status::disconnected);
    CHECK(venue.cancel(order_id{1}, timestamp{1'000 * us}) == status::disconnected);
    CHECK(to_string(status::throttled) == "throttled");
    CHECK(to_string(venue_session::connecting) == "connecting");
}

namespace {
// A live-like source: answers idle between events, then ends.
struct scripted_source {
    std::vector<pull> script;
    std::vector<market_event> events;
    std::size_t step = 0;
    std::size_t next_event = 0;
    pull_result next(market_event& e) noexcept {
        if (step >= script.size()) return pull::end;
        const pull p = script[step++];
        if (p == pull::event) e = events[next_event++];
        return p;
    }
};
static_assert(EventSource<scripted_source>);

// Counts what the loop asks of an engine.
struct recording_engine {
    std::vector<std::int64_t> log;  // event ts as is, reports as -ts-1, timers as ts + 1'000'000'000
    bool finished = false;
    template <class F>
    void on_event(const market_event& e, F&&) noexcept { log.push_back(e.ts.ns()); }
    void on_reports(timestamp t) noexcept { log.push_back(-t.ns() - 1); }
    void on_timer(timestamp t) noexcept { log.push_back(t.ns() + 1'000'000'000); }
    void finish() noexcept { finished = true; }
};

struct fixed_clock {
    timestamp t{500};
    timestamp now() noexcept { return t; }
};
} // namespace

TEST_CASE("run loop: events, nothing yet, and end are three outcomes; idle books reports") {
    scripted_source src{{pull::idle, pull::event, pull::idle, pull::event, pull::end, pull::event}, {ev(100, event_type::add, 1, side::buy, 1, 1), ev(700, event_type::add, 2, side::buy, 1, 1)}};
    fixed_clock clock;
    recording_engine mm;
    const run_stats st = run(src, clock, mm);
    CHECK(st.events == 2);
    CHECK(st.idles == 2);
    CHECK_FALSE(st.stopped);
    CHECK(mm.finished);
    CHECK(mm.log == std::vector<std::int64_t>{-501, 100, -501, 700});
    CHECK(to_string(pull::idle) == "idle");
    CHECK(static_cast<bool>(pull_result{pull::idle}) == false);
}

TEST_CASE("run loop: deadlines and periodic timers fire in time order before later events") {
    const std::vector<market_event> m = {ev(1'000, event_type::add, 1, side::buy, 1, 1), ev(2'500, event_type::add, 2, side::buy, 1, 1),
                                         ev(2'600, event_type::add, 3, side::buy, 1, 1)};
    memory_source src(m);
    event_clock clock;
    recording_engine mm;
    struct hooks_t {
        timestamp at{2'100};
        bool fired = false;
        std::size_t stop_after = 100;
        std::size_t seen = 0;
        timestamp next_deadline() const noexcept { return fired ? timestamp{INT64_MAX} : at; }
        void on_deadline(timestamp, recording_engine&) noexcept { fired = true; }
        void after_event(const market_event&, recording_engine&) noexcept { ++seen; }
        bool stop_requested() const noexcept { return seen >= stop_after; }
    } hooks;
    const run_stats st = run(src, clock, mm, hooks, run_options{duration{1'000}});
    CHECK(hooks.fired);
    CHECK(st.timers == 2);  // the tick at 2000, the deadline at 2100 (the next tick, 3000, is after the data)
    CHECK(mm.log == std::vector<std::int64_t>{1'000, 1'000'002'000, 1'000'002'100, 2'500, 2'600});
    CHECK(clock.now() == timestamp{2'600});

    memory_source again(m);
    recording_engine mm2;
    hooks_t stopper;
    stopper.stop_after = 1;
    const run_stats st2 = run(again, clock, mm2, stopper);
    CHECK(st2.stopped);
    CHECK(st2.events == 1);
    CHECK_FALSE(mm2.finished);
}

TEST_CASE("session calendar: New York offsets, dates, times of day and LOBSTER file names") {
    using std::chrono::year, std::chrono::January, std::chrono::March, std::chrono::April, std::chrono::June, std::chrono::November;
    CHECK(us_eastern_utc_offset(year{2012} / June / 21) == duration{-4 * ns_per_hour});
    CHECK(us_eastern_utc_offset(year{2012} / January / 10) == duration{-5 * ns_per_hour});
    CHECK(us_eastern_utc_offset(year{2012} / March / 11) == duration{-4 * ns_per_hour});  // second Sunday of March
    CHECK(us_eastern_utc_offset(year{2012} / March / 10) == duration{-5 * ns_per_hour});
    CHECK(us_eastern_utc_offset(year{2012} / November / 4) == duration{-5 * ns_per_hour});  // first Sunday of November
    CHECK(us_eastern_utc_offset(year{2006} / April / 1) == duration{-5 * ns_per_hour});   // before 2007: first Sunday of April (2nd)
    CHECK(us_eastern_utc_offset(year{2006} / April / 2) == duration{-4 * ns_per_hour});
    const trading_session s = nasdaq_session(year{2012} / June / 21);
    CHECK(s.check().empty());
    // 2012-06-21 09:30 EDT = 13:30 UTC = 1340285400 s since the epoch.
    CHECK(s.open_time() == timestamp{1'340'285'400LL * 1'000'000'000LL});
    CHECK(s.close_time() - s.open_time() == duration{23'400LL * 1'000'000'000LL});
    CHECK(s.time_of_day(s.open_time()) == s.open);
    CHECK(s.time_to_close(s.open_time()) == duration{23'400LL * 1'000'000'000LL});
    CHECK(s.time_to_close(s.close_time() + duration{1}) == duration{0});
    CHECK(parse_iso_date("2012-06-21") == std::optional{year{2012} / June / 21});
    CHECK_FALSE(parse_iso_date("2012-02-30").has_value());
    CHECK_FALSE(parse_iso_date("2012-6-21").has_value());
    CHECK(parse_time_of_day("10:00:00") == std::optional{duration{36'000LL * 1'000'000'000LL}});
    CHECK(parse_time_of_day("09:30:00.25") == std::optional{duration{34'200'250'000'000LL}});
    CHECK(parse_time_of_day("23:59:59.999999999") == std::optional{duration{86'399'999'999'999LL}});
    for (const char* bad : {"24:00:00", "10:60:00", "10:00", "10:00:00.", "10:00:00.1234567890", "1:00:00", "10:00:0x"})
        CHECK_FALSE(parse_time_of_day(bad).has_value());
    const auto named = lobster_session_from_name("data/AMZN_2012-06-21_34200000_57600000_message_1.csv");
    REQUIRE(named.has_value());
    CHECK(named->utc_offset == duration{-4 * ns_per_hour});
    CHECK(named->date == year{2012} / June / 21);
    CHECK_FALSE(lobster_session_from_name("m.csv").has_value());
    CHECK_FALSE(lobster_session_from_name("x_2012-13-01_y.csv").has_value());
    trading_session bad;
    bad.open = duration{ns_per_day + 1};
    CHECK_FALSE(bad.check().empty());
}

TEST_CASE("avellaneda_stoikov: the horizon is the same on exchange-local and UTC epoch timestamps") {
    using std::chrono::year, std::chrono::June;
    // The same two snapshots, once as ns after local midnight (default session) and once as UTC
    // epoch ns of 2012-06-21 in New York: the quotes must be identical, with a non-zero skew.
    const trading_session ny = nasdaq_session(year{2012} / June / 21);
    auto snap = [](timestamp ts, std::int64_t bid, std::int64_t ask) {
        market_snapshot m;
        m.ts = ts;
        m.best_bid = price{bid};
        m.best_ask = price{ask};
        m.bid_size = qty{100};
        m.ask_size = qty{100};
        m.has_bid = m.has_ask = true;
        return m;
    };
    avellaneda_stoikov_config local_cfg;
    local_cfg.gamma = 1.0;
    local_cfg.k = 300.0;
    local_cfg.vol.warmup_seconds = 1.0;
    avellaneda_stoikov_config epoch_cfg = local_cfg;
    epoch_cfg.session = ny;
    avellaneda_stoikov local{local_cfg};
    avellaneda_stoikov epoch{epoch_cfg};
    const duration t0{50'000LL * 1'000'000'000LL};  // 13:53:20 local, 2 h 6 min 40 s before the close
    const duration t1 = t0 + duration{1'000'000'000};
    (void)local.on_market(snap(timestamp{} + t0, 1'999'900, 2'000'100), qty{0});
    (void)epoch.on_market(snap(ny.at(t0), 1'999'900, 2'000'100), qty{0});
    const quote_pair a = local.on_market(snap(timestamp{} + t1, 2'000'000, 2'000'200), qty{300});
    const quote_pair b = epoch.on_market(snap(ny.at(t1), 2'000'000, 2'000'200), qty{300});
    REQUIRE(a.bid.active);
    REQUIRE(b.bid.active);
    CHECK(a.bid.px == b.bid.px);
    CHECK(a.ask.px == b.ask.px);
    // With the default (local) session on epoch data the horizon would be whatever the time of day
    // at offset 0 says: the skew differs, which is the bug this calendar removes.
    avellaneda_stoikov wrong{local_cfg};
    (void)wrong.on_market(snap(ny.at(t0), 1'999'900, 2'000'100), qty{0});
    const quote_pair c = wrong.on_market(snap(ny.at(t1), 2'000'000, 2'000'200), qty{300});
    CHECK((c.bid.px != b.bid.px || c.ask.px != b.ask.px));
}

namespace {
using policy_mm = market_maker<l3_book, two_sided, no_risk_check, sim>;
policy_mm policy_engine(quote_policy p) {
    engine_config cfg;
    cfg.quoting = p;
    return policy_mm(l3_book(l3_book_config{1024, 64}), two_sided{}, no_risk_check{}, venue_with_latency(10 * us), cfg);
}
} // namespace

TEST_CASE("quote policy: the default replaces on any change; a tolerance keeps small moves") {
    const std::vector<market_event> m = quiet_market(10);  // 99 / 101, an event every 100 us
    policy_mm plain = policy_engine({});
    plain.on_event(m[0]);
    CHECK(plain.counters().orders_sent == 2);
    plain.strategy().bid = 97;
    plain.on_event(m[1]);
    CHECK(plain.counters().orders_sent == 3);
    CHECK(plain.counters().cancels_sent == 1);
    CHECK(plain.counters().quotes_held == 0);

    quote_policy p;
    p.tolerance_ticks = 2;
    policy_mm mm = policy_engine(p);
    mm.on_event(m[0]);
    mm.strategy().bid = 97;  // 1 tick: kept
    mm.on_event(m[1]);
    mm.strategy().bid = 96;  // 2 ticks from the working 98: kept
    mm.on_event(m[2]);
    CHECK(mm.counters().orders_sent == 2);
    CHECK(mm.counters().cancels_sent == 0);
    CHECK(mm.counters().quotes_held == 2);
    CHECK(mm.quote_on(side::buy).px == price{98});
    mm.strategy().bid = 95;  // 3 ticks: replaced
    mm.on_event(m[3]);
    CHECK(mm.counters().orders_sent == 3);
    CHECK(mm.quote_on(side::buy).px == price{95});
    mm.strategy().size = 5;  // a size change is never held
    mm.strategy().bid = 96;
    mm.on_event(m[4]);
    CHECK(mm.counters().orders_sent == 4);
    CHECK(mm.quote_on(side::buy).size == qty{5});
    mm.strategy().bid_on = false;  // a withdrawn side is cancelled at once
    mm.on_event(m[5]);
    CHECK(mm.counters().cancels_sent == 3);
    CHECK_FALSE(mm.quote_on(side::buy).active);
}

TEST_CASE("quote policy: a minimum quote life holds any move; a refresh period ends a tolerance hold") {
    const std::vector<market_event> m = quiet_market(10);  // m[k] at (k - 1) * 100 us for k >= 2
    quote_policy life;
    life.min_quote_life = duration{500 * us};
    policy_mm mm = policy_engine(life);
    mm.on_event(m[0]);  // quotes sent at t = 0
    mm.strategy().bid = 90;
    for (std::size_t k = 2; k <= 5; ++k) mm.on_event(m[k]);  // 100 .. 400 us: younger than 500 us
    CHECK(mm.counters().quotes_held == 4);
    CHECK(mm.counters().orders_sent == 2);
    mm.on_event(m[6]);  // 500 us
    CHECK(mm.counters().orders_sent == 3);
    CHECK(mm.quote_on(side::buy).px == price{90});
    mm.strategy().bid_on = false;  // withdrawn: cancelled even though the new bid is young
    mm.on_event(m[7]);
    CHECK_FALSE(mm.quote_on(side::buy).active);

    quote_policy timer;
    timer.tolerance_ticks = 5;
    timer.refresh_period = duration{300 * us};
    policy_mm t = policy_engine(timer);
    t.on_event(m[0]);
    t.strategy().bid = 97;
    t.on_event(m[2]);  // 100 us
    t.on_event(m[3]);  // 200 us
    CHECK(t.counters().orders_sent == 2);
    t.on_event(m[4]);  // 300 us: old enough, replaced
    CHECK(t.counters().orders_sent == 3);
    CHECK(t.quote_on(side::buy).px == price{97});
}

TEST_CASE("quote policy: never keeps a quote that would cross the other side or the market") {
    const std::vector<market_event> m = quiet_market(10);
    quote_policy p;
    p.tolerance_ticks = 10;
    policy_mm mm = policy_engine(p);
    mm.on_event(m[0]);  // 98 / 102 working
    // The bid moves 11 ticks (replaced); the ask only 8, but the working ask 102 would sit below
    // the new bid 109: replaced too.
    mm.strategy().bid = 109;
    mm.strategy().ask = 110;
    mm.on_event(m[2]);
    CHECK(mm.quote_on(side::sell).px == price{110});
    CHECK(mm.quote_on(side::buy).px == price{109});
    CHECK(mm.counters().quotes_held == 0);
    // The market's ask falls to 98: the working bid 98 would lock it, so it is replaced.
    policy_mm x = policy_engine(p);
    x.on_event(ev(0, event_type::add, 1, side::buy, 90, 50));
    x.on_event(ev(1, event_type::add, 2, side::sell, 101, 50));
    x.strategy().bid = 97;
    x.on_event(ev(100 * us, event_type::add, 3, side::sell, 98, 50));
    CHECK(x.counters().quotes_held == 0);
    CHECK((!x.quote_on(side::buy).active || x.quote_on(side::buy).px == price{97}));
}

TEST_CASE("quote policy: check() names negative fields") {
    CHECK(quote_policy{}.check().empty());
    quote_policy p;
    p.tolerance_ticks = -1;
    CHECK(p.check() == "quote_policy.tolerance_ticks must be >= 0 ticks");
    p = {};
    p.min_quote_life = duration{-1};
    CHECK(p.check() == "quote_policy.min_quote_life must be >= 0 ns");
    p = {};
    p.refresh_period = duration{-1};
    CHECK(p.check() == "quote_policy.refresh_period must be >= 0 ns");
}
