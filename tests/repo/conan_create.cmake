# `conan create` of the recipe at the root with its test_package (a consumer that links and runs),
# in a private CONAN_HOME; and a profile below C++20 must be refused with the recipe's message.
# Reports a CTest skip when Conan is not installed (CI installs it from no Debian package).
#   cmake -DSOURCE_DIR=<repo> -DCONAN=<conan or empty> -DWORK_DIR=<dir> -P conan_create.cmake
if(NOT CONAN OR NOT EXISTS "${CONAN}")
  message("PINNACLE_SKIP: conan not found on PATH: the Conan recipe was not built "
          "(package.metadata still checks its structure)")
  return()
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
set(ENV{CONAN_HOME} "${WORK_DIR}/home")
execute_process(COMMAND "${CONAN}" profile detect --force RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "conan profile detect failed (${rc})")
endif()
execute_process(COMMAND "${CONAN}" create "${SOURCE_DIR}" -s compiler.cppstd=20 --build=missing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "conan create ${SOURCE_DIR} -s compiler.cppstd=20 failed (${rc})")
endif()
execute_process(COMMAND "${CONAN}" create "${SOURCE_DIR}" -s compiler.cppstd=17 --build=missing
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT "${out}${err}" MATCHES "pinnacle requires C\\+\\+20")
  message(FATAL_ERROR "a C++17 profile was not refused with the recipe's message (exit ${rc}):\n${out}${err}")
endif()
message(STATUS "conan create: package built, test_package ran; C++17 profile refused")
