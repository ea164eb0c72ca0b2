#pragma once
/// @file route/consolidated_book.hpp
/// One view over the books of several venues: best bid and offer across venues, merged depth
/// (k-way merge, each level tagged with its venue), fee- and latency-adjusted effective prices, and
/// snapshots into venue_quote views for the routers.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// A price level of one venue in a consolidated view.
struct venue_level {
    std::uint32_t venue = 0; ///< Venue index (order of add_venue).
    level_info level;        ///< Price (ticks), size (lots), orders.
};

/// Consolidated view over up to MaxVenues books of type Book (any DepthView), held by pointer (the
/// books must outlive the view). Queries are noexcept, allocation-free and O(venues) per level.
/// Thread-safety: one thread (reads the books as they are).
template <DepthView Book, std::size_t MaxVenues>
class consolidated_book {
    static_assert(MaxVenues >= 1, "consolidated_book needs room for at least one venue");

public:
    /// A view with no venue; `latency_penalty_ticks_per_ms` as in effective_price().
    explicit consolidated_book(double latency_penalty_ticks_per_ms = 0.0) noexcept : penalty_(latency_penalty_ticks_per_ms) {}

    /// Adds a venue (index = number of venues before); book_full when MaxVenues are in use.
    [[nodiscard]] status add_venue(const Book& book, const venue_costs& costs) noexcept {
        if (n_ == MaxVenues) return status::book_full;
        books_[n_] = &book;
        costs_[n_] = costs;
        ++n_;
        return status::ok;
    }

    /// Number of venues.
    [[nodiscard]] std::size_t venues() const noexcept { return n_; }
    /// Book of venue v (precondition: v < venues()).
    [[nodiscard]] const Book& book(std::size_t v) const noexcept { return *books_[v]; }
    /// Costs of venue v (precondition: v < venues()).
    [[nodiscard]] const venue_costs& costs(std::size_t v) const noexcept { return costs_[v]; }
    /// Latency penalty, ticks per ms of order-entry latency.
    [[nodiscard]] double latency_penalty_ticks_per_ms() const noexcept { return penalty_; }

    /// Best level on side s across venues by raw price (highest bid / lowest ask); ties go to the
    /// lower venue index. Empty when no venue has a level on s.
    [[nodiscard]] std::optional<venue_level> best(side s) const noexcept {
        std::optional<venue_level> out;
        for (std::size_t v = 0; v < n_; ++v) {
            if (books_[v]->depth(s) == 0) continue;
            const level_info l = books_[v]->level(s, 0);
            if (!out || better(s, l.px, out->level.px)) out = venue_level{static_cast<std::uint32_t>(v), l};
        }
        return out;
    }

    /// Best bid across venues.
    [[nodiscard]] std::optional<venue_level> best_bid() const noexcept { return best(side::buy); }
    /// Best ask (offer) across venues.
    [[nodiscard]] std::optional<venue_level> best_ask() const noexcept { return best(side::sell); }

    /// Merged depth of side s: a k-way merge of every venue's levels, best price first (ties: lower
    /// venue index first), written into `out` until it is full or the books are exhausted. Returns
    /// the number written. O(out.size() x venues).
    std::size_t merged(side s, std::span<venue_level> out) const noexcept {
        std::array<std::size_t, MaxVenues> head{};
        std::size_t k = 0;
        while (k < out.size()) {
            std::size_t pick = MaxVenues;
            level_info best_l{};
            for (std::size_t v = 0; v < n_; ++v) {
                if (head[v] >= books_[v]->depth(s)) continue;
                const level_info l = books_[v]->level(s, head[v]);
                if (pick == MaxVenues || better(s, l.px, best_l.px)) {
                    pick = v;
                    best_l = l;
                }
            }
            if (pick == MaxVenues) break;
            out[k++] = venue_level{static_cast<std::uint32_t>(pick), best_l};
            ++head[pick];
        }
        return k;
    }

    /// Effective price (fractional ticks) of taking one lot at `px` on venue v with an order of side
    /// `taker`: px +/- (taker fee per lot + latency penalty); see route/concepts.hpp effective_price.
    [[nodiscard]] double effective_price(std::size_t v, side taker, price px) const noexcept {
        return pinnacle::effective_price(taker, px, costs_[v], penalty_);
    }

    /// The venue whose best opposite level is cheapest to take for an order of side `taker`, by
    /// effective price (ties: lower venue index). Empty when no venue shows liquidity.
    [[nodiscard]] std::optional<venue_level> best_effective(side taker) const noexcept {
        const side book_side = opposite(taker);
        std::optional<venue_level> out;
        double out_eff = 0.0;
        for (std::size_t v = 0; v < n_; ++v) {
            if (books_[v]->depth(book_side) == 0) continue;
            const level_info l = books_[v]->level(book_side, 0);
            const double e = effective_price(v, taker, l.px);
            if (!out || (taker == side::buy ? e < out_eff : e > out_eff)) {
                out = venue_level{static_cast<std::uint32_t>(v), l};
                out_eff = e;
            }
        }
        return out;
    }

    /// Copies the top `depth` levels of both sides of every venue into `storage` (needs
    /// 2 x depth x venues() entries) and writes one venue_quote per venue into `quotes` (needs
    /// venues() entries), viewing that storage. Returns the number of quotes written (0 when
    /// either span is too small).
    std::size_t snapshot(std::size_t depth, std::span<level_info> storage, std::span<venue_quote> quotes) const noexcept {
        if (quotes.size() < n_ || storage.size() < 2 * depth * n_) return 0;
        std::size_t at = 0;
        for (std::size_t v = 0; v < n_; ++v) {
            std::span<const level_info> sides[2];
            for (const side s : {side::buy, side::sell}) {
                const std::size_t d = books_[v]->depth(s) < depth ? books_[v]->depth(s) : depth;
                for (std::size_t i = 0; i < d; ++i) storage[at + i] = books_[v]->level(s, i);
                sides[static_cast<std::size_t>(s)] = std::span<const level_info>(storage.data() + at, d);
                at += depth;
            }
            quotes[v] = venue_quote{static_cast<std::uint32_t>(v), sides[0], sides[1], costs_[v]};
        }
        return n_;
    }

private:
    std::array<const Book*, MaxVenues> books_{};
    std::array<venue_costs, MaxVenues> costs_{};
    std::size_t n_ = 0;
    double penalty_ = 0.0;
};

} // namespace v0
} // namespace pinnacle
