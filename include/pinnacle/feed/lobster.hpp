#pragma once
/// @file feed/lobster.hpp
/// Strict readers for LOBSTER message and orderbook files (https://lobsterdata.com, NASDAQ
/// TotalView-ITCH reconstructions). Every malformed line is a `parse_error` naming file, line and
/// field; nothing is skipped silently and no input makes them crash.

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/feed/concepts.hpp"
#include "pinnacle/feed/parse_error.hpp"

namespace pinnacle {
inline namespace v0 {

/// One visible level of a LOBSTER orderbook row: price in ticks, size in lots.
/// (Not book/concepts.hpp's `level_info`: LOBSTER gives no order count per level.)
struct book_level {
    price px;  ///< Level price in ticks.
    qty size;  ///< Total visible size in lots (> 0).
    /// Field-wise equality.
    friend constexpr bool operator==(const book_level&, const book_level&) noexcept = default;
};

/// The top of the book after one message: real levels only, best first (dummy levels dropped,
/// so each side may hold fewer than L levels).
struct lobster_book_row {
    std::vector<book_level> asks;  ///< Ask levels, strictly increasing price (ticks).
    std::vector<book_level> bids;  ///< Bid levels, strictly decreasing price (ticks).
};

namespace detail {

/// Reads a whole file into memory; throws parse_error (line 0, field "file") if it cannot be
/// opened or read, with the system's reason ("No such file or directory", "Permission denied"),
/// and parse_error (field "line") as soon as a line grows past bounds::max_line_bytes, so an
/// input such as /dev/zero stops at 1 MiB instead of filling memory.
inline std::string read_whole_file(const std::string& path) {
    const auto why = [](int err) { return std::generic_category().message(err); };
    std::error_code ec;
    // fopen "opens" a directory on Linux and then reads nothing: that would look like an empty
    // feed, so refuse it up front.
    if (std::filesystem::is_directory(path, ec))
        throw parse_error(path, 0, "file", "cannot open file: " + why(EISDIR), path);
    errno = 0;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw parse_error(path, 0, "file", "cannot open file: " + why(errno != 0 ? errno : EIO), path);
    struct closer {
        std::FILE* file;
        ~closer() { std::fclose(file); }
    } const close_at_exit{f};
    std::string data;
    constexpr std::size_t chunk = std::size_t{1} << 18;
    static_assert(chunk < bounds::max_line_bytes, "a line inside one chunk must be short");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    // Room for the last (short) read too: no reallocation and copy at the end.
    if (!ec && size < std::numeric_limits<std::size_t>::max() / 2) data.reserve(static_cast<std::size_t>(size) + chunk);
    // Reads straight into the string in chunks smaller than bounds::max_line_bytes, so a line
    // strictly inside one chunk is short: only the bytes before a chunk's first newline (which
    // continue the previous chunk's last line) and a chunk without any newline can make a line
    // too long. Two searches per chunk instead of one per line; the line number of an error is
    // counted only when there is one.
    std::size_t line_len = 0;  // bytes of the current (unterminated) line so far
    for (;;) {
        const std::size_t old = data.size();
        data.resize(old + chunk);
        const std::size_t n = std::fread(data.data() + old, 1, chunk, f);
        data.resize(old + n);
        const char* const begin = data.data() + old;
        const void* const first = std::memchr(begin, '\n', n);
        const std::size_t head = first == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(first) - begin);
        if (line_len + head > bounds::max_line_bytes) {
            const auto line = static_cast<std::size_t>(std::count(static_cast<const char*>(data.data()), begin, '\n')) + 1;
            throw parse_error(path, line, "line",
                              "line longer than " + std::to_string(bounds::max_line_bytes) +
                                  " bytes (not a text file of rows?)",
                              std::string_view(begin, std::min<std::size_t>(n, 16)));
        }
        if (first == nullptr) {
            line_len += n;
        } else {
            std::size_t last = n;  // the chunk's last newline
            while (begin[last - 1] != '\n') --last;
            line_len = n - last;
        }
        if (n < chunk) break;
    }
    if (std::ferror(f) != 0) throw parse_error(path, 0, "file", "cannot read file: " + why(errno != 0 ? errno : EIO), path);
    return data;
}

/// Parses all of `text` as a decimal integer; returns nullptr, or the reason it is not one.
template <class Int>
[[nodiscard]] const char* to_integer(std::string_view text, Int& out) noexcept {
    if (text.empty()) return "empty field";
    const char* const last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, out);
    if (ec == std::errc::result_out_of_range) return "number out of range";
    if (ec != std::errc{} || ptr != last) return "not an integer";
    return nullptr;
}

/// A whole file in memory, cut into lines on demand without allocating. Thread-safety: one thread.
///
/// Accepts LF and CRLF, a missing final newline and empty lines at the very end; an empty line
/// followed by more data is an error (field "line").
class line_cursor {
public:
    /// Lines of `data`; `name` is used in error messages.
    line_cursor(std::string data, std::string name) noexcept : data_(std::move(data)), name_(std::move(name)) {}

    /// The next line without its terminator in `out`; false at the end of the input.
    bool next_line(std::string_view& out) {
        const std::string_view all(data_);
        if (pos_ >= all.size()) return false;
        const std::size_t start = pos_;
        const std::size_t nl = all.find('\n', start);
        const std::size_t end = nl == std::string_view::npos ? all.size() : nl;
        pos_ = nl == std::string_view::npos ? all.size() : nl + 1;
        std::string_view text = all.substr(start, end - start);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.empty() && all.find_first_not_of("\r\n", start) == std::string_view::npos) {
            pos_ = all.size();  // only empty lines remain: a trailing blank tail, not data
            return false;
        }
        ++line_;
        if (text.empty()) fail("line", "empty line before more data", text);
        if (line_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF")
            fail("line", "the file starts with a UTF-8 byte order mark (BOM); save it without a BOM", text);
        if (text.size() > bounds::max_line_bytes)
            fail("line", "line longer than " + std::to_string(bounds::max_line_bytes) + " bytes", text.substr(0, 16));
        out = text;
        return true;
    }

    /// The line next_line() would return, without consuming it (empty at the end).
    [[nodiscard]] std::string_view peek_line() const noexcept {
        const std::string_view all(data_);
        if (pos_ >= all.size()) return {};
        std::string_view text = all.substr(pos_, all.find('\n', pos_) - pos_);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        return text;
    }

    /// The first unread byte (for a reader's fast path; see accept_line).
    [[nodiscard]] const char* unread() const noexcept { return data_.data() + pos_; }
    /// One past the last byte of the input.
    [[nodiscard]] const char* end() const noexcept { return data_.data() + data_.size(); }
    /// Consumes the line a reader's fast path parsed from unread(): the next line starts at `next`
    /// (just past its newline, or end()). Only for a line that starts with a digit, so never the
    /// empty, blank-tail or byte-order-mark cases next_line() reports.
    void accept_line(const char* next) noexcept {
        pos_ = static_cast<std::size_t>(next - data_.data());
        ++line_;
    }

    /// 1-based number of the last line returned (0 before the first).
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// The file name (or display name) errors carry.
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    /// Upper bound on the number of lines: newlines, plus one for an unterminated last line.
    [[nodiscard]] std::size_t line_count_hint() const noexcept {
        const auto n = static_cast<std::size_t>(std::count(data_.begin(), data_.end(), '\n'));
        return n + (!data_.empty() && data_.back() != '\n' ? 1u : 0u);
    }

    /// Throws parse_error for the current line.
    [[noreturn]] void fail(std::string_view field, std::string_view reason, std::string_view text) const {
        throw parse_error(name_, line_, std::string(field), reason, text);
    }

private:
    std::string data_;
    std::string name_;
    std::size_t pos_ = 0;   // byte offset of the next line (an index, so moving the string is safe)
    std::size_t line_ = 0;  // 1-based number of the last line returned
};

/// 10^0 .. 10^9.
inline constexpr std::uint64_t pow10_table[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

/// Fast path, 8 bytes at a time: the number of leading ASCII digits in the 8 bytes of `chunk`
/// (little-endian: the first byte lowest), and their value. A byte is a digit when its high nibble
/// is 3 and its low nibble + 6 does not carry; a carry only starts at a non-digit byte and moves
/// toward later bytes, so it never hides the first non-digit. SWAR digit conversion: D. Lemire,
/// "Fast integer parsing" (three multiplications for 8 digits).
[[nodiscard, gnu::always_inline]] inline unsigned swar_digits(std::uint64_t chunk, std::uint64_t& value) noexcept {
    constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ULL;
    constexpr std::uint64_t zeros = 0x3030303030303030ULL;
    const std::uint64_t not_digit = ((chunk & high) ^ zeros) | (((chunk + 0x0606060606060606ULL) & high) ^ zeros);
    const unsigned n = not_digit == 0 ? 8u : static_cast<unsigned>(std::countr_zero(not_digit)) / 8u;
    if (n == 0) return 0;
    std::uint64_t v = (chunk - zeros) << (8u * (8u - n));  // the n digits at the top, zeros below
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
         (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
    value = v;
    return n;
}

/// Fast path: 1 to 18 decimal digits at `p` (stops at the first non-digit, or `end`) into `v`;
/// nullptr when there is no digit or more than 18 (the caller then takes its strict slow path).
[[nodiscard, gnu::always_inline]] inline const char* fast_digits(const char* p, const char* end, std::uint64_t& v) noexcept {
    const char* const start = p;
    std::uint64_t x = 0;  // unsigned: more than 19 digits wrap (defined), and are refused below
    if constexpr (std::endian::native == std::endian::little) {
        while (end - p >= 8 && p - start <= 18) {
            std::uint64_t chunk = 0;
            std::memcpy(&chunk, p, 8);
            std::uint64_t part = 0;
            const unsigned n = swar_digits(chunk, part);
            x = x * pow10_table[n] + part;  // at most 24 digits before the check below: wraps (defined), refused
            p += n;
            if (n < 8) {
                if (p == start || p - start > 18) return nullptr;
                v = x;
                return p;
            }
        }
        if (p - start > 18) return nullptr;
    }
    // Fewer than 8 bytes left (or a big-endian target): byte by byte, continuing x.
    while (p != end) {
        const auto d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'};
        if (d > 9) break;
        x = x * 10 + d;
        ++p;
    }
    if (p == start || p - start > 18) return nullptr;
    v = x;
    return p;
}

/// Fast path: digits (see fast_digits) and the comma after them at `p`, which moves past both;
/// false (p unchanged) otherwise.
[[nodiscard, gnu::always_inline]] inline bool fast_field(const char*& p, const char* end, std::uint64_t& v) noexcept {
    const char* const q = fast_digits(p, end, v);
    if (q == nullptr || q == end || *q != ',') return false;
    p = q + 1;
    return true;
}

/// Fast path: the end of a line at `p`: returns the start of the next line (past "\n" or "\r\n",
/// or `end`), nullptr for anything else.
[[nodiscard]] inline const char* fast_line_end(const char* p, const char* end) noexcept {
    if (p == end) return end;
    if (*p == '\n') return p + 1;
    if (*p == '\r' && end - p >= 2 && p[1] == '\n') return p + 2;
    return nullptr;
}

/// Rejects an instrument whose tick or lot size would make the conversion divide by zero or flip signs.
inline void check_instrument(const instrument& inst) {
    if (inst.tick_size <= 0) throw std::invalid_argument("pinnacle: instrument tick_size must be positive");
    if (inst.lot_size <= 0) throw std::invalid_argument("pinnacle: instrument lot_size must be positive");
}

/// LOBSTER message type code (1..7) -> event type.
inline constexpr std::array<event_type, 7> lobster_event_types{
    event_type::add,     event_type::cancel,         event_type::remove, event_type::execute,
    event_type::execute_hidden, event_type::cross_trade, event_type::halt,
};

/// True for the LOBSTER message types that name a visible resting order (1-4).
[[nodiscard]] constexpr bool book_changing_visible(event_type t) noexcept {
    return t == event_type::add || t == event_type::cancel || t == event_type::remove || t == event_type::execute;
}

/// Private constructor tag.
struct from_buffer_tag {};

/// Why a price beyond bounds::max_price_ticks is refused.
inline std::string price_bound_reason() {
    return "price above " + std::to_string(bounds::max_price_ticks) + " ticks (the library's bound, core/bounds.hpp)";
}
/// Why a size beyond bounds::max_qty_lots is refused.
inline std::string size_bound_reason() {
    return "size above " + std::to_string(bounds::max_qty_lots) + " lots (the library's bound, core/bounds.hpp)";
}

} // namespace detail

/// Reads a LOBSTER message file (6 columns, or 7 in newer exports whose last column is ignored)
/// into market events. Satisfies EventSource. Thread-safety: one thread.
///
/// Events: `ts` = ns after midnight (exchange local time, as LOBSTER gives it), `px` in ticks
/// (`inst.from_feed`), `size` in lots (shares / `inst.lot_size`). Types 1..7 map to add, cancel,
/// remove, execute, execute_hidden, cross_trade, halt; a halt carries its `halt_state` in `aux`
/// and has px 0, size 0. A cross trade's order id -1 becomes order_id{0}.
/// The file is read into memory once; next() then parses one line in place, without allocating.
class lobster_message_reader {
public:
    /// Reads the file at `path`; throws parse_error (line 0, field "file", "cannot open file") if it
    /// cannot be read, std::invalid_argument if `inst` has a non-positive tick or lot size.
    explicit lobster_message_reader(const std::string& path, const instrument& inst = lobster_instrument())
        : lobster_message_reader(detail::from_buffer_tag{}, detail::read_whole_file(path), path, inst) {}

    /// A reader over `buffer` (the text of a message file); `name` stands for the file in errors.
    /// Throws std::invalid_argument if `inst` has a non-positive tick or lot size.
    [[nodiscard]] static lobster_message_reader from_buffer(std::string buffer, std::string name,
                                                            const instrument& inst = lobster_instrument()) {
        return lobster_message_reader(detail::from_buffer_tag{}, std::move(buffer), std::move(name), inst);
    }

    /// Parses the next line into `out` (pull::event); pull::end at the end of the file (never idle).
    /// Throws parse_error (file, 1-based line, field) on a malformed line; `out` is then unchanged
    /// and a further call continues with the following line.
    pull_result next(market_event& out) {
        if (fast_next(out)) return pull::event;
        std::string_view text;
        if (!cur_.next_line(text)) return pull::end;

        std::array<std::string_view, 7> f{};
        std::size_t columns = 0;
        for (std::size_t start = 0;;) {
            const std::size_t comma = text.find(',', start);
            if (columns < f.size()) f[columns] = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
            ++columns;
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        if (columns != 6 && columns != 7)
            cur_.fail("columns", "expected 6 or 7 columns, got " + std::to_string(columns), text);

        market_event ev{};
        ev.ts = parse_time(f[0]);
        if (ev.ts < last_ts_) cur_.fail("time", "time goes backwards", f[0]);

        const auto code = integer<std::int64_t>(f[1], "type");
        if (code < 1 || code > 7) cur_.fail("type", "unknown message type (expected 1 to 7)", f[1]);
        ev.type = detail::lobster_event_types[static_cast<std::size_t>(code - 1)];
        const bool book_changing = code <= 5;  // add, cancel, remove, execute, execute_hidden

        if (!f[2].empty() && f[2].front() == '-') {
            // Only -1 is allowed, and only on rows that name no visible order (hidden execution,
            // cross, halt): the 2021 exports use it for the opening cross.
            const auto id = integer<std::int64_t>(f[2], "order id");
            if (id != -1 || detail::book_changing_visible(ev.type)) cur_.fail("order id", "negative order id", f[2]);
            ev.id = order_id{0};
        } else {
            ev.id = order_id{integer<std::uint64_t>(f[2], "order id")};
        }
        // Hidden executions carry id 0 since NASDAQ zeroed the ITCH trade reference (Dec 2010);
        // older exports may carry the hidden order's id, and halts' id and size mean nothing, so
        // neither is refused: the book ignores all three.

        const auto shares = integer<std::int64_t>(f[3], "size");
        if (shares < 0) cur_.fail("size", "negative size", f[3]);
        if (shares == 0 && book_changing) cur_.fail("size", "size must be positive", f[3]);
        if (shares % inst_.lot_size != 0) cur_.fail("size", "size not a multiple of the lot size", f[3]);
        if (shares / inst_.lot_size > bounds::max_qty_lots) cur_.fail("size", detail::size_bound_reason(), f[3]);
        ev.size = qty{shares / inst_.lot_size};

        const auto px = integer<std::int64_t>(f[4], "price");
        if (ev.type == event_type::halt) {
            switch (px) {
                case -1: ev.aux = static_cast<std::uint8_t>(halt_state::halted); break;
                case 0: ev.aux = static_cast<std::uint8_t>(halt_state::quoting_resumed); break;
                case 1: ev.aux = static_cast<std::uint8_t>(halt_state::trading_resumed); break;
                default: cur_.fail("price", "halt price must be -1, 0 or 1", f[4]);
            }
            ev.px = price{0};
        } else {
            if (book_changing && px <= 0) cur_.fail("price", "price must be positive", f[4]);
            if (px < 0) cur_.fail("price", "negative price", f[4]);
            // A price between ticks would be truncated by from_feed: refuse rather than move it.
            if (px % inst_.tick_size != 0) cur_.fail("price", "price not a multiple of the tick size", f[4]);
            if (px / inst_.tick_size > bounds::max_price_ticks) cur_.fail("price", detail::price_bound_reason(), f[4]);
            ev.px = inst_.from_feed(px);
        }

        const auto dir = integer<std::int64_t>(f[5], "direction");
        if (dir == 1) {
            ev.side = side::buy;
        } else if (dir == -1) {
            ev.side = side::sell;
        } else {
            cur_.fail("direction", "direction must be 1 (buy) or -1 (sell)", f[5]);
        }
        // Column 7 (newer exports, usually 'null') carries nothing we use.

        last_ts_ = ev.ts;
        out = ev;
        return pull::event;
    }

    /// 1-based number of the last line read (0 before the first).
    [[nodiscard]] std::size_t line() const noexcept { return cur_.line(); }
    /// The file path or display name used in errors.
    [[nodiscard]] const std::string& name() const noexcept { return cur_.name(); }
    /// Upper bound on the number of events (newline count), for reserving storage.
    [[nodiscard]] std::size_t line_count_hint() const noexcept { return cur_.line_count_hint(); }

private:
    lobster_message_reader(detail::from_buffer_tag, std::string data, std::string name, const instrument& inst)
        : cur_(std::move(data), std::move(name)), inst_(inst) {
        detail::check_instrument(inst_);
    }

    template <class Int>
    Int integer(std::string_view text, std::string_view field) const {
        Int v{};
        if (const char* why = detail::to_integer(text, v)) cur_.fail(field, why, text);
        return v;
    }

    // One pass over the next line for the common well-formed case: plain digits (no sign but the
    // direction's), at most 9 digits of whole seconds, every check of the slow path. Anything else
    // (signs, halts at -1, long numbers, a refused value, the end, odd line ends) returns false
    // without consuming: next() then reads the line on the strict path, which raises the error
    // naming file, line and field, or accepts it. Both paths give the same event for a line.
    bool fast_next(market_event& out) noexcept {
        const char* p = cur_.unread();
        const char* const end = cur_.end();
        std::uint64_t sec = 0;
        const char* q = detail::fast_digits(p, end, sec);
        if (q == nullptr || q - p > 9) return false;  // < 10^9 s: sec * 10^9 + frac < 2^62
        p = q;
        std::uint64_t frac = 0;
        if (p != end && *p == '.') {
            ++p;
            q = detail::fast_digits(p, end, frac);
            if (q == nullptr || q - p > 9) return false;
            frac *= detail::pow10_table[static_cast<std::size_t>(9 - (q - p))];
            p = q;
        }
        if (p == end || *p != ',') return false;
        ++p;
        std::uint64_t code = 0, id = 0, shares = 0, px = 0;
        if (!detail::fast_field(p, end, code) || !detail::fast_field(p, end, id) || !detail::fast_field(p, end, shares) ||
            !detail::fast_field(p, end, px))
            return false;
        side dir = side::buy;
        if (p != end && *p == '1') {
            ++p;
        } else if (end - p >= 2 && p[0] == '-' && p[1] == '1') {
            dir = side::sell;
            p += 2;
        } else {
            return false;
        }
        const char* next = detail::fast_line_end(p, end);
        if (next == nullptr) {
            if (*p != ',') return false;  // a 7th column: skipped up to the line end
            const char* const stop = end - p > 256 ? p + 256 : end;
            ++p;
            while (p != stop && *p != '\n' && *p != '\r' && *p != ',') ++p;
            next = p == stop && stop != end ? nullptr : detail::fast_line_end(p, end);
            if (next == nullptr) return false;
        }

        const timestamp ts{static_cast<std::int64_t>(sec) * 1'000'000'000 + static_cast<std::int64_t>(frac)};
        if (ts < last_ts_ || code < 1 || code > 7) return false;
        const event_type type = detail::lobster_event_types[code - 1];
        const bool book_changing = code <= 5;
        const auto sh = static_cast<std::int64_t>(shares);
        const auto fp = static_cast<std::int64_t>(px);
        const std::int64_t lot = inst_.lot_size;
        const std::int64_t tick = inst_.tick_size;
        const std::int64_t lots = lot == 1 ? sh : sh / lot;
        if ((sh == 0 && book_changing) || (lot != 1 && sh % lot != 0) || lots > bounds::max_qty_lots) return false;
        std::int64_t ticks = 0;
        std::uint8_t aux = 0;
        if (type == event_type::halt) {
            if (fp > 1) return false;  // -1 (halted) has a sign: the slow path reads it
            aux = static_cast<std::uint8_t>(fp == 0 ? halt_state::quoting_resumed : halt_state::trading_resumed);
        } else {
            ticks = tick == 1 ? fp : fp / tick;
            if ((book_changing && fp == 0) || (tick != 1 && fp % tick != 0) || ticks > bounds::max_price_ticks) return false;
        }
        // Field by field: what next() would store from a default event.
        out.ts = ts;
        out.id = order_id{id};
        out.px = price{ticks};
        out.size = qty{lots};
        out.type = type;
        out.side = dir;
        out.flags = event_flags::none;
        out.aux = aux;
        cur_.accept_line(next);
        last_ts_ = ts;
        return true;
    }

    // Seconds after midnight with 0..9 decimals -> exact ns. Never through a double: 34200.004241176
    // is not representable and would round to a neighbouring ns.
    timestamp parse_time(std::string_view text) const {
        constexpr std::string_view field = "time";
        constexpr std::int64_t ns_per_s = 1'000'000'000;
        if (text.empty()) cur_.fail(field, "empty field", text);
        if (text.front() == '-' || text.front() == '+') cur_.fail(field, "signed time", text);
        const std::size_t dot = text.find('.');
        const std::string_view whole = text.substr(0, dot);
        const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
        if (whole.empty()) cur_.fail(field, "no digits before the decimal point", text);
        if (dot != std::string_view::npos && frac.empty()) cur_.fail(field, "no digits after the decimal point", text);
        if (frac.size() > 9) cur_.fail(field, "more than 9 decimals", text);

        const auto is_digit = [](char c) noexcept { return c >= '0' && c <= '9'; };
        if (!std::all_of(whole.begin(), whole.end(), is_digit) || !std::all_of(frac.begin(), frac.end(), is_digit))
            cur_.fail(field, "not a decimal number of seconds", text);

        std::uint64_t sec = 0;  // digits only by now: the one possible failure is overflow
        if (const char* why = detail::to_integer(whole, sec)) cur_.fail(field, why, text);
        std::uint64_t frac_ns = 0;  // at most 9 digits: cannot overflow
        if (!frac.empty()) {
            if (const char* why = detail::to_integer(frac, frac_ns)) cur_.fail(field, why, text);
            for (std::size_t i = frac.size(); i < 9; ++i) frac_ns *= 10;
        }
        constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (sec > (max - frac_ns) / static_cast<std::uint64_t>(ns_per_s)) cur_.fail(field, "number out of range", text);
        const std::int64_t ns = static_cast<std::int64_t>(sec) * ns_per_s + static_cast<std::int64_t>(frac_ns);
        // Event times stay below 2^62 ns so that time + any bounded span fits (core/bounds.hpp).
        if (ns > bounds::max_timestamp_ns)
            cur_.fail(field, "time above 2^62 ns (4611686018.427387904 s; the library's bound, core/bounds.hpp)", text);
        return timestamp{ns};
    }

    detail::line_cursor cur_;
    instrument inst_;
    timestamp last_ts_{std::numeric_limits<std::int64_t>::min()};
};

/// Reads a LOBSTER orderbook file (4*L columns per row: AskPrice1, AskSize1, BidPrice1, BidSize1,
/// AskPrice2, ...), checking each row is a well-formed book. Thread-safety: one thread.
///
/// Rows: prices in ticks, sizes in lots; dummy levels (ask 9999999999 / bid -9999999999, size 0)
/// are dropped. Also an EventSource: next(market_event&) yields each row as depth_snapshot events
/// (asks best first, then bids; `first` flag on the row's first event, `last` on its last; an
/// empty row is one event of px 0 and size 0). The file has no time column, so their ts is 0.
class lobster_orderbook_reader {
public:
    /// Feed price of an empty ask level.
    static constexpr std::int64_t dummy_ask_price = 9'999'999'999;
    /// Feed price of an empty bid level.
    static constexpr std::int64_t dummy_bid_price = -9'999'999'999;

    /// Reads the file at `path`; throws parse_error if it cannot be read ("cannot open file", line 0)
    /// or its first row's column count is not a multiple of 4 (line 1, field "columns"), and
    /// std::invalid_argument if `inst` has a non-positive tick or lot size.
    explicit lobster_orderbook_reader(const std::string& path, const instrument& inst = lobster_instrument())
        : lobster_orderbook_reader(detail::from_buffer_tag{}, detail::read_whole_file(path), path, inst) {}

    /// A reader over `buffer` (the text of an orderbook file); `name` stands for the file in errors.
    /// Throws as the path constructor does, except for file access.
    [[nodiscard]] static lobster_orderbook_reader from_buffer(std::string buffer, std::string name,
                                                              const instrument& inst = lobster_instrument()) {
        return lobster_orderbook_reader(detail::from_buffer_tag{}, std::move(buffer), std::move(name), inst);
    }

    /// L, the number of levels per side in each row (0 for an empty file).
    [[nodiscard]] std::size_t levels() const noexcept { return levels_; }

    /// Parses the next row into `row` and returns true; false at the end of the file. Reuses the
    /// row's vectors (no allocation once they hold L levels). Throws parse_error naming file, line
    /// and column (e.g. "AskPrice3", "BidSize1"); `row` is then unspecified.
    bool next(lobster_book_row& row) {
        if (fast_row(row)) return true;
        std::string_view text;
        if (!cur_.next_line(text)) return false;
        const auto columns = static_cast<std::size_t>(std::count(text.begin(), text.end(), ',')) + 1;
        if (columns != 4 * levels_)
            cur_.fail("columns",
                      "expected " + std::to_string(4 * levels_) + " columns, got " + std::to_string(columns), text);

        row.asks.clear();
        row.bids.clear();
        row.asks.reserve(levels_);
        row.bids.reserve(levels_);
        bool asks_ended = false;
        bool bids_ended = false;
        std::size_t start = 0;
        const auto cell = [&]() noexcept {
            const std::size_t comma = text.find(',', start);
            const std::string_view c = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
            start = comma + 1;  // npos + 1 == 0 only after the last cell, which is never followed by another
            return c;
        };
        for (std::size_t lvl = 0; lvl < levels_; ++lvl) {
            const std::string_view ask_px = cell();
            const std::string_view ask_sz = cell();
            const std::string_view bid_px = cell();
            const std::string_view bid_sz = cell();
            add_level(row.asks, asks_ended, side::sell, lvl, ask_px, ask_sz);
            add_level(row.bids, bids_ended, side::buy, lvl, bid_px, bid_sz);
        }
        return true;
    }

    /// The next level of the current row as a depth_snapshot event (ts 0, px ticks, size lots);
    /// pull::end at the end of the file (never idle). Throws as next(lobster_book_row&). Do not
    /// interleave with next(lobster_book_row&): both advance the same file.
    pull_result next(market_event& ev) {
        if (pending_pos_ >= pending_count_) {
            if (!next(pending_)) return pull::end;
            pending_pos_ = 0;
            pending_count_ = std::max<std::size_t>(1, pending_.asks.size() + pending_.bids.size());
        }
        const std::size_t i = pending_pos_++;
        market_event e{};
        e.type = event_type::depth_snapshot;
        if (i < pending_.asks.size()) {
            e.side = side::sell;
            e.px = pending_.asks[i].px;
            e.size = pending_.asks[i].size;
        } else if (i - pending_.asks.size() < pending_.bids.size()) {
            e.side = side::buy;
            e.px = pending_.bids[i - pending_.asks.size()].px;
            e.size = pending_.bids[i - pending_.asks.size()].size;
        }  // else: an empty book, one size-0 event that only clears
        e.flags = static_cast<std::uint8_t>((i == 0 ? event_flags::first : event_flags::none) |
                                            (pending_pos_ == pending_count_ ? event_flags::last : event_flags::none));
        ev = e;
        return pull::event;
    }

    /// 1-based number of the last line read (0 before the first).
    [[nodiscard]] std::size_t line() const noexcept { return cur_.line(); }
    /// The file path or display name used in errors.
    [[nodiscard]] const std::string& name() const noexcept { return cur_.name(); }

private:
    lobster_orderbook_reader(detail::from_buffer_tag, std::string data, std::string name, const instrument& inst)
        : cur_(std::move(data), std::move(name)), inst_(inst) {
        detail::check_instrument(inst_);
        const std::string_view first = cur_.peek_line();
        if (first.empty()) return;  // empty file (no rows), or an empty first line next() reports
        const auto columns = static_cast<std::size_t>(std::count(first.begin(), first.end(), ',')) + 1;
        if (columns % 4 != 0)
            throw parse_error(cur_.name(), 1, "columns",
                              "column count must be a multiple of 4, got " + std::to_string(columns), first);
        levels_ = columns / 4;
    }

    // One pass over the next row for the common well-formed case, with every check of the slow
    // path; false (nothing consumed, `row` unspecified) for anything else, which next() then reads
    // on the strict path that names the field of an error. Both paths give the same row.
    bool fast_row(lobster_book_row& row) {
        const char* p = cur_.unread();
        const char* const end = cur_.end();
        if (levels_ == 0 || p == end || static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'} > 9) return false;
        row.asks.clear();
        row.bids.clear();
        row.asks.reserve(levels_);
        row.bids.reserve(levels_);
        bool asks_ended = false;
        bool bids_ended = false;
        std::size_t cells = 0;
        const std::size_t total = 4 * levels_;
        const auto cell = [&](std::int64_t& v) noexcept {
            const bool neg = p != end && *p == '-';
            std::uint64_t u = 0;
            const char* q = detail::fast_digits(p + (neg ? 1 : 0), end, u);
            if (q == nullptr) return false;
            v = neg ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
            p = q;
            if (++cells < total) {
                if (p == end || *p != ',') return false;
                ++p;
            }
            return true;
        };
        const auto level = [&](std::vector<book_level>& out, bool& ended, side s, std::int64_t px, std::int64_t size) {
            if (size < 0) return false;
            if (px == (s == side::sell ? dummy_ask_price : dummy_bid_price)) {
                ended = true;
                return size == 0;
            }
            const std::int64_t tick = inst_.tick_size;
            const std::int64_t lot = inst_.lot_size;
            if (ended || size == 0 || px <= 0 || (tick != 1 && px % tick != 0) || (lot != 1 && size % lot != 0)) return false;
            const std::int64_t ticks = tick == 1 ? px : px / tick;
            const std::int64_t lots = lot == 1 ? size : size / lot;
            if (ticks > bounds::max_price_ticks || lots > bounds::max_qty_lots) return false;
            if (!out.empty() && (s == side::sell ? ticks <= out.back().px.ticks() : ticks >= out.back().px.ticks())) return false;
            out.push_back(book_level{price{ticks}, qty{lots}});
            return true;
        };
        for (std::size_t lvl = 0; lvl < levels_; ++lvl) {
            std::int64_t ask_px = 0, ask_sz = 0, bid_px = 0, bid_sz = 0;
            if (!cell(ask_px) || !cell(ask_sz) || !cell(bid_px) || !cell(bid_sz)) return false;
            if (!level(row.asks, asks_ended, side::sell, ask_px, ask_sz)) return false;
            if (!level(row.bids, bids_ended, side::buy, bid_px, bid_sz)) return false;
        }
        const char* const next = detail::fast_line_end(p, end);
        if (next == nullptr) return false;
        cur_.accept_line(next);
        return true;
    }

    static std::string column_name(side s, bool is_price, std::size_t lvl) {
        return std::string(s == side::sell ? "Ask" : "Bid") + (is_price ? "Price" : "Size") + std::to_string(lvl + 1);
    }

    void add_level(std::vector<book_level>& out, bool& ended, side s, std::size_t lvl, std::string_view px_text,
                   std::string_view size_text) const {
        std::int64_t px = 0;
        if (const char* why = detail::to_integer(px_text, px)) cur_.fail(column_name(s, true, lvl), why, px_text);
        std::int64_t size = 0;
        if (const char* why = detail::to_integer(size_text, size)) cur_.fail(column_name(s, false, lvl), why, size_text);
        if (size < 0) cur_.fail(column_name(s, false, lvl), "negative size", size_text);

        if (px == (s == side::sell ? dummy_ask_price : dummy_bid_price)) {
            if (size != 0) cur_.fail(column_name(s, false, lvl), "dummy level must have size 0", size_text);
            ended = true;  // LOBSTER pads from the bottom: everything deeper must be a dummy too
            return;
        }
        if (ended) cur_.fail(column_name(s, true, lvl), "real level after a dummy level", px_text);
        if (size == 0) cur_.fail(column_name(s, false, lvl), "real level must have positive size", size_text);
        if (px <= 0) cur_.fail(column_name(s, true, lvl), "price must be positive", px_text);
        if (px % inst_.tick_size != 0) cur_.fail(column_name(s, true, lvl), "price not a multiple of the tick size", px_text);
        if (size % inst_.lot_size != 0) cur_.fail(column_name(s, false, lvl), "size not a multiple of the lot size", size_text);
        if (px / inst_.tick_size > bounds::max_price_ticks) cur_.fail(column_name(s, true, lvl), detail::price_bound_reason(), px_text);
        if (size / inst_.lot_size > bounds::max_qty_lots) cur_.fail(column_name(s, false, lvl), detail::size_bound_reason(), size_text);
        const price p = inst_.from_feed(px);
        if (!out.empty() && (s == side::sell ? p <= out.back().px : p >= out.back().px))
            cur_.fail(column_name(s, true, lvl),
                      s == side::sell ? "asks not strictly increasing" : "bids not strictly decreasing", px_text);
        out.push_back(book_level{p, qty{size / inst_.lot_size}});
    }

    detail::line_cursor cur_;
    instrument inst_;
    std::size_t levels_ = 0;
    lobster_book_row pending_;       // row being replayed by next(market_event&)
    std::size_t pending_pos_ = 0;    // next level of pending_ to emit
    std::size_t pending_count_ = 0;  // events pending_ yields (at least 1)
};

/// The depth L in a LOBSTER file name (TICKER_DATE_START_END_message_L.csv or ..._orderbook_L.csv,
/// LOBSTER's naming), or 0 when the name does not follow it. Only the file name is read.
[[nodiscard]] inline std::size_t lobster_levels_from_name(std::string_view path) noexcept {
    for (const std::string_view tag : {std::string_view("_message_"), std::string_view("_orderbook_")}) {
        const auto pos = path.rfind(tag);
        if (pos == std::string_view::npos) continue;
        const std::string_view rest = path.substr(pos + tag.size());
        std::size_t l = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), l);
        const auto digits = static_cast<std::size_t>(end - rest.data());
        if (ec == std::errc{} && digits > 0 && rest.substr(digits, 4) == ".csv") return l;
    }
    return 0;
}

/// Reads a whole LOBSTER message file into memory (ns, ticks, lots; see lobster_message_reader).
/// Throws parse_error on an unreadable file or the first malformed line.
[[nodiscard]] inline std::vector<market_event> load_lobster_messages(const std::string& path,
                                                                     const instrument& inst = lobster_instrument()) {
    lobster_message_reader reader(path, inst);
    std::vector<market_event> events;
    events.reserve(reader.line_count_hint());
    market_event ev{};
    while (reader.next(ev)) events.push_back(ev);
    return events;
}

} // namespace v0
} // namespace pinnacle
