# Layering checks (docs/design.md#layers): no header includes one from a higher layer, and every
# component umbrella includes all of its folder's headers. The second test proves the checker
# fails, naming file and line, on a fixture tree that breaks each rule.
set(pinnacle_layers_check ${CMAKE_CURRENT_SOURCE_DIR}/check_layers.cmake)
add_test(NAME layers.include_order
  COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include -P ${pinnacle_layers_check})
add_test(NAME layers.catches_violations
  COMMAND ${CMAKE_COMMAND} -DEXPECT_EXIT=1
    "-DEXPECT_STDERR_REGEX=book/uses_umbrella\\.hpp:4: book/ includes the umbrella pinnacle/pinnacle\\.hpp.*core/bad\\.hpp:3: core/ \\(layer 1\\) includes pinnacle/engine/market_maker\\.hpp, from the higher layer engine/.*core/bad\\.hpp:4: .*pinnacle/risk/checks\\.hpp.*core/bad\\.hpp:7: .*gadgets/.*widgets/widget\\.hpp:1: folder widgets/ is not in the layer order.*book\\.hpp:1: missing.*core\\.hpp:1: does not include pinnacle/core/bad\\.hpp.*7 violation"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/run_and_check.cmake --
    ${CMAKE_COMMAND} -DINCLUDE_DIR=${CMAKE_CURRENT_SOURCE_DIR}/data/layers_bad/include -P ${pinnacle_layers_check})
