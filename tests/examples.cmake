# The example programs, run as tests: exit codes and the lines issues promise are checked.
if(NOT PINNACLE_BUILD_EXAMPLES)
  return()
endif()
set(check ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake)
set(data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(bundled ${PROJECT_SOURCE_DIR}/examples/data)
set(extra "${PINNACLE_EXTRA_LOBSTER_DIR}")  # full days not bundled (cmake/dev_flags.cmake)
if(NOT extra)
  set(extra "<PINNACLE_EXTRA_LOBSTER_DIR unset>")
endif()

function(pinnacle_example_test name)
  cmake_parse_arguments(T "" "EXIT;REGEX;STDERR_REGEX;JSON_FILE;NEEDS_FILE" "CMD;JSON_KEYS;JSON_EQUALS;JSON_AT_MOST" ${ARGN})
  set(args -DEXPECT_EXIT=${T_EXIT})
  if(DEFINED T_NEEDS_FILE)  # data that is not bundled: a CTest skip naming the file when absent
    list(APPEND args "-DNEEDS_FILE=${T_NEEDS_FILE}")
  endif()
  if(DEFINED T_REGEX)
    list(APPEND args "-DEXPECT_REGEX=${T_REGEX}")
  endif()
  if(DEFINED T_STDERR_REGEX)
    list(APPEND args "-DEXPECT_STDERR_REGEX=${T_STDERR_REGEX}")
  endif()
  if(DEFINED T_JSON_FILE)
    list(APPEND args "-DJSON_FILE=${T_JSON_FILE}" "-DJSON_KEYS=${T_JSON_KEYS}")
    if(DEFINED T_JSON_EQUALS)
      list(APPEND args "-DJSON_EQUALS=${T_JSON_EQUALS}")
    endif()
    if(DEFINED T_JSON_AT_MOST)
      list(APPEND args "-DJSON_AT_MOST=${T_JSON_AT_MOST}")
    endif()
  endif()
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} ${args} -P ${check} -- ${T_CMD})
  set_tests_properties(${name} PROPERTIES SKIP_REGULAR_EXPRESSION "PINNACLE_SKIP: ")
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
# The bundled full AMZN day (level 1) against LOBSTER's own book.
pinnacle_example_test(example.replay_lobster.amzn_bundled_day EXIT 0
  CMD $<TARGET_FILE:replay_lobster> ${bundled}/AMZN_2012-06-21_34200000_57600000_message_1.csv
      ${bundled}/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv
  REGEX "\nrows=57515 mismatched_rows=0 slid_in=[0-9]+\n$")

# backtest_lobster: the main job on bundled data, its JSON, and bad input.
pinnacle_example_test(example.backtest_lobster.bundled_day EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --json ${CMAKE_CURRENT_BINARY_DIR}/backtest.json
  REGEX "events +57515\n.*fills +[1-9][0-9]* .*events/s"
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/backtest.json
  JSON_KEYS "events;quotes;cancels;quotes_held;fills;order_to_trade;position;realized_pnl;total_pnl;fees;volume;max_drawdown;sharpe;events_per_second")
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

# Every strategy and queue model runs on the bundled day (bad combinations would exit 2).
foreach(strat IN ITEMS as as-inf glft imbalance)
  pinnacle_example_test(example.backtest_lobster.strategy_${strat} EXIT 0
    CMD $<TARGET_FILE:backtest_lobster> --strategy ${strat} --messages ${aapl_msg} --orderbook ${aapl_ob}
    REGEX "events +999\n")
endforeach()
foreach(q IN ITEMS risk-averse prob)
  pinnacle_example_test(example.backtest_lobster.queue_${q} EXIT 0
    CMD $<TARGET_FILE:backtest_lobster> --queue ${q} --messages ${aapl_msg} --orderbook ${aapl_ob}
    REGEX "queue ${q},")
endforeach()
pinnacle_example_test(example.backtest_lobster.bad_queue EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --queue lifo
  STDERR_REGEX "--queue must be")
# A circuit breaker scenario on real data: the AMZN open moves the mid 19 bps within a second, so a
# 15 bps breaker opens (and the engine pulls its quotes: halts); a 30 bps one never does.
pinnacle_example_test(example.backtest_lobster.breaker_opens_on_real_jump EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --breaker-move-bps 15 --breaker-window-ms 1000
  REGEX "\nbreaker trips  [1-9][0-9]* [(]alerts [0-9]+, hedges [0-9]+, halts [1-9]")
# The kill switch at 10:00:00 (New York time of the data): every quote pulled within one round
# trip plus the response latency (50 + 50 + 50 us), nothing sent after it, nothing left working.
pinnacle_example_test(example.backtest_lobster.kill_switch_bundled EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --kill-switch-at 10:00:00 --json ${CMAKE_CURRENT_BINARY_DIR}/kill.json
  REGEX "\nkill switch    fired: orders sent after it 0, working at end 0"
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/kill.json
  JSON_KEYS "orders_sent_after_kill;working_orders_at_end;kill_to_flat_ns;ledger_overflowed"
  JSON_EQUALS "orders_sent_after_kill=0;working_orders_at_end=0"
  JSON_AT_MOST "kill_to_flat_ns=150000")
pinnacle_example_test(example.backtest_lobster.kill_switch_aapl EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --messages ${aapl_msg} --orderbook ${aapl_ob} --kill-switch-at 09:30:30.5 --k 200
      --json ${CMAKE_CURRENT_BINARY_DIR}/kill_aapl.json
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/kill_aapl.json
  JSON_EQUALS "orders_sent_after_kill=0;working_orders_at_end=0"
  JSON_AT_MOST "kill_to_flat_ns=150000")
pinnacle_example_test(example.backtest_lobster.kill_switch_bad_time EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --kill-switch-at 25:00:00
  STDERR_REGEX "--kill-switch-at must be HH:MM:SS")
pinnacle_example_test(example.backtest_lobster.breaker_quiet_below_threshold EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --breaker-move-bps 30 --breaker-window-ms 1000
  REGEX "\nbreaker trips  0 ")
# The full GOOG day (message file only: starts from an empty book, keeps L = 5); not bundled (4 MB).
set(goog ${extra}/GOOG_2012-06-21_34200000_57600000_message_5.csv)
pinnacle_example_test(example.backtest_lobster.goog_unpaired EXIT 0 NEEDS_FILE ${goog}
  CMD $<TARGET_FILE:backtest_lobster> --messages ${goog} --equity-csv ${CMAKE_CURRENT_BINARY_DIR}/goog_equity.csv
  REGEX "events +112671\n")
# Its bundled excerpt (first 2,000 messages, tests/data/unpaired) always runs.
pinnacle_example_test(example.backtest_lobster.goog_excerpt EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --messages ${data}/unpaired/GOOG_2012-06-21_34200000_57600000_message_5.csv
  REGEX "events +2000\n")
pinnacle_example_test(example.backtest_lobster.goog_kill_switch EXIT 0 NEEDS_FILE ${goog}
  CMD $<TARGET_FILE:backtest_lobster> --messages ${goog} --kill-switch-at 10:00:00 --json ${CMAKE_CURRENT_BINARY_DIR}/goog_kill.json
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/goog_kill.json
  JSON_EQUALS "orders_sent_after_kill=0;working_orders_at_end=0"
  JSON_AT_MOST "kill_to_flat_ns=150000")

# simulate_market: the A&S 2008 section 4 table beside the paper's, its JSON, the paper's reading, bad flags.
pinnacle_example_test(example.simulate_market.paper_table EXIT 0
  CMD $<TARGET_FILE:simulate_market> --json ${CMAKE_CURRENT_BINARY_DIR}/simulate_market.json
  REGEX "\n 0\\.10 inventory +\\| 1\\.291  1\\.492  1\\.29 \\|.*\n 0\\.50 symmetric .*\nmarked=8 of 24\n$"
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/simulate_market.json
  JSON_KEYS "model;config;cells;flagged")
pinnacle_example_test(example.simulate_market.paper_reading EXIT 0
  CMD $<TARGET_FILE:simulate_market> --spread arrival-only --fill-distance next-mid
  REGEX "\n  gamma 0\\.5 inventory profit: ours 21\\.040, paper 33\\.920[^\n]*\n\nmarked=1 of 24\n$")
pinnacle_example_test(example.simulate_market.bad_paths EXIT 2
  CMD $<TARGET_FILE:simulate_market> --paths 1
  STDERR_REGEX "--paths needs a whole number from 2 to")
pinnacle_example_test(example.simulate_market.unknown_flag EXIT 2
  CMD $<TARGET_FILE:simulate_market> --gamma 0.1
  STDERR_REGEX "unknown flag '--gamma'")

# route_order: one parent routed with every algorithm over venues made from one real day. The
# program itself checks, at every message, that the venues add up to the reconciled book, and that
# no fill is beyond the limit (exit 1 otherwise); the tests also look for the five rows.
set(route_rows "\nBEST_PRICE +[a-z_]+ +[0-9]+/[0-9]+ .*\nLIQUIDITY_SWEEP +[a-z_]+ .*\nTWAP +[a-z_]+ .*\nVWAP +[a-z_]+ .*\nMARKET_IMPACT +[a-z_]+ .*")
pinnacle_example_test(example.route_order.aapl_sell EXIT 0
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${aapl_ob} --start 34210 --minutes 0.5 --side sell
      --json ${CMAKE_CURRENT_BINARY_DIR}/route_order.json
  REGEX "invariant held at all 999 messages.*SELL 100 shares.*${route_rows}\nchecks: .*every fill within the limit"
  JSON_FILE ${CMAKE_CURRENT_BINARY_DIR}/route_order.json
  JSON_KEYS "parent;venues;algorithms")
# A limit 2 bps from the arrival binds: nothing may fill beyond it, whatever is left unfilled.
pinnacle_example_test(example.route_order.aapl_tight_limit EXIT 0
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${aapl_ob} --start 34210 --minutes 0.5 --side sell
      --qty 2000 --limit-bps 2
  REGEX "${route_rows}\nchecks: .*every fill within the limit")
# Every control and flag at once: 5 weighted venues, venue cap, slippage cap, randomised TWAP.
pinnacle_example_test(example.route_order.aapl_controls EXIT 0
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${aapl_ob} --start 34215 --minutes 0.4 --side buy
      --qty 500 --venues 5 --venue-shares 4,2,2,1,1 --max-venue-share 0.5 --max-slippage-bps 10 --latency-penalty 2
      --slices 8 --randomise 0.3 --seed 7 --lambda 1e-5 --profile-messages ${aapl_msg}
  REGEX "  4      INV2 .*${route_rows}\nchecks: ")
# A message file alone: the book is rebuilt from an empty start, as backtest_lobster does.
pinnacle_example_test(example.route_order.aapl_unpaired EXIT 0
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --start 34220 --minutes 0.3
  REGEX "no orderbook file.*${route_rows}\nchecks: ")
pinnacle_example_test(example.route_order.bad_venues EXIT 2
  CMD $<TARGET_FILE:route_order> --venues 9
  STDERR_REGEX "--venues needs a whole number from 2 to 8, got '9'\nusage: route_order")
pinnacle_example_test(example.route_order.bad_side EXIT 2
  CMD $<TARGET_FILE:route_order> --side hold
  STDERR_REGEX "--side must be buy or sell")
pinnacle_example_test(example.route_order.bad_shares EXIT 2
  CMD $<TARGET_FILE:route_order> --venues 3 --venue-shares 1,1
  STDERR_REGEX "--venue-shares has 2 values for 3 venues")
pinnacle_example_test(example.route_order.start_outside_data EXIT 2
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${aapl_ob} --start 40000
  STDERR_REGEX "--start 40000.000 is outside the data")
pinnacle_example_test(example.route_order.malformed_line EXIT 2
  CMD $<TARGET_FILE:route_order> --messages ${data}/bad/AAPL_60_message_10_malformed.csv
  STDERR_REGEX "AAPL_60_message_10_malformed.csv:30: field 'type'")
pinnacle_example_test(example.route_order.malformed_profile EXIT 2
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${aapl_ob} --profile-messages ${data}/bad/AAPL_60_message_10_malformed.csv
  STDERR_REGEX "AAPL_60_message_10_malformed.csv:30: field 'type'")
pinnacle_example_test(example.route_order.mismatched_pair EXIT 2
  CMD $<TARGET_FILE:route_order> --messages ${aapl_msg} --orderbook ${data}/bad/AAPL_60_orderbook_10_corrupted.csv
  STDERR_REGEX "one row per message")
# The bundled AMZN day with the defaults (10:00-10:30, 3 venues), and the full GOOG day (skipped, naming
# the file, when PINNACLE_EXTRA_LOBSTER_DIR does not hold it).
pinnacle_example_test(example.route_order.bundled_day EXIT 0
  CMD $<TARGET_FILE:route_order>
  REGEX "invariant held at all 57515 messages.*BUY 12300 shares, 10:00:00.000 .. 10:30:00.000.*${route_rows}\nchecks: ")
pinnacle_example_test(example.route_order.goog_unpaired EXIT 0 NEEDS_FILE ${goog}
  CMD $<TARGET_FILE:route_order> --messages ${goog} --side sell --venues 4
  REGEX "invariant held at all 112671 messages.*${route_rows}\nchecks: ")
