# The SINIT model: SENTER's ACM checks and SINIT's launch (library dlsim_txt_platform).
list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES
  sinit/sinit_launch_data.cpp
  sinit/sinit_model.cpp
  sinit/sinit_mtrr.cpp
  sinit/sinit_rules.cpp
  sinit/sinit_snapshot.cpp
)
