#pragma once
/// @file engine/run_loop.hpp
/// One run loop for replay and live: pulls events from any EventSource, reads a Clock, and drives
/// a market_maker's three entry points (market events, reports, timers) in time order, with named
/// hooks for what an application adds (operator actions at set times, a book fix-up, progress,
/// stop requests). See docs/engine.md.

#include <concepts>
#include <cstddef>
#include <cstdint>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/feed/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// A Clock tells the loop what time it is: `c.now() noexcept -> timestamp` (ns since the Unix
/// epoch, UTC, non-decreasing). In replay it is the event time; live it is the wall clock.
template <class C>
concept Clock = requires(C& c) {
    { c.now() } noexcept -> std::same_as<timestamp>;
};

/// Replay clock: the time of the latest event the loop has seen (deterministic; no wall clock).
/// Thread-safety: one thread.
class event_clock {
public:
    /// The latest event time seen (ns; INT64_MIN before the first event).
    [[nodiscard]] timestamp now() const noexcept { return now_; }
    /// Moves the clock to `t` if that is later.
    void observe(timestamp t) noexcept {
        if (t > now_) now_ = t;
    }

private:
    timestamp now_{INT64_MIN};
};

/// Settings of a run loop.
struct run_options {
    /// Period of on_timer calls (ns of the clock; 0 = none). In replay, timers fire at exact
    /// multiples of the period (from the first event's time) before the first event after them.
    duration timer_period{0};
    /// Resuming a run part-way (a journal snapshot): the next periodic tick is already due at this
    /// time (ns) instead of one period after the first event. INT64_MIN: a fresh run.
    timestamp resume_tick{INT64_MIN};
};

/// What a run did.
struct run_stats {
    std::size_t events = 0; ///< Market events delivered to the engine.
    std::size_t idles = 0;  ///< Pulls that gave nothing yet (live sources only).
    std::size_t timers = 0; ///< on_timer calls (periodic and deadlines).
    bool stopped = false;   ///< The hooks asked to stop before the end of the stream.
};

/// The hooks a run loop calls; every one is optional, detected at compile time (an application
/// supplies a struct with the ones it needs). All must be noexcept. `E` is the engine type.
/// - `h.next_deadline() -> timestamp`: the next time something is scheduled (e.g. a kill switch at
///   10:00:00); INT64_MAX when nothing is. The loop calls `h.on_deadline(t, engine)` then
///   `engine.on_timer(t)` before the first event after t (replay) or once the clock passes t (live).
/// - `h.before_event(event, engine)`: before the engine sees the event.
/// - `h.after_apply(event, book)`: right after the book applied it (the engine's fix-up slot, e.g.
///   LOBSTER row reconciliation); may change the book.
/// - `h.after_event(event, engine)`: after the engine handled it (progress bars, sampling).
/// - `h.on_idle(engine)`: the source had nothing yet (live): e.g. poll sockets, sleep a little.
/// - `h.stop_requested() -> bool`: checked after each pull; true ends the run (SIGINT, duration).
struct no_run_hooks {};

namespace run_detail {
template <class H>
[[nodiscard]] timestamp next_deadline(H& h) noexcept {
    if constexpr (requires { { h.next_deadline() } noexcept -> std::same_as<timestamp>; }) return h.next_deadline();
    else return timestamp{INT64_MAX};
}
template <class H, class E>
void on_deadline(H& h, timestamp t, E& mm) noexcept {
    if constexpr (requires { h.on_deadline(t, mm); }) h.on_deadline(t, mm);
}
template <class H>
[[nodiscard]] bool stop_requested(H& h) noexcept {
    if constexpr (requires { { h.stop_requested() } noexcept -> std::same_as<bool>; }) return h.stop_requested();
    else return false;
}
template <class C>
void observe(C& clock, timestamp t) noexcept {
    if constexpr (requires { clock.observe(t); }) clock.observe(t);
}
} // namespace run_detail

/// Runs `mm` on `src` until the stream ends or a hook asks to stop; returns what it did. Replay
/// (a source that never answers idle, an event_clock) is deterministic. Per pull:
/// - an event e: every deadline and periodic timer due at or before e.ts fires first (the hook's
///   on_deadline, then mm.on_timer(t)), in time order; then before_event, mm.on_event (with
///   after_apply as the book fix-up), after_event;
/// - nothing yet (live): due timers fire at clock.now(), mm.on_reports(now), then on_idle;
/// - the end: mm.finish() delivers every report still in flight (replay semantics); a live
///   application pulls its quotes and waits for the venue itself before calling finish.
/// Exceptions from the source (parse errors) propagate; the engine never throws.
/// `mm` needs on_event(e, fixup), on_reports(now), on_timer(now) and finish(): market_maker has them.
template <EventSource Src, Clock Clk, class Engine, class Hooks = no_run_hooks>
run_stats run(Src& src, Clk& clock, Engine& mm, Hooks& hooks, run_options opt = {}) {
    run_stats st;
    market_event ev{};
    timestamp next_tick{INT64_MAX};
    bool ticking = false;
    if (opt.resume_tick.ns() != INT64_MIN && opt.timer_period.ns() > 0) {
        ticking = true;
        next_tick = opt.resume_tick;
    }
    // Fires, in time order, every deadline and periodic tick due at or before `t`.
    auto fire_due = [&](timestamp t) noexcept {
        for (;;) {
            const timestamp d = run_detail::next_deadline(hooks);
            const timestamp next = d < next_tick ? d : next_tick;
            if (next > t || next.ns() == INT64_MAX) return;
            if (next == d) run_detail::on_deadline(hooks, d, mm);
            if (next == next_tick) next_tick = next_tick + opt.timer_period;
            mm.on_timer(next);
            ++st.timers;
        }
    };
    for (;;) {
        const pull_result p = src.next(ev);
        if (p == pull::event) {
            if (!ticking && opt.timer_period.ns() > 0) {
                ticking = true;
                next_tick = ev.ts + opt.timer_period;
            }
            fire_due(ev.ts);
            run_detail::observe(clock, ev.ts);
            if constexpr (requires { hooks.before_event(ev, mm); }) hooks.before_event(ev, mm);
            mm.on_event(ev, [&](auto& book) noexcept {
                if constexpr (requires { hooks.after_apply(ev, book); }) hooks.after_apply(ev, book);
            });
            ++st.events;
            if constexpr (requires { hooks.after_event(ev, mm); }) hooks.after_event(ev, mm);
        } else if (p == pull::idle) {
            ++st.idles;
            const timestamp now = clock.now();
            fire_due(now);
            mm.on_reports(now);
            if constexpr (requires { hooks.on_idle(mm); }) hooks.on_idle(mm);
        } else {
            mm.finish();
            return st;
        }
        if (run_detail::stop_requested(hooks)) {
            st.stopped = true;
            return st;
        }
    }
}

/// run() without hooks.
template <EventSource Src, Clock Clk, class Engine>
run_stats run(Src& src, Clk& clock, Engine& mm, run_options opt = {}) {
    no_run_hooks none;
    return run(src, clock, mm, none, opt);
}

} // namespace v0
} // namespace pinnacle
