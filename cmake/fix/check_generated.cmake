# Regenerates the FIX dictionary header into the build tree and compares it with the committed one.
#   cmake -DGEN=fix_dictgen -DXML=FIX44.xml -DOUT=generated.hpp -DCOMMITTED=committed.hpp -P check_generated.cmake
execute_process(COMMAND ${GEN} ${XML} ${OUT} fix44 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fix_dictgen failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${COMMITTED} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "${COMMITTED} differs from what fix_dictgen makes of ${XML} (${OUT}): "
    "run the target fix_regenerate_dictionary and commit the result")
endif()
