# Shipped platform profiles (JSON) compiled into a model library, one way for
# every model (txt_model/profiles, svm_model/profiles):
#
# dlsim_embed_profiles(OUT <file.cpp> NAMESPACE <ns> HEADER <include path>
#                      TYPE <struct> FUNCTION <name> WHAT <text> FILES <json...>)
#   adds the build step that writes OUT with embed_profiles.cmake (see there),
#   rerun when a profile or the script changes. The caller lists OUT among its
#   library's sources; WHAT names the profiles in the build's progress line.
set(DLSIM_EMBED_PROFILES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_profiles.cmake)
function(dlsim_embed_profiles)
  cmake_parse_arguments(ARG "" "OUT;NAMESPACE;HEADER;TYPE;FUNCTION;WHAT" "FILES" ${ARGN})
  # '|' keeps the list one argument of the command line.
  list(JOIN ARG_FILES "|" files)
  set(script ${DLSIM_EMBED_PROFILES_SCRIPT})
  add_custom_command(
    OUTPUT ${ARG_OUT}
    COMMAND ${CMAKE_COMMAND} -DOUT=${ARG_OUT} -DNAMESPACE=${ARG_NAMESPACE} -DHEADER=${ARG_HEADER}
            -DTYPE=${ARG_TYPE} -DFUNCTION=${ARG_FUNCTION} -DFILES=${files} -P ${script}
    DEPENDS ${ARG_FILES} ${script}
    COMMENT "Embedding the shipped ${ARG_WHAT} platform profiles"
    VERBATIM)
endfunction()
