# pinnacle::journal: the event journal, state hash, snapshots and recovery under
# include/pinnacle/journal/. The state hash is xxHash3 from libxxhash (Debian libxxhash-dev), an
# optional dependency, so the folder is its own target (as pinnacle::connect) and exists only when
# libxxhash is found (pkg-config first, then a plain header and library search).
option(PINNACLE_JOURNAL "Build pinnacle::journal when libxxhash is found" ON)
set(PINNACLE_HAVE_JOURNAL OFF)
if(NOT PINNACLE_JOURNAL)
  return()
endif()

find_package(PkgConfig QUIET)
set(pinnacle_journal_libs "")
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PINNACLE_XXHASH QUIET IMPORTED_TARGET libxxhash)
  if(PINNACLE_XXHASH_FOUND)
    set(pinnacle_journal_libs PkgConfig::PINNACLE_XXHASH)
    set(PINNACLE_JOURNAL_XXHASH_VIA pkgconfig)  # written into the installed pinnacleConfig.cmake
  endif()
endif()
if(NOT pinnacle_journal_libs)
  find_path(PINNACLE_XXHASH_INCLUDE_DIR xxhash.h)
  find_library(PINNACLE_XXHASH_LIBRARY xxhash)
  if(PINNACLE_XXHASH_INCLUDE_DIR AND PINNACLE_XXHASH_LIBRARY)
    # An imported target: the export names it and the installed config defines it again.
    add_library(pinnacle_xxhash::xxhash INTERFACE IMPORTED GLOBAL)
    set_target_properties(pinnacle_xxhash::xxhash PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${PINNACLE_XXHASH_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${PINNACLE_XXHASH_LIBRARY}")
    set(pinnacle_journal_libs pinnacle_xxhash::xxhash)
    set(PINNACLE_JOURNAL_XXHASH_VIA find)
  endif()
endif()
if(NOT pinnacle_journal_libs)
  message(STATUS "pinnacle::journal: not built (missing: libxxhash; apt-get install libxxhash-dev)")
  return()
endif()

add_library(pinnacle_journal_lib INTERFACE)  # "pinnacle_journal" is the example program
add_library(pinnacle::journal ALIAS pinnacle_journal_lib)
set_target_properties(pinnacle_journal_lib PROPERTIES EXPORT_NAME journal)
file(GLOB PINNACLE_JOURNAL_HEADERS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/pinnacle/journal/*.hpp")
target_sources(pinnacle_journal_lib INTERFACE FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/include" FILES ${PINNACLE_JOURNAL_HEADERS})
target_link_libraries(pinnacle_journal_lib INTERFACE pinnacle::pinnacle ${pinnacle_journal_libs})
set(PINNACLE_HAVE_JOURNAL ON)
message(STATUS "pinnacle::journal: built (${pinnacle_journal_libs})")
