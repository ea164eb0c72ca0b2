# Hardening regressions, run through the example programs as a user would: each
# reproducer from the issue now gives a clear error (exit 2) or a correct result with a warning.
# Uses pinnacle_example_test() from examples.cmake; API cases are in tests/unit/test_bounds.cpp.
if(NOT PINNACLE_BUILD_EXAMPLES OR NOT COMMAND pinnacle_example_test)
  return()
endif()
set(hd ${CMAKE_CURRENT_SOURCE_DIR}/data/hardening)
set(aapl_msg ${CMAKE_CURRENT_SOURCE_DIR}/data/AAPL_2012-06-21_34200000_57600000_message_10.csv)

# 1. A size of 2^63 - 1 used to overflow the level total (UBSan) and exit 0 with a report.
pinnacle_example_test(hardening.size_overflow.backtest EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${hd}/size_overflow_message_1.csv
  STDERR_REGEX "size_overflow_message_1.csv:1: field 'size': size above 100000000 lots")
# 2. An ask at 2^63 - 1 overflowed the mid sums, the ledger and the breaker.
pinnacle_example_test(hardening.price_overflow.backtest EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${hd}/price_overflow_message_1.csv
  STDERR_REGEX "price_overflow_message_1.csv:2: field 'price': price above 10000000000 ticks")
pinnacle_example_test(hardening.price_overflow.route_order EXIT 2
  CMD $<TARGET_FILE:route_order> --messages ${hd}/price_overflow_message_1.csv
  STDERR_REGEX "price_overflow_message_1.csv:2: field 'price': price above")
# 3. Fees in bps were unbounded: 1e15 became a huge rebate, 1e300 silently no fee.
foreach(v IN ITEMS 1e15 1e300 -1e15)
  pinnacle_example_test(hardening.fee_bps.maker_${v} EXIT 2
    CMD $<TARGET_FILE:backtest_lobster> --maker-fee-bps ${v}
    STDERR_REGEX "fee in bps must be a finite number within -10000..10000")
endforeach()
pinnacle_example_test(hardening.fee_bps.taker EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --taker-fee-bps 20000
  STDERR_REGEX "fee in bps must be")
pinnacle_example_test(hardening.fee_ticks EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --taker-fee 100001
  STDERR_REGEX "--taker-fee needs a whole number")
# 4. The order-rate limit failed open below ~1e-7 orders/s.
foreach(v IN ITEMS 1e-8 1e-300)
  pinnacle_example_test(hardening.order_rate.${v} EXIT 2
    CMD $<TARGET_FILE:backtest_lobster> --max-orders-per-second ${v}
    STDERR_REGEX "--max-orders-per-second: orders per second must be within 1e-06..1e\\+09")
endforeach()
# 5. Output files: a missing directory says why; a full disk (a 1-block file size limit) keeps
#    the old file and leaves no temporary (output_file_check.cmake checks both).
pinnacle_example_test(hardening.output.missing_dir EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${aapl_msg} --json ${CMAKE_CURRENT_BINARY_DIR}/no_such_dir/r.json
  STDERR_REGEX "cannot write .*no_such_dir/r.json: No such file or directory")
find_program(PINNACLE_SH sh)
if(PINNACLE_SH)
  foreach(prog IN ITEMS backtest_lobster route_order simulate_market)
    if(prog STREQUAL "simulate_market")
      set(args --paths 20)
    else()
      set(args --messages ${aapl_msg})
    endif()
    add_test(NAME hardening.output.full_disk.${prog}
      COMMAND ${CMAKE_COMMAND} -DSH=${PINNACLE_SH} -DPROG=$<TARGET_FILE:${prog}> "-DARGS=${args}"
              -DOUT=${CMAKE_CURRENT_BINARY_DIR}/full_disk_${prog}/out.json
              -P ${CMAKE_CURRENT_SOURCE_DIR}/output_file_check.cmake)
  endforeach()
endif()
# 7. Smaller: refused messages are said on stderr; a BOM is named; /dev/zero stops; errno text.
pinnacle_example_test(hardening.book_rejects.backtest EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --messages ${hd}/rejects_message_10.csv
  STDERR_REGEX "warning: the book refused [1-9][0-9]* of 61 messages")
pinnacle_example_test(hardening.book_rejects.route_order EXIT 0
  CMD $<TARGET_FILE:route_order> --messages ${hd}/rejects_message_10.csv --start 34200.2 --minutes 0.01
  STDERR_REGEX "warning: the book refused [1-9][0-9]* of 61 messages")
pinnacle_example_test(hardening.bom EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${hd}/bom_message_1.csv
  STDERR_REGEX "bom_message_1.csv:1: field 'line': the file starts with a UTF-8 byte order mark \\(BOM\\)")
if(EXISTS /dev/zero)
  pinnacle_example_test(hardening.dev_zero EXIT 2
    CMD $<TARGET_FILE:backtest_lobster> --messages /dev/zero
    STDERR_REGEX "/dev/zero:1: field 'line': line longer than 1048576 bytes")
endif()
pinnacle_example_test(hardening.missing_file EXIT 2
  CMD $<TARGET_FILE:backtest_lobster> --messages ${hd}/no_such_message_1.csv
  STDERR_REGEX "cannot open file: No such file or directory")
pinnacle_example_test(hardening.no_quotes_warning EXIT 0
  CMD $<TARGET_FILE:backtest_lobster> --messages ${aapl_msg} --gamma 1e308
  STDERR_REGEX "warning: the strategy made no quotes \\(gamma=1e\\+308/\\$")
