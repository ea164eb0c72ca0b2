#pragma once
/// @file
/// The shapes of a FIX data dictionary: field types, per-tag definitions, sections (header, body,
/// trailer, repeating-group instance) as tag bitsets, and messages. The FIX 4.4 tables themselves
/// are generated from QuickFIX's FIX44.xml into fix44_dictionary.hpp (cmake/fix/fix_dictgen.cpp).
/// Standard library only.

#include "pinnacle/core/requires_cxx20.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace pinnacle::inline v0::fix {

/// Largest tag a dictionary table may describe (FIX 4.4 uses 1..956); tags above are undefined.
inline constexpr std::uint16_t max_dictionary_tag = 1023;

/// A field's data type (FIX 4.4 Vol. 1, "Data Types"; QuickFIX's type names).
enum class field_type : std::uint8_t {
    undefined,             ///< no field with this tag in the dictionary
    int_,                  ///< INT: optional '-' and digits
    length,                ///< LENGTH: digits, the byte count of the DATA field that follows
    seqnum,                ///< SEQNUM: digits
    numingroup,            ///< NUMINGROUP: digits, the number of repeating-group instances
    dayofmonth,            ///< DAYOFMONTH: 1..31
    float_,                ///< FLOAT: optional '-', digits, optional '.' and digits
    qty,                   ///< QTY: a FLOAT
    price,                 ///< PRICE: a FLOAT
    price_offset,          ///< PRICEOFFSET: a FLOAT
    amt,                   ///< AMT: a FLOAT
    percentage,            ///< PERCENTAGE: a FLOAT
    char_,                 ///< CHAR: one byte
    boolean,               ///< BOOLEAN: 'Y' or 'N'
    string,                ///< STRING: any bytes but SOH
    multiple_value_string, ///< MULTIPLEVALUESTRING: space-separated values
    country,               ///< COUNTRY: ISO 3166 code (STRING)
    currency,              ///< CURRENCY: ISO 4217 code (STRING)
    exchange,              ///< EXCHANGE: ISO 10383 MIC (STRING)
    month_year,            ///< MONTHYEAR: YYYYMM, YYYYMMDD or YYYYMMwN
    utc_timestamp,         ///< UTCTIMESTAMP: YYYYMMDD-HH:MM:SS[.sss]
    utc_time_only,         ///< UTCTIMEONLY: HH:MM:SS[.sss]
    utc_date_only,         ///< UTCDATEONLY: YYYYMMDD
    local_mkt_date,        ///< LOCALMKTDATE: YYYYMMDD
    data,                  ///< DATA: raw bytes (may hold SOH), length given by the preceding LENGTH field
};

/// One field of the dictionary, indexed by tag.
struct field_def {
    std::string_view name;           ///< FIX name, e.g. "ClOrdID"; empty when the tag is undefined
    field_type type;                 ///< data type
    std::uint16_t values_begin;      ///< first allowed value in the dictionary's value table
    std::uint16_t values_count;      ///< number of allowed values; 0 means any well-formed value
    std::uint16_t data_tag;          ///< for a LENGTH field, the DATA tag it measures; else 0
    std::uint64_t char_mask_lo;      ///< for an enumerated CHAR/BOOLEAN: allowed bytes 0..63
    std::uint64_t char_mask_hi;      ///< for an enumerated CHAR/BOOLEAN: allowed bytes 64..127
};

/// A set of tags 0..max_dictionary_tag as a bitset.
struct tag_set {
    std::array<std::uint64_t, (max_dictionary_tag + 1) / 64> words; ///< bit t%64 of word t/64 is tag t

    /// True when `t` is in the set; tags above max_dictionary_tag never are.
    [[nodiscard]] constexpr bool contains(std::uint32_t t) const noexcept {
        return t <= max_dictionary_tag && ((words[t >> 6] >> (t & 63)) & 1U) != 0;
    }
};

/// A repeating group inside a section: its NumInGroup tag, delimiter and instance section.
struct group_def {
    std::uint16_t count_tag; ///< the NUMINGROUP field that opens the group
    std::uint16_t delimiter; ///< the first field of every instance
    std::uint16_t section;   ///< index of the instance's section in the dictionary's section table
};

/// The fields a part of a message may hold (header, one message body, trailer, group instance).
struct section_def {
    tag_set members;            ///< tags allowed here (group members excluded, count tags included)
    tag_set required;           ///< tags that must appear here
    std::uint16_t groups_begin; ///< first of this section's groups in the group table
    std::uint16_t groups_count; ///< number of groups opened directly in this section
    std::uint16_t required_count; ///< number of tags in `required`
};

/// One message type of the dictionary.
struct message_def {
    std::string_view msg_type; ///< MsgType (35) value, e.g. "8"
    std::string_view name;     ///< FIX name, e.g. "ExecutionReport"
    bool admin;                ///< true for session-level (msgcat admin) messages
    std::uint16_t body;        ///< index of the body section in the section table
};

} // namespace pinnacle::inline v0::fix
