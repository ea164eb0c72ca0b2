# Journal reader fuzz target; included from tests/fuzz/CMakeLists.txt (include(journal.cmake OPTIONAL)).
# pinnacle::journal exists only when libxxhash was found (cmake/journal.cmake).
if(COMMAND pinnacle_add_fuzz_target)
  if(TARGET pinnacle::journal)
    pinnacle_add_fuzz_target(NAME journal SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_journal.cpp
                             CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/journal LIBS pinnacle::journal)
  endif()
endif()
