#pragma once
/// @file strategy/avellaneda_stoikov_infinite.hpp
/// The Avellaneda-Stoikov market maker with an infinite horizon (discount omega, no session end).

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

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"
#include "pinnacle/strategy/concepts.hpp"
#include "pinnacle/strategy/quoting.hpp"

namespace pinnacle {
inline namespace v0 {


/// Settings of an `avellaneda_stoikov_infinite` strategy. Currency means the instrument's quote
/// currency. The fields shared with `avellaneda_stoikov_config` mean the same; there is no
/// `session` (no horizon) and no volatility estimator (see the class: sigma cancels).
struct avellaneda_stoikov_infinite_config {
    /// Risk aversion gamma (1/currency), > 0. The inventory shift of the quotes is about
    /// 1 / (gamma (q_max + 1)^2) with no sigma in it, so gamma must be ~200x the finite-horizon
    /// model's for quotes cents from the mid: 0.5/$ puts them ~3 cents out on a $200 stock.
    double gamma = 0.5;
    double k = 50.0;        ///< Decay k of the fill intensity lambda(delta) = A e^{-k delta} (1/currency), > 0.
    /// Inventory bound q_max (units of q), in (0, 1e9]. Sets the discount rate
    /// omega = gamma^2 sigma^2 (q_max + 1)^2 / 2 (1/s), which keeps the value function finite for
    /// |q| <= q_max; at q = +q_max the model stops bidding, at q = -q_max it stops offering.
    double q_max = 5.0;
    qty order_qty{100};     ///< Size of each quote (lots), > 0.
    /// Lots that count as one unit of inventory q (q = position / inventory_unit); 0 = `order_qty`.
    /// The model's q counts trades of one unit each, so one quote's fill should move q by 1.
    qty inventory_unit{0};
    qty max_position{500};  ///< Soft cap: a fill of a new quote may not take |position| (lots, as known when quoting) past it; orders still working can (risk limits are the hard cap).
    double tick_value = 0.0001;          ///< Currency per tick (`instrument::tick_value()`), > 0.
    std::int64_t quote_increment = 100;  ///< Ticks between allowed quote prices (100 = $0.01 on LOBSTER), > 0.
    std::int64_t min_spread_ticks = 0;   ///< Floor on the total quoted spread (ticks); 0 = `quote_increment`.
};

/// Avellaneda-Stoikov market maker over an infinite horizon. Thread-safety: one thread.
///
/// Source: M. Avellaneda and S. Stoikov, "High-frequency trading in a limit order book",
/// Quantitative Finance 8(3), 217-224, 2008. Section 2 (the optimizing agent, infinite-horizon
/// objective) discounts utility at rate omega (1/s):
///
///     v(x, s, q) = E[ integral_0^inf -exp(-omega t) exp(-gamma (x + q S_t)) dt ]
///                = -exp(-gamma (x + q s)) / (omega - gamma^2 sigma^2 q^2 / 2)     (omega > gamma^2 sigma^2 q^2 / 2)
///
/// and defines the reservation bid r_b and ask r_a by indifference, v(x - r_b, s, q + 1) = v(x, s, q)
/// and v(x + r_a, s, q - 1) = v(x, s, q), which gives
///
///     r_b = s + (1/gamma) ln(1 + (-1 - 2q) gamma^2 sigma^2 / (2 omega - gamma^2 q^2 sigma^2))
///     r_a = s - (1/gamma) ln(1 + ( 2q - 1) gamma^2 sigma^2 / (2 omega - gamma^2 q^2 sigma^2))
///
/// The r_b line is the paper's. For r_a the paper (as commonly reproduced) prints
/// s + (1/gamma) ln(1 + (1 - 2q) gamma^2 sigma^2 / (2 omega - gamma^2 q^2 sigma^2)), which agrees only
/// to first order: it is not symmetric about s at q = 0 and breaks r_a(q) = r_b(q - 1) (selling at q
/// undoes buying at q - 1). This class uses the exact solution of the paper's own indifference
/// equation above. The paper's choice omega = gamma^2 sigma^2 (q_max + 1)^2 / 2 bounds the inventory:
/// with it sigma cancels and, writing Q = q_max + 1,
///
///     r_b = s + (1/gamma) ln( (Q^2 - (q + 1)^2) / (Q^2 - q^2) )
///     r_a = s - (1/gamma) ln( (Q^2 - (q - 1)^2) / (Q^2 - q^2) )
///
/// so no volatility estimate is needed and quoting starts at the first quotable snapshot. Section 3
/// (the optimal distances for exponential intensities lambda = A e^{-k delta}) places the quotes
///
///     bid = r_b - (1/gamma) ln(1 + gamma / k),    ask = r_a + (1/gamma) ln(1 + gamma / k)
///
/// with s the mid (currency), q = position / inventory_unit clamped to [-q_max, q_max] (beyond the
/// bound the model is undefined; clamped, the side that would add is withdrawn and the other quotes
/// as at the bound). The quotes are rounded away from the touch to the quote increment and clamped so
/// they never cross the book (`detail::place_quotes`). On the event path: no allocation, everything
/// noexcept, deterministic.
class avellaneda_stoikov_infinite {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const avellaneda_stoikov_infinite_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (!(c.gamma > 0.0 && c.gamma <= max)) return "avellaneda_stoikov_infinite_config.gamma must be finite and > 0";
        if (!(c.k > 0.0 && c.k <= max)) return "avellaneda_stoikov_infinite_config.k must be finite and > 0";
        // The bound keeps (q_max + 1)^2 - q^2 well resolved in double precision.
        if (!(c.q_max > 0.0 && c.q_max <= 1e9)) return "avellaneda_stoikov_infinite_config.q_max must be > 0 and <= 1e9";
        if (c.order_qty.lots() <= 0) return "avellaneda_stoikov_infinite_config.order_qty must be > 0 lots";
        if (c.inventory_unit.lots() < 0)
            return "avellaneda_stoikov_infinite_config.inventory_unit must be >= 0 lots (0 = order_qty)";
        if (c.max_position.lots() < 0) return "avellaneda_stoikov_infinite_config.max_position must be >= 0 lots";
        if (!(c.tick_value > 0.0 && c.tick_value <= max))
            return "avellaneda_stoikov_infinite_config.tick_value must be finite and > 0";
        if (c.quote_increment <= 0) return "avellaneda_stoikov_infinite_config.quote_increment must be > 0 ticks";
        if (c.min_spread_ticks < 0)
            return "avellaneda_stoikov_infinite_config.min_spread_ticks must be >= 0 (0 = quote_increment)";
        return {};
    }

    /// A strategy with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem.
    explicit avellaneda_stoikov_infinite(const avellaneda_stoikov_infinite_config& c = {})
        : cfg_(validated(c)),
          inventory_unit_(c.inventory_unit.lots() > 0 ? c.inventory_unit.lots() : c.order_qty.lots()),
          rules_{c.quote_increment, c.min_spread_ticks > 0 ? c.min_spread_ticks : c.quote_increment, c.order_qty,
                 c.max_position},
          // (1/gamma) ln(1 + gamma/k) in ticks: half of AS's spread at T - t = 0.
          arrival_half_ticks_(avellaneda_stoikov::optimal_spread(c.gamma, 0.0, 0.0, c.k) * 0.5 / c.tick_value) {}

    /// The paper's discount rate omega = gamma^2 sigma^2 (q_max + 1)^2 / 2 (1/s) for risk aversion
    /// `gamma` (1/currency), volatility `sigma` (currency/sqrt(s)) and inventory bound `q_max` (units).
    [[nodiscard]] static constexpr double omega_for(double gamma, double sigma, double q_max) noexcept {
        return 0.5 * gamma * gamma * sigma * sigma * (q_max + 1.0) * (q_max + 1.0);
    }

    /// Reservation bid r_b = s + (1/gamma) ln(1 + (-1 - 2q) gamma^2 sigma^2 / (2 omega - gamma^2 q^2 sigma^2))
    /// (currency): A&S 2008, section 2, infinite horizon. `s` mid (currency), `q` inventory (units),
    /// `gamma` (1/currency), `sigma` (currency/sqrt(s)), `omega` discount (1/s). -infinity where the
    /// agent would pay nothing for one more unit (q + 1 at the edge of the domain); NaN outside the
    /// model's domain (2 omega <= gamma^2 sigma^2 q^2, or q + 1 beyond it).
    [[nodiscard]] static double reservation_bid(double s, double q, double gamma, double sigma, double omega) noexcept {
        const double g2s2 = gamma * gamma * sigma * sigma;
        const double den = 2.0 * omega - g2s2 * q * q;
        if (!(den > 0.0)) return std::numeric_limits<double>::quiet_NaN();
        return s + std::log(1.0 + (-1.0 - 2.0 * q) * g2s2 / den) / gamma;
    }

    /// Reservation ask r_a = s - (1/gamma) ln(1 + (2q - 1) gamma^2 sigma^2 / (2 omega - gamma^2 q^2 sigma^2))
    /// (currency): the exact solution of A&S 2008's indifference equation v(x + r_a, s, q - 1) = v(x, s, q)
    /// (see the class comment for how it differs from the printed formula). Units as in
    /// `reservation_bid`; +infinity at the other edge of the domain, NaN outside it.
    [[nodiscard]] static double reservation_ask(double s, double q, double gamma, double sigma, double omega) noexcept {
        const double g2s2 = gamma * gamma * sigma * sigma;
        const double den = 2.0 * omega - g2s2 * q * q;
        if (!(den > 0.0)) return std::numeric_limits<double>::quiet_NaN();
        return s - std::log(1.0 + (2.0 * q - 1.0) * g2s2 / den) / gamma;
    }

    /// Strategy entry point: needs only the top of book and our position.
    template <class Book>
    [[nodiscard]] quote_pair on_market(const market_update<Book>& u) noexcept {
        return on_market(u.top, u.position);
    }

    /// The quotes wanted with the market at `m`, holding `position` lots. Prices in ticks on the quote
    /// increment, sizes in lots; both sides inactive while halted or on a one-sided or crossed book.
    [[nodiscard]] quote_pair on_market(const market_snapshot& m, qty position) noexcept {
        if (!detail::quotable(m)) return {};
        // Average of two exact integers: exact in double for any realistic tick count (< 2^52).
        const double mid_ticks =
            (static_cast<double>(m.best_bid.ticks()) + static_cast<double>(m.best_ask.ticks())) * 0.5;
        const double qmax = cfg_.q_max;
        const double q = std::clamp(static_cast<double>(position.lots()) / static_cast<double>(inventory_unit_), -qmax, qmax);
        // omega = gamma^2 sigma^2 (q_max + 1)^2 / 2: sigma cancels (class comment). den >= 2 q_max + 1 > 0.
        const double big_q2 = (qmax + 1.0) * (qmax + 1.0);
        const double den = big_q2 - q * q;
        const double bid_ratio = (big_q2 - (q + 1.0) * (q + 1.0)) / den;
        const double ask_ratio = (big_q2 - (q - 1.0) * (q - 1.0)) / den;
        const double per_tick = 1.0 / (cfg_.gamma * cfg_.tick_value);  // (1/gamma) in ticks
        constexpr double inf = std::numeric_limits<double>::infinity();
        const double bid_t = bid_ratio > 0.0 ? mid_ticks + std::log(bid_ratio) * per_tick - arrival_half_ticks_ : -inf;
        const double ask_t = ask_ratio > 0.0 ? mid_ticks - std::log(ask_ratio) * per_tick + arrival_half_ticks_ : inf;
        return detail::place_quotes(bid_t, ask_t, m, position, rules_);
    }

    /// Counts our fills (position itself comes in through `on_market`); other reports are ignored.
    void on_execution(const execution_report& r) noexcept { fills_.on_execution(r); }

    /// Number of fill reports seen.
    [[nodiscard]] std::uint64_t fills() const noexcept { return fills_.fills; }
    /// Total lots bought in fills.
    [[nodiscard]] qty bought() const noexcept { return fills_.bought; }
    /// Total lots sold in fills.
    [[nodiscard]] qty sold() const noexcept { return fills_.sold; }
    /// The settings as given (see `inventory_unit()` and `min_spread_ticks()` for resolved defaults).
    [[nodiscard]] const avellaneda_stoikov_infinite_config& config() const noexcept { return cfg_; }
    /// Lots per unit of inventory q actually used.
    [[nodiscard]] std::int64_t inventory_unit() const noexcept { return inventory_unit_; }
    /// Floor on the total spread (ticks) actually used.
    [[nodiscard]] std::int64_t min_spread_ticks() const noexcept { return rules_.min_spread_ticks; }

private:
    static const avellaneda_stoikov_infinite_config& validated(const avellaneda_stoikov_infinite_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    avellaneda_stoikov_infinite_config cfg_;
    std::int64_t inventory_unit_;
    detail::quote_rules rules_;
    double arrival_half_ticks_;
    detail::fill_counters fills_{};
};

static_assert(Strategy<avellaneda_stoikov_infinite, depth_book>,
              "avellaneda_stoikov_infinite must satisfy Strategy (include/pinnacle/strategy/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
