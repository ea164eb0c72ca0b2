# FIX codec fuzz target; included from tests/fuzz/CMakeLists.txt (include(fix.cmake OPTIONAL)).
if(COMMAND pinnacle_add_fuzz_target)
  pinnacle_add_fuzz_target(NAME fix_codec SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_fix_codec.cpp
                           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fix_codec)
endif()
if(COMMAND pinnacle_add_fuzz_target)
  pinnacle_add_fuzz_target(NAME fix_session SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_fix_session.cpp
                           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fix_session)
endif()
