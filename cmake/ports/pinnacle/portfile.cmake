# vcpkg overlay port that builds pinnacle from the source tree it sits in (cmake/ports/pinnacle is
# three levels below the repository root), so from a clone:
#   vcpkg install pinnacle --overlay-ports=cmake/ports
# then find_package(pinnacle CONFIG REQUIRED) and link pinnacle::pinnacle. The registry variant,
# which downloads a release tag and checks its SHA512, is in docs/packaging.md.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT EXISTS "${SOURCE_PATH}/include/pinnacle/pinnacle.hpp")
    message(FATAL_ERROR "this overlay port builds the pinnacle tree around it, but ${SOURCE_PATH} is not one")
endif()

# One version: the port's (vcpkg.json) must be the project's (project(VERSION) in CMakeLists.txt).
file(READ "${SOURCE_PATH}/CMakeLists.txt" pinnacle_cmakelists)
if(NOT pinnacle_cmakelists MATCHES "project\\(pinnacle VERSION ([0-9.]+)")
    message(FATAL_ERROR "cannot find project(pinnacle VERSION ...) in ${SOURCE_PATH}/CMakeLists.txt")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "vcpkg.json says ${VERSION} but CMakeLists.txt says ${CMAKE_MATCH_1}: update vcpkg.json")
endif()

# Header-only: one (release) configuration is all there is to install.
set(VCPKG_BUILD_TYPE release)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DPINNACLE_BUILD_TESTS=OFF
        -DPINNACLE_BUILD_EXAMPLES=OFF
        -DPINNACLE_BUILD_BENCHMARKS=OFF
        -DPINNACLE_BUILD_DOCS=OFF
        -DPINNACLE_INSTALL=ON
)
vcpkg_cmake_install()

# pinnacle installs its package files to share/pinnacle/cmake (cmake/install.cmake); vcpkg wants
# them in share/pinnacle.
vcpkg_cmake_config_fixup(PACKAGE_NAME pinnacle CONFIG_PATH share/pinnacle/cmake)

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug")
# The license is installed as vcpkg's copyright file instead of share/doc/pinnacle.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/doc")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
