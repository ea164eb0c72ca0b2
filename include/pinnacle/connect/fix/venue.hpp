#pragma once
/// @file
/// `fix_venue`: a Venue (venue/concepts.hpp) over a FIX 4.4 initiator session (session.hpp), for
/// one instrument. submit/cancel/modify become NewOrderSingle (D), OrderCancelRequest (F) and
/// OrderCancelReplaceRequest (G); ExecutionReports (8) and OrderCancelRejects (9) become
/// `execution_report`s. Source: FIX 4.4 Vol. 4 "Order State Changes" (ExecType 150, OrdStatus 39,
/// LastQty 32, LastPx 31, LeavesQty 151, CumQty 14, Commission 12) and "Order Status Request".
///
/// - ClOrdID (11) on the wire is the order_id in decimal ("42"); each F or G for it gets
///   "42.1", "42.2", ...: every report maps back to its order without a lookup table.
/// - Prices: ticks = price * 10^price_decimals; quantities: lots = qty * 10^qty_decimals; the fee
///   is Commission in ticks times one lot (tick-lots), as execution_report::fee wants when a lot
///   is one unit of the instrument.
/// - A report whose ExecID (17) text was already seen for the same open order (a resend after a
///   reconnect, PossDupFlag=Y) is dropped, so a fill is booked once; the comparison is exact (no
///   hash), and every report passed on gets exec_id = this venue's own running count (1, 2, ...),
///   unique by construction, so the engine's duplicate check can never confuse two reports.
/// - After a reconnect (the session active again with open orders), an OrderStatusRequest (H) goes
///   out for every open order and session_state() says `connecting` until each is answered
///   (ExecType I) or `reconcile_timeout_ns` passes: a CumQty above what was booked becomes one
///   fill of the difference at AvgPx; a final OrdStatus (filled, canceled, rejected, expired) ends
///   the order with the matching report. Missed ExecutionReports themselves come back first,
///   through the session's ResendRequest.
/// Thread-safety: one thread (the transport's). The Venue functions are noexcept: an allocation
/// failure inside them ends the program.

#include "pinnacle/connect/fix/messages.hpp"
#include "pinnacle/connect/fix/session.hpp"
#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/venue/orders.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinnacle::inline v0::fix {

/// Settings of a fix_venue.
struct fix_venue_config {
    std::string symbol;                               ///< Symbol (55) of every order
    unsigned price_decimals = 4;                      ///< ticks per price unit = 10^price_decimals (0..18)
    unsigned qty_decimals = 0;                        ///< lots per quantity unit = 10^qty_decimals (0..18)
    std::string account;                              ///< Account (1), empty: not sent
    std::int64_t reconcile_timeout_ns = 5'000'000'000; ///< longest wait for OrderStatusRequest answers, ns
};

/// A Venue over a FIX initiator session (see the file comment). Thread-safety: one thread.
class fix_venue {
public:
    /// A venue sending through `s` (which must outlive it); installs its app and state handlers.
    fix_venue(fix_venue_config config, session& s) : cfg_(std::move(config)), session_(s) {
        session_.on_app([this](const fix44::header& h, std::span<const field> f, std::int64_t now) { on_message(h, f, now); });
        session_.on_state([this](fix::session_state st, std::int64_t now) { on_state(st, now); });
    }
    fix_venue(const fix_venue&) = delete;
    fix_venue& operator=(const fix_venue&) = delete;

    /// Sends a NewOrderSingle. Errors: disconnected (session not up), duplicate_order (ClOrdID
    /// working), invalid_qty / invalid_price (not positive), rejected (the session could not send).
    [[nodiscard]] status submit(const order_intent& o) noexcept {
        if (session_state() != venue_session::up) return status::disconnected;
        if (orders_.count(o.cl_ord_id.value()) != 0) return status::duplicate_order;
        if (o.size.lots() <= 0) return status::invalid_qty;
        if (o.type == order_type::limit && o.px.ticks() <= 0) return status::invalid_price;
        open_order oo;
        oo.side = o.side;
        oo.px = o.px.ticks();
        oo.size = o.size.lots();
        oo.wire_id = std::to_string(o.cl_ord_id.value());
        const std::string qty_text = decimal(oo.size, cfg_.qty_decimals);
        const std::string px_text = decimal(oo.px, cfg_.price_decimals);
        char ts[21];
        encoder::format_timestamp(o.ts.ns(), ts);
        fix44::new_order_single m;
        m.account = cfg_.account;
        m.cl_ord_id = oo.wire_id;
        m.symbol = cfg_.symbol;
        m.side = o.side == side::buy ? '1' : '2';
        m.transact_time = std::string_view(ts, sizeof ts);
        m.order_qty = qty_text;
        m.ord_type = o.type == order_type::market ? '1' : '2';
        if (o.type == order_type::limit) m.price = px_text;
        m.time_in_force = o.tif == time_in_force::ioc ? '3' : o.tif == time_in_force::fok ? '4' : '1';
        const bool post_only = o.tif == time_in_force::post_only;
        const bool sent = session_.send(fix44::new_order_single::msg_type, o.ts.ns(), [&](encoder& e) {
            m.write(e);
            if (post_only) e.add(fix44::tag::ExecInst, '6');  // participate, don't initiate
        });
        if (!sent) return status::rejected;
        orders_.emplace(o.cl_ord_id.value(), std::move(oo));
        return status::ok;
    }

    /// Sends an OrderCancelRequest for order `id`. Errors: disconnected, unknown_order (not open
    /// here), rejected (a cancel or replace is already pending, or the session could not send).
    [[nodiscard]] status cancel(order_id id, timestamp ts) noexcept {
        if (session_.state() != fix::session_state::active) return status::disconnected;
        const auto it = orders_.find(id.value());
        if (it == orders_.end()) return status::unknown_order;
        return send_cancel(id.value(), it->second, ts.ns()) ? status::ok : status::rejected;
    }

    /// Sends an OrderCancelReplaceRequest: new limit price (ticks) and total size (lots, filled
    /// included). Errors: disconnected, unknown_order, invalid_qty, invalid_price, rejected.
    [[nodiscard]] status modify(order_id id, price new_px, qty new_size, timestamp ts) noexcept {
        if (session_state() != venue_session::up) return status::disconnected;
        const auto it = orders_.find(id.value());
        if (it == orders_.end()) return status::unknown_order;
        if (new_size.lots() <= 0) return status::invalid_qty;
        if (new_px.ticks() <= 0) return status::invalid_price;
        open_order& o = it->second;
        if (!o.pending_id.empty()) return status::rejected;
        const std::string req = o.wire_base() + "." + std::to_string(++o.requests);
        const std::string qty_text = decimal(new_size.lots(), cfg_.qty_decimals);
        const std::string px_text = decimal(new_px.ticks(), cfg_.price_decimals);
        char tt[21];
        encoder::format_timestamp(ts.ns(), tt);
        fix44::order_cancel_replace_request m;
        m.orig_cl_ord_id = o.wire_id;
        m.cl_ord_id = req;
        m.symbol = cfg_.symbol;
        m.side = o.side == side::buy ? '1' : '2';
        m.transact_time = std::string_view(tt, sizeof tt);
        m.order_qty = qty_text;
        m.ord_type = '2';
        m.price = px_text;
        if (!session_.send(fix44::order_cancel_replace_request::msg_type, ts.ns(), [&](encoder& e) { m.write(e); })) return status::rejected;
        o.pending_id = req;
        return status::ok;
    }

    /// Sends an OrderCancelRequest for every open order without a pending request. Errors:
    /// disconnected; rejected when a send failed (the others were sent).
    [[nodiscard]] status cancel_all(timestamp ts) noexcept {
        if (session_.state() != fix::session_state::active) return status::disconnected;
        status st = status::ok;
        for (auto& [id, o] : orders_) {
            if (o.pending_id.empty() && !send_cancel(id, o, ts.ns())) st = status::rejected;
        }
        return st;
    }

    /// Pops the next report received (reports are stamped with their receipt time, so every
    /// queued one has reached us); also ends a reconcile that outlived its timeout at `now`.
    bool poll(timestamp now, execution_report& out) noexcept {
        if (reconciling_ > 0 && now.ns() >= reconcile_deadline_) reconciling_ = 0;
        if (reports_.empty()) return false;
        out = reports_.front();
        reports_.pop_front();
        return true;
    }

    /// up when logged on and reconciled; connecting while logging on or reconciling; down otherwise.
    [[nodiscard]] venue_session session_state() const noexcept {
        switch (session_.state()) {
            case fix::session_state::active: return reconciling_ > 0 ? venue_session::connecting : venue_session::up;
            case fix::session_state::awaiting_logon:
            case fix::session_state::logon_sent: return venue_session::connecting;
            case fix::session_state::disconnected:
            case fix::session_state::logout_sent: return venue_session::down;
        }
        return venue_session::down;
    }

    /// Orders sent and not yet final.
    [[nodiscard]] std::size_t open_orders() const noexcept { return orders_.size(); }

private:
    struct open_order {
        pinnacle::side side = side::buy;
        std::int64_t px = 0;     // ticks
        std::int64_t size = 0;   // lots, total
        std::int64_t cum = 0;    // lots booked as filled
        std::string wire_id;     // ClOrdID the venue knows the order by now
        std::string pending_id;  // ClOrdID of the pending F or G, empty when none
        std::uint32_t requests = 0;
        std::vector<std::string> exec_ids;  // ExecIDs booked for this order (exact duplicate check)
        [[nodiscard]] std::string wire_base() const { return wire_id.substr(0, wire_id.find('.')); }
    };

    static std::string decimal(std::int64_t v, unsigned decimals) {
        char text[48];
        return std::string(text, encoder::format_decimal(v, decimals, text));
    }

    static std::uint64_t hash_id(std::string_view s) noexcept {
        std::uint64_t h = 14695981039346656037ULL;
        for (char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        return h == 0 ? 1 : h;
    }

    // The order a ClOrdID "<id>" or "<id>.<n>" belongs to.
    static bool order_of(std::string_view cl, std::uint64_t& id) noexcept {
        const auto n = fix44::parse_uint(cl.substr(0, cl.find('.')));
        if (!n) return false;
        id = static_cast<std::uint64_t>(*n);
        return true;
    }

    bool send_cancel(std::uint64_t id, open_order& o, std::int64_t now) {
        if (!o.pending_id.empty()) return false;
        const std::string req = o.wire_base() + "." + std::to_string(++o.requests);
        char tt[21];
        encoder::format_timestamp(now, tt);
        fix44::order_cancel_request m;
        m.orig_cl_ord_id = o.wire_id;
        m.cl_ord_id = req;
        m.symbol = cfg_.symbol;
        m.side = o.side == side::buy ? '1' : '2';
        m.transact_time = std::string_view(tt, sizeof tt);
        const std::string qty_text = decimal(o.size, cfg_.qty_decimals);
        m.order_qty = qty_text;
        if (!session_.send(fix44::order_cancel_request::msg_type, now, [&](encoder& e) { m.write(e); })) return false;
        o.pending_id = req;
        (void)id;
        return true;
    }

    void on_state(fix::session_state st, std::int64_t now) {
        if (st != fix::session_state::active) {
            reconciling_ = 0;
            return;
        }
        if (!was_active_) {
            was_active_ = true;
            return;
        }
        // Reconnected: ask for the status of every open order (FIX 4.4 Vol. 4 "Order Status Request").
        reconciling_ = 0;
        reconcile_deadline_ = now + cfg_.reconcile_timeout_ns;
        for (auto& entry : orders_) {
            open_order& o = entry.second;  // not a structured binding: lambdas capture it (clang 14)
            o.pending_id.clear();
            const char side_char = o.side == side::buy ? '1' : '2';
            const bool sent = session_.send("H", now, [&](encoder& e) {
                e.add(fix44::tag::ClOrdID, o.wire_id).add(fix44::tag::Symbol, cfg_.symbol).add(fix44::tag::Side, side_char);
            });
            if (sent) ++reconciling_;
        }
    }

    void push(std::uint64_t id, const open_order& o, exec_type t, std::int64_t now) {
        execution_report r;
        r.ts = timestamp{now};
        r.cl_ord_id = order_id{id};
        r.type = t;
        r.side = o.side;
        r.px = price{o.px};
        r.leaves_qty = qty{o.size - o.cum > 0 ? o.size - o.cum : 0};
        reports_.push_back(r);
    }

    void on_message(const fix44::header& h, std::span<const field> f, std::int64_t now) {
        if (h.msg_type == fix44::order_cancel_reject::msg_type) {
            fix44::order_cancel_reject m;
            std::uint64_t id = 0;
            if (!fix44::order_cancel_reject::read(f, m).ok() || !order_of(m.cl_ord_id, id)) return;
            const auto it = orders_.find(id);
            if (it == orders_.end() || it->second.pending_id != m.cl_ord_id) return;
            it->second.pending_id.clear();
            push(id, it->second, exec_type::cancel_rejected, now);
            reports_.back().reason = status::rejected;
            return;
        }
        if (h.msg_type != fix44::execution_report::msg_type) return;
        fix44::execution_report m;
        std::uint64_t id = 0;
        if (!fix44::execution_report::read(f, m).ok() || !order_of(m.cl_ord_id, id)) return;
        const auto it = orders_.find(id);
        if (it == orders_.end()) return;
        open_order& o = it->second;
        if (m.exec_type != 'I' && !m.exec_id.empty()) {
            if (std::find(o.exec_ids.begin(), o.exec_ids.end(), m.exec_id) != o.exec_ids.end()) return;  // a resent report
            o.exec_ids.emplace_back(m.exec_id);
        }
        const auto leaves = fix44::parse_decimal(m.leaves_qty, cfg_.qty_decimals);
        const auto cum = fix44::parse_decimal(m.cum_qty, cfg_.qty_decimals);
        const auto vid = fix44::parse_uint(m.order_id);
        const std::uint64_t venue_id = vid ? static_cast<std::uint64_t>(*vid) : hash_id(m.order_id);
        execution_report r;
        r.ts = timestamp{now};
        r.cl_ord_id = order_id{id};
        r.side = o.side;
        r.px = price{o.px};
        r.venue_order_id = venue_id;
        r.exec_id = ++exec_count_;
        r.leaves_qty = qty{leaves.value_or(0)};
        bool final_state = false;
        switch (m.exec_type) {
            case '0': r.type = exec_type::new_ack; break;
            case '1':  // FIX 4.2 partial fill / fill, still seen on 4.4 sessions
            case '2':
            case 'F': {
                const auto lq = fix44::parse_decimal(m.last_qty, cfg_.qty_decimals);
                const auto lp = fix44::parse_decimal(m.last_px, cfg_.price_decimals);
                if (!lq || !lp) return;
                r.type = exec_type::fill;
                r.last_qty = qty{*lq};
                r.last_px = price{*lp};
                if (!m.commission.empty()) r.fee = notional{fix44::parse_decimal(m.commission, cfg_.price_decimals).value_or(0)};
                o.cum += *lq;
                final_state = m.ord_status == '2' || leaves.value_or(1) == 0;
                break;
            }
            case '4':
            case 'C':
            case '3':
                r.type = exec_type::canceled;
                final_state = true;
                break;
            case '8':
                r.type = exec_type::rejected;
                r.reason = status::rejected;
                final_state = true;
                break;
            case '5': {
                r.type = exec_type::replaced;
                const auto px = fix44::parse_decimal(m.price, cfg_.price_decimals);
                const auto q = fix44::parse_decimal(m.order_qty, cfg_.qty_decimals);
                if (px) o.px = *px;
                if (q) o.size = *q;
                o.wire_id = std::string(m.cl_ord_id);
                o.pending_id.clear();
                r.px = price{o.px};
                break;
            }
            case 'I': {  // reconcile answer
                if (reconciling_ > 0) --reconciling_;
                if (cum && *cum > o.cum) {
                    const auto avg = fix44::parse_decimal(m.avg_px, cfg_.price_decimals);
                    execution_report fill = r;
                    fill.type = exec_type::fill;
                    fill.exec_id = 0;
                    fill.last_qty = qty{*cum - o.cum};
                    fill.last_px = price{avg.value_or(o.px)};
                    o.cum = *cum;
                    reports_.push_back(fill);
                }
                if (m.ord_status == '2') {
                    orders_.erase(it);
                } else if (m.ord_status == '4' || m.ord_status == 'C' || m.ord_status == '8') {
                    push(id, o, m.ord_status == '8' ? exec_type::rejected : exec_type::canceled, now);
                    orders_.erase(it);
                }
                return;
            }
            default: return;  // pending states, restatements: nothing to book
        }
        if (m.exec_type == '4' && !o.pending_id.empty()) o.pending_id.clear();
        reports_.push_back(r);
        if (final_state) orders_.erase(it);
    }

    fix_venue_config cfg_;
    session& session_;
    std::map<std::uint64_t, open_order> orders_;
    std::deque<execution_report> reports_;
    std::uint64_t exec_count_ = 0;  // reports passed on so far: the next exec_id
    std::size_t reconciling_ = 0;
    std::int64_t reconcile_deadline_ = 0;
    bool was_active_ = false;
};

static_assert(Venue<fix_venue>, "fix_venue must satisfy Venue (venue/concepts.hpp)");

} // namespace pinnacle::inline v0::fix
