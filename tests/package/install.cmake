# Installs pinnacle's build tree into a fresh prefix and checks that exactly the package went in:
# the headers, the CMake package files and the license, nothing built for development.
# Run by the `package.install` CTest fixture (tests/package.cmake):
#   cmake -DBUILD_DIR=<top build dir> -DPREFIX=<dir> -DINCLUDEDIR=<rel> [-DCONFIG=<cfg>] -P install.cmake
foreach(var IN ITEMS BUILD_DIR PREFIX INCLUDEDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install.cmake: -D${var}=... is required")
  endif()
endforeach()

# A fresh prefix each run, so a header deleted from the tree cannot linger in the package.
file(REMOVE_RECURSE "${PREFIX}")
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_args}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (${rc})")
endif()

# The package files may live wherever PINNACLE_INSTALL_CMAKEDIR says; find them, exactly once.
file(GLOB_RECURSE configs RELATIVE "${PREFIX}" "${PREFIX}/*/pinnacleConfig.cmake")
list(LENGTH configs n_configs)
if(NOT n_configs EQUAL 1)
  message(FATAL_ERROR "expected one pinnacleConfig.cmake in ${PREFIX}, found ${n_configs}: ${configs}")
endif()
get_filename_component(CMAKEDIR "${configs}" DIRECTORY)
message(STATUS "package files in ${CMAKEDIR}")
foreach(f IN ITEMS
    "${CMAKEDIR}/pinnacleConfigVersion.cmake"
    "${CMAKEDIR}/pinnacleTargets.cmake"
    "${INCLUDEDIR}/pinnacle/pinnacle.hpp"
    "${INCLUDEDIR}/pinnacle/version.hpp"
    "${INCLUDEDIR}/pinnacle/core/types.hpp"
    "${INCLUDEDIR}/pinnacle/connect/fix/codec.hpp")
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "installed package lacks ${f}")
  endif()
endforeach()

# pinnacle::connect is installed when it was built (its dependencies were found), with its headers.
if(EXISTS "${PREFIX}/${CMAKEDIR}/pinnacleConnectTargets.cmake" AND NOT EXISTS "${PREFIX}/${INCLUDEDIR}/pinnacle/connect/binance.hpp")
  message(FATAL_ERROR "pinnacle::connect is exported but its headers are not installed")
endif()

# Tests, examples and benchmarks must never be installed.
file(GLOB_RECURSE installed RELATIVE "${PREFIX}" "${PREFIX}/*")
foreach(f IN LISTS installed)
  if(NOT f MATCHES "^${INCLUDEDIR}/pinnacle/.*\\.hpp$"
     AND NOT f MATCHES "^${CMAKEDIR}/pinnacle[A-Za-z-]*\\.cmake$"
     AND NOT f MATCHES "/doc/pinnacle/LICENSE$")
    message(FATAL_ERROR "unexpected file in the installed package: ${f}")
  endif()
endforeach()
list(LENGTH installed n)
message(STATUS "installed ${n} files into ${PREFIX}")
