#pragma once
/// @file strategy/avellaneda_stoikov.hpp
/// The Avellaneda-Stoikov market maker: quotes around an inventory-skewed reservation price.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#endif

#include "pinnacle/core/config_check.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/session.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of an `avellaneda_stoikov` strategy. Currency means the instrument's quote currency.
///
/// The defaults gamma = 0.0025 per $ and k = 50 per $ are starting points for a ~$200 NASDAQ stock
/// (set by flags in the backtest example), not values fitted to any data.
struct avellaneda_stoikov_config {
    double gamma = 0.0025;  ///< Risk aversion gamma (1/currency), > 0.
    double k = 50.0;        ///< Decay k of the fill intensity lambda(delta) = A e^{-k delta} (1/currency), > 0.
    qty order_qty{100};     ///< Size of each quote (lots), > 0.
    /// Lots that count as one unit of inventory q (q = position / inventory_unit); 0 = `order_qty`.
    /// The model's q counts trades of one unit each, so one quote's fill should move q by 1.
    qty inventory_unit{0};
    qty max_position{500};  ///< Soft cap: a fill of a new quote may not take |position| (lots, as known when quoting) past it; orders still working can (risk limits are the hard cap).
    /// The trading day whose close is the horizon T: T - t = `session.time_to_close(t)`, from the
    /// local time of day of each snapshot's UTC timestamp, so it holds on any date. Default:
    /// NASDAQ hours at offset 0 (timestamps that are ns after local midnight, as LOBSTER writes them
    /// without a date); for UTC epoch timestamps give the market's offset, e.g. `nasdaq_session(date)`
    /// or, for a 24 h crypto day closing at 00:00 UTC, open 0 and close 24 h at offset 0.
    trading_session session{};
    double tick_value = 0.0001;           ///< Currency per tick (`instrument::tick_value()`), > 0.
    std::int64_t quote_increment = 100;   ///< Ticks between allowed quote prices (100 = $0.01 on LOBSTER), > 0.
    ewma_volatility_config vol{};         ///< Volatility estimator settings (tau, warm-up; seconds).
    std::int64_t min_spread_ticks = 0;    ///< Floor on the total quoted spread (ticks); 0 = `quote_increment`.
};

/// Avellaneda-Stoikov market maker. Thread-safety: one thread.
///
/// Source: M. Avellaneda and S. Stoikov, "High-frequency trading in a limit order book",
/// Quantitative Finance 8(3), 217-224, 2008, section 3 (the approximate solution), reservation price
/// and optimal spread (eqs. (29)-(30) in the journal numbering):
///
///     r = s - q gamma sigma^2 (T - t)
///     delta_a + delta_b = gamma sigma^2 (T - t) + (2 / gamma) ln(1 + gamma / k)
///
/// with s the mid (currency), q the inventory in units, sigma the mid's volatility (currency/sqrt(s),
/// from `ewma_volatility`) and T - t the time left to the session's close (seconds, floored at 0;
/// see avellaneda_stoikov_config::session).
/// The quotes are r -/+ spread / 2, rounded away from the touch to the quote increment and clamped so
/// they never cross the book. On the event path: no allocation, everything noexcept, deterministic.
class avellaneda_stoikov {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const avellaneda_stoikov_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (!(c.gamma > 0.0 && c.gamma <= max)) return "avellaneda_stoikov_config.gamma must be finite and > 0";
        if (!(c.k > 0.0 && c.k <= max)) return "avellaneda_stoikov_config.k must be finite and > 0";
        if (c.order_qty.lots() <= 0) return "avellaneda_stoikov_config.order_qty must be > 0 lots";
        if (c.inventory_unit.lots() < 0) return "avellaneda_stoikov_config.inventory_unit must be >= 0 lots (0 = order_qty)";
        if (c.max_position.lots() < 0) return "avellaneda_stoikov_config.max_position must be >= 0 lots";
        if (!(c.tick_value > 0.0 && c.tick_value <= max)) return "avellaneda_stoikov_config.tick_value must be finite and > 0";
        if (c.quote_increment <= 0) return "avellaneda_stoikov_config.quote_increment must be > 0 ticks";
        if (c.min_spread_ticks < 0) return "avellaneda_stoikov_config.min_spread_ticks must be >= 0 (0 = quote_increment)";
        if (const std::string_view why = c.session.check(); !why.empty()) return why;
        return ewma_volatility::check(c.vol);
    }

    /// A strategy with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem.
    explicit avellaneda_stoikov(const avellaneda_stoikov_config& c = {})
        : cfg_(validated(c)),
          vol_(c.vol),
          inventory_unit_(c.inventory_unit.lots() > 0 ? c.inventory_unit.lots() : c.order_qty.lots()),
          min_spread_ticks_(c.min_spread_ticks > 0 ? c.min_spread_ticks : c.quote_increment),
          arrival_term_(arrival_spread(c.gamma, c.k)) {}

    /// Reservation (indifference) price r = s - q gamma sigma^2 tau (currency): A&S 2008, section 3.
    /// `s` mid (currency), `q` inventory (units), `gamma` (1/currency), `sigma` (currency/sqrt(s)),
    /// `tau` time left T - t (seconds).
    [[nodiscard]] static constexpr double reservation_price(double s, double q, double gamma, double sigma,
                                                            double tau) noexcept {
        return s - q * gamma * sigma * sigma * tau;
    }

    /// Optimal total spread delta_a + delta_b = gamma sigma^2 tau + (2/gamma) ln(1 + gamma/k)
    /// (currency): A&S 2008, section 3. Units as in `reservation_price`; `k` in 1/currency.
    [[nodiscard]] static double optimal_spread(double gamma, double sigma, double tau, double k) noexcept {
        return gamma * sigma * sigma * tau + arrival_spread(gamma, k);
    }

    /// Largest multiple of `increment` (> 0) that is <= `ticks`; correct for negative `ticks`.
    [[nodiscard]] static constexpr std::int64_t round_down(std::int64_t ticks, std::int64_t increment) noexcept {
        std::int64_t q = ticks / increment;
        if (ticks % increment != 0 && ticks < 0) --q;
        return q * increment;
    }

    /// Smallest multiple of `increment` (> 0) that is >= `ticks`; correct for negative `ticks`.
    [[nodiscard]] static constexpr std::int64_t round_up(std::int64_t ticks, std::int64_t increment) noexcept {
        std::int64_t q = ticks / increment;
        if (ticks % increment != 0 && ticks > 0) ++q;
        return q * increment;
    }

    /// Strategy entry point: AS needs only the top of book and our position.
    template <class Book>
    [[nodiscard]] quote_pair on_market(const market_update<Book>& u) noexcept {
        return on_market(u.top, u.position);
    }

    /// The quotes wanted after the market moved to `m`, holding `position` lots. Prices in ticks on
    /// the quote increment, sizes in lots; both sides inactive while halted, on a one-sided or
    /// crossed book, before the volatility estimate is ready, or if the maths is not finite.
    [[nodiscard]] quote_pair on_market(const market_snapshot& m, qty position) noexcept {
        quote_pair out{};
        if (!m.trading || !m.has_bid || !m.has_ask || m.best_bid >= m.best_ask) return out;

        const std::int64_t bb = m.best_bid.ticks();
        const std::int64_t ba = m.best_ask.ticks();
        // Average of two exact integers: exact in double for any realistic tick count (< 2^52).
        const double mid_ticks = (static_cast<double>(bb) + static_cast<double>(ba)) * 0.5;
        const double s = mid_ticks * cfg_.tick_value;
        vol_.update(m.ts, s);
        if (!vol_.ready()) return out;

        const double tau = static_cast<double>(cfg_.session.time_to_close(m.ts).ns()) * 1e-9;
        const double q = static_cast<double>(position.lots()) / static_cast<double>(inventory_unit_);
        const double sigma = vol_.sigma();
        const double r = reservation_price(s, q, cfg_.gamma, sigma, tau);
        const double spread = cfg_.gamma * sigma * sigma * tau + arrival_term_;

        const double r_ticks = r / cfg_.tick_value;
        const double half_ticks = std::max(spread / cfg_.tick_value, static_cast<double>(min_spread_ticks_)) * 0.5;
        const double bid_t = r_ticks - half_ticks;
        const double ask_t = r_ticks + half_ticks;
        // Also rejects NaN and +-inf; the bound keeps the casts below defined and leaves headroom
        // for the increment arithmetic.
        constexpr double limit = 0x1p62;
        if (!(std::fabs(bid_t) < limit && std::fabs(ask_t) < limit)) return out;

        // A value within snap_ticks of a whole tick is that tick: 99.6 / 0.0001 is 995999.99999999988
        // in binary floating point and must not be floored a whole increment away.
        constexpr double snap_ticks = 1e-6;
        const std::int64_t inc = cfg_.quote_increment;
        std::int64_t bid = round_down(static_cast<std::int64_t>(std::floor(bid_t + snap_ticks)), inc);
        std::int64_t ask = round_up(static_cast<std::int64_t>(std::ceil(ask_t - snap_ticks)), inc);
        // Never cross or lock the touch; the caps are rounded onto the grid in the safe direction.
        bid = std::min(bid, round_down(ba - inc, inc));
        ask = std::max(ask, round_up(bb + inc, inc));
        if (!(bid < ask)) return out;

        const std::int64_t pos = position.lots();
        const std::int64_t lim = cfg_.max_position.lots();
        const std::int64_t bid_size = std::min(cfg_.order_qty.lots(), lim - pos);  // a buy fill adds
        const std::int64_t ask_size = std::min(cfg_.order_qty.lots(), lim + pos);  // a sell fill subtracts
        if (bid_size > 0) out.bid = quote{price{bid}, qty{bid_size}, true};
        if (ask_size > 0) out.ask = quote{price{ask}, qty{ask_size}, true};
        return out;
    }

    /// Counts our fills (position itself comes in through `on_market`); other reports are ignored.
    void on_execution(const execution_report& r) noexcept {
        if (r.type != exec_type::fill) return;
        ++fills_;
        if (r.side == side::buy) bought_ += r.last_qty;
        else sold_ += r.last_qty;
    }

    /// Number of fill reports seen.
    [[nodiscard]] std::uint64_t fills() const noexcept { return fills_; }
    /// Total lots bought in fills.
    [[nodiscard]] qty bought() const noexcept { return bought_; }
    /// Total lots sold in fills.
    [[nodiscard]] qty sold() const noexcept { return sold_; }
    /// The volatility estimator, fed the mid (currency) of every trading, two-sided, uncrossed snapshot.
    [[nodiscard]] const ewma_volatility& volatility() const noexcept { return vol_; }
    /// The settings as given (see `inventory_unit()` and `min_spread_ticks()` for resolved defaults).
    [[nodiscard]] const avellaneda_stoikov_config& config() const noexcept { return cfg_; }
    /// Lots per unit of inventory q actually used.
    [[nodiscard]] std::int64_t inventory_unit() const noexcept { return inventory_unit_; }
    /// Floor on the total spread (ticks) actually used.
    [[nodiscard]] std::int64_t min_spread_ticks() const noexcept { return min_spread_ticks_; }

private:
    static const avellaneda_stoikov_config& validated(const avellaneda_stoikov_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    // (2 / gamma) ln(1 + gamma / k): the spread that remains at T (currency).
    static double arrival_spread(double gamma, double k) noexcept { return 2.0 / gamma * std::log1p(gamma / k); }

    avellaneda_stoikov_config cfg_;
    ewma_volatility vol_;
    std::int64_t inventory_unit_;
    std::int64_t min_spread_ticks_;
    double arrival_term_;
    std::uint64_t fills_ = 0;
    qty bought_{};
    qty sold_{};
};

static_assert(Strategy<avellaneda_stoikov, depth_book>,
              "avellaneda_stoikov must satisfy Strategy (include/pinnacle/strategy/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
