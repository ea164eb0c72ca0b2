#pragma once
/// @file connect/decimal.hpp
/// Exact decimal strings <-> ticks and lots. Exchanges send prices and sizes as decimal text
/// ("61837.63000000") and publish the tick and lot sizes the same way ("0.01"); converting through
/// `double` would round, so every conversion here is integer arithmetic on the digits.

#include <bit>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// A non-negative decimal number `digits` x 10^-`scale`, normalised (no trailing fractional zero).
/// Bounds: digits < 10^18, scale <= 18. Thread-safety: value type.
struct decimal {
    std::uint64_t digits = 0; ///< The significant digits as an integer.
    std::uint8_t scale = 0;   ///< Digits after the decimal point.
    /// Equality of normalised values.
    friend constexpr bool operator==(decimal, decimal) noexcept = default;
};

/// Why a decimal string was refused.
enum class decimal_error : std::uint8_t {
    ok = 0,         ///< Parsed.
    empty,          ///< No digits at all.
    bad_char,       ///< A character other than digits and one '.'.
    negative,       ///< A leading '-' (prices and sizes here are never negative).
    too_long,       ///< More than 18 significant digits, or more than 18 decimals.
    off_grid,       ///< Not a whole multiple of the grid step.
    out_of_range,   ///< Whole multiples above the instrument's bound.
};

/// Stable lower-case explanation of a decimal_error.
[[nodiscard]] constexpr std::string_view to_string(decimal_error e) noexcept {
    switch (e) {
        case decimal_error::ok: return "ok";
        case decimal_error::empty: return "no digits";
        case decimal_error::bad_char: return "not a plain decimal number";
        case decimal_error::negative: return "negative";
        case decimal_error::too_long: return "more than 18 significant digits or decimals";
        case decimal_error::off_grid: return "not a whole multiple of the grid step";
        case decimal_error::out_of_range: return "above the instrument's bound";
    }
    return "unknown";
}

namespace detail {
inline constexpr std::uint64_t pow10_table[20] = {1ull,
                                                  10ull,
                                                  100ull,
                                                  1000ull,
                                                  10000ull,
                                                  100000ull,
                                                  1000000ull,
                                                  10000000ull,
                                                  100000000ull,
                                                  1000000000ull,
                                                  10000000000ull,
                                                  100000000000ull,
                                                  1000000000000ull,
                                                  10000000000000ull,
                                                  100000000000000ull,
                                                  1000000000000000ull,
                                                  10000000000000000ull,
                                                  100000000000000000ull,
                                                  1000000000000000000ull,
                                                  10000000000000000000ull};
__extension__ typedef unsigned __int128 u128;
// The integer of 8 decimal digit values, one per byte, the first (most significant) in the lowest
// byte (little-endian text order). Each byte must be 0..9.
[[nodiscard]] inline std::uint64_t swar8_digits(std::uint64_t d) noexcept {
    d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffull;       // pairs
    d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffull;     // quads
    return (d * 10000 + (d >> 32)) & 0x00000000ffffffffull; // eight
}  // GCC/Clang extension; exact 18+18 digit products
} // namespace detail

/// Parses "123", "123.45", ".5", "0.000022900" (JSON number text without exponent, or the
/// string exchanges send). Leading zeros and trailing fractional zeros are dropped. Errors:
/// empty, bad_char, negative, too_long (see decimal's bounds). O(length).
[[nodiscard]] constexpr decimal_error parse_decimal(std::string_view s, decimal& out) noexcept {
    if (s.empty()) return decimal_error::empty;
    if (s.front() == '-') return decimal_error::negative;
    std::uint64_t digits = 0;
    unsigned sig = 0;        // significant digits kept (after leading zeros)
    unsigned frac = 0;       // digits after '.'
    unsigned pending_zeros = 0; // trailing zeros after '.' not yet committed
    bool dot = false;
    bool any = false;
    for (const char c : s) {
        if (c == '.') {
            if (dot) return decimal_error::bad_char;
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') return decimal_error::bad_char;
        any = true;
        const auto d = static_cast<unsigned>(c - '0');
        if (dot) {
            if (d == 0) {  // hold fractional zeros until a non-zero digit shows they matter
                ++pending_zeros;
                if (frac + pending_zeros > 18 + 64) return decimal_error::too_long;  // absurd padding
                continue;
            }
            for (; pending_zeros > 0; --pending_zeros) {
                if (sig > 0) {
                    if (++sig > 18) return decimal_error::too_long;
                    digits *= 10;
                }
                ++frac;
            }
            ++frac;
            if (frac > 18) return decimal_error::too_long;
        }
        if (sig == 0 && d == 0) continue;  // leading zero
        if (++sig > 18) return decimal_error::too_long;
        digits = digits * 10 + d;
    }
    if (!any) return decimal_error::empty;
    out = decimal{digits, static_cast<std::uint8_t>(frac)};
    return decimal_error::ok;
}

/// A grid of equally spaced values: multiples of `step` (a tick size or a lot size), with the
/// largest accepted multiple `max_units`. Thread-safety: value type.
struct decimal_grid {
    decimal step{1, 2};                    ///< Grid step, e.g. {1, 2} = 0.01. Never zero once valid.
    std::int64_t max_units = 1'000'000'000'000'000'000; ///< Largest accepted multiple (10^18 < 2^63).

    /// True when the step is non-zero.
    [[nodiscard]] constexpr bool valid() const noexcept { return step.digits != 0; }

    /// Exact count of steps in `v`. Errors: off_grid (v is not a whole multiple of step),
    /// out_of_range (more than max_units steps). O(1).
    [[nodiscard]] constexpr decimal_error units(decimal v, std::int64_t& out) const noexcept {
        if (step.digits == 0) return decimal_error::off_grid;
        if (step.digits == 1 && v.scale <= step.scale) {  // power-of-ten grid: a multiply, no division
            const std::uint64_t mul = detail::pow10_table[step.scale - v.scale];
            if (v.digits > static_cast<std::uint64_t>(max_units) / mul) return decimal_error::out_of_range;
            out = static_cast<std::int64_t>(v.digits * mul);
            return decimal_error::ok;
        }
        // v / step = (v.digits * 10^(S - v.scale)) / (step.digits * 10^(S - step.scale)), S = max scale.
        const unsigned s = v.scale > step.scale ? v.scale : step.scale;
        const detail::u128 num = static_cast<detail::u128>(v.digits) * detail::pow10_table[s - v.scale];
        const detail::u128 den = static_cast<detail::u128>(step.digits) * detail::pow10_table[s - step.scale];
        if (num % den != 0) return decimal_error::off_grid;
        const detail::u128 q = num / den;
        if (q > static_cast<detail::u128>(max_units)) return decimal_error::out_of_range;
        out = static_cast<std::int64_t>(q);
        return decimal_error::ok;
    }

    /// Parses `s` and counts its steps: parse_decimal's errors, then units()'.
    [[nodiscard]] constexpr decimal_error parse(std::string_view s, std::int64_t& out) const noexcept {
        if (step.digits == 1 && parse_pow10_fast(s, out)) return decimal_error::ok;
        decimal d;
        const decimal_error e = parse_decimal(s, d);
        if (e != decimal_error::ok) return e;
        return units(d, out);
    }

    /// One pass over the text for a power-of-ten grid (step 10^-S): "61837.63000000" on a 0.01
    /// grid -> 6183763. Succeeds only on the plain case: digits with at most one '.', at most 18
    /// digits before it and at most 18 after, integer digits + S <= 18, no non-zero digit past
    /// the S-th decimal, result <= max_units. Anything else returns false and parse() takes the
    /// general path, which names the error, so both paths accept the same values. O(length).
    [[nodiscard]] constexpr bool parse_pow10_fast(std::string_view s, std::int64_t& out) const noexcept {
        const unsigned scale = step.scale;
        const char* p = s.data();
        const char* const end = p + s.size();
        std::uint64_t acc = 0;
        for (; p != end; ++p) {  // (acc may wrap on a long run of digits: refused just below)
            const auto d = static_cast<unsigned>(static_cast<unsigned char>(*p) - '0');
            if (d > 9) break;
            acc = acc * 10 + d;
        }
        const auto int_digits = static_cast<std::size_t>(p - s.data());
        if (int_digits + scale > 18) return false;
        unsigned frac = 0;
        if (p != end) {
            if (*p != '.') return false;
            ++p;
            if (static_cast<std::size_t>(end - p) > 18) return false;
            if constexpr (std::endian::native == std::endian::little) {
                if (!std::is_constant_evaluated()) {
                    // Eight decimals per step (SWAR): the first `take` of them are digits of the
                    // result, the rest must be zeros, as in the loop below.
                    for (; end - p >= 8; p += 8) {
                        std::uint64_t x;
                        std::memcpy(&x, p, 8);
                        const std::uint64_t d = x - 0x3030303030303030ull;  // each byte: digit value if a digit
                        if (((d | (x + 0x4646464646464646ull)) & 0x8080808080808080ull) != 0) return false;  // a non-digit
                        const unsigned take = scale - frac < 8 ? scale - frac : 8;
                        if (take < 8 && (d >> (8 * take)) != 0) return false;  // a non-zero digit past the grid
                        if (take == 0) continue;
                        acc = acc * detail::pow10_table[take] + detail::swar8_digits(d << (8 * (8 - take)));
                        frac += take;
                    }
                }
            }
            for (; p != end; ++p) {
                const auto d = static_cast<unsigned>(static_cast<unsigned char>(*p) - '0');
                if (d > 9) return false;
                if (frac < scale) {
                    acc = acc * 10 + d;
                    ++frac;
                } else if (d != 0) {
                    return false;  // off grid (or too long): the general path says which
                }
            }
        }
        if (int_digits == 0 && s.size() < 2) return false;  // "" or ".": no digits
        acc *= detail::pow10_table[scale - frac];
        if (acc > static_cast<std::uint64_t>(max_units)) return false;
        out = static_cast<std::int64_t>(acc);
        return true;
    }

    /// `n` steps written as an integer count of 10^-`decimals` units (e.g. n = 562183 steps of
    /// 0.1 at 5 decimals -> 5621830000): the digits an exchange prints without its '.', which
    /// Kraken's checksum hashes. Returns false when that integer would not fit 64 bits or the
    /// value is not a whole number of 10^-decimals units. O(1).
    [[nodiscard]] constexpr bool scaled(std::int64_t n, unsigned decimals, std::uint64_t& out) const noexcept {
        if (n < 0 || decimals > 18) return false;
        detail::u128 v = static_cast<detail::u128>(static_cast<std::uint64_t>(n)) * step.digits;
        if (decimals >= step.scale) {
            v *= detail::pow10_table[decimals - step.scale];
        } else {
            const std::uint64_t div = detail::pow10_table[step.scale - decimals];
            if (v % div != 0) return false;
            v /= div;
        }
        if (v > static_cast<detail::u128>(~std::uint64_t{0})) return false;
        out = static_cast<std::uint64_t>(v);
        return true;
    }
};

/// Makes a grid from the exchange's step text ("0.01", "0.00000001", "1"). Errors as
/// parse_decimal; a zero step is `empty`.
[[nodiscard]] constexpr decimal_error make_grid(std::string_view step_text, decimal_grid& out) noexcept {
    decimal d;
    const decimal_error e = parse_decimal(step_text, d);
    if (e != decimal_error::ok) return e;
    if (d.digits == 0) return decimal_error::empty;
    out.step = d;
    return decimal_error::ok;
}

/// A grid step of 10^-decimals (what Kraken's pair_decimals / lot_decimals and Bitstamp's
/// counter_decimals / base_decimals state). Precondition: decimals <= 18.
[[nodiscard]] constexpr decimal_grid grid_of_decimals(unsigned decimals) noexcept {
    decimal_grid g;
    g.step = decimal{1, static_cast<std::uint8_t>(decimals > 18 ? 18 : decimals)};
    return g;
}

/// Number of digits after '.' in a decimal text ("56218.30000" -> 5, "12" -> 0).
[[nodiscard]] constexpr unsigned decimals_in(std::string_view s) noexcept {
    const auto dot = s.find('.');
    return dot == std::string_view::npos ? 0u : static_cast<unsigned>(s.size() - dot - 1);
}

/// How one instrument's prices and sizes map to ticks and lots. Thread-safety: value type.
struct instrument_spec {
    decimal_grid tick;  ///< Price grid: 1 tick = tick.step currency units.
    decimal_grid lot;   ///< Size grid: 1 lot = lot.step base units.

    /// The price `s` in ticks. Errors: see decimal_grid::parse.
    [[nodiscard]] constexpr decimal_error price_of(std::string_view s, price& out) const noexcept {
        std::int64_t v = 0;
        const decimal_error e = tick.parse(s, v);
        if (e == decimal_error::ok) out = price{v};
        return e;
    }
    /// The size `s` in lots. Errors: see decimal_grid::parse.
    [[nodiscard]] constexpr decimal_error qty_of(std::string_view s, qty& out) const noexcept {
        std::int64_t v = 0;
        const decimal_error e = lot.parse(s, v);
        if (e == decimal_error::ok) out = qty{v};
        return e;
    }
};

/// The grid used when an exchange gives no instrument data: 10^-8 for both prices and sizes,
/// the finest step of the venues here (Binance pads every number to 8 decimals). Values with
/// more decimals are rejected as off grid, never rounded.
[[nodiscard]] constexpr instrument_spec default_crypto_spec() noexcept {
    return instrument_spec{grid_of_decimals(8), grid_of_decimals(8)};
}

} // namespace connect
} // namespace v0
} // namespace pinnacle
