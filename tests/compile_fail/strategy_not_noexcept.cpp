// A strategy whose on_market may throw violates the Strategy concept: run_lobster_backtest must
// refuse it at compile time (it would otherwise terminate the process on the first throw), with
// the engine's message:
// EXPECT-ERROR: Strat must satisfy Strategy for this Book
#include "pinnacle/apps/lobster_backtest.hpp"

namespace {

struct quotes_nothing {
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    pinnacle::quote_pair on_market(const pinnacle::market_update<pinnacle::l3_book>&) { return {}; }  // not noexcept
#else
    pinnacle::quote_pair on_market(const pinnacle::market_update<pinnacle::l3_book>&) noexcept { return {}; }
#endif
    void on_execution(const pinnacle::execution_report&) noexcept {}
};

} // namespace

pinnacle::backtest_report run(const pinnacle::lobster_day& day) {
    return pinnacle::run_lobster_backtest(day, pinnacle::lobster_backtest_config{}, quotes_nothing{}, pinnacle::fifo_queue{});
}
