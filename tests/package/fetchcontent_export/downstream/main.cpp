// Links the consumer's installed library; pinnacle's headers come from the consumer's prefix.
#include <cstring>

#include "pinnacle/version.hpp"
#include "quoter/quoter.hpp"

int main(int argc, char**) {
    if (quote_ask(pinnacle::price{1'000 + (argc - 1)}, 5).ticks() != 1'005) return 1;
    if (std::strcmp(PINNACLE_VERSION, PINNACLE_EXPECTED_VERSION) != 0) return 2;
    return 0;
}
