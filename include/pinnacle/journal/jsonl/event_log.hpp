#pragma once
/// @file journal/jsonl/event_log.hpp
/// The JSONL event log (PinnacleMM's `--json-log`): one JSON object per line, each with a "type"
/// key (session_start, market_update, order_book_update, trading_event, strategy_metrics,
/// connection_event, session_end). The engine's thread only copies a small fixed-size record into
/// a bounded lock-free SPSC queue (memory/spsc_queue.hpp); a background thread formats the lines
/// with nlohmann_json and writes them. Format and guarantees: docs/persistence.md, "JSONL event log".

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/memory/spsc_queue.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/venue/orders.hpp"

namespace pinnacle {
inline namespace v0 {

/// Most book levels per side an order_book_update carries (the record stays fixed-size: 10
/// levels x 2 sides x 24 bytes).
inline constexpr std::size_t jsonl_max_levels = 10;

/// The kind of a queued record (the line's "type").
enum class jsonl_type : std::uint8_t {
    market_update,     ///< A market event and the top of book after it.
    order_book_update, ///< The top N levels of both sides, when they changed.
    trading_event,     ///< An order, cancel, risk refusal or venue report of ours.
    strategy_metrics,  ///< Position, PnL, quotes, spreads (once a second of event time).
    connection_event,  ///< A venue connection or session change (live only).
};

/// What a trading_event says happened (its "event" key).
enum class trading_action : std::uint8_t {
    order_sent,      ///< We sent a new order (a quote).
    cancel_sent,     ///< We asked to cancel one order.
    cancel_all_sent, ///< We asked to cancel every working order (kill switch, breaker).
    risk_reject,     ///< The risk chain refused an order we wanted to send.
    hedge,           ///< The engine emitted an auto-hedge intent.
    kill_switch,     ///< The operator's kill switch fired.
    ack,             ///< Report: order accepted (ExecType 0).
    fill,            ///< Report: partial or full fill (ExecType F).
    canceled,        ///< Report: order cancelled (ExecType 4).
    rejected,        ///< Report: order rejected (ExecType 8).
    cancel_rejected, ///< Report: cancel refused (the order was gone).
    replaced,        ///< Report: order modified (ExecType 5).
};

/// Stable name of a trading_action (the "event" value of a trading_event line).
[[nodiscard]] constexpr std::string_view to_string(trading_action a) noexcept {
    switch (a) {
        case trading_action::order_sent: return "order_sent";
        case trading_action::cancel_sent: return "cancel_sent";
        case trading_action::cancel_all_sent: return "cancel_all_sent";
        case trading_action::risk_reject: return "risk_reject";
        case trading_action::hedge: return "hedge";
        case trading_action::kill_switch: return "kill_switch";
        case trading_action::ack: return "ack";
        case trading_action::fill: return "fill";
        case trading_action::canceled: return "canceled";
        case trading_action::rejected: return "rejected";
        case trading_action::cancel_rejected: return "cancel_rejected";
        case trading_action::replaced: return "replaced";
    }
    return "unknown";
}

/// The trading_action of a venue report.
[[nodiscard]] constexpr trading_action report_action(exec_type t) noexcept {
    switch (t) {
        case exec_type::new_ack: return trading_action::ack;
        case exec_type::fill: return trading_action::fill;
        case exec_type::canceled: return trading_action::canceled;
        case exec_type::rejected: return trading_action::rejected;
        case exec_type::cancel_rejected: return trading_action::cancel_rejected;
        case exec_type::replaced: return trading_action::replaced;
    }
    return trading_action::ack;
}

/// One book level in a record: price (ticks), size (lots), orders.
struct jsonl_level {
    std::int64_t px;     ///< Price (ticks).
    std::int64_t size;   ///< Visible size (lots).
    std::uint32_t orders; ///< Orders at the level.
};

/// market_update payload: the event, then the top of book after the book applied it.
struct jsonl_market {
    event_type type;      ///< The event's type.
    side s;               ///< Its side.
    bool has_bid;         ///< A best bid exists.
    bool has_ask;         ///< A best ask exists.
    std::uint64_t id;     ///< Its order id (0 when none).
    std::int64_t px;      ///< Its price (ticks).
    std::int64_t size;    ///< Its size (lots).
    std::int64_t bid_px;  ///< Best bid (ticks).
    std::int64_t bid_size; ///< Lots at the best bid.
    std::int64_t ask_px;  ///< Best ask (ticks).
    std::int64_t ask_size; ///< Lots at the best ask.
};

/// order_book_update payload: the top `bids`/`asks` levels (<= jsonl_max_levels each).
struct jsonl_book {
    std::uint8_t bids;                  ///< Bid levels filled in.
    std::uint8_t asks;                  ///< Ask levels filled in.
    jsonl_level bid[jsonl_max_levels];  ///< Best bid first.
    jsonl_level ask[jsonl_max_levels];  ///< Best ask first.
};

/// trading_event payload. Prices in ticks, sizes in lots, fee in tick-lots.
struct jsonl_trade {
    trading_action action;       ///< What happened.
    side s;                      ///< The order's side.
    bool maker;                  ///< Fills: passive.
    std::uint8_t reason;         ///< risk_reject: the risk_reason; rejected/cancel_rejected: the status.
    std::uint64_t order_id;      ///< Our ClOrdID (0: several or unknown).
    std::int64_t px;             ///< The order's limit price (ticks).
    std::int64_t qty;            ///< order_sent: size (lots); cancel_all_sent: our orders working after it.
    std::int64_t last_px;        ///< Fills: price (ticks).
    std::int64_t last_qty;       ///< Fills: lots.
    std::int64_t leaves;         ///< Reports: lots still working.
    std::int64_t fee;            ///< Fills: fee (tick-lots; negative = rebate).
    std::uint64_t venue_order_id; ///< Reports: the venue's order id (0: not known).
    std::uint64_t exec_id;       ///< Reports: the venue's report id (0: none).
};

/// One side's working quote in strategy_metrics.
struct jsonl_quote {
    std::int64_t px;     ///< Price (ticks).
    std::int64_t size;   ///< Size sent (lots).
    std::int64_t leaves; ///< Lots still working.
    bool active;         ///< A quote is working on that side.
};

/// strategy_metrics payload. PnL in tick-lots (converted to currency when written).
struct jsonl_metrics {
    std::int64_t position;      ///< Inventory (lots, signed).
    std::int64_t open_buy;      ///< Lots of our bids still working.
    std::int64_t open_sell;     ///< Lots of our asks still working.
    double realized_pnl;        ///< Realized PnL net of fees (tick-lots).
    double total_pnl;           ///< Mark-to-mid PnL net of fees (tick-lots).
    std::int64_t fees;          ///< Fees net of rebates (tick-lots).
    std::int64_t volume;        ///< Lots traded.
    std::uint64_t events;       ///< Market events so far.
    std::uint64_t fills;        ///< Fills so far.
    std::uint64_t orders_sent;  ///< Orders sent so far.
    std::uint64_t cancels_sent; ///< Cancels sent so far.
    std::uint64_t risk_rejects; ///< Risk refusals so far.
    std::uint32_t working_orders; ///< Our orders working.
    bool halted;                ///< Quoting halted (kill switch, open breaker).
    bool has_bid;               ///< The market has a best bid.
    bool has_ask;               ///< The market has a best ask.
    std::int64_t best_bid;      ///< Market best bid (ticks).
    std::int64_t best_ask;      ///< Market best ask (ticks).
    jsonl_quote bid;            ///< Our bid.
    jsonl_quote ask;            ///< Our ask.
};

/// connection_event payload: short texts, truncated to fit (NUL-terminated).
struct jsonl_connection {
    char event[24];   ///< What happened: connected, logon, logout, disconnected, ...
    char state[24];   ///< The session state after it.
    char detail[96];  ///< Free text (a reason), may be empty.
};

/// One queued record: a fixed-size POD the hot path fills and copies; nothing is formatted or
/// allocated until the writer thread takes it. Value-initialize it (`jsonl_record r{};`).
struct jsonl_record {
    jsonl_type type;  ///< Which payload member is valid.
    std::int64_t ts;  ///< Event time (ns since the Unix epoch, UTC).
    /// The payload of `type`.
    union payload {
        jsonl_market market;         ///< market_update.
        jsonl_book book;             ///< order_book_update.
        jsonl_trade trade;           ///< trading_event.
        jsonl_metrics metrics;       ///< strategy_metrics.
        jsonl_connection connection; ///< connection_event.
    } u;              ///< The payload.
};

/// What a full queue does to the producer.
enum class jsonl_overflow : std::uint8_t {
    block, ///< Wait (yield) until the writer made room: every record is written; the producer slows to the writer's pace.
    drop,  ///< Drop the record and count it (jsonl_dropped): the producer never waits.
};

/// Settings of a jsonl_log.
struct jsonl_options {
    std::string path;                       ///< The file; written as `path + ".partial"` and renamed to `path` at close.
    instrument inst = lobster_instrument(); ///< Converts ticks to prices and tick-lots to money in the lines.
    std::size_t levels = 5;                 ///< Levels per side in order_book_update (1..jsonl_max_levels).
    std::size_t queue_capacity = std::size_t{1} << 16; ///< Records the queue holds (2..2^24, rounded up to a power of two).
    jsonl_overflow overflow = jsonl_overflow::block; ///< What a full queue does.
    std::size_t batch = 1024;               ///< Most lines per write + fflush (1..2^20).
};

/// Counts of a jsonl_log, final after close().
struct jsonl_stats {
    std::uint64_t enqueued = 0; ///< Records pushed into the queue.
    std::uint64_t dropped = 0;  ///< Records dropped on a full queue (drop policy): `jsonl_dropped`.
    std::uint64_t waits = 0;    ///< Pushes that found the queue full and waited (block policy).
    std::uint64_t lines = 0;    ///< Lines written, session_start and session_end included.
};

/// The "type" value of a record kind.
[[nodiscard]] constexpr std::string_view to_string(jsonl_type t) noexcept {
    switch (t) {
        case jsonl_type::market_update: return "market_update";
        case jsonl_type::order_book_update: return "order_book_update";
        case jsonl_type::trading_event: return "trading_event";
        case jsonl_type::strategy_metrics: return "strategy_metrics";
        case jsonl_type::connection_event: return "connection_event";
    }
    return "unknown";
}

/// Copies `text` into a fixed buffer of N chars, truncated, NUL-terminated (for connection events).
template <std::size_t N>
void jsonl_copy_text(char (&dst)[N], std::string_view text) noexcept {
    const std::size_t n = text.size() < N - 1 ? text.size() : N - 1;
    if (n > 0) std::memcpy(dst, text.data(), n);  // an empty view may hold a null pointer
    dst[n] = '\0';
}

namespace detail {
// Sets a string value, reusing the string a reused object already holds (no allocation once
// its capacity suffices).
inline void jsonl_set_str(nlohmann::ordered_json& v, std::string_view s) {
    if (v.is_string()) v.get_ref<std::string&>().assign(s.data(), s.size());
    else v = std::string(s);
}
inline std::string_view jsonl_side_name(side s) noexcept { return s == side::buy ? "buy" : "sell"; }
inline std::string_view jsonl_text(const char* p, std::size_t cap) noexcept { return std::string_view(p, ::strnlen(p, cap)); }
} // namespace detail

/// Writes record `r`'s keys into `j` (an empty object, or one this function filled before for a
/// record of the same type and, for trading_event, the same action: its keys are then reused in
/// place). Prices and money in currency units through `inst`, sizes in lots, times in ns. Throws
/// std::bad_alloc.
inline void jsonl_fill(nlohmann::ordered_json& j, const jsonl_record& r, const instrument& inst) {
    using nlohmann::ordered_json;
    const auto set_str = [](nlohmann::ordered_json& v, std::string_view x) { detail::jsonl_set_str(v, x); };
    const auto side_name = [](side x) noexcept { return detail::jsonl_side_name(x); };
    const auto px = [&](std::int64_t ticks) { return inst.to_currency(price{ticks}); };
    const double per_tick_lot = inst.to_currency(notional{1});
    const auto px_or_null = [&](bool has, std::int64_t ticks) { return has ? ordered_json(px(ticks)) : ordered_json(nullptr); };
    set_str(j["type"], to_string(r.type));
    j["ts"] = r.ts;
    switch (r.type) {
        case jsonl_type::market_update: {
            const jsonl_market& m = r.u.market;
            set_str(j["event"], to_string(m.type));
            set_str(j["side"], side_name(m.s));
            j["order_id"] = m.id;
            j["price"] = px(m.px);
            j["size"] = m.size;
            j["best_bid"] = px_or_null(m.has_bid, m.bid_px);
            j["bid_size"] = m.has_bid ? m.bid_size : 0;
            j["best_ask"] = px_or_null(m.has_ask, m.ask_px);
            j["ask_size"] = m.has_ask ? m.ask_size : 0;
            break;
        }
        case jsonl_type::order_book_update: {
            const jsonl_book& b = r.u.book;
            // [price, size, orders] per level; the arrays are updated in place when the level count is unchanged.
            const auto levels = [&](ordered_json& a, const jsonl_level* lv, std::size_t n) {
                n = n < jsonl_max_levels ? n : jsonl_max_levels;
                if (!a.is_array() || a.size() != n) {
                    a = ordered_json::array();
                    for (std::size_t i = 0; i < n; ++i) a.push_back(ordered_json::array({px(lv[i].px), lv[i].size, lv[i].orders}));
                    return;
                }
                for (std::size_t i = 0; i < n; ++i) {
                    a[i][0] = px(lv[i].px);
                    a[i][1] = lv[i].size;
                    a[i][2] = lv[i].orders;
                }
            };
            levels(j["bids"], b.bid, b.bids);
            levels(j["asks"], b.ask, b.asks);
            break;
        }
        case jsonl_type::trading_event: {
            const jsonl_trade& t = r.u.trade;
            set_str(j["event"], to_string(t.action));
            switch (t.action) {
                case trading_action::hedge: break;  // counted; the intent went to the hedge sink
                case trading_action::order_sent:
                    j["order_id"] = t.order_id;
                    set_str(j["side"], side_name(t.s));
                    j["price"] = px(t.px);
                    j["size"] = t.qty;
                    break;
                case trading_action::cancel_sent:
                    j["order_id"] = t.order_id;
                    set_str(j["side"], side_name(t.s));
                    j["price"] = px(t.px);
                    break;
                case trading_action::cancel_all_sent: j["working_orders"] = t.qty; break;
                case trading_action::risk_reject: set_str(j["reason"], to_string(static_cast<risk_reason>(t.reason))); break;
                case trading_action::kill_switch: break;
                default:  // venue reports
                    j["order_id"] = t.order_id;
                    set_str(j["side"], side_name(t.s));
                    j["price"] = px(t.px);
                    if (t.action == trading_action::fill) {
                        j["last_price"] = px(t.last_px);
                        j["last_qty"] = t.last_qty;
                        j["fee"] = static_cast<double>(t.fee) * per_tick_lot;
                        j["maker"] = t.maker;
                    }
                    j["leaves"] = t.leaves;
                    if (t.action == trading_action::rejected || t.action == trading_action::cancel_rejected)
                        set_str(j["reason"], to_string(static_cast<status>(t.reason)));
                    j["venue_order_id"] = t.venue_order_id;
                    j["exec_id"] = t.exec_id;
                    break;
            }
            break;
        }
        case jsonl_type::strategy_metrics: {
            const jsonl_metrics& m = r.u.metrics;
            j["position"] = m.position;
            j["inventory_open_buy"] = m.open_buy;
            j["inventory_open_sell"] = m.open_sell;
            j["realized_pnl"] = m.realized_pnl * per_tick_lot;
            j["total_pnl"] = m.total_pnl * per_tick_lot;
            j["fees"] = static_cast<double>(m.fees) * per_tick_lot;
            j["volume"] = m.volume;
            j["events"] = m.events;
            j["fills"] = m.fills;
            j["orders_sent"] = m.orders_sent;
            j["cancels_sent"] = m.cancels_sent;
            j["risk_rejects"] = m.risk_rejects;
            j["working_orders"] = m.working_orders;
            j["halted"] = m.halted;
            const auto quote = [&](const jsonl_quote& q) {
                return q.active ? ordered_json{{"price", px(q.px)}, {"size", q.size}, {"leaves", q.leaves}} : ordered_json(nullptr);
            };
            j["bid_quote"] = quote(m.bid);
            j["ask_quote"] = quote(m.ask);
            j["quote_spread"] = px_or_null(m.bid.active && m.ask.active, m.ask.px - m.bid.px);
            j["best_bid"] = px_or_null(m.has_bid, m.best_bid);
            j["best_ask"] = px_or_null(m.has_ask, m.best_ask);
            j["market_spread"] = px_or_null(m.has_bid && m.has_ask, m.best_ask - m.best_bid);
            break;
        }
        case jsonl_type::connection_event: {
            const jsonl_connection& c = r.u.connection;
            set_str(j["event"], detail::jsonl_text(c.event, sizeof c.event));
            set_str(j["state"], detail::jsonl_text(c.state, sizeof c.state));
            set_str(j["detail"], detail::jsonl_text(c.detail, sizeof c.detail));
            break;
        }
    }
}

/// The JSON object of one record (a fresh object; see jsonl_fill). Throws std::bad_alloc.
[[nodiscard]] inline nlohmann::ordered_json jsonl_to_json(const jsonl_record& r, const instrument& inst) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    jsonl_fill(j, r, inst);
    return j;
}

/// Turns records into lines, keeping one JSON object per record type (and per trading action)
/// whose keys and strings are reused from line to line, so a line costs about one allocation
/// (the text) instead of one per key. The same text as jsonl_to_json(r).dump() (tested).
/// Thread-safety: one thread (the writer's).
class jsonl_formatter {
public:
    /// Formats with `inst`'s price scale.
    explicit jsonl_formatter(instrument inst) : inst_(std::move(inst)) {}
    /// Appends `r`'s line and a newline to `out`. Throws std::bad_alloc.
    void append(const jsonl_record& r, std::string& out) {
        nlohmann::ordered_json& j = r.type == jsonl_type::trading_event
                                        ? trade_[static_cast<std::size_t>(r.u.trade.action) % trade_slots]
                                        : by_type_[static_cast<std::size_t>(r.type) % type_slots];
        if (j.is_null()) j = nlohmann::ordered_json::object();
        jsonl_fill(j, r, inst_);
        out += j.dump();
        out += '\n';
    }

private:
    static constexpr std::size_t type_slots = 5;   // jsonl_type values
    static constexpr std::size_t trade_slots = 12; // trading_action values
    instrument inst_;
    nlohmann::ordered_json by_type_[type_slots];
    nlohmann::ordered_json trade_[trade_slots];
};

/// The JSONL event log: a file, a bounded SPSC queue and the writer thread that drains it.
/// Thread-safety: push() from one producer thread (the engine's); construction, stats() and
/// close() on that same thread. The writer thread is private.
///
/// The file is written as `path.partial`, flushed (fflush) after every batch of at most
/// `batch` whole lines, so after a crash `path.partial` holds every line written so far (a reader
/// drops a last line without its newline); close() writes session_end, fsyncs and renames it to
/// `path`, so `path` exists only complete.
class jsonl_log {
public:
    /// Opens `opt.path + ".partial"`, writes the session_start line (`session`'s keys after
    /// "type", "format", "version", "levels", "queue_capacity", "overflow"), starts the writer.
    /// Throws std::invalid_argument (a setting out of its range, named), std::runtime_error (the
    /// file cannot be created: path and reason), std::system_error (no thread).
    explicit jsonl_log(jsonl_options opt, const nlohmann::ordered_json& session = nlohmann::ordered_json::object())
        : opt_(std::move(opt)), q_(check(opt_)) {
        partial_ = opt_.path + ".partial";
        file_ = std::fopen(partial_.c_str(), "wb");
        if (file_ == nullptr) throw std::runtime_error(partial_ + ": cannot create the JSONL log: " + std::strerror(errno));
        nlohmann::ordered_json j;
        j["type"] = "session_start";
        j["format"] = "pinnacle-jsonl";
        j["version"] = 1;
        j["levels"] = opt_.levels;
        j["queue_capacity"] = q_.capacity();
        j["overflow"] = opt_.overflow == jsonl_overflow::block ? "block" : "drop";
        if (session.is_object())
            for (const auto& [k, v] : session.items()) j[k] = v;
        const std::string line = j.dump() + "\n";
        if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
            std::fclose(file_);
            std::remove(partial_.c_str());
            throw std::runtime_error(partial_ + ": cannot write the JSONL log: " + std::strerror(errno));
        }
        lines_ = 1;
        writer_ = std::thread([this] { write_loop(); });
    }
    jsonl_log(const jsonl_log&) = delete;
    jsonl_log& operator=(const jsonl_log&) = delete;
    /// Closes the log if close() was not called (errors are then lost: call close()).
    ~jsonl_log() { (void)close(); }

    /// Producer (hot path): copies `r` into the queue; never allocates, never formats. On a full
    /// queue: block policy yields until there is room (returns true), drop policy counts it in
    /// dropped and returns false. False also after close().
    bool push(const jsonl_record& r) noexcept {
        if (closed_) return false;
        if (q_.try_push(r) == status::ok) {
            ++enqueued_;
            return true;
        }
        if (opt_.overflow == jsonl_overflow::drop) {
            ++dropped_;
            return false;
        }
        ++waits_;
        // Yield a few times, then sleep in short steps: the writer needs the CPU more than we do.
        for (int spins = 0; q_.try_push(r) != status::ok; ++spins) {
            if (spins < 16) std::this_thread::yield();
            else std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        ++enqueued_;
        return true;
    }

    /// Stops the writer after it wrote every queued record, appends the session_end line
    /// (`jsonl_dropped`, `records`, `waits`), fsyncs, closes and renames `path.partial` to
    /// `path`. Returns "" or what failed (path and reason); a second call returns "".
    [[nodiscard]] std::string close() noexcept {
        if (closed_) return {};
        closed_ = true;
        stop_.store(true, std::memory_order_release);
        if (writer_.joinable()) writer_.join();
        lines_ += written_;
        std::string err = std::move(error_);
        try {
            nlohmann::ordered_json j;
            j["type"] = "session_end";
            j["ts"] = last_ts_;
            j["records"] = enqueued_;
            j["jsonl_dropped"] = dropped_;
            j["waits"] = waits_;
            const std::string line = j.dump() + "\n";
            if (err.empty() && std::fwrite(line.data(), 1, line.size(), file_) != line.size()) err = partial_ + ": write failed: " + std::strerror(errno);
            else ++lines_;
        } catch (...) {
            if (err.empty()) err = partial_ + ": out of memory writing session_end";
        }
        if (err.empty() && (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)) err = partial_ + ": flush failed: " + std::strerror(errno);
        if (std::fclose(file_) != 0 && err.empty()) err = partial_ + ": close failed: " + std::strerror(errno);
        file_ = nullptr;
        if (err.empty() && std::rename(partial_.c_str(), opt_.path.c_str()) != 0)
            err = partial_ + ": cannot rename to " + opt_.path + ": " + std::strerror(errno);
        return err;
    }

    /// The counts so far (producer side); `lines` is final after close().
    [[nodiscard]] jsonl_stats stats() const noexcept { return jsonl_stats{enqueued_, dropped_, waits_, lines_}; }
    /// The settings.
    [[nodiscard]] const jsonl_options& options() const noexcept { return opt_; }
    /// Notes the latest event time (ns), written as session_end's "ts".
    void observe(std::int64_t ts) noexcept {
        if (ts > last_ts_) last_ts_ = ts;
    }

private:
    static std::size_t check(const jsonl_options& o) {
        if (o.path.empty()) throw std::invalid_argument("jsonl_options.path is empty");
        if (o.levels < 1 || o.levels > jsonl_max_levels)
            throw std::invalid_argument("jsonl_options.levels must be in [1, " + std::to_string(jsonl_max_levels) + "], got " + std::to_string(o.levels));
        if (o.queue_capacity < 2 || o.queue_capacity > (std::size_t{1} << 24))
            throw std::invalid_argument("jsonl_options.queue_capacity must be in [2, 2^24], got " + std::to_string(o.queue_capacity));
        if (o.batch < 1 || o.batch > (std::size_t{1} << 20))
            throw std::invalid_argument("jsonl_options.batch must be in [1, 2^20], got " + std::to_string(o.batch));
        return o.queue_capacity;
    }

    // The writer thread: pops up to `batch` records, formats them into one buffer, writes and
    // flushes it; when the queue is empty it sleeps briefly (the producer never signals, so a push
    // costs no system call). After stop_ it drains what is left and returns. After an I/O error it
    // keeps draining (and discarding) so a blocked producer is never stuck.
    void write_loop() noexcept {
        std::string buf;
        jsonl_formatter fmt(opt_.inst);
        jsonl_record r{};
        std::uint64_t lines = 0;
        bool failed = false;
        int idle = 0;
        for (;;) {
            std::size_t n = 0;
            buf.clear();
            while (n < opt_.batch && q_.try_pop(r)) {
                ++n;
                if (failed) continue;
                try {
                    fmt.append(r, buf);
                } catch (...) {
                    failed = true;
                    error_ = partial_ + ": out of memory formatting a line";
                }
            }
            if (n > 0) {
                idle = 0;
                if (!failed) {
                    if (std::fwrite(buf.data(), 1, buf.size(), file_) != buf.size() || std::fflush(file_) != 0) {
                        failed = true;
                        error_ = partial_ + ": write failed: " + std::strerror(errno);
                    } else {
                        lines += n;
                    }
                }
                continue;
            }
            if (stop_.load(std::memory_order_acquire)) {
                if (q_.size_approx() == 0) break;  // every push happened before stop_ was set
                continue;
            }
            if (++idle < 64) std::this_thread::yield();
            else std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        written_ = lines;  // read by the producer only after join()
    }

    jsonl_options opt_;
    spsc_queue<jsonl_record> q_;
    std::string partial_;
    std::FILE* file_ = nullptr;
    std::thread writer_;
    std::atomic<bool> stop_{false};
    std::string error_;       // the writer's; read after join()
    std::uint64_t written_ = 0; // the writer's line count; read after join()
    std::uint64_t enqueued_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t waits_ = 0;
    std::uint64_t lines_ = 0;
    std::int64_t last_ts_ = 0;
    bool closed_ = false;
};

} // namespace v0
} // namespace pinnacle
