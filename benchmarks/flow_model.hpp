#pragma once
/// @file flow_model.hpp
/// A zero-intelligence order-flow model calibrated on a real LOBSTER day, and a seeded,
/// deterministic generator of arbitrarily long days from it (benchmark fixture for bench_book_scale).
///
/// Model: the zero-intelligence flow of Smith, Farmer, Gillemot and Krishnamurthy, "Statistical
/// theory of the continuous double auction", Quantitative Finance 3 (2003): limit orders arrive at
/// random prices around the best quotes, market orders execute against the best level, and every
/// resting order is cancelled at the same rate, independently of the others. Instead of SFGK's
/// uniform price and fixed size, the price offsets, sizes and the message-type mix are the
/// empirical distributions of the calibration day (64 quantiles each). The cancellation rate per
/// order is set so that the live-order count holds at a chosen target (in SFGK the steady state
/// is the add rate over the per-order cancel rate), which is how a day is scaled up.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle_bench {

using pinnacle::event_type;
using pinnacle::market_event;
using pinnacle::side;

/// Order-flow statistics measured on one day (see calibrate()).
struct flow_model {
    static constexpr std::size_t quantiles = 64; ///< Points of each empirical distribution.
    double p_add = 0.5;          ///< Share of adds among add / cancel / delete / execute messages.
    double p_cancel = 0.02;      ///< Share of partial cancels.
    double p_delete = 0.4;       ///< Share of full deletes.
    double p_execute = 0.08;     ///< Share of visible executions.
    std::int64_t tick = 1;       ///< Price step (ticks of the book's price unit): gcd of the add prices.
    std::int64_t start_px = 0;   ///< First add price of the day (ticks): where a generated day starts.
    std::array<std::int64_t, quantiles> add_size{};   ///< Add sizes (lots), ascending quantiles.
    std::array<std::int64_t, quantiles> add_offset{}; ///< Add price minus same-side best, in steps, positive = deeper.
    std::array<std::int64_t, quantiles> exec_size{};  ///< Execution sizes (lots), ascending quantiles.
    std::string source;          ///< What it was calibrated on.
};

namespace detail {
template <class T>
std::array<std::int64_t, flow_model::quantiles> quantiles_of(std::vector<T> v) {
    std::array<std::int64_t, flow_model::quantiles> q{};
    if (v.empty()) {
        q.fill(1);
        return q;
    }
    std::sort(v.begin(), v.end());
    for (std::size_t i = 0; i < q.size(); ++i) q[i] = static_cast<std::int64_t>(v[(2 * i + 1) * v.size() / (2 * q.size())]);
    return q;
}
inline std::int64_t gcd64(std::int64_t a, std::int64_t b) {
    while (b != 0) {
        const std::int64_t t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}
} // namespace detail

/// Measures a flow_model on a day of messages by replaying them through an l3_book: the type mix,
/// add and execution sizes, and each add's distance from the best price on its side just before it
/// (adds into an empty side are skipped). Throws std::bad_alloc.
inline flow_model calibrate(const std::vector<market_event>& day, std::string source) {
    flow_model m;
    m.source = std::move(source);
    pinnacle::l3_book book(pinnacle::l3_book_config{std::size_t{1} << 20, std::size_t{1} << 16});
    std::int64_t g = 0;
    for (const market_event& e : day)
        if (e.type == event_type::add) g = detail::gcd64(g, e.px.ticks());
    m.tick = g > 0 ? g : 1;
    std::vector<std::int64_t> sizes, offsets, execs;
    std::size_t n_add = 0, n_cancel = 0, n_delete = 0, n_exec = 0;
    for (const market_event& e : day) {
        switch (e.type) {
            case event_type::add: {
                ++n_add;
                if (m.start_px == 0) m.start_px = e.px.ticks();
                sizes.push_back(e.size.lots());
                const auto best = e.side == side::buy ? pinnacle::best_bid(book) : pinnacle::best_ask(book);
                if (best) {
                    const std::int64_t d = e.side == side::buy ? best->px.ticks() - e.px.ticks() : e.px.ticks() - best->px.ticks();
                    offsets.push_back(d / m.tick);
                }
                break;
            }
            case event_type::cancel: ++n_cancel; break;
            case event_type::remove: ++n_delete; break;
            case event_type::execute:
                ++n_exec;
                execs.push_back(e.size.lots());
                break;
            default: break;
        }
        (void)book.apply(e);
    }
    const double n = static_cast<double>(n_add + n_cancel + n_delete + n_exec);
    if (n > 0) {
        m.p_add = static_cast<double>(n_add) / n;
        m.p_cancel = static_cast<double>(n_cancel) / n;
        m.p_delete = static_cast<double>(n_delete) / n;
        m.p_execute = static_cast<double>(n_exec) / n;
    }
    m.add_size = detail::quantiles_of(sizes);
    m.add_offset = detail::quantiles_of(offsets);
    m.exec_size = detail::quantiles_of(execs);
    return m;
}

/// Streams a synthetic day from a flow_model: seeded, deterministic (same model, seed and target
/// give the same messages on every platform: std::mt19937_64 and integer arithmetic only).
/// The first `live_target` messages are adds that build the book (the start of the day); then
/// each message is an add, partial cancel, delete or execution with the model's shares, the add
/// share scaled by target / live so the live count stays near the target. Deletes and cancels pick
/// a uniformly random live order (SFGK); executions hit the oldest order of a random side's best
/// level; adds are priced at the best on their side minus a sampled offset (never crossing the
/// other side). Messages are exactly what the LOBSTER reader makes of a message file: ns, ticks, lots.
class flow_generator {
public:
    /// A generator for `live_target` live orders (its own book holds up to 2 x that + 1024).
    /// Throws std::bad_alloc.
    flow_generator(const flow_model& m, std::uint64_t seed, std::size_t live_target)
        : m_(m), rng_(seed), target_(live_target == 0 ? 1 : live_target),
          book_(pinnacle::l3_book_config{2 * target_ + 1024, std::size_t{1} << 16}) {
        book_.reserve(2 * target_ + 1024);
        live_.reserve(2 * target_ + 1024);
    }

    /// Replaces `out` with the next `n` messages.
    void next(std::vector<market_event>& out, std::size_t n) {
        out.clear();
        for (std::size_t i = 0; i < n; ++i) out.push_back(step());
    }

    /// Orders resting in the generated book now.
    [[nodiscard]] std::size_t live() const noexcept { return book_.order_count(); }
    /// Bytes the generator's own book holds (l3_book::memory_bytes()).
    [[nodiscard]] std::size_t book_bytes() const noexcept { return book_.memory_bytes(); }

private:
    std::uint64_t draw(std::uint64_t n) { return rng_() % n; }  // n > 0; modulo bias is irrelevant here
    double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
    std::int64_t sample(const std::array<std::int64_t, flow_model::quantiles>& q) { return q[draw(q.size())]; }

    market_event step() {
        ts_ += 1 + static_cast<std::int64_t>(draw(400'000));  // mean ~0.2 ms between messages
        const std::size_t live = book_.order_count();
        if (adds_ < target_ || live == 0) return add();
        const double r = static_cast<double>(live) / static_cast<double>(target_);
        const double pa = m_.p_add / (m_.p_add + (1 - m_.p_add) * r);
        const double u = uniform();
        if (u < pa) return add();
        const double rest = (u - pa) / (1 - pa) * (1 - m_.p_add);  // position among non-add types
        if (rest < m_.p_execute) {
            if (auto e = execute()) return *e;
        }
        return cancel(rest < m_.p_execute + m_.p_cancel);
    }

    market_event finish(market_event e) {
        e.ts = pinnacle::timestamp{ts_};
        const pinnacle::status st = book_.apply(e);
        (void)st;  // always ok: every message is built from the generator's own book
        return e;
    }

    market_event add() {
        ++adds_;
        const side s = draw(2) == 0 ? side::buy : side::sell;
        const auto own = s == side::buy ? pinnacle::best_bid(book_) : pinnacle::best_ask(book_);
        const auto other = s == side::buy ? pinnacle::best_ask(book_) : pinnacle::best_bid(book_);
        std::int64_t ref = own ? own->px.ticks() : (other ? other->px.ticks() + (s == side::buy ? -m_.tick : m_.tick) : m_.start_px);
        const std::int64_t off = sample(m_.add_offset) * m_.tick;
        std::int64_t px = s == side::buy ? ref - off : ref + off;
        if (other) {  // never cross: at most one step inside the other side's best
            if (s == side::buy && px >= other->px.ticks()) px = other->px.ticks() - m_.tick;
            if (s == side::sell && px <= other->px.ticks()) px = other->px.ticks() + m_.tick;
        }
        if (px < m_.tick) px = m_.tick;
        market_event e{};
        e.type = event_type::add;
        e.id = pinnacle::order_id{next_id_++};
        e.side = s;
        e.px = pinnacle::price{px};
        e.size = pinnacle::qty{std::max<std::int64_t>(1, sample(m_.add_size))};
        live_.push_back(e.id.value());
        return finish(e);
    }

    std::optional<market_event> execute() {
        side s = draw(2) == 0 ? side::buy : side::sell;
        if (book_.depth(s) == 0) s = s == side::buy ? side::sell : side::buy;
        if (book_.depth(s) == 0) return std::nullopt;
        const pinnacle::resting_order* o = book_.front(s, 0);
        if (o == nullptr) return std::nullopt;
        market_event e{};
        e.type = event_type::execute;
        e.id = o->id;
        e.side = o->side;
        e.px = o->px;
        e.size = pinnacle::qty{std::clamp<std::int64_t>(sample(m_.exec_size), 1, o->size.lots())};
        return finish(e);
    }

    market_event cancel(bool partial) {
        for (;;) {  // live_ holds every live id, plus ids gone since: dropped when drawn
            const std::size_t k = draw(live_.size());
            const pinnacle::resting_order* o = book_.find(pinnacle::order_id{live_[k]});
            if (o == nullptr) {
                live_[k] = live_.back();
                live_.pop_back();
                continue;
            }
            market_event e{};
            e.id = o->id;
            e.side = o->side;
            e.px = o->px;
            if (partial && o->size.lots() > 1) {
                e.type = event_type::cancel;
                e.size = pinnacle::qty{1 + static_cast<std::int64_t>(draw(static_cast<std::uint64_t>(o->size.lots() - 1)))};
            } else {
                e.type = event_type::remove;
                e.size = o->size;
                live_[k] = live_.back();
                live_.pop_back();
            }
            return finish(e);
        }
    }

    flow_model m_;
    std::mt19937_64 rng_;
    std::size_t target_;
    pinnacle::l3_book book_;
    std::vector<std::uint64_t> live_;
    std::uint64_t next_id_ = 1;
    std::size_t adds_ = 0;
    std::int64_t ts_ = 34'200'000'000'000;  // 09:30 in ns after midnight, as LOBSTER days start
};

} // namespace pinnacle_bench
