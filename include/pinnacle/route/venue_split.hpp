#pragma once
/// @file route/venue_split.hpp
/// Splitting lots across venues now, level by level: best price (a k-way merge by fee- and
/// latency-adjusted price) or pro rata (liquidity sweep).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/largest_remainder.hpp"

namespace pinnacle {
inline namespace v0 {

/// How a split spreads lots over venues.
enum class split_rule : std::uint8_t {
    best_price = 0, ///< Greedy by fee- and latency-adjusted price, level by level, across venues.
    pro_rata,       ///< Every venue at once, in proportion to its liquidity within the limit.
};

namespace detail {
// Walks a venue's levels from the best, skipping empty levels (size <= 0). Pointers rather than a
// span and an index: the split's inner loops touch only `at`, `end` and `left`. No member
// initialisers: a split keeps MaxVenues of them on the stack and sets up only those it uses.
struct level_cursor {
    const level_info* at;   // current level; == end once the levels are used up
    const level_info* end;
    std::int64_t left;      // lots left at *at (> 0 unless done)
    // Positions the cursor after the first `skip` lots of `lv` (skip <= 0: at the best non-empty level).
    void start(std::span<const level_info> lv, qty skip) noexcept {
        at = lv.data();
        end = at + lv.size();
        std::int64_t rem = skip.lots() > 0 ? skip.lots() : 0;
        for (; at != end; ++at) {
            const std::int64_t s = at->size.lots();
            if (s > rem) {  // s > rem >= 0: a non-empty level that outlasts the skip
                left = s - rem;
                return;
            }
            if (s > 0) rem -= s;
        }
        left = 0;
    }
    // Moves to the next non-empty level (or to the end).
    void next() noexcept {
        while (++at != end) {
            if (at->size.lots() > 0) {
                left = at->size.lots();
                return;
            }
        }
        left = 0;
    }
    [[nodiscard]] bool done() const noexcept { return at == end; }
    [[nodiscard]] price px() const noexcept { return at->px; }
};

template <side S>
[[nodiscard]] constexpr bool within(price px, price limit) noexcept {
    if constexpr (S == side::buy) return px <= limit;
    else return px >= limit;
}

// Signed effective price of one lot at `px` (route/concepts.hpp effective_price): lower = better
// for either side.
template <side S>
[[nodiscard]] constexpr double signed_effective(price px, double rate, double fixed) noexcept {
    const double e = effective_from(S, px, rate, fixed);
    if constexpr (S == side::buy) return e;
    else return -e;
}

// BEST_PRICE half of split_across_venues for side S. room_of(v) / busy_of(v) give venue v's room
// and lots already working (called for v < MaxVenues only, once per venue in the span). `take`
// must be all 0 on entry.
template <side S, std::size_t MaxVenues, class RoomFn, class BusyFn>
qty best_price_split(qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of, BusyFn busy_of,
                     double penalty, std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    if (want.lots() <= 0) return qty{0};
    const std::size_t nv = std::min(venues.size(), MaxVenues);
    constexpr double none = std::numeric_limits<double>::infinity();
    // Per venue position: the key of the cursor's level (none once the venue is out: no room, no
    // more levels, or beyond the limit; a NaN key is never picked either), the cursor, and its
    // effective-price parts (computed once). Only [0, nv) is used. The room left at venues[i] is
    // room_of(venue) - take[i], looked at only when the venue is picked.
    std::array<double, MaxVenues> key;
    std::array<level_cursor, MaxVenues> cur;
    std::array<double, MaxVenues> rate, fixed;
    // The k-way merge: pick = the venue with the lowest key (strict <: ties go to the earlier
    // venue). The first pick is found while the keys are set up.
    std::size_t pick = nv;
    double best = none;
    for (std::size_t i = 0; i < nv; ++i) {
        const venue_quote& q = venues[i];
        double k = none;
        if (q.venue < MaxVenues && room_of(q.venue).lots() > 0) {
            level_cursor& c = cur[i];
            c.start(q.opposite(S), busy_of(q.venue));
            if (!c.done() && within<S>(c.px(), limit)) {
                rate[i] = q.costs.taker_bps * 1e-4;
                fixed[i] = effective_fixed(q.costs, penalty);
                k = signed_effective<S>(c.px(), rate[i], fixed[i]);
            }
        }
        key[i] = k;
        if (k < best) {
            best = k;
            pick = i;
        }
    }
    qty routed{0};
    while (pick != nv) {
        level_cursor& c = cur[pick];
        const std::int64_t room = (room_of(venues[pick].venue) - take[pick]).lots();  // > 0
        const std::int64_t t = std::min(std::min(c.left, (want - routed).lots()), room);
        take[pick] += qty{t};
        worst[pick] = c.px();
        routed += qty{t};
        if (routed >= want) break;
        c.left -= t;
        if (t == room) {
            key[pick] = none;
        } else if (c.left <= 0) {  // level used up: the next one, if any and within the limit
            c.next();
            key[pick] = c.done() || !within<S>(c.px(), limit) ? none : signed_effective<S>(c.px(), rate[pick], fixed[pick]);
        }
        pick = nv;
        best = none;
        for (std::size_t i = 0; i < nv; ++i)
            if (key[i] < best) {
                best = key[i];
                pick = i;
            }
    }
    return routed;
}

// LIQUIDITY_SWEEP (pro rata) half of split_across_venues for side S; as best_price_split.
template <side S, std::size_t MaxVenues, class RoomFn, class BusyFn>
qty pro_rata_split(qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of, BusyFn busy_of,
                   std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    const std::size_t nv = std::min(venues.size(), MaxVenues);
    std::array<level_cursor, MaxVenues> cur;
    std::array<double, MaxVenues> avail;
    qty total_avail{0};
    for (std::size_t i = 0; i < nv; ++i) {
        const venue_quote& q = venues[i];
        avail[i] = 0.0;
        if (q.venue >= MaxVenues) continue;
        level_cursor& c = cur[i];
        c.start(q.opposite(S), busy_of(q.venue));
        // Lots from the cursor down to the first non-empty level beyond the limit (empty levels are
        // skipped whatever their price).
        std::int64_t a = 0;
        if (!c.done() && within<S>(c.px(), limit)) {
            a = c.left;
            for (const level_info* l = c.at + 1; l != c.end; ++l) {
                if (l->size.lots() <= 0) continue;
                if (!within<S>(l->px, limit)) break;
                a += l->size.lots();
            }
        }
        a = std::max<std::int64_t>(0, std::min(a, room_of(q.venue).lots()));
        take[i] = qty{a};
        avail[i] = static_cast<double>(a);
        total_avail += qty{a};
    }
    if (total_avail > want) {
        std::array<qty, MaxVenues> part{};
        (void)largest_remainder_small<MaxVenues>(want, std::span<const double>(avail.data(), nv), part);
        for (std::size_t i = 0; i < nv; ++i) take[i] = std::min(part[i], take[i]);
    }
    qty routed{0};
    for (std::size_t i = 0; i < nv; ++i) {
        if (take[i].lots() <= 0) continue;
        routed += take[i];
        const level_cursor& c = cur[i];
        if (c.done()) continue;
        // The deepest level needed for take[i]: where the lots from the cursor down reach it.
        const level_info* l = c.at;
        std::int64_t have = c.left;
        while (have < take[i].lots()) {
            const level_info* nx = l + 1;
            while (nx != c.end && nx->size.lots() <= 0) ++nx;
            if (nx == c.end) break;
            l = nx;
            have += l->size.lots();
        }
        worst[i] = l->px;
    }
    return routed;
}

// split_across_venues with the room and busy lots given by functions of the venue index, so that
// a router reads them from its tracker for the venues present only. `take` must be all 0 on entry.
template <std::size_t MaxVenues, class RoomFn, class BusyFn>
qty split(split_rule rule, side s, qty want, price limit, std::span<const venue_quote> venues, RoomFn room_of,
          BusyFn busy_of, double penalty, std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    if (rule == split_rule::best_price) {
        if (s == side::buy) return best_price_split<side::buy, MaxVenues>(want, limit, venues, room_of, busy_of, penalty, take, worst);
        return best_price_split<side::sell, MaxVenues>(want, limit, venues, room_of, busy_of, penalty, take, worst);
    }
    if (s == side::buy) return pro_rata_split<side::buy, MaxVenues>(want, limit, venues, room_of, busy_of, take, worst);
    return pro_rata_split<side::sell, MaxVenues>(want, limit, venues, room_of, busy_of, take, worst);
}
} // namespace detail

/// Routes up to `want` lots of side `s` across `venues` now, as one IOC child per venue priced at the
/// deepest level it takes (never beyond `limit`), at most `room[v]` lots at venue index v (indices
/// >= MaxVenues are skipped). The first `busy[v]` lots of venue v's book count as already taken by
/// our working children, so a stale book is not hit twice. best_price: repeatedly takes the level
/// with the best effective price (route/concepts.hpp effective_price; ties: earlier venue in the
/// span) — a k-way merge by effective price. pro_rata (liquidity sweep): each venue's liquidity
/// within the limit (capped by its room) is taken whole if all of it is <= want, else `want` is
/// split in proportion to it by largest_remainder. `take[i]` / `worst[i]` receive the lots and
/// price for venues[i] (i < MaxVenues). Returns the lots routed. O(levels taken x venues).
template <std::size_t MaxVenues>
qty split_across_venues(split_rule rule, side s, qty want, price limit, std::span<const venue_quote> venues,
                        const std::array<qty, MaxVenues>& room, const std::array<qty, MaxVenues>& busy, double penalty,
                        std::array<qty, MaxVenues>& take, std::array<price, MaxVenues>& worst) noexcept {
    take.fill(qty{0});
    return detail::split<MaxVenues>(
        rule, s, want, limit, venues, [&room](std::uint32_t v) { return room[v]; },
        [&busy](std::uint32_t v) { return busy[v]; }, penalty, take, worst);
}

} // namespace v0
} // namespace pinnacle
