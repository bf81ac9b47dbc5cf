# Fails when the committed scenario schema differs from the one dlsim-schema
# assembles from the core schema and the models' fragments.
execute_process(COMMAND ${TOOL} ${CORE} OUTPUT_VARIABLE assembled RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dlsim-schema failed (${rc})")
endif()
file(READ ${COMMITTED} committed)
if(NOT assembled STREQUAL committed)
  message(FATAL_ERROR "${COMMITTED} is not the assembled schema; regenerate it:\n"
                      "  dlsim-schema scenarios/schema/core.schema.json > scenarios/schema/scenario.schema.json")
endif()
