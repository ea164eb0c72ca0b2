# The example programs, run as tests: exit codes and the lines issues promise are checked.
if(NOT PINNACLE_BUILD_EXAMPLES)
  return()
endif()
set(check ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake)
set(data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(shared ${PROJECT_SOURCE_DIR}/../shared/data/lobster)

function(pinnacle_example_test name)
  cmake_parse_arguments(T "" "EXIT;REGEX;STDERR_REGEX;JSON_FILE" "CMD;JSON_KEYS" ${ARGN})
  set(args -DEXPECT_EXIT=${T_EXIT})
  if(DEFINED T_REGEX)
    list(APPEND args "-DEXPECT_REGEX=${T_REGEX}")
  endif()
  if(DEFINED T_STDERR_REGEX)
    list(APPEND args "-DEXPECT_STDERR_REGEX=${T_STDERR_REGEX}")
  endif()
  if(DEFINED T_JSON_FILE)
    list(APPEND args "-DJSON_FILE=${T_JSON_FILE}" "-DJSON_KEYS=${T_JSON_KEYS}")
  endif()
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} ${args} -P ${check} -- ${T_CMD})
endfunction()

# replay_lobster: the acceptance command. Last line exactly rows=N mismatched_rows=M slid_in=K.
set(aapl_msg ${data}/AAPL_2012-06-21_34200000_57600000_message_10.csv)
set(aapl_ob ${data}/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv)
pinnacle_example_test(example.replay_lobster.aapl_bundled EXIT 0
  CMD $<TARGET_FILE:replay_lobster> ${aapl_msg} ${aapl_ob}
  REGEX "\nrows=999 mismatched_rows=0 slid_in=[0-9]+\n$")
pinnacle_example_test(example.replay_lobster.aapl_depth3 EXIT 0
  CMD $<TARGET_FILE:replay_lobster> ${aapl_msg} ${aapl_ob} --depth 3
  REGEX "\nrows=999 mismatched_rows=0 slid_in=[0-9]+\n$")
pinnacle_example_test(example.replay_lobster.detects_mismatch EXIT 1
  CMD $<TARGET_FILE:replay_lobster> ${data}/bad/AAPL_60_message_10.csv ${data}/bad/AAPL_60_orderbook_10_corrupted.csv
  REGEX "mismatch: row 39 \\(message line 40\\) ask level 1.*\nrows=60 mismatched_rows=1 slid_in=[0-9]+\n$")
pinnacle_example_test(example.replay_lobster.malformed_line EXIT 2
  CMD $<TARGET_FILE:replay_lobster> ${data}/bad/AAPL_60_message_10_malformed.csv ${data}/bad/AAPL_60_orderbook_10_corrupted.csv
  STDERR_REGEX "AAPL_60_message_10_malformed.csv:30: field 'type'")
pinnacle_example_test(example.replay_lobster.missing_file EXIT 2
  CMD $<TARGET_FILE:replay_lobster> ${data}/no_such_message.csv ${aapl_ob}
  STDERR_REGEX "no_such_message.csv")
pinnacle_example_test(example.replay_lobster.bad_depth EXIT 2
  CMD $<TARGET_FILE:replay_lobster> ${aapl_msg} ${aapl_ob} --depth 11
  STDERR_REGEX "exceeds the 10 levels")
# Every pair in ../shared/data/lobster, when it is there.
file(GLOB shared_pairs "${shared}/*_message_*.csv")
foreach(msg IN LISTS shared_pairs)
  string(REPLACE "_message_" "_orderbook_" ob "${msg}")
  if(EXISTS "${ob}")
    get_filename_component(stem "${msg}" NAME_WE)
    pinnacle_example_test(example.replay_lobster.shared.${stem} EXIT 0
      CMD $<TARGET_FILE:replay_lobster> ${msg} ${ob}
      REGEX "\nrows=[0-9]+ mismatched_rows=0 slid_in=[0-9]+\n$")
  endif()
endforeach()

# backtest_lobster: the main job on bundled data, its JSON, and bad input.
pinnacle_example_test(example.backtest_lobster.bundled_day EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --json ${CMAKE_CURRENT_BINARY_DIR}/backtest.json
  REGEX "events +57515\n.*fills +[1-9][0-9]*\n.*events/s"
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/backtest.json
  JSON_KEYS "events;fills;position;realized_pnl;total_pnl;fees;volume;max_drawdown;sharpe;events_per_second")
pinnacle_example_test(example.backtest_lobster.aapl_pair EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --messages ${aapl_msg} --orderbook ${aapl_ob}
  REGEX "events +999\n")
pinnacle_example_test(example.backtest_lobster.malformed_line EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${data}/bad/AAPL_60_message_10_malformed.csv
  STDERR_REGEX "AAPL_60_message_10_malformed.csv:30: field 'type'")
pinnacle_example_test(example.backtest_lobster.mismatched_pair EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${aapl_msg} --orderbook ${data}/bad/AAPL_60_orderbook_10_corrupted.csv
  STDERR_REGEX "one row per message")
pinnacle_example_test(example.backtest_lobster.bad_flag EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --gamma -1
  STDERR_REGEX "gamma")
