#pragma once
/// @file
/// Typed, zero-copy views of FIX 4.4 messages: the standard header, the session messages
/// (Logon A, Heartbeat 0, TestRequest 1, ResendRequest 2, Reject 3, SequenceReset 4, Logout 5)
/// and order entry (NewOrderSingle D, OrderCancelRequest F, OrderCancelReplaceRequest G,
/// ExecutionReport 8, OrderCancelReject 9, BusinessMessageReject j). Fields follow FIX 4.4 Vol. 2
/// and Vol. 4; tag numbers come from the generated dictionary. Text fields are string_views into
/// the parsed buffer; numbers stay text where their scale is the caller's (prices, quantities:
/// convert with parse_decimal and the instrument's decimals). Each view has `read` (from parsed
/// fields: one pass, no allocation) and `write` (into an encoder, body fields only).

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/fix44.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pinnacle::inline v0::fix::fix44 {

/// Why a typed read failed.
enum class read_status : std::uint8_t {
    ok,              ///< every field the view needs was present and readable
    wrong_msg_type,  ///< MsgType (35) is not the view's
    missing_field,   ///< a required field is absent (error_tag names it)
    bad_number,      ///< a numeric field is not a non-negative integer within bounds (error_tag)
};

/// Result of a typed read: status and the tag at fault.
struct [[nodiscard]] read_result {
    read_status status;      ///< ok or why not
    std::uint32_t error_tag; ///< the tag at fault (0 when ok)
    /// True when the read succeeded.
    [[nodiscard]] constexpr bool ok() const noexcept { return status == read_status::ok; }
};

/// Parses a non-negative decimal integer of 1..18 digits; nullopt otherwise.
[[nodiscard]] constexpr std::optional<std::int64_t> parse_uint(std::string_view v) noexcept {
    if (v.empty() || v.size() > 18) return std::nullopt;
    std::int64_t r = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        r = r * 10 + (c - '0');
    }
    return r;
}

/// Parses a FIX decimal ("-12.5") as an integer count of 10^-decimals units: ("123.45", 2) ->
/// 12345. nullopt when malformed, when it has more fractional digits than `decimals` (other than
/// trailing zeros), or when the result exceeds 18 digits. `decimals` at most 18.
[[nodiscard]] constexpr std::optional<std::int64_t> parse_decimal(std::string_view v, unsigned decimals) noexcept {
    if (decimals > 18) return std::nullopt;
    bool neg = false;
    if (!v.empty() && v[0] == '-') {
        neg = true;
        v.remove_prefix(1);
    }
    std::int64_t r = 0;
    unsigned digits = 0;
    unsigned frac = 0;
    bool point = false;
    bool any = false;
    for (char c : v) {
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        any = true;
        if (point && frac == decimals) {
            if (c != '0') return std::nullopt;
            continue;
        }
        if (point) ++frac;
        if (r != 0 || c != '0') ++digits;
        if (digits > 18) return std::nullopt;
        r = r * 10 + (c - '0');
    }
    if (!any) return std::nullopt;
    for (; frac < decimals; ++frac) {
        if (++digits > 18 && r != 0) return std::nullopt;
        r *= 10;
    }
    return neg ? -r : r;
}

namespace detail {

/// Reads 0..2^32-1 into `out`; false when not such a number.
constexpr bool read_seq(std::string_view v, std::uint32_t& out) noexcept {
    const auto n = parse_uint(v);
    if (!n || *n > 0xFFFF'FFFF) return false;
    out = static_cast<std::uint32_t>(*n);
    return true;
}

/// Reads 0..2^31-1 into `out`; false when not such a number.
constexpr bool read_int(std::string_view v, std::int32_t& out) noexcept {
    const auto n = parse_uint(v);
    if (!n || *n > 0x7FFF'FFFF) return false;
    out = static_cast<std::int32_t>(*n);
    return true;
}

/// The first byte of `v`, or '\0' when empty.
constexpr char first(std::string_view v) noexcept { return v.empty() ? '\0' : v[0]; }

} // namespace detail

/// Standard header (FIX 4.4 Vol. 1 "Standard Message Header"): the fields a session checks.
struct header {
    std::string_view msg_type;          ///< MsgType (35)
    std::string_view sender_comp_id;    ///< SenderCompID (49)
    std::string_view target_comp_id;    ///< TargetCompID (56)
    std::uint32_t msg_seq_num = 0;      ///< MsgSeqNum (34), 1..2^32-1
    std::string_view sending_time;      ///< SendingTime (52), UTCTIMESTAMP text
    bool poss_dup = false;              ///< PossDupFlag (43) == 'Y'
    bool poss_resend = false;           ///< PossResend (97) == 'Y'
    std::string_view orig_sending_time; ///< OrigSendingTime (122), empty when absent

    /// Reads the header fields from parsed fields; needs 35, 49, 56, 34 and 52.
    static read_result read(std::span<const field> f, header& h) noexcept {
        h = header{};
        unsigned have = 0;
        for (const field& x : f) {
            switch (x.tag) {
                case tag::MsgType: h.msg_type = x.value; have |= 1U; break;
                case tag::SenderCompID: h.sender_comp_id = x.value; have |= 2U; break;
                case tag::TargetCompID: h.target_comp_id = x.value; have |= 4U; break;
                case tag::MsgSeqNum:
                    if (!detail::read_seq(x.value, h.msg_seq_num)) return {read_status::bad_number, x.tag};
                    have |= 8U;
                    break;
                case tag::SendingTime: h.sending_time = x.value; have |= 16U; break;
                case tag::PossDupFlag: h.poss_dup = x.value == "Y"; break;
                case tag::PossResend: h.poss_resend = x.value == "Y"; break;
                case tag::OrigSendingTime: h.orig_sending_time = x.value; break;
                default: break;
            }
        }
        constexpr std::uint32_t order[] = {tag::MsgType, tag::SenderCompID, tag::TargetCompID, tag::MsgSeqNum, tag::SendingTime};
        for (unsigned i = 0; i < 5; ++i) {
            if ((have & (1U << i)) == 0) return {read_status::missing_field, order[i]};
        }
        return {read_status::ok, 0};
    }

    /// Starts a message in `e` with this header (35 from msg_type, then 49, 56, 34, 52, 43, 122).
    void write(encoder& e) const noexcept {
        e.start(msg_type).add(tag::SenderCompID, sender_comp_id).add(tag::TargetCompID, target_comp_id)
            .add_int(tag::MsgSeqNum, msg_seq_num).add(tag::SendingTime, sending_time);
        if (poss_dup) e.add(tag::PossDupFlag, 'Y');
        if (poss_resend) e.add(tag::PossResend, 'Y');
        if (!orig_sending_time.empty()) e.add(tag::OrigSendingTime, orig_sending_time);
    }
};

namespace detail {

/// Shared read loop of the views: checks MsgType, calls `on(field)` for each field (false means a
/// bad number), then checks that `on` set bit i of `have` for each required tag req_tags[i].
template <class On>
read_result read_view(std::span<const field> f, std::string_view msg_type, On on, const std::uint32_t* req_tags,
                      unsigned req_count, const unsigned& have) noexcept {
    if (f.size() < 3 || f[2].value != msg_type) return {read_status::wrong_msg_type, tag::MsgType};
    for (const field& x : f) {
        if (!on(x)) return {read_status::bad_number, x.tag};
    }
    for (unsigned i = 0; i < req_count; ++i) {
        if ((have & (1U << i)) == 0) return {read_status::missing_field, req_tags[i]};
    }
    return {read_status::ok, 0};
}

} // namespace detail

/// Logon (A): EncryptMethod (98), HeartBtInt (108), ResetSeqNumFlag (141), Username/Password.
struct logon {
    static constexpr std::string_view msg_type = value::MsgType_LOGON; ///< "A"
    std::int32_t encrypt_method = 0;   ///< EncryptMethod (98); 0 = none
    std::int32_t heart_bt_int = 30;    ///< HeartBtInt (108), seconds
    bool reset_seq_num = false;        ///< ResetSeqNumFlag (141) == 'Y'
    std::string_view username;         ///< Username (553), empty when absent
    std::string_view password;         ///< Password (554), empty when absent

    /// Reads a Logon; needs 98 and 108.
    static read_result read(std::span<const field> f, logon& m) noexcept {
        m = logon{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::EncryptMethod, tag::HeartBtInt};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::EncryptMethod: have |= 1U; return detail::read_int(x.value, m.encrypt_method);
                case tag::HeartBtInt: have |= 2U; return detail::read_int(x.value, m.heart_bt_int);
                case tag::ResetSeqNumFlag: m.reset_seq_num = x.value == "Y"; return true;
                case tag::Username: m.username = x.value; return true;
                case tag::Password: m.password = x.value; return true;
                default: return true;
            }
        }, req, 2, have);
    }
    /// Appends the body fields to `e` (after header::write).
    void write(encoder& e) const noexcept {
        e.add_int(tag::EncryptMethod, encrypt_method).add_int(tag::HeartBtInt, heart_bt_int);
        if (reset_seq_num) e.add(tag::ResetSeqNumFlag, 'Y');
        if (!username.empty()) e.add(tag::Username, username);
        if (!password.empty()) e.add(tag::Password, password);
    }
};

/// Heartbeat (0): TestReqID (112) when answering a TestRequest.
struct heartbeat {
    static constexpr std::string_view msg_type = value::MsgType_HEARTBEAT; ///< "0"
    std::string_view test_req_id; ///< TestReqID (112), empty when absent

    /// Reads a Heartbeat.
    static read_result read(std::span<const field> f, heartbeat& m) noexcept {
        m = heartbeat{};
        unsigned have = 0;
        return detail::read_view(f, msg_type, [&](const field& x) {
            if (x.tag == tag::TestReqID) m.test_req_id = x.value;
            return true;
        }, nullptr, 0, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        if (!test_req_id.empty()) e.add(tag::TestReqID, test_req_id);
    }
};

/// TestRequest (1): TestReqID (112), echoed by the Heartbeat that answers it.
struct test_request {
    static constexpr std::string_view msg_type = value::MsgType_TEST_REQUEST; ///< "1"
    std::string_view test_req_id; ///< TestReqID (112)

    /// Reads a TestRequest; needs 112.
    static read_result read(std::span<const field> f, test_request& m) noexcept {
        m = test_request{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::TestReqID};
        return detail::read_view(f, msg_type, [&](const field& x) {
            if (x.tag == tag::TestReqID) {
                m.test_req_id = x.value;
                have |= 1U;
            }
            return true;
        }, req, 1, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept { e.add(tag::TestReqID, test_req_id); }
};

/// ResendRequest (2): BeginSeqNo (7) .. EndSeqNo (16); EndSeqNo 0 means "to the latest".
struct resend_request {
    static constexpr std::string_view msg_type = value::MsgType_RESEND_REQUEST; ///< "2"
    std::uint32_t begin_seq_no = 0; ///< BeginSeqNo (7)
    std::uint32_t end_seq_no = 0;   ///< EndSeqNo (16), 0 = infinity

    /// Reads a ResendRequest; needs 7 and 16.
    static read_result read(std::span<const field> f, resend_request& m) noexcept {
        m = resend_request{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::BeginSeqNo, tag::EndSeqNo};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::BeginSeqNo: have |= 1U; return detail::read_seq(x.value, m.begin_seq_no);
                case tag::EndSeqNo: have |= 2U; return detail::read_seq(x.value, m.end_seq_no);
                default: return true;
            }
        }, req, 2, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        e.add_int(tag::BeginSeqNo, begin_seq_no).add_int(tag::EndSeqNo, end_seq_no);
    }
};

/// Reject (3): session-level rejection of message RefSeqNum (45).
struct reject {
    static constexpr std::string_view msg_type = value::MsgType_REJECT; ///< "3"
    std::uint32_t ref_seq_num = 0;              ///< RefSeqNum (45)
    std::uint32_t ref_tag_id = 0;               ///< RefTagID (371), 0 when absent
    std::string_view ref_msg_type;              ///< RefMsgType (372), empty when absent
    std::int32_t session_reject_reason = -1;    ///< SessionRejectReason (373), -1 when absent
    std::string_view text;                      ///< Text (58), empty when absent

    /// Reads a Reject; needs 45.
    static read_result read(std::span<const field> f, reject& m) noexcept {
        m = reject{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::RefSeqNum};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::RefSeqNum: have |= 1U; return detail::read_seq(x.value, m.ref_seq_num);
                case tag::RefTagID: return detail::read_seq(x.value, m.ref_tag_id);
                case tag::RefMsgType: m.ref_msg_type = x.value; return true;
                case tag::SessionRejectReason: return detail::read_int(x.value, m.session_reject_reason);
                case tag::Text: m.text = x.value; return true;
                default: return true;
            }
        }, req, 1, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        e.add_int(tag::RefSeqNum, ref_seq_num);
        if (ref_tag_id != 0) e.add_int(tag::RefTagID, ref_tag_id);
        if (!ref_msg_type.empty()) e.add(tag::RefMsgType, ref_msg_type);
        if (session_reject_reason >= 0) e.add_int(tag::SessionRejectReason, session_reject_reason);
        if (!text.empty()) e.add(tag::Text, text);
    }
};

/// SequenceReset (4): NewSeqNo (36); GapFillFlag (123) 'Y' for gap fill, else reset.
struct sequence_reset {
    static constexpr std::string_view msg_type = value::MsgType_SEQUENCE_RESET; ///< "4"
    bool gap_fill = false;        ///< GapFillFlag (123) == 'Y'
    std::uint32_t new_seq_no = 0; ///< NewSeqNo (36)

    /// Reads a SequenceReset; needs 36.
    static read_result read(std::span<const field> f, sequence_reset& m) noexcept {
        m = sequence_reset{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::NewSeqNo};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::GapFillFlag: m.gap_fill = x.value == "Y"; return true;
                case tag::NewSeqNo: have |= 1U; return detail::read_seq(x.value, m.new_seq_no);
                default: return true;
            }
        }, req, 1, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        if (gap_fill) e.add(tag::GapFillFlag, 'Y');
        e.add_int(tag::NewSeqNo, new_seq_no);
    }
};

/// Logout (5): Text (58) with the reason, if any.
struct logout {
    static constexpr std::string_view msg_type = value::MsgType_LOGOUT; ///< "5"
    std::string_view text; ///< Text (58), empty when absent

    /// Reads a Logout.
    static read_result read(std::span<const field> f, logout& m) noexcept {
        m = logout{};
        unsigned have = 0;
        return detail::read_view(f, msg_type, [&](const field& x) {
            if (x.tag == tag::Text) m.text = x.value;
            return true;
        }, nullptr, 0, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        if (!text.empty()) e.add(tag::Text, text);
    }
};

/// NewOrderSingle (D): a new order (FIX 4.4 Vol. 4). Prices and quantities are decimal text.
struct new_order_single {
    static constexpr std::string_view msg_type = value::MsgType_NEW_ORDER_SINGLE; ///< "D"
    std::string_view cl_ord_id;     ///< ClOrdID (11)
    std::string_view account;       ///< Account (1), empty when absent
    std::string_view symbol;        ///< Symbol (55)
    char side = '\0';               ///< Side (54), e.g. value::Side_BUY
    std::string_view transact_time; ///< TransactTime (60), UTCTIMESTAMP
    std::string_view order_qty;     ///< OrderQty (38), decimal text
    char ord_type = '\0';           ///< OrdType (40), e.g. value::OrdType_LIMIT
    std::string_view price;         ///< Price (44), empty for market orders
    char time_in_force = '\0';      ///< TimeInForce (59), '\0' when absent

    /// Reads a NewOrderSingle; needs 11, 55, 54, 60, 38 and 40.
    static read_result read(std::span<const field> f, new_order_single& m) noexcept {
        m = new_order_single{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::ClOrdID, tag::Symbol, tag::Side, tag::TransactTime, tag::OrderQty, tag::OrdType};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::ClOrdID: m.cl_ord_id = x.value; have |= 1U; break;
                case tag::Symbol: m.symbol = x.value; have |= 2U; break;
                case tag::Side: m.side = detail::first(x.value); have |= 4U; break;
                case tag::TransactTime: m.transact_time = x.value; have |= 8U; break;
                case tag::OrderQty: m.order_qty = x.value; have |= 16U; break;
                case tag::OrdType: m.ord_type = detail::first(x.value); have |= 32U; break;
                case tag::Account: m.account = x.value; break;
                case tag::Price: m.price = x.value; break;
                case tag::TimeInForce: m.time_in_force = detail::first(x.value); break;
                default: break;
            }
            return true;
        }, req, 6, have);
    }
    /// Appends the body fields to `e` in the dictionary's order.
    void write(encoder& e) const noexcept {
        if (!account.empty()) e.add(tag::Account, account);
        e.add(tag::ClOrdID, cl_ord_id).add(tag::Symbol, symbol).add(tag::Side, side).add(tag::TransactTime, transact_time)
            .add(tag::OrderQty, order_qty).add(tag::OrdType, ord_type);
        if (!price.empty()) e.add(tag::Price, price);
        if (time_in_force != '\0') e.add(tag::TimeInForce, time_in_force);
    }
};

/// OrderCancelRequest (F): cancel the order OrigClOrdID (41).
struct order_cancel_request {
    static constexpr std::string_view msg_type = value::MsgType_ORDER_CANCEL_REQUEST; ///< "F"
    std::string_view orig_cl_ord_id; ///< OrigClOrdID (41)
    std::string_view order_id;       ///< OrderID (37), empty when absent
    std::string_view cl_ord_id;      ///< ClOrdID (11) of this request
    std::string_view symbol;         ///< Symbol (55)
    char side = '\0';                ///< Side (54)
    std::string_view transact_time;  ///< TransactTime (60)
    std::string_view order_qty;      ///< OrderQty (38), empty when absent

    /// Reads an OrderCancelRequest; needs 41, 11, 55, 54 and 60.
    static read_result read(std::span<const field> f, order_cancel_request& m) noexcept {
        m = order_cancel_request{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::OrigClOrdID, tag::ClOrdID, tag::Symbol, tag::Side, tag::TransactTime};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::OrigClOrdID: m.orig_cl_ord_id = x.value; have |= 1U; break;
                case tag::ClOrdID: m.cl_ord_id = x.value; have |= 2U; break;
                case tag::Symbol: m.symbol = x.value; have |= 4U; break;
                case tag::Side: m.side = detail::first(x.value); have |= 8U; break;
                case tag::TransactTime: m.transact_time = x.value; have |= 16U; break;
                case tag::OrderID: m.order_id = x.value; break;
                case tag::OrderQty: m.order_qty = x.value; break;
                default: break;
            }
            return true;
        }, req, 5, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        e.add(tag::OrigClOrdID, orig_cl_ord_id);
        if (!order_id.empty()) e.add(tag::OrderID, order_id);
        e.add(tag::ClOrdID, cl_ord_id).add(tag::Symbol, symbol).add(tag::Side, side).add(tag::TransactTime, transact_time);
        if (!order_qty.empty()) e.add(tag::OrderQty, order_qty);
    }
};

/// OrderCancelReplaceRequest (G): modify OrigClOrdID (41) to the given quantity/price.
struct order_cancel_replace_request {
    static constexpr std::string_view msg_type = value::MsgType_ORDER_CANCEL_REPLACE_REQUEST; ///< "G"
    std::string_view order_id;       ///< OrderID (37), empty when absent
    std::string_view orig_cl_ord_id; ///< OrigClOrdID (41)
    std::string_view cl_ord_id;      ///< ClOrdID (11) of this request
    std::string_view symbol;         ///< Symbol (55)
    char side = '\0';                ///< Side (54)
    std::string_view transact_time;  ///< TransactTime (60)
    std::string_view order_qty;      ///< OrderQty (38)
    char ord_type = '\0';            ///< OrdType (40)
    std::string_view price;          ///< Price (44), empty when absent
    char time_in_force = '\0';       ///< TimeInForce (59), '\0' when absent

    /// Reads an OrderCancelReplaceRequest; needs 41, 11, 55, 54, 60, 38 and 40.
    static read_result read(std::span<const field> f, order_cancel_replace_request& m) noexcept {
        m = order_cancel_replace_request{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::OrigClOrdID, tag::ClOrdID, tag::Symbol, tag::Side,
                                                tag::TransactTime, tag::OrderQty, tag::OrdType};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::OrigClOrdID: m.orig_cl_ord_id = x.value; have |= 1U; break;
                case tag::ClOrdID: m.cl_ord_id = x.value; have |= 2U; break;
                case tag::Symbol: m.symbol = x.value; have |= 4U; break;
                case tag::Side: m.side = detail::first(x.value); have |= 8U; break;
                case tag::TransactTime: m.transact_time = x.value; have |= 16U; break;
                case tag::OrderQty: m.order_qty = x.value; have |= 32U; break;
                case tag::OrdType: m.ord_type = detail::first(x.value); have |= 64U; break;
                case tag::OrderID: m.order_id = x.value; break;
                case tag::Price: m.price = x.value; break;
                case tag::TimeInForce: m.time_in_force = detail::first(x.value); break;
                default: break;
            }
            return true;
        }, req, 7, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        if (!order_id.empty()) e.add(tag::OrderID, order_id);
        e.add(tag::OrigClOrdID, orig_cl_ord_id).add(tag::ClOrdID, cl_ord_id).add(tag::Symbol, symbol).add(tag::Side, side)
            .add(tag::TransactTime, transact_time).add(tag::OrderQty, order_qty).add(tag::OrdType, ord_type);
        if (!price.empty()) e.add(tag::Price, price);
        if (time_in_force != '\0') e.add(tag::TimeInForce, time_in_force);
    }
};

/// ExecutionReport (8): an order's state change or fill (FIX 4.4 Vol. 4).
struct execution_report {
    static constexpr std::string_view msg_type = value::MsgType_EXECUTION_REPORT; ///< "8"
    std::string_view order_id;       ///< OrderID (37)
    std::string_view cl_ord_id;      ///< ClOrdID (11), empty when absent
    std::string_view orig_cl_ord_id; ///< OrigClOrdID (41), empty when absent
    std::string_view exec_id;        ///< ExecID (17)
    char exec_type = '\0';           ///< ExecType (150), e.g. value::ExecType_TRADE
    char ord_status = '\0';          ///< OrdStatus (39)
    std::string_view symbol;         ///< Symbol (55)
    char side = '\0';                ///< Side (54)
    std::string_view order_qty;      ///< OrderQty (38), empty when absent
    std::string_view price;          ///< Price (44), empty when absent
    std::string_view last_qty;       ///< LastQty (32), empty when absent
    std::string_view last_px;        ///< LastPx (31), empty when absent
    std::string_view leaves_qty;     ///< LeavesQty (151)
    std::string_view cum_qty;        ///< CumQty (14)
    std::string_view avg_px;         ///< AvgPx (6)
    std::string_view commission;     ///< Commission (12), empty when absent
    char comm_type = '\0';           ///< CommType (13): '1' per unit, '3' absolute, ...; '\0' when absent
    std::string_view transact_time;  ///< TransactTime (60), empty when absent
    std::int32_t ord_rej_reason = -1; ///< OrdRejReason (103), -1 when absent
    std::string_view text;           ///< Text (58), empty when absent

    /// Reads an ExecutionReport; needs 37, 17, 150, 39, 55, 54, 151, 14 and 6.
    static read_result read(std::span<const field> f, execution_report& m) noexcept {
        m = execution_report{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::OrderID, tag::ExecID, tag::ExecType, tag::OrdStatus, tag::Symbol,
                                                tag::Side, tag::LeavesQty, tag::CumQty, tag::AvgPx};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::OrderID: m.order_id = x.value; have |= 1U; break;
                case tag::ExecID: m.exec_id = x.value; have |= 2U; break;
                case tag::ExecType: m.exec_type = detail::first(x.value); have |= 4U; break;
                case tag::OrdStatus: m.ord_status = detail::first(x.value); have |= 8U; break;
                case tag::Symbol: m.symbol = x.value; have |= 16U; break;
                case tag::Side: m.side = detail::first(x.value); have |= 32U; break;
                case tag::LeavesQty: m.leaves_qty = x.value; have |= 64U; break;
                case tag::CumQty: m.cum_qty = x.value; have |= 128U; break;
                case tag::AvgPx: m.avg_px = x.value; have |= 256U; break;
                case tag::ClOrdID: m.cl_ord_id = x.value; break;
                case tag::OrigClOrdID: m.orig_cl_ord_id = x.value; break;
                case tag::OrderQty: m.order_qty = x.value; break;
                case tag::Price: m.price = x.value; break;
                case tag::LastQty: m.last_qty = x.value; break;
                case tag::LastPx: m.last_px = x.value; break;
                case tag::Commission: m.commission = x.value; break;
                case tag::CommType: m.comm_type = detail::first(x.value); break;
                case tag::TransactTime: m.transact_time = x.value; break;
                case tag::OrdRejReason: return detail::read_int(x.value, m.ord_rej_reason);
                case tag::Text: m.text = x.value; break;
                default: break;
            }
            return true;
        }, req, 9, have);
    }
    /// Appends the body fields to `e` in the dictionary's order.
    void write(encoder& e) const noexcept {
        e.add(tag::OrderID, order_id);
        if (!cl_ord_id.empty()) e.add(tag::ClOrdID, cl_ord_id);
        if (!orig_cl_ord_id.empty()) e.add(tag::OrigClOrdID, orig_cl_ord_id);
        e.add(tag::ExecID, exec_id).add(tag::ExecType, exec_type).add(tag::OrdStatus, ord_status);
        if (ord_rej_reason >= 0) e.add_int(tag::OrdRejReason, ord_rej_reason);
        e.add(tag::Symbol, symbol).add(tag::Side, side);
        if (!order_qty.empty()) e.add(tag::OrderQty, order_qty);
        if (!price.empty()) e.add(tag::Price, price);
        if (!last_qty.empty()) e.add(tag::LastQty, last_qty);
        if (!last_px.empty()) e.add(tag::LastPx, last_px);
        e.add(tag::LeavesQty, leaves_qty).add(tag::CumQty, cum_qty).add(tag::AvgPx, avg_px);
        if (!transact_time.empty()) e.add(tag::TransactTime, transact_time);
        if (!commission.empty()) e.add(tag::Commission, commission);
        if (comm_type != '\0') e.add(tag::CommType, comm_type);
        if (!text.empty()) e.add(tag::Text, text);
    }
};

/// OrderCancelReject (9): a cancel (F) or cancel/replace (G) was refused.
struct order_cancel_reject {
    static constexpr std::string_view msg_type = value::MsgType_ORDER_CANCEL_REJECT; ///< "9"
    std::string_view order_id;        ///< OrderID (37)
    std::string_view cl_ord_id;       ///< ClOrdID (11)
    std::string_view orig_cl_ord_id;  ///< OrigClOrdID (41)
    char ord_status = '\0';           ///< OrdStatus (39)
    char cxl_rej_response_to = '\0';  ///< CxlRejResponseTo (434): '1' cancel, '2' cancel/replace
    std::int32_t cxl_rej_reason = -1; ///< CxlRejReason (102), -1 when absent
    std::string_view text;            ///< Text (58), empty when absent

    /// Reads an OrderCancelReject; needs 37, 11, 41, 39 and 434.
    static read_result read(std::span<const field> f, order_cancel_reject& m) noexcept {
        m = order_cancel_reject{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::OrderID, tag::ClOrdID, tag::OrigClOrdID, tag::OrdStatus, tag::CxlRejResponseTo};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::OrderID: m.order_id = x.value; have |= 1U; break;
                case tag::ClOrdID: m.cl_ord_id = x.value; have |= 2U; break;
                case tag::OrigClOrdID: m.orig_cl_ord_id = x.value; have |= 4U; break;
                case tag::OrdStatus: m.ord_status = detail::first(x.value); have |= 8U; break;
                case tag::CxlRejResponseTo: m.cxl_rej_response_to = detail::first(x.value); have |= 16U; break;
                case tag::CxlRejReason: return detail::read_int(x.value, m.cxl_rej_reason);
                case tag::Text: m.text = x.value; break;
                default: break;
            }
            return true;
        }, req, 5, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        e.add(tag::OrderID, order_id).add(tag::ClOrdID, cl_ord_id).add(tag::OrigClOrdID, orig_cl_ord_id)
            .add(tag::OrdStatus, ord_status).add(tag::CxlRejResponseTo, cxl_rej_response_to);
        if (cxl_rej_reason >= 0) e.add_int(tag::CxlRejReason, cxl_rej_reason);
        if (!text.empty()) e.add(tag::Text, text);
    }
};

/// BusinessMessageReject (j): an application message that passed the session layer was refused.
struct business_message_reject {
    static constexpr std::string_view msg_type = value::MsgType_BUSINESS_MESSAGE_REJECT; ///< "j"
    std::uint32_t ref_seq_num = 0;           ///< RefSeqNum (45), 0 when absent
    std::string_view ref_msg_type;           ///< RefMsgType (372)
    std::string_view business_reject_ref_id; ///< BusinessRejectRefID (379), empty when absent
    std::int32_t business_reject_reason = 0; ///< BusinessRejectReason (380)
    std::string_view text;                   ///< Text (58), empty when absent

    /// Reads a BusinessMessageReject; needs 372 and 380.
    static read_result read(std::span<const field> f, business_message_reject& m) noexcept {
        m = business_message_reject{};
        unsigned have = 0;
        static constexpr std::uint32_t req[] = {tag::RefMsgType, tag::BusinessRejectReason};
        return detail::read_view(f, msg_type, [&](const field& x) {
            switch (x.tag) {
                case tag::RefMsgType: m.ref_msg_type = x.value; have |= 1U; return true;
                case tag::BusinessRejectReason: have |= 2U; return detail::read_int(x.value, m.business_reject_reason);
                case tag::RefSeqNum: return detail::read_seq(x.value, m.ref_seq_num);
                case tag::BusinessRejectRefID: m.business_reject_ref_id = x.value; return true;
                case tag::Text: m.text = x.value; return true;
                default: return true;
            }
        }, req, 2, have);
    }
    /// Appends the body fields to `e`.
    void write(encoder& e) const noexcept {
        if (ref_seq_num != 0) e.add_int(tag::RefSeqNum, ref_seq_num);
        e.add(tag::RefMsgType, ref_msg_type);
        if (!business_reject_ref_id.empty()) e.add(tag::BusinessRejectRefID, business_reject_ref_id);
        e.add_int(tag::BusinessRejectReason, business_reject_reason);
        if (!text.empty()) e.add(tag::Text, text);
    }
};

} // namespace pinnacle::inline v0::fix::fix44
