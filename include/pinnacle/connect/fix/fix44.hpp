#pragma once
/// @file
/// FIX 4.4: the dictionary generated from QuickFIX's FIX44.xml as a `dictionary`, the LENGTH
/// tags that announce DATA fields, and parse-and-validate in one call.

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/fix44_dictionary.hpp"
#include "pinnacle/connect/fix/layout.hpp"
#include "pinnacle/connect/fix/validate.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace pinnacle::inline v0::fix::fix44 {

namespace detail {

/// Index of each one-character MsgType in `messages`, -1 where none.
constexpr std::array<std::int16_t, 128> first_char_index() noexcept {
    std::array<std::int16_t, 128> idx{};
    for (auto& v : idx) v = -1;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const std::string_view t = messages[i].msg_type;
        if (t.size() == 1 && static_cast<unsigned char>(t[0]) < 128) {
            idx[static_cast<unsigned char>(t[0])] = static_cast<std::int16_t>(i);
        }
    }
    return idx;
}

/// The LENGTH tags that announce a DATA field.
constexpr tag_set length_tags() noexcept {
    tag_set s{};
    for (std::size_t t = 0; t < fields.size(); ++t) {
        if (fields[t].data_tag != 0) s.words[t >> 6] |= std::uint64_t{1} << (t & 63U);
    }
    return s;
}

// The parser's rule for which field holds the data of a LENGTH field must match the dictionary.
/// True when every LENGTH -> DATA pair follows fix::detail::is_data_of.
constexpr bool data_tags_follow_rule() noexcept {
    for (std::size_t t = 0; t < fields.size(); ++t) {
        if (fields[t].data_tag != 0 && !fix::detail::is_data_of(static_cast<std::uint32_t>(t), fields[t].data_tag)) return false;
    }
    return true;
}
static_assert(data_tags_follow_rule(), "a FIX 4.4 DATA field does not follow the length-tag rule of codec.hpp");

/// The FIX 4.4 LENGTH tags that announce a DATA field, as the parser takes them.
inline constexpr tag_set length_tag_set = length_tags();

} // namespace detail

/// The FIX 4.4 data dictionary (QuickFIX FIX44.xml).
inline constexpr dictionary dict{begin_string, fields, values, sections, groups, messages,
                                 header_section, trailer_section, detail::first_char_index()};

/// True when `tag` is a FIX 4.4 LENGTH field announcing a DATA field (e.g. RawDataLength 95).
[[nodiscard]] inline bool is_length_tag(std::uint32_t tag) noexcept { return detail::length_tag_set.contains(tag); }

/// Frames a FIX 4.4 message at the start of `buf` into `out` (see fix::parse_message).
[[nodiscard]] inline parse_result parse(std::string_view buf, std::span<field> out) noexcept {
    return parse_message(buf, out, &detail::length_tag_set);
}

/// Validates parsed fields against the FIX 4.4 dictionary (see fix::validate).
[[nodiscard]] inline validation validate(std::span<const field> f) noexcept { return fix::validate(dict, f); }

/// A parse + validate decoder over the FIX 4.4 dictionary with learned layouts (see
/// fix::layout_decoder): the same results as parse() then validate(), faster on repeated layouts.
[[nodiscard]] inline layout_decoder make_decoder() noexcept { return layout_decoder(dict, &detail::length_tag_set); }

} // namespace pinnacle::inline v0::fix::fix44
