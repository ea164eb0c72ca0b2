# Journal tests driven through the programs (tests/journal.cmake):
#   cmake -DMODE=reference|crash|torn|bitflip|tools|bad [-DREF=<reference journal dir>] -DBACKTEST=<backtest_lobster> -DTOOL=<pinnacle_journal>
#         -DWORK=<scratch dir> [-DKILLS=20 -DSEED=15] [-DDATA=<message file>] -P crash_test.cmake
# Every resume of a journal that holds snapshots must start from one (the journal line says so).
# crash:   an uninterrupted journaled run of the bundled day is the reference; then a second journal
#          is written by runs that are SIGKILLed, each followed by a --resume, KILLS times in all:
#          half are SIGKILLed from outside (a shell's kill -9) a seeded random delay after the run
#          says its journal is open (--journal-ready-file), within half the journaling time of a
#          whole run (measured here), so kills land at arbitrary instructions (mid-record too:
#          torn tails cut on the next open are counted); half
#          SIGKILL themselves after a seeded random number of appended records
#          (--crash-after-records). A run that ends before its kill must already report the
#          reference's; the next kills then start a fresh journal. The last resume runs to the end. Its report, state hash, verify line
#          and replay line must equal the reference's: nothing lost, nothing applied twice.
# torn:    the reference journal's last record is cut in half (truncate): verify reports
#          torn_tail=1, --resume cuts it and finishes with the reference's state.
# bitflip: one bit of the last record flipped (dd): verify reports crc_errors=1, --resume recovers.
# tools:   dump (text, --jsonl, --from) and replay on the reference journal.
# bad:     a journal directory that already holds a journal without --resume; --resume without
#          --journal; verify of a directory that does not exist.
foreach(v MODE BACKTEST TOOL WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "crash_test.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED KILLS)
  set(KILLS 20)
endif()
if(NOT DEFINED SEED)
  set(SEED 15)
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# Small segments so runs cross many segment boundaries; a state hash every 5000 events.
set(jflags --journal-segment-mb 1 --snapshot-every 5000)
# -DDATA=<LOBSTER message file>: another day than the bundled one (SKIP when it is absent).
if(DEFINED DATA AND NOT DATA STREQUAL "")
  if(NOT EXISTS ${DATA})
    message("SKIP: ${DATA} is not here (shared data; set PINNACLE_SHARED_DATA_DIR)")
    return()
  endif()
  list(APPEND jflags --messages ${DATA})
endif()

# run(<out var> <expected exit> args...): runs, checks the exit code ("KILLED" = died by a signal).
function(run out expect)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(expect STREQUAL "KILLED")
    if(rc MATCHES "^[0-9]+$")
      message(FATAL_ERROR "expected a kill -9, got exit ${rc}: ${ARGN}\n${o}\n${e}")
    endif()
  elseif(NOT rc STREQUAL expect)
    message(FATAL_ERROR "expected exit ${expect}, got ${rc}: ${ARGN}\nstdout:\n${o}\nstderr:\n${e}")
  endif()
  set(${out} "${o}" PARENT_SCOPE)
  set(${out}_err "${e}" PARENT_SCOPE)
endfunction()

# The last line of a text.
function(last_line out text)
  string(STRIP "${text}" t)
  string(FIND "${t}" "\n" at REVERSE)
  math(EXPR at "${at} + 1")
  string(SUBSTRING "${t}" ${at} -1 l)
  set(${out} "${l}" PARENT_SCOPE)
endfunction()

# A report JSON without its wall-clock fields.
function(report_without_timing out file)
  file(STRINGS ${file} lines)
  list(FILTER lines EXCLUDE REGEX "\"(seconds|events_per_second)\"")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# The reference: an uninterrupted journaled run. -DREF=<dir> reuses one a fixture test wrote
# (MODE=reference writes it), so each test does not run the whole day again.
if(DEFINED REF AND NOT MODE STREQUAL "reference")
  set(ref ${REF})
  if(NOT EXISTS ${ref}.json)
    message(FATAL_ERROR "the reference journal ${ref} is missing: run the journal.reference_bundled test first")
  endif()
  configure_file(${ref}.json ${WORK}/reference.json COPYONLY)
else()
  if(DEFINED REF)
    set(ref ${REF})
    file(REMOVE_RECURSE ${ref} ${ref}.json)
  else()
    set(ref ${WORK}/reference)
  endif()
  run(o 0 ${BACKTEST} --journal ${ref} ${jflags} --json ${WORK}/reference.json)
  configure_file(${WORK}/reference.json ${ref}.json COPYONLY)
endif()
run(verify_ref 0 ${TOOL} verify ${ref})
last_line(ref_line "${verify_ref}")
if(NOT ref_line MATCHES "^records=([0-9]+) segments=([0-9]+) torn_tail=0 crc_errors=0 state_hash=([0-9a-f]+)$")
  message(FATAL_ERROR "verify of the reference journal: unexpected last line '${ref_line}'")
endif()
set(ref_records ${CMAKE_MATCH_1})
set(ref_hash ${CMAKE_MATCH_3})
report_without_timing(ref_report ${WORK}/reference.json)
if(NOT ref_report MATCHES "\"state_hash\": \"${ref_hash}\"")
  message(FATAL_ERROR "the reference report's state_hash is not the journal's ${ref_hash}")
endif()
message("reference: ${ref_line}")

# Resumes `dir` to the end and requires the reference's report, verify line and replay line.
function(finish_and_compare dir label)
  file(GLOB snaps ${dir}/snapshot-*.pns)
  run(o 0 ${BACKTEST} --journal ${dir} --resume ${jflags} --json ${dir}.json)
  if(snaps AND NOT o MATCHES "resumed from the snapshot after record")
    message(FATAL_ERROR "crash: the last resume did not start from a snapshot:\n${o}\n${o_err}")
  endif()
  report_without_timing(rep ${dir}.json)
  if(NOT rep STREQUAL ref_report)
    message(FATAL_ERROR "${label}: the resumed run's report differs from the uninterrupted run's:\n${rep}\nvs\n${ref_report}")
  endif()
  run(v 0 ${TOOL} verify ${dir})
  last_line(l "${v}")
  if(NOT l STREQUAL ref_line)
    message(FATAL_ERROR "${label}: verify says '${l}', the uninterrupted run's journal '${ref_line}'")
  endif()
  run(r 0 ${TOOL} replay ${dir})
  last_line(rl "${r}")
  if(NOT rl STREQUAL ref_line)
    message(FATAL_ERROR "${label}: replay says '${rl}', expected '${ref_line}'")
  endif()
  message("${label}: resumed to '${l}', report and replay equal the reference")
endfunction()

# Byte offset where the valid records of the last segment end (from verify).
function(valid_end seg_var off_var dir)
  run(v 0 ${TOOL} verify ${dir})
  if(NOT v MATCHES "valid_end +segment=([0-9]+) offset=([0-9]+)")
    message(FATAL_ERROR "verify printed no valid_end line:\n${v}")
  endif()
  set(${seg_var} ${CMAKE_MATCH_1} PARENT_SCOPE)
  set(${off_var} ${CMAKE_MATCH_2} PARENT_SCOPE)
endfunction()
function(segment_path out dir seg)
  string(LENGTH "${seg}" n)
  math(EXPR pad "8 - ${n}")
  string(REPEAT "0" ${pad} zeros)
  set(${out} ${dir}/segment-${zeros}${seg}.pnj PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "reference")
  message("reference journal written: ${ref}")
elseif(MODE STREQUAL "crash")
  string(RANDOM LENGTH 1 RANDOM_SEED ${SEED} ALPHABET "0" unused)
  set(dir ${WORK}/crashed)
  set(kills 0)
  set(finished 0)
  set(torn 0)
  # A run that ended before its kill (rc 0): its report must already be the reference's; the
  # journal is complete, so the next kills start a fresh one.
  macro(finished_run)
    report_without_timing(rep ${dir}.json)
    if(NOT rep STREQUAL ref_report)
      message(FATAL_ERROR "crash: a run that finished before its kill reported otherwise than the reference:\n${rep}")
    endif()
    math(EXPR finished "${finished} + 1")
    file(REMOVE_RECURSE ${dir})
  endmacro()
  macro(random_below out bound)
    string(RANDOM LENGTH 6 ALPHABET "0123456789" r)
    string(REGEX REPLACE "^0+" "" r "${r}")
    if(r STREQUAL "")
      set(r 0)
    endif()
    math(EXPR ${out} "${r} % ${bound}")
  endmacro()
  math(EXPR max_tries "4 * ${KILLS}")
  # Self-kills first: each run SIGKILLs itself after a seeded random 1..R/K appended records
  # (R records in the whole journal, K kills), which leaves about half the journal for the rest.
  math(EXPR self_kills "${KILLS} / 2")
  math(EXPR span "${ref_records} / ${KILLS}")
  set(tries 0)
  while(kills LESS self_kills AND tries LESS max_tries)
    math(EXPR tries "${tries} + 1")
    random_below(n ${span})
    math(EXPR n "${n} + 1")
    execute_process(COMMAND ${BACKTEST} --journal ${dir} --resume ${jflags} --crash-after-records ${n} --json ${dir}.json
      RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
    if(rc STREQUAL "0")
      finished_run()
    elseif(rc MATCHES "^[0-9]+$")
      message(FATAL_ERROR "crash: a run that should kill itself exited ${rc}:\n${o}\n${e}")
    else()
      math(EXPR kills "${kills} + 1")
    endif()
  endwhile()
  # Then kills from outside: a shell starts the run, waits for its --journal-ready-file (the
  # journal is open, the day loaded: start-up is not what we want to hit), sleeps a seeded random
  # delay in [0, J/2] ms and sends SIGKILL; J = the journaling part of a whole run, measured here.
  # So the kills land at arbitrary instructions while the run journals.
  set(timer [=[
ready=$1; shift
rm -f "$ready"
"$@" >/dev/null & pid=$!
i=0
while [ ! -e "$ready" ] && kill -0 $pid 2>/dev/null && [ $i -lt 60000 ]; do sleep 0.002; i=$((i+1)); done
t1=$(date +%s%N)
wait $pid; rc=$?
t2=$(date +%s%N)
echo $(( (t2 - t1) / 1000000 ))
exit $rc
]=])
  set(killer [=[
ready=$1; delay=$2; shift 2
rm -f "$ready"
"$@" & pid=$!
i=0
while [ ! -e "$ready" ] && kill -0 $pid 2>/dev/null && [ $i -lt 60000 ]; do sleep 0.002; i=$((i+1)); done
sleep "$delay"
kill -9 $pid 2>/dev/null
wait $pid
]=])
  set(ready ${WORK}/ready)
  execute_process(COMMAND sh -c "${timer}" timer ${ready} ${BACKTEST} --journal ${WORK}/timing_full ${jflags} --journal-ready-file ${ready}
    RESULT_VARIABLE rc OUTPUT_VARIABLE j_ms ERROR_VARIABLE e)
  string(STRIP "${j_ms}" j_ms)
  if(NOT rc EQUAL 0 OR NOT j_ms MATCHES "^[0-9]+$")
    message(FATAL_ERROR "crash: timing a whole journaled run failed (${rc}): ${j_ms}\n${e}")
  endif()
  file(REMOVE_RECURSE ${WORK}/timing_full)
  math(EXPR width "${j_ms} / 2 + 1")
  set(tries 0)
  while(kills LESS KILLS AND tries LESS max_tries)
    math(EXPR tries "${tries} + 1")
    random_below(ms ${width})
    math(EXPR sec "${ms} / 1000")
    math(EXPR frac "${ms} % 1000 + 1000")
    string(SUBSTRING "${frac}" 1 3 frac)
    execute_process(COMMAND sh -c "${killer}" killer ${ready} ${sec}.${frac}
      ${BACKTEST} --journal ${dir} --resume ${jflags} --json ${dir}.json --journal-ready-file ${ready}
      RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
    if(e MATCHES "a torn or corrupt tail")
      math(EXPR torn "${torn} + 1")
    endif()
    if(rc STREQUAL "0")
      finished_run()
    elseif(NOT rc EQUAL 137)
      message(FATAL_ERROR "crash: a run killed from outside exited ${rc}:\n${o}\n${e}")
    else()
      math(EXPR kills "${kills} + 1")
    endif()
  endwhile()
  math(EXPR external "${kills} - ${self_kills}")
  message("crash: ${self_kills} self-kills, ${external} kills from outside 0..${width} ms after the journal opened (J = ${j_ms} ms), ${torn} torn tails cut on the next open")
  message("crash: ${kills} kill -9 points in all; ${finished} runs finished before their kill (fresh journal after each)")
  if(kills LESS KILLS)
    message(FATAL_ERROR "only ${kills} kills")
  endif()
  finish_and_compare(${dir} "crash")
elseif(MODE STREQUAL "torn" OR MODE STREQUAL "bitflip")
  set(dir ${WORK}/damaged)
  file(COPY ${ref}/ DESTINATION ${dir})
  valid_end(seg off ${dir})
  segment_path(path ${dir} ${seg})
  if(MODE STREQUAL "torn")
    math(EXPR cut "${off} - 7")  # inside the last record (the end record: 32 + 16 bytes)
    execute_process(COMMAND truncate -s ${cut} ${path} RESULT_VARIABLE rc)
    set(expect "torn_tail=1 crc_errors=0")
  else()
    math(EXPR at "${off} - 10")  # a byte of the end record's payload (its state hash)
    file(READ ${path} byte OFFSET ${at} LIMIT 1 HEX)
    math(EXPR flipped "0x${byte} ^ 4" OUTPUT_FORMAT HEXADECIMAL)
    string(REGEX REPLACE "^0x" "" flipped "${flipped}")
    string(LENGTH "${flipped}" n)
    if(n EQUAL 1)
      set(flipped "0${flipped}")
    endif()
    # Write the byte with printf's octal escape through dd (no CMake command writes raw bytes).
    math(EXPR dec "0x${flipped}")
    math(EXPR o1 "${dec} / 64")
    math(EXPR o2 "(${dec} / 8) % 8")
    math(EXPR o3 "${dec} % 8")
    execute_process(COMMAND sh -c "printf '\\${o1}${o2}${o3}' | dd of='${path}' bs=1 seek=${at} conv=notrunc status=none"
      RESULT_VARIABLE rc)
    set(expect "torn_tail=1 crc_errors=1")
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not damage ${path} (truncate/dd missing?)")
  endif()
  run(v 1 ${TOOL} verify ${dir})
  last_line(l "${v}")
  if(NOT l MATCHES " ${expect} ")
    message(FATAL_ERROR "${MODE}: verify should report '${expect}', got '${l}'")
  endif()
  message("${MODE}: detected: ${l}")
  finish_and_compare(${dir} ${MODE})
elseif(MODE STREQUAL "tools")
  run(d 0 ${TOOL} dump ${ref} --limit 3)
  if(NOT d MATCHES "^1 0 session_start args=\\[--snapshot-every 5000\\]\n2 [0-9]+ market_event event=[a-z_]+ side=(buy|sell) id=[0-9]+ px=[0-9]+ size=[0-9]+ flags=[0-9]+ aux=[0-9]+\n3 [0-9]+ [a-z_]+")
    message(FATAL_ERROR "dump: unexpected start:\n${d}")
  endif()
  run(j 0 ${TOOL} dump ${ref} --jsonl --from ${ref_records})
  if(NOT j MATCHES "^{\"seq\":${ref_records},\"ts\":[0-9]+,\"type\":\"end\",\"state_hash\":\"${ref_hash}\",\"events\":[0-9]+}\n$")
    message(FATAL_ERROR "dump --jsonl --from: unexpected:\n${j}")
  endif()
  run(r 0 ${TOOL} replay ${ref})
  last_line(rl "${r}")
  if(NOT rl STREQUAL ref_line)
    message(FATAL_ERROR "replay says '${rl}', verify '${ref_line}'")
  endif()
  message("tools: dump, dump --jsonl --from and replay agree with verify")
elseif(MODE STREQUAL "bad")
  set(copy ${WORK}/copy)  # opening for writing may touch the files: never the shared reference
  file(COPY ${ref}/ DESTINATION ${copy})
  set(ref ${copy})
  run(o 2 ${BACKTEST} --journal ${ref} ${jflags})
  if(NOT o_err MATCHES "already holds a journal.*--resume")
    message(FATAL_ERROR "a second run into a journal without --resume: unexpected stderr '${o_err}'")
  endif()
  run(o 2 ${BACKTEST} --resume)
  run(o 2 ${TOOL} verify ${WORK}/no_such_dir)
  run(o 2 ${BACKTEST} --journal ${WORK}/x --journal-sync sometimes)
  # Other flags than the journal's: the resume refuses at record 1.
  run(o 1 ${BACKTEST} --journal ${ref} --resume ${jflags} --order-qty 50)
  if(NOT o_err MATCHES "record 1 \\(session_start\\)")
    message(FATAL_ERROR "resume with other flags: unexpected stderr '${o_err}'")
  endif()
  message("bad input: refused with the reason")
else()
  message(FATAL_ERROR "crash_test.cmake: unknown MODE '${MODE}'")
endif()
