#pragma once
// route_order_venues.hpp: one real LOBSTER (NASDAQ) day fragmented across N simulated venues, for
// examples/route_order.cpp.
//
// The staged captures are different instruments and dates, so no two of them can be one
// instrument's venues at the same time. Instead every real order (its add, cancels, deletes and
// executions) lives on exactly one venue, chosen by splitmix64(order id) against the venues'
// shares. Liquidity without an order id (levels learned from the orderbook rows: row 0 and levels
// sliding in from beyond depth L) is split across the venues in proportion to their shares.
// Deletes and executions naming an id never added reduce that anonymous liquidity: first at the
// id's own venue, then at the next ones in turn (the only place an order can end up on several
// venues; counted in fragment_stats). Hidden executions (type 5, id 0) and cross trades (type 6)
// go to the venue splitmix64(time in ns) picks; halts (type 7) go to every venue.
//
// The reference book is kept exactly as run_lobster_backtest keeps its book (apply each message,
// then lobster_reconcile with its orderbook row, or lobster_repair_unpaired without one), and after
// every message the venues' books summed per price must equal it (check(); a failure is an
// internal error).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/random.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

namespace route_order {

/// Most venues route_order simulates (the routers' and the session's MaxVenues).
inline constexpr std::size_t max_venues = 8;

/// What one simulated venue is like: a name, its fee model kind, one-way latency (ns, the same for
/// order entry and reports) and fees in ticks ($0.0001) per lot (1 share; negative = rebate).
struct venue_profile {
    const char* name;          ///< Short name.
    const char* kind;          ///< Fee model: maker-taker, inverted, cheap-slow.
    std::int64_t latency_ns;   ///< One-way latency, ns.
    std::int64_t take_ticks;   ///< Taker fee, ticks per lot.
    std::int64_t make_ticks;   ///< Maker fee, ticks per lot (our children are IOC: never charged here).
};

/// The venues route_order can simulate; venue i uses profile i. Fees loosely after 2012 US equity
/// venues: maker-taker charges $0.0030 to take, inverted pays takers, the cheap one is far away.
inline constexpr std::array<venue_profile, max_venues> venue_profiles{{
    {"MT", "maker-taker", 50'000, 30, -20},
    {"INV", "inverted", 150'000, -5, 10},
    {"SLOW", "cheap-slow", 400'000, 10, 0},
    {"MT2", "maker-taker", 100'000, 30, -25},
    {"INV2", "inverted", 250'000, -2, 5},
    {"SLOW2", "cheap-slow", 800'000, 5, 0},
    {"MT3", "maker-taker", 75'000, 29, -20},
    {"MID", "maker-taker", 600'000, 15, -10},
}};

/// The costs a router sees for a venue of this profile (route/concepts.hpp venue_costs).
[[nodiscard]] inline pinnacle::venue_costs costs_of(const venue_profile& p) noexcept {
    pinnacle::venue_costs c;
    c.maker_ticks_per_lot = p.make_ticks;
    c.taker_ticks_per_lot = p.take_ticks;
    c.latency = pinnacle::duration{p.latency_ns};
    return c;
}

/// The simulated venue of every fragment: exact FIFO queue, constant latency, per-lot fees.
using venue_t = pinnacle::simulated_venue<pinnacle::l3_book, pinnacle::fifo_queue, pinnacle::constant_latency,
                                          pinnacle::fee_schedule>;

/// What a fragmented replay did so far (counts of messages and levels; sizes in lots).
struct fragment_stats {
    std::size_t events = 0;              ///< Messages replayed.
    std::size_t rejected = 0;            ///< Messages the reference book refused (as run_lobster_backtest's book_rejects).
    std::size_t unknown_reductions = 0;  ///< Deletes / executions / cancels of ids never added (reduce anonymous lots).
    std::size_t split_reductions = 0;    ///< Those that needed the anonymous lots of more than one venue.
    std::size_t levels_learned = 0;      ///< Levels learned from orderbook rows (row 0 and slid-in levels).
    std::int64_t anonymous_lots = 0;     ///< Lots of those levels, split across the venues.
    std::size_t stale_levels = 0;        ///< Stale levels dropped (no orderbook file: lobster_repair_unpaired).
    std::array<std::size_t, max_venues> orders_added{}; ///< Adds per venue.
};

/// One LOBSTER day replayed as N venues with their own l3_book and simulated_venue, plus the
/// single reference book they must add up to (see the file comment). Allocates at construction.
/// Thread-safety: one thread.
class fragmented_market {
public:
    /// Venues 0..shares.size()-1 (2..max_venues) with profiles venue_profiles[v] and shares (>= 0,
    /// sum > 0; normalised here); `depth` = the L levels the data vouches for (0 = unlimited).
    /// `taker_impact` switches simulated_venue::set_taker_impact on. Throws std::bad_alloc.
    fragmented_market(const pinnacle::lobster_day& day, std::size_t depth, std::span<const double> shares, bool taker_impact)
        : day_(day), depth_(depth), ref_(book_config()) {
        n_ = std::min(shares.size(), max_venues);
        double sum = 0.0;
        for (std::size_t v = 0; v < n_; ++v) sum += shares[v] > 0.0 ? shares[v] : 0.0;
        double cum = 0.0;
        for (std::size_t v = 0; v < n_; ++v) {
            share_[v] = shares[v] > 0.0 ? shares[v] / sum : 0.0;
            cum += share_[v];
            threshold_[v] = static_cast<std::uint64_t>(cum * two53);
        }
        threshold_[n_ - 1] = std::uint64_t{1} << 53;  // rounding never leaves a hash unassigned
        for (std::size_t v = 0; v < n_; ++v) {
            const venue_profile& p = venue_profiles[v];
            books_.push_back(std::make_unique<pinnacle::l3_book>(book_config()));
            venues_.push_back(std::make_unique<venue_t>(
                pinnacle::constant_latency{pinnacle::duration{p.latency_ns}, pinnacle::duration{p.latency_ns}},
                pinnacle::fee_schedule{pinnacle::per_lot_fees{p.make_ticks, p.take_ticks}, pinnacle::bps_fees{}},
                pinnacle::fifo_queue{}, pinnacle::sim_venue_limits{64, 1u << 14}));
            venues_.back()->set_taker_impact(taker_impact);
        }
    }

    /// Number of venues.
    [[nodiscard]] std::size_t venues() const noexcept { return n_; }
    /// Venue v's share of the orders (0..1).
    [[nodiscard]] double share(std::size_t v) const noexcept { return share_[v]; }
    /// Venue v's book.
    [[nodiscard]] const pinnacle::l3_book& book(std::size_t v) const noexcept { return *books_[v]; }
    /// Venue v's simulated exchange.
    [[nodiscard]] venue_t& venue(std::size_t v) noexcept { return *venues_[v]; }
    /// The single reconciled NASDAQ book the venues add up to.
    [[nodiscard]] const pinnacle::l3_book& reference() const noexcept { return ref_; }
    /// Index of the next message to replay.
    [[nodiscard]] std::size_t next() const noexcept { return i_; }
    /// True once every message has been replayed.
    [[nodiscard]] bool at_end() const noexcept { return i_ >= day_.messages.size(); }
    /// The next message (precondition: !at_end()).
    [[nodiscard]] const pinnacle::market_event& peek() const noexcept { return day_.messages[i_]; }
    /// Counters so far.
    [[nodiscard]] const fragment_stats& stats() const noexcept { return stats_; }
    /// Why check() or step() failed (empty while everything holds).
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

    /// The venue an order id lives on: splitmix64(id) against the cumulative shares.
    [[nodiscard]] std::size_t venue_of_order(pinnacle::order_id id) const noexcept { return pick(pinnacle::splitmix64_hash(id.value())); }
    /// The venue a hidden execution or cross trade at time t (ns) is reported on.
    [[nodiscard]] std::size_t venue_of_time(pinnacle::timestamp t) const noexcept {
        return pick(pinnacle::splitmix64_hash(static_cast<std::uint64_t>(t.ns()) ^ 0x5bd1e995ULL));
    }

    /// Lets every venue process the requests that reached it before `now` (ns), against its book
    /// as it is: call before deciding at `now`, once every message stamped before `now` is replayed.
    void advance(pinnacle::timestamp now) noexcept {
        for (std::size_t v = 0; v < n_; ++v) venues_[v]->advance(now, *books_[v]);
    }

    /// Replays the next message on the reference book and on the venues it belongs to, keeps the
    /// books to what the data vouches for, and checks the invariant. False (error() says why) when
    /// the venues no longer add up to the reference book.
    bool step() {
        const pinnacle::market_event& e = day_.messages[i_];
        using pinnacle::event_type;
        n_parts_ = 0;
        switch (e.type) {
            case event_type::add:
                if (ref_.apply(e) != pinnacle::status::ok) {
                    ++stats_.rejected;
                    break;
                }
                add_part(venue_of_order(e.id), e);
                ++stats_.orders_added[venue_of_order(e.id)];
                break;
            case event_type::cancel:
            case event_type::remove:
            case event_type::execute: {
                const bool known = ref_.find(e.id) != nullptr;
                if (ref_.apply(e) != pinnacle::status::ok) {
                    ++stats_.rejected;
                    break;
                }
                if (known) {
                    const std::size_t v = venue_of_order(e.id);
                    if (books_[v]->find(e.id) == nullptr) return fail("order " + std::to_string(e.id.value()) + " is not on its venue");
                    add_part(v, e);
                } else if (!reduce_anonymous(e)) {
                    return false;
                }
                break;
            }
            case event_type::execute_hidden:
            case event_type::cross_trade:
                (void)ref_.apply(e);  // changes nothing
                add_part(venue_of_time(e.ts), e);
                break;
            case event_type::halt:
                (void)ref_.apply(e);
                for (std::size_t v = 0; v < n_; ++v) add_part(v, e);
                break;
            case event_type::depth_snapshot:
            case event_type::depth_update:
                ++stats_.rejected;  // not in message files; the book refuses them too
                break;
        }
        for (std::size_t k = 0; k < n_parts_; ++k) {
            const std::size_t v = parts_[k].venue;
            venues_[v]->on_market(parts_[k].e, *books_[v]);  // before the book applies it
            if (books_[v]->apply(parts_[k].e) != pinnacle::status::ok)
                return fail("venue " + std::to_string(v) + " refused its part of the message");
        }
        if (!day_.rows.empty()) {
            if (!reconcile(day_.rows[i_])) return false;
        } else {
            repair(e);
        }
        ++i_;
        ++stats_.events;
        return check();
    }

    /// True when the venues' books summed per price equal the reference book on both sides (every
    /// level price present in one is present in the other with the same total size, lots).
    bool check() {
        for (const pinnacle::side s : {pinnacle::side::buy, pinnacle::side::sell}) {
            std::array<std::size_t, max_venues> at{};
            for (std::size_t i = 0; i < ref_.depth(s); ++i) {
                const pinnacle::level_info r = ref_.level(s, i);
                std::int64_t sum = 0;
                for (std::size_t v = 0; v < n_; ++v) {
                    const pinnacle::l3_book& b = *books_[v];
                    if (at[v] < b.depth(s) && pinnacle::better(s, b.level(s, at[v]).px, r.px))
                        return mismatch(s, b.level(s, at[v]).px, 0, b.level(s, at[v]).size.lots());
                    if (at[v] < b.depth(s) && b.level(s, at[v]).px == r.px) sum += b.level(s, at[v]++).size.lots();
                }
                if (sum != r.size.lots()) return mismatch(s, r.px, r.size.lots(), sum);
            }
            for (std::size_t v = 0; v < n_; ++v)
                if (at[v] < books_[v]->depth(s)) {
                    const pinnacle::level_info l = books_[v]->level(s, at[v]);
                    return mismatch(s, l.px, 0, l.size.lots());
                }
        }
        return true;
    }

private:
    // One venue's part of a message (the whole message, or some lots of an anonymous reduction).
    struct part {
        std::size_t venue;
        pinnacle::market_event e;
    };
    static constexpr double two53 = 9007199254740992.0;  // 2^53

    // Capacities of every book: 2^18 orders with a known id, 2^14 levels a side.
    static pinnacle::l3_book_config book_config() noexcept {
        return pinnacle::l3_book_config{std::size_t{1} << 18, std::size_t{1} << 14};
    }

    // The first venue whose cumulative share threshold lies above the hash's top 53 bits.
    [[nodiscard]] std::size_t pick(std::uint64_t h) const noexcept {
        const std::uint64_t u = h >> 11;
        for (std::size_t v = 0; v + 1 < n_; ++v)
            if (u < threshold_[v]) return v;
        return n_ - 1;
    }

    // Queues message `e` (or a part of it) for venue v.
    void add_part(std::size_t v, const pinnacle::market_event& e) noexcept { parts_[n_parts_++] = part{v, e}; }

    // An id the books never saw: its lots come out of the venues' anonymous liquidity at (side,
    // price), from the id's own venue first, then the next venues in turn.
    bool reduce_anonymous(const pinnacle::market_event& e) {
        ++stats_.unknown_reductions;
        std::int64_t left = e.size.lots();
        std::size_t v = venue_of_order(e.id);
        std::size_t used = 0;
        for (std::size_t k = 0; k < n_ && left > 0; ++k, v = (v + 1) % n_) {
            const std::int64_t take = std::min(books_[v]->anonymous_at(e.side, e.px).lots(), left);
            if (take <= 0) continue;
            pinnacle::market_event p = e;
            p.size = pinnacle::qty{take};
            add_part(v, p);
            left -= take;
            ++used;
        }
        if (used > 1) ++stats_.split_reductions;
        if (left > 0) return fail("the venues' anonymous lots do not cover a reduction the reference book accepted");
        return true;
    }

    // `q` lots of anonymous liquidity at (s, px) split in proportion to the shares: floors first,
    // then the leftover lots one each from a venue picked by a hash of a counter.
    void split_anonymous(pinnacle::side s, pinnacle::price px, pinnacle::qty q) {
        std::array<std::int64_t, max_venues> part_lots{};
        std::int64_t given = 0;
        for (std::size_t v = 0; v < n_; ++v) {
            part_lots[v] = static_cast<std::int64_t>(static_cast<double>(q.lots()) * share_[v]);
            given += part_lots[v];
        }
        std::size_t v = static_cast<std::size_t>(pinnacle::splitmix64_hash(++chunks_) % n_);
        for (; given < q.lots(); v = (v + 1) % n_) {  // fewer than n_ lots are left; some share is > 0
            if (share_[v] <= 0.0) continue;
            ++part_lots[v];
            ++given;
        }
        for (std::size_t w = 0; w < n_; ++w)
            if (part_lots[w] > 0) (void)books_[w]->add_anonymous(s, px, pinnacle::qty{part_lots[w]});
        ++stats_.levels_learned;
        stats_.anonymous_lots += q.lots();
    }

    // Drops the levels of side s worse than `cutoff` from every venue book.
    void truncate_worse(pinnacle::side s, pinnacle::price cutoff) noexcept {
        for (std::size_t v = 0; v < n_; ++v) {
            pinnacle::l3_book& b = *books_[v];
            std::size_t keep = 0;
            while (keep < b.depth(s) && !pinnacle::better(s, cutoff, b.level(s, keep).px)) ++keep;
            b.truncate(s, keep);
        }
    }

    // What lobster_reconcile(ref_, row, depth_) is about to do, done to the venues; then the
    // library call itself on the reference book. False if the two disagree on the levels learned.
    bool reconcile(const pinnacle::lobster_book_row& row) {
        std::size_t learned = 0;
        for (const pinnacle::side s : {pinnacle::side::buy, pinnacle::side::sell}) {
            const std::vector<pinnacle::book_level>& want = s == pinnacle::side::buy ? row.bids : row.asks;
            const std::size_t n = ref_.depth(s);
            if (n > depth_) truncate_worse(s, ref_.level(s, depth_ - 1).px);
            std::size_t have = std::min(n, depth_);
            if (have >= depth_) continue;
            std::size_t j = 0;
            if (have > 0) {
                const pinnacle::price deepest = ref_.level(s, have - 1).px;
                while (j < want.size() && !pinnacle::better(s, deepest, want[j].px)) ++j;
            }
            for (; j < want.size() && have < depth_; ++j, ++have) {
                split_anonymous(s, want[j].px, want[j].size);
                ++learned;
            }
        }
        const std::size_t lib = pinnacle::lobster_reconcile(ref_, row, depth_);
        if (lib != learned) return fail("lobster_reconcile learned " + std::to_string(lib) + " levels, the venues " + std::to_string(learned));
        return true;
    }

    // lobster_repair_unpaired on the reference book, mirrored on the venues (same drops by price,
    // then the reference book's truncation).
    void repair(const pinnacle::market_event& e) noexcept {
        using pinnacle::event_type;
        for (std::size_t v = 0; v < n_; ++v) {
            if (e.type == event_type::add) (void)books_[v]->drop_through(pinnacle::opposite(e.side), e.px, true);
            else if (e.type == event_type::execute) (void)books_[v]->drop_through(e.side, e.px, false);
        }
        stats_.stale_levels += pinnacle::lobster_repair_unpaired(ref_, e, depth_);
        if (depth_ == 0) return;
        for (const pinnacle::side s : {pinnacle::side::buy, pinnacle::side::sell})
            if (ref_.depth(s) >= depth_) truncate_worse(s, ref_.level(s, depth_ - 1).px);
    }

    // Records a level where the venues (sum, lots) and the reference book (lots) disagree; false.
    bool mismatch(pinnacle::side s, pinnacle::price px, std::int64_t ref_lots, std::int64_t venue_lots) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "after message %zu (line %zu): %s level %lld: reference book %lld lots, venues %lld lots",
                      i_ - 1, i_, s == pinnacle::side::buy ? "bid" : "ask", static_cast<long long>(px.ticks()),
                      static_cast<long long>(ref_lots), static_cast<long long>(venue_lots));
        return fail(buf);
    }

    // Keeps the first failure's reason; false.
    bool fail(std::string why) {
        if (error_.empty()) error_ = std::move(why);
        return false;
    }

    const pinnacle::lobster_day& day_;
    std::size_t depth_;
    std::size_t n_ = 0;
    std::array<double, max_venues> share_{};
    std::array<std::uint64_t, max_venues> threshold_{};
    pinnacle::l3_book ref_;
    std::vector<std::unique_ptr<pinnacle::l3_book>> books_;
    std::vector<std::unique_ptr<venue_t>> venues_;
    std::array<part, max_venues> parts_{};
    std::size_t n_parts_ = 0;
    std::size_t i_ = 0;
    std::uint64_t chunks_ = 0;
    fragment_stats stats_{};
    std::string error_;
};

} // namespace route_order
