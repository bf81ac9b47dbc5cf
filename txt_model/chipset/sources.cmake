list(APPEND DLSIM_TXT_SOURCE_NAMES
  chipset/txt_chipset.cpp
  chipset/txt_config_space.cpp
  chipset/error_code.cpp
)
