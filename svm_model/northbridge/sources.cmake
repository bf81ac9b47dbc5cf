# AMD northbridge PCI functions D18F0 / D18F3 (MEMPROT_CR, the legacy DEV capability) (dlsim_svm: base only).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  northbridge/amd_northbridge.cpp
  northbridge/nb_function0.cpp
  northbridge/nb_function3.cpp
  northbridge/pci_header.cpp
)
