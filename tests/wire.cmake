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
    # The issue's acceptance run on the bundled Binance spot slice: every message counted, no gap,
    # no BBO mismatch, never an order on a stale book.
    add_test(NAME wire.e2e.binance COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/binance
      ${cdata}/binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" ""
      "\"frames\": 400,;\"gaps\": 0,;\"bbo_mismatched\": 0,;\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,;\"bbo_checked\": [1-9]")
    # A dropped depth message (message 53, a depth update well after the REST snapshot's
    # point): a gap at the next one, a resync from a fresh snapshot, still no BBO mismatch.
    add_test(NAME wire.e2e.binance_drop COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/binance_drop
      ${cdata}/binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--drop 53"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # A closed connection: reconnect, resubscribe, and the book is whole again.
    add_test(NAME wire.e2e.binance_close COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/binance_close
      ${cdata}/binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--close-after 100"
      "\"reconnects\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # Paced as recorded (the slice spans 1.7 s) with a short warm-up, so the engine quotes; a drop
    # makes the book stale mid-run: quoting halts, and no order is ever sent on the stale book.
    # --tick 0.01 (BTCUSDT's step): on the feed's 10^-8 grid the price is past the engine's bound.
    add_test(NAME wire.e2e.binance_paced_quoting COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/binance_paced
      ${cdata}/binance_spot_btcusdt_20240808_400.gz "binance BTCUSDT" "--speed 1 --drop 186"
      "\"quotes\": [1-9][0-9]*,;\"gaps\": [1-9][0-9]*,;\"halts\": [1-9][0-9]*,;\"orders_sent_while_stale\": 0,;\"bbo_mismatched\": 0," "--warmup 0.2 --tick 0.01 --strategy imbalance")
    add_test(NAME wire.e2e.binance_usdm COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/usdm
      ${cdata}/binance_usdm_full.jsonl.zst "binance-usdm SUSHIUSDT,AKROUSDT,KEEPUSDT,CTKUSDT" ""
      "\"gaps\": 0,;\"bbo_mismatched\": 0,;\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,;\"bbo_checked\": [1-9]")
    # USD-M (pu chain): a dropped SUSHIUSDT depth update, a gap, a resync from the server's book.
    add_test(NAME wire.e2e.binance_usdm_drop COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/usdm_drop
      ${cdata}/binance_usdm_full.jsonl.zst "binance-usdm SUSHIUSDT,AKROUSDT,KEEPUSDT,CTKUSDT" "--drop 200"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    add_test(NAME wire.e2e.kraken COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/kraken
      ${cdata}/kraken_xbtchf_ethchf.jsonl.zst "kraken XBT/CHF,ETH/CHF" ""
      "\"gaps\": 0,;\"checksums_failed\": 0,;\"checksums_ok\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    # Kraken: a dropped best-ask update (no sequence numbers: the next CRC32 checksum fails), a
    # resubscription, the server's snapshot of its current book; no checksum fails after it.
    add_test(NAME wire.e2e.kraken_drop COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/kraken_drop
      ${cdata}/kraken_xbtchf_ethchf.jsonl.zst "kraken XBT/CHF,ETH/CHF" "--drop 201"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"checksums_failed_after_resync\": 0,;\"resubscribes\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    # Coinbase Advanced Trade: a dropped l2_data update, a sequence_num gap, a resubscription.
    add_test(NAME wire.e2e.coinbase_drop COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/coinbase_drop
      ${cdata}/coinbase_advanced_btcusd_ethusd_140.jsonl.zst "coinbase BTC-USD,ETH-USD" "--drop 70"
      "\"gaps\": [1-9][0-9]*,;\"resyncs\": [1-9][0-9]*,;\"resubscribes\": [1-9][0-9]*,;\"bbo_mismatched\": 0,;\"orders_sent_while_stale\": 0,")
    add_test(NAME wire.e2e.coinbase COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/coinbase
      ${cdata}/coinbase_advanced_btcusd_ethusd_140.jsonl.zst "coinbase BTC-USD,ETH-USD" ""
      "\"gaps\": 0,;\"book_updates\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    add_test(NAME wire.e2e.bitstamp COMMAND ${PINNACLE_BASH} ${e2e} ${bin} ${wdir}/bitstamp
      ${cdata}/bitstamp_full.jsonl.zst "bitstamp ethusd" ""
      "\"gaps\": 0,;\"book_updates\": [1-9];\"rejected_frames\": 0,;\"orders_sent_while_stale\": 0,")
    set_tests_properties(wire.e2e.binance wire.e2e.binance_drop wire.e2e.binance_close wire.e2e.binance_paced_quoting wire.e2e.binance_usdm wire.e2e.binance_usdm_drop wire.e2e.kraken
      wire.e2e.kraken_drop wire.e2e.coinbase wire.e2e.coinbase_drop wire.e2e.bitstamp PROPERTIES TIMEOUT 60)
  endif()
endif()
