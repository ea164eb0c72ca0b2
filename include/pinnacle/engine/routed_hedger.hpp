#pragma once
/// @file engine/routed_hedger.hpp
/// Sends a market maker's auto-hedge intents (engine/market_maker.hpp, hedge_sink) through a Router
/// to hedge venues, and books the hedge fills back into the engine's ledger.

#include <cstddef>
#include <cstdint>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/routing_session.hpp"
#include "pinnacle/venue/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Routes auto-hedge intents as parent orders (hedge_parent: the intent's side and size, its
/// price as arrival, limit = price +/- `band` ticks, deadline = intent time + `ttl` ns) through
/// Router `R` over hedge venues, one parent at a time: an intent that arrives while a hedge is
/// still working is dropped and counted (the engine emits a fresh one, sized from its position
/// then, at its next fill beyond the threshold). Hedge fills go to `Engine::on_hedge_fill`, so the
/// engine's position falls as the hedge executes. Usage: build the hedger, pass `sink()` to the
/// market_maker, `attach()` the engine, then call `step(now)` as time passes (e.g. per event).
/// noexcept, no allocation. Thread-safety: one thread.
template <class Engine, class R, class V, DepthView Book, std::size_t MaxVenues, std::size_t Depth = 10>
    requires Router<R> && Venue<V>
class routed_hedger {
public:
    /// A hedger that routes with `router`; limits hedges to `band` ticks beyond the intent's price
    /// and gives each `ttl` ns to complete.
    routed_hedger(R& router, price band, duration ttl) noexcept : session_(router), band_(band), ttl_(ttl) {
        session_.set_report_sink(routed_report_sink{&on_report, this});
    }

    routed_hedger(const routed_hedger&) = delete;            ///< The sinks point at this object.
    routed_hedger& operator=(const routed_hedger&) = delete; ///< The sinks point at this object.

    /// Adds a hedge venue (see routing_session::add_venue). Errors: book_full.
    [[nodiscard]] status add_venue(V& venue, const Book& book, const venue_costs& costs) noexcept {
        return session_.add_venue(venue, book, costs);
    }

    /// The engine whose hedge fills are booked (may be attached after the engine got sink()).
    void attach(Engine& engine) noexcept { engine_ = &engine; }

    /// The hedge_sink to give the market_maker; it refers to this object.
    [[nodiscard]] hedge_sink sink() noexcept { return hedge_sink{&on_intent, this}; }

    /// Drives the current hedge at time `now` (ns): reports in, fills booked, children out.
    void step(timestamp now) noexcept {
        if (!busy_) return;
        (void)session_.step(now);
        if (is_done(session_.state()) && settled()) busy_ = false;
    }

    /// True while a hedge parent is working (or its children's last reports are outstanding).
    [[nodiscard]] bool busy() const noexcept { return busy_; }
    /// Hedge parents started.
    [[nodiscard]] std::size_t started() const noexcept { return started_; }
    /// Intents dropped because a hedge was still working.
    [[nodiscard]] std::size_t dropped() const noexcept { return dropped_; }
    /// Lots filled by hedge children (all parents).
    [[nodiscard]] qty filled() const noexcept { return filled_; }
    /// The routing session (counters, venues, the consolidated view).
    [[nodiscard]] const routing_session<R, V, Book, MaxVenues, Depth>& session() const noexcept { return session_; }

private:
    // Done once no child can still report: routers with a tracker say so; others once done.
    [[nodiscard]] bool settled() const noexcept {
        if constexpr (requires(const R& r) { r.tracker().working(); }) return session_.router().tracker().working().lots() == 0;
        return true;
    }

    static void on_intent(void* ctx, const order_intent& h) noexcept {
        auto& self = *static_cast<routed_hedger*>(ctx);
        if (self.busy_) {
            ++self.dropped_;
            return;
        }
        self.session_.start(hedge_parent(h, self.band_, self.ttl_));
        self.busy_ = true;
        ++self.started_;
    }

    static void on_report(void* ctx, std::uint32_t, const execution_report& r) noexcept {
        auto& self = *static_cast<routed_hedger*>(ctx);
        if (r.type != exec_type::fill) return;
        self.filled_ += r.last_qty;
        if (self.engine_ != nullptr) self.engine_->on_hedge_fill(r);
    }

    routing_session<R, V, Book, MaxVenues, Depth> session_;
    Engine* engine_ = nullptr;
    price band_;
    duration ttl_;
    bool busy_ = false;
    std::size_t started_ = 0;
    std::size_t dropped_ = 0;
    qty filled_{};
};

} // namespace v0
} // namespace pinnacle
