#pragma once
/// @file
/// Parse and validate in one pass with learned message layouts: a counterparty usually sends each
/// MsgType with the same fields in the same order, and for a message without repeating groups or
/// DATA fields every structural check of fix::validate (known tags, allowed in the message, header
/// then body then trailer, no duplicates, required fields present) depends only on that tag
/// sequence. `layout_decoder` remembers the tag sequence of the last valid message of each
/// one-character MsgType; a message with the same sequence is framed (BodyLength, CheckSum) and
/// its values checked (present, well formed, enumerated) in one pass, comparing each field's
/// `tag=` bytes with the remembered ones instead of parsing and looking tags up. Anything else,
/// and any problem at all, goes through parse_message + validate, so results and errors (status,
/// offsets, SessionRejectReason, RefTagID) are exactly theirs: the fast path only ever answers ok.
/// Source of the rules: FIX 4.4 Vol. 1 "FIX Message Format", Vol. 2 "Reject <3>" (see codec.hpp,
/// validate.hpp). Standard library only; no allocation; no exceptions.

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/dictionary.hpp"
#include "pinnacle/connect/fix/validate.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pinnacle::inline v0::fix {

/// Result of layout_decoder::decode: framing as parse_message, then validation as validate.
struct [[nodiscard]] decode_result {
    parse_result parse;  ///< as parse_message would return
    validation valid;    ///< as validate would return; meaningful only when parse.ok()
    bool fast;           ///< true when the learned layout answered (diagnostics, benchmarks)
    /// True when the message was framed and is valid.
    [[nodiscard]] constexpr bool ok() const noexcept { return parse.ok() && valid.ok(); }
};

/// Parse + validate with learned per-MsgType layouts (see the file comment). Holds up to
/// `max_layouts` layouts of up to `max_layout_fields` fields; a newer layout of a MsgType replaces
/// the older, and when all slots are taken the oldest is replaced. Messages of at most
/// `max_fast_bytes` bytes before CheckSum take the fast path. Thread-safety: one thread.
class layout_decoder {
public:
    /// Layouts remembered at once (distinct MsgTypes).
    static constexpr std::size_t max_layouts = 8;
    /// Fields between MsgType and CheckSum a layout may hold.
    static constexpr std::size_t max_layout_fields = 48;
    /// Longest message (bytes before the CheckSum field) the fast path frames.
    static constexpr std::size_t max_fast_bytes = 1024;

    /// Decodes against `dict`; `length_tags` as for parse_message. Both must outlive the decoder.
    layout_decoder(const dictionary& dict, const tag_set* length_tags) noexcept : dict_(&dict), length_tags_(length_tags) {
        for (auto& s : slot_of_char_) s = -1;
    }

    /// Frames the message at the start of `buf` into `out` and validates it: the same result,
    /// fields and errors as parse_message(buf, out, length_tags) followed (when ok) by
    /// validate(dict, fields). A valid message without groups or DATA fields teaches its layout.
    decode_result decode(std::string_view buf, std::span<field> out) noexcept {
        if (const decode_result r = try_fast(buf, out); r.fast) return r;
        decode_result r{parse_message(buf, out, length_tags_), validation{reject_reason::none, 0, 0, nullptr}, false};
        if (!r.parse.ok()) return r;
        const std::span<const field> f(out.data(), r.parse.field_count);
        r.valid = validate(*dict_, f);
        if (r.valid.ok()) learn(buf, f, r.valid.message);
        return r;
    }

    /// Forgets every layout.
    void clear() noexcept {
        for (auto& s : slot_of_char_) s = -1;
        used_ = 0;
    }

    /// Number of layouts remembered.
    [[nodiscard]] std::size_t layouts() const noexcept { return used_; }

private:
    // One expected field: its "tag=" bytes (little-endian in `prefix`, at most 8), how to check it.
    struct entry {
        std::uint64_t prefix;      // "tag=" bytes, the rest zero
        std::uint64_t mask;        // 0xFF for each byte of "tag="
        const field_def* def;      // the tag's definition
        std::uint32_t tag;         // tag number
        std::uint8_t prefix_len;   // bytes of "tag="
        std::uint8_t kind;         // kind_any, kind_char_enum or kind_general
    };
    static constexpr std::uint8_t kind_any = 0;        // any non-empty value (no format, no enum)
    static constexpr std::uint8_t kind_char_enum = 1;  // one byte among an enumerated set
    static constexpr std::uint8_t kind_general = 2;    // detail::check_value
    static constexpr std::uint8_t kind_int = 3;        // INT, LENGTH, SEQNUM without enum: digits
    static constexpr std::uint8_t kind_float = 4;      // FLOAT-like without enum
    static constexpr std::uint8_t kind_timestamp = 5;  // UTCTIMESTAMP without enum

    struct layout {
        std::array<entry, max_layout_fields> fields;  // between MsgType and CheckSum, in order
        std::array<char, 24> begin;                   // "8=<BeginString><SOH>9="
        std::size_t begin_len = 0;
        std::size_t count = 0;
        const message_def* message = nullptr;
        char msg_type = 0;
    };

    static constexpr std::uint8_t classify(const field_def& fd) noexcept {
        switch (fd.type) {
            case field_type::string:
            case field_type::country:
            case field_type::currency:
            case field_type::exchange:
            case field_type::undefined:
                return fd.values_count == 0 ? kind_any : kind_general;
            case field_type::char_:
                if (fd.values_count == 0) return kind_general;
                return (fd.char_mask_lo | fd.char_mask_hi) != 0 ? kind_char_enum : kind_general;
            case field_type::int_:
            case field_type::length:
            case field_type::seqnum: return fd.values_count == 0 ? kind_int : kind_general;
            case field_type::float_:
            case field_type::qty:
            case field_type::price:
            case field_type::price_offset:
            case field_type::amt:
            case field_type::percentage: return fd.values_count == 0 ? kind_float : kind_general;
            case field_type::utc_timestamp: return fd.values_count == 0 ? kind_timestamp : kind_general;
            default: return kind_general;
        }
    }

    // Remembers the layout of a valid message (no groups, no DATA, one-character MsgType).
    void learn(std::string_view buf, std::span<const field> f, const message_def* m) noexcept {
        if (m == nullptr || f.size() < 4 || f[2].value.size() != 1 || f.size() - 4 > max_layout_fields) return;
        const auto c = static_cast<unsigned char>(f[2].value[0]);
        if (c >= 128 || f[0].value.size() > 16) return;
        const std::size_t before_checksum = f.back().offset;
        if (before_checksum > max_fast_bytes || before_checksum < 16) return;
        layout l{};
        for (std::size_t i = 3; i + 1 < f.size(); ++i) {
            const std::uint32_t t = f[i].tag;
            if (t > max_dictionary_tag) return;
            const field_def& fd = dict_->fields[t];
            if (fd.type == field_type::numingroup || fd.type == field_type::data) return;
            if (length_tags_ != nullptr && length_tags_->contains(t)) return;
            char text[20];
            const std::size_t nd = encoder::format_uint(t, text);
            if (nd + 1 > 8) return;
            text[nd] = '=';
            entry e{};
            for (std::size_t k = 0; k <= nd; ++k) {
                e.prefix |= std::uint64_t{static_cast<unsigned char>(text[k])} << (8 * k);
                e.mask |= std::uint64_t{0xFF} << (8 * k);
            }
            if constexpr (std::endian::native == std::endian::big) {
                e.prefix = byteswap64(e.prefix);
                e.mask = byteswap64(e.mask);
            }
            e.def = &fd;
            e.tag = t;
            e.prefix_len = static_cast<std::uint8_t>(nd + 1);
            e.kind = classify(fd);
            l.fields[l.count++] = e;
        }
        const std::string_view bs = f[0].value;
        l.begin_len = 2 + bs.size() + 1 + 2;
        std::memcpy(l.begin.data(), buf.data(), l.begin_len);  // "8=...<SOH>9=" as received
        l.message = m;
        l.msg_type = static_cast<char>(c);
        std::int8_t slot = slot_of_char_[c];
        if (slot < 0) {
            if (used_ < max_layouts) {
                slot = static_cast<std::int8_t>(used_++);
            } else {
                slot = static_cast<std::int8_t>(next_evict_);
                next_evict_ = (next_evict_ + 1) % max_layouts;
                slot_of_char_[static_cast<unsigned char>(layouts_[static_cast<std::size_t>(slot)].msg_type)] = -1;
            }
            slot_of_char_[c] = slot;
        }
        layouts_[static_cast<std::size_t>(slot)] = l;
    }

    static constexpr std::uint64_t byteswap64(std::uint64_t v) noexcept {
        std::uint64_t r = 0;
        for (int i = 0; i < 8; ++i) r = (r << 8) | ((v >> (8 * i)) & 0xFFU);
        return r;
    }

    // The fast path; r.fast == false means "not answered here" (then nothing about `out` counts).
    decode_result try_fast(std::string_view buf, std::span<field> out) const noexcept {
        constexpr decode_result no{parse_result{parse_status::garbled, 0, 0, 0, 0}, validation{reject_reason::none, 0, 0, nullptr}, false};
        const char* const base = buf.data();
        const std::size_t size = buf.size();
        if (used_ == 0 || size < 32) return no;
        // "8=<BeginString><SOH>9=" as learned; the MsgType byte sits after BodyLength.
        const std::size_t bl = layouts_[0].begin_len;  // all layouts of one session share it in practice
        if (size <= bl + 12) return no;
        // BodyLength: 1..7 digits then SOH.
        const char* p = base + bl;
        std::uint32_t body_length = 0;
        std::size_t nd = 0;
        while (nd < 8) {
            const auto d = static_cast<unsigned>(static_cast<unsigned char>(p[nd]) - '0');
            if (d >= 10) break;
            body_length = body_length * 10 + d;
            ++nd;
        }
        if (nd == 0 || nd > 7 || p[nd] != soh) return no;
        const char* const body = p + nd + 1;
        if (body[0] != '3' || body[1] != '5' || body[2] != '=' || body[4] != soh) return no;
        const auto c = static_cast<unsigned char>(body[3]);
        if (c >= 128 || slot_of_char_[c] < 0) return no;
        const layout& l = layouts_[static_cast<std::size_t>(slot_of_char_[c])];
        if (l.begin_len != bl) return no;
        if (bl >= 8 && bl <= 16) {  // two overlapping 8-byte compares ("8=FIX.4.4<SOH>9=" is 12)
            if (detail::load8(base) != detail::load8(l.begin.data()) ||
                detail::load8(base + bl - 8) != detail::load8(l.begin.data() + bl - 8)) {
                return no;
            }
        } else if (std::memcmp(base, l.begin.data(), bl) != 0) {
            return no;
        }
        if (body_length < 5 || static_cast<std::size_t>(body_length) + 7 > static_cast<std::size_t>(base + size - body)) return no;
        const char* const trailer = body + body_length;
        const std::size_t span_len = static_cast<std::size_t>(trailer - base);  // bytes summed by CheckSum
        if (span_len > max_fast_bytes || span_len < 16) return no;
        if (trailer[0] != '1' || trailer[1] != '0' || trailer[2] != '=' || trailer[6] != soh || trailer[-1] != soh) return no;
        std::uint32_t stated = 0;
        for (int i = 3; i < 6; ++i) {
            const auto d = static_cast<unsigned>(static_cast<unsigned char>(trailer[i]) - '0');
            if (d >= 10) return no;
            stated = stated * 10 + d;
        }
        if (out.size() < l.count + 5) return no;
        // One pass over [base, trailer): the byte sum and a bitmap of SOH positions.
        std::array<std::uint64_t, bitmap_words> soh_bits;  // NOLINT: written before read
        const std::uint32_t sum = sum_and_soh_bits(base, span_len, soh_bits);
        if (sum != stated) return no;
        // Fields: the SOH after MsgType is the first bit at or after body + 4.
        const std::size_t first = static_cast<std::size_t>(body + 5 - base);
        std::size_t wi = first >> 6;
        std::uint64_t word = soh_bits[wi] & (~std::uint64_t{0} << (first & 63U));
        const std::size_t words = (span_len + 63) / 64;
        out[0] = field{8, 0, std::string_view(base + 2, bl - 5)};
        out[1] = field{9, static_cast<std::uint32_t>(p - 2 - base), std::string_view(p, nd)};
        out[2] = field{35, static_cast<std::uint32_t>(body - base), std::string_view(body + 3, 1)};
        std::size_t n = 3;
        const char* q = body + 5;
        for (std::size_t k = 0; k < l.count; ++k) {
            const entry& e = l.fields[k];
            if ((detail::load8(q) & e.mask) != e.prefix) return no;  // q <= trailer: 8 bytes readable
            const char* const v = q + e.prefix_len;
            while (word == 0) {
                if (++wi >= words) return no;
                word = soh_bits[wi];
            }
            const char* const value_end = base + (wi * 64 + static_cast<std::size_t>(std::countr_zero(word)));
            word &= word - 1;
            if (value_end <= v) return no;  // empty value (or an SOH inside "tag=", impossible)
            const field x{e.tag, static_cast<std::uint32_t>(q - base), std::string_view(v, static_cast<std::size_t>(value_end - v))};
            switch (e.kind) {
                case kind_any: break;
                case kind_char_enum: {
                    if (x.value.size() != 1) return no;
                    const auto b = static_cast<unsigned char>(v[0]);
                    const std::uint64_t m = b < 64 ? e.def->char_mask_lo : b < 128 ? e.def->char_mask_hi : 0;
                    if (((m >> (b & 63U)) & 1U) == 0) return no;
                    break;
                }
                case kind_int:
                    if (x.value.size() <= 8 && all_digits8(detail::load8(v), x.value.size())) break;
                    if (detail::check_value(*dict_, x, *e.def) != reject_reason::none) return no;
                    break;
                case kind_float:
                    if (x.value.size() <= 8 && unsigned_decimal8(detail::load8(v), x.value.size())) break;
                    if (detail::check_value(*dict_, x, *e.def) != reject_reason::none) return no;
                    break;
                case kind_timestamp:
                    if (x.value.size() == 21 && timestamp_ms(v)) break;
                    if (detail::check_value(*dict_, x, *e.def) != reject_reason::none) return no;
                    break;
                default:
                    if (detail::check_value(*dict_, x, *e.def) != reject_reason::none) return no;
                    break;
            }
            out[n++] = x;
            q = value_end + 1;
        }
        if (q != trailer) return no;
        out[n++] = field{10, static_cast<std::uint32_t>(trailer - base), std::string_view(trailer + 3, 3)};
        return decode_result{parse_result{parse_status::ok, span_len + 7, n, 0, 0},
                             validation{reject_reason::none, 0, 0, l.message}, true};
    }

    // Bytes of a little-endian load in memory order: lane i is byte i (big-endian loads swapped).
    static std::uint64_t lanes(std::uint64_t x) noexcept {
        if constexpr (std::endian::native == std::endian::big) return byteswap64(x);
        return x;
    }

    // Mask of the first n (1..8) lanes.
    static constexpr std::uint64_t first_lanes(std::size_t n) noexcept {
        return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
    }

    // True when the first n (1..8) bytes of the load `x` are '0'..'9' (SWAR; exact: a byte with
    // high nibble 3 and low nibble >= A carries into the high nibble, and only bytes >= 0xFA,
    // already rejected by their high nibble, carry into the next lane).
    static bool all_digits8(std::uint64_t x, std::size_t n) noexcept {
        constexpr std::uint64_t zeros = 0x3030303030303030ULL;
        constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ULL;
        const std::uint64_t keep = first_lanes(n);
        const std::uint64_t v = (lanes(x) & keep) | (zeros & ~keep);
        return ((v & high) | (((v + 0x0606060606060606ULL) & high) >> 4)) == 0x3333333333333333ULL;
    }

    // True when the first n (1..8) bytes hold digits with at most one '.' and at least one digit
    // (detail::is_float without a sign, which then falls back to the general check).
    static bool unsigned_decimal8(std::uint64_t x, std::size_t n) noexcept {
        constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
        const std::uint64_t keep = first_lanes(n);
        const std::uint64_t v = lanes(x) & keep;
        const std::uint64_t y = v ^ 0x2E2E2E2E2E2E2E2EULL;  // '.' lanes become zero
        const std::uint64_t dots = ~(((y & low7) + low7) | y | low7) & keep;  // 0x80 in each '.' lane
        if ((dots & (dots - 1)) != 0 || (dots != 0 && n == 1)) return false;  // two dots, or "." alone
        return all_digits8(lanes(v + (dots >> 6)), n);  // '.' (0x2E) + 2 = '0'
    }

    // True for "YYYYMMDD-HH:MM:SS.sss" with the ranges of detail::is_date / is_time.
    static bool timestamp_ms(const char* v) noexcept {
        // Lanes 8, 11, 14, 17 hold '-', ':', ':', '.'; they are checked, then read as '0'.
        const std::uint64_t a = detail::load8(v);
        std::uint64_t b = lanes(detail::load8(v + 8));        // bytes 8..15
        std::uint64_t c = lanes(detail::load8(v + 13));       // bytes 13..20
        constexpr std::uint64_t b_sep = 0x003A00003A00002DULL;   // lanes 0 '-', 3 ':', 6 ':' (bytes 8, 11, 14)
        constexpr std::uint64_t b_mask = 0x00FF0000FF0000FFULL;
        constexpr std::uint64_t c_sep = 0x0000002E00003A00ULL;   // lanes 1 ':', 4 '.' (bytes 14, 17)
        constexpr std::uint64_t c_mask = 0x000000FF0000FF00ULL;
        if ((b & b_mask) != b_sep || (c & c_mask) != c_sep) return false;
        b = (b & ~b_mask) | (0x3030303030303030ULL & b_mask);
        c = (c & ~c_mask) | (0x3030303030303030ULL & c_mask);
        if (!all_digits8(a, 8) || !all_digits8(lanes(b), 8) || !all_digits8(lanes(c), 8)) return false;
        auto two = [v](int at) noexcept { return (v[at] - '0') * 10 + (v[at + 1] - '0'); };
        const int month = two(4);
        const int day = two(6);
        return month >= 1 && month <= 12 && day >= 1 && day <= 31 && two(9) <= 23 && two(12) <= 59 && two(15) <= 60;
    }

    // Words of the SOH bitmap of the fast path.
    static constexpr std::size_t bitmap_words = max_fast_bytes / 64 + 1;

    // Sum of the n bytes at p modulo 256, and bit i of bits set where p[i] is SOH (n in
    // 16..max_fast_bytes); words past the last byte are left as they were.
    static std::uint32_t sum_and_soh_bits(const char* p, std::size_t n, std::array<std::uint64_t, bitmap_words>& bits) noexcept {
#if defined(__SSE2__)
        const __m128i zero = _mm_setzero_si128();
        const __m128i sohs = _mm_set1_epi8(soh);
        __m128i acc = _mm_setzero_si128();
        auto step = [&](const char* at) noexcept {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));  // NOLINT: unaligned load
            acc = _mm_add_epi64(acc, _mm_sad_epu8(v, zero));
            return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, sohs)))};
        };
        std::size_t i = 0;
        std::size_t w = 0;
        for (; i + 64 <= n; i += 64, ++w) {
            bits[w] = step(p + i) | (step(p + i + 16) << 16) | (step(p + i + 32) << 32) | (step(p + i + 48) << 48);
        }
        std::uint64_t word = 0;
        unsigned shift = 0;
        for (; i + 16 <= n; i += 16, shift += 16) word |= step(p + i) << shift;
        if (i < n) {
            // The last 16 bytes again, with the lanes already summed cleared (n >= 16).
            static constexpr std::array<unsigned char, 32> keep = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
            const std::size_t rest = n - i;  // 1..15
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));  // NOLINT
            const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keep.data() + rest));  // NOLINT
            const __m128i t = _mm_and_si128(v, k);
            acc = _mm_add_epi64(acc, _mm_sad_epu8(t, zero));
            const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(t, sohs)));
            word |= std::uint64_t{m >> (16 - rest)} << shift;
        }
        bits[w] = word;
        return (static_cast<std::uint32_t>(_mm_cvtsi128_si32(acc)) + static_cast<std::uint32_t>(_mm_extract_epi16(acc, 4))) & 0xFFU;
#else
        for (std::size_t w = 0; w < (n + 63) / 64; ++w) bits[w] = 0;
        std::uint32_t s = 0;
        for (std::size_t i = 0; i < n; ++i) {
            s += static_cast<unsigned char>(p[i]);
            if (p[i] == soh) bits[i >> 6] |= std::uint64_t{1} << (i & 63U);
        }
        return s & 0xFFU;
#endif
    }

    const dictionary* dict_;
    const tag_set* length_tags_;
    std::array<layout, max_layouts> layouts_{};
    std::array<std::int8_t, 128> slot_of_char_{};
    std::size_t used_ = 0;
    std::size_t next_evict_ = 0;
};

} // namespace pinnacle::inline v0::fix
