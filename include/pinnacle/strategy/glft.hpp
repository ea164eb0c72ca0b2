#pragma once
/// @file strategy/glft.hpp
/// The Gueant-Lehalle-Fernandez-Tapia market maker: closed-form asymptotic quotes of the
/// inventory-constrained Avellaneda-Stoikov problem (no horizon, no session end).

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/strategy/quoting.hpp"  // detail::place_quotes and friends
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// Settings of a `glft` strategy. Currency means the instrument's quote currency.
///
/// The defaults are placeholders of the right order for a ~$200 NASDAQ stock (gamma and k as in
/// `avellaneda_stoikov_config`, A one fill per second at the mid), not values fitted to any data:
/// fit A and k to the fill intensity of your market (lambda(delta) = A e^{-k delta}).
struct glft_config {
    double gamma = 0.0025;  ///< Risk aversion gamma (1/currency), > 0; the model's xi is set to gamma.
    double A = 1.0;         ///< Fill intensity at distance 0 from the mid, A in lambda(delta) = A e^{-k delta} (1/s), > 0.
    double k = 50.0;        ///< Decay k of the fill intensity (1/currency), > 0.
    qty order_qty{100};     ///< Size of each quote (lots), > 0.
    /// Lots that count as one unit of inventory q (q = position / inventory_unit); 0 = `order_qty`.
    /// The order size in inventory units is Delta = order_qty / inventory_unit (1 by default, the
    /// GLFT 2013 case).
    qty inventory_unit{0};
    qty max_position{500};  ///< The model's Q and a soft cap: a fill of a new quote may not take |position| (lots, as known when quoting) past it; orders still working can.
    double tick_value = 0.0001;          ///< Currency per tick (`instrument::tick_value()`), > 0.
    std::int64_t quote_increment = 100;  ///< Ticks between allowed quote prices (100 = $0.01 on LOBSTER), > 0.
    ewma_volatility_config vol{};        ///< Volatility estimator settings (tau, warm-up; seconds).
    std::int64_t min_spread_ticks = 0;   ///< Floor on the total quoted spread (ticks); 0 = `quote_increment`.
};

/// Gueant-Lehalle-Fernandez-Tapia market maker. Thread-safety: one thread.
///
/// Source: O. Gueant, C.-A. Lehalle and J. Fernandez-Tapia, "Dealing with the inventory risk: a
/// solution to the market making problem", Mathematics and Financial Economics 7(4), 477-507, 2013:
/// the closed-form approximations of the optimal quotes far from the horizon (T -> infinity), from
/// the spectral characterisation of the asymptotic quotes. In the general form of O. Gueant,
/// "Optimal market making", Applied Mathematical Finance 24(2), 112-154, 2017 (closed-form
/// approximations; the 2013 paper is the case xi = gamma, Delta = 1), as in hftbacktest's GLFT
/// tutorial, the distances of the bid and ask below / above the mid s are
///
///     delta_b(q) = c1 + (Delta / 2) sigma c2 + q sigma c2      bid = s - delta_b(q)
///     delta_a(q) = c1 + (Delta / 2) sigma c2 - q sigma c2      ask = s + delta_a(q)
///     c1 = (1 / (xi Delta)) ln(1 + xi Delta / k)
///     c2 = sqrt( gamma / (2 A Delta k) * (1 + xi Delta / k)^(k / (xi Delta) + 1) )
///
/// i.e. a half-spread c1 + (Delta/2) sigma c2 about a mid shifted by -q sigma c2 (the skew). With
/// Delta = 1 this is GLFT 2013's delta_b = (1/gamma) ln(1 + gamma/k) + (2q + 1)/2 *
/// sqrt(sigma^2 gamma / (2 k A) (1 + gamma/k)^(1 + k/gamma)). Symbols and units:
///
/// - s: mid (currency); q = position / inventory_unit, Delta = order_qty / inventory_unit (counts of
///   inventory units, dimensionless);
/// - gamma = xi: risk aversion (1/currency); A (1/s) and k (1/currency): fill intensity A e^{-k delta};
/// - sigma: volatility of the mid (currency/sqrt(s)), from `ewma_volatility` fed the mid;
/// - c1 (currency), c2 (sqrt(s)), so sigma c2 is in currency.
///
/// The inventory bound Q of the model is `max_position`: a side whose fill would pass it shrinks or
/// goes. Quotes are rounded away from the touch to the quote increment and clamped so they never
/// cross the book (`detail::place_quotes`). On the event path: no allocation, everything noexcept,
/// deterministic.
class glft {
public:
    /// Why `c` is invalid, or an empty view when it is valid (also rejects settings whose c1 or c2
    /// is not a finite positive number).
    [[nodiscard]] static std::string_view check(const glft_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (!(c.gamma > 0.0 && c.gamma <= max)) return "glft_config.gamma must be finite and > 0";
        if (!(c.A > 0.0 && c.A <= max)) return "glft_config.A must be finite and > 0";
        if (!(c.k > 0.0 && c.k <= max)) return "glft_config.k must be finite and > 0";
        if (c.order_qty.lots() <= 0) return "glft_config.order_qty must be > 0 lots";
        if (c.inventory_unit.lots() < 0) return "glft_config.inventory_unit must be >= 0 lots (0 = order_qty)";
        if (c.max_position.lots() < 0) return "glft_config.max_position must be >= 0 lots";
        if (!(c.tick_value > 0.0 && c.tick_value <= max)) return "glft_config.tick_value must be finite and > 0";
        if (c.quote_increment <= 0) return "glft_config.quote_increment must be > 0 ticks";
        if (c.min_spread_ticks < 0) return "glft_config.min_spread_ticks must be >= 0 (0 = quote_increment)";
        if (const std::string_view why = ewma_volatility::check(c.vol); !why.empty()) return why;
        const double delta = order_size_units(c);
        const double a = c1(c.gamma, delta, c.k);
        const double b = c2(c.gamma, c.gamma, delta, c.A, c.k);
        if (!(a > 0.0 && a <= max && b > 0.0 && b <= max))
            return "glft_config: c1 and c2 must be finite and > 0 (gamma, A, k or the order size out of range)";
        return {};
    }

    /// A strategy with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem.
    explicit glft(const glft_config& c = {})
        : cfg_(validated(c)),
          vol_(c.vol),
          inventory_unit_(c.inventory_unit.lots() > 0 ? c.inventory_unit.lots() : c.order_qty.lots()),
          delta_(order_size_units(c)),
          c1_(c1(c.gamma, delta_, c.k)),
          c2_(c2(c.gamma, c.gamma, delta_, c.A, c.k)),
          rules_{c.quote_increment, c.min_spread_ticks > 0 ? c.min_spread_ticks : c.quote_increment, c.order_qty,
                 c.max_position} {}

    /// c1 = (1 / (xi Delta)) ln(1 + xi Delta / k) (currency): the half-spread's arrival term (GLFT 2013
    /// with xi = gamma, Delta = 1; Gueant 2017 in general). `xi` (1/currency) > 0, `delta` order size
    /// (inventory units) > 0, `k` (1/currency) > 0.
    [[nodiscard]] static double c1(double xi, double delta, double k) noexcept {
        const double xd = xi * delta;
        return std::log1p(xd / k) / xd;
    }

    /// c2 = sqrt( gamma / (2 A Delta k) * (1 + xi Delta / k)^(k / (xi Delta) + 1) ) (sqrt(s)): the
    /// inventory term per unit of sigma (GLFT 2013 with xi = gamma, Delta = 1; Gueant 2017 in general).
    /// `gamma`, `xi` (1/currency), `delta` (inventory units), `A` (1/s), `k` (1/currency), all > 0.
    [[nodiscard]] static double c2(double gamma, double xi, double delta, double A, double k) noexcept {
        const double xd = xi * delta;
        // (1 + x)^e as exp(e log1p(x)): accurate when xi Delta << k, where the power tends to e = 2.718...
        const double power = std::exp((k / xd + 1.0) * std::log1p(xd / k));
        return std::sqrt(gamma / (2.0 * A * delta * k) * power);
    }

    /// Half-spread c1 + (Delta / 2) sigma c2 (currency) for `sigma` (currency/sqrt(s)): the distance of
    /// each quote from the skewed mid s - q sigma c2.
    [[nodiscard]] static constexpr double half_spread(double c1v, double c2v, double sigma, double delta) noexcept {
        return c1v + 0.5 * delta * sigma * c2v;
    }

    /// Skew sigma c2 (currency per inventory unit): both quotes move down by skew * q.
    [[nodiscard]] static constexpr double skew(double c2v, double sigma) noexcept { return sigma * c2v; }

    /// Strategy entry point: GLFT needs only the top of book and our position.
    template <class Book>
    [[nodiscard]] quote_pair on_market(const market_update<Book>& u) noexcept {
        return on_market(u.top, u.position);
    }

    /// The quotes wanted after the market moved to `m`, holding `position` lots. Prices in ticks on
    /// the quote increment, sizes in lots; both sides inactive while halted, on a one-sided or
    /// crossed book, before the volatility estimate is ready, or if the maths is not finite.
    [[nodiscard]] quote_pair on_market(const market_snapshot& m, qty position) noexcept {
        if (!detail::quotable(m)) return {};
        // Average of two exact integers: exact in double for any realistic tick count (< 2^52).
        const double mid_ticks =
            (static_cast<double>(m.best_bid.ticks()) + static_cast<double>(m.best_ask.ticks())) * 0.5;
        vol_.update(m.ts, mid_ticks * cfg_.tick_value);
        if (!vol_.ready()) return {};

        const double sigma = vol_.sigma();
        const double q = static_cast<double>(position.lots()) / static_cast<double>(inventory_unit_);
        const double half_ticks = half_spread(c1_, c2_, sigma, delta_) / cfg_.tick_value;
        const double skew_ticks = skew(c2_, sigma) * q / cfg_.tick_value;
        const double bid_t = mid_ticks - (half_ticks + skew_ticks);
        const double ask_t = mid_ticks + (half_ticks - skew_ticks);
        // Both sides or neither: a non-finite value here is a numeric failure, not a model's refusal.
        if (!(std::isfinite(bid_t) && std::isfinite(ask_t))) return {};
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
    /// The volatility estimator, fed the mid (currency) of every trading, two-sided, uncrossed snapshot.
    [[nodiscard]] const ewma_volatility& volatility() const noexcept { return vol_; }
    /// The settings as given (see the accessors below for resolved defaults).
    [[nodiscard]] const glft_config& config() const noexcept { return cfg_; }
    /// Lots per unit of inventory q actually used.
    [[nodiscard]] std::int64_t inventory_unit() const noexcept { return inventory_unit_; }
    /// Order size Delta in inventory units (order_qty / inventory_unit).
    [[nodiscard]] double order_size() const noexcept { return delta_; }
    /// c1 (currency) for these settings.
    [[nodiscard]] double c1() const noexcept { return c1_; }
    /// c2 (sqrt(s)) for these settings.
    [[nodiscard]] double c2() const noexcept { return c2_; }
    /// Floor on the total spread (ticks) actually used.
    [[nodiscard]] std::int64_t min_spread_ticks() const noexcept { return rules_.min_spread_ticks; }

private:
    static const glft_config& validated(const glft_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    // Delta = order_qty / inventory_unit (inventory units); precondition: order_qty > 0.
    static double order_size_units(const glft_config& c) noexcept {
        const std::int64_t unit = c.inventory_unit.lots() > 0 ? c.inventory_unit.lots() : c.order_qty.lots();
        return static_cast<double>(c.order_qty.lots()) / static_cast<double>(unit);
    }

    glft_config cfg_;
    ewma_volatility vol_;
    std::int64_t inventory_unit_;
    double delta_;
    double c1_;
    double c2_;
    detail::quote_rules rules_;
    detail::fill_counters fills_{};
};

static_assert(Strategy<glft, depth_book>, "glft must satisfy Strategy (include/pinnacle/strategy/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
