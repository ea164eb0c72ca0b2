// backtest_lobster: the example market maker on a real NASDAQ day. Rebuilds the L3 book from
// LOBSTER messages, quotes through the pre-trade risk chain into a simulated exchange (queue,
// latency and fee models) and prints the report.
//
//   backtest_lobster [--messages F --orderbook F] [--strategy as] [--queue fifo|risk-averse|prob]
//                    [--latency-ns N] [--maker-fee-bps X --taker-fee-bps Y] [--json FILE]
//                    [--equity-csv FILE] [--kill-switch-at HH:MM:SS[.frac]] [risk flags]
//                    [--journal DIR [--resume] [--journal-sync P] [--snapshot-every N]]
//                    [--jsonl FILE [--jsonl-levels N] [--jsonl-overflow block|drop] [--jsonl-queue N]]
//
// With no arguments it runs on the bundled AMZN 2012-06-21 day (LOBSTER level 1).
// Exit 0 on success, 1 when a journal cannot be recovered (it diverges), 2 on bad input or bad flags.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "backtest_lobster_cli.hpp"
#include "json_report.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/apps/output_file.hpp"
#ifdef PINNACLE_HAVE_JOURNAL
#include "pinnacle/journal/recorder.hpp"
#endif
#ifdef PINNACLE_HAVE_JSONL
#include "pinnacle/journal/jsonl/recorder.hpp"
#endif

namespace {

using pinnacle_examples::bad_flag;

// Crash-safe (temporary + fsync + rename, apps/output_file.hpp); says why on stderr when it fails.
bool write_file(const std::string& path, const std::string& text) {
    const std::string err = pinnacle::write_file_atomically(path, text);
    if (!err.empty()) std::fprintf(stderr, "backtest_lobster: %s\n", err.c_str());
    return err.empty();
}

#ifdef PINNACLE_HAVE_JOURNAL
// The journal recorder, plus the crash tests' hook: SIGKILL this process once `kill_after`
// records were appended (a real kill -9 at a chosen point; 0 = never).
struct crashing_recorder : pinnacle::journal_recorder {
    using pinnacle::journal_recorder::journal_recorder;
    std::uint64_t kill_after = 0;
    void check() noexcept {
        if (kill_after != 0 && records_appended() >= kill_after) std::raise(SIGKILL);
    }
    void on_input(const pinnacle::market_event& e) noexcept { journal_recorder::on_input(e); check(); }
    void on_timer(pinnacle::timestamp t) noexcept { journal_recorder::on_timer(t); check(); }
    void on_kill_switch(pinnacle::timestamp t) noexcept { journal_recorder::on_kill_switch(t); check(); }
    void on_report(const pinnacle::execution_report& r) noexcept { journal_recorder::on_report(r); check(); }
    template <class Engine>
    void after_step(pinnacle::timestamp now, const Engine& mm) noexcept {
        journal_recorder::after_step(now, mm);
        check();
    }
};
#endif

} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle;
    using namespace pinnacle_examples;
    backtest_cli cli;
    try {
        cli = parse_backtest_cli(argc, argv);
    } catch (const bad_flag& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n%s", e.what.c_str(), backtest_usage);
        return 2;
    }
    if (cli.help) {
        std::fputs(backtest_usage, stdout);
        return 0;
    }
    const std::string& messages = cli.messages;
    const std::string& orderbook = cli.orderbook;
    const std::string& json_path = cli.json_path;
    const std::string& equity_path = cli.equity_path;
    const std::string& strategy = cli.strategy;
    const std::string& queue = cli.queue;
    const lobster_backtest_config& cfg = cli.cfg;

    try {
        const lobster_day day = load_lobster_day(messages, orderbook, cfg.inst);
        if (day.messages.empty()) {
            std::fprintf(stderr, "backtest_lobster: %s has no messages\n", messages.c_str());
            return 2;
        }
        const progress_bar bar;
        backtest_report r;
        double used_gamma = 0;  // what the chosen model actually runs with, for the report
        double used_k = 0;
#ifdef PINNACLE_HAVE_JSONL
        // --jsonl: the event log's writer thread runs beside the backtest; without the flag the
        // recorder has no log and every call returns at once.
        std::unique_ptr<jsonl_log> jlog;
        if (!cli.jsonl_path.empty()) {
            jsonl_options jo;
            jo.path = cli.jsonl_path;
            jo.inst = cfg.inst;
            jo.levels = static_cast<std::size_t>(cli.jsonl_levels);
            jo.queue_capacity = static_cast<std::size_t>(cli.jsonl_queue);
            jo.overflow = cli.jsonl_drop ? jsonl_overflow::drop : jsonl_overflow::block;
            nlohmann::ordered_json session;
            session["program"] = "backtest_lobster";
            session["messages"] = messages;
            session["orderbook"] = orderbook;
            session["strategy"] = strategy;
            session["args"] = cli.run_args;
            jlog = std::make_unique<jsonl_log>(std::move(jo), session);
        }
        jsonl_recorder jrec(jlog.get());
#endif
#ifdef PINNACLE_HAVE_JOURNAL
        recorder_mode mode = recorder_mode::hash_only;
        recorder_options ro;
        if (!cli.journal_dir.empty()) {
            mode = recorder_mode::write;
            ro.dir = cli.journal_dir;
            ro.journal.segment_size = static_cast<std::size_t>(cli.segment_mb) << 20;
            ro.journal.sync = *parse_sync_policy(cli.journal_sync);
            ro.snapshot_every = static_cast<std::uint64_t>(cli.snapshot_every);
            ro.snapshot_every_ns = cli.snapshot_every_ms * 1'000'000;
            ro.session = encode_run_args(cli.run_args);
            if (!cli.resume && std::filesystem::is_directory(cli.journal_dir)) {
                journal_reader existing(cli.journal_dir);
                if (existing.segment_files() > 0) {
                    std::fprintf(stderr, "backtest_lobster: %s already holds a journal (%llu segment files): pass --resume to recover "
                                         "and continue it, or choose another directory\n",
                                 cli.journal_dir.c_str(), static_cast<unsigned long long>(existing.segment_files()));
                    return 2;
                }
            }
        }
        // With --jsonl the event log records beside the journal (recorder_tee).
        auto run_with = [&](crashing_recorder* rc) {
#ifdef PINNACLE_HAVE_JSONL
            recorder_tee<crashing_recorder, jsonl_recorder> both{rc, &jrec};
            return run_backtest_cli(cli, day, bar, used_gamma, used_k, &both);
#else
            return run_backtest_cli(cli, day, bar, used_gamma, used_k, rc);
#endif
        };
        auto recp = std::make_unique<crashing_recorder>(mode, ro);
        recp->kill_after = static_cast<std::uint64_t>(cli.crash_after);
        if (!cli.ready_file.empty()) {  // the crash test times its kills from here, not from start-up
            std::FILE* f = std::fopen(cli.ready_file.c_str(), "w");
            if (f == nullptr) {
                std::fprintf(stderr, "backtest_lobster: --journal-ready-file %s: cannot create it\n", cli.ready_file.c_str());
                return 2;
            }
            std::fclose(f);
        }
        if (recp->writer() != nullptr && recp->writer()->opened().truncated)  // on stderr now: a later kill loses buffered stdout
            std::fprintf(stderr, "backtest_lobster: journal %s: a torn or corrupt tail after record %llu was cut off\n", cli.journal_dir.c_str(),
                         static_cast<unsigned long long>(recp->writer()->opened().found.last_seq));
        r = run_with(recp.get());
        if (recp->restart_needed()) {  // every snapshot failed after loading one: start over, re-checking the whole journal
            std::fprintf(stderr, "backtest_lobster: no usable snapshot in %s: re-executing the journal from the start\n", cli.journal_dir.c_str());
            recp.reset();
            ro.use_snapshots = false;
            recp = std::make_unique<crashing_recorder>(mode, ro);
            recp->kill_after = static_cast<std::uint64_t>(cli.crash_after);
            r = run_with(recp.get());
        }
        crashing_recorder& rec = *recp;
        if (rec.failed()) {
            std::fprintf(stderr, "backtest_lobster: journal %s: %s\n", cli.journal_dir.c_str(), rec.error());
            return 1;
        }
        if (rec.has_final_hash()) r.state_hash = to_hex(rec.final_hash());
#elif defined(PINNACLE_HAVE_JSONL)
        r = run_backtest_cli(cli, day, bar, used_gamma, used_k, &jrec);
#else
        r = run_backtest_cli(cli, day, bar, used_gamma, used_k);
#endif
#ifdef PINNACLE_HAVE_JSONL
        jsonl_stats jst;
        if (jlog) {
            if (const std::string err = jlog->close(); !err.empty()) {
                std::fprintf(stderr, "backtest_lobster: --jsonl: %s\n", err.c_str());
                return 2;
            }
            jst = jlog->stats();
        }
#endif

        std::printf("backtest_lobster: %s%s\n", messages.c_str(), orderbook.empty() ? " (no orderbook file)" : "");
        std::printf("strategy       %s gamma=%g/$ k=%g/$ order_qty=%lld max_position=%lld\n", strategy.c_str(), used_gamma, used_k, static_cast<long long>(cfg.strategy.order_qty.lots()),
                    static_cast<long long>(cfg.strategy.max_position.lots()));
        std::printf("venue          queue %s, latency %lld ns each way, fees %lld/%lld ticks per share + %g/%g bps (maker/taker)\n",
                    queue.c_str(), static_cast<long long>(cfg.latency.entry_latency.ns()),
                    static_cast<long long>(cfg.fees.per_lot.maker_ticks_per_lot), static_cast<long long>(cfg.fees.per_lot.taker_ticks_per_lot),
                    cfg.fees.bps.maker_bps, cfg.fees.bps.taker_bps);
        std::printf("events         %zu\n", r.events);
        std::printf("quotes         %zu (cancels %zu, held by the quote policy %zu, order-to-trade %.2f)\n", r.quotes, r.cancels,
                    r.quotes_held, r.order_to_trade);
        std::printf("fills          %zu (fill ratio %.4f, round trips %zu, losing %zu)\n", r.fills, r.fill_ratio, r.round_trips,
                    r.losing_round_trips);
        std::printf("volume         %lld shares\n", static_cast<long long>(r.volume));
        std::printf("position       %lld shares (min %lld, max %lld, time-weighted mean %.1f, mean |q| %.1f)\n",
                    static_cast<long long>(r.position), static_cast<long long>(r.min_position), static_cast<long long>(r.max_position),
                    r.mean_position, r.mean_abs_position);
        std::printf("realized PnL   $%.2f\n", r.realized_pnl);
        std::printf("total PnL      $%.2f (marked to mid %.4f)\n", r.total_pnl, (r.final_bid + r.final_ask) / 2);
        if (r.ledger_overflowed)
            std::fprintf(stderr, "backtest_lobster: warning: the ledger reached the int64 limits (tick-lots) and saturated: "
                                 "cash, fees and PnL are bounds, not exact\n");
        std::printf("fees           $%.2f\n", r.fees);
        std::printf("max drawdown   $%.2f\n", r.max_drawdown);
        std::printf("sharpe         %.2f (1-minute PnL changes, x sqrt(252*390))\n", r.sharpe);
        std::printf("risk rejects   %zu", r.risk_rejects);
        for (const auto& [reason, count] : r.rejects_by_reason) std::printf(" %s=%zu", reason.c_str(), count);
        std::printf("\nbreaker trips  %zu (alerts %zu, hedges %zu, halts %zu)\n", r.breaker_trips, r.alerts, r.hedges, r.halts);
        if (r.kill_switch)
            std::printf("kill switch    fired: orders sent after it %zu, working at end %zu, flat after %lld ns\n",
                        r.orders_sent_after_kill, r.working_orders_at_end, static_cast<long long>(r.kill_to_flat_ns));
        std::printf("events/s       %.0f (%.3f s)\n", r.events_per_second, r.seconds);
        // Say on stderr what the report alone would hide: refused messages, and a strategy that never quoted.
        if (r.book_rejects > 0)
            std::fprintf(stderr, "backtest_lobster: warning: the book refused %zu of %zu messages (book_rejects): the data "
                                 "disagrees with the book, so fills near those prices are unreliable\n",
                         r.book_rejects, r.events);
        if (r.quotes == 0)
            std::fprintf(stderr, "backtest_lobster: warning: the strategy made no quotes (gamma=%g/$, k=%g/$): check the values "
                                 "and their units\n", used_gamma, used_k);
#ifdef PINNACLE_HAVE_JOURNAL
        if (!cli.journal_dir.empty()) {
            const journal_open_result& o = rec.writer()->opened();
            std::printf("journal        %s: %llu records re-checked, %llu appended, %llu state hashes matched%s\n", cli.journal_dir.c_str(),
                        static_cast<unsigned long long>(rec.records_checked()), static_cast<unsigned long long>(rec.records_appended()),
                        static_cast<unsigned long long>(rec.hashes_checked()), o.truncated ? " (a torn tail was cut off)" : "");
            if (rec.restored_from() != 0)
                std::printf("journal        resumed from the snapshot after record %llu (only the tail was re-executed)\n",
                            static_cast<unsigned long long>(rec.restored_from()));
        }
        if (!r.state_hash.empty()) std::printf("state hash     %s\n", r.state_hash.c_str());
#endif
#ifdef PINNACLE_HAVE_JSONL
        if (jlog)
            std::printf("jsonl          %s: %llu lines, jsonl_dropped %llu (queue full %llu times)\n", cli.jsonl_path.c_str(),
                        static_cast<unsigned long long>(jst.lines), static_cast<unsigned long long>(jst.dropped),
                        static_cast<unsigned long long>(jst.waits + jst.dropped));
#endif
        if (!json_path.empty()) {
            pinnacle_examples::json j = pinnacle_examples::backtest_report_json(r);
#ifdef PINNACLE_HAVE_JSONL
            if (jlog) j["jsonl_dropped"] = jst.dropped;  // records the event log lost on a full queue (drop policy)
#endif
            if (!write_file(json_path, pinnacle_examples::json_text(j))) return 2;
        }
        if (!equity_path.empty()) {
            std::string csv = "minute_end_ns,total_pnl,position\n";
            const double per_tick_lot = cfg.inst.to_currency(notional{1});
            for (const auto& p : r.equity) {
                char line[96];
                std::snprintf(line, sizeof line, "%lld,%.4f,%lld\n", static_cast<long long>(p.ts.ns()), p.total_pnl * per_tick_lot,
                              static_cast<long long>(p.position.lots()));
                csv += line;
            }
            if (!write_file(equity_path, csv)) return 2;
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "backtest_lobster: %s\n", e.what());
        return 2;
    }
}
