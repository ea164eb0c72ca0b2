#pragma once
/// @file json_report.hpp
/// The examples' `--json` reports, built with nlohmann_json (ordered objects: keys in the order
/// written, as the reports always had) instead of by hand: strings escaped, NaN and infinities
/// written as null (never invalid JSON), doubles in shortest round-trip form. The library's apps
/// layer stays dependency free; only the example programs link nlohmann_json.

#include <string>

#include <nlohmann/json.hpp>

#include "pinnacle/apps/lobster_backtest.hpp"

namespace pinnacle_examples {

/// A JSON object whose keys keep their insertion order.
using json = nlohmann::ordered_json;

/// `j` as the text the examples write: two-space indents, one trailing newline.
[[nodiscard]] inline std::string json_text(const json& j) { return j.dump(2) + "\n"; }

/// A backtest report with the keys of backtest_report's fields (rejects_by_reason as an object;
/// the kill-switch fields only when the switch fired; `seconds` and `events_per_second`, which
/// are not deterministic, only when `with_timing`).
[[nodiscard]] inline json backtest_report_json(const pinnacle::backtest_report& r, bool with_timing = true) {
    json j;
    j["events"] = r.events;
    j["quotes"] = r.quotes;
    j["cancels"] = r.cancels;
    j["quotes_held"] = r.quotes_held;
    j["fills"] = r.fills;
    j["order_to_trade"] = r.order_to_trade;
    j["round_trips"] = r.round_trips;
    j["losing_round_trips"] = r.losing_round_trips;
    j["fill_ratio"] = r.fill_ratio;
    j["position"] = r.position;
    j["max_position"] = r.max_position;
    j["min_position"] = r.min_position;
    j["mean_position"] = r.mean_position;
    j["mean_abs_position"] = r.mean_abs_position;
    j["volume"] = r.volume;
    j["realized_pnl"] = r.realized_pnl;
    j["total_pnl"] = r.total_pnl;
    j["fees"] = r.fees;
    j["max_drawdown"] = r.max_drawdown;
    j["sharpe"] = r.sharpe;
    j["risk_rejects"] = r.risk_rejects;
    json reasons = json::object();
    for (const auto& [k, v] : r.rejects_by_reason) reasons[k] = v;
    j["rejects_by_reason"] = std::move(reasons);
    j["breaker_trips"] = r.breaker_trips;
    j["alerts"] = r.alerts;
    j["hedges"] = r.hedges;
    j["book_rejects"] = r.book_rejects;
    j["slid_in"] = r.slid_in;
    j["stale_levels"] = r.stale_levels;
    j["final_bid"] = r.final_bid;
    j["final_ask"] = r.final_ask;
    j["halts"] = r.halts;
    j["working_orders_at_end"] = r.working_orders_at_end;
    j["ledger_overflowed"] = r.ledger_overflowed;
    if (r.kill_switch) {
        j["orders_sent_after_kill"] = r.orders_sent_after_kill;
        j["kill_to_flat_ns"] = r.kill_to_flat_ns;
    }
    if (!r.state_hash.empty()) j["state_hash"] = r.state_hash;  // journaled runs: 16 hex digits
    if (with_timing) {
        j["seconds"] = r.seconds;
        j["events_per_second"] = r.events_per_second;
    }
    return j;
}

} // namespace pinnacle_examples
