# Platform profiles: the loader, and the shipped JSON files compiled in at
# build time (cmake/EmbedProfiles.cmake writes shipped_profiles.cpp in the
# build tree; a profile edit or a new file regenerates it).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  profiles/txt_profile.cpp
)
# By its path from here: fuzz/standalone, a project of its own, includes this file too.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/EmbedProfiles.cmake)
file(GLOB DLSIM_TXT_PROFILE_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.json)
dlsim_embed_profiles(
  OUT ${CMAKE_CURRENT_BINARY_DIR}/shipped_profiles.cpp
  NAMESPACE dlsim::txt HEADER txt_model/profiles/shipped_profiles.h
  TYPE ShippedProfile FUNCTION shippedProfileTexts WHAT TXT
  FILES ${DLSIM_TXT_PROFILE_FILES})
list(APPEND DLSIM_TXT_GENERATED_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/shipped_profiles.cpp)
