#pragma once
/// @file feed/lobster_session.hpp
/// The trading session a LOBSTER file belongs to, from its name: LOBSTER writes times as seconds
/// after midnight New York time and puts the date in the file name
/// (`TICKER_YYYY-MM-DD_34200000_57600000_message_L.csv`, lobsterdata.com "Output structure").

#include <cstddef>
#include <optional>
#include <string_view>

#include "pinnacle/core/session.hpp"

namespace pinnacle {
inline namespace v0 {

/// NASDAQ's session on the date in a LOBSTER file name (the first `_YYYY-MM-DD_` of the base
/// name), with New York's UTC offset on that date; nullopt when the name holds no valid date.
[[nodiscard]] inline std::optional<trading_session> lobster_session_from_name(std::string_view path) noexcept {
    const std::size_t slash = path.find_last_of("/\\");
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    for (std::size_t i = name.find('_'); i != std::string_view::npos && i + 12 <= name.size(); i = name.find('_', i + 1)) {
        if (name[i + 11] != '_') continue;
        if (const auto d = parse_iso_date(name.substr(i + 1, 10))) return nasdaq_session(*d);
    }
    return std::nullopt;
}

} // namespace v0
} // namespace pinnacle
