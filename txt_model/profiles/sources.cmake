# Platform profiles: the loader, and the shipped JSON files compiled in at
# build time (embed_profiles.cmake writes shipped_profiles.cpp in the build
# tree; a profile edit or a new file regenerates it).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  profiles/txt_profile.cpp
)
file(GLOB DLSIM_TXT_PROFILE_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.json)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/shipped_profiles.cpp
  COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_LIST_DIR} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/shipped_profiles.cpp
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_profiles.cmake
  DEPENDS ${DLSIM_TXT_PROFILE_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed_profiles.cmake
  COMMENT "Embedding the shipped TXT platform profiles"
  VERBATIM)
list(APPEND DLSIM_TXT_GENERATED_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/shipped_profiles.cpp)
