#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.hpp"
#include "pinnacle/risk/alerts.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"

using namespace pinnacle;

namespace {
alert make(std::int64_t ts, alert_type t, alert_severity s, std::int64_t code = 0) {
    return make_alert(timestamp{ts}, t, s, code, 0.0, "test");
}
} // namespace

TEST_CASE("alerts name every type and severity distinctly") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < alert_type_count; ++i) names.insert(to_string(static_cast<alert_type>(i)));
    CHECK(names.size() == alert_type_count);
    CHECK(names.count("unknown") == 0);
    CHECK(to_string(alert_type::var_breach) == "var_breach");
    names.clear();
    for (std::size_t i = 0; i < alert_severity_count; ++i) names.insert(to_string(static_cast<alert_severity>(i)));
    CHECK(names == std::set<std::string_view>{"info", "warning", "critical", "emergency"});
    CHECK(alert_severity::info < alert_severity::warning);
    CHECK(alert_severity::critical < alert_severity::emergency);
}

TEST_CASE("alert text is NUL-terminated and truncated safely") {
    alert a{};
    CHECK(a.text_view().empty());
    CHECK_FALSE(a.set_text("kill switch fired"));
    CHECK(a.text_view() == "kill switch fired");

    const std::string fits(95, 'x');
    CHECK_FALSE(a.set_text(fits));
    CHECK(a.text_view() == fits);
    CHECK(a.text[95] == '\0');

    const std::string longer(200, 'y');
    CHECK(a.set_text(longer));
    CHECK(a.text_view() == std::string(95, 'y'));
    CHECK(a.text[95] == '\0');

    CHECK_FALSE(a.set_text("short"));  // a shorter text clears the rest of the old one
    CHECK(a.text_view() == "short");
    for (std::size_t i = 5; i < alert::text_capacity; ++i) CHECK(a.text[i] == '\0');

    // 94 ASCII bytes then a 2-byte character (e-acute, C3 A9): byte 95 would split it, so it is dropped whole.
    const std::string utf8 = std::string(94, 'z') + "\xC3\xA9" + "tail";
    CHECK(a.set_text(utf8));
    CHECK(a.text_view() == std::string(94, 'z'));
    const std::string utf8_fit = std::string(93, 'z') + "\xC3\xA9" + "tail";  // the character fits in 95
    CHECK(a.set_text(utf8_fit));
    CHECK(a.text_view() == std::string(93, 'z') + "\xC3\xA9");

    const alert m = make_alert(timestamp{5}, alert_type::latency, alert_severity::warning, 3, 1.5, longer);
    CHECK(m.ts == timestamp{5});
    CHECK(m.type == alert_type::latency);
    CHECK(m.severity == alert_severity::warning);
    CHECK(m.code == 3);
    CHECK(m.value == 1.5);
    CHECK(m.text_view().size() == 95);
}

TEST_CASE("alert_manager without throttling delivers everything, even at the same time") {
    alert_manager mgr;
    int calls = 0;
    mgr.subscribe([&calls](const alert&) { ++calls; });
    for (int i = 0; i < 3; ++i) CHECK(mgr.publish(make(0, alert_type::latency, alert_severity::info)));
    CHECK(calls == 3);
    CHECK(mgr.counters(alert_type::latency).delivered == 3);
    CHECK(mgr.counters(alert_type::latency).throttled == 0);
    CHECK(mgr.publish(make(10, alert_type::latency, alert_severity::info)));
    CHECK(mgr.publish(make(5, alert_type::latency, alert_severity::info)));  // out of order: no interval, no throttle
}

TEST_CASE("alert_manager throttles per type within min_interval of the last delivered alert") {
    alert_manager_config cfg;
    cfg.min_interval[static_cast<std::size_t>(alert_type::latency)] = duration{1000};
    alert_manager mgr(cfg);
    std::vector<std::int64_t> got;
    mgr.subscribe([&got](const alert& a) { got.push_back(a.ts.ns()); });

    CHECK(mgr.publish(make(0, alert_type::latency, alert_severity::warning)));
    CHECK_FALSE(mgr.publish(make(999, alert_type::latency, alert_severity::warning)));  // 999 < 1000
    CHECK(mgr.publish(make(5, alert_type::drawdown, alert_severity::warning)));         // other type: own throttle
    CHECK(mgr.publish(make(1000, alert_type::latency, alert_severity::warning)));       // exactly the interval
    CHECK_FALSE(mgr.publish(make(1500, alert_type::latency, alert_severity::info)));    // measured from 1000, not 0
    CHECK_FALSE(mgr.publish(make(900, alert_type::latency, alert_severity::warning)));  // out of order: within
    CHECK(mgr.publish(make(2000, alert_type::latency, alert_severity::info)));

    CHECK(got == std::vector<std::int64_t>{0, 5, 1000, 2000});
    const alert_counters& c = mgr.counters(alert_type::latency);
    CHECK(c.published == 6);
    CHECK(c.delivered == 3);
    CHECK(c.throttled == 3);
    CHECK(c.filtered == 0);
    CHECK(mgr.counters(alert_type::drawdown).delivered == 1);
    const alert_counters all = mgr.totals();
    CHECK(all.published == 7);
    CHECK(all.delivered == 4);
    CHECK(all.throttled == 3);

    mgr.set_min_interval(alert_type::latency, duration{0});  // 0 turns throttling off
    CHECK(mgr.publish(make(2001, alert_type::latency, alert_severity::info)));
    mgr.set_min_interval(alert_type::latency, duration{1000});
    CHECK_FALSE(mgr.publish(make(2002, alert_type::latency, alert_severity::info)));
    mgr.reset_throttle();
    CHECK(mgr.publish(make(2003, alert_type::latency, alert_severity::info)));
}

TEST_CASE("alert_manager lets escalations through the throttle, and only strict escalations") {
    alert_manager_config cfg;
    cfg.min_interval[static_cast<std::size_t>(alert_type::daily_loss)] = duration{1000};
    alert_manager mgr(cfg);
    std::vector<alert_severity> got;
    mgr.subscribe([&got](const alert& a) { got.push_back(a.severity); });

    CHECK(mgr.publish(make(0, alert_type::daily_loss, alert_severity::warning)));
    CHECK(mgr.publish(make(10, alert_type::daily_loss, alert_severity::critical)));     // higher: through
    CHECK_FALSE(mgr.publish(make(20, alert_type::daily_loss, alert_severity::warning)));  // below the last delivered
    CHECK_FALSE(mgr.publish(make(30, alert_type::daily_loss, alert_severity::critical))); // equal: not an escalation
    CHECK(mgr.publish(make(40, alert_type::daily_loss, alert_severity::emergency)));
    CHECK_FALSE(mgr.publish(make(1039, alert_type::daily_loss, alert_severity::warning)));  // window restarted at 40
    CHECK(mgr.publish(make(1040, alert_type::daily_loss, alert_severity::warning)));

    CHECK(got == std::vector<alert_severity>{alert_severity::warning, alert_severity::critical, alert_severity::emergency,
                                             alert_severity::warning});
    CHECK(mgr.counters(alert_type::daily_loss).throttled == 3);
}

TEST_CASE("alert_manager drops alerts below min_severity without touching the throttle") {
    alert_manager_config cfg;
    cfg.min_severity = alert_severity::warning;
    cfg.min_interval[static_cast<std::size_t>(alert_type::risk_reject)] = duration{1000};
    alert_manager mgr(cfg);
    int calls = 0;
    mgr.subscribe([&calls](const alert&) { ++calls; });

    CHECK_FALSE(mgr.publish(make(0, alert_type::risk_reject, alert_severity::info)));
    CHECK(mgr.publish(make(1, alert_type::risk_reject, alert_severity::warning)));  // the info did not start a window
    CHECK(calls == 1);
    const alert_counters& c = mgr.counters(alert_type::risk_reject);
    CHECK(c.published == 2);
    CHECK(c.filtered == 1);
    CHECK(c.delivered == 1);
    CHECK(c.throttled == 0);

    // A filtered alert is not a delivery: it neither restarts the window nor lowers the bar.
    CHECK_FALSE(mgr.publish(make(500, alert_type::risk_reject, alert_severity::info)));
    CHECK_FALSE(mgr.publish(make(600, alert_type::risk_reject, alert_severity::warning)));  // within 1000 of 1
    CHECK(mgr.publish(make(1001, alert_type::risk_reject, alert_severity::warning)));
    CHECK(calls == 2);

    mgr.set_min_severity(alert_severity::emergency);
    CHECK_FALSE(mgr.publish(make(5000, alert_type::kill_switch, alert_severity::critical)));
    CHECK(mgr.publish(make(5000, alert_type::kill_switch, alert_severity::emergency)));
    CHECK(mgr.config().min_severity == alert_severity::emergency);
}

TEST_CASE("alert_manager calls every subscriber in subscription order; empty functions are ignored") {
    alert_manager mgr;
    std::vector<int> order;
    CHECK(mgr.subscribe([&order](const alert&) { order.push_back(1); }) == 1);
    CHECK(mgr.subscribe(std::function<void(const alert&)>{}) == 1);
    CHECK(mgr.subscribe([&order](const alert& a) { order.push_back(static_cast<int>(a.code)); }) == 2);
    CHECK(mgr.subscriber_count() == 2);
    CHECK(mgr.publish(make(0, alert_type::custom, alert_severity::info, 7)));
    CHECK(order == std::vector<int>{1, 7});

    alert_manager none;  // no subscriber: still delivered (counted) and true
    CHECK(none.publish(make(0, alert_type::custom, alert_severity::info)));
    CHECK(none.counters(alert_type::custom).delivered == 1);

    const alert bad = make(0, static_cast<alert_type>(200), alert_severity::info);  // out of range -> custom
    CHECK(none.publish(bad));
    CHECK(none.counters(alert_type::custom).published == 2);
}

TEST_CASE("alert_manager: a throwing subscriber does not escape publish and does not stop the others") {
    alert_manager mgr;
    int after = 0;
    mgr.subscribe([](const alert&) { throw std::runtime_error("sink down"); });
    mgr.subscribe([](const alert&) { throw 42; });
    mgr.subscribe([&after](const alert&) { ++after; });
    bool delivered = false;
    CHECK_NOTHROW(delivered = mgr.publish(make(0, alert_type::auto_hedge, alert_severity::critical)));
    CHECK(delivered);
    CHECK(after == 1);
    CHECK(mgr.callback_errors() == 2);
}

TEST_CASE("alert_manager: a subscriber may publish recursively") {
    alert_manager mgr;
    std::vector<alert_type> got;
    mgr.subscribe([&mgr, &got](const alert& a) {
        got.push_back(a.type);
        if (a.type == alert_type::var_breach) (void)mgr.publish(make(a.ts.ns(), alert_type::auto_hedge, alert_severity::warning));
    });
    CHECK(mgr.publish(make(0, alert_type::var_breach, alert_severity::critical)));
    CHECK(got == std::vector<alert_type>{alert_type::var_breach, alert_type::auto_hedge});
}

TEST_CASE("alert_manager::publish makes no allocation") {
    alert_manager_config cfg;
    cfg.min_interval[static_cast<std::size_t>(alert_type::latency)] = duration{100};
    alert_manager mgr(cfg);
    std::uint64_t sum = 0;
    mgr.subscribe([&sum](const alert& a) { sum += static_cast<std::uint64_t>(a.code); });
    mgr.subscribe([&sum](const alert& a) { sum += a.text_view().size(); });
    alert a = make(0, alert_type::latency, alert_severity::warning, 1);
    std::size_t delivered = 0;
    {
        pinnacle_test::alloc_scope scope;
        for (std::int64_t i = 0; i < 1000; ++i) {
            a.ts = timestamp{i * 10};
            a.severity = static_cast<alert_severity>(i % 4);
            a.set_text("latency above limit");
            if (mgr.publish(a)) ++delivered;
        }
        CHECK(scope.count() == 0);
    }
    CHECK(delivered > 0);
    CHECK(delivered < 1000);
    CHECK(sum == delivered * (1 + 19));
}

TEST_CASE("alert_manager turns circuit breaker transitions into alerts") {
    alert_manager mgr;
    std::vector<alert> got;
    mgr.subscribe([&got](const alert& a) { got.push_back(a); });
    circuit_breaker_config c;
    c.cooldown = duration{100};
    c.probe_period = duration{50};
    circuit_breaker b(c);
    b.set_observer([&mgr](const breaker_transition& t) {
        const auto sev = t.to == breaker_state::open ? alert_severity::critical : alert_severity::info;
        (void)mgr.publish(make_alert(t.ts, alert_type::breaker_transition, sev, static_cast<std::int64_t>(t.to), t.value,
                                     to_string(t.trigger)));
    });
    b.signal_crisis(timestamp{10});
    CHECK(b.state(timestamp{200}) == breaker_state::closed);
    REQUIRE(got.size() == 3);
    CHECK(got[0].code == static_cast<std::int64_t>(breaker_state::open));
    CHECK(got[0].severity == alert_severity::critical);
    CHECK(got[0].text_view() == "market_crisis");
    CHECK(got[1].ts == timestamp{110});
    CHECK(got[2].code == static_cast<std::int64_t>(breaker_state::closed));
    CHECK(got[2].ts == timestamp{160});
}
