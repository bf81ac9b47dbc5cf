list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES
  platform/txt_bios_data_spec.cpp
  platform/txt_checks.cpp
  platform/txt_heap_observation.cpp
  platform/txt_platform_model.cpp
  platform/txt_report.cpp
  platform/txt_schema.cpp
  platform/txt_spec_parser.cpp
  platform/txt_vtd_link.cpp
)
# Until the profile loader (profiles/sources.cmake) is built in, lookups
# are refused (txt_profiles_pending.cpp).
if(NOT EXISTS ${CMAKE_CURRENT_LIST_DIR}/../profiles/sources.cmake)
  list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES platform/txt_profiles_pending.cpp)
endif()
