# Private build flags for pinnacle's own tests, examples and benchmarks. Never attached to the
# exported pinnacle::pinnacle target: users choose their own warnings.
# pinnacle_warning_flags: the warnings alone, for test peers built on other libraries (the QuickFIX
# programs), whose inner code is not what the tests check; pinnacle_dev_flags adds the sanitizers.
add_library(pinnacle_warning_flags INTERFACE)
target_compile_options(pinnacle_warning_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
  $<$<BOOL:${PINNACLE_WERROR}>:-Werror>)
add_library(pinnacle_dev_flags INTERFACE)
target_link_libraries(pinnacle_dev_flags INTERFACE pinnacle_warning_flags)
if(PINNACLE_SANITIZE)
  target_compile_options(pinnacle_dev_flags INTERFACE -fsanitize=${PINNACLE_SANITIZE} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(pinnacle_dev_flags INTERFACE -fsanitize=${PINNACLE_SANITIZE})
endif()

# LOBSTER files too large to bundle (full days: GOOG 2012-06-21 message_5, AMZN 2021-04-12
# message_10). Tests and benchmarks that need them report a skip naming the file when it is not here.
set(pinnacle_extra_default "")
if(EXISTS "${PROJECT_SOURCE_DIR}/../shared/data/lobster/unpaired")
  set(pinnacle_extra_default "${PROJECT_SOURCE_DIR}/../shared/data/lobster/unpaired")
endif()
set(PINNACLE_EXTRA_LOBSTER_DIR "${pinnacle_extra_default}" CACHE PATH
  "Directory holding full LOBSTER days that are not bundled (optional)")
