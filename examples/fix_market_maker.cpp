// fix_market_maker: the backtest's engine, strategy and risk chain (apps/lobster_backtest.hpp)
// trading live through fix_venue (connect/fix/venue.hpp) against a FIX 4.4 acceptor, e.g.
// examples/fix_exchange or any other.
//
//   fix_market_maker --host H --port P --sender-comp-id ID --target-comp-id ID
//                    [--messages F [--orderbook F]] [--symbol S] [--store DIR]
//                    [--strategy as|glft|imbalance] [--order-qty Q] [--warmup SECONDS]
//                    [--duration SECONDS] [--json FILE] [--jsonl FILE]
//
// --warmup: seconds of market data the strategies' volatility estimate needs before the first
// quote (default 60, as in the backtest; a smoke test uses 1).
//
// Market data: FIX market data is out of scope, so the book is the LOBSTER day read locally and
// replayed in real time from the program's start (its first message at start-up), as
// fix_exchange --messages does: run both on the same day and they see the same market. After the
// last message the market stays as it is. The engine's clock is the day's clock paced by the wall
// clock; orders go out stamped with the wall clock (SendingTime, TransactTime) and reports are
// booked at the day's time they arrived. Prices have 4 decimals (LOBSTER), quantities whole lots.
// A dropped connection is retried every second (counted as reconnects; fix_venue reconciles the
// open orders). --duration, SIGINT or SIGTERM: the kill switch pulls every quote, the program
// waits (at most 5 s) for the cancels, logs out, prints a summary and writes --json.
// --jsonl FILE: the JSONL event log (docs/persistence.md) of the session: market and book updates,
// orders and reports, strategy metrics once a second of the day's time, and connection_event lines
// (TCP connect, FIX session state changes, disconnects; stamped with the wall clock). Live, a full
// log queue drops lines (counted in session_end's jsonl_dropped) rather than stall the engine.
// Exit: 0 after a clean stop, 1 when it never logged on, 2 on a usage or setup error.
#include "cli.hpp"
#include "json_report.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/apps/output_file.hpp"
#include "pinnacle/connect/fix/transport.hpp"
#include "pinnacle/connect/fix/venue.hpp"
#ifdef PINNACLE_HAVE_JSONL
#include "pinnacle/journal/jsonl/recorder.hpp"
#endif
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#ifndef PINNACLE_EXAMPLES_DATA_DIR
#define PINNACLE_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace fix = pinnacle::fix;
namespace asio = boost::asio;
using namespace pinnacle;

namespace {

constexpr const char* usage =
    "usage: fix_market_maker --host H --port P --sender-comp-id ID --target-comp-id ID\n"
    "                        [--messages F [--orderbook F]] [--symbol S] [--store DIR]\n"
    "                        [--strategy as|glft|imbalance] [--order-qty Q] [--warmup SECONDS]\n"
    "                        [--duration SECONDS] [--json FILE] [--jsonl FILE]\n";

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int) { g_signal = 1; }

/// The engine's clock: the LOBSTER day's time, paced by the wall clock from `wall_start`.
struct paced_clock {
    std::int64_t day_start = 0;   ///< first message's time (ns since the epoch)
    std::int64_t wall_start = 0;  ///< wall clock at start-up (ns since the epoch)
    mutable std::int64_t last = INT64_MIN;
    /// The day's time now (ns), never decreasing.
    [[nodiscard]] timestamp now() const noexcept {
        const std::int64_t t = day_start + (fix::wall_clock_ns() - wall_start);
        if (t > last) last = t;
        return timestamp{last};
    }
};

/// The day's messages, each handed out once its time has come (idle until then and after the end).
struct paced_source {
    const lobster_day* day;
    const paced_clock* clock;
    std::size_t index = 0;
    pull_result next(market_event& out) noexcept {
        if (index >= day->messages.size() || day->messages[index].ts > clock->now()) return pull::idle;
        out = day->messages[index++];
        return pull::event;
    }
};

/// The engine's Venue: fix_venue (not movable) by pointer, with times translated: the wire gets
/// the wall clock, the engine gets reports at the day's time `now` they were polled.
struct fix_venue_ref {
    fix::fix_venue* v;
    status submit(const order_intent& o) noexcept {
        order_intent w = o;
        w.ts = timestamp{fix::wall_clock_ns()};
        return v->submit(w);
    }
    status cancel(order_id id, timestamp) noexcept { return v->cancel(id, timestamp{fix::wall_clock_ns()}); }
    status modify(order_id id, price px, qty q, timestamp) noexcept { return v->modify(id, px, q, timestamp{fix::wall_clock_ns()}); }
    status cancel_all(timestamp) noexcept { return v->cancel_all(timestamp{fix::wall_clock_ns()}); }
    bool poll(timestamp now, execution_report& r) noexcept {
        if (!v->poll(timestamp{fix::wall_clock_ns()}, r)) return false;
        r.ts = now;
        return true;
    }
    [[nodiscard]] venue_session session_state() const noexcept { return v->session_state(); }
};

struct options {
    std::string host = "127.0.0.1";
    long long port = -1;
    fix::session_config session;
    std::string messages, orderbook, symbol, store_dir, json_path, jsonl_path, strategy = "as";
    long long order_qty = 100;
    double duration_s = 0;  // 0: until a signal
    double warmup_s = 60;   // volatility estimator warm-up, seconds (the strategies' default)
};

#ifdef PINNACLE_HAVE_JSONL
using event_recorder = jsonl_recorder;
#else
/// Without pinnacle::jsonl: a recorder that records nothing.
struct event_recorder {
    void on_input(const market_event&) noexcept {}
    void on_timer(timestamp) noexcept {}
    template <class Engine>
    void after_step(timestamp, const Engine&) noexcept {}
    void on_report(const execution_report&) noexcept {}
    void on_connection(std::int64_t, std::string_view, std::string_view, std::string_view = {}) noexcept {}
};
#endif

/// The TCP side: one connection at a time, reconnecting every second while running.
struct link {
    asio::io_context io;
    fix::session* session = nullptr;
    std::shared_ptr<fix::tcp_connection> conn;
    std::string host;
    std::uint16_t port = 0;
    std::size_t connects = 0;
    std::int64_t next_try = 0;
    event_recorder* events = nullptr;  // connection_event lines (--jsonl)
    fix::session_state seen = fix::session_state::disconnected;
    bool connect(std::string& err) {
        auto sock = fix::connect_tcp(io, host, port, err);
        if (!sock) return false;
        conn = std::make_shared<fix::tcp_connection>(std::move(*sock), *session, [this](std::string_view why) {
            std::fprintf(stderr, "fix_market_maker: connection closed: %.*s\n", static_cast<int>(why.size()), why.data());
            events->on_connection(fix::wall_clock_ns(), "disconnected", to_string(session->state()), why);
        });
        conn->start();
        ++connects;
        events->on_connection(fix::wall_clock_ns(), "connected", to_string(session->state()), host + ":" + std::to_string(port));
        watch();
        return true;
    }
    /// A connection_event for each FIX session state change since the last look.
    void watch() noexcept {
        const fix::session_state st = session->state();
        if (st == seen) return;
        seen = st;
        const std::string_view what = st == fix::session_state::active         ? "logon"
                                      : st == fix::session_state::logout_sent   ? "logout"
                                      : st == fix::session_state::disconnected  ? "session_closed"
                                      : st == fix::session_state::logon_sent    ? "logon_sent"
                                                                                : "awaiting_logon";
        events->on_connection(fix::wall_clock_ns(), what, to_string(st));
    }
    [[nodiscard]] bool up() const { return conn && !conn->closed(); }
    void flush() {
        if (up()) conn->flush();
    }
    /// Runs the socket handlers for up to `ms` milliseconds; reconnects a dropped connection.
    void pump(int ms, bool reconnect) {
        flush();
        io.restart();
        io.run_for(std::chrono::milliseconds(ms));
        watch();
        if (!up() && reconnect && fix::wall_clock_ns() >= next_try) {
            next_try = fix::wall_clock_ns() + 1'000'000'000;
            std::string err;
            if (!connect(err)) std::fprintf(stderr, "fix_market_maker: %s\n", err.c_str());
        }
    }
};

/// Run-loop hooks: the LOBSTER book fix-up and the breaker's volume trigger (as in the backtest),
/// the socket pumped while idle, a stop on a signal or at the deadline.
struct live_hooks {
    const lobster_day* day;
    std::size_t depth;
    circuit_breaker* breaker;
    link* net;
    std::int64_t stop_at;  // wall clock ns (INT64_MAX: none)
    std::size_t index = 0;
    template <class Book>
    void after_apply(const market_event& e, Book& b) noexcept {
        if (e.type == event_type::execute || e.type == event_type::execute_hidden) breaker->on_trade(e.ts, e.size);
        if (!day->rows.empty()) (void)lobster_reconcile(b, day->rows[index], depth);
        else (void)lobster_repair_unpaired(b, e, depth);
    }
    template <class Engine>
    void after_event(const market_event&, Engine&) noexcept {
        ++index;
        net->flush();
        net->watch();
    }
    template <class Engine>
    void on_idle(Engine&) noexcept {
        net->pump(1, true);
    }
    [[nodiscard]] bool stop_requested() const noexcept { return g_signal != 0 || fix::wall_clock_ns() >= stop_at; }
};

template <class Strat>
int run(const options& o, const lobster_day& day, Strat strat) {
    lobster_backtest_config cfg;
    const instrument& inst = cfg.inst;
    const double per_tick_lot = inst.to_currency(notional{1});
    const auto money = [&](double currency) { return notional{static_cast<std::int64_t>(currency / per_tick_lot)}; };
    kill_switch ks;
    circuit_breaker breaker(cfg.breaker);
    alert_manager alerts;
    const lobster_risk_limits& lim = cfg.risk;
    lobster_risk_chain chain(kill_switch_check(&ks), order_sanity_check{}, quote_grid_check{price{inst.quote_increment}},
                             max_order_qty_check{lim.max_order_qty}, max_position_check{lim.max_long, lim.max_short},
                             max_notional_check{money(lim.max_order_notional), money(lim.max_gross_exposure)},
                             price_band_check{lim.price_band_bps}, max_open_orders_check{lim.max_open_orders},
                             spread_gate_check{price{lim.max_spread_ticks}}, daily_loss_check(money(lim.daily_loss_limit)),
                             drawdown_check(money(lim.max_drawdown)), losing_streak_check(lim.max_losing_streak),
                             self_trade_check{}, circuit_breaker_check(&breaker),
                             order_rate_check(lim.orders_per_second, lim.order_burst));

    fix::message_store store;
    const std::string store_id = o.session.begin_string + "-" + o.session.sender_comp_id + "-" + o.session.target_comp_id;
    if (!o.store_dir.empty() && !store.open(o.store_dir, store_id)) {
        std::fprintf(stderr, "fix_market_maker: %s\n", store.error().c_str());
        return 2;
    }
    fix::session session(o.session, store);
    session.on_log([](std::string_view s) { std::fprintf(stderr, "fix_market_maker: %.*s\n", static_cast<int>(s.size()), s.data()); });
    bool logged_on = false;
    event_recorder* events = nullptr;
#ifdef PINNACLE_HAVE_JSONL
    std::unique_ptr<jsonl_log> jlog;
    if (!o.jsonl_path.empty()) {
        jsonl_options jo;
        jo.path = o.jsonl_path;
        jo.inst = inst;
        jo.overflow = jsonl_overflow::drop;  // live: never stall the engine on the log
        nlohmann::ordered_json info;
        info["program"] = "fix_market_maker";
        info["host"] = o.host;
        info["port"] = o.port;
        info["sender_comp_id"] = o.session.sender_comp_id;
        info["target_comp_id"] = o.session.target_comp_id;
        info["symbol"] = o.symbol;
        info["strategy"] = o.strategy;
        info["messages"] = o.messages;
        info["wall_start_ns"] = fix::wall_clock_ns();
        try {
            jlog = std::make_unique<jsonl_log>(std::move(jo), info);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "fix_market_maker: --jsonl: %s\n", e.what());
            return 2;
        }
    }
    jsonl_recorder jrec(jlog.get());
    events = &jrec;
#else
    event_recorder none;
    events = &none;
#endif
    fix::fix_venue venue(fix::fix_venue_config{o.symbol, 4, 0, "", 5'000'000'000}, session);
    link net;
    net.session = &session;
    net.host = o.host;
    net.port = static_cast<std::uint16_t>(o.port);
    net.events = events;

    using engine_t = market_maker<l3_book, Strat, alerting_check<lobster_risk_chain>, fix_venue_ref>;
    engine_t mm(l3_book(l3_book_config{std::size_t{1} << 20, std::size_t{1} << 16}), std::move(strat),
                alerting_check<lobster_risk_chain>(std::move(chain), &alerts), fix_venue_ref{&venue}, cfg.engine);
    // The event log sees each booked report through the sink and each step through recorded_engine
    // (the run loop's engine; without --jsonl the recorder records nothing).
    mm.set_report_sink(report_sink{[](void* c, const execution_report& r, const ledger&) noexcept { static_cast<event_recorder*>(c)->on_report(r); },
                                   events});
    recorded_engine<engine_t, event_recorder> rmm{&mm, events};

    std::string err;
    bool connected = false;
    for (int i = 0; i < 20 && !connected && g_signal == 0; ++i) {  // the acceptor may still be starting: 10 s
        connected = net.connect(err);
        if (!connected) ::usleep(500'000);
    }
    if (!connected) {
        std::fprintf(stderr, "fix_market_maker: %s\n", err.c_str());
        return 1;
    }
    const std::int64_t logon_deadline = fix::wall_clock_ns() + 10'000'000'000;
    while (venue.session_state() != venue_session::up && fix::wall_clock_ns() < logon_deadline && g_signal == 0) net.pump(10, false);
    if (venue.session_state() != venue_session::up) {
        std::fprintf(stderr, "fix_market_maker: no Logon from %s:%lld within 10 s\n", o.host.c_str(), o.port);
        return 1;
    }
    logged_on = true;
    std::printf("logged on fix://%s:%lld as %s\n", o.host.c_str(), o.port, o.session.sender_comp_id.c_str());
    std::fflush(stdout);

    paced_clock clock{day.messages.front().ts.ns(), fix::wall_clock_ns()};
    paced_source src{&day, &clock};
    const std::int64_t stop_at = o.duration_s > 0 ? fix::wall_clock_ns() + static_cast<std::int64_t>(o.duration_s * 1e9) : INT64_MAX;
    live_hooks hooks{&day, day.levels, &breaker, &net, stop_at};
    (void)pinnacle::run(src, clock, rmm, hooks, run_options{});

    // Stop: the kill switch pulls every quote; wait for the venue to confirm (at most 5 s).
    ks.fire();
    rmm.on_timer(clock.now());
    const std::int64_t cancel_deadline = fix::wall_clock_ns() + 5'000'000'000;
    while ((mm.working_orders() > 0 || venue.open_orders() > 0) && net.up() && fix::wall_clock_ns() < cancel_deadline) {
        net.pump(10, false);
        rmm.on_reports(clock.now());
    }
    if (net.up() && session.state() == fix::session_state::active) {
        session.logout("fix_market_maker stopping", fix::wall_clock_ns());
        net.watch();
        const std::int64_t logout_deadline = fix::wall_clock_ns() + 3'000'000'000;
        while (net.up() && fix::wall_clock_ns() < logout_deadline) net.pump(10, false);
    }
    rmm.on_reports(clock.now());
    net.watch();

    const ledger& acc = mm.accounts();
    const engine_counters& c = mm.counters();
    pinnacle_examples::json j;
    j["logged_on"] = logged_on;
    j["symbol"] = o.symbol;
    j["strategy"] = o.strategy;
    j["events"] = c.events;
    j["orders_sent"] = c.orders_sent;
    j["cancels_sent"] = c.cancels_sent;
    j["venue_refusals"] = c.venue_refusals;
    j["risk_rejects"] = c.risk_rejects;
    j["venue_not_up"] = c.venue_not_up;
    j["halts"] = c.halts;
    j["book_rejects"] = c.book_rejects;
    j["fills"] = acc.fills();
    j["volume"] = acc.volume().lots();
    j["position"] = acc.position().lots();
    j["realized_pnl"] = acc.realized_pnl() * per_tick_lot;
    j["total_pnl"] = acc.total_pnl() * per_tick_lot;
    j["fees"] = inst.to_currency(acc.fees());
    j["working_orders_at_end"] = mm.working_orders();
    j["ledger_overflowed"] = acc.overflowed();  // true: money figures saturated at the int64 limits
    if (auto b = best_bid(mm.book())) j["final_bid"] = inst.to_currency(b->px);
    if (auto a = best_ask(mm.book())) j["final_ask"] = inst.to_currency(a->px);
    j["reconnects"] = net.connects - 1;
    j["duplicate_reports"] = c.duplicate_reports;
#ifdef PINNACLE_HAVE_JSONL
    if (jlog) {
        if (const std::string e = jlog->close(); !e.empty()) {
            std::fprintf(stderr, "fix_market_maker: --jsonl: %s\n", e.c_str());
            return 2;
        }
        j["jsonl_dropped"] = jlog->stats().dropped;
    }
#endif
    std::printf("orders_sent=%zu fills=%zu position=%lld total_pnl=%.2f reconnects=%zu duplicate_reports=%zu\n",
                static_cast<std::size_t>(c.orders_sent), static_cast<std::size_t>(acc.fills()),
                static_cast<long long>(acc.position().lots()), acc.total_pnl() * per_tick_lot, net.connects - 1,
                static_cast<std::size_t>(c.duplicate_reports));
    if (!o.json_path.empty()) {
        const std::string e = write_file_atomically(o.json_path, pinnacle_examples::json_text(j));
        if (!e.empty()) {
            std::fprintf(stderr, "fix_market_maker: %s\n", e.c_str());
            return 2;
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    o.session.role = fix::session_role::initiator;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            }
            if (i + 1 >= argc) throw pinnacle_examples::bad_flag{std::string(a) + " needs a value"};
            const char* v = argv[++i];
            if (a == "--host") o.host = v;
            else if (a == "--port") o.port = pinnacle_examples::parse_int(a, v, 1, 65535);
            else if (a == "--sender-comp-id") o.session.sender_comp_id = v;
            else if (a == "--target-comp-id") o.session.target_comp_id = v;
            else if (a == "--messages") o.messages = v;
            else if (a == "--orderbook") o.orderbook = v;
            else if (a == "--symbol") o.symbol = v;
            else if (a == "--store") o.store_dir = v;
            else if (a == "--json") o.json_path = v;
            else if (a == "--jsonl") {
#ifndef PINNACLE_HAVE_JSONL
                throw pinnacle_examples::bad_flag{"--jsonl: this build has no pinnacle::jsonl (install nlohmann-json3-dev and reconfigure)"};
#endif
                o.jsonl_path = v;
            }
            else if (a == "--order-qty") o.order_qty = pinnacle_examples::parse_int(a, v, 1, 1'000'000);
            else if (a == "--duration") {
                o.duration_s = pinnacle_examples::parse_double(a, v);
                if (!(o.duration_s > 0 && o.duration_s <= 1e6)) throw pinnacle_examples::bad_flag{"--duration must be in (0, 1e6] seconds"};
            } else if (a == "--warmup") {
                o.warmup_s = pinnacle_examples::parse_double(a, v);
                if (!(o.warmup_s >= 0 && o.warmup_s <= 86'400)) throw pinnacle_examples::bad_flag{"--warmup must be in [0, 86400] seconds"};
            } else if (a == "--strategy") {
                o.strategy = v;
                if (o.strategy != "as" && o.strategy != "glft" && o.strategy != "imbalance")
                    throw pinnacle_examples::bad_flag{"--strategy must be as, glft or imbalance, got '" + o.strategy + "'"};
            } else throw pinnacle_examples::bad_flag{"unknown flag " + std::string(a)};
        }
        if (o.port < 0) throw pinnacle_examples::bad_flag{"--port is required"};
        if (o.session.sender_comp_id.empty() || o.session.target_comp_id.empty())
            throw pinnacle_examples::bad_flag{"--sender-comp-id and --target-comp-id are required"};
        if (!o.orderbook.empty() && o.messages.empty()) throw pinnacle_examples::bad_flag{"--orderbook needs --messages"};
    } catch (const pinnacle_examples::bad_flag& e) {
        std::fprintf(stderr, "fix_market_maker: %s\n%s", e.what.c_str(), usage);
        return 2;
    }
    if (o.messages.empty()) {
        o.messages = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        o.orderbook = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";
    }
    if (o.symbol.empty()) {  // LOBSTER names start with the ticker: AMZN_2012-06-21_...
        const std::string name = o.messages.substr(o.messages.find_last_of('/') + 1);
        o.symbol = name.substr(0, name.find('_'));
    }
    lobster_day day;
    try {
        day = load_lobster_day(o.messages, o.orderbook);
        if (day.levels == 0) day.levels = lobster_levels_from_name(o.messages);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fix_market_maker: %s\n", e.what());
        return 2;
    }
    if (day.messages.empty()) {
        std::fprintf(stderr, "fix_market_maker: %s has no messages\n", o.messages.c_str());
        return 2;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGPIPE, SIG_IGN);  // a closed stdout (or socket) is an error to report, not a death
    avellaneda_stoikov_config as;
    as.session = day.session;  // the A-S horizon: this day's close
    as.order_qty = qty{o.order_qty};
    as.vol.warmup_seconds = o.warmup_s;
    if (o.strategy == "as") return run(o, day, avellaneda_stoikov(as));
    if (o.strategy == "glft") {
        glft_config c;
        c.order_qty = as.order_qty;
        c.max_position = as.max_position;
        c.vol = as.vol;
        return run(o, day, glft(c));
    }
    imbalance_mm_config c;
    c.order_qty = as.order_qty;
    c.max_position = as.max_position;
    c.vol = as.vol;
    return run(o, day, imbalance_mm(c));
}
