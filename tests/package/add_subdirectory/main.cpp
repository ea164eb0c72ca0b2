// Uses pinnacle built as a subdirectory of this project, through pinnacle::pinnacle only.
#include "pinnacle/pinnacle.hpp"
#include "pinnacle/version.hpp"  // generated into pinnacle's build tree, found through the target

#include <cstring>

static_assert(__cplusplus >= 202002L, "pinnacle::pinnacle must bring C++20 to its users");

int main(int argc, char**) {
    using namespace pinnacle;
    // argc keeps the values run-time ones.
    const price bid{1'234'500 + (argc - 1)};
    const price ask = bid + price{100};
    const qty size = qty{200} - qty{50};
    if ((ask - bid).ticks() != 100) return 1;
    if ((size * bid).tick_lots() != 185'175'000) return 2;
    const timestamp t0{34'200'000'000'000};  // 09:30:00 in ns after midnight
    if ((t0 + duration{1'500} - t0).ns() != 1'500) return 3;
    if (to_string(status::pool_exhausted) != "pool_exhausted") return 4;
    if (std::strcmp(PINNACLE_VERSION, PINNACLE_EXPECTED_VERSION) != 0) return 5;
    return 0;
}
