// Uses an installed pinnacle through find_package(pinnacle) and pinnacle::pinnacle only.
#include "pinnacle/pinnacle.hpp"
#include "pinnacle/version.hpp"  // generated at configure time and installed with the headers

#include <cstring>

static_assert(__cplusplus >= 202002L, "pinnacle::pinnacle must bring C++20 to its users");

int main(int argc, char**) {
    using namespace pinnacle;
    const instrument amzn = lobster_instrument("AMZN");
    // $123.45 in LOBSTER units (dollars x 10,000, one tick each); argc keeps it a run-time value.
    const price px = amzn.from_feed(1'234'500 + (argc - 1));
    const qty size{300};
    const notional value = px * size;
    if (value.tick_lots() != 370'350'000) return 1;
    if (amzn.to_currency(value) != 37'035.0) return 2;  // exact: 370,350,000 / 10,000
    if (!(px + price{100} > px)) return 3;
    // The installed header and the package's version file come from the same project(VERSION).
    if (std::strcmp(PINNACLE_VERSION, PINNACLE_EXPECTED_VERSION) != 0) return 4;
    return 0;
}
