// Conan test package: the packaged headers compile, link and run, and the version is the recipe's.
#include <cstdio>
#include <cstring>

#include "pinnacle/pinnacle.hpp"
#include "pinnacle/version.hpp"

int main(int argc, char**) {
    using namespace pinnacle;
    const price bid{1'234'500 + (argc - 1)};
    const price ask = bid + price{100};
    if ((ask - bid).ticks() != 100) return 1;
    if (std::strcmp(PINNACLE_VERSION, PINNACLE_EXPECTED_VERSION) != 0) {
        std::printf("PINNACLE_VERSION %s, package version %s\n", PINNACLE_VERSION, PINNACLE_EXPECTED_VERSION);
        return 2;
    }
    std::printf("pinnacle %s: ok\n", PINNACLE_VERSION);
    return 0;
}
