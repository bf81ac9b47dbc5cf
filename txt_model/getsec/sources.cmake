# GETSEC and the processor side of SMX (library dlsim_txt_platform).
list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES
  getsec/getsec.cpp
  getsec/getsec_enteraccs.cpp
  getsec/getsec_environment_leaves.cpp
  getsec/getsec_info_leaves.cpp
  getsec/getsec_rlp_monitor_wake.cpp
  getsec/getsec_rules.cpp
  getsec/getsec_senter.cpp
  getsec/getsec_snapshot.cpp
  getsec/rlp_join.cpp
)
