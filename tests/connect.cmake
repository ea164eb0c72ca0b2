# replay_capture runs: the bundled slices (tests/data/connect), every capture in
# ../shared/data/crypto-ws when present (a CTest SKIP otherwise), injected faults and bad input.
if(NOT TARGET replay_capture)
  return()
endif()
set(cdata ${CMAKE_CURRENT_SOURCE_DIR}/data/connect)
set(PINNACLE_SHARED_DATA_DIR "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH "The shared real data (../shared/data); tests on it are skipped when absent")
set(crypto ${PINNACLE_SHARED_DATA_DIR}/crypto-ws)
set(check ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake)
set(ok_tail "checksums_failed=0 bbo_checked=[0-9]+ bbo_mismatched=0 gaps=0 resyncs=0\n$")
set(kraken_ok "\nmessages=[0-9]+ book_updates=[0-9]+ checksums_ok=[1-9][0-9]* checksums_failed=0 bbo_checked=0 bbo_mismatched=0 gaps=0 resyncs=0\n$")
set(binance_ok "\nmessages=[0-9]+ book_updates=[0-9]+ checksums_ok=0 checksums_failed=0 bbo_checked=[1-9][0-9]* bbo_mismatched=0 gaps=0 resyncs=0\n$")
set(plain_ok "\nmessages=[0-9]+ book_updates=[1-9][0-9]* checksums_ok=0 ${ok_tail}")

function(pinnacle_replay_test name file regex)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=0 "-DEXPECT_REGEX=${regex}" -P ${check} --
    $<TARGET_FILE:replay_capture> ${file} ${ARGN})
endfunction()
function(pinnacle_shared_replay_test name file regex)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=0 "-DEXPECT_REGEX=${regex}" -DREQUIRED_FILE=${file}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/skip_if_absent.cmake -- $<TARGET_FILE:replay_capture> ${file})
  set_tests_properties(${name} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: ")
endfunction()

pinnacle_replay_test(example.replay_capture.binance_spot_slice ${cdata}/binance_spot_btcusdt_20240808_400.gz "exchange binance,.*${binance_ok}")
pinnacle_replay_test(example.replay_capture.binance_usdm ${cdata}/binance_usdm_full.jsonl.zst "exchange binance-usdm,.*${binance_ok}")
pinnacle_replay_test(example.replay_capture.kraken_slice ${cdata}/kraken_xbtchf_ethchf.jsonl.zst "exchange kraken,.*${kraken_ok}")
pinnacle_replay_test(example.replay_capture.coinbase_slice ${cdata}/coinbase_advanced_btcusd_ethusd_140.jsonl.zst "exchange coinbase,.*${plain_ok}")
pinnacle_replay_test(example.replay_capture.coinbase_exchange_slice ${cdata}/coinbase_exchange_250.ws.gz "exchange coinbase-exchange,.*${plain_ok}")
pinnacle_replay_test(example.replay_capture.bitstamp ${cdata}/bitstamp_full.jsonl.zst "exchange bitstamp,.*${plain_ok}")
# --symbol and --json: per-symbol counters, written through a temporary.
add_test(NAME example.replay_capture.json_and_symbol COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=0
  "-DEXPECT_REGEX=  SUSHIUSDT: .*\nmessages=[0-9]+ book_updates=[0-9]+ checksums_ok=0 checksums_failed=0 bbo_checked=[1-9][0-9]* bbo_mismatched=0 gaps=0 resyncs=0\n$"
  -DJSON_FILE=${CMAKE_CURRENT_BINARY_DIR}/replay_capture.json "-DJSON_KEYS=messages;book_updates;checksums_ok;checksums_failed;bbo_checked;bbo_mismatched;gaps;resyncs;symbols"
  -P ${check} -- $<TARGET_FILE:replay_capture> ${cdata}/binance_usdm_full.jsonl.zst --symbol SUSHIUSDT
  --json ${CMAKE_CURRENT_BINARY_DIR}/replay_capture.json)
# Bad input: exit 2 with the reason.
add_test(NAME example.replay_capture.missing_file COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=2 "-DEXPECT_STDERR_REGEX=no_such.gz: cannot open"
  -P ${check} -- $<TARGET_FILE:replay_capture> ${cdata}/no_such.gz)
add_test(NAME example.replay_capture.bad_exchange COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=2 "-DEXPECT_STDERR_REGEX=--exchange must be one of"
  -P ${check} -- $<TARGET_FILE:replay_capture> ${cdata}/bitstamp_full.jsonl.zst --exchange nyse)
add_test(NAME example.replay_capture.not_a_capture COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=2 "-DEXPECT_STDERR_REGEX=README.md: line 1: not a known capture format"
  -P ${check} -- $<TARGET_FILE:replay_capture> ${cdata}/README.md)

# Every capture in ../shared/data/crypto-ws (the issue's acceptance runs); SKIP when absent.
pinnacle_shared_replay_test(example.replay_capture.shared.binance_spot ${crypto}/binance-spot/btcusdt_20240808.gz "exchange binance,.*${binance_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.binance_usdm ${crypto}/binance-usdm/BINANCE_FUTURES.jsonl.zst "exchange binance-usdm,.*${binance_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.kraken ${crypto}/kraken/KRAKEN.jsonl.zst "exchange kraken,.*${kraken_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.coinbase ${crypto}/coinbase-advanced-trade/COINBASE.jsonl.zst "exchange coinbase,.*${plain_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.coinbase_exchange ${crypto}/coinbase-pro-legacy/COINBASE.ws.28.0 "exchange coinbase-exchange,.*${plain_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.bitstamp ${crypto}/bitstamp/BITSTAMP.jsonl.zst "exchange bitstamp,.*${plain_ok}")
pinnacle_shared_replay_test(example.replay_capture.shared.absent_is_skipped ${crypto}/no-such-exchange/capture.gz "never")
