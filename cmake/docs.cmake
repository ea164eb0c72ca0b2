# The `docs` target: Doxygen HTML in <build>/docs/html, the API reference from the headers' `///`
# comments plus every Markdown page in the repository (README.md is the main page). Any Doxygen
# warning fails it. With tests on, the `docs` CTest test runs the same command, so the test presets
# build the docs in CI; without Doxygen that test reports a skip saying so.
find_package(Doxygen QUIET)
set(PINNACLE_DOCS_OUTPUT_DIR "${PROJECT_BINARY_DIR}/docs")
if(DOXYGEN_FOUND)
  # Every Markdown page in the repository, so that a link from one page to another always resolves
  # (a new page is picked up at the next configure).
  file(GLOB_RECURSE pinnacle_docs_pages RELATIVE "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/*.md")
  list(FILTER pinnacle_docs_pages EXCLUDE REGEX "^(build[^/]*|out|\\.git|\\.cache)/")
  list(TRANSFORM pinnacle_docs_pages PREPEND "\"${PROJECT_SOURCE_DIR}/")
  list(TRANSFORM pinnacle_docs_pages APPEND "\"")
  list(JOIN pinnacle_docs_pages " " PINNACLE_DOCS_PAGES)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/Doxyfile.in" "${PROJECT_BINARY_DIR}/Doxyfile" @ONLY)
  file(MAKE_DIRECTORY "${PINNACLE_DOCS_OUTPUT_DIR}")
  add_custom_target(docs
    COMMAND "${DOXYGEN_EXECUTABLE}" "${PROJECT_BINARY_DIR}/Doxyfile"
    WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
    COMMENT "Doxygen: ${PINNACLE_DOCS_OUTPUT_DIR}/html/index.html"
    VERBATIM)
endif()

if(PINNACLE_BUILD_TESTS)
  if(DOXYGEN_FOUND)
    add_test(NAME docs COMMAND "${DOXYGEN_EXECUTABLE}" "${PROJECT_BINARY_DIR}/Doxyfile" WORKING_DIRECTORY "${PROJECT_BINARY_DIR}")
  else()
    add_test(NAME docs COMMAND "${CMAKE_COMMAND}" -E echo "PINNACLE_SKIP: doxygen not found (apt-get install doxygen)")
    set_tests_properties(docs PROPERTIES SKIP_REGULAR_EXPRESSION "PINNACLE_SKIP: ")
  endif()
  set_tests_properties(docs PROPERTIES LABELS docs)
endif()
