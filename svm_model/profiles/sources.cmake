# AMD platform profiles: the loader, and the shipped JSON files compiled in at
# build time (embed_svm_profiles.cmake writes shipped_svm_profiles.cpp in the
# build tree; a profile edit or a new file regenerates it).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  profiles/svm_profile.cpp
)
file(GLOB DLSIM_SVM_PROFILE_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.json)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/shipped_svm_profiles.cpp
  COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_LIST_DIR} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/shipped_svm_profiles.cpp
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_svm_profiles.cmake
  DEPENDS ${DLSIM_SVM_PROFILE_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed_svm_profiles.cmake
  COMMENT "Embedding the shipped AMD platform profiles"
  VERBATIM)
list(APPEND DLSIM_SVM_GENERATED_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/shipped_svm_profiles.cpp)
