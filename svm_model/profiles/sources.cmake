# AMD platform profiles: the loader, and the shipped JSON files compiled in at
# build time (cmake/EmbedProfiles.cmake writes shipped_svm_profiles.cpp in the
# build tree; a profile edit or a new file regenerates it).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  profiles/svm_profile.cpp
)
# By its path from here, as in txt_model/profiles/sources.cmake.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/EmbedProfiles.cmake)
file(GLOB DLSIM_SVM_PROFILE_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.json)
dlsim_embed_profiles(
  OUT ${CMAKE_CURRENT_BINARY_DIR}/shipped_svm_profiles.cpp
  NAMESPACE dlsim::svm HEADER svm_model/profiles/shipped_svm_profiles.h
  TYPE ShippedSvmProfile FUNCTION shippedSvmProfileTexts WHAT AMD
  FILES ${DLSIM_SVM_PROFILE_FILES})
list(APPEND DLSIM_SVM_GENERATED_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/shipped_svm_profiles.cpp)
