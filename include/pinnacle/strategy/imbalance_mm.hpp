#pragma once
/// @file strategy/imbalance_mm.hpp
/// Imbalance-skewed spread market maker: quotes about a microprice, widened by volatility and by
/// book imbalance, shifted toward the side the imbalance predicts and away from inventory.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/venue/orders.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/signal/imbalance.hpp"
#include "pinnacle/signal/microprice.hpp"
#include "pinnacle/strategy/quoting.hpp"  // detail::place_quotes and friends
#include "pinnacle/strategy/concepts.hpp"

namespace pinnacle {
inline namespace v0 {

/// The price an `imbalance_mm` quotes about.
enum class fair_price_source : std::uint8_t {
    mid = 0,      ///< (best bid + best ask) / 2.
    weighted_mid, ///< Best-level weighted mid (`weighted_mid`, Stoikov 2018's first-order micro-price).
    microprice,   ///< Multi-level weighted mid (`multi_level_microprice` with the config's levels and decay).
};

/// Settings of an `imbalance_mm` strategy. Everything is in ticks and lots (no currency); the
/// coefficients are linear and >= 0, so 0 switches a term off.
///
/// The defaults are starting points for a stock quoted on a 100-tick increment (LOBSTER: $0.01),
/// not values fitted to any data.
struct imbalance_mm_config {
    fair_price_source fair = fair_price_source::microprice;  ///< Price the quotes are centred on (before skews).
    std::size_t microprice_levels = 3;  ///< Levels per side in the multi-level microprice, >= 1.
    double microprice_decay = 0.5;      ///< Geometric weight decay^i of level i in the microprice, in [0, 1].
    std::size_t imbalance_levels = 5;   ///< Levels per side in the book imbalance rho, >= 1.
    double base_half_spread_ticks = 100.0; ///< Half-spread before widening (ticks), >= 0.
    /// Widening per unit of volatility (sqrt(s)): adds vol_spread_coeff * sigma ticks to the
    /// half-spread, sigma the mid's volatility (ticks/sqrt(s)); e.g. sqrt(horizon seconds).
    double vol_spread_coeff = 1.0;
    double imbalance_spread_ticks = 50.0; ///< Widening at |rho| = 1 (ticks), >= 0: adds imbalance_spread_ticks * |rho|.
    double imbalance_skew_ticks = 50.0;   ///< Shift of both quotes at rho = +1 (ticks), >= 0: adds imbalance_skew_ticks * rho.
    /// Shift of both quotes at position = +max_position (ticks), >= 0: subtracts
    /// inventory_skew_ticks * position / max_position (long lowers both quotes).
    double inventory_skew_ticks = 100.0;
    qty order_qty{100};                  ///< Size of each quote (lots), > 0.
    qty max_position{500};               ///< Soft cap: a fill of a new quote may not take |position| (lots, as known when quoting) past it; orders still working can (risk limits are the hard cap).
    std::int64_t quote_increment = 100;  ///< Ticks between allowed quote prices, > 0.
    std::int64_t min_spread_ticks = 0;   ///< Floor on the total quoted spread (ticks); 0 = `quote_increment`.
    ewma_volatility_config vol{};        ///< Volatility estimator settings (tau, warm-up; seconds); fed the mid in ticks.
};

/// Imbalance-skewed spread market maker. Thread-safety: one thread.
///
/// A linear version of the "basic" spread market maker (PinnacleMM's BasicMarketMaker widens its
/// spread by |book imbalance| and shifts both quotes against inventory), with the imbalance also
/// used as a short-term price signal. Per event, with the Book of the update (a DepthView):
///
///     rho    = book_imbalance(book, imbalance_levels)                  in [-1, 1]  (+1: only bids)
///     p      = fair price (ticks): mid, weighted_mid or multi_level_microprice
///     u      = position / max_position                                (0 when max_position is 0)
///     centre = p + imbalance_skew_ticks * rho - inventory_skew_ticks * u
///     half   = base_half_spread_ticks + vol_spread_coeff * sigma + imbalance_spread_ticks * |rho|
///     bid    = centre - half,   ask = centre + half
///
/// with sigma the mid's volatility (ticks/sqrt(s)) from `ewma_volatility` fed the mid (not the fair
/// price: the microprice jumps with queue sizes, which is not price variance). Positive imbalance
/// (more resting bids) predicts an up-move, so both quotes go up; a long position lowers both.
///
/// Sources: the weighted mid is the first-order ("naive") micro-price of S. Stoikov, "The
/// micro-price: a high-frequency estimator of future prices", Quantitative Finance 18(12),
/// 1959-1966, 2018, section 1; the multi-level variant is a heuristic extension
/// (signal/microprice.hpp). Quoting on an imbalance signal and against inventory follows A. Cartea,
/// S. Jaimungal and J. Penalva, "Algorithmic and High-Frequency Trading", CUP 2015, ch. 10 (market
/// making; section 10.4, short-term alpha), and A. Cartea, S. Jaimungal and J. Ricci, "Enhancing
/// trading strategies with order book signals", Applied Mathematical Finance 25(1), 2018, where the
/// imbalance predicts the sign of the next mid move. The linear form with fixed coefficients is a
/// heuristic, not the optimal control of those works. Note that with the microprice as fair price
/// the imbalance already moves the centre; imbalance_skew_ticks adds to that.
///
/// Quotes are rounded away from the touch to the quote increment and clamped so they never cross
/// the book (`detail::place_quotes`). Nothing is quoted while halted, on a one-sided or crossed top
/// of book, on a book whose DepthView lacks a side, before the volatility estimate is ready, or when
/// max_position is 0. On the event path: no allocation, everything noexcept, deterministic.
class imbalance_mm {
public:
    /// Why `c` is invalid, or an empty view when it is valid.
    [[nodiscard]] static constexpr std::string_view check(const imbalance_mm_config& c) noexcept {
        constexpr double max = std::numeric_limits<double>::max();
        if (c.fair != fair_price_source::mid && c.fair != fair_price_source::weighted_mid &&
            c.fair != fair_price_source::microprice)
            return "imbalance_mm_config.fair must be a fair_price_source";
        if (c.microprice_levels < 1) return "imbalance_mm_config.microprice_levels must be >= 1";
        if (!valid_level_decay(c.microprice_decay)) return "imbalance_mm_config.microprice_decay must be in [0, 1]";
        if (c.imbalance_levels < 1) return "imbalance_mm_config.imbalance_levels must be >= 1";
        if (!(c.base_half_spread_ticks >= 0.0 && c.base_half_spread_ticks <= max))
            return "imbalance_mm_config.base_half_spread_ticks must be finite and >= 0";
        if (!(c.vol_spread_coeff >= 0.0 && c.vol_spread_coeff <= max))
            return "imbalance_mm_config.vol_spread_coeff must be finite and >= 0";
        if (!(c.imbalance_spread_ticks >= 0.0 && c.imbalance_spread_ticks <= max))
            return "imbalance_mm_config.imbalance_spread_ticks must be finite and >= 0";
        if (!(c.imbalance_skew_ticks >= 0.0 && c.imbalance_skew_ticks <= max))
            return "imbalance_mm_config.imbalance_skew_ticks must be finite and >= 0";
        if (!(c.inventory_skew_ticks >= 0.0 && c.inventory_skew_ticks <= max))
            return "imbalance_mm_config.inventory_skew_ticks must be finite and >= 0";
        if (c.order_qty.lots() <= 0) return "imbalance_mm_config.order_qty must be > 0 lots";
        if (c.max_position.lots() < 0) return "imbalance_mm_config.max_position must be >= 0 lots";
        if (c.quote_increment <= 0) return "imbalance_mm_config.quote_increment must be > 0 ticks";
        if (c.min_spread_ticks < 0) return "imbalance_mm_config.min_spread_ticks must be >= 0 (0 = quote_increment)";
        return ewma_volatility::check(c.vol);
    }

    /// A strategy with settings `c`; throws std::invalid_argument (aborts without exceptions) if
    /// `check(c)` reports a problem.
    explicit imbalance_mm(const imbalance_mm_config& c = {})
        : cfg_(validated(c)),
          vol_(c.vol),
          rules_{c.quote_increment, c.min_spread_ticks > 0 ? c.min_spread_ticks : c.quote_increment, c.order_qty,
                 c.max_position} {}

    /// The fair price (ticks) of `book` under `c`: nullopt when a side of the book is empty.
    template <DepthView Book>
    [[nodiscard]] static std::optional<double> fair_price(const Book& book, const imbalance_mm_config& c) noexcept {
        switch (c.fair) {
            case fair_price_source::mid: {
                if (book.depth(side::buy) == 0 || book.depth(side::sell) == 0) return std::nullopt;
                return (static_cast<double>(book.level(side::buy, 0).px.ticks()) +
                        static_cast<double>(book.level(side::sell, 0).px.ticks())) * 0.5;
            }
            case fair_price_source::weighted_mid: return weighted_mid(book);
            case fair_price_source::microprice:
                return multi_level_microprice(book, c.microprice_levels, c.microprice_decay);
        }
        return std::nullopt;
    }

    /// Strategy entry point: reads the top of book, the depth of `u.book` and our position.
    template <DepthView Book>
    [[nodiscard]] quote_pair on_market(const market_update<Book>& u) noexcept {
        const market_snapshot& m = u.top;
        if (!detail::quotable(m)) return {};
        // Average of two exact integers: exact in double for any realistic tick count (< 2^52).
        const double mid_ticks =
            (static_cast<double>(m.best_bid.ticks()) + static_cast<double>(m.best_ask.ticks())) * 0.5;
        vol_.update(m.ts, mid_ticks);
        if (!vol_.ready()) return {};
        const std::int64_t lim = cfg_.max_position.lots();
        if (lim == 0) return {};  // no size on either side, and u below would divide by 0

        const std::optional<double> fair = fair_price(u.book, cfg_);
        if (!fair) return {};
        const double rho = book_imbalance(u.book, cfg_.imbalance_levels);
        const double inv = static_cast<double>(u.position.lots()) / static_cast<double>(lim);
        const double sigma = vol_.sigma();

        const double centre = *fair + cfg_.imbalance_skew_ticks * rho - cfg_.inventory_skew_ticks * inv;
        const double half =
            cfg_.base_half_spread_ticks + cfg_.vol_spread_coeff * sigma + cfg_.imbalance_spread_ticks * std::fabs(rho);
        const double bid_t = centre - half;
        const double ask_t = centre + half;
        // Both sides or neither: a non-finite value here is a numeric failure (huge coefficients).
        if (!(std::isfinite(bid_t) && std::isfinite(ask_t))) return {};
        last_rho_ = rho;
        last_fair_ = *fair;
        return detail::place_quotes(bid_t, ask_t, m, u.position, rules_);
    }

    /// Counts our fills (position itself comes in through `on_market`); other reports are ignored.
    void on_execution(const execution_report& r) noexcept { fills_.on_execution(r); }

    /// Number of fill reports seen.
    [[nodiscard]] std::uint64_t fills() const noexcept { return fills_.fills; }
    /// Total lots bought in fills.
    [[nodiscard]] qty bought() const noexcept { return fills_.bought; }
    /// Total lots sold in fills.
    [[nodiscard]] qty sold() const noexcept { return fills_.sold; }
    /// The book imbalance rho in [-1, 1] of the last update that passed every gate and was priced (0 before).
    [[nodiscard]] double last_imbalance() const noexcept { return last_rho_; }
    /// The fair price (ticks) of the last update that passed every gate and was priced (0 before).
    [[nodiscard]] double last_fair_price() const noexcept { return last_fair_; }
    /// The volatility estimator, fed the mid (ticks) of every trading, two-sided, uncrossed snapshot.
    [[nodiscard]] const ewma_volatility& volatility() const noexcept { return vol_; }
    /// The settings as given (see `min_spread_ticks()` for the resolved default).
    [[nodiscard]] const imbalance_mm_config& config() const noexcept { return cfg_; }
    /// Floor on the total spread (ticks) actually used.
    [[nodiscard]] std::int64_t min_spread_ticks() const noexcept { return rules_.min_spread_ticks; }

private:
    static const imbalance_mm_config& validated(const imbalance_mm_config& c) {
        detail::require_valid_config(check(c));
        return c;
    }

    imbalance_mm_config cfg_;
    ewma_volatility vol_;
    detail::quote_rules rules_;
    double last_rho_ = 0.0;
    double last_fair_ = 0.0;
    detail::fill_counters fills_{};
};

static_assert(Strategy<imbalance_mm, depth_book>,
              "imbalance_mm must satisfy Strategy (include/pinnacle/strategy/concepts.hpp)");

} // namespace v0
} // namespace pinnacle
