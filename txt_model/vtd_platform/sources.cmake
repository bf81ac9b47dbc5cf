# VT-d units as a platform model: the "vtd" scenario section (dlsim_txt_platform).
list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES
  vtd_platform/vtd_platform_model.cpp
)
