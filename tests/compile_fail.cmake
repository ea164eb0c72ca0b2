# Negative compile tests: the mistakes strong types exist to stop must not compile.
# Each tests/compile_fail/<name>.cpp holds valid code plus one mistake guarded by
# PINNACLE_EXPECT_COMPILE_ERROR, and gives two tests:
#   compile_fail.<name>.control  compiles without the define and must succeed (the file is valid),
#   compile_fail.<name>          compiles with the define and must fail.
# The compiler is run directly (-fsyntax-only): no build step, nothing to link.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(STATUS "pinnacle: compile_fail tests need a GCC-style compiler driver; skipped")
  return()
endif()

file(GLOB PINNACLE_COMPILE_FAIL_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/*.cpp")
foreach(source IN LISTS PINNACLE_COMPILE_FAIL_SOURCES)
  get_filename_component(name "${source}" NAME_WE)
  set(compile "${CMAKE_CXX_COMPILER}" -std=c++20 -fsyntax-only "-I${PROJECT_SOURCE_DIR}/include")
  add_test(NAME compile_fail.${name}.control COMMAND ${compile} "${source}")
  add_test(NAME compile_fail.${name} COMMAND ${compile} -DPINNACLE_EXPECT_COMPILE_ERROR "${source}")
  # A line "// EXPECT-ERROR: text" in the source: the failure must also print that text.
  file(STRINGS "${source}" expect REGEX "^// EXPECT-ERROR: ")
  if(expect)
    list(GET expect 0 expect)
    string(REPLACE "// EXPECT-ERROR: " "" expect "${expect}")
    set_tests_properties(compile_fail.${name} PROPERTIES PASS_REGULAR_EXPRESSION "${expect}")
  else()
    set_tests_properties(compile_fail.${name} PROPERTIES WILL_FAIL TRUE)
  endif()
  set_tests_properties(compile_fail.${name}.control compile_fail.${name} PROPERTIES LABELS compile_fail)
endforeach()
