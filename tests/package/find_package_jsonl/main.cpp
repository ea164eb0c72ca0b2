// Uses the installed pinnacle::jsonl: writes a JSONL log (session_start, a connection_event and
// 100 strategy_metrics lines) through its background writer thread to a temporary file, closes
// it, and parses every line back with nlohmann_json. Exit 0 on success.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "pinnacle/journal/jsonl/event_log.hpp"

int main() {
    using namespace pinnacle;
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("pinnacle_find_package_jsonl_" + std::to_string(::getpid()) + ".jsonl");
    std::filesystem::remove(path);
    {
        jsonl_options o;
        o.path = path.string();
        jsonl_log log(o, nlohmann::ordered_json{{"program", "find_package_jsonl_consumer"}});
        jsonl_record c{};
        c.type = jsonl_type::connection_event;
        c.ts = 1;
        jsonl_copy_text(c.u.connection.event, "logon");
        jsonl_copy_text(c.u.connection.state, "active");
        if (!log.push(c)) return 1;
        for (int i = 0; i < 100; ++i) {
            jsonl_record m{};
            m.type = jsonl_type::strategy_metrics;
            m.ts = 2 + i;
            m.u.metrics.position = i;
            if (!log.push(m)) return 1;
        }
        if (const std::string err = log.close(); !err.empty()) {
            std::fprintf(stderr, "jsonl consumer: %s\n", err.c_str());
            return 1;
        }
    }
    std::ifstream in(path);
    std::string line;
    int lines = 0;
    int metrics = 0;
    while (std::getline(in, line)) {
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded()) return 1;
        ++lines;
        if (j.value("type", "") == "strategy_metrics") ++metrics;
    }
    in.close();
    std::filesystem::remove(path);
    std::printf("jsonl consumer: %d lines, %d strategy_metrics\n", lines, metrics);
    return metrics == 100 ? 0 : 1;
}
