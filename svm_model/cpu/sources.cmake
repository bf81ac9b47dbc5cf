# The SVM CPU side: CPUID, EFER.SVME, VM_CR, VM_HSAVE_PA, CLGI/STGI, the GIF.
list(APPEND DLSIM_SVM_PLATFORM_SOURCE_NAMES
  cpu/svm_cpu.cpp
  cpu/svm_cpu_snapshot.cpp
  cpu/svm_cpuid.cpp
  cpu/svm_rules.cpp
)
