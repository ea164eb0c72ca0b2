#pragma once
/// @file connect/json.hpp
/// simdjson On-Demand plumbing the decoders share: a reusable padded copy of the message (the
/// parser reads up to SIMDJSON_PADDING bytes past the end) and small typed accessors that turn
/// simdjson error codes into "what was wrong" text.

#include "pinnacle/core/requires_cxx20.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// simdjson On-Demand, the API every decoder parses market data with.
namespace od = simdjson::ondemand;

/// A simdjson parser plus a padded scratch copy of the current message. Thread-safety: one thread.
class json_reader {
public:
    /// Reserves `initial` bytes of scratch. Throws std::bad_alloc.
    explicit json_reader(std::size_t initial = 1 << 16) { buf_.reserve(initial + simdjson::SIMDJSON_PADDING); }

    /// Starts parsing `msg` (copied into padded scratch, which grows when a message is larger).
    /// Errors: simdjson's (e.g. EMPTY, CAPACITY); the document is valid until the next call.
    /// The padding after the message is zeros, which bounds read_pairs()' fast scan.
    [[nodiscard]] simdjson::error_code start(std::string_view msg, od::document& doc) {
        buf_.resize(msg.size() + simdjson::SIMDJSON_PADDING);
        if (!msg.empty()) std::memcpy(buf_.data(), msg.data(), msg.size());
        std::memset(buf_.data() + msg.size(), 0, simdjson::SIMDJSON_PADDING);
        return parser_.iterate(buf_.data(), msg.size(), buf_.size()).get(doc);
    }

private:
    od::parser parser_;
    std::vector<char> buf_;
};

/// True when `s` is the literal `lit` (its N - 1 characters). The length is a constant, so the
/// comparison compiles to a load or two and a compare where `s == "..."` in a large function can
/// become a call to string_view::compare and memcmp.
template <std::size_t N>
[[nodiscard]] inline bool is(std::string_view s, const char (&lit)[N]) noexcept {
    return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

/// Length of the JSON string body at `p` (just after its opening quote) up to its closing quote,
/// or -1 when it holds an escape (or a NUL: the padding after the input) before that quote, in
/// which case the caller unescapes it the slow way. The input was validated by simdjson's stage 1,
/// so every string closes, and the padding bounds the scan otherwise. Eight bytes per step (SWAR):
/// a step reads at most 7 bytes past the closing quote, inside simdjson's required padding.
[[nodiscard]] inline std::ptrdiff_t plain_string_length(const char* p) noexcept {
    if constexpr (std::endian::native != std::endian::little) {
        const char* q = p;
        for (; *q != '"'; ++q) {
            if (*q == '\\' || *q == '\0') return -1;
        }
        return q - p;
    }
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (const char* q = p;; q += 8) {
        std::uint64_t x;
        std::memcpy(&x, q, 8);  // little-endian: byte 0 is the lowest
        const std::uint64_t quote = x ^ (ones * static_cast<unsigned char>('"'));
        const std::uint64_t slash = x ^ (ones * static_cast<unsigned char>('\\'));
        // Exact for the lowest matching byte (the borrow only misfires above a true match).
        const std::uint64_t hit = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((x - ones) & ~x);
        if ((hit & highs) != 0) {
            const auto at = static_cast<unsigned>(__builtin_ctzll(hit & highs)) / 8;
            return q[at] == '"' ? (q - p) + static_cast<std::ptrdiff_t>(at) : -1;
        }
    }
}

/// The key of an object field (a `simdjson_result<od::field>` or `od::field`): taken straight
/// from the input when it has no escape (the usual case: no copy, no unescaping), else unescaped.
/// Valid for the document's lifetime. Returns false on malformed JSON.
template <class Field>
[[nodiscard]] inline bool get_key(Field& field, std::string_view& out) noexcept {
    od::raw_json_string raw;
    if (field.key().get(raw) != simdjson::SUCCESS) return false;
    const std::ptrdiff_t n = plain_string_length(raw.raw());
    if (n < 0) return field.unescaped_key().get(out) == simdjson::SUCCESS;
    out = std::string_view(raw.raw(), static_cast<std::size_t>(n));
    return true;
}

/// The string value `v` (unescaped, valid for the document's lifetime), or false. A string with
/// no escape is returned straight from the input.
[[nodiscard]] inline bool get_str(od::value v, std::string_view& out) noexcept {
    const std::string_view raw = v.raw_json_token();
    if (!raw.empty() && raw.front() == '"') {
        const std::ptrdiff_t n = plain_string_length(raw.data() + 1);
        if (n >= 0) {
            out = std::string_view(raw.data() + 1, static_cast<std::size_t>(n));
            return true;
        }
    }
    return v.get_string().get(out) == simdjson::SUCCESS;
}
/// The unsigned integer value `v` (a JSON number, or a string of digits as Bitstamp sends), or false.
[[nodiscard]] inline bool get_u64(od::value v, std::uint64_t& out) noexcept {
    // A JSON number usually: read it straight away; the type is asked only when that fails.
    if (v.get_uint64().get(out) == simdjson::SUCCESS) return true;
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS || t != od::json_type::string) return false;
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS || s.empty() || s.size() > 19) return false;
    std::uint64_t r = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (r > (~std::uint64_t{0} - d) / 10) return false;  // above 2^64 - 1
        r = r * 10 + d;
    }
    out = r;
    return true;
}
/// The raw text of a number or string value (no quotes, not unescaped for numbers), or false:
/// prices that arrive as JSON numbers (Kraken v2) are converted from their text, never a double.
[[nodiscard]] inline bool get_decimal_text(od::value v, std::string_view& out) noexcept {
    std::string_view raw = v.raw_json_token();
    if (!raw.empty() && raw.front() == '"') {
        // Decimal text needs no unescaping: take it from the input unless it has an escape.
        const std::ptrdiff_t n = plain_string_length(raw.data() + 1);
        if (n >= 0) {
            out = std::string_view(raw.data() + 1, static_cast<std::size_t>(n));
            return true;
        }
        return v.get_string().get(out) == simdjson::SUCCESS;
    }
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS || t != od::json_type::number) return false;
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) raw.remove_suffix(1);
    out = raw;
    return !raw.empty();
}

/// Pair of decimal texts (price, size) for one level, as received.
struct level_text {
    std::string_view px;   ///< Price text.
    std::string_view size; ///< Size text.
};

namespace detail {
[[nodiscard]] inline bool json_ws(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The plain string whose opening quote is at p: its body in `out`, and the character after its
// closing quote; nullptr when it holds an escape or a NUL (the zero padding after the input).
[[nodiscard]] inline const char* scan_plain_string(const char* p, std::string_view& out) noexcept {
    const char* const b = p + 1;
    const std::ptrdiff_t n = plain_string_length(b);
    if (n < 0) return nullptr;
    out = std::string_view(b, static_cast<std::size_t>(n));
    return b + n + 1;
}

// The strict shape `[["p", "q", "x"...], ...]` (plain strings only, at least two per entry), read
// straight from the text at p, appending to out. Returns false on anything else (numbers,
// escapes, other shapes, malformed JSON): the caller then takes simdjson's general path on the
// same value, so both accept the same documents with the same texts. The text must be followed
// by a NUL (json_reader's zero padding): every loop stops there.
[[nodiscard]] inline bool scan_pairs(const char* p, std::vector<level_text>& out) {
    while (json_ws(*p)) ++p;
    if (*p != '[') return false;
    ++p;
    while (json_ws(*p)) ++p;
    if (*p == ']') return true;
    for (;;) {
        if (*p != '[') return false;
        ++p;
        while (json_ws(*p)) ++p;
        level_text lt;
        if (*p != '"' || (p = scan_plain_string(p, lt.px)) == nullptr) return false;
        while (json_ws(*p)) ++p;
        if (*p != ',') return false;
        ++p;
        while (json_ws(*p)) ++p;
        if (*p != '"' || (p = scan_plain_string(p, lt.size)) == nullptr) return false;
        while (json_ws(*p)) ++p;
        while (*p == ',') {  // extra elements (Kraken's time, "r"): plain strings only here
            ++p;
            while (json_ws(*p)) ++p;
            std::string_view extra;
            if (*p != '"' || (p = scan_plain_string(p, extra)) == nullptr) return false;
            while (json_ws(*p)) ++p;
        }
        if (*p != ']') return false;
        ++p;
        while (json_ws(*p)) ++p;
        out.push_back(lt);
        if (*p == ']') return true;
        if (*p != ',') return false;
        ++p;
        while (json_ws(*p)) ++p;
    }
}
} // namespace detail

/// Reads `[[p, q, ...], ...]` (strings or numbers; extra elements ignored) into `out`.
/// Returns false when the shape is wrong. `zero_padded`: the document was started by a
/// json_reader (zeros after the message), which lets the usual all-strings shape be read straight
/// from the text with simdjson skipping the value afterwards; anything else takes simdjson's
/// array iteration, with the same result.
[[nodiscard]] inline bool read_pairs(od::value v, std::vector<level_text>& out, bool zero_padded = false) {
    if (zero_padded) {
        const std::size_t mark = out.size();
        if (detail::scan_pairs(v.raw_json_token().data(), out)) return true;
        out.resize(mark);
    }
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
    for (auto item : arr) {
        od::array pair;
        if (item.get_array().get(pair) != simdjson::SUCCESS) return false;
        level_text lt;
        std::size_t k = 0;
        for (auto x : pair) {
            od::value xv;
            if (x.get(xv) != simdjson::SUCCESS) return false;
            if (k == 0 && !get_decimal_text(xv, lt.px)) return false;
            if (k == 1 && !get_decimal_text(xv, lt.size)) return false;
            ++k;
        }
        if (k < 2) return false;
        out.push_back(lt);
    }
    return true;
}

} // namespace connect
} // namespace v0
} // namespace pinnacle
