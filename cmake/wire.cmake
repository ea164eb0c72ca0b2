# pinnacle::wire (include/pinnacle/connect/wire/): WebSocket and HTTP(S) clients over Boost.Beast /
# Asio with OpenSSL, the exchange replay server, the live feed. Needs pinnacle::connect (the
# decoders), Boost headers (1.74: Beast, Asio, header-only) and OpenSSL (Debian: libboost-dev
# libssl-dev); it exists only when all are found. exchange_replay_server, live_market_maker and the
# tests (tests/wire.cmake) are set up here so the top CMakeLists.txt needs one include() line.
#
# Unlike the rest of pinnacle, pinnacle::wire is a compiled STATIC library: Beast's WebSocket, HTTP
# and SSL templates take minutes per translation unit under the sanitizers, so they are compiled
# once per build, in two sources (src/wire/client.cpp, src/wire/server.cpp: the two cores build
# them side by side); the headers declare, and the programs and the test binary parse no Beast
# header. It is built only for this tree's programs and tests (not in the fuzz preset) and is not
# installed: an installed pinnacle::connect carries no header that needs Boost or OpenSSL.
option(PINNACLE_WIRE "Build pinnacle::wire when Boost and OpenSSL are found" ON)
set(PINNACLE_HAVE_WIRE OFF)
if(NOT PINNACLE_WIRE OR NOT TARGET pinnacle::connect)
  return()
endif()
find_package(Boost 1.74 QUIET CONFIG COMPONENTS headers)
if(NOT Boost_FOUND)
  find_package(Boost 1.74 QUIET)
endif()
find_package(OpenSSL QUIET)
find_package(Threads QUIET)
if(NOT TARGET Boost::headers AND TARGET Boost::boost)
  add_library(Boost::headers ALIAS Boost::boost)
endif()
if(NOT TARGET Boost::headers OR NOT TARGET OpenSSL::SSL OR NOT TARGET Threads::Threads)
  message(STATUS "pinnacle::wire: not built (needs Boost >= 1.74 headers, OpenSSL, threads)")
  return()
endif()

if(NOT PINNACLE_BUILD_EXAMPLES AND NOT PINNACLE_BUILD_TESTS)
  return()
endif()
add_library(pinnacle_wire STATIC ${PROJECT_SOURCE_DIR}/src/wire/client.cpp ${PROJECT_SOURCE_DIR}/src/wire/server.cpp)
add_library(pinnacle::wire ALIAS pinnacle_wire)
target_link_libraries(pinnacle_wire PUBLIC pinnacle::connect Boost::headers Threads::Threads
  PRIVATE OpenSSL::SSL OpenSSL::Crypto pinnacle_dev_flags)
# Sanitizer / Debug builds (gcc-asan, clang-tsan): line tables only (-g1) for the library, whose
# Beast templates at -O1 -g took over 4 CPU-minutes per source under ASan. NOT -O0: simdjson turns
# its development checks on when __OPTIMIZE__ is undefined, which changes its classes' layout, and
# the decoders' inline functions are shared with the -O1 programs (an ODR violation ASan caught).
if(PINNACLE_SANITIZE OR CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_options(pinnacle_wire PRIVATE -g1)
endif()
set(PINNACLE_HAVE_WIRE ON)
message(STATUS "pinnacle::wire: built")

if(PINNACLE_BUILD_EXAMPLES)
  foreach(ex IN ITEMS exchange_replay_server live_market_maker)
    add_executable(${ex} ${PROJECT_SOURCE_DIR}/examples/${ex}.cpp)
    target_link_libraries(${ex} PRIVATE pinnacle::wire pinnacle_dev_flags)
    set_target_properties(${ex} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
  endforeach()
endif()

if(PINNACLE_BUILD_TESTS)
  include(${PROJECT_SOURCE_DIR}/tests/wire.cmake)
endif()
