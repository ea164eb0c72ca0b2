// route_order: one parent order routed with each routing algorithm (BEST_PRICE, LIQUIDITY_SWEEP,
// TWAP, VWAP, MARKET_IMPACT = Almgren-Chriss) over N simulated venues fed by one real NASDAQ day
// (LOBSTER), fragmented across them order by order (route_order_venues.hpp). Each algorithm gets a
// fresh replay from the first message; decisions happen at event times (routing_session::step
// before each message). Prints the venues, the parent and one row per algorithm.
//
//   route_order [--messages F [--orderbook F]] [--venues N] [--side buy|sell] [--qty LOTS]
//               [--start SECONDS] [--minutes M] [--limit-bps B] [--json FILE] [options]
//
// With no arguments it runs on the bundled AMZN 2012-06-21 day (LOBSTER level 1).
// Exit 0 on success, 2 on bad flags or bad input (naming the flag, or file:line), 1 when an
// internal check fails (the venues no longer add up to the reconciled book, a fill beyond the
// limit, more filled than the parent, a report lost).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "json_report.hpp"
#include "pinnacle/apps/output_file.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/route/controls.hpp"
#include "pinnacle/route/scheduled_router.hpp"
#include "pinnacle/route/schedules.hpp"
#include "pinnacle/route/routing_session.hpp"
#include "route_order_venues.hpp"

#ifndef PINNACLE_EXAMPLES_DATA_DIR
#define PINNACLE_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace {

using namespace pinnacle;
using pinnacle_examples::bad_flag;
using pinnacle_examples::parse_double;
using pinnacle_examples::parse_int;
using pinnacle_examples::parse_unsigned;
using route_order::fragmented_market;
using route_order::max_venues;
using route_order::venue_profiles;
using route_order::venue_t;

constexpr std::size_t max_children = 64;  // working children per parent (routing_session cancels up to 64)
constexpr std::size_t max_slices = 256;   // TWAP / VWAP / Almgren-Chriss slices
constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t ns_per_min = 60 * ns_per_s;

constexpr const char* usage =
    "usage: route_order [--messages F [--orderbook F]] [options]\n"
    "data\n"
    "  --messages F           LOBSTER message file (default: bundled AMZN 2012-06-21 level 1)\n"
    "  --orderbook F          its orderbook file; keeps the book exact beyond the reported depth\n"
    "  --levels L             depth L of a message file without orderbook (default: from the name)\n"
    "venues\n"
    "  --venues N             venues the day is split across, 2..8 (default 3)\n"
    "  --venue-shares a,b,..  share of the orders per venue, N values >= 0 (default equal)\n"
    "parent order\n"
    "  --side buy|sell        (default buy)\n"
    "  --qty LOTS             shares (default 2% of the file's visible executed volume, to 100)\n"
    "  --start SECONDS        start, seconds after midnight (default 36000 = 10:00, or the data's\n"
    "                         start + 10% of its span when the file does not reach 10:00 + window)\n"
    "  --minutes M            window length, may be fractional (default 30, cut to the data's end)\n"
    "  --limit-bps B          limit = arrival mid +/- B bps (default 50)\n"
    "controls\n"
    "  --max-slippage-bps B   no child priced beyond arrival +/- B bps (default off)\n"
    "  --max-venue-share F    most of the parent at one venue, 0 < F <= 1 (default 1)\n"
    "  --latency-penalty T    effective-price penalty, ticks per ms of venue latency (default 0)\n"
    "algorithms\n"
    "  --slices N             TWAP / VWAP / Almgren-Chriss slices, 1..256 (default 20)\n"
    "  --randomise F          TWAP size and time randomisation, 0..0.5 (default 0)\n"
    "  --seed S               TWAP randomisation seed (default 0)\n"
    "  --profile-messages F   VWAP profile from this LOBSTER message file's executions (types 4\n"
    "                         and 5; default the same day, which makes the profile in-sample)\n"
    "  --lambda L             Almgren-Chriss risk aversion, 1/$ (default 1e-6, the paper's example)\n"
    "output\n"
    "  --json FILE            also write the results as JSON\n";

/// Everything the flags say (defaults as in `usage`; negative = "not given, derive it").
struct options {
    std::string messages;         ///< Message file.
    std::string orderbook;        ///< Orderbook file (may be empty).
    std::string profile;          ///< VWAP profile message file (empty: the same day).
    std::string json;             ///< JSON output path (empty: none).
    long long levels = -1;        ///< Depth L without an orderbook file (-1: from the name).
    std::size_t venues = 0;       ///< Venues (0: from --venue-shares, else 3).
    std::vector<double> shares;   ///< Order shares per venue (empty: equal).
    side sd = side::buy;          ///< Parent side.
    long long qty = 0;            ///< Parent size, lots (0: derived).
    double start_s = -1.0;        ///< Start, seconds after midnight (< 0: derived).
    double minutes = -1.0;        ///< Window, minutes (< 0: derived).
    double limit_bps = 50.0;      ///< Limit distance from the arrival mid, bps.
    double max_slippage_bps = -1.0; ///< route_controls::max_slippage_bps (< 0: off).
    double max_venue_share = 1.0; ///< route_controls::max_venue_share.
    double latency_penalty = 0.0; ///< route_controls::latency_penalty_ticks_per_ms.
    std::size_t slices = 20;      ///< Schedule slices.
    double randomise = 0.0;       ///< TWAP randomisation.
    std::uint64_t seed = 0;       ///< TWAP seed.
    double lambda = 1e-6;         ///< Almgren-Chriss risk aversion, 1/$.
};

/// A number in [lo, hi], or bad_flag.
double parse_range(std::string_view flag, const char* v, double lo, double hi) {
    const double d = parse_double(flag, v);
    if (d < lo || d > hi) {
        char range[64];
        std::snprintf(range, sizeof range, " must be from %g to %g", lo, hi);
        throw bad_flag{std::string(flag) + range + ", got '" + v + "'"};
    }
    return d;
}

/// Comma-separated numbers >= 0 (at least one > 0), or bad_flag.
std::vector<double> parse_shares(std::string_view flag, const char* v) {
    std::vector<double> out;
    std::string all(v);
    std::size_t at = 0;
    double sum = 0.0;
    while (true) {
        const std::size_t comma = all.find(',', at);
        const std::string one = all.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        const double d = parse_double(flag, one.c_str());
        if (d < 0.0) throw bad_flag{std::string(flag) + " values must be >= 0, got '" + one + "'"};
        out.push_back(d);
        sum += d;
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    if (!(sum > 0.0)) throw bad_flag{std::string(flag) + " needs a positive share somewhere"};
    return out;
}

/// Parses argv into options; throws bad_flag. Sets `help` for --help.
options parse_flags(int argc, char** argv, bool& help) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            help = true;
            return o;
        }
        if (a.substr(0, 2) != "--") throw bad_flag{"unexpected argument '" + std::string(a) + "'"};
        if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
        const char* v = argv[++i];
        if (a == "--messages") o.messages = v;
        else if (a == "--orderbook") o.orderbook = v;
        else if (a == "--levels") o.levels = parse_int(a, v, 1, 100000);
        else if (a == "--venues") o.venues = static_cast<std::size_t>(parse_int(a, v, 2, static_cast<long long>(max_venues)));
        else if (a == "--venue-shares") o.shares = parse_shares(a, v);
        else if (a == "--side") {
            const std::string_view s = v;
            if (s == "buy") o.sd = side::buy;
            else if (s == "sell") o.sd = side::sell;
            else throw bad_flag{"--side must be buy or sell, got '" + std::string(s) + "'"};
        } else if (a == "--qty") o.qty = parse_int(a, v, 1, pinnacle::bounds::max_qty_lots);  // core/bounds.hpp
        else if (a == "--start") o.start_s = parse_range(a, v, 0.0, 86'400.0);
        else if (a == "--minutes") {
            o.minutes = parse_range(a, v, 0.0, 24.0 * 60.0);
            if (!(o.minutes > 0.0)) throw bad_flag{"--minutes must be > 0"};
        } else if (a == "--limit-bps") {
            o.limit_bps = parse_range(a, v, 0.0, 10'000.0);
            if (!(o.limit_bps > 0.0)) throw bad_flag{"--limit-bps must be > 0"};
        } else if (a == "--max-slippage-bps") o.max_slippage_bps = parse_range(a, v, 0.0, 10'000.0);
        else if (a == "--max-venue-share") {
            o.max_venue_share = parse_range(a, v, 0.0, 1.0);
            if (!(o.max_venue_share > 0.0)) throw bad_flag{"--max-venue-share must be > 0"};
        } else if (a == "--latency-penalty") o.latency_penalty = parse_range(a, v, 0.0, 1e9);
        else if (a == "--slices") o.slices = static_cast<std::size_t>(parse_int(a, v, 1, static_cast<long long>(max_slices)));
        else if (a == "--randomise") o.randomise = parse_range(a, v, 0.0, 0.5);
        else if (a == "--seed") o.seed = parse_unsigned(a, v, 0, UINT64_MAX);
        else if (a == "--profile-messages") o.profile = v;
        else if (a == "--lambda") o.lambda = parse_range(a, v, 0.0, 1e9);
        else if (a == "--json") o.json = v;
        else throw bad_flag{"unknown flag '" + std::string(a) + "'"};
    }
    if (o.messages.empty() && !o.orderbook.empty()) throw bad_flag{"--orderbook needs --messages"};
    if (!o.shares.empty() && o.venues != 0 && o.shares.size() != o.venues)
        throw bad_flag{"--venue-shares has " + std::to_string(o.shares.size()) + " values for " + std::to_string(o.venues) + " venues"};
    if (!o.shares.empty() && (o.shares.size() < 2 || o.shares.size() > max_venues))
        throw bad_flag{"--venue-shares needs 2 to 8 values"};
    if (o.venues == 0) o.venues = o.shares.empty() ? 3 : o.shares.size();
    if (o.shares.empty()) o.shares.assign(o.venues, 1.0);
    return o;
}

/// "hh:mm:ss.mmm" of a time in ns after midnight.
std::string clock_time(timestamp t) {
    const std::int64_t ms = t.ns() / 1'000'000;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3'600'000),
                  static_cast<long long>(ms / 60'000 % 60), static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
    return buf;
}

/// Dollars of a price in ticks ($0.0001).
double dollars(double ticks) { return ticks / 10'000.0; }

/// The touch: best bid and ask (ticks; 0 = none) of the reference book after message `ts`.
struct touch {
    timestamp ts;         ///< Message time, ns.
    std::int64_t bid = 0; ///< Best bid, ticks (0: none).
    std::int64_t ask = 0; ///< Best ask, ticks (0: none).
    /// True when both sides exist.
    [[nodiscard]] bool two_sided() const noexcept { return bid > 0 && ask > 0; }
    /// Mid, ticks (bid + ask <= 2 x 10^10: the reader refuses prices beyond bounds::max_price_ticks).
    [[nodiscard]] double mid() const noexcept { return 0.5 * static_cast<double>(bid + ask); }
};

/// The market before time t (ns): the top of book after the last message stamped before t, or
/// nullptr when no message is.
const touch* state_before(const std::vector<touch>& tops, timestamp t) {
    const auto it = std::lower_bound(tops.begin(), tops.end(), t, [](const touch& a, timestamp b) { return a.ts < b; });
    return it == tops.begin() ? nullptr : &*(it - 1);
}

/// The last two-sided market before time t (ns), no older than `max_age` ns, or nullptr.
const touch* two_sided_before(const std::vector<touch>& tops, timestamp t, duration max_age) {
    const auto it = std::lower_bound(tops.begin(), tops.end(), t, [](const touch& a, timestamp b) { return a.ts < b; });
    for (auto k = it; k != tops.begin();) {
        --k;
        if (k->ts < t - max_age) break;
        if (k->two_sided()) return &*k;
    }
    return nullptr;
}

/// Almgren-Chriss inputs estimated from the data before the start (units: ticks, lots, minutes).
struct impact_estimate {
    double sigma = 0.0;          ///< Std dev of mid changes, ticks per sqrt(minute).
    double eta = 1.0;            ///< Temporary impact, ticks per (lot per minute).
    double half_spread = 0.0;    ///< Mean half-spread over the samples, ticks.
    double volume_per_min = 0.0; ///< Executed lots (types 4 + 5) per minute.
    double dt_s = 0.0;           ///< Sampling interval of the mid, seconds.
    std::size_t changes = 0;     ///< Mid changes the sigma is from.
    bool day_volume = false;     ///< Volume taken from the whole file (nothing traded before the start).
};

/// sigma: sample std dev of the mid's changes over a grid before `start` (1 minute when there are at
/// least 10 minutes of data, else a tenth of what there is), scaled to one minute by sqrt(60 s / dt).
/// eta: mean half-spread / executed volume per minute before the start (trading at the market's
/// own pace costs half the spread), the heuristic in the spirit of Almgren & Chriss (2000) 2.4.
impact_estimate estimate_impact(const lobster_day& day, const std::vector<touch>& tops, timestamp start) {
    impact_estimate est;
    const timestamp first = day.messages.front().ts;
    const std::int64_t pre = (start - first).ns();
    const std::int64_t dt = pre >= 10 * ns_per_min ? ns_per_min : pre / 10;
    std::vector<double> mids;
    double spread_sum = 0.0;
    std::size_t spread_n = 0;
    if (dt > 0) {
        const std::int64_t k_max = pre / dt;
        for (std::int64_t k = k_max; k >= 0; --k) {
            const touch* t = state_before(tops, start - duration{k * dt});
            if (t == nullptr || !t->two_sided()) continue;
            mids.push_back(t->mid());
            spread_sum += 0.5 * static_cast<double>(t->ask - t->bid);
            ++spread_n;
        }
        est.dt_s = static_cast<double>(dt) / 1e9;
    }
    if (mids.size() >= 3) {
        double mean = 0.0;
        for (std::size_t i = 1; i < mids.size(); ++i) mean += mids[i] - mids[i - 1];
        est.changes = mids.size() - 1;
        mean /= static_cast<double>(est.changes);
        double ss = 0.0;
        for (std::size_t i = 1; i < mids.size(); ++i) ss += (mids[i] - mids[i - 1] - mean) * (mids[i] - mids[i - 1] - mean);
        est.sigma = std::sqrt(ss / static_cast<double>(est.changes - 1)) * std::sqrt(60.0 / est.dt_s);
    }
    if (spread_n > 0) est.half_spread = spread_sum / static_cast<double>(spread_n);
    else if (const touch* t = state_before(tops, start); t != nullptr && t->two_sided())
        est.half_spread = 0.5 * static_cast<double>(t->ask - t->bid);
    double vol = 0.0;
    double day_vol = 0.0;
    for (const market_event& e : day.messages) {
        if (e.type != event_type::execute && e.type != event_type::execute_hidden) continue;
        day_vol += static_cast<double>(e.size.lots());
        if (e.ts < start) vol += static_cast<double>(e.size.lots());
    }
    if (vol > 0.0 && pre > 0) {
        est.volume_per_min = vol / (static_cast<double>(pre) / static_cast<double>(ns_per_min));
    } else {
        const double span = static_cast<double>((day.messages.back().ts - first).ns()) / static_cast<double>(ns_per_min);
        est.volume_per_min = span > 0.0 ? day_vol / span : 0.0;
        est.day_volume = true;
    }
    if (est.volume_per_min > 0.0 && est.half_spread > 0.0) est.eta = est.half_spread / est.volume_per_min;
    return est;
}

/// Lots, fees and children of one algorithm at one venue.
struct venue_fill {
    std::int64_t lots = 0;      ///< Lots filled.
    std::int64_t fees = 0;      ///< Fees, tick-lots (negative = rebates).
    std::size_t fills = 0;      ///< Fill reports.
    std::size_t children = 0;   ///< Children the venue accepted.
    std::size_t children_filled = 0; ///< Children with at least one fill.
    order_id last_filled;       ///< ClOrdID of the last fill (an IOC's fills arrive together).
};

/// The outcome of routing the parent with one algorithm.
struct algo_result {
    std::string name;                             ///< Algorithm.
    parent_state state = parent_state::working;   ///< Final parent state.
    std::int64_t filled = 0;                      ///< Lots filled.
    double avg_px = 0.0;                          ///< Average fill price, ticks.
    double is_bps = 0.0;                          ///< Shortfall vs arrival, fees included, bps.
    double is_ex_fee_bps = 0.0;                   ///< Shortfall vs arrival, fees excluded, bps.
    double opp_bps = 0.0;                         ///< Opportunity cost of the unfilled lots at the mid at the deadline, bps.
    std::int64_t fees = 0;                        ///< Fees, tick-lots.
    routing_counters counters{};                  ///< Session counters.
    std::array<venue_fill, max_venues> per_venue{}; ///< Per venue.
    std::int64_t worst_px = 0;                    ///< Worst fill price, ticks (0: no fill).
    std::size_t beyond_limit = 0;                 ///< Fills priced beyond the parent's limit (must be 0).
    std::size_t messages = 0;                     ///< Messages replayed before the run could stop.
    timestamp ended;                              ///< Time of the last step, ns.
    std::size_t dropped_reports = 0;              ///< Reports the venues dropped (must be 0).
    std::size_t impact_overflows = 0;             ///< Taker fills whose impact the venues could not record.
    std::string error;                            ///< An internal check that failed (empty: none).
};

/// Records each report a routing_session polls (per-venue fills, fees, limit check).
struct fill_log {
    algo_result* r;   ///< Where to record.
    side sd;          ///< Parent side.
    price limit;      ///< Parent limit, ticks.
    /// routed_report_sink callback.
    static void on_report(void* ctx, std::uint32_t v, const execution_report& rep) noexcept {
        auto* self = static_cast<fill_log*>(ctx);
        if (rep.type != exec_type::fill || v >= max_venues) return;
        algo_result& r = *self->r;
        venue_fill& f = r.per_venue[v];
        f.lots += rep.last_qty.lots();
        f.fees += rep.fee.tick_lots();
        ++f.fills;
        if (f.fills == 1 || rep.cl_ord_id != f.last_filled) ++f.children_filled;
        f.last_filled = rep.cl_ord_id;
        const std::int64_t px = rep.last_px.ticks();
        if (r.worst_px == 0 || (self->sd == side::buy ? px > r.worst_px : px < r.worst_px)) r.worst_px = px;
        if (self->sd == side::buy ? rep.last_px > self->limit : rep.last_px < self->limit) ++r.beyond_limit;
    }
};

/// What every run shares: the day, how it is split, the parent and the controls.
struct run_setup {
    const lobster_day* day = nullptr; ///< The day.
    std::size_t depth = 0;            ///< L levels the data vouches for (0: all).
    std::vector<double> shares;       ///< Venue shares.
    parent_order parent{};            ///< The parent.
    double latency_penalty = 0.0;     ///< Ticks per ms (consolidated view).
    price mark;                       ///< Mid at the deadline (or the data's end), for the opportunity cost.
};

/// Routes the parent with `router` over a fresh fragmented replay of the day: each message's time
/// is a decision point (venues advance, then session.step), until the parent is done and its
/// children's reports are in, or the data ends (then the deadline passes with no more data).
template <class Router>
algo_result run_algorithm(const char* name, Router& router, const run_setup& s) {
    algo_result res;
    res.name = name;
    fragmented_market m(*s.day, s.depth, s.shares, true);
    routing_session<Router, venue_t, l3_book, max_venues> session(router, s.latency_penalty);
    for (std::size_t v = 0; v < m.venues(); ++v)
        if (session.add_venue(m.venue(v), m.book(v), route_order::costs_of(venue_profiles[v])) != status::ok) {
            res.error = "routing_session refused venue " + std::to_string(v);
            return res;
        }
    fill_log log{&res, s.parent.side, s.parent.limit};
    session.set_report_sink(routed_report_sink{&fill_log::on_report, &log});
    session.start(s.parent);
    const auto finished = [&] { return is_done(router.state()) && router.tracker().working_children() == 0; };
    bool deadline_seen = false;
    bool done = false;
    while (!m.at_end()) {
        const timestamp t = m.peek().ts;
        if (t >= s.parent.start) {
            if (!deadline_seen && t >= s.parent.deadline) {  // expire exactly at the deadline
                m.advance(s.parent.deadline);
                (void)session.step(s.parent.deadline);
                deadline_seen = true;
            }
            m.advance(t);
            (void)session.step(t);
            res.ended = t;
            if (finished()) {
                done = true;
                break;
            }
        }
        if (!m.step()) {
            res.error = m.error();
            return res;
        }
    }
    // The data ended first: the books stay as they are; let the deadline pass and the reports in.
    if (!done) {
        timestamp t = std::max(s.day->messages.back().ts + duration{1}, s.parent.deadline);
        for (int k = 0; k < 10 && !finished(); ++k, t = t + duration{ns_per_s}) {
            m.advance(t);
            (void)session.step(t);
            res.ended = t;
        }
    }
    const auto& tr = router.tracker();
    res.state = tr.state();
    res.filled = tr.filled().lots();
    res.avg_px = tr.average_price();
    res.is_bps = tr.shortfall_bps(true);
    res.is_ex_fee_bps = tr.shortfall_bps(false);
    res.opp_bps = tr.opportunity_cost_bps(s.mark);
    res.fees = tr.fees().tick_lots();
    res.counters = session.counters();
    res.messages = m.stats().events;
    std::int64_t per_venue_sum = 0;
    for (std::size_t v = 0; v < m.venues(); ++v) {
        res.per_venue[v].children = session.children_at(v);
        per_venue_sum += res.per_venue[v].lots;
        res.dropped_reports += m.venue(v).dropped_reports();
        res.impact_overflows += m.venue(v).impact_overflows();
    }
    if (res.beyond_limit != 0) res.error = std::to_string(res.beyond_limit) + " fills beyond the parent's limit";
    else if (res.filled > s.parent.total.lots()) res.error = "filled more than the parent's quantity";
    else if (per_venue_sum != res.filled) res.error = "fills reported by the venues do not add up to the parent's filled quantity";
    else if (res.dropped_reports != 0) res.error = "a venue dropped execution reports";
    else if (!finished()) res.error = "children still working after the end of the run";
    return res;
}

/// The results as a JSON document (nlohmann_json, keys in the order written).
std::string to_json(const options& o, const run_setup& s, const fragmented_market& shape, const std::vector<algo_result>& rows) {
    using pinnacle_examples::json;
    json out;
    out["messages"] = o.messages;
    out["parent"] = json{{"side", s.parent.side == side::buy ? "buy" : "sell"},
                         {"qty", s.parent.total.lots()},
                         {"start_ns", s.parent.start.ns()},
                         {"deadline_ns", s.parent.deadline.ns()},
                         {"arrival_ticks", s.parent.arrival.ticks()},
                         {"limit_ticks", s.parent.limit.ticks()}};
    json venues = json::array();
    for (std::size_t v = 0; v < shape.venues(); ++v) {
        const auto& p = venue_profiles[v];
        venues.push_back(json{{"name", p.name},
                              {"kind", p.kind},
                              {"latency_ns", p.latency_ns},
                              {"take_ticks_per_lot", p.take_ticks},
                              {"make_ticks_per_lot", p.make_ticks},
                              {"share", shape.share(v)}});
    }
    out["venues"] = std::move(venues);
    json algos = json::array();
    for (const algo_result& r : rows) {
        json a;
        a["algorithm"] = r.name;
        a["state"] = std::string(to_string(r.state));
        a["filled"] = r.filled;
        a["avg_price_ticks"] = r.avg_px;
        a["shortfall_bps"] = r.is_bps;
        a["shortfall_ex_fees_bps"] = r.is_ex_fee_bps;
        a["opportunity_bps"] = r.opp_bps + 0.0;
        a["fees_tick_lots"] = r.fees;
        a["children"] = static_cast<std::int64_t>(r.counters.children_sent);
        a["worst_price_ticks"] = r.worst_px;
        a["ended_ns"] = r.ended.ns();
        json filled = json::array(), children = json::array(), children_filled = json::array();
        for (std::size_t v = 0; v < shape.venues(); ++v) {
            filled.push_back(r.per_venue[v].lots);
            children.push_back(r.per_venue[v].children);
            children_filled.push_back(r.per_venue[v].children_filled);
        }
        a["venue_filled"] = std::move(filled);
        a["venue_children"] = std::move(children);
        a["venue_children_filled"] = std::move(children_filled);
        algos.push_back(std::move(a));
    }
    out["algorithms"] = std::move(algos);
    return pinnacle_examples::json_text(out);
}

/// Writes `text` to `path` crash-safely (temporary + fsync + rename, apps/output_file.hpp); says
/// why on stderr and returns false if it cannot.
bool write_file(const std::string& path, const std::string& text) {
    const std::string err = pinnacle::write_file_atomically(path, text);
    if (!err.empty()) std::fprintf(stderr, "route_order: %s\n", err.c_str());
    return err.empty();
}

/// "$0.0030/sh" or "-$0.0005/sh" for a fee in ticks per lot (1 share).
std::string fee_text(std::int64_t ticks) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s$%.4f/sh", ticks < 0 ? "-" : "", dollars(static_cast<double>(ticks < 0 ? -ticks : ticks)));
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    try {
        bool help = false;
        o = parse_flags(argc, argv, help);
        if (help) {
            std::fputs(usage, stdout);
            return 0;
        }
    } catch (const bad_flag& e) {
        std::fprintf(stderr, "route_order: %s\n%s", e.what.c_str(), usage);
        return 2;
    }
    if (o.messages.empty()) {
        o.messages = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_message_1.csv";
        o.orderbook = PINNACLE_EXAMPLES_DATA_DIR "/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";
    }

    // ---- input --------------------------------------------------------------------------------
    lobster_day day;
    std::vector<trade_print> trades;  // VWAP profile source: executions, types 4 and 5
    try {
        day = load_lobster_day(o.messages, o.orderbook, lobster_instrument(), trading_session{});  // times stay seconds after midnight, as route_order prints them
        if (day.messages.empty()) {
            std::fprintf(stderr, "route_order: %s has no messages\n", o.messages.c_str());
            return 2;
        }
        const std::vector<market_event> profile_events = o.profile.empty() ? std::vector<market_event>{} : load_lobster_messages(o.profile);
        for (const market_event& e : o.profile.empty() ? day.messages : profile_events)
            if (e.type == event_type::execute || e.type == event_type::execute_hidden) trades.push_back(trade_print{e.ts, e.size});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "route_order: %s\n", e.what());
        return 2;
    }
    const std::size_t depth = day.levels != 0 ? day.levels : o.levels > 0 ? static_cast<std::size_t>(o.levels) : lobster_levels_from_name(o.messages);
    const timestamp first = day.messages.front().ts;
    const timestamp last = day.messages.back().ts;

    // ---- one pass over the whole day: the invariant at every message, and the top of book ----------
    std::vector<touch> tops;
    tops.reserve(day.messages.size());
    route_order::fragment_stats day_stats;
    try {
        fragmented_market m(day, depth, o.shares, true);
        while (!m.at_end()) {
            const timestamp t = m.peek().ts;
            if (!m.step()) {
                std::fprintf(stderr, "route_order: internal check failed: the venues no longer add up to the reconciled book: %s\n",
                             m.error().c_str());
                return 1;
            }
            touch tb{t};
            if (const auto b = best_bid(m.reference())) tb.bid = b->px.ticks();
            if (const auto a = best_ask(m.reference())) tb.ask = a->px.ticks();
            tops.push_back(tb);
        }
        day_stats = m.stats();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "route_order: %s\n", e.what());
        return 1;
    }

    // ---- the parent -----------------------------------------------------------------------------
    const double window_default_min = 30.0;
    const auto to_ns = [](double seconds) { return timestamp{static_cast<std::int64_t>(std::llround(seconds * 1e9))}; };
    timestamp start;
    std::string start_note;
    if (o.start_s >= 0.0) {
        start = to_ns(o.start_s);
        if (start <= first || start >= last) {
            std::fprintf(stderr, "route_order: --start %.3f is outside the data (%.3f .. %.3f seconds after midnight)\n%s", o.start_s,
                         static_cast<double>(first.ns()) / 1e9, static_cast<double>(last.ns()) / 1e9, usage);
            return 2;
        }
    } else {
        const double window_min = o.minutes > 0.0 ? o.minutes : window_default_min;
        const timestamp ten = timestamp{36'000 * ns_per_s};
        if (first < ten && ten + duration{static_cast<std::int64_t>(window_min * 60e9)} <= last) {
            start = ten;
        } else {
            start = first + duration{(last - first).ns() / 10};
            start_note = "; start = the data's start + 10% of its span (it does not reach 10:00 + the window)";
        }
    }
    double minutes = o.minutes;
    std::string window_note;
    if (minutes <= 0.0) {
        minutes = window_default_min;
        if (start + duration{static_cast<std::int64_t>(minutes * 60e9)} > last) {
            minutes = static_cast<double>((last - start).ns()) / 60e9;
            window_note = ", cut to the data's end";
        }
    } else if (start + duration{static_cast<std::int64_t>(minutes * 60e9)} > last) {
        window_note = ", beyond the data's end: no market data after it, the parent expires at the deadline";
    }
    const timestamp deadline = start + duration{static_cast<std::int64_t>(std::llround(minutes * 60e9))};
    // A book rebuilt without an orderbook file can be one-sided for a moment: then the arrival mid
    // is the last two-sided one within a minute.
    const touch* at_start = two_sided_before(tops, start, duration{ns_per_min});
    if (at_start == nullptr) {
        std::fprintf(stderr, "route_order: no two-sided market in the minute before --start %s in %s: no arrival mid\n",
                     clock_time(start).c_str(), o.messages.c_str());
        return 2;
    }
    std::string arrival_note;
    if (at_start != state_before(tops, start)) arrival_note = " (one-sided at the start: mid of " + clock_time(at_start->ts) + ")";
    std::int64_t visible_volume = 0;
    for (const market_event& e : day.messages)
        if (e.type == event_type::execute) visible_volume += e.size.lots();
    std::int64_t total = o.qty;
    std::string qty_note;
    if (total <= 0) {
        total = std::max<std::int64_t>(100, (visible_volume * 2 / 100 + 50) / 100 * 100);
        qty_note = "2% of the file's visible executed volume (" + std::to_string(visible_volume) + " shares), to 100";
    }
    const auto arrival = static_cast<std::int64_t>(std::floor(at_start->mid()));
    const auto band = static_cast<std::int64_t>(std::floor(static_cast<double>(arrival) * o.limit_bps / 10'000.0));
    parent_order parent;
    parent.id = order_id{1'000'000};
    parent.side = o.sd;
    parent.total = qty{total};
    parent.arrival = price{arrival};
    parent.limit = price{o.sd == side::buy ? arrival + band : arrival - band};
    parent.start = start;
    parent.deadline = deadline;

    run_setup setup;
    setup.day = &day;
    setup.depth = depth;
    setup.shares = o.shares;
    setup.parent = parent;
    setup.latency_penalty = o.latency_penalty;
    const touch* at_end = two_sided_before(tops, std::min(deadline, last + duration{1}), duration{ns_per_min});
    setup.mark = at_end != nullptr && at_end->two_sided() ? price{static_cast<std::int64_t>(std::floor(at_end->mid()))} : parent.arrival;

    route_controls controls;
    controls.max_slippage_bps = o.max_slippage_bps;
    controls.max_venue_share = o.max_venue_share;
    controls.latency_penalty_ticks_per_ms = o.latency_penalty;

    // ---- schedules ------------------------------------------------------------------------------
    twap_scheduler twap;
    twap.slices = o.slices;
    twap.randomise = o.randomise;
    twap.seed = o.seed;

    vwap_scheduler<max_slices> vwap;
    vwap.buckets = o.slices;
    const duration bucket{(deadline - start).ns() / static_cast<std::int64_t>(o.slices)};
    const std::size_t profile_trades =
        volume_profile(std::span<const trade_print>(trades), start, bucket, std::span<double>(vwap.profile.data(), o.slices));

    const impact_estimate est = estimate_impact(day, tops, start);
    const double tick_value = 1e-4;  // $ per tick per lot (LOBSTER: $0.0001, 1 share)
    almgren_chriss_scheduler ac;
    ac.slices = o.slices;
    ac.horizon = minutes;  // model time unit: minutes
    ac.params.lambda = o.lambda * tick_value;  // 1/$ -> 1/(tick-lot): E + lambda V with money in tick-lots
    ac.params.sigma = est.sigma;
    ac.params.eta = est.eta;
    ac.params.gamma = 0.0;
    const double kappa = almgren_chriss_kappa(ac.params, minutes / static_cast<double>(o.slices));
    std::array<slice, max_slices> ac_slices{};
    const std::size_t n_ac = ac.build(parent, std::span<slice>(ac_slices));

    // ---- header ---------------------------------------------------------------------------------
    fragmented_market shape(day, depth, o.shares, true);  // for the venue table (nothing replayed)
    std::printf("route_order: %s%s%s (%s), %zu messages %s .. %s\n", o.messages.c_str(), o.orderbook.empty() ? " (no orderbook file)" : " + ",
                o.orderbook.c_str(), depth == 0 ? "all levels kept" : ("LOBSTER level " + std::to_string(depth)).c_str(), day.messages.size(),
                clock_time(first).c_str(), clock_time(last).c_str());
    std::printf("venues     %zu; each real order (add, cancels, executions) on one venue: splitmix64(order id) by share;\n"
                "           id-less liquidity (orderbook rows) split by share; hidden executions (id 0) and crosses by\n"
                "           splitmix64(time); taker impact on (liquidity our IOC children took stays taken)\n",
                shape.venues());
    std::printf("  venue  name   kind          latency  take fee     make fee     share  orders added\n");
    for (std::size_t v = 0; v < shape.venues(); ++v) {
        const auto& p = venue_profiles[v];
        std::printf("  %-5zu  %-5s  %-12s %5lld us  %-11s  %-11s %5.1f%%  %zu\n", v, p.name, p.kind, static_cast<long long>(p.latency_ns / 1000),
                    fee_text(p.take_ticks).c_str(), fee_text(p.make_ticks).c_str(), 100.0 * shape.share(v), day_stats.orders_added[v]);
    }
    std::printf("fragments  invariant held at all %zu messages: venue books summed per price = the reconciled book\n"
                "           (book rejects %zu, levels learned from rows %zu = %lld lots split by share, stale levels %zu,\n"
                "           reductions of ids never added %zu, of which %zu took anonymous lots from several venues)\n",
                day_stats.events, day_stats.rejected, day_stats.levels_learned, static_cast<long long>(day_stats.anonymous_lots),
                day_stats.stale_levels, day_stats.unknown_reductions, day_stats.split_reductions);
    if (day_stats.rejected > 0)  // the table alone would hide it: say so where errors go
        std::fprintf(stderr, "route_order: warning: the book refused %zu of %zu messages (book rejects): the data disagrees "
                             "with the book\n", day_stats.rejected, day_stats.events);
    std::printf("parent     %s %lld shares, %s .. %s (%.4g min%s%s)\n", o.sd == side::buy ? "BUY" : "SELL", static_cast<long long>(total),
                clock_time(start).c_str(), clock_time(deadline).c_str(), minutes, window_note.c_str(), start_note.c_str());
    std::printf("           arrival mid $%.4f (%lld ticks)%s, limit $%.4f (%s%g bps), mid at the deadline $%.4f\n",
                dollars(static_cast<double>(arrival)), static_cast<long long>(arrival), arrival_note.c_str(),
                dollars(static_cast<double>(parent.limit.ticks())), o.sd == side::buy ? "+" : "-", o.limit_bps,
                dollars(static_cast<double>(setup.mark.ticks())));
    if (!qty_note.empty()) std::printf("           qty: %s\n", qty_note.c_str());
    std::printf("controls   max slippage %s, max venue share %g, latency penalty %g ticks/ms\n",
                o.max_slippage_bps < 0 ? "off" : (std::to_string(o.max_slippage_bps) + " bps").c_str(), o.max_venue_share, o.latency_penalty);
    std::printf("TWAP       %zu slices, randomise %g, seed %llu\n", o.slices, o.randomise, static_cast<unsigned long long>(o.seed));
    std::printf("VWAP       %zu buckets from %zu executions (types 4+5) in the window of %s%s\n", o.slices, profile_trades,
                o.profile.empty() ? o.messages.c_str() : o.profile.c_str(),
                o.profile.empty() || o.profile == o.messages ? ": the same day, so the profile is in-sample" : "");
    if (profile_trades == 0) std::printf("           no executions in the window: equal slices\n");
    std::printf("MARKET_IMPACT  Almgren-Chriss (2000), time in minutes: sigma %.1f ticks/sqrt(min) = std dev of %zu mid changes\n"
                "           every %.3g s before the start, scaled to 1 min; eta %.4g ticks per lot/min = mean half-spread %.1f ticks\n"
                "           / %.1f lots per minute executed (types 4+5, %s); gamma 0; lambda %g/$ = %g per tick-lot\n"
                "           -> kappa %.4g/min, kappa*T %.3g, first slice %.1f%% of the parent (TWAP: %.1f%%)\n",
                est.sigma, est.changes, est.dt_s, est.eta, est.half_spread, est.volume_per_min,
                est.day_volume ? "whole file: nothing traded before the start" : "before the start", o.lambda, ac.params.lambda, kappa,
                kappa * minutes, n_ac > 0 ? 100.0 * static_cast<double>(ac_slices[0].size.lots()) / static_cast<double>(total) : 0.0,
                100.0 / static_cast<double>(o.slices));

    // ---- the runs -------------------------------------------------------------------------------
    std::vector<algo_result> rows;
    try {
        {
            best_price_router<max_venues, max_children> r(controls);
            rows.push_back(run_algorithm("BEST_PRICE", r, setup));
        }
        {
            liquidity_sweep_router<max_venues, max_children> r(controls);
            rows.push_back(run_algorithm("LIQUIDITY_SWEEP", r, setup));
        }
        {
            twap_router<max_venues, max_children, max_slices> r(controls, twap);
            rows.push_back(run_algorithm("TWAP", r, setup));
        }
        {
            vwap_router<max_venues, max_children, max_slices> r(controls, vwap);
            rows.push_back(run_algorithm("VWAP", r, setup));
        }
        {
            almgren_chriss_router<max_venues, max_children, max_slices> r(controls, ac);
            rows.push_back(run_algorithm("MARKET_IMPACT", r, setup));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "route_order: %s\n", e.what());
        return 1;
    }

    // ---- the table ------------------------------------------------------------------------------
    std::printf("\n%-16s %-16s %13s %10s %7s %7s %7s %8s %8s %6s %10s %12s  %s\n", "algorithm", "state", "filled/qty", "avg price",
                "IS bps", "ex-fee", "opp bps", "fees $", "children", "empty", "worst fill", "ended", "venues: share of filled");
    bool failed = false;
    for (const algo_result& r : rows) {
        char filled[32];
        std::snprintf(filled, sizeof filled, "%lld/%lld", static_cast<long long>(r.filled), static_cast<long long>(total));
        std::string venues_used;
        for (std::size_t v = 0; v < shape.venues(); ++v) {
            if (r.per_venue[v].lots <= 0) continue;
            char one[32];
            std::snprintf(one, sizeof one, "%s%s %.1f%%", venues_used.empty() ? "" : "  ", venue_profiles[v].name,
                          100.0 * static_cast<double>(r.per_venue[v].lots) / static_cast<double>(r.filled));
            venues_used += one;
        }
        if (venues_used.empty()) venues_used = "-";
        std::size_t with_fill = 0;
        for (const venue_fill& f : r.per_venue) with_fill += f.children_filled;
        std::printf("%-16s %-16s %13s %10.4f %7.2f %7.2f %7.2f %8.2f %8zu %6zu %10.4f %12s  %s\n", r.name.c_str(),
                    std::string(to_string(r.state)).c_str(), filled, dollars(r.avg_px), r.is_bps + 0.0, r.is_ex_fee_bps + 0.0,
                    r.opp_bps + 0.0, dollars(static_cast<double>(r.fees)), r.counters.children_sent, r.counters.children_sent - with_fill,
                    dollars(static_cast<double>(r.worst_px)), clock_time(r.ended).c_str(), venues_used.c_str());
        if (!r.error.empty()) failed = true;
    }
    std::printf("IS = implementation shortfall of the filled part vs the arrival mid (Perold 1988), fees included; ex-fee without;\n"
                "opp bps = unfilled lots marked at the mid at the deadline, bps of the parent's arrival notional;\n"
                "empty = children that filled nothing (IOC cancelled); ended = time of the last decision step\n");
    std::printf("children per venue:");
    for (const algo_result& r : rows) {
        std::printf("  %s", r.name.c_str());
        for (std::size_t v = 0; v < shape.venues(); ++v) std::printf("%s%zu", v == 0 ? " " : "/", r.per_venue[v].children);
    }
    std::printf("\nmessages replayed per run (stops once the parent is done and its reports are in):");
    for (const algo_result& r : rows) std::printf(" %zu", r.messages);
    std::printf("\n");
    std::size_t overflows = 0;
    for (const algo_result& r : rows) overflows += r.impact_overflows;
    if (overflows != 0) std::printf("warning: %zu taker fills' impact was not recorded (simulated_venue impact slots full)\n", overflows);

    if (!o.json.empty() && !write_file(o.json, to_json(o, setup, shape, rows))) return 2;
    if (failed) {
        for (const algo_result& r : rows)
            if (!r.error.empty()) std::fprintf(stderr, "route_order: internal check failed: %s: %s\n", r.name.c_str(), r.error.c_str());
        return 1;
    }
    std::printf("checks: venues add up to the reconciled book at every message; every fill within the limit $%.4f; "
                "filled <= qty; fills per venue add up; no report lost\n",
                dollars(static_cast<double>(parent.limit.ticks())));
    return 0;
}
