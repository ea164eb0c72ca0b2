#pragma once
/// @file sim/models.hpp
/// The simulated venue's pluggable models: where our resting order stands in its queue, how long
/// messages take, and what fills cost. Their concepts (QueueModel, LatencyModel, FeeModel) are in
/// sim/concepts.hpp.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/sim/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

// ------------------------------------------------------------------------------------------------
// Queue models
// ------------------------------------------------------------------------------------------------

namespace detail {
// Lots that actually leave the book for a cancel/delete/execute event (a delete names no size on
// some feeds: use what the book holds).
template <class Book>
[[nodiscard]] qty leaving_lots(const market_event& e, const Book& b) noexcept {
    if (e.type == event_type::remove) {
        if (const auto* ro = b.find(e.id); ro != nullptr) return ro->size;
    }
    return e.size;
}
// Every model joins the same way: behind every lot resting at (s, px), after every order seen so far.
template <class Book>
void join_back(queue_position& p, const Book& b, side s, price px) noexcept {
    p.ahead = static_cast<double>(b.size_at(s, px).lots());
    p.join_seq = b.next_seq();
}
// Splits an execution of `size` lots against `ahead`: returns the lots that reach us.
[[nodiscard]] inline qty eat_front(double& ahead, qty size) noexcept {
    const double s = static_cast<double>(size.lots());
    if (s <= ahead) {
        ahead -= s;
        return qty{0};
    }
    const auto rest = static_cast<std::int64_t>(std::floor(s - ahead));
    ahead = 0.0;
    return qty{rest};
}
} // namespace detail

/// Exact FIFO from order ids (L3 data such as LOBSTER): an order is ahead of us if it arrived
/// before us (lower book seq) or is liquidity the book never saw an add for. Cancels ahead advance
/// us; executions eat the queue from the front; an execution of an order behind us means the
/// aggressor went through everything ahead, then us. Thread-safety: stateless.
struct fifo_queue {
    /// Joins behind every lot resting at (s, px).
    template <class Book>
    void on_join(queue_position& p, const Book& b, side s, price px) const noexcept {
        detail::join_back(p, b, s, px);
    }
    /// See QueueModel.
    template <class Book>
    [[nodiscard]] qty on_same_level(queue_position& p, const market_event& e, const Book& b) const noexcept {
        const auto* ro = b.find(e.id);
        const bool ahead_of_us = ro == nullptr || ro->seq < p.join_seq;
        if (e.type == event_type::execute) {
            if (ahead_of_us) return detail::eat_front(p.ahead, e.size);
            p.ahead = 0.0;
            return e.size;
        }
        if (ahead_of_us) p.ahead = std::max(0.0, p.ahead - static_cast<double>(detail::leaving_lots(e, b).lots()));
        return qty{0};
    }
};

/// Conservative model (hftbacktest's RiskAdverseQueueModel): only trades at our price advance us;
/// a cancel never does, except that we can never be behind more than the level holds.
/// Thread-safety: stateless.
struct risk_averse_queue {
    /// Joins behind every lot resting at (s, px).
    template <class Book>
    void on_join(queue_position& p, const Book& b, side s, price px) const noexcept {
        detail::join_back(p, b, s, px);
    }
    /// See QueueModel.
    template <class Book>
    [[nodiscard]] qty on_same_level(queue_position& p, const market_event& e, const Book& b) const noexcept {
        if (e.type == event_type::execute) return detail::eat_front(p.ahead, e.size);
        const qty left = b.size_at(e.side, e.px) - detail::leaving_lots(e, b);
        p.ahead = std::min(p.ahead, static_cast<double>(std::max<std::int64_t>(0, left.lots())));
        return qty{0};
    }
};

/// Probabilistic model (hftbacktest's ProbQueueModel with PowerProbQueueFunc; after
/// rigtorp.se/2013/06/08/estimating-order-queue-position): trades at our price advance us; a
/// decrease of c lots that is not a trade came from behind us with probability
/// p = f(back) / (f(back) + f(front)), f(x) = x^n, and our expected position becomes
/// front - (1 - p) c + min(back - p c, 0), capped by what the level holds. With L3 events trades and
/// cancels are told apart exactly, so no trade double counting needs undoing. Thread-safety: stateless.
struct prob_queue {
    double n = 3.0; ///< Power of f(x) = x^n (hftbacktest's examples use 2 or 3); > 0.
    /// Joins behind every lot resting at (s, px).
    template <class Book>
    void on_join(queue_position& p, const Book& b, side s, price px) const noexcept {
        detail::join_back(p, b, s, px);
    }
    /// See QueueModel.
    template <class Book>
    [[nodiscard]] qty on_same_level(queue_position& p, const market_event& e, const Book& b) const noexcept {
        if (e.type == event_type::execute) return detail::eat_front(p.ahead, e.size);
        const double level = static_cast<double>(b.size_at(e.side, e.px).lots());
        const double chg = static_cast<double>(detail::leaving_lots(e, b).lots());
        const double front = std::min(p.ahead, level);
        const double back = std::max(0.0, level - front);
        const double fb = std::pow(back, n);
        const double ff = std::pow(front, n);
        const double prob = (fb + ff) > 0.0 ? fb / (fb + ff) : 1.0;
        const double est = front - (1.0 - prob) * chg + std::min(back - prob * chg, 0.0);
        p.ahead = std::clamp(est, 0.0, std::max(0.0, level - chg));
        return qty{0};
    }
};

/// Which queue model `any_queue` runs.
enum class queue_kind : std::uint8_t {
    fifo = 0,    ///< fifo_queue
    risk_averse, ///< risk_averse_queue
    prob,        ///< prob_queue
};

/// One of the three queue models chosen at run time (for command lines and configuration files):
/// a switch per call, no virtual call. Thread-safety: stateless.
struct any_queue {
    queue_kind kind = queue_kind::fifo; ///< The model in use.
    prob_queue prob{};                  ///< Settings of the probabilistic model.
    /// See QueueModel.
    template <class Book>
    void on_join(queue_position& p, const Book& b, side s, price px) const noexcept {
        switch (kind) {
            case queue_kind::fifo: fifo_queue{}.on_join(p, b, s, px); return;
            case queue_kind::risk_averse: risk_averse_queue{}.on_join(p, b, s, px); return;
            case queue_kind::prob: prob.on_join(p, b, s, px); return;
        }
    }
    /// See QueueModel.
    template <class Book>
    [[nodiscard]] qty on_same_level(queue_position& p, const market_event& e, const Book& b) const noexcept {
        switch (kind) {
            case queue_kind::fifo: return fifo_queue{}.on_same_level(p, e, b);
            case queue_kind::risk_averse: return risk_averse_queue{}.on_same_level(p, e, b);
            case queue_kind::prob: return prob.on_same_level(p, e, b);
        }
        return qty{0};
    }
};

// ------------------------------------------------------------------------------------------------
// Latency models
// ------------------------------------------------------------------------------------------------

/// The same latency for every message. Thread-safety: value type.
struct constant_latency {
    duration entry_latency{0};    ///< Order entry (ns).
    duration response_latency{0}; ///< Report back (ns).
    /// Order-entry latency (ns).
    [[nodiscard]] duration entry(timestamp) const noexcept { return entry_latency; }
    /// Response latency (ns).
    [[nodiscard]] duration response(timestamp) const noexcept { return response_latency; }
    /// Empty when both legs are within 0..bounds::max_duration_ns (so an event time within
    /// bounds::max_timestamp_ns plus a leg cannot overflow), else what is wrong.
    [[nodiscard]] static constexpr std::string_view check(const constant_latency& c) noexcept {
        if (c.entry_latency.ns() < 0 || c.response_latency.ns() < 0) return "latency must be >= 0 ns";
        if (c.entry_latency.ns() > bounds::max_duration_ns || c.response_latency.ns() > bounds::max_duration_ns)
            return "latency must be at most 2^61 ns (core/bounds.hpp)";
        return {};
    }
};

/// One recorded round trip: when the order was sent and how long each leg took (ns).
struct latency_sample {
    timestamp ts;     ///< Send time.
    duration entry;   ///< Order entry latency.
    duration response; ///< Response latency.
};

/// Latencies recorded from a live session, linearly interpolated in time between samples and held
/// constant before the first and after the last (as hftbacktest's IntpOrderLatency).
/// Thread-safety: read-only after construction.
class recorded_latency {
public:
    /// From samples (sorted here by time; at least one, every leg in 0..bounds::max_duration_ns).
    /// Throws std::invalid_argument.
    explicit recorded_latency(std::vector<latency_sample> samples) : samples_(std::move(samples)) {
        if (samples_.empty()) throw std::invalid_argument("recorded_latency: no samples");
        for (const auto& s : samples_) {
            if (s.entry.ns() < 0 || s.response.ns() < 0) throw std::invalid_argument("recorded_latency: negative latency");
            if (s.entry.ns() > bounds::max_duration_ns || s.response.ns() > bounds::max_duration_ns)
                throw std::invalid_argument("recorded_latency: latency above 2^61 ns (core/bounds.hpp)");
        }
        std::stable_sort(samples_.begin(), samples_.end(), [](const latency_sample& a, const latency_sample& b) { return a.ts < b.ts; });
    }
    /// Interpolated order-entry latency at t (ns).
    [[nodiscard]] duration entry(timestamp t) const noexcept { return at(t, true); }
    /// Interpolated response latency at t (ns).
    [[nodiscard]] duration response(timestamp t) const noexcept { return at(t, false); }
    /// The samples, by time.
    [[nodiscard]] std::span<const latency_sample> samples() const noexcept { return samples_; }

private:
    [[nodiscard]] duration at(timestamp t, bool entry_leg) const noexcept {
        const auto leg = [entry_leg](const latency_sample& s) { return (entry_leg ? s.entry : s.response).ns(); };
        const auto it = std::lower_bound(samples_.begin(), samples_.end(), t, [](const latency_sample& s, timestamp x) { return s.ts < x; });
        if (it == samples_.begin()) return duration{leg(samples_.front())};
        if (it == samples_.end()) return duration{leg(samples_.back())};
        const latency_sample& hi = *it;
        const latency_sample& lo = *(it - 1);
        const double span = static_cast<double>((hi.ts - lo.ts).ns());
        if (span <= 0.0) return duration{leg(hi)};
        const double w = static_cast<double>((t - lo.ts).ns()) / span;
        return duration{static_cast<std::int64_t>(std::llround(static_cast<double>(leg(lo)) + w * static_cast<double>(leg(hi) - leg(lo))))};
    }
    std::vector<latency_sample> samples_;
};

// ------------------------------------------------------------------------------------------------
// Fee models
// ------------------------------------------------------------------------------------------------

/// Fees per lot filled, in ticks (with LOBSTER's $0.0001 tick: 30 = $0.0030 per share, NASDAQ's
/// classic take fee; -20 = a $0.0020 rebate). Thread-safety: value type.
struct per_lot_fees {
    std::int64_t maker_ticks_per_lot = 0; ///< Passive fills.
    std::int64_t taker_ticks_per_lot = 0; ///< Aggressive fills.
    /// (maker or taker rate) x lots, tick-lots. Within the bounds (|rate| <= 10^6 ticks, see
    /// check(); q <= bounds::max_qty_lots = 10^8) the product is at most 10^14: no overflow.
    /// Beyond them the product saturates at +-bounds::max_notional_tick_lots instead of wrapping.
    [[nodiscard]] notional fee(price, qty q, bool maker) const noexcept {
        const std::int64_t rate = maker ? maker_ticks_per_lot : taker_ticks_per_lot;
        const double v = static_cast<double>(rate) * static_cast<double>(q.lots());
        if (std::fabs(v) > static_cast<double>(bounds::max_notional_tick_lots))
            return notional{v > 0 ? bounds::max_notional_tick_lots : -bounds::max_notional_tick_lots};
        return notional{rate * q.lots()};
    }
    /// Empty when both rates are within +-bounds::max_fee_ticks_per_lot, else what is wrong.
    [[nodiscard]] static constexpr std::string_view check(const per_lot_fees& f) noexcept {
        const auto ok = [](std::int64_t t) { return t >= -bounds::max_fee_ticks_per_lot && t <= bounds::max_fee_ticks_per_lot; };
        if (!ok(f.maker_ticks_per_lot) || !ok(f.taker_ticks_per_lot))
            return "per-lot fee must be within -1000000..1000000 ticks per lot (core/bounds.hpp)";
        return {};
    }
};

/// Fees in basis points of the fill's notional (crypto venues), rounded half away from zero to a
/// whole tick-lot per fill (venues round fees too; the error is below one tick-lot per fill).
/// Thread-safety: value type.
struct bps_fees {
    double maker_bps = 0.0; ///< Passive fills (negative = rebate).
    double taker_bps = 0.0; ///< Aggressive fills.
    /// notional x bps / 10,000, rounded, tick-lots. Within the bounds (px x q <= 10^18 tick-lots,
    /// |bps| <= 10,000, see check()) |fee| <= 10^18 fits. Beyond them (or a NaN rate) the result
    /// saturates at +-bounds::max_notional_tick_lots (0 for NaN) instead of reaching llround's
    /// undefined range.
    [[nodiscard]] notional fee(price px, qty q, bool maker) const noexcept {
        const double v = static_cast<double>(px.ticks()) * static_cast<double>(q.lots()) * (maker ? maker_bps : taker_bps) / 10'000.0;
        constexpr auto cap = static_cast<double>(bounds::max_notional_tick_lots);
        if (!(std::fabs(v) <= cap)) {
            if (std::isnan(v)) return notional{0};
            return notional{v > 0 ? bounds::max_notional_tick_lots : -bounds::max_notional_tick_lots};
        }
        return notional{static_cast<std::int64_t>(std::llround(v))};
    }
    /// Empty when both rates are finite and within +-bounds::max_fee_bps (100%), else what is wrong.
    [[nodiscard]] static std::string_view check(const bps_fees& f) noexcept {
        if (!bounds::fee_bps_ok(f.maker_bps) || !bounds::fee_bps_ok(f.taker_bps))
            return "fee in bps must be a finite number within -10000..10000 (core/bounds.hpp)";
        return {};
    }
};

/// Both kinds at once: per-lot ticks plus bps of notional (some venues charge both).
/// Thread-safety: value type.
struct fee_schedule {
    per_lot_fees per_lot{}; ///< Per-lot part.
    bps_fees bps{};         ///< Notional part.
    /// Sum of both parts, tick-lots (each part is at most bounds::max_notional_tick_lots in
    /// magnitude, so their sum cannot overflow).
    [[nodiscard]] notional fee(price px, qty q, bool maker) const noexcept {
        return per_lot.fee(px, q, maker) + bps.fee(px, q, maker);
    }
    /// Empty when both parts pass their check(), else what is wrong.
    [[nodiscard]] static std::string_view check(const fee_schedule& f) noexcept {
        if (const std::string_view why = per_lot_fees::check(f.per_lot); !why.empty()) return why;
        return bps_fees::check(f.bps);
    }
};

static_assert(LatencyModel<constant_latency> && LatencyModel<recorded_latency>, "latency models (docs/concepts.md#latencymodel)");
static_assert(FeeModel<per_lot_fees> && FeeModel<bps_fees> && FeeModel<fee_schedule>, "fee models (docs/concepts.md#feemodel)");

} // namespace v0
} // namespace pinnacle
