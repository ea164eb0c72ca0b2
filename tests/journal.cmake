# pinnacle::journal (cmake/journal.cmake): one test binary, the header checks of journal/, and the
# example runs: journal/verify/replay/dump, torn and bit-flipped tails, and the kill -9 crash test.
file(GLOB pinnacle_journal_test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/journal/*.cpp)
add_executable(pinnacle_journal_tests ${pinnacle_journal_test_sources} ${CMAKE_CURRENT_SOURCE_DIR}/unit/alloc_counter.cpp)
target_include_directories(pinnacle_journal_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(pinnacle_journal_tests PRIVATE pinnacle::journal pinnacle_dev_flags doctest::doctest)
target_compile_definitions(pinnacle_journal_tests PRIVATE PINNACLE_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
add_test(NAME journal.unit COMMAND pinnacle_journal_tests)

# Every journal/ header compiles on its own, twice (tests/headers.cmake skips journal/).
file(GLOB pinnacle_journal_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/include/pinnacle/journal/*.hpp)
pinnacle_check_headers(pinnacle_journal HEADERS ${pinnacle_journal_headers} LINK pinnacle::journal)

if(TARGET pinnacle_journal AND TARGET backtest_lobster)
  set(jcheck ${CMAKE_CURRENT_SOURCE_DIR}/journal/crash_test.cmake)
  set(jwork ${CMAKE_CURRENT_BINARY_DIR}/journal_runs)
  set(PINNACLE_JOURNAL_KILLS 20 CACHE STRING "kill -9 points of the journal crash test")
  function(pinnacle_journal_test name mode)
    add_test(NAME journal.${name} COMMAND ${CMAKE_COMMAND} -DMODE=${mode}
      -DBACKTEST=$<TARGET_FILE:backtest_lobster> -DTOOL=$<TARGET_FILE:pinnacle_journal>
      -DWORK=${jwork}/${name} -DKILLS=${PINNACLE_JOURNAL_KILLS} ${ARGN} -P ${jcheck})
    set_tests_properties(journal.${name} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: " TIMEOUT 600)
  endfunction()
  # The bundled AMZN day: one uninterrupted journaled run (a fixture the others compare with);
  # kill -9 at seeded points, resume after each; damaged tails; verify, replay, dump; bad input.
  set(jref ${jwork}/reference_bundled)
  pinnacle_journal_test(reference_bundled reference -DREF=${jref})
  set_tests_properties(journal.reference_bundled PROPERTIES FIXTURES_SETUP journal_reference)
  foreach(t IN ITEMS "crash_resume_bundled;crash" "torn_tail_bundled;torn" "bitflip_tail_bundled;bitflip"
                     "tools_bundled;tools" "bad_input;bad")
    list(GET t 0 name)
    list(GET t 1 mode)
    pinnacle_journal_test(${name} ${mode} -DREF=${jref} -DSEED=15)
    set_tests_properties(journal.${name} PROPERTIES FIXTURES_REQUIRED journal_reference)
  endforeach()
  # The full GOOG day (112,671 messages, ~230k records) from the shared data, when present: fewer
  # kill points (about 1.4 s per run under ASan on the CI machine).
  if(NOT DEFINED PINNACLE_SHARED_DATA_DIR)
    set(PINNACLE_SHARED_DATA_DIR "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH "The shared real data (../shared/data); tests on it are skipped when absent")
  endif()
  add_test(NAME journal.crash_resume_goog COMMAND ${CMAKE_COMMAND} -DMODE=crash
    -DBACKTEST=$<TARGET_FILE:backtest_lobster> -DTOOL=$<TARGET_FILE:pinnacle_journal>
    -DWORK=${jwork}/crash_resume_goog -DKILLS=5 -DSEED=16
    -DDATA=${PINNACLE_SHARED_DATA_DIR}/lobster/unpaired/GOOG_2012-06-21_34200000_57600000_message_5.csv -P ${jcheck})
  set_tests_properties(journal.crash_resume_goog PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: " TIMEOUT 600)
endif()
