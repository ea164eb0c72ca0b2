# pinnacle_keys (the credential store's CLI): one scenario per test, each in its own scratch
# directory (tests/pinnacle_keys_check.cmake says what each checks). Every command's stdout and
# stderr is searched for the passwords, API key and secret in every test. Each command derives
# the key at the production 600,000 PBKDF2 iterations (about 0.3 s, more under ASan), so the
# scenarios keep their command count small (23 derivations in all).
if(NOT TARGET pinnacle_keys)
  return()
endif()
foreach(mode IN ITEMS round_trip wrong_password tampered permissions no_secret_in_output)
  add_test(NAME example.pinnacle_keys.${mode}
    COMMAND ${CMAKE_COMMAND} -DKEYS=$<TARGET_FILE:pinnacle_keys> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/pinnacle_keys/${mode}
      -DMODE=${mode} -P ${CMAKE_CURRENT_SOURCE_DIR}/pinnacle_keys_check.cmake)
  set_tests_properties(example.pinnacle_keys.${mode} PROPERTIES TIMEOUT 300)
endforeach()
