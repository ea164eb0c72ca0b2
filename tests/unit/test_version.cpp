// pinnacle/version.hpp is generated from project(VERSION) in CMakeLists.txt: its macros must agree
// with the version CMake was configured with (passed in as PINNACLE_EXPECTED_VERSION).

#include <doctest/doctest.h>

#include <string>

#include "pinnacle/version.hpp"

TEST_CASE("version: PINNACLE_VERSION macros match project(VERSION)") {
    CHECK(std::string(PINNACLE_VERSION) == PINNACLE_EXPECTED_VERSION);
    const std::string parts = std::to_string(PINNACLE_VERSION_MAJOR) + "." + std::to_string(PINNACLE_VERSION_MINOR) +
                              "." + std::to_string(PINNACLE_VERSION_PATCH);
    CHECK(parts == PINNACLE_VERSION);
    CHECK(PINNACLE_VERSION_NUMBER == PINNACLE_VERSION_MAJOR * 10000 + PINNACLE_VERSION_MINOR * 100 + PINNACLE_VERSION_PATCH);
    static_assert(PINNACLE_VERSION_MINOR < 100 && PINNACLE_VERSION_PATCH < 100, "PINNACLE_VERSION_NUMBER packs 2 digits each");
}
