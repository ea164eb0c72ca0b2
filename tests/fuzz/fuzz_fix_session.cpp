// libFuzzer target: the FIX session state machine (connect/fix/session.hpp) as an acceptor fed
// arbitrary bytes in arbitrary chunks, with time moving on between them. The first input byte
// picks whether a valid Logon comes first (so the fuzzer reaches the logged-on states) and
// whether SendingTime is checked. Every application message is echoed back through send(), so
// the store and ResendRequest paths run too. Invariant: whatever comes in, every message the
// session writes frames and validates as FIX 4.4; any crash, UB or invalid output aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "pinnacle/connect/fix/session.hpp"

namespace {

namespace fix = pinnacle::fix;
namespace f44 = pinnacle::fix::fix44;

constexpr std::int64_t t0 = 1'715'117'738'000'000'000;  // 2024-05-07 21:35:38 UTC

std::array<fix::field, 2048> fields;

void check_output(std::string_view out) {
    while (!out.empty()) {
        const fix::parse_result r = f44::parse(out, fields);
        if (!r.ok()) std::abort();
        if (!f44::validate(std::span<const fix::field>(fields.data(), r.field_count)).ok()) std::abort();
        out.remove_prefix(r.consumed);
    }
}

std::string logon() {
    std::string body = "35=A\x01" "49=CLIENT\x01" "56=VENUE\x01" "34=1\x01" "52=20240507-21:35:38.000\x01" "98=0\x01" "108=30\x01";
    std::string m = "8=FIX.4.4\x01" "9=" + std::to_string(body.size()) + "\x01" + body;
    unsigned sum = 0;
    for (char c : m) sum += static_cast<unsigned char>(c);
    const char cs[] = {static_cast<char>('0' + (sum % 256) / 100), static_cast<char>('0' + (sum % 100) / 10), static_cast<char>('0' + sum % 10), 0};
    return m + "10=" + cs + "\x01";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    fix::session_config cfg;
    cfg.role = fix::session_role::acceptor;
    cfg.sender_comp_id = "VENUE";
    cfg.target_comp_id = "CLIENT";
    cfg.check_latency = (data[0] & 2U) != 0;
    fix::message_store store;
    fix::session s(cfg, store);
    s.on_app([&](const f44::header& h, std::span<const fix::field> f, std::int64_t now) {
        const f44::header copy = h;
        (void)s.send(copy.msg_type == "D" ? "8" : "j", now, [&](fix::encoder& e) {
            if (copy.msg_type == "D") {
                e.add(37, "1").add(17, "1").add(150, '0').add(39, '0').add(55, "X").add(54, '1').add(151, "1").add(14, "0").add(6, "0");
            } else {
                e.add(45, std::to_string(copy.msg_seq_num)).add(372, copy.msg_type.empty() ? std::string_view("?") : copy.msg_type)
                    .add(380, "3");
            }
        });
        (void)f;
    });
    std::int64_t now = t0;
    s.connect(now);
    if ((data[0] & 1U) != 0) s.receive(logon(), now);
    check_output(s.take_output());
    std::size_t i = 1;
    while (i < size && !s.wants_disconnect()) {
        const std::size_t len = data[i] % 64 + 1;
        const std::int64_t step = static_cast<std::int64_t>(data[i] >> 6) * 20'000'000'000;  // 0, 20, 40 or 60 s
        ++i;
        const std::size_t n = len < size - i ? len : size - i;
        s.receive(std::string_view(reinterpret_cast<const char*>(data + i), n), now);
        i += n;
        check_output(s.take_output());
        now += step;
        s.tick(now);
        check_output(s.take_output());
    }
    return 0;
}
