# Checks pinnacle's layering (docs/design.md#layers); run as
#   cmake -DINCLUDE_DIR=<dir that holds pinnacle/> -P check_layers.cmake
# Rule 1: a header under pinnacle/<folder>/ includes only "pinnacle/<f>/..." with <f> at or below
#         <folder> in PINNACLE_LAYERS, and never a top-level umbrella ("pinnacle/<x>.hpp").
# Rule 2: every folder but journal/ has an umbrella pinnacle/<folder>.hpp that includes each of its headers;
#         connect/'s umbrella covers connect/*.hpp and connect/auth/ only, and must not include
#         connect/fix/ or connect/wire/ (their own CMake targets).
# Prints every violation as file:line: message and exits non-zero if there is any.

# Lowest layer first: a folder may include only itself and folders before it.
set(PINNACLE_LAYERS core memory book feed signal venue strategy risk route sim engine journal telemetry connect apps)

if(NOT DEFINED INCLUDE_DIR OR NOT IS_DIRECTORY "${INCLUDE_DIR}/pinnacle")
  message(FATAL_ERROR "check_layers.cmake: -DINCLUDE_DIR=<dir> must name a directory holding pinnacle/ (got '${INCLUDE_DIR}')")
endif()
set(root "${INCLUDE_DIR}/pinnacle")
set(violations 0)

macro(violation where what)
  message("${where}: ${what}")
  math(EXPR violations "${violations} + 1")
endmacro()

# Lines of a file as a CMake list, one element per line (blank lines kept, so indices are line
# numbers - 1). Characters that would break list splitting are replaced; include paths have none.
function(read_lines file out)
  file(READ "${file}" text)
  string(REPLACE "\\" "/" text "${text}")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "(" text "${text}")
  string(REPLACE "]" ")" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(include_re "^[ \t]*#[ \t]*include[ \t]*[\"<]pinnacle/([^\">]*)[\">]")

file(GLOB_RECURSE headers LIST_DIRECTORIES false RELATIVE "${root}" "${root}/*/*")
list(SORT headers)
set(folders "")
foreach(rel IN LISTS headers)
  string(REGEX MATCH "^[^/]+" folder "${rel}")
  list(FIND PINNACLE_LAYERS "${folder}" own)
  if(own EQUAL -1)
    violation("${root}/${rel}:1" "folder ${folder}/ is not in the layer order (tests/check_layers.cmake, docs/design.md#layers)")
    continue()
  endif()
  list(APPEND folders "${folder}")
  list(APPEND headers_of_${folder} "${rel}")
  read_lines("${root}/${rel}" lines)
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(NOT line MATCHES "${include_re}")
      continue()
    endif()
    set(target "${CMAKE_MATCH_1}")
    if(NOT target MATCHES "/")
      violation("${root}/${rel}:${n}" "${folder}/ includes the umbrella pinnacle/${target}; include the headers it needs")
      continue()
    endif()
    string(REGEX MATCH "^[^/]+" to "${target}")
    list(FIND PINNACLE_LAYERS "${to}" theirs)
    if(theirs EQUAL -1)
      violation("${root}/${rel}:${n}" "${folder}/ includes pinnacle/${target}, from a folder not in the layer order")
    elseif(theirs GREATER own)
      # Layers are numbered from 1 (core/) in messages, as in docs/design.md.
      math(EXPR own_no "${own} + 1")
      math(EXPR theirs_no "${theirs} + 1")
      violation("${root}/${rel}:${n}" "${folder}/ (layer ${own_no}) includes pinnacle/${target}, from the higher layer ${to}/ (layer ${theirs_no}); move the shared piece down or the includer up")
    endif()
  endforeach()
endforeach()

list(REMOVE_DUPLICATES folders)
# connect/'s umbrella is pinnacle::connect's (optional dependencies): it lists the decoders and auth/,
# not fix/ (pinnacle::fix) nor wire/ (the transports), which have their own targets.
set(connect_own_targets_re "^connect/(fix|wire)/")
if(DEFINED headers_of_connect)
  list(FILTER headers_of_connect EXCLUDE REGEX "${connect_own_targets_re}")
endif()
# journal/ neither: it needs libxxhash (pinnacle::journal, cmake/journal.cmake).
list(REMOVE_ITEM folders journal)
foreach(folder IN LISTS folders)
  set(umbrella "${root}/${folder}.hpp")
  if(NOT EXISTS "${umbrella}")
    violation("${umbrella}:1" "missing: the umbrella of ${folder}/ must include each of its headers")
    continue()
  endif()
  read_lines("${umbrella}" lines)
  set(included "")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(line MATCHES "${include_re}")
      set(inc "${CMAKE_MATCH_1}")
      list(APPEND included "${inc}")
      if(folder STREQUAL "connect" AND inc MATCHES "${connect_own_targets_re}")
        violation("${umbrella}:${n}" "includes pinnacle/${inc}, which belongs to its own target, not pinnacle::connect")
      endif()
    endif()
  endforeach()
  foreach(rel IN LISTS headers_of_${folder})
    if(rel MATCHES "\\.hpp$")
      list(FIND included "${rel}" found)
      if(found EQUAL -1)
        violation("${umbrella}:1" "does not include pinnacle/${rel}")
      endif()
    endif()
  endforeach()
endforeach()

if(violations GREATER 0)
  message(FATAL_ERROR "check_layers: ${violations} violation(s) under ${root}")
endif()
list(LENGTH headers count)
message(STATUS "check_layers: ${count} headers under ${root} respect the layer order")
