# Journal reader fuzz target; included from tests/fuzz/CMakeLists.txt (include(journal.cmake OPTIONAL)).
# pinnacle::journal exists only when libxxhash was found (cmake/journal.cmake).
if(COMMAND pinnacle_add_fuzz_target)
  if(TARGET pinnacle::journal)
    pinnacle_add_fuzz_target(NAME journal SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_journal.cpp
                             CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/journal LIBS pinnacle::journal)
  endif()
endif()
# The snapshot reader (parse_snapshot + the persist hooks of the backtest's whole state); the
# seed is a real snapshot: backtest_lobster --journal DIR --snapshot-every 2000 over the bundled
# sample day (examples/data), the first snapshot-*.pns it wrote.
if(COMMAND pinnacle_add_fuzz_target)
  if(TARGET pinnacle::journal)
    pinnacle_add_fuzz_target(NAME journal_snapshot SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_journal_snapshot.cpp
                             CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/journal_snapshot LIBS pinnacle::journal)
  endif()
endif()
