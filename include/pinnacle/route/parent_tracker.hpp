#pragma once
/// @file route/parent_tracker.hpp
/// Book-keeping of one parent order: its working children, filled quantity, average price, fees,
/// state, quantity per venue, and implementation shortfall against the arrival price.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Tracks one parent order and up to MaxChildren working children on venues 0..MaxVenues-1.
/// Fixed capacity, noexcept, no allocation. Thread-safety: one thread.
template <std::size_t MaxVenues, std::size_t MaxChildren>
class parent_tracker {
    static_assert(MaxVenues >= 1 && MaxChildren >= 1, "parent_tracker needs room for a venue and a child");

public:
    /// Forgets everything and starts tracking `p` (state working).
    void reset(const parent_order& p) noexcept {
        // Field by field: a parent the caller has just built is still in the store buffer, and a
        // whole-struct copy (16-byte loads over 8-byte stores) stalls on store forwarding.
        parent_.id = p.id;
        parent_.side = p.side;
        parent_.total = p.total;
        parent_.limit = p.limit;
        parent_.arrival = p.arrival;
        parent_.urgency = p.urgency;
        parent_.start = p.start;
        parent_.deadline = p.deadline;
        used_ = live_ = 0;  // every slot is free again; no need to touch the records
        venue_used_.fill(qty{0});
        venue_working_.fill(qty{0});
        filled_ = working_ = qty{0};
        paid_ = fees_ = notional{0};
        state_ = parent_state::working;
        active_ = true;
    }

    /// True when a parent with this id is being tracked.
    [[nodiscard]] bool tracking(order_id id) const noexcept { return active_ && parent_.id == id; }
    /// The tracked parent.
    [[nodiscard]] const parent_order& parent() const noexcept { return parent_; }
    /// The parent's state.
    [[nodiscard]] parent_state state() const noexcept { return state_; }
    /// Lots filled so far.
    [[nodiscard]] qty filled() const noexcept { return filled_; }
    /// Lots in children still working (sent, neither filled nor cancelled).
    [[nodiscard]] qty working() const noexcept { return working_; }
    /// Lots not yet filled nor working: what a router may still send (>= 0).
    [[nodiscard]] qty unallocated() const noexcept {
        const qty r = parent_.total - filled_ - working_;
        return r.lots() > 0 ? r : qty{0};
    }
    /// Lots filled plus working at venue v (0 for v >= MaxVenues).
    [[nodiscard]] qty venue_used(std::size_t v) const noexcept { return v < MaxVenues ? venue_used_[v] : qty{0}; }
    /// Lots working (sent, not yet filled nor cancelled) at venue v (0 for v >= MaxVenues).
    [[nodiscard]] qty venue_working(std::size_t v) const noexcept { return v < MaxVenues ? venue_working_[v] : qty{0}; }
    /// Sum of fill price x fill qty, tick-lots.
    [[nodiscard]] notional paid() const noexcept { return paid_; }
    /// Sum of fees reported on fills, tick-lots (negative = rebates).
    [[nodiscard]] notional fees() const noexcept { return fees_; }
    /// Number of children currently working.
    [[nodiscard]] std::size_t working_children() const noexcept { return live_; }

    /// Volume-weighted average fill price, ticks: paid / filled (0 when nothing filled).
    [[nodiscard]] double average_price() const noexcept {
        return filled_.lots() > 0 ? static_cast<double>(paid_.tick_lots()) / static_cast<double>(filled_.lots()) : 0.0;
    }

    /// Implementation shortfall of the filled part against the arrival price, bps (positive = cost):
    /// sign x (paid [+ fees] - arrival x filled) / (arrival x filled) x 10,000, sign = +1 buy, -1 sell;
    /// fees always count as a cost. Perold (1988), "The implementation shortfall: paper versus
    /// reality", J. Portfolio Management 14(3), execution-cost part (the opportunity cost of the
    /// unfilled part is opportunity_cost_bps). 0 when nothing filled or arrival <= 0.
    [[nodiscard]] double shortfall_bps(bool include_fees = true) const noexcept {
        if (filled_.lots() <= 0 || parent_.arrival.ticks() <= 0) return 0.0;
        const double bench = static_cast<double>(parent_.arrival.ticks()) * static_cast<double>(filled_.lots());
        const double diff = static_cast<double>(sign(parent_.side)) * (static_cast<double>(paid_.tick_lots()) - bench) +
                            (include_fees ? static_cast<double>(fees_.tick_lots()) : 0.0);
        return diff / bench * 10'000.0;
    }

    /// Opportunity cost of the unfilled lots marked at `mark`, bps of the parent's arrival notional:
    /// sign x (mark - arrival) x unfilled / (arrival x total) x 10,000 (Perold 1988). 0 if arrival <= 0.
    [[nodiscard]] double opportunity_cost_bps(price mark) const noexcept {
        if (parent_.arrival.ticks() <= 0 || parent_.total.lots() <= 0) return 0.0;
        const double unfilled = static_cast<double>((parent_.total - filled_).lots());
        return static_cast<double>(sign(parent_.side)) * static_cast<double>((mark - parent_.arrival).ticks()) * unfilled /
               (static_cast<double>(parent_.arrival.ticks()) * static_cast<double>(parent_.total.lots())) * 10'000.0;
    }

    /// Records a child that was sent. False (nothing recorded) when MaxChildren are working, the
    /// venue index is >= MaxVenues, or the size is not positive.
    [[nodiscard]] bool add_child(const child_order& c) noexcept { return add_child(c.id, c.venue, c.size); }

    /// Records a child `id` of `size` lots sent to `venue`; as add_child(const child_order&).
    [[nodiscard]] bool add_child(order_id id, std::uint32_t venue, qty size) noexcept {
        if (venue >= MaxVenues || size.lots() <= 0) return false;
        std::size_t i = used_;
        if (live_ < used_) {  // a slot below the high-water mark was freed: reuse the first one
            i = 0;
            while (kids_[i].leaves.lots() > 0) ++i;
        } else if (used_ == MaxChildren) {
            return false;
        } else {
            ++used_;
        }
        record& k = kids_[i];
        k.id = id;
        k.venue = venue;
        k.leaves = size;
        ++live_;
        working_ += size;
        venue_used_[venue] += size;
        venue_working_[venue] += size;
        return true;
    }

    /// Applies a child's report: fill (last_qty at last_px, fee) reduces its leaves and adds to filled;
    /// canceled / rejected frees its leaves; replaced sets its leaves to leaves_qty. Reports for
    /// unknown ids are ignored. Returns the parent's state (filled once filled >= total; cancelled and
    /// expired stay as they are, but late fills still count).
    parent_state on_report(const execution_report& r) noexcept {
        // Acks and cancel-rejects change nothing here: skip the child lookup for them.
        if (!active_ || r.type == exec_type::new_ack || r.type == exec_type::cancel_rejected) return state_;
        record* k = find(r.cl_ord_id);
        if (k == nullptr) return state_;
        switch (r.type) {
            case exec_type::fill: {
                const qty q = r.last_qty < k->leaves ? r.last_qty : k->leaves;
                if (q.lots() <= 0) break;
                k->leaves -= q;
                if (k->leaves.lots() <= 0) retire();
                working_ -= q;
                venue_working_[k->venue] -= q;
                filled_ += q;
                // No overflow within the bounds (core/bounds.hpp): the fills' lots add up to at most
                // the parent's total (q <= leaves), and a venue fills at 1..10^10 ticks, so paid_
                // stays <= 10^10 x total, <= 10^18 tick-lots for a total up to bounds::max_qty_lots.
                paid_ += r.last_px * q;
                fees_ += r.fee;
                break;
            }
            case exec_type::canceled:
            case exec_type::rejected: free(*k, k->leaves); break;
            case exec_type::replaced:
                if (r.leaves_qty < k->leaves) free(*k, k->leaves - (r.leaves_qty.lots() > 0 ? r.leaves_qty : qty{0}));
                break;
            case exec_type::new_ack:
            case exec_type::cancel_rejected: break;
        }
        if (filled_ >= parent_.total) state_ = parent_state::filled;
        else if (!is_done(state_) && filled_.lots() > 0) state_ = parent_state::partially_filled;
        return state_;
    }

    /// At or after the deadline, an unfinished parent becomes expired and the ids of its working
    /// children are written to `cancels` (as many as fit); returns how many were written. The
    /// children stay tracked until their cancel (or fill) reports arrive.
    std::size_t on_timer(timestamp now, std::span<order_id> cancels) noexcept {
        if (!active_ || is_done(state_) || now < parent_.deadline) return 0;
        state_ = parent_state::expired;
        return list_working(cancels);
    }

    /// The owner cancels the parent: state cancelled, working children's ids written to `cancels`.
    std::size_t cancel(std::span<order_id> cancels) noexcept {
        if (!active_ || is_done(state_)) return 0;
        state_ = parent_state::cancelled;
        return list_working(cancels);
    }

private:
    struct record {
        order_id id;
        std::uint32_t venue = 0;
        qty leaves;  // 0 = free slot (and every slot at or above used_ is free)
    };
    // Only slots below used_ can hold a working child (leaves > 0); slots at or above it are free
    // whatever they contain, so reset() is O(1) and add_child() appends without a scan unless a
    // slot below the mark was freed (live_ < used_).
    record* find(order_id id) noexcept {
        for (std::size_t i = 0; i < used_; ++i)
            if (kids_[i].leaves.lots() > 0 && kids_[i].id == id) return &kids_[i];
        return nullptr;
    }
    // A child's leaves just reached 0: one working child fewer; with none left, every slot is free.
    void retire() noexcept {
        if (--live_ == 0) used_ = 0;
    }
    void free(record& k, qty q) noexcept {
        k.leaves -= q;
        if (k.leaves.lots() <= 0) retire();
        working_ -= q;
        venue_used_[k.venue] -= q;
        venue_working_[k.venue] -= q;
    }
    std::size_t list_working(std::span<order_id> out) const noexcept {
        std::size_t n = 0;
        for (std::size_t i = 0; i < used_ && n < out.size(); ++i)
            if (kids_[i].leaves.lots() > 0) out[n++] = kids_[i].id;
        return n;
    }

    parent_order parent_{};
    std::array<record, MaxChildren> kids_{};
    std::size_t used_ = 0;  // high-water mark: slots [used_, MaxChildren) are free
    std::size_t live_ = 0;  // working children (records below used_ with leaves > 0)
    std::array<qty, MaxVenues> venue_used_{};
    std::array<qty, MaxVenues> venue_working_{};
    qty filled_{};
    qty working_{};
    notional paid_{};
    notional fees_{};
    parent_state state_ = parent_state::working;
    bool active_ = false;
};

} // namespace v0
} // namespace pinnacle
