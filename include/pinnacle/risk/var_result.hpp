#pragma once
/// @file risk/var_result.hpp
/// What a Value at Risk / Expected Shortfall computation returns: the method, the estimate, the
/// error that says why there is none, and the normal-returns moments the models take.
/// 
/// Sign convention everywhere: P&L = position_value * r for a simple return r over one period (the
/// period of the returns given); VaR and ES are losses, positive when the tail P&L is a loss. A
/// short position (position_value < 0) loses on up moves. VaR may come out negative when even the
/// tail outcome is a gain (e.g. a strongly positive mean); it is reported as is, never clamped.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// How a VaR figure was computed.
enum class var_method : std::uint8_t {
    historical = 0, ///< Empirical quantile of past returns applied to today's position.
    parametric,     ///< Normal returns with the sample mean and sd: closed form.
    monte_carlo,    ///< Normal returns with the sample mean and sd: simulated paths.
};

/// Stable lower-case name of a var_method.
[[nodiscard]] constexpr std::string_view to_string(var_method m) noexcept {
    switch (m) {
        case var_method::historical: return "historical";
        case var_method::parametric: return "parametric";
        case var_method::monte_carlo: return "monte_carlo";
    }
    return "unknown";
}

/// Why a VaR computation produced no result. A call reports the first failure it finds, checking
/// confidence, then the position value, then the number of returns, then their values, then paths.
enum class var_error : std::uint8_t {
    none = 0,         ///< No error.
    bad_confidence,   ///< Confidence is NaN or not strictly inside (0, 1).
    invalid_input,    ///< Position value, a return, mean or sd NaN/inf; sd < 0; or the result overflows.
    too_few_samples,  ///< Fewer than 2 returns (a quantile or a sample sd needs at least 2).
    too_many_samples, ///< Historical: more returns than the engine's `max_history()`.
    bad_paths,        ///< Monte Carlo: paths < 2 or more than the engine's `max_paths()`.
};

/// Stable lower-case name of a var_error, for logs and reports.
[[nodiscard]] constexpr std::string_view to_string(var_error e) noexcept {
    switch (e) {
        case var_error::none: return "none";
        case var_error::bad_confidence: return "bad_confidence";
        case var_error::invalid_input: return "invalid_input";
        case var_error::too_few_samples: return "too_few_samples";
        case var_error::too_many_samples: return "too_many_samples";
        case var_error::bad_paths: return "bad_paths";
    }
    return "unknown";
}

/// One VaR / ES estimate. Thread-safety: value type (trivially copyable).
///
/// A default-constructed result means "no estimate": var and es are NaN, so every comparison
/// against a limit is false -- a check must test `std::isnan(var)` (or the publisher's version 0).
struct var_result {
    var_method method = var_method::historical; ///< Model used.
    double confidence = 0.0;                    ///< Confidence level c in (0, 1), e.g. 0.99.
    /// VaR: the loss (currency) not exceeded with probability c over one period.
    double var = std::numeric_limits<double>::quiet_NaN();
    /// ES: the mean loss (currency) over the worst 1 - c of outcomes; always >= var.
    double expected_shortfall = std::numeric_limits<double>::quiet_NaN();
    double position_value = 0.0; ///< Signed position value (currency) the estimate is for.
    /// Returns used (historical, parametric) or paths (Monte Carlo); 0 when moments were given.
    std::size_t samples = 0;
    timestamp as_of; ///< Time the estimate refers to (ns), as given by the caller.
};

static_assert(std::is_trivially_copyable_v<var_result>, "var_result is copied through var_publisher");

/// A var_result, or the var_error that says why there is none: the library's result type with
/// VaR's own error codes (order-path `status` codes would mislead: "too few returns" is not
/// `invalid_qty`). The reason travels with the answer; the engine keeps no error state between
/// calls. On failure value() is a default, NaN-valued var_result. Thread-safety: value type.
using var_outcome = result<var_result, var_error>;

/// Mean and standard deviation of one-period simple returns (dimensionless, e.g. 0.01 = 1 %).
struct normal_returns {
    double mean = 0.0; ///< Expected return per period.
    double sd = 0.0;   ///< Standard deviation of the return per period (>= 0).
};

} // namespace v0
} // namespace pinnacle
