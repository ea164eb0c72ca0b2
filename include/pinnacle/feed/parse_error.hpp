#pragma once
/// @file feed/parse_error.hpp
/// The one exception feed parsers throw: it says which file, which line and which field was wrong.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace pinnacle {
inline namespace v0 {

/// Malformed feed input (or a file that cannot be read). Thread-safety: value type.
///
/// `what()` reads `FILE:LINE: field 'FIELD': REASON (got 'TEXT')`. The offending text is cut to
/// 40 bytes (then "..." follows) and bytes outside printable ASCII are shown as a backslash, `x` and
/// two hex digits, so a binary or mis-encoded file still gives a one-line, terminal-safe message.
class parse_error : public std::runtime_error {
public:
    /// Longest prefix of the offending text quoted in `what()`, in bytes.
    static constexpr std::size_t max_quoted = 40;

    /// An error in `file_name` at 1-based `line_no` (0: the file as a whole) in field `field_name`.
    parse_error(std::string file_name, std::size_t line_no, std::string field_name, std::string_view reason,
                std::string_view text)
        : std::runtime_error(format(file_name, line_no, field_name, reason, text)),
          file_(std::move(file_name)),
          field_(std::move(field_name)),
          line_(line_no) {}

    /// The file (or display name of an in-memory buffer) the error is in.
    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    /// 1-based line number; 0 when the error concerns the whole file (e.g. it cannot be opened).
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// The field at fault: "time", "type", "order id", "size", "price", "direction", a column name
    /// such as "AskPrice3", or "columns" / "line" / "file" for errors about the shape of the input.
    [[nodiscard]] const std::string& field() const noexcept { return field_; }

private:
    static std::string format(const std::string& file_name, std::size_t line_no, const std::string& field_name,
                              std::string_view reason, std::string_view text) {
        std::string m;
        m.reserve(file_name.size() + field_name.size() + reason.size() + 4 * max_quoted + 48);
        m += file_name;
        m += ':';
        m += std::to_string(line_no);
        m += ": field '";
        m += field_name;
        m += "': ";
        m += reason;
        m += " (got '";
        const std::string_view shown = text.substr(0, max_quoted);
        for (const char c : shown) {
            const auto b = static_cast<unsigned char>(c);
            if (b >= 0x20 && b < 0x7f) {
                m += c;
            } else {
                // Control and non-ASCII bytes would garble a log line; show them as hex escapes.
                constexpr std::string_view hex = "0123456789abcdef";
                m += "\\x";
                m += hex[b >> 4];
                m += hex[b & 0x0f];
            }
        }
        if (text.size() > max_quoted) m += "...";
        m += "')";
        return m;
    }

    std::string file_;
    std::string field_;
    std::size_t line_;
};

} // namespace v0
} // namespace pinnacle
