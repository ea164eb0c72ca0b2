#pragma once
/// @file route/scheduled_router.hpp
/// scheduled_router, the router core every algorithm shares, and the five routers: BEST_PRICE and
/// LIQUIDITY_SWEEP (split across venues now), TWAP, VWAP and Almgren–Chriss (split over time, each
/// due slice routed by best price).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/controls.hpp"
#include "pinnacle/route/largest_remainder.hpp"
#include "pinnacle/route/parent_tracker.hpp"
#include "pinnacle/route/schedules.hpp"
#include "pinnacle/route/venue_split.hpp"

namespace pinnacle {
inline namespace v0 {

/// Router core shared by every algorithm: the parent tracker, the controls, child ids and the
/// venue split. `Scheduler` decides how many lots are due at `now` (see immediate_schedule,
/// twap_scheduler, vwap_scheduler, almgren_chriss_scheduler); the due lots not yet filled nor
/// working are split across venues by `rule`. Fixed capacity: MaxVenues venue indices,
/// MaxChildren working children, MaxSlices schedule slices. Thread-safety: one thread. Satisfies Router.
template <class Scheduler, split_rule Rule, std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices = 1>
class scheduled_router {
public:
    /// A router with these controls and scheduler settings.
    explicit scheduled_router(route_controls c = {}, Scheduler sch = {}) noexcept
        : controls_(c), sched_(sch), next_id_(c.first_child_id) {}

    /// See Router. Starts a new parent when p.id is not the tracked one (builds its schedule). Sends
    /// nothing before p.start, at or after p.deadline, or once the parent is done. Children are IOC
    /// at the deepest price they take; none is priced beyond the effective limit (limit and
    /// slippage), none takes a venue beyond max_venue_share, and lots filled + working never exceed
    /// the parent's total.
    std::size_t plan(const parent_order& p, std::span<const venue_quote> venues, timestamp now,
                     std::span<child_order> out) noexcept {
        if (!tracker_.tracking(p.id)) begin(p);
        const parent_order& par = tracker_.parent();
        if (is_done(tracker_.state()) || now < par.start || now >= par.deadline || out.empty()) return 0;
        qty due = par.total;
        if constexpr (!Scheduler::immediate) {
            due = qty{0};
            for (std::size_t i = 0; i < n_slices_ && slices_[i].at <= now; ++i) due += slices_[i].size;
        }
        qty want = due - tracker_.filled() - tracker_.working();
        want = std::min(want, tracker_.unallocated());
        if (want.lots() <= 0) return 0;
        // Room and busy lots come from the tracker, for the venues present only (as split_across_venues'
        // room / busy arrays would give them). With nothing filled nor working (a parent's first
        // plan) every venue's used and working lots are 0 (never negative, they sum to filled +
        // working): room is the cap everywhere and nothing is busy, so the split needs no lookups.
        const std::int64_t cap = venue_cap_;
        std::array<qty, MaxVenues> take;  // all 0 (qty's default), as the split requires
        std::array<price, MaxVenues> worst;
        const double penalty = controls_.latency_penalty_ticks_per_ms;
        if (tracker_.filled().lots() == 0 && tracker_.working().lots() == 0) {
            const qty room{std::max<std::int64_t>(0, cap)};
            (void)detail::split<MaxVenues>(
                Rule, par.side, want, limit_, venues, [room](std::uint32_t) { return room; },
                [](std::uint32_t) { return qty{0}; }, penalty, take, worst);
        } else {
            (void)detail::split<MaxVenues>(
                Rule, par.side, want, limit_, venues,
                [this, cap](std::uint32_t v) { return qty{std::max<std::int64_t>(0, cap - tracker_.venue_used(v).lots())}; },
                [this](std::uint32_t v) { return tracker_.venue_working(v); }, penalty, take, worst);
        }
        std::size_t k = 0;
        const std::size_t nv = std::min(venues.size(), MaxVenues);
        for (std::size_t i = 0; i < nv && k < out.size(); ++i) {
            if (take[i].lots() <= 0) continue;
            // Fields are written one by one (no temporary child_order): copying a just-built struct
            // with wide loads stalls on store forwarding, which dominated this loop's cost.
            child_order& c = out[k];
            c.id = order_id{next_id_};
            c.venue = venues[i].venue;
            c.side = par.side;
            c.px = worst[i];
            c.size = take[i];
            c.tif = time_in_force::ioc;
            c.send_at = now;
            if (!tracker_.add_child(c.id, c.venue, c.size)) break;  // MaxChildren working: the rest waits
            ++next_id_;
            ++k;
        }
        return k;
    }

    /// See Router.
    parent_state on_child_report(const execution_report& r) noexcept { return tracker_.on_report(r); }
    /// See Router.
    std::size_t on_timer(timestamp now, std::span<order_id> cancels) noexcept { return tracker_.on_timer(now, cancels); }
    /// Cancels the parent; writes the working children's ids to `cancels`, returns how many.
    std::size_t cancel(std::span<order_id> cancels) noexcept { return tracker_.cancel(cancels); }
    /// See Router.
    [[nodiscard]] parent_state state() const noexcept { return tracker_.state(); }
    /// The parent tracker (filled, average price, shortfall).
    [[nodiscard]] const parent_tracker<MaxVenues, MaxChildren>& tracker() const noexcept { return tracker_; }
    /// The current parent's schedule (empty for immediate algorithms).
    [[nodiscard]] std::span<const slice> schedule() const noexcept { return {slices_.data(), n_slices_}; }
    /// The controls.
    [[nodiscard]] const route_controls& controls() const noexcept { return controls_; }

private:
    void begin(const parent_order& p) noexcept {
        tracker_.reset(p);
        // Per-parent constants: the effective limit, and the venue cap floor(clamp(max_venue_share,
        // 0, 1) x total) lots (a NaN share counts as 0).
        limit_ = effective_limit(p, controls_);
        const double share = controls_.max_venue_share > 0.0 ? std::min(controls_.max_venue_share, 1.0) : 0.0;
        venue_cap_ = detail::floor_to_int(share * static_cast<double>(p.total.lots()));
        n_slices_ = 0;
        if constexpr (!Scheduler::immediate) n_slices_ = sched_.build(p, std::span<slice>(slices_));
    }

    route_controls controls_;
    Scheduler sched_;
    parent_tracker<MaxVenues, MaxChildren> tracker_{};
    std::array<slice, MaxSlices> slices_{};
    std::size_t n_slices_ = 0;
    std::uint64_t next_id_ = 1;
    price limit_{};             // effective_limit of the current parent
    std::int64_t venue_cap_ = 0; // most lots of the current parent at one venue (max_venue_share)
};

/// BEST_PRICE: the whole parent at once, greedy over the best fee- and latency-adjusted levels
/// across venues up to the limit; what finds no liquidity is tried again at the next plan().
template <std::size_t MaxVenues, std::size_t MaxChildren>
using best_price_router = scheduled_router<immediate_schedule, split_rule::best_price, MaxVenues, MaxChildren>;

/// LIQUIDITY_SWEEP: IOC children at every venue at once for all visible liquidity up to the limit
/// (pro rata by venue liquidity when it exceeds the parent).
template <std::size_t MaxVenues, std::size_t MaxChildren>
using liquidity_sweep_router = scheduled_router<immediate_schedule, split_rule::pro_rata, MaxVenues, MaxChildren>;

/// TWAP: equal (optionally randomised) slices over [start, deadline); each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using twap_router = scheduled_router<twap_scheduler, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

/// VWAP: slices proportional to a volume profile; each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using vwap_router = scheduled_router<vwap_scheduler<MaxSlices>, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

/// MARKET_IMPACT: Almgren–Chriss optimal liquidation slices; each due slice by best price.
template <std::size_t MaxVenues, std::size_t MaxChildren, std::size_t MaxSlices>
using almgren_chriss_router = scheduled_router<almgren_chriss_scheduler, split_rule::best_price, MaxVenues, MaxChildren, MaxSlices>;

static_assert(Router<best_price_router<4, 8>>, "best_price_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<liquidity_sweep_router<4, 8>>, "liquidity_sweep_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<twap_router<4, 8, 16>>, "twap_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<vwap_router<4, 8, 16>>, "vwap_router must satisfy Router (route/concepts.hpp)");
static_assert(Router<almgren_chriss_router<4, 8, 16>>, "almgren_chriss_router must satisfy Router (route/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
