# VT-d DMA remapping unit, its PMR protection and TXT DPR (dlsim_txt: base only).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  vtd/txt_dpr_protection.cpp
  vtd/vtd_pmr_protection.cpp
  vtd/vtd_unit.cpp
)
