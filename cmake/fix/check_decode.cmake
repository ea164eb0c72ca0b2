# Runs fix_decode on FILE and checks its exit code and stdout; prints SKIP when FILE is absent
# (the shared data directory is optional) and the test is marked skipped.
#   cmake -DPROG=fix_decode -DFILE=f -DEXPECT_EXIT=n [-DEXPECT_REGEX=re] -P check_decode.cmake
if(NOT EXISTS "${FILE}" AND NOT FILE MATCHES "no_such_file")
  message("SKIP: ${FILE} is absent")
  return()
endif()
execute_process(COMMAND ${PROG} ${FILE} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(err)
  message("stderr: ${err}")
endif()
if(NOT rc STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_EXIT}")
endif()
if(EXPECT_REGEX AND NOT out MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "stdout does not match '${EXPECT_REGEX}'")
endif()
