# pinnacle::wire tests: one doctest binary (tests/wire/*.cpp: the replay server and the live feed
# in process, every bundled capture, injected faults) and the command-line acceptance runs
# (tests/wire/e2e.sh: exchange_replay_server on a free loopback port, live_market_maker against it).
find_package(doctest REQUIRED)
file(GLOB pinnacle_wire_test_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/wire/*.cpp)
add_executable(pinnacle_wire_tests ${pinnacle_wire_test_sources})
target_link_libraries(pinnacle_wire_tests PRIVATE pinnacle::wire pinnacle_dev_flags doctest::doctest)
target_compile_definitions(pinnacle_wire_tests PRIVATE PINNACLE_WIRE_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/connect")
add_test(NAME wire.unit COMMAND pinnacle_wire_tests)
# Every connect/wire/ header compiles alone, twice (they declare only: no Beast header is parsed).
file(GLOB pinnacle_wire_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/include/pinnacle/connect/wire/*.hpp)
pinnacle_check_headers(pinnacle_wire HEADERS ${pinnacle_wire_headers} LINK pinnacle::wire)
set_tests_properties(wire.unit PROPERTIES TIMEOUT 240)

if(TARGET exchange_replay_server AND TARGET live_market_maker)
  find_program(PINNACLE_BASH bash)
  if(PINNACLE_BASH)
    set(e2e ${PROJECT_SOURCE_DIR}/tests/wire/e2e.sh)
    set(cdata ${PROJECT_SOURCE_DIR}/tests/data/connect)
    set(bin $<TARGET_FILE:exchange_replay_server> $<TARGET_FILE:live_market_maker>)
    set(wdir ${CMAKE_CURRENT_BINARY_DIR}/wire_e2e)
    # wire_e2e(NAME CAPTURE "EXCHANGE SYMBOLS" "SERVER FLAGS" "PATTERNS" ["CLIENT FLAGS"]): one
    # e2e.sh run in its own directory under wire_e2e/, at most 60 s.
    function(wire_e2e name capture target faults patterns)
      add_test(NAME wire.e2e.${name} COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/${name} ${cdata}/${capture} "${target}" "${faults}"
        "${patterns}" ${ARGN})
      set_tests_properties(wire.e2e.${name} PROPERTIES TIMEOUT 60)
    endfunction()
    # The issue's acceptance run on the bundled Binance spot slice: every message counted, no gap,
    # no BBO mismatch, never an order on a stale book.
    wire_e2e(binance binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" ""
      "\"frames\": 400,;\"gaps\": 0,;\"bbo_mismatched\": 0,;\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,;\"bbo_checked\": [1-9]")
    # A dropped depth message (message 53, a depth update well after the REST snapshot's
    # point): a gap at the next one, a resync from a fresh snapshot, still no BBO mismatch.
    wire_e2e(binance_drop binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--drop 53"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # A closed connection: reconnect, resubscribe, and the book is whole again.
    wire_e2e(binance_close binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--close-after 100"
      "\"reconnects\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # Paced as recorded (the slice spans 1.7 s) with a short warm-up, so the engine quotes; a drop
    # makes the book stale mid-run: quoting halts, and no order is ever sent on the stale book.
    # --tick 0.01 (BTCUSDT's step): on the feed's 10^-8 grid the price is past the engine's bound.
    wire_e2e(binance_paced_quoting binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--speed 1 --drop 186"
      "\"quotes\": [1-9][0-9]*,;\"gaps\": [1-9][0-9]*,;\"halts\": [1-9][0-9]*,;\"orders_sent_while_stale\": 0,;\"bbo_mismatched\": 0," "--warmup 0.2 --tick 0.01 --strategy imbalance")
    wire_e2e(binance_usdm binance_usdm_full.jsonl.zst "binance-usdm SUSHIUSDT,AKROUSDT,KEEPUSDT,CTKUSDT" ""
      "\"gaps\": 0,;\"bbo_mismatched\": 0,;\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,;\"bbo_checked\": [1-9]")
    # USD-M (pu chain): a dropped SUSHIUSDT depth update, a gap, a resync from the server's book.
    wire_e2e(binance_usdm_drop binance_usdm_full.jsonl.zst "binance-usdm SUSHIUSDT,AKROUSDT,KEEPUSDT,CTKUSDT" "--drop 200"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    wire_e2e(kraken kraken_xbtchf_ethchf.jsonl.zst "kraken XBT/CHF,ETH/CHF" ""
      "\"gaps\": 0,;\"checksums_failed\": 0,;\"checksums_ok\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    # Kraken: a dropped best-ask update (no sequence numbers: the next CRC32 checksum fails), a
    # resubscription, the server's snapshot of its current book; no checksum fails after it.
    wire_e2e(kraken_drop kraken_xbtchf_ethchf.jsonl.zst "kraken XBT/CHF,ETH/CHF" "--drop 201"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"checksums_failed_after_resync\": 0,;\"resubscribes\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # Coinbase Advanced Trade: a dropped l2_data update, a sequence_num gap, a resubscription.
    wire_e2e(coinbase_drop coinbase_advanced_btcusd_ethusd_140.jsonl.zst "coinbase BTC-USD,ETH-USD" "--drop 70"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"resubscribes\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    wire_e2e(coinbase coinbase_advanced_btcusd_ethusd_140.jsonl.zst "coinbase BTC-USD,ETH-USD" ""
      "\"gaps\": 0,;\"book_updates\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    wire_e2e(bitstamp bitstamp_full.jsonl.zst "bitstamp ethusd" ""
      "\"gaps\": 0,;\"book_updates\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    # Bitstamp has no sequence numbers: a dropped diff (message 149, an ethusd diff whose change
    # stays in the best 25 levels) shows only when the book is checked against the REST book
    # (--verify-interval): a gap, the book replaced by the exchange's.
    wire_e2e(bitstamp_drop bitstamp_full.jsonl.zst "bitstamp ethusd" "--drop 149"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"verifications\": [1-9][0-9]*,;\"orders_sent_while_stale\": 0," "--verify-interval 50")
    # Without --tick: the engine works on the steps the exchange's reference endpoint lists (the
    # server answers it with the capture's recorded body) and quotes, with each strategy; paced
    # ten times faster than recorded so the 31 s captures take about 3 s.
    wire_e2e(binance_usdm_listed_grid binance_usdm_full.jsonl.zst "binance-usdm SUSHIUSDT,AKROUSDT,KEEPUSDT,CTKUSDT" "--speed 10"
      "\"tick\": 0.0001,;\"lot\": 1.0,;\"quotes\": [1-9][0-9]*,;\"gaps\": 0,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0," "--warmup 0.2 --strategy as")
    wire_e2e(kraken_listed_grid kraken_xbtchf_ethchf.jsonl.zst "kraken XBT/CHF,ETH/CHF" "--speed 10"
      "\"tick\": 0.1,;\"quotes\": [1-9][0-9]*,;\"checksums_failed\": 0,;\"orders_sent_while_stale\": 0," "--warmup 0.2 --strategy imbalance")
    wire_e2e(bitstamp_listed_grid bitstamp_full.jsonl.zst "bitstamp ETHUSD" "--speed 10"
      "\"tick\": 0.01,;\"quotes\": [1-9][0-9]*,;\"gaps\": 0,;\"orders_sent_while_stale\": 0," "--warmup 0.2 --strategy glft")
  endif()
endif()
