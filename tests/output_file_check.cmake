# A full disk while an example writes its output, simulated with a file size limit of one block
# (sh: trap '' XFSZ; ulimit -f 1): the program must exit 2 naming the reason, keep the old
# content of OUT and leave no temporary beside it.
#   cmake -DSH=/bin/sh -DPROG=prog -DARGS="a;b" -DOUT=dir/out.json -P output_file_check.cmake
get_filename_component(dir "${OUT}" DIRECTORY)
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
set(old "old content, must survive\n")
file(WRITE "${OUT}" "${old}")
string(REPLACE ";" " " args "${ARGS}")
execute_process(COMMAND "${SH}" -c "trap '' XFSZ; ulimit -f 1; exec \"${PROG}\" ${args} --json \"${OUT}\""
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
message("stderr: ${err}")
if(NOT rc STREQUAL "2")
  message(FATAL_ERROR "exit code ${rc}, expected 2")
endif()
if(NOT err MATCHES "cannot write .*out.json: File too large")
  message(FATAL_ERROR "stderr does not name the reason")
endif()
file(READ "${OUT}" now)
if(NOT now STREQUAL old)
  message(FATAL_ERROR "${OUT} changed: '${now}'")
endif()
file(GLOB left "${dir}/*.tmp.*")
if(left)
  message(FATAL_ERROR "temporary left behind: ${left}")
endif()
