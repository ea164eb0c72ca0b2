// exchange_replay_server: serves a recorded exchange capture on 127.0.0.1 as the exchange would
// (WebSocket stream after the client's subscribe, REST depth snapshots on the same port), with
// fault injection, so live_market_maker can be tested end to end without reaching an exchange.
//
//   exchange_replay_server FILE [--port P] [--speed X | --max-speed] [--close-at-end]
//                          [--exchange E] [--drop K] [--duplicate K] [--swap K] [--stall K:MS]
//                          [--close-after K] [--garbage K] [--snapshot-error]
//
// First stdout line: exactly "listening ws://127.0.0.1:PORT". K counts the capture's WebSocket
// messages from 1 in file order; each fault flag may repeat. Runs until SIGINT / SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>


#include "cli.hpp"
#include "pinnacle/connect/wire/replay_server.hpp"

namespace {
const char* const usage =
    "usage: exchange_replay_server FILE [--port P] [--speed X | --max-speed] [--close-at-end] [--exchange E]\n"
    "                              [--drop K] [--duplicate K] [--swap K] [--stall K:MS] [--close-after K] [--garbage K]\n"
    "                              [--snapshot-error]\n"
    "  --port P          TCP port on 127.0.0.1 (default 0: a free one; the first line says which)\n"
    "  --speed X         pace: 1 = as recorded (default), 10 = ten times faster; --max-speed: no pacing\n"
    "  --close-at-end    close the connection after the last message (default: stay open, ping every second)\n"
    "  faults (K = the capture's WebSocket message number, from 1 in file order; each may repeat):\n"
    "  --drop K          never send K             --duplicate K   send K twice\n"
    "  --swap K          send K+1 before K        --stall K:MS    wait MS milliseconds before K\n"
    "  --close-after K   close after sending K    --garbage K     a non-JSON frame before K\n"
    "  --snapshot-error  the first REST snapshot request gets HTTP 503\n";
} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle::connect;
    using namespace pinnacle::connect::wire;
    using pinnacle_examples::bad_flag;
    std::string file;
    server_options o;
    o.speed = 1.0;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            auto value = [&]() -> const char* {
                if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
                return argv[++i];
            };
            auto k = [&]() { return static_cast<std::uint64_t>(pinnacle_examples::parse_unsigned(a, value(), 1, 1ull << 62)); };
            if (a == "--port") o.port = static_cast<std::uint16_t>(pinnacle_examples::parse_unsigned(a, value(), 0, 65535));
            else if (a == "--speed") {
                o.speed = pinnacle_examples::parse_double(a, value());
                if (!(o.speed > 0)) throw bad_flag{"--speed must be > 0"};
            } else if (a == "--max-speed") o.speed = 0;
            else if (a == "--close-at-end") o.close_at_end = true;
            else if (a == "--exchange") {
                const std::string v = value();
                const auto e = exchange_from_name(v);
                if (!e) throw bad_flag{"--exchange must be binance, binance-usdm, kraken, coinbase, coinbase-exchange or bitstamp, got '" + v + "'"};
                o.exchange = *e;
            } else if (a == "--drop") o.faults.drop.insert(k());
            else if (a == "--duplicate") o.faults.duplicate.insert(k());
            else if (a == "--swap") o.faults.swap.insert(k());
            else if (a == "--close-after") o.faults.close_after.insert(k());
            else if (a == "--garbage") o.faults.garbage.insert(k());
            else if (a == "--snapshot-error") o.faults.snapshot_error = true;
            else if (a == "--stall") {
                const std::string v = value();
                const std::size_t c = v.find(':');
                if (c == std::string::npos) throw bad_flag{"--stall needs K:MS, got '" + v + "'"};
                const std::string ks = v.substr(0, c), ms = v.substr(c + 1);
                o.faults.stall.emplace_back(pinnacle_examples::parse_unsigned("--stall K", ks.c_str(), 1, 1ull << 62),
                                            static_cast<std::uint32_t>(pinnacle_examples::parse_unsigned("--stall MS", ms.c_str(), 0, 3'600'000)));
            } else if (!a.empty() && a.front() == '-') throw bad_flag{"unknown flag '" + std::string(a) + "'"};
            else if (file.empty()) file = std::string(a);
            else throw bad_flag{"more than one FILE given ('" + file + "', '" + std::string(a) + "')"};
        }
        if (file.empty()) throw bad_flag{"no capture FILE given"};
    } catch (const bad_flag& e) {
        std::cerr << "exchange_replay_server: " << e.what << '\n' << usage;
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    try {
        loaded_capture cap = load_capture(file, o.exchange);
        if (cap.ws_messages == 0) {
            std::cerr << "exchange_replay_server: " << file << ": no WebSocket messages\n";
            return 2;
        }
        const std::string exch(to_string(cap.exchange));
        const std::uint64_t n = cap.ws_messages;
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
        replay_server srv(std::move(cap), o);
        const std::uint16_t port = srv.start();
        std::printf("listening ws://127.0.0.1:%u\n", static_cast<unsigned>(port));
        std::printf("exchange %s, %llu WebSocket messages, REST snapshots on http://127.0.0.1:%u\n", exch.c_str(),
                    static_cast<unsigned long long>(n), static_cast<unsigned>(port));
        std::fflush(stdout);
        // The server runs on its own thread; this one waits for SIGINT / SIGTERM (blocked above,
        // before that thread started, so only sigwait receives them).
        int sig = 0;
        (void)sigwait(&stop_signals, &sig);
        srv.stop();
        const server_stats& s = srv.stats();
        std::printf("stopped: connections=%llu sent=%llu filtered=%llu faults=%llu snapshots=%llu snapshot_errors=%llu finished=%d\n",
                    static_cast<unsigned long long>(s.connections), static_cast<unsigned long long>(s.sent),
                    static_cast<unsigned long long>(s.filtered), static_cast<unsigned long long>(s.faults),
                    static_cast<unsigned long long>(s.snapshots), static_cast<unsigned long long>(s.snapshot_errors), s.finished ? 1 : 0);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "exchange_replay_server: " << e.what() << '\n';
        return 2;
    }
}
