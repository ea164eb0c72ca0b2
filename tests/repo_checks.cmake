# Checks on the repository as a whole, each a CTest test (cmake -P scripts under tests/repo/):
#   repo.cxx20_required   every header stops at one #error line below C++20
#   repo.markdown_links   Markdown links point at files in the repository; no outside paths
#   package.metadata      one version everywhere; Conan recipe and vcpkg port complete
#   package.conan         `conan create` with the recipe and its test_package (skipped without conan)
set(pinnacle_repo_checks "${CMAKE_CURRENT_SOURCE_DIR}/repo")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  add_test(NAME repo.cxx20_required COMMAND "${CMAKE_COMMAND}"
    "-DCXX=${CMAKE_CXX_COMPILER}"
    "-DSOURCE_INCLUDE=${PROJECT_SOURCE_DIR}/include" "-DBINARY_INCLUDE=${PROJECT_BINARY_DIR}/include"
    "-DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cxx20_required"
    -P "${pinnacle_repo_checks}/cxx20_required.cmake")
endif()

add_test(NAME repo.markdown_links COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
  -P "${pinnacle_repo_checks}/markdown_links.cmake")

add_test(NAME package.metadata COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "-DVERSION=${PROJECT_VERSION}" "-DVERSION_HEADER=${PROJECT_BINARY_DIR}/include/pinnacle/version.hpp"
  -P "${pinnacle_repo_checks}/package_metadata.cmake")

find_program(PINNACLE_CONAN conan)
add_test(NAME package.conan COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "-DCONAN=${PINNACLE_CONAN}" "-DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/conan"
  -P "${pinnacle_repo_checks}/conan_create.cmake")
set_tests_properties(package.metadata package.conan PROPERTIES LABELS package)
set_tests_properties(package.conan PROPERTIES SKIP_REGULAR_EXPRESSION "PINNACLE_SKIP: " TIMEOUT 900)
