# Every public header compiles on its own, and twice in a row (include guard / #pragma once):
# pinnacle_check_headers() in cmake/check_headers.cmake. Headers under connect/ and journal/ need
# optional dependencies and are checked where those are found (connect/: tests/CMakeLists.txt,
# connect/fix/: cmake/fix.cmake, journal/: tests/journal.cmake, journal/jsonl/: tests/jsonl.cmake).
file(GLOB_RECURSE PINNACLE_CHECKED_HEADERS CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/include"
  "${PROJECT_SOURCE_DIR}/include/pinnacle/*.hpp")
list(FILTER PINNACLE_CHECKED_HEADERS EXCLUDE REGEX "^pinnacle/(connect|journal)/")
list(SORT PINNACLE_CHECKED_HEADERS)

# The architecture requires the core (types, pools, books) to build without exceptions too.
pinnacle_check_headers(pinnacle HEADERS ${PINNACLE_CHECKED_HEADERS} LINK pinnacle::pinnacle
  NOEXCEPT "^pinnacle/(core|memory|book)/" DIR headers)
