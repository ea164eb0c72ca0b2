# pinnacle::jsonl (cmake/jsonl.cmake): one test binary, the header checks of journal/jsonl/, and
# backtest_lobster --jsonl checked against its own --json report.
file(GLOB pinnacle_jsonl_test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/jsonl/*.cpp)
add_executable(pinnacle_jsonl_tests ${pinnacle_jsonl_test_sources})
target_link_libraries(pinnacle_jsonl_tests PRIVATE pinnacle::jsonl pinnacle_dev_flags doctest::doctest)
target_compile_definitions(pinnacle_jsonl_tests PRIVATE PINNACLE_EXAMPLES_DATA_DIR="${PROJECT_SOURCE_DIR}/examples/data")
add_test(NAME jsonl.unit COMMAND pinnacle_jsonl_tests)
set_tests_properties(jsonl.unit PROPERTIES TIMEOUT 300)

# Every journal/jsonl/ header compiles on its own, twice (tests/headers.cmake skips journal/).
file(GLOB pinnacle_jsonl_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/include/pinnacle/journal/jsonl/*.hpp)
pinnacle_check_headers(pinnacle_jsonl HEADERS ${pinnacle_jsonl_headers} LINK pinnacle::jsonl)

if(TARGET backtest_lobster)
  set(jl_dir ${CMAKE_CURRENT_BINARY_DIR}/jsonl_runs)
  file(MAKE_DIRECTORY ${jl_dir})
  # The first 8,000 messages of the bundled AMZN day (09:30 to about 10:12; same file names, so the
  # date and level still come from them), so the check stays seconds long under the sanitizers.
  set(jl_amzn ${PROJECT_SOURCE_DIR}/examples/data/AMZN_2012-06-21_34200000_57600000)
  foreach(part IN ITEMS message orderbook)
    set(jl_${part} ${jl_dir}/AMZN_2012-06-21_34200000_57600000_${part}_1.csv)
    if(NOT EXISTS ${jl_${part}})
      file(STRINGS ${jl_amzn}_${part}_1.csv jl_lines LIMIT_COUNT 8000)
      list(JOIN jl_lines "\n" jl_text)
      file(WRITE ${jl_${part}} "${jl_text}\n")
    endif()
  endforeach()
  # Those messages with a kill switch at 10:05 (so a mass cancel is logged), then the file checked
  # against the run's own report by the test binary.
  add_test(NAME jsonl.backtest_cli COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=0 -DEXPECT_REGEX=jsonl
    -DJSON_FILE=${jl_dir}/report.json -DJSON_KEYS=jsonl_dropped -DJSON_EQUALS=jsonl_dropped=0
    -P ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake --
    $<TARGET_FILE:backtest_lobster> --messages ${jl_message} --orderbook ${jl_orderbook}
    --kill-switch-at 10:05:00 --jsonl ${jl_dir}/run.jsonl --jsonl-levels 3
    --json ${jl_dir}/report.json)
  set_tests_properties(jsonl.backtest_cli PROPERTIES FIXTURES_SETUP jsonl_cli TIMEOUT 300)
  add_test(NAME jsonl.backtest_cli_check COMMAND pinnacle_jsonl_tests --test-case=cli*)
  set_tests_properties(jsonl.backtest_cli_check PROPERTIES FIXTURES_REQUIRED jsonl_cli
    ENVIRONMENT "PINNACLE_JSONL_FILE=${jl_dir}/run.jsonl;PINNACLE_JSONL_REPORT=${jl_dir}/report.json")
  # Bad flags are refused with a message naming them.
  add_test(NAME jsonl.backtest_bad_flags COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=2 -DEXPECT_STDERR_REGEX=--jsonl-levels
    -P ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake -- $<TARGET_FILE:backtest_lobster> --jsonl ${jl_dir}/x.jsonl --jsonl-levels 11)
endif()
