# Private build flags for pinnacle's own tests, examples and benchmarks. Never attached to the
# exported pinnacle::pinnacle target: users choose their own warnings.
add_library(pinnacle_dev_flags INTERFACE)
target_compile_options(pinnacle_dev_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
  $<$<BOOL:${PINNACLE_WERROR}>:-Werror>)
if(PINNACLE_SANITIZE)
  target_compile_options(pinnacle_dev_flags INTERFACE -fsanitize=${PINNACLE_SANITIZE} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(pinnacle_dev_flags INTERFACE -fsanitize=${PINNACLE_SANITIZE})
endif()
