// The FIX session state machine (session.hpp) and its store (store.hpp), against the FIX 4.4
// Vol. 2 session-level test cases: two sessions wired back to back, and a hand-driven peer.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/session.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace pinnacle::fix;
using fix_test::frame;
using fix_test::pipes;

namespace {

constexpr std::int64_t sec = 1'000'000'000;
constexpr std::int64_t t0 = 1'715'117'738'000'000'000;  // 2024-05-07 21:35:38 UTC

session_config cfg(session_role role) {
    session_config c;
    c.role = role;
    c.sender_comp_id = role == session_role::initiator ? "CLIENT" : "VENUE";
    c.target_comp_id = role == session_role::initiator ? "VENUE" : "CLIENT";
    return c;
}

/// Every message in `bytes`, '|' for SOH.
std::vector<std::string> split(const std::string& bytes) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::size_t next = bytes.find("8=FIX", pos + 1);
        if (next == std::string::npos) next = bytes.size();
        out.push_back(pipes(bytes.substr(pos, next - pos)));
        pos = next;
    }
    return out;
}

/// Two sessions back to back; `deliver` moves bytes both ways until quiet.
struct pair_fixture {
    message_store istore, astore;
    session ini{cfg(session_role::initiator), istore};
    session acc{cfg(session_role::acceptor), astore};
    std::vector<std::string> acc_apps, ini_apps;
    std::vector<bool> acc_possdup;

    pair_fixture() {
        acc.on_app([this](const fix44::header& h, std::span<const field> f, std::int64_t) {
            for (const field& x : f) {
                if (x.tag == 11) acc_apps.emplace_back(x.value);
            }
            acc_possdup.push_back(h.poss_dup);
        });
        ini.on_app([this](const fix44::header&, std::span<const field> f, std::int64_t) { ini_apps.emplace_back(f[2].value); });
    }
    void deliver(std::int64_t now) {
        for (int i = 0; i < 20; ++i) {
            const std::string a = ini.take_output();
            const std::string b = acc.take_output();
            if (a.empty() && b.empty()) return;
            acc.receive(a, now);
            ini.receive(b, now);
        }
    }
    void logon(std::int64_t now) {
        acc.connect(now);
        ini.connect(now);
        deliver(now);
    }
    bool order(const std::string& id, std::int64_t now) {
        return ini.send("D", now, [&](encoder& e) {
            e.add(11, id).add(55, "AAPL").add(54, '1').add(60, "20240507-21:35:38.774").add(38, "100").add(40, '2').add(44, "10.5");
        });
    }
};

/// A message from CLIENT to VENUE with MsgSeqNum `seq` and body fields `body` ('|'-separated).
std::string peer(std::string_view type, std::uint32_t seq, std::string_view body, std::string_view time = "20240507-21:35:38.000",
                 std::string_view extra_header = "") {
    return frame("35=" + std::string(type) + "|49=CLIENT|56=VENUE|34=" + std::to_string(seq) + "|52=" + std::string(time) + "|" +
                 std::string(extra_header) + std::string(body));
}

/// An acceptor logged on with a hand-driven peer (our Logon answer taken).
struct acceptor_fixture {
    message_store store;
    session acc{cfg(session_role::acceptor), store};
    std::vector<std::string> apps;
    acceptor_fixture() {
        acc.on_app([this](const fix44::header&, std::span<const field> f, std::int64_t) { apps.emplace_back(f[2].value); });
        acc.connect(t0);
        acc.receive(peer("A", 1, "98=0|108=30|"), t0);
        REQUIRE(acc.state() == session_state::active);
        (void)acc.take_output();
    }
};

} // namespace

TEST_CASE("UTCTIMESTAMP parses to ns since the epoch, with 0..9 fractional digits") {
    CHECK(parse_utc_timestamp("19700101-00:00:00") == 0);
    CHECK(parse_utc_timestamp("20240507-21:35:38") == t0);
    CHECK(parse_utc_timestamp("20240507-21:35:38.774") == t0 + 774'000'000);
    CHECK(parse_utc_timestamp("20240507-21:35:38.000000001") == t0 + 1);
    char text[21];
    encoder::format_timestamp(t0 + 5 * sec + 123'000'000, text);
    CHECK(parse_utc_timestamp(std::string_view(text, 21)) == t0 + 5 * sec + 123'000'000);
    CHECK_FALSE(parse_utc_timestamp("20240507 21:35:38"));
    CHECK_FALSE(parse_utc_timestamp("20241307-21:35:38"));
    CHECK_FALSE(parse_utc_timestamp("20240507-21:35:38."));
    CHECK_FALSE(parse_utc_timestamp("2024050x-21:35:38"));
    CHECK_FALSE(parse_utc_timestamp("24200507-21:35:38"));  // beyond int64 ns
    CHECK(parse_utc_timestamp("22611231-23:59:59.999999999").has_value());
}

TEST_CASE("logon, application messages both ways, heartbeats and the sequence numbers") {
    pair_fixture p;
    p.logon(t0);
    CHECK(p.ini.state() == session_state::active);
    CHECK(p.acc.state() == session_state::active);
    CHECK(p.acc.heart_bt_int() == 30);
    REQUIRE(p.order("O1", t0));
    p.deliver(t0);
    CHECK(p.acc_apps == std::vector<std::string>{"O1"});
    CHECK(p.istore.next_sender_seq() == 3);
    CHECK(p.astore.next_target_seq() == 3);
    // Silent for HeartBtInt: both sides send a Heartbeat; nobody sends a TestRequest.
    p.ini.tick(t0 + 30 * sec);
    p.acc.tick(t0 + 30 * sec);
    const std::string hb = p.ini.take_output();
    CHECK(hb.find("\x01" "35=0\x01") != std::string::npos);
    p.acc.receive(hb, t0 + 30 * sec);
    p.deliver(t0 + 30 * sec);
    CHECK(p.istore.next_sender_seq() == 4);
    CHECK(p.astore.next_target_seq() == 4);
    CHECK(p.ini.state() == session_state::active);
}

TEST_CASE("a lost message is recovered: ResendRequest, the resent message with PossDupFlag, admin gap-filled (2.b, 8.a)") {
    pair_fixture p;
    p.logon(t0);
    REQUIRE(p.order("O1", t0));
    (void)p.ini.take_output();  // lost on the way
    REQUIRE(p.order("O2", t0 + sec));
    const std::string o2 = p.ini.take_output();
    p.acc.receive(o2, t0 + sec);
    CHECK(p.acc_apps.empty());  // 3 received, 2 expected: discarded until the gap is filled
    const auto rr = split(p.acc.take_output());
    REQUIRE(rr.size() == 1);
    CHECK(rr[0].find("|35=2|") != std::string::npos);
    CHECK(rr[0].find("|7=2|16=0|") != std::string::npos);
    p.ini.receive(fix_test::soh(rr[0]), t0 + sec);
    const auto resent = split(p.ini.take_output());
    REQUIRE(resent.size() == 2);
    CHECK(resent[0].find("|34=2|") != std::string::npos);
    CHECK(resent[0].find("|43=Y|122=") != std::string::npos);
    CHECK(resent[0].find("|11=O1|") != std::string::npos);
    CHECK(resent[1].find("|11=O2|") != std::string::npos);
    for (const auto& m : resent) p.acc.receive(fix_test::soh(m), t0 + sec);
    CHECK(p.acc_apps == std::vector<std::string>{"O1", "O2"});
    CHECK(p.acc_possdup == std::vector<bool>{true, true});
    CHECK(p.astore.next_target_seq() == 4);
    // The acceptor's own Logon and ResendRequest come back as one gap fill when asked for.
    p.acc.receive(peer("2", 4, "7=1|16=0|"), t0 + sec);
    const auto fill = split(p.acc.take_output());
    REQUIRE(fill.size() == 1);
    CHECK(fill[0].find("|35=4|") != std::string::npos);
    CHECK(fill[0].find("|34=1|") != std::string::npos);
    CHECK(fill[0].find("|123=Y|36=3|") != std::string::npos);
}

TEST_CASE("MsgSeqNum too low without PossDupFlag: Logout and disconnect (2.c); with it: ignored (2.d)") {
    acceptor_fixture a;
    a.acc.receive(peer("0", 2, ""), t0);
    CHECK(a.store.next_target_seq() == 3);
    a.acc.receive(peer("0", 2, "", "20240507-21:35:38.000", "43=Y|122=20240507-21:35:37.000|"), t0);
    CHECK_FALSE(a.acc.wants_disconnect());
    CHECK(a.acc.take_output().empty());
    a.acc.receive(peer("0", 2, ""), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("|35=5|") != std::string::npos);
    CHECK(out[0].find("58=MsgSeqNum too low, expecting 3 but received 2|") != std::string::npos);
    CHECK(a.acc.wants_disconnect());
}

TEST_CASE("garbled messages are ignored and consume no sequence number (2.q)") {
    acceptor_fixture a;
    std::string bad = peer("0", 2, "");
    bad[bad.size() - 3] = bad[bad.size() - 3] == '0' ? '1' : '0';  // CheckSum off by one
    a.acc.receive("garbage" + bad + "8=FIX.4.4\x01" "9=5\x01" "35=0\x01" "10=000\x01", t0);
    CHECK(a.store.next_target_seq() == 2);
    a.acc.receive(peer("1", 2, "112=ping|"), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("|35=0|") != std::string::npos);
    CHECK(out[0].find("|112=ping|") != std::string::npos);
    CHECK(a.acc.state() == session_state::active);
}

TEST_CASE("a message split across reads is handled once whole") {
    acceptor_fixture a;
    const std::string m = peer("1", 2, "112=x|");
    a.acc.receive(m.substr(0, 20), t0);
    CHECK(a.store.next_target_seq() == 2);
    a.acc.receive(m.substr(20), t0);
    CHECK(a.store.next_target_seq() == 3);
}

TEST_CASE("wrong CompID: Reject 373=9, Logout, disconnect (2.m)") {
    acceptor_fixture a;
    a.acc.receive(frame("35=0|49=OTHER|56=VENUE|34=2|52=20240507-21:35:38.000|"), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 2);
    CHECK(out[0].find("|35=3|") != std::string::npos);
    CHECK(out[0].find("|373=9|") != std::string::npos);
    CHECK(out[1].find("|35=5|") != std::string::npos);
    CHECK(a.acc.wants_disconnect());
}

TEST_CASE("SendingTime too far from now: Reject 373=10, Logout, disconnect (2.k)") {
    acceptor_fixture a;
    a.acc.receive(peer("0", 2, "", "20240507-21:00:00.000"), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 2);
    CHECK(out[0].find("|371=52|") != std::string::npos);
    CHECK(out[0].find("|373=10|") != std::string::npos);
    CHECK(a.acc.wants_disconnect());
}

TEST_CASE("PossDupFlag without OrigSendingTime: Reject 373=1 RefTagID 122 (2.g)") {
    acceptor_fixture a;
    a.acc.receive(peer("0", 2, "", "20240507-21:35:38.000", "43=Y|"), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("|371=122|") != std::string::npos);
    CHECK(out[0].find("|373=1|") != std::string::npos);
    CHECK(a.store.next_target_seq() == 3);
    CHECK_FALSE(a.acc.wants_disconnect());
}

TEST_CASE("an invalid application message is rejected with the dictionary's reason and consumes its number") {
    acceptor_fixture a;
    a.acc.receive(peer("D", 2, "55=AAPL|54=1|60=20240507-21:35:38|38=100|40=2|"), t0);  // no ClOrdID
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("|45=2|371=11|372=D|373=1|") != std::string::npos);
    CHECK(a.apps.empty());
    CHECK(a.store.next_target_seq() == 3);
}

TEST_CASE("SequenceReset: Reset whatever its MsgSeqNum (11), GapFill moves the number up, never down (10)") {
    acceptor_fixture a;
    a.acc.receive(peer("4", 99, "36=10|"), t0);
    CHECK(a.store.next_target_seq() == 10);
    a.acc.receive(peer("4", 10, "123=Y|36=15|", "20240507-21:35:38.000", "43=Y|122=20240507-21:35:38.000|"), t0);
    CHECK(a.store.next_target_seq() == 15);
    a.acc.receive(peer("4", 15, "123=Y|36=12|"), t0);
    const auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("|373=5|") != std::string::npos);
    CHECK(a.store.next_target_seq() == 16);
    a.acc.receive(peer("4", 1, "36=5|"), t0);  // Reset lower: rejected
    CHECK(split(a.acc.take_output()).size() == 1);
    CHECK(a.store.next_target_seq() == 16);
}

TEST_CASE("TestRequest is answered; a silent peer gets a TestRequest, then the connection closes (4.b)") {
    acceptor_fixture a;
    a.acc.receive(peer("1", 2, "112=abc|"), t0);
    CHECK(split(a.acc.take_output())[0].find("|112=abc|") != std::string::npos);
    a.acc.tick(t0 + 36 * sec);
    auto out = split(a.acc.take_output());
    REQUIRE(out.size() == 2);  // Heartbeat (we were silent 30 s) and TestRequest (peer silent 36 s)
    CHECK(out[0].find("|35=0|") != std::string::npos);
    CHECK(out[1].find("|35=1|") != std::string::npos);
    CHECK(out[1].find("|112=TEST1|") != std::string::npos);
    a.acc.tick(t0 + 60 * sec);
    CHECK_FALSE(a.acc.wants_disconnect());
    a.acc.tick(t0 + 72 * sec);
    CHECK(a.acc.wants_disconnect());
}

TEST_CASE("the first message must be a Logon; a Logout is answered and closes") {
    message_store s;
    session acc(cfg(session_role::acceptor), s);
    acc.connect(t0);
    acc.receive(peer("0", 1, ""), t0);
    CHECK(acc.wants_disconnect());
    CHECK(acc.take_output().empty());
    acceptor_fixture a;
    a.acc.receive(peer("5", 2, ""), t0);
    CHECK(split(a.acc.take_output())[0].find("|35=5|") != std::string::npos);
    CHECK(a.acc.wants_disconnect());
}

TEST_CASE("logout we start waits for the answer, then closes") {
    pair_fixture p;
    p.logon(t0);
    p.ini.logout("bye", t0);
    CHECK(p.ini.state() == session_state::logout_sent);
    p.deliver(t0);
    CHECK(p.ini.wants_disconnect());
    CHECK(p.acc.wants_disconnect());
}

TEST_CASE("ResetSeqNumFlag at logon starts both sides at 1") {
    pair_fixture p;
    p.logon(t0);
    REQUIRE(p.order("O1", t0));
    p.deliver(t0);
    p.ini.disconnected(t0);
    p.acc.disconnected(t0);
    session_config c = cfg(session_role::initiator);
    c.reset_on_logon = true;
    session ini2(c, p.istore);
    p.acc.connect(t0);
    ini2.connect(t0);
    const std::string lg = ini2.take_output();
    CHECK(lg.find("\x01" "34=1\x01") != std::string::npos);
    CHECK(lg.find("\x01" "141=Y\x01") != std::string::npos);
    p.acc.receive(lg, t0);
    ini2.receive(p.acc.take_output(), t0);
    CHECK(ini2.state() == session_state::active);
    CHECK(p.astore.next_target_seq() == 2);
    CHECK(p.astore.next_sender_seq() == 2);
}

TEST_CASE("file store: sequence numbers and sent messages survive a restart; a cut record is dropped") {
    const auto dir = std::filesystem::temp_directory_path() / "pinnacle_fix_store_test";
    std::filesystem::remove_all(dir);
    {
        message_store s;
        REQUIRE(s.open(dir, "FIX.4.4-CLIENT-VENUE"));
        REQUIRE(s.save(1, "first"));
        REQUIRE(s.save(2, std::string("two\nlines\x01", 10)));
        REQUIRE(s.set_next_sender_seq(3));
        REQUIRE(s.set_next_target_seq(7));
    }
    {
        std::ofstream f(dir / "FIX.4.4-CLIENT-VENUE.body", std::ios::app | std::ios::binary);
        f << "3 100\npartial";
    }
    {
        message_store s;
        REQUIRE(s.open(dir, "FIX.4.4-CLIENT-VENUE"));
        CHECK(s.next_sender_seq() == 3);
        CHECK(s.next_target_seq() == 7);
        REQUIRE(s.messages().size() == 2);
        CHECK(s.messages().at(2) == std::string("two\nlines\x01", 10));
        REQUIRE(s.save(3, "third"));
    }
    {
        message_store s;
        REQUIRE(s.open(dir, "FIX.4.4-CLIENT-VENUE"));
        CHECK(s.messages().size() == 3);
        REQUIRE(s.reset());
        CHECK(s.messages().empty());
    }
    {
        std::ofstream f(dir / "bad.seqnums");
        f << "x y\n";
    }
    message_store bad;
    CHECK_FALSE(bad.open(dir, "bad"));
    CHECK(bad.error().find("bad.seqnums") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a restarted acceptor with a file store resumes the sequence numbers") {
    const auto dir = std::filesystem::temp_directory_path() / "pinnacle_fix_restart_test";
    std::filesystem::remove_all(dir);
    message_store istore;
    session ini(cfg(session_role::initiator), istore);
    for (int run = 0; run < 2; ++run) {
        message_store astore;
        REQUIRE(astore.open(dir, "VENUE-CLIENT"));
        session acc(cfg(session_role::acceptor), astore);
        const std::int64_t now = t0 + run * sec;
        acc.connect(now);
        ini.connect(now);
        for (int i = 0; i < 5; ++i) {
            acc.receive(ini.take_output(), now);
            ini.receive(acc.take_output(), now);
        }
        CHECK(acc.state() == session_state::active);
        CHECK(astore.next_target_seq() == static_cast<std::uint32_t>(2 + 2 * run));
        ini.logout("done", now);
        for (int i = 0; i < 5; ++i) {
            acc.receive(ini.take_output(), now);
            ini.receive(acc.take_output(), now);
        }
        CHECK(acc.wants_disconnect());
        ini.disconnected(now);
    }
    CHECK(istore.next_sender_seq() == 5);
    std::filesystem::remove_all(dir);
}

TEST_CASE("store_when_disconnected: a message sent while down reaches the peer through its ResendRequest") {
    message_store s;
    session_config c = cfg(session_role::acceptor);
    c.store_when_disconnected = true;
    session acc(c, s);
    acc.connect(t0);
    acc.receive(peer("A", 1, "98=0|108=30|"), t0);
    (void)acc.take_output();
    acc.disconnected(t0);
    CHECK(acc.send("8", t0, [](encoder& e) { e.add(37, "1").add(17, "E1").add(150, '0').add(39, '0').add(55, "X").add(54, '1').add(151, "1").add(14, "0").add(6, "0"); }));
    CHECK(s.next_sender_seq() == 3);
    acc.connect(t0);
    acc.receive(peer("A", 2, "98=0|108=30|"), t0);
    acc.receive(peer("2", 3, "7=2|16=2|"), t0);
    const auto out = split(acc.take_output());
    REQUIRE(out.size() == 2);  // Logon answer (34=3), then the stored report resent (34=2)
    CHECK(out[1].find("|34=2|") != std::string::npos);
    CHECK(out[1].find("|43=Y|") != std::string::npos);
    CHECK(out[1].find("|17=E1|") != std::string::npos);
}
