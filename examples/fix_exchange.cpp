// fix_exchange: a FIX 4.4 acceptor on 127.0.0.1 serving a simulated exchange to any FIX client,
// one session after another until SIGINT or SIGTERM. First stdout line exactly
// `listening fix://127.0.0.1:PORT` (--port 0 picks a free port).
//
//   fix_exchange --port P --sender-comp-id ID --target-comp-id ID [--messages F [--orderbook F]]
//                [--store DIR] [--data-dictionary FIX44.xml] [--reset-on-logon] [--heartbeat-check]
//                [--app venue|echo]
//
// --app venue (default): NewOrderSingle (D), OrderCancelRequest (F) and OrderCancelReplaceRequest
//   (G) go to pinnacle's simulated_venue over an l3_book. Without --messages the book is quiet:
//   ten levels of 100 lots each side, bids 99.99 down to 99.90 and asks 100.01 up to 100.10 (the
//   book never moves; a crossing order fills as taker at those levels, the rest rests). With
//   --messages (and --orderbook) a LOBSTER day is replayed in real time from the start of the
//   program (its first message at start-up), and resting orders fill as the replayed market
//   reaches them; after its last message the book stays as it is. Prices have 4 decimals
//   (LOBSTER's units), quantities are whole lots. Answers are ExecutionReports (8) and
//   OrderCancelRejects (9); reports due while no client is logged on are stored and delivered by
//   the client's ResendRequest after its next Logon. An OrderStatusRequest (H) is answered with an
//   ExecutionReport ExecType I carrying the order's OrdStatus, LeavesQty, CumQty and AvgPx (OrdStatus
//   8 for an unknown ClOrdID), so fix_venue's reconcile after a reconnect ends at once.
// --app echo: every application message is sent back unchanged but for the header, as FIX
//   conformance tools expect of an acceptor under test.
// --store DIR keeps the sequence numbers and sent messages (a restart resumes them);
// --data-dictionary validates incoming messages against the FIX 4.4 dictionary (pinnacle's is
//   generated from QuickFIX's FIX44.xml; the file given must be a FIX 4.4 dictionary);
// --heartbeat-check sends a TestRequest to a silent client and drops it if it stays silent.
// Exit: 0 after a signal, 2 on a usage or setup error.
#include "cli.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/connect/fix/transport.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace fix = pinnacle::fix;
namespace f44 = pinnacle::fix::fix44;
namespace asio = boost::asio;
using pinnacle::price;
using pinnacle::qty;
using pinnacle::timestamp;

namespace {

constexpr const char* usage =
    "usage: fix_exchange --port P --sender-comp-id ID --target-comp-id ID [--messages F [--orderbook F]]\n"
    "                    [--store DIR] [--data-dictionary FIX44.xml] [--reset-on-logon] [--heartbeat-check]\n"
    "                    [--app venue|echo]\n";

constexpr unsigned price_decimals = 4;  // 100.01 -> 1'000'100 ticks

/// The simulated exchange behind the session: FIX order entry in, ExecutionReports out.
class venue_app {
public:
    /// A venue over the quiet book (`day` null) or over the replay of `day`, starting at `start`
    /// (wall clock, ns).
    venue_app(fix::session& s, const pinnacle::lobster_day* day, std::int64_t start) : session_(s), day_(day), start_(start) {
        if (day_ == nullptr || day_->messages.empty()) {
            day_ = nullptr;
            // The quiet book: ten 100-lot levels each side around 100.00.
            std::uint64_t id = 1;
            for (std::int64_t k = 0; k < 10; ++k) {
                add(id++, pinnacle::side::buy, 999'900 - 100 * k);
                add(id++, pinnacle::side::sell, 1'000'100 + 100 * k);
            }
        }
        run_id_ = std::to_string(start / 1'000'000'000);
    }

    void on_message(const f44::header& h, std::span<const fix::field> f, std::int64_t wall) {
        wall_ = wall;
        replay_to(wall);
        const std::int64_t now = venue_time(wall);
        if (h.msg_type == f44::new_order_single::msg_type) new_order(f, now);
        else if (h.msg_type == f44::order_cancel_request::msg_type) cancel(f, now);
        else if (h.msg_type == f44::order_cancel_replace_request::msg_type) replace(f, now);
        else if (h.msg_type == "H") order_status(f);
        else business_reject(h, "Unsupported Message Type", 3);
        drain(now);
    }

    /// Moves the replayed market on to `wall` (ns) and reports what it did to our orders; true
    /// when a report was sent.
    bool on_timer(std::int64_t wall) {
        if (day_ == nullptr) return false;
        wall_ = wall;
        replay_to(wall);
        const std::size_t before = sent_;
        drain(venue_time(wall));
        return sent_ != before;
    }

    /// LOBSTER messages replayed so far.
    [[nodiscard]] std::size_t replayed() const noexcept { return index_; }

private:
    struct order {
        std::string cl_ord_id;       // current ClOrdID (changes with each replace)
        std::string orig_cl_ord_id;  // the ClOrdID before the pending F/G, empty when none
        std::string pending_cl_ord_id;  // ClOrdID of the pending F/G
        char pending = '\0';         // 'F' or 'G' while a request is in flight
        std::string symbol;
        char side = '1';
        std::int64_t order_qty = 0;  // lots
        std::int64_t px = 0;         // ticks
        std::int64_t cum = 0;        // lots filled
        std::int64_t value = 0;      // sum of fill px * qty (tick-lots), for AvgPx
        std::uint64_t venue_id = 0;
    };

    void add(std::uint64_t id, pinnacle::side s, std::int64_t px) {
        pinnacle::market_event e{};
        e.ts = timestamp{0};
        e.id = pinnacle::order_id{id};
        e.px = price{px};
        e.size = qty{100};
        e.type = pinnacle::event_type::add;
        e.side = s;
        (void)book_.apply(e);
    }

    // Venue time: the wall clock, or the replayed day's clock (its first message at start_).
    [[nodiscard]] std::int64_t venue_time(std::int64_t wall) const noexcept {
        return day_ == nullptr ? wall : day_->messages.front().ts.ns() + (wall - start_);
    }

    // Each message due by now: the venue sees it, the book applies it, the orderbook row (or the
    // unpaired repair) keeps the book exact, as in backtest_lobster.
    void replay_to(std::int64_t wall) {
        if (day_ == nullptr) return;
        const std::int64_t now = venue_time(wall);
        while (index_ < day_->messages.size() && day_->messages[index_].ts.ns() < now) {
            const pinnacle::market_event& e = day_->messages[index_];
            venue_.on_market(e, book_);
            (void)book_.apply(e);
            if (!day_->rows.empty()) (void)pinnacle::lobster_reconcile(book_, day_->rows[index_], day_->levels);
            else (void)pinnacle::lobster_repair_unpaired(book_, e, day_->levels);
            ++index_;
        }
    }

    static std::string decimal(std::int64_t v, unsigned decimals) {
        char text[48];
        return std::string(text, fix::encoder::format_decimal(v, decimals, text));
    }

    void new_order(std::span<const fix::field> f, std::int64_t now) {
        f44::new_order_single m;
        if (!f44::new_order_single::read(f, m).ok()) return;
        order o;
        o.cl_ord_id = std::string(m.cl_ord_id);
        o.symbol = std::string(m.symbol);
        o.side = m.side;
        const auto q = f44::parse_decimal(m.order_qty, 0);
        const auto p = m.price.empty() ? std::optional<std::int64_t>(0) : f44::parse_decimal(m.price, price_decimals);
        o.order_qty = q.value_or(0);
        o.px = p.value_or(0);
        std::string why;
        if (by_cl_ord_id_.count(o.cl_ord_id) != 0) why = "duplicate ClOrdID";
        else if (!q || *q <= 0) why = "OrderQty must be a positive whole number of lots";
        else if (!p) why = "Price must have at most 4 decimals";
        else if (m.side != '1' && m.side != '2') why = "Side must be 1 (buy) or 2 (sell)";
        else if (m.ord_type != '1' && m.ord_type != '2') why = "OrdType must be 1 (market) or 2 (limit)";
        else if (m.ord_type == '2' && o.px <= 0) why = "a limit order needs a Price";
        if (!why.empty()) {
            reject_order(o, why);
            return;
        }
        pinnacle::order_intent in;
        const std::uint64_t id = next_id_++;
        in.cl_ord_id = pinnacle::order_id{id};
        in.side = m.side == '1' ? pinnacle::side::buy : pinnacle::side::sell;
        in.px = price{o.px};
        in.size = qty{o.order_qty};
        in.ts = timestamp{now};
        in.type = m.ord_type == '1' ? pinnacle::order_type::market : pinnacle::order_type::limit;
        if (m.time_in_force == '3') in.tif = pinnacle::time_in_force::ioc;
        else if (m.time_in_force == '4') in.tif = pinnacle::time_in_force::fok;
        const pinnacle::status st = venue_.submit(in);
        if (st != pinnacle::status::ok) {
            reject_order(o, std::string(pinnacle::to_string(st)));
            return;
        }
        by_cl_ord_id_[o.cl_ord_id] = id;
        orders_[id] = std::move(o);
    }

    // F and G share the lookup and the answer to an unknown order.
    order* find_for_request(std::string_view orig, std::string_view cl_ord_id, char response_to, std::uint64_t& id) {
        const auto it = by_cl_ord_id_.find(std::string(orig));
        if (it == by_cl_ord_id_.end() || orders_.count(it->second) == 0 || orders_[it->second].pending != '\0') {
            f44::order_cancel_reject r;
            r.order_id = "NONE";
            r.cl_ord_id = cl_ord_id;
            r.orig_cl_ord_id = orig;
            r.ord_status = '8';
            r.cxl_rej_response_to = response_to;
            r.cxl_rej_reason = 1;  // unknown order
            r.text = it == by_cl_ord_id_.end() ? "unknown OrigClOrdID" : "order not working or a request is pending";
            session_.send(f44::order_cancel_reject::msg_type, wall_, [&](fix::encoder& e) { r.write(e); });
            return nullptr;
        }
        id = it->second;
        return &orders_[id];
    }

    void cancel(std::span<const fix::field> f, std::int64_t now) {
        f44::order_cancel_request m;
        if (!f44::order_cancel_request::read(f, m).ok()) return;
        std::uint64_t id = 0;
        order* o = find_for_request(m.orig_cl_ord_id, m.cl_ord_id, '1', id);
        if (o == nullptr) return;
        if (venue_.cancel(pinnacle::order_id{id}, timestamp{now}) != pinnacle::status::ok) {
            cancel_reject(*o, std::string(m.cl_ord_id), '1');
            return;
        }
        o->pending = 'F';
        o->pending_cl_ord_id = std::string(m.cl_ord_id);
    }

    void replace(std::span<const fix::field> f, std::int64_t now) {
        f44::order_cancel_replace_request m;
        if (!f44::order_cancel_replace_request::read(f, m).ok()) return;
        std::uint64_t id = 0;
        order* o = find_for_request(m.orig_cl_ord_id, m.cl_ord_id, '2', id);
        if (o == nullptr) return;
        const auto q = f44::parse_decimal(m.order_qty, 0);
        const auto p = m.price.empty() ? std::optional<std::int64_t>(o->px) : f44::parse_decimal(m.price, price_decimals);
        if (!q || !p || *q <= 0 ||
            venue_.modify(pinnacle::order_id{id}, price{*p}, qty{*q}, timestamp{now}) != pinnacle::status::ok) {
            cancel_reject(*o, std::string(m.cl_ord_id), '2');
            return;
        }
        o->pending = 'G';
        o->pending_cl_ord_id = std::string(m.cl_ord_id);
        o->order_qty = *q;
        o->px = *p;
    }

    // OrderStatusRequest (H): an ExecutionReport with ExecType I (Order Status) and the order's
    // current OrdStatus, LeavesQty, CumQty and AvgPx (FIX 4.4 Vol. 4, "Order Status Request"; Vol. 1,
    // ExecType I). A working order is looked up by its ClOrdID (11); one that ended (filled,
    // cancelled) by its last ClOrdID among the ended ones; an unknown ClOrdID gets OrdStatus 8
    // (Rejected) with Text "unknown order". OrdStatusReqID (790) is echoed when given.
    void order_status(std::span<const fix::field> f) {
        std::string_view cl_ord_id;
        std::string_view req_id;
        std::string_view symbol;
        char side = '1';
        for (const fix::field& x : f) {
            if (x.tag == f44::tag::ClOrdID) cl_ord_id = x.value;
            else if (x.tag == f44::tag::OrdStatusReqID) req_id = x.value;
            else if (x.tag == f44::tag::Symbol) symbol = x.value;
            else if (x.tag == f44::tag::Side && !x.value.empty()) side = x.value[0];
        }
        const order* o = nullptr;
        char ord_status = '8';
        std::int64_t leaves = 0;
        if (const auto it = by_cl_ord_id_.find(std::string(cl_ord_id)); it != by_cl_ord_id_.end() && orders_.count(it->second) != 0) {
            o = &orders_[it->second];
            ord_status = o->pending == 'F' ? '6' : o->pending == 'G' ? 'E' : o->cum > 0 ? '1' : '0';  // pending cancel / replace
            leaves = o->order_qty - o->cum;
        } else if (const auto done = ended_.find(std::string(cl_ord_id)); done != ended_.end()) {
            o = &done->second.first;
            ord_status = done->second.second;
        }
        const std::string exec_id = run_id_ + "-S" + std::to_string(++statuses_);
        std::string qty_text, px_text, leaves_text = "0", cum_text = "0", avg = "0", oid = "NONE";
        if (o != nullptr) {
            qty_text = decimal(o->order_qty, 0);
            if (o->px > 0) px_text = decimal(o->px, price_decimals);
            leaves_text = decimal(leaves, 0);
            cum_text = decimal(o->cum, 0);
            if (o->cum > 0) avg = decimal(o->value / o->cum, price_decimals);
            oid = order_id_text(*o);
        }
        const std::string req(req_id);
        session_.send(f44::execution_report::msg_type, wall_, [&](fix::encoder& e) {
            e.add(f44::tag::OrderID, oid).add(f44::tag::ClOrdID, cl_ord_id);
            if (!req.empty()) e.add(f44::tag::OrdStatusReqID, req);
            e.add(f44::tag::ExecID, exec_id).add(f44::tag::ExecType, 'I').add(f44::tag::OrdStatus, ord_status);
            e.add(f44::tag::Symbol, o != nullptr ? std::string_view(o->symbol) : symbol).add(f44::tag::Side, o != nullptr ? o->side : side);
            if (!qty_text.empty()) e.add(f44::tag::OrderQty, qty_text);
            if (!px_text.empty()) e.add(f44::tag::Price, px_text);
            e.add(f44::tag::LeavesQty, leaves_text).add(f44::tag::CumQty, cum_text).add(f44::tag::AvgPx, avg);
            if (o == nullptr) e.add(f44::tag::Text, std::string_view("unknown order"));
        });
    }

    void cancel_reject(const order& o, const std::string& cl_ord_id, char response_to) {
        f44::order_cancel_reject r;
        const std::string oid = order_id_text(o);
        r.order_id = oid;
        r.cl_ord_id = cl_ord_id;
        r.orig_cl_ord_id = o.cl_ord_id;
        r.ord_status = o.cum > 0 ? (o.cum >= o.order_qty ? '2' : '1') : '0';
        r.cxl_rej_response_to = response_to;
        r.cxl_rej_reason = 0;  // too late to cancel
        r.text = "order not working";
        session_.send(f44::order_cancel_reject::msg_type, wall_, [&](fix::encoder& e) { r.write(e); });
    }

    void business_reject(const f44::header& h, std::string_view text, std::int32_t reason) {
        f44::business_message_reject r;
        r.ref_seq_num = h.msg_seq_num;
        r.ref_msg_type = h.msg_type;
        r.business_reject_reason = reason;
        r.text = text;
        session_.send(f44::business_message_reject::msg_type, wall_, [&](fix::encoder& e) { r.write(e); });
    }

    std::string order_id_text(const order& o) const { return o.venue_id == 0 ? std::string("NONE") : run_id_ + "-" + std::to_string(o.venue_id); }

    void reject_order(const order& o, const std::string& why) {
        f44::execution_report r;
        const std::string exec_id = run_id_ + "-R" + std::to_string(++rejects_);
        const std::string qty_text = decimal(o.order_qty, 0);
        r.order_id = "NONE";
        r.cl_ord_id = o.cl_ord_id;
        r.exec_id = exec_id;
        r.exec_type = '8';
        r.ord_status = '8';
        r.symbol = o.symbol;
        r.side = o.side;
        r.order_qty = qty_text;
        r.leaves_qty = "0";
        r.cum_qty = "0";
        r.avg_px = "0";
        r.ord_rej_reason = 99;  // other
        r.text = why;
        session_.send(f44::execution_report::msg_type, wall_, [&](fix::encoder& e) { r.write(e); });
    }

    // Moves the venue on to now and turns its reports into ExecutionReports.
    void drain(std::int64_t now) {
        venue_.advance(timestamp{now + 1}, book_);
        pinnacle::execution_report rep;
        while (venue_.poll(timestamp{now + 1}, rep)) report(rep);
    }

    void report(const pinnacle::execution_report& rep) {
        const auto it = orders_.find(rep.cl_ord_id.value());
        if (it == orders_.end()) return;
        order& o = it->second;
        if (rep.venue_order_id != 0) o.venue_id = rep.venue_order_id;
        if (rep.type == pinnacle::exec_type::cancel_rejected) {
            const char to = o.pending == 'G' ? '2' : '1';
            const std::string cl = o.pending_cl_ord_id;
            o.pending = '\0';
            cancel_reject(o, cl, to);
            return;
        }
        f44::execution_report r;
        char exec_type = '0';
        std::string orig;
        switch (rep.type) {
            case pinnacle::exec_type::new_ack: exec_type = '0'; break;
            case pinnacle::exec_type::fill:
                exec_type = 'F';
                o.cum += rep.last_qty.lots();
                o.value += rep.last_qty.lots() * rep.last_px.ticks();
                break;
            case pinnacle::exec_type::canceled: exec_type = '4'; break;
            case pinnacle::exec_type::rejected: exec_type = '8'; break;
            case pinnacle::exec_type::replaced: exec_type = '5'; break;
            case pinnacle::exec_type::cancel_rejected: break;
        }
        if ((rep.type == pinnacle::exec_type::canceled && o.pending == 'F') || rep.type == pinnacle::exec_type::replaced) {
            orig = o.cl_ord_id;
            o.cl_ord_id = o.pending_cl_ord_id;
            by_cl_ord_id_[o.cl_ord_id] = it->first;
            o.pending = '\0';
        }
        const std::int64_t leaves = rep.type == pinnacle::exec_type::canceled ? 0 : rep.leaves_qty.lots();
        char ord_status = o.cum > 0 ? '1' : '0';
        if (rep.type == pinnacle::exec_type::canceled) ord_status = '4';
        else if (rep.type == pinnacle::exec_type::rejected) ord_status = '8';
        else if (leaves == 0 && o.cum > 0) ord_status = '2';
        const std::string oid = order_id_text(o);
        const std::string exec_id = run_id_ + "-" + std::to_string(rep.exec_id);
        const std::string qty_text = decimal(o.order_qty, 0);
        const std::string px_text = decimal(o.px, price_decimals);
        const std::string last_qty = decimal(rep.last_qty.lots(), 0);
        const std::string last_px = decimal(rep.last_px.ticks(), price_decimals);
        const std::string leaves_text = decimal(leaves, 0);
        const std::string cum_text = decimal(o.cum, 0);
        const std::string avg = o.cum > 0 ? decimal(o.value / o.cum, price_decimals) : std::string("0");
        const std::string fee = decimal(rep.fee.tick_lots(), price_decimals);
        r.order_id = oid;
        r.cl_ord_id = o.cl_ord_id;
        r.orig_cl_ord_id = orig;
        r.exec_id = exec_id;
        r.exec_type = exec_type;
        r.ord_status = ord_status;
        r.symbol = o.symbol;
        r.side = o.side;
        r.order_qty = qty_text;
        if (o.px > 0) r.price = px_text;
        if (rep.type == pinnacle::exec_type::fill) {
            r.last_qty = last_qty;
            r.last_px = last_px;
            r.commission = fee;
        }
        r.leaves_qty = leaves_text;
        r.cum_qty = cum_text;
        r.avg_px = avg;
        if (rep.type == pinnacle::exec_type::rejected) {
            r.ord_rej_reason = 99;
            r.text = pinnacle::to_string(rep.reason);
        }
        session_.send(f44::execution_report::msg_type, wall_, [&](fix::encoder& e) { r.write(e); });
        ++sent_;
        if (rep.type == pinnacle::exec_type::canceled || rep.type == pinnacle::exec_type::rejected || ord_status == '2') {
            by_cl_ord_id_.erase(o.cl_ord_id);
            ended_[o.cl_ord_id] = {o, ord_status};  // its final state, for an OrderStatusRequest after a reconnect
            orders_.erase(it);
        }
    }

    fix::session& session_;
    const pinnacle::lobster_day* day_;
    std::int64_t start_;
    std::int64_t wall_ = 0;  // wall clock of the call being handled: SendingTime of what we send
    std::size_t index_ = 0;
    std::size_t sent_ = 0;
    pinnacle::l3_book book_;
    pinnacle::simulated_venue<pinnacle::l3_book> venue_;
    std::map<std::uint64_t, order> orders_;
    std::unordered_map<std::string, std::uint64_t> by_cl_ord_id_;
    std::uint64_t next_id_ = 1;
    std::uint64_t rejects_ = 0;
    std::uint64_t statuses_ = 0;
    std::unordered_map<std::string, std::pair<order, char>> ended_;  // ended orders by last ClOrdID: state, OrdStatus
    std::string run_id_;
};

/// Sends every application message back with our header: the body fields in their order.
void echo(fix::session& s, const f44::header& h, std::span<const fix::field> f, std::int64_t now) {
    const fix::section_def& header = f44::dict.sections[f44::dict.header_section];
    const std::string type(h.msg_type);
    s.send(type, now, [&](fix::encoder& e) {
        for (std::size_t i = 3; i + 1 < f.size(); ++i) {
            if (!header.members.contains(f[i].tag)) e.add(f[i].tag, f[i].value);
        }
    });
}

} // namespace

int main(int argc, char** argv) {
    fix::session_config cfg;
    cfg.role = fix::session_role::acceptor;
    cfg.validate = false;
    cfg.heartbeat_check = false;
    long long port = -1;
    std::string store_dir, dictionary, app = "venue", messages, orderbook;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            auto value = [&]() -> const char* {
                if (i + 1 >= argc) throw pinnacle_examples::bad_flag{std::string(a) + " needs a value"};
                return argv[++i];
            };
            if (a == "--port") port = pinnacle_examples::parse_int(a, value(), 0, 65535);
            else if (a == "--sender-comp-id") cfg.sender_comp_id = value();
            else if (a == "--target-comp-id") cfg.target_comp_id = value();
            else if (a == "--store") store_dir = value();
            else if (a == "--data-dictionary") dictionary = value();
            else if (a == "--reset-on-logon") cfg.reset_on_logon = true;
            else if (a == "--heartbeat-check") cfg.heartbeat_check = true;
            else if (a == "--app") {
                app = value();
                if (app != "venue" && app != "echo") throw pinnacle_examples::bad_flag{"--app must be venue or echo, got '" + app + "'"};
            } else if (a == "--messages") messages = value();
            else if (a == "--orderbook") orderbook = value();
            else throw pinnacle_examples::bad_flag{"unknown flag " + std::string(a)};
        }
        if (port < 0) throw pinnacle_examples::bad_flag{"--port is required"};
        if (cfg.sender_comp_id.empty() || cfg.target_comp_id.empty()) throw pinnacle_examples::bad_flag{"--sender-comp-id and --target-comp-id are required"};
        if (!orderbook.empty() && messages.empty()) throw pinnacle_examples::bad_flag{"--orderbook needs --messages"};
    } catch (const pinnacle_examples::bad_flag& e) {
        std::fprintf(stderr, "fix_exchange: %s\n%s", e.what.c_str(), usage);
        return 2;
    }
    if (!dictionary.empty()) {
        std::ifstream in(dictionary, std::ios::binary);
        const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in && xml.empty()) {
            std::fprintf(stderr, "fix_exchange: cannot read --data-dictionary %s\n", dictionary.c_str());
            return 2;
        }
        const auto has = [&](std::string_view attr) {
            return xml.find(std::string(attr) + "=\"4\"") != std::string::npos || xml.find(std::string(attr) + "='4'") != std::string::npos;
        };
        if (!has("major") || !has("minor")) {
            std::fprintf(stderr, "fix_exchange: %s is not a FIX 4.4 data dictionary (fix major=\"4\" minor=\"4\")\n", dictionary.c_str());
            return 2;
        }
        cfg.validate = true;
    }
    fix::message_store store;
    if (!store_dir.empty() && !store.open(store_dir, cfg.begin_string + "-" + cfg.sender_comp_id + "-" + cfg.target_comp_id)) {
        std::fprintf(stderr, "fix_exchange: %s\n", store.error().c_str());
        return 2;
    }
    pinnacle::lobster_day day;
    if (!messages.empty()) {
        try {
            day = pinnacle::load_lobster_day(messages, orderbook);
            if (day.levels == 0) day.levels = pinnacle::lobster_levels_from_name(messages);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "fix_exchange: %s\n", e.what());
            return 2;
        }
        if (day.messages.empty()) {
            std::fprintf(stderr, "fix_exchange: %s has no messages\n", messages.c_str());
            return 2;
        }
    }
    // Reports due while no client is logged on wait in the store for its ResendRequest.
    cfg.store_when_disconnected = true;
    fix::session session(cfg, store);
    session.on_log([](std::string_view s) { std::fprintf(stderr, "fix_exchange: %.*s\n", static_cast<int>(s.size()), s.data()); });
    session.on_state([](fix::session_state s, std::int64_t) {
        const std::string_view n = fix::to_string(s);
        std::fprintf(stderr, "fix_exchange: session %.*s\n", static_cast<int>(n.size()), n.data());
    });
    venue_app venue(session, messages.empty() ? nullptr : &day, fix::wall_clock_ns());
    if (app == "echo") session.on_app([&](const f44::header& h, std::span<const fix::field> f, std::int64_t now) { echo(session, h, f, now); });
    else session.on_app([&](const f44::header& h, std::span<const fix::field> f, std::int64_t now) { venue.on_message(h, f, now); });

    asio::io_context io;
    boost::system::error_code ec;
    asio::ip::tcp::acceptor acceptor(io);
    const asio::ip::tcp::endpoint where(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port));
    acceptor.open(where.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(where, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::fprintf(stderr, "fix_exchange: cannot listen on 127.0.0.1:%lld: %s\n", port, ec.message().c_str());
        return 2;
    }
    std::printf("listening fix://127.0.0.1:%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);

    std::shared_ptr<fix::tcp_connection> current;
    bool stopping = false;
    std::function<void()> accept_next = [&] {
        acceptor.async_accept([&](const boost::system::error_code& aec, asio::ip::tcp::socket socket) {
            if (aec || stopping) return;
            boost::system::error_code ignored;
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            std::fprintf(stderr, "fix_exchange: connection from %s\n", socket.remote_endpoint(ignored).address().to_string().c_str());
            current = std::make_shared<fix::tcp_connection>(std::move(socket), session, [&](std::string_view why) {
                std::fprintf(stderr, "fix_exchange: connection closed: %.*s\n", static_cast<int>(why.size()), why.data());
                asio::post(io, [&] {
                    current.reset();
                    if (!stopping) accept_next();
                    else io.stop();
                });
            });
            current->start();
        });
    };
    accept_next();

    // The replayed market moves on every 10 ms, whether or not a client is connected.
    asio::steady_timer replay_timer(io);
    std::function<void()> replay_tick = [&] {
        replay_timer.expires_after(std::chrono::milliseconds(10));
        replay_timer.async_wait([&](const boost::system::error_code& tec) {
            if (tec || stopping) return;
            if (venue.on_timer(fix::wall_clock_ns()) && current && !current->closed()) current->flush();
            replay_tick();
        });
    };
    if (!messages.empty()) replay_tick();

    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer grace(io);
    signals.async_wait([&](const boost::system::error_code& sec, int) {
        if (sec) return;
        stopping = true;
        acceptor.close(ec);
        replay_timer.cancel();
        if (current && !current->closed() && session.state() == fix::session_state::active) {
            session.logout("exchange shutting down", fix::wall_clock_ns());
            current->flush();
            grace.expires_after(std::chrono::seconds(2));
            grace.async_wait([&](const boost::system::error_code&) { io.stop(); });
        } else {
            io.stop();
        }
    });
    io.run();
    if (!messages.empty()) std::fprintf(stderr, "fix_exchange: replayed %zu of %zu LOBSTER messages\n", venue.replayed(), day.messages.size());
    std::fprintf(stderr, "fix_exchange: stopped\n");
    return 0;
}
