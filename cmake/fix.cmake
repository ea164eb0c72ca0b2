# FIX 4.4 (include/pinnacle/connect/fix/): codec, dictionary validation, typed views. Standard
# library only, so pinnacle::fix needs nothing pinnacle::pinnacle does not; it lives under
# connect/ (ARCHITECTURE.md) and its own target. Tests, fix_decode and bench_fix are set up here
# so the top CMakeLists.txt needs one include() line. QuickFIX (libquickfix-dev) is used only by
# bench_fix, in a separate -std=gnu++14 library (its 1.15.1 headers use dynamic exception specs).
add_library(pinnacle_fix INTERFACE)
add_library(pinnacle::fix ALIAS pinnacle_fix)
target_link_libraries(pinnacle_fix INTERFACE pinnacle::pinnacle)
set_target_properties(pinnacle_fix PROPERTIES EXPORT_NAME fix)
# Its headers are its own file set: pinnacle::pinnacle's leaves out everything under connect/.
file(GLOB PINNACLE_FIX_HEADERS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/pinnacle/connect/fix/*.hpp")
target_sources(pinnacle_fix INTERFACE FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/include" FILES ${PINNACLE_FIX_HEADERS})
if(PINNACLE_INSTALL)
  # Exported beside pinnacle::pinnacle, in the same export set (no dependency of its own).
  install(TARGETS pinnacle_fix EXPORT pinnacleTargets FILE_SET HEADERS)
endif()

# The TCP transport (connect/fix/transport.hpp) needs Boost.Asio (header-only, Boost >= 1.71) and
# threads; without Boost the codec and the session state machine still build.
find_package(Boost 1.71 QUIET CONFIG COMPONENTS headers)
find_package(Threads)
if(Boost_FOUND)
  add_library(pinnacle_fix_transport INTERFACE)
  add_library(pinnacle::fix_transport ALIAS pinnacle_fix_transport)
  target_link_libraries(pinnacle_fix_transport INTERFACE pinnacle::fix Boost::headers Threads::Threads)
else()
  message(STATUS "pinnacle: Boost headers not found: no FIX TCP transport, fix_exchange not built")
endif()

# QuickFIX (libquickfix-dev) is test and benchmark only: peers built as separate C++14 programs.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND AND (PINNACLE_BUILD_TESTS OR PINNACLE_BUILD_BENCHMARKS))
  pkg_check_modules(QUICKFIX QUIET IMPORTED_TARGET quickfix)
endif()

set(PINNACLE_FIX_DIR ${PROJECT_SOURCE_DIR}/cmake/fix)
set(PINNACLE_FIX_DATA ${PROJECT_SOURCE_DIR}/tests/data/fix)
set(PINNACLE_FIX_SHARED ${PROJECT_SOURCE_DIR}/../shared/data/fix)

if(PINNACLE_BUILD_EXAMPLES)
  add_executable(fix_decode ${PROJECT_SOURCE_DIR}/examples/fix_decode.cpp)
  target_link_libraries(fix_decode PRIVATE pinnacle::fix pinnacle_dev_flags)
  set_target_properties(fix_decode PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
  if(Boost_FOUND)
    add_executable(fix_exchange ${PROJECT_SOURCE_DIR}/examples/fix_exchange.cpp)
    target_link_libraries(fix_exchange PRIVATE pinnacle::fix_transport pinnacle_dev_flags)
    set_target_properties(fix_exchange PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
    # The backtest's engine trading through fix_venue (here, not in examples/CMakeLists.txt: this
    # file is included after the examples directory, where pinnacle::fix_transport does not exist yet).
    add_executable(fix_market_maker ${PROJECT_SOURCE_DIR}/examples/fix_market_maker.cpp)
    target_link_libraries(fix_market_maker PRIVATE pinnacle::fix_transport nlohmann_json::nlohmann_json pinnacle_dev_flags)
    target_compile_definitions(fix_market_maker PRIVATE PINNACLE_EXAMPLES_DATA_DIR="${PROJECT_SOURCE_DIR}/examples/data")
    set_target_properties(fix_market_maker PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
    if(TARGET pinnacle::jsonl)  # fix_market_maker --jsonl: the JSONL event log
      target_link_libraries(fix_market_maker PRIVATE pinnacle::jsonl)
      target_compile_definitions(fix_market_maker PRIVATE PINNACLE_HAVE_JSONL=1)
    endif()
  endif()
endif()

if(PINNACLE_BUILD_TESTS)
  find_package(doctest REQUIRED)
  file(GLOB pinnacle_fix_test_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fix/*.cpp)
  # The allocation counter of the unit tests proves the encoder does not allocate.
  add_executable(pinnacle_fix_tests ${pinnacle_fix_test_sources} ${PROJECT_SOURCE_DIR}/tests/unit/alloc_counter.cpp)
  target_include_directories(pinnacle_fix_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(pinnacle_fix_tests PRIVATE pinnacle::fix pinnacle_dev_flags doctest::doctest)
  target_compile_definitions(pinnacle_fix_tests PRIVATE PINNACLE_FIX_TEST_DATA_DIR="${PINNACLE_FIX_DATA}")
  # fix_market_maker against fix_exchange runs as its own test (example.fix_market_maker below).
  add_test(NAME fix.unit COMMAND pinnacle_fix_tests --test-case-exclude=fix_market_maker*)
  if(Boost_FOUND)
    target_link_libraries(pinnacle_fix_tests PRIVATE pinnacle::fix_transport)
    target_compile_definitions(pinnacle_fix_tests PRIVATE PINNACLE_FIX44_XML="${PROJECT_SOURCE_DIR}/cmake/fix/FIX44.xml")
    if(TARGET fix_exchange)
      # fix_exchange run as a program by tests/fix/test_exchange.cpp.
      add_dependencies(pinnacle_fix_tests fix_exchange)
      target_compile_definitions(pinnacle_fix_tests PRIVATE PINNACLE_FIX_EXCHANGE="$<TARGET_FILE:fix_exchange>"
        PINNACLE_FIX_EXCHANGE_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}/fix_exchange_test_run")
      if(TARGET fix_market_maker)
        # tests/fix/test_market_maker.cpp: fix_market_maker against fix_exchange, both as programs.
        add_dependencies(pinnacle_fix_tests fix_market_maker)
        target_compile_definitions(pinnacle_fix_tests PRIVATE PINNACLE_FIX_MARKET_MAKER="$<TARGET_FILE:fix_market_maker>"
          PINNACLE_FIX_MARKET_MAKER_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}/fix_market_maker_test_run"
          PINNACLE_FIX_EXAMPLES_DATA="${PROJECT_SOURCE_DIR}/examples/data")
        if(TARGET pinnacle::jsonl)  # the test also runs fix_market_maker --jsonl and reads the log
          target_compile_definitions(pinnacle_fix_tests PRIVATE PINNACLE_FIX_MARKET_MAKER_JSONL=1)
        endif()
        add_test(NAME example.fix_market_maker COMMAND pinnacle_fix_tests --test-case=fix_market_maker*)
        set_tests_properties(example.fix_market_maker PROPERTIES TIMEOUT 60)
      endif()
    endif()
    if(QUICKFIX_FOUND)
      # fix_venue against a QuickFIX executor (a separate C++14 program) over 127.0.0.1. The QuickFIX
      # peers are built without sanitizers: under -fno-sanitize-recover a report inside QuickFIX's
      # inline code ends the peer with the runtimes' exit status 1, a failure of the test peer
      # rather than of the code under test (which stays sanitized, in this process and fix_exchange).
      add_executable(fix_quickfix_executor ${PROJECT_SOURCE_DIR}/tests/fix/quickfix/executor.cpp)
      set_target_properties(fix_quickfix_executor PROPERTIES CXX_STANDARD 14 CXX_EXTENSIONS ON)
      target_link_libraries(fix_quickfix_executor PRIVATE PkgConfig::QUICKFIX pinnacle_warning_flags)
      add_dependencies(pinnacle_fix_tests fix_quickfix_executor)
      target_compile_definitions(pinnacle_fix_tests PRIVATE
        PINNACLE_FIX_QUICKFIX_EXECUTOR="$<TARGET_FILE:fix_quickfix_executor>"
        PINNACLE_FIX_VENUE_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}/fix_venue_quickfix_run")
    endif()
  endif()

  # Every connect/fix header compiles on its own, twice (tests/headers.cmake skips connect/); the
  # codec and the session also without exceptions (not the Asio transport, which needs Boost).
  file(GLOB pinnacle_fix_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
    ${PROJECT_SOURCE_DIR}/include/pinnacle/connect/fix/*.hpp)
  set(pinnacle_fix_header_links pinnacle::fix)
  if(Boost_FOUND)
    list(APPEND pinnacle_fix_header_links pinnacle::fix_transport)
  else()
    list(FILTER pinnacle_fix_headers EXCLUDE REGEX "transport")
  endif()
  pinnacle_check_headers(pinnacle_fix HEADERS ${pinnacle_fix_headers} LINK ${pinnacle_fix_header_links}
    NOEXCEPT "^pinnacle/connect/fix/" NOEXCEPT_SKIP "transport")

  # The committed dictionary header is what the generator makes from the committed XML.
  if(Boost_FOUND)
    add_executable(fix_dictgen ${PINNACLE_FIX_DIR}/fix_dictgen.cpp)
    target_link_libraries(fix_dictgen PRIVATE Boost::headers)
    set(fix44_header ${PROJECT_SOURCE_DIR}/include/pinnacle/connect/fix/fix44_dictionary.hpp)
    add_test(NAME fix.dictionary_generated COMMAND ${CMAKE_COMMAND}
      -DGEN=$<TARGET_FILE:fix_dictgen> -DXML=${PINNACLE_FIX_DIR}/FIX44.xml
      -DOUT=${CMAKE_CURRENT_BINARY_DIR}/fix44_dictionary.hpp -DCOMMITTED=${fix44_header}
      -P ${PINNACLE_FIX_DIR}/check_generated.cmake)
    add_custom_target(fix_regenerate_dictionary
      COMMAND fix_dictgen ${PINNACLE_FIX_DIR}/FIX44.xml ${fix44_header} fix44
      COMMENT "Regenerating ${fix44_header} from FIX44.xml")
  else()
    message(STATUS "pinnacle: Boost headers not found, test fix.dictionary_generated not added")
  endif()

  if(PINNACLE_BUILD_EXAMPLES)
    set(decode_check ${PINNACLE_FIX_DIR}/check_decode.cmake)
    function(pinnacle_fix_decode_test name file exit regex)
      add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:fix_decode> -DFILE=${file}
        -DEXPECT_EXIT=${exit} "-DEXPECT_REGEX=${regex}" -P ${decode_check})
      set_tests_properties(${name} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: ")
    endfunction()
    # Bundled slices: counts as in tests/data/fix/README.md.
    pinnacle_fix_decode_test(example.fix_decode.fix41 ${PINNACLE_FIX_DATA}/fix.4.1.set.1 0
      "MsgType 0 +2\nMsgType 3 +2\nMsgType 8 +5\nMsgType A +2\nMsgType D +3\nMsgType F +2\n.*\nmessages=16 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.fixt11_order_entry ${PINNACLE_FIX_DATA}/fix.5.0.set.2 0
      "\nmessages=65 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.fixt11_market_data ${PINNACLE_FIX_DATA}/fix.5.0.set.1.head40 0
      "\nmessages=40 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.corrupted ${PINNACLE_FIX_DATA}/bad/fix.4.1.set.1.corrupted 1
      "bad_checksum at byte 230 \\(tag 10\\)\nbad_body_length at byte 444 \\(tag 9\\)\ngarbled at byte 919 \\(tag 3\\)\n.*\nmessages=13 garbled=1 checksum_errors=1 body_length_errors=1\n$")
    # FIX 4.4 messages written by QuickFIX itself (cmake/fix/make_quickfix_sample.cpp): all validate.
    pinnacle_fix_decode_test(example.fix_decode.quickfix44 ${PINNACLE_FIX_DATA}/quickfix44.messages.log 0
      "MsgType 0 +1\nMsgType 1 +1\nMsgType 2 +1\nMsgType 3 +1\nMsgType 4 +1\nMsgType 5 +1\nMsgType 8 +2\nMsgType 9 +1\nMsgType A +2\nMsgType D +1\nMsgType F +1\nMsgType G +1\nMsgType j +1\nvalidated as FIX.4.4: 15, rejected: 0\nmessages=15 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.quickfix44_invalid ${PINNACLE_FIX_DATA}/bad/quickfix44.invalid.log 1
      "SessionRejectReason=1 \\(Required tag missing\\) RefTagID=11\n.*SessionRejectReason=5 .* RefTagID=39\n.*SessionRejectReason=2 .* RefTagID=44\n.*validated as FIX.4.4: 3, rejected: 3\nmessages=3 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    # QuickFIX against fix_exchange over 127.0.0.1 (tests/fix/quickfix/): both ends in one test.
    if(QUICKFIX_FOUND AND TARGET fix_exchange)
      add_executable(fix_quickfix_initiator ${PROJECT_SOURCE_DIR}/tests/fix/quickfix/initiator_scenario.cpp)
      set_target_properties(fix_quickfix_initiator PROPERTIES CXX_STANDARD 14 CXX_EXTENSIONS ON)
      target_link_libraries(fix_quickfix_initiator PRIVATE PkgConfig::QUICKFIX pinnacle_warning_flags)
      add_test(NAME fix.quickfix.initiator COMMAND fix_quickfix_initiator $<TARGET_FILE:fix_exchange>
        ${PINNACLE_FIX_DIR}/FIX44.xml ${CMAKE_CURRENT_BINARY_DIR}/fix_quickfix_initiator_run)
      set_tests_properties(fix.quickfix.initiator PROPERTIES TIMEOUT 120 PASS_REGULAR_EXPRESSION "quickfix initiator scenario: passed")
    else()
      message(STATUS "pinnacle: QuickFIX or Boost not found, test fix.quickfix.initiator not added")
    endif()
    pinnacle_fix_decode_test(example.fix_decode.missing_file ${PINNACLE_FIX_DATA}/no_such_file 2 "")
    # Every shared log (PROVENANCE.md counts), SKIP when ../shared is absent.
    pinnacle_fix_decode_test(example.fix_decode.shared.fix41 ${PINNACLE_FIX_SHARED}/hffix-testdata/fix.4.1.set.1 0
      "\nmessages=16 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.shared.fix50_set1 ${PINNACLE_FIX_SHARED}/hffix-testdata/fix.5.0.set.1 0
      "MsgType 0 +2523\nMsgType X +11365\n.*\nmessages=13888 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.shared.fix50_set2 ${PINNACLE_FIX_SHARED}/hffix-testdata/fix.5.0.set.2 0
      "MsgType 0 +18\nMsgType 1 +1\nMsgType 2 +1\nMsgType 5 +14\nMsgType A +16\nMsgType D +15\n.*\nmessages=65 garbled=0 checksum_errors=0 body_length_errors=0\n$")
    pinnacle_fix_decode_test(example.fix_decode.shared.quickfix_log
      ${PINNACLE_FIX_SHARED}/quickfix-session-log/FIX.4.2-CLIENT1-EXECUTOR.messages.current.log 0
      "MsgType 8 +21\nMsgType A +2\nMsgType D +21\n.*\nmessages=44 garbled=0 checksum_errors=0 body_length_errors=0\n$")
  endif()
endif()

if(PINNACLE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
  add_executable(bench_fix ${PROJECT_SOURCE_DIR}/benchmarks/fix/bench_fix.cpp)
  target_link_libraries(bench_fix PRIVATE pinnacle::fix pinnacle_dev_flags benchmark::benchmark)
  set_target_properties(bench_fix PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/benchmarks)
  if(QUICKFIX_FOUND)
    # QuickFIX 1.15.1 headers need C++14 (dynamic exception specifications): a separate library.
    add_library(pinnacle_quickfix_peer STATIC ${PROJECT_SOURCE_DIR}/benchmarks/fix/quickfix_peer.cpp)
    set_target_properties(pinnacle_quickfix_peer PROPERTIES CXX_STANDARD 14 CXX_EXTENSIONS ON)
    target_link_libraries(pinnacle_quickfix_peer PUBLIC PkgConfig::QUICKFIX PRIVATE pinnacle_dev_flags)
    target_link_libraries(bench_fix PRIVATE pinnacle_quickfix_peer)
    target_include_directories(bench_fix PRIVATE ${PROJECT_SOURCE_DIR}/benchmarks/fix)
    target_compile_definitions(bench_fix PRIVATE PINNACLE_HAVE_QUICKFIX=1 PINNACLE_FIX44_XML="${PINNACLE_FIX_DIR}/FIX44.xml")
  else()
    message(STATUS "pinnacle: QuickFIX not found, bench_fix runs without the QuickFIX comparison")
  endif()
endif()
