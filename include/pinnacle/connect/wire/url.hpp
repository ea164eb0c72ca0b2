#pragma once
/// @file connect/wire/url.hpp
/// URLs the wire clients accept (ws://, wss://, http://, https://), split into the parts a
/// connection needs, and decimal text of a price or size on an instrument grid. No I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pinnacle/connect/decimal.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// A parsed URL. Thread-safety: value type.
struct url {
    bool tls = false;           ///< wss:// or https://.
    bool websocket = false;     ///< ws:// or wss://.
    std::string host;           ///< Host name or address (SNI and Host header).
    std::string port;           ///< Port (default 80 / 443 by scheme).
    std::string target = "/";   ///< Path and query, "/" at least.
};

/// Parses `text` (RFC 3986 subset: scheme://host[:port][/path][?query]); std::nullopt when the
/// scheme is not ws, wss, http or https, the host is empty, or the port is not 1..65535.
[[nodiscard]] inline std::optional<url> parse_url(std::string_view text) {
    url u;
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    const std::string_view scheme = text.substr(0, sep);
    if (scheme == "ws") u.websocket = true;
    else if (scheme == "wss") u.websocket = u.tls = true;
    else if (scheme == "https") u.tls = true;
    else if (scheme != "http") return std::nullopt;
    std::string_view rest = text.substr(sep + 3);
    const std::size_t slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        u.target = std::string(rest.substr(slash));
        if (u.target.front() == '?') u.target.insert(0, "/");
    }
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        const std::string_view p = authority.substr(colon + 1);
        unsigned v = 0;
        if (p.empty() || p.size() > 5) return std::nullopt;
        for (const char c : p) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v == 0 || v > 65535) return std::nullopt;
        u.port = std::string(p);
        authority = authority.substr(0, colon);
    } else {
        u.port = u.tls ? "443" : "80";
    }
    if (authority.empty()) return std::nullopt;
    u.host = std::string(authority);
    return u;
}

/// Decimal text of `units` steps of `g` ("61837.63000000" for 6183763000000 steps of 10^-8).
/// `units` >= 0; the result has exactly g.step.scale decimals.
[[nodiscard]] inline std::string grid_text(const decimal_grid& g, std::int64_t units) {
    const pinnacle::connect::detail::u128 v = static_cast<pinnacle::connect::detail::u128>(units < 0 ? 0 : units) * g.step.digits;
    std::string digits;
    pinnacle::connect::detail::u128 x = v;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
        x /= 10;
    } while (x != 0);
    const std::size_t scale = g.step.scale;
    if (scale == 0) return digits;
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, ".");
    return digits;
}

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle
