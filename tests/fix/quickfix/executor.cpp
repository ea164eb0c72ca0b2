// A QuickFIX acceptor that executes orders, for the fix_venue test (tests/fix/test_venue_quickfix.cpp).
// Built with -std=gnu++14 and QuickFIX only; single-threaded (QuickFIX's poll mode).
//
//   fix_quickfix_executor PORT FIX44.xml WORKDIR
//
// Session EXCH <- MM, FIX.4.4, stores and logs in WORKDIR. Orders of less than 100 lots are
// acknowledged and filled in full at their price; larger ones rest until cancelled or replaced,
// or until the session logs out: then they are filled, and the fill waits in QuickFIX's store
// for the client's ResendRequest after it reconnects. OrderStatusRequest (H) is answered with
// ExecType I. Prints "listening fix://127.0.0.1:PORT" once the acceptor is up; SIGTERM stops it
// (exit 0). Bounded: alarm(60).
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
#include <quickfix/SocketAcceptor.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

struct order {
    std::string cl_ord_id, symbol, side, price;
    double qty = 0, cum = 0;
    int order_id = 0;
    bool open = true;
};

struct executor : FIX::Application {
    std::map<std::string, order> orders;  // by current ClOrdID
    int next_exec = 0;
    int next_order = 0;
    FIX::SessionID id{"FIX.4.4", "EXCH", "MM"};

    void send_er(const order& o, const std::string& cl, const std::string& orig, char exec_type, char status, double last_qty) {
        FIX::Message m;
        m.getHeader().setField(FIX::MsgType("8"));
        m.setField(FIX::OrderID(std::to_string(o.order_id)));
        m.setField(FIX::ClOrdID(cl));
        if (!orig.empty()) m.setField(FIX::OrigClOrdID(orig));
        m.setField(FIX::ExecID("E" + std::to_string(getpid()) + "-" + std::to_string(++next_exec)));
        m.setField(FIX::ExecType(exec_type));
        m.setField(FIX::OrdStatus(status));
        m.setField(FIX::Symbol(o.symbol));
        m.setField(FIX::Side(o.side[0]));
        m.setField(FIX::OrderQty(o.qty));
        m.setField(FIX::Price(std::atof(o.price.c_str())));
        if (last_qty > 0) {
            m.setField(FIX::LastQty(last_qty));
            m.setField(FIX::LastPx(std::atof(o.price.c_str())));
        }
        m.setField(FIX::LeavesQty(o.open ? o.qty - o.cum : 0));
        m.setField(FIX::CumQty(o.cum));
        m.setField(FIX::AvgPx(o.cum > 0 ? std::atof(o.price.c_str()) : 0));
        FIX::Session::sendToTarget(m, id);
    }

    void onCreate(const FIX::SessionID&) override {}
    void onLogon(const FIX::SessionID&) override {}
    void onLogout(const FIX::SessionID&) override {
        // Fill what rests: the reports wait in the store for the client's ResendRequest.
        for (auto& kv : orders) {
            order& o = kv.second;
            if (!o.open) continue;
            const double q = o.qty - o.cum;
            o.cum = o.qty;
            o.open = false;
            send_er(o, o.cl_ord_id, "", 'F', '2', q);
        }
    }
    void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
    void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
    void fromAdmin(const FIX::Message&, const FIX::SessionID&)
        throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
    void fromApp(const FIX::Message& m, const FIX::SessionID&)
        throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
        const std::string type = m.getHeader().getField(FIX::FIELD::MsgType);
        const std::string cl = m.getField(FIX::FIELD::ClOrdID);
        if (type == "D") {
            order o;
            o.cl_ord_id = cl;
            o.symbol = m.getField(FIX::FIELD::Symbol);
            o.side = m.getField(FIX::FIELD::Side);
            o.price = m.getField(FIX::FIELD::Price);
            o.qty = std::atof(m.getField(FIX::FIELD::OrderQty).c_str());
            o.order_id = ++next_order;
            send_er(o, cl, "", '0', '0', 0);
            if (o.qty < 100) {
                o.cum = o.qty;
                o.open = false;
                send_er(o, cl, "", 'F', '2', o.qty);
            }
            orders[cl] = o;
            return;
        }
        if (type == "H") {
            const auto it = orders.find(cl);
            if (it == orders.end()) return;
            const order& o = it->second;
            send_er(o, cl, "", 'I', o.open ? (o.cum > 0 ? '1' : '0') : '2', 0);
            return;
        }
        if (type != "F" && type != "G") throw FIX::UnsupportedMessageType();
        const std::string orig = m.getField(FIX::FIELD::OrigClOrdID);
        const auto it = orders.find(orig);
        if (it == orders.end() || !it->second.open) {
            FIX::Message r;
            r.getHeader().setField(FIX::MsgType("9"));
            r.setField(FIX::OrderID(it == orders.end() ? std::string("NONE") : std::to_string(it->second.order_id)));
            r.setField(FIX::ClOrdID(cl));
            r.setField(FIX::OrigClOrdID(orig));
            r.setField(FIX::OrdStatus(it == orders.end() ? '8' : '2'));
            r.setField(FIX::CxlRejResponseTo(type == "F" ? '1' : '2'));
            FIX::Session::sendToTarget(r, id);
            return;
        }
        order o = it->second;
        orders.erase(it);
        o.cl_ord_id = cl;
        if (type == "F") {
            o.open = false;
            send_er(o, cl, orig, '4', '4', 0);
        } else {
            o.qty = std::atof(m.getField(FIX::FIELD::OrderQty).c_str());
            o.price = m.getField(FIX::FIELD::Price);
            send_er(o, cl, orig, '5', '0', 0);
        }
        orders[cl] = o;
    }
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: fix_quickfix_executor PORT FIX44.xml WORKDIR\n");
        return 2;
    }
    ::alarm(60);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    const std::string workdir = argv[3];
    const std::string cfg = workdir + "/quickfix_executor.cfg";
    {
        std::ofstream f(cfg);
        f << "[DEFAULT]\nConnectionType=acceptor\nSocketAcceptPort=" << argv[1] << "\nStartTime=00:00:00\nEndTime=00:00:00\n"
          << "NonStopSession=Y\nFileStorePath=" << workdir << "/executor_store\nFileLogPath=" << workdir << "/executor_log\n"
          << "UseDataDictionary=Y\nDataDictionary=" << argv[2] << "\n\n[SESSION]\nBeginString=FIX.4.4\nSenderCompID=EXCH\nTargetCompID=MM\n";
    }
    try {
        executor app;
        FIX::SessionSettings settings(cfg);
        FIX::FileStoreFactory store(settings);
        FIX::FileLogFactory log(settings);
        FIX::SocketAcceptor acceptor(app, store, settings, log);
        acceptor.poll(0.0);
        std::printf("listening fix://127.0.0.1:%s\n", argv[1]);
        std::fflush(stdout);
        while (!stop_requested) acceptor.poll(0.05);
        acceptor.stop(true);
    } catch (const FIX::Exception& e) {
        std::fprintf(stderr, "fix_quickfix_executor: %s\n", e.what());
        return 2;
    }
    return 0;
}
