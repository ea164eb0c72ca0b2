// libFuzzer target: the LOBSTER message reader on arbitrary bytes, its events fed to an l3_book.
// Every input must end in events or parse_errors, never a crash or UB; every event it yields
// must be within the library's bounds (core/bounds.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/core/bounds.hpp"
#include "pinnacle/feed/lobster.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pinnacle;
    static l3_book book(l3_book_config{1u << 12, 1u << 10});
    book.clear();
    // The first byte picks a lot size of 1 or 100, to reach the lot-size arithmetic too.
    instrument inst = lobster_instrument();
    if (size > 0 && (data[0] & 1u) != 0) inst.lot_size = 100;
    std::string text(reinterpret_cast<const char*>(data), size);
    auto reader = lobster_message_reader::from_buffer(std::move(text), "fuzz", inst);
    market_event ev{};
    for (std::size_t n = 0; n < size + 2; ++n) {  // at most one line per byte: bounded
        try {
            if (!reader.next(ev)) break;
        } catch (const parse_error&) {
            continue;  // a further call continues with the following line
        }
        if (ev.size.lots() < 0 || ev.size.lots() > bounds::max_qty_lots) std::abort();
        if (ev.px.ticks() < 0 || ev.px.ticks() > bounds::max_price_ticks) std::abort();
        (void)book.apply(ev);
    }
    return 0;
}
