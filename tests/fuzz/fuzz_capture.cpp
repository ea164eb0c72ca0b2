// libFuzzer target: capture line parsing (hftbacktest, cryptofeed v2 raw and v3 records) and the
// routing to every decoder, one capture line per input line. Errors about the file are exceptions
// by design (std::runtime_error naming the line); anything else escaping is a bug.
#include <stdexcept>

#include "fuzz_connect_common.hpp"
#include "pinnacle/connect/replay.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinnacle::connect::capture_replay r;
    std::size_t line = 0;
    try {
        pinnacle_fuzz::for_each_message(data, size, [&](std::string_view m) { r.on_line(m, ++line); });
    } catch (const std::runtime_error&) {
    } catch (const std::bad_alloc&) {
    }
    return 0;
}
