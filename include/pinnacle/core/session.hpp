#pragma once
/// @file core/session.hpp
/// Where a `timestamp` starts and what a trading day is: a session calendar (date, UTC offset,
/// open and close) that turns exchange-local times of day (LOBSTER) and UTC epoch times (every
/// crypto feed) into the one clock the library uses, ns since the Unix epoch (UTC).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "pinnacle/core/types.hpp"

namespace pinnacle {
inline namespace v0 {

/// Nanoseconds in one day.
inline constexpr std::int64_t ns_per_day = 86'400LL * 1'000'000'000LL;
/// Nanoseconds in one hour.
inline constexpr std::int64_t ns_per_hour = 3'600LL * 1'000'000'000LL;

/// One trading day of one market. Thread-safety: value type.
///
/// Every timestamp of the library is ns since 1970-01-01 00:00 UTC. A session knows its calendar
/// date, the exchange's offset from UTC on that date (New York: -4 h in summer, -5 h in winter) and
/// the regular hours as local times of day. Bounds: dates in years 1970..2200 (timestamps stay far
/// inside int64), offsets within +-24 h, open and close within [0, 24 h].
///
/// The default session is 1970-01-01 at offset 0 with NASDAQ's hours: its timestamps are simply
/// ns after local midnight, which is how LOBSTER writes them when no date is known.
struct trading_session {
    std::chrono::year_month_day date{std::chrono::year{1970}, std::chrono::month{1}, std::chrono::day{1}}; ///< Local calendar date.
    duration utc_offset{0};                        ///< Local time minus UTC (ns), e.g. -4 h for New York in June.
    duration open{34'200LL * 1'000'000'000LL};     ///< Regular open, local time of day (ns): 09:30.
    duration close{57'600LL * 1'000'000'000LL};    ///< Regular close, local time of day (ns): 16:00.

    /// UTC timestamp of local midnight starting `date`.
    [[nodiscard]] constexpr timestamp midnight() const noexcept {
        const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
        return timestamp{days * ns_per_day - utc_offset.ns()};
    }
    /// UTC timestamp of local time of day `tod` (ns after local midnight) on `date`.
    [[nodiscard]] constexpr timestamp at(duration tod) const noexcept { return midnight() + tod; }
    /// UTC timestamp of the open on `date`.
    [[nodiscard]] constexpr timestamp open_time() const noexcept { return at(open); }
    /// UTC timestamp of the close on `date`.
    [[nodiscard]] constexpr timestamp close_time() const noexcept { return at(close); }
    /// Local time of day (ns in [0, 24 h)) of the UTC timestamp `t`, whatever its date.
    [[nodiscard]] constexpr duration time_of_day(timestamp t) const noexcept {
        std::int64_t local = (t.ns() % ns_per_day) + (utc_offset.ns() % ns_per_day);  // no overflow: both < 1 day
        local %= ns_per_day;
        if (local < 0) local += ns_per_day;
        return duration{local};
    }
    /// Time left until the close of the trading day that `t` falls on (ns, floored at 0 after the
    /// close). Uses the local time of day only, so the same session describes every day of a
    /// market with fixed hours (e.g. a 24 h crypto day: open 0, close 24 h, offset 0).
    [[nodiscard]] constexpr duration time_to_close(timestamp t) const noexcept {
        const std::int64_t left = close.ns() - time_of_day(t).ns();
        return duration{left > 0 ? left : 0};
    }
    /// Why the session is invalid (empty when valid): bad date, offset beyond +-24 h, open or close
    /// outside [0, 24 h], or open after close.
    [[nodiscard]] constexpr std::string_view check() const noexcept {
        if (!date.ok() || date.year() < std::chrono::year{1970} || date.year() > std::chrono::year{2200})
            return "trading_session.date must be a valid date in 1970..2200";
        if (utc_offset.ns() < -ns_per_day || utc_offset.ns() > ns_per_day) return "trading_session.utc_offset must be within +-24 h";
        if (open.ns() < 0 || open.ns() > ns_per_day || close.ns() < 0 || close.ns() > ns_per_day)
            return "trading_session.open and close must be local times of day in [0, 24 h]";
        if (open > close) return "trading_session.open must not be after close";
        return {};
    }
};

/// New York's offset from UTC on `date`: -4 h (EDT) from the second Sunday of March to the first
/// Sunday of November (US Energy Policy Act of 2005, in force from 2007), from the first Sunday of
/// April to the last Sunday of October before 2007 (Uniform Time Act as amended in 1986), else
/// -5 h (EST). The switch happens at 02:00 local, before any session opens, so the date decides.
[[nodiscard]] constexpr duration us_eastern_utc_offset(std::chrono::year_month_day date) noexcept {
    using namespace std::chrono;
    const year y = date.year();
    const sys_days d{date};
    sys_days start;
    sys_days end;
    if (y >= year{2007}) {
        start = sys_days{y / March / Sunday[2]};
        end = sys_days{y / November / Sunday[1]};
    } else {
        start = sys_days{y / April / Sunday[1]};
        end = sys_days{y / October / Sunday[last]};
    }
    return duration{(d >= start && d < end) ? -4 * ns_per_hour : -5 * ns_per_hour};
}

/// NASDAQ's regular session (09:30-16:00 America/New_York) on `date`.
[[nodiscard]] constexpr trading_session nasdaq_session(std::chrono::year_month_day date) noexcept {
    trading_session s;
    s.date = date;
    s.utc_offset = us_eastern_utc_offset(date);
    return s;
}

/// Parses an ISO date "YYYY-MM-DD" (exactly that shape); nullopt if it is not a valid date.
[[nodiscard]] constexpr std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int v[3] = {0, 0, 0};
    const std::size_t start[3] = {0, 5, 8};
    const std::size_t len[3] = {4, 2, 2};
    for (int f = 0; f < 3; ++f) {
        for (std::size_t i = 0; i < len[f]; ++i) {
            const char c = s[start[f] + i];
            if (c < '0' || c > '9') return std::nullopt;
            v[f] = v[f] * 10 + (c - '0');
        }
    }
    const std::chrono::year_month_day d{std::chrono::year{v[0]}, std::chrono::month{static_cast<unsigned>(v[1])},
                                        std::chrono::day{static_cast<unsigned>(v[2])}};
    if (!d.ok()) return std::nullopt;
    return d;
}

/// Parses a local time of day "HH:MM:SS" with an optional fraction of up to 9 digits
/// ("10:00:00", "09:30:00.5", "15:59:59.999999999") into ns after midnight; HH 00..23, MM and SS
/// 00..59. nullopt on anything else.
[[nodiscard]] constexpr std::optional<duration> parse_time_of_day(std::string_view s) noexcept {
    if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
    auto two = [&](std::size_t at, int max) -> int {
        const char a = s[at];
        const char b = s[at + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
        const int v = (a - '0') * 10 + (b - '0');
        return v <= max ? v : -1;
    };
    const int h = two(0, 23);
    const int m = two(3, 59);
    const int sec = two(6, 59);
    if (h < 0 || m < 0 || sec < 0) return std::nullopt;
    std::int64_t frac = 0;
    if (s.size() > 8) {
        if (s[8] != '.' || s.size() == 9 || s.size() > 18) return std::nullopt;
        std::int64_t scale = 100'000'000;
        for (std::size_t i = 9; i < s.size(); ++i, scale /= 10) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            frac += (s[i] - '0') * scale;
        }
    }
    return duration{((static_cast<std::int64_t>(h) * 60 + m) * 60 + sec) * 1'000'000'000LL + frac};
}

} // namespace v0
} // namespace pinnacle
