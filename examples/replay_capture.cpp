// replay_capture: rebuilds every book of a recorded exchange capture and checks every oracle the
// stream carries (Kraken's checksum, Binance's bookTicker at the same update id, update-id and
// sequence chains). Usage: replay_capture FILE [--exchange X] [--symbol S] [--json FILE]
// Last line: messages=N book_updates=U checksums_ok=C checksums_failed=F bbo_checked=B
// bbo_mismatched=M gaps=G resyncs=R. Exit 0: read fully and every check held; 1: a check
// failed (checksum, BBO or gap); 2: bad usage or unreadable input.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/replay.hpp"

namespace {

namespace pc = pinnacle::connect;

constexpr const char* usage =
    "usage: replay_capture FILE [--exchange binance|binance-usdm|kraken|coinbase|coinbase-exchange|bitstamp] [--symbol S] [--json FILE]\n";

nlohmann::json counters_json(const pc::feed_counters& c) {
    return nlohmann::json{{"messages", c.messages},
                          {"book_updates", c.book_updates},
                          {"trades", c.trades},
                          {"rejected", c.rejected},
                          {"dropped", c.dropped},
                          {"checksums_ok", c.checksums_ok},
                          {"checksums_failed", c.checksums_failed},
                          {"bbo_checked", c.bbo_checked},
                          {"bbo_mismatched", c.bbo_mismatched},
                          {"gaps", c.gaps},
                          {"resyncs", c.resyncs},
                          {"ticker_agree", c.ticker_agree},
                          {"ticker_disagree", c.ticker_disagree}};
}

// Writes `text` to `path` through a temporary in the same directory, then renames it.
void write_atomically(const std::string& path, const std::string& text) {
    const std::filesystem::path target(path);
    std::filesystem::path tmp = target;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(path + ": cannot write (temporary " + tmp.string() + ")");
        out << text;
        out.flush();
        if (!out) throw std::runtime_error(path + ": write failed");
    }
    std::filesystem::rename(tmp, target);
}

} // namespace

int main(int argc, char** argv) {
    std::string file, symbol, json_path;
    pc::exchange_kind forced = pc::exchange_kind::unknown;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&](const char* flag) -> const char* {
            if (i + 1 >= argc) {
                std::cerr << "replay_capture: " << flag << " needs a value\n" << usage;
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--exchange") {
            const char* v = value("--exchange");
            const auto k = pc::exchange_from_name(v);
            if (!k) {
                std::cerr << "replay_capture: --exchange must be one of binance, binance-usdm, kraken, coinbase, coinbase-exchange, bitstamp; got '" << v << "'\n" << usage;
                return 2;
            }
            forced = *k;
        } else if (a == "--symbol") {
            symbol = value("--symbol");
        } else if (a == "--json") {
            json_path = value("--json");
        } else if (a == "--help" || a == "-h") {
            std::cout << usage;
            return 0;
        } else if (!a.empty() && a.front() == '-') {
            std::cerr << "replay_capture: unknown flag '" << a << "'\n" << usage;
            return 2;
        } else if (file.empty()) {
            file = a;
        } else {
            std::cerr << "replay_capture: more than one FILE given ('" << file << "', '" << a << "')\n" << usage;
            return 2;
        }
    }
    if (file.empty()) {
        std::cerr << "replay_capture: no capture FILE given\n" << usage;
        return 2;
    }
    pc::capture_replay replay(forced, symbol);
    try {
        pc::capture_reader reader(file);
        std::string_view line;
        while (reader.next(line)) {
            try {
                replay.on_line(line, reader.line_no());
            } catch (const std::runtime_error& e) {
                throw std::runtime_error(file + ": " + e.what());
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "replay_capture: " << e.what() << '\n';
        return 2;
    }
    const pc::feed_counters t = replay.totals();
    std::cout << "exchange " << pc::to_string(replay.exchange()) << ", instruments "
              << (replay.listed_instruments() ? "from the capture's reference data" : "on the 1e-8 fallback grid") << '\n';
    for (const auto& b : replay.symbols()) {
        if (!symbol.empty() && b.name != symbol) continue;
        const auto& c = b.counters;
        std::cout << "  " << b.name << ": messages " << c.messages << ", book_updates " << c.book_updates << ", trades " << c.trades
                  << ", checksums " << c.checksums_ok << "/" << c.checksums_ok + c.checksums_failed << ", bbo " << c.bbo_checked - c.bbo_mismatched
                  << "/" << c.bbo_checked << ", gaps " << c.gaps << ", resyncs " << c.resyncs << ", rejected " << c.rejected
                  << ", book " << (b.stale() ? "STALE" : "live") << " (" << b.book.depth(pinnacle::side::buy) << " bids, "
                  << b.book.depth(pinnacle::side::sell) << " asks)\n";
    }
    for (const auto& n : replay.notes()) std::cout << "note: " << n << '\n';
    if (replay.note_count() > replay.notes().size())
        std::cout << "note: ... " << replay.note_count() - replay.notes().size() << " more\n";
    if (!json_path.empty()) {
        nlohmann::json j = counters_json(t);
        j["exchange"] = std::string(pc::to_string(replay.exchange()));
        j["file"] = file;
        j["instruments_listed"] = replay.listed_instruments();
        nlohmann::json per = nlohmann::json::object();
        for (const auto& b : replay.symbols()) {
            if (!symbol.empty() && b.name != symbol) continue;
            nlohmann::json s = counters_json(b.counters);
            s["stale"] = b.stale();
            s["bid_levels"] = b.book.depth(pinnacle::side::buy);
            s["ask_levels"] = b.book.depth(pinnacle::side::sell);
            per[b.name] = std::move(s);
        }
        j["symbols"] = std::move(per);
        j["notes"] = replay.notes();
        try {
            write_atomically(json_path, j.dump(2) + "\n");
        } catch (const std::exception& e) {
            std::cerr << "replay_capture: " << e.what() << '\n';
            return 2;
        }
    }
    std::cout << "messages=" << t.messages << " book_updates=" << t.book_updates << " checksums_ok=" << t.checksums_ok
              << " checksums_failed=" << t.checksums_failed << " bbo_checked=" << t.bbo_checked << " bbo_mismatched=" << t.bbo_mismatched
              << " gaps=" << t.gaps << " resyncs=" << t.resyncs << std::endl;
    return (t.checksums_failed != 0 || t.bbo_mismatched != 0 || t.gaps != 0) ? 1 : 0;
}
