// Fuzzes the snapshot reader (journal/snapshot.hpp): the file check (parse_snapshot: magic,
// length, CRC32C) and the persist hooks loading a body, as journal_recorder::restore does.
//  1. The input as a snapshot file: when it passes the CRC32C check (the seed, a real snapshot
//     written by backtest_lobster --journal, does), its body is loaded into the LOBSTER
//     backtest's whole state (engine with book, strategy, risk chain, simulated venue, ledger;
//     kill switch, breaker, alerts), hashed, saved, loaded and saved again: a fixed point.
//  2. The input after the 48-byte header, without the CRC check, loaded in turn into each object
//     whose hook reads field by field (book, ledger, risk chain, kill switch, breaker), so
//     mutations reach the hooks' checks. Not here: hooks that copy whole structs holding bools
//     (the engine's working quotes and strategy, the venue's orders, the alert throttle): a
//     CRC-valid body of another layout could load a bool byte other than 0 or 1 there; the CRC
//     and the state hash compared after loading are what stands between them and a bad file.
// Whatever the bytes: no crash, no sanitizer report; a refusal is a std::runtime_error that
// names the byte offset ("snapshot body does not fit at byte N: ...") or a `why` naming the file.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/journal/snapshot.hpp"
#include "pinnacle/journal/state_hash.hpp"

using namespace pinnacle;

namespace {
using venue_t = simulated_venue<l3_book, prob_queue, constant_latency, fee_schedule>;
using engine_t = market_maker<l3_book, avellaneda_stoikov, alerting_check<lobster_risk_chain>, venue_t>;

// The state a snapshot covers, built once (loading overwrites every persisted field); a small
// book so each run is cheap.
struct state {
    lobster_backtest_config cfg;
    kill_switch ks;
    circuit_breaker breaker{cfg.breaker};
    alert_manager alerts;
    engine_t mm;
    std::size_t slid_in = 0, stale = 0, alerts_delivered = 0, trips = 0;  // the harness's counters after the objects
    bool killed = false;
    timestamp now{};
    state()
        : mm(l3_book(l3_book_config{1024, 256}), avellaneda_stoikov(cfg.strategy),
             alerting_check<lobster_risk_chain>(
                 lobster_risk_chain(kill_switch_check(&ks), order_sanity_check{}, quote_grid_check{price{100}},
                                    max_order_qty_check{qty{1000}}, max_position_check{qty{1000}, qty{1000}},
                                    max_notional_check{notional{1'000'000'000}, notional{5'000'000'000}}, price_band_check{500},
                                    max_open_orders_check{32}, spread_gate_check{price{1'000'000}}, daily_loss_check(notional{1'000'000'000}),
                                    drawdown_check(notional{1'000'000'000}), losing_streak_check(1'000'000), self_trade_check{},
                                    circuit_breaker_check(&breaker), order_rate_check(1000, 200)),
                 &alerts),
             venue_t(cfg.latency, cfg.fees, prob_queue{}), cfg.engine) {}
    template <class Ar>
    void persist(Ar& ar) {  // the order run_lobster_backtest's persist_all uses
        mm.persist(ar);
        ks.persist(ar);
        breaker.persist(ar);
        alerts.persist(ar);
        ar.value(slid_in);
        ar.value(stale);
        ar.value(killed);
        ar.value(alerts_delivered);
        ar.value(trips);
        ar.value(now);
    }
};

// Loads `p`/`n` into `obj` through its hook; a refusal must be the reader's named error.
template <class T>
bool load_into(T& obj, const unsigned char* p, std::size_t n) {
    snapshot_reader r(p, n);
    try {
        obj.persist(r);
    } catch (const std::runtime_error& e) {
        if (std::string(e.what()).rfind("snapshot body does not fit at byte ", 0) != 0) __builtin_trap();
        return false;
    }
    return true;
}

// Saving what loaded, loading it and saving again gives the same bytes.
template <class T>
void check_fixed_point(T& obj) {
    snapshot_writer w1;
    obj.persist(w1);
    snapshot_reader r2(w1.bytes().data(), w1.bytes().size());
    obj.persist(r2);
    if (!r2.done()) __builtin_trap();
    snapshot_writer w2;
    obj.persist(w2);
    if (w1.bytes() != w2.bytes()) __builtin_trap();
}

template <class T>
void load_part(T& obj, const unsigned char* p, std::size_t n) {
    if (load_into(obj, p, n)) check_fixed_point(obj);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static state st;
    std::string why;
    if (auto snap = parse_snapshot(data, size, "fuzz input", why)) {
        if (load_into(st, snap->body.data(), snap->body.size())) {
            state_buffer scratch;
            (void)state_hash(st.mm, st.now, external_risk_state{&st.ks, &st.breaker}, scratch);
            check_fixed_point(st);
        }
    } else if (why.rfind("fuzz input: ", 0) != 0) {
        __builtin_trap();  // every refusal names the file
    }
    if (size <= snapshot_header_bytes) return 0;
    const unsigned char* body = data + snapshot_header_bytes;
    const std::size_t n = size - snapshot_header_bytes;
    static l3_book book(l3_book_config{1024, 256});
    static ledger acc;
    load_part(book, body, n);
    load_part(acc, body, n);
    load_part(st.mm.risk(), body, n);
    load_part(st.ks, body, n);
    load_part(st.breaker, body, n);
    return 0;
}
