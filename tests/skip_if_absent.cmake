# Like run_and_check.cmake, but first reports "SKIP: <file> is absent" (a CTest skip through the
# test's SKIP_REGULAR_EXPRESSION) when -DREQUIRED_FILE does not exist: for tests on ../shared data.
if(NOT EXISTS "${REQUIRED_FILE}")
  message("SKIP: ${REQUIRED_FILE} is absent")
  return()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/run_and_check.cmake)
