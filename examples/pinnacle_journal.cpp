// pinnacle_journal: inspects and re-runs the event journal of a backtest (docs/persistence.md).
//
//   pinnacle_journal verify DIR                 check every record's CRC and sequence number
//   pinnacle_journal replay DIR                 re-run the journaled backtest, checking every record
//   pinnacle_journal dump DIR [--from SEQ] [--limit N] [--jsonl]   print the records (text, or one
//                                               JSON object a line), from SEQ, at most N of them
//
// verify and replay end with the line
//   records=N segments=S torn_tail=0|1 crc_errors=E state_hash=HEX
// (state_hash: the last state hash in the journal; replay prints the one it recomputed there).
// Exit 0 when the journal is clean (verify) or the replay matched every record, 1 when it is
// damaged or diverged (the reason on stderr), 2 on bad flags or an unreadable journal.

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backtest_lobster_cli.hpp"
#include "pinnacle/journal/codec.hpp"
#include "pinnacle/journal/journal.hpp"
#include "pinnacle/journal/recorder.hpp"
#ifdef PINNACLE_HAVE_NLOHMANN_JSON
#include <nlohmann/json.hpp>
#endif

namespace {

using namespace pinnacle;

constexpr const char* usage =
    "usage: pinnacle_journal verify DIR\n"
    "       pinnacle_journal replay DIR\n"
    "       pinnacle_journal dump DIR [--from SEQ] [--limit N] [--jsonl]\n";

void print_line(std::uint64_t records, const journal_stats& st, std::uint64_t hash) {
    std::printf("records=%" PRIu64 " segments=%" PRIu64 " torn_tail=%d crc_errors=%" PRIu64 " state_hash=%s\n", records, st.segments,
                st.torn_tail ? 1 : 0, st.crc_errors, to_hex(hash).c_str());
}

int verify(const std::string& dir) {
    journal_reader rd(dir);
    journal_record r;
    std::map<std::string_view, std::uint64_t> by_type;
    std::uint64_t hash = 0;
    while (rd.next(r)) {
        ++by_type[to_string(r.type)];
        std::uint64_t events = 0;
        if (r.type == record_type::state_hash || r.type == record_type::end) (void)decode_state_hash(r.payload, r.length, hash, events);
    }
    for (const auto& [type, n] : by_type) std::printf("%-16.*s %" PRIu64 "\n", static_cast<int>(type.size()), type.data(), n);
    const journal_stats& st = rd.stats();
    if (st.torn_tail)
        std::fprintf(stderr, "pinnacle_journal: %s: %s after record %" PRIu64 " (cut off when the journal is next opened for writing)\n",
                     dir.c_str(), st.crc_errors > 0 ? "a record with a bad CRC32C" : "a torn tail", st.last_seq);
    const auto [seg, off] = rd.valid_end();
    std::printf("valid_end        segment=%" PRIu64 " offset=%zu\n", seg, off);
    print_line(st.records, st, hash);
    return st.torn_tail || st.crc_errors > 0 ? 1 : 0;
}

int replay(const std::string& dir) {
    std::string session;
    {
        journal_reader rd(dir);
        journal_record r;
        if (!rd.next(r) || r.type != record_type::session_start) {
            std::fprintf(stderr, "pinnacle_journal: %s: the first record is not a session_start: nothing to replay\n", dir.c_str());
            return 2;
        }
        session.assign(reinterpret_cast<const char*>(r.payload), r.length);
    }
    const std::vector<std::string> args = pinnacle_examples::decode_run_args(session);
    std::vector<const char*> argv{"backtest_lobster"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    pinnacle_examples::backtest_cli cli;
    try {
        cli = pinnacle_examples::parse_backtest_cli(static_cast<int>(argv.size()), argv.data());
    } catch (const pinnacle_examples::bad_flag& e) {
        std::fprintf(stderr, "pinnacle_journal: %s: the recorded arguments are not valid: %s\n", dir.c_str(), e.what.c_str());
        return 2;
    }
    const lobster_day day = load_lobster_day(cli.messages, cli.orderbook, cli.cfg.inst);
    recorder_options ro;
    ro.dir = dir;
    ro.snapshot_every = static_cast<std::uint64_t>(cli.snapshot_every);
    ro.snapshot_every_ns = cli.snapshot_every_ms * 1'000'000;
    ro.session = session;
    journal_recorder rec(recorder_mode::verify, ro);
    double g = 0;
    double k = 0;
    (void)pinnacle_examples::run_backtest_cli(cli, day, pinnacle_examples::progress_bar{}, g, k, &rec);
    std::printf("replayed       %s on %s: %" PRIu64 " records re-executed and matched, %" PRIu64 " state hashes matched\n", dir.c_str(),
                cli.messages.c_str(), rec.failed() ? rec.records_checked() - 1 : rec.records_checked(), rec.hashes_checked());
    if (rec.failed()) std::fprintf(stderr, "pinnacle_journal: %s: %s\n", dir.c_str(), rec.error());
    print_line(rec.records_checked(), *rec.journal_found(), rec.last_hash());
    return rec.failed() ? 1 : 0;
}

// One record's fields as (name, value) text pairs; numbers stay numbers in JSON.
struct field {
    const char* name;
    long long i;
    const char* s;  // non-null: a string field
};

std::vector<field> fields_of(const journal_record& r) {
    std::vector<field> f;
    auto num = [&](const char* n, long long v) { f.push_back({n, v, nullptr}); };
    auto str = [&](const char* n, const char* v) { f.push_back({n, 0, v}); };
    switch (r.type) {
        case record_type::market_event: {
            market_event e;
            if (!decode_market_event(r.payload, r.length, r.ts, e)) break;
            str("event", std::string_view(to_string(e.type)).data());
            str("side", e.side == side::buy ? "buy" : "sell");
            num("id", static_cast<long long>(e.id.value()));
            num("px", e.px.ticks());
            num("size", e.size.lots());
            num("flags", e.flags);
            num("aux", e.aux);
            break;
        }
        case record_type::report: {
            execution_report x;
            if (!decode_report(r.payload, r.length, r.ts, x)) break;
            str("exec", std::string_view(to_string(x.type)).data());
            str("side", x.side == side::buy ? "buy" : "sell");
            num("cl_ord_id", static_cast<long long>(x.cl_ord_id.value()));
            num("px", x.px.ticks());
            num("last_px", x.last_px.ticks());
            num("last_qty", x.last_qty.lots());
            num("leaves_qty", x.leaves_qty.lots());
            num("fee", x.fee.tick_lots());
            num("maker", x.maker ? 1 : 0);
            num("exec_id", static_cast<long long>(x.exec_id));
            break;
        }
        case record_type::decision: {
            decision_state d;
            if (!decode_decision(r.payload, r.length, d)) break;
            num("orders_sent", static_cast<long long>(d.orders_sent));
            num("cancels_sent", static_cast<long long>(d.cancels_sent));
            num("risk_rejects", static_cast<long long>(d.risk_rejects));
            num("cancel_alls", static_cast<long long>(d.cancel_alls));
            num("hedges", static_cast<long long>(d.hedges));
            num("venue_refusals", static_cast<long long>(d.venue_refusals));
            num("bid_id", static_cast<long long>(d.bid_id));
            num("bid_px", d.bid_px);
            num("bid_size", d.bid_size);
            num("ask_id", static_cast<long long>(d.ask_id));
            num("ask_px", d.ask_px);
            num("ask_size", d.ask_size);
            num("flags", d.flags);
            break;
        }
        case record_type::operator_action: {
            std::uint32_t code = 0;
            if (r.length >= 4) std::memcpy(&code, r.payload, 4);
            str("action", code == static_cast<std::uint32_t>(operator_action::kill_switch) ? "kill_switch" : "unknown");
            break;
        }
        case record_type::state_hash:
        case record_type::end: {
            std::uint64_t h = 0;
            std::uint64_t ev = 0;
            if (!decode_state_hash(r.payload, r.length, h, ev)) break;
            static thread_local std::string hex;
            hex = to_hex(h);
            str("state_hash", hex.c_str());
            num("events", static_cast<long long>(ev));
            break;
        }
        case record_type::session_start:
        case record_type::timer: break;
    }
    return f;
}

int dump(const std::string& dir, std::uint64_t from, std::uint64_t limit, bool jsonl) {
#ifndef PINNACLE_HAVE_NLOHMANN_JSON
    if (jsonl) {
        std::fprintf(stderr, "pinnacle_journal: --jsonl needs nlohmann_json (nlohmann-json3-dev) at build time\n");
        return 2;
    }
#endif
    journal_reader rd(dir);
    journal_record r;
    while (rd.next(r)) {
        if (r.seq < from) continue;
        if (limit-- == 0) break;
        const std::vector<field> f = fields_of(r);
        std::string session;
        if (r.type == record_type::session_start) {
            for (const std::string& a : pinnacle_examples::decode_run_args({reinterpret_cast<const char*>(r.payload), r.length}))
                session += (session.empty() ? "" : " ") + a;
        }
        if (jsonl) {
#ifdef PINNACLE_HAVE_NLOHMANN_JSON
            nlohmann::ordered_json j;
            j["seq"] = r.seq;
            j["ts"] = r.ts.ns();
            j["type"] = std::string(to_string(r.type));
            if (r.type == record_type::session_start) j["args"] = session;
            for (const field& x : f) {
                if (x.s != nullptr) j[x.name] = x.s;
                else j[x.name] = x.i;
            }
            std::puts(j.dump().c_str());
#endif
        } else {
            std::printf("%" PRIu64 " %" PRId64 " %s", r.seq, r.ts.ns(), std::string(to_string(r.type)).c_str());
            if (r.type == record_type::session_start) std::printf(" args=[%s]", session.c_str());
            for (const field& x : f) {
                if (x.s != nullptr) std::printf(" %s=%s", x.name, x.s);
                else std::printf(" %s=%lld", x.name, x.i);
            }
            std::putchar('\n');
        }
    }
    const journal_stats& st = rd.stats();
    if (st.torn_tail) std::fprintf(stderr, "pinnacle_journal: %s: stopped at a %s after record %" PRIu64 "\n", dir.c_str(),
                                   st.crc_errors > 0 ? "record with a bad CRC32C" : "torn tail", st.last_seq);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
        std::fputs(usage, stdout);
        return 0;
    }
    if (argc < 3) {
        std::fputs(usage, stderr);
        return 2;
    }
    const std::string_view cmd = argv[1];
    const std::string dir = argv[2];
    try {
        if (cmd == "verify" && argc == 3) return verify(dir);
        if (cmd == "replay" && argc == 3) return replay(dir);
        if (cmd == "dump") {
            std::uint64_t from = 0;
            std::uint64_t limit = UINT64_MAX;
            bool jsonl = false;
            for (int i = 3; i < argc; ++i) {
                const std::string_view a = argv[i];
                if (a == "--jsonl") jsonl = true;
                else if (a == "--from" && i + 1 < argc)
                    from = pinnacle_examples::parse_unsigned("--from", argv[++i], 0, UINT64_MAX);
                else if (a == "--limit" && i + 1 < argc)
                    limit = pinnacle_examples::parse_unsigned("--limit", argv[++i], 0, UINT64_MAX);
                else throw pinnacle_examples::bad_flag{"unknown or incomplete flag '" + std::string(a) + "'"};
            }
            return dump(dir, from, limit, jsonl);
        }
        std::fprintf(stderr, "pinnacle_journal: unknown command or extra arguments\n%s", usage);
        return 2;
    } catch (const pinnacle_examples::bad_flag& e) {
        std::fprintf(stderr, "pinnacle_journal: %s\n%s", e.what.c_str(), usage);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pinnacle_journal: %s\n", e.what());
        return 2;
    }
}
