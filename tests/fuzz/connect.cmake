# libFuzzer targets for pinnacle::connect's decoders, registered through the fuzz preset's
# pinnacle_add_fuzz_target (tests/fuzz/CMakeLists.txt); seeds are real messages from
# tests/data/connect in corpus/<target>/.
if(NOT TARGET pinnacle::connect OR NOT COMMAND pinnacle_add_fuzz_target)
  return()
endif()
foreach(name IN ITEMS binance kraken coinbase bitstamp capture)
  pinnacle_add_fuzz_target(NAME fuzz_${name}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_${name}.cpp
    CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/${name}
    LIBS pinnacle::connect)
endforeach()
