// live_market_maker: the backtest's engine, strategy and risk chain on a live exchange feed,
// trading on paper: a simulated venue fills our quotes against the live book and trades
// (risk-averse queue: only trades through our price, or at it once the queue ahead is gone).
//
//   live_market_maker --exchange binance|binance-usdm|coinbase|coinbase-exchange|kraken|bitstamp
//                     --symbol S [--endpoint URL] [--rest URL] [--strategy as|glft|imbalance]
//                     [--duration SECONDS] [--json FILE] [--latency-us U]
//
// Without --endpoint / --rest it connects to the exchange's public production endpoints. One
// thread: the WebSocket read handler decodes the frame and hands its events straight to the
// engine (no queue, no lock). The engine never quotes on a stale book: a risk check halts quoting
// while the traded book is not live (awaiting its snapshot, or after a gap) and the strategy keeps
// its previous quotes while a message's events are only partly applied. SIGINT / SIGTERM (or the
// end of --duration): kill switch (every order cancelled), summary, --json.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cli.hpp"
#include "json_report.hpp"
#include "pinnacle/apps/output_file.hpp"
#include "pinnacle/connect/wire/latency.hpp"
#include "pinnacle/connect/wire/live_feed.hpp"
#include "pinnacle/connect/wire/paper_book.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/circuit_breaker_check.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"

namespace {

using namespace pinnacle;
using namespace pinnacle::connect;
using namespace pinnacle::connect::wire;
using pinnacle_examples::bad_flag;

const char* const usage =
    "usage: live_market_maker --exchange binance|binance-usdm|coinbase|coinbase-exchange|kraken|bitstamp --symbol S\n"
    "                         [--endpoint URL] [--rest URL] [--strategy as|glft|imbalance] [--duration SECONDS]\n"
    "                         [--json FILE] [--latency-us U] [--warmup S] [--tick T] [--idle-exit MS]\n"
    "                         [--verify-interval MS]\n"
    "  --symbol S      as the stream spells it: BTCUSDT (Binance), XBT/USD (Kraken), BTC-USD (Coinbase), btcusd (Bitstamp);\n"
    "                  several comma-separated are subscribed, the first is traded\n"
    "  --endpoint URL  WebSocket URL (default: the exchange's public endpoint; ws://127.0.0.1:PORT for exchange_replay_server)\n"
    "  --rest URL      REST base URL for depth snapshots (Binance, Bitstamp; default: the exchange's)\n"
    "  --duration S    stop after S seconds (default: until SIGINT / SIGTERM)\n"
    "  --latency-us U  paper venue latency each way, microseconds (default 50)\n"
    "  --idle-exit MS  stop once the connection is open, every book is live and no message came for MS ms\n"
    "                  (a replayed capture ended)\n"
    "  --verify-interval MS  Bitstamp: compare each live book with the REST order book every MS ms (default 10000;\n"
    "                  0: never); a difference is a gap, and the book is replaced\n"
    "  --warmup S      seconds of volatility warm-up before the strategy quotes (default 60)\n"
    "  --tick T        the traded symbol's price step, e.g. 0.01 for BTCUSDT (default: the step the exchange's\n"
    "                  reference endpoint lists; unlisted, the feed's 10^-8 grid, which puts prices over 100\n"
    "                  past the engine's price bound: no order could be sent)\n";


// Wants nothing while the book is stale (the halt pulls everything), and keeps the previous
// quotes while a message's events are only partly applied: the book is then between two exchange
// states (a snapshot half built: one bid, no ask), so the strategy does not see it at all, or its
// volatility estimate would take those jumps for price moves and widen the quotes past any band.
template <class S>
struct batch_gate {
    S inner;
    const bool* stale;
    const bool* mid;
    quote_pair last{};

    template <class Book>
    quote_pair on_market(const market_update<Book>& u) noexcept {
        if (*stale) return last = quote_pair{};
        if (*mid) return last;
        return last = inner.on_market(u);
    }
    void on_execution(const execution_report& r) noexcept { inner.on_execution(r); }
};

// The circuit breaker sees the book only where a message ends: a snapshot applied level by level
// passes through half-built tops (one bid, no ask; then a better bid) that read as a price jump of
// many bps and would open the breaker for its whole cooldown before the first quote.
struct batch_breaker_check {
    circuit_breaker_check inner;
    const bool* mid;

    [[nodiscard]] risk_verdict check(const order_intent& i, const risk_state& st) noexcept { return inner.check(i, st); }
    void on_execution(const execution_report& r, const risk_state& st) noexcept { inner.on_execution(r, st); }
    void on_market(const market_snapshot& m) noexcept {
        if (!*mid) inner.on_market(m);
    }
    [[nodiscard]] bool halts_quoting(timestamp now) noexcept { return inner.halts_quoting(now); }
    void on_ack_latency(timestamp ts, duration latency) noexcept { inner.on_ack_latency(ts, latency); }
};
static_assert(MarketAwareRiskCheck<batch_breaker_check>);

using live_chain = risk_chain<stale_book_check, kill_switch_check, order_sanity_check, quote_grid_check, max_order_qty_check,
                              max_position_check, price_band_check, max_open_orders_check, daily_loss_check, drawdown_check,
                              self_trade_check, batch_breaker_check, order_rate_check>;

struct options {
    exchange_kind exchange = exchange_kind::unknown;
    std::vector<std::string> symbols;
    std::string endpoint, rest, strategy = "as", json;
    double duration = 0;
    std::int64_t latency_us = 50;
    double warmup = 60;
    double tick = 0;            // --tick: the traded symbol's price step (currency); 0: the feed's grid
    std::int64_t idle_exit_ms = 0; // --idle-exit: stop after this long without a message on an open connection
    std::int64_t verify_ms = 10'000; // --verify-interval: Bitstamp REST book checks (0: never)
    std::vector<pinnacle::connect::listed_instrument> instruments; // tick and lot steps from the exchange's reference endpoint
    double grid_tick = 1e-8, grid_lot = 1e-8;  // the traded symbol's steps (currency, base units): listed, else the fallback
};

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class Strat>
int run(const options& o, Strat strat) {
    boost::asio::io_context io;

    bool stale = true, mid = false;
    kill_switch ks;
    circuit_breaker_config bc;
    bc.price_move_bps = 50.0;
    bc.price_window = duration{1'000'000'000};
    bc.cooldown = duration{30'000'000'000};
    bc.probe_period = duration{5'000'000'000};
    circuit_breaker breaker(bc);
    // Limits in lots / tick-lots of the feed's grids (10^-8 by default): generous, the paper
    // account is small; notional limits are off (the grids make tick-lots 10^-16 currency).
    constexpr std::int64_t big = std::int64_t{1} << 60;
    live_chain chain(stale_book_check{&stale}, kill_switch_check(&ks), order_sanity_check{}, quote_grid_check{price{1}},
                     max_order_qty_check{qty{100'000'000}}, max_position_check{qty{1'000'000'000}, qty{1'000'000'000}},
                     price_band_check{500}, max_open_orders_check{8}, daily_loss_check(notional{big}), drawdown_check(notional{big}),
                     self_trade_check{}, batch_breaker_check{circuit_breaker_check(&breaker), &mid}, order_rate_check(100.0, 20.0));
    using venue_t = simulated_venue<paper_book, risk_averse_queue, constant_latency, fee_schedule>;
    using engine_t = market_maker<paper_book, batch_gate<Strat>, live_chain, venue_t>;
    const duration lat{o.latency_us * 1000};
    engine_t mm(paper_book(5000), batch_gate<Strat>{std::move(strat), &stale, &mid}, std::move(chain),
                venue_t(constant_latency{lat, lat}, fee_schedule{}, risk_averse_queue{}));

    std::int64_t last_wall = 0;
    auto wall = [&] {
        const std::int64_t t = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        if (t > last_wall) last_wall = t;
        return timestamp{last_wall};
    };
    latency_histogram to_quote;
    latency_histogram engine_time;  // book + risk + strategy + paper venue per message
    std::uint64_t sent_while_stale = 0, engine_events = 0, msgs_in_sec = 0, batches = 0;
    std::int64_t first_recv = 0, last_recv = 0;  // steady ns of the first and last message
    const std::string traded = o.exchange == exchange_kind::bitstamp ? pinnacle::connect::wire::detail::lower_copy(o.symbols[0]) : o.symbols[0];
    double tick_step = 1e-8, lot_step = 1e-8;
    // The engine's price grid: --tick or the feed's (the listed step; for an unlisted symbol the
    // 10^-8 fallback grid, where anything over 100 currency units is past the library's price
    // bound, max_price_ticks = 10^10: the venue would refuse every order). Each price is
    // divided by `factor` (feed ticks per engine tick); one that is not a multiple is off the
    // grid --tick names: counted, and the event is not given to the engine.
    std::int64_t factor = 1;
    std::uint64_t off_grid = 0;

    live_feed_options fo;
    fo.exchange = o.exchange;
    fo.symbols = o.symbols;
    fo.endpoint = o.endpoint;
    fo.rest = o.rest;
    fo.instruments = o.instruments;
    fo.verify_interval = std::chrono::milliseconds(o.verify_ms);
    fo.ws.seed = static_cast<std::uint64_t>(steady_ns());
    std::chrono::steady_clock::time_point last_batch{};  // --idle-exit: when the last message arrived
    live_feed feed(io, fo, [&](const feed_batch& b) {
        ++msgs_in_sec;
        last_batch = std::chrono::steady_clock::now();
        ++batches;
        if (first_recv == 0) first_recv = b.recv_ns;
        last_recv = b.recv_ns;
        const std::uint32_t i = b.decoder->find(traded);
        const bool was_stale = stale;
        stale = i == no_symbol || b.decoder->symbol(i).stale();
        if (i != no_symbol) {
            const auto& spec = b.decoder->symbol(i).spec;
            const double feed_tick = static_cast<double>(spec.tick.step.digits) / static_cast<double>(pinnacle::connect::detail::pow10_table[spec.tick.step.scale]);
            factor = o.tick > 0 ? std::max<std::int64_t>(1, std::llround(o.tick / feed_tick)) : 1;
            tick_step = feed_tick * static_cast<double>(factor);
            lot_step = static_cast<double>(spec.lot.step.digits) / static_cast<double>(pinnacle::connect::detail::pow10_table[spec.lot.step.scale]);
        }
        std::size_t left = 0;
        for (const auto& e : b.events) left += e.symbol == i ? 1 : 0;
        bool any = false;
        const std::int64_t t0 = left != 0 ? steady_ns() : 0;
        for (const auto& e : b.events) {
            if (e.symbol != i) continue;
            mid = --left != 0;
            market_event ev = e.ev;
            ev.ts = wall();
            if (factor != 1) {
                if (ev.px.ticks() % factor != 0) {
                    ++off_grid;
                    continue;
                }
                ev.px = price{ev.px.ticks() / factor};
            }
            if (ev.type == event_type::execute) breaker.on_trade(ev.ts, ev.size);
            const std::size_t before = mm.counters().orders_sent;
            mm.on_event(ev);
            ++engine_events;
            if (stale && mm.counters().orders_sent != before) ++sent_while_stale;
            any = true;
        }
        mid = false;
        if (stale && !was_stale) mm.on_reports(wall());  // went stale: the halt pulls our quotes now
        if (any) {
            const std::int64_t t1 = steady_ns();
            to_quote.record(t1 - b.recv_ns);
            engine_time.record(t1 - t0);
        }
    });

    const auto start = std::chrono::steady_clock::now();
    boost::asio::steady_timer tick(io);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    bool stopping = false;
    const bool tty = isatty(STDOUT_FILENO) != 0;
    int ticks = 0;
    std::function<void()> shutdown = [&] {
        if (stopping) return;
        stopping = true;
        ks.fire();
        mm.on_timer(wall());  // the kill switch halts: every working order is cancelled
        feed.stop();
        tick.cancel();
        signals.cancel();
    };
    signals.async_wait([&](boost::system::error_code ec, int) {
        if (!ec) shutdown();
    });
    auto status = [&] {
        const live_counters c = feed.counters();
        const auto& b = mm.book();
        const double bid = b.depth(side::buy) ? static_cast<double>(b.level(side::buy, 0).px.ticks()) * tick_step : 0.0;
        const double ask = b.depth(side::sell) ? static_cast<double>(b.level(side::sell, 0).px.ticks()) * tick_step : 0.0;
        const double pos = static_cast<double>(mm.accounts().position().lots()) * lot_step;
        const auto& ct = mm.counters();
        const char* st = feed.state() == ws_state::open ? (stale ? "open, book stale" : "open, live") : feed.state() == ws_state::connecting ? "connecting" : "reconnecting";
        if (tty) {
            std::printf("\x1b[H\x1b[2J%s %s  [%s]\n", to_string(o.exchange).data(), traded.c_str(), st);
            std::printf("book    bid %.8g  ask %.8g\n", bid, ask);
            std::printf("orders  sent %zu  fills %zu  position %.8g  pnl %.6g\n", ct.orders_sent, mm.accounts().fills(), pos,
                        static_cast<double>(mm.accounts().total_pnl()) * tick_step * lot_step);
            std::printf("feed    %llu msg/s  messages %llu  gaps %llu  resyncs %llu  reconnects %llu  bbo %llu/%llu mismatched\n",
                        static_cast<unsigned long long>(msgs_in_sec), static_cast<unsigned long long>(c.feed.messages),
                        static_cast<unsigned long long>(c.feed.gaps), static_cast<unsigned long long>(c.feed.resyncs),
                        static_cast<unsigned long long>(c.reconnects), static_cast<unsigned long long>(c.feed.bbo_mismatched),
                        static_cast<unsigned long long>(c.feed.bbo_checked));
            std::printf("latency wire-to-quote p50 %llu ns  p99 %llu ns\n", static_cast<unsigned long long>(to_quote.percentile(0.5)),
                        static_cast<unsigned long long>(to_quote.percentile(0.99)));
        } else {
            std::printf("t=%ds state=%s bid=%.8g ask=%.8g msgs/s=%llu messages=%llu gaps=%llu resyncs=%llu reconnects=%llu quotes=%zu fills=%zu position=%.8g p50=%lluns p99=%lluns\n",
                        ticks / 10, st, bid, ask, static_cast<unsigned long long>(msgs_in_sec), static_cast<unsigned long long>(c.feed.messages),
                        static_cast<unsigned long long>(c.feed.gaps), static_cast<unsigned long long>(c.feed.resyncs),
                        static_cast<unsigned long long>(c.reconnects), ct.orders_sent, mm.accounts().fills(), pos,
                        static_cast<unsigned long long>(to_quote.percentile(0.5)), static_cast<unsigned long long>(to_quote.percentile(0.99)));
        }
        std::fflush(stdout);
        msgs_in_sec = 0;
    };
    std::function<void()> arm = [&] {
        tick.expires_after(std::chrono::milliseconds(100));
        tick.async_wait([&](boost::system::error_code ec) {
            if (ec || stopping) return;
            ++ticks;
            mm.on_timer(wall());
            if (ticks % 10 == 0) status();
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (o.duration > 0 && secs >= o.duration) return shutdown();
            // --idle-exit: the stream went quiet on an open connection with every book live (a
            // replayed capture ended; a resync still fetching its snapshot is not the end).
            if (o.idle_exit_ms > 0 && last_batch != std::chrono::steady_clock::time_point{} && feed.state() == ws_state::open &&
                std::chrono::steady_clock::now() - last_batch >= std::chrono::milliseconds(o.idle_exit_ms) &&
                std::none_of(o.symbols.begin(), o.symbols.end(), [&](const std::string& s) {
                    return feed.stale(o.exchange == exchange_kind::bitstamp ? pinnacle::connect::wire::detail::lower_copy(s) : s);
                }))
                return shutdown();
            arm();
        });
    };
    feed.start();
    arm();
    io.run_for(std::chrono::hours(24 * 365));
    // Let the paper venue answer the cancels, then book everything still in flight.
    mm.on_reports(timestamp{wall().ns() + 1'000'000'000});
    mm.finish();

    const live_counters c = feed.counters();
    const ledger& acc = mm.accounts();
    const double pnl = static_cast<double>(acc.total_pnl()) * tick_step * lot_step;
    auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    std::printf("summary: messages=%llu book_updates=%llu gaps=%llu resyncs=%llu bbo_checked=%llu bbo_mismatched=%llu reconnects=%llu "
                "rejected=%llu quotes=%zu fills=%zu position=%lld total_pnl=%.10g orders_sent_while_stale=%llu working_orders_at_end=%u\n",
                u(c.feed.messages), u(c.feed.book_updates), u(c.feed.gaps), u(c.feed.resyncs), u(c.feed.bbo_checked), u(c.feed.bbo_mismatched),
                u(c.reconnects), u(c.rejected_frames), mm.counters().orders_sent, acc.fills(), static_cast<long long>(acc.position().lots()), pnl,
                u(sent_while_stale), mm.working_orders());
    if (!o.json.empty()) {
        pinnacle_examples::json j;
        j["exchange"] = std::string(to_string(o.exchange));
        j["symbol"] = traded;
        j["messages"] = c.feed.messages;
        j["frames"] = c.frames;
        j["rejected_frames"] = c.rejected_frames;
        j["book_updates"] = c.feed.book_updates;
        j["gaps"] = c.feed.gaps;
        j["resyncs"] = c.feed.resyncs;
        j["checksums_ok"] = c.feed.checksums_ok;
        j["checksums_failed"] = c.feed.checksums_failed;
        j["checksums_failed_after_resync"] = c.checksums_failed_after_resync;
        j["resubscribes"] = c.resubscribes;
        j["verifications"] = c.verifications;
        j["bbo_checked"] = c.feed.bbo_checked;
        j["bbo_mismatched"] = c.feed.bbo_mismatched;
        j["reconnects"] = c.reconnects;
        j["snapshot_requests"] = c.snapshot_requests;
        j["snapshot_failures"] = c.snapshot_failures;
        j["engine_events"] = engine_events;
        j["quotes"] = mm.counters().orders_sent;
        j["cancels"] = mm.counters().cancels_sent;
        j["risk_rejects"] = mm.counters().risk_rejects;
        j["venue_refusals"] = mm.counters().venue_refusals;
        j["off_grid_events"] = off_grid;
        j["tick"] = tick_step;
        j["lot"] = lot_step;
        pinnacle_examples::json reasons = pinnacle_examples::json::object();
        for (std::size_t k = 0; k < risk_reason_count; ++k)
            if (mm.counters().rejects_by_reason[k] != 0) reasons[std::string(to_string(static_cast<risk_reason>(k)))] = mm.counters().rejects_by_reason[k];
        j["rejects_by_reason"] = std::move(reasons);
        j["halts"] = mm.counters().halts;
        j["fills"] = acc.fills();
        j["position"] = acc.position().lots();
        j["total_pnl"] = pnl;
        j["orders_sent_while_stale"] = sent_while_stale;
        j["working_orders_at_end"] = mm.working_orders();
        j["wire_to_book_p50_ns"] = feed.wire_to_book().percentile(0.5);
        j["wire_to_book_p99_ns"] = feed.wire_to_book().percentile(0.99);
        j["wire_to_book_p999_ns"] = feed.wire_to_book().percentile(0.999);
        j["wire_to_quote_p50_ns"] = to_quote.percentile(0.5);
        j["wire_to_quote_p99_ns"] = to_quote.percentile(0.99);
        j["wire_to_quote_p999_ns"] = to_quote.percentile(0.999);
        j["wire_to_quote_count"] = to_quote.count();
        j["engine_p50_ns"] = engine_time.percentile(0.5);
        j["engine_p99_ns"] = engine_time.percentile(0.99);
        // Throughput while messages flowed (first to last message read; with --max-speed on
        // loopback, the client's capacity).
        const double feed_s = static_cast<double>(last_recv - first_recv) / 1e9;
        j["feed_seconds"] = feed_s;
        j["messages_per_second"] = feed_s > 0 ? static_cast<double>(batches) / feed_s : 0.0;
        pinnacle_examples::json book;
        const paper_book& b = mm.book();
        for (const side s : {side::buy, side::sell}) {
            pinnacle_examples::json lv = pinnacle_examples::json::array();
            for (std::size_t k = 0; k < b.depth(s) && k < 10; ++k)
                lv.push_back({b.level(s, k).px.ticks(), b.level(s, k).size.lots()});
            book[s == side::buy ? "bids" : "asks"] = lv;
        }
        j["book_top10"] = book;
        if (const std::string err = write_file_atomically(o.json, pinnacle_examples::json_text(j)); !err.empty()) {
            std::cerr << "live_market_maker: " << err << '\n';
            return 1;
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            auto value = [&]() -> const char* {
                if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
                return argv[++i];
            };
            if (a == "--exchange") {
                const std::string v = value();
                const auto k = exchange_from_name(v);
                if (!k) throw bad_flag{"--exchange must be binance, binance-usdm, coinbase, coinbase-exchange, kraken or bitstamp, got '" + v + "'"};
                o.exchange = *k;
            } else if (a == "--symbol") {
                std::string v = value();
                std::size_t b = 0;
                while (b <= v.size()) {
                    const std::size_t e = std::min(v.find(',', b), v.size());
                    if (e > b) o.symbols.push_back(v.substr(b, e - b));
                    b = e + 1;
                }
            } else if (a == "--endpoint") {
                o.endpoint = value();
            } else if (a == "--rest") {
                o.rest = value();
            } else if (a == "--strategy") {
                o.strategy = value();
                if (o.strategy != "as" && o.strategy != "glft" && o.strategy != "imbalance")
                    throw bad_flag{"--strategy must be as, glft or imbalance, got '" + o.strategy + "'"};
            } else if (a == "--duration") {
                o.duration = pinnacle_examples::parse_double(a, value());
                if (o.duration < 0) throw bad_flag{"--duration must be >= 0 seconds"};
            } else if (a == "--json") {
                o.json = value();
            } else if (a == "--warmup") {
                o.warmup = pinnacle_examples::parse_double(a, value());
                if (o.warmup < 0 || o.warmup > 86400) throw bad_flag{"--warmup must be in [0, 86400] seconds"};
            } else if (a == "--tick") {
                o.tick = pinnacle_examples::parse_double(a, value());
                if (!(o.tick >= 1e-8 && o.tick <= 1e6)) throw bad_flag{"--tick must be in [1e-8, 1e6] currency units"};
            } else if (a == "--idle-exit") {
                o.idle_exit_ms = pinnacle_examples::parse_int(a, value(), 1, 3'600'000);
            } else if (a == "--verify-interval") {
                o.verify_ms = pinnacle_examples::parse_int(a, value(), 0, 86'400'000);
            } else if (a == "--latency-us") {
                o.latency_us = pinnacle_examples::parse_int(a, value(), 0, 10'000'000);
            } else {
                throw bad_flag{"unknown flag '" + std::string(a) + "'"};
            }
        }
        if (o.exchange == exchange_kind::unknown) throw bad_flag{"--exchange is required"};
        if (o.symbols.empty()) throw bad_flag{"--symbol is required"};
        if (!o.endpoint.empty()) {
            const auto u = parse_url(o.endpoint);
            if (!u || !u->websocket) throw bad_flag{"--endpoint must be a ws:// or wss:// URL, got '" + o.endpoint + "'"};
        }
        if (!o.rest.empty()) {
            const auto u = parse_url(o.rest);
            if (!u || u->websocket) throw bad_flag{"--rest must be an http:// or https:// URL, got '" + o.rest + "'"};
        }
    } catch (const bad_flag& e) {
        std::cerr << "live_market_maker: " << e.what << '\n' << usage;
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    try {
        // The traded symbols' tick and lot steps from the exchange's reference endpoint; a symbol
        // it does not list is decoded on the 10^-8 fallback grids (and --tick sets the price step).
        pinnacle::connect::wire::instrument_fetch inst = pinnacle::connect::wire::fetch_instruments(o.exchange, o.rest, o.symbols);
        if (!inst.error.empty())
            std::cerr << "live_market_maker: instruments: " << inst.error << " (decoded on the 10^-8 grid; --tick T sets the price step)\n";
        o.instruments = std::move(inst.instruments);
        for (const auto& li : o.instruments) {
            if (pinnacle::connect::wire::detail::lower_copy(li.symbol) != pinnacle::connect::wire::detail::lower_copy(o.symbols[0])) continue;
            o.grid_tick = static_cast<double>(li.spec.tick.step.digits) / static_cast<double>(pinnacle::connect::detail::pow10_table[li.spec.tick.step.scale]);
            o.grid_lot = static_cast<double>(li.spec.lot.step.digits) / static_cast<double>(pinnacle::connect::detail::pow10_table[li.spec.lot.step.scale]);
        }
        // Prices in ticks of --tick or the listed step, sizes in lots of the listed step (10^-8
        // without one). Orders of 0.001 base units (at least a lot), position up to ten of them.
        const double tick_value = o.tick > 0 ? o.tick : o.grid_tick;
        const std::int64_t order_lots = std::max<std::int64_t>(1, std::llround(1e-3 / o.grid_lot));
        if (o.strategy == "glft") {
            glft_config c;
            c.vol.warmup_seconds = o.warmup;
            c.tick_value = tick_value;
            c.quote_increment = 1;
            c.order_qty = qty{order_lots};
            c.max_position = qty{10 * order_lots};
            return run(o, glft(c));
        }
        if (o.strategy == "imbalance") {
            imbalance_mm_config c;
            c.vol.warmup_seconds = o.warmup;
            c.quote_increment = 1;
            c.order_qty = qty{order_lots};
            c.max_position = qty{10 * order_lots};
            return run(o, imbalance_mm(c));
        }
        avellaneda_stoikov_config c;
        // Crypto trades around the clock: a 24 h day closing at 00:00 UTC (the default session is
        // NASDAQ's hours, whose horizon would be wrong on a wall-clock UTC timestamp).
        c.session.open = duration{0};
        c.session.close = duration{ns_per_day};
        c.vol.warmup_seconds = o.warmup;
        c.tick_value = tick_value;
        c.quote_increment = 1;
        c.order_qty = qty{order_lots};
        c.max_position = qty{10 * order_lots};
        return run(o, avellaneda_stoikov(c));
    } catch (const std::exception& e) {
        std::cerr << "live_market_maker: " << e.what() << '\n';
        return 1;
    }
}
