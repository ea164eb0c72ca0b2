#pragma once
/// @file
/// Validation of a parsed message against a data dictionary, answering with the
/// SessionRejectReason (373) and RefTagID (371) a Reject (3) should carry. Source: FIX 4.4 Vol. 2,
/// "Reject <3>" (reason codes) and Vol. 1 "Data Types", "Repeating Groups", "Standard Message
/// Header/Trailer" (header first, trailer last, the first field of every group instance is the
/// delimiter and NumInGroup counts the instances). Standard library only; no allocation.

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/dictionary.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pinnacle::inline v0::fix {

/// A data dictionary: views over the generated tables of one FIX version.
struct dictionary {
    std::string_view begin_string;                 ///< e.g. "FIX.4.4"
    std::span<const field_def> fields;             ///< indexed by tag, 0..max_dictionary_tag
    std::span<const std::string_view> values;      ///< enumerated values, grouped by field
    std::span<const section_def> sections;         ///< header, trailer, bodies, group instances
    std::span<const group_def> groups;             ///< contiguous per owning section
    std::span<const message_def> messages;         ///< every message type
    std::uint16_t header_section;                  ///< index of the header in `sections`
    std::uint16_t trailer_section;                 ///< index of the trailer in `sections`
    std::array<std::int16_t, 128> by_first_char;   ///< index of the one-char MsgType c, or -1

    /// The definition of `msg_type`, or nullptr when the dictionary has none.
    [[nodiscard]] constexpr const message_def* find_message(std::string_view msg_type) const noexcept {
        if (msg_type.size() == 1) {
            const auto c = static_cast<unsigned char>(msg_type[0]);
            if (c < 128 && by_first_char[c] >= 0) return &messages[static_cast<std::size_t>(by_first_char[c])];
            return nullptr;
        }
        for (const auto& m : messages) {
            if (m.msg_type == msg_type) return &m;
        }
        return nullptr;
    }

    /// The field definition of `tag` (field_type::undefined when unknown).
    [[nodiscard]] constexpr const field_def& field_of(std::uint32_t tag) const noexcept {
        return fields[tag <= max_dictionary_tag ? tag : 0];
    }
};

/// SessionRejectReason (373) values, FIX 4.4 Vol. 2 "Reject <3>" (checked against the dictionary
/// by the tests).
enum class reject_reason : std::int16_t {
    none = -1,                       ///< the message is valid
    invalid_tag_number = 0,          ///< tag number not a positive integer
    required_tag_missing = 1,        ///< a required field is absent
    tag_not_defined_for_message = 2, ///< a known tag that this message type does not carry
    undefined_tag = 3,               ///< a tag the dictionary does not define
    tag_without_value = 4,           ///< "tag=" with nothing before SOH
    value_incorrect = 5,             ///< not one of the field's enumerated values
    incorrect_data_format = 6,       ///< does not parse as the field's data type
    comp_id_problem = 9,             ///< SenderCompID/TargetCompID (session layer)
    sending_time_accuracy = 10,      ///< SendingTime too far from now (session layer)
    invalid_msg_type = 11,           ///< MsgType unknown to the dictionary
    tag_appears_more_than_once = 13, ///< duplicate field in one section or group instance
    tag_out_of_order = 14,           ///< header field after the body, body field after the trailer
    group_fields_out_of_order = 15,  ///< a group instance does not start with the delimiter
    incorrect_num_in_group = 16,     ///< NumInGroup differs from the instances present
};

/// Outcome of validate(): the reject reason and the field at fault.
struct [[nodiscard]] validation {
    reject_reason reason;        ///< none when valid
    std::uint32_t ref_tag;       ///< RefTagID (371): the tag at fault (0 when none)
    std::size_t field_index;     ///< index of the field at fault in the parsed array
    const message_def* message;  ///< the message's definition (nullptr when MsgType is unknown)
    /// True when the message is valid.
    [[nodiscard]] constexpr bool ok() const noexcept { return reason == reject_reason::none; }
};

/// Short English text for a reject reason, usable as Text (58).
[[nodiscard]] constexpr std::string_view to_string(reject_reason r) noexcept {
    switch (r) {
        case reject_reason::none: return "valid";
        case reject_reason::invalid_tag_number: return "Invalid tag number";
        case reject_reason::required_tag_missing: return "Required tag missing";
        case reject_reason::tag_not_defined_for_message: return "Tag not defined for this message type";
        case reject_reason::undefined_tag: return "Undefined Tag";
        case reject_reason::tag_without_value: return "Tag specified without a value";
        case reject_reason::value_incorrect: return "Value is incorrect (out of range) for this tag";
        case reject_reason::incorrect_data_format: return "Incorrect data format for value";
        case reject_reason::comp_id_problem: return "CompID problem";
        case reject_reason::sending_time_accuracy: return "SendingTime accuracy problem";
        case reject_reason::invalid_msg_type: return "Invalid MsgType";
        case reject_reason::tag_appears_more_than_once: return "Tag appears more than once";
        case reject_reason::tag_out_of_order: return "Tag specified out of required order";
        case reject_reason::group_fields_out_of_order: return "Repeating group fields out of order";
        case reject_reason::incorrect_num_in_group: return "Incorrect NumInGroup count for repeating group";
    }
    return "Other";
}

namespace detail {

/// True for '0'..'9'.
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// True when `v` is non-empty and all digits.
constexpr bool all_digits(std::string_view v) noexcept {
    if (v.empty()) return false;
    for (char c : v) {
        if (!is_digit(c)) return false;
    }
    return true;
}

/// The two-digit number at `at` (digits checked by the caller).
constexpr int two(std::string_view v, std::size_t at) noexcept { return (v[at] - '0') * 10 + (v[at + 1] - '0'); }

// YYYYMMDD with month 1..12 and day 1..31.
constexpr bool is_date(std::string_view v) noexcept {
    return v.size() == 8 && all_digits(v) && two(v, 4) >= 1 && two(v, 4) <= 12 && two(v, 6) >= 1 && two(v, 6) <= 31;
}

// HH:MM:SS[.s...] (fraction of 3, 6 or 9 digits; QuickFIX writes ms, us or ns).
constexpr bool is_time(std::string_view v) noexcept {
    if (v.size() < 8 || v[2] != ':' || v[5] != ':') return false;
    for (std::size_t i : {0U, 1U, 3U, 4U, 6U, 7U}) {
        if (!is_digit(v[i])) return false;
    }
    if (two(v, 0) > 23 || two(v, 3) > 59 || two(v, 6) > 60) return false;
    if (v.size() == 8) return true;
    const std::string_view frac = v.substr(9);
    return v[8] == '.' && (frac.size() == 3 || frac.size() == 6 || frac.size() == 9) && all_digits(frac);
}

/// INT-like: optional '-' (when allowed) and 1..18 digits.
constexpr bool is_int(std::string_view v, bool allow_sign) noexcept {
    if (allow_sign && !v.empty() && v[0] == '-') v.remove_prefix(1);
    return all_digits(v) && v.size() <= 18;
}

/// FLOAT-like: optional '-', digits with at most one '.', 1..30 digits.
constexpr bool is_float(std::string_view v) noexcept {
    if (!v.empty() && v[0] == '-') v.remove_prefix(1);
    std::size_t digits = 0;
    bool point = false;
    for (char c : v) {
        if (is_digit(c)) {
            ++digits;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    return digits > 0 && digits <= 30;
}

/// MONTHYEAR: YYYYMM, YYYYMMDD or YYYYMMwN.
constexpr bool is_month_year(std::string_view v) noexcept {
    if (v.size() < 6 || !all_digits(v.substr(0, 6)) || two(v, 4) < 1 || two(v, 4) > 12) return false;
    if (v.size() == 6) return true;
    if (v.size() == 8 && all_digits(v.substr(6))) return two(v, 6) >= 1 && two(v, 6) <= 31;
    return v.size() == 8 && v[6] == 'w' && v[7] >= '1' && v[7] <= '5';
}

} // namespace detail

/// True when `v` is a well-formed value of data type `t` (FIX 4.4 Vol. 1 "Data Types").
[[nodiscard]] constexpr bool well_formed(field_type t, std::string_view v) noexcept {
    using detail::is_date, detail::is_time, detail::is_int;
    switch (t) {
        case field_type::int_: return is_int(v, true);
        case field_type::length:
        case field_type::seqnum:
        case field_type::numingroup: return is_int(v, false);
        case field_type::dayofmonth:
            return is_int(v, false) && v.size() <= 2 && (v.size() == 1 ? v[0] >= '1' : detail::two(v, 0) >= 1 && detail::two(v, 0) <= 31);
        case field_type::float_:
        case field_type::qty:
        case field_type::price:
        case field_type::price_offset:
        case field_type::amt:
        case field_type::percentage: return detail::is_float(v);
        case field_type::char_: return v.size() == 1;
        case field_type::boolean: return v.size() == 1 && (v[0] == 'Y' || v[0] == 'N');
        case field_type::month_year: return detail::is_month_year(v);
        case field_type::utc_timestamp: return v.size() >= 17 && v[8] == '-' && is_date(v.substr(0, 8)) && is_time(v.substr(9));
        case field_type::utc_time_only: return is_time(v);
        case field_type::utc_date_only:
        case field_type::local_mkt_date: return is_date(v);
        case field_type::undefined:
        case field_type::string:
        case field_type::multiple_value_string:
        case field_type::country:
        case field_type::currency:
        case field_type::exchange:
        case field_type::data: return true;
    }
    return false;
}

namespace detail {

/// The value checks of one field against its definition `fd` in `d`: present (4), well formed
/// (6), among the enumerated values (5). Returns reject_reason::none when the value passes.
[[nodiscard]] constexpr reject_reason check_value(const dictionary& d, const field& x, const field_def& fd) noexcept {
    const std::string_view v = x.value;
    if (v.empty()) return reject_reason::tag_without_value;
    if (!well_formed(fd.type, v)) return reject_reason::incorrect_data_format;
    // MsgType's 93 values were already matched by find_message.
    if (fd.values_count == 0 || x.tag == 35) return reject_reason::none;
    if ((fd.type == field_type::char_ || fd.type == field_type::boolean) && (fd.char_mask_lo | fd.char_mask_hi) != 0) {
        const auto c = static_cast<unsigned char>(v[0]);
        const std::uint64_t mask = c < 64 ? fd.char_mask_lo : c < 128 ? fd.char_mask_hi : 0;
        return ((mask >> (c & 63U)) & 1U) != 0 ? reject_reason::none : reject_reason::value_incorrect;
    }
    const auto allowed = d.values.subspan(fd.values_begin, fd.values_count);
    auto in_list = [&](std::string_view s) {
        for (std::string_view a : allowed) {
            if (a == s) return true;
        }
        return false;
    };
    if (fd.type == field_type::multiple_value_string) {
        std::size_t start = 0;
        while (start <= v.size()) {
            const std::size_t sp = v.find(' ', start);
            const std::string_view tok = v.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start);
            if (!in_list(tok)) return reject_reason::value_incorrect;
            if (sp == std::string_view::npos) break;
            start = sp + 1;
        }
        return reject_reason::none;
    }
    return in_list(v) ? reject_reason::none : reject_reason::value_incorrect;
}

/// One validation run over parsed fields (see fix::validate). One thread, one message.
class validator {
public:
    /// Validates `f` against `d`; both must outlive the validator.
    constexpr validator(const dictionary& d, std::span<const field> f) noexcept : d_(d), f_(f) {}

    /// Runs the checks; the first problem found is the result.
    constexpr validation run() noexcept {
        const message_def* m = f_.size() > 2 && f_[2].tag == 35 ? d_.find_message(f_[2].value) : nullptr;
        if (m == nullptr) return {reject_reason::invalid_msg_type, 35, 2, nullptr};
        res_.message = m;
        // Header, body and trailer tags are disjoint: one set of seen tags serves all three.
        tag_set seen{};
        if (!walk(d_.sections[d_.header_section], 0, role::header, seen)) return res_;
        if (!walk(d_.sections[m->body], 0, role::body, seen)) return res_;
        (void)walk(d_.sections[d_.trailer_section], 0, role::trailer, seen);
        return res_;
    }

private:
    // A field that ended the body without being a trailer field.
    constexpr bool stray() noexcept {
        const std::uint32_t t = f_[i_].tag;
        const field_def& fd = d_.field_of(t);
        if (d_.sections[d_.header_section].members.contains(t)) return fail(reject_reason::tag_out_of_order, t, i_);
        if (fd.type == field_type::undefined) return fail(reject_reason::undefined_tag, t, i_);
        return fail(reject_reason::tag_not_defined_for_message, t, i_);
    }

    // Records the first problem; returns false so walk() can `return fail(...)`.
    constexpr bool fail(reject_reason r, std::uint32_t tag, std::size_t index) noexcept {
        res_.reason = r;
        res_.ref_tag = tag;
        res_.field_index = index;
        return false;
    }

    enum class role : std::uint8_t { header, body, trailer, group };

    // Consumes the fields of one section instance starting at i_; stops at the first field that is
    // not a member (or at a second `delimiter`). In the body, that field must open the trailer;
    // nothing may follow the trailer. False on error (res_ is set).
    constexpr bool walk(const section_def& s, std::uint32_t delimiter, role part, tag_set& seen) noexcept {
        unsigned required_seen = 0;
        while (i_ < f_.size()) {
            const field& x = f_[i_];
            const std::uint32_t t = x.tag;
            if (!s.members.contains(t)) {
                if (part == role::body && !d_.sections[d_.trailer_section].members.contains(t)) return stray();
                if (part == role::trailer) return fail(reject_reason::tag_out_of_order, t, i_);
                break;
            }
            std::uint64_t& word = seen.words[t >> 6];
            const std::uint64_t bit = std::uint64_t{1} << (t & 63U);
            if ((word & bit) != 0) {
                if (t == delimiter) break;
                // In a group instance, a member met twice starts an instance without its delimiter.
                return fail(part == role::group ? reject_reason::group_fields_out_of_order
                                                : reject_reason::tag_appears_more_than_once, t, i_);
            }
            word |= bit;
            if ((s.required.words[t >> 6] & bit) != 0) ++required_seen;
            const field_def& fd = d_.fields[t];
            if (const reject_reason r = check_value(d_, x, fd); r != reject_reason::none) {
                return fail(r, t, i_);
            }
            const std::size_t count_index = i_++;
            if (fd.type != field_type::numingroup) continue;
            const group_def* g = nullptr;
            for (const group_def& c : d_.groups.subspan(s.groups_begin, s.groups_count)) {
                if (c.count_tag == t) g = &c;
            }
            if (g == nullptr) continue;
            std::uint64_t count = 0;
            for (char c : x.value) count = count * 10 + static_cast<std::uint64_t>(c - '0');
            if (count > f_.size() - i_) {
                return fail(reject_reason::incorrect_num_in_group, t, count_index);
            }
            const section_def& inner = d_.sections[g->section];
            for (std::uint64_t k = 0; k < count; ++k) {
                if (i_ >= f_.size() || f_[i_].tag != g->delimiter) {
                    if (i_ < f_.size() && inner.members.contains(f_[i_].tag)) {
                        fail(reject_reason::group_fields_out_of_order, f_[i_].tag, i_);
                    } else {
                        fail(reject_reason::incorrect_num_in_group, t, count_index);
                    }
                    return false;
                }
                tag_set instance_seen{};
                if (!walk(inner, g->delimiter, role::group, instance_seen)) return false;
            }
            if (i_ < f_.size() && f_[i_].tag == g->delimiter) {
                return fail(reject_reason::incorrect_num_in_group, t, count_index);
            }
        }
        if (required_seen == s.required_count) return true;
        for (std::size_t w = 0; w < seen.words.size(); ++w) {
            const std::uint64_t missing = s.required.words[w] & ~seen.words[w];
            if (missing != 0) {
                std::uint32_t b = 0;
                while (((missing >> b) & 1U) == 0) ++b;
                return fail(reject_reason::required_tag_missing, static_cast<std::uint32_t>(w * 64 + b), i_);
            }
        }
        return true;
    }

    const dictionary& d_;
    std::span<const field> f_;
    std::size_t i_ = 0;
    validation res_{reject_reason::none, 0, 0, nullptr};
};

} // namespace detail

/// Validates parsed fields (as from parse_message) against `dict`: MsgType known (11), header
/// then body then trailer (14), each field defined (3) and allowed in its message (2), not
/// repeated (13; 15 inside a group instance), with a value (4) of the right format (6) among the enumerated ones (5), groups
/// whose instances start with their delimiter (15) and match NumInGroup (16), and every required
/// field present (1). Stops at the first problem. No allocation. Thread-safety: pure function.
/// Not checked here (session layer): BeginString, CompIDs, SendingTime accuracy, MsgSeqNum.
[[nodiscard]] constexpr validation validate(const dictionary& dict, std::span<const field> fields) noexcept {
    return detail::validator(dict, fields).run();
}

} // namespace pinnacle::inline v0::fix
