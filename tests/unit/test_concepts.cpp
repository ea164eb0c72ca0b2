// Concepts checked both ways at compile time, and generic components instantiated with the
// archetypes of tests/archetypes/ (proof that they need nothing beyond their concepts).
#include <doctest/doctest.h>

#include "../archetypes/archetypes.hpp"
#include "pinnacle/pinnacle.hpp"

using namespace pinnacle;
using namespace pinnacle_test;

namespace {
struct not_a_book {
    std::size_t depth(side) const { return 0; }  // not noexcept, no level(), no apply()
};
struct throwing_strategy {
    quote_pair on_market(const market_update<archetype_book>&) { return {}; }  // not noexcept
    void on_execution(const execution_report&) noexcept {}
};
struct wrong_return_risk {
    bool check(const order_intent&, const risk_state&) noexcept { return true; }  // bool, not risk_verdict
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};
struct router_without_timer {
    std::size_t plan(const parent_order&, std::span<const venue_quote>, timestamp, std::span<child_order>) noexcept { return 0; }
    parent_state on_child_report(const execution_report&) noexcept { return parent_state::working; }
    [[nodiscard]] parent_state state() const noexcept { return parent_state::working; }
};
struct venue_without_poll {
    status submit(const order_intent&) noexcept { return status::ok; }
    status cancel(order_id, timestamp) noexcept { return status::ok; }
    status modify(order_id, price, qty, timestamp) noexcept { return status::ok; }
};
} // namespace

// Positive: the library's models and the archetypes.
static_assert(OrderBook<l3_book> && OrderBook<depth_book> && OrderBook<reference_book> && OrderBook<archetype_book>);
static_assert(DepthView<archetype_book>);
static_assert(Strategy<avellaneda_stoikov, l3_book> && Strategy<archetype_strategy, archetype_book>);
static_assert(RiskCheck<no_risk_check> && RiskCheck<max_position_check> && RiskCheck<lobster_risk_chain> && RiskCheck<archetype_risk>);
static_assert(Venue<simulated_venue<l3_book>> && Venue<archetype_venue>);
static_assert(SimulatedVenue<simulated_venue<l3_book>, l3_book> && !SimulatedVenue<archetype_venue, l3_book>);
static_assert(Pool<object_pool<int>> && Pool<archetype_pool>);
static_assert(EventSource<lobster_message_reader> && EventSource<memory_source>);
static_assert(Router<best_price_router<4, 8>> && Router<liquidity_sweep_router<4, 8>> && Router<twap_router<4, 8, 16>> &&
              Router<vwap_router<4, 8, 16>> && Router<almgren_chriss_router<4, 8, 16>> && Router<archetype_router>);
// Negative: near misses are rejected through the named concepts.
static_assert(!OrderBook<not_a_book> && !DepthView<not_a_book>);
static_assert(!Strategy<throwing_strategy, archetype_book>);
static_assert(!RiskCheck<wrong_return_risk>);
static_assert(!Venue<venue_without_poll>);
static_assert(!Router<router_without_timer> && !Router<int>);
static_assert(!Pool<int> && !EventSource<int> && !OrderBook<int>);

TEST_CASE("market_maker runs with archetypes only: it asks for nothing beyond the concepts") {
    market_maker<archetype_book, archetype_strategy, archetype_risk, archetype_venue> mm{
        archetype_book{}, archetype_strategy{}, archetype_risk{}, archetype_venue{}};
    market_event e;
    e.type = event_type::add;
    e.side = side::buy;
    e.px = price{100};
    e.size = qty{5};
    mm.on_event(e);
    CHECK(mm.venue().submitted == 0);  // one-sided market: the archetype strategy does not quote
    e.side = side::sell;
    e.px = price{102};
    e.ts = timestamp{1};
    mm.on_event(e);
    CHECK(mm.venue().submitted == 2);  // bid and ask sent
    e.ts = timestamp{2};
    mm.on_event(e);                    // same quotes wanted: nothing new is sent
    CHECK(mm.venue().submitted == 2);
    CHECK(mm.strategy().reports >= 1);
    CHECK(mm.counters().events == 3);
    CHECK(best_bid(mm.book())->px == price{100});
}

TEST_CASE("routing_session runs with archetypes only: router, venue and book") {
    archetype_book b1, b2;
    market_event e;
    e.type = event_type::add;
    e.side = side::sell;
    e.px = price{101};
    e.size = qty{10};
    REQUIRE(b1.apply(e) == status::ok);
    archetype_venue v1, v2;
    archetype_router r;
    routing_session<archetype_router, archetype_venue, archetype_book, 2> s(r);
    REQUIRE(s.add_venue(v1, b1, venue_costs{}) == status::ok);
    REQUIRE(s.add_venue(v2, b2, venue_costs{}) == status::ok);
    CHECK(s.add_venue(v2, b2, venue_costs{}) == status::book_full);
    parent_order p;
    p.id = order_id{7};
    p.total = qty{5};
    p.limit = price{101};
    p.deadline = timestamp{100};
    s.start(p);
    CHECK(s.step(timestamp{1}) == 1);
    CHECK(v1.submitted == 1);
    CHECK(s.poll(timestamp{2}) == 1);  // the archetype venue's ack
    CHECK(s.step(timestamp{100}) == 0);
    CHECK(s.state() == parent_state::expired);
    CHECK(s.counters().cancels_sent == 1);  // archetype venues accept any cancel: the first one takes it
}
