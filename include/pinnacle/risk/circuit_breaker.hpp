#pragma once
/// @file risk/circuit_breaker.hpp
/// A market circuit breaker: CLOSED (trading) -> OPEN (no orders) when the market turns disorderly
/// or the venue slows down, HALF_OPEN (a few probe orders) after a cooldown, and CLOSED again after
/// a probe period with no new trigger. Its RiskCheck adaptor is in risk/circuit_breaker_check.hpp.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string_view>
#include <utility>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/ring_buffer.hpp"
#include "pinnacle/risk/breaker_types.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

namespace breaker_detail {

/// a + b, saturated to the int64 range (ns arithmetic near the end of time must not wrap).
[[nodiscard]] constexpr std::int64_t sat_add(std::int64_t a, std::int64_t b) noexcept {
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    if (b > 0 && a > hi - b) return hi;
    if (b < 0 && a < lo - b) return lo;
    return a + b;
}

} // namespace breaker_detail

/// Circuit breaker on market conditions and venue latency. Thread-safety: one thread.
///
/// States and timing (all in event time, ns; never a wall clock). A trigger at t opens the breaker:
/// OPEN over [t, t + cooldown), HALF_OPEN over [t + cooldown, t + cooldown + probe_period), then
/// CLOSED. So exactly at t + cooldown the state is already HALF_OPEN, and exactly at the end of the
/// probe period it is CLOSED. A trigger while HALF_OPEN opens it again (a new cooldown from that
/// trigger, a fresh probe budget later); a trigger while OPEN restarts the cooldown from that
/// trigger (no transition is recorded). Timed transitions happen lazily, on the next call that takes
/// a time (every member below does), and are recorded with the time they took effect, not the time
/// of the call. reset() closes the breaker by hand.
///
/// Triggers (each off while its threshold is 0):
/// - price_move: on each two-sided snapshot, with m = bid + ask (twice the mid, in ticks, so exact),
///   trip when |m - r| / r > price_move_bps / 10^4 for some r among the mids seen less than
///   price_window ago. The worst r is the window's min or max, kept in two monotonic deques of
///   price_samples entries (strictly monotone runs of distinct mids). Approximation: if a deque is
///   full, its newest entry is replaced, so the current window extreme stays exact but a mid between
///   it and the newest may be forgotten; counted in price_window_overflows().
/// - spread_widening: spread s = ask - bid (ticks) against a time-weighted EWMA of the spread (each
///   spread weighted by how long it was held, time constant spread_tau); trip when
///   s > spread_multiple * baseline and s > min_spread_ticks, once spread_warmup of market time was
///   observed. The new spread is compared with the baseline before it joins it; anomalous spreads
///   do join it, so a lasting regime change stops tripping after about spread_tau.
/// - volume_spike: on each on_trade, L = lots traded less than volume_window ago; trip when
///   L > volume_multiple * B and L > volume_min_lots, with B the EWMA (weight volume_alpha) of the
///   volume of consecutive tumbling windows of volume_window ns (from the first trade; empty windows
///   count as 0), once volume_warmup_windows windows completed. Approximation: if the trade ring is
///   full, a trade is merged into the newest entry (which then expires later): L can only be
///   overestimated, counted in trade_ring_merges().
/// - latency: on_ack_latency with a latency > max_ack_latency.
/// - market_crisis: signal_crisis(); manual: trip().
/// A snapshot or trade older than the previous one is treated as arriving at the previous time.
///
/// Hot path: is_closed(now) is one compare of `now` with a stored time; allows_order(now) is one
/// compare of the state while CLOSED (the time matters only while OPEN or HALF_OPEN). No member but the constructor and
/// set_observer() allocates or throws. Move-only (it owns its rings).
class circuit_breaker {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const circuit_breaker_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (c.cooldown.ns() < 0) return "circuit_breaker_config.cooldown must be >= 0";
        if (c.probe_period.ns() < 0) return "circuit_breaker_config.probe_period must be >= 0";
        if (c.max_ack_latency.ns() < 0) return "circuit_breaker_config.max_ack_latency must be >= 0";
        if (c.history_capacity == 0) return "circuit_breaker_config.history_capacity must be >= 1";
        // Written as !(in range) so that NaN fails too.
        if (!(c.price_move_bps >= 0.0 && c.price_move_bps <= max))
            return "circuit_breaker_config.price_move_bps must be finite and >= 0";
        if (c.price_move_bps > 0.0) {
            if (c.price_window.ns() <= 0) return "circuit_breaker_config.price_window must be > 0";
            if (c.price_samples == 0) return "circuit_breaker_config.price_samples must be >= 1";
        }
        if (!(c.spread_multiple >= 0.0 && c.spread_multiple <= max))
            return "circuit_breaker_config.spread_multiple must be finite and >= 0";
        if (c.spread_multiple > 0.0) {
            if (c.spread_tau.ns() <= 0) return "circuit_breaker_config.spread_tau must be > 0";
            if (c.spread_warmup.ns() < 0) return "circuit_breaker_config.spread_warmup must be >= 0";
            if (c.min_spread_ticks < 0) return "circuit_breaker_config.min_spread_ticks must be >= 0";
        }
        if (!(c.volume_multiple >= 0.0 && c.volume_multiple <= max))
            return "circuit_breaker_config.volume_multiple must be finite and >= 0";
        if (c.volume_multiple > 0.0) {
            if (c.volume_window.ns() <= 0) return "circuit_breaker_config.volume_window must be > 0";
            if (!(c.volume_alpha > 0.0 && c.volume_alpha <= 1.0))
                return "circuit_breaker_config.volume_alpha must be in (0, 1]";
            if (c.volume_min_lots < 0) return "circuit_breaker_config.volume_min_lots must be >= 0";
            if (c.trade_samples == 0) return "circuit_breaker_config.trade_samples must be >= 1";
        }
        return {};
    }

    /// A breaker with default settings (every market trigger off). Allocates its rings.
    circuit_breaker() : circuit_breaker(circuit_breaker_config{}) {}

    /// A breaker with settings `c`; allocates its rings (the only allocation) and throws
    /// std::invalid_argument (aborts without exceptions) if `check(c)` reports a problem.
    explicit circuit_breaker(const circuit_breaker_config& c)
        : cfg_(validated(c)),
          price_min_(c.price_move_bps > 0.0 ? c.price_samples : 1),
          price_max_(c.price_move_bps > 0.0 ? c.price_samples : 1),
          trades_(c.volume_multiple > 0.0 ? c.trade_samples : 1),
          history_(c.history_capacity) {}

    /// Sets the function called on every transition (setup time: assigning may allocate; invoking
    /// does not). It may read the breaker but must not call its mutating members. With exceptions
    /// enabled, an exception it throws is caught and counted in observer_errors().
    void set_observer(std::function<void(const breaker_transition&)> f) { observer_ = std::move(f); }

    // ---- hot path -------------------------------------------------------------------------------

    /// True when the breaker is CLOSED at `now` (ns), given every call so far. Pure (records
    /// nothing, so a due timed transition is recorded later) and one compare: the fast path.
    [[nodiscard]] bool is_closed(timestamp now) const noexcept { return now.ns() >= closed_from_ns_; }

    /// May an order go out at `now` (ns)? CLOSED: yes. OPEN: no. HALF_OPEN: yes while probes
    /// remain, consuming one. Advances timed transitions.
    [[nodiscard]] bool allows_order(timestamp now) noexcept {
        // While CLOSED no timed transition is pending (only a trigger leaves CLOSED): no time needed.
        if (state_ == breaker_state::closed) [[likely]] return true;
        return allows_order_slow(now.ns());
    }

    /// The state at `now` (ns), after recording any timed transition due by then.
    [[nodiscard]] breaker_state state(timestamp now) noexcept {
        advance(now.ns());
        return state_;
    }

    // ---- inputs ---------------------------------------------------------------------------------

    /// Feeds a top-of-book snapshot (price-move and spread triggers; one-sided snapshots only advance
    /// time, and so do prices outside 1..bounds::max_price_ticks, which no book within the bounds shows).
    void on_market(const market_snapshot& m) noexcept {
        const std::int64_t t = m.ts.ns();
        advance(t);
        if (!m.has_bid || !m.has_ask) return;
        const std::int64_t bid = m.best_bid.ticks();
        const std::int64_t ask = m.best_ask.ticks();
        // Within the bounds bid + ask <= 2 x 10^10 and every difference of such sums, times 10^4
        // (on_mid, in doubles), is exact; an INT64_MAX ask used to overflow the sum here.
        if (!bounds::price_ok(bid) || !bounds::price_ok(ask)) return;
        if (cfg_.price_move_bps > 0.0) on_mid(t, bid + ask);
        if (cfg_.spread_multiple > 0.0) on_spread(t, ask - bid);
    }

    /// Feeds a market trade of `q` lots at `ts` (ns) (volume-spike trigger); q <= 0 is ignored.
    void on_trade(timestamp ts, qty q) noexcept {
        std::int64_t t = ts.ns();
        advance(t);
        const std::int64_t lots = q.lots();
        if (!(cfg_.volume_multiple > 0.0) || lots <= 0) return;
        if (has_trade_ && t < last_trade_ts_) t = last_trade_ts_;
        has_trade_ = true;
        last_trade_ts_ = t;
        const std::int64_t w = cfg_.volume_window.ns();

        // Baseline: EWMA over tumbling windows [start, start + w) of the lots traded in each.
        if (!has_window_) {
            has_window_ = true;
            window_start_ = t;
            window_lots_ = 0;
        } else if (t - window_start_ >= w) {
            const std::int64_t k = (t - window_start_) / w;  // windows completed now (>= 1)
            close_volume_window(static_cast<double>(window_lots_));
            if (k > 1) {  // k - 1 empty windows: each decays the EWMA by (1 - alpha)
                volume_ewma_ *= std::pow(1.0 - cfg_.volume_alpha, static_cast<double>(k - 1));
                windows_done_ += static_cast<std::uint64_t>(k - 1);
            }
            window_start_ += k * w;
            window_lots_ = 0;
        }
        window_lots_ += lots;

        // Trailing sum over trades younger than w.
        while (!trades_.empty() && t - trades_.front().ts >= w) {
            trailing_lots_ -= trades_.front().lots;
            trades_.pop();
        }
        if (trades_.full()) {  // merge into the newest: it then expires later, so L is never underestimated
            trades_.back().lots += lots;
            trades_.back().ts = t;
            ++trade_merges_;
        } else {
            (void)trades_.push(trade_sample{t, lots});  // not full: checked above
        }
        trailing_lots_ += lots;

        if (windows_done_ >= cfg_.volume_warmup_windows &&
            static_cast<double>(trailing_lots_) > cfg_.volume_multiple * volume_ewma_ &&
            trailing_lots_ > cfg_.volume_min_lots)
            trip(timestamp{t}, breaker_trigger::volume_spike, static_cast<double>(trailing_lots_));
    }

    /// Feeds the order-to-ack latency `latency` (ns) of an ack received at `ts` (latency trigger).
    void on_ack_latency(timestamp ts, duration latency) noexcept {
        advance(ts.ns());
        if (cfg_.max_ack_latency.ns() > 0 && latency > cfg_.max_ack_latency)
            trip(ts, breaker_trigger::latency, static_cast<double>(latency.ns()));
    }

    /// Opens the breaker at `ts` (ns) because the caller sees a market crisis (halt, news, venue issue).
    void signal_crisis(timestamp ts) noexcept { trip(ts, breaker_trigger::market_crisis, 0.0); }

    /// Opens the breaker at `ts` (ns) for `trigger` (breaker_trigger::none is ignored), with the
    /// trigger's measurement `value`. CLOSED or HALF_OPEN -> OPEN; OPEN restarts the cooldown.
    void trip(timestamp ts, breaker_trigger trigger, double value) noexcept {
        if (trigger == breaker_trigger::none) return;
        const std::int64_t t = ts.ns();
        advance(t);
        const auto i = static_cast<std::size_t>(trigger);
        ++trips_[i < breaker_trigger_count ? i : static_cast<std::size_t>(breaker_trigger::manual)];
        const std::int64_t until = breaker_detail::sat_add(t, cfg_.cooldown.ns());
        if (state_ == breaker_state::open) {
            if (until > half_open_at_ns_) {
                half_open_at_ns_ = until;
                closed_from_ns_ = breaker_detail::sat_add(until, cfg_.probe_period.ns());
            }
            return;
        }
        half_open_at_ns_ = until;
        closed_from_ns_ = breaker_detail::sat_add(until, cfg_.probe_period.ns());
        probes_left_ = 0;
        transition(t, breaker_state::open, trigger, value);
    }

    /// Closes the breaker by hand at `ts` (ns), recorded with trigger manual; no-op when CLOSED.
    /// Also forgets the trailing price and trade windows (not the spread and volume baselines), so
    /// the move that tripped it does not trip it again at once.
    void reset(timestamp ts) noexcept {
        const std::int64_t t = ts.ns();
        advance(t);
        if (state_ == breaker_state::closed) return;
        price_min_.clear();
        price_max_.clear();
        trades_.clear();
        trailing_lots_ = 0;
        closed_from_ns_ = never_open;
        probes_left_ = 0;
        transition(t, breaker_state::closed, breaker_trigger::manual, 0.0);
    }

    // ---- observation ----------------------------------------------------------------------------

    /// Probe orders still allowed in the current HALF_OPEN period (as of the last advance).
    [[nodiscard]] std::uint32_t probes_left() const noexcept { return probes_left_; }
    /// Transitions since construction (including those overwritten in the history ring).
    [[nodiscard]] std::uint64_t transition_count() const noexcept { return transition_count_; }
    /// Transitions kept in the history ring (at most history_capacity).
    [[nodiscard]] std::size_t history_size() const noexcept { return history_.size(); }
    /// The i-th kept transition, oldest first. Precondition: i < history_size().
    [[nodiscard]] const breaker_transition& history(std::size_t i) const noexcept { return history_[i]; }
    /// Trips by `t` (every trip() that was not ignored, including those while OPEN).
    [[nodiscard]] std::uint64_t trip_count(breaker_trigger t) const noexcept {
        const auto i = static_cast<std::size_t>(t);
        return i < breaker_trigger_count ? trips_[i] : 0;
    }
    /// allows_order() calls answered false.
    [[nodiscard]] std::uint64_t denied_orders() const noexcept { return denied_; }
    /// Orders allowed while HALF_OPEN (probes consumed).
    [[nodiscard]] std::uint64_t probe_orders() const noexcept { return probe_orders_; }
    /// Exceptions thrown by the observer and caught (always 0 without exceptions).
    [[nodiscard]] std::uint64_t observer_errors() const noexcept { return observer_errors_; }
    /// Mids the price deques had to drop early because they were full (see the class doc).
    [[nodiscard]] std::uint64_t price_window_overflows() const noexcept { return price_overflows_; }
    /// Trades merged into the newest ring entry because the ring was full (see the class doc).
    [[nodiscard]] std::uint64_t trade_ring_merges() const noexcept { return trade_merges_; }
    /// The spread baseline (ticks, time-weighted EWMA); 0 before the first two-sided snapshot.
    [[nodiscard]] double spread_baseline() const noexcept { return spread_ewma_; }
    /// True once the spread trigger is past its warm-up.
    [[nodiscard]] bool spread_ready() const noexcept { return spread_observed_ns_ >= cfg_.spread_warmup.ns(); }
    /// The volume baseline (lots per volume_window, EWMA); 0 before the first completed window.
    [[nodiscard]] double volume_baseline() const noexcept { return volume_ewma_; }
    /// Lots traded less than volume_window before the last trade.
    [[nodiscard]] std::int64_t trailing_volume() const noexcept { return trailing_lots_; }
    /// True once the volume trigger is past its warm-up.
    [[nodiscard]] bool volume_ready() const noexcept { return windows_done_ >= cfg_.volume_warmup_windows; }
    /// The settings in use.
    [[nodiscard]] const circuit_breaker_config& config() const noexcept { return cfg_; }

    /// Snapshot hook (journal/snapshot.hpp): state, windows, EWMAs, history and counters (not the settings nor the observer).
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(closed_from_ns_);
        ar.value(state_);
        ar.value(probes_left_);
        ar.value(half_open_at_ns_);
        price_min_.persist(ar);
        price_max_.persist(ar);
        ar.value(last_mid_ts_);
        ar.value(has_mid_);
        ar.value(has_spread_);
        ar.value(last_spread_);
        ar.value(last_spread_ts_);
        ar.value(spread_observed_ns_);
        ar.value(spread_ewma_);
        trades_.persist(ar);
        ar.value(trailing_lots_);
        ar.value(last_trade_ts_);
        ar.value(has_trade_);
        ar.value(has_window_);
        ar.value(window_start_);
        ar.value(window_lots_);
        ar.value(volume_ewma_);
        ar.value(windows_done_);
        history_.persist(ar);
        ar.value(transition_count_);
        ar.value(trips_);
        ar.value(denied_);
        ar.value(probe_orders_);
        ar.value(observer_errors_);
        ar.value(price_overflows_);
        ar.value(trade_merges_);
    }

private:
    struct mid_sample {
        std::int64_t ts = 0;
        std::int64_t sum = 0;  // bid + ask, ticks
    };
    struct trade_sample {
        std::int64_t ts = 0;
        std::int64_t lots = 0;
    };

    static constexpr std::int64_t never_open = std::numeric_limits<std::int64_t>::min();

    static const circuit_breaker_config& validated(const circuit_breaker_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    bool allows_order_slow(std::int64_t now) noexcept {
        advance(now);
        if (state_ == breaker_state::closed) return true;
        if (state_ == breaker_state::half_open && probes_left_ > 0) {
            --probes_left_;
            ++probe_orders_;
            return true;
        }
        ++denied_;
        return false;
    }

    // Records the timed transitions due by `now`, at the times they took effect.
    void advance(std::int64_t now) noexcept {
        if (state_ == breaker_state::open && now >= half_open_at_ns_) {
            probes_left_ = cfg_.max_probe_orders;
            transition(half_open_at_ns_, breaker_state::half_open, breaker_trigger::none, 0.0);
        }
        if (state_ == breaker_state::half_open && now >= closed_from_ns_) {
            const std::int64_t at = closed_from_ns_;
            closed_from_ns_ = never_open;
            probes_left_ = 0;
            transition(at, breaker_state::closed, breaker_trigger::none, 0.0);
        }
    }

    void transition(std::int64_t t, breaker_state to, breaker_trigger trigger, double value) noexcept {
        const breaker_transition tr{timestamp{t}, state_, to, trigger, value};
        state_ = to;
        ++transition_count_;
        if (history_.full()) history_.pop();
        (void)history_.push(tr);  // not full: made room above
        if (observer_) {
#if defined(__cpp_exceptions)
            try {
                observer_(tr);
            } catch (...) {
                ++observer_errors_;
            }
#else
            observer_(tr);
#endif
        }
    }

    void on_mid(std::int64_t t, std::int64_t sum) noexcept {
        if (sum <= 0) return;
        if (has_mid_ && t < last_mid_ts_) t = last_mid_ts_;
        has_mid_ = true;
        last_mid_ts_ = t;
        const std::int64_t w = cfg_.price_window.ns();
        while (!price_min_.empty() && t - price_min_.front().ts >= w) price_min_.pop();
        while (!price_max_.empty() && t - price_max_.front().ts >= w) price_max_.pop();
        if (!price_min_.empty()) {
            // |m - r| / r > bps / 1e4  <=>  |m - r| * 1e4 > bps * r : exact for integer ticks.
            const std::int64_t lo = price_min_.front().sum;
            const std::int64_t hi = price_max_.front().sum;
            const double bps = cfg_.price_move_bps;
            double move = 0.0;
            bool fire = false;
            if (sum > lo && static_cast<double>(sum - lo) * 1e4 > bps * static_cast<double>(lo)) {
                fire = true;
                move = static_cast<double>(sum - lo) * 1e4 / static_cast<double>(lo);
            }
            if (hi > sum && static_cast<double>(hi - sum) * 1e4 > bps * static_cast<double>(hi)) {
                fire = true;
                const double down = static_cast<double>(hi - sum) * 1e4 / static_cast<double>(hi);
                if (down > move) move = down;
            }
            if (fire) trip(timestamp{t}, breaker_trigger::price_move, move);
        }
        // Min deque: strictly increasing sums front to back; max deque: strictly decreasing.
        // An unchanged mid (most events) is the newest entry of both deques: popping it and pushing
        // (t, sum) writes the same slot, so refresh its time in place instead.
        if (!price_min_.empty() && !price_max_.empty() && price_min_.back().sum == sum && price_max_.back().sum == sum) {
            price_min_.back().ts = t;
            price_max_.back().ts = t;
            return;
        }
        while (!price_min_.empty() && price_min_.back().sum >= sum) price_min_.pop_back();
        if (price_min_.full()) {
            price_min_.pop_back();
            ++price_overflows_;
        }
        (void)price_min_.push(mid_sample{t, sum});  // not full: made room above
        while (!price_max_.empty() && price_max_.back().sum <= sum) price_max_.pop_back();
        if (price_max_.full()) {
            price_max_.pop_back();
            ++price_overflows_;
        }
        (void)price_max_.push(mid_sample{t, sum});  // not full: made room above
    }

    void on_spread(std::int64_t t, std::int64_t s) noexcept {
        if (s < 0) return;  // crossed book: not a spread
        if (!has_spread_) {
            has_spread_ = true;
            spread_ewma_ = static_cast<double>(s);
            last_spread_ = s;
            last_spread_ts_ = t;
            return;
        }
        const std::int64_t dt = t - last_spread_ts_;
        if (dt > 0) {
            // The last spread was held for dt: weight 1 - exp(-dt / tau). Written as ewma += (x - ewma) w
            // so that a constant spread leaves the baseline exactly unchanged.
            const double wgt = -std::expm1(-static_cast<double>(dt) / static_cast<double>(cfg_.spread_tau.ns()));
            spread_ewma_ += (static_cast<double>(last_spread_) - spread_ewma_) * wgt;
            spread_observed_ns_ = breaker_detail::sat_add(spread_observed_ns_, dt);
            last_spread_ts_ = t;
        }
        last_spread_ = s;
        if (spread_observed_ns_ >= cfg_.spread_warmup.ns() && static_cast<double>(s) > cfg_.spread_multiple * spread_ewma_ &&
            s > cfg_.min_spread_ticks)
            trip(timestamp{t}, breaker_trigger::spread_widening, static_cast<double>(s));
    }

    void close_volume_window(double lots) noexcept {
        if (windows_done_ == 0) {
            volume_ewma_ = lots;  // seed with the first window, so the warm-up is not biased toward 0
        } else {
            volume_ewma_ += (lots - volume_ewma_) * cfg_.volume_alpha;
        }
        ++windows_done_;
    }

    // Hot fields first: the fast path reads only these two.
    std::int64_t closed_from_ns_ = never_open;  // CLOSED (lazily) for every now >= this
    breaker_state state_ = breaker_state::closed;
    std::uint32_t probes_left_ = 0;
    std::int64_t half_open_at_ns_ = 0;  // while OPEN: when HALF_OPEN starts

    circuit_breaker_config cfg_;

    ring_buffer<mid_sample> price_min_;
    ring_buffer<mid_sample> price_max_;
    std::int64_t last_mid_ts_ = 0;
    bool has_mid_ = false;

    bool has_spread_ = false;
    std::int64_t last_spread_ = 0;      // ticks
    std::int64_t last_spread_ts_ = 0;   // ns
    std::int64_t spread_observed_ns_ = 0;
    double spread_ewma_ = 0.0;          // ticks

    ring_buffer<trade_sample> trades_;
    std::int64_t trailing_lots_ = 0;
    std::int64_t last_trade_ts_ = 0;
    bool has_trade_ = false;
    bool has_window_ = false;
    std::int64_t window_start_ = 0;
    std::int64_t window_lots_ = 0;
    double volume_ewma_ = 0.0;          // lots per window
    std::uint64_t windows_done_ = 0;

    ring_buffer<breaker_transition> history_;
    std::function<void(const breaker_transition&)> observer_;

    std::uint64_t transition_count_ = 0;
    std::array<std::uint64_t, breaker_trigger_count> trips_{};
    std::uint64_t denied_ = 0;
    std::uint64_t probe_orders_ = 0;
    std::uint64_t observer_errors_ = 0;
    std::uint64_t price_overflows_ = 0;
    std::uint64_t trade_merges_ = 0;
};

} // namespace v0
} // namespace pinnacle
