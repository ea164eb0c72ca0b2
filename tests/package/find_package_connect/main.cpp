// Uses an installed pinnacle::connect (a Binance snapshot and update through simdjson, a zstd
// capture reader compiled in) and pinnacle::fix, found with find_package(... COMPONENTS connect fix).
#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/fix/codec.hpp"

#include <string_view>

int main() {
    namespace pc = pinnacle::connect;
    pc::binance_decoder d(pc::binance_market::spot);
    d.set_instrument("BTCUSDT", pc::instrument_spec{pc::grid_of_decimals(2), pc::grid_of_decimals(5)});
    const std::string_view snapshot = R"({"lastUpdateId":10,"bids":[["100.00","1.00000"]],"asks":[["100.01","2.00000"]]})";
    if (d.on_snapshot("BTCUSDT", snapshot).status != pc::feed_status::ok) return 1;
    const std::string_view update =
        R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":12,"b":[["100.00","0.50000"]],"a":[]})";
    if (d.on_message(update).status != pc::feed_status::ok) return 2;
    const auto& book = d.symbol(0).book;
    if (book.depth(pinnacle::side::buy) != 1 || book.level(pinnacle::side::buy, 0).size.lots() != 50'000) return 3;
    if (d.symbol(0).stale()) return 4;
    // pinnacle::fix: the start of a message frames as incomplete (read more), not as an error.
    pinnacle::fix::field fields[8];
    if (pinnacle::fix::parse_message("8=FIX.4.4\x01" "9=5\x01", fields, nullptr).status != pinnacle::fix::parse_status::incomplete) return 5;
    return 0;
}
