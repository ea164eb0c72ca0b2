// libFuzzer target: the LOBSTER orderbook reader on arbitrary bytes, through both of its
// interfaces (rows, and depth_snapshot events). Every level it yields must be within bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/feed/lobster.hpp"

namespace {
void check_level(pinnacle::price px, pinnacle::qty q) {
    if (q.lots() < 0 || q.lots() > pinnacle::bounds::max_qty_lots) std::abort();
    if (px.ticks() < 0 || px.ticks() > pinnacle::bounds::max_price_ticks) std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pinnacle;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto rows = lobster_orderbook_reader::from_buffer(text, "fuzz");
        lobster_book_row row;
        for (std::size_t n = 0; n < size + 2; ++n) {
            try {
                if (!rows.next(row)) break;
            } catch (const parse_error&) {
                continue;
            }
            for (const auto& l : row.asks) check_level(l.px, l.size);
            for (const auto& l : row.bids) check_level(l.px, l.size);
        }
        auto events = lobster_orderbook_reader::from_buffer(text, "fuzz");
        market_event ev{};
        for (std::size_t n = 0; n < 4 * size + 2; ++n) {
            try {
                if (!events.next(ev)) break;
            } catch (const parse_error&) {
                break;  // a row that fails leaves its events undefined: stop here
            }
            check_level(ev.px, ev.size);
        }
    } catch (const parse_error&) {
        // the first row's column count is not a multiple of 4
    }
    return 0;
}
