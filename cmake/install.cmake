# Install and export rules for the header-only pinnacle::pinnacle target. Included from the
# top-level CMakeLists.txt when PINNACLE_INSTALL is ON (the default only when pinnacle is the
# top-level project). Consumers then use find_package(pinnacle CONFIG REQUIRED).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The package is architecture independent (headers only), so its config lives under share/.
# Packagers may override; the vcpkg port and tests/package.cmake rely on this default.
set(PINNACLE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/pinnacle/cmake"
    CACHE STRING "Where pinnacle's CMake package files are installed, relative to the prefix")
mark_as_advanced(PINNACLE_INSTALL_CMAKEDIR)

# Headers go to ${CMAKE_INSTALL_INCLUDEDIR}/pinnacle/...; the exported target gets that include
# directory from the file set, and carries cxx_std_20 but none of the dev flags.
install(TARGETS pinnacle EXPORT pinnacleTargets FILE_SET HEADERS)

install(EXPORT pinnacleTargets
  NAMESPACE pinnacle::
  DESTINATION "${PINNACLE_INSTALL_CMAKEDIR}")

# pinnacle::connect (exchange decoders: simdjson, nlohmann_json, zlib, zstd) in its own export
# set, so that pinnacleConfig.cmake loads it only when those dependencies are found
# (docs/packaging.md, "Components"). Not built (a dependency missing): not installed either.
if(TARGET pinnacle_connect)
  install(TARGETS pinnacle_connect EXPORT pinnacleConnectTargets FILE_SET HEADERS)
  install(EXPORT pinnacleConnectTargets
    NAMESPACE pinnacle::
    DESTINATION "${PINNACLE_INSTALL_CMAKEDIR}")
endif()

# pinnacle::journal (event journal, state hash, snapshots: libxxhash) likewise in its own export
# set (pinnacleJournalTargets.cmake); pinnacleConfig.cmake finds libxxhash as the build did.
if(TARGET pinnacle_journal_lib)
  install(TARGETS pinnacle_journal_lib EXPORT pinnacleJournalTargets FILE_SET HEADERS)
  install(EXPORT pinnacleJournalTargets
    NAMESPACE pinnacle::
    DESTINATION "${PINNACLE_INSTALL_CMAKEDIR}")
endif()

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/pinnacleConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/pinnacleConfig.cmake"
  INSTALL_DESTINATION "${PINNACLE_INSTALL_CMAKEDIR}")

# 0.x: SameMajorVersion accepts any 0.y; tighten to SameMinorVersion if 0.y breaks users.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pinnacleConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)

install(FILES "${PROJECT_BINARY_DIR}/pinnacleConfig.cmake" "${PROJECT_BINARY_DIR}/pinnacleConfigVersion.cmake"
  DESTINATION "${PINNACLE_INSTALL_CMAKEDIR}")

if(EXISTS "${PROJECT_SOURCE_DIR}/LICENSE")
  install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/pinnacle")
endif()
