# The SLB header and the TrenchBoot SKL image layouts (svm_model/slb/). Paths
# relative to svm_model/; also read by the fuzz project (fuzz/standalone).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  slb/slb_header.cpp
  slb/skl_image.cpp
  slb/skl_acceptance.cpp
)
