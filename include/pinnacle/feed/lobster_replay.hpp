#pragma once
/// @file feed/lobster_replay.hpp
/// Rebuilds an L3 book from LOBSTER messages and checks it, message by message, against
/// LOBSTER's own orderbook file (the ground truth for the top L levels).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/feed/lobster.hpp"

namespace pinnacle {
inline namespace v0 {

/// One level where the rebuilt book and the LOBSTER row disagree.
struct lobster_mismatch {
    std::size_t row = 0;            ///< 0-based orderbook row (= message index).
    pinnacle::side side = side::buy; ///< Book side.
    std::size_t level = 0;          ///< 0-based level (0 = best).
    book_level expected;            ///< What the row says (size 0 and price 0: no level there).
    book_level actual;              ///< What the rebuilt book has (size 0 and price 0: no level).
};

/// Keeps an l3_book to what a depth-`depth` LOBSTER file can vouch for, after a message: drops
/// levels beyond the best `depth` on each side, then, where fewer than `depth` remain, learns the
/// levels `row` shows beyond the deepest one kept (they slid in from beyond depth L) as anonymous
/// liquidity. Returns the number of levels learned. Book: a DepthView with `truncate(side, n)` and
/// `add_anonymous(side, price, qty)` (l3_book, reference_book). No allocation with l3_book.
template <class Book>
std::size_t lobster_reconcile(Book& book, const lobster_book_row& row, std::size_t depth) noexcept {
    std::size_t learned = 0;
    for (const side s : {side::buy, side::sell}) {
        book.truncate(s, depth);
        const std::vector<book_level>& want = s == side::buy ? row.bids : row.asks;
        std::size_t have = book.depth(s);
        if (have >= depth) continue;
        std::size_t j = 0;
        if (have > 0) {
            const price deepest = book.level(s, have - 1).px;
            while (j < want.size() && !better(s, deepest, want[j].px)) ++j;
        }
        for (; j < want.size() && have < depth; ++j, ++have) {
            if (book.add_anonymous(s, want[j].px, want[j].size) == status::ok) ++learned;
        }
    }
    return learned;
}

/// Repairs a book rebuilt from a LOBSTER message file that has no orderbook file, right after
/// `e` was applied: the book starts empty and never sees orders that rested before the data began,
/// so an order it knows may really sit beyond depth L when it is cancelled, and that cancel is not
/// in the file. Two facts of a continuous limit order book expose such stale levels:
/// a resting order never crosses the other side (an add at p removes opposite levels at or through
/// p), and executions take the best price first (an execution at p removes same-side levels better
/// than p). Then keeps the best `depth` levels (0 = all). Returns the levels removed as stale.
template <class Book>
std::size_t lobster_repair_unpaired(Book& book, const market_event& e, std::size_t depth) noexcept {
    std::size_t stale = 0;
    if (e.type == event_type::add) stale += book.drop_through(opposite(e.side), e.px, true);
    else if (e.type == event_type::execute) stale += book.drop_through(e.side, e.px, false);
    if (depth != 0) {
        book.truncate(side::buy, depth);
        book.truncate(side::sell, depth);
    }
    return stale;
}

/// Replays LOBSTER messages into an l3_book and checks each orderbook row. Thread-safety: one thread.
///
/// LOBSTER only reports messages that touch the top L levels, so after each message the book keeps
/// only its top L levels per side; when it holds fewer than L, levels that the row shows beyond
/// the deepest tracked one have slid in from beyond depth L and are learned from the row as
/// anonymous liquidity (counted in slid_in()). Every tracked level must then equal the row.
class lobster_book_checker {
public:
    /// A checker comparing the top `depth` levels (>= 1), with the given book capacities.
    explicit lobster_book_checker(std::size_t depth, l3_book_config cfg = {}) : book_(cfg), depth_(depth) {
        mismatches_.reserve(max_kept_mismatches);
    }

    /// Seeds the book from orderbook row 0 (the state after message 0, which is not applied).
    void seed(const lobster_book_row& row0) noexcept {
        book_.clear();
        for (std::size_t i = 0; i < row0.bids.size() && i < depth_; ++i)
            (void)book_.add_anonymous(side::buy, row0.bids[i].px, row0.bids[i].size);
        for (std::size_t i = 0; i < row0.asks.size() && i < depth_; ++i)
            (void)book_.add_anonymous(side::sell, row0.asks[i].px, row0.asks[i].size);
        ++rows_;
        compare(row0);
    }

    /// Applies message `ev` and checks the book against `row`, the state after it.
    /// Returns true if the row matched. Mismatching levels are kept (up to a limit) in mismatches().
    bool step(const market_event& ev, const lobster_book_row& row) noexcept {
        const status st = book_.apply(ev);
        if (st != status::ok) ++rejected_;
        slid_in_ += lobster_reconcile(book_, row, depth_);
        ++rows_;
        return compare(row);
    }

    /// Rows checked so far (including the seed row).
    [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
    /// Rows where at least one tracked level disagreed.
    [[nodiscard]] std::size_t mismatched_rows() const noexcept { return mismatched_rows_; }
    /// Levels learned from the rows because they slid in from beyond depth L.
    [[nodiscard]] std::size_t slid_in() const noexcept { return slid_in_; }
    /// Messages the book refused (e.g. an unknown id with no anonymous liquidity to reduce).
    [[nodiscard]] std::size_t rejected_messages() const noexcept { return rejected_; }
    /// The first mismatching levels (at most max_kept_mismatches).
    [[nodiscard]] const std::vector<lobster_mismatch>& mismatches() const noexcept { return mismatches_; }
    /// The rebuilt book.
    [[nodiscard]] const l3_book& book() const noexcept { return book_; }

    static constexpr std::size_t max_kept_mismatches = 20; ///< Mismatching levels kept for the report.

private:
    bool compare(const lobster_book_row& row) noexcept {
        const bool bids_ok = compare_side(side::buy, row.bids);  // both sides, so both are reported
        const bool asks_ok = compare_side(side::sell, row.asks);
        const bool ok = bids_ok && asks_ok;
        if (!ok) ++mismatched_rows_;
        return ok;
    }

    bool compare_side(side s, const std::vector<book_level>& want) noexcept {
        const std::size_t have = book_.depth(s);
        const std::size_t want_n = want.size() < depth_ ? want.size() : depth_;
        const std::size_t n = have > want_n ? have : want_n;
        bool ok = true;
        for (std::size_t k = 0; k < n; ++k) {
            const book_level a = k < have ? book_level{book_.level(s, k).px, book_.level(s, k).size} : book_level{};
            const book_level w = k < want_n ? want[k] : book_level{};
            if (a.px != w.px || a.size != w.size) {
                ok = false;
                if (mismatches_.size() < max_kept_mismatches) {
                    mismatches_.push_back(lobster_mismatch{rows_ - 1, s, k, w, a});  // reserved: cannot throw
                }
            }
        }
        return ok;
    }

    l3_book book_;
    std::size_t depth_;
    std::size_t rows_ = 0;
    std::size_t mismatched_rows_ = 0;
    std::size_t slid_in_ = 0;
    std::size_t rejected_ = 0;
    std::vector<lobster_mismatch> mismatches_;
};

} // namespace v0
} // namespace pinnacle
