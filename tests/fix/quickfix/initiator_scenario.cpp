// QuickFIX initiator against pinnacle's fix_exchange, on 127.0.0.1, single-threaded (QuickFIX's
// poll mode: no thread of ours or QuickFIX's). Built with -std=gnu++14 and QuickFIX only (its
// 1.15.1 headers use dynamic exception specifications); it starts fix_exchange as a child process.
//
//   fix_quickfix_initiator FIX_EXCHANGE FIX44.xml WORKDIR
//
// Steps (each prints "ok: ..." or "FAIL: ..." and stops): logon with HeartBtInt=1; a crossing
// order filled; an order replaced (G) and cancelled (F); heartbeats both ways; a gap in our
// sequence answered by the exchange's ResendRequest and QuickFIX's gap fill, the order resent
// with PossDupFlag and executed; a gap in the exchange's sequence answered by its resend;
// a restart of both ends with their stores resuming the sequence numbers; an order after the
// restart; logout; a raw session sending garbage and a wrong CheckSum, whose next TestRequest is
// still answered; the exchange stopped by SIGTERM exits 0. The QuickFIX config is written into
// WORKDIR. Exit 0 when every step passed, 1 otherwise. Bounded: alarm(90) ends a hung run.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wdeprecated-dynamic-exception-spec"
#pragma clang diagnostic ignored "-Wdeprecated"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wdeprecated"
#endif

#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderCancelRequest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <arpa/inet.h>
#include <ctime>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

std::string exchange_path, xml_path, workdir;
pid_t exchange_pid = -1;
int exchange_port = 0;

[[noreturn]] void fail(const std::string& what) {
    std::printf("FAIL: %s\n", what.c_str());
    if (exchange_pid > 0) {
        ::kill(exchange_pid, SIGKILL);
        ::waitpid(exchange_pid, nullptr, 0);
    }
    std::ifstream log(workdir + "/exchange.log");
    std::string line;
    std::printf("--- exchange log (last lines) ---\n");
    std::vector<std::string> lines;
    while (std::getline(log, line)) lines.push_back(line);
    for (std::size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i) std::printf("%s\n", lines[i].c_str());
    std::fflush(stdout);
    std::_Exit(1);
}

void ok(const std::string& what) {
    std::printf("ok: %s\n", what.c_str());
    std::fflush(stdout);
}

// Starts fix_exchange on `port` (0: any) and reads its first line for the port.
void start_exchange(int port) {
    int out[2];
    if (::pipe(out) != 0) fail("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    const std::string log = workdir + "/exchange.log";
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const std::string port_text = std::to_string(port);
    const std::string store = workdir + "/exchange_store";
    std::vector<std::string> args = {exchange_path, "--port", port_text, "--sender-comp-id", "VENUE", "--target-comp-id", "CLIENT",
                                     "--store", store, "--data-dictionary", xml_path, "--heartbeat-check"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    if (posix_spawn(&exchange_pid, exchange_path.c_str(), &fa, nullptr, argv.data(), environ) != 0) fail("cannot start " + exchange_path);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const std::string prefix = "listening fix://127.0.0.1:";
    if (line.compare(0, prefix.size(), prefix) != 0) fail("fix_exchange's first line is '" + line + "'");
    exchange_port = std::atoi(line.c_str() + prefix.size());
}

int stop_exchange() {
    ::kill(exchange_pid, SIGTERM);
    int status = 0;
    ::waitpid(exchange_pid, &status, 0);
    exchange_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct app : FIX::Application {
    bool logged_on = false;
    int logons = 0;
    int logouts = 0;
    int heartbeats_in = 0;
    int resend_requests_in = 0;
    int resend_requests_out = 0;
    int gap_fills_out = 0;
    int possdup_app_in = 0;
    std::vector<FIX::Message> app_in;

    void onCreate(const FIX::SessionID&) override {}
    void onLogon(const FIX::SessionID&) override {
        logged_on = true;
        ++logons;
    }
    void onLogout(const FIX::SessionID&) override {
        logged_on = false;
        ++logouts;
    }
    void toAdmin(FIX::Message& m, const FIX::SessionID&) override {
        const std::string t = m.getHeader().getField(FIX::FIELD::MsgType);
        if (t == "2") ++resend_requests_out;
        if (t == "4" && m.isSetField(FIX::FIELD::GapFillFlag) && m.getField(FIX::FIELD::GapFillFlag) == "Y") ++gap_fills_out;
    }
    void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
    void fromAdmin(const FIX::Message& m, const FIX::SessionID&)
        throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
        const std::string t = m.getHeader().getField(FIX::FIELD::MsgType);
        if (t == "0") ++heartbeats_in;
        if (t == "2") ++resend_requests_in;
    }
    void fromApp(const FIX::Message& m, const FIX::SessionID&)
        throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
        if (m.getHeader().isSetField(FIX::FIELD::PossDupFlag) && m.getHeader().getField(FIX::FIELD::PossDupFlag) == "Y") ++possdup_app_in;
        app_in.push_back(m);
    }
};

struct client {
    app a;
    std::unique_ptr<FIX::SessionSettings> settings;
    std::unique_ptr<FIX::FileStoreFactory> store;
    std::unique_ptr<FIX::FileLogFactory> log;
    std::unique_ptr<FIX::SocketInitiator> initiator;
    FIX::SessionID id{"FIX.4.4", "CLIENT", "VENUE"};

    void create() {
        const std::string cfg = workdir + "/quickfix_initiator.cfg";
        std::ofstream f(cfg);
        f << "[DEFAULT]\nConnectionType=initiator\nReconnectInterval=1\nStartTime=00:00:00\nEndTime=00:00:00\nNonStopSession=Y\nHeartBtInt=1\n"
          << "FileStorePath=" << workdir << "/quickfix_store\nFileLogPath=" << workdir << "/quickfix_log\n"
          << "UseDataDictionary=Y\nDataDictionary=" << xml_path << "\nSocketConnectHost=127.0.0.1\nSocketConnectPort=" << exchange_port
          << "\n\n[SESSION]\nBeginString=FIX.4.4\nSenderCompID=CLIENT\nTargetCompID=VENUE\n";
        f.close();
        settings.reset(new FIX::SessionSettings(cfg));
        store.reset(new FIX::FileStoreFactory(*settings));
        log.reset(new FIX::FileLogFactory(*settings));
        initiator.reset(new FIX::SocketInitiator(a, *store, *settings, *log));
    }
    FIX::Session& session() {
        FIX::Session* s = FIX::Session::lookupSession(id);
        if (s == nullptr) fail("QuickFIX has no session CLIENT->VENUE");
        return *s;
    }
    // Polls until `done` or `seconds` pass.
    bool poll_until(const std::function<bool()>& done, double seconds) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (done()) return true;
            initiator->poll(0.05);
        }
        return done();
    }
    void destroy() {
        initiator->stop(true);
        initiator.reset();
    }
    // The first ExecutionReport for `cl_ord_id` with ExecType `exec_type` from index `from` on.
    const FIX::Message* find_er(const std::string& cl_ord_id, char exec_type, std::size_t from = 0) const {
        for (std::size_t i = from; i < a.app_in.size(); ++i) {
            const FIX::Message& m = a.app_in[i];
            if (m.getHeader().getField(FIX::FIELD::MsgType) != "8") continue;
            if (m.getField(FIX::FIELD::ClOrdID) == cl_ord_id && m.getField(FIX::FIELD::ExecType) == std::string(1, exec_type)) return &m;
        }
        return nullptr;
    }
    void wait_er(const std::string& cl_ord_id, char exec_type, const std::string& step) {
        if (!poll_until([&] { return find_er(cl_ord_id, exec_type) != nullptr; }, 5)) {
            fail(step + ": no ExecutionReport 150=" + std::string(1, exec_type) + " for " + cl_ord_id);
        }
    }
};

FIX44::NewOrderSingle order(const std::string& id, char side, double qty, double px) {
    FIX44::NewOrderSingle o{FIX::ClOrdID(id), FIX::Side(side), FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT)};
    o.set(FIX::Symbol("AAPL"));
    o.set(FIX::OrderQty(qty));
    o.set(FIX::Price(px));
    return o;
}

// A raw FIX message CLIENT -> VENUE with BodyLength and CheckSum, SendingTime now.
std::string raw_message(const std::string& type, int seq, const std::string& body) {
    char ts[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(ts, sizeof ts, "%Y%m%d-%H:%M:%S", &tm);
    const std::string b = "35=" + type + "\x01" "49=CLIENT\x01" "56=VENUE\x01" "34=" + std::to_string(seq) + "\x01" "52=" + ts + "\x01" + body;
    std::string m = "8=FIX.4.4\x01" "9=" + std::to_string(b.size()) + "\x01" + b;
    unsigned sum = 0;
    for (char ch : m) sum += static_cast<unsigned char>(ch);
    char cs[8];
    std::snprintf(cs, sizeof cs, "%03u", sum % 256);
    return m + "10=" + cs + "\x01";
}

// Reads from `fd` until `want` appears or 3 s pass; returns everything read.
std::string read_until(int fd, const std::string& want) {
    std::string got;
    char buf[4096];
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (got.find(want) == std::string::npos && std::chrono::steady_clock::now() < end) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

// A raw TCP session: Logon at `seq`, garbage and a message with a wrong CheckSum, then a
// TestRequest that must still be answered (garbled input ignored, no sequence number used).
void garbled_session(int seq) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(exchange_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("raw connect");
    auto put = [&](const std::string& m) {
        if (::send(fd, m.data(), m.size(), 0) != static_cast<ssize_t>(m.size())) fail("raw send");
    };
    put(raw_message("A", seq, "98=0\x01" "108=30\x01"));
    if (read_until(fd, "\x01" "35=A\x01").find("\x01" "35=A\x01") == std::string::npos) fail("raw logon not answered");
    std::string bad = raw_message("0", seq + 1, "");
    bad[bad.size() - 2] = bad[bad.size() - 2] == '0' ? '1' : '0';
    put("this is not FIX" + bad);
    put(raw_message("1", seq + 1, "112=after-garbage\x01"));
    if (read_until(fd, "112=after-garbage").find("112=after-garbage") == std::string::npos) fail("garbled input: TestRequest not answered");
    put(raw_message("5", seq + 2, ""));
    if (read_until(fd, "\x01" "35=5\x01").find("\x01" "35=5\x01") == std::string::npos) fail("raw logout not answered");
    ::close(fd);
}

void send(FIX::Message m, client& c) {
    if (!FIX::Session::sendToTarget(m, c.id)) fail("QuickFIX refused to send");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: fix_quickfix_initiator FIX_EXCHANGE FIX44.xml WORKDIR\n");
        return 2;
    }
    exchange_path = argv[1];
    xml_path = argv[2];
    workdir = argv[3];
    ::alarm(90);
    const std::string clean = "rm -rf '" + workdir + "/exchange_store' '" + workdir + "/quickfix_store' '" + workdir + "/quickfix_log' '" +
                              workdir + "/exchange.log'";
    if (std::system(("mkdir -p '" + workdir + "' && " + clean).c_str()) != 0) fail("cannot prepare " + workdir);

    start_exchange(0);
    const int port = exchange_port;
    std::unique_ptr<client> c(new client);
    c->create();
    if (!c->poll_until([&] { return c->a.logged_on; }, 10)) fail("logon");
    ok("logon with HeartBtInt=1");

    send(order("O1", FIX::Side_BUY, 150, 100.02), *c);
    c->wait_er("O1", '0', "order");
    c->wait_er("O1", 'F', "fill");
    const FIX::Message* fill = c->find_er("O1", 'F');
    if (fill->getField(FIX::FIELD::LastQty) != "100" || fill->getField(FIX::FIELD::LastPx) != "100.01") {
        fail("fill: want LastQty 100 at LastPx 100.01, got " + fill->toString());
    }
    ok("order O1 buy 150 @ 100.02 acknowledged and filled 100 @ 100.01");

    send(order("O2", FIX::Side_SELL, 10, 101), *c);
    c->wait_er("O2", '0', "resting order");
    FIX44::OrderCancelReplaceRequest g(FIX::OrigClOrdID("O2"), FIX::ClOrdID("O3"), FIX::Side(FIX::Side_SELL), FIX::TransactTime(),
                                       FIX::OrdType(FIX::OrdType_LIMIT));
    g.set(FIX::Symbol("AAPL"));
    g.set(FIX::OrderQty(20));
    g.set(FIX::Price(101.5));
    send(g, *c);
    c->wait_er("O3", '5', "cancel/replace");
    FIX44::OrderCancelRequest f(FIX::OrigClOrdID("O3"), FIX::ClOrdID("O4"), FIX::Side(FIX::Side_SELL), FIX::TransactTime());
    f.set(FIX::Symbol("AAPL"));
    send(f, *c);
    c->wait_er("O4", '4', "cancel");
    ok("order O2 replaced by O3 (150=5) and cancelled by O4 (150=4)");

    const int hb_before = c->a.heartbeats_in;
    c->poll_until([] { return false; }, 3.5);
    if (c->a.heartbeats_in - hb_before < 2 || !c->a.logged_on) fail("heartbeats: " + std::to_string(c->a.heartbeats_in - hb_before) + " in 3.5 s");
    ok("heartbeats every second (" + std::to_string(c->a.heartbeats_in - hb_before) + " in 3.5 s), session up");

    FIX::Session& s = c->session();
    s.setNextSenderMsgSeqNum(s.getExpectedSenderNum() + 5);
    send(order("O5", FIX::Side_BUY, 10, 99), *c);
    c->wait_er("O5", '0', "order after our gap");
    if (c->a.resend_requests_in < 1 || c->a.gap_fills_out < 1) fail("our gap: no ResendRequest from the exchange or no gap fill");
    ok("a gap of 5 in our sequence: the exchange sent ResendRequest, QuickFIX gap-filled, O5 resent and acknowledged");

    const int target = s.getExpectedTargetNum();
    const std::size_t before = c->a.app_in.size();
    s.setNextTargetMsgSeqNum(target - 3);
    if (!c->poll_until([&] { return c->a.possdup_app_in > 0 && s.getExpectedTargetNum() > target; }, 5)) {
        fail("exchange gap: no resent application message (ResendRequests sent " + std::to_string(c->a.resend_requests_out) + ")");
    }
    if (c->a.resend_requests_out < 1 || !c->a.logged_on) fail("exchange gap: QuickFIX sent no ResendRequest or logged out");
    ok("a gap in the exchange's sequence: QuickFIX's ResendRequest answered, " + std::to_string(c->a.app_in.size() - before) +
       " ExecutionReport(s) resent with PossDupFlag=Y");

    const int sender_before = s.getExpectedSenderNum();
    const int target_before = s.getExpectedTargetNum();
    s.logout("restart");
    if (!c->poll_until([&] { return !c->a.logged_on; }, 5)) fail("logout before restart");
    c->destroy();
    c.reset();
    if (stop_exchange() != 0) fail("fix_exchange did not exit 0 on SIGTERM");
    start_exchange(port);
    c.reset(new client);
    c->create();
    if (!c->poll_until([&] { return c->a.logged_on; }, 10)) fail("logon after restart");
    FIX::Session& s2 = c->session();
    // Our Logout and Logon took one number each, the exchange's Logout answer and Logon too (and a
    // Heartbeat may have been on its way): had either end started again at 1, the other would
    // have logged out with "MsgSeqNum too low".
    if (s2.getExpectedSenderNum() < sender_before + 2 || s2.getExpectedTargetNum() < target_before + 2) {
        fail("restart: sequence numbers sender " + std::to_string(s2.getExpectedSenderNum()) + " target " +
             std::to_string(s2.getExpectedTargetNum()) + ", want " + std::to_string(sender_before + 2) + " and " +
             std::to_string(target_before + 2));
    }
    ok("both ends restarted and logged on again, sequence numbers resumed from the stores (next sender " +
       std::to_string(s2.getExpectedSenderNum()) + ", next target " + std::to_string(s2.getExpectedTargetNum()) + ")");
    send(order("O6", FIX::Side_SELL, 5, 99.99), *c);
    c->wait_er("O6", 'F', "order after restart");
    ok("order O6 sell 5 @ 99.99 filled after the restart");

    c->session().logout("done");
    if (!c->poll_until([&] { return !c->a.logged_on; }, 5)) fail("logout");
    ok("logout");
    const int next_seq = c->session().getExpectedSenderNum();
    c->destroy();
    garbled_session(next_seq);
    ok("garbage and a message with a wrong CheckSum ignored: the TestRequest after them answered");
    if (stop_exchange() != 0) fail("fix_exchange did not exit 0 on SIGTERM");
    ok("fix_exchange stopped by SIGTERM, exit 0");
    std::printf("quickfix initiator scenario: passed\n");
    return 0;
}
