# The `package.fetchcontent_export` test: configures, builds and installs tests/package/fetchcontent_export
# (pinnacle through FetchContent, plus the consumer's own exported library), checks what went into
# the prefix, then builds and runs a downstream project against the installed package.
#   cmake -DWORK_DIR=<dir> -DPINNACLE_SOURCE_DIR=<dir> -DGENERATOR=<g> -DCXX=<compiler>
#         [-DBUILD_TYPE=<t>] [-DVERSION=<x.y.z>] -P fetchcontent_export.cmake
foreach(var IN ITEMS WORK_DIR PINNACLE_SOURCE_DIR GENERATOR CXX VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "fetchcontent_export.cmake: -D${var}=... is required")
  endif()
endforeach()
set(src "${CMAKE_CURRENT_LIST_DIR}/fetchcontent_export")
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
set(common -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}")
if(BUILD_TYPE)
  list(APPEND common "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}): ${ARGN}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

step("configure the consumer" "${CMAKE_COMMAND}" -S "${src}" -B "${WORK_DIR}/build" ${common}
  "-DPINNACLE_TEST_SOURCE_DIR=${PINNACLE_SOURCE_DIR}")
step("build the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
step("install the consumer" "${CMAKE_COMMAND}" --install "${WORK_DIR}/build" --prefix "${prefix}")

# The consumer's prefix holds its own package and, through PINNACLE_INSTALL, pinnacle's.
file(GLOB_RECURSE found RELATIVE "${prefix}" "${prefix}/*quoterTargets.cmake" "${prefix}/*pinnacleConfig.cmake"
  "${prefix}/*/pinnacle/version.hpp" "${prefix}/*/pinnacle/pinnacle.hpp")
list(LENGTH found n)
if(NOT n EQUAL 4)
  message(FATAL_ERROR "expected quoterTargets.cmake, pinnacleConfig.cmake, pinnacle/version.hpp and "
                      "pinnacle/pinnacle.hpp in ${prefix}; found: ${found}")
endif()
file(GLOB_RECURSE dev_files "${prefix}/*pinnacle_tests*" "${prefix}/*backtest_lobster*")
if(dev_files)
  message(FATAL_ERROR "pinnacle's development files were installed by the consumer: ${dev_files}")
endif()

step("configure downstream" "${CMAKE_COMMAND}" -S "${src}/downstream" -B "${WORK_DIR}/downstream" ${common}
  "-DCMAKE_PREFIX_PATH=${prefix}" "-DPINNACLE_EXPECTED_VERSION=${VERSION}")
step("build downstream" "${CMAKE_COMMAND}" --build "${WORK_DIR}/downstream")
step("run downstream" "${WORK_DIR}/downstream/downstream")
