#pragma once
/// @file risk/checks.hpp
/// Pre-trade risk checks, each a small RiskCheck: order sanity and size, worst-case position and
/// exposure, fat-finger price band, open-order count, order rate, spread gate, daily loss,
/// drawdown, losing streak and self-trade prevention.
///
/// Every check is noexcept, allocates nothing and is deterministic: time comes only from
/// `risk_state::now` (event time, ns). Arithmetic saturates instead of overflowing, so an absurd
/// order (a price of 2^62 ticks) is refused rather than wrapped into an approval.

#include <cstdint>
#include <limits>
#include <string_view>

#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

namespace risk_detail {

inline constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

/// a + b, clamped to the int64 range.
[[nodiscard]] constexpr std::int64_t sat_add(std::int64_t a, std::int64_t b) noexcept {
    if (b > 0 && a > i64_max - b) return i64_max;
    if (b < 0 && a < i64_min - b) return i64_min;
    return a + b;
}

/// a - b, clamped to the int64 range.
[[nodiscard]] constexpr std::int64_t sat_sub(std::int64_t a, std::int64_t b) noexcept {
    if (b < 0 && a > i64_max + b) return i64_max;
    if (b > 0 && a < i64_min + b) return i64_min;
    return a - b;
}

/// a x b, clamped to the int64 range (CERT INT32-C overflow tests).
[[nodiscard]] constexpr std::int64_t sat_mul(std::int64_t a, std::int64_t b) noexcept {
    const bool negative = (a < 0) != (b < 0);
    bool overflow = false;
    if (a > 0) {
        overflow = b > 0 ? a > i64_max / b : b < i64_min / a;
    } else if (a < 0) {
        overflow = b > 0 ? a < i64_min / b : (b != 0 && b < i64_max / a);
    }
    if (overflow) return negative ? i64_min : i64_max;
    return a * b;
}

/// |a|, clamped (|int64 min| becomes int64 max).
[[nodiscard]] constexpr std::int64_t sat_abs(std::int64_t a) noexcept {
    return a >= 0 ? a : (a == i64_min ? i64_max : -a);
}

/// Nanoseconds in one session day.
inline constexpr std::int64_t ns_per_day = 86'400'000'000'000;

/// Index of the session day holding `now` when sessions start `start_ns_of_day` ns after
/// midnight: floor((now - start) / 1 day), so times before the first start count as day -1.
[[nodiscard]] constexpr std::int64_t session_day(timestamp now, std::int64_t start_ns_of_day) noexcept {
    const std::int64_t t = sat_sub(now.ns(), start_ns_of_day);
    const std::int64_t q = t / ns_per_day;
    return (t % ns_per_day < 0) ? q - 1 : q;
}

/// A non-negative double of nanoseconds rounded to int64 ns, clamped; NaN and negatives give 0.
[[nodiscard]] constexpr std::int64_t clamp_ns(double ns) noexcept {
    if (!(ns > 0.0)) return 0;
    if (ns >= 9.0e18) return i64_max;
    return static_cast<std::int64_t>(ns + 0.5);
}

} // namespace risk_detail

/// Refuses orders whose size (lots) or price (ticks) is not positive. Thread-safety: one thread.
struct order_sanity_check {
    /// invalid_order when size <= 0 lots or price <= 0 ticks; otherwise approved.
    [[nodiscard]] static constexpr risk_verdict validate(const order_intent& o) noexcept {
        return (o.size <= qty{} || o.px <= price{}) ? risk_verdict::deny(risk_reason::invalid_order)
                                                     : risk_verdict::approve();
    }
    /// See validate().
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state&) noexcept { return validate(o); }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Refuses limit orders whose price is not a multiple of the instrument's quote increment (ticks),
/// e.g. 100 LOBSTER ticks = $0.01, the NASDAQ increment for stocks at or above $1 (Reg NMS
/// Rule 612). Market orders pass (they carry no price). Thread-safety: one thread.
struct quote_grid_check {
    price increment{1}; ///< Ticks between valid prices (> 0; 1 = every tick; <= 0 refuses every limit order).

    /// off_grid when a limit order's price is not a multiple of `increment`; otherwise approved.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state&) const noexcept {
        if (o.type == order_type::market) return risk_verdict::approve();
        if (increment.ticks() <= 0 || o.px.ticks() % increment.ticks() != 0) return risk_verdict::deny(risk_reason::off_grid);
        return risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Caps the size of one order (lots); also refuses a non-positive size or price.
/// Thread-safety: one thread.
struct max_order_qty_check {
    qty limit; ///< Largest size one order may have (lots); an order of exactly `limit` passes.

    /// invalid_order (see order_sanity_check), else max_order_qty when size > limit.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state&) noexcept {
        if (const risk_verdict v = order_sanity_check::validate(o); !v.approved()) return v;
        return o.size > limit ? risk_verdict::deny(risk_reason::max_order_qty) : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Caps the worst-case position (lots), as if every working order on the order's side and this
/// one filled. A buy is bounded only by max_long and a sell only by max_short, so unwinding a
/// position is never refused for the size of that position. Thread-safety: one thread.
struct max_position_check {
    qty max_long;  ///< Largest long position allowed (lots, >= 0).
    qty max_short; ///< Largest short position allowed, as a positive number of lots.

    /// max_position when buy: position + open_buy + size > max_long, or
    /// sell: -(position - open_sell - size) > max_short.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        using namespace risk_detail;
        if (o.side == side::buy) {
            const std::int64_t worst = sat_add(sat_add(st.position.lots(), st.open_buy.lots()), o.size.lots());
            return worst > max_long.lots() ? risk_verdict::deny(risk_reason::max_position) : risk_verdict::approve();
        }
        const std::int64_t worst = sat_sub(sat_sub(st.position.lots(), st.open_sell.lots()), o.size.lots());
        return sat_sub(0, worst) > max_short.lots() ? risk_verdict::deny(risk_reason::max_position)
                                                    : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Caps the notional of one order and the worst-case gross exposure (tick-lots); 0 turns a limit
/// off. Thread-safety: one thread.
///
/// Gross exposure = |position + signed(working lots on the order's side + this order)| x reference
/// price, where the reference is the mid of `state.market` (the order's price when the market is
/// not two-sided). An order that only moves that worst-case position toward zero, without
/// crossing it, is never refused by the gross limit, so a book over its limit can still be unwound.
/// Comparisons use 2 x mid = bid + ask, so they are exact.
struct max_notional_check {
    notional max_order_notional; ///< Largest price x size of one order (tick-lots); <= 0: off.
    notional max_gross_exposure; ///< Largest worst-case |position| x reference price (tick-lots); <= 0: off.

    /// max_order_notional, then max_gross_exposure; else approved.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        using namespace risk_detail;
        if (max_order_notional > notional{} &&
            sat_mul(o.px.ticks(), o.size.lots()) > max_order_notional.tick_lots())
            return risk_verdict::deny(risk_reason::max_order_notional);
        if (max_gross_exposure > notional{}) {
            const std::int64_t pos = st.position.lots();
            const std::int64_t before = o.side == side::buy ? sat_add(pos, st.open_buy.lots())
                                                            : sat_sub(pos, st.open_sell.lots());
            const std::int64_t after = o.side == side::buy ? sat_add(before, o.size.lots())
                                                           : sat_sub(before, o.size.lots());
            const std::int64_t exposure_lots = sat_abs(after);
            const bool unwinds = (before > 0 && after >= 0 && after <= before) ||
                                 (before < 0 && after <= 0 && after >= before);
            if (!unwinds) {
                const bool two_sided = st.market.has_bid && st.market.has_ask;
                // Twice the reference price and twice the limit keep the mid exact.
                const std::int64_t ref_x2 =
                    two_sided ? sat_add(st.market.best_bid.ticks(), st.market.best_ask.ticks())
                              : sat_mul(2, o.px.ticks());
                if (sat_mul(exposure_lots, sat_abs(ref_x2)) > sat_mul(2, max_gross_exposure.tick_lots()))
                    return risk_verdict::deny(risk_reason::max_gross_exposure);
            }
        }
        return risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Fat-finger guard: refuses prices more than `max_bps` basis points from the mid of
/// `state.market`. Thread-safety: one thread.
struct price_band_check {
    std::int64_t max_bps = 0; ///< Widest allowed distance from the mid (bps); a price exactly on the band passes.

    /// no_reference_price without a two-sided market with a positive mid; price_band when
    /// |px - mid| x 10,000 > max_bps x mid (evaluated as |2 px - (bid + ask)| x 10,000 >
    /// max_bps x (bid + ask), exact in integers).
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        using namespace risk_detail;
        if (!st.market.has_bid || !st.market.has_ask) return risk_verdict::deny(risk_reason::no_reference_price);
        const std::int64_t mid_x2 = sat_add(st.market.best_bid.ticks(), st.market.best_ask.ticks());
        if (mid_x2 <= 0) return risk_verdict::deny(risk_reason::no_reference_price);
        const std::int64_t dist_x2 = sat_abs(sat_sub(sat_mul(2, o.px.ticks()), mid_x2));
        return sat_mul(dist_x2, 10'000) > sat_mul(max_bps, mid_x2) ? risk_verdict::deny(risk_reason::price_band)
                                                                  : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Caps the number of our orders working at once. Thread-safety: one thread.
struct max_open_orders_check {
    std::uint32_t limit = 0; ///< Most orders working, this one included; `limit` working after it passes.

    /// max_open_orders when open_orders + 1 > limit.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        return static_cast<std::uint64_t>(st.open_orders) + 1u > limit ? risk_verdict::deny(risk_reason::max_open_orders)
                                                                       : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Order-rate limit: a token bucket of `burst` tokens refilled at `orders_per_second`, in event
/// time (`state.now`). Thread-safety: one thread.
///
/// Each approval takes one token; with the bucket empty the order is refused (order_rate). The
/// bucket counts the orders that *reach* it: in a risk_chain a later check may still refuse an
/// order this one counted, so put the rate check last to count only the orders actually sent.
/// Implemented exactly in integer ns as the equivalent GCRA (virtual scheduling): an emission
/// interval T = 1e9 / orders_per_second ns and a tolerance (burst - 1) x T, both rounded to whole
/// ns. The bucket starts full.
///
/// Bounds (core/bounds.hpp; check_config() says which is broken): rate 10^-6..10^9 per second,
/// burst 1..1000. Within them T <= 10^15 ns and the tolerance < 10^18 ns, so the theoretical
/// arrival time stays below now + 1.001 x 10^18 and, with event times below 2^62 ns, never
/// overflows. Outside them the check never gets looser than asked: a rate below 10^-6 (or
/// non-positive, or NaN) refuses everything, and a burst above 1000 counts as 1000. (Before
/// this, a rate of 10^-8 with a burst of 200 saturated the tolerance at INT64_MAX and approved
/// every order.)
class order_rate_check {
public:
    double orders_per_second = 1.0; ///< Sustained rate (orders per second of event time); 10^-6..10^9.
    double burst = 1.0;             ///< Bucket size (orders that may go at once); 1..1000 (below 1 counts as 1).

    /// A bucket for `rate` orders per second with room for `burst_size` orders at once.
    constexpr order_rate_check(double rate, double burst_size) noexcept : orders_per_second(rate), burst(burst_size) {}

    /// Empty when `rate` and `burst_size` are within the bounds above, else what is wrong.
    [[nodiscard]] static constexpr std::string_view check_config(double rate, double burst_size) noexcept {
        if (!(rate >= bounds::min_orders_per_second && rate <= bounds::max_orders_per_second))
            return "orders per second must be within 1e-06..1e+09 (core/bounds.hpp)";
        if (!(burst_size >= 1.0 && burst_size <= bounds::max_order_burst))
            return "order burst must be within 1..1000 (core/bounds.hpp)";
        return {};
    }

    /// Approves and takes a token, or refuses with order_rate when the bucket is empty.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        using namespace risk_detail;
        if (!(orders_per_second >= bounds::min_orders_per_second)) return risk_verdict::deny(risk_reason::order_rate);
        const gcra g = params();
        const std::int64_t now = st.now.ns();
        const std::int64_t tat = (!started_ || tat_ < now) ? now : tat_;
        if (sat_sub(tat, now) > g.tolerance) return risk_verdict::deny(risk_reason::order_rate);
        started_ = true;
        tat_ = sat_add(tat, g.interval);
        return risk_verdict::approve();
    }
    /// Ignores reports: the bucket counts orders that reached it, not acks.
    void on_execution(const execution_report&, const risk_state&) noexcept {}

    /// Orders that would be approved at once at event time `now` (whole tokens in the bucket).
    [[nodiscard]] std::int64_t tokens(timestamp now) const noexcept {
        using namespace risk_detail;
        if (!(orders_per_second >= bounds::min_orders_per_second)) return 0;
        const gcra g = params();
        const std::int64_t wait = (!started_ || tat_ < now.ns()) ? 0 : sat_sub(tat_, now.ns());
        return wait > g.tolerance ? 0 : sat_add((g.tolerance - wait) / g.interval, 1);
    }

    /// Snapshot hook (journal/snapshot.hpp): the GCRA state.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(tat_);
        ar.value(started_);
    }

private:
    struct gcra {
        std::int64_t interval;   // ns between orders at the sustained rate (>= 1)
        std::int64_t tolerance;  // (burst - 1) x interval, ns
    };
    [[nodiscard]] gcra params() const noexcept {
        // rate >= 10^-6 here (check() refused lower ones): interval <= 10^15 ns, no clamping.
        std::int64_t interval = risk_detail::clamp_ns(1e9 / orders_per_second);
        if (interval < 1) interval = 1;
        const double b = burst > bounds::max_order_burst ? bounds::max_order_burst : burst;  // tighter, never looser
        const double extra = b > 1.0 ? b - 1.0 : 0.0;  // NaN burst counts as 1
        return gcra{interval, risk_detail::clamp_ns(extra * static_cast<double>(interval))};
    }

    std::int64_t tat_ = 0;  // theoretical arrival time of the next conforming order (ns)
    bool started_ = false;
};

/// Quotes only into a tight, two-sided market: refuses when the spread is wider than
/// `max_spread` ticks or a side is missing. Thread-safety: one thread.
struct spread_gate_check {
    price max_spread; ///< Widest market spread (ask - bid, ticks) to quote into; exactly `max_spread` passes.

    /// spread_gate when a side of `state.market` is missing or ask - bid > max_spread.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        if (!st.market.has_bid || !st.market.has_ask) return risk_verdict::deny(risk_reason::spread_gate);
        const std::int64_t spread = risk_detail::sat_sub(st.market.best_ask.ticks(), st.market.best_bid.ticks());
        return spread > max_spread.ticks() ? risk_verdict::deny(risk_reason::spread_gate) : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

/// Daily loss limit: refuses orders once total PnL has fallen more than `max_loss` tick-lots since
/// the start of the current session day. Thread-safety: one thread.
///
/// Session day n covers [n days + session_start_ns_of_day, n + 1 days + session_start_ns_of_day)
/// of event time. The baseline is the total PnL of the first state seen (check or report) in each
/// session day, so it resets with the first event after the boundary, never on the wall clock.
class daily_loss_check {
public:
    notional max_loss;                      ///< Largest loss allowed per session day (tick-lots, > 0); a loss of exactly this passes.
    std::int64_t session_start_ns_of_day = 0; ///< When a session day starts (ns after midnight; 0 = midnight).

    /// A limit of `loss` tick-lots per session day starting `start_ns_of_day` ns after midnight.
    constexpr explicit daily_loss_check(notional loss, std::int64_t start_ns_of_day = 0) noexcept
        : max_loss(loss), session_start_ns_of_day(start_ns_of_day) {}

    /// daily_loss when total_pnl - baseline < -max_loss.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        observe(st);
        return risk_detail::sat_sub(st.total_pnl.tick_lots(), baseline_.tick_lots()) <
                       risk_detail::sat_sub(0, max_loss.tick_lots())
                   ? risk_verdict::deny(risk_reason::daily_loss)
                   : risk_verdict::approve();
    }
    /// Starts a new day's baseline if the report's state is the first in a new session day.
    void on_execution(const execution_report&, const risk_state& st) noexcept { observe(st); }

    /// Total PnL at the start of the current session day (tick-lots).
    [[nodiscard]] notional baseline() const noexcept { return baseline_; }
    /// Current session day index (see class comment); meaningful once a state was seen.
    [[nodiscard]] std::int64_t day() const noexcept { return day_; }

    /// Snapshot hook (journal/snapshot.hpp): the day and its baseline.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(baseline_);
        ar.value(day_);
        ar.value(started_);
    }

private:
    void observe(const risk_state& st) noexcept {
        const std::int64_t d = risk_detail::session_day(st.now, session_start_ns_of_day);
        if (!started_ || d != day_) {
            started_ = true;
            day_ = d;
            baseline_ = st.total_pnl;
        }
    }

    notional baseline_;
    std::int64_t day_ = 0;
    bool started_ = false;
};

/// Drawdown limit: refuses orders once total PnL has fallen too far from its running peak
/// (tick-lots, or bps of capital). Thread-safety: one thread.
///
/// The peak starts at the total PnL of the first state seen and rises with every state seen in
/// check() and on_execution().
class drawdown_check {
public:
    notional max_drawdown;            ///< Largest fall from the peak (tick-lots); <= 0: off. Exactly this passes.
    std::int64_t max_drawdown_bps = 0; ///< Largest fall from the peak in bps of `capital`; <= 0: off.
    notional capital;                 ///< Capital the bps limit refers to (tick-lots); <= 0: bps limit off.

    /// Limits of `max_dd` tick-lots and/or `max_dd_bps` bps of `capital_base` tick-lots.
    constexpr explicit drawdown_check(notional max_dd, std::int64_t max_dd_bps = 0, notional capital_base = notional{}) noexcept
        : max_drawdown(max_dd), max_drawdown_bps(max_dd_bps), capital(capital_base) {}

    /// drawdown when peak - total_pnl > max_drawdown, or (peak - total_pnl) x 10,000 > capital x bps.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        using namespace risk_detail;
        observe(st);
        const std::int64_t dd = sat_sub(peak_.tick_lots(), st.total_pnl.tick_lots());
        if (max_drawdown > notional{} && dd > max_drawdown.tick_lots()) return risk_verdict::deny(risk_reason::drawdown);
        if (max_drawdown_bps > 0 && capital > notional{} &&
            sat_mul(dd, 10'000) > sat_mul(capital.tick_lots(), max_drawdown_bps))
            return risk_verdict::deny(risk_reason::drawdown);
        return risk_verdict::approve();
    }
    /// Raises the peak if the PnL after the report is a new high.
    void on_execution(const execution_report&, const risk_state& st) noexcept { observe(st); }

    /// Highest total PnL seen (tick-lots).
    [[nodiscard]] notional peak() const noexcept { return peak_; }

    /// Snapshot hook (journal/snapshot.hpp): the PnL peak.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(peak_);
        ar.value(started_);
    }

private:
    void observe(const risk_state& st) noexcept {
        if (!started_ || st.total_pnl > peak_) peak_ = st.total_pnl;
        started_ = true;
    }

    notional peak_;
    bool started_ = false;
};

/// Stops trading after `max_consecutive` losing round trips in a row. Thread-safety: one thread.
///
/// A round trip opens when a fill takes the position away from 0 and ends when a fill brings it
/// back to 0 or flips its sign; its PnL is the realized PnL (net of fees) at the end minus the
/// realized PnL while flat before it opened, so the opening fill's fee counts. A flip closes one
/// round trip and opens the next in the same fill: the whole fill's fee goes to the closing one.
/// A losing trip (PnL < 0) extends the streak, a winning one (> 0) resets it, a scratch (= 0)
/// leaves it as is. max_consecutive = 0 refuses every order.
class losing_streak_check {
public:
    std::uint32_t max_consecutive = 0; ///< Losing round trips in a row that stop trading.

    /// Stops after `max_losses` consecutive losing round trips.
    constexpr explicit losing_streak_check(std::uint32_t max_losses) noexcept : max_consecutive(max_losses) {}

    /// losing_streak while streak() >= max_consecutive.
    [[nodiscard]] risk_verdict check(const order_intent&, const risk_state& st) noexcept {
        if (st.position == qty{}) {
            flat_realized_ = st.realized_pnl;
            have_flat_realized_ = true;
        }
        return streak_ >= max_consecutive ? risk_verdict::deny(risk_reason::losing_streak) : risk_verdict::approve();
    }

    /// Follows fills (state after the fill) to find where round trips start and end.
    void on_execution(const execution_report& r, const risk_state& st) noexcept {
        if (r.type != exec_type::fill || r.last_qty <= qty{}) {
            if (st.position == qty{}) {
                flat_realized_ = st.realized_pnl;
                have_flat_realized_ = true;
            }
            return;
        }
        const std::int64_t now_pos = st.position.lots();
        const std::int64_t before = risk_detail::sat_sub(now_pos, risk_detail::sat_mul(sign(r.side), r.last_qty.lots()));
        const bool flipped = (before > 0 && now_pos < 0) || (before < 0 && now_pos > 0);
        if (before != 0 && !in_trip_) {  // first seen mid-trip: measure from here
            in_trip_ = true;
            trip_start_ = have_flat_realized_ ? flat_realized_ : st.realized_pnl;
        }
        if (before != 0 && (now_pos == 0 || flipped)) {
            const notional pnl = st.realized_pnl - trip_start_;
            if (pnl < notional{}) {
                if (streak_ < std::numeric_limits<std::uint32_t>::max()) ++streak_;
            } else if (pnl > notional{}) {
                streak_ = 0;
            }
            in_trip_ = false;
            ++round_trips_;
        }
        if (now_pos != 0 && (before == 0 || flipped)) {  // opens; with no flat state ever seen, from here
            in_trip_ = true;
            trip_start_ = (before == 0 && have_flat_realized_) ? flat_realized_ : st.realized_pnl;
        }
        if (now_pos == 0) {
            flat_realized_ = st.realized_pnl;
            have_flat_realized_ = true;
        }
    }

    /// Losing round trips in a row so far.
    [[nodiscard]] std::uint32_t streak() const noexcept { return streak_; }
    /// Round trips completed so far.
    [[nodiscard]] std::uint64_t round_trips() const noexcept { return round_trips_; }
    /// Clears the streak (an operator's decision to resume).
    void reset() noexcept { streak_ = 0; }

    /// Snapshot hook (journal/snapshot.hpp): the round-trip tracking and the streak.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(trip_start_);
        ar.value(flat_realized_);
        ar.value(round_trips_);
        ar.value(streak_);
        ar.value(in_trip_);
        ar.value(have_flat_realized_);
    }

private:
    notional trip_start_;     // realized PnL when the open round trip started (tick-lots)
    notional flat_realized_;  // realized PnL last seen while flat (tick-lots)
    std::uint64_t round_trips_ = 0;
    std::uint32_t streak_ = 0;
    bool in_trip_ = false;
    bool have_flat_realized_ = false;
};

/// Self-trade prevention: refuses an order that would cross our own resting order on the other
/// side. Thread-safety: one thread.
struct self_trade_check {
    /// self_trade when buying at px >= our working ask, or selling at px <= our working bid.
    [[nodiscard]] risk_verdict check(const order_intent& o, const risk_state& st) noexcept {
        const bool crosses = o.side == side::buy ? (st.has_working_ask && o.px >= st.working_ask)
                                                 : (st.has_working_bid && o.px <= st.working_bid);
        return crosses ? risk_verdict::deny(risk_reason::self_trade) : risk_verdict::approve();
    }
    /// Stateless: ignores reports.
    void on_execution(const execution_report&, const risk_state&) noexcept {}
};

static_assert(RiskCheck<order_sanity_check>, "order_sanity_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<max_order_qty_check>, "max_order_qty_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<max_position_check>, "max_position_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<max_notional_check>, "max_notional_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<price_band_check>, "price_band_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<max_open_orders_check>, "max_open_orders_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<order_rate_check>, "order_rate_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<spread_gate_check>, "spread_gate_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<daily_loss_check>, "daily_loss_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<drawdown_check>, "drawdown_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<losing_streak_check>, "losing_streak_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");
static_assert(RiskCheck<self_trade_check>, "self_trade_check must satisfy RiskCheck (docs/concepts.md#riskcheck)");

} // namespace v0
} // namespace pinnacle
