// libFuzzer target: l3_book against reference_book (the plain std::map oracle) under random
// operations, with prices and sizes drawn from the extremes (0, negatives, the bounds and one
// beyond, INT64_MIN / INT64_MAX) as well as ordinary values. Both must return the same status
// for every operation and hold the same levels and queues after it; no operation may overflow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <limits>

#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/reference_book.hpp"
#include "pinnacle/core/bounds.hpp"

namespace {
using namespace pinnacle;
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();

std::int64_t pick_price(std::uint8_t b) {
    constexpr std::int64_t special[] = {i64_min, i64_min + 1, -1, 0, 1, 2, bounds::max_price_ticks - 1,
                                        bounds::max_price_ticks, bounds::max_price_ticks + 1, i64_max - 1, i64_max,
                                        -bounds::max_price_ticks};
    if (b < std::size(special)) return special[b];
    return 100 + b % 8;  // a few ordinary levels, so orders meet
}

std::int64_t pick_size(std::uint8_t b) {
    constexpr std::int64_t special[] = {i64_min, -1, 0, bounds::max_qty_lots - 1, bounds::max_qty_lots,
                                        bounds::max_qty_lots + 1, i64_max, bounds::max_qty_lots / 2 + 1};
    if (b < std::size(special)) return special[b];
    return 1 + b % 8;
}

void same_state(const l3_book& fast, const reference_book& slow) {
    for (const side s : {side::buy, side::sell}) {
        if (fast.depth(s) != slow.depth(s)) std::abort();
        for (std::size_t i = 0; i < fast.depth(s); ++i) {
            const level_info a = fast.level(s, i);
            const level_info b = slow.level(s, i);
            if (a.px != b.px || a.size != b.size || a.orders != b.orders) std::abort();
            if (a.size.lots() < 1 || a.size.lots() > bounds::max_qty_lots) std::abort();
            auto it = slow.queue(s, i).begin();
            fast.for_each_order(s, i, [&](const resting_order& o) {
                if (it == slow.queue(s, i).end() || it->id != o.id || it->size != o.size) std::abort();
                ++it;
            });
            if (it != slow.queue(s, i).end()) std::abort();
        }
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static l3_book fast(l3_book_config{1u << 12, 1u << 12});
    fast.clear();
    reference_book slow;
    for (std::size_t i = 0; i + 4 <= size; i += 4) {
        const std::uint8_t op = data[i];
        const order_id id{data[i + 1] & 15u};
        const side sd = (op & 0x80u) != 0 ? side::sell : side::buy;
        const price px{pick_price(data[i + 2])};
        const qty q{pick_size(data[i + 3])};
        status a = status::ok;
        status b = status::ok;
        switch (op % 6) {
            case 0:
            case 1: {
                market_event e{};
                e.type = event_type::add;
                e.id = id;
                e.side = sd;
                e.px = px;
                e.size = q;
                a = fast.apply(e);
                b = slow.apply(e);
                break;
            }
            case 2:
            case 3: {
                market_event e{};
                e.type = (op & 0x40u) != 0 ? event_type::execute : ((op & 0x20u) != 0 ? event_type::remove : event_type::cancel);
                e.id = id;
                e.side = sd;
                e.px = px;
                e.size = q;
                a = fast.apply(e);
                b = slow.apply(e);
                break;
            }
            case 4:
                a = fast.add_anonymous(sd, px, q);
                b = slow.add_anonymous(sd, px, q);
                break;
            default: {
                const std::size_t n = data[i + 3] % 4;
                fast.truncate(sd, n);
                slow.truncate(sd, n);
                break;
            }
        }
        if (a != b) std::abort();
        same_state(fast, slow);
        // Queries at any price must be safe too.
        (void)fast.size_at(sd, px);
        (void)fast.anonymous_at(sd, px);
    }
    return 0;
}
