#pragma once
/// @file
/// FIX tag=value framing: a zero-copy parser over a byte span and an encoder into a caller's
/// buffer. Source: FIX 4.4 Vol. 1 (2003), "FIX Message Format" and "Data Types": every field is
/// `tag=value<SOH>`; BeginString (8), BodyLength (9) and MsgType (35) come first; BodyLength counts
/// the bytes from after the BodyLength field's SOH up to and including the SOH before CheckSum (10);
/// CheckSum is the sum of every preceding byte modulo 256, as three digits, and comes last.
/// A DATA field (e.g. RawData 96) follows its LENGTH field (95) and may hold SOH bytes.
/// Standard library only; no allocation; no exceptions.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "pinnacle/connect/fix/dictionary.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pinnacle::inline v0::fix {

/// The FIX field separator (ASCII SOH).
inline constexpr char soh = '\x01';

/// Largest BodyLength the parser and encoder accept, in bytes (7 digits).
inline constexpr std::uint32_t max_body_length = 9'999'999;

/// Largest tag number the parser accepts (FIX tags are positive ints; 9 digits bound the parse).
inline constexpr std::uint32_t max_tag_number = 999'999'999;

/// One field of a parsed message: it points into the parsed buffer (zero copy).
struct field {
    std::uint32_t tag;      ///< tag number
    std::uint32_t offset;   ///< byte offset of the tag's first digit from the start of the message
    std::string_view value; ///< the value bytes (without '=' and SOH)
};

/// Outcome of framing one message.
enum class parse_status : std::uint8_t {
    ok,               ///< a whole message was framed; `consumed` bytes belong to it
    incomplete,       ///< the buffer ends inside the message: read more bytes and retry
    garbled,          ///< not a FIX message here (bad tag, missing '=', wrong first fields)
    bad_body_length,  ///< BodyLength (9) does not point at the CheckSum (10) field
    bad_checksum,     ///< CheckSum (10) differs from the sum of the bytes
    too_many_fields,  ///< the caller's field array is full
};

/// Stable name of a parse_status, for logs.
[[nodiscard]] constexpr std::string_view to_string(parse_status s) noexcept {
    switch (s) {
        case parse_status::ok: return "ok";
        case parse_status::incomplete: return "incomplete";
        case parse_status::garbled: return "garbled";
        case parse_status::bad_body_length: return "bad_body_length";
        case parse_status::bad_checksum: return "bad_checksum";
        case parse_status::too_many_fields: return "too_many_fields";
    }
    return "unknown";
}

/// Result of parse_message: status, message size and, on error, the tag and byte offset at fault.
struct [[nodiscard]] parse_result {
    parse_status status;       ///< ok or why not
    std::size_t consumed;      ///< ok: bytes of the message (through CheckSum's SOH); else 0
    std::size_t field_count;   ///< ok: fields written to the caller's array, 8/9/35 first, 10 last
    std::uint32_t error_tag;   ///< on error: the tag being read (0 when the tag itself is unreadable)
    std::size_t error_offset;  ///< on error: byte offset in the buffer where the problem is
    /// True when a message was framed.
    [[nodiscard]] constexpr bool ok() const noexcept { return status == parse_status::ok; }
};

namespace detail {

/// Parses 1..9 decimal digits ending at SOH or `stop`; returns the number of digits or 0.
constexpr std::size_t parse_uint(const char* p, const char* end, char stop, std::uint32_t& out) noexcept {
    std::uint32_t v = 0;
    std::size_t n = 0;
    while (p + n < end && n < 10) {
        const char c = p[n];
        if (c == stop) break;
        if (c < '0' || c > '9') return 0;
        v = v * 10 + static_cast<std::uint32_t>(c - '0');
        ++n;
    }
    if (n == 0 || n > 9 || p + n >= end || p[n] != stop) return 0;
    out = v;
    return n;
}

/// Loads 8 bytes (little-endian order of the bytes in memory does not matter to the users).
inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

/// Sum of bytes modulo 256 (the FIX CheckSum). With SSE2 (every x86-64): PSADBW sums 16 bytes
/// per step; elsewhere eight byte lanes are added without carries between them, then summed.
inline std::uint32_t byte_sum(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
    std::uint32_t s = 0;
#if defined(__SSE2__)
    __m128i acc = _mm_setzero_si128();
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));  // NOLINT: unaligned load
        acc = _mm_add_epi64(acc, _mm_sad_epu8(v, zero));
    }
    if (i < n && n >= 16) {
        // The last 16 bytes again, with the lanes already summed cleared: no byte-by-byte tail.
        static constexpr std::array<unsigned char, 32> keep = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));          // NOLINT
        const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keep.data() + (n - i)));  // NOLINT
        acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_and_si128(v, k), zero));
        i = n;
    }
    s = static_cast<std::uint32_t>(_mm_cvtsi128_si32(acc)) + static_cast<std::uint32_t>(_mm_extract_epi16(acc, 4));
#else
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    std::uint64_t acc = 0;
    for (; i + 8 <= n; i += 8) {
        const std::uint64_t v = load8(p + i);
        acc = ((acc & low7) + (v & low7)) ^ ((acc ^ v) & high);
    }
    // Lanes to four 16-bit sums (each <= 510), then their total (<= 2040) in the top 16 bits.
    constexpr std::uint64_t even = 0x00FF00FF00FF00FFULL;
    const std::uint64_t pairs = (acc & even) + ((acc >> 8) & even);
    s = static_cast<std::uint32_t>((pairs * 0x0001000100010001ULL) >> 48);
#endif
    for (; i < n; ++i) s += static_cast<unsigned char>(p[i]);
    return s & 0xFFU;
}

/// First SOH in [p, end), or end. Eight bytes at a time while they lie inside [p, end).
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline const char* find_soh(const char* p, const char* end) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    while (end - p >= 8) {
        const std::uint64_t x = load8(p) ^ ones;  // SOH bytes become zero
        const std::uint64_t z = (x - ones) & ~x & high;
        if (z != 0) {
            if constexpr (std::endian::native == std::endian::little) {
                return p + (std::countr_zero(z) >> 3);
            } else {
                return p + (std::countl_zero(z) >> 3);
            }
        }
        p += 8;
    }
    while (p < end && *p != soh) ++p;
    return p;
}

/// True when the length field `len_tag` announces the data field `tag` (FIX 4.4: data tag =
/// length tag + 1, except SignatureLength 93 -> Signature 89; checked against the dictionary).
constexpr bool is_data_of(std::uint32_t len_tag, std::uint32_t tag) noexcept {
    return tag == len_tag + 1 || (len_tag == 93 && tag == 89);
}

/// Copies n bytes (no overlap between dst and src) with at most two loads and two stores each of
/// 8 or 4 bytes when n <= 16 (no call into the library for the short values FIX mostly has).
inline void copy_small(char* dst, const char* src, std::size_t n) noexcept {
    if (n >= 8 && n <= 16) {
        std::uint64_t a;
        std::uint64_t b;
        std::memcpy(&a, src, 8);
        std::memcpy(&b, src + n - 8, 8);
        std::memcpy(dst, &a, 8);
        std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
        std::uint32_t a;
        std::uint32_t b;
        std::memcpy(&a, src, 4);
        std::memcpy(&b, src + n - 4, 4);
        std::memcpy(dst, &a, 4);
        std::memcpy(dst + n - 4, &b, 4);
    } else if (n < 4) {
        for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
        // n > 16: 8-byte steps, the last one overlapping (a loop, so that GCC's bounds warnings
        // do not fire for short constant sources that never take this branch).
        std::uint64_t a;
        for (std::size_t i = 0; i + 8 < n; i += 8) {
            std::memcpy(&a, src + i, 8);
            std::memcpy(dst + i, &a, 8);
        }
        std::memcpy(&a, src + n - 8, 8);
        std::memcpy(dst + n - 8, &a, 8);
    }
}

/// "tag=" for tags 1..1023 packed for one 8-byte store: bytes in memory order in the low lanes
/// (little-endian), the byte count in the top byte; 0 for tag 0. Built at compile time.
struct tag_texts {
    std::array<std::uint64_t, 1024> packed{}; ///< indexed by tag
    constexpr tag_texts() noexcept {
        for (std::uint32_t t = 1; t < 1024; ++t) {
            char d[5] = {};
            std::uint32_t n = 0;
            for (std::uint32_t v = t; v != 0; v /= 10) d[n++] = static_cast<char>('0' + v % 10);
            std::uint64_t x = 0;
            for (std::uint32_t i = 0; i < n; ++i) x |= std::uint64_t{static_cast<unsigned char>(d[n - 1 - i])} << (8 * i);
            x |= std::uint64_t{'='} << (8 * n);
            packed[t] = x | (std::uint64_t{n + 1} << 56);
        }
    }
};

/// The "tag=" texts of tags below 1024 (encoder::add writes them with one store).
inline constexpr tag_texts tag_text_table{};

} // namespace detail


/// Frames and splits the message at the start of `buf` into `out` (zero copy: values point into
/// `buf`). Checks 8=, 9= and 35= are the first three fields, BodyLength, CheckSum, tag syntax
/// (digits, no leading zero, 1..max_tag_number) and '=' / SOH placement. Data fields are read by
/// the length announced in the preceding LENGTH field when `length_tags` holds its tag (nullptr:
/// no DATA fields; fix44::parse passes the FIX 4.4 set).
/// Errors: see parse_status; error_tag / error_offset name the field and byte.
/// Complexity: one pass over the message. Thread-safety: pure function.
inline parse_result parse_message(std::string_view buf, std::span<field> out, const tag_set* length_tags) noexcept {
    const char* const base = buf.data();
    const char* const end = base + buf.size();
    auto fail = [&](parse_status s, std::uint32_t tag, const char* at) noexcept {
        return parse_result{s, 0, 0, tag, static_cast<std::size_t>(at - base)};
    };
    // BeginString.
    if (buf.size() < 2) return fail(parse_status::incomplete, 8, end);
    if (base[0] != '8' || base[1] != '=') return fail(parse_status::garbled, 8, base);
    const void* soh1 = std::memchr(base + 2, soh, buf.size() - 2);
    if (soh1 == nullptr) return fail(buf.size() > 64 ? parse_status::garbled : parse_status::incomplete, 8, end);
    const char* p = static_cast<const char*>(soh1) + 1;
    // BodyLength.
    if (end - p < 3) return fail(parse_status::incomplete, 9, end);
    if (p[0] != '9' || p[1] != '=') return fail(parse_status::garbled, 9, p);
    std::uint32_t body_length = 0;
    const std::size_t nd = detail::parse_uint(p + 2, end, soh, body_length);
    if (nd == 0) {
        const bool short_buf = static_cast<std::size_t>(end - p) < 12 && std::memchr(p, soh, static_cast<std::size_t>(end - p)) == nullptr;
        return fail(short_buf ? parse_status::incomplete : parse_status::garbled, 9, p);
    }
    if (body_length > max_body_length) return fail(parse_status::bad_body_length, 9, p);
    const char* const body = p + 2 + nd + 1;
    const char* const trailer = body + body_length;
    if (end - body < static_cast<std::ptrdiff_t>(body_length) + 7) return fail(parse_status::incomplete, 10, end);
    if (trailer[0] != '1' || trailer[1] != '0' || trailer[2] != '=' || trailer[6] != soh || (body_length > 0 && trailer[-1] != soh)) {
        return fail(parse_status::bad_body_length, 9, p);
    }
    std::uint32_t stated = 0;
    for (int i = 3; i < 6; ++i) {
        const char c = trailer[i];
        if (c < '0' || c > '9') return fail(parse_status::garbled, 10, trailer + i);
        stated = stated * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (detail::byte_sum(base, static_cast<std::size_t>(trailer - base)) != stated) {
        return fail(parse_status::bad_checksum, 10, trailer);
    }
    // Fields. 8 and 9 were checked above; the body runs to `trailer`, then CheckSum. Every scan
    // below stops at the SOH at trailer[6] at the latest, so no loop needs a bounds test.
    if (out.size() < 4) return fail(parse_status::too_many_fields, 35, body);
    out[0] = field{8, 0, std::string_view(base + 2, static_cast<std::size_t>(p - 1 - (base + 2)))};
    out[1] = field{9, static_cast<std::uint32_t>(p - base), std::string_view(p + 2, nd)};
    std::size_t n = 2;
    std::uint32_t pending_len_tag = 0;
    std::uint32_t pending_len = 0;
    const char* q = body;
    while (q < trailer) {
        const char* const field_start = q;
        std::uint32_t tag = 0;
        auto d = static_cast<unsigned>(static_cast<unsigned char>(*q) - '0');
        while (d < 10) {
            tag = tag * 10 + d;  // wraps for 10+ digits; those are rejected below
            d = static_cast<unsigned>(static_cast<unsigned char>(*++q) - '0');
        }
        const std::size_t digits = static_cast<std::size_t>(q - field_start);
        if (*q != '=' || digits == 0 || digits > 9 || *field_start == '0') {
            return fail(parse_status::garbled, digits > 0 && digits <= 9 ? tag : 0, field_start);
        }
        ++q;
        const char* value_end = nullptr;
        if (pending_len_tag != 0 && detail::is_data_of(pending_len_tag, tag)) {
            if (static_cast<std::size_t>(trailer - q) <= pending_len || q[pending_len] != soh) {
                return fail(parse_status::garbled, tag, q);
            }
            value_end = q + pending_len;
        } else {
            value_end = detail::find_soh(q, trailer);
            if (value_end == trailer) return fail(parse_status::garbled, tag, q);
        }
        pending_len_tag = 0;
        if (length_tags != nullptr && length_tags->contains(tag)) {
            std::uint32_t len = 0;
            if (detail::parse_uint(q, value_end + 1, soh, len) != 0) {
                pending_len_tag = tag;
                pending_len = len;
            }
        }
        // MsgType is the third field and only there; BeginString, BodyLength, CheckSum only where
        // checked above (one bit test: tags 8, 9, 10 and 35).
        constexpr std::uint64_t framing_tags = (1ULL << 8) | (1ULL << 9) | (1ULL << 10) | (1ULL << 35);
        const bool framing = tag < 64 && ((framing_tags >> tag) & 1U) != 0;
        if (n == 2 ? tag != 35 : framing) return fail(parse_status::garbled, tag, field_start);
        if (n + 1 == out.size()) return fail(parse_status::too_many_fields, tag, field_start);
        out[n++] = field{tag, static_cast<std::uint32_t>(field_start - base),
                         std::string_view(q, static_cast<std::size_t>(value_end - q))};
        q = value_end + 1;
    }
    if (n < 3) return fail(parse_status::garbled, 35, body);
    out[n++] = field{10, static_cast<std::uint32_t>(trailer - base), std::string_view(trailer + 3, 3)};
    const char* const stop = trailer + 7;
    return parse_result{parse_status::ok, static_cast<std::size_t>(stop - base), n, 0, 0};
}

/// Writes one message into a caller's buffer: body fields first (after room reserved for 8= and
/// 9=), then BeginString and BodyLength right before the body, then CheckSum. No allocation.
/// A full buffer sets overflow (finish() then returns an empty view). Thread-safety: one thread.
class encoder {
public:
    /// Encodes into `buffer`; `begin_string` (e.g. "FIX.4.4") is at most 16 bytes.
    encoder(std::span<char> buffer, std::string_view begin_string) noexcept
        : buf_(buffer), begin_string_(begin_string.size() <= 16 ? begin_string : std::string_view{}) {}

    /// Starts a new message with MsgType (35) `msg_type`; forgets the previous one.
    encoder& start(std::string_view msg_type) noexcept {
        pos_ = reserve();
        overflow_ = buf_.size() < pos_ || begin_string_.empty();
        return add(35, msg_type);
    }

    /// Appends `tag=value<SOH>`; the value must not hold SOH unless it is a DATA field.
    encoder& add(std::uint32_t tag, std::string_view value) noexcept {
        if constexpr (std::endian::native == std::endian::little) {
            // Tags below 1024: "tag=" from a table, one 8-byte store (the bytes past it are
            // overwritten by the value and SOH or lie in the room checked here).
            if (tag < 1024 && tag != 0 && !overflow_ && buf_.size() - pos_ >= value.size() + 10) {
                const std::uint64_t packed = detail::tag_text_table.packed[tag];
                const auto len = static_cast<std::size_t>(packed >> 56);
                char* w = buf_.data() + pos_;
                const std::uint64_t text = packed & 0x00FFFFFFFFFFFFFFULL;
                std::memcpy(w, &text, 8);
                detail::copy_small(w + len, value.data(), value.size());
                w[len + value.size()] = soh;
                pos_ += len + value.size() + 1;
                return *this;
            }
        }
        char digits[20];
        const std::size_t nd = format_uint(tag, digits);
        if (overflow_ || buf_.size() - pos_ < nd + value.size() + 2) {
            overflow_ = true;
            return *this;
        }
        char* w = buf_.data() + pos_;
        std::memcpy(w, digits, nd);
        w[nd] = '=';
        if (!value.empty()) std::memcpy(w + nd + 1, value.data(), value.size());
        w[nd + 1 + value.size()] = soh;
        pos_ += nd + value.size() + 2;
        return *this;
    }

    /// Appends bytes already encoded as whole `tag=value<SOH>` fields (e.g. a field_block made
    /// once for the fields every message repeats, such as SenderCompID and TargetCompID): one copy.
    /// The caller vouches for the bytes; they count towards BodyLength and CheckSum as written.
    encoder& add_raw(std::string_view encoded_fields) noexcept {
        if (overflow_ || buf_.size() - pos_ < encoded_fields.size()) {
            overflow_ = true;
            return *this;
        }
        if (!encoded_fields.empty()) std::memcpy(buf_.data() + pos_, encoded_fields.data(), encoded_fields.size());
        pos_ += encoded_fields.size();
        return *this;
    }

    /// Appends a one-byte value (CHAR, BOOLEAN).
    encoder& add(std::uint32_t tag, char value) noexcept { return add(tag, std::string_view(&value, 1)); }

    /// Appends a signed integer (INT, SEQNUM, LENGTH, NUMINGROUP).
    encoder& add_int(std::uint32_t tag, std::int64_t value) noexcept {
        char text[24];
        return add(tag, std::string_view(text, format_int(value, text)));
    }

    /// Appends a decimal `mantissa * 10^-decimals` (PRICE, QTY, AMT), e.g. (12345, 2) -> "123.45";
    /// `decimals` at most 18.
    encoder& add_decimal(std::uint32_t tag, std::int64_t mantissa, unsigned decimals) noexcept {
        char text[48];
        return add(tag, std::string_view(text, format_decimal(mantissa, decimals, text)));
    }

    /// Appends a UTCTIMESTAMP "YYYYMMDD-HH:MM:SS.sss" from ns since the Unix epoch (ms precision,
    /// truncated); `ns` must be within years 1970..9999 (earlier times are written as the epoch).
    /// The date and time of the last second written are kept, so within one second only the
    /// milliseconds are formatted again.
    encoder& add_timestamp(std::uint32_t tag, std::int64_t ns) noexcept {
        if (ns < 0) ns = 0;
        const std::int64_t sec = ns / 1'000'000'000;
        if (sec != ts_second_) {
            format_timestamp(ns, ts_text_.data());
            ts_second_ = sec;
        } else {
            const std::int64_t ms = (ns / 1'000'000) % 1000;
            ts_text_[18] = static_cast<char>('0' + ms / 100);
            ts_text_[19] = static_cast<char>('0' + (ms / 10) % 10);
            ts_text_[20] = static_cast<char>('0' + ms % 10);
        }
        return add(tag, std::string_view(ts_text_.data(), ts_text_.size()));
    }

    /// Completes the message (BeginString, BodyLength, CheckSum) and returns it; empty on overflow.
    [[nodiscard]] std::string_view finish() noexcept {
        const std::size_t body_begin = reserve();
        if (overflow_ || pos_ < body_begin || buf_.size() - pos_ < 7 || pos_ - body_begin > max_body_length) {
            overflow_ = true;
            return {};
        }
        char digits[20];
        const std::size_t nd = format_uint(static_cast<std::uint32_t>(pos_ - body_begin), digits);
        const std::size_t prefix = 2 + begin_string_.size() + 1 + 2 + nd + 1;
        char* const start = buf_.data() + body_begin - prefix;
        char* w = start;
        *w++ = '8';
        *w++ = '=';
        std::memcpy(w, begin_string_.data(), begin_string_.size());
        w += begin_string_.size();
        *w++ = soh;
        *w++ = '9';
        *w++ = '=';
        std::memcpy(w, digits, nd);
        w += nd;
        *w = soh;
        char* t = buf_.data() + pos_;
        const std::uint32_t sum = detail::byte_sum(start, static_cast<std::size_t>(t - start));
        t[0] = '1';
        t[1] = '0';
        t[2] = '=';
        t[3] = static_cast<char>('0' + sum / 100);
        t[4] = static_cast<char>('0' + (sum / 10) % 10);
        t[5] = static_cast<char>('0' + sum % 10);
        t[6] = soh;
        return std::string_view(start, static_cast<std::size_t>(t + 7 - start));
    }

    /// True when the buffer was too small (or begin_string too long) for what was added.
    [[nodiscard]] bool overflow() const noexcept { return overflow_; }

    /// Writes the decimal digits of `v` at the start of `out`, which must hold 20 bytes (all 20 are
    /// written; those past the digits are unspecified); returns the count of digits.
    static std::size_t format_uint(std::uint64_t v, char* out) noexcept {
        // Two digits per division, from the last pair backwards, then copied once.
        static constexpr char pairs[] =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
            "8081828384858687888990919293949596979899";
        char tmp[40] = {};
        char* w = tmp + 20;
        while (v >= 100) {
            const auto r = static_cast<std::size_t>(v % 100);
            v /= 100;
            *--w = pairs[2 * r + 1];
            *--w = pairs[2 * r];
        }
        if (v >= 10) {
            *--w = pairs[2 * v + 1];
            *--w = pairs[2 * v];
        } else {
            *--w = static_cast<char>('0' + v);
        }
        const auto n = static_cast<std::size_t>(tmp + 20 - w);
        std::memcpy(out, w, 20);  // one fixed-size copy: the digits, then bytes the caller ignores
        return n;
    }

    /// Writes a signed integer into `out` (at least 21 bytes); returns the byte count.
    static std::size_t format_int(std::int64_t v, char* out) noexcept {
        if (v >= 0) return format_uint(static_cast<std::uint64_t>(v), out);
        out[0] = '-';
        return 1 + format_uint(0U - static_cast<std::uint64_t>(v), out + 1);
    }

    /// Writes `mantissa * 10^-decimals` without trailing zeros beyond the point (at least 48 bytes).
    static std::size_t format_decimal(std::int64_t mantissa, unsigned decimals, char* out) noexcept {
        if (decimals > 18) decimals = 18;
        std::size_t n = 0;
        std::uint64_t m = static_cast<std::uint64_t>(mantissa);
        if (mantissa < 0) {
            out[n++] = '-';
            m = 0U - m;
        }
        std::uint64_t scale = 1;
        for (unsigned i = 0; i < decimals; ++i) scale *= 10;
        n += format_uint(m / scale, out + n);
        std::uint64_t frac = m % scale;
        if (frac != 0) {
            unsigned d = decimals;
            while (frac % 10 == 0) {
                frac /= 10;
                --d;
            }
            out[n++] = '.';
            char digits[20];
            const std::size_t nd = format_uint(frac, digits);
            for (std::size_t i = nd; i < d; ++i) out[n++] = '0';
            std::memcpy(out + n, digits, nd);
            n += nd;
        }
        return n;
    }

    /// Writes "YYYYMMDD-HH:MM:SS.sss" (21 bytes) for `ns` since the Unix epoch (Hinnant's
    /// civil_from_days, http://howardhinnant.github.io/date_algorithms.html).
    static void format_timestamp(std::int64_t ns, char* out) noexcept {
        if (ns < 0) ns = 0;
        const std::int64_t ms = ns / 1'000'000;
        const std::int64_t secs = ms / 1000;
        std::int64_t days = secs / 86400;
        const std::int64_t sod = secs % 86400;
        days += 719468;
        const std::int64_t era = days / 146097;
        const std::int64_t doe = days - era * 146097;
        const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const std::int64_t mp = (5 * doy + 2) / 153;
        const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
        const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
        const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        auto put = [](char* o, std::int64_t v, int width) noexcept {
            for (int i = width - 1; i >= 0; --i) {
                o[i] = static_cast<char>('0' + v % 10);
                v /= 10;
            }
        };
        put(out, y, 4);
        put(out + 4, m, 2);
        put(out + 6, d, 2);
        out[8] = '-';
        put(out + 9, sod / 3600, 2);
        out[11] = ':';
        put(out + 12, (sod / 60) % 60, 2);
        out[14] = ':';
        put(out + 15, sod % 60, 2);
        out[17] = '.';
        put(out + 18, ms % 1000, 3);
    }

private:
    // Room for "8=<begin_string><SOH>9=<7 digits><SOH>" before the body.
    [[nodiscard]] std::size_t reserve() const noexcept { return 2 + begin_string_.size() + 1 + 2 + 7 + 1; }

    std::span<char> buf_;
    std::string_view begin_string_;
    std::size_t pos_ = 0;
    bool overflow_ = true;
    std::int64_t ts_second_ = -1;      // the second ts_text_ holds, -1 for none
    std::array<char, 21> ts_text_{};  // "YYYYMMDD-HH:MM:SS.sss" of ts_second_
};

/// Fields encoded once and appended to many messages with encoder::add_raw (a header template:
/// the fields that do not change between messages are formatted once, not per message). Holds
/// at most 256 bytes; a field that does not fit sets overflow() and is left out.
class field_block {
public:
    /// Appends `tag=value<SOH>`; the value must not hold SOH.
    field_block& add(std::uint32_t tag, std::string_view value) noexcept {
        char digits[20];
        const std::size_t nd = encoder::format_uint(tag, digits);
        if (text_.size() - size_ < nd + value.size() + 2) {
            overflow_ = true;
            return *this;
        }
        std::memcpy(text_.data() + size_, digits, nd);
        text_[size_ + nd] = '=';
        if (!value.empty()) std::memcpy(text_.data() + size_ + nd + 1, value.data(), value.size());
        text_[size_ + nd + 1 + value.size()] = soh;
        size_ += nd + value.size() + 2;
        return *this;
    }

    /// The encoded fields, for encoder::add_raw.
    [[nodiscard]] std::string_view view() const noexcept { return std::string_view(text_.data(), size_); }

    /// True when a field did not fit.
    [[nodiscard]] bool overflow() const noexcept { return overflow_; }

private:
    std::array<char, 256> text_{};
    std::size_t size_ = 0;
    bool overflow_ = false;
};

} // namespace pinnacle::inline v0::fix
