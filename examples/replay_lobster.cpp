// replay_lobster: rebuild NASDAQ order books from a LOBSTER message file with l3_book and check,
// after every message, that the rebuilt top L levels equal LOBSTER's own orderbook file.
//
//   replay_lobster MESSAGE_CSV ORDERBOOK_CSV [--depth L]
//
// Last line: rows=N mismatched_rows=M slid_in=K. Exit 0 if M == 0, 1 on mismatches, 2 on bad input.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"

namespace {

constexpr const char* usage = "usage: replay_lobster MESSAGE_CSV ORDERBOOK_CSV [--depth L]\n";

std::string describe(const pinnacle::book_level& l) {
    if (l.size.lots() == 0 && l.px.ticks() == 0) return "(no level)";
    return std::to_string(l.size.lots()) + " @ " + std::to_string(l.px.ticks());
}

} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle;
    std::string messages_path;
    std::string orderbook_path;
    std::size_t depth = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (a == "--depth") {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "replay_lobster: --depth needs a value\n%s", usage);
                return 2;
            }
            char* end = nullptr;
            const unsigned long long v = std::strtoull(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || v == 0 || v > 100000) {
                std::fprintf(stderr, "replay_lobster: --depth must be a whole number from 1 to 100000, got '%s'\n", argv[i]);
                return 2;
            }
            depth = static_cast<std::size_t>(v);
        } else if (messages_path.empty()) {
            messages_path = a;
        } else if (orderbook_path.empty()) {
            orderbook_path = a;
        } else {
            std::fprintf(stderr, "replay_lobster: unexpected argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (orderbook_path.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }

    try {
        lobster_message_reader messages(messages_path);
        lobster_orderbook_reader rows(orderbook_path);
        if (depth == 0) depth = rows.levels();
        if (depth > rows.levels()) {
            std::fprintf(stderr, "replay_lobster: --depth %zu exceeds the %zu levels in %s\n", depth, rows.levels(),
                         orderbook_path.c_str());
            return 2;
        }
        lobster_book_checker checker(depth, l3_book_config{std::size_t{1} << 20, std::size_t{1} << 16});
        market_event ev;
        lobster_book_row row;
        std::size_t n = 0;
        while (true) {
            const bool have_msg = static_cast<bool>(messages.next(ev));
            const bool have_row = rows.next(row);
            if (have_msg != have_row) {
                std::fprintf(stderr, "replay_lobster: %s has %s rows than %s (stopped at row %zu)\n", messages_path.c_str(),
                             have_msg ? "more" : "fewer", orderbook_path.c_str(), n + 1);
                return 2;
            }
            if (!have_msg) break;
            if (n == 0) checker.seed(row); else checker.step(ev, row);
            ++n;
        }
        if (n == 0) {
            std::fprintf(stderr, "replay_lobster: %s has no messages\n", messages_path.c_str());
            return 2;
        }
        for (const auto& m : checker.mismatches()) {
            std::printf("mismatch: row %zu (message line %zu) %s level %zu: expected %s, rebuilt %s\n", m.row, m.row + 1,
                        m.side == side::buy ? "bid" : "ask", m.level + 1, describe(m.expected).c_str(),
                        describe(m.actual).c_str());
        }
        std::printf("messages=%zu depth=%zu refused_messages=%zu orders_resting=%zu\n", n, depth,
                    checker.rejected_messages(), checker.book().order_count());
        std::printf("rows=%zu mismatched_rows=%zu slid_in=%zu\n", checker.rows(), checker.mismatched_rows(),
                    checker.slid_in());
        return checker.mismatched_rows() == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "replay_lobster: %s\n", e.what());
        return 2;
    }
}
