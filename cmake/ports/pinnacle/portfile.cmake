# Overlay port for pinnacle (header-only). Use it with
#   vcpkg install pinnacle --overlay-ports=<pinnacle>/cmake/ports
# then find_package(pinnacle CONFIG REQUIRED) and link pinnacle::pinnacle.

# Header-only: one (release) configuration is all there is to install.
set(VCPKG_BUILD_TYPE release)

vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    # TO BE FILLED AT RELEASE: the public repository, and the SHA512 of the v${VERSION} tarball
    # (run `vcpkg install` once with SHA512 0; vcpkg prints the actual hash to paste here).
    REPO OWNER/pinnacle
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DPINNACLE_BUILD_TESTS=OFF
        -DPINNACLE_BUILD_EXAMPLES=OFF
        -DPINNACLE_BUILD_BENCHMARKS=OFF
        -DPINNACLE_INSTALL=ON
)
vcpkg_cmake_install()

# pinnacle installs its package files to share/pinnacle/cmake (cmake/install.cmake); vcpkg wants
# them in share/pinnacle.
vcpkg_cmake_config_fixup(PACKAGE_NAME pinnacle CONFIG_PATH share/pinnacle/cmake)

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug")
# The license is installed as vcpkg's copyright file instead of share/doc/pinnacle.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/doc")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
