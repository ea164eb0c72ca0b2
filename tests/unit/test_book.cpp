#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "test_events.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/reference_book.hpp"

using namespace pinnacle;
using pinnacle_test::ev;

namespace {

template <DepthView B>
std::vector<level_info> levels(const B& b, side s) {
    std::vector<level_info> out;
    for (std::size_t i = 0; i < b.depth(s); ++i) out.push_back(b.level(s, i));
    return out;
}

struct not_a_book {
    int depth = 0;
};

} // namespace

static_assert(OrderBook<l3_book>);
static_assert(OrderBook<reference_book>);
static_assert(OrderBook<depth_book>);
static_assert(!OrderBook<not_a_book>);
static_assert(!DepthView<int>);

TEST_CASE("l3_book keeps per-level FIFO queues and the best levels on top") {
    l3_book b;
    REQUIRE(b.add(order_id{1}, side::buy, price{100}, qty{10}) == status::ok);
    REQUIRE(b.add(order_id{2}, side::buy, price{101}, qty{5}) == status::ok);
    REQUIRE(b.add(order_id{3}, side::buy, price{100}, qty{7}) == status::ok);
    REQUIRE(b.add(order_id{4}, side::sell, price{103}, qty{4}) == status::ok);
    REQUIRE(b.add(order_id{5}, side::sell, price{102}, qty{6}) == status::ok);
    REQUIRE(b.depth(side::buy) == 2);
    CHECK(b.level(side::buy, 0) == level_info{price{101}, qty{5}, 1});
    CHECK(b.level(side::buy, 1) == level_info{price{100}, qty{17}, 2});
    CHECK(b.level(side::sell, 0) == level_info{price{102}, qty{6}, 1});
    CHECK(best_ask(b)->px == price{102});
    std::vector<std::uint64_t> queue;
    b.for_each_order(side::buy, 1, [&](const resting_order& o) { queue.push_back(o.id.value()); });
    CHECK(queue == std::vector<std::uint64_t>{1, 3});
    CHECK(b.find(order_id{1})->seq < b.find(order_id{3})->seq);

    REQUIRE(b.execute(order_id{1}, qty{4}) == status::ok);  // partial execution keeps priority
    queue.clear();
    b.for_each_order(side::buy, 1, [&](const resting_order& o) { queue.push_back(o.id.value()); });
    CHECK(queue == std::vector<std::uint64_t>{1, 3});
    CHECK(b.level(side::buy, 1).size == qty{13});

    REQUIRE(b.cancel(order_id{2}, qty{5}) == status::ok);  // full-size cancel removes the order
    CHECK(b.find(order_id{2}) == nullptr);
    CHECK(b.level(side::buy, 0).px == price{100});
    REQUIRE(b.remove(order_id{1}) == status::ok);
    REQUIRE(b.remove(order_id{3}) == status::ok);
    CHECK(b.depth(side::buy) == 0);
    CHECK_FALSE(best_bid(b).has_value());
    CHECK(b.order_count() == 2);
}

TEST_CASE("l3_book refuses bad operations and leaves the book unchanged") {
    l3_book b;
    REQUIRE(b.add(order_id{1}, side::buy, price{100}, qty{10}) == status::ok);
    const auto before = levels(b, side::buy);
    CHECK(b.add(order_id{1}, side::sell, price{105}, qty{1}) == status::duplicate_order);
    CHECK(b.add(order_id{2}, side::buy, price{100}, qty{0}) == status::invalid_qty);
    CHECK(b.add(order_id{2}, side::buy, price{100}, qty{-3}) == status::invalid_qty);
    CHECK(b.cancel(order_id{9}, qty{1}) == status::unknown_order);
    CHECK(b.cancel(order_id{1}, qty{11}) == status::invalid_qty);
    CHECK(b.execute(order_id{1}, qty{0}) == status::invalid_qty);
    CHECK(b.remove(order_id{9}) == status::unknown_order);
    CHECK(b.apply(ev(event_type::execute, 1, side::sell, 100, 1)) == status::invalid_side);
    CHECK(b.apply(ev(event_type::execute, 1, side::buy, 99, 1)) == status::invalid_price);
    CHECK(b.apply(ev(event_type::depth_update, 0, side::buy, 99, 1)) == status::not_supported);
    CHECK(levels(b, side::buy) == before);
    CHECK(b.depth(side::sell) == 0);
    CHECK(b.apply(ev(event_type::execute_hidden, 0, side::buy, 100, 3)) == status::ok);
    CHECK(levels(b, side::buy) == before);
}

TEST_CASE("l3_book carries unknown orders as anonymous liquidity at the front of the level") {
    l3_book b;
    REQUIRE(b.add_anonymous(side::sell, price{200}, qty{50}) == status::ok);
    REQUIRE(b.add(order_id{7}, side::sell, price{200}, qty{10}) == status::ok);
    CHECK(b.level(side::sell, 0) == level_info{price{200}, qty{60}, 2});
    CHECK(b.anonymous_at(side::sell, price{200}) == qty{50});
    // A delete naming an id we never saw reduces the anonymous part.
    REQUIRE(b.apply(ev(event_type::remove, 99, side::sell, 200, 20)) == status::ok);
    CHECK(b.level(side::sell, 0).size == qty{40});
    // More than the anonymous part: refused, unchanged.
    CHECK(b.apply(ev(event_type::execute, 98, side::sell, 200, 31)) == status::invalid_qty);
    CHECK(b.level(side::sell, 0).size == qty{40});
    // No level at that price: unknown order.
    CHECK(b.apply(ev(event_type::execute, 98, side::sell, 201, 1)) == status::unknown_order);
    REQUIRE(b.apply(ev(event_type::execute, 98, side::sell, 200, 30)) == status::ok);
    CHECK(b.level(side::sell, 0) == level_info{price{200}, qty{10}, 1});
    REQUIRE(b.remove(order_id{7}) == status::ok);
    CHECK(b.depth(side::sell) == 0);
}

TEST_CASE("l3_book truncate drops deep levels and forgets their orders") {
    l3_book b;
    for (std::uint64_t i = 0; i < 5; ++i)
        REQUIRE(b.add(order_id{i + 1}, side::buy, price{100 - static_cast<std::int64_t>(i)}, qty{1}) == status::ok);
    b.truncate(side::buy, 3);
    CHECK(b.depth(side::buy) == 3);
    CHECK(b.level(side::buy, 2).px == price{98});
    CHECK(b.find(order_id{4}) == nullptr);
    CHECK(b.find(order_id{5}) == nullptr);
    CHECK(b.order_count() == 3);
    CHECK(b.remove(order_id{5}) == status::unknown_order);
}

TEST_CASE("l3_book reports pool exhaustion and a full ladder without corrupting itself") {
    l3_book b(l3_book_config{2, 2});
    REQUIRE(b.add(order_id{1}, side::buy, price{100}, qty{1}) == status::ok);
    REQUIRE(b.add(order_id{2}, side::buy, price{99}, qty{1}) == status::ok);
    CHECK(b.add(order_id{3}, side::buy, price{100}, qty{1}) == status::pool_exhausted);
    CHECK(b.add_anonymous(side::buy, price{98}, qty{1}) == status::book_full);
    CHECK(b.depth(side::buy) == 2);
    REQUIRE(b.remove(order_id{2}) == status::ok);
    CHECK(b.add(order_id{3}, side::buy, price{101}, qty{1}) == status::ok);
    CHECK(b.level(side::buy, 0).px == price{101});
    CHECK(b.find(order_id{3}) != nullptr);
}

TEST_CASE("l3_book agrees with reference_book on a long random message stream") {
    // Differential test: same events, same statuses, same levels after every event.
    std::mt19937_64 rng(20120621);
    l3_book fast(l3_book_config{1 << 15, 4096});
    reference_book slow;
    std::vector<std::uint64_t> live;
    std::uint64_t next_id = 1;
    for (int i = 0; i < 20000; ++i) {
        market_event e;
        const auto pick = rng() % 10;
        const side s = (rng() & 1) ? side::buy : side::sell;
        const std::int64_t px = s == side::buy ? 1000 - static_cast<std::int64_t>(rng() % 40)
                                               : 1001 + static_cast<std::int64_t>(rng() % 40);
        if (pick < 4 || live.empty()) {
            e = ev(event_type::add, next_id, s, px, 1 + static_cast<std::int64_t>(rng() % 500));
            live.push_back(next_id++);
        } else if (pick < 5) {
            e = ev(event_type::add, next_id - 1, s, px, 5);  // duplicate id
        } else if (pick < 6) {
            REQUIRE(fast.add_anonymous(s, price{px}, qty{100}) == slow.add_anonymous(s, price{px}, qty{100}));
            continue;
        } else {
            const std::size_t k = rng() % live.size();
            const resting_order* o = fast.find(order_id{live[k]});
            if (o == nullptr) {  // fully gone: exercise the unknown-id path
                e = ev(event_type::remove, live[k], s, px, 1 + static_cast<std::int64_t>(rng() % 150));
                live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
            } else {
                const auto t = pick < 8 ? event_type::cancel : (pick < 9 ? event_type::execute : event_type::remove);
                const std::int64_t amount = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(o->size.lots() + 2));
                e = ev(t, live[k], o->side, o->px.ticks(), amount);
            }
        }
        const status a = fast.apply(e);
        const status b = slow.apply(e);
        REQUIRE_MESSAGE(a == b, "event " << i << " type " << std::string(to_string(e.type)));
        for (side sd : {side::buy, side::sell}) REQUIRE(levels(fast, sd) == levels(slow, sd));
        if (i % 97 == 0) {  // and the queues, order by order, in time priority
            for (side sd : {side::buy, side::sell}) {
                for (std::size_t lv = 0; lv < fast.depth(sd); ++lv) {
                    std::vector<std::pair<std::uint64_t, std::int64_t>> qa, qb;
                    fast.for_each_order(sd, lv, [&](const resting_order& o) { qa.emplace_back(o.id.value(), o.size.lots()); });
                    for (const auto& o : slow.queue(sd, lv)) qb.emplace_back(o.id.value(), o.size.lots());
                    REQUIRE(qa == qb);
                }
            }
        }
    }
    CHECK(fast.depth(side::buy) > 0);
}

TEST_CASE("l3_book agrees with reference_book when prices collide in its price index and change granularity") {
    // A small level capacity gives a 256-slot price index: prices 256 ticks apart share a home
    // slot, so levels go unindexed and are found by searching the ladder; prices that are first
    // multiples of 1000, then of 10, then arbitrary make the index change granularity mid-stream.
    std::mt19937_64 rng(42);
    l3_book fast(l3_book_config{1 << 12, 128});
    reference_book slow;
    std::vector<std::uint64_t> live;
    std::uint64_t next_id = 1;
    std::size_t max_depth = 0;
    for (int i = 0; i < 12000; ++i) {
        const std::int64_t unit = i < 3000 ? 1000 : (i < 6000 ? 10 : 1);
        const side s = (rng() & 1) ? side::buy : side::sell;
        const std::int64_t base = (rng() % 3 == 0) ? 256 * unit : unit;  // every third price far apart
        const std::int64_t px = 1'000'000 + (s == side::buy ? -1 : 1) * base * static_cast<std::int64_t>(rng() % 40);
        market_event e;
        if (rng() % 2 == 0 || live.empty()) {
            e = ev(event_type::add, next_id, s, px, 1 + static_cast<std::int64_t>(rng() % 50));
            live.push_back(next_id++);
        } else if (rng() % 8 == 0) {
            REQUIRE(fast.add_anonymous(s, price{px}, qty{7}) == slow.add_anonymous(s, price{px}, qty{7}));
            e = ev(event_type::remove, 999'999'999, s, px, 3);  // an unknown id: reduces anonymous size
        } else {
            const std::size_t k = rng() % live.size();
            const resting_order* o = fast.find(order_id{live[k]});
            if (o == nullptr) {
                live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
                continue;
            }
            e = ev(rng() % 2 ? event_type::remove : event_type::execute, live[k], o->side, o->px.ticks(), 1 + static_cast<std::int64_t>(rng() % 40));
        }
        const status a = fast.apply(e);
        const status b = slow.apply(e);
        REQUIRE_MESSAGE(a == b, "event " << i << " type " << std::string(to_string(e.type)));
        for (side sd : {side::buy, side::sell}) REQUIRE(levels(fast, sd) == levels(slow, sd));
        if (i % 250 == 249) {  // keep within 128 levels a side (prices span 80 values per unit)
            for (side sd : {side::buy, side::sell}) {
                for (std::size_t lv = 0; lv < fast.depth(sd); ++lv) {
                    const level_info l = fast.level(sd, lv);
                    CHECK(fast.size_at(sd, l.px) == l.size);
                }
                max_depth = std::max(max_depth, fast.depth(sd));
                fast.truncate(sd, 8);
                slow.truncate(sd, 8);
                REQUIRE(levels(fast, sd) == levels(slow, sd));
            }
        }
    }
    CHECK(max_depth > 40);
}

TEST_CASE("l3_book makes no heap allocation per message after warm-up, and none at all after reserve()") {
    l3_book b(l3_book_config{1 << 12, 1 << 10});
    std::vector<market_event> stream;
    std::mt19937_64 rng(7);
    for (std::uint64_t id = 1; id <= 3000; ++id) {
        const side s = (id & 1) ? side::buy : side::sell;
        const std::int64_t px = s == side::buy ? 5000 - static_cast<std::int64_t>(rng() % 300) : 5001 + static_cast<std::int64_t>(rng() % 300);
        stream.push_back(ev(event_type::add, id, s, px, 100));
        stream.push_back(ev(event_type::execute, id, s, px, 30));
        if (id % 3 == 0) stream.push_back(ev(event_type::remove, id, s, px, 70));
    }
    for (const auto& e : stream) (void)b.apply(e);  // warm-up: the id index grows to its working size
    b.clear();
    pinnacle_test::alloc_scope scope;
    std::size_t ok = 0;
    for (int round = 0; round < 3; ++round) {
        for (const auto& e : stream) ok += b.apply(e) == status::ok ? 1u : 0u;
        b.clear();
    }
    CHECK(scope.count() == 0);
    CHECK(ok == stream.size() * 3);

    l3_book cold(l3_book_config{1 << 12, 1 << 10});
    cold.reserve(1 << 12);
    pinnacle_test::alloc_scope scope2;
    for (const auto& e : stream) REQUIRE(cold.apply(e) == status::ok);
    CHECK(scope2.count() == 0);
}

namespace {
// What depth_book::update(s, px, q) must do to one side kept as a price -> lots map of at most
// max_depth levels: the status it returns, with the map changed as the book must change.
status model_update(std::map<std::int64_t, std::int64_t>& m, side s, std::int64_t px, std::int64_t q, std::size_t max_depth) {
    if (q == 0) {
        m.erase(px);
        return status::ok;
    }
    if (m.count(px) != 0 || m.size() < max_depth) {
        m[px] = q;
        return status::ok;
    }
    const std::int64_t worst = s == side::buy ? m.begin()->first : m.rbegin()->first;
    if (s == side::buy ? px <= worst : px >= worst) return status::book_full;
    m.erase(worst);
    m[px] = q;
    return status::ok;
}
} // namespace

TEST_CASE("depth_book matches a std::map model of its best max_depth levels under random updates") {
    // Small depths and a narrow price range keep every side full most of the time, so the paths
    // that push out the worst level, shift either part and re-centre the buffer all run.
    std::mt19937_64 rng(20261127);
    for (int trial = 0; trial < 60; ++trial) {
        const std::size_t max_depth = 1 + static_cast<std::size_t>(rng() % 24);
        depth_book b(max_depth);
        std::map<std::int64_t, std::int64_t> model[2];  // price -> lots
        auto check_sides = [&] {
            for (const side s : {side::buy, side::sell}) {
                const auto& m = model[s == side::buy ? 0 : 1];
                REQUIRE(b.depth(s) == m.size());
                std::vector<level_info> want;
                if (s == side::buy) {
                    for (auto it = m.rbegin(); it != m.rend(); ++it) want.push_back({price{it->first}, qty{it->second}, 1});
                } else {
                    for (const auto& [px, q] : m) want.push_back({price{px}, qty{q}, 1});
                }
                REQUIRE(levels(b, s) == want);
            }
        };
        for (int i = 0; i < 3000; ++i) {
            if (i % 200 == 0) check_sides();
            const side s = (rng() & 1) != 0 ? side::buy : side::sell;
            const auto px = static_cast<std::int64_t>(1 + rng() % 80);
            const auto q = rng() % 3 == 0 ? std::int64_t{0} : static_cast<std::int64_t>(1 + rng() % 50);
            auto& m = model[s == side::buy ? 0 : 1];
            const status want = model_update(m, s, px, q, max_depth);
            REQUIRE(b.update(s, price{px}, qty{q}) == want);
            if (rng() % 1500 == 0) {
                b.clear();
                model[0].clear();
                model[1].clear();
            }
        }
        check_sides();
    }
}

TEST_CASE("depth_book keeps deep books like a std::map model: sides fill and empty, re-centre, push out the worst") {
    // Depths up to 1,000 and price ranges about three times the depth, in phases of mostly adds
    // then mostly removals: inserts and removals land all over the side (as Binance's do), the
    // buffer re-centres, a full side pushes out its worst; every level is checked, and replaying
    // the same updates on a fresh book allocates nothing.
    std::mt19937_64 rng(20261128);
    for (const std::size_t max_depth : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{200}, std::size_t{1000}}) {
        depth_book b(max_depth);
        std::map<std::int64_t, std::int64_t> model[2];
        const auto range = static_cast<std::int64_t>(3 * max_depth + 7);
        struct op {
            side s;
            std::int64_t px, q;
        };
        std::vector<op> ops;
        ops.reserve(40000);
        for (int i = 0; i < 40000; ++i) {
            const side s = (rng() & 1) != 0 ? side::buy : side::sell;
            auto& m = model[s == side::buy ? 0 : 1];
            // Phases: mostly adds (sides fill), then mostly removals (sides empty).
            const bool removing = (i / 5000) % 2 == 1;
            const auto px = static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(range));
            const auto q = rng() % 4 < (removing ? 3u : 1u) ? std::int64_t{0} : static_cast<std::int64_t>(1 + rng() % 50);
            const status want = model_update(m, s, px, q, max_depth);
            // push_best is update with a shortcut for a level better than all: same results.
            REQUIRE((i % 3 == 0 ? b.push_best(s, price{px}, qty{q}) : b.update(s, price{px}, qty{q})) == want);
            ops.push_back(op{s, px, q});
            if (i % 997 == 0 || i == 39999) {
                for (const side t : {side::buy, side::sell}) {
                    const auto& mm = model[t == side::buy ? 0 : 1];
                    REQUIRE(b.depth(t) == mm.size());
                    std::size_t k = 0;
                    auto check = [&](std::int64_t px2, std::int64_t q2) {
                        const level_info l = b.level(t, k++);
                        REQUIRE(l.px == price{px2});
                        REQUIRE(l.size == qty{q2});
                    };
                    if (t == side::buy) {
                        for (auto it = mm.rbegin(); it != mm.rend(); ++it) check(it->first, it->second);
                    } else {
                        for (const auto& [px2, q2] : mm) check(px2, q2);
                    }
                }
            }
        }
        // The same updates on a fresh book allocate nothing and end in the same book.
        depth_book again(max_depth);
        {
            pinnacle_test::alloc_scope no_heap;
            for (const op& o : ops) (void)again.update(o.s, price{o.px}, qty{o.q});
            CHECK(no_heap.count() == 0);
        }
        CHECK(levels(again, side::buy) == levels(b, side::buy));
        CHECK(levels(again, side::sell) == levels(b, side::sell));
    }
}

TEST_CASE("depth_book::push_best loads a snapshot worst level first like update, and falls back to it otherwise") {
    for (const std::size_t max_depth : {std::size_t{1}, std::size_t{7}, std::size_t{500}}) {
        depth_book pushed(max_depth), updated(max_depth);
        // 600 levels a side, worst first: bids ascending from 1,000, asks descending from 3,000.
        for (std::int64_t k = 0; k < 600; ++k) {
            const price bid{1000 + k}, ask{3000 - k};
            const qty q{1 + k % 9};
            REQUIRE(pushed.push_best(side::buy, bid, q) == updated.update(side::buy, bid, q));
            REQUIRE(pushed.push_best(side::sell, ask, q) == updated.update(side::sell, ask, q));
        }
        CHECK(levels(pushed, side::buy) == levels(updated, side::buy));
        CHECK(levels(pushed, side::sell) == levels(updated, side::sell));
        CHECK(pushed.depth(side::buy) == std::min<std::size_t>(max_depth, 600));
        // Not better than the best, a removal, a bad size or price: update's answer.
        CHECK(pushed.push_best(side::buy, price{1000}, qty{4}) == updated.update(side::buy, price{1000}, qty{4}));
        CHECK(pushed.push_best(side::buy, price{1599}, qty{0}) == status::ok);
        CHECK(pushed.push_best(side::buy, price{5000}, qty{-1}) == status::invalid_qty);
        CHECK(pushed.push_best(side::sell, price{0}, qty{1}) == status::invalid_price);
        CHECK(pushed.push_best(side::sell, price{bounds::max_depth_price_ticks + 1}, qty{1}) == status::invalid_price);
        (void)updated.update(side::buy, price{1599}, qty{0});
        CHECK(levels(pushed, side::buy) == levels(updated, side::buy));
        CHECK(levels(pushed, side::sell) == levels(updated, side::sell));
    }
}

TEST_CASE("depth_book applies absolute level updates within a bounded depth") {
    depth_book b(3);
    REQUIRE(b.update(side::buy, price{100}, qty{5}) == status::ok);
    REQUIRE(b.update(side::buy, price{102}, qty{1}) == status::ok);
    REQUIRE(b.update(side::buy, price{101}, qty{2}) == status::ok);
    CHECK(levels(b, side::buy) == std::vector<level_info>{{price{102}, qty{1}, 1}, {price{101}, qty{2}, 1}, {price{100}, qty{5}, 1}});
    CHECK(b.update(side::buy, price{99}, qty{9}) == status::book_full);  // worse than all kept
    REQUIRE(b.update(side::buy, price{103}, qty{4}) == status::ok);     // pushes the worst out
    CHECK(levels(b, side::buy) == std::vector<level_info>{{price{103}, qty{4}, 1}, {price{102}, qty{1}, 1}, {price{101}, qty{2}, 1}});
    REQUIRE(b.update(side::buy, price{102}, qty{8}) == status::ok);     // absolute, not a delta
    CHECK(b.level(side::buy, 1).size == qty{8});
    REQUIRE(b.update(side::buy, price{103}, qty{0}) == status::ok);     // zero removes
    CHECK(b.level(side::buy, 0).px == price{102});
    REQUIRE(b.update(side::sell, price{110}, qty{0}) == status::ok);    // removing an absent level
    CHECK(b.depth(side::sell) == 0);
    CHECK(b.update(side::sell, price{110}, qty{-1}) == status::invalid_qty);
    REQUIRE(b.update(side::sell, price{110}, qty{3}) == status::ok);
    REQUIRE(b.update(side::sell, price{109}, qty{1}) == status::ok);
    CHECK(b.level(side::sell, 0).px == price{109});

    market_event snap = ev(event_type::depth_snapshot, 0, side::sell, 120, 7);
    snap.flags = event_flags::first;
    REQUIRE(b.apply(snap) == status::ok);
    CHECK(b.depth(side::buy) == 0);
    CHECK(levels(b, side::sell) == std::vector<level_info>{{price{120}, qty{7}, 1}});
    CHECK(b.apply(ev(event_type::add, 1, side::buy, 100, 1)) == status::not_supported);
}
