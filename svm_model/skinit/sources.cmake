# SKINIT on the CPUs (library dlsim_svm_platform): the instruction, the SLB
# launch, its strict launch rules and the default SLB DMA protection.
list(APPEND DLSIM_SVM_PLATFORM_SOURCE_NAMES
  skinit/skinit.cpp
  skinit/skinit_entry_state.cpp
  skinit/skinit_rules.cpp
  skinit/skinit_snapshot.cpp
  skinit/slb_dma_block.cpp
  skinit/slb_image.cpp
)
