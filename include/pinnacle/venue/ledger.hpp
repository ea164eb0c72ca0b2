#pragma once
/// @file venue/ledger.hpp
/// Position, cash and fee accounting for one instrument, exact in integers, plus the equity
/// statistics a backtest report needs (drawdown, Sharpe).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// One point of the equity curve: the end of a minute of event time.
struct equity_point {
    timestamp ts;          ///< End of the minute (ns).
    double total_pnl = 0;  ///< Mark-to-mid PnL net of fees (tick-lots).
    qty position;          ///< Position (lots).
    /// Exact equality of every field.
    [[nodiscard]] bool operator==(const equity_point&) const = default;
};

/// Accounting of our fills. Thread-safety: one thread.
///
/// Identities that hold exactly after every fill (tick-lots, integers):
///   position = sum of signed fill sizes;  cash = -sum of signed fill notionals;
///   2 x total PnL = 2 x cash + position x (bid + ask) - 2 x fees   (mark to the mid).
/// Realized PnL uses the average cost of the open position.
class ledger {
public:
    /// A ledger; reserves room for a day of one-minute equity points (grows past that).
    ledger() { curve_.reserve(1440); }

    /// Books a fill of `q` lots at `px` ticks on side `s`, paying `fee` tick-lots (negative: rebate).
    void on_fill(side s, price px, qty q, notional fee) noexcept {
        const std::int64_t sq = sign(s) * q.lots();
        const std::int64_t pos = position_.lots();
        if (pos == 0 || (pos > 0) == (sq > 0)) {
            open_cost_ += static_cast<double>(px.ticks()) * static_cast<double>(sq);
        } else {
            const std::int64_t apos = pos < 0 ? -pos : pos;
            const std::int64_t aq = sq < 0 ? -sq : sq;
            if (aq <= apos) {
                open_cost_ -= open_cost_ * static_cast<double>(aq) / static_cast<double>(apos);
            } else {  // flips: the remainder opens a new position at this price
                open_cost_ = static_cast<double>(px.ticks()) * static_cast<double>(sq > 0 ? aq - apos : apos - aq);
            }
        }
        // One fill's notional is at most 10^18 tick-lots within the bounds (core/bounds.hpp: the
        // venue refuses orders beyond them), but a run can book any number of fills: the sums
        // saturate and set overflowed() rather than wrap. Below 9.2 x 10^18 tick-lots of traded
        // notional they are exact.
        position_ = qty{bounds::add_or_saturate(position_.lots(), sq, overflowed_)};
        cash_ = notional{bounds::sub_or_saturate(cash_.tick_lots(), bounds::mul_or_saturate(px.ticks(), sq, overflowed_), overflowed_)};
        fees_ = notional{bounds::add_or_saturate(fees_.tick_lots(), fee.tick_lots(), overflowed_)};
        volume_ = qty{bounds::add_or_saturate(volume_.lots(), q.lots(), overflowed_)};
        ++fills_;
        // Round trips: flat -> open -> flat (or through zero). PnL of the trip = realized change.
        const std::int64_t after = position_.lots();
        if (pos != 0 && (after == 0 || (pos > 0) != (after > 0))) {
            ++round_trips_;
            if (realized_pnl() - trip_start_realized_ < 0.0) ++losing_round_trips_;
        }
        if (after != 0 && (pos == 0 || (pos > 0) != (after > 0))) trip_start_realized_ = realized_pnl();
        if (position_ > max_position_) max_position_ = position_;
        if (position_ < min_position_) min_position_ = position_;
    }

    /// Marks the book to the mid of (bid, ask) at event time ts: updates drawdown and the
    /// per-minute equity series. Call with a two-sided market only.
    void mark(timestamp ts, price bid, price ask) noexcept {
        if (marked_ && ts > last_mark_ts_) {  // time-weighted inventory over marked time
            const double dt = static_cast<double>((ts - last_mark_ts_).ns());
            pos_time_ += static_cast<double>(position_.lots()) * dt;
            abs_pos_time_ += static_cast<double>(position_.lots() < 0 ? -position_.lots() : position_.lots()) * dt;
            marked_time_ += dt;
        }
        last_mark_ts_ = ts;
        last_bid_ = bid;
        last_ask_ = ask;
        marked_ = true;
        const double equity = static_cast<double>(total_pnl_x2(bid, ask)) / 2.0;
        if (equity > peak_) peak_ = equity;
        if (peak_ - equity > max_drawdown_) max_drawdown_ = peak_ - equity;
        const std::int64_t minute = ts.ns() / 60'000'000'000;
        if (!have_minute_) {
            have_minute_ = true;
            minute_ = minute;
            minute_start_equity_ = 0.0;
        }
        while (minute > minute_) {  // close the finished minute(s); empty minutes return 0
            add_return(last_equity_ - minute_start_equity_);
            minute_start_equity_ = last_equity_;
            ++minute_;
            curve_.push_back(equity_point{timestamp{minute_ * 60'000'000'000}, last_equity_, position_});
        }
        last_equity_ = equity;
    }

    /// Twice the mark-to-mid PnL net of fees, exact (tick-lots x 2) while overflowed() is false
    /// and the result fits; saturated at the int64 limits otherwise (never wrapped).
    [[nodiscard]] std::int64_t total_pnl_x2(price bid, price ask) const noexcept {
        bool o = false;  // a mark cannot set the ledger's flag (const); saturation is the signal
        const std::int64_t mark = bounds::mul_or_saturate(position_.lots(), bounds::add_or_saturate(bid.ticks(), ask.ticks(), o), o);
        const std::int64_t cash2 = bounds::mul_or_saturate(2, cash_.tick_lots(), o);
        const std::int64_t fees2 = bounds::mul_or_saturate(2, fees_.tick_lots(), o);
        return bounds::sub_or_saturate(bounds::add_or_saturate(cash2, mark, o), fees2, o);
    }
    /// True once a sum of fills left the int64 range (and saturated): the totals are then bounds,
    /// not exact values. Never happens within 9.2 x 10^18 tick-lots of traded notional.
    [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }
    /// Mark-to-mid PnL net of fees at the last mark (tick-lots).
    [[nodiscard]] double total_pnl() const noexcept {
        return marked_ ? static_cast<double>(total_pnl_x2(last_bid_, last_ask_)) / 2.0
                       : (static_cast<double>(cash_.tick_lots()) - static_cast<double>(fees_.tick_lots()));
    }
    /// PnL of closed round trips at average cost, net of all fees (tick-lots).
    [[nodiscard]] double realized_pnl() const noexcept {
        return (static_cast<double>(cash_.tick_lots()) - static_cast<double>(fees_.tick_lots())) + open_cost_;
    }
    /// Signed position (lots).
    [[nodiscard]] qty position() const noexcept { return position_; }
    /// Cash: minus the signed notional of all fills, before fees (tick-lots).
    [[nodiscard]] notional cash() const noexcept { return cash_; }
    /// Fees paid, net of rebates (tick-lots).
    [[nodiscard]] notional fees() const noexcept { return fees_; }
    /// Lots traded.
    [[nodiscard]] qty volume() const noexcept { return volume_; }
    /// Fills booked.
    [[nodiscard]] std::size_t fills() const noexcept { return fills_; }
    /// Highest position reached (lots).
    [[nodiscard]] qty max_position() const noexcept { return max_position_; }
    /// Lowest position reached (lots).
    [[nodiscard]] qty min_position() const noexcept { return min_position_; }
    /// Largest fall of total PnL from its running peak, over all marks (tick-lots, >= 0).
    [[nodiscard]] double max_drawdown() const noexcept { return max_drawdown_; }
    /// Round trips closed (position back to flat, or through it).
    [[nodiscard]] std::size_t round_trips() const noexcept { return round_trips_; }
    /// Round trips whose realized PnL (net of fees) was negative.
    [[nodiscard]] std::size_t losing_round_trips() const noexcept { return losing_round_trips_; }
    /// Time-weighted mean position over marked event time (lots).
    [[nodiscard]] double mean_position() const noexcept { return marked_time_ > 0 ? pos_time_ / marked_time_ : 0.0; }
    /// Time-weighted mean |position| over marked event time (lots).
    [[nodiscard]] double mean_abs_position() const noexcept { return marked_time_ > 0 ? abs_pos_time_ / marked_time_ : 0.0; }
    /// Equity at the end of every completed minute of event time.
    [[nodiscard]] const std::vector<equity_point>& equity_curve() const noexcept { return curve_; }
    /// Completed one-minute equity returns so far.
    [[nodiscard]] std::size_t minutes() const noexcept { return n_; }

    /// Annualised Sharpe ratio of one-minute PnL changes (event time): mean / sd x sqrt(252 x 390),
    /// i.e. 390 trading minutes a day, 252 days a year, risk-free rate 0; 0 when sd is 0 or fewer
    /// than two minutes have passed.
    [[nodiscard]] double sharpe() const noexcept {
        if (n_ < 2) return 0.0;
        const double mean = sum_ / static_cast<double>(n_);
        const double var = (sum_sq_ - static_cast<double>(n_) * mean * mean) / static_cast<double>(n_ - 1);
        if (!(var > 0.0)) return 0.0;
        return mean / std::sqrt(var) * std::sqrt(252.0 * 390.0);
    }

    /// Snapshot hook (journal/snapshot.hpp): every field, the equity curve included.
    template <class Ar>
    void persist(Ar& ar) {
        ar.value(overflowed_); ar.value(position_); ar.value(cash_); ar.value(fees_); ar.value(volume_); ar.value(fills_);
        ar.value(max_position_); ar.value(min_position_); ar.value(open_cost_); ar.value(last_bid_); ar.value(last_ask_);
        ar.value(marked_); ar.value(peak_); ar.value(max_drawdown_); ar.value(have_minute_); ar.value(minute_);
        ar.value(minute_start_equity_); ar.value(last_equity_); ar.value(n_); ar.value(sum_); ar.value(sum_sq_);
        ar.value(round_trips_); ar.value(losing_round_trips_); ar.value(trip_start_realized_); ar.value(last_mark_ts_);
        ar.value(pos_time_); ar.value(abs_pos_time_); ar.value(marked_time_);
        ar.vec(curve_);
    }

private:
    void add_return(double r) noexcept {
        ++n_;
        sum_ += r;
        sum_sq_ += r * r;
    }

    bool overflowed_ = false;
    qty position_;
    notional cash_;
    notional fees_;
    qty volume_;
    std::size_t fills_ = 0;
    qty max_position_;
    qty min_position_;
    double open_cost_ = 0.0;
    price last_bid_;
    price last_ask_;
    bool marked_ = false;
    double peak_ = 0.0;
    double max_drawdown_ = 0.0;
    bool have_minute_ = false;
    std::int64_t minute_ = 0;
    double minute_start_equity_ = 0.0;
    double last_equity_ = 0.0;
    std::size_t n_ = 0;
    double sum_ = 0.0;
    double sum_sq_ = 0.0;
    std::size_t round_trips_ = 0;
    std::size_t losing_round_trips_ = 0;
    double trip_start_realized_ = 0.0;
    timestamp last_mark_ts_;
    double pos_time_ = 0.0;
    double abs_pos_time_ = 0.0;
    double marked_time_ = 0.0;
    std::vector<equity_point> curve_;
};

} // namespace v0
} // namespace pinnacle
