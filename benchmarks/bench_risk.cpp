/// @file bench_risk.cpp
/// The risk layer on its hot path and off it: a ten-check pre-trade chain that approves, the
/// circuit breaker's check, and Monte Carlo VaR with 10,000 paths. Results: docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/risk/var_engine.hpp"

namespace {

using namespace pinnacle;

/// A state a quoting AMZN market maker sees ($224.00 / $224.02 in ticks of $0.0001).
risk_state quoting_state() {
    risk_state st;
    st.now = timestamp{36'000'000'000'000};
    st.position = qty{200};
    st.open_buy = qty{100};
    st.open_sell = qty{100};
    st.open_orders = 2;
    st.market.has_bid = st.market.has_ask = true;
    st.market.best_bid = price{2'240'000};
    st.market.best_ask = price{2'240'200};
    st.market.bid_size = qty{300};
    st.market.ask_size = qty{400};
    st.working_bid = price{2'239'900};
    st.has_working_bid = true;
    st.working_ask = price{2'240'300};
    st.has_working_ask = true;
    st.total_pnl = notional{1'000'000};
    st.realized_pnl = notional{800'000};
    return st;
}

using ten_checks = risk_chain<kill_switch_check, order_sanity_check, max_order_qty_check, max_position_check, max_notional_check,
                              price_band_check, max_open_orders_check, spread_gate_check, daily_loss_check, drawdown_check>;

/// Ten checks that all pass: the per-order cost of the pre-trade gate. Target: median <= 15 ns.
void bm_ten_check_chain(benchmark::State& state) {
    kill_switch ks;
    ten_checks chain(kill_switch_check(&ks), order_sanity_check{}, max_order_qty_check{qty{1000}},
                     max_position_check{qty{1000}, qty{1000}}, max_notional_check{notional{1'000'000'000'000}, notional{5'000'000'000'000}},
                     price_band_check{500}, max_open_orders_check{32}, spread_gate_check{price{10'000}},
                     daily_loss_check(notional{100'000'000}), drawdown_check(notional{100'000'000}));
    risk_state st = quoting_state();
    order_intent o;
    o.side = side::buy;
    o.px = price{2'239'900};
    o.size = qty{100};
    std::int64_t denied = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(o);
        const risk_verdict v = chain.check(o, st);
        denied += v.approved() ? 0 : 1;
        benchmark::DoNotOptimize(denied);
        st.now = st.now + duration{1'000};
        o.side = o.side == side::buy ? side::sell : side::buy;  // both branches of the side logic
        o.px = o.side == side::buy ? price{2'239'900} : price{2'240'300};
    }
    state.counters["denied"] = static_cast<double>(denied);
    if (denied != 0) state.SkipWithError("the chain denied an order it should approve");
}

/// The circuit breaker's check while CLOSED (the state it is in nearly always). Target: <= 2 ns.
void bm_breaker_check(benchmark::State& state) {
    circuit_breaker_config cfg;
    cfg.price_move_bps = 50.0;
    circuit_breaker breaker(cfg);
    timestamp now{36'000'000'000'000};
    std::int64_t refused = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(now);
        refused += breaker.allows_order(now) ? 0 : 1;
        benchmark::DoNotOptimize(refused);
        now = now + duration{1'000};
    }
    if (refused != 0) state.SkipWithError("a closed breaker refused an order");
}

/// Monte Carlo VaR at 99% from 1,000 returns, 10,000 seeded paths. Target: <= 5 ms.
void bm_var_monte_carlo(benchmark::State& state) {
    std::vector<double> returns(1000);
    std::uint64_t x = 42;
    for (double& r : returns) {  // a deterministic, roughly symmetric return history
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        r = (static_cast<double>(x >> 11) * 0x1.0p-53 - 0.5) * 0.02;
    }
    var_engine engine;
    std::uint64_t seed = 1;
    double last = 0;
    for (auto _ : state) {
        const var_outcome r = engine.monte_carlo(returns, 1e6, 0.99, seed++, timestamp{0}, static_cast<std::size_t>(state.range(0)));
        if (!r) {
            state.SkipWithError("monte_carlo failed");
            break;
        }
        // DoNotOptimize on a mutable double can corrupt it under GCC (google/benchmark#903, GCC bug
        // 92597): hand it the const result instead, then read the value.
        benchmark::DoNotOptimize(r);
        last = r->var;
    }
    state.counters["var_usd"] = last;
    if (!(last > 0)) state.SkipWithError("VaR of a long position must be a positive loss");
}

} // namespace

BENCHMARK(bm_ten_check_chain);
BENCHMARK(bm_breaker_check);
BENCHMARK(bm_var_monte_carlo)->Arg(10'000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
