# Included by the find_package consumers after find_package(pinnacle ...): fail when the package
# was found anywhere but under PINNACLE_EXPECTED_PREFIX (the prefix the package.install test just
# installed to), so a pinnacle installed elsewhere on the machine cannot pass the test in its place.
if(PINNACLE_EXPECTED_PREFIX)
  file(REAL_PATH "${pinnacle_DIR}" found_dir)
  file(REAL_PATH "${PINNACLE_EXPECTED_PREFIX}" expected_prefix)
  string(FIND "${found_dir}" "${expected_prefix}/" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "pinnacle was found in ${found_dir}, not under ${expected_prefix}")
  endif()
endif()
