# SKINIT on the CPUs (library dlsim_svm_platform): the instruction, the SLB
# launch and its strict launch rules.
list(APPEND DLSIM_SVM_PLATFORM_SOURCE_NAMES
  skinit/skinit.cpp
  skinit/skinit_entry_state.cpp
  skinit/skinit_rules.cpp
  skinit/skinit_snapshot.cpp
  skinit/slb_image.cpp
)
