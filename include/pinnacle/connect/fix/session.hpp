#pragma once
/// @file
/// The FIX session layer (initiator and acceptor) as a pure state machine: bytes and the time go
/// in (receive, tick), bytes to write come out (take_output), and wants_disconnect() says when the
/// transport must close after writing them. No I/O, no clock, no threads: unit-testable and
/// fuzzable; transport.hpp drives it over TCP.
///
/// Source: FIX 4.4 specification Vol. 2, "Session Protocol" (Logon, Heartbeat/TestRequest,
/// "Message Recovery": ResendRequest, SequenceReset-GapFill and -Reset, PossDupFlag and
/// OrigSendingTime, Logout) and its "FIX Session-level Test Cases and Expected Behaviors"
/// (numbers such as "2.c" in the comments below are those test cases). Behaviour:
/// - Logon: the initiator sends Logon (A) on connect(); the acceptor waits for it (any other first
///   message: disconnect, 1S.c) and answers with its own Logon carrying the peer's HeartBtInt.
///   ResetSeqNumFlag (141) = Y, or `reset_on_logon`, starts both sequence numbers at 1.
/// - Each received message is checked in this order: BeginString (wrong: Logout + disconnect,
///   2.o), CompIDs (wrong: Reject 373=9, Logout, disconnect, 2.m), SendingTime within
///   `max_latency_ns` of now (else Reject 373=10, Logout, disconnect, 2.k), PossDupFlag needs
///   OrigSendingTime not after SendingTime (else Reject 373=1 or 10, 2.g), MsgSeqNum: higher than
///   expected -> ResendRequest (2) from the expected number to infinity, message discarded (the
///   resend brings it again, 2.b); lower without PossDupFlag -> Logout "MsgSeqNum too low" and
///   disconnect (2.c); lower with PossDupFlag -> ignored (2.d); then the dictionary (a Reject with
///   validate()'s SessionRejectReason, the sequence number consumed, 2.t and following).
/// - Garbled input (bad framing, BodyLength or CheckSum) is dropped up to the next "8=FIX" without
///   consuming a sequence number (2.q).
/// - ResendRequest: application messages kept in the store are sent again with PossDupFlag=Y,
///   OrigSendingTime = their first SendingTime and their MsgSeqNum; runs of admin messages (and
///   numbers the store lacks) become one SequenceReset-GapFill (4, 123=Y) (8.a).
/// - SequenceReset-GapFill moves the expected number up (lower: Reject 373=5, 10.d);
///   SequenceReset-Reset sets it whatever its own MsgSeqNum (11.a-c).
/// - Heartbeat (0) after HeartBtInt seconds without sending; with `heartbeat_check`, a TestRequest
///   (1) after HeartBtInt + 20% of silence, disconnect after as long again without an answer (4.b).
/// - Logout (5): answered and the connection closed; one we send waits `logout_timeout_ns` (10.a).
/// Thread-safety: one thread. Allocates (buffers, the store); the codec underneath does not.

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/fix44.hpp"
#include "pinnacle/connect/fix/messages.hpp"
#include "pinnacle/connect/fix/store.hpp"
#include "pinnacle/connect/fix/validate.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinnacle::inline v0::fix {

/// Which end of the connection a session is.
enum class session_role : std::uint8_t {
    initiator, ///< connects and sends the first Logon
    acceptor,  ///< accepts and answers the peer's Logon
};

/// Where a session is in its life.
enum class session_state : std::uint8_t {
    disconnected,   ///< no connection
    awaiting_logon, ///< acceptor: connected, waiting for the peer's Logon
    logon_sent,     ///< initiator: Logon sent, waiting for the answer
    active,         ///< logged on: application messages flow
    logout_sent,    ///< our Logout sent, waiting for the peer's
};

/// Stable name of a session_state, for logs.
[[nodiscard]] constexpr std::string_view to_string(session_state s) noexcept {
    switch (s) {
        case session_state::disconnected: return "disconnected";
        case session_state::awaiting_logon: return "awaiting_logon";
        case session_state::logon_sent: return "logon_sent";
        case session_state::active: return "active";
        case session_state::logout_sent: return "logout_sent";
    }
    return "unknown";
}

/// Settings of one session.
struct session_config {
    session_role role = session_role::initiator;       ///< initiator or acceptor
    std::string begin_string = "FIX.4.4";               ///< BeginString (8) sent and required
    std::string sender_comp_id;                         ///< our SenderCompID (49)
    std::string target_comp_id;                         ///< the peer's CompID (our TargetCompID, 56)
    std::int32_t heart_bt_int = 30;                     ///< HeartBtInt (108) the initiator proposes, seconds (0: none)
    bool reset_on_logon = false;                        ///< start both sequence numbers at 1 at every logon
    bool validate = true;                               ///< check FIX.4.4 messages against the dictionary
    bool check_latency = true;                          ///< check SendingTime (52) against now
    std::int64_t max_latency_ns = 120'000'000'000;      ///< largest |now - SendingTime| accepted, ns
    bool heartbeat_check = true;                        ///< TestRequest then disconnect when the peer is silent
    std::int64_t logon_timeout_ns = 10'000'000'000;     ///< wait for the Logon (answer), ns
    std::int64_t logout_timeout_ns = 2'000'000'000;     ///< wait for the Logout answer, ns
    std::size_t max_message_bytes = 1U << 20;           ///< unframed input beyond this is dropped as garbled
    bool store_when_disconnected = false;               ///< send() while not logged on stores for a later resend
};

/// Parses a UTCTIMESTAMP "YYYYMMDD-HH:MM:SS[.fff...]" (FIX 4.4 Vol. 1 "Data Types") into ns since
/// the Unix epoch (fraction of 1..9 digits); nullopt when malformed or outside years 1970..2261
/// (int64 ns end in 2262).
[[nodiscard]] constexpr std::optional<std::int64_t> parse_utc_timestamp(std::string_view t) noexcept {
    if (t.size() < 17 || t[8] != '-' || t[11] != ':' || t[14] != ':') return std::nullopt;
    auto num = [&](std::size_t at, std::size_t n, std::int64_t& out) noexcept {
        std::int64_t v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9') return false;
            v = v * 10 + (t[i] - '0');
        }
        out = v;
        return true;
    };
    std::int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!num(0, 4, y) || !num(4, 2, mo) || !num(6, 2, d) || !num(9, 2, h) || !num(12, 2, mi) || !num(15, 2, s)) return std::nullopt;
    if (y < 1970 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    std::int64_t frac_ns = 0;
    if (t.size() > 17) {
        const std::size_t digits = t.size() - 18;
        if (t[17] != '.' || digits < 1 || digits > 9 || !num(18, digits, frac_ns)) return std::nullopt;
        for (std::size_t i = digits; i < 9; ++i) frac_ns *= 10;
    }
    // days_from_civil (Hinnant, http://howardhinnant.github.io/date_algorithms.html).
    y -= mo <= 2 ? 1 : 0;
    const std::int64_t era = y / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    return ((days * 86400 + h * 3600 + mi * 60 + s) * 1'000'000'000) + frac_ns;
}

/// One FIX session over one connection at a time (see the file comment for the rules).
/// Feed it connect(), receive() and tick() with the current time (ns since the Unix epoch); write
/// what take_output() returns; close when wants_disconnect() and the output is written, then
/// call disconnected(). Thread-safety: one thread.
class session {
public:
    /// Called for each application message accepted in sequence: its header, all its fields
    /// (valid during the call only) and the time it was received (ns). The callback may call send().
    using app_handler = std::function<void(const fix44::header&, std::span<const field>, std::int64_t)>;
    /// Called on every state change, with the time of the change (ns).
    using state_handler = std::function<void(session_state, std::int64_t)>;
    /// Called with a line of text for each notable event (rejects, gaps, garbled input).
    using log_handler = std::function<void(std::string_view)>;

    /// A session with `config` keeping its sequence numbers and sent messages in `store`
    /// (which must outlive it).
    session(session_config config, message_store& store) : cfg_(std::move(config)), store_(store), out_buf_(64 * 1024), fields_(2048) {}

    /// Handler of application messages.
    void on_app(app_handler h) { app_ = std::move(h); }
    /// Handler of state changes.
    void on_state(state_handler h) { state_cb_ = std::move(h); }
    /// Handler of log lines.
    void on_log(log_handler h) { log_ = std::move(h); }

    /// The settings.
    [[nodiscard]] const session_config& config() const noexcept { return cfg_; }
    /// The current state.
    [[nodiscard]] session_state state() const noexcept { return state_; }
    /// The message store.
    [[nodiscard]] message_store& store() noexcept { return store_; }
    /// HeartBtInt in force (seconds): the initiator's proposal, adopted by the acceptor at Logon.
    [[nodiscard]] std::int32_t heart_bt_int() const noexcept { return heart_bt_int_; }
    /// True once the session asked the transport to close (after writing take_output()).
    [[nodiscard]] bool wants_disconnect() const noexcept { return wants_disconnect_; }
    /// Why the session asked to close, empty when it did not.
    [[nodiscard]] const std::string& disconnect_reason() const noexcept { return disconnect_reason_; }

    /// The bytes to write to the peer since the last call (moves them out).
    [[nodiscard]] std::string take_output() {
        std::string s;
        s.swap(out_);
        return s;
    }

    /// The transport connected at `now` (ns): the initiator sends its Logon, the acceptor waits.
    void connect(std::int64_t now) {
        in_.clear();
        in_pos_ = 0;
        out_.clear();
        wants_disconnect_ = false;
        disconnect_reason_.clear();
        test_req_pending_ = false;
        resend_pending_ = false;
        last_received_ = now;
        last_sent_ = now;
        heart_bt_int_ = cfg_.heart_bt_int;
        if (cfg_.role == session_role::acceptor) {
            set_state(session_state::awaiting_logon, now);
            return;
        }
        if (cfg_.reset_on_logon) store_ok(store_.reset());
        fix44::logon lg;
        lg.heart_bt_int = heart_bt_int_;
        lg.reset_seq_num = cfg_.reset_on_logon;
        sent_reset_ = lg.reset_seq_num;
        send_admin(fix44::logon::msg_type, now, [&](encoder& e) { lg.write(e); });
        set_state(session_state::logon_sent, now);
    }

    /// The transport closed (either side): back to disconnected; the store keeps the numbers.
    void disconnected(std::int64_t now) {
        in_.clear();
        in_pos_ = 0;
        set_state(session_state::disconnected, now);
    }

    /// Bytes read from the peer at `now` (ns): frames, checks and handles every whole message.
    void receive(std::string_view bytes, std::int64_t now) {
        if (state_ == session_state::disconnected || wants_disconnect_) return;
        in_.append(bytes);
        while (in_pos_ < in_.size() && !wants_disconnect_) {
            const std::string_view rest(in_.data() + in_pos_, in_.size() - in_pos_);
            const parse_result r = fix44::parse(rest, fields_);
            if (r.status == parse_status::incomplete) {
                if (rest.size() > cfg_.max_message_bytes) skip_garbled(rest, "a message longer than max_message_bytes");
                else break;
                continue;
            }
            if (!r.ok()) {
                skip_garbled(rest, std::string(to_string(r.status)) + " at byte " + std::to_string(r.error_offset) + " (tag " +
                                       std::to_string(r.error_tag) + ")");
                continue;
            }
            const std::string_view raw = rest.substr(0, r.consumed);
            in_pos_ += r.consumed;
            last_received_ = now;
            test_req_pending_ = false;
            handle(raw, std::span<const field>(fields_.data(), r.field_count), now);
        }
        if (in_pos_ > 0) {
            in_.erase(0, in_pos_);
            in_pos_ = 0;
        }
    }

    /// Timers at `now` (ns): Logon/Logout timeouts, Heartbeat when we were silent for HeartBtInt,
    /// TestRequest and disconnect when the peer was (heartbeat_check). Call at least every 100 ms.
    void tick(std::int64_t now) {
        if (wants_disconnect_) return;
        switch (state_) {
            case session_state::disconnected: return;
            case session_state::awaiting_logon:
            case session_state::logon_sent:
                if (now - state_since_ >= cfg_.logon_timeout_ns) close_now("no Logon within logon_timeout_ns");
                return;
            case session_state::logout_sent:
                if (now - state_since_ >= cfg_.logout_timeout_ns) close_now("no Logout answer within logout_timeout_ns");
                return;
            case session_state::active: break;
        }
        if (heart_bt_int_ <= 0) return;
        const std::int64_t hb = std::int64_t{heart_bt_int_} * 1'000'000'000;
        if (now - last_sent_ >= hb) send_admin(fix44::heartbeat::msg_type, now, [](encoder&) {});
        if (!cfg_.heartbeat_check) return;
        if (test_req_pending_) {
            if (now - test_req_sent_ >= hb + hb / 5) fatal("no answer to TestRequest " + test_req_id_, now);
        } else if (now - last_received_ >= hb + hb / 5) {
            test_req_id_ = "TEST" + std::to_string(++test_req_count_);
            fix44::test_request tr{test_req_id_};
            send_admin(fix44::test_request::msg_type, now, [&](encoder& e) { tr.write(e); });
            test_req_pending_ = true;
            test_req_sent_ = now;
        }
    }

    /// Sends application message `msg_type` whose body fields `body(encoder&)` appends (after the
    /// standard header this writes). While not logged on, with `store_when_disconnected` the
    /// message takes its MsgSeqNum and goes to the store only: the peer's ResendRequest after the
    /// next Logon brings it (as QuickFIX does). False when not logged on (without that setting),
    /// the message exceeds the buffer (64 KiB) or the store fails (error in the log).
    template <class Body>
    bool send(std::string_view msg_type, std::int64_t now, Body&& body) {
        const bool up = state_ == session_state::active && !wants_disconnect_;
        if (!up && !cfg_.store_when_disconnected) return false;
        return send_admin(msg_type, now, std::forward<Body>(body), up);
    }

    /// Starts a Logout (5) with `text` at `now`; the connection closes at the answer or after
    /// logout_timeout_ns. Before logon: closes at once.
    void logout(std::string_view text, std::int64_t now) {
        if (state_ != session_state::active) {
            if (state_ != session_state::disconnected) close_now(std::string(text));
            return;
        }
        send_logout(text, now);
        set_state(session_state::logout_sent, now);
    }

private:
    static bool is_admin(std::string_view t) noexcept {
        return t.size() == 1 && (t[0] == '0' || t[0] == '1' || t[0] == '2' || t[0] == '3' || t[0] == '4' || t[0] == '5' || t[0] == 'A');
    }

    void log(std::string_view s) const {
        if (log_) log_(s);
    }

    void set_state(session_state s, std::int64_t now) {
        state_since_ = now;
        if (s == state_) return;
        state_ = s;
        if (state_cb_) state_cb_(s, now);
    }

    void store_ok(bool ok) {
        if (!ok) log("store error: " + store_.error());
    }

    void close_now(std::string why) {
        log("disconnect: " + why);
        wants_disconnect_ = true;
        disconnect_reason_ = std::move(why);
    }

    // Encodes header + body with the next sender MsgSeqNum, keeps it in the store, queues it.
    template <class Body>
    bool send_admin(std::string_view msg_type, std::int64_t now, Body&& body, bool write = true) {
        const std::uint32_t seq = store_.next_sender_seq();
        char ts[21];
        encoder::format_timestamp(now, ts);
        fix44::header h;
        h.msg_type = msg_type;
        h.sender_comp_id = cfg_.sender_comp_id;
        h.target_comp_id = cfg_.target_comp_id;
        h.msg_seq_num = seq;
        h.sending_time = std::string_view(ts, sizeof ts);
        encoder e(out_buf_, cfg_.begin_string);
        h.write(e);
        body(e);
        const std::string_view m = e.finish();
        if (m.empty()) {
            log("cannot encode a " + std::string(msg_type) + " message: larger than the 64 KiB buffer");
            return false;
        }
        store_ok(store_.save(seq, m));
        store_ok(store_.set_next_sender_seq(seq + 1));
        if (!write) return true;
        out_.append(m);
        last_sent_ = now;
        return true;
    }

    void send_logout(std::string_view text, std::int64_t now) {
        fix44::logout lo{text};
        send_admin(fix44::logout::msg_type, now, [&](encoder& e) { lo.write(e); });
    }

    // Logout with `text`, then close (logout on fatal errors).
    void fatal(std::string text, std::int64_t now) {
        if (state_ == session_state::active || state_ == session_state::logout_sent) send_logout(text, now);
        close_now(std::move(text));
    }

    void send_reject(std::uint32_t ref_seq, std::string_view ref_msg_type, reject_reason reason, std::uint32_t ref_tag,
                     std::string_view text, std::int64_t now) {
        fix44::reject rj;
        rj.ref_seq_num = ref_seq;
        rj.ref_tag_id = ref_tag;
        rj.ref_msg_type = ref_msg_type;
        rj.session_reject_reason = static_cast<std::int32_t>(reason);
        rj.text = text;
        log("reject " + std::to_string(ref_seq) + ": " + std::string(text));
        send_admin(fix44::reject::msg_type, now, [&](encoder& e) { rj.write(e); });
    }

    void skip_garbled(std::string_view rest, const std::string& why) {
        log("garbled input ignored: " + why);
        const std::size_t next = rest.find("8=FIX", 1);
        if (next == std::string_view::npos) {
            // Keep a tail that may be the start of the next message.
            const std::size_t keep = rest.size() < 4 ? rest.size() : 4;
            in_pos_ += rest.size() - keep;
            if (keep == rest.size()) in_pos_ = in_.size();
        } else {
            in_pos_ += next;
        }
    }

    void consume(std::uint32_t seq) { store_ok(store_.set_next_target_seq(seq + 1)); }

    void request_resend(std::uint32_t from, std::uint32_t seen, std::int64_t now) {
        if (resend_pending_ && seen <= resend_until_) return;
        if (!resend_pending_) {
            fix44::resend_request rr{from, 0};
            log("gap: expected " + std::to_string(from) + ", received " + std::to_string(seen) + ": ResendRequest");
            send_admin(fix44::resend_request::msg_type, now, [&](encoder& e) { rr.write(e); });
        }
        resend_pending_ = true;
        resend_until_ = seen;
    }

    void handle(std::string_view raw, std::span<const field> f, std::int64_t now) {
        fix44::header h;
        const fix44::read_result hr = fix44::header::read(f, h);
        const bool logging_on = state_ == session_state::awaiting_logon || state_ == session_state::logon_sent;
        if (f[0].value != cfg_.begin_string) {
            fatal("Incorrect BeginString " + std::string(f[0].value), now);  // 2.o
            return;
        }
        if (!hr.ok()) {
            if (hr.error_tag == fix44::tag::MsgSeqNum || logging_on) {
                fatal("MsgSeqNum, CompID or SendingTime missing or invalid (tag " + std::to_string(hr.error_tag) + ")", now);
                return;
            }
            const std::uint32_t expected = store_.next_target_seq();
            if (h.msg_seq_num == expected) consume(expected);
            send_reject(h.msg_seq_num, h.msg_type, reject_reason::required_tag_missing, hr.error_tag, "Required tag missing", now);
            return;
        }
        const bool is_logon = h.msg_type == fix44::logon::msg_type;
        if (logging_on && !is_logon) {
            close_now("first message is not a Logon");  // 1S.c
            return;
        }
        if (h.sender_comp_id != cfg_.target_comp_id || h.target_comp_id != cfg_.sender_comp_id) {  // 2.m
            if (logging_on) {
                close_now("Logon with unknown CompIDs " + std::string(h.sender_comp_id) + "->" + std::string(h.target_comp_id));
                return;
            }
            if (h.msg_seq_num == store_.next_target_seq()) consume(h.msg_seq_num);
            send_reject(h.msg_seq_num, h.msg_type, reject_reason::comp_id_problem,
                        h.sender_comp_id != cfg_.target_comp_id ? fix44::tag::SenderCompID : fix44::tag::TargetCompID, "CompID problem", now);
            fatal("CompID problem", now);
            return;
        }
        const std::optional<std::int64_t> sent = parse_utc_timestamp(h.sending_time);
        if (cfg_.check_latency && (!sent || *sent - now > cfg_.max_latency_ns || now - *sent > cfg_.max_latency_ns)) {  // 2.k
            if (logging_on) {
                close_now("Logon SendingTime accuracy problem");
                return;
            }
            if (h.msg_seq_num == store_.next_target_seq()) consume(h.msg_seq_num);
            send_reject(h.msg_seq_num, h.msg_type, reject_reason::sending_time_accuracy, fix44::tag::SendingTime, "SendingTime accuracy problem", now);
            fatal("SendingTime accuracy problem", now);
            return;
        }
        const bool is_reset = h.msg_type == fix44::sequence_reset::msg_type;
        if (h.poss_dup && !is_reset && !logging_on) {  // 2.g
            std::optional<std::int64_t> orig;
            if (!h.orig_sending_time.empty()) orig = parse_utc_timestamp(h.orig_sending_time);
            if (!orig || (sent && *orig > *sent)) {
                if (h.msg_seq_num == store_.next_target_seq()) consume(h.msg_seq_num);
                if (!orig) send_reject(h.msg_seq_num, h.msg_type, reject_reason::required_tag_missing, fix44::tag::OrigSendingTime, "Required tag missing", now);
                else send_reject(h.msg_seq_num, h.msg_type, reject_reason::sending_time_accuracy, fix44::tag::OrigSendingTime, "SendingTime accuracy problem", now);
                return;
            }
        }
        if (is_logon) {
            on_logon(h, f, now);
            return;
        }
        fix44::sequence_reset sr;
        if (is_reset && fix44::sequence_reset::read(f, sr).ok() && !sr.gap_fill) {  // 11.a-c: MsgSeqNum ignored
            const std::uint32_t expected = store_.next_target_seq();
            if (sr.new_seq_no < expected) {
                send_reject(h.msg_seq_num, h.msg_type, reject_reason::value_incorrect, fix44::tag::NewSeqNo, "NewSeqNo lower than expected", now);
            } else {
                log("SequenceReset-Reset to " + std::to_string(sr.new_seq_no));
                store_ok(store_.set_next_target_seq(sr.new_seq_no));
            }
            return;
        }
        const std::uint32_t expected = store_.next_target_seq();
        if (h.msg_seq_num > expected) {
            if (h.msg_type == fix44::resend_request::msg_type) answer_resend(f, now);
            if (h.msg_type == fix44::logout::msg_type) {
                if (state_ == session_state::active) send_logout("", now);
                close_now("Logout received");
                return;
            }
            request_resend(expected, h.msg_seq_num, now);  // 2.b
            return;
        }
        if (h.msg_seq_num < expected) {
            if (h.poss_dup) {  // 2.d
                log("duplicate " + std::to_string(h.msg_seq_num) + " ignored");
                return;
            }
            fatal("MsgSeqNum too low, expecting " + std::to_string(expected) + " but received " + std::to_string(h.msg_seq_num), now);  // 2.c
            return;
        }
        if (resend_pending_ && h.msg_seq_num >= resend_until_) resend_pending_ = false;
        if (cfg_.validate && cfg_.begin_string == fix44::dict.begin_string) {
            const validation v = fix44::validate(f);
            if (!v.ok()) {
                consume(h.msg_seq_num);
                send_reject(h.msg_seq_num, h.msg_type, v.reason, v.ref_tag, to_string(v.reason), now);
                return;
            }
        }
        if (is_reset) {  // gap fill (10.a-d)
            if (sr.new_seq_no <= expected) {
                consume(h.msg_seq_num);
                send_reject(h.msg_seq_num, h.msg_type, reject_reason::value_incorrect, fix44::tag::NewSeqNo, "NewSeqNo not above MsgSeqNum", now);
            } else {
                store_ok(store_.set_next_target_seq(sr.new_seq_no));
                if (resend_pending_ && sr.new_seq_no > resend_until_) resend_pending_ = false;
            }
            return;
        }
        consume(h.msg_seq_num);
        if (h.msg_type == fix44::heartbeat::msg_type) return;
        if (h.msg_type == fix44::test_request::msg_type) {
            fix44::test_request tr;
            if (fix44::test_request::read(f, tr).ok()) {
                fix44::heartbeat hb{tr.test_req_id};
                send_admin(fix44::heartbeat::msg_type, now, [&](encoder& e) { hb.write(e); });
            }
            return;
        }
        if (h.msg_type == fix44::resend_request::msg_type) {
            answer_resend(f, now);
            return;
        }
        if (h.msg_type == fix44::reject::msg_type) {
            fix44::reject rj;
            if (fix44::reject::read(f, rj).ok()) log("peer rejected " + std::to_string(rj.ref_seq_num) + ": " + std::string(rj.text));
            return;
        }
        if (h.msg_type == fix44::logout::msg_type) {
            if (state_ == session_state::active) send_logout("", now);
            close_now("Logout received");
            return;
        }
        if (app_) app_(h, f, now);
        (void)raw;
    }

    void on_logon(const fix44::header& h, std::span<const field> f, std::int64_t now) {
        fix44::logon lg;
        if (state_ == session_state::active || state_ == session_state::logout_sent) {
            fatal("unexpected Logon while logged on", now);
            return;
        }
        if (!fix44::logon::read(f, lg).ok() || lg.heart_bt_int < 0) {
            close_now("Logon without a valid HeartBtInt");
            return;
        }
        if (cfg_.role == session_role::acceptor) {
            if (lg.reset_seq_num || cfg_.reset_on_logon) store_ok(store_.reset());
            heart_bt_int_ = lg.heart_bt_int;
        } else if (lg.reset_seq_num && !sent_reset_) {
            store_ok(store_.set_next_target_seq(1));
        }
        const std::uint32_t expected = store_.next_target_seq();
        if (h.msg_seq_num < expected) {  // 2.c at logon
            if (cfg_.role == session_role::acceptor) set_state(session_state::active, now);
            fatal("MsgSeqNum too low, expecting " + std::to_string(expected) + " but received " + std::to_string(h.msg_seq_num), now);
            return;
        }
        if (cfg_.role == session_role::acceptor) {
            fix44::logon reply;
            reply.heart_bt_int = lg.heart_bt_int;
            reply.reset_seq_num = lg.reset_seq_num;
            send_admin(fix44::logon::msg_type, now, [&](encoder& e) { reply.write(e); });
        }
        set_state(session_state::active, now);
        log("logged on, HeartBtInt " + std::to_string(heart_bt_int_) + " s");
        if (h.msg_seq_num > expected) request_resend(expected, h.msg_seq_num, now);
        else consume(h.msg_seq_num);
    }

    void send_gap_fill(std::uint32_t seq, std::uint32_t new_seq, std::int64_t now) {
        char ts[21];
        encoder::format_timestamp(now, ts);
        fix44::header h;
        h.msg_type = fix44::sequence_reset::msg_type;
        h.sender_comp_id = cfg_.sender_comp_id;
        h.target_comp_id = cfg_.target_comp_id;
        h.msg_seq_num = seq;
        h.sending_time = std::string_view(ts, sizeof ts);
        h.poss_dup = true;
        h.orig_sending_time = h.sending_time;
        encoder e(out_buf_, cfg_.begin_string);
        h.write(e);
        fix44::sequence_reset{true, new_seq}.write(e);
        out_.append(e.finish());
        last_sent_ = now;
    }

    // Sends stored message `raw` again: same MsgSeqNum, PossDupFlag=Y, OrigSendingTime = its
    // SendingTime, SendingTime now; every other field as it was.
    void resend_message(std::string_view raw, std::int64_t now) {
        const parse_result r = fix44::parse(raw, fields_);
        fix44::header old;
        if (!r.ok() || !fix44::header::read(std::span<const field>(fields_.data(), r.field_count), old).ok()) return;
        char ts[21];
        encoder::format_timestamp(now, ts);
        fix44::header h = old;
        h.sending_time = std::string_view(ts, sizeof ts);
        h.poss_dup = true;
        h.poss_resend = false;
        h.orig_sending_time = old.sending_time;
        encoder e(out_buf_, cfg_.begin_string);
        h.write(e);
        for (std::size_t i = 3; i + 1 < r.field_count; ++i) {
            const std::uint32_t t = fields_[i].tag;
            if (t == fix44::tag::SenderCompID || t == fix44::tag::TargetCompID || t == fix44::tag::MsgSeqNum || t == fix44::tag::SendingTime || t == fix44::tag::PossDupFlag ||
                t == fix44::tag::PossResend || t == fix44::tag::OrigSendingTime) {
                continue;
            }
            e.add(t, fields_[i].value);
        }
        const std::string_view m = e.finish();
        if (!m.empty()) out_.append(m);
        last_sent_ = now;
    }

    // ResendRequest (8.a): stored application messages again, admin runs and holes gap-filled.
    void answer_resend(std::span<const field> f, std::int64_t now) {
        fix44::resend_request rr;
        if (!fix44::resend_request::read(f, rr).ok()) return;
        const std::uint32_t last = store_.next_sender_seq() - 1;
        std::uint32_t end = rr.end_seq_no == 0 || rr.end_seq_no > last ? last : rr.end_seq_no;
        std::uint32_t next = rr.begin_seq_no < 1 ? 1 : rr.begin_seq_no;
        if (next > end) return;
        log("resending " + std::to_string(next) + ".." + std::to_string(end));
        // Copy: resend_message reuses fields_, and the map must not change under the loop.
        std::vector<std::pair<std::uint32_t, std::string>> todo;
        const auto& msgs = store_.messages();
        for (auto it = msgs.lower_bound(next); it != msgs.end() && it->first <= end; ++it) {
            const parse_result r = fix44::parse(it->second, fields_);
            if (!r.ok() || r.field_count < 3 || is_admin(fields_[2].value)) continue;
            todo.emplace_back(it->first, it->second);
        }
        for (const auto& [seq, msg] : todo) {
            if (seq > next) send_gap_fill(next, seq, now);
            resend_message(msg, now);
            next = seq + 1;
        }
        if (next <= end) send_gap_fill(next, end + 1, now);
    }

    session_config cfg_;
    message_store& store_;
    std::vector<char> out_buf_;
    std::vector<field> fields_;
    std::string in_;
    std::size_t in_pos_ = 0;
    std::string out_;
    session_state state_ = session_state::disconnected;
    std::int64_t state_since_ = 0;
    std::int64_t last_sent_ = 0;
    std::int64_t last_received_ = 0;
    std::int32_t heart_bt_int_ = 30;
    bool wants_disconnect_ = false;
    std::string disconnect_reason_;
    bool test_req_pending_ = false;
    std::int64_t test_req_sent_ = 0;
    std::string test_req_id_;
    std::uint64_t test_req_count_ = 0;
    bool resend_pending_ = false;
    std::uint32_t resend_until_ = 0;
    bool sent_reset_ = false;
    app_handler app_;
    state_handler state_cb_;
    log_handler log_;
};

} // namespace pinnacle::inline v0::fix
