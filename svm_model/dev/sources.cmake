# SKINIT's SLB protection (SL_DEV / MEMPROT) as a DMA protection (dlsim_svm: base only).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  dev/amd_dma_hardware.cpp
  dev/sl_dev_protection.cpp
)
