# The AMD IOMMU: PCI function 00:00.2, MMIO registers, commands, device-table DMA check, IVRS (dlsim_svm: base only).
list(APPEND DLSIM_SVM_SOURCE_NAMES
  iommu/amd_iommu.cpp
  iommu/iommu_commands.cpp
  iommu/iommu_dma_check.cpp
  iommu/iommu_event_text.cpp
  iommu/iommu_pci_function.cpp
  iommu/iommu_snapshot.cpp
  iommu/ivrs_build.cpp
)
