# Integration tests: pinnacle consumed the ways a user consumes it, each by a tiny project under
# tests/package/ that CTest configures, builds and runs. Consumers get the same compiler and build
# type but none of pinnacle's dev flags (warnings, sanitizers): they see what a user sees.
set(PINNACLE_PACKAGE_TEST_DIR "${CMAKE_CURRENT_BINARY_DIR}/package")
set(PINNACLE_PACKAGE_PREFIX "${CMAKE_CURRENT_BINARY_DIR}/package-prefix")

get_property(pinnacle_multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
set(pinnacle_consumer_options "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}")
set(pinnacle_consumer_config "")
if(pinnacle_multi_config)
  set(pinnacle_consumer_config --build-config $<CONFIG>)
elseif(CMAKE_BUILD_TYPE)
  list(APPEND pinnacle_consumer_options "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}")
endif()

# package.<name>: configure, build and run tests/package/<name> (its executable is <name>_consumer).
function(pinnacle_add_consumer_test name)
  add_test(NAME package.${name}
    COMMAND "${CMAKE_CTEST_COMMAND}"
      --build-and-test "${CMAKE_CURRENT_SOURCE_DIR}/package/${name}" "${PINNACLE_PACKAGE_TEST_DIR}/${name}"
      --build-generator "${CMAKE_GENERATOR}"
      --build-makeprogram "${CMAKE_MAKE_PROGRAM}"
      --build-project pinnacle_${name}_consumer
      ${pinnacle_consumer_config}
      --build-options ${pinnacle_consumer_options} ${ARGN}
      --test-command ${name}_consumer)
  set_tests_properties(package.${name} PROPERTIES LABELS package TIMEOUT 600)
endfunction()

# add_subdirectory / FetchContent: the library target only, every dev option OFF.
pinnacle_add_consumer_test(add_subdirectory "-DPINNACLE_TEST_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "-DPINNACLE_EXPECTED_VERSION=${PROJECT_VERSION}")

# find_package against the installed package (needs the install rules).
if(PINNACLE_INSTALL)
  include(GNUInstallDirs)  # CMAKE_INSTALL_INCLUDEDIR: the same cache value cmake/install.cmake uses
  set(pinnacle_install_config "")
  if(pinnacle_multi_config)
    set(pinnacle_install_config -DCONFIG=$<CONFIG>)
  endif()
  add_test(NAME package.install
    COMMAND "${CMAKE_COMMAND}"
      "-DBUILD_DIR=${PROJECT_BINARY_DIR}"
      "-DPREFIX=${PINNACLE_PACKAGE_PREFIX}"
      "-DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}"
      ${pinnacle_install_config}
      -P "${CMAKE_CURRENT_SOURCE_DIR}/package/install.cmake")
  set_tests_properties(package.install PROPERTIES LABELS package FIXTURES_SETUP pinnacle_installed)

  pinnacle_add_consumer_test(find_package
    "-DCMAKE_PREFIX_PATH=${PINNACLE_PACKAGE_PREFIX}"
    "-DPINNACLE_EXPECTED_PREFIX=${PINNACLE_PACKAGE_PREFIX}"
    "-DPINNACLE_EXPECTED_VERSION=${PROJECT_VERSION}")
  set_tests_properties(package.find_package PROPERTIES FIXTURES_REQUIRED pinnacle_installed)

  # The optional components from the same installed prefix: pinnacle::connect (with simdjson,
  # nlohmann_json, zlib, zstd found by pinnacleConfig.cmake) and pinnacle::fix.
  if(TARGET pinnacle_connect)
    pinnacle_add_consumer_test(find_package_connect
      "-DCMAKE_PREFIX_PATH=${PINNACLE_PACKAGE_PREFIX}"
      "-DPINNACLE_EXPECTED_PREFIX=${PINNACLE_PACKAGE_PREFIX}")
    set_tests_properties(package.find_package_connect PROPERTIES FIXTURES_REQUIRED pinnacle_installed)
  endif()
  # pinnacle::journal (libxxhash found by pinnacleConfig.cmake), only when it was built.
  if(TARGET pinnacle_journal_lib)
    pinnacle_add_consumer_test(find_package_journal
      "-DCMAKE_PREFIX_PATH=${PINNACLE_PACKAGE_PREFIX}"
      "-DPINNACLE_EXPECTED_PREFIX=${PINNACLE_PACKAGE_PREFIX}")
    set_tests_properties(package.find_package_journal PROPERTIES FIXTURES_REQUIRED pinnacle_installed)
  endif()
endif()

# FetchContent consumer that installs and exports its own target linking pinnacle::pinnacle, then a
# downstream project that finds it: needs PINNACLE_INSTALL ON in the subproject (its default).
add_test(NAME package.fetchcontent_export
  COMMAND "${CMAKE_COMMAND}"
    "-DWORK_DIR=${PINNACLE_PACKAGE_TEST_DIR}/fetchcontent_export"
    "-DPINNACLE_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "-DGENERATOR=${CMAKE_GENERATOR}"
    "-DCXX=${CMAKE_CXX_COMPILER}"
    "-DBUILD_TYPE=${CMAKE_BUILD_TYPE}"
    "-DVERSION=${PROJECT_VERSION}"
    -P "${CMAKE_CURRENT_SOURCE_DIR}/package/fetchcontent_export.cmake")
set_tests_properties(package.fetchcontent_export PROPERTIES LABELS package TIMEOUT 600)
